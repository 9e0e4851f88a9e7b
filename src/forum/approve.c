/*
** approve: 审核 (approve.h).
*/
#include "forum/approve.h"
#include "forum/attach.h"
#include "forum/write.h"
#include "forum/cachegen.h"
#include "forum/moderate.h"
#include "forum/row.h"
#include "forum/site.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct appr_row { int64_t fid; int kinds; char groups[APPROVE_GROUPS_MAX + 1]; };
struct appr_tab { struct appr_row *rows; int n; struct appr_tab *older; };
static struct appr_tab *g_appr;

static int load_locked(db *d) {
	struct appr_row *rows = NULL;
	int n = 0, cap = 0, rc;
	db_stmt *s = db_prep(d, "SELECT fid, kinds, groupids FROM board_approval WHERE kinds > 0 ORDER BY fid");
	while ((rc = db_step(s)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			rows = realloc(rows, sizeof *rows * (size_t)cap);
			if (!rows) die_oom();
		}
		rows[n].fid = db_int(s, 0);
		rows[n].kinds = (int)db_int(s, 1);
		snprintf(rows[n].groups, sizeof rows[n].groups, "%s", db_text(s, 2));
		n++;
	}
	db_done(s);
	if (rc != DB_DONE) {
		free(rows);
		return -1;
	}
	struct appr_tab *old = __atomic_load_n(&g_appr, __ATOMIC_ACQUIRE);   /* one loader at a time */
	int changed = !old || n != old->n;
	for (int i = 0; old && !changed && i < n; i++)
		changed = rows[i].fid != old->rows[i].fid || rows[i].kinds != old->rows[i].kinds ||
		          strcmp(rows[i].groups, old->rows[i].groups);
	if (!changed) {
		free(rows);
		return 0;
	}
	struct appr_tab *t = xcalloc(1, sizeof *t);
	t->rows = rows;
	t->n = n;
	t->older = old;
	__atomic_store_n(&g_appr, t, __ATOMIC_RELEASE);
	return 0;
}

int approval_load(db *d) {
	site_load_lock();   /* site.h: loads publish in the order they read */
	int rc = load_locked(d);
	site_load_unlock();
	return rc;
}

void approval_free(void) {
	struct appr_tab *t = __atomic_exchange_n(&g_appr, NULL, __ATOMIC_ACQ_REL);
	while (t) {
		struct appr_tab *older = t->older;
		free(t->rows);
		free(t);
		t = older;
	}
}

static const struct appr_row *row_for(int64_t fid) {
	const struct appr_tab *t = __atomic_load_n(&g_appr, __ATOMIC_ACQUIRE);
	for (int i = 0; t && i < t->n; i++)
		if (t->rows[i].fid == fid) return &t->rows[i];
	return NULL;
}

int approval_get(int64_t fid, char *groups, size_t cap) {
	const struct appr_row *r = row_for(fid);
	if (groups && cap) snprintf(groups, cap, "%s", r ? r->groups : "");
	return r ? r->kinds : 0;
}

/* 1 if GID is in the comma-separated LIST */
static int listed(const char *list, int64_t gid) {
	char want[24];
	int n = snprintf(want, sizeof want, "%lld", (long long)gid);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == (size_t)n && !memcmp(p, want, len)) return 1;
		if (!end) break;
		p = end + 1;
	}
	return 0;
}

int approval_needed(const struct actor *who, int64_t fid, int kind) {
	if (who->override || forum_can_moderate(who, fid)) return 0;
	const struct appr_row *r = row_for(fid);
	if (!r || !(r->kinds & kind)) return 0;
	return r->groups[0] ? listed(r->groups, who->groupid) : who->groupid >= GROUP_MEMBER_FIRST;
}

int approval_set(db *d, int64_t fid, int kinds, const char *groups, struct forum_err *e) {
	e->code = 0;
	if (kinds < 0 || kinds > (APPROVE_THREADS | APPROVE_REPLIES)) return forum_fail(e, FORUM_E_INVALID, "审核类型无效。");
	if (!groups) groups = "";
	if (strlen(groups) > APPROVE_GROUPS_MAX) return forum_fail(e, FORUM_E_TOOBIG, "用户组列表太长。");
	for (const char *p = groups; *p; p++)
		if (!(*p >= '0' && *p <= '9') && *p != ',') return forum_fail(e, FORUM_E_INVALID, "用户组列表只能是逗号分隔的组号，例如 10,11。");
	db_stmt *s = db_prep(d, "SELECT 1 FROM board WHERE fid = $1");
	db_bind_int(s, 1, fid);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_DONE) return forum_fail(e, FORUM_E_NOTFOUND, "指定的版块不存在。");
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	s = db_prep(d, "INSERT INTO board_approval(fid, kinds, groupids) VALUES ($1, $2, $3) "
	               "ON CONFLICT(fid) DO UPDATE SET kinds = $2, groupids = $3");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, kinds);
	db_bind_text(s, 3, groups, -1);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	return approval_load(d) ? forum_fail(e, FORUM_E_DB, FORUM_MSG_DB) : 0;
}

int approval_hold(db *d, const struct actor *who, int64_t fid, int64_t tid, const struct post_input *in, time_t now,
                  const int64_t *aids, int naids, int64_t *id, struct forum_err *e) {
	e->code = 0;
	e->wait = 0;
	const char *why;
	int rc;
	if (tid) {   /* a reply: its thread's board and closed flag */
		const struct appr_tab *t = __atomic_load_n(&g_appr, __ATOMIC_ACQUIRE);
		if (!t || !t->n) return 0;   /* no board holds anything: no query */
		db_stmt *s = db_prep(d, "SELECT fid, closed FROM thread WHERE tid = $1 AND hidden = 0");
		db_bind_int(s, 1, tid);
		rc = db_step(s);
		int closed = 0;
		if (rc == DB_ROW) {
			fid = db_int(s, 0);
			closed = (int)db_int(s, 1);
		}
		db_done(s);
		if (rc == DB_DONE) return 0;   /* forum_new_reply answers 404 */
		if (rc != DB_ROW) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
		if (!approval_needed(who, fid, APPROVE_REPLIES)) return 0;
		if (!forum_can_view(who, fid, &why) || !forum_can_reply(who, fid, closed, &why))
			return forum_fail(e, FORUM_E_FORBIDDEN, "%s", why);
	} else {
		if (!approval_needed(who, fid, APPROVE_THREADS)) return 0;
		if (!forum_can_post(who, fid, &why)) return forum_fail(e, FORUM_E_FORBIDDEN, "%s", why);
		if ((rc = forum_check_title(in->title, e))) return rc;
	}
	if ((rc = forum_check_format(in->format, e)) || (rc = forum_check_body(in->body, in->format ? in->format : "bbcode", e)))
		return rc;
	/* its uploads: those sent with it and those its text places ([attach]N, attach:N, as the composer
	   writes them), found by rendering it once as forum_cook will on approval */
	int64_t held[ATTACH_MAX_PER_POST_CAP];
	int nheld = 0;
	char *html = NULL;
	attach_scope_begin(d, who->uid, who->groupid, fid, 0, aids, naids);
	if (!forum_cook(in->format ? in->format : "bbcode", in->body, &html)) nheld = attach_scope_aids(held, ATTACH_MAX_PER_POST_CAP);
	attach_scope_end();
	free(html);
	if (db_begin(d)) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	db_stmt *s = db_prep(d, "INSERT INTO pending_post(fid, tid, uid, author, subject, source, format, typeid, created) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, tid);
	db_bind_int(s, 3, who->uid);
	db_bind_text(s, 4, who->name ? who->name : "", -1);
	db_bind_text(s, 5, tid ? "" : in->title, -1);
	db_bind_text(s, 6, in->body, -1);
	db_bind_text(s, 7, in->format ? in->format : "bbcode", -1);
	db_bind_int(s, 8, in->typeid > 0 ? in->typeid : 0);
	db_bind_int(s, 9, now);
	rc = db_step(s);
	if (rc == DB_ROW) *id = db_int(s, 0);
	db_done(s);
	for (int i = 0; rc == DB_ROW && i < nheld; i++) {   /* its uploads wait with it */
		s = db_prep(d, "UPDATE attachment SET pid = $1 WHERE aid = $2 AND uid = $3 AND pid = 0");
		db_bind_int(s, 1, -*id);
		db_bind_int(s, 2, held[i]);
		db_bind_int(s, 3, who->uid);
		if (db_step(s) != DB_DONE) rc = DB_ERR;
		db_done(s);
	}
	if (rc != DB_ROW || db_commit(d)) {
		db_rollback(d);
		return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	return 1;
}

/* the held uploads of pending post ID back to unused (pid 0), their aids into out (at most max): how many, or -1 */
static int release_held(db *d, int64_t id, int64_t *out, int max) {
	int n = 0, rc;
	db_stmt *s = db_prep(d, "UPDATE attachment SET pid = 0 WHERE pid = $1 RETURNING aid");
	db_bind_int(s, 1, -id);
	while ((rc = db_step(s)) == DB_ROW)
		if (n < max) out[n++] = db_int(s, 0);
	db_done(s);
	return rc == DB_DONE ? n : -1;
}

static void read_pending(db_stmt *s, arena *a, struct pending_row *p) {
	struct row r = row_of(s, a);
	p->id = row_int(&r);
	p->fid = row_int(&r);
	p->tid = row_int(&r);
	p->uid = row_int(&r);
	p->created = row_int(&r);
	p->typeid = row_int(&r);
	p->author = row_text(&r);
	p->subject = row_text(&r);
	p->source = row_text(&r);
	p->format = row_text(&r);
	p->thread_subject = row_text(&r);
}

int approval_list(db *d, arena *a, int64_t uid, int64_t before, int limit, struct pending_row **out, int *n) {
	*n = 0;
	db_stmt *s = db_prep(d, "SELECT q.id, q.fid, q.tid, q.uid, q.created, q.typeid, q.author, q.subject, q.source, q.format, "
	                        "COALESCE(t.subject, '') FROM pending_post q LEFT JOIN thread t ON t.tid = q.tid "
	                        "WHERE (CAST($1 AS BIGINT) = 0 OR q.uid = $1) AND (CAST($2 AS BIGINT) = 0 OR q.id < $2) "
	                        "ORDER BY q.id DESC LIMIT $3");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, before);
	db_bind_int(s, 3, limit);
	struct pending_row *rs = arena_alloc(a, sizeof *rs * (size_t)(limit > 0 ? limit : 1));
	int rc;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) read_pending(s, a, &rs[(*n)++]);
	db_done(s);
	*out = rs;
	return rc == DB_ERR ? -1 : 0;
}

int approval_decide(db *d, const struct actor *who, int64_t id, int approve, time_t now, int64_t *tid, int64_t *pid,
                    struct forum_err *e) {
	e->code = 0;
	*tid = *pid = 0;
	arena a;
	arena_init(&a);
	int rc = FORUM_E_DB;
	if (db_begin(d)) goto out;
	/* the claim first: two moderators deciding at once write the post once */
	db_stmt *s = db_prep(d, "DELETE FROM pending_post WHERE id = $1 RETURNING id, fid, tid, uid, created, typeid, author, "
	                        "subject, source, format, ''");
	db_bind_int(s, 1, id);
	struct pending_row q;
	int st = db_step(s);
	if (st == DB_ROW) read_pending(s, &a, &q);
	db_done(s);
	if (st == DB_DONE) {
		db_rollback(d);
		rc = forum_fail(e, FORUM_E_NOTFOUND, "该帖子不在审核队列中（可能已被处理）。");
		goto out;
	}
	if (st != DB_ROW) goto fail;
	if (!forum_can_moderate(who, q.fid)) {
		db_rollback(d);
		rc = forum_fail(e, FORUM_E_FORBIDDEN, "只有本版版主、超级版主和管理员可以审核。");
		goto out;
	}
	int64_t aids[ATTACH_MAX_PER_POST_CAP];
	int naids = release_held(d, id, aids, ATTACH_MAX_PER_POST_CAP);
	if (naids < 0) goto fail;
	if (approve) {
		/* written as its author by the one write path; the console's override: the check was at submission */
		struct actor author = {q.uid, GROUP_MEMBER_FIRST, q.author, 1};
		struct post_input in = {q.tid ? NULL : q.subject, q.source, q.format, q.typeid, 0};
		int64_t pos;
		/* its uploads, under the rules for the author's group today (types, the board's upload right) */
		int64_t group = GROUP_MEMBER_FIRST;
		s = db_prep(d, "SELECT groupid FROM member WHERE uid = $1");
		db_bind_int(s, 1, q.uid);
		if (db_step(s) == DB_ROW) group = db_int(s, 0);
		db_done(s);
		attach_scope_begin(d, q.uid, group, q.fid, 0, aids, naids);
		int r = q.tid ? forum_new_reply(d, &author, q.tid, &in, now, pid, &pos, e)
		              : forum_new_thread(d, &author, q.fid, &in, now, tid, pid, e);
		attach_scope_end();
		if (r) {
			db_rollback(d);
			rc = r;
			goto out;
		}
		if (q.tid) *tid = q.tid;
	}
	struct modlog_entry m = {approve ? "approve" : "deletepending", q.fid, *tid, *pid, q.uid, NULL, NULL};
	if (modlog_add(d, who, &m)) goto fail;
	if (db_commit(d)) goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback(d);
	rc = forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
out:
	arena_free(&a);
	return rc;
}

int64_t approval_count(db *d) {
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM pending_post");
	int64_t n = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return n;
}
