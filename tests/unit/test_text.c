/* Unit tests for src/util/text: visible text, bidi pairing, confusable skeletons, scripts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "util/text.h"

static int vis(const char *s) { return text_visible(s, strlen(s)); }
static int bidi(const char *s) { return text_bidi_paired(s, strlen(s)); }
static int script(const char *s) { return text_script_ok(s, strlen(s)); }

static void test_visible(void **st) {
	/* nothing a reader can see */
	const char *blank[] = {
		"", " ", "\t\r\n", "\xe2\x80\x8b",             /* U+200B zero width space */
		"\xe3\x80\x80\xe3\x80\x80",                    /* U+3000 ideographic space */
		"\xc2\xa0",                                    /* NBSP */
		"\xe2\x80\xa8", "\xe2\x80\xa9",                /* U+2028, U+2029 */
		"\xe2\x80\xae", "\xe2\x80\xaa\xe2\x80\xac",    /* RLO; LRE PDF */
		"\xe2\x81\xa6\xe2\x81\xa9",                    /* LRI PDI */
		"\xef\xbb\xbf", "\xe2\x80\x8c\xe2\x80\x8d",    /* BOM, ZWNJ ZWJ */
		"\xe2\x81\xa0", "\xc2\xad",                    /* word joiner, soft hyphen */
		"\xe3\x85\xa4", "\xef\xbe\xa0", "\xe1\x85\x9f", /* Hangul fillers U+3164, U+FFA0, U+115F */
		"\xe2\xa0\x80",                                /* U+2800 braille blank */
		"\xe1\xa0\x8e", "\xef\xb8\x8f",                /* U+180E Mongolian vowel separator, VS16 */
		"\xcd\x8f", "\xcc\x81\xcc\x81",                /* U+034F CGJ; lone combining acute */
		"\xe2\x80\x80\xe2\x80\x8a\xe2\x80\xaf\xe2\x81\x9f", /* en quad, hair space, NNBSP, MMSP */
		"\xf3\xa0\x80\x81",                            /* U+E0001 language tag */
		"\x01\x7f", "\xc2\x85",                         /* controls, NEL */
		"\xf0\x9d\x85\xb3",                            /* U+1D173 musical format */
	};
	for (size_t i = 0; i < sizeof blank / sizeof *blank; i++) {
		if (vis(blank[i])) fail_msg("blank #%zu counted as visible", i);
	}
	const char *shown[] = {"a", " 。", "\xe4\xb8\xad", "\xe2\x80\x8bx", "\xf0\x9f\x98\x80", "-", "\xe3\x80\x80\xe5\xa5\xbd",
	                       "e\xcc\x81", "\xee\x80\x80" /* private use */};
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
		if (!vis(shown[i])) fail_msg("visible #%zu counted as blank", i);
	}
	assert_int_equal(text_visible("ab\xff", 3), 0);   /* invalid UTF-8 */
	assert_int_equal(text_visible("a\0b", 3), 1);
}

static void test_bidi(void **st) {
	assert_true(bidi("plain 中文"));
	assert_true(bidi("\xe2\x80\xae" "abc\xe2\x80\xac"));                      /* RLO PDF */
	assert_true(bidi("\xe2\x81\xa7x\xe2\x80\xabz\xe2\x80\xacy\xe2\x81\xa9")); /* RLI RLE PDF PDI */
	assert_false(bidi("\xe2\x80\xae" "gpj.exe"));                          /* unclosed RLO */
	assert_false(bidi("abc\xe2\x80\xac"));                                 /* PDF closing nothing */
	assert_false(bidi("\xe2\x81\xa9"));                                    /* PDI closing nothing */
	assert_false(bidi("\xe2\x81\xa6x\xe2\x80\xac"));                       /* LRI closed by PDF */
	assert_false(bidi("\xe2\x80\xaax\xe2\x81\xa9"));                       /* LRE closed by PDI */
	assert_false(bidi("\xe2\x80\xaa\xe2\x81\xa6x\xe2\x80\xac\xe2\x81\xa9")); /* crossed */
	assert_false(bidi("\xe2\x80\xaex\nabc\xe2\x80\xac"));                  /* a paragraph ends open */
	assert_true(bidi("\xe2\x80\xadx\xe2\x80\xac\n\xe2\x81\xa8y\xe2\x81\xa9"));
	for (const char *c = "\xaa\xab\xad\xae"; *c; c++) {                    /* each opener alone */
		char s[4] = {(char)0xe2, (char)0x80, *c, 0};
		assert_false(bidi(s));
	}
	char deep[130 * 3 + 1] = "";                                          /* deeper than UAX #9 allows */
	for (int i = 0; i < 130; i++) memcpy(deep + 3 * i, "\xe2\x80\xaa", 3);
	deep[390] = 0;
	assert_false(bidi(deep));
	char msg[200];
	assert_null(text_problem("好标题", strlen("好标题"), "标题", msg, sizeof msg));
	assert_non_null(text_problem("\xe3\x80\x80", 3, "标题", msg, sizeof msg));
	assert_non_null(strstr(msg, "请填写标题："));
	assert_non_null(text_problem("a\xe2\x80\xae", 4, "理由", msg, sizeof msg));
	assert_non_null(strstr(msg, "理由包含未成对"));
}

static void skel(const char *s, char *out) { assert_int_equal(text_skeleton(s, strlen(s), out, TEXT_SKELETON_MAX), 0); }

static void test_skeleton(void **st) {
	char a[TEXT_SKELETON_MAX], b[TEXT_SKELETON_MAX];
	skel("admin", a);
	skel("\xd0\xb0" "dmin", b);           /* Cyrillic а */
	assert_string_equal(a, b);
	skel("adm\xc4\xb1n", b);              /* dotless ı */
	assert_string_equal(a, b);
	skel("adrnin", b);                    /* rn looks like m */
	assert_string_equal(a, b);
	skel("paypal", a);
	skel("p\xd0\xb0yp\xd0\xb0l", b);
	assert_string_equal(a, b);
	skel("user1", a);
	skel("userl", b);
	assert_string_equal(a, b);
	skel("小明", a);
	skel("小朋", b);
	assert_string_not_equal(a, b);
	skel("alice", a);
	skel("bob", b);
	assert_string_not_equal(a, b);
	char tiny[4];
	assert_int_equal(text_skeleton("abcdef", 6, tiny, sizeof tiny), -1);
	assert_int_equal(text_skeleton("ab\xff", 3, a, sizeof a), -1);
}

static void test_script(void **st) {
	assert_int_equal(script("admin"), 1);
	assert_int_equal(script("小明abc"), 1);                         /* Han + Latin */
	assert_int_equal(script("小明"), 1);
	assert_int_equal(script("さくら花子"), 1);                      /* Kana + Han */
	assert_int_equal(script("김철수abc"), 1);                        /* Hangul + Latin */
	assert_int_equal(script("Иван"), 1);                           /* Cyrillic alone */
	assert_int_equal(script("adm\xc4\xb1n"), 1);                   /* all Latin: refused by skeleton instead */
	assert_int_equal(script("\xd0\xb0" "dmin"), 0);                /* Cyrillic + Latin */
	assert_int_equal(script("小明\xd0\xb0\xd0\xb1"), 0);            /* Han + Cyrillic */
	assert_int_equal(script("\xce\xb1" "bc"), 0);                  /* Greek + Latin */
	assert_int_equal(script("ab1\xd9\xa2"), 0);                    /* ASCII and Arabic-Indic digits */
	assert_int_equal(script("user 007"), 1);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible), cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_skeleton), cmocka_unit_test(test_script),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
