// t0147: behind a reverse proxy (serve --trust-proxy), each client is its own
// address: login failures of one proxied client lock that client's address,
// not every client of the proxy; without --trust-proxy the same headers are
// the client's own words and change nothing (all requests are the peer's).
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum } from './lib.mjs';

const PW = 'correct horse 1';
const config = { 'auth.login_max_failures_ip': 3, 'auth.login_max_failures': 100, 'auth.login_window': 120 };
const users = ['ann', 'ben'].map((name) => ({ name, password: PW }));

async function session(url, username, password, xff) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
    body: JSON.stringify({ username, password }),
  });
  await res.text();
  return res.status;
}

test('--trust-proxy: a proxied client that fails logins locks only its own address', async () => {
  await withForum({ demo: false, config, users, serveArgs: ['--trust-proxy', '127.0.0.1/32'] }, async (f) => {
    for (let i = 0; i < 2; i++) assert.equal(await session(f.url, 'ann', `wrong-${i}`, '198.51.100.1'), 401);
    assert.equal(await session(f.url, 'ann', 'wrong-2', '198.51.100.1'), 429, 'the nth failure is 429');
    assert.equal(await session(f.url, 'ann', PW, '198.51.100.1'), 429, 'the failing address waits');
    assert.equal(await session(f.url, 'ben', PW, '198.51.100.2'), 200, 'another client of the proxy signs in');
    // the hop a client wrote itself comes first; the proxy's appended hop counts
    assert.equal(await session(f.url, 'ben', PW, '198.51.100.1, 198.51.100.3'), 200);
  });
});

test('without --trust-proxy, X-Forwarded-For is ignored: the peer is the client', async () => {
  await withForum({ demo: false, config, users }, async (f) => {
    for (let i = 0; i < 2; i++) assert.equal(await session(f.url, 'ann', `wrong-${i}`, `198.51.100.${10 + i}`), 401);
    assert.equal(await session(f.url, 'ann', 'wrong-2', '198.51.100.12'), 429);
    assert.equal(await session(f.url, 'ben', PW, '198.51.100.99'), 429, 'a forged header does not escape the address lock');
  });
});

test('--trust-proxy refuses a malformed list', async () => {
  await withForum({ demo: false }, async (f) => {
    const r = await f.run(['serve', '--listen', '127.0.0.1:0', '--trust-proxy', 'not-an-address']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--trust-proxy/);
  });
});
