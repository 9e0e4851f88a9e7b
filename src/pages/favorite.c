/*
** favorite: 收藏 (/favorites, POST /t/{tid}/favorite, the API's
** POST/DELETE /api/v1/threads/{tid}/favorite) and 分享's QR code
** (/t/{tid}/qr.svg, render/qr.c). The rules are forum/favorite.c's.
*/
#include "pages/page.h"
#include "forum/favorite.h"
#include "render/qr.h"
#include "pages/urlparse.h"
#include "util/timefmt.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* the thread id of the route's first segment, or 0 after a 404 */
static int64_t route_tid(page *p) {
	int64_t tid;
	if (page_id(p, p->r->seg[0], &tid)) return 0;
	return tid;
}

static void api_favorite_set(page *p, int on) {
	int64_t tid = route_tid(p);
	if (!tid) return;
	struct forum_err e = {0};
	struct actor who = page_actor(p);
	int rc = on ? favorite_add(p->db, &who, tid, p->now, &e) : favorite_remove(p->db, p->me.uid, tid);
	if (!on && rc) rc = forum_fail(&e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc) {
		page_forum_error(p, rc, &e);
		return;
	}
	page_json_send(p, 200, json_pack("{s:I,s:b}", "tid", (json_int_t)tid, "favorite", on));
}

void api_thread_favorite(page *p) { api_favorite_set(p, 1); }
void api_thread_unfavorite(page *p) { api_favorite_set(p, 0); }

/* the thread page's [收藏] and the list's 取消收藏 (action=remove) */
void page_thread_favorite(page *p) {
	int64_t tid = route_tid(p);
	if (!tid) return;
	const char *action = http_form(p->r, "action");
	int remove = action && !strcmp(action, "remove");
	struct forum_err e = {0};
	struct actor who = page_actor(p);
	int rc = remove ? favorite_remove(p->db, p->me.uid, tid) : favorite_add(p->db, &who, tid, p->now, &e);
	if (remove && rc) rc = forum_fail(&e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc) {
		page_forum_error(p, rc, &e);
		return;
	}
	http_redirect(p->r, 303, remove ? "/favorites?removed=1" : arena_sprintf(p->a, "/favorites?added=%lld", (long long)tid));
}

void page_favorites(page *p) {
	int64_t bt = INT64_MAX, btid = INT64_MAX;
	const char *before = http_query(p->r, "before");   /* TIME_TID of the last row of the page before */
	if (before) {
		const char *us = strchr(before, '_');
		if (!us || url_uint(before, (size_t)(us - before), URL_NUM_MAX, &bt) || url_id(us + 1, URL_NUM_MAX, &btid)) {
			page_error(p, 400, "参数 before 无效");
			return;
		}
	}
	struct favorite_row *rows;
	int n;
	if (favorite_list(p->db, p->a, p->me.uid, bt, btid, &rows, &n)) {
		page_db_unavailable(p);
		return;
	}
	tv *list = tv_add_list(p->a, p->v, "favorites");
	for (int i = 0; i < n; i++) {
		if (!page_sees(p, rows[i].t.fid)) continue;   /* a board the viewer may no longer see */
		tv *m = tv_push_map(p->a, list);
		tv_int(p->a, m, "tid", rows[i].t.tid);
		tv_str(p->a, m, "subject", rows[i].t.subject);
		page_author_tv(p, m, rows[i].t.anonymous, rows[i].t.fid, rows[i].t.authorid, rows[i].t.author);   /* 匿名 */
		tv_int(p->a, m, "replies", rows[i].t.replies);
		tv_str(p->a, m, "saved", page_when(p, rows[i].saved));
		tv_str(p->a, m, "lastpost", page_when(p, rows[i].t.lastpost));
	}
	if (n == FAVORITE_PER_PAGE)   /* the cursor is the last row read, shown or not */
		tv_str(p->a, p->v, "next", arena_sprintf(p->a, "/favorites?before=%lld_%lld", (long long)rows[n - 1].saved,
		                                         (long long)rows[n - 1].t.tid));
	if (before) tv_bool(p->a, p->v, "paged", 1);
	int64_t added;
	const char *a = http_query(p->r, "added");
	if (a && !url_id(a, URL_NUM_MAX, &added)) tv_bool(p->a, p->v, "added", 1);
	const char *r = http_query(p->r, "removed");
	if (r && !strcmp(r, "1")) tv_bool(p->a, p->v, "removed", 1);
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	page_render(p, 200, "favorites", arena_sprintf(p->a, "我的收藏 - %s", p->site->name));
}

/* the route's thread, when the viewer may see it: 1, else 0 after the answer */
static int shared_thread(page *p, struct thread *t) {
	int64_t tid = route_tid(p);
	if (!tid) return 0;
	int rc = forum_thread(p->db, p->a, tid, t);
	if (rc < 0) {
		page_db_unavailable(p);
		return 0;
	}
	if (!rc) {
		page_error(p, 404, "主题不存在或已被删除");
		return 0;
	}
	return page_board_visible(p, t->fid);
}

/*
** 分享到新浪微博 / QQ: a redirect to the service's share page with the thread's address and title.
** The address holds the site's base URL (site.url, else the request's Host): built here, per
** request, never in the thread page, which guests share through the page cache.
*/
void page_thread_share(page *p) {
	static const struct { const char *name, *url; } to[] = {
		{"weibo", "https://service.weibo.com/share/share.php?url="},
		{"qq", "https://connect.qq.com/widget/shareqq/index.html?url="},
	};
	size_t k = 0;
	while (k < sizeof to / sizeof to[0] && strcmp(p->r->seg[1], to[k].name)) k++;
	if (k == sizeof to / sizeof to[0]) {
		page_error(p, 404, "您要找的页面不存在。");
		return;
	}
	struct thread t;
	if (!shared_thread(p, &t)) return;
	const char *addr = arena_sprintf(p->a, "%s/t/%lld", page_base_url(p), (long long)t.tid);
	buf u;
	buf_init(&u, 0);
	buf_puts(&u, to[k].url);
	buf_urlenc(&u, addr, strlen(addr));
	buf_puts(&u, "&title=");
	buf_urlenc(&u, t.subject, strlen(t.subject));
	http_redirect(p->r, 302, arena_strdup(p->a, buf_cstr(&u)));
	buf_release(&u);
}

/* 分享: the QR code of the thread's address, for WeChat to scan */
void page_thread_qr(page *p) {
	struct thread t;
	if (!shared_thread(p, &t)) return;
	int64_t tid = t.tid;
	buf svg;
	buf_init(&svg, 0);
	int rc = qr_svg(&svg, arena_sprintf(p->a, "%s/t/%lld", page_base_url(p), (long long)tid));
	if (rc) {
		buf_release(&svg);
		page_error(p, 500, "无法生成二维码");
		return;
	}
	http_set_header(p->r, "Cache-Control", "private, max-age=3600");
	http_text(p->r, 200, "image/svg+xml", buf_cstr(&svg));
	buf_release(&svg);
}
