// Helpers for the account tests (t03xx): register, log in, read the header.
import assert from 'node:assert/strict';
import { Client, csrfOf, get } from './lib.mjs';

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
  const me = /<a class="me" href="\/u\/(\d+)">([^<]*)<\/a>\s*<span class="grp">([^<]*)<\/span>/.exec(nav[1]);
  if (!me) {
    assert.match(nav[1], /<a href="\/login">登录<\/a>/);
    assert.match(nav[1], /<a href="\/register">注册<\/a>/);
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

/** Polls fn() until it returns truthy (the server reloads some caches every 2 s). */
export async function eventually(fn, what, ms = 8000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
