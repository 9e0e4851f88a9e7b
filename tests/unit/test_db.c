/*
** test_db: the db layer against real backends. Every test runs on SQLite (a
** temporary directory) and, when LOULAN_TEST_PG holds a server URL such as
** postgres://postgres@127.0.0.1:PORT/postgres, on PostgreSQL too, in a fresh
** database loulan_unit_<pid> that is dropped at the end.
*/
#include "db/db.h"
#include "db/db_pg.h"
#include "forum/copy.h"
#include "forum/discover.h"
#include "forum/read.h"
#include "search/search.h"
#include "util/timefmt.h"
#include <time.h>
#include "forum/forum.h"
#include "forum/gen.h"
#include "util/buf.h"
#include "util/die.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static db_config g_cfg;          /* the backend under test */
static char g_dir[64];           /* SQLite: temporary data directory */
static char g_dbname[64];        /* PostgreSQL: loulan_unit_<pid> */
static char *g_url;              /* PostgreSQL: URL of that database */

/* ---- fixtures ----------------------------------------------------------- */

static db *open_or_fail(void) {
	char err[256];
	db *d = NULL;
	if (db_open(&d, &g_cfg, err, sizeof err)) fail_msg("db_open: %s", err);
	return d;
}

static int setup_db(void **state) {
	char err[256];
	db *d = open_or_fail();
	if (db_migrate(d, err, sizeof err)) {
		print_error("db_migrate: %s\n", err);
		db_close(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int teardown_db(void **state) {
	db_close(*state);
	return 0;
}

static int sqlite_group_setup(void **state) {
	snprintf(g_dir, sizeof g_dir, "/tmp/loulan-test-db.XXXXXX");
	if (!mkdtemp(g_dir)) return -1;
	g_cfg = (db_config){ .data_dir = g_dir, .pg_url = NULL };
	return 0;
}

static int sqlite_group_teardown(void **state) {
	static const char *const files[] = { "loulan.db", "loulan.db-wal", "loulan.db-shm" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", g_dir, files[i]);
		unlink(path);
	}
	return rmdir(g_dir);
}

/* Runs a DDL statement on the admin URL (database names cannot be bound). */
static int pg_admin(const char *verb, const char *suffix) {
	char err[256];
	db *a = NULL;
	db_config c = { .data_dir = NULL, .pg_url = getenv("LOULAN_TEST_PG") };
	if (db_open(&a, &c, err, sizeof err)) {
		print_error("cannot connect to LOULAN_TEST_PG: %s\n", err);
		return -1;
	}
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, verb);
	buf_puts(&b, g_dbname);  /* digits and letters only: built from our pid */
	buf_puts(&b, suffix);
	int rc = db_exec_script(a, buf_cstr(&b));
	if (rc) print_error("%s: %s\n", buf_cstr(&b), db_errmsg(a));
	buf_release(&b);
	db_close(a);
	return rc;
}

/* The admin URL with its database replaced by g_dbname. */
static char *pg_url_for(const char *admin, const char *dbname) {
	buf b;
	buf_init(&b, 0);
	const char *p = strstr(admin, "://");
	const char *slash = p ? strchr(p + 3, '/') : NULL;
	const char *q = strchr(admin, '?');
	if (slash && q && q < slash) slash = NULL;
	size_t head = slash ? (size_t)(slash - admin) : q ? (size_t)(q - admin) : strlen(admin);
	buf_append(&b, admin, head);
	buf_putc(&b, '/');
	buf_puts(&b, dbname);
	if (q) buf_puts(&b, q);
	return buf_detach(&b, NULL);
}

static int pg_group_setup(void **state) {
	const char *admin = getenv("LOULAN_TEST_PG");
	snprintf(g_dbname, sizeof g_dbname, "loulan_unit_%d", (int)getpid());
	pg_admin("DROP DATABASE IF EXISTS ", " WITH (FORCE)");
	if (pg_admin("CREATE DATABASE ", " ENCODING 'UTF8' TEMPLATE template0")) return -1;
	g_url = pg_url_for(admin, g_dbname);
	g_cfg = (db_config){ .data_dir = NULL, .pg_url = g_url };
	return 0;
}

static int pg_group_teardown(void **state) {
	int rc = pg_admin("DROP DATABASE IF EXISTS ", " WITH (FORCE)");
	free(g_url);
	g_url = NULL;
	return rc;
}

/* ---- helpers ------------------------------------------------------------ */

static int64_t count_categories(db *d, const char *name) {
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM category WHERE name = $1");
	db_bind_text(s, 1, name, -1);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t n = db_int(s, 0);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	return n;
}

static int64_t add_category(db *d, const char *name, int n) {
	db_stmt *s = db_prep(d, "INSERT INTO category(name, displayorder) VALUES ($1, $2) RETURNING cid, name");
	db_bind_text(s, 1, name, n);
	db_bind_int(s, 2, 7);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t cid = db_int(s, 0);
	assert_true(cid > 0);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	return cid;
}

/* the first column of the one row s returns */
static int64_t one_int(db_stmt *s) {
	assert_int_equal(db_step(s), DB_ROW);
	int64_t v = db_int(s, 0);
	db_done(s);
	return v;
}

/* ---- tests on every backend --------------------------------------------- */

static void test_migrate_idempotent(void **state) {
	db *d = *state;
	char err[256];
	int v = db_schema_version(d);
	assert_true(v >= 1);
	db_stmt *s = db_prep(d, "SELECT COUNT(*), MIN(version), MAX(version) FROM migration");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_int(s, 0), v);  /* one row per migration, 1..v */
	assert_int_equal(db_int(s, 1), 1);
	assert_int_equal(db_int(s, 2), v);
	db_done(s);

	db_queries_reset(d);
	assert_int_equal(db_migrate(d, err, sizeof err), 0);
	assert_int_equal(db_queries(d), 1);  /* read the version, nothing else */
	assert_int_equal(db_schema_version(d), v);
	s = db_prep(d, "SELECT COUNT(*) FROM migration");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_int(s, 0), v);
	db_done(s);
}

static void test_text_roundtrip(void **state) {
	db *d = *state;
	static const char *const names[] = {
		"论坛版块「测试」 繁體 日本語 🀄",
		"it's \"quoted\" \\ back'slash; -- ' OR 1=1",
		"",
		"line1\nline2\ttab",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		db_stmt *s = db_prep(d, "INSERT INTO category(name, displayorder) VALUES ($1, $2) RETURNING cid, name");
		db_bind_text(s, 1, names[i], -1);
		db_bind_int(s, 2, (int64_t)i);
		assert_int_equal(db_step(s), DB_ROW);
		int64_t cid = db_int(s, 0);
		assert_string_equal(db_text(s, 1), names[i]);
		assert_int_equal(db_len(s, 1), (int)strlen(names[i]));
		assert_false(db_isnull(s, 1));
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);

		s = db_prep(d, "SELECT name, displayorder, NULL FROM category WHERE cid = $1");
		db_bind_int(s, 1, cid);
		assert_int_equal(db_step(s), DB_ROW);
		assert_string_equal(db_text(s, 0), names[i]);
		assert_int_equal(db_len(s, 0), (int)strlen(names[i]));
		assert_int_equal(db_int(s, 1), (int64_t)i);
		assert_true(db_isnull(s, 2));
		assert_string_equal(db_text(s, 2), "");
		assert_int_equal(db_len(s, 2), 0);
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}

	/* bound text with an explicit length and no terminating NUL */
	char *raw = malloc(3);
	assert_non_null(raw);
	memcpy(raw, "xyz", 3);
	int64_t cid = add_category(d, raw, 3);
	free(raw);
	db_stmt *s = db_prep(d, "SELECT name FROM category WHERE cid = $1");
	db_bind_int(s, 1, cid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_text(s, 0), "xyz");
	db_done(s);
	cid = add_category(d, "abcdef", 2);
	s = db_prep(d, "SELECT name FROM category WHERE cid = $1");
	db_bind_int(s, 1, cid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_text(s, 0), "ab");
	db_done(s);

	/* NULL parameters: db_bind_null and db_bind_text(NULL); empty is not NULL */
	struct { int kind; const char *want; int isnull; } cases[] = {
		{ 0, "dflt", 1 }, { 1, "dflt", 1 }, { 2, "", 0 }, { 3, "v'", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = db_prep(d, "SELECT COALESCE($1, 'dflt'), $1 IS NULL");
		if (cases[i].kind == 0) db_bind_null(s, 1);
		else if (cases[i].kind == 1) db_bind_text(s, 1, NULL, 0);
		else if (cases[i].kind == 2) db_bind_text(s, 1, "", 0);
		else db_bind_text(s, 1, "v'", -1);
		assert_int_equal(db_step(s), DB_ROW);
		assert_string_equal(db_text(s, 0), cases[i].want);
		assert_int_equal(db_int(s, 1), cases[i].isnull);
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}
}

static void test_int64_extremes(void **state) {
	db *d = *state;
	static const int64_t vals[] = { INT64_MIN, INT64_MAX, 0, -1, 4294967296LL, -4294967297LL };
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		char key[32];
		snprintf(key, sizeof key, "i64-%zu", i);
		db_stmt *s = db_prep(d, "INSERT INTO member(username, username_key, groupid, regdate, credits)"
		                        " VALUES ($1, $2, $3, $4, $5) RETURNING uid, credits, regdate");
		db_bind_text(s, 1, key, -1);
		db_bind_text(s, 2, key, -1);
		db_bind_int(s, 3, 10);
		db_bind_int(s, 4, vals[i]);
		db_bind_int(s, 5, vals[i]);
		assert_int_equal(db_step(s), DB_ROW);
		int64_t uid = db_int(s, 0);
		assert_true(db_int(s, 1) == vals[i]);
		assert_true(db_int(s, 2) == vals[i]);
		db_done(s);

		s = db_prep(d, "SELECT credits, regdate FROM member WHERE uid = $1 AND credits = $2");
		db_bind_int(s, 1, uid);
		db_bind_int(s, 2, vals[i]);
		assert_int_equal(db_step(s), DB_ROW);
		assert_true(db_int(s, 0) == vals[i]);
		assert_true(db_int(s, 1) == vals[i]);
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}
}

static void test_constraint(void **state) {
	db *d = *state;
	static const char ins[] = "INSERT INTO member(username, username_key, groupid, regdate) VALUES ($1, $2, 10, 0)";
	db_stmt *s = db_prep(d, ins);
	db_bind_text(s, 1, "Dup", -1);
	db_bind_text(s, 2, "dup", -1);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	s = db_prep(d, ins);
	db_bind_text(s, 1, "DUP", -1);
	db_bind_text(s, 2, "dup", -1);
	assert_int_equal(db_step(s), DB_ERR);
	assert_int_equal(db_errclass(d), DB_E_CONSTRAINT);
	assert_true(strlen(db_errmsg(d)) > 0);
	db_done(s);
	/* the statement is still usable after its error */
	s = db_prep(d, ins);
	db_bind_text(s, 1, "Dup2", -1);
	db_bind_text(s, 2, "dup2", -1);
	assert_int_equal(db_step(s), DB_DONE);
	assert_int_equal(db_errclass(d), 0);
	db_done(s);

	/* foreign key */
	s = db_prep(d, "INSERT INTO board(cid, name) VALUES ($1, $2)");
	db_bind_int(s, 1, 987654321);
	db_bind_text(s, 2, "orphan", -1);
	assert_int_equal(db_step(s), DB_ERR);
	assert_int_equal(db_errclass(d), DB_E_CONSTRAINT);
	db_done(s);

	/* NOT NULL */
	s = db_prep(d, "INSERT INTO category(name) VALUES ($1)");
	db_bind_null(s, 1);
	assert_int_equal(db_step(s), DB_ERR);
	assert_int_equal(db_errclass(d), DB_E_CONSTRAINT);
	db_done(s);

	/* inside a transaction: the error, then a rollback, then business as usual */
	assert_int_equal(db_begin(d), 0);
	add_category(d, "in-failed-tx", -1);
	s = db_prep(d, ins);
	db_bind_text(s, 1, "dup", -1);
	db_bind_text(s, 2, "dup", -1);
	assert_int_equal(db_step(s), DB_ERR);
	assert_int_equal(db_errclass(d), DB_E_CONSTRAINT);
	db_done(s);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(count_categories(d, "in-failed-tx"), 0);
	add_category(d, "after-failed-tx", -1);
	assert_int_equal(count_categories(d, "after-failed-tx"), 1);
}

static void test_transactions(void **state) {
	db *d = *state;
	assert_int_equal(count_categories(d, "tx-rolled-back"), 0);
	assert_int_equal(db_begin(d), 0);
	add_category(d, "tx-rolled-back", -1);
	add_category(d, "tx-rolled-back", -1);
	assert_int_equal(count_categories(d, "tx-rolled-back"), 2);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(count_categories(d, "tx-rolled-back"), 0);

	assert_int_equal(db_begin(d), 0);
	add_category(d, "tx-committed", -1);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(count_categories(d, "tx-committed"), 1);

	/* another connection sees the commit */
	db *d2 = open_or_fail();
	assert_int_equal(count_categories(d2, "tx-committed"), 1);
	assert_int_equal(count_categories(d2, "tx-rolled-back"), 0);
	db_close(d2);
}

static void test_query_counter(void **state) {
	db *d = *state;
	static const char seq[] = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $1) SELECT n FROM c";
	db_queries_reset(d);
	assert_int_equal(db_queries(d), 0);
	db_stmt *s = db_prep(d, seq);
	db_bind_int(s, 1, 5);
	int rows = 0;
	while (db_step(s) == DB_ROW) assert_int_equal(db_int(s, 0), ++rows);
	assert_int_equal(rows, 5);
	assert_int_equal(db_queries(d), 1);
	db_done(s);
	s = db_prep(d, seq);
	db_bind_int(s, 1, 3);
	rows = 0;
	while (db_step(s) == DB_ROW) rows++;
	assert_int_equal(rows, 3);
	assert_int_equal(db_queries(d), 2);
	db_done(s);
	assert_int_equal(db_exec(d, "SELECT 1"), 0);
	assert_int_equal(db_queries(d), 3);
	add_category(d, "counted", -1);  /* one row returned, one query */
	assert_int_equal(db_queries(d), 4);
	db_queries_reset(d);
	assert_int_equal(db_queries(d), 0);
}

static void test_stmt_reuse(void **state) {
	db *d = *state;
	int seq0 = d->pg_stmt_seq;
	db_stmt *first = NULL;
	db_queries_reset(d);
	for (int i = 0; i < 1000; i++) {
		char t[16];
		snprintf(t, sizeof t, "v%d", i);
		db_stmt *s = db_prep(d, "SELECT $1 + 1, COALESCE($2, 'none')");
		if (!first) first = s;
		assert_ptr_equal(s, first);
		db_bind_int(s, 1, i);
		db_bind_text(s, 2, i % 2 ? t : NULL, -1);
		assert_int_equal(db_step(s), DB_ROW);
		assert_int_equal(db_int(s, 0), i + 1);
		assert_string_equal(db_text(s, 1), i % 2 ? t : "none");
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}
	assert_int_equal(db_queries(d), 1000);
	assert_int_equal(d->pg_stmt_seq - seq0, db_kind(d) == DB_PG ? 1 : 0);

	/* db_prep on a statement left mid-result resets it */
	static const char three[] = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $1) SELECT n FROM c";
	db_stmt *s = db_prep(d, three);
	db_bind_int(s, 1, 3);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_int(s, 0), 1);
	db_stmt *s2 = db_prep(d, three);
	assert_ptr_equal(s, s2);
	db_bind_int(s2, 1, 2);
	int rows = 0;
	while (db_step(s2) == DB_ROW) rows++;
	assert_int_equal(rows, 2);
	db_done(s2);
}

static void test_not_pg(void **state) {
	db *d = *state;
	char p[8];
	assert_int_equal(db_kind(d), DB_SQLITE);
	assert_int_equal(db_pg_listen(d, "x"), -1);
	assert_int_equal(db_pg_notify(d, "x", "y"), -1);
	assert_int_equal(db_pg_wait_notify(d, 0, p, sizeof p), -1);
	assert_int_equal(db_pg_generation(d), 0);
}

/* copy.c's table list follows the migrated schema; a table or column it
   forgets is named (the check can fail: a new column makes it fail) */
static void test_copy_columns(void **state) {
	db *d = *state;
	struct forum_err e = {0};
	if (copy_check_columns(d, &e)) fail_msg("%s", e.msg);
	assert_int_equal(db_exec(d, "ALTER TABLE report ADD COLUMN extra INTEGER"), 0);
	assert_int_equal(copy_check_columns(d, &e), -1);
	assert_non_null(strstr(e.msg, "report.extra"));
	assert_int_equal(db_exec(d, "CREATE TABLE stray(x INTEGER)"), 0);
	assert_int_equal(copy_check_columns(d, &e), -1);
	assert_non_null(strstr(e.msg, "stray"));
}

/* PostgreSQL: the indexes and foreign keys of thread and post, as the catalog defines them (SQLite: "") */
static char *pg_keys(db *d) {
	buf b;
	buf_init(&b, 0);
	if (db_kind(d) != DB_PG) return xstrdup("");
	db_stmt *s = db_prep(d, "SELECT indexdef FROM pg_indexes WHERE tablename IN ('thread', 'post') UNION ALL "
	                        "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
	                        "AND conrelid IN (CAST('thread' AS regclass), CAST('post' AS regclass)) ORDER BY 1");
	while (db_step(s) == DB_ROW) {
		buf_puts(&b, db_text(s, 0));
		buf_puts(&b, "\n");
	}
	db_done(s);
	char *out = xstrdup(buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* loulan gen writes with the bulk load and gives thread ids itself: the counters equal the rows, and
   a thread added afterwards (PostgreSQL: from the identity sequence) and a second gen still fit. On
   PostgreSQL the first run (an empty forum) drops the tables' secondary indexes and foreign keys
   and makes them again: the same ones are there after both runs. */
static void test_gen_bulk(void **state) {
	db *d = *state;
	/* an empty forum (the group's database keeps earlier tests' rows): the first run takes the
	   one-transaction path on PostgreSQL */
	if (db_kind(d) == DB_PG) assert_int_equal(db_exec_script(d, "TRUNCATE post_history, post_like, post, thread CASCADE"), 0);
	char *keys0 = pg_keys(d);
	if (db_kind(d) == DB_PG) {
		assert_non_null(strstr(keys0, "post_tid_fkey FOREIGN KEY (tid) REFERENCES thread(tid)"));
		assert_non_null(strstr(keys0, "CREATE INDEX post_user ON"));
	}
	for (int run = 0; run < 2; run++) {
		struct gen_opts o = {2, 30, 700, 120, 7 + (uint64_t)run, NULL, NULL};
		struct gen_stats st;
		struct forum_err e = {0};
		if (forum_gen(d, &o, &st, &e)) fail_msg("gen: %s", e.msg);
		assert_int_equal(st.one_transaction, db_kind(d) == DB_PG && run == 0);
		assert_int_equal(st.threads, 31);
		assert_int_equal(st.posts, 820);
		db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM post WHERE tid >= $1");
		db_bind_int(s, 1, st.first_tid);
		assert_int_equal(one_int(s), 820);
		s = db_prep(d, "SELECT COUNT(*) FROM thread t WHERE t.tid >= $1 AND (t.replies + 1 <> (SELECT COUNT(*) FROM post p "
		               "WHERE p.tid = t.tid) OR t.maxposition <> (SELECT MAX(position) FROM post p WHERE p.tid = t.tid))");
		db_bind_int(s, 1, st.first_tid);
		assert_int_equal(one_int(s), 0);
		s = db_prep(d, "SELECT MAX(tid) FROM thread");
		int64_t maxtid = one_int(s);
		assert_int_equal(maxtid, st.first_tid + 30);
		s = db_prep(d, "INSERT INTO thread(fid, subject, authorid, author, created, lastpost, lastposter) "
		               "SELECT MIN(fid), 'after gen', 0, 'x', 0, 0, 'x' FROM board RETURNING tid");
		assert_true(one_int(s) > maxtid);
		char *keys = pg_keys(d);
		assert_string_equal(keys, keys0);
		free(keys);
	}
	free(keys0);
}

/* copy_keys_drop / _make: gone in between, the same after; more than COPY_MAX_KEYS refused with
   nothing dropped; SQLite: nothing to do */
static void test_copy_keys(void **state) {
	db *d = *state;
	struct copy_keys k;
	char *keys0 = pg_keys(d);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(copy_keys_drop(d, "post", &k), 0);
	if (db_kind(d) != DB_PG) {
		assert_int_equal(k.n, 0);
		assert_int_equal(copy_keys_make(d, &k), 0);
		assert_int_equal(db_rollback(d), 0);
		free(keys0);
		return;
	}
	assert_int_equal(k.n, 4);   /* post_author, post_first_likes, post_user, post_tid_fkey */
	char *mid = pg_keys(d);
	assert_null(strstr(mid, "post_tid_fkey"));
	assert_null(strstr(mid, "post_user"));
	assert_non_null(strstr(mid, "post_tid_position_key"));   /* UNIQUE constraints stay */
	free(mid);
	assert_int_equal(copy_keys_make(d, &k), 0);
	assert_int_equal(k.n, 0);
	char *keys = pg_keys(d);
	assert_string_equal(keys, keys0);
	free(keys);
	assert_int_equal(db_commit(d), 0);
	/* a table with more than COPY_MAX_KEYS of them */
	assert_int_equal(db_exec(d, "CREATE TABLE many(a INTEGER)"), 0);
	for (int i = 0; i <= COPY_MAX_KEYS; i++) {
		char sql[96];
		snprintf(sql, sizeof sql, "CREATE INDEX many_%d ON many(a)", i);
		assert_int_equal(db_exec_script(d, sql), 0);   /* not db_exec: statements are cached by their text's address */
	}
	assert_int_equal(db_begin(d), 0);
	int rc = copy_keys_drop(d, "many", &k);
	assert_int_equal(rc, -2);
	assert_int_equal(k.n, 0);
	assert_non_null(strstr(copy_keys_error(d, rc), "COPY_MAX_KEYS"));
	/* nothing dropped, counted before the rollback (which would put a dropped index back) */
	assert_int_equal(one_int(db_prep(d, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'many'")), COPY_MAX_KEYS + 1);
	assert_int_equal(db_rollback(d), 0);
	/* outside a transaction: refused (each DROP would commit on its own) */
	rc = copy_keys_drop(d, "post", &k);
	assert_int_equal(rc, -3);
	assert_int_equal(k.n, 0);
	assert_non_null(strstr(copy_keys_error(d, rc), "outside a transaction"));
	char *after = pg_keys(d);
	assert_string_equal(after, keys0);
	free(after);
	free(keys0);
}

/* the index's day counters recounted from the posts (gen, the demo): a board's and a member's 今日
   are their posts since midnight, deleted ones not counted; a member whose only post today is
   deleted gets 0; one without posts today is left alone */
static void test_stats_recount(void **state) {
	db *d = *state;
	struct gen_opts o = {2, 4, 40, 0, 3, NULL, NULL};
	struct gen_stats st;
	struct forum_err e = {0};
	if (forum_gen(d, &o, &st, &e)) fail_msg("gen: %s", e.msg);
	time_t now = time(NULL), midnight = timefmt_day_start(now);
	/* posts of today by two members on one board, one deleted; everything else a year old */
	assert_int_equal(db_exec(d, "UPDATE post SET created = 1000"), 0);
	int64_t uid1 = one_int(db_prep(d, "SELECT MIN(authorid) FROM post"));
	int64_t uid2 = one_int(db_prep(d, "SELECT MAX(authorid) FROM post"));
	assert_true(uid1 != uid2);
	int64_t fid = one_int(db_prep(d, "SELECT MIN(fid) FROM post"));
	int64_t pids[3];
	db_stmt *s = db_prep(d, "SELECT pid FROM post WHERE fid = $1 ORDER BY pid LIMIT 3");
	db_bind_int(s, 1, fid);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(db_step(s), DB_ROW);
		pids[i] = db_int(s, 0);
	}
	db_done(s);
	for (int i = 0; i < 3; i++) {
		s = db_prep(d, "UPDATE post SET created = $1, authorid = $2, deleted = $3 WHERE pid = $4");
		db_bind_int(s, 1, (int64_t)midnight + 60 * i);
		db_bind_int(s, 2, i < 2 ? uid1 : uid2);
		db_bind_int(s, 3, i == 2);
		db_bind_int(s, 4, pids[i]);
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}
	assert_int_equal(db_exec(d, "UPDATE board SET todayposts = 99, todaydate = 1"), 0);
	assert_int_equal(db_exec(d, "UPDATE member SET todayposts = 99, todaydate = 1"), 0);
	assert_int_equal(stats_recount(d, now), 0);
	int64_t today = forum_today(now);
	s = db_prep(d, "SELECT COUNT(*) FROM board WHERE todaydate = $1 AND todayposts = CASE WHEN fid = $2 THEN 2 ELSE 0 END");
	db_bind_int(s, 1, today);
	db_bind_int(s, 2, fid);
	assert_int_equal(one_int(s), one_int(db_prep(d, "SELECT COUNT(*) FROM board")));
	for (int i = 0; i < 2; i++) {   /* uid1: two posts today; uid2: one, deleted */
		s = db_prep(d, "SELECT todayposts FROM member WHERE uid = $1 AND todaydate = $2");
		db_bind_int(s, 1, i ? uid2 : uid1);
		db_bind_int(s, 2, today);
		assert_int_equal(one_int(s), i ? 0 : 2);
	}
	s = db_prep(d, "SELECT COUNT(*) FROM member WHERE uid NOT IN ($1, $2) AND (todayposts <> 99 OR todaydate <> 1)");
	db_bind_int(s, 1, uid1);
	db_bind_int(s, 2, uid2);
	assert_int_equal(one_int(s), 0);
	s = db_prep(d, "SELECT todayposts FROM site_stat WHERE todaydate = $1");
	db_bind_int(s, 1, today);
	assert_int_equal(one_int(s), 2);
}

/* ---- PostgreSQL only ---------------------------------------------------- */

/* gen into an empty forum that another session uses (a serving node) keeps the indexes and commits
   per batch: the other session's reads do not wait for the whole run. Empties the forum first. */
static void test_pg_gen_busy(void **state) {
	db *d = *state;
	assert_int_equal(db_exec_script(d, "TRUNCATE post_history, post_like, post, thread CASCADE"), 0);
	db *other = open_or_fail();
	assert_int_equal(one_int(db_prep(other, "SELECT 1")), 1);
	struct gen_opts o = {2, 5, 60, 0, 11, NULL, NULL};
	struct gen_stats st;
	struct forum_err e = {0};
	if (forum_gen(d, &o, &st, &e)) fail_msg("gen: %s", e.msg);
	assert_int_equal(st.first_tid, 1);
	assert_int_equal(st.one_transaction, 0);
	assert_int_equal(one_int(db_prep(other, "SELECT COUNT(*) FROM post")), 60);
	db_close(other);
}

/* search_tsvector's text is PostgreSQL's own form of the same tsvector: sorted, merged, capped */
static void test_pg_tsvector_canonical(void **state) {
	db *d = *state;
	buf big;
	buf_init(&big, 0);
	buf_puts(&big, "济宁市 Linux linux 济宁 b a ab ");
	for (int i = 0; i < 300; i++) buf_puts(&big, "x y ");
	const char *titles[] = {"济宁", "", "Linux 入门", NULL};
	for (int i = 0; titles[i]; i++) {
		char *v = search_tsvector(titles[i], buf_cstr(&big));
		db_stmt *s = db_prep(d, "SELECT CAST(CAST($1 AS tsvector) AS TEXT)");
		db_bind_text(s, 1, v, -1);
		assert_int_equal(db_step(s), DB_ROW);
		assert_string_equal(db_text(s, 0), v);
		db_done(s);
		free(v);
	}
	buf_release(&big);
}

static int64_t backend_pid(db *d) { return one_int(db_prep(d, "SELECT pg_backend_pid()")); }

/* Ends victim's server session from another connection (waits until gone). */
static void kill_backend(db *killer, db *victim) {
	int64_t pid = backend_pid(victim);
	db_stmt *s = db_prep(killer, "SELECT pg_terminate_backend($1::int, 5000)");
	db_bind_int(s, 1, pid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_int(s, 0), 1);  /* "t" */
	db_done(s);
}

static void test_pg_session(void **state) {
	db *d = *state;
	assert_int_equal(db_kind(d), DB_PG);
	db_stmt *s = db_prep(d, "SELECT current_setting('TimeZone'), current_setting('client_min_messages'), true, false");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_text(s, 0), "UTC");
	assert_string_equal(db_text(s, 1), "warning");
	assert_int_equal(db_int(s, 2), 1);
	assert_int_equal(db_int(s, 3), 0);
	db_done(s);

	char err[256];
	db *bad = NULL;
	db_config c = { .data_dir = NULL, .pg_url = "postgres://nobody@127.0.0.1:1/none?connect_timeout=2" };
	assert_int_equal(db_open(&bad, &c, err, sizeof err), -1);
	assert_null(bad);
	assert_non_null(strstr(err, "cannot connect"));
}

static void test_pg_notify(void **state) {
	db *d = *state;
	db *l = open_or_fail();
	char p[64];
	assert_int_equal(db_pg_listen(l, "loulan.inval"), 0);
	assert_int_equal(db_pg_listen(l, "loulan.inval"), 0);
	assert_int_equal(db_pg_wait_notify(l, 0, p, sizeof p), 0);

	assert_int_equal(db_pg_notify(d, "loulan.inval", "board:3 gen:7 版块"), 0);
	assert_int_equal(db_pg_wait_notify(l, 5000, p, sizeof p), 1);
	assert_string_equal(p, "board:3 gen:7 版块");
	assert_int_equal(db_pg_wait_notify(l, 100, p, sizeof p), 0);

	/* in order; other channels are not delivered */
	assert_int_equal(db_pg_notify(d, "other", "no"), 0);
	assert_int_equal(db_pg_notify(d, "loulan.inval", "a"), 0);
	assert_int_equal(db_pg_notify(d, "loulan.inval", "b"), 0);
	assert_int_equal(db_pg_wait_notify(l, 5000, p, sizeof p), 1);
	assert_string_equal(p, "a");
	assert_int_equal(db_pg_wait_notify(l, 5000, p, sizeof p), 1);
	assert_string_equal(p, "b");
	assert_int_equal(db_pg_wait_notify(l, 100, p, sizeof p), 0);

	/* transactional: sent at COMMIT, never after ROLLBACK */
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_pg_notify(d, "loulan.inval", "rolled back"), 0);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(db_begin(d), 0);
	assert_int_equal(db_pg_notify(d, "loulan.inval", "committed"), 0);
	assert_int_equal(db_pg_wait_notify(l, 200, p, sizeof p), 0);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(db_pg_wait_notify(l, 5000, p, sizeof p), 1);
	assert_string_equal(p, "committed");

	/* truncated to the caller's buffer */
	assert_int_equal(db_pg_notify(d, "loulan.inval", "0123456789"), 0);
	assert_int_equal(db_pg_wait_notify(l, 5000, p, 5), 1);
	assert_string_equal(p, "0123");

	/* the listener's session dies: -1, then it is listening again */
	unsigned g = db_pg_generation(l);
	kill_backend(d, l);
	assert_int_equal(db_pg_wait_notify(l, 5000, p, sizeof p), -1);
	assert_int_equal(db_pg_generation(l), g + 1);
	assert_int_equal(db_pg_notify(d, "loulan.inval", "again"), 0);
	assert_int_equal(db_pg_wait_notify(l, 5000, p, sizeof p), 1);
	assert_string_equal(p, "again");
	db_close(l);
}

static void test_pg_reconnect(void **state) {
	db *d = *state;
	db *k = open_or_fail();
	static const char q[] = "SELECT name FROM category WHERE cid = $1";
	int64_t cid = add_category(d, "survives", -1);
	db_stmt *s = db_prep(d, q);  /* prepared in the first session */
	db_bind_int(s, 1, cid);
	assert_int_equal(db_step(s), DB_ROW);
	db_done(s);

	/* outside a transaction: reconnect, re-prepare, retry; counted once */
	unsigned g = db_pg_generation(d);
	int64_t pid = backend_pid(d);
	kill_backend(k, d);
	db_queries_reset(d);
	s = db_prep(d, q);
	db_bind_int(s, 1, cid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_text(s, 0), "survives");
	db_done(s);
	assert_int_equal(db_queries(d), 1);
	assert_int_equal(db_pg_generation(d), g + 1);
	assert_true(backend_pid(d) != pid);
	s = db_prep(d, "SELECT current_setting('TimeZone')");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_text(s, 0), "UTC");
	db_done(s);

	/* the session dies before BEGIN: BEGIN reconnects */
	kill_backend(k, d);
	assert_int_equal(db_begin(d), 0);
	add_category(d, "after-begin-reconnect", -1);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(count_categories(d, "after-begin-reconnect"), 1);

	/* inside a transaction: everything fails until the caller gives up */
	assert_int_equal(db_begin(d), 0);
	add_category(d, "lost-tx", -1);
	kill_backend(k, d);
	s = db_prep(d, "INSERT INTO category(name, displayorder) VALUES ($1, $2) RETURNING cid, name");
	db_bind_text(s, 1, "lost-tx", -1);
	db_bind_int(s, 2, 1);
	assert_int_equal(db_step(s), DB_ERR);
	db_done(s);
	s = db_prep(d, "SELECT 'never prepared before', $1::int");  /* new statement, same answer */
	db_bind_int(s, 1, 1);
	assert_int_equal(db_step(s), DB_ERR);
	db_done(s);
	assert_int_equal(db_commit(d), -1);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(count_categories(d, "lost-tx"), 0);
	s = db_prep(d, "SELECT 'never prepared before', $1::int");
	db_bind_int(s, 1, 1);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_int(s, 1), 1);
	db_done(s);

	/* lost inside a transaction, then rolled back at once */
	assert_int_equal(db_begin(d), 0);
	add_category(d, "lost-tx-2", -1);
	kill_backend(k, d);
	assert_int_equal(db_rollback(d), 0);
	assert_int_equal(count_categories(d, "lost-tx-2"), 0);
	db_close(k);
}

/* ---- bulk load (db_copy) ------------------------------------------------------ */

/* a scratch table: an explicit key, an integer, text that may be NULL, a unique text */
static void copy_table(db *d) {
	assert_int_equal(db_exec_script(d, "CREATE TABLE IF NOT EXISTS copy_t(id BIGINT PRIMARY KEY, n BIGINT, "
	                                   "t TEXT, u TEXT UNIQUE)"), 0);
	assert_int_equal(db_exec_script(d, "DELETE FROM copy_t"), 0);
}

static int64_t copy_count(db *d) { return one_int(db_prep(d, "SELECT COUNT(*) FROM copy_t")); }

/* the copy tests run twice: COPY's text format, then its binary one (db_copy_begin_binary) */
static int g_binary;
static db_copy *copy_begin(db *d, const char *table, const char *cols) {
	return g_binary ? db_copy_begin_binary(d, table, cols) : db_copy_begin(d, table, cols);
}

static void copy_roundtrip(db *d) {
	copy_table(d);
	static const char *const texts[] = {
		"tab\there", "new\nline", "back\\slash", "cr\rlf\r\n", "\\N", "\\\\t literal", "", "論壇「测试」🀄 end\\",
		"\t\n\\", "trailing tab\t",
	};
	int nt = (int)(sizeof texts / sizeof texts[0]);
	assert_int_equal(db_begin(d), 0);
	unsigned q0 = db_queries(d);
	db_copy *c = copy_begin(d, "copy_t", "id, n,t ,u");
	assert_non_null(c);
	for (int i = 0; i < nt; i++) {
		db_copy_int(c, i + 1);
		db_copy_int(c, i == 0 ? INT64_MIN : i == 1 ? INT64_MAX : -i);
		db_copy_text(c, texts[i], -1);
		char u[16];
		snprintf(u, sizeof u, "u%d", i);
		db_copy_text(c, u, -1);   /* a stack buffer: only needed until db_copy_row */
		assert_int_equal(db_copy_row(c), 0);
	}
	/* NULL both ways, and text with an explicit length (no NUL after it) */
	db_copy_int(c, 100);
	db_copy_null(c);
	db_copy_text(c, NULL, 0);
	db_copy_text(c, "abcdef", 3);
	assert_int_equal(db_copy_row(c), 0);
	assert_int_equal(db_copy_rows(c), nt + 1);
	assert_int_equal(db_copy_end(c), 0);
	assert_int_equal(db_queries(d) - q0, 1);
	assert_int_equal(db_commit(d), 0);

	db_stmt *s = db_prep(d, "SELECT id, n, t, u FROM copy_t ORDER BY id");
	for (int i = 0; i < nt; i++) {
		assert_int_equal(db_step(s), DB_ROW);
		assert_int_equal(db_int(s, 0), i + 1);
		assert_true(db_int(s, 1) == (i == 0 ? INT64_MIN : i == 1 ? INT64_MAX : -i));
		assert_false(db_isnull(s, 2));
		assert_int_equal(db_len(s, 2), (int)strlen(texts[i]));
		assert_memory_equal(db_text(s, 2), texts[i], strlen(texts[i]));
	}
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_int(s, 0), 100);
	assert_true(db_isnull(s, 1));
	assert_true(db_isnull(s, 2));
	assert_string_equal(db_text(s, 3), "abc");
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
}

static void test_copy_roundtrip(void **state) {
	for (g_binary = 0; g_binary < 2; g_binary++) copy_roundtrip(*state);
	g_binary = 0;
}

/* db_copy_raw: a value in its type's binary form, in a binary copy on PostgreSQL (a tsvector from
   search_tsvector_bin reads back as search_tsvector's text); refused in a text copy and on SQLite */
static void test_copy_raw(void **state) {
	db *d = *state;
	int pg = db_kind(d) == DB_PG;
	assert_int_equal(db_exec_script(d, pg ? "CREATE TABLE IF NOT EXISTS copy_v(id BIGINT PRIMARY KEY, v tsvector)"
	                                      : "CREATE TABLE IF NOT EXISTS copy_v(id INTEGER PRIMARY KEY, v TEXT)"), 0);
	/* the last: 20,000 words (positions capped at 16383, tied there) with "x" 10,000 times (256 kept) */
	buf big;
	buf_init(&big, 0);
	for (int i = 0; i < 10000; i++) buf_appendf(&big, "x w%d ", i % 997);
	const char *docs[][2] = {
		{"济宁", "济宁市 Linux linux 济宁 b a ab"}, {"", ""}, {NULL, "x x x y"}, {"Linux 入门", "一二三四五 one two"},
		{"x 标题", buf_cstr(&big)},
	};
	int nd = (int)(sizeof docs / sizeof docs[0]);
	for (int binary = 0; binary < 2; binary++) {
		assert_int_equal(db_begin(d), 0);
		db_copy *c = binary ? db_copy_begin_binary(d, "copy_v", "id, v") : db_copy_begin(d, "copy_v", "id, v");
		assert_non_null(c);
		int rc = 0;
		for (int i = 0; i < nd && !rc; i++) {
			size_t n;
			char *v = search_tsvector_bin(docs[i][0], docs[i][1], &n);
			db_copy_int(c, i + 1);
			db_copy_raw(c, v, (int)n);
			rc = db_copy_row(c);
			free(v);
		}
		if (!binary || !pg) {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(db_errmsg(d), "copy_v row 1: column 2 a raw value outside a binary copy"));
			assert_int_equal(db_copy_end(c), -1);
			assert_int_equal(db_rollback(d), 0);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(db_copy_end(c), 0);
		assert_int_equal(db_commit(d), 0);
		db_stmt *s = db_prep(d, "SELECT id, CAST(v AS TEXT) FROM copy_v ORDER BY id");
		for (int i = 0; i < nd; i++) {
			assert_int_equal(db_step(s), DB_ROW);
			char *want = search_tsvector(docs[i][0], docs[i][1]);
			assert_string_equal(db_text(s, 1), want);
			free(want);
		}
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}
	/* a raw value of negative length fails its row */
	assert_int_equal(db_begin(d), 0);
	db_copy *c = db_copy_begin_binary(d, "copy_v", "id, v");
	assert_non_null(c);
	db_copy_int(c, 99);
	db_copy_raw(c, "", -1);
	assert_int_equal(db_copy_row(c), -1);
	assert_non_null(strstr(db_errmsg(d), "negative length"));
	assert_int_equal(db_copy_end(c), -1);
	assert_int_equal(db_rollback(d), 0);
	buf_release(&big);
}

/* n rows with id i+1 and u "u<i>", except row bad (1-based) which repeats row 1's u */
static int copy_rows_with_dup(db *d, int n, int bad, int *failed_at) {
	char pad[300];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = 0;
	db_copy *c = copy_begin(d, "copy_t", "id, n, t, u");
	assert_non_null(c);
	*failed_at = 0;
	for (int i = 0; i < n; i++) {
		char u[16];
		snprintf(u, sizeof u, "u%d", i + 1 == bad ? 0 : i);
		db_copy_int(c, i + 1);
		db_copy_int(c, i);
		db_copy_text(c, pad, -1);
		db_copy_text(c, u, -1);
		if (db_copy_row(c)) {
			*failed_at = i + 1;
			break;
		}
	}
	return db_copy_end(c);
}

static void copy_constraint(db *d) {
	copy_table(d);
	/* a small copy: the duplicate is row 3 (on PostgreSQL reported at the end) */
	for (int big = 0; big < 2; big++) {
		int n = big ? 3000 : 5, bad = big ? 2500 : 3, failed_at;
		assert_int_equal(db_begin(d), 0);
		assert_int_equal(copy_rows_with_dup(d, n, bad, &failed_at), -1);
		assert_int_equal(db_errclass(d), DB_E_CONSTRAINT);
		char want[64];
		snprintf(want, sizeof want, "copy_t row %d: ", bad);
		if (!strstr(db_errmsg(d), want)) fail_msg("error without \"%s\": %s", want, db_errmsg(d));
		/* rows past DB_COPY_FLUSH: the error may come at the failing row or a later flush, never before */
		assert_true(failed_at == 0 || failed_at >= bad);
		assert_int_equal(db_rollback(d), 0);
		assert_int_equal(copy_count(d), 0);   /* nothing of it is kept */
	}
	/* the connection copies again after the rollback */
	assert_int_equal(db_begin(d), 0);
	int failed_at;
	assert_int_equal(copy_rows_with_dup(d, 3000, 0, &failed_at), 0);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(copy_count(d), 3000);
}

static void test_copy_constraint(void **state) {
	for (g_binary = 0; g_binary < 2; g_binary++) copy_constraint(*state);
	g_binary = 0;
}

static void test_copy_limits(void **state) {
	db *d = *state;
	copy_table(d);
	/* outside a transaction */
	assert_null(db_copy_begin(d, "copy_t", "id"));
	assert_non_null(strstr(db_errmsg(d), "transaction"));
	assert_int_equal(db_begin(d), 0);
	/* names that are not plain identifiers, and a column list over DB_COPY_MAX_COLS */
	static const char *const bad[][2] = {
		{"copy_t; DROP TABLE copy_t", "id"}, {"copy_t", "id, n); DROP TABLE copy_t; --"}, {"copy_t", "id,,n"},
		{"copy_t", ""}, {"copy_t", "id n"}, {"", "id"}, {"copy_t", "id,"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_null(db_copy_begin(d, bad[i][0], bad[i][1]));
	buf cols;
	buf_init(&cols, 0);
	for (int i = 0; i <= DB_COPY_MAX_COLS; i++) buf_appendf(&cols, i ? ", c%d" : "c%d", i);
	assert_null(db_copy_begin(d, "copy_t", buf_cstr(&cols)));
	assert_non_null(strstr(db_errmsg(d), "DB_COPY_MAX_COLS"));
	buf_release(&cols);
	/* a column that does not exist: refused at once */
	assert_null(db_copy_begin(d, "copy_t", "id, nosuch"));
	assert_int_equal(db_rollback(d), 0);

	/* too few values, too many values, a NUL byte, a value over DB_COPY_MAX_VALUE, values left over */
	char *huge = malloc((size_t)DB_COPY_MAX_VALUE + 1);
	assert_non_null(huge);
	memset(huge, 'h', (size_t)DB_COPY_MAX_VALUE + 1);
	for (int k = 0; k < 5; k++) {
		assert_int_equal(db_begin(d), 0);
		db_copy *c = db_copy_begin(d, "copy_t", "id, u");
		assert_non_null(c);
		db_copy_int(c, 1);
		db_copy_text(c, "ok", -1);
		assert_int_equal(db_copy_row(c), 0);
		db_copy_int(c, 2);
		const char *want;
		if (k == 0) want = "copy_t row 2: 1 values for 2 columns";
		else if (k == 1) {
			db_copy_text(c, "a", -1);
			db_copy_text(c, "b", -1);
			want = "copy_t row 2: 3 values for 2 columns";
		} else if (k == 2) {
			db_copy_text(c, "nul\0byte", 8);
			want = "copy_t row 2: column 2 text contains a NUL byte";
		} else if (k == 3) {
			db_copy_text(c, huge, DB_COPY_MAX_VALUE + 1);
			want = "copy_t row 2: column 2 text longer than DB_COPY_MAX_VALUE";
		} else {
			want = "copy_t row 2: 1 values left without db_copy_row";
		}
		if (k < 4) {
			assert_int_equal(db_copy_row(c), -1);
			assert_string_equal(db_errmsg(d), want);
			db_copy_int(c, 3);   /* refused after the first error */
			db_copy_text(c, "later", -1);
			assert_int_equal(db_copy_row(c), -1);
		}
		assert_int_equal(db_copy_end(c), -1);
		assert_string_equal(db_errmsg(d), want);
		assert_int_equal(db_rollback(d), 0);
		assert_int_equal(copy_count(d), 0);
	}
	/* a value of exactly DB_COPY_MAX_VALUE bytes goes in */
	assert_int_equal(db_begin(d), 0);
	db_copy *c = db_copy_begin(d, "copy_t", "id, t");
	assert_non_null(c);
	db_copy_int(c, 7);
	db_copy_text(c, huge, DB_COPY_MAX_VALUE);
	assert_int_equal(db_copy_row(c), 0);
	assert_int_equal(db_copy_end(c), 0);
	assert_int_equal(db_commit(d), 0);
	free(huge);
	assert_int_equal(one_int(db_prep(d, "SELECT LENGTH(t) FROM copy_t WHERE id = 7")), DB_COPY_MAX_VALUE);
}

int main(void) {
	const struct CMUnitTest common[] = {
		cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_text_roundtrip, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_int64_extremes, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_constraint, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_transactions, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_query_counter, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_stmt_reuse, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_not_pg, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_columns, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_roundtrip, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_raw, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_constraint, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_limits, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_gen_bulk, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_keys, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_stats_recount, setup_db, teardown_db),
	};
	const struct CMUnitTest pg[] = {
		cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_text_roundtrip, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_int64_extremes, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_constraint, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_transactions, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_query_counter, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_stmt_reuse, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_pg_session, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_pg_gen_busy, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_pg_tsvector_canonical, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_pg_notify, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_pg_reconnect, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_roundtrip, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_raw, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_constraint, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_limits, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_gen_bulk, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_copy_keys, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_stats_recount, setup_db, teardown_db),
	};
	int failed = cmocka_run_group_tests_name("db_sqlite", common, sqlite_group_setup, sqlite_group_teardown);
	const char *url = getenv("LOULAN_TEST_PG");
	if (url && *url) failed += cmocka_run_group_tests_name("db_pg", pg, pg_group_setup, pg_group_teardown);
	else printf("test_db: LOULAN_TEST_PG not set, PostgreSQL group skipped\n");
	return failed ? 1 : 0;
}
