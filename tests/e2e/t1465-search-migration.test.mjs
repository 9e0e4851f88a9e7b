// t1465: the search index of a forum upgraded from before search (migration 7 fills it from the
// posts already there), and `loulan reindex` for posts written past the writers' hooks (as an
// import or `loulan gen` writes them), with its progress and summary lines.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, sql } from './lib.mjs';
import { addBoard, cliPost, PW } from './sweep.mjs';

let forum;
before(async () => {
  forum = await startForum({ demo: false, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': 0 } });
});
after(async () => { await forum?.stop(); });

const found = async (url, q) => {
  const r = await get(`${url}/api/v1/search?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json().results.map((x) => x.subject);
};

// a thread written straight into the tables, as a loulan without search (or an importer) would
const oldThread = async (fid, subject, body) => {
  await sql(forum, `INSERT INTO thread(fid, subject, authorid, author, created, lastpost, lastposter, maxposition) ` +
    `VALUES (${fid}, '${subject}', 1, 'alice', 1700000000, 1700000000, 'alice', 1)`);
  await sql(forum, `INSERT INTO post(tid, fid, position, authorid, author, created, source, html) ` +
    `SELECT MAX(tid), ${fid}, 1, 1, 'alice', 1700000000, '${body}', '<p>${body}</p>' FROM thread`);
};

test('an upgraded forum: migration 7 indexes the posts that were already there', async () => {
  const fid = await addBoard(forum, '旧版块');
  await cliPost(forum, 'alice', ['--board', String(fid), '--subject', '新写的主题'], '写入时就进了索引 济南');
  await oldThread(fid, '升级前的主题', '升级以前写的 济宁 帖子 Mg6Old');
  assert.deepEqual(await found(forum.url, 'Mg6Old'), [], 'written past the hooks: not indexed yet');
  // back to schema 6 (the tables stay: later migrations are IF NOT EXISTS, see schema.c), then any command migrates
  // moderation's migration 9 (issue #12) adds columns (ALTER TABLE cannot say IF NOT EXISTS): undone first
  // (10, bans and 审核, and 11, admin_log, only create tables and indexes IF NOT EXISTS: the running server keeps them);
  // the board editor's migration (rules, icon) adds columns too: undone as well
  for (const s of ['DROP TABLE moderator', 'DROP TABLE modlog', 'DROP INDEX thread_sticky', 'DROP INDEX thread_recycle',
    ...['highlight', 'moved', 'modnote', 'hiddenat'].map((c) => `ALTER TABLE thread DROP COLUMN ${c}`),
    'ALTER TABLE post DROP COLUMN banned', 'ALTER TABLE post DROP COLUMN warned', 'ALTER TABLE member DROP COLUMN warnings',
    'ALTER TABLE board DROP COLUMN rules', 'ALTER TABLE board DROP COLUMN icon']) {
    await sql(forum, s);
  }
  await sql(forum, 'DELETE FROM migration WHERE version >= 7');
  await addBoard(forum, '迁移后');
  const node = await forum.startNode();
  assert.deepEqual(await found(node.url, 'Mg6Old'), ['升级前的主题']);
  assert.deepEqual(await found(node.url, '济宁'), ['升级前的主题']);
  assert.deepEqual(await found(node.url, '济南'), ['新写的主题']);
});

test('loulan reindex: a progress bar, a summary, and the posts found afterwards', async () => {
  const fid = await addBoard(forum, '导入版');
  await oldThread(fid, '导入的主题', '导入的 Rx4Imported 内容');
  assert.deepEqual(await found(forum.url, 'Rx4Imported'), []);
  const r = await forum.run(['reindex']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^search index rebuilt in [0-9.]+ seconds\n$/);
  assert.match(r.stderr, /loulan: reindex 100% \(3\/3 posts/);
  assert.deepEqual(await found(forum.url, 'Rx4Imported'), ['导入的主题']);
  assert.deepEqual(await found(forum.url, '济宁'), ['升级前的主题'], 'the rest is still there');
  const h = await forum.run(['reindex', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /progress bar/);
});
