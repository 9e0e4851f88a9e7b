/*
** dz_mod: the moderation stages of import-discuz (FACTS.md §2.1, §2.7).
**
**   bans    members in 禁止发言 (groupid 4) or 禁止访问 (5), with groupexpiry
**           as the ban's expiry (0 = permanent) and the group to restore from
**           field_forum.groupterms (main.groupid), the reason and moderator from
**           the latest matching common_member_crime row (action 4 / 5); members
**           locked by status -1 become a permanent 禁止访问 ("锁定用户"). The
**           member's group is set to the ban's, so loulan's 小黑屋 lists them
**           and ban_expire restores the group at expiry. common_member and
**           common_member_archive alike.
**   ipbans  common_banned: "a.b.*.*" wildcards as CIDR ranges; expired ones
**           are left out (counted in the report).
**   modlog  forum_threadmod rows whose action has a loulan name (STK -> stick,
**           CLS -> close, ...; the others are counted in the report), and the
**           common_member_crime log (删除帖子, 警告, 屏蔽, 禁止发言, 禁止访问).
*/
#include "import/dz_extra.h"
#include "import/phpser.h"
#include "forum/ban.h"
#include "forum/site.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DZ_BAN_REASON_MAX 100   /* characters of a reason kept (BAN_REASON_MAX) */

/* the latest crime row of a member for one action, from the batch's crime rows (uid, action, reason,
   operatorid, operator, dateline; ordered by uid, cid) */
struct crime { int64_t moduid, when; const char *reason, *modname; };

static int find_crime(struct imp *im, struct imp_rows *cr, int64_t uid, int action, struct crime *out) {
	int found = 0;
	for (int r = 0; r < cr->n; r++) {
		if (imp_int(cr, r, 0) != uid || imp_int(cr, r, 1) != action) continue;
		out->reason = imp_text(im, cr, r, 2, DZ_RAW);
		out->moduid = imp_int(cr, r, 3);
		out->modname = imp_text(im, cr, r, 4, DZ_ESCAPED);
		out->when = imp_int(cr, r, 5);
		found = 1;
	}
	return found;
}

/* main.groupid of a groupterms value (the group before the ban), 0 if none */
static int64_t prev_group(struct imp_rows *gt, int64_t uid) {
	for (int r = 0; r < gt->n; r++) {
		if (imp_int(gt, r, 0) != uid) continue;
		size_t n;
		const char *s = imp_raw(gt, r, 1, &n);
		struct php_val *v;
		if (!n || php_unserialize(s, n, &gt->a, &v)) return 0;
		return php_int(php_get(php_get(v, "main"), "groupid"));
	}
	return 0;
}

static int bans_of(struct imp *im, const char *sfx, time_t now) {
	char name[64];
	snprintf(name, sizeof name, "common_member%s", sfx);
	const char *tm = imp_table(im, name);
	if (!tm) return 0;
	snprintf(name, sizeof name, "common_member_field_forum%s", sfx);
	const char *tf = imp_table(im, name);
	const char *tc = imp_table(im, "common_member_crime");
	char key[IMP_KEY_MAX];
	snprintf(key, sizeof key, "bans:common_member%s", sfx);
	buf sql;
	buf_init(&sql, 0);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, key, dz_sql(&sql, "SELECT uid, groupid, groupexpiry, status, credits FROM ", tm,
	                                             " WHERE uid > ? AND (groupid IN (4, 5) OR status = -1) ORDER BY uid LIMIT ?", NULL), NULL);
	buf_release(&sql);
	struct imp_query qg, qc;
	int hasg = 0, hasc = 0;
	if (!rc && !k.done && tf) {
		buf_init(&sql, 0);
		rc = imp_prepare(im, &qg, dz_sql(&sql, "SELECT uid, groupterms FROM ", tf,
		                                 " WHERE uid >= ? AND uid <= ? AND groupterms <> '' ORDER BY uid", NULL));
		buf_release(&sql);
		hasg = !rc;
	}
	if (!rc && !k.done && tc) {
		buf_init(&sql, 0);
		rc = imp_prepare(im, &qc, dz_sql(&sql, "SELECT uid, action, reason, operatorid, operator, dateline FROM ", tc,
		                                 " WHERE uid >= ? AND uid <= ? AND action IN (4, 5, 6) ORDER BY uid, cid", NULL));
		buf_release(&sql);
		hasc = !rc;
	}
	struct imp_rows gt, cr;
	imp_rows_init(&gt);
	imp_rows_init(&cr);
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		rc = 0;
		int64_t p[2] = {imp_int(&k.rows, 0, 0), imp_int(&k.rows, n - 1, 0)};
		gt.n = cr.n = 0;
		if (hasg && imp_exec(&qg, p, 2, &gt) < 0) { rc = -1; break; }
		if (hasc && imp_exec(&qc, p, 2, &cr) < 0) { rc = -1; break; }
		if ((rc = imp_begin(im))) break;
		for (int r = 0; r < n && !rc; r++) {
			int64_t uid = imp_int(&k.rows, r, 0), gid = imp_int(&k.rows, r, 1), expiry = imp_int(&k.rows, r, 2);
			int locked = imp_int(&k.rows, r, 3) == -1;
			if (!imp_has(im, IMP_UID, uid)) continue;
			int kind = gid == 4 ? BAN_POST : BAN_VISIT;
			if (gid != 4 && gid != 5) expiry = 0;   /* locked: until lifted by hand */
			struct crime c = {0, 0, NULL, NULL};
			if (!find_crime(im, &cr, uid, kind, &c) && locked) find_crime(im, &cr, uid, 6, &c);
			const char *reason = c.reason && *c.reason ? dz_cut(&k.rows.a, c.reason, DZ_BAN_REASON_MAX)
			                     : locked && gid != 4 && gid != 5 ? "锁定用户（Discuz! 导入）" : "（Discuz! 导入，无记录原因）";
			int64_t prev = prev_group(&gt, uid);
			int64_t restore = prev > 0 && prev != 4 && prev != 5 ? imp_group(im, prev, imp_int(&k.rows, r, 4))
			                                                   : imp_group(im, 0, imp_int(&k.rows, r, 4));
			db_stmt *s = db_prep(imp_db(im), "INSERT INTO ban(uid, groupid, prevgroup, reason, moduid, modname, created, expires) "
			                                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
			db_bind_int(s, 1, uid);
			db_bind_int(s, 2, kind);
			db_bind_int(s, 3, restore);
			db_bind_text(s, 4, reason, -1);
			db_bind_int(s, 5, c.moduid);
			db_bind_text(s, 6, c.modname ? c.modname : "", -1);
			db_bind_int(s, 7, c.when ? c.when : (int64_t)now);
			db_bind_int(s, 8, expiry);
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "ban of uid %lld: %s", (long long)uid, db_errmsg(imp_db(im)));
			db_done(s);
			if (rc) break;
			s = db_prep(imp_db(im), "UPDATE member SET groupid = $2 WHERE uid = $1");
			db_bind_int(s, 1, uid);
			db_bind_int(s, 2, kind);
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "group of uid %lld: %s", (long long)uid, db_errmsg(imp_db(im)));
			db_done(s);
		}
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	imp_rows_free(&gt);
	imp_rows_free(&cr);
	if (hasg) imp_query_close(&qg);
	if (hasc) imp_query_close(&qc);
	imp_keyset_close(&k);
	return rc < 0 ? -1 : 0;
}

int dz_bans(struct imp *im) {
	time_t now = time(NULL);
	if (bans_of(im, "", now) || bans_of(im, "_archive", now)) return -1;
	const char *tm = imp_table(im, "common_member");
	int64_t src = tm ? 0 : -1;
	if (tm) {
		buf sql;
		buf_init(&sql, 0);
		src = imp_count(im, dz_sql(&sql, "SELECT COUNT(*) FROM ", tm, " WHERE groupid IN (4, 5) OR status = -1", NULL));
		const char *ta = imp_table(im, "common_member_archive");
		if (ta && src >= 0) {
			int64_t m = imp_count(im, dz_sql(&sql, "SELECT COUNT(*) FROM ", ta, " WHERE groupid IN (4, 5) OR status = -1", NULL));
			src = m < 0 ? -1 : src + m;
		}
		buf_release(&sql);
	}
	db_stmt *s = db_prep(imp_db(im), "SELECT COUNT(*) FROM ban WHERE lifted = 0");
	int64_t dst = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	imp_report_count(im, "bans (no posting, no visit, locked) common_member groupid 4,5 status -1 -> ban", src, dst);
	return 0;
}

/* "1.2.*.*" -> "1.2.0.0/16"; an address or a CIDR range as is; NULL if it is neither */
static const char *wild_cidr(arena *a, const char *ip) {
	if (!strchr(ip, '*')) return ip;
	int oct[4], n = 0, stars = 0;
	const char *p = ip;
	while (n < 4) {
		if (*p == '*') {
			oct[n++] = 0;
			stars++;
			p++;
		} else {
			if (stars || *p < '0' || *p > '9') return NULL;   /* 1.*.3.4: not a prefix */
			char *end;
			long v = strtol(p, &end, 10);
			if (v < 0 || v > 255 || end == p || end - p > 3) return NULL;
			oct[n++] = (int)v;
			p = end;
		}
		if (n < 4 && *p++ != '.') return NULL;
	}
	if (*p) return NULL;
	return arena_sprintf(a, "%d.%d.%d.%d/%d", oct[0], oct[1], oct[2], oct[3], 32 - 8 * stars);
}

int dz_ipbans(struct imp *im) {
	const char *t = imp_table(im, "common_banned");
	if (!t) return 0;
	time_t now = time(NULL);
	buf sql;
	buf_init(&sql, 0);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, "ipbans", dz_sql(&sql, "SELECT id, ip, admin, dateline, expiration FROM ", t,
	                                                  " WHERE id > ? ORDER BY id LIMIT ?", NULL), NULL);
	buf_release(&sql);
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		if ((rc = imp_begin(im))) break;
		for (int r = 0; r < n && !rc; r++) {
			const char *ip = imp_text(im, &k.rows, r, 1, DZ_RAW);
			int64_t exp = imp_int(&k.rows, r, 4);
			if (exp && exp < now) {
				imp_report_list(im, "expired IP bans (not imported) common_banned", "%s", ip);
				continue;
			}
			const char *cidr = wild_cidr(&k.rows.a, ip);
			char lo[33], hi[33];
			if (!cidr || ipban_parse(cidr, lo, hi)) {
				imp_report_list(im, "IP bans not understood (not imported) common_banned", "%s", ip);
				continue;
			}
			db_stmt *s = db_prep(imp_db(im), "INSERT INTO ipban(cidr, lo, hi, reason, moduid, created, expires) "
			                                 "VALUES ($1, $2, $3, $4, 0, $5, $6)");
			db_bind_text(s, 1, cidr, -1);
			db_bind_text(s, 2, lo, -1);
			db_bind_text(s, 3, hi, -1);
			db_bind_text(s, 4, arena_sprintf(&k.rows.a, "Discuz! 导入（%s 设置）", imp_text(im, &k.rows, r, 2, DZ_ESCAPED)), -1);
			db_bind_int(s, 5, imp_int(&k.rows, r, 3));
			db_bind_int(s, 6, exp);
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "ipban %s: %s", cidr, db_errmsg(imp_db(im)));
			db_done(s);
		}
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	imp_keyset_close(&k);
	return rc < 0 ? -1 : 0;
}

/* forum_threadmod action codes (lang_modaction.php) that have a loulan modlog action */
static const struct { const char code[4], *action; } modmap[] = {
	{"STK", "stick"}, {"EST", "stick"}, {"UST", "unstick"}, {"UES", "unstick"},
	{"DIG", "digest"}, {"EDI", "digest"}, {"UDG", "undigest"}, {"UED", "undigest"},
	{"HLT", "highlight"}, {"EHL", "highlight"},
	{"CLS", "close"}, {"ECL", "close"}, {"OPN", "open"}, {"EOP", "open"}, {"UEC", "open"},
	{"MOV", "move"}, {"BMP", "bump"}, {"DWN", "sink"}, {"DEL", "delete"}, {"UDL", "restore"},
	{"DLP", "deletepost"}, {"PRN", "deletepost"}, {"BNP", "banpost"}, {"UBN", "unbanpost"},
	{"WRN", "warn"}, {"UWN", "unwarn"},
};

static const char *mod_action(const char *code) {
	for (size_t i = 0; i < sizeof modmap / sizeof modmap[0]; i++)
		if (!strcmp(modmap[i].code, code)) return modmap[i].action;
	return NULL;
}

/* modlog rows written for forum_threadmod (crime = 0: tid set or no target member) or the crime log (1) */
static int64_t target_modlog(struct imp *im, int crime) {
	db_stmt *s = db_prep(imp_db(im), "SELECT COUNT(*) FROM modlog WHERE (target_uid <> 0) = ($1 = 1)");
	db_bind_int(s, 1, crime);
	int64_t n = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return n;
}

static int modlog_put(struct imp *im, int64_t uid, const char *name, const char *action, int64_t tid, int64_t target,
                      const char *reason, int64_t when) {
	db_stmt *s = db_prep(imp_db(im), "INSERT INTO modlog(uid, username, action, fid, tid, target_uid, reason, created) "
	                                 "VALUES ($1, $2, $3, COALESCE((SELECT fid FROM thread WHERE tid = $4), 0), $4, $5, $6, $7)");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, name, -1);
	db_bind_text(s, 3, action, -1);
	db_bind_int(s, 4, tid);
	db_bind_int(s, 5, target);
	db_bind_text(s, 6, reason, -1);
	db_bind_int(s, 7, when);
	int rc = db_step(s) == DB_DONE ? 0 : imp_fail(im, "modlog: %s", db_errmsg(imp_db(im)));
	db_done(s);
	return rc;
}

int dz_modlog(struct imp *im) {
	int64_t in = 0;
	const char *t = imp_table(im, "forum_threadmod");
	int rc = 0;
	if (t) {
		struct dz_group g;
		rc = dz_group_open(im, &g, "modlog:threadmod", t, "tid", "tid, uid, username, dateline, action, reason", NULL,
		                   "dateline");
		while (!rc && (rc = dz_group_next(&g)) > 0) {
			rc = imp_begin(im);
			for (int r = 0; r < g.rows.n && !rc; r++) {
				const char *code = imp_text(im, &g.rows, r, 4, DZ_RAW);
				const char *action = mod_action(code);
				if (!action) {
					imp_report_list(im, "moderation log actions loulan has no name for forum_threadmod.action", "\"%s\" (tid %lld)", code,
					                (long long)imp_int(&g.rows, r, 0));
					continue;
				}
				rc = modlog_put(im, imp_int(&g.rows, r, 1), imp_text(im, &g.rows, r, 2, DZ_ESCAPED), action,
				                imp_int(&g.rows, r, 0), 0, imp_text(im, &g.rows, r, 5, DZ_ESCAPED), imp_int(&g.rows, r, 3));
			}
			if (!rc) rc = dz_group_commit(&g);
			else imp_rollback(im);
		}
		dz_group_close(&g);
		if (rc < 0) return -1;
		/* the source side: the rows whose action has a loulan name (the others are listed) */
		buf sql;
		buf_init(&sql, 0);
		dz_sql(&sql, "SELECT COUNT(*) FROM ", t, " WHERE action IN ('", NULL);
		for (size_t i = 0; i < sizeof modmap / sizeof modmap[0]; i++) {
			if (i) buf_puts(&sql, "', '");
			buf_puts(&sql, modmap[i].code);
		}
		buf_puts(&sql, "')");
		in = imp_count(im, buf_cstr(&sql));
		buf_release(&sql);
		imp_report_count(im, "moderation log (actions loulan names) forum_threadmod -> modlog", in, target_modlog(im, 0));
	}
	/* the 小黑屋 log: what was done to members */
	static const char *const crime_action[] = {NULL, "deletepost", "warn", "banpost", "ban", "banvisit"};
	const char *tc = imp_table(im, "common_member_crime");
	if (!tc) return 0;
	buf sql;
	buf_init(&sql, 0);
	struct imp_keyset k;
	rc = imp_keyset_open(im, &k, "modlog:crime", dz_sql(&sql, "SELECT cid, uid, operatorid, operator, action, reason, dateline FROM ",
	                                                    tc, " WHERE cid > ? ORDER BY cid LIMIT ?", NULL), NULL);
	buf_release(&sql);
	int64_t cin = 0;
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		if ((rc = imp_begin(im))) break;
		for (int r = 0; r < n && !rc; r++) {
			int64_t a = imp_int(&k.rows, r, 4);
			if (a < 1 || a > 5) continue;   /* 6-9: lock, avatar, signature, title: no loulan action */
			rc = modlog_put(im, imp_int(&k.rows, r, 2), imp_text(im, &k.rows, r, 3, DZ_ESCAPED), crime_action[a], 0,
			                imp_int(&k.rows, r, 1), dz_cut(&k.rows.a, imp_text(im, &k.rows, r, 5, DZ_RAW), DZ_BAN_REASON_MAX), imp_int(&k.rows, r, 6));
		}
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	imp_keyset_close(&k);
	if (rc < 0) return -1;
	buf_init(&sql, 0);
	cin = imp_count(im, dz_sql(&sql, "SELECT COUNT(*) FROM ", tc, " WHERE action BETWEEN 1 AND 5", NULL));
	buf_release(&sql);
	imp_report_count(im, "member penalties (post deleted, warning, post hidden, no posting, no visit) common_member_crime -> modlog", cin, target_modlog(im, 1));
	return 0;
}
