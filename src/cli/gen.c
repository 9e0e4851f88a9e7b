/*
** loulan gen: synthetic content for tests and benchmarks, with a progress bar.
*/
#include "cli/cli.h"
#include "forum/cachegen.h"
#include "forum/forum.h"
#include "forum/gen.h"
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long boards, threads, posts, big, seed = 1;

static const struct cli_opt opts[] = {
	{"boards", "B", CLI_INT, &boards, 1, GEN_MAX_BOARDS, 1, "boards, in the category 生成数据"},
	{"threads", "T", CLI_INT, &threads, 0, GEN_MAX_ROWS, 1, "threads"},
	{"posts", "P", CLI_INT, &posts, 0, GEN_MAX_ROWS, 1, "posts in all, first floors included (P >= T)"},
	{"big", "N", CLI_INT, &big, 0, GEN_MAX_ROWS, 0, "one more thread of N floors (default 0)"},
	{"seed", "S", CLI_INT, &seed, 0, LLONG_MAX, 0, "makes text and sizes reproducible (default 1)"},
	{NULL},
};

struct gen_bar { int tty, last; struct timespec t0; };

static double since(const struct timespec *t0) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* a bar redrawn in place on a terminal, else one line per 10% */
static void gen_progress(void *ctx, int64_t done, int64_t total) {
	struct gen_bar *b = ctx;
	int pct = total > 0 ? (int)(done * 100 / total) : 100;
	if (b->tty) {
		if (pct == b->last && done != total) return;
		char bar[41];
		int fill = pct * 40 / 100;
		for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
		bar[40] = 0;
		fprintf(stderr, "\r[%s] %3d%% %lld/%lld posts %.1fs", bar, pct, (long long)done, (long long)total, since(&b->t0));
		if (done == total) fputc('\n', stderr);
	} else {
		if (pct / 10 == b->last / 10) return;
		fprintf(stderr, "loulan: gen %d%% (%lld/%lld posts, %.1fs)\n", pct / 10 * 10, (long long)done, (long long)total,
		        since(&b->t0));
	}
	b->last = pct;
}

static int run(char **args, int nargs) {
	if (posts < threads || (posts > 0 && threads == 0)) {
		fprintf(stderr, "loulan: gen wants threads <= posts (each thread has a first floor)\n");
		return 2;
	}
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct gen_bar bar = {isatty(2), -1, {0, 0}};
	clock_gettime(CLOCK_MONOTONIC, &bar.t0);
	struct gen_opts go = {boards, threads, posts, big, (uint64_t)seed, gen_progress, &bar};
	struct gen_stats st;
	struct forum_err e = {0};
	int rc = 0;
	if (forum_gen(d, &go, &st, &e)) {
		fprintf(stderr, "%sloulan: gen: %s\n", bar.tty && bar.last >= 0 ? "\n" : "", e.msg);
		rc = 1;
	} else {
		printf("generated %lld boards, %lld members, %lld threads, %lld posts in %.2f seconds\n", (long long)st.boards,
		       (long long)st.users, (long long)st.threads, (long long)st.posts, since(&bar.t0));
		if (st.big_tid) printf("big thread: /t/%lld (%lld floors)\n", (long long)st.big_tid, (long long)go.big);
		cachegen_bump_all(d);   /* a running server drops its cached pages */
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_gen = {
	"gen", NULL, 0, 0, 1, opts, "fill a forum with synthetic boards, members, threads and posts",
	"Fills an initialised forum with synthetic content for tests and benchmarks: B boards in\n"
	"the category 生成数据, about 200 members, T threads with a long tail of sizes and P posts\n"
	"in all (first floors included; P >= T), in Chinese and English with some BBCode and\n"
	"Markdown, plus one more thread of N floors with --big N. Counters are computed from the\n"
	"rows at the end. Progress goes to stderr; a summary to stdout.",
	run,
};
