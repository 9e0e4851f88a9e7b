/* urlparse: Discuz! static paths, Archiver arguments and list cursors; see urlparse.h. */
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

int url_int(const char *s, int64_t lo, int64_t hi, int64_t *out) {
	if (!s) return -1;
	int neg = s[0] == '-';
	int64_t v;
	/* "-0" is not canonical; the magnitude fits in int64 (lo >= -INT64_MAX) */
	if (url_uint(s + neg, strlen(s + neg), neg ? -lo : hi, &v) || (neg && v == 0)) return -1;
	v = neg ? -v : v;
	if (v < lo || v > hi) return -1;
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

/* n decimal numbers of at most URL_CURSOR_DIGITS digits joined by '_', the whole string */
static int underscored(const char *s, int64_t *v, int n) {
	const char *q = s;
	for (int i = 0; i < n; i++) {
		size_t k = strspn(q, "0123456789");
		if (k > URL_CURSOR_DIGITS || url_uint(q, k, INT64_MAX, &v[i])) return -1;   /* canonical: no leading zeros */
		q += k;
		if (i < n - 1) {
			if (*q != '_') return -1;
			q++;
		}
	}
	return *q ? -1 : 0;
}

int url_thread_cursor(const char *s, int dir, struct thread_cursor *c) {
	int64_t v[3];
	if (underscored(s, v, 3)) return -1;
	c->dir = dir;
	c->sticky = v[0];
	c->lastpost = v[1];
	c->tid = v[2];
	return 0;
}

int url_key_cursor(const char *s, int64_t *key, int64_t *id) {
	int64_t v[2];
	if (underscored(s, v, 2) || v[1] < 1) return -1;
	*key = v[0];
	*id = v[1];
	return 0;
}

int url_archiver(const char *s, const char *kind, int64_t *id, int *pg) {
	size_t kl = strlen(kind), n = strlen(s);
	if (strncmp(s, kind, kl) || s[kl] != '-') return 0;
	if (n < kl + 6 || strcmp(s + n - 5, ".html")) return -1;
	const char *c = s + kl + 1, *e = s + n - 5;
	const char *dash = memchr(c, '-', (size_t)(e - c));
	if (num(c, (size_t)((dash ? dash : e) - c), URL_NUM_MAX, id)) return -1;
	*pg = 1;
	if (!dash) return 1;
	int64_t p;
	if ((size_t)(e - dash) < 7 || strncmp(dash, "-page-", 6) || num(dash + 6, (size_t)(e - dash - 6), FORUM_MAX_PAGE, &p))
		return -1;
	*pg = (int)p;
	return 1;
}
