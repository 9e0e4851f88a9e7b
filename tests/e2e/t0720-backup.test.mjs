// t0720: a backup taken while replies stream in is consistent. Replies are
// posted without pause by several members; the ids acknowledged (201) before
// the backup starts are recorded; the backup runs while replies go on; it is
// restored into a new place and served: the database passes its integrity
// check, every counter equals the rows, and every reply acknowledged before
// the backup began is there. SQLite: `loulan backup` / `loulan restore`
// (and restore's refusals: a forum in the way, truncated, not gzip, not a
// database). PostgreSQL: pg_dump -Fc / pg_restore into a fresh database.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { withForum, spawnServe, loulanBin, exec, psql, withDbName, assertNoSanitizer, PW, apiToken, api, allFloors, checkCounters, addBoard } from './lib.mjs';

const names = ['b1', 'b2', 'b3', 'b4'];
const PG_BIN = '/usr/lib/postgresql/15/bin';
const BEFORE = 40;       // replies acknowledged before the backup starts
const AFTER = 20;        // replies acknowledged after it ends, before the stream stops
const pg = !!process.env.LOULAN_TEST_PG;

/** Posts replies with `lanes` requests in flight until stop(); acked holds {pid, at} in ack order. */
function replyStream(url, tid, tokens, lanes = 4) {
  const acked = [];
  const failures = [];
  let running = true;
  let n = 0;
  const lane = async (k) => {
    while (running) {
      const i = n++;
      const r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `流 ${i}` }, tokens[(k + i) % tokens.length]);
      if (r.status === 201) acked.push(r.json.pid);
      else failures.push(`${r.status} ${r.text}`);
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, (_, k) => lane(k)));
  return {
    acked, failures,
    async until(count) { while (acked.length < count && !failures.length) await new Promise((r) => setTimeout(r, 20)); },
    async stop() { running = false; await done; },
  };
}

/** Checks the restored forum served at url: counters, and every pid of `mustHave` present. */
async function checkRestored(url, fid, tid, mustHave, maxFloors) {
  await checkCounters(url, [fid], names);
  const { thread, floors } = await allFloors(url, tid);
  const pids = new Set(floors.map((f) => f.pid));
  const missing = mustHave.filter((pid) => !pids.has(pid));
  assert.deepEqual(missing, [], 'replies acknowledged before the backup began are all restored');
  assert.equal(thread.replies, floors.length - 1);
  assert.ok(floors.length <= maxFloors, `restored ${floors.length} floors, at most ${maxFloors} were ever written`);
  assert.deepEqual(floors.map((f) => f.position), Array.from({ length: floors.length }, (_, i) => i + 1), 'floors 1..N, no gap');
  return floors.length;
}

test('a backup during a reply stream restores with every acknowledged reply and consistent counters',
  { timeout: 300000 }, async () => {
    await withForum({ demo: false, workers: 4, users: names.map((name) => ({ name, password: PW })),
      config: { 'post.flood_seconds': 0 } }, async (forum) => {
      const fid = await addBoard(forum, ['--name', '备份']);
      const tokens = [];
      for (const n of names) tokens.push(await apiToken(forum.url, n));
      const t = await api(forum.url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '备份中回复', body: '开始' }, tokens[0]);
      assert.equal(t.status, 201, t.text);
      const tid = t.json.tid;

      const stream = replyStream(forum.url, tid, tokens);
      const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-backup-'));
      let restoredDb = null;
      try {
        await stream.until(BEFORE);
        const before = [...stream.acked];       // acknowledged before the backup starts
        const file = path.join(tmp, pg ? 'forum.dump' : 'forum.db.gz');
        const r = pg
          ? await exec(path.join(PG_BIN, 'pg_dump'), ['-Fc', '-f', file, forum.db])
          : await forum.run(['backup', '--to', file]);
        assert.equal(r.code, 0, r.stderr);
        const during = stream.acked.length;
        await stream.until(during + AFTER);     // writes went on during and after the backup
        await stream.stop();
        assert.deepEqual(stream.failures, [], 'every reply of the stream was accepted');
        const total = stream.acked.length + 1;

        const dir2 = path.join(tmp, 'restored');
        const storage = ['--data', dir2];
        if (pg) {
          restoredDb = withDbName(process.env.LOULAN_TEST_PG, `${new URL(forum.db).pathname.slice(1)}_r`);
          await psql(process.env.LOULAN_TEST_PG, `CREATE DATABASE "${new URL(restoredDb).pathname.slice(1)}"`);
          const pr = await exec(path.join(PG_BIN, 'pg_restore'), ['--no-owner', '-d', restoredDb, file]);
          assert.equal(pr.code, 0, pr.stderr);
          fs.mkdirSync(dir2);
          storage.push('--db', restoredDb);
        } else {
          const rr = await exec(loulanBin(), ['restore', '--from', file, '--data', dir2]);
          assertNoSanitizer(rr.stderr, 'loulan restore');
          assert.equal(rr.code, 0, rr.stderr);
          const ic = execFileSync('sqlite3', [path.join(dir2, 'loulan.db'), 'PRAGMA integrity_check'], { encoding: 'utf8' });
          assert.equal(ic.trim(), 'ok');
        }
        const node = await spawnServe(loulanBin(), storage, 2, ['--quiet']);
        try {
          const n = await checkRestored(node.url, fid, tid, before, total);
          assert.ok(n >= before.length + 1);
          assert.ok(n < total, "the backup is a snapshot: replies acknowledged after it are not in it");
        } finally {
          await node.stop();
        }
        // the live forum has everything
        await checkRestored(forum.url, fid, tid, stream.acked, total);
      } finally {
        await stream.stop();
        if (restoredDb) await psql(process.env.LOULAN_TEST_PG, `DROP DATABASE IF EXISTS "${new URL(restoredDb).pathname.slice(1)}" WITH (FORCE)`);
        await fs.promises.rm(tmp, { recursive: true, force: true });
      }
    });
  });

test('restore refuses a forum in the way, and damaged or foreign files, leaving the data dir as it was',
  { skip: pg && 'SQLite only (PostgreSQL: pg_restore)' }, async () => {
    await withForum({ demo: true }, async (forum) => {
      const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-backup-'));
      try {
        const file = path.join(tmp, 'f.gz');
        const r = await forum.run(['backup', '--to', file]);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(fs.readdirSync(tmp), ['f.gz'], 'no temporary file left beside the backup');
        assert.deepEqual([...fs.readFileSync(file).subarray(0, 2)], [0x1f, 0x8b], 'gzip');
        const bin = loulanBin();
        const run = async (args) => {
          const x = await exec(bin, args);
          assertNoSanitizer(x.stderr, `loulan ${args.join(' ')}`);
          return x;
        };
        // a forum in the way
        let x = await run(['restore', '--from', file, '--data', forum.dir]);
        assert.equal(x.code, 1);
        assert.match(x.stderr, /--force/);
        // damaged or foreign files: refused, nothing left in the target
        const bytes = fs.readFileSync(file);
        const other = path.join(tmp, 'other.db');
        execFileSync('sqlite3', [other, 'CREATE TABLE x(a); INSERT INTO x VALUES (1)']);
        const bad = {
          truncated: bytes.subarray(0, Math.floor(bytes.length / 2)),
          'not gzip': Buffer.from('SQLite format 3\0 but not gzip'),
          'gzip, not a database': gzipSync(Buffer.alloc(8192, 7)),
          'gzip, a database but not a forum': gzipSync(fs.readFileSync(other)),
          'empty gzip': gzipSync(Buffer.alloc(0)),
        };
        for (const [what, content] of Object.entries(bad)) {
          const f = path.join(tmp, 'bad.gz');
          fs.writeFileSync(f, content);
          const d = path.join(tmp, 'target');
          x = await run(['restore', '--from', f, '--data', d]);
          assert.equal(x.code, 1, `${what}: ${x.stderr}`);
          assert.match(x.stderr, /restore failed/, what);
          assert.deepEqual(fs.existsSync(d) ? fs.readdirSync(d) : [], [], `${what}: nothing left in the target`);
        }
        // --force replaces a forum (the server is stopped first), atomically
        x = await run(['restore', '--from', file, '--data', path.join(tmp, 'fresh')]);
        assert.equal(x.code, 0, x.stderr);
        x = await run(['restore', '--from', file, '--data', path.join(tmp, 'fresh'), '--force']);
        assert.equal(x.code, 0, x.stderr);
        assert.deepEqual(fs.readdirSync(path.join(tmp, 'fresh')), ['loulan.db']);
        // usage errors
        x = await run(['backup', '--data', forum.dir]);
        assert.equal(x.code, 2);
        x = await run(['backup', '--db', 'postgres://nobody@127.0.0.1:1/x', '--to', file]);
        assert.equal(x.code, 2);
        assert.match(x.stderr, /pg_dump/);
      } finally {
        await fs.promises.rm(tmp, { recursive: true, force: true });
      }
    });
  });
