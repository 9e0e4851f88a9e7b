// t0320: /settings/password (old + new + confirm; other sessions end, this one
// stays) and /settings/sessions (the list, this device marked, sign out
// everywhere); CSRF on both; members only.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, csrfOf, get, queriesOf, login, mustLogin, headerUser, apiSession, me } from './lib.mjs';

const PW = 'correct horse 1';
const PW2 = 'battery staple 2';
let forum;
before(async () => {
  forum = await startForum({ demo: false, users: [{ name: 'dave', password: PW }, { name: 'faye', password: PW }] });
});
after(async () => { await forum?.stop(); });

test('guests are sent to log in', async () => {
  for (const p of ['/settings/password', '/settings/sessions']) {
    const r = await get(forum.url + p);
    assert.equal(r.status, 403);
    assert.ok(r.text.includes(`href="/login?next=${encodeURIComponent(p)}"`), `a login link that comes back to ${p}`);
  }
  assert.equal((await get(forum.url + '/settings')).status, 403);
});

test('the session list shows each device, IP and last seen, this one marked', async () => {
  const a = await mustLogin(forum.url, 'faye', PW);
  const b = new Client(forum.url);
  assert.equal((await login(b, 'faye', PW, {}) ).status, 303);
  const r = await a.get('/settings/sessions');
  assert.equal(r.status, 200);
  const rows = [...r.text.matchAll(/<tr( class="current")?><td>([^<]*)/g)];
  assert.equal(rows.length, 2, 'two sessions');
  assert.equal(rows.filter((m) => m[1]).length, 1, 'exactly one marked as this device');
  assert.match(r.text, /（当前设备）/);
  assert.match(r.text, /<td>127\.0\.0\.1<\/td>/);
  assert.ok(queriesOf(r.text) <= 3, `queries ${queriesOf(r.text)}`);
});

test('sign out everywhere: needs the token; then every session of the member ends', async () => {
  const a = await mustLogin(forum.url, 'faye', PW);
  const b = await mustLogin(forum.url, 'faye', PW);
  const tok = (await apiSession(forum.url, 'faye', PW)).json().token;
  const other = await mustLogin(forum.url, 'dave', PW);
  let r = await a.post('/settings/sessions/logout-all', {});
  assert.equal(r.status, 403);
  r = await a.post('/settings/sessions/logout-all', { csrf: 'a'.repeat(64) });
  assert.equal(r.status, 403);
  assert.equal(headerUser((await b.get('/')).text).name, 'faye', 'nothing changed after a refused POST');
  const page = await a.get('/settings/sessions');
  r = await a.post('/settings/sessions/logout-all', { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login');
  assert.equal(headerUser((await a.get('/')).text), null);
  assert.equal(headerUser((await b.get('/')).text), null);
  assert.equal((await me(forum.url, tok)).status, 401);
  assert.equal(headerUser((await other.get('/')).text).name, 'dave', 'another member is untouched');
});

test('change password: checks, CSRF, other sessions end, this one stays', async () => {
  const a = await mustLogin(forum.url, 'dave', PW);
  const b = await mustLogin(forum.url, 'dave', PW);
  const tok = (await apiSession(forum.url, 'dave', PW)).json().token;
  const form = await a.get('/settings/password');
  assert.equal(form.status, 200);
  const csrf = csrfOf(form.text);
  // refused changes change nothing
  let r = await a.post('/settings/password', { old: 'wrong password', password: PW2, password2: PW2, csrf });
  assert.equal(r.status, 403);
  assert.match(r.text, /当前密码不正确/);
  r = await a.post('/settings/password', { old: PW, password: PW2, password2: PW2 + 'x', csrf });
  assert.equal(r.status, 400);
  assert.match(r.text, /两次输入的新密码不一致/);
  r = await a.post('/settings/password', { old: PW, password: 'short', password2: 'short', csrf });
  assert.equal(r.status, 400);
  assert.match(r.text, /密码须为/);
  r = await a.post('/settings/password', { old: PW, password: 'dave', password2: 'dave', csrf });
  assert.equal(r.status, 400);
  r = await a.post('/settings/password', { old: PW, password: PW2, password2: PW2 });
  assert.equal(r.status, 403, 'no CSRF token');
  r = await a.post('/settings/password', { old: PW, password: PW2, password2: PW2, csrf: 'b'.repeat(64) });
  assert.equal(r.status, 403, 'a wrong CSRF token');
  assert.ok(!r.text.includes(PW2));
  assert.equal((await apiSession(forum.url, 'dave', PW)).status, 200, 'the password is unchanged');
  assert.equal(headerUser((await b.get('/')).text).name, 'dave', 'and the other session lives');
  // the real change
  r = await a.post('/settings/password', { old: PW, password: PW2, password2: PW2, csrf });
  assert.equal(r.status, 303);
  const done = await a.get(r.headers.get('location'));
  assert.equal(done.status, 200);
  assert.match(done.text, /密码已修改/);
  assert.equal(headerUser(done.text).name, 'dave', 'this session stays');
  assert.equal(headerUser((await b.get('/')).text), null, 'the other browser is signed out');
  assert.equal((await me(forum.url, tok)).status, 401, 'the API token is revoked');
  assert.equal((await apiSession(forum.url, 'dave', PW)).status, 401, 'the old password no longer works');
  assert.equal((await apiSession(forum.url, 'dave', PW2)).status, 200, 'the new one does');
});
