/*
** discover: the index's counters, who is online, rankings, the guide, the
** sitemap and the feeds (see discover.h). One statement per list.
*/
#include "forum/discover.h"
#include "util/timefmt.h"
#include "forum/anon.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/row.h"
#include "util/buf.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- counters -------------------------------------------------------------- */

static int step_done(db_stmt *s) {   /* a statement that returns no row: 0, or -1 */
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int stats_get(db *d, arena *a, time_t now, struct site_stats *o) {
	db_stmt *s = db_prep(d, "SELECT todaydate, todayposts, yesterdayposts, maxday, maxdayposts, members, newest_uid, "
	                        "newest_name, online_members, online_guests, online_names, online_record, online_record_at "
	                        "FROM site_stat WHERE id = 1");
	memset(o, 0, sizeof *o);
	o->newest_name = o->online_names = "";
	int rc = db_step(s);
	if (rc == DB_ROW) {
		int64_t day = db_int(s, 0), today = forum_today(now), yesterday = forum_today(now - 86400);
		/* the row is only written by posts: a day without posts leaves the old date in it */
		o->today = day == today ? db_int(s, 1) : 0;
		o->yesterday = day == today ? db_int(s, 2) : day == yesterday ? db_int(s, 1) : 0;
		o->maxday = db_int(s, 3);
		o->maxdayposts = db_int(s, 4);
		o->members = db_int(s, 5);
		o->newest_uid = db_int(s, 6);
		o->newest_name = arena_strdup(a, db_text(s, 7));
		o->online_members = db_int(s, 8);
		o->online_guests = db_int(s, 9);
		o->online_names = arena_strdup(a, db_text(s, 10));
		o->online_record = db_int(s, 11);
		o->online_record_at = db_int(s, 12);
	}
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

int stats_count_posts(db *d, time_t when, int64_t n) {
	/* every SET expression sees the old row: the inner CASE is the day's count after these posts */
	db_stmt *s = db_prep(d, "UPDATE site_stat SET "
	                        "yesterdayposts = CASE WHEN todaydate = $1 THEN yesterdayposts WHEN todaydate = $2 THEN todayposts ELSE 0 END, "
	                        "maxdayposts = CASE WHEN (CASE WHEN todaydate = $1 THEN todayposts + $3 ELSE $3 END) > maxdayposts "
	                        "THEN (CASE WHEN todaydate = $1 THEN todayposts + $3 ELSE $3 END) ELSE maxdayposts END, "
	                        "maxday = CASE WHEN (CASE WHEN todaydate = $1 THEN todayposts + $3 ELSE $3 END) > maxdayposts "
	                        "THEN $1 ELSE maxday END, "
	                        "todayposts = CASE WHEN todaydate = $1 THEN todayposts + $3 ELSE $3 END, todaydate = $1 WHERE id = 1");
	db_bind_int(s, 1, forum_today(when));
	db_bind_int(s, 2, forum_today(when - 86400));
	db_bind_int(s, 3, n);
	return step_done(s);
}

int stats_count_member(db *d, int64_t uid, const char *name) {
	db_stmt *s = db_prep(d, "UPDATE site_stat SET members = members + 1, newest_uid = $1, newest_name = $2 WHERE id = 1");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, name, -1);
	return step_done(s);
}

/* Bulk loaders (gen, the demo) write posts out of time order: count the days again from the posts. */
int stats_recount(db *d, time_t now) {
	int64_t today = forum_today(now), yesterday = forum_today(now - 86400);
	int64_t tn = 0, yn = 0, best = 0, bestday = 0, day = 0, run = 0;
	db_stmt *s = db_prep(d, "SELECT created FROM post WHERE deleted = 0 ORDER BY created");
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t dd = forum_today((time_t)db_int(s, 0));
		if (dd != day) day = dd, run = 0;
		if (++run > best) best = run, bestday = dd;
		if (dd == today) tn++;
		else if (dd == yesterday) yn++;
	}
	db_done(s);
	if (rc != DB_DONE) return -1;
	s = db_prep(d, "UPDATE site_stat SET members = (SELECT COUNT(*) FROM member), "
	               "newest_uid = COALESCE((SELECT MAX(uid) FROM member), 0), "
	               "newest_name = COALESCE((SELECT username FROM member ORDER BY uid DESC LIMIT 1), ''), "
	               "todaydate = $1, todayposts = $2, yesterdayposts = $3, maxday = $4, maxdayposts = $5 WHERE id = 1");
	db_bind_int(s, 1, today);
	db_bind_int(s, 2, tn);
	db_bind_int(s, 3, yn);
	db_bind_int(s, 4, bestday);
	db_bind_int(s, 5, best);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return -1;
	/* members' 今日发帖 likewise, and every board's 今日: a write counts on its own day, so rows written
	   out of day order (the demo's replies over several days) leave it wrong until recounted. One
	   grouped scan of the posts each, not a count per member or board (20 scans of a 1M-post table on
	   PostgreSQL took 5 s); a member with only deleted posts today gets 0, as a board without posts. */
	time_t midnight = timefmt_day_start(now);
	static const char *const sql[] = {
		("UPDATE member SET todaydate = $1, todayposts = x.n FROM (SELECT authorid, "
		 "SUM(CASE WHEN deleted = 0 THEN 1 ELSE 0 END) AS n FROM post WHERE created >= $2 GROUP BY authorid) x "
		 "WHERE member.uid = x.authorid"),
		"UPDATE board SET todaydate = $1, todayposts = 0",
		("UPDATE board SET todayposts = x.n FROM (SELECT fid, COUNT(*) AS n FROM post WHERE deleted = 0 "
		 "AND created >= $1 GROUP BY fid) x WHERE board.fid = x.fid"),
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0] && rc == DB_DONE; i++) {
		s = db_prep(d, sql[i]);
		db_bind_int(s, 1, i == 2 ? (int64_t)midnight : today);
		if (i == 0) db_bind_int(s, 2, (int64_t)midnight);
		rc = db_step(s);
		db_done(s);
	}
	return rc == DB_DONE ? 0 : -1;
}

/* ---- who is online ----------------------------------------------------------
** A fixed table of slots claimed by compare-and-swap on the key (a hash of
** the member or the address, never 0); a touch stores the time. The flusher
** writes slots seen since its last pass and frees those older than the window
** (a touch racing with the free may be lost: the next request marks again). */

struct oslot { uint64_t key; int64_t uid, seen, flushed; };
static struct oslot g_online[ONLINE_SLOTS];
static int64_t g_online_refreshed;   /* the flusher's last recount (flusher thread only) */

static uint64_t okey(int64_t uid, const char *ip) {
	uint64_t h = 1469598103934665603ull;
	if (uid > 0) {
		h ^= (uint64_t)uid;
		h *= 1099511628211ull;
		h ^= 'u';
	} else {
		for (const char *c = ip ? ip : ""; *c; c++) {
			h ^= (unsigned char)*c;
			h *= 1099511628211ull;
		}
		h ^= 'g';
	}
	h *= 1099511628211ull;
	return h ? h : 1;
}

void online_touch(int64_t uid, const char *ip, time_t now) {
	uint64_t k = okey(uid, ip);
	for (unsigned i = 0, at = (unsigned)(k % ONLINE_SLOTS); i < 64; i++, at = (at + 1) % ONLINE_SLOTS) {
		struct oslot *s = &g_online[at];
		uint64_t cur = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE), zero = 0;
		if (cur == k || (cur == 0 && __atomic_compare_exchange_n(&s->key, &zero, k, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) ||
		    zero == k) {
			__atomic_store_n(&s->uid, uid > 0 ? uid : 0, __ATOMIC_RELAXED);
			__atomic_store_n(&s->seen, (int64_t)now, __ATOMIC_RELEASE);
			return;
		}
	}
	/* the neighbourhood is full: this visitor is not counted until slots expire */
}

int online_flush(db *d, time_t now) {
	int dirty = 0, work = now - g_online_refreshed >= 30;
	for (unsigned i = 0; i < ONLINE_SLOTS && !work; i++)   /* idle: no transaction (SQLite's write lock) */
		work = __atomic_load_n(&g_online[i].key, __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&g_online[i].seen, __ATOMIC_ACQUIRE) > g_online[i].flushed;
	if (!work) return 0;
	if (db_begin(d)) return -1;
	for (unsigned i = 0; i < ONLINE_SLOTS; i++) {
		struct oslot *o = &g_online[i];
		uint64_t k = __atomic_load_n(&o->key, __ATOMIC_ACQUIRE);
		if (!k) continue;
		int64_t seen = __atomic_load_n(&o->seen, __ATOMIC_ACQUIRE);
		if (seen > o->flushed) {
			char key[24];
			snprintf(key, sizeof key, "%016llx", (unsigned long long)k);
			db_stmt *s = db_prep(d, "INSERT INTO online(k, uid, lastseen) VALUES ($1, $2, $3) "
			                        "ON CONFLICT(k) DO UPDATE SET lastseen = excluded.lastseen, uid = excluded.uid");
			db_bind_text(s, 1, key, -1);
			db_bind_int(s, 2, __atomic_load_n(&o->uid, __ATOMIC_RELAXED));
			db_bind_int(s, 3, seen);
			if (step_done(s)) goto fail;
			o->flushed = seen;
			dirty = 1;
		} else if (seen < (int64_t)now - ONLINE_WINDOW) {
			o->flushed = 0;
			__atomic_store_n(&o->seen, 0, __ATOMIC_RELEASE);
			__atomic_compare_exchange_n(&o->key, &k, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		}
	}
	/* other nodes' marks expire too: recount at least every 30 s */
	if (!dirty && now - g_online_refreshed < 30) return db_rollback(d) ? -1 : 0;
	db_stmt *s = db_prep(d, "DELETE FROM online WHERE lastseen < $1");
	db_bind_int(s, 1, (int64_t)now - ONLINE_WINDOW);
	if (step_done(s)) goto fail;
	int64_t members = 0, guests = 0;
	s = db_prep(d, "SELECT COALESCE(SUM(CASE WHEN uid > 0 THEN 1 ELSE 0 END), 0), "
	               "COALESCE(SUM(CASE WHEN uid > 0 THEN 0 ELSE 1 END), 0) FROM online");
	int rc = db_step(s);
	if (rc == DB_ROW) {
		members = db_int(s, 0);
		guests = db_int(s, 1);
	}
	db_done(s);
	if (rc != DB_ROW) goto fail;
	buf names;
	buf_init(&names, 0);
	s = db_prep(d, "SELECT m.uid, m.username FROM online o JOIN member m ON m.uid = o.uid WHERE o.uid > 0 "
	               "ORDER BY o.lastseen DESC, m.uid LIMIT $1");
	db_bind_int(s, 1, ONLINE_NAMES_MAX);
	while ((rc = db_step(s)) == DB_ROW) buf_appendf(&names, "%lld\t%s\n", (long long)db_int(s, 0), db_text(s, 1));
	db_done(s);
	if (rc != DB_DONE) {
		buf_release(&names);
		goto fail;
	}
	s = db_prep(d, "UPDATE site_stat SET online_members = $1, online_guests = $2, online_names = $3, "
	               "online_record_at = CASE WHEN $4 > online_record THEN $5 ELSE online_record_at END, "
	               "online_record = CASE WHEN $4 > online_record THEN $4 ELSE online_record END WHERE id = 1");
	db_bind_int(s, 1, members);
	db_bind_int(s, 2, guests);
	db_bind_text(s, 3, buf_cstr(&names), -1);
	db_bind_int(s, 4, members + guests);
	db_bind_int(s, 5, (int64_t)now);
	rc = step_done(s);
	buf_release(&names);
	if (rc) goto fail;
	if (db_commit(d)) return -1;
	g_online_refreshed = now;
	return 0;
fail:
	db_rollback(d);
	return -1;
}

/* ---- rankings and the guide ------------------------------------------------------
** Each order is one statement on its own index, read from the cursor down;
** the first page starts above every key. */

#define LT_COLS "t.tid, t.fid, t.typeid, t.subject, t.authorid, t.author, t.created, t.lastpost, t.lastposter, " \
	"t.replies, t.views, t.sticky, t.digest, t.closed, t.highlight, t.moved, t.modnote, t.anonymous"   /* forum_thread_row's order */
/* (t.moved = 0: not the links that moved threads leave behind, moderate.h) */
#define LT_FROM " FROM thread t JOIN board b ON b.fid = t.fid AND b.hidden = 0 WHERE t.hidden = 0 AND t.moved = 0 " \
	"AND t.created >= $3 "

int discover_threads(db *d, arena *a, enum thread_order o, int64_t since, const struct list_cursor *cur, int limit,
                     struct list_thread **out, int *n) {
	db_stmt *s;
	switch (o) {
	case TO_REPLIES:
		s = db_prep(d, "SELECT t.replies, " LT_COLS LT_FROM "AND (t.replies, t.tid) < ($1, $2) "
		               "ORDER BY t.replies DESC, t.tid DESC LIMIT $4");
		break;
	case TO_VIEWS:
		s = db_prep(d, "SELECT t.views, " LT_COLS LT_FROM "AND (t.views, t.tid) < ($1, $2) "
		               "ORDER BY t.views DESC, t.tid DESC LIMIT $4");
		break;
	case TO_LIKES:
		s = db_prep(d, "SELECT p.likes, " LT_COLS " FROM post p JOIN thread t ON t.tid = p.tid "
		               "JOIN board b ON b.fid = t.fid AND b.hidden = 0 WHERE p.position = 1 AND p.likes > 0 "
		               "AND t.hidden = 0 AND t.moved = 0 AND t.created >= $3 AND (p.likes, p.tid) < ($1, $2) "
		               "ORDER BY p.likes DESC, p.tid DESC LIMIT $4");
		break;
	case TO_NEWEST:
		s = db_prep(d, "SELECT t.tid, " LT_COLS LT_FROM "AND t.tid < $2 AND CAST($1 AS BIGINT) >= 0 "
		               "ORDER BY t.tid DESC LIMIT $4");
		break;
	case TO_LASTPOST:
		s = db_prep(d, "SELECT t.lastpost, " LT_COLS LT_FROM "AND (t.lastpost, t.tid) < ($1, $2) "
		               "ORDER BY t.lastpost DESC, t.tid DESC LIMIT $4");
		break;
	default:
		s = db_prep(d, "SELECT t.tid, " LT_COLS LT_FROM "AND t.digest > 0 AND t.tid < $2 AND CAST($1 AS BIGINT) >= 0 "
		               "ORDER BY t.tid DESC LIMIT $4");
		break;
	}
	db_bind_int(s, 1, cur && cur->set ? cur->key : INT64_MAX);
	db_bind_int(s, 2, cur && cur->set ? cur->id : INT64_MAX);
	db_bind_int(s, 3, since);
	db_bind_int(s, 4, limit);
	struct list_thread *rows = arena_alloc(a, sizeof *rows * (size_t)(limit > 0 ? limit : 1));
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct list_thread *r = &rows[(*n)++];
		memset(r, 0, sizeof *r);
		r->key = db_int(s, 0);
		struct row row = row_of(s, a);
		row.col = 1;   /* after the key */
		forum_thread_row(&row, &r->t);
		if (o == TO_LIKES) r->likes = r->key;
	}
	db_done(s);
	*out = rows;
	return rc == DB_ERR ? -1 : 0;
}

int discover_members(db *d, arena *a, enum member_order o, time_t now, const struct list_cursor *cur, int limit,
                     struct list_member **out, int *n) {
	db_stmt *s;
	if (o == MO_CREDITS)
		s = db_prep(d, "SELECT credits, uid, username, groupid FROM member WHERE (credits, uid) < ($1, $2) "
		               "AND CAST($3 AS BIGINT) >= 0 ORDER BY credits DESC, uid DESC LIMIT $4");
	else if (o == MO_POSTS)
		s = db_prep(d, "SELECT posts, uid, username, groupid FROM member WHERE (posts, uid) < ($1, $2) "
		               "AND CAST($3 AS BIGINT) >= 0 ORDER BY posts DESC, uid DESC LIMIT $4");
	else
		s = db_prep(d, "SELECT todayposts, uid, username, groupid FROM member WHERE todaydate = $3 AND todayposts > 0 "
		               "AND (todayposts, uid) < ($1, $2) ORDER BY todayposts DESC, uid DESC LIMIT $4");
	db_bind_int(s, 1, cur && cur->set ? cur->key : INT64_MAX);
	db_bind_int(s, 2, cur && cur->set ? cur->id : INT64_MAX);
	db_bind_int(s, 3, forum_today(now));
	db_bind_int(s, 4, limit);
	struct list_member *rows = arena_alloc(a, sizeof *rows * (size_t)(limit > 0 ? limit : 1));
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct list_member *m = &rows[(*n)++];
		m->key = db_int(s, 0);
		m->uid = db_int(s, 1);
		m->name = arena_strdup(a, db_text(s, 2));
		m->groupid = db_int(s, 3);
	}
	db_done(s);
	*out = rows;
	return rc == DB_ERR ? -1 : 0;
}

/* ---- sitemap and feeds --------------------------------------------------------- */

int discover_sitemap_parts(db *d, int (*part)(void *ctx, int64_t n, int64_t lastmod), void *ctx) {
	db_stmt *s = db_prep(d, "SELECT t.tid / $1, MAX(t.lastpost) FROM thread t JOIN board b ON b.fid = t.fid AND "
	                        "b.hidden = 0 WHERE t.hidden = 0 AND t.moved = 0 GROUP BY 1 ORDER BY 1 LIMIT $2");
	db_bind_int(s, 1, site_get()->sitemap_part_urls);
	db_bind_int(s, 2, SITEMAP_MAX_PARTS);
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		if (part(ctx, db_int(s, 0), db_int(s, 1))) break;
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

int discover_sitemap_threads(db *d, int64_t part, int (*row)(void *ctx, int64_t tid, int64_t fid, int64_t lastpost),
                             void *ctx) {
	db_stmt *s = db_prep(d, "SELECT t.tid, t.fid, t.lastpost FROM thread t JOIN board b ON b.fid = t.fid AND "
	                        "b.hidden = 0 WHERE t.hidden = 0 AND t.moved = 0 AND t.tid >= $1 AND t.tid < $2 ORDER BY t.tid");
	int64_t per = site_get()->sitemap_part_urls;
	db_bind_int(s, 1, part * per);
	db_bind_int(s, 2, (part + 1) * per);
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		if (row(ctx, db_int(s, 0), db_int(s, 1), db_int(s, 2))) break;
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

int discover_feed(db *d, arena *a, int64_t fid, int limit, struct feed_item **out, int *n) {
	/* the feeds are the same for everyone: an anonymous thread's author is 匿名 (anon.h) */
	db_stmt *s = db_prep(d, "SELECT t.tid, t.fid, t.created, t.subject, "
	                        "CASE WHEN t.anonymous <> 0 THEN '" ANON_NAME "' ELSE t.author END, "
	                        "CASE WHEN p.banned = 0 THEN p.html ELSE '' END, "
	                        "b.name FROM thread t "
	                        "JOIN board b ON b.fid = t.fid AND b.hidden = 0 JOIN post p ON p.tid = t.tid AND p.position = 1 "
	                        "WHERE t.hidden = 0 AND (CAST($1 AS BIGINT) = 0 OR t.fid = $1) ORDER BY t.tid DESC LIMIT $2");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, limit);
	struct feed_item *rows = arena_alloc(a, sizeof *rows * (size_t)(limit > 0 ? limit : 1));
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct feed_item *f = &rows[(*n)++];
		f->tid = db_int(s, 0);
		f->fid = db_int(s, 1);
		f->created = db_int(s, 2);
		f->subject = arena_strdup(a, db_text(s, 3));
		f->author = arena_strdup(a, db_text(s, 4));
		f->html = arena_strdup(a, db_text(s, 5));
		f->board = arena_strdup(a, db_text(s, 6));
	}
	db_done(s);
	*out = rows;
	return rc == DB_ERR ? -1 : 0;
}
