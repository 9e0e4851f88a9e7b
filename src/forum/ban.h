/*
** ban: 禁止发言 / 禁止访问 of members with a reason and an expiry, lifted by
** hand or automatically (ban_expire, called by the serve command's background
** thread), the previous group restored; 小黑屋 (the list of current bans);
** removing all posts of a member; IP bans. Knows nothing of HTTP or HTML.
*/
#ifndef LOULAN_BAN_H
#define LOULAN_BAN_H
#include "forum/forum.h"

#define BAN_REASON_MAX 100        /* characters of a ban reason */
#define BAN_DAYS_MAX 3650         /* the longest ban in days short of permanent (0) */
#define BAN_SECONDS_MAX (BAN_DAYS_MAX * 86400LL)
#define BAN_PER_PAGE 50           /* rows of 小黑屋 per page */
#define BAN_EXPIRE_BATCH 100      /* bans lifted per ban_expire call */
#define IPBAN_CIDR_MAX 64         /* characters of an address or range as typed */
#define IPBAN_LIST_MAX 500        /* rows of the admin page and the API: IP bans are few */

/* the two kinds: the group the member is moved to */
enum { BAN_POST = 4 /* GROUP_BANNED_POST */, BAN_VISIT = 5 /* GROUP_BANNED_VISIT */ };

/* The rule: may WHO ban (or unban) member TARGET with kind TYPE, in the
   context of board FID (the board of the post that earned it; 0 = none)?
   禁言 takes the moderator of FID (forum_can_moderate), a super moderator or
   an admin; without a board, or for 禁止访问, a super moderator or an admin.
   Nobody bans themselves; staff (TARGET_STAFF: BAN_TARGET_ADMIN for an admin,
   BAN_TARGET_STAFF for other staff and board moderators, 0 for members) are
   banned only by an admin, admins by nobody. 1 allowed, else 0 with *why. No query. */
enum { BAN_TARGET_STAFF = 1, BAN_TARGET_ADMIN = 2 };
int ban_allowed(const struct actor *who, int64_t target, int target_staff, int type, int64_t fid, const char **why);

/* Bans UID: kind TYPE for SECONDS (0 = permanent) with REASON, in the
   context of board FID (see ban_allowed). A member already banned gets the
   new ban in place of the old one (the group to restore stays the one
   before the first). Logged (modlog). 0 ok, else FORUM_E_* with e. */
int ban_add(db *d, const struct actor *who, int64_t uid, int type, int64_t fid, int64_t seconds, const char *reason,
            time_t now, struct forum_err *e);
/* Lifts UID's current ban and restores the previous group (unless someone
   changed the group meanwhile). FORUM_E_NOTFOUND if not banned. */
int ban_lift(db *d, const struct actor *who, int64_t uid, int64_t fid, time_t now, struct forum_err *e);
/* Lifts the bans that expired by NOW: the number lifted, -1 on a db error. */
int ban_expire(db *d, time_t now);

struct ban_row {
	int64_t id, uid, type, moduid, created, expires;
	const char *username, *modname, *reason;
};
/* current bans (not lifted, not expired), newest first, keyset on id (before
   0 = from the newest). 0 ok, -1 db error. */
int ban_list(db *d, arena *a, int64_t before, int limit, time_t now, struct ban_row **out, int *n);
/* UID's current ban: 1 found (out set), 0 not banned, -1 error */
int ban_current(db *d, arena *a, int64_t uid, time_t now, struct ban_row *out);

/* 删除该用户所有帖子: every thread and reply of UID to the recycle bin (the
   soft delete), board and member counters recounted. Admins only. The
   number of floors removed in *count. */
int ban_remove_posts(db *d, const struct actor *who, int64_t uid, int64_t *count, struct forum_err *e);

/* ---- the moderators' queue count (header link) ----------------------------
   The number of open reports, cached per process: modq_refresh (the serve
   command's background thread, every 2 s) runs one COUNT; pages read it with
   modq_open() at no query. -1 if never loaded. */
int modq_refresh(db *d);   /* 0 ok, -1 error */
int64_t modq_open(void);

/* ---- IP bans ------------------------------------------------------------- */
/* Parses "1.2.3.4", "1.2.3.0/24", "2001:db8::/32" into the range's ends as
   32 hex digits each (IPv4 as ::ffff:a.b.c.d). 0 ok, -1 invalid. */
int ipban_parse(const char *cidr, char lo[33], char hi[33]);
int ipban_add(db *d, const struct actor *who, const char *cidr, int64_t seconds, const char *reason, time_t now,
              int64_t *id, struct forum_err *e);
int ipban_delete(db *d, const struct actor *who, int64_t id, struct forum_err *e);
/* 1 if IP (as text) is in a current IP ban, 0 if not (or unparsable), -1 error. One indexed query. */
int ipban_check(db *d, const char *ip, time_t now);
struct ipban_row { int64_t id, created, expires; const char *cidr, *reason; };
int ipban_list(db *d, arena *a, time_t now, int limit, struct ipban_row **out, int *n);
#endif
