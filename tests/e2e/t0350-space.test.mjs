// t0350: the user space /u/{uid}: name, group and stars, dates, counters,
// recent threads and replies (bounded), at most 3 queries for guests and
// members; threads in boards the viewer may not see are left out; the header.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, queriesOf, mustRegister, headerUser, eventually, threadRows } from './lib.mjs';

const PW = 'correct horse 1';
let forum, author, tid, fid, stats;
before(async () => {
  forum = await startForum({ demo: true });
  const index = await get(forum.url + '/');
  fid = Number(/href="\/f\/(\d+)"/.exec(index.text)[1]);
  const board = await get(`${forum.url}/f/${fid}`);
  tid = threadRows(board.text).find((r) => r.fid === fid).tid;   // the board's own (not the demo's global sticky)
  const thread = await get(`${forum.url}/t/${tid}`);
  const m = /<div class="aname"><a href="\/u\/(\d+)">([^<]*)<\/a>/.exec(thread.text);   // 楼主
  author = { uid: Number(m[1]), name: m[2] };
  const s = /<dl class="astats"><dt>主题<\/dt><dd>(\d+)<\/dd><dt>帖子<\/dt><dd>(\d+)<\/dd><dt>积分<\/dt><dd>(-?\d+)<\/dd>/.exec(thread.text);
  stats = { threads: s[1], posts: s[2], credits: s[3] };
});
after(async () => { await forum?.stop(); });

const field = (html, cls) => new RegExp(`<em class="${cls}">([^<]*)</em>`).exec(html)?.[1];
const recent = (html, cls) => {
  const sec = new RegExp(`<section class="box ${cls}">([^]*?)</section>`).exec(html)[1];
  return [...sec.matchAll(/<a href="\/t\/(\d+)[^"]*">/g)].map((x) => Number(x[1]));
};

test('guest: the space shows the member, counters and recent activity in at most 3 queries', async () => {
  const r = await get(`${forum.url}/u/${author.uid}`);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`<h1 class="space-name">${author.name}</h1>`));
  assert.match(r.text, /用户组：<span class="grp">[^<]+<\/span>/);
  assert.match(field(r.text, 'regdate'), /^\d{4}-\d{1,2}-\d{1,2} \d{2}:\d{2}/);
  assert.equal(field(r.text, 'threads'), stats.threads);
  assert.equal(field(r.text, 'posts'), stats.posts);
  assert.equal(field(r.text, 'credits'), stats.credits);
  const th = recent(r.text, 'recent-threads');
  assert.ok(th.length >= 1 && th.length <= 10, `recent threads ${th.length}`);
  assert.ok(th.includes(tid) || th.length === 10, 'the author\'s thread is among the recent ones');
  const rp = recent(r.text, 'recent-replies');
  assert.ok(rp.length >= 1 && rp.length <= 10, `recent replies ${rp.length}`);
  assert.ok(queriesOf(r.text) <= 3, `guest: ${queriesOf(r.text)} queries`);
  assert.equal(headerUser(r.text), null);
});

test('member: at most 3 queries with the session lookup; the header links to the own space', async () => {
  const c = await mustRegister(forum.url, { username: 'spacer', email: 's@example.com', password: PW });
  const r = await c.get(`/u/${author.uid}`);
  assert.equal(r.status, 200);
  assert.ok(queriesOf(r.text) <= 3, `member: ${queriesOf(r.text)} queries`);
  const h = headerUser(r.text);
  assert.equal(h.name, 'spacer');
  const own = await c.get(`/u/${h.uid}`);
  assert.equal(own.status, 200);
  assert.match(own.text, /<h1 class="space-name">spacer<\/h1>/);
  assert.match(own.text, /<span class="grp">新手上路<\/span> <span class="stars" title="1 星">★<\/span>/);
  assert.equal(field(own.text, 'threads'), '0');
  assert.match(own.text, /还没有发表过主题/);
  assert.match(field(own.text, 'lastvisit'), /^\d{4}-/);
  assert.ok(queriesOf(own.text) <= 3);
});

test('unknown and malformed uids', async () => {
  assert.equal((await get(`${forum.url}/u/999999`)).status, 404);
  assert.equal((await get(`${forum.url}/u/abc`)).status, 404);
  assert.equal((await get(`${forum.url}/u/0`)).status, 404);
});

test('threads in a board the viewer may not see are left out of the space', async () => {
  const r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '7', '--view', '0']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => (await get(`${forum.url}/f/${fid}`)).status === 403, 'the reload');
  const g = await get(`${forum.url}/u/${author.uid}`);
  assert.equal(g.status, 200);
  assert.ok(!recent(g.text, 'recent-threads').includes(tid), 'hidden from guests');
  assert.ok(queriesOf(g.text) <= 3);
});
