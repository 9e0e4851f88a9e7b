// t1440: 手机版 (issue 14): the same pages in a touch layout (body class "touch"). Phones get it by
// their User-Agent; the footer link switches it (手机版 <-> 电脑版) and a cookie remembers the choice;
// Discuz!'s ?mobile=2 / forum.php?mobile=yes work. Guest page cache and member fragment cache keep the
// two layouts apart.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, Client, footerOf, queriesOf, webLogin, PW } from './lib.mjs';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const touch = (html) => /<body class="touch[" ]/.test(html);
const switchLink = (html) => {
  const m = /<a href="([^"]*\?mobile=(?:2|no))" rel="nofollow">([^<]*)<\/a>/.exec(html);
  return m ? { url: m[1], name: m[2] } : null;
};
const main = (html) => html.replace(/^[\s\S]*?<main|<footer[\s\S]*$/g, '');

test('phones get the touch layout; the footer link and the cookie switch it; caches keep layouts apart', async () => {
  await withForum({ demo: true }, async (forum) => {
    const ua = (u) => ({ headers: { 'user-agent': u } });
    // desktop twice (the second from the cache), then a phone: not the cached desktop page
    const d1 = await get(`${forum.url}/`, ua(DESKTOP));
    const d2 = await get(`${forum.url}/`, ua(DESKTOP));
    assert.ok(!touch(d1.text) && !touch(d2.text));
    assert.equal(footerOf(d2.text).cache, true);
    assert.deepEqual(switchLink(d1.text), { url: '/?mobile=2', name: '手机版' });
    for (const u of [PHONE, ANDROID]) {
      const m = await get(`${forum.url}/`, ua(u));
      assert.ok(touch(m.text), `${u.slice(13, 40)} gets the touch layout`);
      assert.deepEqual(switchLink(m.text), { url: '/?mobile=no', name: '电脑版' });
    }
    const m2 = await get(`${forum.url}/`, ua(PHONE));
    assert.equal(footerOf(m2.text).cache, true, 'the touch page is cached too, under its own key');
    assert.ok(touch(m2.text));
    assert.equal(main(m2.text), main(d2.text), 'the same page content');
    // the switch: ?mobile=2 on a desktop sets the cookie; later pages stay touch; 电脑版 goes back
    const c = new Client(forum.url);
    let r = await c.get('/f/1?mobile=2', ua(DESKTOP));
    assert.equal(r.status, 200);
    assert.ok(touch(r.text));
    assert.equal(c.cookie('loulan_mobile'), '1');
    r = await c.get('/f/1', ua(DESKTOP));
    assert.ok(touch(r.text), 'the cookie remembers 手机版');
    assert.deepEqual(switchLink(r.text), { url: '/f/1?mobile=no', name: '电脑版' });
    r = await c.get(switchLink(r.text).url, ua(PHONE));
    assert.equal(c.cookie('loulan_mobile'), '0');
    assert.ok(!touch(r.text), '电脑版 on a phone');
    assert.ok(!touch((await c.get('/t/1', ua(PHONE))).text), 'and it is remembered');
    // Discuz!'s forms
    const d = new Client(forum.url);
    r = await d.get('/forum.php?mobile=yes', ua(DESKTOP));
    assert.equal(r.status, 301);
    assert.equal(d.cookie('loulan_mobile'), '1');
    assert.ok(touch((await d.get('/', ua(DESKTOP))).text));
    // /mobile (the footer setting's target): sets and goes back to a local path only
    const e = new Client(forum.url);
    r = await e.get('/mobile?to=pc&back=/f/1');
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), '/f/1');
    assert.equal(e.cookie('loulan_mobile'), '0');
    for (const back of ['//evil.example.com/', 'https://evil.example.com/', '/\\evil', '/a\r\nSet-Cookie: x=1']) {
      r = await e.get(`/mobile?back=${encodeURIComponent(back)}`);
      assert.equal(r.status, 302);
      assert.equal(r.headers.get('location'), '/', JSON.stringify(back));
    }
    assert.equal(e.cookie('loulan_mobile'), '1');
    // MOBILE_BACK_MAX: a path of 512 bytes goes back; 513 goes to /
    const path = (n) => '/f/1?x=' + 'a'.repeat(n - 7);
    assert.equal((await e.get(`/mobile?back=${encodeURIComponent(path(512))}`)).headers.get('location'), path(512));
    assert.equal((await e.get(`/mobile?back=${encodeURIComponent(path(513))}`)).headers.get('location'), '/');
  });
});

test('member thread pages: the fragment cache keys the layout; <= 3 queries in both', async () => {
  await withForum({ demo: true, users: [{ name: 'alice', password: PW }] }, async (forum) => {
    const c = await webLogin(forum.url, 'alice');
    const gz = { 'accept-encoding': 'gzip' };
    const a = await c.get('/t/2', { headers: { ...gz, 'user-agent': DESKTOP } });
    const b = await c.get('/t/2', { headers: { ...gz, 'user-agent': PHONE } });
    const a2 = await c.get('/t/2', { headers: { ...gz, 'user-agent': DESKTOP } });
    const b2 = await c.get('/t/2', { headers: { ...gz, 'user-agent': PHONE } });
    assert.ok(!touch(a.text) && !touch(a2.text), 'desktop');
    assert.ok(touch(b.text) && touch(b2.text), 'touch');
    for (const x of [a, b, a2, b2]) assert.ok(queriesOf(x.text) <= 3);
    // the quick reply form is on both (at the bottom)
    for (const x of [a2, b2]) assert.match(x.text, /<form method="post" action="\/t\/2\/reply" class="form quickreply">/);
  });
});
