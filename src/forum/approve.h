/*
** approve: 审核. A board may hold new threads and/or replies from chosen
** groups for approval (table board_approval, cached per process like the
** moderators). A held post waits in pending_post, outside the post table, so
** nobody else sees it and no counter counts it; the author sees it on
** /pending marked 待审核; a moderator of the board approves it (it is then
** written by the one write path, forum_new_thread/forum_new_reply, as its
** author) or deletes it at /modcp/pending. Knows nothing of HTTP or HTML.
*/
#ifndef LOULAN_APPROVE_H
#define LOULAN_APPROVE_H
#include "forum/forum.h"
#include "forum/posting.h"

#define APPROVE_GROUPS_MAX 200     /* characters of a board's group list ("10,11") */
#define APPROVE_PER_PAGE 50        /* /modcp/pending and /pending */
#define APPROVE_BATCH_MAX 50       /* ids in one approve/delete (a form holds at most HTTP_MAX_FIELDS) */
enum { APPROVE_THREADS = 1, APPROVE_REPLIES = 2 };

int approval_load(db *d);   /* the board settings into the process cache; 0 ok, -1 error */
void approval_free(void);
/* Board FID's setting: KINDS (APPROVE_* bits) and GROUPS ("" = every member group). 0 ok. */
int approval_set(db *d, int64_t fid, int kinds, const char *groups, struct forum_err *e);
/* the rule (no query): must WHO's new post of KIND (APPROVE_THREADS/REPLIES) in board FID wait?
   Never for the console, nor the board's moderators, super moderators and admins. */
int approval_needed(const struct actor *who, int64_t fid, int kind);
/* the board's setting from the cache (the form and the API show it): kinds, groups into buf */
int approval_get(int64_t fid, char *groups, size_t cap);

/* Holds WHO's new thread in FID (TID 0) or reply to TID if the board wants it: 1 held (*id
   set), 0 not needed (the caller writes the post as usual), else FORUM_E_* with e. The input
   is checked as forum_new_thread/forum_new_reply would. AIDS (N of them) are the uploads sent
   with it: those and the ones its text places ([attach]N) that are WHO's, unused and allowed, are held with it (attachment.pid = -id: no other post
   can take them, the collector of unused uploads leaves them) and given to the post on approval,
   back to unused on deletion. */
int approval_hold(db *d, const struct actor *who, int64_t fid, int64_t tid, const struct post_input *in, time_t now,
                  const int64_t *aids, int naids, int64_t *id, struct forum_err *e);

struct pending_row {
	int64_t id, fid, tid, uid, created, typeid;
	const char *author, *subject, *source, *format, *thread_subject;
};
/* pending posts, newest first, keyset on id: of member UID (uid > 0) or of every board
   (uid 0; the caller filters by forum_can_moderate). 0 ok, -1 error. */
int approval_list(db *d, arena *a, int64_t uid, int64_t before, int limit, struct pending_row **out, int *n);
/* approves (approve = 1) or deletes pending post ID as WHO (its board's moderator):
   0 ok (*tid, *pid of the new post when approved), else FORUM_E_* with e */
int approval_decide(db *d, const struct actor *who, int64_t id, int approve, time_t now, int64_t *tid, int64_t *pid,
                    struct forum_err *e);
int64_t approval_count(db *d);   /* pending posts in all, -1 error (the header's count) */
#endif
