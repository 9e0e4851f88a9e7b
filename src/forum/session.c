/* session: hashed-token sessions in the database; see session.h. */
#include "forum/session.h"
#include "forum/password.h"
#include "forum/forum.h"
#include "forum/site.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int64_t session_ttl(int remember) {
	const struct site *st = site_get();
	if (!st) return remember ? SESSION_TTL_LONG : SESSION_TTL_SHORT;
	return remember ? st->session_ttl_remember : st->session_ttl;
}

void session_hash(const char *token, char out[65]) {
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int session_create(db *d, int64_t uid, int remember, const char *ip, const char *ua, time_t now,
                   char token_out[65], char csrf_out[65]) {
	char th[65];
	password_random_token(token_out, 65, 32);
	password_random_token(csrf_out, 65, 32);
	session_hash(token_out, th);
	int64_t ttl = session_ttl(remember);
	db_stmt *s = db_prep(d, "INSERT INTO session(token_hash, uid, created, expires, lastseen, csrf, ip, ua) "
	                        "VALUES ($1, $2, $3, $4, $3, $5, $6, $7)");
	db_bind_text(s, 1, th, -1);
	db_bind_int(s, 2, uid);
	db_bind_int(s, 3, now);
	db_bind_int(s, 4, now + ttl);
	db_bind_text(s, 5, csrf_out, -1);
	db_bind_text(s, 6, ip ? ip : "", -1);
	db_bind_text(s, 7, ua ? ua : "", ua ? (int)(strlen(ua) > 200 ? 200 : strlen(ua)) : 0);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return -1;
	/* keep at most SESSION_MAX_PER_USER sessions per member */
	s = db_prep(d, "DELETE FROM session WHERE token_hash IN (SELECT token_hash FROM session WHERE uid = $1 "
	               "ORDER BY lastseen, created LIMIT (SELECT CASE WHEN COUNT(*) > $2 THEN COUNT(*) - $2 ELSE 0 END "
	               "FROM session WHERE uid = $1))");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, SESSION_MAX_PER_USER);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* 1 if token is SESSION_TOKEN_HEX lowercase hex digits */
static int token_shaped(const char *token) {
	size_t n = strlen(token);
	if (n != SESSION_TOKEN_HEX) return 0;
	for (size_t i = 0; i < n; i++)
		if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f'))) return 0;
	return 1;
}

int session_lookup(db *d, arena *a, const char *token, time_t now, struct session_user *out) {
	if (!token_shaped(token)) return 0;
	char th[65];
	session_hash(token, th);
	/* the header's counts (提醒: member_notify; 消息: a sum over pm_member's partial index on unread rows) and the
	   signature switch come with the session */
	db_stmt *s = db_prep(d, "SELECT s.uid, s.csrf, s.expires, s.created, s.lastseen, m.username, m.groupid, "
	                        "COALESCE(n.unread, 0), "
	                        "(SELECT COALESCE(SUM(unread), 0) FROM pm_member WHERE uid = s.uid AND unread > 0), "
	                        "COALESCE((SELECT sigoff FROM profile WHERE uid = s.uid), 0) FROM session s "
	                        "JOIN member m ON m.uid = s.uid LEFT JOIN member_notify n ON n.uid = s.uid "
	                        "WHERE s.token_hash = $1 AND s.expires > $2");
	db_bind_text(s, 1, th, -1);
	db_bind_int(s, 2, now);
	int rc = db_step(s);
	int64_t lastseen = 0;
	if (rc == DB_ROW) {
		out->uid = db_int(s, 0);
		out->csrf = arena_strdup(a, db_text(s, 1));
		out->expires = db_int(s, 2);
		out->created = db_int(s, 3);
		lastseen = db_int(s, 4);
		out->name = arena_strdup(a, db_text(s, 5));
		out->groupid = db_int(s, 6);
		out->unread = db_int(s, 7);
		out->pm_unread = db_int(s, 8);
		out->sigoff = (int)db_int(s, 9);
		out->token_hash = arena_strdup(a, th);
		out->remember = out->expires - lastseen > session_ttl(0);
	}
	db_done(s);
	if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
	if (now - lastseen >= SESSION_SLIDE) {
		/* slide the expiry; a failure here does not end the request */
		s = db_prep(d, "UPDATE session SET lastseen = $2, expires = $2 + (expires - lastseen) WHERE token_hash = $1");
		db_bind_text(s, 1, th, -1);
		db_bind_int(s, 2, now);
		db_step(s);
		db_done(s);
	}
	return 1;
}

int session_delete(db *d, const char *token) {
	char th[65];
	session_hash(token, th);
	db_stmt *s = db_prep(d, "DELETE FROM session WHERE token_hash = $1");
	db_bind_text(s, 1, th, -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_delete_user(db *d, int64_t uid) {
	db_stmt *s = db_prep(d, "DELETE FROM session WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_delete_others(db *d, int64_t uid, const char *keep_hash) {
	db_stmt *s = db_prep(d, "DELETE FROM session WHERE uid = $1 AND token_hash <> $2");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, keep_hash, -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_delete_one(db *d, int64_t uid, const char *token_hash) {
	db_stmt *s = db_prep(d, "DELETE FROM session WHERE uid = $1 AND token_hash = $2");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, token_hash, -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_list(db *d, arena *a, int64_t uid, struct session_row **out, int *n) {
	db_stmt *s = db_prep(d, "SELECT token_hash, ip, ua, created, lastseen, expires FROM session WHERE uid = $1 "
	                        "ORDER BY lastseen DESC LIMIT $2");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, SESSION_MAX_PER_USER);
	struct session_row *rows = arena_alloc(a, sizeof *rows * SESSION_MAX_PER_USER);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < SESSION_MAX_PER_USER) {
		struct session_row *r = &rows[(*n)++];
		r->token_hash = arena_strdup(a, db_text(s, 0));
		r->ip = arena_strdup(a, db_text(s, 1));
		r->ua = arena_strdup(a, db_text(s, 2));
		r->created = db_int(s, 3);
		r->lastseen = db_int(s, 4);
		r->expires = db_int(s, 5);
	}
	db_done(s);
	*out = rows;
	return rc == DB_ERR ? -1 : 0;
}

int session_expire(db *d, time_t now) {
	db_stmt *s = db_prep(d, "DELETE FROM session WHERE expires <= $1");
	db_bind_int(s, 1, now);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return -1;
	s = db_prep(d, "DELETE FROM login_device WHERE lastused <= $1");
	db_bind_int(s, 1, (int64_t)now - SESSION_DEVICE_TTL);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_device_lookup(db *d, const char *token, time_t now, int64_t *uid, char hash_out[65]) {
	*uid = 0;
	if (!token || !token_shaped(token)) return 0;
	session_hash(token, hash_out);
	db_stmt *s = db_prep(d, "SELECT uid FROM login_device WHERE token_hash = $1 AND lastused > $2");
	db_bind_text(s, 1, hash_out, -1);
	db_bind_int(s, 2, (int64_t)now - SESSION_DEVICE_TTL);
	int rc = db_step(s);
	if (rc == DB_ROW) *uid = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int session_device_touch(db *d, const char *hash, time_t now) {
	db_stmt *s = db_prep(d, "UPDATE login_device SET lastused = $2 WHERE token_hash = $1");
	db_bind_text(s, 1, hash, -1);
	db_bind_int(s, 2, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_device_create(db *d, int64_t uid, time_t now, char token_out[65]) {
	char th[65];
	password_random_token(token_out, 65, 32);
	session_hash(token_out, th);
	db_stmt *s = db_prep(d, "INSERT INTO login_device(token_hash, uid, created, lastused) VALUES ($1, $2, $3, $3)");
	db_bind_text(s, 1, th, -1);
	db_bind_int(s, 2, uid);
	db_bind_int(s, 3, now);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return -1;
	/* keep the SESSION_DEVICE_MAX most recently used devices of a member */
	s = db_prep(d, "DELETE FROM login_device WHERE token_hash IN (SELECT token_hash FROM login_device WHERE uid = $1 "
	               "ORDER BY lastused, created LIMIT (SELECT CASE WHEN COUNT(*) > $2 THEN COUNT(*) - $2 ELSE 0 END "
	               "FROM login_device WHERE uid = $1))");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, SESSION_DEVICE_MAX);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_device_forget_others(db *d, int64_t uid, const char *keep_token) {
	char th[65] = "";
	if (keep_token && token_shaped(keep_token)) session_hash(keep_token, th);
	db_stmt *s = db_prep(d, "DELETE FROM login_device WHERE uid = $1 AND token_hash <> $2");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, th, -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}
