// b1700: every page at desktop (1280) and phone (390) width, in the light and the dark scheme,
// screenshotted into build/screenshots/pages/ (JPEG; LOULAN_SHOTS=png for PNG) and checked by computed style:
//   - no horizontal overflow (the document is no wider than the viewport),
//   - every text colour meets WCAG AA on its real background (4.5:1, 3:1 for large text),
//     the background found by walking up to the first opaque one (gradients: their worst stop),
//   - no unstyled form control (the user agent's 13.33px font, inset/outset borders or
//     ButtonFace grey left in place).
// At phone width the admin's pages are also checked in the 手机版 touch layout.
// The pages come from the route table (src/pages/routes.c, read by tests/e2e/sweep.mjs): every
// GET route outside /api/v1/ that answers HTML is visited (/api/docs too), its '*' filled from the demo forum by the
// segment before it (f: a board, t: a thread, p: a post, u: a member, else 1), so a route added
// later is checked without a line here. EXTRA adds query forms of some routes; SKIP lists the
// routes that are not pages (files, feeds, legacy redirects to pages already visited).
// Post bodies (.pcontent) and signatures (.sig) are the authors' colours and are not checked for contrast.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, Client, csrfOf } from '../e2e/lib.mjs';
import { routeTable } from '../e2e/sweep.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';
const ADMIN = '一二三四五六七八九十甲乙丙丁戊';   // a 15-character name (USER_NAME_MAX): the phone header holds it
const SHOTS = path.join(ROOT, 'build/screenshots/pages');
const SHOT_TYPE = process.env.LOULAN_SHOTS === 'png' ? 'png' : 'jpeg';   // JPEG is quicker; LOULAN_SHOTS=png for PNG

const SKIP = new Set(['/static/*', '/favicon.ico', '/robots.txt', '/metrics', '/healthz', '/avatar/*/*', '/a/*/*',
  '/rss', '/f/*/rss', '/sitemap.xml', '/sitemap/*', '/attachments/counts', '/mobile', '/misc.php', '/forum.php',
  '/search.php', '/*']);
const EXTRA = (x) => ({
  '/t/*': [`/t/${x.t}?mode=read`, `/t/${x.t}?order=desc`, `/t/${x.t}?author=${x.u}`],
  '/search': [`/search?q=${encodeURIComponent('论坛')}`],
  '/u/*/ban': [`/u/${x.u}/ban?pid=${x.p}`],
  '/ranklist': ['/ranklist?list=credits'],
  '/guide': ['/guide?view=hot'],
  '/archiver/': [`/archiver/?tid-${x.t}.html`],
  '/modcp/reports': ['/modcp/reports?status=handled'],
});
const VIEWPORTS = [[1280, 900, 'desk'], [390, 844, 'phone']];

/** The paths to visit: each GET page route with its '*' filled, plus EXTRA. */
function pagePaths(x) {
  const fill = { f: x.f, t: x.t, p: x.p, u: x.u, users: x.u };
  const out = [];
  for (const r of routeTable()) {
    if (!/GET/.test(r.methods) || r.pattern.startsWith('/api/v1/') || SKIP.has(r.pattern)) continue;   // /api/docs is a page
    const segs = r.pattern.split('/');
    const p = segs.map((s, i) => (s === '*' ? String(fill[segs[i - 1]] ?? 1) : s)).join('/');
    out.push(p, ...(EXTRA(x)[r.pattern] ?? []));
  }
  return [...new Set(out)];
}

/* Runs in the page: a list of problems (overflow, contrast, unstyled controls). */
function audit() {
  const problems = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) {
    const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > de.clientWidth + 1)
      .slice(-3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    problems.push(`horizontal overflow: ${de.scrollWidth} > ${de.clientWidth} (${wide.join(', ')})`);
  }
  const parse = (c) => {
    const m = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/?\s*([\d.]+))?\)/.exec(c);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const over = (fg, bg) => [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat(1);
  const lum = (c) => {
    const l = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  // the backgrounds behind e, nearest first, down to the first opaque one (several for a gradient)
  const backgrounds = (e) => {
    const layers = [];
    for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
      const cs = getComputedStyle(n);
      const grad = cs.backgroundImage.match(/rgba?\([^)]*\)/g);
      if (grad && /gradient/.test(cs.backgroundImage)) return { layers, base: grad.map(parse) };
      const bg = parse(cs.backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) return { layers, base: null }; }
    }
    return { layers, base: [[255, 255, 255, 1]] };
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.data.trim()) continue;
    const e = t.parentElement;
    // post bodies and signatures are their authors' colours; .pipe separators are decoration
    if (!e || seen.has(e) || e.closest('.pcontent, .sig, script, style, noscript, [hidden], option, .pipe')) continue;
    seen.add(e);
    const rect = e.getBoundingClientRect();
    if (!rect.width || !rect.height || !e.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const cs = getComputedStyle(e);
    let fg = parse(cs.color);
    if (!fg) continue;
    let op = 1;
    for (let n = e; n && n.nodeType === 1; n = n.parentElement) op *= +getComputedStyle(n).opacity;
    fg = [fg[0], fg[1], fg[2], fg[3] * op];
    const { layers, base } = backgrounds(e);
    const size = parseFloat(cs.fontSize), bold = +cs.fontWeight >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    let worst = Infinity;
    for (const b of base ?? [layers.pop()]) {
      let bg = b;
      for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
      worst = Math.min(worst, ratio(over(fg, bg), bg));
    }
    if (worst < need) {
      const cls = typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '';
      problems.push(`contrast ${worst.toFixed(2)} < ${need}: <${e.tagName.toLowerCase()}${cls}> "${t.data.trim().slice(0, 30)}" ${cs.color}`);
    }
  }
  for (const c of document.querySelectorAll('input, select, textarea, button')) {
    if (c.type === 'hidden' || c.type === 'checkbox' || c.type === 'radio' || !c.checkVisibility()) continue;
    if (c.closest('.pcontent, .sig')) continue;
    const cs = getComputedStyle(c);
    const name = `<${c.tagName.toLowerCase()}${c.name ? ` name=${c.name}` : ''}${c.className ? ` class=${c.className}` : ''}>`;
    if (cs.fontSize === '13.3333px') problems.push(`unstyled control ${name}: the browser's font size`);
    else if (/inset|outset/.test(cs.borderTopStyle)) problems.push(`unstyled control ${name}: the browser's ${cs.borderTopStyle} border`);
    else if (c.tagName === 'BUTTON' && cs.backgroundColor === 'rgb(239, 239, 239)') problems.push(`unstyled control ${name}: ButtonFace`);
  }
  // the header holds what is in it (a wrapped row never spills over the page)
  const bar = document.querySelector('header.topbar');
  if (bar) {
    const bottom = bar.getBoundingClientRect().bottom;
    for (const k of bar.querySelectorAll('.topbar-in > *')) {
      if (k.checkVisibility() && k.getBoundingClientRect().bottom > bottom + 1) problems.push(`<${k.tagName.toLowerCase()}.${k.className}> spills out of the header`);
    }
  }
  // every page names itself in an <h1> and offers the skip link to its content
  if (!document.querySelector('h1')) problems.push('no <h1>');
  const skip = document.querySelector('a.skip[href^="#"]');
  if (!skip || !document.getElementById(skip.getAttribute('href').slice(1))) problems.push('no skip link to the content');
  return [...new Set(problems)];
}

test('every page, desktop and phone, light and dark: no overflow, AA contrast, styled forms', async () => {
  await withBrowserForum({ demo: true, users: [{ name: ADMIN, password: PW, admin: true }],
    config: { 'post.flood_seconds': '0' } }, async (forum, browser) => {
    // ids from the demo forum; a report (the queue has a card) and a post of root's (history, rate) added
    const c = new Client(forum.url);
    const b = await (await fetch(`${forum.url}/api/v1/boards`)).json();
    const f = (b.boards ?? b)[0].fid;
    const tl = await (await fetch(`${forum.url}/api/v1/boards/${f}/threads`)).json();
    const t = (tl.threads ?? tl)[0].tid;
    const th = await (await fetch(`${forum.url}/api/v1/threads/${t}`)).json();
    const posts = th.posts ?? th.floors;
    const p = posts[0].pid;
    const u = (posts.find((x) => (x.authorid ?? x.uid) !== 1) ?? posts[0]).authorid ?? posts[0].uid;   // not the admin (ban form)
    const form = await c.get('/login');
    let r = await c.post('/login', { username: ADMIN, password: PW, csrf: csrfOf(form.text) });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const csrf = csrfOf((await c.get('/settings/password')).text);
    r = await c.post(`/p/${p}/report`, { csrf, reason: '这是一条测试举报' });
    assert.ok(r.status === 303, `report: ${r.status}`);
    for (let loc = r.headers.get('location'); loc; loc = r.headers.get('location')) r = await c.get(loc);   // its 举报已提交, read
    const x = { f, t, p, u };
    const paths = pagePaths(x);
    paths.push('/t/999999999');   // an error page
    fs.rmSync(SHOTS, { recursive: true, force: true });
    fs.mkdirSync(SHOTS, { recursive: true });

    const problems = [];
    for (const scheme of ['light', 'dark']) {
      for (const [w, h, tag] of VIEWPORTS) {
        // at phone width also the 手机版 touch layout (cookie loulan_mobile=1), as the admin, in light
        for (const who of tag === 'phone' && scheme === 'light' ? ['guest', 'root', 'touch'] : ['guest', 'root']) {
          const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: 1, colorScheme: scheme });
          if (who !== 'guest') {
            await ctx.addCookies([...c.cookies].map(([name, value]) => ({ name, value, url: forum.url })));
          }
          if (who === 'touch') await ctx.addCookies([{ name: 'loulan_mobile', value: '1', url: forum.url }]);
          const page = await ctx.newPage();
          const errors = collectErrors(page);
          const list = who !== 'guest' ? paths : ['/', `/f/${f}`, `/t/${t}`, '/login', '/register', '/search', '/t/999999999'];
          for (const pth of list) {
            // what answers no HTML is no page (feeds, files, a Server-Sent-Events stream that never ends):
            // its headers say so before its body, which is not waited for
            const ac = new AbortController();
            const head = await fetch(forum.url + pth, { signal: ac.signal, redirect: 'follow',
              headers: who !== 'guest' ? { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
            const htmlPage = (head.headers.get('content-type') ?? '').startsWith('text/html');
            ac.abort();
            if (!htmlPage) continue;
            errors.length = 0;
            const res = await page.goto(forum.url + pth, { waitUntil: 'load' });
            const ct = res ? res.headers()['content-type'] ?? '' : '';
            if (ct.startsWith('text/html')) {
              const name = `${scheme}-${tag}-${who}${pth.replace(/[^a-z0-9]+/gi, '_')}`.slice(0, 120);
              await page.screenshot({ path: path.join(SHOTS, `${name}.${SHOT_TYPE}`), fullPage: true, type: SHOT_TYPE });
              for (const pr of await page.evaluate(audit)) problems.push(`${scheme} ${tag} ${who} ${pth}: ${pr}`);
            }
            // the page's own status (an error page: a route whose filled-in ids fit it not) is no console error
            const own = `status of ${res ? res.status() : 0} `;
            for (const e of errors) if (!(e.includes(own) && e.includes(`(${page.url()}:`))) problems.push(`${scheme} ${tag} ${who} ${pth}: ${e}`);
          }
          await ctx.close();
        }
      }
    }
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join('\n')}`);
  });
});
