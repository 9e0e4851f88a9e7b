// t0180: SIGTERM in the middle of a burst of requests: the server finishes,
// exits 0 without a sanitizer report, and the port is free again.
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
