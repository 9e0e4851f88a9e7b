/*
** favorite: 收藏, a member's saved threads (table favorite), newest first.
** Adding checks that the member may see the thread (forum_can_view); the
** list leaves out threads hidden since (recycle bin, hidden boards) and the
** page drops those of boards the viewer may no longer see (page_sees).
*/
#ifndef LOULAN_FAVORITE_H
#define LOULAN_FAVORITE_H
#include "forum/forum.h"
#include "forum/read.h"

#define FAVORITE_MAX 1000        /* threads one member may keep (403 above) */
#define FAVORITE_PER_PAGE 20     /* rows of /favorites */

/* 0 added (or already there), else FORUM_E_NOTFOUND, FORUM_E_FORBIDDEN (cannot see it, or FAVORITE_MAX kept), FORUM_E_DB */
int favorite_add(db *d, const struct actor *who, int64_t tid, time_t now, struct forum_err *e);
int favorite_remove(db *d, int64_t uid, int64_t tid);   /* 0 (also when it was not there), -1 error */
int favorite_has(db *d, int64_t uid, int64_t tid);       /* 1 saved, 0 not, -1 error */
/* the list: the keyset (created, tid) below before_*; INT64_MAX for the first page. rows[i].saved = when saved */
struct favorite_row { struct thread t; int64_t saved; };
int favorite_list(db *d, arena *a, int64_t uid, int64_t before_time, int64_t before_tid, struct favorite_row **rows,
                  int *n);
#endif
