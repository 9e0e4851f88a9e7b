/*
** views: thread view counters held in memory and flushed in batches by the
** background thread (and at shutdown). The thread page shows the stored
** count plus this node's pending views.
*/
#include "forum/forum.h"
#include "forum/views.h"
#include "util/die.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define VIEWS_SLOTS 65536   /* distinct threads pending between flushes; more are flushed early */

struct slot { int64_t tid, n; };
static struct slot *g_tab;
static int g_used;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

void views_init(void) {
	pthread_mutex_lock(&g_mu);
	if (!g_tab) g_tab = xcalloc(VIEWS_SLOTS, sizeof *g_tab);
	pthread_mutex_unlock(&g_mu);
}

static struct slot *find(int64_t tid, int create) {
	uint64_t h = (uint64_t)tid * 0x9E3779B97F4A7C15ull;
	for (unsigned i = 0; i < VIEWS_SLOTS; i++) {
		struct slot *s = &g_tab[(h + i) & (VIEWS_SLOTS - 1)];
		if (s->tid == tid) return s;
		if (s->tid == 0) {
			if (!create || g_used >= VIEWS_SLOTS / 2) return NULL;
			s->tid = tid;
			g_used++;
			return s;
		}
	}
	return NULL;
}

void views_add(int64_t tid) {
	if (!g_tab || tid <= 0) return;
	pthread_mutex_lock(&g_mu);
	struct slot *s = find(tid, 1);
	if (s) s->n++;
	pthread_mutex_unlock(&g_mu);
	/* a full table is flushed by the background thread within seconds; views
	   arriving while it is full are dropped rather than blocking a page */
}

int64_t views_pending(int64_t tid) {
	if (!g_tab) return 0;
	pthread_mutex_lock(&g_mu);
	struct slot *s = find(tid, 0);
	int64_t n = s ? s->n : 0;
	pthread_mutex_unlock(&g_mu);
	return n;
}

int views_flush(db *d) {
	if (!g_tab) return 0;
	pthread_mutex_lock(&g_mu);
	if (!g_used) {
		pthread_mutex_unlock(&g_mu);
		return 0;
	}
	struct slot *snap = g_tab;
	int used = g_used;
	g_tab = xcalloc(VIEWS_SLOTS, sizeof *g_tab);
	g_used = 0;
	pthread_mutex_unlock(&g_mu);
	int rc = db_begin(d);
	for (unsigned i = 0; !rc && i < VIEWS_SLOTS; i++) {
		if (!snap[i].tid || !snap[i].n) continue;
		db_stmt *s = db_prep(d, "UPDATE thread SET views = views + $2 WHERE tid = $1");
		db_bind_int(s, 1, snap[i].tid);
		db_bind_int(s, 2, snap[i].n);
		if (db_step(s) != DB_DONE) rc = -1;
		db_done(s);
	}
	if (!rc) rc = db_commit(d);
	if (rc) {
		db_rollback(d);
		/* put the counts back so nothing is lost */
		pthread_mutex_lock(&g_mu);
		for (unsigned i = 0; i < VIEWS_SLOTS; i++)
			if (snap[i].tid && snap[i].n) {
				struct slot *s = find(snap[i].tid, 1);
				if (s) s->n += snap[i].n;
			}
		pthread_mutex_unlock(&g_mu);
	}
	(void)used;
	free(snap);
	return rc;
}
