// b0300: in Chromium, a visitor registers through the form, lands on the
// index with their name and group in the header, logs out, logs in again
// through the login form, and opens the settings; no console errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startForum, ROOT } from '../e2e/lib.mjs';
import { launch, collectErrors } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';

test('register, see the name in the header, log out and in again', async () => {
  const forum = await startForum({ demo: true });
  let browser = null;
  let failure = null;
  try {
    browser = await launch();
    const page = await browser.newPage();
    const errors = collectErrors(page);
    const dir = path.join(ROOT, 'build/screenshots');
    fs.mkdirSync(dir, { recursive: true });

    await page.goto(forum.url + '/', { waitUntil: 'load' });
    await page.click('header >> text=注册');
    assert.match(page.url(), /\/register\?next=%2F$/);   // the link carries the page it came from
    // a mistake first: the form comes back with the error and the typed name, no password
    await page.fill('input[name=username]', '浏览器用户');
    await page.fill('input[name=email]', 'browser@example.com');
    await page.fill('input[name=password]', 'browser pass 1');
    await page.fill('input[name=password2]', 'different pass');
    await Promise.all([page.waitForNavigation(), page.click('.formbox button[type=submit]')]);
    assert.equal(await page.textContent('#err-password2'), '两次输入的密码不一致');
    assert.equal(await page.inputValue('input[name=username]'), '浏览器用户');
    assert.equal(await page.inputValue('input[name=password]'), '');
    await page.screenshot({ path: path.join(dir, 'register-error.png'), fullPage: true });
    // the refused form is answered 400, which Chromium reports on the console: that one is expected
    assert.ok(errors.every((e) => /status of 400 .*\/register[:?]/.test(e)), errors.join('\n'));
    errors.length = 0;
    await page.fill('input[name=password]', 'browser pass 1');
    await page.fill('input[name=password2]', 'browser pass 1');
    await Promise.all([page.waitForNavigation(), page.click('.formbox button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/welcome');   // issue 17: a welcome with the next steps
    assert.match(await page.textContent('h1'), /注册成功，欢迎加入/);
    assert.equal((await page.textContent('header a.me')).trim(), '浏览器用户');
    assert.equal((await page.textContent('header .grp')).trim(), '新手上路');
    await page.screenshot({ path: path.join(dir, 'registered.png'), fullPage: true });

    // log out, then in again through the login form
    await Promise.all([page.waitForNavigation(), page.click('header button:has-text("退出")')]);
    assert.equal(await page.locator('header a.me').count(), 0);
    await page.click('header >> text=登录');
    await page.fill('input[name=username]', '浏览器用户');
    await page.fill('input[name=password]', 'browser pass 1');
    await Promise.all([page.waitForNavigation(), page.click('.formbox button[type=submit]')]);
    assert.equal((await page.textContent('header a.me')).trim(), '浏览器用户');

    // the settings link and the session list
    await page.click('header >> text=设置');
    assert.match(page.url(), /\/settings\/password$/);
    await page.click('text=登录设备');
    assert.match(await page.textContent('.sessions'), /当前设备/);
    await page.screenshot({ path: path.join(dir, 'sessions.png'), fullPage: true });
    // the own space
    await page.click('header a.me');
    assert.equal((await page.textContent('h1.space-name')).trim(), '浏览器用户');
    await page.screenshot({ path: path.join(dir, 'space.png'), fullPage: true });
    assert.deepEqual(errors, [], 'console errors or uncaught page errors');
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
