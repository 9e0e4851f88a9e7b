/*
** anon: 匿名 (anonymous) threads and posts (thread.anonymous, post.anonymous; Discuz!'s isanonymous, kept by
** the importer). The author is stored as usual, so rules that need it (editing one's own post, credits,
** bans) keep working, but it is shown only to the moderators of the post's board (marked 匿名); everyone
** else, on every page and in every JSON answer, sees ANON_NAME with no uid, no link, no avatar, no
** signature and no author statistics. A member's space does not list their anonymous posts, and the
** author filter (只看该作者) does not find them. A last poster stored as "" (a thread's or a board's
** lastposter, written so for an anonymous post) is shown as ANON_NAME.
*/
#ifndef LOULAN_ANON_H
#define LOULAN_ANON_H
#include "forum/forum.h"

#define ANON_NAME "匿名"
/* a guest's post (uid 0: an imported Discuz! site let guests post): shown as GUEST_NAME, no link */
#define GUEST_NAME "游客"
/* 1 when who may see the real author of an anonymous post of board fid (its moderators), else 0 */
int anon_sees(const struct actor *who, int64_t fid);
/* the name to show for a stored last poster: "" is an anonymous post's */
const char *anon_lastposter(const char *name);
#endif
