/*
** metrics: the HTTP server's counters for GET /metrics (Prometheus text
** format): requests by route pattern and status, one latency histogram,
** open connections and requests in flight. Lock-free on the request path
** (atomics). Also the address check that guards /metrics. Knows nothing of
** the forum: the route label is whatever pattern the router names.
*/
#ifndef LOULAN_HTTP_METRICS_H
#define LOULAN_HTTP_METRICS_H
#include "util/buf.h"
#include <stdint.h>

#define METRICS_MAX_ROUTES 128   /* distinct route labels; more are counted as "(other)" */
#define METRICS_ALLOW_MAX 512    /* length of the allowed-address list */
#define METRICS_ALLOW_DEFAULT "127.0.0.0/8,::1"

/* one answered request: route pattern (a static string; NULL: "(none)"), status, latency */
void metrics_observe(const char *route, int status, uint64_t ns);
void metrics_conn(int delta);          /* +1 when a connection opens, -1 when it closes */
/* Appends the HTTP families in Prometheus text format; in_flight: requests being served. */
void metrics_write_http(buf *out, int in_flight);
/* Appends one counter or gauge family: # HELP, # TYPE and the sample. */
void metrics_write_one(buf *out, const char *name, const char *type, const char *help, double v);

/* The addresses allowed to read /metrics without a token: a comma-separated
** list of IPv4/IPv6 addresses or CIDR prefixes ("127.0.0.0/8,::1").
** metrics_set_allow returns -1 (and keeps the old list) when list is malformed. */
int metrics_set_allow(const char *list);
int metrics_ip_allowed(const char *ip);                      /* against the set list */
int metrics_ip_in(const char *ip, const char *list);         /* 1 in, 0 not, -1 bad list */
#endif
