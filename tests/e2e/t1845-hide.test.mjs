// t1845: Discuz!'s [hide] (issue 18). [hide] opens to who replied in the thread, the author and the
// board's moderators; [hide=N] to N credits (and the author, moderators); [hide=dDAYS] to everyone after
// DAYS days. Guests always get the notice; the guest page cache never holds hidden text, nor does a
// group's member page; the API's floor JSON hides it too; the viewer's facts cost no extra query.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, api, apiToken, webLogin, queriesOf, sql, addBoard, PW } from './lib.mjs';

const S1 = 'Zh1ReplySecret', S2 = 'Zh2CreditSecret', S3 = 'Zh3DaysSecret';
const NOTICE = '本帖隐藏的内容需要回复才可以浏览';

test('[hide]: per viewer, never in a guest page, a shared member page or the API for those who may not see it', async () => {
  const names = ['alice', 'bob', 'carol', 'mod', 'rich'];
  await withForum({ demo: false, users: names.map((name) => ({ name, password: PW })) }, async (forum) => {
    const fid = await addBoard(forum, ['--name', '隐藏版']);
    const g = await forum.run(['board', 'mod', '--fid', String(fid), '--name', 'mod']);
    assert.equal(g.code, 0, g.stderr);
    const tok = {};
    for (const n of names) tok[n] = await apiToken(forum.url, n);
    const body = `公开的开头\n[hide]${S1}[/hide]\n[hide=50]${S2}[/hide]\n[hide=d3]${S3}[/hide]\n公开的结尾`;
    const t = await api(forum.url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '回复可见', body, format: 'bbcode' }, tok.alice);
    assert.equal(t.status, 201, t.text);
    const tid = t.json.tid;
    const web = {};
    for (const n of names) web[n] = await webLogin(forum.url, n);
    // after the logins (a daily login's reward recomputes credits)
    await sql(forum, "UPDATE member SET credits = 100 WHERE username = 'rich'");
    await sql(forum, "UPDATE member SET credits = 0 WHERE username IN ('bob', 'carol')");

    const sees = (html) => [S1, S2, S3].filter((s) => html.includes(s));
    // guests: the notices, and from the cache the same
    for (let i = 0; i < 2; i++) {
      const r = await get(`${forum.url}/t/${tid}`);
      assert.equal(r.status, 200);
      assert.deepEqual(sees(r.text), [], 'a guest sees nothing hidden');
      assert.ok(r.text.includes(NOTICE));
      assert.ok(r.text.includes('本帖隐藏的内容需要积分高于 50 才可浏览'));
      assert.ok(r.text.includes('公开的开头') && r.text.includes('公开的结尾'));
    }
    // bob: a member who has not replied
    let r = await web.bob.get(`/t/${tid}`);
    assert.deepEqual(sees(r.text), []);
    assert.ok(queriesOf(r.text) <= 3, `${queriesOf(r.text)} queries`);
    // the author and the board's moderator see everything
    assert.deepEqual(sees((await web.alice.get(`/t/${tid}`)).text), [S1, S2, S3]);
    r = await web.mod.get(`/t/${tid}`);
    assert.deepEqual(sees(r.text), [S1, S2, S3]);
    assert.ok(queriesOf(r.text) <= 3, `${queriesOf(r.text)} queries`);
    // rich has the credits, not a reply
    assert.deepEqual(sees((await web.rich.get(`/t/${tid}`)).text), [S2]);
    // carol replies: then the reply-hidden part (and the days one, which opens to repliers before it expires)
    assert.deepEqual(sees((await web.carol.get(`/t/${tid}`)).text), []);
    const rp = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '谢谢分享', format: 'bbcode' }, tok.carol);
    assert.equal(rp.status, 201, rp.text);
    for (let i = 0; i < 2; i++) {   // the second time too: a member page with [hide] is never shared nor served from the cache
      r = await web.carol.get(`/t/${tid}`);
      assert.deepEqual(sees(r.text), [S1, S3]);
      assert.ok(queriesOf(r.text) <= 3, `${queriesOf(r.text)} queries (the replied fact rides in the floors query)`);
    }
    // bob, in carol's group, right after her: still nothing (no shared member page); twice
    for (let i = 0; i < 2; i++) assert.deepEqual(sees((await web.bob.get(`/t/${tid}`)).text), []);
    // guests after all of them: nothing (the cache holds no member's render)
    for (let i = 0; i < 2; i++) {
      r = await get(`${forum.url}/t/${tid}`);
      assert.deepEqual(sees(r.text), []);
    }
    // the API's floor JSON: the same rule
    const floor1 = async (token) => (await api(forum.url, 'GET', `/api/v1/threads/${tid}`, undefined, token)).json.floors[0].body_html;
    assert.deepEqual(sees(await floor1()), []);
    assert.deepEqual(sees(await floor1(tok.bob)), []);
    assert.deepEqual(sees(await floor1(tok.carol)), [S1, S3]);
    assert.deepEqual(sees(await floor1(tok.alice)), [S1, S2, S3]);
    assert.deepEqual(sees(await floor1(tok.rich)), [S2]);
    // other readers of the stored HTML: the Archiver, the feed, search, the quote in a reply form
    for (const p of [`/archiver/?tid-${tid}.html`, '/rss', `/f/${fid}/rss`, `/search?q=${encodeURIComponent('公开的开头')}`])
      assert.deepEqual(sees((await get(forum.url + p)).text), [], p);
    // the quote in bob's reply form is made from the stored HTML: the notice, not the text
    const first = (await api(forum.url, 'GET', `/api/v1/threads/${tid}`)).json.floors[0].pid;
    const q = await web.bob.get(`/t/${tid}/reply?quote=${first}`);
    assert.equal(q.status, 200);
    assert.deepEqual(sees(q.text), []);
    // a deleted reply no longer counts as having replied
    const del = await api(forum.url, 'DELETE', `/api/v1/posts/${rp.json.pid}`, undefined, tok.carol);
    assert.ok([200, 204].includes(del.status), del.text);
    assert.deepEqual(sees(await floor1(tok.carol)), []);
  });
});

test('[hide=dDAYS]: open to everyone, guests too, once the post is DAYS days old', async () => {
  await withForum({ demo: false, users: [{ name: 'alice', password: PW }] }, async (forum) => {
    const fid = await addBoard(forum, ['--name', '过期版']);
    const tok = await apiToken(forum.url, 'alice');
    const t = await api(forum.url, 'POST', `/api/v1/boards/${fid}/threads`,
      { title: '过期公开', body: `[hide=d3]${S3}[/hide][hide]${S1}[/hide]`, format: 'bbcode' }, tok);
    assert.equal(t.status, 201, t.text);
    await sql(forum, `UPDATE post SET created = created - 4 * 86400 WHERE tid = ${t.json.tid}`);
    const r = await get(`${forum.url}/t/${t.json.tid}`);
    assert.ok(r.text.includes(S3), 'expired: shown to a guest');
    assert.ok(!r.text.includes(S1), 'a plain [hide] stays hidden');
  });
});
