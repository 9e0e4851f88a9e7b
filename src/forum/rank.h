/*
** rank: where each numbered page of a board's thread list starts, kept per
** process so a jump to page 500 reads 21 rows from the covering index instead
** of skipping 10,000 entries (issue 16: "deep board pages cost what page 1
** costs", and no OFFSET in the reading path).
**
** A board's rank is the key (sticky, lastpost, tid) of the first thread of
** every page past the stickies, read in one index-only scan by the background
** thread (rank_refresh), never by a request. It is used only while the
** generations it was read under are current (the board's, the site's and the
** epoch: every write to the board bumps the first, a sticky of another board
** that shows here bumps all), so a page read through it lists exactly what the
** skipping query lists. A request for a board with no current rank takes that
** query (forum/read.c THREAD_NUMBERED) and asks the background thread for a
** rank (rank_want); the next deep page of the board finds it. Boards nobody
** pages deeply cost nothing; a board written every second keeps the skipping
** query between its writes and its rebuilds (RANK_REBUILD_MS).
*/
#ifndef LOULAN_RANK_H
#define LOULAN_RANK_H
#include "db/db.h"
#include <stdint.h>

#define RANK_BOARDS 64           /* boards with a rank kept at once (least recently used goes) */
#define RANK_PAGES_MAX 500000    /* page starts kept per board (10M threads); deeper pages skip */
#define RANK_REBUILD_MS 1000     /* a board's rank is rebuilt at most this often */
#define RANK_MIN_PAGE 3          /* shallower pages skip: it costs no more than a lookup */

struct rank_key { int64_t sticky, lastpost, tid; };

/* The first thread of page `page` (1-based, FORUM_THREADS_PER_PAGE rows) of board fid's unfiltered
   list: 1 and *at set when a current rank holds it (the page is the board's own rows with key <= *at),
   0 when the caller must skip (no current rank: one is asked for; the page is within the stickies;
   past the rank's end). */
int rank_page_start(int64_t fid, int page, struct rank_key *at);
/* Background thread: rebuilds the ranks asked for whose generations moved. 0, or -1 on a db error. */
int rank_refresh(db *d);
void rank_free(void);
size_t rank_bytes(uint64_t *pages);   /* memory held by the ranks; *pages = pages started from one (/metrics) */

/* forum/read.c, which holds the thread list's SQL: board fid's own visible threads in list order, each
   key given to each() (which returns nonzero to stop), after *nforeign = how many other boards' stickies
   show at the top of its list. Two index-only reads. 0, or -1 on a db error. */
int forum_thread_keys(db *d, int64_t fid, int64_t *nforeign, int (*each)(void *ctx, const struct rank_key *k),
                      void *ctx);

#endif
