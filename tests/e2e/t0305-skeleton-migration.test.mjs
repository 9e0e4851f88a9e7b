// t0305: migration 5 on a forum that predates look-alike checks. Two members
// whose names share a UTS #39 skeleton ("admin" and "admın", dotless ı) were
// both allowed before; the migration fills member.name_skeleton for every row,
// keeps both members (the later one's skeleton gets a "|uid" suffix, so the
// unique index holds), and afterwards a new look-alike name is refused.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, get } from './lib.mjs';
import { register, login } from './accounts.mjs';
import { sql, addBoard } from './posting-lib.mjs';

const PW = 'correct horse 1';
let forum;
before(async () => {
  forum = await startForum({ demo: false, users: [{ name: 'admin', password: PW, admin: true }] });
});
after(async () => { await forum?.stop(); });

test('colliding members from before the check survive migration 5; new look-alikes are refused', async () => {
  // back to schema 4 (undoing the later migrations too: 6, attachments), then a look-alike member
  // as an old version could register it; first let the running server's background pass (one tick
  // after start: it prepares its statements on these tables) happen, so it does not meet them gone
  await new Promise((res) => setTimeout(res, 1000));
  await sql(forum, 'DROP TABLE avatar; DROP TABLE attachment; DROP TABLE blob_chunk; DROP TABLE blob; ' +
    'DROP INDEX member_skeleton; DROP TABLE login_device; ALTER TABLE member DROP COLUMN name_skeleton; ' +
    'DELETE FROM migration WHERE version >= 5');
  await sql(forum, "INSERT INTO member(username, username_key, groupid, regdate) VALUES " +
    "('adm\u0131n', 'adm\u0131n', 10, 1), ('ADRNIN', 'adrnin', 10, 2), ('小明', '小明', 10, 3)");
  // any command migrates the database
  await addBoard(forum, ['--name', '迁移版']);
  const node = await forum.startNode();
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
});
