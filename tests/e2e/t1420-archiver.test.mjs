// t1420: the Archiver (issue 14): /archiver/ lists the boards; Discuz!'s exact forms
// archiver/?fid-N.html, ?fid-N-page-P.html, ?tid-N.html, ?tid-N-page-P.html answer 200 with the
// same content (old search-engine links point there); board pages go on by the board's keyset
// cursor; <= 3 queries; malformed forms 400, missing objects 404, hidden boards 403.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, queriesOf, gen, webLogin, PW, eventually } from './lib.mjs';

const threadsOf = (html) => [...html.matchAll(/<li><a href="\?tid-(\d+)\.html">/g)].map((m) => Number(m[1]));
const nextOf = (html) => /<a href="([^"]+)">下一页 ›<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&');
/** the page without its footer timer (two renders differ there) */
const body = (html) => html.replace(/<span class="debuginfo">[\s\S]*?<\/span>/, '');

test('Archiver: board list, board and thread pages in every Discuz! form, paged, <= 3 queries', async () => {
  await withForum({ demo: false, users: [{ name: 'alice', password: PW }] }, async (forum) => {
    const { bigTid } = await gen(forum, { boards: 2, threads: 45, posts: 200, big: 25, seed: 3 });
    const idx = await get(`${forum.url}/archiver/`);
    assert.equal(idx.status, 200);
    const fids = [...idx.text.matchAll(/<a href="\?fid-(\d+)\.html">/g)].map((m) => Number(m[1]));
    assert.equal(fids.length, 2, 'both boards');
    assert.ok(queriesOf(idx.text) <= 3);
    const bare = await get(`${forum.url}/archiver`);
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/archiver/');
    // the board by both forms: the same content
    const fid = fids[0];
    const a = await get(`${forum.url}/archiver/?fid-${fid}.html`);
    const b = await get(`${forum.url}/archiver/?fid-${fid}-page-1.html`);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(body(a.text).replace(/-page-1\.html/g, '.html'), body(b.text).replace(/-page-1\.html/g, '.html'));
    assert.ok(queriesOf(a.text) <= 3, `${queriesOf(a.text)} queries`);
    // the board page's threads in its order, through every page by the cursor links, none twice
    const seen = [];
    let p = `/archiver/?fid-${fid}.html`;
    for (let i = 0; p && i < 20; i++) {
      const r = await get(`${forum.url}/archiver/${p.startsWith('?') ? p : p.replace(/^\/archiver\//, '')}`);
      assert.equal(r.status, 200, p);
      seen.push(...threadsOf(r.text));
      p = nextOf(r.text);
    }
    const boardPage = (await get(`${forum.url}/api/v1/boards`)).json();
    const count = (boardPage.boards ?? boardPage).find((x) => x.fid === fid).threads;
    assert.equal(seen.length, count, 'every thread of the board once');
    assert.equal(new Set(seen).size, count);
    // page P by number (an old link) is the page the cursor reached
    const p2 = await get(`${forum.url}/archiver/?fid-${fid}-page-2.html`);
    assert.deepEqual(threadsOf(p2.text), seen.slice(20, 40));
    // a thread in both forms, floors paged by position
    const t1 = await get(`${forum.url}/archiver/?tid-${bigTid}.html`);
    const t2 = await get(`${forum.url}/archiver/?tid-${bigTid}-page-1.html`);
    assert.equal(t1.status, 200);
    assert.equal(body(t1.text), body(t2.text));
    assert.ok(queriesOf(t1.text) <= 3);
    const floors = (h) => (h.match(/class="arc-post"/g) ?? []).length;
    assert.equal(floors(t1.text), 10);
    const t3 = await get(`${forum.url}/archiver/?tid-${bigTid}-page-3.html`);
    assert.equal(t3.status, 200);
    assert.equal(floors(t3.text), 5, '25 floors: 10 + 10 + 5');
    assert.match(t3.text, /<a href="\?tid-\d+-page-2\.html">‹ 上一页<\/a>/);
    assert.match(t1.text, /<link rel="canonical" href="[^"]*\/archiver\/\?tid-\d+\.html">/);
    assert.match(t1.text, new RegExp(`查看完整版本: <a href="/t/${bigTid}">`));
    // a member sees the same pages
    const c = await webLogin(forum.url, 'alice');
    assert.ok(queriesOf((await c.get(`/archiver/?tid-${bigTid}.html`)).text) <= 3);
    // errors
    for (const [q, st] of [[`?tid-${bigTid}-page-4.html`, 404], ['?tid-999999.html', 404], ['?fid-999.html', 404],
      ['?tid-abc.html', 400], ['?fid-1-page-0.html', 400], ['?fid-1-page-x.html', 400], ['?tid-1.htm', 400],
      ['?fid-99999999999999999999.html', 400], ['?foo.html', 404], [`?fid-${fid}-page-99.html`, 404],
      [`?fid-${fid}-page-1000001.html`, 400], [`?fid-${fid}-page-1000000.html`, 404]]) {   // FORUM_MAX_PAGE
      const r = await get(`${forum.url}/archiver/${q}`);
      assert.equal(r.status, st, q);
      assert.match(r.text, /[\u4e00-\u9fff]/, `${q}: a Chinese page`);
    }
    // a board guests may not view: 403 on its forms, gone from the list
    const r = await forum.run(['board', 'perm', '--fid', String(fid), '--group', '7', '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => (await get(`${forum.url}/archiver/?fid-${fid}.html&x=1`)).status === 403, 'permissions reloaded');
    assert.equal((await get(`${forum.url}/archiver/?tid-${seen[0]}.html&x=2`)).status, 403);
    assert.ok(!(await get(`${forum.url}/archiver/?x=3`)).text.includes(`?fid-${fid}.html`));
  });
});
