// t0190: group commit (issue 16; pages/batch.c). Replies, new threads, likes, ratings and
// favourites run on the writer thread, which commits the jobs waiting at that moment in one
// transaction. Many concurrent replies are all acknowledged, land on floors 1..N with no gap
// and each writer's redirect shows its own reply; replies to a closed thread sent among them
// answer their own 403 while their batch-mates succeed and leave no trace; /metrics counts
// batches and jobs, and under concurrency a batch holds more than one job; SIGTERM with jobs
// queued answers every one of them and loses none.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, withForum, spawnServe, loulanBin, get, csrfOf, PW, webLogin, apiToken, api, allFloors, checkCounters, sql, sqlValue,
  addBoard, boardCounts } from './lib.mjs';

const names = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8'];
const CONCURRENT = 200;   // replies in flight at once
let forum, url, fid, tokens, clients;

before(async () => {
  forum = await startForum({ demo: false, users: names.map((name) => ({ name, password: PW })),
    config: { 'post.flood_seconds': 0 }, serveArgs: ['--max-per-ip', '1000'] });
  url = forum.url;
  fid = await addBoard(forum, ['--name', '合并提交']);
  tokens = [];
  for (const n of names) tokens.push(await apiToken(url, n));
  clients = [];
  for (const n of names) clients.push(await webLogin(url, n));
});
after(async () => { if (forum) await forum.stop(); });

async function metric(name) {
  const t = (await get(`${url}/metrics`)).text;
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(t);
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}
const counters = async () => ({ batches: await metric('loulan_write_batches_total'),
  jobs: await metric('loulan_write_jobs_total'), undone: await metric('loulan_write_jobs_undone_total'),
  failed: await metric('loulan_write_commit_failed_total') });

test(`${CONCURRENT} concurrent API replies, closed-thread replies among them: all acknowledged, gapless, `
  + 'the refused ones answer 403 alone and leave nothing', async () => {
  const open = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '热帖', body: '楼主' }, tokens[0]);
  assert.equal(open.status, 201, open.text);
  const closed = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '已关闭', body: '楼主' }, tokens[0]);
  assert.equal(closed.status, 201, closed.text);
  await sql(forum, `UPDATE thread SET closed = 1 WHERE tid = ${closed.json.tid}`);
  const c0 = await counters();
  const jobs = [];
  for (let i = 0; i < CONCURRENT; i++) {
    jobs.push(api(url, 'POST', `/api/v1/threads/${open.json.tid}/posts`, { body: `合并 ${i}` }, tokens[i % tokens.length])
      .then((r) => ({ kind: 'open', i, r })));
    if (i % 10 === 5) {   // one in ten goes to the closed thread, sent among the others
      jobs.push(api(url, 'POST', `/api/v1/threads/${closed.json.tid}/posts`, { body: `关闭 ${i}` }, tokens[(i + 1) % tokens.length])
        .then((r) => ({ kind: 'closed', i, r })));
    }
  }
  const res = await Promise.all(jobs);
  const oks = res.filter((x) => x.kind === 'open');
  const refused = res.filter((x) => x.kind === 'closed');
  for (const { i, r } of oks) assert.equal(r.status, 201, `reply ${i}: ${r.text}`);
  for (const { i, r } of refused) {
    assert.equal(r.status, 403, `closed-thread reply ${i}: ${r.text}`);
    assert.match(r.json.error.message, /关闭/);
  }
  const { thread, floors } = await allFloors(url, open.json.tid);
  assert.equal(floors.length, CONCURRENT + 1, 'every acknowledged reply is stored');
  assert.deepEqual(floors.map((f) => f.position), Array.from({ length: CONCURRENT + 1 }, (_, i) => i + 1), 'floors 1..N, no gap');
  assert.deepEqual(new Set(oks.map((x) => x.r.json.pid)), new Set(floors.slice(1).map((f) => f.pid)), 'the acknowledged pids');
  assert.equal(thread.replies, CONCURRENT);
  const shut = await allFloors(url, closed.json.tid);
  assert.equal(shut.floors.length, 1, 'the refused replies left no floor');
  assert.equal(shut.thread.replies, 0, 'nor a count');
  assert.equal(Number(await sqlValue(forum, `SELECT maxposition FROM thread WHERE tid = ${closed.json.tid}`)), 1,
    'nor a floor number taken');
  // the search index: PostgreSQL writes it once per batch, before its COMMIT; SQLite notes each post in
  // search_pending with its job and the writer indexes them later (every 100 ms) or before a search reads
  // the index. Every stored floor once, nothing refused.
  const indexed = (tid) => sqlValue(forum, forum.db
    ? `SELECT COUNT(*) FROM search_doc WHERE pid IN (SELECT pid FROM post WHERE tid = ${tid})`
    : `SELECT COUNT(*) FROM search_fts_docsize WHERE id IN (SELECT pid FROM post WHERE tid = ${tid})`);
  if (!forum.db) {   // one statement, one snapshot: a drain may commit between two
    const both = await sqlValue(forum, `SELECT (SELECT COUNT(*) FROM search_pending WHERE pid IN (SELECT pid FROM post `
      + `WHERE tid = ${open.json.tid})) + (SELECT COUNT(*) FROM search_fts_docsize WHERE id IN (SELECT pid FROM post `
      + `WHERE tid = ${open.json.tid}))`);
    assert.equal(Number(both), CONCURRENT + 1, 'each reply indexed or waiting, once');
  }
  const found = await api(url, 'GET', `/api/v1/search?q=${encodeURIComponent('合并 137')}`);
  assert.equal(found.status, 200, found.text);
  assert.ok(JSON.stringify(found.json).includes(`"pid":${oks.find((x) => x.i === 137).r.json.pid}`),
    'a reply of the batch is found by search');
  assert.equal(Number(await indexed(open.json.tid)), CONCURRENT + 1, 'each reply in the search index once');
  assert.equal(Number(await indexed(closed.json.tid)), 1, 'no refused reply in the search index');
  if (!forum.db) assert.equal(Number(await sqlValue(forum, 'SELECT COUNT(*) FROM search_pending')), 0,
    'a search found nothing left waiting');
  await checkCounters(url, [fid], names);
  const c1 = await counters();
  const batches = c1.batches - c0.batches, ran = c1.jobs - c0.jobs;
  assert.ok(ran >= oks.length + refused.length, `the writer ran every reply (${ran})`);
  assert.ok(batches > 0, 'batches were committed');
  assert.ok(ran / batches > 1, `batches held more than one job under concurrency (${ran} jobs in ${batches} batches)`);
  assert.equal(c1.undone - c0.undone, 0, 'a refusal is its own rollback, not an undone job');
  assert.equal(c1.failed - c0.failed, 0, 'no COMMIT failed');
});

// A batch's board and day counters are written once per board and day at its end (forum_counts_flush):
// replies and new threads on two boards at once, in batches, leave each board's threads, posts, 今日
// and last post exactly as one write at a time would, and the site's 今日 counts every one of them.
test('concurrent replies and new threads on two boards: board and day counters exact, last post the newest', async () => {
  const other = await addBoard(forum, ['--name', '合并提交二']);
  const ta = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '计数甲', body: '楼主' }, tokens[0]);
  const tb = await api(url, 'POST', `/api/v1/boards/${other}/threads`, { title: '计数乙', body: '楼主' }, tokens[1]);
  assert.equal(ta.status, 201, ta.text);
  assert.equal(tb.status, 201, tb.text);
  const today = async () => Number(/今日: <em>(\d+)<\/em>/.exec((await get(`${url}/`)).text)?.[1]);
  const a0 = await boardCounts(url, fid), b0 = await boardCounts(url, other), s0 = await today();
  const day0 = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);   // Asia/Shanghai
  const c0 = await counters();
  const jobs = [];
  for (let i = 0; i < 60; i++)
    jobs.push(api(url, 'POST', `/api/v1/threads/${ta.json.tid}/posts`, { body: `甲 ${i}` }, tokens[i % tokens.length]));
  for (let i = 0; i < 40; i++)
    jobs.push(api(url, 'POST', `/api/v1/threads/${tb.json.tid}/posts`, { body: `乙 ${i}` }, tokens[(i + 3) % tokens.length]));
  for (let i = 0; i < 20; i++)
    jobs.push(api(url, 'POST', `/api/v1/boards/${other}/threads`, { title: `乙新帖 ${i}`, body: '新' }, tokens[(i + 5) % tokens.length]));
  const rs = await Promise.all(jobs);
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const c1 = await counters();
  assert.ok((c1.jobs - c0.jobs) / (c1.batches - c0.batches) > 1, 'batches held more than one job');
  const a1 = await boardCounts(url, fid), b1 = await boardCounts(url, other), s1 = await today();
  assert.equal(a1.posts - a0.posts, 60);
  assert.equal(a1.threads - a0.threads, 0);
  assert.equal(b1.posts - b0.posts, 60);
  assert.equal(b1.threads - b0.threads, 20);
  if (new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) === day0) {   // not across midnight
    assert.equal(a1.todayposts - a0.todayposts, 60, 'board 今日');
    assert.equal(b1.todayposts - b0.todayposts, 60, 'board 今日');
    assert.equal(s1 - s0, 120, "the site's 今日");
  }
  await checkCounters(url, [fid, other], names);
  // the last post of each board is its newest thread's (the board lists its threads by last post).
  // Times are in seconds: threads written in the same second tie, the list puts the higher tid first
  // (the tied one may even be on page 2) and the board names the one written last, so the board's
  // thread has the newest last post, not necessarily the list's first row.
  for (const [b, f] of [[a1, fid], [b1, other]]) {
    const threads = (await api(url, 'GET', `/api/v1/boards/${f}/threads`)).json.threads.filter((t) => !t.sticky);
    assert.equal(b.lastpost, threads[0].lastpost, `board ${f}'s last post time`);
    assert.equal(Number(await sqlValue(forum, `SELECT lastpost FROM thread WHERE tid = ${b.lasttid}`)), threads[0].lastpost,
      `board ${f}'s last thread ${b.lasttid} has the newest last post`);
    // and exactly the thread of the board's last floor written (the highest pid)
    const lastWritten = Number(await sqlValue(forum, `SELECT tid FROM post WHERE fid = ${f} ORDER BY pid DESC LIMIT 1`));
    assert.equal(b.lasttid, lastWritten, `board ${f}'s last thread is its last floor's`);
  }
});

// The writer keeps each job's savepoint journal (the pages it would put back) in one buffer of
// DB_SUBJOURNAL_SPILL (256 KiB, db_sqlite.c) and in a temporary file past it. A reply journals ~80 KiB, so
// the file is rare: LOULAN_TEST_SUBJOURNAL_SPILL=4096 sends every job's journal there. Replies refused
// half-way (a closed thread) are put back from it, among accepted ones in the same batches.
test('SQLite: savepoint journals in a temporary file: refused replies put back, accepted ones gapless', async (t) => {
  if (process.env.LOULAN_TEST_PG) return t.skip('SQLite only');
  process.env.LOULAN_TEST_SUBJOURNAL_SPILL = '4096';
  try {
    await withForum({ demo: false, users: names.slice(0, 4).map((name) => ({ name, password: PW })),
      config: { 'post.flood_seconds': 0 }, serveArgs: ['--max-per-ip', '1000'] }, async (f) => {
      const fb = await addBoard(f, ['--name', '日志溢出']);
      const toks = [];
      for (const n of names.slice(0, 4)) toks.push(await apiToken(f.url, n));
      const open = await api(f.url, 'POST', `/api/v1/boards/${fb}/threads`, { title: '溢出', body: '楼主' }, toks[0]);
      const closed = await api(f.url, 'POST', `/api/v1/boards/${fb}/threads`, { title: '溢出关闭', body: '楼主' }, toks[0]);
      assert.equal(open.status, 201, open.text);
      assert.equal(closed.status, 201, closed.text);
      await sql(f, `UPDATE thread SET closed = 1 WHERE tid = ${closed.json.tid}`);
      const jobs = [];
      for (let i = 0; i < 60; i++) {
        jobs.push(api(f.url, 'POST', `/api/v1/threads/${open.json.tid}/posts`, { body: `溢出 ${i}` }, toks[i % 4]));
        if (i % 6 === 3) jobs.push(api(f.url, 'POST', `/api/v1/threads/${closed.json.tid}/posts`, { body: `关 ${i}` }, toks[(i + 1) % 4]));
      }
      const rs = await Promise.all(jobs);
      assert.equal(rs.filter((r) => r.status === 201).length, 60, rs.map((r) => r.status).join(' '));
      assert.equal(rs.filter((r) => r.status === 403).length, 10);
      const { thread, floors } = await allFloors(f.url, open.json.tid);
      assert.deepEqual(floors.map((x) => x.position), Array.from({ length: 61 }, (_, i) => i + 1), 'floors 1..61, no gap');
      assert.equal(thread.replies, 60);
      assert.equal(Number(await sqlValue(f, `SELECT maxposition FROM thread WHERE tid = ${closed.json.tid}`)), 1,
        'the refused replies took no floor number');
      assert.equal(Number(await sqlValue(f, `SELECT COUNT(*) FROM post WHERE tid = ${closed.json.tid}`)), 1);
      await checkCounters(f.url, [fb], names.slice(0, 4));
    });
  } finally {
    delete process.env.LOULAN_TEST_SUBJOURNAL_SPILL;
  }
});

test('SQLite: a reply noted in search_pending is indexed within 3 s (SEARCH_DRAIN_MS is 100 ms) with no search asking', async (t) => {
  if (forum.db) return t.skip('PostgreSQL indexes in the batch itself');
  const th = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '索引等待', body: '索引等待 开始' }, tokens[0]);
  assert.equal(th.status, 201, th.text);
  const r = await api(url, 'POST', `/api/v1/threads/${th.json.tid}/posts`, { body: '索引等待 idlewordx' }, tokens[1]);
  assert.equal(r.status, 201, r.text);
  const waiting = async () => Number(await sqlValue(forum, `SELECT COUNT(*) FROM search_pending WHERE pid = ${r.json.pid}`));
  const deadline = Date.now() + 3000;
  while (await waiting() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  assert.equal(await waiting(), 0, 'the writer drained search_pending on its own');
  assert.equal(Number(await sqlValue(forum, `SELECT COUNT(*) FROM search_fts_docsize WHERE id = ${r.json.pid}`)), 1,
    'and indexed the reply');
});

test('SQLite: a search index that cannot be written fails none of its batch\'s writes; the posts wait and a node that can write it indexes them',
  async (t) => {
    if (process.env.LOULAN_TEST_PG) return t.skip('PostgreSQL indexes in the batch itself');
    process.env.LOULAN_TEST_DRAIN_FAIL = '1';   // search_drain fails (its savepoint undone) while this node runs
    try {
      await withForum({ demo: false, users: [{ name: 'd1', password: PW }], config: { 'post.flood_seconds': 0 } }, async (f) => {
        delete process.env.LOULAN_TEST_DRAIN_FAIL;   // for the node started below
        const fb = await addBoard(f, ['--name', '索引故障']);
        const tok = await apiToken(f.url, 'd1');
        const th = await api(f.url, 'POST', `/api/v1/boards/${fb}/threads`, { title: '索引故障', body: '索引故障 开始' }, tok);
        assert.equal(th.status, 201, th.text);
        // 4 lanes for 800 ms: batches keep coming, and every 100 ms one of them holds a drain that fails
        const pids = [];
        const statuses = [];
        const until = Date.now() + 800;
        let n = 0;
        await Promise.all([0, 1, 2, 3].map(async () => {
          while (Date.now() < until) {
            const i = n++;
            const r = await api(f.url, 'POST', `/api/v1/threads/${th.json.tid}/posts`, { body: `索引故障 faultword${i}` }, tok);
            statuses.push(r.status);
            if (r.status === 201) pids[i] = r.json.pid;
          }
        }));
        assert.ok(statuses.length > 8, `replies sent (${statuses.length})`);
        assert.deepEqual(statuses.filter((x) => x !== 201), [], 'every reply acknowledged');
        const { floors } = await allFloors(f.url, th.json.tid);
        assert.equal(floors.length, statuses.length + 1, 'the replies are stored');
        const s1 = await api(f.url, 'GET', '/api/v1/search?q=faultword1');
        assert.equal(s1.status, 200, 'a search still answers');
        assert.equal(Number(await sqlValue(f, `SELECT COUNT(*) FROM search_pending WHERE pid IN (${pids.join(',')})`)),
          statuses.length, 'the replies wait in search_pending');
        assert.match(f.stderr(), /search index not updated/, 'the failure is said');
        const node = await f.startNode();   // a second node on the same data, whose drains work (stopped with f)
        const s2 = await api(node.url, 'GET', '/api/v1/search?q=faultword1');
        assert.deepEqual(s2.json.results.map((x) => x.pid), [pids[1]], 'found once the index can be written');
        assert.equal(Number(await sqlValue(f, 'SELECT COUNT(*) FROM search_pending')), 0, 'nothing left waiting');
      });
    } finally {
      delete process.env.LOULAN_TEST_DRAIN_FAIL;
    }
  });

test('concurrent web replies: each writer\'s redirect shows its own reply at once', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '网页回复', body: '楼主' }, tokens[0]);
  assert.equal(t.status, 201, t.text);
  const tid = t.json.tid;
  const forms = await Promise.all(clients.map((c) => c.get(`/t/${tid}/reply`)));
  const PER = 5;
  const sends = [];
  clients.forEach((c, k) => {
    for (let j = 0; j < PER; j++) {
      const body = `网页合并 ${k}-${j}`;
      sends.push((async () => {
        const r = await c.post(`/t/${tid}/reply`, { csrf: csrfOf(forms[k].text), body });
        assert.equal(r.status, 303, `${body}: ${r.status} ${r.text.slice(0, 300)}`);
        const loc = r.headers.get('location');
        const m = /^\/t\/(\d+)\?page=(\d+)#pid(\d+)$/.exec(loc);
        assert.ok(m, `location ${loc}`);
        const page = await c.get(loc.replace(/#.*/, ''));
        assert.equal(page.status, 200);
        assert.ok(page.text.includes(`id="pid${m[3]}"`) || page.text.includes(`pid${m[3]}`), `${body}: its floor on the page`);
        assert.ok(page.text.includes(body), `${body}: the redirect shows the reply`);
      })());
    }
  });
  await Promise.all(sends);
  const { floors } = await allFloors(url, tid);
  assert.equal(floors.length, clients.length * PER + 1);
  assert.deepEqual(floors.map((f) => f.position), Array.from({ length: floors.length }, (_, i) => i + 1));
});

test('likes and favourites through the writer: concurrent, each counted once', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '点赞', body: '楼主' }, tokens[0]);
  assert.equal(t.status, 201, t.text);
  const others = tokens.slice(1);   // not one's own post
  const likes = await Promise.all(others.map((tok) => api(url, 'POST', `/api/v1/posts/${t.json.pid}/like`, undefined, tok)));
  for (const r of likes) assert.ok(r.status < 300, `like: ${r.status} ${r.text}`);
  const again = await Promise.all(others.map((tok) => api(url, 'POST', `/api/v1/posts/${t.json.pid}/like`, undefined, tok)));
  for (const r of again) assert.ok(r.status < 500, `like again: ${r.status} ${r.text}`);
  assert.equal(Number(await sqlValue(forum, `SELECT COUNT(*) FROM post_like WHERE pid = ${t.json.pid}`)), others.length,
    'one like per member');
  const favs = await Promise.all(tokens.map((tok) => api(url, 'POST', `/api/v1/threads/${t.json.tid}/favorite`, undefined, tok)));
  for (const r of favs) assert.ok(r.status < 300, `favourite: ${r.status} ${r.text}`);
  assert.equal(Number(await sqlValue(forum, `SELECT COUNT(*) FROM favorite WHERE tid = ${t.json.tid}`)), tokens.length,
    'one favourite per member');
});

test('SIGTERM with jobs queued: every request is answered, every acknowledged reply kept, exit 0', { timeout: 120000 },
  async () => {
    const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '停机', body: '楼主' }, tokens[0]);
    assert.equal(t.status, 201, t.text);
    const storage = ['--data', forum.dir, ...(forum.db ? ['--db', forum.db] : [])];
    const node = await spawnServe(loulanBin(), storage, 2, ['--quiet', '--max-per-ip', '1000']);
    let acked = [];
    try {
      const sends = [];
      for (let i = 0; i < CONCURRENT; i++) {
        sends.push(api(node.url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: `停机 ${i}` }, tokens[i % tokens.length])
          .then((r) => r, () => null));   // null: refused at the door once the server stopped listening
      }
      await new Promise((r) => setTimeout(r, 30));
      node.proc.kill('SIGTERM');
      const res = await Promise.all(sends);
      for (const r of res) if (r) assert.equal(r.status, 201, r.text);
      acked = res.filter((r) => r).map((r) => r.json.pid);
      const ex = await node.exited;
      assert.equal(ex.code, 0, `exit 0 after SIGTERM; stderr: ${node.stderr()}`);
    } finally {
      if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill('SIGKILL');
    }
    const { floors } = await allFloors(url, t.json.tid);
    const have = new Set(floors.map((f) => f.pid));
    assert.deepEqual(acked.filter((pid) => !have.has(pid)), [], 'every acknowledged reply is stored');
    assert.deepEqual(floors.map((f) => f.position), Array.from({ length: floors.length }, (_, i) => i + 1));
  });

// CI once caught a node aborting on SIGTERM ("MHD_stop_daemon() called while we have suspended
// connections"): a kept-alive writer's next reply arrived after the drain had counted nothing in
// flight, was deferred to the writer thread, and the library was stopped under it. Several rounds,
// because the window is narrow: kept-alive writers send replies back to back while the node stops.
test('SIGTERM while kept-alive writers keep sending: each connection closes after its answer, exit 0, '
  + 'every acknowledged reply kept', { timeout: 120000 }, async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '连续写入中停机', body: '楼主' }, tokens[0]);
  assert.equal(t.status, 201, t.text);
  const storage = ['--data', forum.dir, ...(forum.db ? ['--db', forum.db] : [])];
  const acked = [];
  for (let round = 0; round < 6; round++) {
    const node = await spawnServe(loulanBin(), storage, 2, ['--quiet', '--max-per-ip', '1000']);
    let stopped = false;
    const afterStop = [];
    try {
      const writers = tokens.map((tok, w) => (async () => {
        let late = 0;
        for (let i = 0; i < 5000; i++) {
          let r;
          try {
            r = await api(node.url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: `第${round}轮 ${w}-${i}` }, tok);
          } catch {
            break;   // the node closed the connection and no longer listens
          }
          if (stopped) late++;
          if (r.status === 201) acked.push(r.json.pid);
          else {
            // once the node's grace is over a request may be refused, never before the stop
            assert.ok(stopped && r.status === 503, `reply answered ${r.status} ${r.text.slice(0, 200)}`);
            assert.equal(r.headers.get('retry-after'), '1');
          }
        }
        afterStop.push(late);
      })());
      await new Promise((res) => setTimeout(res, 150 + 40 * round));
      stopped = true;
      node.proc.kill('SIGTERM');
      await Promise.all(writers);
      const ex = await node.exited;
      assert.equal(ex.code, 0, `round ${round}: exit 0 after SIGTERM; stderr: ${node.stderr()}`);
      // a kept-alive connection is closed after the answer it was given while stopping: a writer
      // gets a few answers after the signal (those already on their way), not a stream of them
      for (const late of afterStop) assert.ok(late <= 10, `round ${round}: ${late} answers after SIGTERM on one connection`);
    } finally {
      if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill('SIGKILL');
    }
  }
  assert.ok(acked.length > 0);
  const { floors } = await allFloors(url, t.json.tid);
  const have = new Set(floors.map((f) => f.pid));
  assert.deepEqual(acked.filter((pid) => !have.has(pid)), [], 'every acknowledged reply is stored');
  assert.deepEqual(floors.map((f) => f.position), Array.from({ length: floors.length }, (_, i) => i + 1));
});
