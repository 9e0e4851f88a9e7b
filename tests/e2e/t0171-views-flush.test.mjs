// t0171: view counters of many threads at once reach the database exactly (issue 16): the flush
// writes 16 threads per statement (src/forum/views.c VIEWS_BATCH), so 37 threads take three
// statements, the last one partly filled. Each thread is viewed a different number of times; after
// a clean restart (which flushes) every thread shows its own count, none another's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, gen, restart, viewsOf } from './lib.mjs';

const THREADS = 37;   // > 2 × VIEWS_BATCH, not a multiple of it

test('views of 37 threads, viewed 1..4 times each, survive a restart thread by thread', async () => {
  await withForum({ demo: false }, async (forum) => {
    await gen(forum, { boards: 1, threads: THREADS + 5, posts: THREADS + 5 });
    const tids = [];
    for (let tid = 1; tids.length < THREADS && tid < 200; tid++) {
      const r = await get(`${forum.url}/t/${tid}`);
      if (r.status === 200) tids.push({ tid, first: viewsOf(r.text) });   // this view counts too
    }
    assert.equal(tids.length, THREADS, 'threads found');
    for (const [i, t] of tids.entries()) {
      t.more = i % 4;
      for (let k = 0; k < t.more; k++) assert.equal((await get(`${forum.url}/t/${t.tid}`)).status, 200);
    }
    const s1 = await restart(forum);
    try {
      for (const t of tids) {
        const r = await get(`${s1.url}/t/${t.tid}`);
        assert.equal(r.status, 200);
        // stored: first + more; this page's own view is pending on top
        assert.equal(viewsOf(r.text), t.first + t.more + 1, `thread ${t.tid} viewed ${t.more + 1} times`);
      }
    } finally {
      await s1.stop();
    }
  });
});
