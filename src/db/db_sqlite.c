/*
** db_sqlite: the SQLite driver of the db layer (the default backend).
** WAL, synchronous=FULL, foreign keys, a busy timeout; writes use
** BEGIN IMMEDIATE (db.c). Rewrites $N parameters to ?N.
*/
#include "db/db.h"
#include "search/search.h"
#include "util/buf.h"
#include "util/die.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_BUSY_MS 10000
/* a connection with temp_store=FILE (the writer's, db_writer_setup) keeps its sub-journal (the pages
   a savepoint or a statement may have to put back) in memory as one buffer of this size, and in a
   temporary file beyond it; a reply's is ~80 KiB */
#define DB_SUBJOURNAL_SPILL (256 * 1024)

/* ---- the "loulan" FTS5 tokenizer: search/'s bigram tokenizer, so the index and the queries of
   the search table (forum/search.c) split text exactly as PostgreSQL's tsvector text does ---- */
typedef int (*fts5_token_cb)(void *, int, const char *, int, int, int);
struct fts5_glue { void *ctx; fts5_token_cb token; };
static int fts5_glue_token(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	struct fts5_glue *g = ctx;
	(void)cjk;
	return g->token(g->ctx, 0, tok, n, start, end);
}
static int fts5_tok_create(void *ctx, const char **args, int nargs, Fts5Tokenizer **out) {
	(void)ctx;
	(void)args;
	(void)nargs;
	static int one;   /* the tokenizer has no state: any non-NULL handle */
	*out = (Fts5Tokenizer *)&one;
	return SQLITE_OK;
}
static void fts5_tok_delete(Fts5Tokenizer *t) { (void)t; }
static int fts5_tok_run(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n, fts5_token_cb token) {
	(void)t;
	(void)flags;
	struct fts5_glue g = {ctx, token};
	int rc = search_tokenize(text, n > 0 ? (size_t)n : 0, fts5_glue_token, &g);
	return rc < 0 ? SQLITE_ERROR : rc;
}

/* loulan_rank(search_fts [, title weight]): BM25 (k1 1.2, b 0.75) per column, the title weighted
   (default SEARCH_TITLE_WEIGHT), summed over the query's phrases -- without BM25's IDF factor.
   FTS5's bm25() finds each phrase's document count by reading the phrase's whole doclist once per
   query; a common bigram's list holds a tenth of the forum, so that read alone cost more than
   ranking the 1,000 newest matches (docs/PERFORMANCE.md). Every result holds every AND-ed term
   anyway, so IDF only shifts the weight between terms. Higher is better. */
#define RANK_K1 1.2
#define RANK_B 0.75
#define RANK_MAX_CELLS 256   /* phrases x columns counted; more phrases count as the last */
static void fts5_rank(const Fts5ExtensionApi *api, Fts5Context *fc, sqlite3_context *ctx, int nval, sqlite3_value **val) {
	int ncol = api->xColumnCount(fc), nphrase = api->xPhraseCount(fc), ninst = 0;
	double w_title = nval > 0 ? sqlite3_value_double(val[0]) : SEARCH_TITLE_WEIGHT;
	double tf[RANK_MAX_CELLS] = {0};
	sqlite3_int64 nrow = 0;
	if (ncol < 1 || nphrase < 1 || api->xRowCount(fc, &nrow) != SQLITE_OK || api->xInstCount(fc, &ninst) != SQLITE_OK) {
		sqlite3_result_double(ctx, 0);
		return;
	}
	if (nphrase * ncol > RANK_MAX_CELLS) nphrase = RANK_MAX_CELLS / ncol;
	for (int i = 0; i < ninst; i++) {
		int ip, ic, io;
		if (api->xInst(fc, i, &ip, &ic, &io) != SQLITE_OK) break;
		if (ip >= nphrase) ip = nphrase - 1;
		tf[ip * ncol + ic] += 1;
	}
	double score = 0;
	for (int c = 0; c < ncol; c++) {
		sqlite3_int64 total = 0;
		int len = 0;
		api->xColumnTotalSize(fc, c, &total);
		api->xColumnSize(fc, c, &len);
		double avg = nrow > 0 && total > 0 ? (double)total / (double)nrow : 1.0;
		double norm = RANK_K1 * (1 - RANK_B + RANK_B * len / avg), w = c == 0 ? w_title : 1.0;
		for (int p = 0; p < nphrase; p++) {
			double f = tf[p * ncol + c];
			if (f > 0) score += w * f * (RANK_K1 + 1) / (f + norm);
		}
	}
	sqlite3_result_double(ctx, score);
}

/* registers the tokenizer and loulan_rank on connection c through the fts5_api pointer (SELECT fts5(?1)) */
static int fts5_register(sqlite3 *c) {
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return -1;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2) return -1;
	static fts5_tokenizer tok = {fts5_tok_create, fts5_tok_delete, fts5_tok_run};
	if (api->xCreateTokenizer(api, "loulan", NULL, &tok, NULL) != SQLITE_OK) return -1;
	return api->xCreateFunction(api, "loulan_rank", NULL, fts5_rank, NULL) == SQLITE_OK ? 0 : -1;
}

/* some errors (I/O, disk full) make SQLite roll the whole transaction back by itself (db_release) */
static int sq_tx_alive(db *d) { return !sqlite3_get_autocommit(d->conn); }

/* before SQLite initializes (the first open); SQLITE_MISUSE after that, which leaves the default.
   LOULAN_TEST_SUBJOURNAL_SPILL (t0190) makes it small enough that every job's journal goes to a file. */
static void sq_config_once(void) {
	const char *t = getenv("LOULAN_TEST_SUBJOURNAL_SPILL");
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, t && atoi(t) > 0 ? atoi(t) : DB_SUBJOURNAL_SPILL);
	/* No process-wide memory statistics: with them every sqlite3_malloc and sqlite3_free of every
	   connection takes one global mutex. The writer thread and the workers allocate all the time, and
	   the mutex was ~13% of the writer's profile, with futex waits; turning it off took the reply
	   stream from 7.4-10k to 14-15k replies/s (issue 16). SQLite's memory is bounded per connection
	   instead (db_sqlite_memory_limit) and counted per connection (db_sqlite_memory). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ---- SQLite's memory, per connection ---------------------------------------
   Each open connection has a slot. The thread that owns the connection writes its memory there (page
   cache, schema, statements: sqlite3_db_status) every SQ_MEM_EVERY statements, the schema and
   statements (dearer to count) every SQ_MEM_ALL; db_sqlite_memory adds
   the slots up. No other thread touches a connection (they are opened SQLITE_OPEN_NOMUTEX). */
#define SQ_MEM_SLOTS 256
#define SQ_MEM_EVERY 64     /* the page cache */
#define SQ_MEM_ALL 4096     /* the schema and the statements too */
static pthread_mutex_t g_mem_mu = PTHREAD_MUTEX_INITIALIZER;
static size_t g_mem[SQ_MEM_SLOTS];   /* under g_mem_mu; a slot is in use while g_mem_used[i] */
static size_t g_mem_fixed[SQ_MEM_SLOTS];   /* its schema and statements, counted every SQ_MEM_ALL */
static unsigned char g_mem_used[SQ_MEM_SLOTS];
static size_t g_cache_bound;   /* db_sqlite_memory_limit: all connections' page caches */
static int g_cache_kib;        /* each connection's share, in KiB (0: SQ_CACHE_KIB) */
#define SQ_CACHE_KIB 8000

static void mem_publish(db *d, int all) {
	int cur = 0, hi = 0;
	size_t n = 0, fixed = 0;
	if (sqlite3_db_status(d->conn, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0) == SQLITE_OK && cur > 0) n = (size_t)cur;
	if (all) {   /* these two walk the schema and every statement: now and then only */
		if (sqlite3_db_status(d->conn, SQLITE_DBSTATUS_SCHEMA_USED, &cur, &hi, 0) == SQLITE_OK && cur > 0)
			fixed += (size_t)cur;
		if (sqlite3_db_status(d->conn, SQLITE_DBSTATUS_STMT_USED, &cur, &hi, 0) == SQLITE_OK && cur > 0)
			fixed += (size_t)cur;
	}
	pthread_mutex_lock(&g_mem_mu);
	if (d->mem_slot >= 0) {
		if (all) g_mem_fixed[d->mem_slot] = fixed;
		g_mem[d->mem_slot] = n + g_mem_fixed[d->mem_slot];
	}
	pthread_mutex_unlock(&g_mem_mu);
}

static void mem_slot_take(db *d) {
	pthread_mutex_lock(&g_mem_mu);
	d->mem_slot = -1;
	for (int i = 0; i < SQ_MEM_SLOTS; i++)
		if (!g_mem_used[i]) {
			g_mem_used[i] = 1;
			g_mem[i] = g_mem_fixed[i] = 0;
			d->mem_slot = i;
			break;
		}
	pthread_mutex_unlock(&g_mem_mu);   /* more than SQ_MEM_SLOTS connections: the rest go uncounted */
}

static void mem_slot_give(db *d) {
	pthread_mutex_lock(&g_mem_mu);
	if (d->mem_slot >= 0) {
		g_mem_used[d->mem_slot] = 0;
		g_mem[d->mem_slot] = 0;
	}
	pthread_mutex_unlock(&g_mem_mu);
	d->mem_slot = -1;
}

static int cache_kib(void) {
	pthread_mutex_lock(&g_mem_mu);
	int k = g_cache_kib ? g_cache_kib : SQ_CACHE_KIB;
	pthread_mutex_unlock(&g_mem_mu);
	return k;
}

static int sq_open(db *d, const db_config *cfg, char *err, size_t errlen) {
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_config_once);
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/loulan.db", cfg->data_dir ? cfg->data_dir : ".");
	if (n < 0 || (size_t)n >= sizeof path) {
		snprintf(err, errlen, "data directory path too long");
		return -1;
	}
	sqlite3 *c = NULL;
	int rc = sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path, c ? sqlite3_errmsg(c) : sqlite3_errstr(rc));
		sqlite3_close(c);
		return -1;
	}
	sqlite3_busy_timeout(c, SQLITE_BUSY_MS);
	char *emsg = NULL;
	char setup[256];
	snprintf(setup, sizeof setup,
	         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
	         "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-%d;",
	         cache_kib());
	if (sqlite3_exec(c, setup, NULL, NULL, &emsg) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up %s: %s", path, emsg ? emsg : "?");
		sqlite3_free(emsg);
		sqlite3_close(c);
		return -1;
	}
	if (fts5_register(c)) {
		snprintf(err, errlen, "cannot register the search tokenizer on %s (SQLite without FTS5?)", path);
		sqlite3_close(c);
		return -1;
	}
	d->conn = c;
	d->tx_alive = sq_tx_alive;
	mem_slot_take(d);
	mem_publish(d, 1);
	return 0;
}

static void sq_close(db *d) {
	mem_slot_give(d);
	sqlite3_close_v2(d->conn);
}

/* $12 -> ?12, skipping string literals and quoted identifiers. */
static void sq_rewrite(buf *o, const char *sql) {
	char q = 0;
	for (const char *p = sql; *p; p++) {
		if (q) {
			if (*p == q) q = 0;
		} else if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			buf_putc(o, '?');
			continue;
		}
		buf_putc(o, *p);
	}
}

static void *sq_prepare(db *d, const char *sql) {
	buf b;
	buf_init(&b, 0);
	sq_rewrite(&b, sql);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(d->conn, buf_cstr(&b), -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	buf_release(&b);
	if (rc != SQLITE_OK) return NULL;
	return st;
}

static void sq_finalize(db *d, void *st) { sqlite3_finalize(st); }

static int sq_err(db *d, int rc) {
	int prim = rc & 0xff;
	d->errclass = prim == SQLITE_CONSTRAINT ? DB_E_CONSTRAINT
	            : (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) ? DB_E_BUSY : DB_E_OTHER;
	snprintf(d->errbuf, sizeof d->errbuf, "%s", sqlite3_errmsg(d->conn));
	return DB_ERR;
}

static int sq_step(db_stmt *s) {
	sqlite3_stmt *st = s->st;
	if (s->nparams && s->row == 0) { /* bind once, before the first step */
		for (int i = 0; i < s->nparams; i++) {
			struct db_param *p = &s->p[i];
			int rc;
			if (p->isnull) rc = sqlite3_bind_null(st, i + 1);
			else if (p->is_text) rc = sqlite3_bind_text(st, i + 1, p->t, p->n, SQLITE_TRANSIENT);
			else rc = sqlite3_bind_int64(st, i + 1, p->i);
			if (rc != SQLITE_OK) return sq_err(s->d, rc);
		}
	}
	s->row++;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) return DB_ROW;
	if (rc == SQLITE_DONE) return DB_DONE;
	return sq_err(s->d, rc);
}

static int64_t sq_int(db_stmt *s, int col) { return sqlite3_column_int64(s->st, col); }
static const char *sq_text(db_stmt *s, int col) { return (const char *)sqlite3_column_text(s->st, col); }
static int sq_len(db_stmt *s, int col) { return sqlite3_column_bytes(s->st, col); }
static int sq_null(db_stmt *s, int col) { return sqlite3_column_type(s->st, col) == SQLITE_NULL; }

static void sq_reset(db_stmt *s) {
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	s->row = 0;
	if (++s->d->mem_tick % SQ_MEM_EVERY == 0) mem_publish(s->d, s->d->mem_tick % SQ_MEM_ALL == 0);
}

static int sq_exec_script(db *d, const char *sql) {
	char *emsg = NULL;
	int rc = sqlite3_exec(d->conn, sql, NULL, NULL, &emsg);
	if (rc != SQLITE_OK) {
		sq_err(d, rc);
		if (emsg) snprintf(d->errbuf, sizeof d->errbuf, "%s", emsg);
		sqlite3_free(emsg);
		return -1;
	}
	return 0;
}

static const char *sq_errmsg(db *d) {
	return d->errbuf[0] ? d->errbuf : (d->conn ? sqlite3_errmsg(d->conn) : "no connection");
}

/* ---- bulk load (db.h): one INSERT prepared per copy, stepped per row, in the caller's transaction ---- */
static int sq_copy_begin(db_copy *c) {
	buf b;
	buf_init(&b, 0);
	/* names only, checked by db_copy_begin to be identifiers; the values are bound */
	buf_puts(&b, "INSERT INTO ");
	buf_puts(&b, c->table);
	buf_putc(&b, '(');
	buf_puts(&b, c->cols);
	buf_puts(&b, ") VALUES (");
	for (int i = 0; i < c->ncols; i++) buf_appendf(&b, i ? ", ?%d" : "?%d", i + 1);
	buf_putc(&b, ')');
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->d->conn, buf_cstr(&b), -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	buf_release(&b);
	if (rc != SQLITE_OK) return sq_err(c->d, rc), -1;
	c->drv = st;
	return 0;
}

static int sq_copy_row(db_copy *c) {
	sqlite3_stmt *st = c->drv;
	int rc = SQLITE_OK;
	for (int i = 0; i < c->ncols && rc == SQLITE_OK; i++) {
		const struct db_param *p = &c->v[i];
		if (p->isnull) rc = sqlite3_bind_null(st, i + 1);
		else if (p->is_text) rc = sqlite3_bind_text(st, i + 1, p->t, p->n, SQLITE_STATIC);
		else rc = sqlite3_bind_int64(st, i + 1, p->i);
	}
	if (rc == SQLITE_OK) rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) sq_err(c->d, rc);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);   /* SQLITE_STATIC: the caller's text is not ours after this row */
	return rc == SQLITE_DONE ? 0 : -1;
}

static int sq_copy_end(db_copy *c, int ok) {
	(void)ok;
	sqlite3_finalize(c->drv);
	c->drv = NULL;
	return 0;
}

const struct db_driver db_sqlite_driver = {
	sq_open, sq_close, sq_prepare, sq_finalize, sq_step, sq_int, sq_text, sq_len,
	sq_null, sq_reset, sq_exec_script, sq_errmsg, sq_copy_begin, sq_copy_row, sq_copy_end, NULL,
};

size_t db_sqlite_memory(void) {
	size_t n = 0;
	pthread_mutex_lock(&g_mem_mu);
	for (int i = 0; i < SQ_MEM_SLOTS; i++) n += g_mem_used[i] ? g_mem[i] : 0;
	pthread_mutex_unlock(&g_mem_mu);
	return n;
}

int db_sqlite_memory_limit(db *d, size_t bytes, int nconn) {
	if (nconn < 1) nconn = 1;
	size_t kib = bytes / 1024 / (size_t)nconn;
	if (kib < DB_SQLITE_MIN_CACHE_KIB) kib = DB_SQLITE_MIN_CACHE_KIB;
	if (kib > SQ_CACHE_KIB) kib = SQ_CACHE_KIB;
	pthread_mutex_lock(&g_mem_mu);
	g_cache_bound = bytes;
	g_cache_kib = (int)kib;
	pthread_mutex_unlock(&g_mem_mu);
	if (!d || d->kind != DB_SQLITE) return 0;
	char q[64];
	snprintf(q, sizeof q, "PRAGMA cache_size=-%d", (int)kib);
	int rc = db_exec_script(d, q);
	mem_publish(d, 1);
	return rc;
}

size_t db_sqlite_memory_bound(void) {
	pthread_mutex_lock(&g_mem_mu);
	size_t n = g_cache_bound;
	pthread_mutex_unlock(&g_mem_mu);
	return n;
}
