// b1500: the 提醒 part of issue #15's walk in Chromium, two members in two browser contexts:
// A posts a thread; B quotes A's floor and types "@ali", picks "alice" from the completion list and
// replies; A's bell shows 2; A opens the notifications and, from there, the thread at B's floor, where
// "@alice" links to A's page. A follows the thread (the button turns into 取消关注). Screenshots at
// 1280 and 390 px go to LOULAN_SHOTS (a directory) when set.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum } from '../e2e/lib.mjs';
import { launch, collectErrors, webLoginPage, shotBoth } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';

const login = (page, url, name) => webLoginPage(page, url, name, PW);
const shot = shotBoth;

const bell = async (page) => (await page.textContent('header .bell .qcount')).trim();

test('A posts, B replies with @A and a quote, A\'s bell shows 2, A opens the notifications and the thread', async () => {
  const forum = await startForum({ demo: true, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }],
    config: { 'post.flood_seconds': '0' } });
  let browser = null;
  let failure = null;
  try {
    browser = await launch();
    const a = await (await browser.newContext()).newPage();
    const b = await (await browser.newContext()).newPage();
    const errors = [...[a, b].map(collectErrors)];

    // A posts a thread in 灌水乐园 (fid 2)
    await login(a, forum.url, 'alice');
    assert.equal(await bell(a), '', 'no notifications yet');
    await a.goto(`${forum.url}/f/2/new`, { waitUntil: 'load' });
    await a.fill('input[name=title]', '周末一起去爬山吗');
    await a.fill('textarea[name=body]', '这周六早上八点，西湖边集合。');
    await Promise.all([a.waitForNavigation(), a.click('.post-actions button[type=submit]:not([name])')]);
    const threadUrl = a.url();
    const tid = Number(threadUrl.match(/\/t\/([0-9]+)/)[1]);
    assert.ok(tid > 0, threadUrl);

    // B quotes A's floor and mentions A through the completion list
    await login(b, forum.url, 'bob');
    await b.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    await Promise.all([b.waitForNavigation(), b.click('.act-quote')]);
    const ta = b.locator('textarea[name=body]');
    assert.match(await ta.inputValue(), /\[quote\]/);
    await ta.click();
    await b.keyboard.press('Control+End');
    await b.keyboard.type('\n我也去！@ali');
    await b.waitForSelector('.mention-pop li');
    assert.deepEqual(await b.locator('.mention-pop li').allTextContents(), ['alice']);
    await shot(b, 'b1500-completion');
    await b.keyboard.press('Enter');
    assert.match(await ta.inputValue(), /我也去！@alice $/);
    await b.keyboard.type('带上水。');
    await Promise.all([b.waitForNavigation(), b.click('.post-actions button[type=submit]:not([name])')]);
    assert.match(b.url(), new RegExp(`/t/${tid}`));

    // A's bell shows 2
    await a.goto(`${forum.url}/`, { waitUntil: 'load' });
    assert.equal(await bell(a), '2');
    await shot(a, 'b1500-bell');
    await Promise.all([a.waitForNavigation(), a.click('header .bell')]);
    assert.match(a.url(), /\/notifications$/);
    const rows = a.locator('.notice.unread');
    assert.equal(await rows.count(), 2);
    const text = await a.textContent('.noticelist');
    assert.match(text, /bob\s+引用了您在主题中的帖子/);
    assert.match(text, /bob\s+在主题中提到了您/);
    await shot(a, 'b1500-notifications');
    await a.emulateMedia({ colorScheme: 'dark' });
    await shot(a, 'b1500-notifications-dark');
    await a.emulateMedia({ colorScheme: 'light' });

    // A opens one: the thread at B's floor; the mention links to A; the bell went down to 1
    await Promise.all([a.waitForNavigation(), a.click('.notice.nk-mention .notice-go')]);
    assert.match(a.url(), new RegExp(`/t/${tid}#pid[0-9]+$`));
    const mention = a.locator('a.mention');
    assert.equal(await mention.textContent(), '@alice');
    assert.match(await mention.getAttribute('href'), /^\/u\/[0-9]+$/);
    assert.equal(await bell(a), '1');

    // A follows the thread: the button says 取消关注 afterwards
    const follow = a.locator('button.follow');
    assert.equal((await follow.textContent()).trim(), '[关注]');
    await Promise.all([a.waitForNavigation(), follow.click()]);
    await a.waitForFunction(() => document.querySelector('button.follow').textContent === '[取消关注]');
    await shot(a, 'b1500-thread');

    // the settings page
    await a.goto(`${forum.url}/settings/notifications`, { waitUntil: 'load' });
    assert.equal(await a.locator('.notify-kinds input[type=checkbox]:checked').count(), 8);
    await shot(a, 'b1500-settings');
    assert.deepEqual(errors.flat(), []);
  } catch (e) {
    failure = e;
  } finally {
    if (browser) await browser.close();
    try { await forum.stop(); } catch (e) { failure ??= e; }
  }
  if (failure) throw failure;
});
