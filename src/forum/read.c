/*
** read: the read side of the forum: boards, thread lists, threads, floors.
** Each function is one SQL statement; pages combine at most three.
*/
#include "forum/forum.h"
#include "util/timefmt.h"
#include "forum/read.h"
#include "forum/rank.h"
#include "forum/views.h"
#include "forum/row.h"
#include "forum/moderate.h"
#include "markup/bbcode.h"
#include <stdlib.h>
#include <string.h>

int64_t forum_today(time_t now) { return timefmt_yyyymmdd(now); }

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

static const struct board_icon board_icons[FORUM_BOARD_ICONS] = {
	{"💬", "讨论"}, {"📢", "公告"}, {"📰", "新闻"}, {"💻", "技术"}, {"🎮", "游戏"}, {"🎵", "音乐"},
	{"📷", "摄影"}, {"📚", "读书"}, {"⚽", "体育"}, {"🍜", "美食"}, {"✈️", "旅行"}, {"🚗", "汽车"},
	{"💡", "创意"}, {"❓", "问答"}, {"🛒", "交易"}, {"🏠", "生活"},
};

const struct board_icon *forum_board_icon(int i) {
	return i >= 1 && i <= FORUM_BOARD_ICONS ? &board_icons[i - 1] : NULL;
}

/* the first 15 columns of both board queries, in BOARD_COLS order */
#define BOARD_COLS "SELECT b.fid, b.cid, c.name, b.name, b.description, b.threads, b.posts, b.todayposts, " \
	"b.todaydate, b.lastpost, b.lasttid, b.lastsubject, b.lastposter, b.icon, b.parent"
static void board_row(struct row *r, struct board *b) {
	memset(b, 0, sizeof *b);
	b->fid = row_int(r);
	b->cid = row_int(r);
	b->category = row_text(r);
	b->name = row_text(r);
	b->description = row_text(r);
	b->threads = row_int(r);
	b->posts = row_int(r);
	b->todayposts = row_int(r);
	b->todaydate = row_int(r);
	b->lastpost = row_int(r);
	b->lasttid = row_int(r);
	b->lastsubject = row_text(r);
	b->lastposter = row_text(r);
	b->icon = (int)row_int(r);
	b->parent = row_int(r);
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
		struct row r = row_of(s, a);
		board_row(&r, &bs[(*n)++]);
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

/* the board and its shown sub-boards in one statement: the board's row first */
int forum_board(db *d, arena *a, int64_t fid, struct board *b) {
	db_stmt *s = db_prep(d, BOARD_COLS ", b.types, b.requiretype, b.rules, pb.name "
	                        "FROM board b JOIN category c ON c.cid = b.cid LEFT JOIN board pb ON pb.fid = b.parent AND pb.hidden = 0 "
	                        "WHERE (b.fid = $1 OR b.parent = $1) AND b.hidden = 0 "
	                        "ORDER BY CASE WHEN b.fid = $1 THEN 0 ELSE 1 END, b.displayorder, b.fid");
	db_bind_int(s, 1, fid);
	int rc, found = 0, cap = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		struct row r = row_of(s, a);
		if (!found) {
			if (db_int(s, 0) != fid) continue;   /* the board itself is hidden: its subs are not read here */
			board_row(&r, b);
			parse_types(a, b, row_raw(&r));
			b->requiretype = (int)row_int(&r);
			b->rules = row_text(&r);
			b->parent_name = db_isnull(s, r.col) ? NULL : row_text(&r);
			found = 1;
			continue;
		}
		if (b->nsubs == FORUM_SUBBOARDS_MAX) continue;
		if (b->nsubs == cap) {
			cap = cap ? cap * 2 : 8;
			struct board *nb = arena_alloc(a, sizeof *nb * (size_t)cap);
			if (b->nsubs) memcpy(nb, b->subs, sizeof *nb * (size_t)b->nsubs);
			b->subs = nb;
		}
		board_row(&r, &b->subs[b->nsubs++]);
	}
	db_done(s);
	if (rc != DB_DONE) return -1;
	return found;
}

int forum_board_tree(arena *a, const struct board *bs, int n, struct board **tops) {
	struct board *t = arena_alloc(a, sizeof *t * (size_t)(n ? n : 1));
	int nt = 0;
	/* tops first (a parent precedes none of its subs necessarily: display order is per board) */
	for (int i = 0; i < n; i++) {
		int sub = 0;
		if (bs[i].parent)
			for (int j = 0; j < n; j++)
				if (bs[j].fid == bs[i].parent && bs[j].cid == bs[i].cid && !bs[j].parent) { sub = 1; break; }
		if (!sub) {
			t[nt] = bs[i];
			t[nt].subs = NULL;
			t[nt].nsubs = 0;
			nt++;
		}
	}
	for (int i = 0; i < n; i++) {
		if (!bs[i].parent) continue;
		for (int k = 0; k < nt; k++) {
			if (t[k].fid != bs[i].parent || t[k].cid != bs[i].cid || t[k].parent) continue;
			if (!t[k].subs) t[k].subs = arena_alloc(a, sizeof *t[k].subs * (size_t)n);
			t[k].subs[t[k].nsubs++] = bs[i];
			break;
		}
	}
	*tops = t;
	return nt;
}

void forum_thread_row(struct row *r, struct thread *t) {
	memset(t, 0, sizeof *t);
	t->tid = row_int(r);
	t->fid = row_int(r);
	t->typeid = row_int(r);
	t->subject = row_text(r);
	t->authorid = row_int(r);
	t->author = row_text(r);
	t->created = row_int(r);
	t->lastpost = row_int(r);
	t->lastposter = row_text(r);
	t->replies = row_int(r);
	t->views = row_int(r) + views_pending(t->tid);
	t->sticky = row_int(r);
	t->digest = row_int(r);
	t->closed = row_int(r);
	t->highlight = row_int(r);
	t->moved = row_int(r);
	t->modnote = row_text(r);
	t->anonymous = (int)row_int(r);   /* 匿名: the author is shown only to the board's moderators (anon.h) */
}

/*
** Thread lists are ordered by (sticky, lastpost, tid), all descending, on the
** index thread_board (fid, hidden, sticky, lastpost, tid, typeid). Moving to
** the next or previous page is a keyset read
** from a cursor (the key of the last or first row shown), which costs the
** same on page 5,000 as on page 1. A list ordered by last reply has no stable
** position to store (every reply reorders it), so a page reached by its
** number alone -- an old Discuz! URL forum-N-P.html, a typed ?page=N, the
** numbered pager links -- is found by skipping entries of that index: the one
** place loulan skips rows, bounded by FORUM_MAX_PAGE, and never on the path
** a reader takes page by page.
*/
#define THREAD_SEL "SELECT tid, fid, typeid, subject, authorid, author, created, lastpost, lastposter, replies, " \
	"views, sticky, digest, closed, highlight, moved, modnote, anonymous FROM thread "
/* the board's own threads, and (unfiltered lists only) the stickies of other boards that show here:
   level 3 everywhere, level 2 in the boards of their category (thread_sticky index). Each side is
   read in key order up to the limit, then merged: one query. */
#define THREAD_OWN "WHERE fid = $1 AND hidden = 0 AND (CAST($2 AS BIGINT) = 0 OR typeid = $2) "
#define THREAD_FOREIGN "WHERE sticky > 1 AND fid <> $1 AND hidden = 0 AND CAST($2 AS BIGINT) = 0 " \
	"AND (sticky = 3 OR fid IN (SELECT fid FROM board WHERE cid = (SELECT cid FROM board WHERE fid = $1))) " \
	"AND fid IN (SELECT fid FROM board WHERE hidden = 0) "
#define THREAD_MERGE(key, order, lim) "SELECT * FROM (SELECT * FROM (" THREAD_SEL THREAD_OWN key order lim ") o " \
	"UNION ALL SELECT * FROM (" THREAD_SEL THREAD_FOREIGN key order lim ") f) u " order
#define THREAD_DESC "ORDER BY sticky DESC, lastpost DESC, tid DESC "
#define THREAD_ASC "ORDER BY sticky, lastpost, tid "
/* A numbered page ($4 rows skipped, $3 shown) in one statement, costing about what page 1 costs (issue 16).
   Other boards' stickies all have sticky > 1, so every row of level 0 or 1 follows all of them: a page
   starting past the top of the list (TOP: the stickies of level > 1 of both sides) is the board's own
   list skipped by $4 minus the foreign stickies, walked on the covering index thread_board without
   reading a thread row until the page's own; a page within the top is the merge, as deep as the top.
   Each branch gets LIMIT 0 when it is not the one (a constant, evaluated once). */
#define THREAD_NFOREIGN "(SELECT count(*) FROM thread " THREAD_FOREIGN ")"
#define THREAD_TOP(own) "((SELECT count(*) FROM thread " own "AND sticky > 1) + " THREAD_NFOREIGN ")"
/* own: THREAD_OWN, or THREAD_OWN_ALL for the unfiltered list (SQLite cannot fold a bound $2 = 0, and
   testing typeid on each skipped entry tripled a deep page's cost) */
#define THREAD_OWN_ALL "WHERE fid = $1 AND hidden = 0 AND CAST($2 AS BIGINT) = 0 "
#define THREAD_NUMBERED(own)                                                                                     \
	"SELECT * FROM (" THREAD_SEL "WHERE tid IN (SELECT tid FROM thread " own THREAD_DESC                      \
	"LIMIT (SELECT CASE WHEN CAST($4 AS BIGINT) >= " THREAD_TOP(own) " THEN CAST($3 AS BIGINT) ELSE 0 END) " \
	"OFFSET (SELECT CASE WHEN CAST($4 AS BIGINT) > " THREAD_NFOREIGN " THEN CAST($4 AS BIGINT) - "         \
	THREAD_NFOREIGN " ELSE 0 END)) "                                                                          \
	"UNION ALL SELECT * FROM (" THREAD_MERGE("", THREAD_DESC,                                                \
	"LIMIT (SELECT CASE WHEN CAST($4 AS BIGINT) < " THREAD_TOP(own) " THEN CAST($5 AS BIGINT) ELSE 0 END)") \
	"LIMIT $3 OFFSET $4) r) x " THREAD_DESC

/* a numbered page past the stickies from its first row's key (forum/rank.h): the board's own rows only */
#define THREAD_FROM "SELECT * FROM (" THREAD_SEL THREAD_OWN "AND (sticky, lastpost, tid) <= ($3, $4, $5) " \
	THREAD_DESC "LIMIT $6) o "

int forum_thread_keys(db *d, int64_t fid, int64_t *nforeign, int (*each)(void *ctx, const struct rank_key *k),
                      void *ctx) {
	db_stmt *s = db_prep(d, "SELECT count(*) FROM thread " THREAD_FOREIGN);
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, 0);
	int rc = db_step(s);
	*nforeign = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc != DB_ROW) return -1;
	s = db_prep(d, "SELECT sticky, lastpost, tid FROM thread WHERE fid = $1 AND hidden = 0 " THREAD_DESC);
	db_bind_int(s, 1, fid);
	while ((rc = db_step(s)) == DB_ROW) {
		struct rank_key k = {db_int(s, 0), db_int(s, 1), db_int(s, 2)};
		if (each(ctx, &k)) break;
	}
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

/* prepares and binds the list's statement (forum_threads_read steps it) */
static db_stmt *threads_stmt(db *d, int64_t fid, int64_t typeid, int page, const struct thread_cursor *cur) {
	db_stmt *s;
	int backward = cur && cur->dir < 0;
	struct rank_key at;
	int ranked = (!cur || !cur->dir) && !typeid && rank_page_start(fid, page, &at);
	if (ranked) {
		s = db_prep(d, THREAD_FROM);
	} else if (cur && cur->dir > 0) {
		s = db_prep(d, THREAD_MERGE("AND (sticky, lastpost, tid) < ($3, $4, $5) ", THREAD_DESC, "LIMIT $6"));
	} else if (backward) {
		s = db_prep(d, THREAD_MERGE("AND (sticky, lastpost, tid) > ($3, $4, $5) ", THREAD_ASC, "LIMIT $6"));
	} else {
		s = typeid ? db_prep(d, THREAD_NUMBERED(THREAD_OWN)) : db_prep(d, THREAD_NUMBERED(THREAD_OWN_ALL));
	}
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, typeid);
	if (ranked) {
		db_bind_int(s, 3, at.sticky);
		db_bind_int(s, 4, at.lastpost);
		db_bind_int(s, 5, at.tid);
		db_bind_int(s, 6, FORUM_THREADS_PER_PAGE + 1);
	} else if (cur && cur->dir) {
		db_bind_int(s, 3, cur->sticky);
		db_bind_int(s, 4, cur->lastpost);
		db_bind_int(s, 5, cur->tid);
		db_bind_int(s, 6, FORUM_THREADS_PER_PAGE + 1);
	} else {
		db_bind_int(s, 3, FORUM_THREADS_PER_PAGE + 1);
		db_bind_int(s, 4, (int64_t)(page - 1) * FORUM_THREADS_PER_PAGE);
		db_bind_int(s, 5, (int64_t)page * FORUM_THREADS_PER_PAGE + 1);
	}
	return s;
}

struct threads_ahead *forum_threads_send(db *d, arena *a, int64_t fid, int64_t typeid, int page,
                                         const struct thread_cursor *cur) {
	struct threads_ahead *t = arena_alloc(a, sizeof *t);
	t->s = threads_stmt(d, fid, typeid, page, cur);
	t->page = page;
	t->dir = cur ? cur->dir : 0;
	db_send(t->s);
	return t;
}

int forum_threads(db *d, arena *a, int64_t fid, int64_t typeid, int page, const struct thread_cursor *cur,
                  struct thread_page *out) {
	struct threads_ahead t = {threads_stmt(d, fid, typeid, page, cur), page, cur ? cur->dir : 0};
	return forum_threads_read(a, &t, out);
}

int forum_threads_read(arena *a, struct threads_ahead *ta, struct thread_page *out) {
	db_stmt *s = ta->s;
	int page = ta->page, backward = ta->dir < 0;
	out->rows = arena_alloc(a, sizeof *out->rows * (FORUM_THREADS_PER_PAGE + 1));
	out->n = 0;
	out->has_more = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (out->n == FORUM_THREADS_PER_PAGE) { out->has_more = 1; continue; }
		struct row r = row_of(s, a);
		forum_thread_row(&r, &out->rows[out->n++]);
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
		out->has_earlier = page > 1 || ta->dir > 0;
	}
	return rc == DB_DONE ? 0 : -1;
}

int forum_thread(db *d, arena *a, int64_t tid, struct thread *t) {
	db_stmt *s = db_prep(d, "SELECT t.tid, t.fid, t.typeid, t.subject, t.authorid, t.author, t.created, t.lastpost, "
	                        "t.lastposter, t.replies, t.views, t.sticky, t.digest, t.closed, t.highlight, t.moved, t.modnote, t.anonymous, "
	                        "t.maxposition, t.forbidreprint, "
	                        "b.name, b.types, b.cid, b.requiretype, b.parent, c.name, pb.name "
	                        "FROM thread t JOIN board b ON b.fid = t.fid JOIN category c ON c.cid = b.cid "
	                        "LEFT JOIN board pb ON pb.fid = b.parent AND pb.hidden = 0 "
	                        "WHERE t.tid = $1 AND t.hidden = 0 AND b.hidden = 0");
	db_bind_int(s, 1, tid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		struct row r = row_of(s, a);
		forum_thread_row(&r, t);
		t->maxposition = row_int(&r);
		t->forbidreprint = (int)row_int(&r);
		t->board.fid = t->fid;
		t->board.name = row_text(&r);
		parse_types(a, &t->board, row_raw(&r));
		t->board.cid = row_int(&r);
		t->board.requiretype = (int)row_int(&r);
		t->board.parent = row_int(&r);
		t->board.category = row_text(&r);
		t->board.parent_name = db_isnull(s, r.col) ? NULL : row_text(&r);
		t->typename_ = board_type_name(&t->board, t->typeid);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* V: the viewer's placeholder. The last three columns are for [hide] (issue 18, bbcode.h): the source of a
   floor whose HTML left hidden content out (the notice's class can only come from the renderer: text is
   escaped), whether the viewer has a floor in the thread and the viewer's credits; the two subqueries
   name no column of p, so they are evaluated once, not per row */
#define FLOOR_COLS(V) "SELECT p.pid, p.position, p.authorid, p.author, p.created, p.edited, p.editor, p.deleted, p.html, " \
	"p.format, m.uid, m.groupid, m.posts, m.threads, m.credits, m.regdate, " \
	"p.likes, p.support, p.oppose, p.likers, p.rates, m.ext1, m.ext2, m.ext3, p.banned, p.warned, f.sig_html, " \
	"CASE WHEN p.html LIKE '%<div class=\"locked\">%' THEN p.source ELSE NULL END, " \
	"CASE WHEN EXISTS(SELECT 1 FROM post r WHERE r.tid = $1 AND r.authorid = " V " AND r.deleted = 0) THEN 1 ELSE 0 END, " \
	"COALESCE((SELECT c.credits FROM member c WHERE c.uid = " V "), 0), p.anonymous " \
	"FROM post p LEFT JOIN member m ON m.uid = p.authorid LEFT JOIN profile f ON f.uid = p.authorid "

static int floor_rows(arena *a, db_stmt *s, int max, struct post **out, int *n) {
	struct post *ps = arena_alloc(a, sizeof *ps * (size_t)max);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < max) {
		struct post *p = &ps[(*n)++];
		struct row r = row_of(s, a);
		memset(p, 0, sizeof *p);
		p->pid = row_int(&r);
		p->position = row_int(&r);
		p->authorid = row_int(&r);
		p->author = row_text(&r);
		p->created = row_int(&r);
		p->edited = row_int(&r);
		p->editor = row_text(&r);
		p->deleted = row_int(&r);
		p->html = row_text(&r);
		p->format = row_text(&r);
		p->author_exists = row_notnull(&r);   /* m.uid: NULL if the member is gone */
		p->groupid = row_int(&r);
		p->a_posts = row_int(&r);
		p->a_threads = row_int(&r);
		p->a_credits = row_int(&r);
		p->a_regdate = row_int(&r);
		p->likes = row_int(&r);
		p->support = row_int(&r);
		p->oppose = row_int(&r);
		p->likers = row_text(&r);
		p->rates = row_text(&r);
		for (int i = 0; i < 3; i++) p->a_ext[i] = row_int(&r);
		p->banned = row_int(&r);
		p->warned = row_int(&r);
		p->sig = row_text(&r);   /* the author's signature (profile.h): joined, no query per floor */
		p->hidesrc = db_isnull(s, r.col) ? (r.col++, NULL) : row_text(&r);
		p->viewer_replied = row_int(&r);
		p->viewer_credits = row_int(&r);
		p->anonymous = (int)row_int(&r);   /* 匿名 (anon.h) */
	}
	db_done(s);
	*out = ps;
	return rc == DB_ERR ? -1 : 0;
}

static db_stmt *floors_stmt(db *d, int64_t tid, int64_t from, int64_t to, int64_t viewer) {
	db_stmt *s = db_prep(d, FLOOR_COLS("$4") "WHERE p.tid = $1 AND p.position BETWEEN $2 AND $3 ORDER BY p.position");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, from);
	db_bind_int(s, 3, to);
	db_bind_int(s, 4, viewer > 0 ? viewer : -1);
	return s;
}

int forum_floors(db *d, arena *a, int64_t tid, int64_t from, int64_t to, int64_t viewer, struct post **out, int *n) {
	return floor_rows(a, floors_stmt(d, tid, from, to, viewer), (int)(to - from + 1), out, n);
}

struct floors_ahead *forum_floors_send(db *d, arena *a, int64_t tid, int64_t from, int64_t to, int64_t viewer) {
	struct floors_ahead *f = arena_alloc(a, sizeof *f);
	f->s = floors_stmt(d, tid, from, to, viewer);
	f->tid = tid;
	f->from = from;
	f->to = to;
	db_send(f->s);
	return f;
}

int forum_floors_read(arena *a, struct floors_ahead *f, struct post **out, int *n) {
	return floor_rows(a, f->s, (int)(f->to - f->from + 1), out, n);
}

int forum_floors_by(db *d, arena *a, int64_t tid, int64_t author, int64_t after, int limit, int64_t viewer,
                    struct post **out, int *n) {
	db_stmt *s = db_prep(d, FLOOR_COLS("$5") "WHERE p.tid = $1 AND p.authorid = $2 AND p.anonymous = 0 AND p.position > $3 "
	                        "ORDER BY p.position LIMIT $4");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, author);
	db_bind_int(s, 3, after);
	db_bind_int(s, 4, limit);
	db_bind_int(s, 5, viewer > 0 ? viewer : -1);
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

const char *forum_floor_html(arena *a, const struct actor *who, int64_t fid, const struct post *f, int64_t now, int *varies) {
	*varies = 0;
	if (!f->hidesrc || strcmp(f->format, "bbcode") || strchr(f->hidesrc, BBCODE_HIDE_BEGIN) || strchr(f->hidesrc, BBCODE_HIDE_END))
		return f->html;
	struct bbcode_view v = {
		.privileged = (who->uid && who->uid == f->authorid) || forum_can_moderate(who, fid),
		.replied = who->uid && f->viewer_replied,
		.credits = who->uid ? f->viewer_credits : 0,
		.age_days = now > f->created ? (now - f->created) / 86400 : 0,
	};
	buf view, out;
	buf_init(&view, 0);
	buf_init(&out, 0);
	const char *html = f->html;
	if (!bbcode_render_view(&view, f->hidesrc, strlen(f->hidesrc), &v)) {
		/* the k-th notice of the stored HTML <- the k-th marked segment of the view; any mismatch keeps them */
		const char *h = f->html, *seg = buf_cstr(&view);
		int ok = 1, changed = 0;
		for (;;) {
			const char *lk = strstr(h, BBCODE_LOCKED), *b = strchr(seg, BBCODE_HIDE_BEGIN);
			if (!lk || !b) { ok = !lk && !b; break; }
			const char *lend = strstr(lk, "</div>"), *e = strchr(b, BBCODE_HIDE_END);
			if (!lend || !e) { ok = 0; break; }
			lend += 6;
			buf_append(&out, h, (size_t)(lk - h));
			buf_append(&out, b + 1, (size_t)(e - b - 1));
			if ((size_t)(e - b - 1) != (size_t)(lend - lk) || memcmp(b + 1, lk, (size_t)(lend - lk))) changed = 1;
			h = lend;
			seg = e + 1;
		}
		buf_puts(&out, h);
		if (ok && changed && !out.err) {
			html = arena_strndup(a, out.data, out.len);
			*varies = 1;
		}
	}
	buf_release(&view);
	buf_release(&out);
	return html;
}
