/*
** fuzz_phpser: libFuzzer target for the importer's parsers (src/import/). The first byte picks:
**   0  php_unserialize: on success every value lies in the arena, strings are NUL-terminated
**      copies of n bytes, and serializing the value again and parsing that gives the same text
**      (a round trip); php_get/php_geti on every key find an element;
**   1  dzconf_parse (config_global.php / config_ucenter.php): keys and values within their caps;
**   2  dz_text from GBK, BIG5 and UTF-8 in both modes: the output is valid UTF-8 without NUL;
**   3  dz_html_to_bbcode then dz_bbcode_text on valid UTF-8: the output is valid UTF-8.
** Anything else aborts.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "import/dzconfig.h"
#include "import/dztext.h"
#include "import/phpser.h"
#include "util/buf.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void ser(buf *b, const struct php_val *v) {
	switch (v->t) {
	case PHP_NULL: buf_puts(b, "N;"); break;
	case PHP_BOOL: buf_appendf(b, "b:%d;", (int)v->i); break;
	case PHP_INT: buf_appendf(b, "i:%lld;", (long long)v->i); break;
	case PHP_DOUBLE: buf_appendf(b, "d:%.17g;", v->d); break;
	case PHP_STRING:
		buf_appendf(b, "s:%zu:\"", v->n);
		buf_append(b, v->s, v->n);
		buf_puts(b, "\";");
		break;
	case PHP_ARRAY:
		buf_appendf(b, "a:%zu:{", v->n);
		for (size_t i = 0; i < v->n; i++) {
			ser(b, &v->kv[i].key);
			ser(b, &v->kv[i].val);
		}
		buf_putc(b, '}');
		break;
	}
}

static void check_utf8(const buf *b) {
	if (b->len && (!utf8_valid(b->data, b->len) || memchr(b->data, 0, b->len))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n < 1 || n > 65536) return 0;
	const char *s = (const char *)d + 1;
	size_t len = n - 1;
	switch (d[0] % 4) {
	case 0: {
		arena a;
		arena_init(&a);
		struct php_val *v;
		if (!php_unserialize(s, len, &a, &v)) {
			buf b;
			buf_init(&b, 0);
			ser(&b, v);
			struct php_val *w;
			if (php_unserialize(b.data, b.len, &a, &w)) abort();
			buf c;
			buf_init(&c, 0);
			ser(&c, w);
			int nan = v->t == PHP_DOUBLE && v->d != v->d;
			if (!nan && (b.len != c.len || memcmp(b.data, c.data, b.len))) abort();
			if (v->t == PHP_ARRAY)
				for (size_t i = 0; i < v->n; i++) {
					const struct php_val *k = &v->kv[i].key;
					if (k->t == PHP_INT && !php_geti(v, k->i)) abort();
					if (k->t == PHP_STRING && strlen(k->s) == k->n && !php_get(v, k->s)) abort();
				}
			buf_release(&b);
			buf_release(&c);
		}
		arena_free(&a);
		break;
	}
	case 1: {
		struct dzconf c = {0};
		if (dzconf_parse(&c, s, len)) abort();
		for (int i = 0; i < c.n; i++)
			if (strlen(c.e[i].key) >= DZCONF_KEY_MAX || strlen(c.e[i].val) >= DZCONF_VALUE_MAX) abort();
		if (c.n > DZCONF_ENTRIES_MAX) abort();
		dzconf_free(&c);
		break;
	}
	case 2: {
		static struct dz_conv *cv[3];
		static const enum dz_charset cs[3] = {DZ_GBK, DZ_BIG5, DZ_UTF8MB4};
		for (int i = 0; i < 3; i++) {
			if (!cv[i] && !(cv[i] = dz_conv_open(cs[i]))) abort();
			for (int mode = DZ_RAW; mode <= DZ_ESCAPED; mode++) {
				buf b;
				buf_init(&b, 0);
				if (dz_text(cv[i], s, len, mode, &b)) abort();
				check_utf8(&b);
				buf_release(&b);
			}
		}
		break;
	}
	default: {
		if (!utf8_valid(s, len)) break;
		buf b, t;
		buf_init(&b, 0);
		buf_init(&t, 0);
		dz_html_to_bbcode(s, len, &b);
		check_utf8(&b);
		dz_bbcode_text(b.data ? b.data : "", b.len, &t);
		check_utf8(&t);
		buf_release(&b);
		buf_release(&t);
	}
	}
	return 0;
}
