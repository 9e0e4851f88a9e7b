// End-to-end test helpers: start a real `loulan serve` on a temporary data
// directory and a free loopback port, talk HTTP to it, read the footer.
// Node built-ins (node:test + global fetch), and ajv (tests/e2e/package.json,
// installed by scripts/test.sh: `npm ci --prefix tests/e2e`), which validates
// every JSON answer of /api/v1/ against the API's OpenAPI description.
// The one helper module of the e2e tests: the forum harness, then helpers for
// pages, accounts and posting (one import line per test file).
//
// Environment:
//   LOULAN_BIN      binary to test (default build/asan/loulan, else ./loulan);
//                   relative paths are taken from the repository root.
//   LOULAN_TEST_PG  postgres://USER@HOST:PORT/DB of a throwaway server
//                   (scripts/pg.sh url): each forum gets its own fresh database.
//   LOULAN_TEST_MYSQL  mysql://USER:PASS@HOST:PORT of a throwaway MariaDB
//                   (scripts/mariadb.sh url): startDiscuz() loads a Discuz! X3.5
//                   fixture into its own fresh database dz_<random>.
//   LOULAN_KEEP=1   keep data dirs / databases after stop() (debugging).

import assert from 'node:assert/strict';
import { spawn, execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const START_TIMEOUT_MS = 15000;
const STOP_TIMEOUT_MS = 15000;
const RUN_TIMEOUT_MS = 60000;
const SANITIZER_RE = /ERROR: AddressSanitizer|runtime error:|LeakSanitizer/;
const LISTEN_RE = /^loulan: listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/m;

/** The loulan binary under test, as an absolute path. Throws a clear error if missing. */
export function loulanBin() {
  let bin = process.env.LOULAN_BIN;
  if (!bin) {
    bin = fs.existsSync(path.join(ROOT, 'build/asan/loulan')) ? 'build/asan/loulan' : 'loulan';
  }
  bin = path.resolve(ROOT, bin);
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    throw new Error(`loulan binary not found or not executable: ${bin} ` +
      '(build it with `make build/asan/loulan`, or set LOULAN_BIN)');
  }
  return bin;
}

function childEnv() {
  const env = { ...process.env };
  env.ASAN_OPTIONS ??= 'detect_leaks=1:abort_on_error=1';
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1:halt_on_error=1';
  return env;
}

/** Throws if a sanitizer report appears in `text`. */
export function assertNoSanitizer(text, what) {
  if (SANITIZER_RE.test(text)) {
    throw new Error(`sanitizer report in ${what}:\n${text}`);
  }
}

/**
 * Asserts that `loulan import-discuz` speaks English (docs/HACKING.md, "Adding a command"): every line of
 * `text` (its report, progress and warnings) that is not a list item ("  " then data) is ASCII once the
 * values from the data, which it prints in double quotes, are taken out.
 */
export function assertEnglishReport(text) {
  for (const line of text.split(/[\r\n]/)) {
    if (line.startsWith('  ')) continue;
    assert.match(line.replace(/"[^"]*"/g, '""'), /^[\x00-\x7f]*$/, `not English outside quoted data: ${line}`);
  }
}

/**
 * Runs `file args...` with `input` on stdin (string/Buffer, or undefined for none).
 * Resolves to {code, signal, stdout, stderr}; never rejects on a non-zero exit.
 */
export function exec(file, args, { input, env, timeout = RUN_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: env ?? childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the child may exit without reading stdin
    child.stdin.end(input ?? '');
  });
}

export function psql(url, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sql],
      { timeout: RUN_TIMEOUT_MS }, (err, stdout, stderr) => {
        if (err) reject(new Error(`psql ${JSON.stringify(sql)} failed: ${stderr || err.message}`));
        else resolve(stdout);
      });
  });
}

export function withDbName(url, name) {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

/**
 * Inserts the data/db options after the command words of a CLI call:
 * ['user','add','--name','x'] -> ['user','add','--data',DIR,'--name','x'].
 * Command words are at most the first two leading lowercase words; anything
 * after them may be an option or a positional, so the CLI must accept options
 * after positionals (GNU getopt_long's default). Calls that already pass
 * --data or --db are left alone.
 */
function withStorage(args, storage) {
  if (args.includes('--data') || args.includes('--db')) return args;
  let n = 0;
  while (n < 2 && n < args.length && /^[a-z][a-z-]*$/.test(args[n])) n++;
  return [...args.slice(0, n), ...storage, ...args.slice(n)];
}

/**
 * Creates and starts a forum.
 *   demo:   pass --demo to init (sample boards, users, threads)
 *   config: {key: value} applied with `loulan config set`
 *   users:  [{name, password, admin, email}] added with `loulan user add`
 * Returns {url, dir, db, proc, stop(), stderr(), stdout(), run(args, input)}.
 *   url    base URL without trailing slash, e.g. http://127.0.0.1:41234
 *   db     the database URL on PostgreSQL, else null
 *   stop() SIGTERM, wait, assert exit 0 and no sanitizer report, remove dir/db
 *   run()  runs the CLI on the same data/db: run(['board','add','--name','x'])
 *          -> {code, stdout, stderr}; throws on a sanitizer report
 */
/**
 * opts.migrateTo: the setup commands (init, config, users) run with LOULAN_MIGRATE_TO=N, so the forum starts as
 * an older release left it; opts.beforeServe({dir, db}) then runs (rows written as that release would) and
 * `serve` migrates the rest, as an upgrade does.
 */
export async function startForum({ demo = true, config = {}, users = [], workers = 2, serveArgs = [], migrateTo = 0,
  beforeServe = null } = {}) {
  const bin = loulanBin();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-e2e-'));
  let db = null;
  let proc = null;

  const cleanup = async () => {
    if (process.env.LOULAN_KEEP) return;
    await fs.promises.rm(dir, { recursive: true, force: true });
    if (db) {
      const name = new URL(db).pathname.slice(1);
      await psql(process.env.LOULAN_TEST_PG, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  };

  const storage = ['--data', dir];
  let setupEnv;
  const run = async (args, input) => {
    const full = withStorage(args, storage);
    const r = await exec(bin, full, { input, env: setupEnv });
    assertNoSanitizer(r.stderr, `loulan ${full.join(' ')}`);
    return r;
  };
  const must = async (args, input) => {
    const r = await run(args, input);
    if (r.code !== 0) {
      throw new Error(`loulan ${withStorage(args, storage).join(' ')} failed ` +
        `(exit ${r.code ?? r.signal}):\n${r.stderr}${r.stdout}`);
    }
    return r;
  };

  try {
    if (process.env.LOULAN_TEST_PG) {
      const name = `loulan_t_${process.pid}_${randomBytes(4).toString('hex')}`;
      await psql(process.env.LOULAN_TEST_PG, `CREATE DATABASE "${name}"`);
      db = withDbName(process.env.LOULAN_TEST_PG, name);
      storage.push('--db', db);
    }
    if (migrateTo) setupEnv = { ...childEnv(), LOULAN_MIGRATE_TO: String(migrateTo) };
    await must(['init', ...(demo ? ['--demo'] : [])]);
    for (const [key, value] of Object.entries(config)) {
      await must(['config', 'set', key, String(value)]);
    }
    for (const u of users) {
      const args = ['user', 'add', '--name', u.name];
      if (u.admin) args.push('--admin');
      if (u.email) args.push('--email', u.email);
      await must(args, `${u.password ?? ''}\n`);
    }
    if (beforeServe) await beforeServe({ dir, db });
    setupEnv = undefined;

    const node = await spawnServe(bin, storage, workers, serveArgs);
    proc = node.proc;
    const url = node.url;
    const nodes = [];
    const stopNode = node.stop;
    let stopped = null;
    const stop = () => {
      stopped ??= (async () => {
        let err = null;
        for (const n of [...nodes, { stop: stopNode }]) {
          try { await n.stop(); } catch (e) { err ??= e; }
        }
        await cleanup();
        if (err) throw err;
      })();
      return stopped;
    };
    /** Starts another `serve` on the same data/db (a second node; opts.serveArgs: extra flags); stop() stops it too. */
    const startNode = async (opts = {}) => {
      const n = await spawnServe(bin, storage, opts.workers ?? workers, opts.serveArgs ?? []);
      nodes.push(n);
      return n;
    };
    return {
      url, dir, db, proc, stop, run, startNode,
      stderr: () => node.stderr(),
      stdout: () => node.stdout(),
    };
  } catch (e) {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await proc.exited;
    }
    await cleanup().catch(() => {});
    throw e;
  }
}

/**
 * Spawns `loulan serve` on storage (['--data', DIR, '--db', URL]) and waits for
 * it to listen. Returns {url, proc, exited, stop(), stderr(), stdout()};
 * stop() sends SIGTERM, waits, and throws unless it exited 0 without a
 * sanitizer report. Does not remove anything.
 */
// Servers still running when a test file's tests are done: a test that failed before its forum reached
// the file's after() (or forgot stop()). Their pipes would keep node, and with it the whole suite, from
// ever exiting (this hung a full run). Once every test and hook of the file is done, a timer that holds
// nothing up kills them after LEFTOVER_MS: a file that stops its servers exits before it fires.
const liveServers = new Set();
const LEFTOVER_MS = 60000;
after(() => {
  setTimeout(() => {
    for (const p of liveServers) {
      process.stderr.write(`lib.mjs: loulan serve (pid ${p.pid}) was left running by this test file: killed\n`);
      p.kill('SIGKILL');
    }
  }, LEFTOVER_MS).unref();
});

export async function spawnServe(bin, storage, workers = 2, extra = []) {
  let serverErr = '', serverOut = '';
  const proc = spawn(bin, ['serve', ...storage, '--listen', '127.0.0.1:0', '--workers', String(workers), ...extra],
    { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.setEncoding('utf8').on('data', (d) => { serverOut += d; });
  proc.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  proc.exited = exited;
  liveServers.add(proc);
  exited.then(() => liveServers.delete(proc));
  proc.stderr.on('data', (d) => { serverErr += d; });
  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`loulan serve did not print "loulan: listening on http://127.0.0.1:PORT" ` +
          `within ${START_TIMEOUT_MS / 1000} s; stderr:\n${serverErr}`));
      }, START_TIMEOUT_MS);
      proc.stderr.on('data', () => {
        const m = LISTEN_RE.exec(serverErr);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      proc.on('error', (e) => { clearTimeout(timer); reject(e); });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`loulan serve exited (${code ?? signal}) before listening; stderr:\n${serverErr}`));
      });
    });
  } catch (e) {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await exited;
    }
    throw e;
  }
  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(resolve, STOP_TIMEOUT_MS, null); });
      const res = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (res === null) {
        proc.kill('SIGKILL');
        await exited;
        throw new Error(`loulan serve did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; stderr:\n${serverErr}`);
      } else if (res.code !== 0) {
        throw new Error(`loulan serve exited with ${res.code ?? res.signal} (want 0) after SIGTERM; stderr:\n${serverErr}`);
      } else if (SANITIZER_RE.test(serverErr)) {
        throw new Error(`sanitizer report from loulan serve:\n${serverErr}`);
      }
    })();
    return stopped;
  };
  return { url, proc, exited, stop, stderr: () => serverErr, stdout: () => serverOut };
}

/**
 * Runs fn(forum) on a fresh forum, then stops it. An error from fn wins over
 * an error from stop(); both are reported.
 */
export async function withForum(opts, fn) {
  const forum = await startForum(opts);
  let failure = null;
  try {
    await fn(forum);
  } catch (e) {
    failure = e;
  }
  try {
    await forum.stop();
  } catch (e) {
    if (!failure) throw e;
    failure.message += `\n(and stop() failed too: ${e.message})`;
  }
  if (failure) throw failure;
}

// ---- the API's answers against its description (issue 17) -----------------
// Every answer of /api/v1/ that a test receives through fetch() -- the helpers
// below (get, Client, api, upload) and a test's own fetch() calls alike, since
// this module wraps the global fetch -- is checked against
// /api/v1/openapi.json (built from api/*.json): its
// route and method must be described, its status listed under "responses", and
// its JSON body must validate against that answer's schema. Objects in the
// description list every field they have: a field the description does not
// name fails here (additionalProperties is false unless the schema says).
let Ajv2020 = null;
try {
  Ajv2020 = (await import('ajv/dist/2020.js')).default;
} catch {
  throw new Error('tests/e2e needs its npm packages (ajv): run `npm ci --prefix tests/e2e` (scripts/test.sh does)');
}
const apiSpecs = new Map();   // origin -> Promise<{spec, ajv, ops, validators}>

/** The schemas of the description with refs made absolute and objects closed. */
function closeSchema(v) {
  if (Array.isArray(v)) return v.map(closeSchema);
  if (!v || typeof v !== 'object') return v;
  const o = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$ref' && typeof x === 'string' && x.startsWith('#/components/schemas/')) o[k] = 'components#/$defs/' + x.slice(21);
    else o[k] = closeSchema(x);
  }
  if (o.properties && !('additionalProperties' in o) && !o.allOf && !o.anyOf && !o.oneOf) o.additionalProperties = false;
  return o;
}

const rawFetch = globalThis.fetch;
/** fetch, with the answer of an /api/v1/ request checked against the description (an event stream is not read) */
globalThis.fetch = async function checkedFetch(input, init = {}) {
  const res = await rawFetch(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const method = init.method ?? (typeof input === 'object' && !(input instanceof URL) ? input.method : 'GET');
  const ctype = res.headers.get('content-type') ?? '';
  if (new URL(url).pathname.startsWith('/api/v1/') && !/^text\/event-stream/.test(ctype)) {
    await checkApiAnswer(method, url, res.status, ctype, await res.clone().text());
  }
  return res;
};

function apiSpecFor(origin) {
  if (!apiSpecs.has(origin)) {
    apiSpecs.set(origin, (async () => {
      const res = await rawFetch(origin + '/api/v1/openapi.json');
      assert.equal(res.status, 200, 'GET /api/v1/openapi.json');
      const spec = await res.json();
      const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
      ajv.addSchema({ $id: 'components', $defs: closeSchema(spec.components?.schemas ?? {}) });
      // literal paths before templated ones
      const ops = Object.keys(spec.paths).map((key) => ({
        key, re: new RegExp('^' + key.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$'), literal: !key.includes('{'),
      })).sort((a, b) => b.literal - a.literal);
      return { spec, ajv, ops, validators: new Map() };
    })());
  }
  return apiSpecs.get(origin);
}

function resolveRef(spec, v) {
  const ref = v?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return v;
  return ref.slice(2).split('/').reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
}

/** Asserts that an answer of the API is what the description says; a no-op for other paths. */
export async function checkApiAnswer(method, url, status, contentType, text) {
  const u = new URL(url);
  if (!u.pathname.startsWith('/api/v1/')) return;
  method = (method ?? 'GET').toUpperCase();
  if (method === 'HEAD') return;
  const isJson = /^application\/json/.test(contentType ?? '');
  const { spec, ajv, ops, validators } = await apiSpecFor(u.origin);
  const where = `${method} ${u.pathname} answered ${status}`;
  if (!isJson) {
    // the HTTP layer's own refusals (before any route) are plain text
    if (status === 204 || [400, 408, 413, 414, 431, 503].includes(status)) return;
    if (status === 404 && /%00/.test(url)) return;   // http/ refuses a NUL in the path before routing
    assert.fail(`${where} with ${contentType}, not JSON:\n${text.slice(0, 300)}`);
  }
  const found = ops.find((o) => o.re.test(u.pathname));
  const op = found && spec.paths[found.key][method.toLowerCase()];
  let schema;
  let key = 'components#/$defs/Error';
  if (!op) {
    // no route: 404 (or 405 for another method) with the error body
    assert.ok(status === 404 || status === 405, `${where}: ${found ? `no "${method.toLowerCase()}" under "${found.key}"` : 'no path'} in the API description (api/*.json): describe it there`);
    schema = { $ref: key };
  } else {
    const resp = resolveRef(spec, op.responses?.[String(status)] ?? op.responses?.default);
    assert.ok(resp, `${where}: status ${status} is not among the "responses" of ${method.toLowerCase()} ${found.key} in api/*.json; describe it there`);
    const s = resp.content?.['application/json']?.schema;
    assert.ok(s, `${where}: the description of ${method.toLowerCase()} ${found.key} ${status} has no application/json schema`);
    key = `${found.key} ${method} ${status}`;
    schema = closeSchema(s);
  }
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  let body;
  try { body = JSON.parse(text); } catch { assert.fail(`${where}: the body is not JSON:\n${text.slice(0, 300)}`); }
  if (!validate(body)) {
    assert.fail(`${where}: the answer does not match its description in api/*.json (${key}):\n` +
      ajv.errorsText(validate.errors, { separator: '\n' }) + `\nbody: ${text.slice(0, 800)}`);
  }
}

/** Asserts that a JSON request body is what the description's requestBody of the operation allows
 *  (a value the server accepts must be documented); the operation must have a body. */
export async function checkApiRequest(origin, method, path, body) {
  const { spec, ajv, ops } = await apiSpecFor(origin);
  const found = ops.find((o) => o.re.test(path));
  const op = found && spec.paths[found.key][method.toLowerCase()];
  const where = `${method} ${path}`;
  assert.ok(op, `${where}: no such operation in api/*.json`);
  const s = op.requestBody?.content?.['application/json']?.schema;
  assert.ok(s, `${where}: no JSON requestBody in api/*.json`);
  const validate = ajv.compile(closeSchema(s));
  if (!validate(body)) {
    assert.fail(`${where}: the request body ${JSON.stringify(body)} is not what api/*.json describes (${found.key}):\n` +
      ajv.errorsText(validate.errors, { separator: '\n' }));
  }
}

function wrap(res, text) {
  return {
    status: res.status,
    headers: res.headers,
    text,
    json() { return JSON.parse(text); },
  };
}

/** GET (or anything, via opts.method) without following redirects. */
export async function get(url, opts = {}) {
  const res = await fetch(url, { redirect: 'manual', ...opts });
  return wrap(res, await res.text());
}

const FOOTER_RE = /Processed in ([0-9]+(?:\.[0-9]+)?) second\(s\), ([0-9]+) quer(?:y|ies)(?:, Gzip (On|Off))?(?:, Cache (On|Off))?/;

/**
 * Parses the footer "Processed in X second(s), N queries, Gzip On|Off, Cache On|Off".
 * Returns {seconds, queries, gzip, cache}; gzip/cache are true/false, or null when
 * absent. Tags between the parts are tolerated. Returns null if there is no footer.
 */
function parseFooter(html) {
  let m = FOOTER_RE.exec(html);
  if (!m) m = FOOTER_RE.exec(html.replace(/<[^>]*>/g, ''));
  if (!m) return null;
  const onOff = (s) => (s === undefined ? null : s === 'On');
  return { seconds: Number(m[1]), queries: Number(m[2]), gzip: onOff(m[3]), cache: onOff(m[4]) };
}

function noFooter(html) {
  const tail = html.length > 600 ? '...' + html.slice(-600) : html;
  return new Error(`no footer "Processed in X second(s), N queries" in page:\n${tail}`);
}

/** GET with gzip and a Client's cookies; the body gunzipped by zlib (which checks CRC and length) */
export function gzipGet(base, p, client) {
  return new Promise((resolve, reject) => {
    const req = http.get(base + p, { headers: { 'accept-encoding': 'gzip', cookie: client.cookieHeader() } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try {
          const body = Buffer.concat(chunks);
          const gz = res.headers['content-encoding'] === 'gzip';
          resolve({ status: res.statusCode, headers: res.headers, gz,
            text: (gz ? zlib.gunzipSync(body) : body).toString('utf8') });
        } catch (e) { reject(e); }
      });
    });
    req.on('error', reject);
  });
}

export function footerOf(html) {
  const f = parseFooter(html);
  if (!f) throw noFooter(html);
  return f;
}

/** The N of "N queries" in the footer; throws if there is no footer. */
export function queriesOf(html) {
  return footerOf(html).queries;
}

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/gi, (_, e) => {
    const l = e.toLowerCase();
    if (l[0] === '#') return String.fromCodePoint(l[1] === 'x' ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[l];
  });
}

/** The value of <input type="hidden" name="csrf" value="...">; throws if absent. */
export function csrfOf(html) {
  for (const m of html.matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/\bname\s*=\s*["']?csrf["'\s>/]/i.test(tag)) continue;
    const v = /\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    if (v) return decodeEntities(v[1] ?? v[2] ?? v[3]);
  }
  throw new Error('no <input type="hidden" name="csrf" value="..."> in page');
}

/**
 * A browser-like client: keeps cookies from Set-Cookie, never follows redirects.
 *   const c = new Client(forum.url);
 *   const page = await c.get('/member.php?mod=logging&action=login');
 *   await c.post('/member.php?mod=logging&action=login', {username, password, csrf: csrfOf(page.text)});
 */
/**
 * The Set-Cookie headers of a response, one string each. Headers#getSetCookie
 * is missing from the undici that Debian 12's Node.js 18 uses (node-undici
 * 5.x): there the joined header is split before each "name=" (an Expires date's
 * ", " is followed by a digit, never by a cookie name and "=").
 */
export function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,\s*(?=[!#$%&'*+\-.^_`|~0-9A-Za-z]+=)/) : [];
}

export class Client {
  constructor(base) {
    this.base = base.replace(/\/+$/, '');
    this.cookies = new Map();
  }

  cookie(name) { return this.cookies.get(name); }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(headers) {
    for (const sc of setCookies(headers)) {
      const [pair, ...attrs] = sc.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v = ''] = a.split('=').map((s) => s.trim());
        if (/^max-age$/i.test(k)) return Number(v) <= 0;
        if (/^expires$/i.test(k)) return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(p, opts = {}) {
    const headers = { ...(opts.headers ?? {}) };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const res = await fetch(this.base + p, { redirect: 'manual', ...opts, headers });
    this.store(res.headers);
    return wrap(res, await res.text());
  }

  get(p, opts = {}) {
    return this.request(p, { ...opts, method: 'GET' });
  }

  /** POST a form: a plain object / URLSearchParams (urlencoded) or FormData (multipart). */
  post(p, form = {}, opts = {}) {
    const body = form instanceof FormData || form instanceof URLSearchParams
      ? form : new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)]));
    return this.request(p, { ...opts, method: 'POST', body });
  }

  /** POST JSON, with "Authorization: Bearer token" when a token is given. */
  postJSON(p, obj, token, opts = {}) {
    const headers = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
    if (token) headers.authorization = `Bearer ${token}`;
    return this.request(p, { ...opts, method: 'POST', headers, body: JSON.stringify(obj) });
  }
}

// ---- pages, the CLI, restarts (t01xx) ----------------------------
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
/** `loulan post` prints "tid=T pid=P floor=N": [T, P, N] as numbers (throws on anything else). */
export function postIds(stdout) {
  const m = /^tid=(\d+) pid=(\d+) floor=(\d+)$/.exec(stdout.trim());
  assert.ok(m, `loulan post printed ${JSON.stringify(stdout)}, not "tid=T pid=P floor=N"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

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

/** The view count on a thread page (查看: N). */
export function viewsOf(html) {
  const m = /查看: <em>(\d+)<\/em>/.exec(html);
  assert.ok(m, 'views shown');
  return Number(m[1]);
}

/** Thread list rows of a board page: {tid, subject, type, sticky, author, replies, views, lastposter, lastExact}. */
export function threadRows(html) {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const rows = [];
  for (const m of tbody.matchAll(/<tr( class="sticky")?(?: data-fid="(\d+)")?>([\s\S]*?)<\/tr>/g)) {
    const r = m[3];
    const sub = /<a class="subject" href="\/t\/(\d+)"[^>]*>([^<]*)<\/a>/.exec(r);
    if (!sub) continue;
    const type = /<em class="ttype">\[<a href="[^"]*typeid=(\d+)">([^<]*)<\/a>\]<\/em>/.exec(r);
    const by = /<td class="t-by"><a href="\/u\/(\d+)">([^<]*)<\/a><br><span class="muted">([^<]*)<\/span>/.exec(r);
    const num = /<td class="t-num"><a href="[^"]*">(\d+)<\/a><br><span class="muted">(\d+)<\/span>/.exec(r);
    const last = /<span class="by">([^<]*)<\/span><br><span class="muted when" title="([^"]*)">/.exec(r);
    rows.push({
      tid: Number(sub[1]), subject: sub[2], sticky: !!m[1], fid: m[2] ? Number(m[2]) : null,
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
  for (const m of html.matchAll(/<article class="floor" id="pid(\d+)"[^>]*>([\s\S]*?)<\/article>/g)) {
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

// ---- accounts: register, log in, the header (t03xx) --------------
// argon2id at full cost is slow under ASan; password.c honours this (tests only).
process.env.LOULAN_FAST_HASH = '1';

/** Registers through the form; returns the POST response (not followed). */
export async function register(c, { username, email, password, password2 = password, csrf } = {}) {
  const form = await c.get('/register');
  assert.equal(form.status, 200, `GET /register: ${form.status}`);
  return c.post('/register', {
    username, email, password, password2, csrf: csrf === undefined ? csrfOf(form.text) : csrf,
  });
}

/** Registers and checks it worked (303 and a session cookie). */
export async function mustRegister(base, user) {
  const c = new Client(base);
  const r = await register(c, user);
  assert.equal(r.status, 303, `register ${user.username}: ${r.status}\n${r.text.slice(0, 2000)}`);
  assert.ok(c.cookie('loulan_sid'), 'a session cookie after registering');
  return c;
}

export async function login(c, username, password, extra = {}) {
  const form = await c.get('/login');
  return c.post('/login', { username, password, csrf: csrfOf(form.text), ...extra });
}

export async function mustLogin(base, username, password) {
  const c = new Client(base);
  const r = await login(c, username, password);
  assert.equal(r.status, 303, `login ${username}: ${r.status}\n${r.text.slice(0, 1500)}`);
  return c;
}

/** The header's user area as text: the logged-in name, or null for a guest. */
export function headerUser(html) {
  const nav = /<nav class="usernav">([\s\S]*?)<\/nav>/.exec(html);
  assert.ok(nav, 'page has the header user nav');
  const me = /<a class="me" href="\/u\/(\d+)"[^>]*>([^<]*)<\/a>\s*<span class="grp">([^<]*)<\/span>/.exec(nav[1]);
  if (!me) {   /* the links carry the page they came from (?next=) */
    assert.match(nav[1], /<a href="\/login(\?next=[^"]*)?">登录<\/a>/);
    assert.match(nav[1], /<a href="\/register(\?next=[^"]*)?">注册<\/a>/);
    return null;
  }
  return { uid: Number(me[1]), name: me[2], group: me[3], settings: nav[1].includes('href="/settings/password"') };
}

export async function apiSession(base, username, password) {
  const r = await new Client(base).postJSON('/api/v1/session', { username, password });
  return r;
}

export async function me(base, token) {
  return get(base + '/api/v1/me', token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

/** Polls fn() until it returns truthy (the server reloads some caches every 2 s). The 30 s default
 * leaves room for a machine running both e2e suites and a build at once; a pass returns at once. */
export async function eventually(fn, what, ms = 30000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// ---- posting: web and API logins, counters read back (t04xx) -----
// Relative times ("刚刚", "12 秒前", "3 分钟前", "5 小时前", src/util/timefmt.c) blanked, for tests that
// compare two renders of a page: the renders may fall on either side of a second. The exact times
// (title="..." and datetime="...") are left to compare.
export const blankRelativeTimes = (html) => html.replace(/刚刚|\d+ (?:秒|分钟|小时)前/g, '(relative time)');

export const PW = 'correct horse battery';

/** A Client logged in on the web as NAME. */
export async function webLogin(url, name, password = PW) {
  const c = new Client(url);
  const form = await c.get('/login');
  const res = await c.post('/login', { username: name, password, csrf: csrfOf(form.text) });
  assert.equal(res.status, 303, `login ${name}: ${res.status} ${res.text.slice(0, 300)}`);
  return c;
}

/** A bearer token for NAME. */
export async function apiToken(url, name, password = PW) {
  const c = new Client(url);
  const res = await c.postJSON('/api/v1/session', { username: name, password });
  assert.equal(res.status, 200, `api login ${name}: ${res.text}`);
  return res.json().token;
}

/** JSON request with a bearer token; returns {status, json, text, headers}. */
export async function api(url, method, path, body, token) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, {
    method, headers, redirect: 'manual',
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, headers: res.headers };
}

/** Every floor of a thread through the API (all pages). */
export async function allFloors(url, tid) {
  const first = await api(url, 'GET', `/api/v1/threads/${tid}`);
  assert.equal(first.status, 200, first.text);
  const floors = [...first.json.floors];
  for (let p = 2; p <= first.json.pages; p++) {
    const r = await api(url, 'GET', `/api/v1/threads/${tid}?page=${p}`);
    assert.equal(r.status, 200, r.text);
    floors.push(...r.json.floors);
  }
  return { thread: first.json.thread, floors };
}

/** A board's counters from the API's board list. */
export async function boardCounts(url, fid) {
  const r = await api(url, 'GET', '/api/v1/boards');
  assert.equal(r.status, 200);
  const b = r.json.boards.find((x) => x.fid === fid);
  assert.ok(b, `board ${fid} in /api/v1/boards`);
  return b;
}

/** All visible threads of a board through the API. */
export async function allThreads(url, fid) {
  const out = [];
  for (let p = 1; ; p++) {
    const r = await api(url, 'GET', `/api/v1/boards/${fid}/threads?page=${p}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.threads.filter((t) => !t.moved_to && (t.fid === fid)));   /* not stubs, not other boards' stickies */
    if (!r.json.has_more) return out;
  }
}

/**
 * Checks that the stored counters of the boards FIDS and of their threads
 * equal what the rows say: thread replies = undeleted floors - 1, board
 * threads/posts = visible threads / their undeleted floors, and for each of
 * MEMBERS (whose posts must all be in these boards) the floors' author_posts /
 * author_threads equal their undeleted floors / visible threads.
 */
export async function checkCounters(url, fids, members = []) {
  if (!Array.isArray(fids)) fids = [fids];
  const byMember = new Map();
  const seen = new Map();
  const totals = {};
  for (const fid of fids) {
    const threads = await allThreads(url, fid);
    let posts = 0;
    for (const t of threads) {
      const { thread, floors } = await allFloors(url, t.tid);
      const live = floors.filter((f) => !f.deleted);
      assert.equal(thread.replies, live.length - 1, `thread ${t.tid} replies`);
      posts += live.length;
      for (const f of live) {
        const m = byMember.get(f.author) ?? { posts: 0, threads: 0 };
        m.posts++;
        if (f.position === 1) m.threads++;
        byMember.set(f.author, m);
      }
      for (const f of floors) seen.set(f.author, { posts: f.author_posts, threads: f.author_threads });
    }
    const b = await boardCounts(url, fid);
    assert.equal(b.threads, threads.length, `board ${fid} threads`);
    assert.equal(b.posts, posts, `board ${fid} posts`);
    totals[fid] = { threads: threads.length, posts };
  }
  for (const name of members) {
    const want = byMember.get(name) ?? { posts: 0, threads: 0 };
    const got = seen.get(name);
    if (got) assert.deepEqual(got, want, `member ${name} posts/threads`);
  }
  return totals;
}

/** Runs one SQL statement on the forum's database (fixtures the CLI has no command for). */
export async function sql(forum, statement) {
  const { execFile } = await import('node:child_process');
  const [file, args] = forum.db
    ? ['psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', forum.db, '-c', statement]]
    : ['sqlite3', ['-cmd', '.timeout 10000', `${forum.dir}/loulan.db`, statement]];
  await new Promise((resolve, reject) => execFile(file, args, (err, _o, stderr) =>
    (err ? reject(new Error(`${file}: ${stderr || err.message}`)) : resolve())));
}

/** One value (or rows, one per line, columns split by '|') from the forum's database (sqlite3 or psql). */
export async function sqlValue(forum, statement) {
  const { execFile } = await import('node:child_process');
  const [file, args] = forum.db
    ? ['psql', ['-X', '-q', '-At', forum.db, '-c', statement]]
    : ['sqlite3', ['-cmd', '.timeout 10000', `${forum.dir}/loulan.db`, statement]];
  return new Promise((resolve, reject) => execFile(file, args, (err, out, stderr) =>
    (err ? reject(new Error(stderr || err.message)) : resolve(out.trim()))));
}

/** The tids of a board page's thread rows, in order. */
export const boardTids = (html) => [...html.matchAll(/class="subject" href="\/t\/(\d+)"/g)].map((m) => Number(m[1]));

/** The href of the first link with class cls (next, prev...), unescaped; null when there is none. */
export function linkByClass(html, cls) {
  const m = new RegExp(`class="${cls}" href="([^"]*)"`).exec(html);
  return m ? m[1].replace(/&amp;/g, '&') : null;
}

/** A board list walked from start by its next links (keyset cursors) with getter(url): each page's tids. */
export async function walkBoard(url, start, getter) {
  const pages = [];
  for (let u = start; u;) {
    const r = await getter(url + u);
    assert.equal(r.status, 200, u);
    pages.push(boardTids(r.text));
    u = linkByClass(r.text, 'next');
  }
  return pages;
}

/** Adds a board with the CLI; returns its fid. */
export async function addBoard(forum, args) {
  const r = await forum.run(['board', 'add', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.trim());
}

// ---- moderation (t05xx): the permission matrix's cast ------------
/**
 * A forum for the permission matrix: root (admin), superm (super moderator), modA and modB
 * (moderators of boards A and B), and NAMES (members, group 10). Returns {forum, fidA, fidB, uid}
 * where uid maps every name to its uid, once the server has loaded the moderators.
 */
export async function startModForum(names, boardNames = ['A版', 'B版']) {
  const all = [...new Set([...names, 'modA', 'modB', 'superm'])];
  const forum = await startForum({
    demo: false,
    config: { 'post.flood_seconds': '0' },
    users: [{ name: 'root', password: PW, admin: true }, ...all.map((name) => ({ name, password: PW }))],
  });
  // a failure below must not leave the server running: the test file's after() never got the forum,
  // and a live child keeps node (and the whole suite) from ever exiting
  try {
    return await modSetup(forum, all, boardNames);
  } catch (e) {
    await forum.stop().catch(() => {});
    throw e;
  }
}

async function modSetup(forum, all, boardNames) {
  const board = async (name) => Number((await forum.run(['board', 'add', '--name', name])).stdout.trim());
  const fidA = await board(boardNames[0]);
  const fidB = await board(boardNames[1]);
  const uid = {};
  for (const u of ['root', ...all]) {
    const r = await forum.run(['user', 'group', '--name', u, '--group', u === 'root' ? '1' : u === 'superm' ? '2' : '10']);
    uid[u] = Number(r.stdout.match(/uid (\d+)/)[1]);
  }
  await sql(forum, `INSERT INTO moderator(fid, uid, created) VALUES (${fidA}, ${uid.modA}, 0), (${fidB}, ${uid.modB}, 0)`);
  // the server reloads its moderators when the site generation moves (a settings write),
  // not on a timer: move it, then wait until the board pages name them (版主)
  const r = await forum.run(['config', 'set', 'post.flood_seconds', '0']);
  if (r.code !== 0) throw new Error(r.stderr);
  await eventually(async () => (await get(`${forum.url}/f/${fidA}`)).text.includes('modA') &&
    (await get(`${forum.url}/f/${fidB}`)).text.includes('modB'), 'the server to load the moderators');
  return { forum, fidA, fidB, uid };
}

// ---- attachments (issue #13): images made with the vips CLI (libvips-tools), a JPEG
// with an EXIF GPS block spliced in, an EXIF parser for the served bytes, a PNG whose
// header claims 100000 x 100000 pixels, and upload helpers.
let attTmp = null;   // made on first use: most suites never need it
function imgTmp() {
  if (!attTmp) {
    attTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loulan-att-'));
    process.on('exit', () => fs.rmSync(attTmp, { recursive: true, force: true }));
  }
  return attTmp;
}

/** An image made by vips: a gradient W x H saved as EXT (jpg, png, webp, gif). */
export function makeImage(w, h, ext = 'jpg', seed = 1) {
  const xyz = path.join(imgTmp(), `xyz-${w}-${h}-${seed}.v`);
  const out = path.join(imgTmp(), `img-${w}-${h}-${seed}.${ext}`);
  execFileSync('vips', ['xyz', xyz, String(w), String(h)]);
  // two bands (x, y) -> three bands: x, y, seed-dependent constant
  const three = path.join(imgTmp(), `rgb-${w}-${h}-${seed}.v`);
  execFileSync('vips', ['bandjoin_const', xyz, three, String((seed * 37) % 256)]);
  const u8 = path.join(imgTmp(), `u8-${w}-${h}-${seed}.v`);
  execFileSync('vips', ['cast', three, u8, 'uchar']);
  execFileSync('vips', ['copy', u8, out]);
  return fs.readFileSync(out);
}

/** The JPEG with an APP1 Exif block after SOI: IFD0 has Orientation and a GPS IFD (0x8825) with GPSLatitudeRef "N". */
export function withGps(jpeg) {
  const t = Buffer.alloc(56);
  t.write('II', 0, 'latin1');
  t.writeUInt16LE(42, 2);
  t.writeUInt32LE(8, 4);          // IFD0 at 8
  t.writeUInt16LE(2, 8);          // two entries
  t.writeUInt16LE(0x0112, 10); t.writeUInt16LE(3, 12); t.writeUInt32LE(1, 14); t.writeUInt16LE(1, 18);
  t.writeUInt16LE(0x8825, 22); t.writeUInt16LE(4, 24); t.writeUInt32LE(1, 26); t.writeUInt32LE(38, 30);
  t.writeUInt32LE(0, 34);         // no next IFD
  t.writeUInt16LE(1, 38);         // GPS IFD: one entry
  t.writeUInt16LE(0x0001, 40); t.writeUInt16LE(2, 42); t.writeUInt32LE(2, 44); t.write('N\0', 48, 'latin1');
  t.writeUInt32LE(0, 52);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const seg = Buffer.alloc(4);
  seg[0] = 0xff; seg[1] = 0xe1; seg.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), seg, payload, jpeg.subarray(2)]);
}

/** Does this JPEG carry an EXIF GPS IFD (tag 0x8825 in IFD0)? Parses the markers up to SOS. */
export function hasGps(buf) {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) throw new Error('not a JPEG');
  let i = 2;
  while (i + 4 <= buf.length && buf[i] === 0xff) {
    const marker = buf[i + 1];
    if (marker === 0xda) break;   // SOS: image data follows
    const len = buf.readUInt16BE(i + 2);
    const seg = buf.subarray(i + 4, i + 2 + len);
    if (marker === 0xe1 && seg.subarray(0, 6).toString('latin1') === 'Exif\0\0') {
      const t = seg.subarray(6);
      const le = t.toString('latin1', 0, 2) === 'II';
      const u16 = (o) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
      const u32 = (o) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
      const ifd = u32(4);
      for (let k = 0; k < u16(ifd); k++) if (u16(ifd + 2 + k * 12) === 0x8825) return true;
    }
    i += 2 + len;
  }
  return false;
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG whose IHDR says W x H (valid CRC) followed by a tiny IDAT and IEND: a decompression bomb's header. */
export function pngClaiming(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

/** POST /api/v1/attachments with one file; returns {status, json, text}. */
export async function upload(url, token, name, bytes, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  fd.append('file', new Blob([bytes]), name);
  const res = await fetch(url + '/api/v1/attachments', {
    method: 'POST', body: fd, headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

/** GET returning the bytes: {status, headers, bytes}. */
export async function fetchBytes(url, headers = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** width and height of a PNG/JPEG/WebP/GIF by `vipsheader`. */
export function sizeOf(bytes) {
  const f = path.join(imgTmp(), `probe-${process.hrtime.bigint()}`);
  fs.writeFileSync(f, bytes);
  const out = execFileSync('vipsheader', ['-f', 'width', f]).toString().trim() + 'x' +
    execFileSync('vipsheader', ['-f', 'height', f]).toString().trim();
  fs.rmSync(f);
  return out;
}

/** A 1x1 animated GIF of two frames (looping), written by hand. */
export function animatedGif() {
  const frame = Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00,
    0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00]);
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'), Buffer.from([0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]),
    Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff, 0xff]),
    Buffer.from([0x21, 0xff, 0x0b]), Buffer.from('NETSCAPE2.0', 'latin1'), Buffer.from([0x03, 0x01, 0x00, 0x00, 0x00]),
    frame, frame, Buffer.from([0x3b]),
  ]);
}

/** libvips' n-pages of an image (frames of a GIF/WebP). */
export function pagesOf(bytes) {
  const f = path.join(imgTmp(), `pages-${process.hrtime.bigint()}`);
  fs.writeFileSync(f, bytes);
  let out;
  try { out = execFileSync('vipsheader', ['-f', 'n-pages', f]).toString().trim(); } catch { out = '1'; }
  fs.rmSync(f);
  return Number(out);
}

// ---- mail (issue #15): a real local SMTP server (tests/smtp/server.py, Debian's python3-aiosmtpd) ----

/**
 * Starts the local SMTP server. Returns {port, dir, messages(), waitFor(pred, what), stop()}:
 * messages() = every message received so far, oldest first, each
 * {mail_from, rcpt_tos, subject, body, raw} with subject and body decoded.
 * failFirst: the first N messages are refused with 451 (retries).
 */
export async function startSmtp({ failFirst = 0 } = {}) {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loulan-smtp-'));
  const proc = spawn('/usr/bin/python3', [path.join(ROOT, 'tests/smtp/server.py'), dir],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FAIL_FIRST: String(failFirst) } });
  let out = '', err = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMTP test server did not start:\n${err}`)), 15000);
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    exited.then(() => { clearTimeout(timer); reject(new Error(`SMTP test server exited:\n${err}`)); });
  });
  const messages = () => fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  return {
    port, dir, messages,
    /** polls until pred(messages()) is truthy; returns its value */
    waitFor: (pred, what = 'mail', ms = 20000) => eventually(() => pred(messages()), what, ms),
    async stop() {
      proc.stdin.end();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}

/** the forum's smtp.* settings for a startSmtp() server */
export function smtpConfig(smtp) {
  return { 'smtp.host': '127.0.0.1', 'smtp.port': smtp.port, 'smtp.from': 'noreply@loulan.test' };
}

/** the first URL in a mail's body that starts with prefix (e.g. `${url}/lostpasswd/reset?token=`) */
export function linkIn(mail, prefix) {
  const i = mail.body.indexOf(prefix);
  assert.ok(i >= 0, `no ${prefix} link in the mail:\n${mail.body}`);
  return mail.body.slice(i).split(/\s/)[0];
}

/** A GET /robots.txt on a fresh connection (from localAddress); resolves with the status line, or null
    when nothing arrives within ms (not accepted, or closed without an answer). Connection tests. */
export function tryGet(url, ms, localAddress = '127.0.0.1') {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let data = '';
    const s = net.connect({ host: hostname, port: Number(port), localAddress }, () => {
      s.write('GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    const done = (v) => { clearTimeout(t); s.destroy(); resolve(v); };
    const t = setTimeout(() => done(null), ms);
    s.on('data', (d) => { data += d; const i = data.indexOf('\r\n'); if (i > 0) done(data.slice(0, i)); });
    s.on('error', () => done(null));
    s.on('close', () => done(data ? data.split('\r\n')[0] : null));
  });
}

// ---- live events: Server-Sent Events (issue #15, t1550) -------------
/**
 * Opens an event stream (GET url, node:http so nothing buffers it) and resolves once the
 * head is in: {status, headers, text, events, comments, closed, wait(pred, what, ms), close()}.
 * events: every block parsed ({event, id, data, retry}; data JSON-parsed when it is JSON);
 * comments: how many comment lines (heartbeats) came. A refused stream (not 200) is read whole.
 */
export function openEvents(url, { headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const s = { status: res.statusCode, headers: res.headers, text: '', events: [], comments: 0, closed: false };
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        s.text += d;
        pending += d;
        let i;
        while ((i = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, i);
          pending = pending.slice(i + 2);
          const ev = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) { s.comments++; continue; }
            const c = line.indexOf(':');
            const k = c < 0 ? line : line.slice(0, c);
            const v = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
            ev[k] = v;
          }
          if (ev.data !== undefined) { try { ev.data = JSON.parse(ev.data); } catch { /* text */ } }
          if (Object.keys(ev).length) s.events.push(ev);
        }
      });
      res.on('end', () => { s.closed = true; });
      res.on('error', () => { s.closed = true; });
      s.close = () => { req.destroy(); s.closed = true; };
      s.wait = async (pred, what, ms = 10000) => {
        const end = Date.now() + ms;
        while (Date.now() < end) {
          const ev = s.events.find(pred);
          if (ev) return ev;
          if (s.closed) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`event stream ${url}: no ${what} within ${ms} ms (closed: ${s.closed}); got:\n${s.text.slice(0, 2000)}`);
      };
      if (res.statusCode !== 200) res.on('end', () => resolve(s));
      else resolve(s);
    });
    req.on('error', reject);
  });
}

// ---- Discuz! X3.5 source databases for the importer tests (issue #18) ----

/** Why Discuz! tests skip, or '' when LOULAN_TEST_MYSQL is set (node:test `{ skip: discuzSkip() }`). */
export function discuzSkip() {
  return process.env.LOULAN_TEST_MYSQL ? ''
    : 'LOULAN_TEST_MYSQL is not set (scripts/mariadb.sh start; LOULAN_TEST_MYSQL=$(scripts/mariadb.sh url))';
}

/** Where the fixture's attachment files live (the site's data/attachment/ for --attachments). */
export const DISCUZ_ATTACHMENTS = path.join(ROOT, 'tests/discuz/files/data/attachment');
/** Where the fixture's avatar files live (UCenter's uc_server/data/avatar/ for --avatars). */
export const DISCUZ_AVATARS = path.join(ROOT, 'tests/discuz/files/uc_server/data/avatar');

/**
 * Runs the mariadb client against LOULAN_TEST_MYSQL (database `db`, or none) with `input` on
 * stdin; rejects with the client's stderr on failure. Resolves to stdout (tab-separated rows).
 */
export async function mariadb(db, input, { charset = 'utf8mb4', args = [] } = {}) {
  const u = new URL(process.env.LOULAN_TEST_MYSQL);
  const argv = ['--no-defaults', '--batch', '--skip-column-names', `--default-character-set=${charset}`,
    '-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username), ...args];
  if (db) argv.push(db);
  const env = { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) };
  const r = await exec('mariadb', argv, { input, env });
  if (r.code !== 0) throw new Error(`mariadb ${db ?? ''} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/**
 * Creates a fresh database dz_<random> on LOULAN_TEST_MYSQL holding the Discuz! X3.5 tables
 * (tests/discuz/schema.sql) and the fixture (tests/discuz/fixture.sql, or fixture-gbk.sql for
 * charset 'gbk': a GBK database as old sites have). Each test gets its own database, so the
 * SQLite and PostgreSQL suites may share one server concurrently.
 *   sql:   more SQL (UTF-8 text) run after the fixture
 * Returns {url, db, charset, attachments, avatars, query(sql), drop()}: url is mysql://U:P@H:PORT/dz_x for
 * `loulan import-discuz --from`; query() runs SQL on it (UTF-8 in and out); drop() removes the database
 * (kept with LOULAN_KEEP=1).
 */
export async function startDiscuz({ charset = 'utf8mb4', sql = '' } = {}) {
  if (!process.env.LOULAN_TEST_MYSQL) throw new Error(discuzSkip());
  if (charset !== 'utf8mb4' && charset !== 'gbk') throw new Error(`startDiscuz: charset ${charset}`);
  const db = 'dz_' + randomBytes(6).toString('hex');
  const collate = charset === 'gbk' ? 'gbk_chinese_ci' : 'utf8mb4_unicode_ci';
  await mariadb(null, `CREATE DATABASE ${db} CHARACTER SET ${charset} COLLATE ${collate};\n`);
  try {
    const dir = path.join(ROOT, 'tests/discuz');
    const fixture = charset === 'gbk' ? 'fixture-gbk.sql' : 'fixture.sql';
    const input = Buffer.concat([
      fs.readFileSync(path.join(dir, 'schema.sql')),
      fs.readFileSync(path.join(dir, fixture)),
      Buffer.from(sql ? `\nSET NAMES utf8mb4;\n${sql}\n` : '\n', 'utf8'),
    ]);
    await mariadb(db, input, { charset });
  } catch (e) {
    await mariadb(null, `DROP DATABASE IF EXISTS ${db};\n`).catch(() => {});
    throw e;
  }
  const u = new URL(process.env.LOULAN_TEST_MYSQL);
  u.pathname = '/' + db;
  return {
    url: u.toString(),
    db,
    charset,
    attachments: DISCUZ_ATTACHMENTS,
    avatars: DISCUZ_AVATARS,
    query: (q) => mariadb(db, q),
    drop: async () => {
      if (process.env.LOULAN_KEEP) return;
      await mariadb(null, `DROP DATABASE IF EXISTS ${db};\n`);
    },
  };
}
