// t0606: the cache key is the page, not the URL's noise (issue 16). Only the query
// arguments a page's handler reads make its key: ?x=1..1000 on a thread page, a
// board page and the index are hits on the one entry and do not grow the cache
// (loulan_page_cache_entries in /metrics), while the arguments the page reads
// (page=) still make other pages, with or without noise beside them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, footerOf, gen, floorsOf } from './lib.mjs';

const NOISE = 1000;

async function entries(url) {
  const r = await get(`${url}/metrics`);
  assert.equal(r.status, 200);
  const m = /^loulan_page_cache_entries (\d+)/m.exec(r.text);
  assert.ok(m, '/metrics has loulan_page_cache_entries');
  return Number(m[1]);
}

// the page without the footer's timer and the live view count (they differ between any two responses)
const body = (html) => html.replace(/Processed in [\s\S]*?Cache (On|Off)/, '').replace(/查看: <em>\d+<\/em>/, '');

test('?x=1..1000 does not grow the cache: hits on the one entry of each page', async () => {
  await withForum({ demo: false }, async (forum) => {
    const { bigTid } = await gen(forum, { boards: 1, threads: 3, posts: 30, big: 40 });
    const paths = ['/t/1', `/t/${bigTid}?page=2`, '/f/1', '/'];
    for (const p of paths) {
      await get(forum.url + p);
      assert.equal(footerOf((await get(forum.url + p)).text).cache, true, `${p}: second GET is a hit`);
    }
    const before = await entries(forum.url);
    assert.ok(before >= paths.length);
    for (const p of paths) {
      const sep = p.includes('?') ? '&' : '?';
      const n = p === '/t/1' ? NOISE : 100;
      for (let i = 1; i <= n; i++) {
        const r = await get(`${forum.url}${p}${sep}x=${i}`);
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('x-loulan-cache'), 'hit', `${p}${sep}x=${i} is the cached page`);
      }
      // several unknown names, in any order, and a repeated one
      const r = await get(`${forum.url}${p}${sep}utm_source=a&fbclid=b&x=1&x=2`);
      assert.equal(r.headers.get('x-loulan-cache'), 'hit', `${p} with several unknown arguments`);
    }
    assert.equal(await entries(forum.url), before, 'no entry was added by unknown arguments');
  });
});

test('the arguments a page reads still make the key; noise beside them is ignored; bad UTF-8 is still 400', async () => {
  await withForum({ demo: false }, async (forum) => {
    const { bigTid } = await gen(forum, { boards: 1, threads: 2, posts: 10, big: 40 });
    const p1 = (await get(`${forum.url}/t/${bigTid}`)).text;
    const p3 = (await get(`${forum.url}/t/${bigTid}?page=3`)).text;
    assert.deepEqual(floorsOf(p3).map((f) => f.label), Array.from({ length: 10 }, (_, i) => `${21 + i}#`));
    // page 3 with noise before and after: page 3 (a hit), not page 1
    for (const q of ['?x=1&page=3', '?page=3&x=2', '?zz=&page=3']) {
      const r = await get(`${forum.url}/t/${bigTid}${q}`);
      assert.equal(r.headers.get('x-loulan-cache'), 'hit', q);
      assert.equal(body(r.text), body(p3), `${q} is page 3`);
    }
    // page 1 with noise is page 1
    const n1 = await get(`${forum.url}/t/${bigTid}?x=9`);
    assert.equal(body(n1.text), body(p1));
    // the noise is not in the page either (the 登录 link back here), whichever request filled the entry
    const fresh = await get(`${forum.url}/t/2?utm_source=crawler&page=1`);
    assert.equal(footerOf(fresh.text).cache, false);
    assert.ok(!fresh.text.includes('utm_source') && !fresh.text.includes('crawler'), 'no noise in the stored page');
    assert.match(fresh.text, /href="\/login\?next=%2Ft%2F2%3Fpage%3D1"/, 'the login link keeps the argument the page read');
    // another value of an argument the page reads is another page (a miss first)
    const p4 = await get(`${forum.url}/t/${bigTid}?page=4&x=3`);
    assert.equal(footerOf(p4.text).cache, false);
    assert.deepEqual(floorsOf(p4.text).map((f) => f.label), Array.from({ length: 10 }, (_, i) => `${31 + i}#`));
    // an argument that is not valid UTF-8 is refused as before, even beside a cached page's key
    assert.equal((await get(`${forum.url}/t/${bigTid}?x=%ff`)).status, 400);
    assert.equal((await get(`${forum.url}/t/${bigTid}?page=3&x=%C3`)).status, 400);
  });
});
