// b1550: the live part of issue #15's walk in Chromium (Server-Sent Events; src/pages/live.c,
// static/loulan.js). A has her thread open; B replies (with @A); without a reload A's page shows
// "有 1 条新回复，点击查看", a click adds B's floor under the last one, and A's bell counts the
// notifications. On another page (the index) A's bell follows /events too. Screenshots at 1280 and
// 390 px go to LOULAN_SHOTS (a directory) when set.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum } from '../e2e/lib.mjs';
import { launch, collectErrors, webLoginPage, shotBoth } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';
const login = (page, url, name) => webLoginPage(page, url, name, PW);
const bell = async (page) => (await page.textContent('header .bell .qcount')).trim();

test('B\'s new reply appears on A\'s open thread page without a reload; A\'s bell counts it', async () => {
  const forum = await startForum({ demo: true, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }],
    config: { 'post.flood_seconds': '0' } });
  let browser = null;
  let failure = null;
  try {
    browser = await launch();
    const a = await (await browser.newContext()).newPage();
    const b = await (await browser.newContext()).newPage();
    const errors = [...[a, b].map(collectErrors)];

    await login(a, forum.url, 'alice');
    await a.goto(`${forum.url}/f/2/new`, { waitUntil: 'load' });
    await a.fill('input[name=title]', '今晚一起看球吗');
    await a.fill('textarea[name=body]', '八点开始，老地方。');
    await Promise.all([a.waitForNavigation(), a.click('.post-actions button[type=submit]:not([name])')]);
    const tid = Number(a.url().match(/\/t\/([0-9]+)/)[1]);
    assert.ok(tid > 0, a.url());
    assert.equal(await bell(a), '');
    await a.evaluate(() => { window.__sameDocument = true; });   // gone if the page reloads
    assert.equal(await a.locator('.live-new').count(), 0, 'no banner before a reply');

    // B replies from the thread page's quick reply, mentioning A
    await login(b, forum.url, 'bob');
    await b.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    await b.fill('#qr-body', '算我一个！@alice 我带零食。');
    await Promise.all([b.waitForNavigation(), b.click('.quickreply button[type=submit]')]);

    // A: the banner, then the floor on click, in the same document; the bell shows 2 (a reply to her
    // thread and an @mention are two notices)
    const banner = a.locator('button.live-new');
    await banner.waitFor({ state: 'visible', timeout: 10000 });
    assert.equal((await banner.textContent()).trim(), '有 1 条新回复，点击查看');
    await a.waitForFunction(() => document.querySelector('header .bell .qcount').textContent.trim() === '2', null,
      { timeout: 10000 });
    await shotBoth(a, 'b1550-banner');
    assert.equal(await a.locator('article.floor').count(), 1);
    await banner.click();
    await a.waitForSelector('article.floor[data-pos="2"]', { timeout: 10000 });
    assert.equal(await a.locator('article.floor').count(), 2);
    assert.match(await a.textContent('article.floor[data-pos="2"] .pcontent'), /算我一个！/);
    assert.match(await a.textContent('article.floor[data-pos="2"] .aname'), /bob/);
    assert.ok(await banner.isHidden(), 'the banner goes once the floors are in');
    assert.equal((await a.locator('.thread-head .counts em').nth(1).textContent()).trim(), '1', '回复: 1');
    assert.equal(await a.evaluate(() => window.__sameDocument), true, 'no reload');
    await shotBoth(a, 'b1550-loaded');

    // two more replies while the page is open: "有 2 条新回复"
    for (const text of ['第二条', '第三条']) {
      await b.fill('#qr-body', text);
      await Promise.all([b.waitForNavigation(), b.click('.quickreply button[type=submit]')]);
    }
    await a.waitForFunction(() => {
      const el = document.querySelector('button.live-new');
      return el && !el.hidden && el.textContent.includes('有 2 条新回复');
    }, null, { timeout: 10000 });
    await banner.click();
    await a.waitForSelector('article.floor[data-pos="4"]', { timeout: 10000 });
    assert.deepEqual(await a.locator('article.floor').evaluateAll((fs) => fs.map((f) => f.dataset.pos)), ['1', '2', '3', '4']);

    // elsewhere (the index), the bell follows /events: B mentions A in a new thread
    await a.goto(`${forum.url}/`, { waitUntil: 'load' });
    const before = Number(await bell(a));
    await b.goto(`${forum.url}/f/2/new`, { waitUntil: 'load' });
    await b.fill('input[name=title]', '球赛之后');
    await b.fill('textarea[name=body]', '@alice 明天再约。');
    await Promise.all([b.waitForNavigation(), b.click('.post-actions button[type=submit]:not([name])')]);
    await a.waitForFunction((n) => document.querySelector('header .bell .qcount').textContent.trim() === String(n),
      before + 1, { timeout: 10000 });
    assert.deepEqual(errors.flat(), [], 'no script errors or CSP violations');
  } catch (e) {
    failure = e;
  } finally {
    if (browser) await browser.close().catch(() => {});
    try { await forum.stop(); } catch (e) { failure ??= e; }
  }
  if (failure) throw failure;
});
