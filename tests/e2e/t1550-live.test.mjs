// t1550: live replies and counters over Server-Sent Events (issue #15; src/pages/live.c,
// src/http/stream.c). GET /t/{tid}/events tells an open thread page of new replies, GET /events
// carries a member's counters; streams wait without a worker thread, obey the per-address and
// global caps (live.max_per_ip, live.max_streams), are refused for a board the viewer may not
// see, send heartbeats, outlive the slow-client guard, and on PostgreSQL a reply on one node
// reaches a stream on another.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, api, apiToken, openEvents, eventually, PW, addBoard, exec, loulanBin, postIds } from './lib.mjs';


const USERS = [{ name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'root', password: PW, admin: true }];
const FAST = { 'post.flood_seconds': 0 };

async function newThread(url, tok, title = '实时主题') {
  const r = await api(url, 'POST', '/api/v1/boards/1/threads', { title, body: '一楼内容' }, tok);
  assert.equal(r.status, 201, r.text);
  return r.json.tid;
}

async function reply(url, tok, tid, body) {
  const r = await api(url, 'POST', `/api/v1/threads/${tid}/posts`, { body }, tok);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const isReply = (last) => (e) => e.event === 'reply' && e.data.last === last;

test('a new reply reaches the open thread stream; after=, Last-Event-ID and bad input', async () => {
  await withForum({ users: USERS, config: FAST }, async (f) => {
    const bobTok = await apiToken(f.url, 'bob');
    const tid = await newThread(f.url, bobTok);
    const s = await openEvents(`${f.url}/t/${tid}/events?after=1`);
    try {
      assert.equal(s.status, 200);
      assert.match(s.headers['content-type'], /^text\/event-stream/);
      assert.match(s.headers['cache-control'], /no-cache/);
      assert.equal(s.headers['x-accel-buffering'], 'no');
      await s.wait((e) => e.retry, 'the retry line');
      assert.equal(s.events.filter((e) => e.event === 'reply').length, 0, 'nothing new yet');
      const r = await reply(f.url, bobTok, tid, '第一条实时回复');
      const ev = await s.wait(isReply(r.position), 'the reply event');
      assert.equal(ev.id, String(r.position));
      assert.equal(ev.data.tid, tid);
      // another thread's reply is not this stream's business
      const other = await newThread(f.url, bobTok, '别的主题');
      await reply(f.url, bobTok, other, '别处的回复');
      const r2 = await reply(f.url, bobTok, tid, '第二条实时回复');
      await s.wait(isReply(r2.position), 'the second reply');
      assert.ok(s.events.every((e) => e.event !== 'reply' || e.data.tid === tid), 'only its own thread');
    } finally { s.close(); }

    // a stream opened after replies it did not see (the page was older) says so at once
    const late = await openEvents(`${f.url}/t/${tid}/events?after=1`);
    try { await late.wait(isReply(3), 'the missed replies at open'); } finally { late.close(); }
    // a reconnect's Last-Event-ID wins over ?after=
    const re = await openEvents(`${f.url}/t/${tid}/events?after=1`, { headers: { 'last-event-id': '3' } });
    try {
      await re.wait((e) => e.retry, 'the retry line');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(re.events.filter((e) => e.event === 'reply').length, 0, 'nothing the browser already had');
    } finally { re.close(); }

    // bad input: the read rules of the thread page
    assert.equal((await get(`${f.url}/t/999999/events`)).status, 404);
    assert.equal((await get(`${f.url}/t/0${tid}/events`)).status, 404);
    assert.equal((await get(`${f.url}/t/${tid}/events?after=01`)).status, 400);
    assert.equal((await get(`${f.url}/t/${tid}/events?after=x`)).status, 400);
    const bad = await openEvents(`${f.url}/t/${tid}/events`, { headers: { 'last-event-id': '-1' } });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Last-Event-ID/);
    assert.equal((await get(`${f.url}/t/${tid}/events`, { method: 'POST' })).status, 405);
  });
});

test('caps: live.max_per_ip (429) and live.max_streams (503) are crossed; a closed stream frees its slot', async () => {
  await withForum({ users: USERS, config: { ...FAST, 'live.max_per_ip': 2, 'live.max_streams': 3 } }, async (f) => {
    const one = await openEvents(`${f.url}/t/1/events`);
    const two = await openEvents(`${f.url}/t/1/events`);
    assert.equal(one.status, 200);
    assert.equal(two.status, 200);
    const third = await openEvents(`${f.url}/t/1/events`);
    assert.equal(third.status, 429, 'the third stream of one address');
    assert.ok(third.headers['retry-after']);
    assert.match(third.text, /实时推送连接太多/);
    // the client goes away: the server notices the hang-up at once (not at the next heartbeat)
    one.close();
    const again = await eventually(async () => {
      const s = await openEvents(`${f.url}/t/1/events`);
      if (s.status === 200) return s;
      return null;
    }, 'a slot freed by a closed stream', 5000);
    two.close();
    again.close();
    // the global cap: another address is needed to get past the per-address one, so raise it
    const r = await f.run(['config', 'set', 'live.max_per_ip', '10']);
    assert.equal(r.code, 0, r.stderr);
    const open = [];
    try {
      await eventually(async () => {
        const s = await openEvents(`${f.url}/t/1/events`);
        if (s.status === 200) { open.push(s); return open.length === 3; }
        assert.equal(s.status, 429, 'until the new per-address cap is read');
        return false;
      }, 'three streams open', 8000);
      const fourth = await openEvents(`${f.url}/t/1/events`);
      assert.equal(fourth.status, 503, 'the fourth stream of the node');
      assert.match(fourth.text, /实时推送连接已满/);
      const m = await get(`${f.url}/metrics`);
      assert.match(m.text, /loulan_event_streams_open 3/);
      assert.match(m.text, /loulan_event_streams_refused_node_total [1-9]/);
      assert.match(m.text, /loulan_event_streams_refused_address_total [1-9]/);
    } finally { for (const s of open) s.close(); }
    // live.max_streams 0 turns them off
    assert.equal((await f.run(['config', 'set', 'live.max_streams', '0'])).code, 0);
    await eventually(async () => {
      const s = await openEvents(`${f.url}/t/1/events`);
      s.close();
      return s.status === 503;
    }, 'streams off');
    // the limits of the settings themselves
    assert.notEqual((await f.run(['config', 'set', 'live.max_streams', '100001'])).code, 0);
    assert.notEqual((await f.run(['config', 'set', 'live.max_per_ip', '0'])).code, 0);
    assert.notEqual((await f.run(['config', 'set', 'live.heartbeat', '301'])).code, 0);
  });
});

test('serve --max-connections: at most HTTP_CONNECTIONS_CAP', async () => {
  const r = await exec(loulanBin(), ['serve', '--data', '/nonexistent', '--max-connections', '100001']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /max-connections/);
});

test('a thread in a board the viewer may not see: its stream is refused like the page', async () => {
  await withForum({ users: USERS, config: FAST }, async (f) => {
    const fid = await addBoard(f, ['--name', '秘密版']);
    const r = await f.run(['post', '--as-admin', '--name', 'root', '--board', String(fid), '--subject', '秘密主题'], '秘密内容');
    assert.equal(r.code, 0, r.stderr);
    const [tid] = postIds(r.stdout).map(Number);
    assert.equal((await openEvents(`${f.url}/t/${tid}/events`)).status, 200, 'visible at first');
    for (const g of ['7', '10']) {
      assert.equal((await f.run(['board', 'perm', '--fid', String(fid), '--group', g, '--view', '0'])).code, 0);
    }
    await eventually(async () => (await get(`${f.url}/t/${tid}`)).status === 403, 'the page refused');
    const s = await openEvents(`${f.url}/t/${tid}/events`);
    assert.equal(s.status, 403);
    assert.ok(!s.text.includes('秘密主题'));
    const tok = await apiToken(f.url, 'alice');
    const cookieless = await openEvents(`${f.url}/t/${tid}/events`, { headers: { authorization: `Bearer ${tok}` } });
    assert.equal(cookieless.status, 403);
  });
});

test('streams hold no worker thread: 40 open streams on one worker, pages still answer', async () => {
  await withForum({ users: USERS, workers: 1, config: { ...FAST, 'live.max_per_ip': 100 } }, async (f) => {
    const open = [];
    try {
      for (let i = 0; i < 40; i++) {
        const s = await openEvents(`${f.url}/t/1/events`);
        assert.equal(s.status, 200);
        open.push(s);
      }
      for (let i = 0; i < 5; i++) assert.equal((await get(`${f.url}/f/1`)).status, 200);
      const tok = await apiToken(f.url, 'bob');
      const r = await reply(f.url, tok, 1, '四十个都收到');
      await Promise.all(open.map((s) => s.wait(isReply(r.position), 'the reply on every stream')));
    } finally { for (const s of open) s.close(); }
  });
});

test('the member stream: guests refused; a member\'s 提醒 and 消息 counts follow', async () => {
  await withForum({ users: USERS, config: FAST }, async (f) => {
    const g = await get(`${f.url}/events`);
    assert.equal(g.status, 403);
    const tok = await apiToken(f.url, 'alice');
    const s = await openEvents(`${f.url}/events`, { headers: { authorization: `Bearer ${tok}` } });
    // bearer tokens are not sessions on web routes: the stream wants the cookie
    assert.equal(s.status, 403);
    const login = await fetch(`${f.url}/login`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await login.text())[1];
    const jar = login.headers.get('set-cookie').split(';')[0];
    const res = await fetch(`${f.url}/login`, {
      method: 'POST', redirect: 'manual', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: PW, csrf }),
    });
    assert.equal(res.status, 303);
    const sid = /loulan_sid=[^;]+/.exec(res.headers.get('set-cookie'))[0];
    const m = await openEvents(`${f.url}/events`, { headers: { cookie: sid } });
    try {
      assert.equal(m.status, 200);
      const ev = await m.wait((e) => e.event === 'counts', 'the counters at open');
      assert.equal(typeof ev.data.notifications, 'number');
      assert.equal(typeof ev.data.messages, 'number');
    } finally { m.close(); }
    // the thread stream of a member carries the counters too (one stream per page)
    const t = await openEvents(`${f.url}/t/1/events`, { headers: { cookie: sid } });
    try { await t.wait((e) => e.event === 'counts', 'the counters on the thread stream'); } finally { t.close(); }

    // the bell: bob replies to alice's thread (提醒 NK_REPLY) and @mentions her elsewhere; she reads them all
    const aliceTok = await apiToken(f.url, 'alice');
    const bobTok = await apiToken(f.url, 'bob');
    const tid = await newThread(f.url, aliceTok, '爱丽丝的主题');
    const other = await newThread(f.url, bobTok, '鲍勃的主题');
    const live = await openEvents(`${f.url}/events`, { headers: { cookie: sid } });
    try {
      const counts = (n) => (e) => e.event === 'counts' && e.data.notifications === n;
      await live.wait(counts(0), 'no notification yet');
      await reply(f.url, bobTok, tid, '回复爱丽丝');
      await live.wait(counts(1), 'the reply\'s notification');
      await reply(f.url, bobTok, other, '@alice 你看看');
      await live.wait(counts(2), 'the mention\'s notification');
      const rd = await api(f.url, 'POST', '/api/v1/notifications/read', { all: true }, aliceTok);
      assert.equal(rd.status, 200, rd.text);
      await live.wait((e) => e.event === 'counts' && e.data.notifications === 0 && live.events.indexOf(e) > 1,
        'the count back to 0 after reading');
      // 短消息: bob writes to alice (her 消息 count goes up), she reads it (down again)
      const msgs = (n) => (e) => e.event === 'counts' && e.data.messages === n;
      const sent = await api(f.url, 'POST', '/api/v1/messages', { to: ['alice'], body: '今晚有空吗？' }, bobTok);
      assert.equal(sent.status, 201, sent.text);
      await live.wait(msgs(1), 'the message count');
      const seen = live.events.length;
      const read = await api(f.url, 'GET', `/api/v1/messages/${sent.json.id}`, undefined, aliceTok);
      assert.equal(read.status, 200, read.text);
      await live.wait((e) => msgs(0)(e) && live.events.indexOf(e) >= seen, 'the message count back to 0');
    } finally { live.close(); }
  });
});

test('heartbeats keep a quiet stream open past the idle timeout and the slow-client guard', async () => {
  await withForum({ users: USERS, config: { ...FAST, 'live.heartbeat': 1 } }, async (f) => {
    const s = await openEvents(`${f.url}/t/1/events`);
    try {
      await eventually(() => s.comments >= 2, 'two heartbeats', 8000);
      // a heartbeat interval longer than the server's idle timeout (HTTP_TIMEOUT_S, 30 s): the
      // stream waits suspended, where neither the library's timeout nor the guard closes it
      assert.equal((await f.run(['config', 'set', 'live.heartbeat', '60'])).code, 0);
      await new Promise((r) => setTimeout(r, 34000));
      assert.equal(s.closed, false, 'still open after 34 s');
      const tok = await apiToken(f.url, 'bob');
      const r = await reply(f.url, tok, 1, '过了很久的回复');
      await s.wait(isReply(r.position), 'the reply after 34 quiet seconds');
    } finally { s.close(); }
  });
});

const PG = process.env.LOULAN_TEST_PG;
test('two nodes on one PostgreSQL: a reply on node A reaches a stream on node B', { skip: PG ? false : 'needs LOULAN_TEST_PG' }, async () => {
  await withForum({ users: USERS, config: FAST }, async (f) => {
    const b = await f.startNode();
    const tok = await apiToken(f.url, 'bob');
    const tid = await newThread(f.url, tok);
    const s = await openEvents(`${b.url}/t/${tid}/events?after=1`);
    try {
      assert.equal(s.status, 200);
      await s.wait((e) => e.retry, 'the retry line');
      const r = await reply(f.url, tok, tid, 'A 节点的回复');
      const ev = await s.wait(isReply(r.position), 'node A\'s reply on node B');
      assert.equal(ev.data.tid, tid);
      // and the other way round, one event per reply (no echo of B's own NOTIFY)
      const r2 = await reply(b.url, tok, tid, 'B 节点的回复');
      await s.wait(isReply(r2.position), 'node B\'s own reply');
      await new Promise((res) => setTimeout(res, 500));
      assert.equal(s.events.filter((e) => e.event === 'reply' && e.data.last === r2.position).length, 1);
    } finally { s.close(); }
  });
});
