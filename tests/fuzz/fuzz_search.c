/*
** libFuzzer target for src/search: the tokenizer, the query parser and the strings built from it,
** post text and excerpts. Oracles: token ranges lie inside the input and move forward, every token
** tokenizes again to itself (the FTS5 query path relies on it), the fast path for common ideographs
** gives the tokens and ranges of the full path, excerpt pieces lie inside the text.
*/
#include "search/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chk { size_t n; int last; };

static int same(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	const char *want = ctx;
	(void)start;
	(void)end;
	(void)cjk;
	if ((int)strlen(want) != n || memcmp(want, tok, (size_t)n)) abort();
	return 1;   /* exactly one token */
}

static int check(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	struct chk *c = ctx;
	if (n <= 0 || start < 0 || end > (int)c->n || start >= end || start < c->last) abort();
	if (memchr(tok, 0, (size_t)n)) abort();
	c->last = start;
	char *t = malloc((size_t)n + 1);
	memcpy(t, tok, (size_t)n);
	t[n] = 0;
	if (cjk != 0 || n < SEARCH_TOKEN_MAX)   /* a cut word may end in a character that normalizes on */
		if (search_tokenize(t, (size_t)n, same, t) != 1) abort();
	free(t);
	return 0;
}

/* every token with its range, appended to a buffer (the fast and the full path must agree) */
struct rec { char *b; size_t len, cap; };
static int record(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	struct rec *r = ctx;
	size_t need = r->len + (size_t)n + 64;
	if (need > r->cap) {
		r->cap = need * 2;
		r->b = realloc(r->b, r->cap);
		if (!r->b) abort();
	}
	memcpy(r->b + r->len, tok, (size_t)n);
	r->len += (size_t)n;
	r->len += (size_t)snprintf(r->b + r->len, 64, "@%d-%d/%d|", start, end, cjk);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n > 4096) return 0;
	char *s = malloc(n + 1);
	memcpy(s, d, n);
	s[n] = 0;
	struct chk c = {n, 0};
	search_tokenize(s, n, check, &c);
	struct rec fast = {0}, full = {0};
	search_tokenize(s, n, record, &fast);
	search_tokenize_fast(0);
	search_tokenize(s, n, record, &full);
	search_tokenize_fast(1);
	if (fast.len != full.len || (fast.len && memcmp(fast.b, full.b, fast.len))) abort();
	free(fast.b);
	free(full.b);
	struct search_query q;
	char err[256];
	if (search_query_parse(s, &q, err, sizeof err) == 0) {
		char *e;
		for (int titles = 0; titles < 2; titles++) {
			q.titles = titles;
			if (search_query_fts5(&q, &e)) abort();
			free(e);
			if (search_query_tsquery(&q, &e)) abort();
			free(e);
		}
		struct search_excerpt x;
		size_t len = strlen(s);
		search_excerpt(s, &q, &x);
		for (int i = 0; i < x.n; i++)
			if (x.seg[i].off < 0 || x.seg[i].len <= 0 || (size_t)(x.seg[i].off + x.seg[i].len) > len) abort();
		search_query_free(&q);
	}
	char *t = search_html_text(s);
	free(search_tsvector(s, t));
	free(t);
	free(s);
	return 0;
}
