/*
** space: a member's space `/u/{uid}`: name, group with its title and stars,
** registration date, last visit, counters, and the newest threads and
** replies (USER_RECENT_MAX each). Two queries (member, recent activity),
** three with a member's session lookup; no OFFSET.
*/
#include "pages/page.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/profile.h"
#include "forum/attach.h"
#include "util/timefmt.h"
#include <string.h>


static void recent_list(page *p, const char *key, const struct user_item *it, int n) {
	tv *list = tv_add_list(p->a, p->v, key);
	for (int i = 0; i < n; i++) {
		/* only what the viewer may see */
		if (!page_sees(p, it[i].fid)) continue;
		tv *m = tv_push_map(p->a, list);
		tv_int(p->a, m, "tid", it[i].tid);
		tv_int(p->a, m, "pid", it[i].pid);
		tv_str(p->a, m, "subject", it[i].subject);
		tv_str(p->a, m, "when", page_when(p, it[i].created));
	}
}

/* /u/{uid}: the member, their profile (profile.h) and their threads and replies, USER_RECENT_MAX of
** each a page, keyset: ?threads=TID (older than) pages the threads, ?replies=PID the replies; rows of
** boards the viewer may not see are left out after the query (the cursor is the last row read).
** 发消息 for other members. Two queries (member + profile, activity), three with a session. */
void page_space(page *p) {
	int64_t uid, bt = 0, bp = 0;
	if (page_id(p, p->r->seg[0], &uid)) return;
	const char *qt = http_query(p->r, "threads"), *qp = http_query(p->r, "replies");
	if ((qt && page_id(p, qt, &bt)) || (qp && page_id(p, qp, &bp))) return;
	struct member m;
	struct profile pf;
	int rc = profile_member(p->db, p->a, uid, &m, &pf);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "该用户不存在或已被删除。"); return; }
	struct user_item *th, *rp;
	int nth, nrp;
	/* a page of one list: the other one is not read (INT64 cursor 1: nothing older than id 1) */
	if (user_recent(p->db, p->a, uid, qp && !qt ? 1 : bt, qt && !qp ? 1 : bp, USER_RECENT_MAX + 1, &th, &nth, &rp, &nrp)) {
		page_db_unavailable(p);
		return;
	}
	const struct group *g = group_get(m.groupid);
	tv *u = tv_add_map(p->a, p->v, "user");
	tv_int(p->a, u, "uid", m.uid);
	tv_str(p->a, u, "name", m.name);
	tv_str(p->a, u, "group", g->title);
	tv_int(p->a, u, "groupid", m.groupid);
	tv_int(p->a, u, "stars_count", g->stars);
	tv *stars = tv_add_list(p->a, u, "stars");
	for (int i = 0; i < g->stars && i < 10; i++) tv_push(p->a, stars, tv_new_int(p->a, i));
	tv_str(p->a, u, "regdate", timefmt_full(p->a, m.regdate));
	tv_str(p->a, u, "lastvisit", m.lastvisit ? timefmt_full(p->a, m.lastvisit) : "从未");
	tv_int(p->a, u, "credits", m.credits);
	tv_int(p->a, u, "posts", m.posts);
	tv_int(p->a, u, "threads", m.threads);
	tv_bool(p->a, u, "has_profile", pf.gender || *pf.location || *pf.website);
	if (pf.gender) tv_str(p->a, u, "gender", profile_gender_label(pf.gender));
	if (*pf.location) tv_str(p->a, u, "location", pf.location);
	if (*pf.website) tv_str(p->a, u, "website", pf.website);
	if (*pf.bio) tv_str(p->a, u, "bio", pf.bio);
	if (*pf.sig_html) tv_html(p->a, u, "sig", pf.sig_html);
	/* 发消息: members to another member (the form says why when they may not send) */
	tv_bool(p->a, u, "can_pm", p->me.uid && p->me.uid != m.uid);
	tv_bool(p->a, u, "self", p->me.uid == m.uid);
	int mt = nth > USER_RECENT_MAX, mr = nrp > USER_RECENT_MAX;
	if (mt) nth = USER_RECENT_MAX;
	if (mr) nrp = USER_RECENT_MAX;
	recent_list(p, "threads", th, nth);
	recent_list(p, "replies", rp, nrp);
	if (mt) tv_int(p->a, p->v, "threads_next", th[nth - 1].tid);
	if (mr) tv_int(p->a, p->v, "replies_next", rp[nrp - 1].pid);
	tv_bool(p->a, p->v, "show_threads", !qp || qt);
	tv_bool(p->a, p->v, "show_replies", !qt || qp);
	tv_bool(p->a, p->v, "paged", qt || qp);
	page_render(p, 200, "space", arena_sprintf(p->a, "%s 的个人空间 - %s", m.name, p->site->name));
}

/* /u/{uid}/album (相册): the member's images the viewer may see (page_sees on the post's board),
** newest first, ATTACH_ALBUM_PER_PAGE a page, keyset ?before=AID; each thumbnail links to its post,
** with a link to the original. Two queries (member, images), three with a session. */
void page_album(page *p) {
	int64_t uid, before = 0;
	if (page_id(p, p->r->seg[0], &uid)) return;
	const char *b = http_query(p->r, "before");
	if (b && page_id(p, b, &before)) return;
	struct member m;
	int rc = user_get(p->db, p->a, uid, &m);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "该用户不存在或已被删除。"); return; }
	struct album_item it[ATTACH_ALBUM_PER_PAGE + 1];
	int n = attach_album(p->db, p->a, uid, before, ATTACH_ALBUM_PER_PAGE + 1, it);
	if (n < 0) { page_db_unavailable(p); return; }
	int more = n > ATTACH_ALBUM_PER_PAGE;
	if (more) n = ATTACH_ALBUM_PER_PAGE;
	tv *u = tv_add_map(p->a, p->v, "user");
	tv_int(p->a, u, "uid", m.uid);
	tv_str(p->a, u, "name", m.name);
	tv *list = tv_add_list(p->a, p->v, "images");
	for (int i = 0; i < n; i++) {
		if (!page_sees(p, it[i].fid)) continue;
		tv *e = tv_push_map(p->a, list);
		int w = it[i].width, h = it[i].height, side = w > h ? w : h;
		if (side > ATTACH_THUMB_PX) {   /* the thumbnail's size, as image.c makes it */
			w = (int)((int64_t)w * ATTACH_THUMB_PX / side);
			h = (int)((int64_t)h * ATTACH_THUMB_PX / side);
		}
		tv_int(p->a, e, "aid", it[i].aid);
		tv_int(p->a, e, "pid", it[i].pid);
		tv_int(p->a, e, "w", w > 0 ? w : 1);
		tv_int(p->a, e, "h", h > 0 ? h : 1);
		tv_str(p->a, e, "name", it[i].filename);
		tv_str(p->a, e, "when", page_when(p, it[i].created));
	}
	/* the cursor is the last row read, shown or not, so a page of hidden images moves on too */
	if (more) tv_int(p->a, p->v, "next", it[n - 1].aid);
	if (before) tv_bool(p->a, p->v, "paged", 1);
	page_render(p, 200, "album", arena_sprintf(p->a, "%s 的相册 - %s", m.name, p->site->name));
}
