// bench/live.mjs: the client side of bench/live.sh (Server-Sent Events, issue #15).
//
//   node bench/live.mjs streams URL PID N TOKEN   open N event streams of URL/t/1/events on one node
//       (raw sockets, batches of 250), read the server's VmRSS (/proc/PID/status) before and
//       after, time a page while they are open, post one reply (bearer TOKEN) and time until
//       every stream has its event; prints one JSON line.
//   node bench/live.mjs latency URL_A URL_B TOKEN K   one stream on node B, K replies posted on
//       node A one after another: per reply, the time from sending the POST to A's answer and to
//       the event on B; prints one JSON line (milliseconds, p50 / p99 / max).
import net from 'node:net';
import fs from 'node:fs';
import http from 'node:http';

const [mode, ...args] = process.argv.slice(2);
const now = () => Number(process.hrtime.bigint()) / 1e6;

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

/* one stream on a raw socket: resolves when its head and retry line are in; onEvent(text) per chunk.
   A stream with no head within OPEN_TIMEOUT_MS fails, saying how far it got (a bench that waits
   forever tells nothing: make bench once stopped here for 15 minutes) */
const OPEN_TIMEOUT_MS = 20000;
function openRaw(url, path, onData) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let head = '';
    let ok = false;
    let connected = false;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer within ${OPEN_TIMEOUT_MS / 1000} s: ${connected ? 'connected' : 'not connected'}, ` +
        `${head.length} bytes of head: ${JSON.stringify(head.slice(0, 120))}`));
    }, OPEN_TIMEOUT_MS);
    sock.setEncoding('utf8');
    sock.on('connect', () => {
      connected = true;
      sock.write(`GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    sock.on('data', (d) => {
      if (!ok) {
        head += d;
        if (!head.includes('retry:')) return;
        clearTimeout(timer);
        if (!head.startsWith('HTTP/1.1 200')) { sock.destroy(); reject(new Error(head.split('\r\n')[0])); return; }
        ok = true;
        resolve(sock);
        return;
      }
      onData(d);
    });
    sock.on('error', (e) => { if (!ok) { clearTimeout(timer); reject(e); } });
    sock.on('close', () => { if (!ok) { clearTimeout(timer); reject(new Error(`closed after ${head.length} bytes: ${JSON.stringify(head.slice(0, 120))}`)); } });
  });
}

function post(url, path, token, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url + path, {
      method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(data) },
    }, (res) => {
      let t = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { t += d; });
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(t)) : reject(new Error(`${res.statusCode} ${t}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

function getTime(url) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: now() - t0 }));
    }).on('error', reject);
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
};
const r2 = (x) => Math.round(x * 100) / 100;

if (mode === 'streams') {
  const [url, pid, n, token] = [args[0], Number(args[1]), Number(args[2]), args[3]];
  const before = rssKiB(pid);
  const socks = [];
  const seen = [];   /* per stream: the floor of its newest event and when it came */
  const t0 = now();
  for (let i = 0; i < n; i += 250) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 250); j++) {
      seen[j] = { id: 0, at: 0 };
      batch.push(openRaw(url, '/t/1/events', (d) => {
        const t = now();
        for (const m of d.matchAll(/id: (\d+)\n/g)) if (Number(m[1]) > seen[j].id) seen[j] = { id: Number(m[1]), at: t };
      }));
    }
    const got = await Promise.allSettled(batch);
    const bad = got.filter((g) => g.status === 'rejected');
    if (bad.length) {
      throw new Error(`${bad.length} of the streams ${i + 1}..${i + batch.length} did not open ` +
        `(${socks.length} open before them); the first: ${bad[0].reason.message}`);
    }
    socks.push(...got.map((g) => g.value));
  }
  const openMs = now() - t0;
  await new Promise((r) => setTimeout(r, 2000));   /* let the server settle (arenas, pools) */
  const after = rssKiB(pid);
  const page = await getTime(`${url}/t/1`);
  const t1 = now();
  const rep = await post(url, '/api/v1/threads/1/posts', token, { body: `bench: ${n} streams` });
  const replied = now() - t1;
  const end = now() + 60000;
  while (seen.some((x) => x.id < rep.position)) {
    if (now() > end) throw new Error(`${seen.filter((x) => x.id < rep.position).length} streams without the event after 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const fanout = Math.max(...seen.map((x) => x.at)) - t1;
  for (const s of socks) s.destroy();
  console.log(JSON.stringify({
    streams: n, open_s: r2(openMs / 1000), rss_before_kib: before, rss_after_kib: after,
    per_stream_b: Math.round(((after - before) * 1024) / n), page_ms: r2(page.ms), page_status: page.status,
    reply_ms: r2(replied), fanout_ms: r2(fanout),
  }));
} else if (mode === 'latency') {
  const [urlA, urlB, token, k] = [args[0], args[1], args[2], Number(args[3])];
  const seen = new Map();
  let buf = '';
  const sock = await openRaw(urlB, '/t/1/events', (d) => {
    const t = now();
    buf += d;
    for (const m of buf.matchAll(/id: (\d+)\n/g)) if (!seen.has(Number(m[1]))) seen.set(Number(m[1]), t);
    buf = buf.slice(buf.lastIndexOf('\n') + 1);
  });
  const toAnswer = [];
  const toEvent = [];
  for (let i = 0; i < k; i++) {
    const t0 = now();
    const rep = await post(urlA, '/api/v1/threads/1/posts', token, { body: `latency ${i}` });
    toAnswer.push(now() - t0);
    const end = now() + 5000;
    while (!seen.has(rep.position) && now() < end) await new Promise((r) => setTimeout(r, 1));
    if (!seen.has(rep.position)) throw new Error(`no event for floor ${rep.position} on node B within 5 s`);
    toEvent.push(seen.get(rep.position) - t0);
  }
  sock.destroy();
  const s = (xs) => ({ p50: r2(pct(xs, 0.5)), p99: r2(pct(xs, 0.99)), max: r2(Math.max(...xs)) });
  console.log(JSON.stringify({ replies: k, answer_on_a_ms: s(toAnswer), event_on_b_ms: s(toEvent) }));
} else {
  console.error('usage: node bench/live.mjs streams URL PID N TOKEN | latency URL_A URL_B TOKEN K');
  process.exit(2);
}
