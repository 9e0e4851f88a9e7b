/*
** page: shared page machinery; see page.h.
*/
#include "pages/page.h"
#include "pages/frag.h"
#include "forum/password.h"
#include "forum/session.h"
#include "forum/cachegen.h"
#include "util/die.h"
#include <jansson.h>
#include <sodium.h>
#include "util/timefmt.h"
#include "util/utf8.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct app_config g_app;

void app_set_config(const struct app_config *c) { g_app = *c; }
db *app_db(void) { return g_app.db_get ? g_app.db_get() : NULL; }
int app_fragment_cache(void) { return !g_app.no_fragment_cache; }

void page_init(page *p, req *r) {
	memset(p, 0, sizeof *p);
	p->r = r;
	p->a = &r->a;
	p->db = g_app.db_get ? g_app.db_get() : NULL;
	if (p->db) db_queries_reset(p->db);
	p->v = tv_map(p->a);
	p->site = site_get();
	p->now = time(NULL);
	p->views = -1;
}

/* an HTML comment: user text and sanitized posts never contain a raw "<!--";
** the fragment cache's mark for the view count (frag.h) */
#define PAGE_VIEWS_MARK FRAG_MARK_PREFIX "v-->"

void page_views(page *p, tv *m, const char *key, int64_t views) {
	p->views = views;
	tv_html(p->a, m, key, PAGE_VIEWS_MARK);
}

/* replaces the view mark with the number; tells the cache where it is */
static void views_fill(page *p) {
	buf *o = &p->r->out;
	const size_t ml = sizeof PAGE_VIEWS_MARK - 1;
	char num[24];
	int dl = snprintf(num, sizeof num, "%lld", (long long)p->views);
	buf nb;
	buf_init(&nb, 0);
	size_t at = 0, first = 0;
	int count = 0;
	for (const char *c = o->data, *end = o->data + o->len; c < end;) {
		const char *m = memmem(c, (size_t)(end - c), PAGE_VIEWS_MARK, ml);
		if (!m) {
			buf_append(&nb, c, (size_t)(end - c));
			break;
		}
		buf_append(&nb, c, (size_t)(m - c));
		if (!count++) first = nb.len;
		buf_append(&nb, num, (size_t)dl);
		c = m + ml;
		at = 1;
	}
	if (!at) {
		buf_release(&nb);
		return;
	}
	buf_release(o);
	*o = nb;
	if (count == 1) {
		p->cache.views_shown = p->views;
		p->cache.views_at = first + 1;
		p->cache.views_len = (size_t)dl;
	}
}

/* footer links: "name|url,name|url" */
static void footer_links(page *p, tv *list, const char *s) {
	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		const char *bar = memchr(s, '|', len);
		if (bar) {
			tv *l = tv_push_map(p->a, list);
			tv_strn(p->a, l, "name", s, (size_t)(bar - s));
			tv_strn(p->a, l, "url", bar + 1, len - (size_t)(bar + 1 - s));
		}
		s = comma ? comma + 1 : NULL;
	}
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
	tv_str(a, p->v, "title", title);
	tv_str(a, p->v, "css", static_url("loulan.css"));
	tv_str(a, p->v, "js", static_url("loulan.js"));
	tv *me = tv_add_map(a, p->v, "me");
	int frag = p->frag && p->me.uid;
#define MARK(c) FRAG_MARK_PREFIX c "-->"
	if (frag) {   /* what differs between members of a group, and the footer: filled per request (frag.h) */
		tv_html(a, me, "uid", MARK("u"));
		tv_html(a, me, "name", MARK("n"));
		tv_str(a, me, "group", group_get(p->me.groupid)->title);
		tv_html(a, me, "csrf", MARK("c"));
		tv_html(a, p->v, "now", MARK("t"));
		tv_html(a, p->v, "gzip", MARK("g"));
		tv_html(a, p->v, "cache", MARK("k"));
		tv_html(a, p->v, "queries", MARK("q"));
		tv_html(a, p->v, "elapsed", MARK("e"));
	} else {
		if (p->me.uid) {
			tv_int(a, me, "uid", p->me.uid);
			tv_str(a, me, "name", p->me.name);
			tv_str(a, me, "group", group_get(p->me.groupid)->title);
			tv_str(a, me, "csrf", p->me.csrf);
		}
		tv_str(a, p->v, "now", timefmt_short(a, p->now));
		tv_str(a, p->v, "gzip", r->accept_gzip ? "On" : "Off");
		tv_str(a, p->v, "cache", "Off");
		tv_int(a, p->v, "queries", p->db ? db_queries(p->db) : 0);
		double secs = (double)(http_now_ns() - r->t0_ns) / 1e9;
		tv_str(a, p->v, "elapsed", arena_sprintf(a, "%.6f", secs));
	}
#undef MARK
	tv_bool(a, p->v, "guest", p->me.uid == 0);
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	buf_reset(&r->out);
	if (tpl_render(&r->out, tname, p->v)) {
		buf_reset(&r->out);
		r->status = 500;
		buf_puts(&r->out, "500 Internal Server Error: template missing\n");
		r->ctype = "text/plain; charset=utf-8";
	} else if (p->views >= 0 && !frag) {
		views_fill(p);
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

void page_cache_site(page *p) { cache_dep_add(&p->cache, CACHEGEN_SITE, 0); }
void page_cache_board(page *p, int64_t fid) {
	page_cache_site(p);
	cache_dep_add(&p->cache, CACHEGEN_BOARD, fid);
}
void page_cache_thread(page *p, int64_t tid) {
	page_cache_site(p);
	cache_dep_add(&p->cache, CACHEGEN_THREAD, tid);
	p->cache.view_tid = tid;
}

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

/* ids: decimal, no sign, no leading zeros beyond "0", within int64 */
static int parse_pos(const char *s, int64_t max, int64_t *out) {
	if (!s || !*s || strlen(s) > 19) return -1;
	for (const char *c = s; *c; c++)
		if (*c < '0' || *c > '9') return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 1 || v > max) return -1;
	*out = v;
	return 0;
}

int page_id(page *p, const char *s, int64_t *out) {
	if (parse_pos(s, INT64_MAX / 2, out)) {
		page_error(p, 400, "参数无效：编号必须是正整数。");
		return -1;
	}
	return 0;
}

int page_number(page *p, const char *name, int *out) {
	const char *s = http_query(p->r, name);
	*out = 1;
	if (!s) return 0;
	int64_t v;
	if (parse_pos(s, FORUM_MAX_PAGE, &v)) {
		page_error(p, 400, "参数无效：页码必须是 1 到 1000000 之间的整数。");
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
	return v;
}
