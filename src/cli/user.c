/*
** loulan user add | list | passwd | delete | group | ban | unban | purge:
** members from the command line.
*/
#include "cli/cli.h"
#include "forum/ban.h"
#include "forum/cachegen.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/admin.h"
#include "util/arena.h"
#include "util/timefmt.h"
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

/* the password on the first line of standard input: 0, or 2 after the message */
static int read_password(char *pw, size_t cap) {
	if (!fgets(pw, (int)cap, stdin)) {
		fprintf(stderr, "loulan: no password on standard input\n");
		return 2;
	}
	size_t n = strlen(pw);
	if (n && pw[n - 1] == '\n') pw[--n] = 0;
	if (n && pw[n - 1] == '\r') pw[--n] = 0;
	return 0;
}

static int add(char **args, int nargs) {
	char pw[USER_PASSWORD_MAX + 2];
	if (read_password(pw, sizeof pw)) return 2;
	db *d = cli_open_store(0);
	if (!d) {
		explicit_bzero(pw, sizeof pw);
		return 1;
	}
	struct forum_err e = {0};
	int64_t uid;
	int rc = 0;
	if (user_add(d, name, email, pw, admin, &uid, &e)) {
		fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
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

/* the one shape of a command on member --name: open the store, find the member, act; on success
   print "NAME (uid N): " and what act wrote into out, else "loulan: " and e's message (exit 1) */
typedef int (*member_act)(db *d, int64_t uid, struct forum_err *e, char *out, size_t n);
static int for_member(member_act act) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	int64_t uid;
	int rc = 1;
	struct forum_err e = {0};
	char out[256] = "";
	if (named(d, &uid)) {
		if (act(d, uid, &e, out, sizeof out)) {
			fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
		} else {
			printf("%s (uid %lld): %s\n", name, (long long)uid, out);
			rc = 0;
		}
	}
	db_close(d);
	return rc;
}

/* e's English behind a prefix ("cannot delete NAME: ...") */
static int failed(struct forum_err *e, const char *prefix) {
	char msg[sizeof e->msg];
	snprintf(msg, sizeof msg, "%s", forum_err_en(e));
	snprintf(e->msg, sizeof e->msg, "%.100s: %.400s", prefix, msg);
	e->en = e->msg;   /* English already, the prefix's name as given */
	return e->code ? e->code : 1;
}

static int ban_act(db *d, int64_t uid, struct forum_err *e, char *out, size_t n) {
	int type = !strcmp(ban_type, "post") ? BAN_POST : BAN_VISIT;
	int64_t secs = ban_seconds ? ban_seconds : ban_days * 86400;
	if (ban_add(d, &console, uid, type, 0, secs, ban_reason, time(NULL), e)) return e->code ? e->code : 1;
	snprintf(out, n, "%s, %s", type == BAN_POST ? "banned from posting" : "banned from visiting", secs ? "until expiry" : "permanent");
	return 0;
}

static int ban(char **args, int nargs) {
	int type = !strcmp(ban_type, "post") ? BAN_POST : !strcmp(ban_type, "visit") ? BAN_VISIT : 0;
	if (!type) {
		fprintf(stderr, "loulan: --type is post or visit\n");
		return 2;
	}
	return for_member(ban_act);
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

static int unban_act(db *d, int64_t uid, struct forum_err *e, char *out, size_t n) {
	if (ban_lift(d, &console, uid, 0, time(NULL), e)) return e->code ? e->code : 1;
	snprintf(out, n, "ban lifted");
	return 0;
}

static int unban(char **args, int nargs) { return for_member(unban_act); }

const struct cli_cmd cli_user_unban = {
	"user unban", NULL, 0, 0, 1, name_opts, "lift a member's ban and restore their previous group",
	"Lifts the current ban of member NAME (禁止发言 or 禁止访问) and restores the\n"
	"group they had before it.",
	unban,
};

static int purge_act(db *d, int64_t uid, struct forum_err *e, char *out, size_t n) {
	int64_t count;
	if (ban_remove_posts(d, &console, uid, &count, e)) return e->code ? e->code : 1;
	snprintf(out, n, "%lld floors to the recycle bin", (long long)count);
	return 0;
}

static int purge(char **args, int nargs) { return for_member(purge_act); }

const struct cli_cmd cli_user_purge = {
	"user purge", NULL, 0, 0, 1, name_opts, "删除该用户所有帖子: all threads and replies of a member to the recycle bin",
	"Soft-deletes every thread and reply of member NAME (a spammer), as a moderator's\n"
	"delete does: board, thread and member counters follow.",
	purge,
};

/* ---- user list / passwd / delete (issue 17) -------------------------------- */

static long long list_group = 0;
static const char *list_search;

static const struct cli_opt list_opts[] = {
	{"group", "GID", CLI_INT, &list_group, 1, LLONG_MAX, 0, "only members of this user group"},
	{"search", "S", CLI_STR, &list_search, 0, 0, 0, "only members whose name starts with S (any case, NFKC)"},
	{NULL},
};

static int list(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	if (list_group && (group_get(list_group)->gid != list_group || list_group == GROUP_GUEST)) {   /* groups load with the store */
		fprintf(stderr, "loulan: no member group %lld\n", list_group);
		db_close(d);
		return 2;
	}
	int rc = 0;
	int64_t after = 0;
	for (;;) {   /* a page at a time: the memory stays bounded however many members there are */
		arena a;
		arena_init(&a);
		struct member *ms;
		int n;
		if (user_list(d, &a, list_group, list_search, after, USER_LIST_PAGE, &ms, &n)) {
			fprintf(stderr, "loulan: %s\n", db_errmsg(d));
			arena_free(&a);
			rc = 1;
			break;
		}
		for (int i = 0; i < n; i++) {
			const struct member *m = &ms[i];
			printf("uid=%lld name=%s group=%lld posts=%lld threads=%lld credits=%lld registered=%s\n", (long long)m->uid, m->name,
			       (long long)m->groupid, (long long)m->posts, (long long)m->threads, (long long)m->credits,
			       timefmt_iso(&a, m->regdate));
			after = m->uid;
		}
		arena_free(&a);
		if (n < USER_LIST_PAGE) break;
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_user_list = {
	"user list", NULL, 0, 0, 1, list_opts, "list members (uid, name, group, posts), optionally by group or name",
	"Prints one line per member in uid order: uid=N name=NAME group=GID posts=N\n"
	"threads=N credits=N registered=TIME (ISO 8601). --group GID keeps the members\n"
	"of one user group (1 管理员, 4 禁止发言, 10 新手上路 ...); --search S those whose\n"
	"name starts with S, compared as logins are (any case, full-width folded).",
	list,
};

static char new_pw[USER_PASSWORD_MAX + 2];

static int passwd_act(db *d, int64_t uid, struct forum_err *e, char *out, size_t n) {
	if (user_password_set(d, uid, name, new_pw, e)) return failed(e, "password refused");
	snprintf(out, n, "password changed, sessions logged out");
	return 0;
}

static int passwd(char **args, int nargs) {
	if (read_password(new_pw, sizeof new_pw)) return 2;
	int rc = for_member(passwd_act);
	explicit_bzero(new_pw, sizeof new_pw);
	return rc;
}

const struct cli_cmd cli_user_passwd = {
	"user passwd", "< PASSWORD", 0, 0, 1, name_opts, "set a member's password (read from stdin) and log them out",
	"Sets the password of member NAME to the first line of standard input (the rules\n"
	"of registration apply: length, not the name) and ends all their logins.",
	passwd,
};

static int delete_act(db *d, int64_t uid, struct forum_err *e, char *out, size_t n) {
	char prefix[128];
	snprintf(prefix, sizeof prefix, "cannot delete %s", name);
	if (admin_member_delete(d, &console, uid, time(NULL), e)) return failed(e, prefix);
	cachegen_bump_all(d);
	snprintf(out, n, "deleted; their posts stay under their name");
	return 0;
}

static int delete_user(char **args, int nargs) { return for_member(delete_act); }

const struct cli_cmd cli_user_delete = {
	"user delete", NULL, 0, 0, 1, name_opts, "delete a member (not an administrator); their posts stay",
	"Deletes member NAME as the admin panel does: their logins, devices, moderator\n"
	"posts, bans and credit log go; their posts stay under their name. An\n"
	"administrator must first be moved to another group (loulan user group).\n"
	"The deletion is written to the admin log.",
	delete_user,
};
