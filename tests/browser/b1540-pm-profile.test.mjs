// b1540: issue #15's 短消息 and profiles in Chromium (P2's part of the done-when walk): A opens B's user
// page, clicks 发消息, sends B a 短消息; B sees 消息 1 in the header, opens the conversation (the count
// goes), answers; A sees the answer. A fills in the profile with a signature, which shows under A's post
// and on the user page; a viewer who hides signatures does not see it. Desktop (1280) and phone (390)
// screenshots go to build/screenshots/b1520-*.png (look at them); no console errors (CSP) anywhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, api, apiToken } from '../e2e/lib.mjs';
import { cliPost } from '../e2e/sweep.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';
import { execFile } from 'node:child_process';

/** One value from the forum's database (sqlite3 or psql). */
function query(forum, statement) {
  const [file, args] = forum.db
    ? ['psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', forum.db, '-c', statement]]
    : ['sqlite3', ['-cmd', '.timeout 10000', `${forum.dir}/loulan.db`, statement]];
  return new Promise((resolve, reject) => execFile(file, args, (err, out, stderr) =>
    (err ? reject(new Error(`${file}: ${stderr || err.message}`)) : resolve(out.trim()))));
}

const PW = 'correct horse battery';
const DIR = path.join(ROOT, 'build/screenshots');
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

async function shot(page, name) {
  fs.mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: path.join(DIR, `b1540-${name}.png`), fullPage: true });
}
async function noOverflow(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
  assert.equal(over, false, `${what}: the page is wider than the screen`);
}
async function login(browser, url, name, phone = false) {
  const ctx = await browser.newContext(phone
    ? { viewport: { width: 390, height: 844 }, userAgent: PHONE_UA, deviceScaleFactor: 1 }
    : { viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = collectErrors(page);
  await page.goto(url + '/login', { waitUntil: 'load' });
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', PW);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  return { page, errors, ctx };
}
const pmCount = (page) => page.$eval('a.pmlink .qcount', (e) => e.textContent);

test('A sends B a 短消息 from B\'s user page, B answers; header counts; profile and signature', async () => {
  await withBrowserForum({
    demo: true, config: { 'post.flood_seconds': '0' },
    users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }],
  }, async (forum, browser) => {
    const url = forum.url;
    const uidB = Number((await api(url, 'GET', '/api/v1/me', undefined, await apiToken(url, 'bob'))).json.uid);
    const A = await login(browser, url, 'alice');
    const B = await login(browser, url, 'bob', true);

    // A: B's user page -> 发消息 -> the form addressed to bob
    await A.page.goto(`${url}/u/${uidB}`, { waitUntil: 'load' });
    await Promise.all([A.page.waitForNavigation(), A.page.click('a.sendpm')]);
    assert.equal(await A.page.inputValue('input[name=to]'), 'bob');
    await A.page.fill('textarea[name=body]', '周六去[b]西湖[/b]走走？');
    await shot(A.page, 'new-desktop');
    await Promise.all([A.page.waitForNavigation(), A.page.click('.pmform button[type=submit]')]);
    assert.match(A.page.url(), /\/pm\/\d+#m\d+$/);
    assert.match(await A.page.textContent('.pm-msg.mine .pm-text'), /周六去西湖走走？/);

    // B (phone): the header says 消息 1; the list marks the conversation; opening it clears the count
    await B.page.goto(url + '/', { waitUntil: 'load' });
    assert.equal(await pmCount(B.page), '1');
    await Promise.all([B.page.waitForNavigation(), B.page.click('a.pmlink')]);
    assert.equal(await B.page.$$eval('.pm-item.unread', (l) => l.length), 1);
    await noOverflow(B.page, 'pm list (phone)');
    await shot(B.page, 'list-phone');
    await Promise.all([B.page.waitForNavigation(), B.page.click('.pm-item.unread a.pm-link')]);
    assert.equal(await pmCount(B.page), '');
    assert.match(await B.page.textContent('.pm-msg:not(.mine) .pm-text strong'), /西湖/);
    await B.page.fill('.pmreply textarea[name=body]', '好呀，早上八点断桥见。');
    await Promise.all([B.page.waitForNavigation(), B.page.click('.pmreply button[type=submit]')]);
    assert.equal(await B.page.$$eval('.pm-msg', (l) => l.length), 2);
    await noOverflow(B.page, 'conversation (phone)');
    await shot(B.page, 'conv-phone');

    // A: 消息 1, the answer in the conversation
    await A.page.goto(url + '/', { waitUntil: 'load' });
    assert.equal(await pmCount(A.page), '1');
    await A.page.goto(url + '/pm', { waitUntil: 'load' });
    await shot(A.page, 'list-desktop');
    await Promise.all([A.page.waitForNavigation(), A.page.click('.pm-item a.pm-link')]);
    assert.match(await A.page.textContent('.pm-msg:not(.mine) .pm-text'), /断桥见/);
    await shot(A.page, 'conv-desktop');

    // A's profile: a signature that shows under A's posts and on the user page
    await A.page.goto(url + '/settings/profile', { waitUntil: 'load' });
    await A.page.check('input[name=gender][value="2"]');
    await A.page.fill('input[name=location]', '杭州');
    await A.page.fill('input[name=website]', 'https://example.com/alice');
    await A.page.fill('textarea[name=bio]', '喜欢爬山和摄影。');
    await A.page.fill('textarea[name=sig]', '[color=Teal]行到水穷处，坐看云起时。[/color]');
    await Promise.all([A.page.waitForNavigation(), A.page.click('.profileform button[type=submit]')]);
    assert.match(await A.page.textContent('.form-ok'), /已保存/);
    await shot(A.page, 'profile-desktop');
    const fid = Number((await A.page.evaluate(() => fetch('/api/v1/boards').then((r) => r.json()))).boards?.[0]?.fid ?? 1);
    const [tid] = await cliPost(forum, 'alice', ['--board', String(fid), '--subject', '签名测试'], '看看签名');
    await A.page.goto(`${url}/t/${tid}`, { waitUntil: 'load' });
    assert.match(await A.page.textContent('.floor .sig'), /行到水穷处/);
    assert.ok(await A.page.isVisible('.floor .sig'));
    const uidA = Number(await A.page.$eval('a.me', (e) => e.getAttribute('href').split('/').pop()));
    await A.page.goto(`${url}/u/${uidA}`, { waitUntil: 'load' });
    assert.match(await A.page.textContent('.space-sig .sig'), /行到水穷处/);
    assert.equal(await A.page.textContent('.space-profile .location'), '杭州');
    await shot(A.page, 'space-desktop');
    // B (phone) sees it too, then hides signatures
    await B.page.goto(`${url}/u/${uidA}`, { waitUntil: 'load' });
    await noOverflow(B.page, 'user page (phone)');
    await shot(B.page, 'space-phone');
    await B.page.goto(`${url}/t/${tid}`, { waitUntil: 'load' });
    assert.ok(await B.page.isVisible('.floor .sig'));
    await B.page.goto(url + '/settings/profile', { waitUntil: 'load' });
    await B.page.check('input[name=sigoff]');
    await Promise.all([B.page.waitForNavigation(), B.page.click('.profileform button[type=submit]')]);
    await noOverflow(B.page, 'profile (phone)');
    await shot(B.page, 'profile-phone');
    await B.page.goto(`${url}/t/${tid}`, { waitUntil: 'load' });
    assert.equal(await B.page.isVisible('.floor .sig'), false, 'hidden for the viewer who switched them off');

    assert.deepEqual(A.errors, []);
    assert.deepEqual(B.errors, []);
  });
});

test('the demo forum: the admin has a conversation waiting; signatures under the demo\'s posts', async () => {
  await withBrowserForum({ demo: true }, async (forum, browser) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(forum.url + '/', { waitUntil: 'load' });
    const sigs = [];
    for (let t = 1; t <= 6 && !sigs.length; t++) {
      await page.goto(`${forum.url}/t/${t}`, { waitUntil: 'load' });
      sigs.push(...await page.$$eval('.floor .sig', (l) => l.map((e) => e.textContent)));
    }
    assert.ok(sigs.length > 0, 'a demo thread shows a signature');
    await shot(page, 'demo-thread-sig');
    assert.deepEqual(errors, []);
    // the admin has a conversation with one message unread (the header's 消息 1 after logging in), and
    // three members a group chat
    assert.equal(await query(forum, "SELECT SUM(p.unread) FROM pm_member p JOIN member m ON m.uid = p.uid WHERE m.username = 'admin'"), '1');
    assert.equal(await query(forum, 'SELECT COUNT(*) FROM pm_conv WHERE nmembers = 3'), '1');
  });
});
