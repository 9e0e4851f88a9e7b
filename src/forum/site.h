/*
** site: the site settings (setting table) and the user groups, both cached
** per process (site.c).
*/
#ifndef LOULAN_SITE_H
#define LOULAN_SITE_H
#include "forum/forum.h"

/* ---- site settings (setting table), cached per process --------------- */
struct site {
	char *name, *timezone, *footer_links, *icp, *police_filing, *copyright, *description, *cookie_secure, *flood_seconds;
	char *credit_names, *credit_show, *credit_formula;   /* see react.h */
	long tz_offset;          /* seconds east of UTC, now */
	char tz_label[32];       /* "GMT+8" */
	char *auth_raw[7];       /* the auth.* settings as stored, in site_keys order */
	/* auth.*: positive integers */
	int64_t login_max_failures, login_window, login_max_failures_ip, register_max, register_window, session_ttl,
	        session_ttl_remember;
};
int site_load(db *d);                    /* (re)reads settings into the process cache */
const struct site *site_get(void);
int site_setting_valid(const char *key); /* 1 if KEY is a known setting */
int site_config_set(db *d, const char *key, const char *value, struct forum_err *e);
int site_config_get(db *d, const char *key, char **value);  /* malloc'd; 1 found, 0 not, -1 error */
void site_apply_timezone(const char *tz);

/* ---- user groups, cached per process ---------------------------------- */
enum { GROUP_ADMIN = 1, GROUP_SUPERMOD = 2, GROUP_MOD = 3, GROUP_BANNED_POST = 4, GROUP_BANNED_VISIT = 5,
       GROUP_GUEST = 7, GROUP_PENDING = 8, GROUP_MEMBER_FIRST = 10 };
struct group { int64_t gid; char *type, *title, *color; int stars; int64_t lower, higher; int allowvisit, allowpost, allowreply; };
int groups_load(db *d);
const struct group *group_get(int64_t gid);
int64_t group_for_credits(int64_t credits);   /* member group for a credit total */
int site_init_defaults(db *d);   /* the default settings and groups of a new forum */
#endif
