// t0140: error statuses: 404, 400, 405, 413, 414, 431; each a readable HTML
// page, and the server keeps serving after every one of them.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { withForum, get, textOf } from './lib.mjs';

const HTTP_MAX_URL = 2048;
const HTTP_MAX_HEADERS = 16 * 1024;
const HTTP_MAX_BODY = 1024 * 1024;

/** Sends raw bytes, returns {status, head, body} of the answer. */
function raw(url, data) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname);
    let buf = Buffer.alloc(0);
    s.on('connect', () => s.write(data));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const text = buf.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (len && buf.length >= end + 4 + Number(len[1])) s.end();
    });
    s.on('error', (e) => (buf.length ? s.destroy() : reject(e)));
    s.on('close', () => {
      const text = buf.toString('utf8');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const end = text.indexOf('\r\n\r\n');
      resolve({ status: Number(m[1]), head: text.slice(0, end), body: text.slice(end + 4) });
    });
  });
}

async function stillServing(forum) {
  const r = await get(forum.url + '/');
  assert.equal(r.status, 200, 'the server keeps serving');
}

function readable(res, status) {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(res.text, /<title>/);
  assert.ok(res.text.includes(String(status)), `the ${status} page shows its status`);
}

test('404 for unknown paths, boards and threads; 400 for bad ids and page numbers', async () => {
  await withForum({ demo: true }, async (forum) => {
    for (const p of ['/nope', '/f/999999', '/t/999999', '/t/1/nope', '/static/nope.css', '/f/', '/u/x/y/z/w']) {
      const r = await get(forum.url + p);
      assert.equal(r.status, 404, `${p}`);
      readable(r, 404);
      assert.match(textOf(r.text), /页面不存在|不存在/);
    }
    for (const p of ['/t/abc', '/t/0', '/t/-1', '/t/1.5', '/t/01x', '/f/abc', '/t/99999999999999999999',
      '/t/1?page=0', '/t/1?page=abc', '/t/1?page=99999999999', '/t/1?page=-1', '/f/1?page=0', '/f/1?page=abc',
      '/f/1?page=99999999999', '/f/1?typeid=x', '/t/1?author=0', '/?q=%ff', '/t/1?page=%ff%fe']) {
      const r = await get(forum.url + p);
      assert.equal(r.status, 400, `${p}`);
      readable(r, 400);
      assert.match(textOf(r.text), /请求无效/);
    }
    await stillServing(forum);
  });
});

test('405 with Allow for a method the path does not take', async () => {
  await withForum({ demo: true }, async (forum) => {
    for (const [method, p] of [['POST', '/'], ['PUT', '/t/1'], ['DELETE', '/f/1'], ['POST', '/static/loulan.css']]) {
      const r = await get(forum.url + p, { method });
      assert.equal(r.status, 405, `${method} ${p}`);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
      readable(r, 405);
    }
    const head = await get(forum.url + '/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    await stillServing(forum);
  });
});

test('414 for a URL over HTTP_MAX_URL, 431 for headers over HTTP_MAX_HEADERS', async () => {
  await withForum({ demo: false }, async (forum) => {
    const ok = await get(`${forum.url}/?q=${'a'.repeat(HTTP_MAX_URL - 100)}`);
    assert.equal(ok.status, 200, 'a URL under the limit is fine');
    for (const n of [HTTP_MAX_URL + 10, 4 * HTTP_MAX_URL, 64 * 1024]) {
      const r = await get(`${forum.url}/?q=${'a'.repeat(n)}`);
      assert.equal(r.status, 414, `URL of ${n} bytes`);
      await stillServing(forum);
    }
    const long = await get(`${forum.url}/t/${'1'.repeat(HTTP_MAX_URL + 10)}`);
    assert.equal(long.status, 414, 'a long path');
    readable(long, 414);
    const under = await get(forum.url + '/', { headers: { 'x-pad': 'b'.repeat(HTTP_MAX_HEADERS - 2048) } });
    assert.equal(under.status, 200, 'headers under the limit are fine');
    for (const n of [HTTP_MAX_HEADERS + 100, 40 * 1024]) {
      const r = await get(forum.url + '/', { headers: { 'x-pad': 'b'.repeat(n) } });
      assert.equal(r.status, 431, `headers of ${n} bytes`);
      await stillServing(forum);
    }
    const many = {};
    for (let i = 0; i < 20; i++) many[`x-h${i}`] = 'c'.repeat(1000);
    const r = await get(forum.url + '/', { headers: many });
    assert.equal(r.status, 431, 'many headers adding up over the limit');
    readable(r, 431);
    await stillServing(forum);
  });
});

test('413 for a body over HTTP_MAX_BODY, answered without reading it', async () => {
  await withForum({ demo: false }, async (forum) => {
    const r = await raw(forum.url, `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${HTTP_MAX_BODY + 1}\r\n\r\n`);
    assert.equal(r.status, 413);
    assert.match(r.head, /\r\nconnection: close/i);
    assert.match(r.body, /413/);
    await stillServing(forum);
    // a chunked body that grows over the limit
    const chunk = 'a'.repeat(64 * 1024);
    let req = 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (let sent = 0; sent <= HTTP_MAX_BODY; sent += chunk.length) req += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    req += '0\r\n\r\n';
    const c = await raw(forum.url, req);
    assert.equal(c.status, 413);
    await stillServing(forum);
  });
});
