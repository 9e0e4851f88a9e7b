// t0315: login lockout cannot be used as a weapon. An attacker's failures lock
// an account (auth.login_max_failures) and an address (auth.login_max_failures_ip)
// for browsers without history, but a browser that signed in to the account
// before (its loulan_dev cookie) is throttled only per device
// (auth.login_max_failures_device): the owner still signs in, on the web and
// through the API; a wrong password with the device cookie counts and locks
// that device; a device cookie of another account, or a forged one, helps nobody.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, csrfOf, login, mustLogin, headerUser } from './lib.mjs';

const PW = 'correct horse 1';
let forum;
let ownerDev;   /* the owner's device cookie, from the second test */
let otherA, otherB;   /* two browsers that signed in as "other" (first test) */
before(async () => {
  forum = await startForum({
    demo: false,
    config: {
      'auth.login_max_failures': 3, 'auth.login_max_failures_ip': 6, 'auth.login_window': 300,
      'auth.login_max_failures_device': 2,
    },
    users: ['owner', 'other', 'thief'].map((name) => ({ name, password: PW, email: `${name}@example.com` })),
  });
});
after(async () => { await forum?.stop(); });

test('a login sets a long-lived HttpOnly device cookie; signing in again keeps it', async () => {
  const c = new Client(forum.url);
  const r = await login(c, 'other', PW);
  assert.equal(r.status, 303);
  const set = r.headers.getSetCookie().find((h) => h.startsWith('loulan_dev='));
  assert.ok(set, 'Set-Cookie loulan_dev');
  assert.match(set, /^loulan_dev=[0-9a-f]{64}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/);
  const dev = c.cookie('loulan_dev');
  c.cookies.delete('loulan_sid');
  const again = await login(c, 'other', PW);
  assert.equal(again.status, 303);
  assert.equal(again.headers.getSetCookie().find((h) => h.startsWith('loulan_dev=')), undefined, 'no new device');
  assert.equal(c.cookie('loulan_dev'), dev);
  otherA = c;
  otherB = new Client(forum.url);
  assert.equal((await login(otherB, 'other', PW)).status, 303);
  assert.notEqual(otherB.cookie('loulan_dev'), dev, 'each browser is its own device');
});

test('an attacker locks the account and the address; the owner with a device cookie still signs in', async () => {
  // the owner signed in once from this browser, then logs out
  const owner = await mustLogin(forum.url, 'owner', PW);
  const dev = owner.cookie('loulan_dev');
  assert.match(dev, /^[0-9a-f]{64}$/);
  ownerDev = dev;
  owner.cookies.delete('loulan_sid');
  // an attacker on the same address (one NAT) fails: the account locks at 3
  const attacker = new Client(forum.url);
  assert.equal((await login(attacker, 'owner', 'guess-1')).status, 403);
  assert.equal((await login(attacker, 'owner', 'guess-2')).status, 403);
  assert.equal((await login(attacker, 'owner', 'guess-3')).status, 429);
  assert.equal((await login(attacker, 'owner', PW)).status, 429, 'the attacker cannot go on, even with the password');
  // a browser without the device cookie is locked out too
  const fresh = new Client(forum.url);
  const locked = await login(fresh, 'owner', PW);
  assert.equal(locked.status, 429);
  assert.match(locked.text, /登录失败次数过多/);
  assert.equal(fresh.cookie('loulan_sid'), undefined);
  // the owner's browser signs in
  const r = await login(owner, 'owner', PW);
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(headerUser((await owner.get('/')).text).name, 'owner');
  // the API with the device cookie too; without it 429
  const api = await new Client(forum.url).postJSON('/api/v1/session', { username: 'owner', password: PW }, null,
    { headers: { cookie: `loulan_dev=${dev}` } });
  assert.equal(api.status, 200, api.text);
  assert.equal((await new Client(forum.url).postJSON('/api/v1/session', { username: 'owner', password: PW })).status, 429);
  // the attacker's lock on the account is still there
  assert.equal((await login(new Client(forum.url), 'owner', PW)).status, 429);
});

test('the address lock: a device cookie still signs its owner in; another account with it does not', async () => {
  // fail on other names from this address until the address is locked (6 failures: 3 above + 3 here)
  const attacker = new Client(forum.url);
  let last;
  for (let i = 0; i < 3; i++) last = await login(attacker, `nobody${i}`, 'whatever1');
  assert.equal(last.status, 429);
  assert.equal((await login(new Client(forum.url), 'thief', PW)).status, 429, 'the address is locked');
  const owner = new Client(forum.url);
  owner.cookies.set('loulan_dev', ownerDev);
  assert.equal((await login(owner, 'owner', PW)).status, 303);
  // owner's device cookie does not unlock another account
  const borrowed = new Client(forum.url);
  borrowed.cookies.set('loulan_dev', owner.cookie('loulan_dev'));
  assert.equal((await login(borrowed, 'thief', PW)).status, 429);
  // nor does a forged or malformed one
  for (const v of ['0'.repeat(64), 'zz', 'f'.repeat(65)]) {
    const c = new Client(forum.url);
    c.cookies.set('loulan_dev', v);
    assert.equal((await login(c, 'owner', PW)).status, 429, v);
  }
});

test('wrong passwords with a device cookie count per device and lock that device only', async () => {
  // a stolen device cookie cannot brute-force: auth.login_max_failures_device = 2
  const stolen = new Client(forum.url);
  stolen.cookies.set('loulan_dev', ownerDev);
  assert.equal((await login(stolen, 'owner', 'guess-a')).status, 403);
  const second = await login(stolen, 'owner', 'guess-b');
  assert.equal(second.status, 429);
  assert.match(second.text, /登录失败次数过多/);
  assert.ok(Number(second.headers.get('retry-after')) > 0);
  assert.equal((await login(stolen, 'owner', PW)).status, 429, 'the device is locked, even with the password');
  const api = await new Client(forum.url).postJSON('/api/v1/session', { username: 'owner', password: PW }, null,
    { headers: { cookie: `loulan_dev=${ownerDev}` } });
  assert.equal(api.status, 429);
  assert.equal(api.json().error.code, 'too_many_requests');
});

test('a password change forgets the member\'s other devices, not this one', async () => {
  // the address is locked by now: only known devices get through
  assert.equal((await login(new Client(forum.url), 'other', PW)).status, 429);
  otherA.cookies.delete('loulan_sid');
  assert.equal((await login(otherA, 'other', PW)).status, 303);
  const form = await otherA.get('/settings/password');
  const PW2 = 'new horse battery 2';
  const r = await otherA.post('/settings/password', { old: PW, password: PW2, password2: PW2, csrf: csrfOf(form.text) });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  otherA.cookies.delete('loulan_sid');
  otherB.cookies.delete('loulan_sid');
  assert.equal((await login(otherB, 'other', PW2)).status, 429, 'the other browser is no longer a known device');
  assert.equal((await login(otherA, 'other', PW2)).status, 303, 'the browser that changed it still is');
});
