// t0170: a 10,000-floor thread: page 1,000 costs the queries page 1 costs
// and shows floors 9991..10000; page 1001 does not exist.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, queriesOf, page, gen, floorsOf, textOf } from './lib.mjs';

test('10,000 floors: same query count on page 1 and page 1000, gapless floors, 404 after the end', async () => {
  await withForum({ demo: false }, async (forum) => {
    const { bigTid } = await gen(forum, { boards: 1, threads: 1, posts: 10, big: 10000 });
    assert.ok(bigTid > 0);
    const p1 = await page(`${forum.url}/t/${bigTid}`);
    const p1000 = await page(`${forum.url}/t/${bigTid}?page=1000`);
    assert.equal(queriesOf(p1000), queriesOf(p1), 'page 1000 and page 1 cost the same queries');
    assert.ok(queriesOf(p1) <= 3);
    assert.match(textOf(p1), /回复: 9999\b/);
    assert.match(textOf(p1), /共 1000 页/);
    const f1 = floorsOf(p1).map((f) => f.label);
    assert.deepEqual(f1, ['楼主', '沙发', '板凳', '地板', '5#', '6#', '7#', '8#', '9#', '10#']);
    const f1000 = floorsOf(p1000).map((f) => f.label);
    assert.deepEqual(f1000, Array.from({ length: 10 }, (_, i) => `${9991 + i}#`));
    // the pager of a middle page: the first and the last page are links, the current page alone is not
    // (an item without its own "current" took the pager's: the first and last were unlinked <strong>s)
    const pager = /<nav class="pager"[^]*?<\/nav>/.exec((await get(`${forum.url}/t/${bigTid}?page=500`)).text)?.[0] ?? '';
    assert.match(pager, new RegExp(`<a href="/t/${bigTid}\\?page=1">1</a><span class="gap">…</span>`), pager);
    assert.match(pager, new RegExp(`<span class="gap">…</span><a href="/t/${bigTid}\\?page=1000">1000</a>`), pager);
    assert.deepEqual(pager.match(/<strong>\d+<\/strong>/g), ['<strong>500</strong>']);
    const mid = floorsOf(await page(`${forum.url}/t/${bigTid}?page=500`)).map((f) => f.label);
    assert.deepEqual(mid, Array.from({ length: 10 }, (_, i) => `${4991 + i}#`));
    // the floors are in time order and the last was written just now
    const times = floorsOf(p1000).map((f) => f.exact);
    assert.deepEqual([...times].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })), times);
    assert.equal((await get(`${forum.url}/t/${bigTid}?page=1001`)).status, 404);
  });
});
