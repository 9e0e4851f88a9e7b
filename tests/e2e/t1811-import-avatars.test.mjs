// Issue #18: members' avatars in `loulan import-discuz` (src/import/dz_avatar.c). The fixture's
// UCenter avatar tree (tests/discuz/files/uc_server/data/avatar, passed with --avatars) holds:
//   000/00/00/04_avatar_big.jpg                         张三: a red square
//   000/00/00/05_avatar_middle.jpg + 05_avatar_small.jpg  李四: green (middle) and yellow (small)
//   000/00/00/09_avatar_big.jpg                         王五: not an image (listed in the report)
// and nothing for the other members. After the import (SQLite, or PostgreSQL with LOULAN_TEST_PG):
// /avatar/UID/120 answers the imported picture for 张三 and 李四 (李四's the middle one: the biggest
// there is), the default picture for the others and for 王五; running the stage again through
// --resume replaces each avatar with itself: no row or blob doubles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startForum, startDiscuz, discuzSkip, DISCUZ_AVATARS, loulanBin, exec, assertNoSanitizer, assertEnglishReport,
} from './lib.mjs';

const skip = discuzSkip();
const opts = skip ? { skip } : {};
let dz, forum, report = '', again = '';
const snaps = [];

/** rows of a query on a forum's database (before or after it serves), as one string */
async function query({ dir, db }, q) {
  const [file, args] = db
    ? ['psql', ['-X', '-q', '-At', '-F', '\t', db, '-c', q]]
    : ['sqlite3', ['-separator', '\t', '-cmd', '.timeout 10000', path.join(dir, 'loulan.db'), q]];
  const r = await exec(file, args);
  assert.equal(r.code, 0, `${file}: ${r.stderr}`);
  return r.stdout.trim();
}

/** what the avatars stage wrote: a doubled or lost row or reference changes it */
const snap = async (st) => ({
  avatar: await query(st, 'SELECT COUNT(*), SUM(uid) FROM avatar'),
  blob: await query(st, 'SELECT COUNT(*), SUM(refs), SUM(size) FROM blob'),
});

async function importInto(st) {
  const storage = st.db ? ['--data', st.dir, '--db', st.db] : ['--data', st.dir];
  const run = async (extra) => {
    const r = await exec(loulanBin(), ['import-discuz', '--from', dz.url, '--avatars', DISCUZ_AVATARS, ...extra, ...storage]);
    assertNoSanitizer(r.stderr, 'import-discuz');
    assert.equal(r.code, 0, `import-discuz ${extra.join(' ')} failed (${r.code}):\n${r.stdout}${r.stderr}`);
    return r.stdout + r.stderr;
  };
  report = await run([]);
  snaps.push(await snap(st));
  // the stage once more: forget that it ran, then --resume runs it (and only it) again
  await query(st, "DELETE FROM import_state WHERE stage = 'avatars' OR stage LIKE 'avatars:%'");
  again = await run(['--resume']);
  snaps.push(await snap(st));
}

before(async () => {
  if (skip) return;
  dz = await startDiscuz();
  forum = await startForum({ demo: false, beforeServe: importInto });
});

after(async () => {
  await forum?.stop();
  await dz?.drop();
});

/** GET /avatar/UID/120: status, type and bytes */
async function avatar(uid) {
  const res = await fetch(`${forum.url}/avatar/${uid}/120`, { redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

/** the colour in the middle of a PNG, through libvips (`vips getpoint`) */
async function centre(png) {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-t1811-'));
  try {
    const f = path.join(dir, 'a.png');
    await fs.promises.writeFile(f, png);
    const r = await exec('vips', ['getpoint', f, '60', '60']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split(/\s+/).map(Number);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

const near = (got, want, what) =>
  assert.ok(got.length >= 3 && want.every((v, i) => Math.abs(got[i] - v) <= 12), `${what}: ${got} is not about ${want}`);

test('avatar files become the members\' avatars: the biggest there is, through the avatar pipeline', opts, async () => {
  const dflt = await avatar(3);   // 版主小王 has no file
  assert.equal(dflt.status, 200);
  const zhang = await avatar(4), li = await avatar(5);
  for (const [who, a] of [['张三', zhang], ['李四', li]]) {
    assert.equal(a.status, 200, who);
    assert.match(a.type, /^image\/png/, `${who}: the pipeline's PNG square`);
    assert.notDeepEqual(a.body, dflt.body, `${who}: not the default avatar`);
    assert.deepEqual(a.body.subarray(1, 4), Buffer.from('PNG'), who);
  }
  near(await centre(zhang.body), [200, 60, 40], '张三 (big)');
  near(await centre(li.body), [40, 160, 90], '李四 (middle, not small)');
  for (const size of [48, 200]) {
    const res = await fetch(`${forum.url}/avatar/4/${size}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/png/, `size ${size}`);
  }
});

test('members without a file, and with a file that is not an image, keep the default avatar', opts, async () => {
  const dflt = await avatar(3);
  for (const uid of [1, 2, 9, 10, 11]) {
    const a = await avatar(uid);
    assert.equal(a.status, 200, `uid ${uid}`);
    assert.doesNotMatch(a.type, /^image\/png/, `uid ${uid}: the default picture`);
    assert.equal(a.type, dflt.type, `uid ${uid}`);
  }
});

test('the report counts the files and avatars and names the file that is not an image', opts, async () => {
  assert.match(report, /rows avatars: members with a file -> avatar\s+discuz\s+3\s+loulan\s+2\b/, report);
  assert.match(report, /000\/00\/00\/09_avatar_big\.jpg: not a decodable image/, report);
  assert.doesNotMatch(report, /0[1-8]_avatar_\w+\.jpg/, 'only the bad file is listed, not the good or missing ones');
  assertEnglishReport(report);
  assertEnglishReport(again);
  assert.match(again, /rows avatars: members with a file -> avatar\s+discuz\s+3\s+loulan\s+2\b/, again);
});

test('the stage run again through --resume replaces each avatar by itself: nothing doubles', opts, async () => {
  assert.equal(snaps.length, 2);
  assert.deepEqual(snaps[1], snaps[0]);
  assert.match(snaps[0].avatar, /^2\t9$/, 'two avatars: uids 4 and 5');
});

test('--discuz-root alone finds the avatars: ROOT/uc_server/data/avatar, else ROOT/data/avatar (UC_STANDALONE)', opts, async () => {
  const u = new URL(dz.url);
  for (const where of ['uc_server/data/avatar', 'data/avatar', '']) {
    const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-t1811-root-'));
    try {
      await fs.promises.mkdir(path.join(root, 'config'));
      await fs.promises.writeFile(path.join(root, 'config', 'config_global.php'),
        `<?php\n$_config['db']['1']['dbhost'] = '${u.hostname}:${u.port}';\n$_config['db']['1']['dbuser'] = '${u.username}';\n` +
        `$_config['db']['1']['dbpw'] = '${u.password}';\n$_config['db']['1']['dbname'] = '${dz.db}';\n` +
        "$_config['db']['1']['tablepre'] = 'pre_';\n");
      if (where) {
        await fs.promises.mkdir(path.dirname(path.join(root, where)), { recursive: true });
        await fs.promises.symlink(DISCUZ_AVATARS, path.join(root, where));
      }
      const st = { dir: path.join(root, 'forum'), db: null };
      const r = await exec(loulanBin(), ['import-discuz', '--discuz-root', root, '--data', st.dir]);
      assertNoSanitizer(r.stderr, 'import-discuz');
      assert.equal(r.code, 0, r.stderr);
      if (where) {
        assert.equal(await query(st, 'SELECT COUNT(*), SUM(uid) FROM avatar'), '2\t9', `avatars from ROOT/${where}`);
      } else {   // neither: a note, not a failure
        assert.equal(await query(st, 'SELECT COUNT(*) FROM avatar'), '0');
        assert.match(r.stdout, /avatars: ".*\/data\/avatar" is not a directory: no avatar imported/, r.stdout);
      }
    } finally {
      await fs.promises.rm(root, { recursive: true, force: true });
    }
  }
});
