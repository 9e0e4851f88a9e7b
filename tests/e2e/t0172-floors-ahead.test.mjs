// t0172: a thread page sends its floors before reading the thread (db_send: on PostgreSQL both go in
// one round trip, libpq pipeline mode; issue 16). A sent read that the page never uses -- the thread
// does not exist, the page is past the end, the board is hidden -- must not leak into a later page on
// the same connection (one worker): every page shows exactly the floors the API gives for it
// (api/v1/threads, which reads the floors after the thread, without sending ahead).
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, gen, floorsOf, queriesOf } from './lib.mjs';

test('floors sent ahead: right floors after unused sends, 404s and other threads', async () => {
  await withForum({ demo: false, workers: 1 }, async (forum) => {
    await gen(forum, { boards: 1, threads: 5, posts: 120 });
    const expect = new Map();   // "tid/page" -> pids from the API
    for (let tid = 1; tid <= 12; tid++) {
      for (let pg = 1; pg <= 20; pg++) {
        const r = await get(`${forum.url}/api/v1/threads/${tid}?page=${pg}`);
        if (r.status !== 200) break;
        const j = JSON.parse(r.text);
        expect.set(`${tid}/${pg}`, j.floors.map((f) => f.pid));
      }
    }
    assert.ok(expect.size >= 10, `pages found: ${expect.size}`);
    const keys = [...expect.keys()];
    const junk = ['/t/999999', '/t/999999?page=2', `/t/${keys[0].split('/')[0]}?page=999`, '/t/0'];
    for (let round = 0; round < 3; round++) {
      for (const [i, k] of keys.entries()) {
        const [tid, pg] = k.split('/');
        const u = junk[(i + round) % junk.length];
        const bad = await get(`${forum.url}${u}${u.includes('?') ? '&' : '?'}nc=${round}`);
        assert.ok(bad.status === 404 || bad.status === 400, `junk ${bad.status}`);
        const r = await get(`${forum.url}/t/${tid}?page=${pg}&nc=${round}`);
        assert.equal(r.status, 200, k);
        assert.deepEqual(floorsOf(r.text).map((f) => f.pid), expect.get(k), `floors of ${k} in round ${round}`);
        assert.equal(queriesOf(r.text), 2, `${k}: the thread and its floors`);
      }
    }
  });
});
