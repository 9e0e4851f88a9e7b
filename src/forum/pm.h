/*
** pm: 短消息, private messages between members (issue #15). A conversation has
** 2..PM_MAX_MEMBERS members; two members who write again continue their one
** conversation (Discuz!'s pmtype 1). Only its members read it; an admin reads
** a message someone reported (pm_reports), never the rest. Messages are BBCode
** rendered at write time with the tags of BBCODE_PM (no remote images; images
** only from the sender's own uploads). A member may block senders (pm_block);
** new members are throttled (pm.newbie_days, pm.newbie_per_hour); 禁止访问 and
** 禁止发言 members cannot send. Each new message notifies the conversation's other members (提醒, NK_PM,
** forum/notify.h) in its transaction. Tables: migration 13 (pm_conv, pm_member, pm_msg,
** pm_block, pm_report).
*/
#ifndef LOULAN_PM_H
#define LOULAN_PM_H
#include "forum/forum.h"

#define PM_MAX_MEMBERS 10       /* a conversation: the sender and at most 9 others */
#define PM_TO_MAX 200           /* bytes of the recipients field as typed */
#define PM_BODY_MAX 10000       /* bytes of a message's source */
#define PM_SUBJECT_MAX 80       /* characters of a group conversation's subject */
#define PM_REASON_MAX 200       /* characters of a report's reason */
#define PM_EXCERPT 60           /* characters of the last message shown in the list */
#define PM_PER_PAGE 20          /* conversations per /pm page */
#define PM_MSGS_PER_PAGE 30     /* messages per conversation page (newest; older by ?before=MID) */
#define PM_BLOCK_MAX 500        /* members one member may block */
#define PM_REPORTS_PER_PAGE 30

/* The messages not yet read by uid in all their conversations: the header's 消息 count and the
** live counter (/events). One indexed query on the unread rows only. 0, or -1 on a database error. */
int pm_unread(db *d, int64_t uid, int64_t *n);

struct pm_conv {
	int64_t cid, creator, nmembers, created, lastmsg, lastmid, nmsgs, unread;
	const char *subject, *members /* "uid:name,uid:name" */, *lastauthor, *lastexcerpt;
};
struct pm_msg {
	int64_t mid, cid, uid, created;
	const char *author, *source, *html;
	int reported;
};

/* The member's conversations, newest first (by their last message's id), keyset before (lastmid, cid)
** (INT64_MAX, INT64_MAX for the first page). Returns how many (at most max), or -1. */
int pm_list(db *d, arena *a, int64_t uid, int64_t before_t, int64_t before_cid, int max, struct pm_conv *out);

/* A message body of uid rendered as a sent one is (BBCODE_PM, images only from uid's uploads): malloc'd
** HTML in *html and the list's excerpt in *excerpt (arena). 0, -1. For bulk writers (the Discuz! importer). */
int pm_render(db *d, arena *a, int64_t uid, const char *body, char **html, const char **excerpt);

/* A new message to the members named in to[] (names; the sender is added): a new conversation, or the one
** two members already have. The sender's rules (pm_can_send), the recipients (exist, 1..9, not blocking
** the sender), the throttle and the body's limit are checked first, then the body is rendered, then one
** transaction writes. *cid and *mid are set. Returns 0 or a FORUM_E_* code with e filled. */
int pm_send(db *d, arena *a, const struct actor *who, const char *const *to, int nto, const char *subject,
            const char *body, time_t now, int64_t *cid, int64_t *mid, struct forum_err *e);
/* A message in conversation cid of which who is a member (404 otherwise). */
int pm_reply(db *d, arena *a, const struct actor *who, int64_t cid, const char *body, time_t now, int64_t *mid,
             struct forum_err *e);
/* Reads conversation cid for who (a member: FORUM_E_NOTFOUND otherwise, the same for a conversation that does not
** exist), marking it read: the newest max messages before mid `before` (0: the newest), oldest first in out.
** *more: older messages exist. Two queries. */
int pm_read(db *d, arena *a, const struct actor *who, int64_t cid, int64_t before, int max, struct pm_conv *c,
            struct pm_msg *out, int *n, int *more, struct forum_err *e);

/* The rule: may who send messages at all (禁止访问/禁止发言 may not). 1, or 0 with *why. */
int pm_can_send(const struct actor *who, const char **why);
/* Splits a recipients field ("甲, 乙，丙" or "甲、乙": commas, 、, semicolons, lines): names into out (arena), at most max; -1 over max */
int pm_split_names(arena *a, const char *s, const char **out, int max);

/* 1 when uid is a member of a conversation showing attachment aid (an image its sender uploaded), 0 not, -1 */
int pm_attach_visible(db *d, int64_t aid, int64_t uid);

/* Block list: uid refuses messages from the member named name (on) or no longer (off). */
int pm_block_set(db *d, int64_t uid, const char *name, int on, time_t now, struct forum_err *e);
int pm_unblock_uid(db *d, int64_t uid, int64_t blocked);
struct pm_blocked { int64_t uid, created; const char *name; };
int pm_blocks(db *d, arena *a, int64_t uid, struct pm_blocked *out, int max);   /* how many, or -1 */

/* Reports message mid of a conversation who is a member of. */
int pm_report(db *d, const struct actor *who, int64_t mid, const char *reason, time_t now, struct forum_err *e);
/* The open reports, newest first (keyset before id; 0 the first page), each with its one message: admins only
** (FORUM_E_FORBIDDEN otherwise). Returns how many or a negative code. */
struct pm_report_row {
	int64_t id, mid, cid, reporter, created, author_uid, msg_created;
	const char *reason, *reporter_name, *author, *html;
};
int pm_reports(db *d, arena *a, const struct actor *who, int64_t before, int max, struct pm_report_row *out,
               struct forum_err *e);
int pm_report_handle(db *d, const struct actor *who, int64_t id, struct forum_err *e);
#endif
