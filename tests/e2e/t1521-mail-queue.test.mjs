// t1521: the mail queue (issue #15) against a REAL local SMTP server (tests/smtp/server.py): a refused
// mail is retried, mail waiting survives a restart, two nodes on one database send each mail once
// (rows claimed atomically), the e-mail change confirmed by a link to the new address, and
// auth.verify_email (等待验证 until the link is opened, with a resend).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  startForum, startSmtp, smtpConfig, linkIn, Client, api, webLogin, csrfOf, eventually, restart, sql, register, PW, sqlValue,
} from './lib.mjs';

const value = sqlValue;
const settle = () => new Promise((r) => setTimeout(r, 1000));   // a settings change reaches the server

test('a refused mail (451) is retried with backoff; mail waiting survives a restart', async () => {
  const smtp = await startSmtp({ failFirst: 1 });
  const forum = await startForum({ demo: false, users: [{ name: 'alice', password: PW, email: 'alice@example.com' }],
    config: smtpConfig(smtp) });
  let node = null;
  try {
    const r = await api(forum.url, 'POST', '/api/v1/password-reset', { email: 'alice@example.com' });
    assert.equal(r.status, 202);
    await eventually(async () => (await value(forum, 'SELECT error FROM mail_queue')).startsWith('SMTP 451'), 'the refusal recorded');
    assert.equal(smtp.messages().length, 0);
    const [tries, wait] = (await value(forum, 'SELECT tries, next_try - created FROM mail_queue')).split('|').map(Number);
    assert.equal(tries, 1);
    assert.ok(wait >= 30, `the next try waits MAIL_RETRY_FIRST_S (30 s): ${wait}`);
    await sql(forum, 'UPDATE mail_queue SET next_try = 0');   // bring the retry forward
    await smtp.waitFor((m) => m.length === 1, 'the retried mail');
    assert.equal(await value(forum, 'SELECT tries FROM mail_queue'), '2');
    assert.notEqual(await value(forum, 'SELECT sent FROM mail_queue'), '0');
    // no SMTP server configured: the mail waits in the queue, and goes out after a restart
    await forum.run(['config', 'set', 'smtp.host', '']);
    await settle();
    await api(forum.url, 'POST', '/api/v1/password-reset', { email: 'alice@example.com' });
    await eventually(async () => (await value(forum, 'SELECT COUNT(*) FROM mail_queue WHERE sent = 0')) === '1', 'the mail queued');
    node = await restart(forum);
    assert.equal(await value(forum, 'SELECT COUNT(*) FROM mail_queue WHERE sent = 0'), '1');
    await forum.run(['config', 'set', 'smtp.host', '127.0.0.1']);
    await smtp.waitFor((m) => m.length === 2, 'the waiting mail after the restart');
    assert.deepEqual(smtp.messages()[1].rcpt_tos, ['alice@example.com']);
  } finally {
    await node?.stop();
    await forum.stop();
    await smtp.stop();
  }
});

test('two nodes on one database send each mail once', async () => {
  const smtp = await startSmtp();
  const N = 24;
  const users = Array.from({ length: N }, (_, i) => ({ name: `user${i}`, password: PW, email: `u${i}@example.com` }));
  const forum = await startForum({ demo: false, users, config: { ...smtpConfig(smtp), 'smtp.host': '', 'auth.reset_max_ip': 1000 } });
  try {
    const second = await forum.startNode();
    // queued while nothing is sent, then both nodes see the SMTP server at once and race for the rows
    for (let i = 0; i < N; i++) {
      const r = await api(i % 2 ? second.url : forum.url, 'POST', '/api/v1/password-reset', { email: `u${i}@example.com` });
      assert.equal(r.status, 202);
    }
    // the mail thread turns the requests into mails (waiting: no SMTP server yet)
    await eventually(async () => (await value(forum, 'SELECT COUNT(*) FROM mail_queue WHERE sent = 0')) === String(N), `${N} mails queued`);
    assert.equal(await value(forum, 'SELECT COUNT(*) FROM reset_request'), '0');
    await forum.run(['config', 'set', 'smtp.host', '127.0.0.1']);
    await smtp.waitFor((m) => m.length >= N, `${N} mails`, 60000);
    await eventually(async () => (await value(forum, 'SELECT COUNT(*) FROM mail_queue WHERE sent = 0')) === '0', 'the queue drained');
    await settle();
    const got = smtp.messages().map((m) => m.rcpt_tos[0]).sort();
    assert.equal(got.length, N, 'each mail once');
    assert.deepEqual(got, users.map((u) => u.email).sort());
    assert.equal(await value(forum, 'SELECT MAX(tries) FROM mail_queue'), '1', 'no row was tried twice');
  } finally {
    await forum.stop();
    await smtp.stop();
  }
});

test('e-mail change: the link goes to the new address; the address changes only when it is opened', async () => {
  const smtp = await startSmtp();
  const forum = await startForum({ demo: false, config: smtpConfig(smtp),
    users: [{ name: 'alice', password: PW, email: 'alice@example.com' }, { name: 'bob', password: PW, email: 'bob@example.com' }] });
  try {
    const c = await webLogin(forum.url, 'alice');
    const page = await c.get('/settings/email');
    assert.equal(page.status, 200);
    assert.match(page.text, /alice@example\.com/);
    const csrf = csrfOf(page.text);
    let r = await c.post('/settings/email', { email: 'alice.new@example.com', password: 'wrong password', csrf });
    assert.equal(r.status, 403);
    r = await c.post('/settings/email', { email: 'bob@example.com', password: PW, csrf });
    assert.equal(r.status, 409);
    r = await c.post('/settings/email', { email: 'not an address', password: PW, csrf });
    assert.equal(r.status, 400);
    r = await c.post('/settings/email', { email: `${'a'.repeat(95)}@x.com`, password: PW, csrf });
    assert.equal(r.status, 400, 'over USER_EMAIL_MAX');
    r = await c.post('/settings/email', { email: 'alice.new@example.com', password: PW, csrf });
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /确认邮件已发往 alice\.new@example\.com/);
    const mail = await smtp.waitFor((m) => m.find((x) => x.rcpt_tos.includes('alice.new@example.com')));
    assert.equal(mail.subject, '[楼兰论坛] 确认新的 Email 地址');
    assert.match((await c.get('/settings/email')).text, /alice@example\.com/, 'not changed before the link');
    const link = linkIn(mail, `${forum.url}/settings/email/confirm?token=`);
    const confirm = await c.get(link.slice(forum.url.length));
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /alice\.new@example\.com/);
    r = await c.post('/settings/email/confirm', { token: link.split('token=')[1], csrf: csrfOf(confirm.text) });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/settings/email?confirmed=1');
    assert.match((await c.get('/settings/email?confirmed=1')).text, /alice\.new@example\.com/);
    assert.equal((await api(forum.url, 'POST', '/api/v1/session', { username: 'Alice.New@example.com', password: PW })).status, 200);
    assert.equal((await c.get(link.slice(forum.url.length))).status, 400, 'single use');
  } finally {
    await forum.stop();
    await smtp.stop();
  }
});

test('auth.verify_email: a new member waits in 等待验证 (cannot post) until the link; resend kills the old link', async () => {
  const smtp = await startSmtp();
  const forum = await startForum({ demo: true, config: { ...smtpConfig(smtp), 'auth.verify_email': 1 } });
  try {
    const c = new Client(forum.url);
    const r = await register(c, { username: 'newbie', email: 'newbie@example.com', password: PW });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/settings/email');
    const page = await c.get('/settings/email');
    assert.match(page.text, /未验证/);
    assert.match(page.text, /重新发送验证邮件/);
    // 等待验证 may read, not post
    const form = await c.get('/f/2/new');
    assert.equal(form.status, 403);
    const first = await smtp.waitFor((m) => m.find((x) => x.rcpt_tos.includes('newbie@example.com')));
    assert.equal(first.subject, '[楼兰论坛] 验证 Email 地址');
    const resend = await c.post('/settings/email/resend', { csrf: csrfOf(page.text) });
    assert.equal(resend.status, 200);
    await smtp.waitFor((m) => m.filter((x) => x.rcpt_tos.includes('newbie@example.com')).length === 2);
    const second = smtp.messages().filter((x) => x.rcpt_tos.includes('newbie@example.com'))[1];
    const old = linkIn(first, `${forum.url}/settings/email/confirm?token=`);
    assert.equal((await c.get(old.slice(forum.url.length))).status, 400, 'the resend killed the first link');
    const link = linkIn(second, `${forum.url}/settings/email/confirm?token=`);
    const confirm = await c.get(link.slice(forum.url.length));
    assert.equal(confirm.status, 200);
    const done = await c.post('/settings/email/confirm', { token: link.split('token=')[1], csrf: csrfOf(confirm.text) });
    assert.equal(done.status, 303);
    const after = await c.get('/settings/email');
    assert.doesNotMatch(after.text, /未验证/);
    assert.equal((await c.get('/f/2/new')).status, 200, 'a verified member posts');
  } finally {
    await forum.stop();
    await smtp.stop();
  }
});

test('a server that stops while an SMTP server hangs exits at once and releases the mail', async () => {
  const net = await import('node:net');
  const sockets = [];
  const silent = net.createServer((s) => sockets.push(s));   // accepts, never answers
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  const forum = await startForum({ demo: false, users: [{ name: 'alice', password: PW, email: 'alice@example.com' }],
    config: { 'smtp.host': '127.0.0.1', 'smtp.port': silent.address().port, 'smtp.from': 'noreply@loulan.test' } });
  try {
    await api(forum.url, 'POST', '/api/v1/password-reset', { email: 'alice@example.com' });
    await eventually(async () => (await value(forum, 'SELECT COUNT(*) FROM mail_queue WHERE lease > 0')) === '1', 'the mail claimed');
    forum.proc.kill('SIGTERM');
    const { code } = await forum.proc.exited;
    assert.equal(code, 0);
    // the hung conversation was cut short by the shutdown, not ended by its timeout (MAIL_TIMEOUT_S, 60 s)
    const [lease, sent, error] = (await value(forum, 'SELECT lease, sent, error FROM mail_queue')).split('|');
    assert.match(error, /aborted by an application callback/);
    assert.equal(lease, '0', 'released for a later try');
    assert.equal(sent, '0');
  } finally {
    await forum.stop();
    for (const s of sockets) s.destroy();
    silent.close();
  }
});
