/*
** cache: this node's cache of finished pages (DESIGN.md, "Caching"). One
** module, one sharded LRU, one memory bound, one validity check; the guest
** page cache and the member page cache are two uses of it.
**
** A page comes from the template engine as text with holes (render/tpl.h):
** the positions of per-request values (the viewer's uid/name/CSRF token, the
** view count, the footer's clock/timer/queries/Gzip/Cache words). An entry
** holds the text between the holes as segments, each compressed once (raw
** deflate ending in Z_FULL_FLUSH: byte-aligned, no reference to earlier
** segments) with its CRC and length. Filling an entry (cache_fill) writes the
** stored segments with each hole's value between them as a stored deflate
** block, and the gzip trailer from crc32_combine_op with per-segment
** operators computed at store time: no template rendering, no compression of
** the page. The request that fills an entry is answered by the same fill
** (a miss compresses once).
**
** At store time a hole can be baked (its value written into the entry for
** good: a guest page keeps the timer and query count of the render that
** filled it), and given a value every gzip hit shows (hitvals): when every
** hole has one, the whole gzip response is built once (cache_set_responder).
**
** An entry is keyed by the use and the key (the request, and for members the
** viewer's group), remembers the generations (forum/cachegen.h) of what it
** shows, and is valid while every one is unchanged and it is younger than
** CACHE_MAX_AGE_S (relative times such as "5 分钟前" age). It also carries a
** tag (the caller's: the board whose permission a member hit checks), a live
** counter (each hit shows one more view) and the ids of viewers who must not
** share it (cache_touches). The module knows nothing of the forum's rules.
*/
#ifndef LOULAN_CACHE_H
#define LOULAN_CACHE_H
#include "render/tpl.h"
#include "util/buf.h"
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* All entries of this node, both uses (serve --cache-mb): the memory of each entry as malloc gave it
** (malloc_usable_size) plus its prepared response (body and CACHE_RESPONSE_OVERHEAD for the library's
** response and headers). The default leaves room in a 64 MB process for SQLite's page caches. */
#define CACHE_MAX_BYTES (32u << 20)
#define CACHE_MB_MAX 65536             /* --cache-mb up to this */
#define CACHE_RESPONSE_OVERHEAD 1024   /* a prepared MHD response without its body: struct, 8 headers */
#define CACHE_SHARDS 16
#define CACHE_MAX_AGE_S 60
#define CACHE_MAX_DEPS 6
#define CACHE_MAX_KEY 4096             /* longer keys are not cached */
#define CACHE_MAX_HOLES 64             /* more holes on a page: not cached */
#define CACHE_MAX_TOUCH 1024           /* more viewer exceptions on a page: not cached */
/* libdeflate level of stored pages (compressed once, on the miss, which is what a crawler costs).
** A guest thread miss cost 1.87M instructions at level 1, 2.30M at 3 and 2.47M at 6, for 3% more
** bytes than 3 and 6% more than 6; zlib's level 3 (before) cost 2.19M for 1.7% fewer bytes than
** libdeflate's 1 (bench/callgrind.sh, docs/PERFORMANCE.md "A miss with libdeflate"). */
#define CACHE_LEVEL 1
/* Segments shorter than this (the few words between two holes in a footer) are stored as they
** are: compressing them saved a few bytes for the cost of a block's codes, twice (made, walked). */
#define CACHE_STORE_BELOW 256

enum cache_use { CACHE_GUEST, CACHE_MEMBER, CACHE_USES };

/* What a page depends on; filled by the handler (page_cache_* in page.h)
** BEFORE it reads, so that a write racing with the render leaves the entry
** with an old generation rather than new generations on old data. */
struct cache_dep { int kind; int64_t id; uint64_t gen; };
struct cache_deps {
	int ok;               /* the handler declared the page cacheable */
	int n;
	struct cache_dep d[CACHE_MAX_DEPS];
	int64_t view_tid;     /* a hit counts a view of this thread */
	int64_t counts_tid;   /* a hit fills this thread's live reply and floor counts (cachegen_counts) */
};
void cache_dep_add(struct cache_deps *c, int kind, int64_t id);  /* records the current generation */
/* At the start of a request, before it reads anything: records the epoch's and the site's generations
** without declaring the page cacheable. The snapshots a render reads (settings, groups, moderators,
** permissions: forum/site.h) are published before the bump that announces them, so a page rendered
** from an older snapshot keeps the older generation and is never served as fresh. A dependency added
** again later keeps this first generation. */
void cache_deps_begin(struct cache_deps *c);
/* 1 while every recorded generation is unchanged and the entry, made at born, is younger than CACHE_MAX_AGE_S */
int cache_deps_valid(const struct cache_deps *c, time_t born, time_t now);
uint64_t cache_key_hash(const char *k, size_t n);   /* FNV-1a over the key */

void cache_init(size_t max_bytes);     /* 0: CACHE_MAX_BYTES */
size_t cache_budget(void);             /* the bound cache_init set */
void cache_free(void);
/* mk builds the prepared response of a gzip hit from the stored bytes (routes.c: headers of a hit) */
void cache_set_responder(void *(*mk)(const void *z, size_t n));

/* A rendered page, as page_render hands it over. */
struct cache_page {
	const char *html; size_t n;          /* the text, holes cut out */
	const tpl_holes *holes;
	const char *const *bake;             /* [TPL_MAX_HOLE_ID] or NULL: values written into the entry */
	const char *const *hitvals;          /* [TPL_MAX_HOLE_ID] or NULL: a hole's value on every gzip hit */
	int64_t tag;                         /* the caller's (a member hit checks this board's permission) */
	int64_t count;                       /* the live counter as rendered; each hit shows one more */
	const int64_t *touch; int ntouch;    /* viewers who must not share the entry */
};

typedef struct cache_entry cache_entry;
/* A new entry (not yet stored; the caller holds its one reference), or NULL
** when the page cannot be cached (not declared cacheable, too many holes or
** exceptions, key too long). */
cache_entry *cache_make(int use, const char *key, size_t klen, const struct cache_deps *deps,
                        const struct cache_page *pg, time_t now);
/* Stores e (the cache takes its own reference): 0, or -1 too big. */
int cache_put(cache_entry *e);
/* A valid entry with a reference for the caller, or NULL (a miss, counted). */
cache_entry *cache_get(int use, const char *key, size_t klen, time_t now);
void cache_release(void *e);           /* drops the caller's reference (void *: a response's done callback) */

int64_t cache_tag(const cache_entry *e);
int64_t cache_view_tid(const cache_entry *e);
int64_t cache_counts_tid(const cache_entry *e);
int cache_touches(const cache_entry *e, int64_t id);
int64_t cache_count_next(cache_entry *e);   /* the counter a hit shows: one more each call */
/* The prepared gzip response (all holes have hit values), or NULL; *n its body's length. */
void *cache_prepared(const cache_entry *e, size_t *n);
/* Appends the gzip stream of e with vals[id] in each hole (raw text, escaped as the template said). */
void cache_fill(const cache_entry *e, const char *const *vals, buf *out);
/* The same, decompressed (clients without gzip). */
void cache_fill_plain(const cache_entry *e, const char *const *vals, buf *out);

/* The query arguments that make a page's key, so that noise (a crawler's ?x=N) neither misses
** nor fills the cache with copies: per path shape (the path with each run of digits as '#', so
** /t/7 and /t/12 are one shape), the union of the arguments the handlers asked for (http_query)
** while rendering pages that were stored. A key is made of the shape's arguments only; a render
** that asks for one the key lacks adds it before storing, under the key with it. */
#define CACHE_MAX_SHAPES 512           /* more path shapes with stored pages: the rest not cached */
#define CACHE_SHAPE_ARGS 16            /* more argument names on one shape: not cached */
/* The shape's names (sorted, valid for the process's life) into names[CACHE_SHAPE_ARGS]; how many.
** *list identifies the list (the shape's slot and its count: names are only ever added), -1 none. */
int cache_args(const char *path, const char **names, int *list);
/* Adds the n names read to the shape's: 0, or -1 when over the limits above (do not store). */
int cache_args_learn(const char *path, const char *const *read, int n);

/* Single flight: concurrent misses of one key render once. The first caller of cache_flight_begin
** fills (returns 1; it must call cache_flight_end when its render is stored or abandoned); the others
** wait until then, at most CACHE_FLIGHT_WAIT_MS, and get 0: look again with cache_get (a fill made
** with generations older than a write is invalid there, so a writer's next request never waits its
** way into a stale page) and render themselves when there is still nothing. */
#define CACHE_FLIGHT_WAIT_MS 1000
#define CACHE_MAX_FLIGHTS 64            /* keys being filled per shard; more: no waiting */
int cache_flight_begin(int use, const char *key, size_t klen);
void cache_flight_end(int use, const char *key, size_t klen);

/* Counting what callers decide: a hit served, a viewer among the exceptions. */
enum cache_event { CACHE_EV_HIT, CACHE_EV_TOUCHED };
void cache_note(int use, int ev);

struct cache_stats {
	struct { uint64_t hits, misses, touched, stores; } use[CACHE_USES];
	uint64_t evictions, entries, bytes;
	uint64_t flight_waits;   /* misses that waited for another request's render of their key */
};
void cache_stats(struct cache_stats *s);
#endif
