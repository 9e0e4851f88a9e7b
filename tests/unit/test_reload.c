/*
** test_reload: two loaders of the settings snapshot at once (the serve
** command's background thread and the request that made a change) publish
** in the order they read, so a change is in the snapshot as soon as its own
** reload returns, however the other loader runs meanwhile (site_load_lock,
** forum/site.h). Without the lock a load that read before the COMMIT could
** publish after the one that read after it: the change undone on this node
** until the next reload.
*/
#include "forum/forum.h"
#include "forum/site.h"
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

#define ROUNDS 10000
#define NBG 4   /* more loaders than cores: a loader is often stopped between its SELECT and its publish */

static int g_stop;

static void *background(void *arg) {   /* serve's settings_check, without its 250 ms sleep */
	db *d = arg;
	while (!__atomic_load_n(&g_stop, __ATOMIC_SEQ_CST))
		if (site_reload(d, NULL)) fail_msg("reload: %s", db_errmsg(d));
	return NULL;
}

static void test_change_seen_after_its_reload(void **state) {
	(void)state;
	char dir[] = "/tmp/loulan-reload-XXXXXX", err[256];
	assert_non_null(mkdtemp(dir));
	db_config cfg = {dir, NULL};
	db *w, *bg[NBG];
	assert_int_equal(db_open(&w, &cfg, err, sizeof err), 0);
	assert_int_equal(db_migrate(w, err, sizeof err), 0);
	assert_int_equal(db_exec(w, "PRAGMA synchronous = OFF"), 0);   /* many rounds in seconds, not an fsync each */
	assert_int_equal(site_load(w), 0);
	pthread_t t[NBG];
	for (int i = 0; i < NBG; i++) {
		assert_int_equal(db_open(&bg[i], &cfg, err, sizeof err), 0);
		pthread_create(&t[i], NULL, background, bg[i]);
	}
	int stale = 0;
	for (int i = 0; i < ROUNDS; i++) {
		char v[64];
		snprintf(v, sizeof v, "京ICP备%d号", i);
		struct forum_err e;
		assert_int_equal(site_config_set(w, "site.icp", v, &e), 0);
		assert_int_equal(site_reload(w, NULL), 0);
		if (strcmp(site_get()->icp, v)) stale++;
	}
	__atomic_store_n(&g_stop, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < NBG; i++) {
		pthread_join(t[i], NULL);
		db_close(bg[i]);
	}
	assert_int_equal(stale, 0);
	db_close(w);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_change_seen_after_its_reload)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
