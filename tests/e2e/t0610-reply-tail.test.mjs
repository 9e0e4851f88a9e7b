// t0610: a reply leaves the thread's earlier pages cached (issue 16). The reply count and the last
// floor number on a thread page are holes filled from live counters, so a reply that opens no new page
// invalidates only the last page (and the lists); pages 1..N-1 stay cache hits and show the new count.
// A reply that opens a new page changes the pagers that reach the end: those pages miss once (all three
// here); a page far from the end keeps its entry, its page count being a hole (the second test). An edit of a floor on
// page 1 invalidates page 1. Guests (X-Loulan-Cache) and members (X-Loulan-Fragment) alike.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, gen, apiToken, api, webLogin, PW } from './lib.mjs';

const replies = (html) => Number(/回复: <em>(\d+)<\/em>/.exec(html)?.[1]);
const dataMax = (html) => Number(/data-max="(\d+)"/.exec(html)?.[1]);
const users = [{ name: 'writer', password: PW }, { name: 'reader', password: PW }];

// a thread of `floors` floors in a forum of its own, written by 'writer' through the API
async function threadOf(forum, title, floors) {
  await gen(forum, { boards: 1, threads: 1, posts: 1 });
  const u = forum.url;
  const token = await apiToken(u, 'writer');
  const fid = Number(/\/f\/(\d+)/.exec((await get(`${u}/`)).text)?.[1] ?? 0);
  assert.ok(fid, 'a board');
  const t = await api(u, 'POST', `/api/v1/boards/${fid}/threads`, { title, body: '楼主的正文 first floor' }, token);
  assert.equal(t.status, 201, t.text);
  for (let i = 2; i <= floors; i++) {
    const r = await api(u, 'POST', `/api/v1/threads/${t.json.tid}/posts`, { body: `floor ${i}` }, token);
    assert.equal(r.status, 201, r.text);
  }
  return { u, token, tid: t.json.tid, firstPid: t.json.pid };
}

test('a reply leaves pages 1..N-1 cached with the new reply count; a new page or an edit invalidates', async () => {
  await withForum({ demo: false, users, config: { 'post.flood_seconds': '0' } }, async (forum) => {
    const { u, token, tid, firstPid } = await threadOf(forum, '三页的主题', 25);   // 25 floors: pages of 10, 10, 5
    const member = await webLogin(u, 'reader');
    const paths = [1, 2, 3].map((n) => `/t/${tid}?page=${n}`);
    const pages = paths.map((p) => u + p);
    const mget = (i) => member.get(paths[i], { headers: { 'accept-encoding': 'gzip' } });
    const fill = async () => {
      for (let i = 0; i < 3; i++) { await get(pages[i]); await mget(i); }
      for (let i = 0; i < 3; i++) {
        assert.equal((await get(pages[i])).headers.get('x-loulan-cache'), 'hit', `${paths[i]} cached for guests`);
        assert.equal((await mget(i)).headers.get('x-loulan-fragment'), 'hit', `${paths[i]} cached for members`);
      }
    };
    await fill();
    // a reply on the last page (floor 26): page 3 misses and shows it; pages 1 and 2 stay hits with 25 回复
    let r = await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: 'tail reply 26' }, token);
    assert.equal(r.status, 201, r.text);
    const last = await get(pages[2]);
    assert.notEqual(last.headers.get('x-loulan-cache'), 'hit', 'the last page was invalidated');
    assert.match(last.text, /tail reply 26/);
    for (let i = 0; i < 2; i++) {
      const p = paths[i];
      const g = await get(pages[i]);
      assert.equal(g.headers.get('x-loulan-cache'), 'hit', `${p} stays cached after a reply`);
      assert.equal(replies(g.text), 25, `${p} shows the new reply count`);
      assert.equal(dataMax(g.text), 26, `${p} knows the new last floor (live replies)`);
      assert.doesNotMatch(g.text, /共 4 页/);
      const m = await mget(i);
      assert.equal(m.headers.get('x-loulan-fragment'), 'hit', `${p} stays cached for members`);
      assert.equal(replies(m.text), 25, `${p} shows members the new reply count`);
    }
    const mlast = await mget(2);
    assert.notEqual(mlast.headers.get('x-loulan-fragment'), 'hit');
    assert.match(mlast.text, /tail reply 26/);
    // floors 27..30 fill page 3; floor 31 opens page 4: every page's pager reaches it, so all miss once
    for (let i = 27; i <= 31; i++) assert.equal((await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: `floor ${i}` }, token)).status, 201);
    for (const p of pages) {
      const g = await get(p);
      assert.notEqual(g.headers.get('x-loulan-cache'), 'hit', `${p} misses once a new page opens`);
      assert.match(g.text, /共 4 页|page=4/, `${p} links the new page`);
      assert.equal(replies(g.text), 30);
    }
    assert.match((await get(`${u}/t/${tid}?page=4`)).text, /floor 31/);
    await fill();
    // an edit of floor 1 invalidates page 1 (the writer's next read shows it)
    r = await api(u, 'PATCH', `/api/v1/posts/${firstPid}`, { body: '改过的楼主 edited first floor' }, token);
    assert.equal(r.status, 200, r.text);
    const p1 = await get(pages[0]);
    assert.notEqual(p1.headers.get('x-loulan-cache'), 'hit', 'an edit invalidates its page');
    assert.match(p1.text, /edited first floor/);
    const m1 = await mget(0);
    assert.notEqual(m1.headers.get('x-loulan-fragment'), 'hit');
    assert.match(m1.text, /edited first floor/);
  });
});

// A page far from the end (its pager's window and the gap before the last page stay as they are for any
// larger page count: page + 4 < pages - 1 when it is rendered) shows
// the page count as a hole: a reply that opens a new page leaves it cached, with the new count and link.
// The pages whose pager reaches the end (near) render again.
const pagerOf = (html) => /<nav class="pager"[^]*?<\/nav>/.exec(html)?.[0] ?? '';
test('a reply that opens a new page leaves the pages far from the end cached, with the new page count', async () => {
  await withForum({ demo: false, users, config: { 'post.flood_seconds': '0' } }, async (forum) => {
    const { u, token, tid, firstPid } = await threadOf(forum, '九页的主题', 90);   // 90 floors: 9 full pages
    const member = await webLogin(u, 'reader');
    const path = (n) => `/t/${tid}?page=${n}`;
    const guest = (n) => get(u + path(n));
    const mget = (n) => member.get(path(n), { headers: { 'accept-encoding': 'gzip' } });
    for (const n of [1, 2, 3, 4, 9]) { await guest(n); await mget(n); }
    for (const n of [1, 2, 3]) {
      const g = await guest(n);
      assert.equal(g.headers.get('x-loulan-cache'), 'hit', `${path(n)} cached`);
      assert.match(pagerOf(g.text), /共 9 页/);
      assert.equal((await mget(n)).headers.get('x-loulan-fragment'), 'hit');
    }
    const before = pagerOf((await guest(1)).text);
    assert.match(before, new RegExp(`<span class="gap">…</span><a href="/t/${tid}\\?page=9">9</a>`), before);
    // floor 91 opens page 10
    assert.equal((await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: 'floor 91 opens page 10' }, token)).status, 201);
    for (const n of [1, 2, 3]) {   // far when rendered: n + 4 < 9 - 1
      const g = await guest(n);
      assert.equal(g.headers.get('x-loulan-cache'), 'hit', `${path(n)} stays cached when a page opens far from it`);
      const pg = pagerOf(g.text);
      assert.match(pg, /共 10 页/, pg);
      assert.match(pg, new RegExp(`<span class="gap">…</span><a href="/t/${tid}\\?page=10">10</a>`), pg);
      assert.doesNotMatch(pg, /page=9"/, 'the old last page is behind the gap now');
      assert.equal(replies(g.text), 90);
      const m = await mget(n);
      assert.equal(m.headers.get('x-loulan-fragment'), 'hit', `${path(n)} stays cached for members`);
      assert.match(pagerOf(m.text), /共 10 页/);
      assert.equal(pagerOf(m.text), pg, 'members and guests see the same pager');
    }
    for (const n of [4, 9]) {   // near: their pager reaches the end
      const g = await guest(n);
      assert.notEqual(g.headers.get('x-loulan-cache'), 'hit', `${path(n)} renders again: its pager changed`);
      assert.match(pagerOf(g.text), new RegExp(`page=10">10</a>`));
      assert.match(pagerOf(g.text), /共 10 页/);
    }
    assert.match((await guest(10)).text, /floor 91 opens page 10/);
    // an edit of floor 1 still invalidates page 1, and its fresh render agrees with the hole's
    assert.equal((await api(u, 'PATCH', `/api/v1/posts/${firstPid}`, { body: '改过 edited' }, token)).status, 200);
    const fresh = await guest(1);
    assert.notEqual(fresh.headers.get('x-loulan-cache'), 'hit');
    assert.match(pagerOf(fresh.text), new RegExp(`<span class="gap">…</span><a href="/t/${tid}\\?page=10">10</a>`));
  });
});

const PG = process.env.LOULAN_TEST_PG;
test('two nodes: a reply on node A leaves node B\'s earlier pages cached with the new count', { skip: PG ? false : 'PostgreSQL only (LOULAN_TEST_PG)' }, async () => {
  await withForum({ demo: true, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': 0 } }, async (f) => {
    const a = f.url, b = (await f.startNode()).url;
    const tok = await apiToken(a, 'alice');
    const nt = await api(a, 'POST', '/api/v1/boards/1/threads', { title: '两个节点的长帖', body: '一楼' }, tok);
    assert.equal(nt.status, 201, nt.text);
    const tid = nt.json.tid;
    for (let i = 2; i <= 25; i++) assert.equal((await api(a, 'POST', `/api/v1/threads/${tid}/posts`, { body: `floor ${i}` }, tok)).status, 201);
    const p1 = `${b}/t/${tid}?page=1`, p3 = `${b}/t/${tid}?page=3`;
    for (let t = Date.now(); Date.now() - t < 5000;) if (/floor 25/.test((await get(p3)).text)) break;
    for (const p of [p1, p3]) { await get(p); assert.equal((await get(p)).headers.get('x-loulan-cache'), 'hit', `${p} cached on B`); }
    assert.equal((await api(a, 'POST', `/api/v1/threads/${tid}/posts`, { body: '节点A的第26楼' }, tok)).status, 201);
    let shown = false;
    for (let t = Date.now(); !shown && Date.now() - t < 5000;) shown = /节点A的第26楼/.test((await get(p3)).text);
    assert.ok(shown, 'node B\'s last page shows the reply (NOTIFY; polled, no timing asserted)');
    const g = await get(p1);
    assert.equal(g.headers.get('x-loulan-cache'), 'hit', 'node B\'s page 1 stays cached');
    assert.equal(replies(g.text), 25, 'and shows the new reply count');
    assert.equal(dataMax(g.text), 26);
  });
});
