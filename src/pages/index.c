/*
** index: the board index `/`: categories with their boards, counts, today's
** posts and the last post (one query), and the living index's counters:
** 今日/昨日/最高日, 会员, 欢迎新会员 and 在线会员 (one row, site_stat).
*/
#include "pages/page.h"
#include "forum/anon.h"
#include "forum/moderate.h"
#include "pages/urlparse.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/discover.h"
#include "util/timefmt.h"
#include <stdlib.h>
#include <string.h>


/* one board's row of a board list (the index, a parent board's 子版块 list): name, icon, description,
   moderators, counts and the last post, as given in b (the index adds its sub-boards' counts first) */
tv *page_board_row(page *p, tv *list, const struct board *b, int64_t today) {
	arena *a = p->a;
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
		tv_str(a, l, "poster", anon_lastposter(b->lastposter));   /* "": an anonymous post's (anon.h) */
		tv_str(a, l, "when", page_when(p, b->lastpost));
		tv_str(a, l, "exact", timefmt_full(a, b->lastpost));
	}
	return m;
}

void page_index(page *p) {
	arena *a = p->a;
	struct board *bs;
	int n;
	page_cache_site(p);
	if (forum_boards(p->db, a, &bs, &n)) {
		page_db_unavailable(p);
		return;
	}
	int64_t today = forum_today(p->now), total_posts = 0, total_threads = 0;
	/* the boards this viewer sees (not listed, nor their last post, otherwise), each counted once in the
	   totals; then the tree: a sub-board is shown on its parent's row (子版块), its counts and last post
	   added to the parent's as Discuz! does; a sub-board whose parent is not seen stands on its own */
	struct board *seen = arena_alloc(a, sizeof *seen * (size_t)(n ? n : 1)), *tops;
	int ns = 0;
	for (int i = 0; i < n; i++) {
		if (!page_sees(p, bs[i].fid)) continue;
		seen[ns++] = bs[i];
		total_posts += bs[i].posts;
		total_threads += bs[i].threads;
	}
	int nt = forum_board_tree(a, seen, ns, &tops);
	tv *cats = tv_add_list(a, p->v, "categories");
	tv *list = NULL;
	int64_t lastcid = -1;
	for (int i = 0; i < nt; i++) {
		struct board b = tops[i];
		if (b.cid != lastcid) {
			tv *cat = tv_push_map(a, cats);
			tv_int(a, cat, "cid", b.cid);
			tv_str(a, cat, "name", b.category);
			list = tv_add_list(a, cat, "boards");
			lastcid = b.cid;
		}
		for (int k = 0; k < b.nsubs; k++) {
			const struct board *sb = &b.subs[k];
			b.threads += sb->threads;
			b.posts += sb->posts;
			int64_t own = b.todaydate == today ? b.todayposts : 0, theirs = sb->todaydate == today ? sb->todayposts : 0;
			b.todayposts = own + theirs;
			b.todaydate = today;
			if (sb->lasttid && sb->lastpost > b.lastpost) {
				b.lastpost = sb->lastpost;
				b.lasttid = sb->lasttid;
				b.lastsubject = sb->lastsubject;
				b.lastposter = sb->lastposter;
			}
		}
		tv *m = page_board_row(p, list, &b, today);
		if (b.nsubs) {
			tv *subs = tv_add_list(a, m, "subs");
			for (int k = 0; k < b.nsubs; k++) {
				tv *sm = tv_push_map(a, subs);
				tv_int(a, sm, "fid", b.subs[k].fid);
				tv_str(a, sm, "name", b.subs[k].name);
			}
		}
	}
	/* the site row (today, yesterday) counts every board's posts (hidden ones too), like Discuz! */
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
