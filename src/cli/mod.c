/*
** loulan board mod: a board's moderators (版主), from the console.
*/
#include "cli/cli.h"
#include "forum/forum.h"
#include "forum/moderate.h"
#include <limits.h>
#include <stdio.h>

static long long fid;
static const char *name;
static int remove_;

static const struct cli_opt opts[] = {
	{"fid", "N", CLI_INT, &fid, 1, LLONG_MAX, 1, "the board"},
	{"name", "USER", CLI_STR, &name, 0, 0, 1, "the member"},
	{"remove", NULL, CLI_FLAG, &remove_, 0, 0, 0, "remove the member from the board's moderators"},
	{NULL},
};

static int run(char **args, int nargs) {
	(void)args;
	(void)nargs;
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	struct actor console = {0, 1, "console", 1};
	int rc = 0;
	if (mod_set(d, &console, fid, name, remove_, &e)) {
		fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
		rc = 1;
	} else {
		char names[1024];
		mod_names(fid, names, sizeof names);
		printf("board %lld moderators: %s\n", fid, *names ? names : "(none)");
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_board_mod = {
	"board mod", NULL, 0, 0, 1, opts, "add or remove a board's moderator (版主)",
	"Makes member USER a moderator of board N, or with --remove takes it back. A moderator\n"
	"moderates their boards only (super moderators, group 2, and admins moderate every\n"
	"board); a member of an ordinary group moves to the 版主 group (3) and back to the\n"
	"credit band when no board is left. Logged in the moderation log; a running server\n"
	"shows the change at once.",
	run,
};
