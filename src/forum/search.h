/*
** forum/search: the search index and searching, on both backends (the
** tokenizer and the query language are search/search.h; the SQL, and which
** posts a reader may find, are here).
**
** The index holds one row per visible post (deleted posts and hidden
** threads are left out), keyed by pid, with its plain text and, on floor 1,
** the thread's title. Writers keep it current inside their own transaction:
**   search_index_post(d, pid)    after a post is written, edited, deleted or
**                                restored: (re)indexes it, or takes it out
**                                when it is no longer visible (floor 1 of a
**                                hidden thread takes the whole thread out);
**   search_index_thread(d, tid)  every floor of a thread (a thread restored);
**   search_unindex_post(d, pid)  takes one post out.
** Inside a savepoint level (a group commit job, db_in_savepoint) search_index_post
** only notes the pid: search_index_deferred, called by the writer once every job
** of the batch has run and before its COMMIT, indexes them all (same transaction).
** On SQLite every SAVEPOINT makes FTS5 write its pending terms as a new segment;
** so the batch writes one segment instead of one per post. Indexing is
** idempotent (it reads the post again), so a job undone after noting its pid
** leaves nothing (the post is gone: taken out) and a pid noted twice is harmless.
** A move needs nothing: board, author, time and visibility are read from
** post/thread when searching, never from the index.
*/
#ifndef LOULAN_FORUM_SEARCH_H
#define LOULAN_FORUM_SEARCH_H
#include "db/db.h"
#include "forum/forum.h"
#include "search/search.h"
#include "util/arena.h"

#define SEARCH_PER_PAGE 20
/* Ranking needs every match scored. A search scores the newest SEARCH_MAX_MATCHES visible
   matches only, so a word found in a tenth of the forum costs what 1,000 matches cost (relevance
   within the newest 1,000; "newest" order is exact for those); pages stop there too. Discuz!
   caps results the same way (maxsearchresults, 500 by default). */
#define SEARCH_MAX_MATCHES 1000
#define SEARCH_MAX_PAGE (SEARCH_MAX_MATCHES / SEARCH_PER_PAGE)
#define SEARCH_MAX_DAYS 3650           /* the "within N days" filter */
#define SEARCH_REINDEX_BATCH 500       /* posts read per query by search_reindex */

/* Indexes post pid (or drops it from the index) as it is now. Inside a writer job (a savepoint level,
   pages/batch.c) it is only noted:
   - PostgreSQL: in memory; search_index_deferred makes it at the end of every batch;
   - SQLite: as a row of search_pending, written with the job. FTS5 writes a new segment at every
     COMMIT (a sixth of the bytes a reply made the writer write to storage), so the writer makes
     the index of the rows waiting once every SEARCH_DRAIN_MS (search_drain), and at once before a search
     reads it (search_pending_any, pages/search.c). A crash loses no note: the rows wait for the next start. */
int search_index_post(db *d, int64_t pid);
#define SEARCH_DEFER_MAX 1024          /* PostgreSQL: pids noted for search_index_deferred; past it indexed at once */
#define SEARCH_DRAIN_MS 100            /* SQLite: the index made at least this often while posts wait */
#define SEARCH_DRAIN_MAX 2000          /* posts indexed by one timed drain (a longer batch would show in p99);
                                          at most 20,000 a second, more than the writer takes in */
#define SEARCH_DRAIN_BATCH 500         /* search_pending rows read per query */
int search_index_deferred(db *d);      /* PostgreSQL's notes: 0, or -1 (the transaction must not commit) */
/* SQLite, the writer at a batch's end: indexes and deletes the search_pending rows, at most max (0: all),
   in a savepoint of its own: 0; 1 when it failed and was undone alone (the rows wait, the batch's jobs
   still commit; said on stderr at most once a minute); -1 when the transaction is broken. Then
   search_drain_done(the batch committed) clears search_pending_any only if nothing was left. */
int search_drain(db *d, int max);
void search_drain_done(int committed);
/* SQLite: search_pending may have rows (1 at start: a crash may have left some). */
int search_pending_any(void);
void search_pending_set(void);
int search_index_thread(db *d, int64_t tid);
int search_unindex_post(db *d, int64_t pid);
/* Bulk loading (`loulan import-discuz`): indexes post pid, which is not in the index yet, from its plain
   text (search_html_text of its HTML, made before the transaction) and its thread's title on floor 1 ("" on
   the others). The caller applies search_index_post's rule: only undeleted posts of visible threads. */
int search_add_text(db *d, int64_t pid, const char *title, const char *text);
/* The same for many new posts: SQLite inserts each at once (cheap there), PostgreSQL gathers them and
   search_batch_flush writes them with one COPY (db_copy). */
struct search_row;
struct search_batch { db *d; struct search_row *rows; int n, cap; };
void search_batch_init(struct search_batch *b, db *d);
int search_batch_add(struct search_batch *b, int64_t pid, const char *title, const char *text);
int search_batch_flush(struct search_batch *b);   /* inside the caller's transaction; 0 or -1 */
void search_batch_free(struct search_batch *b);
/* After many rows were indexed: FTS5 merges its segments (SQLite), fresh statistics (PostgreSQL). Its own
   transaction; 0 or -1. */
int search_optimize(db *d);
/* Empties the index and indexes every visible post again, in batches of SEARCH_REINDEX_BATCH
   (one transaction each, unless the caller holds one). PostgreSQL writes each batch with the bulk
   load (db_copy): into search_doc directly when the caller holds a transaction (no other writer:
   loulan copy, a migration), else through a temporary table and INSERT ... ON CONFLICT (a server
   may index new posts meanwhile). progress may be NULL. 0 ok, -1 (e filled). */
int search_reindex(db *d, void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx, struct forum_err *e);

/* `loulan copy`: every visible post of `from` (SQLite, its read transaction) indexed into `to`
   (PostgreSQL, inside the caller's transaction) in one COPY stream, the GIN index built after. 0, or
   -1 (e filled; the caller rolls back). */
int search_copy_index(db *from, db *to, struct forum_err *e);

struct search_req {
	const struct search_query *q;
	int64_t fid;             /* 0: every board the reader sees */
	const char *author_key;  /* user_name_key of the author, or NULL */
	int64_t since;           /* posts created at or after (0: any time) */
	int newest;              /* 1: newest first, else by relevance */
	int64_t after_k, after_pid;   /* the cursor: the last row shown (after_pid 0: from the top) */
	int64_t skip;            /* rows to pass over (the API's page=N), bounded by SEARCH_MAX_MATCHES */
	time_t now;
};
struct search_hit {
	int64_t pid, tid, fid, created, authorid, position, k;   /* k: the sort key (the cursor) */
	const char *subject, *author, *text;
	int anonymous;           /* 匿名: shown as such to all but the board's moderators (anon.h) */
};
struct search_result {
	struct search_hit *rows;
	int n, has_more;
	int64_t total;           /* matches, at most SEARCH_MAX_MATCHES */
	int capped;              /* total reached SEARCH_MAX_MATCHES */
};
/* One query. Only boards WHO may view, undeleted posts in visible threads. 0 ok, -1 error. */
int search_run(db *d, arena *a, const struct actor *who, const struct search_req *rq, struct search_result *out);
#endif
