/*
** site: the site settings (setting table) and the user groups, both cached
** per process (site.c).
*/
#ifndef LOULAN_SITE_H
#define LOULAN_SITE_H
#include "forum/forum.h"

/* ---- site settings (settings.c): one table, typed snapshots ----------- */
/* A snapshot of every setting, parsed once per load into typed fields.
** Snapshots are never freed (a reload that changes nothing is discarded),
** so a reader keeps the pointer site_get() gave it for as long as it likes. */
#define CREDIT_TYPES 3
#define CREDIT_NAME_MAX 32          /* bytes of one credit type's name */
struct credit_names { char name[CREDIT_TYPES][CREDIT_NAME_MAX]; int n; };
struct attach_rules;
#define LIVE_STREAMS_CAP 100000    /* live.max_streams, live.max_per_ip: at most (a stream is a connection) */
#define LIVE_HEARTBEAT_MAX 300     /* live.heartbeat: seconds, at most (proxies close quiet streams at 60 s) */
struct site {
	const char *name, *description, *timezone, *footer_links, *icp, *police_filing, *copyright;
	const char *url;         /* site.url: canonical base, "" = the request's Host (issue 14) */
	int64_t sitemap_part_urls;   /* sitemap.urls_per_part: threads per sitemap part, <= SITEMAP_PART_URLS */
	int64_t cookie_secure;   /* 1 behind an HTTPS proxy */
	/* auth.*: seconds and counts */
	int64_t login_max_failures, login_window, login_max_failures_ip, register_max, register_window, session_ttl,
	        session_ttl_remember, login_max_failures_device;
	int64_t flood_seconds;   /* post.flood_seconds; 0 off */
	int64_t search_max, search_max_ip;   /* search.max_per_minute, search.max_per_minute_ip */
	int64_t pm_newbie_days, pm_newbie_per_hour;   /* 短消息 throttle for new members (forum/pm.h) */
	const char *credit_names, *credit_show, *credit_formula;   /* see react.h */
	int64_t credit_coef[6];  /* credit.formula parsed: posts, threads, digestposts, ext1, ext2, ext3 */
	struct credit_names credit_cn;   /* credit.names parsed */
	unsigned credit_show_mask;       /* bit e: credit.show lists extcredit e */
	/* attach.*, blob.* (issue #13; forum/attach.h) */
	int64_t attach_max_size, attach_max_per_post, attach_max_pixels, attach_unused_ttl, attach_cache_bytes;
	const char *attach_daily_bytes, *attach_types, *attach_types_board, *attach_types_group;
	const char *blob_store, *blob_s3_endpoint, *blob_s3_bucket, *blob_s3_region, *blob_s3_key, *blob_s3_secret;
	struct attach_rules *attach_rules;   /* the four strings above parsed (attach.c) */
	/* smtp.*, auth.reset_* (issue #15: forum/mail.h, forum/recover.h) */
	const char *smtp_host, *smtp_user, *smtp_password, *smtp_from, *smtp_tls;
	int64_t smtp_port, reset_max, reset_max_ip, reset_window, verify_email;
	/* live.*: event streams (Server-Sent Events, issue #15; pages/live.c) */
	int64_t live_max_streams, live_max_per_ip, live_heartbeat;
	long tz_offset;          /* seconds east of UTC, at load */
	char tz_label[32];       /* "GMT+8" */
	const char **raw;        /* every value as stored, in table order */
	const struct site *older;   /* the snapshot this one replaced (kept: readers may hold it) */
};
#define SETTING_MAX 4096         /* bytes of one value */
#define SITE_URL_MAX 200         /* bytes of site.url */
enum setting_type { SETTING_STR, SETTING_INT };
struct setting {
	const char *key;
	enum setting_type type;
	const char *def;         /* the default, as stored */
	int64_t lo, hi;          /* SETTING_INT: accepted range */
	size_t off;              /* offsetof(struct site, field) */
	/* extra validation of a value (NULL: none); 0 ok, else err filled */
	int (*check)(const char *v, struct forum_err *e);
	const char *help;
};
const struct setting *site_setting(size_t i);          /* i-th of the table; NULL past the end */
const struct setting *site_setting_find(const char *key);
int site_setting_valid(const char *key);                /* 1 if KEY is a known setting */
/* a password field (blob.s3_secret, smtp.password): never sent to the browser nor written to the audit log */
int site_setting_secret(const char *key);
/* The lock every loader of a process-wide snapshot (settings, groups and
** their rating ranges, board permissions, moderators, approval settings)
** holds from its SELECT to its publish. Two loaders run at once: the serve
** command's background thread and the request that made a change. Without
** it, a load that read before the change's COMMIT could publish after the
** one that read after it, and the change would be undone on this node until
** the next reload (an admin's 303 followed by the old value). Recursive:
** groups_load loads the rating ranges inside. */
void site_load_lock(void);
void site_load_unlock(void);
/* (Re)reads the settings into a new snapshot; publishes it when a value
** changed (*changed = 1; may be NULL). 0 ok, -1 database error. */
int site_reload(db *d, int *changed);
int site_load(db *d);                                   /* site_reload(d, NULL) */
const struct site *site_get(void);                     /* lock-free: an atomic pointer load */
int site_config_set(db *d, const char *key, const char *value, struct forum_err *e);
int site_config_get(db *d, const char *key, char **value);  /* malloc'd; 1 found, 0 not, -1 error */

/* ---- user groups, cached per process ---------------------------------- */
enum { GROUP_ADMIN = 1, GROUP_SUPERMOD = 2, GROUP_MOD = 3, GROUP_BANNED_POST = 4, GROUP_BANNED_VISIT = 5,
       GROUP_GUEST = 7, GROUP_PENDING = 8, GROUP_MEMBER_FIRST = 10 };
struct group { int64_t gid; char *type, *title, *color; int stars; int64_t lower, higher; int allowvisit, allowpost, allowreply; };
int groups_load(db *d);
const struct group *group_get(int64_t gid);
int groups_ids(int64_t *gids, int cap);   /* the ids of the groups (at most cap), for rules over all groups */
int64_t group_for_credits(int64_t credits);   /* member group for a credit total */
int site_init_defaults(db *d);   /* the default settings and groups of a new forum */
#endif
