// b1520: issue #15's 找回密码 walk in Chromium, with a REAL local SMTP server (tests/smtp/server.py):
// A is signed in on a computer and a phone, forgets the password, asks for a link on /lostpasswd, the
// mail reaches the SMTP server, the link sets a new password, and both old sessions are gone. Then
// 收藏 from the thread page, /favorites, 分享's QR code and /settings/email. Screenshots at 1280 and
// 390 px go to build/screenshots/b1520-*.png (look at them); no console errors (CSP) anywhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, PW, startSmtp, smtpConfig, linkIn } from '../e2e/lib.mjs';
import { withBrowserForum, collectErrors } from './lib.mjs';

const DIR = path.join(ROOT, 'build/screenshots');
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const NEW_PW = 'brand new password 9';

async function shot(page, name) {
  fs.mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: path.join(DIR, `b1520-${name}.png`), fullPage: true });
}
async function noOverflow(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
  assert.equal(over, false, `${what}: the page is wider than the screen`);
}
async function login(page, url, name, password) {
  await page.goto(`${url}/login`, { waitUntil: 'load' });
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
}
const signedIn = (page) => page.evaluate(() => document.querySelector('.usernav a.me')?.textContent ?? null);

test('A forgets the password: the mail reaches the SMTP server, the link sets a new one, the old sessions are gone', async () => {
  const smtp = await startSmtp();
  try {
    await withBrowserForum({ demo: true, config: smtpConfig(smtp), users: [{ name: 'alice', password: PW, email: 'alice@example.com' }] },
      async (forum, browser) => {
        const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: PHONE_UA });
        const d = await desk.newPage(), ph = await phone.newPage();
        const errors = [...[d, ph].map(collectErrors)];
        await login(d, forum.url, 'alice', PW);
        await login(ph, forum.url, 'alice', PW);
        assert.equal(await signedIn(d), 'alice');
        assert.equal(await signedIn(ph), 'alice');

        // a third browser: A at a friend's computer, without the password
        const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const o = await other.newPage();
        errors.push(collectErrors(o));
        await o.goto(`${forum.url}/login`, { waitUntil: 'load' });
        await Promise.all([o.waitForNavigation(), o.click('a[href="/lostpasswd"]')]);
        assert.equal(new URL(o.url()).pathname, '/lostpasswd');
        await shot(o, 'lostpasswd-desktop');
        await o.fill('input[name=login]', 'alice@example.com');
        await Promise.all([o.waitForNavigation(), o.click('form[action="/lostpasswd"] button[type=submit]')]);
        assert.match(await o.textContent('.form-ok'), /找回密码的邮件已经发出/);
        await shot(o, 'lostpasswd-sent-desktop');

        const mail = await smtp.waitFor((m) => m.find((x) => x.rcpt_tos.includes('alice@example.com')), 'the reset mail');
        assert.equal(mail.subject, '[楼兰论坛] 找回密码');
        const link = linkIn(mail, `${forum.url}/lostpasswd/reset?token=`);
        await o.goto(link, { waitUntil: 'load' });
        await shot(o, 'reset-desktop');
        await o.fill('input[name=password]', NEW_PW);
        await o.fill('input[name=password2]', NEW_PW);
        await Promise.all([o.waitForNavigation(), o.click('form[action="/lostpasswd/reset"] button[type=submit]')]);
        assert.equal(new URL(o.url()).pathname, '/login');
        assert.match(await o.textContent('.form-ok'), /新密码已设置/);
        await shot(o, 'login-after-reset-desktop');
        await login(o, forum.url, 'alice', NEW_PW);
        assert.equal(await signedIn(o), 'alice', 'the new password works');

        // the computer and the phone were signed out
        for (const p of [d, ph]) {
          await p.reload({ waitUntil: 'load' });
          assert.equal(await signedIn(p), null, 'the old session is gone');
          assert.ok(await p.$('.usernav a[href^="/login"]'), 'a login link instead');
        }
        // the link works once
        await o.goto(link, { waitUntil: 'load' });
        assert.match(await o.textContent('main'), /链接无效或已过期/);

        // the phone: the pages fit, then the new password
        await ph.goto(`${forum.url}/lostpasswd`, { waitUntil: 'load' });
        await noOverflow(ph, 'lostpasswd');
        await shot(ph, 'lostpasswd-phone');
        await login(ph, forum.url, 'alice', NEW_PW);
        assert.equal(await signedIn(ph), 'alice');

        // 收藏 from the thread page, then /favorites; 分享 shows the QR code and the links
        for (const [p, tag] of [[o, 'desktop'], [ph, 'phone']]) {
          await p.goto(`${forum.url}/t/2`, { waitUntil: 'load' });
          await p.click('.thread-head .share summary');
          const qr = await p.waitForSelector('.sharebox img');
          await p.waitForFunction(() => document.querySelector('.sharebox img').naturalWidth > 0);
          assert.ok((await qr.boundingBox()).width >= 120, 'the QR code is shown');
          assert.equal(await p.getAttribute('.share-weibo', 'href'), '/t/2/share/weibo');
          assert.equal(await p.getAttribute('.share-qq', 'href'), '/t/2/share/qq');
          assert.ok(await p.$('.copylink'), '复制链接 stays');
          await noOverflow(p, 'thread with 分享 open');
          await shot(p, `share-${tag}`);
          await Promise.all([p.waitForNavigation(), p.click('.thread-head .act-fav')]);
          assert.equal(new URL(p.url()).pathname, '/favorites');
          assert.match(await p.textContent('.favorites'), /收藏成功/);
          assert.ok(await p.$('.favlist a[href="/t/2"]'), 'the thread is listed');
          await noOverflow(p, 'favorites');
          await shot(p, `favorites-${tag}`);
          await p.goto(`${forum.url}/settings/email`, { waitUntil: 'load' });
          assert.match(await p.textContent('.cur-email'), /alice@example\.com/);
          await noOverflow(p, 'settings/email');
          await shot(p, `settings-email-${tag}`);
        }
        // the used link's 400 is the one expected error
        assert.deepEqual(errors.flat().filter((e) => !(e.includes('status of 400') && e.includes('/lostpasswd/reset?token='))), []);
      });
  } finally {
    await smtp.stop();
  }
});
