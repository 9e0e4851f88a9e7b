/* tokenize: the CJK bigram tokenizer (see search.h). ICU for normalization and character classes. */
#include "search/search.h"
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <string.h>

#define UNIT_MAX 16      /* code points of one character with its marks; longer mark runs are cut */
#define NORM_MAX 96      /* UTF-16 units of a normalized character (NFKC expands one to at most 18) */

enum cls { C_SEP, C_WORD, C_CJK, C_MARK };

/* The common ideographs, U+4E00..U+9FFF (CJK Unified Ideographs): each is a Han letter (Lo) that
** NFKC_Casefold leaves as it is (the compatibility ideographs that normalize are U+F900.. and
** U+2F800..). Most of a Chinese text: they skip ICU's property lookups and the normalizer, which were
** most of the tokenizer's time. test_search checks both claims against the ICU we link, code point by
** code point, and that the fast and the full path give the same tokens. */
#define FAST_HAN_FIRST 0x4E00
#define FAST_HAN_LAST 0x9FFF
static int g_fast = 1;   /* search_tokenize_fast(0): the full path only (the tests' reference) */
void search_tokenize_fast(int on) { g_fast = on; }
static int fast_han(UChar32 c) { return g_fast && c >= FAST_HAN_FIRST && c <= FAST_HAN_LAST; }

static enum cls classify(UChar32 c) {
	if (c < 0) return C_SEP;
	if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? C_WORD : C_SEP;
	if (fast_han(c)) return C_CJK;
	int8_t t = u_charType(c);
	if (t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK) return C_MARK;
	UErrorCode e = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript(c, &e);
	int letter = u_isalpha(c) || t == U_LETTER_NUMBER;
	if (letter && (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_HANGUL))
		return C_CJK;
	if (letter || u_isdigit(c) || t == U_OTHER_NUMBER) return C_WORD;
	return C_SEP;
}

struct tk {
	search_token_fn fn;
	void *ctx;
	int rc;
	/* the open word */
	char word[SEARCH_TOKEN_MAX + 8];
	int wlen, wstart, wend, wfull;
	int wmarks;   /* a mark joined the word from another unit: the word is normalized again on closing */
	/* the open CJK run: the previous character */
	char prev[8];
	int plen, pstart, pend, run;
};

static int emit(struct tk *k, const char *tok, int n, int start, int end, int cjk) {
	if (!k->rc && n > 0) k->rc = k->fn(k->ctx, tok, n, start, end, cjk);
	return k->rc;
}

/* A unit whose normalized text starts with a mark (the marks after an ignorable such as U+00AD,
** which NFKC_Casefold removes, or after UNIT_MAX marks) adds that mark to the word built from the
** units before it, where it may compose with their last character ("a" + U+00AD + U+0301 gives
** "a" U+0301, which a second tokenization reads as U+00E1). Such a word is normalized once more
** as a whole, so that every token tokenizes again to itself (the query path relies on it). */
static void renormalize_word(struct tk *k) {
	UChar u16[(SEARCH_TOKEN_MAX + 8) * 2], nrm[(SEARCH_TOKEN_MAX + 8) * 4];
	int32_t ul = 0, nl, m = 0;
	UErrorCode e = U_ZERO_ERROR;
	u_strFromUTF8(u16, (int32_t)(sizeof u16 / sizeof u16[0]), &ul, k->word, k->wlen, &e);
	if (U_FAILURE(e)) return;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&e);
	if (U_FAILURE(e)) return;
	nl = unorm2_normalize(nfkc, u16, ul, nrm, (int32_t)(sizeof nrm / sizeof nrm[0]), &e);
	if (U_FAILURE(e)) return;
	/* back to UTF-8, whole characters up to SEARCH_TOKEN_MAX bytes (normalizing may lengthen) */
	for (int32_t j = 0; j < nl;) {
		UChar32 d;
		U16_NEXT(nrm, j, nl, d);
		int32_t before = m;
		UBool err = 0;
		if (m + U8_LENGTH(d) > SEARCH_TOKEN_MAX) break;
		U8_APPEND((uint8_t *)k->word, m, SEARCH_TOKEN_MAX, d, err);
		if (err) m = before;
	}
	k->wlen = m;
}

static void close_word(struct tk *k) {
	if (k->wlen && k->wmarks) renormalize_word(k);
	if (k->wlen) emit(k, k->word, k->wlen, k->wstart, k->wend, 0);
	k->wlen = 0;
	k->wfull = 0;
	k->wmarks = 0;
}

static void close_run(struct tk *k) {
	if (k->run == 1) emit(k, k->prev, k->plen, k->pstart, k->pend, 1);
	k->run = 0;
	k->plen = 0;
}

/* one normalized code point C (its UTF-8 in u8/n) that came from text [start, end) */
static void feed(struct tk *k, UChar32 c, const char *u8, int n, int start, int end, int unit_first) {
	enum cls cl = classify(c);
	if (cl == C_MARK) {
		if (k->wlen && unit_first) k->wmarks = 1;
		cl = k->wlen ? C_WORD : C_SEP;
	}
	if (cl == C_WORD) {
		close_run(k);
		if (!k->wlen) k->wstart = start;
		if (!k->wfull && k->wlen + n <= SEARCH_TOKEN_MAX) {
			memcpy(k->word + k->wlen, u8, (size_t)n);
			k->wlen += n;
		} else {
			k->wfull = 1;
		}
		k->wend = end;
	} else if (cl == C_CJK) {
		close_word(k);
		if (k->run) {
			char bi[16];
			memcpy(bi, k->prev, (size_t)k->plen);
			memcpy(bi + k->plen, u8, (size_t)n);
			emit(k, bi, k->plen + n, k->pstart, end, 2);
		}
		memcpy(k->prev, u8, (size_t)n);
		k->plen = n;
		k->pstart = start;
		k->pend = end;
		k->run++;
	} else {
		close_word(k);
		close_run(k);
	}
}

int search_tokenize(const char *text, size_t len, search_token_fn fn, void *ctx) {
	struct tk k;
	memset(&k, 0, sizeof k);
	k.fn = fn;
	k.ctx = ctx;
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&e);
	if (U_FAILURE(e)) return -1;
	int32_t n = len > SEARCH_TEXT_MAX ? SEARCH_TEXT_MAX : (int32_t)len;
	const uint8_t *s = (const uint8_t *)text;
	int32_t i = 0;
	while (i < n && !k.rc) {
		int32_t start = i;
		UChar32 c;
		U8_NEXT(s, i, n, c);
		if (c < 0 || c == 0) {
			feed(&k, -1, NULL, 0, start, i, 1);
			continue;
		}
		if (c < 0x80 && (i >= n || s[i] < 0x80)) {   /* ASCII not followed by a mark: fold by hand */
			char ch = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			feed(&k, (UChar32)(unsigned char)ch, &ch, 1, start, i, 1);
			continue;
		}
		if (fast_han(c)) {   /* an ideograph not followed by a mark: itself, normalized */
			int32_t j = i;
			UChar32 m = 0;
			if (j < n) U8_NEXT(s, j, n, m);
			if (m <= 0 || classify(m) != C_MARK) {
				feed(&k, c, (const char *)s + start, i - start, start, i, 1);
				continue;
			}
		}
		/* the character and its following marks, normalized together */
		UChar u16[UNIT_MAX * 2], nrm[NORM_MAX];
		int32_t ul = 0;
		U16_APPEND_UNSAFE(u16, ul, c);
		while (i < n && ul < UNIT_MAX * 2 - 2) {
			int32_t j = i;
			UChar32 m;
			U8_NEXT(s, j, n, m);
			if (m <= 0 || classify(m) != C_MARK) break;
			U16_APPEND_UNSAFE(u16, ul, m);
			i = j;
		}
		e = U_ZERO_ERROR;
		int32_t nl = unorm2_normalize(nfkc, u16, ul, nrm, NORM_MAX, &e);
		if (U_FAILURE(e)) {
			feed(&k, -1, NULL, 0, start, i, 1);
			continue;
		}
		int first = 1;
		for (int32_t j = 0; j < nl && !k.rc;) {
			UChar32 d;
			U16_NEXT(nrm, j, nl, d);
			char u8[4];
			int32_t m = 0;
			UBool err = 0;
			U8_APPEND(u8, m, 4, d, err);
			if (err) continue;
			feed(&k, d, u8, m, start, i, first);
			first = 0;
		}
	}
	if (!k.rc) close_word(&k);
	if (!k.rc) close_run(&k);
	return k.rc;
}
