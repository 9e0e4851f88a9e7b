// t1300: what the composer (issue #13) needs from the server. Quoting a
// Markdown floor into a BBCode reply (and the reverse) gives a quote in the
// reply's format with its links whole, on the web (?quote=PID[&format=markdown],
// both forms offered to the composer) and in the API (quote_pid + format);
// smiley codes render as emoji; the toolbar's data (draft key, board, upload
// right, palette, smilies) is on the new-thread, reply, edit and quick-reply
// forms; a refused submit shows the form again with the text (so a draft is
// never lost); and the forms still post without any JavaScript.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, csrfOf, PW, webLogin, apiToken, api, addBoard, eventually } from './lib.mjs';

let forum, url, fid, alice, bob, tokA, tokB;

before(async () => {
  forum = await startForum({ demo: false, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }],
    config: { 'post.flood_seconds': 0 } });
  url = forum.url;
  fid = await addBoard(forum, ['--name', '编辑器']);
  alice = await webLogin(url, 'alice');
  bob = await webLogin(url, 'bob');
  tokA = await apiToken(url, 'alice');
  tokB = await apiToken(url, 'bob');
});
after(async () => { if (forum) await forum.stop(); });

const unescape = (s) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const textarea = (html) => unescape(/<textarea[^>]*name="body"[^>]*>([^<]*)<\/textarea>/.exec(html)[1]);
const attr = (html, name) => {
  const m = new RegExp(`${name}="([^"]*)"`).exec(html);
  return m ? unescape(m[1]) : null;
};

const MD = 'See [the **docs**](http://example.com/a_(b)) and http://x.com/y_z now.\n\nSecond *para* 1. done.';
const BB = '[b]粗体[/b] 看 [url=http://example.com/q?a=1&b=2]这个链接[/url] :)\n第二行 [i]斜[/i]';

test('a Markdown floor quoted into a BBCode reply, and a BBCode floor into a Markdown reply', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: 'Markdown 楼', body: MD, format: 'markdown' }, tokA);
  assert.equal(t.status, 201, t.text);
  const r = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: BB, format: 'bbcode' }, tokA);
  assert.equal(r.status, 201, r.text);

  // the reply form defaults to BBCode: the Markdown floor's link becomes [url=...] whole
  let q = await bob.get(`/t/${t.json.tid}/reply?quote=${t.json.pid}`);
  assert.equal(q.status, 200);
  let body = textarea(q.text);
  assert.match(body, new RegExp(`^\\[quote\\]\\[size=2\\]\\[url=/p/${t.json.pid}\\]\\[color=#999999\\]alice 发表于 [^\\n]+\\[/color\\]\\[/url\\]\\[/size\\]\\n`));
  assert.ok(body.includes('See [url=http://example.com/a_(b)]the [b]docs[/b][/url] and http://x.com/y_z now.'), body);
  assert.ok(body.includes('Second [i]para[/i] 1. done.[/quote]'), body);
  assert.ok(!body.includes(']('), 'no Markdown link syntax in a BBCode quote');
  // the composer gets both forms of the quote, to swap when the format changes before editing
  assert.equal(attr(q.text, 'data-quote-bbcode'), body);
  assert.match(attr(q.text, 'data-quote-markdown'), /^> \*\[alice 发表于 .*\]\(\/p\/\d+\)\*\n>\n> See \[the \*\*docs\*\*\]\(http:\/\/example\.com\/a_\\\(b\\\)\) and <http:\/\/x\.com\/y_z> now\.\n>\n> Second \*para\* 1\. done\.\n\n$/);
  // posting it: the link in the reply's HTML is the whole URL
  let p = await bob.post(`/t/${t.json.tid}/reply`, { csrf: csrfOf(q.text), body: body + '同意', format: 'bbcode' });
  assert.equal(p.status, 303, p.text.slice(0, 300));
  let floors = (await api(url, 'GET', `/api/v1/threads/${t.json.tid}`)).json.floors;
  let last = floors[floors.length - 1];
  assert.match(last.body_html, /<div class="quote"><blockquote>.*<a href="http:\/\/example\.com\/a_\(b\)"[^>]*>the <strong>docs<\/strong><\/a>/s);

  // ?format=markdown: the BBCode floor quoted in Markdown, the select on Markdown
  q = await bob.get(`/t/${t.json.tid}/reply?quote=${r.json.pid}&format=markdown`);
  assert.equal(q.status, 200);
  assert.match(q.text, /<option value="markdown" selected>/);
  body = textarea(q.text);
  assert.ok(body.startsWith(`> *[alice 发表于 `), body);
  assert.ok(body.includes(`](/p/${r.json.pid})*\n>\n> **粗体** 看 [这个链接](http://example.com/q?a=1&b=2) 🙂\\\n> 第二行 *斜*\n\n`), body);
  p = await bob.post(`/t/${t.json.tid}/reply`, { csrf: csrfOf(q.text), body: body + '说得好', format: 'markdown' });
  assert.equal(p.status, 303, p.text.slice(0, 300));
  floors = (await api(url, 'GET', `/api/v1/threads/${t.json.tid}`)).json.floors;
  last = floors[floors.length - 1];
  assert.match(last.body_html, /<blockquote>[\s\S]*<a href="http:\/\/example\.com\/q\?a=1&amp;b=2"[^>]*>这个链接<\/a>[\s\S]*<\/blockquote>\n<p>说得好<\/p>/);

  // the API quotes in the reply's format too
  const a = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: 'API 的回复', format: 'markdown', quote_pid: t.json.pid }, tokB);
  assert.equal(a.status, 201, a.text);
  floors = (await api(url, 'GET', `/api/v1/threads/${t.json.tid}`)).json.floors;
  last = floors.find((f) => f.pid === a.json.pid);
  assert.match(last.body_html, /^<blockquote>\n<p><em><a href="\/p\/\d+"[^>]*>alice 发表于 [^<]+<\/a><\/em><\/p>\n<p>See <a href="http:\/\/example\.com\/a_\(b\)"/);
  const b = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: 'BBCode 的回复', quote_pid: t.json.pid }, tokB);
  floors = (await api(url, 'GET', `/api/v1/threads/${t.json.tid}`)).json.floors;
  last = floors.find((f) => f.pid === b.json.pid);
  assert.match(last.body_html, /<div class="quote"><blockquote>.*<a href="http:\/\/example\.com\/a_\(b\)"/s);
});

test('a long floor is quoted to FORUM_QUOTE_EXCERPT (100) characters, never cutting a link', async () => {
  // 95 characters of text, then a link whose text runs past the 100th character
  const src = `${'字'.repeat(95)}[长链接的文字在这里被截断](http://example.com/very/long/path?x=1)之后`;
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '长楼', body: src, format: 'markdown' }, tokA);
  assert.equal(t.status, 201, t.text);
  const q = await bob.get(`/t/${t.json.tid}/reply?quote=${t.json.pid}`);
  const body = textarea(q.text);
  assert.ok(body.endsWith(`\n${'字'.repeat(95)}[url=http://example.com/very/long/path?x=1]长链接的文[/url] ...[/quote]\n`), body);
  const md = attr(q.text, 'data-quote-markdown');
  assert.ok(md.endsWith(`> ${'字'.repeat(95)}[长链接的文](http://example.com/very/long/path?x=1) ...\n\n`), md);
  // 100 characters exactly: no cut
  const t2 = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '刚好', body: '好'.repeat(100) }, tokA);
  const q2 = textarea((await bob.get(`/t/${t2.json.tid}/reply?quote=${t2.json.pid}`)).text);
  assert.ok(q2.endsWith(`\n${'好'.repeat(100)}[/quote]\n`), q2);
});

test('smiley codes render as emoji (not in code or links); the picker offers the default set', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`,
    { title: '表情', body: '好 :) [em]01[/em] {:2_25:} Re:one [code]:)[/code] [url=http://a.com/:)]x :)[/url]' }, tokA);
  assert.equal(t.status, 201, t.text);
  const th = await alice.get(`/t/${t.json.tid}`);
  assert.match(th.text, /好 <span class="smiley" title="微笑">🙂<\/span> <span class="smiley" title="微笑">🙂<\/span> <span class="smiley" title="酷猴">🐵<\/span> Re:one/);
  assert.match(th.text, /<code>:\)<\/code>/);
  assert.match(th.text, />x :\)<\/a>/);
  // Markdown too
  const m = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: '**:D** `:)`', format: 'markdown' }, tokA);
  assert.equal(m.status, 201);
  const fl = (await api(url, 'GET', `/api/v1/threads/${t.json.tid}`)).json.floors.find((f) => f.pid === m.json.pid);
  assert.equal(fl.body_html, '<p><strong><span class="smiley" title="大笑">😄</span></strong> <code>:)</code></p>\n');
  // the quick reply's picker: the 24 faces of the default set, in order
  const codes = [...th.text.matchAll(/data-smiley="([^"]*)"/g)].map((x) => unescape(x[1]));
  assert.equal(codes.length, 24);
  assert.deepEqual(codes.slice(0, 4), [':)', ':(', ':D', ":'("]);
});

test('the composer is on every posting form, keyed by the form, with the board and the upload right', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '表单', body: '一楼' }, tokA);
  const forms = [
    [`/f/${fid}/new`, `/f/${fid}/new`],
    [`/t/${t.json.tid}/reply`, `/t/${t.json.tid}/reply`],
    [`/p/${t.json.pid}/edit`, `/p/${t.json.pid}/edit`],
    [`/t/${t.json.tid}`, `/t/${t.json.tid}/reply`],   // the quick reply shares the reply form's draft
  ];
  for (const [path, key] of forms) {
    const r = await alice.get(path);
    assert.equal(r.status, 200, path);
    assert.match(r.text, /<div class="composer-bar" hidden data-composer /, `${path}: the bar, hidden until the script shows it`);
    assert.equal(attr(r.text, 'data-draft-key'), key, path);
    assert.equal(attr(r.text, 'data-fid'), String(fid), path);
    assert.equal(attr(r.text, 'data-upload'), '/attachments', path);
    assert.match(r.text, /<script src="\/static\/composer\.js\?v=[0-9a-f]+" defer><\/script>/, path);
    assert.equal([...r.text.matchAll(/data-color="/g)].length, 40, `${path}: the 40-colour palette`);
    assert.match(r.text, /class="sw bg-darkolivegreen" data-color="darkolivegreen"/);
  }
  // no upload right: no data-upload, no 附件 button, no upload script
  const r0 = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '10', '--upload', '0']);
  assert.equal(r0.code, 0, r0.stderr);
  // board permissions are re-read every 2 s
  await eventually(async () => attr((await alice.get(`/f/${fid}/new`)).text, 'data-upload') === null, 'the upload right to go');
  const r = await alice.get(`/f/${fid}/new`);
  assert.doesNotMatch(r.text, /data-cmd="attach"|upload\.js/);
  // guests see no composer on the thread page
  const g = await new Client(url).get(`/t/${t.json.tid}`);
  assert.doesNotMatch(g.text, /data-composer/);
  // the scripts are served
  for (const name of ['composer.js', 'upload.js']) {
    const s = await new Client(url).get(`/static/${name}`);
    assert.equal(s.status, 200);
    assert.match(s.headers.get('content-type'), /javascript/);
  }
});

test('a refused submit shows the form again with the text (the draft is never lost)', async () => {
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '拒绝', body: '一楼' }, tokA);
  const form = await alice.get(`/t/${t.json.tid}/reply`);
  const csrf = csrfOf(form.text);
  // too long: 413 and the form with the text
  const long = '长'.repeat(30000);
  let r = await alice.post(`/t/${t.json.tid}/reply`, { csrf, body: long, format: 'markdown' });
  assert.equal(r.status, 413);
  assert.equal(textarea(r.text), long);
  assert.match(r.text, /<option value="markdown" selected>/);
  assert.match(r.text, /class="form-error"/);
  assert.match(r.text, /data-draft-key="\/t\/\d+\/reply"/);
  // a new thread without a title: 400, title and body kept
  const nf = await alice.get(`/f/${fid}/new`);
  r = await alice.post(`/f/${fid}/new`, { csrf: csrfOf(nf.text), title: '', body: '没有标题的正文 :)' });
  assert.equal(r.status, 400);
  assert.equal(textarea(r.text), '没有标题的正文 :)');
  // flood control (429) shows the form with the text too: t0400
});
