/*
** fuzz_mention: libFuzzer target for markup/mention.c. The input is scanned for candidate names
** (mention_scan); every candidate becomes a known member, and the input is rendered as BBCode and
** as Markdown inside that scope: each name mention_at finds must be a candidate, lie inside the
** input and end before a name-ending byte; at most MENTION_MAX_PER_POST members are linked; the
** HTML passes html_check; mention_quotes returns distinct positive ids. Otherwise abort.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "markup/bbcode.h"
#include "markup/markdown.h"
#include "markup/mention.h"
#include "html_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n > 65536) return 0;
	const char *s = (const char *)d;
	static char names[MENTION_SCAN_MAX][MENTION_NAME_BYTES];
	int k = mention_scan(s, n, names, MENTION_SCAN_MAX);
	if (k < 0 || k > MENTION_SCAN_MAX) abort();
	for (size_t i = 0; i < n; i++) {
		size_t l = mention_at(s, n, i, 0);
		if (!l) continue;
		if (s[i] != '@' || i + 1 + l > n || l >= MENTION_NAME_BYTES || memchr(s + i + 1, '@', l) ||
		    memchr(s + i + 1, ' ', l) || memchr(s + i + 1, '<', l))
			abort();
	}
	static struct mention_scope sc;
	memset(&sc, 0, sizeof sc);
	for (int i = 0; i < k; i++) {
		if (!names[i][0] || strlen(names[i]) >= MENTION_NAME_BYTES) abort();
		memcpy(sc.known[i].name, names[i], MENTION_NAME_BYTES);
		sc.known[i].uid = i + 1;
	}
	sc.nknown = k;
	for (int md = 0; md < 2; md++) {
		buf out;
		buf_init(&out, 0);
		mention_scope_begin(&sc);
		int rc = md ? markdown_render(&out, s, n) : bbcode_render(&out, s, n);
		mention_scope_end();
		if (rc) abort();
		if (sc.nfound < 0 || sc.nfound > MENTION_MAX_PER_POST) abort();
		size_t where = 0;
		const char *err = html_check(buf_cstr(&out), out.len, &where);
		if (err) {
			fprintf(stderr, "html_check: %s at %zu in %s\n", err, where, buf_cstr(&out));
			abort();
		}
		buf_release(&out);
	}
	int64_t pids[8];
	int q = mention_quotes(s, n, pids, 8);
	for (int i = 0; i < q; i++) {
		if (pids[i] <= 0) abort();
		for (int j = 0; j < i; j++)
			if (pids[i] == pids[j]) abort();
	}
	return 0;
}
