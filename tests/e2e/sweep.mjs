// What the sweeps share (t0900 CSRF, t0905 read permission): the route table
// as written in src/pages/routes.c (a route added to the table shows up here,
// so a sweep without a line for it fails), a forum with boards and posts made
// through the CLI, and logging in by API token or web cookie.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, get, Client, csrfOf, postIds } from './lib.mjs';

export const PW = 'password123';

/** [{pattern, methods, flags}] in table order; methods is the C text (GET, POST, HTTP_DELETE, ...). */
export function routeTable() {
  const src = fs.readFileSync(path.join(ROOT, 'src/pages/routes.c'), 'utf8');
  const table = src.slice(src.indexOf('static const struct route routes[]'));
  const rows = [];
  for (const m of table.matchAll(/^\s*\{"([^"]+)",\s*([^,]+),\s*\w+,\s*([^}]+)\}/gm)) {
    rows.push({ pattern: m[1], methods: m[2].trim(), flags: m[3].trim() });
    if (rows.length > 400) break;
  }
  assert.ok(rows.length > 20, 'route table parsed');
  return rows;
}

/** A request to the JSON API, with a bearer token when given. */
export async function api(forum, method, p, token, body, headers = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  return get(forum.url + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** An API session token for the member NAME (password PW). */
export async function token(forum, name) {
  const r = await api(forum, 'POST', '/api/v1/session', null, { username: name, password: PW });
  assert.equal(r.status, 200, r.text);
  return r.json().token;
}

/** A web client logged in as NAME, with its session's CSRF token in c.csrf. */
export async function webLogin(forum, name) {
  const c = new Client(forum.url);
  const form = await c.get('/login');
  const r = await c.post('/login', { username: name, password: PW, csrf: csrfOf(form.text) });
  assert.equal(r.status, 303, `login ${name}: ${r.text.slice(0, 200)}`);
  const s = await c.get('/settings/password');
  assert.equal(s.status, 200);
  c.csrf = csrfOf(s.text);
  return c;
}

/** `loulan board add`: the new board's fid. */
export async function addBoard(forum, name) {
  const r = await forum.run(['board', 'add', '--name', name]);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.trim().split(/\s+/).pop());
}

/** `loulan post` as NAME (args: --board N --subject S, or --thread N): [tid, pid]. */
export async function cliPost(forum, name, args, body) {
  const r = await forum.run(['post', '--as-admin', '--name', name, ...args], body);
  assert.equal(r.code, 0, r.stderr);
  return postIds(r.stdout).map(Number);
}
