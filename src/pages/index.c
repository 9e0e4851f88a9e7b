/*
** index: the board index `/`: categories with their boards, counts, today's
** posts and the last post. One query.
*/
#include "pages/page.h"
#include "forum/moderate.h"
#include "forum/site.h"
#include "forum/read.h"
#include "util/timefmt.h"
#include <string.h>


void page_index(page *p) {
	arena *a = p->a;
	struct board *bs;
	int n;
	page_cache_site(p);
	if (forum_boards(p->db, a, &bs, &n)) {
		page_db_unavailable(p);
		return;
	}
	int64_t today = forum_today(p->now), total_posts = 0, total_threads = 0, total_today = 0;
	tv *cats = tv_add_list(a, p->v, "categories");
	tv *cat = NULL, *list = NULL;
	int64_t lastcid = -1;
	for (int i = 0; i < n; i++) {
		struct board *b = &bs[i];
		if (!page_sees(p, b->fid)) continue;   /* not listed, nor its last post */
		if (b->cid != lastcid) {
			cat = tv_push_map(a, cats);
			tv_int(a, cat, "cid", b->cid);
			tv_str(a, cat, "name", b->category);
			list = tv_add_list(a, cat, "boards");
			lastcid = b->cid;
		}
		tv *m = tv_push_map(a, list);
		int64_t tp = b->todaydate == today ? b->todayposts : 0;
		tv_int(a, m, "fid", b->fid);
		tv_str(a, m, "name", b->name);
		tv_str(a, m, "description", b->description);
		char mods[512];   /* 版主: from the moderator cache, no query */
		if (mod_names(b->fid, mods, sizeof mods)) tv_str(a, m, "moderators", arena_strdup(a, mods));
		tv_int(a, m, "threads", b->threads);
		tv_int(a, m, "posts", b->posts);
		tv_int(a, m, "today", tp);
		if (b->lasttid) {
			tv *l = tv_add_map(a, m, "last");
			tv_int(a, l, "tid", b->lasttid);
			tv_str(a, l, "subject", b->lastsubject);
			tv_str(a, l, "poster", b->lastposter);
			tv_str(a, l, "when", page_when(p, b->lastpost));
			tv_str(a, l, "exact", timefmt_full(a, b->lastpost));
		}
		total_posts += b->posts;
		total_threads += b->threads;
		total_today += tp;
	}
	tv *st = tv_add_map(a, p->v, "stats");
	tv_int(a, st, "today", total_today);
	tv_int(a, st, "threads", total_threads);
	tv_int(a, st, "posts", total_posts);
	page_render(p, 200, "index", p->site->name);
}

/* relative time for recent moments, else the short date */
const char *page_when(page *p, time_t t) {
	const char *rel = timefmt_relative(p->a, t, p->now);
	return rel ? rel : timefmt_short(p->a, t);
}
