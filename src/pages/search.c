/*
** search: `/search?q=...` (the header's search box), `/api/v1/search` and
** Discuz!'s `search.php?mod=forum&srchtxt=...` (301). Filters: fid, author
** (a member name), days (posts of the last N days), titles=1; sort=new or
** relevance; paging by the cursor after=K_PID (the last row shown), or on
** the API by page=N inside the bounded match set (forum/search.h).
** Throttled per IP and per member (search.max_per_minute*). Queries: the
** session, the throttle's counter, the search: three.
*/
#include "pages/page.h"
#include "pages/batch.h"
#include "forum/ratelimit.h"
#include "forum/search.h"
#include "forum/user.h"
#include "pages/urlparse.h"
#include "util/timefmt.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_WINDOW 60   /* seconds of the throttle's window (search.max_per_minute*) */

const char *page_when(page *p, time_t t);

/* what the reader asked for, parsed; 0 ok, -1 after the error reply */
struct sform { const char *q, *author, *sort; int64_t fid, days; int titles; struct search_req rq; char key[64]; };

/* a query or filter we cannot use: JSON 400, or (web) the message kept for the form page */
static int bad(page *p, const char *msg) {
	if (p->api) page_json_error(p, 400, "bad_request", msg);
	else tv_str(p->a, p->v, "search_error", msg);
	return -1;
}

static int parse_form(page *p, struct sform *f, struct search_query *q) {
	memset(f, 0, sizeof *f);
	f->q = http_query(p->r, "q");
	f->author = http_query(p->r, "author");
	f->sort = http_query(p->r, "sort");
	const char *s;
	if ((s = http_query(p->r, "fid")) && *s && page_id(p, s, &f->fid)) return -1;
	if ((s = http_query(p->r, "days")) && *s) {
		if (url_uint(s, strlen(s), SEARCH_MAX_DAYS, &f->days))
			return bad(p, arena_sprintf(p->a, "参数无效：days 应为 0 到 %d 之间的天数。", SEARCH_MAX_DAYS));
	}
	f->titles = (s = http_query(p->r, "titles")) && !strcmp(s, "1");
	if (f->sort && *f->sort && strcmp(f->sort, "new") && strcmp(f->sort, "relevance"))
		return bad(p, "参数无效：sort 只能是 relevance 或 new。");
	if (f->author && *f->author) {
		if (user_name_key(f->author, f->key, sizeof f->key)) return bad(p, "作者用户名无效。");
		f->rq.author_key = f->key;
	}
	if ((s = http_query(p->r, "after")) && *s) {
		/* K_PID: K the sort key (signed), PID the post; each in the one canonical form (urlparse.h) */
		const char *us = strchr(s, '_');
		char kbuf[24];
		if (!us || (size_t)(us - s) >= sizeof kbuf) return bad(p, "参数无效：翻页位置格式不正确。");
		memcpy(kbuf, s, (size_t)(us - s));
		kbuf[us - s] = 0;
		if (url_int(kbuf, -INT64_MAX, INT64_MAX, &f->rq.after_k) || url_id(us + 1, INT64_MAX, &f->rq.after_pid))
			return bad(p, "参数无效：翻页位置格式不正确。");
	}
	int pg = 1;
	if (page_number(p, "page", &pg)) return -1;
	if (pg > SEARCH_MAX_PAGE)
		return bad(p, arena_sprintf(p->a, "搜索结果最多翻到第 %d 页，请换用更具体的搜索词。", SEARCH_MAX_PAGE));
	if (!f->rq.after_pid) f->rq.skip = (int64_t)(pg - 1) * SEARCH_PER_PAGE;
	char err[256];
	if (search_query_parse(f->q, q, err, sizeof err)) return bad(p, arena_strdup(p->a, err));
	q->titles = f->titles;
	f->rq.q = q;
	f->rq.fid = f->fid;
	f->rq.since = f->days ? (int64_t)p->now - f->days * 86400 : 0;
	f->rq.newest = f->sort && !strcmp(f->sort, "new");
	f->rq.now = p->now;
	return 0;
}

/* per IP and per member, one counter query; 0 go on, -1 after the 429 */
static int throttle(page *p) {
	char k1[RATELIMIT_KEY_MAX], k2[RATELIMIT_KEY_MAX];
	snprintf(k1, sizeof k1, "search:ip:%s", p->r->ip ? p->r->ip : "");
	snprintf(k2, sizeof k2, "search:uid:%lld", (long long)p->me.uid);
	int64_t count[2], retry[2];
	if (ratelimit_hit(p->db, k1, p->me.uid ? k2 : NULL, SEARCH_WINDOW, p->now, count, retry)) {
		if (p->api) page_json_error(p, 503, "unavailable", "数据库暂时不可用，请稍后再试。");
		else page_error(p, 503, "数据库暂时不可用，请稍后再试。");
		return -1;
	}
	int64_t wait = 0;
	if (count[0] > p->site->search_max_ip) wait = retry[0];
	if (p->me.uid && count[1] > p->site->search_max && retry[1] > wait) wait = retry[1];
	if (!wait) return 0;
	char ra[24];
	snprintf(ra, sizeof ra, "%lld", (long long)wait);
	http_set_header(p->r, "Retry-After", ra);
	const char *msg = arena_sprintf(p->a, "您搜索得太频繁了，请 %lld 秒后再试。", (long long)wait);
	if (p->api) page_json_error(p, 429, "too_many_requests", msg);
	else page_error(p, 429, msg);
	return -1;
}

static int run(page *p, struct sform *f, struct search_result *res) {
	struct actor who = page_actor(p);
	if (throttle(p)) return -1;
	if (db_kind(p->db) == DB_SQLITE && search_pending_any()) batch_search_sync();   /* posts the index waits for */
	if (search_run(p->db, p->a, &who, &f->rq, res)) {
		if (p->api) page_json_error(p, 503, "unavailable", "数据库暂时不可用，请稍后再试。");
		else page_error(p, 503, "数据库暂时不可用，请稍后再试。");
		return -1;
	}
	return 0;
}

/* the excerpt as view pieces {text, hit} */
static void segs_view(page *p, tv *m, const char *key, const char *text, const struct search_query *q) {
	struct search_excerpt x;
	search_excerpt(text, q, &x);
	tv *list = tv_add_list(p->a, m, key);
	if (x.lead) tv_str(p->a, tv_push_map(p->a, list), "text", "…");
	for (int i = 0; i < x.n; i++) {
		tv *s = tv_push_map(p->a, list);
		tv_strn(p->a, s, "text", text + x.seg[i].off, (size_t)x.seg[i].len);
		tv_bool(p->a, s, "hit", x.seg[i].hit);
	}
	if (x.trail) tv_str(p->a, tv_push_map(p->a, list), "text", "…");
}

/* the excerpt as plain text and as escaped HTML with <mark> around the matches */
static void excerpt_json(json_t *o, const char *text, const struct search_query *q) {
	struct search_excerpt x;
	search_excerpt(text, q, &x);
	buf t, h;
	buf_init(&t, 0);
	buf_init(&h, 0);
	if (x.lead) buf_puts(&t, "…"), buf_puts(&h, "…");
	for (int i = 0; i < x.n; i++) {
		buf_append(&t, text + x.seg[i].off, (size_t)x.seg[i].len);
		if (x.seg[i].hit) buf_puts(&h, "<mark>");
		buf_html(&h, text + x.seg[i].off, (size_t)x.seg[i].len);
		if (x.seg[i].hit) buf_puts(&h, "</mark>");
	}
	if (x.trail) buf_puts(&t, "…"), buf_puts(&h, "…");
	json_object_set_new(o, "excerpt", json_string(buf_cstr(&t)));
	json_object_set_new(o, "excerpt_html", json_string(buf_cstr(&h)));
	buf_release(&t);
	buf_release(&h);
}

/* the query string of this search without paging, for links ("q=..&fid=..&") */
static const char *base_url(page *p, const struct sform *f) {
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, "/search?q=");
	buf_urlenc(&b, f->q, strlen(f->q));
	if (f->fid) buf_appendf(&b, "&fid=%lld", (long long)f->fid);
	if (f->author && *f->author) {
		buf_puts(&b, "&author=");
		buf_urlenc(&b, f->author, strlen(f->author));
	}
	if (f->days) buf_appendf(&b, "&days=%lld", (long long)f->days);
	if (f->titles) buf_puts(&b, "&titles=1");
	if (f->rq.newest) buf_puts(&b, "&sort=new");
	buf_putc(&b, '&');
	const char *r = arena_strdup(p->a, buf_cstr(&b));
	buf_release(&b);
	return r;
}

static void form_view(page *p, const struct sform *f) {
	arena *a = p->a;
	tv *m = tv_add_map(a, p->v, "search");
	tv_str(a, m, "q", f->q);
	tv_str(a, m, "author", f->author);
	if (f->fid) tv_int(a, m, "fid", f->fid);
	tv_bool(a, m, "titles", f->titles);
	tv_bool(a, m, "newest", f->sort && !strcmp(f->sort, "new"));
	static const int64_t days[] = {0, 1, 7, 30, 90, 365};
	static const char *const names[] = {"全部时间", "一天内", "一周内", "一个月内", "三个月内", "一年内"};
	tv *dl = tv_add_list(a, m, "days");
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		tv *d = tv_push_map(a, dl);
		tv_int(a, d, "n", days[i]);
		tv_str(a, d, "name", names[i]);
		tv_bool(a, d, "on", days[i] == f->days);
	}
}

void page_search(page *p) {
	arena *a = p->a;
	struct sform f;
	struct search_query q;
	const char *qs = http_query(p->r, "q");
	tv_str(a, p->v, "search_q", qs);
	if (!qs || !*qs) {   /* the empty form: no query, no throttle */
		memset(&f, 0, sizeof f);
		f.q = "";
		const char *fs = http_query(p->r, "fid");   /* "search this board" keeps its board */
		if (fs && *fs && page_id(p, fs, &f.fid)) return;
		form_view(p, &f);
		page_render(p, 200, "search", arena_sprintf(a, "搜索 - %s", p->site->name));
		return;
	}
	if (parse_form(p, &f, &q)) {
		if (!tv_get(p->v, "search_error")) return;   /* page_id/page_number answered */
		f.q = qs;   /* the form again, with what was typed and why it cannot be searched */
		form_view(p, &f);
		tv_str(a, tv_get(p->v, "search"), "error", tv_get(p->v, "search_error")->s);
		page_render(p, 400, "search", arena_sprintf(a, "搜索 - %s", p->site->name));
		return;
	}
	struct search_result res;
	if (run(p, &f, &res)) {
		search_query_free(&q);
		return;
	}
	form_view(p, &f);
	tv *m = tv_get(p->v, "search");
	tv_int(a, m, "total", res.total);
	tv_bool(a, m, "capped", res.capped);
	tv_bool(a, m, "done", 1);
	tv *list = tv_add_list(a, m, "results");
	for (int i = 0; i < res.n; i++) {
		const struct search_hit *h = &res.rows[i];
		if (!page_sees(p, h->fid)) continue;   /* the query filtered already; one rule decides */
		tv *r = tv_push_map(a, list);
		tv_int(a, r, "tid", h->tid);
		tv_int(a, r, "pid", h->pid);
		tv_bool(a, r, "first", h->position == 1);
		segs_view(p, r, "subject", h->subject, &q);
		segs_view(p, r, "excerpt", h->text, &q);
		page_author_tv(p, r, h->anonymous, h->fid, h->authorid, h->author);   /* 匿名 (anon.h) */
		tv_str(a, r, "created", timefmt_full(a, h->created));
		tv_int(a, r, "fid", h->fid);
	}
	if (res.has_more && res.n) {
		const struct search_hit *l = &res.rows[res.n - 1];
		int pg = 1;
		page_number(p, "page", &pg);
		tv *pager = tv_add_map(a, m, "pager");
		tv_int(a, pager, "page", pg);
		tv_str(a, pager, "next", arena_sprintf(a, "%spage=%d&after=%lld_%lld", base_url(p, &f), pg + 1, (long long)l->k,
		                                       (long long)l->pid));
	}
	if (f.rq.after_pid || f.rq.skip) tv_str(a, m, "first_page", base_url(p, &f));
	search_query_free(&q);
	page_render(p, 200, "search", arena_sprintf(a, "%s - 搜索 - %s", f.q, p->site->name));
}

/* the same search from the hit after `after` on: the list's next page */
static const char *next_search_url(page *p, const struct sform *f, const char *after) {
	buf u;
	buf_init(&u, 0);
	buf_puts(&u, "/api/v1/search?");
	const char *keys[] = {"q", "author", "sort", "fid", "days", "titles"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = http_query(p->r, keys[i]);
		if (!v || !*v) continue;
		buf_appendf(&u, "%s=", keys[i]);
		buf_urlenc(&u, v, strlen(v));
		buf_putc(&u, '&');
	}
	buf_appendf(&u, "after=%s", after);
	const char *s = arena_strdup(p->a, buf_cstr(&u));
	buf_release(&u);
	return s;
}

void api_search(page *p) {
	struct sform f;
	struct search_query q;
	if (parse_form(p, &f, &q)) return;
	struct search_result res;
	if (run(p, &f, &res)) {
		search_query_free(&q);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < res.n; i++) {
		const struct search_hit *h = &res.rows[i];
		if (!page_sees(p, h->fid)) continue;
		json_t *o = json_object();
		json_object_set_new(o, "tid", json_integer(h->tid));
		json_object_set_new(o, "pid", json_integer(h->pid));
		json_object_set_new(o, "fid", json_integer(h->fid));
		json_object_set_new(o, "subject", json_string(h->subject));
		excerpt_json(o, h->text, &q);
		page_author_json(p, o, h->anonymous, h->fid, h->authorid, h->author);   /* 匿名 (anon.h) */
		page_json_time(o, "created", h->created);
		json_object_set_new(o, "position", json_integer(h->position));
		json_array_append_new(list, o);
	}
	json_t *out = json_pack("{s:o, s:I, s:b}", "results", list, "total", (json_int_t)res.total, "capped", res.capped);
	const char *next_url = NULL;
	if (res.has_more && res.n) {
		const struct search_hit *l = &res.rows[res.n - 1];
		const char *after = arena_sprintf(p->a, "%lld_%lld", (long long)l->k, (long long)l->pid);
		json_object_set_new(out, "next", json_string(after));
		next_url = next_search_url(p, &f, after);
	}
	page_json_next(p, out, next_url);
	search_query_free(&q);
	page_json_send(p, 200, out);
}

/* Discuz!'s search.php?mod=forum&srchtxt=...[&srchfid=N][&srchuname=NAME] -> /search (301) */
void page_discuz_search(page *p) {
	const char *txt = http_query(p->r, "srchtxt"), *fid = http_query(p->r, "srchfid"),
	           *uname = http_query(p->r, "srchuname");
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, "/search");
	char sep = '?';
	if (txt && *txt) {
		buf_puts(&b, "?q=");
		buf_urlenc(&b, txt, strnlen(txt, SEARCH_QUERY_MAX * 2));
		sep = '&';
	}
	if (fid && *fid && strspn(fid, "0123456789") == strlen(fid) && strlen(fid) < 19) {
		buf_appendf(&b, "%cfid=%s", sep, fid);
		sep = '&';
	}
	if (uname && *uname) {
		buf_appendf(&b, "%cauthor=", sep);
		buf_urlenc(&b, uname, strnlen(uname, 64));
	}
	http_redirect(p->r, 301, buf_cstr(&b));
	http_set_header(p->r, "Cache-Control", "public, max-age=86400");
	buf_release(&b);
}
