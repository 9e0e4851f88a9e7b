// t1836: 匿名 threads and posts (thread.anonymous, post.anonymous; Discuz!'s isanonymous, kept by the importer).
// Everywhere an author is shown -- thread floors and the author sidebar, board lists, the index's last post,
// guide/rankings, search (and its author filter), RSS, Archiver, 手机版, the API's JSON, the member's space,
// 只看该作者, likes and rating pages, quotes -- an anonymous one shows 匿名 with no link, avatar, signature or
// statistics, and neither the real name nor the uid is in the HTML or JSON, for guests and members alike;
// the board's moderators see the real name marked 匿名. The page caches never hand a moderator's render to
// anyone else (guest first, moderator, guest again; a moderator first, then a member). The rows are written
// with the CLI and then marked anonymous with sql(), as an import would leave them.
// SQLite, and PostgreSQL with LOULAN_TEST_PG.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startForum, get, webLogin, apiToken, api, sql, sqlValue, queriesOf, csrfOf, exec, loulanBin, PW,
} from './lib.mjs';

const SECRET = '隐身侠客';   // the anonymous author's name: must never show to others
let forum, uid, fid, tid, ptid, rpid, fpid;
before(async () => {
  forum = await startForum({
    demo: true,
    users: [{ name: SECRET, password: PW }, { name: 'bob', password: PW }, { name: 'moda', password: PW },
      { name: 'modb', password: PW }, { name: 'zzz_newest', password: PW }],
  });
  fid = Number(/fid=(\d+) name=灌水乐园/.exec((await forum.run(['board', 'list'])).stdout)[1]);
  const other = Number(/fid=(\d+) name=技术交流/.exec((await forum.run(['board', 'list'])).stdout)[1]);
  uid = Number(await sqlValue(forum, `SELECT uid FROM member WHERE username = '${SECRET}'`));
  const run = async (args, body) => {
    const storage = forum.db ? ['--data', forum.dir, '--db', forum.db] : ['--data', forum.dir];
    const r = await exec(loulanBin(), [...args, ...storage], { input: body });
    assert.equal(r.code, 0, r.stderr);
    return Object.fromEntries(r.stdout.trim().split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
  };
  // an anonymous thread (its first floor too) and an anonymous reply in another thread, both by SECRET
  ({ tid } = await run(['post', '--name', SECRET, '--as-admin', '--board', String(fid), '--subject', '匿名主题：说说心里话'],
    '这是匿名发表的主题正文 flyingfish'));
  fpid = Number(await sqlValue(forum, `SELECT pid FROM post WHERE tid = ${tid} AND position = 1`));
  ({ tid: ptid } = await run(['post', '--name', 'bob', '--as-admin', '--board', String(fid), '--subject', '普通主题'], '普通正文'));
  ({ pid: rpid } = await run(['post', '--name', SECRET, '--as-admin', '--thread', String(ptid)], '匿名回复 swordfish'));
  // SECRET's profile has a signature that must not show on the anonymous floors
  await sql(forum, `INSERT INTO profile(uid, sig_html) VALUES (${uid}, '<p>SIG-OF-SECRET</p>')`);
  await sql(forum, `UPDATE thread SET anonymous = 1 WHERE tid = ${tid}`);
  await sql(forum, `UPDATE post SET anonymous = 1 WHERE tid = ${tid} AND position = 1`);
  await sql(forum, `UPDATE post SET anonymous = 1 WHERE pid = ${rpid}`);
  // the importer stores an anonymous last poster as '' (Discuz! does)
  await sql(forum, `UPDATE thread SET lastposter = '' WHERE tid IN (${tid}, ${ptid})`);
  await sql(forum, `UPDATE board SET lastposter = '' WHERE fid = ${fid}`);
  // moda moderates the board, modb another one
  for (const [n, f] of [['moda', fid], ['modb', other]]) {
    const r = await forum.run(['board', 'mod', '--fid', String(f), '--name', n]);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(() => forum?.stop());

/** no real name, no uid link, no signature, no sidebar stats of SECRET in an answer */
function clean(text, what) {
  assert.ok(!text.includes(SECRET), `${what}: the real name is shown`);
  assert.ok(!text.includes('SIG-OF-SECRET'), `${what}: the signature is shown`);
  assert.doesNotMatch(text, new RegExp(`/u/${uid}(?!\\d)|/avatar/${uid}/|author=${uid}(?!\\d)`), `${what}: the uid is linked`);
  assert.doesNotMatch(text, new RegExp(`"(authorid|uid)":\\s*${uid}(?!\\d)`), `${what}: the uid is in the JSON`);
}
const as = async (client, path) => {
  const r = client ? await client.get(path) : await get(forum.url + path);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  if (/text\/html/.test(r.headers.get('content-type') ?? '')) assert.ok(queriesOf(r.text) <= 3, `${path}: queries`);
  return r.text;
};

test('guests and members: every page and JSON answer shows 匿名, never the name or uid', async () => {
  const bob = await webLogin(forum.url, 'bob');
  const token = await apiToken(forum.url, 'bob');
  const pages = [
    `/t/${tid}`, `/t/${ptid}`, `/t/${tid}?mobile=2`, `/t/${ptid}?mobile=2`, `/f/${fid}`, '/', '/?mobile=2', '/guide',
    '/guide?view=new', '/ranklist', `/archiver/?tid-${tid}.html`, `/archiver/?tid-${ptid}.html`, `/archiver/?fid-${fid}.html`,
    `/t/${tid}?author=${uid}`, `/t/${ptid}?author=${uid}`, `/p/${rpid}/likes`,
    '/search?q=flyingfish', '/search?q=swordfish',
  ];
  for (const who of [null, bob]) {
    for (const path of pages) clean(await as(who, path), `${who ? 'bob' : 'guest'} ${path}`);
  }
  // the floors say 匿名, without avatar or link
  const t = await as(null, `/t/${tid}`);
  assert.match(t, /<div class="aname anon">匿名<\/div>/);
  assert.match(t, /这是匿名发表的主题正文/);
  const p = await as(bob, `/t/${ptid}`);
  assert.match(p, /<div class="aname anon">匿名<\/div>[\s\S]*?匿名回复 swordfish/);
  assert.match(await as(null, `/f/${fid}`), /<span class="anon">匿名<\/span>/);
  // search finds the posts, shown as 匿名; the author filter does not find them
  assert.match(await as(null, '/search?q=swordfish'), /<span class="anon">匿名<\/span>/);
  assert.doesNotMatch(await as(null, `/search?q=swordfish&author=${encodeURIComponent(SECRET)}`), /swordfish<\/|class="anon"/);
  // the space lists neither
  const space = await as(null, `/u/${uid}`);
  assert.doesNotMatch(space, /匿名主题|普通主题/);
  // feeds
  for (const path of ['/rss', `/f/${fid}/rss`]) {
    const r = await get(forum.url + path);
    assert.equal(r.status, 200);
    clean(r.text, path);
    assert.match(r.text, /<dc:creator>匿名<\/dc:creator>/);
  }
  // the API, as a guest and with bob's token
  for (const tk of [undefined, token]) {
    for (const path of [`/api/v1/threads/${tid}`, `/api/v1/threads/${ptid}`, `/api/v1/boards/${fid}/threads`, '/api/v1/boards',
      '/api/v1/search?q=swordfish', '/api/v1/search?q=flyingfish']) {
      const r = await api(forum.url, 'GET', path, undefined, tk);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      clean(r.text, `api ${path}`);
    }
    const th = (await api(forum.url, 'GET', `/api/v1/threads/${tid}`, undefined, tk)).json;
    assert.equal(th.thread.author, '匿名');
    assert.equal(th.thread.authorid, 0);
    assert.equal(th.thread.anonymous, true);
    assert.equal(th.floors[0].author, '匿名');
    assert.equal(th.floors[0].authorid, 0);
    assert.equal(th.floors[0].author_posts, 0);
    const rp = (await api(forum.url, 'GET', `/api/v1/threads/${ptid}`, undefined, tk)).json.floors.find((f) => f.pid === rpid);
    assert.deepEqual([rp.author, rp.authorid, rp.anonymous], ['匿名', 0, true]);
    assert.equal((await api(forum.url, 'GET', `/api/v1/threads/${ptid}`, undefined, tk)).json.floors[0].anonymous, false);
  }
  // a quote of an anonymous floor is 匿名's, whoever quotes it (it becomes public text)
  const q = await as(bob, `/t/${ptid}/reply?quote=${rpid}`);
  assert.match(q, /匿名 发表于/);
  clean(q, 'quote');
  // 收藏
  const fav = await bob.post(`/t/${tid}/favorite`, { csrf: csrfOf(await as(bob, `/t/${tid}`)) });
  assert.ok([200, 303].includes(fav.status), `favorite: ${fav.status}`);
  clean(await as(bob, '/favorites'), 'favorites');
});

test('the board\'s moderators (and admins) see the real name marked 匿名; other moderators do not', async () => {
  const moda = await webLogin(forum.url, 'moda');
  const t = await as(moda, `/t/${tid}`);
  assert.match(t, new RegExp(`<a href="/u/${uid}">${SECRET}</a> <em class="anon-mark"[^>]*>匿名</em>`));
  assert.match(await as(moda, `/f/${fid}`), new RegExp(`${SECRET}</a> <em class="anon-mark"`));
  const tk = await apiToken(forum.url, 'moda');
  const th = (await api(forum.url, 'GET', `/api/v1/threads/${tid}`, undefined, tk)).json;
  assert.deepEqual([th.thread.author, th.thread.authorid, th.thread.anonymous], [SECRET, uid, true]);
  // modb moderates another board: a member here
  const modb = await webLogin(forum.url, 'modb');
  clean(await as(modb, `/t/${tid}`), 'modb thread');
  clean(await as(modb, `/f/${fid}`), 'modb board');
  const tkb = await apiToken(forum.url, 'modb');
  clean((await api(forum.url, 'GET', `/api/v1/threads/${tid}`, undefined, tkb)).text, 'modb api');
});

test('page caches: a moderator\'s render never reaches a guest or a member', async () => {
  const path = `/t/${ptid}`;
  // guest first (stored), moderator, guest again (a hit)
  clean(await as(null, path), 'guest 1');
  const moda = await webLogin(forum.url, 'moda');
  assert.ok((await as(moda, path)).includes(SECRET), 'the moderator sees the name');
  const g2 = await get(forum.url + path);
  clean(g2.text, 'guest after the moderator');
  // moderator first on a fresh page, then guest and member
  const fresh = `/t/${ptid}?page=1`;
  assert.ok((await as(moda, fresh)).includes(SECRET));
  assert.ok((await as(moda, `/t/${ptid}?mobile=2`)).includes(SECRET));
  clean(await as(null, fresh), 'guest after a moderator first');
  clean(await as(null, `/t/${ptid}?mobile=2`), 'guest mobile after a moderator first');
  const bob = await webLogin(forum.url, 'bob');
  clean(await as(bob, fresh), 'member after a moderator first');
  clean(await as(bob, fresh), 'member hit');
});

test('the author keeps their rights on their anonymous post (edit), seen by no one else', async () => {
  const me = await webLogin(forum.url, SECRET);
  const t = await as(me, `/t/${ptid}`);
  assert.match(t, new RegExp(`href="/p/${rpid}/edit"`), 'the author may edit');
  const bob = await webLogin(forum.url, 'bob');
  assert.doesNotMatch(await as(bob, `/t/${ptid}`), new RegExp(`href="/p/${rpid}/edit"`));
  clean(await as(bob, `/t/${ptid}`), 'bob after the author');
  assert.ok(fpid > 0);
});

test('demo: the second floor of 西湖晨雾 (摄影分享) is 匿名 to guests; the admin sees 小马过河', async () => {
  const t = Number(await sqlValue(forum, "SELECT tid FROM thread WHERE subject LIKE '西湖晨雾%'"));
  const html = await as(null, `/t/${t}`);
  assert.match(html, /<div class="aname anon">匿名<\/div>/);
  assert.ok(!html.includes('小马过河'), 'the demo anonymous author is not named');
  const admin = await sqlValue(forum, "SELECT COUNT(*) FROM post WHERE tid = " + t + " AND position = 2 AND anonymous = 1");
  assert.equal(admin, '1');
});
