// t0609: what a reply invalidates (issue 16). A reply to one thread drops that
// thread's last cached page and the lists that show it (its board's page, the
// index), and the very next guest read of each shows the reply; other threads'
// cached pages stay hits (a reply used to move the site's generation, so every
// cached page on the site missed after any reply or like).
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, gen, apiToken, api, PW } from './lib.mjs';

const cacheOf = async (url) => (await get(url)).headers.get('x-loulan-cache');

test('a reply invalidates its thread, its board page and the index; other threads stay cached', async () => {
  await withForum({ demo: false, users: [{ name: 'writer', password: PW }], config: { 'post.flood_seconds': '0' } },
    async (forum) => {
      await gen(forum, { boards: 2, threads: 6, posts: 30 });
      const u = forum.url;
      const threads = [...(await get(`${u}/f/1`)).text.matchAll(/class="subject" href="\/t\/(\d+)"/g)].map((m) => Number(m[1]));
      const [a, b] = threads;
      assert.ok(a && b, 'two threads on board 1');
      const other = [...(await get(`${u}/f/2`)).text.matchAll(/class="subject" href="\/t\/(\d+)"/g)].map((m) => Number(m[1]))[0];
      const pages = [`/t/${a}`, `/t/${b}`, `/t/${other}`, '/f/1', '/f/2', '/'];
      for (const p of pages) {
        await get(u + p);
        assert.equal(await cacheOf(u + p), 'hit', `${p} cached`);
      }
      const token = await apiToken(u, 'writer');
      for (let i = 0; i < 3; i++) {
        const last0 = Number(/共 (\d+) 页/.exec((await get(`${u}/t/${a}`)).text)?.[1] ?? 1);
        await get(`${u}/t/${a}?page=${last0}`);
        const text = `scope reply ${i}`;
        const w = await api(u, 'POST', `/api/v1/threads/${a}/posts`, { body: text }, token);
        assert.equal(w.status, 201, w.text);
        // the written thread, its board's list and the index: the next read shows the reply
        // (its last page: the earlier ones stay cached, t0610)
        const t = await get(`${u}/t/${a}?page=${last0}`);
        assert.notEqual(t.headers.get('x-loulan-cache'), 'hit', 'the thread\'s last page was invalidated');
        const last = Number(/共 (\d+) 页/.exec(t.text)?.[1] ?? 1);
        assert.match(last > last0 ? (await get(`${u}/t/${a}?page=${last}`)).text : t.text, new RegExp(text));
        for (const p of ['/f/1', '/']) {
          const r = await get(u + p);
          assert.notEqual(r.headers.get('x-loulan-cache'), 'hit', `${p} was invalidated`);
          assert.match(r.text, /writer/, `${p} shows the last poster`);
        }
        // other threads, on the same board and on another, stay cached
        for (const p of [`/t/${b}`, `/t/${other}`]) assert.equal(await cacheOf(u + p), 'hit', `${p} after a reply to ${a}`);
        for (const p of pages) await get(u + p);   // refill for the next round
      }
    });
});
