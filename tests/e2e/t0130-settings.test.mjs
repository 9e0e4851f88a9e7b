// t0130: site settings set with `loulan config` appear in the footer; the
// CLI's answers to good and bad commands.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, exec, loulanBin, assertNoSanitizer, page, textOf, must } from './lib.mjs';

test('site.* settings are shown in the footer', async () => {
  const config = {
    'site.name': '测试论坛',
    'site.footer_links': '关于我们|/about,联系我们|/contact',
    'site.icp': '京ICP备12345678号',
    'site.police_filing': '京公网安备11010502000001号',
    'site.copyright': '© 2026 测试团队',
    'site.timezone': 'UTC',
  };
  await withForum({ demo: true, config }, async (forum) => {
    const html = await page(forum.url + '/');
    const foot = /<footer class="foot">([\s\S]*?)<\/footer>/.exec(html)[1];
    const text = textOf(foot);
    assert.ok(foot.includes('<a href="/about">关于我们</a>'));
    assert.ok(foot.includes('<a href="/contact">联系我们</a>'));
    assert.ok(foot.includes('>京ICP备12345678号</a>'));
    assert.ok(foot.includes('>京公网安备11010502000001号</a>'));
    assert.match(text, /Powered by loulan \| © 2026 测试团队 \| 测试论坛/);
    assert.match(text, /GMT\+0, \d{4}-\d{1,2}-\d{1,2} \d{2}:\d{2} , Processed in/);
    assert.match(html, /<title>测试论坛<\/title>/);
    // the exact times are in UTC too
    const now = new Date();
    const d = `${now.getUTCFullYear()}-${now.getUTCMonth() + 1}-${now.getUTCDate()}`;
    const hm = /GMT\+0, (\d{4}-\d{1,2}-\d{1,2}) /.exec(text)[1];
    assert.ok(hm === d || Math.abs(Date.parse(hm) - Date.parse(d)) <= 86400000, `footer date ${hm} vs UTC ${d}`);
    for (const [k, v] of Object.entries(config)) {
      assert.equal((await must(forum, ['config', 'get', k])).trim(), v, `config get ${k}`);
    }
  });
});

test('a half-hour time zone is labelled GMT+5:30', async () => {
  await withForum({ demo: false, config: { 'site.timezone': 'Asia/Kolkata' } }, async (forum) => {
    assert.match(textOf(await page(forum.url + '/')), /GMT\+5:30, \d{4}-/);
  });
});

test('config, board and gen: errors are non-zero with a message', async () => {
  await withForum({ demo: false }, async (forum) => {
    let r = await forum.run(['config', 'set', 'site.bogus', 'x']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown setting site\.bogus/);
    r = await forum.run(['config', 'get', 'nope']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown setting/);
    r = await forum.run(['config', 'set', 'site.timezone', 'Mars/Olympus']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown time zone/);
    assert.equal((await must(forum, ['config', 'get', 'site.timezone'])).trim(), 'Asia/Shanghai');
    r = await forum.run(['config', 'set', 'site.name']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /KEY VALUE/);
    const fid = Number((await must(forum, ['board', 'add', '--name', '新版块'])).trim());
    assert.ok(fid >= 1);
    const fid2 = Number((await must(forum, ['board', 'add', '--name', '另一个'])).trim());
    assert.equal(fid2, fid + 1);
    r = await forum.run(['board', 'add']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--name is required/);
    for (const args of [['gen', '--boards', '0', '--threads', '1', '--posts', '1'],
      ['gen', '--boards', '1', '--threads', '10', '--posts', '5'],
      ['gen', '--boards', 'x', '--threads', '1', '--posts', '1'],
      ['gen', '--boards', '1']]) {
      r = await forum.run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}`);
      assert.match(r.stderr, /loulan: /);
    }
  });
});

test('every command\'s --help exits 0; unknown commands and options fail on stderr', async () => {
  const bin = loulanBin();
  const helps = [['--help'], ['help'], ['init', '--help'], ['serve', '--help'], ['board', '--help'],
    ['board', 'add', '--help'], ['config', 'set', '--help'], ['config', 'get', '--help'],
    ['user', 'add', '--help'], ['gen', '--help'], ['config', 'list', '--help'], ['config', '--help'], ['credit', '--help'],
    ['board', 'perm', '--help'], ['user', 'group', '--help'], ['post', '--help'], ['copy', '--help'], ['reindex', '--help']];
  for (const args of helps) {
    const r = await exec(bin, args);
    assertNoSanitizer(r.stderr, args.join(' '));
    assert.equal(r.code, 0, `loulan ${args.join(' ')} exited ${r.code}`);
    assert.match(r.stdout + r.stderr, /usage: loulan/);
  }
  assert.match((await exec(bin, ['--help'])).stdout, /gen +--data DIR --boards B --threads T --posts P/);
  // the help is generated from the option table: every option with its meaning and range
  const serve = (await exec(bin, ['serve', '--help'])).stdout;
  assert.match(serve, /^ {2}--workers N +worker threads.*\(1-256\)$/m);
  assert.match(serve, /^ {2}--data DIR +/m);
  const fam = await exec(bin, ['config', '--help']);
  for (const sub of ['set', 'get', 'list']) assert.match(fam.stdout, new RegExp(`usage: loulan config ${sub} `));
  const bare = await exec(bin, ['board']);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /usage: loulan board add [\s\S]*usage: loulan board list [\s\S]*usage: loulan board perm /);
  const range = await exec(bin, ['board', 'perm', '--data', '/nonexistent', '--fid', '1', '--group', '1', '--view', '2']);
  assert.equal(range.code, 2);
  assert.match(range.stderr, /--view must be an integer from 0 to 1, not '2'/);
  for (const args of [['frobnicate'], ['init', '--bogus'], ['serve', '--workers', '0', '--data', '/nonexistent'],
    ['gen', '--boards'], []]) {
    const r = await exec(bin, args);
    assert.notEqual(r.code, 0, `loulan ${args.join(' ')} exited 0`);
    assert.ok(r.stderr.length > 0, `loulan ${args.join(' ')}: nothing on stderr`);
    assert.equal(r.stdout, '', `loulan ${args.join(' ')}: nothing on stdout`);
  }
});
