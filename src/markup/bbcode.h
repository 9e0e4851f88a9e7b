/*
** bbcode: renders Discuz! X3.5 BBCode into sanitized, balanced HTML.
** Knows nothing about the database, HTTP or templates.
*/
#ifndef LOULAN_BBCODE_H
#define LOULAN_BBCODE_H
#include <stddef.h>
#include "util/buf.h"

#define BBCODE_MAX_DEPTH 32 /* nesting cap; deeper tags stay literal */
#define BBCODE_SIZE_MIN 8   /* [size=Npx] range, and the fs-N classes of loulan.css */
#define BBCODE_SIZE_MAX 72

/*
** Appends the HTML for the n bytes of BBCode at src to out. Every text node is
** escaped; unknown, malformed, unclosed or mismatched tags and tags with an
** invalid attribute stay literal (escaped) text; the result is always balanced
** and uses only the tags, attributes and URL schemes of the allowlist. It has
** no style attributes: colours, sizes, fonts, alignment and floats are classes
** of static/loulan.css (c-NAME, bg-NAME, fs-N, f-NAME, al-X, fl-X).
** Linear in n. Returns 0, or -1 when out->err is set (cap reached).
*/
int bbcode_render(buf *out, const char *src, size_t n);

/* The 40 colours of the Discuz! editor's colour box, in its order (CSS names;
   each has the classes c-NAME and bg-NAME): the composer's palette. */
const char *const *bbcode_palette(size_t *n);
#endif
