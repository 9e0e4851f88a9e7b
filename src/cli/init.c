/*
** loulan init: creates a forum's database (or brings its schema up to date),
** optionally with the demo content.
*/
#include "cli/cli.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/moderate.h"
#include "forum/demo.h"
#include "forum/password.h"
#include "forum/perm.h"
#include "render/tpl.h"
#include <stdio.h>
#include <sys/stat.h>

static int demo;

static const struct cli_opt opts[] = {
	{"demo", NULL, CLI_FLAG, &demo, 0, 0, 0, "also add boards, members, threads and an admin account"},
	{NULL},
};

static int run(char **args, int nargs) {
	db *d = cli_open_store(CLI_CREATE);
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
	if (site_load(d) || groups_load(d) || perm_load(d) || (db_schema_version(d) == db_schema_count() && mod_load(d))) {
		fprintf(stderr, "loulan: cannot read settings: %s\n", db_errmsg(d));
		goto out;
	}
	if (demo) {
		if (forum_board_count(d) != 0) {
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
			fprintf(stderr, "loulan: demo: %s\n", fe.msg[0] ? forum_err_en(&fe) : db_errmsg(d));
			db_rollback(d);
			goto out;
		}
		if (cli_data) {
			char path[4096];
			snprintf(path, sizeof path, "%s/admin-login.txt", cli_data);
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

const struct cli_cmd cli_init = {
	"init", NULL, 0, 0, 1, opts, "create a forum (and a demo one)",
	"Creates the forum's database (or brings its schema up to date) with default\n"
	"settings and user groups. --demo also adds boards, members and threads, and an\n"
	"admin account whose password is printed and saved to DIR/admin-login.txt.",
	run,
};
