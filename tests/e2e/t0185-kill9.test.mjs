// t0185: kill -9 during a reply stream loses no acknowledged reply. Each
// round starts a node on the forum, streams replies from four members through
// the API (LANES requests in flight at once: the writer thread commits them in
// batches, issue 16 group commit; an acknowledgement leaves only after its
// batch's COMMIT), kills the node with SIGKILL at a random moment while requests are
// in flight, and starts the next node on the same data: every reply answered
// 201 before the kill is stored, floors are 1..N with no gap and no
// duplicate, every counter equals the rows, and (SQLite) the database passes
// its integrity check. A reply whose request was cut by the kill may or may
// not be stored; it is never stored twice or half. ROUNDS rounds; the figures
// go to docs/RELIABILITY.md.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { withForum, spawnServe, loulanBin, PW, apiToken, api, allFloors, checkCounters, addBoard } from './lib.mjs';

const ROUNDS = 5;
const LANES = 32;   // concurrent requests: batches of many replies per COMMIT
const names = ['k1', 'k2', 'k3', 'k4'];

/** Replies with `lanes` requests in flight until the server dies; acked: pids answered 201. */
function replyStream(url, tid, tokens, lanes = 4, tag = 0) {
  const acked = [];
  const refused = [];
  const words = new Map();   // pid -> the word only its body has
  let running = true;
  let n = 0;
  const lane = async (k) => {
    while (running) {
      const i = n++;
      let r;
      try {
        r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `断电测试 ${i} kw${tag}x${i}kw` }, tokens[(k + i) % tokens.length]);
      } catch {
        return;   // the connection died with the server: not acknowledged
      }
      if (r.status === 201) {
        acked.push(r.json.pid);
        words.set(r.json.pid, `kw${tag}x${i}kw`);
      }
      else refused.push(`${r.status} ${r.text}`);
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, (_, k) => lane(k)));
  return {
    acked, refused, words,
    async until(count) { while (acked.length < count && !refused.length) await new Promise((r) => setTimeout(r, 5)); },
    async stop() { running = false; await done; },
  };
}

test(`kill -9 during a reply stream, ${ROUNDS} rounds: every acknowledged reply survives, floors and counters stay whole`,
  { timeout: 600000 }, async () => {
    await withForum({ demo: false, users: names.map((name) => ({ name, password: PW })),
      config: { 'post.flood_seconds': 0 } }, async (forum) => {
      const fid = await addBoard(forum, ['--name', '断电']);
      const tokens = [];
      for (const n of names) tokens.push(await apiToken(forum.url, n));
      const t = await api(forum.url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '断电测试', body: '开始' }, tokens[0]);
      assert.equal(t.status, 201, t.text);
      const tid = t.json.tid;
      const storage = ['--data', forum.dir, ...(forum.db ? ['--db', forum.db] : [])];
      const acked = [];
      let node = await spawnServe(loulanBin(), storage, 4, ['--quiet']);
      try {
        for (let round = 1; round <= ROUNDS; round++) {
          const stream = replyStream(node.url, tid, tokens, LANES, round);
          await stream.until(20 + Math.floor(Math.random() * 200));
          node.proc.kill('SIGKILL');
          const ex = await node.exited;
          assert.equal(ex.signal, 'SIGKILL', `round ${round}: the node was killed`);
          await stream.stop();
          assert.deepEqual(stream.refused, [], `round ${round}: no reply refused before the kill`);
          acked.push(...stream.acked);
          if (!forum.db) {
            const ic = execFileSync('sqlite3', [path.join(forum.dir, 'loulan.db'), 'PRAGMA integrity_check'],
              { encoding: 'utf8' });
            assert.equal(ic.trim(), 'ok', `round ${round}: integrity_check`);
          }
          node = await spawnServe(loulanBin(), storage, 4, ['--quiet']);
          const { thread, floors } = await allFloors(node.url, tid);
          const pids = floors.map((f) => f.pid);
          assert.equal(new Set(pids).size, pids.length, `round ${round}: no reply stored twice`);
          const have = new Set(pids);
          assert.deepEqual(acked.filter((pid) => !have.has(pid)), [], `round ${round}: every acknowledged reply is stored`);
          assert.deepEqual(floors.map((f) => f.position), Array.from({ length: floors.length }, (_, i) => i + 1),
            `round ${round}: floors 1..N, no gap`);
          assert.equal(thread.replies, floors.length - 1, `round ${round}: the thread's reply count`);
          await checkCounters(node.url, [fid], names);
          // the search index of the last acknowledged replies (SQLite: search_pending, written with the reply,
          // indexed by the writer later or before a search): the kill lost none
          for (const pid of stream.acked.slice(-3)) {
            const q = stream.words.get(pid);
            const found = await api(node.url, 'GET', `/api/v1/search?q=${q}`);
            assert.equal(found.status, 200, found.text);
            assert.deepEqual(found.json.results.map((x) => x.pid), [pid], `round ${round}: ${q} is found, once`);
          }
        }
      } finally {
        if (node.proc.exitCode === null && node.proc.signalCode === null) await node.stop();
      }
      assert.ok(acked.length >= ROUNDS * 20, `${acked.length} replies acknowledged across ${ROUNDS} kills`);
    });
  });
