/*
** db: connections, prepared statements, transactions, migrations, with one
** driver per backend (SQLite: db_sqlite.c, PostgreSQL: db_pg.c).
** Knows nothing of the forum's rules.
**
** SQL is written once with PostgreSQL-style parameters ($1, $2, ...); the
** SQLite driver rewrites them to ?1, ?2 when preparing. Statements are cached
** per connection, keyed by the address of the SQL text, so callers pass
** string literals (static storage) and every statement is prepared once per
** connection. A connection belongs to one thread at a time.
**
** Every execution of a statement (its first db_step after a reset) counts
** one query in the connection's counter; the page footer reports it.
*/
#ifndef LOULAN_DB_H
#define LOULAN_DB_H
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_kind { DB_SQLITE = 1, DB_PG = 2 };
enum { DB_DONE = 0, DB_ROW = 1, DB_ERR = -1 };
/* error classes returned by db_errclass() after DB_ERR */
enum { DB_E_OTHER = 1, DB_E_CONSTRAINT = 2, DB_E_BUSY = 3 };

#define DB_MAX_PARAMS 32

/* Where the database lives: SQLite file under data_dir, or pg_url when set. */
typedef struct db_config {
	const char *data_dir;  /* SQLite: DIR/loulan.db */
	const char *pg_url;    /* postgres://... or NULL */
} db_config;

int db_open(db **out, const db_config *cfg, char *err, size_t errlen);
void db_close(db *d);
enum db_kind db_kind(db *d);

db_stmt *db_prep(db *d, const char *sql);  /* aborts on a prepare error: SQL is static */
/* db_prep for a statement whose best plan depends on the values bound (a search: a rare word wants
   the GIN index, a common one the newest rows first): PostgreSQL plans it at every execution with
   the values (a prepared statement's generic plan guesses them); SQLite: the same as db_prep. */
db_stmt *db_prep_each(db *d, const char *sql);
void db_bind_int(db_stmt *s, int i, int64_t v);            /* i: 1-based */
void db_bind_text(db_stmt *s, int i, const char *t, int n); /* n < 0: strlen; t NULL: NULL */
void db_bind_null(db_stmt *s, int i);
int db_step(db_stmt *s);                   /* DB_ROW, DB_DONE or DB_ERR */
/* Starts a bound read now, without waiting for its rows: on PostgreSQL it is queued (libpq pipeline
   mode) and goes to the server with the next statement of the connection, in one round trip; its rows
   come from db_step as usual. Nothing on SQLite. Reads only, outside transactions (inside one it runs
   at its step): a statement whose queued run failed runs again, alone, at its step. */
void db_send(db_stmt *s);
int64_t db_int(db_stmt *s, int col);       /* 0-based columns */
const char *db_text(db_stmt *s, int col);  /* "" for NULL; valid until next step/done */
int db_len(db_stmt *s, int col);
int db_isnull(db_stmt *s, int col);
void db_done(db_stmt *s);                  /* reset and clear bindings */

/* One-shot helpers: bind nothing, step to the end. */
int db_exec(db *d, const char *sql);       /* runs a static statement; 0 or -1 */
int db_exec_script(db *d, const char *sql); /* several statements, no params (DDL) */

/* Write transactions (SQLite: BEGIN IMMEDIATE). They nest: only the outermost
   level talks to the database; an inner rollback makes the outer commit roll
   back and return -1. */
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);
int db_in_tx(db *d);                       /* 1 inside db_begin .. db_commit */

/* Savepoint levels (group commit, pages/batch.c): several independent units of work in one
** transaction, each undone alone when it fails. Inside a transaction, db_savepoint opens a
** level for one unit. The unit's own db_begin directly inside it becomes a savepoint (SAVEPOINT
** loulan_tx): its db_rollback undoes only that unit's transaction and dooms nothing outside;
** its db_commit releases it (-1 when something inside rolled back, as before). Levels nested
** deeper behave as before (an inner rollback dooms the unit's transaction).
** db_release closes the level: 0 kept; 1 the unit was not whole and was undone (it left its
** transaction open: rolled back like a db_rollback; on PostgreSQL also a failed statement outside
** its transaction, which aborts the whole transaction: the level is a SAVEPOINT loulan_job there,
** rolled back to); -1 the outer transaction is broken (the undo failed, or SQLite ended the
** transaction itself after an I/O error): roll it back or commit it to learn, run nothing more in it.
** On SQLite the level itself costs no statement (a failed statement undoes only itself there;
** each SAVEPOINT also flushes the FTS5 index's pending terms). At most DB_SAVEPOINT_MAX levels. */
#define DB_SAVEPOINT_MAX 4
int db_savepoint(db *d);                   /* 0, or -1 (not in a transaction, too deep, SQL error) */
int db_release(db *d);
int db_in_savepoint(db *d);                /* 1 inside a savepoint level (a group commit job) */

/* Tells the other processes on this database (PostgreSQL: NOTIFY channel,
** sent at COMMIT inside a transaction). SQLite has no such channel: 0, and
** the caller shares what it must another way. 0 or -1 (db_errmsg). */
int db_notify(db *d, const char *channel, const char *payload);
/* Bulk loading on (1) or off (0): SQLite trades durability for speed
** (synchronous=OFF, a big page cache, rarer WAL checkpoints) until turned off;
** PostgreSQL: synchronous_commit off for the session. Either way a crash may
** lose the last transactions but never leaves half of one. */
int db_bulk_mode(db *d, int on);
/* the writer thread's connection (pages/batch.c), once: SQLite keeps the savepoint journal of each
   job in one buffer of DB_SUBJOURNAL_SPILL bytes instead of 1 KiB pieces (db_sqlite.c) */
int db_writer_setup(db *d);

/*
** Bulk load: many rows into one table, fast (db_copy.c and the drivers).
** PostgreSQL streams them with COPY ... FROM STDIN (text format, one round trip
** per DB_COPY_FLUSH bytes instead of one per row); SQLite steps one prepared
** INSERT per row. Use it where rows go in by the thousand (loulan copy, gen,
** importers); a page's writes use db_prep.
**
**     db_copy *c = db_copy_begin(d, "post", "tid, fid, position, source");
**     for (each row) {
**         db_copy_int(c, tid); db_copy_int(c, fid); db_copy_int(c, pos);
**         db_copy_text(c, src, -1);         // NULL pointer: SQL NULL
**         if (db_copy_row(c)) break;        // -1: the copy failed, see db_errmsg
**     }
**     if (db_copy_end(c)) ... roll back    // frees c in every case
**
** - Inside db_begin .. db_commit only (the begin is refused outside); on any
**   error roll the transaction back: on PostgreSQL nothing of it is kept, on
**   SQLite the rows before the failing one are still in the transaction.
** - table and columns are identifiers from the program (letters, digits, _;
**   columns separated by commas and spaces), never user input: anything else
**   is refused. Columns left out take their defaults (an identity id included).
** - Per row: exactly one db_copy_int / db_copy_text / db_copy_null per listed
**   column, in order, then db_copy_row. Text pointers need to live only until
**   db_copy_row returns. Text is UTF-8 without NUL bytes (refused: the row
**   fails); tabs, newlines, backslashes are escaped by the driver.
** - Errors name the row (1-based, counting this copy's rows) and, where known,
**   the column: "row 17: duplicate key value violates unique constraint ...".
**   PostgreSQL checks constraints as the rows stream in but reports them when it
**   is read (at the next flush or at db_copy_end), so db_copy_row may succeed for a
**   row that db_copy_end reports. db_errclass gives DB_E_CONSTRAINT for those.
**   After the first error every further call returns -1 and sends nothing.
** - One copy at a time per connection, and no other statement on the
**   connection until db_copy_end (PostgreSQL's protocol is in COPY state).
** - Identity sequences are not moved by explicit ids: set them after (setval)
**   where the rows carried their ids.
** - db_copy_rows(c): rows accepted so far. db_queries counts one per copy.
** - db_copy_begin_binary: PostgreSQL's binary COPY format (no text to parse on
**   the server's side: half its time for the search documents). Integers go as
**   int8, so their columns must be BIGINT (@INT@, @ID@); text as its bytes; and
**   db_copy_raw values as the column type's own binary form (what its _recv
**   function reads; search_tsvector_bin for tsvector), for that copy only.
**   SQLite: an ordinary copy, which refuses raw values.
*/
#define DB_COPY_MAX_COLS 64                 /* columns of one copy */
#define DB_COPY_MAX_VALUE (64 * 1024 * 1024) /* bytes of one text value */
#define DB_COPY_FLUSH (256 * 1024)          /* PostgreSQL: bytes buffered before each send */
typedef struct db_copy db_copy;
db_copy *db_copy_begin(db *d, const char *table, const char *columns);  /* NULL: db_errmsg(d) */
db_copy *db_copy_begin_binary(db *d, const char *table, const char *columns);
void db_copy_raw(db_copy *c, const void *p, int n);   /* binary copies on PostgreSQL only (the row fails else) */
void db_copy_int(db_copy *c, int64_t v);
void db_copy_text(db_copy *c, const char *t, int n);   /* n < 0: strlen; t NULL: NULL */
void db_copy_null(db_copy *c);
int db_copy_row(db_copy *c);     /* 0, or -1: this copy has failed (db_errmsg) */
int db_copy_end(db_copy *c);     /* 0 when every row is in; -1 (db_errmsg); frees c */
int64_t db_copy_rows(db_copy *c);

/* One process-wide hook called after the outermost transaction ends on any
   connection: committed 1 after a successful COMMIT, 0 after a rollback. The
   cache generations (forum/cachegen.c) use it to bump only what committed. */
void db_set_tx_hook(void (*fn)(db *d, int committed));

const char *db_errmsg(db *d);
int db_errclass(db *d);

unsigned db_queries(db *d);
void db_queries_reset(db *d);
/* Process-wide totals (all connections): statements executed, and steps that
   failed (DB_ERR: constraint, busy, lost connection...). For /metrics. */
void db_stats(uint64_t *queries, uint64_t *errors);
/* Round trips to PostgreSQL so far, process-wide (db_pg.h: db_pg_round_trips); 0 on SQLite. */
uint64_t db_round_trips(void);
int db_ping(db *d);   /* a trivial query: 0 when the database answers */
/* SQLite's memory, process-wide: every open connection's page cache, schema and statements
   (sqlite3_db_status), as each connection's thread last counted it (every few dozen statements); 0 when
   no SQLite database is open. For /metrics. SQLite's own process-wide statistics are off: they put one
   mutex around every allocation of every connection (db_sqlite.c). */
size_t db_sqlite_memory(void);
/* Bounds the page caches of nconn connections to bytes together: each gets bytes / nconn (at least
   DB_SQLITE_MIN_CACHE_KIB, at most SQLite's default 8000 KiB), d now and every connection opened after
   this call. The serve command gives SQLite a share of --cache-mb. 0, or -1 with d's error. */
#define DB_SQLITE_MIN_CACHE_KIB 64
int db_sqlite_memory_limit(db *d, size_t bytes, int nconn);
size_t db_sqlite_memory_bound(void);   /* the bytes db_sqlite_memory_limit was given, 0 if never */

/* Backups of a SQLite forum (db_backup.c). db_backup_sqlite copies DATA_DIR/loulan.db,
   consistent while a server writes, checked and gzip'd, to FILE (atomically);
   db_restore_sqlite checks a backup and puts it in place of DATA_DIR/loulan.db
   (atomically; refuses a DATA_DIR that holds a forum unless force). 0 or -1 with err. */
int db_backup_sqlite(const char *data_dir, const char *file, char *err, size_t errlen);
int db_restore_sqlite(const char *file, const char *data_dir, int force, char *err, size_t errlen);

int db_migrate(db *d, char *err, size_t errlen);  /* brings the schema to the latest version */
int db_schema_version(db *d);
int db_schema_count(void);   /* the migrations this loulan has: db_schema_version is this when current */
/* Migration 7's C step, the search index of the posts already written: set by forum/search.c
   (db/ knows no forum rules); NULL leaves the index empty for `loulan reindex`. */
extern int (*db_search_fill)(db *d);

/* Driver table: each backend fills one. */
struct db_driver {
	int (*open)(db *d, const db_config *cfg, char *err, size_t errlen);
	void (*close)(db *d);
	void *(*prepare)(db *d, const char *sql);   /* driver statement or NULL */
	void (*finalize)(db *d, void *st);
	int (*step)(db_stmt *s);
	int64_t (*col_int)(db_stmt *s, int col);
	const char *(*col_text)(db_stmt *s, int col);
	int (*col_len)(db_stmt *s, int col);
	int (*col_null)(db_stmt *s, int col);
	void (*reset)(db_stmt *s);
	int (*exec_script)(db *d, const char *sql);
	const char *(*errmsg)(db *d);
	/* bulk load (db_copy.c): begin once (c->table, c->cols validated), row per row
	   (c->v[0..ncols-1] set), end once (ok 0: abandon what was sent); 0 or -1 (errbuf) */
	int (*copy_begin)(db_copy *c);
	int (*copy_row)(db_copy *c);
	int (*copy_end)(db_copy *c, int ok);
	void (*send)(db_stmt *s);   /* db_send; NULL: nothing to do */
};

/* Internal layout shared by the drivers (db_*.c only). */
struct db_param { int isnull; int64_t i; const char *t; int n; int is_text; };   /* is_text 2: raw (db_copy_raw) */
struct db_stmt {
	db *d;
	const char *key;       /* the SQL literal's address */
	void *st;              /* driver statement */
	int nparams;
	struct db_param p[DB_MAX_PARAMS];
	char *tcopy[DB_MAX_PARAMS];  /* pg: owned copies of bound text */
	int started;           /* executed since the last reset */
	int plan_each;         /* db_prep_each: pg plans each execution with its values */
	/* pg: result rows */
	void *res; int row, nrows;
	db_stmt *next;         /* cache chain */
};
struct db {
	enum db_kind kind;
	const struct db_driver *drv;
	void *conn;
	unsigned queries;
	int errclass;
	char errbuf[256];
	int intx;              /* transaction depth (db_begin nests) */
	int doomed;            /* an inner level rolled back: the outer commit fails */
	int nsp;               /* savepoint levels open (db_savepoint) */
	int sp_base[DB_SAVEPOINT_MAX];   /* intx when each was opened */
	int sp_doomed[DB_SAVEPOINT_MAX]; /* doomed then, given back when it closes */
	int (*tx_alive)(db *d);  /* driver (SQLite): 0 when the backend's transaction ended by itself; NULL: n/a */
	db_stmt *cache[64];    /* hash of statements by SQL address */
	int pg_stmt_seq;
	int mem_slot;          /* SQLite: this connection's slot in db_sqlite_memory, -1 none */
	unsigned mem_tick;     /* SQLite: statements since it was opened, to count its memory now and then */
};
struct db_copy {
	db *d;
	char *table, *cols;    /* validated copies */
	int ncols, n;          /* columns per row; values set in the current row */
	int binary;            /* db_copy_begin_binary */
	int failed;            /* an error was reported: everything after is refused */
	int64_t rows;          /* rows handed to the driver */
	int64_t errrow;        /* driver: the row an error is about, when not the current one */
	struct db_param v[DB_COPY_MAX_COLS];
	void *drv;             /* driver state */
};
extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;
#endif
