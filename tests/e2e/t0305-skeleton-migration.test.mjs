// t0305: migration 5 on a forum that predates look-alike checks. Two members
// whose names share a UTS #39 skeleton ("admin" and "admın", dotless ı) were
// both allowed before; the migration fills member.name_skeleton for every row,
// keeps both members (the later one's skeleton gets a "|uid" suffix, so the
// unique index holds), and afterwards a new look-alike name is refused.
// The old forum is made by this loulan stopped after migration 4
// (LOULAN_MIGRATE_TO=4), as an older release left it.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Client, get, exec, loulanBin, spawnServe, psql, withDbName, assertNoSanitizer, register, login, sql } from './lib.mjs';

const PW = 'correct horse 1';

test('colliding members from before the check survive migration 5; new look-alikes are refused', async () => {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-e2e-'));
  const forum = { dir, db: null };
  const storage = ['--data', dir];
  if (process.env.LOULAN_TEST_PG) {
    const name = `loulan_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    await psql(process.env.LOULAN_TEST_PG, `CREATE DATABASE "${name}"`);
    forum.db = withDbName(process.env.LOULAN_TEST_PG, name);
    storage.push('--db', forum.db);
  }
  const cli = async (args, { input, old = false } = {}) => {
    const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' };
    if (old) env.LOULAN_MIGRATE_TO = '4';
    const r = await exec(loulanBin(), [...args, ...storage], { input, env });
    assertNoSanitizer(r.stderr, `loulan ${args.join(' ')}`);
    assert.equal(r.code, 0, `loulan ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  let node = null;
  try {
    // the forum as a release with schema 4 made it, with look-alike members it let in; admin's
    // password hash is made by this loulan's `user add` in a scratch forum (same argon2id format)
    await cli(['init'], { old: true });
    const scratch = path.join(dir, 'scratch');
    const mk = await exec(loulanBin(), ['init', '--data', scratch]);
    assert.equal(mk.code, 0, mk.stderr);
    const add = await exec(loulanBin(), ['user', 'add', '--data', scratch, '--name', 'admin', '--admin'], { input: `${PW}\n` });
    assert.equal(add.code, 0, add.stderr);
    const hash = execFileSync('sqlite3', [path.join(scratch, 'loulan.db'), "SELECT pwhash FROM member WHERE username = 'admin'"],
      { encoding: 'utf8' }).trim();
    assert.match(hash, /^\$argon2id\$/);
    await sql(forum, "INSERT INTO member(username, username_key, pwhash, groupid, adminid, regdate) VALUES " +
      `('admin', 'admin', '${hash}', 1, 1, 1), ` +
      "('adm\u0131n', 'adm\u0131n', '', 10, 0, 1), ('ADRNIN', 'adrnin', '', 10, 0, 2), ('小明', '小明', '', 10, 0, 3)");
    // any command migrates the database
    await cli(['board', 'add', '--name', '迁移版']);
    node = await spawnServe(loulanBin(), storage, 2, ['--quiet']);
    // every member is still there, and the first one still logs in
    const names = [];
    for (let uid = 1; uid <= 4; uid++) {
      const r = await get(`${node.url}/api/v1/users/${uid}`);
      assert.equal(r.status, 200, `uid ${uid}: ${r.text}`);
      names.push(r.json().username);
    }
    assert.deepEqual(names, ['admin', 'adm\u0131n', 'ADRNIN', '小明']);
    assert.equal((await login(new Client(node.url), 'admin', PW)).status, 303);
    // a new name whose skeleton is theirs ("rn" + dotless ı) is refused as taken; a new name is not
    for (const username of ['adrn\u0131n', 'ADM\u0131N']) {
      const r = await register(new Client(node.url), { username, email: `${Math.random()}@example.com`, password: PW });
      assert.equal(r.status, 409, `${username}: ${r.status}`);
    }
    const ok = await register(new Client(node.url), { username: 'newcomer', email: 'new@example.com', password: PW });
    assert.equal(ok.status, 303);
  } finally {
    if (node) await node.stop();
    await fs.promises.rm(dir, { recursive: true, force: true });
    if (forum.db) await psql(process.env.LOULAN_TEST_PG, `DROP DATABASE IF EXISTS "${new URL(forum.db).pathname.slice(1)}" WITH (FORCE)`);
  }
});

test('LOULAN_MIGRATE_TO out of range is refused', async () => {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-e2e-'));
  try {
    const r = await exec(loulanBin(), ['init', '--data', dir], { env: { ...process.env, LOULAN_MIGRATE_TO: '9999' } });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /LOULAN_MIGRATE_TO/);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
});
