// t1450: no dead link (issue 14). Crawls every local link (href/src, and the sitemap's <loc>) on every
// page of the demo forum, as a guest and as a member, and fails on any 404 or 5xx -- the footer's
// default links (热门排行, Archiver, 手机版, 小黑屋, Sitemap) included.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, webLogin, PW } from './lib.mjs';

const MAX_PAGES = 4000;

function decode(s) {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Local links of a page, as paths with their query, relative to the page's URL. */
function linksOf(text, pageUrl, origin) {
  const out = [];
  const raw = [...text.matchAll(/\s(?:href|src|data-url)="([^"]*)"/g), ...text.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => decode(m[1]));
  for (const h of raw) {
    if (!h || h.startsWith('#') || /^(mailto|javascript|data):/i.test(h)) continue;
    let u;
    try { u = new URL(h, pageUrl); } catch { continue; }
    if (u.origin !== origin) continue;   // beian.miit.gov.cn, pictures elsewhere
    out.push(u.pathname + u.search);
  }
  return out;
}

async function crawl(base, fetchPage, exempt) {
  const origin = new URL(base).origin;
  const seen = new Map([['/', 'start']]);
  const queue = ['/'];
  const bad = [];
  let pages = 0;
  while (queue.length && pages < MAX_PAGES) {
    const p = queue.shift();
    pages++;
    const r = await fetchPage(p);
    if (r.status === 404 || r.status >= 500) {
      if (!exempt(p)) bad.push(`${p} -> ${r.status} (linked from ${seen.get(p)})`);
      continue;
    }
    const add = (l) => {
      if (seen.has(l)) return;
      seen.set(l, p);
      queue.push(l);
    };
    const loc = r.headers.get('location');
    if (r.status >= 300 && r.status < 400 && loc) {
      const u = new URL(loc, origin + p);
      if (u.origin === origin) add(u.pathname + u.search);
      continue;
    }
    // the layout switch is fetched but not followed further (the same pages again)
    if (/[?&]mobile=/.test(p)) continue;
    const ct = r.headers.get('content-type') ?? '';
    if (!/html|xml/.test(ct)) continue;
    for (const l of linksOf(r.text, origin + p, origin)) add(l);
  }
  assert.ok(pages < MAX_PAGES, `crawl stopped at ${MAX_PAGES} pages`);
  return { pages, bad };
}

test('every link on every page of the demo forum answers (guest and member): no 404, no 5xx', async () => {
  await withForum({ demo: true, users: [{ name: 'alice', password: PW }] }, async (forum) => {
    const exempt = () => false;   // every link answers, 小黑屋 (/blacklist) included
    assert.match((await get(`${forum.url}/blacklist`)).text, /推广小号/, 'the demo has a ban in 小黑屋');
    const footer = (await get(`${forum.url}/`)).text.match(/<p class="foot-links">([\s\S]*?)<\/p>/)[1];
    assert.deepEqual([...footer.matchAll(/>([^<]+)<\/a>/g)].map((m) => m[1]), ['热门排行', 'Archiver', '手机版', '小黑屋', 'Sitemap']);
    const guest = await crawl(forum.url, (p) => get(forum.url + p), exempt);
    assert.deepEqual(guest.bad, [], `guest: ${guest.bad.length} dead links of ${guest.pages}`);
    assert.ok(guest.pages > 100, `guest crawled ${guest.pages} pages`);
    const alice = await webLogin(forum.url, 'alice');
    const member = await crawl(forum.url, (p) => alice.get(p), exempt);
    assert.deepEqual(member.bad, [], `member: ${member.bad.length} dead links of ${member.pages}`);
    assert.ok(member.pages > 100, `member crawled ${member.pages} pages`);
    assert.ok((await alice.get('/settings/password')).status === 200, 'still logged in after the crawl');
  });
});
