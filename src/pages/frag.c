/*
** frag: the member thread page's fragment cache; see frag.h.
*/
#include "pages/frag.h"
#include "forum/cachegen.h"
#include "forum/forum.h"
#include "http/http.h"
#include "util/die.h"
#include <zlib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 256                 /* hash chains per shard */

struct seg { size_t zoff, zlen, len; uLong crc, op; };

struct frag {
	struct frag *hnext, *prev, *next;
	uint64_t hash;
	time_t born;
	struct cache_deps deps;          /* with the epoch */
	int64_t fid, views, hits;   /* views: the count the page showed; each hit shows one more */
	int nseg, ntouch;
	size_t klen, zlen, size;
	struct seg *segs;                /* nseg; marks[i] sits between segs[i] and segs[i + 1] */
	char *marks;
	int64_t *touch;                  /* sorted */
	char *key;
	unsigned char *z;
	unsigned char data[];
};

struct shard {
	pthread_mutex_t mu;
	struct frag *b[NBUCKETS];
	struct frag *head, *tail;
	size_t bytes, max;
};

static struct shard *g_sh;
static uint64_t g_hits, g_misses, g_touched, g_stores;

static void count(uint64_t *c) { __atomic_add_fetch(c, 1, __ATOMIC_RELAXED); }

void frag_init(size_t max_bytes) {
	if (g_sh) return;
	if (!max_bytes) max_bytes = FRAG_MAX_BYTES;
	g_sh = xcalloc(FRAG_SHARDS, sizeof *g_sh);
	for (int i = 0; i < FRAG_SHARDS; i++) {
		pthread_mutex_init(&g_sh[i].mu, NULL);
		g_sh[i].max = max_bytes / FRAG_SHARDS;
	}
}

static void unlink_lru(struct shard *s, struct frag *e) {
	if (e->prev) e->prev->next = e->next;
	else s->head = e->next;
	if (e->next) e->next->prev = e->prev;
	else s->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(struct shard *s, struct frag *e) {
	e->prev = NULL;
	e->next = s->head;
	if (s->head) s->head->prev = e;
	s->head = e;
	if (!s->tail) s->tail = e;
}

static void drop(struct shard *s, struct frag *e) {
	struct frag **pp = &s->b[(e->hash >> 8) % NBUCKETS];
	while (*pp != e) pp = &(*pp)->hnext;
	*pp = e->hnext;
	unlink_lru(s, e);
	s->bytes -= e->size;
	free(e);
}

void frag_free(void) {
	if (!g_sh) return;
	for (int i = 0; i < FRAG_SHARDS; i++) {
		struct shard *s = &g_sh[i];
		while (s->head) drop(s, s->head);
		pthread_mutex_destroy(&s->mu);
	}
	free(g_sh);
	g_sh = NULL;
}


static struct frag *find(struct shard *s, uint64_t h, const char *key, size_t klen) {
	for (struct frag *e = s->b[(h >> 8) % NBUCKETS]; e; e = e->hnext)
		if (e->hash == h && e->klen == klen && !memcmp(e->key, key, klen)) return e;
	return NULL;
}

static int valid(const struct frag *e, time_t now) { return cache_deps_valid(&e->deps, e->born, now); }

static int touches(const struct frag *e, int64_t uid) {
	int lo = 0, hi = e->ntouch;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (e->touch[mid] == uid) return 1;
		if (e->touch[mid] < uid) lo = mid + 1;
		else hi = mid;
	}
	return 0;
}

static int cmp64(const void *a, const void *b) {
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int known_mark(char c) {
	return c == FM_UID || c == FM_NAME || c == FM_CSRF || c == FM_VIEWS || c == FM_NOW || c == FM_ELAPSED ||
	       c == FM_QUERIES || c == FM_GZIP || c == FM_CACHE;
}

struct frag *frag_make(const char *key, size_t klen, const struct cache_deps *deps, int64_t fid, int64_t views,
                       const int64_t *touch, int ntouch, const char *html, size_t n, time_t now) {
	if (!g_sh || deps->ok != 1 || ntouch > FRAG_MAX_TOUCH || n > 0x7fffffff) return NULL;
	struct cache_deps dd = *deps;
	cache_dep_add(&dd, CACHEGEN_EPOCH, 0);
	if (dd.ok != 1) return NULL;
	/* cut at the marks */
	const size_t pl = sizeof FRAG_MARK_PREFIX - 1;
	size_t soff[FRAG_MAX_MARKS + 1], slen[FRAG_MAX_MARKS + 1];
	char marks[FRAG_MAX_MARKS];
	int nm = 0;
	size_t at = 0;
	for (;;) {
		const char *m = memmem(html + at, n - at, FRAG_MARK_PREFIX, pl);
		if (!m) break;
		size_t mo = (size_t)(m - html);
		if (nm == FRAG_MAX_MARKS || mo + pl + 4 > n || !known_mark(m[pl]) || memcmp(m + pl + 1, "-->", 3)) return NULL;
		soff[nm] = at;
		slen[nm] = mo - at;
		marks[nm++] = m[pl];
		at = mo + pl + 4;
	}
	soff[nm] = at;
	slen[nm] = n - at;
	int nseg = nm + 1;
	/* compress each segment, ending in a full flush */
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) die_oom();
	size_t cap = deflateBound(&zs, (uLong)n) + 16 * (size_t)nseg + 64;
	unsigned char *z = xmalloc(cap);
	struct seg segs[FRAG_MAX_MARKS + 1];
	size_t zo = 0;
	int ok = 1;
	for (int i = 0; i < nseg && ok; i++) {
		segs[i].zoff = zo;
		segs[i].len = slen[i];
		segs[i].crc = crc32(0, (const Bytef *)html + soff[i], (uInt)slen[i]);
		segs[i].op = crc32_combine_gen((z_off_t)slen[i]);
		zs.next_in = (Bytef *)html + soff[i];
		zs.avail_in = (uInt)slen[i];
		do {
			if (cap - zo < 64) {
				cap *= 2;
				unsigned char *nz = realloc(z, cap);
				if (!nz) die_oom();
				z = nz;
			}
			zs.next_out = z + zo;
			zs.avail_out = (uInt)(cap - zo);
			int rc = deflate(&zs, Z_FULL_FLUSH);
			zo = cap - zs.avail_out;
			if (rc != Z_OK && rc != Z_BUF_ERROR) ok = 0;
		} while (ok && (zs.avail_in || zs.avail_out == 0));
		segs[i].zlen = zo - segs[i].zoff;
	}
	deflateEnd(&zs);
	if (!ok) {
		free(z);
		return NULL;
	}
	size_t size = sizeof(struct frag) + sizeof(struct seg) * (size_t)nseg + (size_t)nm + 1 +
	              sizeof(int64_t) * (size_t)(ntouch + 1) + klen + zo + 16;
	struct frag *e = xmalloc(size);
	memset(e, 0, sizeof *e);
	unsigned char *d = e->data;
	e->segs = (struct seg *)d;
	d += sizeof(struct seg) * (size_t)nseg;
	e->touch = (int64_t *)(void *)(((uintptr_t)d + 7) & ~(uintptr_t)7);
	d = (unsigned char *)(e->touch + ntouch);
	e->marks = (char *)d;
	d += nm + 1;
	e->key = (char *)d;
	d += klen;
	e->z = d;
	memcpy(e->segs, segs, sizeof(struct seg) * (size_t)nseg);
	if (ntouch) memcpy(e->touch, touch, sizeof(int64_t) * (size_t)ntouch);
	qsort(e->touch, (size_t)ntouch, sizeof(int64_t), cmp64);
	memcpy(e->marks, marks, (size_t)nm);
	memcpy(e->key, key, klen);
	memcpy(e->z, z, zo);
	free(z);
	e->hash = cache_key_hash(key, klen);
	e->born = now;
	e->deps = dd;
	e->fid = fid;
	e->views = views;
	e->nseg = nseg;
	e->ntouch = ntouch;
	e->klen = klen;
	e->zlen = zo;
	e->size = size;
	return e;
}

void frag_discard(struct frag *e) { free(e); }

static void put_dec(char *b, size_t cap, int64_t v) { snprintf(b, cap, "%lld", (long long)v); }

/* the gzip stream of e with the marks' values; views is the count to show */
static void fill(const struct frag *e, const struct frag_vals *v, int64_t views, const char *cache, buf *out) {
	static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	char vnum[24], qnum[24], el[32];
	put_dec(vnum, sizeof vnum, views);
	put_dec(qnum, sizeof qnum, v->queries);
	snprintf(el, sizeof el, "%.6f", (double)(http_now_ns() - v->t0_ns) / 1e9);
	buf_reserve(out, e->zlen + 10 + 8 + 5 + (size_t)e->nseg * 5 + 512);
	buf_append(out, hdr, 10);
	uLong crc = 0;
	size_t isize = 0;
	for (int i = 0; i < e->nseg; i++) {
		const struct seg *s = &e->segs[i];
		buf_append(out, e->z + s->zoff, s->zlen);
		crc = crc32_combine_op(crc, s->crc, s->op);
		isize += s->len;
		if (i == e->nseg - 1) break;
		const char *val;
		switch (e->marks[i]) {
		case FM_UID: val = v->uid; break;
		case FM_NAME: val = v->name; break;
		case FM_CSRF: val = v->csrf; break;
		case FM_VIEWS: val = vnum; break;
		case FM_NOW: val = v->now; break;
		case FM_ELAPSED: val = el; break;
		case FM_QUERIES: val = qnum; break;
		case FM_GZIP: val = v->gzip; break;
		default: val = cache; break;
		}
		size_t vl = strlen(val);
		if (vl > 0xffff) vl = 0xffff;   /* no value comes near; a stored block's limit */
		if (!vl) continue;
		unsigned char st[5] = {0, (unsigned char)(vl & 0xff), (unsigned char)(vl >> 8), (unsigned char)(~vl & 0xff),
		                       (unsigned char)((~vl >> 8) & 0xff)};   /* a stored block, not the last */
		buf_append(out, st, 5);
		buf_append(out, val, vl);
		crc = crc32(crc, (const Bytef *)val, (uInt)vl);
		isize += vl;
	}
	static const unsigned char last[5] = {1, 0, 0, 0xff, 0xff};   /* an empty stored block, the last */
	buf_append(out, last, 5);
	unsigned char tr[8];
	for (int k = 0; k < 4; k++) {
		tr[k] = (unsigned char)(crc >> (8 * k));
		tr[4 + k] = (unsigned char)((uint32_t)isize >> (8 * k));
	}
	buf_append(out, tr, 8);
}

void frag_subst(const char *html, size_t n, const struct frag_vals *v, int64_t views, buf *out) {
	const size_t pl = sizeof FRAG_MARK_PREFIX - 1;
	char vnum[24], qnum[24], el[32];
	put_dec(vnum, sizeof vnum, views);
	put_dec(qnum, sizeof qnum, v->queries);
	snprintf(el, sizeof el, "%.6f", (double)(http_now_ns() - v->t0_ns) / 1e9);
	size_t at = 0;
	for (;;) {
		const char *m = memmem(html + at, n - at, FRAG_MARK_PREFIX, pl);
		size_t mo = m ? (size_t)(m - html) : n;
		buf_append(out, html + at, mo - at);
		if (!m || mo + pl + 4 > n || memcmp(m + pl + 1, "-->", 3)) {
			if (m) buf_append(out, m, n - mo);
			return;
		}
		switch (m[pl]) {
		case FM_UID: buf_puts(out, v->uid); break;
		case FM_NAME: buf_puts(out, v->name); break;
		case FM_CSRF: buf_puts(out, v->csrf); break;
		case FM_VIEWS: buf_puts(out, vnum); break;
		case FM_NOW: buf_puts(out, v->now); break;
		case FM_ELAPSED: buf_puts(out, el); break;
		case FM_QUERIES: buf_puts(out, qnum); break;
		case FM_GZIP: buf_puts(out, v->gzip); break;
		case FM_CACHE: buf_puts(out, "Off"); break;
		default: buf_append(out, m, pl + 4); break;
		}
		at = mo + pl + 4;
	}
}

void frag_fill(const struct frag *e, const struct frag_vals *v, buf *out) { fill(e, v, e->views, "Off", out); }

int frag_put(struct frag *e) {
	struct shard *s = &g_sh[e->hash % FRAG_SHARDS];
	if (e->size > s->max / 4) {
		free(e);
		return -1;
	}
	pthread_mutex_lock(&s->mu);
	struct frag *old = find(s, e->hash, e->key, e->klen);
	if (old) drop(s, old);
	while (s->tail && s->bytes + e->size > s->max) drop(s, s->tail);
	struct frag **bucket = &s->b[(e->hash >> 8) % NBUCKETS];
	e->hnext = *bucket;
	*bucket = e;
	push_front(s, e);
	s->bytes += e->size;
	pthread_mutex_unlock(&s->mu);
	count(&g_stores);
	return 0;
}

int frag_get(const char *key, size_t klen, int64_t uid, int64_t groupid, time_t now, const struct frag_vals *v,
             buf *out) {
	if (!g_sh) return 0;
	uint64_t h = cache_key_hash(key, klen);
	struct shard *s = &g_sh[h % FRAG_SHARDS];
	int rc = 0;
	pthread_mutex_lock(&s->mu);
	struct frag *e = find(s, h, key, klen);
	if (e && !valid(e, now)) {
		drop(s, e);
		e = NULL;
	}
	struct actor who = {uid, groupid, NULL};
	if (e && !forum_can_view(&who, e->fid, NULL)) e = NULL;   /* the full path refuses it */
	if (e && touches(e, uid)) {
		rc = -1;
	} else if (e) {
		unlink_lru(s, e);
		push_front(s, e);
		e->hits++;
		fill(e, v, e->views + e->hits, "On", out);
		rc = 1;
	}
	pthread_mutex_unlock(&s->mu);
	count(rc == 1 ? &g_hits : rc < 0 ? &g_touched : &g_misses);
	return rc;
}

void frag_stats(struct frag_stats *st) {
	st->hits = __atomic_load_n(&g_hits, __ATOMIC_RELAXED);
	st->misses = __atomic_load_n(&g_misses, __ATOMIC_RELAXED);
	st->touched = __atomic_load_n(&g_touched, __ATOMIC_RELAXED);
	st->stores = __atomic_load_n(&g_stores, __ATOMIC_RELAXED);
}
