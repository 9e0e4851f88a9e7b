/*
** forum: the rules of the forum: boards, threads, floors, counters, users.
** Calls db/ only; knows nothing of HTTP or HTML. Rows are returned as plain
** structs allocated in the caller's arena.
*/
#ifndef LOULAN_FORUM_H
#define LOULAN_FORUM_H
#include "db/db.h"
#include "util/arena.h"
#include <stdint.h>
#include <time.h>

#define FORUM_THREADS_PER_PAGE 20
#define FORUM_FLOORS_PER_PAGE 10
#define FORUM_MAX_PAGE 1000000          /* page numbers above this are refused (400) */
#define FORUM_MAX_TYPES 32
#define FORUM_NAME_MAX 80               /* board/category names, characters */

/* ---- errors ------------------------------------------------------------ */
/* What went wrong: the one error type of forum/. code is a FORUM_E_* class
   (the page maps each class to its HTTP status), msg a sentence for the
   reader, wait the seconds to wait for FORUM_E_FLOOD. Functions return the
   code (0 ok) and fill *e. */
enum { FORUM_OK = 0, FORUM_E_INVALID = -1, FORUM_E_TOOBIG = -2, FORUM_E_FORBIDDEN = -3, FORUM_E_NOTFOUND = -4,
       FORUM_E_FLOOD = -5, FORUM_E_DB = -6, FORUM_E_TAKEN = -7 /* a unique name or key is already used */ };
struct forum_err { int code; int wait; char msg[512]; };
/* sets e (code, formatted msg) and returns code */
int forum_fail(struct forum_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define FORUM_MSG_DB "数据库暂时不可用，请稍后再试。"

/* ---- site settings (setting table), cached per process --------------- */
struct site {
	char *name, *timezone, *footer_links, *icp, *police_filing, *copyright, *description, *cookie_secure, *flood_seconds;
	char *credit_names, *credit_show, *credit_formula;   /* see react.h */
	long tz_offset;          /* seconds east of UTC, now */
	char tz_label[32];       /* "GMT+8" */
	char *auth_raw[7];       /* the auth.* settings as stored, in site_keys order */
	/* auth.*: positive integers */
	int64_t login_max_failures, login_window, login_max_failures_ip, register_max, register_window, session_ttl,
	        session_ttl_remember;
};
int site_load(db *d);                    /* (re)reads settings into the process cache */
const struct site *site_get(void);
int site_setting_valid(const char *key); /* 1 if KEY is a known setting */
int site_config_set(db *d, const char *key, const char *value, struct forum_err *e);
int site_config_get(db *d, const char *key, char **value);  /* malloc'd; 1 found, 0 not, -1 error */
void site_apply_timezone(const char *tz);

/* ---- user groups, cached per process ---------------------------------- */
enum { GROUP_ADMIN = 1, GROUP_SUPERMOD = 2, GROUP_MOD = 3, GROUP_BANNED_POST = 4, GROUP_BANNED_VISIT = 5,
       GROUP_GUEST = 7, GROUP_PENDING = 8, GROUP_MEMBER_FIRST = 10 };
struct group { int64_t gid; char *type, *title, *color; int stars; int64_t lower, higher; int allowvisit, allowpost, allowreply; };
int groups_load(db *d);
const struct group *group_get(int64_t gid);
int64_t group_for_credits(int64_t credits);   /* member group for a credit total */

/* ---- rows -------------------------------------------------------------- */
struct ttype { int64_t id; const char *name; };
struct board {
	int64_t fid, cid; const char *name, *description, *category;
	int64_t threads, posts, todayposts, todaydate, lastpost, lasttid;
	const char *lastsubject, *lastposter;
	struct ttype types[FORUM_MAX_TYPES]; int ntypes; int requiretype;
};
struct thread {
	int64_t tid, fid, typeid, authorid, created, lastpost, replies, views, sticky, digest, closed, maxposition;
	int forbidreprint;
	const char *subject, *author, *lastposter, *typename_;
	struct board board;
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
};

/* board list for the index: boards grouped by category order */
int forum_boards(db *d, arena *a, struct board **out, int *n);
int forum_board(db *d, arena *a, int64_t fid, struct board *b);   /* 1 found, 0 not, -1 err */
int64_t forum_board_count(db *d);   /* boards in the forum, hidden ones too; -1 on a database error */
const char *board_type_name(const struct board *b, int64_t typeid);
void forum_parse_types(arena *a, struct board *b, const char *s);   /* board.types "id|name\n" lines */

/* thread list: page by page; cursor or page number (see forum.c) */
struct thread_page { struct thread *rows; int n; int has_more, has_earlier; };
/* where a page starts: after (dir 1) or before (dir -1) the row with this key; dir 0 = by page number */
struct thread_cursor { int dir; int64_t sticky, lastpost, tid; };
int forum_threads(db *d, arena *a, int64_t fid, int64_t typeid, int page, const struct thread_cursor *cur,
                  struct thread_page *out);

int forum_thread(db *d, arena *a, int64_t tid, struct thread *t); /* 1 found, 0 not, -1 err */
/* floors in [from, to] by position; author > 0 filters and pages by cursor */
int forum_floors(db *d, arena *a, int64_t tid, int64_t from, int64_t to, struct post **out, int *n);
int forum_floors_by(db *d, arena *a, int64_t tid, int64_t author, int64_t after, int limit, struct post **out, int *n);
int64_t forum_neighbour(db *d, int64_t tid, int dir);     /* next/prev thread in the board, 0 none */
int64_t forum_today(time_t now);                          /* yyyymmdd in site time */

/* ---- view counters: in memory, flushed in batches --------------------- */
void views_init(void);
void views_add(int64_t tid);
int64_t views_pending(int64_t tid);
int views_flush(db *d);                    /* writes pending views; 0 ok */

/* ---- categories and boards (write.c) ------------------------------------ */
int forum_category_add(db *d, const char *name, int64_t *cid);
int forum_category_find(db *d, const char *name, int64_t *cid);   /* 1 found */
int forum_board_add(db *d, int64_t cid, const char *name, const char *desc, const char *types_csv, int64_t *fid,
                    struct forum_err *e);
/* The one way forum/ turns a post's source into HTML: malloc'd sanitized
   HTML in *html, 0 ok. Called before any write transaction opens. */
int forum_cook(const char *format, const char *source, char **html);
/* Renders every post and saved edit again from its source and stores the HTML
   where it changed (after a renderer change; `loulan rerender`). Works in
   batches of FORUM_RERENDER_BATCH rows, one transaction each; bumps the site
   generation if anything changed. *seen and *changed get the counts. 0 ok. */
#define FORUM_RERENDER_BATCH 200
int forum_rerender(db *d, int64_t *seen, int64_t *changed, struct forum_err *e);
int forum_board_relast(db *d, int64_t fid);   /* recompute a board's last post from its threads; 0 ok */

/* ---- users ------------------------------------------------------------- */
#define USER_NAME_MIN 2
#define USER_NAME_MAX 15
#define USER_PASSWORD_MIN 8
#define USER_PASSWORD_MAX 128
#define USER_EMAIL_MAX 100
int user_name_key(const char *name, char *out, size_t cap);  /* NFKC + case fold; -1 if invalid */
/* 0 ok; else the code: FORUM_E_INVALID (a field check), FORUM_E_TAKEN (the
   name, by its NFKC case-folded key, is already used), FORUM_E_DB */
int user_add(db *d, const char *name, const char *email, const char *password, int admin, int64_t *uid,
             struct forum_err *e);
/* Field checks used by user_add and the registration form: 0 ok, else FORUM_E_INVALID with e->msg. */
int user_check_name(const char *name, struct forum_err *e);
int user_check_email(const char *email, int required, struct forum_err *e);
int user_check_password(const char *name, const char *password, struct forum_err *e);
int user_email_taken(db *d, const char *email);           /* 1 taken, 0 free, -1 error */

struct member {
	int64_t uid, groupid, regdate, lastvisit, posts, threads, credits;
	const char *name, *email;
};
int user_get(db *d, arena *a, int64_t uid, struct member *m);           /* 1 found, 0 not, -1 error */
int user_find(db *d, const char *name, int64_t *uid);                    /* by name key: 1 found */
int user_set_group(db *d, int64_t uid, int64_t groupid);
int user_touch(db *d, int64_t uid, time_t now);                          /* lastvisit */
/* 1 changed, 0 old password wrong, -1 error or new password refused (err set) */
int user_password_change(db *d, int64_t uid, const char *old, const char *new_pw, struct forum_err *e);

/* recent activity on the user space: newest threads and replies, each bounded */
#define USER_RECENT_MAX 10
struct user_item { int64_t tid, pid, fid, created; const char *subject; };
int user_recent(db *d, arena *a, int64_t uid, struct user_item **threads, int *nthreads, struct user_item **replies,
                int *nreplies);

int demo_create(db *d, const char *admin_password, struct forum_err *e);

/* ---- synthetic content for tests and benchmarks (gen.c) ---------------- */
#define GEN_MAX_BOARDS 1000
#define GEN_MAX_ROWS 100000000          /* threads, posts or --big floors */
#define GEN_USERS 200
struct gen_opts {
	int64_t boards, threads, posts;     /* posts include the threads' first floors */
	int64_t big;                        /* floors of one extra thread, 0 none */
	uint64_t seed;
	void (*progress)(void *ctx, int64_t done, int64_t total);  /* called often; may be NULL */
	void *ctx;
};
struct gen_stats { int64_t boards, threads, posts, users, first_tid, big_tid; };
int forum_gen(db *d, const struct gen_opts *o, struct gen_stats *st, struct forum_err *e);
int site_init_defaults(db *d);

/* ---- authentication (user.c) -------------------------------------------- */
#define LOGIN_MAX 100   /* username or email as typed */
/* 1 match (uid set), 0 wrong login or password (which one is not told), -1 error */
int user_authenticate(db *d, const char *login, const char *password, int64_t *uid);

/* ---- posting: the rules for new threads, replies, edits, deletes (posting.c) ---- */
#define FORUM_TITLE_MAX 80              /* thread titles, characters */
#define FORUM_BODY_MAX (64 * 1024)      /* post source, bytes (413 above) */
#define FORUM_QUOTE_EXCERPT 100         /* characters of a quoted floor */
#define FORUM_FLOOD_DEFAULT 15          /* seconds between a member's posts (post.flood_seconds) */

/* who is acting. override: an operator at the console (`loulan post
   --as-admin`, the demo): group and board permissions, closed threads and
   flood control do not apply to it. Web and API actors never have it. */
struct actor { int64_t uid, groupid; const char *name; int override; };
int forum_is_mod(int64_t groupid);                       /* groups 1, 2, 3 */
/* the moderator-only rule (report queue, revoking ratings, later moderation): moderators and the console */
int forum_may_moderate(const struct actor *who);
int forum_can_edit(const struct actor *who, int64_t authorid);   /* own post, or a moderator */
/* may start threads / reply on board fid (perm_check + closed threads); *why gets the reason */
int forum_can_post(const struct actor *who, int64_t fid, const char **why);
int forum_can_reply(const struct actor *who, int64_t fid, int closed, const char **why);
int forum_can_view_history(const struct actor *who, int64_t authorid);
/* the closed-thread rule: 1 if WHO may do V in a thread with this closed flag */
enum forum_verb { FORUM_REPLY = 0, FORUM_EDIT = 1, FORUM_DELETE = 2 };
int forum_closed_allows(const struct actor *who, int closed, enum forum_verb v, const char **why);
int forum_flood_seconds(void);

/* one post with its thread, for edit/quote/redirect; 1 found, 0 not (or its thread is hidden), -1 error */
struct post_full {
	int64_t pid, tid, fid, position, authorid, created, edited, deleted, typeid, closed;
	int forbidreprint;
	const char *author, *source, *format, *html, *subject, *editor;
	struct board board;      /* fid, name, types, requiretype */
};
struct post_input {
	const char *title;       /* new thread / edit of floor 1; NULL keeps it */
	const char *body, *format;  /* format NULL: bbcode */
	int64_t typeid;          /* -1: keep (edit) */
	int forbidreprint;       /* -1: keep (edit) */
};
int forum_check_title(const char *title, struct forum_err *e);
int forum_check_body(const char *body, const char *format, struct forum_err *e);
int forum_check_format(const char *format, struct forum_err *e);

int forum_new_thread(db *d, const struct actor *who, int64_t fid, const struct post_input *in, time_t now,
                     int64_t *tid, int64_t *pid, struct forum_err *e);
int forum_new_reply(db *d, const struct actor *who, int64_t tid, const struct post_input *in, time_t now,
                    int64_t *pid, int64_t *position, struct forum_err *e);
/* Edit and delete act on the post the caller has read (forum_post_get): the
   rights are decided on it, the row is changed under a guard (not deleted
   meanwhile). */
int forum_may_change(const struct actor *who, const struct post_full *pf, enum forum_verb v, struct forum_err *e);
int forum_edit_post(db *d, const struct actor *who, const struct post_full *pf, const struct post_input *in, time_t now,
                    struct forum_err *e);
int forum_delete_post(db *d, const struct actor *who, const struct post_full *pf, time_t now, int *thread_deleted,
                      struct forum_err *e);

int forum_post_get(db *d, arena *a, int64_t pid, struct post_full *out);
/* the quote block that opens a reply to P (Discuz! style), arena string */
const char *forum_quote(arena *a, const struct post_full *p);
int64_t forum_floor_page(int64_t position);

struct post_version { int64_t version, edited_at; const char *source, *format, *html, *edited_by; };
int forum_post_history(db *d, arena *a, int64_t pid, struct post_version **out, int *n);
int forum_board_require_type(db *d, int64_t fid, int on);
#endif
