/*
** loulan gen: synthetic content for tests and benchmarks, with a progress bar.
*/
#include "cli/cli.h"
#include "forum/cachegen.h"
#include "forum/forum.h"
#include "forum/gen.h"
#include "forum/search.h"
#include <limits.h>
#include <stdio.h>

static long long boards, threads, posts, big, seed = 1;
static int no_index;

static const struct cli_opt opts[] = {
	{"boards", "B", CLI_INT, &boards, 1, GEN_MAX_BOARDS, 1, "boards, in the category 生成数据"},
	{"threads", "T", CLI_INT, &threads, 0, GEN_MAX_ROWS, 1, "threads"},
	{"posts", "P", CLI_INT, &posts, 0, GEN_MAX_ROWS, 1, "posts in all, first floors included (P >= T)"},
	{"big", "N", CLI_INT, &big, 0, GEN_MAX_ROWS, 0, "one more thread of N floors (default 0)"},
	{"seed", "S", CLI_INT, &seed, 0, LLONG_MAX, 0, "makes text and sizes reproducible (default 1)"},
	{"no-index", NULL, CLI_FLAG, &no_index, 0, 0, 0, "leave the search index to a later `loulan reindex`"},
	{NULL},
};

static int run(char **args, int nargs) {
	if (posts < threads || (posts > 0 && threads == 0)) {
		fprintf(stderr, "loulan: gen wants threads <= posts (each thread has a first floor)\n");
		return 2;
	}
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct cli_bar bar;
	cli_bar_init(&bar, "gen", "posts");
	struct gen_opts go = {boards, threads, posts, big, (uint64_t)seed, cli_progress, &bar};
	struct gen_stats st;
	struct forum_err e = {0};
	int rc = 0;
	if (forum_gen(d, &go, &st, &e)) {
		fprintf(stderr, "%sloulan: gen: %s\n", bar.tty && bar.last >= 0 ? "\n" : "", forum_err_en(&e));
		rc = 1;
	} else {
		printf("generated %lld boards, %lld members, %lld threads, %lld posts in %.2f seconds\n", (long long)st.boards,
		       (long long)st.users, (long long)st.threads, (long long)st.posts, cli_bar_seconds(&bar));
		if (st.big_tid) printf("big thread: /t/%lld (%lld floors)\n", (long long)st.big_tid, (long long)go.big);
		/* the posts were written in bulk, past the search hooks: index them (as `loulan reindex`) */
		cli_bar_init(&bar, "reindex", "posts");
		db_bulk_mode(d, 1);
		if (no_index) {
			printf("search index left empty (loulan reindex fills it)\n");
		} else if (search_reindex(d, cli_progress, &bar, &e)) {
			fprintf(stderr, "loulan: gen: %s\n", forum_err_en(&e));
			rc = 1;
		} else {
			printf("indexed for search in %.2f seconds\n", cli_bar_seconds(&bar));
		}
		db_bulk_mode(d, 0);
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
	"rows at the end, then the posts are indexed for search (--no-index leaves that to\n"
	"`loulan reindex`). Progress goes to stderr; a summary to stdout.",
	run,
};
