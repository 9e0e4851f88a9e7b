/* Unit tests for markup/mention.c: where an @name starts and ends, the candidates of a source,
   the text writer with a scope (links, the 10-member limit, escaping), both renderers, and the
   quoted floors of a reply. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "markup/mention.h"
#include "markup/bbcode.h"
#include "markup/markdown.h"
#include "markup/smiley.h"
#include "util/buf.h"

/* the name mention_at finds at the first '@' of s, or "" */
static const char *name_in(const char *s, int prev) {
	static char out[MENTION_NAME_BYTES];
	const char *at = strchr(s, '@');
	size_t l = at ? mention_at(s, strlen(s), (size_t)(at - s), prev) : 0;
	memcpy(out, at ? at + 1 : "", l);
	out[l] = 0;
	return out;
}

static void test_boundaries(void **st) {
	(void)st;
	assert_string_equal(name_in("@alice", 0), "alice");
	assert_string_equal(name_in("hi @alice, ok", 0), "alice");
	assert_string_equal(name_in("@张三 你好", 0), "张三");
	assert_string_equal(name_in("你好@张三，吃了吗", 0), "张三");         /* CJK before, full-width comma after */
	assert_string_equal(name_in("@张三。", 0), "张三");
	assert_string_equal(name_in("（@李四）", 0), "李四");
	assert_string_equal(name_in("@tom.li.", 0), "tom.li");              /* a trailing dot ends a sentence */
	assert_string_equal(name_in("@a_b-c", 0), "a_b-c");
	assert_string_equal(name_in("@bob!", 0), "bob");
	assert_string_equal(name_in("[b]@bob[/b]", 0), "bob");
	assert_string_equal(name_in("**@bob**", 0), "bob");
	assert_string_equal(name_in("“@bob”", 0), "bob");
	/* not mentions */
	assert_string_equal(name_in("mail carol@example.com", 0), "");      /* a letter before */
	assert_string_equal(name_in("x_@bob", 0), "");
	assert_string_equal(name_in("@@bob", 0), "");
	assert_string_equal(name_in("@ bob", 0), "");
	assert_string_equal(name_in("@", 0), "");
	assert_string_equal(name_in("@...", 0), "");
	assert_string_equal(name_in("@bob", 'x'), "");                      /* prev: the byte before the text */
	assert_string_equal(name_in("@bob", ' '), "bob");
	/* at most MENTION_NAME_CHARS characters */
	assert_string_equal(name_in("@一二三四五六七八九十一二三四五", 0), "一二三四五六七八九十一二三四五");
	assert_string_equal(name_in("@一二三四五六七八九十一二三四五六", 0), "");
	assert_string_equal(name_in("@abcdefghijklmno", 0), "abcdefghijklmno");
	assert_string_equal(name_in("@abcdefghijklmnop", 0), "");
	/* broken UTF-8 ends the name; never read past n */
	assert_string_equal(name_in("@ab\xff" "cd", 0), "ab");
	assert_int_equal(mention_at("@abc", 3, 0, 0), 2);
	assert_int_equal(mention_at("@\xe5\xbc", 3, 0, 0), 0);
}

static void test_scan(void **st) {
	(void)st;
	char names[MENTION_SCAN_MAX][MENTION_NAME_BYTES];
	const char *s = "@a1 @b2 @a1 x@c3 @d4";
	assert_int_equal(mention_scan(s, strlen(s), names, MENTION_SCAN_MAX), 3);
	assert_string_equal(names[0], "a1");
	assert_string_equal(names[1], "b2");
	assert_string_equal(names[2], "d4");
	char big[1024] = "";
	for (int i = 0; i < 40; i++) snprintf(big + strlen(big), sizeof big - strlen(big), "@u%d ", i);
	assert_int_equal(mention_scan(big, strlen(big), names, MENTION_SCAN_MAX), MENTION_SCAN_MAX);
	assert_string_equal(names[MENTION_SCAN_MAX - 1], "u15");
	assert_int_equal(mention_scan("", 0, names, MENTION_SCAN_MAX), 0);
}

static void scope_of(struct mention_scope *sc, int n) {
	memset(sc, 0, sizeof *sc);
	for (int i = 0; i < n; i++) {
		snprintf(sc->known[i].name, MENTION_NAME_BYTES, "u%d", i);
		sc->known[i].uid = 100 + i;
	}
	sc->nknown = n;
}

static void test_html(void **st) {
	(void)st;
	struct mention_scope sc;
	scope_of(&sc, 3);
	snprintf(sc.known[2].name, MENTION_NAME_BYTES, "<b>");   /* never a real name, but escaped all the same */
	buf b;
	buf_init(&b, 0);
	int smilies = SMILEY_MAX_PER_POST;
	mention_html(&b, "@u0 and @u1 :) @u0 @nobody", 26, 0, &smilies);   /* without a scope: text */
	assert_string_equal(buf_cstr(&b), "@u0 and @u1 <span class=\"smiley\" title=\"微笑\">🙂</span> @u0 @nobody");
	buf_reset(&b);
	mention_scope_begin(&sc);
	const char *s = "@u0 and @u1 :) @u0 @nobody";
	mention_html(&b, s, strlen(s), 0, &smilies);
	assert_string_equal(buf_cstr(&b), "<a href=\"/u/100\" class=\"mention\">@u0</a> and <a href=\"/u/101\" class=\"mention\">"
	                                  "@u1</a> <span class=\"smiley\" title=\"微笑\">🙂</span> <a href=\"/u/100\" "
	                                  "class=\"mention\">@u0</a> @nobody");
	assert_int_equal(sc.nfound, 2);   /* each member once */
	assert_int_equal(sc.found[0], 100);
	assert_int_equal(sc.found[1], 101);
	mention_scope_end();
	buf_release(&b);
}

static void test_limit(void **st) {
	(void)st;
	struct mention_scope sc;
	scope_of(&sc, 12);
	char s[256] = "";
	for (int i = 0; i < 12; i++) snprintf(s + strlen(s), sizeof s - strlen(s), "@u%d ", i);
	buf b;
	buf_init(&b, 0);
	int smilies = SMILEY_MAX_PER_POST;
	mention_scope_begin(&sc);
	mention_html(&b, s, strlen(s), 0, &smilies);
	mention_scope_end();
	assert_int_equal(sc.nfound, MENTION_MAX_PER_POST);
	const char *h = buf_cstr(&b);
	int links = 0;
	for (const char *x = h; (x = strstr(x, "class=\"mention\"")); x++) links++;
	assert_int_equal(links, MENTION_MAX_PER_POST);
	assert_non_null(strstr(h, "</a> @u10 @u11 "));
	buf_release(&b);
}

/* both renderers: mentions in text, never in links, code or a URL */
static void test_renderers(void **st) {
	(void)st;
	struct mention_scope sc;
	scope_of(&sc, 2);
	buf b;
	buf_init(&b, 0);
	mention_scope_begin(&sc);
	const char *bb = "[b]@u0[/b] [url=/x]@u1[/url] [code]@u1[/code] http://a.b/@u1";
	assert_int_equal(bbcode_render(&b, bb, strlen(bb)), 0);
	assert_non_null(strstr(buf_cstr(&b), "<strong><a href=\"/u/100\" class=\"mention\">@u0</a></strong>"));
	assert_null(strstr(buf_cstr(&b), "/u/101"));
	buf_reset(&b);
	const char *md = "*@u1* `@u0` [@u0](/y)\n\n    @u0\n";
	assert_int_equal(markdown_render(&b, md, strlen(md)), 0);
	assert_non_null(strstr(buf_cstr(&b), "<em><a href=\"/u/101\" class=\"mention\">@u1</a></em>"));
	assert_null(strstr(buf_cstr(&b), "/u/100"));
	mention_scope_end();
	buf_release(&b);
}

static void test_quotes(void **st) {
	(void)st;
	int64_t pids[3];
	const char *bb = "[quote][size=2][url=/p/12][color=#999999]a 发表于 2026-1-1[/color][/url][/size]\nx[/quote]\n"
	                 "[QUOTE]no link here\n[url=/p/99]later line[/url][/QUOTE] [quote][url=/p/12]again[/url][/quote]"
	                 "[quote][url=/p/7]b[/url][/quote][quote][url=/p/8]c[/url][/quote][quote][url=/p/9]d[/url][/quote]";
	assert_int_equal(mention_quotes(bb, strlen(bb), pids, 3), 3);
	assert_int_equal(pids[0], 12);
	assert_int_equal(pids[1], 7);
	assert_int_equal(pids[2], 8);
	const char *md = "> *[alice 发表于 2026-1-1](/p/34)*\n>\n> text\n\nreply > *[x](/p/35)*\n> *[y](/p/036)*\n";
	assert_int_equal(mention_quotes(md, strlen(md), pids, 3), 1);
	assert_int_equal(pids[0], 34);
	assert_int_equal(mention_quotes("[quote][url=/p/", 15, pids, 3), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries), cmocka_unit_test(test_scan),      cmocka_unit_test(test_html),
		cmocka_unit_test(test_limit),      cmocka_unit_test(test_renderers), cmocka_unit_test(test_quotes),
	};
	return cmocka_run_group_tests_name("mention", tests, NULL, NULL);
}
