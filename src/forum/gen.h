/*
** gen: synthetic content for tests and benchmarks (gen.c).
*/
#ifndef LOULAN_GEN_H
#define LOULAN_GEN_H
#include "forum/forum.h"

#define GEN_MAX_BOARDS 1000
#define GEN_MAX_ROWS 100000000          /* threads, posts or --big floors */
#define GEN_USERS 200
struct gen_opts {
	int64_t boards, threads, posts;     /* posts include the threads' first floors */
	int64_t big;                        /* floors of one extra thread, 0 none */
	uint64_t seed;
	void (*progress)(void *ctx, int64_t done, int64_t total);  /* called often; may be NULL */
	void *ctx;
};
struct gen_stats {
	int64_t boards, threads, posts, users, first_tid, big_tid;
	int one_transaction;   /* PostgreSQL, an empty forum nobody else uses: one transaction, keys made after */
};
int forum_gen(db *d, const struct gen_opts *o, struct gen_stats *st, struct forum_err *e);
#endif
