/*
** dz_core: the core stages of `loulan import-discuz` (see import.h for how a
** stage works): settings, user groups, members, boards, moderators,
** threads, posts, the counters, the search index and the verification.
** Ids are kept: uid, fid (categories keep their fid as cid), tid, pid.
*/
#include "import/import.h"
#include "import/phpser.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/write.h"
#include "forum/search.h"
#include "markup/bbcode.h"
#include "search/search.h"
#include "util/text.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define DZ_NAME_MAX 80           /* bytes kept of a board or group name */
#define DZ_DESC_MAX 1000         /* bytes kept of a board's description */
#define DZ_RULES_MAX 4000        /* bytes kept of a board's rules (ADMIN_RULES_MAX of the board editor) */
#define DZ_SIG_MAX 2000          /* bytes kept of a signature's BBCode */
#define DZ_FORUMS_MAX 100000     /* forums read (a site has hundreds) */

static int step_ok(db *d, db_stmt *s, struct imp *im) {
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : imp_fail(im, "target: %s", db_errmsg(d));
}

/* keeps the first max bytes of s, cut on a UTF-8 character boundary */
static const char *cut(arena *a, const char *s, size_t max) {
	size_t n = strlen(s);
	if (n <= max) return s;
	while (max && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
	return arena_strndup(a, s, max);
}

/* PostgreSQL takes a batch's rows in one statement, as a JSON array through json_to_recordset: a round
   trip per row costs more than the row. These build the array: {"k":v,...} objects. */
static void jrow(buf *j, int *n) {
	buf_putc(j, (*n)++ ? ',' : '[');
	buf_putc(j, '{');
}
static void jint(buf *j, const char *k, int64_t v) {
	if (j->len && j->data[j->len - 1] != '{') buf_putc(j, ',');
	buf_appendf(j, "\"%s\":%lld", k, (long long)v);
}
static void jstr(buf *j, const char *k, const char *v) {
	if (j->len && j->data[j->len - 1] != '{') buf_putc(j, ',');
	buf_appendf(j, "\"%s\":", k);
	buf_json_str(j, v, strlen(v));
}
/* closes the array and binds it as $1 of s (or fails on a batch over the buf cap) */
static int jbind(struct imp *im, db_stmt *s, buf *j) {
	buf_putc(j, ']');
	if (j->err) {
		db_done(s);
		return imp_fail(im, "a batch is over %u bytes", (unsigned)BUF_DEFAULT_MAX);
	}
	db_bind_text(s, 1, j->data, (int)j->len);
	return 0;
}

/* HTML (names, descriptions that Discuz! allows HTML in) as plain text */
static const char *html_text(arena *a, const char *html) {
	buf b, t;
	buf_init(&b, 0);
	buf_init(&t, 0);
	dz_html_to_bbcode(html, strlen(html), &b);
	dz_bbcode_text(b.data ? b.data : "", b.len, &t);
	char *out = arena_strndup(a, t.data ? t.data : "", t.len);
	buf_release(&b);
	buf_release(&t);
	return out;
}

/* ---- settings ---------------------------------------------------------------- */

static void set(struct imp *im, int write, const char *key, const char *value) {
	struct forum_err e = {0};
	if (!write) return;
	if (site_config_set(imp_db(im), key, value, &e)) imp_warn(im, "setting %s = \"%s\" not taken: %s", key, value, forum_err_en(&e));
}

/* Discuz!'s creditsformula ("posts+digestposts*5+extcredits1*2+extcredits2+extcredits3") in loulan's form
   ("posts+5*digestposts+2*ext1+ext2+ext3"): sums of N*name; 0 if it uses anything else (/, brackets,
   extcredits4-8, oltime ...) */
static int formula(const char *v, buf *out) {
	static const char *const ok[] = {"posts", "threads", "digestposts", "extcredits1", "extcredits2", "extcredits3"};
	const char *p = v;
	int terms = 0;
	while (*p) {
		char sign = '+';
		while (*p == ' ') p++;
		if (*p == '+' || *p == '-') sign = *p++;
		else if (terms) return 0;
		const char *e = p + strcspn(p, "+-");
		char term[64], name[64] = "";
		if ((size_t)(e - p) >= sizeof term) return 0;
		memcpy(term, p, (size_t)(e - p));
		term[e - p] = 0;
		long coef = 1;
		char *star = strchr(term, '*');
		char *a = term, *b = star ? star + 1 : NULL;
		if (star) *star = 0;
		for (int side = 0; side < (b ? 2 : 1); side++) {
			char *t = side ? b : a;
			while (*t == ' ') t++;
			size_t tl = strlen(t);
			while (tl && t[tl - 1] == ' ') t[--tl] = 0;
			char *end;
			long n = strtol(t, &end, 10);
			if (tl && !*end) coef *= n;
			else if (!name[0] && tl < sizeof name) snprintf(name, sizeof name, "%s", t);
			else return 0;
		}
		size_t i;
		for (i = 0; i < sizeof ok / sizeof ok[0] && strcmp(name, ok[i]); i++) {}
		if (i == sizeof ok / sizeof ok[0] || coef < 0 || coef > 1000) return 0;
		if (terms || sign == '-') buf_putc(out, sign);
		if (coef != 1) buf_appendf(out, "%ld*", coef);
		buf_puts(out, i >= 3 ? (const char *[]){"ext1", "ext2", "ext3"}[i - 3] : name);
		terms++;
		p = e;
	}
	return terms > 0;
}

/* write = 0 (--resume after the stage): only what later stages need (time offset, credit names) */
static int settings(struct imp *im, int write) {
	const char *t = imp_table(im, "common_setting");
	if (!t) {
		imp_warn(im, "no common_setting table: the site's settings stay loulan's defaults");
		return 0;
	}
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT skey, svalue FROM ");
	buf_puts(&sql, t);
	buf_puts(&sql, " WHERE skey IN ('bbname', 'sitename', 'icp', 'timeoffset', 'extcredits', 'creditsformula', "
	               "'postperpage', 'topicperpage')");
	struct imp_rows r;
	imp_rows_init(&r);
	int n = imp_select(im, buf_cstr(&sql), NULL, 0, &r);
	buf_release(&sql);
	if (n < 0) {
		imp_rows_free(&r);
		return -1;
	}
	struct imp_site *site = imp_site(im);
	static const char *const defnames[3] = {"威望", "金钱", "贡献"};
	for (int e = 0; e < 8; e++) snprintf(site->creditnames[e], sizeof site->creditnames[e], "%s", e < 3 ? defnames[e] : "");
	const char *bbname = NULL, *sitename = NULL;
	if (write && imp_begin(im)) goto fail;
	for (int i = 0; i < n; i++) {
		const char *k = imp_raw(&r, i, 0, NULL);
		size_t vl;
		const char *raw = imp_raw(&r, i, 1, &vl);
		if (!strcmp(k, "extcredits")) {
			struct php_val *v;
			arena a;
			arena_init(&a);
			if (php_unserialize(raw, vl, &a, &v)) {
				if (write) imp_warn(im, "common_setting.extcredits is not a PHP serialized array: credit names kept");
			} else {
				for (int e = 1; e <= 8; e++) {
					const struct php_val *c = php_geti(v, e);
					size_t tl;
					const char *title = php_str(php_get(c, "title"), &a, &tl);
					if (!tl) continue;
					const char *u = imp_conv(im, &a, title, tl, DZ_ESCAPED);
					snprintf(site->creditnames[e - 1], sizeof site->creditnames[e - 1], "%s", u);
					for (char *p = site->creditnames[e - 1]; *p; p++)
						if (*p == ',') *p = ' ';
					if (write && e > 3 && php_int(php_get(c, "available")))
						imp_warn(im, "extcredits%d \"%s\" has no place in loulan (3 credits): its values are not imported", e, u);
				}
				char names[3 * 64 + 4];
				snprintf(names, sizeof names, "%s,%s,%s", site->creditnames[0], site->creditnames[1], site->creditnames[2]);
				set(im, write, "credit.names", names);
				snprintf(names, sizeof names, "%s,%s", site->creditnames[0], site->creditnames[1]);
				set(im, write, "credit.show", names);
			}
			arena_free(&a);
			continue;
		}
		const char *v = imp_text(im, &r, i, 1, DZ_ESCAPED);
		if (!strcmp(k, "bbname")) bbname = v;
		else if (!strcmp(k, "sitename")) sitename = v;
		else if (!strcmp(k, "icp")) set(im, write, "site.icp", v);
		else if (!strcmp(k, "timeoffset")) {
			long h = strtol(v, NULL, 10);
			if (h < -12 || h > 14) h = 8;
			site->timeoffset = h;
			char tz[32];
			if (h == 8) snprintf(tz, sizeof tz, "Asia/Shanghai");
			else if (h == 0) snprintf(tz, sizeof tz, "UTC");
			else snprintf(tz, sizeof tz, "Etc/GMT%+ld", -h);   /* the tz database's Etc zones count west */
			set(im, write, "site.timezone", tz);
		} else if (!strcmp(k, "creditsformula")) {
			buf f;
			buf_init(&f, 0);
			if (formula(v, &f)) set(im, write, "credit.formula", buf_cstr(&f));
			else if (write) imp_warn(im, "creditsformula \"%s\" has no loulan equivalent (terms N*name of posts, threads, digestposts, "
			              "extcredits1-3): loulan's formula kept", v);
			buf_release(&f);
		} else if (write && !strcmp(k, "postperpage") && strcmp(v, "10")) {
			imp_warn(im, "postperpage = %s: loulan shows a fixed number of floors per page", v);
		} else if (write && !strcmp(k, "topicperpage") && strcmp(v, "20")) {
			imp_warn(im, "topicperpage = %s: loulan shows a fixed number of threads per page", v);
		}
	}
	if (bbname && *bbname) set(im, write, "site.name", cut(&r.a, bbname, 200));
	else if (sitename && *sitename) set(im, write, "site.name", cut(&r.a, sitename, 200));
	if (write && imp_commit(im)) goto fail;
	imp_rows_free(&r);
	return 0;
fail:
	imp_rollback(im);
	imp_rows_free(&r);
	return -1;
}

int dz_settings(struct imp *im) { return settings(im, 1); }
int dz_settings_read(struct imp *im) { return settings(im, 0); }

/* ---- user groups ---------------------------------------------------------------- */

/* Discuz! system groups -> loulan's (6 禁止 IP has no place: 禁止访问) */
static int64_t system_group(int64_t g) {
	switch (g) {
	case 1: case 2: case 3: case 4: case 5: case 7: case 8: return g;
	case 6: return 5;
	default: return 0;
	}
}

static int color_ok(const char *c) {
	size_t n = strlen(c);
	if (c[0] != '#' || (n != 4 && n != 7)) return 0;
	for (size_t i = 1; i < n; i++)
		if (!((c[i] >= '0' && c[i] <= '9') || ((c[i] | 32) >= 'a' && (c[i] | 32) <= 'f'))) return 0;
	return 1;
}

/* reads the source's groups; write = 0 only fills the map (on --resume) */
static int usergroups(struct imp *im, int write) {
	const char *t = imp_table(im, "common_usergroup");
	if (!t) return 0;
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT groupid, type, grouptitle, creditshigher, creditslower, stars, color, allowvisit FROM ");
	buf_puts(&sql, t);
	buf_puts(&sql, " ORDER BY groupid");
	struct imp_rows r;
	imp_rows_init(&r);
	int n = imp_select(im, buf_cstr(&sql), NULL, 0, &r);
	buf_release(&sql);
	if (n < 0) goto fail;
	/* member bands keep their ids from 10 up; a band below 10 (限制会员 is 9) gets an id after the largest */
	int64_t next = 16;
	for (int i = 0; i < n; i++)
		if (imp_int(&r, i, 0) >= next) next = imp_int(&r, i, 0) + 1;
	db *d = imp_db(im);
	if (write && (imp_begin(im) || step_ok(d, db_prep(d, "DELETE FROM usergroup WHERE type = 'member'"), im))) goto fail;
	for (int i = 0; i < n; i++) {
		int64_t g = imp_int(&r, i, 0), lg;
		const char *type = imp_raw(&r, i, 1, NULL);
		if (!strcmp(type, "system")) {
			if (!(lg = system_group(g))) lg = 10;   /* an unknown system group: ordinary members */
			imp_group_map(im, g, lg);
			continue;
		}
		lg = g >= 10 && system_group(g) == 0 ? g : next++;
		imp_group_map(im, g, lg);
		if (!write) continue;
		const char *title = cut(&r.a, html_text(&r.a, imp_text(im, &r, i, 2, DZ_ESCAPED)), DZ_NAME_MAX);
		const char *color = imp_text(im, &r, i, 6, DZ_ESCAPED);
		int member = !strcmp(type, "member");
		db_stmt *s = db_prep(d, "INSERT INTO usergroup(groupid, type, title, stars, creditslower, creditshigher, allowvisit, "
		                        "allowpost, allowreply, color) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1, $8) "
		                        "ON CONFLICT(groupid) DO UPDATE SET type = excluded.type, title = excluded.title, "
		                        "stars = excluded.stars, creditslower = excluded.creditslower, "
		                        "creditshigher = excluded.creditshigher, color = excluded.color");
		db_bind_int(s, 1, lg);
		db_bind_text(s, 2, member ? "member" : "special", -1);
		db_bind_text(s, 3, *title ? title : "会员", -1);
		db_bind_int(s, 4, imp_int(&r, i, 5));
		/* Discuz!'s creditshigher is the band's lower bound, creditslower its upper one */
		db_bind_int(s, 5, member ? imp_int(&r, i, 3) : 0);
		db_bind_int(s, 6, member ? imp_int(&r, i, 4) : 0);
		db_bind_int(s, 7, imp_int(&r, i, 7) != 0 || !member);
		db_bind_text(s, 8, color_ok(color) ? color : "", -1);
		if (step_ok(d, s, im)) goto fail;
	}
	if (write && imp_commit(im)) goto fail;
	if (write && groups_load(d)) {
		imp_fail(im, "target: cannot reload groups");
		goto fail;
	}
	imp_rows_free(&r);
	return 0;
fail:
	imp_rollback(im);
	imp_rows_free(&r);
	return -1;
}

int dz_usergroups(struct imp *im) { return usergroups(im, 1); }
int dz_usergroups_map(struct imp *im) { return usergroups(im, 0); }

/* ---- members ------------------------------------------------------------------------ */

/* the contract with forum/password.c (IMPORT.md): what member.pwhash holds for a UCenter hash and salt */
static void pwhash(const char *hash, const char *salt, char *out, size_t cap) {
	size_t sl = strlen(salt), hl = strlen(hash);
	if (!hl) snprintf(out, cap, "dzunknown$");
	else if (!sl && hash[0] == '$') snprintf(out, cap, "%s", hash);   /* password_hash(): $2y$ $argon2i$ ... */
	else if (sl == 6 && hl == 32) {
		char low[33];
		for (int i = 0; i < 32; i++) low[i] = (char)(hash[i] >= 'A' && hash[i] <= 'F' ? hash[i] + 32 : hash[i]);
		low[32] = 0;
		snprintf(out, cap, "dzmd5$%s$%s", low, salt);
	} else snprintf(out, cap, "dzunknown$");
}

/* the select of one member table set (common_member or its _archive twins) */
static void member_select(struct imp *im, buf *b, const char *sfx) {
	char name[96];
	const char *uc = imp_uctable(im, "members");
#define T(x) (snprintf(name, sizeof name, "%s%s", x, sfx), imp_table(im, name))
	const char *m = T("common_member"), *c = T("common_member_count"), *st = T("common_member_status"),
	           *f = T("common_member_field_forum");
#undef T
	buf_puts(b, "(SELECT m.uid, m.username, m.email, m.groupid, m.adminid, m.regdate, m.credits, ");
	buf_puts(b, uc ? "u.password, u.salt, " : "'', '', ");
	buf_puts(b, c ? "c.extcredits1, c.extcredits2, c.extcredits3, c.posts, c.threads, c.digestposts, " : "0, 0, 0, 0, 0, 0, ");
	buf_puts(b, st ? "s.regip, s.lastvisit, " : "'', 0, ");
	buf_puts(b, f ? "f.sightml" : "''");
	buf_puts(b, " FROM ");
	buf_puts(b, m);
	buf_puts(b, " m");
	if (uc) buf_puts(b, " LEFT JOIN "), buf_puts(b, uc), buf_puts(b, " u ON u.uid = m.uid");
	if (c) buf_puts(b, " LEFT JOIN "), buf_puts(b, c), buf_puts(b, " c ON c.uid = m.uid");
	if (st) buf_puts(b, " LEFT JOIN "), buf_puts(b, st), buf_puts(b, " s ON s.uid = m.uid");
	if (f) buf_puts(b, " LEFT JOIN "), buf_puts(b, f), buf_puts(b, " f ON f.uid = m.uid");
	buf_puts(b, " WHERE m.uid > ? ORDER BY m.uid LIMIT ?)");
}

static void email_key(const char *email, char *out, size_t cap) {
	size_t i = 0;
	for (; email[i] && i + 1 < cap; i++) out[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ? email[i] + 32 : email[i]);
	out[i] = 0;
}

struct mrow {
	int64_t uid, groupid, adminid, regdate, lastvisit, credits, ext[3], posts, threads, digest;
	const char *name, *email, *regip, *sig_src;
	char key[256], skel[TEXT_SKELETON_MAX], ekey[256], hash[300];
	char *sig_html;
};

static int member_insert(struct imp *im, struct mrow *m, int *taken) {
	db *d = imp_db(im);
	db_stmt *s = db_prep(d, "INSERT INTO member(uid, username, username_key, email, email_key, pwhash, groupid, adminid, regdate, "
	                        "lastvisit, posts, threads, digestposts, credits, ext1, ext2, ext3, regip, name_skeleton) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) "
	                        "ON CONFLICT DO NOTHING RETURNING uid");
	db_bind_int(s, 1, m->uid);
	db_bind_text(s, 2, m->name, -1);
	db_bind_text(s, 3, m->key, -1);
	db_bind_text(s, 4, m->email, -1);
	db_bind_text(s, 5, m->ekey, -1);
	db_bind_text(s, 6, m->hash, -1);
	db_bind_int(s, 7, m->groupid);
	db_bind_int(s, 8, m->adminid);
	db_bind_int(s, 9, m->regdate);
	db_bind_int(s, 10, m->lastvisit);
	db_bind_int(s, 11, m->posts);
	db_bind_int(s, 12, m->threads);
	db_bind_int(s, 13, m->digest);
	db_bind_int(s, 14, m->credits);
	db_bind_int(s, 15, m->ext[0]);
	db_bind_int(s, 16, m->ext[1]);
	db_bind_int(s, 17, m->ext[2]);
	db_bind_text(s, 18, m->regip, -1);
	db_bind_text(s, 19, m->skel, -1);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_ERR) return imp_fail(im, "target: member %lld: %s", (long long)m->uid, db_errmsg(d));
	*taken = rc == DB_DONE;
	return 0;
}

/* PostgreSQL: the batch's members in one INSERT (those whose name key or skeleton collides are refused by
   ON CONFLICT and come back through member_insert), then their signatures in one more */
static int members_pg(struct imp *im, struct mrow *ms, int n) {
	db *d = imp_db(im);
	buf j;
	buf_init(&j, 0);
	int nj = 0, ns = 0;
	for (int i = 0; i < n; i++) {
		struct mrow *m = &ms[i];
		jrow(&j, &nj);
		jint(&j, "uid", m->uid), jstr(&j, "username", m->name), jstr(&j, "username_key", m->key);
		jstr(&j, "email", m->email), jstr(&j, "email_key", m->ekey), jstr(&j, "pwhash", m->hash);
		jint(&j, "groupid", m->groupid), jint(&j, "adminid", m->adminid), jint(&j, "regdate", m->regdate);
		jint(&j, "lastvisit", m->lastvisit), jint(&j, "posts", m->posts), jint(&j, "threads", m->threads);
		jint(&j, "digestposts", m->digest), jint(&j, "credits", m->credits), jint(&j, "ext1", m->ext[0]);
		jint(&j, "ext2", m->ext[1]), jint(&j, "ext3", m->ext[2]), jstr(&j, "regip", m->regip);
		jstr(&j, "name_skeleton", m->skel);
		buf_putc(&j, '}');
	}
	db_stmt *s = db_prep(d, "INSERT INTO member(uid, username, username_key, email, email_key, pwhash, groupid, adminid, regdate, "
	                        "lastvisit, posts, threads, digestposts, credits, ext1, ext2, ext3, regip, name_skeleton) "
	                        "SELECT x.uid, x.username, x.username_key, x.email, x.email_key, x.pwhash, x.groupid, x.adminid, "
	                        "x.regdate, x.lastvisit, x.posts, x.threads, x.digestposts, x.credits, x.ext1, x.ext2, x.ext3, x.regip, "
	                        "x.name_skeleton FROM json_to_recordset(CAST($1 AS json)) AS x(uid BIGINT, username TEXT, "
	                        "username_key TEXT, email TEXT, email_key TEXT, pwhash TEXT, groupid BIGINT, adminid BIGINT, "
	                        "regdate BIGINT, lastvisit BIGINT, posts BIGINT, threads BIGINT, digestposts BIGINT, credits BIGINT, "
	                        "ext1 BIGINT, ext2 BIGINT, ext3 BIGINT, regip TEXT, name_skeleton TEXT) ORDER BY x.uid "
	                        "ON CONFLICT DO NOTHING RETURNING uid");
	int rc = jbind(im, s, &j);
	if (!rc) {
		int st;
		while ((st = db_step(s)) == DB_ROW) imp_mark(im, IMP_UID, db_int(s, 0));
		db_done(s);
		if (st == DB_ERR) rc = imp_fail(im, "target: members: %s", db_errmsg(d));
	}
	buf_reset(&j);
	for (int i = 0; i < n && !rc; i++) {
		struct mrow *m = &ms[i];
		if (!m->sig_html) continue;
		jrow(&j, &ns);
		jint(&j, "uid", m->uid), jstr(&j, "sig_src", m->sig_src), jstr(&j, "sig_html", m->sig_html), jint(&j, "updated", m->regdate);
		buf_putc(&j, '}');
	}
	if (!rc && ns) {
		s = db_prep(d, "INSERT INTO profile(uid, sig_src, sig_html, updated) SELECT x.uid, x.sig_src, x.sig_html, x.updated "
		               "FROM json_to_recordset(CAST($1 AS json)) AS x(uid BIGINT, sig_src TEXT, sig_html TEXT, updated BIGINT) "
		               "WHERE x.uid IN (SELECT uid FROM member) "
		               "ON CONFLICT(uid) DO UPDATE SET sig_src = excluded.sig_src, sig_html = excluded.sig_html");
		if (!(rc = jbind(im, s, &j))) rc = step_ok(d, s, im);
	}
	buf_release(&j);
	return rc;
}

int dz_members(struct imp *im) {
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT * FROM (");
	member_select(im, &sql, "");
	int archive = imp_table(im, "common_member_archive") != NULL;
	if (archive) {
		buf_puts(&sql, " UNION ALL ");
		member_select(im, &sql, "_archive");
	}
	buf_puts(&sql, ") x ORDER BY uid LIMIT ?");
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, "members", buf_cstr(&sql), archive ? "KLKLL" : "KLL");
	buf_release(&sql);
	if (!rc) {
		k.total = imp_count_of(im, imp_table(im, "common_member"), "COUNT(*)");
		if (archive) k.total += imp_count_of(im, imp_table(im, "common_member_archive"), "COUNT(*)");
	}
	struct mrow *ms = xcalloc(IMP_BATCH, sizeof *ms);
	db *d = imp_db(im);
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		rc = 0;
		for (int i = 0; i < n; i++) {   /* convert and render first: no transaction is open */
			struct mrow *m = &ms[i];
			free(m->sig_html);
			memset(m, 0, sizeof *m);
			m->uid = imp_int(&k.rows, i, 0);
			m->name = imp_text(im, &k.rows, i, 1, DZ_ESCAPED);
			m->email = imp_text(im, &k.rows, i, 2, DZ_ESCAPED);
			m->credits = imp_int(&k.rows, i, 6);
			m->groupid = imp_group(im, imp_int(&k.rows, i, 3), m->credits);
			m->adminid = imp_int(&k.rows, i, 4) > 0 ? imp_int(&k.rows, i, 4) : 0;
			m->regdate = imp_int(&k.rows, i, 5);
			pwhash(imp_raw(&k.rows, i, 7, NULL), imp_raw(&k.rows, i, 8, NULL), m->hash, sizeof m->hash);
			for (int e = 0; e < 3; e++) m->ext[e] = imp_int(&k.rows, i, 9 + e);
			m->posts = imp_int(&k.rows, i, 12);
			m->threads = imp_int(&k.rows, i, 13);
			m->digest = imp_int(&k.rows, i, 14);
			m->regip = imp_text(im, &k.rows, i, 15, DZ_RAW);
			m->lastvisit = imp_int(&k.rows, i, 16);
			email_key(m->email, m->ekey, sizeof m->ekey);
			if (user_name_key(m->name, m->key, sizeof m->key) ||
			    user_name_skeleton(m->name, m->skel, sizeof m->skel)) {
				/* a name loulan would refuse (spaces at the ends, <>"'&\/,|): kept as it is, signs in by e-mail */
				snprintf(m->key, sizeof m->key, "%s|%lld", m->name, (long long)m->uid);
				snprintf(m->skel, sizeof m->skel, "%s|%lld", m->name, (long long)m->uid);
				imp_report_list(im, "members whose name loulan does not accept (they sign in with their e-mail)",
				                "uid %lld %s", (long long)m->uid, m->name);
			}
			const char *sightml = imp_text(im, &k.rows, i, 17, DZ_RAW);
			if (*sightml) {
				buf b;
				buf_init(&b, 0);
				dz_html_to_bbcode(sightml, strlen(sightml), &b);
				m->sig_src = cut(&k.rows.a, arena_strndup(&k.rows.a, b.data ? b.data : "", b.len), DZ_SIG_MAX);
				buf_reset(&b);
				if (!bbcode_render_only(&b, m->sig_src, strlen(m->sig_src), BBCODE_SIG) && !b.err)
					m->sig_html = buf_detach(&b, NULL);
				buf_release(&b);
			}
		}
		if (imp_begin(im)) {
			rc = -1;
			break;
		}
		if (db_kind(d) == DB_PG) rc = members_pg(im, ms, n);
		for (int i = 0; i < n && !rc; i++) {
			struct mrow *m = &ms[i];
			int taken = 0;
			if (db_kind(d) == DB_PG) {
				if (!imp_has(im, IMP_UID, m->uid)) taken = 1;   /* refused by the batch: its name collides */
				else continue;
			} else {
				rc = member_insert(im, m, &taken);
			}
			if (!rc && taken) {
				/* an earlier member holds the same name key or look-alike skeleton: this one signs in by e-mail */
				imp_report_list(im, "members whose name looks like an earlier one's (kept; a name key taken: they sign in with their e-mail)",
				                "uid %lld %s", (long long)m->uid, m->name);
				/* first the look-alike skeleton only (the name still signs in), then the name key too */
				char tmp2[sizeof m->skel];
				snprintf(tmp2, sizeof tmp2, "%s", m->skel);
				snprintf(m->skel, sizeof m->skel, "%.900s|%lld", tmp2, (long long)m->uid);
				rc = member_insert(im, m, &taken);
				if (!rc && taken) {
					char tmp[sizeof m->key];
					snprintf(tmp, sizeof tmp, "%s", m->key);
					snprintf(m->key, sizeof m->key, "%.200s|%lld", tmp, (long long)m->uid);
					rc = member_insert(im, m, &taken);
				}
				if (!rc && taken) rc = imp_fail(im, "member %lld cannot be written (uid taken?)", (long long)m->uid);
			}
			if (!rc && m->sig_html && (db_kind(d) == DB_SQLITE || taken)) {
				db_stmt *s = db_prep(d, "INSERT INTO profile(uid, sig_src, sig_html, updated) VALUES ($1, $2, $3, $4) "
				                        "ON CONFLICT(uid) DO UPDATE SET sig_src = excluded.sig_src, sig_html = excluded.sig_html");
				db_bind_int(s, 1, m->uid);
				db_bind_text(s, 2, m->sig_src, -1);
				db_bind_text(s, 3, m->sig_html, -1);
				db_bind_int(s, 4, m->regdate);
				rc = step_ok(d, s, im);
			}
			if (!rc) imp_mark(im, IMP_UID, m->uid);
		}
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	for (int i = 0; i < IMP_BATCH; i++) free(ms[i].sig_html);
	free(ms);
	imp_keyset_close(&k);
	return rc < 0 ? -1 : 0;
}

/* ---- boards ---------------------------------------------------------------------- */

struct frow {
	int64_t fid, fup, status, order, ptype_group, pfup, requiretype;
	char type[8];
	const char *name, *desc, *rules, *perm[4];
};

/* Discuz!'s "\t1\t2\t7\t" group lists: is loulan group lg (a mapped Discuz! id) in it? */
static int perm_has(struct imp *im, const char *list, int64_t lg) {
	for (const char *p = list; *p;) {
		while (*p == '\t' || *p == ' ') p++;
		if (!*p) break;
		char *e;
		long g = strtol(p, &e, 10);
		if (e == p) break;
		if (imp_group(im, g, 0) == lg) return 1;
		p = e;
	}
	return 0;
}

static int board_perms(struct imp *im, const struct frow *f) {
	int any = 0;
	for (int i = 0; i < 4; i++)
		for (const char *p = f->perm[i]; *p; p++)
			if (*p >= '0' && *p <= '9') any = 1;
	if (!any) return 0;
	db *d = imp_db(im);
	int64_t gids[256];
	int ng = groups_ids(gids, 256);
	for (int g = 0; g < ng; g++) {
		const struct group *gr = group_get(gids[g]);
		int allow[4];
		allow[0] = *f->perm[0] ? perm_has(im, f->perm[0], gids[g]) : 1;
		allow[1] = *f->perm[1] ? perm_has(im, f->perm[1], gids[g]) : gr->allowpost != 0;
		allow[2] = *f->perm[2] ? perm_has(im, f->perm[2], gids[g]) : gr->allowreply != 0;
		allow[3] = *f->perm[3] ? perm_has(im, f->perm[3], gids[g]) : gr->allowpost != 0;
		/* the moderators' groups keep what Discuz! gives them whatever the lists say */
		if (gids[g] <= 3) allow[0] = allow[1] = allow[2] = allow[3] = 1;
		db_stmt *s = db_prep(d, "INSERT INTO board_perm(fid, groupid, allowview, allowpost, allowreply, allowupload) "
		                        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(fid, groupid) DO UPDATE SET "
		                        "allowview = excluded.allowview, allowpost = excluded.allowpost, "
		                        "allowreply = excluded.allowreply, allowupload = excluded.allowupload");
		db_bind_int(s, 1, f->fid);
		db_bind_int(s, 2, gids[g]);
		for (int i = 0; i < 4; i++) db_bind_int(s, 3 + i, allow[i]);
		if (step_ok(d, s, im)) return -1;
	}
	return 0;
}

int dz_boards(struct imp *im) {
	const char *ff = imp_table(im, "forum_forum"), *fi = imp_table(im, "forum_forumfield"),
	           *tc = imp_table(im, "forum_threadclass");
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT f.fid, f.fup, f.type, f.name, f.status, f.displayorder, COALESCE(p.type, ''), COALESCE(p.fup, 0), ");
	buf_puts(&sql, fi ? "x.description, x.rules, x.viewperm, x.postperm, x.replyperm, x.postattachperm, x.threadtypes"
	                  : "'', '', '', '', '', '', ''");
	buf_puts(&sql, " FROM ");
	buf_puts(&sql, ff);
	buf_puts(&sql, " f LEFT JOIN ");
	buf_puts(&sql, ff);
	buf_puts(&sql, " p ON p.fid = f.fup");
	if (fi) buf_puts(&sql, " LEFT JOIN "), buf_puts(&sql, fi), buf_puts(&sql, " x ON x.fid = f.fid");
	buf_puts(&sql, " WHERE f.fid > ? ORDER BY f.fid LIMIT ?");
	struct imp_query q;
	struct imp_rows r;
	imp_rows_init(&r);
	int rc = imp_prepare(im, &q, buf_cstr(&sql));
	buf_release(&sql);
	if (rc) {
		imp_rows_free(&r);
		return -1;
	}
	/* a site has hundreds of forums: all of them in memory, categories written before boards */
	arena a;
	arena_init(&a);
	struct frow *fs = NULL;
	int nf = 0, cap = 0;
	int64_t last = 0;
	for (;;) {
		int64_t p[2] = {last, IMP_BATCH};
		int n = imp_exec(&q, p, 2, &r);
		if (n < 0) {
			rc = -1;
			break;
		}
		for (int i = 0; i < n && nf < DZ_FORUMS_MAX; i++) {
			if (nf == cap) {
				cap = cap ? cap * 2 : 64;
				fs = realloc(fs, sizeof *fs * (size_t)cap);
				if (!fs) die_oom();
			}
			struct frow *f = &fs[nf++];
			memset(f, 0, sizeof *f);
			f->fid = last = imp_int(&r, i, 0);
			f->fup = imp_int(&r, i, 1);
			snprintf(f->type, sizeof f->type, "%s", imp_raw(&r, i, 2, NULL));
			f->name = cut(&a, html_text(&a, imp_text(im, &r, i, 3, DZ_ESCAPED)), DZ_NAME_MAX);
			f->status = imp_int(&r, i, 4);
			f->order = imp_int(&r, i, 5);
			f->ptype_group = !strcmp(imp_raw(&r, i, 6, NULL), "group");
			f->pfup = imp_int(&r, i, 7);
			f->desc = cut(&a, html_text(&a, imp_text(im, &r, i, 8, DZ_RAW)), DZ_DESC_MAX);
			f->rules = cut(&a, html_text(&a, imp_text(im, &r, i, 9, DZ_RAW)), DZ_RULES_MAX);
			for (int k = 0; k < 4; k++) f->perm[k] = arena_strdup(&a, imp_raw(&r, i, 10 + k, NULL));
			size_t tl;
			const char *tt = imp_raw(&r, i, 14, &tl);
			struct php_val *v;
			if (tl && !php_unserialize(tt, tl, &a, &v)) f->requiretype = php_int(php_get(v, "required")) != 0;
		}
		if (n < IMP_BATCH) break;
	}
	imp_query_close(&q);
	db *d = imp_db(im);
	int64_t nocat = 0;
	if (!rc && imp_begin(im)) rc = -1;
	/* categories: type group (status 3 = a 群组 of the group module: not forum content) */
	for (int i = 0; i < nf && !rc; i++) {
		struct frow *f = &fs[i];
		if (strcmp(f->type, "group") || f->status == 3) continue;
		db_stmt *s = db_prep(d, "INSERT INTO category(cid, name, displayorder) VALUES ($1, $2, $3)");
		db_bind_int(s, 1, f->fid);
		db_bind_text(s, 2, *f->name ? f->name : "分区", -1);
		db_bind_int(s, 3, f->order);
		rc = step_ok(d, s, im);
	}
	for (int i = 0; i < nf && !rc; i++) {
		struct frow *f = &fs[i];
		if (!strcmp(f->type, "group")) continue;
		if (f->status == 3) {
			imp_report_list(im, "forums of the group module (status 3) not imported", "fid %lld \"%s\"", (long long)f->fid, f->name);
			continue;
		}
		int sub = !strcmp(f->type, "sub");
		int64_t cid = sub ? f->pfup : f->fup, parent = sub ? f->fup : 0;
		if (sub && f->ptype_group) cid = f->fup, parent = 0;   /* a sub-board straight under a category */
		/* a category the site lost or a 群组 one: the boards go into one made for them */
		int found = 0;
		for (int j = 0; j < nf; j++)
			if (fs[j].fid == cid && !strcmp(fs[j].type, "group") && fs[j].status != 3) found = 1;
		if (!found) {
			if (!nocat) {
				db_stmt *s = db_prep(d, "INSERT INTO category(name, displayorder) VALUES ('未分类', 9999) RETURNING cid");
				if (db_step(s) == DB_ROW) nocat = db_int(s, 0);
				db_done(s);
				if (!nocat) rc = imp_fail(im, "target: %s", db_errmsg(d));
			}
			cid = nocat;
		}
		/* a hidden board, or one under a hidden category or parent, stays hidden */
		int hidden = f->status == 0;
		for (int j = 0; j < nf; j++)
			if ((fs[j].fid == f->fup || (sub && fs[j].fid == f->pfup)) && fs[j].status == 0) hidden = 1;
		db_stmt *s = db_prep(d, "INSERT INTO board(fid, cid, name, description, displayorder, hidden, parent, rules, requiretype) "
		                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
		db_bind_int(s, 1, f->fid);
		db_bind_int(s, 2, cid);
		db_bind_text(s, 3, *f->name ? f->name : "版块", -1);
		db_bind_text(s, 4, f->desc, -1);
		db_bind_int(s, 5, f->order);
		db_bind_int(s, 6, hidden);
		db_bind_int(s, 7, parent);
		db_bind_text(s, 8, f->rules, -1);
		db_bind_int(s, 9, f->requiretype);
		if (!rc) rc = step_ok(d, s, im);
		else db_done(s);
		if (!rc) rc = board_perms(im, f);
		if (!rc) imp_mark(im, IMP_FID, f->fid);
	}
	/* thread types (主题分类): typeids kept, the board's list "typeid|name\n" */
	if (!rc && tc) {
		buf_init(&sql, 0);
		buf_puts(&sql, "SELECT typeid, fid, name, displayorder FROM ");
		buf_puts(&sql, tc);
		buf_puts(&sql, " WHERE typeid > ? ORDER BY typeid LIMIT ?");
		last = 0;
		if (imp_prepare(im, &q, buf_cstr(&sql))) rc = -1;
		buf_release(&sql);
		while (!rc) {
			int64_t p[2] = {last, IMP_BATCH};
			int n = imp_exec(&q, p, 2, &r);
			if (n < 0) rc = -1;
			for (int i = 0; i < n && !rc; i++) {
				int64_t typeid = last = imp_int(&r, i, 0), fid = imp_int(&r, i, 1);
				if (!imp_has(im, IMP_FID, fid)) continue;
				const char *name = cut(&r.a, html_text(&r.a, imp_text(im, &r, i, 2, DZ_ESCAPED)), DZ_NAME_MAX);
				db_stmt *s = db_prep(d, "INSERT INTO threadtype(typeid, fid, name, displayorder) VALUES ($1, $2, $3, $4)");
				db_bind_int(s, 1, typeid);
				db_bind_int(s, 2, fid);
				db_bind_text(s, 3, name, -1);
				db_bind_int(s, 4, imp_int(&r, i, 3));
				rc = step_ok(d, s, im);
				if (rc) break;
				s = db_prep(d, "UPDATE board SET types = types || $2 WHERE fid = $1");
				db_bind_int(s, 1, fid);
				db_bind_text(s, 2, arena_sprintf(&r.a, "%lld|%s\n", (long long)typeid, name), -1);
				rc = step_ok(d, s, im);
			}
			if (n < IMP_BATCH) break;
		}
		imp_query_close(&q);
	}
	if (!rc) rc = imp_commit(im);
	else imp_rollback(im);
	free(fs);
	arena_free(&a);
	imp_rows_free(&r);
	return rc ? -1 : 0;
}

int dz_moderators(struct imp *im) {
	const char *t = imp_table(im, "forum_moderator");
	if (!t) return 0;
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT uid, fid FROM ");
	buf_puts(&sql, t);
	buf_puts(&sql, " ORDER BY uid, fid");
	struct imp_rows r;
	imp_rows_init(&r);
	int n = imp_select(im, buf_cstr(&sql), NULL, 0, &r), rc = n < 0 ? -1 : 0;
	buf_release(&sql);
	db *d = imp_db(im);
	if (!rc) rc = imp_begin(im);
	for (int i = 0; i < n && !rc; i++) {
		int64_t uid = imp_int(&r, i, 0), fid = imp_int(&r, i, 1);
		if (!imp_has(im, IMP_UID, uid) || !imp_has(im, IMP_FID, fid)) continue;
		db_stmt *s = db_prep(d, "INSERT INTO moderator(fid, uid, created) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING");
		db_bind_int(s, 1, fid);
		db_bind_int(s, 2, uid);
		rc = step_ok(d, s, im);
	}
	if (!rc) rc = imp_commit(im);
	else imp_rollback(im);
	imp_rows_free(&r);
	return rc ? -1 : 0;
}

/* ---- threads ---------------------------------------------------------------------- */

/* the post table of a thread (posttableid), quoted, or NULL */
static const char *post_table(struct imp *im, int64_t ptid) {
	char name[32];
	if (ptid) snprintf(name, sizeof name, "forum_post_%lld", (long long)ptid);
	else snprintf(name, sizeof name, "forum_post");
	return imp_table(im, name);
}

/* the BBCode source of a Discuz! message: raw BBCode as is; htmlon = 1 HTML through the converter */
static const char *message_source(struct imp *im, arena *a, const char *raw, size_t n, int htmlon) {
	const char *u = imp_conv(im, a, raw, n, DZ_RAW);
	if (!htmlon) return u;
	buf b;
	buf_init(&b, 0);
	dz_html_to_bbcode(u, strlen(u), &b);
	char *out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_release(&b);
	return out;
}

/* a thread awaiting moderation (displayorder -2): its first post into the 审核 queue */
static int pending_thread(struct imp *im, arena *a, int64_t tid, int64_t fid, int64_t ptid, int64_t authorid, const char *author,
                          const char *subject, int64_t typeid, int64_t created) {
	const char *pt = post_table(im, ptid);
	if (!pt) return 0;
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT message, htmlon FROM ");
	buf_puts(&sql, pt);
	buf_puts(&sql, " WHERE tid = ? AND first = 1 LIMIT 1");
	struct imp_rows r;
	imp_rows_init(&r);
	int64_t p = tid;
	int n = imp_select(im, buf_cstr(&sql), &p, 1, &r);
	buf_release(&sql);
	int rc = n < 0 ? -1 : 0;
	if (n > 0) {
		size_t ml;
		const char *m = imp_raw(&r, 0, 0, &ml);
		const char *src = message_source(im, a, m, ml, imp_int(&r, 0, 1) != 0);
		db *d = imp_db(im);
		db_stmt *s = db_prep(d, "INSERT INTO pending_post(fid, tid, uid, author, subject, source, format, typeid, created) "
		                        "VALUES ($1, 0, $2, $3, $4, $5, 'bbcode', $6, $7)");
		db_bind_int(s, 1, fid);
		db_bind_int(s, 2, authorid);
		db_bind_text(s, 3, author, -1);
		db_bind_text(s, 4, subject, -1);
		db_bind_text(s, 5, src, -1);
		db_bind_int(s, 6, typeid);
		db_bind_int(s, 7, created);
		rc = step_ok(d, s, im);
	}
	imp_rows_free(&r);
	return rc;
}

static int threads_of(struct imp *im, const char *table) {
	const char *av = imp_table(im, "forum_threadaddviews");
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT t.tid, t.fid, t.posttableid, t.typeid, t.author, t.authorid, t.subject, t.dateline, t.lastpost, "
	               "t.lastposter, t.views, t.replies, t.displayorder, t.highlight, t.digest, t.closed, t.maxposition, ");
	buf_puts(&sql, av ? "COALESCE(a.addviews, 0)" : "0");
	buf_puts(&sql, " FROM ");
	buf_puts(&sql, table);
	buf_puts(&sql, " t");
	if (av) buf_puts(&sql, " LEFT JOIN "), buf_puts(&sql, av), buf_puts(&sql, " a ON a.tid = t.tid");
	buf_puts(&sql, " WHERE t.tid > ? ORDER BY t.tid LIMIT ?");
	char key[IMP_KEY_MAX];
	snprintf(key, sizeof key, "threads:%.100s", table);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, key, buf_cstr(&sql), NULL);
	buf_release(&sql);
	if (!rc) k.total = imp_count_of(im, table, "COUNT(*)");
	db *d = imp_db(im);
	int pg = db_kind(d) == DB_PG, nj = 0;
	buf j;
	buf_init(&j, 0);
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		rc = 0;
		const char **subj = arena_alloc(&k.rows.a, sizeof *subj * (size_t)n);
		for (int i = 0; i < n; i++) subj[i] = imp_text(im, &k.rows, i, 6, DZ_ESCAPED);
		if (imp_begin(im)) {
			rc = -1;
			break;
		}
		for (int i = 0; i < n && !rc; i++) {
			struct imp_rows *r = &k.rows;
			int64_t tid = imp_int(r, i, 0), fid = imp_int(r, i, 1), order = imp_int(r, i, 12), authorid = imp_int(r, i, 5);
			const char *author = imp_text(im, r, i, 4, DZ_ESCAPED);
			if (!imp_has(im, IMP_FID, fid)) {
				imp_report_list(im, "threads of boards not imported", "tid %lld (fid %lld)", (long long)tid, (long long)fid);
				continue;
			}
			if (order == -2) {
				rc = pending_thread(im, &r->a, tid, fid, imp_int(r, i, 2), authorid, author, subj[i], imp_int(r, i, 3),
				                    imp_int(r, i, 7));
				continue;
			}
			if (order < -2) continue;   /* -3 审核忽略, -4 草稿: never shown on Discuz! either */
			int64_t hl = imp_int(r, i, 13), closed = imp_int(r, i, 15);
			int64_t highlight = (hl % 10) | (((hl / 10) & 4) ? 16 : 0);
			int anonymous = !*author && authorid > 0;
			if (pg) {
				jrow(&j, &nj);
				jint(&j, "tid", tid), jint(&j, "fid", fid), jint(&j, "typeid", imp_int(r, i, 3)), jstr(&j, "subject", subj[i]);
				jint(&j, "authorid", authorid), jstr(&j, "author", author), jint(&j, "created", imp_int(r, i, 7));
				jint(&j, "lastpost", imp_int(r, i, 8)), jstr(&j, "lastposter", imp_text(im, r, i, 9, DZ_ESCAPED));
				jint(&j, "replies", imp_int(r, i, 11)), jint(&j, "views", imp_int(r, i, 10) + imp_int(r, i, 17));
				jint(&j, "sticky", order > 3 ? 3 : order > 0 ? order : 0), jint(&j, "digest", imp_int(r, i, 14));
				jint(&j, "closed", closed != 0), jint(&j, "hidden", order == -1);
				jint(&j, "hiddenat", order == -1 ? imp_int(r, i, 8) : 0), jint(&j, "maxposition", imp_int(r, i, 16));
				jint(&j, "highlight", highlight), jint(&j, "moved", closed > 1 ? closed : 0), jint(&j, "anonymous", anonymous);
				buf_putc(&j, '}');
				if (order == -1) imp_mark(im, IMP_HIDDEN, tid);
				continue;
			}
			db_stmt *s = db_prep(d, "INSERT INTO thread(tid, fid, typeid, subject, authorid, author, created, lastpost, lastposter, "
			                        "replies, views, sticky, digest, closed, hidden, hiddenat, maxposition, highlight, moved, anonymous) "
			                        "VALUES ($1, $2, $3, $4, $5, CASE WHEN $19 = 1 THEN COALESCE((SELECT username FROM member "
			                        "WHERE uid = $5), '') ELSE $6 END, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
			                        "$20, $19) ON CONFLICT (tid) DO NOTHING RETURNING tid");
			db_bind_int(s, 1, tid);
			db_bind_int(s, 2, fid);
			db_bind_int(s, 3, imp_int(r, i, 3));
			db_bind_text(s, 4, subj[i], -1);
			db_bind_int(s, 5, authorid);
			db_bind_text(s, 6, author, -1);
			db_bind_int(s, 7, imp_int(r, i, 7));
			db_bind_int(s, 8, imp_int(r, i, 8));
			db_bind_text(s, 9, imp_text(im, r, i, 9, DZ_ESCAPED), -1);
			db_bind_int(s, 10, imp_int(r, i, 11));
			db_bind_int(s, 11, imp_int(r, i, 10) + imp_int(r, i, 17));
			db_bind_int(s, 12, order > 3 ? 3 : order > 0 ? order : 0);
			db_bind_int(s, 13, imp_int(r, i, 14));
			db_bind_int(s, 14, closed != 0);
			db_bind_int(s, 15, order == -1);
			db_bind_int(s, 16, order == -1 ? imp_int(r, i, 8) : 0);
			db_bind_int(s, 17, imp_int(r, i, 16));
			db_bind_int(s, 18, highlight);
			db_bind_int(s, 19, anonymous);
			db_bind_int(s, 20, closed > 1 ? closed : 0);
			int st = db_step(s);
			db_done(s);
			if (st == DB_ERR) rc = imp_fail(im, "target: thread %lld: %s", (long long)tid, db_errmsg(d));
			else if (st == DB_DONE) {   /* the same tid in two thread tables (a split that stopped half-way) */
				imp_report_list(im, "threads found in two thread tables (the first kept)", "tid %lld in %s", (long long)tid, table);
				continue;
			}
			if (!rc) imp_mark(im, IMP_TID, tid);
			if (!rc && order == -1) imp_mark(im, IMP_HIDDEN, tid);
		}
		if (!rc && nj) {   /* PostgreSQL: the batch in one INSERT; the tids it returns were written */
			db_stmt *s = db_prep(d, "INSERT INTO thread(tid, fid, typeid, subject, authorid, author, created, lastpost, lastposter, "
			                        "replies, views, sticky, digest, closed, hidden, hiddenat, maxposition, highlight, moved, anonymous) "
			                        "SELECT x.tid, x.fid, x.typeid, x.subject, x.authorid, CASE WHEN x.anonymous = 1 THEN "
			                        "COALESCE((SELECT username FROM member WHERE uid = x.authorid), '') ELSE x.author END, x.created, "
			                        "x.lastpost, x.lastposter, x.replies, x.views, x.sticky, x.digest, x.closed, x.hidden, x.hiddenat, "
			                        "x.maxposition, x.highlight, x.moved, x.anonymous FROM json_to_recordset(CAST($1 AS json)) AS "
			                        "x(tid BIGINT, fid BIGINT, typeid BIGINT, subject TEXT, authorid BIGINT, author TEXT, created BIGINT, "
			                        "lastpost BIGINT, lastposter TEXT, replies BIGINT, views BIGINT, sticky BIGINT, digest BIGINT, "
			                        "closed BIGINT, hidden BIGINT, hiddenat BIGINT, maxposition BIGINT, highlight BIGINT, moved BIGINT, "
			                        "anonymous BIGINT) ON CONFLICT (tid) DO NOTHING RETURNING tid");
			if (!(rc = jbind(im, s, &j))) {
				int st;
				while ((st = db_step(s)) == DB_ROW) imp_mark(im, IMP_TID, db_int(s, 0));
				db_done(s);
				if (st == DB_ERR) rc = imp_fail(im, "target: threads: %s", db_errmsg(d));
			}
			buf_reset(&j);
			nj = 0;
			for (int i = 0; i < n && !rc; i++) {
				int64_t tid = imp_int(&k.rows, i, 0), order = imp_int(&k.rows, i, 12);
				if (order >= -1 && imp_has(im, IMP_FID, imp_int(&k.rows, i, 1)) && !imp_has(im, IMP_TID, tid))
					imp_report_list(im, "threads found in two thread tables (the first kept)", "tid %lld in %s", (long long)tid, table);
			}
		}
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	buf_release(&j);
	imp_keyset_close(&k);
	return rc < 0 ? -1 : 0;
}

int dz_threads(struct imp *im) {
	int n;
	const char *const *ts = imp_tables_split(im, "forum_thread", &n);
	for (int i = 0; i < n; i++)
		if (threads_of(im, ts[i])) return -1;
	return 0;
}

/* ---- posts -------------------------------------------------------------------------- */

/* "[i=s] 本帖最后由 NAME 于 2023-12-21 10:05 编辑 [/i]" at the start of a message: the editor and when
   (local time of the site: timeoffset hours east); returns where the message goes on after the stamp (and
   the blank lines Discuz! put after it), or NULL when it does not start with one. The stamp leaves the
   source: loulan shows its own line from post.edited/editor, and writes it again when the post is edited
   here, so a kept stamp would show twice. */
static const char *edit_stamp(const char *m, int64_t tzh, char *editor, size_t cap, int64_t *when) {
	while (*m == ' ' || *m == '\n' || *m == '\r') m++;
	if (strncmp(m, "[i=s]", 5)) return NULL;
	const char *p = strstr(m, "本帖最后由 "), *end = strstr(m, "[/i]");
	if (!p || !end || p > end) return NULL;
	p += strlen("本帖最后由 ");
	const char *yu = strstr(p, " 于 ");
	if (!yu || yu > end) return NULL;
	snprintf(editor, cap, "%.*s", (int)(yu - p < 60 ? yu - p : 60), p);
	int y, mo, dd, hh, mi;
	if (sscanf(yu + strlen(" 于 "), "%d-%d-%d %d:%d", &y, &mo, &dd, &hh, &mi) != 5) return NULL;
	struct tm tm = {0};
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = dd, tm.tm_hour = hh, tm.tm_min = mi;
	*when = (int64_t)timegm(&tm) - tzh * 3600;
	end += strlen("[/i]");
	while (*end == ' ' || *end == '\n' || *end == '\r') end++;
	return end;
}

struct prow { char *html, *text; const char *source, *title, *author, *ip; char editor[64]; int64_t edited; int failed; };

/* a batch of posts: the rows read and what was made of them */
struct pslot { struct imp_rows rows; struct prow ps[IMP_BATCH]; int n; };
struct pjob { struct imp *im; struct imp_keyset *k; struct pslot *slot; int64_t after; };

/* reads the batch after job->after and converts and renders it: runs in the reader thread while the
   previous batch is written (the source connection and the converter are the reader's meanwhile) */
static void *posts_read(void *arg) {
	struct pjob *j = arg;
	struct imp *im = j->im;
	struct pslot *sl = j->slot;
	struct imp_rows *r = &sl->rows;
	int64_t tzh = imp_site(im)->timeoffset;
	sl->n = imp_keyset_fetch(j->k, j->after, r);
	for (int i = 0; i < sl->n; i++) {
		struct prow *p = &sl->ps[i];
		free(p->html);
		free(p->text);
		memset(p, 0, sizeof *p);
		int64_t tid = imp_int(r, i, 1), inv = imp_int(r, i, 9);
		if (!imp_has(im, IMP_TID, tid) || inv == -3 || inv == -4) continue;
		size_t ml;
		const char *m = imp_raw(r, i, 7, &ml);
		p->source = message_source(im, &r->a, m, ml, imp_int(r, i, 11) != 0);
		p->author = imp_text(im, r, i, 4, DZ_ESCAPED);
		p->ip = imp_text(im, r, i, 8, DZ_RAW);
		const char *after = edit_stamp(p->source, tzh, p->editor, sizeof p->editor, &p->edited);
		if (after) p->source = after;
		if (inv == -2) continue;   /* the 审核 queue holds the source only */
		if (forum_cook("bbcode", p->source, &p->html)) {
			p->failed = 1;
			buf b;
			buf_init(&b, 0);
			buf_html(&b, p->source, strlen(p->source));
			p->html = buf_detach(&b, NULL);
		}
		/* the search index, in the batch's transaction: undeleted posts of visible threads (search_index_post's rule) */
		if (inv != -5 && !imp_has(im, IMP_HIDDEN, tid)) {
			p->text = search_html_text(p->html);
			p->title = imp_int(r, i, 13) == 1 ? imp_text(im, r, i, 14, DZ_ESCAPED) : "";
		}
	}
	return NULL;
}

/* one transaction: the batch's posts (pending ones into the 审核 queue), their search rows, import_state.
   The posts go in through db_copy: PostgreSQL's COPY (a round trip per row would cost more than the row),
   SQLite's prepared INSERT per row. */
static int posts_write(struct imp *im, struct imp_keyset *k, struct pslot *sl, struct search_batch *sb) {
	db *d = imp_db(im);
	struct imp_rows *r = &sl->rows;
	int n = sl->n, rc = 0;
	if (imp_begin(im)) return -1;
	for (int i = 0; i < n && !rc; i++) {   /* replies awaiting moderation: the 审核 queue */
		struct prow *p = &sl->ps[i];
		if (!p->source) continue;
		if (p->failed)
			imp_report_list(im, "posts whose text could not be rendered (kept as their BBCode source)", "pid %lld",
			                (long long)imp_int(r, i, 0));
		if (imp_int(r, i, 9) != -2) continue;
		db_stmt *s = db_prep(d, "INSERT INTO pending_post(fid, tid, uid, author, subject, source, format, typeid, created) "
		                        "VALUES ($1, $2, $3, $4, '', $5, 'bbcode', 0, $6)");
		db_bind_int(s, 1, imp_int(r, i, 2));
		db_bind_int(s, 2, imp_int(r, i, 1));
		db_bind_int(s, 3, imp_int(r, i, 5));
		db_bind_text(s, 4, p->author, -1);
		db_bind_text(s, 5, p->source, -1);
		db_bind_int(s, 6, imp_int(r, i, 6));
		rc = step_ok(d, s, im);
	}
	db_copy *c = rc ? NULL : db_copy_begin(d, "post", "pid, tid, fid, position, authorid, author, created, format, source, html, "
	                                              "edited, editor, deleted, ip, banned, warned, anonymous");
	if (!rc && !c) rc = imp_fail(im, "target: posts: %s", db_errmsg(d));
	for (int i = 0; i < n && !rc; i++) {
		struct prow *p = &sl->ps[i];
		int64_t inv = imp_int(r, i, 9), status = imp_int(r, i, 12);
		if (!p->source || inv == -2) continue;
		db_copy_int(c, imp_int(r, i, 0));
		db_copy_int(c, imp_int(r, i, 1));
		db_copy_int(c, imp_int(r, i, 2));
		db_copy_int(c, imp_int(r, i, 13));
		db_copy_int(c, imp_int(r, i, 5));
		db_copy_text(c, p->author, -1);
		db_copy_int(c, imp_int(r, i, 6));
		db_copy_text(c, "bbcode", 6);
		db_copy_text(c, p->source, -1);
		db_copy_text(c, p->html, -1);
		db_copy_int(c, p->edited);
		db_copy_text(c, p->editor, -1);
		db_copy_int(c, inv == -5);   /* -5: a reply in the recycle bin; -1: its thread is (thread.hidden) */
		db_copy_text(c, p->ip, -1);
		db_copy_int(c, (status & 1) != 0);
		db_copy_int(c, (status & 2) != 0);
		db_copy_int(c, imp_int(r, i, 10) != 0);
		if (db_copy_row(c)) rc = -1;
	}
	if (c && db_copy_end(c)) rc = -1;
	if (rc && !imp_fail(im, "target: posts of %s: %s", k->key, db_errmsg(d))) rc = -1;
	for (int i = 0; i < n && !rc; i++) {
		struct prow *p = &sl->ps[i];
		if (!p->source || imp_int(r, i, 9) == -2) continue;
		if (p->text && search_batch_add(sb, imp_int(r, i, 0), p->title, p->text)) rc = imp_fail(im, "target: search: %s", db_errmsg(d));
		imp_mark(im, IMP_PID, imp_int(r, i, 0));
	}
	if (!rc && search_batch_flush(sb)) rc = imp_fail(im, "target: search: %s", db_errmsg(d));
	if (!rc) rc = imp_keyset_commit_at(k, imp_int(r, n - 1, 0), n);
	else imp_rollback(im);
	return rc;
}

static int posts_of(struct imp *im, const char *table) {
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT pid, tid, fid, first, author, authorid, dateline, message, useip, invisible, anonymous, htmlon, "
	               "status, position, subject FROM ");
	buf_puts(&sql, table);
	buf_puts(&sql, " WHERE pid > ? ORDER BY pid LIMIT ?");
	char key[IMP_KEY_MAX];
	snprintf(key, sizeof key, "posts:%.100s", table);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, key, buf_cstr(&sql), NULL);
	buf_release(&sql);
	if (!rc) k.total = imp_count_of(im, table, "COUNT(*)");
	struct pslot *sl = xcalloc(2, sizeof *sl);
	imp_rows_init(&sl[0].rows);
	imp_rows_init(&sl[1].rows);
	struct search_batch sb;
	search_batch_init(&sb, imp_db(im));
	/* batch N + 1 is read and rendered in a thread of its own while batch N is written */
	struct pjob job = {im, &k, &sl[0], k.last};
	if (!rc) {
		posts_read(&job);
		if (sl[0].n < 0) rc = -1;
	}
	for (int cur = 0; !rc && sl[cur].n > 0; cur = 1 - cur) {
		int n = sl[cur].n, more = n == imp_batch();
		pthread_t th;
		struct pjob next = {im, &k, &sl[1 - cur], imp_int(&sl[cur].rows, n - 1, 0)};
		sl[1 - cur].n = 0;
		if (more && pthread_create(&th, NULL, posts_read, &next)) more = 0, rc = imp_fail(im, "cannot start a thread");
		if (!rc) rc = posts_write(im, &k, &sl[cur], &sb);
		if (more) {
			pthread_join(th, NULL);
			if (sl[1 - cur].n < 0) rc = -1;
		}
	}
	for (int s = 0; s < 2; s++) {
		for (int i = 0; i < IMP_BATCH; i++) {
			free(sl[s].ps[i].html);
			free(sl[s].ps[i].text);
		}
		imp_rows_free(&sl[s].rows);
	}
	free(sl);
	search_batch_free(&sb);
	imp_keyset_close(&k);
	return rc < 0 ? -1 : 0;
}

int dz_posts(struct imp *im) {
	int n;
	const char *const *ts = imp_tables_split(im, "forum_post", &n);
	for (int i = 0; i < n; i++)
		if (posts_of(im, ts[i])) return -1;
	return 0;
}

/* ---- counters, search ------------------------------------------------------------------ */

int dz_counters(struct imp *im) {
	db *d = imp_db(im);
	static const char *const sql[] = {
		/* threads: replies and the last floor from their posts (the recycle bin's too: restoring one restores them) */
		"UPDATE thread SET replies = x.n - 1, maxposition = x.maxp FROM (SELECT tid, "
		"SUM(CASE WHEN deleted = 0 THEN 1 ELSE 0 END) AS n, MAX(position) AS maxp FROM post GROUP BY tid) x "
		"WHERE thread.tid = x.tid",
		"UPDATE thread SET replies = 0 WHERE replies < 0",
		/* boards: threads and posts of the visible threads, the newest one */
		"UPDATE board SET threads = 0, posts = 0, lastpost = 0, lasttid = 0, lastsubject = '', lastposter = ''",
		"UPDATE board SET threads = x.nt, posts = x.np, lastpost = x.lastpost, lasttid = x.tid, lastsubject = x.subject, "
		"lastposter = x.lastposter FROM (SELECT c.fid, c.nt, c.np, l.lastpost, l.tid, l.subject, l.lastposter FROM "
		"(SELECT fid, COUNT(*) AS nt, SUM(replies + 1) AS np FROM thread WHERE hidden = 0 AND moved = 0 GROUP BY fid) c "
		"JOIN (SELECT fid, tid, lastpost, subject, lastposter, ROW_NUMBER() OVER (PARTITION BY fid ORDER BY lastpost DESC, "
		"tid DESC) AS rn FROM thread WHERE hidden = 0 AND moved = 0) l ON l.fid = c.fid AND l.rn = 1) x "
		"WHERE board.fid = x.fid",
		/* members: their undeleted posts in visible threads, their visible threads */
		"UPDATE member SET posts = 0, threads = 0",
		"UPDATE member SET posts = x.np, threads = x.nt FROM (SELECT p.authorid, COUNT(*) AS np, "
		"SUM(CASE WHEN p.position = 1 THEN 1 ELSE 0 END) AS nt FROM post p JOIN thread t ON t.tid = p.tid "
		"WHERE p.deleted = 0 AND t.hidden = 0 AND t.moved = 0 GROUP BY p.authorid) x WHERE member.uid = x.authorid",
		/* the index's 会员 count and newest member */
		"UPDATE site_stat SET members = (SELECT COUNT(*) FROM member), newest_uid = COALESCE((SELECT MAX(uid) FROM member), 0)",
		"UPDATE site_stat SET newest_name = COALESCE((SELECT username FROM member WHERE uid = site_stat.newest_uid), '')",
	};
	if (imp_begin(im)) return -1;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (step_ok(d, db_prep(d, sql[i]), im)) {
			imp_rollback(im);
			return -1;
		}
	return imp_commit(im);
}

/* the posts stage indexed each post in its batch: FTS5 merges its segments, PostgreSQL's statistics */
int dz_search(struct imp *im) {
	return search_optimize(imp_db(im)) ? imp_fail(im, "search index: %s", db_errmsg(imp_db(im))) : 0;
}

/* ---- the verification report --------------------------------------------------------------- */

static int64_t target_count(struct imp *im, const char *sql) {
	db_stmt *s = db_prep(imp_db(im), sql);
	int64_t v = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return v;
}

static int64_t source_sum(struct imp *im, const char *base, const char *what, const char *where) {
	int n;
	const char *const *ts = imp_tables_split(im, base, &n);
	int64_t sum = 0;
	for (int i = 0; i < n; i++) {
		buf sql;
		buf_init(&sql, 0);
		buf_puts(&sql, "SELECT ");
		buf_puts(&sql, what);
		buf_puts(&sql, " FROM ");
		buf_puts(&sql, ts[i]);
		buf_puts(&sql, " t ");
		buf_puts(&sql, where);
		int64_t v = imp_count(im, buf_cstr(&sql));
		buf_release(&sql);
		if (v > 0) sum += v;
	}
	return sum;
}

/* the letters and digits of two texts are the same (smilies, emoji, punctuation and spaces are
   rendered differently on purpose: :) becomes an image) */
static int letters_equal(const char *a, const char *b) {
	int32_t i = 0, j = 0, na = (int32_t)strlen(a), nb = (int32_t)strlen(b);
	for (;;) {
		UChar32 ca = 0, cb = 0;
		while (i < na) {
			U8_NEXT(a, i, na, ca);
			if (ca > 0 && u_isalnum(ca)) break;
			ca = 0;
		}
		while (j < nb) {
			U8_NEXT(b, j, nb, cb);
			if (cb > 0 && u_isalnum(cb)) break;
			cb = 0;
		}
		if (ca != cb) return 0;
		if (!ca) return 1;
	}
}

int dz_verify(struct imp *im) {
	const char *ff = imp_table(im, "forum_forum");
	int64_t members = source_sum(im, "common_member", "COUNT(*)", "");
	const char *arch = imp_table(im, "common_member_archive");
	if (arch) {
		members += imp_count_of(im, arch, "COUNT(*)");
	}
	imp_report_count(im, "members (common_member + _archive)", members, target_count(im, "SELECT COUNT(*) FROM member"));
	buf w;
	buf_init(&w, 0);
	buf_puts(&w, "WHERE type = 'group' AND status <> 3");
	imp_report_count(im, "categories (forum_forum type group)", source_sum(im, "forum_forum", "COUNT(*)", buf_cstr(&w)),
	                 target_count(im, "SELECT COUNT(*) FROM category WHERE displayorder <> 9999 OR name <> '未分类'"));
	buf_reset(&w);
	buf_puts(&w, "WHERE type <> 'group' AND status <> 3");
	imp_report_count(im, "boards (forum_forum forum + sub)", source_sum(im, "forum_forum", "COUNT(*)", buf_cstr(&w)),
	                 target_count(im, "SELECT COUNT(*) FROM board"));
	/* threads of imported boards: shown (>= 0) and the recycle bin (-1); -2 waits in the 审核 queue */
	buf_reset(&w);
	buf_puts(&w, "JOIN ");
	buf_puts(&w, ff);
	buf_puts(&w, " f ON f.fid = t.fid AND f.status <> 3 AND f.type <> 'group' WHERE t.displayorder >= -1");
	int64_t st = source_sum(im, "forum_thread", "COUNT(*)", buf_cstr(&w));
	imp_report_count(im, "threads (forum_thread + _N)", st, target_count(im, "SELECT COUNT(*) FROM thread"));
	int64_t sviews = source_sum(im, "forum_thread", "COALESCE(SUM(t.views), 0)", buf_cstr(&w));
	const char *av = imp_table(im, "forum_threadaddviews");
	if (av) {
		sviews += imp_count_of(im, av, "COALESCE(SUM(addviews), 0)");
	}
	imp_report_count(im, "sum of views (+ forum_threadaddviews)", sviews, target_count(im, "SELECT COALESCE(SUM(views), 0) FROM thread"));
	imp_report_count(im, "sum of replies (Discuz!'s cached counts)", source_sum(im, "forum_thread", "COALESCE(SUM(t.replies), 0)", buf_cstr(&w)),
	                 target_count(im, "SELECT COALESCE(SUM(replies), 0) FROM thread"));
	/* posts whose thread was imported: every (post table, thread table) pair */
	int np, nt;
	const char *const *pts = imp_tables_split(im, "forum_post", &np);
	const char *const *tts = imp_tables_split(im, "forum_thread", &nt);
	int64_t sp = 0;
	for (int i = 0; i < np; i++)
		for (int j = 0; j < nt; j++) {
			buf q;
			buf_init(&q, 0);
			buf_puts(&q, "SELECT COUNT(*) FROM ");
			buf_puts(&q, pts[i]);
			buf_puts(&q, " p JOIN ");
			buf_puts(&q, tts[j]);
			buf_puts(&q, " t ON t.tid = p.tid ");
			buf_puts(&q, buf_cstr(&w));
			buf_puts(&q, " AND p.invisible IN (0, -1, -5)");
			int64_t v = imp_count(im, buf_cstr(&q));
			if (v > 0) sp += v;
			buf_release(&q);
		}
	imp_report_count(im, "posts (forum_post + _N)", sp, target_count(im, "SELECT COUNT(*) FROM post"));
	buf_release(&w);
	imp_report_count(im, "awaiting moderation (-2) -> pending_post",
	                 source_sum(im, "forum_thread", "COUNT(*)", "WHERE t.displayorder = -2") +
	                 source_sum(im, "forum_post", "COUNT(*)", "WHERE t.invisible = -2 AND t.first = 0"),
	                 target_count(im, "SELECT COUNT(*) FROM pending_post"));
	/* floors: gaps are threads whose floors are not 1..N (Discuz! leaves gaps where posts were held or dropped) */
	int64_t gaps = target_count(im, "SELECT COUNT(*) FROM (SELECT tid, COUNT(*) AS n, MAX(position) AS m, MIN(position) AS lo "
	                                "FROM post GROUP BY tid) x WHERE x.n <> x.m OR x.lo <> 1");
	imp_warn(im, "threads whose floors are not exactly 1..N: %lld", (long long)gaps);
	/* credits of a sample of members, both sides */
	const char *mc = imp_table(im, "common_member_count"), *cm = imp_table(im, "common_member");
	if (mc && cm) {
		buf q;
		buf_init(&q, 0);
		buf_puts(&q, "SELECT m.uid, m.credits, c.extcredits1, c.extcredits2, c.extcredits3 FROM ");
		buf_puts(&q, cm);
		buf_puts(&q, " m JOIN ");
		buf_puts(&q, mc);
		buf_puts(&q, " c ON c.uid = m.uid ORDER BY m.uid LIMIT ?");
		struct imp_rows r;
		imp_rows_init(&r);
		int64_t lim = IMP_SAMPLE;
		int n = imp_select(im, buf_cstr(&q), &lim, 1, &r), same = 0;
		buf_release(&q);
		for (int i = 0; i < n; i++) {
			db_stmt *s = db_prep(imp_db(im), "SELECT credits, ext1, ext2, ext3 FROM member WHERE uid = $1");
			db_bind_int(s, 1, imp_int(&r, i, 0));
			int ok = db_step(s) == DB_ROW && db_int(s, 0) == imp_int(&r, i, 1) && db_int(s, 1) == imp_int(&r, i, 2) &&
			         db_int(s, 2) == imp_int(&r, i, 3) && db_int(s, 3) == imp_int(&r, i, 4);
			db_done(s);
			if (ok) same++;
			else imp_report_list(im, "members whose credits differ", "uid %lld", (long long)imp_int(&r, i, 0));
		}
		imp_warn(im, "credits of %d sampled members: %d the same", n > 0 ? n : 0, same);
		imp_rows_free(&r);
	}
	/* the visible text of a sample of posts: Discuz!'s message without BBCode against loulan's rendering */
	int nsample = 0, same = 0;
	for (int i = 0; i < np && nsample < IMP_SAMPLE; i++) {
		buf q;
		buf_init(&q, 0);
		buf_puts(&q, "SELECT pid, message FROM ");
		buf_puts(&q, pts[i]);
		buf_puts(&q, " WHERE invisible = 0 AND htmlon = 0 ORDER BY pid LIMIT ?");
		struct imp_rows r;
		imp_rows_init(&r);
		int64_t lim = IMP_SAMPLE - nsample;
		int n = imp_select(im, buf_cstr(&q), &lim, 1, &r);
		buf_release(&q);
		for (int k = 0; k < n; k++) {
			db_stmt *s = db_prep(imp_db(im), "SELECT html FROM post WHERE pid = $1");
			db_bind_int(s, 1, imp_int(&r, k, 0));
			if (db_step(s) != DB_ROW) {
				db_done(s);
				continue;
			}
			char *text = search_html_text(db_text(s, 0));
			db_done(s);
			const char *src = imp_text(im, &r, k, 1, DZ_RAW);
			char ed[64];
			int64_t when;
			const char *after = edit_stamp(src, 0, ed, sizeof ed, &when);   /* it became the post's edit line */
			if (after) src = after;
			buf a, b;
			buf_init(&a, 0);
			buf_init(&b, 0);
			dz_bbcode_text(src, strlen(src), &a);
			dz_squash(text, strlen(text), &b);
			nsample++;
			if (letters_equal(buf_cstr(&a), buf_cstr(&b))) same++;
			else imp_report_list(im, "sampled posts whose text differs (Discuz! | loulan)", "pid %lld: %s | %s",
			                     (long long)imp_int(&r, k, 0), cut(&r.a, buf_cstr(&a), 80), cut(&r.a, buf_cstr(&b), 80));
			buf_release(&a);
			buf_release(&b);
			free(text);
		}
		imp_rows_free(&r);
	}
	imp_warn(im, "visible text of %d sampled posts: %d the same", nsample, same);
	return 0;
}
