/* Unit tests for the pure rules of forum/: title and body checks, the quote
   block, the acting user's rights (perm_check, edit, the closed-thread rule,
   the moderator-only rule, the console's override). The group and board
   permission caches are loaded once from a fresh SQLite database; no rule
   under test runs a query. (The credit formula is in test_credit.c.) */
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
#include "forum/posting.h"
#include "forum/perm.h"
#include "forum/react.h"
#include "forum/moderate.h"
#include "forum/user.h"

static char g_dir[64];
static db *g_db;
static int64_t g_fid, g_fid2;   /* two boards; the second gets its own permission row */

/* S repeated N times into out, then TAIL */
static void repeat(char *out, size_t cap, const char *s, int n, const char *tail) {
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < n; i++) len += (size_t)snprintf(out + len, cap - len, "%s", s);
	snprintf(out + len, cap - len, "%s", tail);
}

/* ---- title, body, format -------------------------------------------------- */

static void test_title(void **st) {
	struct forum_err e;
	assert_int_equal(forum_check_title("你好，世界", &e), 0);
	assert_int_equal(forum_check_title(NULL, &e), FORUM_E_INVALID);
	assert_int_equal(e.code, FORUM_E_INVALID);
	assert_int_equal(forum_check_title("", &e), FORUM_E_INVALID);
	assert_string_equal(e.msg, "请填写标题。");
	assert_int_equal(forum_check_title("   ", &e), FORUM_E_INVALID);   /* only spaces: text_problem (util/text.c) */
	assert_string_equal(e.msg, "请填写标题：不能只有空格或不可见字符。");
	char t[FORUM_TITLE_MAX * 3 + 8];
	repeat(t, sizeof t, "字", FORUM_TITLE_MAX, "");
	assert_int_equal(forum_check_title(t, &e), 0);          /* exactly the limit, in characters */
	repeat(t, sizeof t, "字", FORUM_TITLE_MAX + 1, "");
	assert_int_equal(forum_check_title(t, &e), FORUM_E_INVALID);
	assert_non_null(strstr(e.msg, "最多 80 个字符"));
	assert_int_equal(forum_check_title("a\x01" "b", &e), FORUM_E_INVALID);
	assert_int_equal(forum_check_title("a\nb", &e), FORUM_E_INVALID);
	assert_int_equal(forum_check_title("a\x7f", &e), FORUM_E_INVALID);
	assert_int_equal(forum_check_title("a\xc2\x85" "b", &e), FORUM_E_INVALID);   /* C1 control U+0085 */
	assert_int_equal(forum_check_title("a\xff", &e), FORUM_E_INVALID);           /* not UTF-8 */
}

static void test_body(void **st) {
	struct forum_err e;
	assert_int_equal(forum_check_body("正文", NULL, &e), 0);
	assert_int_equal(forum_check_body("正文", "markdown", &e), 0);
	assert_int_equal(forum_check_body("正文", "html", &e), FORUM_E_INVALID);
	assert_int_equal(forum_check_format("bbcode", &e), 0);
	assert_int_equal(forum_check_format("BBCode", &e), FORUM_E_INVALID);
	assert_int_equal(forum_check_body(NULL, "bbcode", &e), FORUM_E_INVALID);
	assert_int_equal(forum_check_body(" \r\n\t ", "bbcode", &e), FORUM_E_INVALID);
	assert_int_equal(forum_check_body("\xfe\xff", "bbcode", &e), FORUM_E_INVALID);
	char *big = malloc(FORUM_BODY_MAX + 2);
	memset(big, 'x', FORUM_BODY_MAX + 1);
	big[FORUM_BODY_MAX] = 0;
	assert_int_equal(forum_check_body(big, "bbcode", &e), 0);          /* exactly the limit, in bytes */
	big[FORUM_BODY_MAX] = 'x';
	big[FORUM_BODY_MAX + 1] = 0;
	assert_int_equal(forum_check_body(big, "bbcode", &e), FORUM_E_TOOBIG);
	assert_int_equal(e.code, FORUM_E_TOOBIG);
	free(big);
}

/* ---- the quote block -------------------------------------------------------- */

static void test_quote(void **st) {
	arena a;
	arena_init(&a);
	struct post_full p;
	memset(&p, 0, sizeof p);
	p.pid = 42;
	p.author = "alice";
	p.created = 1700000000;
	/* quoted from the floor's rendered HTML, in the reply's format (markup/quote.c) */
	p.html = "<p><strong>粗体</strong>正文</p><blockquote>被引用的旧话</blockquote><p>尾巴 <a href=\"http://x\">链接</a></p>";
	const char *q = forum_quote(&a, &p, "bbcode");
	const char *head = "[quote][size=2][url=/p/42][color=#999999]alice 发表于 ";
	assert_true(!strncmp(q, head, strlen(head)));
	assert_non_null(strstr(q, "[b]粗体[/b]"));
	assert_non_null(strstr(q, "[url=http://x]链接[/url]"));
	assert_null(strstr(q, "旧话"));   /* nested quotes are dropped */
	assert_non_null(strstr(q, "[/quote]\n"));
	q = forum_quote(&a, &p, "markdown");
	assert_true(!strncmp(q, "> *[alice 发表于 ", strlen("> *[alice 发表于 ")));
	assert_non_null(strstr(q, "](/p/42)*"));
	assert_non_null(strstr(q, "[链接](http://x)"));
	/* long floors are cut at FORUM_QUOTE_EXCERPT characters */
	char src[FORUM_QUOTE_EXCERPT * 3 + 64], want[FORUM_QUOTE_EXCERPT * 3 + 32];
	repeat(src, sizeof src, "长", FORUM_QUOTE_EXCERPT + 20, "");
	p.html = src;
	q = forum_quote(&a, &p, "bbcode");
	repeat(want, sizeof want, "长", FORUM_QUOTE_EXCERPT, "");
	assert_non_null(strstr(q, want));
	repeat(want, sizeof want, "长", FORUM_QUOTE_EXCERPT + 1, "");
	assert_null(strstr(q, want));
	arena_free(&a);
}

/* ---- who may do what ---------------------------------------------------------- */

static const struct actor guest = {0, GROUP_GUEST, NULL, 0};
static const struct actor alice = {2, GROUP_MEMBER_FIRST, "alice", 0};
static const struct actor banned = {3, GROUP_BANNED_POST, "bad", 0};
static const struct actor mod = {4, GROUP_SUPERMOD, "mod", 0};       /* super moderator: every board */
static const struct actor boardmod = {5, GROUP_MOD, "boardmod", 0};  /* moderator of the first board only */
static const struct actor console = {2, GROUP_MEMBER_FIRST, "alice", 1};

static void test_perm(void **st) {
	const char *why = NULL;
	assert_true(perm_check(alice.uid, alice.groupid, g_fid, PERM_POST, &why));
	assert_true(perm_check(0, 0, g_fid, PERM_VIEW, &why));
	assert_false(perm_check(0, 0, g_fid, PERM_POST, &why));
	assert_false(perm_check(banned.uid, banned.groupid, g_fid, PERM_REPLY, &why));
	assert_non_null(strstr(why, "禁止发言"));
	assert_true(perm_check(banned.uid, banned.groupid, g_fid, PERM_VIEW, &why));   /* may still read */
	assert_false(perm_check(9, GROUP_BANNED_VISIT, g_fid, PERM_VIEW, &why));
	/* a board's own row (set up: 新手上路 may reply but not post on the second board) overrides the defaults */
	assert_false(perm_check(alice.uid, alice.groupid, g_fid2, PERM_POST, &why));
	assert_true(perm_check(alice.uid, alice.groupid, g_fid2, PERM_REPLY, &why));
	assert_true(perm_check(alice.uid, alice.groupid, g_fid, PERM_POST, &why));      /* other boards unchanged */
}

static void test_post_rights(void **st) {
	const char *why = NULL;
	assert_false(forum_can_post(&guest, g_fid, &why));
	assert_string_equal(why, "您需要先登录才能发帖。");
	assert_true(forum_can_post(&alice, g_fid, &why));
	assert_false(forum_can_post(&banned, g_fid, &why));
	assert_true(forum_can_post(&console, g_fid2, &why));          /* the override passes the board's row */
	assert_false(forum_can_post(&alice, g_fid2, &why));
	assert_false(forum_can_reply(&guest, g_fid, 0, &why));
	assert_string_equal(why, "您需要先登录才能回复。");
	assert_true(forum_can_reply(&alice, g_fid, 0, &why));
	assert_false(forum_can_reply(&alice, g_fid, 1, &why));
	assert_string_equal(why, "本主题已关闭，不能回复。");
	assert_true(forum_can_reply(&mod, g_fid, 1, &why));
	assert_true(forum_can_reply(&console, g_fid, 1, &why));
	assert_true(forum_can_reply(&alice, g_fid, 0, NULL));        /* why may be NULL */
}

static void test_closed_rule(void **st) {
	const char *why = NULL;
	assert_true(forum_closed_allows(&alice, g_fid, 0, FORUM_EDIT, &why));
	assert_false(forum_closed_allows(&alice, g_fid, 1, FORUM_EDIT, &why));
	assert_string_equal(why, "本主题已关闭，不能编辑。");
	assert_false(forum_closed_allows(&alice, g_fid, 1, FORUM_DELETE, &why));
	assert_string_equal(why, "本主题已关闭，不能删除。");
	assert_true(forum_closed_allows(&mod, g_fid, 1, FORUM_DELETE, &why));
	assert_true(forum_closed_allows(&console, g_fid, 1, FORUM_REPLY, &why));
	/* a board moderator: in their board only */
	assert_true(forum_closed_allows(&boardmod, g_fid, 1, FORUM_REPLY, &why));
	assert_false(forum_closed_allows(&boardmod, g_fid2, 1, FORUM_REPLY, &why));
}

static void test_change_rights(void **st) {
	struct forum_err e;
	struct post_full p;
	memset(&p, 0, sizeof p);
	p.authorid = alice.uid;
	assert_true(forum_can_edit(&alice, g_fid, alice.uid));
	assert_false(forum_can_edit(&alice, g_fid, 99));
	assert_false(forum_can_edit(&guest, g_fid, 0));
	assert_true(forum_can_edit(&mod, g_fid, 99));
	assert_false(forum_can_edit(&banned, g_fid, banned.uid));       /* 禁止发言 may not edit even its own */
	assert_true(forum_can_edit(&boardmod, g_fid, 99));
	assert_false(forum_can_edit(&boardmod, g_fid2, 99));             /* another board: no power */
	assert_int_equal(forum_may_change(&alice, &p, FORUM_EDIT, &e), 0);
	p.closed = 1;
	assert_int_equal(forum_may_change(&alice, &p, FORUM_EDIT, &e), FORUM_E_FORBIDDEN);
	assert_string_equal(e.msg, "本主题已关闭，不能编辑。");
	assert_int_equal(forum_may_change(&mod, &p, FORUM_DELETE, &e), 0);
	p.closed = 0;
	p.authorid = 99;
	assert_int_equal(forum_may_change(&alice, &p, FORUM_DELETE, &e), FORUM_E_FORBIDDEN);
	assert_string_equal(e.msg, "您只能删除自己的帖子。");
	p.deleted = 1;
	assert_int_equal(forum_may_change(&mod, &p, FORUM_EDIT, &e), FORUM_E_NOTFOUND);
	assert_int_equal(e.code, FORUM_E_NOTFOUND);
}

static void test_moderate_and_rate(void **st) {
	assert_false(forum_may_moderate(&guest));
	assert_false(forum_may_moderate(&alice));
	assert_true(forum_may_moderate(&mod));
	assert_true(forum_may_moderate(&boardmod));
	assert_true(forum_may_moderate(&console));
	/* forum_can_moderate: per board */
	assert_true(forum_can_moderate(&boardmod, g_fid));
	assert_false(forum_can_moderate(&boardmod, g_fid2));
	assert_true(forum_can_moderate(&mod, g_fid2));
	assert_false(forum_can_moderate(&alice, g_fid));
	assert_false(forum_can_moderate(&guest, g_fid));
	assert_true(forum_is_supermod(&mod));
	assert_false(forum_is_supermod(&boardmod));
	struct actor admin = {1, GROUP_ADMIN, "root", 0}, fake = {0, GROUP_ADMIN, NULL, 0};
	assert_true(forum_may_moderate(&admin));
	assert_false(forum_may_moderate(&fake));                  /* a group without a member is a guest */
	assert_int_equal(react_can_rate(&guest, 2), REACT_DENIED);
	assert_int_equal(react_can_rate(&admin, admin.uid), REACT_OWN);
	assert_int_equal(react_can_rate(&admin, 2), REACT_OK);
}

/* ---- fixtures: the caches, from a fresh database ---------------------------- */

static int setup(void **state) {
	snprintf(g_dir, sizeof g_dir, "/tmp/loulan-test-rules.XXXXXX");
	if (!mkdtemp(g_dir)) return -1;
	db_config cfg = {.data_dir = g_dir, .pg_url = NULL};
	char err[256];
	struct forum_err e = {0};
	if (db_open(&g_db, &cfg, err, sizeof err) || db_migrate(g_db, err, sizeof err)) {
		print_error("db: %s\n", err);
		return -1;
	}
	int64_t cid;
	if (site_init_defaults(g_db) || forum_category_add(g_db, "分区", &cid) ||
	    forum_board_add(g_db, cid, "一", "", NULL, &g_fid, &e) ||
	    forum_board_add(g_db, cid, "二", "", NULL, &g_fid2, &e) ||
	    perm_set(g_db, g_fid2, GROUP_MEMBER_FIRST, 1, 0, 1, 0, &e))
		return -1;
	int64_t uid;   /* boardmod (uid 5 after root, alice, bad, mod) moderates the first board */
	if (user_add(g_db, "root", "", "password-1", 1, &uid, &e) || user_add(g_db, "alice", "", "password-2", 0, &uid, &e) ||
	    user_add(g_db, "bad", "", "password-3", 0, &uid, &e) || user_add(g_db, "mod", "", "password-4", 0, &uid, &e) ||
	    user_add(g_db, "boardmod", "", "password-5", 0, &uid, &e) || uid != boardmod.uid)
		return -1;
	if (site_load(g_db) || groups_load(g_db) || perm_load(g_db)) return -1;
	struct actor console_admin = {0, GROUP_ADMIN, "console", 1};
	if (mod_set(g_db, &console_admin, g_fid, "boardmod", 0, &e) || mod_load(g_db)) return -1;
	return 0;
}

static int teardown(void **state) {
	perm_free();
	mod_free();
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
		cmocka_unit_test(test_title),      cmocka_unit_test(test_body),        cmocka_unit_test(test_quote),
		cmocka_unit_test(test_perm),       cmocka_unit_test(test_post_rights), cmocka_unit_test(test_closed_rule),
		cmocka_unit_test(test_change_rights), cmocka_unit_test(test_moderate_and_rate),
	};
	return cmocka_run_group_tests_name("forum_rules", tests, setup, teardown);
}
