/*
** write: categories and boards, and forum_cook, the one call from forum/
** into the renderers (write.c).
*/
#ifndef LOULAN_WRITE_H
#define LOULAN_WRITE_H
#include "forum/forum.h"

int forum_category_add(db *d, const char *name, int64_t *cid);
int forum_category_find(db *d, const char *name, int64_t *cid);   /* 1 found */
int forum_board_add(db *d, int64_t cid, const char *name, const char *desc, const char *types_csv, int64_t *fid,
                    struct forum_err *e);
/* The one way forum/ turns a post's source into HTML: malloc'd sanitized
   HTML in *html, 0 ok. Called before any write transaction opens. */
int forum_cook(const char *format, const char *source, char **html);
#endif
