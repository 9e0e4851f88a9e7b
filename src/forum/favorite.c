/* favorite: 收藏; see favorite.h. */
#include "forum/favorite.h"
#include "forum/posting.h"
#include "forum/row.h"
#include <string.h>

int favorite_add(db *d, const struct actor *who, int64_t tid, time_t now, struct forum_err *e) {
	struct thread t;
	arena a;
	const char *why;
	arena_init(&a);
	int rc = forum_thread(d, &a, tid, &t);
	int64_t fid = t.fid;
	arena_free(&a);
	if (rc < 0) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!rc) return forum_fail(e, FORUM_E_NOTFOUND, "主题不存在或已被删除");
	if (!forum_can_view(who, fid, &why)) return forum_fail(e, FORUM_E_FORBIDDEN, "%s", why);
	/* one statement: nothing when the member already keeps FAVORITE_MAX threads */
	db_stmt *s = db_prep(d, "INSERT INTO favorite(uid, tid, created) SELECT $1, $2, $3 "
	                        "WHERE (SELECT COUNT(*) FROM favorite WHERE uid = $1) < $4 ON CONFLICT (uid, tid) DO NOTHING RETURNING tid");
	db_bind_int(s, 1, who->uid);
	db_bind_int(s, 2, tid);
	db_bind_int(s, 3, now);
	db_bind_int(s, 4, FAVORITE_MAX);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc == DB_DONE && favorite_has(d, who->uid, tid) == 0)
		return forum_fail(e, FORUM_E_FORBIDDEN, "收藏已满：最多收藏 %d 个主题，请先取消一些。", FAVORITE_MAX);
	return 0;
}

int favorite_remove(db *d, int64_t uid, int64_t tid) {
	db_stmt *s = db_prep(d, "DELETE FROM favorite WHERE uid = $1 AND tid = $2");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, tid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int favorite_has(db *d, int64_t uid, int64_t tid) {
	db_stmt *s = db_prep(d, "SELECT 1 FROM favorite WHERE uid = $1 AND tid = $2");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, tid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int favorite_list(db *d, arena *a, int64_t uid, int64_t before_time, int64_t before_tid, struct favorite_row **rows,
                  int *n) {
	db_stmt *s = db_prep(d, "SELECT f.created, t.tid, t.fid, t.typeid, t.subject, t.authorid, t.author, t.created, "
	                        "t.lastpost, t.lastposter, t.replies, t.views, t.sticky, t.digest, t.closed, t.highlight, "
	                        "t.moved, t.modnote, t.anonymous FROM favorite f JOIN thread t ON t.tid = f.tid "
	                        "JOIN board b ON b.fid = t.fid AND b.hidden = 0 "
	                        "WHERE f.uid = $1 AND t.hidden = 0 AND (f.created < $2 OR (f.created = $2 AND f.tid < $3)) "
	                        "ORDER BY f.created DESC, f.tid DESC LIMIT $4");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, before_time);
	db_bind_int(s, 3, before_tid);
	db_bind_int(s, 4, FAVORITE_PER_PAGE);
	*rows = arena_alloc(a, sizeof **rows * FAVORITE_PER_PAGE);
	*n = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW && *n < FAVORITE_PER_PAGE) {
		struct row r = row_of(s, a);
		struct favorite_row *f = &(*rows)[(*n)++];
		int64_t saved = row_int(&r);
		forum_thread_row(&r, &f->t);
		f->saved = saved;
	}
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}
