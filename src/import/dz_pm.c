/*
** dz_pm: 短消息 of import-discuz (FACTS.md §2.10). UCenter keeps a
** conversation in pm_lists (pmtype 1 one-to-one, 2 group chat), its members
** in pm_members (a member who deleted the whole conversation has no row) and
** its messages in pm_messages_<last digit of plid>: all ten tables are read
** (the Discourse importer skips _0). A conversation becomes a pm_conv (a
** one-to-one one with its pairkey, so the two continue it), its members
** pm_member rows (isnew: one unread), its messages pm_msg rows rendered as
** loulan renders a sent message (pm_render). delstatus: a one-to-one message
** deleted by one side (1 by its author, 2 by the other, the pair from
** pm_lists.min_max) is imported hidden for that side (pm_msg.hiddenfor): it
** does not come back to the member who deleted it, and the other still has
** it. One whose other side is unknown is left out (counted in the report).
**
** One keyset over pm_lists by plid; for a batch of conversations, one query
** per message table for the batch's plid range. Messages are rendered before
** the batch's transaction.
*/
#include "import/dz_extra.h"
#include "forum/pm.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DZ_PM_TABLES 10

struct msg {
	int64_t pmid, plid, authorid, created, del;
	const char *author, *source, *excerpt;
	char *html;
};

static int cmp_msg(const void *x, const void *y) {
	const struct msg *a = x, *b = y;
	if (a->plid != b->plid) return a->plid < b->plid ? -1 : 1;
	if (a->created != b->created) return a->created < b->created ? -1 : 1;
	return a->pmid < b->pmid ? -1 : a->pmid > b->pmid;
}

struct conv { int64_t plid, cid, creator, created; int pmtype; int nmem; };

static int64_t count_src(struct imp *im, const char *table, const char *where_) {
	buf sql;
	buf_init(&sql, 0);
	int64_t n = imp_count(im, dz_sql(&sql, "SELECT COUNT(*) FROM ", table, where_ ? " WHERE " : "", where_ ? where_ : "", NULL));
	buf_release(&sql);
	return n;
}

int dz_pms(struct imp *im) {
	const char *tl = imp_uctable(im, "pm_lists"), *tmb = imp_uctable(im, "pm_members");
	if (!tl || !tmb) return 0;
	const char *tmsg[DZ_PM_TABLES];
	struct imp_query qm[DZ_PM_TABLES], qmem;
	int has[DZ_PM_TABLES] = {0};
	buf sql;
	buf_init(&sql, 0);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, "pms", dz_sql(&sql, "SELECT plid, authorid, pmtype, subject, dateline, min_max FROM ", tl,
	                                               " WHERE plid > ? ORDER BY plid LIMIT ?", NULL), NULL);
	int open = 0;
	if (!rc) k.total = imp_count_of(im, tl, "COUNT(*)");
	if (!rc && !k.done) {
		rc = imp_prepare(im, &qmem, dz_sql(&sql, "SELECT plid, uid, isnew FROM ", tmb,
		                                   " WHERE plid > ? AND plid <= ? ORDER BY plid, uid", NULL));
		open = !rc;
		for (int i = 0; i < DZ_PM_TABLES && !rc; i++) {
			char name[32];
			snprintf(name, sizeof name, "pm_messages_%d", i);
			tmsg[i] = imp_uctable(im, name);
			if (!tmsg[i]) {
				imp_warn(im, "private messages: UCenter has no %s table", name);
				continue;
			}
			rc = imp_prepare(im, &qm[i], dz_sql(&sql, "SELECT pmid, plid, authorid, message, delstatus, dateline FROM ", tmsg[i],
			                                    " WHERE plid > ? AND plid <= ? ORDER BY plid, pmid", NULL));
			has[i] = !rc;
		}
	}
	buf_release(&sql);
	struct imp_rows mem, mr;
	imp_rows_init(&mem);
	imp_rows_init(&mr);
	struct msg *msgs = NULL;
	size_t nmsgs = 0, capmsgs = 0;
	int64_t hidden = 0, lost = 0;
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		rc = 0;
		int64_t p[2] = {k.last, imp_int(&k.rows, n - 1, 0)};
		mem.n = 0;
		if (imp_exec(&qmem, p, 2, &mem) < 0) { rc = -1; break; }
		/* the batch's messages from every table, rendered now (outside the transaction) */
		nmsgs = 0;
		arena *a = &k.rows.a;
		for (int i = 0; i < DZ_PM_TABLES && !rc; i++) {
			if (!has[i]) continue;
			mr.n = 0;
			int got = imp_exec(&qm[i], p, 2, &mr);
			if (got < 0) { rc = -1; break; }
			for (int r = 0; r < got; r++) {
				int64_t plid = imp_int(&mr, r, 1), del = imp_int(&mr, r, 4);
				if (del != 0 && del != 1 && del != 2) {   /* not a state of UCenter's */
					lost++;
					continue;
				}
				if (nmsgs == capmsgs) {
					capmsgs = capmsgs ? capmsgs * 2 : 1024;
					struct msg *m = realloc(msgs, capmsgs * sizeof *m);
					if (!m) abort();
					msgs = m;
				}
				struct msg *m = &msgs[nmsgs++];
				memset(m, 0, sizeof *m);
				m->pmid = imp_int(&mr, r, 0);
				m->plid = plid;
				m->authorid = imp_int(&mr, r, 2);
				m->created = imp_int(&mr, r, 5);
				m->del = del;
				m->source = arena_strdup(a, imp_text(im, &mr, r, 3, DZ_RAW));
				if (pm_render(imp_db(im), a, m->authorid, m->source, &m->html, &m->excerpt))
					rc = imp_fail(im, "private message pmid %lld: cannot render", (long long)m->pmid);
			}
		}
		if (rc) break;
		qsort(msgs, nmsgs, sizeof *msgs, cmp_msg);
		if ((rc = imp_begin(im))) break;
		size_t mi = 0;
		int mr0 = 0;
		for (int r = 0; r < n && !rc; r++) {
			struct conv c = {imp_int(&k.rows, r, 0), 0, imp_int(&k.rows, r, 1), imp_int(&k.rows, r, 4),
			                 (int)imp_int(&k.rows, r, 2), 0};
			/* its members still holding it (rows of mem are ordered by plid) */
			while (mr0 < mem.n && imp_int(&mem, mr0, 0) < c.plid) mr0++;
			int m0 = mr0, m1 = mr0;
			while (m1 < mem.n && imp_int(&mem, m1, 0) == c.plid) m1++;
			buf mb;
			buf_init(&mb, 0);
			int64_t uids[2] = {0, 0};
			for (int j = m0; j < m1; j++) {
				int64_t uid = imp_int(&mem, j, 1);
				if (!imp_has(im, IMP_UID, uid)) continue;
				if (c.nmem < 2) uids[c.nmem] = uid;
				buf_appendf(&mb, "%s%lld:%s", c.nmem ? "," : "", (long long)uid, dz_member_name(im, a, uid));
				c.nmem++;
			}
			while (mi < nmsgs && msgs[mi].plid < c.plid) mi++;
			if (!c.nmem) {   /* everyone deleted it, or its members are gone */
				while (mi < nmsgs && msgs[mi].plid == c.plid) free(msgs[mi++].html);
				buf_release(&mb);
				continue;
			}
			char pair[48] = "";
			if (c.pmtype == 1 && c.nmem == 2)
				snprintf(pair, sizeof pair, "%lld,%lld", (long long)(uids[0] < uids[1] ? uids[0] : uids[1]),
				         (long long)(uids[0] < uids[1] ? uids[1] : uids[0]));
			const char *subject = c.pmtype == 2 ? imp_text(im, &k.rows, r, 3, DZ_ESCAPED) : "";
			/* the two of a one-to-one conversation, "min_max" ("4_9"): delstatus 2 hides a message from the
			   one of them who did not write it, even when that one no longer holds the conversation */
			long long lo = 0, hi = 0;
			if (c.pmtype == 1 && sscanf(imp_text(im, &k.rows, r, 5, DZ_RAW), "%lld_%lld", &lo, &hi) != 2) lo = hi = 0;
			db_stmt *s = db_prep(imp_db(im), "INSERT INTO pm_conv(subject, creator, nmembers, members, created, lastmsg, pairkey) "
			                                 "VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (pairkey) WHERE pairkey <> '' "
			                                 "DO NOTHING RETURNING cid");
			db_bind_text(s, 1, subject, -1);
			db_bind_int(s, 2, c.creator);
			db_bind_int(s, 3, c.nmem);
			db_bind_text(s, 4, buf_cstr(&mb), -1);
			db_bind_int(s, 5, c.created);
			db_bind_text(s, 6, pair, -1);
			int st = db_step(s);
			if (st == DB_ROW) c.cid = db_int(s, 0);
			db_done(s);
			buf_release(&mb);
			if (st == DB_DONE) {   /* a second conversation of the same two: into the first */
				s = db_prep(imp_db(im), "SELECT cid FROM pm_conv WHERE pairkey = $1");
				db_bind_text(s, 1, pair, -1);
				st = db_step(s);
				if (st == DB_ROW) c.cid = db_int(s, 0);
				db_done(s);
			}
			if (st != DB_ROW) { rc = imp_fail(im, "private messages plid %lld: %s", (long long)c.plid, db_errmsg(imp_db(im))); break; }
			for (int j = m0; j < m1 && !rc; j++) {
				int64_t uid = imp_int(&mem, j, 1);
				if (!imp_has(im, IMP_UID, uid)) continue;
				s = db_prep(imp_db(im), "INSERT INTO pm_member(cid, uid, lastmsg, unread, joined) VALUES ($1, $2, 0, $3, $4) "
				                        "ON CONFLICT DO NOTHING");
				db_bind_int(s, 1, c.cid);
				db_bind_int(s, 2, uid);
				db_bind_int(s, 3, imp_int(&mem, j, 2) ? 1 : 0);
				db_bind_int(s, 4, c.created);
				if (db_step(s) != DB_DONE) rc = imp_fail(im, "private message members: %s", db_errmsg(imp_db(im)));
				db_done(s);
			}
			int64_t lastmid = 0, lastat = c.created, count = 0;
			const char *lastauthor = "", *lastexcerpt = "";
			for (; mi < nmsgs && msgs[mi].plid == c.plid; mi++) {
				struct msg *m = &msgs[mi];
				int64_t hiddenfor = m->del == 1 ? m->authorid
				                  : m->del != 2 ? 0
				                  : m->authorid == lo ? hi : m->authorid == hi ? lo : -1;
				if (hiddenfor < 0 || (m->del && !hiddenfor)) {   /* deleted by a side we cannot name: left out */
					lost++;
				} else if (!rc) {
					if (m->del) hidden++;
					const char *author = dz_member_name(im, a, m->authorid);
					s = db_prep(imp_db(im), "INSERT INTO pm_msg(cid, uid, author, source, html, created, hiddenfor) "
					                        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING mid");
					db_bind_int(s, 1, c.cid);
					db_bind_int(s, 2, m->authorid);
					db_bind_text(s, 3, author, -1);
					db_bind_text(s, 4, m->source, -1);
					db_bind_text(s, 5, m->html, -1);
					db_bind_int(s, 6, m->created);
					db_bind_int(s, 7, hiddenfor);
					if (db_step(s) == DB_ROW) {
						lastmid = db_int(s, 0);
						lastat = m->created;
						lastauthor = author;
						lastexcerpt = m->excerpt;
						count++;
					} else {
						rc = imp_fail(im, "private message pmid %lld: %s", (long long)m->pmid, db_errmsg(imp_db(im)));
					}
					db_done(s);
				}
				free(m->html);
				m->html = NULL;
			}
			if (rc) break;
			s = db_prep(imp_db(im), "UPDATE pm_conv SET lastmsg = $2, lastmid = $3, lastauthor = $4, lastexcerpt = $5, "
			                        "nmsgs = nmsgs + $6 WHERE cid = $1");
			db_bind_int(s, 1, c.cid);
			db_bind_int(s, 2, lastat);
			db_bind_int(s, 3, lastmid);
			db_bind_text(s, 4, lastauthor, -1);
			db_bind_text(s, 5, lastexcerpt, -1);
			db_bind_int(s, 6, count);
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "private message conversations: %s", db_errmsg(imp_db(im)));
			db_done(s);
			if (rc) break;
			s = db_prep(imp_db(im), "UPDATE pm_member SET lastmsg = $2, unread = CASE WHEN unread > 0 THEN 1 ELSE 0 END "
			                        "WHERE cid = $1");
			db_bind_int(s, 1, c.cid);
			db_bind_int(s, 2, lastmid);
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "private message members: %s", db_errmsg(imp_db(im)));
			db_done(s);
		}
		for (size_t i = 0; i < nmsgs; i++) free(msgs[i].html);
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	for (size_t i = 0; rc && i < nmsgs; i++) free(msgs[i].html);
	free(msgs);
	imp_rows_free(&mem);
	imp_rows_free(&mr);
	for (int i = 0; i < DZ_PM_TABLES; i++)
		if (has[i]) imp_query_close(&qm[i]);
	if (open) imp_query_close(&qmem);
	imp_keyset_close(&k);
	if (rc < 0) return -1;
	int64_t src = 0;
	for (int i = 0; i < DZ_PM_TABLES; i++) {
		char name[32];
		snprintf(name, sizeof name, "pm_messages_%d", i);
		const char *t = imp_uctable(im, name);
		int64_t c = t ? count_src(im, t, "delstatus IN (0, 1, 2)") : 0;
		if (c > 0) src += c;
	}
	db_stmt *s = db_prep(imp_db(im), "SELECT COUNT(*) FROM pm_msg");
	int64_t dst = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	imp_report_count(im, "private messages pm_messages_0..9 -> pm_msg", src, dst);
	s = db_prep(imp_db(im), "SELECT COUNT(*) FROM pm_conv");
	dst = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	imp_report_count(im, "private message conversations pm_lists -> pm_conv", count_src(im, tl, NULL), dst);
	if (hidden) imp_warn(im, "private messages: %lld deleted by one side (delstatus 1/2), imported hidden for that side", (long long)hidden);
	if (lost) imp_warn(im, "private messages: %lld deleted by a side that is not one of the two of pm_lists.min_max, or with "
	                   "an unknown delstatus, not imported", (long long)lost);
	return 0;
}
