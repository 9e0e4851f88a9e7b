// b0800: attachments in a real browser (issue #13). A member uploads two
// images and a PDF with the plain multipart form (no JavaScript needed) and
// one more through the API, places two with [attach], posts; the thread shows
// lazy images with width and height that have loaded, whose originals open on
// click; the unplaced ones are listed under the post; a guest sees the same.
// Screenshots at desktop and phone widths go to $LOULAN_SHOTS when set.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withBrowserForum, collectErrors } from './lib.mjs';
import { makeImage } from '../e2e/lib.mjs';

const PW = 'correct horse battery';
const SHOTS = process.env.LOULAN_SHOTS;

async function shot(page, name) {
  if (!SHOTS) return;
  for (const [w, h, tag] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${tag}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('upload with the plain form and the API, place with [attach], see sized lazy images as member and guest', async () => {
  await withBrowserForum({ demo: true, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': '0' } },
    async (forum, browser) => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const errors = collectErrors(page);
      await page.goto(`${forum.url}/login`);
      await page.fill('input[name=username]', 'alice');
      await page.fill('input[name=password]', PW);
      await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);

      // one upload through the API first (the composer's path), with the session's bearer token
      const tok = await page.evaluate(async (pw) => {
        const r = await fetch('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'alice', password: pw }) });
        return (await r.json()).token;
      }, PW);
      const apiImg = makeImage(1000, 700, 'jpg', 11).toString('base64');
      const up = await page.evaluate(async ([b64, token]) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const fd = new FormData();
        fd.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'api.jpg');
        const r = await fetch('/api/v1/attachments', { method: 'POST', body: fd, headers: { authorization: `Bearer ${token}` } });
        return { status: r.status, json: await r.json() };
      }, [apiImg, tok]);
      assert.equal(up.status, 201, JSON.stringify(up.json));

      const fid = await page.evaluate(() => Number(/\/f\/(\d+)/.exec(document.querySelector('a[href^="/f/"]').getAttribute('href'))[1]));
      await page.goto(`${forum.url}/f/${fid}/new`);
      await shot(page, 'post-form');
      // the plain multipart form as without JavaScript (with it, the composer uploads the files
      // itself as they are picked: tests/browser/b1300-composer.test.mjs)
      const noJs = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
      await noJs.addCookies(await ctx.cookies());
      const form = await noJs.newPage();
      await form.goto(`${forum.url}/f/${fid}/new`);
      await form.fill('input[name=title]', '五张图片的帖子');
      await form.fill('textarea[name=body]', `第一张：\n[attach]${up.json.aid}[/attach]\n其余的附件在下面。`);
      await form.setInputFiles('input[type=file][name=file]', [
        { name: '风景.jpg', mimeType: 'image/jpeg', buffer: makeImage(2400, 1600, 'jpg', 12) },
        { name: '截图.png', mimeType: 'image/png', buffer: makeImage(800, 500, 'png', 13) },
        { name: '说明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') },
      ]);
      await Promise.all([form.waitForNavigation(), form.click('.post-actions button.primary')]);
      assert.match(form.url(), /\/t\/\d+/);
      const threadUrl = form.url().replace(/#.*/, '');
      await noJs.close();
      await page.goto(threadUrl);

      const check = async (p) => {
        await p.waitForLoadState('load');
        // scroll so that lazy images load
        await p.evaluate(async () => {
          for (const img of document.querySelectorAll('.pcontent img')) { img.scrollIntoView(); await new Promise((r) => setTimeout(r, 50)); }
        });
        await p.waitForFunction(() => [...document.querySelectorAll('.pcontent .att-img img')].every((i) => i.complete && i.naturalWidth > 0));
        const imgs = await p.$$eval('.pcontent .att-img img', (xs) => xs.map((i) => ({
          w: i.getAttribute('width'), h: i.getAttribute('height'), lazy: i.getAttribute('loading'),
          nw: i.naturalWidth, nh: i.naturalHeight, href: i.closest('a').getAttribute('href'),
        })));
        assert.equal(imgs.length, 3, 'one placed, two listed');
        assert.deepEqual(imgs.map((i) => `${i.w}x${i.h}`), ['1000x700', '1600x1067', '800x500']);
        for (const i of imgs) {
          assert.equal(i.lazy, 'lazy');
          assert.equal(`${i.nw}x${i.nh}`, `${i.w}x${i.h}`, 'the display size is what was announced');
          assert.match(i.href, /^\/a\/\d+\/o$/);
        }
        assert.equal(await p.$$eval('.att-list .att-file a', (xs) => xs.map((a) => a.textContent).join()), '说明.pdf');
        return imgs;
      };
      const imgs = await check(page);
      await shot(page, 'thread-images');
      // the original opens on click
      const [resp] = await Promise.all([page.waitForNavigation(), page.click('.pcontent .att-img >> nth=1')]);
      assert.equal(resp.status(), 200);
      assert.equal(resp.headers()['content-type'], 'image/jpeg');
      assert.equal(page.url(), forum.url + imgs[1].href);
      assert.deepEqual(errors, []);

      const guestCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const guest = await guestCtx.newPage();
      const gerr = collectErrors(guest);
      await guest.goto(threadUrl);
      await check(guest);
      assert.deepEqual(gerr, []);

      await page.goto(`${forum.url}/settings/avatar`);
      await page.setInputFiles('input[type=file][name=file]', { name: 'me.jpg', mimeType: 'image/jpeg', buffer: makeImage(500, 300, 'jpg', 14) });
      await Promise.all([page.waitForNavigation(), page.click('form.form button.primary')]);
      assert.match(await page.textContent('.form-ok'), /头像已更新/);
      await shot(page, 'settings-avatar');
      await page.goto(threadUrl);
      await check(page);
      await shot(page, 'thread-avatar');
      await guestCtx.close();
      await ctx.close();
    });
});
