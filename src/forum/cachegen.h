/*
** cachegen: generation numbers for the guest page cache (DESIGN.md,
** "Caching"). A cached page remembers the generations of what it shows; a
** write bumps them after its transaction commits, so the next request sees
** the write. Generations live in memory per process:
**   epoch   everything (a listener reconnect, a CLI write on SQLite)
**   site    settings, groups, the board list (every page shows them)
**   lists   the index's and board lists' counters and last posts: a thread
**           write moves these and its board and thread, not the site, so a
**           reply no longer invalidates every other thread's cached pages
**   board   per fid, in CACHEGEN_BOARD_SLOTS counters chosen by hash
**   thread  per tid, in CACHEGEN_THREAD_SLOTS counters chosen by hash
**   tail    per tid, in CACHEGEN_COUNT_SLOTS: a reply that opens no new page
**           moves only this (and the board and lists): a thread page that is
**           not the last depends on the thread, not the tail, and shows the
**           reply count and floor count as holes filled from the live counters
**           (cachegen_counts), so pages 1..N-1 stay cached (issue 16)
**   near    per tid, beside the tail: a reply that opens a new page moves it
**           (and the tail): every pager shows the page count, but a page far
**           from the end (its pager's window and gap stay as they are) shows
**           it as a hole, so only the pages near the end render again; before,
**           such a reply moved the thread and every page missed (issue 16)
** Counters only grow and are shared by the ids that hash to them, so the
** tables are bounded and nothing is ever evicted: a collision costs an extra
** miss, never a stale page. Reads and bumps are lock-free atomics.
**
** Across processes: on PostgreSQL every bump is sent to the other nodes with
** NOTIFY CACHEGEN_CHANNEL, '<node>:<kind>:<id>[:<fid>]' and applied there by
** cachegen_apply (the serve command's listener thread). On SQLite a CLI
** command run beside a server bumps a counter in DIR/loulan.gen that the
** server maps and adds to its epoch.
*/
#ifndef LOULAN_CACHEGEN_H
#define LOULAN_CACHEGEN_H
#include "db/db.h"
#include <stdint.h>

#define CACHEGEN_THREAD_SLOTS 65536
#define CACHEGEN_BOARD_SLOTS 4096
#define CACHEGEN_COUNT_SLOTS 16384   /* tail and near generations and live counters (64 B each) */
#define CACHEGEN_PENDING 512         /* distinct bumps queued in one transaction (a batch of group commit
                                        holds up to BATCH_MAX writes); more bump the epoch */
#define CACHEGEN_EVENTS_PENDING 256  /* live events queued in one transaction; more are dropped (hints) */
#define CACHEGEN_CHANNEL "loulan_gen"
#define CACHEGEN_PAYLOAD_MAX 128

enum cachegen_kind { CACHEGEN_EPOCH = 'e', CACHEGEN_SITE = 's', CACHEGEN_BOARD = 'b', CACHEGEN_THREAD = 't',
                     CACHEGEN_LISTS = 'l' /* moved by the other kinds' bumps, never sent on its own */,
                     CACHEGEN_TAIL = 'p', CACHEGEN_NEAR = 'n' };

void cachegen_init(void);            /* picks this process's node id; installs the commit hook */
const char *cachegen_node(void);     /* 16 hex digits */

uint64_t cachegen_get(int kind, int64_t id);   /* current generation of (kind, id) */

/* Bumps. Call them after (or inside) the write's transaction: inside one,
** they are queued and applied when the outermost COMMIT succeeds (dropped on
** rollback). d may be NULL (local only); on PostgreSQL the bump is also
** sent to the other nodes through d. */
void cachegen_bump_all(db *d);
void cachegen_bump_site(db *d);
void cachegen_bump_board(db *d, int64_t fid);                /* board + site + lists */
void cachegen_bump_thread(db *d, int64_t tid, int64_t fid);  /* thread + board (if fid) + lists */
/* a reply that became floor maxpos and opened no new page: tail + board + lists; the live counters of
** tid move with it (on every node: maxpos rides the NOTIFY payload) */
void cachegen_bump_tail(db *d, int64_t tid, int64_t fid, int64_t maxpos);
/* a reply that became floor maxpos and opened a new page: near + tail + board + lists */
void cachegen_bump_near(db *d, int64_t tid, int64_t fid, int64_t maxpos);

/* Live counters of a thread for its cached pages' holes. A render publishes what it read with the
** thread and tail generations it recorded before reading; cachegen_counts gives them back (1) while
** both are current (the tail moved by cachegen_bump_tail carries them along), else 0 (render). */
void cachegen_counts_publish(int64_t tid, uint64_t gen, uint64_t tail, int64_t replies, int64_t maxpos);
int cachegen_counts(int64_t tid, int64_t *replies, int64_t *maxpos);

/* Live events (Server-Sent Events, issue #15) ride the same queue and channel:
** a new reply (CACHEGEN_EV_REPLY, id = tid, arg = its floor number) and a
** member's counters changed (CACHEGEN_EV_MEMBER, id = uid: notifications,
** messages). Inside a transaction they are delivered after COMMIT (dropped
** on rollback); every node hands them to the sink (the serve command wires it
** to the event streams), this one at once, the others through NOTIFY. */
enum cachegen_event_kind { CACHEGEN_EV_REPLY = 'r', CACHEGEN_EV_MEMBER = 'm' };
void cachegen_event(db *d, int kind, int64_t id, int64_t arg);
void cachegen_set_event_sink(void (*sink)(int kind, int64_t id, int64_t arg));

/* Applies a payload received from another node; ignores this node's own.
** 1 applied, 0 ignored, -1 malformed. */
int cachegen_apply(const char *payload);

/* SQLite, several processes on one data directory: map DIR/loulan.gen.
** publish: every bump of this process increments the shared counter (CLI);
** otherwise the shared counter is part of this process's epoch (serve). */
int cachegen_share_file(const char *path, int publish);
void cachegen_close(void);
#endif
