/*
** dz_extra: what the extra stages of import-discuz share (dz_attach.c,
** dz_react.c, dz_pm.c, dz_mod.c; the stages themselves are declared in
** import.h with the others).
**
** Several Discuz! tables have no unique key to page on (forum_ratelog,
** forum_memberrecommend, forum_threadmod, forum_hotreply_member by pid):
** dz_group_* pages on the DISTINCT values of a column instead (a keyset of
** up to IMP_BATCH values) and reads every row of the batch's range
** (prev, last] with a second query, so a value's rows never straddle two
** batches and --resume continues after the last value committed.
*/
#ifndef LOULAN_DZ_EXTRA_H
#define LOULAN_DZ_EXTRA_H
#include "import/import.h"

struct dz_group {
	struct imp_keyset k;          /* over SELECT DISTINCT col */
	struct imp_query q;           /* the batch's rows: (col > ? AND col <= ?) */
	struct imp_rows rows;
	int64_t lo, hi;               /* the batch's range (lo, hi] */
	int open;
};
/* Opens over TABLE (quoted, from imp_table) paged by COL: the rows are "SELECT COLS FROM TABLE WHERE
   COL > ? AND COL <= ? [AND WHERE_] ORDER BY COL[, ORDER]". key: the import_state key. 0 ok, -1. */
int dz_group_open(struct imp *im, struct dz_group *g, const char *key, const char *table, const char *col,
                  const char *cols, const char *where_, const char *order);
/* The next batch of values and their rows into g->rows (g->rows.n of them): 1, 0 at the end, -1. */
int dz_group_next(struct dz_group *g);
/* In the batch's transaction: import_state + COMMIT (imp_keyset_commit). */
int dz_group_commit(struct dz_group *g);
void dz_group_close(struct dz_group *g);

/* b reset to the concatenation of the pieces up to NULL (SQL text around table names from imp_table:
   no printf-built SQL); returns its text */
const char *dz_sql(buf *b, const char *first, ...) __attribute__((sentinel));

/* s cut to at most max characters (a copy in a when cut) */
const char *dz_cut(arena *a, const char *s, size_t max);

/* the pid of thread tid's first floor in the target (0: none, -1 error) */
int64_t dz_first_pid(struct imp *im, int64_t tid);
/* a member's name in the target ("" if none), in arena a */
const char *dz_member_name(struct imp *im, arena *a, int64_t uid);
#endif
