/*
** copy: a whole SQLite forum into an empty PostgreSQL database (`loulan
** copy`). See copy.c.
*/
#ifndef LOULAN_COPY_H
#define LOULAN_COPY_H
#include "db/db.h"
struct forum_err;   /* forum.h */
#include <stddef.h>
#include <stdio.h>

/* Migrates `to`, refuses unless it is empty, copies every table in one
** transaction (the db layer's bulk load), builds the search index on `to`
** unless no_index (then `loulan reindex` fills it later), resets identity
** sequences and verifies row counts and key counters per table. Progress,
** the verification and a "copy times:" line go to out (a bar when tty).
** 0, or -1 with err set and nothing left in `to`. */
int forum_copy(db *from, db *to, FILE *out, int tty, int no_index, struct forum_err *e);
/* SQLite: the table list of copy.c against the schema of D (every table and
   column copied, no more). 0, or -1 with err naming what is missing. */
int copy_check_columns(db *d, struct forum_err *e);
/* PostgreSQL: every identity sequence past its table's largest id (after rows were written with
   their ids, as `loulan import-discuz` does); SQLite: nothing. 0 or -1 (db_errmsg). */
int forum_reseq(db *d);

/* Bulk loading on PostgreSQL: the indexes of TABLE that back no constraint and its foreign keys,
** dropped in the caller's transaction and kept as the statements that make them again
** (copy_keys_make, in the same transaction: a rollback puts them back too). SQLite: nothing kept,
** 0. copy_keys_drop: 0, or -1 / -2 / -3 with nothing dropped or kept (copy_keys_error says why:
** the database's message, more than COPY_MAX_KEYS, no transaction). copy_keys_make frees X in
** every case. */
#define COPY_MAX_KEYS 32
struct copy_keys { int n; char *make[COPY_MAX_KEYS]; };
int copy_keys_drop(db *d, const char *table, struct copy_keys *x);
int copy_keys_make(db *d, struct copy_keys *x);   /* 0, or -1 (db_errmsg) */
void copy_keys_free(struct copy_keys *x);
const char *copy_keys_error(db *d, int rc);
#endif
