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
  // Chinese only, no "HTTP 404" line (issue 17): the heading names the status, and the page offers the way on
  const heading = { 400: '请求无效', 403: '没有权限', 404: '页面不存在', 405: '方法不允许', 413: '内容太长', 429: '操作太频繁' }[status];
  if (heading) assert.match(res.text, new RegExp(`<h1>${heading}</h1>`), `the ${status} page names its status`);
  assert.doesNotMatch(textOf(res.text), /HTTP \d{3}/, 'no English status line');
  assert.match(res.text, /<form class="sform notice-search" method="get" action="\/search"/, 'a search box');
  assert.match(res.text, /<a href="\/">返回首页<\/a>/, 'the way home');
}

test('404 for unknown paths, boards and threads; 400 for bad ids and page numbers', async () => {
  await withForum({ demo: true }, async (forum) => {
    for (const p of ['/nope', '/f/999999', '/t/999999', '/t/1/nope', '/static/nope.css', '/f/', '/u/x/y/z/w']) {
      const r = await get(forum.url + p);
      assert.equal(r.status, 404, `${p}`);
      readable(r, 404);
      assert.match(textOf(r.text), /页面不存在|不存在/);
    }
    for (const p of ['/t/1?page=0', '/t/1?page=abc', '/t/1?page=99999999999', '/t/1?page=-1', '/f/1?page=0', '/f/1?page=abc',
      '/f/1?page=99999999999', '/f/1?typeid=x', '/t/1?author=0', '/?q=%ff', '/t/1?page=%ff%fe']) {
      const r = await get(forum.url + p);
      assert.equal(r.status, 400, `${p}`);
      readable(r, 400);
      assert.match(textOf(r.text), /请求无效/);
    }
    await stillServing(forum);
  });
});

// One page, one URL: an id in the path that is not in canonical form (leading
// zeros, sign, NUL, junk) names no page (404); in a query parameter it is a bad
// argument (400). Both would otherwise be a second URL and cache entry for a page.
test('ids only in canonical form: 404 in the path, 400 in a query', async () => {
  await withForum({ demo: true }, async (forum) => {
    for (const p of ['/t/1', '/f/1', '/u/1', '/api/v1/threads/1', '/t/1?page=1', '/f/1?page=1']) {
      assert.equal((await get(forum.url + p)).status, 200, `${p} is the canonical form`);
    }
    for (const p of ['/t/01', '/t/1%00', '/t/1%002', '/t/+1', '/t/1x', '/t/01x', '/t/%201', '/t/1%20', '/t/0', '/t/-1',
      '/t/1.5', '/t/abc', '/t/99999999999999999999', '/t/0x1', '/f/007', '/f/abc', '/f/1%00', '/u/01', '/p/01',
      '/api/v1/threads/01', '/api/v1/threads/1%00', '/api/v1/boards/01/threads']) {
      const r = await get(forum.url + p);
      assert.equal(r.status, 404, `${p}`);
      if (!p.startsWith('/api/')) readable(r, 404);
    }
    for (const p of ['/t/1?page=01', '/t/1?page=1%00', '/t/1?page=%2B1', '/f/1?page=01', '/f/1?typeid=01',
      '/t/1?author=01', '/f/1?after=01_0_1', '/f/1?before=1_00_1', '/forum.php?mod=viewthread&tid=01',
      '/forum.php?mod=viewthread&tid=1%00', '/forum.php?mod=redirect&goto=findpost&pid=007', '/thread-01-1-1.html',
      '/forum-1-01.html', '/?q=a%00b']) {
      const r = await get(forum.url + p);
      assert.equal(r.status, 400, `${p}`);
    }
    await stillServing(forum);
  });
});

// Two Content-Length headers that disagree let a proxy and the server split one
// stream into different requests (one hidden in another's body): refused.
test('400 for conflicting or malformed Content-Length, or Content-Length with Transfer-Encoding', async () => {
  await withForum({ demo: false }, async (forum) => {
    const head = 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n';
    const smuggled = 'GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n';
    for (const [name, h, body] of [
      ['two that disagree', `Content-Length: 3\r\nContent-Length: ${3 + smuggled.length}\r\n`, 'a=b' + smuggled],
      ['two that disagree, larger first', `Content-Length: ${3 + smuggled.length}\r\nContent-Length: 3\r\n`, 'a=b' + smuggled],
      ['not a number', 'Content-Length: 3x\r\n', 'a=b'],
      ['a sign', 'Content-Length: +3\r\n', 'a=b'],
      ['with Transfer-Encoding', 'Content-Length: 3\r\nTransfer-Encoding: chunked\r\n', '3\r\na=b\r\n0\r\n\r\n'],
    ]) {
      const r = await raw(forum.url, head + h + '\r\n' + body);
      assert.equal(r.status, 400, name);
      assert.doesNotMatch(r.body, /User-agent/i, `${name}: the hidden request is not answered`);
    }
    // the same value twice is the same message: not refused for that
    const same = await raw(forum.url, 'GET /robots.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    assert.equal(same.status, 200);
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
    assert.match(r.body, /<h1>内容太长<\/h1>/);
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
