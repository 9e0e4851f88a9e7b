// t0910: named input limits not crossed elsewhere: the login fields
// (LOGIN_MAX, USER_PASSWORD_MAX), the report reason (REACT_REASON_MAX) and a
// moderator's note on a report (REACT_NOTE_MAX). Each is accepted at the limit
// and refused one past it, with a readable error and nothing changed.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, Client, csrfOf, PW, apiToken, api } from './lib.mjs';

let f;
before(async () => {
  f = await startForum({
    demo: true,
    config: { 'post.flood_seconds': '0' },
    users: [{ name: 'limits', password: PW }, { name: 'modlim', password: PW, admin: true }],
  });
});
after(async () => { await f.stop(); });

test('login: a 101-character name or 129-character password is refused like a wrong password', async () => {
  for (const [username, password] of [['x'.repeat(101), PW], ['limits', 'p'.repeat(129)]]) {
    const c = new Client(f.url);
    const form = await c.get('/login');
    const r = await c.post('/login', { csrf: csrfOf(form.text), username, password });
    assert.equal(r.status, 403, `web login ${username.length}/${password.length}`);
    assert.match(r.text, /用户名或密码错误/);
    assert.equal(c.cookie('loulan_sid'), undefined);
    const a = await new Client(f.url).postJSON('/api/v1/session', { username, password });
    assert.equal(a.status, 401);
  }
  // the same account still logs in (the long attempts did not lock it out by themselves)
  assert.ok(await apiToken(f.url, 'limits'));
});

test('registration: a password over USER_PASSWORD_MAX (128) is refused with a message', async () => {
  const c = new Client(f.url);
  const form = await c.get('/register');
  const long = 'p'.repeat(129);
  const r = await c.post('/register', { csrf: csrfOf(form.text), username: '长密码', email: 'long@example.com', password: long, password2: long });
  assert.equal(r.status, 400);
  assert.match(r.text, /密码/);
  const ok = 'p'.repeat(128);
  const r2 = await c.post('/register', { csrf: csrfOf(r.text), username: '长密码', email: 'long@example.com', password: ok, password2: ok });
  assert.equal(r2.status, 303, r2.text.slice(0, 400));
});

test('report reason (100) and moderator note (200): at the limit accepted, one past refused', async () => {
  const tok = await apiToken(f.url, 'limits');
  const mod = await apiToken(f.url, 'modlim');
  const th = await api(f.url, 'GET', '/api/v1/threads/2');
  const pid = th.json.floors[0].pid;
  const tooLong = await api(f.url, 'POST', `/api/v1/posts/${pid}/report`, { reason: '理'.repeat(101) }, tok);
  assert.equal(tooLong.status, 400, tooLong.text);
  const rep = await api(f.url, 'POST', `/api/v1/posts/${pid}/report`, { reason: '理'.repeat(100) }, tok);
  assert.equal(rep.status, 201, rep.text);
  const id = rep.json.id;
  const badNote = await api(f.url, 'POST', `/api/v1/reports/${id}/handle`, { note: '注'.repeat(201) }, mod);
  assert.equal(badNote.status, 400, badNote.text);
  const queue = await api(f.url, 'GET', '/api/v1/reports', undefined, mod);
  assert.equal(queue.json.reports.find((x) => x.id === id)?.status, 'open', 'the refused note changed nothing');
  const okNote = await api(f.url, 'POST', `/api/v1/reports/${id}/handle`, { note: '注'.repeat(200) }, mod);
  assert.equal(okNote.status, 200, okNote.text);
});
