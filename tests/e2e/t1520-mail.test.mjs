// t1520: mail (issue #15): the queue sent by the mail thread through a REAL local SMTP server
// (tests/smtp/server.py, python3-aiosmtpd), 找回密码 (/lostpasswd, the API), its token rules (one hour,
// single use, a newer link kills the older, every session ends), the same answer for unknown accounts,
// throttles per address and per account. Retries, restarts and two nodes: t1521.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startForum, startSmtp, smtpConfig, linkIn, Client, get, api, apiToken, webLogin, csrfOf, textOf, queriesOf,
  headerUser, eventually, sql, PW, sqlValue,
} from './lib.mjs';

const value = sqlValue;

const users = ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({ name, password: PW, email: `${name}@example.com` }));
let smtp, forum;
before(async () => {
  smtp = await startSmtp();
  forum = await startForum({ demo: true, users, config: { ...smtpConfig(smtp), 'auth.reset_max_ip': 1000 } });
});
after(async () => {
  await forum?.stop();
  await smtp?.stop();
});

const mailsTo = (addr) => smtp.messages().filter((m) => m.rcpt_tos.includes(addr));
/** asks for a reset link on /lostpasswd; a 303 (the answer, whether or not the account exists) is followed */
async function ask(c, login) {
  const form = await c.get('/lostpasswd');
  assert.equal(form.status, 200);
  const r = await c.post('/lostpasswd', { login, csrf: csrfOf(form.text) });
  if (r.status !== 303) return r;
  assert.equal(r.headers.get('location'), '/lostpasswd?sent=1');
  return c.get(r.headers.get('location'));
}
/** the message part of the page (the footer's timer and query count differ between any two pages) */
const answer = (html) => textOf(html.split('<section')[1].split('</section>')[0]);
const settle = () => new Promise((r) => setTimeout(r, 1000));   // a settings change reaches the server (250 ms ticks)

test('找回密码: the mail reaches the SMTP server; its link sets the password and ends every session', async () => {
  const web = await webLogin(forum.url, 'alice');
  const token = await apiToken(forum.url, 'alice');
  assert.equal((await api(forum.url, 'GET', '/api/v1/me', undefined, token)).status, 200);
  const c = new Client(forum.url);
  const r = await ask(c, 'alice');
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /找回密码的邮件已经发出/);
  assert.ok(queriesOf(r.text) <= 3, `queries ${queriesOf(r.text)}`);
  const [mail] = await smtp.waitFor(() => mailsTo('alice@example.com').length === 1 && mailsTo('alice@example.com'));
  assert.equal(mail.subject, '[楼兰论坛] 找回密码');   // RFC 2047, decoded by the server's parser
  assert.match(mail.raw, /^Subject: =\?UTF-8\?B\?/m);
  assert.equal(mail.mail_from, 'noreply@loulan.test');
  assert.match(mail.body, /^alice，您好/);
  const link = linkIn(mail, `${forum.url}/lostpasswd/reset?token=`);
  assert.match(link, /token=[0-9a-f]{64}$/);
  // the token is stored hashed: the database does not hold it
  const tok = link.split('token=')[1];
  assert.equal(await value(forum, `SELECT COUNT(*) FROM mail_token WHERE token_hash = '${tok}'`), '0');
  assert.equal(await value(forum, "SELECT COUNT(*) FROM mail_token WHERE kind = 'reset'"), '1');
  // the request itself did one INSERT, whoever it named; the mail thread looked the account up
  assert.equal(await value(forum, 'SELECT COUNT(*) FROM reset_request'), '0');

  const form = await c.get(link.slice(forum.url.length));
  assert.equal(form.status, 200);
  // the token is in the URL: no Referer carries it on (the last policy of the header wins)
  assert.match(form.headers.get('referrer-policy'), /(^|, )no-referrer$/);
  assert.ok(queriesOf(form.text) <= 3);
  // a refused password keeps the link usable
  const weak = await c.post('/lostpasswd/reset', { token: tok, password: 'short', password2: 'short', csrf: csrfOf(form.text) });
  assert.equal(weak.status, 400);
  assert.match(weak.text, /密码须为/);
  const mismatch = await c.post('/lostpasswd/reset', { token: tok, password: 'new password 1', password2: 'other', csrf: csrfOf(form.text) });
  assert.equal(mismatch.status, 400);
  const ok = await c.post('/lostpasswd/reset', { token: tok, password: 'new password 1', password2: 'new password 1', csrf: csrfOf(form.text) });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), '/login?reset=1');
  assert.match((await c.get('/login?reset=1')).text, /新密码已设置/);
  // every session is gone: the web one and the API token
  assert.equal(headerUser((await web.get('/')).text), null);
  assert.equal((await api(forum.url, 'GET', '/api/v1/me', undefined, token)).status, 401);
  assert.equal((await c.postJSON('/api/v1/session', { username: 'alice', password: PW })).status, 401);
  assert.equal((await c.postJSON('/api/v1/session', { username: 'alice', password: 'new password 1' })).status, 200);
  // single use
  const again = await c.get(link.slice(forum.url.length));
  assert.equal(again.status, 400);
  assert.match(again.text, /链接无效或已过期/);
  const reuse = await c.post('/lostpasswd/reset', { token: tok, password: 'new password 2', password2: 'new password 2', csrf: csrfOf(form.text) });
  assert.equal(reuse.status, 400);
});

test('the same answer whether or not the account exists; by e-mail too; a newer link kills the older', async () => {
  const c = new Client(forum.url);
  const known = await ask(c, 'BOB@example.com');
  const unknown = await ask(c, 'nobody-here');
  const unknownMail = await ask(c, 'nobody@example.com');
  assert.equal(known.status, 200);
  assert.equal(unknown.status, 200);
  assert.equal(answer(known.text), answer(unknown.text));
  assert.equal(answer(known.text), answer(unknownMail.text));
  const first = linkIn((await smtp.waitFor(() => mailsTo('bob@example.com')[0])), `${forum.url}/lostpasswd/reset?token=`);
  await ask(c, 'bob');
  const second = linkIn((await smtp.waitFor(() => mailsTo('bob@example.com')[1])), `${forum.url}/lostpasswd/reset?token=`);
  assert.notEqual(first, second);
  assert.equal((await c.get(first.slice(forum.url.length))).status, 400, 'the older link is dead');
  assert.equal((await c.get(second.slice(forum.url.length))).status, 200);
  assert.equal(smtp.messages().filter((m) => m.rcpt_tos.some((r) => r.startsWith('nobody'))).length, 0);
});

test('a link is dead after one hour; a malformed token is refused', async () => {
  const c = new Client(forum.url);
  await ask(c, 'carol');
  const link = linkIn(await smtp.waitFor(() => mailsTo('carol@example.com')[0]), `${forum.url}/lostpasswd/reset?token=`);
  assert.equal((await c.get(link.slice(forum.url.length))).status, 200);
  await sql(forum, "UPDATE mail_token SET expires = created + 3600, created = created - 3601 WHERE kind = 'reset'");
  await sql(forum, "UPDATE mail_token SET expires = created + 3600 WHERE kind = 'reset'");
  assert.equal((await c.get(link.slice(forum.url.length))).status, 400);
  for (const t of ['', 'x', 'G'.repeat(64), '0'.repeat(65), `${'a'.repeat(63)}%00`]) {
    const r = await c.get(`/lostpasswd/reset?token=${t}`);
    assert.equal(r.status, 400, `token ${t}`);
  }
  assert.equal((await c.get('/lostpasswd/reset')).status, 400);
});

test('the API: POST /api/v1/password-reset (202 either way) and /confirm', async () => {
  const a = await api(forum.url, 'POST', '/api/v1/password-reset', { email: 'dave@example.com' });
  const b = await api(forum.url, 'POST', '/api/v1/password-reset', { email: 'ghost@example.com' });
  assert.equal(a.status, 202, a.text);
  assert.equal(b.status, 202);
  assert.deepEqual(a.json, b.json);
  for (const bad of [{}, { email: 5 }, { email: '' }, { email: `${'x'.repeat(95)}@e.com` }]) {
    const r = await api(forum.url, 'POST', '/api/v1/password-reset', bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.json.error.code, 'bad_request');
  }
  const link = linkIn(await smtp.waitFor(() => mailsTo('dave@example.com')[0]), `${forum.url}/lostpasswd/reset?token=`);
  const tok = link.split('token=')[1];
  let r = await api(forum.url, 'POST', '/api/v1/password-reset/confirm', { token: 'f'.repeat(64), password: 'whatever 123' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_token');
  r = await api(forum.url, 'POST', '/api/v1/password-reset/confirm', { token: tok, password: 'dave' });
  assert.equal(r.json.error.code, 'invalid_password');
  r = await api(forum.url, 'POST', '/api/v1/password-reset/confirm', { token: tok, password: 'p'.repeat(129) });
  assert.equal(r.json.error.code, 'invalid_password', 'over USER_PASSWORD_MAX (128)');
  r = await api(forum.url, 'POST', '/api/v1/password-reset/confirm', { token: tok, password: 'dave new password' });
  assert.equal(r.status, 200, r.text);
  r = await api(forum.url, 'POST', '/api/v1/password-reset/confirm', { token: tok, password: 'dave other password' });
  assert.equal(r.json.error.code, 'invalid_token');
  assert.equal((await api(forum.url, 'POST', '/api/v1/session', { username: 'dave', password: 'dave new password' })).status, 200);
});

test('throttles: per account quietly (no more mail, same answer), per address 429', async () => {
  await forum.run(['config', 'set', 'auth.reset_max', '2']);
  await settle();
  const c = new Client(forum.url);
  const before = mailsTo('erin@example.com').length;
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(answer((await ask(c, 'erin')).text));
  assert.equal(new Set(answers).size, 1, 'the same answer every time');
  await smtp.waitFor(() => mailsTo('erin@example.com').length >= before + 2, 'two mails');
  await eventually(async () => (await value(forum, 'SELECT COUNT(*) FROM reset_request')) === '0', 'every request looked at');
  // nothing more is queued for erin: the queue holds what will ever be sent
  assert.equal(await value(forum, "SELECT COUNT(*) FROM mail_queue WHERE rcpt = 'erin@example.com'"), String(before + 2));
  // per address
  await forum.run(['config', 'set', 'auth.reset_max_ip', '1']);
  await sql(forum, "DELETE FROM ratelimit WHERE k LIKE 'reset:ip:%'");
  await settle();
  const ok = await ask(c, 'nobody');
  assert.equal(ok.status, 200);
  const r = await ask(c, 'nobody');
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  const j = await api(forum.url, 'POST', '/api/v1/password-reset', { email: 'x@example.com' });
  assert.equal(j.status, 429);
  await forum.run(['config', 'set', 'auth.reset_max_ip', '1000']);
  await forum.run(['config', 'set', 'auth.reset_max', '100']);
  await settle();
});

test('limits: the login field over RECOVER_LOGIN_MAX (100) bytes, empty', async () => {
  const c = new Client(forum.url);
  const long = await ask(c, 'a'.repeat(101));
  assert.equal(long.status, 400);
  assert.match(long.text, /最长 100 个字节/);
  assert.equal((await ask(c, 'a'.repeat(100))).status, 200);
  assert.equal((await ask(c, '')).status, 400);
  // the settings are checked when set
  for (const [k, v] of [['smtp.tls', 'ssl'], ['smtp.port', '0'], ['smtp.port', '65536'], ['auth.verify_email', '2']]) {
    const r = await forum.run(['config', 'set', k, v]);
    assert.notEqual(r.code, 0, `${k}=${v} refused`);
  }
  for (const v of ['none', 'starttls', 'tls']) assert.equal((await forum.run(['config', 'set', 'smtp.tls', v])).code, 0);
  await forum.run(['config', 'set', 'smtp.tls', 'none']);
  await settle();   // the mail thread reads the settings it sends with: plain SMTP again before the next test
});

test('Discuz! member.php?mod=lostpasswd answers 301 /lostpasswd', async () => {
  const r = await get(`${forum.url}/member.php?mod=lostpasswd`);
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/lostpasswd');
  assert.equal((await get(`${forum.url}/member.php?mod=nothing`)).status, 404);
  const login = await get(`${forum.url}/login`);
  assert.match(login.text, /href="\/lostpasswd"/);
});

test('a password changed in /settings kills a reset link asked for before', async () => {
  const c = new Client(forum.url);
  const n = mailsTo('erin@example.com').length;
  await ask(c, 'erin');
  const mail = await smtp.waitFor(() => mailsTo('erin@example.com')[n]);
  const link = linkIn(mail, `${forum.url}/lostpasswd/reset?token=`);
  assert.equal((await c.get(link.slice(forum.url.length))).status, 200);
  const w = await webLogin(forum.url, 'erin');
  const f = await w.get('/settings/password');
  const r = await w.post('/settings/password', { old: PW, password: 'erin changed it', password2: 'erin changed it', csrf: csrfOf(f.text) });
  assert.equal(r.status, 303);
  assert.equal((await c.get(link.slice(forum.url.length))).status, 400);
});
