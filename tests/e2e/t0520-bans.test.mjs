// t0520: members banned: 禁止发言 (group 4) and 禁止访问 (group 5) with a reason and an expiry,
// from the web form (the author sidebar's 管理 menu and the ban page), the API and the CLI; lifted by hand and
// automatically at expiry (the previous group restored); 小黑屋 /blacklist and /api/v1/blacklist
// (keyset pages, newest first, expired bans gone); the Discuz! showdarkroom URL; the permission
// matrix (member, moderator of another board, the board's moderator, super moderator, admin);
// 删除该用户所有帖子 with counters; IP bans refusing registration and posting.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startModForum, get, csrfOf, webLogin, apiToken, api, PW, sql, eventually, queriesOf, checkCounters, Client,
} from './lib.mjs';

const USERS = ['alice', 'bob', 'carol', 'dave', 'modA', 'modB', 'superm', 'spam'];
let forum, fidA, fidB, tidA, pidA, uid;
before(async () => {
  ({ forum, fidA, fidB, uid } = await startModForum(USERS));
  const t = await api(forum.url, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '一个主题', body: '正文内容' },
    await apiToken(forum.url, 'alice'));
  assert.equal(t.status, 201, t.text);
  tidA = t.json.tid ?? t.json.thread?.tid;
  pidA = t.json.pid ?? t.json.post?.pid;
  // the moderator cache reloads every 2 s
  await eventually(async () => {
    const c = await webLogin(forum.url, 'modA');
    return (await c.get(`/t/${tidA}`)).text.includes('禁止该用户');
  }, 'the moderator cache');
});
after(async () => { await forum?.stop(); });

const groupOf = async (name) => (await api(forum.url, 'GET', `/api/v1/users/${uid[name]}`)).json.groupid;

test('the permission matrix: 禁言 in board A from a post of board A', async () => {
  const cases = [['bob', 403], ['modB', 403], ['modA', 200], ['superm', 200], ['root', 200]];
  for (const [who, want] of cases) {
    const tok = await apiToken(forum.url, who);
    const r = await api(forum.url, 'POST', `/api/v1/users/${uid.alice}/ban`,
      { type: 'post', days: 1, reason: `by ${who}`, pid: pidA }, tok);
    assert.equal(r.status, want, `${who}: ${r.text}`);
    if (want === 200) {
      assert.equal(await groupOf('alice'), 4);
      const un = await api(forum.url, 'DELETE', `/api/v1/users/${uid.alice}/ban?pid=${pidA}`, undefined, tok);
      assert.equal(un.status, 200, un.text);
      assert.equal(await groupOf('alice'), 10, 'the previous group is back');
    } else {
      assert.equal(await groupOf('alice'), 10);
    }
  }
  // without a board, a board moderator may not; 禁止访问 takes a super moderator
  const modA = await apiToken(forum.url, 'modA');
  let r = await api(forum.url, 'POST', `/api/v1/users/${uid.alice}/ban`, { type: 'post', days: 1 }, modA);
  assert.equal(r.status, 403);
  r = await api(forum.url, 'POST', `/api/v1/users/${uid.alice}/ban`, { type: 'visit', days: 1, pid: pidA }, modA);
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /超级版主/);
  // staff: a moderator is banned by an admin only; admins by nobody; nobody bans themselves
  const sup = await apiToken(forum.url, 'superm');
  r = await api(forum.url, 'POST', `/api/v1/users/${uid.modB}/ban`, { type: 'post', days: 1 }, sup);
  assert.equal(r.status, 403);
  r = await api(forum.url, 'POST', `/api/v1/users/${uid.root}/ban`, { type: 'post', days: 1 }, sup);
  assert.equal(r.status, 403);
  const root = await apiToken(forum.url, 'root');
  r = await api(forum.url, 'POST', `/api/v1/users/${uid.root}/ban`, { type: 'post', days: 1 }, root);
  assert.equal(r.status, 403);
  r = await api(forum.url, 'POST', `/api/v1/users/${uid.modB}/ban`, { type: 'post', days: 1 }, root);
  assert.equal(r.status, 200, 'an admin bans a moderator');
  assert.equal((await api(forum.url, 'DELETE', `/api/v1/users/${uid.modB}/ban`, undefined, root)).status, 200);
  // guests
  r = await api(forum.url, 'POST', `/api/v1/users/${uid.alice}/ban`, { type: 'post', days: 1 });
  assert.equal(r.status, 401);
});

test('bad input: type, days, seconds, reason length, unknown member, not banned', async () => {
  const root = await apiToken(forum.url, 'root');
  const ban = (body, who = uid.carol) => api(forum.url, 'POST', `/api/v1/users/${who}/ban`, body, root);
  assert.equal((await ban({ type: 'mute', days: 1 })).status, 400);
  assert.equal((await ban({ type: 'post', days: -1 })).status, 400);
  assert.equal((await ban({ type: 'post', days: 3651 })).status, 400);
  assert.equal((await ban({ type: 'post', days: '3' })).status, 400);
  assert.equal((await ban({ type: 'post', seconds: 0 })).status, 400);
  assert.equal((await ban({ type: 'post', days: 1, reason: '长'.repeat(101) })).status, 413);
  assert.equal((await ban({ type: 'post', days: 1, reason: '长'.repeat(100) })).status, 200);
  assert.equal((await ban({ type: 'post', days: 1 }, 999999)).status, 404);
  assert.equal((await api(forum.url, 'DELETE', `/api/v1/users/${uid.carol}/ban`, undefined, root)).status, 200);
  assert.equal((await api(forum.url, 'DELETE', `/api/v1/users/${uid.carol}/ban`, undefined, root)).status, 404);
  assert.equal((await api(forum.url, 'POST', '/api/v1/users/abc/ban', { type: 'post' }, root)).status, 404);
});

test('the web: the author sidebar link, the form, 小黑屋 lists the ban, the banned member cannot post', async () => {
  const mod = await webLogin(forum.url, 'modA');
  const page = await mod.get(`/t/${tidA}`);
  assert.match(page.text, new RegExp(`href="/u/${uid.alice}/ban\\?pid=${pidA}"`));
  const form = await mod.get(`/u/${uid.alice}/ban?pid=${pidA}`);
  assert.equal(form.status, 200);
  assert.ok(queriesOf(form.text) <= 3);
  assert.doesNotMatch(form.text, /value="visit"/, 'a board moderator is not offered 禁止访问');
  const r = await mod.post(`/u/${uid.alice}/ban`, { csrf: csrfOf(form.text), type: 'post', days: '3', reason: '灌水广告', pid: pidA });
  assert.equal(r.status, 303, r.text);
  // others (a member, modB) do not see the link; modB's form is refused
  const bob = await webLogin(forum.url, 'bob');
  assert.doesNotMatch((await bob.get(`/t/${tidA}`)).text, /禁止该用户/);
  assert.equal((await bob.get(`/u/${uid.alice}/ban?pid=${pidA}`)).status, 403);
  const modB = await webLogin(forum.url, 'modB');
  assert.doesNotMatch((await modB.get(`/t/${tidA}`)).text, /禁止该用户/);
  assert.equal((await modB.get(`/u/${uid.alice}/ban?pid=${pidA}`)).status, 403);
  const bl = await get(`${forum.url}/blacklist`);
  assert.equal(bl.status, 200);
  assert.match(bl.text, /小黑屋/);
  assert.match(bl.text, /alice[^]*禁止发言[^]*灌水广告[^]*modA/);
  assert.ok(queriesOf(bl.text) <= 3);
  const j = await api(forum.url, 'GET', '/api/v1/blacklist');
  assert.equal(j.status, 200);
  const row = j.json.bans.find((b) => b.uid === uid.alice);
  assert.equal(row.type, 'post');
  assert.equal(row.reason, '灌水广告');
  assert.equal(row.moderator, 'modA');
  assert.equal(row.expires - row.created, 3 * 86400);
  // the banned member cannot reply
  const alice = await webLogin(forum.url, 'alice');
  const rp = await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '我还能说话吗' }, await apiToken(forum.url, 'alice'));
  assert.equal(rp.status, 403);
  assert.equal((await alice.get('/blacklist')).status, 200);
  // the Discuz! URL
  const dz = await get(`${forum.url}/forum.php?mod=misc&action=showdarkroom`);
  assert.equal(dz.status, 301);
  assert.equal(dz.headers.get('location'), '/blacklist');
  // unban from 小黑屋 (super moderators and admins see the button)
  const root = await webLogin(forum.url, 'root');
  const rbl = await root.get('/blacklist');
  assert.match(rbl.text, new RegExp(`action="/u/${uid.alice}/unban"`));
  assert.doesNotMatch((await mod.get('/blacklist')).text, /unban/);
  const un = await root.post(`/u/${uid.alice}/unban`, { csrf: csrfOf(rbl.text) });
  assert.equal(un.status, 303);
  assert.equal(await groupOf('alice'), 10);
  assert.doesNotMatch((await get(`${forum.url}/blacklist`)).text, /灌水广告/);
});

test('the author sidebar\'s 管理 menu: a <details> menu that posts without script; each role sees its own items', async () => {
  const menuOf = (html) => {
    const at = html.indexOf(`<details class="amenu">`);
    return at < 0 ? null : html.slice(at, html.indexOf('</details>', at));
  };
  const mod = await webLogin(forum.url, 'modA');
  const page = await mod.get(`/t/${tidA}`);
  assert.ok(queriesOf(page.text) <= 3);
  const menu = menuOf(page.text);
  assert.ok(menu, 'the board moderator has the menu');
  assert.match(menu, /<summary>管理<\/summary>/);
  assert.match(menu, new RegExp(`<form method="post" action="/u/${uid.alice}/ban" class="amenu-ban"><input type="hidden" name="csrf" value="[0-9a-f]{64}"><input type="hidden" name="pid" value="${pidA}">`));
  assert.match(menu, /<select name="type"[^>]*><option value="post">禁言<\/option><\/select>/, 'no 禁止访问 for a board moderator');
  for (const d of ['1', '3', '7', '30', '0']) assert.match(menu, new RegExp(`<option value="${d}"`), `term ${d}`);
  assert.match(menu, /name="reason" maxlength="100"/);
  assert.match(menu, new RegExp(`formaction="/p/${pidA}/moderate" name="action" value="warn"`));
  assert.match(menu, new RegExp(`formaction="/p/${pidA}/moderate" name="action" value="ban"`));
  assert.doesNotMatch(menu, /purge/, 'the purge is for admins');
  const superm = await webLogin(forum.url, 'superm');
  const sup = menuOf((await superm.get(`/t/${tidA}`)).text);
  assert.match(sup, /<option value="visit">禁止访问<\/option>/);
  // the group's cached page: the menu's token is still this viewer's own (a hole, not the first viewer's)
  const again = await superm.get(`/t/${tidA}`);
  const other = await webLogin(forum.url, 'root');
  assert.equal(/name="csrf" value="([0-9a-f]{64})"/.exec(menuOf(again.text))[1], csrfOf(again.text));
  assert.notEqual(csrfOf(again.text), csrfOf((await other.get(`/t/${tidA}`)).text));
  assert.doesNotMatch(sup, /purge/);
  const admin = menuOf((await (await webLogin(forum.url, 'root')).get(`/t/${tidA}`)).text);
  assert.match(admin, /<option value="visit">禁止访问<\/option>/);
  assert.match(admin, new RegExp(`formaction="/u/${uid.alice}/purge"[^>]*>删除该用户所有帖子`));
  for (const who of ['bob', 'modB']) assert.equal(menuOf((await (await webLogin(forum.url, who)).get(`/t/${tidA}`)).text), null, who);

  // the menu's own form, as a browser without script sends it
  const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(menu)[1];
  let r = await mod.post(`/u/${uid.alice}/ban`, { csrf, pid: pidA, type: 'post', days: '7', reason: '菜单里禁言' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const row = (await api(forum.url, 'GET', '/api/v1/blacklist')).json.bans.find((b) => b.uid === uid.alice);
  assert.equal(row.reason, '菜单里禁言');
  assert.equal(row.expires - row.created, 7 * 86400);
  // 警告 from the menu (the page's fx form: csrf only), then the menu offers 撤销警告
  const fx = csrfOf(page.text);
  r = await mod.post(`/p/${pidA}/moderate`, { csrf: fx, action: 'warn' });
  assert.equal(r.status, 303);
  const warned = menuOf((await mod.get(`/t/${tidA}`)).text);
  assert.match(warned, /value="unwarn"[^>]*>撤销警告/);
  r = await mod.post(`/p/${pidA}/moderate`, { csrf: fx, action: 'unwarn' });
  assert.equal(r.status, 303);
  const root = await webLogin(forum.url, 'root');
  r = await root.post(`/u/${uid.alice}/unban`, { csrf: csrfOf((await root.get('/blacklist')).text) });
  assert.equal(r.status, 303);
  assert.equal(await groupOf('alice'), 10);
});

test('禁止访问 from the CLI with a short duration lifts itself; 小黑屋 lists it until then', async () => {
  let r = await forum.run(['user', 'ban', '--name', 'dave', '--type', 'visit', '--seconds', '3', '--reason', '机器人']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await groupOf('dave'), 5);
  const bl = await get(`${forum.url}/blacklist`);
  assert.match(bl.text, /dave[^]*禁止访问[^]*机器人/);
  const dave = await webLogin(forum.url, 'dave');
  assert.equal((await dave.get('/')).status, 403, '禁止访问 sees nothing');
  await eventually(async () => (await groupOf('dave')) === 10, 'the ban to expire', 12000);
  assert.doesNotMatch((await get(`${forum.url}/blacklist`)).text, /机器人/);
  assert.equal((await dave.get('/')).status, 200);
  // CLI validation
  r = await forum.run(['user', 'ban', '--name', 'dave', '--type', 'mute']);
  assert.equal(r.code, 2);
  r = await forum.run(['user', 'ban', '--name', 'nobody-here']);
  assert.equal(r.code, 1);
  r = await forum.run(['user', 'ban', '--name', 'dave', '--days', '3651']);
  assert.equal(r.code, 2);
  r = await forum.run(['user', 'unban', '--name', 'dave']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^loulan: the member is not banned$/m);
  // a permanent ban replaced by a timed one keeps the group to restore
  assert.equal((await forum.run(['user', 'ban', '--name', 'dave'])).code, 0);
  assert.equal((await forum.run(['user', 'ban', '--name', 'dave', '--type', 'visit', '--days', '7'])).code, 0);
  assert.equal(await groupOf('dave'), 5);
  assert.equal((await forum.run(['user', 'unban', '--name', 'dave'])).code, 0);
  assert.equal(await groupOf('dave'), 10);
});

test('小黑屋 pages by keyset, newest first', async () => {
  const names = [];
  for (let i = 0; i < 52; i++) names.push(`z${i}`);
  const ins = names.map((n, i) => `(${1000 + i}, 4, 10, 'r${i}', 1, 'root', ${1700000000 + i}, 0)`).join(', ');
  await sql(forum, `INSERT INTO ban(uid, groupid, prevgroup, reason, moduid, modname, created, expires) VALUES ${ins}`);
  const p1 = await api(forum.url, 'GET', '/api/v1/blacklist');
  assert.equal(p1.json.bans.length, 50);
  assert.equal(p1.json.more, true);
  const ids = p1.json.bans.map((b) => b.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  const p2 = await api(forum.url, 'GET', `/api/v1/blacklist?before=${p1.json.next}`);
  assert.ok(p2.json.bans.length >= 2);
  assert.ok(p2.json.bans.every((b) => b.id < p1.json.next));
  const web = await get(`${forum.url}/blacklist`);
  assert.match(web.text, new RegExp(`href="/blacklist\\?before=${p1.json.next}"`));
  assert.equal((await get(`${forum.url}/blacklist?before=0`)).status, 400);
  assert.equal((await get(`${forum.url}/blacklist?before=x`)).status, 400);
  await sql(forum, 'DELETE FROM ban WHERE uid >= 1000');
});

test('删除该用户所有帖子: admins only, threads and replies to the recycle bin, counters right', async () => {
  const tok = await apiToken(forum.url, 'spam');
  const made = [];
  for (let i = 0; i < 3; i++) {
    const t = await api(forum.url, 'POST', `/api/v1/boards/${fidB}/threads`, { title: `广告${i}`, body: '买买买' }, tok);
    assert.equal(t.status, 201, t.text);
    made.push(t.json.tid ?? t.json.thread?.tid);
  }
  const carol = await apiToken(forum.url, 'carol');
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${made[0]}/posts`, { body: '别人的回复' }, carol)).status, 201);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '广告回复' }, tok)).status, 201);
  for (const who of ['bob', 'modB', 'modA', 'superm']) {
    const r = await api(forum.url, 'POST', `/api/v1/users/${uid.spam}/purge`, {}, await apiToken(forum.url, who));
    assert.equal(r.status, 403, who);
  }
  const r = await api(forum.url, 'POST', `/api/v1/users/${uid.spam}/purge`, {}, await apiToken(forum.url, 'root'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.removed, 4);
  const u = (await api(forum.url, 'GET', `/api/v1/users/${uid.spam}`)).json;
  assert.equal(u.posts, 0);
  assert.equal(u.threads, 0);
  for (const t of made) assert.equal((await api(forum.url, 'GET', `/api/v1/threads/${t}`)).status, 404);
  await checkCounters(forum.url, [fidA, fidB], [uid.spam, uid.carol, uid.alice]);
});

test('IP bans: admins only; registering and posting refused from a banned range; expiry', async () => {
  const root = await apiToken(forum.url, 'root');
  const sup = await apiToken(forum.url, 'superm');
  for (const who of ['bob', 'modA', 'modB']) {
    const r = await api(forum.url, 'POST', '/api/v1/ipbans', { cidr: '127.0.0.0/8' }, await apiToken(forum.url, who));
    assert.equal(r.status, 403, who);
  }
  assert.equal((await api(forum.url, 'POST', '/api/v1/ipbans', { cidr: '127.0.0.0/8' }, sup)).status, 403);
  assert.equal((await api(forum.url, 'POST', '/api/v1/ipbans', { cidr: '300.1.2.3' }, root)).status, 400);
  assert.equal((await api(forum.url, 'POST', '/api/v1/ipbans', { cidr: '10.0.0.0/33' }, root)).status, 400);
  assert.equal((await api(forum.url, 'POST', '/api/v1/ipbans', { cidr: '1'.repeat(65) }, root)).status, 400);
  const other = await api(forum.url, 'POST', '/api/v1/ipbans', { cidr: '2001:db8::/32', reason: '别处' }, root);
  assert.equal(other.status, 200);
  const bob = await apiToken(forum.url, 'bob');
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '还可以' }, bob)).status, 201);
  const b = await api(forum.url, 'POST', '/api/v1/ipbans', { cidr: '127.0.0.0/8', seconds: 3, reason: '测试' }, root);
  assert.equal(b.status, 200, b.text);
  const list = await api(forum.url, 'GET', '/api/v1/ipbans', undefined, root);
  assert.ok(list.json.ipbans.some((x) => x.cidr === '127.0.0.0/8'));
  let r = await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '被禁了' }, bob);
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /IP/);
  r = await api(forum.url, 'POST', '/api/v1/users', { username: 'newbie', password: PW, email: 'n@example.com' });
  assert.equal(r.status, 403);
  const c = new Client(forum.url);
  const f = await c.get('/register');
  r = await c.post('/register', { csrf: csrfOf(f.text), username: 'newbie2', email: 'n2@example.com', password: PW, password2: PW });
  assert.equal(r.status, 403);
  // the page is in the admin panel (its nav links it); the old /modcp/ipbans answers 301 to it
  const web = await webLogin(forum.url, 'root');
  const moved = await web.get('/modcp/ipbans');
  assert.equal(moved.status, 301);
  assert.equal(moved.headers.get('location'), '/admin/ipbans');
  const pg = await web.get('/admin/ipbans');
  assert.equal(pg.status, 200);
  assert.match(pg.text, /127\.0\.0\.0\/8/);
  assert.match(pg.text, /<a href="\/admin\/ipbans" class="current">IP 禁止<\/a>/);
  for (const who of ['superm', 'modA', 'bob']) assert.equal((await (await webLogin(forum.url, who)).get('/admin/ipbans')).status, 403, who);
  // the API's changes are in the admin audit log too
  const log = await web.get('/admin/log');
  assert.match(log.text, /IP 禁止<\/td><td>127\.0\.0\.0\/8<\/td><td class="val"><\/td><td class="val">3 秒，理由：测试<\/td>/);
  await eventually(async () => (await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '又能发了' }, bob)).status === 201,
    'the IP ban to expire', 10000);
  assert.equal((await api(forum.url, 'DELETE', `/api/v1/ipbans/${other.json.id}`, undefined, root)).status, 200);
  assert.equal((await api(forum.url, 'DELETE', `/api/v1/ipbans/${other.json.id}`, undefined, root)).status, 404);
});

test('the report queue: title and excerpt, delete/ban/ignore there, per board; the header link counts open reports', async () => {
  const carol = await apiToken(forum.url, 'carol');
  const bobTok = await apiToken(forum.url, 'bob');
  const mk = async (fid, title, body) => {
    const t = await api(forum.url, 'POST', `/api/v1/boards/${fid}/threads`, { title, body }, bobTok);
    assert.equal(t.status, 201, t.text);
    return { tid: t.json.tid ?? t.json.thread?.tid, pid: t.json.pid ?? t.json.post?.pid };
  };
  const a1 = await mk(fidA, '举报主题一', '这是一段很长的违规内容'.repeat(20));
  const reply = await api(forum.url, 'POST', `/api/v1/threads/${a1.tid}/posts`, { body: '违规回复' }, bobTok);
  assert.equal(reply.status, 201, reply.text);
  const rpid = reply.json.pid ?? reply.json.post?.pid;
  const b1 = await mk(fidB, 'B版的主题', 'B版内容');
  const rep = async (pid, reason) => {
    const r = await api(forum.url, 'POST', `/api/v1/posts/${pid}/report`, { reason }, carol);
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const r1 = await rep(a1.pid, '广告一');
  const r2 = await rep(rpid, '广告二');
  const r3 = await rep(b1.pid, '广告三');
  const r4 = await rep(a1.pid + 0 === a1.pid ? b1.pid : 0, '重复').catch(() => 0);
  void r4;
  // modA sees board A's reports only, with the title and an excerpt
  const modA = await webLogin(forum.url, 'modA');
  const q = await modA.get('/modcp/reports');
  assert.equal(q.status, 200);
  assert.match(q.text, /举报主题一/);
  assert.match(q.text, /class="rq-excerpt">这是一段很长的违规内容[^<]*…</);
  assert.doesNotMatch(q.text, /B版的主题/);
  assert.match(q.text, new RegExp(`id="report${r1}"`));
  assert.doesNotMatch(q.text, new RegExp(`id="report${r3}"`));
  assert.ok(queriesOf(q.text) <= 3);
  // the header link for moderators, with the open count (cached, refreshed in the background)
  const home = await eventually(async () => {
    const h = await modA.get('/');
    return /class="modq" href="\/modcp\/reports">管理<span class="qcount">[1-9]\d*<\/span>/.test(h.text) ? h : null;
  }, 'the open report count');
  assert.ok(queriesOf(home.text) <= 3);
  const bob = await webLogin(forum.url, 'bob');
  assert.doesNotMatch((await bob.get('/')).text, /class="modq"/, 'members have no queue link');
  assert.equal((await bob.get('/modcp/reports')).status, 403);
  // modB may not act on board A's report
  const modB = await apiToken(forum.url, 'modB');
  for (const action of ['ignore', 'delete', 'ban']) {
    const r = await api(forum.url, 'POST', `/api/v1/reports/${r1}/handle`, { action }, modB);
    assert.equal(r.status, 403, `${action}: ${r.text}`);
  }
  // bad action and days
  const modATok = await apiToken(forum.url, 'modA');
  assert.equal((await api(forum.url, 'POST', `/api/v1/reports/${r1}/handle`, { action: 'nuke' }, modATok)).status, 400);
  assert.equal((await api(forum.url, 'POST', `/api/v1/reports/${r1}/handle`, { action: 'ban', days: 3651 }, modATok)).status, 400);
  // delete from the queue (web)
  let r = await modA.post(`/modcp/reports/${r2}/handle`, { csrf: csrfOf(q.text), action: 'delete' });
  assert.equal(r.status, 303, r.text);
  const floors = (await api(forum.url, 'GET', `/api/v1/threads/${a1.tid}`)).json.floors;
  assert.ok(!floors.some((f) => f.pid === rpid && !f.deleted), 'the reply is gone');
  // ban from the queue (web): bob is 禁言 and in 小黑屋
  r = await modA.post(`/modcp/reports/${r1}/handle`, { csrf: csrfOf(q.text), action: 'ban', days: '7', note: '多次发广告' });
  assert.equal(r.status, 303, r.text);
  assert.equal(await groupOf('bob'), 4);
  const bl = await api(forum.url, 'GET', '/api/v1/blacklist');
  const row = bl.json.bans.find((b) => b.uid === uid.bob);
  assert.equal(row.reason, '多次发广告');
  assert.equal(row.expires - row.created, 7 * 86400);
  // ignore (superm, any board)
  r = await api(forum.url, 'POST', `/api/v1/reports/${r3}/handle`, { action: 'ignore', note: '无问题' }, await apiToken(forum.url, 'superm'));
  assert.equal(r.status, 200, r.text);
  const handled = await api(forum.url, 'GET', '/api/v1/reports?status=handled', undefined, await apiToken(forum.url, 'root'));
  const notes = Object.fromEntries(handled.json.reports.map((x) => [x.id, x.note]));
  assert.equal(notes[r1], '多次发广告');
  assert.equal(notes[r2], '已删除帖子');
  assert.equal(notes[r3], '无问题');
  assert.equal((await forum.run(['user', 'unban', '--name', 'bob'])).code, 0);
});
