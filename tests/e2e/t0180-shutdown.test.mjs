// t0180: SIGTERM in the middle of a burst of requests: the server finishes,
// exits 0 without a sanitizer report, and the port is free again. A request it no longer takes is
// refused (connection refused or reset, or 503 with Retry-After once its drain is over).
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startForum, get } from './lib.mjs';

function canListen(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

test('SIGTERM during a burst: exit 0, no ASan report, port released', async () => {
  const forum = await startForum({ demo: true });
  const port = Number(new URL(forum.url).port);
  let answered = 0, refused = 0;
  const paths = ['/', '/f/1', '/t/2', '/t/2?page=2', '/static/loulan.css', '/nope', '/t/abc'];
  const worker = async (w) => {
    for (let i = 0; i < 60; i++) {
      try {
        const r = await get(forum.url + paths[(w + i) % paths.length]);
        if (r.status === 503) {
          // the stop's refusal: a kept-alive connection that asks once nothing is in flight any more
          // (the grace ends early then) is told to come back (the third test below)
          assert.equal(r.headers.get('retry-after'), '1', 'a 503 while stopping is the refusal, with Retry-After');
          refused++;
          continue;
        }
        assert.ok([200, 400, 404].includes(r.status), `status ${r.status}`);
        answered++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        refused++; // connection refused or reset once the server stops
      }
    }
  };
  let done = false;
  const burst = Promise.all(Array.from({ length: 16 }, (_, w) => worker(w))).finally(() => { done = true; });
  // let the burst get going, then stop the server in its middle
  while (answered < 40 && !done) await new Promise((r) => setTimeout(r, 5));
  await forum.stop(); // SIGTERM; asserts exit 0 and no sanitizer report
  await burst;
  assert.ok(answered >= 40, `answered ${answered}, refused ${refused}`);
  assert.equal(await canListen(port), true, `port ${port} is free after exit`);
  // the drain stops accepting first (MHD_quiesce_daemon needs MHD_USE_ITC)
  assert.doesNotMatch(forum.stderr(), /quiesce|Error processing/i);
});

// A kept-alive connection can bring a request after SIGTERM (the listening socket is closed, the
// connection is not). When that request is a live stream (GET /t/{tid}/events), it used to wait
// for events that never come: the stream was suspended when the library was stopped, and
// libmicrohttpd aborts the process then. Now a stream opened while stopping ends at once and its
// connection closes; the node exits 0. A slow upload on another connection holds the node in its
// drain, so the stream request really arrives while the node is stopping.
test('SIGTERM: a live stream asked on a kept-alive connection while stopping ends at once; exit 0', async () => {
  const forum = await startForum({ demo: true });
  const port = Number(new URL(forum.url).port);
  const connect = () => new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  let stopped = false, drip = null;
  const socks = [];
  try {
    // A: one answered request, the connection kept alive
    const a = await connect();
    socks.push(a);
    let got = '';
    a.setEncoding('latin1');
    a.on('data', (d) => { got += d; });
    const aClosed = new Promise((resolve) => a.once('close', resolve));
    a.write('GET /robots.txt HTTP/1.1\r\nHost: t\r\n\r\n');
    const until = async (pred, what) => {
      for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(pred(), what);
    };
    await until(() => /\r\n\r\n/.test(got) && /content-length: (\d+)/i.test(got), 'the first answer');
    const len = Number(/content-length: (\d+)/i.exec(got)[1]);
    await until(() => got.length >= got.indexOf('\r\n\r\n') + 4 + len, 'the first answer\'s body');
    assert.match(got, /^HTTP\/1\.1 200/);
    got = '';
    // B: an upload in progress (above the slow-body floor), so the node is still draining
    const b = await connect();
    socks.push(b);
    b.on('error', () => {});
    b.write('POST /api/v1/threads/1/posts HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n'
      + 'Content-Length: 30000\r\n\r\n{"body":"');
    drip = setInterval(() => b.write('x'.repeat(600)), 200);
    await new Promise((r) => setTimeout(r, 300));
    stopped = true;
    forum.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    // A asks for a live stream now
    a.write('GET /t/1/events HTTP/1.1\r\nHost: t\r\n\r\n');
    await Promise.race([aClosed, new Promise((r) => setTimeout(r, 8000))]);
    assert.ok(a.destroyed || a.readableEnded, `the stream's connection is closed by the node; it got: ${got.slice(0, 300)}`);
    assert.match(got, /^HTTP\/1\.1 (200|503)/, 'the stream request was answered');
    clearInterval(drip);
    b.destroy();
    const ex = await forum.proc.exited;
    assert.equal(ex.code, 0, `exit 0; stderr: ${forum.stderr().slice(-2000)}`);
  } finally {
    clearInterval(drip);
    for (const s of socks) s.destroy();
    if (!stopped) forum.proc.kill('SIGTERM');
    await forum.stop().catch(() => {});
  }
});

// The stop's grace is 10 s: requests in flight are waited for, kept-alive connections are answered and
// closed. A request that comes after the grace, while a handler still runs, answers 503 with
// Retry-After and closes its connection (nothing may be suspended any more); the handler's own request
// is still answered, and the node exits 0. A guest render held 16 s before its page is stored
// (LOULAN_TEST_FILL_DELAY_MS) keeps a handler running past the grace. It is asked first: its worker
// thread sleeps in it, so the kept-alive connection opened next is another worker's, which is free
// to answer it after the grace.
test('SIGTERM: past the grace, a new request on a kept-alive connection answers 503; the one in flight is answered; exit 0', async (t) => {
  process.env.LOULAN_TEST_FILL_DELAY_MS = '16000';
  t.after(() => { delete process.env.LOULAN_TEST_FILL_DELAY_MS; });
  const forum = await startForum({ demo: true });
  const port = Number(new URL(forum.url).port);
  const socks = [];
  const open = () => new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      const c = { s, got: '', closed: false };
      s.setEncoding('latin1');
      s.on('data', (d) => { c.got += d; });
      s.on('close', () => { c.closed = true; });
      s.on('error', () => {});
      socks.push(s);
      resolve(c);
    });
    s.once('error', reject);
  });
  const until = async (pred, ms, what) => {
    for (const end = Date.now() + ms; !pred() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    assert.ok(pred(), what);
  };
  let stopped = false;
  try {
    const c = await open();   // C: a guest page whose render is held 16 s
    c.s.write('GET /t/1 HTTP/1.1\r\nHost: t\r\n\r\n');
    await new Promise((r) => setTimeout(r, 500));
    const a = await open();   // A: answered once by the other worker, kept alive
    a.s.write('GET /robots.txt HTTP/1.1\r\nHost: t\r\n\r\n');
    await until(() => /^HTTP\/1\.1 200[^]*\r\n\r\n/.test(a.got), 5000, 'the first answer on A');
    await new Promise((r) => setTimeout(r, 200));
    a.got = '';
    stopped = true;
    const t0 = Date.now();
    forum.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 11500));   // past the 10 s grace; C's handler still runs
    assert.equal(c.got, '', 'C is still being rendered');
    a.s.write('GET /f/1 HTTP/1.1\r\nHost: t\r\n\r\n');
    await until(() => a.closed, 3000, `A is answered and closed; it got: ${a.got.slice(0, 300)}`);
    assert.match(a.got, /^HTTP\/1\.1 503/, a.got.slice(0, 300));
    assert.match(a.got, /\r\nretry-after: 1\r\n/i);
    assert.match(a.got, /\r\nconnection: close\r\n/i);
    await until(() => /^HTTP\/1\.1 200/.test(c.got) && c.closed, 10000, `C's request in flight is answered; it got: ${c.got.slice(0, 200)}`);
    const ex = await forum.proc.exited;
    assert.equal(ex.code, 0, `exit 0; stderr: ${forum.stderr().slice(-2000)}`);
    assert.ok(Date.now() - t0 >= 14000, 'the node waited for the handler in flight');
  } finally {
    for (const s of socks) s.destroy();
    if (!stopped) forum.proc.kill('SIGTERM');
    await forum.stop().catch(() => {});
  }
});
