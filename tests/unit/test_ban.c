/* Unit tests for the pure rules of forum/ban.c and forum/approve.c: who may ban whom
   (ban_allowed: members, a moderator of another board, the board's moderator, super
   moderators, admins, staff targets, oneself), IP ranges (ipban_parse) and who is held
   for approval (approval_needed). The moderator and approval caches come from a fresh
   SQLite database; no rule under test runs a query. */
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
#include "forum/site.h"
#include "forum/write.h"
#include "forum/perm.h"
#include "forum/user.h"
#include "forum/ban.h"
#include "forum/approve.h"
#include "forum/moderate.h"

static char g_dir[64];
static db *g_db;
static int64_t g_fid, g_fid2, g_modA, g_modB;

static void test_ban_allowed(void **st) {
	const char *why;
	struct actor member = {50, GROUP_MEMBER_FIRST, "m", 0}, guest = {0, GROUP_GUEST, NULL, 0};
	struct actor modA = {g_modA, GROUP_MEMBER_FIRST, "modA", 0}, modB = {g_modB, GROUP_MEMBER_FIRST, "modB", 0};
	struct actor super = {60, GROUP_SUPERMOD, "s", 0}, admin = {70, GROUP_ADMIN, "a", 0}, console = {0, 1, "c", 1};
	/* 禁言 in board A: its moderator, super moderators, admins */
	assert_false(ban_allowed(&guest, 99, 0, BAN_POST, g_fid, &why));
	assert_false(ban_allowed(&member, 99, 0, BAN_POST, g_fid, &why));
	assert_false(ban_allowed(&modB, 99, 0, BAN_POST, g_fid, &why));
	assert_string_equal(why, "只有本版版主、超级版主和管理员可以禁止该用户。");
	assert_true(ban_allowed(&modA, 99, 0, BAN_POST, g_fid, &why));
	assert_true(ban_allowed(&super, 99, 0, BAN_POST, g_fid, &why));
	assert_true(ban_allowed(&admin, 99, 0, BAN_POST, g_fid, &why));
	assert_true(ban_allowed(&console, 99, BAN_TARGET_ADMIN, BAN_VISIT, 0, &why));
	/* without a board, and 禁止访问: super moderators and admins */
	assert_false(ban_allowed(&modA, 99, 0, BAN_POST, 0, &why));
	assert_false(ban_allowed(&modA, 99, 0, BAN_VISIT, g_fid, &why));
	assert_string_equal(why, "只有超级版主和管理员可以禁止用户访问。");
	assert_true(ban_allowed(&super, 99, 0, BAN_VISIT, 0, &why));
	/* staff and oneself */
	assert_false(ban_allowed(&super, 60, 0, BAN_POST, 0, &why));
	assert_string_equal(why, "不能禁止自己。");
	assert_false(ban_allowed(&super, 99, BAN_TARGET_STAFF, BAN_POST, 0, &why));
	assert_true(ban_allowed(&admin, 99, BAN_TARGET_STAFF, BAN_POST, 0, &why));
	assert_false(ban_allowed(&admin, 99, BAN_TARGET_ADMIN, BAN_POST, 0, &why));
	assert_string_equal(why, "不能禁止管理员。");
	/* a banned moderator has no power */
	struct actor gagged = {g_modA, GROUP_BANNED_POST, "modA", 0};
	assert_false(ban_allowed(&gagged, 99, 0, BAN_POST, g_fid, &why));
}

static void test_ipban_parse(void **st) {
	char lo[33], hi[33];
	assert_int_equal(ipban_parse("192.0.2.7", lo, hi), 0);
	assert_string_equal(lo, "00000000000000000000ffffc0000207");
	assert_string_equal(hi, lo);
	assert_int_equal(ipban_parse("192.0.2.0/24", lo, hi), 0);
	assert_string_equal(lo, "00000000000000000000ffffc0000200");
	assert_string_equal(hi, "00000000000000000000ffffc00002ff");
	assert_int_equal(ipban_parse("10.0.0.0/0", lo, hi), 0);
	assert_string_equal(lo, "00000000000000000000ffff00000000");
	assert_string_equal(hi, "00000000000000000000ffffffffffff");
	assert_int_equal(ipban_parse("2001:db8::/32", lo, hi), 0);
	assert_string_equal(lo, "20010db8000000000000000000000000");
	assert_string_equal(hi, "20010db8ffffffffffffffffffffffff");
	assert_int_equal(ipban_parse("2001:db8::1/127", lo, hi), 0);
	assert_string_equal(lo, "20010db8000000000000000000000000");
	assert_string_equal(hi, "20010db8000000000000000000000001");
	static const char *const bad[] = {"", "/24", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/2x", "300.1.1.1",
	                                  "::/129", "1.2.3.4/0024", "abc", "1.2.3.4 ", NULL};
	for (int i = 0; bad[i]; i++) assert_int_equal(ipban_parse(bad[i], lo, hi), -1);
	char big[IPBAN_CIDR_MAX + 2];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(ipban_parse(big, lo, hi), -1);   /* past IPBAN_CIDR_MAX */
	assert_int_equal(ipban_parse(NULL, lo, hi), -1);
}

static void test_approval_needed(void **st) {
	struct actor newbie = {50, GROUP_MEMBER_FIRST, "n", 0}, other = {51, GROUP_MEMBER_FIRST + 1, "o", 0};
	struct actor modA = {g_modA, GROUP_MEMBER_FIRST, "modA", 0}, modB = {g_modB, GROUP_MEMBER_FIRST, "modB", 0};
	struct actor super = {60, GROUP_SUPERMOD, "s", 0}, console = {50, GROUP_MEMBER_FIRST, "n", 1};
	/* board A holds threads from group 10 only; board B holds replies from every member group */
	assert_true(approval_needed(&newbie, g_fid, APPROVE_THREADS));
	assert_false(approval_needed(&newbie, g_fid, APPROVE_REPLIES));
	assert_false(approval_needed(&other, g_fid, APPROVE_THREADS));
	assert_false(approval_needed(&modA, g_fid, APPROVE_THREADS));    /* the board's moderator */
	assert_true(approval_needed(&modB, g_fid, APPROVE_THREADS));     /* another board's moderator */
	assert_false(approval_needed(&super, g_fid, APPROVE_THREADS));
	assert_false(approval_needed(&console, g_fid, APPROVE_THREADS));
	assert_true(approval_needed(&other, g_fid2, APPROVE_REPLIES));
	assert_false(approval_needed(&other, g_fid2, APPROVE_THREADS));
	assert_false(approval_needed(&super, g_fid2, APPROVE_REPLIES));
	assert_false(approval_needed(&newbie, 999, APPROVE_THREADS));
}

static int setup(void **state) {
	snprintf(g_dir, sizeof g_dir, "/tmp/loulan-test-ban.XXXXXX");
	if (!mkdtemp(g_dir)) return -1;
	db_config cfg = {.data_dir = g_dir, .pg_url = NULL};
	char err[256];
	struct forum_err e = {0};
	if (db_open(&g_db, &cfg, err, sizeof err) || db_migrate(g_db, err, sizeof err)) return -1;
	int64_t cid;
	if (site_init_defaults(g_db) || forum_category_add(g_db, "分区", &cid) ||
	    forum_board_add(g_db, cid, "一", "", NULL, &g_fid, &e) || forum_board_add(g_db, cid, "二", "", NULL, &g_fid2, &e))
		return -1;
	if (site_load(g_db) || groups_load(g_db) || perm_load(g_db) || mod_load(g_db)) return -1;
	if (user_add(g_db, "modA", NULL, "password123", 0, &g_modA, &e) || user_add(g_db, "modB", NULL, "password123", 0, &g_modB, &e))
		return -1;
	struct actor root = {0, GROUP_ADMIN, "root", 1};
	if (mod_set(g_db, &root, g_fid, "modA", 0, &e) || mod_set(g_db, &root, g_fid2, "modB", 0, &e)) return -1;
	if (approval_set(g_db, g_fid, APPROVE_THREADS, "10", &e) || approval_set(g_db, g_fid2, APPROVE_REPLIES, "", &e)) return -1;
	return mod_load(g_db) || approval_load(g_db) ? -1 : 0;
}

static int teardown(void **state) {
	perm_free();
	mod_free();
	approval_free();
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
		cmocka_unit_test(test_ban_allowed), cmocka_unit_test(test_ipban_parse), cmocka_unit_test(test_approval_needed),
	};
	return cmocka_run_group_tests_name("ban_rules", tests, setup, teardown);
}
