/* Unit tests for src/util: buf, arena, utf8, timefmt. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/arena.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/utf8.h"

static void test_buf_basics(void **st) {
	buf b;
	buf_init(&b, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_puts(&b, "楼主");
	buf_putc(&b, ' ');
	buf_appendf(&b, "%d#", 5);
	buf_put_int(&b, -42);
	assert_string_equal(buf_cstr(&b), "楼主 5#-42");
	assert_int_equal(b.len, strlen("楼主 5#-42"));
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	for (int i = 0; i < 10000; i++) buf_puts(&b, "0123456789");
	assert_int_equal(b.len, 100000);
	size_t n;
	char *p = buf_detach(&b, &n);
	assert_int_equal(n, 100000);
	assert_int_equal(b.len, 0);
	free(p);
	buf_release(&b);
}

static void test_buf_cap_is_sticky(void **st) {
	buf b;
	buf_init(&b, 8);
	buf_puts(&b, "12345678");
	assert_int_equal(b.err, 0);
	buf_puts(&b, "9");
	assert_int_equal(b.err, 1);
	buf_puts(&b, "");
	buf_appendf(&b, "%s", "x");
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_cstr(&b), "12345678");
	buf_release(&b);
}

static void test_buf_escapes(void **st) {
	buf b;
	buf_init(&b, 0);
	buf_html_s(&b, "<a href=\"x\">'&'</a>");
	assert_string_equal(buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	buf_reset(&b);
	buf_urlenc(&b, "a b&c=楼", strlen("a b&c=楼"));
	assert_string_equal(buf_cstr(&b), "a%20b%26c%3D%E6%A5%BC");
	buf_reset(&b);
	buf_json_str(&b, "q\"\\\n<\x01", 6);
	assert_string_equal(buf_cstr(&b), "\"q\\\"\\\\\\n\\u003c\\u0001\"");
	buf_release(&b);
}

static void test_arena(void **st) {
	arena a;
	arena_init(&a);
	char *s = arena_strdup(&a, "沙发");
	assert_string_equal(s, "沙发");
	assert_null(arena_strdup(&a, NULL));
	char *f = arena_sprintf(&a, "%s-%d", "板凳", 3);
	assert_string_equal(f, "板凳-3");
	void *big = arena_alloc(&a, 1 << 20);   /* larger than a chunk */
	memset(big, 1, 1 << 20);
	for (int i = 0; i < 5000; i++) {
		int *x = arena_alloc(&a, sizeof(int) * 3);
		assert_int_equal((uintptr_t)x % 16, 0);
		x[0] = i;
	}
	int *z = arena_zalloc(&a, 64 * sizeof(int));
	for (int i = 0; i < 64; i++) assert_int_equal(z[i], 0);
	arena_reset(&a);
	assert_string_equal(arena_strdup(&a, "ok"), "ok");
	arena_free(&a);
	assert_null(a.head);
}

static void test_utf8(void **st) {
	assert_true(utf8_valid("楼兰 ok", strlen("楼兰 ok")));
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xe6\xa5", 2));          /* truncated */
	assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong */
	assert_false(utf8_valid("a\0b", 3));              /* NUL */
	assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	assert_int_equal(utf8_chars("楼兰ab", strlen("楼兰ab")), 4);
	assert_int_equal(utf8_chars("\xff", 1), -1);
	assert_int_equal(utf8_prefix("楼兰ab", strlen("楼兰ab"), 1), 3);
}

/* the zone set again takes effect at once: each thread's per-day offsets are dropped (issue 16:
** the check is a generation, not getenv at each call) */
static void test_miss_timefmt_zone(void **st) {
	arena a;
	arena_init(&a);
	time_t t = 1708482083;   /* 2024-02-21 02:21:23 UTC */
	timefmt_set_zone("Asia/Shanghai");
	assert_string_equal(timefmt_full(&a, t), "2024-2-21 10:21:23");
	timefmt_set_zone("UTC");
	assert_string_equal(timefmt_full(&a, t), "2024-2-21 02:21:23");
	assert_string_equal(timefmt_iso(&a, t), "2024-02-21T02:21:23+00:00");
	timefmt_set_zone("America/New_York");
	assert_string_equal(timefmt_short(&a, t), "2024-2-20 21:21");
	timefmt_set_zone("Asia/Shanghai");
	assert_string_equal(timefmt_full(&a, t), "2024-2-21 10:21:23");
	arena_free(&a);
}

static void test_timefmt(void **st) {
	timefmt_set_zone("Asia/Shanghai");
	arena a;
	arena_init(&a);
	time_t t = 1708482083;   /* 2024-02-21 02:21:23 UTC = 10:21:23 GMT+8 */
	assert_string_equal(timefmt_full(&a, t), "2024-2-21 10:21:23");
	assert_string_equal(timefmt_short(&a, t), "2024-2-21 10:21");
	assert_string_equal(timefmt_date(&a, t), "2024-2-21");
	assert_string_equal(timefmt_iso(&a, t), "2024-02-21T10:21:23+08:00");
	assert_string_equal(timefmt_relative(&a, t, t + 2), "刚刚");
	assert_string_equal(timefmt_relative(&a, t, t + 30), "30 秒前");
	assert_string_equal(timefmt_relative(&a, t, t + 180), "3 分钟前");
	assert_string_equal(timefmt_relative(&a, t, t + 3 * 3600), "3 小时前");
	assert_string_equal(timefmt_relative(&a, t, t + 86400), "昨天 10:21");
	assert_string_equal(timefmt_relative(&a, t, t + 2 * 86400), "前天 10:21");
	assert_string_equal(timefmt_relative(&a, t, t + 5 * 86400), "5 天前");
	assert_null(timefmt_relative(&a, t, t + 9 * 86400));
	arena_free(&a);
}

/* today's date and midnight from the cached zone offset equal localtime_r's and mktime's, in a zone
   without transitions and across New York's: at 10:00 on 2026-3-8 (clocks went forward at 02:00)
   midnight was 05:00 UTC, not the 04:00 that today's offset gives */
static void check_day(time_t t) {
	struct tm tm;
	localtime_r(&t, &tm);
	assert_int_equal(timefmt_yyyymmdd(t), (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	assert_int_equal(timefmt_day_start(t), mktime(&tm));
}

static void test_timefmt_day(void **st) {
	(void)st;
	timefmt_set_zone("Asia/Shanghai");
	for (time_t t = 1708482083; t < 1708482083 + 3 * 86400; t += 3571) check_day(t);
	timefmt_set_zone("America/New_York");
	time_t ten = 1772978400;   /* 2026-03-08 10:00 EDT = 14:00 UTC */
	assert_int_equal(timefmt_yyyymmdd(ten), 20260308);
	assert_int_equal(timefmt_day_start(ten), 1772946000);   /* 2026-03-08 00:00 EST = 05:00 UTC */
	for (time_t t = ten - 2 * 86400; t < ten + 2 * 86400; t += 1799) check_day(t);
	timefmt_set_zone("Asia/Shanghai");
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_basics), cmocka_unit_test(test_buf_cap_is_sticky),
		cmocka_unit_test(test_buf_escapes), cmocka_unit_test(test_arena),
		cmocka_unit_test(test_utf8), cmocka_unit_test(test_miss_timefmt_zone), cmocka_unit_test(test_timefmt),
		cmocka_unit_test(test_timefmt_day),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
