// t0340: the accounts JSON API: POST /api/v1/users (same rules as the form),
// POST/DELETE /api/v1/session, GET /api/v1/me; error bodies
// {"error": {"code", "message"}}; bearer tokens need no CSRF token.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, get, apiSession, me } from './lib.mjs';

const PW = 'correct horse 1';
let forum;
before(async () => { forum = await startForum({ demo: false }); });
after(async () => { await forum?.stop(); });

const post = (p, body, headers = {}) => fetch(forum.url + p, { method: 'POST', headers, body, redirect: 'manual' })
  .then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }));
const isError = (r, status, code) => {
  assert.equal(r.status, status, r.text);
  const j = JSON.parse(r.text);
  assert.equal(j.error.code, code);
  assert.equal(typeof j.error.message, 'string');
  assert.ok(j.error.message.length > 0);
};

test('create a user: 201 {uid}; log in; me has group, credits, posts, threads', async () => {
  const c = new Client(forum.url);
  const r = await c.postJSON('/api/v1/users', { username: 'apiuser', password: PW, email: 'api@example.com' });
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const { uid } = r.json();
  assert.ok(Number.isInteger(uid) && uid > 0);
  const s = await apiSession(forum.url, 'apiuser', PW);
  assert.equal(s.status, 200);
  const { token } = s.json();
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.equal(s.json().uid, uid);
  const m = await me(forum.url, token);
  assert.equal(m.status, 200);
  const j = m.json();
  assert.equal(j.uid, uid);
  assert.equal(j.username, 'apiuser');
  assert.equal(j.groupid, 10);
  assert.equal(j.group, '新手上路');
  assert.equal(j.credits, 2, "the daily login reward (credit rule login: 金钱 +2, credit.formula counts 金钱 once)");
  assert.equal(j.posts, 0);
  assert.equal(j.threads, 0);
  // DELETE the session: the token is dead
  const d = await fetch(forum.url + '/api/v1/session', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  assert.equal(d.status, 204);
  isError(await me(forum.url, token), 401, 'unauthorized');
});

test('duplicate (any case, fullwidth) is 409; invalid is 400 naming the field', async () => {
  const c = new Client(forum.url);
  for (const username of ['apiuser', 'APIUSER', 'ａｐｉｕｓｅｒ']) {
    const r = await c.postJSON('/api/v1/users', { username, password: PW, email: `${Math.random()}@example.com` });
    isError(r, 409, 'conflict');
    assert.equal(r.json().error.field, 'username');
  }
  const cases = [
    [{ username: 'x', password: PW, email: 'a@example.com' }, 'username'],
    [{ username: 'ok\u200bname', password: PW, email: 'a@example.com' }, 'username'],
    [{ username: 'goodname', password: 'short', email: 'a@example.com' }, 'password'],
    [{ username: 'goodname', password: 'goodname', email: 'a@example.com' }, 'password'],
    [{ username: 'goodname', password: PW, email: 'nope' }, 'email'],
    [{ username: 'goodname', password: PW }, 'email'],
  ];
  for (const [body, field] of cases) {
    const r = await c.postJSON('/api/v1/users', body);
    isError(r, 400, 'invalid');
    assert.equal(r.json().error.field, field, JSON.stringify(body));
  }
  isError(await c.postJSON('/api/v1/users', { username: 5, password: PW }), 400, 'bad_request');
  // nobody was created by the refusals
  isError(await apiSession(forum.url, 'goodname', PW), 401, 'bad_credentials');
});

test('bad JSON is 400, a wrong content type 415, missing token 401, wrong method 405', async () => {
  isError(await post('/api/v1/users', '{"username": ', { 'content-type': 'application/json' }), 400, 'bad_json');
  isError(await post('/api/v1/users', '[1,2]', { 'content-type': 'application/json' }), 400, 'bad_json');
  isError(await post('/api/v1/users', 'username=a', { 'content-type': 'application/x-www-form-urlencoded' }), 415,
    'unsupported_media_type');
  isError(await post('/api/v1/session', '{}', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
  isError(await me(forum.url, null), 401, 'unauthorized');
  isError(await me(forum.url, 'f'.repeat(64)), 401, 'unauthorized');
  isError(await fetch(forum.url + '/api/v1/session', { method: 'DELETE' })
    .then(async (r) => ({ status: r.status, text: await r.text() })), 401, 'unauthorized');
  isError(await get(forum.url + '/api/v1/users'), 405, 'method_not_allowed');
  isError(await apiSession(forum.url, 'apiuser', 'wrong password'), 401, 'bad_credentials');
  isError(await apiSession(forum.url, 'nosuchuser', 'wrong password'), 401, 'bad_credentials');
});
