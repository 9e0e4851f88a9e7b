// t0755: moderation (issue #12), the review's gaps and the one permission-matrix table (every action, five roles): a held (审核) post keeps its attachments through
// approval (and the collector of unused uploads leaves them while they wait); a 屏蔽 floor's
// attachments (original and thumbnail) are its board's moderators' only; the board page's batch bar is
// one transaction (a refusal on one thread changes none and names it). SQLite, and PostgreSQL when
// LOULAN_TEST_PG is set.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startModForum, apiToken, api, webLogin, csrfOf, eventually, makeImage, upload, fetchBytes, sql, get, textOf, PW, queriesOf,
} from './lib.mjs';

let forum, fidA, fidB, uid;
before(async () => {
  ({ forum, fidA, fidB, uid } = await startModForum(['bob', 'carol']));
});
after(async () => { await forum?.stop(); });

const attachmentPid = async (aid) => {
  const r = await api(forum.url, 'GET', `/a/${aid}/o`);
  return r.status;
};

test('a held post keeps its attachments through approval; waiting uploads are not collected', async () => {
  const u = forum.url;
  const bob = await apiToken(u, 'bob');
  const t = await api(u, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '附件审核主题', body: '一楼' }, bob);
  assert.equal(t.status, 201, t.text);
  let r = await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '1', '--replies', '1', '--groups', '10']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => (await api(u, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: '探测' }, bob)).status === 202,
    'the approval setting to load');
  await sql(forum, 'DELETE FROM pending_post');

  // the API: one placed by [attach], one only listed
  const placed = await upload(u, bob, 'placed.jpg', makeImage(400, 300, 'jpg', 7), { fid: fidA });
  const listed = await upload(u, bob, 'listed.png', makeImage(200, 100, 'png', 8), { fid: fidA });
  assert.equal(placed.status, 201, placed.text);
  assert.equal(listed.status, 201, listed.text);
  // and one the text alone places, as the composer's upload button writes it
  const textOnly = await upload(u, bob, 'composer.jpg', makeImage(320, 240, 'jpg', 12), { fid: fidA });
  assert.equal(textOnly.status, 201, textOnly.text);
  r = await api(u, 'POST', `/api/v1/threads/${t.json.tid}/posts`,
    { body: `看图 [attach]${placed.json.aid}[/attach] 还有 [attachimg]${textOnly.json.aid}[/attachimg]`,
      attachments: [placed.json.aid, listed.json.aid] }, bob);
  assert.equal(r.status, 202, r.text);
  const heldApi = r.json.pending_id;

  // the web form: a file sent with a new thread
  const web = await webLogin(u, 'bob');
  const form = await web.get(`/f/${fidA}/new`);
  const fd = new FormData();
  fd.append('csrf', csrfOf(form.text));
  fd.append('title', '带附件的新主题');
  fd.append('body', '正文见附件');
  fd.append('file', new Blob([makeImage(300, 200, 'jpg', 9)]), 'form.jpg');
  r = await web.post(`/f/${fidA}/new`, fd);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match(r.headers.get('location'), /\/pending\?held=1/);
  const pend = (await api(u, 'GET', '/api/v1/pending', undefined, await apiToken(u, 'modA'))).json;
  const heldWeb = pend.pending.find((x) => x.subject === '带附件的新主题').id;

  // a day passes: the collector of unused uploads must leave uploads that wait with their post
  await sql(forum, 'UPDATE attachment SET created = 1');
  r = await forum.run(['blobs', 'collect']);
  assert.equal(r.code, 0, r.stderr);
  // while held, only the uploader fetches them (no post shows them yet)
  assert.equal(await attachmentPid(listed.json.aid), 404);

  const modA = await apiToken(u, 'modA');
  r = await api(u, 'POST', '/api/v1/pending', { action: 'approve', ids: [heldApi, heldWeb] }, modA);
  assert.equal(r.status, 200, r.text);
  const th = (await api(u, 'GET', `/api/v1/threads/${t.json.tid}`)).json;
  const reply = th.floors.find((f) => f.body_html.includes('看图'));
  assert.ok(reply, 'the approved reply is shown');
  assert.match(reply.body_html, new RegExp(`/a/${placed.json.aid}/`), 'the placed image is shown inline');
  assert.match(reply.body_html, new RegExp(`/a/${listed.json.aid}/`), 'the listed image is listed under it');
  assert.match(reply.body_html, new RegExp(`/a/${textOnly.json.aid}/`), 'the image only the text placed is shown');
  assert.doesNotMatch(reply.body_html, /\[attach(img)?\]/, 'no literal [attach] left');
  for (const aid of [placed.json.aid, listed.json.aid, textOnly.json.aid]) assert.equal(await attachmentPid(aid), 200, `aid ${aid} served`);
  const list = (await api(u, 'GET', `/api/v1/boards/${fidA}/threads`)).json.threads;
  const newTid = list.find((x) => x.title === '带附件的新主题').tid;
  const first = (await api(u, 'GET', `/api/v1/threads/${newTid}`)).json.floors[0];
  const m = first.body_html.match(/\/a\/(\d+)\//);
  assert.ok(m, `the form's file is listed under the approved thread: ${first.body_html}`);
  assert.equal(await attachmentPid(m[1]), 200);

  // a deleted pending post gives its uploads back to the collector
  const gone = await upload(u, bob, 'gone.jpg', makeImage(120, 80, 'jpg', 10), { fid: fidA });
  r = await api(u, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: '将被删除', attachments: [gone.json.aid] }, bob);
  assert.equal(r.status, 202);
  r = await api(u, 'POST', '/api/v1/pending', { action: 'delete', ids: [r.json.pending_id] }, modA);
  assert.equal(r.status, 200, r.text);
  await sql(forum, 'UPDATE attachment SET created = 1');
  r = await forum.run(['blobs', 'collect']);
  assert.equal(r.code, 0);
  const own = await fetchBytes(`${u}/a/${gone.json.aid}/o`, { authorization: `Bearer ${bob}` });
  assert.equal(own.status, 404, 'collected after its post was deleted');
  await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '0', '--replies', '0']);
  await eventually(async () => (await api(u, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: '探测' }, bob)).status === 201,
    'the approval setting to be lifted');
});

test('a 屏蔽 floor\'s attachments: original and thumbnail refused to all but its moderators', async () => {
  const u = forum.url;
  const carol = await apiToken(u, 'carol');
  const img = await upload(u, carol, 'ban.jpg', makeImage(640, 480, 'jpg', 11), { fid: fidB });
  const file = await upload(u, carol, 'notes.txt', Buffer.from('屏蔽附件文本'), { fid: fidB });
  assert.equal(img.status, 201, img.text);
  assert.equal(file.status, 201, file.text);
  const t = await api(u, 'POST', `/api/v1/boards/${fidB}/threads`, { title: '屏蔽附件主题', body: '一楼' }, carol);
  const rep = await api(u, 'POST', `/api/v1/threads/${t.json.tid}/posts`,
    { body: `[attach]${img.json.aid}[/attach]`, attachments: [img.json.aid, file.json.aid] }, carol);
  assert.equal(rep.status, 201, rep.text);
  const urls = [`/a/${img.json.aid}/o`, `/a/${img.json.aid}/thumb`, `/a/${img.json.aid}/display`, `/a/${file.json.aid}/o`];
  for (const p of urls) {
    const r = await fetchBytes(u + p);
    assert.equal(r.status, 200, `${p} before`);
    assert.match(r.headers.get('cache-control'), /public/);
  }
  const modB = await apiToken(u, 'modB');
  let r = await api(u, 'POST', `/api/v1/posts/${rep.json.pid}/moderate`, { action: 'ban', reason: '违规图片' }, modB);
  assert.equal(r.status, 200, r.text);
  const modBweb = await webLogin(u, 'modB');
  const modAweb = await webLogin(u, 'modA');
  const carolWeb = await webLogin(u, 'carol');
  for (const p of urls) {
    assert.equal((await fetchBytes(u + p)).status, 404, `guest ${p}`);
    assert.equal((await carolWeb.get(p)).status, 404, `its author ${p}`);
    assert.equal((await modAweb.get(p)).status, 404, `another board's moderator ${p}`);
    const mine = await modBweb.get(p);
    assert.equal(mine.status, 200, `the board's moderator ${p}`);
    assert.match(mine.headers.get('cache-control'), /private/, 'never cached in public while 屏蔽');
  }
  // the download counts and the album leave it out too
  const counts = await api(u, 'GET', `/api/v1/attachments/counts?aids=${img.json.aid},${file.json.aid}`, undefined, carol);
  assert.deepEqual(counts.json, {});
  assert.doesNotMatch((await get(`${u}/u/${uid.carol}/album`)).text, new RegExp(`/a/${img.json.aid}/thumb`));
  // 解除屏蔽: everyone again
  r = await api(u, 'POST', `/api/v1/posts/${rep.json.pid}/moderate`, { action: 'unban' }, modB);
  assert.equal(r.status, 200);
  for (const p of urls) assert.equal((await fetchBytes(u + p)).status, 200, `guest ${p} after unban`);
});

test('the board page\'s batch bar is one transaction: a refusal changes nothing and names the thread', async () => {
  const u = forum.url;
  const bob = await apiToken(u, 'bob');
  const mk = async (fid, title) => (await api(u, 'POST', `/api/v1/boards/${fid}/threads`, { title, body: '正文' }, bob)).json.tid;
  const a1 = await mk(fidA, '批量一号');
  const a2 = await mk(fidA, '批量二号');
  const b1 = await mk(fidB, '别的版块的主题');
  const modA = await webLogin(u, 'modA');
  const csrf = csrfOf((await modA.get(`/f/${fidA}`)).text);
  const batch = (tids, action) => modA.post(`/f/${fidA}/moderate`,
    new URLSearchParams([['csrf', csrf], ['action', action], ['level', '1'], ...tids.map((t) => ['tid', String(t)])]));
  const closed = async (tid) => (await api(u, 'GET', `/api/v1/threads/${tid}`)).json.thread.closed;

  // the thread of board B comes last: A's two would have been closed before it was refused
  let r = await batch([a1, a2, b1], 'close');
  assert.equal(r.status, 403, textOf(r.text).slice(0, 300));
  const msg = textOf(r.text);
  assert.match(msg, new RegExp(`主题 ${b1}「别的版块的主题」`), msg.slice(0, 400));
  assert.match(msg, /全部撤销/);
  for (const tid of [a1, a2, b1]) assert.equal(await closed(tid), false, `thread ${tid} untouched`);
  const log = await api(u, 'GET', '/api/v1/threads/' + a1);
  assert.ok(!JSON.stringify(log.json).includes('关闭'), 'no moderation note left behind');

  // a missing thread in the middle: the same
  r = await batch([a1, 99999999, a2], 'close');
  assert.equal(r.status, 404);
  assert.match(textOf(r.text), /主题 99999999 未能关闭/);
  assert.equal(await closed(a1), false);

  // all of them the moderator's: done together
  r = await batch([a1, a2], 'close');
  assert.equal(r.status, 303);
  assert.equal(await closed(a1), true);
  assert.equal(await closed(a2), true);
});

// ---- the permission matrix of every moderation action (issue #12's "Done when") ----------------
// Each action is tried by a member (bob), another board's moderator (modB), the board's moderator
// (modA), a super moderator and an admin, each on a target of its own; a refusal is 403 and changes
// nothing. t0750/t0520/t0530/t0950 test the same rules in depth; this is the one table of who may.
const ROLES = ['bob', 'modB', 'modA', 'superm', 'root'];
const MODS = ['modA', 'superm', 'root'];
const STAFF = ['superm', 'root'];
const ADMIN = ['root'];

test('the permission matrix: every action, the five roles, only the right ones succeed', async () => {
  const u = forum.url;
  const tok = {};
  for (const who of [...ROLES, 'carol']) tok[who] = await apiToken(u, who);
  const root = tok.root;
  // board C: modA's too (a move from A to C is theirs; from A to B is not)
  const fidC = Number((await forum.run(['board', 'add', '--name', 'C版'])).stdout.trim());
  assert.equal((await api(u, 'POST', `/api/v1/boards/${fidC}/moderators`, { username: 'modA' }, root)).status, 200);
  let n = 0;
  const newThread = async () => {
    const r = await api(u, 'POST', `/api/v1/boards/${fidA}/threads`, { title: `矩阵主题${++n}`, body: '正文' }, tok.carol);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const state = async (tid) => {
    const t = (await api(u, 'GET', `/api/v1/threads/${tid}`, undefined, root)).json?.thread;
    return t && [t.fid, t.sticky_level, t.digest_level, t.highlight, t.bold, t.closed, t.lastpost].join();
  };
  async function matrix(label, allowed, make, attempt, check = state) {
    for (const who of ROLES) {
      const target = await make();
      const before = check ? await check(target.tid) : null;
      const r = await attempt(target, tok[who], who);
      if (allowed.includes(who)) {
        assert.ok(r.status >= 200 && r.status < 400, `${label}: ${who} refused (${r.status} ${r.text})`);
      } else {
        assert.equal(r.status, 403, `${label}: ${who} got ${r.status} ${r.text}`);
        if (check) assert.equal(await check(target.tid), before, `${label}: ${who}'s refusal changed nothing`);
      }
    }
  }
  const tmod = (body, prep) => [async () => {
    const t = await newThread();
    if (prep) assert.equal((await api(u, 'POST', `/api/v1/threads/${t.tid}/moderate`, prep, root)).status, 200);
    return t;
  }, (t, k) => api(u, 'POST', `/api/v1/threads/${t.tid}/moderate`, body, k)];

  // thread actions (the 管理 menu and the API share mod_thread)
  await matrix('stick 1', MODS, ...tmod({ action: 'stick', level: 1 }));
  await matrix('stick 2', STAFF, ...tmod({ action: 'stick', level: 2 }));
  await matrix('stick 3', STAFF, ...tmod({ action: 'stick', level: 3 }));
  await matrix('unstick 1', MODS, ...tmod({ action: 'unstick' }, { action: 'stick', level: 1 }));
  await matrix('unstick 3', STAFF, ...tmod({ action: 'unstick' }, { action: 'stick', level: 3 }));
  await matrix('digest', MODS, ...tmod({ action: 'digest', level: 2 }));
  await matrix('undigest', MODS, ...tmod({ action: 'undigest' }, { action: 'digest', level: 1 }));
  await matrix('highlight', MODS, ...tmod({ action: 'highlight', color: 'red', bold: true }));
  await matrix('close', MODS, ...tmod({ action: 'close' }));
  await matrix('open', MODS, ...tmod({ action: 'open' }, { action: 'close' }));
  await matrix('bump', MODS, ...tmod({ action: 'bump' }));
  await matrix('sink', MODS, ...tmod({ action: 'sink' }));
  await matrix('move A→C (modA moderates both)', MODS, ...tmod({ action: 'move', fid: fidC }));
  await matrix('move A→B (modA does not moderate B)', STAFF, ...tmod({ action: 'move', fid: fidB, stub: true }));
  await matrix('delete', MODS, ...tmod({ action: 'delete' }));
  const binned = (body) => [async () => {
    const t = await newThread();
    assert.equal((await api(u, 'POST', `/api/v1/threads/${t.tid}/moderate`, { action: 'delete' }, root)).status, 200);
    return t;
  }, (t, k) => api(u, 'POST', `/api/v1/threads/${t.tid}/moderate`, body, k)];
  const inBin = async (tid) => (await api(u, 'GET', `/api/v1/threads/${tid}`, undefined, root)).status;
  await matrix('restore', MODS, ...binned({ action: 'restore' }), inBin);
  await matrix('purge (from the bin)', ADMIN, ...binned({ action: 'purge' }), inBin);

  // the batch bar (web): one thread of board A
  const webs = {};
  for (const who of ROLES) webs[who] = await webLogin(u, who);
  await matrix('batch bar close', MODS, newThread, async (t, _k, who) => {
    const csrf = csrfOf((await webs[who].get('/')).text);
    return webs[who].post(`/f/${fidA}/moderate`, new URLSearchParams([['csrf', csrf], ['action', 'close'], ['tid', String(t.tid)]]));
  });

  // post actions
  const reply = async (prep) => {
    const t = await newThread();
    const r = await api(u, 'POST', `/api/v1/threads/${t.tid}/posts`, { body: '一条回复' }, tok.carol);
    assert.equal(r.status, 201);
    if (prep) assert.equal((await api(u, 'POST', `/api/v1/posts/${r.json.pid}/moderate`, { action: prep }, root)).status, 200);
    return { tid: t.tid, pid: r.json.pid };
  };
  const pstate = async (tid) => JSON.stringify((await api(u, 'GET', `/api/v1/threads/${tid}`, undefined, root)).json.floors
    .map((f) => [f.pid, f.banned, f.warned, f.deleted]));
  for (const [action, prep] of [['ban'], ['unban', 'ban'], ['warn'], ['unwarn', 'warn'], ['delete']])
    await matrix(`post ${action}`, MODS, () => reply(prep), (p, k) => api(u, 'POST', `/api/v1/posts/${p.pid}/moderate`, { action }, k), pstate);

  // members: 禁言 with the post that earned it, 禁止访问, a ban without a board, the unban; 删除该用户所有帖子
  const carolGroup = async () => (await api(u, 'GET', `/api/v1/users/${uid.carol}`)).json.groupid;
  const lift = async () => api(u, 'DELETE', `/api/v1/users/${uid.carol}/ban`, undefined, root);
  const banned = async () => [4, 5].includes(await carolGroup());   // else a member group (by credits)
  for (const [label, body, allowed] of [['禁言 (post of board A)', { type: 'post', days: 1 }, MODS],
    ['禁止访问', { type: 'visit', days: 1 }, STAFF], ['禁言 without a board', { type: 'post', days: 1, nopid: true }, STAFF]]) {
    await matrix(label, allowed, () => reply(), async (p, k) => {
      const { nopid, ...b } = body;
      const r = await api(u, 'POST', `/api/v1/users/${uid.carol}/ban`, nopid ? b : { ...b, pid: p.pid }, k);
      assert.equal(await banned(), r.status === 200, `${label}: banned exactly when allowed`);
      await lift();
      return r;
    }, null);
  }
  await matrix('unban (post of board A)', MODS, async () => {
    const p = await reply();
    assert.equal((await api(u, 'POST', `/api/v1/users/${uid.carol}/ban`, { type: 'post', days: 1, pid: p.pid }, root)).status, 200);
    return p;
  }, async (p, k) => {
    const r = await api(u, 'DELETE', `/api/v1/users/${uid.carol}/ban?pid=${p.pid}`, undefined, k);
    assert.equal(await banned(), r.status !== 200, 'unbanned exactly when allowed');
    await lift();
    return r;
  }, null);
  let spam = 0;
  await matrix('删除该用户所有帖子', ADMIN, async () => {
    const name = `spam${++spam}`;
    const add = await forum.run(['user', 'add', '--name', name, '--email', `${name}@example.com`], `${PW}\n`);
    assert.equal(add.code, 0, add.stderr);
    const r = await api(u, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '广告', body: '买' }, await apiToken(u, name));
    assert.equal(r.status, 201);
    return { tid: r.json.tid, uid: (await api(u, 'GET', '/api/v1/me', undefined, await apiToken(u, name))).json.uid };
  }, (t, k) => api(u, 'POST', `/api/v1/users/${t.uid}/purge`, {}, k), inBin);

  // the report queue: a report on a post of board A handled (ignore, delete, ban)
  for (const action of ['ignore', 'delete', 'ban']) {
    await matrix(`report ${action}`, MODS, async () => {
      const p = await reply();
      const r = await api(u, 'POST', `/api/v1/posts/${p.pid}/report`, { reason: '广告' }, tok.bob);
      assert.equal(r.status, 201, r.text);
      return { tid: p.tid, id: r.json.id };
    }, async (rep, k) => {
      const r = await api(u, 'POST', `/api/v1/reports/${rep.id}/handle`, { action, days: 1 }, k);
      await lift();
      return r;
    }, pstate);
  }

  // board moderators and IP bans: admins only
  await matrix('appoint a moderator', ADMIN, async () => ({}), (_t, k) => api(u, 'POST', `/api/v1/boards/${fidB}/moderators`, { username: 'carol' }, k), null);
  await matrix('remove a moderator', ADMIN, async () => {
    const add = await api(u, 'POST', `/api/v1/boards/${fidB}/moderators`, { username: 'carol' }, root);
    assert.ok([200, 409].includes(add.status), 'a moderator of board B (409: already)');
    return {};
  }, (_t, k) => api(u, 'DELETE', `/api/v1/boards/${fidB}/moderators`, { username: 'carol' }, k), null);
  await matrix('IP 禁止', ADMIN, async () => ({}), (_t, k) => api(u, 'POST', '/api/v1/ipbans', { cidr: '198.51.100.7', seconds: 60 }, k), null);

  // 审核: approve and delete held threads of board A
  let r = await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '1']);   // every member group
  assert.equal(r.code, 0, r.stderr);
  const held = async () => {
    const h = await api(u, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '待审', body: '正文' }, tok.carol);
    return h;
  };
  await eventually(async () => (await held()).status === 202, 'the approval setting to load');
  for (const action of ['approve', 'delete']) {
    await matrix(`审核 ${action}`, MODS, async () => {
      const h = await held();
      assert.equal(h.status, 202, h.text);
      return { id: h.json.pending_id };
    }, (h, k) => api(u, 'POST', '/api/v1/pending', { action, ids: [h.id] }, k), null);
  }
  r = await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '0']);
  assert.equal(r.code, 0);
  await eventually(async () => {
    const t = await api(u, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '探测', body: '正文' }, tok.carol);
    return t.status === 201;
  }, 'the approval setting to be lifted');
});

test('board and thread pages with stickies of levels 1-3: at most 3 queries for guests, members and moderators', async () => {
  const u = forum.url;
  const root = await apiToken(u, 'root');
  const carol = await apiToken(u, 'carol');
  const mk = async (fid, title) => {
    const r = await api(u, 'POST', `/api/v1/boards/${fid}/threads`, { title, body: '正文' }, carol);
    assert.equal(r.status, 201, r.text);
    return r.json.tid;
  };
  // the previous test's `board approval --threads 0` reaches the running server with its next reload of
  // the approval settings (BG_FLUSH_MS): until then a new thread is held (202)
  const s1 = await eventually(async () => {
    const r = await api(u, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '本版置顶的主题', body: '正文' }, carol);
    return r.status === 201 && r.json.tid;
  }, 'approval off on the running server');
  const s2 = await mk(fidB, '分类置顶的主题');
  const s3 = await mk(fidB, '全局置顶的主题');
  for (const [tid, level] of [[s1, 1], [s2, 2], [s3, 3]])
    assert.equal((await api(u, 'POST', `/api/v1/threads/${tid}/moderate`, { action: 'stick', level }, root)).status, 200);
  const viewers = { guest: null, bob: await webLogin(u, 'bob'), modA: await webLogin(u, 'modA'), modB: await webLogin(u, 'modB') };
  for (const [name, c] of Object.entries(viewers)) {
    for (let i = 0; i < 2; i++) {   // the render and the cached copy
      const board = c ? await c.get(`/f/${fidA}`) : await get(`${u}/f/${fidA}`);
      assert.equal(board.status, 200);
      const text = textOf(board.text);
      for (const w of ['本版置顶的主题', '分类置顶的主题', '全局置顶的主题']) assert.ok(text.includes(w), `${name} sees ${w} on board A`);
      assert.ok(queriesOf(board.text) <= 3, `${name}: board page with stickies, ${queriesOf(board.text)} queries`);
      for (const tid of [s1, s3]) {
        const th = c ? await c.get(`/t/${tid}`) : await get(`${u}/t/${tid}`);
        assert.equal(th.status, 200);
        assert.ok(queriesOf(th.text) <= 3, `${name}: thread ${tid}, ${queriesOf(th.text)} queries`);
      }
    }
  }
});
