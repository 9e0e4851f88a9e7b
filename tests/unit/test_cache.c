/*
** test_cache: generations (forum/cachegen) and the guest page cache
** (pages/cache): hits and footers, generation mismatches, bumps deferred to
** COMMIT, age, eviction under a memory bound, payloads from other nodes,
** and a concurrency smoke test with threads.
*/
#include "db/db.h"
#include "forum/cachegen.h"
#include "pages/cache.h"
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

/* a compressible page with a footer as page_render writes it */
static void page_html(buf *b, const char *marker, const char *gzip) {
	buf_reset(b);
	buf_appendf(b, "<!doctype html><title>%s</title><main>", marker);
	for (int i = 0; i < 50; i++) buf_appendf(b, "<p>floor %d of %s: Gzip On, Cache Off in a post</p>", i, marker);
	buf_appendf(b, "</main><p>Processed in 0.001 second(s), 2 queries, Gzip %s, Cache Off.</p></html>", gzip);
}

static struct cache_deps thread_deps(int64_t tid) {
	struct cache_deps d = {0};
	cache_dep_add(&d, CACHEGEN_SITE, 0);
	cache_dep_add(&d, CACHEGEN_THREAD, tid);
	d.view_tid = tid;
	return d;
}

static int get(const char *key, int gzip, time_t now, buf *out) {
	int64_t v = 0;
	buf_reset(out);
	return cache_get(key, strlen(key), gzip, now, out, &v, NULL, NULL);
}

static int setup(void **state) {
	cache_init(0);
	return 0;
}
static int teardown(void **state) {
	cache_free();
	return 0;
}

static void test_hit_and_footer(void **state) {
	buf page, out;
	buf_init(&page, 0);
	buf_init(&out, 0);
	page_html(&page, "T1", "Off");
	struct cache_deps d = thread_deps(1);
	assert_int_equal(cache_put("/t/1", 4, &d, page.data, page.len, T0), 0);
	/* plain copy: same page with the footer saying Gzip Off, Cache On */
	assert_int_equal(get("/t/1", 0, T0 + 1, &out), 1);
	assert_non_null(strstr(out.data, "2 queries, Gzip Off, Cache On.</p>"));
	assert_null(strstr(out.data, "Cache On in a post"));   /* only the footer is rewritten */
	assert_int_equal(out.len, page.len - 1);             /* "Off" -> "On" */
	/* gzip copy: starts with the gzip magic */
	assert_int_equal(get("/t/1", 1, T0 + 1, &out), 1);
	assert_true(out.len > 2 && (unsigned char)out.data[0] == 0x1f && (unsigned char)out.data[1] == 0x8b);
	assert_true(out.len < page.len);
	int64_t v = 0;
	buf_reset(&out);
	assert_int_equal(cache_get("/t/1", 4, 1, T0, &out, &v, NULL, NULL), 1);
	assert_int_equal(v, 1);
	/* unknown key, and a page without footer, are misses */
	assert_int_equal(get("/t/2", 1, T0, &out), 0);
	assert_int_equal(cache_put("/x", 2, &d, "<p>no footer</p>", 16, T0), -1);
	/* a page whose handler did not declare anything is not stored */
	struct cache_deps none = {0};
	assert_int_equal(cache_put("/t/3", 4, &none, page.data, page.len, T0), -1);
	buf_release(&page);
	buf_release(&out);
}

static void test_generations(void **state) {
	buf page, out;
	buf_init(&page, 0);
	buf_init(&out, 0);
	page_html(&page, "T10", "On");
	struct cache_deps d = thread_deps(10);
	assert_int_equal(cache_put("/t/10", 5, &d, page.data, page.len, T0), 0);
	assert_int_equal(get("/t/10", 1, T0, &out), 1);
	cachegen_bump_thread(NULL, 10, 3);   /* thread 10 changed: miss */
	assert_int_equal(get("/t/10", 1, T0, &out), 0);
	assert_int_equal(get("/t/10", 1, T0, &out), 0);   /* and the entry is gone */

	d = thread_deps(10);
	cache_put("/t/10", 5, &d, page.data, page.len, T0);
	cachegen_bump_board(NULL, 99);       /* a board: bumps the site, which the thread page shows */
	assert_int_equal(get("/t/10", 1, T0, &out), 0);

	/* a board page depends on its board and the site */
	struct cache_deps b = {0};
	cache_dep_add(&b, CACHEGEN_BOARD, 5);
	cache_dep_add(&b, CACHEGEN_SITE, 0);
	assert_int_equal(cache_put("/f/5", 4, &b, page.data, page.len, T0), 0);
	uint64_t g = cachegen_get(CACHEGEN_BOARD, 5);
	cachegen_bump_thread(NULL, 11, 5);
	assert_true(cachegen_get(CACHEGEN_BOARD, 5) > g);
	assert_int_equal(get("/f/5", 1, T0, &out), 0);

	/* the epoch drops everything */
	d = thread_deps(12);
	cache_put("/t/12", 5, &d, page.data, page.len, T0);
	assert_int_equal(get("/t/12", 1, T0, &out), 1);
	cachegen_bump_all(NULL);
	assert_int_equal(get("/t/12", 1, T0, &out), 0);

	/* too old */
	d = thread_deps(13);
	cache_put("/t/13", 5, &d, page.data, page.len, T0);
	assert_int_equal(get("/t/13", 1, T0 + CACHE_MAX_AGE_S - 1, &out), 1);
	assert_int_equal(get("/t/13", 1, T0 + CACHE_MAX_AGE_S, &out), 0);
	buf_release(&page);
	buf_release(&out);
}

/* a thread page whose view count stays live in the cache */
static void test_live_views(void **state) {
	buf page, out;
	buf_init(&page, 0);
	buf_init(&out, 0);
	page_html(&page, "T20", "On");
	const char *pre = "<em>views:";
	char *at = strstr(page.data, "<main>") + 6;
	size_t off = (size_t)(at - page.data);
	/* insert "<em>views:98</em>" after <main> */
	buf p2;
	buf_init(&p2, 0);
	buf_append(&p2, page.data, off);
	buf_puts(&p2, pre);
	size_t vat = p2.len;
	buf_puts(&p2, "98</em>");
	buf_append(&p2, page.data + off, page.len - off);
	struct cache_deps d = thread_deps(20);
	d.views_shown = 98;
	d.views_at = vat + 1;
	d.views_len = 2;
	assert_int_equal(cache_put("/t/20", 5, &d, p2.data, p2.len, T0), 0);
	struct libdeflate_decompressor *dz = libdeflate_alloc_decompressor();
	char *plain = malloc(p2.len + 64);
	for (int i = 1; i <= 3; i++) {
		/* gzip: a valid stream (the CRC and size are checked) with 99, 100, 101 */
		assert_int_equal(get("/t/20", 1, T0, &out), 1);
		size_t got = 0;
		assert_int_equal(libdeflate_gzip_decompress(dz, out.data, out.len, plain, p2.len + 64, &got), LIBDEFLATE_SUCCESS);
		plain[got] = 0;
		char want[64];
		snprintf(want, sizeof want, "<em>views:%d</em>", 98 + i);
		assert_non_null(strstr(plain, want));
		assert_non_null(strstr(plain, "Gzip On, Cache On."));
	}
	assert_int_equal(get("/t/20", 0, T0, &out), 1);
	assert_non_null(strstr(out.data, "<em>views:102</em>"));
	assert_non_null(strstr(out.data, "2 queries, Gzip Off, Cache On.</p></html>"));
	libdeflate_free_decompressor(dz);
	free(plain);
	buf_release(&p2);
	buf_release(&page);
	buf_release(&out);
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

static void test_eviction(void **state) {
	cache_free();
	cache_init(CACHE_SHARDS * 64 * 1024);   /* 64 KiB per shard */
	buf page;
	buf_init(&page, 0);
	char key[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "/t/%d", i);
		page_html(&page, key, "On");
		for (int j = 0; j < 40; j++) buf_appendf(&page, "<!-- %d %d -->", i * 7919 + j * 104729, j); /* less compressible */
		struct cache_deps d = thread_deps(i + 1);
		cache_put(key, strlen(key), &d, page.data, page.len, T0);
	}
	struct cache_stats st;
	cache_stats(&st);
	assert_true(st.evictions > 0);
	assert_true(st.bytes <= (uint64_t)CACHE_SHARDS * 64 * 1024);
	assert_true(st.entries > 0 && st.entries < 2000);
	/* the most recent entries survive */
	buf out;
	buf_init(&out, 0);
	assert_int_equal(get("/t/1999", 1, T0, &out), 1);
	buf_release(&out);
	buf_release(&page);
	cache_free();
	cache_init(0);
}

/* ---- concurrency smoke: readers, writers and bumpers at once ----------- */

#define NTHREADS 6
#define ITERS 3000

static void *worker(void *arg) {
	unsigned seed = (unsigned)(uintptr_t)arg;
	buf page, out;
	buf_init(&page, 0);
	buf_init(&out, 0);
	char key[32], want[48];
	for (int i = 0; i < ITERS; i++) {
		int tid = (int)(rand_r(&seed) % 64) + 1;
		snprintf(key, sizeof key, "/t/%d", tid);
		int op = (int)(rand_r(&seed) % 10);
		if (op < 6) {
			int gz = op & 1;
			if (get(key, gz, T0, &out) && !gz) {
				snprintf(want, sizeof want, "<title>%s</title>", key);
				if (!strstr(out.data, want) || !strstr(out.data, "Gzip Off, Cache On")) abort();
			}
		} else if (op < 9) {
			page_html(&page, key, "On");
			struct cache_deps d = thread_deps(tid);
			cache_put(key, strlen(key), &d, page.data, page.len, T0);
		} else {
			cachegen_bump_thread(NULL, tid, 1);
		}
	}
	buf_release(&page);
	buf_release(&out);
	return NULL;
}

static void test_threads(void **state) {
	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
	struct cache_stats st;
	cache_stats(&st);
	assert_true(st.hits > 0 && st.stores > 0);
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

/* gzip hits of a page without a counter get the prepared response and a
** reference; the entry outlives its eviction until the reference is released */
static void test_prepared(void **state) {
	cache_set_responder(mk_response);
	buf page, out;
	buf_init(&page, 0);
	buf_init(&out, 0);
	page_html(&page, "IDX", "On");
	struct cache_deps d = {0};
	cache_dep_add(&d, CACHEGEN_SITE, 0);
	g_made = 0;
	assert_int_equal(cache_put("/", 1, &d, page.data, page.len, T0), 0);
	assert_int_equal(g_made, 1);
	void *prep = NULL, *ref = NULL;
	int64_t v = -1;
	assert_int_equal(cache_get("/", 1, 1, T0 + 1, &out, &v, &prep, &ref), 1);
	assert_non_null(prep);
	assert_non_null(ref);
	assert_int_equal(out.len, 0);             /* nothing copied */
	assert_int_equal(v, 0);
	size_t zn = cache_ref_len(ref);
	assert_true(zn > 0 && zn < page.len);
	/* plain clients still get the page decompressed */
	assert_int_equal(get("/", 0, T0 + 1, &out), 1);
	assert_non_null(strstr(out.data, "Gzip Off, Cache On.</p>"));
	/* a second hit holds its own reference */
	void *prep2 = NULL, *ref2 = NULL;
	buf_reset(&out);
	assert_int_equal(cache_get("/", 1, 1, T0 + 1, &out, &v, &prep2, &ref2), 1);
	assert_ptr_equal(prep2, prep);
	cache_release(ref2);
	/* the site changes: the next lookup drops the entry, our reference keeps it */
	cachegen_bump_site(NULL);
	buf_reset(&out);
	assert_int_equal(cache_get("/", 1, 1, T0 + 2, &out, &v, &prep2, &ref2), 0);
	assert_int_equal(cache_ref_len(ref), zn);   /* still valid memory (ASan) */
	cache_release(ref);
	/* thread pages with a live counter are spliced per hit, never prepared */
	page_html(&page, "T7", "On");
	struct cache_deps td = thread_deps(7);
	g_made = 0;
	assert_int_equal(cache_put("/t/7", 4, &td, page.data, page.len, T0), 0);
	assert_int_equal(g_made, 1);                /* no counter in this page: prepared too */
	cache_set_responder(NULL);
	buf_release(&page);
	buf_release(&out);
}

int main(void) {
	cachegen_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit_and_footer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_views, setup, teardown),
		cmocka_unit_test(test_deps_limit),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_bump_at_commit),
		cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepared, setup, teardown),
	};
	return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
