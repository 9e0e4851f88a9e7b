/* Unit tests for the pure parts of forum/credit.c and forum/react.c: the
   total-credits formula and the post row's summary columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "forum/react.h"
#include "forum/credit.h"

static void test_formula(void **st) {
	int64_t c[6];
	/* default credit names 威望,金钱,贡献 when no site settings are loaded */
	assert_int_equal(credit_formula_parse("posts+5*digestposts+2*ext1+ext2+ext3", c), 0);
	int64_t want[6] = {1, 0, 5, 2, 1, 1};
	assert_memory_equal(c, want, sizeof want);
	assert_int_equal(credit_formula_parse(" posts + 5 * digestposts + 2*威望 + 金钱 + 贡献 ", c), 0);
	assert_memory_equal(c, want, sizeof want);
	assert_int_equal(credit_formula_parse("threads*1", c), -1);      /* the number goes first */
	assert_int_equal(credit_formula_parse("3*threads-ext3", c), 0);
	assert_true(c[1] == 3 && c[5] == -1 && c[0] == 0);
	assert_int_equal(credit_formula_parse("", c), -1);
	assert_int_equal(credit_formula_parse("posts posts", c), -1);
	assert_int_equal(credit_formula_parse("posts+bogus", c), -1);
	assert_int_equal(credit_formula_parse("posts+", c), -1);
	assert_int_equal(credit_formula_parse("5000*posts", c), -1);
}

static void test_summaries(void **st) {
	arena a;
	arena_init(&a);
	struct react_liker *ls;
	assert_int_equal(react_parse_likers(&a, "", &ls), 0);
	assert_int_equal(react_parse_likers(&a, "7\tcarol\n5\tbob\n", &ls), 2);
	assert_true(ls[0].uid == 7 && !strcmp(ls[0].name, "carol") && ls[1].uid == 5 && !strcmp(ls[1].name, "bob"));
	struct react_rates rr;
	react_parse_rates(&a, "T\t3\t4\t-1\t0\n9\t2\t1\t2\t复兴号航母\t好文\ttab kept\n8\t3\t2\t-1\tx\t\n", &rr);
	assert_true(rr.count == 3 && rr.total[0] == 4 && rr.total[1] == -1 && rr.n == 2);
	assert_true(rr.lines[0].id == 9 && rr.lines[0].ext == 1 && rr.lines[0].score == 2);
	assert_string_equal(rr.lines[0].name, "复兴号航母");
	assert_string_equal(rr.lines[0].reason, "好文\ttab kept");   /* the last field takes the rest */
	assert_string_equal(rr.lines[1].reason, "");
	react_parse_rates(&a, "garbage\n\n", &rr);
	assert_true(rr.count == 0 && rr.n == 0);
	arena_free(&a);
}

int main(void) {
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_formula), cmocka_unit_test(test_summaries)};
	return cmocka_run_group_tests_name("credit", tests, NULL, NULL);
}
