/*
** test_markdown: exact-output tests for markdown_render: every construct, unsafe links and images, raw HTML, entities, XSS vectors.
** Every output is also run through tests/fuzz/html_check.h.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "markup/markdown.h"
#include "../fuzz/html_check.h"

#define RENDER markdown_render

static char *render(const char *src, size_t n) {
	buf b;
	buf_init(&b, 0);
	assert_int_equal(RENDER(&b, src, n), 0);
	return buf_detach(&b, NULL);
}

/* The output passes the fuzzers' checker: allowlisted tags and attributes,
   safe schemes, balanced, everything escaped. */
static void assert_well_formed(const char *html) {
	size_t where = 0;
	const char *err = html_check(html, strlen(html), &where);
	if (err) fail_msg("html_check: %s at %zu in: %s", err, where, html);
}

static int ci_has(const char *h, const char *needle) {
	size_t l = strlen(needle);
	for (; *h; h++)
		if (strncasecmp(h, needle, l) == 0) return 1;
	return 0;
}

/* No "<script" anywhere; inside every tag no "javascript:" and no " on...="
   event handler attribute; and the html_check invariants. */
static void assert_safe(const char *html) {
	assert_well_formed(html);
	if (ci_has(html, "<script")) fail_msg("<script in: %s", html);
	for (const char *p = html; (p = strchr(p, '<')) != NULL; p++) {
		const char *e = strchr(p, '>');
		assert_non_null(e);
		for (const char *q = p; q < e; q++) {
			if (strncasecmp(q, "javascript:", 11) == 0) fail_msg("javascript: in tag: %s", html);
			if (*q == ' ' && (q[1] | 32) == 'o' && (q[2] | 32) == 'n') {
				const char *r = q + 3;
				while ((*r | 32) >= 'a' && (*r | 32) <= 'z') r++;
				if (r > q + 3 && *r == '=') fail_msg("event handler attribute in: %s", html);
			}
		}
		p = e;
	}
}

static void check_exact(const char *src, size_t n, const char *want) {
	char *got = render(src, n);
	assert_string_equal(got, want);
	assert_well_formed(got);
	free(got);
}

#define DEFINE_CASE(name, src, want) \
	static void t_##name(void **state) { (void)state; check_exact(src, sizeof(src) - 1, want); }
#define LIST_CASE(name, src, want) cmocka_unit_test(t_##name),

struct xss_case {
	const char *src;
	const char *never; /* must not appear anywhere in the output, or NULL */
};

/* ---- cases: input, exact expected HTML */
#define EXACT_CASES(CASE) \
	CASE(heading, "# Title\n\n###### six", \
	     "<h1>Title</h1>\n<h6>six</h6>\n") \
	CASE(emphasis, "*em* **strong** ~~del~~ `code <x>`", \
	     "<p><em>em</em> <strong>strong</strong> <del>del</del> <code>code &lt;x&gt;</code></p>\n") \
	CASE(paragraphs, "one\ntwo\n\nthree  \nfour", \
	     "<p>one\ntwo</p>\n<p>three<br />\nfour</p>\n") \
	CASE(link, "[site](http://example.com/\?a=1&b=2)", \
	     "<p><a href=\"http://example.com/\?a=1&amp;b=2\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">site</a></p>\n") \
	CASE(link_relative, "[r](/forum.php\?tid=1) [f](#top)", \
	     "<p><a href=\"/forum.php\?tid=1\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">r</a> <a href=\"#top\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">f</a></p>\n") \
	CASE(autolink, "<https://example.com> www.example.com foo@bar.com", \
	     "<p><a href=\"https://example.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">https://example.com</a> <a href=\"http://www.example.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">www.example.com</a> <a href=\"mailto:foo@bar.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">foo@bar.com</a></p>\n") \
	CASE(image, "![a *b* c](/i.png)", \
	     "<p><img src=\"/i.png\" alt=\"a b c\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></p>\n") \
	CASE(image_unsafe, "![alt text](javascript:alert(1))", \
	     "<p>alt text</p>\n") \
	CASE(link_unsafe, "[click](javascript:alert(1))", \
	     "<p>click</p>\n") \
	CASE(code_block, "```c\nint x = a < b && c;\n```", \
	     "<pre><code class=\"language-c\">int x = a &lt; b &amp;&amp; c;\n</code></pre>\n") \
	CASE(code_bad_lang, "```c\" onclick=\"x\ny\n```", \
	     "<pre><code>y\n</code></pre>\n") \
	CASE(indented_code, "    <b>x</b>", \
	     "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n") \
	CASE(lists, "- a\n- b\n\n3. x\n4. y", \
	     "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n") \
	CASE(tasks, "- [x] done\n- [ ] todo", \
	     "<ul>\n<li class=\"task done\">\342\230\221 done</li>\n<li class=\"task\">\342\230\220 todo</li>\n</ul>\n") \
	CASE(quote, "> q\n>> nested", \
	     "<blockquote>\n<p>q</p>\n<blockquote>\n<p>nested</p>\n</blockquote>\n</blockquote>\n") \
	CASE(hr, "a\n\n---\n\nb", \
	     "<p>a</p>\n<hr />\n<p>b</p>\n") \
	CASE(table, "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |", \
	     "<table>\n<thead>\n<tr><th class=\"al-left\">a</th><th class=\"al-center\">b</th><th class=\"al-right\">c</th></tr>\n</thead>\n<tbody>\n<tr><td class=\"al-left\">1</td><td class=\"al-center\">2</td><td class=\"al-right\">3</td></tr>\n</tbody>\n</table>\n") \
	CASE(raw_html, "<script>alert(1)</script>\n\ninline <b onclick=\"x\">b</b>", \
	     "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>inline &lt;b onclick=&quot;x&quot;&gt;b&lt;/b&gt;</p>\n") \
	CASE(entities, "&lt;b&gt; &copy; &#65; &#x4E2D; &#0; &bogus;", \
	     "<p>&lt;b&gt; \302\251 A \344\270\255 \357\277\275 &amp;bogus;</p>\n") \
	CASE(cjk, "\344\270\255\346\226\207**\345\212\240\347\262\227**\357\274\214\351\223\276\346\216\245 https://example.com/\344\270\255\346\226\207 \343\200\202", \
	     "<p>\344\270\255\346\226\207<strong>\345\212\240\347\262\227</strong>\357\274\214\351\223\276\346\216\245 <a href=\"https://example.com/\344\270\255\346\226\207\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">https://example.com/\344\270\255\346\226\207</a> \343\200\202</p>\n") \
	CASE(nested_image_alt, "![outer ![inner](/i.png) **b**](/o.png)", \
	     "<p><img src=\"/o.png\" alt=\"outer inner b\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></p>\n") \
	CASE(link_with_image, "[![logo](/l.png)](http://a.com)", \
	     "<p><a href=\"http://a.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\"><img src=\"/l.png\" alt=\"logo\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></a></p>\n")

static const struct xss_case xss_cases[] = {
	{"[x](javascript:alert(1))", "javascript:"},
	{"[x](JAVASCRIPT:alert(1))", "javascript:"},
	{"[x](&#106;avascript:alert(1))", "avascript:"},
	{"[x](&#x6A;avascript:alert(1))", "avascript:"},
	{"[x](java&#x09;script:alert(1))", "script:"},
	{"[x](javascript&colon;alert(1))", "alert"},
	{"[x](vbscript:msgbox(1))", "vbscript:"},
	{"[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"},
	{"![x](data:image/png;base64,AAAA)", "data:"},
	{"![x](javascript:alert(1))", "javascript:"},
	{"![javascript:alert(1)](/ok.png)", "javascript:"},
	{"[x](<javascript:alert(1)>)", "javascript:"},
	{"[x][r]\n\n[r]: javascript:alert(1)", "javascript:"},
	{"<javascript:alert(1)>", NULL},
	{"<script>alert(1)</script>", "<script"},
	{"<img src=x onerror=alert(1)>", "<img"},
	{"<a href=\"javascript:alert(1)\">x</a>", "<a href"},
	{"<iframe src=\"data:text/html,x\"></iframe>", "<iframe"},
	{"[x](http://a.com \"title\" onclick=\"alert(1)\")", NULL},
	{"[x](http://a.com\"onclick=\"alert(1))", NULL},
	{"```\" onclick=\"alert(1)\nx\n```", NULL},
	{"<svg><script>alert(1)</script></svg>", "<script"},
	{"[<img src=x onerror=alert(1)>](http://a.com)", "<img src=x"},
};

EXACT_CASES(DEFINE_CASE)

static void t_xss_vectors(void **state) {
	(void)state;
	for (size_t i = 0; i < sizeof xss_cases / sizeof xss_cases[0]; i++) {
		char *got = render(xss_cases[i].src, strlen(xss_cases[i].src));
		assert_safe(got);
		if (xss_cases[i].never && ci_has(got, xss_cases[i].never))
			fail_msg("vector %zu: %s in output: %s", i, xss_cases[i].never, got);
		free(got);
	}
}

/* The checker itself must reject what it is meant to reject. */
static void t_checker_rejects(void **state) {
	(void)state;
	static const char *const bad[] = {
		"<script>x</script>", "<b>x</b>", "<strong>x", "x</em>", "<em><strong></em></strong>",
		"<a href=\"javascript:alert(1)\">x</a>", "<a href=\"\nJaVaScRiPt:x\">x</a>",
		"<a href=\"java\tscript:x\">x</a>", "<img src=\"data:image/png,x\">",
		"<a href=\"vbscript:x\">x</a>", "<span onclick=\"x\">x</span>", "a < b", "a > b",
		"a & b", "<span style=\"background:url(x)\">x</span>", "<br></br>", "<div/>",
		"<span style=\"color:red\">x</span>", "<div align=\"center\">x</div>", "<span class=\"a;b\">x</span>",
		"<span class=\"c:red\">x</span>",
		"<a href=x>y</a>", "say \"hi\"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (!html_check(bad[i], strlen(bad[i]), NULL)) fail_msg("checker accepted: %s", bad[i]);
	}
	static const char good[] = "<p>a &amp; b<br />c</p><img src=\"/x\" alt=\"\">";
	assert_null(html_check(good, sizeof good - 1, NULL));
}

static void t_cap_error(void **state) {
	(void)state;
	buf b;
	buf_init(&b, 16);
	assert_int_equal(RENDER(&b, "[b]a long enough text to pass the cap[/b]", 41), -1);
	assert_true(b.err);
	buf_release(&b);
	/* an already-failed buffer stays failed */
	buf_init(&b, 1);
	buf_append(&b, "xx", 2);
	assert_int_equal(RENDER(&b, "x", 1), -1);
	buf_release(&b);
}

static void t_empty(void **state) {
	(void)state;
	check_exact("", 0, "");
}

/* Deep nesting and big inputs stay balanced. */
static void t_big_inputs(void **state) {
	(void)state;
	static const char *const units[] = {">", "- ", "*a ", "[x](", "![", "`", "~~", "<", "| a |\n"};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		buf src;
		buf_init(&src, 0);
		while (src.len < 65536 - 16) buf_puts(&src, units[u]);
		char *got = render(buf_cstr(&src), src.len);
		assert_safe(got);
		free(got);
		buf_release(&src);
	}
}

int main(void) {
	const struct CMUnitTest tests[] = {
		EXACT_CASES(LIST_CASE)
		cmocka_unit_test(t_xss_vectors),
		cmocka_unit_test(t_checker_rejects),
		cmocka_unit_test(t_cap_error),
		cmocka_unit_test(t_empty),
		cmocka_unit_test(t_big_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
