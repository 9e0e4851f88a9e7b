/*
** libFuzzer target for src/pages/urlparse.c: the Discuz! static paths, the
** board and list cursors, the Archiver's arguments and the id parser
** (url_uint/url_id). Oracles: accepted values are in range, and printing them
** in canonical form gives back the input exactly (so no two inputs parse to
** the same value: one URL per page).
*/
#include "pages/urlparse.h"
#include "forum/read.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n > 256) return 0;
	char *s = malloc(n + 1);
	memcpy(s, d, n);
	s[n] = 0;
	char canon[128];
	int64_t v[3], w[3];
	for (int want = 2; want <= 3; want++) {
		const char *prefix = want == 3 ? "thread-" : "forum-";
		if (url_dashed(s, prefix, v, want) == 1) {
			for (int i = 0; i < want; i++)
				if (v[i] < 1 || v[i] > URL_NUM_MAX) abort();
			if (want == 3) snprintf(canon, sizeof canon, "thread-%lld-%lld-%lld.html", (long long)v[0], (long long)v[1], (long long)v[2]);
			else snprintf(canon, sizeof canon, "forum-%lld-%lld.html", (long long)v[0], (long long)v[1]);
			if (url_dashed(canon, prefix, w, want) != 1 || memcmp(v, w, sizeof v[0] * (size_t)want)) abort();
			if (strcmp(canon, s)) abort();
		}
	}
	struct thread_cursor c, c2;
	if (url_thread_cursor(s, 1, &c) == 0) {
		if (c.dir != 1 || c.sticky < 0 || c.lastpost < 0 || c.tid < 0) abort();
		snprintf(canon, sizeof canon, "%lld_%lld_%lld", (long long)c.sticky, (long long)c.lastpost, (long long)c.tid);
		if (url_thread_cursor(canon, -1, &c2) || c2.sticky != c.sticky || c2.lastpost != c.lastpost || c2.tid != c.tid)
			abort();
		if (strcmp(canon, s)) abort();
	}
	int64_t id;
	if (url_id(s, URL_NUM_MAX, &id) == 0) {
		if (id < 1 || id > URL_NUM_MAX) abort();
		snprintf(canon, sizeof canon, "%lld", (long long)id);
		if (strcmp(canon, s)) abort();
	}
	if (url_int(s, -1000000, 1000000, &id) == 0) {
		if (id < -1000000 || id > 1000000) abort();
		snprintf(canon, sizeof canon, "%lld", (long long)id);
		if (strcmp(canon, s)) abort();
	}
	/* the same bytes with the length given: stops at n, never reads past it */
	if (url_uint((const char *)d, n, 1000000, &id) == 0) {
		if (id < 0 || id > 1000000) abort();
		snprintf(canon, sizeof canon, "%lld", (long long)id);
		if (strlen(canon) != n || memcmp(canon, d, n)) abort();
	}
	int64_t key, id2;
	if (url_key_cursor(s, &key, &id) == 0) {
		if (key < 0 || id < 1) abort();
		snprintf(canon, sizeof canon, "%lld_%lld", (long long)key, (long long)id);
		int64_t k2;
		if (url_key_cursor(canon, &k2, &id2) || k2 != key || id2 != id) abort();
		if (strcmp(canon, s)) abort();
	}
	for (int k = 0; k < 2; k++) {
		const char *kind = k ? "tid" : "fid";
		int pg, pg2;
		if (url_archiver(s, kind, &id, &pg) == 1) {
			if (id < 1 || id > URL_NUM_MAX || pg < 1 || pg > FORUM_MAX_PAGE) abort();
			snprintf(canon, sizeof canon, "%s-%lld-page-%d.html", kind, (long long)id, pg);
			if (url_archiver(canon, kind, &id2, &pg2) != 1 || id2 != id || pg2 != pg) abort();
		}
	}
	free(s);
	return 0;
}
