/*
** test_savepoint: the savepoint levels of the db layer (db_savepoint, db_release and
** the savepoint a db_begin inside them becomes) that group commit (pages/batch.c) runs each job in: a job's own
** db_begin .. db_rollback undoes only that job, the others of the transaction and the
** outer COMMIT go on; a job left unfinished or broken is undone alone; the tx hook fires
** once per real COMMIT. On SQLite (a temporary directory) and, when LOULAN_TEST_PG holds a
** server URL, on PostgreSQL (a TEMP table of the session: nothing is left behind).
*/
#include "db/db.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static db_config g_cfg;
static char g_dir[64];
static int g_hook_commits, g_hook_rollbacks;

static void hook(db *d, int committed) {
	(void)d;
	if (committed) g_hook_commits++;
	else g_hook_rollbacks++;
}

static int setup(void **state) {
	char err[256];
	db *d = NULL;
	if (db_open(&d, &g_cfg, err, sizeof err)) {
		print_error("db_open: %s\n", err);
		return -1;
	}
	if (db_exec_script(d, "CREATE TEMP TABLE sp_t(v BIGINT PRIMARY KEY)")) {
		print_error("create: %s\n", db_errmsg(d));
		db_close(d);
		return -1;
	}
	db_set_tx_hook(hook);
	g_hook_commits = g_hook_rollbacks = 0;
	*state = d;
	return 0;
}

static int teardown(void **state) {
	db_set_tx_hook(NULL);
	db_close(*state);
	return 0;
}

static int put(db *d, int64_t v) {
	db_stmt *s = db_prep(d, "INSERT INTO sp_t(v) VALUES ($1)");
	db_bind_int(s, 1, v);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

static int has(db *d, int64_t v) {
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM sp_t WHERE v = $1");
	db_bind_int(s, 1, v);
	assert_int_equal(db_step(s), DB_ROW);
	int n = (int)db_int(s, 0);
	db_done(s);
	return n;
}

/* a job as a handler writes it: its own transaction, committed or rolled back */
static int job_tx(db *d, int64_t v, int ok) {
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(put(d, v), 0);
	return ok ? db_commit(d) : db_rollback(d);
}

static void test_jobs_alone(void **state) {
	db *d = *state;
	assert_int_equal(db_savepoint(d), -1);   /* outside a transaction: refused */
	assert_int_equal(db_begin(d), 0);
	/* job 1 commits */
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(job_tx(d, 1, 1), 0);
	assert_int_equal(db_release(d), 0);
	/* job 2 rolls its own transaction back: undone alone, nothing doomed */
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(job_tx(d, 2, 0), 0);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(has(d, 2), 0);
	/* job 3: a level inside its transaction rolls back: its commit fails, the job's work goes */
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(put(d, 30), 0);        /* before its transaction: kept, as it would be alone */
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(put(d, 3), 0);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(db_commit(d), -1);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(has(d, 3), 0);
	/* job 4 after them all commits */
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(job_tx(d, 4, 1), 0);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(g_hook_commits + g_hook_rollbacks, 0);   /* nothing applied before the real COMMIT */
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(g_hook_commits, 1);
	assert_int_equal(g_hook_rollbacks, 0);
	assert_int_equal(has(d, 1), 1);
	assert_int_equal(has(d, 2), 0);
	assert_int_equal(has(d, 3), 0);
	assert_int_equal(has(d, 30), 1);
	assert_int_equal(has(d, 4), 1);
	assert_int_equal(db_in_tx(d), 0);
}

static void test_unfinished_job(void **state) {
	db *d = *state;
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(put(d, 5), 0);         /* the job forgets its commit */
	assert_int_equal(db_release(d), 1);     /* undone */
	assert_int_equal(db_in_tx(d), 1);       /* the outer level is back */
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(job_tx(d, 6, 1), 0);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(has(d, 5), 0);
	assert_int_equal(has(d, 6), 1);
}

static void test_outer_rollback(void **state) {
	db *d = *state;
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(job_tx(d, 10, 1), 0);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(db_rollback(d), 0);     /* the whole batch: every job goes */
	assert_int_equal(g_hook_rollbacks, 1);
	assert_int_equal(has(d, 10), 0);
	assert_int_equal(db_release(d), -1);     /* no level open any more */
	/* the levels do not outlive their transaction: a plain nested rollback dooms as before */
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(put(d, 11), 0);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(db_commit(d), -1);
	assert_int_equal(has(d, 11), 0);
}

static void test_failed_statement(void **state) {
	db *d = *state;
	assert_int_equal(put(d, 12), 0);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(put(d, 13), 0);
	assert_int_equal(put(d, 12), -1);        /* a duplicate key outside the job's own transaction */
	int rc = db_release(d);
	/* PostgreSQL aborted the transaction at the error: the job is undone alone (1);
	   SQLite undid only the statement: the job keeps the rest (0) */
	assert_int_equal(rc, db_kind(d) == DB_PG ? 1 : 0);
	assert_int_equal(db_savepoint(d), 0);    /* the batch goes on */
	assert_int_equal(job_tx(d, 14, 1), 0);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(has(d, 13), db_kind(d) == DB_PG ? 0 : 1);
	assert_int_equal(has(d, 14), 1);
	/* the same inside the job's own transaction: its rollback recovers on both */
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(put(d, 12), -1);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(job_tx(d, 15, 1), 0);
	assert_int_equal(db_release(d), 0);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(has(d, 15), 1);
}

static void test_depth_limit(void **state) {
	db *d = *state;
	assert_int_equal(db_begin(d), 0);
	for (int i = 0; i < DB_SAVEPOINT_MAX; i++) assert_int_equal(db_savepoint(d), 0);
	assert_int_equal(db_savepoint(d), -1);
	for (int i = 0; i < DB_SAVEPOINT_MAX; i++) assert_int_equal(db_release(d), 0);
	assert_int_equal(db_commit(d), 0);
}

static int sqlite_setup(void **state) {
	(void)state;
	snprintf(g_dir, sizeof g_dir, "/tmp/loulan-test-sp.XXXXXX");
	if (!mkdtemp(g_dir)) return -1;
	g_cfg = (db_config){.data_dir = g_dir, .pg_url = NULL};
	return 0;
}

static int sqlite_teardown(void **state) {
	(void)state;
	static const char *const files[] = {"loulan.db", "loulan.db-wal", "loulan.db-shm"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", g_dir, files[i]);
		unlink(path);
	}
	return rmdir(g_dir);
}

static int pg_setup(void **state) {
	(void)state;
	g_cfg = (db_config){.data_dir = NULL, .pg_url = getenv("LOULAN_TEST_PG")};
	return 0;
}

#define TESTS                                                                      \
	cmocka_unit_test_setup_teardown(test_jobs_alone, setup, teardown),             \
	cmocka_unit_test_setup_teardown(test_unfinished_job, setup, teardown),         \
	cmocka_unit_test_setup_teardown(test_outer_rollback, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_failed_statement, setup, teardown),       \
	cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown)

int main(void) {
	const struct CMUnitTest sqlite_tests[] = {TESTS};
	int failed = cmocka_run_group_tests_name("savepoints (sqlite)", sqlite_tests, sqlite_setup, sqlite_teardown);
	const char *pg = getenv("LOULAN_TEST_PG");
	if (pg && *pg) {
		const struct CMUnitTest pg_tests[] = {TESTS};
		failed += cmocka_run_group_tests_name("savepoints (postgresql)", pg_tests, pg_setup, NULL);
	}
	return failed ? 1 : 0;
}
