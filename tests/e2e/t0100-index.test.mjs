// t0100: the board index `/`: categories, boards and their counts (checked
// against the board pages), today's posts, the last post, the footer, gzip.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { withForum, footerOf, textOf, page, gen, threadRows, api, allFloors, get } from './lib.mjs';

/** Boards on the index: [{cat, fid, name, threads, posts, today, last}] */
function indexBoards(html) {
  const out = [];
  for (const c of html.matchAll(/<h2 class="cat-h">([^<]*)<\/h2>([\s\S]*?)<\/table>/g)) {
    for (const r of c[2].matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
      const b = /<h3>(?:<span class="bicon" aria-hidden="true">[^<]*<\/span>)?<a href="\/f\/(\d+)">([^<]*)<\/a>(?: <span class="today">\(今日 (\d+)\)<\/span>)?<\/h3>/.exec(r[1]);
      const n = /<span title="主题">(\d+)<\/span> \/ <span title="帖数">(\d+)<\/span>/.exec(r[1]);
      const l = /<a href="\/t\/(\d+)" class="last-sub">([^<]*)<\/a><br><span class="when" title="([^"]*)">[^<]*<\/span> <span class="by">([^<]*)<\/span>/.exec(r[1]);
      assert.ok(b && n, `board row not understood:\n${r[1]}`);
      out.push({
        cat: c[1], fid: Number(b[1]), name: b[2], today: Number(b[3] ?? 0),
        threads: Number(n[1]), posts: Number(n[2]),
        last: l ? { tid: Number(l[1]), subject: l[2], exact: l[3], poster: l[4] } : null,
      });
    }
  }
  return out;
}

/** GET with node:http, so no Accept-Encoding is sent unless given. */
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('index lists the demo categories and boards with counts that match the board pages', async () => {
  await withForum({ demo: true }, async (forum) => {
    await gen(forum, { boards: 1, threads: 1, posts: 1, big: 30 });
    const html = await page(forum.url + '/');
    const boards = indexBoards(html);
    const cats = [...new Set(boards.map((b) => b.cat))];
    assert.deepEqual(cats, ['综合讨论区', '站务管理', '生成数据']);
    assert.deepEqual(boards.map((b) => b.name), ['新闻资讯', '灌水乐园', '技术交流', '站务公告', '综合讨论']);
    // a board's row adds its sub-boards' counts (子版块 on the row, Discuz!'s index; t1835)
    const all = JSON.parse((await get(`${forum.url}/api/v1/boards`)).text).boards;
    const subsOf = (fid) => all.filter((x) => x.parent === fid).map((x) => x.fid);
    assert.deepEqual(subsOf(boards.find((b) => b.name === '灌水乐园').fid).length, 1, 'the demo has a sub-board');
    let threads = 0, posts = 0, today = 0;
    for (const b of boards) {
      const sum = [0, 0, 0], rows = [];
      for (const f of [b.fid, ...subsOf(b.fid)]) {
        const bp = await page(`${forum.url}/f/${f}`);
        const meta = /今日: <em>(\d+)<\/em>.*?主题: <em>(\d+)<\/em>.*?帖数: <em>(\d+)<\/em>/.exec(bp);
        assert.ok(meta, `board ${f} head`);
        for (let k = 0; k < 3; k++) sum[k] += Number(meta[k + 1]);
        // every board fits on one page here: the rows are the board's threads
        rows.push(...threadRows(bp).filter((r) => r.fid === f));   /* not other boards' global stickies */
      }
      assert.deepEqual(sum, [b.today, b.threads, b.posts], `board ${b.name}: index and board pages disagree`);
      assert.equal(rows.length, b.threads, `board ${b.name}: thread rows`);
      assert.equal(rows.reduce((s, r) => s + r.replies + 1, 0), b.posts, `board ${b.name}: posts = sum of floors`);
      assert.ok(b.last, `board ${b.name} has a last post`);
      const lt = rows.find((r) => r.tid === b.last.tid);
      assert.ok(lt, `last post thread ${b.last.tid} is in board ${b.name}`);
      assert.equal(lt.subject, b.last.subject);
      assert.equal(lt.lastposter, b.last.poster);
      // the last post link leads to the thread
      const tp = await page(`${forum.url}/t/${b.last.tid}`);
      assert.ok(tp.includes(`<span id="thread_subject">${b.last.subject}</span>`));
      threads += b.threads; posts += b.posts; today += b.today;
    }
    const st = /今日: <em>(\d+)<\/em>.*?主题: <em>(\d+)<\/em>.*?帖子: <em>(\d+)<\/em>/.exec(html);
    assert.deepEqual([Number(st[1]), Number(st[2]), Number(st[3])], [today, threads, posts]);
    // the generated board's big thread is live: its last floor was written now
    const g = boards.find((b) => b.cat === '生成数据');
    assert.ok(g.today >= 1, `generated board shows today's posts: ${g.today}`);
    assert.equal(g.threads, 2);
    assert.equal(g.posts, 31);
    assert.match(g.last.subject, /^【万人接龙】/);
  });
});

test('footer: time zone and date, timer, query count within budget, Powered by loulan', async () => {
  await withForum({ demo: true }, async (forum) => {
    const html = await page(forum.url + '/');
    const text = textOf(html);
    assert.match(text, /GMT\+8, \d{4}-\d{1,2}-\d{1,2} \d{2}:\d{2} , Processed in \d+\.\d+ second\(s\), \d+ queries, Gzip (On|Off)/);
    assert.match(text, /Powered by loulan/);
    const f = footerOf(html);
    assert.ok(f.queries >= 1 && f.queries <= 3, `queries: ${f.queries}`);
  });
});

test('gzip when asked for, with Vary; identity otherwise', async () => {
  await withForum({ demo: true }, async (forum) => {
    const z = await rawGet(forum.url + '/', { 'accept-encoding': 'gzip' });
    assert.equal(z.status, 200);
    assert.equal(z.headers['content-encoding'], 'gzip');
    assert.match(z.headers.vary ?? '', /Accept-Encoding/i);
    const html = zlib.gunzipSync(z.body).toString('utf8');
    assert.equal(footerOf(html).gzip, true);

    const p = await rawGet(forum.url + '/');
    assert.equal(p.status, 200);
    assert.equal(p.headers['content-encoding'], undefined);
    const plain = p.body.toString('utf8');
    assert.match(plain, /^<!doctype html>/);
    assert.equal(footerOf(plain).gzip, false);
    assert.match(textOf(plain), /Gzip Off/);
  });
});

// issue 17: the demo looks alive: replies over several days, and 今日 is what the demo's
// timestamps say it is (computed here from every floor, in the forum's Asia/Shanghai day)
test('demo: replies spread over several days; 今日 counts the floors written since midnight', async () => {
  await withForum({ demo: true }, async (forum) => {
    const midnight = () => {
      const d = new Date(Date.now() + 8 * 3600e3);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000 - 8 * 3600;
    };
    const day0 = midnight();
    const tids = new Set();
    for (const b of (await api(forum.url, 'GET', '/api/v1/boards')).json.boards) {
      for (let next = `/api/v1/boards/${b.fid}/threads`; next;) {
        const r = await api(forum.url, 'GET', next);
        assert.equal(r.status, 200, r.text);
        for (const t of r.json.threads) tids.add(t.tid);
        next = r.json.next_url;
      }
    }
    assert.ok(tids.size >= 10, `${tids.size} demo threads`);
    let today = 0, later = 0;
    for (const tid of tids) {
      const { floors } = await allFloors(forum.url, tid);
      today += floors.filter((f) => f.created >= day0).length;
      // a reply a full day after the first floor is on a later calendar day in any time zone
      if (floors.some((f) => f.created - floors[0].created >= 86400)) later++;
      for (const f of floors) assert.ok(f.created <= Date.now() / 1000 + 1, `thread ${tid}: no floor in the future`);
    }
    assert.ok(later >= 3, `${later} demo threads with replies on a later day than the thread`);
    const html = await page(forum.url + '/');
    const st = /今日: <em>(\d+)<\/em>/.exec(html);
    assert.ok(st, 'the index shows 今日');
    if (midnight() === day0) assert.equal(Number(st[1]), today, '今日 on the index = demo floors since midnight');
    assert.ok(today >= 1, 'the demo wrote something today');
  });
});
