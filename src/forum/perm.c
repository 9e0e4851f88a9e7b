/* perm: group and per-board permissions from a per-process cache; see perm.h. */
#include "forum/perm.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/cachegen.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct perm_row { int64_t fid, groupid; unsigned char allow[4]; };

/* A loaded table; readers take no lock: the current one is an atomic
   pointer, and a table that was replaced is kept (readers may hold it)
   until perm_free at exit. A reload that changes nothing is discarded. */
struct perm_tab {
	struct perm_row *rows;   /* sorted by (fid, groupid) as loaded */
	int n;
	struct perm_tab *older;
};
static struct perm_tab *g_perm;

static int load_locked(db *d) {
	struct perm_row *rows = NULL;
	int n = 0, cap = 0, rc;
	db_stmt *s = db_prep(d, "SELECT fid, groupid, allowview, allowpost, allowreply, allowupload FROM board_perm "
	                        "ORDER BY fid, groupid");
	while ((rc = db_step(s)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			rows = realloc(rows, sizeof *rows * (size_t)cap);
			if (!rows) die_oom();
		}
		struct perm_row *r = &rows[n++];
		r->fid = db_int(s, 0);
		r->groupid = db_int(s, 1);
		for (int i = 0; i < 4; i++) r->allow[i] = db_int(s, 2 + i) != 0;
	}
	db_done(s);
	if (rc != DB_DONE) {
		free(rows);
		return -1;
	}
	struct perm_tab *old = __atomic_load_n(&g_perm, __ATOMIC_ACQUIRE);   /* one loader at a time: site_load_lock */
	int changed = old && n != old->n;
	for (int i = 0; old && !changed && i < n; i++)
		changed = rows[i].fid != old->rows[i].fid || rows[i].groupid != old->rows[i].groupid ||
		          memcmp(rows[i].allow, old->rows[i].allow, sizeof rows[i].allow);
	if (old && !changed) {
		free(rows);
		return 0;
	}
	struct perm_tab *t = xcalloc(1, sizeof *t);
	t->rows = rows;
	t->n = n;
	t->older = old;
	__atomic_store_n(&g_perm, t, __ATOMIC_RELEASE);
	/* guest pages cached under the old permissions must go; this runs after
	   the new rows are in place, so nothing re-fills them with the old */
	if (changed) cachegen_bump_all(NULL);
	return 0;
}

int perm_load(db *d) {
	site_load_lock();   /* site.h: loads publish in the order they read */
	int rc = load_locked(d);
	site_load_unlock();
	return rc;
}

void perm_free(void) {
	struct perm_tab *t = __atomic_exchange_n(&g_perm, NULL, __ATOMIC_ACQ_REL);
	while (t) {
		struct perm_tab *older = t->older;
		free(t->rows);
		free(t);
		t = older;
	}
}

/* the board's override for a group: 1 found (allow filled) */
static int perm_row_get(int64_t fid, int64_t gid, unsigned char allow[4]) {
	const struct perm_tab *t = __atomic_load_n(&g_perm, __ATOMIC_ACQUIRE);
	int found = 0, lo = 0, hi = t ? t->n - 1 : -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct perm_row *r = &t->rows[mid];
		if (r->fid == fid && r->groupid == gid) {
			for (int i = 0; i < 4; i++) allow[i] = r->allow[i];
			found = 1;
			break;
		}
		if (r->fid < fid || (r->fid == fid && r->groupid < gid)) lo = mid + 1;
		else hi = mid - 1;
	}
	return found;
}

int perm_check(int64_t uid, int64_t groupid, int64_t fid, enum perm_action action, const char **reason) {
	const char *why = NULL;
	int64_t gid = uid ? groupid : GROUP_GUEST;
	const struct group *g = group_get(gid);
	unsigned char allow[4];
	if (gid == GROUP_BANNED_VISIT || !g->allowvisit) {
		why = "您所在的用户组（禁止访问）无权访问本站。";
		goto out;
	}
	if (action != PERM_VIEW && gid == GROUP_BANNED_POST) {
		why = "您所在的用户组（禁止发言）不能发帖、回复或上传附件。";
		goto out;
	}
	if (!fid) {
		if (action == PERM_VIEW) return 1;
		why = "请指定版块。";
		goto out;
	}
	if (!perm_row_get(fid, gid, allow)) {
		allow[PERM_VIEW] = 1;
		allow[PERM_POST] = g->allowpost != 0;
		allow[PERM_REPLY] = g->allowreply != 0;
		allow[PERM_UPLOAD] = g->allowpost != 0;
	}
	if (!allow[PERM_VIEW]) {
		why = uid ? "您所在的用户组无权浏览该版块。" : "该版块只对部分用户组开放，游客请先登录。";
		goto out;
	}
	if (allow[action]) return 1;
	switch (action) {
	case PERM_POST: why = uid ? "您所在的用户组无权在该版块发表主题。" : "游客不能在该版块发表主题，请先登录。"; break;
	case PERM_REPLY: why = uid ? "您所在的用户组无权在该版块回复。" : "游客不能在该版块回复，请先登录。"; break;
	default: why = uid ? "您所在的用户组无权在该版块上传附件。" : "游客不能在该版块上传附件，请先登录。"; break;
	}
out:
	if (reason) *reason = why;
	return 0;
}

int perm_view_denied(int64_t groupid, int64_t *fids, int cap) {
	const struct perm_tab *t = __atomic_load_n(&g_perm, __ATOMIC_ACQUIRE);
	int n = 0;
	for (int i = 0; t && i < t->n; i++)
		if (t->rows[i].groupid == groupid && !t->rows[i].allow[PERM_VIEW]) {
			if (n < cap) fids[n] = t->rows[i].fid;
			n++;
		}
	return n;
}

int perm_board_get(int64_t fid, int64_t groupid, int allow[4]) {
	unsigned char a[4];
	int found = perm_row_get(fid, groupid, a);
	if (!found) {
		const struct group *g = group_get(groupid);
		a[PERM_VIEW] = g->allowvisit != 0;
		a[PERM_POST] = a[PERM_UPLOAD] = g->allowpost != 0;
		a[PERM_REPLY] = g->allowreply != 0;
	}
	for (int i = 0; i < 4; i++) allow[i] = a[i];
	return found;
}

int perm_set(db *d, int64_t fid, int64_t groupid, int view, int post, int reply, int upload, struct forum_err *e) {
	db_stmt *s = db_prep(d, "SELECT (SELECT COUNT(*) FROM board WHERE fid = $1), "
	                        "(SELECT COUNT(*) FROM usergroup WHERE groupid = $2)");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, groupid);
	int rc = db_step(s);
	int64_t nb = rc == DB_ROW ? db_int(s, 0) : 0, ng = rc == DB_ROW ? db_int(s, 1) : 0;
	db_done(s);
	if (rc != DB_ROW) { forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d)); return -1; }
	if (!nb) { forum_fail(e, FORUM_E_INVALID, "no board with fid %lld", (long long)fid); return -1; }
	if (!ng) { forum_fail(e, FORUM_E_INVALID, "no user group %lld", (long long)groupid); return -1; }
	s = db_prep(d, "INSERT INTO board_perm(fid, groupid, allowview, allowpost, allowreply, allowupload) "
	               "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(fid, groupid) DO UPDATE SET "
	               "allowview = excluded.allowview, allowpost = excluded.allowpost, "
	               "allowreply = excluded.allowreply, allowupload = excluded.allowupload");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, groupid);
	db_bind_int(s, 3, view != 0);
	db_bind_int(s, 4, post != 0);
	db_bind_int(s, 5, reply != 0);
	db_bind_int(s, 6, upload != 0);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) { forum_fail(e, FORUM_E_DB, "cannot save: %s", db_errmsg(d)); return -1; }
	return 0;
}
