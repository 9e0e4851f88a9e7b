/*
** cachegen: generation numbers for the page cache; see cachegen.h.
*/
#include "forum/cachegen.h"
#include "util/die.h"
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t g_epoch = 1, g_site = 1, g_lists = 1;
static uint64_t g_board[CACHEGEN_BOARD_SLOTS];
static uint64_t g_thread[CACHEGEN_THREAD_SLOTS];
/* a thread's tail (issue 16): per slot the tail generation (moved by a reply that opens no new page) and the
   live counters of the last thread rendered there, under a seqlock (seq odd: being written) */
struct counts { uint64_t seq, tail, tid, gen, pubtail; int64_t delta, maxpos; uint64_t near; };
static struct counts g_counts[CACHEGEN_COUNT_SLOTS];
static char g_node[17] = "0000000000000000";
static uint64_t *g_shared;        /* DIR/loulan.gen mapping, or NULL */
static int g_publish;
static void (*g_sink)(int kind, int64_t id, int64_t arg);

struct pend { char kind; int64_t id, fid, arg; };
static __thread struct {
	db *d;
	int n, overflow, nev;
	struct pend p[CACHEGEN_PENDING];
	struct pend ev[CACHEGEN_EVENTS_PENDING];   /* live events: hints, so past the bound they are dropped */
} tl;

static unsigned slot(int64_t id, unsigned n) {
	return (unsigned)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & (n - 1);
}

static void inc(uint64_t *v) { __atomic_add_fetch(v, 1, __ATOMIC_SEQ_CST); }
static uint64_t load(const uint64_t *v) { return __atomic_load_n(v, __ATOMIC_SEQ_CST); }

uint64_t cachegen_get(int kind, int64_t id) {
	switch (kind) {
	case CACHEGEN_EPOCH: return load(&g_epoch) + (g_shared && !g_publish ? load(g_shared) : 0);
	case CACHEGEN_SITE: return load(&g_site);
	case CACHEGEN_LISTS: return load(&g_lists);
	case CACHEGEN_BOARD: return load(&g_board[slot(id, CACHEGEN_BOARD_SLOTS)]);
	case CACHEGEN_THREAD: return load(&g_thread[slot(id, CACHEGEN_THREAD_SLOTS)]);
	case CACHEGEN_TAIL: return load(&g_counts[slot(id, CACHEGEN_COUNT_SLOTS)].tail);
	case CACHEGEN_NEAR: return load(&g_counts[slot(id, CACHEGEN_COUNT_SLOTS)].near);
	default: return 0;
	}
}

static uint64_t counts_lock(struct counts *c) {
	for (;;) {
		uint64_t s = load(&c->seq);
		if (!(s & 1) && __atomic_compare_exchange_n(&c->seq, &s, s + 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return s;
	}
}
static void counts_unlock(struct counts *c, uint64_t s) { __atomic_store_n(&c->seq, s + 2, __ATOMIC_RELEASE); }
static void put(uint64_t *v, uint64_t x) { __atomic_store_n(v, x, __ATOMIC_RELAXED); }
static uint64_t get(const uint64_t *v) { return __atomic_load_n(v, __ATOMIC_RELAXED); }

/* a reply reached floor maxpos: the tail moves; the counters follow when they were current */
static void tail_bump(int64_t tid, int64_t maxpos) {
	struct counts *c = &g_counts[slot(tid, CACHEGEN_COUNT_SLOTS)];
	uint64_t s = counts_lock(c), old = get(&c->tail);
	__atomic_store_n(&c->tail, old + 1, __ATOMIC_SEQ_CST);
	if (get(&c->tid) == (uint64_t)tid && get(&c->pubtail) == old && get(&c->gen) == cachegen_get(CACHEGEN_THREAD, tid)) {
		put(&c->pubtail, old + 1);
		if (maxpos > (int64_t)get((uint64_t *)&c->maxpos)) put((uint64_t *)&c->maxpos, (uint64_t)maxpos);
	}
	counts_unlock(c, s);
}

void cachegen_counts_publish(int64_t tid, uint64_t gen, uint64_t tail, int64_t replies, int64_t maxpos) {
	struct counts *c = &g_counts[slot(tid, CACHEGEN_COUNT_SLOTS)];
	uint64_t s = counts_lock(c);
	if (!(get(&c->tid) == (uint64_t)tid && get(&c->gen) == gen && get(&c->pubtail) == tail &&
	      (int64_t)get((uint64_t *)&c->maxpos) >= maxpos)) {
		put(&c->tid, (uint64_t)tid);
		put(&c->gen, gen);
		put(&c->pubtail, tail);
		put((uint64_t *)&c->delta, (uint64_t)(replies - maxpos));
		put((uint64_t *)&c->maxpos, (uint64_t)maxpos);
	}
	counts_unlock(c, s);
}

int cachegen_counts(int64_t tid, int64_t *replies, int64_t *maxpos) {
	const struct counts *c = &g_counts[slot(tid, CACHEGEN_COUNT_SLOTS)];
	for (;;) {
		uint64_t s = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
		if (s & 1) continue;
		uint64_t t = get(&c->tid), gen = get(&c->gen), pub = get(&c->pubtail), tail = get(&c->tail);
		int64_t d = (int64_t)get((const uint64_t *)&c->delta), m = (int64_t)get((const uint64_t *)&c->maxpos);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&c->seq, __ATOMIC_RELAXED) != s) continue;
		if (t != (uint64_t)tid || pub != tail || gen != cachegen_get(CACHEGEN_THREAD, tid)) return 0;
		*replies = d + m;
		*maxpos = m;
		return 1;
	}
}

/* the local effect of one bump */
static void local(char kind, int64_t id, int64_t fid, int64_t arg) {
	switch (kind) {
	case CACHEGEN_EV_REPLY:
	case CACHEGEN_EV_MEMBER:   /* a live event: no generation moves */
		if (g_sink) g_sink(kind, id, fid);
		return;
	case CACHEGEN_THREAD:
		inc(&g_thread[slot(id, CACHEGEN_THREAD_SLOTS)]);
		if (fid > 0) inc(&g_board[slot(fid, CACHEGEN_BOARD_SLOTS)]);
		inc(&g_lists);   /* not the site: other threads' pages stay */
		break;
	case CACHEGEN_NEAR:   /* a reply that opened a page: the pages near the end render again */
		inc(&g_counts[slot(id, CACHEGEN_COUNT_SLOTS)].near);
		/* fall through */
	case CACHEGEN_TAIL:   /* a reply on the last page: the thread's other pages stay */
		tail_bump(id, arg);
		if (fid > 0) inc(&g_board[slot(fid, CACHEGEN_BOARD_SLOTS)]);
		inc(&g_lists);
		break;
	case CACHEGEN_BOARD:
		inc(&g_board[slot(id, CACHEGEN_BOARD_SLOTS)]);
		inc(&g_site);
		inc(&g_lists);
		break;
	case CACHEGEN_SITE:
		inc(&g_site);
		inc(&g_lists);
		break;
	default: inc(&g_epoch); break;
	}
	if (g_shared && g_publish) inc(g_shared);
}

static void send(db *d, char kind, int64_t id, int64_t fid, int64_t arg) {
	if (!d) return;
	char payload[CACHEGEN_PAYLOAD_MAX];
	snprintf(payload, sizeof payload, "%s:%c:%lld:%lld:%lld", g_node, kind, (long long)id, (long long)fid, (long long)arg);
	if (db_notify(d, CACHEGEN_CHANNEL, payload))
		fprintf(stderr, "loulan: cache invalidation not sent to other nodes: %s\n", db_errmsg(d));
}

static int is_event(char kind) { return kind == CACHEGEN_EV_REPLY || kind == CACHEGEN_EV_MEMBER; }

static void bump(db *d, char kind, int64_t id, int64_t fid, int64_t arg) {
	if (d && db_in_tx(d)) {
		if (tl.d != d) {
			tl.d = d;
			tl.n = tl.nev = 0;
			tl.overflow = 0;
		}
		/* one entry per target: a transaction of many writes (group commit, pages/batch.c: hundreds of
		   replies to one hot thread) moves each generation once, and keeps the largest value (a live
		   event's floor, a tail's last floor) -- not an overflow that would drop every cached page */
		struct pend *q = is_event(kind) ? tl.ev : tl.p;
		int n = is_event(kind) ? tl.nev : tl.n;
		for (int i = n - 1; i >= 0; i--)
			if (q[i].kind == kind && q[i].id == id && (is_event(kind) || q[i].fid == fid)) {
				if (is_event(kind) ? fid > q[i].fid : arg > q[i].arg) q[i] = (struct pend){kind, id, fid, arg};
				return;
			}
		if (is_event(kind)) {
			if (tl.nev < CACHEGEN_EVENTS_PENDING) tl.ev[tl.nev++] = (struct pend){kind, id, fid, arg};
		} else if (tl.n < CACHEGEN_PENDING) tl.p[tl.n++] = (struct pend){kind, id, fid, arg};
		else tl.overflow = 1;
		return;
	}
	local(kind, id, fid, arg);
	send(d, kind, id, fid, arg);
}

/* db's hook: the outermost transaction on d ended */
static void on_tx_end(db *d, int committed) {
	if (tl.d != d) return;
	int n = tl.n, over = tl.overflow, nev = tl.nev;
	tl.d = NULL;
	tl.n = tl.overflow = tl.nev = 0;
	if (!committed) return;
	for (int i = 0; i < nev; i++) {   /* first: the streams learn of it while the bumps go out */
		local(tl.ev[i].kind, tl.ev[i].id, tl.ev[i].fid, 0);
		send(d, tl.ev[i].kind, tl.ev[i].id, tl.ev[i].fid, 0);
	}
	if (over) {
		local(CACHEGEN_EPOCH, 0, 0, 0);
		send(d, CACHEGEN_EPOCH, 0, 0, 0);
		return;
	}
	for (int i = 0; i < n; i++) {
		local(tl.p[i].kind, tl.p[i].id, tl.p[i].fid, tl.p[i].arg);
		send(d, tl.p[i].kind, tl.p[i].id, tl.p[i].fid, tl.p[i].arg);
	}
}

void cachegen_init(void) {
	uint64_t r;
	randombytes_buf(&r, sizeof r);
	snprintf(g_node, sizeof g_node, "%016" PRIx64, r);
	db_set_tx_hook(on_tx_end);
}

const char *cachegen_node(void) { return g_node; }

void cachegen_bump_all(db *d) { bump(d, CACHEGEN_EPOCH, 0, 0, 0); }
void cachegen_bump_site(db *d) { bump(d, CACHEGEN_SITE, 0, 0, 0); }
void cachegen_bump_board(db *d, int64_t fid) { bump(d, CACHEGEN_BOARD, fid, 0, 0); }
void cachegen_bump_thread(db *d, int64_t tid, int64_t fid) { bump(d, CACHEGEN_THREAD, tid, fid, 0); }
void cachegen_bump_tail(db *d, int64_t tid, int64_t fid, int64_t maxpos) { bump(d, CACHEGEN_TAIL, tid, fid, maxpos); }
void cachegen_bump_near(db *d, int64_t tid, int64_t fid, int64_t maxpos) { bump(d, CACHEGEN_NEAR, tid, fid, maxpos); }
void cachegen_event(db *d, int kind, int64_t id, int64_t arg) { bump(d, (char)kind, id, arg, 0); }
void cachegen_set_event_sink(void (*sink)(int kind, int64_t id, int64_t arg)) { g_sink = sink; }

int cachegen_apply(const char *payload) {
	char node[17], kind;
	long long id, fid, arg = 0;
	int got = sscanf(payload, "%16[0-9a-f]:%c:%lld:%lld:%lld", node, &kind, &id, &fid, &arg);
	if (got != 4 && got != 5) return -1;
	if (!strcmp(node, g_node)) return 0;
	if (kind != CACHEGEN_EPOCH && kind != CACHEGEN_SITE && kind != CACHEGEN_BOARD && kind != CACHEGEN_THREAD &&
	    kind != CACHEGEN_TAIL && kind != CACHEGEN_NEAR && kind != CACHEGEN_EV_REPLY && kind != CACHEGEN_EV_MEMBER)
		return -1;
	local(kind, id, fid, arg);
	return 1;
}

int cachegen_share_file(const char *path, int publish) {
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) return -1;
	if (ftruncate(fd, 4096)) {
		close(fd);
		return -1;
	}
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) return -1;
	g_shared = m;
	g_publish = publish;
	return 0;
}

void cachegen_close(void) {
	if (g_shared) munmap(g_shared, 4096);
	g_shared = NULL;
}
