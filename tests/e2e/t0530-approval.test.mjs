// t0530: 审核. A board holds new threads and replies from chosen groups (`loulan board approval`):
// held posts are invisible to others and uncounted, the author sees them at /pending marked 待审核,
// the board's moderators (not another board's, not members) approve or delete them in batches at
// /modcp/pending and through the API; approved posts count; moderators are never held.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startModForum, csrfOf, webLogin, apiToken, api, PW, sql, eventually, queriesOf, checkCounters } from './lib.mjs';

const USERS = ['bob', 'carol', 'modA', 'modB', 'superm'];
let forum, fidA, fidB, tidA, uid;
before(async () => {
  ({ forum, fidA, fidB, uid } = await startModForum(USERS, ['审核版', '其他版']));
  await forum.run(['user', 'group', '--name', 'carol', '--group', '3']);   // a group not in the list (member groups follow credits)
  const t = await api(forum.url, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '先有的主题', body: '正文' }, await apiToken(forum.url, 'bob'));
  assert.equal(t.status, 201, t.text);
  tidA = t.json.tid;
  let r = await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '1', '--replies', '1', '--groups', '10']);
  assert.equal(r.code, 0, r.stderr);
  // CLI validation
  r = await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '2']);
  assert.equal(r.code, 2);
  r = await forum.run(['board', 'approval', '--fid', '99999', '--threads', '1']);
  assert.equal(r.code, 1);
  r = await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '1', '--groups', '10;drop']);
  assert.equal(r.code, 1);
  r = await forum.run(['board', 'approval', '--fid', String(fidA), '--threads', '1', '--groups', '1'.repeat(201)]);
  assert.equal(r.code, 1);
  await eventually(async () => (await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '探测' },
    await apiToken(forum.url, 'bob'))).status === 202, 'the approval setting to load');
  await sql(forum, 'DELETE FROM pending_post');
});
after(async () => { await forum?.stop(); });

const threadsOf = async (fid) => (await api(forum.url, 'GET', `/api/v1/boards/${fid}/threads`)).json.threads.map((t) => t.title);

test('held posts: invisible, uncounted, 待审核 for the author; other groups and moderators are not held', async () => {
  const bob = await apiToken(forum.url, 'bob');
  const before = (await api(forum.url, 'GET', `/api/v1/users/${uid.bob}`)).json;
  const floorsBefore = (await api(forum.url, 'GET', `/api/v1/threads/${tidA}`)).json.floors.length;   // probes before the setting loaded
  let r = await api(forum.url, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '待审主题', body: '需要审核的内容' }, bob);
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.status, 'pending');
  r = await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '需要审核的回复' }, bob);
  assert.equal(r.status, 202);
  assert.ok(!(await threadsOf(fidA)).includes('待审主题'));
  const th = await api(forum.url, 'GET', `/api/v1/threads/${tidA}`);
  assert.equal(th.json.floors.length, floorsBefore, 'the reply is not shown');
  const after = (await api(forum.url, 'GET', `/api/v1/users/${uid.bob}`)).json;
  assert.equal(after.posts, before.posts);
  assert.equal(after.threads, before.threads);
  await checkCounters(forum.url, [fidA], [uid.bob]);
  // the author sees them marked 待审核; another member does not
  const web = await webLogin(forum.url, 'bob');
  const mine = await web.get('/pending');
  assert.equal(mine.status, 200);
  assert.match(mine.text, /待审核<\/span> <strong>待审主题<\/strong>/);
  assert.match(mine.text, /需要审核的回复/);
  assert.ok(queriesOf(mine.text) <= 3);
  const carolWeb = await webLogin(forum.url, 'carol');
  assert.doesNotMatch((await carolWeb.get('/pending')).text, /待审主题/);
  assert.equal((await web.get('/modcp/pending')).status, 403, 'a member has no queue');
  // carol is in the 版主 group (3) but moderates no board: her queue holds nothing of board A
  const carolQueue = await carolWeb.get('/modcp/pending');
  assert.equal(carolQueue.status, 200);
  assert.doesNotMatch(carolQueue.text, /待审主题|需要审核的回复/);
  // the web form lands on /pending?held=1
  const form = await web.get(`/t/${tidA}/reply`);
  r = await web.post(`/t/${tidA}/reply`, { csrf: csrfOf(form.text), body: '网页回复待审' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/pending?held=1');
  assert.match((await web.get('/pending?held=1')).text, /需要版主审核/);
  // group 3 (carol) is not in the list; the board's moderator and other boards are not held
  const carol = await apiToken(forum.url, 'carol');
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '不审核' }, carol)).status, 201);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '版主回复' }, await apiToken(forum.url, 'modA'))).status, 201);
  assert.equal((await api(forum.url, 'POST', `/api/v1/boards/${fidB}/threads`, { title: 'B版主题', body: 'x' }, bob)).status, 201);
  // bad input is refused before holding
  assert.equal((await api(forum.url, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '', body: 'x' }, bob)).status, 400);
  assert.equal((await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: 'x'.repeat(70000) }, bob)).status, 413);
});

test('approving and deleting: the permission matrix, batches, counters', async () => {
  const q = await api(forum.url, 'GET', '/api/v1/pending', undefined, await apiToken(forum.url, 'modA'));
  assert.equal(q.status, 200);
  const ids = q.json.pending.map((x) => x.id);
  assert.equal(ids.length, 3);
  assert.equal((await api(forum.url, 'GET', '/api/v1/pending', undefined, await apiToken(forum.url, 'modB'))).json.pending.length, 0,
    "another board's moderator sees none");
  for (const who of ['bob', 'modB']) {
    const r = await api(forum.url, 'POST', '/api/v1/pending', { action: 'approve', ids: [ids[0]] }, await apiToken(forum.url, who));
    assert.equal(r.status, 403, who);
  }
  const modA = await apiToken(forum.url, 'modA');
  assert.equal((await api(forum.url, 'POST', '/api/v1/pending', { action: 'bless', ids }, modA)).status, 400);
  assert.equal((await api(forum.url, 'POST', '/api/v1/pending', { action: 'approve', ids: [] }, modA)).status, 400);
  assert.equal((await api(forum.url, 'POST', '/api/v1/pending', { action: 'approve', ids: Array(51).fill(ids[0]) }, modA)).status, 400);
  assert.equal((await api(forum.url, 'POST', '/api/v1/pending', { action: 'approve', ids: ['x'] }, modA)).status, 400);
  // the header count includes held posts
  const web = await webLogin(forum.url, 'modA');
  await eventually(async () => /class="qcount">3</.test((await web.get('/')).text), 'the queue count');
  // the web batch: approve two (the thread and the first reply), as modA
  const page = await web.get('/modcp/pending');
  assert.equal(page.status, 200);
  assert.match(page.text, /待审主题/);
  const th = q.json.pending.find((x) => x.tid === 0);
  const rep = q.json.pending.find((x) => x.body === '需要审核的回复');
  const body = new URLSearchParams([['csrf', csrfOf(page.text)], ['action', 'approve'], ['id', String(th.id)], ['id', String(rep.id)]]);
  let r = await web.post('/modcp/pending', body);
  assert.equal(r.status, 303, r.text);
  assert.ok((await threadsOf(fidA)).includes('待审主题'));
  const floors = (await api(forum.url, 'GET', `/api/v1/threads/${tidA}`)).json.floors;
  assert.ok(floors.some((f) => /需要审核的回复/.test(f.body_html ?? '')), 'the reply is shown');
  await checkCounters(forum.url, [fidA, fidB], [uid.bob, uid.carol, uid.modA]);
  // deciding twice: 404
  r = await api(forum.url, 'POST', '/api/v1/pending', { action: 'approve', ids: [th.id] }, modA);
  assert.equal(r.status, 404);
  // the last one deleted by a super moderator
  const left = q.json.pending.find((x) => x.id !== th.id && x.id !== rep.id);
  r = await api(forum.url, 'POST', '/api/v1/pending', { action: 'delete', ids: [left.id] }, await apiToken(forum.url, 'superm'));
  assert.equal(r.status, 200, r.text);
  assert.equal((await api(forum.url, 'GET', '/api/v1/pending', undefined, modA)).json.pending.length, 0);
  assert.doesNotMatch((await (await webLogin(forum.url, 'bob')).get('/pending')).text, /网页回复待审/);
  // admins too
  assert.equal((await api(forum.url, 'POST', `/api/v1/boards/${fidA}/threads`, { title: '再来', body: 'y' }, await apiToken(forum.url, 'bob'))).status, 202);
  const again = (await api(forum.url, 'GET', '/api/v1/pending', undefined, modA)).json.pending[0].id;
  r = await api(forum.url, 'POST', '/api/v1/pending', { action: 'approve', ids: [again] }, await apiToken(forum.url, 'root'));
  assert.equal(r.status, 200);
  await checkCounters(forum.url, [fidA, fidB], [uid.bob]);
  // turning it off
  assert.equal((await forum.run(['board', 'approval', '--fid', String(fidA)])).code, 0);
  await eventually(async () => (await api(forum.url, 'POST', `/api/v1/threads/${tidA}/posts`, { body: '不再审核' },
    await apiToken(forum.url, 'bob'))).status === 201, 'approval off');
});
