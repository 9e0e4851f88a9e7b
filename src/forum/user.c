/*
** user: member records: name rules, password hashing, creation.
** Names are unique without regard to case and Unicode compatibility forms:
** the unique key is the NFKC_Casefold of the name (ICU). Look-alike names
** are refused too: the UTS #39 skeleton of that key (name_skeleton) is unique
** ("аdmin" with a Cyrillic а, "admın" and "admin" share one), and a new name
** must pass ICU's restriction level (no Latin mixed with Cyrillic or Greek;
** Han with Latin is fine). util/text.c does the Unicode work.
*/
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/discover.h"
#include "forum/password.h"
#include "util/text.h"
#include "util/utf8.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

int user_name_key(const char *name, char *out, size_t cap) {
	size_t n = strlen(name);
	long chars = utf8_chars(name, n);
	if (chars < USER_NAME_MIN || chars > USER_NAME_MAX) return -1;
	UChar src[64], dst[256];
	int32_t slen = 0, dlen;
	UErrorCode e = U_ZERO_ERROR;
	u_strFromUTF8(src, 64, &slen, name, (int32_t)n, &e);
	if (U_FAILURE(e)) return -1;
	/* no control, format (zero-width), unassigned or private-use characters; no edge spaces */
	for (int32_t i = 0; i < slen;) {
		UChar32 c;
		U16_NEXT(src, i, slen, c);
		int8_t t = u_charType(c);
		if (t == U_CONTROL_CHAR || t == U_FORMAT_CHAR || t == U_UNASSIGNED || t == U_PRIVATE_USE_CHAR ||
		    t == U_SURROGATE || t == U_LINE_SEPARATOR || t == U_PARAGRAPH_SEPARATOR || c == 0x3164 || c == 0x115F ||
		    c == 0x1160 || c == 0xFFA0 || (u_isUWhiteSpace(c) && c != ' ') || strchr("<>\"'&\\/,|", (int)(c < 128 ? c : 'a')))
			return -1;
	}
	if (src[0] == ' ' || src[slen - 1] == ' ' || !text_visible(name, n)) return -1;
	const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&e);
	if (U_FAILURE(e)) return -1;
	dlen = unorm2_normalize(nf, src, slen, dst, 256, &e);
	if (U_FAILURE(e)) return -1;
	int32_t olen = 0;
	u_strToUTF8(out, (int32_t)cap, &olen, dst, dlen, &e);
	if (U_FAILURE(e) || (size_t)olen >= cap) return -1;
	return 0;
}

int user_name_skeleton(const char *name, char *out, size_t cap) {
	char key[256];
	if (user_name_key(name, key, sizeof key)) return -1;
	return text_skeleton(key, strlen(key), out, cap);
}

int user_check_name(const char *name, struct forum_err *e) {
	char key[256];
	if (user_name_key(name, key, sizeof key))
		return forum_fail(e, FORUM_E_INVALID, "用户名须为 %d-%d 个字符，不能包含控制字符、不可见字符或 <>\"'&\\/,|",
		                  USER_NAME_MIN, USER_NAME_MAX);
	if (text_script_ok(name, strlen(name)) != 1)
		return forum_fail(e, FORUM_E_INVALID,
		                  "用户名不能混用容易混淆的文字（如拉丁字母与西里尔或希腊字母），也不能混用不同写法的数字");
	return 0;
}

int user_check_email(const char *email, int required, struct forum_err *e) {
	if (!email || !*email) {
		if (!required) return 0;
		return forum_fail(e, FORUM_E_INVALID, "请填写电子邮箱");
	}
	const char *at = strchr(email, '@');
	if (strlen(email) > USER_EMAIL_MAX || !at || at == email || !at[1] || strchr(at + 1, '@') ||
	    strpbrk(email, " <>\"'\r\n\t,;")) {
		return forum_fail(e, FORUM_E_INVALID, "电子邮箱无效");
	}
	return 0;
}

int user_check_password(const char *name, const char *password, struct forum_err *e) {
	size_t pl = strlen(password);
	if (pl < USER_PASSWORD_MIN || pl > USER_PASSWORD_MAX) {
		return forum_fail_en(e, FORUM_E_INVALID, "the password must be " USER_STR(USER_PASSWORD_MIN) " to " USER_STR(USER_PASSWORD_MAX) " characters",
		                     "密码须为 %d-%d 个字符", USER_PASSWORD_MIN, USER_PASSWORD_MAX);
	}
	char k1[256], k2[256];
	if (!strcmp(password, name) ||
	    (!user_name_key(name, k1, sizeof k1) && !user_name_key(password, k2, sizeof k2) && !strcmp(k1, k2))) {
		return forum_fail(e, FORUM_E_INVALID, "密码不能与用户名相同");
	}
	return 0;
}

static void email_key(const char *email, char *out) {
	size_t el = strlen(email);
	for (size_t i = 0; i <= el; i++) out[i] = (char)((email[i] >= 'A' && email[i] <= 'Z') ? email[i] + 32 : email[i]);
}

int user_email_taken(db *d, const char *email) {
	char ekey[USER_EMAIL_MAX + 1];
	if (strlen(email) > USER_EMAIL_MAX) return 0;
	email_key(email, ekey);
	db_stmt *s = db_prep(d, "SELECT 1 FROM member WHERE email_key = $1 LIMIT 1");
	db_bind_text(s, 1, ekey, -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ERR ? -1 : rc == DB_ROW;
}

int user_add(db *d, const char *name, const char *email, const char *password, int admin, int64_t *uid,
             struct forum_err *e) {
	char key[256], skel[TEXT_SKELETON_MAX], hash[PASSWORD_HASH_MAX];
	if (!email) email = "";
	int rc;
	if ((rc = user_check_name(name, e)) || (rc = user_check_password(name, password, e)) ||
	    (rc = user_check_email(email, 0, e)))
		return rc;
	user_name_key(name, key, sizeof key);
	if (text_skeleton(key, strlen(key), skel, sizeof skel)) return forum_fail(e, FORUM_E_INVALID, "用户名无效");
	if (password_hash(password, hash, sizeof hash)) {
		return forum_fail(e, FORUM_E_DB, "cannot hash password (out of memory?)");
	}
	char ekey[USER_EMAIL_MAX + 1];
	email_key(email, ekey);
	if (db_begin(d)) return forum_fail(e, FORUM_E_DB, "cannot add user: %s", db_errmsg(d));
	db_stmt *s = db_prep(d, "INSERT INTO member(username, username_key, email, email_key, pwhash, groupid, adminid, regdate, "
	                        "lastvisit, name_skeleton) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING uid");
	db_bind_text(s, 1, name, -1);
	db_bind_text(s, 2, key, -1);
	db_bind_text(s, 3, email, -1);
	db_bind_text(s, 4, ekey, -1);
	db_bind_text(s, 5, hash, -1);
	db_bind_int(s, 6, admin ? GROUP_ADMIN : group_for_credits(0));
	db_bind_int(s, 7, admin ? 1 : 0);
	db_bind_int(s, 8, (int64_t)time(NULL));
	db_bind_text(s, 9, skel, -1);
	rc = db_step(s);
	if (rc == DB_ROW) *uid = db_int(s, 0);
	int cls = db_errclass(d);
	db_done(s);
	/* the index's 会员 count and 欢迎新会员, in the same transaction (issue 14) */
	if (rc == DB_ROW && (stats_count_member(d, *uid, name) || db_commit(d))) rc = DB_ERR;
	if (rc != DB_ROW) {
		int code = cls == DB_E_CONSTRAINT ? forum_fail_en(e, FORUM_E_TAKEN, "the name is taken", "用户名已被使用")
		                                  : forum_fail(e, FORUM_E_DB, "cannot add user: %s", db_errmsg(d));
		db_rollback(d);
		return code;
	}
	return 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_init(void) { password_hash("loulan-dummy-password", dummy_hash, sizeof dummy_hash); }

/* the statement that finds the member a login (name or email) names: uid, pwhash; NULL if none can.
   key (256 bytes) holds the bound text until the statement is done. */
static db_stmt *login_stmt(db *d, const char *login, char *key) {
	if (strlen(login) > LOGIN_MAX) return NULL;
	int by_email = strchr(login, '@') != NULL;
	if (!by_email && user_name_key(login, key, 256)) return NULL;
	if (by_email) {
		size_t n = strlen(login);
		for (size_t i = 0; i <= n; i++) key[i] = (char)((login[i] >= 'A' && login[i] <= 'Z') ? login[i] + 32 : login[i]);
	}
	db_stmt *s = by_email ? db_prep(d, "SELECT uid, pwhash FROM member WHERE email_key = $1 AND email_key <> '' ORDER BY uid LIMIT 1")
	                      : db_prep(d, "SELECT uid, pwhash FROM member WHERE username_key = $1");
	db_bind_text(s, 1, key, -1);
	return s;
}

int user_login_uid(db *d, const char *login, int64_t *uid) {
	char key[256];
	db_stmt *s = login_stmt(d, login, key);
	if (!s) return 0;
	int rc = db_step(s);
	if (rc == DB_ROW) *uid = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* a legacy (imported Discuz!) or outdated hash that just matched becomes loulan's argon2id; only if the
   row still holds the hash checked (a concurrent password change wins). A failure leaves the old hash. */
static void rehash(db *d, int64_t uid, const char *old, const char *password) {
	char fresh[PASSWORD_HASH_MAX];
	if (password_hash(password, fresh, sizeof fresh)) return;
	db_stmt *s = db_prep(d, "UPDATE member SET pwhash = $2 WHERE uid = $1 AND pwhash = $3");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, fresh, -1);
	db_bind_text(s, 3, old, -1);
	db_step(s);
	db_done(s);
}

int user_authenticate(db *d, const char *login, const char *password, int64_t *uid) {
	char key[256], hash[PASSWORD_HASH_MAX] = "";
	int found = 0;
	if (strlen(password) > USER_PASSWORD_MAX) return 0;
	db_stmt *s = login_stmt(d, login, key);
	if (!s) return 0;
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*uid = db_int(s, 0);
		const char *h = db_text(s, 1);
		if (h && strlen(h) < sizeof hash) snprintf(hash, sizeof hash, "%s", h);   /* longer: never matches */
		found = 1;
	}
	db_done(s);
	if (rc == DB_ERR) return -1;
	if (!found) {
		/* spend the same time as a real check, so timing does not tell whether the name exists */
		pthread_once(&dummy_once, dummy_init);
		password_verify(dummy_hash, password);
		return 0;
	}
	if (!password_verify(hash, password)) return 0;
	if (password_needs_rehash(hash)) rehash(d, *uid, hash, password);
	return 1;
}

int user_get(db *d, arena *a, int64_t uid, struct member *m) {
	db_stmt *s = db_prep(d, "SELECT uid, username, email, groupid, regdate, lastvisit, posts, threads, credits "
	                        "FROM member WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		m->uid = db_int(s, 0);
		m->name = arena_strdup(a, db_text(s, 1));
		m->email = arena_strdup(a, db_text(s, 2));
		m->groupid = db_int(s, 3);
		m->regdate = db_int(s, 4);
		m->lastvisit = db_int(s, 5);
		m->posts = db_int(s, 6);
		m->threads = db_int(s, 7);
		m->credits = db_int(s, 8);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int user_find(db *d, const char *name, int64_t *uid) {
	char key[256];
	if (user_name_key(name, key, sizeof key)) return 0;
	db_stmt *s = db_prep(d, "SELECT uid FROM member WHERE username_key = $1");
	db_bind_text(s, 1, key, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *uid = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int user_set_group(db *d, int64_t uid, int64_t groupid) {
	db_stmt *s = db_prep(d, "UPDATE member SET groupid = CAST($2 AS BIGINT), "
	                        "adminid = CASE WHEN CAST($2 AS BIGINT) = 1 THEN 1 ELSE 0 END WHERE uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, groupid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int user_set_regip(db *d, int64_t uid, const char *ip) {
	db_stmt *s = db_prep(d, "UPDATE member SET regip = $2 WHERE uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, ip ? ip : "", -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int user_touch(db *d, int64_t uid, time_t now) {
	db_stmt *s = db_prep(d, "UPDATE member SET lastvisit = $2 WHERE uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int user_password_change(db *d, int64_t uid, const char *old, const char *new_pw, struct forum_err *e) {
	char hash[PASSWORD_HASH_MAX] = "", name[256] = "";
	db_stmt *s = db_prep(d, "SELECT pwhash, username FROM member WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		snprintf(hash, sizeof hash, "%s", db_text(s, 0));
		snprintf(name, sizeof name, "%s", db_text(s, 1));
	}
	db_done(s);
	if (rc != DB_ROW) {
		forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
		return -1;
	}
	if (strlen(old) > USER_PASSWORD_MAX || !password_verify(hash, old)) return 0;
	if (user_check_password(name, new_pw, e)) return -1;
	if (password_hash(new_pw, hash, sizeof hash)) {
		return forum_fail(e, FORUM_E_DB, "cannot hash password (out of memory?)");
	}
	s = db_prep(d, "UPDATE member SET pwhash = $2 WHERE uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, hash, -1);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) {
		forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
		return -1;
	}
	return 1;
}

/* One query: the newest threads and the newest replies (position > 1), each
   bounded by USER_RECENT_MAX through the (authorid, tid) and (authorid, pid)
   indexes; no OFFSET. 匿名 threads and replies are not listed (anon.h). */
int user_recent(db *d, arena *a, int64_t uid, int64_t before_tid, int64_t before_pid, int max, struct user_item **threads,
                int *nthreads, struct user_item **replies, int *nreplies) {
	db_stmt *s = db_prep(d, "SELECT * FROM (SELECT 1 AS kind, t.tid, 0 AS pid, t.fid, t.created, t.subject FROM thread t "
	                        "WHERE t.authorid = $1 AND t.hidden = 0 AND t.moved = 0 AND t.anonymous = 0 AND t.tid < $3 "
	                        "ORDER BY t.tid DESC LIMIT $2) th "
	                        "UNION ALL SELECT * FROM (SELECT 2 AS kind, p.tid, p.pid, p.fid, p.created, t.subject "
	                        "FROM post p JOIN thread t ON t.tid = p.tid WHERE p.authorid = $1 AND p.position > 1 "
	                        "AND p.deleted = 0 AND p.anonymous = 0 AND t.hidden = 0 AND p.pid < $4 ORDER BY p.pid DESC LIMIT $2) rp");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, max);
	db_bind_int(s, 3, before_tid ? before_tid : INT64_MAX);
	db_bind_int(s, 4, before_pid ? before_pid : INT64_MAX);
	*threads = arena_alloc(a, sizeof **threads * (size_t)max);
	*replies = arena_alloc(a, sizeof **replies * (size_t)max);
	*nthreads = *nreplies = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int kind = (int)db_int(s, 0);
		int *n = kind == 1 ? nthreads : nreplies;
		if (*n >= max) continue;
		struct user_item *it = kind == 1 ? &(*threads)[(*n)++] : &(*replies)[(*n)++];
		it->tid = db_int(s, 1);
		it->pid = db_int(s, 2);
		it->fid = db_int(s, 3);
		it->created = db_int(s, 4);
		it->subject = arena_strdup(a, db_text(s, 5));
	}
	db_done(s);
	return rc == DB_ERR ? -1 : 0;
}

int user_password_set(db *d, int64_t uid, const char *name, const char *new_pw, struct forum_err *e) {
	char hash[PASSWORD_HASH_MAX];
	if (user_check_password(name, new_pw, e)) return e->code ? e->code : FORUM_E_INVALID;
	if (password_hash(new_pw, hash, sizeof hash)) return forum_fail(e, FORUM_E_DB, "cannot hash password (out of memory?)");
	if (db_begin(d)) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	db_stmt *s = db_prep(d, "UPDATE member SET pwhash = $2 WHERE uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, hash, -1);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_DONE) {
		s = db_prep(d, "DELETE FROM session WHERE uid = $1");
		db_bind_int(s, 1, uid);
		rc = db_step(s);
		db_done(s);
	}
	if (rc != DB_DONE || db_commit(d)) {
		db_rollback(d);
		return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	return 0;
}

int user_list(db *d, arena *a, int64_t gid, const char *search, int64_t after, int limit, struct member **out, int *n) {
	char key[USER_NAME_MAX * 8 + 16] = "";
	if (search && *search && user_name_key(search, key, sizeof key)) {   /* no name starts with an invalid one */
		*out = NULL;
		*n = 0;
		return 0;
	}
	db_stmt *s = db_prep(d, "SELECT uid, groupid, regdate, lastvisit, posts, threads, credits, username, email FROM member "
	                        "WHERE uid > $1 AND (CAST($2 AS BIGINT) = 0 OR groupid = $2) "
	                        "AND substr(username_key, 1, length($3)) = $3 ORDER BY uid LIMIT $4");
	db_bind_int(s, 1, after);
	db_bind_int(s, 2, gid);
	db_bind_text(s, 3, key, -1);
	db_bind_int(s, 4, limit);
	struct member *ms = arena_alloc(a, sizeof *ms * (size_t)(limit > 0 ? limit : 1));
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct member *m = &ms[(*n)++];
		m->uid = db_int(s, 0);
		m->groupid = db_int(s, 1);
		m->regdate = db_int(s, 2);
		m->lastvisit = db_int(s, 3);
		m->posts = db_int(s, 4);
		m->threads = db_int(s, 5);
		m->credits = db_int(s, 6);
		m->name = arena_strdup(a, db_text(s, 7));
		m->email = arena_strdup(a, db_text(s, 8));
	}
	db_done(s);
	*out = ms;
	return rc == DB_ERR ? -1 : 0;
}
