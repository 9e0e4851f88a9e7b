/*
** buf: the one growable byte buffer (Fossil Blob, git strbuf, curl dynbuf).
** Every string that is built (HTML, JSON, headers, SQL never) goes through it.
** A buf has a hard size cap; going over it sets a sticky error flag and further
** appends are ignored, so callers check buf->err once at the end.
** Out of memory aborts. Knows nothing above util/.
*/
#ifndef LOULAN_BUF_H
#define LOULAN_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BUF_DEFAULT_MAX (64u << 20) /* 64 MiB: no page or body is bigger */

typedef struct buf {
	char *data;   /* always NUL-terminated when data != NULL */
	size_t len;
	size_t cap;
	size_t max;   /* hard cap on len */
	int err;      /* sticky: set when an append would pass max */
} buf;

void buf_init(buf *b, size_t max);          /* max 0 = BUF_DEFAULT_MAX */
void buf_append(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_reserve(buf *b, size_t extra);      /* room for extra more bytes, in one allocation */
void buf_putc(buf *b, char c);
void buf_appendf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vappendf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_put_int(buf *b, int64_t v);
void buf_reset(buf *b);                      /* len = 0, keeps memory */
void buf_release(buf *b);                    /* frees memory, back to empty */
char *buf_detach(buf *b, size_t *len);       /* caller owns result (free()) */
const char *buf_cstr(buf *b);                /* "" for an empty buf */

/* Escaping helpers (cgit html_txt / html_attr / html_url_arg). */
void buf_html(buf *b, const char *s, size_t n);     /* text and attribute values */
void buf_html_s(buf *b, const char *s);
void buf_urlenc(buf *b, const char *s, size_t n);   /* URL component */
void buf_json_str(buf *b, const char *s, size_t n); /* "..." with escapes */
#endif
