// t1430: sitemap, robots.txt, RSS and the head of every page (issue 14). The sitemap is an index
// of parts of at most 50,000 URLs with lastmod, guest-visible content only, named by robots.txt;
// /rss and /f/{fid}/rss are RSS 2.0 (forum.php?mod=rss&fid=N 301); pages carry rel=canonical, a
// meta description from the first floor, Open Graph tags and <link rel="alternate"> to the feed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, gen, webLogin, PW, sql, eventually } from './lib.mjs';
import { assertWellFormed } from './xml.mjs';

const locs = (xml) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
const LASTMOD = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

// Parts hold sitemap.urls_per_part threads (at most 50,000, the protocol's limit; tested here
// with 100 so the split is seen without generating 50,000 threads).
const PER = 100;
const THREADS = 2 * PER + 5;

test('sitemap: an index of parts of at most sitemap.urls_per_part URLs, with lastmod; robots.txt names it', async () => {
  await withForum({ demo: false, config: { 'sitemap.urls_per_part': PER } }, async (forum) => {
    for (const bad of ['0', '50001']) {
      assert.notEqual((await forum.run(['config', 'set', 'sitemap.urls_per_part', bad])).code, 0, `urls_per_part ${bad}`);
    }
    await gen(forum, { boards: 2, threads: THREADS, posts: THREADS, seed: 2 });
    const idx = await get(`${forum.url}/sitemap.xml`);
    assert.equal(idx.status, 200);
    assert.match(idx.headers.get('content-type'), /^application\/xml/);
    assert.equal(assertWellFormed(idx.text, 'sitemap index'), 'sitemapindex');
    const parts = locs(idx.text);
    const host = new URL(forum.url).host;
    assert.deepEqual(parts, [`http://${host}/sitemap/boards.xml`, `http://${host}/sitemap/t-0.xml`, `http://${host}/sitemap/t-1.xml`,
      `http://${host}/sitemap/t-2.xml`]);
    for (const m of idx.text.matchAll(/<lastmod>([^<]*)<\/lastmod>/g)) assert.match(m[1], LASTMOD);
    let threads = 0;
    for (const part of parts) {
      const r = await get(`${forum.url}${new URL(part).pathname}`);
      assert.equal(r.status, 200, part);
      assert.equal(assertWellFormed(r.text, part), 'urlset');
      const urls = locs(r.text);
      assert.ok(urls.length <= PER, `${part}: ${urls.length} URLs`);
      assert.equal(new Set(urls).size, urls.length, `${part}: no URL twice`);
      if (part.includes('/t-')) {
        threads += urls.length;
        assert.equal((r.text.match(/<lastmod>/g) ?? []).length, urls.length, 'a lastmod for every thread');
      } else {
        assert.ok(urls.includes(`http://${host}/`) && urls.some((u) => /\/f\/\d+$/.test(u)), 'the index and the boards');
      }
    }
    assert.equal(threads, THREADS, 'every thread once');
    assert.equal((await get(`${forum.url}/sitemap/t-3.xml`)).status, 404);
    assert.equal((await get(`${forum.url}/sitemap/t-x.xml`)).status, 404);
    assert.equal((await get(`${forum.url}/sitemap/t-50000.xml`)).status, 404);
    const robots = await get(`${forum.url}/robots.txt`);
    assert.match(robots.text, new RegExp(`^Sitemap: http://${host.replace(/\./g, '\\.')}/sitemap\\.xml$`, 'm'));
    // site.url wins over the Host header (and a bad Host never reaches the XML)
    const bad = await fetch(`${forum.url}/sitemap.xml`, { headers: { host: 'evil"<x>' } }).catch(() => null);
    if (bad) assert.ok(!(await bad.text()).includes('evil"'));
    await forum.run(['config', 'set', 'site.url', 'https://bbs.example.com']);
    await eventually(async () => (await get(`${forum.url}/robots.txt`)).text.includes('Sitemap: https://bbs.example.com/sitemap.xml'), 'site.url');
    assert.match((await get(`${forum.url}/sitemap.xml`)).text, /<loc>https:\/\/bbs\.example\.com\/sitemap\/t-0\.xml<\/loc>/);
    assert.notEqual((await forum.run(['config', 'set', 'site.url', 'https://bbs.example.com/'])).code, 0, 'a trailing / is refused');
    assert.notEqual((await forum.run(['config', 'set', 'site.url', 'javascript:alert(1)'])).code, 0);
    // SITE_URL_MAX: 200 bytes
    const long = (n) => 'https://' + 'a'.repeat(n - 'https://'.length - 4) + '.com';
    assert.equal((await forum.run(['config', 'set', 'site.url', long(200)])).code, 0, '200 bytes');
    assert.notEqual((await forum.run(['config', 'set', 'site.url', long(201)])).code, 0, '201 bytes');
  });
});

test('RSS, guest-only sitemap, and the head: canonical, description from the first floor, Open Graph, feed link', async () => {
  await withForum({ demo: true, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': '0' } }, async (forum) => {
    const rss = await get(`${forum.url}/rss`);
    assert.equal(rss.status, 200);
    assert.match(rss.headers.get('content-type'), /^application\/rss\+xml/);
    assert.equal(assertWellFormed(rss.text, '/rss'), 'rss');
    const items = [...rss.text.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => m[1]);
    assert.ok(items.length >= 5, `${items.length} items`);
    for (const it of items) {
      for (const el of ['title', 'link', 'guid', 'description', 'pubDate', 'category', 'dc:creator']) assert.match(it, new RegExp(`<${el}[ >]`), el);
      assert.match(/<pubDate>([^<]*)</.exec(it)[1], /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/);
    }
    const tids = items.map((it) => Number(/\/t\/(\d+)<\/link>/.exec(it)[1]));
    assert.deepEqual(tids, [...tids].sort((a, b) => b - a), 'newest first');
    // a board's feed holds only its threads
    const board = /<a href="\/f\/(\d+)">技术交流<\/a>/.exec((await get(`${forum.url}/`)).text)[1];
    const brss = await get(`${forum.url}/f/${board}/rss`);
    assertWellFormed(brss.text, 'board rss');
    for (const c of brss.text.matchAll(/<category>([^<]*)<\/category>/g)) assert.equal(c[1], '技术交流');
    assert.equal((await get(`${forum.url}/f/999/rss`)).status, 404);
    assert.equal((await get(`${forum.url}/f/x/rss`)).status, 404);   // a bad id in a path segment (HACKING: canonical ids)
    let r = await get(`${forum.url}/forum.php?mod=rss&fid=${board}`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), `/f/${board}/rss`);
    assert.equal((await get(`${forum.url}/forum.php?mod=rss`)).headers.get('location'), '/rss');
    // the head of a thread: description and card image from the first floor, canonical, the board's feed
    // (the demo holds 技术交流's new threads from 新手上路, group 10, for 审核; member groups follow credits:
    // alice posts from group 3, 版主 of no board, which is not held)
    const g = await forum.run(['user', 'group', '--name', 'alice', '--group', '3']);
    assert.equal(g.code, 0, g.stderr);
    const alice = await webLogin(forum.url, 'alice');
    const form = await alice.get(`/f/${board}/new`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)[1];
    r = await alice.post(`/f/${board}/new`, { csrf, title: '卡片 & 描述', format: 'bbcode',
      body: '[b]第一段[/b] 有 <尖括号> & 符号。\n[img]https://img.example.com/a.png?x=1&y=2[/img]\n' + '很长的正文'.repeat(60) });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const tid = /\/t\/(\d+)/.exec(r.headers.get('location'))?.[1] ?? assert.fail(`posted to ${r.headers.get('location')}`);
    const th = (await get(`${forum.url}/t/${tid}`)).text;
    const meta = (n) => new RegExp(`<meta (?:name|property)="${n}" content="([^"]*)">`).exec(th)?.[1];
    assert.ok(meta('description').startsWith('第一段 有 &lt;尖括号&gt; &amp; 符号。'), meta('description'));
    assert.ok([...meta('description').replace(/&[a-z]+;/g, 'x')].length <= 121, 'cut to 120 characters and an ellipsis');
    assert.equal(meta('og:description'), meta('description'));
    assert.equal(meta('og:title'), `卡片 &amp; 描述 - 技术交流 - 楼兰论坛`);
    assert.equal(meta('og:type'), 'article');
    assert.equal(meta('og:image'), 'https://img.example.com/a.png?x=1&amp;y=2');
    assert.match(th, new RegExp(`<link rel="canonical" href="/t/${tid}">`));
    assert.match(th, new RegExp(`<link rel="alternate" type="application/rss\\+xml" title="[^"]*" href="/f/${board}/rss">`));
    const index = (await get(`${forum.url}/`)).text;
    assert.match(index, /<link rel="alternate" type="application\/rss\+xml" title="[^"]*" href="\/rss">/);
    assert.match(index, /<meta property="og:title" content="楼兰论坛">/);
    // with site.url, canonical links are absolute
    await forum.run(['config', 'set', 'site.url', 'https://bbs.example.com']);
    await eventually(async () => (await get(`${forum.url}/t/${tid}?page=1`)).text.includes(`<link rel="canonical" href="https://bbs.example.com/t/${tid}">`), 'absolute canonical');
    // a board guests may not see: gone from the sitemap (whoever asks) and the site feed
    await forum.run(['board', 'perm', '--fid', String(board), '--group', '7', '--view', '0']);
    await eventually(async () => (await get(`${forum.url}/f/${board}`)).status === 403, 'permissions reloaded');
    const sm = await alice.get('/sitemap/t-0.xml');
    for (const part of ['t-00.xml', 't-01.xml', 't-+0.xml', 't-0.xmlx', 't-.xml']) {   // one URL per part
      assert.equal((await get(`${forum.url}/sitemap/${part}`)).status, 404, part);
    }
    assert.ok(!sm.text.includes(`/t/${tid}<`), 'a member asking still gets the guests\' sitemap');
    assert.ok(!(await alice.get('/sitemap/boards.xml')).text.includes(`/f/${board}<`));
    assert.ok(!(await get(`${forum.url}/rss`)).text.includes(`/t/${tid}<`));
    assert.equal((await get(`${forum.url}/f/${board}/rss`)).status, 403);
    assert.ok((await alice.get('/rss')).text.includes(`/t/${tid}<`), 'a member who may read it gets it in the feed');
    await sql(forum, 'SELECT 1');
  });
});
