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
static char g_node[17] = "0000000000000000";
static uint64_t *g_shared;        /* DIR/loulan.gen mapping, or NULL */
static int g_publish;
static void (*g_sink)(int kind, int64_t id, int64_t arg);

struct pend { char kind; int64_t id, fid; };
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
	default: return 0;
	}
}

/* the local effect of one bump */
static void local(char kind, int64_t id, int64_t fid) {
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

static void send(db *d, char kind, int64_t id, int64_t fid) {
	if (!d) return;
	char payload[CACHEGEN_PAYLOAD_MAX];
	snprintf(payload, sizeof payload, "%s:%c:%lld:%lld", g_node, kind, (long long)id, (long long)fid);
	if (db_notify(d, CACHEGEN_CHANNEL, payload))
		fprintf(stderr, "loulan: cache invalidation not sent to other nodes: %s\n", db_errmsg(d));
}

static int is_event(char kind) { return kind == CACHEGEN_EV_REPLY || kind == CACHEGEN_EV_MEMBER; }

static void bump(db *d, char kind, int64_t id, int64_t fid) {
	if (d && db_in_tx(d)) {
		if (tl.d != d) {
			tl.d = d;
			tl.n = tl.nev = 0;
			tl.overflow = 0;
		}
		if (is_event(kind)) {
			if (tl.nev < CACHEGEN_EVENTS_PENDING) tl.ev[tl.nev++] = (struct pend){kind, id, fid};
		} else if (tl.n < CACHEGEN_PENDING) tl.p[tl.n++] = (struct pend){kind, id, fid};
		else tl.overflow = 1;
		return;
	}
	local(kind, id, fid);
	send(d, kind, id, fid);
}

/* db's hook: the outermost transaction on d ended */
static void on_tx_end(db *d, int committed) {
	if (tl.d != d) return;
	int n = tl.n, over = tl.overflow, nev = tl.nev;
	tl.d = NULL;
	tl.n = tl.overflow = tl.nev = 0;
	if (!committed) return;
	for (int i = 0; i < nev; i++) {   /* first: the streams learn of it while the bumps go out */
		local(tl.ev[i].kind, tl.ev[i].id, tl.ev[i].fid);
		send(d, tl.ev[i].kind, tl.ev[i].id, tl.ev[i].fid);
	}
	if (over) {
		local(CACHEGEN_EPOCH, 0, 0);
		send(d, CACHEGEN_EPOCH, 0, 0);
		return;
	}
	for (int i = 0; i < n; i++) {
		local(tl.p[i].kind, tl.p[i].id, tl.p[i].fid);
		send(d, tl.p[i].kind, tl.p[i].id, tl.p[i].fid);
	}
}

void cachegen_init(void) {
	uint64_t r;
	randombytes_buf(&r, sizeof r);
	snprintf(g_node, sizeof g_node, "%016" PRIx64, r);
	db_set_tx_hook(on_tx_end);
}

const char *cachegen_node(void) { return g_node; }

void cachegen_bump_all(db *d) { bump(d, CACHEGEN_EPOCH, 0, 0); }
void cachegen_bump_site(db *d) { bump(d, CACHEGEN_SITE, 0, 0); }
void cachegen_bump_board(db *d, int64_t fid) { bump(d, CACHEGEN_BOARD, fid, 0); }
void cachegen_bump_thread(db *d, int64_t tid, int64_t fid) { bump(d, CACHEGEN_THREAD, tid, fid); }
void cachegen_event(db *d, int kind, int64_t id, int64_t arg) { bump(d, (char)kind, id, arg); }
void cachegen_set_event_sink(void (*sink)(int kind, int64_t id, int64_t arg)) { g_sink = sink; }

int cachegen_apply(const char *payload) {
	char node[17], kind;
	long long id, fid;
	if (sscanf(payload, "%16[0-9a-f]:%c:%lld:%lld", node, &kind, &id, &fid) != 4) return -1;
	if (!strcmp(node, g_node)) return 0;
	if (kind != CACHEGEN_EPOCH && kind != CACHEGEN_SITE && kind != CACHEGEN_BOARD && kind != CACHEGEN_THREAD &&
	    kind != CACHEGEN_EV_REPLY && kind != CACHEGEN_EV_MEMBER)
		return -1;
	local(kind, id, fid);
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
