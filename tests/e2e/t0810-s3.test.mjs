// t0810: attachments in an S3-compatible bucket (blob.store = s3), against a
// local s3rver (tests/s3, installed by scripts/test.sh with npm ci) started and
// stopped here. New uploads go to the bucket (requests signed by libcurl's
// CURLOPT_AWS_SIGV4) and are served from it, by a second node too;
// `loulan blobs migrate --to s3` moves what the database held, and back.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startForum, get, apiToken, api, makeImage, upload, fetchBytes } from './lib.mjs';

const require = createRequire(new URL('../s3/package.json', import.meta.url));
const PW = 'correct horse battery';
let s3, s3dir, forum, url, tok, tid;

const objects = () => fs.readdirSync(path.join(s3dir, 'loulan')).filter((f) => f.endsWith('._S3rver_object')).map((f) => f.slice(0, 64));

before(async () => {
  const S3rver = require('s3rver');   // fails here when tests/s3 is not installed (npm ci --prefix tests/s3)
  s3dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loulan-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3dir, configureBuckets: [{ name: 'loulan' }] });
  const addr = await s3.run();
  forum = await startForum({
    demo: true,
    config: {
      'post.flood_seconds': '0', 'blob.s3_endpoint': `http://127.0.0.1:${addr.port}`, 'blob.s3_bucket': 'loulan',
      'blob.s3_region': 'us-east-1', 'blob.s3_key': 'S3RVER', 'blob.s3_secret': 'S3RVER',
    },
    users: [{ name: 'alice', password: PW }],
  });
  url = forum.url;
  tok = await apiToken(url, 'alice');
  const index = await get(url + '/');
  const fid = Number(/href="\/f\/(\d+)"/.exec(index.text)[1]);
  tid = Number(/href="\/t\/(\d+)"/.exec((await get(`${url}/f/${fid}`)).text)[1]);
});
after(async () => {
  await forum?.stop();
  await s3?.close();
  if (s3dir) fs.rmSync(s3dir, { recursive: true, force: true });
});

async function setStore(v) {
  const r = await forum.run(['config', 'set', 'blob.store', v]);
  assert.equal(r.code, 0, r.stderr);
  await new Promise((res) => setTimeout(res, 1500));
}

test('blobs migrate --to s3 moves the demo pictures and earlier uploads; they are still served', async () => {
  const r0 = await upload(url, tok, 'before.png', makeImage(200, 150, 'png', 21));
  assert.equal(r0.status, 201, r0.text);
  await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `[attach]${r0.json.aid}[/attach]` }, tok);
  const before = await fetchBytes(`${url}/a/${r0.json.aid}/o`);
  assert.equal(objects().length, 0);
  const m = await forum.run(['blobs', 'migrate', '--to', 's3']);
  assert.equal(m.code, 0, m.stderr);
  const moved = Number(/^(\d+) blobs moved to s3/m.exec(m.stdout)[1]);
  assert.ok(moved >= 5, `moved ${moved}`);
  assert.equal(objects().length, moved);
  const after = await fetchBytes(`${url}/a/${r0.json.aid}/o`, { 'cache-control': 'no-cache' });
  assert.equal(after.status, 200);
  assert.deepEqual(after.bytes, before.bytes);
  const again = await forum.run(['blobs', 'migrate', '--to', 's3']);
  assert.match(again.stdout, /^0 blobs moved to s3/m);
});

test('blob.store = s3: uploads go to the bucket and both nodes serve them', async () => {
  await setStore('s3');
  const n0 = objects().length;
  const r = await upload(url, tok, 'cloud.jpg', makeImage(700, 400, 'jpg', 22));
  assert.equal(r.status, 201, r.text);
  assert.equal(objects().length, n0 + 5, 'original, display and thumbnail in JPEG and WebP');
  await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `[attach]${r.json.aid}[/attach]` }, tok);
  const b = await forum.startNode();
  for (const base of [url, b.url]) {
    const got = await fetchBytes(`${base}/a/${r.json.aid}/display`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/jpeg');
    assert.ok(objects().includes(got.headers.get('etag').slice(1, -1)), 'served from the bucket');
  }
});

test('blobs migrate --to db brings every blob back; the bucket can go', async () => {
  await setStore('db');
  const m = await forum.run(['blobs', 'migrate', '--to', 'db']);
  assert.equal(m.code, 0, m.stderr);
  assert.match(m.stdout, /^\d+ blobs moved to db/m);
  assert.equal(objects().length, 0, 'the bucket is empty');
  await s3.close();
  s3 = null;
  const t = await api(url, 'GET', `/api/v1/threads/${tid}`);
  assert.equal(t.status, 200);
  const ids = [...JSON.stringify(t.json).matchAll(/\/a\/(\d+)\/o/g)].map((x) => x[1]);
  assert.ok(ids.length >= 1);
  for (const id of ids) assert.equal((await fetchBytes(`${url}/a/${id}/o`)).status, 200);
});
