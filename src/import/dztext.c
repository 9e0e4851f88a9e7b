/*
** dztext: charset conversion, entity decoding, UTF-8 repair and HTML/BBCode
** text helpers of the Discuz! importer (see dztext.h).
*/
#include "import/dztext.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

struct dz_conv { enum dz_charset cs; UConverter *u; UChar *tmp; size_t cap; };

enum dz_charset dz_charset_parse(const char *name) {
	if (!name) return 0;
	if (!strcasecmp(name, "utf8mb4") || !strcasecmp(name, "utf-8")) return DZ_UTF8MB4;
	if (!strcasecmp(name, "utf8") || !strcasecmp(name, "utf8mb3")) return DZ_UTF8;
	if (!strcasecmp(name, "gbk") || !strcasecmp(name, "gb2312") || !strcasecmp(name, "gb18030")) return DZ_GBK;
	if (!strcasecmp(name, "big5")) return DZ_BIG5;
	return 0;
}

const char *dz_charset_mysql(enum dz_charset cs) {
	switch (cs) {
	case DZ_GBK: return "gbk";
	case DZ_BIG5: return "big5";
	case DZ_UTF8: return "utf8mb4";   /* a superset: the bytes of a 3-byte utf8 table come back unchanged */
	default: return "utf8mb4";
	}
}

struct dz_conv *dz_conv_open(enum dz_charset cs) {
	struct dz_conv *cv = xcalloc(1, sizeof *cv);
	cv->cs = cs;
	if (cs == DZ_GBK || cs == DZ_BIG5) {
		UErrorCode e = U_ZERO_ERROR;
		cv->u = ucnv_open(cs == DZ_GBK ? "GB18030" : "windows-950", &e);
		if (U_FAILURE(e)) {
			free(cv);
			return NULL;
		}
	}
	return cv;
}

void dz_conv_close(struct dz_conv *cv) {
	if (!cv) return;
	if (cv->u) ucnv_close(cv->u);
	free(cv->tmp);
	free(cv);
}

static void put_cp(buf *out, UChar32 c) {
	char tmp[4];
	int32_t i = 0;
	UBool err = 0;
	U8_APPEND((uint8_t *)tmp, i, 4, c, err);
	if (!err) buf_append(out, tmp, (size_t)i);
}

/* a code point worth decoding from an entity: a scalar value, not a control */
static int cp_ok(int64_t c) { return c >= 0x20 && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF) && !(c >= 0x7F && c < 0xA0); }

/* &#NNN; / &#xHHH; at s (n bytes left): its length and code point, or 0 */
static size_t num_entity(const char *s, size_t n, int64_t *cp) {
	if (n < 4 || s[0] != '&' || s[1] != '#') return 0;
	size_t i = 2;
	int hex = 0;
	if (s[i] == 'x' || s[i] == 'X') hex = 1, i++;
	int64_t v = 0;
	size_t start = i;
	while (i < n && i - start < 8) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : hex && (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
		if (d < 0) break;
		v = v * (hex ? 16 : 10) + d;
		i++;
	}
	if (i == start || i >= n || s[i] != ';') return 0;
	*cp = v;
	return i + 1;
}

/* decodes entities of UTF-8 text s (mode as dz_text) while copying; the copy is valid UTF-8 already */
static void decode_entities(const char *s, size_t n, int mode, buf *out) {
	static const struct { const char *name; size_t len; char c; } named[] = {
		{"&amp;", 5, '&'}, {"&lt;", 4, '<'}, {"&gt;", 4, '>'}, {"&quot;", 6, '"'}, {"&#039;", 6, '\''}, {"&#39;", 5, '\''},
	};
	size_t i = 0, run = 0;
	while (i < n) {
		if (s[i] != '&') {
			i++;
			continue;
		}
		buf_append(out, s + run, i - run);
		size_t used = 0;
		int64_t cp;
		if (mode == DZ_ESCAPED) {
			for (size_t k = 0; k < sizeof named / sizeof named[0] && !used; k++)
				if (n - i >= named[k].len && !memcmp(s + i, named[k].name, named[k].len)) {
					buf_putc(out, named[k].c);
					used = named[k].len;
				}
			if (!used && n - i >= 6 && !memcmp(s + i, "&nbsp;", 6)) {
				buf_putc(out, ' ');
				used = 6;
			}
		}
		if (!used && (used = num_entity(s + i, n - i, &cp))) {
			/* raw BBCode keeps entities of ASCII as typed ("&#91;b&#93;" must not become a tag) */
			if (cp_ok(cp) && (mode == DZ_ESCAPED || cp >= 0xA0)) put_cp(out, (UChar32)cp);
			else buf_append(out, s + i, used);
		}
		if (!used) {
			buf_putc(out, '&');
			used = 1;
		}
		i += used;
		run = i;
	}
	buf_append(out, s + run, n - run);
}

/* valid UTF-8 of s into out: a sequence cut at the very end dropped, other ill-formed bytes U+FFFD,
   NUL and C0 controls other than \t \n \r dropped */
static void repair(const char *s, size_t n, buf *out) {
	const uint8_t *u = (const uint8_t *)s;
	int32_t i = 0, len = (int32_t)n;
	int32_t run = 0;
	while (i < len) {
		int32_t start = i;
		UChar32 c;
		U8_NEXT(u, i, len, c);
		if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') continue;
		buf_append(out, s + run, (size_t)(start - run));
		if (c < 0 && i < len) buf_append(out, "\xEF\xBF\xBD", 3);
		else if (c < 0 && U8_COUNT_TRAIL_BYTES(u[start]) == 0) buf_append(out, "\xEF\xBF\xBD", 3);   /* a stray byte at the end */
		run = i;
	}
	buf_append(out, s + run, (size_t)(len - run));
}

int dz_text(struct dz_conv *cv, const char *s, size_t n, int mode, buf *out) {
	if (n > DZ_TEXT_MAX) n = DZ_TEXT_MAX;
	buf u8, ok;
	buf_init(&u8, 0);
	buf_init(&ok, 0);
	if (cv && cv->u) {
		if (cv->cap < n + 1) {
			free(cv->tmp);
			cv->cap = n + 64;
			cv->tmp = xmalloc(sizeof(UChar) * cv->cap);
		}
		UErrorCode e = U_ZERO_ERROR;
		ucnv_reset(cv->u);
		int32_t ul = ucnv_toUChars(cv->u, cv->tmp, (int32_t)cv->cap, s, (int32_t)n, &e);
		int32_t need = 0;
		if (U_SUCCESS(e)) {
			buf_reserve(&u8, (size_t)ul * 3 + 4);
			u_strToUTF8WithSub(u8.data, (int32_t)(u8.cap - 1), &need, cv->tmp, ul, 0xFFFD, NULL, &e);
		}
		if (U_FAILURE(e) || u8.err) {
			buf_release(&u8);
			buf_release(&ok);
			return -1;
		}
		u8.len = (size_t)need;
		u8.data[u8.len] = 0;
		repair(u8.data, u8.len, &ok);
	} else {
		repair(s, n, &ok);
	}
	decode_entities(ok.data ? ok.data : "", ok.len, mode, out);
	buf_release(&u8);
	buf_release(&ok);
	return out->err ? -1 : 0;
}

/* ---- HTML into BBCode ---------------------------------------------------- */

/* the value of attribute name in the tag text t (n bytes), into out (decoded); 1 found */
static int attr(const char *t, size_t n, const char *name, buf *out) {
	size_t nl = strlen(name);
	for (size_t i = 0; i + nl < n; i++) {
		if (strncasecmp(t + i, name, nl) || (i && t[i - 1] != ' ' && t[i - 1] != '\t' && t[i - 1] != '\n')) continue;
		size_t j = i + nl;
		while (j < n && t[j] == ' ') j++;
		if (j >= n || t[j] != '=') continue;
		j++;
		while (j < n && t[j] == ' ') j++;
		char q = j < n && (t[j] == '"' || t[j] == '\'') ? t[j++] : 0;
		size_t k = j;
		while (k < n && (q ? t[k] != q : t[k] != ' ' && t[k] != '>')) k++;
		buf raw;
		buf_init(&raw, 0);
		decode_entities(t + j, k - j, DZ_ESCAPED, &raw);
		/* a value holding ] or [ would end or open a tag of the BBCode written around it */
		for (size_t m = 0; m < raw.len; m++)
			if (raw.data[m] == '[' || raw.data[m] == ']' || raw.data[m] == '\n') raw.data[m] = ' ';
		buf_append(out, raw.data ? raw.data : "", raw.len);
		buf_release(&raw);
		return 1;
	}
	return 0;
}

static int tag_is(const char *name, size_t nl, const char *want) { return strlen(want) == nl && !strncasecmp(name, want, nl); }

void dz_html_to_bbcode(const char *h, size_t n, buf *out) {
	static const struct { const char *html, *open, *close; } simple[] = {
		{"b", "[b]", "[/b]"}, {"strong", "[b]", "[/b]"}, {"i", "[i]", "[/i]"}, {"em", "[i]", "[/i]"},
		{"u", "[u]", "[/u]"}, {"s", "[s]", "[/s]"}, {"strike", "[s]", "[/s]"}, {"del", "[s]", "[/s]"},
		{"blockquote", "[quote]", "[/quote]"}, {"code", "[code]", "[/code]"},
	};
	size_t i = 0, run = 0;
	while (i < n) {
		if (h[i] != '<') {
			i++;
			continue;
		}
		decode_entities(h + run, i - run, DZ_ESCAPED, out);
		const char *gt = memchr(h + i, '>', n - i);
		if (!gt) {   /* a lone '<': text */
			run = i;
			i = n;
			break;
		}
		size_t tl = (size_t)(gt - h) - i - 1;
		const char *t = h + i + 1;
		int closing = tl && t[0] == '/';
		const char *name = t + closing;
		size_t nl = 0;
		while (nl < tl - (size_t)closing && (((name[nl] | 32) >= 'a' && (name[nl] | 32) <= 'z') || (name[nl] >= '0' && name[nl] <= '9')))
			nl++;
		i = (size_t)(gt - h) + 1;
		run = i;
		if (!closing && (tag_is(name, nl, "script") || tag_is(name, nl, "style"))) {
			/* drop everything up to the closing tag */
			const char *endtag = tag_is(name, nl, "script") ? "</script" : "</style";
			size_t el = strlen(endtag), k = i;
			while (k + el <= n && strncasecmp(h + k, endtag, el)) k++;
			const char *g2 = k + el <= n ? memchr(h + k, '>', n - k) : NULL;
			i = run = g2 ? (size_t)(g2 - h) + 1 : n;
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof simple / sizeof simple[0]; k++)
			if (tag_is(name, nl, simple[k].html)) {
				buf_puts(out, closing ? simple[k].close : simple[k].open);
				break;
			}
		if (k < sizeof simple / sizeof simple[0]) continue;
		if (tag_is(name, nl, "a")) {
			if (closing) buf_puts(out, "[/url]");
			else {
				buf href;
				buf_init(&href, 0);
				if (attr(t, tl, "href", &href) && href.len) {
					buf_puts(out, "[url=");
					buf_append(out, href.data, href.len);
					buf_putc(out, ']');
				} else {
					buf_puts(out, "[url]");
				}
				buf_release(&href);
			}
		} else if (tag_is(name, nl, "img") && !closing) {
			buf src;
			buf_init(&src, 0);
			if (attr(t, tl, "src", &src) && src.len) {
				buf_puts(out, "[img]");
				buf_append(out, src.data, src.len);
				buf_puts(out, "[/img]");
			}
			buf_release(&src);
		} else if (tag_is(name, nl, "br") || (closing && (tag_is(name, nl, "p") || tag_is(name, nl, "div") ||
		                                                  tag_is(name, nl, "tr") || tag_is(name, nl, "li") ||
		                                                  (nl == 2 && (name[0] | 32) == 'h' && name[1] >= '1' && name[1] <= '6')))) {
			buf_putc(out, '\n');
		}
	}
	decode_entities(h + run, n - run, DZ_ESCAPED, out);
}

/* ---- visible text of BBCode ------------------------------------------------ */

void dz_squash(const char *s, size_t n, buf *out) {
	int space = 0, any = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		/* U+00A0 and U+3000 count as white space */
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			space = 1, i++;
			continue;
		}
		if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80) {
			space = 1, i += 2;
			continue;
		}
		if (space && any) buf_putc(out, ' ');
		space = 0;
		any = 1;
		buf_putc(out, (char)c);
	}
}

/* the length of a tag [name], [name=...], [/name] at s (n bytes left) whose name is letters (and digits
   after the first), or 0; *name / *nl its name, *closing */
static size_t bb_tag(const char *s, size_t n, const char **name, size_t *nl, int *closing) {
	if (n < 3 || s[0] != '[') return 0;
	size_t i = 1;
	*closing = s[i] == '/';
	i += (size_t)*closing;
	*name = s + i;
	size_t st = i;
	while (i < n && (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') || (i > st && s[i] >= '0' && s[i] <= '9') || s[i] == '*')) i++;
	*nl = i - st;
	if (!*nl || *nl > 12 || i >= n) return 0;
	if (s[i] == ']') return i + 1;
	if (*closing || s[i] != '=') return 0;
	const char *e = memchr(s + i, ']', n - i < 256 ? n - i : 256);
	return e ? (size_t)(e - s) + 1 : 0;
}

/* Discuz!'s default smilies of type 1 (FACTS §2.11), longest first where one is a prefix of another */
static const char *const smilies[] = {
	":loveliness:", ":handshake", ":victory:", ":shutup:", ":sleepy:", ":dizzy:", ":curse:", ":funk:", ":time:",
	":kiss:", ":call:", ":hug:", ":lol", ":'(", ":)", ":(", ":D", ":@", ":o", ":P", ":$", ";P", ":L", ":Q",
};

void dz_bbcode_text(const char *s, size_t n, buf *out) {
	buf t;
	buf_init(&t, 0);
	size_t i = 0, run = 0;
	while (i < n) {
		const char *name;
		size_t nl, tl = 0;
		int closing;
		if (s[i] == ':' || s[i] == ';') {
			for (size_t k = 0; k < sizeof smilies / sizeof smilies[0] && !tl; k++)
				if (n - i >= strlen(smilies[k]) && !memcmp(s + i, smilies[k], strlen(smilies[k]))) tl = strlen(smilies[k]);
		} else if (s[i] == '{' && i + 1 < n && s[i + 1] == ':') {   /* {:2_25:} */
			size_t k = i + 2;
			while (k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '_')) k++;
			if (k + 1 < n && s[k] == ':' && s[k + 1] == '}' && k > i + 2) tl = k + 2 - i;
		} else if (s[i] == '[') {
			tl = bb_tag(s + i, n - i, &name, &nl, &closing);
			/* [attach]N[/attach], [img]url[/img]: nothing visible as text */
			if (tl && !closing && (tag_is(name, nl, "attach") || tag_is(name, nl, "attachimg") || tag_is(name, nl, "img"))) {
				char endt[16];
				int el = snprintf(endt, sizeof endt, "[/%.*s]", (int)nl, name);
				size_t k = i + tl;
				while (k + (size_t)el <= n && strncasecmp(s + k, endt, (size_t)el)) k++;
				if (k + (size_t)el <= n) tl = k + (size_t)el - i;
			}
		}
		if (!tl) {
			i++;
			continue;
		}
		buf_append(&t, s + run, i - run);
		buf_putc(&t, ' ');
		i += tl;
		run = i;
	}
	buf_append(&t, s + run, n - run);
	dz_squash(t.data ? t.data : "", t.len, out);
	buf_release(&t);
}
