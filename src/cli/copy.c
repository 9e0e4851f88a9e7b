/*
** loulan copy: a SQLite forum into an empty PostgreSQL database.
*/
#include "cli/cli.h"
#include "forum/copy.h"
#include "forum/forum.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *from, *to;
static int no_index;

static const struct cli_opt opts[] = {
	{"from", "DIR", CLI_STR, &from, 0, 0, 1, "the SQLite forum's directory"},
	{"to", "postgres://...", CLI_STR, &to, 0, 0, 1, "an empty PostgreSQL database"},
	{"no-index", NULL, CLI_FLAG, &no_index, 0, 0, 0, "leave the search index to a later `loulan reindex --db URL`"},
	{NULL},
};

static int run(char **args, int nargs) {
	if (strncmp(to, "postgres", 8)) {
		fprintf(stderr, "loulan: copy wants --from DIR --to postgres://...\n");
		return 2;
	}
	db *src = cli_open(from, NULL, 0);
	if (!src) return 1;
	db *dst = cli_open(NULL, to, CLI_CREATE);
	if (!dst) {
		db_close(src);
		return 1;
	}
	struct forum_err e = {0};
	int rc = 0;
	if (forum_copy(src, dst, stderr, isatty(2), no_index, &e)) {
		fprintf(stderr, "loulan: copy failed: %s\n", forum_err_en(&e));
		rc = 1;
	} else {
		printf("copied %s to PostgreSQL; serve it with: loulan serve --db URL\n", from);
	}
	db_close(dst);
	db_close(src);
	return rc;
}

const struct cli_cmd cli_copy = {
	"copy", NULL, 0, 0, 0, opts, "copy a SQLite forum into an empty PostgreSQL",
	"Copies the SQLite forum in DIR into an empty PostgreSQL database: creates the\n"
	"schema, copies every table in one transaction (PostgreSQL COPY), builds the search\n"
	"index (--no-index leaves it to `loulan reindex --db URL`, which can run while the\n"
	"site serves), resets id sequences, then checks row counts and counters of every\n"
	"table on both sides. Exits 1 (and leaves the target empty) on any difference.\n"
	"Stop the server on DIR first.",
	run,
};
