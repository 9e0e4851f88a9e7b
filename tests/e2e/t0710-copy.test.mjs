// t0710: `loulan copy --from DIR --to postgres://...` moves a SQLite forum to
// PostgreSQL: the pages served from PostgreSQL show the same boards, counts
// and floors as those served from SQLite; ids continue after the copied ones;
// a second copy into the now non-empty database is refused.
// PostgreSQL only: skipped unless LOULAN_TEST_PG is set.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { exec, loulanBin, spawnServe, get, psql, withDbName, assertNoSanitizer, PW, apiToken, api, blankRelativeTimes } from './lib.mjs';

const PG = process.env.LOULAN_TEST_PG;
const skip = PG ? false : 'copy to PostgreSQL needs LOULAN_TEST_PG (scripts/pg.sh url)';

// the page without its footer timer line (time, query count, cache state differ)
// and with relative times blanked (the two renders may fall on either side of a second)
const norm = (html) => blankRelativeTimes(html.replace(/<p class="debuginfo">[\s\S]*?<\/p>/, ''));

test('copy a demo forum from SQLite to PostgreSQL and serve the same pages', { skip }, async () => {
  const bin = loulanBin();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-copy-'));
  const name = `loulan_copy_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = withDbName(PG, name);
  const run = async (args, input) => {
    const r = await exec(bin, args, { input });
    assertNoSanitizer(r.stderr, `loulan ${args.join(' ')}`);
    return r;
  };
  const nodes = [];
  try {
    let r = await run(['init', '--data', dir, '--demo']);
    assert.equal(r.code, 0, r.stderr);
    // a board guests may not see: board_perm is copied too
    r = await run(['board', 'perm', '--data', dir, '--fid', '2', '--group', '7', '--view', '0']);
    assert.equal(r.code, 0, r.stderr);
    // reactions and credits (post_like, credit_log, post summaries) through a SQLite server first
    r = await run(['user', 'add', '--data', dir, '--name', 'bob'], `${PW}\n`);
    assert.equal(r.code, 0, r.stderr);
    const pre = await spawnServe(bin, ['--data', dir]);
    let oddPid;
    try {
      const token = await apiToken(pre.url, 'bob');
      const like = await api(pre.url, 'POST', '/api/v1/posts/1/like', undefined, token);
      assert.ok(like.status < 300, like.text);
      // text that COPY's text format must escape: tab, backslash, \N, carriage return and newline
      const odd = await api(pre.url, 'POST', '/api/v1/threads/1/posts',
        { body: 'tab\there back\\slash \\N not null\r\nline\\\nend\t' }, token);
      assert.ok(odd.status < 300, odd.text);
      oddPid = odd.json.pid ?? odd.json.post?.pid;
      assert.ok(oddPid > 0, odd.text);
    } finally {
      await pre.stop();
    }
    await psql(PG, `CREATE DATABASE "${name}"`);
    r = await run(['copy', '--from', dir, '--to', url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /verified post\s+\d+ rows/);
    // the demo likes some first floors too (issue 14's rankings): bob's like is one more than it made
    const likes = Number(execFileSync('sqlite3', [`${dir}/loulan.db`, 'SELECT COUNT(*) FROM post_like']).toString().trim());
    assert.ok(likes >= 1);
    assert.match(r.stderr, new RegExp(`verified post_like\\s+${likes} rows`));
    assert.match(r.stderr, /verified site_stat\s+1 rows/);
    assert.match(r.stderr, /copy times: \d+ rows/);
    // the odd text arrived byte for byte
    const hexOf = (pid) => execFileSync('sqlite3', [`${dir}/loulan.db`, `SELECT lower(hex(source)) FROM post WHERE pid = ${pid}`]).toString().trim();
    assert.match(hexOf(oddPid), /09/, 'the source holds a tab');
    assert.equal((await psql(url, `COPY (SELECT encode(convert_to(source, 'UTF8'), 'hex') FROM post WHERE pid = ${oddPid}) TO STDOUT`)).trim(),
      hexOf(oddPid));
    const indexed = Number((await psql(url, 'COPY (SELECT COUNT(*) FROM search_doc) TO STDOUT')).trim());
    assert.ok(indexed > 0, 'the search index was built');
    r = await run(['copy', '--from', dir, '--to', url]);
    assert.equal(r.code, 1, 'a second copy into a non-empty database fails');
    assert.match(r.stderr, /not empty/);
    // --no-index: the same copy without the search index, which `loulan reindex --db` fills later
    await psql(PG, `CREATE DATABASE "${name}_ni"`);
    try {
      const url2 = withDbName(PG, `${name}_ni`);
      r = await run(['copy', '--from', dir, '--to', url2, '--no-index']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /search index left empty/);
      assert.equal((await psql(url2, 'COPY (SELECT COUNT(*) FROM search_doc) TO STDOUT')).trim(), '0');
      r = await run(['reindex', '--db', url2]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(Number((await psql(url2, 'COPY (SELECT COUNT(*) FROM search_doc) TO STDOUT')).trim()), indexed);
      // copy's own index (one COPY stream, its GIN index dropped and built after) holds the same
      // documents as reindex's batches, and its GIN index is back
      const docs = `COPY (SELECT md5(string_agg(pid || '|' || title || '|' || body || '|' || CAST(tsv AS TEXT), '/' ORDER BY pid))
        FROM search_doc) TO STDOUT`;
      assert.equal((await psql(url, docs)).trim(), (await psql(url2, docs)).trim());
      assert.match(await psql(url, "COPY (SELECT indexdef FROM pg_indexes WHERE tablename = 'search_doc') TO STDOUT"),
        /USING gin \(tsv\)/);
    } finally {
      await psql(PG, `DROP DATABASE IF EXISTS "${name}_ni" WITH (FORCE)`).catch(() => {});
    }

    const sq = await spawnServe(bin, ['--data', dir]);
    nodes.push(sq);
    const pg = await spawnServe(bin, ['--db', url]);
    nodes.push(pg);
    const paths = ['/'];
    const index = (await get(sq.url + '/')).text;
    for (const m of index.matchAll(/href="\/f\/(\d+)"/g)) paths.push(`/f/${m[1]}`);
    const boards = paths.length - 1;
    assert.ok(boards >= 2, 'the demo has boards');
    for (let i = 1; i <= boards; i++) {
      const board = (await get(sq.url + paths[i])).text;
      for (const m of board.matchAll(/href="\/t\/(\d+)"/g)) if (!paths.includes(`/t/${m[1]}`)) paths.push(`/t/${m[1]}`);
    }
    assert.ok(paths.some((p) => p.startsWith('/t/')), 'the demo has threads');
    if (!paths.includes('/f/2')) paths.push('/f/2');
    assert.equal((await get(pg.url + '/f/2')).status, 403, 'the copied board permission holds');
    for (const p of paths) {
      const a = await get(sq.url + p + (p.includes('?') ? '&' : '?') + 'x=1');   // fresh renders
      const b = await get(pg.url + p + (p.includes('?') ? '&' : '?') + 'x=1');
      assert.equal(b.status, a.status, p);
      if (norm(b.text) !== norm(a.text)) {
        // name the first line that differs: the whole pages are too long for a CI log
        const la = norm(a.text).split('\n'), lb = norm(b.text).split('\n');
        let i = 0;
        while (i < la.length && la[i] === lb[i]) i++;
        assert.fail(`${p} differs at line ${i + 1}:\n  SQLite:     ${la[i]}\n  PostgreSQL: ${lb[i]}`);
      }
    }
    // identity sequences continue after the copied ids
    const maxFid = Number((await psql(url, 'COPY (SELECT MAX(fid) FROM board) TO STDOUT')).trim());
    r = await run(['board', 'add', '--db', url, '--name', '复制后新版块']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(Number(r.stdout.trim()), maxFid + 1);
  } finally {
    for (const n of nodes) await n.stop();
    await fs.promises.rm(dir, { recursive: true, force: true });
    await psql(PG, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
});
