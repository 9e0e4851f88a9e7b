// t0730: GET /metrics (Prometheus text format) and GET /healthz. The format
// is well-formed (every sample's family has # TYPE first, values are numbers),
// counters grow with requests, route labels are route patterns (never the raw
// URL), histogram buckets are cumulative, and /metrics is refused to addresses
// outside --metrics-allow unless an administrator's bearer token comes along.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, psql, PW, apiToken } from './lib.mjs';

const FAMILIES = {
  loulan_http_requests_total: 'counter',
  loulan_http_request_duration_seconds: 'histogram',
  loulan_http_connections_open: 'gauge',
  loulan_http_requests_in_flight: 'gauge',
  loulan_page_cache_hits_total: 'counter',
  loulan_page_cache_misses_total: 'counter',
  loulan_fragment_cache_hits_total: 'counter',
  loulan_fragment_cache_misses_total: 'counter',
  loulan_db_queries_total: 'counter',
  loulan_db_errors_total: 'counter',
  loulan_view_flush_lag_seconds: 'gauge',
};

/** Parses the exposition text: {types: {family: type}, samples: Map('name{labels}' -> number)}. */
function parse(text) {
  const types = {};
  const samples = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let m = /^# TYPE ([a-z_]+) (counter|gauge|histogram)$/.exec(line);
    if (m) { types[m[1]] = m[2]; continue; }
    if (/^# HELP [a-z_]+ \S/.test(line)) continue;
    m = /^([a-z_]+)(\{[a-z_]+="(?:[^"\\\n]|\\.)*"(?:,[a-z_]+="(?:[^"\\\n]|\\.)*")*\})? (\S+)$/.exec(line);
    assert.ok(m, `a well-formed sample line: ${JSON.stringify(line)}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, (s) => (types[m[1].slice(0, -s.length)] === 'histogram' ? '' : s));
    assert.ok(types[family], `# TYPE before the samples of ${family}`);
    const v = Number(m[3]);
    assert.ok(Number.isFinite(v), `a number: ${line}`);
    assert.ok(!samples.has(m[1] + (m[2] ?? '')), `one sample per series: ${line}`);
    samples.set(m[1] + (m[2] ?? ''), v);
  }
  return { types, samples };
}

async function scrape(url, headers) {
  const r = await get(`${url}/metrics`, { headers });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parse(r.text);
}

const reqs = (s, route, status) => s.samples.get(`loulan_http_requests_total{route="${route}",status="${status}"}`) ?? 0;

test('/metrics: Prometheus format, counters that grow, pattern labels, cumulative buckets; /healthz', async () => {
  await withForum({ demo: true }, async (forum) => {
    const a = await scrape(forum.url);
    for (const [f, t] of Object.entries(FAMILIES)) assert.equal(a.types[f], t, `family ${f}`);

    for (let i = 0; i < 3; i++) assert.equal((await get(`${forum.url}/`)).status, 200);
    assert.equal((await get(`${forum.url}/t/1?page=1&x=secret-raw-url`)).status, 200);
    assert.equal((await get(`${forum.url}/no/such/page/9876`)).status, 404);
    const h = await get(`${forum.url}/healthz`);
    assert.equal(h.status, 200);
    assert.equal(h.text, 'ok\n');

    const b = await scrape(forum.url);
    // 3 x "/": the first renders ("/"), the next are guest cache hits
    assert.equal(reqs(b, '/', 200) + reqs(b, '(page-cache)', 200) - reqs(a, '/', 200) - reqs(a, '(page-cache)', 200), 3);
    assert.ok(reqs(b, '(page-cache)', 200) > reqs(a, '(page-cache)', 200), 'a guest cache hit is counted');
    assert.ok(b.samples.get('loulan_page_cache_hits_total') > a.samples.get('loulan_page_cache_hits_total'));
    assert.ok(b.samples.get('loulan_page_cache_misses_total') > a.samples.get('loulan_page_cache_misses_total'));
    assert.equal(reqs(b, '/t/*', 200) - reqs(a, '/t/*', 200), 1);
    assert.equal(reqs(b, '(none)', 404) - reqs(a, '(none)', 404), 1);
    assert.equal(reqs(b, '/healthz', 200) - reqs(a, '/healthz', 200), 1);
    assert.equal(reqs(b, '/metrics', 200) - reqs(a, '/metrics', 200), 1, 'the first scrape is counted by the second');
    assert.ok(b.samples.get('loulan_db_queries_total') > a.samples.get('loulan_db_queries_total'));
    assert.equal(b.samples.get('loulan_db_errors_total'), 0);
    assert.ok(b.samples.get('loulan_http_connections_open') >= 1);
    for (const k of b.samples.keys()) {
      assert.ok(!/secret-raw-url|9876|\?/.test(k), `no raw URL in a label: ${k}`);
    }
    // histogram: buckets in increasing le order, cumulative, +Inf = _count, count grows
    const buckets = [...b.samples].filter(([k]) => k.startsWith('loulan_http_request_duration_seconds_bucket'));
    assert.ok(buckets.length >= 10);
    let prevLe = -Infinity, prev = 0;
    for (const [k, v] of buckets) {
      const le = /le="([^"]+)"/.exec(k)[1];
      const n = le === '+Inf' ? Infinity : Number(le);
      assert.ok(n > prevLe, `le ascending at ${k}`);
      assert.ok(v >= prev, `cumulative at ${k}`);
      prevLe = n;
      prev = v;
    }
    assert.equal(prevLe, Infinity, 'the last bucket is +Inf');
    const count = b.samples.get('loulan_http_request_duration_seconds_count');
    assert.equal(prev, count);
    assert.equal(count - a.samples.get('loulan_http_request_duration_seconds_count'), 7, '6 requests and one scrape');
    assert.ok(b.samples.get('loulan_http_request_duration_seconds_sum') > 0);

    // HEAD works, POST is not allowed, and the page cache never serves /metrics
    assert.equal((await get(`${forum.url}/metrics`, { method: 'HEAD' })).status, 200);
    assert.equal((await get(`${forum.url}/healthz`, { method: 'POST' })).status, 405);
    const c = await scrape(forum.url);
    assert.ok(reqs(c, '/metrics', 200) > reqs(b, '/metrics', 200));
    // relayed by a reverse proxy on loopback (nginx): not a local client
    for (const h of ['x-forwarded-for', 'x-real-ip', 'forwarded']) {
      const r = await get(`${forum.url}/metrics`, { headers: { [h]: h === 'forwarded' ? 'for=203.0.113.9' : '203.0.113.9' } });
      assert.equal(r.status, 404, `with ${h}`);
      assert.doesNotMatch(r.text, /loulan_/);
    }
  });
});

test('/metrics outside --metrics-allow: 404, 403 with a member token, 200 with an administrator token', async () => {
  await withForum({ demo: false, serveArgs: ['--metrics-allow', '127.0.0.2/32,::1'],
    users: [{ name: 'boss', password: PW, admin: true }, { name: 'member', password: PW }] }, async (forum) => {
    let r = await get(`${forum.url}/metrics`);
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.text, /loulan_/);
    r = await get(`${forum.url}/metrics`, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.text, /loulan_/);
    r = await get(`${forum.url}/metrics`, { headers: { authorization: `Bearer ${await apiToken(forum.url, 'member')}` } });
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.text, /loulan_/);
    const s = await scrape(forum.url, { authorization: `Bearer ${await apiToken(forum.url, 'boss')}` });
    assert.equal(s.types.loulan_http_requests_total, 'counter');
    assert.equal(reqs(s, '/metrics', 404), 1);
    assert.equal(reqs(s, '/metrics', 403), 2);
    // /healthz stays open to everyone
    assert.equal((await get(`${forum.url}/healthz`)).status, 200);
  });
});

test('serve refuses a malformed --metrics-allow', async () => {
  await withForum({ demo: false }, async (forum) => {
    const r = await forum.run(['serve', '--listen', '127.0.0.1:0', '--metrics-allow', 'localhost']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--metrics-allow/);
  });
});

test('/healthz is 503 while PostgreSQL refuses the forum, 200 again after; DB errors are counted',
  { skip: !process.env.LOULAN_TEST_PG && 'PostgreSQL only (a SQLite file cannot be taken away)' }, async () => {
    await withForum({ demo: true, workers: 2 }, async (forum) => {
      const admin = process.env.LOULAN_TEST_PG;
      const name = new URL(forum.db).pathname.slice(1);
      assert.equal((await get(`${forum.url}/healthz`)).status, 200);
      const before = await scrape(forum.url);
      await psql(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      try {
        await psql(admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
        const seen = [];
        for (let i = 0; i < 20 && !seen.includes(503); i++) {
          const r = await get(`${forum.url}/healthz`);
          seen.push(r.status);
          if (r.status === 503) assert.doesNotMatch(r.text, /^ok/);
        }
        assert.ok(seen.includes(503), `503 while the database refuses connections: ${seen}`);
        assert.deepEqual(seen.filter((s) => s !== 200 && s !== 503), [], 'only 200 or 503');
        const during = await scrape(forum.url);   // needs no database
        assert.ok(during.samples.get('loulan_db_errors_total') > before.samples.get('loulan_db_errors_total'));
        assert.ok(during.samples.get('loulan_http_requests_total{route="/healthz",status="503"}') >= 1);
      } finally {
        await psql(admin, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      }
      let ok = 0;
      for (let i = 0; i < 20 && ok < 4; i++) if ((await get(`${forum.url}/healthz`)).status === 200) ok++;
      assert.equal(ok, 4, 'healthy again once the database answers');
    });
  });
