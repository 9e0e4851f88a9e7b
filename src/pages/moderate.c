/*
** moderate: the moderation pages and API (issue #12). The rules are in
** forum/moderate.c; here the requests are read (a form or JSON) and the
** answers written:
**   GET  /t/{tid}/moderate            the 管理 form for one thread (all actions, move's board list)
**   POST /t/{tid}/moderate            one action (the thread page's 管理 menu, the form above)
**   POST /api/v1/threads/{tid}/moderate   the same in JSON; 200 with the thread
**   POST /f/{fid}/moderate            the board page's batch bar: one action on the checked threads
**   POST /p/{pid}/moderate, /api/v1/posts/{pid}/moderate   屏蔽, 警告, 删除 on a floor
**   POST|DELETE /api/v1/boards/{fid}/moderators   {"username"}: admins
**   GET  /modcp/recycle, /modcp/log   the recycle bin and the moderation log
*/
#include "pages/page.h"
#include "forum/moderate.h"
#include "pages/urlparse.h"
#include "util/timefmt.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MOD_BATCH_MAX 50   /* threads one batch-bar request may act on */

/* an optional JSON member of one type: 0 ok (absent leaves *out), -1 after a 400 */
static int jget(page *p, json_t *b, const char *key, int type, void *out) {
	json_t *v = json_object_get(b, key);
	if (!v || json_is_null(v)) return 0;
	if (type == 's' && json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)) {
		*(const char **)out = arena_strdup(p->a, json_string_value(v));
		return 0;
	}
	if (type == 'i' && json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= INT32_MAX) {
		*(int64_t *)out = json_integer_value(v);
		return 0;
	}
	if (type == 'b' && json_is_boolean(v)) {
		*(int *)out = json_is_true(v);
		return 0;
	}
	page_json_error(p, 400, "bad_request",
	                arena_sprintf(p->a, "%s 必须是%s。", key, type == 's' ? "字符串" : type == 'i' ? "非负整数" : "true 或 false"));
	return -1;
}

/* a small non-negative form number: 0 ok (absent: 0), -1 after a 400 */
static int fnum(page *p, const char *key, int64_t *out) {
	const char *s = http_form(p->r, key);
	*out = 0;
	if (!s || !*s) return 0;
	return page_id(p, s, out);
}

/* the request, from JSON (API) or the form: 0 ok, -1 answered */
static int read_request(page *p, struct mod_request *r, json_t **body) {
	memset(r, 0, sizeof *r);
	int64_t level = 0, fid = 0;
	if (p->api) {
		if (!(*body = page_json_body(p))) return -1;
		if (jget(p, *body, "action", 's', &r->action) || jget(p, *body, "level", 'i', &level) ||
		    jget(p, *body, "color", 's', &r->color) || jget(p, *body, "bold", 'b', &r->bold) ||
		    jget(p, *body, "fid", 'i', &fid) || jget(p, *body, "stub", 'b', &r->stub) ||
		    jget(p, *body, "reason", 's', &r->reason))
			return -1;
	} else {
		r->action = http_form(p->r, "action");
		r->color = http_form(p->r, "color");
		r->reason = http_form(p->r, "reason");
		r->bold = http_form(p->r, "bold") != NULL;
		r->stub = http_form(p->r, "stub") != NULL;
		if (fnum(p, "level", &level) || fnum(p, "fid", &fid)) return -1;
	}
	if (!r->action) {
		page_error(p, 400, "请选择管理操作。");
		return -1;
	}
	r->level = level > 3 ? 4 : (int)level;   /* out of range: refused by the rule with its message */
	r->fid = fid;
	return 0;
}

/* the thread after an action, as the API shows it (a thread gone to the bin: {"tid", "deleted"}) */
static void send_thread(page *p, int64_t tid) {
	struct thread t;
	int rc = forum_thread(p->db, p->a, tid, &t);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) {
		page_json_send(p, 200, json_pack("{s:{s:I,s:b}}", "thread", "tid", (json_int_t)tid, "deleted", 1));
		return;
	}
	page_json_send(p, 200, json_pack("{s:o}", "thread", api_thread_json(p, &t)));
}

void page_thread_moderate(page *p) {
	int64_t tid, fid = 0;
	if (page_id(p, p->r->seg[0], &tid)) return;
	struct mod_request r;
	json_t *body = NULL;
	if (read_request(p, &r, &body)) goto out;
	struct actor who = page_actor(p);
	struct forum_err e;
	int rc = mod_thread(p->db, &who, tid, &r, &fid, &e);
	if (rc) { page_forum_error(p, rc, &e); goto out; }
	if (p->api) send_thread(p, tid);
	else if (!strcmp(r.action, "delete")) http_redirect(p->r, 303, arena_sprintf(p->a, "/f/%lld", (long long)fid));
	else if (!strcmp(r.action, "purge") || !strcmp(r.action, "restore")) http_redirect(p->r, 303, "/modcp/recycle");
	else http_redirect(p->r, 303, arena_sprintf(p->a, "/t/%lld", (long long)tid));
out:
	json_decref(body);
}

/* the board page's batch bar: one action on every checked tid in one transaction (mod_threads) */
void page_board_moderate(page *p) {
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	struct mod_request r;
	json_t *body = NULL;
	if (read_request(p, &r, &body)) return;
	struct actor who = page_actor(p);
	int64_t tids[MOD_BATCH_MAX];
	int n = 0;
	for (struct http_field *f = p->r->form; f; f = f->next) {
		if (strcmp(f->k, "tid")) continue;
		if (n == MOD_BATCH_MAX) {
			page_error(p, 400, arena_sprintf(p->a, "一次最多管理 %d 个主题。", MOD_BATCH_MAX));
			return;
		}
		if (page_id(p, f->v, &tids[n++])) return;
	}
	if (!n) { page_error(p, 400, "请先勾选主题。"); return; }
	struct forum_err e;
	int64_t failed;
	int rc = mod_threads(p->db, &who, tids, n, &r, &failed, &e);   /* all or nothing */
	if (rc) { page_forum_error(p, rc, &e); return; }
	http_redirect(p->r, 303, arena_sprintf(p->a, "/f/%lld", (long long)fid));
}

void page_post_moderate(page *p) {
	int64_t pid, tid = 0;
	if (page_id(p, p->r->seg[0], &pid)) return;
	const char *action = NULL, *reason = NULL;
	json_t *body = NULL;
	if (p->api) {
		if (!(body = page_json_body(p))) return;
		if (jget(p, body, "action", 's', &action) || jget(p, body, "reason", 's', &reason)) goto out;
	} else {
		action = http_form(p->r, "action");
		reason = http_form(p->r, "reason");
	}
	if (!action) { page_error(p, 400, "请选择管理操作。"); goto out; }
	struct actor who = page_actor(p);
	struct forum_err e;
	int rc = mod_post(p->db, &who, pid, action, reason, &tid, &e);
	if (rc) { page_forum_error(p, rc, &e); goto out; }
	if (p->api) page_json_send(p, 200, json_pack("{s:I,s:I,s:s}", "pid", (json_int_t)pid, "tid", (json_int_t)tid, "action", action));
	else http_redirect(p->r, 303, arena_sprintf(p->a, "/p/%lld", (long long)pid));
out:
	json_decref(body);
}

void api_board_moderators(page *p) {
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	json_t *body = page_json_body(p);
	if (!body) return;
	const char *name = NULL;
	if (jget(p, body, "username", 's', &name)) goto out;
	struct actor who = page_actor(p);
	struct forum_err e;
	int rc = mod_set(p->db, &who, fid, name, p->r->method == HTTP_DELETE, &e);
	if (rc) { page_forum_error(p, rc, &e); goto out; }
	char names[1024];
	mod_names(fid, names, sizeof names);
	page_json_send(p, 200, json_pack("{s:I,s:s}", "fid", (json_int_t)fid, "moderators", names));
out:
	json_decref(body);
}

/* ---- the 管理 form for one thread ------------------------------------------ */

void page_thread_moderate_form(page *p) {
	arena *a = p->a;
	int64_t tid;
	if (page_id(p, p->r->seg[0], &tid)) return;
	struct thread t;
	int rc = forum_thread(p->db, a, tid, &t);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的主题不存在或已被删除。"); return; }
	if (!page_board_visible(p, t.fid)) return;
	struct actor who = page_actor(p);
	if (!forum_can_moderate(&who, t.fid)) { page_error(p, 403, "您没有管理该版块的权限。"); return; }
	struct board *bs;
	int n;
	if (forum_boards(p->db, a, &bs, &n)) { page_db_unavailable(p); return; }
	tv *tm = tv_add_map(a, p->v, "thread");
	tv_int(a, tm, "tid", t.tid);
	tv_str(a, tm, "subject", t.subject);
	tv_int(a, tm, "sticky", t.sticky);
	tv_int(a, tm, "digest", t.digest);
	tv_bool(a, tm, "closed", t.closed != 0);
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", t.fid);
	tv_str(a, bm, "name", t.board.name);
	tv_bool(a, p->v, "supermod", forum_is_supermod(&who));
	tv *targets = tv_add_list(a, p->v, "targets");
	for (int i = 0; i < n; i++) {
		if (bs[i].fid == t.fid || !forum_can_moderate(&who, bs[i].fid) || !page_sees(p, bs[i].fid)) continue;
		tv *m = tv_push_map(a, targets);
		tv_int(a, m, "fid", bs[i].fid);
		tv_str(a, m, "name", bs[i].name);
		tv_str(a, m, "category", bs[i].category);
	}
	tv *colors = tv_add_list(a, p->v, "colors");
	for (int i = 1; i <= MOD_COLORS; i++) {
		const struct mod_color *c = mod_color(i);
		tv *m = tv_push_map(a, colors);
		tv_str(a, m, "name", c->name);
		tv_str(a, m, "label", c->label);
		tv_bool(a, m, "current", (t.highlight & 15) == i);
	}
	tv_bool(a, p->v, "bold", (t.highlight & 16) != 0);
	tv_str(a, p->v, "csrf", p->me.csrf);
	tv_int(a, p->v, "reason_max", MOD_REASON_MAX);
	page_render(p, 200, "moderate", arena_sprintf(a, "主题管理 - %s - %s", t.subject, p->site->name));
}

/* ---- /modcp ------------------------------------------------------------------ */

static int modcp_guard(page *p, struct actor *who) {
	*who = page_actor(p);
	if (forum_may_moderate(who)) return 0;
	page_error(p, 403, "只有版主、超级版主和管理员可以进入管理面板。");
	return -1;
}

void page_modcp_recycle(page *p) {
	arena *a = p->a;
	struct actor who;
	if (modcp_guard(p, &who)) return;
	int64_t at = 0, tid = 0;
	const char *bs = http_query(p->r, "before");
	if (bs) {   /* "HIDDENAT_TID" */
		const char *us = strchr(bs, '_');
		if (!us || url_uint(bs, (size_t)(us - bs), INT64_MAX, &at) || url_id(us + 1, INT64_MAX, &tid)) {
			page_error(p, 400, "参数无效：翻页位置格式不正确。");
			return;
		}
	}
	struct recycled *rs;
	int n, more;
	if (mod_recycle_list(p->db, a, &who, at, tid, &rs, &n, &more)) { page_db_unavailable(p); return; }
	tv *list = tv_add_list(a, p->v, "threads");
	for (int i = 0; i < n; i++) {
		if (!page_sees(p, rs[i].fid)) continue;   /* a board closed to the viewer's group */
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "tid", rs[i].tid);
		tv_int(a, m, "fid", rs[i].fid);
		tv_str(a, m, "subject", rs[i].subject);
		tv_str(a, m, "author", rs[i].author);
		tv_int(a, m, "authorid", rs[i].authorid);
		tv_str(a, m, "board", rs[i].board);
		tv_int(a, m, "replies", rs[i].replies);
		tv_str(a, m, "when", rs[i].hiddenat ? timefmt_full(a, rs[i].hiddenat) : "");
	}
	if (more && n)
		tv_str(a, p->v, "next", arena_sprintf(a, "/modcp/recycle?before=%lld_%lld", (long long)rs[n - 1].hiddenat,
		                                      (long long)rs[n - 1].tid));
	tv_bool(a, p->v, "admin", who.groupid == GROUP_ADMIN);
	tv_str(a, p->v, "csrf", p->me.csrf);
	tv_str(a, p->v, "tab", "recycle");
	page_render(p, 200, "modcp_recycle", arena_sprintf(a, "回收站 - %s", p->site->name));
}

void page_modcp_log(page *p) {
	arena *a = p->a;
	struct actor who;
	if (modcp_guard(p, &who)) return;
	int64_t before = 0;
	const char *bs = http_query(p->r, "before");
	if (bs && page_id(p, bs, &before)) return;
	struct modlog_row *rs;
	int n, more;
	if (modlog_list(p->db, a, &who, before, &rs, &n, &more)) { page_db_unavailable(p); return; }
	tv *list = tv_add_list(a, p->v, "entries");
	for (int i = 0; i < n; i++) {
		if (rs[i].fid && !page_sees(p, rs[i].fid)) continue;
		tv *m = tv_push_map(a, list);
		tv_str(a, m, "who", rs[i].username);
		tv_int(a, m, "uid", rs[i].uid);
		tv_str(a, m, "action", modlog_label(rs[i].action));
		tv_str(a, m, "board", rs[i].board);
		tv_int(a, m, "fid", rs[i].fid);
		if (rs[i].tid) tv_int(a, m, "tid", rs[i].tid);
		if (rs[i].pid) tv_int(a, m, "pid", rs[i].pid);
		if (rs[i].target_uid) tv_int(a, m, "target_uid", rs[i].target_uid);
		tv_str(a, m, "reason", rs[i].reason);
		tv_str(a, m, "extra", rs[i].extra);
		tv_str(a, m, "when", timefmt_full(a, rs[i].created));
	}
	if (more && n) tv_str(a, p->v, "next", arena_sprintf(a, "/modcp/log?before=%lld", (long long)rs[n - 1].id));
	tv_str(a, p->v, "tab", "log");
	page_render(p, 200, "modcp_log", arena_sprintf(a, "管理日志 - %s", p->site->name));
}
