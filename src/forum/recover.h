/*
** recover: links sent by e-mail — 找回密码 (password reset), the address
** confirmation of a new member (auth.verify_email) and of an e-mail change.
** A link carries a token of 256 random bits; mail_token stores only its
** BLAKE2b hash, with the member, the kind, the address it confirms and its
** expiry. A new link of a kind replaces the member's older ones; using a link
** deletes it in the transaction that acts on it (single use).
** The mails go through the queue (forum/mail.h); the text is built here.
*/
#ifndef LOULAN_RECOVER_H
#define LOULAN_RECOVER_H
#include "forum/forum.h"
#include <stdint.h>
#include <time.h>

#define RECOVER_TTL 3600            /* seconds a reset link lives */
#define RECOVER_VERIFY_TTL (3 * 86400)   /* seconds an address-confirmation link lives */
#define RECOVER_TOKEN_HEX 64        /* 32 random bytes, hex */
#define RECOVER_LOGIN_MAX 100       /* bytes of the name or address typed on /lostpasswd */

enum recover_kind { RECOVER_RESET, RECOVER_VERIFY, RECOVER_EMAIL };

#define RECOVER_BASE_MAX 512         /* bytes of the site's base URL kept with a request */
#define RECOVER_BATCH 20             /* requests one recover_run_due call handles at most */
/*
** 找回密码: throttled per address (auth.reset_max_ip per auth.reset_window:
** returns 2 and *wait), then one INSERT into reset_request, whoever LOGIN
** names, so neither the answer nor its time tells whether the account exists.
** Returns 0, or -1 on a database error.
*/
int recover_request(db *d, const char *login, const char *ip, const char *base, time_t now, int64_t *wait);
/*
** The mail thread's half (cli/serve.c): takes waiting requests (each in one
** transaction that deletes it, so one node handles it), finds the member LOGIN
** names (name or e-mail) and queues a mail with a link BASE/lostpasswd/reset?
** token=... (an older link stops working); per account at most auth.reset_max
** mails (beyond it, none). Returns the requests handled, or -1.
*/
int recover_run_due(db *d, time_t now);
/* 1 when TOKEN is a live link of KIND (uid and, for RECOVER_EMAIL, the address (cap bytes) set), 0 not, -1 error */
int recover_peek(db *d, const char *token, enum recover_kind kind, time_t now, int64_t *uid, char *email, size_t cap);
/*
** Sets the password of the reset link's member and ends every session and
** login device of theirs, in one transaction that deletes the link first (so
** it works once). FORUM_E_NOTFOUND for a dead link, FORUM_E_INVALID for a
** refused password, FORUM_E_DB. *uid set on success.
*/
int recover_reset(db *d, const char *token, const char *password, time_t now, int64_t *uid, struct forum_err *e);
/* queues the confirmation link for ADDRESS (kind RECOVER_VERIFY: the member's own, RECOVER_EMAIL: a new one) */
int recover_send_confirm(db *d, int64_t uid, const char *name, const char *address, enum recover_kind kind,
                         const char *base, time_t now);
/* uses a confirmation link: RECOVER_VERIFY moves a member waiting in group 8 (等待验证) to the group of their
   credits; RECOVER_EMAIL sets the member's address to the link's. FORUM_E_NOTFOUND, FORUM_E_TAKEN (another member
   took the address meanwhile), FORUM_E_DB */
int recover_confirm(db *d, const char *token, enum recover_kind kind, time_t now, int64_t *uid, struct forum_err *e);
int recover_expire(db *d, time_t now);       /* deletes dead links */
int recover_forget(db *d, int64_t uid);       /* after a password change: the member's reset links stop working */
#endif
