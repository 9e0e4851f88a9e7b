/*
** ratelimit: fixed-window counters in the database (table ratelimit), so
** every node of a multi-node site sees the same counts. A key names what is
** limited ("login:ip:1.2.3.4", "login:acct:alice", "reg:ip:1.2.3.4"); a row
** counts events since window_start and expires at window_start + window.
** The background thread deletes expired rows (ratelimit_expire).
*/
#ifndef LOULAN_RATELIMIT_H
#define LOULAN_RATELIMIT_H
#include "db/db.h"
#include <stdint.h>
#include <time.h>

#define RATELIMIT_KEY_MAX 300

/* Reads up to two keys (k2 may be NULL) in one query; key i is blocked when
   its count in the current window has reached max_i. *retry_after is set to
   the seconds until the longest blocking window ends. 1 blocked, 0 not, -1 error. */
int ratelimit_blocked(db *d, const char *k1, int64_t max1, const char *k2, int64_t max2, int64_t window, time_t now,
                      int64_t *retry_after);
/* Counts one event on up to two keys in one query; count[i] gets key i's
   count after it and retry[i] the seconds until its window ends. 0 ok, -1 error. */
int ratelimit_hit(db *d, const char *k1, const char *k2, int64_t window, time_t now, int64_t count[2],
                  int64_t retry[2]);
int ratelimit_clear(db *d, const char *key);
int ratelimit_expire(db *d, time_t now);
#endif
