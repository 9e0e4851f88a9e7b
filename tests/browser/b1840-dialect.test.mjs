// b1840: one post with all of the Discuz! dialect (issue 18) in Chromium at desktop (1280) and phone (390)
// size, as a guest and as the post's author: no horizontal overflow, no CSP violation or page error, the
// edit stamp muted, the [hide] notice for the guest and the content for the author, the quote heading
// linking /p/N, the table by rows. Screenshots go to build/screenshots/b1840-*.png.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, PW, webLogin, apiToken, api, addBoard } from '../e2e/lib.mjs';
import { withBrowserForum } from './lib.mjs';

const SHOTS = path.join(ROOT, 'build/screenshots');

const BODY = [
  '[i=s] 本帖最后由 alice 于 2023-12-21 10:05 编辑 [/i]', '',
  '[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid=1&ptid=1][color=#999999]小明 发表于 2023-12-20 09:00[/color][/url][/size]',
  '楼主说得对，这个问题我也遇到过。[/quote]',
  '[p=30, 2, left]这是一段首行缩进两个字的段落，来自 Discuz! 的 [p] 标签。表情：{:2_25:} {:3_41:} :lol [/p]',
  '[align=center][size=5][color=Red][b]居中的大红字[/b][/color][/size][/align]',
  '[float=right][backcolor=yellow]右浮动的黄底字[/backcolor][/float][font=楷体]楷体字[/font]，[s]删除线[/s]，[u]下划线[/u]',
  '[table=600,#eeeeee]', '项目|数量|备注', '苹果|3|[b]红[/b]', '香蕉|5|', '[/table]',
  '[table=98%][tr=#ffcc00][td=2,1,50%]合并两列[/td][td]右[/td][/tr][tr][td]一[/td][td]二[/td][td]三[/td][/tr][/table]',
  '[list=1][*]第一[*]第二[/list][list=a][*]甲[*]乙[/list][list=A][*]Alpha[/list]',
  '[indent]缩进的一段。[/indent]',
  '[free]免费部分：前言和目录。[/free]',
  '[hide]Zb1Secret 回复可见的下载地址[/hide]',
  '[hide=50]Zb2Credits 积分 50 可见[/hide]',
  '[password]123456[/password]',
  '[media=x,500,375]https://video.example.com/a-very-long-path/to/some/video/file/that/should/wrap/nicely.mp4[/media]',
  '[audio]https://a.example/song.mp3[/audio] [flash=550,400]https://f.example/old.swf[/flash]',
  '[url=thunder://QUFodHRwOi8v]迅雷链接[/url] [url=ftp://ftp.example.com/pub]FTP[/url] [email]someone@example.com[/email]',
  '[groupid=1]摄影小组[/groupid]',
  '[hr]',
  '[code]int main(void) { return 0; }[/code]',
].join('\n');

test('the Discuz! dialect: one post at desktop and phone size, guest and author', { timeout: 300000 }, async () => {
  await withBrowserForum({ demo: false, users: [{ name: 'alice', password: PW }] }, async (forum, browser) => {
    const { url } = forum;
    const fid = await addBoard(forum, ['--name', '方言版']);
    const tok = await apiToken(url, 'alice');
    const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: 'Discuz! 方言大全', body: BODY, format: 'bbcode' }, tok);
    assert.equal(t.status, 201, t.text);
    const web = await webLogin(url, 'alice');
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const [who, cookie] of [['guest', null], ['author', web.cookie('loulan_sid')]]) {
      for (const [size, width] of [['desktop', 1280], ['phone', 390]]) {
        const ctx = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
        if (cookie) await ctx.addCookies([{ name: 'loulan_sid', value: cookie, url }]);
        await ctx.addInitScript(() => {
          window.__csp = [];
          document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
        });
        const page = await ctx.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const res = await page.goto(`${url}/t/${t.json.tid}${size === 'phone' ? '?mobile=2' : ''}`);
        assert.equal(res.status(), 200);
        const where = `${who} ${size}`;
        const text = await page.$eval('.floor .pcontent', (el) => el.innerText);
        assert.ok(text.includes('本帖最后由 alice'), where);
        assert.ok(text.includes('免费内容') && text.includes('免费部分'), where);
        if (who === 'guest') {
          assert.ok(!text.includes('Zb1Secret') && !text.includes('Zb2Credits'), `${where}: hidden`);
          assert.ok(text.includes('本帖隐藏的内容需要回复才可以浏览'), where);
        } else {
          assert.ok(text.includes('Zb1Secret') && text.includes('Zb2Credits'), `${where}: the author sees it`);
        }
        assert.ok(text.includes('迅雷链接'), `${where}: an unsafe scheme stays as text`);
        assert.equal(await page.$eval('.pcontent .quote a', (a) => a.getAttribute('href')), '/p/1', where);
        const stamp = await page.$eval('.pcontent .pstatus', (el) => getComputedStyle(el).color);
        const body = await page.$eval('.pcontent', (el) => getComputedStyle(el).color);
        assert.notEqual(stamp, body, `${where}: the edit stamp is muted`);
        assert.equal(await page.$$eval('.pcontent table', (ts) => ts[0].rows.length), 3, `${where}: the "|" table by rows`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${where}: ${overflow}px of horizontal overflow`);
        assert.deepEqual(await page.evaluate(() => window.__csp), [], `${where}: CSP violations`);
        assert.deepEqual(errors, [], `${where}: page errors`);
        await page.locator('.floor').first().screenshot({ path: path.join(SHOTS, `b1840-${who}-${size}.png`) });
        await ctx.close();
      }
    }
  });
});
