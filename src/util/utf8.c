/* utf8: validation and counting with ICU's U8_NEXT. */
#include "util/utf8.h"
#include <unicode/utf8.h>
#include <stdint.h>

int utf8_valid(const char *s, size_t n) {
	int32_t i = 0, len = (int32_t)n;
	if ((size_t)len != n) return 0;
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c <= 0) return 0;
	}
	return 1;
}

long utf8_chars(const char *s, size_t n) {
	int32_t i = 0, len = (int32_t)n;
	long count = 0;
	if ((size_t)len != n) return -1;
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0) return -1;
		count++;
	}
	return count;
}

size_t utf8_prefix(const char *s, size_t n, long maxchars) {
	int32_t i = 0, len = (int32_t)n;
	while (i < len && maxchars-- > 0) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		(void)c;
	}
	return (size_t)i;
}
