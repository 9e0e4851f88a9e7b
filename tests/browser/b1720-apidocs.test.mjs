// b1720: /api/docs, the JSON API's reference rendered by loulan from its OpenAPI description, at
// desktop and phone widths: every operation is there with its method badge, the table of contents
// links to it, nothing is wider than the screen (tables become cards on a phone), no script, no
// console errors. Screenshots go to build/screens/ (LOULAN_SCREENS=DIR) for a look by eye.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../e2e/lib.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';

const SCREENS = process.env.LOULAN_SCREENS ?? path.join(ROOT, 'build/screens');

test('/api/docs at desktop and phone widths', async () => {
  await withBrowserForum({ demo: true }, async (forum, browser) => {
    fs.mkdirSync(SCREENS, { recursive: true });
    const spec = await (await fetch(forum.url + '/api/v1/openapi.json')).json();
    const nops = Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      const ctx = await browser.newContext({ viewport });
      const page = await ctx.newPage();
      const errors = collectErrors(page);
      await page.goto(forum.url + '/api/docs', { waitUntil: 'load' });
      assert.equal(await page.locator('article.api-op h3 .apim').count(), nops, `${name}: one card per operation`);
      assert.equal(await page.locator('script[src^="http"], link[href^="http"]').count(), 0, 'nothing from elsewhere');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
      // no table wider than its card
      const wide = await page.evaluate(() => [...document.querySelectorAll('table.api-fields')]
        .filter((t) => t.scrollWidth > t.parentElement.clientWidth + 1).length);
      assert.equal(wide, 0, `${name}: field tables fit`);
      // the method badges are styled, the table of contents jumps to the operation
      const bg = await page.locator('.apim-delete').first().evaluate((e) => getComputedStyle(e).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the DELETE badge has a colour');
      await page.screenshot({ path: path.join(SCREENS, `b1720-apidocs-${name}.png`) });
      await page.click('.api-toc a[href="#post-api-v1-boards-fid-threads"]');
      assert.ok(await page.locator('#post-api-v1-boards-fid-threads').isVisible());
      await page.screenshot({ path: path.join(SCREENS, `b1720-apidocs-op-${name}.png`) });
      if (name === 'phone') {
        const display = await page.locator('#post-api-v1-boards-fid-threads table.api-fields thead').first()
          .evaluate((e) => getComputedStyle(e).display);
        assert.equal(display, 'none', 'on a phone a field row is a card, not a table row');
      }
      assert.deepEqual(errors, [], `${name}: console errors`);
      await ctx.close();
    }
  });
});
