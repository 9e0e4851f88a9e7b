/*
** test_quote: the quote excerpt (markup/quote.c) from a floor's rendered HTML,
** in BBCode and in Markdown, whichever format the floor was written in: links
** stay whole (never the other format's source cut mid-link), formatting is
** kept, nested quotes dropped, the cut closes what it opened; and rendering the
** excerpt in the reply's format gives back the links and formatting.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "markup/bbcode.h"
#include "markup/markdown.h"
#include "markup/quote.h"
#include "../fuzz/html_check.h"

enum { BB = 0, MD = 1 };

static char *render(int fmt, const char *src) {
	buf b;
	buf_init(&b, 0);
	assert_int_equal((fmt == MD ? markdown_render : bbcode_render)(&b, src, strlen(src)), 0);
	return buf_detach(&b, NULL);
}

/* the excerpt, in format to, of src written in format from */
static char *excerpt(int from, const char *src, int to, long max) {
	char *html = render(from, src);
	buf b;
	buf_init(&b, 0);
	assert_int_equal(quote_excerpt(&b, html, strlen(html), to == MD ? QUOTE_MARKDOWN : QUOTE_BBCODE, max), 0);
	free(html);
	char *r = buf_detach(&b, NULL);
	return r ? r : calloc(1, 1);
}

static void check(int from, const char *src, int to, long max, const char *want) {
	char *got = excerpt(from, src, to, max);
	if (strcmp(got, want))
		fail_msg("%s -> %s: %s\n got: [%s]\nwant: [%s]", from == MD ? "md" : "bb", to == MD ? "md" : "bb", src, got, want);
	/* and the excerpt renders (in the reply's format) into well-formed HTML */
	char *h = render(to, got);
	size_t where;
	const char *err = html_check(h, strlen(h), &where);
	if (err) fail_msg("html_check: %s in %s", err, h);
	free(h);
	free(got);
}

/* renders the excerpt in the reply's format and wants needle in the HTML */
static void renders(int from, const char *src, int to, long max, const char *needle) {
	char *got = excerpt(from, src, to, max);
	char *h = render(to, got);
	if (!strstr(h, needle)) fail_msg("%s\n excerpt: %s\n html: %s\n wants: %s", src, got, h, needle);
	free(h);
	free(got);
}

static const char MD_POST[] =
	"See [the **docs**](http://example.com/a_(b)) and http://x.com/y_z now.\n\n"
	"Second *para* with `code` and ~~old~~.";

/* issue 18: a [hide] notice and a Discuz! edit stamp are not quoted */
static void t_dialect(void **state) {
	(void)state;
	check(BB, "[i=s] 本帖最后由 a 于 2023-12-21 10:05 编辑 [/i]\n\n前[hide]秘密[/hide]后", BB, 100, "前\n后");
	check(BB, "[hide=5]x[/hide]", MD, 100, "");
}

static void t_markdown_into_bbcode(void **state) {
	(void)state;
	check(MD, MD_POST, BB, 100,
	      "See [url=http://example.com/a_(b)]the [b]docs[/b][/url] and http://x.com/y_z now.\n\n"
	      "Second [i]para[/i] with code and [s]old[/s].");
	renders(MD, MD_POST, BB, 100, "<a href=\"http://example.com/a_(b)\"");
	renders(MD, MD_POST, BB, 100, "<a href=\"http://x.com/y_z\"");
	/* cut inside the link's text: the link is closed with its whole URL */
	check(MD, "See [the docs](http://example.com/a) and more", BB, 6, "See [url=http://example.com/a]th[/url] ...");
	renders(MD, "See [the docs](http://example.com/a) and more", BB, 6, "<a href=\"http://example.com/a\"");
	/* images are links to them; lists, code blocks, headings, tables */
	check(MD, "- one\n- two\n  - nested\n1. first\n\n```c\nint x;\n```\n\n# Head *x*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
	          "![pic](http://i.com/p.png) [![inner](/i.png)](/link)", BB, 200,
	      "[list]\n[*]one\n[*]two\n[list]\n[*]nested[/list][/list]\n[list=1]\n[*]first[/list]\n[code]int x;[/code]\n"
	      "[b]Head [i]x[/i][/b]\na | b\n1 | 2\n\n[url=http://i.com/p.png]pic[/url] [url=/link]inner[/url]");
	/* a quote inside the floor is not quoted again */
	check(MD, "> old words\n\nmine", BB, 100, "mine");
}

static void t_bbcode_into_markdown(void **state) {
	(void)state;
	const char *src = "line1\nline2 [url=http://a.com/?a=1&b=2]链接[/url] :)\n[quote]old quote[/quote]\nafter [i]it[/i] [u]u[/u] [s]s[/s]";
	check(BB, src, MD, 100, "line1\\\nline2 [链接](http://a.com/?a=1&b=2) 🙂\n\nafter *it* u ~~s~~");
	renders(BB, src, MD, 100, "<a href=\"http://a.com/?a=1&amp;b=2\"");
	renders(BB, src, MD, 100, "line1<br />");
	check(BB, "[list][*]one[*]two [b]bold[/b][/list]\nafter\n[code]int x = 1;\n  y();[/code]\nend", MD, 100,
	      "- one\n- two **bold**\n\nafter\n\n```\nint x = 1;\n  y();\n```\n\nend");
	/* text that would be Markdown is escaped */
	check(BB, "a *b* _c_ [d] 1. x # y <z> & `w`\n- item\n#tag\n2) two", MD, 100,
	      "a \\*b\\* \\_c\\_ \\[d\\] 1. x # y \\<z\\> \\& \\`w\\`\\\n\\- item\\\n\\#tag\\\n2\\) two");
	renders(BB, "a *b* _c_\n- item", MD, 100, "a *b* _c_<br />\n- item");
	/* a URL shown as itself stays an autolink */
	check(BB, "see http://x.com/a_b", MD, 100, "see <http://x.com/a_b>");
	check(BB, "[color=red][size=5]big red[/size][/color] [font=Arial]f[/font]", MD, 100, "big red f");
}

static void t_same_format(void **state) {
	(void)state;
	check(BB, "[b]一楼[/b] 原文", BB, 100, "[b]一楼[/b] 原文");
	check(MD, MD_POST, MD, 100,
	      "See [the **docs**](http://example.com/a_\\(b\\)) and <http://x.com/y_z> now.\n\n"
	      "Second *para* with `code` and ~~old~~.");
	renders(MD, MD_POST, MD, 100, "<a href=\"http://example.com/a_(b)\"");
	check(MD, "use `a``b` ok", MD, 100, "use ```a``b``` ok");
	check(MD, "```\nco`de``\n```", MD, 100, "```\nco`de``\n```");
	check(BB, "[quote]only a quote[/quote]", BB, 100, "");
}

/* the cut: whole characters, closing what is open, " ..." after */
static void t_cut(void **state) {
	(void)state;
	check(BB, "[b]bold text that will be cut[/b] rest", BB, 9, "[b]bold text[/b] ...");
	check(BB, "[b]bold text that will be cut[/b] rest", MD, 9, "**bold text** ...");
	check(BB, "[code]code that is long[/code]", BB, 9, "[code]code that[/code] ...");
	check(BB, "[code]code that is long[/code]", MD, 9, "```\ncode that\n```\n...");
	check(BB, "一二三四五六七八九十", BB, 4, "一二三四 ...");
	check(BB, "[list][*]aaa[*]bbb[/list]", BB, 4, "[list]\n[*]aaa\n[*]b[/list] ...");
	check(BB, "exactly", BB, 7, "exactly");
	/* spaces around emphasis go outside it; empty emphasis disappears */
	check(BB, "[b]  padded  [/b] [i][/i]x", MD, 100, "**padded** x");
	check(BB, "[b][/b]", MD, 100, "");
}

/* HTML the renderers do not write is still read safely */
static void t_odd_html(void **state) {
	(void)state;
	/* elements closing while nothing was written yet (the output buffer still unallocated:
	   tests/fuzz/regression/quote/empty-code-block-null-buffer) */
	check(BB, "[code][/code]", BB, 100, "[code][/code]");
	check(BB, "[code][/code]", MD, 100, "```\n```");
	check(MD, "``` ```", MD, 100, "");
	check(MD, "[](http://a.com)", BB, 100, "");
	check(MD, "[](http://a.com)", MD, 100, "");
	static const char *const odd[] = {
		"<", "<a", "</b>", "<b><i>x</b></i>", "<a href=\"x\">", "<img>", "&amp", "&#39;&quot;&lt;&gt;",
		"<div class=\"quote\">unclosed", "<pre>x", "<ol start=\"99999999999\"><li>a", "<td>x</td>",
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		for (int f = 0; f < 2; f++) {
			buf b;
			buf_init(&b, 0);
			assert_int_equal(quote_excerpt(&b, odd[i], strlen(odd[i]), f ? QUOTE_MARKDOWN : QUOTE_BBCODE, 100), 0);
			buf_release(&b);
		}
	}
	buf b;
	buf_init(&b, 0);
	quote_excerpt(&b, "&#39;&quot;&lt;&gt;&amp;", 24, QUOTE_BBCODE, 100);
	assert_string_equal(buf_cstr(&b), "'\"<>&");
	buf_release(&b);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_markdown_into_bbcode),
		cmocka_unit_test(t_dialect),
		cmocka_unit_test(t_bbcode_into_markdown),
		cmocka_unit_test(t_same_format),
		cmocka_unit_test(t_cut),
		cmocka_unit_test(t_odd_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
