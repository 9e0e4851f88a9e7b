/*
** settings: the one table of site settings (key, type, default, limits,
** help), typed snapshots of their values, and `loulan config`'s set/get.
** Parsing happens once per load, never at use. The serve command reloads
** when the site generation moves (forum/cachegen.h: NOTIFY on PostgreSQL,
** DIR/loulan.gen on SQLite), so a change shows on every node.
*/
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/discover.h"
#include "forum/cachegen.h"
#include "forum/credit.h"
#include "forum/attach.h"
#include "util/die.h"
#include "util/timefmt.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUTH_MAX 100000000   /* auth.* counts and seconds */

static int check_timezone(const char *v, struct forum_err *e);
static int check_tls(const char *v, struct forum_err *e) {
	if (!strcmp(v, "none") || !strcmp(v, "starttls") || !strcmp(v, "tls")) return 0;
	forum_fail(e, FORUM_E_INVALID, "smtp.tls must be none, starttls or tls");
	return -1;
}

static int check_formula(const char *v, struct forum_err *e);
/* site.url: empty, or http(s)://host[:port][/path] without a trailing '/', quotes or spaces */
static int check_url(const char *v, struct forum_err *e) {
	if (!*v) return 0;
	size_t n = strlen(v);
	int ok = (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8)) && v[n - 1] != '/' && n <= SITE_URL_MAX;
	for (const char *c = v; ok && *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '"' || *c == '\'' || *c == '<' || *c == '>' || *c == '?' || *c == '#') ok = 0;
	if (!ok)
		forum_fail(e, FORUM_E_INVALID, "site.url must look like https://bbs.example.com (no trailing /, at most %d bytes)",
		           SITE_URL_MAX);
	return ok ? 0 : -1;
}

#define S(key, def, field, help) {key, SETTING_STR, def, 0, 0, offsetof(struct site, field), NULL, help}
#define I(key, def, lo, hi, field, help) {key, SETTING_INT, def, lo, hi, offsetof(struct site, field), NULL, help}
static const struct setting settings[] = {
	S("site.name", "楼兰论坛", name, "the forum's name: page titles, header and footer"),
	S("site.description", "一个快速、安全的中文社区论坛", description, "one line under the name"),
	{"site.timezone", SETTING_STR, "Asia/Shanghai", 0, 0, offsetof(struct site, timezone), check_timezone,
	 "time zone of every date shown (a tz database name, e.g. Asia/Shanghai, UTC)"},
	S("site.footer_links", "热门排行|/ranklist,Archiver|/archiver/,手机版|/mobile,小黑屋|/blacklist,Sitemap|/sitemap.xml",
	  footer_links, "footer links: name|url,name|url (/mobile: the 手机版/电脑版 switch)"),
	{"site.url", SETTING_STR, "", 0, 0, offsetof(struct site, url), check_url,
	 "the site's address (https://bbs.example.com): canonical links, sitemap, RSS; empty: the request's Host"},
	I("sitemap.urls_per_part", "50000", 1, SITEMAP_PART_URLS, sitemap_part_urls,
	  "threads per sitemap part (/sitemap/t-N.xml); at most 50,000, the protocol's limit"),
	S("site.icp", "", icp, "ICP 备案号 in the footer (links to beian.miit.gov.cn)"),
	S("site.police_filing", "", police_filing, "公安备案号 in the footer"),
	S("site.copyright", "", copyright, "copyright line in the footer"),
	I("site.cookie_secure", "0", 0, 1, cookie_secure, "1: cookies only over HTTPS (set behind an HTTPS proxy)"),
	I("auth.login_max_failures", "5", 1, AUTH_MAX, login_max_failures, "failed logins per account per auth.login_window"),
	I("auth.login_window", "900", 1, AUTH_MAX, login_window, "seconds in which failed logins are counted"),
	I("auth.login_max_failures_ip", "30", 1, AUTH_MAX, login_max_failures_ip, "failed logins per IP per auth.login_window"),
	I("auth.register_max", "10", 1, AUTH_MAX, register_max, "registrations per IP per auth.register_window"),
	I("auth.register_window", "3600", 1, AUTH_MAX, register_window, "seconds in which registrations are counted"),
	I("auth.session_ttl", "86400", 1, AUTH_MAX, session_ttl, "seconds a login lasts without \"remember me\" (sliding)"),
	I("auth.session_ttl_remember", "2592000", 1, AUTH_MAX, session_ttl_remember, "seconds a login lasts with \"remember me\""),
	I("auth.login_max_failures_device", "5", 1, AUTH_MAX, login_max_failures_device, "failed logins per known device (cookie loulan_dev) per auth.login_window"),
	I("post.flood_seconds", "15", 0, 86400, flood_seconds, "seconds between a member's posts (0: no flood control)"),
	/* search (forum/search.c, pages/search.c) */
	I("search.max_per_minute", "20", 1, AUTH_MAX, search_max, "searches per member per minute (429 above)"),
	I("search.max_per_minute_ip", "60", 1, AUTH_MAX, search_max_ip, "searches per IP address per minute, guests and members (429 above)"),
	/* 短消息 (issue #15; forum/pm.h) */
	I("pm.newbie_days", "7", 0, 3650, pm_newbie_days, "days after registering during which a member's 短消息 are throttled (0: never)"),
	I("pm.newbie_per_hour", "10", 1, AUTH_MAX, pm_newbie_per_hour, "短消息 a new member may send per hour (429 above)"),
	S("credit.names", "威望,金钱,贡献", credit_names, "names of extcredits 1-3 (member.ext1..ext3), comma-separated"),
	S("credit.show", "威望,金钱", credit_show, "credits shown in the thread page's author sidebar"),
	/* attachments and blob storage (issue #13; forum/attach.h) */
	I("attach.max_size", "10485760", 1, ATTACH_MAX_SIZE_CAP, attach_max_size, "bytes of one uploaded file (413 above)"),
	I("attach.max_per_post", "10", 1, ATTACH_MAX_PER_POST_CAP, attach_max_per_post, "attachments one post may use"),
	{"attach.daily_bytes", SETTING_STR, "*=104857600,1=0", 0, 0, offsetof(struct site, attach_daily_bytes), attach_check_daily,
	 "bytes a member may upload per day, by group: GROUPID=BYTES pairs, * for the others, 0 no limit"},
	{"attach.types", SETTING_STR, "jpg png gif webp zip rar 7z pdf txt", 0, 0, offsetof(struct site, attach_types),
	 attach_check_types, "file types allowed by default (from: " ATTACH_KINDS ")"},
	{"attach.types_board", SETTING_STR, "", 0, 0, offsetof(struct site, attach_types_board), attach_check_types_map,
	 "per-board type lists replacing attach.types: FID=TYPES;FID=TYPES (e.g. 2=jpg png;5=pdf)"},
	{"attach.types_group", SETTING_STR, "", 0, 0, offsetof(struct site, attach_types_group), attach_check_types_map,
	 "per-group type lists, intersected with the board's: GROUPID=TYPES;..."},
	I("attach.max_pixels", "40000000", 1, 1000000000, attach_max_pixels, "pixels of an image (width x height x frames, from its header; 422 above)"),
	I("attach.unused_ttl", "86400", 60, 100000000, attach_unused_ttl, "seconds before an upload no post uses is deleted"),
	I("attach.cache_bytes", "67108864", 0, 4294967296, attach_cache_bytes, "bytes of hot images kept in memory per process (0: off)"),
	{"blob.store", SETTING_STR, "db", 0, 0, offsetof(struct site, blob_store), blob_check_store,
	 "where new attachment bytes go: db (the database, 256 KiB chunks) or s3"},
	S("blob.s3_endpoint", "", blob_s3_endpoint, "S3-compatible endpoint URL, e.g. https://s3.example.com"),
	S("blob.s3_bucket", "", blob_s3_bucket, "S3 bucket"),
	S("blob.s3_region", "us-east-1", blob_s3_region, "S3 region (for the signature)"),
	S("blob.s3_key", "", blob_s3_key, "S3 access key id"),
	S("blob.s3_secret", "", blob_s3_secret, "S3 secret access key"),
	/* mail and account recovery (issue #15, forum/mail.c, forum/recover.c) */
	S("smtp.host", "", smtp_host, "SMTP server for the forum's mail (\"\": mail waits in the queue, nothing is sent)"),
	I("smtp.port", "25", 1, 65535, smtp_port, "SMTP port (25, 587 for starttls, 465 for tls)"),
	S("smtp.user", "", smtp_user, "SMTP login (\"\": no authentication)"),
	S("smtp.password", "", smtp_password, "SMTP password"),
	S("smtp.from", "", smtp_from, "sender address of the forum's mail, e.g. noreply@example.com"),
	{"smtp.tls", SETTING_STR, "none", 0, 0, offsetof(struct site, smtp_tls), check_tls,
	 "none (plain), starttls (STARTTLS required) or tls (TLS from the start, port 465)"},
	I("auth.reset_max", "3", 1, AUTH_MAX, reset_max, "password-reset mails per account per auth.reset_window"),
	I("auth.reset_max_ip", "10", 1, AUTH_MAX, reset_max_ip, "password-reset requests per IP per auth.reset_window (429 above)"),
	I("auth.reset_window", "3600", 1, AUTH_MAX, reset_window, "seconds in which password-reset requests are counted"),
	I("auth.verify_email", "0", 0, 1, verify_email, "1: a new member confirms the e-mail address by a link before posting"),
	/* live replies and counters over Server-Sent Events (issue #15; pages/live.c) */
	I("live.max_streams", "1000", 0, LIVE_STREAMS_CAP, live_max_streams,
	  "event streams open at once on this node (503 above; 0: off; each is a connection: see serve --max-connections)"),
	I("live.max_per_ip", "8", 1, LIVE_STREAMS_CAP, live_max_per_ip, "event streams open at once per client address (429 above)"),
	I("live.heartbeat", "20", 1, LIVE_HEARTBEAT_MAX, live_heartbeat, "seconds between heartbeats (comment lines) on an idle event stream"),
	{"credit.formula", SETTING_STR, "posts+5*digestposts+2*ext1+ext2+ext3", 0, 0, offsetof(struct site, credit_formula),
	 check_formula, "total credits (member.credits) from posts, threads, digestposts, ext1-3 or the credit names"},
};
#undef S
#undef I
#define NSETTINGS (sizeof settings / sizeof settings[0])

static struct site *g_site;   /* current snapshot; published with an atomic store */

const struct setting *site_setting(size_t i) { return i < NSETTINGS ? &settings[i] : NULL; }

const struct setting *site_setting_find(const char *key) {
	for (size_t i = 0; i < NSETTINGS; i++)
		if (!strcmp(settings[i].key, key)) return &settings[i];
	return NULL;
}

int site_setting_valid(const char *key) { return site_setting_find(key) != NULL; }

int site_setting_secret(const char *key) { return strstr(key, "secret") || strstr(key, "password"); }

static int check_timezone(const char *v, struct forum_err *e) {
	char path[SETTING_MAX + 32];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", v);
	FILE *f = strstr(v, "..") ? NULL : fopen(path, "rb");
	if (!f) {
		forum_fail(e, FORUM_E_INVALID, "unknown time zone %s (use a name like Asia/Shanghai)", v);
		return -1;
	}
	fclose(f);
	return 0;
}

static int check_formula(const char *v, struct forum_err *e) {
	int64_t coef[6];
	if (!credit_formula_parse(v, coef)) return 0;
	forum_fail(e, FORUM_E_INVALID, "invalid formula %s (e.g. posts+5*digestposts+2*ext1+ext2+ext3)", v);
	return -1;
}

/* VALUE checked against setting S: 0 ok, else e filled */
static int setting_check(const struct setting *s, const char *v, struct forum_err *e) {
	if (strlen(v) > SETTING_MAX) {
		forum_fail(e, FORUM_E_INVALID, "value longer than %d bytes", SETTING_MAX);
		return -1;
	}
	if (s->type == SETTING_INT) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (!*v || *end || n < s->lo || n > s->hi || v[0] == '+' || v[0] == ' ') {
			forum_fail(e, FORUM_E_INVALID, "%s must be an integer from %lld to %lld", s->key, (long long)s->lo, (long long)s->hi);
			return -1;
		}
	}
	return s->check ? s->check(v, e) : 0;
}

static void tz_label(struct site *s) {
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	s->tz_offset = tm.tm_gmtoff;
	long h = tm.tm_gmtoff / 3600, m = labs(tm.tm_gmtoff % 3600) / 60;
	if (m) snprintf(s->tz_label, sizeof s->tz_label, "GMT%+ld:%02ld", h, m);
	else snprintf(s->tz_label, sizeof s->tz_label, "GMT%+ld", h);
}

static void site_free(struct site *s) {
	attach_rules_free(s->attach_rules);
	for (size_t i = 0; i < NSETTINGS; i++) free((char *)s->raw[i]);
	free(s->raw);
	free(s);
}

/* the typed fields from the raw values; a value that no longer passes its
   check (an old database, a formula naming a renamed credit) counts as the default */
static void site_parse(struct site *s) {
	struct forum_err err;
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *t = &settings[i];
		const char *v = s->raw[i];
		if (setting_check(t, v, &err)) v = t->def;
		if (t->type == SETTING_INT) *(int64_t *)((char *)s + t->off) = strtoll(v, NULL, 10);
		else *(const char **)((char *)s + t->off) = v;
	}
	credit_names_split(s->credit_names, &s->credit_cn);
	struct credit_names shown;
	credit_names_split(s->credit_show, &shown);
	for (int i = 0; i < shown.n; i++)
		for (int e = 0; e < s->credit_cn.n; e++)
			if (shown.name[i][0] && !strcmp(shown.name[i], s->credit_cn.name[e])) s->credit_show_mask |= 1u << (e + 1);
	s->attach_rules = attach_rules_parse(s);
	if (credit_formula_parse_names(s->credit_formula, s->credit_names, s->credit_coef))
		credit_formula_parse_names(site_setting_find("credit.formula")->def, s->credit_names, s->credit_coef);
}

static int load_locked(db *d, int *changed) {
	if (changed) *changed = 0;
	struct site *s = xcalloc(1, sizeof *s);
	s->raw = xcalloc(NSETTINGS, sizeof *s->raw);
	for (size_t i = 0; i < NSETTINGS; i++) s->raw[i] = xstrdup(settings[i].def);
	db_stmt *st = db_prep(d, "SELECT k, v FROM setting");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const struct setting *t = site_setting_find(db_text(st, 0));
		if (!t) continue;
		free((char *)s->raw[t - settings]);
		s->raw[t - settings] = xstrdup(db_text(st, 1));
	}
	db_done(st);
	if (rc != DB_DONE) {
		site_free(s);
		return -1;
	}
	const struct site *old = site_get();
	int same = old != NULL;
	for (size_t i = 0; same && i < NSETTINGS; i++) same = !strcmp(old->raw[i], s->raw[i]);
	if (same) {   /* nothing changed: keep the snapshot readers hold */
		site_free(s);
		return 0;
	}
	site_parse(s);
	/* TZ is process-wide: set only when it changes (at start, or by config set) */
	if (!old || strcmp(old->timezone, s->timezone)) {
		timefmt_set_zone(s->timezone);
	}
	tz_label(s);
	s->older = old;
	__atomic_store_n(&g_site, s, __ATOMIC_RELEASE);   /* the old snapshot is never freed: readers may hold it */
	if (changed) *changed = 1;
	return 0;
}

int site_reload(db *d, int *changed) {
	site_load_lock();   /* site.h: loads publish in the order they read */
	int rc = load_locked(d, changed);
	site_load_unlock();
	return rc;
}

int site_load(db *d) { return site_reload(d, NULL); }

const struct site *site_get(void) { return __atomic_load_n(&g_site, __ATOMIC_ACQUIRE); }

int site_config_set(db *d, const char *key, const char *value, struct forum_err *e) {
	const struct setting *t = site_setting_find(key);
	if (!t) {
		forum_fail(e, FORUM_E_INVALID, "unknown setting %s", key);
		return -1;
	}
	if (setting_check(t, value, e)) return -1;
	db_stmt *s = db_prep(d, "INSERT INTO setting(k, v) VALUES ($1, $2) ON CONFLICT(k) DO UPDATE SET v = excluded.v");
	db_bind_text(s, 1, key, -1);
	db_bind_text(s, 2, value, -1);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) {
		forum_fail(e, FORUM_E_DB, "cannot save setting: %s", db_errmsg(d));
		return -1;
	}
	cachegen_bump_site(d);   /* running servers (every node) reload their settings */
	return 0;
}

int site_config_get(db *d, const char *key, char **value) {
	const struct setting *t = site_setting_find(key);
	*value = t ? xstrdup(t->def) : NULL;
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
