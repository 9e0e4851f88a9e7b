/*
** batch: group commit for the quick writes (routes flagged R_BATCH in routes.c).
** The worker thread that read such a request (session, CSRF, form or JSON
** checked as for any route) does not run its handler: batch_submit hands the
** page to the writer thread and the connection waits, suspended (http_defer).
** The writer (its own database connection) takes every job waiting at that
** moment, at most BATCH_MAX, and runs them in one transaction (BEGIN IMMEDIATE
** on SQLite): each handler inside a savepoint level (db_savepoint), where its
** db_begin/db_commit/db_rollback are savepoints of their own, so a job that
** fails is undone alone and answers its own error while the others go on. One
** COMMIT (one fsync) ends the batch; only then are the connections resumed
** with the responses their handlers built, and only then do the post-commit
** effects run (cache generations, live events, NOTIFY: the tx hook fires at
** that COMMIT). A COMMIT that fails turns every success of the batch into a
** 503: nothing is acknowledged that was not committed.
*/
#ifndef LOULAN_BATCH_H
#define LOULAN_BATCH_H
#include "pages/page.h"
#include <stdint.h>

#define BATCH_MAX 256   /* jobs committed together at most */

/* Makes r's answer wait for the writer, which runs fn(copy of p). Call it last: p->r is the
   writer's from here. Needs the request's worker thread (it suspends the connection). */
void batch_submit(const page *p, void (*fn)(page *));
/* SQLite: waits until the writer has made the search index of every post waiting in search_pending
   (forum/search.h), in a batch of its own or the next one. Blocks the calling worker thread (a search,
   a few milliseconds). */
void batch_search_sync(void);
/* Runs the jobs still queued and ends the writer thread (after http_serve returned). */
void batch_stop(void);
/* Totals for /metrics: batches committed (or failed), jobs run, jobs undone alone,
   jobs answered 503 because their batch's COMMIT failed. */
struct batch_stats { uint64_t batches, jobs, undone, commit_failed; };
void batch_stats(struct batch_stats *s);
#endif
