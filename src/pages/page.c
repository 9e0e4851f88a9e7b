/*
** page: shared page machinery; see page.h.
*/
#include "pages/page.h"
#include "forum/ban.h"
#include "forum/moderate.h"
#include "forum/posting.h"
#include "pages/urlparse.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/password.h"
#include "forum/session.h"
#include "forum/cachegen.h"
#include "forum/discover.h"
#include "util/die.h"
#include <jansson.h>
#include <sodium.h>
#include "util/timefmt.h"
#include "util/utf8.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct app_config g_app;

void app_set_config(const struct app_config *c) { g_app = *c; }
db *app_db(void) { return g_app.db_get ? g_app.db_get() : NULL; }
int app_fragment_cache(void) { return !g_app.no_fragment_cache; }
int app_write_batch(void) { return g_app.write_batch; }

void page_init(page *p, req *r) {
	memset(p, 0, sizeof *p);
	p->r = r;
	p->a = &r->a;
	p->db = app_db();
	if (p->db) db_queries_reset(p->db);
	p->v = tv_map(p->a);
	cache_deps_begin(&p->cache);   /* the generations before the site snapshot and every read (cache.h) */
	p->site = site_get();
	p->now = time(NULL);
	p->views = -1;
	p->layout_touch = page_touch(r);
}

void page_views(page *p, tv *m, const char *key, int64_t views) {
	p->views = views;
	tv_hole(p->a, m, key, PH_VIEWS);
}

void page_thread_counts(page *p, tv *m, int64_t tid, int64_t replies, int64_t maxpos, enum page_place place) {
	p->counts = 1;
	p->replies = replies;
	p->maxpos = maxpos;
	tv_hole(p->a, m, "replies", PH_REPLIES);
	tv_hole(p->a, m, "maxposition", PH_MAXPOS);
	struct cache_deps *c = &p->cache;
	uint64_t gen = 0, tailgen = 0;
	int found = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->d[i].kind == CACHEGEN_THREAD && c->d[i].id == tid) gen = c->d[i].gen, found |= 1;
		if (c->d[i].kind == CACHEGEN_TAIL && c->d[i].id == tid) tailgen = c->d[i].gen, found |= 2;
	}
	if (found != 3) return;   /* not declared with page_cache_thread(p, tid): nothing is stored */
	cachegen_counts_publish(tid, gen, tailgen, replies, maxpos);   /* as read, with the generations before reading */
	c->counts_tid = tid;
	/* the tail: every reply moves its tail generation (a reply opening a page too: the near bump
	   moves the tail). Not the tail: a reply (cachegen_bump_tail) leaves this page; far from the end,
	   one opening a page (cachegen_bump_near) does too */
	int k = 0;
	for (int i = 0; i < c->n; i++) {
		int kind = c->d[i].kind;
		if (kind == CACHEGEN_NEAR ? place == PAGE_NEAR : kind != CACHEGEN_TAIL || place == PAGE_TAIL) c->d[k++] = c->d[i];
	}
	c->n = k;
}

int page_counts_hit(page *p, const cache_entry *e) {
	int64_t tid = cache_counts_tid(e);
	if (!tid) return 1;
	p->counts = cachegen_counts(tid, &p->replies, &p->maxpos);
	return p->counts;
}

void page_varies_for(page *p, int64_t uid) {
	if (p->ntouch == p->ctouch) {
		int nc = p->ctouch ? p->ctouch * 2 : 32;
		int64_t *g = arena_alloc(p->a, sizeof *g * (size_t)nc);
		if (p->ntouch) memcpy(g, p->touch, sizeof *g * (size_t)p->ntouch);
		p->touch = g;
		p->ctouch = nc;
	}
	p->touch[p->ntouch++] = uid;
}

void page_hole_values(page *p, const char **v, int64_t views, const char *cache) {
	arena *a = p->a;
	for (int i = 0; i < TPL_MAX_HOLE_ID; i++) v[i] = NULL;
	if (p->me.uid) {
		v[PH_UID] = arena_sprintf(a, "%lld", (long long)p->me.uid);
		v[PH_NAME] = p->me.name;
		v[PH_CSRF] = p->me.csrf;
		int64_t q = modq_open();
		v[PH_MODQ] = q > 0 ? arena_sprintf(a, "%lld", (long long)q) : "";
		v[PH_NOTIFY] = p->me.unread > 0 ? arena_sprintf(a, "%lld", (long long)p->me.unread) : "";
		v[PH_PM] = p->me.pm_unread > 0 ? arena_sprintf(a, "%lld", (long long)p->me.pm_unread) : "";
		v[PH_SIGOFF] = p->me.sigoff ? " sigoff" : "";
	}
	if (views >= 0) v[PH_VIEWS] = arena_sprintf(a, "%lld", (long long)views);
	if (p->counts) {
		v[PH_REPLIES] = arena_sprintf(a, "%lld", (long long)p->replies);
		v[PH_MAXPOS] = arena_sprintf(a, "%lld", (long long)p->maxpos);
		v[PH_PAGES] = arena_sprintf(a, "%lld", (long long)page_thread_pages(p->maxpos));
	}
	v[PH_NOW] = timefmt_short(a, p->now);
	v[PH_QUERIES] = arena_sprintf(a, "%lld", (long long)(p->db ? db_queries(p->db) : 0));
	v[PH_GZIP] = p->r->accept_gzip ? "On" : "Off";
	v[PH_CACHE] = cache;
	v[PH_ELAPSED] = arena_sprintf(a, "%.6f", (double)(http_now_ns() - p->r->t0_ns) / 1e9);   /* taken last */
}

static int sets_cookie(req *r) {
	for (struct http_hdr *h = r->hdrs; h; h = h->next)
		if (!strcasecmp(h->k, "Set-Cookie")) return 1;
	return 0;
}

static int touched(const page *p, int64_t uid) {
	for (int i = 0; i < p->ntouch; i++)
		if (p->touch[i] == uid) return 1;
	return 0;
}

void page_request_key(req *r, buf *out) {
	const char *names[CACHE_SHAPE_ARGS];
	int list;
	int n = cache_args(r->path, names, &list);
	http_request_key(r, names, n, out);
	buf_putc(out, '#');   /* which names the values are of */
	buf_put_int(out, list);
}

/* The key to store p's page under, in k: page_request_key after learning the arguments the
** handler read (a key without one of them would serve this page for other values of it), then
** the caller's part of p->ckey. 0 when the page must not be stored. */
static int store_key(page *p, buf *k) {
	req *r = p->r;
	if (r->nqread < 0 || cache_args_learn(r->path, r->qread, r->nqread) < 0) return 0;
	page_request_key(r, k);
	buf_append(k, p->ckey + p->ckbase, p->cklen - p->ckbase);
	return !k->err && k->len <= CACHE_MAX_KEY;
}

/* LOULAN_TEST_FILL_DELAY_MS: a page about to be stored waits this long first, so that tests can
   make concurrent misses of one key overlap (t0607, single flight); unset in production */
static void test_fill_delay(void) {
	static int ms = -1;
	if (ms < 0) {
		const char *e = getenv("LOULAN_TEST_FILL_DELAY_MS");
		int64_t v = 0;
		ms = e && !url_int(e, 0, 60000, &v) ? (int)v : 0;   /* t0180 outlasts the stop's 10 s grace */
	}
	if (ms) {
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
}

/* r->out holds the page with holes h. Fills them; a page the handler
** declared cacheable (p->ckey, p->cache) is stored first and the response
** is filled from the stored segments: a miss compresses once. */
static void page_finish(page *p, const tpl_holes *h) {
	req *r = p->r;
	const char *vals[TPL_MAX_HOLE_ID];
	page_hole_values(p, vals, p->views, "Off");
	buf html = r->out;
	buf_init(&r->out, 0);
	cache_entry *e = NULL;
	int guest = p->cuse == CACHE_GUEST;
	buf key;
	buf_init(&key, 0);
	if (p->ckey && p->cache.ok == 1 && r->status == 200 && !html.err && !sets_cookie(r) &&
	    (guest ? !p->me.uid : !touched(p, p->me.uid)) && store_key(p, &key)) {
		const char *bake[TPL_MAX_HOLE_ID] = {0}, *hit[TPL_MAX_HOLE_ID] = {0};
		struct cache_page pg = {html.data ? html.data : "", html.len, h, NULL, NULL, p->ctag,
		                        p->views < 0 ? 0 : p->views, p->touch, p->ntouch};
		if (guest) {
			/* a guest hit shows the timer and query count of the render that filled the entry */
			bake[PH_NOW] = vals[PH_NOW];
			bake[PH_ELAPSED] = vals[PH_ELAPSED];
			bake[PH_QUERIES] = vals[PH_QUERIES];
			hit[PH_GZIP] = "On";
			hit[PH_CACHE] = "On";
			pg.bake = bake;
			pg.hitvals = hit;
			pg.ntouch = 0;
		}
		test_fill_delay();
		e = cache_make(p->cuse, key.data, key.len, &p->cache, &pg, p->now);
	}
	if (e && r->accept_gzip) {
		cache_fill(e, vals, &r->out);
		r->precompressed = 1;
		r->no_gzip = 1;
	} else {
		tpl_fill(&r->out, html.data ? html.data : "", html.len, h, vals);
	}
	if (html.err) r->out.err = 1;
	if (e) {
		if (!cache_put(e)) http_set_header(r, guest ? "X-Loulan-Cache" : "X-Loulan-Fragment", "miss");
		cache_release(e);
	}
	buf_release(&key);
	buf_release(&html);
}

/* footer links: "name|url,name|url"; the url /mobile is the 手机版/电脑版 switch back to this page */
static void footer_links(page *p, tv *list, const char *s) {
	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		const char *bar = memchr(s, '|', len);
		if (bar) {
			tv *l = tv_push_map(p->a, list);
			size_t ul = len - (size_t)(bar + 1 - s);
			if (ul == 7 && !memcmp(bar + 1, "/mobile", 7)) {
				tv_str(p->a, l, "name", p->layout_touch ? "电脑版" : arena_strndup(p->a, s, (size_t)(bar - s)));
				tv_str(p->a, l, "url", arena_sprintf(p->a, "%s?mobile=%s", p->r->path, p->layout_touch ? "no" : "2"));
				tv_str(p->a, l, "rel", "nofollow");
			} else {
				tv_strn(p->a, l, "name", s, (size_t)(bar - s));
				tv_strn(p->a, l, "url", bar + 1, ul);
			}
		}
		s = comma ? comma + 1 : NULL;
	}
}

/* canonical link, feed link, description and Open Graph tags (issue 14); handlers may set
   canonical_path, rss, meta_desc, og_image and og_type in the view first */
static void head_meta(page *p) {
	arena *a = p->a;
	const struct site *s = p->site;
	tv *cp = tv_get(p->v, "canonical_path");
	const char *path = cp && cp->s ? cp->s : p->r->path;
	tv_str(a, p->v, "canonical", arena_sprintf(a, "%s%s", s->url ? s->url : "", path ? path : "/"));
	if (!tv_get(p->v, "rss")) tv_str(a, p->v, "rss", "/rss");
	tv *md = tv_get(p->v, "meta_desc");
	if (!md || !md->s || !*md->s) tv_str(a, p->v, "meta_desc", s->description);
	if (!tv_get(p->v, "og_type")) tv_str(a, p->v, "og_type", "website");
	tv_bool(a, p->v, "touch", p->layout_touch);
}

/* the flash cookie's first letter per FLASH_* kind */
static const char flash_kinds[] = {[FLASH_ERROR] = 'e', [FLASH_OK] = 'o', [FLASH_WITHDRAW] = 'w', [FLASH_INFO] = 'i'};

void page_back(page *p, const char *location, int64_t pid, int kind, const char *msg) {
	size_t n = strnlen(msg, FLASH_MAX);   /* the messages are ours and short; a longer one is cut */
	while (n && ((unsigned char)msg[n] & 0xc0) == 0x80) n--;   /* ... at a character boundary */
	char b64[sodium_base64_ENCODED_LEN(FLASH_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(b64, sizeof b64, (const unsigned char *)msg, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	page_set_cookie(p, FLASH_COOKIE, arena_sprintf(p->a, "%c%lld.%s", flash_kinds[kind], (long long)pid, b64), FLASH_AGE);
	http_redirect(p->r, 303, location);
}

/* reads the request's flash cookie once (the kind's letter, the floor's pid or 0, ".", base64url
   of the text) and deletes it in the answer; a value that does not parse is dropped. The text is
   shown escaped like any other: a forged cookie can only show its own words to its own browser */
static void flash_read(page *p) {
	if (p->flash_read) return;
	p->flash_read = 1;
	const char *c = http_cookie(p->r, FLASH_COOKIE);
	if (!c) return;
	page_set_cookie(p, FLASH_COOKIE, "", 0);
	const char *dot = strchr(c, '.');
	const char *k = c[0] ? memchr(flash_kinds, c[0], sizeof flash_kinds) : NULL;
	if (!k || !dot || dot == c + 1) return;
	const char *ps = arena_strndup(p->a, c + 1, (size_t)(dot - c - 1));
	int64_t pid = 0;
	if (strcmp(ps, "0") && url_id(ps, URL_NUM_MAX, &pid)) return;
	unsigned char *txt = arena_alloc(p->a, FLASH_MAX + 1);
	size_t n = 0;
	if (sodium_base642bin(txt, FLASH_MAX, dot + 1, strlen(dot + 1), NULL, &n, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) || !n || utf8_chars((const char *)txt, n) < 0)
		return;
	txt[n] = 0;
	p->flash = (const char *)txt;
	p->flash_pid = pid;
	p->flash_kind = (int)(k - flash_kinds);
}

const char *page_flash_for(page *p, int64_t pid, int *kind) {
	flash_read(p);
	if (!p->flash || p->flash_shown || !pid || p->flash_pid != pid) return NULL;
	p->flash_shown = 1;
	*kind = p->flash_kind;
	return p->flash;
}

/* the request's own path and query, for a login link that comes back here */
static const char *here(page *p) {
	const char *path = p->r->path ? p->r->path : "/";
	if (!strcmp(path, "/login") || !strcmp(path, "/register")) {
		const char *n = http_query(p->r, "next");
		return n && *n == '/' ? n : "/";
	}
	buf b;
	buf_init(&b, 0);
	http_request_uri(p->r, &b);
	const char *s = b.err ? "/" : arena_strndup(p->a, b.data, b.len);
	buf_release(&b);
	return s;
}

void page_render(page *p, int status, const char *tname, const char *title) {
	req *r = p->r;
	arena *a = p->a;
	const struct site *s = p->site;
	tv *site = tv_add_map(a, p->v, "site");
	tv_str(a, site, "name", s->name);
	tv_str(a, site, "description", s->description);
	tv_str(a, site, "icp", s->icp);
	tv_str(a, site, "police_filing", s->police_filing);
	tv_str(a, site, "copyright", s->copyright);
	tv_str(a, site, "tz", s->tz_label);
	footer_links(p, tv_add_list(a, site, "links"), s->footer_links);
	head_meta(p);
	tv_str(a, p->v, "title", title);
	tv_str(a, p->v, "css", static_url("loulan.css"));
	tv_str(a, p->v, "js", static_url("loulan.js"));
	tv_str(a, p->v, "theme_js", static_url("theme.js"));
	tv *me = tv_add_map(a, p->v, "me");
	/* what differs between members of a group, and the footer's per-render words: holes (page_hole_values) */
	if (p->me.uid) {
		tv_hole(a, me, "uid", PH_UID);
		tv_hole(a, me, "name", PH_NAME);
		tv_str(a, me, "group", group_get(p->me.groupid)->title);
		tv_bool(a, me, "admin", p->me.groupid == GROUP_ADMIN);   /* the header's 管理中心 link (per group, like the title) */
		tv_hole(a, me, "csrf", PH_CSRF);
		tv_hole(a, me, "notify", PH_NOTIFY);   /* the bell's count */
		tv_hole(a, me, "pm", PH_PM);
		/* the moderators' header link to their queues (ban.c's cached count, no query); a board's
		   moderator outside the staff groups gets a page of their own */
		struct actor who = page_actor(p);
		if (forum_can_moderate(&who, 0)) {
			tv_bool(a, me, "mod", 1);
			tv_hole(a, me, "modq", PH_MODQ);
			if (!forum_is_supermod(&who)) page_varies_for(p, p->me.uid);
		}
	}
	tv_hole(a, p->v, "now", PH_NOW);
	tv_hole(a, p->v, "gzip", PH_GZIP);
	tv_hole(a, p->v, "cache", PH_CACHE);
	tv_hole(a, p->v, "queries", PH_QUERIES);
	tv_hole(a, p->v, "elapsed", PH_ELAPSED);
	tv_bool(a, p->v, "guest", p->me.uid == 0);
	/* a member's choice; a guest's is always empty (signatures shown), so no hole: a hole cuts the
	   cached page into one more segment, compressed on its own (~50k instructions a miss, issue 16) */
	if (p->me.uid) tv_hole(a, p->v, "sigoff", PH_SIGOFF);
	else tv_str(a, p->v, "sigoff", "");
	if (!p->me.uid && !tv_get(p->v, "here")) tv_str(a, p->v, "here", here(p));   /* 登录 links come back here */
	flash_read(p);
	if (p->flash && !p->flash_shown) {
		tv *f = tv_add_map(a, p->v, "flash");
		tv_str(a, f, "text", p->flash);
		tv_bool(a, f, "ok", p->flash_kind == FLASH_OK);
		tv_bool(a, f, "info", p->flash_kind == FLASH_INFO);
		p->flash_shown = 1;
	}
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	r->precompressed = r->no_gzip = 0;   /* page_finish decides */
	buf_reset(&r->out);
	tpl_holes h = {.a = a};
	if (tpl_render_holes(&r->out, tname, p->v, &h)) {
		buf_reset(&r->out);
		r->status = 500;
		buf_puts(&r->out, "500 Internal Server Error: template missing\n");
		r->ctype = "text/plain; charset=utf-8";
	} else {
		page_finish(p, &h);
	}
	page_std_headers(r);
}

void page_std_headers(req *r) {
	http_set_header(r, "Content-Security-Policy",
	                "default-src 'self'; img-src 'self' http: https: data:; script-src 'self'; style-src 'self'; "
	                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'");
	http_set_header(r, "Cache-Control", "no-cache");
	http_set_header(r, "Referrer-Policy", "same-origin");
}

/* lists: the index, rankings, guides show every board's threads and counters */
void page_cache_site(page *p) {
	cache_dep_add(&p->cache, CACHEGEN_SITE, 0);
	cache_dep_add(&p->cache, CACHEGEN_LISTS, 0);
}
void page_cache_board(page *p, int64_t fid) {
	page_cache_site(p);
	cache_dep_add(&p->cache, CACHEGEN_BOARD, fid);
}
/* a thread's page shows the site and the thread: another thread's reply leaves it (issue 16) */
void page_cache_thread(page *p, int64_t tid) {
	cache_dep_add(&p->cache, CACHEGEN_SITE, 0);
	cache_dep_add(&p->cache, CACHEGEN_THREAD, tid);
	cache_dep_add(&p->cache, CACHEGEN_TAIL, tid);   /* tail and near: page_thread_counts keeps what the page needs */
	cache_dep_add(&p->cache, CACHEGEN_NEAR, tid);
	p->cache.view_tid = tid;
}

void page_db_unavailable(page *p) { page_error(p, 503, FORUM_MSG_DB); }

void page_error(page *p, int status, const char *message) {
	if (p->api) {
		const char *code = status == 400 ? "bad_request" : status == 401 ? "unauthorized" : status == 403 ? "forbidden"
		                 : status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : status == 409 ? "conflict"
		                 : status == 413 ? "too_large" : status == 415 ? "unsupported_media_type"
		                 : status == 429 ? "too_many_requests" : status >= 500 ? "unavailable" : "error";
		page_json_error(p, status, code, message);
		return;
	}
	const char *title;
	switch (status) {
	case 400: title = "请求无效"; break;
	case 403: title = "没有权限"; break;
	case 404: title = "页面不存在"; break;
	case 405: title = "方法不允许"; break;
	case 413: title = "内容太长"; break;
	case 429: title = "操作太频繁"; break;
	case 503: title = "服务暂时不可用"; break;
	default: title = "出错了"; break;
	}
	tv_int(p->a, p->v, "status", status);
	tv_str(p->a, p->v, "message", message);
	tv_str(p->a, p->v, "heading", title);
	page_render(p, status, "error", title);
}

void page_json(page *p, int status, const char *json) {
	http_text(p->r, status, "application/json; charset=utf-8", json);
	http_set_header(p->r, "Cache-Control", "no-store");
}

/* Ids in the path name a page: one that is not canonical (url_id: "01", "+1",
   "1x") names none, so 404 (never a second URL for the same page). Ids and
   numbers in query parameters are arguments: 400 when not canonical. */
int page_id(page *p, const char *s, int64_t *out) {
	if (!url_id(s, URL_NUM_MAX, out)) return 0;
	for (int i = 0; i < p->r->nseg; i++)
		if (s && s == p->r->seg[i]) {
			page_error(p, 404, "您要找的页面不存在：编号必须是不带前导零的正整数。");
			return -1;
		}
	page_error(p, 400, "参数无效：编号必须是不带前导零的正整数。");
	return -1;
}

int page_number(page *p, const char *name, int *out) {
	const char *s = http_query(p->r, name);
	*out = 1;
	if (!s) return 0;
	int64_t v;
	if (url_id(s, FORUM_MAX_PAGE, &v)) {
		page_error(p, 400, "参数无效：页码必须是 1 到 1000000 之间不带前导零的整数。");
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* ---- viewer, cookies, CSRF ---------------------------------------------- */

int page_is_api(page *p) { return p->api; }

void page_load_viewer(page *p, int api) {
	const char *tok = NULL;
	if (api) {
		const char *h = http_header(p->r, "Authorization");
		if (h && !strncasecmp(h, "Bearer ", 7)) tok = h + 7;
	} else {
		tok = http_cookie(p->r, SESSION_COOKIE);
	}
	if (!tok || !p->db) return;
	struct session_user su;
	if (session_lookup(p->db, p->a, tok, p->now, &su) == 1) {
		p->me.uid = su.uid;
		p->me.name = su.name;
		p->me.groupid = su.groupid;
		p->me.csrf = su.csrf;
		p->me.token = arena_strdup(p->a, tok);
		p->me.token_hash = su.token_hash;
		p->me.bearer = api;
		p->me.unread = su.unread;
		p->me.pm_unread = su.pm_unread;
		p->me.sigoff = su.sigoff;
		online_touch(su.uid, NULL, p->now);   /* 在线会员 (issue 14) */
	}
}

void page_set_cookie(page *p, const char *name, const char *value, long max_age) {
	/* Secure when served over TLS: loulan speaks plain HTTP behind a TLS proxy, so it is a setting */
	const char *secure = (p->site && p->site->cookie_secure) || p->r->tls ? "; Secure" : "";
	const char *v;
	if (max_age == 0) v = arena_sprintf(p->a, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", name, secure);
	else if (max_age < 0) v = arena_sprintf(p->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value, secure);
	else v = arena_sprintf(p->a, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s", name, value, max_age, secure);
	http_set_header(p->r, "Set-Cookie", v);
}

const char *page_csrf(page *p) {
	if (p->me.uid) return p->me.csrf;
	if (p->guest_csrf) return p->guest_csrf;
	const char *c = http_cookie(p->r, CSRF_COOKIE);
	if (c && strlen(c) == 64) return p->guest_csrf = arena_strdup(p->a, c);
	char tok[65];
	password_random_token(tok, sizeof tok, 32);
	p->guest_csrf = arena_strdup(p->a, tok);
	page_set_cookie(p, CSRF_COOKIE, p->guest_csrf, -1);
	return p->guest_csrf;
}

int page_csrf_ok(page *p) {
	if (p->me.bearer) return 1;   /* bearer tokens are not sent by browsers on their own */
	const char *want = p->me.uid ? p->me.csrf : http_cookie(p->r, CSRF_COOKIE);
	const char *got = http_form(p->r, CSRF_FIELD);
	if (!got) got = http_header(p->r, "X-CSRF-Token");
	if (!want || !got || strlen(want) != 64 || strlen(got) != 64) return 0;
	return sodium_memcmp(want, got, 64) == 0;
}

void page_login_required(page *p) {
	if (p->api) {
		page_json_error(p, 401, "unauthorized", "需要登录：请提供有效的 Bearer 令牌。");
		return;
	}
	tv_bool(p->a, p->v, "need_login", 1);
	page_error(p, 403, "您需要先登录才能继续本操作。");
}

void page_forbidden(page *p, const char *reason) {
	if (!reason) reason = "您没有权限进行此操作。";
	if (!p->me.uid && !p->api) tv_bool(p->a, p->v, "need_login", 1);
	page_error(p, 403, reason);
}

int page_sees(page *p, int64_t fid) {
	struct actor who = page_actor(p);
	return forum_can_view(&who, fid, NULL);
}

int page_board_visible(page *p, int64_t fid) {
	struct actor who = page_actor(p);
	const char *why;
	if (forum_can_view(&who, fid, &why)) return 1;
	page_forbidden(p, why);
	return 0;
}

/* ---- JSON ----------------------------------------------------------------- */

void page_json_send(page *p, int status, json_t *v) {
	char *s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!s) die_oom();
	http_text(p->r, status, "application/json; charset=utf-8", s);
	free(s);
	http_set_header(p->r, "Cache-Control", "no-store");
}

void page_json_error(page *p, int status, const char *code, const char *message) {
	json_t *e = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
	if (!e) die_oom();
	page_json_send(p, status, e);
}

json_t *page_json_body(page *p) {
	const char *ct = http_header(p->r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16)) {
		page_json_error(p, 415, "unsupported_media_type", "请求体必须是 application/json。");
		return NULL;
	}
	json_error_t err;
	json_t *v = json_loadb(p->r->body.data ? p->r->body.data : "", p->r->body.len, JSON_REJECT_DUPLICATES, &err);
	if (!v || !json_is_object(v)) {
		json_decref(v);
		page_json_error(p, 400, "bad_json", "请求体不是有效的 JSON 对象。");
		return NULL;
	}
	/* the fields the route's description (api/FAMILY.json) lists, and no others (issue 17) */
	json_t *props = json_object_get(apispec_body_schema(p->r->route, p->r->method), "properties");
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		if (json_object_get(props, k)) continue;
		buf known;
		buf_init(&known, 0);
		const char *pk;
		json_t *px;
		json_object_foreach(props, pk, px) buf_appendf(&known, "%s%s", known.len ? "、" : "", pk);
		const char *msg = known.len ? arena_sprintf(p->a, "未知字段：%s（这个接口接受的字段：%s）。", k, buf_cstr(&known))
		                            : arena_sprintf(p->a, "未知字段：%s（这个接口不接受任何字段）。", k);
		buf_release(&known);
		json_t *e = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_field", "message", msg, "field", k);
		if (!e) die_oom();
		json_decref(v);
		page_json_send(p, 400, e);
		return NULL;
	}
	return v;
}

/* a time in an API answer: KEY in Unix seconds and KEY_iso in ISO 8601 (UTC), null when t is 0 (never) */
void page_json_time(json_t *o, const char *key, int64_t t) {
	char k[64], iso[32];
	snprintf(k, sizeof k, "%s_iso", key);
	time_t tt = (time_t)t;
	struct tm tm;
	if (!t || !gmtime_r(&tt, &tm) || !strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		json_object_set_new(o, key, json_integer(t));
		json_object_set_new(o, k, json_null());
		return;
	}
	json_object_set_new(o, key, json_integer(t));
	json_object_set_new(o, k, json_string(iso));
}

/* a list's cursor: "next_url", the URL of its next page, or null on the last */
void page_json_next(page *p, json_t *o, const char *next_url) {
	json_object_set_new(o, "next_url", next_url ? json_string(next_url) : json_null());
}
