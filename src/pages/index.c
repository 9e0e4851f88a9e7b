/*
** index: the board index `/`: categories with their boards, counts, today's
** posts and the last post (one query), and the living index's counters:
** 今日/昨日/最高日, 会员, 欢迎新会员 and 在线会员 (one row, site_stat).
*/
#include "pages/page.h"
#include "forum/moderate.h"
#include "pages/urlparse.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/discover.h"
#include "util/timefmt.h"
#include <stdlib.h>
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
		const struct board_icon *ic = forum_board_icon(b->icon);   /* a fixed glyph: no URL, no query */
		if (ic) tv_str(a, m, "icon", ic->glyph);
		tv_int(a, m, "threads", b->threads);
		tv_int(a, m, "posts", b->posts);
		tv_int(a, m, "today", tp);
		/* 版主: from the moderator cache (forum/moderate.h), no query */
		tv *mods = tv_add_list(a, m, "moderators");
		struct mod_ref refs[MOD_PER_BOARD_MAX];
		int nmods = mod_list(b->fid, refs, MOD_PER_BOARD_MAX);
		for (int k = 0; k < nmods; k++) {
			tv *mm = tv_push_map(a, mods);
			tv_int(a, mm, "uid", refs[k].uid);
			tv_str(a, mm, "name", arena_strdup(a, refs[k].name));
		}
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
	(void)total_today;   /* the site row counts every board's posts (hidden ones too), like Discuz! */
	struct site_stats ss;
	if (stats_get(p->db, a, p->now, &ss)) {
		page_db_unavailable(p);
		return;
	}
	tv *st = tv_add_map(a, p->v, "stats");
	tv_int(a, st, "today", ss.today);
	tv_int(a, st, "yesterday", ss.yesterday);
	tv_int(a, st, "maxday", ss.maxdayposts);
	tv_int(a, st, "threads", total_threads);
	tv_int(a, st, "posts", total_posts);
	tv_int(a, st, "members", ss.members);
	if (ss.newest_uid) {
		tv_int(a, st, "newest_uid", ss.newest_uid);
		tv_str(a, st, "newest_name", ss.newest_name);
	}
	tv *on = tv_add_map(a, p->v, "online");
	tv_int(a, on, "total", ss.online_members + ss.online_guests);
	tv_int(a, on, "members", ss.online_members);
	tv_int(a, on, "guests", ss.online_guests);
	tv_int(a, on, "record", ss.online_record);
	if (ss.online_record_at) tv_str(a, on, "record_at", timefmt_date(a, ss.online_record_at));
	tv *names = tv_add_list(a, on, "names");
	for (const char *l = ss.online_names; l && *l;) {
		const char *tab = strchr(l, '\t'), *nl = strchr(l, '\n');
		if (!tab || !nl || tab > nl) break;
		int64_t uid;
		if (url_uint(l, (size_t)(tab - l), INT64_MAX, &uid)) break;   /* written by forum/discover.c */
		tv *m = tv_push_map(a, names);
		tv_int(a, m, "uid", uid);
		tv_str(a, m, "name", arena_strndup(a, tab + 1, (size_t)(nl - tab - 1)));
		l = nl + 1;
	}
	page_render(p, 200, "index", p->site->name);
}

/* relative time for recent moments, else the short date */
const char *page_when(page *p, time_t t) {
	const char *rel = timefmt_relative(p->a, t, p->now);
	return rel ? rel : timefmt_short(p->a, t);
}
