// t0310: login throttling per account and per IP (the nth failure is 429 with
// how long to wait; the web form and the API), the registration limit per IP,
// the auth.* settings' validation, and session expiry (auth.session_ttl).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, register, mustRegister, login, mustLogin, headerUser, apiSession } from './lib.mjs';

const PW = 'correct horse 1';
let forum;
before(async () => {
  forum = await startForum({
    demo: false,
    config: {
      'auth.login_max_failures': 3, 'auth.login_max_failures_ip': 7, 'auth.login_window': 120,
      'auth.register_max': 2, 'auth.register_window': 3600, 'auth.session_ttl': 2,
    },
    users: ['bob', 'carol', 'dan', 'erin'].map((name) => ({ name, password: PW, email: `${name}@example.com` })),
  });
});
after(async () => { await forum?.stop(); });

test('the nth failure for an account is 429 with the wait; the right password is refused too; others unaffected', async () => {
  const c = new Client(forum.url);
  assert.equal((await login(c, 'bob', 'wrong-1')).status, 403);
  assert.equal((await login(c, 'bob', 'wrong-2')).status, 403);
  const third = await login(c, 'bob', 'wrong-3');
  assert.equal(third.status, 429);
  assert.match(third.text, /登录失败次数过多，请 (\d+ 秒|2 分钟)后再试/);
  const ra = Number(third.headers.get('retry-after'));
  assert.ok(ra > 0 && ra <= 120, `Retry-After ${ra}`);
  const right = await login(c, 'bob', PW);
  assert.equal(right.status, 429, 'even the right password waits');
  assert.equal(c.cookie('loulan_sid'), undefined);
  const api = await apiSession(forum.url, 'bob', PW);
  assert.equal(api.status, 429);
  assert.equal(api.json().error.code, 'too_many_requests');
  assert.match(api.json().error.message, /后再试/);
  // another account from the same IP is not blocked by bob's failures
  await mustLogin(forum.url, 'carol', PW);
  // a success clears the account's failures: dan fails twice, logs in, fails twice again without 429
  const d = new Client(forum.url);
  assert.equal((await login(d, 'dan', 'x-wrong-1')).status, 403);
  assert.equal((await login(d, 'dan', 'x-wrong-2')).status, 403);
  assert.equal((await login(d, 'dan', PW)).status, 303);
  assert.equal((await login(new Client(forum.url), 'dan', 'x-wrong-3')).status, 403);
});

test('per IP: failures over many names reach auth.login_max_failures_ip; then every login from the IP waits', async () => {
  // so far this IP failed 3 (bob) + 2 + 1 (dan) = 6 times; the 7th failure is refused
  const r = await login(new Client(forum.url), 'nobody-here', 'whatever1');
  assert.equal(r.status, 429);
  const e = await login(new Client(forum.url), 'erin', PW);
  assert.equal(e.status, 429, 'erin never failed, but the IP is blocked');
  assert.match(e.text, /后再试/);
});

test('registration limit per IP: auth.register_max, then 429 with a readable message', async () => {
  await mustRegister(forum.url, { username: 'reg1', email: 'reg1@example.com', password: PW });
  await mustRegister(forum.url, { username: 'reg2', email: 'reg2@example.com', password: PW });
  const r = await register(new Client(forum.url), { username: 'reg3', email: 'reg3@example.com', password: PW });
  assert.equal(r.status, 429);
  assert.match(r.text, /注册太频繁/);
  assert.match(r.text, /name="username" value="reg3"/, 'the form keeps the name');
  const api = await new Client(forum.url).postJSON('/api/v1/users', { username: 'reg4', password: PW, email: 'reg4@example.com' });
  assert.equal(api.status, 429);
  assert.equal(api.json().error.code, 'too_many_requests');
});

test('auth.* settings must be positive integers', async () => {
  for (const v of ['0', '-1', 'abc', '1.5', '']) {
    const r = await forum.run(['config', 'set', 'auth.login_window', v]);
    assert.notEqual(r.code, 0, `auth.login_window=${JSON.stringify(v)} accepted`);
  }
  const ok = await forum.run(['config', 'get', 'auth.login_max_failures']);
  assert.equal(ok.stdout.trim(), '3');
});

test('a session ends after auth.session_ttl seconds', async () => {
  // this forum's IP is blocked by now: a fresh forum with a 2-second TTL
  const f2 = await startForum({ demo: false, config: { 'auth.session_ttl': 2 } });
  try {
    const u = await mustRegister(f2.url, { username: 'ttluser', email: 't@example.com', password: PW });
    assert.equal(headerUser((await u.get('/')).text).name, 'ttluser');
    await new Promise((r) => setTimeout(r, 3100));
    assert.equal(headerUser((await u.get('/')).text), null, 'expired: a guest again');
    assert.equal((await u.get('/settings/password')).status, 403);
  } finally {
    await f2.stop();
  }
});
