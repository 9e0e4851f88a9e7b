/*
** perm: who may do what, decided here and nowhere else (not in templates,
** not in pages). The Discuz! model, simplified:
**   - a member's user group (usergroup: allowvisit/allowpost/allowreply) gives
**     the defaults; guests are group 7 (游客);
**   - a board may override them per group (table board_perm: allowview,
**     allowpost, allowreply, allowupload); a missing row means the defaults
**     (upload defaults to allowpost);
**   - the system groups 禁止访问 (5) and 禁止发言 (4) are absolute: no board
**     row lifts them; posting, replying and uploading also need view.
** board_perm is cached per process like the groups (perm_load); the
** background thread reloads it, so a check costs no query.
*/
#ifndef LOULAN_PERM_H
#define LOULAN_PERM_H
#include "db/db.h"
#include "forum/read.h"
struct forum_err;   /* forum.h */
#include <stdint.h>

enum perm_action { PERM_VIEW = 0, PERM_POST = 1, PERM_REPLY = 2, PERM_UPLOAD = 3 };

int perm_load(db *d);    /* (re)reads board_perm into the cache; 0 ok */
void perm_free(void);    /* at exit */

/*
** Returns 1 if the viewer (uid 0 = guest; groupid is the member's group,
** ignored for guests) may do ACTION on board FID, else 0 with *reason set
** to a readable Chinese sentence (static storage) if reason is non-NULL.
** FID 0 asks about the site as a whole (PERM_VIEW: may this group see any
** page at all). Needs no database: call it as often as you like.
*/
int perm_check(int64_t uid, int64_t groupid, int64_t fid, enum perm_action action, const char **reason);

/* The boards whose own row refuses view to group GROUPID (guests: GROUP_GUEST), up to cap of them
** into fids; returns how many there are (may be more than cap). Lists that filter in SQL (search)
** use it; any other refusal of view is site-wide (perm_check with fid 0). */
int perm_view_denied(int64_t groupid, int64_t *fids, int cap);

/* Board FID's own setting for GROUPID, else the group's defaults (each 0/1); 1 if the board has a row. */
int perm_board_get(int64_t fid, int64_t groupid, int allow[4]);
/* Sets board FID's row for GROUPID (each flag 0/1). 0 ok; -1 with err. */
int perm_set(db *d, int64_t fid, int64_t groupid, int view, int post, int reply, int upload, struct forum_err *e);
#endif
