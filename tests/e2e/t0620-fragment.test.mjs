// t0620: member thread pages from the fragment cache (src/cache/cache.h).
//
// Node A serves with the fragment cache; node B, on the same database, with
// --no-fragment-cache (every page rendered in full). For several viewers —
// a floor's author, a member who liked a floor, two moderators, two plain
// members, two 禁止发言 members and an admin — and after each kind of write
// made through A (reply, like, edit, delete, rating, unlike), the page A
// serves (its raw gzip body checked by zlib: CRC and length) equals B's fresh
// render byte for byte, except for what differs between any two renders:
// the footer's timer/query count/Cache word and clock, the view count, and
// the relative time text of <time> (its exact datetime/title attributes are
// compared). The footer is checked on its own: a fragment hit says 1 query
// and Cache On, a fill 3 queries and Cache Off. Members of one group share an
// entry (a hit for the second); the author and likers of a floor on the page
// never get the shared entry.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, Client, csrfOf, footerOf, gzipGet, postIds, blankRelativeTimes } from './lib.mjs';

const PW = 'password123';
const NAMES = ['alice', 'bob', 'carol', 'dave', 'mod1', 'mod2', 'eve1', 'eve2', 'root'];

async function api(url, method, path, token, body) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return get(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}


function normalize(html) {
  return blankRelativeTimes(html)
    .replace(/<p class="debuginfo">[^<]*<\/p>/, '<p class="debuginfo">FOOTER</p>')
    .replace(/查看: <em>\d+<\/em>/, '查看: <em>N</em>')
    .replace(/(<time datetime="[^"]*" title="[^"]*">)[^<]*(<\/time>)/g, '$1WHEN$2');
}

test('member thread pages from the fragment cache equal full renders, for every kind of viewer, across writes', async () => {
  await withForum({ demo: false, users: NAMES.map((name) => ({ name, password: PW, admin: name === 'root' })),
    config: { 'post.flood_seconds': '0' } }, async (forum) => {
    for (const [name, group] of [['eve1', 4], ['eve2', 4]]) {
      const r = await forum.run(['user', 'group', '--name', name, '--group', String(group)]);
      assert.equal(r.code, 0, r.stderr);
    }
    let r = await forum.run(['board', 'add', '--name', '测试版块']);
    const fid = Number(r.stdout.trim().split(/\s+/).pop());
    for (const name of ['mod1', 'mod2']) {   // 版主 (group 3) of this board
      const m = await forum.run(['board', 'mod', '--fid', String(fid), '--name', name]);
      assert.equal(m.code, 0, m.stderr);
    }
    r = await forum.run(['post', '--as-admin', '--name', 'alice', '--board', String(fid), '--subject', '缓存<测试>&"'], '正文 [b]粗体[/b]');
    assert.equal(r.code, 0, r.stderr);
    const [tid, pid1] = postIds(r.stdout).map(Number);
    const full = await forum.startNode({ serveArgs: ['--no-fragment-cache'] });

    const web = {};
    const tok = {};
    for (const name of NAMES) {
      const c = new Client(forum.url);
      const lp = await c.get('/login');
      r = await c.post('/login', { username: name, password: PW, csrf: csrfOf(lp.text) });
      assert.equal(r.status, 303, `login ${name}`);
      web[name] = c;
      r = await api(forum.url, 'POST', '/api/v1/session', null, { username: name, password: PW });
      tok[name] = r.json().token;
    }
    const seen = { hit: 0, miss: 0, none: 0 };
    const check = async (step, names = NAMES, path = `/t/${tid}`) => {
      for (const name of names) {
        const a = await gzipGet(forum.url, path, web[name]);
        const b = await gzipGet(full.url, path, web[name]);
        assert.equal(a.status, 200, `${step} ${name}`);
        assert.equal(b.status, 200);
        assert.ok(a.gz, 'gzip');
        assert.equal(b.headers['x-loulan-fragment'], undefined, 'node B renders in full');
        const how = a.headers['x-loulan-fragment'] ?? 'none';
        seen[how]++;
        const f = footerOf(a.text);
        if (how === 'hit') assert.deepEqual([f.queries, f.gzip, f.cache], [1, true, true], `${step} ${name}: hit footer`);
        else assert.deepEqual([f.queries, f.gzip, f.cache], [3, true, false], `${step} ${name}: ${how} footer`);
        assert.ok(a.text.includes(`<a class="me" href="/u/`) && a.text.includes(`>${name}</a>`), `${step} ${name}: own header`);
        assert.equal(normalize(a.text), normalize(b.text), `${step}: ${name}'s page (${how}) differs from a full render`);
      }
    };
    const hitsFor = async (step, name) => {
      const a = await gzipGet(forum.url, `/t/${tid}`, web[name]);
      assert.equal(a.headers['x-loulan-fragment'], 'hit', `${step}: ${name} gets the group's entry`);
    };

    await check('start');
    await hitsFor('start', 'dave');
    // the author of floor 1 never gets the shared entry
    const a1 = await gzipGet(forum.url, `/t/${tid}`, web.alice);
    assert.equal(a1.headers['x-loulan-fragment'], undefined, 'the author renders in full');

    // reply (through node A's API)
    r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, tok.carol, { body: '回复 <script>x</script> [i]斜体[/i]' });
    assert.equal(r.status, 201, r.text);
    const pid2 = r.json().pid;
    await check('reply');
    await hitsFor('reply', 'dave');
    // like: bob likes carol's floor
    r = await api(forum.url, 'POST', `/api/v1/posts/${pid2}/like`, tok.bob);
    assert.equal(r.status, 200, r.text);
    await check('like');
    assert.match((await gzipGet(forum.url, `/t/${tid}`, web.bob)).text, /取消点赞 1/);
    // web like through the page's one form
    r = await web.dave.post(`/p/${pid1}/like`, { csrf: csrfOf((await web.dave.get(`/t/${tid}`)).text) });
    assert.equal(r.status, 303);
    await check('web like');
    // edit by the author
    r = await api(forum.url, 'PATCH', `/api/v1/posts/${pid1}`, tok.alice, { body: '改过的正文' });
    assert.equal(r.status, 200, r.text);
    await check('edit');
    // rating by an admin
    r = await api(forum.url, 'POST', `/api/v1/posts/${pid1}/rate`, tok.root, { credit: '威望', score: 2, reason: '好' });
    assert.equal(r.status, 200, r.text);
    await check('rate');
    // another reply, then a moderator deletes it
    r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, tok.eve1, { body: '禁止发言不能回复' });
    assert.equal(r.status, 403, '禁止发言');
    r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, tok.dave, { body: '要被删的回复' });
    assert.equal(r.status, 201, r.text);
    const pid3 = r.json().pid;
    await check('reply 2');
    r = await api(forum.url, 'DELETE', `/api/v1/posts/${pid3}`, tok.mod1);
    assert.equal(r.status, 200, r.text);
    await check('delete');
    // unlike, then a group change (the member's key changes with it)
    r = await api(forum.url, 'DELETE', `/api/v1/posts/${pid2}/like`, tok.bob);
    assert.equal(r.status, 200, r.text);
    await check('unlike');
    r = await forum.run(['user', 'group', '--name', 'carol', '--group', '4']);
    assert.equal(r.code, 0, r.stderr);
    await check('group change');
    // other pages of the route: the author filter and reading mode
    await check('author filter', NAMES, `/t/${tid}?author=2`);
    await check('reading mode', NAMES, `/t/${tid}?mode=read`);
    await check('reading mode again', ['bob', 'eve2', 'mod2'], `/t/${tid}?mode=read`);
    assert.ok(seen.hit >= 10, `fragment hits: ${JSON.stringify(seen)}`);
    assert.ok(seen.miss >= 5, `fragment fills: ${JSON.stringify(seen)}`);
    assert.ok(seen.none >= 5, `full renders for authors and likers: ${JSON.stringify(seen)}`);

    // without gzip, a member gets the page rendered in full
    const plain = await web.dave.get(`/t/${tid}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('x-loulan-fragment'), null);
    assert.deepEqual([footerOf(plain.text).gzip, footerOf(plain.text).cache], [false, false]);
    // errors are not cached pages
    assert.equal((await gzipGet(forum.url, `/t/${tid}?page=9`, web.dave)).status, 404);
    assert.equal((await gzipGet(forum.url, '/t/999999', web.dave)).status, 404);
  });
});
