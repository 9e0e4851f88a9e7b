/*
** loulan import-discuz: a Discuz! X3.5 site into a new loulan forum (the
** work is src/import/; this file is the command line and the progress bar).
*/
#include "cli/cli.h"
#include "forum/moderate.h"
#include "forum/perm.h"
#include "forum/site.h"
#include "import/import.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *from, *prefix, *uc_prefix, *attachments, *authkey, *charset, *discuz_root, *report, *avatars;
static int resume;

static const struct cli_opt opts[] = {
	{"from", "URL", CLI_STR, &from, 0, 0, 0, "the Discuz! database: mysql://USER:PASS@HOST:PORT/DB"},
	{"discuz-root", "DIR", CLI_STR, &discuz_root, 0, 0, 0,
	 "the site's directory: database, prefixes, charset and authkey from config/config_global.php and config_ucenter.php"},
	{"prefix", "PRE", CLI_STR, &prefix, 0, 0, 0, "the table prefix (default pre_)"},
	{"uc-prefix", "PRE", CLI_STR, &uc_prefix, 0, 0, 0, "UCenter's table prefix (default PREFIX ucenter_; `db`.uc_ for another database)"},
	{"attachments", "DIR", CLI_STR, &attachments, 0, 0, 0, "the site's data/attachment directory"},
	{"avatars", "DIR", CLI_STR, &avatars, 0, 0, 0,
	 "the directory holding the avatars' 000/... (default with --discuz-root: ROOT/uc_server/data/avatar, else ROOT/data/avatar)"},
	{"authkey", "KEY", CLI_STR, &authkey, 0, 0, 0, "$_config['security']['authkey'] (old attachment links)"},
	{"charset", "CS", CLI_STR, &charset, 0, 0, 0, "the database's charset: utf8mb4, utf8, gbk, big5 (default: detected)"},
	{"resume", NULL, CLI_FLAG, &resume, 0, 0, 0, "continue an import that stopped"},
	{"report", "FILE", CLI_STR, &report, 0, 0, 0, "write the verification report to FILE (default: standard output)"},
	{NULL},
};

struct bar { struct cli_bar b; const char *what; int64_t done, base; int drawn; };   /* base: rows of the stage's earlier tables */

static void bar_begin(void *ctx, const char *what) {
	struct bar *b = ctx;
	memset(b, 0, sizeof *b);
	b->what = what;
	cli_bar_init(&b->b, what, "rows");
	if (b->b.tty) fprintf(stderr, "%s\n", what);
}

static void bar_move(void *ctx, int64_t done, int64_t total) {
	struct bar *b = ctx;
	if (total < done) total = done;
	if (done < b->done) b->base += b->done;   /* the stage's next table */
	b->done = done;
	b->drawn = done != total;
	cli_progress(&b->b, done, total);
}

static void bar_end(void *ctx) {
	struct bar *b = ctx;
	if (b->b.tty && b->drawn) fputc('\n', stderr);
	fprintf(stderr, "loulan: %s: done (%lld rows, %.1fs)\n", b->what, (long long)(b->base + b->done), cli_bar_seconds(&b->b));
}

static int run(char **args, int nargs) {
	if (!from && !discuz_root) {
		fprintf(stderr, "loulan: import-discuz wants --from mysql://USER:PASS@HOST:PORT/DB or --discuz-root DIR\n");
		return 2;
	}
	FILE *rep = stdout;
	if (report && !(rep = fopen(report, "w"))) {
		fprintf(stderr, "loulan: cannot write %s\n", report);
		return 1;
	}
	/* the target: a new --data DIR is created here, migrated, with the default settings and groups */
	db *d = cli_open_store(CLI_CREATE);
	if (!d) return 1;
	char err[1024];
	int rc = 1;
	if (db_migrate(d, err, sizeof err)) {
		fprintf(stderr, "loulan: %s\n", err);
		goto out;
	}
	if (db_begin(d) || site_init_defaults(d) || db_commit(d) || site_load(d) || groups_load(d) || perm_load(d) ||
	    mod_load(d)) {
		fprintf(stderr, "loulan: cannot prepare the forum: %s\n", db_errmsg(d));
		db_rollback(d);
		goto out;
	}
	struct bar bar;
	struct imp_opts o = {from, prefix, uc_prefix, attachments, authkey, charset, discuz_root, resume, rep,
	                     bar_begin, bar_move, bar_end, &bar, avatars};
	int r = imp_run(d, &o, err, sizeof err);
	if (r) {
		fprintf(stderr, "loulan: import-discuz: %s\n", err);
		if (r < 0) fprintf(stderr, "loulan: run the same command with --resume to continue where it stopped\n");
		rc = r > 0 ? 2 : 1;
	} else {
		rc = 0;
	}
out:
	db_close(d);
	if (rep != stdout) fclose(rep);
	return rc;
}

const struct cli_cmd cli_import_discuz = {
	"import-discuz", NULL, 0, 0, 1, opts, "import a Discuz! X3.5 site (MySQL/MariaDB) into a new forum",
	"Reads a Discuz! X3.5 database (--from mysql://... or --discuz-root DIR) and writes\n"
	"its members (old passwords keep working), groups, boards, threads and posts, ids\n"
	"kept, into an empty forum (a new --data DIR is created). Stages commit in batches\n"
	"with their progress: after a failure or kill, the same command with --resume\n"
	"continues where it stopped, nothing doubled. Ends with a verification report.",
	run,
};
