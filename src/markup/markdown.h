/*
** markdown: renders GitHub-flavoured Markdown (md4c parser, raw HTML off) into
** sanitized, balanced HTML with loulan's own allowlist renderer.
** Knows nothing about the database, HTTP or templates.
*/
#ifndef LOULAN_MARKDOWN_H
#define LOULAN_MARKDOWN_H
#include <stddef.h>
#include "util/buf.h"

/*
** Appends the HTML for the n bytes of Markdown at src to out. Raw HTML is shown
** as escaped text; links and images go through sanitize_url (an unsafe link
** renders as its text, an unsafe image as its alt text).
** Returns 0, or -1 when out->err is set or md4c fails.
*/
int markdown_render(buf *out, const char *src, size_t n);
#endif
