/* rank: per-process page starts of boards' thread lists; see rank.h. */
#include "forum/rank.h"
#include "forum/cachegen.h"
#include "forum/read.h"
#include "util/die.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rank {
	int64_t fid;                 /* 0: a free slot */
	int want;                    /* a request found no current rank since the last build */
	int built;
	uint64_t gb, gs, ge;         /* the board's, the site's and the epoch's generations it was read under */
	int64_t used_ms, built_ms;
	int first_page, npages;      /* starts[i] is the first row of page first_page + i */
	struct rank_key *starts;
};

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static struct rank g_rank[RANK_BOARDS];
static size_t g_bytes;
static uint64_t g_pages;   /* pages started from a rank */

static int64_t now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void gens(int64_t fid, uint64_t g[3]) {
	g[0] = cachegen_get(CACHEGEN_BOARD, fid);
	g[1] = cachegen_get(CACHEGEN_SITE, 0);
	g[2] = cachegen_get(CACHEGEN_EPOCH, 0);
}

static void slot_clear(struct rank *r) {
	g_bytes -= (size_t)r->npages * sizeof *r->starts;
	free(r->starts);
	memset(r, 0, sizeof *r);
}

int rank_page_start(int64_t fid, int page, struct rank_key *at) {
	if (page < RANK_MIN_PAGE || fid <= 0) return 0;
	uint64_t g[3];
	gens(fid, g);
	int64_t now = now_ms();
	int found = 0;
	pthread_mutex_lock(&g_mu);
	struct rank *r = NULL, *victim = &g_rank[0];
	for (int i = 0; i < RANK_BOARDS; i++) {
		if (g_rank[i].fid == fid) { r = &g_rank[i]; break; }
		if (!g_rank[i].fid ? victim->fid != 0 : (victim->fid && g_rank[i].used_ms < victim->used_ms)) victim = &g_rank[i];
	}
	if (!r) {   /* the least recently used board makes room */
		r = victim;
		slot_clear(r);
		r->fid = fid;
	}
	r->used_ms = now;
	if (r->built && r->gb == g[0] && r->gs == g[1] && r->ge == g[2]) {
		int i = page - r->first_page;
		if (i >= 0 && i < r->npages) {
			*at = r->starts[i];
			found = 1;
			g_pages++;
		}
	} else {
		r->want = 1;
	}
	pthread_mutex_unlock(&g_mu);
	return found;
}

struct build { int64_t nforeign, own_top, j; int first_page, n, cap; struct rank_key *k; };

/* one row of the board's own list, in order (forum_thread_keys) */
static int take(void *ctx, const struct rank_key *key) {
	struct build *b = ctx;
	int64_t j = b->j++;
	if (key->sticky > 1 && j == b->own_top) b->own_top++;   /* the own stickies shown with the foreign ones */
	else if ((j + b->nforeign) % FORUM_THREADS_PER_PAGE == 0) {
		if (b->n == RANK_PAGES_MAX) return 1;   /* deeper pages skip */
		if (!b->n) b->first_page = (int)((j + b->nforeign) / FORUM_THREADS_PER_PAGE) + 1;
		if (b->n == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 64;
			struct rank_key *k = xmalloc(sizeof *k * (size_t)b->cap);
			if (b->n) memcpy(k, b->k, sizeof *k * (size_t)b->n);
			free(b->k);
			b->k = k;
		}
		b->k[b->n++] = *key;
	}
	return 0;
}

int rank_refresh(db *d) {
	int64_t todo[RANK_BOARDS];
	int n = 0;
	int64_t now = now_ms();
	pthread_mutex_lock(&g_mu);
	for (int i = 0; i < RANK_BOARDS; i++) {
		struct rank *r = &g_rank[i];
		if (r->fid && r->want && (!r->built || now - r->built_ms >= RANK_REBUILD_MS)) todo[n++] = r->fid;
	}
	pthread_mutex_unlock(&g_mu);
	for (int t = 0; t < n; t++) {
		uint64_t g[3];
		gens(todo[t], g);   /* before reading: a write that lands meanwhile moves them past the rank */
		struct build b = {0};
		if (forum_thread_keys(d, todo[t], &b.nforeign, take, &b)) {
			free(b.k);
			return -1;
		}
		pthread_mutex_lock(&g_mu);
		for (int i = 0; i < RANK_BOARDS; i++) {
			struct rank *r = &g_rank[i];
			if (r->fid != todo[t]) continue;
			int64_t used = r->used_ms;
			slot_clear(r);
			*r = (struct rank){.fid = todo[t], .built = 1, .gb = g[0], .gs = g[1], .ge = g[2], .used_ms = used,
			                   .built_ms = now_ms(), .first_page = b.first_page, .npages = b.n, .starts = b.k};
			g_bytes += (size_t)b.n * sizeof *b.k;
			b.k = NULL;
			break;
		}
		pthread_mutex_unlock(&g_mu);
		free(b.k);   /* the board left the table while it was read */
	}
	return 0;
}

void rank_free(void) {
	pthread_mutex_lock(&g_mu);
	for (int i = 0; i < RANK_BOARDS; i++) slot_clear(&g_rank[i]);
	pthread_mutex_unlock(&g_mu);
}

size_t rank_bytes(uint64_t *pages) {
	pthread_mutex_lock(&g_mu);
	size_t n = g_bytes;
	if (pages) *pages = g_pages;
	pthread_mutex_unlock(&g_mu);
	return n;
}
