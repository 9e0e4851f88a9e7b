/*
** site: user groups, cached per process (settings are in settings.c).
*/
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/react.h"
#include "forum/credit.h"
#include "util/die.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return 0;
}

static pthread_mutex_t load_mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
void site_load_lock(void) { pthread_mutex_lock(&load_mu); }
void site_load_unlock(void) { pthread_mutex_unlock(&load_mu); }

/* ---- groups ------------------------------------------------------------ */

/* Readers take no lock: the current table is an atomic pointer; a replaced
   one is kept (readers may hold its groups). Loaded at start-up. */
struct group_tab { struct group *gs; int n; const struct group_tab *older; };
static struct group_tab *g_groups;

static int load_locked(db *d) {
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
	struct group_tab *t = xcalloc(1, sizeof *t);
	t->gs = gs;
	t->n = n;
	t->older = __atomic_load_n(&g_groups, __ATOMIC_ACQUIRE);
	__atomic_store_n(&g_groups, t, __ATOMIC_RELEASE);
	return credit_rates_load(d);   /* rating ranges per group (group_rate) */
}

int groups_load(db *d) {
	site_load_lock();   /* site.h: loads publish in the order they read */
	int rc = load_locked(d);
	site_load_unlock();
	return rc;
}

const struct group *group_get(int64_t gid) {
	static const struct group unknown = {0, "system", "未知", "", 0, 0, 0, 1, 0, 0};
	const struct group *r = &unknown;
	const struct group_tab *t = __atomic_load_n(&g_groups, __ATOMIC_ACQUIRE);
	for (int i = 0; t && i < t->n; i++)
		if (t->gs[i].gid == gid) r = &t->gs[i];
	return r;
}

int groups_ids(int64_t *gids, int cap) {
	const struct group_tab *t = __atomic_load_n(&g_groups, __ATOMIC_ACQUIRE);
	int n = 0;
	for (int i = 0; t && i < t->n && n < cap; i++) gids[n++] = t->gs[i].gid;
	return n;
}

int64_t group_for_credits(int64_t credits) {
	int64_t r = GROUP_MEMBER_FIRST;
	const struct group_tab *t = __atomic_load_n(&g_groups, __ATOMIC_ACQUIRE);
	for (int i = 0; t && i < t->n; i++)
		if (!strcmp(t->gs[i].type, "member") && credits >= t->gs[i].lower && credits < t->gs[i].higher)
			r = t->gs[i].gid;
	return r;
}
