/*
** db_pg: PostgreSQL-only helpers of the db layer, for cross-node cache
** invalidation (LISTEN/NOTIFY). The driver itself is reached through db.h.
** All of these return -1 on a connection that is not PostgreSQL.
*/
#ifndef LOULAN_DB_PG_H
#define LOULAN_DB_PG_H
#include "db/db.h"
#include <stddef.h>
#include <stdint.h>

/* LISTEN on channel (any text; quoted as an identifier, case kept). The
** channel is remembered and listened to again after a reconnect.
** 0 or -1 (db_errmsg). */
int db_pg_listen(db *d, const char *channel);

/* pg_notify(channel, payload) through a prepared statement. Inside a
** transaction the notification is sent at COMMIT. 0 or -1. */
int db_pg_notify(db *d, const char *channel, const char *payload);

/* Waits up to timeout_ms (< 0: forever) for one notification on a listened
** channel. 1: payload copied into payload[cap] (NUL-terminated, truncated if
** longer); 0: timeout; -1: error or connection lost. After -1 the connection
** has been reset if possible, so notifications may have been missed: a
** caller keeping caches should drop them all. */
int db_pg_wait_notify(db *d, int timeout_ms, char *payload, size_t cap);

/* Number of times the connection has been (re)established: 1 after db_open,
** +1 per successful reset. A change means session state (prepared
** statements, notifications in flight) was lost. 0 when not PostgreSQL. */
unsigned db_pg_generation(db *d);

/* Round trips to PostgreSQL so far, process-wide: each statement run alone, each prepare, each
** pipeline of statements sent together (db_send) and each COPY start and end. For /metrics
** (loulan_db_round_trips_total); 0 on SQLite, which has none. */
uint64_t db_pg_round_trips(void);
#endif
