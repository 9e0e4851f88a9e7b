// b0500: the thread page's floor buttons post through the page's one form #fx
// (<button form="fx" formaction=...>): in Chromium, with and without
// JavaScript, 点赞 and 支持 land; 删除 asks first (the button's data-confirm,
// read by loulan.js from the submit event's submitter) and does nothing when
// refused; 评分 and 举报 open their own pages whose forms work.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum, postIds } from '../e2e/lib.mjs';
import { launch, collectErrors } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';
const PW = 'password123';

async function login(page, url, name) {
  await page.goto(url + '/login', { waitUntil: 'load' });
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', PW);
  await Promise.all([page.waitForNavigation(), page.click('.formbox button[type=submit]')]);
}

test('floor buttons through #fx, with and without JavaScript; delete confirms; rate and report pages', async () => {
  const forum = await startForum({ demo: false, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }],
    config: { 'post.flood_seconds': '0' } });
  let browser = null;
  let failure = null;
  try {
    let r = await forum.run(['board', 'add', '--name', '测试版块']);
    const fid = Number(r.stdout.trim().split(/\s+/).pop());
    r = await forum.run(['post', '--as-admin', '--name', 'alice', '--board', String(fid), '--subject', '按钮'], '正文');
    const [tid, pid] = postIds(r.stdout).map(Number);
    r = await forum.run(['post', '--as-admin', '--name', 'alice', '--thread', String(tid)], '第二楼');
    const pid2 = Number(postIds(r.stdout)[1]);
    browser = await launch();

    // without JavaScript: bob likes and supports floor 1
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    let page = await nojs.newPage();
    await login(page, forum.url, 'bob');
    await page.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation(), page.click(`#pid${pid} button.likebtn`)]);
    assert.match(await page.textContent(`#pid${pid} button.likebtn`), /取消点赞 1/);
    await Promise.all([page.waitForNavigation(), page.click(`#pid${pid} button[value=support]`)]);
    assert.match(await page.textContent(`#pid${pid} .attitude`), /支持 1/);
    // 举报 on its own page
    await Promise.all([page.waitForNavigation(), page.click(`#pid${pid} a.report`)]);
    assert.match(page.url(), new RegExp(`/p/${pid}/report$`));
    await page.fill('input[name=reason]', '测试举报');
    await Promise.all([page.waitForNavigation(), page.click('form.reportform button[type=submit]')]);
    assert.match(page.url(), new RegExp(`/t/${tid}(\\?page=1)?#pid${pid}$`));
    assert.match(await page.textContent(`#pid${pid} .flash`), /举报已提交/, 'the report ends with 举报已提交');
    await nojs.close();

    // with JavaScript: bob rates on the rating page; alice deletes floor 2 after confirming
    const ctx = await browser.newContext();
    page = await ctx.newPage();
    const errors = collectErrors(page);
    await login(page, forum.url, 'bob');
    await page.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation(), page.click(`#pid${pid} a.rate`)]);
    await page.fill('input[name=score]', '1');
    await page.fill('input[name=reason]', '不错');
    await Promise.all([page.waitForNavigation(), page.click('form.rateform button[type=submit]')]);
    assert.match(await page.textContent(`#pid${pid} .ratelog`), /bob 威望 \+1 不错/);
    await Promise.all([page.waitForNavigation(), page.click('header button:has-text("退出")')]);
    await login(page, forum.url, 'alice');
    await page.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
    await page.click(`#pid${pid2} button.act-delete`);
    await page.waitForTimeout(300);
    assert.equal(asked, '确定要删除这个帖子吗？');
    assert.equal(await page.locator(`#pid${pid2} .pcontent.deleted`).count(), 0, 'refused: nothing deleted');
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForNavigation(), page.click(`#pid${pid2} button.act-delete`)]);
    await page.goto(`${forum.url}/t/${tid}`, { waitUntil: 'load' });
    assert.equal(await page.locator(`#pid${pid2} .pcontent.deleted`).count(), 1, 'confirmed: deleted');
    assert.deepEqual(errors, []);
    await ctx.close();
  } catch (e) {
    failure = e;
  }
  if (browser) await browser.close().catch(() => {});
  try {
    await forum.stop();
  } catch (e) {
    if (!failure) throw e;
  }
  if (failure) throw failure;
});
