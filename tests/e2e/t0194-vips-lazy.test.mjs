// t0194: libvips is loaded on the first image, not at start (issue 16, memory). A node that only
// serves reads never maps the image stack (libvips, gobject, librsvg...: 65 libraries, ~12 MiB of
// VmRSS); the first upload loads it once and works. When the library cannot be loaded, image uploads
// and avatars answer the same readable 422 as an image that does not decode, everything else keeps
// working, and the server starts and stops cleanly. No knob in the binary: the dynamic loader finds an
// unloadable file of the library's SONAME first in LD_LIBRARY_PATH (the binary links no libvips, so
// nothing else it loads is affected).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startForum, get, PW, apiToken, api, upload, makeImage, fetchBytes, sizeOf, sqlValue, webLogin } from './lib.mjs';

const IMAGE_STACK = /\/(libvips|libgobject-2\.0|librsvg-2)\.so/;
const mapped = (forum) => fs.readFileSync(`/proc/${forum.proc.pid}/maps`, 'utf8')
  .split('\n').filter((l) => IMAGE_STACK.test(l)).map((l) => l.split(/\s+/).pop());

// the SONAME the Makefile reads, so that the unloadable stand-in is found under the name dlopen asks for
function vipsSoname() {
  const libdir = execFileSync('pkg-config', ['--variable=libdir', 'vips'], { encoding: 'utf8' }).trim();
  const m = /\(SONAME\).*\[(.+)\]/.exec(execFileSync('readelf', ['-d', path.join(libdir, 'libvips.so')], { encoding: 'utf8' }));
  assert.ok(m, 'SONAME of libvips.so');
  return m[1];
}

async function avatarUpload(url, token, bytes) {
  const fd = new FormData();
  fd.append('file', new Blob([bytes]), 'me.jpg');
  const res = await fetch(url + '/api/v1/me/avatar', { method: 'POST', body: fd, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

let forum, url, tok, fakeDir, broken, burl, btok;

before(async () => {
  forum = await startForum({ demo: true, config: { 'post.flood_seconds': '0' }, users: [{ name: 'alice', password: PW }] });
  url = forum.url;
  tok = await apiToken(url, 'alice');

  fakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loulan-novips-'));
  fs.writeFileSync(path.join(fakeDir, vipsSoname()), '');   /* dlopen: "file too short" */
  const old = process.env.LD_LIBRARY_PATH;
  process.env.LD_LIBRARY_PATH = fakeDir;
  try {
    broken = await startForum({ demo: true, config: { 'post.flood_seconds': '0' }, users: [{ name: 'bob', password: PW }] });
  } finally {
    if (old === undefined) delete process.env.LD_LIBRARY_PATH;
    else process.env.LD_LIBRARY_PATH = old;
  }
  burl = broken.url;
  btok = await apiToken(burl, 'bob');
});
after(async () => {
  await forum?.stop();
  await broken?.stop();
  if (fakeDir) fs.rmSync(fakeDir, { recursive: true, force: true });
});

test('reads, stored images and default avatars never map libvips; the first upload loads it and works', async () => {
  const index = await get(url + '/');
  assert.equal(index.status, 200);
  const fid = Number(/href="\/f\/(\d+)"/.exec(index.text)[1]);
  const board = await get(`${url}/f/${fid}`);
  assert.equal(board.status, 200);
  const tid = Number(/href="\/t\/(\d+)"/.exec(board.text)[1]);
  assert.equal((await get(`${url}/t/${tid}`)).status, 200);
  // the demo's pictures (made by `init --demo`, another process) are served from their stored bytes
  const aid = Number(await sqlValue(forum, 'SELECT min(aid) FROM attachment'));
  assert.ok(aid > 0, 'the demo has pictures');
  for (const v of ['o', 'thumb', 'display']) {
    const d = await fetchBytes(`${url}/a/${aid}/${v}`);
    assert.equal(d.status, 200, `/a/${aid}/${v}`);
    assert.match(d.headers.get('content-type'), /^image\//);
  }
  const me = await api(url, 'GET', '/api/v1/me', undefined, tok);
  const uid = me.json.uid ?? me.json.user?.uid;
  assert.equal((await fetchBytes(`${url}/avatar/${uid}/48`)).headers.get('content-type'), 'image/svg+xml');
  assert.deepEqual(mapped(forum), [], 'nothing of the image stack is mapped before an image is handled');

  const r = await upload(url, tok, 'first.jpg', makeImage(640, 480, 'jpg', 3));
  assert.equal(r.status, 201, r.text);
  const c = await webLogin(url, 'alice');   // unused: only the uploader may fetch it
  const thumb = await fetchBytes(url + r.json.thumb_url, { cookie: c.cookieHeader() });
  assert.equal(thumb.status, 200);
  assert.equal(sizeOf(thumb.bytes), '300x225');
  const now = mapped(forum);
  assert.ok(now.some((f) => /\/libvips\.so/.test(f)), `libvips mapped after the upload: ${now.join(' ')}`);

  // loaded once: a second image and an avatar go through the same library
  assert.equal((await upload(url, tok, 'second.png', makeImage(200, 100, 'png', 4))).status, 201);
  const av = await avatarUpload(url, tok, makeImage(300, 200, 'jpg', 5));
  assert.equal(av.status, 200, av.text);
  assert.equal(sizeOf((await fetchBytes(`${url}/avatar/${uid}/120`)).bytes), '120x120');
});

test('the library cannot be loaded: start and reads work, images answer a readable 422, other files upload', async () => {
  // `init --demo` ran without the library too: a demo without pictures, not a failed init
  assert.equal(Number(await sqlValue(broken, 'SELECT count(*) FROM attachment')), 0);
  assert.equal((await get(burl + '/')).status, 200);
  for (let i = 0; i < 2; i++) {   // the failed load is kept: the second answers the same, no retry, no crash
    const r = await upload(burl, btok, 'photo.jpg', makeImage(640, 480, 'jpg', 6));
    assert.equal(r.status, 422, r.text);
    assert.match(r.text, /图片已损坏或无法识别/);
  }
  const av = await avatarUpload(burl, btok, makeImage(300, 200, 'jpg', 7));
  assert.equal(av.status, 422, av.text);
  assert.match(av.text, /无法识别这张图片/);
  const txt = await upload(burl, btok, 'notes.txt', Buffer.from('楼兰\n'));
  assert.equal(txt.status, 201, txt.text);
  assert.equal(Number(await sqlValue(broken, 'SELECT count(*) FROM attachment')), 1, 'only the text file stored');
  assert.equal((await get(burl + '/')).status, 200);
  assert.match(broken.stderr(), /images unavailable: .*file too short/);
  assert.deepEqual(mapped(broken), []);
});
