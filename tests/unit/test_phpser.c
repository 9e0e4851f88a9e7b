/* Unit tests for the importer's pure parts (src/import/): PHP unserialize (every type, byte lengths,
   each limit crossed, malformed input), the config_global.php / config_ucenter.php reader, charset
   conversion with emoji entities and UTF-8 repair, HTML to BBCode, and the visible text of BBCode. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "import/dzconfig.h"
#include "import/dztext.h"
#include "import/phpser.h"
#include "util/buf.h"
#include "util/utf8.h"

static struct php_val *parse(arena *a, const char *s) {
	struct php_val *v = NULL;
	return php_unserialize(s, strlen(s), a, &v) ? NULL : v;
}

static void test_types(void **st) {
	(void)st;
	arena a;
	arena_init(&a);
	struct php_val *v = parse(&a, "a:6:{i:0;N;i:1;b:1;i:2;i:-42;i:3;d:0.5;s:1:\"k\";s:6:\"威望\";i:9;a:0:{}}");
	assert_non_null(v);
	assert_int_equal(v->t, PHP_ARRAY);
	assert_int_equal(v->n, 6);
	assert_int_equal(php_geti(v, 0)->t, PHP_NULL);
	assert_int_equal(php_geti(v, 1)->t, PHP_BOOL);
	assert_int_equal(php_int(php_geti(v, 1)), 1);
	assert_int_equal(php_int(php_geti(v, 2)), -42);
	assert_true(php_geti(v, 3)->d == 0.5);
	assert_string_equal(php_get(v, "k")->s, "威望");   /* s:6: six bytes of UTF-8 */
	assert_int_equal(php_get(v, "k")->n, 6);
	assert_int_equal(php_geti(v, 9)->t, PHP_ARRAY);
	assert_int_equal(php_get(v, "9")->t, PHP_ARRAY);   /* "9" and 9 are one key, as in PHP */
	assert_null(php_get(v, "09"));
	assert_null(php_get(v, "missing"));
	/* the Discuz! extcredits shape, lengths counting bytes; strings may hold ";" and quotes */
	v = parse(&a, "a:1:{i:1;a:2:{s:5:\"title\";s:6:\"威望\";s:9:\"available\";s:1:\"1\";}}");
	assert_non_null(v);
	size_t n;
	assert_string_equal(php_str(php_get(php_geti(v, 1), "title"), &a, &n), "威望");
	assert_int_equal(php_int(php_get(php_geti(v, 1), "available")), 1);
	v = parse(&a, "s:5:\"a\";\"b\";");
	assert_non_null(v);
	assert_string_equal(v->s, "a\";\"b");
	/* GBK bytes: s:4 for two characters */
	v = parse(&a, "s:4:\"\xcd\xfe\xcd\xfb\";");
	assert_non_null(v);
	assert_int_equal(v->n, 4);
	assert_string_equal(php_str(parse(&a, "i:7;"), &a, NULL), "7");
	arena_free(&a);
}

static void test_malformed(void **st) {
	(void)st;
	arena a;
	arena_init(&a);
	static const char *const bad[] = {
		"", "N", "i:;", "i:1", "i:1;x", "b:2;", "s:-1:\"\";", "s:3:\"ab\";", "s:2:\"abc\";", "s:99999999999:\"a\";",
		"a:1:{i:0;i:1;", "a:2:{i:0;i:1;}", "a:1:{a:0:{};i:1;}", "a:1:{d:1.5;i:1;}", "O:8:\"stdClass\":0:{}",
		"r:1;", "d:;", "d:1e;", "i:99999999999999999999;", "a:100000000:{}", "s:1:\"a\"", "a:0:{}x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_null(parse(&a, bad[i]));
	arena_free(&a);
}

static void test_limits(void **st) {
	(void)st;
	arena a;
	arena_init(&a);
	/* PHPSER_DEPTH_MAX nested arrays pass, one more does not */
	buf b;
	for (int depth = PHPSER_DEPTH_MAX; depth <= PHPSER_DEPTH_MAX + 1; depth++) {
		buf_init(&b, 0);
		for (int i = 0; i < depth; i++) buf_puts(&b, "a:1:{i:0;");
		buf_puts(&b, "N;");
		for (int i = 0; i < depth; i++) buf_putc(&b, '}');
		struct php_val *v;
		int rc = php_unserialize(b.data, b.len, &a, &v);
		assert_int_equal(rc, depth <= PHPSER_DEPTH_MAX ? 0 : -1);
		buf_release(&b);
	}
	/* PHPSER_INPUT_MAX bytes */
	char one[] = "N;";
	struct php_val *v;
	assert_int_equal(php_unserialize(one, PHPSER_INPUT_MAX + 1, &a, &v), -1);
	/* PHPSER_ITEMS_MAX elements in all */
	buf_init(&b, 0);
	buf_appendf(&b, "a:2:{i:0;a:%d:{", PHPSER_ITEMS_MAX);
	for (int i = 0; i < PHPSER_ITEMS_MAX; i++) buf_puts(&b, "N;N;");
	buf_puts(&b, "}i:1;a:1:{N;N;}}");
	assert_int_equal(php_unserialize(b.data, b.len, &a, &v), -1);
	buf_release(&b);
	arena_free(&a);
}

static const char config_global[] =
	"<?php\n\n\n$_config = array();\n\n// ----------------------------  CONFIG DB  ----------------------------- //\n"
	"$_config['db']['1']['dbhost'] = '127.0.0.1:3307';\n$_config['db']['1']['dbuser'] = 'root';\n"
	"$_config['db']['1']['dbpw'] = 'p\\'w;d';\n$_config['db']['1']['dbcharset'] = 'gbk';\n"
	"$_config['db']['1']['pconnect'] = '0';\n$_config['db']['1']['dbname'] = \"ultrax\";\n"
	"$_config['db']['1']['tablepre'] = 'pre_';\n$_config['db']['slave'] = '';\n/* $_config['db'][1]['dbname'] = 'commented'; */\n"
	"# $_config['db'][1]['dbuser'] = 'hash-commented';\n$_config['db']['common']['slave_except_table'] = '';\n"
	"$_config['memory']['prefix'] = 'x_';\n$_config['security']['authkey'] = 'a1b2c3d4e5f6';\n"
	"$_config['cookie']['cookiepre'] = 'abcd_';\n$_config['output']['gzip'] = false;\n$_config['x'] = $y . 'z';\n";
static const char config_ucenter[] =
	"<?php\n\n\ndefine('UC_CONNECT', 'mysql');\n\ndefine('UC_DBHOST', '127.0.0.1:3307');\ndefine('UC_DBUSER', 'root');\n"
	"define('UC_DBPW', 'pw');\ndefine('UC_DBNAME', 'ucenter');\ndefine('UC_DBCHARSET', 'utf8mb4');\n"
	"define('UC_DBTABLEPRE', '`ucenter`.uc_');\ndefine('UC_DBCONNECT', 0);\n\ndefine('UC_STANDALONE', 1);\n";

static void test_config(void **st) {
	(void)st;
	struct dzconf c = {0};
	assert_int_equal(dzconf_parse(&c, config_global, sizeof config_global - 1), 0);
	assert_int_equal(dzconf_parse(&c, config_ucenter, sizeof config_ucenter - 1), 0);
	assert_string_equal(dzconf_get(&c, "db.1.dbhost"), "127.0.0.1:3307");
	assert_string_equal(dzconf_get(&c, "db.1.dbuser"), "root");
	assert_string_equal(dzconf_get(&c, "db.1.dbpw"), "p'w;d");
	assert_string_equal(dzconf_get(&c, "db.1.dbname"), "ultrax");
	assert_string_equal(dzconf_get(&c, "db.1.dbcharset"), "gbk");
	assert_string_equal(dzconf_get(&c, "db.1.tablepre"), "pre_");
	assert_string_equal(dzconf_get(&c, "security.authkey"), "a1b2c3d4e5f6");
	assert_string_equal(dzconf_get(&c, "output.gzip"), "");
	assert_null(dzconf_get(&c, "x"));   /* an expression, not a value */
	assert_string_equal(dzconf_get(&c, "UC_DBTABLEPRE"), "`ucenter`.uc_");
	assert_string_equal(dzconf_get(&c, "UC_DBNAME"), "ucenter");
	assert_string_equal(dzconf_get(&c, "UC_DBCONNECT"), "0");
	assert_string_equal(dzconf_get(&c, "UC_STANDALONE"), "1");
	dzconf_free(&c);
	/* DZCONF_FILE_MAX; DZCONF_VALUE_MAX cuts a value */
	assert_int_equal(dzconf_parse(&c, config_global, DZCONF_FILE_MAX + 1), -1);
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, "$_config['k'] = '");
	for (int i = 0; i < DZCONF_VALUE_MAX + 10; i++) buf_putc(&b, 'v');
	buf_puts(&b, "';");
	assert_int_equal(dzconf_parse(&c, b.data, b.len), 0);
	assert_int_equal(strlen(dzconf_get(&c, "k")), DZCONF_VALUE_MAX - 1);
	buf_release(&b);
	dzconf_free(&c);
	/* garbage: no crash, nothing found */
	assert_int_equal(dzconf_parse(&c, "$_config[[[ = ; define(( '", 27), 0);
	assert_int_equal(c.n, 0);
	dzconf_free(&c);
}

static const char *text(struct dz_conv *cv, const char *s, size_t n, int mode) {
	static char out[1024];
	buf b;
	buf_init(&b, 0);
	assert_int_equal(dz_text(cv, s, n, mode, &b), 0);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	assert_true(utf8_valid(b.data ? b.data : "", b.len));
	buf_release(&b);
	return out;
}
#define T(cv, s, mode) text(cv, s, sizeof s - 1, mode)

static void test_text(void **st) {
	(void)st;
	struct dz_conv *u = dz_conv_open(DZ_UTF8MB4), *g = dz_conv_open(DZ_GBK), *b5 = dz_conv_open(DZ_BIG5);
	assert_non_null(u);
	assert_non_null(g);
	assert_non_null(b5);
	assert_int_equal(dz_charset_parse("utf8"), DZ_UTF8);
	assert_int_equal(dz_charset_parse("GBK"), DZ_GBK);
	assert_int_equal(dz_charset_parse("latin1"), 0);
	/* GBK bytes; emoji as entities decoded; &amp;#... stays as typed (no second decoding) */
	assert_string_equal(T(g, "\xc2\xa5\xc0\xbc &#128512; &#x1F600;", DZ_RAW), "楼兰 😀 😀");
	assert_string_equal(T(g, "a &amp;#128512; b", DZ_RAW), "a &amp;#128512; b");
	assert_string_equal(T(g, "a &amp;#128512; b", DZ_ESCAPED), "a &#128512; b");
	assert_string_equal(T(b5, "\xbc\xd3\xc4\xf5", DZ_RAW), "樓蘭");
	/* raw BBCode keeps entities of ASCII (&#91;b&#93; must not become a tag), escaped text decodes them */
	assert_string_equal(T(u, "&#91;b&#93; &lt;x&gt;", DZ_RAW), "&#91;b&#93; &lt;x&gt;");
	assert_string_equal(T(u, "&#91;b&#93; &lt;x&gt; &quot;q&quot; &#039;", DZ_ESCAPED), "[b] <x> \"q\" '");
	/* bad entities stay text: surrogates, controls, beyond U+10FFFF, unterminated */
	assert_string_equal(T(u, "&#xD800; &#1; &#x110000; &#128512", DZ_RAW), "&#xD800; &#1; &#x110000; &#128512");
	/* UTF-8 repair: a 4-byte character cut at the end dropped, a stray byte U+FFFD, NUL and C0 dropped */
	assert_string_equal(T(u, "ok\xf0\x9f\x98", DZ_RAW), "ok");
	assert_string_equal(T(u, "a\xffz", DZ_RAW), "a\xef\xbf\xbdz");
	assert_string_equal(T(u, "a\0b\x01" "c\td\n", DZ_RAW), "abc\td\n");
	dz_conv_close(u);
	dz_conv_close(g);
	dz_conv_close(b5);
}

static const char *bb(const char *html) {
	static char out[1024];
	buf b;
	buf_init(&b, 0);
	dz_html_to_bbcode(html, strlen(html), &b);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_release(&b);
	return out;
}

static void test_html(void **st) {
	(void)st;
	assert_string_equal(bb("<p>公告 <b>粗</b> <a href=\"http://x.cn/?a=1&amp;b=2\" onclick=\"steal()\">链接</a></p>"
	                       "<script>alert(1)</script><img src=\"x.png\" onerror=\"alert(2)\"><STYLE>p{}</STYLE>"),
	                    "公告 [b]粗[/b] [url=http://x.cn/?a=1&b=2]链接[/url]\n[img]x.png[/img]");
	assert_string_equal(bb("a<br>b<br/>&lt;c&gt; 1 < 2"), "a\nb\n<c> 1 < 2");
	assert_string_equal(bb("<a href='j]x[y'>t</a>"), "[url=j x y]t[/url]");   /* no tag breaks out of the attribute */
	assert_string_equal(bb("<script>never closed"), "");
	buf b;
	buf_init(&b, 0);
	const char *m = "[b]粗[/b] :) {:2_25:} [attach]3[/attach] [img]x[/img] [url=/t]链接[/url]\n\n 末尾 [notatag";
	dz_bbcode_text(m, strlen(m), &b);
	assert_string_equal(buf_cstr(&b), "粗 链接 末尾 [notatag");
	buf_release(&b);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types), cmocka_unit_test(test_malformed), cmocka_unit_test(test_limits),
		cmocka_unit_test(test_config), cmocka_unit_test(test_text), cmocka_unit_test(test_html),
	};
	return cmocka_run_group_tests_name("phpser", tests, NULL, NULL);
}
