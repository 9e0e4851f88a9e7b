// t1530: 收藏 and 分享 (issue #15): POST/DELETE /api/v1/threads/{tid}/favorite, the thread page's
// [收藏] button, /favorites (keyset pages, only threads the viewer may still see, at most 3 queries),
// FAVORITE_MAX, and 分享: the QR code of the thread's address (libqrencode, SVG), Weibo and QQ links,
// 复制链接 kept.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startForum, Client, get, api, apiToken, webLogin, csrfOf, queriesOf, addBoard, sql, eventually, PW,
} from './lib.mjs';

let forum, tok, web, fid, hidden;
const tids = [];
before(async () => {
  forum = await startForum({ demo: false, config: { 'post.flood_seconds': 0 },
    users: [{ name: 'alice', password: PW }, { name: 'root', password: PW, admin: true }] });
  fid = await addBoard(forum, ['--name', '公开版']);
  hidden = await addBoard(forum, ['--name', '秘密版']);
  const rootTok = await apiToken(forum.url, 'root');
  for (let i = 0; i < 23; i++) {
    const r = await api(forum.url, 'POST', `/api/v1/boards/${i === 0 ? hidden : fid}/threads`,
      { title: `收藏测试 ${i}`, body: `正文 ${i}` }, rootTok);
    assert.equal(r.status, 201, r.text);
    tids.push(r.json.tid);
  }
  tok = await apiToken(forum.url, 'alice');
  web = await webLogin(forum.url, 'alice');
});
after(async () => { await forum?.stop(); });

test('API: favorite and unfavorite; idempotent; 404, 401', async () => {
  let r = await api(forum.url, 'POST', `/api/v1/threads/${tids[1]}/favorite`, undefined, tok);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { tid: tids[1], favorite: true });
  r = await api(forum.url, 'POST', `/api/v1/threads/${tids[1]}/favorite`, undefined, tok);
  assert.equal(r.status, 200, 'twice is fine');
  assert.equal((await api(forum.url, 'POST', '/api/v1/threads/999999/favorite', undefined, tok)).status, 404);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tids[1]}/favorite`)).status, 401);
  assert.equal((await api(forum.url, 'POST', '/api/v1/threads/01/favorite', undefined, tok)).status, 404);
  r = await api(forum.url, 'DELETE', `/api/v1/threads/${tids[1]}/favorite`, undefined, tok);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { tid: tids[1], favorite: false });
  assert.doesNotMatch((await web.get('/favorites')).text, /收藏测试 1</);
});

test('the thread page: [收藏] posts through #fx, lands on /favorites; 分享 has the QR code, Weibo, QQ, 复制链接', async () => {
  const t = await web.get(`/t/${tids[2]}`);
  assert.equal(t.status, 200);
  assert.match(t.text, new RegExp(`formaction="/t/${tids[2]}/favorite"`));
  assert.match(t.text, /class="linkish copylink"/);
  assert.match(t.text, new RegExp(`src="/t/${tids[2]}/qr\\.svg"`));
  // the share links go through the server (the page, cached for guests, holds no Host)
  assert.match(t.text, new RegExp(`href="/t/${tids[2]}/share/weibo"`));
  assert.match(t.text, new RegExp(`href="/t/${tids[2]}/share/qq"`));
  assert.ok(!t.text.includes(forum.url), 'no absolute address of the request in the page');
  const enc = encodeURIComponent(`${forum.url}/t/${tids[2]}`);
  const title = encodeURIComponent('收藏测试 2');
  let s = await web.get(`/t/${tids[2]}/share/weibo`);
  assert.equal(s.status, 302);
  assert.equal(s.headers.get('location'), `https://service.weibo.com/share/share.php?url=${enc}&title=${title}`);
  s = await web.get(`/t/${tids[2]}/share/qq`);
  assert.equal(s.headers.get('location'), `https://connect.qq.com/widget/shareqq/index.html?url=${enc}&title=${title}`);
  assert.equal((await web.get(`/t/${tids[2]}/share/facebook`)).status, 404);
  const r = await web.post(`/t/${tids[2]}/favorite`, { csrf: csrfOf(t.text) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/favorites?added=${tids[2]}`);
  const list = await web.get(r.headers.get('location'));
  assert.match(list.text, /收藏成功/);
  assert.match(list.text, /收藏测试 2</);
  assert.ok(queriesOf(list.text) <= 3, `queries ${queriesOf(list.text)}`);
  // without the CSRF token: refused
  assert.equal((await web.post(`/t/${tids[3]}/favorite`, {})).status, 403);
  // guests: no button, and /favorites wants a login
  const guest = await get(`${forum.url}/t/${tids[2]}`);
  assert.doesNotMatch(guest.text, /\/favorite"/);
  assert.equal((await get(`${forum.url}/favorites`)).status, 403);
  // 取消收藏 from the list
  const rm = await web.post(`/t/${tids[2]}/favorite`, { csrf: csrfOf(list.text), action: 'remove' });
  assert.equal(rm.status, 303);
  assert.doesNotMatch((await web.get('/favorites')).text, /收藏测试 2</);
});

test('/favorites: newest first, keyset pages of 20, threads the viewer may no longer see left out', async () => {
  for (let i = 1; i < 23; i++) {
    assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tids[i]}/favorite`, undefined, tok)).status, 200);
  }
  // the hidden board's thread is saved while alice may still see it
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tids[0]}/favorite`, undefined, tok)).status, 200);
  await sql(forum, `UPDATE favorite SET created = 1000000 - tid`);   // distinct times: the smallest tid newest
  const names = (html) => [...html.matchAll(/class="fav-subject" href="\/t\/(\d+)">/g)].map((m) => Number(m[1]));
  let p = await web.get('/favorites');
  assert.deepEqual(names(p.text), tids.slice(0, 20));
  const next = /href="(\/favorites\?before=[^"]+)"/.exec(p.text)[1];
  p = await web.get(next.replace(/&amp;/g, '&'));
  assert.deepEqual(names(p.text), tids.slice(20));
  assert.ok(queriesOf(p.text) <= 3);
  assert.equal((await web.get('/favorites?before=x_1')).status, 400);
  assert.equal((await web.get('/favorites?before=1_01')).status, 400);
  // the board closes to members: its thread leaves the list, and cannot be saved again
  for (const g of [10, 11, 12, 13, 14, 15]) {
    const r = await forum.run(['board', 'perm', '--fid', String(hidden), '--group', String(g), '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
  }
  await eventually(async () => (await web.get(`/f/${hidden}`)).status === 403, 'the permission reload');
  p = await web.get('/favorites');
  // the page reads 20 rows and shows those the viewer may see (the cursor is the last row read)
  assert.deepEqual(names(p.text), tids.slice(1, 20));
  assert.doesNotMatch(p.text, /收藏测试 0</);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tids[0]}/favorite`, undefined, tok)).status, 403);
  // its QR code and share links too
  assert.equal((await web.get(`/t/${tids[0]}/qr.svg`)).status, 403);
  assert.equal((await web.get(`/t/${tids[0]}/share/weibo`)).status, 403);
});

test('FAVORITE_MAX (1000): the 1001st is refused with 403', async () => {
  await sql(forum, 'DELETE FROM favorite');
  const uid = (await api(forum.url, 'GET', '/api/v1/me', undefined, tok)).json.uid;
  await sql(forum, `INSERT INTO favorite(uid, tid, created) SELECT ${uid}, 100000 + x, 1 FROM (${
    forum.db ? 'SELECT generate_series(1, 999) AS x' : 'WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 999) SELECT x FROM s'}) q`);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tids[5]}/favorite`, undefined, tok)).status, 200, 'the 1000th');
  const r = await api(forum.url, 'POST', `/api/v1/threads/${tids[6]}/favorite`, undefined, tok);
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /最多收藏 1000 个主题/);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tids[5]}/favorite`, undefined, tok)).status, 200, 'one kept: fine');
});

test('分享: /t/{tid}/qr.svg is an SVG QR code (version and size from libqrencode); 404 for no thread', async () => {
  const r = await get(`${forum.url}/t/${tids[3]}/qr.svg`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
  const m = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/.exec(r.text);
  assert.ok(m, r.text.slice(0, 200));
  const modules = Number(m[1]) - 8;   // the 4-module quiet zone on each side
  assert.ok(modules >= 21 && (modules - 17) % 4 === 0, `a QR code is 17 + 4v modules wide: ${modules}`);
  assert.doesNotMatch(r.text, /style=/, 'no inline style (CSP)');
  // the three finder patterns: a 7-module dark run at the top-left and top-right corners of row 0
  assert.match(r.text, /M4 4h7v1h-7z/);
  assert.equal((await get(`${forum.url}/t/999999/qr.svg`)).status, 404);
  assert.equal((await get(`${forum.url}/t/0/qr.svg`)).status, 404);
});
