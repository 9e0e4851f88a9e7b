// t1835: sub-boards (子版块; Discuz! forum_forum.type='sub', board.parent since migration 18). The index shows a
// board's sub-boards on its row and adds their counts and last post to it (each board counted once in the
// totals); the parent's page lists them above its threads; breadcrumbs of a sub-board and its threads read
// category › parent › sub-board; `loulan board add --parent` / `board edit --parent` and /admin/boards set a
// parent (one level, same category, no loops); hidden sub-boards and sub-boards a group may not view stay
// out of every list; Archiver, sitemap, 手机版 and the API show them; at most three queries per page.
// SQLite, and PostgreSQL with LOULAN_TEST_PG.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startForum, get, Client, webLogin, csrfOf, queriesOf, textOf, api, sql, eventually, PW,
} from './lib.mjs';

let forum;
const fid = {};
before(async () => {
  forum = await startForum({ demo: true, users: [{ name: 'root', admin: true, password: PW }, { name: 'alice', password: PW }] });
  const out = (await forum.run(['board', 'list'])).stdout;
  for (const m of out.matchAll(/fid=(\d+) name=(\S+) category=\S+ threads=\d+ types=\S+(?: parent=(\d+))?$/gm)) {
    fid[m[2]] = { fid: Number(m[1]), parent: Number(m[3] ?? 0) };
  }
});
after(() => forum?.stop());

const page = async (path, opts) => {
  const r = await get(forum.url + path, opts);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  assert.ok(queriesOf(r.text) <= 3, `${path}: ${queriesOf(r.text)} queries`);
  return r.text;
};
/** the index's board rows: {fid, name, subs: [fid...], threads, posts, lasttid} */
function indexRows(html) {
  const rows = [];
  for (const tr of html.split('<tr>').slice(1)) {
    const m = /<h3>(?:<span class="bicon"[^>]*>[^<]*<\/span>)?<a href="\/f\/(\d+)">([^<]*)<\/a>/.exec(tr);
    if (!m) continue;
    const subs = /<p class="subs">子版块: ([\s\S]*?)<\/p>/.exec(tr);
    const num = /<span title="主题">(\d+)<\/span> \/ <span title="帖数">(\d+)<\/span>/.exec(tr);
    const last = /<a href="\/t\/(\d+)" class="last-sub">/.exec(tr);
    rows.push({
      fid: Number(m[1]), name: m[2], subs: subs ? [...subs[1].matchAll(/href="\/f\/(\d+)"/g)].map((x) => Number(x[1])) : [],
      threads: Number(num[1]), posts: Number(num[2]), lasttid: last ? Number(last[1]) : 0,
    });
  }
  return rows;
}
const crumbs = (html) => textOf(/<div class="crumbs">([\s\S]*?)<\/div>/.exec(html)[1]).replace(/\s+/g, ' ').trim();

test('demo: 摄影分享 is a sub-board of 灌水乐园; the index shows it on the parent row, counts added once', async () => {
  const water = fid['灌水乐园'].fid, photo = fid['摄影分享'];
  assert.equal(photo.parent, water);
  const html = await page('/');
  const rows = indexRows(html);
  assert.ok(!rows.some((r) => r.fid === photo.fid), 'a sub-board has no row of its own');
  const row = rows.find((r) => r.fid === water);
  assert.deepEqual(row.subs, [photo.fid]);
  assert.match(html, /子版块: <span class="sub"><a href="\/f\/\d+">摄影分享<\/a><\/span>/);
  const boards = (await api(forum.url, 'GET', '/api/v1/boards')).json.boards;
  const b = (f) => boards.find((x) => x.fid === f);
  assert.equal(b(photo.fid).parent, water, 'the API names the parent');
  assert.equal(b(water).parent, 0);
  assert.equal(row.threads, b(water).threads + b(photo.fid).threads, 'the parent row adds its sub-board (Discuz!)');
  assert.equal(row.posts, b(water).posts + b(photo.fid).posts);
  const newest = [b(water), b(photo.fid)].sort((x, y) => y.lastpost - x.lastpost)[0];
  assert.equal(row.lasttid, newest.lasttid, 'the newest last post of the parent and its sub-boards');
  // the totals count each board once
  const st = /主题: <em>(\d+)<\/em><\/span><span class="pipe">\|<\/span><span class="st">帖子: <em>(\d+)<\/em>/.exec(html);
  assert.equal(Number(st[1]), boards.reduce((s, x) => s + x.threads, 0));
  assert.equal(Number(st[2]), boards.reduce((s, x) => s + x.posts, 0));
  assert.equal(rows.reduce((s, r) => s + r.threads, 0), Number(st[1]), 'rows sum to the total: nothing counted twice');
});

test('the parent page lists its sub-boards above the threads; breadcrumbs of the sub-board and its thread', async () => {
  const water = fid['灌水乐园'].fid, photo = fid['摄影分享'].fid;
  const html = await page(`/f/${water}`);
  const sec = /<section class="box cat subboards">([\s\S]*?)<\/section>/.exec(html);
  assert.ok(sec, 'a 子版块 section');
  assert.ok(html.indexOf('subboards') < html.indexOf('<table class="threads">'), 'above the threads');
  assert.match(sec[1], new RegExp(`<a href="/f/${photo}">摄影分享</a>`));
  assert.match(sec[1], /灌水乐园的子版块：随手拍、旅行照、器材交流/);
  assert.match(sec[1], /<span title="主题">1<\/span> \/ <span title="帖数">4<\/span>/);
  assert.match(sec[1], /class="last-sub">西湖晨雾：早上五点半的断桥<\/a>/);
  // page 2 and a type filter do not repeat it
  const typeid = /href="\/f\/\d+\?typeid=(\d+)"/.exec(html)[1];
  assert.doesNotMatch(await page(`/f/${water}?typeid=${typeid}`), /subboards/);
  const sub = await page(`/f/${photo}`);
  assert.equal(crumbs(sub), '楼兰论坛 › 综合讨论区 › 灌水乐园 › 摄影分享');
  assert.match(sub, new RegExp(`<a href="/f/${water}">灌水乐园</a> <span>›</span> <a href="/f/${photo}">摄影分享</a>`));
  assert.doesNotMatch(sub, /class="box cat subboards"/, 'a sub-board has no sub-boards');
  const tid = Number(/<a class="subject" href="\/t\/(\d+)"[^>]*>西湖晨雾/.exec(sub)[1]);
  const t = await page(`/t/${tid}`);
  assert.equal(crumbs(t), '楼兰论坛 › 综合讨论区 › 灌水乐园 › 摄影分享 › 西湖晨雾：早上五点半的断桥');
  // a board of its category: no parent in its crumbs
  assert.equal(crumbs(await page(`/f/${water}`)), '楼兰论坛 › 综合讨论区 › 灌水乐园');
  // 手机版: the same rows in the touch layout
  const m = await page(`/?mobile=2`);
  assert.match(m, /<body[^>]*class="[^"]*touch/);
  assert.match(m, /子版块: <span class="sub"><a href="\/f\/\d+">摄影分享<\/a>/);
  assert.match(await page(`/f/${water}?mobile=2`), /class="box cat subboards"/);
});

test('Archiver and sitemap show sub-boards', async () => {
  const water = fid['灌水乐园'].fid, photo = fid['摄影分享'].fid;
  const arc = await page('/archiver/');
  assert.match(arc, new RegExp(`<a href="\\?fid-${water}.html">灌水乐园</a> <span class="arc-n">\\(\\d+\\)</span>\\s*<ul class="arc-subs"><li><a href="\\?fid-${photo}.html">摄影分享</a>`));
  const ab = await page(`/archiver/?fid-${water}.html`);
  assert.match(ab, new RegExp(`<h2>子版块</h2>\\s*<ul class="arc-subs"><li><a href="\\?fid-${photo}.html">摄影分享</a>`));
  const as = await page(`/archiver/?fid-${photo}.html`);
  assert.match(as, new RegExp(`<a href="\\?fid-${water}.html">灌水乐园</a> › <a href="\\?fid-${photo}.html">摄影分享</a>`));
  const sm = await get(`${forum.url}/sitemap/boards.xml`);
  assert.equal(sm.status, 200);
  assert.match(sm.text, new RegExp(`/f/${photo}</loc>`));
});

test('loulan board add/edit --parent: one level, same category, no loops; board list shows it', async () => {
  const add = async (...args) => forum.run(['board', 'add', ...args]);
  let r = await add('--name', '父版', '--category', '测试分区');
  assert.equal(r.code, 0, r.stderr);
  const p = Number(r.stdout.trim());
  r = await add('--name', '子版甲', '--parent', String(p));
  assert.equal(r.code, 0, r.stderr);
  const a = Number(r.stdout.trim());
  r = await add('--name', '子版乙', '--category', '测试分区', '--parent', String(p));
  assert.equal(r.code, 0, r.stderr);
  const b = Number(r.stdout.trim());
  const list = (await forum.run(['board', 'list'])).stdout;
  assert.match(list, new RegExp(`fid=${a} name=子版甲 category=测试分区 threads=0 types=- parent=${p}\n`), 'into the parent\'s category');
  assert.match(list, new RegExp(`fid=${p} name=父版 category=测试分区 threads=0 types=-\n`), 'no parent= for a board of its category');
  // a second level is refused (at add and at edit), as is another category, itself, a missing parent, a loop
  r = await add('--name', '孙版', '--parent', String(a));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /loulan: the parent is a sub-board itself/);
  r = await add('--name', '错版', '--category', '综合讨论区', '--parent', String(p));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /same category/);
  assert.doesNotMatch((await forum.run(['board', 'list'])).stdout, /孙版|错版/, 'nothing half-written');
  const edit = (f, parent) => forum.run(['board', 'edit', '--fid', String(f), '--parent', String(parent)]);
  r = await edit(b, b);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /its own parent/);
  r = await edit(p, a);   // the loop p -> a -> p
  assert.equal(r.code, 1);
  assert.match(r.stderr, /sub-board itself/);
  r = await edit(b, 999999);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no such parent/);
  r = await edit(p, fid['技术交流'].fid);   // p has sub-boards of its own (and another category)
  assert.equal(r.code, 1);
  r = await edit(b, -1);
  assert.equal(r.code, 2, 'out of range');
  r = await edit(b, 0);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `fid=${b} parent=0`);
  r = await forum.run(['board', 'edit', '--fid', String(b)]);
  assert.equal(r.code, 2, 'nothing to change');
  // the running server shows the change (the CLI bumps the generation)
  await eventually(async () => {
    const rows = indexRows((await get(forum.url + '/')).text);
    return rows.find((x) => x.fid === p)?.subs.join() === String(a) && rows.some((x) => x.fid === b);
  }, 'the index shows 子版甲 under 父版 and 子版乙 on its own');
});

test('/admin/boards sets a parent with the same rules; a parent with sub-boards cannot be deleted', async () => {
  const root = await webLogin(forum.url, 'root');
  let r = await root.get('/admin/boards');
  assert.equal(r.status, 200);
  const csrf = csrfOf(r.text);
  assert.match(r.text, /<select name="parent"><option value="0">无（分区下的版块）<\/option>/);
  const water = fid['灌水乐园'].fid, tech = fid['技术交流'].fid, news = fid['新闻资讯'].fid, photo = fid['摄影分享'].fid;
  const cid = Number(new RegExp(`id="b${tech}"[\\s\\S]*?<option value="(\\d+)" selected>`).exec(r.text)[1]);
  const edit = (f, name, parent, c = cid) => root.post(`/admin/boards/${f}/edit`, { csrf, name, cid: c, order: 3, description: '', parent });
  r = await edit(tech, '技术交流', photo);
  assert.equal(r.status, 400);
  assert.match(r.text, /上级版块本身是子版块/);
  r = await edit(tech, '技术交流', tech);
  assert.equal(r.status, 400);
  assert.match(r.text, /不能是自己的上级版块/);
  r = await edit(water, '灌水乐园', news);
  assert.equal(r.status, 400);
  assert.match(r.text, /该版块有自己的子版块/);
  r = await edit(tech, '技术交流', 'x');
  assert.equal(r.status, 400);
  r = await edit(tech, '技术交流', news);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  let rows = indexRows(await page('/'));
  assert.deepEqual(rows.find((x) => x.fid === news).subs, [tech]);
  const log = await root.get('/admin/log');
  assert.match(log.text, new RegExp(`上级=0[\\s\\S]*?上级=${news}`));
  // deleting a parent that has sub-boards is refused
  r = await root.post(`/admin/boards/${news}/delete`, { csrf, moveto: water });
  assert.equal(r.status, 400);
  assert.match(r.text, /还有 1 个子版块/);
  // back; a form without the field leaves the parent alone
  r = await root.post(`/admin/boards/${tech}/edit`, { csrf, name: '技术交流', cid, order: 3, description: '' });
  assert.equal(r.status, 303);
  rows = indexRows(await page('/'));
  assert.deepEqual(rows.find((x) => x.fid === news).subs, [tech]);
  assert.equal((await edit(tech, '技术交流', 0)).status, 303);
  rows = indexRows(await page('/'));
  assert.deepEqual(rows.find((x) => x.fid === news).subs, []);
  // a member may not
  const alice = await webLogin(forum.url, 'alice');
  r = await alice.post(`/admin/boards/${tech}/edit`, { csrf: csrfOf((await alice.get('/')).text), name: '技术交流', cid, order: 3, description: '', parent: news });
  assert.equal(r.status, 403);
});

test('hidden sub-boards and sub-boards a group may not view stay out; a parent it may not view does not hide its sub', async () => {
  const water = fid['灌水乐园'].fid, photo = fid['摄影分享'].fid;
  // guests may not view 摄影分享: not on the index row, the parent page, the API, Archiver
  let r = await forum.run(['board', 'perm', '--fid', String(photo), '--group', '7', '--view', '0']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => !(await get(`${forum.url}/`)).text.includes('摄影分享'), 'guests no longer see 摄影分享');
  assert.doesNotMatch((await get(`${forum.url}/f/${water}`)).text, /摄影分享|subboards/);
  assert.doesNotMatch((await get(`${forum.url}/archiver/`)).text, /摄影分享/);
  assert.ok(!(await api(forum.url, 'GET', '/api/v1/boards')).json.boards.some((b) => b.fid === photo));
  const alice = await webLogin(forum.url, 'alice');
  assert.match((await alice.get('/')).text, /子版块: <span class="sub"><a href="\/f\/\d+">摄影分享/, 'members still do');
  // guests may view the sub-board but not its parent: it stands on its own row, no crumb names the parent
  r = await forum.run(['board', 'perm', '--fid', String(photo), '--group', '7', '--view', '1']);
  r = await forum.run(['board', 'perm', '--fid', String(water), '--group', '7', '--view', '0']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => indexRows((await get(`${forum.url}/`)).text).some((x) => x.fid === photo), 'the sub-board on its own row');
  const idx = (await get(`${forum.url}/`)).text;
  assert.doesNotMatch(idx, new RegExp(`href="/f/${water}"|>灌水乐园<`));
  const sub = await get(`${forum.url}/f/${photo}`);
  assert.equal(sub.status, 200);
  assert.equal(crumbs(sub.text), '楼兰论坛 › 综合讨论区 › 摄影分享');
  assert.doesNotMatch(sub.text, new RegExp(`href="/f/${water}"|>灌水乐园<`));
  const boards = (await api(forum.url, 'GET', '/api/v1/boards')).json.boards;
  assert.equal(boards.find((b) => b.fid === photo).parent, 0, 'the API does not name a parent the viewer cannot see');
  r = await forum.run(['board', 'perm', '--fid', String(water), '--group', '7', '--view', '1']);
  await eventually(async () => (await get(`${forum.url}/`)).text.includes('灌水乐园'), 'back');
  // a hidden sub-board (board.hidden, as an imported status=0 forum) is listed nowhere
  await sql(forum, `UPDATE board SET hidden = 1 WHERE fid = ${photo}`);
  await forum.run(['board', 'edit', '--fid', String(photo), '--parent', String(water)]);   // bumps the generation
  await eventually(async () => !(await get(`${forum.url}/`)).text.includes('摄影分享'), 'hidden');
  assert.doesNotMatch((await alice.get(`/f/${water}`)).text, /摄影分享/);
  assert.doesNotMatch((await alice.get('/')).text, /摄影分享/);
  await sql(forum, `UPDATE board SET hidden = 0 WHERE fid = ${photo}`);
});
