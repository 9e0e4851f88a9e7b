/*
** stream: long-lived responses (Server-Sent Events) that wait without a
** worker thread. A stream's body comes from a content-reader callback with no
** length (chunked); when it has nothing to say the callback suspends the
** connection (MHD_suspend_connection: out of the library's event loop, no
** timeout runs, no thread waits) and returns 0. http_stream_publish (any
** thread: a writer after its COMMIT, the PostgreSQL listener) and the
** heartbeat thread resume it; the library then calls the callback again in
** the connection's worker thread, where the application writes its event.
**
** A suspended connection is not polled by the library, so a client that went
** away would hold its slot (and its address's count) until the next
** heartbeat: the watch thread keeps each stream's socket in an epoll set for
** EPOLLRDHUP (one shot) and ends the stream at once when the peer hangs up
** (an EventSource never half-closes).
**
** One mutex (g_mu) guards the hub: every stream's state, the topic buckets,
** the per-address counts. Suspend and resume are called with it held, and a
** stream is resumed only when it is known suspended, so a wake can never be
** lost between "nothing to say" and the suspend. A stream leaves the hub when
** the library destroys its response (the connection ended), under the same
** mutex, so nobody resumes a connection that is gone.
*/
#include "http/stream.h"
#include "http/http.h"
#include "util/die.h"
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define TOPIC_BUCKETS 4096   /* topic hash buckets (power of two) */
#define IP_BUCKETS 1024      /* per-address count buckets (power of two) */
#define SERIAL_BUCKETS 4096  /* streams by serial number, for the watch thread (power of two) */
#define WATCH_BATCH 256      /* epoll events taken at once */
#define STREAM_BLOCK 1024    /* the reader's block: one event fits (a fill writes at most this) */

struct link {                             /* a stream in its topic's bucket */
	struct link *prev, *next;
	struct http_stream *s;
	int kind;
	int64_t id;
};

struct http_stream {
	struct http_stream *prev, *next;      /* in the whole list */
	struct link t[HTTP_STREAM_TOPICS];
	int ntopics;
	struct http_stream *sprev, *snext;    /* in its serial's bucket */
	uint64_t serial;                      /* names it to the watch thread (a pointer could be stale) */
	int fd;                               /* its socket, watched for the peer's hang-up; -1 none */
	struct ipcount *ipc;
	struct MHD_Connection *conn;
	int started, suspended, beat, ended;
	unsigned pending;                     /* bit i: topic i was published since the last fill */
	int64_t ev[HTTP_STREAM_TOPICS];       /* per topic, the largest value published since the last fill */
	http_stream_fill fn;
	void (*free_fn)(void *);
	void *cls;
};

struct ipcount { struct ipcount *next; int n; char ip[]; };

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static struct http_stream *g_all;
static struct link *g_topic[TOPIC_BUCKETS];
static struct ipcount *g_ip[IP_BUCKETS];
static struct http_stream *g_serial[SERIAL_BUCKETS];
static uint64_t g_next_serial = 1;
static int g_epoll = -1;   /* the watch thread's epoll set (-1: not running) */
static int g_open;
static uint64_t g_events, g_refused[2];

static unsigned hash_topic(int kind, int64_t id) {
	uint64_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ull) ^ (uint64_t)kind;
	return (unsigned)(h >> 32) & (TOPIC_BUCKETS - 1);
}

static unsigned hash_ip(const char *s) {
	uint32_t h = 2166136261u;
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
	return h & (IP_BUCKETS - 1);
}

/* g_mu held */
static struct ipcount *ip_get(const char *ip, int create) {
	struct ipcount **b = &g_ip[hash_ip(ip)];
	for (struct ipcount *c = *b; c; c = c->next)
		if (!strcmp(c->ip, ip)) return c;
	if (!create) return NULL;
	size_t n = strlen(ip);
	struct ipcount *c = xmalloc(sizeof *c + n + 1);
	memcpy(c->ip, ip, n + 1);
	c->n = 0;
	c->next = *b;
	*b = c;
	return c;
}

static void ip_put(struct ipcount *c) {
	if (--c->n > 0) return;
	struct ipcount **b = &g_ip[hash_ip(c->ip)];
	while (*b != c) b = &(*b)->next;
	*b = c->next;
	free(c);
}

int http_stream_start(req *r, const struct http_topic *topics, int ntopics, int max_total, int max_per_ip,
                      http_stream_fill fn, void (*free_fn)(void *), void *cls) {
	if (ntopics > HTTP_STREAM_TOPICS) ntopics = HTTP_STREAM_TOPICS;
	const char *ip = r->ip && *r->ip ? r->ip : "-";
	pthread_mutex_lock(&g_mu);
	struct ipcount *c = ip_get(ip, 0);
	int refuse = g_open >= max_total ? HTTP_STREAM_FULL : c && c->n >= max_per_ip ? HTTP_STREAM_IP_FULL : 0;
	if (refuse) {
		g_refused[refuse - 1]++;
		pthread_mutex_unlock(&g_mu);
		return refuse;
	}
	struct http_stream *s = xcalloc(1, sizeof *s);
	s->ipc = c ? c : ip_get(ip, 1);
	s->ipc->n++;
	s->conn = r->conn;
	s->fn = fn;
	s->free_fn = free_fn;
	s->cls = cls;
	s->next = g_all;
	if (g_all) g_all->prev = s;
	g_all = s;
	s->serial = g_next_serial++;
	struct http_stream **sb = &g_serial[s->serial & (SERIAL_BUCKETS - 1)];
	s->snext = *sb;
	if (*sb) (*sb)->sprev = s;
	*sb = s;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	s->fd = -1;
	if (ci && g_epoll >= 0) {
		struct epoll_event e = {.events = EPOLLRDHUP | EPOLLONESHOT, .data.u64 = s->serial};
		if (!epoll_ctl(g_epoll, EPOLL_CTL_ADD, ci->connect_fd, &e)) s->fd = ci->connect_fd;
	}
	s->ntopics = ntopics;
	for (int i = 0; i < ntopics; i++) {
		struct link *l = &s->t[i];
		l->s = s;
		l->kind = topics[i].kind;
		l->id = topics[i].id;
		unsigned b = hash_topic(l->kind, l->id);
		l->next = g_topic[b];
		if (g_topic[b]) g_topic[b]->prev = l;
		g_topic[b] = l;
	}
	g_open++;
	pthread_mutex_unlock(&g_mu);
	r->stream = s;
	r->status = 200;
	r->ctype = "text/event-stream; charset=utf-8";
	http_set_header(r, "Cache-Control", "no-cache, no-store");
	http_set_header(r, "X-Accel-Buffering", "no");   /* nginx: pass each event at once */
	return 0;
}

/* g_mu held: wakes s if it waits */
static void wake(struct http_stream *s) {
	if (!s->suspended) return;
	s->suspended = 0;
	MHD_resume_connection(s->conn);
}

void http_stream_publish(int kind, int64_t id, int64_t ev) {
	pthread_mutex_lock(&g_mu);
	for (struct link *l = g_topic[hash_topic(kind, id)]; l; l = l->next) {
		if (l->kind != kind || l->id != id) continue;
		struct http_stream *s = l->s;
		int i = (int)(l - s->t);
		if (!(s->pending & (1u << i)) || ev > s->ev[i]) s->ev[i] = ev;
		s->pending |= 1u << i;
		g_events++;
		wake(s);
	}
	pthread_mutex_unlock(&g_mu);
}

static int g_closed;   /* stream_stop ran: every stream ends, also one opened after it (under g_mu) */

static void beat_all(int end) {
	pthread_mutex_lock(&g_mu);
	if (end) g_closed = 1;
	for (struct http_stream *s = g_all; s; s = s->next) {
		if (end) s->ended = 1;
		else s->beat = 1;
		wake(s);
	}
	pthread_mutex_unlock(&g_mu);
}

static const char BEAT[] = ": \n\n";   /* a comment line: proxies see traffic, a gone client is found */

static ssize_t reader(void *cls, uint64_t pos, char *dst, size_t max) {
	(void)pos;
	struct http_stream *s = cls;
	for (;;) {
		pthread_mutex_lock(&g_mu);
		if (s->ended || g_closed) {   /* (a stream opened on a kept-alive connection while stopping) */
			pthread_mutex_unlock(&g_mu);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		int first = !s->started, beat = s->beat;
		unsigned pending = s->pending;
		int64_t ev[HTTP_STREAM_TOPICS];
		memcpy(ev, s->ev, sizeof ev);
		s->started = 1;
		s->pending = s->beat = 0;
		if (!first && !pending && !beat) {
			/* nothing to say: out of the event loop until a publish or a heartbeat */
			s->suspended = 1;
			MHD_suspend_connection(s->conn);
			pthread_mutex_unlock(&g_mu);
			return 0;
		}
		pthread_mutex_unlock(&g_mu);
		long n = 0;
		if (first || pending) n = s->fn(s->cls, first, pending, ev, dst, max < STREAM_BLOCK ? max : STREAM_BLOCK);
		if (n < 0) return MHD_CONTENT_READER_END_OF_STREAM;
		if (n == 0 && beat && max >= sizeof BEAT - 1) {
			memcpy(dst, BEAT, sizeof BEAT - 1);
			n = (long)(sizeof BEAT - 1);
		}
		if (n > 0) return (ssize_t)n;
	}
}

static void release(void *cls) {
	struct http_stream *s = cls;
	pthread_mutex_lock(&g_mu);
	if (s->prev) s->prev->next = s->next;
	else g_all = s->next;
	if (s->next) s->next->prev = s->prev;
	if (s->sprev) s->sprev->snext = s->snext;
	else g_serial[s->serial & (SERIAL_BUCKETS - 1)] = s->snext;
	if (s->snext) s->snext->sprev = s->sprev;
	if (s->fd >= 0 && g_epoll >= 0) epoll_ctl(g_epoll, EPOLL_CTL_DEL, s->fd, NULL);   /* before the library closes it */
	for (int i = 0; i < s->ntopics; i++) {
		struct link *l = &s->t[i];
		if (l->prev) l->prev->next = l->next;
		else g_topic[hash_topic(l->kind, l->id)] = l->next;
		if (l->next) l->next->prev = l->prev;
	}
	ip_put(s->ipc);
	g_open--;
	pthread_mutex_unlock(&g_mu);
	if (s->free_fn) s->free_fn(s->cls);
	free(s);
}

/* for server.c's send_response */
void *stream_response(struct http_stream *s) {
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, reader, s, release);
	if (!resp) die_oom();
	return resp;
}

/* a stream never queued (the request ended first): leave the hub */
void stream_drop(struct http_stream *s) { release(s); }

int http_streams_open(void) {
	pthread_mutex_lock(&g_mu);
	int n = g_open;
	pthread_mutex_unlock(&g_mu);
	return n;
}

void http_stream_stats(uint64_t *open, uint64_t *events, uint64_t *refused_total, uint64_t *refused_ip) {
	pthread_mutex_lock(&g_mu);
	*open = (uint64_t)g_open;
	*events = g_events;
	*refused_total = g_refused[0];
	*refused_ip = g_refused[1];
	pthread_mutex_unlock(&g_mu);
}

/* ---- the heartbeat thread ---------------------------------------------- */

static pthread_mutex_t hb_mu = PTHREAD_MUTEX_INITIALIZER;
static int hb_running;
static pthread_t hb_thread;
static int (*hb_interval)(void);

/* the peers of these streams hung up: end them (a write could still succeed once, and the
   one-shot watch would not fire again) */
static void hung_up(const struct epoll_event *ev, int n) {
	pthread_mutex_lock(&g_mu);
	for (int i = 0; i < n; i++) {
		for (struct http_stream *s = g_serial[ev[i].data.u64 & (SERIAL_BUCKETS - 1)]; s; s = s->snext) {
			if (s->serial != ev[i].data.u64) continue;
			s->ended = 1;
			wake(s);
			break;
		}
	}
	pthread_mutex_unlock(&g_mu);
}

static void *heartbeat(void *arg) {
	(void)arg;
	time_t last = time(NULL);
	struct epoll_event ev[WATCH_BATCH];
	for (;;) {
		pthread_mutex_lock(&hb_mu);
		int running = hb_running;
		pthread_mutex_unlock(&hb_mu);
		if (!running) break;
		int n = epoll_wait(g_epoll, ev, WATCH_BATCH, 250);
		if (n > 0) hung_up(ev, n);
		int every = hb_interval ? hb_interval() : HTTP_STREAM_HEARTBEAT_S;
		time_t now = time(NULL);
		if (now - last < every) continue;
		last = now;
		beat_all(0);
	}
	return NULL;
}

void stream_start_heartbeat(int (*interval)(void)) {
	hb_interval = interval;
	hb_running = 1;
	g_epoll = epoll_create1(EPOLL_CLOEXEC);
	if (g_epoll < 0) die("stream: epoll_create1 failed");
	if (pthread_create(&hb_thread, NULL, heartbeat, NULL)) die("stream: cannot start the heartbeat thread");
}

/* ends every stream (shutdown) and stops the heartbeat thread */
void stream_stop(void) {
	pthread_mutex_lock(&hb_mu);
	int was = hb_running;
	hb_running = 0;
	pthread_mutex_unlock(&hb_mu);
	if (was) pthread_join(hb_thread, NULL);
	beat_all(1);
	/* g_epoll stays open: streams ending now still take their sockets out of it */
}
