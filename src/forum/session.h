/*
** session: login sessions. A session token is 256 random bits given to the
** client (cookie or bearer token); the database stores only its BLAKE2b
** hash, so any node can check it and a stolen database holds no live token.
** Expiry slides: a session used within its lifetime is extended, with at
** most one write per SESSION_SLIDE seconds.
*/
#ifndef LOULAN_SESSION_H
#define LOULAN_SESSION_H
#include "db/db.h"
#include "util/arena.h"
#include <stdint.h>
#include <time.h>

#define SESSION_TOKEN_HEX 64          /* 32 random bytes, hex */
#define SESSION_TTL_SHORT (24 * 3600) /* without "remember me" (default of auth.session_ttl) */
#define SESSION_TTL_LONG (30 * 86400) /* with "remember me" (default of auth.session_ttl_remember) */
#define SESSION_SLIDE 300
#define SESSION_MAX_PER_USER 50       /* oldest are removed beyond this */

struct session_user {
	int64_t uid, groupid, expires, created;
	const char *name, *csrf, *token_hash;
	int remember;
};

int64_t session_ttl(int remember);   /* lifetime in seconds, from the auth.session_ttl* settings */
void session_hash(const char *token, char out[65]);
/* creates a session; token_out and csrf_out receive 64 hex chars + NUL */
int session_create(db *d, int64_t uid, int remember, const char *ip, const char *ua, time_t now,
                   char token_out[65], char csrf_out[65]);
/* 1 valid (out filled, strings in arena a), 0 none/expired, -1 error */
int session_lookup(db *d, arena *a, const char *token, time_t now, struct session_user *out);
int session_delete(db *d, const char *token);
int session_delete_user(db *d, int64_t uid);   /* sign out everywhere */
struct session_row { const char *token_hash, *ip, *ua; int64_t created, lastseen, expires; };
int session_list(db *d, arena *a, int64_t uid, struct session_row **out, int *n);
int session_delete_others(db *d, int64_t uid, const char *keep_hash);  /* after a password change */
int session_delete_one(db *d, int64_t uid, const char *token_hash);
int session_expire(db *d, time_t now);          /* removes expired rows */
#endif
