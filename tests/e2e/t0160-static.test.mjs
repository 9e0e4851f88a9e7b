// t0160: CSS, JS and favicon: ETag, 304 on If-None-Match, long caching of
// versioned /static/ URLs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, page } from './lib.mjs';

test('static assets: ETag, If-None-Match -> 304, Cache-Control', async () => {
  await withForum({ demo: false }, async (forum) => {
    const html = await page(forum.url + '/');
    const css = /<link rel="stylesheet" href="(\/static\/loulan\.css\?v=[0-9a-f]+)">/.exec(html)?.[1];
    const js = /<script src="(\/static\/loulan\.js\?v=[0-9a-f]+)" defer>/.exec(html)?.[1];
    assert.ok(css && js, 'versioned CSS and JS URLs in the page');
    const cases = [[css, /^text\/css/, /max-age=31536000/], [js, /javascript/, /max-age=31536000/],
      ['/favicon.ico', /^image\//, /max-age=\d+/]];
    for (const [p, ctype, cache] of cases) {
      const r = await get(forum.url + p);
      assert.equal(r.status, 200, p);
      assert.match(r.headers.get('content-type'), ctype, p);
      assert.match(r.headers.get('cache-control'), cache, p);
      const etag = r.headers.get('etag');
      assert.match(etag ?? '', /^"[0-9a-f]+"$/, `${p} ETag`);
      const again = await get(forum.url + p);
      assert.equal(again.headers.get('etag'), etag, 'the ETag is stable');
      const nm = await get(forum.url + p, { headers: { 'if-none-match': etag } });
      assert.equal(nm.status, 304, `${p} If-None-Match`);
      assert.equal(nm.text, '');
      assert.equal(nm.headers.get('etag'), etag);
      const list = await get(forum.url + p, { headers: { 'if-none-match': `"0000", ${etag}` } });
      assert.equal(list.status, 304, 'an ETag in a list matches');
      const other = await get(forum.url + p, { headers: { 'if-none-match': '"0123456789abcdef"' } });
      assert.equal(other.status, 200, 'another ETag does not');
    }
    const cssr = await get(forum.url + css);
    assert.match(cssr.headers.get('cache-control'), /immutable/);
    assert.ok(cssr.text.length > 100);
    const robots = await get(forum.url + '/robots.txt');
    assert.equal(robots.status, 200);
    assert.equal((await get(forum.url + '/static/nope.js')).status, 404);
  });
});
