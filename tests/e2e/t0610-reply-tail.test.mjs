// t0610: a reply leaves the thread's earlier pages cached (issue 16). The reply count and the last
// floor number on a thread page are holes filled from live counters, so a reply that opens no new page
// invalidates only the last page (and the lists); pages 1..N-1 stay cache hits and show the new count.
// A reply that opens a new page changes every page's pager: all pages miss once. An edit of a floor on
// page 1 invalidates page 1. Guests (X-Loulan-Cache) and members (X-Loulan-Fragment) alike.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, gen, apiToken, api, webLogin, PW } from './lib.mjs';

const replies = (html) => Number(/回复: <em>(\d+)<\/em>/.exec(html)?.[1]);
const dataMax = (html) => Number(/data-max="(\d+)"/.exec(html)?.[1]);

test('a reply leaves pages 1..N-1 cached with the new reply count; a new page or an edit invalidates', async () => {
  await withForum({ demo: false, users: [{ name: 'writer', password: PW }, { name: 'reader', password: PW }],
    config: { 'post.flood_seconds': '0' } }, async (forum) => {
    await gen(forum, { boards: 1, threads: 1, posts: 1 });
    const u = forum.url;
    const token = await apiToken(u, 'writer');
    const fid = Number(/\/f\/(\d+)/.exec((await get(`${u}/`)).text)?.[1] ?? 0);
    assert.ok(fid, 'a board');
    const t = await api(u, 'POST', `/api/v1/boards/${fid}/threads`, { title: '三页的主题', body: '楼主的正文 first floor' }, token);
    assert.equal(t.status, 201, t.text);
    const tid = t.json.tid, firstPid = t.json.pid;
    for (let i = 2; i <= 25; i++) {   // 25 floors: pages of 10, 10, 5
      const r = await api(u, 'POST', `/api/v1/threads/${tid}/posts`, { body: `floor ${i}` }, token);
      assert.equal(r.status, 201, r.text);
    }
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
    // floors 27..30 fill page 3; floor 31 opens page 4: every page's pager changes, so all miss once
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
