// t0750: moderation (issue #12): thread actions and their permission matrix (a member, a
// moderator of another board, the board's moderator, a super moderator, an admin), stick
// levels on board lists, digest credits, close, move with a stub, the recycle bin, post
// actions (屏蔽, 警告), board moderators (API/CLI), the moderation log, query counts,
// API errors. Runs on SQLite, and on PostgreSQL when LOULAN_TEST_PG is set (plus two nodes).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  startForum, get, footerOf, PW, apiToken, api, webLogin, csrfOf, checkCounters, textOf, eventually,
} from './lib.mjs';

const users = ['alice', 'modA', 'modB', 'smod', 'boss'].map((name) => ({ name, password: PW, admin: name === 'boss' }));
// demo boards: 1 新闻资讯, 2 灌水乐园, 3 技术交流 (category 综合讨论区), 4 站务公告 (站务管理)
async function setup() {
  const f = await startForum({ demo: true, users, config: { 'post.flood_seconds': 0 } });
  for (const args of [['board', 'mod', '--fid', '1', '--name', 'modA'], ['board', 'mod', '--fid', '3', '--name', 'modB'],
    ['user', 'group', '--name', 'smod', '--group', '2']]) {
    const r = await f.run(args);
    assert.equal(r.code, 0, r.stderr);
  }
  // the CLI wrote beside the running server: it reloads its moderators on its next tick
  await eventually(async () => (await get(f.url + '/f/1')).text.includes('modA') &&
    (await get(f.url + '/f/3')).text.includes('modB'), 'the server to load the moderators');
  const tok = {};
  for (const u of users) tok[u.name] = await apiToken(f.url, u.name);
  return { f, tok };
}

const moderate = (url, tid, body, token) => api(url, 'POST', `/api/v1/threads/${tid}/moderate`, body, token);
const thread = async (url, tid) => (await api(url, 'GET', `/api/v1/threads/${tid}`)).json?.thread;

test('thread actions: the permission matrix, levels, digest credits, close, move, recycle bin', async () => {
  const { f, tok } = await setup();
  try {
    const u = f.url;
    const nt = await api(u, 'POST', '/api/v1/boards/1/threads', { title: '管理测试主题', body: '一楼 回收测试词' }, tok.alice);
    const found = async () => (await api(u, 'GET', `/api/v1/search?q=${encodeURIComponent('回收测试词')}`)).json.results.length;
    assert.equal(nt.status, 201, nt.text);
    const tid = nt.json.tid;
    const rep = await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: '二楼' }, tok.modB);
    assert.equal(rep.status, 201);

    // every action: a member and another board's moderator are refused (403, nothing changes);
    // the board's moderator, a super moderator and an admin succeed
    const actions = [
      [{ action: 'stick', level: 1 }, (t) => t.sticky_level === 1],
      [{ action: 'unstick' }, (t) => t.sticky_level === 0],
      [{ action: 'digest', level: 2 }, (t) => t.digest_level === 2],
      [{ action: 'undigest' }, (t) => t.digest_level === 0],
      [{ action: 'highlight', color: 'blue', bold: true }, (t) => t.highlight === 'blue' && t.bold],
      [{ action: 'close' }, (t) => t.closed],
      [{ action: 'open' }, (t) => !t.closed],
      [{ action: 'bump' }, (t) => t.lastpost > 0],
      [{ action: 'sink' }, (t) => t.lastpost > 0],
    ];
    for (const [body, ok] of actions) {
      for (const who of ['alice', 'modB']) {
        const r = await moderate(u, tid, { ...body, reason: '测试' }, tok[who]);
        assert.equal(r.status, 403, `${who} ${body.action}: ${r.text}`);
        assert.equal(r.json.error.code, 'forbidden');
      }
      for (const who of ['modA', 'smod', 'boss']) {
        const r = await moderate(u, tid, { ...body, reason: `${who} 的理由` }, tok[who]);
        assert.equal(r.status, 200, `${who} ${body.action}: ${r.text}`);
        assert.equal(r.json.thread.tid, tid);
        assert.ok(ok(r.json.thread), `${who} ${body.action}: ${JSON.stringify(r.json.thread)}`);
      }
    }
    // a guest: 401
    assert.equal((await moderate(u, tid, { action: 'close' })).status, 401);

    // stick levels 2 and 3: super moderators and admins only; shown on the boards they reach
    for (const level of [2, 3]) {
      assert.equal((await moderate(u, tid, { action: 'stick', level }, tok.modA)).status, 403);
    }
    assert.equal((await moderate(u, tid, { action: 'stick', level: 2 }, tok.smod)).status, 200);
    const board2 = await get(u + '/f/2');
    assert.ok(board2.text.includes('管理测试主题'), 'a category sticky shows on the other boards of its category');
    assert.ok(board2.text.includes('分类置顶'));
    assert.ok(footerOf(board2.text).queries <= 3, `board page with stickies: ${footerOf(board2.text).queries} queries`);
    assert.ok(!(await get(u + '/f/4')).text.includes('管理测试主题'), 'not on a board of another category');
    assert.equal((await moderate(u, tid, { action: 'unstick' }, tok.modA)).status, 403, 'a moderator cannot lift level 2');
    assert.equal((await moderate(u, tid, { action: 'stick', level: 3 }, tok.boss)).status, 200);
    const board4 = await get(u + '/f/4');
    assert.ok(board4.text.includes('管理测试主题') && board4.text.includes('全局置顶'), 'a global sticky shows everywhere');
    assert.ok(footerOf(board4.text).queries <= 3);
    // the API list of board 2 carries it too; the counters of board 2 are not touched by it
    await checkCounters(u, [1, 2, 4]);

    // the thread page: the last action, ≤ 3 queries for guests and members
    const guestPage = await get(u + `/t/${tid}`);
    assert.match(textOf(guestPage.text), /本主题由 boss 于 .* 全局置顶/);
    assert.ok(footerOf(guestPage.text).queries <= 3);
    const alice = await webLogin(u, 'alice');
    const memberPage = await alice.get(`/t/${tid}`);
    assert.ok(footerOf(memberPage.text).queries <= 3);
    assert.ok(!memberPage.text.includes('id="modmenu"'), 'no 管理 menu for a member');
    const modA = await webLogin(u, 'modA');
    const modPage = await modA.get(`/t/${tid}`);
    assert.ok(modPage.text.includes('id="modmenu"'), 'the board moderator has the 管理 menu');
    assert.ok(footerOf(modPage.text).queries <= 3);
    const modB = await webLogin(u, 'modB');
    assert.ok(!(await modB.get(`/t/${tid}`)).text.includes('id="modmenu"'), 'another board\'s moderator has none');

    // digest: the credit rule digest (+5 ext2 by default) goes to the author and comes back out
    const before = (await api(u, 'GET', `/api/v1/users/${nt.json.pid && (await thread(u, tid)).authorid}`)).json;
    assert.equal((await moderate(u, tid, { action: 'digest', level: 1 }, tok.modA)).status, 200);
    const mid = (await api(u, 'GET', `/api/v1/users/${before.uid}`)).json;
    assert.equal(mid.digestposts, before.digestposts + 1);
    assert.ok(mid.credits > before.credits, `credits ${before.credits} -> ${mid.credits}`);
    assert.equal((await moderate(u, tid, { action: 'digest', level: 3 }, tok.modA)).status, 200);
    assert.equal((await api(u, 'GET', `/api/v1/users/${before.uid}`)).json.credits, mid.credits, 'a level change awards nothing');
    assert.equal((await moderate(u, tid, { action: 'undigest' }, tok.modA)).status, 200);
    const after = (await api(u, 'GET', `/api/v1/users/${before.uid}`)).json;
    assert.equal(after.credits, before.credits);
    assert.equal(after.digestposts, before.digestposts);

    // close: replies refused on the web, the API and the CLI; a moderator may still reply
    assert.equal((await moderate(u, tid, { action: 'close' }, tok.modA)).status, 200);
    const refused = await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: '关闭后回复' }, tok.alice);
    assert.equal(refused.status, 403);
    assert.match(refused.json.error.message, /本主题已关闭/);
    const page = await alice.get(`/t/${tid}/reply`);
    const web = await alice.post(`/t/${tid}/reply`, { body: '网页回复', csrf: csrfOf((await alice.get(`/t/${tid}`)).text) });
    assert.equal(web.status, 403, page.status + ' ' + web.text.slice(0, 200));
    assert.match(textOf(web.text), /本主题已关闭/);
    const cli = await f.run(['post', '--name', 'alice', '--thread', String(tid)], '命令行回复\n');
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /^loulan: the thread is closed: no replies$/m);
    assert.equal((await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: '版主回复' }, tok.modA)).status, 201);
    assert.equal((await moderate(u, tid, { action: 'open' }, tok.modA)).status, 200);

    // delete and restore: the same matrix (the bin of board 1 is modA's)
    for (const action of ['delete', 'restore']) {
      if (action === 'restore') assert.equal((await moderate(u, tid, { action: 'delete' }, tok.modA)).status, 200);
      for (const who of ['alice', 'modB']) assert.equal((await moderate(u, tid, { action }, tok[who])).status, 403, `${who} ${action}`);
      for (const who of ['modA', 'smod', 'boss']) {
        assert.equal((await moderate(u, tid, { action }, tok[who])).status, 200, `${who} ${action}`);
        const again = action === 'delete' ? 'restore' : 'delete';
        assert.equal((await moderate(u, tid, { action: again }, tok[who])).status, 200, `${who} ${again}`);
      }
      if (action === 'restore') assert.equal((await moderate(u, tid, { action: 'restore' }, tok.modA)).status, 200);
    }
    assert.ok((await modA.get('/modcp/recycle')).status === 200);
    await checkCounters(u, [1]);

    // move: the moderator of board 1 may not move into board 2 (not theirs); a super moderator may,
    // leaving a stub; both boards' counters stay right
    const mv = await moderate(u, tid, { action: 'move', fid: 2, stub: true }, tok.modA);
    assert.equal(mv.status, 403);
    assert.match(mv.json.error.message, /目标版块/);
    assert.equal((await moderate(u, tid, { action: 'move', fid: 999 }, tok.smod)).status, 404);
    assert.equal((await moderate(u, tid, { action: 'move', fid: 1 }, tok.smod)).status, 400, 'already there');
    const moved = await moderate(u, tid, { action: 'move', fid: 2, stub: true, reason: '移到灌水' }, tok.smod);
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.json.thread.fid, 2);
    const list1 = (await api(u, 'GET', '/api/v1/boards/1/threads')).json.threads;
    const stub = list1.find((t) => t.moved_to === tid);
    assert.ok(stub, 'a moved stub in the old board');
    const sr = await get(u + `/t/${stub.tid}`);
    assert.equal(sr.status, 301);
    assert.equal(sr.headers.get('location'), `/t/${tid}`);
    await checkCounters(u, [1, 2]);
    for (const p of ['/guide', '/ranklist']) {   // the stub is no thread of its own in the lists
      const html = (await get(u + p)).text;
      assert.ok(!html.includes(`/t/${stub.tid}"`), `${p} leaves the stub out`);
      if (p === '/guide') assert.ok(html.includes(`/t/${tid}"`), 'the guide lists the moved thread itself');
    }
    // now in board 2: modA has no power over it any more
    assert.equal((await moderate(u, tid, { action: 'close' }, tok.modA)).status, 403);

    // delete -> the recycle bin; restore with floors, counters and credits intact; purge: admins only
    const a0 = (await api(u, 'GET', `/api/v1/users/${before.uid}`)).json;
    assert.equal((await moderate(u, tid, { action: 'delete', reason: '违规' }, tok.smod)).status, 200);
    assert.equal((await api(u, 'GET', `/api/v1/threads/${tid}`)).status, 404);
    assert.equal(await found(), 0, 'a thread in the bin is not found by search');
    await checkCounters(u, [1, 2]);
    const a1 = (await api(u, 'GET', `/api/v1/users/${before.uid}`)).json;
    assert.equal(a1.threads, a0.threads - 1);
    const smodWeb = await webLogin(u, 'smod');
    const bin = await smodWeb.get('/modcp/recycle');
    assert.equal(bin.status, 200);
    assert.ok(bin.text.includes('管理测试主题'));
    assert.ok(!bin.text.includes('act-purge'), 'purge is offered to admins only');
    assert.equal((await alice.get('/modcp/recycle')).status, 403);
    assert.equal((await moderate(u, tid, { action: 'close' }, tok.smod)).status, 404, 'a binned thread is not there');
    assert.equal((await moderate(u, tid, { action: 'purge' }, tok.smod)).status, 403);
    const restored = await smodWeb.post(`/t/${tid}/moderate`, { action: 'restore', csrf: csrfOf(bin.text) });
    assert.equal(restored.status, 303, restored.text.slice(0, 300));
    const back = await api(u, 'GET', `/api/v1/threads/${tid}`);
    assert.equal(back.status, 200);
    assert.equal(back.json.floors.length, 3, 'floors intact');
    assert.equal(await found(), 1, 'restored: found by search again (moved to board 2 meanwhile)');
    await checkCounters(u, [1, 2]);
    const a2 = (await api(u, 'GET', `/api/v1/users/${before.uid}`)).json;
    assert.deepEqual([a2.threads, a2.posts, a2.credits], [a0.threads, a0.posts, a0.credits]);
    assert.equal((await moderate(u, tid, { action: 'restore' }, tok.smod)).status, 404, 'not in the bin');
    assert.equal((await moderate(u, stub.tid, { action: 'delete' }, tok.modA)).status, 200, 'a stub can be deleted');
    assert.equal((await moderate(u, tid, { action: 'delete' }, tok.boss)).status, 200);
    assert.equal((await moderate(u, tid, { action: 'purge' }, tok.boss)).status, 200);
    assert.equal((await moderate(u, tid, { action: 'restore' }, tok.boss)).status, 404, 'purged for good');
    await checkCounters(u, [1, 2]);

    // the log: every action with who, what, target and reason; moderators see their boards
    const logAll = await smodWeb.get('/modcp/log');
    assert.equal(logAll.status, 200);
    assert.ok(textOf(logAll.text).includes('彻底删除') && logAll.text.includes('移到灌水'));
    const logA = await modA.get('/modcp/log');
    assert.equal(logA.status, 200);
    assert.ok(logA.text.includes('移到灌水') && logA.text.includes('到 灌水乐园'), 'the move, logged in board 1');
    assert.ok(!logA.text.includes('href="/f/2"') && !textOf(logA.text).includes('彻底删除'),
      'a moderator sees the log of their boards only (the purge was in board 2)');
    assert.equal((await alice.get('/modcp/log')).status, 403);
  } finally {
    await f.stop();
  }
});

test('post actions, moderators API, API errors', async () => {
  const { f, tok } = await setup();
  try {
    const u = f.url;
    const nt = await api(u, 'POST', '/api/v1/boards/1/threads', { title: '楼层管理', body: '一楼' }, tok.alice);
    const tid = nt.json.tid;
    const rep = await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: '违规内容XYZ 屏蔽测试词' }, tok.alice);
    const pid = rep.json.pid;
    const found = async () => (await api(u, 'GET', `/api/v1/search?q=${encodeURIComponent('屏蔽测试词')}`)).json.results.length;
    assert.equal(await found(), 1, 'searchable before');
    const pmod = (body, t) => api(u, 'POST', `/api/v1/posts/${pid}/moderate`, body, t);
    for (const action of ['ban', 'warn', 'unwarn', 'unban', 'delete']) {
      assert.equal((await pmod({ action }, tok.alice)).status, 403, `alice ${action}`);
      assert.equal((await pmod({ action }, tok.modB)).status, 403, `modB ${action}`);
    }
    assert.equal((await pmod({ action: 'ban', reason: '广告' }, tok.modA)).status, 200);
    const guest = await get(u + `/t/${tid}`);
    assert.ok(guest.text.includes('该帖被管理员或版主屏蔽'));
    assert.ok(!guest.text.includes('违规内容XYZ'), 'a banned floor is hidden from guests');
    const alice = await webLogin(u, 'alice');
    assert.ok(!(await alice.get(`/t/${tid}`)).text.includes('违规内容XYZ'), 'and from members, its author too');
    const modA = await webLogin(u, 'modA');
    assert.ok((await modA.get(`/t/${tid}`)).text.includes('违规内容XYZ'), 'the board moderator still reads it');
    const boss = await webLogin(u, 'boss');
    assert.ok((await boss.get(`/t/${tid}`)).text.includes('违规内容XYZ'), 'an admin too');
    // the other ways to read a floor: the API (body_html null but for moderators), the Archiver
    const floorOf = async (t) => (await api(u, 'GET', `/api/v1/threads/${tid}`, undefined, t)).json.floors.find((x) => x.pid === pid);
    assert.equal((await floorOf()).body_html, null);
    assert.equal((await floorOf()).banned, true);
    assert.equal((await floorOf(tok.alice)).body_html, null);
    assert.match((await floorOf(tok.modA)).body_html, /违规内容XYZ/);
    const arch = await get(u + `/archiver/?tid-${tid}.html`);
    assert.equal(arch.status, 200, arch.text.slice(0, 2000));
    assert.ok(arch.text.includes('该帖被管理员或版主屏蔽') && !arch.text.includes('违规内容XYZ'), 'not in the Archiver');
    assert.equal(await found(), 0, 'a banned floor is not found by search');
    for (const who of ['smod', 'boss']) assert.equal((await pmod({ action: 'unban' }, tok[who])).status, 200);
    assert.equal(await found(), 1, 'found again once unbanned');
    assert.ok((await get(u + `/t/${tid}`)).text.includes('违规内容XYZ'));
    // 警告 through the floor's 管理 menu (web form)
    const page = await modA.get(`/t/${tid}`);
    const w = await modA.post(`/p/${pid}/moderate`, { action: 'warn', csrf: csrfOf(page.text) });
    assert.equal(w.status, 303, w.text.slice(0, 200));
    assert.ok((await get(u + `/t/${tid}`)).text.includes('该帖被管理员或版主警告'));
    const aliceId = (await api(u, 'GET', '/api/v1/me', undefined, tok.alice)).json.uid;
    assert.equal((await api(u, 'GET', `/api/v1/users/${aliceId}`)).json.warnings, 1, 'counted on the member');
    assert.equal((await pmod({ action: 'warn' }, tok.smod)).status, 200);
    assert.equal((await api(u, 'GET', `/api/v1/users/${aliceId}`)).json.warnings, 1, 'once per floor');
    assert.equal((await pmod({ action: 'unwarn' }, tok.smod)).status, 200);
    assert.equal((await api(u, 'GET', `/api/v1/users/${aliceId}`)).json.warnings, 0);
    assert.equal((await pmod({ action: 'warn' }, tok.smod)).status, 200);
    assert.equal((await pmod({ action: 'delete' }, tok.modA)).status, 200);
    assert.equal((await pmod({ action: 'ban' }, tok.modA)).status, 404, 'a deleted floor');
    await checkCounters(u, [1]);

    // board moderators: admins only; shown on the board page
    const mods = (method, fid, body, t) => api(u, method, `/api/v1/boards/${fid}/moderators`, body, t);
    assert.equal((await mods('POST', 2, { username: 'modB' }, tok.smod)).status, 403);
    assert.equal((await mods('POST', 2, { username: 'nobody' }, tok.boss)).status, 404);
    assert.equal((await mods('POST', 99, { username: 'modB' }, tok.boss)).status, 404);
    assert.equal((await mods('POST', 2, { username: 5 }, tok.boss)).status, 400);
    const added = await mods('POST', 2, { username: 'modB' }, tok.boss);
    assert.equal(added.status, 200, added.text);
    assert.match(added.json.moderators, /modB/);
    assert.equal((await mods('POST', 2, { username: 'modB' }, tok.boss)).status, 409, 'already');
    assert.match(textOf((await get(u + '/f/2')).text), /版主: .*modB/);
    const t2 = (await api(u, 'GET', '/api/v1/boards/2/threads')).json.threads.find((t) => t.fid === 2);
    assert.equal((await moderate(u, t2.tid, { action: 'close' }, tok.modB)).status, 200, 'modB now moderates board 2');
    assert.equal((await mods('DELETE', 2, { username: 'modB' }, tok.boss)).status, 200);
    assert.equal((await moderate(u, t2.tid, { action: 'open' }, tok.modB)).status, 403, 'and no longer');
    assert.ok(!(await get(u + '/f/2')).text.includes('modB'));
    const cliRm = await f.run(['board', 'mod', '--fid', '2', '--name', 'modB', '--remove']);
    assert.notEqual(cliRm.code, 0, 'not a moderator any more');

    // API errors: JSON with the right status
    const bad = [
      [{ action: 'explode' }, 400], [{}, 400], [{ action: 'stick', level: 4 }, 400], [{ action: 'stick', level: 'x' }, 400],
      [{ action: 'highlight', color: 'chartreuse' }, 400], [{ action: 'move' }, 400],
      [{ action: 'close', reason: 'x'.repeat(256) }, 400], [{ action: 'close', reason: 'x'.repeat(255) }, 200],
    ];
    for (const [body, status] of bad) {
      const r = await moderate(u, tid, body, tok.boss);
      assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 60)}: ${r.text}`);
      if (status !== 200) assert.ok(r.json?.error?.message, 'a JSON error');
    }
    assert.equal((await moderate(u, 999999, { action: 'close' }, tok.boss)).status, 404);
    assert.equal((await api(u, 'POST', `/api/v1/threads/${tid}/moderate`, 'not json', tok.boss)).status, 400);
    // the batch bar: more than MOD_BATCH_MAX (50) threads refused
    const bpage = await boss.get('/f/1');
    const form = new URLSearchParams({ action: 'close', csrf: csrfOf(bpage.text) });
    for (let i = 1; i <= 51; i++) form.append('tid', String(i));
    assert.equal((await boss.post('/f/1/moderate', form)).status, 400);
    const form2 = new URLSearchParams({ action: 'stick', level: '1', csrf: csrfOf(bpage.text) });
    form2.append('tid', String(tid));
    assert.equal((await boss.post('/f/1/moderate', form2)).status, 303);
    assert.equal((await thread(u, tid)).sticky_level, 1);
  } finally {
    await f.stop();
  }
});

const PG = process.env.LOULAN_TEST_PG;
test('two nodes: a stick on node A shows on node B\'s board page at once', { skip: PG ? false : 'needs LOULAN_TEST_PG' }, async () => {
  const { f, tok } = await setup();
  try {
    const b = (await f.startNode()).url;
    const t = (await api(f.url, 'GET', '/api/v1/boards/2/threads')).json.threads.find((x) => x.fid === 2 && !x.sticky);
    await get(b + '/f/2');
    assert.equal(footerOf((await get(b + '/f/2')).text).cache, true, 'node B has board 2 cached');
    await get(b + '/f/4');
    assert.equal((await moderate(f.url, t.tid, { action: 'stick', level: 3 }, tok.boss)).status, 200);
    let seen2 = false, seen4 = false;
    for (const t0 = Date.now(); (!seen2 || !seen4) && Date.now() - t0 < 5000;) {
      const p2 = await get(b + '/f/2');
      seen2 = /全局置顶/.test(p2.text) && p2.text.indexOf(t.title) < p2.text.indexOf('</tbody>');
      seen4 = (await get(b + '/f/4')).text.includes(t.title);
    }
    assert.ok(seen2 && seen4, 'node B shows the global sticky on its own board and on another category\'s board');
    // a moderator assigned on node A has the power on node B
    assert.equal((await api(f.url, 'POST', '/api/v1/boards/2/moderators', { username: 'modA' }, tok.boss)).status, 200);
    let ok = false;
    for (const t0 = Date.now(); !ok && Date.now() - t0 < 5000;) {
      ok = (await moderate(b, t.tid, { action: 'close' }, tok.modA)).status === 200;
    }
    assert.ok(ok, 'node B knows the new moderator');
  } finally {
    await f.stop();
  }
});
