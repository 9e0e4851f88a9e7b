/*
** routes: the one declarative route table (Fossil WEBPAGE:, cgit cmd.c).
** Method, path pattern, handler and what the route requires in one place;
** '*' matches one path segment, whose text the handler finds in r->seg[].
** A path that matches with another method answers 405 with Allow; no match
** answers 404. The requirements are checked here, before the handler runs:
**   R_API      JSON API (/api/v1/, described in api/FAMILY.json): errors are JSON, the viewer comes from a bearer token
**   R_FORM     parse the form body (urlencoded/multipart) first: 400/413/415
**   R_CSRF     a state-changing form: its csrf field must match (403 otherwise)
**   R_LOGIN    members only (403 with a login link; 401 JSON for the API)
**   R_NOVIEWER no session lookup (static files): saves the query
**   R_BANOK    open to the 禁止访问 group too (login, logout); every other
**              route first asks perm_check(.., fid 0, PERM_VIEW) and answers 403
**   R_NODB     runs when the worker has no database connection (p->db NULL:
**              /metrics, /healthz); every other route answers 503 then
**   R_BATCH    group commit (pages/batch.h): once the checks above pass, the handler runs on the
**              writer thread, in one transaction with the other writes waiting, and the answer
**              leaves after that COMMIT. Only quick database-only writes of members: replies and
**              new threads (page form and API), likes, 支持/反对, ratings, favourites. Never
**              mail, image processing, password hashing or uploads (a request carrying files
**              runs in place on its worker thread).
**   R_PREP     with R_BATCH (issue 16): the handler runs on the worker thread first and does what
**              needs no write transaction (parse, check, render the markup, resolve @mentions);
**              page_batch hands its last step, the statements, to the writer thread.
** Every route whose method is not GET/HEAD must have R_CSRF or R_API.
*/
#include "pages/page.h"
#include "pages/batch.h"
#include "forum/views.h"
#include "forum/perm.h"
#include "forum/discover.h"
#include "forum/cachegen.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct route {
	const char *pattern;
	int methods;
	void (*handler)(page *p);
	int flags;
};

#define GET (HTTP_GET | HTTP_HEAD)
#define POST HTTP_POST

static const struct route routes[] = {
	{"/", GET, page_index, 0},
	{"/f/*", GET, page_board, 0},
	{"/t/*", GET, page_thread, 0},
	{"/t/*/next", GET, page_thread_next, 0},
	{"/t/*/prev", GET, page_thread_prev, 0},
	{"/u/*", GET, page_space, 0},
	{"/login", GET, page_login_form, R_BANOK},
	{"/login", POST, page_login, R_FORM | R_CSRF | R_BANOK},
	{"/logout", POST, page_logout, R_FORM | R_CSRF | R_BANOK},
	{"/register", GET, page_register_form, 0},
	{"/register", POST, page_register, R_FORM | R_CSRF},
	{"/welcome", GET, page_welcome, R_LOGIN},   /* issue 17: where registration ends */
	{"/settings", GET, page_settings, R_LOGIN},
	{"/settings/password", GET, page_settings_password_form, R_LOGIN},
	{"/settings/password", POST, page_settings_password, R_FORM | R_CSRF | R_LOGIN},
	{"/settings/sessions", GET, page_settings_sessions, R_LOGIN},
	{"/settings/sessions/logout-all", POST, page_settings_logout_all, R_FORM | R_CSRF | R_LOGIN | R_BANOK},
	{"/api/v1/users", POST, api_users_create, R_API},
	{"/api/v1/session", POST, api_session_create, R_API | R_BANOK},
	{"/api/v1/session", HTTP_DELETE, api_session_delete, R_API | R_LOGIN | R_BANOK},
	{"/f/*/new", GET, page_post_new_form, R_LOGIN},
	{"/f/*/new", POST, page_post_new, R_FORM | R_CSRF | R_LOGIN | R_BATCH},
	{"/t/*/reply", GET, page_reply_form, R_LOGIN},
	{"/t/*/reply", POST, page_reply, R_FORM | R_CSRF | R_LOGIN | R_BATCH | R_PREP},
	{"/p/*", GET, page_findpost, 0},
	{"/p/*/edit", GET, page_edit_form, R_LOGIN},
	{"/p/*/edit", POST, page_edit, R_FORM | R_CSRF | R_LOGIN},
	{"/p/*/delete", POST, page_delete, R_FORM | R_CSRF | R_LOGIN},
	{"/p/*/history", GET, page_history, R_LOGIN},
	{"/api/v1/me", GET, api_me, R_API | R_LOGIN},
	{"/api/v1/boards", GET, api_boards, R_API},
	{"/api/v1/boards/*/threads", GET, api_board_threads, R_API},
	{"/api/v1/boards/*/threads", POST, api_thread_create, R_API | R_LOGIN | R_BATCH},
	{"/api/v1/threads/*", GET, api_thread, R_API},
	{"/api/v1/threads/*/posts", POST, api_reply_create, R_API | R_LOGIN | R_BATCH | R_PREP},
	{"/api/v1/posts/*", HTTP_PATCH, api_post_edit, R_API | R_LOGIN},
	{"/api/v1/posts/*", HTTP_DELETE, api_post_delete, R_API | R_LOGIN},
	/* reactions and credits (react.c) */
	{"/p/*/like", POST, page_like, R_FORM | R_CSRF | R_LOGIN | R_BATCH},
	{"/p/*/unlike", POST, page_unlike, R_FORM | R_CSRF | R_LOGIN | R_BATCH},
	{"/p/*/attitude", POST, page_attitude, R_FORM | R_CSRF | R_LOGIN | R_BATCH},
	{"/p/*/rate", GET, page_rate_form, R_LOGIN},
	{"/p/*/rate", POST, page_rate, R_FORM | R_CSRF | R_LOGIN | R_BATCH},
	{"/p/*/report", GET, page_report_form, R_LOGIN},
	{"/p/*/report", POST, page_report, R_FORM | R_CSRF | R_LOGIN},
	{"/p/*/likes", GET, page_likes, 0},
	{"/rates/*/revoke", POST, page_rate_revoke, R_FORM | R_CSRF | R_LOGIN},
	{"/f/*/credits", GET, page_credits, 0},
	{"/modcp/reports", GET, page_reports, R_LOGIN},
	{"/modcp/reports/*/handle", POST, page_report_handle, R_FORM | R_CSRF | R_LOGIN},
	{"/api/v1/posts/*/like", POST, api_like, R_API | R_LOGIN | R_BATCH},
	{"/api/v1/posts/*/like", HTTP_DELETE, api_unlike, R_API | R_LOGIN | R_BATCH},
	{"/api/v1/posts/*/attitude", POST, api_attitude, R_API | R_LOGIN | R_BATCH},
	{"/api/v1/posts/*/rate", POST, api_rate, R_API | R_LOGIN | R_BATCH},
	{"/api/v1/posts/*/report", POST, api_report, R_API | R_LOGIN},
	{"/api/v1/rates/*", HTTP_DELETE, api_rate_revoke, R_API | R_LOGIN},
	{"/api/v1/reports", GET, page_reports, R_API | R_LOGIN},
	{"/api/v1/reports/*/handle", POST, page_report_handle, R_API | R_LOGIN},
	{"/api/v1/users/*", GET, api_user, R_API},
	/* the API described (issue 17, apispec.c, apidocs.c): api/FAMILY.json */
	{"/api/v1/openapi.json", GET, page_openapi, R_API | R_NOVIEWER},
	{"/api/docs", GET, page_apidocs, 0},
	/* moderation (#12): pages/moderate.c */
	{"/t/*/moderate", GET, page_thread_moderate_form, R_LOGIN},
	{"/t/*/moderate", POST, page_thread_moderate, R_FORM | R_CSRF | R_LOGIN},
	{"/f/*/moderate", POST, page_board_moderate, R_FORM | R_CSRF | R_LOGIN},
	{"/p/*/moderate", POST, page_post_moderate, R_FORM | R_CSRF | R_LOGIN},
	{"/api/v1/threads/*/moderate", POST, page_thread_moderate, R_API | R_LOGIN},
	{"/api/v1/posts/*/moderate", POST, page_post_moderate, R_API | R_LOGIN},
	{"/api/v1/boards/*/moderators", POST, api_board_moderators, R_API | R_LOGIN},
	{"/api/v1/boards/*/moderators", HTTP_DELETE, api_board_moderators, R_API | R_LOGIN},
	{"/modcp/recycle", GET, page_modcp_recycle, R_LOGIN},
	{"/modcp/log", GET, page_modcp_log, R_LOGIN},
	{"/api/v1/me/credits", GET, api_my_credits, R_API | R_LOGIN},
	/* attachments and avatars (attach.c, issue #13) */
	{"/api/v1/attachments", POST, api_attach_upload, R_API | R_LOGIN},
	{"/attachments", POST, page_attach_upload, R_FORM | R_CSRF | R_LOGIN},
	{"/a/*/*", GET, page_attach_get, 0},
	/* download counts of attachment cards (issue #13: static/attach.js fills them in) */
	{"/api/v1/attachments/counts", GET, page_attach_counts, R_API},
	{"/attachments/counts", GET, page_attach_counts, 0},
	/* a member's gallery of images (issue #13, pages/space.c) */
	{"/u/*/album", GET, page_album, 0},
	{"/avatar/*/*", GET, page_avatar, 0},
	{"/api/v1/me/avatar", POST, api_me_avatar, R_API | R_LOGIN},
	{"/settings/avatar", GET, page_settings_avatar_form, R_LOGIN},
	{"/settings/avatar", POST, page_settings_avatar, R_FORM | R_CSRF | R_LOGIN},
	/* search (search.c): the header's box, the API, Discuz!'s search.php (301) */
	{"/search", GET, page_search, 0},
	{"/api/v1/search", GET, api_search, R_API},
	{"/search.php", GET, page_discuz_search, R_NOVIEWER},
	/* members: 禁言/禁止访问, 小黑屋, 删除该用户所有帖子, IP bans (ban.c, issue #12 N2) */
	{"/u/*/ban", GET, page_ban_form, R_LOGIN},
	{"/u/*/ban", POST, page_ban, R_FORM | R_CSRF | R_LOGIN},
	{"/u/*/unban", POST, page_unban, R_FORM | R_CSRF | R_LOGIN},
	{"/u/*/purge", POST, page_purge, R_FORM | R_CSRF | R_LOGIN},
	{"/blacklist", GET, page_blacklist, 0},
	{"/modcp/ipbans", GET, page_modcp_ipbans_moved, R_NOVIEWER},   /* moved to the admin panel */
	{"/api/v1/users/*/ban", POST, api_ban, R_API | R_LOGIN},
	{"/api/v1/users/*/ban", HTTP_DELETE, api_unban, R_API | R_LOGIN},
	{"/api/v1/users/*/purge", POST, api_purge, R_API | R_LOGIN},
	{"/api/v1/blacklist", GET, page_blacklist, R_API},
	{"/api/v1/ipbans", GET, api_ipbans, R_API | R_LOGIN},
	{"/api/v1/ipbans", POST, api_ipban_add, R_API | R_LOGIN},
	{"/api/v1/ipbans/*", HTTP_DELETE, api_ipban_delete, R_API | R_LOGIN},
	/* admin panel (admin.c): admins only, every form CSRF-checked */
	{"/admin", GET, page_admin, R_LOGIN},
	{"/admin/settings", POST, page_admin_settings, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/boards", GET, page_admin_boards, R_LOGIN},
	{"/admin/boards/new", POST, page_admin_board_new, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/boards/*/edit", POST, page_admin_board_edit, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/boards/*/perm", POST, page_admin_board_perm, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/boards/*/delete", POST, page_admin_board_delete, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/boards/*/mod", POST, page_admin_board_mod, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/boards/*/approval", POST, page_admin_board_approval, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/groups", GET, page_admin_groups, R_LOGIN},
	{"/admin/groups/*/edit", POST, page_admin_group_edit, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/groups/*/rate", POST, page_admin_group_rate, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/users", GET, page_admin_users, R_LOGIN},
	{"/admin/users/*", GET, page_admin_user, R_LOGIN},
	{"/admin/users/*/group", POST, page_admin_user_group, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/users/*/password", POST, page_admin_user_password, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/users/*/delete", POST, page_admin_user_delete, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/credits", GET, page_admin_credits, R_LOGIN},
	{"/admin/credits", POST, page_admin_credit_rule, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/log", GET, page_admin_log, R_LOGIN},
	{"/admin/ipbans", GET, page_admin_ipbans, R_LOGIN},
	{"/admin/ipbans", POST, page_admin_ipban_add, R_FORM | R_CSRF | R_LOGIN},
	{"/admin/ipbans/*/delete", POST, page_admin_ipban_delete, R_FORM | R_CSRF | R_LOGIN},
	/* discovery (issue 14, discover.c): rankings, guide, Archiver, feeds, sitemap, 手机版 */
	{"/ranklist", GET, page_ranklist, 0},
	{"/guide", GET, page_guide, 0},
	{"/archiver/", GET, page_archiver, 0},
	{"/rss", GET, page_rss, 0},
	{"/f/*/rss", GET, page_rss, 0},
	{"/sitemap.xml", GET, page_sitemap, 0},
	{"/sitemap/*", GET, page_sitemap_part, 0},
	{"/mobile", GET, page_mobile, R_NOVIEWER},
	{"/misc.php", GET, page_discuz_misc, R_NOVIEWER},
	/* 提醒 notifications, 关注, @ completion (notify.c, issue #15 P1) */
	{"/notifications", GET, page_notifications, R_LOGIN},
	{"/notifications/read", POST, page_notification_read, R_FORM | R_CSRF | R_LOGIN},
	{"/notifications/*/read", POST, page_notification_read, R_FORM | R_CSRF | R_LOGIN},
	{"/notifications/*/open", POST, page_notification_open, R_FORM | R_CSRF | R_LOGIN},
	{"/api/v1/notifications", GET, api_notifications, R_API | R_LOGIN},
	{"/api/v1/notifications/read", POST, api_notifications_read, R_API | R_LOGIN},
	{"/settings/notifications", GET, page_settings_notify_form, R_LOGIN},
	{"/settings/notifications", POST, page_settings_notify, R_FORM | R_CSRF | R_LOGIN},
	{"/t/*/follow", GET, page_follow_state, R_LOGIN},
	{"/t/*/follow", POST, page_follow, R_FORM | R_CSRF | R_LOGIN},
	{"/api/v1/threads/*/follow", POST, api_follow, R_API | R_LOGIN},
	{"/api/v1/threads/*/follow", HTTP_DELETE, api_unfollow, R_API | R_LOGIN},
	{"/mentions", GET, page_mentions, R_LOGIN},
	{"/api/v1/mentions", GET, page_mentions, R_API | R_LOGIN},
	/* 审核: held posts (approve.c, issue #12 N2) */
	{"/pending", GET, page_pending_mine, R_LOGIN},
	{"/modcp/pending", GET, page_pending_queue, R_LOGIN},
	{"/modcp/pending", POST, page_pending_decide, R_FORM | R_CSRF | R_LOGIN},
	{"/api/v1/pending", GET, page_pending_queue, R_API | R_LOGIN},
	{"/api/v1/pending", POST, api_pending_decide, R_API | R_LOGIN},
	/* mail, 找回密码, Email, 收藏, 分享 (issue #15 P3: recover.c, favorite.c) */
	{"/lostpasswd", GET, page_lostpasswd_form, 0},
	{"/lostpasswd", POST, page_lostpasswd, R_FORM | R_CSRF},
	{"/lostpasswd/reset", GET, page_lostpasswd_reset_form, 0},
	{"/lostpasswd/reset", POST, page_lostpasswd_reset, R_FORM | R_CSRF},
	{"/api/v1/password-reset", POST, api_password_reset, R_API},
	{"/api/v1/password-reset/confirm", POST, api_password_reset_confirm, R_API},
	{"/settings/email", GET, page_settings_email_form, R_LOGIN},
	{"/settings/email", POST, page_settings_email, R_FORM | R_CSRF | R_LOGIN},
	{"/settings/email/resend", POST, page_settings_email_resend, R_FORM | R_CSRF | R_LOGIN},
	{"/settings/email/confirm", GET, page_settings_email_confirm_form, 0},
	{"/settings/email/confirm", POST, page_settings_email_confirm, R_FORM | R_CSRF},
	{"/favorites", GET, page_favorites, R_LOGIN},
	{"/t/*/favorite", POST, page_thread_favorite, R_FORM | R_CSRF | R_LOGIN | R_BATCH},
	{"/api/v1/threads/*/favorite", POST, api_thread_favorite, R_API | R_LOGIN | R_BATCH},
	{"/api/v1/threads/*/favorite", HTTP_DELETE, api_thread_unfavorite, R_API | R_LOGIN | R_BATCH},
	{"/t/*/qr.svg", GET, page_thread_qr, 0},
	{"/t/*/share/*", GET, page_thread_share, 0},
	{"/member.php", GET, page_discuz_member, R_NOVIEWER},
	/* 短消息 and profiles (P2, issue #15): the literal paths before the pm conversation pattern */
	{"/pm", GET, page_pm_list, R_LOGIN},
	{"/pm", POST, page_pm_send, R_FORM | R_CSRF | R_LOGIN},
	{"/pm/new", GET, page_pm_new_form, R_LOGIN},
	{"/pm/blocks", GET, page_pm_blocks, R_LOGIN},
	{"/pm/blocks", POST, page_pm_blocks_set, R_FORM | R_CSRF | R_LOGIN},
	{"/pm/reports", GET, page_pm_reports, R_LOGIN},
	{"/pm/reports/*/handle", POST, page_pm_report_handle, R_FORM | R_CSRF | R_LOGIN},
	{"/pm/*", GET, page_pm_conv, R_LOGIN},
	{"/pm/*/reply", POST, page_pm_reply, R_FORM | R_CSRF | R_LOGIN},
	{"/pm/*/report", POST, page_pm_report, R_FORM | R_CSRF | R_LOGIN},
	{"/api/v1/messages", GET, page_pm_list, R_API | R_LOGIN},
	{"/api/v1/messages", POST, api_pm_send, R_API | R_LOGIN},
	{"/api/v1/messages/*", GET, page_pm_conv, R_API | R_LOGIN},
	{"/api/v1/messages/*", POST, api_pm_reply, R_API | R_LOGIN},
	{"/api/v1/messages/*/report", POST, api_pm_report, R_API | R_LOGIN},
	{"/settings/profile", GET, page_settings_profile_form, R_LOGIN},
	{"/settings/profile", POST, page_settings_profile, R_FORM | R_CSRF | R_LOGIN},
	{"/api/v1/me/profile", HTTP_PATCH, api_me_profile, R_API | R_LOGIN},
	{"/home.php", GET, page_discuz_home, R_NOVIEWER},
	{"/forum.php", GET, page_discuz_forum, R_NOVIEWER},
	/* old Discuz! URLs (issue 18, discuz.c): 6/7 forms, Archiver, attachment files, UCenter avatars */
	{"/viewthread.php", GET, page_discuz_d7, R_NOVIEWER},
	{"/forumdisplay.php", GET, page_discuz_d7, R_NOVIEWER},
	{"/redirect.php", GET, page_discuz_d7, R_NOVIEWER},
	{"/space.php", GET, page_discuz_home, R_NOVIEWER},
	{"/archiver/*", GET, page_discuz_archiver, R_NOVIEWER},
	{"/data/attachment/forum/*", GET, page_discuz_legacy_file, R_NOVIEWER},
	{"/data/attachment/forum/*/*", GET, page_discuz_legacy_file, R_NOVIEWER},
	{"/data/attachment/forum/*/*/*", GET, page_discuz_legacy_file, R_NOVIEWER},
	{"/uc_server/avatar.php", GET, page_discuz_avatar, R_NOVIEWER},
	{"/api/avatar/index.php", GET, page_discuz_avatar, R_NOVIEWER},
	/* live replies and counters: Server-Sent Events (issue #15, pages/live.c) */
	{"/t/*/events", GET, page_thread_events, 0},
	{"/events", GET, page_member_events, R_LOGIN},
	{"/static/*", GET, page_static, R_NOVIEWER},
	{"/favicon.ico", GET, page_favicon, R_NOVIEWER},
	{"/robots.txt", GET, page_robots, R_NOVIEWER},
	{"/metrics", GET, page_metrics, R_NOVIEWER | R_BANOK | R_NODB},   /* loopback or an admin's bearer token (ops.c) */
	{"/healthz", GET, page_healthz, R_NOVIEWER | R_BANOK | R_NODB},
	{"/*", GET, page_discuz_html, R_NOVIEWER},   /* thread-N-P-1.html, forum-N-P.html */
};

int route_info(size_t i, const char **pattern, int *methods, int *flags) {
	if (i >= sizeof routes / sizeof routes[0]) return -1;
	*pattern = routes[i].pattern;
	*methods = routes[i].methods;
	*flags = routes[i].flags;
	return 0;
}

int routes_check(char *err, size_t n) {
	int bad = 0;
	const char *pattern;
	int methods, flags;
	for (size_t i = 0; !route_info(i, &pattern, &methods, &flags); i++) {
		int api = !strncmp(pattern, "/api/v1/", 8);   /* /api/docs is a page */
		const char *why = NULL;
		if ((methods & ~GET) && !(flags & (R_CSRF | R_API)))
			why = "changes state without R_CSRF or R_API";
		else if (api != !!(flags & R_API))
			why = api ? "is under /api/v1/ without R_API" : "has R_API outside /api/v1/";
		else if ((flags & R_API) && (flags & (R_FORM | R_CSRF)))
			why = "mixes R_API (bearer only) with R_FORM/R_CSRF (cookie forms)";
		else if ((flags & R_CSRF) && !(flags & R_FORM))
			why = "has R_CSRF without R_FORM";
		else if ((methods & ~GET) && (flags & R_NOVIEWER))
			why = "changes state with R_NOVIEWER";
		else if ((flags & R_BATCH) && (!(methods & ~GET) || (methods & GET) || !(flags & R_LOGIN)))
			why = "has R_BATCH but is not a members' write (group commit runs writes only)";
		else if ((flags & R_PREP) && !(flags & R_BATCH))
			why = "has R_PREP without R_BATCH";
		if (why && !bad++) snprintf(err, n, "route %s (methods %d): %s", pattern, methods, why);
	}
	return bad;
}

static int match(const char *pattern, const char *path, req *r) {
	r->nseg = 0;
	const char *p = pattern, *u = path;
	while (*p && *u) {
		if (*p == '*') {
			const char *end = strchr(u, '/');
			size_t n = end ? (size_t)(end - u) : strlen(u);
			if (!n || r->nseg == (int)(sizeof r->seg / sizeof r->seg[0])) return 0;
			r->seg[r->nseg++] = arena_strndup(&r->a, u, n);
			u += n;
			p++;
		} else if (*p == *u) {
			p++;
			u++;
		} else {
			return 0;
		}
	}
	return !*p && !*u;
}

static const char *allow_header(arena *a, int m) {
	static const struct { int bit; const char *name; } names[] = {
		{HTTP_GET, "GET"}, {HTTP_HEAD, "HEAD"}, {HTTP_POST, "POST"}, {HTTP_PUT, "PUT"},
		{HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"},
	};
	char *out = arena_alloc(a, 64);
	size_t len = 0;
	out[0] = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (m & names[i].bit) len += (size_t)snprintf(out + len, 64 - len, "%s%s", len ? ", " : "", names[i].name);
	return out;
}

void page_batch(page *p, void (*fn)(page *), void *job) {
	p->job = job;
	if (p->batch_ok) p->batch_fn = fn;   /* routes.c submits it after the handler returns */
	else fn(p);
}

/* Runs the handler that the route table gives for r, after its requirements; an R_BATCH
   handler is left in *defer for the writer thread (pages/batch.h) instead. */
static void route(req *r, page *p, void (**defer)(page *)) {
	if (!http_query_valid_utf8(r) || strlen(r->path) > HTTP_MAX_URL) {
		page_error(p, 400, "请求无效：参数不是有效的 UTF-8 文本。");
		return;
	}
	int allowed = 0;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!match(routes[i].pattern, r->path, r)) continue;
		if (!(routes[i].methods & r->method)) {
			allowed |= routes[i].methods;
			continue;
		}
		const struct route *rt = &routes[i];
		r->route = rt->pattern;
		if (!p->db && !(rt->flags & R_NODB)) {
			page_db_unavailable(p);
			return;
		}
		p->api = (rt->flags & R_API) != 0;
		if (!(rt->flags & R_NOVIEWER)) page_load_viewer(p, p->api);
		if (!p->api) page_touch_cookie(p);   /* ?mobile=2|yes|no is remembered (issue 14) */
		const char *why;
		if (!(rt->flags & (R_NOVIEWER | R_BANOK)) && !perm_check(p->me.uid, p->me.groupid, 0, PERM_VIEW, &why)) {
			page_forbidden(p, why);
			return;
		}
		if (rt->flags & R_FORM) {
			if (http_parse_form(r)) {
				int st = r->form_status ? r->form_status : 400;
				page_error(p, st, st == 413 ? "提交的内容太长。" : st == 415 ? "不支持的表单编码。" : "表单格式无效。");
				return;
			}
		}
		if ((rt->flags & R_CSRF) && !page_csrf_ok(p)) {
			page_error(p, 403, "表单已过期或来源无效（CSRF 校验失败），请刷新页面后重试。");
			return;
		}
		if ((rt->flags & R_LOGIN) && !p->me.uid) {
			page_login_required(p);
			return;
		}
		/* group commit: the quick writes run on the writer thread (files are slow work: here) */
		if ((rt->flags & R_BATCH) && !r->files && app_write_batch()) {
			if (!(rt->flags & R_PREP)) {
				*defer = rt->handler;
				return;
			}
			p->batch_ok = 1;   /* prepared here, applied by the writer (page_batch) */
			rt->handler(p);
			*defer = p->batch_fn;
			return;
		}
		rt->handler(p);
		return;
	}
	if (allowed) {
		http_set_header(r, "Allow", allow_header(&r->a, allowed));
		p->api = !strncmp(r->path, "/api/", 5);
		page_error(p, 405, "不支持这种请求方法。");
		return;
	}
	p->api = !strncmp(r->path, "/api/", 5);
	page_error(p, 404, "您要找的页面不存在，可能已被删除或移动。");
}

/* A guest's GET/HEAD: no session cookie, no credentials. */
static int guest_request(req *r) {
	return (r->method == HTTP_GET || r->method == HTTP_HEAD) && !http_cookie(r, SESSION_COOKIE) &&
	       !http_header(r, "Authorization") && !http_cookie(r, FLASH_COOKIE);
}

/* what a hit answers with, besides the body */
static void hit_headers(req *r) {
	r->ctype = "text/html; charset=utf-8";
	r->precompressed = r->accept_gzip;
	r->no_gzip = 1;
	page_std_headers(r);
	http_set_header(r, "X-Loulan-Cache", "hit");
}

void *app_cache_response(const void *z, size_t n) {
	req r;
	memset(&r, 0, sizeof r);
	arena_init(&r.a);
	r.accept_gzip = 1;
	hit_headers(&r);
	void *resp = http_prepared_new(&r, z, n);
	arena_free(&r.a);
	return resp;
}

/*
** The entry point: guest pages come from the page cache when a valid entry
** exists (no SQL; a thread page still counts its view), else from the route
** table, and a cacheable result is stored for the next guest.
*/
/* v in decimal at the end of b (the hot path of a hit: no printf) */
static const char *decimal(char *b, size_t n, int64_t v) {
	uint64_t u = v < 0 ? 0 : (uint64_t)v;
	char *p = b + n - 1;
	*p = 0;
	do *--p = (char)('0' + u % 10); while ((u /= 10) && p > b);
	return p;
}

/* answers a guest from the page cache entry e (drops the caller's reference) */
static void serve_hit(req *r, cache_entry *e, const int64_t *counts) {
	r->status = 200;
	r->route = "(page-cache)";
	int64_t view_tid = cache_view_tid(e);
	size_t pn = 0;
	void *prepared = cache_prepared(e, &pn);
	if (prepared && r->accept_gzip) {   /* the whole response was built when the page was stored */
		r->prepared = prepared;
		r->prepared_len = pn;
		r->done = cache_release;
		r->done_cls = e;
	} else {
		/* the holes a guest page keeps: the view count, the footer's Gzip and Cache words */
		const char *vals[TPL_MAX_HOLE_ID] = {0};
		char num[24], nrep[24], nmax[24], npages[24];
		vals[PH_VIEWS] = decimal(num, sizeof num, cache_count_next(e));
		if (cache_counts_tid(e)) {   /* a thread's live counters, as guest_get found them */
			vals[PH_REPLIES] = decimal(nrep, sizeof nrep, counts[0]);
			vals[PH_MAXPOS] = decimal(nmax, sizeof nmax, counts[1]);
			vals[PH_PAGES] = decimal(npages, sizeof npages, page_thread_pages(counts[1]));
		}
		vals[PH_GZIP] = r->accept_gzip ? "On" : "Off";
		vals[PH_CACHE] = "On";
		if (r->accept_gzip) cache_fill(e, vals, &r->out);
		else cache_fill_plain(e, vals, &r->out);
		cache_release(e);
		hit_headers(r);
	}
	cache_note(CACHE_GUEST, CACHE_EV_HIT);
	if (view_tid) views_add(view_tid);
}

/* a guest entry for key, or NULL; an entry whose thread counters moved is a miss (issue 16) */
static cache_entry *guest_get(const buf *key, int64_t *counts) {
	cache_entry *e = cache_get(CACHE_GUEST, key->data, key->len, time(NULL));
	if (e && cache_counts_tid(e) && !cachegen_counts(cache_counts_tid(e), &counts[0], &counts[1])) {
		cache_release(e);
		return NULL;
	}
	return e;
}

void app_handle(req *r) {
	int guest = guest_request(r);
	buf key;
	buf_init(&key, 0);
	size_t kbase = 0;
	int filler = 0;   /* this request renders the key for the others (cache_flight_begin) */
	if (guest) {
		page_request_key(r, &key);
		kbase = key.len;
		if (page_touch(r)) buf_puts(&key, "#touch");   /* the 手机版 layout is another page */
		if (strncmp(r->path, "/static/", 8)) online_touch(0, r->ip, time(NULL));   /* 在线: guests (issue 14) */
		/* arguments outside the key are not read, but a bad one is still a 400 (route) */
		int ok = !key.err && http_query_valid_utf8(r);
		int64_t counts[2] = {0, 0};
		cache_entry *e = ok ? guest_get(&key, counts) : NULL;
		if (!e && ok) {   /* concurrent misses of one page render once */
			filler = cache_flight_begin(CACHE_GUEST, key.data, key.len);
			if (!filler) e = guest_get(&key, counts);
		}
		if (e) {
			serve_hit(r, e, counts);
			buf_release(&key);
			return;
		}
	}
	page p;
	page_init(&p, r);
	if (guest && !key.err) {   /* page_render stores a cacheable page (page.h) */
		p.ckey = key.data;
		p.cklen = key.len;
		p.ckbase = kbase;
		p.cuse = CACHE_GUEST;
	}
	void (*defer)(page *) = NULL;
	route(r, &p, &defer);
	if (filler) cache_flight_end(CACHE_GUEST, key.data, key.len);
	buf_release(&key);
	if (defer) batch_submit(&p, defer);   /* last: r is the writer's from here */
}
