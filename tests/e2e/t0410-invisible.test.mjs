// t0410: text a reader cannot see is refused. Titles and bodies made only of
// invisible characters (U+200B, U+3000, NBSP, U+2028, Hangul fillers, a lone
// bidi override) and titles or reasons with an unpaired bidi control
// (U+202A-202E, U+2066-2069) are 400, on the web (back to the form with the
// message) and in the API (JSON error); nothing is written. Paired controls and
// visible text around invisible characters are accepted.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, csrfOf, PW, webLogin, apiToken, api, addBoard } from './lib.mjs';

let forum, url, fid, alice, tokA, tokB, tokM, tid, pid;
const INVISIBLE = ['\u200b', '\u3000\u3000', '\u00a0', '\u2028', '\u200b \u3000\u00a0\u2029', '\u3164', '\u202e',
  '\u2066\u2069', '\ufeff\u2060', '\u2800', '\u0301'];
const UNPAIRED = ['abc\u202e', '\u202ddef', 'x\u202cy', '\u2067abc', 'a\u2069', '\u202aab\u2069'];

before(async () => {
  const users = [{ name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'boss', password: PW, admin: true }];
  forum = await startForum({ demo: false, users, config: { 'post.flood_seconds': 0 } });
  url = forum.url;
  fid = await addBoard(forum, ['--name', '测试版']);
  alice = await webLogin(url, 'alice');
  tokA = await apiToken(url, 'alice');
  tokB = await apiToken(url, 'bob');
  tokM = await apiToken(url, 'boss');
  const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '正常标题', body: '正文' }, tokA);
  assert.equal(t.status, 201, t.text);
  ({ tid, pid } = t.json);
});
after(async () => { if (forum) await forum.stop(); });

async function threadCount() {
  const r = await api(url, 'GET', `/api/v1/boards/${fid}/threads`);
  return r.json.threads.length;
}

test('API: invisible or unpaired-bidi titles, invisible bodies: 400 JSON, nothing written', async () => {
  const n = await threadCount();
  for (const title of [...INVISIBLE, ...UNPAIRED]) {
    const r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title, body: '正文' }, tokA);
    assert.equal(r.status, 400, `title ${JSON.stringify(title)}: ${r.text}`);
    assert.match(r.json.error.message, /请填写标题|文字方向控制符/);
  }
  for (const body of INVISIBLE) {
    let r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '标题', body }, tokA);
    assert.equal(r.status, 400, `body ${JSON.stringify(body)}: ${r.text}`);
    assert.match(r.json.error.message, /请填写内容/);
    r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body }, tokA);
    assert.equal(r.status, 400, `reply ${JSON.stringify(body)}: ${r.text}`);
    r = await api(url, 'PATCH', `/api/v1/posts/${pid}`, { body }, tokA);
    assert.equal(r.status, 400, `edit ${JSON.stringify(body)}: ${r.text}`);
  }
  const r = await api(url, 'PATCH', `/api/v1/posts/${pid}`, { body: '正文', title: '\u3000\u200b' }, tokA);
  assert.equal(r.status, 400, r.text);
  assert.equal(await threadCount(), n, 'no thread was written');
  // visible text with invisible characters around it, and paired controls, are fine
  for (const title of ['\u3000标题\u200b', 'a\u202eb\u202c', '\u2067עברית\u2069 ok']) {
    const ok = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title, body: '\u00a0x' }, tokA);
    assert.equal(ok.status, 201, `${JSON.stringify(title)}: ${ok.text}`);
  }
});

test('web: the form comes back with the message', async () => {
  const form = await alice.get(`/f/${fid}/new`);
  let r = await alice.post(`/f/${fid}/new`, { csrf: csrfOf(form.text), title: '\u3000\u200b', body: '正文' });
  assert.equal(r.status, 400);
  assert.match(r.text, /请填写标题：不能只有空格或不可见字符/);
  assert.match(r.text, /<form[^>]*action="\/f\/\d+\/new"/, 'the form again');
  r = await alice.post(`/f/${fid}/new`, { csrf: csrfOf(form.text), title: '反转\u202e', body: '正文' });
  assert.equal(r.status, 400);
  assert.match(r.text, /标题包含未成对的文字方向控制符/);
  r = await alice.post(`/f/${fid}/new`, { csrf: csrfOf(form.text), title: '好标题', body: '\u2028\u3000' });
  assert.equal(r.status, 400);
  assert.match(r.text, /请填写内容/);
  const rf = await alice.get(`/t/${tid}/reply`);
  r = await alice.post(`/t/${tid}/reply`, { csrf: csrfOf(rf.text), body: '\u200b\u200b' });
  assert.equal(r.status, 400);
  assert.match(r.text, /请填写内容/);
});

test('reasons: reports, ratings and moderator notes refuse invisible text and unpaired bidi controls', async () => {
  for (const reason of [...INVISIBLE.filter((s) => s !== '\u2028'), ...UNPAIRED]) {
    const r = await api(url, 'POST', `/api/v1/posts/${pid}/report`, { reason }, tokB);
    assert.equal(r.status, 400, `report ${JSON.stringify(reason)}: ${r.text}`);
    const rr = await api(url, 'POST', `/api/v1/posts/${pid}/rate`, { credit: '威望', score: 1, reason }, tokM);
    assert.equal(rr.status, 400, `rate ${JSON.stringify(reason)}: ${rr.text}`);
  }
  const bob = await webLogin(url, 'bob');
  const form = await bob.get(`/p/${pid}/report`);
  assert.equal(form.status, 200);
  // a refused report goes back to where the member was, the reason shown there once (issue 17)
  const refused = async (reason, message) => {
    const r = await bob.post(`/p/${pid}/report`, { csrf: csrfOf(form.text), reason });
    assert.equal(r.status, 303, r.text);
    const back = await bob.get(new URL(r.headers.get('location'), url).pathname + new URL(r.headers.get('location'), url).search);
    assert.match(back.text, message);
  };
  await refused('\u3000', /请填写理由/);
  await refused('广告\u202e', /理由包含未成对的文字方向控制符/);
  let r;
  // a visible reason is taken; the moderator's note is checked the same way
  r = await api(url, 'POST', `/api/v1/posts/${pid}/report`, { reason: '广告' }, tokB);
  assert.equal(r.status, 201, r.text);
  const rid = r.json.id;
  r = await api(url, 'POST', `/api/v1/reports/${rid}/handle`, { note: '\u202e已处理' }, tokM);
  assert.equal(r.status, 400, r.text);
  r = await api(url, 'POST', `/api/v1/reports/${rid}/handle`, { note: '\u200b' }, tokM);
  assert.equal(r.status, 400, r.text);
  r = await api(url, 'POST', `/api/v1/reports/${rid}/handle`, { note: '' }, tokM);
  assert.equal(r.status, 200, 'a note is optional');
  r = await api(url, 'POST', `/api/v1/posts/${pid}/rate`, { credit: '威望', score: 1, reason: '\u2066好\u2069' }, tokM);
  assert.equal(r.status, 200, r.text);
});

test('board and thread type names from the CLI: visible, bidi paired', async () => {
  for (const args of [['--name', '\u3000\u200b'], ['--name', '版\u202e'], ['--name', '好版', '--types', '\u200b,闲聊']]) {
    const r = await forum.run(['board', 'add', ...args]);
    assert.notEqual(r.code, 0, `${JSON.stringify(args)} accepted`);
  }
  const r = await forum.run(['board', 'add', '--name', '\u3000好版\u3000']);
  assert.equal(r.code, 0, r.stderr);
});
