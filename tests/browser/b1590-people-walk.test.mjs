// b1590: issue #15's "done when" as one walk in Chromium, on one forum with a real local SMTP server:
// A posts; B replies with @A and a quote while A's thread page is open; A's bell shows 2 without a
// reload (/events); A opens the notifications and the thread; B's next reply appears on A's open page
// without a reload (/t/{tid}/events); A sends B a 短消息 from B's user page, B answers; A forgets the
// password, the reset mail reaches the SMTP server, the link sets a new password, and A's old
// sessions are gone. The parts are tested in depth by b1500, b1520-*, b1550 and the e2e suites.
import test from 'node:test';
import assert from 'node:assert/strict';
import { PW, api, apiToken, startSmtp, smtpConfig, linkIn } from '../e2e/lib.mjs';
import { withBrowserForum, collectErrors, webLoginPage, shotBoth } from './lib.mjs';

const NEW_PW = 'a brand new password 7';
const bell = async (page) => (await page.textContent('header .bell .qcount')).trim();
const signedIn = (page) => page.evaluate(() => document.querySelector('.usernav a.me')?.textContent ?? null);

test('two members: mention and quote, the bell, live replies, a 短消息 and its answer, a forgotten password', async () => {
  const smtp = await startSmtp();
  try {
    await withBrowserForum({
      demo: true, config: { ...smtpConfig(smtp), 'post.flood_seconds': '0' },
      users: [{ name: 'alice', password: PW, email: 'alice@example.com' }, { name: 'bob', password: PW }],
    }, async (forum, browser) => {
      const url = forum.url;
      const a = await (await browser.newContext()).newPage();
      const b = await (await browser.newContext()).newPage();
      const errors = [...[a, b].map(collectErrors)];

      // A posts a thread and stays on it
      await webLoginPage(a, url, 'alice', PW);
      await a.goto(`${url}/f/2/new`, { waitUntil: 'load' });
      await a.fill('input[name=title]', '周末一起去爬山吗');
      await a.fill('textarea[name=body]', '这周六早上八点，西湖边集合。');
      await Promise.all([a.waitForNavigation(), a.click('.post-actions button[type=submit]:not([name])')]);
      const tid = Number(a.url().match(/\/t\/([0-9]+)/)[1]);
      assert.ok(tid > 0, a.url());
      assert.equal(await bell(a), '');
      await a.evaluate(() => { window.__sameDocument = true; });

      // B quotes A's floor and mentions A
      await webLoginPage(b, url, 'bob', PW);
      await b.goto(`${url}/t/${tid}`, { waitUntil: 'load' });
      await Promise.all([b.waitForNavigation(), b.click('.act-quote')]);
      const ta = b.locator('textarea[name=body]');
      assert.match(await ta.inputValue(), /\[quote\]/);
      await ta.click();
      await b.keyboard.press('Control+End');
      await b.keyboard.type('\n我也去！@alice 带上水。');
      await Promise.all([b.waitForNavigation(), b.click('.post-actions button[type=submit]:not([name])')]);

      // A's bell shows 2 on the open page (a quote and a mention), with no reload
      await a.waitForFunction(() => document.querySelector('header .bell .qcount').textContent.trim() === '2', null,
        { timeout: 15000 });
      assert.equal(await a.evaluate(() => window.__sameDocument), true, 'no reload');
      await shotBoth(a, 'b1590-bell');

      // A opens the notifications and, from the mention, the thread at B's floor
      await Promise.all([a.waitForNavigation(), a.click('header .bell')]);
      assert.equal(await a.locator('.notice.unread').count(), 2);
      const text = await a.textContent('.noticelist');
      assert.match(text, /bob\s+引用了您在主题中的帖子/);
      assert.match(text, /bob\s+在主题中提到了您/);
      await Promise.all([a.waitForNavigation(), a.click('.notice.nk-mention .notice-go')]);
      assert.match(a.url(), new RegExp(`/t/${tid}#pid[0-9]+$`));
      assert.equal(await a.textContent('a.mention'), '@alice');
      assert.equal(await a.locator('article.floor').count(), 2);
      await a.evaluate(() => { window.__sameDocument = true; });

      // B replies again: A's open page offers it and shows it without a reload
      await b.goto(`${url}/t/${tid}`, { waitUntil: 'load' });
      await b.fill('#qr-body', '天气预报说周六是晴天。');
      await Promise.all([b.waitForNavigation(), b.click('.quickreply button[type=submit]')]);
      const banner = a.locator('button.live-new');
      await banner.waitFor({ state: 'visible', timeout: 15000 });
      assert.equal((await banner.textContent()).trim(), '有 1 条新回复，点击查看');
      await banner.click();
      await a.waitForSelector('article.floor[data-pos="3"]', { timeout: 15000 });
      assert.match(await a.textContent('article.floor[data-pos="3"] .pcontent'), /周六是晴天/);
      assert.equal(await a.evaluate(() => window.__sameDocument), true, 'no reload');
      await shotBoth(a, 'b1590-live');

      // A sends B a 短消息 from B's user page; B answers; A's header counts it
      const uidB = (await api(url, 'GET', '/api/v1/me', undefined, await apiToken(url, 'bob'))).json.uid;
      await a.goto(`${url}/u/${uidB}`, { waitUntil: 'load' });
      await Promise.all([a.waitForNavigation(), a.click('a.sendpm')]);
      assert.equal(await a.inputValue('input[name=to]'), 'bob');
      await a.fill('textarea[name=body]', '周六早上我去接你？');
      await Promise.all([a.waitForNavigation(), a.click('.pmform button[type=submit]')]);
      assert.match(a.url(), /\/pm\/\d+#m\d+$/);
      await b.goto(`${url}/`, { waitUntil: 'load' });
      assert.equal((await b.textContent('a.pmlink .qcount')).trim(), '1');
      await Promise.all([b.waitForNavigation(), b.click('a.pmlink')]);
      await Promise.all([b.waitForNavigation(), b.click('.pm-item.unread a.pm-link')]);
      assert.match(await b.textContent('.pm-msg:not(.mine) .pm-text'), /我去接你/);
      await b.fill('.pmreply textarea[name=body]', '好呀，七点半楼下见。');
      await Promise.all([b.waitForNavigation(), b.click('.pmreply button[type=submit]')]);
      await a.goto(`${url}/pm`, { waitUntil: 'load' });
      assert.equal(await a.locator('.pm-item.unread').count(), 1);
      await Promise.all([a.waitForNavigation(), a.click('.pm-item.unread a.pm-link')]);
      assert.match(await a.textContent('.pm-msg:not(.mine) .pm-text'), /七点半楼下见/);
      await shotBoth(a, 'b1590-pm');

      // A forgets the password (at a friend's computer); the mail reaches the SMTP server
      const o = await (await browser.newContext()).newPage();
      errors.push(collectErrors(o));
      await o.goto(`${url}/lostpasswd`, { waitUntil: 'load' });
      await o.fill('input[name=login]', 'alice');
      await Promise.all([o.waitForNavigation(), o.click('form[action="/lostpasswd"] button[type=submit]')]);
      assert.match(await o.textContent('.form-ok'), /找回密码的邮件已经发出/);
      const mail = await smtp.waitFor((m) => m.find((x) => x.rcpt_tos.includes('alice@example.com')), 'the reset mail');
      await o.goto(linkIn(mail, `${url}/lostpasswd/reset?token=`), { waitUntil: 'load' });
      await o.fill('input[name=password]', NEW_PW);
      await o.fill('input[name=password2]', NEW_PW);
      await Promise.all([o.waitForNavigation(), o.click('form[action="/lostpasswd/reset"] button[type=submit]')]);
      assert.match(await o.textContent('.form-ok'), /新密码已设置/);
      await webLoginPage(o, url, 'alice', NEW_PW);
      assert.equal(await signedIn(o), 'alice', 'the new password signs in');

      // A's old session is gone (on the index: the conversation A had open is now a 403); B's is not
      await a.goto(`${url}/`, { waitUntil: 'load' });
      assert.equal(await signedIn(a), null, "A's old session is gone");
      await b.reload({ waitUntil: 'load' });
      assert.equal(await signedIn(b), 'bob');
      assert.deepEqual(errors.flat(), [], 'no script errors or CSP violations');
    });
  } finally {
    await smtp.stop();
  }
});
