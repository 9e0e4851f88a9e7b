/*
** loulan post: a new thread (--board, --subject) or a reply (--thread) by
** member --name, BBCode body on stdin; prints "tid=T pid=P floor=N". For
** scripts and tests; the web and API posting pages do the same through forum/.
*/
#include "cli/cli.h"
#include "forum/forum.h"
#include "forum/posting.h"
#include "forum/user.h"
#include "util/arena.h"
#include "util/buf.h"
#include <limits.h>
#include <stdio.h>
#include <time.h>

static const char *name, *subject;
static long long fid, tid;
static int as_admin;

static const struct cli_opt opts[] = {
	{"name", "USER", CLI_STR, &name, 0, 0, 1, "the author"},
	{"board", "FID", CLI_INT, &fid, 1, LLONG_MAX, 0, "a new thread on this board (with --subject)"},
	{"subject", "S", CLI_STR, &subject, 0, 0, 0, "the new thread's title"},
	{"thread", "TID", CLI_INT, &tid, 1, LLONG_MAX, 0, "a reply to this thread"},
	{"as-admin", NULL, CLI_FLAG, &as_admin, 0, 0, 0, "the operator's override: no permission, closed-thread or flood rules"},
	{NULL},
};

static int run(char **args, int nargs) {
	if (!tid && (!fid || !subject)) {
		fprintf(stderr, "loulan: --name and either --thread TID or --board FID --subject S are required\n");
		return 2;
	}
	buf body;
	buf_init(&body, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) buf_append(&body, chunk, n);
	db *d = cli_open_store(0);
	if (!d) {
		buf_release(&body);
		return 1;
	}
	int rc = 1;
	int64_t uid = 0;
	struct member m;
	arena a;
	arena_init(&a);
	if (user_find(d, name, &uid) != 1 || user_get(d, &a, uid, &m) != 1) {
		fprintf(stderr, "loulan: no such user %s\n", name);
	} else {
		struct actor who = {m.uid, m.groupid, m.name, as_admin};
		struct post_input in = {subject, buf_cstr(&body), "bbcode", 0, 0};
		struct forum_err e = {0};
		int64_t ntid = tid, pid = 0, pos = 1;
		if (tid ? forum_new_reply(d, &who, tid, &in, time(NULL), &pid, &pos, &e)
		        : forum_new_thread(d, &who, fid, &in, time(NULL), &ntid, &pid, &e)) {
			if (e.code == FORUM_E_FLOOD) fprintf(stderr, "loulan: posting too fast; try again in %d seconds\n", e.wait);
			else fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
		} else {
			printf("tid=%lld pid=%lld floor=%lld\n", (long long)ntid, (long long)pid, (long long)pos);
			rc = 0;
		}
	}
	arena_free(&a);
	buf_release(&body);
	db_close(d);
	return rc;
}

const struct cli_cmd cli_post = {
	"post", "< BODY", 0, 0, 1, opts, "post a thread or a reply as a member (BBCode body from stdin)",
	"Posts as member USER: a new thread on board FID titled S, or a reply to thread TID.\n"
	"The BBCode body is read from standard input. Prints 'tid=T pid=P floor=N'.\n"
	"Posts under the same rules as the web (board permissions, closed threads, flood\n"
	"control, limits). --as-admin: the operator's override; the permission,\n"
	"closed-thread and flood rules do not apply (limits still do).",
	run,
};
