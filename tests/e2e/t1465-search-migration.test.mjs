// t1465: the search index of a forum upgraded from before search (migration 7 fills it from the
// posts already there), and `loulan reindex` for posts written past the writers' hooks (as an
// import or `loulan gen` writes them), with its progress and summary lines.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, sql } from './lib.mjs';
import { addBoard, cliPost, PW } from './sweep.mjs';

// The forum starts as a release before search left it (LOULAN_MIGRATE_TO=6: no migration past 6 has run), with
// a thread written into its tables; `serve` then migrates, as an upgrade does, and migration 7 indexes it.
// (Rewinding a running forum instead meant undoing by hand every later migration that adds columns.)
let forum;
before(async () => {
  forum = await startForum({
    demo: false, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': 0 }, migrateTo: 6,
    beforeServe: async (old) => {
      await sql(old, "INSERT INTO category(cid, name) VALUES (90, '旧分区')");
      await sql(old, "INSERT INTO board(fid, cid, name, displayorder) VALUES (90, 90, '旧版块', 90)");
      await oldThreadIn(old, 90, '升级前的主题', '升级以前写的 济宁 帖子 Mg6Old');
    },
  });
});
after(async () => { await forum?.stop(); });

const found = async (url, q) => {
  const r = await get(`${url}/api/v1/search?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json().results.map((x) => x.subject);
};

// a thread written straight into the tables, as a loulan without search (or an importer) would
async function oldThreadIn(f, fid, subject, body) {
  await sql(f, `INSERT INTO thread(fid, subject, authorid, author, created, lastpost, lastposter, maxposition) ` +
    `VALUES (${fid}, '${subject}', 1, 'alice', 1700000000, 1700000000, 'alice', 1)`);
  await sql(f, `INSERT INTO post(tid, fid, position, authorid, author, created, source, html) ` +
    `SELECT MAX(tid), ${fid}, 1, 1, 'alice', 1700000000, '${body}', '<p>${body}</p>' FROM thread`);
}
const oldThread = (fid, subject, body) => oldThreadIn(forum, fid, subject, body);

test('an upgraded forum: migration 7 indexes the posts that were already there', async () => {
  assert.deepEqual(await found(forum.url, 'Mg6Old'), ['升级前的主题']);
  assert.deepEqual(await found(forum.url, '济宁'), ['升级前的主题']);
  await cliPost(forum, 'alice', ['--board', '90', '--subject', '新写的主题'], '写入时就进了索引 济南');
  assert.deepEqual(await found(forum.url, '济南'), ['新写的主题']);
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
