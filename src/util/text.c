/* text: visibility, bidi pairing and confusable names with ICU; see text.h. */
#include "util/text.h"
#include "util/utf8.h"
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unicode/uchar.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

static int cp_visible(UChar32 c) {
	if (u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return 0;
	if (c == 0x2800 || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0) return 0;   /* blank look-alikes */
	switch (u_charType(c)) {
	case U_CONTROL_CHAR: case U_FORMAT_CHAR: case U_SPACE_SEPARATOR: case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR: case U_UNASSIGNED: case U_SURROGATE:
	case U_NON_SPACING_MARK: case U_ENCLOSING_MARK:
		return 0;
	default:
		return 1;
	}
}

int text_visible(const char *s, size_t n) {
	int32_t i = 0, len = (int32_t)n;
	int seen = 0;
	if ((size_t)len != n) return 0;
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0) return 0;
		if (!seen && cp_visible(c)) seen = 1;
	}
	return seen;
}

#define BIDI_DEPTH 125   /* UAX #9 max_depth */

int text_bidi_paired(const char *s, size_t n) {
	char stack[BIDI_DEPTH];   /* 'e' embedding/override, 'i' isolate */
	int depth = 0;
	int32_t i = 0, len = (int32_t)n;
	if ((size_t)len != n) return 0;
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0) return 0;
		if (c == 0x202A || c == 0x202B || c == 0x202D || c == 0x202E || (c >= 0x2066 && c <= 0x2068)) {
			if (depth == BIDI_DEPTH) return 0;
			stack[depth++] = c >= 0x2066 ? 'i' : 'e';
		} else if (c == 0x202C || c == 0x2069) {
			if (!depth || stack[depth - 1] != (c == 0x2069 ? 'i' : 'e')) return 0;
			depth--;
		} else if (u_charDirection(c) == U_BLOCK_SEPARATOR) {   /* a paragraph ends: all must be closed */
			if (depth) return 0;
		}
	}
	return depth == 0;
}

const char *text_problem(const char *s, size_t n, const char *what, char *msg, size_t cap) {
	if (!text_visible(s, n)) {
		snprintf(msg, cap, "请填写%s：不能只有空格或不可见字符。", what);
		return msg;
	}
	if (!text_bidi_paired(s, n)) {
		snprintf(msg, cap, "%s包含未成对的文字方向控制符（U+202A-202E、U+2066-2069）。", what);
		return msg;
	}
	return NULL;
}

static USpoofChecker *checker;
static pthread_once_t checker_once = PTHREAD_ONCE_INIT;

/* One checker for the process: ICU allows concurrent checks on an instance
   that is no longer modified. It lives until exit. */
static void checker_init(void) {
	UErrorCode e = U_ZERO_ERROR;
	USpoofChecker *sc = uspoof_open(&e);
	uspoof_setChecks(sc, USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_NUMBERS | USPOOF_INVISIBLE, &e);
	uspoof_setRestrictionLevel(sc, USPOOF_MODERATELY_RESTRICTIVE);
	if (U_FAILURE(e)) {
		if (sc) uspoof_close(sc);
		return;
	}
	checker = sc;
}

static USpoofChecker *get_checker(void) {
	pthread_once(&checker_once, checker_init);
	return checker;
}

int text_skeleton(const char *s, size_t n, char *out, size_t cap) {
	USpoofChecker *sc = get_checker();
	UErrorCode e = U_ZERO_ERROR;
	if (!sc || !utf8_valid(s, n) || (size_t)(int32_t)cap != cap) return -1;
	int32_t len = uspoof_getSkeletonUTF8(sc, 0, s, (int32_t)n, out, (int32_t)cap, &e);
	if (U_FAILURE(e) || e == U_STRING_NOT_TERMINATED_WARNING || (size_t)len >= cap) return -1;
	return 0;
}

int text_script_ok(const char *s, size_t n) {
	USpoofChecker *sc = get_checker();
	UErrorCode e = U_ZERO_ERROR;
	if (!sc) return -1;
	if (!utf8_valid(s, n)) return 0;
	int32_t r = uspoof_check2UTF8(sc, s, (int32_t)n, NULL, &e);
	if (U_FAILURE(e)) return e == U_INVALID_CHAR_FOUND || e == U_ILLEGAL_ARGUMENT_ERROR ? 0 : -1;
	return r == 0;
}
