/*
** pm: the 短消息 pages and API (issue #15; rules in forum/pm.h).
**   /pm              the member's conversations, newest first (keyset ?before=MID_CID)
**   /pm/new          the form (?to=NAME), POST /pm sends
**   /pm/{cid}        a conversation (older messages by ?before=MID); POST /pm/{cid}/reply answers (its own path:
**                    the composer keeps a draft only when the form comes back under it)
**   /pm/{cid}/report POST: report one message (field mid)
**   /pm/blocks       the block list (GET, POST name + action block|unblock)
**   /pm/reports      admins: the reported messages (only those), POST /pm/reports/{id}/handle
** API: GET/POST /api/v1/messages, GET/POST /api/v1/messages/{cid}, POST /api/v1/messages/{cid}/report.
** Each page: the session and at most two queries.
*/
#include "pages/page.h"
#include "forum/pm.h"
#include "util/timefmt.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct who { int64_t uid; const char *name; };

/* pm_conv.members "uid:name,uid:name" (names never hold ',') into out[]: how many */
static int members_parse(page *p, const char *members, struct who *out) {
	int n = 0;
	for (const char *s = members; s && *s && n < PM_MAX_MEMBERS;) {
		const char *comma = strchr(s, ','), *end = comma ? comma : s + strlen(s);
		const char *colon = memchr(s, ':', (size_t)(end - s));
		if (colon) {
			int64_t uid = 0;
			for (const char *c = s; c < colon; c++) uid = uid * 10 + (*c - '0');
			out[n++] = (struct who){uid, arena_strndup(p->a, colon + 1, (size_t)(end - colon - 1))};
		}
		s = comma ? comma + 1 : end;
	}
	return n;
}

/* the members as a list of maps (m may be NULL) and, returned, those other than me as "甲、乙";
   *other: the first other member (the list's avatar) */
static const char *members_view(page *p, tv *m, const char *members, int64_t me, int64_t *other) {
	struct who w[PM_MAX_MEMBERS];
	int n = members_parse(p, members, w);
	tv *list = m ? tv_add_list(p->a, m, "members") : NULL;
	buf b;
	buf_init(&b, 0);
	if (other) *other = 0;
	for (int i = 0; i < n; i++) {
		if (list) {
			tv *x = tv_push_map(p->a, list);
			tv_int(p->a, x, "uid", w[i].uid);
			tv_str(p->a, x, "name", w[i].name);
			tv_bool(p->a, x, "me", w[i].uid == me);
		}
		if (w[i].uid == me) continue;
		buf_appendf(&b, "%s%s", b.len ? "、" : "", w[i].name);
		if (other && !*other) *other = w[i].uid;
	}
	const char *out = arena_strdup(p->a, b.len ? buf_cstr(&b) : "");
	buf_release(&b);
	return out;
}

static json_t *members_json(page *p, const char *members) {
	struct who w[PM_MAX_MEMBERS];
	int n = members_parse(p, members, w);
	json_t *a = json_array();
	for (int i = 0; i < n; i++) json_array_append_new(a, json_pack("{s:I,s:s}", "uid", (json_int_t)w[i].uid, "name", w[i].name));
	return a;
}

/* ?before=MID_CID of the list: 0 ok (first page: INT64_MAX), -1 after a 400 */
static int list_cursor(page *p, int64_t *t, int64_t *cid) {
	*t = *cid = INT64_MAX;
	const char *b = http_query(p->r, "before");
	if (!b) return 0;
	const char *us = strchr(b, '_');
	if (!us) {
		page_error(p, 400, "参数 before 无效。");
		return -1;
	}
	return page_id(p, arena_strndup(p->a, b, (size_t)(us - b)), t) || page_id(p, us + 1, cid) ? -1 : 0;
}

void page_pm_list(page *p) {
	int64_t bt, bc;
	if (list_cursor(p, &bt, &bc)) return;
	struct pm_conv c[PM_PER_PAGE + 1];
	int n = pm_list(p->db, p->a, p->me.uid, bt, bc, PM_PER_PAGE + 1, c);
	if (n < 0) { page_db_unavailable(p); return; }
	int more = n > PM_PER_PAGE;
	if (more) n = PM_PER_PAGE;
	if (p->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++) {
			json_t *c1 = json_pack("{s:I,s:s,s:o,s:I,s:s,s:s,s:I,s:I}", "id", (json_int_t)c[i].cid, "subject", c[i].subject,
			                       "members", members_json(p, c[i].members), "messages", (json_int_t)c[i].nmsgs,
			                       "last_author", c[i].lastauthor, "last_excerpt", c[i].lastexcerpt, "last_id",
			                       (json_int_t)c[i].lastmid, "unread", (json_int_t)c[i].unread);
			page_json_time(c1, "last_time", c[i].lastmsg);
			json_array_append_new(arr, c1);
		}
		const char *next = more ? arena_sprintf(p->a, "%lld_%lld", (long long)c[n - 1].lastmid, (long long)c[n - 1].cid) : NULL;
		json_t *o = json_pack("{s:o,s:I,s:o}", "conversations", arr, "unread", (json_int_t)p->me.pm_unread, "next",
		                      next ? json_string(next) : json_null());
		page_json_next(p, o, next ? arena_sprintf(p->a, "/api/v1/messages?before=%s", next) : NULL);
		page_json_send(p, 200, o);
		return;
	}
	tv *list = tv_add_list(p->a, p->v, "convs");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(p->a, list);
		tv_int(p->a, m, "cid", c[i].cid);
		int64_t other;
		const char *others = members_view(p, NULL, c[i].members, p->me.uid, &other);
		tv_str(p->a, m, "title", *c[i].subject ? c[i].subject : others);
		tv_str(p->a, m, "with", others);
		tv_bool(p->a, m, "group", c[i].nmembers > 2);
		tv_int(p->a, m, "nmembers", c[i].nmembers);
		tv_int(p->a, m, "nmsgs", c[i].nmsgs);
		tv_str(p->a, m, "lastauthor", c[i].lastauthor);
		tv_str(p->a, m, "excerpt", c[i].lastexcerpt);
		tv_str(p->a, m, "when", page_when(p, c[i].lastmsg));
		tv_int(p->a, m, "unread", c[i].unread);
		tv_int(p->a, m, "avatar", other);
	}
	if (more) tv_str(p->a, p->v, "next", arena_sprintf(p->a, "%lld_%lld", (long long)c[n - 1].lastmid, (long long)c[n - 1].cid));
	if (http_query(p->r, "before")) tv_bool(p->a, p->v, "paged", 1);
	tv_bool(p->a, p->v, "admin", p->me.groupid == GROUP_ADMIN);
	if (http_query(p->r, "blocked")) tv_bool(p->a, p->v, "notice_blocked", 1);
	page_render(p, 200, "pm_list", arena_sprintf(p->a, "短消息 - %s", p->site->name));
}

static void new_form(page *p, int status, const char *error, const char *to, const char *subject, const char *body) {
	tv_str(p->a, p->v, "error", error);
	tv_str(p->a, p->v, "to", to ? to : "");
	tv_str(p->a, p->v, "subject", subject ? subject : "");
	tv_str(p->a, p->v, "body", body ? body : "");
	tv_int(p->a, p->v, "body_max", PM_BODY_MAX);
	tv_int(p->a, p->v, "subject_max", PM_SUBJECT_MAX);
	tv_int(p->a, p->v, "to_max", PM_TO_MAX);
	tv_int(p->a, p->v, "max_others", PM_MAX_MEMBERS - 1);
	page_composer(p, "/pm", 0);
	tv_bool(p->a, tv_get(p->v, "composer"), "lite", 1);   /* no remote images, no preview */
	page_render(p, status, "pm_new", arena_sprintf(p->a, "发送短消息 - %s", p->site->name));
}

void page_pm_new_form(page *p) {
	const char *to = http_query(p->r, "to");
	if (to && strlen(to) > PM_TO_MAX) { page_error(p, 400, "收件人过长。"); return; }
	struct actor who = page_actor(p);
	const char *why;
	if (!pm_can_send(&who, &why)) { page_forbidden(p, why); return; }
	new_form(p, 200, NULL, to, NULL, NULL);
}

/* the JSON answer of a sent message */
static void sent_json(page *p, int status, int64_t cid, int64_t mid) {
	page_json_send(p, status, json_pack("{s:I,s:I,s:s}", "id", (json_int_t)cid, "message_id", (json_int_t)mid, "url",
	                                    arena_sprintf(p->a, "/pm/%lld#m%lld", (long long)cid, (long long)mid)));
}

static void sent_redirect(page *p, int64_t cid, int64_t mid) {
	http_redirect(p->r, 303, arena_sprintf(p->a, "/pm/%lld#m%lld", (long long)cid, (long long)mid));
}

void page_pm_send(page *p) {
	const char *to = http_form(p->r, "to"), *subject = http_form(p->r, "subject"), *body = http_form(p->r, "body");
	struct forum_err e = {0};
	const char *names[PM_MAX_MEMBERS];
	int n = -1;
	if (to && strlen(to) > PM_TO_MAX) forum_fail(&e, FORUM_E_TOOBIG, "收件人过长：最多 %d 字节。", PM_TO_MAX);
	else if ((n = pm_split_names(p->a, to ? to : "", names, PM_MAX_MEMBERS)) < 0)
		forum_fail(&e, FORUM_E_TOOBIG, "一次最多发给 %d 位会员。", PM_MAX_MEMBERS - 1);
	struct actor who = page_actor(p);
	int64_t cid, mid;
	if (!e.code && !pm_send(p->db, p->a, &who, names, n, subject, body, p->now, &cid, &mid, &e)) {
		sent_redirect(p, cid, mid);
		return;
	}
	if (e.code == FORUM_E_FLOOD) http_set_header(p->r, "Retry-After", arena_sprintf(p->a, "%d", e.wait));
	new_form(p, page_forum_status(e.code), arena_strdup(p->a, e.msg), to, subject, body);
}

/* to: ["name", ...] or "name" */
void api_pm_send(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	json_t *to = json_object_get(b, "to");
	const char *names[PM_MAX_MEMBERS];
	int n = 0;
	struct forum_err e = {0};
	if (json_is_string(to)) {
		names[n++] = arena_strdup(p->a, json_string_value(to));
	} else if (json_is_array(to)) {
		size_t i;
		json_t *x;
		json_array_foreach(to, i, x) {
			if (!json_is_string(x)) { forum_fail(&e, FORUM_E_INVALID, "to 须为会员名的数组。"); break; }
			if (n == PM_MAX_MEMBERS - 1) { forum_fail(&e, FORUM_E_TOOBIG, "一次最多发给 %d 位会员。", PM_MAX_MEMBERS - 1); break; }
			names[n++] = arena_strdup(p->a, json_string_value(x));
		}
	} else {
		forum_fail(&e, FORUM_E_INVALID, "请提供 to（收件人的会员名数组）。");
	}
	const char *body = json_string_value(json_object_get(b, "body")), *subject = json_string_value(json_object_get(b, "subject"));
	body = body ? arena_strdup(p->a, body) : NULL;
	subject = subject ? arena_strdup(p->a, subject) : NULL;
	json_decref(b);
	struct actor who = page_actor(p);
	int64_t cid, mid;
	if (!e.code && !pm_send(p->db, p->a, &who, names, n, subject, body, p->now, &cid, &mid, &e)) {
		sent_json(p, 201, cid, mid);
		return;
	}
	page_forum_error(p, e.code, &e);
}

static int path_cid(page *p, int64_t *cid) { return page_id(p, p->r->seg[0], cid); }

static void conv_page(page *p, int status, const char *error, const char *body) {
	int64_t cid, before = 0;
	if (path_cid(p, &cid)) return;
	const char *b = http_query(p->r, "before");
	if (b && page_id(p, b, &before)) return;
	struct actor who = page_actor(p);
	struct pm_conv c;
	struct pm_msg m[PM_MSGS_PER_PAGE];
	int n, more;
	struct forum_err e = {0};
	if (pm_read(p->db, p->a, &who, cid, before, PM_MSGS_PER_PAGE, &c, m, &n, &more, &e)) {
		page_forum_error(p, e.code, &e);
		return;
	}
	/* what this read cleared no longer counts in the header */
	p->me.pm_unread = p->me.pm_unread > c.unread ? p->me.pm_unread - c.unread : 0;
	if (p->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++) {
			json_t *m1 = json_pack("{s:I,s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)m[i].mid, "author_uid", (json_int_t)m[i].uid,
			                       "author", m[i].author, "body", m[i].source, "body_html", m[i].html, "reported",
			                       m[i].reported);
			page_json_time(m1, "created", m[i].created);
			json_array_append_new(arr, m1);
		}
		int64_t next = more && n ? m[0].mid : 0;
		json_t *o = json_pack("{s:I,s:s,s:o,s:o,s:I,s:o}", "id", (json_int_t)c.cid, "subject", c.subject, "members",
		                      members_json(p, c.members), "messages", arr, "total", (json_int_t)c.nmsgs, "next",
		                      next ? json_integer((json_int_t)next) : json_null());
		page_json_next(p, o, next ? arena_sprintf(p->a, "/api/v1/messages/%lld?before=%lld", (long long)c.cid, (long long)next) : NULL);
		page_json_send(p, 200, o);
		return;
	}
	tv *cv = tv_add_map(p->a, p->v, "conv");
	tv_int(p->a, cv, "cid", c.cid);
	const char *others = members_view(p, cv, c.members, p->me.uid, NULL);
	tv_str(p->a, cv, "title", *c.subject ? c.subject : arena_sprintf(p->a, "与 %s 的对话", others));
	tv_bool(p->a, cv, "group", c.nmembers > 2);
	tv_int(p->a, cv, "nmembers", c.nmembers);
	tv_int(p->a, cv, "nmsgs", c.nmsgs);
	tv *list = tv_add_list(p->a, p->v, "msgs");
	for (int i = 0; i < n; i++) {
		tv *x = tv_push_map(p->a, list);
		tv_int(p->a, x, "mid", m[i].mid);
		tv_int(p->a, x, "uid", m[i].uid);
		tv_str(p->a, x, "author", m[i].author);
		tv_bool(p->a, x, "mine", m[i].uid == p->me.uid);
		tv_html(p->a, x, "html", m[i].html);
		tv_str(p->a, x, "when", timefmt_full(p->a, m[i].created));
		tv_bool(p->a, x, "reported", m[i].reported);
	}
	if (more && n) tv_int(p->a, p->v, "older", m[0].mid);
	if (before) tv_bool(p->a, p->v, "paged", 1);
	tv_str(p->a, p->v, "error", error);
	tv_str(p->a, p->v, "body", body ? body : "");
	tv_int(p->a, p->v, "body_max", PM_BODY_MAX);
	tv_int(p->a, p->v, "reason_max", PM_REASON_MAX);
	if (http_query(p->r, "reported")) tv_bool(p->a, p->v, "notice_reported", 1);
	page_composer(p, arena_sprintf(p->a, "/pm/%lld/reply", (long long)c.cid), 0);
	tv_bool(p->a, tv_get(p->v, "composer"), "lite", 1);
	page_render(p, status, "pm_conv", arena_sprintf(p->a, "%s - 短消息 - %s", *c.subject ? c.subject : others, p->site->name));
}

void page_pm_conv(page *p) { conv_page(p, 200, NULL, NULL); }

void page_pm_reply(page *p) {
	int64_t cid, mid;
	if (path_cid(p, &cid)) return;
	const char *body = http_form(p->r, "body");
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	if (!pm_reply(p->db, p->a, &who, cid, body, p->now, &mid, &e)) {
		sent_redirect(p, cid, mid);
		return;
	}
	if (e.code == FORUM_E_NOTFOUND || e.code == FORUM_E_DB) { page_forum_error(p, e.code, &e); return; }
	if (e.code == FORUM_E_FLOOD) http_set_header(p->r, "Retry-After", arena_sprintf(p->a, "%d", e.wait));
	conv_page(p, page_forum_status(e.code), arena_strdup(p->a, e.msg), body);
}

void api_pm_reply(page *p) {
	int64_t cid, mid;
	if (path_cid(p, &cid)) return;
	json_t *b = page_json_body(p);
	if (!b) return;
	const char *body = json_string_value(json_object_get(b, "body"));
	body = body ? arena_strdup(p->a, body) : NULL;
	json_decref(b);
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	if (!pm_reply(p->db, p->a, &who, cid, body, p->now, &mid, &e)) {
		sent_json(p, 201, cid, mid);
		return;
	}
	page_forum_error(p, e.code, &e);
}

static void do_report(page *p, int64_t mid, const char *reason) {
	int64_t cid;
	if (path_cid(p, &cid)) return;
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	if (pm_report(p->db, &who, mid, reason, p->now, &e)) { page_forum_error(p, e.code, &e); return; }
	if (p->api) page_json_send(p, 201, json_pack("{s:b}", "reported", 1));
	else http_redirect(p->r, 303, arena_sprintf(p->a, "/pm/%lld?reported=1#m%lld", (long long)cid, (long long)mid));
}

void page_pm_report(page *p) {
	int64_t mid;
	const char *m = http_form(p->r, "mid");
	if (!m || page_id(p, m, &mid)) { if (!m) page_error(p, 400, "缺少 mid。"); return; }
	do_report(p, mid, http_form(p->r, "reason"));
}

void api_pm_report(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	json_t *m = json_object_get(b, "mid");
	const char *reason = json_string_value(json_object_get(b, "reason"));
	reason = reason ? arena_strdup(p->a, reason) : NULL;
	int ok = json_is_integer(m) && json_integer_value(m) > 0;
	int64_t mid = ok ? (int64_t)json_integer_value(m) : 0;
	json_decref(b);
	if (!ok) { page_json_error(p, 400, "bad_request", "mid 须为正整数。"); return; }
	do_report(p, mid, reason);
}

/* ---- block list ---- */

static void blocks_page(page *p, int status, const char *error) {
	struct pm_blocked bl[PM_BLOCK_MAX];
	int n = pm_blocks(p->db, p->a, p->me.uid, bl, PM_BLOCK_MAX);
	if (n < 0) { page_db_unavailable(p); return; }
	tv *list = tv_add_list(p->a, p->v, "blocks");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(p->a, list);
		tv_int(p->a, m, "uid", bl[i].uid);
		tv_str(p->a, m, "name", bl[i].name);
		tv_str(p->a, m, "when", page_when(p, bl[i].created));
	}
	tv_str(p->a, p->v, "error", error);
	tv_int(p->a, p->v, "block_max", PM_BLOCK_MAX);
	page_render(p, status, "pm_blocks", arena_sprintf(p->a, "短消息黑名单 - %s", p->site->name));
}

void page_pm_blocks(page *p) { blocks_page(p, 200, NULL); }

void page_pm_blocks_set(page *p) {
	const char *name = http_form(p->r, "name"), *act = http_form(p->r, "action");
	int on = !act || strcmp(act, "unblock");
	struct forum_err e = {0};
	if (name && strlen(name) > 64) forum_fail(&e, FORUM_E_TOOBIG, "会员名过长。");
	else pm_block_set(p->db, p->me.uid, name, on, p->now, &e);
	if (!e.code) { http_redirect(p->r, 303, "/pm/blocks"); return; }
	if (e.code == FORUM_E_DB) { page_db_unavailable(p); return; }
	blocks_page(p, page_forum_status(e.code), arena_strdup(p->a, e.msg));
}

/* ---- reported messages: admins read those, and only those ---- */

void page_pm_reports(page *p) {
	int64_t before = 0;
	const char *b = http_query(p->r, "before");
	if (b && page_id(p, b, &before)) return;
	struct actor who = page_actor(p);
	struct pm_report_row r[PM_REPORTS_PER_PAGE + 1];
	struct forum_err e = {0};
	int n = pm_reports(p->db, p->a, &who, before, PM_REPORTS_PER_PAGE + 1, r, &e);
	if (n < 0) { page_forum_error(p, n, &e); return; }
	int more = n > PM_REPORTS_PER_PAGE;
	if (more) n = PM_REPORTS_PER_PAGE;
	tv *list = tv_add_list(p->a, p->v, "reports");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(p->a, list);
		tv_int(p->a, m, "id", r[i].id);
		tv_int(p->a, m, "mid", r[i].mid);
		tv_int(p->a, m, "author_uid", r[i].author_uid);
		tv_str(p->a, m, "author", r[i].author);
		tv_html(p->a, m, "html", r[i].html);
		tv_str(p->a, m, "msg_when", timefmt_full(p->a, r[i].msg_created));
		tv_int(p->a, m, "reporter", r[i].reporter);
		tv_str(p->a, m, "reporter_name", r[i].reporter_name);
		tv_str(p->a, m, "reason", r[i].reason);
		tv_str(p->a, m, "when", page_when(p, r[i].created));
	}
	if (more) tv_int(p->a, p->v, "next", r[n - 1].id);
	page_render(p, 200, "pm_reports", arena_sprintf(p->a, "被举报的短消息 - %s", p->site->name));
}

void page_pm_report_handle(page *p) {
	int64_t id;
	if (page_id(p, p->r->seg[0], &id)) return;
	struct actor who = page_actor(p);
	struct forum_err e = {0};
	if (pm_report_handle(p->db, &who, id, &e)) { page_forum_error(p, e.code, &e); return; }
	http_redirect(p->r, 303, "/pm/reports");
}
