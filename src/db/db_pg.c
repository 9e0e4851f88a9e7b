/*
** db_pg: the PostgreSQL driver of the db layer (libpq), for several loulan
** nodes sharing one database. One connection per db handle (per thread), no
** pool. Statements are prepared server-side once per session with unique
** names; parameters and results travel as text (text output is ~2% of a
** backend's CPU: docs/SCALING.md). db_send queues reads in pipeline mode, to
** go with the connection's next statement in one round trip (pg_send, pg_drain).
**
** The database may restart under a running node. When the connection is
** lost, the driver resets it once per call and re-prepares statements lazily:
** each statement remembers the connection generation it was prepared in.
** A statement that failed outside a transaction is retried once on the new
** connection. Inside a transaction nothing is retried: every statement fails
** until the caller rolls back (COMMIT fails too), so no half of a transaction
** is ever replayed in autocommit.
**
** Knows nothing of the forum's rules. LISTEN/NOTIFY helpers: db_pg.h.
*/
#include "db/db.h"
#include "db/db_pg.h"
#include "util/buf.h"
#include "util/die.h"
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PG_MAX_CHANNELS 16
#define PG_MAX_PIPE 8   /* statements queued by db_send before the one that sends them */

struct pg_conn {
	PGconn *c;
	unsigned gen;      /* +1 per (re)connection; statements compare against it */
	int lost_tx;       /* lost inside a transaction: fail until ROLLBACK/COMMIT */
	int nchan;
	char *chan[PG_MAX_CHANNELS];  /* LISTENed channels, re-LISTENed after a reset */
	int npipe;         /* statements sent in pipeline mode whose results are not read yet */
	db_stmt *pipe[PG_MAX_PIPE];
};

struct pg_st {
	char name[24];
	char *sql;
	int nparams;       /* highest $N in the text */
	unsigned gen;      /* connection generation it is prepared in; 0: not yet */
	int queued;        /* in pc->pipe */
	size_t cap[DB_MAX_PARAMS];  /* sizes of s->tcopy[] */
};

static void pg_drain(db *d);

/* Error text into d->errbuf, one line, trailing whitespace dropped. */
static void pg_seterr(db *d, int cls, const char *prefix, const char *msg) {
	d->errclass = cls;
	snprintf(d->errbuf, sizeof d->errbuf, "%s%s", prefix, msg && *msg ? msg : "unknown error");
	size_t n = strlen(d->errbuf);
	for (size_t i = 0; i < n; i++)
		if (d->errbuf[i] == '\n') d->errbuf[i] = ' ';
	while (n && (d->errbuf[n - 1] == ' ' || d->errbuf[n - 1] == '\t')) d->errbuf[--n] = 0;
}

/* Classifies a failed result (r may be NULL: the command was not sent). */
static void pg_reserr(db *d, PGresult *r) {
	struct pg_conn *pc = d->conn;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	int cls = DB_E_OTHER;
	if (state) {
		if (!strncmp(state, "23", 2)) cls = DB_E_CONSTRAINT;
		else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")) cls = DB_E_BUSY;
	}
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg && r) msg = PQresultErrorMessage(r);
	if (!msg || !*msg) msg = PQerrorMessage(pc->c);
	pg_seterr(d, cls, "", msg);
}

static int pg_intx(struct pg_conn *pc) {
	PGTransactionStatusType t = PQtransactionStatus(pc->c);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static uint64_t g_round_trips;   /* db_pg_round_trips (atomic) */
static void round_trip(void) { __atomic_add_fetch(&g_round_trips, 1, __ATOMIC_RELAXED); }
uint64_t db_pg_round_trips(void) { return __atomic_load_n(&g_round_trips, __ATOMIC_RELAXED); }

static int pg_ok(PGresult *r) {
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY;
}

/* Runs one parameterless command on the raw connection; 0 or -1 (errbuf). */
static int pg_raw(db *d, const char *sql) {
	struct pg_conn *pc = d->conn;
	round_trip();
	PGresult *r = PQexec(pc->c, sql);
	int ok = pg_ok(r);
	if (!ok) pg_reserr(d, r);
	PQclear(r);
	return ok ? 0 : -1;
}

/* "LISTEN <quoted channel>" into o; -1 if the name cannot be quoted. */
static int pg_listen_sql(db *d, buf *o, const char *channel) {
	struct pg_conn *pc = d->conn;
	char *q = PQescapeIdentifier(pc->c, channel, strlen(channel));
	if (!q) {
		pg_seterr(d, DB_E_OTHER, "cannot quote channel: ", PQerrorMessage(pc->c));
		return -1;
	}
	buf_puts(o, "LISTEN ");
	buf_puts(o, q);
	PQfreemem(q);
	return 0;
}

/* Session state that a new connection needs: settings, LISTENs. */
static int pg_session(db *d) {
	struct pg_conn *pc = d->conn;
	if (pg_raw(d, "SET client_min_messages = warning; SET TimeZone = 'UTC'")) return -1;
	for (int i = 0; i < pc->nchan; i++) {
		buf b;
		buf_init(&b, 0);
		int rc = pg_listen_sql(d, &b, pc->chan[i]);
		if (!rc) rc = pg_raw(d, buf_cstr(&b));
		buf_release(&b);
		if (rc) return -1;
	}
	return 0;
}

/* PQreset, then a new generation and the session state. 0 or -1 (errbuf). */
static int pg_reconnect(db *d) {
	struct pg_conn *pc = d->conn;
	PQreset(pc->c);
	if (PQstatus(pc->c) != CONNECTION_OK) {
		pg_seterr(d, DB_E_OTHER, "connection lost, reconnect failed: ", PQerrorMessage(pc->c));
		return -1;
	}
	pc->gen++;
	return pg_session(d);
}

/* Server notices and asynchronous errors (e.g. "terminating connection")
** go to stderr, marked as ours, instead of libpq's bare default. */
static void pg_notice(void *arg, const char *msg) {
	fprintf(stderr, "loulan: postgres: %s", msg);
}

static int pg_open(db *d, const db_config *cfg, char *err, size_t errlen) {
	PGconn *c = PQconnectdb(cfg->pg_url);
	if (!c) die_oom();
	if (PQstatus(c) != CONNECTION_OK) {
		/* not the URL itself: it may hold a password */
		pg_seterr(d, DB_E_OTHER, "cannot connect to PostgreSQL: ", PQerrorMessage(c));
		snprintf(err, errlen, "%s", d->errbuf);
		PQfinish(c);
		return -1;
	}
	PQsetNoticeProcessor(c, pg_notice, NULL);
	struct pg_conn *pc = xcalloc(1, sizeof *pc);
	pc->c = c;
	pc->gen = 1;
	d->conn = pc;
	if (pg_session(d)) {
		snprintf(err, errlen, "cannot set up PostgreSQL session: %s", d->errbuf);
		PQfinish(c);
		free(pc);
		d->conn = NULL;
		return -1;
	}
	d->errbuf[0] = 0;
	return 0;
}

static void pg_close(db *d) {
	struct pg_conn *pc = d->conn;
	if (!pc) return;
	PQfinish(pc->c);
	for (int i = 0; i < pc->nchan; i++) free(pc->chan[i]);
	free(pc);
	d->conn = NULL;
}

/* Highest $N outside string literals and quoted identifiers. */
static int pg_count_params(const char *sql) {
	int max = 0;
	char q = 0;
	for (const char *p = sql; *p; p++) {
		if (q) {
			if (*p == q) q = 0;
		} else if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			int n = 0;
			while (p[1] >= '0' && p[1] <= '9' && n < 100000) n = n * 10 + (*++p - '0');
			if (n > max) max = n;
		}
	}
	return max;
}

static PGresult *pg_do_prepare(struct pg_conn *pc, struct pg_st *st) {
	round_trip();
	PGresult *r = PQprepare(pc->c, st->name, st->sql, 0, NULL);
	if (pg_ok(r)) st->gen = pc->gen;
	return r;
}

/*
** Prepares at once so that bad SQL is caught by db_prep (a BUG). When the
** server cannot answer now (connection lost, aborted transaction), the
** statement is returned unprepared and prepared on its first step.
*/
static void *pg_prepare(db *d, const char *sql) {
	struct pg_conn *pc = d->conn;
	pg_drain(d);   /* PQprepare waits for its answer: not in pipeline mode */
	struct pg_st *st = xcalloc(1, sizeof *st);
	snprintf(st->name, sizeof st->name, "s%d", ++d->pg_stmt_seq);
	st->sql = xstrdup(sql);
	st->nparams = pg_count_params(sql);
	if (pc->lost_tx || PQstatus(pc->c) == CONNECTION_BAD) return st;
	int intx = pg_intx(pc);
	PGresult *r = pg_do_prepare(pc, st);
	int ok = pg_ok(r);
	if (!ok) pg_reserr(d, r);
	PQclear(r);
	if (!ok && intx && PQstatus(pc->c) == CONNECTION_BAD) pc->lost_tx = 1;
	if (ok || PQstatus(pc->c) == CONNECTION_BAD || PQtransactionStatus(pc->c) == PQTRANS_INERROR)
		return st;
	free(st->sql);
	free(st);
	return NULL;
}

static void pg_finalize(db *d, void *p) {
	struct pg_st *st = p;
	if (!st) return;
	free(st->sql);
	free(st);
}

/* Makes s->tcopy[i] hold at least need bytes. */
static char *pg_tcopy(db_stmt *s, int i, size_t need) {
	struct pg_st *st = s->st;
	if (st->cap[i] < need) {
		size_t cap = need < 32 ? 32 : need;
		char *t = realloc(s->tcopy[i], cap);
		if (!t) die_oom();
		s->tcopy[i] = t;
		st->cap[i] = cap;
	}
	return s->tcopy[i];
}

/* s's parameters as text into vals; their number, or -1 (errbuf). */
static int pg_params(db_stmt *s, const char **vals) {
	struct pg_st *st = s->st;
	int n = st->nparams > s->nparams ? st->nparams : s->nparams;
	if (n > DB_MAX_PARAMS) die("BUG: %d parameters in: %s", n, st->sql);
	for (int i = 0; i < n; i++) {
		struct db_param *p = &s->p[i];
		if (i >= s->nparams || p->isnull) {
			vals[i] = NULL;
		} else if (p->is_text) {
			if (p->n && memchr(p->t, 0, (size_t)p->n)) {
				pg_seterr(s->d, DB_E_OTHER, "", "text parameter contains a NUL byte");
				return -1;
			}
			char *t = pg_tcopy(s, i, (size_t)p->n + 1);
			if (p->n) memcpy(t, p->t, (size_t)p->n);
			t[p->n] = 0;
			vals[i] = t;
		} else {
			char *t = pg_tcopy(s, i, 24);
			snprintf(t, 24, "%" PRId64, p->i);
			vals[i] = t;
		}
	}
	return n;
}

/*
** db_send: queues s in pipeline mode (PQsendQueryPrepared, no Sync yet). Only when that is safe and
** cheap to undo: outside a transaction, on a healthy connection, s already prepared on it. Otherwise
** nothing happens and s runs at its step. The queue is sent, with a Sync, by pg_drain.
*/
static void pg_send(db_stmt *s) {
	db *d = s->d;
	struct pg_conn *pc = d->conn;
	struct pg_st *st = s->st;
	if (s->res || st->queued || s->plan_each || pc->lost_tx || pc->npipe == PG_MAX_PIPE || st->gen != pc->gen ||
	    PQstatus(pc->c) != CONNECTION_OK || (!pc->npipe && PQtransactionStatus(pc->c) != PQTRANS_IDLE))
		return;
	const char *vals[DB_MAX_PARAMS];
	int n = pg_params(s, vals);
	if (n < 0) return;   /* reported at its step */
	if (!pc->npipe && PQenterPipelineMode(pc->c) != 1) return;
	if (PQsendQueryPrepared(pc->c, st->name, n, vals, NULL, NULL, 0) != 1) {
		if (!pc->npipe) PQexitPipelineMode(pc->c);
		return;
	}
	st->queued = 1;
	pc->pipe[pc->npipe++] = s;
}

/*
** Sends the queue's Sync and reads every queued statement's result into it, then leaves pipeline
** mode. A result that is not rows (an error, or aborted by an earlier error) is dropped: that
** statement runs again, alone, at its step and reports its own error there. If the replies are not
** what the protocol promises, every result is dropped and the connection is reset (no transaction
** was open: pg_send queues only outside one).
*/
static void pg_drain(db *d) {
	struct pg_conn *pc = d->conn;
	if (!pc->npipe) return;
	round_trip();
	int ok = PQpipelineSync(pc->c) == 1;
	for (int i = 0; i < pc->npipe; i++) {
		db_stmt *q = pc->pipe[i];
		((struct pg_st *)q->st)->queued = 0;
		PGresult *r = ok ? PQgetResult(pc->c) : NULL;
		if (!r) {
			ok = 0;
			continue;
		}
		if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK) {
			q->res = r;
			q->nrows = PQntuples(r);
		} else {
			PQclear(r);
		}
		PGresult *end = PQgetResult(pc->c);   /* NULL: the end of this statement's results */
		if (end) {
			PQclear(end);
			ok = 0;
		}
	}
	if (ok) {
		PGresult *r = PQgetResult(pc->c);
		if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC) ok = 0;
		PQclear(r);
	}
	if (ok && PQexitPipelineMode(pc->c) != 1) ok = 0;
	if (!ok) {
		for (int i = 0; i < pc->npipe; i++) {
			db_stmt *q = pc->pipe[i];
			PQclear(q->res);
			q->res = NULL;
			q->nrows = 0;
		}
		pg_reconnect(d);   /* a new session: statements are prepared again on first use */
	}
	pc->npipe = 0;
}

/* Executes s with its bound parameters; s->res on success. 0 or -1 (errbuf). */
static int pg_run(db_stmt *s) {
	db *d = s->d;
	struct pg_conn *pc = d->conn;
	struct pg_st *st = s->st;
	if (pc->lost_tx) {
		pg_seterr(d, DB_E_OTHER, "", "connection lost inside a transaction; roll it back");
		return -1;
	}
	const char *vals[DB_MAX_PARAMS];
	int n = pg_params(s, vals);
	if (n < 0) return -1;
	if (pc->npipe) {
		/* reads queued by db_send: this statement joins them, one round trip for all */
		if (!st->queued) pg_send(s);
		pg_drain(d);
		if (s->res) return 0;
	}
	int tried = 0;
	for (;;) {
		if (PQstatus(pc->c) == CONNECTION_BAD) {
			if (tried++) return -1;
			if (pg_reconnect(d)) return -1;
		}
		int intx = pg_intx(pc);
		PGresult *r = NULL;
		if (st->gen != pc->gen) {
			r = pg_do_prepare(pc, st);
			if (pg_ok(r)) {
				PQclear(r);
				r = NULL;
			}
		}
		if (!r) {
			round_trip();
			r = s->plan_each ? PQexecParams(pc->c, st->sql, n, NULL, vals, NULL, NULL, 0)
			                 : PQexecPrepared(pc->c, st->name, n, vals, NULL, NULL, 0);
			if (pg_ok(r)) {
				s->res = r;
				s->nrows = PQntuples(r);
				return 0;
			}
		}
		pg_reserr(d, r);
		PQclear(r);
		if (PQstatus(pc->c) != CONNECTION_BAD) return -1;
		if (intx) {
			pc->lost_tx = 1;
			return -1;
		}
		if (tried) return -1;
	}
}

/* s->row: rows returned so far (the current row is s->row - 1); -1 after an error. */
static int pg_step(db_stmt *s) {
	if (s->row < 0) {
		s->d->errclass = DB_E_OTHER;
		return DB_ERR;
	}
	if (!s->res && pg_run(s)) {
		s->row = -1;
		return DB_ERR;
	}
	if (s->row >= s->nrows) return DB_DONE;
	s->row++;
	return DB_ROW;
}

/* The current row of s, or -1 if there is none or col is out of range. */
static int pg_cur(db_stmt *s, int col) {
	if (!s->res || s->row < 1 || s->row > s->nrows) return -1;
	if (col < 0 || col >= PQnfields(s->res)) return -1;
	return s->row - 1;
}

static int64_t pg_int(db_stmt *s, int col) {
	int r = pg_cur(s, col);
	if (r < 0 || PQgetisnull(s->res, r, col)) return 0;
	const char *v = PQgetvalue(s->res, r, col);
	if (v[0] == 't' && !v[1]) return 1;
	if (v[0] == 'f' && !v[1]) return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_text(db_stmt *s, int col) {
	int r = pg_cur(s, col);
	if (r < 0 || PQgetisnull(s->res, r, col)) return NULL;
	return PQgetvalue(s->res, r, col);
}

static int pg_len(db_stmt *s, int col) {
	int r = pg_cur(s, col);
	return r < 0 ? 0 : PQgetlength(s->res, r, col);
}

static int pg_null(db_stmt *s, int col) {
	int r = pg_cur(s, col);
	return r < 0 ? 1 : PQgetisnull(s->res, r, col);
}

static void pg_reset(db_stmt *s) {
	if (((struct pg_st *)s->st)->queued) pg_drain(s->d);
	PQclear(s->res);
	s->res = NULL;
	s->row = 0;
	s->nrows = 0;
}

static int pg_exec_script(db *d, const char *sql) {
	struct pg_conn *pc = d->conn;
	pg_drain(d);
	int rollback = !strcasecmp(sql, "ROLLBACK");
	int commit = !strcasecmp(sql, "COMMIT");
	if (pc->lost_tx) {
		if (rollback || commit) pc->lost_tx = 0;
		if (rollback) return 0;
		pg_seterr(d, DB_E_OTHER, "", "connection lost inside a transaction; nothing was committed");
		return -1;
	}
	d->errclass = 0;
	if (rollback && PQstatus(pc->c) == CONNECTION_BAD) {
		pg_reconnect(d);  /* a new session has no transaction to roll back */
		return 0;
	}
	int tried = 0;
	for (;;) {
		if (PQstatus(pc->c) == CONNECTION_BAD) {
			if (tried++) return -1;
			if (pg_reconnect(d)) return -1;
		}
		int intx = pg_intx(pc);
		round_trip();
		PGresult *r = PQexec(pc->c, sql);
		if (pg_ok(r)) {
			PQclear(r);
			return 0;
		}
		pg_reserr(d, r);
		PQclear(r);
		if (PQstatus(pc->c) != CONNECTION_BAD) return -1;
		if (intx) {
			if (rollback) return 0;        /* the server dropped it already */
			if (!commit) pc->lost_tx = 1;  /* a lost COMMIT ends it, outcome unknown */
			return -1;
		}
		if (tried) return -1;
	}
}

static const char *pg_errmsg(db *d) {
	struct pg_conn *pc = d->conn;
	if (d->errbuf[0]) return d->errbuf;
	return pc ? PQerrorMessage(pc->c) : "no connection";
}

/* ---- bulk load (db.h): COPY table(cols) FROM STDIN in text format ------------------------------
** A row is one line: values separated by tabs, \N for NULL, and in text a backslash, tab, newline
** and carriage return written as \\ \t \n \r (everything else, UTF-8 included, goes as it is).
** Lines gather in a buffer sent with PQputCopyData every DB_COPY_FLUSH bytes. The server reports
** a bad row when the copy ends (or earlier: libpq then refuses the next send), with the line number
** in the error's context ("COPY post, line 17"), which becomes the row of db_errmsg. */

/* 1 for the bytes COPY's text format escapes */
static const unsigned char pg_copy_special[256] = {['\\'] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};

static void pg_copy_escape(buf *b, const char *t, size_t n) {
	buf_reserve(b, 2 * n);
	if (b->err) return;
	char *o = b->data + b->len;
	const unsigned char *p = (const unsigned char *)t, *end = p + n;
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && !pg_copy_special[*p]) p++;
		memcpy(o, run, (size_t)(p - run));
		o += p - run;
		if (p == end) break;
		*o++ = '\\';
		*o++ = *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\';
		p++;
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = 0;
}

/* Binary format (db_copy_begin_binary): a header, then per row the field count (int16) and per
** field its length (int32, -1 for NULL) and bytes (big-endian int8 for integers), then -1 (int16).
** The server reads each value with its type's _recv function: nothing to parse or unescape. */
static const char pg_copy_bin_header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";   /* + flags, extension length */

static void pg_be(buf *b, uint64_t v, int bytes) {
	char o[8];
	for (int i = 0; i < bytes; i++) o[i] = (char)(v >> (8 * (bytes - 1 - i)));
	buf_append(b, o, (size_t)bytes);
}

/* "COPY post, line 17..." in the error's context: 17, else 0 */
static int64_t pg_copy_line(PGresult *r) {
	const char *ctx = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
	const char *l = ctx ? strstr(ctx, ", line ") : NULL;
	return l ? strtoll(l + 7, NULL, 10) : 0;
}

/* reads the results after the copy ended (or broke): 0 if it succeeded, else -1 with errbuf and c->errrow */
static int pg_copy_results(db_copy *c) {
	db *d = c->d;
	struct pg_conn *pc = d->conn;
	int rc = 0;
	PGresult *r;
	while ((r = PQgetResult(pc->c))) {
		if (PQresultStatus(r) == PGRES_COPY_IN) {   /* still copying: end it, then read on */
			PQclear(r);
			if (PQputCopyEnd(pc->c, "loulan: copy abandoned") != 1) break;
			continue;
		}
		if (!rc && !pg_ok(r)) {
			pg_reserr(d, r);
			c->errrow = pg_copy_line(r);
			rc = -1;
		}
		PQclear(r);
	}
	if (!rc && PQstatus(pc->c) == CONNECTION_BAD) {
		pg_seterr(d, DB_E_OTHER, "connection lost during the copy: ", PQerrorMessage(pc->c));
		rc = -1;
	}
	if (rc && PQstatus(pc->c) == CONNECTION_BAD) pc->lost_tx = 1;
	return rc;
}

static int pg_copy_flush(db_copy *c) {
	buf *b = c->drv;
	struct pg_conn *pc = c->d->conn;
	if (b->err || b->len > INT_MAX) {   /* PQputCopyData takes an int */
		pg_seterr(c->d, DB_E_OTHER, "", "row too long for the copy buffer");
		return -1;
	}
	if (!b->len) return 0;
	if (PQputCopyData(pc->c, b->data, (int)b->len) != 1) {
		/* the server reported an error already (libpq left the copy state) or the connection broke */
		pg_copy_results(c);
		if (!c->d->errbuf[0]) pg_seterr(c->d, DB_E_OTHER, "copy: ", PQerrorMessage(pc->c));
		buf_reset(b);
		return -1;
	}
	buf_reset(b);
	return 0;
}

static int pg_copy_begin(db_copy *c) {
	db *d = c->d;
	struct pg_conn *pc = d->conn;
	pg_drain(d);
	if (pc->lost_tx || PQstatus(pc->c) == CONNECTION_BAD) {
		pg_seterr(d, DB_E_OTHER, "", "connection lost inside a transaction; roll it back");
		return -1;
	}
	buf q;
	buf_init(&q, 0);
	buf_appendf(&q, "COPY %s(%s) FROM STDIN%s", c->table, c->cols,   /* names checked by db_copy_begin */
	            c->binary ? " WITH (FORMAT binary)" : "");
	round_trip();
	PGresult *r = PQexec(pc->c, buf_cstr(&q));
	buf_release(&q);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		pg_reserr(d, r);
		PQclear(r);
		if (PQstatus(pc->c) == CONNECTION_BAD) pc->lost_tx = 1;
		return -1;
	}
	PQclear(r);
	buf *b = xcalloc(1, sizeof *b);
	buf_init(b, (size_t)DB_COPY_FLUSH + (size_t)DB_COPY_MAX_COLS * (2 * (size_t)DB_COPY_MAX_VALUE + 1));
	buf_reserve(b, DB_COPY_FLUSH + 4096);
	if (c->binary) buf_append(b, pg_copy_bin_header, sizeof pg_copy_bin_header);
	c->drv = b;
	return 0;
}

static int pg_copy_row(db_copy *c) {
	buf *b = c->drv;
	if (c->binary) {
		pg_be(b, (uint64_t)c->ncols, 2);
		for (int i = 0; i < c->ncols; i++) {
			const struct db_param *p = &c->v[i];
			if (p->isnull) {
				pg_be(b, 0xffffffffu, 4);
			} else if (p->is_text) {   /* text and raw values: their bytes */
				pg_be(b, (uint64_t)p->n, 4);
				buf_append(b, p->t, (size_t)p->n);
			} else {
				pg_be(b, 8, 4);
				pg_be(b, (uint64_t)p->i, 8);
			}
		}
		return b->len >= DB_COPY_FLUSH || b->err ? pg_copy_flush(c) : 0;
	}
	for (int i = 0; i < c->ncols; i++) {
		const struct db_param *p = &c->v[i];
		if (i) buf_putc(b, '\t');
		if (p->isnull) buf_append(b, "\\N", 2);
		else if (p->is_text) pg_copy_escape(b, p->t, (size_t)p->n);
		else buf_put_int(b, p->i);
	}
	buf_putc(b, '\n');
	return b->len >= DB_COPY_FLUSH || b->err ? pg_copy_flush(c) : 0;
}

static int pg_copy_end(db_copy *c, int ok) {
	db *d = c->d;
	struct pg_conn *pc = d->conn;
	buf *b = c->drv;
	if (ok && c->binary) pg_be(b, 0xffffu, 2);   /* the trailer */
	int rc = ok ? pg_copy_flush(c) : -1;
	if (!rc) {
		round_trip();
		if (PQputCopyEnd(pc->c, NULL) != 1) pg_seterr(d, DB_E_OTHER, "copy: ", PQerrorMessage(pc->c));
		rc = pg_copy_results(c);
	} else if (PQtransactionStatus(pc->c) == PQTRANS_ACTIVE) {
		/* abandon: the server rolls the COPY back and the transaction is failed until ROLLBACK */
		char keep[sizeof d->errbuf];
		memcpy(keep, d->errbuf, sizeof keep);
		int cls = d->errclass;
		if (PQputCopyEnd(pc->c, "loulan: copy abandoned") == 1) pg_copy_results(c);
		memcpy(d->errbuf, keep, sizeof keep);
		d->errclass = cls;
	}
	buf_release(b);
	free(b);
	c->drv = NULL;
	return rc;
}

const struct db_driver db_pg_driver = {
	pg_open, pg_close, pg_prepare, pg_finalize, pg_step, pg_int, pg_text, pg_len,
	pg_null, pg_reset, pg_exec_script, pg_errmsg, pg_copy_begin, pg_copy_row, pg_copy_end, pg_send,
};

/* ---- LISTEN/NOTIFY (db_pg.h) ------------------------------------------ */

int db_pg_listen(db *d, const char *channel) {
	if (d->kind != DB_PG) return -1;
	struct pg_conn *pc = d->conn;
	for (int i = 0; i < pc->nchan; i++)
		if (!strcmp(pc->chan[i], channel)) return 0;
	if (pc->nchan == PG_MAX_CHANNELS) {
		pg_seterr(d, DB_E_OTHER, "", "too many LISTEN channels");
		return -1;
	}
	buf b;
	buf_init(&b, 0);
	int rc = pg_listen_sql(d, &b, channel);
	if (!rc) rc = pg_exec_script(d, buf_cstr(&b));
	buf_release(&b);
	if (!rc) pc->chan[pc->nchan++] = xstrdup(channel);
	return rc;
}

int db_pg_notify(db *d, const char *channel, const char *payload) {
	if (d->kind != DB_PG) return -1;
	db_stmt *s = db_prep(d, "SELECT pg_notify($1, $2)");
	db_bind_text(s, 1, channel, -1);
	db_bind_text(s, 2, payload, -1);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {}
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

static int64_t pg_now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The connection broke while waiting: reset it (re-LISTENs), report -1. */
static int pg_wait_lost(db *d, int intx, const char *why) {
	struct pg_conn *pc = d->conn;
	char msg[sizeof d->errbuf];
	snprintf(msg, sizeof msg, "%s", PQerrorMessage(pc->c));
	if (intx) pc->lost_tx = 1;
	pg_reconnect(d);
	pg_seterr(d, DB_E_OTHER, why, msg);
	return -1;
}

int db_pg_wait_notify(db *d, int timeout_ms, char *payload, size_t cap) {
	if (d->kind != DB_PG) return -1;
	struct pg_conn *pc = d->conn;
	pg_drain(d);
	int intx = pg_intx(pc);
	int64_t deadline = timeout_ms >= 0 ? pg_now_ms() + timeout_ms : 0;
	for (;;) {
		PGnotify *n = PQnotifies(pc->c);
		if (n) {
			if (cap) snprintf(payload, cap, "%s", n->extra ? n->extra : "");
			PQfreemem(n);
			return 1;
		}
		if (PQstatus(pc->c) == CONNECTION_BAD) return pg_wait_lost(d, intx, "connection lost: ");
		int wait = -1;
		if (timeout_ms >= 0) {
			int64_t left = deadline - pg_now_ms();
			if (left <= 0) return 0;
			wait = (int)left;
		}
		struct pollfd pfd = { .fd = PQsocket(pc->c), .events = POLLIN };
		if (pfd.fd < 0) return pg_wait_lost(d, intx, "no socket: ");
		int rc = poll(&pfd, 1, wait);
		if (rc < 0) {
			if (errno == EINTR) continue;
			pg_seterr(d, DB_E_OTHER, "poll: ", strerror(errno));
			return -1;
		}
		if (rc > 0 && !PQconsumeInput(pc->c)) return pg_wait_lost(d, intx, "connection lost: ");
	}
}

unsigned db_pg_generation(db *d) {
	if (d->kind != DB_PG) return 0;
	struct pg_conn *pc = d->conn;
	return pc->gen;
}
