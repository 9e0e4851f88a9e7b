/*
** ops: what operators and their monitoring read. GET /metrics (Prometheus
** text format: the HTTP counters of http/metrics.c, both caches' hits and
** misses, queries and database errors, view-flush lag) and GET /healthz
** (200 "ok" when a trivial query works, else 503). Neither looks up a
** session; /metrics answers only the addresses of `serve --metrics-allow`
** (default loopback) when no proxy relayed the request, or an administrator's
** API bearer token.
*/
#include "pages/page.h"
#include "pages/batch.h"
#include "forum/views.h"
#include "forum/rank.h"
#include "cache/cache.h"
#include "forum/forum.h"
#include "http/metrics.h"
#include <string.h>
#include <strings.h>

#define OPS_ADMIN_GROUP 1   /* 管理员 */

/* A request relayed by a reverse proxy (nginx on the same machine connects
   from loopback) names its client in one of these: it is not a local one. */
static int proxied(req *r) {
	return http_header(r, "X-Forwarded-For") || http_header(r, "X-Real-IP") || http_header(r, "Forwarded");
}

/* who may read /metrics: 1 yes; else the refusal is sent */
static int metrics_allowed(page *p) {
	if (!proxied(p->r) && metrics_ip_allowed(p->r->ip)) return 1;
	const char *h = http_header(p->r, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7)) {
		/* elsewhere /metrics does not exist */
		http_text(p->r, 404, "text/plain; charset=utf-8", "404 Not Found\n");
		return 0;
	}
	if (!p->db) {
		http_text(p->r, 503, "text/plain; charset=utf-8", "503 database unavailable: cannot check the token\n");
		return 0;
	}
	page_load_viewer(p, 1);
	if (p->me.uid && p->me.groupid == OPS_ADMIN_GROUP) return 1;
	http_text(p->r, 403, "text/plain; charset=utf-8", "403 Forbidden: an administrator's API token is needed\n");
	return 0;
}

void page_metrics(page *p) {
	if (!metrics_allowed(p)) return;
	req *r = p->r;
	buf *o = &r->out;
	buf_reset(o);
	metrics_write_http(o, http_in_flight());
	struct cache_stats cs;
	cache_stats(&cs);
	metrics_write_one(o, "loulan_page_cache_hits_total", "counter", "Guest page cache hits.", (double)cs.use[CACHE_GUEST].hits);
	metrics_write_one(o, "loulan_page_cache_misses_total", "counter", "Guest page cache misses.",
	                  (double)cs.use[CACHE_GUEST].misses);
	metrics_write_one(o, "loulan_fragment_cache_hits_total", "counter", "Member page cache hits.",
	                  (double)cs.use[CACHE_MEMBER].hits);
	metrics_write_one(o, "loulan_fragment_cache_misses_total", "counter", "Member page cache misses.",
	                  (double)cs.use[CACHE_MEMBER].misses);
	metrics_write_one(o, "loulan_page_cache_entries", "gauge", "Page cache entries (guest and member).", (double)cs.entries);
	metrics_write_one(o, "loulan_page_cache_bytes", "gauge", "Page cache memory (guest and member).", (double)cs.bytes);
	uint64_t ranked;
	size_t rank_mem = rank_bytes(&ranked);
	metrics_write_one(o, "loulan_board_rank_bytes", "gauge", "Page starts kept for deep board pages (forum/rank.h).",
	                  (double)rank_mem);
	metrics_write_one(o, "loulan_board_rank_pages_total", "counter", "Numbered board pages started from a kept rank.",
	                  (double)ranked);
	metrics_write_one(o, "loulan_page_cache_budget_bytes", "gauge", "Page cache memory bound (serve --cache-mb).",
	                  (double)cache_budget());
	metrics_write_one(o, "loulan_sqlite_memory_bytes", "gauge",
	                  "SQLite's memory: the page caches of every connection, statements, schemas.", (double)db_sqlite_memory());
	metrics_write_one(o, "loulan_sqlite_memory_bound_bytes", "gauge",
	                  "SQLite's share of serve --cache-mb: its connections' page caches together (0 on PostgreSQL).", (double)db_sqlite_memory_bound());
	metrics_write_one(o, "loulan_memory_budget_bytes", "gauge",
	                  "serve --cache-mb: the page cache's bound plus SQLite's share.",
	                  (double)(cache_budget() + db_sqlite_memory_bound()));
	metrics_write_one(o, "loulan_page_cache_evictions_total", "counter", "Page cache evictions.", (double)cs.evictions);
	metrics_write_one(o, "loulan_page_cache_flight_waits_total", "counter",
	                  "Guest misses that waited for another request's render of the same page.", (double)cs.flight_waits);
	uint64_t so, sev, sfull, sip;   /* event streams (issue #15, pages/live.c) */
	http_stream_stats(&so, &sev, &sfull, &sip);
	metrics_write_one(o, "loulan_event_streams_open", "gauge", "Event streams (Server-Sent Events) open.", (double)so);
	metrics_write_one(o, "loulan_event_stream_wakes_total", "counter", "Events handed to open streams.", (double)sev);
	metrics_write_one(o, "loulan_event_streams_refused_node_total", "counter", "Streams refused at live.max_streams.", (double)sfull);
	metrics_write_one(o, "loulan_event_streams_refused_address_total", "counter", "Streams refused at live.max_per_ip.", (double)sip);
	uint64_t q, e;
	db_stats(&q, &e);
	metrics_write_one(o, "loulan_db_queries_total", "counter", "SQL statements executed.", (double)q);
	metrics_write_one(o, "loulan_db_errors_total", "counter", "SQL statements that failed.", (double)e);
	metrics_write_one(o, "loulan_db_round_trips_total", "counter",
	                  "Round trips to PostgreSQL (statements alone, pipelines of sent-ahead reads, prepares); 0 on SQLite.",
	                  (double)db_round_trips());
	struct batch_stats bs;   /* group commit (pages/batch.h) */
	batch_stats(&bs);
	metrics_write_one(o, "loulan_write_batches_total", "counter",
	                  "Transactions of the writer thread (group commit): one COMMIT each.", (double)bs.batches);
	metrics_write_one(o, "loulan_write_jobs_total", "counter", "Writes run by the writer thread (R_BATCH routes).",
	                  (double)bs.jobs);
	metrics_write_one(o, "loulan_write_jobs_undone_total", "counter",
	                  "Writer jobs undone alone inside their batch (left their transaction open, or a failed statement).",
	                  (double)bs.undone);
	metrics_write_one(o, "loulan_write_commit_failed_total", "counter",
	                  "Writer jobs answered 503 because their batch's COMMIT failed.", (double)bs.commit_failed);
	struct views_stats vs;
	views_stats(p->now, &vs);
	metrics_write_one(o, "loulan_view_flush_lag_seconds", "gauge",
	                  "Age of the oldest thread view not yet written to the database.", vs.lag_seconds);
	metrics_write_one(o, "loulan_views_pending_threads", "gauge", "Threads with unwritten views.",
	                  (double)vs.pending_threads);
	metrics_write_one(o, "loulan_view_flush_failures_total", "counter", "Failed view counter flushes.",
	                  (double)vs.flush_failures);
	r->status = 200;
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	http_set_header(r, "Cache-Control", "no-store");
}

void page_healthz(page *p) {
	int ok = db_ping(p->db) == 0;
	http_text(p->r, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "database unavailable\n");
	http_set_header(p->r, "Cache-Control", "no-store");
}
