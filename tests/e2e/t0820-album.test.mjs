// t0820: a member's gallery /u/{uid}/album (相册, issue #13): the member's images
// in posts the viewer may see, newest first, ATTACH_ALBUM_PER_PAGE (24) a page with
// a keyset cursor (?before=AID: the last row read, so a page may show fewer), thumbnails linking to the post and the original;
// images of deleted posts and of a board the viewer cannot see stay out; at most 3
// queries; linked from the member's space.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, webLogin, apiToken, api, addBoard, makeImage, upload, queriesOf, eventually } from './lib.mjs';

const PW = 'correct horse battery';
const PER_PAGE = 24;
let forum, url, tokA, uidA;
const visible = [];   // aids alice shows on the open board, oldest first
let deletedAid, hiddenAid;

async function images(n, seed) {
  const aids = [];
  for (let i = 0; i < n; i++) {
    const r = await upload(url, tokA, `图${seed + i}.png`, makeImage(60 + i, 40, 'png', seed + i));
    assert.equal(r.status, 201, r.text);
    aids.push(r.json.aid);
  }
  return aids;
}
const body = (aids) => aids.map((a) => `[attach]${a}[/attach]`).join('\n');

before(async () => {
  forum = await startForum({
    demo: true,
    config: { 'post.flood_seconds': '0' },
    users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'root', password: PW, admin: true }],
  });
  url = forum.url;
  tokA = await apiToken(url, 'alice');
  uidA = Number((await api(url, 'GET', '/api/v1/me', undefined, tokA)).json.uid);
  const fid = await addBoard(forum, ['--name', '摄影', '--category', '图片']);
  const hid = await addBoard(forum, ['--name', '内部相册', '--category', '图片']);
  await eventually(async () => (await get(`${url}/f/${hid}`)).status === 200, 'the new boards');
  let a = await images(9, 100);
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '九张图', body: body(a) }, tokA);
  assert.equal(t.status, 201, t.text);
  visible.push(...a);
  for (const n of [9, 7]) {
    a = await images(n, 200 + visible.length);
    const r = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: body(a) }, tokA);
    assert.equal(r.status, 201, r.text);
    visible.push(...a);
  }
  [deletedAid] = await images(1, 300);
  const d = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: body([deletedAid]) }, tokA);
  assert.equal((await api(url, 'DELETE', `/api/v1/posts/${d.json.pid}`, undefined, tokA)).status, 200);
  [hiddenAid] = await images(1, 400);
  const h = await api(url, 'POST', `/api/v1/boards/${hid}/threads`, { title: '内部', body: body([hiddenAid]) }, tokA);
  assert.equal(h.status, 201, h.text);
  for (const g of [2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15]) {
    const r = await forum.run(['board', 'perm', '--fid', String(hid), '--group', String(g), '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
  }
  await eventually(async () => (await get(`${url}/f/${hid}`)).status === 403, 'the server to reload board permissions');
  const bob = await webLogin(url, 'bob');
  await eventually(async () => (await bob.get(`/f/${hid}`)).status === 403, 'the reload for members');
});
after(async () => { await forum?.stop(); });

const shown = (html) => [...html.matchAll(/<a class="album-thumb" href="\/p\/(\d+)"><img src="\/a\/(\d+)\/thumb" width="(\d+)" height="(\d+)" loading="lazy" alt="([^"]*)"><\/a>/g)]
  .map((m) => ({ pid: Number(m[1]), aid: Number(m[2]), w: Number(m[3]), h: Number(m[4]), alt: m[5] }));

test('the album pages through the visible images newest first, without deleted or hidden ones', async () => {
  const bob = await webLogin(url, 'bob');
  const want = [...visible].reverse();
  for (const v of [{ get: (p) => get(url + p) }, bob]) {
    const p1 = await v.get(`/u/${uidA}/album`);
    assert.equal(p1.status, 200);
    assert.match(p1.text, /alice 的相册/);
    assert.ok(queriesOf(p1.text) <= 3, `queries ${queriesOf(p1.text)}`);
    const a1 = shown(p1.text);
    // a page reads PER_PAGE rows and shows those the viewer may see: here the hidden image is one of them
    assert.deepEqual(a1.map((x) => x.aid), want.slice(0, PER_PAGE - 1));
    for (const x of a1) {
      assert.ok(p1.text.includes(`<a href="/a/${x.aid}/o"`), 'a link to the original');
      assert.ok(x.w <= 300 && x.h <= 300 && x.w > 0, 'thumbnail size');
    }
    const next = /<a class="album-next" href="\/u\/\d+\/album\?before=(\d+)">/.exec(p1.text);
    assert.ok(next, 'a link to older images');
    assert.equal(Number(next[1]), a1[a1.length - 1].aid);
    const p2 = await v.get(`/u/${uidA}/album?before=${next[1]}`);
    assert.equal(p2.status, 200);
    assert.ok(queriesOf(p2.text) <= 3);
    assert.deepEqual(shown(p2.text).map((x) => x.aid), want.slice(PER_PAGE - 1), 'page 2 goes on where page 1 stopped');
    assert.ok(!/album-next/.test(p2.text), 'the last page');
    for (const t of [p1.text, p2.text]) {
      assert.ok(!t.includes(`/a/${hiddenAid}/`), 'no image of a board the viewer cannot see');
      assert.ok(!t.includes(`/a/${deletedAid}/`), 'no image of a deleted post');
    }
  }
  // the post link leads to the image's floor
  const first = shown((await get(`${url}/u/${uidA}/album`)).text)[0];
  const r = await get(`${url}/p/${first.pid}`);
  assert.ok([301, 302, 303].includes(r.status), String(r.status));
  // the admin sees the hidden board's image too
  const root = await webLogin(url, 'root');
  const ra = shown((await root.get(`/u/${uidA}/album`)).text).map((x) => x.aid);
  assert.deepEqual(ra, [hiddenAid, ...want.slice(0, PER_PAGE - 1)]);
});

test('the space links to the album; bad cursors and unknown members', async () => {
  const s = await get(`${url}/u/${uidA}`);
  assert.match(s.text, new RegExp(`<a class="space-album" href="/u/${uidA}/album">相册</a>`));
  for (const bad of ['0', 'x', '01', '-1', '9'.repeat(40)]) {
    const r = await get(`${url}/u/${uidA}/album?before=${bad}`);
    assert.ok(r.status >= 400 && r.status < 500, `before=${bad}: ${r.status}`);
  }
  assert.equal((await get(`${url}/u/99999/album`)).status, 404);
  // a member without images, and a cursor before every image
  const bob = Number((await api(url, 'GET', '/api/v1/me', undefined, await apiToken(url, 'bob'))).json.uid);
  const e = await get(`${url}/u/${bob}/album`);
  assert.equal(e.status, 200);
  assert.match(e.text, /这里还没有图片。/);
  const old = await get(`${url}/u/${uidA}/album?before=1`);
  assert.equal(old.status, 200);
  assert.deepEqual(shown(old.text), []);
});
