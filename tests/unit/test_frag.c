/*
** test_frag: the member fragment cache (pages/frag): a page with marks cut
** into deflate segments and filled per request must decompress (libdeflate
** checks the gzip CRC and length) to the page with the values in place,
** whatever the marks' positions (first, adjacent, last, empty values); hits,
** viewers on the page, generations and age.
*/
#include "forum/cachegen.h"
#include "pages/frag.h"
#include "util/buf.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const time_t T0 = 1700000000;

static const struct frag_vals VALS = {"42", "&lt;bob&gt;", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                      "2026-11-27 05:50", "On", 1, 0};

static struct cache_deps deps(int64_t tid) {
	struct cache_deps d = {0};
	cache_dep_add(&d, CACHEGEN_SITE, 0);
	cache_dep_add(&d, CACHEGEN_THREAD, tid);
	return d;
}

/* gunzip (CRC and length checked) */
static char *gunzip(const buf *z, size_t *n) {
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t cap = 1 << 20;
	char *out = malloc(cap);
	assert_int_equal(libdeflate_gzip_decompress(d, z->data, z->len, out, cap, n), LIBDEFLATE_SUCCESS);
	libdeflate_free_decompressor(d);
	return out;
}

/* the page with each mark replaced as the fill must do; elapsed ("e") is left out of these pages */
static void expect(const char *html, const char *views, const char *cache, buf *out) {
	for (const char *c = html; *c;) {
		const char *m = strstr(c, FRAG_MARK_PREFIX);
		if (!m) { buf_puts(out, c); break; }
		buf_append(out, c, (size_t)(m - c));
		char k = m[sizeof FRAG_MARK_PREFIX - 1];
		buf_puts(out, k == 'u' ? VALS.uid : k == 'n' ? VALS.name : k == 'c' ? VALS.csrf : k == 't' ? VALS.now
		            : k == 'g' ? VALS.gzip : k == 'q' ? "1" : k == 'v' ? views : k == 'k' ? cache : "?");
		c = m + sizeof FRAG_MARK_PREFIX - 1 + 4;
	}
}

static void roundtrip(const char *html) {
	int64_t touch[] = {7, 3};
	struct cache_deps d = deps(1);
	struct frag *e = frag_make("k", 1, &d, 1, 99, touch, 2, html, strlen(html), T0);
	assert_non_null(e);
	buf z, want;
	buf_init(&z, 0);
	buf_init(&want, 0);
	frag_fill(e, &VALS, &z);
	size_t n;
	char *got = gunzip(&z, &n);
	expect(html, "99", "Off", &want);
	assert_int_equal(n, want.len);
	assert_memory_equal(got, want.data, n);
	/* frag_subst: the same page, plain */
	buf s;
	buf_init(&s, 0);
	frag_subst(html, strlen(html), &VALS, 99, &s);
	assert_int_equal(s.len, want.len);
	assert_memory_equal(s.data, want.data, s.len);
	free(got);
	buf_release(&z);
	buf_release(&want);
	buf_release(&s);
	frag_discard(e);
}

static void test_segments(void **state) {
	(void)state;
	roundtrip("no marks at all");
	roundtrip("");
	roundtrip("<!--lf:u-->");
	roundtrip("<!--lf:u--><!--lf:n--><!--lf:c-->middle<!--lf:v--><!--lf:k-->");
	roundtrip("<p>head <!--lf:n--> (<!--lf:u-->) csrf=<!--lf:c--></p><!--lf:c--> views <!--lf:v--> at <!--lf:t--> "
	          "<!--lf:q--> queries, Gzip <!--lf:g-->, Cache <!--lf:k-->.</p>");
	buf big;
	buf_init(&big, 0);
	for (int i = 0; i < 3000; i++) buf_appendf(&big, "<li>floor %d, 楼层 %d</li>", i, i * 7);
	buf_puts(&big, "<!--lf:c-->");
	for (int i = 0; i < 3000; i++) buf_appendf(&big, "<li>more %d</li>", i);
	roundtrip(buf_cstr(&big));
	buf_release(&big);
	/* not an entry: an unknown mark, too many marks */
	struct cache_deps d = deps(1);
	const char *bad = "x<!--lf:z-->y";
	assert_null(frag_make("k", 1, &d, 1, 0, NULL, 0, bad, strlen(bad), T0));
	buf many;
	buf_init(&many, 0);
	for (int i = 0; i <= FRAG_MAX_MARKS; i++) buf_puts(&many, "a<!--lf:u-->");
	assert_null(frag_make("k", 1, &d, 1, 0, NULL, 0, many.data, many.len, T0));
	buf_release(&many);
}

static void test_get(void **state) {
	(void)state;
	const char *html = "<h1><!--lf:n--></h1><em><!--lf:v--></em><p>Cache <!--lf:k--></p>";
	int64_t touch[] = {9, 5, 7};
	buf out;
	buf_init(&out, 0);
	assert_int_equal(frag_get("t/1#g10", 7, 1, 10, T0, &VALS, &out), 0);
	struct cache_deps d = deps(1);
	struct frag *e = frag_make("t/1#g10", 7, &d, 1, 20, touch, 3, html, strlen(html), T0);
	assert_non_null(e);
	assert_int_equal(frag_put(e), 0);
	/* a hit shows one more view each time, and Cache On */
	assert_int_equal(frag_get("t/1#g10", 7, 1, 10, T0 + 1, &VALS, &out), 1);
	size_t n;
	char *got = gunzip(&out, &n);
	buf want;
	buf_init(&want, 0);
	expect(html, "21", "On", &want);
	assert_int_equal(n, want.len);
	assert_memory_equal(got, want.data, n);
	free(got);
	/* viewers on the page do not get it */
	buf_reset(&out);
	assert_int_equal(frag_get("t/1#g10", 7, 5, 10, T0 + 1, &VALS, &out), -1);
	assert_int_equal(frag_get("t/1#g10", 7, 9, 10, T0 + 1, &VALS, &out), -1);
	assert_int_equal(out.len, 0);
	/* another key (group) misses */
	assert_int_equal(frag_get("t/1#g11", 7, 1, 11, T0 + 1, &VALS, &out), 0);
	/* age */
	assert_int_equal(frag_get("t/1#g10", 7, 1, 10, T0 + CACHE_MAX_AGE_S, &VALS, &out), 0);
	/* generations */
	d = deps(1);
	e = frag_make("t/1#g10", 7, &d, 1, 20, touch, 3, html, strlen(html), T0);
	frag_put(e);
	buf_reset(&out);
	assert_int_equal(frag_get("t/1#g10", 7, 1, 10, T0, &VALS, &out), 1);
	cachegen_bump_thread(NULL, 1, 0);
	buf_reset(&out);
	assert_int_equal(frag_get("t/1#g10", 7, 1, 10, T0, &VALS, &out), 0);
	buf_release(&out);
	buf_release(&want);
}

static int setup(void **state) {
	(void)state;
	frag_init(0);
	return 0;
}
static int teardown(void **state) {
	(void)state;
	frag_free();
	return 0;
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
