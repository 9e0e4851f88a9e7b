// t0145: the connection limit (HTTP_MAX_CONNECTIONS, lowered with
// --max-connections) is enforced: past it a new client is not served, and the
// server serves again once connections close. Also: a bad value is refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startForum, get, tryGet } from './lib.mjs';

function open(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: hostname, port: Number(port) }, () => resolve(s));
    s.on('error', reject);
  });
}


test('past --max-connections a new client is not served; it is once others close', async () => {
  const f = await startForum({ demo: false, workers: 1, serveArgs: ['--max-connections', '3'] });
  try {
    assert.equal((await get(f.url + '/robots.txt')).status, 200);
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await open(f.url));
    await new Promise((r) => setTimeout(r, 200));   // let the server accept them
    assert.equal(await tryGet(f.url, 800), null, 'a fourth connection gets no answer');
    for (const s of held) s.destroy();
    let status = null;
    for (let i = 0; i < 20 && !status; i++) {
      status = await tryGet(f.url, 500);
      if (!status) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(status ?? '', /^HTTP\/1\.1 200/, 'served again once the held connections closed');
  } finally {
    await f.stop();
  }
});

test('--max-connections out of range is refused', async () => {
  const f = await startForum({ demo: false });
  try {
    for (const bad of ['0', '100001', 'x']) {   // 100001: HTTP_CONNECTIONS_CAP + 1
      const r = await f.run(['serve', '--max-connections', bad, '--listen', '127.0.0.1:0']);
      assert.notEqual(r.code, 0, `--max-connections ${bad}`);
      assert.match(r.stderr, /max-connections/);
    }
  } finally {
    await f.stop();
  }
});
