/*
** read: boards, thread lists, threads and floors as plain rows (read.c).
*/
#ifndef LOULAN_READ_H
#define LOULAN_READ_H
#include "forum/forum.h"

#define FORUM_THREADS_PER_PAGE 20
#define FORUM_FLOORS_PER_PAGE 10
#define FORUM_MAX_PAGE 1000000          /* page numbers above this are refused (400) */
#define FORUM_MAX_TYPES 32
#define FORUM_NAME_MAX 80               /* board/category names, characters */
#define FORUM_SUBBOARDS_MAX 64          /* sub-boards forum_board reads for a board page (more are not listed) */

/* ---- rows -------------------------------------------------------------- */
struct ttype { int64_t id; const char *name; };
struct board {
	int64_t fid, cid; const char *name, *description, *category;
	int64_t threads, posts, todayposts, todaydate, lastpost, lasttid;
	const char *lastsubject, *lastposter;
	struct ttype types[FORUM_MAX_TYPES]; int ntypes; int requiretype;
	int icon;                /* 0 none, else 1..FORUM_BOARD_ICONS (forum_board_icon) */
	const char *rules;       /* 版规, plain text (forum_board only; NULL elsewhere) */
	/* sub-boards (Discuz! type='sub', one level): parent = the board it is shown under, 0 for a board of its
	   category. forum_board and forum_thread also give the parent's name (NULL when none or hidden) and
	   forum_board the board's shown sub-boards (subs, nsubs; in display order; their own fields only). */
	int64_t parent;
	const char *parent_name;
	struct board *subs; int nsubs;
};
/* A board's icon is a choice from a fixed set (no URL, nothing uploaded): 1..FORUM_BOARD_ICONS
   give the glyph and its name, anything else NULL. */
#define FORUM_BOARD_ICONS 16
struct board_icon { const char *glyph, *name; };
const struct board_icon *forum_board_icon(int i);
struct thread {
	int64_t tid, fid, typeid, authorid, created, lastpost, replies, views, sticky, digest, closed, maxposition;
	int forbidreprint;
	const char *subject, *author, *lastposter, *typename_;
	struct board board;
	/* moderation (moderate.h): highlight = colour 1-8 | 16 bold; moved = a stub's target tid;
	   modnote = "name\taction\twhen" of the last action */
	int64_t highlight, moved;
	const char *modnote;
	int anonymous;           /* 匿名 (thread.anonymous): author shown to the board's moderators only (anon.h) */
};
struct post {
	int64_t pid, tid, position, authorid, created, edited, deleted;
	const char *author, *html, *editor, *format;
	/* author sidebar */
	int64_t groupid, a_posts, a_threads, a_credits, a_regdate;
	int author_exists;
	/* reactions, denormalised on the post row (see react.h) */
	int64_t likes, support, oppose, a_ext[3];
	const char *likers, *rates;
	int64_t banned, warned;   /* 屏蔽, 警告 (moderate.h) */
	const char *sig;          /* the author's signature HTML ("" without one; profile.h) */
	int anonymous;            /* 匿名 (post.anonymous): author shown to the board's moderators only (anon.h) */
	/* [hide] (issue 18): the source of a floor whose HTML left hidden content out (else NULL), and the
	   viewer's facts that open it, read by the floors query itself (the same on every row) */
	const char *hidesrc;
	int64_t viewer_replied, viewer_credits;
};

/* board list for the index: boards grouped by category order */
int forum_boards(db *d, arena *a, struct board **out, int *n);
int forum_board(db *d, arena *a, int64_t fid, struct board *b);   /* 1 found, 0 not, -1 err; subs too */
/* The index's tree, built in memory from forum_boards' rows (no query): each board whose parent is listed
   too (same category) becomes one of that parent's subs (tops[i].subs); the others are the tops, in order.
   A sub-board whose parent is not in the list (hidden, or left out by the caller) is a top itself. */
int forum_board_tree(arena *a, const struct board *bs, int n, struct board **tops);   /* returns how many tops */
int64_t forum_board_count(db *d);   /* boards in the forum, hidden ones too; -1 on a database error */
const char *board_type_name(const struct board *b, int64_t typeid);
void forum_parse_types(arena *a, struct board *b, const char *s);   /* board.types "id|name\n" lines */

/* thread list: page by page; cursor or page number (see forum.c) */
struct thread_page { struct thread *rows; int n; int has_more, has_earlier; };
/* where a page starts: after (dir 1) or before (dir -1) the row with this key; dir 0 = by page number */
struct thread_cursor { int dir; int64_t sticky, lastpost, tid; };
int forum_threads(db *d, arena *a, int64_t fid, int64_t typeid, int page, const struct thread_cursor *cur,
                  struct thread_page *out);
/* forum_threads in two halves, like forum_floors_send: the list depends only on the URL, so on
   PostgreSQL it travels with the board's own row in one round trip (db_send). */
struct threads_ahead { db_stmt *s; int page, dir; };
struct threads_ahead *forum_threads_send(db *d, arena *a, int64_t fid, int64_t typeid, int page,
                                         const struct thread_cursor *cur);
int forum_threads_read(arena *a, struct threads_ahead *t, struct thread_page *out);

int forum_thread(db *d, arena *a, int64_t tid, struct thread *t); /* 1 found, 0 not, -1 err */
/* a thread list row from r's next column on (forum/row.h): tid, fid, typeid, subject, authorid, author,
   created, lastpost, lastposter, replies, views, sticky, digest, closed (THREAD_COLS' order in read.c);
   the one thread-row reader, used by read.c and discover.c */
struct row;
void forum_thread_row(struct row *r, struct thread *t);
/* floors in [from, to] by position; author > 0 filters and pages by cursor; viewer (0: a guest) fills
   the rows' viewer_replied and viewer_credits for [hide] (forum_floor_html) */
int forum_floors(db *d, arena *a, int64_t tid, int64_t from, int64_t to, int64_t viewer, struct post **out, int *n);
/* forum_floors in two halves, so that on PostgreSQL the floors travel with the next statement (the
   thread's own row) in one round trip (db_send): send before reading the thread, read after checking
   it. A sent read that is never read is dropped by the statement's next use. */
struct floors_ahead { db_stmt *s; int64_t tid, from, to; };
struct floors_ahead *forum_floors_send(db *d, arena *a, int64_t tid, int64_t from, int64_t to, int64_t viewer);
int forum_floors_read(arena *a, struct floors_ahead *f, struct post **out, int *n);
int forum_floors_by(db *d, arena *a, int64_t tid, int64_t author, int64_t after, int limit, int64_t viewer,
                    struct post **out, int *n);
/* the HTML of floor f of board fid for viewer who at time now: f->html, or, for a floor with [hide]
   content that who may see (the author, the board's moderators, who replied, enough credits, old enough),
   its source rendered again with that content (bbcode_render_view). *varies = 1 when the HTML is not
   the stored one (the page is the viewer's own: not shared through the page cache) */
const char *forum_floor_html(arena *a, const struct actor *who, int64_t fid, const struct post *f, int64_t now, int *varies);
/* next/prev thread in tid's board, 0 none; *fid = tid's board, 0 when tid does not exist */
int64_t forum_neighbour(db *d, int64_t tid, int dir, int64_t *fid);
int64_t forum_today(time_t now);                          /* yyyymmdd in site time */
#endif
