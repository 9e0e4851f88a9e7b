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

/* ---- site settings (settings.c): one table, typed snapshots ----------- */
/* A snapshot of every setting, parsed once per load into typed fields.
** Snapshots are never freed (a reload that changes nothing is discarded),
** so a reader keeps the pointer site_get() gave it for as long as it likes. */
#define CREDIT_TYPES 3
#define CREDIT_NAME_MAX 32          /* bytes of one credit type's name */
struct credit_names { char name[CREDIT_TYPES][CREDIT_NAME_MAX]; int n; };
struct attach_rules;
struct site {
	const char *name, *description, *timezone, *footer_links, *icp, *police_filing, *copyright;
	int64_t cookie_secure;   /* 1 behind an HTTPS proxy */
	/* auth.*: seconds and counts */
	int64_t login_max_failures, login_window, login_max_failures_ip, register_max, register_window, session_ttl,
	        session_ttl_remember, login_max_failures_device;
	int64_t flood_seconds;   /* post.flood_seconds; 0 off */
	const char *credit_names, *credit_show, *credit_formula;   /* see react.h */
	int64_t credit_coef[6];  /* credit.formula parsed: posts, threads, digestposts, ext1, ext2, ext3 */
	struct credit_names credit_cn;   /* credit.names parsed */
	unsigned credit_show_mask;       /* bit e: credit.show lists extcredit e */
	/* attach.*, blob.* (issue #13; forum/attach.h) */
	int64_t attach_max_size, attach_max_per_post, attach_max_pixels, attach_unused_ttl, attach_cache_bytes;
	const char *attach_daily_bytes, *attach_types, *attach_types_board, *attach_types_group;
	const char *blob_store, *blob_s3_endpoint, *blob_s3_bucket, *blob_s3_region, *blob_s3_key, *blob_s3_secret;
	struct attach_rules *attach_rules;   /* the four strings above parsed (attach.c) */
	long tz_offset;          /* seconds east of UTC, at load */
	char tz_label[32];       /* "GMT+8" */
	const char **raw;        /* every value as stored, in table order */
	const struct site *older;   /* the snapshot this one replaced (kept: readers may hold it) */
};
#define SETTING_MAX 4096         /* bytes of one value */
enum setting_type { SETTING_STR, SETTING_INT };
struct setting {
	const char *key;
	enum setting_type type;
	const char *def;         /* the default, as stored */
	int64_t lo, hi;          /* SETTING_INT: accepted range */
	size_t off;              /* offsetof(struct site, field) */
	/* extra validation of a value (NULL: none); 0 ok, else err filled */
	int (*check)(const char *v, char *err, size_t errlen);
	const char *help;
};
const struct setting *site_setting(size_t i);          /* i-th of the table; NULL past the end */
const struct setting *site_setting_find(const char *key);
int site_setting_valid(const char *key);                /* 1 if KEY is a known setting */
/* (Re)reads the settings into a new snapshot; publishes it when a value
** changed (*changed = 1; may be NULL). 0 ok, -1 database error. */
int site_reload(db *d, int *changed);
int site_load(db *d);                                   /* site_reload(d, NULL) */
const struct site *site_get(void);                     /* lock-free: an atomic pointer load */
int site_config_set(db *d, const char *key, const char *value, char *err, size_t errlen);
int site_config_get(db *d, const char *key, char **value);  /* malloc'd; 1 found, 0 not, -1 error */

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
/* next/prev thread in tid's board (its fid in *fid), 0 none */
int64_t forum_neighbour(db *d, int64_t tid, int dir, int64_t *fid);
int64_t forum_today(time_t now);                          /* yyyymmdd in site time */

/* ---- view counters: in memory, flushed in batches --------------------- */
void views_init(void);
void views_add(int64_t tid);
int64_t views_pending(int64_t tid);
int views_flush(db *d);                    /* writes pending views; 0 ok (one flusher at a time) */
void views_free(void);                     /* at exit, after the last flush */

/* ---- writes used by the CLI, demo and later the posting pages ---------- */
int forum_category_add(db *d, const char *name, int64_t *cid);
int forum_category_find(db *d, const char *name, int64_t *cid);   /* 1 found */
int forum_board_add(db *d, int64_t cid, const char *name, const char *desc, const char *types_csv, int64_t *fid,
                    char *err, size_t errlen);
int forum_thread_add(db *d, int64_t fid, int64_t uid, int64_t typeid, const char *subject, const char *format,
                     const char *source, time_t when, int64_t *tid, int64_t *pid, char *err, size_t errlen);
int forum_reply_add(db *d, int64_t tid, int64_t uid, const char *format, const char *source, time_t when,
                    int64_t *pid, int64_t *position, char *err, size_t errlen);
int forum_render(const char *format, const char *source, char **html);
/* Renders every post and saved edit again from its source and stores the HTML
   where it changed (after a renderer change; `loulan rerender`). Works in
   batches of FORUM_RERENDER_BATCH rows, one transaction each; bumps the site
   generation if anything changed. *seen and *changed get the counts. 0 ok. */
#define FORUM_RERENDER_BATCH 200
int forum_rerender(db *d, int64_t *seen, int64_t *changed, char *err, size_t errlen);
int forum_board_relast(db *d, int64_t fid);   /* recompute a board's last post from its threads; 0 ok */  /* malloc'd sanitized HTML */

/* ---- users ------------------------------------------------------------- */
#define USER_NAME_MIN 2
#define USER_NAME_MAX 15
#define USER_PASSWORD_MIN 8
#define USER_PASSWORD_MAX 128
#define USER_EMAIL_MAX 100
int user_name_key(const char *name, char *out, size_t cap);  /* NFKC + case fold; -1 if invalid */
int user_name_skeleton(const char *name, char *out, size_t cap); /* UTS #39 skeleton of the key; -1 if invalid */
int user_add(db *d, const char *name, const char *email, const char *password, int admin, int64_t *uid,
             char *err, size_t errlen);
/* Field checks used by user_add and the registration form: 0 ok, -1 with a readable err. */
int user_check_name(const char *name, char *err, size_t errlen);
int user_check_email(const char *email, int required, char *err, size_t errlen);
int user_check_password(const char *name, const char *password, char *err, size_t errlen);
int user_email_taken(db *d, const char *email);           /* 1 taken, 0 free, -1 error */
/* user_add's error when the name (its NFKC case-folded key or its look-alike skeleton) is already used */
#define USER_ERR_NAME_TAKEN "用户名已被使用"

struct member {
	int64_t uid, groupid, regdate, lastvisit, posts, threads, credits;
	const char *name, *email;
};
int user_get(db *d, arena *a, int64_t uid, struct member *m);           /* 1 found, 0 not, -1 error */
int user_find(db *d, const char *name, int64_t *uid);                    /* by name key: 1 found */
int user_set_group(db *d, int64_t uid, int64_t groupid);
int user_touch(db *d, int64_t uid, time_t now);                          /* lastvisit */
/* 1 changed, 0 old password wrong, -1 error or new password refused (err set) */
int user_password_change(db *d, int64_t uid, const char *old, const char *new_pw, char *err, size_t errlen);

/* recent activity on the user space: newest threads and replies, each bounded */
#define USER_RECENT_MAX 10
struct user_item { int64_t tid, pid, fid, created; const char *subject; };
int user_recent(db *d, arena *a, int64_t uid, struct user_item **threads, int *nthreads, struct user_item **replies,
                int *nreplies);

int demo_create(db *d, const char *admin_password, char *err, size_t errlen);

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
int forum_gen(db *d, const struct gen_opts *o, struct gen_stats *st, char *err, size_t errlen);
int site_init_defaults(db *d);

/* ---- authentication (user.c) -------------------------------------------- */
#define LOGIN_MAX 100   /* username or email as typed */
/* 1 match (uid set), 0 wrong login or password (which one is not told), -1 error */
int user_authenticate(db *d, const char *login, const char *password, int64_t *uid);
int user_login_uid(db *d, const char *login, int64_t *uid);  /* the member a login names: 1 found, 0 not, -1 error */

/* ---- posting: the rules for new threads, replies, edits, deletes (posting.c) ---- */
#define FORUM_TITLE_MAX 80              /* thread titles, characters */
#define FORUM_BODY_MAX (64 * 1024)      /* post source, bytes (413 above) */
#define FORUM_QUOTE_EXCERPT 100         /* characters of a quoted floor */
#define FORUM_FLOOD_DEFAULT 15          /* seconds between a member's posts (post.flood_seconds) */

/* What went wrong; the page maps each class to its HTTP status. */
enum { FORUM_OK = 0, FORUM_E_INVALID = -1, FORUM_E_TOOBIG = -2, FORUM_E_FORBIDDEN = -3, FORUM_E_NOTFOUND = -4,
       FORUM_E_FLOOD = -5, FORUM_E_DB = -6 };
struct forum_err { char msg[256]; int wait; /* FORUM_E_FLOOD: seconds to wait */ };

/* who is writing (the viewer) */
struct actor { int64_t uid, groupid; const char *name; };
int forum_is_mod(int64_t groupid);                       /* groups 1, 2, 3 */
int forum_can_edit(const struct actor *who, int64_t authorid);   /* own post, or a moderator */
/* may see board fid and everything in it (perm_check PERM_VIEW, no query): every read of a
   board's threads, posts, titles or names asks this first; *why (may be NULL) gets the reason */
int forum_can_view(const struct actor *who, int64_t fid, const char **why);
/* may start threads / reply on board fid (perm_check + closed threads); *why gets the reason */
int forum_can_post(const struct actor *who, int64_t fid, const char **why);
int forum_can_reply(const struct actor *who, int64_t fid, int closed, const char **why);
int forum_can_view_history(const struct actor *who, int64_t authorid);
int forum_flood_seconds(void);

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
int forum_edit_post(db *d, const struct actor *who, int64_t pid, const struct post_input *in, time_t now,
                    struct forum_err *e);
int forum_delete_post(db *d, const struct actor *who, int64_t pid, time_t now, int64_t *tid, int *thread_deleted,
                      struct forum_err *e);

/* one post with its thread, for edit/quote/redirect; 1 found, 0 not (or its thread is hidden), -1 error */
struct post_full {
	int64_t pid, tid, fid, position, authorid, created, edited, deleted, typeid, closed;
	int forbidreprint;
	const char *author, *source, *format, *html, *subject, *editor;
	struct board board;      /* fid, name, types, requiretype */
};
int forum_post_get(db *d, arena *a, int64_t pid, struct post_full *out);
/* the quote block that opens a reply to P (Discuz! style), arena string */
const char *forum_quote(arena *a, const struct post_full *p);
int64_t forum_floor_page(int64_t position);

struct post_version { int64_t version, edited_at; const char *source, *format, *html, *edited_by; };
int forum_post_history(db *d, arena *a, int64_t pid, struct post_version **out, int *n);
int forum_board_require_type(db *d, int64_t fid, int on);
#endif
