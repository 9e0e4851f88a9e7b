// t0600: the guest page cache (DESIGN.md "Caching", src/cache/cache.c).
// A guest's second GET is served from the cache ("Cache On", no SQL) with the
// same content; a hit still counts a view; members (session cookie) and API
// clients are never served from it; a write through the CLI (SQLite: the
// shared DIR/loulan.gen counter; PostgreSQL: NOTIFY) is visible to the next GET.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, footerOf, PW, apiToken, api } from './lib.mjs';

const withViews = (html, n) => html.replace(/查看: <em>\d+<\/em>/, `查看: <em>${n}</em>`);
const viewsOf = (html) => {
  const m = /查看: <em>(\d+)<\/em>/.exec(html);
  assert.ok(m, 'thread page shows 查看: <em>N</em>');
  return Number(m[1]);
};

test('guest thread page: second GET is a cache hit with identical content (and a live view count)', async () => {
  await withForum({}, async (f) => {
    const a = await get(f.url + '/t/1');
    assert.equal(a.status, 200);
    assert.equal(footerOf(a.text).cache, false);
    assert.equal(footerOf(a.text).gzip, true);
    const b = await get(f.url + '/t/1');
    assert.equal(b.status, 200);
    assert.equal(b.headers.get('x-loulan-cache'), 'hit');
    const fb = footerOf(b.text);
    assert.equal(fb.cache, true);
    assert.equal(fb.gzip, true);
    assert.equal(fb.queries, footerOf(a.text).queries, 'the cached footer keeps the filling render\'s count');
    const va = viewsOf(a.text);
    assert.equal(viewsOf(b.text), va + 1, 'the cached page shows the reader\'s own view');
    assert.equal(b.text, withViews(a.text, va + 1).replace('Gzip On, Cache Off.', 'Gzip On, Cache On.'));
    assert.equal(b.headers.get('content-type'), a.headers.get('content-type'));
    assert.ok(b.headers.get('content-security-policy'), 'hits carry the page headers');
    // a client that does not accept gzip gets the same page, decompressed
    const c = await get(f.url + '/t/1', { headers: { 'accept-encoding': 'identity' } });
    assert.equal(c.headers.get('content-encoding'), null);
    assert.equal(footerOf(c.text).gzip, false);
    assert.equal(footerOf(c.text).cache, true);
    assert.equal(c.text, withViews(a.text, va + 2).replace('Gzip On, Cache Off.', 'Gzip Off, Cache On.'));
    // HEAD is answered from the cache too
    const h = await fetch(f.url + '/t/1', { method: 'HEAD' });
    assert.equal(h.status, 200);
    assert.equal(h.headers.get('x-loulan-cache'), 'hit');
    // another query string is another page
    const p2 = await get(f.url + '/t/1?mode=read');
    assert.equal(footerOf(p2.text).cache, false);
    // index and board pages are cached as well
    for (const path of ['/', '/f/1']) {
      await get(f.url + path);
      const r = await get(f.url + path);
      assert.equal(r.status, 200, path);
      assert.equal(footerOf(r.text).cache, true, `${path} second GET`);
    }
    // errors are not cached
    for (let i = 0; i < 2; i++) {
      const e = await get(f.url + '/t/999999');
      assert.equal(e.status, 404);
      assert.equal(footerOf(e.text).cache, false);
    }
  });
});

test('members and API clients are never served from the guest cache', async () => {
  await withForum({}, async (f) => {
    await get(f.url + '/t/1');
    assert.equal(footerOf((await get(f.url + '/t/1')).text).cache, true);
    const m = await get(f.url + '/t/1', { headers: { cookie: 'loulan_sid=abc' } });
    assert.equal(m.status, 200);
    assert.equal(footerOf(m.text).cache, false);
    assert.equal(m.headers.get('x-loulan-cache'), null);
    const a = await get(f.url + '/t/1', { headers: { authorization: 'Bearer xyz' } });
    assert.equal(footerOf(a.text).cache, false);
    // and what they were shown is not stored for guests either
    await get(f.url + '/t/2', { headers: { cookie: 'loulan_sid=abc' } });
    assert.equal(footerOf((await get(f.url + '/t/2')).text).cache, false);
  });
});

test('cache hits still count views', async () => {
  await withForum({}, async (f) => {
    const uncached = { headers: { cookie: 'loulan_sid=x' } };   // rendered fresh: stored + pending views
    const before = viewsOf((await get(f.url + '/t/3', uncached)).text);
    const first = await get(f.url + '/t/3');
    assert.equal(footerOf(first.text).cache, false);
    for (let i = 0; i < 5; i++) {
      const hit = await get(f.url + '/t/3');
      assert.equal(footerOf(hit.text).cache, true);
      assert.equal(viewsOf(hit.text), viewsOf(first.text) + i + 1, 'each hit shows one more view');
    }
    // the count grows past 9 -> 10 -> 100 digits too
    for (let i = 0; i < 120; i++) await get(f.url + '/t/3');
    const many = await get(f.url + '/t/3', { headers: { 'accept-encoding': 'identity' } });
    assert.equal(viewsOf(many.text), viewsOf(first.text) + 5 + 120 + 1);
    const after = viewsOf((await get(f.url + '/t/3', uncached)).text);
    // each page shows its own view: after = before + the fill + 5 + 121 hits + after's own view
    assert.equal(after, before + 1 + 5 + 121 + 1, `views before ${before}, after ${after}`);
  });
});

test('a write is visible to the very next request', async () => {
  await withForum({}, async (f) => {
    for (let i = 0; i < 2; i++) await get(f.url + '/');
    await get(f.url + '/t/1');
    const cached = await get(f.url + '/');
    assert.equal(footerOf(cached.text).cache, true);
    assert.ok(!cached.text.includes('缓存测试版块'));
    const r = await f.run(['board', 'add', '--name', '缓存测试版块']);
    assert.equal(r.code, 0, r.stderr);
    const fid = r.stdout.trim();
    // PostgreSQL: the NOTIFY reaches the server's listener asynchronously; poll briefly
    let fresh;
    for (let i = 0; i < 50; i++) {
      fresh = await get(f.url + '/');
      if (fresh.text.includes('缓存测试版块')) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(fresh.text.includes('缓存测试版块'), 'the new board is on the index');
    assert.equal(footerOf(fresh.text).cache, false);
    assert.ok(fresh.text.includes(`/f/${fid}`));
    // the thread page shows the board list's generation (site) too
    assert.equal(footerOf((await get(f.url + '/t/1')).text).cache, false);
  });
});

test('a board permission change reaches cached guest pages once the server reloads permissions', async () => {
  await withForum({}, async (f) => {
    await get(f.url + '/f/2');
    assert.equal(footerOf((await get(f.url + '/f/2')).text).cache, true);
    const r = await f.run(['board', 'perm', '--fid', '2', '--group', '7', '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
    let status = 200;
    for (let t0 = Date.now(); Date.now() - t0 < 6000 && status === 200;) {
      status = (await get(f.url + '/f/2')).status;
      if (status === 200) await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(status, 403, 'guests are refused once permissions are reloaded (background thread, ~2 s)');
  });
});

test('a reply, an edit and a delete through the server are visible to the very next guest request', async () => {
  const users = [{ name: 'alice', password: PW }, { name: 'bob', password: PW }];
  await withForum({ users, config: { 'post.flood_seconds': 0 } }, async (f) => {
    const tok = await apiToken(f.url, 'alice');
    const warm = async (p) => {
      await get(f.url + p);
      assert.equal(footerOf((await get(f.url + p)).text).cache, true, `${p} cached`);
    };
    const thread = await api(f.url, 'GET', '/api/v1/threads/1');
    const fid = thread.json.thread.fid ?? thread.json.board?.fid;
    for (const p of ['/', '/t/1', `/f/${fid}`]) await warm(p);
    const r = await api(f.url, 'POST', '/api/v1/threads/1/posts', { body: '缓存失效测试回复' }, tok);
    assert.equal(r.status, 201, r.text);
    const pg = Math.ceil(r.json.position / 10);
    const tp = await get(f.url + `/t/1?page=${pg}`);
    assert.ok(tp.text.includes('缓存失效测试回复'), 'the reply is on the thread page at once');
    for (const p of ['/', '/t/1', `/f/${fid}`]) {
      assert.equal(footerOf((await get(f.url + p)).text).cache, false, `${p} re-rendered after the reply`);
    }
    await warm(`/t/1?page=${pg}`);
    const e = await api(f.url, 'PATCH', `/api/v1/posts/${r.json.pid}`, { body: '改过的回复' }, tok);
    assert.equal(e.status, 200, e.text);
    assert.ok((await get(f.url + `/t/1?page=${pg}`)).text.includes('改过的回复'), 'the edit shows at once');
    await warm(`/t/1?page=${pg}`);
    const like = await api(f.url, 'POST', `/api/v1/posts/${r.json.pid}/like`, undefined, await apiToken(f.url, 'bob'));
    assert.ok(like.status < 300, like.text);
    assert.match((await get(f.url + `/t/1?page=${pg}`)).text, /本帖点赞记录 \(1\)/, 'a like shows at once');
    await warm(`/t/1?page=${pg}`);
    const d = await api(f.url, 'DELETE', `/api/v1/posts/${r.json.pid}`, undefined, tok);
    assert.equal(d.status, 200, d.text);
    assert.ok(!(await get(f.url + `/t/1?page=${pg}`)).text.includes('改过的回复'), 'the delete shows at once');
  });
});
