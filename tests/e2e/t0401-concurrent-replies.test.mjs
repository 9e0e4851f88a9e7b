// t0401: 200 replies fired at one thread at once (several members, flood
// control off) get floors 2..201 exactly once each, and every counter equals
// the rows: thread replies, board posts, each member's posts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum } from './lib.mjs';
import { PW, apiToken, api, allFloors, boardCounts, checkCounters, addBoard } from './posting-lib.mjs';

const N = 200;
const names = ['u1', 'u2', 'u3', 'u4', 'u5'];

test(`${N} concurrent replies: floors 2..${N + 1} exactly once, counters equal the rows`, { timeout: 240000 }, async () => {
  // the N clients all connect from 127.0.0.1: past the per-address cap (64) they would be
  // refused at connect, which is t0146's subject, not this test's
  await withForum({ demo: false, workers: 8, users: names.map((name) => ({ name, password: PW })),
    config: { 'post.flood_seconds': 0 }, serveArgs: ['--max-per-ip', String(N + 8)] }, async (forum) => {
    const fid = await addBoard(forum, ['--name', '并发']);
    const tokens = [];
    for (const n of names) tokens.push(await apiToken(forum.url, n));
    const t = await api(forum.url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '抢楼', body: '开始' }, tokens[0]);
    assert.equal(t.status, 201, t.text);
    const tid = t.json.tid;
    const results = await Promise.all(Array.from({ length: N }, (_, i) =>
      api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `第 ${i} 个回复` }, tokens[i % tokens.length])));
    for (const r of results) assert.equal(r.status, 201, r.text);
    const positions = results.map((r) => r.json.position).sort((a, b) => a - b);
    assert.deepEqual(positions, Array.from({ length: N }, (_, i) => i + 2), 'positions returned by the API');
    const { thread, floors } = await allFloors(forum.url, tid);
    assert.deepEqual(floors.map((f) => f.position), Array.from({ length: N + 1 }, (_, i) => i + 1), 'floors read back');
    assert.equal(new Set(floors.map((f) => f.pid)).size, N + 1);
    assert.equal(thread.replies, N);
    const b = await boardCounts(forum.url, fid);
    assert.equal(b.posts, N + 1);
    assert.equal(b.threads, 1);
    await checkCounters(forum.url, [fid], names);
    const bodies = new Set(floors.slice(1).map((f) => f.body_html));
    assert.equal(bodies.size, N, 'every reply stored once');
  });
});
