// t0800: attachments (issue #13). The upload API and the plain multipart forms;
// every limit crossed (size, files per post, bytes per day by group, types by
// board and group, the board's upload permission, pixels); what is refused
// leaves nothing behind; images decoded and cleaned (EXIF GPS gone from the
// served bytes); [attach] placed and unplaced; only the uploader's posts may
// use an upload; serving with ETag/304/Range and public or private caching; a
// hidden board's attachment refused to a guest; two nodes share the bytes;
// Discuz! attachment URLs; unused uploads collected; avatars.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startForum, get, csrfOf, webLogin, apiToken, api, sql, addBoard, makeImage, withGps, hasGps, pngClaiming, upload,
  fetchBytes, sizeOf, animatedGif, pagesOf } from './lib.mjs';

const PW = 'correct horse battery';
let forum, url, tokA, tokB, fid, tid, hiddenFid, uploadDir;

before(async () => {
  // the server's temp files go here, so the tests can see that refusals leave none
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loulan-up-'));
  process.env.TMPDIR = uploadDir;
  forum = await startForum({
    demo: true,
    config: { 'post.flood_seconds': '0' },
    users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'root', password: PW, admin: true }],
  });
  delete process.env.TMPDIR;
  url = forum.url;
  tokA = await apiToken(url, 'alice');
  tokB = await apiToken(url, 'bob');
  const index = await get(url + '/');
  fid = Number(/href="\/f\/(\d+)"/.exec(index.text)[1]);
  const board = await get(`${url}/f/${fid}`);
  tid = Number(/href="\/t\/(\d+)"/.exec(board.text)[1]);
  hiddenFid = await addBoard(forum, ['--name', '管理区', '--category', '站务']);
  for (const g of [7, 10, 11, 12, 13, 14, 15]) {
    const r = await forum.run(['board', 'perm', '--fid', String(hiddenFid), '--group', String(g), '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(async () => {
  await forum?.stop();
  if (uploadDir) fs.rmSync(uploadDir, { recursive: true, force: true });
});

const leftovers = () => fs.readdirSync(uploadDir).filter((f) => f.startsWith('loulan-up-'));
async function setConfig(key, value) {
  const r = await forum.run(['config', 'set', key, String(value)]);
  assert.equal(r.code, 0, r.stderr);
  // the running server re-reads settings when the generation moves (SQLite: loulan.gen, PG: NOTIFY)
  await new Promise((res) => setTimeout(res, 1500));
}

test('upload an image through the API: 201 with the documented fields; the stored original is what is served', async () => {
  const jpg = makeImage(2000, 1000, 'jpg', 1);
  const r = await upload(url, tokA, 'photo.jpg', jpg);
  assert.equal(r.status, 201, r.text);
  const a = r.json;
  for (const k of ['aid', 'url', 'is_image', 'width', 'height', 'thumb_url', 'size', 'filename']) assert.ok(k in a, k);
  assert.equal(a.is_image, true);
  assert.equal(a.width, 2000);
  assert.equal(a.height, 1000);
  assert.equal(a.filename, 'photo.jpg');
  assert.equal(a.display_width, 1600);
  assert.equal(a.display_height, 800);
  // unused: nobody but the uploader (cookie session) may fetch it
  assert.equal((await fetchBytes(url + a.url)).status, 404);
  const c = await webLogin(url, 'alice');
  const own = await fetchBytes(url + a.url, { cookie: c.cookieHeader() });
  assert.equal(own.status, 200);
  assert.equal(own.headers.get('cache-control'), 'private, no-cache');
  assert.equal(sizeOf(own.bytes), '2000x1000');
  assert.deepEqual(leftovers(), [], 'temp files are removed after the request');
});

test('no token 401; no file 400; not multipart 415', async () => {
  assert.equal((await upload(url, null, 'a.jpg', makeImage(10, 10))).status, 401);
  const fd = new FormData();
  fd.append('x', 'y');
  let res = await fetch(url + '/api/v1/attachments', { method: 'POST', body: fd, headers: { authorization: `Bearer ${tokA}` } });
  assert.equal(res.status, 400);
  res = await fetch(url + '/api/v1/attachments', { method: 'POST', body: 'x', headers: { authorization: `Bearer ${tokA}`, 'content-type': 'text/plain' } });
  assert.equal(res.status, 415);
});

test('a JPEG with EXIF GPS is served without it, in the original and the derivatives', async () => {
  const src = withGps(makeImage(300, 200, 'jpg', 2));
  assert.equal(hasGps(src), true, 'the fixture carries GPS');
  const r = await upload(url, tokA, 'gps.jpg', src);
  assert.equal(r.status, 201, r.text);
  const aid = r.json.aid;
  const p = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `GPS [attach]${aid}[/attach]` }, tokA);
  assert.equal(p.status, 201, p.text);
  for (const v of ['o', 'display', 'thumb']) {
    const got = await fetchBytes(`${url}/a/${aid}/${v}`);
    assert.equal(got.status, 200, v);
    assert.equal(got.headers.get('content-type'), 'image/jpeg');
    assert.equal(hasGps(got.bytes), false, `${v} has no GPS`);
  }
});

test('refusals: 100000x100000 PNG 422, HTML named .jpg 422, unknown type 415; nothing left behind', async () => {
  let r = await upload(url, tokA, 'bomb.png', pngClaiming(100000, 100000));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'not_what_it_claims');
  assert.match(r.json.error.message, /像素/);
  r = await upload(url, tokA, 'evil.jpg', Buffer.from('<html><script>alert(1)</script></html>'));
  assert.equal(r.status, 422, r.text);
  r = await upload(url, tokA, 'broken.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]));
  assert.equal(r.status, 422, r.text);
  r = await upload(url, tokA, 'tool.exe', Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 0xff, 0xfe]));
  assert.equal(r.status, 415, r.text);
  assert.equal(r.json.error.code, 'type_not_allowed');
  r = await upload(url, tokA, 'fake.pdf', Buffer.from('not a pdf at all'));
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(leftovers(), []);
  // nothing stored: alice's uploads today are the two images above
  const me = await api(url, 'GET', '/api/v1/me', undefined, tokA);
  assert.equal(me.status, 200);
});

test('limits: size per file 413, bytes per day by group 413, types per board and group 415, upload permission 403', async () => {
  await setConfig('attach.max_size', 1000);
  let r = await upload(url, tokA, 'big.txt', Buffer.alloc(1001, 'a'));
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json.error.code, 'too_large');
  r = await upload(url, tokA, 'ok.txt', Buffer.alloc(1000, 'a'));
  assert.equal(r.status, 201, r.text);
  await setConfig('attach.max_size', 10485760);

  // bob is in a member group (10+); * applies
  await setConfig('attach.daily_bytes', '*=3000,1=0');
  r = await upload(url, tokB, 'a.txt', Buffer.alloc(2000, 'b'));
  assert.equal(r.status, 201, r.text);
  r = await upload(url, tokB, 'b.txt', Buffer.alloc(2000, 'c'));
  assert.equal(r.status, 413, r.text);
  const tokRoot = await apiToken(url, 'root');   // group 1: no limit
  r = await upload(url, tokRoot, 'c.txt', Buffer.alloc(4000, 'd'));
  assert.equal(r.status, 201, r.text);
  await setConfig('attach.daily_bytes', '*=104857600,1=0');

  await setConfig('attach.types_board', `${fid}=pdf txt`);
  r = await upload(url, tokA, 'x.jpg', makeImage(20, 20), { fid });
  assert.equal(r.status, 415, r.text);
  r = await upload(url, tokA, 'x.jpg', makeImage(20, 20));   // no board: the default list
  assert.equal(r.status, 201, r.text);
  await setConfig('attach.types_board', '');
  await setConfig('attach.types_group', '10=txt;11=txt;12=txt;13=txt;14=txt;15=txt');
  r = await upload(url, tokB, 'y.png', makeImage(20, 20, 'png'));
  assert.equal(r.status, 415, r.text);
  await setConfig('attach.types_group', '');

  r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '10', '--view', '1', '--post', '1', '--reply', '1', '--upload', '0']);
  assert.equal(r.code, 0, r.stderr);
  await new Promise((res) => setTimeout(res, 2500));   // board permissions reload every 2 s
  r = await upload(url, tokB, 'z.txt', Buffer.from('hello'), { fid });
  assert.equal(r.status, 403, r.text);
  r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '10', '--view', '1', '--post', '1', '--reply', '1', '--upload', '1']);
  assert.equal(r.code, 0, r.stderr);
  await new Promise((res) => setTimeout(res, 2500));
  assert.deepEqual(leftovers(), []);
});

test('the plain form: files sent with a new thread are listed under it; [attach] places one; files per post limited', async () => {
  const c = await webLogin(url, 'alice');
  const form = await c.get(`/f/${fid}/new`);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  assert.match(form.text, /<input type="file" name="file" multiple>/);
  const fd = new FormData();
  fd.append('csrf', csrfOf(form.text));
  fd.append('title', '带附件的主题');
  fd.append('body', '正文，没有放置附件。');
  fd.append('file', new Blob([makeImage(640, 480, 'png', 3)]), '图一.png');
  fd.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), '说明.pdf');
  let r = await c.post(`/f/${fid}/new`, fd);
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const page = await get(url + r.headers.get('location').replace(/#.*/, ''));
  assert.match(page.text, /<div class="att-list">/);
  const img = /<a class="att-img" href="\/a\/(\d+)\/o"><img src="\/a\/\d+\/display" width="640" height="480" loading="lazy" alt="图一.png"><\/a>/.exec(page.text);
  assert.ok(img, 'the image is listed, sized and lazy');
  const pdf = /<span class="att-file"><a href="\/a\/(\d+)\/o">说明.pdf<\/a> <span class="att-size">[\d.]+ B<\/span><\/span>/.exec(page.text);
  assert.ok(pdf, 'the PDF is a download card');
  // the edit form lists the post's attachments with their codes; placing one moves it out of the list
  const pid = /#pid(\d+)/.exec(r.headers.get('location'))[1];
  const edit = await c.get(`/p/${pid}/edit`);
  assert.match(edit.text, new RegExp(`<li>\\[attach\\]${img[1]}\\[/attach\\] 图一.png</li>`));
  const fe = new FormData();
  fe.append('csrf', csrfOf(edit.text));
  fe.append('title', '带附件的主题');
  fe.append('body', `图放正文：[attach]${img[1]}[/attach]`);
  fe.append('attachments', /name="attachments" value="([\d,]+)"/.exec(edit.text)[1]);
  const er = await c.post(`/p/${pid}/edit`, fe);
  assert.equal(er.status, 303, er.text.slice(0, 300));
  const after = await get(url + er.headers.get('location').replace(/#.*/, ''));
  assert.match(after.text, new RegExp(`图放正文：<a class="att-img" href="/a/${img[1]}/o">`));
  assert.equal((after.text.match(/class="att-img"/g) || []).length >= 1, true);
  assert.match(after.text, /<div class="att-list"><div class="att-item"><span class="att-file">/, 'only the PDF is left in the list');
  // a guest fetches both; the PDF is a download with a safe type
  const o = await fetchBytes(`${url}/a/${pdf[1]}/o`);
  assert.equal(o.status, 200);
  assert.equal(o.headers.get('content-type'), 'application/pdf');
  assert.match(o.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''%E8%AF%B4%E6%98%8E.pdf$/);
  assert.equal(o.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(o.headers.get('cache-control'), 'public, max-age=31536000, immutable');

  await setConfig('attach.max_per_post', 2);
  const form2 = await c.get(`/t/${tid}/reply`);
  const fd2 = new FormData();
  fd2.append('csrf', csrfOf(form2.text));
  fd2.append('body', '三个附件');
  for (let i = 0; i < 3; i++) fd2.append('file', new Blob([Buffer.from(`file ${i}`)]), `f${i}.txt`);
  r = await c.post(`/t/${tid}/reply`, fd2);
  assert.equal(r.status, 413, r.text.slice(0, 300));
  await setConfig('attach.max_per_post', 10);
  assert.deepEqual(leftovers(), []);
});

test('only the uploader may use an attachment; a text file is never inline', async () => {
  const r = await upload(url, tokA, 'note.txt', Buffer.from('<script>alert(1)</script>'));
  assert.equal(r.status, 201, r.text);
  const aid = r.json.aid;
  let p = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `偷用 [attach]${aid}[/attach]` }, tokB);
  assert.equal(p.status, 201, p.text);
  let t = await api(url, 'GET', `/api/v1/threads/${tid}?page=1`);
  let floors = t.json.floors;
  for (let pg = 2; pg <= t.json.pages; pg++) floors = floors.concat((await api(url, 'GET', `/api/v1/threads/${tid}?page=${pg}`)).json.floors);
  const bobs = floors.find((f) => f.pid === p.json.pid);
  assert.match(bobs.body_html, new RegExp(`\\[attach\\]${aid}\\[/attach\\]`), 'stays literal in bob\'s post');
  p = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `[attach]${aid}[/attach]` }, tokA);
  assert.equal(p.status, 201, p.text);
  const got = await fetchBytes(`${url}/a/${aid}/o`);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(got.headers.get('content-disposition'), /^attachment;/);
  assert.match(got.headers.get('content-security-policy'), /sandbox/);
});

test('serving: ETag and 304, a single Range, 416, WebP by Accept, Discuz! URLs', async () => {
  const r = await upload(url, tokA, 'serve.jpg', makeImage(400, 300, 'jpg', 4));
  const aid = r.json.aid;
  await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `[attachimg]${aid}[/attachimg]` }, tokA);
  const full = await fetchBytes(`${url}/a/${aid}/o`);
  assert.equal(full.status, 200);
  const etag = full.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{64}"$/);
  assert.equal((await fetchBytes(`${url}/a/${aid}/o`, { 'if-none-match': etag })).status, 304);
  const part = await fetchBytes(`${url}/a/${aid}/o`, { range: 'bytes=10-19' });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 10-19/${full.bytes.length}`);
  assert.deepEqual(part.bytes, full.bytes.subarray(10, 20));
  const tail = await fetchBytes(`${url}/a/${aid}/o`, { range: 'bytes=-5' });
  assert.deepEqual(tail.bytes, full.bytes.subarray(full.bytes.length - 5));
  assert.equal((await fetchBytes(`${url}/a/${aid}/o`, { range: `bytes=${full.bytes.length}-` })).status, 416);
  const webp = await fetchBytes(`${url}/a/${aid}/display`, { accept: 'image/avif,image/webp,*/*' });
  assert.equal(webp.headers.get('content-type'), 'image/webp');
  assert.equal(webp.bytes.subarray(8, 12).toString('latin1'), 'WEBP');
  assert.equal(webp.headers.get('vary'), 'Accept');
  const thumb = await fetchBytes(`${url}/a/${aid}/thumb`);
  assert.equal(sizeOf(thumb.bytes), '300x225');
  // the hot cache: a second fetch comes from memory, unless attach.cache_bytes is smaller than the picture
  for (let i = 0; i < 2; i++) {
    const again = await fetchBytes(`${url}/a/${aid}/thumb`);
    assert.equal(again.headers.get('x-loulan-cache'), 'hot');
    assert.ok(again.bytes.equals(thumb.bytes));
  }
  await setConfig('attach.cache_bytes', Math.floor(full.bytes.length / 2));
  for (let i = 0; i < 2; i++) {
    const cold = await fetchBytes(`${url}/a/${aid}/o`);
    assert.equal(cold.headers.get('x-loulan-cache'), null, 'over the bound: read from the store each time');
    assert.ok(cold.bytes.equals(full.bytes));
  }
  await setConfig('attach.cache_bytes', 67108864);
  let d = await get(`${url}/forum.php?mod=attachment&aid=${aid}`);
  assert.equal(d.status, 301);
  assert.equal(d.headers.get('location'), `/a/${aid}/o`);
  const enc = Buffer.from(`${aid}|0123abcd|1700000000|3|${tid}`).toString('base64');
  d = await get(`${url}/forum.php?mod=attachment&aid=${encodeURIComponent(enc)}&nothumb=yes`);
  assert.equal(d.status, 301);
  assert.equal(d.headers.get('location'), `/a/${aid}/o`);
  assert.equal((await get(`${url}/forum.php?mod=attachment&aid=%%%`)).status, 400);
});

test('a hidden board: a guest and a member without view rights get 403; the admin gets a private answer', async () => {
  const tokRoot = await apiToken(url, 'root');
  const r = await upload(url, tokRoot, 'secret.png', makeImage(50, 50, 'png', 5));
  assert.equal(r.status, 201, r.text);
  const aid = r.json.aid;
  const t = await api(url, 'POST', `/api/v1/boards/${hiddenFid}/threads`, { title: '内部', body: `[attach]${aid}[/attach]` }, tokRoot);
  assert.equal(t.status, 201, t.text);
  for (const v of ['o', 'display', 'thumb']) {
    assert.equal((await fetchBytes(`${url}/a/${aid}/${v}`)).status, 403, `guest ${v}`);
    const bob = await webLogin(url, 'bob');
    assert.equal((await fetchBytes(`${url}/a/${aid}/${v}`, { cookie: bob.cookieHeader() })).status, 403, `bob ${v}`);
  }
  const root = await webLogin(url, 'root');
  const got = await fetchBytes(`${url}/a/${aid}/o`, { cookie: root.cookieHeader() });
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('cache-control'), 'private, no-cache');
});

test('a second node serves what the first stored (shared database)', async () => {
  const r = await upload(url, tokA, 'node.png', makeImage(120, 90, 'png', 6));
  const aid = r.json.aid;
  await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `[attach]${aid}[/attach]` }, tokA);
  const b = await forum.startNode();
  const a = await fetchBytes(`${url}/a/${aid}/o`);
  const got = await fetchBytes(`${b.url}/a/${aid}/o`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.bytes, a.bytes);
  assert.equal(sizeOf(got.bytes), '120x90');
});

test('identical uploads share one blob; unused uploads are collected', async () => {
  const bytes = Buffer.from('same bytes twice');
  const one = await upload(url, tokA, 'same1.txt', bytes);
  const two = await upload(url, tokA, 'same2.txt', bytes);
  assert.equal(one.status, 201);
  assert.equal(two.status, 201);
  await sql(forum, `UPDATE attachment SET created = created - 200000 WHERE aid IN (${one.json.aid}, ${two.json.aid})`);
  const r = await forum.run(['blobs', 'collect']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+ unused attachments deleted/);   // the server's own minute pass may get there first
  const c = await webLogin(url, 'alice');
  assert.equal((await fetchBytes(`${url}/a/${one.json.aid}/o`, { cookie: c.cookieHeader() })).status, 404);
  assert.equal((await fetchBytes(`${url}/a/${two.json.aid}/o`, { cookie: c.cookieHeader() })).status, 404);
});

test('avatars: default initial, API upload cropped to 48/120/200, the settings form', async () => {
  const me = await api(url, 'GET', '/api/v1/me', undefined, tokB);
  const uid = me.json.uid ?? me.json.user?.uid;
  let d = await fetchBytes(`${url}/avatar/${uid}/48`);
  assert.equal(d.status, 200);
  assert.equal(d.headers.get('content-type'), 'image/svg+xml');
  assert.match(d.bytes.toString(), />B<\/text>/);
  const fd = new FormData();
  fd.append('file', new Blob([makeImage(400, 200, 'jpg', 7)]), 'me.jpg');
  const res = await fetch(url + '/api/v1/me/avatar', { method: 'POST', body: fd, headers: { authorization: `Bearer ${tokB}` } });
  assert.equal(res.status, 200, await res.text());
  for (const px of [48, 120, 200]) {
    d = await fetchBytes(`${url}/avatar/${uid}/${px}`);
    assert.equal(d.headers.get('content-type'), 'image/png');
    assert.equal(sizeOf(d.bytes), `${px}x${px}`);
  }
  assert.equal((await fetchBytes(`${url}/avatar/${uid}/64`)).status, 404);
  const c = await webLogin(url, 'alice');
  const form = await c.get('/settings/avatar');
  assert.equal(form.status, 200);
  const fd2 = new FormData();
  fd2.append('csrf', csrfOf(form.text));
  fd2.append('file', new Blob([Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')]), 'x.svg');
  assert.equal((await c.post('/settings/avatar', fd2)).status, 422);
  const thread = await get(`${url}/t/${tid}`);
  assert.match(thread.text, /<img class="avatar" src="\/avatar\/\d+\/120" width="120" height="120" loading="lazy" alt="">/);
});

test('HTTP_MAX_UPLOAD: a multipart body announced over 64 MiB is 413 unread; HTTP_MAX_FILES: 21 file parts are 400', async () => {
  const net = await import('node:net');
  const { port, hostname } = new URL(url);
  const answer = await new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => {
      s.write(`POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokA}\r\n` +
        `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${64 * 1024 * 1024 + 1}\r\n\r\n--b\r\n`);
    });
    let got = '';
    s.on('data', (d) => { got += d; if (got.includes('\r\n\r\n')) { s.destroy(); resolve(got); } });
    s.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.1 413 /);
  const fd = new FormData();
  for (let i = 0; i < 21; i++) fd.append('file', new Blob([`part ${i}`]), `p${i}.txt`);
  const res = await fetch(url + '/api/v1/attachments', { method: 'POST', body: fd, headers: { authorization: `Bearer ${tokA}` } });
  assert.equal(res.status, 400);
  assert.deepEqual(leftovers(), []);
});

test('the demo forum has a thread with pictures', async () => {
  const demo = await get(url + '/');
  const m = /href="\/f\/(\d+)"[^>]*>新闻资讯/.exec(demo.text);
  assert.ok(m, 'the news board');
  const board = await get(`${url}/f/${m[1]}`);
  const t = /href="\/t\/(\d+)"[^>]*>楼兰古城遗址最新航拍图公布/.exec(board.text);
  assert.ok(t, 'the picture thread');
  const page = await get(`${url}/t/${t[1]}`);
  // the first floor's two pictures (other tests may have replied with more)
  const imgs = [...page.text.matchAll(/<img src="(\/a\/\d+\/display)" width="(\d+)" height="(\d+)" loading="lazy"/g)].slice(0, 2);
  assert.deepEqual(imgs.map((x) => `${x[2]}x${x[3]}`), ['1600x889', '1200x800']);
  const got = await fetchBytes(url + imgs[0][1]);
  assert.equal(got.status, 200);
  assert.equal(sizeOf(got.bytes), '1600x889');
});

test('files over one 256 KiB chunk: text checked across block boundaries, stored in chunks, served whole and by range', async () => {
  const text = Buffer.from('楼'.repeat(300000));   // 900,000 bytes: characters cut by every 256 KiB boundary
  let r = await upload(url, tokA, 'long.txt', text);
  assert.equal(r.status, 201, r.text);
  const aid = r.json.aid;
  await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `[attach]${aid}[/attach]` }, tokA);
  const got = await fetchBytes(`${url}/a/${aid}/o`);
  assert.equal(got.status, 200);
  assert.equal(got.bytes.length, text.length);
  assert.ok(got.bytes.equals(text), 'the same bytes back');
  const part = await fetchBytes(`${url}/a/${aid}/o`, { range: 'bytes=262140-262150' });
  assert.equal(part.status, 206);
  assert.ok(part.bytes.equals(text.subarray(262140, 262151)));
  const bad = Buffer.concat([text.subarray(0, 600000), Buffer.from([0xff]), text.subarray(600001)]);
  r = await upload(url, tokA, 'bad.txt', bad);
  assert.equal(r.status, 422, r.text);
});

test('an animated GIF keeps its frames: served byte for byte, also as the display picture', async () => {
  const gif = animatedGif();
  assert.equal(pagesOf(gif), 2, 'the fixture has two frames');
  const r = await upload(url, tokA, 'anim.gif', gif);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.width, 1);
  assert.equal(r.json.height, 1);
  await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `[attach]${r.json.aid}[/attach]` }, tokA);
  for (const v of ['o', 'display']) {
    const got = await fetchBytes(`${url}/a/${r.json.aid}/${v}`);
    assert.equal(got.headers.get('content-type'), 'image/gif', v);
    assert.ok(got.bytes.equals(gif), `${v}: the same bytes`);
  }
  const thumb = await fetchBytes(`${url}/a/${r.json.aid}/thumb`);
  assert.equal(thumb.status, 200);
});

test('preview keeps the uploads: the form comes back with their codes and the post then uses them', async () => {
  const c = await webLogin(url, 'alice');
  const form = await c.get(`/t/${tid}/reply`);
  const fd = new FormData();
  fd.append('csrf', csrfOf(form.text));
  fd.append('body', '先预览');
  fd.append('preview', '1');
  fd.append('file', new Blob([makeImage(120, 80, 'png', 31)]), '预览图.png');
  const pv = await c.post(`/t/${tid}/reply`, fd);
  assert.equal(pv.status, 200, pv.text.slice(0, 300));
  const aid = /<li>\[attach\](\d+)\[\/attach\] 预览图.png<\/li>/.exec(pv.text)?.[1];
  assert.ok(aid, 'the upload is listed with its code');
  assert.match(pv.text, new RegExp(`name="attachments" value="${aid}"`));
  assert.match(pv.text, /<div class="preview">[\s\S]*class="att-list"/, 'the preview shows it under the text');
  const fd2 = new FormData();
  fd2.append('csrf', csrfOf(pv.text));
  fd2.append('body', `正文里放：[attach]${aid}[/attach]`);
  fd2.append('attachments', aid);
  const r = await c.post(`/t/${tid}/reply`, fd2);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal((await fetchBytes(`${url}/a/${aid}/o`)).status, 200, 'claimed by the post: public now');
});
