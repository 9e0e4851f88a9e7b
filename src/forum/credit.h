/*
** credit: credits (credit.c), after Discuz!: three configurable credit types
** (extcredits 1-3, stored in member.ext1..ext3, named by the setting
** credit.names), a total (member.credits) computed by the setting
** credit.formula whenever a credit or a post count changes, rules
** (credit_rule) with a cycle and a cap, and a log (credit_log) of every
** change. Members of member groups move between groups as their total
** crosses the groups' bands. Knows nothing of HTTP or HTML.
*/
#ifndef LOULAN_CREDIT_H
#define LOULAN_CREDIT_H
#include "forum/forum.h"
#include "forum/site.h"   /* CREDIT_TYPES, struct credit_names (parsed into struct site) */

/* ---- credit types and the total formula (site settings) ---------------- */
void credit_names(struct credit_names *out);          /* from credit.names */
void credit_names_split(const char *s, struct credit_names *out);   /* "威望,金钱,贡献" */
int credit_ext(const char *name);                     /* 1..3, or 0 if not a credit type */
const char *credit_name(arena *a, int ext);           /* "威望"; "ext4" style if unnamed */
int credit_shown(int ext);                            /* 1 if credit.show lists it */
/* parses "posts+5*digestposts+2*威望+ext2+ext3"; coef: posts, threads, digestposts, ext1, ext2, ext3 */
int credit_formula_parse(const char *s, int64_t coef[6]);   /* with the current credit.names */
int credit_formula_parse_names(const char *s, const char *names, int64_t coef[6]);

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
/* credit_award in steps, for a write that updates the member's row anyway (a new post: the flood
   stamp, issue 16): credit_plan reads the rule and the cap (what credit_award would add: ext, and
   whether it logs); the caller's one member UPDATE adds plan.ext and sets credits by credit_coef
   (posts, threads, digestposts, ext1..3, from the row's new values) RETURNING credits, groupid; then
   credit_planned writes the log row and follows the member group. 0 ok, -1 db error. */
struct credit_plan { int64_t ext[3]; int award; const char *action; };
int credit_plan(db *d, int64_t uid, const char *action, int64_t fid, time_t now, struct credit_plan *pl);
void credit_coef(int64_t coef[6]);   /* the formula's coefficients now (credit.formula) */
int credit_planned(db *d, int64_t uid, const struct credit_plan *pl, const char *objtype, int64_t objid, int64_t credits,
                   int64_t groupid, time_t now);
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
struct member_info { int64_t uid, groupid, posts, threads, digestposts, credits, ext[3], regdate, warnings; const char *name; };
int credit_member(db *d, arena *a, int64_t uid, struct member_info *out);  /* 1 found, 0 not, -1 err */

/* ---- rating ranges per group (group_rate), cached with the groups ------- */
struct group_rate { int64_t groupid; int ext; int64_t min, max, quota; };
int credit_rates_load(db *d);
int credit_rate_range(int64_t groupid, int ext, struct group_rate *out);   /* 1 allowed */
int credit_can_rate(int64_t groupid);                                      /* any range at all */
#endif
