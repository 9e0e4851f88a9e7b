/*
** db_copy: the backend-independent half of bulk loading (db.h, "Bulk load"):
** checks the table and column names, collects one row's values, counts rows,
** puts the row number into the driver's error message and refuses everything
** after the first error. The drivers send the rows: db_pg.c with COPY FROM
** STDIN, db_sqlite.c with one prepared INSERT.
*/
#include "db/db.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ident_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* "a, b,c" -> number of identifiers, or -1 if anything but identifiers, commas and spaces */
static int count_columns(const char *cols) {
	int n = 0, in = 0, want = 1;   /* want: an identifier must come next */
	for (const char *p = cols; *p; p++) {
		if (ident_char(*p)) {
			if (!in) {
				if (!want) return -1;
				n++;
				in = 1;
				want = 0;
			}
		} else if (*p == ',') {
			if (want) return -1;
			in = 0;
			want = 1;
		} else if (*p == ' ') {
			in = 0;
		} else {
			return -1;
		}
	}
	return want ? -1 : n;
}

static int valid_table(const char *t) {
	if (!*t || strlen(t) > 63) return 0;
	for (const char *p = t; *p; p++)
		if (!ident_char(*p)) return 0;
	return 1;
}

static void copy_err(db *d, const char *msg) {
	d->errclass = DB_E_OTHER;
	snprintf(d->errbuf, sizeof d->errbuf, "%s", msg);
}

static db_copy *copy_begin(db *d, const char *table, const char *columns, int binary) {
	d->errclass = 0;
	d->errbuf[0] = 0;
	int n = columns ? count_columns(columns) : -1;
	if (!table || !valid_table(table) || n < 1 || strlen(columns) > 4096) {
		copy_err(d, "bulk load: a table name and a column list of identifiers are wanted");
		return NULL;
	}
	if (n > DB_COPY_MAX_COLS) {
		snprintf(d->errbuf, sizeof d->errbuf, "bulk load: %d columns, at most %d (DB_COPY_MAX_COLS)", n, DB_COPY_MAX_COLS);
		d->errclass = DB_E_OTHER;
		return NULL;
	}
	if (!db_in_tx(d)) {
		copy_err(d, "bulk load outside a transaction (db_begin first)");
		return NULL;
	}
	db_copy *c = xcalloc(1, sizeof *c);
	c->d = d;
	c->table = xstrdup(table);
	c->cols = xstrdup(columns);
	c->ncols = n;
	c->binary = binary;
	d->queries++;
	if (d->drv->copy_begin(c)) {
		free(c->table);
		free(c->cols);
		free(c);
		return NULL;
	}
	return c;
}

db_copy *db_copy_begin(db *d, const char *table, const char *columns) { return copy_begin(d, table, columns, 0); }
db_copy *db_copy_begin_binary(db *d, const char *table, const char *columns) { return copy_begin(d, table, columns, 1); }

/* the next value's slot, or NULL when the row is already full (the row then fails) */
static struct db_param *next_value(db_copy *c) {
	if (c->n >= c->ncols) {
		c->n = c->ncols + 1;   /* too many: db_copy_row reports it */
		return NULL;
	}
	struct db_param *p = &c->v[c->n++];
	memset(p, 0, sizeof *p);
	return p;
}

void db_copy_int(db_copy *c, int64_t v) {
	struct db_param *p = next_value(c);
	if (p) p->i = v;
}

/* text (kind 1) or a raw value (kind 2) of n bytes; a NULL pointer is SQL NULL */
static void put_bytes(db_copy *c, const char *t, int n, int kind) {
	struct db_param *p = next_value(c);
	if (!p) return;
	if (!t) {
		p->isnull = 1;
		return;
	}
	p->is_text = kind;
	p->t = t;
	p->n = n;
}

void db_copy_text(db_copy *c, const char *t, int n) { put_bytes(c, t, t && n < 0 ? (int)strlen(t) : n, 1); }
void db_copy_raw(db_copy *c, const void *t, int n) { put_bytes(c, t, n, 2); }   /* n < 0: the row fails */

void db_copy_null(db_copy *c) {
	struct db_param *p = next_value(c);
	if (p) p->isnull = 1;
}

/* prefixes the driver's message in errbuf with the table and row number (and keeps its class) */
static void row_err(db_copy *c, int64_t row) {
	db *d = c->d;
	char msg[sizeof d->errbuf];
	snprintf(msg, sizeof msg, "%s", d->errbuf[0] ? d->errbuf : d->drv->errmsg(d));
	if (row > 0) snprintf(d->errbuf, sizeof d->errbuf, "%.40s row %lld: %.180s", c->table, (long long)row, msg);
	else snprintf(d->errbuf, sizeof d->errbuf, "%.40s (after %lld rows): %.180s", c->table, (long long)c->rows, msg);
}

/* why a text or raw value cannot go in the row, or NULL */
static const char *value_problem(const db_copy *c, const struct db_param *p) {
	int raw = p->is_text == 2;
	if (p->n > DB_COPY_MAX_VALUE) return raw ? "value longer than DB_COPY_MAX_VALUE" : "text longer than DB_COPY_MAX_VALUE";
	if (raw && p->n < 0) return "a raw value of negative length";
	if (raw) return c->binary && db_kind(c->d) == DB_PG ? NULL : "a raw value outside a binary copy on PostgreSQL";
	return p->n && memchr(p->t, 0, (size_t)p->n) ? "text contains a NUL byte" : NULL;
}

int db_copy_row(db_copy *c) {
	db *d = c->d;
	if (c->failed) return -1;
	int n = c->n;
	c->n = 0;
	d->errbuf[0] = 0;
	if (n != c->ncols) {
		d->errclass = DB_E_OTHER;
		snprintf(d->errbuf, sizeof d->errbuf, "%s row %lld: %d values for %d columns", c->table,
		         (long long)c->rows + 1, n > c->ncols ? c->ncols + 1 : n, c->ncols);
		c->failed = 1;
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const struct db_param *p = &c->v[i];
		if (!p->is_text || p->isnull) continue;
		const char *why = value_problem(c, p);
		if (why) {
			d->errclass = DB_E_OTHER;
			snprintf(d->errbuf, sizeof d->errbuf, "%s row %lld: column %d %s", c->table, (long long)c->rows + 1,
			         i + 1, why);
			c->failed = 1;
			return -1;
		}
	}
	c->errrow = 0;
	if (d->drv->copy_row(c)) {
		/* the driver names an earlier row when the server reports one late (PostgreSQL) */
		row_err(c, c->errrow ? c->errrow : c->rows + 1);
		c->failed = 1;
		return -1;
	}
	c->rows++;
	return 0;
}

int64_t db_copy_rows(db_copy *c) { return c->rows; }

int db_copy_end(db_copy *c) {
	db *d = c->d;
	int rc = -1;
	if (c->failed) {
		char keep[sizeof d->errbuf];
		int cls = d->errclass;
		memcpy(keep, d->errbuf, sizeof keep);
		d->drv->copy_end(c, 0);
		memcpy(d->errbuf, keep, sizeof keep);
		d->errclass = cls;
	} else {
		d->errbuf[0] = 0;
		if (c->n) {
			d->errclass = DB_E_OTHER;
			snprintf(d->errbuf, sizeof d->errbuf, "%s row %lld: %d values left without db_copy_row", c->table,
			         (long long)c->rows + 1, c->n);
			d->drv->copy_end(c, 0);
		} else {
			c->errrow = 0;
			rc = d->drv->copy_end(c, 1);
			if (rc) row_err(c, c->errrow);
		}
	}
	free(c->table);
	free(c->cols);
	free(c);
	return rc;
}
