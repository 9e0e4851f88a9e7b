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

#define RENDER markdown_render

#include "render_harness.h"

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
	run_xss(xss_cases, sizeof xss_cases / sizeof xss_cases[0]);
}




/* Deep nesting and big inputs stay balanced. */
static void t_big_inputs(void **state) {
	(void)state;
	static const char *const units[] = {">", "- ", "*a ", "[x](", "![", "`", "~~", "<", "| a |\n"};
	run_big_inputs(units, sizeof units / sizeof units[0]);
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
