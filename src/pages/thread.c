/*
** thread: the thread page `/t/{tid}?page=N[&author=UID][&mode=read]`, as a
** Discuz! reader knows it. Two queries: the thread with its board, then the
** floors of the page by position range (page 1,000 costs what page 1 costs).
** With author=UID the floors are that author's, paged by a position cursor.
*/
#include "pages/page.h"
#include "pages/frag.h"
#include "forum/react.h"
#include "util/timefmt.h"
#include <stdio.h>
#include <string.h>

const char *page_when(page *p, time_t t);
void page_pager(page *p, tv *m, const char *base, int cur, int last, int has_more);

const char *floor_label(arena *a, int64_t position) {
	switch (position) {
	case 1: return "楼主";
	case 2: return "沙发";
	case 3: return "板凳";
	case 4: return "地板";
	default: return arena_sprintf(a, "%lld#", (long long)position);
	}
}

static void floor_view(page *p, tv *list, const struct post *f, const struct thread *t) {
	arena *a = p->a;
	tv *m = tv_push_map(a, list);
	tv_int(a, m, "pid", f->pid);
	tv_int(a, m, "position", f->position);
	tv_str(a, m, "label", floor_label(a, f->position));
	tv_bool(a, m, "first", f->position == 1);
	tv *au = tv_add_map(a, m, "author");
	tv_int(a, au, "uid", f->authorid);
	tv_str(a, au, "name", f->author);
	if (f->author_exists) {
		const struct group *g = group_get(f->groupid);
		tv_str(a, au, "group", g->title);
		tv_str(a, au, "color", g->color);
		tv *stars = tv_add_list(a, au, "stars");
		for (int i = 0; i < g->stars && i < 10; i++) tv_push(a, stars, tv_new_int(a, i));
		tv_int(a, au, "posts", f->a_posts);
		tv_int(a, au, "threads", f->a_threads);
		tv_int(a, au, "credits", f->a_credits);
		tv_str(a, au, "regdate", timefmt_date(a, f->a_regdate));
	}
	const char *rel = timefmt_relative(a, f->created, p->now);
	tv_str(a, m, "when", rel ? rel : timefmt_full(a, f->created));
	tv_str(a, m, "exact", timefmt_full(a, f->created));
	tv_str(a, m, "iso", timefmt_iso(a, f->created));
	if (f->deleted) {
		tv_bool(a, m, "deleted", 1);
	} else {
		tv_html(a, m, "body", f->html);   /* sanitized when it was written */
		if (f->edited) {
			tv_str(a, m, "editor", f->editor);
			tv_str(a, m, "edited", timefmt_full(a, f->edited));
		}
		/* what this viewer may do with the floor: decided in forum/ */
		struct actor who = page_actor(p);
		int mod = forum_is_mod(who.groupid);
		tv_bool(a, m, "can_quote", forum_can_reply(&who, t->fid, (int)t->closed, NULL));
		tv_bool(a, m, "can_edit", forum_can_edit(&who, f->authorid) && (!t->closed || mod));
		tv_bool(a, m, "can_history", f->edited && forum_can_view_history(&who, f->authorid));
	}
	react_floor_view(p, m, f);   /* likes, attitudes, ratings: from the post row, no query */
}

/* ---- the member fragment cache (frag.h) ---- */

/* the values of this request for the marks */
static void frag_values(page *p, struct frag_vals *v) {
	arena *a = p->a;
	buf b;
	buf_init(&b, 0);
	buf_html_s(&b, p->me.name);
	v->name = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_reset(&b);
	buf_html_s(&b, timefmt_short(a, p->now));
	v->now = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_reset(&b);
	buf_html_s(&b, p->me.csrf);
	v->csrf = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_release(&b);
	v->uid = arena_sprintf(a, "%lld", (long long)p->me.uid);
	v->gzip = "On";
	v->queries = p->db ? db_queries(p->db) : 0;
	v->t0_ns = p->r->t0_ns;
}

static void frag_headers(page *p, const char *how) {
	req *r = p->r;
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	r->precompressed = 1;
	r->no_gzip = 1;
	page_std_headers(r);
	http_set_header(r, "X-Loulan-Fragment", how);
}

/* the uids that appear on the page in a way that changes it for them: the
** floors' authors (edit, delete, no like button) and the shown likers (取消点赞) */
static int64_t *page_uids(page *p, const struct post *floors, int n, int *nt) {
	int cap = n * 2 + 8, k = 0;
	int64_t *u = arena_alloc(p->a, sizeof *u * (size_t)cap);
	for (int i = 0; i < n; i++) {
		struct react_liker *ls;
		int nl = react_parse_likers(p->a, floors[i].likers, &ls);
		if (k + 1 + nl > cap) {
			int nc = (k + 1 + nl) * 2;
			int64_t *g = arena_alloc(p->a, sizeof *g * (size_t)nc);
			memcpy(g, u, sizeof *u * (size_t)k);
			u = g;
			cap = nc;
		}
		u[k++] = floors[i].authorid;
		for (int j = 0; j < nl; j++) u[k++] = ls[j].uid;
	}
	*nt = k;
	return u;
}

void page_thread(page *p) {
	arena *a = p->a;
	int64_t tid, author = 0;
	int pg;
	if (page_id(p, p->r->seg[0], &tid) || page_number(p, "page", &pg)) return;
	page_cache_thread(p, tid);   /* before reading: see page.h */
	/* a member with gzip: from the fragment cache if this group's page is there */
	int frag = 0;
	const char *fkey = NULL;   /* the request and the viewer's group */
	size_t fklen = 0;
	if (p->me.uid && p->r->accept_gzip && app_fragment_cache()) {
		buf k;
		buf_init(&k, 0);
		http_request_key(p->r, &k);
		buf_puts(&k, "#g");
		buf_put_int(&k, p->me.groupid);
		if (!k.err && k.len <= CACHE_MAX_KEY) {
			fkey = arena_strndup(a, k.data, k.len);
			fklen = k.len;
		}
		buf_release(&k);
		struct frag_vals fv;
		frag_values(p, &fv);
		int rc = fkey ? frag_get(fkey, fklen, p->me.uid, p->me.groupid, p->now, &fv, &p->r->out) : -1;
		if (rc == 1) {
			frag_headers(p, "hit");
			views_add(tid);
			return;
		}
		frag = rc == 0;
	}
	const char *as = http_query(p->r, "author");
	if (as && page_id(p, as, &author)) return;
	const char *mode = http_query(p->r, "mode");
	int reading = mode && !strcmp(mode, "read");
	struct thread t;
	int rc = forum_thread(p->db, a, tid, &t);
	if (rc < 0) { page_error(p, 503, "数据库暂时不可用，请稍后再试。"); return; }
	if (!rc) { page_error(p, 404, "指定的主题不存在或已被删除。"); return; }
	if (!page_board_visible(p, t.fid)) return;
	int last = (int)((t.maxposition + FORUM_FLOORS_PER_PAGE - 1) / FORUM_FLOORS_PER_PAGE);
	if (last < 1) last = 1;
	struct post *floors;
	int n, has_more = 0;
	if (author) {
		/* author filter: cursor on position (the floor after which to start) */
		int64_t after = 0;
		const char *cs = http_query(p->r, "after");
		if (cs && page_id(p, cs, &after)) return;
		if (forum_floors_by(p->db, a, tid, author, after, FORUM_FLOORS_PER_PAGE + 1, &floors, &n)) {
			page_error(p, 503, "数据库暂时不可用，请稍后再试。");
			return;
		}
		if (n > FORUM_FLOORS_PER_PAGE) { has_more = 1; n = FORUM_FLOORS_PER_PAGE; }
		if (has_more)
			tv_str(a, p->v, "author_next", arena_sprintf(a, "/t/%lld?author=%lld&after=%lld", (long long)tid,
			                                             (long long)author, (long long)floors[n - 1].position));
		if (after) tv_str(a, p->v, "author_first", arena_sprintf(a, "/t/%lld?author=%lld", (long long)tid, (long long)author));
		tv_int(a, p->v, "author_filter", author);
	} else {
		if (pg > last) { page_error(p, 404, "没有这一页。"); return; }
		int64_t from = (int64_t)(pg - 1) * FORUM_FLOORS_PER_PAGE + 1;
		if (forum_floors(p->db, a, tid, from, from + FORUM_FLOORS_PER_PAGE - 1, &floors, &n)) {
			page_error(p, 503, "数据库暂时不可用，请稍后再试。");
			return;
		}
	}
	views_add(tid);
	t.views++;   /* the reader sees their own view at once */
	tv *tm = tv_add_map(a, p->v, "thread");
	tv_int(a, tm, "tid", t.tid);
	tv_str(a, tm, "subject", t.subject);
	if (t.typename_) {
		tv_str(a, tm, "type", t.typename_);
		tv_int(a, tm, "typeid", t.typeid);
	}
	page_views(p, tm, "views", t.views);   /* live in the page cache */
	tv_int(a, tm, "replies", t.replies);
	tv_bool(a, tm, "closed", t.closed != 0);
	tv_bool(a, tm, "forbidreprint", t.forbidreprint);
	tv_int(a, tm, "authorid", t.authorid);
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", t.fid);
	tv_str(a, bm, "name", t.board.name);
	react_thread_view(p);
	tv *list = tv_add_list(a, p->v, "floors");
	for (int i = 0; i < n; i++) floor_view(p, list, &floors[i], &t);
	struct actor who = page_actor(p);
	int can_reply = forum_can_reply(&who, t.fid, (int)t.closed, NULL);
	tv_bool(a, p->v, "can_reply", can_reply);
	if (can_reply && p->me.uid) page_composer(p, arena_sprintf(a, "/t/%lld/reply", (long long)tid), t.fid);  /* the quick reply's toolbar */
	tv_bool(a, p->v, "reading", reading);
	tv_int(a, p->v, "page", pg);
	if (!author) page_pager(p, p->v, arena_sprintf(a, "/t/%lld?%s", (long long)tid, reading ? "mode=read&" : ""), pg, last, 0);
	int nt = 0;
	int64_t *uids = frag ? page_uids(p, floors, n, &nt) : NULL;
	for (int i = 0; frag && i < nt; i++)
		if (uids[i] == p->me.uid) frag = 0;   /* this viewer's page is their own */
	if (nt > FRAG_MAX_TOUCH) frag = 0;
	p->frag = frag;
	page_render(p, 200, "thread", arena_sprintf(a, "%s - %s - %s", t.subject, t.board.name, p->site->name));
	p->frag = 0;
	if (frag) {
		req *r = p->r;
		struct frag_vals fv;
		frag_values(p, &fv);
		struct frag *e = r->status == 200 && !r->out.err
		               ? frag_make(fkey, fklen, &p->cache, t.fid, p->views, uids, nt, r->out.data, r->out.len, p->now)
		               : NULL;
		buf html = r->out;
		buf_init(&r->out, 0);
		if (e) {
			frag_fill(e, &fv, &r->out);
			frag_headers(p, "miss");
			frag_put(e);
		} else {
			frag_subst(html.data, html.len, &fv, p->views, &r->out);   /* plain; the server compresses it */
		}
		buf_release(&html);
	}
}

static void neighbour(page *p, int dir) {
	int64_t tid;
	if (page_id(p, p->r->seg[0], &tid)) return;
	int64_t fid = 0, to = forum_neighbour(p->db, tid, dir, &fid);
	if (to && !page_board_visible(p, fid)) return;   /* the thread's board: the next one is in it too */
	if (!to) {
		page_error(p, 404, dir > 0 ? "没有下一主题了。" : "没有上一主题了。");
		return;
	}
	char url[64];
	snprintf(url, sizeof url, "/t/%lld", (long long)to);
	http_redirect(p->r, 302, url);
}

void page_thread_next(page *p) { neighbour(p, 1); }
void page_thread_prev(page *p) { neighbour(p, -1); }
