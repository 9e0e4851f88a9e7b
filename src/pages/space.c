/*
** space: a member's space `/u/{uid}`: name, group with its title and stars,
** registration date, last visit, counters, and the newest threads and
** replies (USER_RECENT_MAX each). Two queries (member, recent activity),
** three with a member's session lookup; no OFFSET.
*/
#include "pages/page.h"
#include "forum/site.h"
#include "forum/user.h"
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

void page_space(page *p) {
	int64_t uid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	struct member m;
	int rc = user_get(p->db, p->a, uid, &m);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "该用户不存在或已被删除。"); return; }
	struct user_item *th, *rp;
	int nth, nrp;
	if (user_recent(p->db, p->a, uid, &th, &nth, &rp, &nrp)) {
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
	recent_list(p, "threads", th, nth);
	recent_list(p, "replies", rp, nrp);
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
