/*
** test_urlparse: the one id parser takes only the canonical decimal form, so
** one page has one URL (issue #10: /t/01 and /t/1%00 answered 200). The fuzz
** target (tests/fuzz/fuzz_urlparse.c) checks the same rule on random input.
*/
#include "pages/urlparse.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static void test_url_id_canonical_only(void **state) {
	(void)state;
	int64_t v = -7;
	const char *ok[] = {"1", "9", "10", "12345", "4611686018427387903"};   /* URL_NUM_MAX */
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		assert_int_equal(url_id(ok[i], URL_NUM_MAX, &v), 0);
		char back[32];
		snprintf(back, sizeof back, "%lld", (long long)v);
		assert_string_equal(back, ok[i]);
	}
	const char *bad[] = {"", "0", "00", "01", "007", "+1", "-1", " 1", "1 ", "1x", "0x1", "1.0", "1e3",
	                     "4611686018427387904", "99999999999999999999", "١"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) assert_int_equal(url_id(bad[i], URL_NUM_MAX, &v), -1);
	assert_int_equal(url_id(NULL, URL_NUM_MAX, &v), -1);
	assert_int_equal(url_id("1000001", 1000000, &v), -1);   /* over its max */
	assert_int_equal(url_id("1000000", 1000000, &v), 0);
	/* url_uint: "0" is canonical, the length bounds the digits (no NUL needed) */
	assert_int_equal(url_uint("0", 1, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(url_uint("12_", 2, 100, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(url_uint("012", 3, 100, &v), -1);
	assert_int_equal(url_uint("", 0, 100, &v), -1);
}

static void test_url_int_signed_canonical(void **state) {
	int64_t v;
	assert_int_equal(url_int("2", -10, 10, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(url_int("-10", -10, 10, &v), 0);
	assert_int_equal(v, -10);
	assert_int_equal(url_int("0", -10, 10, &v), 0);
	assert_int_equal(v, 0);
	const char *bad[] = {"", "-", "+2", "02", "-02", "-0", "11", "-11", " 2", "2 ", "2x", "--2", "0x2", NULL};
	for (int i = 0; bad[i]; i++) assert_int_equal(url_int(bad[i], -10, 10, &v), -1);
	assert_int_equal(url_int(NULL, -10, 10, &v), -1);
	assert_int_equal(url_int("-9223372036854775807", -INT64_MAX, INT64_MAX, &v), 0);
	assert_true(v == -INT64_MAX);
	assert_int_equal(url_int("9223372036854775808", -INT64_MAX, INT64_MAX, &v), -1);
}

static void test_paths_and_cursors_canonical(void **state) {
	(void)state;
	int64_t v[3];
	struct thread_cursor c;
	assert_int_equal(url_dashed("thread-12-3-1.html", "thread-", v, 3), 1);
	assert_int_equal(url_dashed("thread-012-3-1.html", "thread-", v, 3), -1);
	assert_int_equal(url_dashed("forum-1-02.html", "forum-", v, 2), -1);
	assert_int_equal(url_thread_cursor("0_1700000000_5", 1, &c), 0);
	assert_int_equal(url_thread_cursor("00_1700000000_5", 1, &c), -1);
	assert_int_equal(url_thread_cursor("0_1700000000_05", 1, &c), -1);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_id_canonical_only),
		cmocka_unit_test(test_url_int_signed_canonical),
		cmocka_unit_test(test_paths_and_cursors_canonical),
	};
	return cmocka_run_group_tests_name("urlparse", tests, NULL, NULL);
}
