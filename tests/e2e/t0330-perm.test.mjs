// t0330: groups and per-board permissions. `loulan board perm` and `loulan
// user group` (CLI); view refusals on the board page, the thread page and the
// index (hidden boards are not listed); 403 with the reason, a login link for
// guests; 禁止访问 sees nothing but login/logout; 禁止发言 can still read.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, csrfOf, get, mustLogin, headerUser, apiSession, me, eventually, threadRows } from './lib.mjs';

const PW = 'correct horse 1';
let forum, fid, tid, otherFid;
before(async () => {
  forum = await startForum({
    demo: true,
    config: { 'post.flood_seconds': '0' },
    users: ['eve', 'mallory', 'vic'].map((name) => ({ name, password: PW })),
  });
  const index = await get(forum.url + '/');
  const fids = [...new Set([...index.text.matchAll(/href="\/f\/(\d+)"/g)].map((m) => Number(m[1])))];
  assert.ok(fids.length >= 2, 'the demo has boards');
  [fid, otherFid] = fids;
  const board = await get(`${forum.url}/f/${fid}`);
  tid = threadRows(board.text).find((r) => r.fid === fid).tid;   // the board's own (not the demo's global sticky)
});
after(async () => { await forum?.stop(); });

const listed = (html, f) => new RegExp(`href="/f/${f}"`).test(html);

test('CLI validation: board perm and user group', async () => {
  let r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '7', '--view', '2']);
  assert.equal(r.code, 2);
  r = await forum.run(['board', 'perm', '--fid', '999999', '--group', '7', '--view', '0']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no board/);
  r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '999', '--view', '0']);
  assert.equal(r.code, 1);
  r = await forum.run(['user', 'group', '--name', 'nobody-such', '--group', '4']);
  assert.equal(r.code, 1);
  r = await forum.run(['user', 'group', '--name', 'eve', '--group', '999']);
  assert.equal(r.code, 1);
});

test('guests: a board closed to 游客 is 403 with the reason and a login link, and is not listed', async () => {
  assert.equal((await get(`${forum.url}/f/${fid}`)).status, 200);
  const r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '7', '--view', '0']);
  assert.equal(r.code, 0, r.stderr);
  const b = await eventually(async () => {
    const x = await get(`${forum.url}/f/${fid}`);
    return x.status === 403 ? x : null;
  }, 'the server to reload board permissions');
  assert.match(b.text, /该版块只对部分用户组开放，游客请先登录/);
  assert.match(b.text, new RegExp(`<p class="login-prompt">[^]*href="/login\\?next=%2Ff%2F${fid}"`), 'a login that comes back here');
  const t = await get(`${forum.url}/t/${tid}`);
  assert.equal(t.status, 403, 'its threads too');
  assert.match(t.text, new RegExp(`href="/login\\?next=%2Ft%2F${tid}"`));
  const index = await get(forum.url + '/');
  assert.ok(!listed(index.text, fid), 'not on the index');
  assert.ok(listed(index.text, otherFid), 'other boards still are');
  // members keep their defaults
  const eve = await mustLogin(forum.url, 'eve', PW);
  assert.equal((await eve.get(`/f/${fid}`)).status, 200);
  assert.equal((await eve.get(`/t/${tid}`)).status, 200);
  assert.ok(listed((await eve.get('/')).text, fid));
});

test('members: a board closed to their group is 403 with the reason (no login prompt)', async () => {
  const r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '10', '--view', '0']);
  assert.equal(r.code, 0, r.stderr);
  const eve = await mustLogin(forum.url, 'eve', PW);
  const b = await eventually(async () => {
    const x = await eve.get(`/f/${fid}`);
    return x.status === 403 ? x : null;
  }, 'the reload');
  assert.match(b.text, /您所在的用户组无权浏览该版块/);
  assert.ok(!b.text.includes('login-prompt'));
  assert.equal((await eve.get(`/t/${tid}`)).status, 403);
  assert.ok(!listed((await eve.get('/')).text, fid));
  // the admin (group 1) has no row: defaults, sees it
  const adminPw = /admin \/ (\S+)/.exec(await import('node:fs').then((fs) => fs.readFileSync(`${forum.dir}/admin-login.txt`, 'utf8')))?.[1];
  if (adminPw) {
    const admin = await mustLogin(forum.url, 'admin', adminPw);
    assert.equal((await admin.get(`/f/${fid}`)).status, 200);
    // a floor's link (/p/PID) does not reveal where it lives to those who may not see the board
    const pid = /id="pid(\d+)"/.exec((await admin.get(`/t/${tid}`)).text)?.[1];
    assert.ok(pid, 'the thread page names its floors');
    assert.equal((await admin.get(`/p/${pid}`)).status, 302);
    const hidden = await eve.get(`/p/${pid}`);
    assert.equal(hidden.status, 403);
    assert.match(hidden.text, /您所在的用户组无权浏览该版块/);
  } else {
    assert.fail('the demo forum wrote admin-login.txt');
  }
  // open it again: flags not given keep their values (the group's defaults here)
  const again = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '10', '--view', '1']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /view=1 post=1 reply=1 upload=1/);
  await eventually(async () => (await eve.get(`/f/${fid}`)).status === 200, 'the board to reopen');
});

test('禁止访问: logs in, sees 403 everywhere but can log out; unbanned again by user group', async () => {
  const r = await forum.run(['user', 'group', '--name', 'vic', '--group', '5']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /禁止访问/);
  const vic = await mustLogin(forum.url, 'vic', PW);
  for (const p of ['/', `/f/${otherFid}`, `/t/${tid}`, '/u/1', '/settings/password']) {
    const x = await vic.get(p);
    assert.equal(x.status, 403, p);
    assert.match(x.text, /禁止访问/);
  }
  const tok = (await apiSession(forum.url, 'vic', PW)).json().token;
  assert.equal((await me(forum.url, tok)).status, 403);
  const form = await vic.get('/login');   // login/logout stay open; /login redirects members
  assert.equal(form.status, 303);
  // the logout form on the 403 page carries the token
  const page = await vic.get('/');
  assert.equal((await vic.post('/logout', { csrf: csrfOf(page.text) })).status, 303);
  assert.equal((await vic.get('/')).status, 200, 'a guest again');
  assert.equal((await forum.run(['user', 'group', '--name', 'vic', '--group', '10'])).code, 0);
  const again = await mustLogin(forum.url, 'vic', PW);
  assert.equal((await again.get('/')).status, 200);
  assert.equal(headerUser((await again.get('/')).text).group, '新手上路');
});

test('禁止发言: can read, the header shows the group', async () => {
  assert.equal((await forum.run(['user', 'group', '--name', 'mallory', '--group', '4'])).code, 0);
  const m = await mustLogin(forum.url, 'mallory', PW);
  const home = await m.get('/');
  assert.equal(home.status, 200);
  assert.equal(headerUser(home.text).group, '禁止发言');
  assert.equal((await m.get(`/f/${otherFid}`)).status, 200);
  // posting is refused with 403 and perm_check's reason, on the web and through the API
  const form = await m.get(`/t/${tid}`);
  const csrf = csrfOf(form.text);
  const nt = await m.post(`/f/${otherFid}/new`, { csrf, title: '我要发言', body: '正文', format: 'bbcode' });
  assert.equal(nt.status, 403);
  assert.match(nt.text, /禁止发言/);
  const rp = await m.post(`/t/${tid}/reply`, { csrf, body: '回复', format: 'bbcode' });
  assert.equal(rp.status, 403);
  assert.match(rp.text, /禁止发言/);
  const tok = (await apiSession(forum.url, 'mallory', PW)).json().token;
  const api = await new Client(forum.url).postJSON(`/api/v1/threads/${tid}/posts`, { body: '回复' }, tok);
  assert.equal(api.status, 403);
  assert.equal(api.json().error.code, 'forbidden');
});

test('board perm --post 0 for a member group refuses new threads on that board only', async () => {
  assert.equal((await forum.run(['board', 'perm', '--fid', String(otherFid), '--group', '10', '--post', '0'])).code, 0);
  const eve = await mustLogin(forum.url, 'eve', PW);
  const csrf = csrfOf((await eve.get(`/f/${otherFid}`)).text) || csrfOf((await eve.get('/')).text);
  // wait for the server's permission cache (reloaded every 2 s) on the form, which writes nothing
  await eventually(async () => (await eve.get(`/f/${otherFid}/new`)).status === 403, 'the board permission to reach the server');
  const refused = await eve.post(`/f/${otherFid}/new`, { csrf, title: '新主题', body: '正文', format: 'bbcode' });
  assert.equal(refused.status, 403);
  assert.match(refused.text, /不能|没有权限/);
  // replies on that board and threads elsewhere are still allowed
  const other = await eve.post(`/f/${fid}/new`, { csrf, title: '别处的主题', body: '正文', format: 'bbcode' });
  assert.equal(other.status, 303, other.text.slice(0, 800));
});
