// t1837: a guest's thread and floor (uid 0, no name: Discuz! let guests post, and the importer keeps those
// rows) show as 游客 — no /u/0 link, no /avatar/0 picture, no 只看该作者 — on the thread page, the board
// list and in the API, while the floors of members around it keep their names and links. The rows are
// written with the CLI and then made a guest's with sql(), as an import leaves them. SQLite, and
// PostgreSQL with LOULAN_TEST_PG.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, sql, sqlValue, PW } from './lib.mjs';

// a session cookie that names no session: rendered for a guest, never from the page cache
const fresh = (u) => get(u, { headers: { cookie: 'loulan_sid=none' } });

test('guest threads and floors show as 游客 without links to uid 0', async () => {
  await withForum({ demo: true, users: [{ name: 'gina', password: PW }] }, async (forum) => {
    const fid = Number(/fid=(\d+) name=灌水乐园/.exec((await forum.run(['board', 'list'])).stdout)[1]);
    const t = await forum.run(['post', '--name', 'gina', '--as-admin', '--board', String(fid), '--subject', '路过的游客'],
      '游客发的主题正文');
    assert.equal(t.code, 0, t.stderr);
    const tid = Number(/tid=(\d+)/.exec(t.stdout)[1]);
    const r = await forum.run(['post', '--name', 'gina', '--as-admin', '--thread', String(tid)], '会员 gina 的回复');
    assert.equal(r.code, 0, r.stderr);
    await sql(forum, `UPDATE thread SET authorid = 0, author = '' WHERE tid = ${tid}`);
    await sql(forum, `UPDATE post SET authorid = 0, author = '' WHERE tid = ${tid} AND position = 1`);
    const gina = await sqlValue(forum, "SELECT uid FROM member WHERE username = 'gina'");

    const page = (await fresh(`${forum.url}/t/${tid}`)).text;
    const floors = page.split('<article class="floor"').slice(1);
    assert.equal(floors.length, 2);
    assert.match(floors[0], /<div class="aname anon">游客<\/div>/, 'the guest floor is 游客');
    assert.doesNotMatch(floors[0], /\/u\/0\b|\/avatar\/0\/|author=0\b/, 'no link or picture of uid 0');
    assert.doesNotMatch(floors[0], /只看该作者/, 'no 只看该作者 for a guest');
    assert.match(floors[1], new RegExp(`href="/u/${gina}">gina</a>`), "the member's floor keeps its name");
    assert.match(floors[1], /只看该作者/);

    const board = (await fresh(`${forum.url}/f/${fid}`)).text;
    const row = board.split('<tr').find((x) => x.includes(`href="/t/${tid}"`));
    assert.ok(row, 'the thread is listed');
    assert.match(row, /<span class="anon">游客<\/span>/, 'the list shows 游客');
    assert.doesNotMatch(row, /\/u\/0\b/);
    const other = board.split('<tr').find((x) => /href="\/t\/\d+"/.test(x) && !x.includes(`href="/t/${tid}"`) &&
      x.includes('class="t-by"'));
    assert.ok(other && !other.includes('游客'), 'other rows keep their authors (not the viewer being a guest)');

    const api = await get(`${forum.url}/api/v1/threads/${tid}`);
    assert.equal(api.status, 200);
    const j = JSON.parse(api.text);
    const first = (j.posts || j.floors || []).find((p) => p.position === 1);
    assert.ok(first, 'floor 1 in the API');
    assert.equal(first.author, '游客');
    assert.equal(first.authorid, 0);
  });
});
