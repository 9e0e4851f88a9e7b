/* urlparse: Discuz! static paths and board cursors; see urlparse.h. */
#include "pages/urlparse.h"
#include "forum/read.h"
#include <string.h>

int url_uint(const char *s, size_t n, int64_t max, int64_t *out) {
	if (!s || !n || n > 19 || (s[0] == '0' && n > 1)) return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		int d = s[i] - '0';
		if (v > (max - d) / 10) return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int url_id(const char *s, int64_t max, int64_t *out) {
	int64_t v;
	if (!s || url_uint(s, strlen(s), max, &v) || v < 1) return -1;
	*out = v;
	return 0;
}

/* n bytes: an id within [1, max] */
static int num(const char *s, size_t n, int64_t max, int64_t *out) {
	int64_t v;
	if (url_uint(s, n, max, &v) || v < 1) return -1;
	*out = v;
	return 0;
}

int url_dashed(const char *s, const char *prefix, int64_t *v, int want) {
	size_t pl = strlen(prefix), n = strlen(s);
	if (strncmp(s, prefix, pl) || n < pl + 5 || strcmp(s + n - 5, ".html")) return 0;
	const char *c = s + pl, *e = s + n - 5;
	int k = 0;
	while (c <= e && k < want) {
		const char *dash = memchr(c, '-', (size_t)(e - c));
		const char *end = dash ? dash : e;
		if (num(c, (size_t)(end - c), URL_NUM_MAX, &v[k])) return -1;
		k++;
		c = end + 1;
		if (!dash) break;
	}
	return (k == want && c > e) ? 1 : -1;
}

int url_thread_cursor(const char *s, int dir, struct thread_cursor *c) {
	int64_t v[3];
	const char *q = s;
	for (int i = 0; i < 3; i++) {
		size_t n = strspn(q, "0123456789");
		if (n > URL_CURSOR_DIGITS || url_uint(q, n, INT64_MAX, &v[i])) return -1;
		q += n;
		if (i < 2) {
			if (*q != '_') return -1;
			q++;
		}
	}
	if (*q) return -1;
	c->dir = dir;
	c->sticky = v[0];
	c->lastpost = v[1];
	c->tid = v[2];
	return 0;
}
