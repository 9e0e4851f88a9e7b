// t1830: old passwords of an imported Discuz! site sign in (issue #18, FACTS §3; the hashes as the importer
// stores them in member.pwhash): UCenter's dzmd5$<md5(md5(pw).salt)>$<salt>, PHP password_hash() bcrypt
// ($2y$/$2a$/$2b$), $argon2i$, an outdated $argon2id$, and dzunknown$ (never; 找回密码 sets a new one).
// Web form and API alike; a wrong password is refused exactly as for a loulan member; after the first
// successful login the stored hash is loulan's argon2id. SQLite, and PostgreSQL with LOULAN_TEST_PG.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startForum, startSmtp, smtpConfig, linkIn, Client, login, csrfOf, headerUser, sql, api, PW, sqlValue,
} from './lib.mjs';

const value = sqlValue;

// Every hash below is of PW = 'correct horse battery':
//   md5(PW) = md5 hex H; md5(H . 'Ab3$x9') = 65bb68e65d0a6d0cd6a63cdcbea02d18 (python3 hashlib; a salt with '$')
//   bcrypt: python3 crypt.crypt(PW, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)), $2b$ renamed $2y$ / $2a$
//   argon2i / argon2id: libsodium crypto_pwhash_str_alg (t=3 m=8 KiB; argon2id t=1 m=8 KiB is the test
//   build's own cost (LOULAN_FAST_HASH), so the outdated one has t=2)
const HASHES = {
  dzmd5: 'dzmd5$65bb68e65d0a6d0cd6a63cdcbea02d18$Ab3$x9',
  bcrypt2y: '$2y$04$EtPMD8RF9L5QcV5YNy6RKOIgPh4r9l62viK0OXiw/DK7wogiFGM7e',
  bcrypt2a: '$2a$04$ASJY8yRqbi7la8UIqU.NKOBVL2IpbM4zBQo7DaPvkmA4pk8nSFdKq',
  bcrypt2b: '$2b$04$/aleS5KTtedIKmpP2Wq1GefqvFwDgU6dtYdYXsJ7uEfciUAYKnt2y',
  argon2i: '$argon2i$v=19$m=8,t=3,p=1$EGuvLgE8NEWo6ZJJLoEsvA$DzqrTJ4kd76TpwNTCNuHYA7uFPeJ9ep4KgPRp+UmRX0',
};
// argon2id of PW at t=2 (not the cost loulan hashes with): verified, then replaced
const ARGON2ID_T2 = '$argon2id$v=19$m=8,t=2,p=1$B//sMz5qoRQoQ9V9SDRVfw$J/mVK7GvMx+ehaxR953o3XnWZOfcwoFwM+S5l+TeIfY';
const names = [...Object.keys(HASHES), 'argon2old', 'unknown', 'native', 'apiuser', 'longsalt'];
const users = names.map((name) => ({ name, password: PW, email: `${name}@example.com` }));

let smtp, forum;
before(async () => {
  smtp = await startSmtp();
  forum = await startForum({ demo: false, users, config: { ...smtpConfig(smtp), 'auth.login_max_failures': 1000,
    'auth.login_max_failures_ip': 1000 } });
  for (const [name, h] of Object.entries(HASHES)) {
    await sql(forum, `UPDATE member SET pwhash = '${h}' WHERE username = '${name}'`);
  }
  await sql(forum, "UPDATE member SET pwhash = 'dzunknown$' WHERE username = 'unknown'");
  await sql(forum, `UPDATE member SET pwhash = '${ARGON2ID_T2}' WHERE username = 'argon2old'`);
});
after(async () => {
  await forum?.stop();
  await smtp?.stop();
});

const hashOf = (name) => value(forum, `SELECT pwhash FROM member WHERE username = '${name}'`);
/** the refusal of the web form, without the per-page footer */
const refusal = (r) => ({ status: r.status, text: /<p class="form-error"[^>]*>([^<]*)</.exec(r.text)?.[1] });

for (const name of Object.keys(HASHES)) {
  test(`${name}: the web form refuses a wrong password like for a loulan member, then the right one signs in`, async () => {
    const before = await hashOf(name);
    assert.equal(before, HASHES[name]);
    const bad = await login(new Client(forum.url), name, PW + 'x');
    const native = await login(new Client(forum.url), 'native', PW + 'x');
    assert.equal(bad.status, 403);
    assert.deepEqual(refusal(bad), refusal(native));
    assert.match(refusal(bad).text, /用户名或密码错误/);
    assert.equal(await hashOf(name), before, 'a failed login changes nothing');
    const c = new Client(forum.url);
    const ok = await login(c, name, PW);
    assert.equal(ok.status, 303, ok.text.slice(0, 500));
    assert.equal(headerUser((await c.get('/')).text)?.name, name);
    const after = await hashOf(name);
    assert.match(after, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/, 'rehashed to loulan argon2id at its cost');
    // the new hash works, the old one is gone
    assert.equal((await login(new Client(forum.url), name, PW)).status, 303);
    assert.equal((await login(new Client(forum.url), name, 'correct horse batter')).status, 403);
  });
}

test('the API signs in with a legacy hash (dzmd5 and bcrypt), refuses like for anyone, and rehashes', async () => {
  for (const h of [HASHES.dzmd5, HASHES.bcrypt2y]) {
    await sql(forum, `UPDATE member SET pwhash = '${h}' WHERE username = 'apiuser'`);
    const bad = await new Client(forum.url).postJSON('/api/v1/session', { username: 'apiuser', password: 'nope nope nope' });
    const nat = await new Client(forum.url).postJSON('/api/v1/session', { username: 'native', password: 'nope nope nope' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json(), nat.json());
    assert.equal(await hashOf('apiuser'), h);
    const ok = await new Client(forum.url).postJSON('/api/v1/session', { username: 'apiuser', password: PW });
    assert.equal(ok.status, 200, ok.text);
    const me = await api(forum.url, 'GET', '/api/v1/me', undefined, ok.json().token);
    assert.equal(me.json.username ?? me.json.name, 'apiuser');
    assert.match(await hashOf('apiuser'), /^\$argon2id\$/);
  }
});

test('an argon2id of other parameters signs in and is brought to loulan\'s cost', async () => {
  assert.equal(await hashOf('argon2old'), ARGON2ID_T2);
  assert.equal((await login(new Client(forum.url), 'argon2old', 'wrong password')).status, 403);
  assert.equal(await hashOf('argon2old'), ARGON2ID_T2);
  assert.equal((await login(new Client(forum.url), 'argon2old', PW)).status, 303);
  const cur = await hashOf('argon2old');
  assert.match(cur, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
  assert.equal((await login(new Client(forum.url), 'argon2old', PW)).status, 303);
  assert.equal(await hashOf('argon2old'), cur, 'a current argon2id hash is left alone');
});

test('dzunknown$ never signs in (not even with an empty-looking password); 找回密码 sets a new one', async () => {
  for (const pw of [PW, 'dzunknown$', '']) {
    const r = await login(new Client(forum.url), 'unknown', pw);
    assert.ok(r.status === 403 || r.status === 400, `status ${r.status}`);
  }
  const apiBad = await new Client(forum.url).postJSON('/api/v1/session', { username: 'unknown', password: PW });
  assert.equal(apiBad.status, 401);
  assert.equal(await hashOf('unknown'), 'dzunknown$');
  const c = new Client(forum.url);
  const form = await c.get('/lostpasswd');
  const r = await c.post('/lostpasswd', { login: 'unknown', csrf: csrfOf(form.text) });
  assert.equal(r.status, 303);
  const [mail] = await smtp.waitFor(() => {
    const m = smtp.messages().filter((x) => x.rcpt_tos.includes('unknown@example.com'));
    return m.length && m;
  });
  const link = linkIn(mail, `${forum.url}/lostpasswd/reset?token=`);
  const page = await c.get(link.slice(forum.url.length));
  assert.equal(page.status, 200);
  const tok = link.split('token=')[1];
  const set = await c.post('/lostpasswd/reset', { token: tok, password: 'brand new pass', password2: 'brand new pass',
    csrf: csrfOf(page.text) });
  assert.equal(set.status, 303, set.text.slice(0, 300));
  assert.match(await hashOf('unknown'), /^\$argon2id\$/);
  assert.equal((await login(new Client(forum.url), 'unknown', 'brand new pass')).status, 303);
});

test('limits: a dzmd5 salt over PASSWORD_SALT_MAX (32) and a stored hash of 128 bytes or more never sign in', async () => {
  // md5(md5(PW) . 33 x 's') would match if the salt were read: refused by the limit, not by chance
  const { createHash } = await import('node:crypto');
  const md5 = (s) => createHash('md5').update(s).digest('hex');
  const salt33 = 's'.repeat(33);
  await sql(forum, `UPDATE member SET pwhash = 'dzmd5$${md5(md5(PW) + salt33)}$${salt33}' WHERE username = 'longsalt'`);
  assert.equal((await login(new Client(forum.url), 'longsalt', PW)).status, 403);
  const salt32 = 's'.repeat(32);
  await sql(forum, `UPDATE member SET pwhash = 'dzmd5$${md5(md5(PW) + salt32)}$${salt32}' WHERE username = 'longsalt'`);
  assert.equal((await login(new Client(forum.url), 'longsalt', PW)).status, 303);
  // 128 bytes: 'dzmd5$' + 32 hex + '$' + 89 salt bytes (over the salt limit too, and over the stored-hash limit)
  const salt89 = 't'.repeat(89);
  await sql(forum, `UPDATE member SET pwhash = 'dzmd5$${md5(md5(PW) + salt89)}$${salt89}' WHERE username = 'longsalt'`);
  assert.equal((await login(new Client(forum.url), 'longsalt', PW)).status, 403);
  // a password over USER_PASSWORD_MAX (128) is refused before any hash is computed
  assert.equal((await login(new Client(forum.url), 'native', 'x'.repeat(129))).status, 403);
});
