// b1710: a newcomer's first ten minutes never end on an error page (issue 17). From a thread
// page as a guest: 登录 (the header's link and the floor's 举报) comes back to that page; 支持
// twice says so on the floor and offers to take it back; an empty report returns to the form
// with the reason; a report ends with "举报已提交"; 下一主题 on the newest thread says so on the
// thread page. With and without JavaScript. Also: the dark-mode switch is remembered across
// pages (localStorage, applied before the first paint), and a login link with an outside
// ?next= never leaves the site.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, api, apiToken, postIds } from '../e2e/lib.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';
const SHOTS = path.join(ROOT, 'build/screenshots/newcomer');

/** Fails when the page is an error page (the error template's box, or a status >= 400). */
async function noErrorPage(page, res, what) {
  if (res) assert.ok(res.status() < 400, `${what}: HTTP ${res.status()} at ${page.url()}`);
  assert.equal(await page.locator('section.notice').count(), 0, `${what}: an error page at ${page.url()}`);
}

async function click(page, sel, what) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(sel)]);
  await noErrorPage(page, res, what);
  return res;
}

for (const js of [true, false]) {
  test(`a newcomer from a thread page through login and back, 支持 twice, an empty report, 下一主题 (JavaScript ${js ? 'on' : 'off'})`, async () => {
    await withBrowserForum({ demo: false, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }],
      config: { 'post.flood_seconds': '0' } }, async (forum, browser) => {
      let r = await forum.run(['board', 'add', '--name', '新手版']);
      const fid = Number(r.stdout.trim().split(/\s+/).pop());
      r = await forum.run(['post', '--as-admin', '--name', 'alice', '--board', String(fid), '--subject', '较早的主题'], '早');
      const [old] = postIds(r.stdout);
      r = await forum.run(['post', '--as-admin', '--name', 'alice', '--board', String(fid), '--subject', '最新的主题'], '正文');
      const [tid, pid] = postIds(r.stdout);
      const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 390, height: 844 } });
      const page = await ctx.newPage();
      const errors = collectErrors(page);
      fs.mkdirSync(SHOTS, { recursive: true });
      const shot = (n) => page.screenshot({ path: path.join(SHOTS, `${js ? 'js' : 'nojs'}-${n}.png`), fullPage: true });

      // a guest reads the thread; 举报 under the floor asks to log in and then opens the report form
      await noErrorPage(page, await page.goto(`${forum.url}/t/${tid}`), 'the thread');
      assert.equal(await page.locator('.likehint').count(), 1, 'the guest hint once per page');
      await click(page, `#pid${pid} a.report`, '举报 as a guest');
      assert.match(page.url(), /\/login\?next=/);
      await page.fill('input[name=username]', 'bob');
      await page.fill('input[name=password]', PW);
      await click(page, '.formbox button[type=submit]', 'login');
      assert.equal(new URL(page.url()).pathname, `/p/${pid}/report`, 'login comes back to the report form');
      // an empty reason (spaces pass the browser's required check): back on the form, the reason said there
      await page.fill('input[name=reason]', '   ');
      await click(page, 'form.reportform button[type=submit]', 'empty report');
      assert.equal(new URL(page.url()).pathname, `/p/${pid}/report`);
      assert.match(await page.textContent('.flash'), /请填写理由/);
      await shot('empty-report');
      await page.fill('input[name=reason]', '广告');
      await click(page, 'form.reportform button[type=submit]', 'report');
      assert.equal(new URL(page.url()).pathname, `/t/${tid}`);
      assert.match(await page.textContent(`#pid${pid} .flash`), /举报已提交/);

      // 支持 twice: the second says so on the floor and offers to take it back
      await click(page, `#pid${pid} button[value=support]`, '支持');
      assert.match(await page.textContent(`#pid${pid} .attitude`), /支持 1/);
      await click(page, `#pid${pid} button[value=support]`, '支持 again');
      assert.equal(new URL(page.url()).pathname, `/t/${tid}`);
      assert.match(await page.textContent(`#pid${pid} .flash`), /您已经支持过这个帖子了/);
      await shot('support-twice');
      await click(page, `#pid${pid} .flash button[value=none]`, '取消我的表态');
      assert.match(await page.textContent(`#pid${pid} .attitude`), /支持 0/);
      assert.equal(await page.locator('.flash').count(), 0, 'the message was shown once');

      // 下一主题 on the newest thread: the thread page says so; 上一主题 goes to the older one
      await click(page, 'a[href$="/next"]', '下一主题 at the end');
      assert.equal(new URL(page.url()).pathname, `/t/${tid}`);
      assert.match(await page.textContent('.flash'), /没有更新的主题了/);
      await shot('next-at-end');
      await click(page, 'a[href$="/prev"]', '上一主题');
      assert.equal(new URL(page.url()).pathname, `/t/${old}`);

      // log out, then the header's 登录 comes back to the page it was clicked on
      await click(page, 'form[action="/logout"] button', 'logout');
      await noErrorPage(page, await page.goto(`${forum.url}/t/${old}?page=1`), 'the older thread');
      await click(page, '.usernav a[href^="/login"]', 'the header login link');
      await page.fill('input[name=username]', 'bob');
      await page.fill('input[name=password]', PW);
      await click(page, '.formbox button[type=submit]', 'login again');
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, `/t/${old}?page=1`);

      // an outside ?next= never leaves the site (an open redirect is a security bug)
      for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)']) {
        await click(page, 'form[action="/logout"] button', 'logout');
        await page.goto(`${forum.url}/login?next=${encodeURIComponent(next)}`);
        await page.fill('input[name=username]', 'bob');
        await page.fill('input[name=password]', PW);
        await click(page, '.formbox button[type=submit]', `login with next=${next}`);
        assert.equal(new URL(page.url()).origin, new URL(forum.url).origin, `next=${next} stays on the site`);
        assert.equal(new URL(page.url()).pathname, '/', `next=${next} goes home`);
      }
      assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'console errors');
      await ctx.close();
    });
  });
}

test('the dark-mode switch in the header is remembered, before the first paint of the next page', async () => {
  await withBrowserForum({ demo: true }, async (forum, browser) => {
    const ctx = await browser.newContext({ colorScheme: 'light' });
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await page.goto(`${forum.url}/`);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.click('.theme-switch');
    const dark = await bg();
    assert.notEqual(dark, light, 'the switch changes the scheme');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    // the next page starts dark: the attribute is set by the <head> script before <body> is parsed
    await page.route('**/static/loulan.js*', (route) => route.abort());   // the deferred script plays no part
    await page.goto(`${forum.url}/guide`, { waitUntil: 'domcontentloaded' });
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    assert.equal(await bg(), dark);
    await page.unroute('**/static/loulan.js*');
    await page.click('.theme-switch');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    assert.equal(await bg(), light);
    // with the system dark and no choice stored, the page follows the system
    const sys = await browser.newContext({ colorScheme: 'dark' });
    const p2 = await sys.newPage();
    await p2.goto(`${forum.url}/`);
    assert.equal(await p2.evaluate(() => getComputedStyle(document.body).backgroundColor), dark);
    await sys.close();
    assert.deepEqual(errors.filter((e) => !/ERR_FAILED|net::/.test(e)), [], 'no CSP violation or script error');
    await ctx.close();
  });
});

test('[i] and Markdown emphasis are italic; a Markdown > quote looks like a BBCode quote, light and dark', async () => {
  await withBrowserForum({ demo: false, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': '0' } },
    async (forum, browser) => {
      let r = await forum.run(['board', 'add', '--name', '排版']);
      const fid = Number(r.stdout.trim().split(/\s+/).pop());
      r = await forum.run(['post', '--as-admin', '--name', 'alice', '--board', String(fid), '--subject', '排版'],
        '[i]斜体字[/i] [quote]引用的话[/quote]');
      const [tid] = postIds(r.stdout);
      const tok = await apiToken(forum.url, 'alice', PW);
      r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '*强调* 和 _也强调_\n\n> 引用一段', format: 'markdown' }, tok);
      assert.equal(r.status, 201, r.text);
      for (const scheme of ['light', 'dark']) {
        const ctx = await browser.newContext({ colorScheme: scheme });
        const page = await ctx.newPage();
        await page.goto(`${forum.url}/t/${tid}`);
        const style = (sel, prop) => page.$eval(sel, (e, pr) => getComputedStyle(e)[pr], prop);
        for (const sel of ['.pcontent i, .pcontent em', '.pcontent em:has-text("强调")']) {
          assert.equal(await style(sel, 'fontStyle'), 'italic', `${scheme}: ${sel} is italic`);
        }
        assert.equal(await style('.pcontent em:has-text("强调")', 'color'), await style('.pcontent p', 'color'), 'emphasis keeps the text colour');
        for (const prop of ['backgroundColor', 'borderLeftColor', 'borderLeftWidth', 'paddingLeft', 'color']) {
          assert.equal(await style('.pcontent > blockquote', prop), await style('.pcontent .quote blockquote', prop), `${scheme}: ${prop}`);
        }
        await ctx.close();
      }
    });
});
