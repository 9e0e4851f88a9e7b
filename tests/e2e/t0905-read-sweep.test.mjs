// t0905: the read-permission sweep over the route table.
//
// A board that only admins may view (`loulan board perm --view 0` for every
// other group) holds two threads, a reply, an edit (history), a like, a rating
// and a report, all carrying marker strings. Then every GET route of
// src/pages/routes.c (web and API) is requested with its '*' filled in from
// the hidden board, thread, post and member, as a guest, as the member who
// wrote the hidden posts and as a member who never posted there (cookies for
// the web, bearer tokens for the API) and as a moderator without it (the
// report queue); redirects are followed. No answer may
// contain a marker (the hidden board's name, a title, a body, a reason),
// a route directly about the hidden object must not answer 200, and no
// Location may name a hidden id that the request did not. FILL below must
// have a line for every GET route of the table, so a new route fails here
// until it is swept (docs/HACKING.md, "Read permission").
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, eventually, makeImage, upload, sql, openEvents } from './lib.mjs';
import { routeTable, api, token, webLogin, addBoard as add, cliPost, PW } from './sweep.mjs';

const USERS = [
  { name: 'alice', password: PW }, { name: 'bob', password: PW }, { name: 'carol', password: PW },
  { name: 'root', password: PW, admin: true }, { name: 'mod', password: PW },
];
const M = {
  board: 'Zq7BoardMark', title: 'Zq7TitleMark', title2: 'Zq7SecondMark', body: 'Zq7BodyMark',
  edited: 'Zq7EditMark', reply: 'Zq7ReplyMark', rate: 'Zq7RateMark', report: 'Zq7ReportMark',
};
// every group but 管理员 (1): moderators, the banned, guests, pending and all member ranks
const NOT_ADMIN = [2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15];

/*
** For each GET route: the paths to request (ids from the hidden objects: H board,
** T1/T2 threads, P1 first floor, P2 reply, A alice and B bob who wrote them; V/VT a visible board
** and thread) and whether the route is directly about a hidden object (never 200).
** Adding a GET route to routes.c means adding one line here.
*/
const FILL = (x) => ({
  '/': { paths: ['/'] },
  '/f/*': { direct: true, paths: [`/f/${x.H}`, `/f/${x.H}?page=1`, `/f/${x.H}?typeid=1`] },
  '/t/*': { direct: true, paths: [`/t/${x.T1}`, `/t/${x.T1}?page=1`, `/t/${x.T1}?author=${x.A}`, `/t/${x.T1}?mode=read`] },
  '/t/*/next': { direct: true, paths: [`/t/${x.T1}/next`] },
  '/t/*/prev': { direct: true, paths: [`/t/${x.T2}/prev`] },
  '/u/*': { paths: [`/u/${x.A}`, `/u/${x.B}`, `/u/${x.A}?threads=${x.T2 + 100}`, `/u/${x.B}?replies=${x.P2 + 100}`,
    `/u/${x.A}?threads=${x.T2 + 100}&replies=${x.P2 + 100}`] },   // keyset pages: hidden rows left out
  '/u/*/album': { paths: [`/u/${x.A}/album`, `/u/${x.A}/album?before=${x.AT + 10}`] },   // a list: hidden images left out
  '/login': { paths: ['/login', `/login?next=/t/${x.T1}`] },
  '/register': { paths: ['/register'] },
  '/welcome': { paths: ['/welcome', `/welcome?next=/t/${x.T1}`] },
  '/settings': { paths: ['/settings'] },
  '/settings/password': { paths: ['/settings/password'] },
  '/settings/sessions': { paths: ['/settings/sessions'] },
  '/f/*/new': { direct: true, paths: [`/f/${x.H}/new`] },
  '/t/*/reply': { direct: true, paths: [`/t/${x.T1}/reply`, `/t/${x.T1}/reply?quote=${x.P1}`, `/t/${x.VT}/reply?quote=${x.P1}`] },
  '/p/*': { direct: true, paths: [`/p/${x.P1}`, `/p/${x.P2}`] },
  '/p/*/edit': { direct: true, paths: [`/p/${x.P1}/edit`, `/p/${x.P2}/edit`] },
  '/p/*/history': { direct: true, paths: [`/p/${x.P1}/history`] },
  '/p/*/rate': { direct: true, paths: [`/p/${x.P2}/rate`, `/p/${x.P1}/rate`] },
  '/p/*/report': { direct: true, paths: [`/p/${x.P1}/report`] },
  '/p/*/likes': { direct: true, paths: [`/p/${x.P1}/likes`] },
  '/f/*/credits': { direct: true, paths: [`/f/${x.H}/credits`] },
  '/modcp/reports': { paths: ['/modcp/reports', '/modcp/reports?status=handled'] },
  // admin panel (pages/admin.c): admins only, 403 for every group in NOT_ADMIN
  '/admin': { paths: ['/admin'] },
  '/admin/boards': { paths: ['/admin/boards', `/admin/boards?fid=${x.H}`] },
  '/admin/groups': { paths: ['/admin/groups'] },
  '/admin/users': { paths: ['/admin/users', '/admin/users?q=a', '/admin/users?q=127.0.0.1'] },
  '/admin/users/*': { paths: [`/admin/users/${x.A}`] },
  '/admin/credits': { paths: ['/admin/credits'] },
  '/admin/log': { paths: ['/admin/log'] },
  '/admin/ipbans': { paths: ['/admin/ipbans'] },
  // moderation (#12)
  '/t/*/moderate': { direct: true, paths: [`/t/${x.T1}/moderate`, `/t/${x.T2}/moderate`] },
  '/modcp/recycle': { paths: ['/modcp/recycle'] },
  '/modcp/log': { paths: ['/modcp/log'] },
  '/api/v1/me': { paths: ['/api/v1/me'] },
  // members: bans, 小黑屋, IP bans (pages/ban.c)
  '/u/*/ban': { direct: true, paths: [`/u/${x.A}/ban?pid=${x.P1}`, `/u/${x.B}/ban?pid=${x.P2}`] },
  '/blacklist': { paths: ['/blacklist'] },
  '/modcp/ipbans': { paths: ['/modcp/ipbans'] },   // 301 to /admin/ipbans
  '/api/v1/blacklist': { paths: ['/api/v1/blacklist'] },
  // the API's description and its page (issue 17): the same for everyone, no forum data
  '/api/v1/openapi.json': { paths: ['/api/v1/openapi.json'] },
  '/api/docs': { paths: ['/api/docs'] },
  '/api/v1/ipbans': { paths: ['/api/v1/ipbans'] },
  // 审核 (pages/approve.c)
  '/pending': { paths: ['/pending', '/pending?held=1'] },
  '/modcp/pending': { paths: ['/modcp/pending'] },
  '/api/v1/pending': { paths: ['/api/v1/pending'] },
  // operations (pages/ops.c): no forum content
  '/metrics': { paths: ['/metrics'] },
  '/healthz': { paths: ['/healthz'] },
  '/api/v1/boards': { paths: ['/api/v1/boards'] },
  '/api/v1/boards/*/threads': { direct: true, paths: [`/api/v1/boards/${x.H}/threads`, `/api/v1/boards/${x.H}/threads?page=1`] },
  '/api/v1/threads/*': { direct: true, paths: [`/api/v1/threads/${x.T1}`, `/api/v1/threads/${x.T1}?page=1`] },
  '/api/v1/reports': { paths: ['/api/v1/reports'] },
  '/api/v1/users/*': { paths: [`/api/v1/users/${x.A}`] },
  '/api/v1/me/credits': { paths: ['/api/v1/me/credits'] },
  // search: every marker, lower-cased (the search folds case; the page echoes the query as typed), the
  // hidden board's Chinese words, and its fid as a filter; the Discuz! form's 301 followed
  '/search': { paths: [...Object.values(M).map((m) => `/search?q=${m.toLowerCase()}`), `/search?q=${encodeURIComponent('机密 OR 其二')}`,
    `/search?q=${M.body.toLowerCase()}&fid=${x.H}`, `/search?q=${M.title.toLowerCase()}&titles=1&sort=new`] },
  '/api/v1/search': { paths: [...Object.values(M).map((m) => `/api/v1/search?q=${m.toLowerCase()}`),
    `/api/v1/search?q=${encodeURIComponent('机密 OR 其二')}&fid=${x.H}`, `/api/v1/search?q=${M.reply.toLowerCase()}&author=bob`] },
  '/search.php': { paths: [`/search.php?mod=forum&srchtxt=${M.title.toLowerCase()}&srchfid=${x.H}`] },
  '/forum.php': { paths: ['/forum.php', `/forum.php?mod=viewthread&tid=${x.T1}&authorid=${x.A}&ordertype=1`, `/forum.php?gid=1`,
    `/forum.php?mod=redirect&goto=lastpost&tid=${x.T1}`, `/forum.php?mod=redirect&goto=nextoldset&tid=${x.T1}`, `/forum.php?mod=redirect&ptid=${x.T1}`,
    `/forum.php?mod=viewthread&tid=${x.T1}`, `/forum.php?mod=forumdisplay&fid=${x.H}`,
    `/forum.php?mod=redirect&goto=findpost&pid=${x.P1}`, '/forum.php?mod=guide&view=hot', `/forum.php?mod=rss&fid=${x.H}`,
    `/forum.php?mod=attachment&aid=${x.AT}`, `/forum.php?mod=attachment&aid=${x.AT}&findpost=1`,
    '/forum.php?mod=misc&action=showdarkroom'] },
  // discovery (issue 14): lists skip the hidden board; the Archiver's board and thread forms are about it
  '/ranklist': { paths: ['/ranklist', '/ranklist?list=views&period=all', '/ranklist?list=likes&period=week',
    '/ranklist?list=replies&period=today', '/ranklist?list=credits', '/ranklist?list=today', '/ranklist?list=posts'] },
  '/guide': { paths: ['/guide', '/guide?view=newthread', '/guide?view=new', '/guide?view=digest', '/guide?view=hot'] },
  '/archiver/': { direct: true, paths: [`/archiver/?fid-${x.H}.html`, `/archiver/?fid-${x.H}-page-1.html`,
    `/archiver/?tid-${x.T1}.html`, `/archiver/?tid-${x.T1}-page-1.html`], lists: ['/archiver/'] },
  '/rss': { paths: ['/rss'] },
  '/f/*/rss': { direct: true, paths: [`/f/${x.H}/rss`] },
  '/sitemap.xml': { paths: ['/sitemap.xml'] },
  '/sitemap/*': { paths: ['/sitemap/boards.xml', '/sitemap/t-0.xml'] },
  '/mobile': { paths: ['/mobile', `/mobile?to=pc&back=/f/${x.H}`] },
  '/misc.php': { paths: ['/misc.php?mod=ranklist', '/misc.php?mod=ranklist&type=member'] },
  // attachments and avatars (issue #13)
  '/a/*/*': { direct: true, paths: [`/a/${x.AT}/o`, `/a/${x.AT}/display`, `/a/${x.AT}/thumb`, `/a/${x.AT}/name.txt`] },
  // download counts of cards: a hidden board's aid is left out ({}), checked by counts below
  '/api/v1/attachments/counts': { paths: [`/api/v1/attachments/counts?aids=${x.AT}`, `/api/v1/attachments/counts?aids=${x.AT},1`] },
  '/attachments/counts': { paths: [`/attachments/counts?aids=${x.AT}`] },
  '/avatar/*/*': { paths: [`/avatar/${x.A}/48`, `/avatar/${x.B}/200`] },
  '/settings/avatar': { paths: ['/settings/avatar'] },
  // 提醒 (issue #15): rows about the hidden board (the like and rating of its posts) are left out
  '/notifications': { paths: ['/notifications', '/notifications?unread=1'] },
  '/api/v1/notifications': { paths: ['/api/v1/notifications', '/api/v1/notifications?unread=1'] },
  '/settings/notifications': { paths: ['/settings/notifications'] },
  '/t/*/follow': { direct: true, paths: [`/t/${x.T1}/follow`] },
  '/mentions': { paths: ['/mentions?q=al'] },
  '/api/v1/mentions': { paths: ['/api/v1/mentions?q=al'] },
  // live replies and counters: Server-Sent Events (issue #15); a 200 stream is read for a moment
  '/t/*/events': { direct: true, stream: true, paths: [`/t/${x.T1}/events`, `/t/${x.T1}/events?after=1`] },
  '/events': { stream: true, paths: ['/events'] },
  // 短消息 and profiles (P2, issue #15): nothing of a board; a conversation is its members' only
  '/pm': { paths: ['/pm', '/pm?before=1_1'] },
  '/pm/new': { paths: ['/pm/new', '/pm/new?to=alice'] },
  '/pm/blocks': { paths: ['/pm/blocks'] },
  '/pm/reports': { paths: ['/pm/reports'] },
  '/pm/*': { paths: ['/pm/1', `/pm/${x.P1}`] },
  '/api/v1/messages': { paths: ['/api/v1/messages'] },
  '/api/v1/messages/*': { paths: ['/api/v1/messages/1'] },
  '/settings/profile': { paths: ['/settings/profile'] },
  '/home.php': { paths: [`/home.php?mod=space&uid=${x.A}`, '/home.php?mod=space&username=alice&do=profile', '/home.php?mod=space&do=pm', '/home.php?mod=spacecp&ac=profile'] },
  '/static/*': { paths: ['/static/loulan.css'] },
  '/favicon.ico': { paths: ['/favicon.ico'] },
  '/robots.txt': { paths: ['/robots.txt'] },
  '/*': { paths: [`/thread-${x.T1}-1-1.html`, `/forum-${x.H}-1.html`] },
  // mail, 找回密码, Email, 收藏, 分享 (issue #15)
  '/lostpasswd': { paths: ['/lostpasswd', '/lostpasswd?sent=1'] },
  '/lostpasswd/reset': { paths: ['/lostpasswd/reset', `/lostpasswd/reset?token=${'a'.repeat(64)}`] },
  '/settings/email': { paths: ['/settings/email', '/settings/email?confirmed=1'] },
  '/settings/email/confirm': { paths: [`/settings/email/confirm?token=${'b'.repeat(64)}`] },
  '/favorites': { paths: ['/favorites', `/favorites?before=9999999999_${x.T1 + 1}`] },   // a list: the hidden thread left out
  '/t/*/qr.svg': { direct: true, paths: [`/t/${x.T1}/qr.svg`] },
  '/t/*/share/*': { direct: true, paths: [`/t/${x.T1}/share/weibo`, `/t/${x.T1}/share/qq`] },
  '/member.php': { paths: ['/member.php?mod=lostpasswd', '/member.php?mod=register'] },
  // old Discuz! URLs (issue 18, discuz.c): 6/7 forms, Archiver files, old attachment paths (legacy_path: below), avatars
  '/viewthread.php': { paths: [`/viewthread.php?tid=${x.T1}`, `/viewthread.php?tid=${x.T1}&page=2`] },
  '/forumdisplay.php': { paths: [`/forumdisplay.php?fid=${x.H}`] },
  '/redirect.php': { paths: [`/redirect.php?goto=findpost&pid=${x.P1}&ptid=${x.T1}`, `/redirect.php?goto=lastpost&tid=${x.T1}`,
    `/redirect.php?goto=nextnewset&tid=${x.T1}`, `/redirect.php?goto=findpost&ptid=${x.T1}&postno=2`] },
  '/space.php': { paths: [`/space.php?uid=${x.A}`] },
  '/archiver/*': { paths: [`/archiver/tid-${x.T1}.html`, `/archiver/fid-${x.H}.html`, `/archiver/index.php?tid-${x.T1}.html`] },
  '/data/attachment/forum/*': { paths: ['/data/attachment/forum/sweep.jpg'] },
  '/data/attachment/forum/*/*': { paths: ['/data/attachment/forum/202311/sweep.jpg'] },
  '/data/attachment/forum/*/*/*': { paths: ['/data/attachment/forum/202311/05/sweep.jpg', '/data/attachment/forum/202311/05/sweep.jpg.thumb.jpg'] },
  '/uc_server/avatar.php': { paths: [`/uc_server/avatar.php?uid=${x.A}&size=big`] },
  '/api/avatar/index.php': { paths: [`/api/avatar/index.php?uid=${x.A}`] },
});

/** A viewer: how it sends a GET (cookies for the web, a bearer token for the API). */
function viewer(forum, name, client, tok) {
  return {
    name,
    /** an event stream: what came within half a second (a 200 stream never ends by itself) */
    async stream(p) {
      const s = await openEvents(forum.url + p, { headers: client && client.cookies.size ? { cookie: client.cookieHeader() } : {} });
      await new Promise((r) => setTimeout(r, 500));
      s.close();
      return { status: s.status, headers: new Headers(Object.entries(s.headers).filter(([, v]) => typeof v === 'string')), text: s.text };
    },
    get(p) {
      if (p.startsWith('/api/')) return get(forum.url + p, tok ? { headers: { authorization: `Bearer ${tok}` } } : {});
      return client ? client.get(p) : get(forum.url + p);
    },
  };
}

/** GET p as v, following local redirects (at most 4): every hop as [path, response]. */
async function fetchChain(v, p, stream = false) {
  const hops = [];
  for (let i = 0; i < 5; i++) {
    const r = stream ? await v.stream(p) : await v.get(p);
    hops.push([p, r]);
    const loc = r.headers.get('location');
    if (r.status < 300 || r.status >= 400 || !loc || !loc.startsWith('/') || loc.startsWith('//')) break;
    p = loc;
  }
  return hops;
}

test('read sweep: no GET route shows a hidden board to guests or members without the view right', async () => {
  await withForum({ demo: false, users: USERS, config: { 'post.flood_seconds': '0', 'search.max_per_minute': '100000',
    'search.max_per_minute_ip': '100000' } }, async (forum) => {
    const addBoard = (name) => add(forum, name);
    const post = (name, args, body) => cliPost(forum, name, args, body);
    const V = await addBoard('公开版');
    const [VT] = await post('bob', ['--board', String(V), '--subject', '公开主题'], '公开正文');
    // more visible threads and floors first, so that no hidden tid or pid equals another hidden id
    for (let i = 0; i < 3; i++) await post('carol', ['--board', String(V), '--subject', `公开 ${i}`], `正文 ${i}`);
    for (let i = 0; i < 3; i++) await post('carol', ['--thread', String(VT)], `回复 ${i}`);
    const H = await addBoard(`${M.board} 秘密版`);
    const [T1, P1] = await post('alice', ['--board', String(H), '--subject', `${M.title} 机密`], `${M.body} 正文`);
    const [, P2] = await post('bob', ['--thread', String(T1)], `${M.reply} 回复`);
    const [T2] = await post('alice', ['--board', String(H), '--subject', `${M.title2} 其二`], `${M.body} 其二`);
    const g = await forum.run(['board', 'mod', '--fid', String(H), '--name', 'mod']);   // 版主 of H: the report queue
    assert.equal(g.code, 0, g.stderr);
    const tokAlice = await token(forum, 'alice');
    const tokCarol = await token(forum, 'carol');
    const tokRoot = await token(forum, 'root');
    // an attachment of the hidden post (its name and bytes carry a marker)
    const fd = new FormData();
    fd.append('file', new Blob([`${M.body} 附件内容`]), `${M.title}.txt`);
    const up = await fetch(`${forum.url}/api/v1/attachments`, { method: 'POST', body: fd, headers: { authorization: `Bearer ${tokAlice}` } });
    assert.equal(up.status, 201, await up.clone().text());
    const AT = (await up.json()).aid;
    // its old Discuz! file paths (import-discuz fills legacy_path): /data/attachment/forum/... lead to /a/AT/o, which checks
    await sql(forum, `INSERT INTO legacy_path(path, aid) VALUES ('sweep.jpg', ${AT}), ('202311/sweep.jpg', ${AT}), ('202311/05/sweep.jpg', ${AT})`);
    // and an image of it, in alice's album (its name carries a marker)
    const img = await upload(forum.url, tokAlice, `${M.title}.png`, makeImage(40, 30, 'png', 905));
    assert.equal(img.status, 201, img.text);
    let r = await api(forum, 'PATCH', `/api/v1/posts/${P1}`, tokAlice, { body: `${M.body} ${M.edited} [attach]${AT}[/attach] [attach]${img.json.aid}[/attach]` });
    assert.equal(r.status, 200, r.text);
    assert.equal((await api(forum, 'POST', `/api/v1/posts/${P1}/like`, tokCarol)).status, 200);
    r = await api(forum, 'POST', `/api/v1/posts/${P2}/rate`, tokRoot, { credit: '威望', score: 1, reason: M.rate });
    assert.equal(r.status, 200, r.text);
    r = await api(forum, 'POST', `/api/v1/posts/${P1}/report`, tokCarol, { reason: M.report });
    assert.equal(r.status, 201, r.text);
    // 收藏 (issue #15): alice and carol keep the hidden thread; /favorites leaves it out once hidden
    for (const t of [tokAlice, tokCarol]) assert.equal((await api(forum, 'POST', `/api/v1/threads/${T1}/favorite`, t)).status, 200);
    // moderation: T2 a global sticky (shown on every board), T3 in the recycle bin, both in the log
    r = await api(forum, 'POST', `/api/v1/threads/${T2}/moderate`, tokRoot, { action: 'stick', level: 3, reason: M.rate });
    assert.equal(r.status, 200, r.text);
    const [T3] = await post('alice', ['--board', String(H), '--subject', `${M.title2} 回收`], `${M.body} 其三`);
    r = await api(forum, 'POST', `/api/v1/threads/${T3}/moderate`, tokRoot, { action: 'delete' });
    assert.equal(r.status, 200, r.text);
    const A = Number((await api(forum, 'GET', '/api/v1/me', tokAlice)).json().uid);
    const B = Number((await api(forum, 'GET', '/api/v1/me', await token(forum, 'bob'))).json().uid);
    const ids = { H, T1, T2, P1, P2, A, B, V, VT, AT };

    // The markers are really on these pages while the board is open (the sweep can fail).
    const alice = await webLogin(forum, 'alice');
    const carol = await webLogin(forum, 'carol');
    const mod = await webLogin(forum, 'mod');
    const tokMod = await token(forum, 'mod');
    await eventually(async () => (await api(forum, 'GET', '/api/v1/reports', tokMod)).status === 200, 'the moderator cache');
    const open = [
      ['/', [M.board]], [`/t/${T1}`, [M.title, M.edited, M.reply, M.rate]], [`/u/${A}`, [M.title]],
      ['/api/v1/boards', [M.board]], [`/api/v1/threads/${T1}`, [M.edited]], [`/api/v1/boards/${H}/threads`, [M.title]],
      [`/f/${V}`, [M.title2]], [`/api/v1/boards/${V}/threads`, [M.title2]], ['/modcp/log', [M.board, M.rate]],
      ['/modcp/recycle', [M.title2]],
      [`/a/${AT}/o`, [M.body]], [`/u/${A}/album`, [M.title]], [`/p/${P1}/likes`, [M.title]], ['/modcp/reports', [M.report]], ['/api/v1/reports', [M.report]], [`/p/${P1}/history`, [M.body]], [`/t/${T1}/reply?quote=${P1}`, [M.edited]],
      ['/ranklist', [M.title]], ['/guide?view=newthread', [M.title]], [`/archiver/?tid-${T1}.html`, [M.edited]],
      ['/rss', [M.title]], [`/f/${H}/rss`, [M.title]], ['/favorites', [M.title]],
      [`/search?q=${M.edited.toLowerCase()}`, [M.title, M.edited]], [`/api/v1/search?q=${M.reply.toLowerCase()}`, [M.reply]],
    ];
    for (const [p, want] of open) {
      const v = p.includes('history') || p.includes('reply') || p.includes('favorites') ? viewer(forum, 'alice', alice, tokAlice)
        : p.includes('reports') || p.includes('modcp') ? viewer(forum, 'mod', mod, tokMod) : viewer(forum, 'guest');
      const res = await v.get(p);
      assert.equal(res.status, 200, `open board: ${p}`);
      for (const w of want) assert.ok(res.text.includes(w), `open board: ${p} shows ${w}`);
    }

    // Close the board to everyone but admins.
    for (const g of NOT_ADMIN) {
      r = await forum.run(['board', 'perm', '--fid', String(H), '--group', String(g), '--view', '0']);
      assert.equal(r.code, 0, r.stderr);
    }
    await eventually(async () => (await get(`${forum.url}/f/${H}`)).status === 403, 'the server to reload board permissions');
    await eventually(async () => (await alice.get(`/f/${H}`)).status === 403, 'the reload for members');

    // The fill rules cover the table: a GET route without a line fails here.
    const fill = FILL(ids);
    const gets = [...new Set(routeTable().filter((t) => t.methods === 'GET').map((t) => t.pattern))].sort();
    assert.deepEqual(Object.keys(fill).sort(), gets, 'FILL has a line for every GET route of src/pages/routes.c');

    const hiddenIds = [H, T1, T2, P1, P2].map(String);
    assert.equal(new Set(hiddenIds).size, hiddenIds.length, `distinct hidden ids ${hiddenIds}`);
    const viewers = [
      viewer(forum, 'guest'),
      viewer(forum, 'alice (author, no view right)', alice, tokAlice),
      viewer(forum, 'carol (member, no view right)', carol, tokCarol),
      viewer(forum, 'mod (版主, no view right)', mod, tokMod),
    ];
    const markers = Object.values(M);
    let requests = 0;
    const leaks = [];   // every failure, so one run lists them all
    const check = (ok, msg) => { if (!ok && !leaks.includes(msg)) leaks.push(msg); };
    for (const v of viewers) {
      for (const [pattern, rule] of Object.entries(fill)) {
        for (const p of [...rule.paths, ...(rule.lists ?? [])]) {   // lists: pages of the same route that are not about the object
          const hops = await fetchChain(v, p, rule.stream);
          requests += hops.length;
          for (const [hp, res] of hops) {
            const what = `${v.name}: GET ${hp}${hp === p ? '' : ` (via ${p})`} [${pattern}] -> ${res.status}`;
            check(res.status < 500, `${what}: ${res.text.slice(0, 300)}`);
            for (const m of markers) check(!res.text.includes(m), `${what} shows the hidden ${m}`);
            const loc = res.headers.get('location') ?? '';
            for (const id of hiddenIds) {
              const named = new RegExp(`(?<![0-9])${id}(?![0-9])`);
              check(!named.test(loc) || named.test(p), `${what}: Location ${loc} names hidden id ${id}`);
            }
          }
          const last = hops[hops.length - 1][1];
          check(!rule.direct || (rule.lists ?? []).includes(p) || last.status !== 200,
            `${v.name}: GET ${p} [${pattern}] answers 200 about a hidden object`);
        }
      }
    }
    assert.deepEqual(leaks, [], `${leaks.length} leaks:\n${leaks.join('\n')}`);
    // a hidden board's download counts are left out for all of them (a number is no marker)
    for (const v of viewers) {
      for (const p of [`/api/v1/attachments/counts?aids=${AT}`, `/attachments/counts?aids=${AT}`]) {
        const res = await v.get(p);
        assert.equal(res.status, 200, `${v.name}: ${p}`);
        assert.equal(res.text.trim(), '{}', `${v.name}: ${p} names no hidden attachment`);
      }
    }
    assert.ok(requests > 100, `swept ${requests} requests`);

    // Nor may the author change what she can no longer see (API and web, edit and delete).
    r = await api(forum, 'PATCH', `/api/v1/posts/${P1}`, tokAlice, { body: 'changed' });
    assert.equal(r.status, 403, r.text);
    assert.ok(!r.text.includes(M.board) && !r.text.includes(M.title));
    assert.equal((await api(forum, 'DELETE', `/api/v1/posts/${P1}`, tokAlice)).status, 403);
    const { csrf } = alice;   // webLogin keeps the session's token
    r = await alice.post(`/p/${P1}/delete`, { csrf });
    assert.equal(r.status, 403);
    r = await alice.post(`/p/${P1}/edit`, { csrf, body: 'changed' });
    assert.equal(r.status, 403);

    // The admin still sees it all (the check is per group, not a blanket refusal).
    const root = await webLogin(forum, 'root');
    r = await root.get(`/t/${T1}`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(M.title) && r.text.includes(M.reply));
    assert.ok((await root.get('/')).text.includes(M.board));
    assert.match((await root.get(`/attachments/counts?aids=${AT}`)).text, new RegExp(`"${AT}"`), 'the admin gets the count');
    r = await api(forum, 'GET', `/api/v1/threads/${T1}`, tokRoot);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(M.edited), 'the refused edit changed nothing');
    assert.equal(r.json().floors[0].deleted, false, 'the refused delete changed nothing');
    assert.ok((await api(forum, 'GET', '/api/v1/boards', tokRoot)).text.includes(M.board));
    r = await root.get(`/t/${T1}/next`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), `/t/${T2}`);
    // and the visible board is still listed for everyone
    assert.ok((await get(`${forum.url}/`)).text.includes('公开版'));
    const boards = (await api(forum, 'GET', '/api/v1/boards')).json().boards.map((b) => b.fid);
    assert.deepEqual(boards, [V]);
    // the API refusal is JSON
    r = await api(forum, 'GET', `/api/v1/threads/${T1}`, tokCarol);
    assert.equal(r.status, 403);
    assert.equal(r.json().error.code, 'forbidden');
  });
});
