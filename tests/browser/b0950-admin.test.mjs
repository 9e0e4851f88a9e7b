// b0950: in Chromium, an admin opens 管理中心 from the header, changes the ICP
// line in 站点设置 and sees it in the footer without a restart (and, on
// PostgreSQL, on a second node); a bad value comes back inline. Every area is
// photographed at 1280 and 390 px wide (build/screenshots/admin-*.png), with
// no horizontal overflow and no console errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startForum, ROOT, PW, addBoard } from '../e2e/lib.mjs';
import { launch, collectErrors } from './lib.mjs';

process.env.LOULAN_FAST_HASH = '1';

test('an admin changes the ICP line in /admin and sees it in the footer at once', async () => {
  const forum = await startForum({ demo: true, users: [{ name: '站长', password: PW, admin: true }, { name: 'mo', password: PW }] });
  let browser = null;
  try {
    const fid = await addBoard(forum, ['--name', '站务', '--category', '站务']);
    const m = await forum.run(['user', 'ban', '--name', 'mo', '--days', '3', '--reason', '测试禁言']);
    assert.equal(m.code, 0, m.stderr);
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    const dir = path.join(ROOT, 'build/screenshots');
    fs.mkdirSync(dir, { recursive: true });

    await page.goto(forum.url + '/login', { waitUntil: 'load' });
    await page.fill('input[name=username]', '站长');
    await page.fill('input[name=password]', PW);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
    await Promise.all([page.waitForNavigation(), page.click('header >> text=管理中心')]);
    assert.equal(new URL(page.url()).pathname, '/admin');
    assert.equal((await page.textContent('.adminnav a.current')).trim(), '站点设置');

    // a bad value first: the form comes back with the error beside the field and the typed value
    await page.fill('input[name="post.flood_seconds"]', '-5');
    await page.evaluate(() => document.querySelector('input[name="post.flood_seconds"]').removeAttribute('min'));
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("保存设置")')]);
    assert.match(await page.textContent('#set-post\\.flood_seconds .field-error'), /须为 0 到 86400 之间的整数/);
    assert.equal(await page.inputValue('input[name="post.flood_seconds"]'), '-5');
    assert.ok(errors.every((e) => /status of 400/.test(e)), errors.join('\n'));
    errors.length = 0;
    await page.fill('input[name="post.flood_seconds"]', '15');
    await page.fill('input[name="site.icp"]', '京ICP备20260001号');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("保存设置")')]);
    assert.match(await page.textContent('.form-ok'), /已保存/);
    await page.goto(forum.url + '/', { waitUntil: 'load' });
    assert.equal((await page.textContent('footer .filing a')).trim(), '京ICP备20260001号', 'the footer, no restart');

    if (forum.db) {   // a second node on the same PostgreSQL database shows it too
      const b = await forum.startNode();
      const other = await browser.newPage();
      await other.goto(b.url + '/', { waitUntil: 'load' });
      assert.equal((await other.textContent('footer .filing a')).trim(), '京ICP备20260001号', 'node B');
      await page.goto(forum.url + '/admin', { waitUntil: 'load' });
      await page.fill('input[name="site.icp"]', '京ICP备20260002号');
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("保存设置")')]);
      let seen = '';
      for (let i = 0; i < 40 && seen !== '京ICP备20260002号'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await other.goto(b.url + '/', { waitUntil: 'load' });
        seen = (await other.textContent('footer .filing a')).trim();
      }
      assert.equal(seen, '京ICP备20260002号', 'node B shows the change without a restart');
      await other.close();
    }

    // every area at desktop and phone width
    const uid = await page.evaluate(async () => {
      const r = await fetch('/admin/users?q=mo');
      return Number(/\/admin\/users\/(\d+)">mo</.exec(await r.text())[1]);
    });
    const areas = [['settings', '/admin'], ['boards', `/admin/boards?fid=${fid}`], ['groups', '/admin/groups'],
      ['users', '/admin/users?q=mo'], ['user', `/admin/users/${uid}`], ['credits', '/admin/credits'], ['ipbans', '/admin/ipbans'], ['log', '/admin/log']];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, p] of areas) {
        await page.goto(forum.url + p, { waitUntil: 'load' });
        const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(over <= 0, `${p} at ${width}px overflows by ${over}px`);
        await page.screenshot({ path: path.join(dir, `admin-${name}-${width}.png`), fullPage: true });
        await page.screenshot({ path: path.join(dir, `admin-${name}-${width}-top.png`) });   // the first screen, readable
      }
    }
    assert.match(await page.textContent('.adminlog'), /京ICP备20260001号/, 'the change is in the audit log');
    assert.match(await page.textContent('.adminlog'), /积分规则\s*reply fid 0/, "the demo's own audit row");
    assert.deepEqual(errors, []);
  } finally {
    await browser?.close().catch(() => {});
    await forum.stop();
  }
});
