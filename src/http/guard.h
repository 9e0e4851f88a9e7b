/*
** guard: deadlines the library's idle timeout cannot give. MHD's
** CONNECTION_TIMEOUT restarts on every byte, so a client trickling one header
** byte every few seconds holds its connection for ever. The guard follows each
** connection through its phases and a reaper thread shuts down (shutdown(2);
** the library then sees EOF and closes it) every connection that
**   - has not sent a whole request head (request line and headers) within
**     HTTP_HEAD_DEADLINE_S of its start (or of the first byte of a later
**     request on a kept-alive connection); HTTP_HEAD_DEADLINE_BUSY_S while
**     HTTP_GUARD_BUSY_PCT of the connection cap is open, so that past the cap
**     slots held by slow heads free up five times faster for other clients,
**   - sends its body slower than HTTP_BODY_MIN_RATE bytes/s once
**     HTTP_BODY_GRACE_S have passed,
**   - sits between requests for longer than HTTP_TIMEOUT_S in all,
**   - sits between requests, among the oldest such, while HTTP_GUARD_SHED_PCT of the connection cap
**     is open: idle keep-alive connections are closed oldest first until the count is below that
**     mark, so that a table filled by idle clients (a few addresses can hold thousands) still
**     has room for a new one (nginx does the same). A new connection at the mark wakes the reaper.
** A connection is shut down only while the library still owns its socket:
** guard_close (called by the library's CLOSED notification, before it closes
** the socket) takes the same lock as the reaper.
*/
#ifndef LOULAN_HTTP_GUARD_H
#define LOULAN_HTTP_GUARD_H
#include <stddef.h>
#include <stdint.h>

enum guard_phase { GUARD_HEAD, GUARD_BODY, GUARD_BUSY, GUARD_IDLE };

struct guard_conn;

void guard_start(int max_connections);           /* the reaper thread */
void guard_stop(void);
struct guard_conn *guard_open(int fd);           /* a new connection: phase HEAD */
void guard_close(struct guard_conn *g);          /* before the library closes fd */
void guard_phase(struct guard_conn *g, enum guard_phase ph);
enum guard_phase guard_get_phase(struct guard_conn *g);
void guard_body(struct guard_conn *g, size_t n); /* n body bytes arrived */
/* the connection carries a long-lived event stream: no deadline while it lasts, and it does not
   count towards the busy mark (open event streams would give every new head the short deadline) */
void guard_stream(struct guard_conn *g);
/* connections shut down so far: heads too slow, bodies too slow, idle too long, idle while the table was nearly full */
void guard_counts(uint64_t out[4]);
#endif
