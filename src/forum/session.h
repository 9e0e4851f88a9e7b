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
	int64_t unread;   /* notifications not read (member_notify.unread, forum/notify.h) */
	int64_t pm_unread;   /* 短消息 not yet read (forum/pm.h), read in the same query */
	int sigoff;          /* the member hides signatures (profile.sigoff) */
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
int session_expire(db *d, time_t now);          /* removes expired rows (sessions and devices) */

/*
** Login devices: a browser that signed in successfully gets a long-lived
** random cookie (SESSION_DEVICE_COOKIE), stored hashed in login_device with
** the member's uid. A login carrying the device cookie of the account it names
** is throttled per device (auth.login_max_failures_device), not by the
** account's or the address's failure counters, so others' failures cannot
** lock the owner out (pages/account.c).
*/
#define SESSION_DEVICE_COOKIE "loulan_dev"
#define SESSION_DEVICE_TTL (365 * 86400)   /* cookie lifetime; unused devices are forgotten after it */
#define SESSION_DEVICE_MAX 20              /* devices remembered per member, most recently used first */
/* 1 known device (*uid set, hash_out = the token's hash), 0 none/expired/malformed, -1 error */
int session_device_lookup(db *d, const char *token, time_t now, int64_t *uid, char hash_out[65]);
int session_device_touch(db *d, const char *hash, time_t now);
/* a new device for uid; token_out receives 64 hex chars + NUL for the cookie */
int session_device_create(db *d, int64_t uid, time_t now, char token_out[65]);
/* after a password change or "sign out everywhere": the member's devices other than keep_token's are
   forgotten (keep_token may be NULL or not a device: then all are) */
int session_device_forget_others(db *d, int64_t uid, const char *keep_token);
#endif
