/*
** db: backend-independent part of the database layer: the statement cache,
** parameter binding, the query counter, transactions. See db.h.
*/
#include "db/db.h"
#include "db/db_pg.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int db_open(db **out, const db_config *cfg, char *err, size_t errlen) {
	db *d = xcalloc(1, sizeof *d);
	if (cfg->pg_url && *cfg->pg_url) {
		d->kind = DB_PG;
		d->drv = &db_pg_driver;
	} else {
		d->kind = DB_SQLITE;
		d->drv = &db_sqlite_driver;
	}
	if (d->drv->open(d, cfg, err, errlen)) {
		free(d);
		*out = NULL;
		return -1;
	}
	*out = d;
	return 0;
}

void db_close(db *d) {
	if (!d) return;
	for (size_t i = 0; i < sizeof d->cache / sizeof d->cache[0]; i++) {
		db_stmt *s = d->cache[i];
		while (s) {
			db_stmt *n = s->next;
			d->drv->reset(s);
			d->drv->finalize(d, s->st);
			for (int k = 0; k < DB_MAX_PARAMS; k++) free(s->tcopy[k]);
			free(s);
			s = n;
		}
	}
	d->drv->close(d);
	free(d);
}

enum db_kind db_kind(db *d) { return d->kind; }

int db_notify(db *d, const char *channel, const char *payload) {
	return d->kind == DB_PG ? db_pg_notify(d, channel, payload) : 0;
}

int db_writer_setup(db *d) {
	/* temp_store=MEMORY (every connection's, db_sqlite.c) keeps a sub-journal in 1 KiB pieces; a
	   writer job's savepoint and its statements copy some 80 KiB of pages there, and allocating,
	   writing and freeing the pieces was ~55k of a reply's ~485k instructions on the writer (issue 16).
	   With temp_store=FILE the sub-journal is one piece of SQLITE_CONFIG_STMTJRNL_SPILL bytes
	   (DB_SUBJOURNAL_SPILL), in memory unless a job outgrows it (then a temporary file). The writer's
	   other temporary tables are small and stay in its page cache. */
	return d->kind == DB_SQLITE ? db_exec_script(d, "PRAGMA temp_store=FILE") : 0;
}

int db_bulk_mode(db *d, int on) {
	/* PostgreSQL: a COMMIT returns before its WAL is flushed (a server crash may lose the last
	   transactions, never half of one) */
	if (d->kind == DB_PG) return db_exec_script(d, on ? "SET synchronous_commit = off" : "SET synchronous_commit = on");
	return db_exec_script(d, on ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-131072; PRAGMA wal_autocheckpoint=16384"
	                          : "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000");
}

static unsigned db_hash(const char *key) {
	uintptr_t k = (uintptr_t)key;
	return (unsigned)((k >> 4) ^ (k >> 12)) & 63u;
}

db_stmt *db_prep(db *d, const char *sql) {
	unsigned h = db_hash(sql);
	for (db_stmt *s = d->cache[h]; s; s = s->next)
		if (s->key == sql) {
			if (s->started) db_done(s);
			return s;
		}
	db_stmt *s = xcalloc(1, sizeof *s);
	s->d = d;
	s->key = sql;
	s->st = d->drv->prepare(d, sql);
	if (!s->st) die("BUG: cannot prepare SQL: %s\n%s", d->drv->errmsg(d), sql);
	s->next = d->cache[h];
	d->cache[h] = s;
	return s;
}

db_stmt *db_prep_each(db *d, const char *sql) {
	db_stmt *s = db_prep(d, sql);
	s->plan_each = 1;
	return s;
}

static struct db_param *db_param_slot(db_stmt *s, int i) {
	if (i < 1 || i > DB_MAX_PARAMS) die("BUG: parameter index %d out of range", i);
	if (i > s->nparams) s->nparams = i;
	return &s->p[i - 1];
}

void db_bind_int(db_stmt *s, int i, int64_t v) {
	struct db_param *p = db_param_slot(s, i);
	memset(p, 0, sizeof *p);
	p->i = v;
}

void db_bind_text(db_stmt *s, int i, const char *t, int n) {
	struct db_param *p = db_param_slot(s, i);
	memset(p, 0, sizeof *p);
	if (!t) { p->isnull = 1; return; }
	p->is_text = 1;
	p->t = t;
	p->n = n < 0 ? (int)strlen(t) : n;
}

void db_bind_null(db_stmt *s, int i) {
	struct db_param *p = db_param_slot(s, i);
	memset(p, 0, sizeof *p);
	p->isnull = 1;
}

/* process-wide totals for /metrics (every connection, every thread) */
static uint64_t g_queries_total, g_errors_total;

void db_stats(uint64_t *queries, uint64_t *errors) {
	*queries = __atomic_load_n(&g_queries_total, __ATOMIC_RELAXED);
	*errors = __atomic_load_n(&g_errors_total, __ATOMIC_RELAXED);
}

uint64_t db_round_trips(void) { return db_pg_round_trips(); }

int db_ping(db *d) {
	return d && db_exec(d, "SELECT 1") == 0 ? 0 : -1;
}

static void db_count(db_stmt *s) {
	if (!s->started) {
		s->started = 1;
		s->d->queries++;
		__atomic_add_fetch(&g_queries_total, 1, __ATOMIC_RELAXED);
	}
}

void db_send(db_stmt *s) {
	db_count(s);
	if (s->d->drv->send) s->d->drv->send(s);
}

int db_step(db_stmt *s) {
	db_count(s);
	s->d->errclass = 0;
	int rc = s->d->drv->step(s);
	if (rc == DB_ERR) __atomic_add_fetch(&g_errors_total, 1, __ATOMIC_RELAXED);
	return rc;
}

int64_t db_int(db_stmt *s, int col) { return s->d->drv->col_int(s, col); }
const char *db_text(db_stmt *s, int col) {
	const char *t = s->d->drv->col_text(s, col);
	return t ? t : "";
}
int db_len(db_stmt *s, int col) { return s->d->drv->col_len(s, col); }
int db_isnull(db_stmt *s, int col) { return s->d->drv->col_null(s, col); }

void db_done(db_stmt *s) {
	s->d->drv->reset(s);
	s->started = 0;
	s->nparams = 0;
	memset(s->p, 0, sizeof s->p);
}

int db_exec(db *d, const char *sql) {
	db_stmt *s = db_prep(d, sql);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {}
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int db_exec_script(db *d, const char *sql) { return d->drv->exec_script(d, sql); }

static void (*g_tx_hook)(db *d, int committed);
void db_set_tx_hook(void (*fn)(db *d, int committed)) { g_tx_hook = fn; }
int db_in_tx(db *d) { return d->intx > 0; }

/* intx is at the innermost savepoint level: a db_begin here is a unit's own transaction */
static int at_sp_level(db *d) { return d->nsp > 0 && d->intx == d->sp_base[d->nsp - 1]; }

/* undoes and closes the savepoint NAME (static literals): 0 or -1 */
static int sp_undo(db *d, const char *rollback_to, const char *release) {
	return db_exec_script(d, rollback_to) || db_exec_script(d, release) ? -1 : 0;
}

int db_begin(db *d) {
	if (d->intx > 0) {
		if (at_sp_level(d) && db_exec_script(d, "SAVEPOINT loulan_tx")) return -1;
		d->intx++;
		return 0;
	}
	int rc = db_exec_script(d, d->kind == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
	if (!rc) {
		d->intx = 1;
		d->doomed = 0;
		d->nsp = 0;
	}
	return rc;
}

int db_commit(db *d) {
	if (d->intx <= 0) return -1;
	if (--d->intx > 0) {
		if (!at_sp_level(d)) return d->doomed ? -1 : 0;
		/* a unit's own transaction inside a savepoint level: release it, or undo it alone */
		int doomed = d->doomed;
		d->doomed = 0;
		if (!doomed && !db_exec_script(d, "RELEASE loulan_tx")) return 0;
		sp_undo(d, "ROLLBACK TO loulan_tx", "RELEASE loulan_tx");
		return -1;
	}
	d->nsp = 0;
	if (d->doomed) {
		db_exec_script(d, "ROLLBACK");
		d->doomed = 0;
		if (g_tx_hook) g_tx_hook(d, 0);
		return -1;
	}
	int rc = db_exec_script(d, "COMMIT");
	if (rc) db_exec_script(d, "ROLLBACK");  /* SQLite keeps the transaction open after a failed COMMIT */
	if (g_tx_hook) g_tx_hook(d, rc == 0);
	return rc;
}

int db_rollback(db *d) {
	if (d->intx <= 0) return 0;
	if (--d->intx > 0) {
		if (at_sp_level(d)) {   /* a unit's own transaction: undone alone, nothing doomed */
			d->doomed = 0;
			return sp_undo(d, "ROLLBACK TO loulan_tx", "RELEASE loulan_tx");
		}
		d->doomed = 1;
		return 0;
	}
	d->doomed = 0;
	d->nsp = 0;
	int rc = db_exec_script(d, "ROLLBACK");
	if (g_tx_hook) g_tx_hook(d, 0);
	return rc;
}

int db_savepoint(db *d) {
	if (d->intx <= 0 || d->nsp >= DB_SAVEPOINT_MAX) return -1;
	/* PostgreSQL: a failed statement aborts the transaction, only a savepoint recovers it */
	if (d->kind == DB_PG && db_exec_script(d, "SAVEPOINT loulan_job")) return -1;
	d->sp_base[d->nsp] = d->intx;
	d->sp_doomed[d->nsp] = d->doomed;
	d->nsp++;
	d->doomed = 0;
	return 0;
}

int db_in_savepoint(db *d) { return d->nsp > 0; }

int db_release(db *d) {
	if (d->nsp <= 0) return -1;
	d->nsp--;
	int base = d->sp_base[d->nsp], open = d->intx > base, rc = 0;
	d->intx = base;
	d->doomed = d->sp_doomed[d->nsp];
	if (d->kind == DB_PG) {
		if (!open && !db_exec_script(d, "RELEASE loulan_job")) return 0;
		rc = sp_undo(d, "ROLLBACK TO loulan_job", "RELEASE loulan_job") ? -1 : 1;
	} else if (open) {   /* the unit's own transaction (its first level) is the savepoint loulan_tx */
		rc = sp_undo(d, "ROLLBACK TO loulan_tx", "RELEASE loulan_tx") ? -1 : 1;
	}
	if (d->tx_alive && !d->tx_alive(d)) return -1;   /* SQLite rolled the whole transaction back */
	return rc;
}

const char *db_errmsg(db *d) { return d->drv->errmsg(d); }
int db_errclass(db *d) { return d->errclass; }
unsigned db_queries(db *d) { return d->queries; }
void db_queries_reset(db *d) { d->queries = 0; }
