/*
** cache: finished pages as compressed segments with holes; see cache.h.
*/
#include "cache/cache.h"
#include "cache/zseg.h"
#include "forum/cachegen.h"
#include "http/http.h"
#include "util/die.h"
#include <libdeflate.h>
#include <malloc.h>
#include <zlib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 1024                /* hash chains per shard */

struct seg { size_t zoff, zlen, len; uLong crc, op; };
/* between segs[i] and segs[i + 1]; a hole with a hit value (hit) has it stored inline in z
   right after segs[i], as a stored block at [dzoff, dzoff + dzlen), which fills with other values skip */
struct hole { int id, esc, hit; size_t dzoff, dzlen; };
/* Fills whose values are the hit values (a guest's gzip hit) go by runs: segments with the inline
   hit values between them, contiguous in z, one CRC each; a live hole (next) after each run. */
struct run { size_t zoff, zlen, len; uLong crc, op; int next; };

struct cache_entry {
	struct cache_entry *hnext;       /* hash chain */
	struct cache_entry *prev, *next; /* LRU list, most recent first */
	uint64_t hash;
	int use;
	time_t born;
	struct cache_deps deps;          /* with the epoch */
	int64_t tag, count, hits;
	int nseg, ntouch, nrun;
	int refs;                        /* the shard's + callers' (atomic); freed at 0 */
	size_t klen, zlen, size;         /* size: bytes charged to the shard */
	struct seg *segs;
	struct hole *holes;              /* nseg - 1 */
	struct run *runs;                /* nrun; 0 without hit values */
	int64_t *touch;                  /* sorted */
	char *key;
	unsigned char *z;
	void *resp;                      /* the prepared gzip response, or NULL */
	size_t resp_len;
	unsigned char data[];
};

struct flight { uint64_t hash; int use; size_t klen; char *key; };   /* a key being filled */

struct shard {
	pthread_mutex_t mu;
	pthread_cond_t landed;           /* a flight ended */
	struct flight fl[CACHE_MAX_FLIGHTS];
	int nfl;
	cache_entry *b[NBUCKETS];
	cache_entry *head, *tail;
	size_t bytes, max;
	uint64_t entries;
};

static struct shard *g_sh;
static void *(*g_responder)(const void *z, size_t n);
static struct {
	uint64_t hits, misses, touched, stores;
} g_count[CACHE_USES];
static uint64_t g_evictions, g_flight_waits;

static void count(uint64_t *c) { __atomic_add_fetch(c, 1, __ATOMIC_RELAXED); }

/* ---- dependencies ------------------------------------------------------- */

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

void cache_deps_begin(struct cache_deps *c) {
	int ok = c->ok;
	cache_dep_add(c, CACHEGEN_EPOCH, 0);
	cache_dep_add(c, CACHEGEN_SITE, 0);
	c->ok = ok;   /* recorded, not declared: a handler declares with page_cache_* */
}

int cache_deps_valid(const struct cache_deps *c, time_t born, time_t now) {
	if (now - born >= CACHE_MAX_AGE_S || now < born) return 0;
	for (int i = 0; i < c->n; i++)
		if (cachegen_get(c->d[i].kind, c->d[i].id) != c->d[i].gen) return 0;
	return 1;
}

uint64_t cache_key_hash(const char *k, size_t n) {
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

/* ---- the LRU -------------------------------------------------------------- */

static size_t g_budget;

size_t cache_budget(void) { return g_budget; }

void cache_init(size_t max_bytes) {
	if (g_sh) return;
	if (!max_bytes) max_bytes = CACHE_MAX_BYTES;
	g_budget = max_bytes;
	g_sh = xcalloc(CACHE_SHARDS, sizeof *g_sh);
	for (int i = 0; i < CACHE_SHARDS; i++) {
		pthread_mutex_init(&g_sh[i].mu, NULL);
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&g_sh[i].landed, &ca);
		pthread_condattr_destroy(&ca);
		g_sh[i].max = max_bytes / CACHE_SHARDS;
	}
}

void cache_set_responder(void *(*mk)(const void *z, size_t n)) { g_responder = mk; }

void cache_release(void *p) {
	cache_entry *e = p;
	if (!e || __atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL)) return;
	if (e->resp) http_prepared_free(e->resp);
	free(e);
}

static void unlink_lru(struct shard *s, cache_entry *e) {
	if (e->prev) e->prev->next = e->next;
	else s->head = e->next;
	if (e->next) e->next->prev = e->prev;
	else s->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(struct shard *s, cache_entry *e) {
	e->prev = NULL;
	e->next = s->head;
	if (s->head) s->head->prev = e;
	s->head = e;
	if (!s->tail) s->tail = e;
}

static void drop(struct shard *s, cache_entry *e) {
	cache_entry **pp = &s->b[(e->hash >> 8) % NBUCKETS];
	while (*pp != e) pp = &(*pp)->hnext;
	*pp = e->hnext;
	unlink_lru(s, e);
	s->bytes -= e->size;
	s->entries--;
	cache_release(e);   /* a caller still filling from it keeps it until then */
}

void cache_free(void) {
	if (!g_sh) return;
	for (int i = 0; i < CACHE_SHARDS; i++) {
		struct shard *s = &g_sh[i];
		while (s->head) drop(s, s->head);
		for (int k = 0; k < s->nfl; k++) free(s->fl[k].key);
		pthread_cond_destroy(&s->landed);
		pthread_mutex_destroy(&s->mu);
	}
	free(g_sh);
	g_sh = NULL;
}

static uint64_t key_hash(int use, const char *key, size_t klen) {
	return cache_key_hash(key, klen) ^ ((uint64_t)use * 0x9E3779B97F4A7C15ull);
}

static cache_entry *find(struct shard *s, uint64_t h, int use, const char *key, size_t klen) {
	for (cache_entry *e = s->b[(h >> 8) % NBUCKETS]; e; e = e->hnext)
		if (e->hash == h && e->use == use && e->klen == klen && !memcmp(e->key, key, klen)) return e;
	return NULL;
}

/* ---- making an entry ------------------------------------------------------ */

static int cmp64(const void *a, const void *b) {
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Per thread, made once: a libdeflate compressor (whole-buffer; each segment's stream is then made
   one that more blocks follow by zseg_end) */
static pthread_key_t g_zs_key;
static pthread_once_t g_zs_once = PTHREAD_ONCE_INIT;
static void zs_free(void *p) { libdeflate_free_compressor(p); }
static void zs_key_init(void) { pthread_key_create(&g_zs_key, zs_free); }

static struct libdeflate_compressor *compressor(void) {
	pthread_once(&g_zs_once, zs_key_init);
	struct libdeflate_compressor *c = pthread_getspecific(g_zs_key);
	if (c) return c;
	c = libdeflate_alloc_compressor(CACHE_LEVEL);
	if (!c) die_oom();
	pthread_setspecific(g_zs_key, c);
	return c;
}

/* raw deflate of each of the nseg pieces of text, each ending byte-aligned after an empty stored
   block (none of them the last) */
static unsigned char *compress_segs(const char *text, const size_t *soff, struct seg *segs, int nseg, size_t n,
                                    size_t *zn) {
	struct libdeflate_compressor *c = compressor();
	size_t cap = 0, zo = 0;
	for (int i = 0; i < nseg; i++) cap += libdeflate_deflate_compress_bound(c, segs[i].len) + 6;
	unsigned char *z = xmalloc(cap);
	(void)n;
	for (int i = 0; i < nseg; i++) {
		const char *in = text + soff[i];
		segs[i].zoff = zo;
		segs[i].crc = libdeflate_crc32(0, in, segs[i].len);
		segs[i].op = crc32_combine_gen((z_off_t)segs[i].len);
		size_t k = 0;
		if (segs[i].len && segs[i].len < CACHE_STORE_BELOW) {   /* as it is: one stored block, not the last */
			size_t l = segs[i].len;
			unsigned char *o = z + zo;
			o[0] = 0;
			o[1] = (unsigned char)(l & 0xff);
			o[2] = (unsigned char)(l >> 8);
			o[3] = (unsigned char)(~l & 0xff);
			o[4] = (unsigned char)((~l >> 8) & 0xff);
			memcpy(o + 5, in, l);
			k = l + 5;
		} else if (segs[i].len) {   /* an empty segment is no blocks at all */
			k = libdeflate_deflate_compress(c, in, segs[i].len, z + zo, cap - zo - 6);
			if (k) k = zseg_end(z + zo, k, segs[i].len);
			if (!k) {
				free(z);
				return NULL;
			}
		}
		zo += k;
		segs[i].zlen = k;
	}
	*zn = zo;
	return z;
}

static void stored(buf *out, const char *v, size_t n, uLong *crc, size_t *isize);

/* Lays out z with the hit values inline (see struct hole) and the runs; returns the new z. */
static void with_hits(const unsigned char *z, struct seg *segs, struct hole *holes, int nseg, const char *const *hitvals,
                      buf *z2, struct run *runs, int *nrun) {
	buf v;
	buf_init(&v, 0);
	for (int i = 0; i < nseg; i++) {
		size_t zo = z2->len;
		buf_append(z2, z + segs[i].zoff, segs[i].zlen);
		segs[i].zoff = zo;
		if (i == nseg - 1 || !hitvals[holes[i].id]) continue;
		buf_reset(&v);
		tpl_hole_value(&v, holes[i].esc, hitvals[holes[i].id]);
		holes[i].hit = 1;
		holes[i].dzoff = z2->len;
		uLong c = 0;
		size_t n = 0;
		stored(z2, v.data ? v.data : "", v.len, &c, &n);
		holes[i].dzlen = z2->len - holes[i].dzoff;
	}
	int nr = 0;
	struct run *r = &runs[0];
	*r = (struct run){segs[0].zoff, segs[0].zlen, segs[0].len, segs[0].crc, 0, -1};
	for (int i = 0; i < nseg - 1; i++) {
		const struct seg *nx = &segs[i + 1];
		if (holes[i].hit) {   /* the value (its bytes follow the stored block's 5-byte header) and the next segment join the run */
			const struct hole *h = &holes[i];
			for (size_t at = h->dzoff; at < h->dzoff + h->dzlen;) {
				size_t k = (size_t)(unsigned char)z2->data[at + 1] | (size_t)(unsigned char)z2->data[at + 2] << 8;
				r->crc = libdeflate_crc32((uint32_t)r->crc, z2->data + at + 5, k);
				r->len += k;
				at += 5 + k;
			}
			r->crc = crc32_combine(r->crc, nx->crc, (z_off_t)nx->len);
			r->len += nx->len;
			r->zlen = nx->zoff + nx->zlen - r->zoff;
		} else {
			r->next = i;
			r = &runs[++nr];
			*r = (struct run){nx->zoff, nx->zlen, nx->len, nx->crc, 0, -1};
		}
	}
	*nrun = nr + 1;
	for (int i = 0; i < *nrun; i++) runs[i].op = crc32_combine_gen((z_off_t)runs[i].len);
	buf_release(&v);
}

cache_entry *cache_make(int use, const char *key, size_t klen, const struct cache_deps *deps,
                        const struct cache_page *pg, time_t now) {
	if (!g_sh || use < 0 || use >= CACHE_USES || deps->ok != 1 || klen > CACHE_MAX_KEY || pg->ntouch < 0 ||
	    pg->ntouch > CACHE_MAX_TOUCH || pg->n > 0x7fffffff)
		return NULL;
	struct cache_deps dd = *deps;
	cache_dep_add(&dd, CACHEGEN_EPOCH, 0);   /* an entry always depends on the epoch too (page_init recorded it
	                                            first: cache_deps_begin; this adds it for other callers) */
	if (dd.ok != 1) return NULL;
	/* the text with the baked holes written in; the others cut it into segments */
	const tpl_holes *h = pg->holes;
	int nh = h ? h->n : 0, nlive = 0;
	for (int i = 0; i < nh; i++) nlive += !(pg->bake && pg->bake[h->h[i].id]);
	if (nlive > CACHE_MAX_HOLES) return NULL;
	buf text;
	buf_init(&text, 0);
	size_t soff[CACHE_MAX_HOLES + 1];
	struct seg segs[CACHE_MAX_HOLES + 1];
	struct hole holes[CACHE_MAX_HOLES];
	int ns = 0;
	size_t at = 0;
	soff[0] = 0;
	for (int i = 0; i < nh; i++) {
		const struct tpl_hole *x = &h->h[i];
		size_t off = x->off > pg->n ? pg->n : x->off;
		if (off < at) off = at;
		buf_append(&text, pg->html + at, off - at);
		at = off;
		const char *b = pg->bake ? pg->bake[x->id] : NULL;
		if (b) {
			tpl_hole_value(&text, x->esc, b);
			continue;
		}
		segs[ns].len = text.len - soff[ns];
		holes[ns] = (struct hole){x->id, x->esc, 0, 0, 0};
		soff[++ns] = text.len;
	}
	buf_append(&text, pg->html + at, pg->n - at);
	segs[ns].len = text.len - soff[ns];
	int nseg = ns + 1;
	if (text.err) {
		buf_release(&text);
		return NULL;
	}
	size_t zo = 0;
	unsigned char *z = compress_segs(text.data ? text.data : "", soff, segs, nseg, text.len, &zo);
	buf_release(&text);
	if (!z) return NULL;
	struct run runs[CACHE_MAX_HOLES + 1];
	int nrun = 0;
	int hits = 0;
	for (int i = 0; pg->hitvals && i < ns; i++) hits += pg->hitvals[holes[i].id] != NULL;
	if (hits) {
		buf z2;
		buf_init(&z2, 0);
		with_hits(z, segs, holes, nseg, pg->hitvals, &z2, runs, &nrun);
		free(z);
		if (z2.err) {
			buf_release(&z2);
			return NULL;
		}
		zo = z2.len;
		z = (unsigned char *)buf_detach(&z2, &zo);
	}
	size_t size = sizeof(cache_entry) + sizeof(struct seg) * (size_t)nseg + sizeof(struct hole) * (size_t)ns +
	              sizeof(struct run) * (size_t)nrun + sizeof(int64_t) * (size_t)(pg->ntouch + 1) + klen + zo + 16;
	cache_entry *e = xmalloc(size);
	memset(e, 0, sizeof *e);
	unsigned char *d = e->data;
	e->segs = (struct seg *)(void *)d;
	d += sizeof(struct seg) * (size_t)nseg;
	e->holes = (struct hole *)(void *)d;
	d += sizeof(struct hole) * (size_t)ns;
	e->runs = (struct run *)(void *)d;
	d += sizeof(struct run) * (size_t)nrun;
	e->touch = (int64_t *)(void *)(((uintptr_t)d + 7) & ~(uintptr_t)7);
	d = (unsigned char *)(e->touch + pg->ntouch);
	e->key = (char *)d;
	d += klen;
	e->z = d;
	memcpy(e->segs, segs, sizeof(struct seg) * (size_t)nseg);
	if (ns) memcpy(e->holes, holes, sizeof(struct hole) * (size_t)ns);
	if (nrun) memcpy(e->runs, runs, sizeof(struct run) * (size_t)nrun);
	e->nrun = nrun;
	if (pg->ntouch) memcpy(e->touch, pg->touch, sizeof(int64_t) * (size_t)pg->ntouch);
	qsort(e->touch, (size_t)pg->ntouch, sizeof(int64_t), cmp64);
	memcpy(e->key, key, klen);
	memcpy(e->z, z, zo);
	free(z);
	e->hash = key_hash(use, key, klen);
	e->use = use;
	e->born = now;
	e->deps = dd;
	e->tag = pg->tag;
	e->count = pg->count;
	e->nseg = nseg;
	e->ntouch = pg->ntouch;
	e->klen = klen;
	e->zlen = zo;
	e->size = malloc_usable_size(e);   /* what the entry really holds, not what was asked for */
	e->refs = 1;
	/* every gzip hit the same bytes: build the response once */
	int fixed = g_responder && pg->hitvals;
	for (int i = 0; fixed && i < ns; i++) fixed = pg->hitvals[e->holes[i].id] != NULL;
	if (fixed) {
		buf full;
		buf_init(&full, 0);
		cache_fill(e, pg->hitvals, &full);
		if (!full.err) {
			e->resp = g_responder(full.data, full.len);
			e->resp_len = full.len;
			e->size += full.len + CACHE_RESPONSE_OVERHEAD;
		}
		buf_release(&full);
	}
	return e;
}

int cache_put(cache_entry *e) {
	struct shard *s = &g_sh[e->hash % CACHE_SHARDS];
	if (e->size > s->max / 4) return -1;   /* one page may not take over a shard */
	__atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);   /* the shard's */
	pthread_mutex_lock(&s->mu);
	cache_entry *old = find(s, e->hash, e->use, e->key, e->klen);
	if (old) drop(s, old);
	while (s->tail && s->bytes + e->size > s->max) {
		drop(s, s->tail);
		count(&g_evictions);
	}
	cache_entry **bucket = &s->b[(e->hash >> 8) % NBUCKETS];
	e->hnext = *bucket;
	*bucket = e;
	push_front(s, e);
	s->bytes += e->size;
	s->entries++;
	pthread_mutex_unlock(&s->mu);
	count(&g_count[e->use].stores);
	return 0;
}

/* ---- single flight --------------------------------------------------------- */

static int flight_find(const struct shard *s, uint64_t h, int use, const char *key, size_t klen) {
	for (int i = 0; i < s->nfl; i++)
		if (s->fl[i].hash == h && s->fl[i].use == use && s->fl[i].klen == klen && !memcmp(s->fl[i].key, key, klen))
			return i;
	return -1;
}

int cache_flight_begin(int use, const char *key, size_t klen) {
	if (!g_sh || klen > CACHE_MAX_KEY) return 0;
	uint64_t h = key_hash(use, key, klen);
	struct shard *s = &g_sh[h % CACHE_SHARDS];
	pthread_mutex_lock(&s->mu);
	if (flight_find(s, h, use, key, klen) < 0) {
		int mine = s->nfl < CACHE_MAX_FLIGHTS;
		if (mine) {
			char *k = xmalloc(klen ? klen : 1);
			memcpy(k, key, klen);
			s->fl[s->nfl++] = (struct flight){h, use, klen, k};
		}
		pthread_mutex_unlock(&s->mu);
		return mine;
	}
	count(&g_flight_waits);
	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += CACHE_FLIGHT_WAIT_MS / 1000;
	dl.tv_nsec += (long)(CACHE_FLIGHT_WAIT_MS % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	while (flight_find(s, h, use, key, klen) >= 0)
		if (pthread_cond_timedwait(&s->landed, &s->mu, &dl)) break;   /* the filler is slow: render too */
	pthread_mutex_unlock(&s->mu);
	return 0;
}

void cache_flight_end(int use, const char *key, size_t klen) {
	if (!g_sh || klen > CACHE_MAX_KEY) return;
	uint64_t h = key_hash(use, key, klen);
	struct shard *s = &g_sh[h % CACHE_SHARDS];
	pthread_mutex_lock(&s->mu);
	int i = flight_find(s, h, use, key, klen);
	if (i >= 0) {
		free(s->fl[i].key);
		s->fl[i] = s->fl[--s->nfl];
		pthread_cond_broadcast(&s->landed);
	}
	pthread_mutex_unlock(&s->mu);
}

/* ---- hits --------------------------------------------------------------- */

cache_entry *cache_get(int use, const char *key, size_t klen, time_t now) {
	if (!g_sh || use < 0 || use >= CACHE_USES || klen > CACHE_MAX_KEY) return NULL;
	uint64_t h = key_hash(use, key, klen);
	struct shard *s = &g_sh[h % CACHE_SHARDS];
	pthread_mutex_lock(&s->mu);
	cache_entry *e = find(s, h, use, key, klen);
	if (e && !cache_deps_valid(&e->deps, e->born, now)) {
		drop(s, e);
		e = NULL;
	}
	if (e) {
		unlink_lru(s, e);
		push_front(s, e);
		__atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);   /* under the lock: drop cannot free it */
	}
	pthread_mutex_unlock(&s->mu);
	if (!e) count(&g_count[use].misses);
	return e;
}

int64_t cache_tag(const cache_entry *e) { return e->tag; }
int64_t cache_view_tid(const cache_entry *e) { return e->deps.view_tid; }
int64_t cache_counts_tid(const cache_entry *e) { return e->deps.counts_tid; }
int64_t cache_count_next(cache_entry *e) { return e->count + __atomic_add_fetch(&e->hits, 1, __ATOMIC_RELAXED); }

void *cache_prepared(const cache_entry *e, size_t *n) {
	*n = e->resp_len;
	return e->resp;
}

int cache_touches(const cache_entry *e, int64_t id) {
	int lo = 0, hi = e->ntouch;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (e->touch[mid] == id) return 1;
		if (e->touch[mid] < id) lo = mid + 1;
		else hi = mid;
	}
	return 0;
}

/* v as stored deflate blocks (none of them the last) */
static void stored(buf *out, const char *v, size_t n, uLong *crc, size_t *isize) {
	while (n) {
		size_t k = n > 0xffff ? 0xffff : n;
		unsigned char st[5] = {0, (unsigned char)(k & 0xff), (unsigned char)(k >> 8), (unsigned char)(~k & 0xff),
		                       (unsigned char)((~k >> 8) & 0xff)};
		buf_append(out, st, 5);
		buf_append(out, v, k);
		*crc = libdeflate_crc32((uint32_t)*crc, v, k);
		*isize += k;
		v += k;
		n -= k;
	}
}

/* 1 if the template would escape v (most values -- numbers, "On" -- go out as they are) */
static int escapes(const char *v, int esc) {
	for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
		if (esc == TPL_ESC_URL ? !((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		                            *c == '-' || *c == '_' || *c == '.' || *c == '~')
		                       : (*c == '&' || *c == '<' || *c == '>' || *c == '"' || *c == '\''))
			return 1;
	}
	return 0;
}

/* a hole's value as stored blocks */
static void value(buf *out, const struct hole *h, const char *val, buf *tmp, uLong *crc, size_t *isize) {
	if (!val || !*val) return;
	if (!escapes(val, h->esc)) {
		stored(out, val, strlen(val), crc, isize);
		return;
	}
	buf_reset(tmp);
	tpl_hole_value(tmp, h->esc, val);
	if (tmp->len) stored(out, tmp->data, tmp->len, crc, isize);
}

/* 1 if every hole with an inline hit value gets that value from vals */
static int hit_values(const cache_entry *e, const char *const *vals) {
	for (int i = 0; i < e->nseg - 1; i++) {
		const struct hole *h = &e->holes[i];
		if (!h->hit) continue;
		const char *v = vals ? vals[h->id] : NULL;
		if (!v) v = "";
		size_t n = strlen(v);
		if (escapes(v, h->esc)) return 0;   /* hit values are words such as "On" */
		if (n ? h->dzlen != n + 5 || memcmp(e->z + h->dzoff + 5, v, n) : h->dzlen != 0) return 0;
	}
	return 1;
}

/* the gzip stream; returns the plain length */
static size_t fill(const cache_entry *e, const char *const *vals, buf *out) {
	static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	buf_reserve(out, e->zlen + 10 + 8 + 5 + (size_t)e->nseg * 5 + 512);
	buf_append(out, hdr, 10);
	uLong crc = 0;
	size_t isize = 0;
	buf v;
	buf_init(&v, 0);
	if (e->nrun && hit_values(e, vals)) {
		for (int i = 0; i < e->nrun; i++) {
			const struct run *r = &e->runs[i];
			buf_append(out, e->z + r->zoff, r->zlen);
			crc = i ? crc32_combine_op(crc, r->crc, r->op) : r->crc;
			isize += r->len;
			if (r->next >= 0) value(out, &e->holes[r->next], vals ? vals[e->holes[r->next].id] : NULL, &v, &crc, &isize);
		}
	} else {
		for (int i = 0; i < e->nseg; i++) {
			const struct seg *s = &e->segs[i];
			buf_append(out, e->z + s->zoff, s->zlen);
			crc = i ? crc32_combine_op(crc, s->crc, s->op) : s->crc;
			isize += s->len;
			if (i < e->nseg - 1) value(out, &e->holes[i], vals ? vals[e->holes[i].id] : NULL, &v, &crc, &isize);
		}
	}
	buf_release(&v);
	static const unsigned char last[5] = {1, 0, 0, 0xff, 0xff};   /* an empty stored block, the last */
	buf_append(out, last, 5);
	unsigned char tr[8];
	for (int k = 0; k < 4; k++) {
		tr[k] = (unsigned char)(crc >> (8 * k));
		tr[4 + k] = (unsigned char)((uint32_t)isize >> (8 * k));
	}
	buf_append(out, tr, 8);
	return isize;
}

void cache_fill(const cache_entry *e, const char *const *vals, buf *out) { fill(e, vals, out); }

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

void cache_fill_plain(const cache_entry *e, const char *const *vals, buf *out) {
	buf z;
	buf_init(&z, 0);
	size_t plen = fill(e, vals, &z);
	buf_reserve(out, plen);
	if (z.err || out->err) {   /* over a buf's cap: the caller sees out->err */
		out->err = 1;
		buf_release(&z);
		return;
	}
	size_t got = 0;
	enum libdeflate_result rc = libdeflate_gzip_decompress(decompressor(), z.data, z.len, out->data + out->len, plen, &got);
	buf_release(&z);
	if (rc != LIBDEFLATE_SUCCESS || got != plen) die("page cache: stored page does not decompress");   /* a bug */
	out->len += got;
	out->data[out->len] = 0;
}

/* ---- the arguments of a path shape ----------------------------------------- */

struct shape {
	uint64_t h;
	char *s;
	int n;
	const char *names[CACHE_SHAPE_ARGS];
};
static struct shape g_shapes[CACHE_MAX_SHAPES];   /* open addressing by h; never removed */
static int g_nshapes;
static pthread_rwlock_t g_shapes_mu = PTHREAD_RWLOCK_INITIALIZER;

/* path with each run of digits as '#' into out[HTTP_MAX_URL + 1]; NULL when longer */
static const char *shape_of(const char *path, char *out, uint64_t *h) {
	size_t o = 0;
	for (const char *c = path; *c; c++) {
		int digit = *c >= '0' && *c <= '9';
		if (digit && o && out[o - 1] == '#') continue;
		if (o == HTTP_MAX_URL) return NULL;
		out[o++] = digit ? '#' : *c;
	}
	out[o] = 0;
	*h = cache_key_hash(out, o);
	return out;
}

/* the shape's slot (under the lock), or NULL; *free_slot the empty slot where it would go */
static struct shape *shape_find(const char *sh, uint64_t h, struct shape **free_slot) {
	for (unsigned i = 0; i < CACHE_MAX_SHAPES; i++) {
		struct shape *x = &g_shapes[(h + i) % CACHE_MAX_SHAPES];
		if (!x->s) {
			if (free_slot) *free_slot = x;
			return NULL;
		}
		if (x->h == h && !strcmp(x->s, sh)) return x;
	}
	if (free_slot) *free_slot = NULL;
	return NULL;
}

int cache_args(const char *path, const char **names, int *list) {
	char sb[HTTP_MAX_URL + 1];
	uint64_t h;
	*list = -1;
	const char *sh = shape_of(path, sb, &h);
	if (!sh) return 0;
	pthread_rwlock_rdlock(&g_shapes_mu);
	struct shape *x = shape_find(sh, h, NULL);
	int n = x ? x->n : 0;
	if (x) *list = (int)(x - g_shapes) * (CACHE_SHAPE_ARGS + 1) + n;
	if (n) memcpy(names, x->names, sizeof *names * (size_t)n);
	pthread_rwlock_unlock(&g_shapes_mu);
	return n;
}

int cache_args_learn(const char *path, const char *const *read, int n) {
	char sb[HTTP_MAX_URL + 1];
	uint64_t h;
	const char *sh = shape_of(path, sb, &h);
	if (!sh) return -1;
	int rc = 0;
	pthread_rwlock_wrlock(&g_shapes_mu);
	struct shape *slot = NULL, *x = shape_find(sh, h, &slot);
	if (!x && slot && g_nshapes < CACHE_MAX_SHAPES * 3 / 4) {   /* keep probes short */
		x = slot;
		x->h = h;
		x->s = xstrdup(sh);
		g_nshapes++;
	}
	if (!x) rc = -1;
	for (int i = 0; x && i < n && !rc; i++) {
		int at = 0;
		while (at < x->n && strcmp(x->names[at], read[i]) < 0) at++;
		if (at < x->n && !strcmp(x->names[at], read[i])) continue;
		if (x->n == CACHE_SHAPE_ARGS) {
			rc = -1;
			break;
		}
		memmove(&x->names[at + 1], &x->names[at], sizeof x->names[0] * (size_t)(x->n - at));
		x->names[at] = xstrdup(read[i]);
		x->n++;
	}
	pthread_rwlock_unlock(&g_shapes_mu);
	return rc;
}

/* ---- counting ------------------------------------------------------------ */

void cache_note(int use, int ev) {
	if (use < 0 || use >= CACHE_USES) return;
	count(ev == CACHE_EV_HIT ? &g_count[use].hits : &g_count[use].touched);
}

void cache_stats(struct cache_stats *st) {
	memset(st, 0, sizeof *st);
	for (int u = 0; u < CACHE_USES; u++) {
		st->use[u].hits = __atomic_load_n(&g_count[u].hits, __ATOMIC_RELAXED);
		st->use[u].misses = __atomic_load_n(&g_count[u].misses, __ATOMIC_RELAXED);
		st->use[u].touched = __atomic_load_n(&g_count[u].touched, __ATOMIC_RELAXED);
		st->use[u].stores = __atomic_load_n(&g_count[u].stores, __ATOMIC_RELAXED);
	}
	st->evictions = __atomic_load_n(&g_evictions, __ATOMIC_RELAXED);
	st->flight_waits = __atomic_load_n(&g_flight_waits, __ATOMIC_RELAXED);
	if (!g_sh) return;
	for (int i = 0; i < CACHE_SHARDS; i++) {
		pthread_mutex_lock(&g_sh[i].mu);
		st->entries += g_sh[i].entries;
		st->bytes += g_sh[i].bytes;
		pthread_mutex_unlock(&g_sh[i].mu);
	}
}
