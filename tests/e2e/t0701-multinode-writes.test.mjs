// t0701: two nodes on one PostgreSQL database share accounts and sessions, and
// a node stopped in the middle of a write stream loses nothing it acknowledged.
// PostgreSQL only: skipped unless LOULAN_TEST_PG is set.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, psql, Client, csrfOf, PW, apiToken, api } from './lib.mjs';

const PG = process.env.LOULAN_TEST_PG;
const skip = PG ? false : 'multi-node needs PostgreSQL: set LOULAN_TEST_PG (scripts/pg.sh url)';

async function sql(db, q) {
  return (await psql(db, `COPY (${q}) TO STDOUT`)).trim();
}

test('register on node A, the same session works on node B (cookie and bearer)', { skip }, async () => {
  const f = await startForum({ demo: true });
  try {
    const b = await f.startNode();
    // register through node A's web form: logged in at once
    const c = new Client(f.url);
    const form = await c.get('/register');
    const reg = await c.post('/register', {
      csrf: csrfOf(form.text), username: '双节点用户', email: 'two@example.com',
      password: PW, password2: PW,
    });
    assert.equal(reg.status, 303, reg.text.slice(0, 500));
    assert.ok(c.cookie('loulan_sid'), 'a session cookie');
    // the same cookie on node B: the header shows the member
    const onB = new Client(b.url);
    onB.cookies.set('loulan_sid', c.cookie('loulan_sid'));
    const page = await onB.get('/');
    assert.equal(page.status, 200);
    assert.match(page.text, /class="me" href="\/u\/\d+"[^>]*>双节点用户</);
    // a bearer token made on A works on B; logging out on B ends it on A
    const tok = await apiToken(f.url, '双节点用户');
    const me = await api(b.url, 'GET', '/api/v1/me', undefined, tok);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.username, '双节点用户');
    assert.equal((await api(b.url, 'DELETE', '/api/v1/session', undefined, tok)).status, 204);
    assert.equal((await api(f.url, 'GET', '/api/v1/me', undefined, tok)).status, 401);
    await b.stop();
  } finally {
    await f.stop();
  }
});

test('node A stopped mid-write: every acknowledged reply is stored, floors have no gaps, B keeps writing', { skip }, async () => {
  const users = ['w1', 'w2', 'w3'].map((name) => ({ name, password: PW }));
  const f = await startForum({ demo: true, users, config: { 'post.flood_seconds': '0' } });
  let stopped = false;
  try {
    const b = await f.startNode();
    const toks = await Promise.all(users.map((u) => apiToken(f.url, u.name)));
    const nt = await api(f.url, 'POST', '/api/v1/boards/1/threads', { title: '写入中停机', body: '一楼' }, toks[0]);
    assert.equal(nt.status, 201, nt.text);
    const tid = nt.json.tid;
    const acked = [];
    let failedAfterStop = 0;
    // three writers on node A until it goes away
    const writers = toks.map((tok, w) => (async () => {
      for (let i = 0; i < 400; i++) {
        try {
          const r = await api(f.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: `w${w} #${i}` }, tok);
          if (r.status === 201) acked.push(r.json.pid);
          else if (!stopped) assert.fail(`reply refused before the stop: ${r.status} ${r.text}`);
        } catch {
          failedAfterStop++;   // connection refused or reset: node A is gone
          break;
        }
      }
    })());
    await new Promise((res) => setTimeout(res, 400));
    stopped = true;
    f.proc.kill('SIGTERM');
    const exit = await f.proc.exited;
    assert.equal(exit.code, 0, `node A exit: ${f.stderr()}`);
    await Promise.all(writers);
    assert.ok(acked.length > 0, 'some replies were acknowledged before the stop');
    // every acknowledged reply is in the database
    const stored = new Set((await sql(f.db, `SELECT pid FROM post WHERE tid = ${tid}`)).split('\n').map(Number));
    for (const pid of acked) assert.ok(stored.has(pid), `acknowledged reply ${pid} is stored`);
    // floors 1..maxposition exactly once, replies counter equal to the rows
    const [maxpos, replies] = (await sql(f.db, `SELECT maxposition, replies FROM thread WHERE tid = ${tid}`)).split('\t').map(Number);
    const positions = (await sql(f.db, `SELECT position FROM post WHERE tid = ${tid} ORDER BY position`)).split('\n').map(Number);
    assert.deepEqual(positions, Array.from({ length: maxpos }, (_, i) => i + 1));
    assert.equal(replies, maxpos - 1);
    // node B still takes writes and shows them
    const more = await api(b.url, 'POST', `/api/v1/threads/${tid}/posts`, { body: '节点B接着写' }, toks[1]);
    assert.equal(more.status, 201, more.text);
    assert.equal(more.json.position, maxpos + 1);
    assert.equal((await get(`${b.url}/t/${tid}?page=${Math.ceil((maxpos + 1) / 10)}`)).text.includes('节点B接着写'), true);
    await b.stop();
  } finally {
    if (!stopped) f.proc.kill('SIGTERM');
    await f.stop();
  }
});
