/*
** site: site settings (the setting table) and user groups, cached per
** process. Read once at start-up and re-read by the background thread.
*/
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/cachegen.h"
#include "forum/react.h"
#include "forum/credit.h"
#include "util/die.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *key, *def; } site_keys[] = {
	{"site.name", "楼兰论坛"},
	{"site.description", "一个快速、安全的中文社区论坛"},
	{"site.timezone", "Asia/Shanghai"},
	{"site.footer_links", "Archiver|/archiver/,手机版|/m/,小黑屋|/blacklist"},
	{"site.icp", ""},
	{"site.police_filing", ""},
	{"site.copyright", ""},
	{"site.cookie_secure", "0"},
	{"auth.login_max_failures", "5"},   /* failed logins per account ... */
	{"auth.login_window", "900"},       /* ... per this many seconds */
	{"auth.login_max_failures_ip", "30"}, /* failed logins per IP in the same window */
	{"auth.register_max", "10"},        /* registrations per IP ... */
	{"auth.register_window", "3600"},   /* ... per this many seconds */
	{"auth.session_ttl", "86400"},      /* session lifetime without "remember me", seconds */
	{"auth.session_ttl_remember", "2592000"}, /* with "remember me" */
	{"post.flood_seconds", "15"},
	{"credit.names", "威望,金钱,贡献"},        /* extcredits 1-3 (member.ext1..ext3) */
	{"credit.show", "威望,金钱"},              /* shown in the thread page's author sidebar */
	{"credit.formula", "posts+5*digestposts+2*ext1+ext2+ext3"},  /* member.credits */
};
#define NKEYS (sizeof site_keys / sizeof site_keys[0])
#define SETTING_MAX 4096

static pthread_rwlock_t site_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct site *g_site;       /* current; old ones are kept (tiny, rare) */

int site_setting_valid(const char *key) {
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(site_keys[i].key, key)) return 1;
	return 0;
}

void site_apply_timezone(const char *tz) {
	setenv("TZ", tz && *tz ? tz : "Asia/Shanghai", 1);
	tzset();
}

static void site_tz_label(struct site *s) {
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	s->tz_offset = tm.tm_gmtoff;
	long h = tm.tm_gmtoff / 3600, m = labs(tm.tm_gmtoff % 3600) / 60;
	if (m) snprintf(s->tz_label, sizeof s->tz_label, "GMT%+ld:%02ld", h, m);
	else snprintf(s->tz_label, sizeof s->tz_label, "GMT%+ld", h);
}

int site_load(db *d) {
	struct site *s = xcalloc(1, sizeof *s);
	char **slots[] = {&s->name, &s->description, &s->timezone, &s->footer_links, &s->icp, &s->police_filing, &s->copyright,
	                  &s->cookie_secure, &s->auth_raw[0], &s->auth_raw[1], &s->auth_raw[2], &s->auth_raw[3],
	                  &s->auth_raw[4], &s->auth_raw[5], &s->auth_raw[6], &s->flood_seconds, &s->credit_names,
	                  &s->credit_show, &s->credit_formula};
	_Static_assert(sizeof slots / sizeof slots[0] == NKEYS, "one slot per setting");
	for (size_t i = 0; i < NKEYS; i++) *slots[i] = xstrdup(site_keys[i].def);
	db_stmt *st = db_prep(d, "SELECT k, v FROM setting");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *k = db_text(st, 0);
		for (size_t i = 0; i < NKEYS; i++)
			if (!strcmp(site_keys[i].key, k)) {
				free(*slots[i]);
				*slots[i] = xstrdup(db_text(st, 1));
			}
	}
	db_done(st);
	if (rc != DB_DONE) {
		for (size_t i = 0; i < NKEYS; i++) free(*slots[i]);
		free(s);
		return -1;
	}
	int64_t *ints[] = {&s->login_max_failures, &s->login_window, &s->login_max_failures_ip, &s->register_max,
	                   &s->register_window, &s->session_ttl, &s->session_ttl_remember};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		/* validated when set; a bad value from an old database falls back to the default */
		long long v = strtoll(s->auth_raw[i], NULL, 10);
		*ints[i] = v > 0 ? v : strtoll(site_keys[8 + i].def, NULL, 10);
	}
	site_apply_timezone(s->timezone);
	site_tz_label(s);
	pthread_rwlock_wrlock(&site_lock);
	g_site = s;  /* the previous one leaks deliberately: readers may hold it */
	pthread_rwlock_unlock(&site_lock);
	return 0;
}

const struct site *site_get(void) {
	pthread_rwlock_rdlock(&site_lock);
	const struct site *s = g_site;
	pthread_rwlock_unlock(&site_lock);
	return s;
}

int site_config_set(db *d, const char *key, const char *value, struct forum_err *e) {
	if (!site_setting_valid(key)) {
		forum_fail(e, FORUM_E_INVALID, "unknown setting %s", key);
		return -1;
	}
	if (strlen(value) > SETTING_MAX) {
		forum_fail(e, FORUM_E_INVALID, "value longer than %d bytes", SETTING_MAX);
		return -1;
	}
	if (!strncmp(key, "auth.", 5)) {
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || v < 1 || v > 100000000 || value[0] == '+' || value[0] == ' ') {
			forum_fail(e, FORUM_E_INVALID, "%s must be a positive integer (1-100000000)", key);
			return -1;
		}
	}
	if (!strcmp(key, "post.flood_seconds")) {
		char *end;
		long v = strtol(value, &end, 10);
		if (!*value || *end || v < 0 || v > 86400) {
			forum_fail(e, FORUM_E_INVALID, "post.flood_seconds must be 0-86400");
			return -1;
		}
	}
	if (!strcmp(key, "site.timezone")) {
		char path[SETTING_MAX + 32];
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", value);
		FILE *f = strstr(value, "..") ? NULL : fopen(path, "rb");
		if (!f) {
			forum_fail(e, FORUM_E_INVALID, "unknown time zone %s (use a name like Asia/Shanghai)", value);
			return -1;
		}
		fclose(f);
	}
	int64_t coef[6];
	if (!strcmp(key, "credit.formula") && credit_formula_parse(value, coef)) {
		forum_fail(e, FORUM_E_INVALID, "invalid formula %s (e.g. posts+5*digestposts+2*ext1+ext2+ext3)", value);
		return -1;
	}
	db_stmt *s = db_prep(d, "INSERT INTO setting(k, v) VALUES ($1, $2) ON CONFLICT(k) DO UPDATE SET v = excluded.v");
	db_bind_text(s, 1, key, -1);
	db_bind_text(s, 2, value, -1);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) {
		forum_fail(e, FORUM_E_DB, "cannot save setting: %s", db_errmsg(d));
		return -1;
	}
	cachegen_bump_site(d);
	return 0;
}

int site_config_get(db *d, const char *key, char **value) {
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(site_keys[i].key, key)) *value = xstrdup(site_keys[i].def);
	db_stmt *s = db_prep(d, "SELECT v FROM setting WHERE k = $1");
	db_bind_text(s, 1, key, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		free(*value);
		*value = xstrdup(db_text(s, 0));
	}
	db_done(s);
	if (rc == DB_ERR) return -1;
	return *value != NULL;
}

int site_init_defaults(db *d) {
	static const struct { int64_t gid; const char *type, *title; int stars; int64_t lo, hi; int visit, post, reply; const char *color; } g[] = {
		{1, "system", "管理员", 9, 0, 0, 1, 1, 1, "#e74c3c"},
		{2, "system", "超级版主", 8, 0, 0, 1, 1, 1, "#e67e22"},
		{3, "system", "版主", 7, 0, 0, 1, 1, 1, "#2e86c1"},
		{4, "system", "禁止发言", 0, 0, 0, 1, 0, 0, ""},
		{5, "system", "禁止访问", 0, 0, 0, 0, 0, 0, ""},
		{7, "system", "游客", 0, 0, 0, 1, 0, 0, ""},
		{8, "system", "等待验证", 0, 0, 0, 1, 0, 0, ""},
		{10, "member", "新手上路", 1, -999999999, 50, 1, 1, 1, ""},
		{11, "member", "注册会员", 2, 50, 200, 1, 1, 1, ""},
		{12, "member", "中级会员", 3, 200, 500, 1, 1, 1, ""},
		{13, "member", "高级会员", 4, 500, 1000, 1, 1, 1, ""},
		{14, "member", "金牌会员", 6, 1000, 3000, 1, 1, 1, ""},
		{15, "member", "论坛元老", 8, 3000, 999999999, 1, 1, 1, ""},
	};
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		db_stmt *s = db_prep(d, "INSERT INTO usergroup(groupid, type, title, stars, creditslower, creditshigher, allowvisit, "
		                        "allowpost, allowreply, color) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING");
		db_bind_int(s, 1, g[i].gid);
		db_bind_text(s, 2, g[i].type, -1);
		db_bind_text(s, 3, g[i].title, -1);
		db_bind_int(s, 4, g[i].stars);
		db_bind_int(s, 5, g[i].lo);
		db_bind_int(s, 6, g[i].hi);
		db_bind_int(s, 7, g[i].visit);
		db_bind_int(s, 8, g[i].post);
		db_bind_int(s, 9, g[i].reply);
		db_bind_text(s, 10, g[i].color, -1);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return -1;
	}
	for (size_t i = 0; i < NKEYS; i++) {
		db_stmt *s = db_prep(d, "INSERT INTO setting(k, v) VALUES ($1, $2) ON CONFLICT DO NOTHING");
		db_bind_text(s, 1, site_keys[i].key, -1);
		db_bind_text(s, 2, site_keys[i].def, -1);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return -1;
	}
	return 0;
}

/* ---- groups ------------------------------------------------------------ */

static pthread_rwlock_t group_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct group *g_groups;
static int g_ngroups;

int groups_load(db *d) {
	struct group *gs = NULL;
	int n = 0;
	db_stmt *s = db_prep(d, "SELECT groupid, type, title, color, stars, creditslower, creditshigher, allowvisit, allowpost, "
	                        "allowreply FROM usergroup ORDER BY groupid");
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		gs = realloc(gs, sizeof *gs * (size_t)(n + 1));
		if (!gs) die_oom();
		struct group *g = &gs[n++];
		g->gid = db_int(s, 0);
		g->type = xstrdup(db_text(s, 1));
		g->title = xstrdup(db_text(s, 2));
		g->color = xstrdup(db_text(s, 3));
		g->stars = (int)db_int(s, 4);
		g->lower = db_int(s, 5);
		g->higher = db_int(s, 6);
		g->allowvisit = (int)db_int(s, 7);
		g->allowpost = (int)db_int(s, 8);
		g->allowreply = (int)db_int(s, 9);
	}
	db_done(s);
	if (rc != DB_DONE) { free(gs); return -1; }
	pthread_rwlock_wrlock(&group_lock);
	g_groups = gs;   /* the old table is kept for readers, like site settings */
	g_ngroups = n;
	pthread_rwlock_unlock(&group_lock);
	return credit_rates_load(d);   /* rating ranges per group (group_rate) */
}

const struct group *group_get(int64_t gid) {
	static const struct group unknown = {0, "system", "未知", "", 0, 0, 0, 1, 0, 0};
	const struct group *r = &unknown;
	pthread_rwlock_rdlock(&group_lock);
	for (int i = 0; i < g_ngroups; i++)
		if (g_groups[i].gid == gid) r = &g_groups[i];
	pthread_rwlock_unlock(&group_lock);
	return r;
}

int64_t group_for_credits(int64_t credits) {
	int64_t r = GROUP_MEMBER_FIRST;
	pthread_rwlock_rdlock(&group_lock);
	for (int i = 0; i < g_ngroups; i++)
		if (!strcmp(g_groups[i].type, "member") && credits >= g_groups[i].lower && credits < g_groups[i].higher)
			r = g_groups[i].gid;
	pthread_rwlock_unlock(&group_lock);
	return r;
}
