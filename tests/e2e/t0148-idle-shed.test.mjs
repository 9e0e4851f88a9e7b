// t0148: a connection table filled by idle keep-alive connections does not lock
// people out (issue 16). A few addresses (127.0.0.2-5) each make a request on
// keep-alive connections and then hold them idle until the table is at its cap
// (--max-connections); a new client is still answered, because near the cap the
// server closes the oldest idle connections first (HTTP_GUARD_SHED_PCT). The
// connections it closed are the oldest ones; connections in the middle of a
// request head are not touched (t0145 holds those).
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startForum, get, tryGet } from './lib.mjs';

const CAP = 40;

/* a keep-alive connection from localAddress that has made one request and read its answer */
function idleConn(url, localAddress) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: hostname, port: Number(port), localAddress }, () => {
      s.write('GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    let data = '';
    s.gone = false;
    s.on('close', () => { s.gone = true; });
    const onData = (d) => {
      data += d;
      const end = data.indexOf('\r\n\r\n');
      const m = /content-length: (\d+)/i.exec(data);
      if (end > 0 && m && data.length >= end + 4 + Number(m[1])) {
        s.off('data', onData);
        s.on('data', () => {});
        assert.match(data, /^HTTP\/1\.1 200/);
        resolve(s);
      }
    };
    s.on('data', onData);
    s.on('error', (e) => (s.gone ? null : reject(e)));
  });
}


const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('idle keep-alive connections from a few addresses at the cap: a new client is answered, the oldest idle were closed', async () => {
  const f = await startForum({ demo: false, workers: 1, serveArgs: ['--max-connections', String(CAP)] });
  const held = [];
  try {
    assert.equal((await get(f.url + '/robots.txt')).status, 200);
    for (let i = 0; i < CAP; i++) {
      held.push(await idleConn(f.url, `127.0.0.${2 + (i % 4)}`));
      await sleep(5);   // distinct idle start times: the order they were opened is their age
    }
    await sleep(1500);   // the server has seen them all idle
    const status = await tryGet(f.url, 10000);
    assert.match(status ?? '', /^HTTP\/1\.1 200/, 'a new client is answered with the table full of idle connections');
    const closed = held.map((s) => s.gone);
    const n = closed.filter(Boolean).length;
    assert.ok(n >= CAP - Math.floor(CAP * 0.9), `idle connections were closed to make room (${n})`);
    assert.deepEqual(closed, held.map((_, i) => i < n), 'the oldest first');
    // a survivor still works as a keep-alive connection
    const last = held[held.length - 1];
    const answer = new Promise((resolve) => last.once('data', (d) => resolve(String(d))));
    last.write('GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(await answer, /^HTTP\/1\.1 200/);
  } finally {
    for (const s of held) s.destroy();
    await f.stop();
  }
});
