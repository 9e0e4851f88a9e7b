/*
** views: thread view counters held in memory and flushed in batches by the
** background thread (and at shutdown). The thread page shows the stored
** count plus this node's pending views.
**
** The read path takes no lock (DESIGN.md): a view claims its thread's slot
** with a compare-and-swap and adds with an atomic increment. The flusher
** swaps in a fresh table, waits until no view is still inside the old one
** (the `active` count), then writes the old table's counts.
*/
#include "forum/forum.h"
#include "forum/views.h"
#include "util/die.h"
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VIEWS_SLOTS 65536   /* distinct threads pending between flushes; more are dropped until the flush */

/* A flush writes VIEWS_BATCH threads per statement (16 pairs of parameters of DB_MAX_PARAMS): on
   PostgreSQL each statement is a round trip plus the server's fixed cost per statement, about as much
   as the update itself (docs/SCALING.md); NULL pairs fill the last one. */
#define VIEWS_BATCH 16
_Static_assert(2 * VIEWS_BATCH <= DB_MAX_PARAMS, "a batch's parameters fit one statement");
#define VIEWS_PAIR(a, b) "CAST($" #a " AS BIGINT), CAST($" #b " AS BIGINT)"
#define VIEWS_BATCH_SQL                                                                                   \
	"UPDATE thread SET views = views + v.n FROM (SELECT CAST($1 AS BIGINT) AS tid, CAST($2 AS BIGINT) AS n " \
	"UNION ALL SELECT " VIEWS_PAIR(3, 4) " UNION ALL SELECT " VIEWS_PAIR(5, 6)                         \
	" UNION ALL SELECT " VIEWS_PAIR(7, 8) " UNION ALL SELECT " VIEWS_PAIR(9, 10)                       \
	" UNION ALL SELECT " VIEWS_PAIR(11, 12) " UNION ALL SELECT " VIEWS_PAIR(13, 14)                    \
	" UNION ALL SELECT " VIEWS_PAIR(15, 16) " UNION ALL SELECT " VIEWS_PAIR(17, 18)                    \
	" UNION ALL SELECT " VIEWS_PAIR(19, 20) " UNION ALL SELECT " VIEWS_PAIR(21, 22)                    \
	" UNION ALL SELECT " VIEWS_PAIR(23, 24) " UNION ALL SELECT " VIEWS_PAIR(25, 26)                    \
	" UNION ALL SELECT " VIEWS_PAIR(27, 28) " UNION ALL SELECT " VIEWS_PAIR(29, 30)                    \
	" UNION ALL SELECT " VIEWS_PAIR(31, 32) ") v WHERE thread.tid = v.tid"

struct slot { int64_t tid, n; };
struct vtab {
	struct slot *s;
	int used;     /* slots claimed */
	int active;   /* views adding to or reading this table right now */
	int64_t oldest;   /* when its first view arrived (0: none yet): the flush lag for /metrics */
};
static uint64_t g_flush_failures;
static struct vtab *g_cur;
/* the table being written by views_flush, until its transaction ended: a page
   rendered meanwhile reads the stored count without these views, so
   views_pending adds them (else the count dips for the length of a commit) */
static struct vtab *g_flushing;

static struct vtab *vtab_new(void) {
	struct vtab *t = xcalloc(1, sizeof *t);
	t->s = xcalloc(VIEWS_SLOTS, sizeof *t->s);
	return t;
}

static void vtab_free(struct vtab *t) {
	if (!t) return;
	free(t->s);
	free(t);
}

void views_init(void) {
	struct vtab *t = vtab_new(), *none = NULL;
	if (!__atomic_compare_exchange_n(&g_cur, &none, t, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) vtab_free(t);
}

/* the table in *slot (g_cur or g_flushing), marked active (leave when
   done), or NULL */
static struct vtab *enter_at(struct vtab **slot) {
	for (;;) {
		struct vtab *t = __atomic_load_n(slot, __ATOMIC_SEQ_CST);
		if (!t) return NULL;
		__atomic_add_fetch(&t->active, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(slot, __ATOMIC_SEQ_CST) == t) return t;
		__atomic_sub_fetch(&t->active, 1, __ATOMIC_SEQ_CST);   /* swapped meanwhile: use the new one */
	}
}

static struct vtab *enter(void) { return enter_at(&g_cur); }

static void leave(struct vtab *t) { __atomic_sub_fetch(&t->active, 1, __ATOMIC_SEQ_CST); }

/* tid's slot; with create, claims a free one (NULL when half the table is taken) */
static struct slot *find(struct vtab *t, int64_t tid, int create) {
	uint64_t h = (uint64_t)tid * 0x9E3779B97F4A7C15ull;
	for (unsigned i = 0; i < VIEWS_SLOTS; i++) {
		struct slot *s = &t->s[(h + i) & (VIEWS_SLOTS - 1)];
		int64_t cur = __atomic_load_n(&s->tid, __ATOMIC_SEQ_CST);
		if (cur == tid) return s;
		if (cur != 0) continue;
		if (!create || __atomic_load_n(&t->used, __ATOMIC_SEQ_CST) >= VIEWS_SLOTS / 2) return NULL;
		if (__atomic_compare_exchange_n(&s->tid, &cur, tid, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			__atomic_add_fetch(&t->used, 1, __ATOMIC_SEQ_CST);
			return s;
		}
		if (cur == tid) return s;   /* another view claimed it for the same thread */
	}
	return NULL;
}

void views_add(int64_t tid) {
	if (tid <= 0) return;
	struct vtab *t = enter();
	if (!t) return;
	struct slot *s = find(t, tid, 1);
	if (s) {
		__atomic_add_fetch(&s->n, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&t->oldest, __ATOMIC_RELAXED)) {
			int64_t zero = 0;
			__atomic_compare_exchange_n(&t->oldest, &zero, (int64_t)time(NULL), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		}
	}
	leave(t);
	/* a full table is flushed by the background thread within seconds; views
	   arriving while it is full are dropped rather than blocking a page */
}

static int64_t count_in(struct vtab *t, int64_t tid) {
	struct slot *s = t ? find(t, tid, 0) : NULL;
	return s ? __atomic_load_n(&s->n, __ATOMIC_SEQ_CST) : 0;
}

/* the current table's count plus the one being flushed (which the flusher
   publishes before it swaps, and cannot write while we hold the current one) */
int64_t views_pending(int64_t tid) {
	struct vtab *t = enter(), *f = enter_at(&g_flushing);
	int64_t n = count_in(t, tid) + (f && f != t ? count_in(f, tid) : 0);
	if (f) leave(f);
	if (t) leave(t);
	return n;
}

int views_flush(db *d) {
	struct vtab *old = __atomic_load_n(&g_cur, __ATOMIC_SEQ_CST);
	if (!old || !__atomic_load_n(&old->used, __ATOMIC_SEQ_CST)) return 0;
	struct vtab *fresh = vtab_new();
	__atomic_store_n(&g_flushing, old, __ATOMIC_SEQ_CST);   /* still counted until its commit */
	__atomic_store_n(&g_cur, fresh, __ATOMIC_SEQ_CST);   /* only the flusher swaps */
	while (__atomic_load_n(&old->active, __ATOMIC_SEQ_CST)) sched_yield();   /* views still in the old table */
	int rc = db_begin(d);
	for (unsigned i = 0; !rc && i < VIEWS_SLOTS;) {
		db_stmt *s = db_prep(d, VIEWS_BATCH_SQL);
		int k = 0;
		for (; i < VIEWS_SLOTS && k < VIEWS_BATCH; i++) {
			if (!old->s[i].tid || !old->s[i].n) continue;
			db_bind_int(s, 2 * k + 1, old->s[i].tid);
			db_bind_int(s, 2 * k + 2, old->s[i].n);
			k++;
		}
		if (k) {
			for (int j = k; j < VIEWS_BATCH; j++) db_bind_null(s, 2 * j + 1);   /* matches no thread */
			if (db_step(s) != DB_DONE) rc = -1;
		}
		db_done(s);
	}
	if (!rc) rc = db_commit(d);
	__atomic_store_n(&g_flushing, NULL, __ATOMIC_SEQ_CST);   /* stored now (or put back below) */
	if (rc) {
		db_rollback(d);
		__atomic_add_fetch(&g_flush_failures, 1, __ATOMIC_SEQ_CST);
		/* put the counts back so nothing is lost (and the lag keeps the oldest view's age) */
		struct vtab *t = enter();
		if (t) __atomic_store_n(&t->oldest, old->oldest, __ATOMIC_SEQ_CST);
		for (unsigned i = 0; t && i < VIEWS_SLOTS; i++)
			if (old->s[i].tid && old->s[i].n) {
				struct slot *s = find(t, old->s[i].tid, 1);
				if (s) __atomic_add_fetch(&s->n, old->s[i].n, __ATOMIC_SEQ_CST);
			}
		if (t) leave(t);
	}
	while (__atomic_load_n(&old->active, __ATOMIC_SEQ_CST)) sched_yield();   /* views_pending still reading it */
	vtab_free(old);
	return rc;
}

void views_stats(time_t now, struct views_stats *st) {
	memset(st, 0, sizeof *st);
	st->flush_failures = __atomic_load_n(&g_flush_failures, __ATOMIC_SEQ_CST);
	struct vtab *t = enter();
	if (!t) return;
	st->pending_threads = (uint64_t)__atomic_load_n(&t->used, __ATOMIC_SEQ_CST);
	int64_t oldest = __atomic_load_n(&t->oldest, __ATOMIC_SEQ_CST);
	st->lag_seconds = oldest && now > oldest ? (double)(now - oldest) : 0;
	leave(t);
}

void views_free(void) { vtab_free(__atomic_exchange_n(&g_cur, NULL, __ATOMIC_SEQ_CST)); }
