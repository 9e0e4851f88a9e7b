// t1545: profiles (issue #15, P2): /settings/profile and PATCH /api/v1/me/profile (signature with limited
// BBCode, length and line limits; bio, gender, location, website: optional, escaped, validated), the
// signature under each of the member's posts (joined: the thread page stays at 3 queries), hidden per
// viewer by their own switch (a hole: the cached pages stay shared), and the user page /u/{uid}: profile,
// 发消息, threads and replies paged by keyset, only what the viewer may see.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, webLogin, apiToken, api, queriesOf, csrfOf, addBoard, eventually } from './lib.mjs';
import { cliPost } from './sweep.mjs';

const PW = 'correct horse battery';
let forum, url, fid, tid, hidden, uidA;
const tok = {};

before(async () => {
  forum = await startForum({
    demo: false,
    config: { 'post.flood_seconds': '0' },
    users: ['alice', 'bob', 'carol'].map((name) => ({ name, password: PW })).concat([{ name: 'root', password: PW, admin: true }]),
  });
  url = forum.url;
  for (const n of ['alice', 'bob', 'carol']) tok[n] = await apiToken(url, n);
  uidA = Number((await api(url, 'GET', '/api/v1/me', undefined, tok.alice)).json.uid);
  fid = await addBoard(forum, ['--name', '茶馆']);
  hidden = await addBoard(forum, ['--name', '密室']);
  [tid] = await cliPost(forum, 'alice', ['--board', String(fid), '--subject', '第一帖'], '楼主正文');
  await cliPost(forum, 'bob', ['--thread', String(tid)], '二楼');
  await cliPost(forum, 'alice', ['--thread', String(tid)], '三楼');
});
after(async () => { await forum?.stop(); });

test('/settings/profile saves every field; the user page shows them escaped; 发消息 for others', async () => {
  const a = await webLogin(url, 'alice');
  const form = await a.get('/settings/profile');
  assert.equal(form.status, 200);
  assert.ok(queriesOf(form.text) <= 3);
  const r = await a.post('/settings/profile', {
    csrf: csrfOf(form.text), gender: '2', location: '杭州 <b>西湖</b>', website: 'https://example.com/~alice?a=1&b=2',
    bio: '爱爬山。\n<script>alert(1)</script>', sig: '[b]行到水穷处[/b]，坐看云起时。 [img]https://evil.example/x.png[/img]',
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.headers.get('location'), '/settings/profile?saved=1');
  const saved = await a.get('/settings/profile?saved=1');
  assert.match(saved.text, /个人资料已保存/);
  assert.match(saved.text, /name="gender" value="2" checked/);

  const b = await webLogin(url, 'bob');
  const page = await b.get(`/u/${uidA}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<em class="gender">女<\/em>/);
  assert.match(page.text, /杭州 &lt;b&gt;西湖&lt;\/b&gt;/);
  assert.match(page.text, /href="https:\/\/example.com\/~alice\?a=1&amp;b=2" rel="nofollow ugc noopener"/);
  assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(page.text, /<script>alert/);
  assert.match(page.text, /<strong>行到水穷处<\/strong>/);
  assert.doesNotMatch(page.text, /<img[^>]+evil\.example/, 'no images in signatures');
  assert.match(page.text, /href="\/pm\/new\?to=alice">发消息<\/a>/);
  assert.ok(queriesOf(page.text) <= 3, `user page: ${queriesOf(page.text)} queries`);
  // not on one's own page, not for guests
  assert.doesNotMatch((await a.get(`/u/${uidA}`)).text, /class="btn primary sendpm"/);
  assert.doesNotMatch((await get(`${url}/u/${uidA}`)).text, /class="btn primary sendpm"/);
  // the 发消息 link opens the form addressed to alice
  const pm = await b.get('/pm/new?to=alice');
  assert.equal(pm.status, 200);
  assert.match(pm.text, /name="to" value="alice"/);
});

test('signatures under each post, with the thread page at 3 queries; a viewer may hide them', async () => {
  const b = await webLogin(url, 'bob');
  const t = await b.get(`/t/${tid}`);
  assert.equal(t.status, 200);
  const sigs = t.text.match(/<div class="sig">/g) ?? [];
  assert.equal(sigs.length, 2, 'alice\'s two floors carry her signature, bob\'s none');
  assert.match(t.text, /<div class="sig"><strong>行到水穷处<\/strong>/);
  assert.ok(queriesOf(t.text) <= 3, `thread page: ${queriesOf(t.text)} queries`);
  assert.match(t.text, /<main class="wrap" id="main">/);
  assert.match(t.text, /class="act-pm" href="\/pm\/new\?to=alice">发消息<\/a>/, '发消息 in the author sidebar');
  const g = await get(`${url}/t/${tid}`);
  assert.ok(queriesOf(g.text) <= 3);
  assert.match(g.text, /<div class="sig">/);
  assert.doesNotMatch(g.text, /act-pm/, 'guests get no 发消息');

  // carol hides signatures (API), bob does not; both read the same cached page
  const r = await api(url, 'PATCH', '/api/v1/me/profile', { hide_signatures: true }, tok.carol);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hide_signatures, true);
  const c = await webLogin(url, 'carol');
  for (let i = 0; i < 2; i++) {
    const ct = await c.get(`/t/${tid}`);
    assert.match(ct.text, /<main class="wrap sigoff" id="main">/);
    assert.ok(queriesOf(ct.text) <= 3);
    const bt = await b.get(`/t/${tid}`);
    assert.match(bt.text, /<main class="wrap" id="main">/);
  }
  const g2 = await get(`${url}/t/${tid}`);
  assert.match(g2.text, /<main class="wrap" id="main">/, 'the guest cache is untouched');
});

test('limits and validation: web and API', async () => {
  const a = await webLogin(url, 'alice');
  const form = await a.get('/settings/profile');
  const cases = [
    [{ sig: '字'.repeat(200) }, 303],
    [{ sig: '字'.repeat(201) }, 413],
    [{ sig: '一\n二\n三\n四' }, 303],
    [{ sig: '一\n二\n三\n四\n五' }, 413],
    [{ bio: '字'.repeat(500) }, 303],
    [{ bio: '字'.repeat(501) }, 413],
    [{ bio: Array(11).fill('行').join('\n') }, 413],
    [{ location: '地'.repeat(40) }, 303],
    [{ location: '地'.repeat(41) }, 413],
    [{ location: '上海\n浦东' }, 413],
    [{ website: 'javascript:alert(1)' }, 400],
    [{ website: 'https://x.example/"onmouseover="x' }, 400],
    [{ website: 'https://' + 'a'.repeat(193) }, 400],
    [{ website: 'https://' + 'a'.repeat(192) }, 303],
    [{ gender: '3' }, 400],
    [{ gender: 'x' }, 400],
    [{ sig: '\u200b\u200b' }, 400],
    [{ sig: 'a\u0001b' }, 400],
  ];
  for (const [f, want] of cases) {
    const r = await a.post('/settings/profile', { csrf: csrfOf(form.text), ...f });
    assert.equal(r.status, want, `${JSON.stringify(f).slice(0, 60)}: ${r.status}`);
    if (want !== 303) {
      assert.match(r.text, /class="form-error"/);
      assert.match(r.text, /class="field-error"/, 'the field is marked');
    }
  }
  const api5 = [
    [{ signature: '字'.repeat(201) }, 413],
    [{ signature: 5 }, 400],
    [{ gender: 3 }, 400],
    [{ gender: '1' }, 400],
    [{ hide_signatures: 'yes' }, 400],
    [{ website: 'ftp://x' }, 400],
    [{ bio: '新的简介', gender: 1 }, 200],
  ];
  for (const [body, want] of api5) {
    const r = await api(url, 'PATCH', '/api/v1/me/profile', body, tok.alice);
    assert.equal(r.status, want, `${JSON.stringify(body).slice(0, 60)}: ${r.text}`);
  }
  const last = await api(url, 'PATCH', '/api/v1/me/profile', {}, tok.alice);
  assert.equal(last.json.bio, '新的简介', 'absent fields stay');
  assert.equal(last.json.gender, 1);
  assert.equal((await api(url, 'PATCH', '/api/v1/me/profile', { bio: 'x' })).status, 401);
  assert.equal((await get(`${url}/settings/profile`)).status, 403);
});

test('the user page: threads and replies paged by keyset, hidden boards left out', async () => {
  for (let i = 0; i < 12; i++) await cliPost(forum, 'carol', ['--board', String(fid), '--subject', `卡罗尔的主题 ${i}`], `正文 ${i}`);
  for (let i = 0; i < 12; i++) await cliPost(forum, 'carol', ['--thread', String(tid)], `卡罗尔的回复 ${i}`);
  const [ht] = await cliPost(forum, 'carol', ['--board', String(hidden), '--subject', '密室里的主题 Xs9Hidden'], '秘密');
  await cliPost(forum, 'carol', ['--thread', String(ht)], '密室里的回复');
  for (const g of [2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15].map(String)) {   // every group but admins'
    const r = await forum.run(['board', 'perm', '--fid', String(hidden), '--group', g, '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
  }
  await eventually(async () => (await get(`${url}/f/${hidden}`)).status === 403, 'the hidden board');
  const b0 = await webLogin(url, 'bob');
  await eventually(async () => (await b0.get(`/f/${hidden}`)).status === 403, 'the hidden board for members');
  const uidC = Number((await api(url, 'GET', '/api/v1/me', undefined, tok.carol)).json.uid);
  const seen = { threads: [], replies: [] };
  const b = await webLogin(url, 'bob');
  let page = await b.get(`/u/${uidC}`);
  assert.doesNotMatch(page.text, /Xs9Hidden/);
  const titles = (html, cls) => [...html.split(`class="box recent-${cls}"`)[1].split('</section>')[0]
    .matchAll(/<li><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
  seen.threads.push(...titles(page.text, 'threads'));
  seen.replies.push(...titles(page.text, 'replies'));
  assert.equal(seen.threads.length, 9, 'ten rows read, the hidden one left out');
  let next = page.text.match(/href="\/u\/\d+\?threads=(\d+)"/);
  assert.ok(next, 'a link to older threads');
  page = await b.get(`/u/${uidC}?threads=${next[1]}`);
  assert.ok(queriesOf(page.text) <= 3);
  assert.doesNotMatch(page.text, /class="box recent-replies"/, 'a page of threads only');
  seen.threads.push(...titles(page.text, 'threads'));
  assert.deepEqual(seen.threads, Array.from({ length: 12 }, (_, i) => `卡罗尔的主题 ${11 - i}`));
  assert.doesNotMatch(page.text, /\?threads=\d+"/, 'no further page');
  next = (await b.get(`/u/${uidC}`)).text.match(/href="\/u\/\d+\?replies=(\d+)"/);
  page = await b.get(`/u/${uidC}?replies=${next[1]}`);
  seen.replies.push(...titles(page.text, 'replies'));
  assert.equal(seen.replies.length, 12, 'every visible reply once');
  assert.equal((await b.get(`/u/${uidC}?threads=abc`)).status, 400);
  assert.equal((await b.get(`/u/${uidC}?replies=0`)).status, 400);
  // an admin sees the hidden board's thread
  const root = await webLogin(url, 'root');
  assert.match((await root.get(`/u/${uidC}`)).text, /Xs9Hidden/);
});

test('Discuz! URLs of the space, 短消息 and profile settings answer 301', async () => {
  const cases = [
    [`/home.php?mod=space&uid=${uidA}`, `/u/${uidA}`], [`/home.php?uid=${uidA}`, `/u/${uidA}`],
    [`/space-uid-${uidA}.html`, `/u/${uidA}`], ['/home.php?mod=space&do=pm', '/pm'],
    ['/home.php?mod=spacecp&ac=pm', '/pm'], ['/home.php?mod=spacecp&ac=profile', '/settings/profile'],
  ];
  for (const [from, to] of cases) {
    const r = await fetch(url + from, { redirect: 'manual' });
    assert.equal(r.status, 301, from);
    assert.equal(r.headers.get('location'), to, from);
  }
  for (const bad of ['/home.php?mod=space&uid=0', '/home.php?mod=space&uid=x', '/space-uid-01.html']) {
    assert.equal((await fetch(url + bad, { redirect: 'manual' })).status, 400, bad);
  }
  assert.equal((await fetch(url + '/home.php?mod=space', { redirect: 'manual' })).status, 404);
  assert.equal((await fetch(url + '/home.php?mod=magic', { redirect: 'manual' })).status, 404);
});
