/*
** phpser: PHP unserialize() for the Discuz! importer (see phpser.h). A
** recursive descent over the bytes with a depth cap; every length is checked
** against what is left before it is used.
*/
#include "import/phpser.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ps { const char *p, *end; arena *a; size_t items; };

/* an optionally signed decimal integer ending at `stop`; 0 ok */
static int num(struct ps *st, char stop, int64_t *v) {
	const char *p = st->p;
	int neg = 0;
	if (p < st->end && (*p == '-' || *p == '+')) neg = *p++ == '-';
	if (p >= st->end || *p < '0' || *p > '9') return -1;
	uint64_t x = 0;
	while (p < st->end && *p >= '0' && *p <= '9') {
		if (x > (UINT64_MAX - 9) / 10) return -1;
		x = x * 10 + (uint64_t)(*p++ - '0');
	}
	if (p >= st->end || *p != stop) return -1;
	if (x > (uint64_t)INT64_MAX + (uint64_t)neg) return -1;
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	st->p = p + 1;
	return 0;
}

static int value(struct ps *st, struct php_val *v, int depth);

static int string_val(struct ps *st, struct php_val *v) {
	int64_t len;
	if (num(st, ':', &len) || len < 0) return -1;
	if ((size_t)(st->end - st->p) < (size_t)len + 3 || st->p[0] != '"') return -1;
	const char *s = st->p + 1;
	if (s[len] != '"' || s[len + 1] != ';') return -1;
	v->t = PHP_STRING;
	v->s = arena_strndup(st->a, s, (size_t)len);
	v->n = (size_t)len;
	st->p = s + len + 2;
	return 0;
}

static int array_val(struct ps *st, struct php_val *v, int depth) {
	int64_t count;
	if (depth >= PHPSER_DEPTH_MAX || num(st, ':', &count) || count < 0) return -1;
	/* every element takes at least 4 bytes ("N;N;"): a count beyond what is left is a lie */
	if ((uint64_t)count > (uint64_t)(st->end - st->p) / 4 || (st->items += (size_t)count) > PHPSER_ITEMS_MAX) return -1;
	if (st->p >= st->end || *st->p++ != '{') return -1;
	v->t = PHP_ARRAY;
	v->n = (size_t)count;
	v->kv = count ? arena_zalloc(st->a, sizeof *v->kv * (size_t)count) : NULL;
	for (int64_t i = 0; i < count; i++) {
		struct php_kv *kv = &v->kv[i];
		if (value(st, &kv->key, depth + 1) || (kv->key.t != PHP_INT && kv->key.t != PHP_STRING)) return -1;
		if (value(st, &kv->val, depth + 1)) return -1;
	}
	if (st->p >= st->end || *st->p++ != '}') return -1;
	return 0;
}

static int value(struct ps *st, struct php_val *v, int depth) {
	if (st->end - st->p < 2) return -1;
	char t = st->p[0];
	memset(v, 0, sizeof *v);
	if (t == 'N') {
		if (st->p[1] != ';') return -1;
		st->p += 2;
		v->t = PHP_NULL;
		return 0;
	}
	if (st->p[1] != ':') return -1;
	st->p += 2;
	switch (t) {
	case 'i':
		v->t = PHP_INT;
		return num(st, ';', &v->i);
	case 'b':
		v->t = PHP_BOOL;
		if (num(st, ';', &v->i) || (v->i != 0 && v->i != 1)) return -1;
		return 0;
	case 'd': {
		const char *semi = memchr(st->p, ';', (size_t)(st->end - st->p));
		if (!semi || semi == st->p || semi - st->p > 64) return -1;
		char tmp[72];
		memcpy(tmp, st->p, (size_t)(semi - st->p));
		tmp[semi - st->p] = 0;
		if (!strcmp(tmp, "INF")) v->d = 1.0 / 0.0;
		else if (!strcmp(tmp, "-INF")) v->d = -1.0 / 0.0;
		else if (!strcmp(tmp, "NAN")) v->d = 0.0 / 0.0;
		else {
			char *e;
			errno = 0;
			v->d = strtod(tmp, &e);
			if (*e) return -1;
		}
		v->t = PHP_DOUBLE;
		st->p = semi + 1;
		return 0;
	}
	case 's': return string_val(st, v);
	case 'a': return array_val(st, v, depth);
	default: return -1;
	}
}

int php_unserialize(const char *s, size_t n, arena *a, struct php_val **out) {
	if (!s || n > PHPSER_INPUT_MAX) return -1;
	struct ps st = {s, s + n, a, 0};
	struct php_val *v = arena_zalloc(a, sizeof *v);
	if (value(&st, v, 0) || st.p != st.end) return -1;
	*out = v;
	return 0;
}

/* key as PHP reads an array key: a canonical decimal integer string is that integer */
static int int_key(const char *key, int64_t *v) {
	const char *p = key;
	if (*p == '-') p++;
	if (!*p || (p[0] == '0' && p[1]) || (key[0] == '-' && p[0] == '0')) return 0;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9' || q - p > 17) return 0;
	*v = strtoll(key, NULL, 10);
	return 1;
}

const struct php_val *php_geti(const struct php_val *v, int64_t key) {
	if (!v || v->t != PHP_ARRAY) return NULL;
	for (size_t i = 0; i < v->n; i++) {
		const struct php_val *k = &v->kv[i].key;
		if (k->t == PHP_INT && k->i == key) return &v->kv[i].val;
		int64_t ki;
		if (k->t == PHP_STRING && strlen(k->s) == k->n && int_key(k->s, &ki) && ki == key) return &v->kv[i].val;
	}
	return NULL;
}

const struct php_val *php_get(const struct php_val *v, const char *key) {
	if (!v || v->t != PHP_ARRAY || !key) return NULL;
	int64_t ki;
	if (int_key(key, &ki)) return php_geti(v, ki);
	size_t kl = strlen(key);
	for (size_t i = 0; i < v->n; i++) {
		const struct php_val *k = &v->kv[i].key;
		if (k->t == PHP_STRING && k->n == kl && !memcmp(k->s, key, kl)) return &v->kv[i].val;
	}
	return NULL;
}

int64_t php_int(const struct php_val *v) {
	if (!v) return 0;
	switch (v->t) {
	case PHP_INT:
	case PHP_BOOL: return v->i;
	case PHP_DOUBLE: return v->d == v->d && v->d < 9e18 && v->d > -9e18 ? (int64_t)v->d : 0;
	case PHP_STRING: return strtoll(v->s, NULL, 10);
	default: return 0;
	}
}

const char *php_str(const struct php_val *v, arena *a, size_t *n) {
	const char *s = "";
	if (v && v->t == PHP_STRING) {
		if (n) *n = v->n;
		return v->s;
	}
	if (v && (v->t == PHP_INT || v->t == PHP_BOOL)) s = arena_sprintf(a, "%lld", (long long)v->i);
	else if (v && v->t == PHP_DOUBLE) s = arena_sprintf(a, "%.17g", v->d);
	if (n) *n = strlen(s);
	return s;
}
