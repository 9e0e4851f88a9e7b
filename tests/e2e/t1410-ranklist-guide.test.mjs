// t1410: 热门排行 /ranklist and 导读 /guide (issue 14): each list is one keyset query (<= 3 with the
// session), ordered, paged by cursor without repeats, filtered by period and by read permission,
// cached for guests; Discuz!'s misc.php?mod=ranklist and forum.php?mod=guide&view= answer 301.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, queriesOf, footerOf, gen, webLogin, PW, sql, api, apiToken, eventually } from './lib.mjs';

/** rows of a discover page: [{rank, tid, subject, replies, views, key}] or members [{rank, uid, name, key}] */
function rows(html) {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const out = [];
  for (const m of body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const r = m[1];
    const rank = /<span class="rank rank\d+">(\d+)<\/span>/.exec(r);
    const t = /<a class="subject" href="\/t\/(\d+)">([^<]*)<\/a>/.exec(r);
    const num = /<td class="t-num"><a href="[^"]*">(\d+)<\/a><br><span class="muted">(\d+)<\/span>/.exec(r);
    const key = /<span class="muted r-note">[^ ]+ (\d+)<\/span>/.exec(r);
    const u = /<td><a href="\/u\/(\d+)">([^<]*)<\/a><\/td>.*?<td class="r-key"><em>(\d+)<\/em>/s.exec(r);
    if (t) out.push({ rank: rank ? Number(rank[1]) : 0, tid: Number(t[1]), subject: t[2], replies: Number(num[1]), views: Number(num[2]), key: key ? Number(key[1]) : null });
    else if (u) out.push({ rank: Number(rank[1]), uid: Number(u[1]), name: u[2], key: Number(u[3]) });
  }
  return out;
}
const nextOf = (html) => /<a class="next" href="([^"]+)">/.exec(html)?.[1]?.replace(/&amp;/g, '&');

/** Follows 下一页 from path; every row of every page. */
async function walk(base, path, get1 = (p) => get(base + p)) {
  const all = [];
  for (let p = path, i = 0; p && i < 20; i++) {
    const r = await get1(p);
    assert.equal(r.status, 200, `${p}: ${r.status}`);
    assert.ok(queriesOf(r.text) <= 3, `${p}: ${queriesOf(r.text)} queries`);
    all.push(...rows(r.text));
    p = nextOf(r.text);
  }
  return all;
}

function descending(list, key, what) {
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1], b = list[i];
    assert.ok(key(a) > key(b) || (key(a) === key(b) && a.tid > b.tid), `${what}: ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
  }
}

test('rankings: ordered, keyset pages without repeats up to the top 100, periods, members, likes', async () => {
  await withForum({ demo: false, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }] }, async (forum) => {
    await gen(forum, { boards: 2, threads: 130, posts: 900, seed: 7 });
    // by replies, all time: 100 rows over 5 pages, ranks 1..100, (replies, tid) descending
    const all = await walk(forum.url, '/ranklist?list=replies&period=all');
    assert.equal(all.length, 100, 'the top 100');
    assert.deepEqual(all.map((r) => r.rank), [...Array(100).keys()].map((i) => i + 1));
    assert.equal(new Set(all.map((r) => r.tid)).size, 100, 'no thread twice');
    descending(all, (r) => r.replies, 'replies');
    // the default list is the same one
    assert.deepEqual(rows((await get(`${forum.url}/ranklist`)).text).map((r) => r.tid), all.slice(0, 20).map((r) => r.tid));
    // by views
    const views = await walk(forum.url, '/ranklist?list=views&period=all');
    descending(views, (r) => r.key, 'views');
    // a period: a thread created two days ago is in "本周" and "全部" but not "今日"
    const top = all[0].tid;
    await sql(forum, `UPDATE thread SET created = ${Math.floor(Date.now() / 1000) - 2 * 86400} WHERE tid = ${top}`);
    await sql(forum, `UPDATE thread SET created = ${Math.floor(Date.now() / 1000) - 60} WHERE tid <> ${top}`);
    const c = await webLogin(forum.url, 'alice');   // members are not served from the guest cache
    const tids = async (p) => (await walk(forum.url, p, (x) => c.get(x))).map((r) => r.tid);
    assert.ok(!(await tids('/ranklist?list=replies&period=today')).includes(top), 'not today');
    assert.ok((await tids('/ranklist?list=replies&period=week')).includes(top), 'this week');
    // likes: a liked first floor ranks; an unliked one does not
    const tok = await apiToken(forum.url, 'bob');
    const t = await api(forum.url, 'GET', `/api/v1/threads/${all[5].tid}`, undefined, tok);
    const pid = t.json.posts?.[0]?.pid ?? t.json.floors?.[0]?.pid;
    assert.ok(pid, `first floor of ${all[5].tid}: ${t.text.slice(0, 200)}`);
    assert.equal((await api(forum.url, 'POST', `/api/v1/posts/${pid}/like`, undefined, tok)).status, 200);
    const liked = rows((await c.get('/ranklist?list=likes&period=all')).text);
    assert.deepEqual(liked.map((r) => [r.tid, r.key]), [[all[5].tid, 1]]);
    // members by credits and by posts: descending, and the keys are the members' numbers
    const credits = await walk(forum.url, '/ranklist?list=credits', (x) => c.get(x));
    assert.ok(credits.length >= 20, `${credits.length} members by credits`);
    for (let i = 1; i < credits.length; i++) assert.ok(credits[i - 1].key >= credits[i].key, 'credits descending');
    assert.equal(new Set(credits.map((m) => m.uid)).size, credits.length, 'no member twice');
    const posts = rows((await c.get('/ranklist?list=posts')).text);
    const u = await get(`${forum.url}/api/v1/users/${posts[0].uid}`);
    assert.equal(posts[0].key, u.json().posts, 'the posts column is the member\'s count');
    // 今日发帖: alice posts today
    const form = await c.get('/f/1/new');
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)[1];
    assert.equal((await c.post('/f/1/new', { csrf, title: '今天的帖子', body: '内容', format: 'bbcode' })).status, 303);
    const today = rows((await c.get('/ranklist?list=today')).text);
    assert.ok(today.some((m) => m.name === 'alice' && m.key === 1), `alice posted once today: ${JSON.stringify(today)}`);
  });
});

test('rankings and guide: guest cache, read permission, bad parameters, Discuz! URLs', async () => {
  await withForum({ demo: true }, async (forum) => {
    // cached like other guest pages
    await get(`${forum.url}/ranklist?list=views`);
    const hit = await get(`${forum.url}/ranklist?list=views`);
    assert.equal(footerOf(hit.text).cache, true, 'the second guest request is a cache hit');
    const first = rows((await get(`${forum.url}/guide?view=newthread`)).text);
    assert.ok(first.length > 0, 'the demo has threads in 导读');
    // a board guests may not view leaves every list
    const hidden = first[0];
    const fid = Number(/href="\/f\/(\d+)"/.exec((await get(`${forum.url}/t/${hidden.tid}`)).text)[1]);
    const r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '7', '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => (await get(`${forum.url}/f/${fid}`)).status === 403, 'permissions reloaded');
    for (const p of ['/guide?view=newthread', '/guide?view=new', '/guide?view=hot', '/ranklist?list=replies', '/ranklist?list=views']) {
      const res = await get(`${forum.url}${p}&x=1`);
      assert.equal(res.status, 200);
      assert.ok(!rows(res.text).some((x) => x.tid === hidden.tid), `${p} hides thread ${hidden.tid}`);
    }
    // bad input
    for (const [p, st] of [['/ranklist?list=nope', 404], ['/ranklist?period=year', 404], ['/ranklist?after=abc', 400],
      ['/ranklist?after=5_0', 400], ['/ranklist?rank=0', 400], ['/ranklist?rank=101', 400],
      ['/ranklist?rank=05', 400], ['/ranklist?rank=%2B5', 400], ['/ranklist?rank=%205', 400], ['/guide?view=nope', 404],
      ['/guide?after=1_2_3', 400], [`/ranklist?after=${'9'.repeat(19)}_${'9'.repeat(18)}`, 400],
      [`/ranklist?after=1_${'1'.repeat(18)}`, 200], [`/guide?after=${'1'.repeat(18)}_${'1'.repeat(18)}`, 200]]) {
      const res = await get(forum.url + p);
      assert.equal(res.status, st, p);
      assert.match(res.text, /[\u4e00-\u9fff]/, `${p}: a Chinese page`);
    }
    // Discuz! URLs
    for (const [p, to] of [['/misc.php?mod=ranklist', '/ranklist'], ['/misc.php?mod=ranklist&type=member', '/ranklist?list=credits'],
      ['/forum.php?mod=guide&view=digest', '/guide?view=digest'], ['/forum.php?mod=guide&view=newthread', '/guide?view=newthread'],
      ['/forum.php?mod=guide', '/guide']]) {
      const res = await get(forum.url + p);
      assert.equal(res.status, 301, p);
      assert.equal(res.headers.get('location'), to, p);
    }
    assert.equal((await get(`${forum.url}/misc.php?mod=other`)).status, 404);
    // 精华 lists digest threads only, newest first
    const digest = rows((await get(`${forum.url}/guide?view=digest`)).text);
    assert.ok(digest.length > 0, 'the demo has 精华 threads');
    for (const d of digest) assert.match((await get(`${forum.url}/t/${d.tid}`)).text, /<h1>/);
    descending(digest, (x) => x.tid, 'digest by tid');
  });
});
