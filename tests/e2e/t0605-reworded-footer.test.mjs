// t0605: the caches do not depend on the footer's wording (DESIGN.md "Caching": no
// code searches rendered HTML for fixed text; the template engine reports where
// each hole is). The server runs with LOULAN_TEMPLATES pointing at a copy of
// footer.html reworded in Chinese — no "Gzip On, Cache Off" anywhere — and both
// uses of the page cache still hit: a guest's second GET (with its live view
// count) and a second member of the same group on a thread page; every value
// in the reworded footer is filled.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withForum, get, Client, csrfOf, gzipGet } from './lib.mjs';

const PW = 'password123';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loulan-tpl-'));
const orig = fs.readFileSync(new URL('../../templates/footer.html', import.meta.url), 'utf8');
const reworded = orig.replace(/Processed in \{\{elapsed\}\} second\(s\), \{\{queries\}\} queries, Gzip \{\{gzip\}\}, Cache \{\{cache\}\}\./,
  '本页耗时 {{elapsed}} 秒，查询 {{queries}} 次，压缩：{{gzip}}，缓存：{{cache}}。');
assert.notEqual(reworded, orig, 'the footer template has the line this test rewords');
fs.writeFileSync(path.join(dir, 'footer.html'), reworded);
process.env.LOULAN_TEMPLATES = dir;
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const FOOT = /本页耗时 (\d+\.\d+) 秒，查询 (\d+) 次，压缩：(On|Off)，缓存：(On|Off)。/;
function footer(html) {
  const m = FOOT.exec(html);
  assert.ok(m, 'the reworded footer');
  assert.ok(!html.includes('Processed in'), 'the built-in footer is replaced');
  return { queries: Number(m[2]), gzip: m[3] === 'On', cache: m[4] === 'On' };
}
const viewsOf = (html) => Number(/查看: <em>(\d+)<\/em>/.exec(html)[1]);


test('a reworded footer keeps the guest cache and the member cache hitting', async () => {
  await withForum({ users: [{ name: 'bob', password: PW }, { name: 'dave', password: PW }] }, async (f) => {
    // guests
    const a = await get(f.url + '/t/1');
    assert.equal(a.status, 200);
    assert.deepEqual(footer(a.text), { queries: footer(a.text).queries, gzip: true, cache: false });
    const b = await get(f.url + '/t/1');
    assert.equal(b.headers.get('x-loulan-cache'), 'hit', 'guest hit with the reworded footer');
    assert.deepEqual([footer(b.text).gzip, footer(b.text).cache], [true, true]);
    assert.equal(footer(b.text).queries, footer(a.text).queries);
    assert.equal(viewsOf(b.text), viewsOf(a.text) + 1, 'the view count stays live');
    const c = await get(f.url + '/t/1', { headers: { 'accept-encoding': 'identity' } });
    assert.equal(c.headers.get('x-loulan-cache'), 'hit');
    assert.deepEqual([footer(c.text).gzip, footer(c.text).cache], [false, true]);
    for (const p of ['/', '/f/1']) {
      await get(f.url + p);
      const r = await get(f.url + p);
      assert.equal(r.headers.get('x-loulan-cache'), 'hit', p);
      assert.equal(footer(r.text).cache, true, p);
    }
    // members of one group
    const web = {};
    for (const name of ['bob', 'dave']) {
      const cl = new Client(f.url);
      const lp = await cl.get('/login');
      const r = await cl.post('/login', { username: name, password: PW, csrf: csrfOf(lp.text) });
      assert.equal(r.status, 303, `login ${name}`);
      web[name] = cl;
    }
    const m1 = await gzipGet(f.url, '/t/1', web.bob);
    assert.equal(m1.headers['x-loulan-fragment'], 'miss');
    assert.deepEqual([footer(m1.text).queries, footer(m1.text).cache], [3, false]);
    const m2 = await gzipGet(f.url, '/t/1', web.dave);
    assert.equal(m2.headers['x-loulan-fragment'], 'hit', 'member hit with the reworded footer');
    assert.deepEqual([footer(m2.text).queries, footer(m2.text).gzip, footer(m2.text).cache], [1, true, true]);
    assert.ok(m2.text.includes('>dave</a>') && !m2.text.includes('>bob</a>'), 'the viewer\'s own name is filled in');
    assert.ok(m1.text.includes('>bob</a>'));
  });
});
