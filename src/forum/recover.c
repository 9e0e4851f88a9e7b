/* recover: one-time links by e-mail (reset, verify, e-mail change); see recover.h. */
#include "forum/recover.h"
#include "forum/mail.h"
#include "forum/password.h"
#include "forum/ratelimit.h"
#include "forum/session.h"
#include "forum/site.h"
#include "forum/user.h"
#include "util/buf.h"
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {"reset", "verify", "email"};

/* 1 if token is RECOVER_TOKEN_HEX lowercase hex digits */
static int token_shaped(const char *t) {
	if (!t || strlen(t) != RECOVER_TOKEN_HEX) return 0;
	for (; *t; t++)
		if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f'))) return 0;
	return 1;
}

/* a new link of KIND for uid (the member's older ones of that kind deleted); token_out gets 64 hex + NUL */
static int token_new(db *d, int64_t uid, enum recover_kind kind, const char *email, int64_t ttl, time_t now,
                     char token_out[65]) {
	char th[65];
	password_random_token(token_out, 65, 32);
	session_hash(token_out, th);
	if (db_begin(d)) return -1;
	db_stmt *s = db_prep(d, "DELETE FROM mail_token WHERE uid = $1 AND kind = $2");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, kind_names[kind], -1);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_DONE) {
		s = db_prep(d, "INSERT INTO mail_token(token_hash, uid, kind, email, created, expires) VALUES ($1, $2, $3, $4, $5, $6)");
		db_bind_text(s, 1, th, -1);
		db_bind_int(s, 2, uid);
		db_bind_text(s, 3, kind_names[kind], -1);
		db_bind_text(s, 4, email ? email : "", -1);
		db_bind_int(s, 5, now);
		db_bind_int(s, 6, (int64_t)now + ttl);
		rc = db_step(s);
		db_done(s);
	}
	if (rc != DB_DONE || db_commit(d)) {
		db_rollback(d);
		return -1;
	}
	return 0;
}

/* queues the mail of a link: subject, greeting, what it does, the link, how long it lives */
static int link_mail(db *d, const char *to, const char *subject, const char *name, const char *what, const char *url,
                     const char *life, time_t now) {
	const struct site *st = site_get();
	buf body;
	buf_init(&body, MAIL_BODY_MAX);
	buf_appendf(&body, "%s，您好：\n\n%s\n\n%s\n\n该链接%s内有效，只能使用一次。如果这不是您本人的操作，请忽略本邮件。\n\n-- \n%s\n",
	            name, what, url, life, st ? st->name : "loulan");
	int rc = body.err ? -1 : mail_enqueue(d, to, subject, buf_cstr(&body), now);
	buf_release(&body);
	return rc;
}

int recover_request(db *d, const char *login, const char *ip, const char *base, time_t now, int64_t *wait) {
	const struct site *st = site_get();
	char kip[RATELIMIT_KEY_MAX];
	int64_t count[2], retry[2];
	if (strlen(login) > RECOVER_LOGIN_MAX || strlen(base) > RECOVER_BASE_MAX) return 0;   /* no such account */
	snprintf(kip, sizeof kip, "reset:ip:%s", ip ? ip : "");
	/* every request counts on the address, refused ones too (one query: the count after this one) */
	if (ratelimit_hit(d, kip, NULL, st->reset_window, now, count, retry)) return -1;
	if (count[0] > st->reset_max_ip) {
		*wait = retry[0];
		return 2;
	}
	/* the same one INSERT whoever is named: the mail thread looks the account up (recover_run_due) */
	db_stmt *s = db_prep(d, "INSERT INTO reset_request(login, base, created) VALUES ($1, $2, $3)");
	db_bind_text(s, 1, login, -1);
	db_bind_text(s, 2, base, -1);
	db_bind_int(s, 3, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* a request's work: the member LOGIN names, the per-account throttle, the link, the mail (none when the
   account does not exist, has no address or asked too often); 0 or -1 */
static int reset_prepare(db *d, const char *login, const char *base, time_t now) {
	const struct site *st = site_get();
	int64_t uid = 0, count[2], retry[2], w;
	int rc = user_login_uid(d, login, &uid);
	if (rc <= 0) return rc;
	struct member m;
	arena a;
	arena_init(&a);
	rc = user_get(d, &a, uid, &m);
	if (rc != 1 || !*m.email) {
		arena_free(&a);
		return rc < 0 ? -1 : 0;
	}
	char kacct[RATELIMIT_KEY_MAX];
	snprintf(kacct, sizeof kacct, "reset:uid:%lld", (long long)uid);
	rc = ratelimit_blocked(d, kacct, st->reset_max, NULL, 0, st->reset_window, now, &w);
	if (rc == 0 && !(rc = ratelimit_hit(d, kacct, NULL, st->reset_window, now, count, retry))) {
		char token[65];
		rc = token_new(d, uid, RECOVER_RESET, NULL, RECOVER_TTL, now, token);
		if (!rc) {
			const char *url = arena_sprintf(&a, "%s/lostpasswd/reset?token=%s", base, token);
			rc = link_mail(d, m.email, arena_sprintf(&a, "[%s] 找回密码", st->name), m.name,
			               "有人（希望是您）在论坛申请了找回密码。打开下面的链接设置新密码，设置后所有已登录的设备都需要重新登录：",
			               url, "1 小时", now);
		}
	}
	arena_free(&a);
	return rc < 0 ? -1 : 0;
}

int recover_run_due(db *d, time_t now) {
	int done = 0;
	for (int i = 0; i < RECOVER_BATCH; i++) {
		/* one transaction: the request is taken (deleted: of several nodes one gets it) with its work */
		if (db_begin(d)) return -1;
		db_stmt *s = db_prep(d, "DELETE FROM reset_request WHERE id = (SELECT id FROM reset_request ORDER BY id LIMIT 1) "
		                        "RETURNING login, base");
		int rc = db_step(s);
		char login[RECOVER_LOGIN_MAX + 1] = "", base[RECOVER_BASE_MAX + 1] = "";
		if (rc == DB_ROW) {
			snprintf(login, sizeof login, "%s", db_text(s, 0));
			snprintf(base, sizeof base, "%s", db_text(s, 1));
		}
		db_done(s);
		if (rc == DB_ROW) rc = reset_prepare(d, login, base, now) ? DB_ERR : DB_ROW;
		if (rc == DB_ERR || db_commit(d)) {
			db_rollback(d);
			return -1;
		}
		if (rc == DB_DONE) break;   /* nothing waiting (or another node took it) */
		done++;
	}
	return done;
}

int recover_peek(db *d, const char *token, enum recover_kind kind, time_t now, int64_t *uid, char *email, size_t cap) {
	if (!token_shaped(token)) return 0;
	char th[65];
	session_hash(token, th);
	db_stmt *s = db_prep(d, "SELECT uid, email FROM mail_token WHERE token_hash = $1 AND kind = $2 AND expires > $3");
	db_bind_text(s, 1, th, -1);
	db_bind_text(s, 2, kind_names[kind], -1);
	db_bind_int(s, 3, now);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*uid = db_int(s, 0);
		if (email) snprintf(email, cap, "%s", db_text(s, 1));
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* inside a transaction: deletes the live link (single use); 1 taken (uid checked against want), 0 gone, -1 error */
static int token_take(db *d, const char *token, enum recover_kind kind, time_t now, int64_t want) {
	char th[65];
	session_hash(token, th);
	db_stmt *s = db_prep(d, "DELETE FROM mail_token WHERE token_hash = $1 AND kind = $2 AND expires > $3 RETURNING uid");
	db_bind_text(s, 1, th, -1);
	db_bind_text(s, 2, kind_names[kind], -1);
	db_bind_int(s, 3, now);
	int rc = db_step(s);
	int64_t uid = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc == DB_ERR) return -1;
	return rc == DB_ROW && uid == want;
}

#define DEAD_LINK "该链接无效或已过期（每个链接只能使用一次，新申请的链接会使旧链接失效）。"

int recover_reset(db *d, const char *token, const char *password, time_t now, int64_t *uid, struct forum_err *e) {
	int rc = recover_peek(d, token, RECOVER_RESET, now, uid, NULL, 0);
	if (rc < 0) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!rc) return forum_fail(e, FORUM_E_NOTFOUND, DEAD_LINK);
	struct member m;
	arena a;
	arena_init(&a);
	rc = user_get(d, &a, *uid, &m);
	if (rc != 1) {
		arena_free(&a);
		return rc < 0 ? forum_fail(e, FORUM_E_DB, FORUM_MSG_DB) : forum_fail(e, FORUM_E_NOTFOUND, DEAD_LINK);
	}
	rc = user_check_password(m.name, password, e);
	arena_free(&a);
	if (rc) return rc;
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, hash, sizeof hash)) return forum_fail(e, FORUM_E_DB, "cannot hash password (out of memory?)");
	/* hashing is slow: outside the transaction, which re-checks the link by deleting it */
	if (db_begin(d)) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	rc = token_take(d, token, RECOVER_RESET, now, *uid);
	if (rc == 1) {
		db_stmt *s = db_prep(d, "UPDATE member SET pwhash = $2 WHERE uid = $1");
		db_bind_int(s, 1, *uid);
		db_bind_text(s, 2, hash, -1);
		rc = db_step(s) == DB_DONE ? 1 : -1;
		db_done(s);
		if (rc == 1 && (session_delete_user(d, *uid) || session_device_forget_others(d, *uid, NULL))) rc = -1;
	}
	if (rc != 1 || db_commit(d)) {
		db_rollback(d);
		return rc == 0 ? forum_fail(e, FORUM_E_NOTFOUND, DEAD_LINK) : forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	return 0;
}

int recover_send_confirm(db *d, int64_t uid, const char *name, const char *address, enum recover_kind kind,
                         const char *base, time_t now) {
	const struct site *st = site_get();
	char token[65], url[1024], subject[MAIL_SUBJECT_MAX];
	if (token_new(d, uid, kind, kind == RECOVER_EMAIL ? address : NULL, RECOVER_VERIFY_TTL, now, token)) return -1;
	snprintf(url, sizeof url, "%s/settings/email/confirm?token=%s", base, token);
	snprintf(subject, sizeof subject, "[%.150s] %s", st->name, kind == RECOVER_EMAIL ? "确认新的 Email 地址" : "验证 Email 地址");
	return link_mail(d, address, subject, name,
	                 kind == RECOVER_EMAIL ? "您申请把论坛帐号的 Email 改为本地址。打开下面的链接确认修改："
	                                       : "感谢注册！打开下面的链接验证您的 Email 地址，验证后即可发帖和回复：",
	                 url, "3 天", now);
}

int recover_confirm(db *d, const char *token, enum recover_kind kind, time_t now, int64_t *uid, struct forum_err *e) {
	char email[USER_EMAIL_MAX + 1] = "", ekey[USER_EMAIL_MAX + 1];
	int rc = recover_peek(d, token, kind, now, uid, email, sizeof email);
	if (rc < 0) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!rc) return forum_fail(e, FORUM_E_NOTFOUND, DEAD_LINK);
	if (kind == RECOVER_EMAIL) {
		rc = user_email_taken(d, email);
		if (rc) return rc < 0 ? forum_fail(e, FORUM_E_DB, FORUM_MSG_DB) : forum_fail(e, FORUM_E_TAKEN, "该 Email 地址已被其他帐号使用");
	}
	int64_t group = GROUP_MEMBER_FIRST;
	if (kind == RECOVER_VERIFY) {   /* the group of the member's credits (a login may have earned some) */
		struct member m;
		arena a;
		arena_init(&a);
		rc = user_get(d, &a, *uid, &m);
		arena_free(&a);
		if (rc < 0) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
		if (rc == 1) group = group_for_credits(m.credits);
	}
	size_t n = strlen(email);
	for (size_t i = 0; i <= n; i++) ekey[i] = (char)((email[i] >= 'A' && email[i] <= 'Z') ? email[i] + 32 : email[i]);
	if (db_begin(d)) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	rc = token_take(d, token, kind, now, *uid);
	if (rc == 1) {
		db_stmt *s;
		if (kind == RECOVER_EMAIL) {
			s = db_prep(d, "UPDATE member SET email = $2, email_key = $3 WHERE uid = $1");
			db_bind_text(s, 2, email, -1);
			db_bind_text(s, 3, ekey, -1);
		} else {
			s = db_prep(d, "UPDATE member SET groupid = $2 WHERE uid = $1 AND groupid = $3");
			db_bind_int(s, 2, group);
			db_bind_int(s, 3, GROUP_PENDING);
		}
		db_bind_int(s, 1, *uid);
		rc = db_step(s) == DB_DONE ? 1 : -1;
		db_done(s);
	}
	if (rc != 1 || db_commit(d)) {
		db_rollback(d);
		return rc == 0 ? forum_fail(e, FORUM_E_NOTFOUND, DEAD_LINK) : forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	return 0;
}

int recover_expire(db *d, time_t now) {
	db_stmt *s = db_prep(d, "DELETE FROM mail_token WHERE expires <= $1");
	db_bind_int(s, 1, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int recover_forget(db *d, int64_t uid) {
	db_stmt *s = db_prep(d, "DELETE FROM mail_token WHERE uid = $1 AND kind = 'reset'");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}
