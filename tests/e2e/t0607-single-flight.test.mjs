// t0607: concurrent misses of one page render once (issue 16). Many guests ask
// for a page nobody has read yet, at the same moment, on their own connections:
// one response is the render that filled the entry (X-Loulan-Cache: miss), every
// other one waited for it and is a hit with the same page; the waits are counted
// in /metrics. A write is still seen by the next request (the waiters' look
// after the wait checks the generations).
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { withForum, get, gen, apiToken, api, PW } from './lib.mjs';

const CONCURRENT = 24;

function fetchAll(url, n) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: n });
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, cache: res.headers['x-loulan-cache'], body }));
    }).on('error', reject);
  }))).finally(() => agent.destroy());
}

const metric = async (url, name) => {
  const m = new RegExp(`^${name} (\\d+)`, 'm').exec((await get(`${url}/metrics`)).text);
  assert.ok(m, name);
  return Number(m[1]);
};
const page = (html) => html.replace(/Processed in [\s\S]*?Cache (On|Off)/, '').replace(/查看: <em>\d+<\/em>/, '');

test('concurrent guest misses of one page: one render, the others wait and hit', async (t) => {
  // each render that stores a page waits 300 ms first, so the two workers' requests for a page overlap
  process.env.LOULAN_TEST_FILL_DELAY_MS = '300';
  t.after(() => { delete process.env.LOULAN_TEST_FILL_DELAY_MS; });
  await withForum({ demo: false }, async (forum) => {
    const { bigTid } = await gen(forum, { boards: 1, threads: 3, posts: 10, big: 2000 });
    // a first thread page teaches the cache which arguments thread pages read (t0606); before that,
    // a page's first fill is stored under the key with them, which its waiters did not look for
    await get(`${forum.url}/t/1`);
    const waits0 = await metric(forum.url, 'loulan_page_cache_flight_waits_total');
    // until two pages had requests that overlapped (the workers take connections as they come)
    let overlapped = 0;
    for (let pg = 7; pg < 200 && overlapped < 2; pg += 13) {
      const w0 = await metric(forum.url, 'loulan_page_cache_flight_waits_total');
      const rs = await fetchAll(`${forum.url}/t/${bigTid}?page=${pg}`, CONCURRENT);
      if (await metric(forum.url, 'loulan_page_cache_flight_waits_total') > w0) overlapped++;
      for (const r of rs) assert.equal(r.status, 200);
      const misses = rs.filter((r) => r.cache === 'miss');
      assert.equal(misses.length, 1, `page ${pg}: one render (${rs.map((r) => r.cache).join(',')})`);
      for (const r of rs) assert.equal(page(r.body), page(misses[0].body), 'every guest got that page');
    }
    assert.ok(await metric(forum.url, 'loulan_page_cache_flight_waits_total') > waits0, 'waits counted');
  });
});

test('a reply is on the next guest read of the thread, with concurrent readers around it', async () => {
  await withForum({ demo: false, users: [{ name: 'writer', password: PW }], config: { 'post.flood_seconds': '0' } },
    async (forum) => {
      await gen(forum, { boards: 1, threads: 2, posts: 6 });
      const token = await apiToken(forum.url, 'writer');
      for (let i = 0; i < 4; i++) {
        const readers = fetchAll(`${forum.url}/t/1`, 8);
        const w = await api(forum.url, 'POST', '/api/v1/threads/1/posts', { body: `single flight reply ${i}` }, token);
        assert.equal(w.status, 201, w.text);
        await readers;
        const after = await fetchAll(`${forum.url}/t/1`, 4);
        for (const r of after) assert.match(r.body, new RegExp(`single flight reply ${i}`), 'the reply is shown after its 201');
      }
    });
});
