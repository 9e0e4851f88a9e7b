// t1500: 提醒 notifications (issue #15): a reply, a quote and an @mention of a thread's author
// (the bell shows 2), grouped likes ("X 等 5 人"), ratings and moderators' actions with the reason,
// 关注 a thread, per-kind switches, marking read (one, some, all; web and API), the keyset pages,
// @ completion, and the limits: at most 10 mentions per post, 100 ids per mark, 15 characters of
// a completion prefix; no notification for a post in a board the member may not see.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum, eventually, api, apiToken, webLogin, csrfOf, queriesOf, textOf, addBoard, PW } from './lib.mjs';

const MEMBERS = ['alice', 'bob', 'carol', ...Array.from({ length: 11 }, (_, i) => `m${i + 1}`)];
let forum, fid, hidden, tok = {}, uid = {};

test.before(async () => {
  forum = await startForum({
    demo: false,
    config: { 'post.flood_seconds': '0' },
    users: [{ name: 'root', password: PW, admin: true }, ...MEMBERS.map((name) => ({ name, password: PW }))],
  });
  fid = await addBoard(forum, ['--name', '讨论区']);
  hidden = await addBoard(forum, ['--name', '管理员版']);
  const r = await forum.run(['board', 'perm', '--fid', String(hidden), '--group', '10', '--view', '0']);
  assert.equal(r.code, 0, r.stderr);
  for (const name of ['root', ...MEMBERS]) {
    tok[name] = await apiToken(forum.url, name);
    uid[name] = (await api(forum.url, 'GET', '/api/v1/me', undefined, tok[name])).json.uid;
  }
  // `board perm` reaches the running server with its next reload of the permissions (BG_FLUSH_MS)
  await eventually(async () => (await api(forum.url, 'GET', `/api/v1/boards/${hidden}/threads`, undefined, tok.carol)).status !== 200,
    'the board hidden from 新手上路 on the running server');
});
test.after(async () => { await forum?.stop(); });

const newThread = async (who, title, body, board = fid) => {
  const r = await api(forum.url, 'POST', `/api/v1/boards/${board}/threads`, { title, body }, tok[who]);
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const reply = async (who, tid, body, format) => {
  const r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body, ...(format ? { format } : {}) }, tok[who]);
  assert.equal(r.status, 201, r.text);
  return r.json.pid;
};
const notes = async (who, q = '?unread=1') => {
  const r = await api(forum.url, 'GET', `/api/v1/notifications${q}`, undefined, tok[who]);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const readAll = async (who) => {
  const r = await api(forum.url, 'POST', '/api/v1/notifications/read', { all: true }, tok[who]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unread, 0);
};
const bell = (html) => {
  const m = html.match(/<a class="bell" href="\/notifications"[^>]*>提醒<span class="qcount"[^>]*>([0-9]*)<\/span><\/a>/);
  assert.ok(m, 'the header has the bell');
  return m[1] === '' ? 0 : Number(m[1]);
};

test('a reply quoting the author and @mentioning them: two notifications, the bell shows 2', async () => {
  const { tid, pid } = await newThread('alice', '周末去爬山', '有人一起吗？');
  const bob = await webLogin(forum.url, 'bob');
  const form = await bob.get(`/t/${tid}/reply?quote=${pid}`);
  assert.equal(form.status, 200);
  const quoted = textOf(form.text.match(/<textarea[^>]*name="body"[^>]*>([\s\S]*?)<\/textarea>/)[1]);
  assert.match(quoted, /\[quote\]/);
  const body = `${quoted}\n@alice 我去！`;
  const r = await bob.post(`/t/${tid}/reply`, { csrf: csrfOf(form.text), body, format: 'bbcode' });
  assert.equal(r.status, 303, r.text.slice(0, 300));

  const n = await notes('alice');
  assert.equal(n.unread, 2);
  assert.deepEqual(n.notifications.map((x) => x.kind).sort(), ['mention', 'quote']);
  for (const x of n.notifications) {
    assert.equal(x.actor.name, 'bob');
    assert.equal(x.tid, tid);
    assert.equal(x.subject, '周末去爬山');
    assert.equal(x.read, false);
  }
  const alice = await webLogin(forum.url, 'alice');
  const home = await alice.get('/');
  assert.equal(bell(home.text), 2);
  // the thread page links the mention to the member; the cached member page still fills the bell per viewer
  const t = await alice.get(`/t/${tid}`);
  assert.match(t.text, new RegExp(`<a href="/u/${uid.alice}" class="mention">@alice</a>`));
  assert.equal(bell(t.text), 2);
  assert.equal(bell((await bob.get(`/t/${tid}`)).text), 0, 'bob has none');
  // a guest's cached page has no bell
  const guest = await fetch(`${forum.url}/t/${tid}`).then((x) => x.text());
  assert.doesNotMatch(guest, /class="bell"/);

  // the list page: both rows, three queries at most; opening one marks it read and goes to the floor
  const list = await alice.get('/notifications');
  assert.equal(list.status, 200);
  assert.ok(queriesOf(list.text) <= 3, `queries ${queriesOf(list.text)}`);
  assert.match(textOf(list.text), /bob 引用了您在主题中的帖子 周末去爬山/);
  assert.match(textOf(list.text), /bob 在主题中提到了您 周末去爬山/);
  const first = n.notifications[0];
  const open = await alice.post(`/notifications/${first.id}/open`, { csrf: csrfOf(list.text) });
  assert.equal(open.status, 302);
  assert.match(open.headers.get('location'), new RegExp(`^/t/${tid}#pid${first.pid}$`));
  assert.equal((await notes('alice')).unread, 1);
  assert.equal(bell((await alice.get('/')).text), 1);
  // someone else's notification: 404, nothing changes
  const bobList = await bob.get('/notifications');
  assert.equal((await bob.post(`/notifications/${n.notifications[1].id}/open`, { csrf: csrfOf(bobList.text) })).status, 404);
  assert.equal((await notes('alice')).unread, 1);
  assert.equal((await alice.post('/notifications/read', { csrf: csrfOf(list.text) })).status, 303);
  assert.equal((await notes('alice')).unread, 0);
  assert.equal((await notes('alice', '')).notifications.length, 2, 'read ones stay in the list');
});

test('the thread author is told of a reply; Markdown mentions link too; the writer is never told', async () => {
  const { tid } = await newThread('carol', 'Markdown 主题', '正文');
  await reply('bob', tid, '**@carol** 看这里，还有 @bob 自己', 'markdown');
  const n = await notes('carol');
  assert.deepEqual(n.notifications.map((x) => x.kind).sort(), ['mention', 'reply']);
  assert.equal((await notes('bob')).unread, 0);
  const page = await (await webLogin(forum.url, 'carol')).get(`/t/${tid}`);
  assert.match(page.text, new RegExp(`<strong><a href="/u/${uid.carol}" class="mention">@carol</a></strong>`));
  assert.match(page.text, new RegExp(`<a href="/u/${uid.bob}" class="mention">@bob</a>`));
  // not mentions: an e-mail address, an unknown name, a name in a link or code
  await reply('bob', tid, 'mail carol@example.com, @nobody_here, [url=/x]@carol[/url] [code]@carol[/code]');
  assert.equal((await notes('carol')).notifications.filter((x) => x.kind === 'mention').length, 1);
  await readAll('carol');
});

test('likes of one floor group into one notification: "X 等 5 人赞了"', async () => {
  const { tid, pid } = await newThread('alice', '求赞', '内容');
  for (const m of ['m1', 'm2', 'm3', 'm4', 'm5']) {
    const r = await api(forum.url, 'POST', `/api/v1/posts/${pid}/like`, undefined, tok[m]);
    assert.equal(r.status, 200, r.text);
  }
  const n = await notes('alice');
  assert.equal(n.unread, 1);
  assert.equal(n.notifications[0].kind, 'like');
  assert.equal(n.notifications[0].count, 5);
  assert.equal(n.notifications[0].actor.name, 'm5');
  const alice = await webLogin(forum.url, 'alice');
  assert.match(textOf((await alice.get('/notifications')).text), /m5 等 5 人 赞了您在主题中的帖子 求赞/);
  await readAll('alice');
  // once read, the next like is a new notification
  assert.equal((await api(forum.url, 'POST', `/api/v1/posts/${pid}/like`, undefined, tok.m6)).status, 200);
  const again = await notes('alice');
  assert.equal(again.notifications.length, 1);
  assert.equal(again.notifications[0].count, 1);
  await readAll('alice');
  assert.ok(tid);
});

test('unread replies to one thread group into one notification that opens at the first of them (as Discuz!)', async () => {
  const { tid } = await newThread('alice', '合并回复', '内容');
  const other = await newThread('alice', '另一个主题', '内容');
  const first = await reply('bob', tid, '第一条');
  await reply('carol', tid, '第二条');
  await reply('bob', tid, '第三条');
  await reply('m1', other.tid, '别的主题');
  const n = await notes('alice');
  assert.equal(n.unread, 2, 'one row per thread');
  const row = n.notifications.find((x) => x.tid === tid);
  assert.equal(row.kind, 'reply');
  assert.equal(row.count, 3, 'three replies');
  assert.equal(row.actor.name, 'bob', 'the latest replier');
  assert.equal(row.pid, first, 'the first new floor');
  assert.equal(n.notifications.find((x) => x.tid === other.tid).count, 1);
  const alice = await webLogin(forum.url, 'alice');
  const list = await alice.get('/notifications');
  assert.match(textOf(list.text), /bob 回复了您的主题 合并回复 （共 3 条新回复）/);
  assert.doesNotMatch(textOf(list.text), /另一个主题 （共/, 'a single reply says no count');
  assert.equal(bell(list.text), 2);
  const open = await alice.post(`/notifications/${row.id}/open`, { csrf: csrfOf(list.text) });
  assert.match(open.headers.get('location'), new RegExp(`^/t/${tid}#pid${first}$`));
  // once read, the next reply to that thread is a new notification
  const later = await reply('carol', tid, '第四条');
  const again = (await notes('alice')).notifications.filter((x) => x.tid === tid);
  assert.deepEqual(again.map((x) => [x.count, x.pid]), [[1, later]]);
  await readAll('alice');
});

test('a rating and a moderator action tell the author, with the score and the reason', async () => {
  const { tid, pid } = await newThread('bob', '被评分的主题', '内容');
  let r = await api(forum.url, 'POST', `/api/v1/posts/${pid}/rate`, { credit: '威望', score: 1, reason: '好帖' }, tok.root);
  assert.equal(r.status, 200, r.text);
  r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/moderate`, { action: 'close', reason: '讨论结束' }, tok.root);
  assert.equal(r.status, 200, r.text);
  const n = await notes('bob');
  const rate = n.notifications.find((x) => x.kind === 'rate');
  const mod = n.notifications.find((x) => x.kind === 'mod');
  assert.equal(rate.extra, '威望 +1 好帖');
  assert.equal(rate.actor.name, 'root');
  assert.match(mod.extra, /关闭.*理由：讨论结束/);
  assert.equal(mod.subject, '被评分的主题', "a moderator's notice carries the thread's subject");
  await readAll('bob');
});

test('关注: followers hear of replies until they stop; the state is readable', async () => {
  const { tid } = await newThread('alice', '关注测试', '正文');
  const carol = await webLogin(forum.url, 'carol');
  const t = await carol.get(`/t/${tid}`);
  assert.match(t.text, new RegExp(`formaction="/t/${tid}/follow" name="on" value="1"`));
  assert.equal((await carol.get(`/t/${tid}/follow`)).json().following, false);
  let r = await carol.post(`/t/${tid}/follow`, { csrf: csrfOf(t.text), on: '1' });
  assert.equal(r.status, 303);
  assert.equal((await carol.get(`/t/${tid}/follow`)).json().following, true);
  assert.equal((await carol.post(`/t/${tid}/follow`, { csrf: csrfOf(t.text), on: '2' })).status, 400);
  // the API too: m7 follows
  r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/follow`, undefined, tok.m7);
  assert.deepEqual(r.json, { tid, following: true });
  await reply('bob', tid, '一条新回复');
  for (const who of ['carol', 'm7']) {
    const n = await notes(who);
    assert.equal(n.notifications.length, 1, who);
    assert.equal(n.notifications[0].kind, 'follow');
    assert.equal(n.notifications[0].actor.name, 'bob');
  }
  assert.equal((await notes('alice')).notifications[0].kind, 'reply', 'the author: one notice, not two');
  assert.equal((await notes('alice')).unread, 1);
  // a follower who writes the reply is not told; one who stops hears nothing more
  await reply('m7', tid, 'm7 自己回复');
  assert.equal((await notes('m7')).unread, 1);
  r = await api(forum.url, 'DELETE', `/api/v1/threads/${tid}/follow`, undefined, tok.m7);
  assert.deepEqual(r.json, { tid, following: false });
  await carol.post(`/t/${tid}/follow`, { csrf: csrfOf(t.text), on: '0' });
  await reply('bob', tid, '又一条');
  assert.equal((await notes('carol')).unread, 2, "bob's and m7's replies, not the one after she stopped");
  assert.equal((await notes('m7')).unread, 1);
  // a thread one may not see cannot be followed
  const h = await newThread('root', '隐藏主题', '正文', hidden);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${h.tid}/follow`, undefined, tok.carol)).status, 403);
  assert.equal((await api(forum.url, 'POST', '/api/v1/threads/99999999/follow', undefined, tok.carol)).status, 404);
  for (const who of ['alice', 'carol', 'm7']) await readAll(who);
});

test('a mention in a board the member may not see tells nobody; following it there neither', async () => {
  const h = await newThread('root', '管理员的讨论', '@alice 和 @carol 看不到这里');
  assert.ok(h);
  const hid = await newThread('root', '隐藏版里的主题', '@alice 看不到 @m8', hidden);
  await reply('root', hid.tid, '再提一次 @alice');
  assert.equal((await notes('m8')).unread, 0);
  const a = await notes('alice');
  assert.equal(a.notifications.filter((x) => x.tid === hid.tid).length, 0);
  assert.equal(a.notifications.filter((x) => x.tid === h.tid).length, 1, 'the visible one does');
  // a follower who loses the right to view stops hearing: carol follows, the board is then hidden from her group
  const { tid } = await newThread('bob', '会被隐藏', '正文');
  await api(forum.url, 'POST', `/api/v1/threads/${tid}/follow`, undefined, tok.carol);
  await readAll('carol');
  const moved = await api(forum.url, 'POST', `/api/v1/threads/${tid}/moderate`, { action: 'move', fid: hidden, reason: '移走' }, tok.root);
  assert.equal(moved.status, 200, moved.text);
  await reply('root', tid, '移走后的回复');
  const c = await notes('carol');
  assert.equal(c.notifications.filter((x) => x.kind === 'follow').length, 0);
  const b = await notes('bob');
  assert.equal(b.notifications.filter((x) => x.kind === 'reply' && x.tid === tid).length, 0, 'nor the author who cannot see it');
  for (const who of ['alice', 'bob', 'carol']) await readAll(who);
});

test('limits: 10 mentions per post; 100 ids per mark; 15 characters of a prefix; a bad cursor', async () => {
  const names = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'carol'];
  for (const m of names) await readAll(m);
  const body = names.map((m) => `@${m}`).join(' ') + ' 大家好';
  const { tid } = await newThread('alice', '点名', body);
  for (const m of names.slice(0, 10)) assert.equal((await notes(m)).unread, 1, m);
  for (const m of names.slice(10)) assert.equal((await notes(m)).unread, 0, m);
  const page = await (await webLogin(forum.url, 'alice')).get(`/t/${tid}`);
  assert.equal((page.text.match(/class="mention"/g) || []).length, 10);
  assert.match(page.text, /@m11 @carol 大家好/);

  let r = await api(forum.url, 'POST', '/api/v1/notifications/read', { ids: Array.from({ length: 100 }, (_, i) => i + 1) }, tok.m1);
  assert.equal(r.status, 200, r.text);
  r = await api(forum.url, 'POST', '/api/v1/notifications/read', { ids: Array.from({ length: 101 }, (_, i) => i + 1) }, tok.m1);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'too_many');
  for (const bad of [{}, { ids: [] }, { ids: [0] }, { ids: ['1'] }, { all: 'yes' }]) {
    assert.equal((await api(forum.url, 'POST', '/api/v1/notifications/read', bad, tok.m1)).status, 400, JSON.stringify(bad));
  }
  assert.equal((await api(forum.url, 'POST', '/api/v1/notifications/read', { all: true })).status, 401);

  const q = (s) => api(forum.url, 'GET', `/api/v1/mentions?q=${encodeURIComponent(s)}`, undefined, tok.bob);
  r = await q('m1');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.map((x) => x.name), ['m1', 'm10', 'm11']);
  assert.deepEqual((await q('ALI')).json, [{ uid: uid.alice, name: 'alice' }], 'names compare by their key');
  assert.deepEqual((await q('')).json, []);
  assert.equal((await q('一'.repeat(15))).status, 200);
  assert.equal((await q('一'.repeat(16))).status, 400);
  assert.equal((await api(forum.url, 'GET', '/api/v1/mentions?q=al')).status, 401);
  const bob = await webLogin(forum.url, 'bob');
  assert.deepEqual((await bob.get('/mentions?q=car')).json(), [{ uid: uid.carol, name: 'carol' }]);

  for (const c of ['1', '1-', '-1', '01-2', '1-x', '1-2-3']) {
    assert.equal((await bob.get(`/notifications?before=${c}`)).status, 400, c);
  }
});

test('keyset pages: every notification once, newest first', async () => {
  await readAll('carol');
  const { tid } = await newThread('carol', '很多回复', '正文');
  // unread replies to one thread are one row: each read at once, so each reply makes a row of its own
  for (let i = 0; i < 45; i++) {
    await reply(i % 2 ? 'bob' : 'alice', tid, `第 ${i} 条`);
    await readAll('carol');
  }
  const seen = [];
  let next = '';
  for (let guard = 0; guard < 10; guard++) {
    const n = await notes('carol', next ? `?before=${next}` : '');
    seen.push(...n.notifications.map((x) => ({ id: x.id, pid: x.pid })));
    if (!n.next) break;
    next = n.next;
  }
  assert.equal(new Set(seen.map((x) => x.id)).size, seen.length, 'no row twice');
  assert.ok(seen.length >= 45, `${seen.length}`);
  const pids = seen.slice(0, 45).map((x) => x.pid);
  assert.deepEqual(pids, [...pids].sort((a, b) => b - a), 'newest first');
  const c = await webLogin(forum.url, 'carol');
  const p1 = await c.get('/notifications');
  assert.equal((p1.text.match(/class="notice /g) || []).length, 20);
  const more = p1.text.match(/href="(\/notifications\?before=[0-9]+-[0-9]+)"/);
  assert.ok(more, 'a link to older ones');
  const p2 = await c.get(more[1].replace(/&amp;/g, '&'));
  assert.equal(p2.status, 200);
  assert.ok(queriesOf(p2.text) <= 3);
  await readAll('carol');
});

test('switches: a kind switched off in settings is not written; the others are', async () => {
  const alice = await webLogin(forum.url, 'alice');
  const form = await alice.get('/settings/notifications');
  assert.equal(form.status, 200);
  assert.ok(queriesOf(form.text) <= 3);
  assert.equal((form.text.match(/type="checkbox"[^>]*checked/g) || []).length, 8, 'all on by default');
  const on = { csrf: csrfOf(form.text), k_reply: '1', k_quote: '1', k_rate: '1', k_like: '1', k_mod: '1', k_pm: '1', k_follow: '1' };
  const r = await alice.post('/settings/notifications', on);
  assert.equal(r.status, 303);
  const again = await alice.get('/settings/notifications');
  assert.match(again.text, /name="k_mention" value="1">/);
  assert.equal((again.text.match(/type="checkbox"[^>]*checked/g) || []).length, 7);
  await readAll('alice');
  const { tid } = await newThread('alice', '关了提及', '正文');
  await reply('bob', tid, '@alice 提到你');
  const n = await notes('alice');
  assert.deepEqual(n.notifications.map((x) => x.kind), ['reply']);
  await alice.post('/settings/notifications', { ...on, k_mention: '1' });
  await readAll('alice');
});

test('the guest sees no notifications; write routes need the token', async () => {
  assert.equal((await fetch(`${forum.url}/notifications`, { redirect: 'manual' })).status, 403);
  assert.equal((await api(forum.url, 'GET', '/api/v1/notifications')).status, 401);
  const alice = await webLogin(forum.url, 'alice');
  assert.equal((await alice.post('/notifications/read', {})).status, 403, 'no CSRF token');
});
