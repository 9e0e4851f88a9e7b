/*
** notify: 提醒 pages (issue #15): /notifications (keyset pages, open = mark read and go,
** mark one / all read), /settings/notifications (per-kind switches), the JSON API
** (GET /api/v1/notifications, POST /api/v1/notifications/read), 关注 of a thread
** (/t/{tid}/follow, /api/v1/threads/{tid}/follow) and the composer's @ completion
** (/mentions?q=, /api/v1/mentions?q=). The rules and SQL are forum/notify.c's.
*/
#include "pages/page.h"
#include "forum/notify.h"
#include "forum/read.h"
#include "forum/posting.h"
#include "util/timefmt.h"
#include "util/utf8.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_keys[NK_COUNT] = {"reply", "quote", "mention", "rate", "like", "mod", "pm", "follow"};

/* ?before=UPDATED-ID: 0 ok (0, 0 when absent), -1 after a 400 */
static int cursor_of(page *p, int64_t *u, int64_t *id) {
	*u = *id = 0;
	const char *s = http_query(p->r, "before");
	if (!s) return 0;
	const char *dash = strchr(s, '-');
	if (!dash) {
		page_error(p, 400, "参数无效：before 应为“时间-编号”。");
		return -1;
	}
	char *a = arena_strndup(p->a, s, (size_t)(dash - s));
	if (page_id(p, a, u) || page_id(p, dash + 1, id)) return -1;
	return 0;
}

/* the words of a row: what happened, around the subject */
static void row_words(const struct notify_row *r, const char **verb) {
	switch (r->kind) {
	case NK_REPLY: *verb = "回复了您的主题"; break;
	case NK_QUOTE: *verb = "引用了您在主题中的帖子"; break;
	case NK_MENTION: *verb = "在主题中提到了您"; break;
	case NK_RATE: *verb = "评分了您在主题中的帖子"; break;
	case NK_LIKE: *verb = "赞了您在主题中的帖子"; break;
	case NK_MOD: *verb = "管理了您的内容"; break;
	case NK_PM: *verb = "给您发来短消息"; break;
	case NK_FOLLOW: *verb = "回复了您关注的主题"; break;
	default: *verb = "提醒您"; break;
	}
}

/* where a row leads */
static const char *row_url(arena *a, const struct notify_row *r) {
	if (r->kind == NK_PM && r->objid) return arena_sprintf(a, "/pm/%lld", (long long)r->objid);
	if (r->pid) return arena_sprintf(a, "/p/%lld", (long long)r->pid);
	if (r->tid) return arena_sprintf(a, "/t/%lld", (long long)r->tid);
	return "/notifications";
}

/* a row about a board the viewer may not see (any longer) is left out of lists */
static int row_visible(page *p, const struct notify_row *r) { return !r->fid || page_sees(p, r->fid); }

/* a page of the viewer's notifications (?unread=1, ?before=U-I): the count (*more: older ones follow), or -1
   after answering */
static int page_of(page *p, int *unread_only, struct notify_row **rows, int *more) {
	int64_t bu, bi;
	if (cursor_of(p, &bu, &bi)) return -1;
	const char *u = http_query(p->r, "unread");
	if (u && strcmp(u, "1") && strcmp(u, "0")) {
		page_error(p, 400, "参数无效：unread 只能是 0 或 1。");
		return -1;
	}
	*unread_only = u && !strcmp(u, "1");
	int n = notify_list(p->db, p->a, p->me.uid, *unread_only, bu, bi, NOTIFY_PER_PAGE + 1, rows);
	if (n < 0) {
		page_db_unavailable(p);
		return -1;
	}
	*more = n > NOTIFY_PER_PAGE;
	return *more ? NOTIFY_PER_PAGE : n;
}

void page_notifications(page *p) {
	arena *a = p->a;
	struct notify_row *rows;
	int unread_only, more, n = page_of(p, &unread_only, &rows, &more);
	if (n < 0) return;
	tv *list = tv_add_list(a, p->v, "notices");
	for (int i = 0; i < n; i++) {
		const struct notify_row *r = &rows[i];
		if (!row_visible(p, r)) continue;
		tv *m = tv_push_map(a, list);
		const char *verb;
		row_words(r, &verb);
		tv_int(a, m, "id", r->id);
		tv_str(a, m, "kind", kind_keys[r->kind >= 0 && r->kind < NK_COUNT ? r->kind : 0]);
		tv_bool(a, m, "unread", !r->isread);
		tv_int(a, m, "actor_uid", r->actor_uid);
		tv_str(a, m, "actor", *r->actor_name ? r->actor_name : "系统");
		if (r->kind == NK_LIKE && r->nactors > 1) tv_int(a, m, "others", r->nactors);
		if (r->kind == NK_REPLY && r->nactors > 1) tv_int(a, m, "replies", r->nactors);   /* a member may reply twice */
		tv_str(a, m, "verb", verb);
		tv_str(a, m, "subject", *r->subject ? r->subject : r->kind == NK_PM ? "查看消息" : "查看");
		tv_str(a, m, "extra", r->extra);
		tv_str(a, m, "when", page_when(p, r->updated));
	}
	if (more) tv_str(a, p->v, "next", arena_sprintf(a, "/notifications?%sbefore=%lld-%lld", unread_only ? "unread=1&" : "",
	                                               (long long)rows[n - 1].updated, (long long)rows[n - 1].id));
	tv_bool(a, p->v, "unread_only", unread_only);
	tv_int(a, p->v, "unread", p->me.unread);
	page_render(p, 200, "notifications", arena_sprintf(a, "提醒 - %s", p->site->name));
}

/* POST /notifications/{id}/open: marks it read and goes where it points */
void page_notification_open(page *p) {
	int64_t id;
	if (page_id(p, p->r->seg[0], &id)) return;
	struct notify_row r;
	int rc = notify_open(p->db, p->a, p->me.uid, id, &r);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "这条提醒不存在。"); return; }
	if (r.pid && r.kind != NK_PM) { page_goto_post(p, r.pid); return; }
	http_redirect(p->r, 303, row_url(p->a, &r));
}

/* POST /notifications/{id}/read and POST /notifications/read (all) */
void page_notification_read(page *p) {
	int64_t id = 0;
	int all = p->r->nseg == 0;
	if (!all && page_id(p, p->r->seg[0], &id)) return;
	if (notify_mark_read(p->db, p->me.uid, &id, all ? 0 : 1, all) < 0) { page_db_unavailable(p); return; }
	http_redirect(p->r, 303, "/notifications");
}

static json_t *row_json(arena *a, const struct notify_row *r) {
	json_t *o = json_pack("{s:I,s:s,s:{s:I,s:s},s:I,s:I,s:I,s:I,s:s,s:s,s:b,s:s}", "id", (json_int_t)r->id, "kind",
	                      kind_keys[r->kind >= 0 && r->kind < NK_COUNT ? r->kind : 0], "actor", "uid",
	                      (json_int_t)r->actor_uid, "name", r->actor_name, "count", (json_int_t)r->nactors, "fid",
	                      (json_int_t)r->fid, "tid", (json_int_t)r->tid, "pid", (json_int_t)r->pid, "subject", r->subject,
	                      "extra", r->extra, "read", (int)r->isread, "url", row_url(a, r));
	page_json_time(o, "created", r->created);
	page_json_time(o, "updated", r->updated);
	if (r->kind == NK_PM) json_object_set_new(o, "conversation", json_integer(r->objid));
	return o;
}

/* GET /api/v1/notifications[?unread=1][&before=U-I] */
void api_notifications(page *p) {
	arena *a = p->a;
	struct notify_row *rows;
	int unread_only, more, n = page_of(p, &unread_only, &rows, &more);
	if (n < 0) return;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		if (row_visible(p, &rows[i])) json_array_append_new(arr, row_json(a, &rows[i]));
	json_t *o = json_pack("{s:o,s:I}", "notifications", arr, "unread", (json_int_t)p->me.unread);
	const char *next = more ? arena_sprintf(a, "%lld-%lld", (long long)rows[n - 1].updated, (long long)rows[n - 1].id) : NULL;
	json_object_set_new(o, "next", next ? json_string(next) : json_null());
	page_json_next(p, o, next ? arena_sprintf(a, "/api/v1/notifications?%sbefore=%s", unread_only ? "unread=1&" : "", next) : NULL);
	page_json_send(p, 200, o);
}

/* POST /api/v1/notifications/read {"ids": [1, 2]} or {"all": true} */
void api_notifications_read(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	json_t *ids = json_object_get(b, "ids"), *all = json_object_get(b, "all");
	int64_t v[NOTIFY_READ_IDS_MAX];
	int n = 0, bad = 0;
	if (all && !json_is_boolean(all)) bad = 1;
	int want_all = json_is_true(all);
	if (!want_all) {
		if (!json_is_array(ids) || !json_array_size(ids)) bad = 1;
		else if (json_array_size(ids) > NOTIFY_READ_IDS_MAX) {
			json_decref(b);
			page_json_error(p, 400, "too_many", "一次最多标记 100 条提醒。");
			return;
		}
		size_t i;
		json_t *x;
		json_array_foreach(ids, i, x) {
			if (!json_is_integer(x) || json_integer_value(x) <= 0) bad = 1;
			else v[n++] = json_integer_value(x);
		}
	}
	json_decref(b);
	if (bad) { page_json_error(p, 400, "bad_request", "请给出 ids（正整数的数组）或 \"all\": true。"); return; }
	int marked = notify_mark_read(p->db, p->me.uid, v, n, want_all);
	int64_t left = 0;
	if (marked < 0 || notify_unread(p->db, p->me.uid, &left)) { page_db_unavailable(p); return; }
	page_json_send(p, 200, json_pack("{s:i,s:I}", "marked", marked, "unread", (json_int_t)left));
}

/* ---- settings ---------------------------------------------------------------------------- */

static void settings_form(page *p, int saved) {
	arena *a = p->a;
	int64_t off;
	if (notify_kinds_off(p->db, p->me.uid, &off)) { page_db_unavailable(p); return; }
	tv *list = tv_add_list(a, p->v, "kinds");
	for (int k = 0; k < NK_COUNT; k++) {
		tv *m = tv_push_map(a, list);
		tv_str(a, m, "key", arena_sprintf(a, "k_%s", kind_keys[k]));
		tv_str(a, m, "label", notify_kind_label((enum notify_kind)k));
		tv_bool(a, m, "on", !(off & ((int64_t)1 << k)));
	}
	tv_str(a, p->v, "csrf", page_csrf(p));
	tv_bool(a, p->v, "saved", saved);
	page_render(p, 200, "settings_notify", arena_sprintf(a, "提醒设置 - %s", p->site->name));
}

void page_settings_notify_form(page *p) {
	const char *s = http_query(p->r, "saved");
	settings_form(p, s && !strcmp(s, "1"));
}

void page_settings_notify(page *p) {
	int64_t off = 0;
	for (int k = 0; k < NK_COUNT; k++) {
		char key[32];
		snprintf(key, sizeof key, "k_%s", kind_keys[k]);
		if (!http_form(p->r, key)) off |= (int64_t)1 << k;
	}
	if (notify_set_kinds_off(p->db, p->me.uid, off)) { page_db_unavailable(p); return; }
	http_redirect(p->r, 303, "/settings/notifications?saved=1");
}

/* ---- 关注 a thread ----------------------------------------------------------------------------- */

/* the thread of the route, visible to the viewer: 0, or -1 after answering */
static int followed_thread(page *p, int64_t *tid) {
	if (page_id(p, p->r->seg[0], tid)) return -1;
	struct thread t;
	int rc = forum_thread(p->db, p->a, *tid, &t);
	if (rc < 0) { page_db_unavailable(p); return -1; }
	if (!rc) {
		page_error(p, 404, "指定的主题不存在或已被删除。");
		return -1;
	}
	return page_board_visible(p, t.fid) ? 0 : -1;
}

static void follow(page *p, int on) {
	int64_t tid;
	if (followed_thread(p, &tid)) return;
	if (notify_follow(p->db, tid, p->me.uid, on, p->now)) { page_db_unavailable(p); return; }
	if (p->api) page_json_send(p, 200, json_pack("{s:I,s:b}", "tid", (json_int_t)tid, "following", on));
	else http_redirect(p->r, 303, arena_sprintf(p->a, "/t/%lld", (long long)tid));
}

/* POST /t/{tid}/follow (form: on=1 follow, on=0 stop) */
void page_follow(page *p) {
	const char *on = http_form(p->r, "on");
	if (!on || (strcmp(on, "1") && strcmp(on, "0"))) { page_error(p, 400, "参数无效：on 只能是 0 或 1。"); return; }
	follow(p, on[0] == '1');
}
void api_follow(page *p) { follow(p, 1); }
void api_unfollow(page *p) { follow(p, 0); }

/* GET /t/{tid}/follow: {"tid": N, "following": bool} for the thread page's button (cookie session) */
void page_follow_state(page *p) {
	int64_t tid;
	if (followed_thread(p, &tid)) return;
	int on;
	if (notify_following(p->db, tid, p->me.uid, &on)) { page_db_unavailable(p); return; }
	http_set_header(p->r, "Cache-Control", "no-store");
	page_json_send(p, 200, json_pack("{s:I,s:b}", "tid", (json_int_t)tid, "following", on));
}

/* ---- @ completion -------------------------------------------------------------------------------- */

/* GET /mentions?q=PREFIX (cookie) and /api/v1/mentions?q=PREFIX: [{"uid": N, "name": "..."}] */
void page_mentions(page *p) {
	const char *q = http_query(p->r, "q");
	if (!q) q = "";
	long chars = utf8_chars(q, strlen(q));
	if (chars < 0 || chars > NOTIFY_COMPLETE_PREFIX_MAX) {
		page_json_error(p, 400, chars < 0 ? "bad_request" : "too_long", "q 最多 15 个字符（UTF-8）。");
		return;
	}
	json_t *arr = json_array();
	if (chars > 0) {
		struct notify_name *names;
		int n = notify_complete(p->db, p->a, q, NOTIFY_COMPLETE_MAX, &names);
		if (n < 0) {
			json_decref(arr);
			page_db_unavailable(p);
			return;
		}
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:I,s:s}", "uid", (json_int_t)names[i].uid, "name", names[i].name));
	}
	http_set_header(p->r, "Cache-Control", "no-store");
	page_json_send(p, 200, arr);
}
