// b0750: the moderator's walk of issue #12 in Chromium, one test: 置顶 → 关闭 → 移动 from the thread
// page's 管理 menu and the 主题管理 form, then a ban from the report queue (/modcp/reports, reached from
// the header's 管理 link; the member shows in 小黑屋 from the footer link), the author sidebar's 管理
// menu (警告, 禁言 with a term and a reason), the batch bar on the board page, and the log. The admin's
// walk (the ICP line in /admin, in the footer without a restart) is b0950. Screenshots at 1280 and
// 390 px go to LOULAN_SHOTS (a directory) when set.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startForum, eventually, get, api, postIds } from '../e2e/lib.mjs';
import { launch, collectErrors, webLoginPage, shotBoth } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';

const login = (page, url, name) => webLoginPage(page, url, name, PW);
const shot = shotBoth;

test('a moderator: stick, close, move from the 管理 menu; ban from the report queue; the sidebar menu; the batch bar; the log', async () => {
  const forum = await startForum({ demo: true, users: ['mod', 'alice', 'carol', 'spammer'].map((name) => ({ name, password: PW })),
    config: { 'post.flood_seconds': '0' } });
  let browser = null;
  let failure = null;
  try {
    for (const fid of ['1', '2']) {
      const r = await forum.run(['board', 'mod', '--fid', fid, '--name', 'mod']);
      assert.equal(r.code, 0, r.stderr);
    }
    await eventually(async () => (await get(forum.url + '/f/1')).text.includes('">mod</a>'), 'the server to load the moderators');
    const r = await forum.run(['post', '--name', 'alice', '--board', '1', '--subject', '待管理的主题'], '请版主处理');
    assert.equal(r.code, 0, r.stderr);
    const tid = Number(postIds(r.stdout)[0]);
    // a spammer's reply (the sidebar menu's target) and carol's report of it (the queue's)
    const token = async (name) => (await api(forum.url, 'POST', '/api/v1/session', { username: name, password: PW })).json.token;
    const spam = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '加微信买买买，全场一折起' }, await token('spammer'));
    assert.equal(spam.status, 201, spam.text);
    const rep = await api(forum.url, 'POST', `/api/v1/posts/${spam.json.pid}/report`, { reason: '广告' }, await token('carol'));
    assert.equal(rep.status, 201, rep.text);
    const aliceReply = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '我也来说两句' }, await token('alice'));
    assert.equal(aliceReply.status, 201);
    browser = await launch();
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    page.on('dialog', (d) => d.accept());
    await login(page, forum.url, 'mod');

    // 置顶 from the 管理 menu, with a reason
    await page.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    await page.click('#modmenu > summary');
    await shot(page, 'thread-modmenu');
    await page.fill('#modmenu input[name=reason]', '重要通知');
    await Promise.all([page.waitForNavigation(), page.click('#modmenu button.act-stick')]);
    assert.match(await page.textContent('.thread-head'), /本版置顶/);
    assert.match(await page.textContent('.modnote'), /本主题由 mod 于 .* 本版置顶/);

    // 关闭: the menu now offers 打开; a member cannot reply
    await page.click('#modmenu > summary');
    await Promise.all([page.waitForNavigation(), page.click('#modmenu button.act-close')]);
    assert.match(await page.textContent('.thread-head h1'), /已关闭/);
    assert.ok(await page.isVisible('#modmenu button.act-open') || await page.$('#modmenu button.act-open'));

    // 移动 through the 主题管理 form, leaving a stub
    await page.click('#modmenu > summary');
    await Promise.all([page.waitForNavigation(), page.click('#modmenu a.act-more')]);
    await shot(page, 'moderate-form');
    await page.selectOption('select[name=fid]', '2');
    await page.check('input[name=stub]');
    await Promise.all([page.waitForNavigation(), page.click('button.act-move')]);
    assert.match(page.url(), new RegExp(`/t/${tid}$`));
    assert.match(await page.textContent('.crumbs'), /灌水乐园/);

    // 禁言 from the report queue: the header's 管理 link shows the open report; 7 天 and a note
    await eventually(async () => {
      await page.goto(forum.url + '/', { waitUntil: 'load' });
      return Number(await page.locator('header a.modq .qcount').textContent().catch(() => '0')) >= 1;   // the demo has its own
    }, 'the header link counting the open report', 10000);
    await Promise.all([page.waitForNavigation(), page.click('header a.modq')]);
    assert.match(page.url(), /\/modcp\/reports$/);
    const card = page.locator('li.report', { hasText: '加微信买买买' });
    assert.match(await card.textContent(), /待管理的主题/, 'the thread title');
    await shot(page, 'reports');
    await card.locator('select[name=days]').selectOption('7');
    await card.locator('input[name=note]').fill('发布广告');
    await Promise.all([page.waitForNavigation(), card.locator('button[value=ban]').click()]);
    assert.equal(await page.locator('li.report', { hasText: '加微信买买买' }).count(), 0, 'handled');
    await Promise.all([page.waitForNavigation(), page.click('footer a[href="/blacklist"]')]);
    const banned = page.locator('tr.ban', { hasText: 'spammer' });
    assert.equal(await banned.count(), 1);
    assert.match(await banned.textContent(), /禁止发言[^]*发布广告[^]*mod/);
    await shot(page, 'blacklist');

    // the author sidebar's 管理 menu on alice's reply: 警告, then 禁言 for 3 days with a reason
    await page.goto(`${forum.url}/p/${aliceReply.json.pid}`, { waitUntil: 'load' });
    const floor = page.locator(`#pid${aliceReply.json.pid}`);
    await floor.locator('details.amenu > summary').click();
    await shot(page, 'thread-authormenu');
    await Promise.all([page.waitForNavigation(), floor.locator('details.amenu button.amenu-warn').click()]);
    assert.match(await page.locator(`#pid${aliceReply.json.pid}`).textContent(), /该帖被管理员或版主警告/);
    await page.locator(`#pid${aliceReply.json.pid} details.amenu > summary`).click();
    const form = page.locator(`#pid${aliceReply.json.pid} form.amenu-ban`);
    assert.deepEqual(await form.locator('select[name=type] option').allTextContents(), ['禁言'], 'no 禁止访问 for a board moderator');
    await form.locator('select[name=days]').selectOption('3');
    await form.locator('input[name=reason]').fill('恶意灌水');
    await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
    await page.goto(`${forum.url}/blacklist`, { waitUntil: 'load' });
    assert.match(await page.locator('tr.ban', { hasText: 'alice' }).textContent(), /禁止发言[^]*恶意灌水/);

    // the board page: checkboxes and the batch bar (提升 the thread), 版主 shown
    await page.goto(`${forum.url}/f/2`, { waitUntil: 'load' });
    assert.match(await page.textContent('.board-head'), /版主: .*mod/);
    await page.check(`input[name=tid][value="${tid}"]`);
    await page.selectOption('.batchbar select[name=action]', 'open');
    await shot(page, 'board-batchbar');
    await Promise.all([page.waitForNavigation(), page.click('.batchbar button[type=submit]')]);
    await page.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    assert.doesNotMatch(await page.textContent('.thread-head h1'), /已关闭/);

    // the log lists the four actions with the reason
    await page.goto(`${forum.url}/modcp/log`, { waitUntil: 'load' });
    const log = await page.textContent('table.modlog');
    for (const w of ['置顶', '关闭', '移动', '打开', '重要通知', '禁止发言', '警告', '恶意灌水']) assert.ok(log.includes(w), `log shows ${w}`);
    await shot(page, 'modcp-log');
    await page.goto(`${forum.url}/modcp/recycle`, { waitUntil: 'load' });
    await shot(page, 'modcp-recycle');
    assert.deepEqual(errors, []);
  } catch (e) {
    failure = e;
  } finally {
    if (browser) await browser.close();
    try { await forum.stop(); } catch (e) { failure ??= e; }
  }
  if (failure) throw failure;
});
