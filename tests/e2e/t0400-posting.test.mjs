// t0400: posting on the web and through the JSON API: new threads, replies,
// quotes, edits with history, deletes, the floor redirect, flood control, and
// every refusal (guest, CSRF, closed thread, limits, types, other's posts),
// with the counters checked against the rows after the sequence.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, csrfOf, get, queriesOf, PW, webLogin, apiToken, api, allFloors, boardCounts, checkCounters, sql, addBoard } from './lib.mjs';

let forum, url, fid, typedFid, alice, bob, mod, tokA, tokB, tokM;
const users = [
  { name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'boss', password: PW, admin: true },
  { name: 'carol', password: PW },
];

before(async () => {
  forum = await startForum({ demo: false, users, config: { 'post.flood_seconds': 0 } });
  url = forum.url;
  fid = await addBoard(forum, ['--name', '测试版', '--types', '闲聊,求助']);
  typedFid = await addBoard(forum, ['--name', '爆料版', '--types', '我要爆料,曝光台', '--require-type']);
  alice = await webLogin(url, 'alice');
  bob = await webLogin(url, 'bob');
  mod = await webLogin(url, 'boss');
  tokA = await apiToken(url, 'alice');
  tokB = await apiToken(url, 'bob');
  tokM = await apiToken(url, 'boss');
});
after(async () => { if (forum) await forum.stop(); });

async function newThreadWeb(c, f, fields) {
  const form = await c.get(`/f/${f}/new`);
  assert.equal(form.status, 200, form.text.slice(0, 300));
  return c.post(`/f/${f}/new`, { csrf: csrfOf(form.text), ...fields });
}

function landing(res) {
  assert.equal(res.status, 303, `want 303, got ${res.status}: ${res.text.slice(0, 400)}`);
  const m = /^\/t\/(\d+)\?page=(\d+)#pid(\d+)$/.exec(res.headers.get('location'));
  assert.ok(m, `location ${res.headers.get('location')}`);
  return { tid: Number(m[1]), page: Number(m[2]), pid: Number(m[3]) };
}

test('guests are refused: 403 with a login link on the web, 401 JSON on the API', async () => {
  const g = new Client(url);
  for (const p of [`/f/${fid}/new`, '/t/1/reply', '/p/1/edit', '/p/1/history']) {
    const r = await g.get(p);
    assert.equal(r.status, 403, p);
    assert.match(r.text, new RegExp(`href="/login\\?next=${encodeURIComponent(p)}"`), "a login link back to this page");
  }
  const r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: 't', body: 'b' });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'unauthorized');
  const before_ = await boardCounts(url, fid);
  const form = await g.get('/login');   // a guest CSRF cookie+token does not let a guest post
  const p = await g.post(`/f/${fid}/new`, { csrf: csrfOf(form.text), title: 'x', body: 'y' });
  assert.equal(p.status, 403);
  assert.equal((await boardCounts(url, fid)).threads, before_.threads);
});

test('new thread on the web: form, preview saves nothing, post lands on floor 1, forbid-reprint notice', async () => {
  const form = await alice.get(`/f/${fid}/new`);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="title"/);
  assert.match(form.text, /<option value="markdown"/);
  assert.match(form.text, /name="forbidreprint"/);
  assert.match(form.text, /name="preview"/);
  const before_ = await boardCounts(url, fid);
  const pv = await alice.post(`/f/${fid}/new`, { csrf: csrfOf(form.text), title: '预览标题', body: '[b]粗体[/b]', preview: '1' });
  assert.equal(pv.status, 200);
  assert.match(pv.text, /<strong>粗体<\/strong>|<b>粗体<\/b>/);
  assert.match(pv.text, /\[b\]粗体\[\/b\]<\/textarea>/);
  assert.equal((await boardCounts(url, fid)).threads, before_.threads, 'preview wrote nothing');
  const res = await alice.post(`/f/${fid}/new`, {
    csrf: csrfOf(form.text), title: '第一个<帖子>', body: '你好 **世界**', format: 'markdown', forbidreprint: '1',
  });
  const { tid, page, pid } = landing(res);
  assert.equal(page, 1);
  const t = await alice.get(`/t/${tid}`);
  assert.equal(t.status, 200);
  assert.match(t.text, /第一个&lt;帖子&gt;/);
  assert.match(t.text, /<strong>世界<\/strong>/);
  assert.match(t.text, /未经授权，禁止转载/);
  assert.match(t.text, new RegExp(`id="pid${pid}"`));
  assert.ok(queriesOf(t.text) <= 3, `thread page for a member: ${queriesOf(t.text)} queries`);
  assert.match(t.text, /class="form quickreply"/, 'quick reply box for members');
  assert.match(t.text, new RegExp(`href="/p/${pid}/edit"`), 'edit link on own floor');
  const tb = await bob.get(`/t/${tid}`);
  assert.doesNotMatch(tb.text, new RegExp(`href="/p/${pid}/edit"`), 'no edit link on others\' floors');
  assert.match(tb.text, new RegExp(`/t/${tid}/reply\\?quote=${pid}`), 'quote link');
  const guest = await get(`${url}/t/${tid}`);
  assert.doesNotMatch(guest.text, /quickreply|\/edit"/);
});

test('missing or wrong CSRF: 403 and nothing written', async () => {
  const before_ = await boardCounts(url, fid);
  let r = await alice.post(`/f/${fid}/new`, { title: '无令牌', body: 'x' });
  assert.equal(r.status, 403);
  r = await alice.post(`/f/${fid}/new`, { title: '错令牌', body: 'x', csrf: 'a'.repeat(64) });
  assert.equal(r.status, 403);
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: 'api', body: 'b' }, tokA);
  assert.equal(t.status, 201);
  r = await alice.post(`/t/${t.json.tid}/reply`, { body: 'x' });
  assert.equal(r.status, 403);
  const after_ = await boardCounts(url, fid);
  assert.equal(after_.threads, before_.threads + 1);
  assert.equal(after_.posts, before_.posts + 1);
});

test('titles: 1-80 characters, no control characters', async () => {
  const ok80 = '题'.repeat(80);
  let r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: ok80, body: 'b' }, tokA);
  assert.equal(r.status, 201, r.text);
  for (const title of ['题'.repeat(81), '', '   ', 'a\nb', 'tab\there', 'nul\u0001x', 'c1\u0085x']) {
    r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title, body: 'b' }, tokA);
    assert.equal(r.status, 400, `title ${JSON.stringify(title)}: ${r.text}`);
  }
  r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { body: 'b' }, tokA);
  assert.equal(r.status, 400);
  r = await newThreadWeb(alice, fid, { title: 'x'.repeat(81), body: 'b' });
  assert.equal(r.status, 400);
  assert.match(r.text, /标题太长/);
});

test('bodies: 64 KiB limit (413), empty (400), formats (400 for others)', async () => {
  const big = 'x'.repeat(64 * 1024 + 1);
  let r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: 'big', body: big }, tokA);
  assert.equal(r.status, 413, r.text);
  r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: 'fits', body: 'x'.repeat(64 * 1024) }, tokA);
  assert.equal(r.status, 201, r.text);
  const tid = r.json.tid;
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: big }, tokA);
  assert.equal(r.status, 413);
  r = await newThreadWeb(alice, fid, { title: 'big', body: big });
  assert.equal(r.status, 413);
  const form = await alice.get(`/t/${tid}/reply`);
  r = await alice.post(`/t/${tid}/reply`, { csrf: csrfOf(form.text), body: big });
  assert.equal(r.status, 413);
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: ' \n ' }, tokA);
  assert.equal(r.status, 400);
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: 'x', format: 'html' }, tokA);
  assert.equal(r.status, 400);
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: 5 }, tokA);
  assert.equal(r.status, 400);
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, '{"body": "x",', tokA);
  assert.equal(r.status, 400);
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '# 标题', format: 'markdown' }, tokA);
  assert.equal(r.status, 201);
  assert.equal(r.json.position, 2);
});

test('thread types: names of the board; required when the board says so', async () => {
  let r = await api(url, 'POST', `/api/v1/boards/${typedFid}/threads`, { title: '无分类', body: 'b' }, tokA);
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /分类/);
  r = await api(url, 'POST', `/api/v1/boards/${typedFid}/threads`, { title: '错分类', body: 'b', type: '闲聊' }, tokA);
  assert.equal(r.status, 400);
  r = await api(url, 'POST', `/api/v1/boards/${typedFid}/threads`, { title: '对分类', body: 'b', type: '我要爆料' }, tokA);
  assert.equal(r.status, 201, r.text);
  const t = await api(url, 'GET', `/api/v1/threads/${r.json.tid}`);
  assert.equal(t.json.thread.type, '我要爆料');
  const form = await alice.get(`/f/${typedFid}/new`);
  assert.match(form.text, /<select name="typeid"[^>]*required/);
  r = await alice.post(`/f/${typedFid}/new`, { csrf: csrfOf(form.text), title: 'web 无分类', body: 'b' });
  assert.equal(r.status, 400);
  const typeid = /<option value="(\d+)">曝光台<\/option>/.exec(form.text)[1];
  r = await alice.post(`/f/${typedFid}/new`, { csrf: csrfOf(form.text), title: 'web 有分类', body: 'b', typeid });
  const { tid } = landing(r);
  assert.match((await get(`${url}/t/${tid}`)).text, /\[曝光台\]/);
  r = await alice.post(`/f/${fid}/new`, { csrf: csrfOf(form.text), title: 'other board type', body: 'b', typeid });
  assert.equal(r.status, 400, 'a type of another board');
  r = await api(url, 'POST', '/api/v1/boards/99999/threads', { title: 'nowhere', body: 'b' }, tokA);
  assert.equal(r.status, 404);
});

test('reply, quote prefill, landing on the new floor, /p/{pid} and findpost redirects', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '盖楼', body: '[b]一楼[/b] 原文' }, tokA);
  const tid = t.json.tid;
  let last;
  for (let i = 2; i <= 11; i++) {
    last = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `第${i}楼` }, i % 2 ? tokA : tokB);
    assert.equal(last.status, 201);
    assert.equal(last.json.position, i);
  }
  // floor 11 is on page 2
  let r = await get(`${url}/p/${last.json.pid}`);
  assert.equal(r.status, 302);
  assert.equal(r.headers.get('location'), `/t/${tid}?page=2#pid${last.json.pid}`);
  r = await get(`${url}/forum.php?mod=redirect&goto=findpost&pid=${t.json.pid}`);
  assert.equal(r.status, 302);
  assert.equal(r.headers.get('location'), `/p/${t.json.pid}`);   // /p/N knows the viewer
  r = await get(`${url}/p/${t.json.pid}`);
  assert.equal(r.headers.get('location'), `/t/${tid}#pid${t.json.pid}`);
  assert.equal((await get(`${url}/p/999999`)).status, 404);
  // quote floor 1
  const q = await bob.get(`/t/${tid}/reply?quote=${t.json.pid}`);
  assert.equal(q.status, 200);
  // from the floor's HTML: its bold kept, with a link to the floor (as Discuz! writes it)
  assert.match(q.text, new RegExp(`\\[quote\\]\\[size=2\\]\\[url=/p/${t.json.pid}\\]\\[color=#999999\\]alice 发表于 \\d{4}-\\d+-\\d+ \\d+:\\d+:\\d+\\[/color\\]\\[/url\\]\\[/size\\]\\n\\[b\\]一楼\\[/b\\] 原文\\[/quote\\]`));
  r = await bob.post(`/t/${tid}/reply`, { csrf: csrfOf(q.text), body: /<textarea[^>]*>([^<]*)<\/textarea>/.exec(q.text)[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&') + '说得对' });
  const land = landing(r);
  assert.equal(land.tid, tid);
  assert.equal(land.page, 2);
  const page2 = await bob.get(`/t/${tid}?page=2`);
  assert.match(page2.text, /<blockquote|class="quote/);
  assert.match(page2.text, /说得对/);
  // quick reply from the thread page
  const tp = await alice.get(`/t/${tid}`);
  r = await alice.post(`/t/${tid}/reply`, { csrf: csrfOf(tp.text), body: '快速回复' });
  assert.equal(landing(r).page, 2);
  // API quote_pid
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: 'api 引用', quote_pid: t.json.pid }, tokB);
  assert.equal(r.status, 201);
  const f = await api(url, 'GET', `/api/v1/threads/${tid}?page=2`);
  const fl = f.json.floors.find((x) => x.pid === r.json.pid);
  assert.match(fl.body_html, /alice 发表于/);
  r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: 'x', quote_pid: 999999 }, tokB);
  assert.equal(r.status, 404);
});

test('closed threads refuse replies with 403 and say why', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '将被关闭', body: 'b' }, tokA);
  await sql(forum, `UPDATE thread SET closed = 1 WHERE tid = ${t.json.tid}`);
  const r = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: 'x' }, tokB);
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /关闭/);
  const w = await bob.get(`/t/${t.json.tid}/reply`);
  assert.equal(w.status, 403);
  assert.match(w.text, /本主题已关闭/);
  const page = await bob.get(`/t/${t.json.tid}`);
  assert.match(page.text, /本主题已关闭，不能回复/);
  assert.doesNotMatch(page.text, /quickreply/);
  const e = await api(url, 'PATCH', `/api/v1/posts/${t.json.pid}`, { body: 'edit' }, tokA);
  assert.equal(e.status, 403);
  const m = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: '版主回复' }, tokM);
  assert.equal(m.status, 201, 'moderators may still reply');
  const cli = await forum.run(['post', '--name', 'bob', '--thread', String(t.json.tid)], 'x');
  assert.notEqual(cli.code, 0, 'the CLI obeys the closed-thread rule');
  assert.match(cli.stderr, /^loulan: the thread is closed: no replies$/m);
});

test('edit: own post only (moderators any), 本帖最后由 notice, history for author and moderators', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '原标题', body: '版本一', type: '闲聊' }, tokA);
  const { tid, pid } = t.json;
  let r = await api(url, 'PATCH', `/api/v1/posts/${pid}`, { body: '别人改的' }, tokB);
  assert.equal(r.status, 403);
  assert.equal((await bob.get(`/p/${pid}/edit`)).status, 403);
  r = await api(url, 'PATCH', `/api/v1/posts/${pid}`, { body: '版本二', title: '新标题', type: '求助' }, tokA);
  assert.equal(r.status, 200, r.text);
  // web edit of floor 1: title, forbid reprint
  const form = await alice.get(`/p/${pid}/edit`);
  assert.equal(form.status, 200);
  assert.match(form.text, /value="新标题"/);
  assert.match(form.text, /版本二<\/textarea>/);
  r = await alice.post(`/p/${pid}/edit`, { csrf: csrfOf(form.text), title: '新标题二', body: '版本三', forbidreprint: '1',
    typeid: /<option value="(\d+)" selected>求助/.exec(form.text)[1] });
  assert.equal(landing(r).pid, pid);
  r = await api(url, 'PATCH', `/api/v1/posts/${pid}`, { body: '版主改的' }, tokM);
  assert.equal(r.status, 200, 'moderator edits any post');
  const page = await get(`${url}/t/${tid}`);
  assert.match(page.text, /本帖最后由 boss 于 \d{4}-\d+-\d+ \d+:\d+:\d+ 编辑/);
  assert.match(page.text, /新标题二/);
  assert.match(page.text, /\[求助\]/);
  assert.match(page.text, /未经授权，禁止转载/);
  assert.match(page.text, /版主改的/);
  // history: 3 earlier versions
  for (const c of [alice, mod]) {
    const h = await c.get(`/p/${pid}/history`);
    assert.equal(h.status, 200);
    for (const v of ['版本一', '版本二', '版本三', '版主改的']) assert.match(h.text, new RegExp(v));
    assert.match(h.text, /第 3 版/);
    assert.match(h.text, /当前版本（第 4 版）/);
  }
  assert.equal((await bob.get(`/p/${pid}/history`)).status, 403);
  assert.match((await alice.get(`/t/${tid}`)).text, new RegExp(`/p/${pid}/history`));
  // a reply's edit cannot change the title
  const rp = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '回复' }, tokB);
  r = await api(url, 'PATCH', `/api/v1/posts/${rp.json.pid}`, { body: '回复改', title: '篡改' }, tokB);
  assert.equal(r.status, 200);
  assert.equal((await api(url, 'GET', `/api/v1/threads/${tid}`)).json.thread.title, '新标题二');
  r = await api(url, 'PATCH', `/api/v1/posts/${pid}`, { body: 'x'.repeat(64 * 1024 + 1) }, tokA);
  assert.equal(r.status, 413);
});

test('delete: a reply keeps its floor number with a placeholder; floor 1 hides the thread; counters fixed', async () => {
  const before_ = await boardCounts(url, fid);
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '将被删除', body: '一楼' }, tokA);
  const { tid, pid } = t.json;
  const r2 = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '二楼' }, tokB);
  const r3 = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '三楼' }, tokB);
  let r = await api(url, 'DELETE', `/api/v1/posts/${r2.json.pid}`, undefined, tokA);
  assert.equal(r.status, 403, 'not your post');
  const tp = await bob.get(`/t/${tid}`);
  r = await bob.post(`/p/${r2.json.pid}/delete`, {});
  assert.equal(r.status, 403, 'delete without CSRF');
  r = await bob.post(`/p/${r2.json.pid}/delete`, { csrf: csrfOf(tp.text) });
  assert.equal(r.status, 303);
  const page = await get(`${url}/t/${tid}`);
  assert.match(page.text, /该帖已被删除/);
  assert.doesNotMatch(page.text, /二楼/);
  const { thread, floors } = await allFloors(url, tid);
  assert.equal(thread.replies, 1);
  assert.deepEqual(floors.map((f) => f.position), [1, 2, 3]);
  assert.equal(floors[1].deleted, true);
  assert.equal((await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '四楼' }, tokB)).json.position, 4);
  let b = await boardCounts(url, fid);
  assert.equal(b.threads, before_.threads + 1);
  assert.equal(b.posts, before_.posts + 3);
  await checkCounters(url, [fid, typedFid], ['alice', 'bob']);
  r = await api(url, 'DELETE', `/api/v1/posts/${pid}`, undefined, tokA);
  assert.equal(r.status, 200);
  assert.equal(r.json.thread_deleted, true);
  assert.equal((await get(`${url}/t/${tid}`)).status, 404);
  assert.equal((await get(`${url}/p/${r3.json.pid}`)).status, 404);
  b = await boardCounts(url, fid);
  assert.equal(b.threads, before_.threads);
  assert.equal(b.posts, before_.posts);
  const board = await get(`${url}/f/${fid}`);
  assert.doesNotMatch(board.text, /将被删除/);
  assert.match(board.text, new RegExp(`主题: <em>${b.threads}</em>`));
  assert.match(board.text, new RegExp(`帖数: <em>${b.posts}</em>`));
  await checkCounters(url, [fid, typedFid], ['alice', 'bob', 'boss']);
  // the moderator deletes someone else's thread through the web
  const t2 = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '版主删除', body: 'x' }, tokB);
  const mp = await mod.get(`/t/${t2.json.tid}`);
  r = await mod.post(`/p/${t2.json.pid}/delete`, { csrf: csrfOf(mp.text) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/f/${fid}`);
  await checkCounters(url, [fid, typedFid], ['alice', 'bob', 'boss']);
});

test('flood control: 429 with the wait; moderators exempt', async () => {
  const r0 = await forum.run(['config', 'set', 'post.flood_seconds', 'abc']);
  assert.notEqual(r0.code, 0);
  // the setting is read at start-up: a second forum with flood control on. The window
  // is long so that a slow machine cannot outlast it between two requests.
  const f2 = await startForum({ demo: false, users, config: { 'post.flood_seconds': 60 } });
  try {
    const b = await addBoard(f2, ['--name', 'flood']);
    const ta = await apiToken(f2.url, 'alice');
    const tm = await apiToken(f2.url, 'boss');
    let r = await api(f2.url, 'POST', `/api/v1/boards/${b}/threads`, { title: 'one', body: 'b' }, ta);
    assert.equal(r.status, 201);
    const tid = r.json.tid;
    r = await api(f2.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: 'too soon' }, ta);
    assert.equal(r.status, 429);
    assert.match(r.json.error.message, /秒/);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    const c = await webLogin(f2.url, 'alice');
    const form = await c.get(`/t/${tid}/reply`);
    r = await c.post(`/t/${tid}/reply`, { csrf: csrfOf(form.text), body: 'web too soon' });
    assert.equal(r.status, 429);
    assert.match(r.text, /<textarea[^>]*>web too soon<\/textarea>/, 'the form again, with the text');
    for (let i = 0; i < 3; i++) {
      r = await api(f2.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `mod ${i}` }, tm);
      assert.equal(r.status, 201, 'moderators are exempt');
    }
    assert.equal((await allFloors(f2.url, tid)).thread.replies, 3, 'the refused replies wrote nothing');
    // the CLI goes through the same rules; --as-admin is the operator's explicit override
    let cli = await f2.run(['post', '--name', 'alice', '--thread', String(tid)], 'cli too soon');
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /^loulan: posting too fast; try again in \d+ seconds$/m);
    cli = await f2.run(['post', '--as-admin', '--name', 'alice', '--thread', String(tid)], 'cli override');
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((await allFloors(f2.url, tid)).thread.replies, 4);
  } finally {
    await f2.stop();
  }
  // after the wait the member may post again (a 1-second window: waiting longer is always safe)
  const f3 = await startForum({ demo: false, users, config: { 'post.flood_seconds': 1 } });
  try {
    const b = await addBoard(f3, ['--name', 'flood']);
    const ta = await apiToken(f3.url, 'alice');
    let r = await api(f3.url, 'POST', `/api/v1/boards/${b}/threads`, { title: 'one', body: 'b' }, ta);
    assert.equal(r.status, 201);
    await new Promise((res) => setTimeout(res, 1500));
    r = await api(f3.url, 'POST', `/api/v1/threads/${r.json.tid}/posts`, { body: 'later' }, ta);
    assert.equal(r.status, 201);
  } finally {
    await f3.stop();
  }
});

test('a member whose group may not post (禁止发言) is refused with 403 and the reason', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '禁言测试', body: 'b' }, tokA);
  await sql(forum, "UPDATE member SET groupid = 4 WHERE username = 'carol'");
  const tok = await apiToken(url, 'carol');
  let r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: 'x', body: 'y' }, tok);
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /用户组/);
  r = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: 'y' }, tok);
  assert.equal(r.status, 403);
  const c = await webLogin(url, 'carol');
  r = await c.get(`/f/${fid}/new`);
  assert.equal(r.status, 403);
  assert.match(r.text, /用户组/);
  const page = await c.get(`/t/${t.json.tid}`);
  assert.doesNotMatch(page.text, /quickreply/);
  // the CLI: the same refusal, unless the operator overrides it
  let cli = await forum.run(['post', '--name', 'carol', '--board', String(fid), '--subject', 'cli'], 'y');
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /^loulan: not permitted$/m);
  cli = await forum.run(['post', '--name', 'carol', '--thread', String(t.json.tid)], 'y');
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /^loulan: not permitted$/m);
  cli = await forum.run(['post', '--as-admin', '--name', 'carol', '--thread', String(t.json.tid)], 'y');
  assert.equal(cli.code, 0, cli.stderr);
});

test('API reads: boards, thread list, thread with floors; 404s', async () => {
  const r = await api(url, 'GET', '/api/v1/boards');
  assert.equal(r.status, 200);
  assert.ok(r.json.boards.some((b) => b.fid === typedFid && b.name === '爆料版'));
  const l = await api(url, 'GET', `/api/v1/boards/${typedFid}/threads?page=1`);
  assert.equal(l.status, 200);
  assert.deepEqual(l.json.board.types.map((t) => t.name), ['我要爆料', '曝光台']);
  assert.equal(l.json.board.requiretype, true);
  const t = await api(url, 'GET', `/api/v1/threads/${l.json.threads[0].tid}`);
  for (const k of ['title', 'type', 'views', 'replies', 'closed']) assert.ok(k in t.json.thread, k);
  for (const k of ['pid', 'position', 'author', 'created', 'edited', 'body_html']) assert.ok(k in t.json.floors[0], k);
  assert.equal((await api(url, 'GET', '/api/v1/threads/999999')).status, 404);
  assert.equal((await api(url, 'GET', `/api/v1/threads/${l.json.threads[0].tid}?page=99`)).status, 404);
  assert.equal((await api(url, 'GET', '/api/v1/boards/999999/threads')).status, 404);
  assert.equal((await api(url, 'GET', '/api/v1/boards/abc/threads')).status, 404);
});

test('counters equal the rows after the whole sequence', async () => {
  await checkCounters(url, [fid, typedFid], ['alice', 'bob', 'boss']);
  await checkCounters(url, typedFid);
  const idx = await get(`${url}/`);
  const b = await boardCounts(url, fid);
  assert.equal(idx.status, 200);
  assert.ok(b.posts >= b.threads);
});
