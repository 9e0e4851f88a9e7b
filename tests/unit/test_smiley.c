/*
** test_smiley: Discuz! smiley codes as emoji (markup/smiley.c), in BBCode and
** Markdown: every code of the default set, {:T_N:}, [em], the boundaries that
** keep "Re:one", times and URLs as text, no smilies in code or links, the
** per-post limit. Every output also passes tests/fuzz/html_check.h.
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
#include "markup/smiley.h"
#include "../fuzz/html_check.h"

#define SM(name, emoji) "<span class=\"smiley\" title=\"" name "\">" emoji "</span>"

static char *render(int md, const char *src) {
	buf b;
	buf_init(&b, 0);
	assert_int_equal((md ? markdown_render : bbcode_render)(&b, src, strlen(src)), 0);
	size_t where = 0;
	const char *err = html_check(buf_cstr(&b), b.len, &where);
	if (err) fail_msg("html_check: %s at %zu in: %s", err, where, buf_cstr(&b));
	return buf_detach(&b, NULL);
}

static void bb(const char *src, const char *want) {
	char *h = render(0, src);
	if (strcmp(h, want)) fail_msg("bbcode %s\n got: %s\nwant: %s", src, h, want);
	free(h);
}

static void md(const char *src, const char *want) {
	char *h = render(1, src);
	if (strcmp(h, want)) fail_msg("markdown %s\n got: %s\nwant: %s", src, h, want);
	free(h);
}

static int count(const char *h, const char *needle) {
	int c = 0;
	for (const char *p = h; (p = strstr(p, needle)) != NULL; p++) c++;
	return c;
}

/* each code of the picker becomes its own emoji, alone and between CJK text */
static void t_default_set(void **state) {
	(void)state;
	size_t n;
	const struct smiley *s = smiley_picker(&n);
	assert_int_equal(n, 24);
	assert_string_equal(s[0].code, ":)");
	assert_string_equal(s[23].code, ":call:");
	for (size_t i = 0; i < n; i++) {
		char src[64], want[160];
		snprintf(src, sizeof src, "好%s好", s[i].code);
		snprintf(want, sizeof want, "好<span class=\"smiley\" title=\"%s\">%s</span>好", s[i].name, s[i].emoji);
		bb(src, want);
		char *h = render(1, src);
		if (!strstr(h, want)) fail_msg("markdown %s: %s", src, h);
		free(h);
		/* {:1_N:} is the same face */
		snprintf(src, sizeof src, "{:1_%zu:}", i + 1);
		snprintf(want, sizeof want, "<span class=\"smiley\" title=\"%s\">%s</span>", s[i].name, s[i].emoji);
		bb(src, want);
	}
}

static void t_codes(void **state) {
	(void)state;
	bb("a :) b", "a " SM("微笑", "🙂") " b");
	bb(":'(", SM("大哭", "😢"));
	bb(";P :P :D :o", SM("偷笑", "😜") " " SM("调皮", "😛") " " SM("大笑", "😄") " " SM("惊讶", "😮"));
	/* the longest code wins: ":lol:" is one face, ":loveliness:" is not ":lol" */
	bb(":lol: :lol :loveliness:", SM("哈哈", "😆") " " SM("哈哈", "😆") " " SM("可爱", "😊"));
	bb(":handshake :handshake:", SM("握手", "🤝") " " SM("握手", "🤝"));
	/* the other default sets by id (酷猴 25-40, 呆呆男 41-64); a site's own smilies stay text (issue 18) */
	bb("{:2_25:}{:3_64:}{:9_241:}{:2_24:}{:3_65:}{:1_25:}", "<span class=\"smiley\" title=\"酷猴\">🐵</span>"
	   "<span class=\"smiley\" title=\"呆呆男\">🙄</span>{:9_241:}{:2_24:}{:3_65:}{:1_25:}");
	/* QQ's faces */
	bb("[em]01[/em][em]e101[/em][em:3:]", SM("微笑", "🙂") SM("撇嘴", "😕") SM("色", "😍"));
	bb("[em]999[/em]", "<span class=\"smiley\" title=\"表情\">🙂</span>");
	/* not codes */
	bb("{:1_:} {:_1:} {:1_1} [em][/em] [em]0[/em] [em]e99[/em] [em:0:] [em]1",
	   "{:1_:} {:_1:} {:1_1} [em][/em] [em]0[/em] [em]e99[/em] [em:0:] [em]1");
}

/* a code needs a boundary: "Re:one", times, URLs and words keep their text */
static void t_boundaries(void **state) {
	(void)state;
	bb("Re:one 12:00 a:) x;P :Don't :oops :Pa", "Re:one 12:00 a:) x;P :Don&#39;t :oops :Pa");
	bb("http://a.com/x:)y", "<a href=\"http://a.com/x:)y\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.com/x:)y</a>");
	/* the URL's trailing ":)" is not part of the link, and not a face either: no space before it */
	bb("http://a.com:)", "<a href=\"http://a.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.com</a>:)");
	bb("http://a.com :)", "<a href=\"http://a.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.com</a> " SM("微笑", "🙂"));
	bb("::) file://x:)", "::) file://x:)");
	bb("\xe5\x93\x88:)\n:(", "\xe5\x93\x88" SM("微笑", "🙂") "<br />" SM("难过", "🙁"));
	/* escaping is unchanged around faces */
	bb("<b>:)</b>&", "&lt;b&gt;" SM("微笑", "🙂") "&lt;/b&gt;&amp;");
}

/* no faces in code or in a link's text; yes in other markup */
static void t_contexts(void **state) {
	(void)state;
	bb("[code]:) {:1_1:}[/code]", "<div class=\"blockcode\"><pre><code>:) {:1_1:}</code></pre></div>");
	bb("[url=http://a.com]hi :)[/url]", "<a href=\"http://a.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">hi :)</a>");
	bb("[url]http://a.com/:)[/url]", "<a href=\"http://a.com/:)\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.com/:)</a>");
	bb("[img]http://a.com/:).png[/img]", "<img src=\"http://a.com/:).png\" loading=\"lazy\" referrerpolicy=\"no-referrer\" alt=\"\">");
	bb("[b]:)[/b][quote]:([/quote]", "<strong>" SM("微笑", "🙂") "</strong><div class=\"quote\"><blockquote>" SM("难过", "🙁") "</blockquote></div>");
	md("`:)` and :)", "<p><code>:)</code> and " SM("微笑", "🙂") "</p>\n");
	md("```\n:)\n```", "<pre><code>:)\n</code></pre>\n");
	/* md4c leaves the ":)" out of the autolink; it touches the URL, so it stays text */
	md("[a :)](http://a.com) http://b.com/:)", "<p><a href=\"http://a.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">a :)</a> "
	   "<a href=\"http://b.com/\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://b.com/</a>:)</p>\n");
	md("http://b.com/x:)y", "<p><a href=\"http://b.com/x:)y\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://b.com/x:)y</a></p>\n");
	md("a\n\n:)", "<p>a</p>\n<p>" SM("微笑", "🙂") "</p>\n");
	md("**:D** [em]02[/em] {:2_26:}", "<p><strong>" SM("大笑", "😄") "</strong> " SM("撇嘴", "😕")
	   " <span class=\"smiley\" title=\"酷猴\">🙈</span></p>\n");
	md("![:)](/x.png)", "<p><img src=\"/x.png\" alt=\":)\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></p>\n");
	md("a*b* :)", "<p>a<em>b</em> " SM("微笑", "🙂") "</p>\n");
}

/* SMILEY_MAX_PER_POST faces per post; the rest stay text */
static void t_limit(void **state) {
	(void)state;
	for (int fmt = 0; fmt < 2; fmt++) {
		buf src;
		buf_init(&src, 0);
		for (int i = 0; i < SMILEY_MAX_PER_POST + 5; i++) buf_puts(&src, ":) ");
		char *h = render(fmt, buf_cstr(&src));
		assert_int_equal(count(h, "class=\"smiley\""), SMILEY_MAX_PER_POST);
		assert_int_equal(count(h, ":)"), 5);
		free(h);
		buf_release(&src);
	}
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_default_set),
		cmocka_unit_test(t_codes),
		cmocka_unit_test(t_boundaries),
		cmocka_unit_test(t_contexts),
		cmocka_unit_test(t_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
