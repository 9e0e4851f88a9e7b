/*
** read: the read side of the forum: boards, thread lists, threads, floors.
** Each function is one SQL statement; pages combine at most three.
*/
#include "forum/forum.h"
#include <stdlib.h>
#include <string.h>

int64_t forum_today(time_t now) {
	struct tm tm;
	localtime_r(&now, &tm);
	return (int64_t)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* types are stored on the board row as "id|name\n" lines (denormalised so
   the board and thread pages need no extra query) */
static void parse_types(arena *a, struct board *b, const char *s) {
	b->ntypes = 0;
	while (s && *s && b->ntypes < FORUM_MAX_TYPES) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		const char *bar = memchr(s, '|', len);
		if (bar) {
			b->types[b->ntypes].id = strtoll(s, NULL, 10);
			b->types[b->ntypes].name = arena_strndup(a, bar + 1, len - (size_t)(bar + 1 - s));
			b->ntypes++;
		}
		s = nl ? nl + 1 : NULL;
	}
}

void forum_parse_types(arena *a, struct board *b, const char *s) { parse_types(a, b, s); }

const char *board_type_name(const struct board *b, int64_t typeid) {
	for (int i = 0; i < b->ntypes; i++)
		if (b->types[i].id == typeid) return b->types[i].name;
	return NULL;
}

/* the first 13 columns of both board queries, in BOARD_COLS order */
#define BOARD_COLS "SELECT b.fid, b.cid, c.name, b.name, b.description, b.threads, b.posts, b.todayposts, " \
	"b.todaydate, b.lastpost, b.lasttid, b.lastsubject, b.lastposter"
static void board_row(arena *a, db_stmt *s, struct board *b) {
	memset(b, 0, sizeof *b);
	b->fid = db_int(s, 0);
	b->cid = db_int(s, 1);
	b->category = arena_strdup(a, db_text(s, 2));
	b->name = arena_strdup(a, db_text(s, 3));
	b->description = arena_strdup(a, db_text(s, 4));
	b->threads = db_int(s, 5);
	b->posts = db_int(s, 6);
	b->todayposts = db_int(s, 7);
	b->todaydate = db_int(s, 8);
	b->lastpost = db_int(s, 9);
	b->lasttid = db_int(s, 10);
	b->lastsubject = arena_strdup(a, db_text(s, 11));
	b->lastposter = arena_strdup(a, db_text(s, 12));
}

int forum_boards(db *d, arena *a, struct board **out, int *n) {
	db_stmt *s = db_prep(d, BOARD_COLS " FROM board b JOIN category c ON c.cid = b.cid WHERE b.hidden = 0 "
	                        "ORDER BY c.displayorder, c.cid, b.displayorder, b.fid");
	int cap = 16, rc;
	struct board *bs = arena_alloc(a, sizeof *bs * (size_t)cap);
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			struct board *nb = arena_alloc(a, sizeof *nb * (size_t)cap * 2);
			memcpy(nb, bs, sizeof *bs * (size_t)cap);
			bs = nb;
			cap *= 2;
		}
		board_row(a, s, &bs[(*n)++]);
	}
	db_done(s);
	*out = bs;
	return rc == DB_DONE ? 0 : -1;
}

int64_t forum_board_count(db *d) {
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM board");
	int64_t n = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return n;
}

int forum_board(db *d, arena *a, int64_t fid, struct board *b) {
	db_stmt *s = db_prep(d, BOARD_COLS ", b.types, b.requiretype "
	                        "FROM board b JOIN category c ON c.cid = b.cid WHERE b.fid = $1 AND b.hidden = 0");
	db_bind_int(s, 1, fid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		board_row(a, s, b);
		parse_types(a, b, db_text(s, 13));
		b->requiretype = (int)db_int(s, 14);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

void forum_thread_row(arena *a, db_stmt *s, int c, struct thread *t) {
	memset(t, 0, sizeof *t);
	t->tid = db_int(s, c);
	t->fid = db_int(s, c + 1);
	t->typeid = db_int(s, c + 2);
	t->subject = arena_strdup(a, db_text(s, c + 3));
	t->authorid = db_int(s, c + 4);
	t->author = arena_strdup(a, db_text(s, c + 5));
	t->created = db_int(s, c + 6);
	t->lastpost = db_int(s, c + 7);
	t->lastposter = arena_strdup(a, db_text(s, c + 8));
	t->replies = db_int(s, c + 9);
	t->views = db_int(s, c + 10) + views_pending(t->tid);
	t->sticky = db_int(s, c + 11);
	t->digest = db_int(s, c + 12);
	t->closed = db_int(s, c + 13);
}
static void thread_row(arena *a, db_stmt *s, struct thread *t) { forum_thread_row(a, s, 0, t); }

/*
** Thread lists are ordered by (sticky, lastpost, tid), all descending, on the
** index thread_list. Moving to the next or previous page is a keyset read
** from a cursor (the key of the last or first row shown), which costs the
** same on page 5,000 as on page 1. A list ordered by last reply has no stable
** position to store (every reply reorders it), so a page reached by its
** number alone -- an old Discuz! URL forum-N-P.html, a typed ?page=N, the
** numbered pager links -- is found by skipping entries of that index: the one
** place loulan skips rows, bounded by FORUM_MAX_PAGE, and never on the path
** a reader takes page by page.
*/
#define THREAD_COLS "SELECT tid, fid, typeid, subject, authorid, author, created, lastpost, lastposter, replies, " \
	"views, sticky, digest, closed FROM thread WHERE fid = $1 AND hidden = 0 AND (CAST($2 AS BIGINT) = 0 OR typeid = $2) "

int forum_threads(db *d, arena *a, int64_t fid, int64_t typeid, int page, const struct thread_cursor *cur,
                  struct thread_page *out) {
	db_stmt *s;
	int backward = cur && cur->dir < 0;
	if (cur && cur->dir > 0) {
		s = db_prep(d, THREAD_COLS "AND (sticky, lastpost, tid) < ($3, $4, $5) "
		               "ORDER BY sticky DESC, lastpost DESC, tid DESC LIMIT $6");
	} else if (backward) {
		s = db_prep(d, THREAD_COLS "AND (sticky, lastpost, tid) > ($3, $4, $5) "
		               "ORDER BY sticky, lastpost, tid LIMIT $6");
	} else {
		s = db_prep(d, THREAD_COLS "ORDER BY sticky DESC, lastpost DESC, tid DESC LIMIT $3 OFFSET $4");
	}
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, typeid);
	if (cur && cur->dir) {
		db_bind_int(s, 3, cur->sticky);
		db_bind_int(s, 4, cur->lastpost);
		db_bind_int(s, 5, cur->tid);
		db_bind_int(s, 6, FORUM_THREADS_PER_PAGE + 1);
	} else {
		db_bind_int(s, 3, FORUM_THREADS_PER_PAGE + 1);
		db_bind_int(s, 4, (int64_t)(page - 1) * FORUM_THREADS_PER_PAGE);
	}
	out->rows = arena_alloc(a, sizeof *out->rows * (FORUM_THREADS_PER_PAGE + 1));
	out->n = 0;
	out->has_more = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (out->n == FORUM_THREADS_PER_PAGE) { out->has_more = 1; continue; }
		thread_row(a, s, &out->rows[out->n++]);
	}
	db_done(s);
	if (backward) {
		/* read in ascending order: put it back, newest first; earlier pages exist when
		   more rows were there; later pages always do (we came from one) */
		for (int i = 0, j = out->n - 1; i < j; i++, j--) {
			struct thread t = out->rows[i];
			out->rows[i] = out->rows[j];
			out->rows[j] = t;
		}
		out->has_earlier = out->has_more;
		out->has_more = 1;
	} else {
		out->has_earlier = page > 1 || (cur && cur->dir > 0);
	}
	return rc == DB_DONE ? 0 : -1;
}

int forum_thread(db *d, arena *a, int64_t tid, struct thread *t) {
	db_stmt *s = db_prep(d, "SELECT t.tid, t.fid, t.typeid, t.subject, t.authorid, t.author, t.created, t.lastpost, "
	                        "t.lastposter, t.replies, t.views, t.sticky, t.digest, t.closed, t.maxposition, t.forbidreprint, "
	                        "b.name, b.types, b.cid, b.requiretype FROM thread t JOIN board b ON b.fid = t.fid "
	                        "WHERE t.tid = $1 AND t.hidden = 0 AND b.hidden = 0");
	db_bind_int(s, 1, tid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		thread_row(a, s, t);
		t->maxposition = db_int(s, 14);
		t->forbidreprint = (int)db_int(s, 15);
		t->board.fid = t->fid;
		t->board.name = arena_strdup(a, db_text(s, 16));
		parse_types(a, &t->board, db_text(s, 17));
		t->board.cid = db_int(s, 18);
		t->board.requiretype = (int)db_int(s, 19);
		t->typename_ = board_type_name(&t->board, t->typeid);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

#define FLOOR_COLS "SELECT p.pid, p.position, p.authorid, p.author, p.created, p.edited, p.editor, p.deleted, p.html, " \
	"p.format, m.uid, m.groupid, m.posts, m.threads, m.credits, m.regdate, " \
	"p.likes, p.support, p.oppose, p.likers, p.rates, m.ext1, m.ext2, m.ext3 FROM post p LEFT JOIN member m ON m.uid = p.authorid "

static int floor_rows(arena *a, db_stmt *s, int max, struct post **out, int *n) {
	struct post *ps = arena_alloc(a, sizeof *ps * (size_t)max);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < max) {
		struct post *p = &ps[(*n)++];
		memset(p, 0, sizeof *p);
		p->pid = db_int(s, 0);
		p->position = db_int(s, 1);
		p->authorid = db_int(s, 2);
		p->author = arena_strdup(a, db_text(s, 3));
		p->created = db_int(s, 4);
		p->edited = db_int(s, 5);
		p->editor = arena_strdup(a, db_text(s, 6));
		p->deleted = db_int(s, 7);
		p->html = arena_strdup(a, db_text(s, 8));
		p->format = arena_strdup(a, db_text(s, 9));
		p->author_exists = !db_isnull(s, 10);
		p->groupid = db_int(s, 11);
		p->a_posts = db_int(s, 12);
		p->a_threads = db_int(s, 13);
		p->a_credits = db_int(s, 14);
		p->a_regdate = db_int(s, 15);
		p->likes = db_int(s, 16);
		p->support = db_int(s, 17);
		p->oppose = db_int(s, 18);
		p->likers = arena_strdup(a, db_text(s, 19));
		p->rates = arena_strdup(a, db_text(s, 20));
		for (int i = 0; i < 3; i++) p->a_ext[i] = db_int(s, 21 + i);
	}
	db_done(s);
	*out = ps;
	return rc == DB_ERR ? -1 : 0;
}

int forum_floors(db *d, arena *a, int64_t tid, int64_t from, int64_t to, struct post **out, int *n) {
	db_stmt *s = db_prep(d, FLOOR_COLS "WHERE p.tid = $1 AND p.position BETWEEN $2 AND $3 ORDER BY p.position");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, from);
	db_bind_int(s, 3, to);
	return floor_rows(a, s, (int)(to - from + 1), out, n);
}

int forum_floors_by(db *d, arena *a, int64_t tid, int64_t author, int64_t after, int limit, struct post **out, int *n) {
	db_stmt *s = db_prep(d, FLOOR_COLS "WHERE p.tid = $1 AND p.authorid = $2 AND p.position > $3 "
	                        "ORDER BY p.position LIMIT $4");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, author);
	db_bind_int(s, 3, after);
	db_bind_int(s, 4, limit);
	return floor_rows(a, s, limit, out, n);
}

int64_t forum_neighbour(db *d, int64_t tid, int dir, int64_t *fid) {
	/* one row when tid exists (its board in *fid), with the neighbour's tid or NULL */
	db_stmt *s = dir > 0
		? db_prep(d, "SELECT c.fid, (SELECT t.tid FROM thread t WHERE t.fid = c.fid AND t.tid > $1 AND t.hidden = 0 "
		             "ORDER BY t.tid LIMIT 1) FROM thread c WHERE c.tid = $1 AND c.hidden = 0")
		: db_prep(d, "SELECT c.fid, (SELECT t.tid FROM thread t WHERE t.fid = c.fid AND t.tid < $1 AND t.hidden = 0 "
		             "ORDER BY t.tid DESC LIMIT 1) FROM thread c WHERE c.tid = $1 AND c.hidden = 0");
	db_bind_int(s, 1, tid);
	int64_t r = 0;
	*fid = 0;
	if (db_step(s) == DB_ROW) {
		*fid = db_int(s, 0);
		r = db_isnull(s, 1) ? 0 : db_int(s, 1);
	}
	db_done(s);
	return r;
}
