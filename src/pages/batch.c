/*
** batch: the writer thread of group commit; see batch.h.
*/
#include "pages/batch.h"
#include "forum/posting.h"
#include "forum/search.h"
#include "util/die.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct job {
	struct job *next;
	page p;               /* the worker's page, viewer and form read */
	void (*fn)(page *);
	int sync, done;       /* batch_search_sync's: no page; its waiter is told when its batch committed */
};

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t g_done_cv = PTHREAD_COND_INITIALIZER;   /* a sync job is done */
static int64_t g_drained_ms;   /* the writer's: when search_pending was last drained */
static struct job *g_head, **g_tail = &g_head;
static int g_started, g_stop;
static pthread_t g_thread;
static uint64_t g_batches, g_jobs, g_undone, g_commit_failed;   /* atomic */

static int success(const req *r) { return r->status < 400; }   /* 0: not set, a 200 */

/* the job answers the one 503 of every database failure (its headers go: a flash cookie
   or a Location of a success) */
static void job_fail(page *p) {
	p->r->hdrs = NULL;
	page_db_unavailable(p);
}

/* runs one job in its savepoint level: 0, or -1 when the transaction is broken (the job answered) */
static int job_run(db *d, struct job *j) {
	if (j->sync) return 0;
	page *p = &j->p;
	p->db = d;
	p->site = site_get();
	db_queries_reset(d);
	if (db_savepoint(d)) {
		job_fail(p);
		return -1;
	}
	int mark = forum_counts_mark(d);
	j->fn(p);
	int rc = db_release(d);
	if (rc) {
		forum_counts_undo(d, mark);   /* its board and day counts go with it */
		__atomic_add_fetch(&g_undone, 1, __ATOMIC_RELAXED);
		if (success(p->r)) job_fail(p);   /* never a success for what was undone */
	}
	return rc < 0 ? -1 : 0;
}

static void answer(struct job *j) {
	if (j->sync) {   /* its waiter frees it */
		pthread_mutex_lock(&g_mu);
		j->done = 1;
		pthread_cond_broadcast(&g_done_cv);
		pthread_mutex_unlock(&g_mu);
		return;
	}
	http_resume(j->p.r);   /* the worker thread sends it; r is not ours any more */
	free(j);
}

static int64_t now_ms(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* SQLite's search_pending may have rows */
static int drain_waiting(db *d) { return d && db_kind(d) == DB_SQLITE && search_pending_any(); }
/* ... and a search asked, or SEARCH_DRAIN_MS went by */
static int drain_due(db *d, int asked) {
	return drain_waiting(d) && (asked || now_ms() - g_drained_ms >= SEARCH_DRAIN_MS);
}

/* jobs[0..n): as many transactions as it takes, normally one; n = 0: only the search index waiting */
static void run_batch(struct job **jobs, int n) {
	db *d = app_db();   /* the writer thread's own connection */
	int i = 0, asked = 0;
	for (int k = 0; k < n; k++) asked |= jobs[k]->sync;
	do {
		int start = i, broken = 0;
		if (!d || db_begin(d)) {
			g_drained_ms = now_ms();   /* an idle drain that cannot begin is tried again later, not in a loop */
			for (; i < n; i++) {
				if (!jobs[i]->sync) {
					jobs[i]->p.db = d;
					job_fail(&jobs[i]->p);
				}
				answer(jobs[i]);
			}
			break;
		}
		for (; i < n && !broken; i++) broken = job_run(d, jobs[i]) < 0;
		/* the board and day counters of the batch's new floors and the search index of its new posts, at
		   once (forum/posting.h, forum/search.h); then the one COMMIT (one
		   fsync); the tx hook applies the jobs' cache bumps and live events */
		int drain = drain_due(d, asked);
		int counted = forum_counts_flush(d), indexed = search_index_deferred(d);   /* both: each empties its notes */
		/* SQLite's search_pending: all of it when a search waits, else SEARCH_DRAIN_MAX; a failed drain is
		   undone alone (1) and the jobs commit */
		int drained = drain && !counted && !indexed ? search_drain(d, asked ? 0 : SEARCH_DRAIN_MAX) : 0;
		int failed = counted || indexed || drained < 0 ? (db_rollback(d), 1) : db_commit(d) != 0;
		if (drain) {
			g_drained_ms = now_ms();   /* after a failure too: tried again SEARCH_DRAIN_MS later, not at once */
			search_drain_done(!failed);
		}
		if (failed) {
			for (int k = start; k < i; k++)
				if (!jobs[k]->sync && success(jobs[k]->p.r)) {
					job_fail(&jobs[k]->p);
					__atomic_add_fetch(&g_commit_failed, 1, __ATOMIC_RELAXED);
				}
		}
		int ran = 0;   /* a search's sync job and a drain of its own are not writes */
		for (int k = start; k < i; k++) ran += !jobs[k]->sync;
		if (ran) {
			__atomic_add_fetch(&g_batches, 1, __ATOMIC_RELAXED);
			__atomic_add_fetch(&g_jobs, (uint64_t)ran, __ATOMIC_RELAXED);
		}
		for (int k = start; k < i; k++) answer(jobs[k]);
	} while (i < n);
}

static void *writer(void *arg) {
	(void)arg;
	pthread_setname_np(pthread_self(), "loulan-writer");   /* top -H, perf */
	if (app_db()) db_writer_setup(app_db());   /* a failure leaves SQLite's default: slower, not wrong */
	struct job *jobs[BATCH_MAX];
	g_drained_ms = now_ms();
	pthread_mutex_lock(&g_mu);
	for (;;) {
		/* idle: the search index waiting is made once SEARCH_DRAIN_MS went by */
		while (!g_head && !g_stop) {
			pthread_mutex_unlock(&g_mu);
			int waiting = drain_waiting(app_db()), due = waiting && drain_due(app_db(), 0);
			if (due) run_batch(jobs, 0);
			pthread_mutex_lock(&g_mu);
			if (due || g_head || g_stop) continue;
			if (!waiting) {
				pthread_cond_wait(&g_cv, &g_mu);
				continue;
			}
			struct timespec until;   /* g_cv waits on CLOCK_MONOTONIC (enqueue) */
			clock_gettime(CLOCK_MONOTONIC, &until);
			int64_t ns = until.tv_nsec + (int64_t)SEARCH_DRAIN_MS * 1000000 / 4;
			until.tv_sec += ns / 1000000000;
			until.tv_nsec = ns % 1000000000;
			pthread_cond_timedwait(&g_cv, &g_mu, &until);   /* woken, timed out or not: the loop looks again */
		}
		if (!g_head) break;
		int n = 0;
		while (g_head && n < BATCH_MAX) {
			jobs[n++] = g_head;
			g_head = g_head->next;
		}
		if (!g_head) g_tail = &g_head;
		pthread_mutex_unlock(&g_mu);
		run_batch(jobs, n);
		pthread_mutex_lock(&g_mu);
	}
	pthread_mutex_unlock(&g_mu);
	return NULL;
}

/* queues j (under g_mu), starting the writer with the first */
static void enqueue(struct job *j) {
	if (!g_started) {
		g_started = 1;
		/* the idle wait is timed: on the monotonic clock, so a wall-clock step does not stall it (nobody
		   waits on g_cv before the writer runs) */
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_destroy(&g_cv);
		pthread_cond_init(&g_cv, &ca);
		pthread_condattr_destroy(&ca);
		if (pthread_create(&g_thread, NULL, writer, NULL)) die("cannot start the writer thread");
	}
	*g_tail = j;
	g_tail = &j->next;
	pthread_cond_signal(&g_cv);
}

void batch_submit(const page *p, void (*fn)(page *)) {
	struct job *j = xmalloc(sizeof *j);
	j->next = NULL;
	j->p = *p;
	j->fn = fn;
	j->sync = j->done = 0;
	http_defer(p->r);   /* suspended before the writer can see it */
	pthread_mutex_lock(&g_mu);
	enqueue(j);
	pthread_mutex_unlock(&g_mu);
}

void batch_search_sync(void) {
	struct job *j = xcalloc(1, sizeof *j);
	j->sync = 1;
	pthread_mutex_lock(&g_mu);
	if (g_stop) {   /* the writer is gone or going: the rows wait for the next start */
		pthread_mutex_unlock(&g_mu);
		free(j);
		return;
	}
	enqueue(j);
	while (!j->done) pthread_cond_wait(&g_done_cv, &g_mu);
	pthread_mutex_unlock(&g_mu);
	free(j);
}

void batch_stop(void) {
	pthread_mutex_lock(&g_mu);
	int started = g_started;
	g_stop = 1;
	pthread_cond_signal(&g_cv);
	pthread_mutex_unlock(&g_mu);
	if (started) pthread_join(g_thread, NULL);
}

void batch_stats(struct batch_stats *s) {
	s->batches = __atomic_load_n(&g_batches, __ATOMIC_RELAXED);
	s->jobs = __atomic_load_n(&g_jobs, __ATOMIC_RELAXED);
	s->undone = __atomic_load_n(&g_undone, __ATOMIC_RELAXED);
	s->commit_failed = __atomic_load_n(&g_commit_failed, __ATOMIC_RELAXED);
}
