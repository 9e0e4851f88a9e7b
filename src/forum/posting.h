/*
** posting: the write path (new threads, replies, edits, deletes) and its
** rules on the acting user (posting.c). See docs/HACKING.md, "Posting".
*/
#ifndef LOULAN_POSTING_H
#define LOULAN_POSTING_H
#include "forum/forum.h"
#include "forum/read.h"
#include "forum/notify.h"

#define FORUM_TITLE_MAX 80              /* thread titles, characters */
#define FORUM_BODY_MAX (64 * 1024)      /* post source, bytes (413 above) */
#define FORUM_QUOTE_EXCERPT 100         /* characters of a quoted floor */
#define FORUM_FLOOD_DEFAULT 15          /* seconds between a member's posts (post.flood_seconds) */


/* the moderator-only rule without a board (report queue, revoking ratings): moderators of some board,
   super moderators, admins and the console; per board: forum_can_moderate (moderate.h) */
int forum_may_moderate(const struct actor *who);
int forum_can_edit(const struct actor *who, int64_t fid, int64_t authorid);   /* own post, or the board's moderator */
/* may see board fid and everything in it (perm_check PERM_VIEW, no query): every read of a
   board's threads, posts, titles or names asks this first; *why (may be NULL) gets the reason */
int forum_can_view(const struct actor *who, int64_t fid, const char **why);
/* may start threads / reply on board fid (perm_check + closed threads); *why gets the reason */
int forum_can_post(const struct actor *who, int64_t fid, const char **why);
/* may upload attachments on board fid (the board permission `upload`) */
int forum_can_upload(const struct actor *who, int64_t fid, const char **why);
int forum_can_reply(const struct actor *who, int64_t fid, int closed, const char **why);
int forum_can_view_history(const struct actor *who, int64_t fid, int64_t authorid);
/* the closed-thread rule: 1 if WHO may do V in a thread with this closed flag */
enum forum_verb { FORUM_REPLY = 0, FORUM_EDIT = 1, FORUM_DELETE = 2 };
int forum_closed_allows(const struct actor *who, int64_t fid, int closed, enum forum_verb v, const char **why);
int forum_flood_seconds(void);

/* one post with its thread, for edit/quote/redirect; 1 found, 0 not (or its thread is hidden), -1 error */
struct post_full {
	int64_t pid, tid, fid, position, authorid, created, edited, deleted, typeid, closed;
	int forbidreprint;
	const char *author, *source, *format, *html, *subject, *editor;
	struct board board;      /* fid, name, types, requiretype */
	int anonymous;           /* 匿名 (anon.h): quoted as such */
};
struct post_input {
	const char *title;       /* new thread / edit of floor 1; NULL keeps it */
	const char *body, *format;  /* format NULL: bbcode */
	int64_t typeid;          /* -1: keep (edit) */
	int forbidreprint;       /* -1: keep (edit) */
};
int forum_check_title(const char *title, struct forum_err *e);
int forum_check_body(const char *body, const char *format, struct forum_err *e);
int forum_check_format(const char *format, struct forum_err *e);

int forum_new_thread(db *d, const struct actor *who, int64_t fid, const struct post_input *in, time_t now,
                     int64_t *tid, int64_t *pid, struct forum_err *e);
int forum_new_reply(db *d, const struct actor *who, int64_t tid, const struct post_input *in, time_t now,
                    int64_t *pid, int64_t *position, struct forum_err *e);
/* forum_new_reply in its two steps (issue 16): forum_reply_prepare checks the input and renders it with
   its @mentions and quotes resolved (reads only, no transaction: the group commit's worker thread runs
   it); forum_reply_apply is the transaction, where every rule that needs the current rows is decided
   (thread there and open, the board's rights, flood control, the told members' groups). Only with no
   attachment scope between them (forum/attach.h: the scope is the thread's). a: the HTML's arena (NULL:
   malloc'd, freed by forum_reply_apply, which must follow). The same IN goes to both. */
struct reply_prep {
	const char *format;
	char *html;
	int owned;                  /* html is malloc'd */
	struct notify_targets nt;   /* who the post tells (forum/notify.h) */
};
int forum_reply_prepare(db *d, arena *a, const struct actor *who, const struct post_input *in, struct reply_prep *rp,
                        struct forum_err *e);
int forum_reply_apply(db *d, const struct actor *who, int64_t tid, const struct post_input *in, struct reply_prep *rp,
                      time_t now, int64_t *pid, int64_t *position, struct forum_err *e);
/* Edit and delete act on the post the caller has read (forum_post_get): the
   rights are decided on it, the row is changed under a guard (not deleted
   meanwhile). */
int forum_may_change(const struct actor *who, const struct post_full *pf, enum forum_verb v, struct forum_err *e);
int forum_edit_post(db *d, const struct actor *who, const struct post_full *pf, const struct post_input *in, time_t now,
                    struct forum_err *e);
int forum_delete_post(db *d, const struct actor *who, const struct post_full *pf, time_t now, int *thread_deleted,
                      struct forum_err *e);

int forum_post_get(db *d, arena *a, int64_t pid, struct post_full *out);
/* the quote block that opens a reply to P (Discuz! style), in the reply's format
   ("bbcode" or "markdown", whatever P was written in), arena string */
const char *forum_quote(arena *a, const struct post_full *p, const char *format);
int64_t forum_floor_page(int64_t position);

struct post_version { int64_t version, edited_at; const char *source, *format, *html, *edited_by; };
int forum_post_history(db *d, arena *a, int64_t pid, struct post_version **out, int *n);
int forum_board_require_type(db *d, int64_t fid, int on);
int forum_board_relast(db *d, int64_t fid);   /* recompute a board's last post from its threads; 0 ok */
/* a visible thread leaves (sign -1) or joins (+1) the counts of board FID / of its authors (inside a transaction; 0 ok) */
int forum_thread_board_count(db *d, int64_t tid, int64_t fid, int sign);
int forum_thread_member_count(db *d, int64_t tid, int64_t authorid, int sign);
/* Group commit (pages/batch.c): inside a writer job a new floor's board and day counters are noted, not
** written. forum_counts_flush writes the notes of the batch (one UPDATE per board and day, one per day
** for the site), before its COMMIT; 0 or -1 (the batch must not commit). A job undone after its notes
** drops them: forum_counts_mark before it, forum_counts_undo(mark) after. */
int forum_counts_flush(db *d);
int forum_counts_mark(db *d);
void forum_counts_undo(db *d, int mark);
#endif
