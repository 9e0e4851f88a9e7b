/*
** phpser: a reader of PHP's serialize() format, as Discuz! stores settings
** (common_setting.extcredits), forum options and the like: a:N:{...},
** s:LEN:"BYTES";, i:N;, d:X;, b:0|1;, N;. LEN counts bytes in the database's
** charset: unserialize the raw bytes first, convert each string after.
** Objects (O:, C:), references (r:, R:) and anything else are refused.
** Pure: no database, no I/O. Values live in the caller's arena.
*/
#ifndef LOULAN_PHPSER_H
#define LOULAN_PHPSER_H
#include "util/arena.h"
#include <stddef.h>
#include <stdint.h>

#define PHPSER_INPUT_MAX (16u << 20)   /* bytes of one serialized value (a mediumtext) */
#define PHPSER_DEPTH_MAX 32            /* nested arrays */
#define PHPSER_ITEMS_MAX 1000000       /* array elements in one value, all levels */

enum php_type { PHP_NULL, PHP_BOOL, PHP_INT, PHP_DOUBLE, PHP_STRING, PHP_ARRAY };
struct php_kv;
struct php_val {
	enum php_type t;
	int64_t i;          /* PHP_BOOL, PHP_INT */
	double d;           /* PHP_DOUBLE */
	const char *s;      /* PHP_STRING: n bytes (NUL-terminated copy; may hold NULs) */
	size_t n;           /* PHP_STRING: bytes; PHP_ARRAY: elements */
	struct php_kv *kv;  /* PHP_ARRAY: n key/value pairs in order */
};
struct php_kv { struct php_val key, val; };   /* key: PHP_INT or PHP_STRING */

/* Parses the n bytes at s (exactly one value, nothing after it). 0 ok (*out set), -1 malformed
   or over a limit. */
int php_unserialize(const char *s, size_t n, arena *a, struct php_val **out);
/* The element of array v whose key is the string key (or the integer it spells, as PHP does);
   NULL if v is not an array or has none. */
const struct php_val *php_get(const struct php_val *v, const char *key);
const struct php_val *php_geti(const struct php_val *v, int64_t key);
/* v as an integer (int, bool, numeric string, double truncated; else 0) */
int64_t php_int(const struct php_val *v);
/* v as bytes (string; ints printed into the arena; else ""), length in *n when n is not NULL */
const char *php_str(const struct php_val *v, arena *a, size_t *n);
#endif
