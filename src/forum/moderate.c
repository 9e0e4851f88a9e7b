/* moderate: who may moderate, board moderators, the moderation log; see moderate.h. */
#include "forum/moderate.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/cachegen.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define fail forum_fail

/* ---- the moderator cache (the perm.c pattern) ---------------------------- */

struct mod_row { int64_t fid, uid; char name[64]; };
/* A loaded table; readers take no lock: the current one is an atomic
   pointer; a replaced one is kept (readers may hold it) until mod_free. */
struct mod_tab {
	struct mod_row *rows;   /* sorted by (fid, uid) */
	int n;
	struct mod_tab *older;
};
static struct mod_tab *g_mod;

int mod_load(db *d) {
	struct mod_row *rows = NULL;
	int n = 0, cap = 0, rc;
	db_stmt *s = db_prep(d, "SELECT m.fid, m.uid, u.username FROM moderator m JOIN member u ON u.uid = m.uid "
	                        "ORDER BY m.fid, m.uid");
	while ((rc = db_step(s)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			rows = realloc(rows, sizeof *rows * (size_t)cap);
			if (!rows) die_oom();
		}
		struct mod_row *r = &rows[n++];
		r->fid = db_int(s, 0);
		r->uid = db_int(s, 1);
		snprintf(r->name, sizeof r->name, "%s", db_text(s, 2));
	}
	db_done(s);
	if (rc != DB_DONE) {
		free(rows);
		return -1;
	}
	struct mod_tab *old = __atomic_load_n(&g_mod, __ATOMIC_ACQUIRE);   /* one loader at a time */
	int changed = !old || n != old->n;
	for (int i = 0; old && !changed && i < n; i++)
		changed = rows[i].fid != old->rows[i].fid || rows[i].uid != old->rows[i].uid ||
		          strcmp(rows[i].name, old->rows[i].name);
	if (!changed) {
		free(rows);
		return 0;
	}
	struct mod_tab *t = xcalloc(1, sizeof *t);
	t->rows = rows;
	t->n = n;
	t->older = old;
	__atomic_store_n(&g_mod, t, __ATOMIC_RELEASE);
	if (old) cachegen_bump_all(NULL);   /* pages show "版主: …" */
	return 0;
}

void mod_free(void) {
	struct mod_tab *t = __atomic_exchange_n(&g_mod, NULL, __ATOMIC_ACQ_REL);
	while (t) {
		struct mod_tab *older = t->older;
		free(t->rows);
		free(t);
		t = older;
	}
}

static int mod_is(int64_t uid, int64_t fid) {
	const struct mod_tab *t = __atomic_load_n(&g_mod, __ATOMIC_ACQUIRE);
	for (int i = 0; t && i < t->n; i++)
		if (t->rows[i].uid == uid && (!fid || t->rows[i].fid == fid)) return 1;
	return 0;
}

int forum_is_supermod(const struct actor *who) {
	return who->override || (who->uid && (who->groupid == GROUP_ADMIN || who->groupid == GROUP_SUPERMOD));
}

int forum_can_moderate(const struct actor *who, int64_t fid) {
	if (forum_is_supermod(who)) return 1;
	if (!who->uid || who->groupid == GROUP_BANNED_POST || who->groupid == GROUP_BANNED_VISIT) return 0;
	return mod_is(who->uid, fid);
}

int mod_names(int64_t fid, char *buf, size_t len) {
	const struct mod_tab *t = __atomic_load_n(&g_mod, __ATOMIC_ACQUIRE);
	size_t used = 0;
	int n = 0;
	if (len) buf[0] = 0;
	for (int i = 0; t && i < t->n; i++) {
		if (t->rows[i].fid != fid) continue;
		int w = snprintf(buf + used, len > used ? len - used : 0, "%s%s", n ? ", " : "", t->rows[i].name);
		if (w > 0 && used + (size_t)w < len) used += (size_t)w;
		else if (len > used) buf[used] = 0;   /* no half name */
		n++;
	}
	return n;
}

int mod_boards(int64_t uid, int64_t *fids, int max) {
	const struct mod_tab *t = __atomic_load_n(&g_mod, __ATOMIC_ACQUIRE);
	int n = 0;
	for (int i = 0; t && i < t->n && n < max; i++)
		if (t->rows[i].uid == uid) fids[n++] = t->rows[i].fid;
	return n;
}

/* ---- the moderation log ------------------------------------------------- */

static const char *const labels[][2] = {
	{"stick", "置顶"}, {"unstick", "取消置顶"}, {"digest", "加入精华"}, {"undigest", "取消精华"},
	{"highlight", "高亮"}, {"close", "关闭"}, {"open", "打开"}, {"move", "移动"}, {"bump", "提升"},
	{"sink", "下沉"}, {"delete", "删除"}, {"restore", "恢复"}, {"purge", "彻底删除"},
	{"banpost", "屏蔽帖子"}, {"unbanpost", "解除屏蔽"}, {"warn", "警告"}, {"unwarn", "撤销警告"},
	{"deletepost", "删除帖子"}, {"addmod", "任命版主"}, {"removemod", "撤销版主"},
	{"ban", "禁止发言"}, {"banvisit", "禁止访问"}, {"unban", "解除禁止"},
};

const char *modlog_label(const char *action) {
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(labels[i][0], action)) return labels[i][1];
	return action;
}

int modlog_add(db *d, const struct actor *who, const struct modlog_entry *m) {
	db_stmt *s = db_prep(d, "INSERT INTO modlog(uid, username, action, fid, tid, pid, target_uid, reason, extra, created) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
	db_bind_int(s, 1, who->uid);
	db_bind_text(s, 2, who->name ? who->name : who->override ? "console" : "", -1);
	db_bind_text(s, 3, m->action, -1);
	db_bind_int(s, 4, m->fid);
	db_bind_int(s, 5, m->tid);
	db_bind_int(s, 6, m->pid);
	db_bind_int(s, 7, m->uid);
	db_bind_text(s, 8, m->reason ? m->reason : "", -1);
	db_bind_text(s, 9, m->extra ? m->extra : "", -1);
	db_bind_int(s, 10, (int64_t)time(NULL));
	int rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	return rc;
}

/* ---- assigning moderators ----------------------------------------------- */

int mod_set(db *d, const struct actor *who, int64_t fid, const char *name, int remove, struct forum_err *e) {
	if (!who->override && who->groupid != GROUP_ADMIN) return fail(e, FORUM_E_FORBIDDEN, "只有管理员可以任免版主。");
	if (!name || !*name) return fail(e, FORUM_E_INVALID, "请填写用户名。");
	int64_t uid = 0;
	int found = user_find(d, name, &uid);
	if (found < 0) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!found) return fail(e, FORUM_E_NOTFOUND, "没有名为“%s”的用户。", name);
	if (db_begin(d)) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	db_stmt *s = db_prep(d, "SELECT (SELECT COUNT(*) FROM board WHERE fid = $1 AND hidden = 0), "
	                        "(SELECT COUNT(*) FROM moderator WHERE fid = $1), "
	                        "(SELECT COUNT(*) FROM moderator WHERE fid = $1 AND uid = $2), "
	                        "(SELECT groupid FROM member WHERE uid = $2), (SELECT credits FROM member WHERE uid = $2)");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, uid);
	int rc = db_step(s);
	int64_t board = 0, count = 0, is = 0, gid = 0, credits = 0;
	if (rc == DB_ROW) {
		board = db_int(s, 0);
		count = db_int(s, 1);
		is = db_int(s, 2);
		gid = db_int(s, 3);
		credits = db_int(s, 4);
	}
	db_done(s);
	int code = 0;
	if (rc != DB_ROW) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	else if (!board) code = fail(e, FORUM_E_NOTFOUND, "版块不存在。");
	else if (gid == GROUP_BANNED_POST || gid == GROUP_BANNED_VISIT)
		code = fail(e, FORUM_E_INVALID, "该用户已被禁止发言或禁止访问，不能担任版主。");
	else if (!remove && is) code = fail(e, FORUM_E_TAKEN, "%s 已经是该版块的版主。", name);
	else if (remove && !is) code = fail(e, FORUM_E_NOTFOUND, "%s 不是该版块的版主。", name);
	else if (!remove && count >= MOD_PER_BOARD_MAX)
		code = fail(e, FORUM_E_TOOBIG, "一个版块最多 %d 位版主。", MOD_PER_BOARD_MAX);
	if (!code) {
		s = remove ? db_prep(d, "DELETE FROM moderator WHERE fid = $1 AND uid = $2")
		           : db_prep(d, "INSERT INTO moderator(fid, uid, created) VALUES ($1, $2, $3)");
		db_bind_int(s, 1, fid);
		db_bind_int(s, 2, uid);
		if (!remove) db_bind_int(s, 3, (int64_t)time(NULL));
		if (db_step(s) != DB_DONE) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
		db_done(s);
	}
	/* a member of an ordinary group becomes 版主 (group 3); without boards left, back to the credit band */
	if (!code && (gid >= GROUP_MEMBER_FIRST || gid == GROUP_MOD)) {
		s = db_prep(d, "UPDATE member SET groupid = CASE WHEN EXISTS (SELECT 1 FROM moderator WHERE uid = $1) "
		               "THEN $2 ELSE $3 END WHERE uid = $1");
		db_bind_int(s, 1, uid);
		db_bind_int(s, 2, GROUP_MOD);
		db_bind_int(s, 3, group_for_credits(credits));
		if (db_step(s) != DB_DONE) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
		db_done(s);
	}
	if (!code && modlog_add(d, who, &(struct modlog_entry){.action = remove ? "removemod" : "addmod", .fid = fid,
	                                                        .uid = uid, .extra = name}))
		code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!code) cachegen_bump_site(d);
	if (code || db_commit(d)) {
		db_rollback(d);
		return code ? code : fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	if (mod_load(d)) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	return 0;
}
