/*
** loulan user add | user group: members from the command line.
*/
#include "cli/cli.h"
#include "forum/cachegen.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/user.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *name, *email;
static int admin;
static long long group;

static const struct cli_opt add_opts[] = {
	{"name", "NAME", CLI_STR, &name, 0, 0, 1, "the member's name"},
	{"admin", NULL, CLI_FLAG, &admin, 0, 0, 0, "an administrator"},
	{"email", "E", CLI_STR, &email, 0, 0, 0, "e-mail address"},
	{NULL},
};

static int add(char **args, int nargs) {
	char pw[USER_PASSWORD_MAX + 2];
	if (!fgets(pw, sizeof pw, stdin)) {
		fprintf(stderr, "loulan: no password on standard input\n");
		return 2;
	}
	size_t n = strlen(pw);
	if (n && pw[n - 1] == '\n') pw[--n] = 0;
	if (n && pw[n - 1] == '\r') pw[--n] = 0;
	db *d = cli_open_store(0);
	if (!d) {
		explicit_bzero(pw, sizeof pw);
		return 1;
	}
	struct forum_err e = {0};
	int64_t uid;
	int rc = 0;
	if (user_add(d, name, email, pw, admin, &uid, &e)) {
		fprintf(stderr, "loulan: %s\n", e.msg);
		rc = 1;
	} else {
		printf("%lld\n", (long long)uid);
	}
	explicit_bzero(pw, sizeof pw);
	db_close(d);
	return rc;
}

const struct cli_cmd cli_user_add = {
	"user add", "< PASSWORD", 0, 0, 1, add_opts, "add a member (password read from stdin) and print the uid",
	"Adds a member (an administrator with --admin). The password is read from the\n"
	"first line of standard input. Prints the new uid.",
	add,
};

static const struct cli_opt group_opts[] = {
	{"name", "NAME", CLI_STR, &name, 0, 0, 1, "the member's name"},
	{"group", "GID", CLI_INT, &group, 1, LLONG_MAX, 1, "the user group"},
	{NULL},
};

/* moves a member to another group (ban, unban, promote) */
static int set_group(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	int rc = 1;
	int64_t uid;
	int found = user_find(d, name, &uid);
	if (found < 0) fprintf(stderr, "loulan: %s\n", db_errmsg(d));
	else if (!found) fprintf(stderr, "loulan: no member named %s\n", name);
	else if (group_get(group)->gid != group || group == GROUP_GUEST)
		fprintf(stderr, "loulan: no member group %lld\n", group);
	else if (user_set_group(d, uid, group)) fprintf(stderr, "loulan: %s\n", db_errmsg(d));
	else {
		printf("%s (uid %lld): group %lld %s\n", name, (long long)uid, group, group_get(group)->title);
		cachegen_bump_all(d);   /* the author sidebar shows the group: a running server drops its cached pages */
		rc = 0;
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_user_group = {
	"user group", NULL, 0, 0, 1, group_opts, "move a member to a user group (e.g. 4 禁止发言, 5 禁止访问, 10 新手上路)",
	"Moves member NAME to user group GID: 1 管理员, 2 超级版主, 3 版主, 4 禁止发言,\n"
	"5 禁止访问, 8 等待验证, 10-15 member groups (新手上路 ... 论坛元老). Takes effect on\n"
	"the member's next request.",
	set_group,
};
