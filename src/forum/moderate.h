/*
** moderate: moderation (issue #12). One rule decides who may moderate a
** board (forum_can_moderate); every moderation action is written to the
** moderation log (modlog_add) in the action's own transaction.
**
** Board moderators (table moderator) are cached per process like the board
** permissions (mod_load): the rule costs no query. The cache is reloaded
** when the site generation moves (a moderator added on another node) and
** after every local change.
*/
#ifndef LOULAN_MODERATE_H
#define LOULAN_MODERATE_H
#include "forum/forum.h"

#define MOD_REASON_MAX 255     /* bytes of a moderation reason */
#define MOD_PER_BOARD_MAX 32   /* moderators of one board */

/* (Re)reads the moderator table into the cache; 0 ok, -1 database error. */
int mod_load(db *d);
void mod_free(void);   /* at exit */

/* 1 if the actor may moderate board FID: the console (override), an admin
   (group 1), a super moderator (group 2) anywhere, or a moderator of FID.
   FID 0 asks "anywhere at all" (admin, super moderator, or moderator of
   some board). Needs no database. */
int forum_can_moderate(const struct actor *who, int64_t fid);
/* 1 for admins, super moderators and the console: the actions reserved to
   them (stick levels 2 and 3, moving into any board, …) */
int forum_is_supermod(const struct actor *who);

/* The moderators of board FID, as "name1, name2" in BUF (empty if none);
   returns the count. No query. */
int mod_names(int64_t fid, char *buf, size_t len);
/* The moderators of board FID (up to MAX) into OUT; returns the count. No query. */
struct mod_ref { int64_t uid; char name[64]; };
int mod_list(int64_t fid, struct mod_ref *out, int max);
/* The boards UID moderates: up to MAX fids into FIDS; returns the count. */
int mod_boards(int64_t uid, int64_t *fids, int max);

/* Adds (remove = 0) or removes board FID's moderator NAME. Admins only
   (who->groupid 1 or the console). Logged. 0 ok, else FORUM_E_* with e. */
int mod_set(db *d, const struct actor *who, int64_t fid, const char *name, int remove, struct forum_err *e);

/* ---- thread actions (the 管理 menu, the batch bar, POST /api/v1/threads/{tid}/moderate) ----
   action: stick unstick digest undigest highlight close open move bump sink delete restore purge.
   level: stick 1 本版 / 2 分类 / 3 全局 (2 and 3: super moderators and admins), digest 1-3 (0 = 1);
   color: a palette name (mod_colors) or "" / "none"; bold; fid: move's target; stub: move leaves a
   "moved" stub in the old board; reason: optional, at most MOD_REASON_MAX bytes. */
#define MOD_COLORS 8
struct mod_color { const char *name, *label, *hex; };
const struct mod_color *mod_color(int i);   /* 1..MOD_COLORS; NULL otherwise */
struct mod_request {
	const char *action;
	int level, bold, stub;
	const char *color, *reason;
	int64_t fid;
};
/* Does it, logs it, keeps every counter right, bumps the caches. *fid_out (may be NULL) gets the
   thread's board afterwards. 0 ok; FORUM_E_INVALID (bad action or field), FORUM_E_FORBIDDEN,
   FORUM_E_NOTFOUND (no such thread, or not in the state the action needs), FORUM_E_DB. */
int mod_thread(db *d, const struct actor *who, int64_t tid, const struct mod_request *r, int64_t *fid_out,
               struct forum_err *e);

/* The board page's batch bar: the same request on N threads in one transaction, all or nothing. On a
   refusal nothing changed, *failed is the tid refused and e's message names it (number and title). */
int mod_threads(db *d, const struct actor *who, const int64_t *tids, int n, const struct mod_request *r,
                int64_t *failed, struct forum_err *e);

/* ---- post actions (the floor's 管理 menu, POST /api/v1/posts/{pid}/moderate) ----
   action: ban (屏蔽) unban warn (警告, counted on the member) unwarn delete. *tid_out (may be
   NULL) gets the post's thread. Same codes as mod_thread. */
int mod_post(db *d, const struct actor *who, int64_t pid, const char *action, const char *reason, int64_t *tid_out,
             struct forum_err *e);

/* ---- the recycle bin and the log, for /modcp ---- */
#define MOD_LIST_MAX 50   /* rows of one /modcp page */
struct recycled { int64_t tid, fid, authorid, replies, hiddenat; const char *subject, *author, *board; };
/* threads in the bin that WHO may moderate, newest first, before the key (hiddenat, tid) (0 = newest) */
int mod_recycle_list(db *d, arena *a, const struct actor *who, int64_t before_at, int64_t before_tid,
                     struct recycled **out, int *n, int *has_more);
struct modlog_row { int64_t id, uid, fid, tid, pid, target_uid, created; const char *username, *action, *reason, *extra, *board; };
/* the log as WHO may see it (admins and super moderators: all; moderators: their boards), newest
   first, ids below BEFORE (0 = newest) */
int modlog_list(db *d, arena *a, const struct actor *who, int64_t before, struct modlog_row **out, int *n, int *has_more);

/* One line of the moderation log. action is a short English verb
   ("stick", "close", "ban", …, see modlog_label); fid/tid/pid/uid the
   target (0 if none); reason and extra may be NULL. */
struct modlog_entry {
	const char *action;
	int64_t fid, tid, pid, uid;
	const char *reason, *extra;
};
/* Writes the entry as WHO, now. Call it inside the action's transaction.
   0 ok, -1 database error. */
int modlog_add(db *d, const struct actor *who, const struct modlog_entry *m);
/* The Chinese name of a logged action ("置顶"), or the action itself. */
const char *modlog_label(const char *action);
#endif
