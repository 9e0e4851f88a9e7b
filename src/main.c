/*
** main: the loulan command line. Each command parses its options, opens
** the database and calls forum/; `serve` starts the HTTP server.
**   loulan init   --data DIR [--db URL] [--demo]
**   loulan serve  --data DIR [--db URL] [--listen ADDR:PORT] [--workers N] [--quiet]
**   loulan board add --data DIR --name NAME [--category NAME] [--types A,B] [--description D]
**   loulan config set|get --data DIR KEY [VALUE]
**   loulan user add --data DIR --name NAME [--admin] [--email E]   (password on stdin)
**   loulan gen --data DIR --boards B --threads T --posts P [--big N] [--seed S]
**   loulan user group --data DIR --name NAME --group GID
**   loulan board perm --data DIR --fid N --group G [--view 0|1] [--post 0|1] [--reply 0|1] [--upload 0|1]
**   loulan credit rule --data DIR ACTION FID EXT1 EXT2 EXT3 CYCLE CAP
**   loulan post   --data DIR --name USER (--board FID --subject S | --thread TID)  (body on stdin)
**   loulan copy --from DIR --to postgres://...    (SQLite forum into an empty PostgreSQL)
*/
#include "db/db.h"
#include "db/db_pg.h"
#include "forum/cachegen.h"
#include "forum/copy.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/views.h"
#include "forum/write.h"
#include "forum/rerender.h"
#include "forum/user.h"
#include "forum/demo.h"
#include "forum/gen.h"
#include "forum/posting.h"
#include "forum/password.h"
#include "forum/perm.h"
#include "forum/ratelimit.h"
#include "forum/session.h"
#include "forum/react.h"
#include "forum/credit.h"
#include "http/http.h"
#include "pages/cache.h"
#include "pages/frag.h"
#include "pages/page.h"
#include "render/tpl.h"
#include "util/die.h"
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOULAN_VERSION "0.1.0"

struct opts {
	const char *data, *db, *listen, *name, *category, *types, *email, *description, *from, *to;
	int demo, admin, workers, quiet, nofrag, help, requiretype, serving, max_connections;
	long long boards, threads, posts, big, seed;   /* gen; -1 when not given */
	int64_t fid, group;
	int perm[4];   /* view, post, reply, upload: -1 not given */
};

enum { O_DATA = 1000, O_DB, O_DEMO, O_LISTEN, O_WORKERS, O_NAME, O_CATEGORY, O_TYPES, O_ADMIN, O_EMAIL, O_QUIET, O_DESC, O_BOARDS,
       O_THREADS, O_POSTS, O_BIG, O_SEED, O_FID, O_GROUP, O_VIEW, O_POST, O_REPLY, O_UPLOAD, O_REQTYPE, O_FROM, O_TO, O_MAXCONN, O_NOFRAG };

static const struct option longopts[] = {
	{"data", required_argument, NULL, O_DATA},
	{"db", required_argument, NULL, O_DB},
	{"demo", no_argument, NULL, O_DEMO},
	{"listen", required_argument, NULL, O_LISTEN},
	{"workers", required_argument, NULL, O_WORKERS},
	{"name", required_argument, NULL, O_NAME},
	{"category", required_argument, NULL, O_CATEGORY},
	{"types", required_argument, NULL, O_TYPES},
	{"admin", no_argument, NULL, O_ADMIN},
	{"email", required_argument, NULL, O_EMAIL},
	{"description", required_argument, NULL, O_DESC},
	{"quiet", no_argument, NULL, O_QUIET},
	{"no-fragment-cache", no_argument, NULL, O_NOFRAG},
	{"boards", required_argument, NULL, O_BOARDS},
	{"threads", required_argument, NULL, O_THREADS},
	{"posts", required_argument, NULL, O_POSTS},
	{"big", required_argument, NULL, O_BIG},
	{"seed", required_argument, NULL, O_SEED},
	{"fid", required_argument, NULL, O_FID},
	{"group", required_argument, NULL, O_GROUP},
	{"view", required_argument, NULL, O_VIEW},
	{"post", required_argument, NULL, O_POST},
	{"reply", required_argument, NULL, O_REPLY},
	{"upload", required_argument, NULL, O_UPLOAD},
	{"require-type", no_argument, NULL, O_REQTYPE},
	{"max-connections", required_argument, NULL, O_MAXCONN},
	{"from", required_argument, NULL, O_FROM},
	{"to", required_argument, NULL, O_TO},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const char usage_main[] =
	"loulan " LOULAN_VERSION " - a fast Discuz!-style forum in one binary\n"
	"\n"
	"usage: loulan COMMAND [options]\n"
	"\n"
	"  init        --data DIR [--db URL] [--demo]    create a forum (and a demo one)\n"
	"  serve       --data DIR [--db URL] [--listen 127.0.0.1:8080] [--workers N] [--quiet]\n"
	"  board add   --data DIR --name NAME [--category NAME] [--types A,B [--require-type]] [--description TEXT]\n"
	"  config set  --data DIR KEY VALUE\n"
	"  config get  --data DIR KEY\n"
	"  user add    --data DIR --name NAME [--admin] [--email E]   (password read from stdin)\n"
	"  gen         --data DIR --boards B --threads T --posts P [--big N] [--seed S]\n"
	"              fill a forum with synthetic boards, members, threads and posts\n"
	"  user group  --data DIR --name NAME --group GID   (e.g. 4 禁止发言, 5 禁止访问, 10 新手上路)\n"
	"  board perm  --data DIR --fid N --group GID [--view 0|1] [--post 0|1] [--reply 0|1] [--upload 0|1]\n"
	"  credit rule --data DIR ACTION FID EXT1 EXT2 EXT3 once|daily|unlimited CAP   set a credit rule (FID 0: all)\n"
	"  post        --data DIR --name USER (--board FID --subject S | --thread TID)  (BBCode body from stdin)\n"
	"  copy        --from DIR --to postgres://...   copy a SQLite forum into an empty PostgreSQL\n"
	"  rerender    --data DIR [--db URL]   render every stored post again (after an upgrade)\n"
	"\n"
	"--data DIR keeps the forum in DIR/loulan.db (SQLite); --db postgres://USER@HOST:PORT/DB\n"
	"uses PostgreSQL instead. Settings: site.name, site.description, site.timezone,\n"
	"site.footer_links (name|url,name|url), site.icp, site.police_filing, site.copyright,\n"
	"site.cookie_secure (1 behind an HTTPS proxy), auth.login_max_failures, auth.login_window,\n"
	"auth.register_max, auth.register_window, auth.session_ttl, auth.session_ttl_remember\n"
	"(positive integers; windows and TTLs in seconds), post.flood_seconds (seconds between a\n"
	"member's posts, default 15; 0 turns flood control off). Run 'loulan COMMAND --help' for one command.\n";

/* a non-negative decimal count for option NAME */
static int parse_count(const char *name, const char *arg, long long *out) {
	char *end;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < 0) {
		fprintf(stderr, "loulan: --%s wants a non-negative integer, not '%s'\n", name, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o) {
	memset(o, 0, sizeof *o);
	o->boards = o->threads = o->posts = o->big = o->seed = -1;
	o->listen = "127.0.0.1:8080";
	for (int i = 0; i < 4; i++) o->perm[i] = -1;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_DATA: o->data = optarg; break;
		case O_DB: o->db = optarg; break;
		case O_DEMO: o->demo = 1; break;
		case O_LISTEN: o->listen = optarg; break;
		case O_WORKERS: {
			char *end;
			long w = strtol(optarg, &end, 10);
			if (*end || w < 1 || w > 256) {
				fprintf(stderr, "loulan: --workers must be 1-256\n");
				return -1;
			}
			o->workers = (int)w;
			break;
		}
		case O_NAME: o->name = optarg; break;
		case O_CATEGORY: o->category = optarg; break;
		case O_TYPES: o->types = optarg; break;
		case O_ADMIN: o->admin = 1; break;
		case O_EMAIL: o->email = optarg; break;
		case O_DESC: o->description = optarg; break;
		case O_QUIET: o->quiet = 1; break;
		case O_NOFRAG: o->nofrag = 1; break;
		case O_BOARDS: if (parse_count("boards", optarg, &o->boards)) return -1; break;
		case O_THREADS: if (parse_count("threads", optarg, &o->threads)) return -1; break;
		case O_POSTS: if (parse_count("posts", optarg, &o->posts)) return -1; break;
		case O_BIG: if (parse_count("big", optarg, &o->big)) return -1; break;
		case O_SEED: if (parse_count("seed", optarg, &o->seed)) return -1; break;
		case O_FID:
		case O_GROUP: {
			char *end;
			long long v = strtoll(optarg, &end, 10);
			if (!*optarg || *end || v < 1) {
				fprintf(stderr, "loulan: --%s must be a positive integer\n", c == O_FID ? "fid" : "group");
				return -1;
			}
			*(c == O_FID ? &o->fid : &o->group) = v;
			break;
		}
		case O_VIEW: case O_POST: case O_REPLY: case O_UPLOAD:
			if (strcmp(optarg, "0") && strcmp(optarg, "1")) {
				fprintf(stderr, "loulan: --view, --post, --reply and --upload take 0 or 1\n");
				return -1;
			}
			o->perm[c - O_VIEW] = optarg[0] == '1';
			break;
		case O_REQTYPE: o->requiretype = 1; break;
		case O_MAXCONN: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > HTTP_MAX_CONNECTIONS) {
				fprintf(stderr, "loulan: --max-connections must be 1-%d\n", HTTP_MAX_CONNECTIONS);
				return -1;
			}
			o->max_connections = (int)v;
			break;
		}
		case O_FROM: o->from = optarg; break;
		case O_TO: o->to = optarg; break;
		case 'h': o->help = 1; break;
		default:
			fprintf(stderr, "loulan: unknown or incomplete option %s\n", argv[optind - 1]);
			return -1;
		}
	}
	return 0;
}

static int need_store(const struct opts *o) {
	if (!o->data && !o->db) {
		fprintf(stderr, "loulan: --data DIR (or --db URL) is required\n");
		return -1;
	}
	return 0;
}

static db *open_db(const struct opts *o, int create) {
	if (o->data && create && mkdir(o->data, 0700) && errno != EEXIST) {
		fprintf(stderr, "loulan: cannot create %s: %s\n", o->data, strerror(errno));
		return NULL;
	}
	if (o->data && !o->db && !create) {
		char path[4096];
		snprintf(path, sizeof path, "%s/loulan.db", o->data);
		if (access(path, F_OK)) {
			fprintf(stderr, "loulan: no forum in %s (run 'loulan init --data %s' first)\n", o->data, o->data);
			return NULL;
		}
	}
	db_config cfg = {o->data ? o->data : ".", o->db};
	db *d;
	char err[512];
	if (db_open(&d, &cfg, err, sizeof err)) {
		fprintf(stderr, "loulan: %s\n", err);
		return NULL;
	}
	if (db_kind(d) == DB_SQLITE && o->data) {
		/* a server on the same directory learns of this command's writes
		   (serve maps the file to watch it instead) */
		char path[4096];
		snprintf(path, sizeof path, "%s/loulan.gen", o->data);
		if (cachegen_share_file(path, !o->serving))
			fprintf(stderr, "loulan: warning: cannot map %s: a running server will not see these changes "
			                "until its cache expires\n", path);
	}
	if (!create) {
		int v = db_schema_version(d);
		if (v <= 0) {
			fprintf(stderr, "loulan: the database is not initialised (run 'loulan init' first)\n");
			db_close(d);
			return NULL;
		}
		if (db_migrate(d, err, sizeof err)) {
			fprintf(stderr, "loulan: %s\n", err);
			db_close(d);
			return NULL;
		}
	}
	/* a fresh database has no tables yet: init loads settings after migrating */
	if (!create && (site_load(d) || groups_load(d) || perm_load(d))) {
		fprintf(stderr, "loulan: cannot read settings: %s\n", db_errmsg(d));
		db_close(d);
		return NULL;
	}
	return d;
}

static int cmd_init(int argc, char **argv) {
	struct opts o;
	if (parse(argc, argv, &o)) return 2;
	if (o.help) {
		puts("usage: loulan init --data DIR [--db URL] [--demo]\n\n"
		     "Creates the forum's database (or brings its schema up to date) with default\n"
		     "settings and user groups. --demo also adds boards, members and threads, and an\n"
		     "admin account whose password is printed and saved to DIR/admin-login.txt.");
		return 0;
	}
	if (need_store(&o)) return 2;
	db *d = open_db(&o, 1);
	if (!d) return 1;
	char err[512];
	int rc = 1;
	if (db_migrate(d, err, sizeof err)) {
		fprintf(stderr, "loulan: %s\n", err);
		goto out;
	}
	if (db_begin(d) || site_init_defaults(d) || db_commit(d)) {
		fprintf(stderr, "loulan: cannot write defaults: %s\n", db_errmsg(d));
		db_rollback(d);
		goto out;
	}
	if (site_load(d) || groups_load(d) || perm_load(d)) {
		fprintf(stderr, "loulan: cannot read settings: %s\n", db_errmsg(d));
		goto out;
	}
	if (o.demo) {
		int64_t boards = forum_board_count(d);
		if (boards != 0) {
			fprintf(stderr, "loulan: this forum already has boards; --demo only fills an empty forum\n");
			goto out;
		}
		char pw[40];
		password_random_token(pw, sizeof pw, 8);
		if (db_begin(d)) {
			fprintf(stderr, "loulan: %s\n", db_errmsg(d));
			goto out;
		}
		struct forum_err fe = {0};
		if (demo_create(d, pw, &fe) || db_commit(d)) {
			fprintf(stderr, "loulan: demo: %s\n", fe.msg[0] ? fe.msg : db_errmsg(d));
			db_rollback(d);
			goto out;
		}
		if (o.data) {
			char path[4096];
			snprintf(path, sizeof path, "%s/admin-login.txt", o.data);
			FILE *f = fopen(path, "w");
			if (f) {
				fchmod(fileno(f), 0600);
				fprintf(f, "admin login: admin / %s\n", pw);
				fclose(f);
			}
		}
		printf("demo forum created\nadmin login: admin / %s\n", pw);
	} else {
		printf("forum ready\n");
	}
	rc = 0;
out:
	db_close(d);
	tpl_unload_all();
	return rc;
}

/* ---- serve -------------------------------------------------------------- */

static pthread_mutex_t bg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_cv = PTHREAD_COND_INITIALIZER;
static int bg_stop;
#define BG_FLUSH_MS 2000
#define BG_EXPIRE_SECS 60   /* expired sessions and rate-limit rows are deleted this often */

/* The background thread: flushes view counters and reloads the board
   permissions (another process may have changed them: `loulan board perm`,
   another node) every few seconds; deletes expired sessions and rate-limit
   rows every minute. */
static void *background(void *arg) {
	db *d = arg;
	time_t last_expire = 0;
	pthread_mutex_lock(&bg_mu);
	while (!bg_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += BG_FLUSH_MS / 1000;
		pthread_cond_timedwait(&bg_cv, &bg_mu, &ts);
		pthread_mutex_unlock(&bg_mu);
		if (views_flush(d)) fprintf(stderr, "loulan: view counters not flushed: %s (will retry)\n", db_errmsg(d));
		if (perm_load(d)) fprintf(stderr, "loulan: board permissions not reloaded: %s (will retry)\n", db_errmsg(d));
		time_t now = time(NULL);
		if (now - last_expire >= BG_EXPIRE_SECS) {
			if (session_expire(d, now) || ratelimit_expire(d, now))
				fprintf(stderr, "loulan: expired rows not deleted: %s (will retry)\n", db_errmsg(d));
			else
				last_expire = now;
		}
		pthread_mutex_lock(&bg_mu);
	}
	pthread_mutex_unlock(&bg_mu);
	return NULL;
}

/* PostgreSQL: applies other nodes' cache invalidations (NOTIFY loulan_gen).
** Runs on its own connection; when that connection is lost, notifications
** may have been missed, so the whole cache is dropped (the epoch bumped). */
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
			if (cachegen_apply(payload) < 0) fprintf(stderr, "loulan: cache listener: bad payload %.64s\n", payload);
		} else if (rc < 0) {
			cachegen_bump_all(NULL);
			usleep(LISTEN_POLL_MS * 1000);
		}
	}
	if (d) db_close(d);
	return NULL;
}

static void on_listen(const char *host, int port) {
	fprintf(stderr, "loulan: listening on http://%s:%d\n", host, port);
}

static int cmd_serve(int argc, char **argv) {
	struct opts o;
	if (parse(argc, argv, &o)) return 2;
	if (o.help) {
		puts("usage: loulan serve --data DIR [--db URL] [--listen 127.0.0.1:8080] [--workers N] [--quiet]\n"
		     "                    [--max-connections N] [--no-fragment-cache]\n\n"
		     "Serves the forum until SIGTERM or SIGINT, then finishes requests in flight, flushes\n"
		     "counters and exits 0. --listen with port 0 picks a free port; the chosen address is\n"
		     "printed as 'loulan: listening on http://ADDR:PORT'. --quiet turns off the access log.\n"
		     "--max-connections caps open client connections (default and maximum 4096).\n"
		     "--no-fragment-cache renders every member thread page in full (for comparing pages).");
		return 0;
	}
	if (need_store(&o)) return 2;
	char rerr[256];
	if (routes_check(rerr, sizeof rerr)) {
		/* a bug in the route table, not a user error: refuse to serve it */
		fprintf(stderr, "loulan: BUG: %s\n", rerr);
		return 70;
	}
	char host[64];
	int port;
	const char *colon = strrchr(o.listen, ':');
	char *end;
	long pl = colon ? strtol(colon + 1, &end, 10) : -1;
	if (!colon || colon == o.listen || (size_t)(colon - o.listen) >= sizeof host || *end || pl < 0 || pl > 65535) {
		fprintf(stderr, "loulan: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
		return 2;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - o.listen), o.listen);
	port = (int)pl;
	http_block_signals();
	o.serving = 1;
	db *d = open_db(&o, 0);
	if (!d) return 1;
	char err[512];
	if (tpl_load_embedded(err, sizeof err)) {
		fprintf(stderr, "loulan: template: %s\n", err);
		db_close(d);
		return 1;
	}
	static_init();
	views_init();
	struct app_config ac = {{o.data ? o.data : ".", o.db}, o.nofrag};
	app_set_config(&ac);
	cache_init(0);
	frag_init(0);
	cache_set_responder(app_cache_response);
	pthread_t bg, lis;
	pthread_create(&bg, NULL, background, d);
	int listening = db_kind(d) == DB_PG;
	if (listening) {
		pthread_create(&lis, NULL, listener, &ac.dbc);
		for (int i = 0; i < LISTEN_WAIT_MS / 10 && !__atomic_load_n(&lis_ready, __ATOMIC_SEQ_CST); i++) usleep(10000);
		if (!__atomic_load_n(&lis_ready, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&lis_late, 1, __ATOMIC_SEQ_CST);
			fprintf(stderr, "loulan: cache listener not connected yet; serving anyway\n");
		}
	}
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct http_config hc = {host, port, o.workers ? o.workers : (int)(ncpu > 0 ? ncpu : 2), app_handle, on_listen, o.quiet,
	                         o.max_connections};
	int rc = http_serve(&hc);
	pthread_mutex_lock(&bg_mu);
	bg_stop = 1;
	pthread_cond_signal(&bg_cv);
	pthread_mutex_unlock(&bg_mu);
	pthread_join(bg, NULL);
	if (listening) {
		__atomic_store_n(&lis_stop, 1, __ATOMIC_SEQ_CST);
		pthread_join(lis, NULL);
	}
	cache_free();
	frag_free();
	if (views_flush(d)) fprintf(stderr, "loulan: final view flush failed: %s\n", db_errmsg(d));
	db_close(d);
	tpl_unload_all();
	perm_free();
	return rc ? 1 : 0;
}

/* ---- board, config, user -------------------------------------------------- */

/* loulan board perm: sets one board's permissions for one group */
static int cmd_board_perm(int argc, char **argv) {
	struct opts o;
	if (parse(argc, argv, &o)) return 2;
	if (o.help) {
		puts("usage: loulan board perm --data DIR --fid N --group GID [--view 0|1] [--post 0|1] [--reply 0|1] [--upload 0|1]\n\n"
		     "Sets what user group GID may do on board N. Flags not given keep the board's current\n"
		     "value for the group, or the group's default (usergroup allowvisit/allowpost/allowreply).\n"
		     "The 禁止访问 (5) and 禁止发言 (4) groups stay banned whatever a board says. A running\n"
		     "server picks the change up within a few seconds.");
		return 0;
	}
	if (need_store(&o)) return 2;
	if (!o.fid || !o.group) {
		fprintf(stderr, "loulan: --fid and --group are required\n");
		return 2;
	}
	db *d = open_db(&o, 0);
	if (!d) return 1;
	struct forum_err e = {0};
	/* flags not given keep the board's row, or the group's defaults */
	int cur[4];
	perm_board_get(o.fid, o.group, cur);
	for (int i = 0; i < 4; i++)
		if (o.perm[i] >= 0) cur[i] = o.perm[i];
	int rc = 0;
	if (perm_set(d, o.fid, o.group, cur[0], cur[1], cur[2], cur[3], &e)) {
		fprintf(stderr, "loulan: %s\n", e.msg);
		rc = 1;
	} else {
		printf("board %lld group %lld: view=%d post=%d reply=%d upload=%d\n", (long long)o.fid, (long long)o.group,
		       cur[0], cur[1], cur[2], cur[3]);
	}
	db_close(d);
	return rc;
}

static int cmd_board(int argc, char **argv) {
	struct opts o;
	if (argc >= 2 && !strcmp(argv[1], "perm")) return cmd_board_perm(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "add")) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			puts("usage: loulan board add --data DIR --name NAME [--category NAME] [--types A,B [--require-type]] [--description TEXT]");
			return 0;
		}
		fprintf(stderr, "usage: loulan board add --data DIR --name NAME [--category NAME] [--types A,B]\n");
		return 2;
	}
	if (parse(argc - 1, argv + 1, &o)) return 2;
	if (o.help) {
		puts("usage: loulan board add --data DIR --name NAME [--category NAME] [--types A,B [--require-type]] [--description TEXT]\n\n"
		     "Adds a board (in the category NAME, created when missing; default 默认分区) with\n"
		     "optional thread types, and prints its fid. --require-type makes choosing one of\n"
		     "the types mandatory for new threads.");
		return 0;
	}
	if (need_store(&o)) return 2;
	if (!o.name) {
		fprintf(stderr, "loulan: --name is required\n");
		return 2;
	}
	db *d = open_db(&o, 0);
	if (!d) return 1;
	struct forum_err e = {0};
	int64_t cid, fid;
	int rc = 1;
	const char *cat = o.category ? o.category : "默认分区";
	if (db_begin(d)) goto fail;
	int found = forum_category_find(d, cat, &cid);
	if (found < 0 || (!found && forum_category_add(d, cat, &cid))) goto fail;
	if (forum_board_add(d, cid, o.name, o.description, o.types, &fid, &e)) goto fail;
	if (o.requiretype && (!o.types || !*o.types)) {
		forum_fail(&e, FORUM_E_INVALID, "--require-type needs --types");
		goto fail;
	}
	if (o.requiretype && forum_board_require_type(d, fid, 1)) goto fail;
	if (db_commit(d)) goto fail;
	printf("%lld\n", (long long)fid);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "loulan: %s\n", e.msg[0] ? e.msg : db_errmsg(d));
	db_rollback(d);
out:
	db_close(d);
	return rc;
}

static int cmd_config(int argc, char **argv) {
	struct opts o;
	if (argc < 2 || (strcmp(argv[1], "set") && strcmp(argv[1], "get"))) {
		fprintf(stderr, "usage: loulan config set --data DIR KEY VALUE | loulan config get --data DIR KEY\n");
		return (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) ? 0 : 2;
	}
	int set = !strcmp(argv[1], "set");
	if (parse(argc - 1, argv + 1, &o)) return 2;
	if (o.help) {
		puts("usage: loulan config set --data DIR KEY VALUE\n       loulan config get --data DIR KEY\n\n"
		     "Keys: site.name, site.description, site.timezone (e.g. Asia/Shanghai),\n"
		     "site.footer_links (name|url,name|url), site.icp, site.police_filing, site.copyright.\n"
		     "A running server reads settings when it starts.");
		return 0;
	}
	if (need_store(&o)) return 2;
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	if ((set && npos != 2) || (!set && npos != 1)) {
		fprintf(stderr, "loulan: config %s wants %s\n", argv[1], set ? "KEY VALUE" : "KEY");
		return 2;
	}
	if (!site_setting_valid(pos[0])) {
		fprintf(stderr, "loulan: unknown setting %s (see loulan config --help)\n", pos[0]);
		return 2;
	}
	db *d = open_db(&o, 0);
	if (!d) return 1;
	struct forum_err e = {0};
	int rc = 0;
	if (set) {
		if (site_config_set(d, pos[0], pos[1], &e)) {
			fprintf(stderr, "loulan: %s\n", e.msg);
			rc = 1;
		}
	} else {
		char *v = NULL;
		if (site_config_get(d, pos[0], &v) < 0) {
			fprintf(stderr, "loulan: %s\n", db_errmsg(d));
			rc = 1;
		} else {
			printf("%s\n", v ? v : "");
		}
		free(v);
	}
	db_close(d);
	return rc;
}

/* loulan user group: moves a member to another group (ban, unban, promote) */
static int cmd_user_group(int argc, char **argv) {
	struct opts o;
	if (parse(argc, argv, &o)) return 2;
	if (o.help) {
		puts("usage: loulan user group --data DIR --name NAME --group GID\n\n"
		     "Moves member NAME to user group GID: 1 管理员, 2 超级版主, 3 版主, 4 禁止发言,\n"
		     "5 禁止访问, 8 等待验证, 10-15 member groups (新手上路 ... 论坛元老). Takes effect on\n"
		     "the member's next request.");
		return 0;
	}
	if (need_store(&o)) return 2;
	if (!o.name || !o.group) {
		fprintf(stderr, "loulan: --name and --group are required\n");
		return 2;
	}
	db *d = open_db(&o, 0);
	if (!d) return 1;
	int rc = 1;
	int64_t uid;
	int found = user_find(d, o.name, &uid);
	if (found < 0) fprintf(stderr, "loulan: %s\n", db_errmsg(d));
	else if (!found) fprintf(stderr, "loulan: no member named %s\n", o.name);
	else if (group_get(o.group)->gid != o.group || o.group == GROUP_GUEST)
		fprintf(stderr, "loulan: no member group %lld\n", (long long)o.group);
	else if (user_set_group(d, uid, o.group)) fprintf(stderr, "loulan: %s\n", db_errmsg(d));
	else {
		printf("%s (uid %lld): group %lld %s\n", o.name, (long long)uid, (long long)o.group, group_get(o.group)->title);
		cachegen_bump_all(d);   /* the author sidebar shows the group: a running server drops its cached pages */
		rc = 0;
	}
	db_close(d);
	return rc;
}

static int cmd_user(int argc, char **argv) {
	struct opts o;
	if (argc >= 2 && !strcmp(argv[1], "group")) return cmd_user_group(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "add")) {
		fprintf(stderr, "usage: loulan user add --data DIR --name NAME [--admin] [--email E] < password\n");
		return (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) ? 0 : 2;
	}
	if (parse(argc - 1, argv + 1, &o)) return 2;
	if (o.help) {
		puts("usage: loulan user add --data DIR --name NAME [--admin] [--email E] < password\n\n"
		     "Adds a member (an administrator with --admin). The password is read from the\n"
		     "first line of standard input. Prints the new uid.");
		return 0;
	}
	if (need_store(&o)) return 2;
	if (!o.name) {
		fprintf(stderr, "loulan: --name is required\n");
		return 2;
	}
	char pw[USER_PASSWORD_MAX + 2];
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "loulan: no password on standard input\n");
		return 2;
	}
	size_t n = strlen(pw);
	if (n && pw[n - 1] == '\n') pw[--n] = 0;
	if (n && pw[n - 1] == '\r') pw[--n] = 0;
	db *d = open_db(&o, 0);
	if (!d) return 1;
	struct forum_err e;
	int64_t uid;
	int rc = 0;
	if (user_add(d, o.name, o.email, pw, o.admin, &uid, &e)) {
		fprintf(stderr, "loulan: %s\n", e.msg);
		rc = 1;
	} else {
		printf("%lld\n", (long long)uid);
	}
	explicit_bzero(pw, sizeof pw);
	db_close(d);
	return rc;
}

/* ---- gen ------------------------------------------------------------------ */

struct gen_bar { int tty, last; struct timespec t0; };

static double since(const struct timespec *t0) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* a bar redrawn in place on a terminal, else one line per 10% */
static void gen_progress(void *ctx, int64_t done, int64_t total) {
	struct gen_bar *b = ctx;
	int pct = total > 0 ? (int)(done * 100 / total) : 100;
	if (b->tty) {
		if (pct == b->last && done != total) return;
		char bar[41];
		int fill = pct * 40 / 100;
		for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
		bar[40] = 0;
		fprintf(stderr, "\r[%s] %3d%% %lld/%lld posts %.1fs", bar, pct, (long long)done, (long long)total, since(&b->t0));
		if (done == total) fputc('\n', stderr);
	} else {
		if (pct / 10 == b->last / 10) return;
		fprintf(stderr, "loulan: gen %d%% (%lld/%lld posts, %.1fs)\n", pct / 10 * 10, (long long)done, (long long)total,
		        since(&b->t0));
	}
	b->last = pct;
}

static const char usage_gen[] =
	"usage: loulan gen --data DIR [--db URL] --boards B --threads T --posts P [--big N] [--seed S]\n\n"
	"Fills an initialised forum with synthetic content for tests and benchmarks: B boards in\n"
	"the category 生成数据, about 200 members, T threads with a long tail of sizes and P posts\n"
	"in all (first floors included; P >= T), in Chinese and English with some BBCode and\n"
	"Markdown, plus one more thread of N floors with --big N (default 0). --seed S (default 1)\n"
	"makes the text and sizes reproducible. Counters are computed from the rows at the end.\n"
	"Progress goes to stderr; a summary to stdout.";

static int cmd_gen(int argc, char **argv) {
	struct opts o;
	if (parse(argc, argv, &o)) return 2;
	if (o.help) {
		puts(usage_gen);
		return 0;
	}
	if (optind < argc) {
		fprintf(stderr, "loulan: gen takes no argument '%s'\n", argv[optind]);
		return 2;
	}
	if (need_store(&o)) return 2;
	if (o.boards < 0 || o.threads < 0 || o.posts < 0) {
		fprintf(stderr, "loulan: gen wants --boards, --threads and --posts\n");
		return 2;
	}
	if (o.boards < 1 || o.boards > GEN_MAX_BOARDS || o.posts > GEN_MAX_ROWS || o.big > GEN_MAX_ROWS ||
	    o.posts < o.threads || (o.posts > 0 && o.threads == 0)) {
		fprintf(stderr, "loulan: gen wants 1-%d boards and threads <= posts <= %d (each thread has a first floor); "
		        "--big at most %d\n", GEN_MAX_BOARDS, GEN_MAX_ROWS, GEN_MAX_ROWS);
		return 2;
	}
	db *d = open_db(&o, 0);
	if (!d) return 1;
	struct gen_bar bar = {isatty(2), -1, {0, 0}};
	clock_gettime(CLOCK_MONOTONIC, &bar.t0);
	struct gen_opts go = {o.boards, o.threads, o.posts, o.big > 0 ? o.big : 0, o.seed >= 0 ? (uint64_t)o.seed : 1,
	                      gen_progress, &bar};
	struct gen_stats st;
	struct forum_err e = {0};
	int rc = 0;
	if (forum_gen(d, &go, &st, &e)) {
		fprintf(stderr, "%sloulan: gen: %s\n", bar.tty && bar.last >= 0 ? "\n" : "", e.msg);
		rc = 1;
	} else {
		printf("generated %lld boards, %lld members, %lld threads, %lld posts in %.2f seconds\n", (long long)st.boards,
		       (long long)st.users, (long long)st.threads, (long long)st.posts, since(&bar.t0));
		if (st.big_tid) printf("big thread: /t/%lld (%lld floors)\n", (long long)st.big_tid, (long long)go.big);
		cachegen_bump_all(d);   /* a running server drops its cached pages */
	}
	db_close(d);
	return rc;
}

/* loulan credit rule: sets one credit rule (积分规则); a board's row overrides fid 0 */
static int cmd_credit(int argc, char **argv) {
	static const char usage[] = "usage: loulan credit rule --data DIR [--] ACTION FID EXT1 EXT2 EXT3 once|daily|unlimited CAP\n"
	                            "(put -- before the positionals when an amount is negative)\n";
	struct opts o;
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "rule")) {
		fputs(usage, stderr);
		return 2;
	}
	if (parse(argc - 1, argv + 1, &o)) return 2;
	if (o.help) {
		fputs(usage, stdout);
		return 0;
	}
	if (need_store(&o)) return 2;
	char **pos = argv + 1 + optind;
	if (argc - 1 - optind != 7) {
		fputs(usage, stderr);
		return 2;
	}
	struct credit_rule r = {pos[0], "", pos[5], 0, {0, 0, 0}, 0};
	long long v[5];
	const int idx[5] = {1, 2, 3, 4, 6};
	for (int i = 0; i < 5; i++) {
		char *end;
		v[i] = strtoll(pos[idx[i]], &end, 10);
		if (!*pos[idx[i]] || *end || v[i] < -1000000 || v[i] > 1000000) {
			fprintf(stderr, "loulan: %s is not a number\n", pos[idx[i]]);
			return 2;
		}
	}
	r.fid = v[0];
	for (int i = 0; i < 3; i++) r.ext[i] = v[1 + i];
	r.cap = v[4];
	db *d = open_db(&o, 0);
	if (!d) return 1;
	struct forum_err e = {0};
	int rc = credit_rule_set(d, &r, &e);
	if (rc) fprintf(stderr, "loulan: %s\n", e.msg);
	db_close(d);
	return rc ? 1 : 0;
}

/* loulan rerender: every stored post (and saved edit) rendered again from its
   source with this binary's renderers; prints "N rendered, M changed". Safe to
   run next to a running server and to run twice. */
static int cmd_rerender(int argc, char **argv) {
	static const char usage[] = "usage: loulan rerender --data DIR [--db URL]\n";
	struct opts o;
	if (parse(argc, argv, &o)) return 2;
	if (o.help) {
		fputs(usage, stdout);
		return 0;
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (need_store(&o)) return 2;
	db *d = open_db(&o, 0);
	if (!d) return 1;
	struct forum_err e = {0};
	int64_t seen, changed;
	int rc = forum_rerender(d, &seen, &changed, &e);
	if (rc) fprintf(stderr, "loulan: %s\n", e.msg);
	else printf("%lld rendered, %lld changed\n", (long long)seen, (long long)changed);
	db_close(d);
	return rc ? 1 : 0;
}

/* loulan post: a new thread (--board, --subject) or a reply (--thread) by
   member --name, BBCode body on stdin; prints "tid pid position". For
   scripts and tests; the web and API posting pages do the same through forum/. */
static int cmd_post(int argc, char **argv) {
	static const struct option lo[] = {
		{"data", required_argument, NULL, 'd'}, {"db", required_argument, NULL, 'D'},
		{"name", required_argument, NULL, 'n'}, {"board", required_argument, NULL, 'b'},
		{"thread", required_argument, NULL, 't'}, {"subject", required_argument, NULL, 's'},
		{"as-admin", no_argument, NULL, 'A'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	struct opts o;
	memset(&o, 0, sizeof o);
	const char *subject = NULL;
	long long fid = 0, tid = 0;
	int c, as_admin = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o.data = optarg; break;
		case 'D': o.db = optarg; break;
		case 'n': o.name = optarg; break;
		case 'b': fid = strtoll(optarg, NULL, 10); break;
		case 't': tid = strtoll(optarg, NULL, 10); break;
		case 's': subject = optarg; break;
		case 'A': as_admin = 1; break;
		case 'h':
			puts("usage: loulan post --data DIR --name USER [--as-admin] (--board FID --subject S | --thread TID) < body\n\n"
			     "Posts as USER under the same rules as the web (board permissions, closed\n"
			     "threads, flood control, limits). --as-admin: the operator's override; the\n"
			     "permission, closed-thread and flood rules do not apply (limits still do).");
			return 0;
		default:
			fprintf(stderr, "loulan: unknown or incomplete option %s\n", argv[optind - 1]);
			return 2;
		}
	}
	if (need_store(&o)) return 2;
	if (!o.name || (tid <= 0 && (fid <= 0 || !subject))) {
		fprintf(stderr, "loulan: --name and either --thread TID or --board FID --subject S are required\n");
		return 2;
	}
	buf body;
	buf_init(&body, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) buf_append(&body, chunk, n);
	db *d = open_db(&o, 0);
	if (!d) {
		buf_release(&body);
		return 1;
	}
	int rc = 1;
	int64_t uid = 0;
	struct member m;
	arena a;
	arena_init(&a);
	if (user_find(d, o.name, &uid) != 1 || user_get(d, &a, uid, &m) != 1) {
		fprintf(stderr, "loulan: no such user %s\n", o.name);
	} else {
		struct actor who = {m.uid, m.groupid, m.name, as_admin};
		struct post_input in = {subject, buf_cstr(&body), "bbcode", 0, 0};
		struct forum_err e;
		int64_t ntid = tid, pid = 0, pos = 1;
		if (tid > 0 ? forum_new_reply(d, &who, tid, &in, time(NULL), &pid, &pos, &e)
		            : forum_new_thread(d, &who, fid, &in, time(NULL), &ntid, &pid, &e)) {
			fprintf(stderr, "loulan: %s\n", e.msg);
		} else {
			printf("%lld %lld %lld\n", (long long)ntid, (long long)pid, (long long)pos);
			rc = 0;
		}
	}
	arena_free(&a);
	buf_release(&body);
	db_close(d);
	return rc;
}

/* ---- copy --------------------------------------------------------------- */

static int cmd_copy(int argc, char **argv) {
	struct opts o;
	if (parse(argc, argv, &o)) return 2;
	if (o.help) {
		puts("usage: loulan copy --from DIR --to postgres://USER@HOST:PORT/DB\n\n"
		     "Copies the SQLite forum in DIR into an empty PostgreSQL database: creates the\n"
		     "schema, copies every table in one transaction, resets id sequences, then checks\n"
		     "row counts and counters of every table on both sides. Exits 1 (and leaves the\n"
		     "target empty) on any difference. Stop the server on DIR first.");
		return 0;
	}
	if (!o.from || !o.to || strncmp(o.to, "postgres", 8)) {
		fprintf(stderr, "loulan: copy wants --from DIR --to postgres://...\n");
		return 2;
	}
	struct opts so = o, to = o;
	so.data = o.from;
	so.db = NULL;
	to.data = NULL;
	to.db = o.to;
	db *src = open_db(&so, 0);
	if (!src) return 1;
	db *dst = open_db(&to, 1);
	if (!dst) {
		db_close(src);
		return 1;
	}
	struct forum_err e = {0};
	int rc = 0;
	if (forum_copy(src, dst, stderr, isatty(2), &e)) {
		fprintf(stderr, "loulan: copy failed: %s\n", e.msg);
		rc = 1;
	} else {
		printf("copied %s to PostgreSQL; serve it with: loulan serve --db URL\n", o.from);
	}
	db_close(dst);
	db_close(src);
	return rc;
}

int main(int argc, char **argv) {
	if (password_init()) die("cannot initialise libsodium");
	cachegen_init();
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_main, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		puts("loulan " LOULAN_VERSION);
		return 0;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "init")) return cmd_init(argc - 1, argv + 1);
	if (!strcmp(cmd, "serve")) return cmd_serve(argc - 1, argv + 1);
	if (!strcmp(cmd, "board")) return cmd_board(argc - 1, argv + 1);
	if (!strcmp(cmd, "config")) return cmd_config(argc - 1, argv + 1);
	if (!strcmp(cmd, "user")) return cmd_user(argc - 1, argv + 1);
	if (!strcmp(cmd, "gen")) return cmd_gen(argc - 1, argv + 1);
	if (!strcmp(cmd, "post")) return cmd_post(argc - 1, argv + 1);
	if (!strcmp(cmd, "credit")) return cmd_credit(argc - 1, argv + 1);
	if (!strcmp(cmd, "copy")) return cmd_copy(argc - 1, argv + 1);
	if (!strcmp(cmd, "rerender")) return cmd_rerender(argc - 1, argv + 1);
	fprintf(stderr, "loulan: unknown command '%s'\n%s", cmd, usage_main);
	return 2;
}
