// t1400: the living index (issue 14): 今日/昨日/最高日 posts, 主题, 帖子, 会员, 欢迎新会员,
// 在线会员 (members by name, guests, the record) -- all from one row read with the board list,
// so the index stays within 3 queries for a member; counters kept in the writers' transactions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, queriesOf, mustRegister, eventually, webLogin, PW, sql } from './lib.mjs';

/** The index's counters: {today, yesterday, maxday, threads, posts, members, newest} */
function stats(html) {
  const s = /<div class="stats">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  const n = (label) => {
    const m = new RegExp(`${label}: <em>(\\d+)</em>`).exec(s);
    assert.ok(m, `the index shows ${label}:\n${s}`);
    return Number(m[1]);
  };
  const newest = /欢迎新会员: <a href="\/u\/(\d+)">([^<]*)<\/a>/.exec(s);
  return {
    today: n('今日'), yesterday: n('昨日'), maxday: n('最高日'), threads: n('主题'), posts: n('帖子'),
    members: n('会员'), newest: newest ? { uid: Number(newest[1]), name: newest[2] } : null,
  };
}

function online(html) {
  const sec = /<section class="box online" id="online">([\s\S]*?)<\/section>/.exec(html)?.[1];
  assert.ok(sec, 'the index has the 在线会员 box');
  const m = /总计 <em>(\d+)<\/em> 人在线 - <em>(\d+)<\/em> 会员, <em>(\d+)<\/em> 位游客 - 最高记录是 <em>(\d+)<\/em>/.exec(sec);
  assert.ok(m, `online summary:\n${sec}`);
  const names = [...sec.matchAll(/<li><a href="\/u\/(\d+)">([^<]*)<\/a><\/li>/g)].map((x) => x[2]);
  return { total: Number(m[1]), members: Number(m[2]), guests: Number(m[3]), record: Number(m[4]), names };
}

test('index counters: posts today, members and the newest member move with each write; <= 3 queries', async () => {
  await withForum({ demo: false, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': '0' } }, async (forum) => {
    const fid = Number((await forum.run(['board', 'add', '--name', '测试版'])).stdout.trim());
    let html = (await get(`${forum.url}/?n=0`)).text;
    let s = stats(html);
    assert.deepEqual([s.today, s.threads, s.posts, s.members], [0, 0, 0, 1]);
    assert.deepEqual(s.newest, { uid: 1, name: 'alice' });
    const alice = await webLogin(forum.url, 'alice');
    const form = await alice.get(`/f/${fid}/new`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)[1];
    let r = await alice.post(`/f/${fid}/new`, { csrf, title: '第一帖', body: '正文', format: 'bbcode' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const tid = Number(/\/t\/(\d+)/.exec(r.headers.get('location'))[1]);
    for (let i = 0; i < 3; i++) {
      r = await alice.post(`/t/${tid}/reply`, { csrf, body: `回复 ${i}`, format: 'bbcode' });
      assert.equal(r.status, 303, r.text.slice(0, 300));
    }
    html = (await alice.get('/')).text;
    s = stats(html);
    assert.deepEqual([s.today, s.yesterday, s.maxday, s.threads, s.posts], [4, 0, 4, 1, 4]);
    assert.ok(queriesOf(html) <= 3, `member index: ${queriesOf(html)} queries`);
    assert.ok(queriesOf((await get(`${forum.url}/?n=1`)).text) <= 2, 'guest index: the boards and the counters row');
    // a registration is a member and the newest one, at once (its own transaction)
    await mustRegister(forum.url, { username: '新来的', email: 'new@example.com', password: PW });
    s = stats((await alice.get('/')).text);
    assert.equal(s.members, 2);
    assert.equal(s.newest.name, '新来的');
    // yesterday's count moves over when the first post of a new day arrives: make the row say
    // the 4 posts were yesterday's, post once more
    // (yesterday in the forum's day, Asia/Shanghai, whatever this machine's zone and hour)
    const y = new Date(Date.now() + 8 * 3600e3 - 86400e3);
    const ymd = y.getUTCFullYear() * 10000 + (y.getUTCMonth() + 1) * 100 + y.getUTCDate();
    await sql(forum, `UPDATE site_stat SET todaydate = ${ymd}, maxday = ${ymd}`);
    r = await alice.post(`/t/${tid}/reply`, { csrf, body: '新的一天', format: 'bbcode' });
    assert.equal(r.status, 303);
    s = stats((await alice.get('/')).text);
    assert.deepEqual([s.today, s.yesterday, s.maxday], [1, 4, 4], 'today 1, yesterday 4, best day still 4');
  });
});

test('在线会员: members by name and guests active in the last 15 minutes, with the record', async () => {
  await withForum({ demo: false, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }] }, async (forum) => {
    const alice = await webLogin(forum.url, 'alice');
    await alice.get('/settings/password');   // a member's request marks them
    await get(`${forum.url}/f/1`);           // and a guest's
    // the background thread writes the marks every 2 s; every node reads the same row
    const seen = await eventually(async () => {
      const o = online((await alice.get('/')).text);
      return o.names.includes('alice') && o.guests >= 1 ? o : null;
    }, 'alice and a guest online');
    assert.ok(!seen.names.includes('bob'), 'bob has not been here');
    assert.equal(seen.members, 1);
    assert.equal(seen.total, seen.members + seen.guests);
    assert.ok(seen.record >= seen.total, 'the record is at least the current count');
    assert.ok(queriesOf((await alice.get('/')).text) <= 3);
    // the window: a mark older than 15 minutes is gone at the next recount. Wait for the flusher
    // (every 2 s) to have written alice's last request, then age every mark by 1000 s
    await new Promise((r) => setTimeout(r, 3000));
    await sql(forum, 'UPDATE online SET lastseen = lastseen - 1000');
    await sql(forum, "UPDATE site_stat SET online_names = ''");
    const bob = await webLogin(forum.url, 'bob');
    const later = await eventually(async () => {
      const o = online((await bob.get('/')).text);
      return o.names.includes('bob') ? o : null;
    }, 'bob online');
    assert.ok(!later.names.includes('alice'), 'alice was last seen more than 15 minutes ago');
    assert.ok(later.record >= seen.total, 'the record stays');
  });
});

test('two nodes on PostgreSQL: a post and a member seen on one node show on the other node\'s index', { skip: !process.env.LOULAN_TEST_PG && 'PostgreSQL only (LOULAN_TEST_PG)' }, async () => {
  await withForum({ demo: false, users: [{ name: 'alice', password: PW }, { name: 'bob', password: PW }], config: { 'post.flood_seconds': '0' } }, async (forum) => {
    const fid = Number((await forum.run(['board', 'add', '--name', '多节点'])).stdout.trim());
    const other = await forum.startNode();
    const alice = await webLogin(other.url, 'alice');   // on node 2
    const form = await alice.get(`/f/${fid}/new`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)[1];
    assert.equal((await alice.post(`/f/${fid}/new`, { csrf, title: '节点二', body: '正文', format: 'bbcode' })).status, 303);
    // node 1, as bob (a member's page: not from node 1's guest cache; alice was only ever on node 2)
    const bobless = await webLogin(forum.url, 'bob');
    const seen = await eventually(async () => {
      const html = (await bobless.get('/')).text;
      return stats(html).today === 1 && online(html).names.includes('alice') ? html : null;
    }, 'node 1 shows node 2\'s post and member');
    assert.equal(stats(seen).posts, 1);
  });
});
