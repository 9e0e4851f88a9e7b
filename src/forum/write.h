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
/* Sub-boards (Discuz! type='sub', one level): board fid (0: one being created) of category cid may be
   shown under parent (0: none) when parent is another board, not hidden or not, of the same category that is
   itself no sub-board, and fid has no sub-boards of its own (so no loops and no second level). Reads in the
   caller's transaction; FORUM_OK or FORUM_E_INVALID / FORUM_E_NOTFOUND / FORUM_E_DB with e filled. */
int forum_board_parent_check(db *d, int64_t fid, int64_t cid, int64_t parent, struct forum_err *e);
/* checks, then sets board fid's parent (its category stays); bumps the site at COMMIT */
int forum_board_set_parent(db *d, int64_t fid, int64_t parent, struct forum_err *e);
/* The one way forum/ turns a post's source into HTML: malloc'd sanitized
   HTML in *html, 0 ok. Called before any write transaction opens. */
int forum_cook(const char *format, const char *source, char **html);
#endif
