// t0116: a numbered board page (?page=N) lists the right threads when it is
// read on the covering index past the board's stickies (issue 16: deep pages
// cost what page 1 costs). Every numbered page equals the page reached by
// walking the next links (keyset cursors), on a board with its own stickies of
// every level, other boards' stickies shown here (level 3 from anywhere,
// level 2 from the same category), hidden threads and a type filter; the
// pages together are the board's visible list once, in order.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get as plainGet, sql, boardTids, walkBoard } from './lib.mjs';

// a session cookie that names no session: rendered for a guest, never from the page cache,
// so pages read after the SQL fixtures below are fresh
const get = (u) => plainGet(u, { headers: { cookie: 'loulan_sid=none' } });

const tidsOf = boardTids;
const walk = (url, start) => walkBoard(url, start, get);

// SQL written behind the server's back moves no generation: a no-op board edit through the CLI does, so
// the server stops using the page starts it keeps for deep pages (forum/rank.h, t0117)
async function touched(forum, fid) {
  const r = await forum.run(['board', 'edit', '--fid', String(fid), '--parent', '0']);
  assert.equal(r.code, 0, r.stderr);
}

async function numbered(url, base, n) {
  const pages = [];
  for (let p = 1; p <= n; p++) {
    const r = await get(`${url}${base}${base.includes('?') ? '&' : '?'}page=${p}`);
    assert.equal(r.status, 200, `${base} page ${p}`);
    pages.push(tidsOf(r.text));
  }
  return pages;
}

test('numbered board pages equal the cursor walk: stickies of all levels, foreign stickies, hidden threads, a type filter', async () => {
  await withForum({ demo: false }, async (forum) => {
    const r = await forum.run(['gen', '--boards', '3', '--threads', '150', '--posts', '400', '--seed', '11']);
    assert.equal(r.code, 0, r.stderr);
    const fids = [...(await get(forum.url + '/')).text.matchAll(/href="\/f\/(\d+)"/g)].map((m) => Number(m[1]));
    const [a, b, c] = [...new Set(fids)];
    assert.ok(a && b && c, 'three boards');
    const own = async (fid, n) => {
      const tids = [];
      for (const t of (await get(`${forum.url}/f/${fid}`)).text.matchAll(/class="subject" href="\/t\/(\d+)"/g)) tids.push(Number(t[1]));
      return tids.slice(0, n);
    };
    const ta = await own(a, 12), tb = await own(b, 2), tc = await own(c, 2);
    // before any page of the board is cached: stickies, foreign stickies, hidden threads
    await sql(forum, `UPDATE board SET cid = (SELECT cid FROM board WHERE fid = ${a}) WHERE fid = ${b}`);
    await sql(forum, `UPDATE thread SET sticky = 1 WHERE tid IN (${ta[5]}, ${ta[6]})`);
    await sql(forum, `UPDATE thread SET sticky = 2 WHERE tid IN (${ta[7]}, ${tb[0]})`);
    await sql(forum, `UPDATE thread SET sticky = 3 WHERE tid IN (${ta[8]}, ${tc[0]}, ${tc[1]})`);
    await sql(forum, `UPDATE thread SET hidden = 1 WHERE tid IN (${ta[9]}, ${ta[10]})`);
    await touched(forum, a);
    const url = forum.url;
    const walked = await walk(url, `/f/${a}`);
    assert.ok(walked.length >= 3, `several pages (${walked.length})`);
    assert.deepEqual(await numbered(url, `/f/${a}`, walked.length), walked);
    const all = walked.flat();
    assert.equal(new Set(all).size, all.length, 'no thread twice');
    for (const t of [tb[0], tc[0], tc[1], ta[5], ta[8]]) assert.ok(all.includes(t), `sticky ${t} listed`);
    for (const t of [ta[9], ta[10]]) assert.ok(!all.includes(t), `hidden ${t} not listed`);
    assert.deepEqual(all.slice(0, 5).sort(), [ta[8], tc[0], tc[1], ta[7], tb[0]].sort(), 'level 3 then level 2 first');
    // one past the last page: no threads
    const past = await get(`${url}/f/${a}?page=${walked.length + 1}`);
    assert.ok(past.status === 404 || tidsOf(past.text).length === 0, 'past the end');
    // a type filter (no foreign stickies on filtered lists)
    const typeid = /href="\/f\/\d+\?typeid=(\d+)"/.exec((await get(`${url}/f/${a}`)).text)?.[1];
    if (typeid) {
      const tw = await walk(url, `/f/${a}?typeid=${typeid}`);
      assert.deepEqual(await numbered(url, `/f/${a}?typeid=${typeid}`, tw.length), tw);
    }
    // more stickies than a page: the top of the list spans pages 1 and 2
    await sql(forum, `UPDATE thread SET sticky = 2 WHERE fid = ${a} AND hidden = 0 AND tid IN (SELECT tid FROM thread WHERE fid = ${a} ORDER BY tid LIMIT 30)`);
    await touched(forum, a);
    const w2 = await walk(url, `/f/${a}`);
    assert.ok(w2[0].length === 20 && w2[1].filter((t) => tb[0] === t).length + w2[1].length > 0);
    assert.deepEqual(await numbered(url, `/f/${a}`, w2.length), w2);
    assert.deepEqual(w2.flat().sort(), all.sort(), 'the same threads, reordered');
  });
});
