// t0150: old Discuz! X3.5 URLs answer 301 with the canonical Location.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get } from './lib.mjs';

test('Discuz! URLs: 301 to the canonical pages; malformed ones 400 or 404', async () => {
  await withForum({ demo: true }, async (forum) => {
    const moved = [
      ['/forum.php', '/'],
      ['/forum.php?mod=index', '/'],
      ['/forum.php?mod=viewthread&tid=2', '/t/2'],
      ['/forum.php?mod=viewthread&tid=2&page=1', '/t/2'],
      ['/forum.php?mod=viewthread&tid=2&page=3', '/t/2?page=3'],
      ['/forum.php?mod=viewthread&tid=2&extra=page%3D1&page=2', '/t/2?page=2'],
      ['/thread-2-1-1.html', '/t/2'],
      ['/thread-2-3-1.html', '/t/2?page=3'],
      ['/forum.php?mod=forumdisplay&fid=1', '/f/1'],
      ['/forum.php?mod=forumdisplay&fid=1&page=2', '/f/1?page=2'],
      ['/forum-1-1.html', '/f/1'],
      ['/forum-1-2.html', '/f/1?page=2'],
    ];
    for (const [from, to] of moved) {
      const r = await get(forum.url + from);
      assert.equal(r.status, 301, from);
      assert.equal(r.headers.get('location'), to, from);
    }
    // the targets exist
    for (const to of ['/t/2', '/t/2?page=3', '/f/1']) assert.equal((await get(forum.url + to)).status, 200, to);
    const bad = [
      ['/thread-x-1-1.html', 400], ['/thread-2-0-1.html', 400], ['/thread-2-1.html', 400], ['/thread-2-1-1-1.html', 400],
      ['/thread--1-1.html', 400], ['/thread-02-1-1.html', 400], ['/forum-1-01.html', 400], ['/forum-x-1.html', 400], ['/forum-1-99999999999.html', 400],
      ['/forum.php?mod=viewthread', 400], ['/forum.php?mod=viewthread&tid=abc', 400],
      ['/forum.php?mod=viewthread&tid=2&page=0', 400], ['/forum.php?mod=forumdisplay&fid=0', 400],
      ['/forum.php?mod=nosuch', 404], ['/thread-2-1-1.htm', 404], ['/threads-2-1-1.html', 404], ['/forum-1-1.php', 404],
    ];
    for (const [p, status] of bad) {
      const r = await get(forum.url + p);
      assert.equal(r.status, status, p);
      assert.equal(r.headers.get('location'), null, p);
    }
  });
});
