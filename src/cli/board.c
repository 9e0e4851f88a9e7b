/*
** loulan board add | edit | list | perm | approval: boards, sub-boards and their per-group permissions.
*/
#include "cli/cli.h"
#include "forum/forum.h"
#include "forum/read.h"
#include "forum/write.h"
#include "forum/posting.h"
#include "forum/perm.h"
#include "forum/approve.h"
#include "forum/admin.h"
#include "util/arena.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *name, *category, *types, *description;
static int requiretype;
static long long parent;

static const struct cli_opt add_opts[] = {
	{"name", "NAME", CLI_STR, &name, 0, 0, 1, "the board's name"},
	{"category", "NAME", CLI_STR, &category, 0, 0, 0, "its category, created when missing (default 默认分区; with --parent the parent's)"},
	{"parent", "FID", CLI_INT, &parent, 0, LLONG_MAX, 0, "make it a sub-board of board FID (子版块; one level, same category)"},
	{"types", "A,B", CLI_STR, &types, 0, 0, 0, "thread types (主题分类), comma-separated"},
	{"require-type", NULL, CLI_FLAG, &requiretype, 0, 0, 0, "new threads must choose one of the types"},
	{"description", "TEXT", CLI_STR, &description, 0, 0, 0, "shown under the board's name"},
	{NULL},
};

/* the category of board fid (a new sub-board goes where its parent is) */
static int parent_category(db *d, int64_t fid, int64_t *cid, struct forum_err *e) {
	arena a;
	arena_init(&a);
	struct admin_board *bs;
	int n, rc = forum_fail_en(e, FORUM_E_NOTFOUND, "no such parent board", "上级版块不存在。");
	if (admin_boards(d, &a, &bs, &n)) rc = forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d));
	else
		for (int i = 0; i < n; i++)
			if (bs[i].fid == fid) {
				*cid = bs[i].cid;
				rc = 0;
				memset(e, 0, sizeof *e);
			}
	arena_free(&a);
	return rc;
}

static int add(char **args, int nargs) {
	if (requiretype && (!types || !*types)) {
		fprintf(stderr, "loulan: --require-type needs --types\n");
		return 2;
	}
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	int64_t cid, fid;
	int rc = 1;
	if (db_begin(d)) goto fail;
	if (parent && !category) {
		if (parent_category(d, parent, &cid, &e)) goto fail;
	} else {
		const char *cat = category ? category : "默认分区";
		int found = forum_category_find(d, cat, &cid);
		if (found < 0 || (!found && forum_category_add(d, cat, &cid))) goto fail;
	}
	if (forum_board_add(d, cid, name, description, types, &fid, &e)) goto fail;
	if (parent && forum_board_set_parent(d, fid, parent, &e)) goto fail;
	if (requiretype && forum_board_require_type(d, fid, 1)) goto fail;
	if (db_commit(d)) goto fail;
	printf("%lld\n", (long long)fid);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "loulan: %s\n", e.msg[0] ? forum_err_en(&e) : db_errmsg(d));
	db_rollback(d);
out:
	db_close(d);
	return rc;
}

const struct cli_cmd cli_board_add = {
	"board add", NULL, 0, 0, 1, add_opts, "add a board and print its fid",
	"Adds a board (in the category NAME, created when missing; default 默认分区) with\n"
	"optional thread types, and prints its fid. --require-type makes choosing one of\n"
	"the types mandatory for new threads. --parent FID makes it a sub-board (子版块)\n"
	"shown under board FID, which must be a board of the same category and no\n"
	"sub-board itself.",
	add,
};

/* ---- board edit (issue #18): a board's parent ------------------------------ */

static long long edit_fid, edit_parent = -1;
static const struct cli_opt edit_opts[] = {
	{"fid", "N", CLI_INT, &edit_fid, 1, LLONG_MAX, 1, "the board"},
	{"parent", "FID", CLI_INT, &edit_parent, 0, LLONG_MAX, 0, "show it under board FID (子版块); 0: a board of its category"},
	{NULL},
};

static int edit(char **args, int nargs) {
	if (edit_parent < 0) {
		fprintf(stderr, "loulan: nothing to change (give --parent)\n");
		return 2;
	}
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	int rc = 1;
	if (db_begin(d)) {
		fprintf(stderr, "loulan: %s\n", db_errmsg(d));
	} else if (forum_board_set_parent(d, edit_fid, edit_parent, &e) || db_commit(d)) {
		fprintf(stderr, "loulan: %s\n", e.msg[0] ? forum_err_en(&e) : db_errmsg(d));
		db_rollback(d);
	} else {
		printf("fid=%lld parent=%lld\n", edit_fid, edit_parent);
		rc = 0;
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_board_edit = {
	"board edit", NULL, 0, 0, 1, edit_opts, "change a board: its parent (sub-boards)",
	"Sets board N's parent: --parent FID shows it as a sub-board (子版块) under board\n"
	"FID, which must be in the same category and no sub-board itself, and board N\n"
	"must have no sub-boards of its own (one level, no loops); --parent 0 makes it\n"
	"a board of its category again.",
	edit,
};

static long long fid, group, flag[4] = {-1, -1, -1, -1};   /* view, post, reply, upload: -1 not given */

static const struct cli_opt perm_opts[] = {
	{"fid", "N", CLI_INT, &fid, 1, LLONG_MAX, 1, "the board"},
	{"group", "GID", CLI_INT, &group, 1, LLONG_MAX, 1, "the user group"},
	{"view", "0|1", CLI_INT, &flag[0], 0, 1, 0, "may see the board and its threads"},
	{"post", "0|1", CLI_INT, &flag[1], 0, 1, 0, "may start threads"},
	{"reply", "0|1", CLI_INT, &flag[2], 0, 1, 0, "may reply"},
	{"upload", "0|1", CLI_INT, &flag[3], 0, 1, 0, "may upload attachments"},
	{NULL},
};

static int perm(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	/* flags not given keep the board's row, or the group's defaults */
	int cur[4];
	perm_board_get(fid, group, cur);
	for (int i = 0; i < 4; i++)
		if (flag[i] >= 0) cur[i] = (int)flag[i];
	int rc = 0;
	if (perm_set(d, fid, group, cur[0], cur[1], cur[2], cur[3], &e)) {
		fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
		rc = 1;
	} else {
		printf("board %lld group %lld: view=%d post=%d reply=%d upload=%d\n", fid, group, cur[0], cur[1], cur[2], cur[3]);
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_board_perm = {
	"board perm", NULL, 0, 0, 1, perm_opts, "set what a user group may do on a board",
	"Sets what user group GID may do on board N. Flags not given keep the board's current\n"
	"value for the group, or the group's default (usergroup allowvisit/allowpost/allowreply).\n"
	"The 禁止访问 (5) and 禁止发言 (4) groups stay banned whatever a board says. A running\n"
	"server picks the change up within a few seconds.",
	perm,
};

/* ---- board approval: 审核 ------------------------------------------------- */

static long long appr_threads = 0, appr_replies = 0;
static const char *appr_groups = "";

static const struct cli_opt approval_opts[] = {
	{"fid", "N", CLI_INT, &fid, 1, LLONG_MAX, 1, "the board"},
	{"threads", "0|1", CLI_INT, &appr_threads, 0, 1, 0, "new threads wait for a moderator's approval"},
	{"replies", "0|1", CLI_INT, &appr_replies, 0, 1, 0, "new replies wait for a moderator's approval"},
	{"groups", "G,G", CLI_STR, &appr_groups, 0, 0, 0, "only from these user groups (default: every member group)"},
	{NULL},
};

static int approval(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	int rc = 0, kinds = (appr_threads ? APPROVE_THREADS : 0) | (appr_replies ? APPROVE_REPLIES : 0);
	if (approval_set(d, fid, kinds, appr_groups, &e)) {
		fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
		rc = 1;
	} else {
		printf("board %lld: approval threads=%d replies=%d groups=%s\n", fid, !!appr_threads, !!appr_replies,
		       *appr_groups ? appr_groups : "(member groups)");
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_board_approval = {
	"board approval", NULL, 0, 0, 1, approval_opts, "审核: hold new threads and/or replies on a board for approval",
	"Holds new threads (--threads 1) and/or replies (--replies 1) on board N from the\n"
	"user groups --groups (comma-separated, e.g. 10 for 新手上路; default: every member\n"
	"group) until a moderator approves them at /modcp/pending. Moderators, super\n"
	"moderators and admins are never held. --threads 0 --replies 0 turns it off.\n"
	"A running server picks the change up within a few seconds.",
	approval,
};

/* ---- board list (issue 17) ------------------------------------------------ */

static int list(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	arena a;
	arena_init(&a);
	struct admin_board *bs;
	int n, rc = 0;
	if (admin_boards(d, &a, &bs, &n)) {
		fprintf(stderr, "loulan: %s\n", db_errmsg(d));
		rc = 1;
	} else {
		for (int i = 0; i < n; i++)
			printf("fid=%lld name=%s category=%s threads=%lld types=%s%s\n", (long long)bs[i].fid, bs[i].name,
			       bs[i].category, (long long)bs[i].threads, bs[i].types && *bs[i].types ? bs[i].types : "-",
			       bs[i].parent ? arena_sprintf(&a, " parent=%lld", (long long)bs[i].parent) : "");
	}
	arena_free(&a);
	db_close(d);
	return rc;
}

const struct cli_cmd cli_board_list = {
	"board list", NULL, 0, 0, 1, NULL, "list the boards (fid, name, category, threads)",
	"Prints one line per board in display order, hidden ones too: fid=N name=NAME\n"
	"category=NAME threads=N types=A,B (- when the board has no thread types), and\n"
	"parent=FID for a sub-board (子版块).",
	list,
};
