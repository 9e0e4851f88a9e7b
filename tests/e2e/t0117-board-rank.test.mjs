// t0117: deep numbered board pages start from the page starts the background
// thread keeps per board (forum/rank.h, issue 16): after the first deep
// request the server counts pages started from a rank (/metrics), every
// numbered page still equals the cursor walk, a reply (which moves a thread to
// the top and bumps the board) is never answered from the old starts, and a
// rebuilt rank lists the new order. Each deep page costs at most 3 queries.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get as plainGet, footerOf, eventually, boardTids, walkBoard } from './lib.mjs';

// a session cookie that names no session: rendered for a guest, never from the page cache
const get = (u) => plainGet(u, { headers: { cookie: 'loulan_sid=none' } });
const tidsOf = boardTids;
const walk = (url, start) => walkBoard(url, start, get);

async function metric(url, name) {
  const t = (await plainGet(`${url}/metrics`)).text;
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(t);
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}

async function numbered(url, fid, n) {
  const pages = [];
  for (let p = 1; p <= n; p++) {
    const r = await get(`${url}/f/${fid}?page=${p}`);
    assert.equal(r.status, 200, `page ${p}`);
    assert.ok(footerOf(r.text).queries <= 3, `page ${p}: ${footerOf(r.text).queries} queries`);
    pages.push(tidsOf(r.text));
  }
  return pages;
}

test('deep board pages from kept page starts: the same pages as the cursor walk, before and after a reply', async () => {
  await withForum({ demo: false, users: [{ name: 'rk', password: 'rank-pass-1' }] }, async (forum) => {
    const g = await forum.run(['gen', '--boards', '1', '--threads', '300', '--posts', '600', '--seed', '7']);
    assert.equal(g.code, 0, g.stderr);
    const fid = Number(/href="\/f\/(\d+)"/.exec((await get(forum.url + '/')).text)[1]);
    const url = forum.url;
    const walked = await walk(url, `/f/${fid}`);
    assert.ok(walked.length >= 15, `${walked.length} pages`);
    assert.equal(await metric(url, 'loulan_board_rank_bytes'), 0, 'no rank before a deep page');
    const before = await metric(url, 'loulan_board_rank_pages_total');
    // the first deep page skips (and asks for a rank); the background thread reads it
    assert.deepEqual(tidsOf((await get(`${url}/f/${fid}?page=9`)).text), walked[8]);
    await eventually(async () => (await metric(url, 'loulan_board_rank_bytes')) > 0, 'a rank for the board');
    assert.deepEqual(await numbered(url, fid, walked.length), walked);
    const used = (await metric(url, 'loulan_board_rank_pages_total')) - before;
    assert.ok(used >= walked.length - 3, `pages from the rank: ${used}`);
    const past = await get(`${url}/f/${fid}?page=${walked.length + 1}`);
    assert.ok(past.status === 404 || tidsOf(past.text).length === 0, 'past the end');
    // a reply to a thread deep in the list moves it to the top: never answered from the old starts
    const deep = walked[12][5];
    const r = await forum.run(['post', '--name', 'rk', '--thread', String(deep)], '顶一下，看看深页的起点会不会跟着变。');
    assert.equal(r.code, 0, r.stderr);
    const after = await walk(url, `/f/${fid}`);
    assert.ok(after[0].includes(deep), 'the replied thread is on page 1');
    assert.deepEqual(await numbered(url, fid, after.length), after);
    // once rebuilt (at most one rebuild a second), deep pages come from the rank again, still right
    const mark = await metric(url, 'loulan_board_rank_pages_total');
    await eventually(async () => {
      await get(`${url}/f/${fid}?page=10`);
      return (await metric(url, 'loulan_board_rank_pages_total')) > mark;
    }, 'deep pages from a rebuilt rank');
    assert.deepEqual(await numbered(url, fid, after.length), after);
  });
});
