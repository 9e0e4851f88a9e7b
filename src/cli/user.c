/*
** loulan user add | group | ban | unban | purge: members from the command line.
*/
#include "cli/cli.h"
#include "forum/ban.h"
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

/* ---- user ban / unban / purge ------------------------------------------- */

static const char *ban_type = "post", *ban_reason = "";
static long long ban_days = 0, ban_seconds = 0;

static const struct cli_opt ban_opts[] = {
	{"name", "NAME", CLI_STR, &name, 0, 0, 1, "the member's name"},
	{"type", "post|visit", CLI_STR, &ban_type, 0, 0, 0, "禁止发言 (post, the default) or 禁止访问 (visit)"},
	{"days", "N", CLI_INT, &ban_days, 0, BAN_DAYS_MAX, 0, "days (1, 3, 7, 30 ...); 0 or none: permanent"},
	{"seconds", "N", CLI_INT, &ban_seconds, 1, BAN_SECONDS_MAX, 0, "the duration in seconds instead of days (short bans, tests)"},
	{"reason", "TEXT", CLI_STR, &ban_reason, 0, 0, 0, "the reason shown in 小黑屋"},
	{NULL},
};

/* the console acts as an operator: the ban rules do not apply */
static const struct actor console = {0, 1, "系统", 1};

static int named(db *d, int64_t *uid) {
	int found = user_find(d, name, uid);
	if (found < 0) fprintf(stderr, "loulan: %s\n", db_errmsg(d));
	else if (!found) fprintf(stderr, "loulan: no member named %s\n", name);
	return found == 1;
}

static int ban(char **args, int nargs) {
	int type = !strcmp(ban_type, "post") ? BAN_POST : !strcmp(ban_type, "visit") ? BAN_VISIT : 0;
	if (!type) {
		fprintf(stderr, "loulan: --type is post or visit\n");
		return 2;
	}
	db *d = cli_open_store(0);
	if (!d) return 1;
	int64_t uid;
	int rc = 1;
	struct forum_err e = {0};
	if (named(d, &uid)) {
		int64_t secs = ban_seconds ? ban_seconds : ban_days * 86400;
		if (ban_add(d, &console, uid, type, 0, secs, ban_reason, time(NULL), &e)) fprintf(stderr, "loulan: %s\n", e.msg);
		else {
			printf("%s (uid %lld): %s, %s\n", name, (long long)uid, type == BAN_POST ? "禁止发言" : "禁止访问",
			       secs ? "until expiry" : "permanent");
			rc = 0;
		}
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_user_ban = {
	"user ban", NULL, 0, 0, 1, ban_opts, "ban a member from posting (禁止发言) or visiting (禁止访问)",
	"Bans member NAME: --type post (禁止发言, group 4) or visit (禁止访问, group 5),\n"
	"for --days N (or --seconds N; neither: permanent), with --reason shown in\n"
	"小黑屋 (/blacklist). A running server lifts the ban at expiry and restores the\n"
	"member's previous group. A new ban replaces the member's current one.",
	ban,
};

static const struct cli_opt name_opts[] = {
	{"name", "NAME", CLI_STR, &name, 0, 0, 1, "the member's name"},
	{NULL},
};

static int unban(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	int64_t uid;
	int rc = 1;
	struct forum_err e = {0};
	if (named(d, &uid)) {
		if (ban_lift(d, &console, uid, 0, time(NULL), &e)) fprintf(stderr, "loulan: %s\n", e.msg);
		else {
			printf("%s (uid %lld): ban lifted\n", name, (long long)uid);
			rc = 0;
		}
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_user_unban = {
	"user unban", NULL, 0, 0, 1, name_opts, "lift a member's ban and restore their previous group",
	"Lifts the current ban of member NAME (禁止发言 or 禁止访问) and restores the\n"
	"group they had before it.",
	unban,
};

static int purge(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	int64_t uid, count;
	int rc = 1;
	struct forum_err e = {0};
	if (named(d, &uid)) {
		if (ban_remove_posts(d, &console, uid, &count, &e)) fprintf(stderr, "loulan: %s\n", e.msg);
		else {
			printf("%s (uid %lld): %lld floors to the recycle bin\n", name, (long long)uid, (long long)count);
			rc = 0;
		}
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_user_purge = {
	"user purge", NULL, 0, 0, 1, name_opts, "删除该用户所有帖子: all threads and replies of a member to the recycle bin",
	"Soft-deletes every thread and reply of member NAME (a spammer), as a moderator's\n"
	"delete does: board, thread and member counters follow.",
	purge,
};
