/*
** user: member records: name rules, password hashing, creation.
** Names are unique without regard to case and Unicode compatibility forms:
** the unique key is the NFKC_Casefold of the name (ICU).
*/
#include "forum/forum.h"
#include "forum/password.h"
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
	if (src[0] == ' ' || src[slen - 1] == ' ') return -1;
	const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&e);
	if (U_FAILURE(e)) return -1;
	dlen = unorm2_normalize(nf, src, slen, dst, 256, &e);
	if (U_FAILURE(e)) return -1;
	int32_t olen = 0;
	u_strToUTF8(out, (int32_t)cap, &olen, dst, dlen, &e);
	if (U_FAILURE(e) || (size_t)olen >= cap) return -1;
	return 0;
}

int user_add(db *d, const char *name, const char *email, const char *password, int admin, int64_t *uid,
             char *err, size_t errlen) {
	char key[256], hash[PASSWORD_HASH_MAX];
	if (user_name_key(name, key, sizeof key)) {
		snprintf(err, errlen, "用户名须为 %d-%d 个字符，不能包含控制字符、不可见字符或 <>\"'&\\/,|", USER_NAME_MIN, USER_NAME_MAX);
		return -1;
	}
	size_t pl = strlen(password);
	if (pl < USER_PASSWORD_MIN || pl > USER_PASSWORD_MAX) {
		snprintf(err, errlen, "密码须为 %d-%d 个字符", USER_PASSWORD_MIN, USER_PASSWORD_MAX);
		return -1;
	}
	if (!strcmp(password, name)) {
		snprintf(err, errlen, "密码不能与用户名相同");
		return -1;
	}
	if (!email) email = "";
	if (strlen(email) > USER_EMAIL_MAX || (*email && (!strchr(email, '@') || strpbrk(email, " <>\"'\r\n")))) {
		snprintf(err, errlen, "Email 地址无效");
		return -1;
	}
	if (password_hash(password, hash, sizeof hash)) {
		snprintf(err, errlen, "cannot hash password (out of memory?)");
		return -1;
	}
	char ekey[USER_EMAIL_MAX + 1];
	size_t el = strlen(email);
	for (size_t i = 0; i <= el; i++) ekey[i] = (char)((email[i] >= 'A' && email[i] <= 'Z') ? email[i] + 32 : email[i]);
	db_stmt *s = db_prep(d, "INSERT INTO member(username, username_key, email, email_key, pwhash, groupid, adminid, regdate, "
	                        "lastvisit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING uid");
	db_bind_text(s, 1, name, -1);
	db_bind_text(s, 2, key, -1);
	db_bind_text(s, 3, email, -1);
	db_bind_text(s, 4, ekey, -1);
	db_bind_text(s, 5, hash, -1);
	db_bind_int(s, 6, admin ? GROUP_ADMIN : group_for_credits(0));
	db_bind_int(s, 7, admin ? 1 : 0);
	db_bind_int(s, 8, (int64_t)time(NULL));
	int rc = db_step(s);
	if (rc == DB_ROW) *uid = db_int(s, 0);
	int cls = db_errclass(d);
	db_done(s);
	if (rc != DB_ROW) {
		if (cls == DB_E_CONSTRAINT) snprintf(err, errlen, "用户名已被使用");
		else snprintf(err, errlen, "cannot add user: %s", db_errmsg(d));
		return -1;
	}
	return 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_init(void) { password_hash("loulan-dummy-password", dummy_hash, sizeof dummy_hash); }

int user_authenticate(db *d, const char *login, const char *password, int64_t *uid) {
	char key[256], hash[PASSWORD_HASH_MAX] = "";
	int found = 0;
	if (strlen(login) > LOGIN_MAX || strlen(password) > USER_PASSWORD_MAX) return 0;
	int by_email = strchr(login, '@') != NULL;
	if (!by_email && user_name_key(login, key, sizeof key)) return 0;
	if (by_email) {
		size_t n = strlen(login);
		for (size_t i = 0; i <= n; i++) key[i] = (char)((login[i] >= 'A' && login[i] <= 'Z') ? login[i] + 32 : login[i]);
	}
	db_stmt *s = by_email ? db_prep(d, "SELECT uid, pwhash FROM member WHERE email_key = $1 AND email_key <> '' ORDER BY uid LIMIT 1")
	                      : db_prep(d, "SELECT uid, pwhash FROM member WHERE username_key = $1");
	db_bind_text(s, 1, key, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*uid = db_int(s, 0);
		snprintf(hash, sizeof hash, "%s", db_text(s, 1));
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
	return password_verify(hash, password) ? 1 : 0;
}
