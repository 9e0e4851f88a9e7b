// t1840: every old Discuz! URL form of FACTS §5 (issue 18) answers: 301 (302 where the target moves or
// depends on the viewer) with the canonical Location; bad ids 400, unknown forms 404, both as Chinese pages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, sql, gen, PW } from './lib.mjs';

const b64 = (s) => Buffer.from(s).toString('base64');

test('old Discuz! URLs: every form of FACTS §5, with status and Location', async () => {
  await withForum({ demo: true, users: [{ name: 'alice', password: PW }, { name: '小明', password: PW }] }, async (forum) => {
    const alice = (await get(`${forum.url}/home.php?mod=space&username=alice`)).headers.get('location');
    assert.match(alice, /^\/u\/\d+$/);
    const uid = Number(alice.slice(3));
    // an imported attachment's old file path (import-discuz fills legacy_path)
    await sql(forum, "INSERT INTO legacy_path(path, aid) VALUES ('202311/05/123456abcdefghabcdefgh.jpg', 1), ('flat.png', 1), ('200801/x.zip', 1)");
    const cases = [
      // forum.php
      ['/forum.php?gid=1', 301, '/#c1'],
      ['/forum.php?mod=index&gid=1', 301, '/#c1'],
      ['/forum.php?mod=viewthread&tid=2&authorid=' + uid, 301, `/t/2?author=${uid}`],
      ['/forum.php?mod=viewthread&tid=2&page=3&authorid=' + uid, 301, `/t/2?author=${uid}`],
      ['/forum.php?mod=viewthread&tid=2&ordertype=1', 301, '/t/2?order=desc'],
      ['/forum.php?mod=viewthread&tid=2&ordertype=1&page=2', 301, '/t/2?order=desc&page=2'],
      ['/forum.php?mod=viewthread&tid=2&ordertype=2', 301, '/t/2'],
      ['/forum.php?mod=viewthread&tid=2&extra=page%3D3&page=2', 301, '/t/2?page=2'],
      ['/forum.php?mod=viewthread&tid=2&extra=', 301, '/t/2'],
      ['/forum.php?mod=forumdisplay&fid=1&page=2&filter=typeid&typeid=3&orderby=dateline', 301, '/f/1?page=2'],
      ['/forum.php?mod=redirect&goto=findpost&pid=5&ptid=2', 302, '/p/5'],
      ['/forum.php?mod=redirect&goto=findpost&ptid=2&pid=5', 302, '/p/5'],
      ['/forum.php?mod=redirect&ptid=2&pid=5', 302, '/p/5'],
      ['/forum.php?mod=redirect&ptid=2', 301, '/t/2'],
      ['/forum.php?mod=redirect&goto=findpost&ptid=2&postno=10', 301, '/t/2'],
      ['/forum.php?mod=redirect&goto=findpost&ptid=2&postno=11', 301, '/t/2?page=2'],
      ['/forum.php?mod=redirect&goto=findpost&ptid=2&postno=25', 301, '/t/2?page=3'],
      ['/forum.php?mod=redirect&goto=lastpost&tid=2', 302, /^\/t\/2(\?page=\d+)?$/],
      ['/forum.php?mod=redirect&goto=nextnewset&tid=2', 302, '/t/2/next'],
      ['/forum.php?mod=redirect&goto=nextoldset&tid=2', 302, '/t/2/prev'],
      ['/forum.php?mod=attachment&aid=1', 301, '/a/1/o'],
      [`/forum.php?mod=attachment&aid=${encodeURIComponent(b64('1|abcdef12|1700000000|3|2'))}&nothumb=yes`, 301, '/a/1/o'],
      [`/forum.php?mod=attachment&aid=${encodeURIComponent(b64('1|0123456789abcdef0123456789abcdef|1700000000'))}&request=yes&_f=.jpg`, 301, '/a/1/o'],
      ['/forum.php?mod=attachment&aid=1&findpost=1', 302, /^\/p\/\d+$/],
      ['/forum.php?mod=attachment&aid=99999&findpost=1', 301, '/a/99999/o'],
      // rewritten forms
      ['/thread-2-1-1.html', 301, '/t/2'],
      ['/thread-2-4-3.html', 301, '/t/2?page=4'],
      ['/forum-1-1.html', 301, '/f/1'],
      ['/forum-1-3.html', 301, '/f/1?page=3'],
      // members
      [`/home.php?mod=space&uid=${uid}`, 301, `/u/${uid}`],
      [`/home.php?mod=space&uid=${uid}&do=profile`, 301, `/u/${uid}`],
      [`/home.php?mod=space&uid=${uid}&do=thread&view=me`, 301, `/u/${uid}`],
      [`/home.php?mod=space&uid=${uid}&do=reply`, 301, `/u/${uid}`],
      [`/home.php?uid=${uid}`, 301, `/u/${uid}`],
      ['/home.php?mod=space&username=alice', 301, `/u/${uid}`],
      ['/home.php?mod=space&username=ALICE&do=profile', 301, `/u/${uid}`],
      [`/home.php?mod=space&username=${encodeURIComponent('小明')}`, 301, /^\/u\/\d+$/],
      [`/space-uid-${uid}.html`, 301, `/u/${uid}`],
      ['/space-username-alice.html', 301, `/u/${uid}`],
      [`/space-username-${encodeURIComponent('小明')}.html`, 301, /^\/u\/\d+$/],
      // Archiver
      ['/archiver/index.php', 301, '/archiver/'],
      ['/archiver/index.php?tid-2.html', 301, '/archiver/?tid-2.html'],
      ['/archiver/tid-2.html', 301, '/archiver/?tid-2.html'],
      ['/archiver/fid-1.html', 301, '/archiver/?fid-1.html'],
      ['/archiver/fid-1-page-2.html', 301, '/archiver/?fid-1-page-2.html'],
      ['/archiver/tid-2-page-3.html', 301, '/archiver/?tid-2-page-3.html'],
      ['/archiver', 301, '/archiver/'],
      // attachment files
      ['/data/attachment/forum/202311/05/123456abcdefghabcdefgh.jpg', 301, '/a/1/o'],
      ['/data/attachment/forum/202311/05/123456abcdefghabcdefgh.jpg.thumb.jpg', 301, '/a/1/thumb'],
      ['/data/attachment/forum/flat.png', 301, '/a/1/o'],
      ['/data/attachment/forum/200801/x.zip', 301, '/a/1/o'],
      // avatars
      [`/uc_server/avatar.php?uid=${uid}&size=big`, 301, `/avatar/${uid}/200`],
      [`/uc_server/avatar.php?uid=${uid}&size=middle`, 301, `/avatar/${uid}/120`],
      [`/uc_server/avatar.php?uid=${uid}&size=small&type=real`, 301, `/avatar/${uid}/48`],
      [`/uc_server/avatar.php?uid=${uid}`, 301, `/avatar/${uid}/120`],
      [`/api/avatar/index.php?uid=${uid}&size=big`, 301, `/avatar/${uid}/200`],
      // member.php
      ['/member.php?mod=logging&action=login', 301, '/login'],
      ['/member.php?mod=logging&action=logout&formhash=abc', 301, '/'],
      ['/member.php?mod=register', 301, '/register'],
      ['/member.php?mod=reg', 301, '/register'],
      ['/member.php?mod=lostpasswd', 301, '/lostpasswd'],
      ['/member.php?mod=getpasswd', 301, '/lostpasswd'],
      // search and rankings
      ['/search.php?mod=forum&srchtxt=%E6%B5%8B%E8%AF%95&searchsubmit=yes', 301, '/search?q=%E6%B5%8B%E8%AF%95'],
      ['/search.php?mod=forum&searchid=12&orderby=lastpost&ascdesc=desc&searchsubmit=yes', 301, '/search'],
      ['/misc.php?mod=ranklist', 301, '/ranklist'],
      ['/misc.php?mod=ranklist&type=member', 301, '/ranklist?list=credits'],
      ['/misc.php?mod=ranklist&type=thread', 301, '/ranklist'],
      // Discuz! 6/7
      ['/viewthread.php?tid=2', 301, '/t/2'],
      ['/viewthread.php?tid=2&page=2&extra=page%3D1', 301, '/t/2?page=2'],
      ['/forumdisplay.php?fid=1&page=2', 301, '/f/1?page=2'],
      ['/redirect.php?goto=findpost&pid=5&ptid=2', 302, '/p/5'],
      ['/redirect.php?tid=2&goto=lastpost', 302, /^\/t\/2(\?page=\d+)?$/],
      [`/space.php?uid=${uid}`, 301, `/u/${uid}`],
    ];
    for (const [from, status, to] of cases) {
      const r = await get(forum.url + from);
      assert.equal(r.status, status, from);
      if (to instanceof RegExp) assert.match(r.headers.get('location'), to, from);
      else assert.equal(r.headers.get('location'), to, from);
    }
    // the targets answer
    for (const to of ['/#c1', `/t/2?author=${uid}`, '/t/2?order=desc', '/archiver/?tid-2.html', `/avatar/${uid}/200`, '/a/1/o'])
      assert.equal((await get(forum.url + to)).status, 200, to);
    // the category anchor is on the index
    assert.match((await get(forum.url + '/')).text, /<section class="box cat" id="c1">/);
    // bad and unknown input: a Chinese page, never a redirect or a crash
    const bad = [
      ['/forum.php?gid=abc', 400], ['/forum.php?gid=-1', 400], ['/forum.php?gid=99999999999999999999999', 400],
      ['/forum.php?mod=viewthread&tid=2&authorid=x', 400], ['/forum.php?mod=viewthread&tid=2&authorid=-3', 400],
      ['/forum.php?mod=viewthread&tid=-2', 400], ['/forum.php?mod=viewthread&tid=2&page=-1', 400],
      ['/forum.php?mod=viewthread&tid=18446744073709551617', 400],
      ['/forum.php?mod=redirect&goto=findpost&pid=abc', 400], ['/forum.php?mod=redirect&goto=findpost', 400],
      ['/forum.php?mod=redirect&goto=findpost&ptid=2&postno=0', 400], ['/forum.php?mod=redirect&goto=findpost&ptid=2&postno=x', 400],
      ['/forum.php?mod=redirect&goto=findpost&ptid=2&postno=99999999999', 400],
      ['/forum.php?mod=redirect&goto=lastpost', 400], ['/forum.php?mod=redirect&goto=lastpost&tid=999999', 404],
      ['/forum.php?mod=redirect&goto=nextnewset&tid=0', 400], ['/forum.php?mod=redirect&goto=nosuch&tid=2', 404],
      ['/forum.php?mod=redirect', 404],
      ['/forum.php?mod=attachment&aid=', 400], ['/forum.php?mod=attachment&aid=%%%', 400],
      [`/forum.php?mod=attachment&aid=${encodeURIComponent(b64('x|y|z'))}`, 400], [`/forum.php?mod=attachment&aid=${encodeURIComponent(b64('-1|y'))}`, 400],
      ['/forum.php?mod=attachment&aid=@@@@', 400], [`/forum.php?mod=attachment&aid=${'A'.repeat(400)}`, 400],
      ['/thread-2-0-1.html', 400], ['/thread-2-1-x.html', 400], ['/forum-1-0.html', 400], ['/forum--1-1.html', 400],
      ['/home.php?mod=space&uid=abc', 400], ['/home.php?mod=space&uid=-1', 400], ['/home.php?mod=space&username=nobody', 404],
      ['/home.php?mod=space', 404], [`/home.php?mod=space&username=${'x'.repeat(300)}`, 404],
      ['/space-uid-x.html', 400], ['/space-username-nobody.html', 404], ['/space-username-.html', 404],
      ['/archiver/tid-x.html', 400], ['/archiver/tid-2.htm', 400], ['/archiver/nosuch.html', 404], ['/archiver/index.php?tid-x.html', 400],
      ['/archiver/index.php?foo', 404],
      ['/data/attachment/forum/202311/05/nosuch.jpg', 404], ['/data/attachment/forum/nosuch.jpg.thumb.jpg', 404],
      ['/data/attachment/forum/../x.jpg', 404],
      [`/data/attachment/forum/${'a'.repeat(200)}/${'b'.repeat(200)}.jpg`, 404],
      ['/uc_server/avatar.php', 400], ['/uc_server/avatar.php?uid=abc&size=big', 400], ['/uc_server/avatar.php?uid=1&size=huge', 400],
      ['/api/avatar/index.php?uid=-5', 400],
      ['/member.php?mod=nosuch', 404], ['/member.php', 404], ['/member.php?mod=logging&action=nosuch', 404],
      ['/misc.php?mod=nosuch', 404],
      ['/viewthread.php', 400], ['/viewthread.php?tid=abc', 400], ['/forumdisplay.php?fid=0', 400], ['/redirect.php?goto=nosuch', 404],
      ['/space.php?uid=abc', 400],
    ];
    for (const [p, status] of bad) {
      const r = await get(forum.url + p);
      assert.equal(r.status, status, p);
      assert.equal(r.headers.get('location'), null, p);
      assert.match(r.text, /[\u4e00-\u9fff]/, `${p}: a Chinese page`);
    }
  });
});

test('archiver/?tid-N.html&page=P and lastpost: the last page of a long thread', async () => {
  await withForum({ demo: false }, async (forum) => {
    const { bigTid: big } = await gen(forum, { boards: 1, threads: 3, posts: 40, big: 25, seed: 2 });
    const strip = (h) => h.replace(/<span class="debuginfo">[\s\S]*?<\/span>/, '').replace(/<link rel="canonical"[^>]*>/, '');
    const a = await get(`${forum.url}/archiver/?tid-${big}.html&page=3`);
    const b = await get(`${forum.url}/archiver/?tid-${big}-page-3.html`);
    assert.equal(a.status, 200);
    assert.equal(strip(a.text), strip(b.text));
    assert.equal((await get(`${forum.url}/archiver/?tid-${big}.html&page=0`)).status, 400);
    const last = await get(`${forum.url}/forum.php?mod=redirect&goto=lastpost&tid=${big}`);
    assert.equal(last.status, 302);
    assert.equal(last.headers.get('location'), `/t/${big}?page=3`);
  });
});
