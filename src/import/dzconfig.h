/*
** dzconfig: reads a Discuz! site's config/config_global.php and
** config/config_ucenter.php without PHP: a tolerant scanner of the two
** assignment forms those files use,
**     $_config['db'][1]['dbhost'] = 'localhost';
**     define('UC_DBHOST', 'localhost');
** Values may be single- or double-quoted strings (\' \\ \" escapes; no
** interpolation), integers, true/false/null. Comments (//, #, / * * /) and
** any other PHP are skipped. Pure: no I/O here (the caller reads the file).
*/
#ifndef LOULAN_DZCONFIG_H
#define LOULAN_DZCONFIG_H
#include <stddef.h>

#define DZCONF_FILE_MAX (1u << 20)   /* bytes of a config file read */
#define DZCONF_VALUE_MAX 512         /* bytes of one value kept (longer ones are cut) */
#define DZCONF_KEY_MAX 128           /* bytes of a key path ("db.1.dbhost") */
#define DZCONF_ENTRIES_MAX 512       /* assignments kept */

struct dzconf_entry { char key[DZCONF_KEY_MAX], val[DZCONF_VALUE_MAX]; };
struct dzconf { struct dzconf_entry *e; int n; };

/* Adds the assignments found in the n bytes at s to c ($_config[...] as "a.b.c" keys, defines by their
   name); a later assignment of a key replaces an earlier one. 0, -1 if out of memory or too big. */
int dzconf_parse(struct dzconf *c, const char *s, size_t n);
const char *dzconf_get(const struct dzconf *c, const char *key);   /* NULL if absent */
void dzconf_free(struct dzconf *c);
#endif
