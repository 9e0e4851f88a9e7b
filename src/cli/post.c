/*
** loulan post: a new thread (--board, --subject) or a reply (--thread) by
** member --name, BBCode body on stdin; prints "tid pid position". For
** scripts and tests; the web and API posting pages do the same through forum/.
*/
#include "cli/cli.h"
#include "forum/forum.h"
#include "util/buf.h"
#include <limits.h>
#include <stdio.h>
#include <time.h>

static const char *name, *subject;
static long long fid, tid;

static const struct cli_opt opts[] = {
	{"name", "USER", CLI_STR, &name, 0, 0, 1, "the author"},
	{"board", "FID", CLI_INT, &fid, 1, LLONG_MAX, 0, "a new thread on this board (with --subject)"},
	{"subject", "S", CLI_STR, &subject, 0, 0, 0, "the new thread's title"},
	{"thread", "TID", CLI_INT, &tid, 1, LLONG_MAX, 0, "a reply to this thread"},
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
	char err[512];
	if (user_find(d, name, &uid) != 1) uid = 0;
	int64_t ntid = tid, pid = 0, pos = 1;
	if (!uid) {
		fprintf(stderr, "loulan: no such user %s\n", name);
	} else if (tid ? forum_reply_add(d, tid, uid, "bbcode", buf_cstr(&body), time(NULL), &pid, &pos, err, sizeof err)
	               : forum_thread_add(d, fid, uid, 0, subject, "bbcode", buf_cstr(&body), time(NULL), &ntid, &pid, err,
	                                  sizeof err)) {
		fprintf(stderr, "loulan: %s\n", err);
	} else {
		printf("%lld %lld %lld\n", (long long)ntid, (long long)pid, (long long)pos);
		rc = 0;
	}
	buf_release(&body);
	db_close(d);
	return rc;
}

const struct cli_cmd cli_post = {
	"post", "< BODY", 0, 0, 1, opts, "post a thread or a reply as a member (BBCode body from stdin)",
	"Posts as member USER: a new thread on board FID titled S, or a reply to thread TID.\n"
	"The BBCode body is read from standard input. Prints 'tid pid position'.",
	run,
};
