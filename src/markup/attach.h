/*
** markup/attach: how [attach]N (BBCode) and attach:N (Markdown) become HTML.
** The renderers know no database: the caller (forum/attach.c) installs a
** lookup for the current thread; without one, or for an attachment the lookup
** refuses, the tag stays literal text.
*/
#ifndef LOULAN_MARKUP_ATTACH_H
#define LOULAN_MARKUP_ATTACH_H
#include "util/buf.h"
#include <stdint.h>

struct markup_attach {
	int is_image, width, height;   /* display size of an image */
	const char *filename;
	int64_t size;
};
/* 1 and *out filled when aid may be shown in this post, else 0 */
typedef int (*markup_attach_fn)(int64_t aid, struct markup_attach *out);
void markup_set_attach(markup_attach_fn fn);   /* per thread; NULL removes it */
/* The HTML for attachment aid (as an image when image is 1 and it is one): 0, or -1 when
** it cannot be shown (the caller keeps the source text). */
int markup_attach_html(buf *o, int64_t aid, int image);
/* the same HTML for a resolved attachment (the list under a post) */
void markup_attach_emit(buf *o, int64_t aid, const struct markup_attach *m, int image);
/* parses N of [attach]N[/attach] / attach:N: 1..2^53, digits only; 0 when invalid */
int64_t markup_attach_id(const char *s, size_t n);
#endif
