// t1846: imported Discuz! content renders as it did and its old URLs answer (issue 18). The fixture of
// tests/discuz/ is imported; then thread 1 is read as a guest, as a member who never replied, as 张三 who
// replied (floor 2, a quote of floor 1 with Discuz!'s findpost heading) and as its author: [hide] per viewer,
// [free], the [i=s] edit stamp, the quote heading linking /p/1 as loulan's own quotes do, the scheme-less
// [url=forum.php?...] going through the old-URL redirector, smilies; the old URLs with the kept ids.
// Needs LOULAN_TEST_MYSQL (scripts/mariadb.sh); runs on SQLite, and on PostgreSQL with LOULAN_TEST_PG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, startDiscuz, discuzSkip, exec, loulanBin, get, sql, webLogin, apiToken, api, PW } from './lib.mjs';

const skip = discuzSkip() || false;
const HIDDEN = '回复后可见的内容';

test('imported posts: the Discuz! dialect per viewer, and the old URLs of the kept ids', { skip }, async () => {
  const dz = await startDiscuz();
  let forum;
  try {
    forum = await startForum({
      demo: false,
      beforeServe: async ({ dir, db }) => {
        const r = await exec(loulanBin(), ['import-discuz', '--from', dz.url, ...(db ? ['--db', db] : ['--data', dir])]);
        assert.equal(r.code, 0, `import-discuz: ${r.stderr}`);
      },
    });
    // members that sign in with a password we know: 张三 (uid 4, replied in thread 1), admin (its author), a newcomer
    const add = await forum.run(['user', 'add', '--name', 'probe'], `${PW}\n`);
    assert.equal(add.code, 0, add.stderr);
    await sql(forum, "UPDATE member SET pwhash = (SELECT pwhash FROM member WHERE username = 'probe') WHERE uid IN (1, 4)");

    const guest = await get(`${forum.url}/t/1`);
    assert.equal(guest.status, 200);
    const h = guest.text;
    assert.ok(!h.includes(HIDDEN), 'a guest never sees [hide]');
    assert.ok(h.includes('本帖隐藏的内容需要回复才可以浏览'));
    assert.match(h, /<div class="quote free"><div class="quote-h">免费内容<\/div><blockquote>免费预览部分<\/blockquote><\/div>/);
    // the [i=s] stamp became the post's edit (editor, time): loulan's own line, shown once
    assert.match(h, /<p class="edited">本帖最后由 李四 于 2023-11-5 11:30(:00)? 编辑<\/p>/);
    assert.equal(h.split('本帖最后由 李四').length, 2, 'one edit line, not the stamp as well');
    assert.match(h, /<a href="\/p\/1"[^>]*><span class="c-gray">admin 发表于 2023-11-5 10:05<\/span><\/a>/, 'the quote heading links /p/1');
    assert.match(h, /<a href="\/forum\.php\?mod=viewthread&amp;tid=2"[^>]*>站内旧链接<\/a>/, 'a scheme-less URL is root-relative');
    assert.match(h, /<span class="smiley" title="微笑">/);
    assert.ok(!/\[hide\]|\[free\]|\[i=s\]/.test(h), 'no dialect tag left as text');
    // the old link in the post answers
    const old = await get(`${forum.url}/forum.php?mod=viewthread&tid=2`);
    assert.equal(old.status, 301);
    assert.equal(old.headers.get('location'), '/t/2');

    const seen = async (name) => (await (await webLogin(forum.url, name)).get('/t/1')).text.includes(HIDDEN);
    assert.equal(await seen('probe'), false, 'a member who did not reply');
    assert.equal(await seen('张三'), true, 'a member who replied (an imported floor)');
    assert.equal(await seen('admin'), true, 'the author');
    const floor1 = async (tok) => (await api(forum.url, 'GET', '/api/v1/threads/1', undefined, tok)).json.floors[0].body_html;
    assert.ok(!(await floor1()).includes(HIDDEN));
    assert.ok((await floor1(await apiToken(forum.url, '张三'))).includes(HIDDEN));

    // old URLs with the ids the import kept
    for (const [from, status, to] of [
      ['/forum.php?mod=viewthread&tid=1&extra=page%3D1', 301, '/t/1'],
      ['/thread-1-1-1.html', 301, '/t/1'],
      ['/forum-2-1.html', 301, '/f/2'],
      ['/forum.php?mod=redirect&goto=findpost&pid=2&ptid=1', 302, '/p/2'],
      ['/forum.php?mod=redirect&goto=findpost&ptid=1&postno=3', 301, '/t/1'],
      ['/forum.php?mod=viewthread&tid=1&authorid=4', 301, '/t/1?author=4'],
      [`/home.php?mod=space&username=${encodeURIComponent('张三')}`, 301, '/u/4'],
      ['/space-uid-4.html', 301, '/u/4'],
      ['/uc_server/avatar.php?uid=4&size=small', 301, '/avatar/4/48'],
      ['/archiver/?tid-1.html', 200, null],
    ]) {
      const r = await get(forum.url + from);
      assert.equal(r.status, status, from);
      assert.equal(r.headers.get('location'), to, from);
    }
    const p2 = await get(`${forum.url}/p/2`);
    assert.equal(p2.status, 302);
    assert.match(p2.headers.get('location'), /^\/t\/1(\?page=1)?#pid2$/);
    assert.ok(!(await get(`${forum.url}/archiver/?tid-1.html`)).text.includes(HIDDEN), 'the Archiver keeps the notice');
  } finally {
    if (forum) await forum.stop();
    await dz.drop();
  }
});
