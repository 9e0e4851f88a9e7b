/*
** api_forum: the forum in JSON (/api/v1/...): boards, thread lists, threads
** with their floors, and writing (new thread, reply, edit, delete) under the
** same rules as the web pages (forum/posting.c). Writers authenticate with a
** bearer token (no CSRF then); errors are {"error": {"code", "message"}}.
*/
#include "pages/page.h"
#include "forum/anon.h"
#include "forum/approve.h"
#include "forum/read.h"
#include "forum/views.h"
#include "forum/posting.h"
#include "forum/moderate.h"
#include "forum/attach.h"
#include "util/timefmt.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *jstr(const char *s) {
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

/* a string member: 0 with *out (NULL when absent), -1 after a 400 */
static int jfield(page *p, json_t *o, const char *key, const char **out) {
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v)) return 0;
	if (!json_is_string(v)) {
		page_json_error(p, 400, "bad_request", arena_sprintf(p->a, "%s 必须是字符串。", key));
		return -1;
	}
	*out = arena_strdup(p->a, json_string_value(v));
	if (strlen(*out) != json_string_length(v)) {
		page_json_error(p, 400, "bad_request", arena_sprintf(p->a, "%s 不能包含 NUL 字符。", key));
		return -1;
	}
	return 0;
}

/* a thread type by name within the board: 0 ok (typeid 0 when name is NULL), -1 after a 400 */
static int type_by_name(page *p, const struct board *b, const char *name, int64_t *typeid) {
	*typeid = 0;
	if (!name) return 0;
	for (int i = 0; i < b->ntypes; i++)
		if (!strcmp(b->types[i].name, name)) {
			*typeid = b->types[i].id;
			return 0;
		}
	page_json_error(p, 400, "unknown_type", "主题分类无效：本版块没有这个分类。");
	return -1;
}

/* "attachments": [aid, ...] (uploads to list under the post): 0 with *n, or -1 after a 400 */
static int jattach(page *p, json_t *o, int64_t *aids, int *n) {
	json_t *v = json_object_get(o, "attachments"), *x;
	size_t i;
	*n = 0;
	if (!v || json_is_null(v)) return 0;
	if (!json_is_array(v) || json_array_size(v) > (size_t)p->site->attach_max_per_post) {
		page_json_error(p, 400, "bad_request", "attachments 必须是附件编号的数组，且不超过每帖附件上限。");
		return -1;
	}
	json_array_foreach(v, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) < 1) {
			page_json_error(p, 400, "bad_request", "attachments 必须是正整数的数组。");
			return -1;
		}
		aids[(*n)++] = json_integer_value(x);
	}
	return 0;
}

static json_t *board_json(page *p, const struct board *b) {
	time_t now = p->now;
	json_t *o = json_object();
	json_object_set_new(o, "fid", json_integer(b->fid));
	/* a sub-board's parent (0: a board of its category, or a parent this viewer does not see) */
	json_object_set_new(o, "parent", json_integer(b->parent && page_sees(p, b->parent) ? b->parent : 0));
	json_object_set_new(o, "name", jstr(b->name));
	json_object_set_new(o, "category", jstr(b->category));
	json_object_set_new(o, "description", jstr(b->description));
	json_object_set_new(o, "threads", json_integer(b->threads));
	json_object_set_new(o, "posts", json_integer(b->posts));
	json_object_set_new(o, "todayposts", json_integer(b->todaydate == forum_today(now) ? b->todayposts : 0));
	page_json_time(o, "lastpost", b->lastpost);
	json_object_set_new(o, "lasttid", json_integer(b->lasttid));
	json_object_set_new(o, "lastsubject", jstr(b->lastsubject));
	json_object_set_new(o, "lastposter", jstr(anon_lastposter(b->lastposter)));
	return o;
}

void api_boards(page *p) {
	struct board *bs;
	int n;
	if (forum_boards(p->db, p->a, &bs, &n)) { page_db_unavailable(p); return; }
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		if (page_sees(p, bs[i].fid)) json_array_append_new(list, board_json(p, &bs[i]));
	json_t *out = json_pack("{s:o}", "boards", list);
	page_json_next(p, out, NULL);   /* every board on one page */
	page_json_send(p, 200, out);
}

json_t *api_thread_json(page *p, const struct thread *t) {
	json_t *o = json_object();
	json_object_set_new(o, "tid", json_integer(t->tid));
	json_object_set_new(o, "fid", json_integer(t->fid));
	json_object_set_new(o, "title", jstr(t->subject));
	json_object_set_new(o, "type", jstr(t->typename_));
	json_object_set_new(o, "typeid", json_integer(t->typeid));
	page_author_json(p, o, t->anonymous, t->fid, t->authorid, t->author);   /* 匿名 (anon.h) */
	page_json_time(o, "created", t->created);
	page_json_time(o, "lastpost", t->lastpost);
	json_object_set_new(o, "lastposter", jstr(anon_lastposter(t->lastposter)));
	json_object_set_new(o, "views", json_integer(t->views));
	json_object_set_new(o, "replies", json_integer(t->replies));
	json_object_set_new(o, "sticky", json_boolean(t->sticky > 0));
	json_object_set_new(o, "digest", json_boolean(t->digest > 0));
	json_object_set_new(o, "closed", json_boolean(t->closed != 0));
	/* moderation (#12): levels, highlight, a moved stub's target */
	json_object_set_new(o, "sticky_level", json_integer(t->sticky));
	json_object_set_new(o, "digest_level", json_integer(t->digest));
	const struct mod_color *c = mod_color((int)(t->highlight & 15));
	json_object_set_new(o, "highlight", c ? json_string(c->name) : json_null());
	json_object_set_new(o, "bold", json_boolean(t->highlight & 16));
	if (t->moved) json_object_set_new(o, "moved_to", json_integer(t->moved));
	return o;
}

void api_board_threads(page *p) {
	int64_t fid;
	int pg;
	if (page_id(p, p->r->seg[0], &fid) || page_number(p, "page", &pg)) return;
	struct board b;
	int rc = forum_board(p->db, p->a, fid, &b);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的版块不存在。"); return; }
	if (!page_board_visible(p, fid)) return;
	struct thread_page tp;
	if (forum_threads(p->db, p->a, fid, 0, pg, NULL, &tp)) { page_db_unavailable(p); return; }
	json_t *bo = board_json(p, &b);
	json_t *types = json_array();
	for (int i = 0; i < b.ntypes; i++)
		json_array_append_new(types, json_pack("{s:I,s:s}", "id", (json_int_t)b.types[i].id, "name", b.types[i].name));
	json_object_set_new(bo, "types", types);
	json_object_set_new(bo, "requiretype", json_boolean(b.requiretype));
	json_t *list = json_array();
	for (int i = 0; i < tp.n; i++) {
		if (tp.rows[i].fid != fid && !page_sees(p, tp.rows[i].fid)) continue;   /* another board's sticky */
		tp.rows[i].typename_ = board_type_name(&b, tp.rows[i].typeid);
		json_array_append_new(list, api_thread_json(p, &tp.rows[i]));
	}
	json_t *out = json_pack("{s:o,s:i,s:b,s:o}", "board", bo, "page", pg, "has_more", tp.has_more, "threads", list);
	page_json_next(p, out, tp.has_more ? arena_sprintf(p->a, "/api/v1/boards/%lld/threads?page=%d", (long long)fid, pg + 1) : NULL);
	page_json_send(p, 200, out);
}

void api_thread(page *p) {
	int64_t tid;
	int pg;
	if (page_id(p, p->r->seg[0], &tid) || page_number(p, "page", &pg)) return;
	struct thread t;
	int rc = forum_thread(p->db, p->a, tid, &t);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的主题不存在或已被删除。"); return; }
	if (!page_board_visible(p, t.fid)) return;
	int64_t last = forum_floor_page(t.maxposition > 0 ? t.maxposition : 1);
	if (pg > last) { page_error(p, 404, "没有这一页。"); return; }
	int64_t from = (int64_t)(pg - 1) * FORUM_FLOORS_PER_PAGE + 1;
	struct post *fl;
	int n;
	if (forum_floors(p->db, p->a, tid, from, from + FORUM_FLOORS_PER_PAGE - 1, p->me.uid, &fl, &n)) {
		page_db_unavailable(p);
		return;
	}
	views_add(tid);
	t.views++;
	json_t *to = api_thread_json(p, &t);
	json_object_set_new(to, "forbidreprint", json_boolean(t.forbidreprint));
	json_object_set_new(to, "board", jstr(t.board.name));
	json_object_set_new(to, "maxposition", json_integer(t.maxposition));
	json_t *floors = json_array();
	struct actor who = page_actor(p);
	int canmod = forum_can_moderate(&who, t.fid);
	for (int i = 0; i < n; i++) {
		const struct post *f = &fl[i];
		json_t *o = json_object();
		json_object_set_new(o, "pid", json_integer(f->pid));
		json_object_set_new(o, "position", json_integer(f->position));
		int hide = page_anon_hidden(p, f->anonymous, t.fid);   /* 匿名: no name, uid or statistics (anon.h) */
		page_author_json(p, o, f->anonymous, t.fid, f->authorid, f->author);
		json_object_set_new(o, "author_posts", json_integer(hide ? 0 : f->a_posts));
		json_object_set_new(o, "author_threads", json_integer(hide ? 0 : f->a_threads));
		page_json_time(o, "created", f->created);
		if (f->edited) {
			page_json_time(o, "edited", f->edited);
		} else {
			json_object_set_new(o, "edited", json_null());
			json_object_set_new(o, "edited_iso", json_null());
		}
		json_object_set_new(o, "editor", !f->edited ? json_null()
		                                 : jstr(hide && !strcmp(f->editor, f->author) ? ANON_NAME : f->editor));
		json_object_set_new(o, "deleted", json_boolean(f->deleted != 0));
		json_object_set_new(o, "format", jstr(f->format));
		int hidden = f->deleted || (f->banned && !canmod);   /* 屏蔽: the board's moderators still read it */
		json_object_set_new(o, "banned", json_boolean(f->banned != 0));
		int varies;   /* [hide] content this viewer may see spliced in (issue 18) */
		json_object_set_new(o, "body_html", hidden ? json_null() : jstr(forum_floor_html(p->a, &who, t.fid, f, (int64_t)p->now, &varies)));
		struct post shown = *f;
		if (hide) {   /* no author credits either */
			shown.a_credits = 0;
			memset(shown.a_ext, 0, sizeof shown.a_ext);
		}
		page_reactions_json(p, o, &shown);   /* likes, likers, support, oppose, ratings (react.c): no query */
		json_array_append_new(floors, o);
	}
	json_t *out = json_pack("{s:o,s:i,s:I,s:o}", "thread", to, "page", pg, "pages", (json_int_t)last, "floors", floors);
	page_json_next(p, out, pg < last ? arena_sprintf(p->a, "/api/v1/threads/%lld?page=%d", (long long)tid, pg + 1) : NULL);
	page_json_send(p, 200, out);
}

void api_thread_create(page *p) {
	if (page_ip_banned(p)) return;   /* IP 禁止 (ban.c) */
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	json_t *b = page_json_body(p);
	if (!b) return;
	const char *title, *body, *format, *type;
	struct board bd;
	int rc;
	if (jfield(p, b, "title", &title) || jfield(p, b, "body", &body) || jfield(p, b, "format", &format) ||
	    jfield(p, b, "type", &type))
		goto out;
	json_t *fr = json_object_get(b, "forbidreprint");
	rc = forum_board(p->db, p->a, fid, &bd);
	if (rc < 0) { page_db_unavailable(p); goto out; }
	if (!rc) { page_error(p, 404, "指定的版块不存在。"); goto out; }
	if (!page_board_visible(p, fid)) goto out;
	int64_t typeid;
	if (type_by_name(p, &bd, type, &typeid)) goto out;
	struct actor who = page_actor(p);
	struct post_input in = {title, body, format, typeid, fr && json_is_true(fr)};
	struct forum_err e;
	int64_t tid, pid;
	int64_t aids[ATTACH_MAX_PER_POST_CAP];
	int naids;
	if (jattach(p, b, aids, &naids)) goto out;
	rc = approval_hold(p->db, &who, fid, 0, &in, p->now, aids, naids, &pid, &e);   /* 审核 (approve.h): 202 */
	if (rc < 0) { page_forum_error(p, rc, &e); goto out; }
	if (rc) {
		page_json_send(p, 202, json_pack("{s:s,s:I}", "status", "pending", "pending_id", (json_int_t)pid));
		goto out;
	}
	attach_scope_begin(p->db, who.uid, who.groupid, fid, 0, aids, naids);
	rc = forum_new_thread(p->db, &who, fid, &in, p->now, &tid, &pid, &e);
	attach_scope_end();
	if (rc) { page_forum_error(p, rc, &e); goto out; }
	http_set_header(p->r, "Location", arena_sprintf(p->a, "/api/v1/threads/%lld", (long long)tid));
	page_json_send(p, 201, json_pack("{s:I,s:I,s:I}", "tid", (json_int_t)tid, "pid", (json_int_t)pid, "position", (json_int_t)1));
out:
	json_decref(b);
}

/* a reply prepared on the worker thread (forum_reply_prepare), applied by the writer: in the request's arena */
struct reply_job {
	int64_t tid;
	struct post_input in;
	int prepared;                          /* rp is ready; else the writer renders (attachments) */
	struct reply_prep rp;
	int64_t aids[ATTACH_MAX_PER_POST_CAP];
	int naids;
};

/* the writer's step: 审核 (it writes the held post), then the reply's transaction */
static void reply_apply(page *p) {
	struct reply_job *j = p->job;
	struct actor who = page_actor(p);
	struct forum_err e;
	int64_t pid, position;
	int rc = approval_hold(p->db, &who, 0, j->tid, &j->in, p->now, j->aids, j->naids, &pid, &e);   /* 审核: 202 */
	if (rc < 0) { page_forum_error(p, rc, &e); return; }
	if (rc) {
		page_json_send(p, 202, json_pack("{s:s,s:I}", "status", "pending", "pending_id", (json_int_t)pid));
		return;
	}
	if (j->prepared) {
		rc = forum_reply_apply(p->db, &who, j->tid, &j->in, &j->rp, p->now, &pid, &position, &e);
	} else {   /* the attachment scope is the thread's: its rendering and its claim on one thread */
		struct thread th;   /* its board: upload permission and types of [attach] */
		int64_t fid = forum_thread(p->db, p->a, j->tid, &th) == 1 ? th.fid : 0;
		attach_scope_begin(p->db, who.uid, who.groupid, fid, 0, j->aids, j->naids);
		rc = forum_new_reply(p->db, &who, j->tid, &j->in, p->now, &pid, &position, &e);
		attach_scope_end();
	}
	if (rc) { page_forum_error(p, rc, &e); return; }
	page_json_send(p, 201, json_pack("{s:I,s:I,s:I}", "pid", (json_int_t)pid, "position", (json_int_t)position,
	                                 "tid", (json_int_t)j->tid));
}

void api_reply_create(page *p) {
	if (page_ip_banned(p)) return;
	int64_t tid;
	if (page_id(p, p->r->seg[0], &tid)) return;
	json_t *b = page_json_body(p);
	if (!b) return;
	const char *body, *format;
	if (jfield(p, b, "body", &body) || jfield(p, b, "format", &format)) goto out;
	json_t *q = json_object_get(b, "quote_pid");
	if (q && !json_is_null(q)) {
		if (!json_is_integer(q) || json_integer_value(q) < 1) {
			page_json_error(p, 400, "bad_request", "quote_pid 必须是正整数。");
			goto out;
		}
		struct post_full qp;
		int rc = forum_post_get(p->db, p->a, json_integer_value(q), &qp);
		if (rc < 0) { page_db_unavailable(p); goto out; }
		if (!rc || qp.tid != tid || qp.deleted) { page_error(p, 404, "要引用的帖子不存在或已被删除。"); goto out; }
		/* the quote does not count against the body's limit */
		struct forum_err e;
		int rc2 = forum_check_body(body, format, &e);
		if (rc2) { page_forum_error(p, rc2, &e); goto out; }
		body = arena_sprintf(p->a, "%s%s", forum_quote(p->a, &qp, format), body);
		if (strlen(body) > FORUM_BODY_MAX) body = arena_strndup(p->a, body, FORUM_BODY_MAX);
	}
	struct reply_job *j = arena_alloc(p->a, sizeof *j);
	memset(j, 0, sizeof *j);
	j->tid = tid;
	if (jattach(p, b, j->aids, &j->naids)) goto out;
	/* the JSON goes before the writer runs: the strings it needs, in the arena */
	j->in = (struct post_input){NULL, body ? arena_strdup(p->a, body) : NULL, format ? arena_strdup(p->a, format) : NULL, 0, 0};
	if (!attach_scope_needed(j->in.body, j->naids)) {
		struct actor who = page_actor(p);
		struct forum_err e;
		int rc = forum_reply_prepare(p->db, p->a, &who, &j->in, &j->rp, &e);
		if (rc) { page_forum_error(p, rc, &e); goto out; }
		j->prepared = 1;
	}
	page_batch(p, reply_apply, j);
out:
	json_decref(b);
}

void api_post_edit(page *p) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	json_t *b = page_json_body(p);
	if (!b) return;
	const char *body, *format, *title, *type;
	if (jfield(p, b, "body", &body) || jfield(p, b, "format", &format) || jfield(p, b, "title", &title) ||
	    jfield(p, b, "type", &type))
		goto out;
	struct post_full pf;
	if (page_post(p, pid, &pf)) goto out;
	int64_t typeid = -1;
	if (type && type_by_name(p, &pf.board, type, &typeid)) goto out;
	if (!body) body = pf.source;   /* a title-only edit keeps the text */
	json_t *fr = json_object_get(b, "forbidreprint");
	struct actor who = page_actor(p);
	struct post_input in = {title, body, format, typeid, fr ? json_is_true(fr) : -1};
	struct forum_err e;
	int64_t aids[ATTACH_MAX_PER_POST_CAP];
	int naids;
	if (jattach(p, b, aids, &naids)) goto out;
	attach_scope_begin(p->db, who.uid, who.groupid, pf.fid, pf.pid, aids, naids);
	int rc = forum_edit_post(p->db, &who, &pf, &in, p->now, &e);
	attach_scope_end();
	if (rc) { page_forum_error(p, rc, &e); goto out; }
	page_json_send(p, 200, json_pack("{s:I,s:I,s:I}", "pid", (json_int_t)pid, "tid", (json_int_t)pf.tid,
	                                 "position", (json_int_t)pf.position));
out:
	json_decref(b);
}

void api_post_delete(page *p) {
	struct post_full pf;
	int gone;
	if (page_post_delete(p, &pf, &gone)) return;
	page_json_send(p, 200, json_pack("{s:I,s:I,s:b}", "pid", (json_int_t)pf.pid, "tid", (json_int_t)pf.tid,
	                                 "thread_deleted", gone));
}
