/*
** approve: 审核 pages: the author's own held posts (/pending, marked 待审核), the
** moderators' queue (/modcp/pending, approve/delete in batches) and their JSON.
** The rules are in forum/approve.c.
*/
#include "pages/page.h"
#include "forum/approve.h"
#include "forum/moderate.h"
#include "util/timefmt.h"
#include "util/utf8.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define EXCERPT_CHARS 120

static const char *excerpt(arena *a, const char *s) {
	size_t n = strlen(s), cut = utf8_prefix(s, n, EXCERPT_CHARS);
	return cut < n ? arena_sprintf(a, "%.*s…", (int)cut, s) : s;
}

static int64_t before_of(page *p) {
	const char *s = http_query(p->r, "before");
	int64_t v = 0;
	if (s && page_id(p, s, &v)) return -1;
	return v;
}

/* the list for the author (mine) or the moderators (their boards) */
static void pending_list(page *p, int mine) {
	arena *a = p->a;
	struct actor who = page_actor(p);
	if (!mine && !forum_can_moderate(&who, 0)) {
		if (p->api) page_json_error(p, 403, "forbidden", "只有版主和管理员可以审核。");
		else page_forbidden(p, "只有版主和管理员可以审核。");
		return;
	}
	int64_t before = before_of(p);
	if (before < 0) return;
	struct pending_row *rs;
	int n;
	if (approval_list(p->db, a, mine ? who.uid : 0, before, APPROVE_PER_PAGE + 1, &rs, &n)) { page_db_unavailable(p); return; }
	int more = n > APPROVE_PER_PAGE;
	if (more) n = APPROVE_PER_PAGE;
	int64_t next = more ? rs[n - 1].id : 0;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (mine || (page_sees(p, rs[i].fid) && forum_can_moderate(&who, rs[i].fid))) rs[k++] = rs[i];
	n = k;
	if (p->api) {
		json_t *list = json_array();
		for (int i = 0; i < n; i++) {
			json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)rs[i].id, "fid", (json_int_t)rs[i].fid,
			                      "tid", (json_int_t)rs[i].tid, "uid", (json_int_t)rs[i].uid, "author", rs[i].author,
			                      "subject", rs[i].tid ? rs[i].thread_subject : rs[i].subject, "body", rs[i].source);
			page_json_time(o, "created", rs[i].created);
			json_array_append_new(list, o);
		}
		json_t *out = json_pack("{s:o,s:b,s:I}", "pending", list, "more", more, "next", (json_int_t)next);
		page_json_next(p, out, more ? arena_sprintf(a, "/api/v1/pending?before=%lld", (long long)next) : NULL);
		page_json_send(p, 200, out);
		return;
	}
	tv *list = tv_add_list(a, p->v, "pending");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "id", rs[i].id);
		tv_int(a, m, "tid", rs[i].tid);
		tv_int(a, m, "uid", rs[i].uid);
		tv_str(a, m, "author", rs[i].author);
		tv_str(a, m, "subject", rs[i].tid ? rs[i].thread_subject : rs[i].subject);
		tv_bool(a, m, "reply", rs[i].tid != 0);
		tv_str(a, m, "excerpt", excerpt(a, rs[i].source));
		tv_str(a, m, "when", timefmt_short(a, rs[i].created));
	}
	tv_bool(a, p->v, "held", mine && http_query(p->r, "held") != NULL);
	if (more) tv_str(a, p->v, "next", arena_sprintf(a, "%s?before=%lld", mine ? "/pending" : "/modcp/pending", (long long)next));
	page_render(p, 200, mine ? "pending" : "modpending", arena_sprintf(a, "%s - %s", mine ? "我的待审核帖子" : "审核帖子",
	                                                                      p->site->name));
}

void page_pending_mine(page *p) { pending_list(p, 1); }
void page_pending_queue(page *p) { pending_list(p, 0); }

/* approves or deletes N ids; 0 done, -1 after answering (the first refusal stops the batch) */
static int decide(page *p, const int64_t *ids, int n, int approve, json_t *done) {
	struct actor who = page_actor(p);
	for (int i = 0; i < n; i++) {
		struct forum_err e = {0};
		int64_t tid, pid;
		if (approval_decide(p->db, &who, ids[i], approve, p->now, &tid, &pid, &e)) {
			page_forum_error(p, e.code, &e);
			return -1;
		}
		if (done) json_array_append_new(done, json_pack("{s:I,s:I,s:I}", "id", (json_int_t)ids[i], "tid", (json_int_t)tid,
		                                                "pid", (json_int_t)pid));
	}
	return 0;
}

/* POST /modcp/pending: action=approve|delete, id=N (repeated: the checked rows) */
void page_pending_decide(page *p) {
	struct actor who = page_actor(p);
	if (!forum_can_moderate(&who, 0)) { page_forbidden(p, "只有版主和管理员可以审核。"); return; }
	const char *action = http_form(p->r, "action");
	int approve = action && !strcmp(action, "approve");
	if (!approve && !(action && !strcmp(action, "delete"))) { page_error(p, 400, "请选择通过或删除。"); return; }
	int64_t ids[APPROVE_BATCH_MAX];
	int n = 0;
	for (struct http_field *f = p->r->form; f; f = f->next) {
		if (strcmp(f->k, "id")) continue;
		if (n == APPROVE_BATCH_MAX) { page_error(p, 400, "一次最多处理 50 个帖子。"); return; }
		if (page_id(p, f->v, &ids[n++])) return;
	}
	if (!n) { page_error(p, 400, "请先勾选要处理的帖子。"); return; }
	if (decide(p, ids, n, approve, NULL)) return;
	http_redirect(p->r, 303, "/modcp/pending");
}

/* POST /api/v1/pending {"action": "approve"|"delete", "ids": [N, ...]} */
void api_pending_decide(page *p) {
	struct actor who = page_actor(p);
	if (!forum_can_moderate(&who, 0)) { page_json_error(p, 403, "forbidden", "只有版主和管理员可以审核。"); return; }
	json_t *b = page_json_body(p);
	if (!b) return;
	const char *action = json_string_value(json_object_get(b, "action"));
	json_t *jids = json_object_get(b, "ids");
	int approve = action && !strcmp(action, "approve");
	const char *err = !approve && !(action && !strcmp(action, "delete")) ? "action 必须是 approve 或 delete。"
	                : !json_is_array(jids) || !json_array_size(jids) ? "ids 必须是非空的数组。"
	                : json_array_size(jids) > APPROVE_BATCH_MAX ? "ids 最多 50 个。" : NULL;
	int64_t ids[APPROVE_BATCH_MAX];
	int n = 0;
	for (size_t i = 0; !err && i < json_array_size(jids); i++) {
		json_t *v = json_array_get(jids, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1) err = "ids 必须是正整数。";
		else ids[n++] = json_integer_value(v);
	}
	json_decref(b);
	if (err) { page_json_error(p, 400, "bad_request", err); return; }
	json_t *done = json_array();
	if (decide(p, ids, n, approve, done)) { json_decref(done); return; }
	page_json_send(p, 200, json_pack("{s:o}", approve ? "approved" : "deleted", done));
}
