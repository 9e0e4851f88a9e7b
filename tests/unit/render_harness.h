/*
** render_harness: the shared half of the renderer unit tests (test_bbcode.c,
** test_markdown.c). Define RENDER (the renderer under test) and include this
** after cmocka.h; each test file then lists its own exact cases, XSS vectors
** and pathological units.
*/
#ifndef LOULAN_RENDER_HARNESS_H
#define LOULAN_RENDER_HARNESS_H
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "util/buf.h"
#include "../fuzz/html_check.h"

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

/* every vector renders safely, and without its "never" string */
static void run_xss(const struct xss_case *cases, size_t n) {
	for (size_t i = 0; i < n; i++) {
		char *got = render(cases[i].src, strlen(cases[i].src));
		assert_safe(got);
		if (cases[i].never && ci_has(got, cases[i].never))
			fail_msg("vector %zu: %s in output: %s", i, cases[i].never, got);
		free(got);
	}
}

/* Pathological 64 KiB inputs, each one unit repeated: must finish (linear
   passes; a quadratic version takes minutes here under ASan) and stay safe. */
static void run_big_inputs(const char *const *units, size_t n) {
	for (size_t u = 0; u < n; u++) {
		buf src;
		buf_init(&src, 0);
		while (src.len < 65536 - 16) buf_puts(&src, units[u]);
		char *got = render(buf_cstr(&src), src.len);
		assert_safe(got);
		free(got);
		buf_release(&src);
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
#endif
