// b0520: a board's moderator bans a member from the report queue in Chromium (select 7 天, 禁言作者),
// the member appears in 小黑屋 (/blacklist, reached from the footer link), the header shows the
// moderator's 管理 link; screenshots of 小黑屋, the queue and the ban form at 1280 and 390 px
// go to LOULAN_SHOTS (when set) for looking at.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withBrowserForum, collectErrors } from './lib.mjs';
import { sql, eventually, api, postIds } from '../e2e/lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';

async function login(page, url, name) {
  await page.goto(url + '/login', { waitUntil: 'load' });
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', PW);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
}

async function shots(page, name) {
  const dir = process.env.LOULAN_SHOTS;
  if (!dir) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, `${name} at ${width}px overflows sideways`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a moderator bans from the report queue; the member is in 小黑屋', async () => {
  const users = ['mod', 'spammer', 'carol'].map((name) => ({ name, password: PW }));
  await withBrowserForum({ demo: false, users, config: { 'post.flood_seconds': '0' } }, async (forum, browser) => {
    let r = await forum.run(['board', 'add', '--name', '灌水版']);
    const fid = Number(r.stdout.trim().split(/\s+/).pop());
    r = await forum.run(['post', '--name', 'spammer', '--board', String(fid), '--subject', '超低价代购'], '加微信买买买，全场一折起');
    const [tid, pid] = postIds(r.stdout).map(Number);
    r = await forum.run(['post', '--name', 'carol', '--board', String(fid), '--subject', '正常主题'], '正常内容');
    const carolPid = Number(postIds(r.stdout)[1]);
    await sql(forum, `INSERT INTO moderator(fid, uid) SELECT ${fid}, uid FROM member WHERE username = 'mod'`);
    const tokCarol = (await api(forum.url, 'POST', '/api/v1/session', { username: 'carol', password: PW })).json.token;
    assert.equal((await api(forum.url, 'POST', `/api/v1/posts/${pid}/report`, { reason: '广告' }, tokCarol)).status, 201);
    const tokSpam = (await api(forum.url, 'POST', '/api/v1/session', { username: 'spammer', password: PW })).json.token;
    assert.equal((await api(forum.url, 'POST', `/api/v1/posts/${carolPid}/report`, { reason: '看不顺眼' }, tokSpam)).status, 201);

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await login(page, forum.url, 'mod');
    // the header's 管理 link appears once the moderator cache and the count are loaded
    await eventually(async () => {
      await page.goto(forum.url + '/', { waitUntil: 'load' });
      return (await page.locator('header a.modq .qcount').textContent().catch(() => '')) === '2';
    }, 'the header link with 2 open reports', 10000);
    await Promise.all([page.waitForNavigation(), page.click('header a.modq')]);
    assert.match(page.url(), /\/modcp\/reports$/);
    const card = page.locator('li.report', { hasText: '超低价代购' });
    assert.match(await card.locator('.rq-excerpt').textContent(), /加微信买买买/);
    await shots(page, 'reports');
    await card.locator('select[name=days]').selectOption('7');
    await card.locator('input[name=note]').fill('发布广告');
    await Promise.all([page.waitForNavigation(), card.locator('button[value=ban]').click()]);
    assert.match(page.url(), /\/modcp\/reports$/);
    assert.equal(await page.locator('li.report', { hasText: '超低价代购' }).count(), 0, 'handled');
    // the footer link leads to 小黑屋
    await Promise.all([page.waitForNavigation(), page.click('footer a[href="/blacklist"]')]);
    const row = page.locator('tr.ban', { hasText: 'spammer' });
    assert.equal(await row.count(), 1);
    const text = await row.textContent();
    assert.match(text, /禁止发言/);
    assert.match(text, /发布广告/);
    assert.match(text, /mod/);
    await shots(page, 'blacklist');
    // the author sidebar's 管理 link opens the ban form
    await page.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation(), page.click(`#pid${pid} a.act-ban`)]);
    assert.match(page.url(), new RegExp(`/ban\\?pid=${pid}$`));
    assert.match(await page.textContent('h1'), /禁止用户 spammer/);
    await shots(page, 'banform');
    // the banned member cannot reply
    const ctx2 = await browser.newContext();
    const p2 = await ctx2.newPage();
    await login(p2, forum.url, 'spammer');
    const res = await p2.goto(`${forum.url}/t/${tid}/reply`, { waitUntil: 'load' });
    assert.equal(res.status(), 403);
    await ctx2.close();
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
