// t1700: the JSON API described (issue 17). GET /api/v1/openapi.json is an
// OpenAPI 3.1 document of every API route (test_routes.c compares it with the
// route table); /api/docs is a Chinese page rendered from it; every JSON body
// field a route does not list is a 400 naming it, on every route with a body
// (a sweep over the description); lists carry next_url; times come as Unix
// seconds and ISO 8601. lib.mjs validates every API answer of the e2e suite
// against the description: the last test shows that this check can fail.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startForum, get, api, apiToken, checkApiAnswer, checkApiRequest, queriesOf, textOf, PW, gen, postIds } from './lib.mjs';

let forum;
let root;
before(async () => {
  forum = await startForum({ demo: true, users: [{ name: 'root', password: PW, admin: true }, { name: 'bob', password: PW }], config: { 'post.flood_seconds': 0 } });
  root = await apiToken(forum.url, 'root');
});
after(async () => { await forum?.stop(); });

async function spec() {
  const r = await get(forum.url + '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  return r.json();
}

test('openapi.json: OpenAPI 3.1, every operation with summary, tag, security and answers', async () => {
  const s = await spec();
  assert.equal(s.openapi, '3.1.0');
  assert.ok(s.components.securitySchemes.bearer);
  const tags = new Set(s.tags.map((t) => t.name));
  let n = 0;
  for (const [p, ops] of Object.entries(s.paths)) {
    assert.match(p, /^\/api\/v1\//, p);
    for (const [m, op] of Object.entries(ops)) {
      n++;
      assert.ok(['get', 'post', 'patch', 'delete', 'put'].includes(m), `${m} ${p}`);
      assert.equal(typeof op.summary, 'string', `${m} ${p} summary`);
      assert.ok(tags.has(op.tags?.[0]), `${m} ${p} has a declared tag`);
      assert.ok(Array.isArray(op.security), `${m} ${p} security`);
      assert.ok(Object.keys(op.responses).some((c) => /^2/.test(c)), `${m} ${p} has a success answer`);
      for (const name of p.match(/\{[^}]+\}/g) ?? []) {
        assert.ok(op.parameters?.some((x) => x.in === 'path' && `{${x.name}}` === name), `${m} ${p}: path parameter ${name} described`);
      }
      // every $ref resolves
      for (const ref of JSON.stringify(op).match(/"#\/components\/[^"]+"/g) ?? []) {
        const [, sec, name] = JSON.parse(ref).split('/').slice(1);
        assert.ok(s.components[sec]?.[name], `${m} ${p}: ${ref} resolves`);
      }
    }
  }
  assert.ok(n >= 39, `${n} operations`);
  // the routes of the brief are there
  for (const [p, m] of [['/api/v1/boards/{fid}/threads', 'post'], ['/api/v1/threads/{tid}', 'get'], ['/api/v1/session', 'delete'],
    ['/api/v1/openapi.json', 'get'], ['/api/v1/search', 'get'], ['/api/v1/pending', 'post']]) {
    assert.ok(s.paths[p]?.[m], `${m} ${p}`);
  }
  assert.deepEqual(s.paths['/api/v1/me'].get.security, [{ bearer: [] }]);
  assert.deepEqual(s.paths['/api/v1/boards'].get.security, [{}, { bearer: [] }]);
});

test('/api/docs: a Chinese page of every operation, from the description; few queries', async () => {
  const s = await spec();
  const r = await get(forum.url + '/api/docs');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /<html lang="zh/);
  assert.ok(queriesOf(r.text) <= 3, `${queriesOf(r.text)} queries`);
  const text = textOf(r.text);
  assert.match(text, /JSON 接口参考/);
  for (const [p, ops] of Object.entries(s.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      assert.ok(r.text.includes(`<code class="api-path">${p}</code>`), `${m} ${p} on the page`);
      assert.ok(text.includes(op.summary), `${op.summary} on the page`);
    }
  }
  for (const name of Object.keys(s.components.schemas)) assert.ok(r.text.includes(`id="schema-${name}"`), name);
  // body fields, their types and the members-only mark
  assert.match(r.text, /<code>forbidreprint<\/code>/);
  assert.match(r.text, /需要登录/);
  assert.match(r.text, /href="\/api\/v1\/openapi.json"/);
  assert.doesNotMatch(r.text, /<script[^>]+src="http/);   // no CDN
  // a member sees the same reference
  const m = await get(forum.url + '/api/docs', { headers: { authorization: `Bearer ${root}` } });
  assert.equal(m.status, 200);
});

test('unknown body fields are a 400 naming the field, on every route with a JSON body', async () => {
  const s = await spec();
  let swept = 0;
  for (const [p, ops] of Object.entries(s.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      if (!op.requestBody?.content?.['application/json']) continue;
      const url = p.replace(/\{[^}]+\}/g, '1');
      const r = await api(forum.url, m.toUpperCase(), url, { zz_not_a_field: 1 }, root);
      assert.equal(r.status, 400, `${m} ${url}: ${r.text}`);
      assert.equal(r.json.error.code, 'unknown_field', `${m} ${url}: ${r.text}`);
      assert.equal(r.json.error.field, 'zz_not_a_field');
      assert.match(r.json.error.message, /未知字段：zz_not_a_field/);
      swept++;
    }
  }
  assert.ok(swept >= 15, `${swept} routes with a body`);
  // the case: subject for title is refused and named, nothing is posted
  const before = (await api(forum.url, 'GET', '/api/v1/boards/1/threads')).json.board.threads;
  const r = await api(forum.url, 'POST', '/api/v1/boards/1/threads', { subject: '标题', body: '正文内容' }, root);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'subject');
  assert.match(r.json.error.message, /subject/);
  assert.match(r.json.error.message, /title/, 'the message names the fields it takes');
  assert.equal((await api(forum.url, 'GET', '/api/v1/boards/1/threads')).json.board.threads, before);
  // the fields it lists are taken
  const ok = await api(forum.url, 'POST', '/api/v1/boards/1/threads', { title: '标题', body: '正文内容' }, root);
  assert.equal(ok.status, 201, ok.text);
});

test('times as Unix seconds and ISO 8601; lists carry next_url to their next page', async () => {
  const made = await forum.run(['post', '--as-admin', '--name', 'root', '--board', '1', '--subject', '翻页'], '一楼');
  const [tid] = postIds(made.stdout);
  for (let i = 0; i < 12; i++) await forum.run(['post', '--as-admin', '--name', 'root', '--thread', String(tid)], `回复 ${i}`);
  const iso = (t) => new Date(t * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const t1 = await api(forum.url, 'GET', `/api/v1/threads/${tid}`);
  assert.equal(t1.status, 200);
  assert.equal(t1.json.thread.created_iso, iso(t1.json.thread.created));
  assert.equal(t1.json.thread.lastpost_iso, iso(t1.json.thread.lastpost));
  assert.equal(t1.json.floors[0].created_iso, iso(t1.json.floors[0].created));
  assert.equal(t1.json.floors[0].edited_iso, null);
  assert.equal(t1.json.next_url, `/api/v1/threads/${tid}?page=2`);
  const t2 = await api(forum.url, 'GET', t1.json.next_url);
  assert.equal(t2.json.page, 2);
  assert.equal(t2.json.floors[0].position, 11);
  assert.equal(t2.json.next_url, null, 'the last page');
  const me = await api(forum.url, 'GET', '/api/v1/me', undefined, root);
  assert.equal(me.json.regdate_iso, iso(me.json.regdate));
  // a board's thread list, followed to the end by next_url alone
  await gen(forum, { boards: 1, threads: 45, posts: 45 });
  const boards = (await api(forum.url, 'GET', '/api/v1/boards')).json.boards;
  const big = boards.find((b) => b.threads >= 45);
  assert.ok(big, 'the generated board');
  assert.equal(big.lastpost_iso, iso(big.lastpost));
  let next = `/api/v1/boards/${big.fid}/threads`;
  const seen = new Set();
  let pages = 0;
  while (next) {
    const r = await api(forum.url, 'GET', next);
    assert.equal(r.status, 200, r.text);
    for (const t of r.json.threads) if (t.fid === big.fid) seen.add(t.tid);   // not another board's global sticky
    assert.equal(r.json.next_url === null, !r.json.has_more);
    next = r.json.next_url;
    pages++;
  }
  assert.equal(pages, 3);
  assert.equal(seen.size, big.threads);
});

test('attitude "none" takes a 支持 back through the API, and the description lists it', async () => {
  const bob = await apiToken(forum.url, 'bob');
  const made = await forum.run(['post', '--as-admin', '--name', 'root', '--board', '1', '--subject', '表态'], '一楼');
  const [, pid] = postIds(made.stdout);
  const path = `/api/v1/posts/${pid}/attitude`;
  let r = await api(forum.url, 'POST', path, { attitude: 'support' }, bob);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.support, 1);
  // every value the server takes is a documented one (the check can fail: see below)
  for (const attitude of ['support', 'oppose', 'none']) await checkApiRequest(forum.url, 'POST', path, { attitude });
  await assert.rejects(checkApiRequest(forum.url, 'POST', path, { attitude: 'sideways' }), /not what api\/\*\.json describes/);
  r = await api(forum.url, 'POST', path, { attitude: 'none' }, bob);   // the answer is validated by lib.mjs
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.support, r.json.oppose], [0, 0], 'taken back');
  r = await api(forum.url, 'POST', path, { attitude: 'none' }, bob);
  assert.equal(r.status, 200, 'nothing to take back is no error');
  assert.equal(r.json.support, 0);
  r = await api(forum.url, 'POST', path, { attitude: 'support' }, bob);
  assert.equal(r.status, 200, 'a 支持 again after taking it back');
  assert.equal(r.json.support, 1);
});

test('the suite\'s API check fails on what the description does not say', async () => {
  const url = forum.url + '/api/v1/me';
  const good = { uid: 1, username: 'a', groupid: 1, group: 'g', credits: 0, posts: 0, threads: 0, regdate: 1, regdate_iso: '1970-01-01T00:00:01Z', lastvisit: 1, lastvisit_iso: '1970-01-01T00:00:01Z' };
  await checkApiAnswer('GET', url, 200, 'application/json', JSON.stringify(good));
  await assert.rejects(checkApiAnswer('GET', url, 200, 'application/json', JSON.stringify({ ...good, surprise: 1 })),
    /does not match its description[\s\S]*additional/);
  await assert.rejects(checkApiAnswer('GET', url, 200, 'application/json', JSON.stringify({ ...good, uid: 'one' })),
    /does not match/);
  await assert.rejects(checkApiAnswer('GET', url, 418, 'application/json', '{}'), /status 418 is not among the "responses"/);
  await assert.rejects(checkApiAnswer('GET', forum.url + '/api/v1/undescribed/thing', 200, 'application/json', '{}'),
    /in the API description/);
  await assert.rejects(checkApiAnswer('GET', url, 200, 'text/html', '<p>'), /not JSON/);
  // an answer for a route that does not exist is the error body
  await checkApiAnswer('GET', forum.url + '/api/v1/nothing', 404, 'application/json', '{"error":{"code":"not_found","message":"x"}}');
});
