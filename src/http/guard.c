/* guard: head deadline, body rate and idle bound per connection; see guard.h. */
#include "http/guard.h"
#include "http/http.h"
#include "util/die.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct guard_conn {
	struct guard_conn *prev, *next;
	int fd;
	enum guard_phase phase;
	uint64_t since_ns;   /* start of the phase */
	uint64_t bytes;      /* body bytes since the body phase began */
	int shut;            /* shut down by the reaper */
	int hurried;         /* its head was in progress while the server was busy: the short deadline, for good */
	int stream;          /* an event stream (guard_stream): not in g_open */
};

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static struct guard_conn *g_head;
static int g_running, g_started;
static int g_open, g_busy_at;   /* connections open; from how many heads get the short deadline */
static int g_shed_at;           /* from how many the oldest idle connections are closed */
static pthread_t g_thread;
static uint64_t g_counts[4];

struct guard_conn *guard_open(int fd) {
	struct guard_conn *g = xcalloc(1, sizeof *g);
	g->fd = fd;
	g->phase = GUARD_HEAD;
	g->since_ns = http_now_ns();
	pthread_mutex_lock(&g_mu);
	g->next = g_head;
	if (g_head) g_head->prev = g;
	g_head = g;
	g_open++;
	if (g_open >= g_shed_at && g_running) pthread_cond_signal(&g_cv);   /* make room now, not at the next tick */
	pthread_mutex_unlock(&g_mu);
	return g;
}

void guard_close(struct guard_conn *g) {
	if (!g) return;
	pthread_mutex_lock(&g_mu);
	if (g->prev) g->prev->next = g->next;
	else g_head = g->next;
	if (g->next) g->next->prev = g->prev;
	if (!g->stream) g_open--;
	pthread_mutex_unlock(&g_mu);
	free(g);
}

void guard_phase(struct guard_conn *g, enum guard_phase ph) {
	if (!g) return;
	pthread_mutex_lock(&g_mu);
	if (g->stream && ph != GUARD_BUSY) {   /* the stream ended and the connection is kept alive */
		g->stream = 0;
		g_open++;
	}
	g->phase = ph;
	g->since_ns = http_now_ns();
	g->bytes = 0;
	g->hurried = 0;
	pthread_mutex_unlock(&g_mu);
}

enum guard_phase guard_get_phase(struct guard_conn *g) {
	pthread_mutex_lock(&g_mu);
	enum guard_phase ph = g->phase;
	pthread_mutex_unlock(&g_mu);
	return ph;
}

void guard_stream(struct guard_conn *g) {
	if (!g) return;
	pthread_mutex_lock(&g_mu);
	g->phase = GUARD_BUSY;
	if (!g->stream) g_open--;
	g->stream = 1;
	pthread_mutex_unlock(&g_mu);
}

void guard_body(struct guard_conn *g, size_t n) {
	if (!g) return;
	pthread_mutex_lock(&g_mu);
	g->bytes += n;
	pthread_mutex_unlock(&g_mu);
}

void guard_counts(uint64_t out[4]) {
	pthread_mutex_lock(&g_mu);
	for (int i = 0; i < 4; i++) out[i] = g_counts[i];
	pthread_mutex_unlock(&g_mu);
}

/* which rule g breaks at now: 0 head, 1 body, 2 idle; -1 none */
static int expired(const struct guard_conn *g, uint64_t now) {
	uint64_t el = now - g->since_ns;
	uint64_t head_ns = (uint64_t)(g->hurried ? HTTP_HEAD_DEADLINE_BUSY_S : HTTP_HEAD_DEADLINE_S) * 1000000000u;
	switch (g->phase) {
	case GUARD_HEAD: return el > head_ns ? 0 : -1;
	case GUARD_BODY:
		if (el <= (uint64_t)HTTP_BODY_GRACE_S * 1000000000u) return -1;
		return g->bytes < (uint64_t)HTTP_BODY_MIN_RATE * (el / 1000000000u) ? 1 : -1;
	case GUARD_IDLE: return el > (uint64_t)HTTP_TIMEOUT_S * 1000000000u ? 2 : -1;
	case GUARD_BUSY: return -1;
	}
	return -1;
}

static int older(const void *a, const void *b) {
	const struct guard_conn *x = *(struct guard_conn *const *)a, *y = *(struct guard_conn *const *)b;
	return (x->since_ns > y->since_ns) - (x->since_ns < y->since_ns);
}

/* live connections at or over the shedding mark: shut down the oldest idle ones until below it */
static void shed(int live) {
	int n = 0;
	for (struct guard_conn *g = g_head; g; g = g->next) n += !g->shut && g->phase == GUARD_IDLE;
	if (!n) return;
	struct guard_conn **idle = malloc(sizeof *idle * (size_t)n);
	if (!idle) return;   /* the idle timeout still frees them */
	int k = 0;
	for (struct guard_conn *g = g_head; g; g = g->next)
		if (!g->shut && g->phase == GUARD_IDLE) idle[k++] = g;
	qsort(idle, (size_t)k, sizeof *idle, older);
	for (int i = 0; i < k && live >= g_shed_at; i++, live--) {
		shutdown(idle[i]->fd, SHUT_RDWR);
		idle[i]->shut = 1;
		g_counts[3]++;
	}
	free(idle);
}

static void *reaper(void *arg) {
	(void)arg;
	pthread_mutex_lock(&g_mu);
	while (g_running) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += HTTP_GUARD_TICK_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&g_cv, &g_mu, &ts);
		uint64_t now = http_now_ns();
		/* near the cap every head in progress gets the short deadline, and keeps it when
		   the count drops again (else closing the first few would save the rest) */
		int busy = g_open >= g_busy_at;
		for (struct guard_conn *g = g_head; g; g = g->next) {
			if (g->shut) continue;
			if (busy && g->phase == GUARD_HEAD) g->hurried = 1;
			int why = expired(g, now);
			if (why < 0) continue;
			/* the library has not closed fd yet: guard_close waits for g_mu */
			shutdown(g->fd, SHUT_RDWR);
			g->shut = 1;
			g_counts[why]++;
		}
		int live = 0;
		for (struct guard_conn *g = g_head; g; g = g->next) live += !g->shut;
		if (live >= g_shed_at) shed(live);
	}
	pthread_mutex_unlock(&g_mu);
	return NULL;
}

void guard_start(int max_connections) {
	pthread_mutex_lock(&g_mu);
	g_running = 1;
	g_busy_at = max_connections * HTTP_GUARD_BUSY_PCT / 100;
	if (g_busy_at < 1) g_busy_at = 1;
	g_shed_at = max_connections * HTTP_GUARD_SHED_PCT / 100;
	if (g_shed_at < 1) g_shed_at = 1;
	pthread_mutex_unlock(&g_mu);
	if (pthread_create(&g_thread, NULL, reaper, NULL)) die("guard: cannot start the reaper thread");
	g_started = 1;
}

void guard_stop(void) {
	if (!g_started) return;
	pthread_mutex_lock(&g_mu);
	g_running = 0;
	pthread_cond_signal(&g_cv);
	pthread_mutex_unlock(&g_mu);
	pthread_join(g_thread, NULL);
	g_started = 0;
}
