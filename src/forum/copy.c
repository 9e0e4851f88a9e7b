/*
** copy: `loulan copy`, a whole SQLite forum into an empty PostgreSQL
** database, for a site that moves to several nodes (docs/SCALING.md).
** Tables are copied in dependency order in one transaction on the target;
** identity sequences are reset past the copied ids; then row counts and key
** counters of every table are compared on both sides and any difference
** rolls the whole copy back. Rows go in with the db layer's bulk load
** (PostgreSQL COPY FROM STDIN: db_copy_begin), the columns named by each
** table's SELECT, every value as the text SQLite gives.
**
** The table list below must follow the schema: a migration that adds a
** table or a column adds it here too and raises COPY_SCHEMA_VERSION.
** copy_check_columns compares it with the schema itself (sqlite_master and
** pragma_table_info); `loulan copy` runs it first and test_db runs it on a
** freshly migrated database, so a forgotten table or column fails there.
** The search index is not copied (its shape differs per backend): it is
** built on the target from the copied posts, in the same transaction.
*/
#include "forum/copy.h"
#include "forum/forum.h"
#include "forum/search.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COPY_SCHEMA_VERSION 22   /* the schema version this table list matches (21 added search_pending: not copied, the copy indexes every post; 22 dropped an index) */
#define COPY_CHECKS 5           /* columns of each table's verify query */

struct table {
	const char *name;
	int ncols;
	const char *select;    /* source rows: "SELECT <the columns copied> FROM <name> ORDER BY ..." */
	const char *verify;    /* COPY_CHECKS integers; the first is COUNT(*) */
	const char *reseq;     /* PostgreSQL: identity sequence past MAX(id), or NULL */
	const char *checks;    /* names of the verify columns, for messages */
	const char *clear;     /* rows a migration seeds: deleted from the target first, or NULL */
};

static const struct table tables[] = {
	{"setting", 2, "SELECT k, v FROM setting ORDER BY k",
	 "SELECT COUNT(*), COALESCE(SUM(LENGTH(v)), 0), 0, 0, 0 FROM setting", NULL, "rows,value chars", NULL},
	{"usergroup", 10,
	 "SELECT groupid, type, title, stars, creditslower, creditshigher, allowvisit, allowpost, allowreply, color "
	 "FROM usergroup ORDER BY groupid",
	 "SELECT COUNT(*), COALESCE(MAX(groupid), 0), COALESCE(SUM(creditshigher), 0), 0, 0 FROM usergroup",
	 "SELECT setval(pg_get_serial_sequence('usergroup', 'groupid'), COALESCE(MAX(groupid), 0) + 1, false) FROM usergroup",
	 "rows,max groupid,sum creditshigher", NULL},
	{"member", 23,
	 "SELECT uid, username, username_key, email, email_key, pwhash, groupid, adminid, regdate, lastvisit, posts, "
	 "threads, digestposts, credits, ext1, ext2, ext3, regip, lastposttime, name_skeleton, todayposts, todaydate, "
	 "warnings FROM member ORDER BY uid",
	 "SELECT COUNT(*), COALESCE(MAX(uid), 0), COALESCE(SUM(posts), 0), COALESCE(SUM(threads), 0), "
	 "COALESCE(SUM(credits), 0) FROM member",
	 "SELECT setval(pg_get_serial_sequence('member', 'uid'), COALESCE(MAX(uid), 0) + 1, false) FROM member",
	 "rows,max uid,sum posts,sum threads,sum credits", NULL},
	{"category", 3, "SELECT cid, name, displayorder FROM category ORDER BY cid",
	 "SELECT COUNT(*), COALESCE(MAX(cid), 0), 0, 0, 0 FROM category",
	 "SELECT setval(pg_get_serial_sequence('category', 'cid'), COALESCE(MAX(cid), 0) + 1, false) FROM category",
	 "rows,max cid", NULL},
	{"board", 19,
	 "SELECT fid, cid, name, description, displayorder, threads, posts, todayposts, todaydate, lastpost, lasttid, "
	 "lastsubject, lastposter, types, requiretype, hidden, rules, icon, parent FROM board ORDER BY fid",
	 "SELECT COUNT(*), COALESCE(MAX(fid), 0), COALESCE(SUM(threads), 0), COALESCE(SUM(posts), 0), "
	 "COALESCE(SUM(todayposts), 0) FROM board",
	 "SELECT setval(pg_get_serial_sequence('board', 'fid'), COALESCE(MAX(fid), 0) + 1, false) FROM board",
	 "rows,max fid,sum threads,sum posts,sum todayposts", NULL},
	{"threadtype", 4, "SELECT typeid, fid, name, displayorder FROM threadtype ORDER BY typeid",
	 "SELECT COUNT(*), COALESCE(MAX(typeid), 0), 0, 0, 0 FROM threadtype",
	 "SELECT setval(pg_get_serial_sequence('threadtype', 'typeid'), COALESCE(MAX(typeid), 0) + 1, false) FROM threadtype",
	 "rows,max typeid", NULL},
	{"thread", 22,
	 "SELECT tid, fid, typeid, subject, authorid, author, created, lastpost, lastposter, replies, views, sticky, "
	 "digest, closed, hidden, maxposition, forbidreprint, highlight, moved, modnote, hiddenat, anonymous FROM thread "
	 "ORDER BY tid",
	 "SELECT COUNT(*), COALESCE(MAX(tid), 0), COALESCE(SUM(replies), 0), COALESCE(SUM(views), 0), "
	 "COALESCE(SUM(maxposition), 0) FROM thread",
	 "SELECT setval(pg_get_serial_sequence('thread', 'tid'), COALESCE(MAX(tid), 0) + 1, false) FROM thread",
	 "rows,max tid,sum replies,sum views,sum maxposition", NULL},
	{"post", 22,
	 "SELECT pid, tid, fid, position, authorid, author, created, format, source, html, edited, editor, deleted, ip, "
	 "likes, support, oppose, likers, rates, banned, warned, anonymous FROM post ORDER BY pid",
	 "SELECT COUNT(*), COALESCE(MAX(pid), 0), COALESCE(SUM(position), 0), COALESCE(SUM(LENGTH(source)), 0), "
	 "COALESCE(SUM(LENGTH(html) + likes + support + oppose + LENGTH(rates)), 0) FROM post",
	 "SELECT setval(pg_get_serial_sequence('post', 'pid'), COALESCE(MAX(pid), 0) + 1, false) FROM post",
	 "rows,max pid,sum position,source chars,html chars + reactions", NULL},
	{"post_history", 8,
	 "SELECT hid, pid, version, source, format, html, edited_by, edited_at FROM post_history ORDER BY hid",
	 "SELECT COUNT(*), COALESCE(MAX(hid), 0), COALESCE(SUM(version), 0), COALESCE(SUM(LENGTH(source)), 0), "
	 "COALESCE(SUM(LENGTH(html)), 0) FROM post_history",
	 "SELECT setval(pg_get_serial_sequence('post_history', 'hid'), COALESCE(MAX(hid), 0) + 1, false) FROM post_history",
	 "rows,max hid,sum version,source chars,html chars", NULL},
	{"board_perm", 6,
	 "SELECT fid, groupid, allowview, allowpost, allowreply, allowupload FROM board_perm ORDER BY fid, groupid",
	 "SELECT COUNT(*), COALESCE(SUM(fid * 100 + groupid), 0), COALESCE(SUM(allowview + 2 * allowpost + 4 * allowreply "
	 "+ 8 * allowupload), 0), 0, 0 FROM board_perm", NULL, "rows,sum of keys,sum of flags", NULL},
	{"ratelimit", 4, "SELECT k, window_start, count, expires FROM ratelimit ORDER BY k",
	 "SELECT COUNT(*), COALESCE(SUM(count), 0), COALESCE(MAX(expires), 0), 0, 0 FROM ratelimit", NULL,
	 "rows,sum count,max expires", NULL},
	{"credit_rule", 8, "SELECT action, fid, name, ext1, ext2, ext3, cycle, cap FROM credit_rule ORDER BY action, fid",
	 "SELECT COUNT(*), COALESCE(SUM(fid), 0), COALESCE(SUM(ext1 + 10 * ext2 + 100 * ext3), 0), COALESCE(SUM(cap), 0), 0 "
	 "FROM credit_rule", NULL, "rows,sum fid,sum amounts,sum cap", "DELETE FROM credit_rule"},
	{"credit_log", 9, "SELECT id, uid, action, objtype, objid, ext1, ext2, ext3, created FROM credit_log ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(ext1), 0), COALESCE(SUM(ext2), 0), COALESCE(SUM(ext3), 0) "
	 "FROM credit_log",
	 "SELECT setval(pg_get_serial_sequence('credit_log', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM credit_log",
	 "rows,max id,sum ext1,sum ext2,sum ext3", NULL},
	{"group_rate", 5, "SELECT groupid, ext, minscore, maxscore, dailyquota FROM group_rate ORDER BY groupid, ext",
	 "SELECT COUNT(*), COALESCE(SUM(groupid * 10 + ext), 0), COALESCE(SUM(maxscore - minscore), 0), "
	 "COALESCE(SUM(dailyquota), 0), 0 FROM group_rate", NULL, "rows,sum keys,sum ranges,sum quotas",
	 "DELETE FROM group_rate"},
	{"post_like", 4, "SELECT id, pid, uid, created FROM post_like ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(pid), 0), COALESCE(SUM(uid), 0), 0 FROM post_like",
	 "SELECT setval(pg_get_serial_sequence('post_like', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM post_like",
	 "rows,max id,sum pid,sum uid", NULL},
	{"post_attitude", 4, "SELECT pid, uid, attitude, created FROM post_attitude ORDER BY pid, uid",
	 "SELECT COUNT(*), COALESCE(SUM(pid), 0), COALESCE(SUM(attitude), 0), 0, 0 FROM post_attitude", NULL,
	 "rows,sum pid,sum attitude", NULL},
	{"post_rate", 12,
	 "SELECT id, pid, tid, uid, username, authorid, ext, score, reason, created, revoked, revoker FROM post_rate ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(score), 0), COALESCE(SUM(revoked), 0), COALESCE(SUM(pid), 0) "
	 "FROM post_rate",
	 "SELECT setval(pg_get_serial_sequence('post_rate', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM post_rate",
	 "rows,max id,sum score,revoked,sum pid", NULL},
	{"report", 12,
	 "SELECT id, pid, tid, uid, username, reason, created, status, handler, handlername, note, handled FROM report "
	 "ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(status), 0), COALESCE(SUM(pid), 0), 0 FROM report",
	 "SELECT setval(pg_get_serial_sequence('report', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM report",
	 "rows,max id,sum status,sum pid", NULL},
	{"ban", 11,
	 "SELECT id, uid, groupid, prevgroup, reason, moduid, modname, created, expires, lifted, liftedby FROM ban ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(uid), 0), COALESCE(SUM(lifted), 0), 0 FROM ban",
	 "SELECT setval(pg_get_serial_sequence('ban', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ban",
	 "rows,max id,sum uid,sum lifted", NULL},
	{"ipban", 8, "SELECT id, cidr, lo, hi, reason, moduid, created, expires FROM ipban ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(expires), 0), 0, 0 FROM ipban",
	 "SELECT setval(pg_get_serial_sequence('ipban', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ipban",
	 "rows,max id,sum expires", NULL},
	{"board_approval", 3, "SELECT fid, kinds, groupids FROM board_approval ORDER BY fid",
	 "SELECT COUNT(*), COALESCE(SUM(fid), 0), COALESCE(SUM(kinds), 0), 0, 0 FROM board_approval", NULL, "rows,sum fid,sum kinds",
	 NULL},
	{"pending_post", 10,
	 "SELECT id, fid, tid, uid, author, subject, source, format, typeid, created FROM pending_post ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(uid), 0), COALESCE(SUM(tid), 0), 0 FROM pending_post",
	 "SELECT setval(pg_get_serial_sequence('pending_post', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM pending_post",
	 "rows,max id,sum uid,sum tid", NULL},
	{"session", 8, "SELECT token_hash, uid, created, expires, lastseen, csrf, ip, ua FROM session ORDER BY token_hash",
	 "SELECT COUNT(*), COALESCE(MAX(expires), 0), 0, 0, 0 FROM session", NULL, "rows,max expires", NULL},
	{"login_device", 4, "SELECT token_hash, uid, created, lastused FROM login_device ORDER BY token_hash",
	 "SELECT COUNT(*), COALESCE(MAX(lastused), 0), COALESCE(SUM(uid), 0), 0, 0 FROM login_device", NULL,
	 "rows,max lastused,sum uid", NULL},
	/* discovery (issue 14): the index's counters (one row, seeded by the migration) and who is online */
	{"site_stat", 14,
	 "SELECT id, todaydate, todayposts, yesterdayposts, maxday, maxdayposts, members, newest_uid, newest_name, "
	 "online_members, online_guests, online_names, online_record, online_record_at FROM site_stat ORDER BY id",
	 "SELECT COUNT(*), COALESCE(SUM(todayposts + yesterdayposts + maxdayposts), 0), COALESCE(SUM(members), 0), "
	 "COALESCE(SUM(newest_uid), 0), COALESCE(SUM(online_record), 0) FROM site_stat", NULL,
	 "rows,sum day posts,members,newest uid,online record", "DELETE FROM site_stat"},
	{"online", 3, "SELECT k, uid, lastseen FROM online ORDER BY k",
	 "SELECT COUNT(*), COALESCE(SUM(uid), 0), COALESCE(MAX(lastseen), 0), 0, 0 FROM online", NULL,
	 "rows,sum uid,max lastseen", NULL},
	/* moderation (issue #12) */
	{"moderator", 3, "SELECT fid, uid, created FROM moderator ORDER BY fid, uid",
	 "SELECT COUNT(*), COALESCE(SUM(fid), 0), COALESCE(SUM(uid), 0), 0, 0 FROM moderator", NULL,
	 "rows,sum fid,sum uid", NULL},
	{"modlog", 11,
	 "SELECT id, uid, username, action, fid, tid, pid, target_uid, reason, extra, created FROM modlog ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(tid), 0), COALESCE(SUM(pid), 0), COALESCE(SUM(uid), 0) "
	 "FROM modlog",
	 "SELECT setval(pg_get_serial_sequence('modlog', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM modlog",
	 "rows,max id,sum tid,sum pid,sum uid", NULL},
	{"admin_log", 9, "SELECT id, uid, username, area, action, target, oldval, newval, created FROM admin_log ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(uid), 0), 0, 0 FROM admin_log",
	 "SELECT setval(pg_get_serial_sequence('admin_log', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM admin_log",
	 "rows,max id,sum uid", NULL},
	/* attachments (issue #13) */
	{"blob", 6, "SELECT hash, size, nchunks, store, refs, created FROM blob ORDER BY hash",
	 "SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(nchunks), 0), COALESCE(SUM(refs), 0), 0 FROM blob", NULL,
	 "rows,sum size,sum nchunks,sum refs", NULL},
	{"blob_chunk", 3, "SELECT hash, seq, data FROM blob_chunk ORDER BY hash, seq",
	 "SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0), COALESCE(SUM(seq), 0), 0, 0 FROM blob_chunk", NULL,
	 "rows,data chars,sum seq", NULL},
	{"attachment", 19,
	 "SELECT aid, uid, pid, fid, filename, mime, size, hash, is_image, width, height, disp_w, disp_h, disp_jpeg, "
	 "disp_webp, thumb_jpeg, thumb_webp, downloads, created FROM attachment ORDER BY aid",
	 "SELECT COUNT(*), COALESCE(MAX(aid), 0), COALESCE(SUM(size), 0), COALESCE(SUM(pid), 0), 0 FROM attachment",
	 "SELECT setval(pg_get_serial_sequence('attachment', 'aid'), COALESCE(MAX(aid), 0) + 1, false) FROM attachment",
	 "rows,max aid,sum size,sum pid", NULL},
	{"avatar", 5, "SELECT uid, s48, s120, s200, updated FROM avatar ORDER BY uid",
	 "SELECT COUNT(*), COALESCE(SUM(uid), 0), COALESCE(MAX(updated), 0), 0, 0 FROM avatar", NULL,
	 "rows,sum uid,max updated", NULL},
	/* mail, account recovery, favorites (issue #15, P3) */
	{"mail_queue", 10, "SELECT id, rcpt, subject, body, created, next_try, lease, tries, sent, error FROM mail_queue ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(tries), 0), COALESCE(SUM(sent), 0), 0 FROM mail_queue",
	 "SELECT setval(pg_get_serial_sequence('mail_queue', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM mail_queue",
	 "rows,max id,sum tries,sum sent", NULL},
	{"mail_token", 6, "SELECT token_hash, uid, kind, email, created, expires FROM mail_token ORDER BY token_hash",
	 "SELECT COUNT(*), COALESCE(SUM(uid), 0), COALESCE(MAX(expires), 0), 0, 0 FROM mail_token", NULL,
	 "rows,sum uid,max expires", NULL},
	{"reset_request", 4, "SELECT id, login, base, created FROM reset_request ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(created), 0), 0, 0 FROM reset_request",
	 "SELECT setval(pg_get_serial_sequence('reset_request', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM reset_request",
	 "rows,max id,max created", NULL},
	{"favorite", 3, "SELECT uid, tid, created FROM favorite ORDER BY uid, tid",
	 "SELECT COUNT(*), COALESCE(SUM(uid), 0), COALESCE(SUM(tid), 0), 0, 0 FROM favorite", NULL, "rows,sum uid,sum tid", NULL},
	/* notifications (issue #15, P1) */
	{"notification", 16,
	 "SELECT id, uid, kind, actor_uid, actor_name, nactors, fid, tid, pid, objid, gkey, subject, extra, isread, created, "
	 "updated FROM notification ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(uid), 0), COALESCE(SUM(nactors), 0), COALESCE(SUM(isread), 0) "
	 "FROM notification",
	 "SELECT setval(pg_get_serial_sequence('notification', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM notification",
	 "rows,max id,sum uid,sum nactors,read", NULL},
	{"member_notify", 3, "SELECT uid, unread, kinds_off FROM member_notify ORDER BY uid",
	 "SELECT COUNT(*), COALESCE(SUM(uid), 0), COALESCE(SUM(unread), 0), COALESCE(SUM(kinds_off), 0), 0 FROM member_notify",
	 NULL, "rows,sum uid,sum unread,sum kinds_off", NULL},
	{"thread_follow", 3, "SELECT tid, uid, created FROM thread_follow ORDER BY tid, uid",
	 "SELECT COUNT(*), COALESCE(SUM(tid), 0), COALESCE(SUM(uid), 0), 0, 0 FROM thread_follow", NULL,
	 "rows,sum tid,sum uid", NULL},
	/* 短消息 and profiles (issue #15, P2) */
	{"profile", 9,
	 "SELECT uid, sig_src, sig_html, bio, gender, location, website, sigoff, updated FROM profile ORDER BY uid",
	 "SELECT COUNT(*), COALESCE(SUM(uid), 0), COALESCE(SUM(LENGTH(sig_src)), 0), COALESCE(SUM(sigoff), 0), 0 FROM profile",
	 NULL, "rows,sum uid,signature chars,sum sigoff", NULL},
	{"pm_conv", 12,
	 "SELECT cid, subject, creator, nmembers, members, created, lastmsg, lastmid, lastauthor, lastexcerpt, nmsgs, "
	 "pairkey FROM pm_conv ORDER BY cid",
	 "SELECT COUNT(*), COALESCE(MAX(cid), 0), COALESCE(SUM(nmsgs), 0), COALESCE(SUM(lastmid), 0), 0 FROM pm_conv",
	 "SELECT setval(pg_get_serial_sequence('pm_conv', 'cid'), COALESCE(MAX(cid), 0) + 1, false) FROM pm_conv",
	 "rows,max cid,sum nmsgs,sum lastmid", NULL},
	{"pm_member", 6, "SELECT cid, uid, lastmsg, unread, wasunread, joined FROM pm_member ORDER BY cid, uid",
	 "SELECT COUNT(*), COALESCE(SUM(cid), 0), COALESCE(SUM(uid), 0), COALESCE(SUM(unread), 0), 0 FROM pm_member", NULL,
	 "rows,sum cid,sum uid,sum unread", NULL},
	{"pm_msg", 9, "SELECT mid, cid, uid, author, source, html, created, reported, hiddenfor FROM pm_msg ORDER BY mid",
	 "SELECT COUNT(*), COALESCE(MAX(mid), 0), COALESCE(SUM(cid), 0), COALESCE(SUM(LENGTH(source)), 0), 0 FROM pm_msg",
	 "SELECT setval(pg_get_serial_sequence('pm_msg', 'mid'), COALESCE(MAX(mid), 0) + 1, false) FROM pm_msg",
	 "rows,max mid,sum cid,source chars", NULL},
	{"pm_block", 3, "SELECT uid, blocked, created FROM pm_block ORDER BY uid, blocked",
	 "SELECT COUNT(*), COALESCE(SUM(uid), 0), COALESCE(SUM(blocked), 0), 0, 0 FROM pm_block", NULL,
	 "rows,sum uid,sum blocked", NULL},
	{"pm_report", 7, "SELECT id, mid, cid, reporter, reason, created, handled FROM pm_report ORDER BY id",
	 "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(mid), 0), COALESCE(SUM(handled), 0), 0 FROM pm_report",
	 "SELECT setval(pg_get_serial_sequence('pm_report', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM pm_report",
	 "rows,max id,sum mid,sum handled", NULL},
	{"pm_attach", 2, "SELECT aid, cid FROM pm_attach ORDER BY aid, cid",
	 "SELECT COUNT(*), COALESCE(SUM(aid), 0), COALESCE(SUM(cid), 0), 0, 0 FROM pm_attach", NULL, "rows,sum aid,sum cid",
	 NULL},
	/* the Discuz! importer (issue #18): its resume state, and old attachment file paths */
	{"import_state", 5, "SELECT stage, lastkey, nrows, done, info FROM import_state ORDER BY stage",
	 "SELECT COUNT(*), COALESCE(SUM(lastkey), 0), COALESCE(SUM(nrows), 0), COALESCE(SUM(done), 0), 0 FROM import_state",
	 NULL, "rows,sum lastkey,sum nrows,sum done", NULL},
	{"legacy_path", 2, "SELECT path, aid FROM legacy_path ORDER BY path",
	 "SELECT COUNT(*), COALESCE(SUM(aid), 0), COALESCE(SUM(LENGTH(path)), 0), 0, 0 FROM legacy_path",
	 NULL, "rows,sum aid,path chars", NULL},
};
#define NTABLES (int)(sizeof tables / sizeof tables[0])

static const struct table *table_named(const char *name) {
	for (int i = 0; i < NTABLES; i++)
		if (!strcmp(tables[i].name, name)) return &tables[i];
	return NULL;
}

/* the copied columns: the names between SELECT and FROM, into out[cap] */
static void column_list(const struct table *t, char *out, size_t cap) {
	const char *p = t->select + strlen("SELECT "), *end = strstr(t->select, " FROM ");
	snprintf(out, cap, "%.*s", end ? (int)(end - p) : 0, p);
}

/* 1 if COL is one of the comma-separated names between SELECT and FROM */
static int selects(const struct table *t, const char *col) {
	const char *p = t->select + strlen("SELECT "), *end = strstr(t->select, " FROM ");
	size_t n = strlen(col);
	while (p && p < end) {
		const char *comma = strchr(p, ',');
		const char *stop = comma && comma < end ? comma : end;
		if ((size_t)(stop - p) == n && !strncmp(p, col, n)) return 1;
		p = stop == end ? NULL : stop + 2;
	}
	return 0;
}

int copy_check_columns(db *d, struct forum_err *e) {
	e->msg[0] = 0;
	e->code = 0;
	db_stmt *s = db_prep(d, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
	                        "AND name <> 'migration' AND name NOT LIKE 'search_fts%' AND name <> 'search_pending' ORDER BY name");
	int rc, ntables = 0;
	while ((rc = db_step(s)) == DB_ROW && !e->code) {
		ntables++;
		if (!table_named(db_text(s, 0))) forum_fail(e, FORUM_E_INVALID, "copy.c has no entry for table %s", db_text(s, 0));
	}
	db_done(s);
	if (rc == DB_ERR) forum_fail(e, FORUM_E_DB, "reading the schema: %s", db_errmsg(d));
	if (!e->code && ntables != NTABLES) forum_fail(e, FORUM_E_INVALID, "copy.c lists %d tables, the schema has %d", NTABLES, ntables);
	for (int i = 0; i < NTABLES && !e->code; i++) {
		const struct table *t = &tables[i];
		int ncols = 0;
		s = db_prep(d, "SELECT name FROM pragma_table_info($1) ORDER BY cid");
		db_bind_text(s, 1, t->name, -1);
		while ((rc = db_step(s)) == DB_ROW && !e->code) {
			ncols++;
			if (!selects(t, db_text(s, 0)))
				forum_fail(e, FORUM_E_INVALID, "copy.c does not copy column %s.%s (add it and raise COPY_SCHEMA_VERSION)",
				         t->name, db_text(s, 0));
		}
		db_done(s);
		if (rc == DB_ERR) forum_fail(e, FORUM_E_DB, "reading the schema: %s", db_errmsg(d));
		if (!e->code && ncols != t->ncols)
			forum_fail(e, FORUM_E_INVALID, "copy.c copies %d columns of %s, the schema has %d", t->ncols, t->name, ncols);
	}
	return e->code ? -1 : 0;
}

/* PostgreSQL: a table's indexes that back no constraint (not its key, not UNIQUE) and its foreign
   keys are dropped before its rows go in and made again after, in the caller's transaction: one sort
   per index instead of an index insert per row (GIN ones above all), and one join per foreign key
   instead of a lookup and a row lock per row. The catalog gives both the DROP and the statement that
   makes the object again (pg_get_indexdef, pg_get_constraintdef). */
void copy_keys_free(struct copy_keys *x) {
	for (int i = 0; i < x->n; i++) free(x->make[i]);
	x->n = 0;
}

int copy_keys_drop(db *d, const char *table, struct copy_keys *x) {
	char *drops[COPY_MAX_KEYS];
	int n = 0, rc;
	x->n = 0;
	if (db_kind(d) != DB_PG) return 0;
	if (!db_in_tx(d)) return -3;   /* each DROP would commit on its own, and a failure leave them dropped */
	/* indexes first in the list, so that they are made before the foreign keys are checked */
	db_stmt *s = db_prep(d, "SELECT 1, 'DROP INDEX ' || CAST(CAST(i.indexrelid AS regclass) AS TEXT), "
	                        "pg_get_indexdef(i.indexrelid) "
	                        "FROM pg_index i WHERE i.indrelid = CAST(CAST($1 AS TEXT) AS regclass) AND NOT EXISTS "
	                        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
	                        "UNION ALL SELECT 2, 'ALTER TABLE ' || CAST(c.conrelid AS regclass) || ' DROP CONSTRAINT ' || "
	                        "quote_ident(c.conname), 'ALTER TABLE ' || CAST(c.conrelid AS regclass) || ' ADD CONSTRAINT ' || "
	                        "quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid) "
	                        "FROM pg_constraint c WHERE c.conrelid = CAST(CAST($1 AS TEXT) AS regclass) AND c.contype = 'f' "
	                        "ORDER BY 1, 2");
	db_bind_text(s, 1, table, -1);
	while ((rc = db_step(s)) == DB_ROW && n < COPY_MAX_KEYS) {
		drops[n] = xstrdup(db_text(s, 1));   /* names from the catalog, quoted where they need it */
		x->make[n++] = xstrdup(db_text(s, 2));
	}
	int many = rc == DB_ROW;   /* more than COPY_MAX_KEYS: refused, nothing dropped */
	db_done(s);
	x->n = n;
	for (int i = 0; i < n; i++) {
		if (rc != DB_ERR && !many && db_exec_script(d, drops[i])) rc = DB_ERR;
		free(drops[i]);
	}
	if (rc == DB_ERR || many) copy_keys_free(x);
	return many ? -2 : rc == DB_ERR ? -1 : 0;
}

const char *copy_keys_error(db *d, int rc) {
	return rc == -2 ? "more than COPY_MAX_KEYS indexes and foreign keys"
	     : rc == -3 ? "dropping indexes outside a transaction" : db_errmsg(d);
}

int copy_keys_make(db *d, struct copy_keys *x) {
	int rc = 0;
	for (int i = 0; i < x->n && !rc; i++) rc = db_exec_script(d, x->make[i]);
	copy_keys_free(x);
	return rc;
}

static int verify(db *d, const struct table *t, int64_t v[COPY_CHECKS]) {
	db_stmt *s = db_prep(d, t->verify);
	int rc = db_step(s);
	if (rc == DB_ROW)
		for (int i = 0; i < COPY_CHECKS; i++) v[i] = db_int(s, i);
	db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

static double seconds_since(const struct timespec *t0) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress(FILE *out, int tty, const char *name, int64_t done, int64_t total, int final) {
	if (!out || (!tty && !final)) return;
	int width = 30, fill = total ? (int)(done * width / total) : width;
	fprintf(out, "%s  %-10s [%.*s%*s] %lld/%lld%s", tty ? "\r" : "", name, fill,
	        "##############################", width - fill, "", (long long)done, (long long)total, final ? "\n" : "");
	fflush(out);
}

int forum_copy(db *from, db *to, FILE *out, int tty, int no_index, struct forum_err *e) {
	int64_t src[NTABLES][COPY_CHECKS], dst[COPY_CHECKS];
	if (db_kind(from) != DB_SQLITE || db_kind(to) != DB_PG) {
		forum_fail(e, FORUM_E_INVALID, "copy goes from a SQLite forum (--from DIR) to PostgreSQL (--to postgres://...)");
		return -1;
	}
	int v = db_schema_version(from);
	if (v != COPY_SCHEMA_VERSION) {
		forum_fail(e, FORUM_E_INVALID, "the source has schema version %d; this copy knows version %d", v, COPY_SCHEMA_VERSION);
		return -1;
	}
	if (copy_check_columns(from, e)) return -1;
	if (db_migrate(to, e->msg, sizeof e->msg)) {
		e->code = FORUM_E_DB;
		return -1;
	}
	if (db_schema_version(to) != COPY_SCHEMA_VERSION) {
		forum_fail(e, FORUM_E_INVALID, "the target's schema is not version %d", COPY_SCHEMA_VERSION);
		return -1;
	}
	for (int i = 0; i < NTABLES; i++) {
		if (verify(to, &tables[i], dst)) goto dberr_to;
		if (dst[0] && !tables[i].clear) {
			forum_fail(e, FORUM_E_INVALID, "the target database is not empty (table %s has %lld rows)", tables[i].name,
			         (long long)dst[0]);
			return -1;
		}
	}
	/* one consistent snapshot of the source (a deferred read transaction) */
	if (db_exec_script(from, "BEGIN")) goto dberr_from;
	for (int i = 0; i < NTABLES; i++)
		if (verify(from, &tables[i], src[i])) goto dberr_from_tx;
	if (db_begin(to)) goto dberr_to_notx;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int64_t nrows = 0;
	double t_post = 0;   /* seconds of the post table alone */
	for (int i = 0; i < NTABLES; i++) {
		const struct table *t = &tables[i];
		int64_t done = 0;
		double t_start = seconds_since(&t0);
		if (t->clear && db_exec(to, t->clear)) {
			forum_fail(e, FORUM_E_DB, "clearing %s: %s", t->name, db_errmsg(to));
			goto fail;
		}
		char cols[1024];
		column_list(t, cols, sizeof cols);
		struct copy_keys idx;
		int krc = copy_keys_drop(to, t->name, &idx);
		if (krc) {
			forum_fail(e, FORUM_E_DB, "dropping the indexes and foreign keys of %s: %s", t->name, copy_keys_error(to, krc));
			goto fail;
		}
		db_copy *c = db_copy_begin(to, t->name, cols);
		if (!c) {
			copy_keys_free(&idx);
			forum_fail(e, FORUM_E_DB, "copying %s: %s", t->name, db_errmsg(to));
			goto fail;
		}
		db_stmt *s = db_prep(from, t->select);
		int rc, crc = 0;
		progress(out, tty, t->name, 0, src[i][0], 0);
		while ((rc = db_step(s)) == DB_ROW) {
			for (int k = 0; k < t->ncols; k++) {
				const char *val = db_isnull(s, k) ? NULL : db_text(s, k);   /* text first, then its length */
				db_copy_text(c, val, val ? db_len(s, k) : 0);
			}
			if ((crc = db_copy_row(c))) break;
			if (++done % 4096 == 0) progress(out, tty, t->name, done, src[i][0], 0);
		}
		db_done(s);
		if (rc == DB_ERR) {
			db_copy_end(c);
			copy_keys_free(&idx);
			forum_fail(e, FORUM_E_DB, "reading %s: %s", t->name, db_errmsg(from));
			goto fail;
		}
		if (db_copy_end(c) || crc) {
			copy_keys_free(&idx);
			forum_fail(e, FORUM_E_DB, "copying %s: %s", t->name, db_errmsg(to));
			goto fail;
		}
		if (copy_keys_make(to, &idx)) {
			forum_fail(e, FORUM_E_DB, "making the indexes and foreign keys of %s again: %s", t->name, db_errmsg(to));
			goto fail;
		}
		progress(out, tty, t->name, done, src[i][0], 1);
		nrows += done;
		if (!strcmp(t->name, "post")) t_post = seconds_since(&t0) - t_start;
		if (t->reseq) {
			s = db_prep(to, t->reseq);
			rc = db_step(s);
			db_done(s);
			if (rc != DB_ROW) {
				forum_fail(e, FORUM_E_DB, "resetting the %s id sequence: %s", t->name, db_errmsg(to));
				goto fail;
			}
		}
	}
	/* statistics of the new rows (the reindex and verify queries plan by them; autovacuum cannot see
	   them before the commit) */
	if (db_exec_script(to, "ANALYZE")) {
		forum_fail(e, FORUM_E_DB, "analyze: %s", db_errmsg(to));
		goto fail;
	}
	double t_rows = seconds_since(&t0);
	if (!no_index && search_copy_index(from, to, e)) goto fail;
	double t_index = seconds_since(&t0) - t_rows;
	if (out) fprintf(out, no_index ? "  search index left empty (loulan reindex --db URL fills it)\n" : "  indexed for search\n");
	/* verify before committing: a difference leaves the target empty */
	for (int i = 0; i < NTABLES; i++) {
		if (verify(to, &tables[i], dst)) {
			forum_fail(e, FORUM_E_DB, "verifying %s: %s", tables[i].name, db_errmsg(to));
			goto fail;
		}
		if (memcmp(dst, src[i], sizeof dst)) {
			char names[128];
			snprintf(names, sizeof names, "%s", tables[i].checks);
			forum_fail(e, FORUM_E_INVALID, "table %s differs after the copy (%s): source %lld %lld %lld %lld %lld, "
			         "target %lld %lld %lld %lld %lld", tables[i].name, names,
			         (long long)src[i][0], (long long)src[i][1], (long long)src[i][2], (long long)src[i][3],
			         (long long)src[i][4], (long long)dst[0], (long long)dst[1], (long long)dst[2],
			         (long long)dst[3], (long long)dst[4]);
			goto fail;
		}
		if (out) fprintf(out, "  verified %-10s %lld rows (%s)\n", tables[i].name, (long long)dst[0], tables[i].checks);
	}
	if (db_commit(to)) {
		forum_fail(e, FORUM_E_DB, "commit: %s", db_errmsg(to));
		db_exec_script(from, "COMMIT");
		return -1;
	}
	db_exec_script(from, "COMMIT");
	/* bench/copy.sh reads this line */
	if (out) {
		int64_t posts = table_named("post") ? src[table_named("post") - tables][0] : 0;
		double all = seconds_since(&t0);
		fprintf(out, "copy times: %lld rows in %.2f s, of which %lld posts in %.2f s (%.0f posts/s); search index %.2f s; "
		        "in all %.2f s (%.0f posts/s)\n", (long long)nrows, t_rows, (long long)posts, t_post,
		        t_post > 0 ? (double)posts / t_post : 0.0, t_index, all, all > 0 ? (double)posts / all : 0.0);
	}
	return 0;
fail:
	db_rollback(to);
	db_exec_script(from, "ROLLBACK");
	return -1;
dberr_to_notx:
	forum_fail(e, FORUM_E_DB, "%s", db_errmsg(to));
	db_exec_script(from, "ROLLBACK");
	return -1;
dberr_from_tx:
	forum_fail(e, FORUM_E_DB, "%s", db_errmsg(from));
	db_exec_script(from, "ROLLBACK");
	return -1;
dberr_from:
	forum_fail(e, FORUM_E_DB, "%s", db_errmsg(from));
	return -1;
dberr_to:
	forum_fail(e, FORUM_E_DB, "%s", db_errmsg(to));
	return -1;
}

int forum_reseq(db *d) {
	if (db_kind(d) != DB_PG) return 0;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		if (!tables[i].reseq) continue;
		db_stmt *s = db_prep(d, tables[i].reseq);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_ROW) return -1;
	}
	return 0;
}
