// Small helpers shared by the t01xx tests (not a test file itself).
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { loulanBin, get, assertNoSanitizer } from './lib.mjs';

/** Visible text of an HTML fragment: tags dropped, entities decoded, spaces squeezed. */
export function textOf(html) {
  return html.replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ').trim();
}

/** GET that must answer 200; returns the body. */
export async function page(url) {
  const res = await get(url);
  assert.equal(res.status, 200, `GET ${url}: status ${res.status}\n${res.text.slice(0, 400)}`);
  return res.text;
}

/** The CLI must succeed; returns stdout. */
export async function must(forum, args) {
  const r = await forum.run(args);
  assert.equal(r.code, 0, `loulan ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

/** Runs `loulan gen` on the forum; returns {stdout, bigTid}. */
export async function gen(forum, { boards = 1, threads = 1, posts = 1, big = 0, seed = 1 } = {}) {
  const out = await must(forum, ['gen', '--boards', String(boards), '--threads', String(threads),
    '--posts', String(posts), '--big', String(big), '--seed', String(seed)]);
  const m = /big thread: \/t\/(\d+)/.exec(out);
  return { stdout: out, bigTid: m ? Number(m[1]) : 0 };
}

/** fid of the board named `name` on the index (first match). */
export async function boardFid(forum, name) {
  const html = await page(forum.url + '/');
  for (const m of html.matchAll(/<a href="\/f\/(\d+)">([^<]*)<\/a>/g)) {
    if (m[2] === name) return Number(m[1]);
  }
  throw new Error(`no board ${name} on the index`);
}

/** Thread list rows of a board page: {tid, subject, type, sticky, author, replies, views, lastposter, lastExact}. */
export function threadRows(html) {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const rows = [];
  for (const m of tbody.matchAll(/<tr( class="sticky")?>([\s\S]*?)<\/tr>/g)) {
    const r = m[2];
    const sub = /<a class="subject" href="\/t\/(\d+)">([^<]*)<\/a>/.exec(r);
    if (!sub) continue;
    const type = /<em class="ttype">\[<a href="[^"]*typeid=(\d+)">([^<]*)<\/a>\]<\/em>/.exec(r);
    const by = /<td class="t-by"><a href="\/u\/(\d+)">([^<]*)<\/a><br><span class="muted">([^<]*)<\/span>/.exec(r);
    const num = /<td class="t-num"><a href="[^"]*">(\d+)<\/a><br><span class="muted">(\d+)<\/span>/.exec(r);
    const last = /<span class="by">([^<]*)<\/span><br><span class="muted when" title="([^"]*)">/.exec(r);
    rows.push({
      tid: Number(sub[1]), subject: sub[2], sticky: !!m[1],
      typeid: type ? Number(type[1]) : 0, type: type ? type[2] : null,
      authorid: by ? Number(by[1]) : null, author: by?.[2], created: by?.[3],
      replies: num ? Number(num[1]) : null, views: num ? Number(num[2]) : null,
      lastposter: last?.[1], lastExact: last?.[2],
    });
  }
  return rows;
}

/** Floors of a thread page: [{pid, label, authorid, author, when, exact}] */
export function floorsOf(html) {
  const out = [];
  for (const m of html.matchAll(/<article class="floor" id="pid(\d+)">([\s\S]*?)<\/article>/g)) {
    const f = m[2];
    const au = /<div class="aname"><a href="\/u\/(\d+)">([^<]*)<\/a>/.exec(f);
    const no = /<a class="floorno"[^>]*>(?:<strong>)?([^<]*)(?:<\/strong>)?<\/a>/.exec(f);
    const t = /发表于 <time datetime="[^"]*" title="([^"]*)">([^<]*)<\/time>/.exec(f);
    const stats = /<dt>主题<\/dt><dd>(\d+)<\/dd><dt>帖子<\/dt><dd>(\d+)<\/dd><dt>积分<\/dt><dd>(\d+)<\/dd>/.exec(f);
    const grp = /<div class="agroup">([^<]*)<\/div>/.exec(f);
    out.push({
      pid: Number(m[1]), label: no?.[1], authorid: au ? Number(au[1]) : null, author: au?.[2],
      exact: t?.[1], when: t?.[2], group: grp?.[1],
      threads: stats ? Number(stats[1]) : null, posts: stats ? Number(stats[2]) : null,
      credits: stats ? Number(stats[3]) : null,
    });
  }
  return out;
}

/** "Y-M-D H:M:S" (site time) -> comparable number */
export function exactKey(s) {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  assert.ok(m, `not a Discuz! date: ${s}`);
  return ((((Number(m[1]) * 100 + Number(m[2])) * 100 + Number(m[3])) * 100 + Number(m[4])) * 100 + Number(m[5])) * 100 +
    Number(m[6] ?? 0);
}

/**
 * Stops the forum's server with SIGTERM (it must exit 0) and serves the same
 * data again. Returns {url, stop()}; call it.stop() before forum.stop().
 */
export async function restart(forum) {
  const proc = forum.proc;
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
  const { code } = await proc.exited;
  assert.equal(code, 0, `serve exited ${code} after SIGTERM:\n${forum.stderr()}`);
  assertNoSanitizer(forum.stderr(), 'loulan serve');
  const args = ['serve', '--data', forum.dir, ...(forum.db ? ['--db', forum.db] : []),
    '--listen', '127.0.0.1:0', '--workers', '2', '--quiet'];
  const p = spawn(loulanBin(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) => p.on('exit', (c, s) => resolve({ code: c, signal: s })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`restarted serve did not listen:\n${err}`)), 15000);
    p.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(() => { clearTimeout(timer); reject(new Error(`restarted serve exited:\n${err}`)); });
  });
  return {
    url,
    async stop() {
      p.kill('SIGTERM');
      const r = await exited;
      assert.equal(r.code, 0, `restarted serve exited ${r.code ?? r.signal}:\n${err}`);
      assertNoSanitizer(err, 'restarted loulan serve');
    },
  };
}
