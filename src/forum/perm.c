/* perm: group and per-board permissions from a per-process cache; see perm.h. */
#include "forum/perm.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/cachegen.h"
#include "util/die.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct perm_row { int64_t fid, groupid; unsigned char allow[4]; };

static pthread_rwlock_t perm_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct perm_row *g_rows;   /* sorted by (fid, groupid) as loaded */
static int g_nrows;
static int g_loaded;

int perm_load(db *d) {
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
	pthread_rwlock_wrlock(&perm_lock);
	struct perm_row *old = g_rows;
	int changed = g_loaded && n != g_nrows;
	for (int i = 0; g_loaded && !changed && i < n; i++)
		changed = rows[i].fid != old[i].fid || rows[i].groupid != old[i].groupid ||
		          memcmp(rows[i].allow, old[i].allow, sizeof rows[i].allow);
	g_rows = rows;
	g_nrows = n;
	g_loaded = 1;
	pthread_rwlock_unlock(&perm_lock);
	free(old);   /* readers only use rows under the lock */
	/* guest pages cached under the old permissions must go; this runs after
	   the new rows are in place, so nothing re-fills them with the old */
	if (changed) cachegen_bump_all(NULL);
	return 0;
}

void perm_free(void) {
	pthread_rwlock_wrlock(&perm_lock);
	free(g_rows);
	g_rows = NULL;
	g_nrows = 0;
	g_loaded = 0;
	pthread_rwlock_unlock(&perm_lock);
}

/* the board's override for a group: 1 found (allow filled) */
static int perm_row_get(int64_t fid, int64_t gid, unsigned char allow[4]) {
	int found = 0, lo = 0, hi;
	pthread_rwlock_rdlock(&perm_lock);
	hi = g_nrows - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct perm_row *r = &g_rows[mid];
		if (r->fid == fid && r->groupid == gid) {
			for (int i = 0; i < 4; i++) allow[i] = r->allow[i];
			found = 1;
			break;
		}
		if (r->fid < fid || (r->fid == fid && r->groupid < gid)) lo = mid + 1;
		else hi = mid - 1;
	}
	pthread_rwlock_unlock(&perm_lock);
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
