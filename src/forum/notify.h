/*
** notify: 提醒, what a member is told (issue #15). One row per event in the
** `notification` table; an unread like of one post is one grouped row
** ("X 等 5 人赞了您的帖子"). The member's unread count lives in
** member_notify.unread, read by the session lookup, so the header's bell
** costs no query. Each kind can be switched off per member (bit 1 << kind in
** member_notify.kinds_off).
**
** notify_add is called inside the writer's transaction (a reply, a quote, a
** like, a rating, a moderator's action, a 短消息): one INSERT (or one UPSERT
** for grouped likes) plus one counter UPSERT; it reads nothing else. Callers
** decide who may see the object (a mention in a board the member cannot see
** is not written: notify_can_see).
*/
#ifndef LOULAN_NOTIFY_H
#define LOULAN_NOTIFY_H
#include "forum/forum.h"

enum notify_kind { NK_REPLY, NK_QUOTE, NK_MENTION, NK_RATE, NK_LIKE, NK_MOD, NK_PM, NK_FOLLOW, NK_COUNT };

#define NOTIFY_SUBJECT_MAX 240   /* bytes of the subject copied into a row (cut at a character) */
#define NOTIFY_EXTRA_MAX 500     /* bytes of the extra text (reason, score, excerpt) copied into a row */
#define NOTIFY_PER_PAGE 20       /* rows of /notifications and the API per page */
#define NOTIFY_READ_IDS_MAX 100  /* ids in one POST /api/v1/notifications/read */

struct notify {
	enum notify_kind kind;
	int64_t uid;                /* who is told */
	int64_t actor_uid;          /* who did it (0: the system) */
	const char *actor_name;     /* their name, or NULL */
	int64_t fid, tid, pid;      /* the post it is about (0 when none) */
	int64_t objid;              /* NK_PM: the conversation */
	const char *subject;        /* the thread's subject or the message's title; NULL or "": thread tid's */
	const char *extra;          /* NK_MOD: action and reason; NK_RATE: the score; NK_PM: an excerpt; or NULL */
};

/* Writes one notification (inside the caller's transaction when there is one). 1 written (or grouped into an
   unread row), 0 not written (the member switched the kind off, told of their own act, uid 0), -1 db error. */
int notify_add(db *d, const struct notify *n, time_t now);
/* the member's unread count (member_notify.unread); 0 ok, -1 db error */
int notify_unread(db *d, int64_t uid, int64_t *n);

/* a row of the list */
struct notify_row {
	int64_t id, kind, actor_uid, nactors, fid, tid, pid, objid, isread, created, updated;
	const char *actor_name, *subject, *extra;
};
/* The member's notifications, newest first: rows before the cursor (updated, id) (0, 0: the first page),
   unread ones only when unread_only; at most max rows. Returns the count or -1. */
int notify_list(db *d, arena *a, int64_t uid, int unread_only, int64_t before_updated, int64_t before_id, int max,
                struct notify_row **out);
/* marks read: the ids given (others' ids are ignored), or all when nids == 0 (all = 1); returns the rows
   marked or -1; the unread count is recounted in the same transaction */
int notify_mark_read(db *d, int64_t uid, const int64_t *ids, int nids, int all);
/* the member's row id (uid-guarded), marked read: 1 found (*out filled), 0 not theirs or gone, -1 error */
int notify_open(db *d, arena *a, int64_t uid, int64_t id, struct notify_row *out);
/* per-kind switches: bit 1 << kind set = off */
int notify_kinds_off(db *d, int64_t uid, int64_t *off);
int notify_set_kinds_off(db *d, int64_t uid, int64_t off);
const char *notify_kind_label(enum notify_kind k);   /* the Chinese name of a kind (settings page) */

/* ---- the write path's hooks (forum/posting.c) ------------------------------------------------ */
#define NOTIFY_MENTIONS_MAX 10  /* = MENTION_MAX_PER_POST (markup/mention.h): members told per post */
#define NOTIFY_QUOTES_MAX 3   /* quoted floors whose authors are told, per post */

/* who a post tells, found while it is rendered: the members it @mentions (linked, at most
   MENTION_MAX_PER_POST) and the authors of the floors it quotes, with their groups (for the view rule) */
struct notify_targets {
	int nmention, nquote;
	int64_t mention_uid[NOTIFY_MENTIONS_MAX], mention_group[NOTIFY_MENTIONS_MAX];
	int64_t quote_uid[NOTIFY_QUOTES_MAX], quote_group[NOTIFY_QUOTES_MAX], quote_pid[NOTIFY_QUOTES_MAX];
};
/* forum_cook with @mentions resolved (one query when the text has candidates, one when it quotes floors),
   before any transaction; t may be NULL (rerender: links only). 0 ok, -1 render failure, -2 db error. */
int notify_cook(db *d, const char *format, const char *source, char **html, struct notify_targets *t);

/* inside the post's transaction: the targets' groups read again (targets resolved before, on another
   thread (issue 16): a member banned or moved meanwhile is judged by the group they have now, one gone
   is told nothing); one query when there are targets, none otherwise. 0 ok, -1 db error. */
int notify_targets_refresh(db *d, struct notify_targets *t);

/* a new post, inside its transaction: tells the quoted authors (NK_QUOTE), the thread's author (NK_REPLY,
   unless told of a quote), the mentioned (NK_MENTION, a notice of its own) and the thread's other followers
   (NK_FOLLOW); never the writer, nobody whose group may not view the board. thread_author 0: a new thread. */
struct notify_post {
	const struct actor *who;
	int64_t fid, tid, pid;
	int64_t thread_author, thread_author_group;
	const char *subject;
	const char *name;   /* the writer's name as stored on the post */
	int no_followers;   /* 1: the caller knows the thread has no followers (their statements are skipped) */
};
int notify_post(db *d, const struct notify_post *np, const struct notify_targets *t, time_t now);

/* 关注: follow or unfollow a thread (the caller checks the viewer may see it); is_following for the page */
int notify_follow(db *d, int64_t tid, int64_t uid, int on, time_t now);
int notify_following(db *d, int64_t tid, int64_t uid, int *on);

/* the composer's @ completion: members whose name starts with prefix (compared by their name key),
   at most max (NOTIFY_COMPLETE_MAX), in name order; names in a. Returns the count or -1. */
#define NOTIFY_COMPLETE_MAX 8
#define NOTIFY_COMPLETE_PREFIX_MAX 15   /* characters of the prefix (a name's length) */
struct notify_name { int64_t uid; const char *name; };
int notify_complete(db *d, arena *a, const char *prefix, int max, struct notify_name **out);
#endif
