/*
** profile: 个人资料 and 签名 (see profile.h).
*/
#include "forum/profile.h"
#include "markup/bbcode.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/utf8.h"
#include <stdlib.h>
#include <string.h>

const char *profile_gender_label(int g) { return g == PROFILE_GENDER_MALE ? "男" : g == PROFILE_GENDER_FEMALE ? "女" : "保密"; }

int profile_member(db *d, arena *a, int64_t uid, struct member *m, struct profile *pf) {
	db_stmt *s = db_prep(d, "SELECT m.uid, m.username, m.groupid, m.regdate, m.lastvisit, m.posts, m.threads, m.credits, "
	                        "COALESCE(f.sig_src, ''), COALESCE(f.sig_html, ''), COALESCE(f.bio, ''), COALESCE(f.gender, 0), "
	                        "COALESCE(f.location, ''), COALESCE(f.website, ''), COALESCE(f.sigoff, 0), COALESCE(f.updated, 0) "
	                        "FROM member m LEFT JOIN profile f ON f.uid = m.uid WHERE m.uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		memset(m, 0, sizeof *m);
		m->uid = db_int(s, 0);
		m->name = arena_strdup(a, db_text(s, 1));
		m->email = "";
		m->groupid = db_int(s, 2);
		m->regdate = db_int(s, 3);
		m->lastvisit = db_int(s, 4);
		m->posts = db_int(s, 5);
		m->threads = db_int(s, 6);
		m->credits = db_int(s, 7);
		pf->sig_src = arena_strdup(a, db_text(s, 8));
		pf->sig_html = arena_strdup(a, db_text(s, 9));
		pf->bio = arena_strdup(a, db_text(s, 10));
		pf->gender = (int)db_int(s, 11);
		pf->location = arena_strdup(a, db_text(s, 12));
		pf->website = arena_strdup(a, db_text(s, 13));
		pf->sigoff = (int)db_int(s, 14);
		pf->updated = db_int(s, 15);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int lines(const char *s) {
	int n = *s ? 1 : 0;
	for (; *s; s++) n += *s == '\n';
	return n;
}

/* an optional text field: valid UTF-8, at most max characters and maxlines lines, visible when not empty */
static int check_text(const char *v, const char *label, long max, int maxlines, struct forum_err *e) {
	size_t n = strlen(v);
	long c = utf8_chars(v, n);
	if (c < 0) return forum_fail(e, FORUM_E_INVALID, "%s不是有效的文本。", label);
	if (c > max) return forum_fail(e, FORUM_E_TOOBIG, "%s最多 %ld 个字（现在 %ld 个）。", label, max, c);
	if (maxlines && lines(v) > maxlines) return forum_fail(e, FORUM_E_TOOBIG, "%s最多 %d 行。", label, maxlines);
	if (n && !text_visible(v, n)) return forum_fail(e, FORUM_E_INVALID, "%s只有空白或不可见字符。", label);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t')
			return forum_fail(e, FORUM_E_INVALID, "%s含有控制字符。", label);
	return 0;
}

static int check_website(const char *v, struct forum_err *e) {
	if (!*v) return 0;
	size_t n = strlen(v);
	int ok = n <= PROFILE_WEBSITE_MAX && ((!strncmp(v, "http://", 7) && n > 7) || (!strncmp(v, "https://", 8) && n > 8));
	for (const char *c = v; ok && *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '"' || *c == '\'' || *c == '<' || *c == '>' || *c == '\\' || *c == '`')
			ok = 0;
	return ok ? 0 : forum_fail(e, FORUM_E_INVALID, "个人网站须以 http:// 或 https:// 开头，不含空格和引号，最多 %d 字节。",
	                           PROFILE_WEBSITE_MAX);
}

int profile_save(db *d, int64_t uid, const struct profile *in, time_t now, const char **field, struct forum_err *e) {
	const char *sig = in->sig_src ? in->sig_src : "", *bio = in->bio ? in->bio : "",
	           *loc = in->location ? in->location : "", *web = in->website ? in->website : "";
	*field = "sig";
	if (check_text(sig, "签名", PROFILE_SIG_MAX, PROFILE_SIG_LINES, e)) return e->code;
	*field = "bio";
	if (check_text(bio, "个人简介", PROFILE_BIO_MAX, PROFILE_BIO_LINES, e)) return e->code;
	*field = "location";
	if (check_text(loc, "所在地", PROFILE_LOCATION_MAX, 1, e)) return e->code;
	*field = "website";
	if (check_website(web, e)) return e->code;
	*field = "gender";
	if (in->gender < PROFILE_GENDER_UNKNOWN || in->gender > PROFILE_GENDER_FEMALE)
		return forum_fail(e, FORUM_E_INVALID, "性别无效。");
	*field = NULL;
	buf b;
	buf_init(&b, 0);
	if (*sig && (bbcode_render_only(&b, sig, strlen(sig), BBCODE_SIG) || b.err)) {
		buf_release(&b);
		return forum_fail(e, FORUM_E_TOOBIG, "签名过长。");
	}
	db_stmt *s = db_prep(d, "INSERT INTO profile(uid, sig_src, sig_html, bio, gender, location, website, sigoff, updated) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(uid) DO UPDATE SET sig_src = $2, "
	                        "sig_html = $3, bio = $4, gender = $5, location = $6, website = $7, sigoff = $8, updated = $9");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, sig, -1);
	db_bind_text(s, 3, b.len ? buf_cstr(&b) : "", -1);
	db_bind_text(s, 4, bio, -1);
	db_bind_int(s, 5, in->gender);
	db_bind_text(s, 6, loc, -1);
	db_bind_text(s, 7, web, -1);
	db_bind_int(s, 8, in->sigoff ? 1 : 0);
	db_bind_int(s, 9, now);
	int rc = db_step(s);
	db_done(s);
	buf_release(&b);
	return rc == DB_DONE ? 0 : forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
}
