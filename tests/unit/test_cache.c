/*
** test_cache: generations (forum/cachegen) and the page cache (cache/): a
** page rendered with holes (render/tpl.h), stored as compressed segments and
** filled per request must decompress (libdeflate checks the gzip CRC and
** length) to exactly what the template renders with the values in place,
** wherever the holes are (first, adjacent, last, in a URL, empty values);
** baked holes, the live counter, prepared responses, viewer exceptions,
** generation mismatches, bumps deferred to COMMIT, age, eviction under a
** memory bound, payloads from other nodes, and threads.
*/
#include "db/db.h"
#include "forum/cachegen.h"
#include "cache/cache.h"
#include "http/http.h"
#include "util/buf.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const time_t T0 = 1700000000;

enum { H_NAME, H_VIEWS, H_GZIP, H_CACHE, H_NOW, H_EMPTY };
static const char *const VALS[TPL_MAX_HOLE_ID] = {"<bob> & \"co\"", "99", "On", "Off", "2026-11-27 05:50", ""};

/* a rendered page: its text with holes, in its own arena */
struct pg {
	arena a;
	buf html;
	tpl_holes h;
};

/* the data of every test page: name/views/gzip/cache/now/empty as holes (holes = 1) or as the values of VALS */
static tv *data(arena *a, int holes, const char *const *vals) {
	static const char *const keys[] = {"name", "views", "gzip", "cache", "now", "empty"};
	tv *m = tv_map(a);
	for (int i = 0; i < 6; i++) {
		if (holes) tv_hole(a, m, keys[i], i);
		else tv_str(a, m, keys[i], vals[i]);
	}
	tv_str(a, m, "x", "<x>");
	return m;
}

static void render(struct pg *p, const char *src, int holes, const char *const *vals) {
	char err[256];
	tpl *t = tpl_compile("t", src, strlen(src), err, sizeof err);
	assert_non_null(t);
	arena_init(&p->a);
	buf_init(&p->html, 0);
	p->h = (tpl_holes){.a = &p->a};
	assert_int_equal(tpl_render_t_holes(&p->html, t, data(&p->a, holes, vals), &p->h), 0);
	tpl_free(t);
}

static void pg_free(struct pg *p) {
	buf_release(&p->html);
	arena_free(&p->a);
}

/* what the template renders with vals as plain strings */
static void expect(const char *src, const char *const *vals, buf *out) {
	struct pg p;
	render(&p, src, 0, vals);
	assert_int_equal(p.h.n, 0);
	buf_reset(out);
	buf_append(out, p.html.data, p.html.len);
	pg_free(&p);
}

static char *gunzip(const buf *z, size_t *n) {
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t cap = 4 << 20;
	char *out = malloc(cap);
	assert_int_equal(libdeflate_gzip_decompress(d, z->data, z->len, out, cap, n), LIBDEFLATE_SUCCESS);
	libdeflate_free_decompressor(d);
	return out;
}

static struct cache_deps thread_deps(int64_t tid) {
	struct cache_deps d = {0};
	cache_dep_add(&d, CACHEGEN_SITE, 0);
	cache_dep_add(&d, CACHEGEN_THREAD, tid);
	d.view_tid = tid;
	return d;
}

static cache_entry *make(int use, const char *key, const struct pg *p, const struct cache_deps *d, time_t now) {
	struct cache_page cp = {p->html.data ? p->html.data : "", p->html.len, &p->h, NULL, NULL, 1, 98, NULL, 0};
	return cache_make(use, key, strlen(key), d, &cp, now);
}

static int setup(void **state) {
	cache_init(0);
	return 0;
}
static int teardown(void **state) {
	cache_free();
	return 0;
}

/* fill == gunzip(fill) == fill_plain == tpl_fill == the template rendered with the values */
static void roundtrip_with(const char *src, const char *const *hitv);
static void roundtrip(const char *src) {
	roundtrip_with(src, NULL);
	/* with hit values equal to VALS': filled by runs */
	const char *hitv[TPL_MAX_HOLE_ID] = {[H_GZIP] = "On", [H_CACHE] = "Off", [H_EMPTY] = ""};
	roundtrip_with(src, hitv);
}
static void roundtrip_with(const char *src, const char *const *hitv) {
	struct pg p;
	render(&p, src, 1, NULL);
	struct cache_deps d = thread_deps(1);
	struct cache_page cp = {p.html.data ? p.html.data : "", p.html.len, &p.h, NULL, hitv, 1, 98, NULL, 0};
	cache_entry *e = cache_make(CACHE_MEMBER, "k", 1, &d, &cp, T0);
	assert_non_null(e);
	buf want, z, plain, filled;
	buf_init(&want, 0);
	buf_init(&z, 0);
	buf_init(&plain, 0);
	buf_init(&filled, 0);
	expect(src, VALS, &want);
	cache_fill(e, VALS, &z);
	size_t n;
	char *got = gunzip(&z, &n);
	assert_int_equal(n, want.len);
	assert_memory_equal(got, want.data, n);
	cache_fill_plain(e, VALS, &plain);
	assert_int_equal(plain.len, want.len);
	assert_memory_equal(plain.data, want.data, n);
	tpl_fill(&filled, p.html.data ? p.html.data : "", p.html.len, &p.h, VALS);
	assert_int_equal(filled.len, want.len);
	assert_memory_equal(filled.data, want.data, n);
	free(got);
	buf_release(&want);
	buf_release(&z);
	buf_release(&plain);
	buf_release(&filled);
	cache_release(e);
	pg_free(&p);
}

static void test_segments(void **state) {
	roundtrip("no holes at all {{x}}");
	roundtrip("");
	roundtrip("{{name}}");
	roundtrip("{{name}}{{views}}{{empty}}{{gzip}}middle{{cache}}");
	roundtrip("<p>head {{name}} (<a href=\"/s?q={{name|url}}\">) {{x}}</p>{{empty}} views {{views}} at {{now}} "
	          "queries, Gzip {{gzip}}, Cache {{cache}}.</p>");
	buf big;
	buf_init(&big, 0);
	for (int i = 0; i < 3000; i++) buf_appendf(&big, "<li>floor %d, 楼层 %d</li>", i, i * 7);
	buf_puts(&big, "{{name}}");
	for (int i = 0; i < 3000; i++) buf_appendf(&big, "<li>more %d</li>", i);
	roundtrip(buf_cstr(&big));
	buf_release(&big);
	/* a value longer than one stored block */
	char *longv = malloc(200000);
	memset(longv, 'a', 199999);
	longv[199999] = 0;
	const char *vals[TPL_MAX_HOLE_ID] = {longv};
	struct pg p;
	render(&p, "<b>{{name}}</b>", 1, NULL);
	struct cache_deps d = thread_deps(1);
	cache_entry *e = make(CACHE_MEMBER, "k", &p, &d, T0);
	buf z;
	buf_init(&z, 0);
	cache_fill(e, vals, &z);
	size_t n;
	char *got = gunzip(&z, &n);
	assert_int_equal(n, 199999 + 7);
	free(got);
	free(longv);
	buf_release(&z);
	cache_release(e);
	/* too many holes: not an entry */
	buf many;
	buf_init(&many, 0);
	for (int i = 0; i <= CACHE_MAX_HOLES; i++) buf_puts(&many, "a{{name}}");
	pg_free(&p);
	render(&p, buf_cstr(&many), 1, NULL);
	d = thread_deps(1);
	assert_null(make(CACHE_MEMBER, "k", &p, &d, T0));
	pg_free(&p);
	buf_release(&many);
}

/* Issue 16: each segment is one libdeflate stream whose last block is made not-last and which is
** ended byte-aligned (cache.c end_segment); wherever the stream's data ends in its last byte (0..7
** unused bits), however many blocks it has (text whose statistics change splits into several), segments of 1 byte, long runs, text that does not compress. */
static void test_miss_segment_ends(void **state) {
	static const char *const pieces[] = {"<li>", "楼层", "回复", "&amp;", "</li>\n", "a", "zz", "0123456789"};
	unsigned seed = 16;
	buf src;
	buf_init(&src, 0);
	for (int round = 0; round < 60; round++) {
		buf_reset(&src);
		int nseg = round < 50 ? 1 + round % 7 : 1 + round % 2;
		for (int s = 0; s < nseg; s++) {
			seed = seed * 1103515245u + 12345u;
			size_t len = round < 20 ? seed % 17 : round < 50 ? seed % 40000 : 60000 + seed % 60000;
			int noise = (seed >> 8) % 3;   /* 0: pieces, 1: random letters, 2: both */
			for (size_t k = 0; k < len;) {
				seed = seed * 1103515245u + 12345u;
				if (noise == 1 || (noise == 2 && (seed >> 20) % 2)) {
					buf_appendf(&src, "%c", 'a' + (int)((seed >> 16) % 26) + ((seed >> 27) % 2 ? 'A' - 'a' : 0));
					k++;
				} else {
					const char *pc = pieces[(seed >> 16) % 8];
					buf_puts(&src, pc);
					k += strlen(pc);
				}
			}
			if (s < nseg - 1) buf_puts(&src, s % 2 ? "{{views}}" : "{{name}}");
		}
		roundtrip(buf_cstr(&src));
	}
	buf_release(&src);
}

static const char PAGE[] = "<!doctype html><title>{{x}}</title><main><p>{{name}}</p><em>views:{{views}}</em>"
                           "<p>floor of a post saying Gzip On, Cache Off</p><p>Processed at {{now}}, Gzip {{gzip}}, "
                           "Cache {{cache}}.</p></main>";

/* one hit: the entry filled with vals, gunzipped */
static void hit(int use, const char *key, time_t now, const char *const *vals, buf *plain) {
	cache_entry *e = cache_get(use, key, strlen(key), now);
	assert_non_null(e);
	buf z;
	buf_init(&z, 0);
	cache_fill(e, vals, &z);
	size_t n;
	char *got = gunzip(&z, &n);
	buf_reset(plain);
	buf_append(plain, got, n);
	free(got);
	buf_release(&z);
	cache_release(e);
}

/* guests: baked holes keep the filling render's values; the counter advances per hit; holes with
** hit values (stored inline, filled by runs) still take other values (a miss says Cache Off) */
static void test_bake_and_count(void **state) {
	struct pg p;
	render(&p, PAGE, 1, NULL);
	const char *bake[TPL_MAX_HOLE_ID] = {[H_NOW] = "2020-01-01 00:00"};
	const char *hitv[TPL_MAX_HOLE_ID] = {[H_GZIP] = "On", [H_CACHE] = "On", [H_EMPTY] = ""};
	struct cache_deps d = thread_deps(20);
	struct cache_page cp = {p.html.data, p.html.len, &p.h, bake, hitv, 0, 98, NULL, 0};
	cache_entry *e = cache_make(CACHE_GUEST, "/t/20", 5, &d, &cp, T0);
	assert_non_null(e);
	assert_int_equal(cache_put(e), 0);
	cache_release(e);
	buf out, want;
	buf_init(&out, 0);
	buf_init(&want, 0);
	static const char *const words[][2] = {{"On", "On"}, {"Off", "On"}, {"On", "Off"}, {"Off", "Off"}, {"On", "On"}, {"<x>", "On"}};
	for (int i = 1; i <= 6; i++) {
		e = cache_get(CACHE_GUEST, "/t/20", 5, T0 + 1);
		assert_non_null(e);
		char num[24];
		snprintf(num, sizeof num, "%lld", (long long)cache_count_next(e));
		const char *vals[TPL_MAX_HOLE_ID] = {[H_VIEWS] = num, [H_GZIP] = words[i - 1][0], [H_CACHE] = words[i - 1][1],
		                                     [H_NOW] = "ignored"};
		buf_reset(&out);
		if (i % 2) {
			buf z;
			buf_init(&z, 0);
			cache_fill(e, vals, &z);
			size_t n;
			char *got = gunzip(&z, &n);
			buf_append(&out, got, n);
			free(got);
			buf_release(&z);
		} else {
			cache_fill_plain(e, vals, &out);
		}
		cache_release(e);
		const char *wv[TPL_MAX_HOLE_ID] = {[H_VIEWS] = num, [H_GZIP] = words[i - 1][0], [H_CACHE] = words[i - 1][1],
		                                   [H_NOW] = "2020-01-01 00:00"};
		expect(PAGE, wv, &want);
		assert_int_equal(out.len, want.len);
		assert_memory_equal(out.data, want.data, out.len);
		assert_int_equal(atoi(num), 98 + i);
	}
	/* the other use does not see it */
	assert_null(cache_get(CACHE_MEMBER, "/t/20", 5, T0 + 1));
	buf_release(&out);
	buf_release(&want);
	pg_free(&p);
}

/* members: the tag and the viewers who must not share the entry */
static void test_member(void **state) {
	struct pg p;
	render(&p, PAGE, 1, NULL);
	int64_t touch[] = {9, 5, 7};
	struct cache_deps d = thread_deps(1);
	struct cache_page cp = {p.html.data, p.html.len, &p.h, NULL, NULL, 42, 20, touch, 3};
	assert_null(cache_get(CACHE_MEMBER, "t/1#g10", 7, T0));
	cache_entry *e = cache_make(CACHE_MEMBER, "t/1#g10", 7, &d, &cp, T0);
	assert_int_equal(cache_put(e), 0);
	cache_release(e);
	e = cache_get(CACHE_MEMBER, "t/1#g10", 7, T0 + 1);
	assert_non_null(e);
	assert_int_equal(cache_tag(e), 42);
	assert_int_equal(cache_view_tid(e), 1);
	assert_true(cache_touches(e, 5) && cache_touches(e, 7) && cache_touches(e, 9));
	assert_false(cache_touches(e, 1) || cache_touches(e, 8) || cache_touches(e, 10));
	assert_int_equal(cache_count_next(e), 21);
	size_t pn;
	assert_null(cache_prepared(e, &pn));   /* no hit values: filled per hit */
	cache_release(e);
	buf out, want;
	buf_init(&out, 0);
	buf_init(&want, 0);
	hit(CACHE_MEMBER, "t/1#g10", T0 + 1, VALS, &out);
	expect(PAGE, VALS, &want);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, out.len);
	/* another key (group) misses; age; generations */
	assert_null(cache_get(CACHE_MEMBER, "t/1#g11", 7, T0 + 1));
	assert_null(cache_get(CACHE_MEMBER, "t/1#g10", 7, T0 + CACHE_MAX_AGE_S));
	e = cache_make(CACHE_MEMBER, "t/1#g10", 7, &d, &cp, T0);
	cache_put(e);
	cache_release(e);
	e = cache_get(CACHE_MEMBER, "t/1#g10", 7, T0);
	assert_non_null(e);
	cache_release(e);
	cachegen_bump_thread(NULL, 1, 0);
	assert_null(cache_get(CACHE_MEMBER, "t/1#g10", 7, T0));
	/* more exceptions than CACHE_MAX_TOUCH: not an entry */
	int64_t *many = calloc(CACHE_MAX_TOUCH + 1, sizeof *many);
	d = thread_deps(1);
	cp.touch = many;
	cp.ntouch = CACHE_MAX_TOUCH + 1;
	assert_null(cache_make(CACHE_MEMBER, "t/1#g10", 7, &d, &cp, T0));
	free(many);
	buf_release(&out);
	buf_release(&want);
	pg_free(&p);
}

/* a thread's live counters (issue 16): current while the thread and tail generations are; a tail bump
   carries them along, here and from another node's payload; a thread bump or a stale publish is a miss */
static void test_counts(void **state) {
	(void)state;
	int64_t r, m;
	const int64_t tid = 4242;
	assert_int_equal(cachegen_counts(tid, &r, &m), 0);   /* nothing published */
	uint64_t g = cachegen_get(CACHEGEN_THREAD, tid), t = cachegen_get(CACHEGEN_TAIL, tid);
	cachegen_counts_publish(tid, g, t, 24, 25);
	assert_int_equal(cachegen_counts(tid, &r, &m), 1);
	assert_int_equal(r, 24);
	assert_int_equal(m, 25);
	uint64_t b = cachegen_get(CACHEGEN_BOARD, 7), l = cachegen_get(CACHEGEN_LISTS, 0);
	cachegen_bump_tail(NULL, tid, 7, 26);   /* a reply: counters follow, the thread's generation stays */
	assert_int_equal(cachegen_get(CACHEGEN_THREAD, tid), g);
	assert_true(cachegen_get(CACHEGEN_BOARD, 7) > b);
	assert_true(cachegen_get(CACHEGEN_LISTS, 0) > l);
	assert_int_equal(cachegen_counts(tid, &r, &m), 1);
	assert_int_equal(r, 25);
	assert_int_equal(m, 26);
	char payload[CACHEGEN_PAYLOAD_MAX];   /* from another node */
	snprintf(payload, sizeof payload, "00000000000000ab:p:%lld:7:27", (long long)tid);
	assert_int_equal(cachegen_apply(payload), 1);
	assert_int_equal(cachegen_counts(tid, &r, &m), 1);
	assert_int_equal(m, 27);
	/* a reply that opens a page: the near generation moves, here and from another node; the tail and the
	   counters with it, the thread's generation stays */
	uint64_t n0 = cachegen_get(CACHEGEN_NEAR, tid), t0 = cachegen_get(CACHEGEN_TAIL, tid);
	cachegen_bump_near(NULL, tid, 7, 31);
	assert_true(cachegen_get(CACHEGEN_NEAR, tid) > n0);
	assert_true(cachegen_get(CACHEGEN_TAIL, tid) > t0);
	assert_int_equal(cachegen_get(CACHEGEN_THREAD, tid), g);
	assert_int_equal(cachegen_counts(tid, &r, &m), 1);
	assert_int_equal(m, 31);
	n0 = cachegen_get(CACHEGEN_NEAR, tid);
	snprintf(payload, sizeof payload, "00000000000000ab:n:%lld:7:41", (long long)tid);
	assert_int_equal(cachegen_apply(payload), 1);
	assert_true(cachegen_get(CACHEGEN_NEAR, tid) > n0);
	assert_int_equal(cachegen_counts(tid, &r, &m), 1);
	assert_int_equal(m, 41);
	assert_int_equal(r, 40);
	/* a render that read before the last reply publishes with the older tail: not current */
	cachegen_counts_publish(tid, g, t, 24, 25);
	assert_int_equal(cachegen_counts(tid, &r, &m), 0);
	cachegen_counts_publish(tid, g, cachegen_get(CACHEGEN_TAIL, tid), 26, 27);
	assert_int_equal(cachegen_counts(tid, &r, &m), 1);
	cachegen_bump_thread(NULL, tid, 7);   /* an edit or a deletion: render again */
	assert_int_equal(cachegen_counts(tid, &r, &m), 0);
}

static void test_generations(void **state) {
	struct pg p;
	render(&p, PAGE, 1, NULL);
	struct cache_deps d = thread_deps(10);
	cache_entry *e = make(CACHE_GUEST, "/t/10", &p, &d, T0);
	cache_put(e);
	cache_release(e);
	e = cache_get(CACHE_GUEST, "/t/10", 5, T0);
	assert_non_null(e);
	cache_release(e);
	cachegen_bump_thread(NULL, 10, 3);   /* thread 10 changed: miss */
	assert_null(cache_get(CACHE_GUEST, "/t/10", 5, T0));
	assert_null(cache_get(CACHE_GUEST, "/t/10", 5, T0));   /* and the entry is gone */

	d = thread_deps(10);
	e = make(CACHE_GUEST, "/t/10", &p, &d, T0);
	cache_put(e);
	cache_release(e);
	cachegen_bump_board(NULL, 99);       /* a board: bumps the site, which the thread page shows */
	assert_null(cache_get(CACHE_GUEST, "/t/10", 5, T0));

	/* a board page depends on its board and the site */
	struct cache_deps b = {0};
	cache_dep_add(&b, CACHEGEN_BOARD, 5);
	cache_dep_add(&b, CACHEGEN_SITE, 0);
	e = make(CACHE_GUEST, "/f/5", &p, &b, T0);
	cache_put(e);
	cache_release(e);
	uint64_t g = cachegen_get(CACHEGEN_BOARD, 5);
	cachegen_bump_thread(NULL, 11, 5);
	assert_true(cachegen_get(CACHEGEN_BOARD, 5) > g);
	assert_null(cache_get(CACHE_GUEST, "/f/5", 4, T0));

	/* the epoch drops everything */
	d = thread_deps(12);
	e = make(CACHE_GUEST, "/t/12", &p, &d, T0);
	cache_put(e);
	cache_release(e);
	e = cache_get(CACHE_GUEST, "/t/12", 5, T0);
	assert_non_null(e);
	cache_release(e);
	cachegen_bump_all(NULL);
	assert_null(cache_get(CACHE_GUEST, "/t/12", 5, T0));

	/* too old */
	d = thread_deps(13);
	e = make(CACHE_GUEST, "/t/13", &p, &d, T0);
	cache_put(e);
	cache_release(e);
	e = cache_get(CACHE_GUEST, "/t/13", 5, T0 + CACHE_MAX_AGE_S - 1);
	assert_non_null(e);
	cache_release(e);
	assert_null(cache_get(CACHE_GUEST, "/t/13", 5, T0 + CACHE_MAX_AGE_S));

	/* a page whose handler did not declare anything is not made */
	struct cache_deps none = {0};
	assert_null(make(CACHE_GUEST, "/t/3", &p, &none, T0));
	cache_deps_begin(&none);   /* recorded, still not declared */
	assert_int_equal(none.ok, 0);
	assert_null(make(CACHE_GUEST, "/t/3", &p, &none, T0));

	/* a render that began before an epoch bump (a new snapshot of moderators, settings or groups was
	   published meanwhile) keeps the generation of its start: stored, but never served as fresh.
	   cache_make adding the epoch at the end would have recorded the new one. */
	struct cache_deps late = {0};
	cache_deps_begin(&late);   /* page_init */
	cachegen_bump_all(NULL);   /* the background thread: mod_load published, then bumped */
	cache_dep_add(&late, CACHEGEN_SITE, 0);   /* the handler's page_cache_*, after the bump */
	cache_dep_add(&late, CACHEGEN_THREAD, 14);
	e = make(CACHE_GUEST, "/t/14", &p, &late, T0);
	assert_non_null(e);
	cache_put(e);
	cache_release(e);
	assert_null(cache_get(CACHE_GUEST, "/t/14", 5, T0));
	/* the same for the site's generation (a settings snapshot read at page_init) */
	struct cache_deps late2 = {0};
	cache_deps_begin(&late2);
	cachegen_bump_site(NULL);
	cache_dep_add(&late2, CACHEGEN_SITE, 0);
	e = make(CACHE_GUEST, "/t/15", &p, &late2, T0);
	cache_put(e);
	cache_release(e);
	assert_null(cache_get(CACHE_GUEST, "/t/15", 5, T0));
	pg_free(&p);
}

static void test_deps_limit(void **state) {
	struct cache_deps d = {0};
	for (int i = 0; i < CACHE_MAX_DEPS + 1; i++) cache_dep_add(&d, CACHEGEN_THREAD, 100 + i);
	assert_int_equal(d.ok, -1);
	cache_dep_add(&d, CACHEGEN_SITE, 0);
	assert_int_equal(d.ok, -1);   /* stays uncacheable */
}

static void test_apply(void **state) {
	char p[CACHEGEN_PAYLOAD_MAX];
	uint64_t g = cachegen_get(CACHEGEN_THREAD, 77);
	snprintf(p, sizeof p, "%s:t:77:1", cachegen_node());
	assert_int_equal(cachegen_apply(p), 0);           /* our own: ignored */
	assert_int_equal(cachegen_get(CACHEGEN_THREAD, 77), g);
	assert_int_equal(cachegen_apply("00000000deadbeef:t:77:1"), 1);
	assert_true(cachegen_get(CACHEGEN_THREAD, 77) > g);
	uint64_t e = cachegen_get(CACHEGEN_EPOCH, 0);
	assert_int_equal(cachegen_apply("00000000deadbeef:e:0:0"), 1);
	assert_true(cachegen_get(CACHEGEN_EPOCH, 0) > e);
	assert_int_equal(cachegen_apply("garbage"), -1);
	assert_int_equal(cachegen_apply("00000000deadbeef:x:1:1"), -1);
}

/* bumps made inside a transaction wait for COMMIT and vanish on ROLLBACK */
static void test_bump_at_commit(void **state) {
	char dir[] = "/tmp/loulan-test-cache.XXXXXX", err[256], path[128];
	assert_non_null(mkdtemp(dir));
	db_config cfg = {dir, NULL};
	db *d = NULL;
	assert_int_equal(db_open(&d, &cfg, err, sizeof err), 0);
	uint64_t g = cachegen_get(CACHEGEN_THREAD, 500);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_begin(d), 0);                 /* nested, as demo_create does */
	cachegen_bump_thread(d, 500, 1);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(cachegen_get(CACHEGEN_THREAD, 500), g);   /* inner commit: not yet */
	assert_int_equal(db_commit(d), 0);
	assert_true(cachegen_get(CACHEGEN_THREAD, 500) > g);
	g = cachegen_get(CACHEGEN_THREAD, 500);
	assert_int_equal(db_begin(d), 0);
	cachegen_bump_thread(d, 500, 1);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(cachegen_get(CACHEGEN_THREAD, 500), g);
	/* more bumps than can be queued: the epoch */
	uint64_t e = cachegen_get(CACHEGEN_EPOCH, 0);
	assert_int_equal(db_begin(d), 0);
	for (int i = 0; i < CACHEGEN_PENDING + 1; i++) cachegen_bump_thread(d, 1000 + i, 1);
	assert_int_equal(db_commit(d), 0);
	assert_true(cachegen_get(CACHEGEN_EPOCH, 0) > e);
	db_close(d);
	static const char *const files[] = {"loulan.db", "loulan.db-wal", "loulan.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* a page with holes built by hand: its text, the holes' offsets */
static void page_of(struct pg *p, const char *title, int noise, int seed) {
	arena_init(&p->a);
	buf_init(&p->html, 0);
	p->h = (tpl_holes){.a = &p->a};
	struct tpl_hole hs[2];   /* per call: threads build pages at once */
	buf_appendf(&p->html, "<!doctype html><title>%s</title><main>", title);
	for (int i = 0; i < 50; i++) buf_appendf(&p->html, "<p>floor %d of %s</p>", i, title);
	for (int j = 0; j < noise; j++) buf_appendf(&p->html, "<!-- %d %d -->", seed * 7919 + j * 104729, j);   /* less compressible */
	buf_puts(&p->html, "<p>Gzip ");
	hs[0] = (struct tpl_hole){p->html.len, H_GZIP, TPL_ESC_HTML};
	buf_puts(&p->html, ", Cache ");
	hs[1] = (struct tpl_hole){p->html.len, H_CACHE, TPL_ESC_HTML};
	buf_puts(&p->html, ".</p></main>");
	p->h.h = arena_alloc(&p->a, sizeof hs);
	memcpy(p->h.h, hs, sizeof hs);
	p->h.n = p->h.cap = 2;
}

static void test_eviction(void **state) {
	cache_free();
	cache_init(CACHE_SHARDS * 64 * 1024);   /* 64 KiB per shard */
	struct cache_stats st0;
	cache_stats(&st0);   /* counters are the process's */
	char key[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "/t/%d", i);
		struct pg p;
		page_of(&p, key, 40, i);
		struct cache_deps d = thread_deps(i + 1);
		cache_entry *e = make(CACHE_GUEST, key, &p, &d, T0);
		cache_put(e);
		cache_release(e);
		pg_free(&p);
	}
	struct cache_stats st;
	cache_stats(&st);
	assert_true(st.evictions > 0);
	assert_true(st.bytes <= (uint64_t)CACHE_SHARDS * 64 * 1024);
	assert_true(st.entries > 0 && st.entries < 2000);
	assert_int_equal(st.use[CACHE_GUEST].stores - st0.use[CACHE_GUEST].stores, 2000);
	/* the most recent entries survive */
	cache_entry *e = cache_get(CACHE_GUEST, "/t/1999", 7, T0);
	assert_non_null(e);
	cache_release(e);
	cache_free();
	cache_init(0);
}

/* ---- concurrency smoke: readers, writers and bumpers at once ----------- */

#define NTHREADS 6
#define ITERS 3000

static void *worker(void *arg) {
	unsigned seed = (unsigned)(uintptr_t)arg;
	buf out;
	buf_init(&out, 0);
	char key[32], want[48];
	for (int i = 0; i < ITERS; i++) {
		int tid = (int)(rand_r(&seed) % 64) + 1;
		snprintf(key, sizeof key, "/t/%d", tid);
		int op = (int)(rand_r(&seed) % 10);
		if (op < 6) {
			cache_entry *e = cache_get(CACHE_GUEST, key, strlen(key), T0);
			if (e) {
				const char *vals[TPL_MAX_HOLE_ID] = {[H_GZIP] = "Off", [H_CACHE] = "On"};
				buf_reset(&out);
				cache_fill_plain(e, vals, &out);
				cache_release(e);
				snprintf(want, sizeof want, "<title>%s</title>", key);
				if (!strstr(out.data, want) || !strstr(out.data, "Gzip Off, Cache On")) abort();
			}
		} else if (op < 9) {
			struct pg p;
			page_of(&p, key, 0, 0);
			struct cache_deps d = thread_deps(tid);
			cache_entry *e = make(CACHE_GUEST, key, &p, &d, T0);
			cache_put(e);
			cache_release(e);
			pg_free(&p);
		} else {
			cachegen_bump_thread(NULL, tid, 1);
		}
	}
	buf_release(&out);
	return NULL;
}

static void test_threads(void **state) {
	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
	struct cache_stats st;
	cache_stats(&st);
	assert_true(st.use[CACHE_GUEST].stores > 0);
}

/* the responder of a server: a prepared response from the stored bytes */
static int g_made;
static void *mk_response(const void *z, size_t n) {
	req r;
	memset(&r, 0, sizeof r);
	arena_init(&r.a);
	r.ctype = "text/html; charset=utf-8";
	r.precompressed = 1;
	void *resp = http_prepared_new(&r, z, n);
	arena_free(&r.a);
	g_made++;
	return resp;
}

/* a page whose every hole has a hit value gets its gzip response built once;
** the entry outlives its eviction until the last reference is released */
static void test_prepared(void **state) {
	cache_set_responder(mk_response);
	struct pg p;
	page_of(&p, "IDX", 0, 0);
	const char *hitv[TPL_MAX_HOLE_ID] = {[H_GZIP] = "On", [H_CACHE] = "On"};
	struct cache_deps d = {0};
	cache_dep_add(&d, CACHEGEN_SITE, 0);
	g_made = 0;
	struct cache_page cp = {p.html.data, p.html.len, &p.h, NULL, hitv, 0, 0, NULL, 0};
	cache_entry *e = cache_make(CACHE_GUEST, "/", 1, &d, &cp, T0);
	assert_int_equal(cache_put(e), 0);
	cache_release(e);
	assert_int_equal(g_made, 1);
	cache_entry *ref = cache_get(CACHE_GUEST, "/", 1, T0 + 1);
	assert_non_null(ref);
	size_t zn = 0;
	assert_non_null(cache_prepared(ref, &zn));
	assert_true(zn > 0 && zn < p.html.len);
	/* the site changes: the next lookup drops the entry, our reference keeps it */
	cachegen_bump_site(NULL);
	assert_null(cache_get(CACHE_GUEST, "/", 1, T0 + 2));
	size_t zn2 = 0;
	assert_non_null(cache_prepared(ref, &zn2));   /* still valid memory (ASan) */
	assert_int_equal(zn2, zn);
	cache_release(ref);
	/* a hole without a hit value (the view count): filled per hit, never prepared */
	struct pg q;
	render(&q, PAGE, 1, NULL);
	g_made = 0;
	d = thread_deps(7);
	cp = (struct cache_page){q.html.data, q.html.len, &q.h, NULL, hitv, 0, 0, NULL, 0};
	e = cache_make(CACHE_GUEST, "/t/7", 4, &d, &cp, T0);
	assert_non_null(e);
	assert_int_equal(g_made, 0);
	assert_null(cache_prepared(e, &zn));
	cache_release(e);
	cache_set_responder(NULL);
	pg_free(&p);
	pg_free(&q);
}

int main(void) {
	cachegen_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_miss_segment_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bake_and_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_member, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generations, setup, teardown),
		cmocka_unit_test(test_deps_limit),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_bump_at_commit),
		cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepared, setup, teardown),
	};
	return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
