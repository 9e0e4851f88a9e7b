/*
** test_views: the view counters lose no view when workers add at the same
** time as the background thread flushes (no lock on the add path), and a
** flush writes every pending view to the thread rows.
*/
#include "forum/forum.h"
#include "forum/views.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTHREADS 4
#define NTIDS 20
#define PER_THREAD 20000

static int g_stop;

static void *adder(void *arg) {
	(void)arg;
	for (int i = 0; i < PER_THREAD; i++) views_add(1 + i % NTIDS);
	return NULL;
}

static void *flusher(void *arg) {
	db *d = arg;
	while (!__atomic_load_n(&g_stop, __ATOMIC_SEQ_CST)) {
		if (views_flush(d)) fail_msg("flush: %s", db_errmsg(d));
		usleep(1000);
	}
	return NULL;
}

static int64_t stored(db *d, int64_t tid) {
	db_stmt *s = db_prep(d, "SELECT views FROM thread WHERE tid = $1");
	db_bind_int(s, 1, tid);
	int64_t v = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return v;
}

static void test_concurrent_adds_and_flushes(void **state) {
	(void)state;
	char dir[] = "/tmp/loulan-views-XXXXXX", err[256];
	assert_non_null(mkdtemp(dir));
	db_config cfg = {dir, NULL};
	db *d;
	assert_int_equal(db_open(&d, &cfg, err, sizeof err), 0);
	assert_int_equal(db_migrate(d, err, sizeof err), 0);
	assert_int_equal(db_exec(d, "INSERT INTO category(cid, name) VALUES (1, 'c')"), 0);
	assert_int_equal(db_exec(d, "INSERT INTO board(fid, cid, name) VALUES (1, 1, 'b')"), 0);
	for (int64_t tid = 1; tid <= NTIDS; tid++) {
		db_stmt *s = db_prep(d, "INSERT INTO thread(tid, fid, authorid, author, subject, created, lastpost, lastposter) "
		                        "VALUES ($1, 1, 1, 'a', 's', 0, 0, 'a')");
		db_bind_int(s, 1, tid);
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}
	views_init();
	pthread_t fl, ad[NTHREADS];
	pthread_create(&fl, NULL, flusher, d);
	for (int i = 0; i < NTHREADS; i++) pthread_create(&ad[i], NULL, adder, NULL);
	for (int i = 0; i < NTHREADS; i++) pthread_join(ad[i], NULL);
	__atomic_store_n(&g_stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(fl, NULL);
	int64_t pending = 0, total = 0;
	for (int64_t tid = 1; tid <= NTIDS; tid++) pending += views_pending(tid);
	assert_int_equal(views_flush(d), 0);
	for (int64_t tid = 1; tid <= NTIDS; tid++) {
		assert_int_equal(views_pending(tid), 0);
		int64_t v = stored(d, tid);
		assert_int_equal(v, NTHREADS * PER_THREAD / NTIDS);
		total += v;
	}
	assert_int_equal(total, NTHREADS * PER_THREAD);
	assert_true(pending <= total);
	views_free();
	db_close(d);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_concurrent_adds_and_flushes)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
