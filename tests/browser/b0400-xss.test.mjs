// b0400: the XSS corpus (tests/e2e/xss-vectors.txt) posted as BBCode and
// Markdown bodies, as titles, as edits (history pages) and as usernames
// where the name rules allow, then every page that shows them loaded in
// Chromium with a trap: no dialog may open, window.__xss must stay
// undefined, no CSP violation may be reported (an injected inline script
// would be one), and the DOM must hold no event-handler attribute, no
// foreign <script>, no javascript:/vbscript:/data: link and no frame.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startForum, ROOT, csrfOf, PW, webLogin, apiToken, api, addBoard } from '../e2e/lib.mjs';
import { launch } from './lib.mjs';

const vectors = fs.readFileSync(path.join(ROOT, 'tests/e2e/xss-vectors.txt'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/\\n/g, '\n'));

/* a vector as a title: no control characters, at most 80 characters */
function titleOf(v, i) {
  const t = [...v.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')].slice(0, 80).join('').trim();
  return t || `vector ${i}`;
}

const names = ['<b>x</b>', '"><svg>', "'><i>", '<script>', 'a&lt;b', '<img/x>', 'x"onload=y', '{{me}}'];

test('XSS corpus: no script runs on any page that shows user content', { timeout: 600000 }, async () => {
  assert.ok(vectors.length >= 100, `corpus has ${vectors.length} vectors; want at least 100`);
  const forum = await startForum({ demo: false, users: [{ name: 'alice', password: PW }],
    config: { 'post.flood_seconds': 0 } });
  let browser = null;
  let failure = null;
  try {
    const { url } = forum;
    const fid = await addBoard(forum, ['--name', 'xss', '--types', '<script>x=1</script>,"><img src=x>']);
    const tok = await apiToken(url, 'alice');
    // usernames: whatever `loulan user add` accepts
    const posters = [];
    for (const n of names) {
      const r = await forum.run(['user', 'add', '--name', n], `${PW}\n`);
      if (r.code === 0) posters.push(await apiToken(url, n));
    }
    const pages = new Set(['/', `/f/${fid}`]);
    const threads = [];
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i];
      const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`,
        { title: titleOf(v, i), body: v, format: 'bbcode', type: i % 3 ? undefined : '"><img src=x>' }, tok);
      assert.equal(t.status, 201, `vector ${i} ${JSON.stringify(v)}: ${t.text}`);
      const r = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: v, format: 'markdown' },
        posters.length ? posters[i % posters.length] : tok);
      assert.equal(r.status, 201, r.text);
      threads.push({ tid: t.json.tid, pid: t.json.pid, reply: r.json.pid });
      pages.add(`/t/${t.json.tid}`);
    }
    // edits (history pages), quote and edit forms, for a sample of vectors
    for (let i = 0; i < threads.length; i += 7) {
      const { tid, pid } = threads[i];
      const e = await api(url, 'PATCH', `/api/v1/posts/${pid}`, { body: vectors[(i + 1) % vectors.length], format: 'markdown' }, tok);
      assert.equal(e.status, 200, e.text);
      pages.add(`/p/${pid}/history`);
      pages.add(`/p/${pid}/edit`);
      pages.add(`/t/${tid}/reply?quote=${pid}`);
      pages.add(`/t/${tid}/reply?quote=${threads[i].reply}`);
    }
    for (let p = 2; p <= Math.ceil(threads.length / 20); p++) pages.add(`/f/${fid}?page=${p}`);

    const web = await webLogin(url, 'alice');
    // the preview of a few vectors
    const form = await web.get(`/f/${fid}/new`);
    const previews = [];
    for (let i = 0; i < vectors.length; i += 11) previews.push(vectors[i]);

    browser = await launch();
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'loulan_sid', value: web.cookie('loulan_sid'), url }]);
    const page = await ctx.newPage();
    const dialogs = [];
    const csp = [];
    page.on('dialog', (d) => { dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(`${page.url()}: ${m.text()}`); });
    page.on('pageerror', (e) => csp.push(`${page.url()}: pageerror ${e.message}`));
    const check = async (where) => {
      await page.waitForTimeout(30);
      const found = await page.evaluate(() => {
        const bad = [];
        if (window.__xss !== undefined) bad.push('window.__xss set');
        for (const el of document.querySelectorAll('*')) {
          for (const a of el.attributes) {
            if (/^on/i.test(a.name)) bad.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
            if (/^(href|src|action|formaction|data|xlink:href|background|poster)$/i.test(a.name) &&
                /^\s*(javascript|vbscript|data:text)/i.test(a.value)) bad.push(`<${el.tagName.toLowerCase()} ${a.name}=${a.value}>`);
          }
          if (/^(IFRAME|OBJECT|EMBED|FRAME|FRAMESET|BASE|META)$/.test(el.tagName) && !(el.tagName === 'META' && el.closest('head') && !el.httpEquiv))
            bad.push(`<${el.tagName.toLowerCase()}>`);
        }
        for (const s of document.scripts) if (!/^\/static\//.test(s.getAttribute('src') || '')) bad.push('foreign <script>');
        return bad;
      });
      assert.deepEqual(found, [], `${where}`);
    };
    for (const p of pages) {
      const res = await page.goto(url + p, { waitUntil: 'load' });
      assert.equal(res.status(), 200, p);
      await check(p);
    }
    // preview: the form submitted by the browser
    for (const v of previews) {
      await page.goto(`${url}/f/${fid}/new`, { waitUntil: 'load' });
      await page.fill('input[name=title]', titleOf(v, 0));
      await page.fill('textarea[name=body]', v);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[name=preview]')]);
      assert.match(await page.content(), /预览/);
      await check(`preview of ${JSON.stringify(v)}`);
    }
    assert.ok(csrfOf(form.text));
    assert.deepEqual(dialogs, [], 'dialogs opened');
    assert.deepEqual(csp, [], 'CSP violations or page errors');
  } catch (e) {
    failure = e;
  }
  if (browser) await browser.close().catch(() => {});
  try {
    await forum.stop();
  } catch (e) {
    if (!failure) throw e;
    failure.message += `\n(and stop() failed too: ${e.message})`;
  }
  if (failure) throw failure;
});
