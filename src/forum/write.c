/*
** write: creating categories, boards, threads and replies. Each write is one
** transaction; counters (thread, board, member) change inside it. Floor
** numbers come from thread.maxposition, incremented under the row's write
** lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the UPDATE's row lock), so they
** have no gaps and no duplicates however many replies arrive at once.
*/
#include "forum/forum.h"
#include "forum/attach.h"
#include "forum/cachegen.h"
#include "forum/react.h"
#include "markup/bbcode.h"
#include "markup/markdown.h"
#include "util/buf.h"
#include "util/die.h"
#include "util/text.h"
#include "util/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int forum_render(const char *format, const char *source, char **html) {
	buf b;
	buf_init(&b, 0);
	int rc = !strcmp(format, "markdown") ? markdown_render(&b, source, strlen(source))
	                                     : bbcode_render(&b, source, strlen(source));
	if (!rc && attach_scope_active()) attach_scope_list(&b);   /* attachments the text does not place */
	if (rc || b.err) {
		buf_release(&b);
		return -1;
	}
	*html = buf_detach(&b, NULL);
	return 0;
}

int forum_category_find(db *d, const char *name, int64_t *cid) {
	db_stmt *s = db_prep(d, "SELECT cid FROM category WHERE name = $1 ORDER BY cid LIMIT 1");
	db_bind_text(s, 1, name, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *cid = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int forum_category_add(db *d, const char *name, int64_t *cid) {
	db_stmt *s = db_prep(d, "INSERT INTO category(name, displayorder) "
	                        "VALUES ($1, (SELECT COALESCE(MAX(displayorder), 0) + 1 FROM category)) RETURNING cid");
	db_bind_text(s, 1, name, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *cid = db_int(s, 0);
	db_done(s);
	if (rc == DB_ROW) cachegen_bump_site(d);
	return rc == DB_ROW ? 0 : -1;
}

/* category, board and thread type names: visible, no unpaired bidi control (util/text.h) */
static int name_ok(const char *s, long max) {
	size_t len = strlen(s);
	long n = utf8_chars(s, len);
	return n >= 1 && n <= max && !strpbrk(s, "|\n\r\t") && text_visible(s, len) && text_bidi_paired(s, len);
}

int forum_board_add(db *d, int64_t cid, const char *name, const char *desc, const char *types_csv, int64_t *fid,
                    char *err, size_t errlen) {
	if (!name_ok(name, FORUM_NAME_MAX)) {
		snprintf(err, errlen, "board name must be 1-%d characters, visible, without | or line breaks or unpaired bidi controls", FORUM_NAME_MAX);
		return -1;
	}
	db_stmt *s = db_prep(d, "INSERT INTO board(cid, name, description, displayorder) "
	                        "VALUES ($1, $2, $3, (SELECT COALESCE(MAX(displayorder), 0) + 1 FROM board)) RETURNING fid");
	db_bind_int(s, 1, cid);
	db_bind_text(s, 2, name, -1);
	db_bind_text(s, 3, desc ? desc : "", -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *fid = db_int(s, 0);
	db_done(s);
	if (rc != DB_ROW) {
		snprintf(err, errlen, "cannot add board: %s", db_errmsg(d));
		return -1;
	}
	cachegen_bump_board(d, *fid);   /* applied at COMMIT */
	if (!types_csv || !*types_csv) return 0;
	buf types;
	buf_init(&types, 0);
	char *list = xstrdup(types_csv);
	int ntypes = 0;
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ') t++;
		if (!*t) continue;
		if (!name_ok(t, 20) || ++ntypes > FORUM_MAX_TYPES) {
			snprintf(err, errlen, "thread type names must be 1-20 characters, at most %d types", FORUM_MAX_TYPES);
			rc = DB_ERR;
			break;
		}
		s = db_prep(d, "INSERT INTO threadtype(fid, name, displayorder) VALUES ($1, $2, $3) RETURNING typeid");
		db_bind_int(s, 1, *fid);
		db_bind_text(s, 2, t, -1);
		db_bind_int(s, 3, ntypes);
		rc = db_step(s);
		if (rc == DB_ROW) buf_appendf(&types, "%lld|%s\n", (long long)db_int(s, 0), t);
		db_done(s);
		if (rc != DB_ROW) {
			snprintf(err, errlen, "cannot add thread type: %s", db_errmsg(d));
			break;
		}
	}
	free(list);
	if (rc == DB_ROW) {
		s = db_prep(d, "UPDATE board SET types = $2 WHERE fid = $1");
		db_bind_int(s, 1, *fid);
		db_bind_text(s, 2, buf_cstr(&types), -1);
		rc = db_step(s);
		db_done(s);
	}
	buf_release(&types);
	return rc == DB_DONE ? 0 : -1;
}

static int member_name(db *d, int64_t uid, char *name, size_t cap) {
	db_stmt *s = db_prep(d, "SELECT username FROM member WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) snprintf(name, cap, "%s", db_text(s, 0));
	db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

static int board_count_post(db *d, int64_t fid, int64_t tid, const char *subject, const char *poster, time_t when,
                            int newthread) {
	db_stmt *s = db_prep(d, "UPDATE board SET threads = threads + $2, posts = posts + 1, "
	                        "todayposts = CASE WHEN todaydate = $3 THEN todayposts + 1 ELSE 1 END, todaydate = $3, "
	                        "lastpost = $4, lasttid = $5, lastsubject = $6, lastposter = $7 WHERE fid = $1");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, newthread);
	db_bind_int(s, 3, forum_today(when));
	db_bind_int(s, 4, when);
	db_bind_int(s, 5, tid);
	db_bind_text(s, 6, subject, -1);
	db_bind_text(s, 7, poster, -1);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return -1;
	s = db_prep(d, "UPDATE member SET posts = posts + 1, threads = threads + $2 WHERE uid = (SELECT authorid FROM post "
	               "WHERE tid = $1 ORDER BY position DESC LIMIT 1)");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, newthread);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
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
	return rc == DB_ROW ? 0 : -1;
}

int forum_thread_add(db *d, int64_t fid, int64_t uid, int64_t typeid, const char *subject, const char *format,
                     const char *source, time_t when, int64_t *tid, int64_t *pid, char *err, size_t errlen) {
	char *html = NULL;
	char author[128];
	if (forum_render(format, source, &html)) {
		snprintf(err, errlen, "cannot render the post");
		return -1;
	}
	int rc = db_begin(d);
	if (rc) goto fail;
	if (member_name(d, uid, author, sizeof author)) {
		snprintf(err, errlen, "no such user");
		goto fail_noerr;
	}
	db_stmt *s = db_prep(d, "INSERT INTO thread(fid, typeid, subject, authorid, author, created, lastpost, lastposter, "
	                        "maxposition) VALUES ($1, $2, $3, $4, $5, $6, $6, $5, 1) RETURNING tid");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, typeid);
	db_bind_text(s, 3, subject, -1);
	db_bind_int(s, 4, uid);
	db_bind_text(s, 5, author, -1);
	db_bind_int(s, 6, when);
	rc = db_step(s);
	if (rc == DB_ROW) *tid = db_int(s, 0);
	db_done(s);
	if (rc != DB_ROW) goto fail;
	if (insert_post(d, *tid, fid, 1, uid, author, when, format, source, html, pid)) goto fail;
	if (attach_scope_claim(d, *pid)) goto fail;
	if (board_count_post(d, fid, *tid, subject, author, when, 1)) goto fail;
	if (credit_award(d, uid, "post", fid, "thread", *tid, when) < 0) goto fail;
	if (db_commit(d)) goto fail;
	cachegen_bump_thread(d, *tid, fid);
	free(html);
	return 0;
fail:
	snprintf(err, errlen, "cannot save the thread: %s", db_errmsg(d));
fail_noerr:
	db_rollback(d);
	free(html);
	return -1;
}

int forum_reply_add(db *d, int64_t tid, int64_t uid, const char *format, const char *source, time_t when,
                    int64_t *pid, int64_t *position, char *err, size_t errlen) {
	char *html = NULL;
	char author[128];
	if (forum_render(format, source, &html)) {
		snprintf(err, errlen, "cannot render the post");
		return -1;
	}
	if (db_begin(d)) goto fail;
	if (member_name(d, uid, author, sizeof author)) {
		snprintf(err, errlen, "no such user");
		goto fail_noerr;
	}
	db_stmt *s = db_prep(d, "UPDATE thread SET maxposition = maxposition + 1, replies = replies + 1, lastpost = $2, "
	                        "lastposter = $3 WHERE tid = $1 AND hidden = 0 RETURNING maxposition, fid, subject");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, when);
	db_bind_text(s, 3, author, -1);
	int rc = db_step(s);
	int64_t fid = 0;
	char subject[512] = "";
	if (rc == DB_ROW) {
		*position = db_int(s, 0);
		fid = db_int(s, 1);
		snprintf(subject, sizeof subject, "%s", db_text(s, 2));
	}
	db_done(s);
	if (rc == DB_DONE) {
		snprintf(err, errlen, "no such thread");
		goto fail_noerr;
	}
	if (rc != DB_ROW) goto fail;
	if (insert_post(d, tid, fid, *position, uid, author, when, format, source, html, pid)) goto fail;
	if (attach_scope_claim(d, *pid)) goto fail;
	if (board_count_post(d, fid, tid, subject, author, when, 0)) goto fail;
	if (credit_award(d, uid, "reply", fid, "post", *pid, when) < 0) goto fail;
	if (db_commit(d)) goto fail;
	cachegen_bump_thread(d, tid, fid);
	free(html);
	return 0;
fail:
	snprintf(err, errlen, "cannot save the reply: %s", db_errmsg(d));
fail_noerr:
	db_rollback(d);
	free(html);
	return -1;
}
