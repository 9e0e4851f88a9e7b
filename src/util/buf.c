/*
** buf: growable byte buffer with a hard cap and a sticky error flag. See buf.h.
*/
#include "buf.h"
#include "die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max) {
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
	b->err = 0;
}

static int buf_grow(buf *b, size_t extra) {
	if (b->err) return -1;
	if (extra > b->max - b->len) { b->err = 1; return -1; }
	size_t need = b->len + extra + 1;
	if (need <= b->cap) return 0;
	size_t ncap = b->cap ? b->cap : 256;
	while (ncap < need) ncap *= 2;
	char *p = realloc(b->data, ncap);
	if (!p) die_oom();
	b->data = p;
	b->cap = ncap;
	return 0;
}

void buf_append(buf *b, const void *p, size_t n) {
	if (!b->err && n < b->cap - b->len && n <= b->max - b->len) {   /* room already (the common case) */
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = 0;
		return;
	}
	if (buf_grow(b, n)) return;
	if (n) memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_reserve(buf *b, size_t extra) { (void)buf_grow(b, extra); }

void buf_puts(buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(buf *b, char c) {
	if (buf_grow(b, 1)) return;
	b->data[b->len++] = c;
	b->data[b->len] = 0;
}

void buf_vappendf(buf *b, const char *fmt, va_list ap) {
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_grow(b, (size_t)n)) return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_appendf(buf *b, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	buf_vappendf(b, fmt, ap);
	va_end(ap);
}

void buf_put_int(buf *b, int64_t v) {
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do *--p = (char)('0' + u % 10); while (u /= 10);
	if (v < 0) *--p = '-';
	buf_append(b, p, (size_t)(e - p));
}

void buf_reset(buf *b) {
	b->len = 0;
	b->err = 0;
	if (b->data) b->data[0] = 0;
}

void buf_release(buf *b) {
	free(b->data);
	buf_init(b, b->max);
}

char *buf_detach(buf *b, size_t *len) {
	char *p = b->data;
	if (!p) {
		p = malloc(1);
		if (!p) die_oom();
		p[0] = 0;
	}
	if (len) *len = b->len;
	buf_init(b, b->max);
	return p;
}

const char *buf_cstr(buf *b) { return b->data ? b->data : ""; }

void buf_html(buf *b, const char *s, size_t n) {
	static const unsigned char special[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1};
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (!special[(unsigned char)s[i]]) continue;   /* a table, not a switch per byte */
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

void buf_html_s(buf *b, const char *s) { if (s) buf_html(b, s, strlen(s)); }

void buf_urlenc(buf *b, const char *s, size_t n) {
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char t[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(b, t, 3);
		}
	}
}

void buf_json_str(buf *b, const char *s, size_t n) {
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') continue;
		buf_append(b, s + start, i - start);
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default: {
			char t[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			buf_append(b, t, 6);
		}
		}
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
	buf_putc(b, '"');
}
