/*
** views: thread view counters, in memory, flushed in batches (views.c).
*/
#ifndef LOULAN_VIEWS_H
#define LOULAN_VIEWS_H
#include "db/db.h"
#include <stdint.h>
#include <time.h>

void views_init(void);
void views_add(int64_t tid);
int64_t views_pending(int64_t tid);
int views_flush(db *d);                    /* writes pending views; 0 ok (one flusher at a time) */
void views_free(void);                     /* at exit, after the last flush */
/* for /metrics: threads with unflushed views, the age of the oldest unflushed
   view (the flush lag; 0 when nothing is pending), failed flushes so far */
struct views_stats { uint64_t pending_threads, flush_failures; double lag_seconds; };
void views_stats(time_t now, struct views_stats *st);
#endif
