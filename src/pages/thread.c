/*
** thread: the thread page `/t/{tid}?page=N[&author=UID][&mode=read][&order=desc]`, as a
** Discuz! reader knows it. Two queries: the thread with its board, then the
** floors of the page by position range (page 1,000 costs what page 1 costs).
** With author=UID the floors are that author's, paged by a position cursor.
*/
#include "pages/page.h"
#include "forum/anon.h"
#include "pages/urlparse.h"
#include "forum/moderate.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/views.h"
#include "forum/posting.h"
#include "forum/react.h"
#include "forum/moderate.h"
#include "pages/urlparse.h"
#include "util/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *floor_label(arena *a, int64_t position) {
	switch (position) {
	case 1: return "楼主";
	case 2: return "沙发";
	case 3: return "板凳";
	case 4: return "地板";
	default: return arena_sprintf(a, "%lld#", (long long)position);
	}
}

static void floor_view(page *p, tv *list, const struct post *f, const struct thread *t, int canmod) {
	arena *a = p->a;
	tv *m = tv_push_map(a, list);
	tv_int(a, m, "pid", f->pid);
	tv_int(a, m, "position", f->position);
	tv_str(a, m, "label", floor_label(a, f->position));
	tv_bool(a, m, "first", f->position == 1);
	int fk;
	const char *fl = page_flash_for(p, f->pid, &fk);   /* a refused 支持, a report sent: said on its floor */
	if (fl) {
		tv *fm = tv_add_map(a, m, "flash");
		tv_str(a, fm, "text", fl);
		tv_bool(a, fm, "ok", fk == FLASH_OK);
		tv_bool(a, fm, "withdraw", fk == FLASH_WITHDRAW);
	}
	tv *au = tv_add_map(a, m, "author");
	int hide = page_anon_hidden(p, f->anonymous, t->fid);   /* 匿名: the board's moderators see who (anon.h) */
	int guest = !hide && f->authorid == 0;   /* a guest's floor (imported from Discuz!) */
	tv_int(a, au, "uid", hide ? 0 : f->authorid);
	tv_str(a, au, "name", hide ? ANON_NAME : guest ? GUEST_NAME : f->author);
	if (hide) tv_bool(a, au, "anon", 1);
	else if (guest) tv_bool(a, au, "by_guest", 1);
	else if (f->anonymous) tv_bool(a, au, "anon_mod", 1);
	if (f->author_exists && !hide) {
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
	tv_bool(a, m, "warned", f->warned != 0);
	if (f->deleted) {
		tv_bool(a, m, "deleted", 1);
	} else if (f->banned && !canmod) {
		tv_bool(a, m, "banned", 1);   /* 屏蔽: moderators of the board still read it */
	} else {
		tv_bool(a, m, "banned_mod", f->banned != 0);
		/* sanitized when it was written; [hide] content this viewer may see spliced in (issue 18) */
		struct actor me = page_actor(p);
		int varies;
		tv_html(a, m, "body", forum_floor_html(a, &me, t->fid, f, (int64_t)p->now, &varies));
		if (f->hidesrc && p->me.uid) p->ckey = NULL;   /* a member's page with [hide] is their own: never shared */
		if (f->sig && *f->sig && !hide) tv_html(a, m, "sig", f->sig);   /* 签名 (hidden per viewer by CSS: PH_SIGOFF) */
		if (f->edited) {
			/* an anonymous author's own edit is 匿名's */
			tv_str(a, m, "editor", hide && !strcmp(f->editor, f->author) ? ANON_NAME : f->editor);
			tv_str(a, m, "edited", timefmt_full(a, f->edited));
		}
		/* what this viewer may do with the floor: decided in forum/ */
		struct actor who = page_actor(p);
		tv_bool(a, m, "can_quote", forum_can_reply(&who, t->fid, (int)t->closed, NULL));
		tv_bool(a, m, "can_edit",
		        forum_can_edit(&who, t->fid, f->authorid) && forum_closed_allows(&who, t->fid, (int)t->closed, FORUM_EDIT, NULL));
		tv_bool(a, m, "can_history", f->edited && forum_can_view_history(&who, t->fid, f->authorid));
	}
	struct post shown = *f;
	if (hide) shown.author_exists = 0;   /* no author credits in the sidebar */
	page_reactions_floor(p, m, &shown);   /* likes, attitudes, ratings: from the post row, no query */
}

/* the thread's moderation state: markers, the last action's note, the 管理 menu (canmod) */
static void mod_thread_view(page *p, tv *tm, const struct thread *t, int canmod) {
	arena *a = p->a;
	static const char *const sticks[] = {"", "本版置顶", "分类置顶", "全局置顶"};
	if (t->sticky > 0 && t->sticky <= 3) tv_str(a, tm, "sticky", sticks[t->sticky]);
	if (t->digest > 0) tv_int(a, tm, "digest", t->digest);
	/* modnote: "name\taction\twhen" */
	const char *tab1 = strchr(t->modnote, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
	int64_t when;
	if (tab2 && !url_uint(tab2 + 1, strlen(tab2 + 1), INT64_MAX, &when)) {
		tv *n = tv_add_map(a, tm, "modnote");
		tv_str(a, n, "who", arena_strndup(a, t->modnote, (size_t)(tab1 - t->modnote)));
		tv_str(a, n, "action", arena_strndup(a, tab1 + 1, (size_t)(tab2 - tab1 - 1)));
		tv_str(a, n, "when", timefmt_full(a, when));
	}
	if (!canmod) return;
	struct actor who = page_actor(p);
	tv *m = tv_add_map(a, p->v, "modmenu");
	tv_bool(a, m, "supermod", forum_is_supermod(&who));
	tv_bool(a, m, "sticky", t->sticky > 0);
	tv_bool(a, m, "digest", t->digest > 0);
	tv_bool(a, m, "closed", t->closed != 0);
}

/* ---- members' thread pages from the page cache (cache/cache.h) ---- */

static void member_headers(page *p, const char *how) {
	req *r = p->r;
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	r->precompressed = 1;
	r->no_gzip = 1;
	page_std_headers(r);
	http_set_header(r, "X-Loulan-Fragment", how);
}

/* 1: answered from the cache; 0: render (p->ckey set when the page may be stored) */
static int member_cached(page *p, int64_t tid) {
	if (http_cookie(p->r, FLASH_COOKIE)) return 0;   /* its page shows the message once: not shared */
	buf k;
	buf_init(&k, 0);
	page_request_key(p->r, &k);
	size_t kbase = k.len;
	buf_puts(&k, "#g");
	buf_put_int(&k, p->me.groupid);
	if (p->layout_touch) buf_puts(&k, "#touch");   /* the 手机版 layout */
	const char *key = NULL;
	size_t klen = 0;
	if (!k.err && k.len <= CACHE_MAX_KEY) {
		key = arena_strndup(p->a, k.data, k.len);
		klen = k.len;
	}
	buf_release(&k);
	if (!key) return 0;
	cache_entry *e = cache_get(CACHE_MEMBER, key, klen, p->now);
	if (e && !page_sees(p, cache_tag(e))) {
		cache_release(e);   /* the full path refuses it */
		e = NULL;
	}
	if (e) {   /* a board's own moderator outside the staff groups sees more (管理, 匿名 authors): their own render */
		struct actor who = page_actor(p);
		if (forum_can_moderate(&who, cache_tag(e)) && !forum_is_supermod(&who)) {
			cache_release(e);
			return 0;
		}
	}
	if (e && !page_counts_hit(p, e)) {   /* a reply moved the thread's counters since: render, store */
		cache_release(e);
		e = NULL;
	}
	if (e && cache_touches(e, p->me.uid)) {   /* this viewer's page is their own: render, store nothing */
		cache_release(e);
		cache_note(CACHE_MEMBER, CACHE_EV_TOUCHED);
		return 0;
	}
	if (!e) {
		p->ckey = key;
		p->cklen = klen;
		p->ckbase = kbase;
		p->cuse = CACHE_MEMBER;
		return 0;
	}
	const char *vals[TPL_MAX_HOLE_ID];
	page_hole_values(p, vals, cache_count_next(e), "On");
	cache_fill(e, vals, &p->r->out);
	cache_release(e);
	cache_note(CACHE_MEMBER, CACHE_EV_HIT);
	member_headers(p, "hit");
	views_add(tid);
	return 1;
}

void page_thread(page *p) {
	arena *a = p->a;
	int64_t tid, author = 0;
	int pg;
	if (page_id(p, p->r->seg[0], &tid) || page_number(p, "page", &pg)) return;
	page_cache_thread(p, tid);   /* before reading: see page.h */
	/* a member with gzip: from the cache if this group's page is there */
	/* (a board moderator's page differs from their group's: their boards get the 管理 menu) */
	if (p->me.uid && p->me.groupid != GROUP_MOD && p->r->accept_gzip && app_fragment_cache() && member_cached(p, tid))
		return;
	const char *as = http_query(p->r, "author");
	if (as && page_id(p, as, &author)) return;
	const char *mode = http_query(p->r, "mode"), *order = http_query(p->r, "order");
	int reading = mode && !strcmp(mode, "read");
	/* 倒序浏览: newest first, still a range of positions (page N of the reversed thread) */
	int desc = order && !strcmp(order, "desc");
	if (order && !desc) { page_error(p, 400, "参数无效：排序只能是 order=desc（倒序浏览）。"); return; }
	/* a plain page's floors depend only on the URL: sent now, they share the thread's round trip */
	struct floors_ahead *ahead = !author && !desc && pg >= 1
		? forum_floors_send(p->db, a, tid, (int64_t)(pg - 1) * FORUM_FLOORS_PER_PAGE + 1,
		                    (int64_t)pg * FORUM_FLOORS_PER_PAGE, p->me.uid)
		: NULL;
	struct thread t;
	int rc = forum_thread(p->db, a, tid, &t);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的主题不存在或已被删除。"); return; }
	if (!page_board_visible(p, t.fid)) return;
	if (t.moved) {   /* a "moved" stub left in the old board */
		http_redirect(p->r, 301, arena_sprintf(a, "/t/%lld", (long long)t.moved));
		return;
	}
	int last = (int)page_thread_pages(t.maxposition);
	struct post *floors;
	int n, has_more = 0;
	if (author) {
		/* author filter: cursor on position (the floor after which to start) */
		int64_t after = 0;
		const char *cs = http_query(p->r, "after");
		if (cs && page_id(p, cs, &after)) return;
		if (forum_floors_by(p->db, a, tid, author, after, FORUM_FLOORS_PER_PAGE + 1, p->me.uid, &floors, &n)) {
			page_db_unavailable(p);
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
		int64_t from = (int64_t)(pg - 1) * FORUM_FLOORS_PER_PAGE + 1, to = from + FORUM_FLOORS_PER_PAGE - 1;
		if (desc) {
			to = t.maxposition - (int64_t)(pg - 1) * FORUM_FLOORS_PER_PAGE;
			from = to - FORUM_FLOORS_PER_PAGE + 1 < 1 ? 1 : to - FORUM_FLOORS_PER_PAGE + 1;
		}
		if (ahead ? forum_floors_read(a, ahead, &floors, &n)
		          : forum_floors(p->db, a, tid, from, to, p->me.uid, &floors, &n)) {
			page_db_unavailable(p);
			return;
		}
		for (int i = 0; desc && i < n / 2; i++) {
			struct post x = floors[i];
			floors[i] = floors[n - 1 - i];
			floors[n - 1 - i] = x;
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
	/* holes (live replies: static/loulan.js, pages/live.c read data-max); a reply leaves pages before the last */
	enum page_place place = author || desc || pg >= last ? PAGE_TAIL : page_pager_far(pg, last) ? PAGE_FAR : PAGE_NEAR;
	page_thread_counts(p, tm, tid, t.replies, t.maxposition, place);
	tv_bool(a, tm, "closed", t.closed != 0);
	tv_bool(a, tm, "forbidreprint", t.forbidreprint);
	if (!page_anon_hidden(p, t.anonymous, t.fid)) tv_int(a, tm, "authorid", t.authorid);
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", t.fid);
	tv_str(a, bm, "name", t.board.name);
	page_board_crumbs(p, bm, &t.board);
	page_reactions_thread(p, t.fid);
	/* the head's description, card image, canonical page and the board's feed (issue 14) */
	for (int i = 0; i < n; i++) {
		if (floors[i].position != 1 || floors[i].deleted || floors[i].banned) continue;   /* 屏蔽: not in the head */
		const char *d = page_excerpt(a, floors[i].html, PAGE_DESC_MAX), *img = page_first_image(a, floors[i].html);
		if (*d) tv_str(a, p->v, "meta_desc", d);
		if (img) tv_str(a, p->v, "og_image", img);
	}
	tv_str(a, p->v, "og_type", "article");
	tv_str(a, p->v, "rss", arena_sprintf(a, "/f/%lld/rss", (long long)t.fid));
	if (pg > 1 && !author) tv_str(a, p->v, "canonical_path", arena_sprintf(a, "/t/%lld?page=%d", (long long)tid, pg));
	tv *list = tv_add_list(a, p->v, "floors");
	struct actor who = page_actor(p);
	int canmod = forum_can_moderate(&who, t.fid);
	for (int i = 0; i < n; i++) floor_view(p, list, &floors[i], &t, canmod);
	mod_thread_view(p, tm, &t, canmod);
	int can_reply = forum_can_reply(&who, t.fid, (int)t.closed, NULL);
	tv_bool(a, p->v, "can_reply", can_reply);
	if (can_reply && p->me.uid) page_composer(p, arena_sprintf(a, "/t/%lld/reply", (long long)tid), t.fid);  /* the quick reply's toolbar */
	/* the author sidebar's 管理 menu (禁言/禁止访问 with term and reason, 警告, 屏蔽, 删除该用户所有帖子): a
	   board's moderator outside the staff groups sees a page of their own; 禁止访问 for super moderators and
	   admins, the purge for admins (the rules in forum/ban.c decide again on the POST) */
	int can_ban = who.uid && forum_can_moderate(&who, t.fid);
	if (can_ban && !forum_is_supermod(&who)) page_varies_for(p, who.uid);
	tv_bool(a, p->v, "can_ban", can_ban);
	if (can_ban) {
		page_ban_terms(p, 3);   /* "days" and "reason_max" */
		tv_bool(a, p->v, "can_visit", forum_is_supermod(&who));
		tv_bool(a, p->v, "can_purge", who.groupid == GROUP_ADMIN);
	}
	tv_bool(a, p->v, "reading", reading);
	tv_int(a, p->v, "page", pg);
	tv_int(a, p->v, "per_page", FORUM_FLOORS_PER_PAGE);
	if (!author)
		page_pager(p, p->v, arena_sprintf(a, "/t/%lld?%s%s", (long long)tid, reading ? "mode=read&" : "", desc ? "order=desc&" : ""),
		           pg, last, 0, place == PAGE_FAR);
	tv_bool(a, p->v, "desc", desc);
	p->ctag = t.fid;   /* a member hit checks this board's permission */
	page_render(p, 200, "thread", arena_sprintf(a, "%s - %s - %s", t.subject, t.board.name, p->site->name));
}

static void neighbour(page *p, int dir) {
	int64_t tid;
	if (page_id(p, p->r->seg[0], &tid)) return;
	int64_t fid = 0, to = forum_neighbour(p->db, tid, dir, &fid);
	if (!fid) {
		page_error(p, 404, "指定的主题不存在或已被删除。");
		return;
	}
	if (!page_board_visible(p, fid)) return;   /* the thread's board: the next one is in it too */
	if (!to) {   /* the end of the board: back to the thread, which says so (not a dead end) */
		page_back(p, arena_sprintf(p->a, "/t/%lld", (long long)tid), 0, FLASH_INFO,
		          dir > 0 ? "没有更新的主题了，这已是本版最新的主题。" : "没有更早的主题了，这已是本版最早的主题。");
		return;
	}
	char url[64];
	snprintf(url, sizeof url, "/t/%lld", (long long)to);
	http_redirect(p->r, 302, url);
}

void page_thread_next(page *p) { neighbour(p, 1); }
void page_thread_prev(page *p) { neighbour(p, -1); }
