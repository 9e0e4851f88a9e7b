// t0000: the harness itself. Starts a demo forum, fetches the index, checks
// the footer and its query budget, and that the server stops cleanly.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, footerOf, queriesOf } from './lib.mjs';

test('demo forum: GET / is 200 with a footer of at most 3 queries; SIGTERM exits 0', async () => {
  const forum = await startForum({ demo: true });
  let failure = null;
  try {
    assert.match(forum.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(forum.url + '/');
    assert.equal(res.status, 200, `GET / status; body:\n${res.text.slice(0, 500)}`);
    const footer = footerOf(res.text);
    assert.ok(footer.seconds >= 0 && footer.seconds < 5, `footer seconds: ${footer.seconds}`);
    const q = queriesOf(res.text);
    assert.ok(q <= 3, `GET / took ${q} queries; the budget is 3 per page`);
  } catch (e) {
    failure = e;
  }
  try {
    await forum.stop();
  } catch (e) {
    if (!failure) throw e;
    failure.message += `\n(and stop() failed too: ${e.message})`;
  }
  if (failure) throw failure;
});
