// t0193: a group commit whose COMMIT fails (issue 16, group commit). The writer thread runs many
// replies in one transaction; when its COMMIT fails, every reply of that batch must answer 503 and
// leave nothing (no row, no floor number, no counter, no page showing it), its batch-mates in other
// batches must be kept, and the writer's connection must take the next write. A real failure at
// COMMIT, no knob in the binary: a deferred constraint that a reply containing 毒药 violates
// (SQLite: a DEFERRABLE INITIALLY DEFERRED foreign key filled by a trigger; PostgreSQL: a deferred
// constraint trigger that raises).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, PW, apiToken, api, allFloors, sql, sqlValue, addBoard } from './lib.mjs';

const names = ['c1', 'c2', 'c3', 'c4'];
let forum, url, fid, tokens;

before(async () => {
  forum = await startForum({ demo: false, users: names.map((name) => ({ name, password: PW })),
    config: { 'post.flood_seconds': 0 }, serveArgs: ['--max-per-ip', '1000'] });
  url = forum.url;
  fid = await addBoard(forum, ['--name', '提交失败']);
  tokens = [];
  for (const n of names) tokens.push(await apiToken(url, n));
  if (forum.db) {
    await sql(forum, `CREATE FUNCTION t0193_fail() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 't0193: poisoned commit'; END $$`);
    await sql(forum, `CREATE CONSTRAINT TRIGGER t0193_poison AFTER INSERT ON post DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (strpos(NEW.source, '毒药') > 0) EXECUTE FUNCTION t0193_fail()`);
  } else {
    await sql(forum, `CREATE TABLE t0193_parent(id INTEGER PRIMARY KEY);
      CREATE TABLE t0193_poison(pid INTEGER REFERENCES t0193_parent(id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER t0193_poison AFTER INSERT ON post WHEN instr(NEW.source, '毒药') > 0
        BEGIN INSERT INTO t0193_poison VALUES (NEW.pid); END;`);
  }
});
after(async () => { if (forum) await forum.stop(); });

async function metric(name) {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec((await get(`${url}/metrics`)).text);
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}

test('a batch whose COMMIT fails: its replies answer 503 and leave nothing, the others are kept, '
  + 'the writer takes the next write', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '毒丸', body: '楼主' }, tokens[0]);
  assert.equal(t.status, 201, t.text);
  const tid = t.json.tid;
  const failed0 = await metric('loulan_write_commit_failed_total');
  // the poison is sent in the middle of a stream, so it shares a batch with others
  const sends = [];
  for (let i = 0; i < 60; i++) {
    const body = i === 30 ? `回复 ${i} 毒药` : `回复 ${i}`;
    sends.push(api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body }, tokens[i % tokens.length])
      .then((r) => ({ i, body, r })));
  }
  const res = await Promise.all(sends);
  for (const { i, r } of res) assert.ok(r.status === 201 || r.status === 503, `reply ${i}: ${r.status} ${r.text}`);
  const poison = res[30];
  assert.equal(poison.r.status, 503, 'the reply whose COMMIT failed is not acknowledged');
  assert.ok(poison.r.json && poison.r.json.error, `a JSON error: ${poison.r.text}`);
  const acked = res.filter((x) => x.r.status === 201);
  const lost = res.filter((x) => x.r.status === 503);
  assert.ok(acked.length > 0, 'the replies of other batches are acknowledged');
  assert.equal(await metric('loulan_write_commit_failed_total') - failed0, lost.length,
    'each reply answered 503 is counted as a failed commit');

  // the database: exactly the acknowledged replies, floors 1..N without a gap, counters equal to rows
  const stored = (await sqlValue(forum, `SELECT source FROM post WHERE tid = ${tid} AND position > 1`)).split('\n').filter(Boolean);
  assert.deepEqual(new Set(stored), new Set(acked.map((x) => x.body)), 'stored = acknowledged');
  const { thread, floors } = await allFloors(url, tid);
  assert.deepEqual(floors.map((f) => f.position), Array.from({ length: acked.length + 1 }, (_, i) => i + 1), 'no gap');
  assert.equal(thread.replies, acked.length);
  assert.equal(Number(await sqlValue(forum, `SELECT maxposition FROM thread WHERE tid = ${tid}`)), acked.length + 1);
  // the pages (a cached one was read above through the API; the web page too): nothing of the failed batch
  const last = await get(`${url}/t/${tid}?page=${Math.ceil((acked.length + 1) / 10)}`);
  assert.equal(last.status, 200);
  for (const x of lost) assert.ok(!last.text.includes(`>${x.body}<`), `${x.body} is not shown`);

  // the writer's connection is usable: the next reply lands on the next floor
  const next = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '之后的回复' }, tokens[1]);
  assert.equal(next.status, 201, next.text);
  assert.equal(next.json.position, acked.length + 2);
  // a poisoned reply alone: 503, and nothing left behind again
  const alone = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '又一次 毒药' }, tokens[2]);
  assert.equal(alone.status, 503, alone.text);
  assert.equal(Number(await sqlValue(forum, `SELECT COUNT(*) FROM post WHERE tid = ${tid}`)), acked.length + 2);
  const again = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '最后一条' }, tokens[3]);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.position, acked.length + 3);
});
