/* ratelimit: fixed-window counters shared through the database; see ratelimit.h. */
#include "forum/ratelimit.h"

#include <string.h>

int ratelimit_blocked(db *d, const char *k1, int64_t max1, const char *k2, int64_t max2, int64_t window, time_t now,
                      int64_t *retry_after) {
	db_stmt *s = db_prep(d, "SELECT window_start, count, k FROM ratelimit WHERE k IN ($1, $2) AND window_start > $3");
	db_bind_text(s, 1, k1, -1);
	db_bind_text(s, 2, k2 ? k2 : k1, -1);
	db_bind_int(s, 3, (int64_t)now - window);
	int rc, blocked = 0;
	*retry_after = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t max = !strcmp(db_text(s, 2), k1) ? max1 : max2;
		if (db_int(s, 1) >= max) {
			int64_t wait = db_int(s, 0) + window - (int64_t)now;
			if (wait < 1) wait = 1;
			if (wait > *retry_after) *retry_after = wait;
			blocked = 1;
		}
	}
	db_done(s);
	return rc == DB_ERR ? -1 : blocked;
}

int ratelimit_hit(db *d, const char *k1, const char *k2, int64_t window, time_t now, int64_t count[2],
                  int64_t retry[2]) {
	/* a window that has ended starts over at 1; both keys in one statement */
	int two = k2 && *k2;
	db_stmt *st = two
		? db_prep(d, "INSERT INTO ratelimit(k, window_start, count, expires) VALUES "
		             "(CAST($1 AS TEXT), CAST($3 AS BIGINT), 1, CAST($4 AS BIGINT)), "
		             "(CAST($2 AS TEXT), CAST($3 AS BIGINT), 1, CAST($4 AS BIGINT)) "
		             "ON CONFLICT(k) DO UPDATE SET "
		             "count = CASE WHEN ratelimit.window_start <= $5 THEN 1 ELSE ratelimit.count + 1 END, "
		             "window_start = CASE WHEN ratelimit.window_start <= $5 THEN excluded.window_start "
		             "ELSE ratelimit.window_start END, "
		             "expires = CASE WHEN ratelimit.window_start <= $5 THEN excluded.expires ELSE ratelimit.expires END "
		             "RETURNING count, expires, k")
		: db_prep(d, "INSERT INTO ratelimit(k, window_start, count, expires) VALUES ($1, $2, 1, $3) "
		             "ON CONFLICT(k) DO UPDATE SET "
		             "count = CASE WHEN ratelimit.window_start <= $4 THEN 1 ELSE ratelimit.count + 1 END, "
		             "window_start = CASE WHEN ratelimit.window_start <= $4 THEN excluded.window_start "
		             "ELSE ratelimit.window_start END, "
		             "expires = CASE WHEN ratelimit.window_start <= $4 THEN excluded.expires ELSE ratelimit.expires END "
		             "RETURNING count, expires, k");
	int i = 1;
	db_bind_text(st, i++, k1, -1);
	if (two) db_bind_text(st, i++, k2, -1);
	db_bind_int(st, i++, now);
	db_bind_int(st, i++, (int64_t)now + window);
	db_bind_int(st, i++, (int64_t)now - window);
	int rc;
	count[0] = count[1] = retry[0] = retry[1] = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int j = strcmp(db_text(st, 2), k1) ? 1 : 0;
		count[j] = db_int(st, 0);
		retry[j] = db_int(st, 1) - (int64_t)now;
		if (retry[j] < 1) retry[j] = 1;
	}
	db_done(st);
	return rc == DB_ERR ? -1 : 0;
}

int ratelimit_clear(db *d, const char *key) {
	db_stmt *s = db_prep(d, "DELETE FROM ratelimit WHERE k = $1");
	db_bind_text(s, 1, key, -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int ratelimit_expire(db *d, time_t now) {
	db_stmt *s = db_prep(d, "DELETE FROM ratelimit WHERE expires <= $1");
	db_bind_int(s, 1, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}
