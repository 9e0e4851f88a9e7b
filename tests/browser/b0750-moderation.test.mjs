// b0750: a moderator's walk in Chromium (issue #12): 置顶 → 关闭 → 移动 from the thread page's
// 管理 menu and the 主题管理 form, the batch bar on the board page, then the log. The ban step of
// the walk (ban from the report queue) belongs to the members work (N2): BAN_HOOK below is
// where it goes. Screenshots at 1280 and 390 px go to LOULAN_SHOTS (a directory) when set.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum, eventually, get } from '../e2e/lib.mjs';
import { launch, collectErrors, webLoginPage, shotBoth } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';

const login = (page, url, name) => webLoginPage(page, url, name, PW);
const shot = shotBoth;

test('a moderator: stick, close, move from the 管理 menu; the batch bar; the log', async () => {
  const forum = await startForum({ demo: true, users: [{ name: 'mod', password: PW }, { name: 'alice', password: PW }],
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
    const tid = Number(r.stdout.trim().split(' ')[0]);
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

    // BAN_HOOK: N2's step goes here (ban the author from the report queue, /modcp/reports).

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
    for (const w of ['置顶', '关闭', '移动', '打开', '重要通知']) assert.ok(log.includes(w), `log shows ${w}`);
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
