// t0115: board pages move forward and back by keyset cursors (?after= / ?before=),
// which give the same pages as the numbered ones, stay stable when a reply
// reorders the list between two page views, and reject malformed cursors.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, PW, apiToken, api } from './lib.mjs';

let f, fid;
const tidsOf = (html) => [...html.matchAll(/class="subject" href="\/t\/(\d+)"/g)].map((m) => Number(m[1]));
const linkOf = (html, cls) => {
  const m = new RegExp(`class="${cls}" href="([^"]*)"`).exec(html);
  return m ? m[1].replace(/&amp;/g, '&') : null;
};

before(async () => {
  f = await startForum({ demo: false, users: [{ name: 'cursor', password: PW }], config: { 'post.flood_seconds': '0' } });
  const r = await f.run(['gen', '--boards', '1', '--threads', '65', '--posts', '200', '--seed', '7']);
  assert.equal(r.code, 0, r.stderr);
  const index = await get(f.url + '/');
  fid = Number(/href="\/f\/(\d+)"/.exec(index.text)[1]);
});
after(async () => { await f.stop(); });

test('next links walk the same pages as ?page=N, prev links walk back', async () => {
  const numbered = [];
  for (let pg = 1; pg <= 4; pg++) numbered.push(tidsOf((await get(`${f.url}/f/${fid}?page=${pg}`)).text));
  assert.deepEqual(numbered.map((p) => p.length), [20, 20, 20, 5]);
  let url = `/f/${fid}`;
  const walked = [];
  const pages = [];
  while (url) {
    const page = await get(f.url + url);
    assert.equal(page.status, 200, url);
    walked.push(tidsOf(page.text));
    pages.push(page.text);
    url = linkOf(page.text, 'next');
    if (url) assert.match(url, /[?&]after=\d+_\d+_\d+/, 'next pages go by cursor');
  }
  assert.deepEqual(walked, numbered);
  let back = linkOf(pages[3], 'prev');
  assert.match(back, /[?&]before=\d+_\d+_\d+/);
  assert.deepEqual(tidsOf((await get(f.url + back)).text), numbered[2]);
  back = linkOf((await get(f.url + back)).text, 'prev');
  assert.deepEqual(tidsOf((await get(f.url + back)).text), numbered[1]);
  // from page 2 the way back is plain page 1
  assert.equal(linkOf(pages[1], 'prev'), `/f/${fid}?page=1`);
});

test('a reply that moves a thread to the top does not repeat page 1 rows on page 2', async () => {
  const p1 = await get(`${f.url}/f/${fid}`);
  const first = tidsOf(p1.text);
  const next = linkOf(p1.text, 'next');
  const p3 = tidsOf((await get(`${f.url}/f/${fid}?page=3`)).text);
  const tok = await apiToken(f.url, 'cursor');
  const r = await api(f.url, 'POST', `/api/v1/threads/${p3[5]}/posts`, { body: '顶上去' }, tok);
  assert.equal(r.status, 201, r.text);
  const p2 = tidsOf((await get(f.url + next)).text);
  assert.equal(p2.length, 20);
  for (const t of p2) assert.ok(!first.includes(t), `thread ${t} of page 1 shown again on page 2`);
  // by number, page 2 now starts with what was page 1's last row (the list shifted)
  const p2n = tidsOf((await get(`${f.url}/f/${fid}?page=2`)).text);
  assert.equal(p2n[0], first[first.length - 1]);
});

test('malformed or double cursors are 400', async () => {
  for (const q of ['after=1_2', 'after=a_1_2', 'after=1_2_3_4', 'before=-1_2_3', 'after=1_2_3&before=1_2_3',
                   'after=1234567890123456789_1_1', 'after=']) {
    const r = await get(`${f.url}/f/${fid}?page=2&${q}`);
    assert.equal(r.status, 400, q);
  }
});
