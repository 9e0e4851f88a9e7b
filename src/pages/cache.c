/*
** cache: the guest page cache; see cache.h.
*/
#include "pages/cache.h"
#include "forum/cachegen.h"
#include "http/http.h"
#include "util/die.h"
#include <libdeflate.h>
#include <zlib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 1024                /* hash chains per shard */

static const char FOOT_ON[] = "Gzip On, Cache On";
static const char *const FOOT_FILL[] = {"Gzip On, Cache Off", "Gzip Off, Cache Off"};
static const char FOOT_PLAIN[] = "Gzip Off, Cache On";

struct entry {
	struct entry *hnext;             /* hash chain */
	struct entry *prev, *next;       /* LRU list, most recent first */
	uint64_t hash;
	time_t born;
	size_t klen, zlen, plen, foot;   /* foot: offset of FOOT_ON in the plain page */
	struct cache_deps deps;
	/* live view counter: data holds gzip header + part 1 (alen bytes), then part 2 */
	int live;
	size_t alen, len1, len2, foot2; /* plain lengths; foot2: FOOT_ON's offset in part 2 */
	uLong crc1, crc2, op2;          /* op2: crc32_combine_gen(len2) */
	int64_t hits;
	int refs;                        /* the shard's + hits in flight (atomic); freed at 0 */
	void *resp;                      /* gzip hits of a page without a counter: a prepared response */
	size_t size;                     /* bytes charged to the shard */
	unsigned char data[];            /* key, then the gzip bytes */
};

struct shard {
	pthread_mutex_t mu;
	struct entry *b[NBUCKETS];
	struct entry *head, *tail;
	size_t bytes, max;
	uint64_t entries;
};

static struct shard *g_sh;
static void *(*g_responder)(const void *z, size_t n);
static uLong g_op_num[21];           /* crc32_combine_gen(n) for the spliced number's length */
static uint64_t g_hits, g_misses, g_stores, g_evictions;

static void count(uint64_t *c) { __atomic_add_fetch(c, 1, __ATOMIC_RELAXED); }

void cache_dep_add(struct cache_deps *c, int kind, int64_t id) {
	if (c->ok < 0) return;
	c->ok = 1;
	for (int i = 0; i < c->n; i++)
		if (c->d[i].kind == kind && c->d[i].id == id) return;
	if (c->n == CACHE_MAX_DEPS) {
		c->ok = -1;   /* more than we can remember: never cache this page */
		return;
	}
	c->d[c->n++] = (struct cache_dep){kind, id, cachegen_get(kind, id)};
}

void cache_init(size_t max_bytes) {
	if (g_sh) return;
	if (!max_bytes) max_bytes = CACHE_MAX_BYTES;
	g_sh = xcalloc(CACHE_SHARDS, sizeof *g_sh);
	for (int i = 1; i <= 20; i++) g_op_num[i] = crc32_combine_gen((z_off_t)i);
	for (int i = 0; i < CACHE_SHARDS; i++) {
		pthread_mutex_init(&g_sh[i].mu, NULL);
		g_sh[i].max = max_bytes / CACHE_SHARDS;
	}
}

static size_t esize(const struct entry *e) { return e->size; }

void cache_set_responder(void *(*mk)(const void *z, size_t n)) { g_responder = mk; }

static void unref(struct entry *e) {
	if (__atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL)) return;
	if (e->resp) http_prepared_free(e->resp);
	free(e);
}

void cache_release(void *ref) { unref(ref); }
size_t cache_ref_len(const void *ref) { return ((const struct entry *)ref)->zlen; }

static void unlink_lru(struct shard *s, struct entry *e) {
	if (e->prev) e->prev->next = e->next;
	else s->head = e->next;
	if (e->next) e->next->prev = e->prev;
	else s->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(struct shard *s, struct entry *e) {
	e->prev = NULL;
	e->next = s->head;
	if (s->head) s->head->prev = e;
	s->head = e;
	if (!s->tail) s->tail = e;
}

static void drop(struct shard *s, struct entry *e) {
	struct entry **pp = &s->b[(e->hash >> 8) % NBUCKETS];
	while (*pp != e) pp = &(*pp)->hnext;
	*pp = e->hnext;
	unlink_lru(s, e);
	s->bytes -= esize(e);
	s->entries--;
	unref(e);   /* a hit still sending it keeps it until then */
}

void cache_free(void) {
	if (!g_sh) return;
	for (int i = 0; i < CACHE_SHARDS; i++) {
		struct shard *s = &g_sh[i];
		while (s->head) drop(s, s->head);
		pthread_mutex_destroy(&s->mu);
	}
	free(g_sh);
	g_sh = NULL;
}

uint64_t cache_key_hash(const char *k, size_t n) {
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static struct entry *find(struct shard *s, uint64_t h, const char *key, size_t klen) {
	for (struct entry *e = s->b[(h >> 8) % NBUCKETS]; e; e = e->hnext)
		if (e->hash == h && e->klen == klen && !memcmp(e->data, key, klen)) return e;
	return NULL;
}

int cache_deps_valid(const struct cache_deps *c, time_t born, time_t now) {
	if (now - born >= CACHE_MAX_AGE_S || now < born) return 0;
	for (int i = 0; i < c->n; i++)
		if (cachegen_get(c->d[i].kind, c->d[i].id) != c->d[i].gen) return 0;
	return 1;
}

static int valid(const struct entry *e, time_t now) { return cache_deps_valid(&e->deps, e->born, now); }

/* last occurrence of needle in hay */
static const char *memrmem(const char *hay, size_t n, const char *needle, size_t m) {
	const char *last = NULL, *p = hay;
	while (n >= m) {
		const char *q = memmem(p, n, needle, m);
		if (!q) break;
		last = q;
		n -= (size_t)(q + 1 - p);
		p = q + 1;
	}
	return last;
}

/* gzip header + raw deflate of plain[0, vo) ending in a full flush, then of
** plain[vo + vl, n) to the end: the number at [vo, vo + vl) is left out. */
static void *split_gzip(const char *plain, size_t n, size_t vo, size_t vl, size_t *zn, struct entry *e) {
	static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) die_oom();
	size_t cap = 10 + deflateBound(&zs, (uLong)n) + 64;
	unsigned char *out = xmalloc(cap);
	memcpy(out, hdr, 10);
	zs.next_in = (Bytef *)plain;
	zs.avail_in = (uInt)vo;
	zs.next_out = out + 10;
	zs.avail_out = (uInt)(cap - 10);
	int rc = deflate(&zs, Z_FULL_FLUSH);
	e->alen = cap - zs.avail_out;
	if (rc == Z_OK && zs.avail_in == 0) {
		zs.next_in = (Bytef *)plain + vo + vl;
		zs.avail_in = (uInt)(n - vo - vl);
		rc = deflate(&zs, Z_FINISH);
	}
	*zn = cap - zs.avail_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	e->live = 1;
	e->len1 = vo;
	e->len2 = n - vo - vl;
	e->crc1 = crc32(0, (const Bytef *)plain, (uInt)vo);
	e->crc2 = crc32(0, (const Bytef *)plain + vo + vl, (uInt)e->len2);
	e->op2 = crc32_combine_gen((z_off_t)e->len2);
	return out;
}

/* A live entry as a gzip stream with the view count n spliced in; sets the
** plain length and the footer's offset. Called under the shard's lock. */
static void live_gzip(const struct entry *e, int64_t n, buf *out, size_t *plen, size_t *foot) {
	char d[24];
	int i = (int)sizeof d;
	uint64_t v = n < 0 ? 0 : (uint64_t)n;
	do d[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 4);
	const char *num = d + i;
	int dl = (int)sizeof d - i;
	const unsigned char *z = e->data + e->klen;
	unsigned char st[5] = {0, (unsigned char)(dl & 0xff), (unsigned char)(dl >> 8), (unsigned char)(~dl & 0xff),
	                       (unsigned char)((~dl >> 8) & 0xff)};   /* a stored block, not the last */
	uLong crc = crc32_combine_op(crc32_combine_op(e->crc1, crc32(0, (const Bytef *)num, (uInt)dl), g_op_num[dl]),
	                             e->crc2, e->op2);
	uint32_t isize = (uint32_t)(e->len1 + (size_t)dl + e->len2);
	unsigned char tr[8];
	for (int k = 0; k < 4; k++) {
		tr[k] = (unsigned char)(crc >> (8 * k));
		tr[4 + k] = (unsigned char)(isize >> (8 * k));
	}
	/* one allocation: reserve the whole response, then fill it */
	size_t total = e->zlen + 5 + (size_t)dl + 8;
	buf_reserve(out, total);
	buf_append(out, z, e->alen);
	buf_append(out, st, 5);
	buf_append(out, num, (size_t)dl);
	buf_append(out, z + e->alen, e->zlen - e->alen);
	buf_append(out, tr, 8);
	*plen = e->len1 + (size_t)dl + e->len2;
	*foot = e->len1 + (size_t)dl + e->foot2;
}

int cache_put(const char *key, size_t klen, const struct cache_deps *deps, const void *html, size_t n, time_t now) {
	if (!g_sh || deps->ok != 1 || klen > CACHE_MAX_KEY) return -1;
	/* the entry always depends on the epoch too */
	struct cache_deps dd = *deps;
	cache_dep_add(&dd, CACHEGEN_EPOCH, 0);
	if (dd.ok != 1) return -1;
	const char *foot = NULL;
	size_t footlen = 0;
	for (int i = 0; i < 2; i++) {   /* the footer is the last of either */
		const char *f = memrmem(html, n, FOOT_FILL[i], strlen(FOOT_FILL[i]));
		if (f && f > foot) {
			foot = f;
			footlen = strlen(FOOT_FILL[i]);
		}
	}
	if (!foot) return -1;
	size_t off = (size_t)(foot - (const char *)html);
	buf plain;
	buf_init(&plain, 0);
	buf_append(&plain, html, off);
	buf_puts(&plain, FOOT_ON);
	buf_append(&plain, foot + footlen, n - off - footlen);
	size_t zn = 0, plen = plain.len;
	void *z = NULL;
	struct entry live = {0};
	size_t vo = dd.views_at ? dd.views_at - 1 : 0, vl = dd.views_len;
	if (!plain.err && dd.views_at && vl && vl <= 20 && vo + vl <= off) {
		z = split_gzip(plain.data, plain.len, vo, vl, &zn, &live);
		live.foot2 = off - (vo + vl);
	} else if (!plain.err) {
		z = http_gzip(plain.data, plain.len, 6, &zn);
	}
	buf_release(&plain);
	if (!z) return -1;
	struct entry *e = xmalloc(sizeof *e + klen + zn);
	memset(e, 0, sizeof *e);
	if (live.live) {
		e->live = 1;
		e->alen = live.alen;
		e->len1 = live.len1;
		e->len2 = live.len2;
		e->foot2 = live.foot2;
		e->crc1 = live.crc1;
		e->crc2 = live.crc2;
		e->op2 = live.op2;
	}
	e->hash = cache_key_hash(key, klen);
	e->born = now;
	e->klen = klen;
	e->zlen = zn;
	e->plen = plen;
	e->foot = off;
	e->deps = dd;
	memcpy(e->data, key, klen);
	memcpy(e->data + klen, z, zn);
	free(z);
	e->refs = 1;
	e->size = sizeof *e + klen + zn;
	struct shard *s = &g_sh[e->hash % CACHE_SHARDS];
	if (esize(e) > s->max / 4) {   /* one page may not take over a shard */
		free(e);
		return -1;
	}
	if (!e->live && g_responder) {
		/* every gzip hit sends the same bytes and headers: build the response once */
		e->resp = g_responder(e->data + klen, zn);
		e->size += zn;
	}
	pthread_mutex_lock(&s->mu);
	struct entry *old = find(s, e->hash, key, klen);
	if (old) drop(s, old);
	while (s->tail && s->bytes + esize(e) > s->max) {
		drop(s, s->tail);
		count(&g_evictions);
	}
	struct entry **bucket = &s->b[(e->hash >> 8) % NBUCKETS];
	e->hnext = *bucket;
	*bucket = e;
	push_front(s, e);
	s->bytes += esize(e);
	s->entries++;
	pthread_mutex_unlock(&s->mu);
	count(&g_stores);
	return 0;
}

static pthread_key_t g_dz_key;
static pthread_once_t g_dz_once = PTHREAD_ONCE_INIT;
static void dz_free(void *p) { libdeflate_free_decompressor(p); }
static void dz_key_init(void) { pthread_key_create(&g_dz_key, dz_free); }

static struct libdeflate_decompressor *decompressor(void) {
	pthread_once(&g_dz_once, dz_key_init);
	struct libdeflate_decompressor *d = pthread_getspecific(g_dz_key);
	if (!d) {
		d = libdeflate_alloc_decompressor();
		if (!d) die_oom();
		pthread_setspecific(g_dz_key, d);
	}
	return d;
}

int cache_get(const char *key, size_t klen, int gzip, time_t now, buf *out, int64_t *view_tid, void **prepared,
              void **ref) {
	if (!g_sh || klen > CACHE_MAX_KEY) return 0;
	uint64_t h = cache_key_hash(key, klen);
	struct shard *s = &g_sh[h % CACHE_SHARDS];
	void *z = NULL;
	size_t zn = 0, plen = 0, foot = 0;
	pthread_mutex_lock(&s->mu);
	struct entry *e = find(s, h, key, klen);
	if (e && !valid(e, now)) {
		drop(s, e);
		e = NULL;
	}
	if (e) {
		unlink_lru(s, e);
		push_front(s, e);
		*view_tid = e->deps.view_tid;
		if (e->live) {
			e->hits++;
			int64_t n = e->deps.views_shown + e->hits;
			if (gzip) {
				live_gzip(e, n, out, &plen, &foot);
			} else {
				buf tmp;
				buf_init(&tmp, 0);
				live_gzip(e, n, &tmp, &plen, &foot);
				zn = tmp.len;
				z = buf_detach(&tmp, &zn);
			}
		} else if (gzip && e->resp && prepared) {
			__atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);   /* under the lock: drop cannot free it */
			*prepared = e->resp;
			*ref = e;
		} else if (gzip) {
			buf_append(out, e->data + e->klen, e->zlen);
		} else {
			zn = e->zlen;
			plen = e->plen;
			foot = e->foot;
			z = xmalloc(zn);
			memcpy(z, e->data + e->klen, zn);
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (!e) {
		count(&g_misses);
		return 0;
	}
	count(&g_hits);
	if (gzip) return 1;
	char *plain = xmalloc(plen ? plen : 1);
	size_t got = 0;
	enum libdeflate_result rc = libdeflate_gzip_decompress(decompressor(), z, zn, plain, plen, &got);
	free(z);
	if (rc != LIBDEFLATE_SUCCESS || got != plen || foot + strlen(FOOT_ON) > plen) {
		/* a bug: entries are only made from pages this code compressed */
		die("page cache: stored page does not decompress");
	}
	buf_append(out, plain, foot);
	buf_puts(out, FOOT_PLAIN);
	buf_append(out, plain + foot + strlen(FOOT_ON), plen - foot - strlen(FOOT_ON));
	free(plain);
	return 1;
}

void cache_stats(struct cache_stats *st) {
	memset(st, 0, sizeof *st);
	st->hits = __atomic_load_n(&g_hits, __ATOMIC_RELAXED);
	st->misses = __atomic_load_n(&g_misses, __ATOMIC_RELAXED);
	st->stores = __atomic_load_n(&g_stores, __ATOMIC_RELAXED);
	st->evictions = __atomic_load_n(&g_evictions, __ATOMIC_RELAXED);
	if (!g_sh) return;
	for (int i = 0; i < CACHE_SHARDS; i++) {
		pthread_mutex_lock(&g_sh[i].mu);
		st->entries += g_sh[i].entries;
		st->bytes += g_sh[i].bytes;
		pthread_mutex_unlock(&g_sh[i].mu);
	}
}
