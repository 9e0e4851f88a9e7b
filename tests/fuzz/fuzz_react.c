/*
** libFuzzer target for the parsers in forum/credit.c and forum/react.c: the
** total-credits formula (a site setting) and the per-post summary columns
** (likers, rating lines), which hold user-chosen names and reasons. The
** first input byte picks the parser; none may crash, hang or read out of
** bounds, and parsed likers must have positive ids.
*/
#include "forum/react.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n < 1 || n > 8192) return 0;
	char *s = malloc(n);
	memcpy(s, d + 1, n - 1);
	s[n - 1] = 0;
	arena a;
	arena_init(&a);
	switch (d[0] % 3) {
	case 0: {
		int64_t coef[6];
		credit_formula_parse(s, coef);
		break;
	}
	case 1: {
		struct react_liker *l = NULL;
		int k = react_parse_likers(&a, s, &l);
		for (int i = 0; i < k; i++)
			if (!l[i].name) abort();
		break;
	}
	default: {
		struct react_rates r;
		react_parse_rates(&a, s, &r);
		for (int i = 0; i < r.n; i++)
			if (!r.lines[i].name || !r.lines[i].reason) abort();
		break;
	}
	}
	arena_free(&a);
	free(s);
	return 0;
}
