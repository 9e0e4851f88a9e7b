// b1460: search from the header box of the demo forum, at desktop and phone widths: the results
// page shows the matches marked, and a result opens its thread. No console errors (CSP included).
// Screenshots go to build/screens/ (LOULAN_SCREENS=DIR to change) for a look by eye.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../e2e/lib.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';
const SCREENS = process.env.LOULAN_SCREENS ?? path.join(ROOT, 'build/screens');

test('search from the header and open a result (desktop and phone)', async () => {
  await withBrowserForum({ demo: true, users: [{ name: '长名字的会员', password: PW }] }, async (forum, browser) => {
    fs.mkdirSync(SCREENS, { recursive: true });
    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      const ctx = await browser.newContext({ viewport });
      const page = await ctx.newPage();
      const errors = collectErrors(page);
      await page.goto(forum.url + '/', { waitUntil: 'load' });
      const box = page.locator('header form.hsearch input[name=q]');
      assert.ok(await box.isVisible(), `${name}: the header's search box is visible`);
      await box.fill('论坛');
      await Promise.all([page.waitForNavigation(), box.press('Enter')]);
      assert.match(page.url(), /\/search\?q=%E8%AE%BA%E5%9D%9B$/);
      assert.equal(await page.inputValue('header form.hsearch input[name=q]'), '论坛', 'the box keeps the query');
      const results = page.locator('ol.results li.result');
      assert.ok(await results.count() >= 2, `${name}: results`);
      assert.equal(await results.first().locator('mark').first().textContent(), '论坛');
      // nothing wider than the screen
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
      await page.screenshot({ path: path.join(SCREENS, `b1460-search-${name}.png`), fullPage: true });
      const title = (await results.first().locator('h3 a').textContent()).trim();
      await Promise.all([page.waitForNavigation(), results.first().locator('h3 a').click()]);
      assert.match(page.url(), /\/t\/\d+/);
      assert.equal((await page.locator('.thread-head h1').textContent()).includes(title.slice(0, 6)), true, `${name}: opened ${title}`);
      // a one-character query is explained, not an empty list
      await page.goto(forum.url + '/search?q=' + encodeURIComponent('坛'), { waitUntil: 'load' });
      assert.match(await page.textContent('.sform .form-error'), /单个汉字无法搜索/);
      assert.equal(await page.inputValue('.sform input[name=q]'), '坛', 'the form keeps what was typed');
      await page.screenshot({ path: path.join(SCREENS, `b1460-search-refused-${name}.png`), fullPage: true });
      // the refusal is a 400, which Chromium logs; nothing else may be
      const other = errors.filter((e) => !/status of 400 .*\/search\?q=%E5%9D%9B/.test(e));
      assert.deepEqual(other, [], `${name}: console errors`);
      await ctx.close();
    }
    // a member's header (name, group, links) still fits a phone beside the search box
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(forum.url + '/login', { waitUntil: 'load' });
    await page.fill('input[name=username]', '长名字的会员');
    await page.fill('input[name=password]', PW);
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    await page.goto(forum.url + '/search?q=' + encodeURIComponent('济宁'), { waitUntil: 'load' });
    assert.ok(await page.locator('header form.hsearch input[name=q]').isVisible());
    assert.ok(await page.locator('ol.results li.result').count() >= 1, 'the demo has a thread about 济宁');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `member on a phone: ${overflow}px too wide`);
    await page.screenshot({ path: path.join(SCREENS, 'b1460-search-member-phone.png'), fullPage: true });
    await ctx.close();
  });
});
