/*
** cli: option parsing, checks and help generated from the command tables;
** see cli.h. Knows nothing about what the commands do.
*/
#include "cli/cli.h"
#include "forum/approve.h"
#include "forum/cachegen.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/views.h"
#include "forum/perm.h"
#include "forum/moderate.h"
#include "util/buf.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cli_data, *cli_db;

static const struct cli_opt store_opts[] = {
	{"data", "DIR", CLI_STR, &cli_data, 0, 0, 0, "the forum's directory (SQLite database DIR/loulan.db)"},
	{"db", "URL", CLI_STR, &cli_db, 0, 0, 0, "a PostgreSQL database instead: postgres://USER@HOST:PORT/DB"},
};

static int is_help(const char *s) { return !strcmp(s, "--help") || !strcmp(s, "-h") || !strcmp(s, "help"); }

static size_t nopts(const struct cli_opt *o) {
	size_t n = 0;
	while (o && o[n].name) n++;
	return n;
}

/* "--name ARG" */
static void opt_word(buf *b, const struct cli_opt *o) {
	buf_appendf(b, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* the synopsis after "loulan NAME": store, required options, optional ones, positionals */
static void synopsis(buf *b, const struct cli_cmd *c) {
	const char *sep = "";
	if (c->store) {
		buf_puts(b, "--data DIR");
		sep = " ";
	}
	for (int pass = 0; pass < 2; pass++)
		for (const struct cli_opt *o = c->opts; o && o->name; o++) {
			if (o->required != !pass) continue;
			buf_puts(b, sep);
			if (!o->required) buf_puts(b, "[");
			opt_word(b, o);
			if (!o->required) buf_puts(b, "]");
			sep = " ";
		}
	if (c->args) buf_appendf(b, "%s%s", sep, c->args);
}

static void usage_main(FILE *f) {
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, "loulan " LOULAN_VERSION " - a fast Discuz!-style forum in one binary\n\n"
	                "usage: loulan COMMAND [options]\n\n");
	for (size_t i = 0; cli_cmds[i]; i++) {
		buf_appendf(&b, "  %-12s", cli_cmds[i]->name);
		synopsis(&b, cli_cmds[i]);
		buf_appendf(&b, "\n  %-12s%s\n", "", cli_cmds[i]->summary);
	}
	buf_puts(&b, "\n--data DIR keeps the forum in DIR/loulan.db (SQLite); --db postgres://USER@HOST:PORT/DB\n"
	                "uses PostgreSQL instead. 'loulan config list' shows every setting with its default\n"
	                "and meaning. Run 'loulan COMMAND --help' for one command.\n");
	fputs(buf_cstr(&b), f);
	buf_release(&b);
}

static void usage_cmd(FILE *f, const struct cli_cmd *c, int full) {
	buf b;
	buf_init(&b, 0);
	buf_appendf(&b, "usage: loulan %s ", c->name);
	synopsis(&b, c);
	buf_puts(&b, "\n");
	if (full) {
		buf_appendf(&b, "\n%s\n", c->help ? c->help : c->summary);
		size_t n = nopts(c->opts);
		if (n || c->store) buf_puts(&b, "\noptions:\n");
		for (size_t i = 0; i < (c->store ? 2u : 0u) + n; i++) {
			const struct cli_opt *o = i < (c->store ? 2u : 0u) ? &store_opts[i] : &c->opts[i - (c->store ? 2u : 0u)];
			buf w;
			buf_init(&w, 0);
			opt_word(&w, o);
			buf_appendf(&b, "  %-22s%s", buf_cstr(&w), o->help);
			if (o->type == CLI_INT && o->hi > o->lo) {
				if (o->hi == LLONG_MAX) buf_appendf(&b, " (at least %lld)", o->lo);
				else buf_appendf(&b, " (%lld-%lld)", o->lo, o->hi);
			}
			buf_puts(&b, "\n");
			buf_release(&w);
		}
	}
	fputs(buf_cstr(&b), f);
	buf_release(&b);
}

static int set_int(const struct cli_opt *o, const char *arg) {
	char *end;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < o->lo || v > o->hi) {
		if (o->hi == LLONG_MAX)
			fprintf(stderr, "loulan: --%s must be an integer of at least %lld, not '%s'\n", o->name, o->lo, arg);
		else
			fprintf(stderr, "loulan: --%s must be an integer from %lld to %lld, not '%s'\n", o->name, o->lo, o->hi, arg);
		return -1;
	}
	*(long long *)o->out = v;
	return 0;
}

static int run_cmd(const struct cli_cmd *c, int argc, char **argv) {
	const struct cli_opt *tab[CLI_MAX_OPTS];
	struct option lo[CLI_MAX_OPTS + 1];
	int given[CLI_MAX_OPTS] = {0};
	size_t n = 0;
	if (c->store)
		for (size_t i = 0; i < 2; i++) tab[n++] = &store_opts[i];
	for (const struct cli_opt *o = c->opts; o && o->name; o++) {
		if (n >= CLI_MAX_OPTS - 1) {
			fprintf(stderr, "loulan: BUG: %s has more than %d options\n", c->name, CLI_MAX_OPTS - 1);
			return 70;
		}
		tab[n++] = o;
	}
	for (size_t i = 0; i < n; i++)
		lo[i] = (struct option){tab[i]->name, tab[i]->arg ? required_argument : no_argument, NULL, (int)(1000 + i)};
	lo[n] = (struct option){"help", no_argument, NULL, 'h'};
	lo[n + 1] = (struct option){NULL, 0, NULL, 0};
	optind = 1;
	opterr = 0;
	int ch, help = 0;
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (ch == 'h') {
			help = 1;
			continue;
		}
		if (ch < 1000 || ch >= 1000 + (int)n) {
			fprintf(stderr, "loulan: unknown or incomplete option %s (see loulan %s --help)\n", argv[optind - 1], c->name);
			return 2;
		}
		const struct cli_opt *o = tab[ch - 1000];
		given[ch - 1000] = 1;
		switch (o->type) {
		case CLI_FLAG: *(int *)o->out = 1; break;
		case CLI_STR: *(const char **)o->out = optarg; break;
		case CLI_INT:
			if (set_int(o, optarg)) return 2;
			break;
		}
	}
	if (help) {
		usage_cmd(stdout, c, 1);
		return 0;
	}
	if (c->store && !cli_data && !cli_db) {
		fprintf(stderr, "loulan: --data DIR (or --db URL) is required\n");
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		if (tab[i]->required && !given[i]) {
			fprintf(stderr, "loulan: --%s is required (see loulan %s --help)\n", tab[i]->name, c->name);
			return 2;
		}
	int nargs = argc - optind;
	if (nargs < c->min_args || nargs > c->max_args) {
		if (c->max_args == 0) fprintf(stderr, "loulan: %s takes no arguments ('%s')\n", c->name, argv[optind]);
		else fprintf(stderr, "loulan: %s wants %s\n", c->name, c->args);
		usage_cmd(stderr, c, 0);
		return 2;
	}
	return c->run(argv + optind, nargs);
}

/* "board" for "board add" */
static int family_is(const struct cli_cmd *c, const char *w) {
	size_t l = strcspn(c->name, " ");
	return strlen(w) == l && !strncmp(c->name, w, l);
}

int cli_main(int argc, char **argv) {
	if (argc < 2 || is_help(argv[1])) {
		usage_main(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		puts("loulan " LOULAN_VERSION);
		return 0;
	}
	int family = 0;
	for (size_t i = 0; cli_cmds[i]; i++) {
		const struct cli_cmd *c = cli_cmds[i];
		if (!family_is(c, argv[1])) continue;
		const char *sub = strchr(c->name, ' ');
		if (!sub) return run_cmd(c, argc - 1, argv + 1);
		family = 1;
		if (argc >= 3 && !strcmp(sub + 1, argv[2])) return run_cmd(c, argc - 2, argv + 2);
	}
	if (!family) {
		fprintf(stderr, "loulan: unknown command '%s'\n", argv[1]);
		usage_main(stderr);
		return 2;
	}
	int help = argc >= 3 && is_help(argv[2]);
	if (argc >= 3 && !help) {   /* `loulan board frobnicate`: say so, and name the family's commands */
		fprintf(stderr, "loulan: unknown command '%s %s'; the %s commands are:", argv[1], argv[2], argv[1]);
		for (size_t i = 0; cli_cmds[i]; i++)
			if (family_is(cli_cmds[i], argv[1])) fprintf(stderr, " %s", strchr(cli_cmds[i]->name, ' ') + 1);
		fprintf(stderr, "\n(loulan %s --help describes them)\n", argv[1]);
		return 2;
	}
	for (size_t i = 0; cli_cmds[i]; i++)
		if (family_is(cli_cmds[i], argv[1])) usage_cmd(help ? stdout : stderr, cli_cmds[i], 0);
	return help ? 0 : 2;
}

db *cli_open(const char *data, const char *dburl, int flags) {
	int create = flags & CLI_CREATE;
	if (data && create && mkdir(data, 0700) && errno != EEXIST) {
		fprintf(stderr, "loulan: cannot create %s: %s\n", data, strerror(errno));
		return NULL;
	}
	if (data && !dburl && !create) {
		char path[4096];
		snprintf(path, sizeof path, "%s/loulan.db", data);
		if (access(path, F_OK)) {
			fprintf(stderr, "loulan: no forum in %s (run 'loulan init --data %s' first)\n", data, data);
			return NULL;
		}
	}
	db_config cfg = {data ? data : ".", dburl};
	db *d;
	char err[512];
	if (db_open(&d, &cfg, err, sizeof err)) {
		fprintf(stderr, "loulan: %s\n", err);
		return NULL;
	}
	if (db_kind(d) == DB_SQLITE && data) {
		/* a server on the same directory learns of this command's writes
		   (serve maps the file to watch it instead) */
		char path[4096];
		snprintf(path, sizeof path, "%s/loulan.gen", data);
		if (cachegen_share_file(path, !(flags & CLI_SERVING)))
			fprintf(stderr, "loulan: warning: cannot map %s: a running server will not see these changes "
			                "until its cache expires\n", path);
	}
	if (create) return d;   /* no tables yet: init loads settings after migrating */
	if (db_schema_version(d) <= 0) {
		fprintf(stderr, "loulan: the database is not initialised (run 'loulan init' first)\n");
		db_close(d);
		return NULL;
	}
	if (db_migrate(d, err, sizeof err)) {
		fprintf(stderr, "loulan: %s\n", err);
		db_close(d);
		return NULL;
	}
	/* the moderation caches read tables of the latest migrations; a database stopped early by
	   LOULAN_MIGRATE_TO (tests) has none */
	int full = db_schema_version(d) == db_schema_count();
	if (site_load(d) || groups_load(d) || perm_load(d) || (full && (mod_load(d) || approval_load(d)))) {
		fprintf(stderr, "loulan: cannot read settings: %s\n", db_errmsg(d));
		db_close(d);
		return NULL;
	}
	return d;
}

void cli_bar_init(struct cli_bar *b, const char *what, const char *unit) {
	b->tty = isatty(2);
	b->last = -1;
	b->what = what;
	b->unit = unit;
	clock_gettime(CLOCK_MONOTONIC, &b->t0);
}

double cli_bar_seconds(const struct cli_bar *b) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - b->t0.tv_sec) + (double)(t.tv_nsec - b->t0.tv_nsec) / 1e9;
}

void cli_progress(void *ctx, int64_t done, int64_t total) {
	struct cli_bar *b = ctx;
	int pct = total > 0 ? (int)(done * 100 / total) : 100;
	if (b->tty) {
		if (pct == b->last && done != total) return;
		char bar[41];
		int fill = pct * 40 / 100;
		for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
		bar[40] = 0;
		fprintf(stderr, "\r[%s] %3d%% %lld/%lld %s %.1fs", bar, pct, (long long)done, (long long)total, b->unit,
		        cli_bar_seconds(b));
		if (done == total) fputc('\n', stderr);
	} else {
		if (pct / 10 == b->last / 10) return;
		fprintf(stderr, "loulan: %s %d%% (%lld/%lld %s, %.1fs)\n", b->what, pct / 10 * 10, (long long)done,
		        (long long)total, b->unit, cli_bar_seconds(b));
	}
	b->last = pct;
}
