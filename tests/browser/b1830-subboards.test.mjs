// b1830: sub-boards (子版块) in Chromium: the index row of 灌水乐园 names its sub-board 摄影分享, the parent's
// page lists it above the threads, the sub-board's and its thread's breadcrumbs read category › parent ›
// sub-board; at 1280 px and at 390 px (手机版), no sideways overflow, no console errors. Screenshots go to
// build/screenshots/b1830-*.png (look at them).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../e2e/lib.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';

const DIR = path.join(ROOT, 'build/screenshots');
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

async function noOverflow(page, what) {
  const over = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return document.documentElement.scrollWidth > w + 1 ? document.documentElement.scrollWidth : 0;
  });
  assert.equal(over, 0, `${what}: the page is wider than the screen`);
}

for (const [size, vp, ua] of [['desktop', { width: 1280, height: 900 }, undefined], ['phone', { width: 390, height: 844 }, PHONE_UA]]) {
  test(`子版块 at ${vp.width} px: index row, parent page, sub-board and thread breadcrumbs`, async () => {
    await withBrowserForum({ demo: true }, async (forum, browser) => {
      const ctx = await browser.newContext({ viewport: vp, userAgent: ua, deviceScaleFactor: 1 });
      const page = await ctx.newPage();
      const errors = collectErrors(page);
      fs.mkdirSync(DIR, { recursive: true });
      const shot = (name) => page.screenshot({ path: path.join(DIR, `b1830-${size}-${name}.png`), fullPage: true });
      await page.goto(forum.url + '/', { waitUntil: 'load' });
      const subs = page.locator('.boards p.subs');
      assert.equal(await subs.count(), 1);
      assert.equal((await subs.textContent()).trim(), '子版块: 摄影分享');
      assert.ok(await subs.isVisible(), 'the sub-board line is shown');
      await noOverflow(page, 'index');
      await shot('index');
      await page.click('.boards h3 a:text("灌水乐园")');
      await page.waitForLoadState('load');
      const sec = page.locator('section.subboards');
      assert.ok(await sec.isVisible());
      const [secTop, threadsTop] = await page.evaluate(() => [document.querySelector('section.subboards').getBoundingClientRect().top,
        document.querySelector('table.threads').getBoundingClientRect().top]);
      assert.ok(secTop < threadsTop, 'the sub-boards above the threads');
      await noOverflow(page, 'parent board');
      await shot('parent');
      await sec.locator('h3 a').click();
      await page.waitForLoadState('load');
      assert.equal((await page.textContent('.crumbs')).replace(/\s+/g, ' ').trim(), '楼兰论坛 › 综合讨论区 › 灌水乐园 › 摄影分享');
      await noOverflow(page, 'sub-board');
      await shot('sub');
      await page.click('a.subject:text("西湖晨雾")');
      await page.waitForLoadState('load');
      assert.match((await page.textContent('.crumbs')).replace(/\s+/g, ' '), /综合讨论区 › 灌水乐园 › 摄影分享 › 西湖晨雾/);
      await noOverflow(page, 'thread');
      await shot('thread');
      assert.deepEqual(errors, []);
      await ctx.close();
    });
  });
}
