// t0146: slow clients cannot hold the server. MHD's idle timeout restarts on
// every byte, so the guard (src/http/guard.c) closes a connection whose request
// head is not whole within HTTP_HEAD_DEADLINE_S, whose body arrives slower than
// HTTP_BODY_MIN_RATE after HTTP_BODY_GRACE_S, and each address may hold at most
// HTTP_PER_IP_CONNECTIONS connections (serve --max-per-ip). Loopback only: the
// slow clients come from 127.0.0.2-127.0.0.9.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startForum, tryGet } from './lib.mjs';

const HTTP_HEAD_DEADLINE_S = 10;
const HTTP_HEAD_DEADLINE_BUSY_S = 2;
const HTTP_GUARD_BUSY_PCT = 75;
const HTTP_BODY_GRACE_S = 10;
const HTTP_PER_IP_CONNECTIONS = 64;
const SLOW_ADDRS = 8;
const SLOW_PER_ADDR = 50;   // 400 slow connections, each address under the per-IP cap

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function hostPort(url) {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}

/* a connection from localAddress that sends head, then one more byte of a
   header every second; records whether the server closed it and what it said */
function slow(url, localAddress, head = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ') {
  const c = { closed: false, data: '', sock: null };
  c.opened = new Promise((resolve) => {
    const s = net.connect({ ...hostPort(url), localAddress }, () => {
      s.write(head);
      resolve(true);
    });
    c.sock = s;
    c.timer = setInterval(() => { if (!s.destroyed) s.write('a'); }, 1000);
    s.on('data', (d) => { c.data += d; });
    s.on('error', () => {});
    s.on('close', () => { c.closed = true; clearInterval(c.timer); resolve(false); });
  });
  return c;
}


async function waitClosed(conns, ms) {
  for (let t = 0; t < ms && conns.some((c) => !c.closed); t += 250) await sleep(250);
  return conns.filter((c) => !c.closed).length;
}

function drop(conns) {
  for (const c of conns) { clearInterval(c.timer); c.sock.destroy(); }
}

test('400 trickling request heads: a normal client is served, and the server closes them all', async () => {
  const f = await startForum({ demo: false });
  const conns = [];
  try {
    for (let a = 0; a < SLOW_ADDRS; a++)
      for (let i = 0; i < SLOW_PER_ADDR; i++) conns.push(slow(f.url, `127.0.0.${a + 2}`));
    const opened = await Promise.all(conns.map((c) => c.opened));
    assert.equal(opened.filter(Boolean).length, conns.length, 'every slow connection was accepted');
    await sleep(2000);   // they trickle; MHD's idle timeout alone would keep them for ever
    assert.equal(conns.filter((c) => c.closed).length, 0, 'not closed before the deadline');
    // a normal client is answered (a generous bound: the machine is shared)
    assert.match(await tryGet(f.url, 5000) ?? 'no answer', /^HTTP\/1\.1 200/);
    const open = await waitClosed(conns, (HTTP_HEAD_DEADLINE_S + 10) * 1000);
    assert.equal(open, 0, `${open} slow connections still open after the head deadline`);
    assert.ok(conns.every((c) => !/^HTTP\/1\.1 200/.test(c.data)), 'no slow head was answered as a request');
    assert.match(await tryGet(f.url, 5000) ?? 'no answer', /^HTTP\/1\.1 200/, 'still serving');
  } finally {
    drop(conns);
    await f.stop();
  }
});

test('near the connection cap slow heads get HTTP_HEAD_DEADLINE_BUSY_S', async () => {
  const cap = 40;
  const f = await startForum({ demo: false, serveArgs: ['--max-connections', String(cap)] });
  const conns = [];
  try {
    const n = Math.ceil(cap * HTTP_GUARD_BUSY_PCT / 100) + 2;
    for (let i = 0; i < n; i++) conns.push(slow(f.url, '127.0.0.2'));
    await Promise.all(conns.map((c) => c.opened));
    // well before the normal deadline (and a generous margin over the short one)
    const open = await waitClosed(conns, (HTTP_HEAD_DEADLINE_S - HTTP_HEAD_DEADLINE_BUSY_S - 1) * 1000);
    assert.equal(open, 0, `${open} of ${n} slow heads still open`);
    assert.match(await tryGet(f.url, 5000) ?? 'no answer', /^HTTP\/1\.1 200/, 'still serving');
    // under the threshold the normal deadline holds
    const few = [];
    for (let i = 0; i < 4; i++) few.push(slow(f.url, '127.0.0.3'));
    conns.push(...few);
    await Promise.all(few.map((c) => c.opened));
    await sleep((HTTP_HEAD_DEADLINE_BUSY_S + 2) * 1000);
    assert.equal(few.filter((c) => c.closed).length, 0, 'a few slow heads keep the normal deadline');
  } finally {
    drop(conns);
    await f.stop();
  }
});

test('a body slower than HTTP_BODY_MIN_RATE is cut off; a kept-alive idle connection that trickles is too', async () => {
  const f = await startForum({ demo: false });
  const conns = [];
  try {
    const body = slow(f.url, '127.0.0.2', 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      'Content-Length: 100000\r\n\r\na=');
    conns.push(body);
    assert.ok(await body.opened);
    await sleep(3000);
    assert.ok(!body.closed, 'a slow body has HTTP_BODY_GRACE_S to speed up');
    assert.equal(await waitClosed([body], (HTTP_BODY_GRACE_S + 10) * 1000), 0, 'closed once under the minimum rate');
    // a finished request, then the next request line trickles in
    const ka = slow(f.url, '127.0.0.3', 'GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nX-Slow: ');
    conns.push(ka);
    assert.ok(await ka.opened);
    assert.equal(await waitClosed([ka], (HTTP_HEAD_DEADLINE_S + 10) * 1000), 0, 'the second head has a deadline too');
    assert.match(ka.data, /^HTTP\/1\.1 200/, 'the first request was answered');
  } finally {
    drop(conns);
    await f.stop();
  }
});

test('HTTP_PER_IP_CONNECTIONS per address (serve --max-per-ip): past it not served; other addresses are', async () => {
  for (const [args, cap] of [[[], HTTP_PER_IP_CONNECTIONS], [['--max-per-ip', '3'], 3]]) {
    const f = await startForum({ demo: false, serveArgs: args });
    const conns = [];
    try {
      for (let i = 0; i < cap; i++) conns.push(slow(f.url, '127.0.0.5'));
      await Promise.all(conns.map((c) => c.opened));
      await sleep(300);
      assert.equal(conns.filter((c) => c.closed).length, 0, `${cap} connections from one address are held`);
      assert.equal(await tryGet(f.url, 1500, '127.0.0.5'), null, `connection ${cap + 1} from the same address is not served`);
      assert.match(await tryGet(f.url, 5000, '127.0.0.6') ?? 'no answer', /^HTTP\/1\.1 200/, 'another address is');
      drop(conns.splice(0, 1));
      let status = null;
      for (let i = 0; i < 20 && !status; i++) {
        status = await tryGet(f.url, 1000, '127.0.0.5');
        if (!status) await sleep(100);
      }
      assert.match(status ?? 'no answer', /^HTTP\/1\.1 200/, 'served again once one of them closed');
    } finally {
      drop(conns);
      await f.stop();
    }
  }
});

test('--max-per-ip out of range is refused', async () => {
  const f = await startForum({ demo: false });
  try {
    for (const bad of ['0', '100001', 'x', '']) {   // 100001: HTTP_CONNECTIONS_CAP + 1
      const r = await f.run(['serve', '--max-per-ip', bad, '--listen', '127.0.0.1:0']);
      assert.notEqual(r.code, 0, `--max-per-ip ${bad}`);
      assert.match(r.stderr, /max-per-ip/);
    }
  } finally {
    await f.stop();
  }
});
