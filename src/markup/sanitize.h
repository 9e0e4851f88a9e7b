/*
** sanitize: the URL allowlist shared by the BBCode and Markdown renderers.
** Knows nothing about either syntax, nor about the database or HTTP.
*/
#ifndef LOULAN_SANITIZE_H
#define LOULAN_SANITIZE_H
#include <stddef.h>
#include "util/buf.h"

#define SANITIZE_URL_MAX 4096 /* longer URLs are refused */

/*
** Appends the attribute-escaped URL if its scheme is http, https or mailto
** (case-insensitive), or if it is relative (starts with '/', '#', '?', or has
** no scheme at all). Leading and trailing whitespace/control bytes are trimmed;
** a URL with a control byte inside, an empty URL or one longer than
** SANITIZE_URL_MAX is refused. Spaces inside become %20.
** Returns 0, or -1 with nothing appended when the URL is refused.
*/
int sanitize_url(buf *out, const char *url, size_t n);
#endif
