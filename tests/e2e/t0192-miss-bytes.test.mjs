// t0192: the bytes a client inflates from a cache miss are the page it would get uncached (issue 16).
//
// Node A serves with both page caches; node B, on the same database, with --no-fragment-cache. On a
// thread with a [hide] post, an edited post and a floor a moderator 屏蔽ed, A's gzip answer (raw
// bytes inflated by zlib, which checks the CRC-32 and length of the joined segments) equals the
// uncached page byte for byte, but for what differs between any two renders (the footer line, view
// counts, the relative time words): for a guest (thread, board and index pages) the page rendered
// without cache or compression (a session cookie that is none) and A's identity hit (the entry
// decompressed); for members of one group (a plain member who hides signatures, repliers who may
// read the [hide] part, the board's moderator) B's full render. An edited post never shows its old body, on a miss or
// a hit; a guest's page has no sigoff hole (<main class="wrap">) and a member's still follows their
// own setting on the group's shared entry.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, Client, gzipGet, webLogin, apiToken, api, csrfOf, addBoard, PW, blankRelativeTimes } from './lib.mjs';

const normalize = (html) => blankRelativeTimes(html)
  .replace(/<p class="debuginfo">[^<]*<\/p>/, '<p class="debuginfo">FOOTER</p>')
  .replace(/查看: <em>\d+<\/em>/, '查看: <em>N</em>')
  .replace(/(<td class="t-num">.*?<span class="muted">)\d+(<\/span>)/g, '$1N$2')   // a board's view counts (per node)
  .replace(/(<time datetime="[^"]*" title="[^"]*">)[^<]*(<\/time>)/g, '$1WHEN$2');

const OLD = 'Zq旧正文OldBody', NEW = 'Zq新正文NewBody', HID = 'ZqHiddenPart', BANNED = 'Zq被屏蔽的回复';

test('a miss inflates to the uncached page: guests and members, [hide], an edited post, a 屏蔽 floor', async () => {
  const names = ['alice', 'bob', 'carol', 'dave', 'mod'];
  await withForum({ demo: false, users: names.map((name) => ({ name, password: PW })),
    config: { 'post.flood_seconds': '0' } }, async (forum) => {
    const fid = await addBoard(forum, ['--name', '缓存字节']);
    const g = await forum.run(['board', 'mod', '--fid', String(fid), '--name', 'mod']);
    assert.equal(g.code, 0, g.stderr);
    const tok = {};
    for (const n of names) tok[n] = await apiToken(forum.url, n);
    const body = `${OLD} ${'长正文，'.repeat(200)}\n[hide]${HID}[/hide]`;
    let r = await api(forum.url, 'POST', `/api/v1/boards/${fid}/threads`, { title: '缺页字节', body, format: 'bbcode' }, tok.alice);
    assert.equal(r.status, 201, r.text);
    const tid = r.json.tid, pid1 = r.json.pid;
    r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `${BANNED} ${'回复'.repeat(150)}`, format: 'bbcode' }, tok.dave);
    assert.equal(r.status, 201, r.text);
    const pidBan = r.json.pid;
    r = await api(forum.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '我回复了，看得到隐藏内容', format: 'bbcode' }, tok.carol);
    assert.equal(r.status, 201, r.text);
    r = await api(forum.url, 'PATCH', '/api/v1/me/profile', { hide_signatures: true }, tok.bob);
    assert.equal(r.status, 200, r.text);
    const web = {};
    for (const n of ['bob', 'carol', 'dave', 'mod']) web[n] = await webLogin(forum.url, n);
    const full = await forum.startNode({ serveArgs: ['--no-fragment-cache'] });
    const guest = new Client(forum.url);
    const paths = [`/t/${tid}`, `/f/${fid}`, '/'];

    const check = async (step) => {
      for (const p of paths) {
        const a = await gzipGet(forum.url, p, guest);   // a miss after each write (or a hit): zlib checks it
        assert.equal(a.status, 200, `${step} ${p}`);
        assert.ok(a.gz, `${step} ${p}: gzip`);
        // the same page rendered without the cache and without compression: a session cookie that is
        // none (a guest's page, never served from nor stored in the guest cache)
        const b = await get(forum.url + p, { headers: { 'accept-encoding': 'identity', cookie: 'loulan_sid=00' } });
        assert.equal(b.headers.get('content-encoding'), null);
        assert.equal(b.headers.get('x-loulan-cache'), null);
        assert.equal(normalize(a.text), normalize(b.text), `${step}: the guest's ${p} (${a.headers['x-loulan-cache']}) differs from an uncompressed render`);
        const c = await get(forum.url + p, { headers: { 'accept-encoding': 'identity' } });
        assert.equal(c.headers.get('x-loulan-cache'), 'hit', `${step} ${p}`);
        assert.equal(normalize(c.text), normalize(a.text), `${step}: the guest's ${p} decompressed from the entry`);
        assert.match(a.text, /<main class="wrap" id="main">/, 'no sigoff for guests');
      }
      for (const n of ['bob', 'carol', 'dave', 'mod']) {
        for (let i = 0; i < 2; i++) {   // a fill, then (for most) the group's entry
          const a = await gzipGet(forum.url, `/t/${tid}`, web[n]);
          const b = await gzipGet(full.url, `/t/${tid}`, web[n]);
          assert.equal(a.status, 200);
          assert.ok(a.gz && b.gz);
          assert.equal(normalize(a.text), normalize(b.text), `${step}: ${n}'s page (${a.headers['x-loulan-fragment'] ?? 'full'}) differs`);
          assert.match(a.text, n === 'bob' ? /<main class="wrap sigoff" id="main">/ : /<main class="wrap" id="main">/, `${step} ${n}: own signature setting`);
          assert.equal(a.text.includes(HID), n !== 'bob', `${step} ${n}: [hide] per viewer (repliers and the moderator)`);
        }
      }
      const gt = (await gzipGet(forum.url, `/t/${tid}`, guest)).text;
      assert.ok(!gt.includes(HID), 'a guest never gets the hidden part');
      return gt;
    };

    let gt = await check('start');
    assert.ok(gt.includes(OLD) && gt.includes(BANNED));
    // the author edits floor 1 while the pages are cached: nobody ever sees the old body again
    r = await api(forum.url, 'PATCH', `/api/v1/posts/${pid1}`, { body: `${NEW} ${'改过，'.repeat(200)}\n[hide]${HID}[/hide]` }, tok.alice);
    assert.equal(r.status, 200, r.text);
    gt = await check('edit');
    assert.ok(gt.includes(NEW) && !gt.includes(OLD), 'the edited body, not the old one');
    for (const n of ['bob', 'mod']) {
      const t = (await gzipGet(forum.url, `/t/${tid}`, web[n])).text;
      assert.ok(t.includes(NEW) && !t.includes(OLD), `${n}: the edited body`);
    }
    // the moderator 屏蔽s dave's floor: guests and members get the notice, the moderator the text
    const page = await web.mod.get(`/t/${tid}`);
    r = await web.mod.post(`/p/${pidBan}/moderate`, { csrf: csrfOf(page.text), action: 'ban' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    gt = await check('屏蔽');
    assert.ok(!gt.includes(BANNED) && gt.includes('该帖被管理员或版主屏蔽'), 'a guest gets the notice');
    assert.ok(!(await gzipGet(forum.url, `/t/${tid}`, web.bob)).text.includes(BANNED), 'a member gets the notice');
    assert.ok((await gzipGet(forum.url, `/t/${tid}`, web.mod)).text.includes(BANNED), 'the moderator sees the floor');
  });
});
