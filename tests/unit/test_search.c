/* Unit tests for src/search: the bigram tokenizer, the query language, engine strings, post text, excerpts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "search/search.h"
#include "util/buf.h"
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

/* the tokens of s joined by '|', each with its byte range when ranges is set */
struct join { buf b; int ranges; };
static int join_tok(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	struct join *j = ctx;
	(void)cjk;
	if (j->b.len) buf_putc(&j->b, '|');
	buf_append(&j->b, tok, (size_t)n);
	if (j->ranges) buf_appendf(&j->b, "@%d-%d", start, end);
	return 0;
}
static char out[4096];
static const char *toks(const char *s, int ranges) {
	struct join j;
	buf_init(&j.b, 0);
	j.ranges = ranges;
	search_tokenize(s, strlen(s), join_tok, &j);
	snprintf(out, sizeof out, "%s", buf_cstr(&j.b));
	buf_release(&j.b);
	return out;
}

static void test_tokenize(void **st) {
	(void)st;
	assert_string_equal(toks("济宁", 0), "济宁");
	assert_string_equal(toks("济宁市", 0), "济宁|宁市");
	assert_string_equal(toks("我在济宁市", 0), "我在|在济|济宁|宁市");
	assert_string_equal(toks("好", 0), "好");                             /* a run of one: itself */
	assert_string_equal(toks("Hello World", 0), "hello|world");           /* case folded */
	assert_string_equal(toks("我用Linux系统", 0), "我用|linux|系统");       /* mixed scripts split */
	assert_string_equal(toks("ＬＩＮＵＸ　２０２４年", 0), "linux|2024|年"); /* NFKC: full width */
	assert_string_equal(toks("Stra\xc3\x9f" "e", 0), "strasse");           /* case folding ß */
	assert_string_equal(toks("e\xcc\x81t\xc3\xa9", 0), "\xc3\xa9t\xc3\xa9"); /* e + U+0301 composes */
	/* a mark after an ignorable (U+00AD, removed by NFKC_Casefold) still composes with the word's
	   last letter: the token tokenizes again to itself (found by fuzz_search) */
	assert_string_equal(toks("a\xc2\xad\xc2\xad\xcc\x81", 0), "\xc3\xa1");
	assert_string_equal(toks("xa\xc2\xad\xcc\x81y", 1), "x\xc3\xa1y@0-7");
	assert_string_equal(toks("小松、济宁。", 0), "小松|济宁");              /* punctuation separates */
	assert_string_equal(toks("foo-bar_baz 3.14", 0), "foo|bar|baz|3|14");
	assert_string_equal(toks("ひらがなカタカナ", 0), "ひら|らが|がな|なカ|カタ|タカ|カナ");
	assert_string_equal(toks("한국어", 0), "한국|국어");
	assert_string_equal(toks("", 0), "");
	assert_string_equal(toks("!!! ...", 0), "");
	/* byte ranges point into the original text */
	assert_string_equal(toks("Ab 济宁市", 1), "ab@0-2|济宁@3-9|宁市@6-12");
	assert_string_equal(toks("ＡＢ", 1), "ab@0-6");
	/* invalid UTF-8 separates, never crashes */
	assert_string_equal(toks("ab\xff" "cd\xe6\xb5", 0), "ab|cd");
	/* a word longer than SEARCH_TOKEN_MAX is cut */
	char lng[200];
	memset(lng, 'x', sizeof lng - 1);
	lng[sizeof lng - 1] = 0;
	assert_int_equal((int)strlen(toks(lng, 0)), SEARCH_TOKEN_MAX);
}

/* The fast path for common ideographs (src/search/tokenize.c) rests on two facts about ICU, checked
   here for every code point of its range, and must give what the full path gives: random texts of
   ideographs mixed with what borders them (marks, the ideographic tone and kana voicing marks, ASCII,
   full-width forms, kana, hangul, a soft hyphen, a compatibility ideograph, invalid bytes) are
   tokenized both ways, tokens and byte ranges compared. */
static void test_tokenize_fast(void **st) {
	(void)st;
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&e);
	assert_false(U_FAILURE(e));
	for (UChar32 c = 0x4E00; c <= 0x9FFF; c++) {
		UChar u[2];
		int32_t ul = 0;
		U16_APPEND_UNSAFE(u, ul, c);
		e = U_ZERO_ERROR;
		UScriptCode sc = uscript_getScript(c, &e);
		if (u_charType(c) != U_OTHER_LETTER || sc != USCRIPT_HAN || !u_isalpha(c) ||
		    !unorm2_isNormalized(nfkc, u, ul, &e) || U_FAILURE(e))
			fail_msg("U+%04X is not a Han letter that NFKC_Casefold keeps", (unsigned)c);
	}
	static const char *const pool[] = {
		"\xe4\xb8\x80" /* U+4E00 */, "\xe9\xbf\xbf" /* U+9FFF */, "\xe6\xb5\x8e", "\xe5\xae\x81", "\xe5\xb8\x82",
		"\xe6\xa5\xbc", "\xe5\x85\xb0", "\xcc\x81" /* U+0301 */, "\xe3\x80\xaa" /* U+302A tone mark */,
		"\xe3\x82\x99" /* U+3099 voicing */, "a", "Z", "7", " ", "-", "\xef\xbc\xa1" /* full-width A */,
		"\xe3\x80\x82" /* 。 */, "\xef\xbc\x8c" /* ， */, "\xe3\x81\x8b" /* か */, "\xed\x95\x9c" /* 한 */,
		"\xc2\xad" /* soft hyphen */, "\xef\xa4\x80" /* U+F900 */, "\xff", "\xe6\xb5" /* cut */};
	const int npool = (int)(sizeof pool / sizeof pool[0]);
	unsigned seed = 16;
	char text[256], a[4096];
	for (int round = 0; round < 5000; round++) {
		size_t len = 0;
		int chars = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
		for (int i = 0; i < chars; i++) {
			const char *p = pool[((seed = seed * 1103515245u + 12345u) >> 16) % (unsigned)npool];
			size_t pl = strlen(p);
			memcpy(text + len, p, pl);
			len += pl;
		}
		text[len] = 0;
		search_tokenize_fast(0);
		snprintf(a, sizeof a, "%s", toks(text, 1));
		search_tokenize_fast(1);
		if (strcmp(a, toks(text, 1))) fail_msg("\"%s\": full path %s, fast path %s", text, a, out);
	}
}

static const char *fts5(const char *q, int titles) {
	struct search_query sq;
	char err[256], *e;
	if (search_query_parse(q, &sq, err, sizeof err)) {
		snprintf(out, sizeof out, "ERR %s", err);
		return out;
	}
	sq.titles = titles;
	search_query_fts5(&sq, &e);
	snprintf(out, sizeof out, "%s", e);
	free(e);
	search_query_free(&sq);
	return out;
}

static const char *tsq(const char *q, int titles) {
	struct search_query sq;
	char err[256], *e;
	if (search_query_parse(q, &sq, err, sizeof err)) return "ERR";
	sq.titles = titles;
	search_query_tsquery(&sq, &e);
	snprintf(out, sizeof out, "%s", e);
	free(e);
	search_query_free(&sq);
	return out;
}

static void test_query(void **st) {
	(void)st;
	assert_string_equal(fts5("济宁", 0), "(\"济宁\")");
	assert_string_equal(fts5("济宁市 小松", 0), "(\"济宁 宁市\") AND (\"小松\")");
	assert_string_equal(fts5("\"hello world\"", 0), "(\"hello world\")");
	assert_string_equal(fts5("“济宁 小松”", 0), "(\"济宁 小松\")");
	assert_string_equal(fts5("济宁 -小松", 0), "(\"济宁\") NOT \"小松\"");
	assert_string_equal(fts5("济宁 OR 小松 linux", 0), "(\"济宁\" OR \"小松\") AND (\"linux\")");
	assert_string_equal(fts5("a | b", 0), "(\"a\" OR \"b\")");
	assert_string_equal(fts5("济宁", 1), "{title} : ((\"济宁\"))");
	assert_string_equal(fts5("2024年的", 0), "(\"2024 年的\")");
	assert_string_equal(fts5("用Linux好吗", 0), "(\"linux 好吗\")");   /* the lone 用 dropped */
	assert_string_equal(fts5("a好b", 0), "((\"a\" AND \"b\"))");          /* a gap: no longer a phrase */
	assert_string_equal(fts5("Foo\"bar", 0), "(\"foo bar\")");
	/* refused */
	assert_true(!strncmp(fts5("好", 0), "ERR 单个汉字", 14));
	assert_true(!strncmp(fts5("好 坏", 0), "ERR 单个汉字", 14));
	assert_true(!strncmp(fts5("-济宁", 0), "ERR 请至少输入", 10));
	assert_true(!strncmp(fts5("   ", 0), "ERR 请输入", 8));
	assert_true(!strncmp(fts5("OR", 0), "ERR", 3));
	assert_true(!strncmp(fts5("a b c d e f g h i j k l m", 0), "ERR 搜索词太多", 10));
	char big[SEARCH_QUERY_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_true(!strncmp(fts5(big, 0), "ERR 搜索内容太长", 10));
	big[SEARCH_QUERY_MAX] = 0;
	assert_true(strncmp(fts5(big, 0), "ERR", 3) != 0);   /* at the limit: accepted */
	assert_true(!strncmp(fts5("ab\xff", 0), "ERR 搜索内容不是", 10));
	/* PostgreSQL */
	assert_string_equal(tsq("济宁市 -小松", 0), "(('济宁' <-> '宁市')) & !('小松')");
	assert_string_equal(tsq("济宁 OR linux", 1), "(('济宁':A) | ('linux':A))");
	assert_string_equal(tsq("a好b", 0), "(('a' & 'b'))");
}

static void test_tsvector(void **st) {
	(void)st;
	char *v = search_tsvector("济宁", "济宁市 Linux");
	/* sorted in byte order (a prefix first), each lexeme once with its positions, as PostgreSQL's
	   tsvector keeps them */
	assert_string_equal(v, "'linux':12 '宁市':11 '济宁':1A,10");
	free(v);
	v = search_tsvector("it's", "a\\b ab abc ab");
	assert_string_equal(v, "'a':11 'ab':13,15 'abc':14 'b':12 'it':1A 's':2A");
	free(v);
	/* at most 256 positions a lexeme (PostgreSQL keeps no more) */
	buf big;
	buf_init(&big, 0);
	for (int i = 0; i < 300; i++) buf_puts(&big, "x ");
	v = search_tsvector(NULL, buf_cstr(&big));
	int commas = 0;
	for (const char *p = v; *p; p++) commas += *p == ',';
	assert_int_equal(commas, 255);
	assert_true(!strncmp(v, "'x':9,10,11,", 12));
	free(v);
	buf_release(&big);
	v = search_tsvector("", "");
	assert_string_equal(v, "");
	free(v);
}

static void test_html_text(void **st) {
	(void)st;
	char *t = search_html_text("<p>济<b>宁</b>市 &amp; &lt;tag&gt; &#27982;&#x5b81;</p><p>second</p><br>x");
	assert_string_equal(t, "济宁市 & <tag> 济宁\nsecond\nx");
	free(t);
	t = search_html_text("<p>unclosed &amp no; <");
	assert_string_equal(t, "unclosed &amp no; ");
	free(t);
}

static void test_excerpt(void **st) {
	(void)st;
	struct search_query q;
	char err[256];
	assert_int_equal(search_query_parse("济宁 linux", &q, err, sizeof err), 0);
	const char *text = "我在济宁市用 Linux";
	struct search_excerpt x;
	search_excerpt(text, &q, &x);
	assert_int_equal(x.n, 4);
	assert_int_equal(x.lead, 0);
	assert_int_equal(x.trail, 0);
	assert_int_equal(x.seg[1].hit, 1);
	assert_int_equal(strncmp(text + x.seg[1].off, "济宁", (size_t)x.seg[1].len), 0);
	assert_int_equal(x.seg[3].hit, 1);
	assert_int_equal(strncmp(text + x.seg[3].off, "Linux", (size_t)x.seg[3].len), 0);
	/* a far match: the excerpt starts shortly before it */
	buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 300; i++) buf_puts(&b, "一");
	buf_puts(&b, "济宁");
	for (int i = 0; i < 300; i++) buf_puts(&b, "二");
	search_excerpt(buf_cstr(&b), &q, &x);
	assert_int_equal(x.lead, 1);
	assert_int_equal(x.trail, 1);
	int hit = -1;
	for (int i = 0; i < x.n; i++)
		if (x.seg[i].hit) hit = i;
	assert_true(hit >= 0);
	assert_int_equal(strncmp(buf_cstr(&b) + x.seg[hit].off, "济宁", 6), 0);
	buf_release(&b);
	search_query_free(&q);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize),
		cmocka_unit_test(test_tokenize_fast), cmocka_unit_test(test_query), cmocka_unit_test(test_tsvector),
		cmocka_unit_test(test_html_text), cmocka_unit_test(test_excerpt),
	};
	return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
