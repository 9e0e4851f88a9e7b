/*
** import: `loulan import-discuz`, a Discuz! X3.5 site (its MariaDB/MySQL
** database, read through libmariadb) into a loulan forum. May call db/,
** forum/, markup/, search/, util/ and libmariadb; never http/, pages/,
** render/ or cli/ (the command, src/cli/import.c, passes the options and the
** progress bar in).
**
** The run (imp_run): connect to the source with its charset, discover its
** tables (SHOW TABLES; only names built from the prefix and matching
** ^[A-Za-z0-9_]+$ are ever put into SQL, in backticks), check that the target
** is empty (or --resume), run the stages of imp_stages[] in order, print the
** verification report. Values only travel as bound parameters
** (mysql_stmt_*), tables are read by keyset (WHERE pk > ? ORDER BY pk LIMIT
** ?), never OFFSET.
**
** ---- Writing a stage ------------------------------------------------------
** A stage is one row of imp_stages[] (import.c): its name, which is also its
** key in the target's import_state table, and `int run(struct imp *im)`
** returning 0 or -1 (after imp_fail). The runner skips a stage whose
** import_state row says done = 1 and marks it done after run returns 0, so a
** stage only has to be resumable in itself. The pattern, for one source table
** (see the stages of dz_core.c for complete ones):
**
**   static int run_foo(struct imp *im) {
**       const char *t = imp_table(im, "forum_foo");        // "`pre_forum_foo`", NULL if the site has none
**       if (!t) return 0;
**       buf sql; buf_init(&sql, 0);
**       buf_puts(&sql, "SELECT fooid, name, dateline FROM "); buf_puts(&sql, t);
**       buf_puts(&sql, " WHERE fooid > ? ORDER BY fooid LIMIT ?");   // column 0 is the key
**       struct imp_keyset k;
**       int rc = imp_keyset_open(im, &k, "foo", buf_cstr(&sql), NULL);   // state key "foo"; NULL = "KL"
**       buf_release(&sql);
**       while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {   // a batch of up to IMP_BATCH rows
**           int n = rc;
**           for (int r = 0; r < n; r++) {                    // 1. convert and render, OUTSIDE any transaction
**               const char *name = imp_text(im, &k.rows, r, 1, DZ_ESCAPED);   // UTF-8, in the batch's arena
**               ...
**           }
**           rc = imp_begin(im);                               // 2. one target transaction per batch
**           for (int r = 0; r < n && !rc; r++) rc = ...db_prep/db_bind/db_step...;
**           if (!rc) rc = imp_keyset_commit(&k);              // 3. import_state(key, last key, rows) + COMMIT
**           else imp_rollback(im);
**       }
**       imp_keyset_close(&k);
**       return rc < 0 ? -1 : 0;
**   }
**
** imp_keyset_commit writes the stage's import_state row in the batch's own
** transaction, so after kill -9 at any moment, --resume reopens the keyset
** after the last committed key: nothing is doubled, nothing skipped. A stage
** that reads several tables (forum_post, forum_post_1, ...) opens one keyset
** per table with its own state key ("posts:forum_post_1"); a stage with no
** keyset (settings, counters) does its work in one transaction, which the
** runner's done mark follows. imp_progress() feeds the stage's progress bar;
** imp_report_*() add lines to the final report. What the importer prints
** (imp_fail, imp_warn, imp_report_*, the stage labels) is English; Chinese
** only in values from the data, in double quotes in notes, counts and list
** titles (tests: assertEnglishReport in tests/e2e/lib.mjs).
**
** Ids are kept (uid, fid, tid, pid, aid). imp_has(im, IMP_TID, tid) says
** whether a thread was imported (the sets are filled as stages write and
** refilled from the target on --resume), imp_group() maps a Discuz! groupid.
*/
#ifndef LOULAN_IMPORT_H
#define LOULAN_IMPORT_H
#include "db/db.h"
#include "import/dztext.h"
#include "util/arena.h"
#include "util/buf.h"
#include <stdint.h>
#include <stdio.h>

#define IMP_BATCH 5000            /* source rows per batch = per target transaction */
#define IMP_TABLE_MAX 64          /* bytes of a table name (MySQL's limit) */
#define IMP_TABLES_MAX 4096       /* tables of the source database considered */
#define IMP_KEY_MAX 128           /* bytes of an import_state key */
#define IMP_URL_MAX 1024          /* bytes of --from */
#define IMP_COL_MAX (64u << 20)   /* bytes of one source value (a longtext would be cut here) */
#define IMP_SAMPLE 20             /* posts and members compared in the report */
#define IMP_REPORT_LIST 50        /* lines of one list in the report (missing files ...) */
#define IMP_REPORT_LISTS 32       /* lists in the report (the stages name about 16); past it, a note says what was left out */

struct imp;

/* ---- reading the source --------------------------------------------------- */
struct imp_rows {                 /* one batch of result rows, every column as bytes */
	int n, ncols, cap;
	char **v;                     /* v[row * ncols + col]: NUL-terminated, NULL for SQL NULL */
	size_t *len;
	arena a;                      /* the batch's memory: values and imp_text() results */
};
struct imp_query {                /* a prepared source statement */
	struct imp *im;
	void *stmt;                   /* MYSQL_STMT */
	int nparams, ncols;
	void *bind;                   /* MYSQL_BIND[ncols] of the result */
	char **bufs;
	unsigned long *lens, *caps;
	char *nulls, *errs;
};
/* Prepares SQL (? markers; table names from imp_table only). 0 ok, -1 (imp_fail called). */
int imp_prepare(struct imp *im, struct imp_query *q, const char *sql);
/* Runs it with integer parameters and reads every row into rows (reset first): rows or -1. */
int imp_exec(struct imp_query *q, const int64_t *params, int nparams, struct imp_rows *rows);
void imp_query_close(struct imp_query *q);
void imp_rows_init(struct imp_rows *r);
void imp_rows_free(struct imp_rows *r);
/* One-shot: prepares, runs, closes. rows or -1. */
int imp_select(struct imp *im, const char *sql, const int64_t *params, int nparams, struct imp_rows *rows);
int64_t imp_count(struct imp *im, const char *sql);   /* the first column of the first row (COUNT(*)); -1 on error */
int64_t imp_count_of(struct imp *im, const char *table, const char *expr);   /* SELECT EXPR FROM TABLE (imp_count) */

int64_t imp_int(const struct imp_rows *r, int row, int col);                  /* 0 for NULL or non-numeric */
const char *imp_raw(const struct imp_rows *r, int row, int col, size_t *len); /* source bytes; "" for NULL */
/* the value as UTF-8 (charset converted, entities per mode DZ_RAW / DZ_ESCAPED, repaired), in r's arena */
const char *imp_text(struct imp *im, struct imp_rows *r, int row, int col, int mode);
/* any source bytes as UTF-8 into arena a (a string from a PHP serialized value, ...) */
const char *imp_conv(struct imp *im, arena *a, const char *s, size_t n, int mode);

/* "`pre_NAME`" if the source has the table PREFIX+NAME, else NULL. imp_uctable: the UCenter table
   (UC prefix, which may name another database: "`ucenter`.`uc_members`"). Static strings of the run. */
const char *imp_table(struct imp *im, const char *name);
const char *imp_uctable(struct imp *im, const char *name);
/* NAME and its split tables NAME_1, NAME_2 ... (digits only: forum_post_N, not forum_post_tableid), quoted,
   NAME first then by number; n in *n. Static for the run. */
const char *const *imp_tables_split(struct imp *im, const char *name, int *n);

/* ---- keyset reading with resume -------------------------------------------- */
struct imp_keyset {
	struct imp *im;
	struct imp_query q;
	struct imp_rows rows;
	char key[IMP_KEY_MAX];        /* import_state key */
	char pattern[16];             /* the parameters: K = the last key, L = the batch size */
	int64_t last;                 /* the key of the last row committed (or read, before the commit) */
	int64_t nrows, total;         /* rows committed so far; total for the progress bar (-1 unknown) */
	int done;                     /* the state said done: next() returns 0 at once */
};
/* Opens a keyset over SQL whose column 0 is the (increasing, unique) key, resuming from import_state KEY.
   pattern: the order of its ? parameters ("KL" when NULL; e.g. "KLKLL" for a UNION of two keysets).
   0 ok, -1. */
int imp_keyset_open(struct imp *im, struct imp_keyset *k, const char *key, const char *sql, const char *pattern);
int imp_keyset_next(struct imp_keyset *k);    /* the next batch into k->rows: rows, 0 at the end, -1 */
int imp_batch(void);                          /* rows per batch: IMP_BATCH (tests make it smaller) */
/* Inside the batch's transaction: import_state(key) = the batch's last key and the row count, then
   COMMIT. 0 ok, -1 (rolled back). Also moves the progress bar. */
int imp_keyset_commit(struct imp_keyset *k);
/* The two halves of next/commit for a stage that reads the next batch while it writes this one (a
   thread of its own: the source connection is then the reader's alone, and so is imp_text's converter):
   fetch the batch after key `after` into rows (rows or -1); commit a batch whose last key and row count
   the caller gives. */
int imp_keyset_fetch(struct imp_keyset *k, int64_t after, struct imp_rows *rows);
int imp_keyset_commit_at(struct imp_keyset *k, int64_t lastkey, int n);
/* Marks the keyset's state done (its own small transaction). */
int imp_keyset_finish(struct imp_keyset *k);
void imp_keyset_close(struct imp_keyset *k);

/* ---- the target ------------------------------------------------------------ */
db *imp_db(struct imp *im);
int imp_begin(struct imp *im);                /* db_begin; -1 with imp_fail */
int imp_commit(struct imp *im);
void imp_rollback(struct imp *im);
/* import_state rows: get (0 = none, 1 = found), put (inside a transaction) */
struct imp_state { int64_t lastkey, nrows; int done; char info[256]; };
int imp_state_get(struct imp *im, const char *key, struct imp_state *st);
int imp_state_put(struct imp *im, const char *key, const struct imp_state *st);

/* ids imported so far (filled by the stages; refilled from the target on --resume) */
enum imp_set { IMP_UID, IMP_FID, IMP_TID, IMP_PID, IMP_HIDDEN /* threads in the recycle bin */, IMP_NSETS };
int imp_has(struct imp *im, enum imp_set s, int64_t id);
void imp_mark(struct imp *im, enum imp_set s, int64_t id);
/* a Discuz! groupid as a loulan groupid (after the usergroups stage; unknown ids: the member band
   of credits, else 10) */
int64_t imp_group(struct imp *im, int64_t dz_groupid, int64_t credits);
void imp_group_map(struct imp *im, int64_t dz_groupid, int64_t loulan_groupid);   /* the usergroups stage */

/* ---- progress, errors, report ------------------------------------------------ */
void imp_progress(struct imp *im, int64_t done, int64_t total);
int imp_fail(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));   /* returns -1 */
void imp_warn(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));  /* a report line */
/* a table's rows on both sides in the report ("forum_post+3" / "post") */
void imp_report_count(struct imp *im, const char *what, int64_t source, int64_t target);
/* an entry of a named list in the report ("missing files"), at most IMP_REPORT_LIST shown, all counted */
void imp_report_list(struct imp *im, const char *list, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* the run's settings read from the source (after the settings stage) */
struct imp_site {
	int64_t timeoffset;           /* hours */
	char creditnames[8][64];      /* extcredits1..8 titles (UTF-8) */
};
struct imp_site *imp_site(struct imp *im);
const char *imp_attach_dir(struct imp *im);   /* --attachments DIR (data/attachment), or NULL */
const char *imp_authkey(struct imp *im);      /* --authkey or config_global's, or NULL */
const struct imp_opts *imp_opts(struct imp *im);   /* the command's options */

/* ---- the stage table ---------------------------------------------------------- */
struct imp_stage { const char *name; int (*run)(struct imp *im); const char *what; };
extern const struct imp_stage imp_stages[];
/* the core stages (dz_core.c) */
int dz_settings(struct imp *im);
int dz_settings_read(struct imp *im);   /* --resume: the time offset and credit names, nothing written */
int dz_usergroups(struct imp *im);
int dz_usergroups_map(struct imp *im);   /* --resume: only the group map, from the source */
int dz_members(struct imp *im);
int dz_boards(struct imp *im);
int dz_moderators(struct imp *im);
int dz_threads(struct imp *im);
int dz_posts(struct imp *im);
int dz_counters(struct imp *im);
int dz_search(struct imp *im);
int dz_verify(struct imp *im);
/* the extra stages (dz_attach.c, dz_react.c, dz_pm.c, dz_mod.c; their helpers in dz_extra.h) */
int dz_attachments(struct imp *im);
int dz_reactions(struct imp *im);
int dz_favorites(struct imp *im);
int dz_specials(struct imp *im);
int dz_pms(struct imp *im);
int dz_bans(struct imp *im);
int dz_ipbans(struct imp *im);
int dz_modlog(struct imp *im);
int dz_avatars(struct imp *im);   /* dz_avatar.c */

/* ---- the command ---------------------------------------------------------------- */
struct imp_opts {
	const char *from;             /* mysql://USER:PASS@HOST:PORT/DB (NULL: from discuz_root) */
	const char *prefix;           /* "pre_" (NULL: from discuz_root, else "pre_") */
	const char *uc_prefix;        /* "pre_ucenter_" or "`db`.uc_" (NULL: from discuz_root, else PREFIX "ucenter_") */
	const char *attachments, *authkey, *charset, *discuz_root;   /* each may be NULL */
	int resume;
	FILE *report;                 /* the verification report (stdout or --report FILE) */
	/* the progress bar: a stage begins (what it reads), moves, ends */
	void (*bar_begin)(void *ctx, const char *stage);
	void (*bar)(void *ctx, int64_t done, int64_t total);
	void (*bar_end)(void *ctx);
	void *bar_ctx;
	const char *avatars;          /* --avatars DIR (the one holding 000/...), may be NULL */
};
/* The whole import into d (migrated, defaults written). 0 ok, 1 refused (target not empty, bad options),
   -1 failed; the reason in err. */
int imp_run(db *d, const struct imp_opts *o, char *err, size_t errlen);
#endif
