/*
** posting: the rules for writing: who may post, reply, edit and delete; the
** limits on titles and bodies; flood control; edit history; and keeping the
** counters (thread replies/lastpost, board threads/posts, member
** posts/threads) right through edits and deletes. Every write is one
** transaction (the create paths of write.c nest inside it). Knows nothing of
** HTTP: errors are FORUM_E_* classes with a message for the reader.
**
** Counters, as defined here and kept by every write:
**   thread.replies = its undeleted posts - 1
**   board.threads  = its visible threads; board.posts = undeleted posts in them
**   member.posts   = undeleted posts in visible threads; member.threads = visible threads
*/
#include "forum/forum.h"
#include "forum/attach.h"
#include "forum/cachegen.h"
#include "forum/react.h"
#include "forum/perm.h"
#include "util/buf.h"
#include "util/die.h"
#include "util/text.h"
#include "util/timefmt.h"
#include "util/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct forum_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct forum_err *e, int code, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

/* ---- permissions ---------------------------------------------------------- */

int forum_is_mod(int64_t groupid) { return groupid == GROUP_ADMIN || groupid == GROUP_SUPERMOD || groupid == GROUP_MOD; }

int forum_can_edit(const struct actor *who, int64_t authorid) {
	if (!who->uid) return 0;
	if (forum_is_mod(who->groupid)) return 1;
	const struct group *g = group_get(who->groupid);
	return who->uid == authorid && g && (g->allowpost || g->allowreply);
}

int forum_can_view(const struct actor *who, int64_t fid, const char **why) {
	return perm_check(who->uid, who->groupid, fid, PERM_VIEW, why);
}

/* Group and per-board rights come from perm_check (no query); closed threads
   are open to moderators only. *why (may be NULL) gets the reason. */
int forum_can_reply(const struct actor *who, int64_t fid, int closed, const char **why) {
	const char *dummy;
	if (!why) why = &dummy;
	if (!who->uid) { *why = "您需要先登录才能回复。"; return 0; }
	if (!perm_check(who->uid, who->groupid, fid, PERM_REPLY, why)) return 0;
	if (closed && !forum_is_mod(who->groupid)) { *why = "本主题已关闭，不能回复。"; return 0; }
	return 1;
}

int forum_can_post(const struct actor *who, int64_t fid, const char **why) {
	const char *dummy;
	if (!why) why = &dummy;
	if (!who->uid) { *why = "您需要先登录才能发帖。"; return 0; }
	return perm_check(who->uid, who->groupid, fid, PERM_POST, why);
}

int forum_can_view_history(const struct actor *who, int64_t authorid) {
	return who->uid && (who->uid == authorid || forum_is_mod(who->groupid));
}

int forum_flood_seconds(void) {
	const struct site *s = site_get();
	return s ? (int)s->flood_seconds : FORUM_FLOOD_DEFAULT;
}

int64_t forum_floor_page(int64_t position) { return (position - 1) / FORUM_FLOORS_PER_PAGE + 1; }

/* ---- input checks ------------------------------------------------------- */

int forum_check_format(const char *format, struct forum_err *e) {
	if (format && strcmp(format, "bbcode") && strcmp(format, "markdown"))
		return fail(e, FORUM_E_INVALID, "不支持的格式：只能是 bbcode 或 markdown。");
	return 0;
}

int forum_check_title(const char *title, struct forum_err *e) {
	if (!title) return fail(e, FORUM_E_INVALID, "请填写标题。");
	size_t n = strlen(title);
	if (!utf8_valid(title, n)) return fail(e, FORUM_E_INVALID, "标题不是有效的 UTF-8 文本。");
	for (const unsigned char *c = (const unsigned char *)title; *c; c++)
		if (*c < 0x20 || *c == 0x7f) return fail(e, FORUM_E_INVALID, "标题不能包含控制字符或换行。");
	/* C1 controls (U+0080..U+009F) are C2 80..C2 9F in UTF-8 */
	for (const unsigned char *c = (const unsigned char *)title; c[0] && c[1]; c++)
		if (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) return fail(e, FORUM_E_INVALID, "标题不能包含控制字符。");
	long chars = utf8_chars(title, n);
	char msg[200];
	if (chars < 1) return fail(e, FORUM_E_INVALID, "请填写标题。");
	if (text_problem(title, n, "标题", msg, sizeof msg)) return fail(e, FORUM_E_INVALID, "%s", msg);
	if (chars > FORUM_TITLE_MAX) return fail(e, FORUM_E_INVALID, "标题太长：最多 %d 个字符（现在 %ld 个）。", FORUM_TITLE_MAX, chars);
	return 0;
}

int forum_check_body(const char *body, const char *format, struct forum_err *e) {
	if (forum_check_format(format, e)) return FORUM_E_INVALID;
	if (!body) return fail(e, FORUM_E_INVALID, "请填写内容。");
	size_t n = strlen(body);
	if (n > FORUM_BODY_MAX) return fail(e, FORUM_E_TOOBIG, "内容太长：最多 %d 字节（现在 %zu 字节）。", FORUM_BODY_MAX, n);
	if (!utf8_valid(body, n)) return fail(e, FORUM_E_INVALID, "内容不是有效的 UTF-8 文本。");
	if (!text_visible(body, n)) return fail(e, FORUM_E_INVALID, "请填写内容：不能只有空格或不可见字符。");
	return 0;
}

/* ---- shared steps (inside the caller's transaction) ---------------------- */

/* flood control: stamps the member's last post time, or refuses with the wait */
static int flood_stamp(db *d, const struct actor *who, time_t now, struct forum_err *e) {
	int flood = forum_is_mod(who->groupid) ? 0 : forum_flood_seconds();
	int64_t threshold = flood > 0 ? (int64_t)now - flood : INT64_MAX / 2;
	db_stmt *s = db_prep(d, "UPDATE member SET lastposttime = $2 WHERE uid = $1 AND lastposttime <= $3 RETURNING uid");
	db_bind_int(s, 1, who->uid);
	db_bind_int(s, 2, now);
	db_bind_int(s, 3, threshold);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_ROW) return 0;
	if (rc == DB_ERR) return fail(e, FORUM_E_DB, "数据库暂时不可用，请稍后再试。");
	s = db_prep(d, "SELECT lastposttime FROM member WHERE uid = $1");
	db_bind_int(s, 1, who->uid);
	rc = db_step(s);
	int64_t last = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc != DB_ROW) return fail(e, FORUM_E_FORBIDDEN, "用户不存在。");
	e->wait = (int)(last + flood - (int64_t)now);
	if (e->wait < 1) e->wait = 1;
	return fail(e, FORUM_E_FLOOD, "您两次发表间隔少于 %d 秒，请 %d 秒后再发表。", flood, e->wait);
}

/* typeid must be one of the board's types (0: none, unless the board requires one) */
static int check_type(db *d, int64_t fid, int64_t typeid, int requiretype, struct forum_err *e) {
	if (typeid > 0) {
		db_stmt *s = db_prep(d, "SELECT 1 FROM threadtype WHERE typeid = $1 AND fid = $2");
		db_bind_int(s, 1, typeid);
		db_bind_int(s, 2, fid);
		int rc = db_step(s);
		db_done(s);
		if (rc == DB_ERR) return fail(e, FORUM_E_DB, "数据库暂时不可用，请稍后再试。");
		if (rc != DB_ROW) return fail(e, FORUM_E_INVALID, "主题分类无效：本版块没有这个分类。");
	} else if (requiretype) {
		return fail(e, FORUM_E_INVALID, "本版块要求选择主题分类。");
	}
	return 0;
}

static int db_fail(db *d, struct forum_err *e) {
	db_rollback(d);
	return fail(e, FORUM_E_DB, "数据库暂时不可用，请稍后再试。");
}

static int rollback(db *d, int code) {
	db_rollback(d);
	return code;
}

/* ---- new thread, reply ---------------------------------------------------- */

int forum_new_thread(db *d, const struct actor *who, int64_t fid, const struct post_input *in, time_t now,
                     int64_t *tid, int64_t *pid, struct forum_err *e) {
	const char *format = in->format ? in->format : "bbcode";
	int rc;
	e->wait = 0;
	if ((rc = forum_check_title(in->title, e)) || (rc = forum_check_body(in->body, format, e))) return rc;
	const char *why;
	if (!forum_can_post(who, fid, &why)) return fail(e, FORUM_E_FORBIDDEN, "%s", why);
	if (db_begin(d)) return db_fail(d, e);
	db_stmt *s = db_prep(d, "SELECT requiretype FROM board WHERE fid = $1 AND hidden = 0");
	db_bind_int(s, 1, fid);
	rc = db_step(s);
	int requiretype = rc == DB_ROW ? (int)db_int(s, 0) : 0;
	db_done(s);
	if (rc == DB_ERR) return db_fail(d, e);
	if (rc != DB_ROW) return rollback(d, fail(e, FORUM_E_NOTFOUND, "指定的版块不存在。"));
	if ((rc = check_type(d, fid, in->typeid > 0 ? in->typeid : 0, requiretype, e))) return rollback(d, rc);
	if ((rc = flood_stamp(d, who, now, e))) return rollback(d, rc);
	char err[256];
	if (forum_thread_add(d, fid, who->uid, in->typeid > 0 ? in->typeid : 0, in->title, format, in->body, now, tid, pid,
	                     err, sizeof err))
		return db_fail(d, e);
	if (in->forbidreprint > 0) {
		s = db_prep(d, "UPDATE thread SET forbidreprint = 1 WHERE tid = $1");
		db_bind_int(s, 1, *tid);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return db_fail(d, e);
	}
	if (db_commit(d)) return db_fail(d, e);
	return 0;
}

int forum_new_reply(db *d, const struct actor *who, int64_t tid, const struct post_input *in, time_t now,
                    int64_t *pid, int64_t *position, struct forum_err *e) {
	const char *format = in->format ? in->format : "bbcode";
	int rc;
	e->wait = 0;
	if ((rc = forum_check_body(in->body, format, e))) return rc;
	if (db_begin(d)) return db_fail(d, e);
	db_stmt *s = db_prep(d, "SELECT t.closed, t.fid FROM thread t JOIN board b ON b.fid = t.fid "
	                        "WHERE t.tid = $1 AND t.hidden = 0 AND b.hidden = 0");
	db_bind_int(s, 1, tid);
	rc = db_step(s);
	int closed = rc == DB_ROW ? (int)db_int(s, 0) : 0;
	int64_t fid = rc == DB_ROW ? db_int(s, 1) : 0;
	db_done(s);
	if (rc == DB_ERR) return db_fail(d, e);
	if (rc != DB_ROW) return rollback(d, fail(e, FORUM_E_NOTFOUND, "指定的主题不存在或已被删除。"));
	const char *why;
	if (!forum_can_reply(who, fid, closed, &why)) return rollback(d, fail(e, FORUM_E_FORBIDDEN, "%s", why));
	if ((rc = flood_stamp(d, who, now, e))) return rollback(d, rc);
	char err[256];
	if (forum_reply_add(d, tid, who->uid, format, in->body, now, pid, position, err, sizeof err)) return db_fail(d, e);
	if (db_commit(d)) return db_fail(d, e);
	return 0;
}

/* ---- one post ----------------------------------------------------------- */

int forum_post_get(db *d, arena *a, int64_t pid, struct post_full *o) {
	db_stmt *s = db_prep(d, "SELECT p.pid, p.tid, p.fid, p.position, p.authorid, p.created, p.edited, p.deleted, "
	                        "t.typeid, t.closed, t.forbidreprint, p.author, p.source, p.format, p.html, t.subject, p.editor, "
	                        "b.name, b.types, b.requiretype FROM post p JOIN thread t ON t.tid = p.tid "
	                        "JOIN board b ON b.fid = t.fid WHERE p.pid = $1 AND t.hidden = 0 AND b.hidden = 0");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		memset(o, 0, sizeof *o);
		o->pid = db_int(s, 0);
		o->tid = db_int(s, 1);
		o->fid = db_int(s, 2);
		o->position = db_int(s, 3);
		o->authorid = db_int(s, 4);
		o->created = db_int(s, 5);
		o->edited = db_int(s, 6);
		o->deleted = db_int(s, 7);
		o->typeid = db_int(s, 8);
		o->closed = db_int(s, 9);
		o->forbidreprint = (int)db_int(s, 10);
		o->author = arena_strdup(a, db_text(s, 11));
		o->source = arena_strdup(a, db_text(s, 12));
		o->format = arena_strdup(a, db_text(s, 13));
		o->html = arena_strdup(a, db_text(s, 14));
		o->subject = arena_strdup(a, db_text(s, 15));
		o->editor = arena_strdup(a, db_text(s, 16));
		o->board.fid = o->fid;
		o->board.name = arena_strdup(a, db_text(s, 17));
		forum_parse_types(a, &o->board, db_text(s, 18));
		o->board.requiretype = (int)db_int(s, 19);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* the text of a floor without quotes and BBCode tags, cut to FORUM_QUOTE_EXCERPT characters */
static void excerpt(buf *o, const char *s) {
	int depth = 0;
	long chars = 0;
	while (*s) {
		if (*s == '[') {
			const char *end = strchr(s, ']');
			size_t n = end ? (size_t)(end - s) : 0;
			const char *c = s + 1;
			if (*c == '/') c++;
			int tag = end && n < 40 && ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '*');
			if (tag) {
				if (!strncasecmp(s, "[quote", 6)) depth++;
				else if (!strncasecmp(s, "[/quote]", 8) && depth > 0) depth--;
				s = end + 1;
				continue;
			}
		}
		size_t len = utf8_prefix(s, strlen(s), 1);
		if (!len) break;
		if (!depth) {
			if (chars++ == FORUM_QUOTE_EXCERPT) {
				buf_puts(o, " ...");
				return;
			}
			buf_append(o, s, len);
		}
		s += len;
	}
}

const char *forum_quote(arena *a, const struct post_full *p) {
	buf b;
	buf_init(&b, 0);
	buf_appendf(&b, "[quote][size=2][color=#999999]%s 发表于 %s[/color][/size]\n", p->author, timefmt_full(a, p->created));
	buf t;
	buf_init(&t, 0);
	excerpt(&t, p->source);
	/* trim the excerpt's leading and trailing blank lines */
	const char *x = buf_cstr(&t);
	while (*x == '\n' || *x == '\r') x++;
	size_t n = strlen(x);
	while (n && (x[n - 1] == '\n' || x[n - 1] == '\r' || x[n - 1] == ' ')) n--;
	buf_append(&b, x, n);
	buf_puts(&b, "[/quote]\n");
	const char *r = arena_strdup(a, buf_cstr(&b));
	buf_release(&t);
	buf_release(&b);
	return r;
}

/* ---- edit, delete --------------------------------------------------------- */

/* the post's row, read inside the write transaction */
struct prow {
	int64_t tid, fid, position, authorid, created, edited, deleted, closed, typeid, t_author, requiretype;
	int forbidreprint;
	char *source, *format, *html, *editor, *author, *subject;
};

static void prow_free(struct prow *r) {
	free(r->source);
	free(r->format);
	free(r->html);
	free(r->editor);
	free(r->author);
	free(r->subject);
}

static int prow_get(db *d, int64_t pid, struct prow *r) {
	memset(r, 0, sizeof *r);
	db_stmt *s = db_prep(d, "SELECT p.tid, t.fid, p.position, p.authorid, p.created, p.edited, p.deleted, t.closed, "
	                        "t.typeid, t.authorid, b.requiretype, t.forbidreprint, p.source, p.format, p.html, p.editor, "
	                        "p.author, t.subject FROM post p JOIN thread t ON t.tid = p.tid JOIN board b ON b.fid = t.fid "
	                        "WHERE p.pid = $1 AND t.hidden = 0 AND b.hidden = 0");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		r->tid = db_int(s, 0);
		r->fid = db_int(s, 1);
		r->position = db_int(s, 2);
		r->authorid = db_int(s, 3);
		r->created = db_int(s, 4);
		r->edited = db_int(s, 5);
		r->deleted = db_int(s, 6);
		r->closed = db_int(s, 7);
		r->typeid = db_int(s, 8);
		r->t_author = db_int(s, 9);
		r->requiretype = db_int(s, 10);
		r->forbidreprint = (int)db_int(s, 11);
		r->source = xstrdup(db_text(s, 12));
		r->format = xstrdup(db_text(s, 13));
		r->html = xstrdup(db_text(s, 14));
		r->editor = xstrdup(db_text(s, 15));
		r->author = xstrdup(db_text(s, 16));
		r->subject = xstrdup(db_text(s, 17));
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int step_done(db *d, db_stmt *s) {
	(void)d;
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

int forum_edit_post(db *d, const struct actor *who, int64_t pid, const struct post_input *in, time_t now,
                    struct forum_err *e) {
	struct prow r;
	char *html = NULL;
	int rc, code = 0;
	e->wait = 0;
	if (db_begin(d)) return db_fail(d, e);
	rc = prow_get(d, pid, &r);
	if (rc < 0) { code = FORUM_E_DB; goto dberr; }
	if (!rc) { code = fail(e, FORUM_E_NOTFOUND, "指定的帖子不存在或已被删除。"); goto out; }
	if (r.deleted) { code = fail(e, FORUM_E_NOTFOUND, "该帖已被删除，不能编辑。"); goto out; }
	const char *why;
	if (!forum_can_view(who, r.fid, &why)) { code = fail(e, FORUM_E_FORBIDDEN, "%s", why); goto out; }
	if (!forum_can_edit(who, r.authorid)) { code = fail(e, FORUM_E_FORBIDDEN, "您只能编辑自己的帖子。"); goto out; }
	if (r.closed && !forum_is_mod(who->groupid)) { code = fail(e, FORUM_E_FORBIDDEN, "本主题已关闭，不能编辑。"); goto out; }
	const char *format = in->format ? in->format : r.format;
	if ((code = forum_check_body(in->body, format, e))) goto out;
	int first = r.position == 1;
	const char *subject = r.subject;
	int64_t typeid = r.typeid;
	int forbid = r.forbidreprint;
	if (first && in->title) {
		if ((code = forum_check_title(in->title, e))) goto out;
		subject = in->title;
	}
	if (first && in->typeid >= 0) {
		if ((code = check_type(d, r.fid, in->typeid, (int)r.requiretype, e))) goto out;
		typeid = in->typeid;
	}
	if (first && in->forbidreprint >= 0) forbid = in->forbidreprint > 0;
	if (forum_render(format, in->body, &html)) { code = fail(e, FORUM_E_INVALID, "无法处理帖子内容。"); goto out; }
	/* the version being replaced goes to the history */
	db_stmt *s = db_prep(d, "INSERT INTO post_history(pid, version, source, format, html, edited_by, edited_at) "
	                        "VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM post_history WHERE pid = $1), "
	                        "$2, $3, $4, $5, $6)");
	db_bind_int(s, 1, pid);
	db_bind_text(s, 2, r.source, -1);
	db_bind_text(s, 3, r.format, -1);
	db_bind_text(s, 4, r.html, -1);
	db_bind_text(s, 5, r.edited ? r.editor : r.author, -1);
	db_bind_int(s, 6, r.edited ? r.edited : r.created);
	if (step_done(d, s)) goto dberr;
	s = db_prep(d, "UPDATE post SET source = $2, format = $3, html = $4, edited = $5, editor = $6 WHERE pid = $1");
	db_bind_int(s, 1, pid);
	db_bind_text(s, 2, in->body, -1);
	db_bind_text(s, 3, format, -1);
	db_bind_text(s, 4, html, -1);
	db_bind_int(s, 5, now);
	db_bind_text(s, 6, who->name, -1);
	if (step_done(d, s)) goto dberr;
	if (attach_scope_claim(d, pid)) goto dberr;
	if (first) {
		s = db_prep(d, "UPDATE thread SET subject = $2, typeid = $3, forbidreprint = $4 WHERE tid = $1");
		db_bind_int(s, 1, r.tid);
		db_bind_text(s, 2, subject, -1);
		db_bind_int(s, 3, typeid);
		db_bind_int(s, 4, forbid);
		if (step_done(d, s)) goto dberr;
		s = db_prep(d, "UPDATE board SET lastsubject = $3 WHERE fid = $1 AND lasttid = $2");
		db_bind_int(s, 1, r.fid);
		db_bind_int(s, 2, r.tid);
		db_bind_text(s, 3, subject, -1);
		if (step_done(d, s)) goto dberr;
	}
	cachegen_bump_thread(d, r.tid, r.fid);   /* applied at COMMIT */
	if (db_commit(d)) goto dberr;
	prow_free(&r);
	free(html);
	return 0;
dberr:
	code = fail(e, FORUM_E_DB, "数据库暂时不可用，请稍后再试。");
out:
	db_rollback(d);
	prow_free(&r);
	free(html);
	return code;
}

/* the board's "last post", recomputed from its threads (after a delete, or a demo) */
int forum_board_relast(db *d, int64_t fid) {
	db_stmt *s = db_prep(d, "UPDATE board SET "
	                        "lastpost = COALESCE((SELECT lastpost FROM thread WHERE fid = $1 AND hidden = 0 "
	                        "ORDER BY lastpost DESC, tid DESC LIMIT 1), 0), "
	                        "lasttid = COALESCE((SELECT tid FROM thread WHERE fid = $1 AND hidden = 0 "
	                        "ORDER BY lastpost DESC, tid DESC LIMIT 1), 0), "
	                        "lastsubject = COALESCE((SELECT subject FROM thread WHERE fid = $1 AND hidden = 0 "
	                        "ORDER BY lastpost DESC, tid DESC LIMIT 1), ''), "
	                        "lastposter = COALESCE((SELECT lastposter FROM thread WHERE fid = $1 AND hidden = 0 "
	                        "ORDER BY lastpost DESC, tid DESC LIMIT 1), '') WHERE fid = $1");
	db_bind_int(s, 1, fid);
	return step_done(d, s);
}

int forum_delete_post(db *d, const struct actor *who, int64_t pid, time_t now, int64_t *tid, int *thread_deleted,
                      struct forum_err *e) {
	struct prow r;
	int rc, code = 0;
	(void)now;
	e->wait = 0;
	*thread_deleted = 0;
	if (db_begin(d)) return db_fail(d, e);
	rc = prow_get(d, pid, &r);
	if (rc < 0) goto dberr;
	if (!rc || r.deleted) { code = fail(e, FORUM_E_NOTFOUND, "指定的帖子不存在或已被删除。"); goto out; }
	const char *why;
	if (!forum_can_view(who, r.fid, &why)) { code = fail(e, FORUM_E_FORBIDDEN, "%s", why); goto out; }
	if (!forum_can_edit(who, r.authorid)) { code = fail(e, FORUM_E_FORBIDDEN, "您只能删除自己的帖子。"); goto out; }
	if (r.closed && !forum_is_mod(who->groupid)) { code = fail(e, FORUM_E_FORBIDDEN, "本主题已关闭，不能删除。"); goto out; }
	*tid = r.tid;
	db_stmt *s;
	if (r.position == 1) {
		/* the whole thread goes: its undeleted posts leave the board's and their authors' counts */
		s = db_prep(d, "UPDATE board SET threads = threads - 1, "
		               "posts = posts - (SELECT COUNT(*) FROM post WHERE tid = $2 AND deleted = 0) WHERE fid = $1");
		db_bind_int(s, 1, r.fid);
		db_bind_int(s, 2, r.tid);
		if (step_done(d, s)) goto dberr;
		s = db_prep(d, "UPDATE member SET posts = posts - (SELECT COUNT(*) FROM post p WHERE p.tid = $1 "
		               "AND p.deleted = 0 AND p.authorid = member.uid) "
		               "WHERE uid IN (SELECT authorid FROM post WHERE tid = $1 AND deleted = 0)");
		db_bind_int(s, 1, r.tid);
		if (step_done(d, s)) goto dberr;
		s = db_prep(d, "UPDATE member SET threads = threads - 1 WHERE uid = $1");
		db_bind_int(s, 1, r.t_author);
		if (step_done(d, s)) goto dberr;
		if (credit_recount_thread(d, r.tid)) goto dberr;   /* post counts are in the credit total */
		s = db_prep(d, "UPDATE thread SET hidden = 1 WHERE tid = $1");
		db_bind_int(s, 1, r.tid);
		if (step_done(d, s)) goto dberr;
		if (forum_board_relast(d, r.fid)) goto dberr;
		*thread_deleted = 1;
	} else {
		s = db_prep(d, "UPDATE post SET deleted = 1 WHERE pid = $1");
		db_bind_int(s, 1, pid);
		if (step_done(d, s)) goto dberr;
		s = db_prep(d, "UPDATE thread SET replies = replies - 1, "
		               "lastpost = COALESCE((SELECT created FROM post WHERE tid = $1 AND deleted = 0 "
		               "ORDER BY position DESC LIMIT 1), lastpost), "
		               "lastposter = COALESCE((SELECT author FROM post WHERE tid = $1 AND deleted = 0 "
		               "ORDER BY position DESC LIMIT 1), lastposter) WHERE tid = $1");
		db_bind_int(s, 1, r.tid);
		if (step_done(d, s)) goto dberr;
		s = db_prep(d, "UPDATE board SET posts = posts - 1 WHERE fid = $1");
		db_bind_int(s, 1, r.fid);
		if (step_done(d, s)) goto dberr;
		s = db_prep(d, "UPDATE member SET posts = posts - 1 WHERE uid = $1");
		db_bind_int(s, 1, r.authorid);
		if (step_done(d, s)) goto dberr;
		if (credit_recount(d, r.authorid)) goto dberr;
	}
	cachegen_bump_thread(d, r.tid, r.fid);   /* applied at COMMIT */
	if (db_commit(d)) goto dberr;
	prow_free(&r);
	return 0;
dberr:
	code = fail(e, FORUM_E_DB, "数据库暂时不可用，请稍后再试。");
out:
	db_rollback(d);
	prow_free(&r);
	return code;
}

/* ---- history ----------------------------------------------------------- */

int forum_post_history(db *d, arena *a, int64_t pid, struct post_version **out, int *n) {
	db_stmt *s = db_prep(d, "SELECT version, edited_at, source, format, html, edited_by FROM post_history "
	                        "WHERE pid = $1 ORDER BY version");
	db_bind_int(s, 1, pid);
	int cap = 8, rc;
	struct post_version *v = arena_alloc(a, sizeof *v * (size_t)cap);
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			struct post_version *nv = arena_alloc(a, sizeof *nv * (size_t)cap * 2);
			memcpy(nv, v, sizeof *v * (size_t)cap);
			v = nv;
			cap *= 2;
		}
		struct post_version *x = &v[(*n)++];
		x->version = db_int(s, 0);
		x->edited_at = db_int(s, 1);
		x->source = arena_strdup(a, db_text(s, 2));
		x->format = arena_strdup(a, db_text(s, 3));
		x->html = arena_strdup(a, db_text(s, 4));
		x->edited_by = arena_strdup(a, db_text(s, 5));
	}
	db_done(s);
	*out = v;
	return rc == DB_DONE ? 0 : -1;
}

int forum_board_require_type(db *d, int64_t fid, int on) {
	db_stmt *s = db_prep(d, "UPDATE board SET requiretype = $2 WHERE fid = $1");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, on ? 1 : 0);
	cachegen_bump_board(d, fid);
	return step_done(d, s);
}
