/*
** credit: credit types, the total formula, credit rules with cycles and
** caps, the credit log, member groups that follow the total, and the
** rating ranges per group (group_rate). See react.h.
*/
#include "forum/credit.h"
#include "forum/react.h"
#include "forum/site.h"
#include "util/timefmt.h"
#include "util/die.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names and formula ---------------------------------------------------- */

void credit_names_split(const char *s, struct credit_names *out) {
	memset(out, 0, sizeof *out);
	while (s && *s && out->n < CREDIT_TYPES) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		while (len && *s == ' ') { s++; len--; }
		while (len && s[len - 1] == ' ') len--;
		if (len >= CREDIT_NAME_MAX) len = CREDIT_NAME_MAX - 1;
		memcpy(out->name[out->n], s, len);
		out->name[out->n][len] = 0;
		out->n++;
		s = comma ? comma + 1 : NULL;
	}
}

void credit_names(struct credit_names *out) {
	const struct site *st = site_get();
	if (st) *out = st->credit_cn;
	else credit_names_split("威望,金钱,贡献", out);
}

int credit_ext(const char *name) {
	struct credit_names cn;
	credit_names(&cn);
	for (int i = 0; i < cn.n; i++)
		if (cn.name[i][0] && !strcmp(cn.name[i], name)) return i + 1;
	return 0;
}

const char *credit_name(arena *a, int ext) {
	struct credit_names cn;
	credit_names(&cn);
	if (ext >= 1 && ext <= cn.n && cn.name[ext - 1][0]) return arena_strdup(a, cn.name[ext - 1]);
	return arena_sprintf(a, "ext%d", ext);
}

int credit_shown(int ext) {
	const struct site *st = site_get();
	return ext >= 1 && ext <= CREDIT_TYPES && (st ? st->credit_show_mask >> ext & 1 : ext <= 2);   /* default 威望,金钱 */
}

int credit_formula_parse(const char *s, int64_t coef[6]) {
	const struct site *st = site_get();
	return credit_formula_parse_names(s, st && st->credit_names ? st->credit_names : "威望,金钱,贡献", coef);
}

int credit_formula_parse_names(const char *s, const char *names, int64_t coef[6]) {
	static const char *const vars[6] = {"posts", "threads", "digestposts", "ext1", "ext2", "ext3"};
	memset(coef, 0, sizeof(int64_t) * 6);
	struct credit_names cn;
	credit_names_split(names, &cn);
	const char *p = s;
	int terms = 0;
	while (*p) {
		while (*p == ' ') p++;
		int64_t sign = 1, k = 1;
		if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			p++;
		} else if (terms) {
			return -1;
		}
		while (*p == ' ') p++;
		if (isdigit((unsigned char)*p)) {
			char *end;
			k = strtoll(p, &end, 10);
			if (k > 1000) return -1;
			p = end;
			while (*p == ' ') p++;
			if (*p != '*') return -1;
			p++;
			while (*p == ' ') p++;
		}
		const char *w = p;
		while (*p && *p != '+' && *p != '-' && *p != ' ' && *p != '*') p++;
		size_t len = (size_t)(p - w);
		int v = -1;
		for (int i = 0; i < 6; i++)
			if (strlen(vars[i]) == len && !memcmp(vars[i], w, len)) v = i;
		for (int i = 0; i < cn.n && v < 0; i++)
			if (cn.name[i][0] && strlen(cn.name[i]) == len && !memcmp(cn.name[i], w, len)) v = 3 + i;
		if (v < 0) return -1;
		coef[v] += sign * k;
		terms++;
		while (*p == ' ') p++;
	}
	return terms ? 0 : -1;
}

void credit_coef(int64_t coef[6]) {
	static const int64_t def[6] = {1, 0, 5, 2, 1, 1};
	const struct site *st = site_get();
	memcpy(coef, st ? st->credit_coef : def, sizeof def);
}

/* ---- changes ------------------------------------------------------------------ */

/* the member group that CREDITS earn, for a member of group GID */
static int follow_group(db *d, int64_t uid, int64_t credits, int64_t gid) {
	/* only members of member groups follow their credits (not admins, moderators, banned) */
	const struct group *g = group_get(gid);
	if (!g || strcmp(g->type, "member")) return 0;
	int64_t want = group_for_credits(credits);
	if (want == gid) return 0;
	db_stmt *s = db_prep(d, "UPDATE member SET groupid = $2 WHERE uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, want);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* adds ext[] and recomputes the total and the member group in one UPDATE */
static int member_update(db *d, int64_t uid, const int64_t ext[3]) {
	int64_t c[6];
	credit_coef(c);
	db_stmt *s = db_prep(d, "UPDATE member SET ext1 = ext1 + $2, ext2 = ext2 + $3, ext3 = ext3 + $4, "
	                        "credits = posts * $5 + threads * $6 + digestposts * $7 + (ext1 + $2) * $8 + "
	                        "(ext2 + $3) * $9 + (ext3 + $4) * $10 WHERE uid = $1 RETURNING credits, groupid");
	db_bind_int(s, 1, uid);
	for (int i = 0; i < 3; i++) db_bind_int(s, 2 + i, ext[i]);
	for (int i = 0; i < 6; i++) db_bind_int(s, 5 + i, c[i]);
	int rc = db_step(s);
	int64_t credits = 0, gid = 0;
	if (rc == DB_ROW) {
		credits = db_int(s, 0);
		gid = db_int(s, 1);
	}
	db_done(s);
	if (rc == DB_DONE) return 0;   /* no such member: nothing to do */
	if (rc != DB_ROW) return -1;
	return follow_group(d, uid, credits, gid);
}

int credit_recount(db *d, int64_t uid) {
	static const int64_t zero[3] = {0, 0, 0};
	return member_update(d, uid, zero);
}

int credit_recount_thread(db *d, int64_t tid) {
	int64_t *uids = NULL;
	size_t n = 0;
	db_stmt *s = db_prep(d, "SELECT DISTINCT authorid FROM post WHERE tid = $1");
	db_bind_int(s, 1, tid);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		uids = realloc(uids, sizeof *uids * (n + 1));
		if (!uids) die_oom();
		uids[n++] = db_int(s, 0);
	}
	db_done(s);
	for (size_t i = 0; rc == DB_DONE && i < n; i++)
		if (credit_recount(d, uids[i])) rc = DB_ERR;
	free(uids);
	return rc == DB_DONE ? 0 : -1;
}

static int log_change(db *d, int64_t uid, const char *action, const char *objtype, int64_t objid, const int64_t ext[3],
                      time_t now) {
	db_stmt *s = db_prep(d, "INSERT INTO credit_log(uid, action, objtype, objid, ext1, ext2, ext3, created) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, action, -1);
	db_bind_text(s, 3, objtype, -1);
	db_bind_int(s, 4, objid);
	for (int i = 0; i < 3; i++) db_bind_int(s, 5 + i, ext[i]);
	db_bind_int(s, 8, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int credit_change(db *d, int64_t uid, const char *action, const char *objtype, int64_t objid, const int64_t ext[3],
                  time_t now) {
	if (log_change(d, uid, action, objtype, objid, ext, now)) return -1;
	return member_update(d, uid, ext);
}

int credit_plan(db *d, int64_t uid, const char *action, int64_t fid, time_t now, struct credit_plan *pl) {
	memset(pl, 0, sizeof *pl);
	pl->action = action;
	/* the board's rule, else the site's: a descending walk of the (action, fid) key from fid (an IN list
	   would cost SQLite a temporary table on every post, issue 16) */
	db_stmt *s = db_prep(d, "SELECT ext1, ext2, ext3, cycle, cap FROM credit_rule WHERE action = $1 AND fid <= $2 "
	                        "AND (fid = 0 OR fid = $2) ORDER BY fid DESC LIMIT 1");
	db_bind_text(s, 1, action, -1);
	db_bind_int(s, 2, fid);
	int rc = db_step(s);
	int64_t ext[3] = {0, 0, 0}, cap = 0;
	char cycle[16] = "";
	if (rc == DB_ROW) {
		for (int i = 0; i < 3; i++) ext[i] = db_int(s, i);
		snprintf(cycle, sizeof cycle, "%s", db_text(s, 3));
		cap = db_int(s, 4);
	}
	db_done(s);
	if (rc == DB_ERR) return -1;
	if (rc == DB_DONE || (!ext[0] && !ext[1] && !ext[2])) return 0;   /* nothing to award: a recount */
	/* once: one award ever; daily: at most cap a day (0: no cap); unlimited: at most cap in all (0: no cap) */
	int64_t limit = !strcmp(cycle, "once") ? 1 : cap;
	time_t since = !strcmp(cycle, "daily") ? timefmt_day_start(now) : 0;
	if (limit > 0) {
		s = db_prep(d, "SELECT COUNT(*) FROM credit_log WHERE uid = $1 AND action = $2 AND created >= $3");
		db_bind_int(s, 1, uid);
		db_bind_text(s, 2, action, -1);
		db_bind_int(s, 3, since);
		rc = db_step(s);
		int64_t done = rc == DB_ROW ? db_int(s, 0) : 0;
		db_done(s);
		if (rc != DB_ROW) return -1;
		if (done >= limit) return 0;
	}
	memcpy(pl->ext, ext, sizeof ext);
	pl->award = 1;
	return 0;
}

int credit_planned(db *d, int64_t uid, const struct credit_plan *pl, const char *objtype, int64_t objid, int64_t credits,
                   int64_t groupid, time_t now) {
	if (pl->award && log_change(d, uid, pl->action, objtype, objid, pl->ext, now)) return -1;
	return follow_group(d, uid, credits, groupid);
}

int credit_award(db *d, int64_t uid, const char *action, int64_t fid, const char *objtype, int64_t objid, time_t now) {
	struct credit_plan pl;
	if (credit_plan(d, uid, action, fid, now, &pl)) return -1;
	if (!pl.award) return credit_recount(d, uid) ? -1 : 0;
	return credit_change(d, uid, action, objtype, objid, pl.ext, now) ? -1 : 1;
}

int credit_login(db *d, int64_t uid, time_t now) {
	if (db_begin(d)) return -1;
	int rc = credit_award(d, uid, "login", 0, "member", uid, now);
	if (rc < 0) {
		db_rollback(d);
		return -1;
	}
	return db_commit(d) ? -1 : rc;
}

int credit_rule_set(db *d, const struct credit_rule *r, struct forum_err *e) {
	if (strcmp(r->cycle, "once") && strcmp(r->cycle, "daily") && strcmp(r->cycle, "unlimited")) {
		forum_fail(e, FORUM_E_INVALID, "cycle must be once, daily or unlimited");
		return -1;
	}
	if (!*r->action || strlen(r->action) > 32 || r->fid < 0 || r->cap < 0) {
		forum_fail(e, FORUM_E_INVALID, "invalid action, board or cap");
		return -1;
	}
	db_stmt *s = db_prep(d, "INSERT INTO credit_rule(action, fid, name, ext1, ext2, ext3, cycle, cap) "
	                        "VALUES ($1, $2, COALESCE((SELECT name FROM credit_rule WHERE action = $1 AND fid = 0), $1), "
	                        "$3, $4, $5, $6, $7) ON CONFLICT(action, fid) DO UPDATE SET ext1 = excluded.ext1, "
	                        "ext2 = excluded.ext2, ext3 = excluded.ext3, cycle = excluded.cycle, cap = excluded.cap");
	db_bind_text(s, 1, r->action, -1);
	db_bind_int(s, 2, r->fid);
	for (int i = 0; i < 3; i++) db_bind_int(s, 3 + i, r->ext[i]);
	db_bind_text(s, 6, r->cycle, -1);
	db_bind_int(s, 7, r->cap);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) {
		forum_fail(e, FORUM_E_DB, "cannot save the rule: %s", db_errmsg(d));
		return -1;
	}
	return 0;
}

int credit_rules(db *d, arena *a, int64_t fid, struct credit_rule **out, int *n) {
	/* board rows first for each action, so the first row of an action wins */
	db_stmt *s = db_prep(d, "SELECT action, name, cycle, fid, ext1, ext2, ext3, cap FROM credit_rule WHERE fid IN (0, $1) "
	                        "ORDER BY action, fid DESC");
	db_bind_int(s, 1, fid);
	int cap = 8, rc;
	struct credit_rule *rs = arena_alloc(a, sizeof *rs * (size_t)cap);
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n && !strcmp(rs[*n - 1].action, db_text(s, 0))) continue;
		if (*n == cap) {
			struct credit_rule *nr = arena_alloc(a, sizeof *nr * (size_t)cap * 2);
			memcpy(nr, rs, sizeof *rs * (size_t)cap);
			rs = nr;
			cap *= 2;
		}
		struct credit_rule *r = &rs[(*n)++];
		r->action = arena_strdup(a, db_text(s, 0));
		r->name = arena_strdup(a, db_text(s, 1));
		r->cycle = arena_strdup(a, db_text(s, 2));
		r->fid = db_int(s, 3);
		for (int i = 0; i < 3; i++) r->ext[i] = db_int(s, 4 + i);
		r->cap = db_int(s, 7);
	}
	db_done(s);
	*out = rs;
	return rc == DB_DONE ? 0 : -1;
}

int credit_log_list(db *d, arena *a, int64_t uid, int64_t before, int limit, struct credit_log_row **out, int *n) {
	db_stmt *s = db_prep(d, "SELECT id, action, objtype, objid, ext1, ext2, ext3, created FROM credit_log WHERE uid = $1 "
	                        "AND (CAST($2 AS BIGINT) = 0 OR id < $2) ORDER BY id DESC LIMIT $3");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, before);
	db_bind_int(s, 3, limit);
	struct credit_log_row *rs = arena_alloc(a, sizeof *rs * (size_t)limit);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct credit_log_row *r = &rs[(*n)++];
		r->id = db_int(s, 0);
		r->action = arena_strdup(a, db_text(s, 1));
		r->objtype = arena_strdup(a, db_text(s, 2));
		r->objid = db_int(s, 3);
		for (int i = 0; i < 3; i++) r->ext[i] = db_int(s, 4 + i);
		r->created = db_int(s, 7);
	}
	db_done(s);
	*out = rs;
	return rc == DB_ERR ? -1 : 0;
}

int credit_member(db *d, arena *a, int64_t uid, struct member_info *m) {
	db_stmt *s = db_prep(d, "SELECT uid, username, groupid, posts, threads, digestposts, credits, ext1, ext2, ext3, regdate, "
	                        "warnings FROM member WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		m->uid = db_int(s, 0);
		m->name = arena_strdup(a, db_text(s, 1));
		m->groupid = db_int(s, 2);
		m->posts = db_int(s, 3);
		m->threads = db_int(s, 4);
		m->digestposts = db_int(s, 5);
		m->credits = db_int(s, 6);
		for (int i = 0; i < 3; i++) m->ext[i] = db_int(s, 7 + i);
		m->regdate = db_int(s, 10);
		m->warnings = db_int(s, 11);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---- rating ranges -------------------------------------------------------------- */

/* lock-free like the groups (site.c): an atomic pointer, replaced tables kept */
struct rate_tab { struct group_rate *rs; int n; const struct rate_tab *older; };
static struct rate_tab *g_rates;

static int load_locked(db *d) {
	struct group_rate *rs = NULL;
	int n = 0, rc;
	db_stmt *s = db_prep(d, "SELECT groupid, ext, minscore, maxscore, dailyquota FROM group_rate ORDER BY groupid, ext");
	while ((rc = db_step(s)) == DB_ROW) {
		rs = realloc(rs, sizeof *rs * (size_t)(n + 1));
		if (!rs) die_oom();
		rs[n].groupid = db_int(s, 0);
		rs[n].ext = (int)db_int(s, 1);
		rs[n].min = db_int(s, 2);
		rs[n].max = db_int(s, 3);
		rs[n].quota = db_int(s, 4);
		n++;
	}
	db_done(s);
	if (rc != DB_DONE) { free(rs); return -1; }
	struct rate_tab *t = xcalloc(1, sizeof *t);
	t->rs = rs;
	t->n = n;
	t->older = __atomic_load_n(&g_rates, __ATOMIC_ACQUIRE);
	__atomic_store_n(&g_rates, t, __ATOMIC_RELEASE);
	return 0;
}

int credit_rates_load(db *d) {
	site_load_lock();   /* site.h: loads publish in the order they read */
	int rc = load_locked(d);
	site_load_unlock();
	return rc;
}

int credit_rate_range(int64_t groupid, int ext, struct group_rate *out) {
	int found = 0;
	const struct rate_tab *t = __atomic_load_n(&g_rates, __ATOMIC_ACQUIRE);
	for (int i = 0; t && i < t->n; i++)
		if (t->rs[i].groupid == groupid && t->rs[i].ext == ext) {
			*out = t->rs[i];
			found = 1;
		}
	return found;
}

int credit_can_rate(int64_t groupid) {
	struct group_rate r;
	for (int e = 1; e <= CREDIT_TYPES; e++)
		if (credit_rate_range(groupid, e, &r)) return 1;
	return 0;
}
