// t1540: 短消息 (issue #15, P2): conversations of 2..10 members, newest first, unread marks and the
// header's 消息 count; /pm, /pm/{cid} and the API (POST/GET /api/v1/messages, GET /api/v1/messages/{id});
// only members read a conversation (a third member, and an admin, get 404 by web and API); BBCode with
// images only from the sender's uploads; the block list; the new-member throttle; 禁止访问 / 禁止发言
// cannot send; reports, which admins read (the reported message only); every limit crossed; <= 3 queries.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, webLogin, apiToken, api, queriesOf, csrfOf, textOf, upload, makeImage, sql, fetchBytes } from './lib.mjs';

const PW = 'correct horse battery';
const NAMES = ['alice', 'bob', 'carol', 'dave', 'root', 'newbie', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];
let forum, url;
const tok = {};
const uid = {};

before(async () => {
  forum = await startForum({
    demo: false,
    config: { 'post.flood_seconds': '0', 'pm.newbie_per_hour': '3' },
    users: NAMES.map((name) => ({ name, password: PW, admin: name === 'root' })),
  });
  url = forum.url;
  for (const n of NAMES) {
    tok[n] = await apiToken(url, n);
    uid[n] = Number((await api(url, 'GET', '/api/v1/me', undefined, tok[n])).json.uid);
  }
  // everyone but newbie registered long ago: the throttle is for new members only
  await sql(forum, `UPDATE member SET regdate = regdate - 100 * 86400 WHERE username <> 'newbie'`);
});
after(async () => { await forum?.stop(); });

const send = (from, body) => api(url, 'POST', '/api/v1/messages', body, tok[from]);
const headerCount = (html) => {
  const m = html.match(/<a class="pmlink" href="\/pm">消息<span class="qcount"[^>]*>(\d*)<\/span><\/a>/);
  assert.ok(m, 'the header has the 消息 link');
  return m[1] === '' ? 0 : Number(m[1]);
};

test('A sends B a 短消息 (API), B sees it unread, reads it on the web and answers; newest first', async () => {
  const r = await send('alice', { to: ['bob'], body: '你好 [b]bob[/b]，周末一起爬山？' });
  assert.equal(r.status, 201, r.text);
  const cid = r.json.id;
  assert.ok(cid > 0 && r.json.message_id > 0);
  assert.equal(r.json.url, `/pm/${cid}#m${r.json.message_id}`);

  const list = await api(url, 'GET', '/api/v1/messages', undefined, tok.bob);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.unread, 1);
  const c = list.json.conversations.find((x) => x.id === cid);
  assert.equal(c.unread, 1);
  assert.equal(c.last_author, 'alice');
  assert.match(c.last_excerpt, /你好 bob/);
  assert.deepEqual(c.members.map((m) => m.name).sort(), ['alice', 'bob']);

  const b = await webLogin(url, 'bob');
  let page = await b.get('/pm');
  assert.equal(page.status, 200);
  assert.equal(headerCount(page.text), 1, 'the header counts the unread message');
  assert.match(page.text, /class="pm-item unread"/);
  assert.ok(queriesOf(page.text) <= 3, `/pm: ${queriesOf(page.text)} queries`);

  page = await b.get(`/pm/${cid}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /你好 <strong>bob<\/strong>/);
  assert.equal(headerCount(page.text), 0, 'reading it clears the count on this very page');
  assert.ok(queriesOf(page.text) <= 3, `/pm/{cid}: ${queriesOf(page.text)} queries`);

  const ans = await b.post(`/pm/${cid}/reply`, { csrf: csrfOf(page.text), body: '好啊，周六早上八点。' });
  assert.equal(ans.status, 303, ans.text.slice(0, 300));
  assert.match(ans.headers.get('location'), new RegExp(`^/pm/${cid}#m\\d+$`));

  const a = await api(url, 'GET', `/api/v1/messages/${cid}`, undefined, tok.alice);
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json.messages.map((m) => m.author), ['alice', 'bob'], 'oldest first');
  assert.equal(a.json.messages[1].body, '好啊，周六早上八点。');
  assert.equal((await api(url, 'GET', '/api/v1/messages', undefined, tok.alice)).json.unread, 0, 'read by the API too');

  // a second message between the two continues their conversation, which moves to the top
  const other = await send('carol', { to: 'bob', body: '另一个会话' });
  assert.equal(other.status, 201, other.text);
  const again = await send('alice', { to: ['bob'], body: '带上水。' });
  assert.equal(again.json.id, cid, 'the same conversation');
  const order = (await api(url, 'GET', '/api/v1/messages', undefined, tok.bob)).json.conversations.map((x) => x.id);
  assert.equal(order[0], cid, 'newest first');
  assert.ok(order.includes(other.json.id));
});

test('only members read a conversation: a third member and an admin get 404 (web and API)', async () => {
  const r = await send('alice', { to: ['bob'], body: '只给 bob 看的秘密 Zq7Secret' });
  const cid = r.json.id;
  for (const who of ['carol', 'root']) {
    const w = await webLogin(url, who);
    const page = await w.get(`/pm/${cid}`);
    assert.equal(page.status, 404, `${who} web`);
    assert.doesNotMatch(page.text, /Zq7Secret/);
    const j = await api(url, 'GET', `/api/v1/messages/${cid}`, undefined, tok[who]);
    assert.equal(j.status, 404, `${who} API`);
    assert.doesNotMatch(j.text, /Zq7Secret/);
    const list = await api(url, 'GET', '/api/v1/messages', undefined, tok[who]);
    assert.doesNotMatch(list.text, /Zq7Secret/);
    // nor write into it, nor report in it
    const form = await w.get('/pm/new');
    const post = await w.post(`/pm/${cid}/reply`, { csrf: csrfOf(form.text), body: '插一句' });
    assert.equal(post.status, 404, `${who} reply`);
    assert.equal((await api(url, 'POST', `/api/v1/messages/${cid}`, { body: '插一句' }, tok[who])).status, 404);
    const mid = r.json.message_id;
    assert.equal((await api(url, 'POST', `/api/v1/messages/${cid}/report`, { mid, reason: '看看' }, tok[who])).status, 404);
  }
  // guests: a login page and a 401
  assert.equal((await get(`${url}/pm/${cid}`)).status, 403);
  assert.equal((await api(url, 'GET', `/api/v1/messages/${cid}`)).status, 401);
  assert.equal((await api(url, 'GET', '/api/v1/messages/99999999', undefined, tok.alice)).status, 404);
  assert.equal((await api(url, 'GET', '/api/v1/messages/0', undefined, tok.alice)).status, 404);
});

test('group conversations: up to 10 members, the 11th refused', async () => {
  const nine = ['bob', 'carol', 'dave', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'];
  const r = await send('alice', { to: nine, subject: '登山群', body: '大家好' });
  assert.equal(r.status, 201, r.text);
  const c = await api(url, 'GET', `/api/v1/messages/${r.json.id}`, undefined, tok.m6);
  assert.equal(c.status, 200);
  assert.equal(c.json.members.length, 10);
  assert.equal(c.json.subject, '登山群');
  const ten = [...nine, 'm7'];
  const over = await send('alice', { to: ten, body: '太多人了' });
  assert.equal(over.status, 413, over.text);
  // the web form says so too, and keeps what was typed
  const w = await webLogin(url, 'alice');
  const form = await w.get('/pm/new?to=bob');
  assert.match(form.text, /name="to" value="bob"/);
  const res = await w.post('/pm', { csrf: csrfOf(form.text), to: ten.join(','), body: '太多人了 Kp2Kept' });
  assert.equal(res.status, 413);
  assert.match(res.text, /最多发给 9 位会员/);
  assert.match(res.text, /Kp2Kept/);
  // duplicates and the Chinese separators
  const dup = await w.post('/pm', { csrf: csrfOf(form.text), to: 'bob，carol、bob', body: '三个人' });
  assert.equal(dup.status, 303, dup.text.slice(0, 300));
  const cid = Number(dup.headers.get('location').match(/^\/pm\/(\d+)/)[1]);
  assert.equal((await api(url, 'GET', `/api/v1/messages/${cid}`, undefined, tok.carol)).json.members.length, 3);
});

test('limits: body, subject, recipients field, empty, unknown and self', async () => {
  const cases = [
    [{ to: ['bob'], body: 'x'.repeat(10001) }, 413],
    [{ to: ['bob'], body: '好'.repeat(3333) + 'x' }, 201],   // exactly 10000 bytes: accepted
    [{ to: ['bob'], body: '' }, 400],
    [{ to: ['bob'], body: ' \u200b\n' }, 400],
    [{ to: ['bob'] }, 400],
    [{ to: [], body: '没人' }, 400],
    [{ to: ['no_such_member'], body: '有人吗' }, 404],
    [{ to: ['alice'], body: '自言自语' }, 400],
    [{ to: ['bob', 'carol'], subject: '题'.repeat(81), body: '标题太长' }, 413],
    [{ to: ['bob', 'carol'], subject: '题'.repeat(80), body: '标题刚好' }, 201],
    [{ to: 5, body: 'x' }, 400],
    [{ to: [5], body: 'x' }, 400],
  ];
  for (const [body, want] of cases) {
    const r = await send('alice', body);
    assert.equal(r.status, want, `${JSON.stringify(body).slice(0, 80)}: ${r.text.slice(0, 200)}`);
  }
  assert.equal((await api(url, 'POST', '/api/v1/messages', '{"to": ["bob"], "body": ', tok.alice)).status, 400);
  const w = await webLogin(url, 'alice');
  const form = await w.get('/pm/new');
  const long = await w.post('/pm', { csrf: csrfOf(form.text), to: 'b'.repeat(201), body: 'x' });
  assert.equal(long.status, 413);
  assert.equal((await w.get(`/pm/new?to=${'b'.repeat(201)}`)).status, 400);
  // the report reason
  const r = await send('bob', { to: ['alice'], body: '举报测试' });
  const over = await api(url, 'POST', `/api/v1/messages/${r.json.id}/report`, { mid: r.json.message_id, reason: '长'.repeat(201) }, tok.alice);
  assert.equal(over.status, 413, over.text);
  assert.equal((await api(url, 'POST', `/api/v1/messages/${r.json.id}/report`, { mid: 'x' }, tok.alice)).status, 400);
  // cursors
  assert.equal((await w.get('/pm?before=abc')).status, 400);
  assert.equal((await w.get('/pm?before=1_01')).status, 400);
  assert.equal((await w.get(`/pm/${r.json.id}?before=-1`)).status, 400);
});

test('BBCode: no remote images; images only from the sender\'s own uploads, which the members may load', async () => {
  const mine = await upload(url, tok.alice, '山.png', makeImage(64, 48, 'png', 7));
  const theirs = await upload(url, tok.carol, '别人的.png', makeImage(64, 48, 'png', 8));
  assert.equal(mine.status, 201, mine.text);
  const r = await send('alice', {
    to: ['bob'],
    body: `[img]https://evil.example/x.png[/img] [attachimg]${mine.json.aid}[/attachimg] [attachimg]${theirs.json.aid}[/attachimg] <script>x</script>`,
  });
  assert.equal(r.status, 201, r.text);
  const c = await api(url, 'GET', `/api/v1/messages/${r.json.id}`, undefined, tok.bob);
  const html = c.json.messages.at(-1).body_html;
  assert.doesNotMatch(html, /<img[^>]+evil\.example/);
  assert.match(html, /\[img\]<a href="https:\/\/evil\.example/, "[img] stays literal text (its URL a link)");
  assert.match(html, new RegExp(`<img[^>]+/a/${mine.json.aid}/`));
  assert.doesNotMatch(html, new RegExp(`<img[^>]+/a/${theirs.json.aid}/`));
  assert.match(html, new RegExp(`\\[attachimg\\]${theirs.json.aid}`));
  assert.doesNotMatch(html, /<script/);
  // bob may load the image (a member of the conversation); dave, who is not, may not
  const bob = await fetchBytes(`${url}/a/${mine.json.aid}/o`, { cookie: (await webLogin(url, 'bob')).cookieHeader() });
  assert.equal(bob.status, 200);
  const dave = await fetchBytes(`${url}/a/${mine.json.aid}/o`, { cookie: (await webLogin(url, 'dave')).cookieHeader() });
  assert.equal(dave.status, 404);
});

test('the block list: a blocked sender is refused until unblocked', async () => {
  const w = await webLogin(url, 'dave');
  let page = await w.get('/pm/blocks');
  assert.equal(page.status, 200);
  const add = await w.post('/pm/blocks', { csrf: csrfOf(page.text), action: 'block', name: 'carol' });
  assert.equal(add.status, 303);
  page = await w.get('/pm/blocks');
  assert.match(page.text, />carol<\/a>/);
  const r = await send('carol', { to: ['dave'], body: '在吗' });
  assert.equal(r.status, 403, r.text);
  assert.match(r.json.error.message, /拒绝接收/);
  // nor into a group conversation with dave
  const g = await send('bob', { to: ['carol', 'dave'], body: '群' });
  assert.equal(g.status, 201);
  assert.equal((await api(url, 'POST', `/api/v1/messages/${g.json.id}`, { body: '我也在' }, tok.carol)).status, 403);
  assert.equal((await w.post('/pm/blocks', { csrf: csrfOf(page.text), name: 'no_such_member' })).status, 404);
  assert.equal((await w.post('/pm/blocks', { csrf: csrfOf(page.text), name: 'dave' })).status, 400);
  const del = await w.post('/pm/blocks', { csrf: csrfOf(page.text), action: 'unblock', name: 'carol' });
  assert.equal(del.status, 303);
  assert.equal((await send('carol', { to: ['dave'], body: '在吗' })).status, 201);
});

test('new members are throttled (pm.newbie_per_hour); 禁止发言 and 禁止访问 cannot send', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await send('newbie', { to: ['bob'], body: `第${i}条` })).status, 201);
  const r = await send('newbie', { to: ['bob'], body: '第四条' });
  assert.equal(r.status, 429, r.text);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.match(r.json.error.message, /新注册/);
  for (let i = 0; i < 5; i++) assert.equal((await send('m7', { to: ['bob'], body: `老会员${i}` })).status, 201);

  for (const group of ['4', '5']) {
    const g = await forum.run(['user', 'group', '--name', 'm8', '--group', group]);
    assert.equal(g.code, 0, g.stderr);
    const s = await send('m8', { to: ['bob'], body: '被禁了还想发' });
    assert.equal(s.status, 403, `group ${group}: ${s.text}`);
  }
  await forum.run(['user', 'group', '--name', 'm8', '--group', '10']);
  assert.equal((await send('m8', { to: ['bob'], body: '解禁了' })).status, 201);
});

test('reports: a member reports a message; admins read reported messages only, others get 403', async () => {
  const r = await send('m9', { to: ['bob'], body: '正常的一句 Hx1Normal' });
  const bad = await api(url, 'POST', `/api/v1/messages/${r.json.id}`, { body: '广告：买 Hx2Spam' }, tok.m9);
  assert.equal(bad.status, 201);
  const b = await webLogin(url, 'bob');
  const page = await b.get(`/pm/${r.json.id}`);
  assert.match(page.text, /举报/);
  const rep = await b.post(`/pm/${r.json.id}/report`, { csrf: csrfOf(page.text), mid: bad.json.message_id, reason: '垃圾广告' });
  assert.equal(rep.status, 303, rep.text.slice(0, 300));
  assert.equal((await b.get('/pm/reports')).status, 403, 'members may not read the reports');
  const root = await webLogin(url, 'root');
  const q = await root.get('/pm/reports');
  assert.equal(q.status, 200);
  assert.match(q.text, /Hx2Spam/);
  assert.match(q.text, /垃圾广告/);
  assert.doesNotMatch(q.text, /Hx1Normal/, 'the rest of the conversation stays private');
  assert.equal((await root.get(`/pm/${r.json.id}`)).status, 404);
  const id = q.text.match(/\/pm\/reports\/(\d+)\/handle/)[1];
  assert.equal((await b.post(`/pm/reports/${id}/handle`, { csrf: csrfOf(page.text) })).status, 403);
  assert.equal((await root.post(`/pm/reports/${id}/handle`, { csrf: csrfOf(q.text) })).status, 303);
  assert.doesNotMatch((await root.get('/pm/reports')).text, /Hx2Spam/);
});

test('the header: 消息 with the viewer\'s own count on cached pages; guests see none', async () => {
  await send('alice', { to: ['dave'], body: '缓存测试一' });
  await send('alice', { to: ['dave'], body: '缓存测试二' });
  const d = await webLogin(url, 'dave');
  const c = await webLogin(url, 'carol');
  const n = (await api(url, 'GET', '/api/v1/messages', undefined, tok.dave)).json.unread;
  assert.ok(n >= 2);
  for (let i = 0; i < 2; i++) {
    assert.equal(headerCount((await d.get('/')).text), n);
    const cc = (await api(url, 'GET', '/api/v1/messages', undefined, tok.carol)).json.unread;
    assert.equal(headerCount((await c.get('/')).text), cc);
  }
  const g = await get(`${url}/`);
  assert.doesNotMatch(g.text, /pmlink/);
  const g2 = await get(`${url}/`);
  assert.doesNotMatch(g2.text, /pmlink/);
  assert.equal(textOf(g2.text).includes('登录'), true);
});

test('the list pages by keyset (PM_PER_PAGE 20), newest first, each conversation once', async () => {
  const made = [];
  for (let i = 0; i < 22; i++) {
    const r = await send('m5', { to: ['m6', 'm7'], subject: `第 ${i} 个群`, body: `群消息 ${i}` });
    assert.equal(r.status, 201, r.text);
    made.push(r.json.id);
  }
  const seen = [];
  let next = '';
  for (let guard = 0; guard < 5; guard++) {
    const r = await api(url, 'GET', `/api/v1/messages${next ? `?before=${next}` : ''}`, undefined, tok.m6);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.conversations.length <= 20);
    seen.push(...r.json.conversations.map((c) => c.id));
    if (!r.json.next) break;
    next = r.json.next;
  }
  const mine = seen.filter((id) => made.includes(id));
  assert.deepEqual(mine, [...made].reverse(), 'newest first, none twice, none lost');
  assert.equal(new Set(seen).size, seen.length);
  const w = await webLogin(url, 'm6');
  const p1 = await w.get('/pm');
  assert.equal((p1.text.match(/class="pm-item/g) ?? []).length, 20);
  const cur = p1.text.match(/href="\/pm\?before=(\d+_\d+)"/);
  assert.ok(cur, 'a link to older conversations');
  const p2 = await w.get(`/pm?before=${cur[1]}`);
  assert.equal(p2.status, 200);
  assert.ok(queriesOf(p2.text) <= 3);
  assert.ok((p2.text.match(/class="pm-item/g) ?? []).length >= 2);
});

test('a conversation pages by keyset: the newest PM_MSGS_PER_PAGE (30), older ones by ?before=MID', async () => {
  const first = await send('m3', { to: ['m4'], body: '第 0 条' });
  const cid = first.json.id;
  for (let i = 1; i < 35; i++) {
    const r = await api(url, 'POST', `/api/v1/messages/${cid}`, { body: `第 ${i} 条` }, tok[i % 2 ? 'm4' : 'm3']);
    assert.equal(r.status, 201, r.text);
  }
  const w = await webLogin(url, 'm4');
  const p1 = await w.get(`/pm/${cid}`);
  const texts = (html) => [...html.matchAll(/<div class="pm-text pcontent">第 (\d+) 条<\/div>/g)].map((m) => Number(m[1]));
  assert.deepEqual(texts(p1.text), Array.from({ length: 30 }, (_, i) => i + 5), 'the newest 30, oldest first');
  const older = p1.text.match(/href="\/pm\/\d+\?before=(\d+)"/);
  assert.ok(older);
  const p2 = await w.get(`/pm/${cid}?before=${older[1]}`);
  assert.deepEqual(texts(p2.text), [0, 1, 2, 3, 4]);
  assert.doesNotMatch(p2.text, /\?before=\d+"/, 'nothing older');
  assert.ok(queriesOf(p2.text) <= 3);
  const j = await api(url, 'GET', `/api/v1/messages/${cid}`, undefined, tok.m3);
  assert.equal(j.json.messages.length, 30);
  assert.equal(j.json.total, 35);
  const j2 = await api(url, 'GET', `/api/v1/messages/${cid}?before=${j.json.next}`, undefined, tok.m3);
  assert.deepEqual(j2.json.messages.map((m) => m.body), ['第 0 条', '第 1 条', '第 2 条', '第 3 条', '第 4 条']);
});

test('提醒: a new 短消息 notifies the other members (NK_PM), linking to the conversation; the sender is not told', async () => {
  const before = (await api(url, 'GET', '/api/v1/notifications?unread=1', undefined, tok.m2)).json.unread;
  const r = await send('m1', { to: ['m2', 'm3'], subject: '提醒测试群', body: '通知内容 Nt5Note' });
  assert.equal(r.status, 201, r.text);
  const n = await api(url, 'GET', '/api/v1/notifications?unread=1', undefined, tok.m2);
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.unread, before + 1);
  const row = n.json.notifications.find((x) => x.conversation === r.json.id);
  assert.ok(row, 'a notification about the conversation');
  assert.equal(row.actor.name, 'm1');
  assert.equal(row.url, `/pm/${r.json.id}`);
  assert.match(row.extra, /Nt5Note/);
  const mine = await api(url, 'GET', '/api/v1/notifications?unread=1', undefined, tok.m1);
  assert.ok(!mine.json.notifications.some((x) => x.conversation === r.json.id), 'the sender is not told');
  // an answer tells the others again
  await api(url, 'POST', `/api/v1/messages/${r.json.id}`, { body: '回复也提醒' }, tok.m3);
  const m1 = await api(url, 'GET', '/api/v1/notifications?unread=1', undefined, tok.m1);
  assert.ok(m1.json.notifications.some((x) => x.conversation === r.json.id));
});

test('two members writing to each other at once get one conversation', async () => {
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    (i % 2 ? send('m8', { to: ['m9'], body: `同时 ${i}` }) : send('m9', { to: ['m8'], body: `同时 ${i}` }))));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 1, 'one conversation');
  const c = await api(url, 'GET', `/api/v1/messages/${rs[0].json.id}`, undefined, tok.m8);
  assert.equal(c.json.total, 12);
  assert.equal(c.json.members.length, 2);
});

test('two nodes: a message sent on one shows, unread, on the other; reading it there clears it everywhere', async () => {
  const node = await forum.startNode();
  try {
    const r = await send('m1', { to: ['m4'], body: '另一台服务器上见 Nd2Other' });
    assert.equal(r.status, 201, r.text);
    const w = await webLogin(node.url, 'm4');
    const home = await w.get('/');
    const n = headerCount(home.text);
    assert.ok(n >= 1, 'the other node counts it');
    const page = await w.get(`/pm/${r.json.id}`);
    assert.match(page.text, /Nd2Other/);
    const left = (await api(url, 'GET', '/api/v1/messages', undefined, tok.m4)).json;
    assert.equal(left.conversations.find((c) => c.id === r.json.id).unread, 0, 'read on the first node too');
  } finally {
    await node.stop?.();
  }
});
