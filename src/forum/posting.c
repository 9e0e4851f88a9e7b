/*
** posting: the rules for writing: who may post, reply, edit and delete; the
** limits on titles and bodies; flood control; edit history; and keeping the
** counters (thread replies/lastpost, board threads/posts, member
** posts/threads) right through edits and deletes. Knows nothing of HTTP:
** errors are a struct forum_err (FORUM_E_* class + a message for the reader).
**
** The write path, the same for the web, the API, the CLI and the demo:
**   1. check the input and the actor's rights (pure, no query);
**   2. render the source (forum_cook), outside any transaction; inside the
**      caller's attachment scope (forum/attach.h) [attach]N resolves and the
**      uploads the text does not place are listed under the post;
**   3. one short transaction: read the row it depends on once, decide what
**      needs it (closed thread, thread type), stamp flood control, write,
**      and claim the scope's attachments for the post.
**
** Counters, as defined here and kept by every write:
**   thread.replies = its undeleted posts - 1
**   board.threads  = its visible threads; board.posts = undeleted posts in them
**   member.posts   = undeleted posts in visible threads; member.threads = visible threads
*/
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/write.h"
#include "forum/posting.h"
#include "forum/anon.h"
#include "forum/attach.h"
#include "forum/search.h"
#include "forum/moderate.h"
#include "forum/cachegen.h"
#include "forum/perm.h"
#include "forum/row.h"
#include "forum/credit.h"
#include "forum/moderate.h"
#include "forum/discover.h"
#include "forum/notify.h"
#include "markup/quote.h"
#include "util/buf.h"
#include "util/die.h"
#include "util/text.h"
#include "util/timefmt.h"
#include "util/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 4, 0))) static int vfail(struct forum_err *e, int code, const char *en, const char *fmt,
                                                       va_list ap) {
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	e->code = code;
	e->en = en;
	return code;
}

int forum_fail(struct forum_err *e, int code, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vfail(e, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int forum_fail_en(struct forum_err *e, int code, const char *en, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vfail(e, code, en, fmt, ap);
	va_end(ap);
	return code;
}

const char *forum_err_en(const struct forum_err *e) {
	if (e->en) return e->en;
	/* a message already in English (copy, gen, blobs: file names, line numbers) is its own */
	int ascii = e->msg[0] != 0;
	for (const char *c = e->msg; *c && ascii; c++) ascii = !((unsigned char)*c & 0x80);
	if (ascii) return e->msg;
	switch (e->code) {
	case FORUM_E_INVALID: return "invalid input";
	case FORUM_E_TOOBIG: return "too large";
	case FORUM_E_FORBIDDEN: return "not permitted";
	case FORUM_E_NOTFOUND: return "not found";
	case FORUM_E_FLOOD: return "too fast; wait and try again";
	case FORUM_E_DB: return "the database is unavailable; try again later";
	case FORUM_E_TAKEN: return "already taken";
	default: return "failed";
	}
}
#define fail forum_fail

/* ---- permissions ---------------------------------------------------------- */

/* moderators of some board, super moderators, admins and the console: the board-less
   moderator rule (the report queue, revoking ratings); per board it is forum_can_moderate */
int forum_may_moderate(const struct actor *who) { return forum_can_moderate(who, 0); }

/* the closed-thread rule, in one place: a closed thread is open to the board's
   moderators (and the console) only. */
int forum_closed_allows(const struct actor *who, int64_t fid, int closed, enum forum_verb v, const char **why) {
	static const char *const msg[] = {"本主题已关闭，不能回复。", "本主题已关闭，不能编辑。", "本主题已关闭，不能删除。"};
	if (!closed || forum_can_moderate(who, fid)) return 1;
	if (why) *why = msg[v];
	return 0;
}

/* a refusal (why) that may be the closed-thread rule's: the console gets its English */
static int closed_refusal(struct forum_err *e, const struct actor *who, int64_t fid, int closed, enum forum_verb v, const char *why) {
	static const char *const en[] = {"the thread is closed: no replies", "the thread is closed: no edits", "the thread is closed: no deletions"};
	int by_close = closed && !forum_closed_allows(who, fid, closed, v, NULL);
	return forum_fail_en(e, FORUM_E_FORBIDDEN, by_close ? en[v] : NULL, "%s", why);
}

int forum_can_edit(const struct actor *who, int64_t fid, int64_t authorid) {
	if (who->override) return 1;
	if (!who->uid) return 0;
	if (forum_can_moderate(who, fid)) return 1;
	const struct group *g = group_get(who->groupid);
	return who->uid == authorid && g && (g->allowpost || g->allowreply);
}

int forum_can_view(const struct actor *who, int64_t fid, const char **why) {
	if (who->override) return 1;
	return perm_check(who->uid, who->groupid, fid, PERM_VIEW, why);
}

/* Group and per-board rights come from perm_check (no query); closed threads
   are open to moderators only. *why (may be NULL) gets the reason. */
int forum_can_reply(const struct actor *who, int64_t fid, int closed, const char **why) {
	const char *dummy;
	if (!why) why = &dummy;
	if (who->override) return 1;
	if (!who->uid) { *why = "您需要先登录才能回复。"; return 0; }
	if (!perm_check(who->uid, who->groupid, fid, PERM_REPLY, why)) return 0;
	return forum_closed_allows(who, fid, closed, FORUM_REPLY, why);
}

int forum_can_post(const struct actor *who, int64_t fid, const char **why) {
	const char *dummy;
	if (!why) why = &dummy;
	if (who->override) return 1;
	if (!who->uid) { *why = "您需要先登录才能发帖。"; return 0; }
	return perm_check(who->uid, who->groupid, fid, PERM_POST, why);
}

int forum_can_upload(const struct actor *who, int64_t fid, const char **why) {
	const char *dummy;
	if (!why) why = &dummy;
	if (who->override) return 1;
	if (!who->uid) { *why = "您需要先登录才能上传附件。"; return 0; }
	return perm_check(who->uid, who->groupid, fid, PERM_UPLOAD, why);
}

int forum_can_view_history(const struct actor *who, int64_t fid, int64_t authorid) {
	return who->uid && (who->uid == authorid || forum_can_moderate(who, fid));
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

/* flood control: stamps the member's last post time, or refuses with the wait. The same statement
   counts the new floor for its author (posts, threads, today's) and adds the credits planned for it
   (forum/credit.h: credit_plan), recomputing the total; *credits and *gid get the row's new values
   for credit_planned. One UPDATE of the member's row per post (issue 16).
   The console (override) neither waits nor stamps. */
static int flood_stamp(db *d, const struct actor *who, time_t now, int newthread, const struct credit_plan *cp,
                       int64_t *credits, int64_t *gid, struct forum_err *e) {
	int flood = forum_can_moderate(who, 0) ? 0 : forum_flood_seconds();
	int64_t threshold = flood > 0 ? (int64_t)now - flood : INT64_MAX / 2;
	int64_t c[6];
	credit_coef(c);
	db_stmt *s = db_prep(d, "UPDATE member SET lastposttime = CASE WHEN $4 = 1 THEN lastposttime ELSE $2 END, "
	                        "posts = posts + 1, threads = threads + $5, "
	                        "todayposts = CASE WHEN todaydate = $6 THEN todayposts + 1 ELSE 1 END, todaydate = $6, "
	                        "ext1 = ext1 + $7, ext2 = ext2 + $8, ext3 = ext3 + $9, "
	                        "credits = (posts + 1) * $10 + (threads + $5) * $11 + digestposts * $12 + (ext1 + $7) * $13 + "
	                        "(ext2 + $8) * $14 + (ext3 + $9) * $15 "
	                        "WHERE uid = $1 AND lastposttime <= $3 RETURNING credits, groupid");
	db_bind_int(s, 1, who->uid);
	db_bind_int(s, 2, now);
	db_bind_int(s, 3, threshold);
	db_bind_int(s, 4, who->override ? 1 : 0);
	db_bind_int(s, 5, newthread);
	db_bind_int(s, 6, forum_today(now));
	for (int i = 0; i < 3; i++) db_bind_int(s, 7 + i, cp->ext[i]);
	for (int i = 0; i < 6; i++) db_bind_int(s, 10 + i, c[i]);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*credits = db_int(s, 0);
		*gid = db_int(s, 1);
	}
	db_done(s);
	if (rc == DB_ROW) return 0;
	if (rc == DB_ERR) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
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
		if (rc == DB_ERR) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
		if (rc != DB_ROW) return fail(e, FORUM_E_INVALID, "主题分类无效：本版块没有这个分类。");
	} else if (requiretype) {
		return fail(e, FORUM_E_INVALID, "本版块要求选择主题分类。");
	}
	return 0;
}

static int step_done(db *d, db_stmt *s) {
	(void)d;
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* a board's counters for n new floors of one day, the last of them (tid, subject, poster, when) */
static int board_count(db *d, int64_t fid, int64_t threads, int64_t n, int64_t tid, const char *subject,
                       const char *poster, time_t when) {
	db_stmt *s = db_prep(d, "UPDATE board SET threads = threads + $2, posts = posts + $8, "
	                        "todayposts = CASE WHEN todaydate = $3 THEN todayposts + $8 ELSE $8 END, todaydate = $3, "
	                        "lastpost = $4, lasttid = $5, lastsubject = $6, lastposter = $7 WHERE fid = $1");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, threads);
	db_bind_int(s, 3, forum_today(when));
	db_bind_int(s, 4, when);
	db_bind_int(s, 5, tid);
	db_bind_text(s, 6, subject, -1);
	db_bind_text(s, 7, poster, -1);
	db_bind_int(s, 8, n);
	return step_done(d, s);
}

/* The board and day counters of a group commit's batch (issue 16): inside a writer job (a savepoint
** level) a new floor is noted here, and forum_counts_flush writes one UPDATE per board and day and one
** per day for the site before the batch's COMMIT, in the order the floors came. A hot board's row was
** written once per reply (two statements of ~10 a reply). The writer's only: one connection, one thread. */
struct count_note { int64_t fid, tid, day, newthread; time_t when; char *subject, *poster; int board, site; };
static __thread struct { db *d; int n, cap; struct count_note *v; } g_counts;

static void counts_drop(int from) {
	for (int i = from; i < g_counts.n; i++) {
		free(g_counts.v[i].subject);
		free(g_counts.v[i].poster);
	}
	if (from < g_counts.n) g_counts.n = from;
}

int forum_counts_mark(db *d) { return g_counts.d == d ? g_counts.n : 0; }
void forum_counts_undo(db *d, int mark) {
	if (g_counts.d == d && mark >= 0) counts_drop(mark);
}

int forum_counts_flush(db *d) {
	int n = g_counts.d == d ? g_counts.n : 0, rc = 0;
	struct count_note *v = g_counts.v;
	/* one UPDATE for each board and day, in the order they first came, with the last floor of each;
	   then one for the site for each day (the .board and .site flags: counted) */
	for (int i = 0; i < n && !rc; i++) {
		if (v[i].board) continue;
		int64_t posts = 0, threads = 0;
		int last = i;
		for (int j = i; j < n; j++)
			if (!v[j].board && v[j].fid == v[i].fid && v[j].day == v[i].day) {
				v[j].board = 1;
				posts++;
				threads += v[j].newthread;
				last = j;
			}
		rc = board_count(d, v[i].fid, threads, posts, v[last].tid, v[last].subject, v[last].poster, v[last].when);
	}
	for (int i = 0; i < n && !rc; i++) {
		if (v[i].site) continue;
		int64_t posts = 0;
		for (int j = i; j < n; j++)
			if (!v[j].site && v[j].day == v[i].day) {
				v[j].site = 1;
				posts++;
			}
		rc = stats_count_posts(d, v[i].when, posts);
	}
	if (g_counts.d == d) {   /* the notes go with their batch, written or rolled back; so does the array */
		counts_drop(0);
		free(g_counts.v);
		g_counts.v = NULL;
		g_counts.cap = 0;
	}
	return rc ? -1 : 0;
}

/* a new floor counts on its board (threads, posts, today, last post) and the site's day; for its author:
   flood_stamp. In a writer job it is noted for forum_counts_flush. */
static int board_count_post(db *d, int64_t fid, int64_t tid, const char *subject, const char *poster, time_t when,
                            int newthread) {
	if (!db_in_savepoint(d)) {
		if (board_count(d, fid, newthread, 1, tid, subject, poster, when)) return -1;
		return stats_count_posts(d, when, 1);   /* the index's 今日/昨日/最高日 (issue 14) */
	}
	if (g_counts.d != d) {
		counts_drop(0);
		g_counts.d = d;
	}
	if (g_counts.n == g_counts.cap) {
		g_counts.cap = g_counts.cap ? g_counts.cap * 2 : 64;
		g_counts.v = realloc(g_counts.v, sizeof *g_counts.v * (size_t)g_counts.cap);
		if (!g_counts.v) die_oom();
	}
	g_counts.v[g_counts.n++] = (struct count_note){fid, tid, forum_today(when), newthread, when, xstrdup(subject ? subject : ""),
	                                               xstrdup(poster ? poster : ""), 0, 0};
	return 0;
}

static int insert_post(db *d, int64_t tid, int64_t fid, int64_t position, int64_t uid, const char *author,
                       time_t when, const char *format, const char *source, const char *html, int64_t *pid) {
	db_stmt *s = db_prep(d, "INSERT INTO post(tid, fid, position, authorid, author, created, format, source, html) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING pid");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, fid);
	db_bind_int(s, 3, position);
	db_bind_int(s, 4, uid);
	db_bind_text(s, 5, author, -1);
	db_bind_int(s, 6, when);
	db_bind_text(s, 7, format, -1);
	db_bind_text(s, 8, source, -1);
	db_bind_text(s, 9, html, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *pid = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? search_index_post(d, *pid) : -1;   /* the index, in this transaction */
}

static int finish(db *d, int code, char *html, struct forum_err *e);

/* the end of a new floor's write: its board and day counted last (noted, in a writer job: a note is
   dropped if the write is undone after it), then finish */
static int finish_counted(db *d, int64_t fid, int64_t tid, const char *subject, const char *author, time_t now,
                          int newthread, char *html, struct forum_err *e) {
	int mark = forum_counts_mark(d);
	if (board_count_post(d, fid, tid, subject, author, now, newthread))
		return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	int rc = finish(d, 0, html, e);
	if (rc) forum_counts_undo(d, mark);
	return rc;
}

static int db_fail(db *d, struct forum_err *e) {
	db_rollback(d);
	return fail(e, FORUM_E_DB, FORUM_MSG_DB);
}

/* the end of a write: commit, or roll back with CODE; frees the rendered HTML */
static int finish(db *d, int code, char *html, struct forum_err *e) {
	free(html);
	if (code) {
		db_rollback(d);
		return code;
	}
	if (db_commit(d)) return db_fail(d, e);
	return 0;
}

/* renders with @mentions resolved; t (may be NULL) gets who the post tells (forum/notify.h) */
static int cook(db *d, const char *format, const char *body, char **html, struct notify_targets *t, struct forum_err *e) {
	int rc = notify_cook(d, format, body, html, t);
	if (rc == -2) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc) return fail(e, FORUM_E_INVALID, "无法处理帖子内容。");
	return 0;
}

/* ---- new thread, reply ---------------------------------------------------- */

int forum_new_thread(db *d, const struct actor *who, int64_t fid, const struct post_input *in, time_t now,
                     int64_t *tid, int64_t *pid, struct forum_err *e) {
	const char *format = in->format ? in->format : "bbcode";
	int64_t typeid = in->typeid > 0 ? in->typeid : 0;
	char *html = NULL;
	int rc;
	e->wait = 0;
	e->code = 0;
	if ((rc = forum_check_title(in->title, e)) || (rc = forum_check_body(in->body, format, e))) return rc;
	const char *why;
	if (!forum_can_post(who, fid, &why)) return fail(e, FORUM_E_FORBIDDEN, "%s", why);
	struct notify_targets nt;
	if ((rc = cook(d, format, in->body, &html, &nt, e))) return rc;
	if (db_begin(d)) {
		free(html);
		return db_fail(d, e);
	}
	db_stmt *s = db_prep(d, "SELECT requiretype FROM board WHERE fid = $1 AND hidden = 0");
	db_bind_int(s, 1, fid);
	rc = db_step(s);
	int requiretype = rc == DB_ROW ? (int)db_int(s, 0) : 0;
	db_done(s);
	if (rc == DB_ERR) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	if (rc != DB_ROW) return finish(d, forum_fail_en(e, FORUM_E_NOTFOUND, "no such board", "指定的版块不存在。"), html, e);
	if ((rc = check_type(d, fid, typeid, requiretype, e))) return finish(d, rc, html, e);
	struct credit_plan cp;
	int64_t credits = 0, gid = 0;
	if (credit_plan(d, who->uid, "post", fid, now, &cp)) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	if ((rc = flood_stamp(d, who, now, 1, &cp, &credits, &gid, e))) return finish(d, rc, html, e);
	s = db_prep(d, "INSERT INTO thread(fid, typeid, subject, authorid, author, created, lastpost, lastposter, "
	               "maxposition, forbidreprint) SELECT $1, $2, $3, uid, username, $5, $5, username, 1, $6 "
	               "FROM member WHERE uid = $4 RETURNING tid, author");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, typeid);
	db_bind_text(s, 3, in->title, -1);
	db_bind_int(s, 4, who->uid);
	db_bind_int(s, 5, now);
	db_bind_int(s, 6, in->forbidreprint > 0 ? 1 : 0);
	rc = db_step(s);
	char author[128] = "";
	if (rc == DB_ROW) {
		*tid = db_int(s, 0);
		snprintf(author, sizeof author, "%s", db_text(s, 1));
	}
	db_done(s);
	if (rc != DB_ROW || insert_post(d, *tid, fid, 1, who->uid, author, now, format, in->body, html, pid) ||
	    attach_scope_claim(d, *pid) ||   /* the uploads the rendered HTML used or listed (forum/attach.h) */
	    credit_planned(d, who->uid, &cp, "thread", *tid, credits, gid, now) ||
	    notify_post(d, &(struct notify_post){who, fid, *tid, *pid, 0, 0, in->title, author, 0}, &nt, now))
		return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	cachegen_bump_thread(d, *tid, fid);   /* applied at COMMIT */
	return finish_counted(d, fid, *tid, in->title, author, now, 1, html, e);
}

/* Step 1 and 2 of the write path for a reply, outside any transaction: the input, the rendering, its
   @mentions and quotes. On the group commit's worker thread for the API and the form (issue 16), so that
   the writer thread only runs the statements. With an arena the HTML lives there (a job that never runs
   leaks nothing); without one it is malloc'd and forum_reply_apply frees it. */
int forum_reply_prepare(db *d, arena *a, const struct actor *who, const struct post_input *in, struct reply_prep *rp,
                        struct forum_err *e) {
	int rc;
	memset(rp, 0, sizeof *rp);
	e->wait = 0;
	e->code = 0;
	rp->format = in->format ? in->format : "bbcode";
	if ((rc = forum_check_body(in->body, rp->format, e))) return rc;
	if (!who->uid && !who->override) return fail(e, FORUM_E_FORBIDDEN, "您需要先登录才能回复。");
	char *html;
	if ((rc = cook(d, rp->format, in->body, &html, &rp->nt, e))) return rc;
	if (a) {
		rp->html = arena_strdup(a, html);
		free(html);
	} else {
		rp->html = html;
		rp->owned = 1;
	}
	return 0;
}

/* Step 3: the one short transaction. Everything that depends on the rows is decided here, whenever
   the reply was prepared: the thread (there, visible, open), the board's rights (of the actor's group as
   the member row has it now: a member banned while the reply waited is refused), flood control, and
   the groups of the members the post tells (notify_targets_refresh: a member banned meanwhile is not
   told of a board it may no longer see). */
int forum_reply_apply(db *d, const struct actor *who, int64_t tid, const struct post_input *in, struct reply_prep *rp,
                      time_t now, int64_t *pid, int64_t *position, struct forum_err *e) {
	const char *format = rp->format;
	char *html = rp->owned ? rp->html : NULL;   /* finish frees it */
	rp->owned = 0;
	int rc;
	e->wait = 0;
	e->code = 0;
	if (db_begin(d)) {
		free(html);
		return db_fail(d, e);
	}
	/* the thread, read once: its new floor number is taken under the row's
	   write lock (no gaps, no duplicates); a refusal below rolls it back */
	db_stmt *s = db_prep(d, "UPDATE thread SET maxposition = maxposition + 1, replies = replies + 1, lastpost = $2, "
	                        "lastposter = COALESCE((SELECT username FROM member WHERE uid = $3), '') "
	                        "WHERE tid = $1 AND hidden = 0 AND (SELECT hidden FROM board WHERE fid = thread.fid) = 0 "
	                        "RETURNING maxposition, fid, subject, closed, lastposter, authorid, "
	                        "COALESCE((SELECT groupid FROM member WHERE uid = thread.authorid), 0), "
	                        "CASE WHEN EXISTS (SELECT 1 FROM thread_follow WHERE tid = thread.tid) THEN 1 ELSE 0 END");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, now);
	db_bind_int(s, 3, who->uid);
	rc = db_step(s);
	int64_t fid = 0, op = 0, opgroup = 0;   /* the thread's author and group: told of the reply */
	int closed = 0, followed = 1;   /* followed 0: the followers' two statements are skipped */
	char subject[512] = "", author[128] = "";
	if (rc == DB_ROW) {
		*position = db_int(s, 0);
		fid = db_int(s, 1);
		snprintf(subject, sizeof subject, "%s", db_text(s, 2));
		closed = (int)db_int(s, 3);
		snprintf(author, sizeof author, "%s", db_text(s, 4));
		op = db_int(s, 5);
		opgroup = db_int(s, 6);
		followed = db_int(s, 7) != 0;
	}
	db_done(s);
	if (rc == DB_ERR) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	if (rc != DB_ROW) return finish(d, forum_fail_en(e, FORUM_E_NOTFOUND, "no such thread, or it was deleted", "指定的主题不存在或已被删除。"), html, e);
	const char *why;
	if (!forum_can_reply(who, fid, closed, &why)) return finish(d, closed_refusal(e, who, fid, closed, FORUM_REPLY, why), html, e);
	struct credit_plan cp;
	int64_t credits = 0, gid = 0;
	if (credit_plan(d, who->uid, "reply", fid, now, &cp)) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	if ((rc = flood_stamp(d, who, now, 0, &cp, &credits, &gid, e))) return finish(d, rc, html, e);
	/* the rights again with the group the member row has in this transaction (the stamp's RETURNING, read
	   after any lock this job waited for), not the one the session had when the request was read */
	struct actor fresh = *who;
	if (!who->override && gid != who->groupid) {
		fresh.groupid = gid;
		if (!forum_can_reply(&fresh, fid, closed, &why))
			return finish(d, closed_refusal(e, &fresh, fid, closed, FORUM_REPLY, why), html, e);
	}
	who = &fresh;
	if (insert_post(d, tid, fid, *position, who->uid, author, now, format, in->body, rp->html, pid) ||
	    attach_scope_claim(d, *pid) ||
	    credit_planned(d, who->uid, &cp, "post", *pid, credits, gid, now) ||
	    notify_targets_refresh(d, &rp->nt) ||
	    notify_post(d, &(struct notify_post){who, fid, tid, *pid, op, opgroup, subject, author, !followed}, &rp->nt, now))
		return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	/* applied at COMMIT. A reply shows on the last page and in the counters (holes): the earlier pages
	   stay cached; one that opens a new page changes the pagers that reach the end (issue 16) */
	if ((*position - 1) % FORUM_FLOORS_PER_PAGE == 0) cachegen_bump_near(d, tid, fid, *position);
	else cachegen_bump_tail(d, tid, fid, *position);
	cachegen_event(d, CACHEGEN_EV_REPLY, tid, *position);   /* open thread pages: "有 N 条新回复" (issue #15) */
	return finish_counted(d, fid, tid, subject, author, now, 0, html, e);
}

int forum_new_reply(db *d, const struct actor *who, int64_t tid, const struct post_input *in, time_t now,
                    int64_t *pid, int64_t *position, struct forum_err *e) {
	struct reply_prep rp;
	int rc = forum_reply_prepare(d, NULL, who, in, &rp, e);
	return rc ? rc : forum_reply_apply(d, who, tid, in, &rp, now, pid, position, e);
}

/* ---- one post ----------------------------------------------------------- */

int forum_post_get(db *d, arena *a, int64_t pid, struct post_full *o) {
	db_stmt *s = db_prep(d, "SELECT p.pid, p.tid, p.fid, p.position, p.authorid, p.created, p.edited, p.deleted, "
	                        "t.typeid, t.closed, t.forbidreprint, p.author, p.source, p.format, p.html, t.subject, p.editor, "
	                        "b.name, b.types, b.requiretype, p.anonymous FROM post p JOIN thread t ON t.tid = p.tid "
	                        "JOIN board b ON b.fid = t.fid WHERE p.pid = $1 AND t.hidden = 0 AND b.hidden = 0");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		struct row r = row_of(s, a);
		memset(o, 0, sizeof *o);
		o->pid = row_int(&r);
		o->tid = row_int(&r);
		o->fid = row_int(&r);
		o->position = row_int(&r);
		o->authorid = row_int(&r);
		o->created = row_int(&r);
		o->edited = row_int(&r);
		o->deleted = row_int(&r);
		o->typeid = row_int(&r);
		o->closed = row_int(&r);
		o->forbidreprint = (int)row_int(&r);
		o->author = row_text(&r);
		o->source = row_text(&r);
		o->format = row_text(&r);
		o->html = row_text(&r);
		o->subject = row_text(&r);
		o->editor = row_text(&r);
		o->board.fid = o->fid;
		o->board.name = row_text(&r);
		forum_parse_types(a, &o->board, row_raw(&r));
		o->board.requiretype = (int)row_int(&r);
		o->anonymous = (int)row_int(&r);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* An excerpt of the floor's rendered HTML (markup/quote.h), so that a Markdown
   floor quoted into BBCode (or the reverse) keeps its links whole; with a link
   to the floor, as Discuz! writes it. */
const char *forum_quote(arena *a, const struct post_full *p, const char *format) {
	int md = format && !strcmp(format, "markdown");
	const char *when = timefmt_full(a, p->created);
	const char *author = p->anonymous ? ANON_NAME : p->author;   /* the quote is public text: 匿名 for everyone */
	buf ex;
	buf_init(&ex, 0);
	quote_excerpt(&ex, p->html, strlen(p->html), md ? QUOTE_MARKDOWN : QUOTE_BBCODE, FORUM_QUOTE_EXCERPT);
	buf b;
	buf_init(&b, 0);
	if (!md) {
		buf_appendf(&b, "[quote][size=2][url=/p/%lld][color=#999999]%s 发表于 %s[/color][/url][/size]\n",
		            (long long)p->pid, author, when);
		buf_append(&b, buf_cstr(&ex), ex.len);
		buf_puts(&b, "[/quote]\n");
	} else {
		buf_puts(&b, "> *[");
		quote_md_text(&b, author, strlen(author));
		buf_appendf(&b, " 发表于 %s](/p/%lld)*\n>", when, (long long)p->pid);
		/* every line of the excerpt inside the block quote */
		const char *x = buf_cstr(&ex);
		if (*x) buf_puts(&b, "\n> ");
		for (; *x; x++) {
			if (*x != '\n') { buf_putc(&b, *x); continue; }
			buf_puts(&b, x[1] && x[1] != '\n' ? "\n> " : "\n>");
		}
		buf_puts(&b, "\n\n");
	}
	const char *r = arena_strdup(a, buf_cstr(&b));
	buf_release(&ex);
	buf_release(&b);
	return r;
}

/* ---- edit, delete --------------------------------------------------------- */

/* the rights on an existing post (pure): edit or delete it */
int forum_may_change(const struct actor *who, const struct post_full *pf, enum forum_verb v, struct forum_err *e) {
	const char *why;
	if (pf->deleted)
		return fail(e, FORUM_E_NOTFOUND, v == FORUM_EDIT ? "该帖已被删除，不能编辑。" : "指定的帖子不存在或已被删除。");
	if (!forum_can_view(who, pf->fid, &why)) return fail(e, FORUM_E_FORBIDDEN, "%s", why);
	if (!forum_can_edit(who, pf->fid, pf->authorid))
		return fail(e, FORUM_E_FORBIDDEN, v == FORUM_EDIT ? "您只能编辑自己的帖子。" : "您只能删除自己的帖子。");
	if (!forum_closed_allows(who, pf->fid, (int)pf->closed, v, &why)) return closed_refusal(e, who, pf->fid, (int)pf->closed, v, why);
	return 0;
}

int forum_edit_post(db *d, const struct actor *who, const struct post_full *pf, const struct post_input *in, time_t now,
                    struct forum_err *e) {
	char *html = NULL;
	int rc;
	e->wait = 0;
	e->code = 0;
	if ((rc = forum_may_change(who, pf, FORUM_EDIT, e))) return rc;
	const char *format = in->format ? in->format : pf->format;
	if ((rc = forum_check_body(in->body, format, e))) return rc;
	int first = pf->position == 1;
	const char *subject = pf->subject;
	int64_t typeid = pf->typeid;
	int forbid = pf->forbidreprint;
	if (first && in->title) {
		if ((rc = forum_check_title(in->title, e))) return rc;
		subject = in->title;
	}
	if (first && in->forbidreprint >= 0) forbid = in->forbidreprint > 0;
	if ((rc = cook(d, format, in->body, &html, NULL, e))) return rc;   /* an edit links mentions, tells nobody */
	if (db_begin(d)) {
		free(html);
		return db_fail(d, e);
	}
	if (first && in->typeid >= 0) {
		if ((rc = check_type(d, pf->fid, in->typeid, pf->board.requiretype, e))) return finish(d, rc, html, e);
		typeid = in->typeid;
	}
	/* the version being replaced goes to the history, straight from the row */
	db_stmt *s = db_prep(d, "INSERT INTO post_history(pid, version, source, format, html, edited_by, edited_at) "
	                        "SELECT pid, (SELECT COALESCE(MAX(version), 0) + 1 FROM post_history WHERE pid = $1), "
	                        "source, format, html, CASE WHEN edited <> 0 THEN editor ELSE author END, "
	                        "CASE WHEN edited <> 0 THEN edited ELSE created END FROM post WHERE pid = $1 AND deleted = 0 "
	                        "AND tid IN (SELECT tid FROM thread WHERE hidden = 0) RETURNING pid");
	db_bind_int(s, 1, pf->pid);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_DONE) return finish(d, fail(e, FORUM_E_NOTFOUND, "该帖已被删除，不能编辑。"), html, e);
	if (rc != DB_ROW) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	s = db_prep(d, "UPDATE post SET source = $2, format = $3, html = $4, edited = $5, editor = $6 WHERE pid = $1");
	db_bind_int(s, 1, pf->pid);
	db_bind_text(s, 2, in->body, -1);
	db_bind_text(s, 3, format, -1);
	db_bind_text(s, 4, html, -1);
	db_bind_int(s, 5, now);
	db_bind_text(s, 6, who->name, -1);
	if (step_done(d, s) || attach_scope_claim(d, pf->pid)) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	if (first) {
		s = db_prep(d, "UPDATE thread SET subject = $2, typeid = $3, forbidreprint = $4 WHERE tid = $1");
		db_bind_int(s, 1, pf->tid);
		db_bind_text(s, 2, subject, -1);
		db_bind_int(s, 3, typeid);
		db_bind_int(s, 4, forbid);
		if (step_done(d, s)) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
		s = db_prep(d, "UPDATE board SET lastsubject = $3 WHERE fid = $1 AND lasttid = $2");
		db_bind_int(s, 1, pf->fid);
		db_bind_int(s, 2, pf->tid);
		db_bind_text(s, 3, subject, -1);
		if (step_done(d, s)) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);
	}
	if (search_index_post(d, pf->pid)) return finish(d, fail(e, FORUM_E_DB, FORUM_MSG_DB), html, e);   /* the index, in this transaction */
	cachegen_bump_thread(d, pf->tid, pf->fid);   /* applied at COMMIT */
	return finish(d, 0, html, e);
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

/* A visible thread leaves (sign -1) or joins (sign +1) board FID's counts: threads and its undeleted posts. */
int forum_thread_board_count(db *d, int64_t tid, int64_t fid, int sign) {
	db_stmt *s = db_prep(d, "UPDATE board SET threads = threads + $3, "
	                        "posts = posts + $3 * (SELECT COUNT(*) FROM post WHERE tid = $2 AND deleted = 0) WHERE fid = $1");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, tid);
	db_bind_int(s, 3, sign);
	return step_done(d, s);
}

/* The same for the members: the authors' post counts, the starter's thread count, then their credit totals. */
int forum_thread_member_count(db *d, int64_t tid, int64_t authorid, int sign) {
	db_stmt *s = db_prep(d, "UPDATE member SET posts = posts + $2 * (SELECT COUNT(*) FROM post p WHERE p.tid = $1 "
	                        "AND p.deleted = 0 AND p.authorid = member.uid) "
	                        "WHERE uid IN (SELECT authorid FROM post WHERE tid = $1 AND deleted = 0)");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, sign);
	if (step_done(d, s)) return -1;
	s = db_prep(d, "UPDATE member SET threads = threads + $2 WHERE uid = $1");
	db_bind_int(s, 1, authorid);
	db_bind_int(s, 2, sign);
	if (step_done(d, s)) return -1;
	return credit_recount_thread(d, tid);   /* post counts are in the credit total */
}

int forum_delete_post(db *d, const struct actor *who, const struct post_full *pf, time_t now, int *thread_deleted,
                      struct forum_err *e) {
	int rc;
	e->wait = 0;
	e->code = 0;
	*thread_deleted = 0;
	if ((rc = forum_may_change(who, pf, FORUM_DELETE, e))) return rc;
	if (db_begin(d)) return db_fail(d, e);
	db_stmt *s;
	/* the guard, first: a post (or thread) deleted meanwhile is not counted out twice */
	if (pf->position == 1)
		s = db_prep(d, "UPDATE thread SET hidden = 1, hiddenat = $2 WHERE tid = $1 AND hidden = 0 RETURNING authorid");
	else
		s = db_prep(d, "UPDATE post SET deleted = 1 WHERE pid = $1 AND deleted = 0 RETURNING authorid");
	db_bind_int(s, 1, pf->position == 1 ? pf->tid : pf->pid);
	if (pf->position == 1) db_bind_int(s, 2, now);   /* when it went to the recycle bin */
	rc = db_step(s);
	int64_t t_author = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc == DB_DONE) return finish(d, fail(e, FORUM_E_NOTFOUND, "指定的帖子不存在或已被删除。"), NULL, e);
	if (rc != DB_ROW) return db_fail(d, e);
	if (pf->position == 1) {
		/* the whole thread goes: its undeleted posts leave the board's and their authors' counts */
		if (forum_thread_board_count(d, pf->tid, pf->fid, -1) || forum_thread_member_count(d, pf->tid, t_author, -1))
			return db_fail(d, e);
		if (forum_board_relast(d, pf->fid)) return db_fail(d, e);
		*thread_deleted = 1;
	} else {
		s = db_prep(d, "UPDATE thread SET replies = replies - 1, "
		               "lastpost = COALESCE((SELECT created FROM post WHERE tid = $1 AND deleted = 0 "
		               "ORDER BY position DESC LIMIT 1), lastpost), "
		               "lastposter = COALESCE((SELECT CASE WHEN anonymous <> 0 THEN '' ELSE author END FROM post "
		               "WHERE tid = $1 AND deleted = 0 "
		               "ORDER BY position DESC LIMIT 1), lastposter) WHERE tid = $1");
		db_bind_int(s, 1, pf->tid);
		if (step_done(d, s)) return db_fail(d, e);
		s = db_prep(d, "UPDATE board SET posts = posts - 1 WHERE fid = $1");
		db_bind_int(s, 1, pf->fid);
		if (step_done(d, s)) return db_fail(d, e);
		s = db_prep(d, "UPDATE member SET posts = posts - 1 WHERE uid = $1");
		db_bind_int(s, 1, pf->authorid);
		if (step_done(d, s)) return db_fail(d, e);
		if (credit_recount(d, pf->authorid)) return db_fail(d, e);
	}
	if (search_index_post(d, pf->pid)) return db_fail(d, e);   /* the index, in this transaction */
	cachegen_bump_thread(d, pf->tid, pf->fid);   /* applied at COMMIT */
	return finish(d, 0, NULL, e);
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
		struct row r = row_of(s, a);
		x->version = row_int(&r);
		x->edited_at = row_int(&r);
		x->source = row_text(&r);
		x->format = row_text(&r);
		x->html = row_text(&r);
		x->edited_by = row_text(&r);
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
