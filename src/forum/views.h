/*
** views: thread view counters, in memory, flushed in batches (views.c).
*/
#ifndef LOULAN_VIEWS_H
#define LOULAN_VIEWS_H
#include "db/db.h"
#include <stdint.h>

void views_init(void);
void views_add(int64_t tid);
int64_t views_pending(int64_t tid);
int views_flush(db *d);                    /* writes pending views; 0 ok */
#endif
