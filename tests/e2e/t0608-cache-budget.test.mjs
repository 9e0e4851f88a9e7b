// t0608: one memory budget for all cached pages (serve --cache-mb, issue 16).
// /metrics shows the budget and the entries' real memory; filling the cache with
// more pages than fit keeps that memory within the budget (older entries are
// evicted) for guest and member pages together; bad values are refused. On a
// SQLite forum an eighth of the budget is SQLite's own page caches (split over
// its connections: each one's cache_size), the rest the pages; on PostgreSQL all
// of it is the pages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, startForum, get, gen, webLogin, PW } from './lib.mjs';

async function metrics(url) {
  const t = (await get(`${url}/metrics`)).text;
  const m = (name) => {
    const x = new RegExp(`^${name} (\\d+)`, 'm').exec(t);
    assert.ok(x, name);
    return Number(x[1]);
  };
  return { budget: m('loulan_page_cache_budget_bytes'), total: m('loulan_memory_budget_bytes'),
    sqliteBound: m('loulan_sqlite_memory_bound_bytes'), sqlite: m('loulan_sqlite_memory_bytes'), bytes: m('loulan_page_cache_bytes'),
    entries: m('loulan_page_cache_entries'), evictions: m('loulan_page_cache_evictions_total') };
}

test('--cache-mb 1: guest and member pages share one budget that the entries\' memory stays within', async () => {
  await withForum({ demo: false, users: [{ name: 'reader', password: PW }], serveArgs: ['--cache-mb', '1'] }, async (forum) => {
    const { bigTid } = await gen(forum, { boards: 1, threads: 2, posts: 10, big: 3000 });
    const m0 = await metrics(forum.url);
    assert.equal(m0.total, 1 << 20);
    assert.equal(m0.sqliteBound, forum.db ? 0 : (1 << 20) / 8, 'SQLite\'s share');
    assert.equal(m0.budget, m0.total - m0.sqliteBound);
    const member = await webLogin(forum.url, 'reader');
    let peak = 0;
    for (let p = 1; p <= 300; p++) {
      await get(`${forum.url}/t/${bigTid}?page=${p}`);
      if (p % 3 === 0) await member.get(`/t/${bigTid}?page=${p}`);
      if (p % 50 === 0) {
        const m = await metrics(forum.url);
        peak = Math.max(peak, m.bytes);
        assert.ok(m.bytes <= m.budget, `cache memory ${m.bytes} within the budget ${m.budget}`);
      }
    }
    const m1 = await metrics(forum.url);
    assert.ok(m1.evictions > 0, 'older entries were evicted');
    assert.ok(peak > (1 << 20) / 2, `the budget is used (${peak})`);
    assert.ok(m1.entries > 20 && m1.entries < 300, `entries ${m1.entries}`);
    // each entry is charged at least its compressed page
    assert.ok(m1.bytes / m1.entries > 2000, `bytes per entry ${Math.round(m1.bytes / m1.entries)}`);
    // SQLite's page caches keep to their share: what is left above it is statements and schemas (~0.4 MiB);
    // without the bound the worker connections cache the big thread's pages (~2.5 MiB here)
    if (!forum.db) {
      assert.ok(m1.sqlite <= m1.sqliteBound + (768 << 10), `SQLite memory ${m1.sqlite}, bound ${m1.sqliteBound}`);
    }
  });
});

test('SQLite\'s memory gauge follows its page caches as they fill',
  { skip: process.env.LOULAN_TEST_PG && 'SQLite only' }, async () => {
  // each connection counts its own memory as it runs (SQLite's process-wide statistics are off: they
  // lock one mutex around every allocation); a gauge counted only when a connection opens stays flat
  await withForum({ demo: false }, async (forum) => {
    const { bigTid } = await gen(forum, { boards: 1, threads: 2, posts: 10, big: 3000 });
    for (let p = 1; p <= 4; p++) await get(`${forum.url}/t/${bigTid}?page=${p}`);
    const m0 = await metrics(forum.url);
    for (let p = 5; p <= 300; p++) await get(`${forum.url}/t/${bigTid}?page=${p}`);
    const m1 = await metrics(forum.url);
    assert.ok(m1.sqlite - m0.sqlite >= 512 << 10, `SQLite memory grew as pages were read: ${m0.sqlite} -> ${m1.sqlite}`);
    assert.ok(m1.sqlite <= m1.sqliteBound + (768 << 10), `SQLite memory ${m1.sqlite}, bound ${m1.sqliteBound}`);
  });
});

test('default budget; --cache-mb out of range is refused', async () => {
  const f = await startForum({ demo: false });
  try {
    const m = await metrics(f.url);
    assert.equal(m.total, 32 << 20);
    assert.equal(m.budget, f.db ? 32 << 20 : 28 << 20);
    assert.equal(m.sqliteBound, f.db ? 0 : 4 << 20);
    for (const bad of ['0', '65537', 'x', '-1']) {
      const r = await f.run(['serve', '--cache-mb', bad, '--listen', '127.0.0.1:0']);
      assert.notEqual(r.code, 0, `--cache-mb ${bad}`);
      assert.match(r.stderr, /cache-mb/);
    }
  } finally {
    await f.stop();
  }
});
