/*
** discover (issue 14): the pages readers and crawlers find content through:
**   /ranklist                 热门排行: threads by replies/views/likes per period, members by credits/posts/today
**   /guide?view=              导读: newthread 最新发表, new 最新回复, hot 热门, digest 精华
**   /archiver/                the text-only Archiver, with Discuz!'s ?fid-N[-page-P].html, ?tid-N[-page-P].html
**   /rss, /f/{fid}/rss        RSS 2.0 of the newest threads
**   /sitemap.xml, /sitemap/{part}  a sitemap index and its parts (guest-visible content only)
**   /robots.txt               names the sitemap
**   /mobile                   the 手机版 switch (also ?mobile=2|yes|no on any page)
**   misc.php?mod=ranklist     301 to /ranklist (forum.php?mod=guide|rss: discuz.c)
** Every list is one keyset query (forum/discover.h) filtered by page_sees.
*/
#include "pages/page.h"
#include "forum/anon.h"
#include "pages/urlparse.h"
#include "forum/discover.h"
#include "util/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *page_when(page *p, time_t t);

/* ---- 手机版 ----------------------------------------------------------------- */

int page_touch(req *r) {
	const char *m = http_query(r, "mobile");
	if (m) {
		if (!strcmp(m, "no") || !strcmp(m, "0")) return 0;
		if (!strcmp(m, "yes") || !strcmp(m, "1") || !strcmp(m, "2")) return 1;
	}
	const char *c = http_cookie(r, MOBILE_COOKIE);
	if (c) return !strcmp(c, "1");
	const char *ua = http_header(r, "User-Agent");
	return ua && (strstr(ua, "Mobile") || strstr(ua, "iPhone") || strstr(ua, "Android"));
}

void page_touch_cookie(page *p) {
	const char *m = http_query(p->r, "mobile");
	if (!m) return;
	if (!strcmp(m, "no") || !strcmp(m, "0")) page_set_cookie(p, MOBILE_COOKIE, "0", MOBILE_COOKIE_AGE);
	else if (!strcmp(m, "yes") || !strcmp(m, "1") || !strcmp(m, "2")) page_set_cookie(p, MOBILE_COOKIE, "1", MOBILE_COOKIE_AGE);
}

/* /mobile?to=pc|touch&back=/path: sets the layout and goes back (a local path only) */
void page_mobile(page *p) {
	const char *to = http_query(p->r, "to");
	int touch = !to || strcmp(to, "pc");
	page_set_cookie(p, MOBILE_COOKIE, touch ? "1" : "0", MOBILE_COOKIE_AGE);
	const char *back = http_query(p->r, "back");
	int ok = back && back[0] == '/' && back[1] != '/' && back[1] != '\\' && strlen(back) <= MOBILE_BACK_MAX;
	for (const char *c = back; ok && *c; c++)
		if ((unsigned char)*c < ' ') ok = 0;
	http_redirect(p->r, 302, ok ? back : "/");
}

/* ---- absolute URLs, excerpts --------------------------------------------- */

/* site.url, else the scheme and Host of the request (checked: letters, digits, ".-:[]") */
const char *page_base_url(page *p) {
	if (p->site->url && *p->site->url) return p->site->url;
	const char *h = http_header(p->r, "Host");
	int ok = h && *h && strlen(h) < 256;
	for (const char *c = h; ok && *c; c++)
		if (!(('a' <= *c && *c <= 'z') || ('A' <= *c && *c <= 'Z') || ('0' <= *c && *c <= '9') || strchr(".-:[]", *c)))
			ok = 0;
	return arena_sprintf(p->a, "%s://%s", p->r->tls || p->site->cookie_secure ? "https" : "http", ok ? h : "localhost");
}

/* the text of sanitized post HTML: tags dropped, the five entities the renderers write decoded, white
   space folded, at most max characters (an ellipsis when cut) */
const char *page_excerpt(arena *a, const char *html, int max) {
	size_t n = strlen(html ? html : "");
	char *out = arena_alloc(a, n + 4);
	size_t o = 0;
	int chars = 0, space = 0, cut = 0;
	for (const char *c = html ? html : ""; *c;) {
		if (*c == '<') {
			const char *e = strchr(c, '>');
			if (!e) break;
			c = e + 1;
			space = 1;
			continue;
		}
		char ch[8];
		size_t cl = 1;
		ch[0] = *c;
		if (*c == '&') {
			static const struct { const char *e, *v; } ents[] = {
				{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}, {"&nbsp;", " "}};
			size_t k;
			for (k = 0; k < sizeof ents / sizeof ents[0]; k++)
				if (!strncmp(c, ents[k].e, strlen(ents[k].e))) break;
			if (k < sizeof ents / sizeof ents[0]) {
				ch[0] = ents[k].v[0];
				c += strlen(ents[k].e);
			} else {
				c++;
			}
		} else {
			unsigned char u = (unsigned char)*c;
			cl = u < 0x80 ? 1 : u < 0xE0 ? 2 : u < 0xF0 ? 3 : 4;
			for (size_t i = 0; i < cl; i++) {
				if (!c[i]) { cl = i; break; }
				ch[i] = c[i];
			}
			if (!cl) break;
			c += cl;
		}
		if (ch[0] == ' ' || ch[0] == '\n' || ch[0] == '\t' || ch[0] == '\r') {
			space = 1;
			continue;
		}
		if (chars >= max) { cut = 1; break; }
		if (space && o) out[o++] = ' ', chars++;
		space = 0;
		memcpy(out + o, ch, cl);
		o += cl;
		chars++;
	}
	if (cut && o + 3 <= n + 3) {
		memcpy(out + o, "\xE2\x80\xA6", 3);   /* … */
		o += 3;
	}
	out[o] = 0;
	return out;
}

/* the first <img src="..."> of sanitized post HTML (for og:image), or NULL */
const char *page_first_image(arena *a, const char *html) {
	const char *img = html ? strstr(html, "<img ") : NULL;
	if (!img) return NULL;
	const char *end = strchr(img, '>');
	const char *src = strstr(img, " src=\"");
	if (!src || (end && src > end)) return NULL;
	src += 6;
	const char *q = strchr(src, '"');
	if (!q || q - src > 1000) return NULL;
	/* the renderer escaped & as &amp; in the attribute */
	char *u = arena_strndup(a, src, (size_t)(q - src));
	char *w = u;
	for (const char *c = u; *c;) {
		if (!strncmp(c, "&amp;", 5)) { *w++ = '&'; c += 5; }
		else *w++ = *c++;
	}
	*w = 0;
	return u;
}

/* ---- rankings and the guide ------------------------------------------------- */

/* ?after=KEY_ID (url_key_cursor); 0 absent or parsed, -1 after a 400 */
static int list_cursor_param(page *p, struct list_cursor *c) {
	const char *s = http_query(p->r, "after");
	memset(c, 0, sizeof *c);
	if (!s) return 0;
	if (url_key_cursor(s, &c->key, &c->id)) {
		page_error(p, 400, "参数无效：翻页位置格式不正确。");
		return -1;
	}
	c->set = 1;
	return 0;
}

/* ?rank=N: the rank of the first row (display only), 1..the list's end */
static int rank_param(page *p, int *rank) {
	const char *s = http_query(p->r, "rank");
	*rank = 1;
	if (!s) return 0;
	int64_t v;
	if (url_id(s, DISCOVER_LIST_MAX * DISCOVER_RANK_PAGES, &v)) {
		page_error(p, 400, "参数无效：名次超出范围。");
		return -1;
	}
	*rank = (int)v;
	return 0;
}

static void tab(page *p, tv *list, const char *name, const char *url, int current) {
	tv *t = tv_push_map(p->a, list);
	tv_str(p->a, t, "name", name);
	tv_str(p->a, t, "url", url);
	tv_bool(p->a, t, "current", current);
}

static void thread_rows(page *p, tv *list, struct list_thread *rows, int n, int rank, const char *keyname) {
	arena *a = p->a;
	for (int i = 0; i < n; i++) {
		struct thread *t = &rows[i].t;
		if (!page_sees(p, t->fid)) continue;   /* a board this viewer may not read */
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "rank", rank + i);
		tv_int(a, m, "tid", t->tid);
		tv_str(a, m, "subject", t->subject);
		page_author_tv(p, m, t->anonymous, t->fid, t->authorid, t->author);   /* 匿名 (anon.h) */
		tv_int(a, m, "replies", t->replies);
		tv_int(a, m, "views", t->views);
		tv_bool(a, m, "digest", t->digest > 0);
		tv_str(a, m, "created", timefmt_date(a, t->created));
		tv_str(a, m, "lastposter", anon_lastposter(t->lastposter));
		tv_str(a, m, "lastpost", page_when(p, t->lastpost));
		if (keyname) {
			tv_str(a, m, "keyname", keyname);
			tv_int(a, m, "key", rows[i].key);
		}
	}
}

static const struct { const char *id, *name; enum thread_order o; } rank_threads[] = {
	{"replies", "回复最多", TO_REPLIES}, {"views", "查看最多", TO_VIEWS}, {"likes", "点赞最多", TO_LIKES},
};
static const struct { const char *id, *name; enum member_order o; const char *keyname; } rank_members[] = {
	{"credits", "积分排行", MO_CREDITS, "积分"}, {"posts", "发帖排行", MO_POSTS, "帖子"},
	{"today", "今日发帖", MO_TODAY, "今日"},
};
static const struct { const char *id, *name; int days; } periods[] = {
	{"today", "今日", 1}, {"week", "本周", 7}, {"month", "本月", 30}, {"all", "全部", 0},
};

void page_ranklist(page *p) {
	arena *a = p->a;
	const char *list = http_query(p->r, "list");
	const char *per = http_query(p->r, "period");
	if (!list) list = "replies";
	if (!per) per = "all";
	int ti = -1, mi = -1, pi = -1;
	for (size_t i = 0; i < sizeof rank_threads / sizeof rank_threads[0]; i++)
		if (!strcmp(list, rank_threads[i].id)) ti = (int)i;
	for (size_t i = 0; i < sizeof rank_members / sizeof rank_members[0]; i++)
		if (!strcmp(list, rank_members[i].id)) mi = (int)i;
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
		if (!strcmp(per, periods[i].id)) pi = (int)i;
	if ((ti < 0 && mi < 0) || pi < 0) { page_error(p, 404, "没有这个排行榜。"); return; }
	struct list_cursor cur;
	int rank;
	if (list_cursor_param(p, &cur) || rank_param(p, &rank)) return;
	page_cache_site(p);
	tv *tabs = tv_add_list(a, p->v, "tabs");
	for (size_t i = 0; i < sizeof rank_threads / sizeof rank_threads[0]; i++)
		tab(p, tabs, rank_threads[i].name, arena_sprintf(a, "/ranklist?list=%s&period=%s", rank_threads[i].id, per), (int)i == ti);
	for (size_t i = 0; i < sizeof rank_members / sizeof rank_members[0]; i++)
		tab(p, tabs, rank_members[i].name, arena_sprintf(a, "/ranklist?list=%s", rank_members[i].id), (int)i == mi);
	int64_t lastkey = 0, lastid = 0;
	int n;
	if (ti >= 0) {
		tv *ps = tv_add_list(a, p->v, "periods");
		for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
			tab(p, ps, periods[i].name, arena_sprintf(a, "/ranklist?list=%s&period=%s", list, periods[i].id), (int)i == pi);
		struct list_thread *rows;
		int64_t since = periods[pi].days ? (int64_t)p->now - (int64_t)periods[pi].days * 86400 : 0;
		if (discover_threads(p->db, a, rank_threads[ti].o, since, &cur, DISCOVER_LIST_MAX, &rows, &n)) {
			page_db_unavailable(p);
			return;
		}
		thread_rows(p, tv_add_list(a, p->v, "threads"), rows, n, rank,
		            ti == 0 ? "回复" : ti == 1 ? "查看" : "点赞");
		if (n) lastkey = rows[n - 1].key, lastid = rows[n - 1].t.tid;
	} else {
		struct list_member *rows;
		if (discover_members(p->db, a, rank_members[mi].o, p->now, &cur, DISCOVER_LIST_MAX, &rows, &n)) {
			page_db_unavailable(p);
			return;
		}
		tv *ml = tv_add_list(a, p->v, "members");
		tv_str(a, p->v, "member_key", rank_members[mi].keyname);
		for (int i = 0; i < n; i++) {
			tv *m = tv_push_map(a, ml);
			tv_int(a, m, "rank", rank + i);
			tv_int(a, m, "uid", rows[i].uid);
			tv_str(a, m, "name", rows[i].name);
			const struct group *g = group_get(rows[i].groupid);
			tv_str(a, m, "group", g ? g->title : "");
			tv_str(a, m, "keyname", rank_members[mi].keyname);
			tv_int(a, m, "key", rows[i].key);
		}
		if (n) lastkey = rows[n - 1].key, lastid = rows[n - 1].uid;
	}
	tv_bool(a, p->v, "ranking", 1);
	tv_str(a, p->v, "heading", "热门排行");
	if (n == DISCOVER_LIST_MAX && rank + n <= DISCOVER_LIST_MAX * (DISCOVER_RANK_PAGES - 1) + 1)
		tv_str(a, p->v, "next", arena_sprintf(a, "/ranklist?list=%s&period=%s&after=%lld_%lld&rank=%d", list, per,
		                                      (long long)lastkey, (long long)lastid, rank + n));
	if (cur.set) tv_str(a, p->v, "first", arena_sprintf(a, "/ranklist?list=%s&period=%s", list, per));
	page_render(p, 200, "discover", arena_sprintf(a, "热门排行 - %s", p->site->name));
}

static const struct { const char *id, *name; enum thread_order o; int days; } guide_views[] = {
	{"hot", "热门", TO_REPLIES, 7}, {"digest", "精华", TO_DIGEST, 0}, {"new", "最新回复", TO_LASTPOST, 0},
	{"newthread", "最新发表", TO_NEWEST, 0},
};

void page_guide(page *p) {
	arena *a = p->a;
	const char *view = http_query(p->r, "view");
	if (!view) view = "hot";
	int vi = -1;
	for (size_t i = 0; i < sizeof guide_views / sizeof guide_views[0]; i++)
		if (!strcmp(view, guide_views[i].id)) vi = (int)i;
	if (vi < 0) { page_error(p, 404, "没有这个导读栏目。"); return; }
	struct list_cursor cur;
	if (list_cursor_param(p, &cur)) return;
	page_cache_site(p);
	tv *tabs = tv_add_list(a, p->v, "tabs");
	for (size_t i = 0; i < sizeof guide_views / sizeof guide_views[0]; i++)
		tab(p, tabs, guide_views[i].name, arena_sprintf(a, "/guide?view=%s", guide_views[i].id), (int)i == vi);
	struct list_thread *rows;
	int n;
	int64_t since = guide_views[vi].days ? (int64_t)p->now - (int64_t)guide_views[vi].days * 86400 : 0;
	if (discover_threads(p->db, a, guide_views[vi].o, since, &cur, DISCOVER_LIST_MAX, &rows, &n)) {
		page_db_unavailable(p);
		return;
	}
	thread_rows(p, tv_add_list(a, p->v, "threads"), rows, n, 1, NULL);
	tv_str(a, p->v, "heading", "导读");
	if (n == DISCOVER_LIST_MAX)
		tv_str(a, p->v, "next", arena_sprintf(a, "/guide?view=%s&after=%lld_%lld", view, (long long)rows[n - 1].key,
		                                      (long long)rows[n - 1].t.tid));
	if (cur.set) tv_str(a, p->v, "first", arena_sprintf(a, "/guide?view=%s", view));
	page_render(p, 200, "discover", arena_sprintf(a, "导读 - %s", p->site->name));
}

/* misc.php?mod=ranklist[&type=thread|member] -> /ranklist */
void page_discuz_misc(page *p) {
	const char *mod = http_query(p->r, "mod");
	if (!mod || strcmp(mod, "ranklist")) { page_error(p, 404, "您要找的页面不存在。"); return; }
	const char *type = http_query(p->r, "type");
	http_redirect(p->r, 301, type && !strcmp(type, "member") ? "/ranklist?list=credits" : "/ranklist");
	http_set_header(p->r, "Cache-Control", "public, max-age=86400");
}

/* ---- Archiver ---------------------------------------------------------------
** Discuz!'s links: archiver/?fid-N.html, ?fid-N-page-P.html, ?tid-N.html, ?tid-N-page-P.html
** (the first query argument's name). The same content answers at each form (200). */

static void archiver_index(page *p) {
	arena *a = p->a;
	struct board *bs;
	int n;
	page_cache_site(p);
	if (forum_boards(p->db, a, &bs, &n)) { page_db_unavailable(p); return; }
	int ns = 0;   /* the boards seen, then their tree: sub-boards listed under their parent */
	for (int i = 0; i < n; i++)
		if (page_sees(p, bs[i].fid)) bs[ns++] = bs[i];
	struct board *tops;
	int nt = forum_board_tree(a, bs, ns, &tops);
	tv *cats = tv_add_list(a, p->v, "categories");
	tv *list = NULL;
	int64_t lastcid = -1;
	for (int i = 0; i < nt; i++) {
		if (tops[i].cid != lastcid) {
			tv *c = tv_push_map(a, cats);
			tv_str(a, c, "name", tops[i].category);
			list = tv_add_list(a, c, "boards");
			lastcid = tops[i].cid;
		}
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "fid", tops[i].fid);
		tv_str(a, m, "name", tops[i].name);
		tv_int(a, m, "threads", tops[i].threads);
		tv *subs = tops[i].nsubs ? tv_add_list(a, m, "subs") : NULL;
		for (int k = 0; k < tops[i].nsubs; k++) {
			tv *sm = tv_push_map(a, subs);
			tv_int(a, sm, "fid", tops[i].subs[k].fid);
			tv_str(a, sm, "name", tops[i].subs[k].name);
			tv_int(a, sm, "threads", tops[i].subs[k].threads);
		}
	}
	tv_str(a, p->v, "canonical_path", "/archiver/");
	page_render(p, 200, "archiver", arena_sprintf(a, "%s - Archiver", p->site->name));
}

static void archiver_board(page *p, int64_t fid, int pg) {
	arena *a = p->a;
	page_cache_board(p, fid);
	struct board b;
	int rc = forum_board(p->db, a, fid, &b);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的版块不存在或已被隐藏。"); return; }
	if (!page_board_visible(p, fid)) return;
	/* the next page by the board page's keyset cursor; a bare page number (an old link) as the board page does */
	struct thread_cursor cur = {0};
	const char *after = http_query(p->r, "after");
	if (after && url_thread_cursor(after, 1, &cur)) { page_error(p, 400, "参数无效：翻页位置格式不正确。"); return; }
	struct thread_page tp;
	if (forum_threads(p->db, a, fid, 0, pg, cur.dir ? &cur : NULL, &tp)) {
		page_db_unavailable(p);
		return;
	}
	if (pg > 1 && !tp.n) { page_error(p, 404, "没有这一页。"); return; }
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", fid);
	tv_str(a, bm, "name", b.name);
	page_board_crumbs(p, bm, &b);
	if (pg == 1) {   /* 子版块, as on the board page */
		tv *subs = NULL;
		for (int i = 0; i < b.nsubs; i++) {
			if (!page_sees(p, b.subs[i].fid)) continue;
			if (!subs) subs = tv_add_list(a, bm, "subs");
			tv *sm = tv_push_map(a, subs);
			tv_int(a, sm, "fid", b.subs[i].fid);
			tv_str(a, sm, "name", b.subs[i].name);
			tv_int(a, sm, "threads", b.subs[i].threads);
		}
	}
	tv *list = tv_add_list(a, p->v, "threads");
	for (int i = 0; i < tp.n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "tid", tp.rows[i].tid);
		tv_str(a, m, "subject", tp.rows[i].subject);
		tv_int(a, m, "replies", tp.rows[i].replies);
	}
	if (pg > 1) tv_str(a, p->v, "prev", arena_sprintf(a, "?fid-%lld-page-%d.html", (long long)fid, pg - 1));
	if (tp.has_more && tp.n) {
		const struct thread *l = &tp.rows[tp.n - 1];
		tv_str(a, p->v, "next", arena_sprintf(a, "?fid-%lld-page-%d.html&after=%lld_%lld_%lld", (long long)fid, pg + 1,
		                                      (long long)l->sticky, (long long)l->lastpost, (long long)l->tid));
	}
	tv_int(a, p->v, "page", pg);
	tv_str(a, p->v, "full", arena_sprintf(a, "/f/%lld%s", (long long)fid, pg > 1 ? arena_sprintf(a, "?page=%d", pg) : ""));
	tv_str(a, p->v, "canonical_path", arena_sprintf(a, "/archiver/?fid-%lld%s.html", (long long)fid,
	                                                pg > 1 ? arena_sprintf(a, "-page-%d", pg) : ""));
	page_render(p, 200, "archiver", arena_sprintf(a, "%s - %s - Archiver", b.name, p->site->name));
}

static void archiver_thread(page *p, int64_t tid, int pg) {
	arena *a = p->a;
	page_cache_thread(p, tid);
	struct thread t;
	int rc = forum_thread(p->db, a, tid, &t);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的主题不存在或已被删除。"); return; }
	if (!page_board_visible(p, t.fid)) return;
	int64_t last = (t.maxposition + FORUM_FLOORS_PER_PAGE - 1) / FORUM_FLOORS_PER_PAGE;
	if (pg > 1 && pg > last) { page_error(p, 404, "没有这一页。"); return; }
	struct post *fl;
	int n;
	int64_t from = (int64_t)(pg - 1) * FORUM_FLOORS_PER_PAGE + 1;
	if (forum_floors(p->db, a, tid, from, from + FORUM_FLOORS_PER_PAGE - 1, 0, &fl, &n)) {   /* [hide]: the notices */
		page_db_unavailable(p);
		return;
	}
	tv *tm = tv_add_map(a, p->v, "thread");
	tv_int(a, tm, "tid", tid);
	tv_str(a, tm, "subject", t.subject);
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", t.fid);
	tv_str(a, bm, "name", t.board.name);
	tv *list = tv_add_list(a, p->v, "floors");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_str(a, m, "author", page_anon_hidden(p, fl[i].anonymous, t.fid) ? ANON_NAME : fl[i].author);
		tv_str(a, m, "when", timefmt_short(a, fl[i].created));
		if (fl[i].deleted) tv_bool(a, m, "deleted", 1);
		else if (fl[i].banned) tv_html(a, m, "body", "<p>提示: 该帖被管理员或版主屏蔽</p>");   /* 屏蔽 (moderate.h) */
		else tv_html(a, m, "body", fl[i].html);
		if (fl[i].position == 1 && !fl[i].deleted && !fl[i].banned)
			tv_str(a, p->v, "meta_desc", page_excerpt(a, fl[i].html, PAGE_DESC_MAX));
	}
	if (pg > 1) tv_str(a, p->v, "prev", arena_sprintf(a, "?tid-%lld-page-%d.html", (long long)tid, pg - 1));
	if (pg < last) tv_str(a, p->v, "next", arena_sprintf(a, "?tid-%lld-page-%d.html", (long long)tid, pg + 1));
	tv_int(a, p->v, "page", pg);
	tv_str(a, p->v, "full", arena_sprintf(a, "/t/%lld%s", (long long)tid, pg > 1 ? arena_sprintf(a, "?page=%d", pg) : ""));
	tv_str(a, p->v, "canonical_path", arena_sprintf(a, "/archiver/?tid-%lld%s.html", (long long)tid,
	                                                pg > 1 ? arena_sprintf(a, "-page-%d", pg) : ""));
	page_render(p, 200, "archiver", arena_sprintf(a, "%s - %s - Archiver", t.subject, p->site->name));
}

void page_archiver(page *p) {
	const char *k = http_query_first_key(p->r);
	int64_t id;
	int pg, rc;
	if (!k || !strcmp(k, "mobile")) { archiver_index(p); return; }
	int isfid = (rc = url_archiver(k, "fid", &id, &pg)) == 1;
	if (rc == 0) rc = url_archiver(k, "tid", &id, &pg);
	/* Discuz!'s ?tid-N.html&page=P form (issue 18): the page as a separate argument */
	if (rc == 1 && pg == 1 && http_query(p->r, "page") && page_number(p, "page", &pg)) return;
	if (rc == 1) { (isfid ? archiver_board : archiver_thread)(p, id, pg); return; }
	if (rc < 0) { page_error(p, 400, "参数无效。"); return; }
	page_error(p, 404, "您要找的页面不存在。");
}

/* ---- RSS ------------------------------------------------------------------- */

static void rfc822(char *out, size_t n, time_t t) {
	struct tm tm;
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	gmtime_r(&t, &tm);
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	         tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void xml_el(buf *o, const char *name, const char *text) {
	buf_appendf(o, "<%s>", name);
	buf_html_s(o, text ? text : "");
	buf_appendf(o, "</%s>", name);
}

void page_rss(page *p) {
	arena *a = p->a;
	int64_t fid = 0;
	struct board b;
	if (p->r->nseg) {
		if (page_id(p, p->r->seg[0], &fid)) return;
		int rc = forum_board(p->db, a, fid, &b);
		if (rc < 0) { page_db_unavailable(p); return; }
		if (!rc) { page_error(p, 404, "指定的版块不存在或已被隐藏。"); return; }
		if (!page_board_visible(p, fid)) return;
	}
	struct feed_item *items;
	int n;
	if (discover_feed(p->db, a, fid, FEED_ITEMS, &items, &n)) { page_db_unavailable(p); return; }
	const char *base = page_base_url(p);
	buf *o = &p->r->out;
	buf_reset(o);
	buf_puts(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
	xml_el(o, "title", fid ? arena_sprintf(a, "%s - %s", b.name, p->site->name) : p->site->name);
	xml_el(o, "link", fid ? arena_sprintf(a, "%s/f/%lld", base, (long long)fid) : arena_sprintf(a, "%s/", base));
	xml_el(o, "description", fid ? b.description : p->site->description);
	buf_puts(o, "\n<language>zh-cn</language>\n<generator>loulan</generator>\n");
	char date[64];
	for (int i = 0; i < n; i++) {
		if (!page_sees(p, items[i].fid)) continue;
		const char *link = arena_sprintf(a, "%s/t/%lld", base, (long long)items[i].tid);
		buf_puts(o, "<item>");
		xml_el(o, "title", items[i].subject);
		xml_el(o, "link", link);
		buf_puts(o, "<guid isPermaLink=\"true\">");
		buf_html_s(o, link);
		buf_puts(o, "</guid>");
		xml_el(o, "description", page_excerpt(a, items[i].html, FEED_EXCERPT_MAX));
		xml_el(o, "category", items[i].board);
		xml_el(o, "dc:creator", items[i].author);
		rfc822(date, sizeof date, (time_t)items[i].created);
		xml_el(o, "pubDate", date);
		buf_puts(o, "</item>\n");
	}
	buf_puts(o, "</channel>\n</rss>\n");
	p->r->status = 200;
	p->r->ctype = "application/rss+xml; charset=utf-8";
	http_set_header(p->r, "Cache-Control", "public, max-age=300");
}

/* ---- sitemap ------------------------------------------------------------------
** Guest-visible content only, whoever asks: the viewer is replaced by a guest. */

static void as_guest(page *p) {
	memset(&p->me, 0, sizeof p->me);
	p->me.groupid = GROUP_GUEST;
}

static void xml_start(page *p) {
	buf_reset(&p->r->out);
	buf_puts(&p->r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	p->r->status = 200;
	p->r->ctype = "application/xml; charset=utf-8";
	http_set_header(p->r, "Cache-Control", "public, max-age=3600");
}

static void sm_url(buf *o, const char *base, const char *path, const char *lastmod) {
	buf_puts(o, "<url><loc>");
	buf_html_s(o, base);
	buf_html_s(o, path);
	buf_puts(o, "</loc>");
	if (lastmod) {
		buf_puts(o, "<lastmod>");
		buf_puts(o, lastmod);
		buf_puts(o, "</lastmod>");
	}
	buf_puts(o, "</url>\n");
}

struct sm_ctx { page *p; const char *base; int64_t n; };

static int sm_part(void *ctx, int64_t n, int64_t lastmod) {
	struct sm_ctx *c = ctx;
	buf_appendf(&c->p->r->out, "<sitemap><loc>%s/sitemap/t-%lld.xml</loc><lastmod>%s</lastmod></sitemap>\n", c->base,
	            (long long)n, timefmt_iso(c->p->a, (time_t)lastmod));
	return c->p->r->out.err;
}

void page_sitemap(page *p) {
	as_guest(p);
	struct sm_ctx c = {p, page_xml_safe(p, page_base_url(p)), 0};
	xml_start(p);
	buf *o = &p->r->out;
	buf_appendf(o, "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
	               "<sitemap><loc>%s/sitemap/boards.xml</loc></sitemap>\n", c.base);
	if (discover_sitemap_parts(p->db, sm_part, &c)) { page_db_unavailable(p); return; }
	buf_puts(o, "</sitemapindex>\n");
}

static int sm_row(void *ctx, int64_t tid, int64_t fid, int64_t lastpost) {
	struct sm_ctx *c = ctx;
	if (!page_sees(c->p, fid)) return 0;
	buf *o = &c->p->r->out;
	buf_appendf(o, "<url><loc>%s/t/%lld</loc><lastmod>%s</lastmod></url>\n", c->base, (long long)tid,
	            timefmt_iso(c->p->a, (time_t)lastpost));
	return ++c->n >= c->p->site->sitemap_part_urls || o->err;
}

void page_sitemap_part(page *p) {
	as_guest(p);
	const char *s = p->r->seg[0];
	const char *base = page_base_url(p);
	if (!strcmp(s, "boards.xml")) {
		struct board *bs;
		int n;
		if (forum_boards(p->db, p->a, &bs, &n)) { page_db_unavailable(p); return; }
		xml_start(p);
		buf *o = &p->r->out;
		buf_puts(o, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		sm_url(o, base, "/", NULL);
		sm_url(o, base, "/guide", NULL);
		sm_url(o, base, "/ranklist", NULL);
		for (int i = 0; i < n; i++) {
			if (!page_sees(p, bs[i].fid)) continue;
			sm_url(o, base, arena_sprintf(p->a, "/f/%lld", (long long)bs[i].fid),
			       bs[i].lastpost ? timefmt_iso(p->a, (time_t)bs[i].lastpost) : NULL);
		}
		buf_puts(o, "</urlset>\n");
		return;
	}
	int64_t v[1];
	size_t sn = strlen(s);
	if (strncmp(s, "t-", 2) || sn < 7 || strcmp(s + sn - 4, ".xml") || url_uint(s + 2, sn - 6, SITEMAP_MAX_PARTS - 1, &v[0])) {
		page_error(p, 404, "您要找的页面不存在。");   /* one URL per part: t-0.xml, never t-00.xml */
		return;
	}
	struct sm_ctx c = {p, page_xml_safe(p, base), 0};
	xml_start(p);
	buf_puts(&p->r->out, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	if (discover_sitemap_threads(p->db, v[0], sm_row, &c)) { page_db_unavailable(p); return; }
	if (!c.n && v[0] > 0) { page_error(p, 404, "您要找的页面不存在。"); return; }
	buf_puts(&p->r->out, "</urlset>\n");
}

/* base, escaped for XML text (it may come from the Host header, checked in page_base_url) */
const char *page_xml_safe(page *p, const char *s) {
	buf b;
	buf_init(&b, 0);
	buf_html_s(&b, s);
	const char *r = arena_strndup(p->a, buf_cstr(&b), b.len);
	buf_release(&b);
	return r;
}

/* /robots.txt: the built-in rules and where the sitemap is */
void page_robots_sitemap(page *p, const char *rules, size_t n) {
	buf *o = &p->r->out;
	buf_reset(o);
	buf_append(o, rules, n);
	buf_appendf(o, "%sSitemap: %s/sitemap.xml\n", n && rules[n - 1] != '\n' ? "\n" : "", page_base_url(p));
	p->r->status = 200;
	p->r->ctype = "text/plain; charset=utf-8";
	http_set_header(p->r, "Cache-Control", "public, max-age=3600");
}
