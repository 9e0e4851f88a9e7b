/* arena: chunked bump allocator for one request's memory. See arena.h. */
#include "arena.h"
#include "die.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 16384

struct arena_chunk {
	arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char mem[];
};

void arena_init(arena *a) { a->head = NULL; a->total = 0; }

void *arena_alloc(arena *a, size_t n) {
	n = (n + 15) & ~(size_t)15;
	arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t sz = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
		arena_chunk *nc = malloc(sizeof *nc + sz);
		if (!nc) die_oom();
		nc->size = sz;
		nc->used = 0;
		if (c && n > ARENA_CHUNK / 2) {
			/* big block: keep the current chunk on top for small allocations */
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = c->mem + c->used;
	c->used += n;
	a->total += n;
	return p;
}

void *arena_zalloc(arena *a, size_t n) {
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(arena *a, const char *s) {
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_sprintf(arena *a, const char *fmt, ...) {
	/* one formatting pass for the usual short string, two when it is long */
	char tmp[256];
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0) {
		n = 0;
		tmp[0] = 0;
	}
	char *p = arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof tmp) memcpy(p, tmp, (size_t)n + 1);
	else vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void arena_reset(arena *a) {
	arena_chunk *c = a->head;
	if (!c) return;
	/* keep the last (oldest) small chunk */
	arena_chunk *keep = NULL;
	while (c) {
		arena_chunk *n = c->next;
		if (!n && c->size == ARENA_CHUNK) keep = c;
		else free(c);
		c = n;
	}
	if (keep) { keep->used = 0; keep->next = NULL; }
	a->head = keep;
	a->total = 0;
}

void arena_free(arena *a) {
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->total = 0;
}
