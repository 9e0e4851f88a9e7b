// t0900: the security sweep over the route table.
//
// CSRF and method sweep: a member logged in with a cookie (and, for the
// moderator routes, an admin) sends every state-changing web route of
// src/pages/routes.c without a token, with wrong tokens (random, another
// member's, a guest double-submit cookie, a wrong X-CSRF-Token header), and
// with GET/PUT/DELETE; every one is refused (403, or 405 / the form page for
// the other methods) and the database is exactly as before. The route list
// below must equal the table's non-GET web routes, so a new route is swept
// too (tests/unit/test_routes.c checks their flags).
//
// API sweep: the JSON API ignores cookies: every write API that needs a
// member answers 401 to a cookie-only request (even with the session's CSRF
// token in X-CSRF-Token), and nothing changes.
//
// Open redirects: ?next= after login goes only to local paths.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { withForum, get, Client, csrfOf, postIds } from './lib.mjs';
import { routeTable, api, token, webLogin, addBoard, cliPost, PW } from './sweep.mjs';

const USERS = [
  { name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'carol', password: PW },
  { name: 'root', password: PW, admin: true },
];

/** Every column that a write through these routes changes, as one string. */
const FINGERPRINT = `SELECT
  (SELECT COUNT(*) FROM member), (SELECT COALESCE(SUM(LENGTH(pwhash)), 0) FROM member),
  (SELECT COALESCE(SUM(credits + ext1 + ext2 + ext3 + posts + threads), 0) FROM member),
  (SELECT COUNT(*) FROM session), (SELECT COUNT(*) FROM ratelimit),
  (SELECT COUNT(*) FROM thread), (SELECT COALESCE(SUM(hidden + replies), 0) FROM thread),
  (SELECT COUNT(*) FROM post), (SELECT COALESCE(SUM(deleted + edited + likes + support + oppose), 0) FROM post),
  (SELECT COUNT(*) FROM post_history), (SELECT COUNT(*) FROM post_like), (SELECT COUNT(*) FROM post_attitude),
  (SELECT COUNT(*) FROM post_rate), (SELECT COALESCE(SUM(revoked), 0) FROM post_rate),
  (SELECT COUNT(*) FROM report), (SELECT COALESCE(SUM(status), 0) FROM report),
  (SELECT COUNT(*) FROM credit_log), (SELECT COALESCE(SUM(groupid), 0) FROM member),
  (SELECT COUNT(*) FROM ban), (SELECT COALESCE(SUM(lifted), 0) FROM ban), (SELECT COUNT(*) FROM ipban),
  (SELECT COUNT(*) FROM admin_log), (SELECT COUNT(*) FROM setting), (SELECT COUNT(*) FROM board),
  (SELECT COALESCE(SUM(LENGTH(name) + cid + displayorder), 0) FROM board), (SELECT COUNT(*) FROM board_perm),
  (SELECT COALESCE(SUM(LENGTH(title) + stars + creditshigher), 0) FROM usergroup), (SELECT COUNT(*) FROM group_rate),
  (SELECT COALESCE(SUM(ext1 + ext2 + ext3 + cap), 0) FROM credit_rule), (SELECT COUNT(*) FROM moderator),
  (SELECT COALESCE(SUM(closed + sticky + digest + highlight), 0) FROM thread), (SELECT COUNT(*) FROM modlog),
  (SELECT COALESCE(SUM(banned + warned), 0) FROM post),
  (SELECT COUNT(*) FROM pending_post), (SELECT COUNT(*) FROM board_approval),
  (SELECT COUNT(*) FROM mail_queue), (SELECT COUNT(*) FROM mail_token), (SELECT COUNT(*) FROM favorite),
  (SELECT COUNT(*) FROM reset_request),
  (SELECT COALESCE(SUM(LENGTH(email)), 0) FROM member),
  (SELECT COUNT(*) FROM pm_msg), (SELECT COUNT(*) FROM pm_conv), (SELECT COUNT(*) FROM pm_block),
  (SELECT COUNT(*) FROM pm_report), (SELECT COALESCE(SUM(handled), 0) FROM pm_report),
  (SELECT COALESCE(SUM(LENGTH(sig_src) + LENGTH(bio) + gender + sigoff), 0) FROM profile), (SELECT COUNT(*) FROM profile)`;

/** The same password hashes, compared exactly (a changed password keeps its length). */
const PWHASHES = 'SELECT uid, pwhash FROM member ORDER BY uid';
const SESSIONS = 'SELECT token_hash FROM session ORDER BY token_hash';

function query(forum, statement) {
  const [file, args] = forum.db
    ? ['psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', forum.db, '-c', statement]]
    : ['sqlite3', ['-cmd', '.timeout 10000', `${forum.dir}/loulan.db`, statement]];
  return new Promise((resolve, reject) => execFile(file, args, (err, out, stderr) =>
    (err ? reject(new Error(`${file}: ${stderr || err.message}`)) : resolve(out.trim()))));
}

async function snapshot(forum) {
  return [await query(forum, FINGERPRINT), await query(forum, PWHASHES), await query(forum, SESSIONS)].join('\n--\n');
}

test('CSRF and method sweep over every state-changing web route; the API ignores cookies', async () => {
  await withForum({ demo: false, users: USERS, config: { 'post.flood_seconds': '0' } }, async (forum) => {
    const fid = await addBoard(forum, '扫描');
    const post = (name, args, body) => cliPost(forum, name, args, body);
    const [tid, alicePid] = await post('alice', ['--board', String(fid), '--subject', '主题'], '楼主');
    const [, bobPid] = await post('bob', ['--thread', String(tid)], '二楼');
    const [, carolPid] = await post('carol', ['--thread', String(tid)], '三楼');
    const [, rootPid] = await post('root', ['--thread', String(tid)], '四楼');
    await post('root', ['--thread', String(tid)], '@carol 五楼');   // a notification for carol (issue #15)
    const carolNote = Number(await query(forum, "SELECT id FROM notification WHERE uid = (SELECT uid FROM member WHERE username = 'carol')"));
    const tokCarol = await token(forum, 'carol');
    const tokRoot = await token(forum, 'root');
    // state for the undo routes: carol likes bob's floor, root rates alice's, carol reports bob's
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${bobPid}/like`, tokCarol)).status, 200);
    let r = await api(forum, 'POST', `/api/v1/posts/${alicePid}/rate`, tokRoot, { credit: '威望', score: 1, reason: 'ok' });
    assert.equal(r.status, 200, r.text);
    const rateId = r.json().id;
    r = await api(forum, 'POST', `/api/v1/posts/${bobPid}/report`, tokCarol, { reason: '广告' });
    assert.equal(r.status, 201, r.text);
    const reportId = r.json().id;

    // state for the members' routes: bob is banned (unban), an IP ban exists (delete)
    const bobUid = Number(await query(forum, "SELECT uid FROM member WHERE username = 'bob'"));
    assert.equal((await forum.run(['user', 'ban', '--name', 'bob', '--days', '1'])).code, 0);
    r = await api(forum, 'POST', '/api/v1/ipbans', tokRoot, { cidr: '192.0.2.0/24' });
    assert.equal(r.status, 200, r.text);
    const ipbanId = r.json().id;

    // 短消息 (P2): carol writes to alice, alice answers, carol reports the answer
    const tokAlice = await token(forum, 'alice');
    r = await api(forum, 'POST', '/api/v1/messages', tokCarol, { to: ['alice'], body: '你好' });
    assert.equal(r.status, 201, r.text);
    const pmCid = r.json().id;
    r = await api(forum, 'POST', `/api/v1/messages/${pmCid}`, tokAlice, { body: '回你' });
    assert.equal(r.status, 201, r.text);
    const pmMid = r.json().message_id;
    assert.equal((await api(forum, 'POST', `/api/v1/messages/${pmCid}/report`, tokCarol, { mid: pmMid, reason: 'x' })).status, 201);
    const pmReport = Number(await query(forum, 'SELECT MAX(id) FROM pm_report'));

    const carol = await webLogin(forum, 'carol');
    const root = await webLogin(forum, 'root');
    const bob = await webLogin(forum, 'bob');

    // Every non-GET web route of the table, with a concrete path and a form
    // that would succeed with the right token; `as` is who is logged in.
    const WEB = [
      { pattern: '/login', path: '/login', as: carol, form: { username: 'carol', password: PW } },
      { pattern: '/logout', path: '/logout', as: carol, form: {} },
      { pattern: '/register', path: '/register', as: carol,
        form: { username: 'mallory', email: 'm@example.com', password: PW, password2: PW } },
      { pattern: '/settings/password', path: '/settings/password', as: carol,
        form: { old: PW, password: 'newpassword456', password2: 'newpassword456' } },
      { pattern: '/settings/sessions/logout-all', path: '/settings/sessions/logout-all', as: carol, form: {} },
      { pattern: '/f/*/new', path: `/f/${fid}/new`, as: carol, form: { title: '新主题', body: '正文' } },
      { pattern: '/t/*/reply', path: `/t/${tid}/reply`, as: carol, form: { body: '回复' } },
      { pattern: '/p/*/edit', path: `/p/${carolPid}/edit`, as: carol, form: { body: '改过' } },
      { pattern: '/p/*/delete', path: `/p/${carolPid}/delete`, as: carol, form: {} },
      { pattern: '/p/*/like', path: `/p/${alicePid}/like`, as: carol, form: {} },
      { pattern: '/p/*/unlike', path: `/p/${bobPid}/unlike`, as: carol, form: {} },
      { pattern: '/p/*/attitude', path: `/p/${alicePid}/attitude`, as: carol, form: { attitude: 'support' } },
      { pattern: '/p/*/rate', path: `/p/${rootPid}/rate`, as: carol, form: { credit: '威望', score: '1', reason: 'r' } },
      { pattern: '/p/*/report', path: `/p/${alicePid}/report`, as: carol, form: { reason: '灌水' } },
      { pattern: '/rates/*/revoke', path: `/rates/${rateId}/revoke`, as: root, form: {} },
      { pattern: '/modcp/reports/*/handle', path: `/modcp/reports/${reportId}/handle`, as: root, form: { note: '已处理' } },
      { pattern: '/u/*/ban', path: `/u/${bobUid}/ban`, as: root, form: { type: 'visit', days: '1', reason: 'r' } },
      { pattern: '/u/*/unban', path: `/u/${bobUid}/unban`, as: root, form: {} },
      { pattern: '/u/*/purge', path: `/u/${bobUid}/purge`, as: root, form: {} },
      { pattern: '/admin/ipbans', path: '/admin/ipbans', as: root, form: { cidr: '198.51.100.0/24', days: '1' } },
      { pattern: '/admin/ipbans/*/delete', path: `/admin/ipbans/${ipbanId}/delete`, as: root, form: {} },
      // admin panel (pages/admin.c)
      { pattern: '/admin/settings', path: '/admin/settings', as: root, form: { 'site.icp': '京ICP备1号' } },
      { pattern: '/admin/boards/new', path: '/admin/boards/new', as: root, form: { cid: '1', name: '新版' } },
      { pattern: '/admin/boards/*/edit', path: `/admin/boards/${fid}/edit`, as: root, form: { name: '改名', cid: '1', order: '9', description: '' } },
      { pattern: '/admin/boards/*/perm', path: `/admin/boards/${fid}/perm`, as: root, form: { gid: '7' } },
      { pattern: '/admin/boards/*/delete', path: `/admin/boards/${fid}/delete`, as: root, form: {} },
      { pattern: '/admin/boards/*/mod', path: `/admin/boards/${fid}/mod`, as: root, form: { username: 'carol' } },
      { pattern: '/admin/boards/*/approval', path: `/admin/boards/${fid}/approval`, as: root, form: { threads: 'on', groups: '10' } },
      { pattern: '/admin/groups/*/edit', path: '/admin/groups/10/edit', as: root, form: { title: '改', stars: '3', lower: '0', higher: '60' } },
      { pattern: '/admin/groups/*/rate', path: '/admin/groups/10/rate', as: root, form: { ext: '1', min: '-1', max: '1', quota: '1' } },
      { pattern: '/admin/users/*/group', path: `/admin/users/${bobUid}/group`, as: root, form: { gid: '3' } },
      { pattern: '/admin/users/*/password', path: `/admin/users/${bobUid}/password`, as: root, form: {} },
      { pattern: '/admin/users/*/delete', path: `/admin/users/${bobUid}/delete`, as: root, form: { confirm: 'on' } },
      { pattern: '/admin/credits', path: '/admin/credits', as: root, form: { action: 'post', ext1: '5', ext2: '5', ext3: '5', cycle: 'daily', cap: '1' } },
      // moderation (#12)
      { pattern: '/t/*/moderate', path: `/t/${tid}/moderate`, as: root, form: { action: 'close' } },
      { pattern: '/f/*/moderate', path: `/f/${fid}/moderate`, as: root, form: { action: 'stick', tid: String(tid) } },
      { pattern: '/p/*/moderate', path: `/p/${bobPid}/moderate`, as: root, form: { action: 'ban' } },
      { pattern: '/modcp/pending', path: '/modcp/pending', as: root, form: { action: 'delete', id: '1' } },
      // attachments and avatars (issue #13): refused for the token before the (missing) file matters
      { pattern: '/attachments', path: '/attachments', as: carol, form: {} },
      { pattern: '/settings/avatar', path: '/settings/avatar', as: carol, form: {} },
      // mail, 找回密码, Email, 收藏 (issue #15)
      { pattern: '/lostpasswd', path: '/lostpasswd', as: carol, form: { login: 'alice' } },
      { pattern: '/lostpasswd/reset', path: '/lostpasswd/reset', as: carol, form: { token: 'a'.repeat(64), password: PW, password2: PW } },
      { pattern: '/settings/email', path: '/settings/email', as: carol, form: { email: 'carol2@example.com', password: PW } },
      { pattern: '/settings/email/resend', path: '/settings/email/resend', as: carol, form: {} },
      { pattern: '/settings/email/confirm', path: '/settings/email/confirm', as: carol, form: { token: 'b'.repeat(64) } },
      { pattern: '/t/*/favorite', path: `/t/${tid}/favorite`, as: carol, form: {} },
      // 提醒 (issue #15)
      { pattern: '/notifications/*/open', path: `/notifications/${carolNote}/open`, as: carol, form: {} },
      { pattern: '/notifications/*/read', path: `/notifications/${carolNote}/read`, as: carol, form: {} },
      { pattern: '/notifications/read', path: '/notifications/read', as: carol, form: {} },
      { pattern: '/settings/notifications', path: '/settings/notifications', as: carol, form: { k_reply: '1' } },
      { pattern: '/t/*/follow', path: `/t/${tid}/follow`, as: carol, form: { on: '1' } },
      // 短消息 and profiles (P2, issue #15)
      { pattern: '/pm', path: '/pm', as: carol, form: { to: 'alice', body: '再问一句' } },
      { pattern: '/pm/*/reply', path: `/pm/${pmCid}/reply`, as: carol, form: { body: '回复' } },
      { pattern: '/pm/*/report', path: `/pm/${pmCid}/report`, as: carol, form: { mid: String(pmMid), reason: '再举报' } },
      { pattern: '/pm/blocks', path: '/pm/blocks', as: carol, form: { action: 'block', name: 'bob' } },
      { pattern: '/pm/reports/*/handle', path: `/pm/reports/${pmReport}/handle`, as: root, form: {} },
      { pattern: '/settings/profile', path: '/settings/profile', as: carol, form: { sig: '签名', bio: '简介', gender: '2' } },
    ];
    // Every write API that needs a member, for the cookie-only requests.
    const API = [
      { pattern: '/api/v1/session', method: 'DELETE', path: '/api/v1/session' },
      { pattern: '/api/v1/boards/*/threads', method: 'POST', path: `/api/v1/boards/${fid}/threads`, body: { title: 't', body: 'b' } },
      { pattern: '/api/v1/threads/*/posts', method: 'POST', path: `/api/v1/threads/${tid}/posts`, body: { body: 'b' } },
      { pattern: '/api/v1/posts/*', method: 'PATCH', path: `/api/v1/posts/${carolPid}`, body: { body: '改' } },
      { pattern: '/api/v1/posts/*', method: 'DELETE', path: `/api/v1/posts/${carolPid}` },
      { pattern: '/api/v1/posts/*/like', method: 'POST', path: `/api/v1/posts/${alicePid}/like` },
      { pattern: '/api/v1/posts/*/like', method: 'DELETE', path: `/api/v1/posts/${bobPid}/like` },
      { pattern: '/api/v1/posts/*/attitude', method: 'POST', path: `/api/v1/posts/${alicePid}/attitude`, body: { attitude: 'oppose' } },
      { pattern: '/api/v1/posts/*/rate', method: 'POST', path: `/api/v1/posts/${rootPid}/rate`, body: { credit: '威望', score: 1 } },
      { pattern: '/api/v1/posts/*/report', method: 'POST', path: `/api/v1/posts/${alicePid}/report`, body: { reason: 'x' } },
      { pattern: '/api/v1/rates/*', method: 'DELETE', path: `/api/v1/rates/${rateId}`, as: root },
      { pattern: '/api/v1/reports/*/handle', method: 'POST', path: `/api/v1/reports/${reportId}/handle`, body: { note: 'n' }, as: root },
      { pattern: '/api/v1/users/*/ban', method: 'POST', path: `/api/v1/users/${bobUid}/ban`, body: { type: 'visit', days: 1 }, as: root },
      { pattern: '/api/v1/users/*/ban', method: 'DELETE', path: `/api/v1/users/${bobUid}/ban`, as: root },
      { pattern: '/api/v1/users/*/purge', method: 'POST', path: `/api/v1/users/${bobUid}/purge`, body: {}, as: root },
      { pattern: '/api/v1/ipbans', method: 'POST', path: '/api/v1/ipbans', body: { cidr: '198.51.100.0/24' }, as: root },
      { pattern: '/api/v1/ipbans/*', method: 'DELETE', path: `/api/v1/ipbans/${ipbanId}`, as: root },
      { pattern: '/api/v1/threads/*/moderate', method: 'POST', path: `/api/v1/threads/${tid}/moderate`, body: { action: 'close' }, as: root },
      { pattern: '/api/v1/posts/*/moderate', method: 'POST', path: `/api/v1/posts/${bobPid}/moderate`, body: { action: 'warn' }, as: root },
      { pattern: '/api/v1/boards/*/moderators', method: 'POST', path: `/api/v1/boards/${fid}/moderators`, body: { username: 'bob' }, as: root },
      { pattern: '/api/v1/boards/*/moderators', method: 'DELETE', path: `/api/v1/boards/${fid}/moderators`, body: { username: 'bob' }, as: root },
      { pattern: '/api/v1/pending', method: 'POST', path: '/api/v1/pending', body: { action: 'delete', ids: [1] }, as: root },
      { pattern: '/api/v1/attachments', method: 'POST', path: '/api/v1/attachments', body: {} },
      { pattern: '/api/v1/me/avatar', method: 'POST', path: '/api/v1/me/avatar', body: {} },
      { pattern: '/api/v1/threads/*/favorite', method: 'POST', path: `/api/v1/threads/${tid}/favorite` },
      { pattern: '/api/v1/threads/*/favorite', method: 'DELETE', path: `/api/v1/threads/${tid}/favorite` },
      { pattern: '/api/v1/notifications/read', method: 'POST', path: '/api/v1/notifications/read', body: { all: true } },
      { pattern: '/api/v1/threads/*/follow', method: 'POST', path: `/api/v1/threads/${tid}/follow` },
      { pattern: '/api/v1/threads/*/follow', method: 'DELETE', path: `/api/v1/threads/${tid}/follow` },
      { pattern: '/api/v1/messages', method: 'POST', path: '/api/v1/messages', body: { to: ['alice'], body: 'b' } },
      { pattern: '/api/v1/messages/*', method: 'POST', path: `/api/v1/messages/${pmCid}`, body: { body: 'b' } },
      { pattern: '/api/v1/messages/*/report', method: 'POST', path: `/api/v1/messages/${pmCid}/report`, body: { mid: pmMid } },
      { pattern: '/api/v1/me/profile', method: 'PATCH', path: '/api/v1/me/profile', body: { bio: 'b' } },
    ];

    // The lists cover the table: a route added without a line here fails.
    const table = routeTable();
    const writes = table.filter((t) => t.methods !== 'GET');
    for (const t of writes) assert.match(t.flags, /R_CSRF|R_API/, `${t.pattern} ${t.methods}: neither R_CSRF nor R_API`);
    const webWrites = writes.filter((t) => !/R_API/.test(t.flags)).map((t) => t.pattern).sort();
    assert.deepEqual(WEB.map((w) => w.pattern).sort(), webWrites, 'the sweep lists every non-GET web route');
    const apiWrites = writes.filter((t) => /R_API/.test(t.flags) && /R_LOGIN/.test(t.flags))
      .map((t) => `${t.methods.replace('HTTP_', '')} ${t.pattern}`).sort();
    assert.deepEqual(API.map((a) => `${a.method} ${a.pattern}`).sort(), apiWrites, 'the sweep lists every member-only write API');

    const before = await snapshot(forum);
    const bogus = [
      ['no token', (c, f) => c.post(f.path, f.form)],
      ['empty token', (c, f) => c.post(f.path, { ...f.form, csrf: '' })],
      ['wrong token', (c, f) => c.post(f.path, { ...f.form, csrf: '0'.repeat(64) })],
      ['short token', (c, f) => c.post(f.path, { ...f.form, csrf: c.csrf.slice(0, 63) })],
      ['longer token', (c, f) => c.post(f.path, { ...f.form, csrf: c.csrf + '0' })],
      ["another member's token", (c, f) => c.post(f.path, { ...f.form, csrf: bob.csrf })],
      ['wrong X-CSRF-Token', (c, f) => c.post(f.path, f.form, { headers: { 'x-csrf-token': 'f'.repeat(64) } })],
      ['guest double-submit cookie', (c, f) => {
        // the login form's double-submit pair (cookie = field) is no token for a member
        const g = new Client(forum.url);
        for (const [k, v] of c.cookies) g.cookies.set(k, v);
        g.cookies.set('loulan_csrf', 'a'.repeat(64));
        return g.post(f.path, { ...f.form, csrf: 'a'.repeat(64) });
      }],
      ['multipart, no token', (c, f) => {
        const fd = new FormData();
        for (const [k, v] of Object.entries(f.form)) fd.append(k, String(v));
        return c.post(f.path, fd);
      }],
    ];
    for (const w of WEB) {
      for (const [what, send] of bogus) {
        const res = await send(w.as, w);
        assert.equal(res.status, 403, `${w.path} with ${what}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.match(res.text, /CSRF/, `${w.path} with ${what}: the CSRF refusal`);
        assert.equal(res.headers.get('set-cookie'), null, `${w.path} with ${what}: no cookie set`);
      }
      // other methods never write: 405 with Allow, or the GET form of the same path
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const res = await w.as.request(w.path, {
          method, body: method === 'GET' ? undefined : new URLSearchParams({ ...w.form, csrf: w.as.csrf }),
        });
        if (res.status !== 405) {
          assert.equal(method, 'GET', `${method} ${w.path}: ${res.status}`);
          assert.ok([200, 303, 400, 403, 404].includes(res.status), `GET ${w.path}: ${res.status}`);
        } else {
          assert.match(res.headers.get('allow'), /POST/, `${method} ${w.path}: Allow`);
        }
      }
      assert.equal(await snapshot(forum), before, `${w.path}: nothing changed`);
    }

    // The API takes no cookie: the session cookie (with its CSRF token) is not a login.
    for (const a of API) {
      const c = a.as === root ? root : carol;
      const res = await api(forum, a.method, a.path, null, a.body,
        { cookie: c.cookieHeader(), 'x-csrf-token': c.csrf });
      assert.equal(res.status, 401, `${a.method} ${a.path} with a cookie only: ${res.status} ${res.text}`);
      assert.equal(res.json().error.code, 'unauthorized');
    }
    // nor does a form post to the API with a cookie (the browser's cross-site form)
    const form = await carol.request(`/api/v1/threads/${tid}/posts`, {
      method: 'POST', body: new URLSearchParams({ body: 'x', csrf: carol.csrf }),
    });
    assert.ok([401, 415].includes(form.status), `form post to the API: ${form.status}`);
    assert.equal(await snapshot(forum), before, 'cookie-only API requests changed nothing');

    // The sweep is not vacuous: with the right token the same requests write.
    for (const w of WEB.filter((x) => ['/t/*/reply', '/p/*/like', '/p/*/report', '/rates/*/revoke', '/pm/*/reply', '/settings/profile'].includes(x.pattern))) {
      const res = await w.as.post(w.path, { ...w.form, csrf: w.as.csrf });
      assert.equal(res.status, 303, `${w.path} with the right token: ${res.status} ${res.text.slice(0, 200)}`);
    }
    assert.notEqual(await snapshot(forum), before, 'the valid requests changed the database');
    // and the bearer token still works for the API
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${alicePid}/attitude`, tokCarol, { attitude: 'oppose' })).status, 200);
  });
});

test('?next= after login only goes to local paths', async () => {
  await withForum({ demo: false, users: USERS }, async (forum) => {
    const cases = [
      ['/t/1?page=2', '/t/1?page=2'],
      ['//evil.example/', '/'], ['/\\evil.example/', '/'], ['https://evil.example/', '/'],
      ['/\t/evil.example/', '/'], ['/\n/evil.example/', '/'], ['/\r\n/evil.example', '/'],
      ['/ /evil.example', '/'], ['/x\\y', '/'], ['/\x7f/evil.example', '/'], ['javascript:alert(1)', '/'],
      ['/' + 'a'.repeat(510), '/' + 'a'.repeat(510)], ['/' + 'a'.repeat(511), '/'],   // ACCOUNT_NEXT_MAX 511 bytes
    ];
    for (const [next, want] of cases) {
      const c = new Client(forum.url);
      const form = await c.get('/login?next=' + encodeURIComponent(next));
      assert.equal(form.status, 200);
      const r = await c.post('/login', { username: 'alice', password: PW, csrf: csrfOf(form.text), next });
      assert.equal(r.status, 303, `next=${JSON.stringify(next)}`);
      assert.equal(r.headers.get('location'), want, `next=${JSON.stringify(next)}`);
    }
  });
});

test('a rating score outside REACT_SCORE_MAX is 400, even at the edge of 64-bit integers', async () => {
  await withForum({ demo: false, users: USERS }, async (forum) => {
    const r0 = await forum.run(['board', 'add', '--name', '评分']);
    const fid = Number(r0.stdout.trim().split(/\s+/).pop());
    const r1 = await forum.run(['post', '--as-admin', '--name', 'alice', '--board', String(fid), '--subject', 's'], 'b');
    const pid = Number(postIds(r1.stdout)[1]);
    const tok = await token(forum, 'root');
    for (const score of ['-9223372036854775808', '9223372036854775807', '100000', '-100000']) {
      const r = await get(`${forum.url}/api/v1/posts/${pid}/rate`, {
        method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
        body: `{"credit":"威望","score":${score}}`,
      });
      assert.equal(r.status, 400, `score ${score}: ${r.status} ${r.text}`);
    }
  });
});
