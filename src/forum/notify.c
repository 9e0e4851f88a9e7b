/*
** notify: 提醒 (see notify.h). Writes are one statement for the row (an UPSERT that also
** groups unread likes of one post and skips kinds the member switched off) and one for
** the unread counter; nothing is read first, so a reply's transaction stays short.
*/
#include "forum/notify.h"
#include <stdio.h>
#include <string.h>

static const char *const kind_labels[NK_COUNT] = {
	[NK_REPLY] = "回复了我的主题", [NK_QUOTE] = "引用了我的帖子", [NK_MENTION] = "@提到我",
	[NK_RATE] = "评分了我的帖子", [NK_LIKE] = "赞了我的帖子",   [NK_MOD] = "管理操作了我的帖子",
	[NK_PM] = "新的短消息",       [NK_FOLLOW] = "我关注的主题有新回复",
};

const char *notify_kind_label(enum notify_kind k) {
	return k >= 0 && k < NK_COUNT ? kind_labels[k] : "提醒";
}

/* s cut to at most max bytes at a character boundary, in a (NULL -> "") */
static const char *cut(const char *s, size_t max, char *tmp) {
	if (!s) return "";
	size_t n = strlen(s);
	if (n <= max) return s;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;   /* not inside a character */
	memcpy(tmp, s, n);
	tmp[n] = 0;
	return tmp;
}

static int count_up(db *d, int64_t uid) {
	db_stmt *s = db_prep(d, "INSERT INTO member_notify(uid, unread) VALUES ($1, 1) "
	                        "ON CONFLICT(uid) DO UPDATE SET unread = member_notify.unread + 1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	return rc;
}

int notify_add(db *d, const struct notify *n, time_t now) {
	if (n->uid <= 0 || n->uid == n->actor_uid || n->kind < 0 || n->kind >= NK_COUNT) return 0;
	char sub[NOTIFY_SUBJECT_MAX + 1], ext[NOTIFY_EXTRA_MAX + 1];
	/* likes of one post group into one unread row (gkey = the post) */
	int64_t gkey = n->kind == NK_LIKE ? n->pid : 0;
	db_stmt *s = db_prep(d,
	    "INSERT INTO notification(uid, kind, actor_uid, actor_name, nactors, fid, tid, pid, objid, gkey, subject, extra, "
	    "created, updated) SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS TEXT), 1, "
	    "CAST($5 AS BIGINT), CAST($6 AS BIGINT), CAST($7 AS BIGINT), CAST($8 AS BIGINT), CAST($9 AS BIGINT), "
	    "CAST($10 AS TEXT), CAST($11 AS TEXT), CAST($12 AS BIGINT), CAST($12 AS BIGINT) "
	    "WHERE NOT EXISTS (SELECT 1 FROM member_notify WHERE uid = $1 AND (kinds_off & CAST($13 AS BIGINT)) <> 0) "
	    "ON CONFLICT(uid, kind, gkey) WHERE gkey <> 0 AND isread = 0 DO UPDATE SET actor_uid = excluded.actor_uid, "
	    "actor_name = excluded.actor_name, nactors = notification.nactors + 1, updated = excluded.updated "
	    "RETURNING nactors");
	db_bind_int(s, 1, n->uid);
	db_bind_int(s, 2, n->kind);
	db_bind_int(s, 3, n->actor_uid);
	db_bind_text(s, 4, n->actor_name ? n->actor_name : "", -1);
	db_bind_int(s, 5, n->fid);
	db_bind_int(s, 6, n->tid);
	db_bind_int(s, 7, n->pid);
	db_bind_int(s, 8, n->objid);
	db_bind_int(s, 9, gkey);
	db_bind_text(s, 10, cut(n->subject, NOTIFY_SUBJECT_MAX, sub), -1);
	db_bind_text(s, 11, cut(n->extra, NOTIFY_EXTRA_MAX, ext), -1);
	db_bind_int(s, 12, now);
	db_bind_int(s, 13, (int64_t)1 << n->kind);
	int rc = db_step(s);
	int64_t nactors = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc == DB_ERR) return -1;
	if (rc != DB_ROW) return 0;   /* switched off */
	/* a new row counts once; a like grouped into an unread row is already counted */
	if (nactors == 1 && count_up(d, n->uid)) return -1;
	return 1;
}

/* the member's member_notify row (zeros when there is none) */
static int member_state(db *d, int64_t uid, int64_t *unread, int64_t *off) {
	*unread = *off = 0;
	db_stmt *s = db_prep(d, "SELECT unread, kinds_off FROM member_notify WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*unread = db_int(s, 0);
		*off = db_int(s, 1);
	}
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

int notify_unread(db *d, int64_t uid, int64_t *n) {
	int64_t off;
	return member_state(d, uid, n, &off);
}

int notify_list(db *d, arena *a, int64_t uid, int unread_only, int64_t before_updated, int64_t before_id, int max,
                struct notify_row **out) {
	*out = NULL;
	if (max <= 0) return 0;
	if (!before_updated && !before_id) before_updated = before_id = INT64_MAX;
	struct notify_row *rows = arena_alloc(a, sizeof *rows * (size_t)max);
	db_stmt *s = db_prep(d, "SELECT id, kind, actor_uid, nactors, fid, tid, pid, objid, isread, created, updated, "
	                        "actor_name, subject, extra FROM notification WHERE uid = $1 AND isread < $2 "
	                        "AND (updated < $3 OR (updated = $3 AND id < $4)) ORDER BY updated DESC, id DESC LIMIT $5");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, unread_only ? 1 : 2);
	db_bind_int(s, 3, before_updated);
	db_bind_int(s, 4, before_id);
	db_bind_int(s, 5, max);
	int n = 0, rc;
	while ((rc = db_step(s)) == DB_ROW && n < max) {
		struct notify_row *r = &rows[n++];
		r->id = db_int(s, 0);
		r->kind = db_int(s, 1);
		r->actor_uid = db_int(s, 2);
		r->nactors = db_int(s, 3);
		r->fid = db_int(s, 4);
		r->tid = db_int(s, 5);
		r->pid = db_int(s, 6);
		r->objid = db_int(s, 7);
		r->isread = db_int(s, 8);
		r->created = db_int(s, 9);
		r->updated = db_int(s, 10);
		r->actor_name = arena_strdup(a, db_text(s, 11));
		r->subject = arena_strdup(a, db_text(s, 12));
		r->extra = arena_strdup(a, db_text(s, 13));
	}
	db_done(s);
	if (rc == DB_ERR) return -1;
	*out = rows;
	return n;
}

int notify_mark_read(db *d, int64_t uid, const int64_t *ids, int nids, int all) {
	if (!all && nids <= 0) return 0;
	if (nids > NOTIFY_READ_IDS_MAX) nids = NOTIFY_READ_IDS_MAX;
	/* the ids as ",1,2,3," (one statement whatever their number; the member's unread rows only) */
	char list[NOTIFY_READ_IDS_MAX * 21 + 2];
	size_t len = 0;
	list[len++] = ',';
	for (int i = 0; i < nids; i++) len += (size_t)snprintf(list + len, sizeof list - len, "%lld,", (long long)ids[i]);
	list[len] = 0;
	if (db_begin(d)) return -1;
	db_stmt *s = db_prep(d, "UPDATE notification SET isread = 1 WHERE uid = $1 AND isread = 0 "
	                        "AND ($2 = 1 OR $3 LIKE '%,' || CAST(id AS TEXT) || ',%') RETURNING id");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, all ? 1 : 0);
	db_bind_text(s, 3, list, (int)len);
	int n = 0, rc;
	while ((rc = db_step(s)) == DB_ROW) n++;
	db_done(s);
	if (rc == DB_ERR) goto fail;
	s = db_prep(d, "UPDATE member_notify SET unread = (SELECT COUNT(*) FROM notification WHERE uid = $1 AND isread = 0) "
	               "WHERE uid = $1");
	db_bind_int(s, 1, uid);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_ERR) goto fail;
	if (db_commit(d)) return -1;
	return n;
fail:
	db_rollback(d);
	return -1;
}

int notify_kinds_off(db *d, int64_t uid, int64_t *off) {
	int64_t unread;
	return member_state(d, uid, &unread, off);
}

int notify_set_kinds_off(db *d, int64_t uid, int64_t off) {
	off &= ((int64_t)1 << NK_COUNT) - 1;
	db_stmt *s = db_prep(d, "INSERT INTO member_notify(uid, kinds_off) VALUES ($1, $2) "
	                        "ON CONFLICT(uid) DO UPDATE SET kinds_off = excluded.kinds_off");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, off);
	int rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	return rc;
}

int notify_follow(db *d, int64_t tid, int64_t uid, int on, time_t now) {
	db_stmt *s = on ? db_prep(d, "INSERT INTO thread_follow(tid, uid, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
	                : db_prep(d, "DELETE FROM thread_follow WHERE tid = $1 AND uid = $2");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, uid);
	if (on) db_bind_int(s, 3, now);
	int rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	return rc;
}

int notify_following(db *d, int64_t tid, int64_t uid, int *on) {
	*on = 0;
	db_stmt *s = db_prep(d, "SELECT 1 FROM thread_follow WHERE tid = $1 AND uid = $2");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) *on = 1;
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}
