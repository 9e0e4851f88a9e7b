/*
** loulan serve: the server process. Owns what runs beside the HTTP workers:
** each worker thread's database connection, the background thread (view
** counter flush, permission reload, expiry) and, on PostgreSQL, the listener
** thread that applies other nodes' cache invalidations.
*/
#include "cli/cli.h"
#include "db/db_pg.h"
#include "forum/approve.h"
#include "forum/ban.h"
#include "forum/discover.h"
#include "forum/cachegen.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/views.h"
#include "forum/attach.h"
#include "forum/perm.h"
#include "forum/rank.h"
#include "forum/admin.h"
#include "forum/moderate.h"
#include "forum/ratelimit.h"
#include "forum/session.h"
#include "forum/mail.h"
#include "forum/recover.h"
#include "http/http.h"
#include "http/metrics.h"
#include "cache/cache.h"
#include "pages/page.h"
#include "pages/batch.h"
#include "render/tpl.h"
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *listen_addr = "127.0.0.1:8080";
static long long workers, max_connections, max_per_ip, cache_mb;
/* SQLite's page caches get 1/8 of --cache-mb on a SQLite forum (docs/PERFORMANCE.md: a quarter cost 14%
   more server CPU on the crawl, the smaller page cache missing more) */
#define SERVE_SQLITE_SHARE 8
static const char *metrics_allow, *trust_proxy;
static int quiet, nofrag;

static const struct cli_opt opts[] = {
	{"listen", "ADDR:PORT", CLI_STR, &listen_addr, 0, 0, 0, "address to serve on (default 127.0.0.1:8080; port 0 picks a free port)"},
	{"workers", "N", CLI_INT, &workers, 1, 256, 0, "worker threads (default: one per CPU)"},
	{"quiet", NULL, CLI_FLAG, &quiet, 0, 0, 0, "no access log"},
	{"max-connections", "N", CLI_INT, &max_connections, 1, HTTP_CONNECTIONS_CAP, 0,
	 "cap on open client connections, event streams included (default 4096)"},
	{"max-per-ip", "N", CLI_INT, &max_per_ip, 1, HTTP_CONNECTIONS_CAP, 0,
	 "cap on open connections per client address (default 64; raise it behind a proxy that connects from one address)"},
	{"metrics-allow", "LIST", CLI_STR, &metrics_allow, 0, 0, 0,
	 "addresses or CIDR prefixes that may read GET /metrics (default " METRICS_ALLOW_DEFAULT ")"},
	{"trust-proxy", "LIST", CLI_STR, &trust_proxy, 0, 0, 0,
	 "reverse proxies (addresses or CIDR prefixes) whose X-Real-IP / X-Forwarded-For name the client"},
	{"no-fragment-cache", NULL, CLI_FLAG, &nofrag, 0, 0, 0, "render every member thread page in full (for comparing pages)"},
	{"cache-mb", "N", CLI_INT, &cache_mb, 1, CACHE_MB_MAX, 0,
	 "memory for cached pages in MiB (default 32): guests' and members' pages, and on SQLite an eighth for "
	 "SQLite's own page caches"},
	{NULL},
};

/* ---- each worker thread's connection ----------------------------------- */

static db_config g_dbc;
static pthread_key_t db_key;
static pthread_once_t db_once = PTHREAD_ONCE_INIT;

static void db_key_free(void *p) { db_close(p); }
static void db_key_init(void) { pthread_key_create(&db_key, db_key_free); }

/* opened on the thread's first request, closed when the thread ends */
static db *worker_db(void) {
	pthread_once(&db_once, db_key_init);
	db *d = pthread_getspecific(db_key);
	if (!d) {
		char err[256];
		if (db_open(&d, &g_dbc, err, sizeof err)) {
			fprintf(stderr, "loulan: database: %s\n", err);
			return NULL;
		}
		pthread_setspecific(db_key, d);
	}
	return d;
}

/* ---- the background thread --------------------------------------------- */

static pthread_mutex_t bg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_cv = PTHREAD_COND_INITIALIZER;
static int bg_stop;
#define BG_TICK_MS 250      /* settings are checked this often */
#define BG_FLUSH_MS 2000    /* view counters flushed, permissions reloaded this often */
#define BG_EXPIRE_SECS 60   /* expired sessions and rate-limit rows are deleted this often */
#define BG_BAN_SECS 1       /* expired bans (禁言, 禁止访问) are lifted this often: one indexed query */

/* the CLOCK_REALTIME time ms from now, for pthread_cond_timedwait */
static struct timespec deadline_in(long ms) {
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* the generations a settings change moves: the site's (a local write, or a
   NOTIFY from another node) and the epoch (DIR/loulan.gen on SQLite) */
static uint64_t settings_gen(void) { return cachegen_get(CACHEGEN_SITE, 0) + cachegen_get(CACHEGEN_EPOCH, 0); }

/* Reloads the settings when the generations moved (every write moves the
   site's: a reload that finds nothing changed is discarded). A changed
   snapshot drops every cached page: one rendered between the write and the
   reload shows the old values. */
static void settings_check(db *d, uint64_t *seen, int64_t *admin_seen) {
	uint64_t g = settings_gen();
	if (g == *seen) return;
	int changed;
	if (site_reload(d, &changed)) {
		fprintf(stderr, "loulan: settings not reloaded: %s (will retry)\n", db_errmsg(d));
		return;
	}
	if (mod_load(d)) {   /* board moderators (moderate.h): retried on the next tick */
		fprintf(stderr, "loulan: moderators not reloaded: %s (will retry)\n", db_errmsg(d));
		return;
	}
	/* an admin changed groups, rating ranges or board permissions (/admin, any node): reload them */
	int64_t last = admin_log_last(d);
	if (last > *admin_seen) {
		if (groups_load(d) || perm_load(d)) {
			fprintf(stderr, "loulan: groups not reloaded: %s (will retry)\n", db_errmsg(d));
			return;
		}
		*admin_seen = last;
		changed = 1;
	}
	*seen = g;
	if (changed) {
		cachegen_bump_all(NULL);   /* local only; moves settings_gen by one */
		*seen = g + 1;
	}
}

/* Every BG_TICK_MS: reloads changed settings. Every BG_FLUSH_MS: flushes
   view counters and reloads the board permissions (another process may
   have changed them: `loulan board perm`, another node). Every minute:
   deletes expired sessions and rate-limit rows. Every second: lifts the
   bans that expired (ban_expire), restoring the members' groups. */
static void *background(void *arg) {
	db *d = arg;
	time_t last_expire = 0, last_ban = 0;
	uint64_t seen = settings_gen();
	int64_t admin_seen = admin_log_last(d);
	int ticks = 0;
	pthread_mutex_lock(&bg_mu);
	while (!bg_stop) {
		struct timespec ts = deadline_in(BG_TICK_MS);
		pthread_cond_timedwait(&bg_cv, &bg_mu, &ts);
		pthread_mutex_unlock(&bg_mu);
		settings_check(d, &seen, &admin_seen);
		if (++ticks >= BG_FLUSH_MS / BG_TICK_MS) {
			ticks = 0;
			if (views_flush(d)) fprintf(stderr, "loulan: view counters not flushed: %s (will retry)\n", db_errmsg(d));
			if (online_flush(d, time(NULL))) fprintf(stderr, "loulan: online list not flushed: %s (will retry)\n", db_errmsg(d));
			if (perm_load(d)) fprintf(stderr, "loulan: board permissions not reloaded: %s (will retry)\n", db_errmsg(d));
			if (approval_load(d)) fprintf(stderr, "loulan: approval settings not reloaded: %s (will retry)\n", db_errmsg(d));
			if (modq_refresh(d)) fprintf(stderr, "loulan: report count not read: %s (will retry)\n", db_errmsg(d));
			/* give back what the page cache's evictions freed: glibc keeps freed chunks in each
			   thread's arena, ~1 MiB after a crawl (issue 16's RSS row); a pass is a walk of the
			   free lists, a page used again costs a fault */
			malloc_trim(0);
		}
		/* page starts of the boards paged deeply (forum/rank.h): at most one rebuild a second each */
		if (rank_refresh(d)) fprintf(stderr, "loulan: board page starts not read: %s (will retry)\n", db_errmsg(d));
		time_t now = time(NULL);
		if (now - last_ban >= BG_BAN_SECS) {
			if (ban_expire(d, now) < 0) fprintf(stderr, "loulan: expired bans not lifted: %s (will retry)\n", db_errmsg(d));
			else last_ban = now;
		}
		if (now - last_expire >= BG_EXPIRE_SECS) {
			/* uploads no post took within attach.unused_ttl (one batch a minute) */
			if (attach_collect(d, now, site_get()->attach_unused_ttl) < 0)
				fprintf(stderr, "loulan: unused attachments not collected: %s (will retry)\n", db_errmsg(d));
			if (session_expire(d, now) || ratelimit_expire(d, now) || recover_expire(d, now) || mail_expire(d, now))
				fprintf(stderr, "loulan: expired rows not deleted: %s (will retry)\n", db_errmsg(d));
			else
				last_expire = now;
		}
		pthread_mutex_lock(&bg_mu);
	}
	pthread_mutex_unlock(&bg_mu);
	return NULL;
}

/* ---- the mail thread --------------------------------------------------- */

/* Sends the queued mail (forum/mail.h) on its own connection, so a slow SMTP
** server delays neither requests nor the background thread. Every node runs
** one; rows are claimed atomically, so each mail goes out once. */
static pthread_mutex_t mail_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mail_cv = PTHREAD_COND_INITIALIZER;
static int mail_stop;
#define MAIL_POLL_MS 500    /* the queue is looked at this often */

static void *mailer(void *arg) {
	const db_config *cfg = arg;
	db *d = NULL;
	char err[256];
	pthread_mutex_lock(&mail_mu);
	while (!mail_stop) {
		struct timespec ts = deadline_in(MAIL_POLL_MS);
		pthread_cond_timedwait(&mail_cv, &mail_mu, &ts);
		pthread_mutex_unlock(&mail_mu);
		if (!d && db_open(&d, cfg, err, sizeof err)) {
			fprintf(stderr, "loulan: mail: %s (will retry)\n", err);
			d = NULL;
		}
		/* 找回密码 requests become mails here (recover.h), then the queue is sent */
		if (d && (recover_run_due(d, time(NULL)) < 0 || mail_send_due(d, time(NULL), &mail_stop) < 0)) {
			fprintf(stderr, "loulan: mail queue not read: %s (will retry)\n", db_errmsg(d));
			db_close(d);   /* a lost connection is opened again on the next turn */
			d = NULL;
		}
		pthread_mutex_lock(&mail_mu);
	}
	pthread_mutex_unlock(&mail_mu);
	if (d) db_close(d);
	return NULL;
}

/* ---- the listener thread (PostgreSQL) ---------------------------------- */

/* Applies other nodes' cache invalidations (NOTIFY loulan_gen). Runs on its
** own connection; when that connection is lost, notifications may have been
** missed, so the whole cache is dropped (the epoch bumped). */
static int lis_stop;
static int lis_ready;      /* listening (serve waits for it before accepting) */
static int lis_late;       /* serve stopped waiting: pages may be cached already */
#define LISTEN_POLL_MS 250
#define LISTEN_WAIT_MS 5000

static void *listener(void *arg) {
	const db_config *cfg = arg;
	db *d = NULL;
	char err[256], payload[CACHEGEN_PAYLOAD_MAX + 32];
	while (!__atomic_load_n(&lis_stop, __ATOMIC_SEQ_CST)) {
		if (!d) {
			if (db_open(&d, cfg, err, sizeof err) || db_pg_listen(d, CACHEGEN_CHANNEL)) {
				fprintf(stderr, "loulan: cache listener: %s (retrying)\n", d ? db_errmsg(d) : err);
				if (d) db_close(d);
				d = NULL;
				usleep(LISTEN_POLL_MS * 1000);
				continue;
			}
			/* a reconnect, or a first connection after serving began: what was
			   sent meanwhile is lost, so drop everything cached */
			if (__atomic_load_n(&lis_ready, __ATOMIC_SEQ_CST) || __atomic_load_n(&lis_late, __ATOMIC_SEQ_CST))
				cachegen_bump_all(NULL);
			__atomic_store_n(&lis_ready, 1, __ATOMIC_SEQ_CST);
		}
		int rc = db_pg_wait_notify(d, LISTEN_POLL_MS, payload, sizeof payload);
		if (rc == 1) {
			/* cache bumps and live events (new replies, members' counters: cachegen.h) */
			if (cachegen_apply(payload) < 0) fprintf(stderr, "loulan: cache listener: bad payload %.64s\n", payload);
		} else if (rc < 0) {
			cachegen_bump_all(NULL);
			usleep(LISTEN_POLL_MS * 1000);
		}
	}
	if (d) db_close(d);
	return NULL;
}

/* a file part over attach.max_size is refused while it arrives (http_config.file_cap) */
static uint64_t upload_file_cap(void) { return (uint64_t)site_get()->attach_max_size; }

/* live events (cachegen_event, this node's after COMMIT, the others' through the listener) wake the
   event streams of their topic (pages/live.c) */
static void live_sink(int kind, int64_t id, int64_t arg) { http_stream_publish(kind, id, arg); }
static int live_heartbeat(void) { return (int)site_get()->live_heartbeat; }

static void on_listen(const char *host, int port) {
	fprintf(stderr, "loulan: listening on http://%s:%d\n", host, port);
}

static int run(char **args, int nargs) {
	char rerr[256];
	if (routes_check(rerr, sizeof rerr)) {
		/* a bug in the route table, not a user error: refuse to serve it */
		fprintf(stderr, "loulan: BUG: %s\n", rerr);
		return 70;
	}
	if (trust_proxy && http_trust_proxy_valid(trust_proxy)) {
		fprintf(stderr, "loulan: --trust-proxy wants addresses or CIDR prefixes, e.g. 127.0.0.1/32\n");
		return 2;
	}
	if (metrics_allow && metrics_set_allow(metrics_allow)) {
		fprintf(stderr, "loulan: --metrics-allow wants addresses or CIDR prefixes, e.g. 127.0.0.0/8,::1\n");
		return 2;
	}
	char host[64];
	const char *colon = strrchr(listen_addr, ':');
	char *end;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	if (!colon || colon == listen_addr || (size_t)(colon - listen_addr) >= sizeof host || *end || port < 0 || port > 65535) {
		fprintf(stderr, "loulan: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
		return 2;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen_addr), listen_addr);
	http_block_signals();
	db *d = cli_open_store(CLI_SERVING);
	if (!d) return 1;
	char err[512];
	if (tpl_load_embedded(err, sizeof err)) {
		fprintf(stderr, "loulan: template: %s\n", err);
		db_close(d);
		return 1;
	}
	static_init();
	if (apispec_init(err, sizeof err)) {   /* api/FAMILY.json: a broken file is a build's bug */
		fprintf(stderr, "loulan: BUG: the API description: %s\n", err);
		db_close(d);
		return 70;
	}
	if (apispec_check(err, sizeof err))    /* test_routes.c fails on it; serving goes on */
		fprintf(stderr, "loulan: warning: the API description: %s\n", err);
	views_init();
	g_dbc = (db_config){cli_data ? cli_data : ".", cli_db};
	struct app_config ac = {worker_db, nofrag, 1};
	app_set_config(&ac);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nworkers = workers ? (int)workers : (int)(ncpu > 0 ? ncpu : 2);
	/* --cache-mb bounds every page cache together (issue 16): on SQLite an eighth of it is SQLite's own
	   page caches (SERVE_SQLITE_SHARE), split evenly over the connections this process opens (one per
	   worker, this thread's, the mailer's and the writer's), the rest the guest and member pages */
	size_t budget = cache_mb ? (size_t)cache_mb << 20 : CACHE_MAX_BYTES;
	if (db_kind(d) == DB_SQLITE) {
		if (db_sqlite_memory_limit(d, budget / SERVE_SQLITE_SHARE, nworkers + 3))
			fprintf(stderr, "loulan: warning: SQLite's page cache size: %s\n", db_errmsg(d));
		budget -= budget / SERVE_SQLITE_SHARE;
	}
	cache_init(budget);
	cache_set_responder(app_cache_response);
	pthread_t bg, lis, mail;
	pthread_create(&bg, NULL, background, d);
	pthread_create(&mail, NULL, mailer, &g_dbc);
	int listening = db_kind(d) == DB_PG;
	if (listening) {
		pthread_create(&lis, NULL, listener, &g_dbc);
		for (int i = 0; i < LISTEN_WAIT_MS / 10 && !__atomic_load_n(&lis_ready, __ATOMIC_SEQ_CST); i++) usleep(10000);
		if (!__atomic_load_n(&lis_ready, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&lis_late, 1, __ATOMIC_SEQ_CST);
			fprintf(stderr, "loulan: cache listener not connected yet; serving anyway\n");
		}
	}
	struct http_config hc = {host, (int)port, nworkers, app_handle, on_listen,
	                         quiet, (int)max_connections, (int)max_per_ip, trust_proxy, upload_file_cap, live_heartbeat};
	cachegen_set_event_sink(live_sink);
	int rc = http_serve(&hc);
	batch_stop();   /* http_serve waited for every deferred request: the writer's queue is empty */
	pthread_mutex_lock(&bg_mu);
	bg_stop = 1;
	pthread_cond_signal(&bg_cv);
	pthread_mutex_unlock(&bg_mu);
	pthread_join(bg, NULL);
	pthread_mutex_lock(&mail_mu);
	__atomic_store_n(&mail_stop, 1, __ATOMIC_SEQ_CST);   /* also read by a send in progress (mail_send_due) */
	pthread_cond_signal(&mail_cv);
	pthread_mutex_unlock(&mail_mu);
	pthread_join(mail, NULL);
	if (listening) {
		__atomic_store_n(&lis_stop, 1, __ATOMIC_SEQ_CST);
		pthread_join(lis, NULL);
	}
	cache_free();
	if (views_flush(d)) fprintf(stderr, "loulan: final view flush failed: %s\n", db_errmsg(d));
	views_free();
	db_close(d);
	tpl_unload_all();
	perm_free();
	rank_free();
	mod_free();
	approval_free();
	return rc ? 1 : 0;
}

const struct cli_cmd cli_serve = {
	"serve", NULL, 0, 0, 1, opts, "serve the forum over HTTP",
	"Serves the forum until SIGTERM or SIGINT, then finishes requests in flight, flushes\n"
	"counters and exits 0. The chosen address is printed as 'loulan: listening on\n"
	"http://ADDR:PORT'. Settings changed with 'loulan config set' (from any process or\n"
	"node) are picked up while serving. Queued mail is sent by a mail thread (smtp.*).\n"
	"A request head must arrive whole within 10 s\n"
	"(2 s while 75% of --max-connections are open) and a body at 1 KiB/s or faster\n"
	"after 10 s, or the connection is closed. GET /metrics (Prometheus) answers the\n"
	"--metrics-allow addresses (requests without proxy headers) and requests with an\n"
	"administrator's API bearer token; GET /healthz answers 200 ok while the database does.\n"
	"Behind a reverse proxy, name it with --trust-proxy (e.g. 127.0.0.1/32) so that\n"
	"throttles, the online list and the access log see each client's own address, and\n"
	"raise --max-per-ip: every proxied connection comes from the proxy's address.",
	run,
};
