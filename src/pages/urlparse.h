/*
** urlparse: the hand-written parsers for what users type into URLs: old
** Discuz! static paths ("thread-12-3-1.html") and the board pages' keyset
** cursors ("STICKY_LASTPOST_TID"). Pure functions, no HTTP, no database;
** fuzzed by tests/fuzz/fuzz_urlparse.c.
*/
#ifndef LOULAN_URLPARSE_H
#define LOULAN_URLPARSE_H
#include "forum/forum.h"
#include "forum/read.h"
#include <stdint.h>

#define URL_NUM_MAX (INT64_MAX / 2)   /* ids: in paths, queries and Discuz! paths */
#define URL_CURSOR_DIGITS 18          /* digits per cursor field */

/* The one number parser for what comes from URLs: the n bytes at s must be the
   canonical decimal form of a value in [0, max]: "0" or [1-9][0-9]*, no sign,
   no spaces, no leading zeros, nothing after (so one value has one URL and one
   cache entry). 0 and *out set, or -1. */
int url_uint(const char *s, size_t n, int64_t max, int64_t *out);
/* an id: a NUL-terminated url_uint in [1, max] */
int url_id(const char *s, int64_t max, int64_t *out);
/* a signed whole number in [lo, hi] (lo >= -INT64_MAX), canonical: an optional '-', no '+',
   no leading zeros, no "-0"; 0 ok, -1 not */
int url_int(const char *s, int64_t lo, int64_t hi, int64_t *out);

/* "PREFIXa-b[-c].html" with WANT positive numbers (each <= URL_NUM_MAX) into v:
   1 parsed, 0 not this shape (other prefix or suffix), -1 this shape but malformed */
int url_dashed(const char *seg, const char *prefix, int64_t *v, int want);

/* "STICKY_LASTPOST_TID", three decimal numbers of at most URL_CURSOR_DIGITS
   digits; 0 and *c filled with dir, or -1 when malformed */
int url_thread_cursor(const char *s, int dir, struct thread_cursor *c);

/* "KEY_ID" (rankings, guide: issue 14): two such numbers, ID >= 1; 0 or -1 when malformed */
int url_key_cursor(const char *s, int64_t *key, int64_t *id);

/* The Archiver's "KIND-N.html" / "KIND-N-page-P.html" (KIND fid or tid; N <= URL_NUM_MAX,
   1 <= P <= FORUM_MAX_PAGE; *pg = 1 without a page): 1 parsed, 0 another kind, -1 malformed */
int url_archiver(const char *s, const char *kind, int64_t *id, int *pg);
#endif
