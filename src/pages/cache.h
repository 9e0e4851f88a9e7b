/*
** cache: this node's cache of finished guest pages (DESIGN.md, "Caching").
** An entry is the gzip-compressed page, keyed by path and query, with the
** generations (forum/cachegen.h) of what the page shows. It is served only
** while every one of them is unchanged and it is younger than
** CACHE_MAX_AGE_S (relative times such as "5 分钟前" and view counts age).
** Hits cost no SQL. Memory is bounded (CACHE_MAX_BYTES over CACHE_SHARDS
** shards, each with its own lock and LRU list).
**
** The stored page is the page as rendered for the request that filled it,
** with its footer rewritten to "Gzip On, Cache On": the timer and the query
** count it shows are those of that render. Clients that do not accept gzip
** get it decompressed, with "Gzip Off".
**
** A thread page's view counter stays live: the page is compressed in two
** halves around the number (zlib, Z_FULL_FLUSH, so the second half does not
** refer back to the first), and each hit splices the current number in as a
** stored deflate block and computes the gzip trailer with crc32_combine.
*/
#ifndef LOULAN_CACHE_H
#define LOULAN_CACHE_H
#include "util/buf.h"
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CACHE_MAX_BYTES (64u << 20)    /* all entries of this node */
#define CACHE_SHARDS 16
#define CACHE_MAX_AGE_S 60
#define CACHE_MAX_DEPS 4
#define CACHE_MAX_KEY 4096             /* longer keys are not cached */

/* What a page depends on; filled by the handler (page_cache_* in page.h)
** BEFORE it reads, so that a write racing with the render leaves the entry
** with an old generation rather than new generations on old data. */
struct cache_dep { int kind; int64_t id; uint64_t gen; };
struct cache_deps {
	int ok;               /* the handler declared the page cacheable */
	int n;
	struct cache_dep d[CACHE_MAX_DEPS];
	int64_t view_tid;     /* a hit counts a view of this thread */
	/* A live view counter (page_views in page.h): the count the page shows
	** and where. Each hit on the entry shows one more, so a reader sees their
	** own view at once even on a cached page. views_at = offset + 1; 0: none. */
	int64_t views_shown;
	size_t views_at, views_len;
};
void cache_dep_add(struct cache_deps *c, int kind, int64_t id);  /* records the current generation */
/* 1 while every recorded generation is unchanged and the entry, made at born, is younger
   than CACHE_MAX_AGE_S (shared by the guest cache and the member fragment cache) */
int cache_deps_valid(const struct cache_deps *c, time_t born, time_t now);
uint64_t cache_key_hash(const char *k, size_t n);   /* FNV-1a over the key */

void cache_init(size_t max_bytes);     /* 0: CACHE_MAX_BYTES */
void cache_free(void);

/* Stores a rendered page (plain HTML whose footer says "Cache Off").
** 0 stored; -1 not (no footer, too big, not compressible). */
int cache_put(const char *key, size_t klen, const struct cache_deps *deps, const void *html, size_t n, time_t now);

/* Looks key up. On a valid hit, appends the page to out (gzip bytes when
** gzip is set, else plain HTML), sets *view_tid and returns 1; 0 on a miss.
** Invalid entries found on the way are dropped. */
/* For a gzip hit on a page without a live counter it instead sets *prepared
** (a response built once by the responder) and *ref, which the caller passes
** to cache_release once the response is queued. */
int cache_get(const char *key, size_t klen, int gzip, time_t now, buf *out, int64_t *view_tid, void **prepared,
              void **ref);
void cache_release(void *ref);
size_t cache_ref_len(const void *ref);   /* the body's length */
/* mk builds the prepared response of a gzip hit from the stored bytes (routes.c: headers of a hit) */
void cache_set_responder(void *(*mk)(const void *z, size_t n));

struct cache_stats { uint64_t hits, misses, stores, evictions, entries, bytes; };
void cache_stats(struct cache_stats *s);
#endif
