// t0300: registration through the form: success logs in and redirects; name
// rules (length, control and invisible characters, uniqueness without regard
// to case and NFKC); password rules; the form keeps what was typed except the
// passwords; CSRF; logging in (name or email) and out; the header.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, csrfOf, get, setCookies, register, mustRegister, login, headerUser, apiSession } from './lib.mjs';

let forum;
before(async () => { forum = await startForum({ demo: true }); });
after(async () => { await forum?.stop(); });

const PW = 'correct horse 1';

test('guest header shows 登录 | 注册; register page has the four fields', async () => {
  const r = await get(forum.url + '/');
  assert.equal(headerUser(r.text), null);
  const f = await get(forum.url + '/register');
  assert.equal(f.status, 200);
  for (const n of ['username', 'email', 'password', 'password2', 'csrf']) assert.match(f.text, new RegExp(`name="${n}"`));
});

test('register: logged in, redirected, 新手上路, header has name and 设置', async () => {
  const c = new Client(forum.url);
  const r = await register(c, { username: 'alice', email: 'alice@example.com', password: PW });
  assert.equal(r.status, 303, r.text.slice(0, 1000));
  assert.equal(r.headers.get('location'), '/welcome?next=%2F');   // issue 17: a welcome with the next steps
  const welcome = await c.get('/welcome?next=%2F');
  assert.equal(welcome.status, 200);
  assert.match(welcome.text, /注册成功，欢迎加入/);
  assert.match(welcome.text, /href="\/settings\/avatar"/);
  assert.doesNotMatch(welcome.text, /回到刚才浏览的页面/, 'no way back to the index it would be');
  const sc = setCookies(r.headers).find((s) => s.startsWith('loulan_sid='));
  assert.match(sc, /HttpOnly/);
  assert.match(sc, /SameSite=Lax/);
  const home = await c.get('/');
  const h = headerUser(home.text);
  assert.equal(h.name, 'alice');
  assert.equal(h.group, '新手上路');
  assert.ok(h.settings, '设置 link in the header');
  // log out (POST with the token) -> guest again
  const out = await c.post('/logout', { csrf: csrfOf(home.text) });
  assert.equal(out.status, 303);
  assert.equal(headerUser((await c.get('/')).text), null);
  // log in by name and by email (any case)
  assert.equal((await login(c, 'alice', PW)).status, 303);
  assert.equal(headerUser((await c.get('/')).text).name, 'alice');
  const c2 = new Client(forum.url);
  assert.equal((await login(c2, 'ALICE@Example.com', PW)).status, 303);
  assert.equal(headerUser((await c2.get('/')).text).name, 'alice');
});

test('Chinese names are allowed', async () => {
  const c = await mustRegister(forum.url, { username: '张三丰', email: 'zsf@example.com', password: PW });
  assert.equal(headerUser((await c.get('/')).text).name, '张三丰');
});

test('duplicate and confusable names are refused (case, fullwidth)', async () => {
  for (const name of ['admin', 'Admin', 'ＡＤＭＩＮ', 'ALICE', 'ａｌｉｃｅ']) {
    const c = new Client(forum.url);
    const r = await register(c, { username: name, email: `x${Math.random()}@example.com`, password: PW });
    assert.equal(r.status, 409, `${name}: ${r.status}`);
    assert.match(r.text, /该用户名已被注册/);
    assert.equal(c.cookie('loulan_sid'), undefined, 'no session after a refused registration');
  }
  // the same email twice
  const r = await register(new Client(forum.url), { username: 'alice2', email: 'Alice@Example.com', password: PW });
  assert.equal(r.status, 409);
  assert.match(r.text, /该电子邮箱已被注册/);
});

test('look-alike names (UTS #39 skeleton) are refused like case variants; mixed scripts are refused', async () => {
  // same skeleton as the demo's admin: dotless ı, "rn" for m, fullwidth + dotless
  for (const name of ['adm\u0131n', 'adrnin', 'ＡＤＭ\u0131Ｎ']) {
    const c = new Client(forum.url);
    const r = await register(c, { username: name, email: `x${Math.random()}@example.com`, password: PW });
    assert.equal(r.status, 409, `${JSON.stringify(name)}: ${r.status}`);
    assert.match(r.text, /该用户名已被注册/);
    assert.equal(c.cookie('loulan_sid'), undefined);
  }
  // Latin with Cyrillic or Greek, Han with Cyrillic, digits of two systems: refused as invalid
  for (const name of ['\u0430dmin', 'p\u0430yp\u0430l', '小明\u0430\u0431', '\u03b1lice', 'ab1\u0662']) {
    const r = await register(new Client(forum.url), { username: name, email: `y${Math.random()}@example.com`, password: PW });
    assert.equal(r.status, 400, `${JSON.stringify(name)}: ${r.status}`);
    assert.match(r.text, /不能混用容易混淆的文字/);
  }
  // Chinese forums mix Han and Latin; one script alone is fine, Cyrillic included
  await mustRegister(forum.url, { username: '小明abc', email: 'xm@example.com', password: PW });
  await mustRegister(forum.url, { username: '\u0418\u0432\u0430\u043d', email: 'ivan@example.com', password: PW });
  // the API refuses the same way
  const api = await new Client(forum.url).postJSON('/api/v1/users', { username: '小明ABC', password: PW, email: 'xm2@example.com' });
  assert.equal(api.status, 409, api.text);
  const mixed = await new Client(forum.url).postJSON('/api/v1/users', { username: 'x\u0430x', password: PW, email: 'xm3@example.com' });
  assert.equal(mixed.status, 400, mixed.text);
});

test('invalid names: too short, too long, control char, zero-width space, edge space', async () => {
  for (const name of ['a', 'x'.repeat(16), '张'.repeat(16), 'ab\u0001cd', 'ab\u200bcd', 'zero\u200b', ' bob', '<b>bob',
    '\u0301\u0301', 'a\u202eb', '\u3164\u3164']) {
    const r = await register(new Client(forum.url), { username: name, email: 'inv@example.com', password: PW });
    assert.equal(r.status, 400, `${JSON.stringify(name)}: ${r.status}`);
    assert.match(r.text, /id="err-username"/, `${JSON.stringify(name)}: error next to the field`);
  }
  // 15 Chinese characters is the maximum: accepted
  await mustRegister(forum.url, { username: '张'.repeat(15), email: 'long@example.com', password: PW });
});

test('password rules: minimum length, not the username, confirmation', async () => {
  let r = await register(new Client(forum.url), { username: 'pwuser', email: 'pw@example.com', password: 'short' });
  assert.equal(r.status, 400);
  assert.match(r.text, /id="err-password"[^>]*>密码须为 8-128 个字符/);
  r = await register(new Client(forum.url), { username: 'pwuser12', email: 'pw@example.com', password: 'pwuser12' });
  assert.equal(r.status, 400);
  assert.match(r.text, /密码不能与用户名相同/);
  r = await register(new Client(forum.url), { username: 'pwuser12', email: 'pw@example.com', password: 'PWUSER12' });
  assert.equal(r.status, 400, 'the same name in another case is the same name');
  r = await register(new Client(forum.url), { username: 'pwuser', email: 'pw@example.com', password: PW, password2: PW + 'x' });
  assert.equal(r.status, 400);
  assert.match(r.text, /id="err-password2"[^>]*>两次输入的密码不一致/);
  r = await register(new Client(forum.url), { username: 'pwuser', email: 'not-an-email', password: PW });
  assert.equal(r.status, 400);
  assert.match(r.text, /id="err-email"/);
});

test('the form keeps the name and email, never the passwords', async () => {
  const secret = 'Sup3rSecretPw!';
  const r = await register(new Client(forum.url), { username: 'x', email: 'keep.me@example.com', password: secret });
  assert.equal(r.status, 400);
  assert.match(r.text, /name="username" value="x"/);
  assert.match(r.text, /name="email" value="keep.me@example.com"/);
  assert.ok(!r.text.includes(secret), 'the password is not echoed');
  const r2 = await register(new Client(forum.url), { username: 'keepname', email: 'k@example.com', password: secret, password2: 'other-pass' });
  assert.match(r2.text, /name="username" value="keepname"/);
  assert.ok(!r2.text.includes(secret) && !r2.text.includes('other-pass'));
});

test('CSRF: a registration without a valid token is 403 and creates nobody', async () => {
  for (const csrf of ['', 'f'.repeat(64), null]) {
    const c = new Client(forum.url);
    await c.get('/register');
    const body = { username: 'csrfuser', email: 'csrf@example.com', password: PW, password2: PW };
    if (csrf !== null) body.csrf = csrf;
    const r = await c.post('/register', body);
    assert.equal(r.status, 403, `csrf=${JSON.stringify(csrf)}`);
    assert.equal(c.cookie('loulan_sid'), undefined);
  }
  // nobody was created: the name is still free and cannot log in
  assert.equal((await apiSession(forum.url, 'csrfuser', PW)).status, 401);
  await mustRegister(forum.url, { username: 'csrfuser', email: 'csrf@example.com', password: PW });
});

test('wrong password and unknown user get the same generic answer', async () => {
  const a = await login(new Client(forum.url), 'alice', 'wrong password');
  const b = await login(new Client(forum.url), 'nosuchuser', 'wrong password');
  assert.equal(a.status, 403);
  assert.equal(b.status, 403);
  const msg = (t) => /<p class="form-error"[^>]*>([^<]*)</.exec(t)[1];
  assert.equal(msg(a.text), '登录失败：用户名或密码错误。');
  assert.equal(msg(a.text), msg(b.text));
});

test('logout needs the CSRF token: without it 403 and still logged in', async () => {
  const c = new Client(forum.url);
  assert.equal((await login(c, 'alice', PW)).status, 303);
  const r = await c.post('/logout', {});
  assert.equal(r.status, 403);
  assert.equal(headerUser((await c.get('/')).text).name, 'alice');
});

test('loulan user add reads the password from stdin', async () => {
  let r = await forum.run(['user', 'add', '--name', 'cliuser', '--email', 'cli@example.com'], `${PW}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+\n$/);
  const s = await apiSession(forum.url, 'cliuser', PW);
  assert.equal(s.status, 200);
  assert.equal(s.json().uid, Number(r.stdout));
  r = await forum.run(['user', 'add', '--name', 'cliuser2'], 'short\n');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^loulan: the password must be 8 to 128 characters$/m);
  r = await forum.run(['user', 'add', '--name', 'CLIUSER'], `${PW}\n`);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^loulan: the name is taken$/m);
});
