/*
** react: credits (credit.c) and reactions on floors (react.c): likes,
** attitudes (支持/反对), ratings (评分) and reports (举报).
**
** Credits follow Discuz!: three configurable credit types (extcredits 1-3,
** stored in member.ext1..ext3, named by the setting credit.names), a total
** (member.credits) computed by the setting credit.formula whenever a credit
** or a post count changes, rules (credit_rule) with a cycle and a cap, and a
** log (credit_log) of every change. Members of member groups move between
** groups as their total crosses the groups' bands.
**
** Reactions keep per-floor summaries on the post row in the same transaction
** (post.likes/support/oppose/likers/rates), so the thread page reads them in
** its floors query and its query count does not depend on them.
** Knows nothing of HTTP or HTML.
*/
#ifndef LOULAN_REACT_H
#define LOULAN_REACT_H
#include "forum/forum.h"

#define CREDIT_TYPES 3
#define CREDIT_NAME_MAX 32          /* bytes of one credit type's name */
#define REACT_LIKERS_SHOWN 10       /* likers kept on the post row */
#define REACT_RATES_SHOWN 10        /* rating lines kept on the post row */
#define REACT_REASON_MAX 100        /* characters of a rating or report reason */
#define REACT_SCORE_MAX 99999      /* |score| of one rating accepted before the group's range is checked */
#define REACT_NOTE_MAX 200          /* characters of a moderator's note on a report */
#define REACT_LIKES_PER_PAGE 50     /* /p/{pid}/likes */
#define REACT_REPORTS_PER_PAGE 50   /* /modcp/reports */

/* ---- credit types and the total formula (site settings) ---------------- */
struct credit_names { char name[CREDIT_TYPES][CREDIT_NAME_MAX]; int n; };
void credit_names(struct credit_names *out);          /* from credit.names */
int credit_ext(const char *name);                     /* 1..3, or 0 if not a credit type */
const char *credit_name(arena *a, int ext);           /* "威望"; "ext4" style if unnamed */
int credit_shown(int ext);                            /* 1 if credit.show lists it */
/* parses "posts+5*digestposts+2*威望+ext2+ext3"; coef: posts, threads, digestposts, ext1, ext2, ext3 */
int credit_formula_parse(const char *s, int64_t coef[6]);

/* ---- changes ------------------------------------------------------------- */
/* Adds ext[] to the member's credits, logs it, recomputes the total and the
   member group. Inside the caller's transaction. 0 ok, -1 db error. */
int credit_change(db *d, int64_t uid, const char *action, const char *objtype, int64_t objid, const int64_t ext[3],
                  time_t now);
/* Recomputes member.credits (after a post count changed) and the group. */
int credit_recount(db *d, int64_t uid);
int credit_recount_thread(db *d, int64_t tid);   /* every author of the thread's posts */
/* Applies the rule for ACTION in board FID (a board's own row overrides fid 0)
   if its cycle and cap allow, and always recomputes the total.
   1 awarded, 0 not (no rule, or cap reached), -1 db error. */
int credit_award(db *d, int64_t uid, const char *action, int64_t fid, const char *objtype, int64_t objid, time_t now);
/* daily login reward in its own transaction; errors are ignored by callers */
int credit_login(db *d, int64_t uid, time_t now);

struct credit_rule { const char *action, *name, *cycle; int64_t fid, ext[3], cap; };
/* adds or replaces the rule for (action, fid); cycle: once, daily or unlimited */
int credit_rule_set(db *d, const struct credit_rule *r, struct forum_err *e);
/* rules in force in board FID (fid 0: site-wide), one per action */
int credit_rules(db *d, arena *a, int64_t fid, struct credit_rule **out, int *n);

struct credit_log_row { int64_t id, objid, ext[3], created; const char *action, *objtype; };
/* a member's credit log, newest first, keyset on id (before = 0: newest) */
int credit_log_list(db *d, arena *a, int64_t uid, int64_t before, int limit, struct credit_log_row **out, int *n);

/* member profile for the API and the user space */
struct member_info { int64_t uid, groupid, posts, threads, digestposts, credits, ext[3], regdate; const char *name; };
int credit_member(db *d, arena *a, int64_t uid, struct member_info *out);  /* 1 found, 0 not, -1 err */

/* ---- rating ranges per group (group_rate), cached with the groups ------- */
struct group_rate { int64_t groupid; int ext; int64_t min, max, quota; };
int credit_rates_load(db *d);
int credit_rate_range(int64_t groupid, int ext, struct group_rate *out);   /* 1 allowed */
int credit_can_rate(int64_t groupid);                                      /* any range at all */

/* ---- reactions ------------------------------------------------------------- */
enum { REACT_OK = 0, REACT_ERR = -1, REACT_NOPOST = 1, REACT_OWN = 2, REACT_DUP = 3, REACT_RANGE = 4,
       REACT_QUOTA = 5, REACT_DENIED = 6, REACT_BAD = 7 };
const char *react_message(int rc);   /* a Chinese sentence for a refusal */

struct react_state { int64_t tid, position, likes, support, oppose; };
/* WHO must be able to view the floor's board (perm_check); members of
   禁止发言 may report but not like, take an attitude or rate. Returns REACT_*. */
int react_like(db *d, const struct actor *who, int64_t pid, time_t now, struct react_state *st);
int react_unlike(db *d, const struct actor *who, int64_t pid, struct react_state *st);   /* idempotent */
int react_attitude(db *d, const struct actor *who, int64_t pid, int attitude, time_t now,
                   struct react_state *st); /* 1 / -1 */
/* may WHO rate a floor by AUTHORID at all (pure): REACT_OK, REACT_OWN or REACT_DENIED */
int react_can_rate(const struct actor *who, int64_t authorid);
int react_rate(db *d, const struct actor *who, int64_t pid, int ext, int64_t score, const char *reason, time_t now,
               struct react_state *st, int64_t *rateid);
int react_report(db *d, const struct actor *who, int64_t pid, const char *reason, time_t now, struct react_state *st,
                 int64_t *reportid);
/* moderators only (forum_may_moderate), else REACT_DENIED */
int react_rate_revoke(db *d, const struct actor *who, int64_t rateid, time_t now, struct react_state *st);
int react_report_handle(db *d, const struct actor *who, int64_t id, const char *note, time_t now);

/* the post row's summaries, parsed */
struct react_liker { int64_t uid; const char *name; };
int react_parse_likers(arena *a, const char *s, struct react_liker **out);
struct react_rate_line { int64_t id, uid, score; int ext; const char *name, *reason; };
struct react_rates { int64_t count, total[3]; struct react_rate_line *lines; int n; };
void react_parse_rates(arena *a, const char *s, struct react_rates *out);

/* all likers, most recent first, keyset on post_like.id (before = 0: newest) */
struct react_like_row { int64_t id, uid, created; const char *name; };
int react_likes(db *d, arena *a, int64_t pid, int64_t before, int limit, struct react_like_row **out, int *n);
struct react_post { int64_t pid, tid, fid, position, authorid, likes; const char *subject, *author; };
int react_post(db *d, arena *a, int64_t pid, struct react_post *out);   /* 1 found */

struct report_row { int64_t id, pid, tid, uid, created, status, handled; const char *username, *reason, *handlername, *note; };
/* open reports (status 0) or handled ones (status 1), newest first, keyset on id;
   moderators only: REACT_DENIED for others, REACT_ERR, REACT_OK */
int react_reports(db *d, arena *a, const struct actor *who, int status, int64_t before, int limit,
                  struct report_row **out, int *n);
#endif
