/*
** admin: what the admin panel (/admin) changes, each change with its row in
** the admin audit log (admin_log: who, area, what, before, after, when) in the
** same transaction. Admins only (forum_is_admin); every change moves the site
** generation, so every node reloads settings, groups and board permissions
** (serve's background thread) and drops its cached pages.
*/
#ifndef LOULAN_ADMIN_H
#define LOULAN_ADMIN_H
#include "forum/forum.h"
#include "forum/credit.h"

#define ADMIN_LOG_PER_PAGE 50
#define ADMIN_SEARCH_MAX 100        /* bytes of a member search */
#define ADMIN_SEARCH_ROWS 50        /* members a search shows */
#define ADMIN_DESC_MAX 1000         /* bytes of a board description */
#define ADMIN_RULES_MAX 4000        /* bytes of a board's rules (版规) */
#define ADMIN_TITLE_MAX 60          /* bytes of a group title */
#define ADMIN_STARS_MAX 20
#define ADMIN_CREDITS_MAX 1000000000LL   /* credit band thresholds */

int forum_is_admin(const struct actor *who);   /* group 1 (管理员) */
/* the newest audit row's id (0: none; -1 error): serve reloads groups and board
   permissions when it moves (another node's admin changed them) */
int64_t admin_log_last(db *d);

struct admin_log_row { int64_t id, uid, created; const char *username, *area, *action, *target, *oldval, *newval; };
/* newest first, keyset on id (before 0: newest) */
int admin_log_list(db *d, arena *a, int64_t before, int limit, struct admin_log_row **out, int *n);

/* each: FORUM_OK, or a FORUM_E_* code with e filled; FORUM_E_FORBIDDEN for non-admins */
int admin_setting_set(db *d, const struct actor *who, const char *key, const char *value, time_t now, struct forum_err *e);
#define ADMIN_TYPE_MAX 20            /* characters of a thread type's name */
/* types: the thread types (主题分类) as "a,b,c" in order (a type left out is removed and its threads
   lose it; NULL: unchanged); requiretype: new threads must choose one */
/* rules: 版规, plain text (shown escaped, line breaks kept; NULL: unchanged); icon: 0 none or
   1..FORUM_BOARD_ICONS (forum_board_icon; -1: unchanged) */
/* parent: show it as a sub-board under that board (0: a board of its category; -1: unchanged;
   forum_board_parent_check's rules). A board with sub-boards that changes category takes them along. */
struct admin_board_edit { const char *name, *description, *types; int64_t cid, displayorder; int requiretype;
                          const char *rules; int icon; int64_t parent; };
/* every board (hidden ones too) with its category and types, in display order */
struct admin_board { int64_t fid, cid, threads; int requiretype, icon; const char *name, *description, *category, *types, *rules;
                     int64_t parent; };
int admin_boards(db *d, arena *a, struct admin_board **out, int *n);
int admin_board_edit(db *d, const struct actor *who, int64_t fid, const struct admin_board_edit *b, time_t now,
                     struct forum_err *e);
int admin_board_create(db *d, const struct actor *who, int64_t cid, const char *name, const char *desc, time_t now,
                       int64_t *fid, struct forum_err *e);
/* deletes board fid: only when empty, or moving its threads and posts to board move_to first (0: none) */
int admin_board_delete(db *d, const struct actor *who, int64_t fid, int64_t move_to, time_t now, struct forum_err *e);
int admin_board_perm(db *d, const struct actor *who, int64_t fid, int64_t gid, const int allow[4], time_t now,
                     struct forum_err *e);
/* adds (remove 0) or removes board fid's moderator NAME (moderate.c's mod_set, which also logs it in modlog) */
int admin_board_mod(db *d, const struct actor *who, int64_t fid, const char *name, int remove, time_t now, struct forum_err *e);
/* 审核 (approve.c): board fid holds new threads and/or replies (kinds: APPROVE_* bits) from groups ("10,11"; "" every member group) */
int admin_board_approval(db *d, const struct actor *who, int64_t fid, int kinds, const char *groups, time_t now,
                         struct forum_err *e);
/* IP 禁止 (ban.c's ipban_add / ipban_delete) with their audit rows (area "ipbans") */
int admin_ipban_add(db *d, const struct actor *who, const char *cidr, int64_t seconds, const char *reason, time_t now,
                    int64_t *id, struct forum_err *e);
int admin_ipban_delete(db *d, const struct actor *who, int64_t id, time_t now, struct forum_err *e);
struct admin_group_edit { const char *title; int64_t stars, lower, higher; int allow[3]; /* visit, post, reply */ };
int admin_group_edit(db *d, const struct actor *who, int64_t gid, const struct admin_group_edit *g, time_t now,
                     struct forum_err *e);
int admin_rate_set(db *d, const struct actor *who, int64_t gid, int ext, int64_t min, int64_t max, int64_t quota, time_t now,
                   struct forum_err *e);

struct admin_category { int64_t cid; const char *name; };
int admin_categories(db *d, arena *a, struct admin_category **out, int *n);

struct admin_member {
	int64_t uid, groupid, regdate, lastvisit, posts, threads, credits, ext[3], warnings;
	const char *name, *email, *regip;
	int64_t ban_type, ban_expires;   /* admin_member only: the current ban (type 0: none; expires 0: permanent) */
	const char *ban_reason;
};
/* members whose name starts with q, whose e-mail is q, or whose registration IP, a post's IP or a current
   login's IP (the last IP) is q */
int admin_member_search(db *d, arena *a, const char *q, struct admin_member **out, int *n);
int admin_member(db *d, arena *a, int64_t uid, struct admin_member *m);   /* 1 found, 0 not, -1 err */
/* the IPs a member posted from (distinct, newest first) */
int admin_member_ips(db *d, arena *a, int64_t uid, const char ***out, int *n);
int admin_member_group(db *d, const struct actor *who, int64_t uid, int64_t gid, time_t now, struct forum_err *e);
/* sets a new random password (*pw, arena) and ends the member's sessions */
int admin_member_reset_password(db *d, arena *a, const struct actor *who, int64_t uid, time_t now, const char **pw,
                                struct forum_err *e);
/* deletes member uid (not an admin, not oneself): their logins, devices, board moderation, bans and credit
   log go with them; their posts stay under their name (the thread page shows the author as deleted) */
int admin_member_delete(db *d, const struct actor *who, int64_t uid, time_t now, struct forum_err *e);
int admin_credit_rule(db *d, const struct actor *who, const struct credit_rule *r, time_t now, struct forum_err *e);
#endif
