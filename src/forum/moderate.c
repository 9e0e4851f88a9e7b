/* moderate: who may moderate, board moderators, the moderation log; see moderate.h. */
#include "forum/moderate.h"
#include "forum/notify.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/cachegen.h"
#include "forum/credit.h"
#include "forum/posting.h"
#include "forum/row.h"
#include "forum/perm.h"
#include "forum/search.h"
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

static int load_locked(db *d) {
	/* a database kept at an older schema (LOULAN_MIGRATE_TO, tests) has no moderators yet;
	   once current, it stays so (no schema query per reload) */
	static int current;
	if (!__atomic_load_n(&current, __ATOMIC_ACQUIRE)) {
		if (db_schema_version(d) < db_schema_count()) return 0;
		__atomic_store_n(&current, 1, __ATOMIC_RELEASE);
	}
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

int mod_load(db *d) {
	site_load_lock();   /* site.h: loads publish in the order they read */
	int rc = load_locked(d);
	site_load_unlock();
	return rc;
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
	if (who->override) return 1;
	if (!who->uid || who->groupid == GROUP_BANNED_POST || who->groupid == GROUP_BANNED_VISIT) return 0;
	/* nobody moderates a board they may not see (a board closed to their group) */
	if (fid && !perm_check(who->uid, who->groupid, fid, PERM_VIEW, NULL)) return 0;
	/* without a board: the 版主 group (3) counts at once, before the cache has the new row */
	return forum_is_supermod(who) || mod_is(who->uid, fid) || (!fid && who->groupid == GROUP_MOD);
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

int mod_list(int64_t fid, struct mod_ref *out, int max) {
	const struct mod_tab *t = __atomic_load_n(&g_mod, __ATOMIC_ACQUIRE);
	int n = 0;
	for (int i = 0; t && i < t->n && n < max; i++)
		if (t->rows[i].fid == fid) {
			out[n].uid = t->rows[i].uid;
			memcpy(out[n].name, t->rows[i].name, sizeof out[n].name);
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
	if (rc || m->uid <= 0) return rc;
	/* the member whose content (or account) it was is told, with the reason (forum/notify.h) */
	char what[NOTIFY_EXTRA_MAX + 1];
	snprintf(what, sizeof what, "%s%s%s", modlog_label(m->action), m->reason && *m->reason ? "，理由：" : "",
	         m->reason ? m->reason : "");
	return notify_add(d, &(struct notify){.kind = NK_MOD, .uid = m->uid, .actor_uid = who->uid, .actor_name = who->name,
	                                      .fid = m->fid, .tid = m->tid, .pid = m->pid, .extra = what},
	                  time(NULL)) < 0 ? -1 : 0;
}

/* ---- assigning moderators ----------------------------------------------- */

int mod_set(db *d, const struct actor *who, int64_t fid, const char *name, int remove, struct forum_err *e) {
	if (!who->override && who->groupid != GROUP_ADMIN) return fail(e, FORUM_E_FORBIDDEN, "只有管理员可以任免版主。");
	if (!name || !*name) return fail(e, FORUM_E_INVALID, "请填写用户名。");
	int64_t uid = 0;
	int found = user_find(d, name, &uid);
	if (found < 0) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!found) return forum_fail_en(e, FORUM_E_NOTFOUND, "no such member", "没有名为“%s”的用户。", name);
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
	else if (!board) code = forum_fail_en(e, FORUM_E_NOTFOUND, "no such board", "版块不存在。");
	else if (gid == GROUP_BANNED_POST || gid == GROUP_BANNED_VISIT)
		code = fail(e, FORUM_E_INVALID, "该用户已被禁止发言或禁止访问，不能担任版主。");
	else if (!remove && is) code = fail(e, FORUM_E_TAKEN, "%s 已经是该版块的版主。", name);
	else if (remove && !is) code = forum_fail_en(e, FORUM_E_NOTFOUND, "not a moderator of this board", "%s 不是该版块的版主。", name);
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
		               "THEN CAST($2 AS BIGINT) ELSE CAST($3 AS BIGINT) END WHERE uid = $1");
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

/* ---- thread actions ------------------------------------------------------ */

/* Discuz!'s highlight palette (forum_forumdisplay.php) */
static const struct mod_color colors[MOD_COLORS] = {
	{"red", "红", "#EE1B2E"},    {"orange", "橙", "#EE5023"}, {"yellow", "黄", "#996600"}, {"green", "绿", "#3C9D40"},
	{"cyan", "青", "#2897C5"},   {"blue", "蓝", "#2B65B7"},   {"purple", "紫", "#8F2A90"}, {"pink", "粉", "#EC1282"},
};
const struct mod_color *mod_color(int i) { return i >= 1 && i <= MOD_COLORS ? &colors[i - 1] : NULL; }

enum { A_STICK, A_UNSTICK, A_DIGEST, A_UNDIGEST, A_HIGHLIGHT, A_CLOSE, A_OPEN, A_MOVE, A_BUMP, A_SINK, A_DELETE,
       A_RESTORE, A_PURGE };
static const char *const thread_actions[] = {"stick", "unstick", "digest", "undigest", "highlight", "close", "open",
                                             "move", "bump", "sink", "delete", "restore", "purge"};
#define NACTIONS (int)(sizeof thread_actions / sizeof thread_actions[0])

static int step_ok(db_stmt *s) {
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* a tid-only statement: "UPDATE thread SET … WHERE tid = $1" with one integer $2 */
static int exec_tid(db *d, const char *sql, int64_t tid, int64_t v) {
	db_stmt *s = db_prep(d, sql);
	db_bind_int(s, 1, tid);
	if (strstr(sql, "$2")) db_bind_int(s, 2, v);
	return step_ok(s);
}
#define EXEC_TID(d, sql, tid, v) exec_tid(d, "" sql, tid, v)   /* SQL stays a literal */

/* the credits the digest rule gave for this thread, taken back (net of earlier take-backs) */
static int digest_take_back(db *d, int64_t uid, int64_t tid, time_t now) {
	db_stmt *s = db_prep(d, "SELECT COALESCE(SUM(ext1), 0), COALESCE(SUM(ext2), 0), COALESCE(SUM(ext3), 0) FROM credit_log "
	                        "WHERE uid = $1 AND objtype = 'thread' AND objid = $2 AND action IN ('digest', 'undigest')");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, tid);
	int64_t ext[3] = {0, 0, 0};
	int rc = db_step(s);
	for (int i = 0; rc == DB_ROW && i < 3; i++) ext[i] = -db_int(s, i);
	db_done(s);
	if (rc != DB_ROW) return -1;
	if (!ext[0] && !ext[1] && !ext[2]) return credit_recount(d, uid);
	return credit_change(d, uid, "undigest", "thread", tid, ext, now);
}

/* removes a thread in the recycle bin for good, with everything hanging off its posts */
static int purge_rows(db *d, int64_t tid) {
	if (EXEC_TID(d, "DELETE FROM post_history WHERE pid IN (SELECT pid FROM post WHERE tid = $1)", tid, 0) ||
	    EXEC_TID(d, "DELETE FROM post_like WHERE pid IN (SELECT pid FROM post WHERE tid = $1)", tid, 0) ||
	    EXEC_TID(d, "DELETE FROM post_attitude WHERE pid IN (SELECT pid FROM post WHERE tid = $1)", tid, 0) ||
	    EXEC_TID(d, "DELETE FROM post_rate WHERE tid = $1", tid, 0) || EXEC_TID(d, "DELETE FROM report WHERE tid = $1", tid, 0) ||
	    EXEC_TID(d, "DELETE FROM post WHERE tid = $1", tid, 0) ||
	    EXEC_TID(d, "UPDATE thread SET moved = 0, hidden = 1 WHERE moved = $1", tid, 0) ||   /* stubs lead nowhere now */
	    EXEC_TID(d, "DELETE FROM thread WHERE tid = $1", tid, 0))
		return -1;
	return 0;
}

struct tstate { int64_t fid, authorid, sticky, digest, hidden, moved, cid; };

static int read_thread(db *d, int64_t tid, struct tstate *t) {
	db_stmt *s = db_prep(d, "SELECT t.fid, t.authorid, t.sticky, t.digest, t.hidden, t.moved, b.cid FROM thread t "
	                        "JOIN board b ON b.fid = t.fid WHERE t.tid = $1 AND b.hidden = 0");
	db_bind_int(s, 1, tid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		t->fid = db_int(s, 0);
		t->authorid = db_int(s, 1);
		t->sticky = db_int(s, 2);
		t->digest = db_int(s, 3);
		t->hidden = db_int(s, 4);
		t->moved = db_int(s, 5);
		t->cid = db_int(s, 6);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* checks the request alone (no query): the action's index, or a FORUM_E_* code with e */
static int check_request(const struct actor *who, const struct mod_request *r, int *hl, struct forum_err *e) {
	int act = -1;
	for (int i = 0; r->action && i < NACTIONS; i++)
		if (!strcmp(r->action, thread_actions[i])) act = i;
	if (act < 0) return fail(e, FORUM_E_INVALID, "未知的管理操作。");
	if (!who->uid && !who->override) return fail(e, FORUM_E_FORBIDDEN, "请先登录。");
	if (r->reason && strlen(r->reason) > MOD_REASON_MAX)
		return fail(e, FORUM_E_INVALID, "操作理由太长（最多 %d 字节）。", MOD_REASON_MAX);
	if ((act == A_STICK || act == A_DIGEST) && (r->level < 0 || r->level > 3))
		return fail(e, FORUM_E_INVALID, act == A_STICK ? "置顶级别只能是 1（本版）、2（分类）或 3（全局）。"
		                                               : "精华级别只能是 1、2 或 3。");
	*hl = 0;
	if (act == A_HIGHLIGHT) {
		if (r->color && *r->color && strcmp(r->color, "none")) {
			for (int i = 1; i <= MOD_COLORS && !*hl; i++)
				if (!strcmp(r->color, colors[i - 1].name)) *hl = i;
			if (!*hl) return fail(e, FORUM_E_INVALID, "高亮颜色无效。");
		}
		if (r->bold) *hl |= 16;
	}
	if (act == A_MOVE && r->fid <= 0) return fail(e, FORUM_E_INVALID, "请选择目标版块。");
	return act;
}

/* the rights on this thread (its state read): 0 or a FORUM_E_* code with e */
static int check_rights(db *d, const struct actor *who, int act, const struct mod_request *r, const struct tstate *t,
                        char *target, size_t tlen, struct forum_err *e) {
	int binned = act == A_RESTORE || act == A_PURGE;
	if (t->hidden != binned) return fail(e, FORUM_E_NOTFOUND, binned ? "该主题不在回收站中。" : "指定的主题不存在或已被删除。");
	if (t->moved && act != A_DELETE && act != A_RESTORE && act != A_PURGE)
		return fail(e, FORUM_E_INVALID, "这是主题移动后留下的链接，只能删除。");
	if (!forum_can_moderate(who, t->fid)) return fail(e, FORUM_E_FORBIDDEN, "您没有管理该版块的权限。");
	if (act == A_STICK && r->level > 1 && !forum_is_supermod(who))
		return fail(e, FORUM_E_FORBIDDEN, "只有超级版主和管理员可以设置分类置顶和全局置顶。");
	if (act == A_UNSTICK && t->sticky > 1 && !forum_is_supermod(who))
		return fail(e, FORUM_E_FORBIDDEN, "只有超级版主和管理员可以取消分类置顶和全局置顶。");
	if (act == A_PURGE && !who->override && who->groupid != GROUP_ADMIN)
		return fail(e, FORUM_E_FORBIDDEN, "只有管理员可以从回收站彻底删除主题。");
	if (act == A_MOVE) {
		if (r->fid == t->fid) return fail(e, FORUM_E_INVALID, "主题已在目标版块中。");
		db_stmt *s = db_prep(d, "SELECT name FROM board WHERE fid = $1 AND hidden = 0");
		db_bind_int(s, 1, r->fid);
		int rc = db_step(s);
		if (rc == DB_ROW) snprintf(target, tlen, "%s", db_text(s, 0));   /* for the log: "移到 灌水乐园" */
		db_done(s);
		if (rc == DB_ERR) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
		if (rc != DB_ROW) return forum_fail_en(e, FORUM_E_NOTFOUND, "no such target board", "目标版块不存在。");
		if (!forum_can_moderate(who, r->fid)) return fail(e, FORUM_E_FORBIDDEN, "您没有管理目标版块的权限。");
	}
	return 0;
}

static int apply_move(db *d, int64_t tid, const struct tstate *t, const struct mod_request *r) {
	if (forum_thread_board_count(d, tid, t->fid, -1)) return -1;
	db_stmt *s;
	if (r->stub) {   /* a closed link row in the old board; not counted in its threads */
		s = db_prep(d, "INSERT INTO thread(fid, subject, authorid, author, created, lastpost, lastposter, replies, closed, "
		               "moved) SELECT fid, subject, authorid, author, created, lastpost, lastposter, replies, 1, tid "
		               "FROM thread WHERE tid = $1");
		db_bind_int(s, 1, tid);
		if (step_ok(s)) return -1;
	}
	if (EXEC_TID(d, "UPDATE thread SET fid = $2, typeid = 0 WHERE tid = $1", tid, r->fid) ||
	    EXEC_TID(d, "UPDATE post SET fid = $2 WHERE tid = $1", tid, r->fid) ||
	    forum_thread_board_count(d, tid, r->fid, 1) || forum_board_relast(d, t->fid) || forum_board_relast(d, r->fid))
		return -1;
	return 0;
}

static int apply(db *d, int act, int64_t tid, const struct tstate *t, const struct mod_request *r, int hl, time_t now) {
	int level = r->level ? r->level : 1;
	switch (act) {
	case A_STICK: return EXEC_TID(d, "UPDATE thread SET sticky = $2 WHERE tid = $1", tid, level);
	case A_UNSTICK: return EXEC_TID(d, "UPDATE thread SET sticky = 0 WHERE tid = $1", tid, 0);
	case A_DIGEST:
		if (EXEC_TID(d, "UPDATE thread SET digest = $2 WHERE tid = $1", tid, level)) return -1;
		if (t->digest) return 0;   /* a level change awards nothing more */
		if (EXEC_TID(d, "UPDATE member SET digestposts = digestposts + 1 WHERE uid = $1", t->authorid, 0)) return -1;
		return credit_award(d, t->authorid, "digest", t->fid, "thread", tid, now) < 0 ? -1 : 0;
	case A_UNDIGEST:
		if (!t->digest) return 0;
		if (EXEC_TID(d, "UPDATE thread SET digest = 0 WHERE tid = $1", tid, 0) ||
		    EXEC_TID(d, "UPDATE member SET digestposts = digestposts - 1 WHERE uid = $1", t->authorid, 0))
			return -1;
		return digest_take_back(d, t->authorid, tid, now);
	case A_HIGHLIGHT: return EXEC_TID(d, "UPDATE thread SET highlight = $2 WHERE tid = $1", tid, hl);
	case A_CLOSE: return EXEC_TID(d, "UPDATE thread SET closed = 1 WHERE tid = $1", tid, 0);
	case A_OPEN: return EXEC_TID(d, "UPDATE thread SET closed = 0 WHERE tid = $1", tid, 0);
	case A_MOVE: return apply_move(d, tid, t, r);
	case A_BUMP:
		return EXEC_TID(d, "UPDATE thread SET lastpost = $2 WHERE tid = $1", tid, now) || forum_board_relast(d, t->fid);
	case A_SINK:   /* below every other thread of its board */
		return EXEC_TID(d, "UPDATE thread SET lastpost = (SELECT MIN(lastpost) - 1 FROM thread WHERE fid = "
		                   "(SELECT fid FROM thread WHERE tid = $1)) WHERE tid = $1", tid, 0) ||
		       forum_board_relast(d, t->fid);
	case A_DELETE:
		if (EXEC_TID(d, "UPDATE thread SET hidden = 1, hiddenat = $2 WHERE tid = $1", tid, now)) return -1;
		if (t->moved) return 0;   /* a stub counts nowhere, has no floors */
		if (search_index_thread(d, tid)) return -1;   /* out of the search index (search.h) */
		return forum_thread_board_count(d, tid, t->fid, -1) || forum_thread_member_count(d, tid, t->authorid, -1) ||
		       forum_board_relast(d, t->fid);
	case A_RESTORE:
		if (EXEC_TID(d, "UPDATE thread SET hidden = 0, hiddenat = 0 WHERE tid = $1", tid, 0)) return -1;
		if (t->moved) return 0;
		if (search_index_thread(d, tid)) return -1;   /* back in the search index */
		return forum_thread_board_count(d, tid, t->fid, 1) || forum_thread_member_count(d, tid, t->authorid, 1) ||
		       forum_board_relast(d, t->fid);
	default: return search_index_thread(d, tid) || purge_rows(d, tid);   /* (already out of the index: hidden) */
	}
}

/* the log's "extra" and the thread's note ("本主题由 X 于 … 置顶") */
static const char *describe(int act, const struct mod_request *r, int hl, const char *target, char *buf, size_t len) {
	static const char *const sticks[] = {"本版置顶", "分类置顶", "全局置顶"};
	int level = r->level ? r->level : 1;
	buf[0] = 0;
	if (act == A_STICK) snprintf(buf, len, "%s", sticks[level - 1]);
	else if (act == A_DIGEST) snprintf(buf, len, "精华 %d", level);
	else if (act == A_HIGHLIGHT)
		snprintf(buf, len, "%s%s", mod_color(hl & 15) ? mod_color(hl & 15)->label : "", hl & 16 ? "加粗" : "");
	else if (act == A_MOVE) snprintf(buf, len, "到 %s%s", target, r->stub ? "，保留链接" : "");
	return buf;
}

int mod_thread(db *d, const struct actor *who, int64_t tid, const struct mod_request *r, int64_t *fid_out,
               struct forum_err *e) {
	int hl;
	e->code = 0;
	e->wait = 0;
	int act = check_request(who, r, &hl, e);
	if (act < 0) return act;
	time_t now = time(NULL);
	if (db_begin(d)) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	struct tstate t = {0};
	int rc = read_thread(d, tid, &t), code = 0;
	if (rc < 0) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	else if (!rc) code = forum_fail_en(e, FORUM_E_NOTFOUND, "no such thread, or it was deleted", "指定的主题不存在或已被删除。");
	char target[128] = "", extra[192];
	if (!code) code = check_rights(d, who, act, r, &t, target, sizeof target, e);
	describe(act, r, hl, target, extra, sizeof extra);
	if (!code && apply(d, act, tid, &t, r, hl, now)) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!code && act != A_PURGE) {
		char note[256];
		const char *label = act == A_STICK || act == A_HIGHLIGHT ? extra : modlog_label(thread_actions[act]);
		snprintf(note, sizeof note, "%s\t%s\t%lld", who->name ? who->name : "console", label, (long long)now);
		db_stmt *s = db_prep(d, "UPDATE thread SET modnote = $2 WHERE tid = $1");
		db_bind_int(s, 1, tid);
		db_bind_text(s, 2, note, -1);
		if (step_ok(s)) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	if (!code && modlog_add(d, who, &(struct modlog_entry){.action = thread_actions[act], .fid = t.fid, .tid = tid,
	                                                        .uid = t.authorid, .reason = r->reason, .extra = extra}))
		code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!code) {
		/* level 2 and 3 stickies show on other boards' pages */
		if ((act == A_STICK || act == A_UNSTICK || act == A_DELETE || act == A_RESTORE || act == A_MOVE) &&
		    (t.sticky > 1 || (act == A_STICK && r->level > 1)))
			cachegen_bump_all(d);
		cachegen_bump_thread(d, tid, t.fid);
		if (act == A_MOVE) cachegen_bump_board(d, r->fid);
	}
	if (code || db_commit(d)) {
		db_rollback(d);
		return code ? code : fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	if (fid_out) *fid_out = act == A_MOVE ? r->fid : t.fid;
	return 0;
}

/* the batch bar: every thread or none. The first refusal rolls the whole batch back (the nested
   transactions of mod_thread make the outer commit fail) and names its thread in e. */
int mod_threads(db *d, const struct actor *who, const int64_t *tids, int n, const struct mod_request *r,
                int64_t *failed, struct forum_err *e) {
	*failed = 0;
	if (db_begin(d)) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	int code = 0;
	for (int i = 0; i < n && !code; i++)
		if ((code = mod_thread(d, who, tids[i], r, NULL, e))) *failed = tids[i];
	if (code || db_commit(d)) {
		db_rollback(d);
		if (!code) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
		char why[sizeof e->msg], subject[128] = "";
		snprintf(why, sizeof why, "%s", e->msg);
		db_stmt *s = db_prep(d, "SELECT subject FROM thread WHERE tid = $1");
		db_bind_int(s, 1, *failed);
		if (db_step(s) == DB_ROW) snprintf(subject, sizeof subject, "%s", db_text(s, 0));
		db_done(s);
		return fail(e, code, "主题 %lld%s%s%s 未能%s：%s 本次批量操作已全部撤销，没有主题被更改。", (long long)*failed,
		            *subject ? "「" : "", subject, *subject ? "」" : "", modlog_label(r->action), why);
	}
	return 0;
}

/* ---- post actions --------------------------------------------------------- */

int mod_post(db *d, const struct actor *who, int64_t pid, const char *action, const char *reason, int64_t *tid_out,
             struct forum_err *e) {
	static const char *const acts[] = {"ban", "unban", "warn", "unwarn", "delete"};
	int act = -1;
	e->code = 0;
	e->wait = 0;
	for (int i = 0; action && i < (int)(sizeof acts / sizeof acts[0]); i++)
		if (!strcmp(action, acts[i])) act = i;
	if (act < 0) return fail(e, FORUM_E_INVALID, "未知的管理操作。");
	if (!who->uid && !who->override) return fail(e, FORUM_E_FORBIDDEN, "请先登录。");
	if (reason && strlen(reason) > MOD_REASON_MAX) return fail(e, FORUM_E_INVALID, "操作理由太长（最多 %d 字节）。", MOD_REASON_MAX);
	arena ar, *a = &ar;
	arena_init(a);
	struct post_full pf;
	int rc = forum_post_get(d, a, pid, &pf), code = 0;
	if (rc < 0) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	else if (!rc || pf.deleted) code = forum_fail_en(e, FORUM_E_NOTFOUND, "no such post, or it was deleted", "指定的帖子不存在或已被删除。");
	else if (!forum_can_moderate(who, pf.fid)) code = fail(e, FORUM_E_FORBIDDEN, "您没有管理该版块的权限。");
	int64_t fid = code ? 0 : pf.fid, tid = code ? 0 : pf.tid, author = code ? 0 : pf.authorid;
	if (!code && act == 4) {   /* 删除: the soft delete of the write path (floor 1: the thread to the bin) */
		int thread_deleted;
		code = forum_delete_post(d, who, &pf, time(NULL), &thread_deleted, e);
	}
	arena_free(a);
	if (code) return code;
	if (db_begin(d)) return fail(e, FORUM_E_DB, FORUM_MSG_DB);
	db_stmt *s = NULL;
	switch (act) {
	case 0: case 1:
		s = db_prep(d, "UPDATE post SET banned = $2 WHERE pid = $1");
		db_bind_int(s, 1, pid);
		db_bind_int(s, 2, act == 0);
		break;
	case 2: case 3:   /* the member's count moves only when the post's mark changes */
		s = db_prep(d, "UPDATE member SET warnings = warnings + $3 WHERE uid = $2 AND EXISTS (SELECT 1 FROM post WHERE "
		               "pid = $1 AND warned <> $4)");
		db_bind_int(s, 1, pid);
		db_bind_int(s, 2, author);
		db_bind_int(s, 3, act == 2 ? 1 : -1);
		db_bind_int(s, 4, act == 2);
		if (step_ok(s)) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
		s = db_prep(d, "UPDATE post SET warned = $2 WHERE pid = $1");
		db_bind_int(s, 1, pid);
		db_bind_int(s, 2, act == 2);
		break;
	}
	if (s && step_ok(s) && !code) code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	static const char *const logged[] = {"banpost", "unbanpost", "warn", "unwarn", "deletepost"};
	if (!code && modlog_add(d, who, &(struct modlog_entry){.action = logged[act], .fid = fid, .tid = tid, .pid = pid,
	                                                        .uid = author, .reason = reason}))
		code = fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!code) cachegen_bump_thread(d, tid, fid);
	if (code || db_commit(d)) {
		db_rollback(d);
		return code ? code : fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	if (tid_out) *tid_out = tid;
	return 0;
}

/* ---- /modcp lists ------------------------------------------------------- */

/* SQL: may WHO's board list see board column COL? admins/super moderators ($9 = 1) see all */
int mod_recycle_list(db *d, arena *a, const struct actor *who, int64_t before_at, int64_t before_tid,
                     struct recycled **out, int *n, int *has_more) {
	db_stmt *s = db_prep(d, "SELECT t.tid, t.fid, t.authorid, t.replies, t.hiddenat, t.subject, t.author, b.name "
	                        "FROM thread t JOIN board b ON b.fid = t.fid WHERE t.hidden = 1 "
	                        "AND (CAST($1 AS BIGINT) = 0 OR (t.hiddenat, t.tid) < ($1, $2)) "
	                        "AND ($3 = 1 OR t.fid IN (SELECT fid FROM moderator WHERE uid = $4)) "
	                        "ORDER BY t.hiddenat DESC, t.tid DESC LIMIT $5");
	db_bind_int(s, 1, before_at);
	db_bind_int(s, 2, before_tid);
	db_bind_int(s, 3, forum_is_supermod(who));
	db_bind_int(s, 4, who->uid);
	db_bind_int(s, 5, MOD_LIST_MAX + 1);
	struct recycled *rows = arena_alloc(a, sizeof *rows * (MOD_LIST_MAX + 1));
	int rc;
	*n = 0;
	*has_more = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == MOD_LIST_MAX) { *has_more = 1; continue; }
		struct recycled *r = &rows[(*n)++];
		struct row x = row_of(s, a);
		r->tid = row_int(&x);
		r->fid = row_int(&x);
		r->authorid = row_int(&x);
		r->replies = row_int(&x);
		r->hiddenat = row_int(&x);
		r->subject = row_text(&x);
		r->author = row_text(&x);
		r->board = row_text(&x);
	}
	db_done(s);
	*out = rows;
	return rc == DB_DONE ? 0 : -1;
}

int modlog_list(db *d, arena *a, const struct actor *who, int64_t before, struct modlog_row **out, int *n, int *has_more) {
	db_stmt *s = db_prep(d, "SELECT l.id, l.uid, l.fid, l.tid, l.pid, l.target_uid, l.created, l.username, l.action, "
	                        "l.reason, l.extra, COALESCE(b.name, '') FROM modlog l LEFT JOIN board b ON b.fid = l.fid "
	                        "WHERE (CAST($1 AS BIGINT) = 0 OR l.id < $1) "
	                        "AND ($2 = 1 OR l.fid IN (SELECT fid FROM moderator WHERE uid = $3)) "
	                        "ORDER BY l.id DESC LIMIT $4");
	db_bind_int(s, 1, before);
	db_bind_int(s, 2, forum_is_supermod(who));
	db_bind_int(s, 3, who->uid);
	db_bind_int(s, 4, MOD_LIST_MAX + 1);
	struct modlog_row *rows = arena_alloc(a, sizeof *rows * (MOD_LIST_MAX + 1));
	int rc;
	*n = 0;
	*has_more = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == MOD_LIST_MAX) { *has_more = 1; continue; }
		struct modlog_row *r = &rows[(*n)++];
		struct row x = row_of(s, a);
		r->id = row_int(&x);
		r->uid = row_int(&x);
		r->fid = row_int(&x);
		r->tid = row_int(&x);
		r->pid = row_int(&x);
		r->target_uid = row_int(&x);
		r->created = row_int(&x);
		r->username = row_text(&x);
		r->action = row_text(&x);
		r->reason = row_text(&x);
		r->extra = row_text(&x);
		r->board = row_text(&x);
	}
	db_done(s);
	*out = rows;
	return rc == DB_DONE ? 0 : -1;
}
