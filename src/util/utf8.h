/* utf8: UTF-8 checks on top of ICU's macros (no hand-written decoder). */
#ifndef LOULAN_UTF8_H
#define LOULAN_UTF8_H
#include <stddef.h>
int utf8_valid(const char *s, size_t n);           /* 1 if valid, no NUL bytes */
long utf8_chars(const char *s, size_t n);          /* code points, -1 if invalid */
size_t utf8_prefix(const char *s, size_t n, long maxchars); /* bytes of the first maxchars chars */
#endif
