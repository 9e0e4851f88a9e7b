// b1400: issue 14's pages in Chromium: the 手机版 layout at 390 px (index, board, thread, rankings)
// fits the screen with large tap targets and the author line above each floor; the switch in the
// footer goes to 电脑版 and back; the Archiver, rankings and guide at 1280 px. Screenshots go to
// build/screenshots/b1400-*.png (look at them); no console errors (CSP) anywhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../e2e/lib.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';

const DIR = path.join(ROOT, 'build/screenshots');
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

async function shot(page, name) {
  fs.mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: path.join(DIR, `b1400-${name}.png`), fullPage: true });
}

/** No element sticks out of the viewport sideways. */
async function noOverflow(page, what) {
  const over = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return document.documentElement.scrollWidth > w + 1 ? document.documentElement.scrollWidth : 0;
  });
  assert.equal(over, 0, `${what}: the page is wider than the screen`);
}

test('手机版 at 390 px: touch layout, author line above the floor, large tap targets, switch to 电脑版 and back', async () => {
  await withBrowserForum({ demo: true }, async (forum, browser) => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: PHONE_UA, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await page.goto(forum.url + '/', { waitUntil: 'load' });
    assert.equal(await page.evaluate(() => document.body.classList.contains('touch')), true, 'a phone gets the touch layout');
    await noOverflow(page, 'index');
    assert.match(await page.textContent('.stats'), /昨日/);
    assert.match(await page.textContent('#online'), /在线会员/);
    await shot(page, 'mobile-index');
    await page.click('.boards a[href^="/f/"]');
    await page.waitForLoadState('load');
    await noOverflow(page, 'board');
    await shot(page, 'mobile-board');
    await page.goto(forum.url + '/t/2', { waitUntil: 'load' });
    await noOverflow(page, 'thread');
    // the author line sits above the floor's text, not beside it
    const [a, b] = await page.evaluate(() => {
      const f = document.querySelector('.floor');
      const r1 = f.querySelector('.author').getBoundingClientRect(), r2 = f.querySelector('.pbody').getBoundingClientRect();
      return [r1.bottom, r2.top];
    });
    assert.ok(a <= b + 1, 'author line above the body');
    // tap targets: buttons and pager links at least 44 px high
    for (const h of await page.$$eval('.bar .btn', (els) => els.map((e) => e.getBoundingClientRect().height))) {
      assert.ok(h >= 43.5, `a button ${h}px high`);
    }
    await shot(page, 'mobile-thread');
    await page.goto(forum.url + '/ranklist', { waitUntil: 'load' });
    await noOverflow(page, 'ranklist');
    await shot(page, 'mobile-ranklist');
    // 电脑版: the footer link switches and remembers it
    await page.click('.foot-links a:has-text("电脑版")');
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => document.body.classList.contains('touch')), false);
    await page.goto(forum.url + '/', { waitUntil: 'load' });
    assert.equal(await page.evaluate(() => document.body.classList.contains('touch')), false, 'remembered by the cookie');
    await page.click('.foot-links a:has-text("手机版")');
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => document.body.classList.contains('touch')), true);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});

test('Archiver, 热门排行 and 导读 at 1280 px', async () => {
  await withBrowserForum({ demo: true }, async (forum, browser) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await page.goto(forum.url + '/archiver/', { waitUntil: 'load' });
    await shot(page, 'archiver-index');
    await page.click('a[href^="?fid-"]');
    await page.waitForLoadState('load');
    assert.match(page.url(), /\/archiver\/\?fid-\d+\.html$/);
    await shot(page, 'archiver-board');
    await page.click('a[href^="?tid-"]');
    await page.waitForLoadState('load');
    assert.match(page.url(), /\/archiver\/\?tid-\d+\.html$/);
    assert.ok((await page.$$('.arc-post')).length >= 1);
    await shot(page, 'archiver-thread');
    await page.goto(forum.url + '/ranklist', { waitUntil: 'load' });
    assert.ok((await page.$$('.ranks tbody tr')).length >= 5, 'the demo ranking is not empty');
    await shot(page, 'ranklist');
    await page.click('.tabs a:has-text("积分排行")');
    await page.waitForLoadState('load');
    await shot(page, 'ranklist-members');
    await page.goto(forum.url + '/guide?view=digest', { waitUntil: 'load' });
    assert.ok((await page.$$('.ranks tbody tr a.subject')).length >= 1, '精华 in the demo');
    await shot(page, 'guide');
    await page.goto(forum.url + '/', { waitUntil: 'load' });
    await shot(page, 'index');
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
