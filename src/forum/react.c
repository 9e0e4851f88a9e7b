/*
** react: likes, attitudes, ratings and reports on floors. Each action is one
** transaction that also refreshes the post row's summary columns (counts,
** recent likers, recent rating lines and totals), which is what the thread
** page reads. See react.h.
*/
#include "forum/react.h"
#include "util/utf8.h"
#include "forum/moderate.h"
#include "forum/site.h"
#include "util/timefmt.h"
#include "forum/posting.h"
#include "forum/row.h"
#include "forum/cachegen.h"
#include "forum/perm.h"
#include "forum/credit.h"
#include "forum/notify.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *react_message(int rc) {
	switch (rc) {
	case REACT_NOPOST: return "指定的帖子不存在或已被删除。";
	case REACT_OWN: return "您不能对自己的帖子进行此操作。";
	case REACT_DUP: return "您已经进行过此操作了。";
	case REACT_RANGE: return "评分超出了您所在用户组允许的范围。";
	case REACT_QUOTA: return "您今天的评分额度已经用完了。";
	case REACT_DENIED: return "您所在的用户组没有权限进行此操作。";
	case REACT_BAD: return "请求无效。";
	default: return FORUM_MSG_DB;
	}
}

/* the floor being reacted to: 1 found (not deleted), 0 not, -1 error */
static int post_target(db *d, int64_t pid, int64_t *author, int64_t *fid, struct react_state *st) {
	db_stmt *s = db_prep(d, "SELECT p.authorid, p.tid, p.position, p.fid, t.subject FROM post p JOIN thread t ON t.tid = p.tid "
	                        "WHERE p.pid = $1 AND p.deleted = 0 AND t.hidden = 0");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*author = db_int(s, 0);
		st->tid = db_int(s, 1);
		st->position = db_int(s, 2);
		*fid = st->fid = db_int(s, 3);
		snprintf(st->subject, sizeof st->subject, "%s", db_text(s, 4));
	}
	db_done(s);
	/* the floor's reactions show on the thread page: queued, applied if this commits */
	if (rc == DB_ROW) cachegen_bump_thread(d, st->tid, 0);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* keeps names and reasons on one line of the summary text */
static void put_field(buf *b, const char *s) {
	for (; *s; s++) buf_putc(b, (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s);
}

static int refresh_likes(db *d, int64_t pid, struct react_state *st) {
	buf b;
	buf_init(&b, 0);
	db_stmt *s = db_prep(d, "SELECT l.uid, m.username FROM post_like l JOIN member m ON m.uid = l.uid WHERE l.pid = $1 "
	                        "ORDER BY l.id DESC LIMIT $2");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, REACT_LIKERS_SHOWN);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		buf_appendf(&b, "%lld\t", (long long)db_int(s, 0));
		put_field(&b, db_text(s, 1));
		buf_putc(&b, '\n');
	}
	db_done(s);
	if (rc == DB_DONE) {
		s = db_prep(d, "UPDATE post SET likes = (SELECT COUNT(*) FROM post_like WHERE pid = $1), likers = $2 "
		               "WHERE pid = $1 RETURNING likes, support, oppose");
		db_bind_int(s, 1, pid);
		db_bind_text(s, 2, buf_cstr(&b), -1);
		rc = db_step(s);
		if (rc == DB_ROW) {
			st->likes = db_int(s, 0);
			st->support = db_int(s, 1);
			st->oppose = db_int(s, 2);
		}
		db_done(s);
	}
	buf_release(&b);
	return rc == DB_ROW ? 0 : -1;
}

static int refresh_rates(db *d, int64_t pid) {
	buf b;
	buf_init(&b, 0);
	db_stmt *s = db_prep(d, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN ext = 1 THEN score ELSE 0 END), 0), "
	                        "COALESCE(SUM(CASE WHEN ext = 2 THEN score ELSE 0 END), 0), "
	                        "COALESCE(SUM(CASE WHEN ext = 3 THEN score ELSE 0 END), 0) FROM post_rate "
	                        "WHERE pid = $1 AND revoked = 0");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	int64_t count = 0;
	if (rc == DB_ROW) {
		count = db_int(s, 0);
		buf_appendf(&b, "T\t%lld\t%lld\t%lld\t%lld\n", (long long)count, (long long)db_int(s, 1), (long long)db_int(s, 2),
		            (long long)db_int(s, 3));
	}
	db_done(s);
	if (rc != DB_ROW) goto out;
	s = db_prep(d, "SELECT id, uid, ext, score, username, reason FROM post_rate WHERE pid = $1 AND revoked = 0 "
	               "ORDER BY id DESC LIMIT $2");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, REACT_RATES_SHOWN);
	while ((rc = db_step(s)) == DB_ROW) {
		buf_appendf(&b, "%lld\t%lld\t%lld\t%lld\t", (long long)db_int(s, 0), (long long)db_int(s, 1),
		            (long long)db_int(s, 2), (long long)db_int(s, 3));
		put_field(&b, db_text(s, 4));
		buf_putc(&b, '\t');
		put_field(&b, db_text(s, 5));
		buf_putc(&b, '\n');
	}
	db_done(s);
	if (rc != DB_DONE) goto out;
	s = db_prep(d, "UPDATE post SET rates = $2 WHERE pid = $1");
	db_bind_int(s, 1, pid);
	db_bind_text(s, 2, count ? buf_cstr(&b) : "", -1);
	rc = db_step(s);
	db_done(s);
out:
	buf_release(&b);
	return rc == DB_DONE ? 0 : -1;
}

/* all of a floor's summaries again from its reaction rows (the Discuz! importer writes the rows in bulk) */
int react_refresh(db *d, int64_t pid) {
	struct react_state st;
	memset(&st, 0, sizeof st);
	if (refresh_likes(d, pid, &st) || refresh_rates(d, pid)) return -1;
	db_stmt *s = db_prep(d, "UPDATE post SET support = (SELECT COUNT(*) FROM post_attitude WHERE pid = $1 AND attitude = 1), "
	                        "oppose = (SELECT COUNT(*) FROM post_attitude WHERE pid = $1 AND attitude = -1) WHERE pid = $1");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* runs the common prologue: begin, find the floor, check the board's view permission
   (a floor the viewer may not see is "not found"), refuse the banned and one's own floor */
static int begin_on(db *d, int64_t pid, const struct actor *who, int own_ok, struct react_state *st, int64_t *author) {
	int64_t uid = who->uid, groupid = who->groupid;
	if (db_begin(d)) return REACT_ERR;
	int64_t fid = 0;
	int rc = post_target(d, pid, author, &fid, st);
	if (rc <= 0 || !perm_check(uid, groupid, fid, PERM_VIEW, NULL)) {
		db_rollback(d);
		return rc < 0 ? REACT_ERR : REACT_NOPOST;
	}
	if (!own_ok && (groupid == GROUP_BANNED_POST || groupid == GROUP_BANNED_VISIT)) {
		db_rollback(d);
		return REACT_DENIED;
	}
	if (!own_ok && *author == uid) {
		db_rollback(d);
		return REACT_OWN;
	}
	return REACT_OK;
}

/* the floor's author is told (forum/notify.h), inside the reaction's transaction */
static int tell_author(db *d, enum notify_kind k, const struct actor *who, int64_t author, int64_t pid,
                       const struct react_state *st, const char *extra, time_t now) {
	return notify_add(d, &(struct notify){.kind = k, .uid = author, .actor_uid = who->uid, .actor_name = who->name,
	                                      .fid = st->fid, .tid = st->tid, .pid = pid, .subject = st->subject,
	                                      .extra = extra}, now);
}

static int finish(db *d, int rc) {
	if (rc != REACT_OK) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d) ? REACT_ERR : REACT_OK;
}

int react_like(db *d, const struct actor *who, int64_t pid, time_t now, struct react_state *st) {
	int64_t author, uid = who->uid;
	int rc = begin_on(d, pid, who, 0, st, &author);
	if (rc) return rc;
	db_stmt *s = db_prep(d, "INSERT INTO post_like(pid, uid, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, uid);
	db_bind_int(s, 3, now);
	int r = db_step(s);
	db_done(s);
	if (r == DB_DONE) return finish(d, REACT_DUP);
	if (r != DB_ROW || refresh_likes(d, pid, st) || tell_author(d, NK_LIKE, who, author, pid, st, NULL, now) < 0)
		return finish(d, REACT_ERR);
	return finish(d, REACT_OK);
}

int react_unlike(db *d, const struct actor *who, int64_t pid, struct react_state *st) {
	int64_t author, uid = who->uid;
	int rc = begin_on(d, pid, who, 1, st, &author);
	if (rc) return rc;
	db_stmt *s = db_prep(d, "DELETE FROM post_like WHERE pid = $1 AND uid = $2");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, uid);
	int r = db_step(s);
	db_done(s);
	if (r != DB_DONE || refresh_likes(d, pid, st)) return finish(d, REACT_ERR);
	return finish(d, REACT_OK);
}

int react_attitude(db *d, const struct actor *who, int64_t pid, int attitude, time_t now, struct react_state *st) {
	if (attitude != 1 && attitude != -1 && attitude != 0) return REACT_BAD;
	int64_t author, uid = who->uid;
	int rc = begin_on(d, pid, who, attitude == 0, st, &author);
	if (rc) return rc;
	db_stmt *s;
	int r;
	if (attitude) {
		/* a new attitude, or a switch; the same attitude again changes nothing (409) */
		s = db_prep(d, "INSERT INTO post_attitude(pid, uid, attitude, created) VALUES ($1, $2, $3, $4) "
		               "ON CONFLICT(pid, uid) DO UPDATE SET attitude = excluded.attitude, created = excluded.created "
		               "WHERE post_attitude.attitude <> excluded.attitude RETURNING attitude");
		db_bind_int(s, 1, pid);
		db_bind_int(s, 2, uid);
		db_bind_int(s, 3, attitude);
		db_bind_int(s, 4, now);
	} else {
		/* taken back, like a like: none to take back changes nothing and is no error */
		s = db_prep(d, "DELETE FROM post_attitude WHERE pid = $1 AND uid = $2 RETURNING attitude");
		db_bind_int(s, 1, pid);
		db_bind_int(s, 2, uid);
	}
	r = db_step(s);
	db_done(s);
	if (r == DB_DONE && attitude) return finish(d, REACT_DUP);
	if (r != DB_ROW && r != DB_DONE) return finish(d, REACT_ERR);
	s = db_prep(d, "UPDATE post SET support = (SELECT COUNT(*) FROM post_attitude WHERE pid = $1 AND attitude = 1), "
	               "oppose = (SELECT COUNT(*) FROM post_attitude WHERE pid = $1 AND attitude = -1) WHERE pid = $1 "
	               "RETURNING likes, support, oppose");
	db_bind_int(s, 1, pid);
	r = db_step(s);
	if (r == DB_ROW) {
		st->likes = db_int(s, 0);
		st->support = db_int(s, 1);
		st->oppose = db_int(s, 2);
	}
	db_done(s);
	return finish(d, r == DB_ROW ? REACT_OK : REACT_ERR);
}

int react_can_rate(const struct actor *who, int64_t authorid) {
	if (!who->uid) return REACT_DENIED;
	if (authorid == who->uid) return REACT_OWN;
	return credit_can_rate(who->groupid) ? REACT_OK : REACT_DENIED;
}

int react_rate(db *d, const struct actor *who, int64_t pid, int ext, int64_t score, const char *reason, time_t now,
               struct react_state *st, int64_t *rateid) {
	struct group_rate gr;
	if (!credit_rate_range(who->groupid, ext, &gr)) return REACT_DENIED;
	if (score == 0 || score < gr.min || score > gr.max) return REACT_RANGE;
	int64_t author, uid = who->uid;
	const char *uname = who->name;
	int rc = begin_on(d, pid, who, 0, st, &author);
	if (rc) return rc;
	/* the daily quota counts the absolute scores given today in this credit type */
	db_stmt *s = db_prep(d, "SELECT COALESCE(SUM(ABS(score)), 0) FROM post_rate WHERE uid = $1 AND ext = $2 AND created >= $3");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, ext);
	db_bind_int(s, 3, timefmt_day_start(now));
	int r = db_step(s);
	int64_t spent = r == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (r != DB_ROW) return finish(d, REACT_ERR);
	if (spent + llabs(score) > gr.quota) return finish(d, REACT_QUOTA);
	s = db_prep(d, "INSERT INTO post_rate(pid, tid, uid, username, authorid, ext, score, reason, created) "
	               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, st->tid);
	db_bind_int(s, 3, uid);
	db_bind_text(s, 4, uname, -1);
	db_bind_int(s, 5, author);
	db_bind_int(s, 6, ext);
	db_bind_int(s, 7, score);
	db_bind_text(s, 8, reason, -1);
	db_bind_int(s, 9, now);
	r = db_step(s);
	if (r == DB_ROW) *rateid = db_int(s, 0);
	db_done(s);
	if (r == DB_DONE) return finish(d, REACT_DUP);
	if (r != DB_ROW) return finish(d, REACT_ERR);
	int64_t delta[3] = {0, 0, 0};
	delta[ext - 1] = score;
	if (credit_change(d, author, "rate", "post", pid, delta, now) || refresh_rates(d, pid)) return finish(d, REACT_ERR);
	/* the score as the author reads it: "威望 +2 理由" */
	struct credit_names cn;
	credit_names(&cn);
	char what[NOTIFY_EXTRA_MAX + 1];
	snprintf(what, sizeof what, "%s %+lld%s%s", ext <= cn.n && cn.name[ext - 1][0] ? cn.name[ext - 1] : "积分",
	         (long long)score, reason && *reason ? " " : "", reason ? reason : "");
	if (tell_author(d, NK_RATE, who, author, pid, st, what, now) < 0) return finish(d, REACT_ERR);
	return finish(d, REACT_OK);
}

int react_rate_revoke(db *d, const struct actor *who, int64_t rateid, time_t now, struct react_state *st) {
	int64_t by = who->uid;
	if (!forum_may_moderate(who)) return REACT_DENIED;
	if (db_begin(d)) return REACT_ERR;
	db_stmt *s = db_prep(d, "UPDATE post_rate SET revoked = 1, revoker = $2 WHERE id = $1 AND revoked = 0 "
	                        "RETURNING pid, tid, authorid, ext, score");
	db_bind_int(s, 1, rateid);
	db_bind_int(s, 2, by);
	int r = db_step(s);
	int64_t pid = 0, author = 0, score = 0;
	int ext = 1;
	if (r == DB_ROW) {
		pid = db_int(s, 0);
		st->tid = db_int(s, 1);
		author = db_int(s, 2);
		ext = (int)db_int(s, 3);
		score = db_int(s, 4);
	}
	db_done(s);
	if (r == DB_DONE) return finish(d, REACT_NOPOST);
	if (r != DB_ROW || ext < 1 || ext > 3) return finish(d, REACT_ERR);
	cachegen_bump_thread(d, st->tid, 0);
	int64_t delta[3] = {0, 0, 0};
	delta[ext - 1] = -score;
	if (credit_change(d, author, "rate_revoke", "post", pid, delta, now) || refresh_rates(d, pid)) return finish(d, REACT_ERR);
	return finish(d, REACT_OK);
}

int react_report(db *d, const struct actor *who, int64_t pid, const char *reason, time_t now, struct react_state *st,
                 int64_t *reportid) {
	int64_t author, uid = who->uid;
	const char *uname = who->name;
	int rc = begin_on(d, pid, who, 1, st, &author);
	if (rc) return rc;
	db_stmt *s = db_prep(d, "INSERT INTO report(pid, tid, uid, username, reason, created) VALUES ($1, $2, $3, $4, $5, $6) "
	                        "ON CONFLICT DO NOTHING RETURNING id");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, st->tid);
	db_bind_int(s, 3, uid);
	db_bind_text(s, 4, uname, -1);
	db_bind_text(s, 5, reason, -1);
	db_bind_int(s, 6, now);
	int r = db_step(s);
	if (r == DB_ROW) *reportid = db_int(s, 0);
	db_done(s);
	return finish(d, r == DB_ROW ? REACT_OK : r == DB_DONE ? REACT_DUP : REACT_ERR);
}

int react_report_handle(db *d, const struct actor *who, int64_t id, const char *note, time_t now) {
	int64_t by = who->uid;
	const char *byname = who->name;
	int64_t pid, fid;
	int t = react_report_target(d, id, &pid, &fid);
	if (t < 0) return REACT_ERR;
	if (!forum_can_moderate(who, t ? fid : 0)) return REACT_DENIED;   /* a board's moderator handles its reports */
	if (db_begin(d)) return REACT_ERR;
	db_stmt *s = db_prep(d, "UPDATE report SET status = 1, handler = $2, handlername = $3, note = $4, handled = $5 "
	                        "WHERE id = $1 AND status = 0 RETURNING id");
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, by);
	db_bind_text(s, 3, byname, -1);
	db_bind_text(s, 4, note, -1);
	db_bind_int(s, 5, now);
	int r = db_step(s);
	db_done(s);
	return finish(d, r == DB_ROW ? REACT_OK : r == DB_DONE ? REACT_NOPOST : REACT_ERR);
}

int react_report_target(db *d, int64_t id, int64_t *pid, int64_t *fid) {
	db_stmt *s = db_prep(d, "SELECT r.pid, COALESCE(t.fid, 0) FROM report r LEFT JOIN thread t ON t.tid = r.tid "
	                        "WHERE r.id = $1 AND r.status = 0");
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*pid = db_int(s, 0);
		*fid = db_int(s, 1);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---- reading ------------------------------------------------------------------ */

/* splits S at TAB into at most N fields in arena copies; returns the count */
static int fields(arena *a, const char *line, size_t len, const char **f, int n) {
	int k = 0;
	const char *p = line, *end = line + len;
	while (k < n) {
		const char *tab = k == n - 1 ? NULL : memchr(p, '\t', (size_t)(end - p));
		size_t l = tab ? (size_t)(tab - p) : (size_t)(end - p);
		f[k++] = arena_strndup(a, p, l);
		if (!tab) break;
		p = tab + 1;
	}
	return k;
}

int react_parse_likers(arena *a, const char *s, struct react_liker **out) {
	int n = 0;
	for (const char *c = s; c && *c; c++) n += *c == '\n';
	struct react_liker *ls = arena_alloc(a, sizeof *ls * (size_t)(n + 1));
	int k = 0;
	while (s && *s && k < n) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		const char *f[2];
		if (fields(a, s, len, f, 2) == 2) {
			ls[k].uid = strtoll(f[0], NULL, 10);
			ls[k].name = f[1];
			k++;
		}
		s = nl ? nl + 1 : NULL;
	}
	*out = ls;
	return k;
}

void react_parse_rates(arena *a, const char *s, struct react_rates *out) {
	memset(out, 0, sizeof *out);
	int n = 0;
	for (const char *c = s; c && *c; c++) n += *c == '\n';
	out->lines = arena_alloc(a, sizeof *out->lines * (size_t)(n + 1));
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		const char *f[6];
		int k = fields(a, s, len, f, 6);
		if (k == 5 && !strcmp(f[0], "T")) {
			out->count = strtoll(f[1], NULL, 10);
			for (int i = 0; i < 3; i++) out->total[i] = strtoll(f[2 + i], NULL, 10);
		} else if (k == 6) {
			struct react_rate_line *l = &out->lines[out->n++];
			l->id = strtoll(f[0], NULL, 10);
			l->uid = strtoll(f[1], NULL, 10);
			l->ext = (int)strtol(f[2], NULL, 10);
			l->score = strtoll(f[3], NULL, 10);
			l->name = f[4];
			l->reason = f[5];
		}
		s = nl ? nl + 1 : NULL;
	}
}

int react_likes(db *d, arena *a, int64_t pid, int64_t before, int limit, struct react_like_row **out, int *n) {
	db_stmt *s = db_prep(d, "SELECT l.id, l.uid, l.created, m.username FROM post_like l JOIN member m ON m.uid = l.uid "
	                        "WHERE l.pid = $1 AND (CAST($2 AS BIGINT) = 0 OR l.id < $2) ORDER BY l.id DESC LIMIT $3");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, before);
	db_bind_int(s, 3, limit);
	struct react_like_row *rs = arena_alloc(a, sizeof *rs * (size_t)limit);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct react_like_row *r = &rs[(*n)++];
		r->id = db_int(s, 0);
		r->uid = db_int(s, 1);
		r->created = db_int(s, 2);
		r->name = arena_strdup(a, db_text(s, 3));
	}
	db_done(s);
	*out = rs;
	return rc == DB_ERR ? REACT_ERR : REACT_OK;
}

int react_post(db *d, arena *a, int64_t pid, struct react_post *o) {
	db_stmt *s = db_prep(d, "SELECT p.pid, p.tid, p.fid, p.position, p.authorid, p.likes, t.subject, p.author, p.anonymous FROM post p "
	                        "JOIN thread t ON t.tid = p.tid WHERE p.pid = $1 AND t.hidden = 0");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		o->pid = db_int(s, 0);
		o->tid = db_int(s, 1);
		o->fid = db_int(s, 2);
		o->position = db_int(s, 3);
		o->authorid = db_int(s, 4);
		o->likes = db_int(s, 5);
		o->subject = arena_strdup(a, db_text(s, 6));
		o->author = arena_strdup(a, db_text(s, 7));
		o->anonymous = (int)db_int(s, 8);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int react_reports(db *d, arena *a, const struct actor *who, int status, int64_t before, int limit, struct report_row **out,
                  int *n) {
	*n = 0;
	if (!forum_can_moderate(who, 0)) return REACT_DENIED;
	db_stmt *s = db_prep(d, "SELECT r.id, r.pid, r.tid, r.uid, r.username, r.reason, r.created, r.status, r.handlername, "
	                        "r.note, r.handled, COALESCE(t.fid, 0), COALESCE(t.subject, ''), COALESCE(p.authorid, 0), "
	                        "COALESCE(p.author, ''), COALESCE(SUBSTR(p.source, 1, 200), '') FROM report r "
	                        "LEFT JOIN thread t ON t.tid = r.tid LEFT JOIN post p ON p.pid = r.pid "
	                        "WHERE r.status = $1 AND (CAST($2 AS BIGINT) = 0 OR r.id < $2) ORDER BY r.id DESC LIMIT $3");
	db_bind_int(s, 1, status);
	db_bind_int(s, 2, before);
	db_bind_int(s, 3, limit);
	struct report_row *rs = arena_alloc(a, sizeof *rs * (size_t)limit);
	int rc;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct report_row *r = &rs[(*n)++];
		struct row rw = row_of(s, a);
		r->id = row_int(&rw);
		r->pid = row_int(&rw);
		r->tid = row_int(&rw);
		r->uid = row_int(&rw);
		r->username = row_text(&rw);
		r->reason = row_text(&rw);
		r->created = row_int(&rw);
		r->status = row_int(&rw);
		r->handlername = row_text(&rw);
		r->note = row_text(&rw);
		r->handled = row_int(&rw);
		r->fid = row_int(&rw);
		r->subject = row_text(&rw);
		r->authorid = row_int(&rw);
		r->author = row_text(&rw);
		const char *x = row_raw(&rw);
		size_t len = strlen(x), cut = utf8_prefix(x, len, REACT_EXCERPT_MAX);
		r->excerpt = cut < len ? arena_sprintf(a, "%.*s…", (int)cut, x) : arena_strdup(a, x);
	}
	db_done(s);
	*out = rs;
	return rc == DB_ERR ? REACT_ERR : REACT_OK;
}
