// t0120: the thread page `/t/{tid}`: header, floors and their labels, times,
// author sidebar, author filter, reading mode, neighbours, pagination, the
// guest prompt, and view counting (persisted across a clean restart).
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, queriesOf, page, boardFid, threadRows, floorsOf, textOf, restart, Client, viewsOf } from './lib.mjs';

const LABELS = ['楼主', '沙发', '板凳', '地板', '5#', '6#', '7#', '8#', '9#', '10#'];

async function demoThread(forum, subject) {
  for (const name of ['新闻资讯', '灌水乐园', '技术交流', '站务公告']) {
    const rows = threadRows(await page(`${forum.url}/f/${await boardFid(forum, name)}`));
    const r = rows.find((x) => x.subject.startsWith(subject));
    if (r) return r;
  }
  throw new Error(`no demo thread ${subject}`);
}

test('header, floor labels, times, sidebar, pagination and guest prompt', async () => {
  await withForum({ demo: true }, async (forum) => {
    const t = await demoThread(forum, '某小区物业乱收停车费'); // 25 replies, type 我要爆料
    const html = await page(`${forum.url}/t/${t.tid}`);
    assert.ok(queriesOf(html) <= 3, `${queriesOf(html)} queries`);
    const text = textOf(html);
    assert.match(html, /<h1><a class="ttype" href="\/f\/\d+\?typeid=\d+">\[我要爆料\]<\/a> <span id="thread_subject">某小区物业乱收停车费，业主集体维权<\/span>/);
    assert.match(text, /查看: \d+ \| 回复: 25/);
    assert.match(text, /\[复制链接\]/);
    assert.ok(html.includes('href="#top">返回顶部</a>') && html.includes('id="top"'));
    const floors = floorsOf(html);
    assert.deepEqual(floors.map((f) => f.label), LABELS);
    for (const f of floors) {
      assert.match(f.exact, /^\d{4}-\d{1,2}-\d{1,2} \d{2}:\d{2}:\d{2}$/);
      // demo posts are days old at most: a relative time is shown, the exact one in title
      assert.match(f.when, /刚刚|秒前|分钟前|小时前|昨天|前天|天前/, `floor ${f.label}: ${f.when}`);
      assert.ok(f.group, 'author group');
      assert.ok(f.posts >= 1 && f.credits >= 0, 'author posts and credits');
    }
    assert.match(text, /发表于/);
    // pages: 26 floors, 10 per page
    assert.match(text, /共 3 页/);
    // 倒序浏览 (issue 17): newest first, a range of positions per page, the pager keeps the order
    const d1 = await page(`${forum.url}/t/${t.tid}?order=desc`);
    assert.deepEqual(floorsOf(d1).map((f) => f.label), Array.from({ length: 10 }, (_, i) => `${26 - i}#`));
    assert.ok(queriesOf(d1) <= 3, `${queriesOf(d1)} queries`);
    assert.match(d1, new RegExp(`href="/t/${t.tid}\\?order=desc&amp;page=2"`));
    assert.match(d1, new RegExp(`<a href="/t/${t.tid}">\\[正序浏览\\]</a>`));
    assert.match(html, new RegExp(`<a href="/t/${t.tid}\\?order=desc">\\[倒序浏览\\]</a>`));
    const d3 = await page(`${forum.url}/t/${t.tid}?order=desc&page=3`);
    assert.deepEqual(floorsOf(d3).map((f) => f.label), ['6#', '5#', '地板', '板凳', '沙发', '楼主']);
    assert.equal((await get(`${forum.url}/t/${t.tid}?order=desc&page=4`)).status, 404);
    assert.equal((await get(`${forum.url}/t/${t.tid}?order=asc`)).status, 400, 'one URL per page: only order=desc');
    const p2 = floorsOf(await page(`${forum.url}/t/${t.tid}?page=2`));
    assert.deepEqual(p2.map((f) => f.label), Array.from({ length: 10 }, (_, i) => `${i + 11}#`));
    const p3 = floorsOf(await page(`${forum.url}/t/${t.tid}?page=3`));
    assert.deepEqual(p3.map((f) => f.label), ['21#', '22#', '23#', '24#', '25#', '26#']);
    assert.equal((await get(`${forum.url}/t/${t.tid}?page=4`)).status, 404);
    // guests are asked to log in
    assert.match(text, /您需要登录后才可以回帖 登录 \| 注册/);
    // and the login link comes back to this page (issue 17)
    assert.ok(html.includes(`<a href="/login?next=%2Ft%2F${t.tid}%23reply">登录</a> | <a href="/register?next=%2Ft%2F${t.tid}">注册</a>`));
  });
});

test('the author sidebar counts equal the author\'s floors across the forum', async () => {
  await withForum({ demo: true }, async (forum) => {
    const t = await demoThread(forum, '某小区物业乱收停车费');
    const first = floorsOf(await page(`${forum.url}/t/${t.tid}`))[0];
    let floors = 0, threads = 0;
    for (let tid = 1; ; tid++) {
      const res = await get(`${forum.url}/t/${tid}?author=${first.authorid}`);
      if (res.status === 404) break;
      assert.equal(res.status, 200);
      let html = res.text;
      for (let guard = 0; guard < 20; guard++) {
        const fs = floorsOf(html);
        for (const f of fs) assert.equal(f.authorid, first.authorid);
        floors += fs.length;
        threads += fs.filter((f) => f.label === '楼主').length;
        const next = /<p class="filterbar"><a href="([^"]*)">下一页/.exec(html);
        if (!next) break;
        html = await page(forum.url + next[1].replace(/&amp;/g, '&'));
      }
    }
    assert.equal(first.posts, floors, `帖子 ${first.posts} vs floors found ${floors}`);
    assert.equal(first.threads, threads, `主题 ${first.threads} vs first floors found ${threads}`);
  });
});

test('只看该作者, 阅读模式 and previous/next thread', async () => {
  await withForum({ demo: true }, async (forum) => {
    const t = await demoThread(forum, '某小区物业乱收停车费');
    const all = floorsOf(await page(`${forum.url}/t/${t.tid}`));
    const who = all[1].authorid;
    const html = await page(`${forum.url}/t/${t.tid}?author=${who}`);
    const mine = floorsOf(html);
    assert.ok(mine.length >= 1);
    for (const f of mine) assert.equal(f.authorid, who);
    assert.ok(html.includes(`<a href="/t/${t.tid}">显示全部楼层</a>`));
    assert.ok(!(await page(`${forum.url}/t/${t.tid}`)).includes('显示全部楼层'));

    const read = await page(`${forum.url}/t/${t.tid}?mode=read`);
    assert.match(read, /<body class="reading">/);
    assert.match(textOf(read), /\[退出阅读模式\]/);
    assert.match(textOf(await page(`${forum.url}/t/${t.tid}`)), /\[阅读模式\]/);

    // neighbours within the board, by tid
    const fid = await boardFid(forum, '新闻资讯');
    const tids = threadRows(await page(`${forum.url}/f/${fid}`)).filter((r) => r.fid === fid).map((r) => r.tid)
      .sort((a, b) => a - b);   /* not the demo's global sticky from another board */
    assert.ok(tids.length >= 3);
    const mid = tids[1];
    const next = await get(`${forum.url}/t/${mid}/next`);
    assert.equal(next.status, 302);
    assert.equal(new URL(next.headers.get('location'), forum.url).pathname, `/t/${tids[2]}`);
    const prev = await get(`${forum.url}/t/${mid}/prev`);
    assert.equal(prev.status, 302);
    assert.equal(new URL(prev.headers.get('location'), forum.url).pathname, `/t/${tids[0]}`);
    // the ends of the board: back to the thread, which says so once (issue 17: no dead end, no 404)
    for (const [t, dir, said] of [[tids[0], 'prev', /没有更早的主题了/], [tids.at(-1), 'next', /没有更新的主题了/]]) {
      const c = new Client(forum.url);
      const end = await c.get(`/t/${t}/${dir}`);
      assert.equal(end.status, 303);
      assert.equal(end.headers.get('location'), `/t/${t}`);
      const back = await c.get(`/t/${t}`);
      assert.equal(back.status, 200);
      assert.match(back.text, said);
      assert.equal(back.headers.get('x-loulan-cache'), null, 'a page with a message is not served from the guest cache');
      const again = await c.get(`/t/${t}`);
      assert.doesNotMatch(again.text, said, 'shown once');
      assert.doesNotMatch((await get(`${forum.url}/t/${t}`)).text, said, 'not stored for other guests');
    }
    assert.equal((await get(`${forum.url}/t/999999/next`)).status, 404);
  });
});

test('each view counts once, shows at once and survives a clean restart, also 50 at a time', async () => {
  await withForum({ demo: true }, async (forum) => {
    const t = await demoThread(forum, '如何看待城市夜经济的发展');
    const v1 = viewsOf(await page(`${forum.url}/t/${t.tid}`));
    const v2 = viewsOf(await page(`${forum.url}/t/${t.tid}`));
    assert.equal(v2, v1 + 1, 'the second view shows one more');
    const res = await Promise.all(Array.from({ length: 50 }, () => get(`${forum.url}/t/${t.tid}`)));
    for (const r of res) assert.equal(r.status, 200);
    const seen = res.map((r) => viewsOf(r.text)).sort((a, b) => a - b);
    // parallel pages may show the same count; none shows more than was counted
    assert.ok(seen[0] > v2 && seen.at(-1) <= v2 + 50, `parallel views shown: ${seen[0]}..${seen.at(-1)}`);
    const s1 = await restart(forum);
    try {
      const after = viewsOf(await page(`${s1.url}/t/${t.tid}`));
      assert.equal(after, v2 + 50 + 1, 'views persisted over SIGTERM + restart');
    } finally {
      await s1.stop();
    }
  });
});

test('the one-shot message cookie (loulan_flash): FLASH_MAX bytes, valid UTF-8, escaped, shown once', async () => {
  await withForum({ demo: true }, async (forum) => {
    const b64 = (s) => Buffer.from(s).toString('base64url');
    const show = async (value) => {
      const r = await get(`${forum.url}/t/1`, { headers: { cookie: `loulan_flash=${value}` } });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('set-cookie') ?? '', /loulan_flash=; Path=\/; Max-Age=0/, 'deleted by the page that reads it');
      assert.equal(r.headers.get('x-loulan-cache'), null, 'never from the guest cache');
      const m = /<p class="flash[^"]*" role="status">([^<]*)<\/p>/.exec(r.text);
      return m ? m[1] : null;
    };
    const at = 'ab'.repeat(150);   // FLASH_MAX (300) bytes
    assert.equal(await show(`i0.${b64(at)}`), at);
    assert.equal(await show(`i0.${b64(at + 'x')}`), null, 'one byte over FLASH_MAX: dropped');
    assert.equal(await show(`e0.${b64('<b>x</b>')}`), '&lt;b&gt;x&lt;/b&gt;', 'escaped like any text');
    assert.equal(await show(`e0.${Buffer.from([0xff, 0xfe]).toString('base64url')}`), null, 'not UTF-8: dropped');
    for (const bad of ['x0.YQ', 'e01.YQ', 'e.YQ', 'e0', 'e0.', 'e-1.YQ', 'e0.***']) assert.equal(await show(bad), null, bad);
    assert.equal(await show('e0.YQ'), 'a');
    // the guest cache never learnt any of them
    assert.doesNotMatch((await get(`${forum.url}/t/1`)).text, /class="flash/);
  });
});
