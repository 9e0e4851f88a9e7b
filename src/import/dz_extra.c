/*
** dz_extra: see dz_extra.h.
*/
#include "import/dz_extra.h"
#include "util/buf.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *dz_sql(buf *b, const char *first, ...) {
	buf_reset(b);
	va_list ap;
	va_start(ap, first);
	for (const char *p = first; p; p = va_arg(ap, const char *)) buf_puts(b, p);
	va_end(ap);
	return buf_cstr(b);
}

int dz_group_open(struct imp *im, struct dz_group *g, const char *key, const char *table, const char *col,
                  const char *cols, const char *where_, const char *order) {
	memset(g, 0, sizeof *g);
	imp_rows_init(&g->rows);
	buf sql;
	buf_init(&sql, 0);
	const char *and_ = where_ ? " AND " : "", *w = where_ ? where_ : "";
	int rc = imp_keyset_open(im, &g->k, key, dz_sql(&sql, "SELECT DISTINCT ", col, " FROM ", table, " WHERE ", col,
	                                                 " > ?", and_, w, " ORDER BY ", col, " LIMIT ?", NULL), NULL);
	if (!rc && !g->k.done) {
		rc = imp_prepare(im, &g->q, dz_sql(&sql, "SELECT ", cols, " FROM ", table, " WHERE ", col, " > ? AND ", col,
		                                    " <= ?", and_, w, " ORDER BY ", col, order ? ", " : "", order ? order : "", NULL));
		if (!rc) g->open = 1;
	}
	buf_release(&sql);
	return rc;
}

int dz_group_next(struct dz_group *g) {
	g->rows.n = 0;
	int n = imp_keyset_next(&g->k);
	if (n <= 0) return n;
	g->lo = g->k.last;
	g->hi = imp_int(&g->k.rows, n - 1, 0);
	int64_t p[2] = {g->lo, g->hi};
	return imp_exec(&g->q, p, 2, &g->rows) < 0 ? -1 : 1;
}

int dz_group_commit(struct dz_group *g) { return imp_keyset_commit(&g->k); }

void dz_group_close(struct dz_group *g) {
	if (g->open) imp_query_close(&g->q);
	imp_rows_free(&g->rows);
	imp_keyset_close(&g->k);
	g->open = 0;
}

const char *dz_cut(arena *a, const char *s, size_t max) {
	size_t n = strlen(s), chars = 0, i = 0;
	while (i < n && chars < max) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
		chars++;
	}
	return i < n ? arena_strndup(a, s, i) : s;
}

int64_t dz_first_pid(struct imp *im, int64_t tid) {
	db_stmt *s = db_prep(imp_db(im), "SELECT pid FROM post WHERE tid = $1 AND position = 1");
	db_bind_int(s, 1, tid);
	int rc = db_step(s);
	int64_t pid = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	return rc == DB_ERR ? -1 : pid;
}

const char *dz_member_name(struct imp *im, arena *a, int64_t uid) {
	db_stmt *s = db_prep(imp_db(im), "SELECT username FROM member WHERE uid = $1");
	db_bind_int(s, 1, uid);
	const char *name = db_step(s) == DB_ROW ? arena_strdup(a, db_text(s, 0)) : "";
	db_done(s);
	return name;
}
