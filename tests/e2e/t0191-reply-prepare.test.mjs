// t0191: a reply prepared on the worker thread, applied by the writer (issue 16). The API reply is
// checked and rendered (its @mentions resolved) before it is queued; the writer thread only runs its
// statements. Whatever changes while it waits is decided in the writer's transaction: another
// transaction holds the write (SQLite: the database's write lock; PostgreSQL: the thread's row) while
// the reply is prepared and queued, then commits —
//   - the thread closed meanwhile: the reply is refused (403) and leaves no floor, count or number;
//   - its writer banned (禁止发言) meanwhile: refused, nothing left (the session said member);
//   - an @mentioned member banned (禁止访问) meanwhile is told nothing; the other member mentioned in
//     the same reply is, and the reply itself is stored;
// the same for the reply form (a closed thread answers 403, nothing left); a reply that may place an attachment ("attach" in its text) is rendered by the writer instead and
// stored the same; a held lock does not lose a reply sent while it is held.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startForum, PW, apiToken, api, allFloors, sqlValue, addBoard, checkCounters, webLogin, csrfOf } from './lib.mjs';

let forum, url, fid, tok = {}, uid = {};

before(async () => {
  forum = await startForum({ demo: false, config: { 'post.flood_seconds': 0 },
    users: ['w1', 'w2', 'w3', 'alice', 'mallory'].map((name) => ({ name, password: PW })) });
  url = forum.url;
  fid = await addBoard(forum, ['--name', '预备']);
  for (const n of ['w1', 'w2', 'w3', 'alice', 'mallory']) {
    tok[n] = await apiToken(url, n);
    uid[n] = (await api(url, 'GET', '/api/v1/me', undefined, tok[n])).json.uid;
  }
});
after(async () => { if (forum) await forum.stop(); });

// another session's open transaction that has run STATEMENTS (holding their locks) until commit()
async function holdTransaction(statements) {
  const [file, args] = forum.db ? ['psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', forum.db]]
    : ['sqlite3', ['-cmd', '.timeout 10000', `${forum.dir}/loulan.db`]];
  const p = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '', err = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => p.on('exit', resolve));
  p.stdin.write(`${forum.db ? 'BEGIN' : 'BEGIN IMMEDIATE'};\n${statements.join(';\n')};\nSELECT 'held';\n`);
  for (let i = 0; !out.includes('held'); i++) {
    assert.ok(i < 200, `the transaction holds its locks (${err})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    async commit() {
      p.stdin.end('COMMIT;\n');
      assert.equal(await exited, 0, err);
    },
  };
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const thread = async (title) => {
  const r = await api(url, 'POST', `/api/v1/boards/${fid}/threads`, { title, body: '楼主' }, tok.w1);
  assert.equal(r.status, 201, r.text);
  return r.json.tid;
};

test('a thread closed while a prepared reply waits: refused at the writer, nothing left', async () => {
  const tid = await thread('将被关闭');
  const ok = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '关闭前的回复 @alice' }, tok.w2);
  assert.equal(ok.status, 201, ok.text);
  const tx = await holdTransaction([`UPDATE thread SET closed = 1 WHERE tid = ${tid}`]);
  // sent while the close is not committed: prepared (the thread looks open), then queued for the writer
  const pending = api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '等待中的回复 [b]粗体[/b] @alice' }, tok.w2);
  await pause(500);
  await tx.commit();
  const r = await pending;
  assert.equal(r.status, 403, r.text);
  assert.match(r.json.error.message, /关闭/);
  const { thread: t, floors } = await allFloors(url, tid);
  assert.equal(floors.length, 2, 'no floor for the refused reply');
  assert.equal(t.replies, 1);
  assert.equal(Number(await sqlValue(forum, `SELECT maxposition FROM thread WHERE tid = ${tid}`)), 2, 'no floor number taken');
  assert.equal(Number(await sqlValue(forum, `SELECT COUNT(*) FROM post WHERE source LIKE '%等待中%'`)), 0);
  assert.equal(Number(await sqlValue(forum, `SELECT COUNT(*) FROM notification WHERE uid = ${uid.alice} AND tid = ${tid}`)), 1,
    'alice was told of the first reply only');
  await checkCounters(url, fid, ["w1", "w2"]);
});

test('a member banned while a prepared reply mentioning them waits is not told; the other mentioned member is', async () => {
  const tid = await thread('提到两人');
  // the ban commits after the reply was prepared (mallory still a member then) and before its statements run
  const tx = await holdTransaction([`UPDATE member SET groupid = 5 WHERE uid = ${uid.mallory}`,
    `UPDATE thread SET views = views + 1 WHERE tid = ${tid}`]);
  const pending = api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '@mallory 和 @alice 请看' }, tok.w2);
  await pause(500);
  await tx.commit();
  const r = await pending;
  assert.equal(r.status, 201, r.text);
  const told = async (who) => Number(await sqlValue(forum,
    `SELECT COUNT(*) FROM notification WHERE uid = ${uid[who]} AND pid = ${r.json.pid}`));
  assert.equal(await told('alice'), 1, 'alice is told of the mention');
  assert.equal(await told('mallory'), 0, 'the banned member is not told of a board they may no longer see');
  // the reply's HTML was rendered before: both mentions link
  const html = await sqlValue(forum, `SELECT html FROM post WHERE pid = ${r.json.pid}`);
  assert.match(html, new RegExp(`href="/u/${uid.alice}" class="mention"`));
  assert.match(html, new RegExp(`href="/u/${uid.mallory}" class="mention"`));
  assert.equal(Number(await sqlValue(forum, `SELECT COUNT(*) FROM notification WHERE uid = ${uid.w1} AND pid = ${r.json.pid}`)), 1,
    'the thread\'s author is told of the reply');
});

test('replies sent while the writer waits for a lock are all stored; "attach" in the text renders on the writer', async () => {
  const tid = await thread('排队');
  const tx = await holdTransaction([`UPDATE thread SET views = views + 1 WHERE tid = ${tid}`]);
  const pending = [];
  for (let i = 0; i < 12; i++) {
    const body = i % 3 === 0 ? `第 ${i} 条 attach: 不是附件 [attach]999999[/attach]` : `第 ${i} 条 [i]斜体[/i]`;
    pending.push(api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body }, i % 2 ? tok.w1 : tok.w2));
  }
  await pause(500);
  await tx.commit();
  const res = await Promise.all(pending);
  for (const r of res) assert.equal(r.status, 201, r.text);
  const { floors } = await allFloors(url, tid);
  assert.equal(floors.length, 13);
  assert.deepEqual(floors.map((f) => f.position), Array.from({ length: 13 }, (_, i) => i + 1));
  const html = await sqlValue(forum, `SELECT html FROM post WHERE tid = ${tid} AND position > 1 ORDER BY position`);
  assert.match(html, /<em>斜体<\/em>/);
  assert.doesNotMatch(html, /\[i\]/, 'every reply rendered');
  await checkCounters(url, fid, ["w1", "w2"]);
});

test('the reply form: a thread closed while its prepared reply waits refuses it, nothing left', async () => {
  const tid = await thread('网页回复将被关闭');
  const c = await webLogin(url, 'w2');
  const form = await c.get(`/t/${tid}/reply`);
  assert.equal(form.status, 200);
  const tx = await holdTransaction([`UPDATE thread SET closed = 1 WHERE tid = ${tid}`]);
  const pending = c.post(`/t/${tid}/reply`, { csrf: csrfOf(form.text), body: '网页等待中的回复 [u]下划线[/u]' });
  await pause(500);
  await tx.commit();
  const r = await pending;
  assert.equal(r.status, 403, r.text.slice(0, 300));
  assert.match(r.text, /关闭/);
  const { thread: t, floors } = await allFloors(url, tid);
  assert.equal(floors.length, 1, 'no floor for the refused reply');
  assert.equal(t.replies, 0);
  assert.equal(Number(await sqlValue(forum, `SELECT maxposition FROM thread WHERE tid = ${tid}`)), 1, 'no floor number taken');
  // reopened: the same form is accepted and lands on its floor
  await sqlValue(forum, `UPDATE thread SET closed = 0 WHERE tid = ${tid}`);
  const ok = await c.post(`/t/${tid}/reply`, { csrf: csrfOf(form.text), body: '重新打开后的回复 [u]下划线[/u]' });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  const page = await c.get(ok.headers.get('location').replace(/#.*/, ''));
  assert.match(page.text, /<u>下划线<\/u>|下划线/);
  assert.ok(page.text.includes('重新打开后的回复'));
});

test('a writer banned (禁止发言) while their prepared reply waits: refused, nothing left', async () => {
  const tid = await thread('发言者被禁');
  const tx = await holdTransaction([`UPDATE member SET groupid = 4 WHERE uid = ${uid.w3}`,
    `UPDATE thread SET views = views + 1 WHERE tid = ${tid}`]);
  const pending = api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '被禁之前写的回复' }, tok.w3);
  await pause(500);
  await tx.commit();
  const r = await pending;
  assert.equal(r.status, 403, r.text);
  const { thread: t, floors } = await allFloors(url, tid);
  assert.equal(floors.length, 1, 'no floor for the refused reply');
  assert.equal(t.replies, 0);
  assert.equal(Number(await sqlValue(forum, `SELECT maxposition FROM thread WHERE tid = ${tid}`)), 1, 'no floor number taken');
  assert.equal(Number(await sqlValue(forum, `SELECT posts FROM member WHERE uid = ${uid.w3}`)), 0, 'not counted for the writer');
});
