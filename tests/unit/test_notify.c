/* Unit tests for forum/notify.c (提醒) on a fresh SQLite database: a row and the unread
   count, grouped likes, switched-off kinds, one's own act, marking read, the list's cursor;
   the targets' groups read again in the write's transaction (notify_targets_refresh). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "forum/forum.h"
#include "forum/notify.h"
#include "util/arena.h"

static char g_dir[64];
static db *g_db;

static int64_t unread(int64_t uid) {
	int64_t n = -1;
	assert_int_equal(notify_unread(g_db, uid, &n), 0);
	return n;
}

static void test_add_and_count(void **st) {
	(void)st;
	assert_int_equal(unread(10), 0);
	struct notify n = {.kind = NK_REPLY, .uid = 10, .actor_uid = 11, .actor_name = "乙", .fid = 1, .tid = 2, .pid = 3,
	                   .subject = "主题"};
	assert_int_equal(notify_add(g_db, &n, 1000), 1);
	assert_int_equal(unread(10), 1);
	n.actor_uid = 10;   /* one's own act */
	assert_int_equal(notify_add(g_db, &n, 1001), 0);
	n.uid = 0;
	assert_int_equal(notify_add(g_db, &n, 1001), 0);
	assert_int_equal(unread(10), 1);
}

/* uid's notices are one row, a group of nactors, the last by actor_uid at updated */
static void expect_one_group(int64_t uid, int64_t nactors, int64_t actor_uid, int64_t updated) {
	arena a;
	arena_init(&a);
	struct notify_row *rows;
	assert_int_equal(notify_list(g_db, &a, uid, 0, 0, 0, 10, &rows), 1);
	assert_int_equal(rows[0].nactors, nactors);
	assert_int_equal(rows[0].actor_uid, actor_uid);
	assert_int_equal(rows[0].updated, updated);
	arena_free(&a);
}

static void test_grouped_likes(void **st) {
	(void)st;
	for (int i = 0; i < 5; i++) {
		struct notify n = {.kind = NK_LIKE, .uid = 20, .actor_uid = 30 + i, .actor_name = "赞者", .tid = 2, .pid = 7};
		assert_int_equal(notify_add(g_db, &n, 2000 + i), 1);
	}
	assert_int_equal(unread(20), 1);   /* one row for the post */
	expect_one_group(20, 5, 34, 2004);
	/* another post: its own row; once read, a new like starts a new row */
	struct notify other = {.kind = NK_LIKE, .uid = 20, .actor_uid = 40, .pid = 8};
	assert_int_equal(notify_add(g_db, &other, 2010), 1);
	assert_int_equal(unread(20), 2);
	assert_int_equal(notify_mark_read(g_db, 20, NULL, 0, 1), 2);
	assert_int_equal(unread(20), 0);
	struct notify again = {.kind = NK_LIKE, .uid = 20, .actor_uid = 41, .pid = 7};
	assert_int_equal(notify_add(g_db, &again, 2020), 1);
	assert_int_equal(unread(20), 1);
	arena a;
	arena_init(&a);
	struct notify_row *rows;
	assert_int_equal(notify_list(g_db, &a, 20, 1, 0, 0, 10, &rows), 1);
	assert_int_equal(rows[0].nactors, 1);
	arena_free(&a);
}

static void test_switched_off(void **st) {
	(void)st;
	assert_int_equal(notify_set_kinds_off(g_db, 50, (int64_t)1 << NK_MENTION), 0);
	int64_t off;
	assert_int_equal(notify_kinds_off(g_db, 50, &off), 0);
	assert_int_equal(off, (int64_t)1 << NK_MENTION);
	struct notify n = {.kind = NK_MENTION, .uid = 50, .actor_uid = 51, .pid = 9};
	assert_int_equal(notify_add(g_db, &n, 3000), 0);
	n.kind = NK_QUOTE;
	assert_int_equal(notify_add(g_db, &n, 3000), 1);
	assert_int_equal(unread(50), 1);
	assert_int_equal(notify_set_kinds_off(g_db, 50, -1), 0);   /* unknown bits are dropped */
	assert_int_equal(notify_kinds_off(g_db, 50, &off), 0);
	assert_int_equal(off, ((int64_t)1 << NK_COUNT) - 1);
	/* a grouped kind switched off while its row is unread: the row is left as it was (the UPDATE that
	   adds to a group asks member_notify too), and switched on again the next reply adds to it */
	assert_int_equal(notify_set_kinds_off(g_db, 80, 0), 0);
	struct notify r = {.kind = NK_REPLY, .uid = 80, .actor_uid = 61, .actor_name = "甲", .tid = 5, .pid = 50};
	assert_int_equal(notify_add(g_db, &r, 3100), 1);
	r.actor_uid = 62;
	assert_int_equal(notify_add(g_db, &r, 3101), 1);
	assert_int_equal(notify_set_kinds_off(g_db, 80, (int64_t)1 << NK_REPLY), 0);
	r.actor_uid = 63;
	assert_int_equal(notify_add(g_db, &r, 3102), 0);
	expect_one_group(80, 2, 62, 3101);
	assert_int_equal(notify_set_kinds_off(g_db, 80, 0), 0);
	r.actor_uid = 64;
	assert_int_equal(notify_add(g_db, &r, 3103), 1);
	expect_one_group(80, 3, 64, 3103);
	assert_int_equal(unread(80), 1);
}

static void test_mark_and_page(void **st) {
	(void)st;
	int64_t ids[30];
	arena a;
	arena_init(&a);
	for (int i = 0; i < 30; i++) {
		struct notify n = {.kind = NK_MENTION, .uid = 60, .actor_uid = 61, .pid = 100 + i,
		                   .extra = i == 0 ? NULL : "理由"};
		assert_int_equal(notify_add(g_db, &n, 4000 + i / 3), 1);   /* same seconds: the id breaks ties */
	}
	struct notify_row *rows;
	int64_t bu = 0, bi = 0, seen = 0, last_pid = 1000;
	for (;;) {
		int n = notify_list(g_db, &a, 60, 0, bu, bi, 7, &rows);
		assert_true(n >= 0);
		if (!n) break;
		for (int i = 0; i < n; i++) {
			assert_true(rows[i].pid < last_pid);   /* newest first, none twice */
			last_pid = rows[i].pid;
			ids[seen++] = rows[i].id;
		}
		bu = rows[n - 1].updated;
		bi = rows[n - 1].id;
	}
	assert_int_equal(seen, 30);
	assert_int_equal(unread(60), 30);
	int64_t some[3] = {ids[0], ids[5], 999999};   /* an id that is not the member's */
	assert_int_equal(notify_mark_read(g_db, 60, some, 3, 0), 2);
	assert_int_equal(unread(60), 28);
	assert_int_equal(notify_mark_read(g_db, 61, ids, 30, 0), 0);   /* others' rows stay */
	assert_int_equal(unread(60), 28);
	assert_int_equal(notify_list(g_db, &a, 60, 1, 0, 0, 50, &rows), 28);
	assert_int_equal(notify_mark_read(g_db, 60, NULL, 0, 1), 28);
	assert_int_equal(unread(60), 0);
	arena_free(&a);
}

static void test_long_text_cut(void **st) {
	(void)st;
	char big[NOTIFY_SUBJECT_MAX * 2 + 8];
	size_t n = 0;
	while (n + 3 < sizeof big - 1) { memcpy(big + n, "字", 3); n += 3; }
	big[n] = 0;
	struct notify no = {.kind = NK_MOD, .uid = 70, .actor_uid = 71, .subject = big, .extra = big};
	assert_int_equal(notify_add(g_db, &no, 5000), 1);
	arena a;
	arena_init(&a);
	struct notify_row *rows;
	assert_int_equal(notify_list(g_db, &a, 70, 0, 0, 0, 1, &rows), 1);
	assert_true(strlen(rows[0].subject) <= NOTIFY_SUBJECT_MAX);
	assert_int_equal(strlen(rows[0].subject) % 3, 0);   /* whole characters */
	arena_free(&a);
}

static void test_follow(void **st) {
	(void)st;
	int on = -1;
	assert_int_equal(notify_following(g_db, 5, 80, &on), 0);
	assert_int_equal(on, 0);
	assert_int_equal(notify_follow(g_db, 5, 80, 1, 6000), 0);
	assert_int_equal(notify_follow(g_db, 5, 80, 1, 6001), 0);   /* twice is fine */
	assert_int_equal(notify_following(g_db, 5, 80, &on), 0);
	assert_int_equal(on, 1);
	assert_int_equal(notify_follow(g_db, 5, 80, 0, 6002), 0);
	assert_int_equal(notify_following(g_db, 5, 80, &on), 0);
	assert_int_equal(on, 0);
}

/* targets resolved earlier (another thread) judged by the groups they have now: one moved to another
   group takes it, one gone is dropped (uid 0), the rest kept; no targets, no query */
static void test_targets_refresh(void **st) {
	(void)st;
	int64_t uid[3];
	static const char *const names[] = {"refresh_a", "refresh_b", "refresh_c"};
	for (int i = 0; i < 3; i++) {
		db_stmt *s = db_prep(g_db, "INSERT INTO member(username, username_key, groupid, regdate) VALUES ($1, $1, 10, 0) "
		                           "RETURNING uid");
		db_bind_text(s, 1, names[i], -1);
		assert_int_equal(db_step(s), DB_ROW);
		uid[i] = db_int(s, 0);
		db_done(s);
	}
	struct notify_targets t = {0};
	t.nmention = 2;
	t.mention_uid[0] = uid[0];
	t.mention_group[0] = 10;
	t.mention_uid[1] = uid[1];
	t.mention_group[1] = 10;
	t.nquote = 1;
	t.quote_uid[0] = uid[2];
	t.quote_group[0] = 10;
	t.quote_pid[0] = 99;
	db_stmt *s = db_prep(g_db, "UPDATE member SET groupid = 5 WHERE uid = $1");   /* 禁止访问 meanwhile */
	db_bind_int(s, 1, uid[0]);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	s = db_prep(g_db, "DELETE FROM member WHERE uid = $1");   /* gone meanwhile */
	db_bind_int(s, 1, uid[2]);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	assert_int_equal(notify_targets_refresh(g_db, &t), 0);
	assert_int_equal(t.nmention, 2);
	assert_int_equal(t.mention_uid[0], uid[0]);
	assert_int_equal(t.mention_group[0], 5);
	assert_int_equal(t.mention_uid[1], uid[1]);
	assert_int_equal(t.mention_group[1], 10);
	assert_int_equal(t.nquote, 1);
	assert_int_equal(t.quote_uid[0], 0);
	struct notify_targets none = {0};
	db_queries_reset(g_db);
	assert_int_equal(notify_targets_refresh(g_db, &none), 0);
	assert_int_equal(db_queries(g_db), 0);
}

static int setup(void **state) {
	(void)state;
	snprintf(g_dir, sizeof g_dir, "/tmp/loulan-test-notify.XXXXXX");
	if (!mkdtemp(g_dir)) return -1;
	db_config cfg = {.data_dir = g_dir, .pg_url = NULL};
	char err[256];
	if (db_open(&g_db, &cfg, err, sizeof err) || db_migrate(g_db, err, sizeof err)) {
		print_error("db: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state) {
	(void)state;
	db_close(g_db);
	static const char *const files[] = {"loulan.db", "loulan.db-wal", "loulan.db-shm"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", g_dir, files[i]);
		unlink(path);
	}
	return rmdir(g_dir);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_count), cmocka_unit_test(test_grouped_likes), cmocka_unit_test(test_switched_off),
		cmocka_unit_test(test_mark_and_page), cmocka_unit_test(test_long_text_cut), cmocka_unit_test(test_follow),
		cmocka_unit_test(test_targets_refresh),
	};
	return cmocka_run_group_tests_name("notify", tests, setup, teardown);
}
