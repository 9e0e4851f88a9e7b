/*
** dz_react: the reaction stages of import-discuz (FACTS.md §2.6, §2.8).
**
**   reactions  forum_ratelog -> post_rate (one rating per member and floor,
**              as loulan keeps them: a second row of the same member on the
**              same floor, another credit of one Discuz! rating, is counted in
**              the report) and a credit_log line per rating on the rated
**              member (the credits themselves come with common_member_count,
**              which already holds them); forum_hotreply_member -> post_attitude
**              (attitude 1 支持, 0 反对 -> -1); forum_memberrecommend (推荐,
**              one row per voter, the direction not stored) -> likes of the
**              thread's first floor. Then every touched floor's summaries
**              (likes/likers, support/oppose, rates) from those rows
**              (react_refresh), in the batch's transaction.
**   favorites  home_favorite idtype 'tid' -> favorite (the other kinds are
**              counted in the report).
**   specials   polls, trades, rewards, activities, debates: imported as the
**              ordinary threads they also are (threads stage); their data is
**              listed in the report (poll options with their votes).
*/
#include "import/dz_extra.h"
#include "forum/react.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DZ_RATE_REASON_MAX 100   /* characters of a rating reason kept (REACT_REASON_MAX) */

/* the floors a batch touched, refreshed before its commit */
struct touched { int64_t *pid; int n, cap; };

static void touch(struct touched *t, int64_t pid) {
	if (t->n && t->pid[t->n - 1] == pid) return;   /* rows come grouped by floor */
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		int64_t *p = realloc(t->pid, (size_t)t->cap * sizeof *p);
		if (!p) abort();
		t->pid = p;
	}
	t->pid[t->n++] = pid;
}

static int refresh(struct imp *im, struct touched *t) {
	for (int i = 0; i < t->n; i++)
		if (react_refresh(imp_db(im), t->pid[i])) return imp_fail(im, "post %lld: %s", (long long)t->pid[i], db_errmsg(imp_db(im)));
	t->n = 0;
	return 0;
}

static int64_t target_count(struct imp *im, const char *sql) {
	db_stmt *s = db_prep(imp_db(im), sql);
	int64_t n = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return n;
}

static int64_t source_count(struct imp *im, const char *table, const char *where_) {
	buf sql;
	buf_init(&sql, 0);
	int64_t n = imp_count(im, dz_sql(&sql, "SELECT COUNT(*) FROM ", table, where_ ? " WHERE " : "", where_ ? where_ : "", NULL));
	buf_release(&sql);
	return n;
}

static int rates(struct imp *im, struct touched *t) {
	const char *tr = imp_table(im, "forum_ratelog");
	if (!tr) return 0;
	struct dz_group g;
	int rc = dz_group_open(im, &g, "reactions:ratelog", tr, "pid", "pid, uid, username, extcredits, dateline, score, reason",
	                       NULL, "dateline, uid");
	int64_t dup = 0;
	while (!rc && (rc = dz_group_next(&g)) > 0) {
		rc = imp_begin(im);
		for (int r = 0; r < g.rows.n && !rc; r++) {
			int64_t pid = imp_int(&g.rows, r, 0), ext = imp_int(&g.rows, r, 3), score = imp_int(&g.rows, r, 5);
			if (!imp_has(im, IMP_PID, pid) || ext < 1 || ext > 8) continue;
			const char *reason = dz_cut(&g.rows.a, imp_text(im, &g.rows, r, 6, DZ_ESCAPED), DZ_RATE_REASON_MAX);
			db_stmt *s = db_prep(imp_db(im), "INSERT INTO post_rate(pid, tid, uid, username, authorid, ext, score, reason, created) "
			                                 "SELECT pid, tid, $2, $3, authorid, $4, $5, $6, $7 FROM post WHERE pid = $1 "
			                                 "ON CONFLICT DO NOTHING RETURNING authorid");
			db_bind_int(s, 1, pid);
			db_bind_int(s, 2, imp_int(&g.rows, r, 1));
			db_bind_text(s, 3, imp_text(im, &g.rows, r, 2, DZ_ESCAPED), -1);
			db_bind_int(s, 4, ext);
			db_bind_int(s, 5, score);
			db_bind_text(s, 6, reason, -1);
			db_bind_int(s, 7, imp_int(&g.rows, r, 4));
			int st = db_step(s);
			int64_t author = st == DB_ROW ? db_int(s, 0) : 0;
			db_done(s);
			if (st == DB_ERR) { rc = imp_fail(im, "rating of post %lld: %s", (long long)pid, db_errmsg(imp_db(im))); break; }
			if (st == DB_DONE) { dup++; continue; }   /* this member's second credit on the floor */
			touch(t, pid);
			if (!author || ext > 3) continue;
			/* the rated member's credit log, as react_rate writes it (the balance came with the member) */
			int64_t e[3] = {0, 0, 0};
			e[ext - 1] = score;
			s = db_prep(imp_db(im), "INSERT INTO credit_log(uid, action, objtype, objid, ext1, ext2, ext3, created) "
			                        "VALUES ($1, 'rate', 'post', $2, $3, $4, $5, $6)");
			db_bind_int(s, 1, author);
			db_bind_int(s, 2, pid);
			db_bind_int(s, 3, e[0]);
			db_bind_int(s, 4, e[1]);
			db_bind_int(s, 5, e[2]);
			db_bind_int(s, 6, imp_int(&g.rows, r, 4));
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "credit log: %s", db_errmsg(imp_db(im)));
			db_done(s);
		}
		if (!rc) rc = refresh(im, t);
		if (!rc) rc = dz_group_commit(&g);
		else imp_rollback(im);
	}
	dz_group_close(&g);
	if (rc < 0) return -1;
	if (dup) imp_warn(im, "ratings: %lld rows rate a floor the same member already rated in another credit (loulan: one rating per member and floor), not imported", (long long)dup);
	buf sql;
	buf_init(&sql, 0);
	int64_t src = imp_count(im, dz_sql(&sql, "SELECT COUNT(*) FROM (SELECT DISTINCT pid, uid FROM ", tr, ") x", NULL));
	buf_release(&sql);
	imp_report_count(im, "ratings (one per member and floor) forum_ratelog -> post_rate", src,
	                 target_count(im, "SELECT COUNT(*) FROM post_rate"));
	return 0;
}

static int attitudes(struct imp *im, struct touched *t) {
	const char *th = imp_table(im, "forum_hotreply_member");
	if (!th) return 0;
	struct dz_group g;
	int rc = dz_group_open(im, &g, "reactions:hotreply", th, "pid", "pid, uid, attitude", NULL, "uid");
	while (!rc && (rc = dz_group_next(&g)) > 0) {
		rc = imp_begin(im);
		for (int r = 0; r < g.rows.n && !rc; r++) {
			int64_t pid = imp_int(&g.rows, r, 0), uid = imp_int(&g.rows, r, 1);
			if (!imp_has(im, IMP_PID, pid) || !imp_has(im, IMP_UID, uid)) continue;
			db_stmt *s = db_prep(imp_db(im), "INSERT INTO post_attitude(pid, uid, attitude, created) "
			                                 "SELECT pid, $2, $3, created FROM post WHERE pid = $1 ON CONFLICT DO NOTHING");
			db_bind_int(s, 1, pid);
			db_bind_int(s, 2, uid);
			db_bind_int(s, 3, imp_int(&g.rows, r, 2) ? 1 : -1);
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "attitude on post %lld: %s", (long long)pid, db_errmsg(imp_db(im)));
			db_done(s);
			touch(t, pid);
		}
		if (!rc) rc = refresh(im, t);
		if (!rc) rc = dz_group_commit(&g);
		else imp_rollback(im);
	}
	dz_group_close(&g);
	if (rc < 0) return -1;
	imp_report_count(im, "support/oppose forum_hotreply_member -> post_attitude", source_count(im, th, NULL),
	                 target_count(im, "SELECT COUNT(*) FROM post_attitude"));
	return 0;
}

static int recommends(struct imp *im, struct touched *t) {
	const char *tm = imp_table(im, "forum_memberrecommend");
	if (!tm) return 0;
	struct dz_group g;
	int rc = dz_group_open(im, &g, "reactions:recommend", tm, "tid", "tid, recommenduid, dateline", NULL, "dateline");
	while (!rc && (rc = dz_group_next(&g)) > 0) {
		rc = imp_begin(im);
		int64_t tid = 0, pid = 0;
		for (int r = 0; r < g.rows.n && !rc; r++) {
			int64_t uid = imp_int(&g.rows, r, 1);
			if (imp_int(&g.rows, r, 0) != tid) {
				tid = imp_int(&g.rows, r, 0);
				pid = imp_has(im, IMP_TID, tid) ? dz_first_pid(im, tid) : 0;
				if (pid < 0) { rc = imp_fail(im, "first floor of %lld: %s", (long long)tid, db_errmsg(imp_db(im))); break; }
			}
			if (!pid || !imp_has(im, IMP_UID, uid)) continue;
			db_stmt *s = db_prep(imp_db(im), "INSERT INTO post_like(pid, uid, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
			db_bind_int(s, 1, pid);
			db_bind_int(s, 2, uid);
			db_bind_int(s, 3, imp_int(&g.rows, r, 2));
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "like of post %lld: %s", (long long)pid, db_errmsg(imp_db(im)));
			db_done(s);
			touch(t, pid);
		}
		if (!rc) rc = refresh(im, t);
		if (!rc) rc = dz_group_commit(&g);
		else imp_rollback(im);
	}
	dz_group_close(&g);
	if (rc < 0) return -1;
	imp_report_count(im, "recommends forum_memberrecommend -> post_like (first floor)", source_count(im, tm, NULL),
	                 target_count(im, "SELECT COUNT(*) FROM post_like"));
	/* 反对 votes are in the count only (recommend_sub), not per member: they came in as likes */
	int n = 0;
	const char *const *tt = imp_tables_split(im, "forum_thread", &n);
	int64_t sub = 0;
	for (int i = 0; i < n; i++) {
		int64_t v = source_count(im, tt[i], "recommend_sub > 0");
		if (v > 0) sub += v;
	}
	if (sub)
		imp_warn(im, "recommends: %lld threads have votes against (Discuz! keeps their number, not who voted which way): those voters come in as likes", (long long)sub);
	return 0;
}

int dz_reactions(struct imp *im) {
	struct touched t = {NULL, 0, 0};
	int rc = rates(im, &t);
	if (!rc) rc = attitudes(im, &t);
	if (!rc) rc = recommends(im, &t);
	free(t.pid);
	return rc;
}

int dz_favorites(struct imp *im) {
	const char *tf = imp_table(im, "home_favorite");
	if (!tf) return 0;
	buf sql;
	buf_init(&sql, 0);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, "favorites", dz_sql(&sql, "SELECT favid, uid, id, dateline FROM ", tf,
	                                                     " WHERE favid > ? AND idtype = 'tid' ORDER BY favid LIMIT ?", NULL), NULL);
	buf_release(&sql);
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		if ((rc = imp_begin(im))) break;
		for (int r = 0; r < n && !rc; r++) {
			int64_t uid = imp_int(&k.rows, r, 1), tid = imp_int(&k.rows, r, 2);
			if (!imp_has(im, IMP_UID, uid) || !imp_has(im, IMP_TID, tid)) continue;
			db_stmt *s = db_prep(imp_db(im), "INSERT INTO favorite(uid, tid, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
			db_bind_int(s, 1, uid);
			db_bind_int(s, 2, tid);
			db_bind_int(s, 3, imp_int(&k.rows, r, 3));
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "favorite: %s", db_errmsg(imp_db(im)));
			db_done(s);
		}
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	imp_keyset_close(&k);
	if (rc < 0) return -1;
	imp_report_count(im, "favorites home_favorite idtype=tid -> favorite", source_count(im, tf, "idtype = 'tid'"),
	                 target_count(im, "SELECT COUNT(*) FROM favorite"));
	int64_t other = source_count(im, tf, "idtype <> 'tid'");
	if (other > 0) imp_warn(im, "favorites: %lld not of threads (boards, blogs, albums, articles, members; loulan keeps threads only), not imported", (long long)other);
	return 0;
}

/* ---- special threads: listed ------------------------------------------------ */

static const char *special_name(int64_t sp) {
	switch (sp) {
	case 1: return "poll";
	case 2: return "trade";
	case 3: return "reward";
	case 4: return "activity";
	case 5: return "debate";
	case 127: return "plugin thread";
	default: return "special thread";
	}
}

/* "Firefox 2 votes, Chromium 1 vote" for poll tid, into a */
static const char *poll_options(struct imp *im, arena *a, const char *to, int64_t tid) {
	if (!to) return "";
	buf sql;
	buf_init(&sql, 0);
	struct imp_rows r;
	imp_rows_init(&r);
	int64_t p[1] = {tid};
	int n = imp_select(im, dz_sql(&sql, "SELECT polloptionid, polloption, votes FROM ", to,
	                              " WHERE tid = ? ORDER BY displayorder, polloptionid", NULL), p, 1, &r);
	buf_reset(&sql);
	for (int i = 0; i < n; i++) {
		long long v = imp_int(&r, i, 2);
		buf_appendf(&sql, "%s%s %lld vote%s", i ? ", " : "", imp_text(im, &r, i, 1, DZ_ESCAPED), v, v == 1 ? "" : "s");
	}
	const char *out = arena_strdup(a, buf_cstr(&sql));
	buf_release(&sql);
	imp_rows_free(&r);
	return out;
}

int dz_specials(struct imp *im) {
	int n = 0;
	const char *const *tt = imp_tables_split(im, "forum_thread", &n);
	const char *to = imp_table(im, "forum_polloption");
	int64_t total = 0;
	for (int i = 0; i < n; i++) {
		buf sql;
		buf_init(&sql, 0);
		struct imp_query q;
		int rc = imp_prepare(im, &q, dz_sql(&sql, "SELECT tid, special, subject FROM ", tt[i],
		                                    " WHERE tid > ? AND special > 0 ORDER BY tid LIMIT ?", NULL));
		buf_release(&sql);
		if (rc) return -1;
		struct imp_rows r;
		imp_rows_init(&r);
		int64_t p[2] = {0, IMP_BATCH};
		int got;
		while ((got = imp_exec(&q, p, 2, &r)) > 0) {
			for (int j = 0; j < got; j++) {
				int64_t tid = imp_int(&r, j, 0), sp = imp_int(&r, j, 1);
				total++;
				const char *opts = sp == 1 ? poll_options(im, &r.a, to, tid) : "";
				imp_report_list(im, "special threads (imported as ordinary threads; their data here)", "tid %lld %s \"%s\"%s%s", (long long)tid,
				                special_name(sp), imp_text(im, &r, j, 2, DZ_ESCAPED), *opts ? ": " : "", opts);
			}
			p[0] = imp_int(&r, got - 1, 0);
			if (got < IMP_BATCH) break;
		}
		imp_rows_free(&r);
		imp_query_close(&q);
		if (got < 0) return -1;
	}
	if (total) imp_warn(im, "special threads: %lld (polls, trades, rewards, activities, debates) imported as ordinary threads; polls and the rest listed below", (long long)total);
	return 0;
}
