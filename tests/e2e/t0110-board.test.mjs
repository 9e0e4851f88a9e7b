// t0110: the board page `/f/{fid}`: thread rows with [type] prefixes,
// sticky first, 20 per page with pagination, the type filter.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, queriesOf, page, gen, must, boardFid, threadRows, floorsOf, exactKey, textOf } from './lib.mjs';

test('45 generated threads: 20 per page, sticky first, page 3 has 5 rows, page 4 is 404', async () => {
  await withForum({ demo: false }, async (forum) => {
    await gen(forum, { boards: 1, threads: 45, posts: 120 });
    const fid = await boardFid(forum, '综合讨论');
    const pages = [];
    for (let p = 1; p <= 3; p++) {
      const html = await page(`${forum.url}/f/${fid}${p > 1 ? `?page=${p}` : ''}`);
      assert.ok(queriesOf(html) <= 3, `page ${p}: ${queriesOf(html)} queries`);
      assert.match(textOf(html), /共 3 页/);
      pages.push(threadRows(html));
    }
    assert.deepEqual(pages.map((r) => r.length), [20, 20, 5]);
    const all = pages.flat();
    assert.equal(new Set(all.map((r) => r.tid)).size, 45, 'every thread exactly once');
    // the board's first thread is its sticky notice, listed first
    assert.equal(all[0].sticky, true);
    assert.match(all[0].subject, /^【版规】/);
    assert.equal(all.filter((r) => r.sticky).length, 1);
    // the rest by last reply, newest first
    for (let i = 2; i < all.length; i++) {
      assert.ok(exactKey(all[i - 1].lastExact) >= exactKey(all[i].lastExact),
        `row ${i} (${all[i].lastExact}) is newer than row ${i - 1} (${all[i - 1].lastExact})`);
    }
    // author, created date, counts and last poster on every row
    for (const r of all) {
      assert.ok(r.authorid > 0 && r.author, `row ${r.tid} author`);
      assert.match(r.created, /^\d{4}-\d{1,2}-\d{1,2}$/);
      assert.ok(r.replies >= 0 && r.views >= 0);
      assert.ok(r.lastposter);
    }
    assert.equal(all.reduce((s, r) => s + r.replies + 1, 0), 120, 'floors add up to the generated posts');
    // pagination links
    const p2 = await page(`${forum.url}/f/${fid}?page=2`);
    assert.ok(p2.includes(`<a class="prev" href="/f/${fid}?page=1">`));
    // next goes by keyset cursor from the last row shown (t0115 walks it)
    const lastTid = [...p2.matchAll(/class="subject" href="\/t\/(\d+)"/g)].at(-1)[1];
    assert.match(p2, new RegExp(`<a class="next" href="/f/${fid}\\?page=3&amp;after=\\d+_\\d+_${lastTid}">`));
    assert.ok(p2.includes('<strong>2</strong>'));
    const p4 = await get(`${forum.url}/f/${fid}?page=4`);
    assert.equal(p4.status, 404);

    // a row agrees with its thread: replies, author, last poster
    const sample = all.filter((r) => r.replies > 0).slice(0, 3);
    for (const r of sample) {
      const last = Math.floor(r.replies / 10) + 1;
      const tp = await page(`${forum.url}/t/${r.tid}?page=${last}`);
      assert.match(textOf(tp), new RegExp(`回复: ${r.replies}\\b`));
      const floors = floorsOf(tp);
      assert.equal(floors.at(-1).author, r.lastposter, `thread ${r.tid}: last poster`);
      const first = floorsOf(await page(`${forum.url}/t/${r.tid}`));
      assert.equal(first[0].author, r.author);
      assert.equal(first[0].authorid, r.authorid);
    }
  });
});

test('type prefixes and the ?typeid= filter partition the threads', async () => {
  await withForum({ demo: false }, async (forum) => {
    await gen(forum, { boards: 1, threads: 45, posts: 60, seed: 7 });
    const fid = await boardFid(forum, '综合讨论');
    const html = await page(`${forum.url}/f/${fid}`);
    const filter = /<ul class="typefilter">([\s\S]*?)<\/ul>/.exec(html)?.[1];
    assert.ok(filter, 'type filter shown');
    const types = [...filter.matchAll(/href="\/f\/\d+\?typeid=(\d+)">([^<]*)</g)].map((m) => ({ id: Number(m[1]), name: m[2] }));
    assert.deepEqual(types.map((t) => t.name), ['讨论', '分享', '求助']);
    const all = [];
    for (let p = 1; p <= 3; p++) all.push(...threadRows(await page(`${forum.url}/f/${fid}?page=${p}`)));
    let typed = 0;
    for (const t of types) {
      const want = all.filter((r) => r.typeid === t.id);
      for (const r of want) assert.equal(r.type, t.name);
      const got = [];
      let url = `${forum.url}/f/${fid}?typeid=${t.id}`;
      for (let guard = 0; url && guard < 10; guard++) {
        const h = await page(url);
        assert.ok(h.includes(`<li class="on"><a href="/f/${fid}?typeid=${t.id}">`), 'current type marked');
        got.push(...threadRows(h));
        const next = /<a class="next" href="([^"]*)"/.exec(h);
        url = next ? forum.url + next[1].replace(/&amp;/g, '&') : null;
      }
      assert.deepEqual(got.map((r) => r.tid).sort(), want.map((r) => r.tid).sort(), `type ${t.name}`);
      typed += got.length;
    }
    assert.ok(typed > 0 && typed < 45, `typed threads: ${typed}`);
    assert.equal(typed + all.filter((r) => !r.typeid).length, 45);
    assert.equal((await get(`${forum.url}/f/${fid}?typeid=999999`)).status, 404);
    assert.equal((await get(`${forum.url}/f/${fid}?typeid=abc`)).status, 400);
  });
});

test('board add --types A,B: the new board shows its types and an empty list', async () => {
  await withForum({ demo: true }, async (forum) => {
    const out = await must(forum, ['board', 'add', '--name', '测试版块', '--category', '测试分区', '--types', 'A,B']);
    const fid = Number(out.trim());
    assert.ok(Number.isInteger(fid) && fid > 0, `board add printed ${out}`);
    const html = await page(`${forum.url}/f/${fid}`);
    assert.match(html, /<h1>测试版块<\/h1>/);
    const names = [...html.matchAll(/href="\/f\/\d+\?typeid=(\d+)">([^<]*)</g)].map((m) => m[2]);
    assert.deepEqual(names, ['A', 'B']);
    // no threads of its own; the demo's global sticky (站务公告) shows on every board
    assert.deepEqual(threadRows(html).filter((r) => r.fid === fid), []);
    assert.deepEqual(threadRows(html).map((r) => r.subject), ['欢迎来到楼兰论坛 — 新手必读']);
    const typeA = /href="\/f\/\d+\?typeid=(\d+)">A</.exec(html)[1];
    const fa = await page(`${forum.url}/f/${fid}?typeid=${typeA}`);
    assert.equal(threadRows(fa).length, 0);
    assert.equal((await get(`${forum.url}/f/${fid}?page=2`)).status, 404);
    const idx = await page(forum.url + '/');
    assert.ok(idx.includes('<h2 class="cat-h">测试分区</h2>'));
  });
});

test('demo: sticky thread first and the [type] prefix links to the filter', async () => {
  await withForum({ demo: true }, async (forum) => {
    const news = await boardFid(forum, '新闻资讯');
    const rows = threadRows(await page(`${forum.url}/f/${news}`)).filter((r) => r.fid === news);   /* not the global sticky */
    assert.ok(rows.length >= 3);
    for (const r of rows) assert.ok(r.type, `demo thread ${r.tid} in 新闻资讯 has a type`);
    const notice = await boardFid(forum, '站务公告');
    const nrows = threadRows(await page(`${forum.url}/f/${notice}`));
    assert.equal(nrows[0].sticky, true);
    assert.match(nrows[0].subject, /新手必读/);
  });
});
