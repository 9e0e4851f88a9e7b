/*
** notify: 提醒 (see notify.h). Writes are one statement for the row (an UPSERT that also
** groups unread likes of one post and unread replies to one thread, and skips kinds the member
** switched off) and one for the unread counter when the row is new; nothing is read first, so a
** reply's transaction stays short.
*/
#include "forum/notify.h"
#include "forum/cachegen.h"
#include "forum/posting.h"
#include "forum/row.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/write.h"
#include "markup/mention.h"
#include "util/utf8.h"
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
	/* likes of one post group into one unread row (gkey = the post), replies to one thread too (gkey = the
	   thread: "X 等回复了您的主题（共 N 条）", as Discuz! adds to the notice of the same from_id; the row keeps
	   the first reply's pid, so opening it shows the first new floor); without a subject (a moderator's
	   action) the thread's is copied, read only then */
	int64_t gkey = n->kind == NK_LIKE ? n->pid : n->kind == NK_REPLY ? n->tid : 0;
	/* the unread row of a group first: in a busy thread nearly every reply finds one, and an UPDATE through
	   notification_group is ~30k instructions cheaper than the INSERT below meeting its conflict (issue 16).
	   A switched-off kind is left alone as the INSERT's WHERE leaves it. The INSERT keeps its ON CONFLICT
	   for a row another node's writer added in between. */
	int64_t nactors = 0;
	int rc = DB_DONE;
	if (gkey) {
		db_stmt *u = db_prep(d, "UPDATE notification SET actor_uid = $4, actor_name = $5, nactors = nactors + 1, updated = $6 "
		                        "WHERE uid = $1 AND kind = $2 AND gkey = $3 AND gkey <> 0 AND isread = 0 AND NOT EXISTS "
		                        "(SELECT 1 FROM member_notify WHERE uid = $1 AND (kinds_off & CAST($7 AS BIGINT)) <> 0) "
		                        "RETURNING nactors");
		db_bind_int(u, 1, n->uid);
		db_bind_int(u, 2, n->kind);
		db_bind_int(u, 3, gkey);
		db_bind_int(u, 4, n->actor_uid);
		db_bind_text(u, 5, n->actor_name ? n->actor_name : "", -1);
		db_bind_int(u, 6, now);
		db_bind_int(u, 7, (int64_t)1 << n->kind);
		rc = db_step(u);
		if (rc == DB_ROW) nactors = db_int(u, 0);
		db_done(u);
		if (rc == DB_ERR) return -1;
	}
	if (rc != DB_ROW) {
		db_stmt *s = db_prep(d,
		    "INSERT INTO notification(uid, kind, actor_uid, actor_name, nactors, fid, tid, pid, objid, gkey, subject, extra, "
		    "created, updated) SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS TEXT), 1, "
		    "CAST($5 AS BIGINT), CAST($6 AS BIGINT), CAST($7 AS BIGINT), CAST($8 AS BIGINT), CAST($9 AS BIGINT), "
		    "COALESCE(NULLIF(CAST($10 AS TEXT), ''), (SELECT subject FROM thread WHERE tid = CAST($6 AS BIGINT)), ''), "
		    "CAST($11 AS TEXT), CAST($12 AS BIGINT), CAST($12 AS BIGINT) "
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
		rc = db_step(s);
		if (rc == DB_ROW) nactors = db_int(s, 0);
		db_done(s);
		if (rc == DB_ERR) return -1;
		if (rc != DB_ROW) return 0;   /* switched off */
	}
	/* a new row counts once; a like grouped into an unread row is already counted */
	if (nactors == 1 && count_up(d, n->uid)) return -1;
	cachegen_event(d, CACHEGEN_EV_MEMBER, n->uid, 0);   /* the member's open pages: the bell (pages/live.c) */
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

/* a row in the order of NOTIFY_COLS */
#define NOTIFY_COLS "id, kind, actor_uid, nactors, fid, tid, pid, objid, isread, created, updated, actor_name, subject, extra"
static void read_row(db_stmt *s, arena *a, struct notify_row *r) {
	struct row x = row_of(s, a);
	r->id = row_int(&x);
	r->kind = row_int(&x);
	r->actor_uid = row_int(&x);
	r->nactors = row_int(&x);
	r->fid = row_int(&x);
	r->tid = row_int(&x);
	r->pid = row_int(&x);
	r->objid = row_int(&x);
	r->isread = row_int(&x);
	r->created = row_int(&x);
	r->updated = row_int(&x);
	r->actor_name = row_text(&x);
	r->subject = row_text(&x);
	r->extra = row_text(&x);
}

int notify_list(db *d, arena *a, int64_t uid, int unread_only, int64_t before_updated, int64_t before_id, int max,
                struct notify_row **out) {
	*out = NULL;
	if (max <= 0) return 0;
	if (!before_updated && !before_id) before_updated = before_id = INT64_MAX;
	struct notify_row *rows = arena_alloc(a, sizeof *rows * (size_t)max);
	db_stmt *s = db_prep(d, "SELECT " NOTIFY_COLS " FROM notification WHERE uid = $1 AND isread < $2 "
	                        "AND (updated < $3 OR (updated = $3 AND id < $4)) ORDER BY updated DESC, id DESC LIMIT $5");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, unread_only ? 1 : 2);
	db_bind_int(s, 3, before_updated);
	db_bind_int(s, 4, before_id);
	db_bind_int(s, 5, max);
	int n = 0, rc;
	while ((rc = db_step(s)) == DB_ROW && n < max) {
		read_row(s, a, &rows[n++]);
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
	if (n) cachegen_event(d, CACHEGEN_EV_MEMBER, uid, 0);   /* the bell on the member's other pages */
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

/* ---- the write path's hooks ------------------------------------------------------------------ */

_Static_assert(MENTION_NAME_CHARS == USER_NAME_MAX, "a mention is as long as a name may be");
_Static_assert(MENTION_MAX_PER_POST == NOTIFY_MENTIONS_MAX, "one slot per linked member");

/* the candidates' members: sc->known (by the text as typed), groups into gid[] */
static int resolve_names(db *d, char (*names)[MENTION_NAME_BYTES], int n, struct mention_scope *sc, int64_t *gid) {
	char keys[MENTION_SCAN_MAX][256];
	int nk = 0;
	for (int i = 0; i < n; i++)
		if (user_name_key(names[i], keys[i], sizeof keys[i])) keys[i][0] = 0;
		else nk++;
	if (!nk) return 0;
	db_stmt *s = db_prep(d, "SELECT uid, groupid, username_key FROM member WHERE username_key IN "
	                        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)");
	_Static_assert(MENTION_SCAN_MAX == 16, "one placeholder per candidate");
	for (int i = 0; i < MENTION_SCAN_MAX; i++) db_bind_text(s, i + 1, i < n && keys[i][0] ? keys[i] : "", -1);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *key = db_text(s, 2);
		for (int i = 0; i < n; i++) {
			if (!keys[i][0] || strcmp(keys[i], key) || sc->nknown >= MENTION_SCAN_MAX) continue;
			size_t l = strnlen(names[i], MENTION_NAME_BYTES - 1);
			memcpy(sc->known[sc->nknown].name, names[i], l);
			sc->known[sc->nknown].name[l] = 0;
			sc->known[sc->nknown].uid = db_int(s, 0);
			gid[sc->nknown++] = db_int(s, 1);
		}
	}
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

static int resolve_quotes(db *d, const char *src, struct notify_targets *t) {
	int64_t pids[NOTIFY_QUOTES_MAX];
	int n = mention_quotes(src, strlen(src), pids, NOTIFY_QUOTES_MAX);
	if (!n) return 0;
	db_stmt *s = db_prep(d, "SELECT p.pid, p.authorid, COALESCE(m.groupid, 0) FROM post p LEFT JOIN member m "
	                        "ON m.uid = p.authorid WHERE p.pid IN ($1, $2, $3) AND p.deleted = 0");
	_Static_assert(NOTIFY_QUOTES_MAX == 3, "one placeholder per quote");
	for (int i = 0; i < NOTIFY_QUOTES_MAX; i++) db_bind_int(s, i + 1, i < n ? pids[i] : 0);
	int rc;
	while ((rc = db_step(s)) == DB_ROW && t->nquote < NOTIFY_QUOTES_MAX) {
		t->quote_pid[t->nquote] = db_int(s, 0);
		t->quote_uid[t->nquote] = db_int(s, 1);
		t->quote_group[t->nquote++] = db_int(s, 2);
	}
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

int notify_cook(db *d, const char *format, const char *source, char **html, struct notify_targets *t) {
	char names[MENTION_SCAN_MAX][MENTION_NAME_BYTES];
	int64_t gid[MENTION_SCAN_MAX];
	struct mention_scope sc = {0};
	if (t) memset(t, 0, sizeof *t);
	int n = mention_scan(source, strlen(source), names, MENTION_SCAN_MAX);
	if (n && resolve_names(d, names, n, &sc, gid)) return -2;
	if (t && resolve_quotes(d, source, t)) return -2;
	mention_scope_begin(&sc);
	int rc = forum_cook(format, source, html);
	mention_scope_end();
	if (rc) return -1;
	for (int i = 0; t && i < sc.nfound; i++) {
		t->mention_uid[t->nmention] = sc.found[i];
		for (int j = 0; j < sc.nknown; j++)
			if (sc.known[j].uid == sc.found[i]) t->mention_group[t->nmention] = gid[j];
		t->nmention++;
	}
	return 0;
}

int notify_targets_refresh(db *d, struct notify_targets *t) {
	int n = t->nmention + t->nquote;
	if (!n) return 0;   /* no query */
	db_stmt *s = db_prep(d, "SELECT uid, groupid FROM member WHERE uid IN "
	                        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
	_Static_assert(NOTIFY_MENTIONS_MAX + NOTIFY_QUOTES_MAX == 13, "one placeholder per target");
	for (int i = 0; i < NOTIFY_MENTIONS_MAX; i++) db_bind_int(s, i + 1, i < t->nmention ? t->mention_uid[i] : 0);
	for (int i = 0; i < NOTIFY_QUOTES_MAX; i++) db_bind_int(s, NOTIFY_MENTIONS_MAX + i + 1, i < t->nquote ? t->quote_uid[i] : 0);
	/* a member gone meanwhile is told nothing (uid 0: notify_add skips it) */
	int64_t mg[NOTIFY_MENTIONS_MAX], qg[NOTIFY_QUOTES_MAX];
	for (int i = 0; i < t->nmention; i++) mg[i] = -1;
	for (int i = 0; i < t->nquote; i++) qg[i] = -1;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t uid = db_int(s, 0), gid = db_int(s, 1);
		for (int i = 0; i < t->nmention; i++)
			if (t->mention_uid[i] == uid) mg[i] = gid;
		for (int i = 0; i < t->nquote; i++)
			if (t->quote_uid[i] == uid) qg[i] = gid;
	}
	db_done(s);
	if (rc == DB_ERR) return -1;
	for (int i = 0; i < t->nmention; i++) {
		if (mg[i] < 0) t->mention_uid[i] = 0;
		else t->mention_group[i] = mg[i];
	}
	for (int i = 0; i < t->nquote; i++) {
		if (qg[i] < 0) t->quote_uid[i] = 0;
		else t->quote_group[i] = qg[i];
	}
	return 0;
}

/* may the member of group gid see board fid (a notification about a post there) */
static int sees(int64_t uid, int64_t gid, int64_t fid) {
	struct actor a = {uid, gid, "", 0};
	return forum_can_view(&a, fid, NULL);
}

static int told_already(const int64_t *told, int n, int64_t uid) {
	for (int i = 0; i < n; i++)
		if (told[i] == uid) return 1;
	return 0;
}

#define NOTIFY_GROUPS_MAX 256   /* user groups a forum may have, for the followers' view rule */

/* the followers of the thread but those told already (the writer, the author, the quoted, the mentioned):
   one INSERT ... SELECT and one counter statement, whatever their number */
static int tell_followers(db *d, const struct notify_post *np, const char *told, time_t now) {
	/* the groups that may not view the board, as ",4,5," */
	int64_t gids[NOTIFY_GROUPS_MAX];
	int ng = groups_ids(gids, NOTIFY_GROUPS_MAX);
	char denied[NOTIFY_GROUPS_MAX * 21 + 2];
	size_t len = 0;
	denied[len++] = ',';
	for (int i = 0; i < ng; i++)
		if (!sees(1, gids[i], np->fid)) len += (size_t)snprintf(denied + len, sizeof denied - len, "%lld,", (long long)gids[i]);
	denied[len] = 0;
	/* the notification ids before these rows: the counter statement finds them as the ids above it */
	db_stmt *s = db_prep(d, "SELECT COALESCE(MAX(id), 0) FROM notification");
	int rc = db_step(s);
	int64_t last = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc != DB_ROW) return -1;
	s = db_prep(d,
	    "INSERT INTO notification(uid, kind, actor_uid, actor_name, fid, tid, pid, subject, created, updated) "
	    "SELECT f.uid, CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS BIGINT), CAST($5 AS BIGINT), "
	    "CAST($6 AS BIGINT), CAST($7 AS TEXT), CAST($8 AS BIGINT), CAST($8 AS BIGINT) FROM thread_follow f "
	    "JOIN member m ON m.uid = f.uid LEFT JOIN member_notify n ON n.uid = f.uid WHERE f.tid = $5 "
	    "AND (n.kinds_off IS NULL OR (n.kinds_off & CAST($9 AS BIGINT)) = 0) "
	    "AND CAST($10 AS TEXT) NOT LIKE '%,' || CAST(m.groupid AS TEXT) || ',%' "
	    "AND CAST($11 AS TEXT) NOT LIKE '%,' || CAST(f.uid AS TEXT) || ',%'");
	db_bind_int(s, 1, NK_FOLLOW);
	db_bind_int(s, 2, np->who->uid);
	db_bind_text(s, 3, np->name ? np->name : "", -1);
	db_bind_int(s, 4, np->fid);
	db_bind_int(s, 5, np->tid);
	db_bind_int(s, 6, np->pid);
	char sub[NOTIFY_SUBJECT_MAX + 1];
	db_bind_text(s, 7, cut(np->subject, NOTIFY_SUBJECT_MAX, sub), -1);
	db_bind_int(s, 8, now);
	db_bind_int(s, 9, (int64_t)1 << NK_FOLLOW);
	db_bind_text(s, 10, denied, (int)len);
	db_bind_text(s, 11, told, -1);
	rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	if (rc) return -1;
	/* the rows just written: this post's NK_FOLLOW rows, the ids above LAST (a range of the primary key).
	   Not by the followers' (uid, updated) index: in a busy second each follower has a row per reply of
	   that second to skip, and the stream of replies to a followed thread slowed as it grew (issue 16) */
	s = db_prep(d, "INSERT INTO member_notify(uid, unread) SELECT n.uid, 1 FROM notification n "
	               "WHERE n.id > $1 AND n.pid = $2 AND n.kind = $3 "
	               "ON CONFLICT(uid) DO UPDATE SET unread = member_notify.unread + 1 RETURNING uid");
	db_bind_int(s, 1, last);
	db_bind_int(s, 2, np->pid);
	db_bind_int(s, 3, NK_FOLLOW);
	while ((rc = db_step(s)) == DB_ROW) cachegen_event(d, CACHEGEN_EV_MEMBER, db_int(s, 0), 0);   /* their bells */
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int notify_post(db *d, const struct notify_post *np, const struct notify_targets *t, time_t now) {
	int64_t told[2 + NOTIFY_QUOTES_MAX + NOTIFY_MENTIONS_MAX];
	int nt = 0;
	told[nt++] = np->who->uid;
	struct notify n = {.actor_uid = np->who->uid, .actor_name = np->name, .fid = np->fid, .tid = np->tid,
	                   .pid = np->pid, .subject = np->subject};
	/* a quoted author is told of the quote; the thread's author of the reply unless quoted (as Discuz!: one
	   notice for the reply); an @mention is a notice of its own; followers hear of nothing else */
	for (int i = 0; t && i < t->nquote; i++) {
		if (told_already(told, nt, t->quote_uid[i])) continue;
		told[nt++] = t->quote_uid[i];
		if (!sees(t->quote_uid[i], t->quote_group[i], np->fid)) continue;
		n.kind = NK_QUOTE;
		n.uid = t->quote_uid[i];
		if (notify_add(d, &n, now) < 0) return -1;
	}
	if (np->thread_author && !told_already(told, nt, np->thread_author)) {
		told[nt++] = np->thread_author;
		if (sees(np->thread_author, np->thread_author_group, np->fid)) {
			n.kind = NK_REPLY;
			n.uid = np->thread_author;
			if (notify_add(d, &n, now) < 0) return -1;
		}
	}
	for (int i = 0; t && i < t->nmention; i++) {
		if (t->mention_uid[i] == np->who->uid) continue;
		if (!told_already(told, nt, t->mention_uid[i])) told[nt++] = t->mention_uid[i];
		if (!sees(t->mention_uid[i], t->mention_group[i], np->fid)) continue;   /* a post they cannot see */
		n.kind = NK_MENTION;
		n.uid = t->mention_uid[i];
		if (notify_add(d, &n, now) < 0) return -1;
	}
	if (!np->thread_author || np->no_followers) return 0;
	char list[(2 + NOTIFY_QUOTES_MAX + NOTIFY_MENTIONS_MAX) * 21 + 2];
	size_t len = 0;
	list[len++] = ',';
	for (int i = 0; i < nt; i++) len += (size_t)snprintf(list + len, sizeof list - len, "%lld,", (long long)told[i]);
	list[len] = 0;
	return tell_followers(d, np, list, now);
}

int notify_open(db *d, arena *a, int64_t uid, int64_t id, struct notify_row *out) {
	db_stmt *s = db_prep(d, "SELECT " NOTIFY_COLS " FROM notification WHERE id = $1 AND uid = $2");
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		read_row(s, a, out);
	}
	db_done(s);
	if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
	if (!out->isread && notify_mark_read(d, uid, &id, 1, 0) < 0) return -1;
	return 1;
}

int notify_complete(db *d, arena *a, const char *prefix, int max, struct notify_name **out) {
	*out = NULL;
	char key[256];
	/* the prefix's key as a name's would be (one character is too short to be a name: key it as two and cut) */
	char tmp[MENTION_NAME_BYTES * 2];
	snprintf(tmp, sizeof tmp, "%sx", prefix);
	if (user_name_key(prefix, key, sizeof key)) {
		if (user_name_key(tmp, key, sizeof key)) return 0;
		key[strlen(key) - 1] = 0;
	}
	if (max > NOTIFY_COMPLETE_MAX) max = NOTIFY_COMPLETE_MAX;
	/* keys from key up to key + U+10FFFF: the names that start with it, by the index on username_key */
	char hi[sizeof key + 4];
	snprintf(hi, sizeof hi, "%s\xf4\x8f\xbf\xbf", key);
	struct notify_name *r = arena_alloc(a, sizeof *r * (size_t)(max > 0 ? max : 1));
	db_stmt *s = db_prep(d, "SELECT uid, username FROM member WHERE username_key >= $1 AND username_key < $2 "
	                        "AND substr(username_key, 1, $3) = $1 ORDER BY username_key LIMIT $4");
	db_bind_text(s, 1, key, -1);
	db_bind_text(s, 2, hi, -1);
	db_bind_int(s, 3, utf8_chars(key, strlen(key)));
	db_bind_int(s, 4, max);
	int n = 0, rc;
	while ((rc = db_step(s)) == DB_ROW && n < max) {
		r[n].uid = db_int(s, 0);
		r[n++].name = arena_strdup(a, db_text(s, 1));
	}
	db_done(s);
	if (rc == DB_ERR) return -1;
	*out = r;
	return n;
}
