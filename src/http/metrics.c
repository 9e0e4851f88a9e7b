/*
** metrics: request counters by (route, status), a latency histogram with
** fixed buckets, connection gauges; and the allowed-address check of
** /metrics. See metrics.h.
*/
#include "http/metrics.h"
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* status codes with their own series; any other is counted under its class ("4xx") */
static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409,
                               413, 414, 415, 422, 429, 431, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0])
#define NCLASS 5   /* 1xx .. 5xx */
#define NCOL (NSTATUS + NCLASS)

/* latency bucket upper bounds, seconds */
static const double buckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKET (sizeof buckets / sizeof buckets[0])

static const char *g_route[METRICS_MAX_ROUTES + 1];   /* the last slot: "(other)" */
static int g_nroutes;
static pthread_mutex_t g_route_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t g_count[METRICS_MAX_ROUTES + 1][NCOL];
static uint64_t g_hist[NBUCKET + 1];   /* non-cumulative; the last: over every bound */
static uint64_t g_sum_ns, g_total;
static int g_conns;

static int status_col(int status) {
	for (size_t i = 0; i < NSTATUS; i++)
		if (statuses[i] == status) return (int)i;
	int cls = status / 100;
	if (cls < 1 || cls > 5) cls = 5;
	return (int)NSTATUS + cls - 1;
}

/* the slot of a route label: equal text shares a slot (two literals may hold the same text) */
static int route_slot(const char *route) {
	int n = __atomic_load_n(&g_nroutes, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		if (g_route[i] == route || !strcmp(g_route[i], route)) return i;
	pthread_mutex_lock(&g_route_mu);
	n = g_nroutes;
	int slot = METRICS_MAX_ROUTES;
	for (int i = 0; i < n; i++)
		if (!strcmp(g_route[i], route)) slot = i;
	if (slot == METRICS_MAX_ROUTES && n < METRICS_MAX_ROUTES) {
		g_route[n] = route;
		__atomic_store_n(&g_nroutes, n + 1, __ATOMIC_RELEASE);
		slot = n;
	}
	pthread_mutex_unlock(&g_route_mu);
	return slot;
}

void metrics_observe(const char *route, int status, uint64_t ns) {
	int slot = route_slot(route ? route : "(none)");
	__atomic_add_fetch(&g_count[slot][status_col(status)], 1, __ATOMIC_RELAXED);
	double s = (double)ns / 1e9;
	size_t b = 0;
	while (b < NBUCKET && s > buckets[b]) b++;
	__atomic_add_fetch(&g_hist[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g_sum_ns, ns, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g_total, 1, __ATOMIC_RELAXED);
}

void metrics_conn(int delta) { __atomic_add_fetch(&g_conns, delta, __ATOMIC_RELAXED); }

/* a label value: \ " and newline escaped (route patterns have none, but the format demands it) */
static void put_label(buf *out, const char *v) {
	for (; *v; v++) {
		if (*v == '\\' || *v == '"') buf_putc(out, '\\');
		if (*v == '\n') { buf_puts(out, "\\n"); continue; }
		buf_putc(out, *v);
	}
}

void metrics_write_one(buf *out, const char *name, const char *type, const char *help, double v) {
	buf_appendf(out, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name, v);
}

void metrics_write_http(buf *out, int in_flight) {
	buf_puts(out, "# HELP loulan_http_requests_total HTTP responses by route pattern and status.\n"
	              "# TYPE loulan_http_requests_total counter\n");
	int n = __atomic_load_n(&g_nroutes, __ATOMIC_ACQUIRE);
	for (int i = 0; i <= METRICS_MAX_ROUTES; i++) {
		if (i >= n && i != METRICS_MAX_ROUTES) continue;
		const char *label = i == METRICS_MAX_ROUTES ? "(other)" : g_route[i];
		for (size_t c = 0; c < NCOL; c++) {
			uint64_t v = __atomic_load_n(&g_count[i][c], __ATOMIC_RELAXED);
			if (!v) continue;
			buf_puts(out, "loulan_http_requests_total{route=\"");
			put_label(out, label);
			if (c < NSTATUS) buf_appendf(out, "\",status=\"%d\"} %llu\n", statuses[c], (unsigned long long)v);
			else buf_appendf(out, "\",status=\"%dxx\"} %llu\n", (int)(c - NSTATUS + 1), (unsigned long long)v);
		}
	}
	buf_puts(out, "# HELP loulan_http_request_duration_seconds Time from the request's first byte to its queued response.\n"
	              "# TYPE loulan_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t b = 0; b < NBUCKET; b++) {
		cum += __atomic_load_n(&g_hist[b], __ATOMIC_RELAXED);
		buf_appendf(out, "loulan_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[b], (unsigned long long)cum);
	}
	cum += __atomic_load_n(&g_hist[NBUCKET], __ATOMIC_RELAXED);
	buf_appendf(out, "loulan_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	buf_appendf(out, "loulan_http_request_duration_seconds_sum %.9f\n",
	            (double)__atomic_load_n(&g_sum_ns, __ATOMIC_RELAXED) / 1e9);
	/* _count equals the +Inf bucket (both from the same reads) */
	buf_appendf(out, "loulan_http_request_duration_seconds_count %llu\n", (unsigned long long)cum);
	metrics_write_one(out, "loulan_http_connections_open", "gauge", "Open client connections.",
	                  __atomic_load_n(&g_conns, __ATOMIC_RELAXED));
	metrics_write_one(out, "loulan_http_requests_in_flight", "gauge", "Requests being read or answered.", in_flight);
}

/* ---- the allowed addresses ------------------------------------------------ */

static char g_allow[METRICS_ALLOW_MAX] = METRICS_ALLOW_DEFAULT;
static pthread_rwlock_t g_allow_mu = PTHREAD_RWLOCK_INITIALIZER;

/* ip (text) inside one "addr[/bits]" item: 1, 0; -1 when the item is malformed */
static int in_prefix(const unsigned char *ip, int fam, const char *item, size_t n) {
	char text[64];
	if (!n || n >= sizeof text) return -1;
	memcpy(text, item, n);
	text[n] = 0;
	char *slash = strchr(text, '/');
	int bits = -1;
	if (slash) {
		*slash = 0;
		char *end;
		long v = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || v < 0 || v > 128) return -1;
		bits = (int)v;
	}
	unsigned char net[16];
	int nfam = strchr(text, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(nfam, text, net) != 1) return -1;
	int len = nfam == AF_INET ? 4 : 16;
	if (bits < 0) bits = len * 8;
	if (bits > len * 8) return -1;
	if (fam != nfam) return 0;
	for (int i = 0; i < bits; i++) {
		int m = 0x80 >> (i & 7);
		if ((ip[i >> 3] & m) != (net[i >> 3] & m)) return 0;
	}
	return 1;
}

int metrics_ip_in(const char *ip, const char *list) {
	unsigned char a[16];
	int fam = 0;
	if (ip && inet_pton(AF_INET, ip, a) == 1) fam = AF_INET;
	else if (ip && inet_pton(AF_INET6, ip, a) == 1) fam = AF_INET6;
	/* an IPv4-mapped IPv6 address is its IPv4 address */
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (fam == AF_INET6 && !memcmp(a, mapped, 12)) {
		memmove(a, a + 12, 4);
		fam = AF_INET;
	}
	int in = 0;
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',') p++;
		if (!*p) break;
		size_t n = strcspn(p, ", ");
		int r = in_prefix(a, fam, p, n);
		if (r < 0) return -1;
		if (r && fam) in = 1;
		p += n;
	}
	return in;
}

int metrics_set_allow(const char *list) {
	if (!list || strlen(list) >= sizeof g_allow || metrics_ip_in("127.0.0.1", list) < 0) return -1;
	pthread_rwlock_wrlock(&g_allow_mu);
	snprintf(g_allow, sizeof g_allow, "%s", list);
	pthread_rwlock_unlock(&g_allow_mu);
	return 0;
}

int metrics_ip_allowed(const char *ip) {
	pthread_rwlock_rdlock(&g_allow_mu);
	int r = metrics_ip_in(ip, g_allow);
	pthread_rwlock_unlock(&g_allow_mu);
	return r == 1;
}
