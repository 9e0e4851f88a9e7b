/*
** react: reactions on floors (react.c): likes, attitudes (支持/反对),
** ratings (评分) and reports (举报). Credits are in credit.h.
**
** Reactions keep per-floor summaries on the post row in the same transaction
** (post.likes/support/oppose/likers/rates), so the thread page reads them in
** its floors query and its query count does not depend on them.
** Knows nothing of HTTP or HTML.
*/
#ifndef LOULAN_REACT_H
#define LOULAN_REACT_H
#include "forum/forum.h"
#include "forum/credit.h"

#define REACT_LIKERS_SHOWN 10       /* likers kept on the post row */
#define REACT_RATES_SHOWN 10        /* rating lines kept on the post row */
#define REACT_REASON_MAX 100        /* characters of a rating or report reason */
#define REACT_SCORE_MAX 99999      /* |score| of one rating accepted before the group's range is checked */
#define REACT_NOTE_MAX 200          /* characters of a moderator's note on a report */
#define REACT_LIKES_PER_PAGE 50     /* /p/{pid}/likes */
#define REACT_REPORTS_PER_PAGE 50   /* /modcp/reports */

/* ---- reactions ------------------------------------------------------------- */
enum { REACT_OK = 0, REACT_ERR = -1, REACT_NOPOST = 1, REACT_OWN = 2, REACT_DUP = 3, REACT_RANGE = 4,
       REACT_QUOTA = 5, REACT_DENIED = 6, REACT_BAD = 7 };
const char *react_message(int rc);   /* a Chinese sentence for a refusal */

struct react_state {
	int64_t tid, position, likes, support, oppose;
	int64_t fid;          /* the floor's board */
	char subject[256];    /* its thread's subject (for the author's notification) */
};
/* WHO must be able to view the floor's board (perm_check); members of
   禁止发言 may report but not like, take an attitude or rate. Returns REACT_*. */
int react_like(db *d, const struct actor *who, int64_t pid, time_t now, struct react_state *st);
int react_unlike(db *d, const struct actor *who, int64_t pid, struct react_state *st);   /* idempotent */
int react_attitude(db *d, const struct actor *who, int64_t pid, int attitude, time_t now,
                   struct react_state *st); /* 1 支持 / -1 反对 / 0 taken back (no error without one) */
/* may WHO rate a floor by AUTHORID at all (pure): REACT_OK, REACT_OWN or REACT_DENIED */
int react_can_rate(const struct actor *who, int64_t authorid);
int react_rate(db *d, const struct actor *who, int64_t pid, int ext, int64_t score, const char *reason, time_t now,
               struct react_state *st, int64_t *rateid);
int react_report(db *d, const struct actor *who, int64_t pid, const char *reason, time_t now, struct react_state *st,
                 int64_t *reportid);
/* moderators only (forum_may_moderate), else REACT_DENIED */
int react_rate_revoke(db *d, const struct actor *who, int64_t rateid, time_t now, struct react_state *st);
int react_report_handle(db *d, const struct actor *who, int64_t id, const char *note, time_t now);
/* the open report ID's post and board: 1 found (open), 0 not, -1 error */
int react_report_target(db *d, int64_t id, int64_t *pid, int64_t *fid);

/* Recomputes a floor's likes/likers, support/oppose and rates summaries from post_like, post_attitude and
   post_rate (inside the caller's transaction): 0, -1. For bulk writers (the Discuz! importer). */
int react_refresh(db *d, int64_t pid);

/* the post row's summaries, parsed */
struct react_liker { int64_t uid; const char *name; };
int react_parse_likers(arena *a, const char *s, struct react_liker **out);
struct react_rate_line { int64_t id, uid, score; int ext; const char *name, *reason; };
struct react_rates { int64_t count, total[3]; struct react_rate_line *lines; int n; };
void react_parse_rates(arena *a, const char *s, struct react_rates *out);

/* all likers, most recent first, keyset on post_like.id (before = 0: newest) */
struct react_like_row { int64_t id, uid, created; const char *name; };
int react_likes(db *d, arena *a, int64_t pid, int64_t before, int limit, struct react_like_row **out, int *n);
struct react_post { int64_t pid, tid, fid, position, authorid, likes; const char *subject, *author; int anonymous; };
int react_post(db *d, arena *a, int64_t pid, struct react_post *out);   /* 1 found */

#define REACT_EXCERPT_MAX 80      /* characters of the reported post shown in the queue */
struct report_row {
	int64_t id, pid, tid, fid, uid, created, status, handled, authorid;
	const char *username, *reason, *handlername, *note, *subject, *author, *excerpt;
};
/* open reports (status 0) or handled ones (status 1), newest first, keyset on id; fid is the
   thread's board (0 when the thread is gone), for the read-permission filter; with the
   thread's title and the reported post's author and first REACT_EXCERPT_MAX characters;
   moderators only (forum_can_moderate(who, 0)): REACT_DENIED for others, REACT_ERR, REACT_OK */
int react_reports(db *d, arena *a, const struct actor *who, int status, int64_t before, int limit,
                  struct report_row **out, int *n);
#endif
