/*
** board: the board page `/f/{fid}?page=N&typeid=T`: type filter, threads
** with their [type] prefix, sticky first, 20 per page. Two queries.
*/
#include "pages/page.h"
#include "forum/anon.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/moderate.h"
#include "pages/urlparse.h"
#include "util/timefmt.h"
#include <stdlib.h>
#include <string.h>


/* ?after= / ?before= cursor "STICKY_LASTPOST_TID": three decimal numbers; 400 when malformed */
static int cursor_param(page *p, const char *name, int dir, struct thread_cursor *c) {
	const char *s = http_query(p->r, name);
	if (!s) return 0;
	/* one cursor at most */
	if (c->dir || url_thread_cursor(s, dir, c)) {
		page_error(p, 400, "参数无效：翻页位置格式不正确。");
		return -1;
	}
	return 0;
}

void page_board(page *p) {
	arena *a = p->a;
	int64_t fid, typeid = 0;
	int pg;
	if (page_id(p, p->r->seg[0], &fid) || page_number(p, "page", &pg)) return;
	page_cache_board(p, fid);
	const char *ts = http_query(p->r, "typeid");
	if (ts && page_id(p, ts, &typeid)) return;
	struct thread_cursor cur = {0};
	if (cursor_param(p, "after", 1, &cur) || cursor_param(p, "before", -1, &cur)) return;
	/* the list depends only on the URL: sent now, it shares the board's round trip (checked before shown) */
	struct threads_ahead *ahead = forum_threads_send(p->db, a, fid, typeid, pg, &cur);
	struct board b;
	int rc = forum_board(p->db, a, fid, &b);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的版块不存在或已被隐藏。"); return; }
	if (!page_board_visible(p, fid)) return;
	if (typeid && !board_type_name(&b, typeid)) { page_error(p, 404, "指定的主题分类不存在。"); return; }
	struct thread_page tp;
	if (forum_threads_read(a, ahead, &tp)) { page_db_unavailable(p); return; }
	if (pg > 1 && tp.n == 0) { page_error(p, 404, "没有这一页。"); return; }
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", b.fid);
	tv_str(a, bm, "name", b.name);
	tv_str(a, bm, "description", b.description);
	if (b.rules && *b.rules) tv_str(a, bm, "rules", b.rules);   /* 版规: escaped text, line breaks by CSS */
	const struct board_icon *ic = forum_board_icon(b.icon);
	if (ic) tv_str(a, bm, "icon", ic->glyph);
	page_board_crumbs(p, bm, &b);
	tv_int(a, bm, "threads", b.threads);
	tv_int(a, bm, "posts", b.posts);
	tv_int(a, bm, "today", b.todaydate == forum_today(p->now) ? b.todayposts : 0);
	tv *types = tv_add_list(a, bm, "types");
	for (int i = 0; i < b.ntypes; i++) {
		tv *t = tv_push_map(a, types);
		tv_int(a, t, "id", b.types[i].id);
		tv_str(a, t, "name", b.types[i].name);
		tv_bool(a, t, "current", b.types[i].id == typeid);
	}
	tv_bool(a, bm, "all_types", typeid == 0);
	struct mod_ref refs[MOD_PER_BOARD_MAX];   /* 版主: from the moderator cache, no query */
	int nmods = mod_list(fid, refs, MOD_PER_BOARD_MAX);
	if (nmods) {
		tv *mods = tv_add_list(a, bm, "moderators");
		for (int k = 0; k < nmods; k++) {
			tv *mm = tv_push_map(a, mods);
			tv_int(a, mm, "uid", refs[k].uid);
			tv_str(a, mm, "name", arena_strdup(a, refs[k].name));
		}
	}
	/* 子版块: read with the board (forum_board), each shown only to whom may view it */
	if (b.nsubs && !typeid && pg == 1 && !cur.dir) {
		tv *subs = NULL;
		for (int i = 0; i < b.nsubs; i++) {
			if (!page_sees(p, b.subs[i].fid)) continue;
			if (!subs) subs = tv_add_list(a, p->v, "subboards");
			page_board_row(p, subs, &b.subs[i], forum_today(p->now));
		}
	}
	struct actor who = page_actor(p);
	tv_bool(a, p->v, "can_moderate", forum_can_moderate(&who, fid));
	tv_bool(a, p->v, "supermod", forum_is_supermod(&who));
	tv *list = tv_add_list(a, p->v, "threads");
	for (int i = 0; i < tp.n; i++) {
		struct thread *t = &tp.rows[i];
		if (t->fid != fid && !page_sees(p, t->fid)) continue;   /* another board's sticky: only if its board is seen */
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "tid", t->tid);
		tv_int(a, m, "fid", t->fid);   /* another board's for a category or global sticky */
		tv_str(a, m, "subject", t->subject);
		const char *tn = board_type_name(&b, t->typeid);
		if (tn) {
			tv_str(a, m, "type", tn);
			tv_int(a, m, "typeid", t->typeid);
		}
		page_author_tv(p, m, t->anonymous, t->fid, t->authorid, t->author);   /* 匿名 (anon.h) */
		tv_str(a, m, "created", timefmt_date(a, t->created));
		tv_int(a, m, "replies", t->replies);
		tv_int(a, m, "views", t->views);
		static const char *const sticks[] = {"", "置顶", "分类置顶", "全局置顶"};
		if (t->sticky > 0 && t->sticky <= 3) tv_str(a, m, "sticky", sticks[t->sticky]);
		tv_bool(a, m, "sticky_wide", t->sticky > 1);
		tv_bool(a, m, "moved", t->moved != 0);
		const struct mod_color *c = mod_color((int)(t->highlight & 15));
		if (t->highlight)
			tv_str(a, m, "hl_style", arena_sprintf(a, "%s%s%s", c ? "color:" : "", c ? c->hex : "",
			                                       t->highlight & 16 ? ";font-weight:bold" : ""));
		tv_bool(a, m, "digest", t->digest > 0);
		tv_bool(a, m, "closed", t->closed != 0);
		tv_str(a, m, "lastposter", anon_lastposter(t->lastposter));
		tv_str(a, m, "lastpost", page_when(p, t->lastpost));
		tv_str(a, m, "lastpost_exact", timefmt_full(a, t->lastpost));
		int64_t pages = (t->replies + 1 + FORUM_FLOORS_PER_PAGE - 1) / FORUM_FLOORS_PER_PAGE;
		if (pages > 1) tv_int(a, m, "pages", pages);
	}
	/* the total is known for the unfiltered list; a type filter pages by "more" */
	int last = typeid ? 0 : (int)((b.threads + FORUM_THREADS_PER_PAGE - 1) / FORUM_THREADS_PER_PAGE);
	const char *base = typeid ? arena_sprintf(a, "/f/%lld?typeid=%lld&", (long long)fid, (long long)typeid)
	                          : arena_sprintf(a, "/f/%lld?", (long long)fid);
	page_pager(p, p->v, base, pg, last, tp.has_more, 0);
	/* previous and next page by keyset from the rows shown (see forum_threads) */
	tv *pager = tv_get(p->v, "pager");
	if (pager && tp.n) {
		const struct thread *first = &tp.rows[0], *lastrow = &tp.rows[tp.n - 1];
		if (tv_get(pager, "next"))
			tv_str(a, pager, "next", arena_sprintf(a, "%spage=%d&after=%lld_%lld_%lld", base, pg + 1, (long long)lastrow->sticky,
			                                       (long long)lastrow->lastpost, (long long)lastrow->tid));
		if (tv_get(pager, "prev") && pg > 2)
			tv_str(a, pager, "prev", arena_sprintf(a, "%spage=%d&before=%lld_%lld_%lld", base, pg - 1, (long long)first->sticky,
			                                       (long long)first->lastpost, (long long)first->tid));
	}
	tv_str(a, p->v, "rss", arena_sprintf(a, "/f/%lld/rss", (long long)fid));   /* issue 14 */
	if (b.description && *b.description) tv_str(a, p->v, "meta_desc", b.description);
	if (pg > 1 && !typeid) tv_str(a, p->v, "canonical_path", arena_sprintf(a, "/f/%lld?page=%d", (long long)fid, pg));
	page_render(p, 200, "board", arena_sprintf(a, "%s - %s", b.name, p->site->name));
}

/* the breadcrumbs' category and, for a sub-board, its parent: only if the viewer may see the parent */
void page_board_crumbs(page *p, tv *bm, const struct board *b) {
	tv_str(p->a, bm, "category", b->category);
	if (b->parent && b->parent_name && page_sees(p, b->parent)) {
		tv *pm = tv_add_map(p->a, bm, "parent");
		tv_int(p->a, pm, "fid", b->parent);
		tv_str(p->a, pm, "name", b->parent_name);
	}
}

/*
** The pager shows first, previous, a window of numbers, next and last.
** last = 0 when the total is unknown: has_more then decides "next".
*/
void page_pager(page *p, tv *m, const char *base, int cur, int last, int has_more, int last_hole) {
	arena *a = p->a;
	if (last && last < cur) last = cur;
	if (!last && !has_more && cur == 1) return;
	if (!last && (cur > 1 || has_more)) last = has_more ? 0 : cur;
	if (last == 1) return;
	tv *pg = tv_add_map(a, m, "pager");
	tv_int(a, pg, "current", cur);
	last_hole = last_hole && last && page_pager_far(cur, last);
	if (last_hole) tv_hole(a, pg, "last", PH_PAGES);
	else if (last) tv_int(a, pg, "last", last);
	if (cur > 1) tv_str(a, pg, "prev", arena_sprintf(a, "%spage=%d", base, cur - 1));
	if ((last && cur < last) || (!last && has_more)) tv_str(a, pg, "next", arena_sprintf(a, "%spage=%d", base, cur + 1));
	tv *nums = tv_add_list(a, pg, "pages");
	int from = cur - PAGE_PAGER_WINDOW < 1 ? 1 : cur - PAGE_PAGER_WINDOW;
	int to = last ? (cur + PAGE_PAGER_WINDOW > last ? last : cur + PAGE_PAGER_WINDOW) : cur + (has_more ? 1 : 0);
	if (from > 1) {   /* (the first and last links say current 0: the lookup would find the pager's own) */
		tv *n = tv_push_map(a, nums);
		tv_bool(a, n, "current", 0);
		tv_int(a, n, "n", 1);
		tv_str(a, n, "url", arena_sprintf(a, "%spage=1", base));
		if (from > 2) tv_bool(a, n, "gap_after", 1);
	}
	for (int i = from; i <= to; i++) {
		tv *n = tv_push_map(a, nums);
		tv_int(a, n, "n", i);
		tv_str(a, n, "url", arena_sprintf(a, "%spage=%d", base, i));
		tv_bool(a, n, "current", i == cur);
	}
	if (last && to < last) {
		tv *n = tv_push_map(a, nums);
		tv_bool(a, n, "current", 0);
		if (to < last - 1) tv_bool(a, n, "gap_before", 1);
		if (last_hole) {   /* the link is url + url_n */
			tv_hole(a, n, "n", PH_PAGES);
			tv_hole(a, n, "url_n", PH_PAGES);
			tv_str(a, n, "url", arena_sprintf(a, "%spage=", base));
			return;
		}
		tv_int(a, n, "n", last);
		tv_str(a, n, "url", arena_sprintf(a, "%spage=%d", base, last));
	}
}
