// t0500: reactions on floors (likes, 支持/反对, 评分, 举报) and credits
// (rules, log, total formula, member groups following credits), through the
// JSON API and the web forms, read back from the thread page's HTML; and the
// thread page's three-query budget however many reactions its floors carry.
//
// Documented behaviour checked here: a second like, the same attitude again,
// a second rating and a second open report are 409; unlike when not liked is
// idempotent (200); reacting to one's own floor is 403 (reports excepted);
// an out-of-range score is 400, a spent daily quota 403.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, Client, csrfOf, queriesOf, eventually, postIds } from './lib.mjs';

const PW = 'password123';

async function api(forum, method, path, token, body) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return get(forum.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function login(forum, name) {
  const r = await api(forum, 'POST', '/api/v1/session', null, { username: name, password: PW });
  assert.equal(r.status, 200, `login ${name}: ${r.text}`);
  return r.json().token;
}

async function board(forum) {
  const r = await forum.run(['board', 'add', '--name', '测试版块']);
  assert.equal(r.code, 0, r.stderr);
  const fid = Number(r.stdout.trim().split(/\s+/).pop());
  assert.ok(fid > 0, `board add printed ${r.stdout}`);
  return fid;
}

async function thread(forum, fid, name, subject = '主题') {
  const r = await forum.run(['post', '--as-admin', '--name', name, '--board', String(fid), '--subject', subject], '正文 ' + subject);
  assert.equal(r.code, 0, r.stderr);
  const [tid, pid] = postIds(r.stdout).map(Number);
  return { tid, pid };
}

async function reply(forum, tid, name) {
  const r = await forum.run(['post', '--as-admin', '--name', name, '--thread', String(tid)], '回复内容');
  assert.equal(r.code, 0, r.stderr);
  const [, pid] = postIds(r.stdout).map(Number);
  return pid;
}

/** visible text of a page: tags out, entities decoded, spaces collapsed */
function textOf(html) {
  return html.replace(/<\/?(a|span|em|strong|small|b|time)\b[^>]*>/g, '').replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
}

/** the HTML of floor pid (from its <article> to the next) */
function floorOf(html, pid) {
  const i = html.indexOf(`id="pid${pid}"`);
  assert.ok(i >= 0, `floor ${pid} not on the page`);
  const j = html.indexOf('<article', i);
  return html.slice(i, j < 0 ? undefined : j);
}

async function user(forum, uid) {
  const r = await api(forum, 'GET', `/api/v1/users/${uid}`);
  assert.equal(r.status, 200, r.text);
  return r.json();
}

const USERS = [
  { name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'carol', password: PW },
  { name: 'root', password: PW, admin: true },
];

test('likes, attitudes and reports through the API, with every refusal, rendered on the thread page', async () => {
  await withForum({ demo: false, users: USERS }, async (forum) => {
    const fid = await board(forum);
    const { tid, pid } = await thread(forum, fid, 'alice');
    const pid2 = await reply(forum, tid, 'bob');
    const [alice, bob, carol, root] = [await login(forum, 'alice'), await login(forum, 'bob'),
      await login(forum, 'carol'), await login(forum, 'root')];

    // likes
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/like`)).status, 401, 'guest like');
    let r = await api(forum, 'POST', `/api/v1/posts/${pid}/like`, alice);
    assert.equal(r.status, 403, 'own floor like');
    assert.equal(r.json().error.code, 'own_post');
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/like`, bob);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().likes, 1);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/like`, bob)).status, 409, 'duplicate like');
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/like`, carol);
    assert.equal(r.json().likes, 2);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/999999/like`, bob)).status, 404);
    let page = await get(`${forum.url}/t/${tid}`);
    let f = textOf(floorOf(page.text, pid));
    assert.match(f, /本帖点赞记录 \(2\): carol bob/, 'likers, most recent first');
    assert.doesNotMatch(f, /点赞给态度/, 'no guest hint under the floor');
    assert.equal([...page.text.matchAll(/点赞给态度/g)].length, 1, 'the guest hint once per page');
    assert.match(page.text, new RegExp(`<a class="report" href="/login\\?next=/p/${pid}/report">举报</a>`), '举报 logs in, then reports');
    r = await api(forum, 'DELETE', `/api/v1/posts/${pid}/like`, carol);
    assert.equal(r.status, 200);
    assert.equal(r.json().likes, 1);
    r = await api(forum, 'DELETE', `/api/v1/posts/${pid}/like`, carol);
    assert.equal(r.status, 200, 'unlike is idempotent');
    assert.equal(r.json().likes, 1);

    // attitudes
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, null, { attitude: 'support' })).status, 401);
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, alice, { attitude: 'support' });
    assert.equal(r.status, 403, 'own floor attitude');
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, bob, { attitude: 'sideways' });
    assert.equal(r.status, 400);
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, bob, { attitude: 'support' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json().support, r.json().oppose], [1, 0]);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, bob, { attitude: 'support' })).status, 409);
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, carol, { attitude: 'support' });
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, bob, { attitude: 'oppose' });
    assert.deepEqual([r.json().support, r.json().oppose], [1, 1], 'switched');
    page = await get(`${forum.url}/t/${tid}`);
    assert.match(textOf(floorOf(page.text, pid)), /支持 1 反对 1/);
    assert.match(textOf(floorOf(page.text, pid2)), /支持 0 反对 0/);

    // reports
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid2}/report`, null, { reason: 'x' })).status, 401);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid2}/report`, carol, { reason: '  ' })).status, 400);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid2}/report`, carol, { reason: 'x'.repeat(101) })).status, 400);
    r = await api(forum, 'POST', `/api/v1/posts/${pid2}/report`, carol, { reason: '广告灌水' });
    assert.equal(r.status, 201, r.text);
    const rid = r.json().id;
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid2}/report`, carol, { reason: '再报' })).status, 409);
    assert.equal((await api(forum, 'GET', '/api/v1/reports', carol)).status, 403, 'members do not see the queue');
    assert.equal((await api(forum, 'GET', '/api/v1/reports')).status, 401);
    r = await api(forum, 'GET', '/api/v1/reports', root);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json().reports.map((x) => [x.id, x.pid, x.reason, x.username]), [[rid, pid2, '广告灌水', 'carol']]);
    assert.equal((await api(forum, 'POST', `/api/v1/reports/${rid}/handle`, carol, { note: 'n' })).status, 403);
    r = await api(forum, 'POST', `/api/v1/reports/${rid}/handle`, root, { note: '已删除广告' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await api(forum, 'POST', `/api/v1/reports/${rid}/handle`, root, { note: 'again' })).status, 404);
    assert.equal((await api(forum, 'GET', '/api/v1/reports', root)).json().reports.length, 0);
    r = await api(forum, 'POST', `/api/v1/posts/${pid2}/report`, carol, { reason: '又来了' });
    assert.equal(r.status, 201, 'a new report once the old one is handled');
  });
});

test('ratings: range, quota, duplicates, own floor; credits, credit log, group change and revoke', async () => {
  await withForum({ demo: false, users: USERS }, async (forum) => {
    const fid = await board(forum);
    const t1 = await thread(forum, fid, 'alice', '一');
    const t2 = await thread(forum, fid, 'alice', '二');
    const t3 = await thread(forum, fid, 'alice', '三');
    const bobPid = await reply(forum, t1.tid, 'bob');
    const aliceUid = (await login(forum, 'alice'), (await api(forum, 'GET', '/api/v1/me', await login(forum, 'alice'))).json().uid);
    const [bob, root] = [await login(forum, 'bob'), await login(forum, 'root')];

    let a = await user(forum, aliceUid);
    assert.equal(a.group, '新手上路');
    assert.equal(a.posts, 3);
    assert.equal(a.extcredits['金钱'], 3 * 2 + 2, '3 threads x 2 + one daily login x 2 (two logins today)');
    assert.equal(a.credits, 3 + a.extcredits['金钱'], 'posts + 2 x 威望 + 金钱 + 贡献');

    const rate = (tok, pid, credit, score, reason) => api(forum, 'POST', `/api/v1/posts/${pid}/rate`, tok, { credit, score, reason });
    assert.equal((await rate(null, t1.pid, '威望', 1, '')).status, 401);
    let r = await rate(bob, bobPid, '威望', 1, '');
    assert.equal(r.status, 403, 'own floor');
    r = await rate(bob, t1.pid, '威望', 3, '');
    assert.equal(r.status, 400, 'members rate 威望 -1..+2');
    assert.equal(r.json().error.code, 'out_of_range');
    assert.equal((await rate(bob, t1.pid, '威望', 0, '')).status, 400);
    assert.equal((await rate(bob, t1.pid, '金钱', 1, '')).status, 403, 'members may not rate 金钱');
    assert.equal((await rate(bob, t1.pid, '不存在', 1, '')).status, 400);
    assert.equal((await rate(bob, t1.pid, '威望', 1, 'x'.repeat(101))).status, 400, 'reason too long');
    r = await rate(bob, t1.pid, '威望', 2, '好文章');
    assert.equal(r.status, 200, r.text);
    assert.equal((await rate(bob, t1.pid, '威望', 1, '')).status, 409, 'one rating per member per floor');
    a = await user(forum, aliceUid);
    assert.equal(a.extcredits['威望'], 2);
    assert.equal(a.credits, 3 + 2 * 2 + 8);
    r = await rate(bob, t2.pid, '威望', 2, '');
    assert.equal(r.status, 200, 'quota 4: 2 + 2');
    r = await rate(bob, t3.pid, '威望', 1, '');
    assert.equal(r.status, 403, 'daily quota spent');
    assert.equal(r.json().error.code, 'quota_exceeded');

    // the rating line on the thread page: rater, credit, amount, reason; and totals
    let page = await get(`${forum.url}/t/${t1.tid}`);
    let f = textOf(floorOf(page.text, t1.pid));
    assert.match(f, /bob 威望 \+2 好文章/);
    assert.match(f, /参与人数 1 威望 \+2/);

    // an admin rates alice past 50 total: 注册会员
    r = await rate(root, t3.pid, '威望', 20, '优秀');
    assert.equal(r.status, 200, r.text);
    const big = r.json().id;
    a = await user(forum, aliceUid);
    assert.equal(a.extcredits['威望'], 24);
    assert.equal(a.credits, 3 + 2 * 24 + 8);
    assert.equal(a.group, '注册会员', `credits ${a.credits} > 50`);

    // the credit log
    const log = (await api(forum, 'GET', '/api/v1/me/credits', await login(forum, 'alice'))).json().log;
    const rows = log.map((x) => [x.action, x.objid, JSON.stringify(x.credits)]);
    assert.deepEqual(rows.filter((x) => x[0] === 'rate'),
      [['rate', t3.pid, '{"威望":20}'], ['rate', t2.pid, '{"威望":2}'], ['rate', t1.pid, '{"威望":2}']]);
    assert.equal(rows.filter((x) => x[0] === 'post').length, 3);
    assert.equal(rows.filter((x) => x[0] === 'login').length, 1, 'daily login once a day');

    // moderators revoke; the credits return through the log
    assert.equal((await api(forum, 'DELETE', `/api/v1/rates/${big}`, bob)).status, 403);
    r = await api(forum, 'DELETE', `/api/v1/rates/${big}`, root);
    assert.equal(r.status, 200, r.text);
    assert.equal((await api(forum, 'DELETE', `/api/v1/rates/${big}`, root)).status, 404, 'already revoked');
    a = await user(forum, aliceUid);
    assert.equal(a.extcredits['威望'], 4);
    assert.equal(a.group, '新手上路', 'back under 50');
    const log2 = (await api(forum, 'GET', '/api/v1/me/credits', await login(forum, 'alice'))).json().log;
    assert.deepEqual([log2[0].action, log2[0].credits], ['rate_revoke', { 威望: -20 }]);
    page = await get(`${forum.url}/t/${t3.tid}`);
    assert.doesNotMatch(textOf(floorOf(page.text, t3.pid)), /root 威望 \+20/);
    assert.equal((await get(`${forum.url}/api/v1/users/999999`)).status, 404);
    // admins are not moved by credits
    const rootUser = await user(forum, (await api(forum, 'GET', '/api/v1/me', root)).json().uid);
    assert.equal(rootUser.group, '管理员');
  });
});

test('web forms: like, attitude, rate, report with CSRF; report queue for moderators only; likers page', async () => {
  await withForum({ demo: false, users: USERS }, async (forum) => {
    const fid = await board(forum);
    const { tid, pid } = await thread(forum, fid, 'alice');
    const web = async (name) => {
      const c = new Client(forum.url);
      const lp = await c.get('/login');
      const r = await c.post('/login', { username: name, password: PW, csrf: csrfOf(lp.text) });
      assert.equal(r.status, 303, `web login ${name}`);
      return c;
    };
    const bob = await web('bob');
    let page = await bob.get(`/t/${tid}`);
    const csrf = csrfOf(page.text);
    assert.match(textOf(floorOf(page.text, pid)), /点赞 0/);
    assert.equal((await bob.post(`/p/${pid}/like`, {})).status, 403, 'no CSRF token');
    assert.equal((await new Client(forum.url).post(`/p/${pid}/like`, { csrf })).status, 403, 'guest');
    let r = await bob.post(`/p/${pid}/like`, { csrf });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/t/${tid}?page=1#pid${pid}`);
    // a refused small action goes back where the member was, the reason shown there once (issue 17)
    const backTo = async (res, where, said, floor) => {
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), where);
      let to = await bob.get(where);
      if (to.status === 302 || to.status === 301) to = await bob.get(to.headers.get('location'));
      assert.equal(to.status, 200);
      assert.match(textOf(floor ? floorOf(to.text, floor) : to.text), said);
      assert.doesNotMatch((await bob.get(where.startsWith('/p/') && !where.includes('/', 3) ? `/t/${tid}` : where)).text, said, 'shown once');
    };
    await backTo(await bob.post(`/p/${pid}/like`, { csrf }), `/p/${pid}`, /您已经点过赞了/, pid);
    r = await bob.post(`/p/${pid}/attitude`, { csrf, attitude: 'oppose' });
    assert.equal(r.status, 303);
    // 反对 twice: said on the floor, with the button that takes it back; taking it back twice is no error
    await backTo(await bob.post(`/p/${pid}/attitude`, { csrf, attitude: 'oppose' }), `/p/${pid}`, /您已经反对过这个帖子了/, pid);
    r = await bob.post(`/p/${pid}/attitude`, { csrf, attitude: 'oppose' });
    page = await bob.get(`/t/${tid}`);
    assert.match(floorOf(page.text, pid), new RegExp(`<button form="fx" formaction="/p/${pid}/attitude" name="attitude" value="none" class="linkish">取消我的表态</button>`));
    for (let i = 0; i < 2; i++) assert.equal((await bob.post(`/p/${pid}/attitude`, { csrf, attitude: 'none' })).status, 303);
    assert.match(textOf(floorOf((await bob.get(`/t/${tid}`)).text, pid)), /支持 0 反对 0/, 'taken back');
    assert.equal((await bob.post(`/p/${pid}/attitude`, { csrf, attitude: 'bogus' })).status, 303, 'an unknown attitude: back too');
    r = await bob.post(`/p/${pid}/attitude`, { csrf, attitude: 'oppose' });
    assert.equal(r.status, 303);
    r = await bob.post(`/p/${pid}/rate`, { csrf, credit: '威望', score: '-1', reason: '跑题' });
    assert.equal(r.status, 303);
    await backTo(await bob.post(`/p/${pid}/rate`, { csrf, credit: '威望', score: 'abc', reason: '' }), `/p/${pid}/rate`, /分数必须是一个整数/);
    await backTo(await bob.post(`/p/${pid}/rate`, { csrf, credit: '威望', score: '50', reason: '' }), `/p/${pid}/rate`, /评分超出了您所在用户组允许的范围/);
    for (const score of ['+1', '01', '-01', '-0', ' 1', '1 ']) {   // one form per number (pages/urlparse.c url_int)
      r = await bob.post(`/p/${pid}/rate`, { csrf, credit: '威望', score, reason: '' });
      assert.equal(r.status, 303, `score ${JSON.stringify(score)}`);
      assert.equal(r.headers.get('location'), `/p/${pid}/rate`);
    }
    await bob.get(`/p/${pid}/rate`);   // (the last one's message, read)
    await backTo(await bob.post(`/p/${pid}/report`, { csrf, reason: '   ' }), `/p/${pid}/report`, /请填写理由/);
    r = await bob.post(`/p/${pid}/report`, { csrf, reason: '违规内容' });
    await backTo(r, `/p/${pid}`, /举报已提交/, pid);
    await backTo(await bob.post(`/p/${pid}/report`, { csrf, reason: '违规内容' }), `/p/${pid}`, /您已经举报过这个帖子了/, pid);
    // the API keeps its statuses
    page = await bob.get(`/t/${tid}`);
    const f = textOf(floorOf(page.text, pid));
    assert.match(f, /取消点赞 1/, 'the viewer sees their own like from the likers list');
    assert.match(f, /本帖点赞记录 \(1\): bob/);
    assert.match(f, /支持 0 反对 1/);
    assert.match(f, /bob 威望 -1 跑题/);
    assert.match(f, /举报/);
    assert.ok(queriesOf(page.text) <= 3);
    // the author's own floor: no like/attitude buttons, no rating form
    const alice = await web('alice');
    page = await alice.get(`/t/${tid}`);
    assert.doesNotMatch(floorOf(page.text, pid), /action="\/p\/\d+\/(like|attitude|rate)"/);
    assert.match(floorOf(page.text, pid), /href="\/p\/\d+\/report"/);
    assert.doesNotMatch(floorOf(page.text, pid), /href="\/p\/\d+\/rate"/, 'no rating link on one\'s own floor');
    assert.equal((await alice.get(`/p/${pid}/rate`)).status, 403, 'no rating form for one\'s own floor');
    // the rating and report forms are pages of their own; the floor links to them
    page = await bob.get(`/t/${tid}`);
    assert.match(floorOf(page.text, pid), new RegExp(`href="/p/${pid}/rate"`));
    assert.match(floorOf(page.text, pid), new RegExp(`href="/p/${pid}/report"`));
    // the token once for the page's buttons (#fx), not once per floor: header, #fx, quick reply
    assert.equal([...page.text.matchAll(/name="csrf"/g)].length, 3);
    assert.match(page.text, /<form id="fx" method="post" hidden><input type="hidden" name="csrf" value="[0-9a-f]{64}"><\/form>/);
    assert.match(floorOf(page.text, pid), new RegExp(`<button form="fx" formaction="/p/${pid}/unlike"`));
    let fp = await bob.get(`/p/${pid}/rate`);
    assert.equal(fp.status, 200);
    assert.match(fp.text, new RegExp(`<form method="post" action="/p/${pid}/rate"`));
    assert.match(fp.text, /<option value="威望">威望 \(-1 ~ \+2\)<\/option>/, 'the viewer group\'s ranges');
    assert.equal(csrfOf(fp.text), csrf);
    assert.ok(queriesOf(fp.text) <= 3);
    fp = await bob.get(`/p/${pid}/report`);
    assert.equal(fp.status, 200);
    assert.match(fp.text, new RegExp(`<form method="post" action="/p/${pid}/report"`));
    assert.ok(queriesOf(fp.text) <= 3);
    assert.equal((await alice.get(`/p/${pid}/report`)).status, 200, 'one may report one\'s own floor');
    assert.equal((await bob.get('/p/999999/rate')).status, 404);
    assert.equal((await bob.get('/p/999999/report')).status, 404);
    const guestForm = await new Client(forum.url).get(`/p/${pid}/rate`);
    assert.notEqual(guestForm.status, 200, 'guests get no rating form');
    // queue: members 403, admins see it and handle
    assert.equal((await bob.get('/modcp/reports')).status, 403);
    assert.equal((await get(`${forum.url}/modcp/reports`)).status, 403);
    const root = await web('root');
    page = await root.get('/modcp/reports');
    assert.equal(page.status, 200);
    assert.match(textOf(page.text), /bob 举报于 [^：]*：违规内容/);
    const m = /action="\/modcp\/reports\/(\d+)\/handle"/.exec(page.text);
    r = await root.post(`/modcp/reports/${m[1]}/handle`, { csrf: csrfOf(page.text), note: '已处理' });
    assert.equal(r.status, 303);
    page = await root.get('/modcp/reports?status=handled');
    assert.match(textOf(page.text), /root：已处理/);
    // likers page
    page = await get(`${forum.url}/p/${pid}/likes`);
    assert.equal(page.status, 200);
    assert.match(textOf(page.text), /共 1 人.*bob/);
    assert.equal((await get(`${forum.url}/p/999999/likes`)).status, 404);
  });
});

test('credit rules page, board and thread links, author sidebar credits', async () => {
  await withForum({ demo: false, users: USERS, config: { 'credit.show': '威望,贡献' } }, async (forum) => {
    const fid = await board(forum);
    const { tid } = await thread(forum, fid, 'alice');
    let page = await get(`${forum.url}/f/${fid}/credits`);
    assert.equal(page.status, 200);
    assert.ok(queriesOf(page.text) <= 3);
    const t = textOf(page.text);
    assert.match(t, /本版积分规则/);
    assert.match(t, /动作名称 周期 奖励次数 威望 金钱 贡献/);
    assert.match(t, /发表主题 不限 不限 \+2/);
    assert.match(t, /发表回复 不限 不限 \+1/);
    assert.match(t, /每天登录 每天 1 \+2/);
    assert.equal((await get(`${forum.url}/f/999/credits`)).status, 404);
    page = await get(`${forum.url}/f/${fid}`);
    assert.match(page.text, new RegExp(`href="/f/${fid}/credits"`));
    page = await get(`${forum.url}/t/${tid}`);
    assert.match(page.text, new RegExp(`href="/f/${fid}/credits">本版积分规则`));
    const side = textOf(page.text.slice(page.text.indexOf('class="author"'), page.text.indexOf('class="pbody"')));
    assert.match(side, /积分 3 威望 0 贡献 0/, 'credit.show chooses the credits shown, plus 积分');
    assert.doesNotMatch(side, /金钱/);
  });
});

test('the thread page stays within three queries with 40 likes, attitudes and 10 ratings on it', async () => {
  const likers = ['l1', 'l2', 'l3', 'l4'].map((name) => ({ name, password: PW }));
  await withForum({ demo: false, users: [...USERS, ...likers] }, async (forum) => {
    const fid = await board(forum);
    const { tid, pid } = await thread(forum, fid, 'alice');
    const pids = [pid];
    for (let i = 0; i < 9; i++) pids.push(await reply(forum, tid, i % 2 ? 'alice' : 'bob'));
    const root = await login(forum, 'root');
    const toks = [];
    for (const l of likers) toks.push(await login(forum, l.name));
    for (const p of pids) {
      for (const tok of toks) {
        assert.equal((await api(forum, 'POST', `/api/v1/posts/${p}/like`, tok)).status, 200);
      }
      assert.equal((await api(forum, 'POST', `/api/v1/posts/${p}/attitude`, toks[0], { attitude: 'support' })).status, 200);
      assert.equal((await api(forum, 'POST', `/api/v1/posts/${p}/attitude`, toks[1], { attitude: 'oppose' })).status, 200);
      assert.equal((await api(forum, 'POST', `/api/v1/posts/${p}/rate`, root, { credit: '威望', score: 1, reason: `r${p}` })).status, 200);
    }
    const c = new Client(forum.url);
    const lp = await c.get('/login');
    assert.equal((await c.post('/login', { username: 'l1', password: PW, csrf: csrfOf(lp.text) })).status, 303);
    const page = await c.get(`/t/${tid}`);
    assert.equal(page.status, 200);
    const text = textOf(page.text);
    assert.equal((text.match(/本帖点赞记录 \(4\): l4 l3 l2 l1/g) || []).length, 10, 'every floor shows its likers');
    assert.equal((text.match(/支持 1 反对 1/g) || []).length, 10);
    assert.equal((text.match(/root 威望 \+1 r\d+/g) || []).length, 10);
    assert.equal((text.match(/取消点赞 4/g) || []).length, 10, 'the viewer liked every floor');
    const q = queriesOf(page.text);
    assert.ok(q <= 3, `thread page as a member took ${q} queries; the budget is 3`);
    const guest = await get(`${forum.url}/t/${tid}`);
    assert.ok(queriesOf(guest.text) <= 2, `guest thread page took ${queriesOf(guest.text)} queries`);
  });
});

test('a board overrides a credit rule; the formula and rules are validated', async () => {
  await withForum({ demo: false, users: USERS }, async (forum) => {
    const fid = await board(forum);
    const other = await board(forum);
    let r = await forum.run(['credit', 'rule', '--', 'post', String(fid), '1', '5', '0', 'daily', '2']);
    assert.equal(r.code, 0, r.stderr);
    r = await forum.run(['credit', 'rule', 'post', '0', '0', '2', '0', 'weekly', '0']);
    assert.notEqual(r.code, 0, 'unknown cycle');
    r = await forum.run(['config', 'set', 'credit.formula', 'posts+bogus']);
    assert.notEqual(r.code, 0, 'bad formula');
    let t = textOf((await get(`${forum.url}/f/${fid}/credits`)).text);
    assert.match(t, /发表主题 \(本版\) 每天 2 \+1 \+5/);
    t = textOf((await get(`${forum.url}/f/${other}/credits`)).text);
    assert.match(t, /发表主题 不限 不限 \+2/);
    for (let i = 0; i < 3; i++) await thread(forum, fid, 'alice', `t${i}`);
    await thread(forum, other, 'alice', 'o');
    const tok = await login(forum, 'alice');
    const me = (await api(forum, 'GET', '/api/v1/me', tok)).json();
    const a = await user(forum, me.uid);
    assert.equal(a.extcredits['威望'], 2, 'two board awards a day (cap 2), the third none');
    assert.equal(a.extcredits['金钱'], 2 * 5 + 2 + 2, 'board +5 twice, other board +2, login +2');
    assert.equal(a.credits, 4 + 2 * 2 + 14);
  });
});

test('board permissions and banned groups apply to reactions; moderators get their own range and the queue', async () => {
  await withForum({ demo: false, users: [...USERS, { name: 'mod', password: PW }] }, async (forum) => {
    const fid = await board(forum);
    const hidden = await board(forum);
    const { pid } = await thread(forum, fid, 'alice');
    const h = await thread(forum, hidden, 'alice', '隐藏');
    const bob = await login(forum, 'bob');
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${h.pid}/like`, bob)).status, 200, 'visible before');
    let r = await forum.run(['board', 'perm', '--fid', String(hidden), '--group', '10', '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => (await api(forum, 'POST', `/api/v1/posts/${h.pid}/attitude`, bob, { attitude: 'support' })).status === 404,
      'the reload of board permissions');
    assert.equal((await api(forum, 'DELETE', `/api/v1/posts/${h.pid}/like`, bob)).status, 404, 'a board one cannot view');
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${h.pid}/report`, bob, { reason: 'x' })).status, 404);
    assert.equal((await get(`${forum.url}/p/${h.pid}/likes`)).status, 200, 'guests still see the board');

    // 禁止发言: no likes, attitudes or ratings; reports still allowed
    r = await forum.run(['user', 'group', '--name', 'carol', '--group', '4']);
    assert.equal(r.code, 0, r.stderr);
    const carol = await login(forum, 'carol');
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/like`, carol)).status, 403);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, carol, { attitude: 'oppose' })).status, 403);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/rate`, carol, { credit: '威望', score: 1 })).status, 403);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/report`, carol, { reason: '举报' })).status, 201);

    // a moderator: 威望 -5..+5 and 金钱, the report queue
    r = await forum.run(['board', 'mod', '--fid', String(fid), '--name', 'mod']);   // 版主 of this board (group 3)
    assert.equal(r.code, 0, r.stderr);
    const mod = await login(forum, 'mod');
    await eventually(async () => {   // the server reloads its moderators when the CLI's write moves the generation
      const q = await api(forum, 'GET', '/api/v1/reports', mod);
      return q.status === 200 && q.json().reports.length === 1;
    }, 'the moderator cache');
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/rate`, mod, { credit: '威望', score: 6 })).status, 400);
    r = await api(forum, 'POST', `/api/v1/posts/${pid}/rate`, mod, { credit: '金钱', score: -20, reason: '灌水' });
    assert.equal(r.status, 200, r.text);
    const q = await api(forum, 'GET', '/api/v1/reports', mod);
    assert.equal(q.status, 200);
    assert.equal(q.json().reports.length, 1);
    const page = await get(`${forum.url}/t/${(await api(forum, 'GET', '/api/v1/reports', mod)).json().reports[0].tid}`);
    assert.match(textOf(floorOf(page.text, pid)), /mod 金钱 -20 灌水/);
  });
});

test('posting through the API earns credits by the rules; deleting recounts; the thread API carries reactions', async () => {
  await withForum({ demo: false, users: USERS, config: { 'post.flood_seconds': 0 } }, async (forum) => {
    const fid = await board(forum);
    const [alice, bob, root] = [await login(forum, 'alice'), await login(forum, 'bob'), await login(forum, 'root')];
    const aliceUid = (await api(forum, 'GET', '/api/v1/me', alice)).json().uid;
    let a = await user(forum, aliceUid);
    assert.deepEqual([a.posts, a.extcredits['金钱'], a.credits], [0, 2, 2], 'the login reward only');
    let r = await api(forum, 'POST', `/api/v1/boards/${fid}/threads`, alice, { title: '新主题', body: '内容内容' });
    assert.equal(r.status, 201, r.text);
    const { tid, pid } = r.json();
    r = await api(forum, 'POST', `/api/v1/threads/${tid}/posts`, alice, { body: '自己顶一下' });
    assert.equal(r.status, 201, r.text);
    const own = r.json().pid;
    a = await user(forum, aliceUid);
    assert.deepEqual([a.posts, a.threads, a.extcredits['金钱'], a.credits], [2, 1, 2 + 2 + 1, 2 + 5], 'thread +2, reply +1');
    r = await api(forum, 'DELETE', `/api/v1/posts/${own}`, alice);
    assert.equal(r.status, 200, r.text);
    a = await user(forum, aliceUid);
    assert.deepEqual([a.posts, a.credits], [1, 1 + 5], 'credits follow the post count down');

    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/like`, bob)).status, 200);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/attitude`, bob, { attitude: 'support' })).status, 200);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${pid}/rate`, root, { credit: '威望', score: 3, reason: '好' })).status, 200);
    r = await api(forum, 'GET', `/api/v1/threads/${tid}`);
    assert.equal(r.status, 200);
    const f = r.json().floors[0];
    assert.equal(f.pid, pid);
    assert.equal(f.likes, 1);
    assert.deepEqual(f.likers.map((x) => x.username), ['bob']);
    assert.deepEqual([f.support, f.oppose], [1, 0]);
    assert.equal(f.ratings.count, 1);
    assert.deepEqual(f.ratings.totals, { 威望: 3 });
    assert.deepEqual(f.ratings.lines.map((x) => [x.username, x.credit, x.score, x.reason]), [['root', '威望', 3, '好']]);
    assert.equal(f.author_extcredits['威望'], 3);
    assert.equal(f.author_credits, 1 + 2 * 3 + 5);
  });
});
