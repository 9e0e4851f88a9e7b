// Helpers shared by the t04xx posting tests: logging in on the web and
// through the API, and reading counters back from pages and the API.
import assert from 'node:assert/strict';
import { Client, csrfOf } from './lib.mjs';

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
    out.push(...r.json.threads);
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

/** Adds a board with the CLI; returns its fid. */
export async function addBoard(forum, args) {
  const r = await forum.run(['board', 'add', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.trim());
}
