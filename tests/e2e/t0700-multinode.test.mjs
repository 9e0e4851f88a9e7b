// t0700: several `serve` nodes on one PostgreSQL database (docs/SCALING.md).
// A change is visible at once on a node that had the page cached (NOTIFY
// loulan_gen -> the node's listener), views counted on both nodes add up,
// and stopping one node mid-load leaves the other serving.
// PostgreSQL only: skipped unless LOULAN_TEST_PG is set.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, footerOf, psql, PW, apiToken, api } from './lib.mjs';

const PG = process.env.LOULAN_TEST_PG;
const skip = PG ? false : 'multi-node needs PostgreSQL: set LOULAN_TEST_PG (scripts/pg.sh url)';

async function viewsInDb(db, tid) {
  const out = await psql(db, `COPY (SELECT views FROM thread WHERE tid = ${Number(tid)}) TO STDOUT`);
  return Number(out.trim());
}

test('two nodes on one database: invalidation, views, one node stopping', { skip }, async () => {
  const f = await startForum({ demo: true, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': 0 } });
  let failure = null;
  try {
    const a = f.url;
    const nodeB = await f.startNode();
    const b = nodeB.url;
    assert.notEqual(a, b);

    // B caches the index
    await get(b + '/');
    const cached = await get(b + '/');
    assert.equal(footerOf(cached.text).cache, true);

    // a write elsewhere (the CLI, a third process on the same database)
    const r = await f.run(['board', 'add', '--name', '多节点版块']);
    assert.equal(r.code, 0, r.stderr);
    let seen = null;
    const t0 = Date.now();
    while (Date.now() - t0 < 5000) {
      const page = await get(b + '/');
      if (page.text.includes('多节点版块')) { seen = page; break; }
    }
    assert.ok(seen, 'node B shows the new board (NOTIFY path; polled for up to 5 s, no timing asserted)');
    assert.equal(footerOf(seen.text).cache, false);
    assert.ok((await get(a + '/')).text.includes('多节点版块'), 'node A too');

    // a reply posted through node A shows at once on node B, which had the thread cached
    const tok = await apiToken(a, 'alice');
    const nt = await api(a, 'POST', '/api/v1/boards/1/threads', { title: '多节点主题', body: '一楼' }, tok);
    assert.equal(nt.status, 201, nt.text);
    const tpath = `/t/${nt.json.tid}`;
    for (let t = Date.now(); Date.now() - t < 2000;) if ((await get(b + tpath)).status === 200) break;
    await get(b + tpath);
    assert.equal(footerOf((await get(b + tpath)).text).cache, true, 'node B has the thread cached');
    const rep = await api(a, 'POST', `/api/v1/threads/${nt.json.tid}/posts`, { body: '节点A的回复' }, tok);
    assert.equal(rep.status, 201, rep.text);
    let shown = false;
    const t1 = Date.now();
    while (!shown && Date.now() - t1 < 5000) shown = (await get(b + tpath)).text.includes('节点A的回复');
    assert.ok(shown, 'node B shows node A\'s reply');

    // views on both nodes add up
    const before = await viewsInDb(f.db, 2);
    for (let i = 0; i < 3; i++) assert.equal((await get(a + '/t/2')).status, 200);
    for (let i = 0; i < 4; i++) assert.equal((await get(b + '/t/2')).status, 200);

    // load on B while A stops
    let stopLoad = false, bErrors = [], bCount = 0;
    const load = (async () => {
      while (!stopLoad) {
        for (const p of ['/', '/t/1', '/f/1', '/t/1?page=1']) {
          try {
            const res = await get(b + p);
            if (res.status !== 200) bErrors.push(`${p}: ${res.status}`);
            bCount++;
          } catch (e) {
            bErrors.push(`${p}: ${e.message}`);
          }
        }
      }
    })();
    const loadA = (async () => {
      for (let i = 0; i < 50; i++) { try { await get(a + '/t/1'); } catch { break; } }
    })();
    await new Promise((res) => setTimeout(res, 150));
    f.proc.kill('SIGTERM');
    const exitA = await f.proc.exited;
    assert.equal(exitA.code, 0, `node A exit after SIGTERM: ${f.stderr()}`);
    await loadA;
    const countAtStop = bCount;
    await new Promise((res) => setTimeout(res, 300));
    stopLoad = true;
    await load;
    assert.deepEqual(bErrors, [], 'node B answered every request');
    assert.ok(bCount > countAtStop, 'node B kept serving after A stopped');

    await nodeB.stop();   // flushes B's views
    const after = await viewsInDb(f.db, 2);
    assert.equal(after, before + 3 + 4, `views before ${before}, after ${after}`);
  } catch (e) {
    failure = e;
  }
  try {
    await f.stop();
  } catch (e) {
    if (!failure) throw e;
    failure.message += `\n(and stop() failed too: ${e.message})`;
  }
  if (failure) throw failure;
});

test('a node whose listener connection drops flushes its cache and listens again', { skip }, async () => {
  const f = await startForum({ demo: true });
  let failure = null;
  try {
    await get(f.url + '/');
    assert.equal(footerOf((await get(f.url + '/')).text).cache, true);
    const name = new URL(f.db).pathname.slice(1);
    await psql(PG, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity ` +
      `WHERE datname = '${name}' AND query LIKE 'LISTEN%'`);
    let flushed = false;
    for (let t0 = Date.now(); Date.now() - t0 < 3000 && !flushed;) {
      flushed = footerOf((await get(f.url + '/')).text).cache === false;
      if (!flushed) await new Promise((res) => setTimeout(res, 50));
    }
    assert.ok(flushed, 'the cache was dropped after the listener lost its connection');
    // listening again: a change is still seen
    await new Promise((res) => setTimeout(res, 500));   // let the listener reconnect
    await get(f.url + '/');
    assert.equal(footerOf((await get(f.url + '/')).text).cache, true, 'cached again once reconnected');
    const r = await f.run(['board', 'add', '--name', '重连后版块']);
    assert.equal(r.code, 0, r.stderr);
    let seen = false;
    for (let t0 = Date.now(); Date.now() - t0 < 3000 && !seen;) {
      seen = (await get(f.url + '/')).text.includes('重连后版块');
    }
    assert.ok(seen, 'a change after the reconnect is seen');
  } catch (e) {
    failure = e;
  }
  try {
    await f.stop();
  } catch (e) {
    if (!failure) throw e;
    failure.message += `\n(and stop() failed too: ${e.message})`;
  }
  if (failure) throw failure;
});
