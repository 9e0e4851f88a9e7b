/*
** arena: the per-request memory pool (h2o req->pool). Everything a request
** allocates comes from here and is freed in one arena_reset/arena_free.
** Out of memory aborts. Allocations are 16-byte aligned.
*/
#ifndef LOULAN_ARENA_H
#define LOULAN_ARENA_H
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
	arena_chunk *head;
	size_t total;   /* bytes handed out, for diagnostics */
} arena;

void arena_init(arena *a);
void *arena_alloc(arena *a, size_t n);          /* uninitialised */
void *arena_zalloc(arena *a, size_t n);         /* zeroed */
char *arena_strdup(arena *a, const char *s);    /* NULL -> NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_sprintf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_reset(arena *a);   /* frees all but the first chunk */
void arena_free(arena *a);    /* frees everything */
#endif
