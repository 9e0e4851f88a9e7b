// b1300: the composer (issue #13) in Chromium. The toolbar wraps the selection
// in BBCode and in Markdown (and hides what Markdown lacks), the colour, size and
// smiley boxes insert their codes, Ctrl+B / Ctrl+I / Ctrl+K and Ctrl+Enter work,
// a quote prefilled in BBCode turns into Markdown when the format changes, drafts
// survive a reload and a refused submit and go once the post is made, uploads
// (file button, drag-and-drop, paste) show a progress bar and place
// [attach]N[/attach] or ![name](attach:N), and their refusals read in Chinese; with
// JavaScript off the bar stays hidden and the plain form still posts. No CSP
// violation or page error anywhere. Screenshots (desktop and 390 px phone) go to
// build/screenshots/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, PW, webLogin, apiToken, api, addBoard, makeImage } from '../e2e/lib.mjs';
import { withBrowserForum } from './lib.mjs';

const SHOTS = path.join(ROOT, 'build/screenshots');

async function setup(forum, browser, opts = {}) {
  const { url } = forum;
  const web = await webLogin(url, 'alice');
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  await ctx.addCookies([{ name: 'loulan_sid', value: web.cookie('loulan_sid'), url }]);
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`); });
  return { ctx, page, errors };
}

async function noViolations(page, errors, where) {
  assert.deepEqual(await page.evaluate(() => window.__csp), [], `${where}: CSP violations`);
  assert.deepEqual(errors, [], `${where}: page errors`);
}

/* types text, then selects the characters [from, to) of the textarea */
async function typeAndSelect(page, ta, text, from, to) {
  await page.fill(ta, text);
  await page.$eval(ta, (el, [a, b]) => { el.focus(); el.setSelectionRange(a, b); }, [from, to]);
}

const value = (page, ta) => page.$eval(ta, (el) => el.value);

test('toolbar, shortcuts, smilies, format switch and drafts', { timeout: 300000 }, async () => {
  await withBrowserForum({ demo: true, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }],
    config: { 'post.flood_seconds': 0 } }, async (forum, browser) => {
    const { url } = forum;
    const fid = await addBoard(forum, ['--name', '编辑器']);
    const tok = await apiToken(url, 'alice');
    const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`,
      { title: 'Markdown 楼', body: 'See [the docs](http://example.com/a_(b)) now.', format: 'markdown' }, tok);
    assert.equal(t.status, 201, t.text);
    const { ctx, page, errors } = await setup(forum, browser);
    const TA = 'textarea[name=body]';

    await page.goto(`${url}/f/${fid}/new`);
    assert.ok(await page.isVisible('.composer-bar'), 'the bar shows with JavaScript');
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.fill('input[name=title]', '编辑器的截图');
    await page.fill(TA, '[b]粗体[/b] 和 [color=red]红字[/color] :)\n[quote]引用[/quote]');
    await page.screenshot({ path: path.join(SHOTS, 'composer-desktop.png'), fullPage: true });

    // BBCode: each button wraps the selection
    const bb = [
      ['粗体', 'hello [b]world[/b]'], ['斜体', 'hello [i]world[/i]'], ['下划线', 'hello [u]world[/u]'],
      ['删除线', 'hello [s]world[/s]'], ['引用', 'hello [quote]world[/quote]'], ['代码', 'hello [code]world[/code]'],
    ];
    for (const [label, want] of bb) {
      await typeAndSelect(page, TA, 'hello world', 6, 11);
      await page.click(`.composer-bar button[aria-label="${label}"]`);
      assert.equal(await value(page, TA), want, label);
      // the selection is still the word, so a second button nests
      assert.equal(await page.$eval(TA, (el) => el.value.slice(el.selectionStart, el.selectionEnd)), 'world', `${label}: selection kept`);
    }
    await typeAndSelect(page, TA, 'a\nb', 0, 3);
    await page.click('.composer-bar button[aria-label="列表"]');
    assert.equal(await value(page, TA), '[list]\n[*]a\n[*]b\n[/list]');
    // colour and size boxes
    await typeAndSelect(page, TA, 'hello world', 6, 11);
    await page.click('summary[aria-label="文字颜色"]');
    assert.ok(await page.isVisible('.cb-colors'));
    assert.equal(await page.$$eval('.cb-colors button', (b) => b.length), 40);
    await page.click('.cb-colors button[data-color="red"]');
    assert.equal(await value(page, TA), 'hello [color=red]world[/color]');
    assert.ok(!(await page.isVisible('.cb-colors')), 'the box closes after a pick');
    await typeAndSelect(page, TA, 'hello world', 6, 11);
    await page.click('summary[aria-label="字号"]');
    await page.click('.cb-sizes button[data-size="5"]');
    assert.equal(await value(page, TA), 'hello [size=5]world[/size]');
    // link and image ask for the address
    page.once('dialog', (d) => d.accept('http://example.com/x'));
    await typeAndSelect(page, TA, 'hello world', 6, 11);
    await page.click('.composer-bar button[aria-label="链接"]');
    assert.equal(await value(page, TA), 'hello [url=http://example.com/x]world[/url]');
    page.once('dialog', (d) => d.accept('http://example.com/p.png'));
    await typeAndSelect(page, TA, 'pic: ', 5, 5);
    await page.click('.composer-bar button[aria-label="图片"]');
    assert.equal(await value(page, TA), 'pic: [img]http://example.com/p.png[/img]');

    // shortcuts
    await typeAndSelect(page, TA, 'hello world', 6, 11);
    await page.keyboard.press('Control+b');
    assert.equal(await value(page, TA), 'hello [b]world[/b]');
    await page.keyboard.press('Control+i');
    assert.equal(await value(page, TA), 'hello [b][i]world[/i][/b]');
    page.once('dialog', (d) => d.accept('https://loulan.example/'));
    await page.keyboard.press('Control+k');
    assert.equal(await value(page, TA), 'hello [b][i][url=https://loulan.example/]world[/url][/i][/b]');
    // undo goes back through the browser's own history
    await page.keyboard.press('Control+z');
    assert.equal(await value(page, TA), 'hello [b][i]world[/i][/b]');

    // smilies: the picker inserts the code, with a space after a letter
    await typeAndSelect(page, TA, '你好abc', 5, 5);
    await page.click('summary[aria-label="表情"]');
    assert.equal(await page.$$eval('.cb-smilies button', (b) => b.length), 24);
    await page.screenshot({ path: path.join(SHOTS, 'composer-smilies.png') });
    await page.click('.cb-smilies button[data-smiley=":)"]');
    assert.equal(await value(page, TA), '你好abc :)');
    await page.click('summary[aria-label="表情"]');
    await page.click('.cb-smilies button[data-smiley=":D"]');
    assert.equal(await value(page, TA), '你好abc :):D');

    // Markdown: the same buttons write Markdown; underline, colour and size hide
    await page.selectOption('select[name=format]', 'markdown');
    for (const label of ['下划线', '文字颜色', '字号']) {
      assert.ok(!(await page.isVisible(`.composer-bar [aria-label="${label}"]`)), `${label} hides in Markdown`);
    }
    const md = [
      ['粗体', 'hello **world**'], ['斜体', 'hello *world*'], ['删除线', 'hello ~~world~~'], ['代码', 'hello `world`'],
    ];
    for (const [label, want] of md) {
      await typeAndSelect(page, TA, 'hello world', 6, 11);
      await page.click(`.composer-bar button[aria-label="${label}"]`);
      assert.equal(await value(page, TA), want, `Markdown ${label}`);
    }
    await typeAndSelect(page, TA, 'one\ntwo', 0, 7);
    await page.click('.composer-bar button[aria-label="引用"]');
    assert.equal(await value(page, TA), '> one\n> two');
    await typeAndSelect(page, TA, 'one\ntwo', 0, 7);
    await page.click('.composer-bar button[aria-label="列表"]');
    assert.equal(await value(page, TA), '- one\n- two');
    await typeAndSelect(page, TA, 'a\nx\ncode', 2, 8);
    await page.click('.composer-bar button[aria-label="代码"]');
    assert.equal(await value(page, TA), 'a\n```\nx\ncode\n```\n', 'several lines: a fenced block on its own lines');
    page.once('dialog', (d) => d.accept('http://example.com/a b(c)'));
    await typeAndSelect(page, TA, 'see docs', 4, 8);
    await page.keyboard.press('Control+k');
    assert.equal(await value(page, TA), 'see [docs](http://example.com/a%20b%28c%29)');

    // Ctrl+Enter sends; the post renders the Markdown and the face
    await page.fill('input[name=title]', '快捷键发帖');
    await page.fill(TA, '**粗** :) [链接](http://example.com/)');
    await Promise.all([page.waitForURL(/\/t\/\d+\?page=1#pid\d+$/), page.focus(TA).then(() => page.keyboard.press('Control+Enter'))]);
    const html = await page.$eval('.pcontent', (el) => el.innerHTML);
    assert.match(html, /<strong>粗<\/strong> <span class="smiley" title="微笑">🙂<\/span> <a href="http:\/\/example\.com\/"/);
    const newTid = /\/t\/(\d+)/.exec(page.url())[1];
    // the new-thread form's draft went with the post
    await page.goto(`${url}/f/${fid}/new`);
    assert.equal(await value(page, TA), '');
    assert.equal(await page.inputValue('input[name=title]'), '');
    assert.ok(await page.isHidden('.draft-note'));

    // the quote swaps format while it is unedited
    await page.goto(`${url}/t/${t.json.tid}/reply?quote=${t.json.pid}`);
    let q = await value(page, TA);
    assert.match(q, /^\[quote\]\[size=2\]\[url=\/p\/\d+\]/);
    assert.ok(q.includes('See [url=http://example.com/a_(b)]the docs[/url] now.'), q);
    await page.selectOption('select[name=format]', 'markdown');
    q = await value(page, TA);
    assert.match(q, /^> \*\[alice 发表于 [^\]]+\]\(\/p\/\d+\)\*\n>\n> See \[the docs\]\(http:\/\/example\.com\/a_\\\(b\\\)\) now\.\n\n$/);
    await page.selectOption('select[name=format]', 'bbcode');
    assert.match(await value(page, TA), /^\[quote\]/);

    // drafts: typed text survives a reload, with a note and a way to drop it
    await page.goto(`${url}/t/${t.json.tid}/reply`);
    await page.fill(TA, '写了一半的回复 :)');
    await page.selectOption('select[name=format]', 'markdown');
    await page.reload();
    assert.equal(await value(page, TA), '写了一半的回复 :)');
    assert.equal(await page.inputValue('select[name=format]'), 'markdown');
    assert.match(await page.textContent('.draft-note'), /已恢复上次未发表的草稿/);
    // the quick reply of the same thread holds the same draft
    await page.goto(`${url}/t/${t.json.tid}`);
    assert.equal(await value(page, '#qr-body'), '写了一半的回复 :)');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, 'composer-quickreply-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    // the bar's 预览 on the quick reply: the full form with the preview and the text; the draft stays
    await Promise.all([page.waitForNavigation(), page.click('.quickreply .composer-bar button[aria-label="预览"]')]);
    assert.match(page.url(), /\/t\/\d+\/reply$/);
    assert.match(await page.textContent('.preview'), /写了一半的回复 🙂/);
    assert.equal(await value(page, TA), '写了一半的回复 :)');
    await page.goto(`${url}/t/${t.json.tid}`);
    assert.equal(await value(page, '#qr-body'), '写了一半的回复 :)', 'a preview keeps the draft');
    await page.click('.draft-note button');   // 丢弃草稿
    assert.equal(await value(page, '#qr-body'), '');
    await page.reload();
    assert.equal(await value(page, '#qr-body'), '', 'a dropped draft stays dropped');

    // a refused submit (too long: 413) shows the form with the text, and the draft stays
    await page.goto(`${url}/t/${t.json.tid}/reply`);
    const long = '长'.repeat(30000);
    await page.fill(TA, long);
    const [resp] = await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert.equal(resp.status(), 413);
    assert.equal(await value(page, TA), long);
    await page.goto(`${url}/t/${t.json.tid}/reply`);
    assert.equal((await value(page, TA)).length, 30000, 'the draft is back on a fresh form');
    // a successful submit drops it
    await page.fill(TA, '终于发出去了');
    await Promise.all([page.waitForURL(/\/t\/\d+\?page=\d+#pid\d+$/), page.click('button.primary')]);
    assert.match(await page.content(), /终于发出去了/);
    await page.goto(`${url}/t/${t.json.tid}/reply`);
    assert.equal(await value(page, TA), '', 'no draft after the post was made');
    assert.ok(await page.isHidden('.draft-note'));

    // the edit form: a draft of changes comes back over the same original text
    await page.goto(`${url}/t/${newTid}`);
    const editHref = await page.getAttribute('.act-edit', 'href');
    await page.goto(url + editHref);
    const original = await value(page, TA);
    await page.fill(TA, original + ' 改了一点');
    await page.reload();
    assert.equal(await value(page, TA), original + ' 改了一点');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, 'composer-phone.png'), fullPage: true });
    await page.click('summary[aria-label="表情"]');
    await page.screenshot({ path: path.join(SHOTS, 'composer-phone-smilies.png') });
    // nothing of the bar sticks out of a phone's width
    const overflow = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      return [...document.querySelectorAll('.composer-bar, .composer-bar *')]
        .filter((e) => e.offsetParent && e.getBoundingClientRect().right > w + 0.5).map((e) => e.outerHTML.slice(0, 80));
    });
    assert.deepEqual(overflow, [], 'elements wider than the phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // drafts are the member's own: bob, in the same browser, does not see alice's; logging out forgets them
    await page.goto(`${url}/t/${t.json.tid}/reply`);
    await page.fill(TA, 'alice 的私人草稿');
    const aliceSid = (await ctx.cookies()).find((c) => c.name === 'loulan_sid').value;
    const bobWeb = await webLogin(url, 'bob');
    await ctx.addCookies([{ name: 'loulan_sid', value: bobWeb.cookie('loulan_sid'), url }]);
    await page.goto(`${url}/t/${t.json.tid}/reply`);
    assert.match(await page.textContent('.usernav .me'), /bob/);
    assert.equal(await value(page, TA), '', 'bob sees no draft of alice');
    await ctx.addCookies([{ name: 'loulan_sid', value: aliceSid, url }]);
    await page.goto(`${url}/t/${t.json.tid}/reply`);
    assert.equal(await value(page, TA), 'alice 的私人草稿');
    await Promise.all([page.waitForNavigation(), page.click('.usernav form[action="/logout"] button')]);
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('loulan:draft:')));
    assert.deepEqual(left, [], 'logging out drops the drafts');
    await noViolations(page, errors, 'composer');
    await ctx.close();
  });
});

test('uploads: file button, drag-and-drop, paste, progress and refusals', { timeout: 300000 }, async () => {
  await withBrowserForum({ demo: true, users: [{ name: 'alice', password: PW }] }, async (forum, browser) => {
    const { url } = forum;
    const fid = await addBoard(forum, ['--name', '上传']);
    const { ctx, page, errors } = await setup(forum, browser);
    const TA = 'textarea[name=body]';

    // this test answers the composer's requests itself (refusals, progress, Markdown forms; the
    // contract in docs/HACKING.md, "Attachments"); the real endpoint is the next test.
    let aid = 100;
    const seen = [];
    await page.route('**/attachments', async (route) => {
      const req = route.request();
      const body = req.postDataBuffer() || Buffer.alloc(0);
      const text = body.toString('utf8');
      const name = /filename="([^"]*)"/.exec(text)?.[1] ?? '';
      const csrf = /name="csrf"\r\n\r\n([^\r]*)/.exec(text)?.[1];
      seen.push({ name, csrf, header: req.headers()['x-csrf-token'], fid: /name="fid"\r\n\r\n(\d+)/.exec(text)?.[1] });
      const refuse = { 'big.zip': [413, 'too_large', '文件超过 10 MB。'], 'evil.exe': [415, 'type_not_allowed', '不允许的类型。'],
        'fake.jpg': [422, 'not_what_it_claims', '不是图片。'] }[name];
      if (refuse) {
        await route.fulfill({ status: refuse[0], contentType: 'application/json',
          body: JSON.stringify({ error: { code: refuse[1], message: refuse[2] } }) });
        return;
      }
      const image = /\.(png|jpe?g)$/i.test(name);
      aid++;
      await route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify({
        aid, url: `/a/${aid}/${name}`, is_image: image, width: image ? 10 : null, height: image ? 10 : null,
        thumb_url: image ? `/a/${aid}/thumb` : null, size: body.length, filename: name }) });
    });

    await page.goto(`${url}/f/${fid}/new`);
    const csrf = await page.getAttribute('input[name=csrf]', 'value');
    assert.ok(await page.isVisible('button[aria-label="附件"]'));
    // the 附件 button opens the file chooser; two files at once, placed in order
    await page.fill(TA, '开头\n');
    await page.$eval(TA, (el) => el.setSelectionRange(el.value.length, el.value.length));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('button[aria-label="附件"]')]);
    assert.ok(chooser.isMultiple(), 'several files at once');
    await chooser.setFiles([
      { name: 'one.png', mimeType: 'image/png', buffer: Buffer.from('png-one') },
      { name: 'two.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pdf-two') },
    ]);
    await page.waitForFunction(() => document.querySelectorAll('.uploads li.done').length === 2);
    assert.equal(await value(page, TA), '开头\n[attach]101[/attach]\n[attach]102[/attach]\n');
    assert.deepEqual(await page.$$eval('.uploads progress', (p) => p.map((x) => x.value)), [100, 100], 'a full progress bar per file');
    assert.deepEqual(seen.map((s) => [s.name, s.csrf, s.header, s.fid]),
      [['one.png', csrf, csrf, String(fid)], ['two.pdf', csrf, csrf, String(fid)]], 'csrf field and header, the board');

    // Markdown: an image and a download link
    await page.selectOption('select[name=format]', 'markdown');
    await page.fill(TA, '');
    // drag-and-drop onto the textarea
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['jpeg'], '照片 [1].jpg', { type: 'image/jpeg' }));
      const ta = document.querySelector('textarea[name=body]');
      ta.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      ta.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.querySelectorAll('.uploads li.done').length === 3);
    assert.equal(await value(page, TA), '![照片 \\[1\\].jpg](attach:103)\n');
    // a pasted screenshot (a file with no name) and a pasted zip
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['shot'], '', { type: 'image/png' }));
      dt.items.add(new File(['zip'], 'notes.zip', { type: 'application/zip' }));
      const ta = document.querySelector('textarea[name=body]');
      ta.focus();
      ta.setSelectionRange(ta.value.length, ta.value.length);
      ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.querySelectorAll('.uploads li.done').length === 5);
    assert.equal(await value(page, TA), '![照片 \\[1\\].jpg](attach:103)\n![粘贴的图片.png](attach:104)\n[notes.zip](attach:105)\n');
    // pasting text still pastes text
    const before = await value(page, TA);
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData('text/plain', 'x');
      document.querySelector('textarea[name=body]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.$$eval('.uploads li', (l) => l.length), 5, 'no upload for a text paste');
    assert.equal(await value(page, TA), before);

    // refusals: the reason in Chinese, nothing inserted
    await page.setInputFiles('form input[type=file]', [
      { name: 'big.zip', mimeType: 'application/zip', buffer: Buffer.from('z') },
      { name: 'evil.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('e') },
      { name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html>') },
    ]);
    await page.waitForFunction(() => document.querySelectorAll('.uploads li.failed').length === 3);
    const failed = await page.$$eval('.uploads li.failed .up-status', (l) => l.map((x) => x.textContent));
    assert.match(failed[0], /^big\.zip：文件太大.*文件超过 10 MB。/);
    assert.match(failed[1], /^evil\.exe：不允许上传这种类型的文件。/);
    assert.match(failed[2], /^fake\.jpg：文件内容与它的类型不符/);
    assert.equal(await value(page, TA), before);
    await page.screenshot({ path: path.join(SHOTS, 'composer-uploads.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, 'composer-uploads-phone.png'), fullPage: true });

    // 401 (session gone) and a network error
    await page.unroute('**/attachments');
    await page.route('**/attachments', (route) => route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthorized","message":"请先登录。"}}' }));
    await page.setInputFiles('form input[type=file]', [{ name: 'a.png', mimeType: 'image/png', buffer: Buffer.from('a') }]);
    await page.waitForFunction(() => document.querySelectorAll('.uploads li.failed').length === 4);
    assert.match(await page.textContent('.uploads li.failed:last-child .up-status'), /登录已失效/);
    await page.unroute('**/attachments');
    await page.route('**/attachments', (route) => route.abort());
    await page.setInputFiles('form input[type=file]', [{ name: 'b.png', mimeType: 'image/png', buffer: Buffer.from('b') }]);
    await page.waitForFunction(() => document.querySelectorAll('.uploads li.failed').length === 5);
    assert.match(await page.textContent('.uploads li.failed:last-child .up-status'), /网络错误/);
    await noViolations(page, errors, 'uploads');
    await ctx.close();
  });
});

test('uploads against the real POST /attachments: file button, drag-and-drop, paste; the thread shows sized lazy images to a guest', { timeout: 180000 }, async () => {
  await withBrowserForum({ demo: true, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': 0 } },
    async (forum, browser) => {
      const { url } = forum;
      const fid = await addBoard(forum, ['--name', '真上传']);
      const { ctx, page, errors } = await setup(forum, browser);
      const TA = 'textarea[name=body]';
      await page.goto(`${url}/f/${fid}/new`);
      // a 1x1 PNG through the file input
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
      await page.setInputFiles('form input[type=file]', [{ name: 'dot.png', mimeType: 'image/png', buffer: png }]);
      await page.waitForFunction(() => document.querySelector('.uploads li.done, .uploads li.failed'));
      assert.equal(await page.$$eval('.uploads li.failed', (l) => l.length), 0, await page.textContent('.uploads'));
      assert.match(await value(page, TA), /^\[attach\]\d+\[\/attach\]\n$/);
      await page.fill(TA, '拖进来的和粘贴的照片：\n');
      await page.$eval(TA, (el) => el.setSelectionRange(el.value.length, el.value.length));
      // a JPEG dropped onto the textarea (a DataTransfer drop), then one pasted (a ClipboardEvent with a File)
      const dropped = makeImage(1200, 800, 'jpg', 21).toString('base64');
      const pasted = makeImage(640, 480, 'jpg', 22).toString('base64');
      await page.evaluate((b64) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], '拖入.jpg', { type: 'image/jpeg' }));
        const ta = document.querySelector('textarea[name=body]');
        ta.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        ta.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, dropped);
      await page.waitForFunction(() => document.querySelectorAll('.uploads li.done, .uploads li.failed').length === 2);
      await page.evaluate((b64) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'paste.jpg', { type: 'image/jpeg' }));
        const ta = document.querySelector('textarea[name=body]');
        ta.focus();
        ta.setSelectionRange(ta.value.length, ta.value.length);
        ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, pasted);
      await page.waitForFunction(() => document.querySelectorAll('.uploads li.done, .uploads li.failed').length === 3);
      assert.equal(await page.$$eval('.uploads li.failed', (l) => l.length), 0, await page.textContent('.uploads'));
      const body = await value(page, TA);
      const aids = [...body.matchAll(/\[attach\](\d+)\[\/attach\]/g)].map((m) => Number(m[1]));
      assert.equal(aids.length, 2, `two [attach] codes placed by the composer: ${body}`);
      await page.fill('input[name=title]', '拖放和粘贴的照片');
      await Promise.all([page.waitForURL(/\/t\/\d+\?page=1#pid\d+$/), page.click('form button.primary')]);
      const threadUrl = page.url().replace(/#.*$/, '');
      await noViolations(page, errors, 'real upload');

      // member and guest: each placed JPEG is an <img loading=lazy> with its display size, and it loads
      const check = async (pg, who) => {
        await pg.goto(threadUrl);
        const imgs = await pg.$$eval('.pcontent img', (l) => l.map((i) => ({ src: i.getAttribute('src'), lazy: i.getAttribute('loading'),
          w: Number(i.getAttribute('width')), h: Number(i.getAttribute('height')) })));
        for (const [k, aid] of aids.entries()) {
          const img = imgs.find((i) => i.src === `/a/${aid}/display`);
          assert.ok(img, `${who}: attachment ${aid} shown inline: ${JSON.stringify(imgs)}`);
          assert.equal(img.lazy, 'lazy', `${who}: lazy`);
          assert.deepEqual([img.w, img.h], k === 0 ? [1200, 800] : [640, 480], `${who}: sized`);
        }
        for (const aid of aids) {
          const sel = `.pcontent img[src="/a/${aid}/display"]`;
          await pg.$eval(sel, (i) => i.scrollIntoView());
          await pg.waitForFunction((q) => { const i = document.querySelector(q); return i.complete && i.naturalWidth > 0; }, sel);
        }
      };
      await check(page, 'member');
      const guestCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const guest = await guestCtx.newPage();
      await check(guest, 'guest');
      fs.mkdirSync(SHOTS, { recursive: true });
      await guest.screenshot({ path: path.join(SHOTS, 'composer-real-uploads-guest-phone.png'), fullPage: true });
      await guestCtx.close();
      await ctx.close();
    });
});

test('without JavaScript the bar stays hidden and the plain form posts', { timeout: 120000 }, async () => {
  await withBrowserForum({ demo: true, users: [{ name: 'alice', password: PW }] }, async (forum, browser) => {
    const { url } = forum;
    const fid = await addBoard(forum, ['--name', '无脚本']);
    const { ctx, page } = await setup(forum, browser, { javaScriptEnabled: false });
    await page.goto(`${url}/f/${fid}/new`);
    assert.ok(await page.isHidden('.composer-bar'), 'no toolbar without JavaScript');
    assert.ok(await page.isVisible('textarea[name=body]'));
    await page.fill('input[name=title]', '没有脚本的帖子');
    await page.fill('textarea[name=body]', '[b]纯表单[/b] :)');
    await Promise.all([page.waitForURL(/\/t\/\d+\?page=1#pid\d+$/), page.click('button.primary')]);
    assert.match(await page.$eval('.pcontent', (e) => e.innerHTML), /<strong>纯表单<\/strong> <span class="smiley" title="微笑">🙂<\/span>/);
    // the quick reply too
    await page.fill('#qr-body', '快速回复也行');
    await Promise.all([page.waitForURL(/#pid\d+$/), page.click('.quickreply button.primary')]);
    assert.match(await page.content(), /快速回复也行/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/f/${fid}/new`);
    await page.screenshot({ path: path.join(SHOTS, 'composer-nojs-phone.png'), fullPage: true });
    await ctx.close();
  });
});
