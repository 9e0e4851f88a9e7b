/*
** row: reading a result row into a struct, column by column in SELECT order,
** without numbering the columns by hand:
**
**     struct row r = row_of(s, a);
**     t->tid = row_int(&r);
**     t->subject = row_text(&r);      (copied into the arena)
**
** Adding a column to the SELECT then means adding one line at the same place.
*/
#ifndef LOULAN_ROW_H
#define LOULAN_ROW_H
#include "db/db.h"
#include "util/arena.h"

struct row { db_stmt *s; arena *a; int col; };
static inline struct row row_of(db_stmt *s, arena *a) { return (struct row){s, a, 0}; }
static inline int64_t row_int(struct row *r) { return db_int(r->s, r->col++); }
static inline const char *row_text(struct row *r) { return arena_strdup(r->a, db_text(r->s, r->col++)); }
static inline const char *row_raw(struct row *r) { return db_text(r->s, r->col++); }   /* not copied */
static inline int row_notnull(struct row *r) { return !db_isnull(r->s, r->col++); }   /* 1 unless SQL NULL */
#endif
