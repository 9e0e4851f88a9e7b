/*
** ban: 禁止发言 / 禁止访问, 小黑屋, removing a member's posts, IP bans (ban.h).
*/
#include "forum/ban.h"
#include "forum/cachegen.h"
#include "forum/moderate.h"
#include "forum/posting.h"
#include "forum/row.h"
#include "forum/site.h"
#include "util/text.h"
#include "util/utf8.h"
#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static int db_fail(db *d, struct forum_err *e) {
	db_rollback(d);
	return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
}

/* a reason: at most BAN_REASON_MAX characters of visible text, or empty */
static int check_reason(const char *reason, struct forum_err *e) {
	size_t n = strlen(reason);
	long chars = utf8_chars(reason, n);
	char msg[256];
	if (chars < 0) return forum_fail(e, FORUM_E_INVALID, "理由不是有效的 UTF-8 文本。");
	if (chars > BAN_REASON_MAX) return forum_fail(e, FORUM_E_TOOBIG, "理由不能超过 %d 个字符。", BAN_REASON_MAX);
	if (n && text_problem(reason, n, "理由", msg, sizeof msg)) return forum_fail(e, FORUM_E_INVALID, "%s", msg);
	return 0;
}

static int staff(int64_t g) { return g == GROUP_ADMIN || g == GROUP_SUPERMOD || g == GROUP_MOD; }

int ban_allowed(const struct actor *who, int64_t target, int target_staff, int type, int64_t fid, const char **why) {
	*why = NULL;
	if (who->override) return 1;
	int super = who->uid && forum_is_supermod(who);
	if (!who->uid || (!super && !(fid && forum_can_moderate(who, fid))))
		*why = fid ? "只有本版版主、超级版主和管理员可以禁止该用户。" : "只有超级版主和管理员可以在版块之外禁止用户。";
	else if (type == BAN_VISIT && !super) *why = "只有超级版主和管理员可以禁止用户访问。";
	else if (target == who->uid) *why = "不能禁止自己。";
	else if (target_staff == BAN_TARGET_ADMIN) *why = "不能禁止管理员。";
	else if (target_staff && who->groupid != GROUP_ADMIN) *why = "只有管理员可以禁止版主。";
	return *why == NULL;
}

/* BAN_TARGET_ADMIN for an admin, BAN_TARGET_STAFF for other staff (a super moderator, a moderator
   group or a board's moderator), 0 for everyone else */
static int staff_of(int64_t uid, int64_t group) {
	int64_t fid;
	if (group == GROUP_ADMIN) return BAN_TARGET_ADMIN;
	return staff(group) || mod_boards(uid, &fid, 1) > 0 ? BAN_TARGET_STAFF : 0;
}

/* the member's group and the current ban's row: 1 found, 0 no member, -1 error */
static int target_of(db *d, int64_t uid, int64_t *group, int64_t *banid, int64_t *bantype, int64_t *prevgroup) {
	db_stmt *s = db_prep(d, "SELECT m.groupid, COALESCE(b.id, 0), COALESCE(b.groupid, 0), COALESCE(b.prevgroup, 0) "
	                        "FROM member m LEFT JOIN ban b ON b.uid = m.uid AND b.lifted = 0 WHERE m.uid = $1 "
	                        "ORDER BY b.id DESC LIMIT 1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*group = db_int(s, 0);
		*banid = db_int(s, 1);
		*bantype = db_int(s, 2);
		*prevgroup = db_int(s, 3);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int exec_done(db_stmt *s) {
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* marks ban ID lifted and gives UID back PREVGROUP if they are still in BANGROUP */
static int lift_row(db *d, int64_t id, int64_t uid, int64_t bangroup, int64_t prevgroup, int64_t by, time_t now) {
	db_stmt *s = db_prep(d, "UPDATE ban SET lifted = $2, liftedby = $3 WHERE id = $1 AND lifted = 0");
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, now > 0 ? now : 1);
	db_bind_int(s, 3, by);
	if (exec_done(s)) return -1;
	s = db_prep(d, "UPDATE member SET groupid = $3 WHERE uid = $1 AND groupid = $2");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, bangroup);
	db_bind_int(s, 3, prevgroup);
	return exec_done(s);
}

int ban_add(db *d, const struct actor *who, int64_t uid, int type, int64_t fid, int64_t seconds, const char *reason,
            time_t now, struct forum_err *e) {
	e->code = 0;
	if (type != BAN_POST && type != BAN_VISIT) return forum_fail(e, FORUM_E_INVALID, "禁止类型无效（发言或访问）。");
	if (seconds < 0 || seconds > BAN_SECONDS_MAX)
		return forum_fail(e, FORUM_E_INVALID, "禁止期限无效（1 至 %d 天，或 0 表示永久）。", BAN_DAYS_MAX);
	if (!reason) reason = "";
	if (check_reason(reason, e)) return e->code;
	if (db_begin(d)) return db_fail(d, e);
	int64_t group, banid, bantype, prev;
	int rc = target_of(d, uid, &group, &banid, &bantype, &prev);
	if (rc < 0) return db_fail(d, e);
	if (!rc) {
		db_rollback(d);
		return forum_fail_en(e, FORUM_E_NOTFOUND, "no such member", "指定的用户不存在。");
	}
	const char *why;
	if (!ban_allowed(who, uid, staff_of(uid, banid ? prev : group), type, fid, &why)) {
		db_rollback(d);
		return forum_fail(e, FORUM_E_FORBIDDEN, "%s", why);
	}
	if (banid) {   /* a new ban replaces the current one; the group to restore stays */
		if (lift_row(d, banid, uid, bantype, prev, who->uid, now)) return db_fail(d, e);
		group = prev;
	} else if (group == BAN_POST || group == BAN_VISIT) {   /* banned by `user group`: back to the credit band */
		group = group_for_credits(0);
	}
	db_stmt *s = db_prep(d, "INSERT INTO ban(uid, groupid, prevgroup, reason, moduid, modname, created, expires) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, type);
	db_bind_int(s, 3, group);
	db_bind_text(s, 4, reason, -1);
	db_bind_int(s, 5, who->uid);
	db_bind_text(s, 6, who->name ? who->name : "", -1);
	db_bind_int(s, 7, now);
	db_bind_int(s, 8, seconds ? now + seconds : 0);
	if (exec_done(s)) return db_fail(d, e);
	s = db_prep(d, "UPDATE member SET groupid = $2, adminid = 0 WHERE uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, type);
	if (exec_done(s)) return db_fail(d, e);
	char extra[32];
	if (seconds % 86400) snprintf(extra, sizeof extra, "%llds", (long long)seconds);
	else snprintf(extra, sizeof extra, "%lldd", (long long)(seconds / 86400));
	struct modlog_entry m = {type == BAN_POST ? "ban" : "banvisit", fid, 0, 0, uid, reason, extra};
	if (modlog_add(d, who, &m)) return db_fail(d, e);
	cachegen_bump_all(d);   /* the author sidebar shows the group on every page of theirs */
	if (db_commit(d)) return db_fail(d, e);
	return 0;
}

int ban_lift(db *d, const struct actor *who, int64_t uid, int64_t fid, time_t now, struct forum_err *e) {
	e->code = 0;
	if (db_begin(d)) return db_fail(d, e);
	int64_t group, banid, bantype, prev;
	int rc = target_of(d, uid, &group, &banid, &bantype, &prev);
	if (rc < 0) return db_fail(d, e);
	if (!rc || !banid) {
		db_rollback(d);
		return forum_fail_en(e, FORUM_E_NOTFOUND, rc ? "the member is not banned" : "no such member",
		                     "%s", rc ? "该用户没有被禁止。" : "指定的用户不存在。");
	}
	const char *why;
	if (!ban_allowed(who, uid, staff_of(uid, prev), (int)bantype, fid, &why)) {
		db_rollback(d);
		return forum_fail(e, FORUM_E_FORBIDDEN, "%s", why);
	}
	if (lift_row(d, banid, uid, bantype, prev, who->uid, now)) return db_fail(d, e);
	struct modlog_entry m = {"unban", fid, 0, 0, uid, NULL, NULL};
	if (modlog_add(d, who, &m)) return db_fail(d, e);
	cachegen_bump_all(d);
	if (db_commit(d)) return db_fail(d, e);
	return 0;
}

int ban_expire(db *d, time_t now) {
	struct { int64_t id, uid, group, prev; } rows[BAN_EXPIRE_BATCH];
	int n = 0, rc;
	db_stmt *s = db_prep(d, "SELECT id, uid, groupid, prevgroup FROM ban WHERE lifted = 0 AND expires > 0 "
	                        "AND expires <= $1 ORDER BY expires LIMIT $2");
	db_bind_int(s, 1, now);
	db_bind_int(s, 2, BAN_EXPIRE_BATCH);
	while ((rc = db_step(s)) == DB_ROW && n < BAN_EXPIRE_BATCH) {
		rows[n].id = db_int(s, 0);
		rows[n].uid = db_int(s, 1);
		rows[n].group = db_int(s, 2);
		rows[n].prev = db_int(s, 3);
		n++;
	}
	db_done(s);
	if (rc == DB_ERR) return -1;
	if (!n) return 0;
	if (db_begin(d)) return -1;
	for (int i = 0; i < n; i++)
		if (lift_row(d, rows[i].id, rows[i].uid, rows[i].group, rows[i].prev, 0, now)) {
			db_rollback(d);
			return -1;
		}
	cachegen_bump_all(d);
	if (db_commit(d)) {
		db_rollback(d);
		return -1;
	}
	return n;
}

static void read_ban(db_stmt *s, arena *a, struct ban_row *b) {
	struct row r = row_of(s, a);
	b->id = row_int(&r);
	b->uid = row_int(&r);
	b->type = row_int(&r);
	b->moduid = row_int(&r);
	b->created = row_int(&r);
	b->expires = row_int(&r);
	b->username = row_text(&r);
	b->modname = row_text(&r);
	b->reason = row_text(&r);
}

int ban_list(db *d, arena *a, int64_t before, int limit, time_t now, struct ban_row **out, int *n) {
	*n = 0;
	db_stmt *s = db_prep(d, "SELECT b.id, b.uid, b.groupid, b.moduid, b.created, b.expires, COALESCE(m.username, ''), "
	                        "b.modname, b.reason FROM ban b LEFT JOIN member m ON m.uid = b.uid "
	                        "WHERE b.lifted = 0 AND (b.expires = 0 OR b.expires > $1) "
	                        "AND (CAST($2 AS BIGINT) = 0 OR b.id < $2) ORDER BY b.id DESC LIMIT $3");
	db_bind_int(s, 1, now);
	db_bind_int(s, 2, before);
	db_bind_int(s, 3, limit);
	struct ban_row *rs = arena_alloc(a, sizeof *rs * (size_t)(limit > 0 ? limit : 1));
	int rc;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) read_ban(s, a, &rs[(*n)++]);
	db_done(s);
	*out = rs;
	return rc == DB_ERR ? -1 : 0;
}

int ban_current(db *d, arena *a, int64_t uid, time_t now, struct ban_row *out) {
	db_stmt *s = db_prep(d, "SELECT b.id, b.uid, b.groupid, b.moduid, b.created, b.expires, COALESCE(m.username, ''), "
	                        "b.modname, b.reason FROM ban b LEFT JOIN member m ON m.uid = b.uid "
	                        "WHERE b.uid = $1 AND b.lifted = 0 AND (b.expires = 0 OR b.expires > $2) "
	                        "ORDER BY b.id DESC LIMIT 1");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, now);
	int rc = db_step(s);
	if (rc == DB_ROW) read_ban(s, a, out);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---- removing all posts of a member --------------------------------------- */

#define REMOVE_BATCH 200
int ban_remove_posts(db *d, const struct actor *who, int64_t uid, int64_t *count, struct forum_err *e) {
	e->code = 0;
	*count = 0;
	if (!who->override && (!who->uid || who->groupid != GROUP_ADMIN))
		return forum_fail(e, FORUM_E_FORBIDDEN, "只有管理员可以删除用户的所有帖子。");
	struct actor op = {who->uid, GROUP_ADMIN, who->name, 1};
	/* threads first (each takes its replies out of the counts), then the replies left in others' threads */
	for (int pass = 0; pass < 2; pass++) {
		for (;;) {
			int64_t pids[REMOVE_BATCH];
			int n = 0, rc;
			db_stmt *s = pass == 0
			                 ? db_prep(d, "SELECT p.pid FROM thread t JOIN post p ON p.tid = t.tid AND p.position = 1 "
			                              "WHERE t.authorid = $1 AND t.hidden = 0 LIMIT $2")
			                 : db_prep(d, "SELECT p.pid FROM post p JOIN thread t ON t.tid = p.tid AND t.hidden = 0 "
			                              "WHERE p.authorid = $1 AND p.deleted = 0 AND p.position > 1 LIMIT $2");
			db_bind_int(s, 1, uid);
			db_bind_int(s, 2, REMOVE_BATCH);
			while ((rc = db_step(s)) == DB_ROW && n < REMOVE_BATCH) pids[n++] = db_int(s, 0);
			db_done(s);
			if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
			if (!n) break;
			for (int i = 0; i < n; i++) {
				arena a;
				arena_init(&a);
				struct post_full pf;
				int got = forum_post_get(d, &a, pids[i], &pf), gone;
				int r = got == 1 ? forum_delete_post(d, &op, &pf, 0, &gone, e) : got < 0 ? FORUM_E_DB : 0;
				arena_free(&a);
				if (r == FORUM_E_DB) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
				if (!r && got == 1) ++*count;
				else if (got != 1 || r) return forum_fail(e, FORUM_E_DB, "帖子 %lld 无法删除。", (long long)pids[i]);
			}
		}
	}
	return 0;
}

/* ---- the moderators' queue count ----------------------------------------- */

static _Atomic int64_t open_reports = -1;

int modq_refresh(db *d) {
	db_stmt *s = db_prep(d, "SELECT (SELECT COUNT(*) FROM report WHERE status = 0) + (SELECT COUNT(*) FROM pending_post)");
	int rc = db_step(s);
	if (rc == DB_ROW) atomic_store(&open_reports, db_int(s, 0));
	db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

int64_t modq_open(void) { return atomic_load(&open_reports); }

/* ---- IP bans ------------------------------------------------------------- */

/* lower-case hex by table: every write route checks the poster's IP (page_ip_banned), and 16 snprintf
   calls were 26k instructions of a reply's ~800k (issue 16) */
static void hex16(const unsigned char b[16], char out[33]) {
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[32] = 0;
}

int ipban_parse(const char *cidr, char lo[33], char hi[33]) {
	if (!cidr || strlen(cidr) > IPBAN_CIDR_MAX) return -1;
	char addr[IPBAN_CIDR_MAX + 1];
	snprintf(addr, sizeof addr, "%s", cidr);
	char *slash = strchr(addr, '/');
	int bits = -1;
	if (slash) {
		*slash = 0;
		const char *q = slash + 1;
		if (!*q || strlen(q) > 3) return -1;
		bits = 0;
		for (; *q; q++) {
			if (*q < '0' || *q > '9') return -1;
			bits = bits * 10 + (*q - '0');
		}
	}
	unsigned char b[16] = {0};
	struct in_addr v4;
	int prefix;
	if (inet_pton(AF_INET, addr, &v4) == 1) {
		b[10] = b[11] = 0xff;
		memcpy(b + 12, &v4, 4);
		if (bits > 32) return -1;
		prefix = bits < 0 ? 128 : 96 + bits;
	} else if (inet_pton(AF_INET6, addr, b) == 1) {
		if (bits > 128) return -1;
		prefix = bits < 0 ? 128 : bits;
	} else {
		return -1;
	}
	unsigned char l[16], h[16];
	for (int i = 0; i < 16; i++) {
		int keep = prefix - 8 * i;
		unsigned char mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
		l[i] = b[i] & mask;
		h[i] = (unsigned char)(b[i] | (unsigned char)~mask);
	}
	hex16(l, lo);
	hex16(h, hi);
	return 0;
}

int ipban_add(db *d, const struct actor *who, const char *cidr, int64_t seconds, const char *reason, time_t now,
              int64_t *id, struct forum_err *e) {
	e->code = 0;
	if (!who->override && (!who->uid || who->groupid != GROUP_ADMIN))
		return forum_fail(e, FORUM_E_FORBIDDEN, "只有管理员可以禁止 IP。");
	char lo[33], hi[33];
	if (ipban_parse(cidr, lo, hi)) return forum_fail(e, FORUM_E_INVALID, "IP 地址或网段无效（例如 192.0.2.1 或 192.0.2.0/24）。");
	if (seconds < 0 || seconds > BAN_SECONDS_MAX)
		return forum_fail(e, FORUM_E_INVALID, "禁止期限无效（1 至 %d 天，或 0 表示永久）。", BAN_DAYS_MAX);
	if (!reason) reason = "";
	if (check_reason(reason, e)) return e->code;
	db_stmt *s = db_prep(d, "INSERT INTO ipban(cidr, lo, hi, reason, moduid, created, expires) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
	db_bind_text(s, 1, cidr, -1);
	db_bind_text(s, 2, lo, -1);
	db_bind_text(s, 3, hi, -1);
	db_bind_text(s, 4, reason, -1);
	db_bind_int(s, 5, who->uid);
	db_bind_int(s, 6, now);
	db_bind_int(s, 7, seconds ? now + seconds : 0);
	int rc = db_step(s);
	if (rc == DB_ROW) *id = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 0 : forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
}

int ipban_delete(db *d, const struct actor *who, int64_t id, struct forum_err *e) {
	e->code = 0;
	if (!who->override && (!who->uid || who->groupid != GROUP_ADMIN))
		return forum_fail(e, FORUM_E_FORBIDDEN, "只有管理员可以解除 IP 禁止。");
	db_stmt *s = db_prep(d, "DELETE FROM ipban WHERE id = $1 RETURNING id");
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_DONE) return forum_fail(e, FORUM_E_NOTFOUND, "指定的 IP 禁止不存在。");
	return rc == DB_ROW ? 0 : forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
}

int ipban_check(db *d, const char *ip, time_t now) {
	char lo[33], hi[33];
	if (!ip || strchr(ip, '/') || ipban_parse(ip, lo, hi)) return 0;
	db_stmt *s = db_prep(d, "SELECT 1 FROM ipban WHERE lo <= $1 AND hi >= $1 AND (expires = 0 OR expires > $2) LIMIT 1");
	db_bind_text(s, 1, lo, -1);
	db_bind_int(s, 2, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int ipban_list(db *d, arena *a, time_t now, int limit, struct ipban_row **out, int *n) {
	*n = 0;
	db_stmt *s = db_prep(d, "SELECT id, created, expires, cidr, reason FROM ipban WHERE expires = 0 OR expires > $1 "
	                        "ORDER BY id DESC LIMIT $2");
	db_bind_int(s, 1, now);
	db_bind_int(s, 2, limit);
	struct ipban_row *rs = arena_alloc(a, sizeof *rs * (size_t)(limit > 0 ? limit : 1));
	int rc;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct row r = row_of(s, a);
		struct ipban_row *x = &rs[(*n)++];
		x->id = row_int(&r);
		x->created = row_int(&r);
		x->expires = row_int(&r);
		x->cidr = row_text(&r);
		x->reason = row_text(&r);
	}
	db_done(s);
	*out = rs;
	return rc == DB_ERR ? -1 : 0;
}
