/*
** ban: 禁言 / 禁止访问 forms and API, 小黑屋 (/blacklist and its JSON), 删除该用户
** 所有帖子, the IP bans' API (their page is /admin/ipbans, admin.c). The rules are in forum/ban.c.
*/
#include "pages/page.h"
#include "forum/admin.h"
#include "forum/ban.h"
#include "forum/moderate.h"
#include "forum/posting.h"
#include "forum/site.h"
#include "forum/user.h"
#include "util/timefmt.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* the web form's durations (days; 0 = permanent) */
static const int ban_days[] = {1, 3, 7, 30, 0};

void page_ban_terms(page *p, int selected) {
	arena *a = p->a;
	tv *days = tv_add_list(a, p->v, "days");
	for (size_t i = 0; i < sizeof ban_days / sizeof ban_days[0]; i++) {
		tv *d = tv_push_map(a, days);
		tv_int(a, d, "n", ban_days[i]);
		tv_str(a, d, "label", ban_days[i] ? arena_sprintf(a, "%d 天", ban_days[i]) : "永久");
		tv_bool(a, d, "selected", ban_days[i] == selected);
	}
	tv_int(a, p->v, "reason_max", BAN_REASON_MAX);
}

static const char *kind_name(int64_t type) { return type == BAN_VISIT ? "禁止访问" : "禁止发言"; }

static int type_of(const char *s) {
	return !s ? 0 : !strcmp(s, "post") ? BAN_POST : !strcmp(s, "visit") ? BAN_VISIT : 0;
}

static void bad(page *p, const char *msg) {
	if (p->api) page_json_error(p, 400, "bad_request", msg);
	else page_error(p, 400, msg);
}

/* the board a ban is given in: the board of post PID (0: none). 0 ok, -1 after answering */
static int context_board(page *p, int64_t pid, int64_t *fid) {
	*fid = 0;
	if (!pid) return 0;
	struct post_full pf;
	if (page_post(p, pid, &pf)) return -1;
	*fid = pf.fid;
	return 0;
}

/* ?pid= / form pid: an id or absent (0); -1 after a 400 */
static int64_t opt_id(page *p, const char *s) {
	int64_t v = 0;
	if (s && *s && page_id(p, s, &v)) return -1;
	return v;
}

/* ---- the ban form: GET /u/{uid}/ban[?pid=P] -------------------------------------- */

void page_ban_form(page *p) {
	arena *a = p->a;
	int64_t uid, pid, fid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	if ((pid = opt_id(p, http_query(p->r, "pid"))) < 0) return;
	struct actor who = page_actor(p);
	if (!forum_can_moderate(&who, 0)) { page_forbidden(p, "只有版主和管理员可以禁止用户。"); return; }
	if (context_board(p, pid, &fid)) return;
	struct member m;
	int rc = user_get(p->db, a, uid, &m);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的用户不存在。"); return; }
	const char *why;
	int staff = m.groupid == GROUP_ADMIN ? BAN_TARGET_ADMIN : m.groupid <= GROUP_MOD ? BAN_TARGET_STAFF : 0;
	if (!ban_allowed(&who, uid, staff, BAN_POST, fid, &why)) {
		page_forbidden(p, why);
		return;
	}
	tv *u = tv_add_map(a, p->v, "member");
	tv_int(a, u, "uid", uid);
	tv_str(a, u, "name", m.name);
	tv_str(a, u, "group", group_get(m.groupid)->title);
	tv_bool(a, u, "banned", m.groupid == BAN_POST || m.groupid == BAN_VISIT);
	if (pid) tv_int(a, p->v, "pid", pid);
	tv_bool(a, p->v, "can_visit", forum_is_supermod(&who));
	tv_bool(a, p->v, "can_purge", who.groupid == GROUP_ADMIN);
	page_ban_terms(p, 3);
	page_render(p, 200, "ban", arena_sprintf(a, "禁止用户 %s - %s", m.name, p->site->name));
}

/* ---- ban / unban (web form and API) -------------------------------------------- */

static void do_ban(page *p, int type, int64_t seconds, const char *reason, int64_t pid) {
	int64_t uid, fid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	if (context_board(p, pid, &fid)) return;
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	if (ban_add(p->db, &who, uid, type, fid, seconds, reason, p->now, &e)) { page_forum_error(p, e.code, &e); return; }
	if (p->api) {
		json_t *o = json_pack("{s:I,s:s,s:s}", "uid", (json_int_t)uid, "type", type == BAN_VISIT ? "visit" : "post", "reason",
		                      reason ? reason : "");
		page_json_time(o, "expires", seconds ? p->now + seconds : 0);
		page_json_send(p, 200, o);
		return;
	}
	http_redirect(p->r, 303, pid ? arena_sprintf(p->a, "/p/%lld", (long long)pid) : "/blacklist");
}

/* POST /u/{uid}/ban: type=post|visit, days=1|3|7|30|0, reason, pid */
void page_ban(page *p) {
	int64_t pid = opt_id(p, http_form(p->r, "pid")), days = 0;
	if (pid < 0) return;
	int type = type_of(http_form(p->r, "type"));
	const char *ds = http_form(p->r, "days");
	if (!type) { bad(p, "禁止类型无效（发言或访问）。"); return; }
	if (ds && strcmp(ds, "0") && page_id(p, ds, &days)) return;
	if (days > BAN_DAYS_MAX) { bad(p, "禁止期限太长。"); return; }
	do_ban(p, type, days * 86400, http_form(p->r, "reason"), pid);
}

/* POST /api/v1/users/{uid}/ban {"type": "post"|"visit", "days": N (0 permanent), "reason": "...",
   "pid": P (the post that earned it: a board moderator bans in its board), "seconds": S (instead of days)} */
void api_ban(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	int type = type_of(json_string_value(json_object_get(b, "type")));
	json_t *jd = json_object_get(b, "days"), *js = json_object_get(b, "seconds"), *jr = json_object_get(b, "reason"),
	       *jp = json_object_get(b, "pid");
	const char *err = !type ? "type 必须是 \"post\" 或 \"visit\"。"
	                : jd && (!json_is_integer(jd) || json_integer_value(jd) < 0 || json_integer_value(jd) > BAN_DAYS_MAX)
	                    ? "days 必须是 0（永久）到 3650 的整数。"
	                : js && (!json_is_integer(js) || json_integer_value(js) < 1 || json_integer_value(js) > BAN_SECONDS_MAX)
	                    ? "seconds 必须是正整数。"
	                : jr && !json_is_string(jr) ? "reason 必须是字符串。"
	                : jp && (!json_is_integer(jp) || json_integer_value(jp) < 1) ? "pid 必须是正整数。" : NULL;
	if (err) {
		json_decref(b);
		bad(p, err);
		return;
	}
	int64_t secs = js ? json_integer_value(js) : jd ? json_integer_value(jd) * 86400 : 0;
	const char *reason = jr ? arena_strdup(p->a, json_string_value(jr)) : "";
	int64_t pid = jp ? json_integer_value(jp) : 0;
	json_decref(b);
	do_ban(p, type, secs, reason, pid);
}

static void do_unban(page *p, int64_t pid) {
	int64_t uid, fid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	if (context_board(p, pid, &fid)) return;
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	if (ban_lift(p->db, &who, uid, fid, p->now, &e)) { page_forum_error(p, e.code, &e); return; }
	if (p->api) page_json_send(p, 200, json_pack("{s:I,s:b}", "uid", (json_int_t)uid, "banned", 0));
	else http_redirect(p->r, 303, "/blacklist");
}

void page_unban(page *p) {
	int64_t pid = opt_id(p, http_form(p->r, "pid"));
	if (pid >= 0) do_unban(p, pid);
}
void api_unban(page *p) {
	int64_t pid = opt_id(p, http_query(p->r, "pid"));
	if (pid >= 0) do_unban(p, pid);
}

/* ---- 删除该用户所有帖子 ----------------------------------------------------------- */

static void do_purge(page *p) {
	int64_t uid, count;
	if (page_id(p, p->r->seg[0], &uid)) return;
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	if (ban_remove_posts(p->db, &who, uid, &count, &e)) { page_forum_error(p, e.code, &e); return; }
	if (p->api) page_json_send(p, 200, json_pack("{s:I,s:I}", "uid", (json_int_t)uid, "removed", (json_int_t)count));
	else http_redirect(p->r, 303, arena_sprintf(p->a, "/u/%lld", (long long)uid));
}
void page_purge(page *p) { do_purge(p); }
void api_purge(page *p) { do_purge(p); }

/* ---- 小黑屋: GET /blacklist[?before=ID], GET /api/v1/blacklist ------------------------ */

void page_blacklist(page *p) {
	arena *a = p->a;
	int64_t before = opt_id(p, http_query(p->r, "before"));
	if (before < 0) return;
	struct ban_row *rs;
	int n;
	if (ban_list(p->db, a, before, BAN_PER_PAGE + 1, p->now, &rs, &n)) { page_db_unavailable(p); return; }
	int more = n > BAN_PER_PAGE;
	if (more) n = BAN_PER_PAGE;
	int64_t next = more ? rs[n - 1].id : 0;
	if (p->api) {
		json_t *list = json_array();
		for (int i = 0; i < n; i++) {
			json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)rs[i].id, "uid", (json_int_t)rs[i].uid,
			                      "username", rs[i].username, "type", rs[i].type == BAN_VISIT ? "visit" : "post", "reason",
			                      rs[i].reason, "moderator", rs[i].modname);
			page_json_time(o, "created", rs[i].created);
			page_json_time(o, "expires", rs[i].expires);   /* 0: permanent */
			json_array_append_new(list, o);
		}
		json_t *out = json_pack("{s:o,s:b,s:I}", "bans", list, "more", more, "next", (json_int_t)next);
		page_json_next(p, out, more ? arena_sprintf(a, "/api/v1/blacklist?before=%lld", (long long)next) : NULL);
		page_json_send(p, 200, out);
		return;
	}
	struct actor who = page_actor(p);
	tv *list = tv_add_list(a, p->v, "bans");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "id", rs[i].id);
		tv_int(a, m, "uid", rs[i].uid);
		tv_str(a, m, "username", rs[i].username);
		tv_str(a, m, "kind", kind_name(rs[i].type));
		tv_bool(a, m, "visit", rs[i].type == BAN_VISIT);
		tv_str(a, m, "reason", rs[i].reason);
		tv_str(a, m, "moderator", rs[i].modname);
		tv_str(a, m, "when", timefmt_short(a, rs[i].created));
		tv_str(a, m, "expires", rs[i].expires ? timefmt_short(a, rs[i].expires) : "永久");
	}
	const char *why;
	tv_bool(a, p->v, "can_unban", ban_allowed(&who, 0, 0, BAN_VISIT, 0, &why));
	if (more) tv_str(a, p->v, "next", arena_sprintf(a, "/blacklist?before=%lld", (long long)next));
	page_render(p, 200, "blacklist", arena_sprintf(a, "小黑屋 - %s", p->site->name));
}

/* ---- IP bans (admins): the API /api/v1/ipbans; the page is the admin panel's /admin/ipbans ---- */

/* GET /api/v1/ipbans */
void api_ipbans(page *p) {
	struct actor who = page_actor(p);
	if (who.groupid != GROUP_ADMIN) { page_forbidden(p, "只有管理员可以管理 IP 禁止。"); return; }
	struct ipban_row *rs;
	int n;
	if (ipban_list(p->db, p->a, p->now, IPBAN_LIST_MAX, &rs, &n)) { page_db_unavailable(p); return; }
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)rs[i].id, "cidr", rs[i].cidr, "reason", rs[i].reason);
		page_json_time(o, "created", rs[i].created);
		page_json_time(o, "expires", rs[i].expires);   /* 0: permanent */
		json_array_append_new(list, o);
	}
	json_t *out = json_pack("{s:o}", "ipbans", list);
	page_json_next(p, out, NULL);   /* one page: at most IPBAN_LIST_MAX */
	page_json_send(p, 200, out);
}

static void ipban_done(page *p, int64_t id, struct forum_err *e, int rc) {
	if (rc) page_forum_error(p, e->code, e);
	else page_json_send(p, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

/* POST /api/v1/ipbans {"cidr": "192.0.2.0/24", "days": N, "seconds": S, "reason": "..."} */
void api_ipban_add(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	json_t *jc = json_object_get(b, "cidr"), *jd = json_object_get(b, "days"), *js = json_object_get(b, "seconds"),
	       *jr = json_object_get(b, "reason");
	if (!json_is_string(jc) || (jd && !json_is_integer(jd)) || (js && !json_is_integer(js)) || (jr && !json_is_string(jr))) {
		json_decref(b);
		bad(p, "需要 cidr（字符串）；days、seconds 为整数，reason 为字符串。");
		return;
	}
	int64_t secs = js ? json_integer_value(js) : jd ? json_integer_value(jd) * 86400 : 0, id = 0;
	const char *cidr = arena_strdup(p->a, json_string_value(jc)), *reason = jr ? arena_strdup(p->a, json_string_value(jr)) : "";
	json_decref(b);
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	int rc = admin_ipban_add(p->db, &who, cidr, secs, reason, p->now, &id, &e);   /* audit-logged (forum/admin.c) */
	ipban_done(p, id, &e, rc);
}

/* DELETE /api/v1/ipbans/{id} */
void api_ipban_delete(page *p) {
	int64_t id;
	if (page_id(p, p->r->seg[0], &id)) return;
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	ipban_done(p, id, &e, admin_ipban_delete(p->db, &who, id, p->now, &e));
}

/* registering and posting: 1 (after a 403) if the client's address is banned */
int page_ip_banned(page *p) {
	int rc = ipban_check(p->db, p->r->ip, p->now);
	if (rc < 0) { page_db_unavailable(p); return 1; }
	if (!rc) return 0;
	if (p->api) page_json_error(p, 403, "forbidden", "您的 IP 地址已被禁止注册和发帖。");
	else page_error(p, 403, "您的 IP 地址已被禁止注册和发帖。");
	return 1;
}
