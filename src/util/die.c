/* die: out-of-memory and fatal errors abort with a message. */
#include <stddef.h>
#include "die.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void die_oom(void) {
	fputs("loulan: out of memory\n", stderr);
	abort();
}

void die(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	fputs("loulan: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void *xmalloc(size_t n) {
	void *p = malloc(n ? n : 1);
	if (!p) die_oom();
	return p;
}

void *xcalloc(size_t n, size_t m) {
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p) die_oom();
	return p;
}

char *xstrdup(const char *s) {
	char *p = strdup(s);
	if (!p) die_oom();
	return p;
}
