/*
** rerender: `loulan rerender` (rerender.c).
*/
#ifndef LOULAN_RERENDER_H
#define LOULAN_RERENDER_H
#include "forum/forum.h"

/* Renders every post and saved edit again from its source and stores the HTML
   where it changed (after a renderer change; `loulan rerender`). Works in
   batches of FORUM_RERENDER_BATCH rows, one transaction each; bumps the site
   generation if anything changed. *seen and *changed get the counts. 0 ok. */
#define FORUM_RERENDER_BATCH 200
int forum_rerender(db *d, int64_t *seen, int64_t *changed, struct forum_err *e);
#endif
