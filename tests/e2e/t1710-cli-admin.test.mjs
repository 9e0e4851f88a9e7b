// t1710: the CLI an admin expects (issue 17): board list, user list [--group]
// [--search], user passwd, user delete, labelled output (post prints
// "tid=T pid=P floor=N"), an unknown subcommand named as such, English
// messages.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, apiSession, apiToken, api, exec, loulanBin, assertNoSanitizer, PW, postIds } from './lib.mjs';

let forum;
before(async () => {
  forum = await startForum({
    demo: false,
    users: [{ name: 'root', password: PW, admin: true }, { name: 'alice', password: PW }, { name: 'Alfred', password: PW },
      { name: 'bob', password: PW }],
    config: { 'post.flood_seconds': 0 },
  });
  for (const [name, types] of [['闲聊', null], ['问答', '求助,分享']]) {
    const args = ['board', 'add', '--name', name, '--category', '社区'];
    if (types) args.push('--types', types);
    const r = await forum.run(args);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(async () => { await forum?.stop(); });

const CJK = /[\u3400-\u9fff]/;
const lines = (s) => s.trim().split('\n').filter(Boolean);

test('board list: one labelled line per board', async () => {
  const r = await forum.run(['board', 'list']);
  assert.equal(r.code, 0, r.stderr);
  const ls = lines(r.stdout);
  assert.equal(ls.length, 2);
  assert.match(ls[0], /^fid=\d+ name=闲聊 category=社区 threads=0 types=-$/);
  assert.match(ls[1], /^fid=\d+ name=问答 category=社区 threads=0 types=求助,分享$/);
});

test('post prints tid= pid= floor=; board list counts the thread', async () => {
  const fid = /^fid=(\d+)/.exec(lines((await forum.run(['board', 'list'])).stdout)[0])[1];
  const t = await forum.run(['post', '--name', 'alice', '--board', fid, '--subject', '你好'], '第一帖');
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^tid=\d+ pid=\d+ floor=1\n$/);
  const [tid, pid] = postIds(t.stdout);
  const r = await forum.run(['post', '--name', 'bob', '--thread', String(tid)], '回复');
  assert.equal(r.code, 0, r.stderr);
  const [tid2, pid2, floor] = postIds(r.stdout);
  assert.equal(tid2, tid);
  assert.ok(pid2 > pid);
  assert.equal(floor, 2);
  assert.match((await forum.run(['board', 'list'])).stdout, new RegExp(`^fid=${fid} name=闲聊 category=社区 threads=1 `, 'm'));
});

test('user list: every member in uid order; --group and --search filter', async () => {
  const all = await forum.run(['user', 'list']);
  assert.equal(all.code, 0, all.stderr);
  const ls = lines(all.stdout);
  assert.deepEqual(ls.map((l) => /name=(\S+)/.exec(l)[1]), ['root', 'alice', 'Alfred', 'bob']);
  assert.match(ls[0], /^uid=1 name=root group=1 posts=0 threads=0 credits=-?\d+ registered=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  const admins = lines((await forum.run(['user', 'list', '--group', '1'])).stdout);
  assert.deepEqual(admins.map((l) => /name=(\S+)/.exec(l)[1]), ['root']);
  const al = lines((await forum.run(['user', 'list', '--search', 'AL'])).stdout);
  assert.deepEqual(al.map((l) => /name=(\S+)/.exec(l)[1]), ['alice', 'Alfred'], 'a name prefix, any case');
  const none = await forum.run(['user', 'list', '--search', 'zz']);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, '');
  const badGroup = await forum.run(['user', 'list', '--group', '999']);
  assert.equal(badGroup.code, 2);
  assert.match(badGroup.stderr, /no member group 999/);
});

test('user passwd: a new password from stdin; the old no longer logs in; the rules apply', async () => {
  const tok = await apiSession(forum.url, 'bob', PW);
  assert.equal(tok.status, 200);
  const token = tok.json().token;
  const r = await forum.run(['user', 'passwd', '--name', 'bob'], 'a brand new secret\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^bob \(uid \d+\): password changed, sessions logged out\n$/);
  assert.equal((await apiSession(forum.url, 'bob', PW)).status, 401);
  assert.equal((await apiSession(forum.url, 'bob', 'a brand new secret')).status, 200);
  const me = await fetch(forum.url + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 401, 'the old session is gone');
  const short = await forum.run(['user', 'passwd', '--name', 'bob'], 'short\n');
  assert.equal(short.code, 1);
  assert.match(short.stderr, /^loulan: password refused: /);
  const nobody = await forum.run(['user', 'passwd', '--name', 'nobody'], 'whatever long enough\n');
  assert.equal(nobody.code, 1);
  assert.match(nobody.stderr, /no member named nobody/);
  const empty = await forum.run(['user', 'passwd', '--name', 'bob'], '');
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no password on standard input/);
});

test('user delete: the member goes, their posts stay; an admin cannot be deleted', async () => {
  const r = await forum.run(['user', 'delete', '--name', 'alice']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^alice \(uid \d+\): deleted; their posts stay under their name\n$/);
  assert.doesNotMatch((await forum.run(['user', 'list'])).stdout, /name=alice /);
  assert.equal((await apiSession(forum.url, 'alice', PW)).status, 401);
  assert.match((await forum.run(['board', 'list'])).stdout, /threads=1 /, 'her thread stays');
  const again = await forum.run(['user', 'delete', '--name', 'alice']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /no member named alice/);
  const admin = await forum.run(['user', 'delete', '--name', 'root']);
  assert.equal(admin.code, 1);
  assert.match(admin.stderr, /^loulan: cannot delete root: /);
  assert.match((await forum.run(['user', 'list', '--group', '1'])).stdout, /name=root /);
});

test('an unknown subcommand says so and names the family\'s commands; the CLI speaks English', async () => {
  const bin = loulanBin();
  const r = await exec(bin, ['board', 'frobnicate']);
  assertNoSanitizer(r.stderr, 'board frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^loulan: unknown command 'board frobnicate'; the board commands are: add list perm approval/);
  assert.doesNotMatch(r.stderr, /usage: loulan board add/, 'not another command\'s usage');
  const u = await exec(bin, ['user', 'lsit']);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /unknown command 'user lsit'.* list passwd delete/);
  // the CLI's own words are English: every --help, and the family listings
  const helps = [['--help'], ['board', '--help'], ['user', '--help'], ['config', '--help']];
  for (const args of helps) {
    const h = await exec(bin, args);
    assert.equal(h.code, 0);
    for (const line of (h.stdout + h.stderr).split('\n')) {
      // Chinese stays only as the names of things (groups, boards: 禁止发言, 默认分区 ...), after English words
      if (CJK.test(line)) assert.match(line, /[A-Za-z]{3,}/, `an English line: ${line}`);
    }
  }
  const ban = await forum.run(['user', 'ban', '--name', 'bob', '--days', '1']);
  assert.equal(ban.code, 0, ban.stderr);
  assert.doesNotMatch(ban.stdout, CJK, ban.stdout);
  assert.match(ban.stdout, /banned from posting/);
});

// the rules of forum/ speak Chinese on the web and in the API; the CLI prints their English
test('rule errors from forum/ reach the console in English (the web keeps its Chinese)', async () => {
  const english = (r, what, re) => {
    assertNoSanitizer(r.stderr, what);
    assert.equal(r.code, 1, `${what}: exit ${r.code}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, CJK, `${what}: ${r.stderr}`);
    assert.match(r.stderr, re, what);
  };
  // unban a member who is not banned
  english(await forum.run(['user', 'unban', '--name', 'Alfred']), 'user unban', /^loulan: the member is not banned\n$/);
  // post to a board that does not exist
  english(await forum.run(['post', '--name', 'Alfred', '--board', '999999', '--subject', 'x'], 'body'), 'post --board 999999', /^loulan: no such board\n$/);
  english(await forum.run(['board', 'mod', '--fid', '999999', '--name', 'Alfred']), 'board mod --fid 999999', /^loulan: no such board\n$/);
  // reply to a closed thread (closed by an admin through the API)
  const fid = /^fid=(\d+)/.exec(lines((await forum.run(['board', 'list'])).stdout)[0])[1];
  const [tid] = postIds((await forum.run(['post', '--name', 'Alfred', '--board', fid, '--subject', 'closing'], 'first')).stdout);
  const root = await apiToken(forum.url, 'root');
  const c = await api(forum.url, 'POST', `/api/v1/threads/${tid}/moderate`, { action: 'close' }, root);
  assert.equal(c.status, 200, c.text);
  english(await forum.run(['post', '--name', 'Alfred', '--thread', String(tid)], 'late'), 'post --thread (closed)', /^loulan: the thread is closed: no replies\n$/);
  // a user-supplied name stays as given, behind English words
  const d = await forum.run(['user', 'delete', '--name', 'root']);
  assert.equal(d.code, 1);
  assert.match(d.stderr, /^loulan: cannot delete root: [a-z]/);
  assert.doesNotMatch(d.stderr, CJK, d.stderr);
  // the same refusal on the web side is still Chinese
  const alfred = await apiToken(forum.url, 'Alfred');
  const w = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: 'late' }, alfred);
  assert.equal(w.status, 403, w.text);
  assert.match(w.json.error.message, /本主题已关闭/);
});
