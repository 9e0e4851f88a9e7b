/*
** mail: the forum's outgoing mail (password resets, address confirmations).
** A request only adds a row to mail_queue (mail_enqueue, one INSERT); the
** serve command's mail thread sends due rows with libcurl's SMTP client
** (settings smtp.*), so a request never waits for an SMTP server. A row is
** claimed before it is sent by moving its lease past now in one UPDATE whose
** WHERE re-checks the lease: of several nodes sharing PostgreSQL exactly one
** gets it. A failure is retried with a doubling backoff; a node that dies
** while sending leaves a lease that ends after MAIL_LEASE_S, and the row is
** sent again then (at least once, exactly once while nodes stay up).
*/
#ifndef LOULAN_MAIL_H
#define LOULAN_MAIL_H
#include "db/db.h"
#include "util/buf.h"
#include <stdint.h>
#include <time.h>

#define MAIL_SUBJECT_MAX 200     /* bytes of a subject */
#define MAIL_BODY_MAX 16384      /* bytes of a body (plain text) */
#define MAIL_LEASE_S 120         /* a claimed row is the claimer's for this long */
#define MAIL_TIMEOUT_S 60        /* one SMTP conversation */
#define MAIL_CONNECT_S 10        /* connecting to the SMTP server */
#define MAIL_RETRY_FIRST_S 30    /* first retry after a failure; doubles each time */
#define MAIL_RETRY_MAX_S 3600    /* longest wait between tries */
#define MAIL_MAX_TRIES 10        /* then the row is given up (sent = -1) */
#define MAIL_KEEP_S (7 * 86400)  /* sent and given-up rows are deleted after this */
#define MAIL_BATCH 20            /* rows one mail_send_due call sends at most */

/* queues one mail; 0 ok, -1 error (the caller's transaction, if any, decides) */
int mail_enqueue(db *d, const char *rcpt, const char *subject, const char *body, time_t now);
/* Claims and sends due rows, at most MAIL_BATCH. Returns the number sent, or
   -1 on a database error. Without smtp.host nothing is claimed. When *stop
   becomes nonzero (the server is shutting down; stop may be NULL), no further
   row is claimed and a conversation in progress is cut short: its row is
   released for a later try. */
int mail_send_due(db *d, time_t now, const int *stop);
int mail_expire(db *d, time_t now);   /* deletes sent and given-up rows older than MAIL_KEEP_S */
/* the whole message (headers, RFC 2047 subject, base64 UTF-8 body) into out; pure, for tests */
void mail_format(buf *out, const char *from, const char *rcpt, const char *subject, const char *body, time_t now,
                 int64_t id);
int64_t mail_backoff(int64_t tries);   /* seconds before try number tries + 1 */
#endif
