// b0410: post formatting shows in a browser. BBCode [color], [backcolor],
// [size], [font], [align] and [float] and Markdown table alignment are posted,
// then the thread page, the preview and the demo's welcome post are loaded in
// Chromium and their computed styles are checked (colour, background, font
// size and family, text-align, float), with no Content-Security-Policy
// violation and no style attribute in any post body. The CSP allows no inline
// style, so a renderer that wrote style="..." fails here twice: the violation
// is reported and the computed style stays the default.
// Screenshots (desktop and phone width) go to build/screenshots/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, PW, webLogin, apiToken, api, addBoard } from '../e2e/lib.mjs';
import { withBrowserForum } from './lib.mjs';

const BBCODE = [
  '[align=center][size=5][b]居中的大标题[/b][/size][/align]',
  '[color=Red]红色文字[/color]，[color=#00ff00]绿色十六进制[/color]，[color=#999999]灰色引用头[/color]，'
    + '[color=rgb(0,0,255)]蓝色 rgb[/color]',
  '[backcolor=Yellow]黄色背景[/backcolor] [backcolor=#add8e6]浅蓝背景[/backcolor]',
  '[size=1]一号字[/size] [size=7]七号字[/size] [size=12pt]十二磅[/size] [size=20px]二十像素[/size]',
  '[font=Courier New]Courier 等宽[/font] [font=楷体_GB2312]楷体文字[/font] [font=宋体]宋体文字[/font]',
  '[float=right]右浮动[/float][align=right]右对齐段落[/align][align=left]左对齐段落[/align]',
].join('\n');

const MARKDOWN = [
  '| 左 | 中 | 右 |',
  '|:---|:---:|---:|',
  '| 左一 | 中一 | 右一 |',
].join('\n');

/* what each piece of text must look like: [text, property, value] */
const EXPECT = [
  ['居中的大标题', 'fontSize', '24px'],
  ['红色文字', 'color', 'rgb(255, 0, 0)'],
  ['绿色十六进制', 'color', 'rgb(0, 255, 0)'],
  ['灰色引用头', 'color', 'rgb(128, 128, 128)'],
  ['蓝色 rgb', 'color', 'rgb(0, 0, 255)'],
  ['黄色背景', 'backgroundColor', 'rgb(255, 255, 0)'],
  ['浅蓝背景', 'backgroundColor', 'rgb(173, 216, 230)'],
  ['一号字', 'fontSize', '10px'],
  ['七号字', 'fontSize', '48px'],
  ['十二磅', 'fontSize', '16px'],
  ['二十像素', 'fontSize', '20px'],
  ['Courier 等宽', 'fontFamily', /Courier New/],
  ['楷体文字', 'fontFamily', /KaiTi/],
  ['宋体文字', 'fontFamily', /SimSun/],
  ['右浮动', 'float', 'right'],
];
/* block-level: the text-align of the element's nearest block ancestor */
const EXPECT_ALIGN = [
  ['居中的大标题', 'center'],
  ['右对齐段落', 'right'],
  ['左对齐段落', 'left'],
  ['左一', 'left'], ['中一', 'center'], ['右一', 'right'],
  ['左', 'left'], ['中', 'center'], ['右', 'right'],
];

/* In the page: the computed styles of the innermost elements holding each text,
   the style attributes found in post bodies, and the CSP violations seen. */
async function measure(page, expect, expectAlign) {
  return page.evaluate(({ expect, expectAlign }) => {
    const holder = (text) => {
      let best = null;
      for (const el of document.querySelectorAll('.pcontent *')) {
        if (el.textContent.trim() === text) best = el; // document order: the last is the innermost
      }
      return best;
    };
    const styles = expect.map(([text, prop]) => {
      const el = holder(text);
      return el ? getComputedStyle(el)[prop] : `(no element holds ${text})`;
    });
    const aligns = expectAlign.map(([text]) => {
      const el = holder(text);
      return el ? getComputedStyle(el).textAlign : `(no element holds ${text})`;
    });
    const styled = [...document.querySelectorAll('.pcontent [style], .pcontent [align]')].map((e) => e.outerHTML);
    return { styles, aligns, styled, csp: window.__csp || [] };
  }, { expect, expectAlign });
}

function check(where, got, expect, expectAlign) {
  expect.forEach(([text, prop, want], i) => {
    if (want instanceof RegExp) assert.match(got.styles[i], want, `${where}: ${prop} of 「${text}」`);
    else assert.equal(got.styles[i], want, `${where}: ${prop} of 「${text}」`);
  });
  expectAlign.forEach(([text, want], i) => assert.equal(got.aligns[i], want, `${where}: text-align of 「${text}」`));
  assert.deepEqual(got.styled, [], `${where}: style/align attributes in post HTML`);
  assert.deepEqual(got.csp, [], `${where}: CSP violations`);
}

test('BBCode and Markdown formatting render with a strict CSP', { timeout: 300000 }, async () => {
  await withBrowserForum({ demo: true, users: [{ name: 'alice', password: PW }],
    config: { 'post.flood_seconds': 0 } }, async (forum, browser) => {
    const { url } = forum;
    const fid = await addBoard(forum, ['--name', '格式']);
    const tok = await apiToken(url, 'alice');
    const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '格式测试', body: BBCODE, format: 'bbcode' }, tok);
    assert.equal(t.status, 201, t.text);
    const r = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: MARKDOWN, format: 'markdown' }, tok);
    assert.equal(r.status, 201, r.text);
    const web = await webLogin(url, 'alice');

    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'loulan_sid', value: web.cookie('loulan_sid'), url }]);
    await ctx.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
      });
    });
    const page = await ctx.newPage();
    const consoleCsp = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) consoleCsp.push(`${page.url()}: ${m.text()}`); });
    page.on('pageerror', (e) => consoleCsp.push(`${page.url()}: pageerror ${e.message}`));

    // the thread page
    const res = await page.goto(`${url}/t/${t.json.tid}`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    check('thread page', await measure(page, EXPECT, EXPECT_ALIGN), EXPECT, EXPECT_ALIGN);
    const dir = path.join(ROOT, 'build/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'formatting-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload({ waitUntil: 'load' });
    check('thread page (phone)', await measure(page, EXPECT, EXPECT_ALIGN), EXPECT, EXPECT_ALIGN);
    await page.screenshot({ path: path.join(dir, 'formatting-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // the preview of the same BBCode, submitted by the browser
    await page.goto(`${url}/f/${fid}/new`, { waitUntil: 'load' });
    await page.fill('input[name=title]', '预览');
    await page.fill('textarea[name=body]', BBCODE);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[name=preview]')]);
    assert.match(await page.content(), /预览/);
    const pv = EXPECT.slice(0, 4);
    check('preview', await measure(page, pv, []), pv, []);

    // the demo's welcome post: [size=4] (18px) and, in a reply, [color=#e74c3c]
    await page.goto(`${url}/`, { waitUntil: 'load' });
    const welcome = await page.evaluate(() => {
      const a = [...document.querySelectorAll('a')].find((x) => x.textContent.includes('欢迎来到楼兰论坛'));
      return a ? a.getAttribute('href') : null;
    });
    assert.ok(welcome, 'the demo welcome thread is linked from the index');
    await page.goto(url + welcome, { waitUntil: 'load' });
    const w = [['欢迎来到楼兰论坛！', 'fontSize', '18px'], ['欢迎来到楼兰论坛！', 'fontWeight', '700']];
    check('demo welcome post', await measure(page, w, []), w, []);
    await page.screenshot({ path: path.join(dir, 'formatting-welcome.png') });
    assert.deepEqual(consoleCsp, [], 'CSP violations or page errors on the console');
  });
});
