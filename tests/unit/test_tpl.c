/* Unit tests for the template engine (src/render/tpl.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render/tpl.h"
#include <unistd.h>

static char out_s[8192];

static const char *render(const char *src, tv *data) {
	char err[256];
	tpl *t = tpl_compile("t", src, strlen(src), err, sizeof err);
	if (!t) {
		snprintf(out_s, sizeof out_s, "ERR:%s", err);
		return out_s;
	}
	buf b;
	buf_init(&b, 0);
	tpl_render_t(&b, t, data);
	snprintf(out_s, sizeof out_s, "%s", buf_cstr(&b));
	buf_release(&b);
	tpl_free(t);
	return out_s;
}

static void test_escape_by_default(void **st) {
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	tv_str(&a, m, "x", "<script>alert('1')</script>&\"");
	assert_string_equal(render("[{{x}}]", m), "[&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;&amp;&quot;]");
	tv_html(&a, m, "h", "<b>ok</b>");
	assert_string_equal(render("{{h}}", m), "<b>ok</b>");
	tv_str(&a, m, "u", "a b/c?d=é");
	assert_string_equal(render("{{u|url}}", m), "a%20b%2Fc%3Fd%3D%C3%A9");
	/* triple braces are not a raw-output escape hatch: the value type decides */
	assert_string_equal(render("{{ x }}", m), "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;&amp;&quot;");
	arena_free(&a);
}

static void test_blocks(void **st) {
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	tv_int(&a, m, "n", 3);
	tv_int(&a, m, "zero", 0);
	tv_str(&a, m, "empty", "");
	tv_bool(&a, m, "yes", 1);
	tv *l = tv_add_list(&a, m, "items");
	for (int i = 0; i < 3; i++) {
		tv *it = tv_push_map(&a, l);
		tv_int(&a, it, "v", i * 10);
	}
	tv_add_list(&a, m, "none");
	tv *sub = tv_add_map(&a, m, "sub");
	tv_str(&a, sub, "name", "楼主");
	assert_string_equal(render("{{#if n}}A{{else}}B{{/if}}{{#if zero}}C{{else}}D{{/if}}{{#if empty}}E{{/if}}", m), "AD");
	assert_string_equal(render("{{#unless zero}}U{{/unless}}{{#unless yes}}X{{/unless}}", m), "U");
	assert_string_equal(render("{{#each items}}{{@index}}:{{v}}/{{n}} {{/each}}", m), "0:0/3 1:10/3 2:20/3 ");
	assert_string_equal(render("{{#each none}}x{{else}}empty{{/each}}", m), "empty");
	assert_string_equal(render("{{#with sub}}{{name}}{{/with}}|{{sub.name}}|{{missing.name}}|{{yes}}", m), "楼主|楼主||true");
	assert_string_equal(render("{{! comment }}ok", m), "ok");
	arena_free(&a);
}

static void test_override_and_lookup(void **st) {
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	tv_str(&a, m, "k", "first");
	tv_str(&a, m, "k", "second");
	assert_string_equal(render("{{k}}", m), "second");
	assert_ptr_equal(tv_get(m, "nope"), NULL);
	arena_free(&a);
}

/* a map of many keys looked up often goes through its index (issue 16): every key found, the last
** definition wins before and after the index is made and while the map grows (the index is made
** again), absent keys are absent, keys sharing a first byte, a last byte or a length are told apart,
** a nested map and a list's maps too */
static void test_miss_tv_index(void **st) {
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	char key[32];
	for (int i = 0; i < 300; i++) {
		snprintf(key, sizeof key, "k%d", i);
		tv_int(&a, m, arena_strdup(&a, key), i);
		if (i == 5 || i == TV_INDEX_MIN - 1 || i == TV_INDEX_MIN || i == 200) tv_str(&a, m, "k3", "again");
		for (int j = 0; j <= i; j += 7) {   /* each key so far, while the map grows */
			snprintf(key, sizeof key, "k%d", j);
			tv *v = tv_get(m, key);
			assert_non_null(v);
			if (j == 3 && i >= 5) assert_int_equal(v->t, TV_STR);
			else assert_int_equal(v->i, j);
		}
	}
	assert_non_null(m->ix);
	assert_null(tv_get(m, "k300"));
	assert_null(tv_get(m, "k"));
	assert_null(tv_get(m, ""));
	assert_string_equal(render("{{k3}} {{k299}} {{k0}} [{{k300}}]", m), "again 299 0 []");
	tv_str(&a, m, "k299", "<late>");
	assert_string_equal(render("{{k299}}", m), "&lt;late&gt;");
	tv *sub = tv_add_map(&a, m, "sub");
	for (int i = 0; i < 40; i++) {
		snprintf(key, sizeof key, "s%d", i);
		tv_int(&a, sub, arena_strdup(&a, key), 1000 + i);
	}
	tv *list = tv_add_list(&a, m, "rows");
	for (int r = 0; r < 3; r++) {
		tv *row = tv_push_map(&a, list);
		for (int i = 0; i < 20; i++) {
			snprintf(key, sizeof key, "c%d", i);
			tv_int(&a, row, arena_strdup(&a, key), r * 100 + i);
		}
	}
	assert_string_equal(render("{{sub.s39}} {{sub.s0}}|{{#each rows}}{{c19}},{{k1}};{{/each}}", m),
	                    "1039 1000|19,1;119,1;219,1;");
	arena_free(&a);
}

static void test_compile_errors(void **st) {
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	assert_true(!strncmp(render("{{#if x}}", m), "ERR:t: unclosed block", 21));
	assert_true(!strncmp(render("{{/if}}", m), "ERR:", 4));
	assert_true(!strncmp(render("{{#if x}}{{/each}}", m), "ERR:", 4));
	assert_true(!strncmp(render("{{x", m), "ERR:t:1: unclosed {{", 20));
	assert_true(!strncmp(render("{{#loop x}}{{/loop}}", m), "ERR:", 4));
	assert_true(!strncmp(render("{{x|raw}}", m), "ERR:", 4));
	assert_true(!strncmp(render("{{else}}", m), "ERR:", 4));
	assert_true(!strncmp(render("{{#with x}}{{else}}{{/with}}", m), "ERR:", 4));
	assert_true(!strncmp(render("{{}}", m), "ERR:", 4));
	/* nesting cap */
	char deep[TPL_MAX_DEPTH * 16 + 64] = "";
	for (int i = 0; i <= TPL_MAX_DEPTH; i++) memcpy(deep + i * 9, "{{#if x}}", 10);
	assert_true(!strncmp(render(deep, m), "ERR:", 4));
	arena_free(&a);
}

static void test_size_limit(void **st) {
	size_t n = TPL_MAX_SIZE + 1;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = 0;
	char err[128];
	assert_null(tpl_compile("big", big, n, err, sizeof err));
	assert_non_null(strstr(err, "larger than"));
	tpl *ok = tpl_compile("ok", big, TPL_MAX_SIZE, err, sizeof err);
	assert_non_null(ok);
	tpl_free(ok);
	free(big);
}

static void test_embedded_templates_compile(void **st) {
	char err[256] = "";
	int rc = tpl_load_embedded(err, sizeof err);
	if (rc) fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, 0);
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	tv_str(&a, m, "title", "T<x>");
	buf b;
	buf_init(&b, 0);
	assert_int_equal(tpl_render(&b, "error", m), 0);
	assert_non_null(strstr(buf_cstr(&b), "<title>T&lt;x&gt;</title>"));
	assert_int_equal(tpl_render(&b, "no-such-template", m), -1);
	buf_release(&b);
	arena_free(&a);
	tpl_unload_all();
}

/* holes: recorded where the value would be (offset, id, escaping), through blocks and includes */
static void test_holes(void **st) {
	char err[256];
	const char *src = "<a href=\"/u?n={{who|url}}\">{{who}}</a>{{#if who}}[{{n}}]{{/if}}{{#each l}}{{who}}{{/each}}!";
	tpl *t = tpl_compile("h", src, strlen(src), err, sizeof err);
	assert_non_null(t);
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	tv_hole(&a, m, "who", 3);
	tv_int(&a, m, "n", 5);
	tv *l = tv_add_list(&a, m, "l");
	tv_push_map(&a, l);
	tv_push_map(&a, l);
	buf b;
	buf_init(&b, 0);
	tpl_holes h = {.a = &a};
	assert_int_equal(tpl_render_t_holes(&b, t, m, &h), 0);
	assert_string_equal(buf_cstr(&b), "<a href=\"/u?n=\"></a>[5]!");
	assert_int_equal(h.n, 4);
	assert_int_equal(h.h[0].off, strlen("<a href=\"/u?n="));
	assert_int_equal(h.h[0].esc, TPL_ESC_URL);
	assert_int_equal(h.h[1].off, strlen("<a href=\"/u?n=\">"));
	assert_int_equal(h.h[1].esc, TPL_ESC_HTML);
	assert_int_equal(h.h[2].off, strlen("<a href=\"/u?n=\"></a>[5]"));
	assert_int_equal(h.h[3].off, h.h[2].off);
	for (int i = 0; i < h.n; i++) assert_int_equal(h.h[i].id, 3);
	/* filled: escaped as the template asked */
	const char *vals[TPL_MAX_HOLE_ID] = {[3] = "<b&b> c"};
	buf f;
	buf_init(&f, 0);
	tpl_fill(&f, b.data, b.len, &h, vals);
	assert_string_equal(buf_cstr(&f), "<a href=\"/u?n=%3Cb%26b%3E%20c\">&lt;b&amp;b&gt; c</a>[5]&lt;b&amp;b&gt; c&lt;b&amp;b&gt; c!");
	/* without a hole list a hole writes nothing */
	buf_reset(&b);
	tpl_render_t(&b, t, m);
	assert_string_equal(buf_cstr(&b), "<a href=\"/u?n=\"></a>[5]!");
	buf_release(&b);
	buf_release(&f);
	arena_free(&a);
	tpl_free(t);
}

/* LOULAN_TEMPLATES: files in a directory replace the built-in templates */
static void test_load_dir(void **st) {
	char dir[] = "/tmp/loulan-test-tpl.XXXXXX", path[128], err[256] = "";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/error.html", dir);
	FILE *f = fopen(path, "w");
	fputs("replaced {{title}}", f);
	fclose(f);
	setenv("LOULAN_TEMPLATES", dir, 1);
	assert_int_equal(tpl_load_embedded(err, sizeof err), 0);
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	tv_str(&a, m, "title", "T");
	buf b;
	buf_init(&b, 0);
	assert_int_equal(tpl_render(&b, "error", m), 0);
	assert_string_equal(buf_cstr(&b), "replaced T");
	assert_int_equal(tpl_render(&b, "footer", m) == 0, 1);   /* the others stay */
	/* an include finds the replacement, and a template only the directory has (they are linked
	   once loaded, not looked up by name per render) */
	snprintf(path, sizeof path, "%s/header.html", dir);
	f = fopen(path, "w");
	fputs("[new header {{> zz_extra}}]", f);
	fclose(f);
	char extra[128];
	snprintf(extra, sizeof extra, "%s/zz_extra.html", dir);
	f = fopen(extra, "w");
	fputs("extra {{title}}", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/error.html", dir);
	unlink(path);
	assert_int_equal(tpl_load_embedded(err, sizeof err), 0);
	buf_reset(&b);
	assert_int_equal(tpl_render(&b, "error", m), 0);
	assert_true(!strncmp(buf_cstr(&b), "[new header extra T]", 20));
	assert_non_null(strstr(buf_cstr(&b), "</html>"));   /* the built-in footer */
	snprintf(path, sizeof path, "%s/header.html", dir);
	unlink(path);
	unlink(extra);
	snprintf(path, sizeof path, "%s/error.html", dir);
	/* a broken one is refused with its name */
	f = fopen(path, "w");
	fputs("{{#if x}}", f);
	fclose(f);
	assert_int_equal(tpl_load_embedded(err, sizeof err), -1);
	assert_non_null(strstr(err, "error"));
	unsetenv("LOULAN_TEMPLATES");
	unlink(path);
	rmdir(dir);
	buf_release(&b);
	arena_free(&a);
	tpl_unload_all();
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_by_default), cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_override_and_lookup), cmocka_unit_test(test_miss_tv_index),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_size_limit), cmocka_unit_test(test_embedded_templates_compile),
		cmocka_unit_test(test_holes), cmocka_unit_test(test_load_dir),
	};
	return cmocka_run_group_tests_name("tpl", tests, NULL, NULL);
}
