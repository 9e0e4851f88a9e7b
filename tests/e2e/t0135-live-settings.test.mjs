// t0135: settings are live. `loulan config set` from another process shows
// on every running node's pages (cached ones too) without a restart: on
// SQLite one server beside the CLI (DIR/loulan.gen), on PostgreSQL two
// nodes (NOTIFY). `loulan config list` prints every key.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, footerOf, must } from './lib.mjs';

const ICP = '京ICP备00000000号';

/* polls url until its page includes text (up to 5 s; no timing asserted) */
async function shows(url, text) {
  for (const t0 = Date.now(); Date.now() - t0 < 5000;) {
    if ((await get(url)).text.includes(text)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('config set shows on every running node, cached pages included, no restart', async () => {
  const f = await startForum({ demo: true });
  try {
    const nodes = [f.url];
    if (f.db) nodes.push((await f.startNode()).url);   // PostgreSQL: a second node
    for (const u of nodes) {
      for (const path of ['/', '/t/1']) {
        await get(u + path);
        const again = await get(u + path);
        assert.equal(footerOf(again.text).cache, true, `${u}${path} is cached before the change`);
        assert.ok(!again.text.includes(ICP));
      }
    }
    await must(f, ['config', 'set', 'site.icp', ICP]);
    await must(f, ['config', 'set', 'site.name', '活的设置']);
    for (const u of nodes) {
      for (const path of ['/', '/t/1']) {
        assert.ok(await shows(u + path, `>${ICP}</a>`), `${u}${path} shows the new site.icp`);
        assert.ok(await shows(u + path, '活的设置'), `${u}${path} shows the new site.name`);
      }
    }
    // a typed setting: an integer read by forum/ (flood control off, then on)
    await must(f, ['config', 'set', 'site.icp', '']);
    for (const u of nodes) {
      let gone = false;
      for (const t0 = Date.now(); !gone && Date.now() - t0 < 5000;) gone = !(await get(u + '/')).text.includes(ICP);
      assert.ok(gone, `${u}: site.icp cleared`);
    }
  } finally {
    await f.stop();
  }
});

test('config list prints every key with its value, default and help', async () => {
  const f = await startForum({ demo: false, config: { 'site.icp': ICP, 'post.flood_seconds': 7 } });
  try {
    const out = await must(f, ['config', 'list']);
    assert.match(out, new RegExp(`^site\\.icp = ${ICP}$`, 'm'));
    assert.match(out, /^post\.flood_seconds = 7$/m);
    assert.match(out, /^ {4}seconds between a member's posts.*0-86400, default 15$/m);
    assert.match(out, /^site\.name = 楼兰论坛$/m, 'an unset key shows its default');
    for (const key of ['site.timezone', 'site.cookie_secure', 'auth.session_ttl', 'credit.formula']) {
      assert.match(out, new RegExp(`^${key.replace('.', '\\.')} = `, 'm'));
    }
    const keys = out.split('\n').filter((l) => / = /.test(l) && !l.startsWith(' '));
    assert.equal(keys.length, out.split('\n').filter((l) => l.startsWith('    ')).length, 'one help line per key');
    const r = await f.run(['config', 'list', 'extra']);
    assert.equal(r.code, 2);
  } finally {
    await f.stop();
  }
});
