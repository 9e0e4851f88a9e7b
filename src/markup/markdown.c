/*
** markdown: md4c parser + our own renderer callbacks (not md4c-html), so that
** every tag, attribute and URL scheme that reaches the page is on our allowlist.
** Text is escaped with buf_html; entities are decoded first and then escaped,
** so "&#106;avascript:" in a link is seen by sanitize_url as "javascript:".
** Knows nothing about the database, HTTP or templates.
*/
#include <stddef.h>
#include "markup/markdown.h"
#include "markup/attach.h"
#include "markup/sanitize.h"
#include "markup/smiley.h"
#include "markup/mention.h"
#include "util/die.h"
#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#define MD_PAD 16 /* zero bytes after our copy of the source */

typedef struct el {
	uint8_t kind, type; /* EL_BLOCK + MD_BLOCKTYPE, or EL_SPAN + MD_SPANTYPE */
	const char *close;  /* closing tag(s) to write, or NULL (nothing was opened) */
} el;

typedef struct mdr {
	buf *out;
	buf tmp;          /* a decoded URL or entity */
	buf alt;          /* decoded alt text of the current image */
	int img;          /* > 0 while inside an image: text goes to alt, spans vanish */
	int img_emitted;  /* the current image's "<img src=..." was written */
	int img_attach;   /* the current image was ![](attach:N): its HTML is out, its alt dropped */
	el *st;           /* open elements */
	size_t sp, cap;
	size_t count[2][32]; /* open elements per kind and type */
	const char *begin, *end; /* the padded copy of the source */
	buf pend;         /* normal text not written yet: md4c may report a run in pieces */
	int pend_prev;    /* the text byte before pend (0 at a block's start) */
	int last;         /* the last text byte written in this block, across spans ("http://a.com:)") */
	int smilies;      /* smiley codes still to replace (SMILEY_MAX_PER_POST) */
} mdr;

/* Writes the pending normal text, with smiley codes as emoji. Every other
   event calls it first, so a code is never found across markup. */
static void flush_text(mdr *r) {
	if (!r->pend.len) return;
	if (r->pend.err) r->out->err = 1;
	mention_html(r->out, buf_cstr(&r->pend), r->pend.len, r->pend_prev, &r->smilies);   /* @name, smilies */
	r->last = (unsigned char)r->pend.data[r->pend.len - 1];
	buf_reset(&r->pend);
}

static void put_utf8(buf *o, uint32_t c) {
	char u[4];
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) c = 0xfffd;
	if (c < 0x80) { u[0] = (char)c; buf_append(o, u, 1); }
	else if (c < 0x800) { u[0] = (char)(0xc0 | (c >> 6)); u[1] = (char)(0x80 | (c & 0x3f)); buf_append(o, u, 2); }
	else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f)); buf_append(o, u, 3);
	} else {
		u[0] = (char)(0xf0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f)); u[3] = (char)(0x80 | (c & 0x3f)); buf_append(o, u, 4);
	}
}

/* Appends the decoded (unescaped) form of an entity md4c reported: numeric
   entities and a few common named ones; an unknown name is kept verbatim. */
static void entity_decode(buf *o, const char *s, size_t n) {
	static const struct { const char *name; uint32_t cp; } named[] = {
		{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
		{"nbsp", 0xa0}, {"copy", 0xa9}, {"reg", 0xae}, {"trade", 0x2122},
		{"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"laquo", 0xab},
		{"raquo", 0xbb}, {"middot", 0xb7}, {"times", 0xd7}, {"divide", 0xf7},
		{"colon", ':'}, {"lpar", '('}, {"rpar", ')'}, {"sol", '/'}, {"tab", '\t'},
		{"NewLine", '\n'}, {"period", '.'}, {"excl", '!'}, {"num", '#'},
	};
	if (n >= 4 && s[0] == '&' && s[1] == '#' && s[n - 1] == ';') {
		uint32_t v = 0;
		int hex = s[2] == 'x' || s[2] == 'X';
		for (size_t i = hex ? 3 : 2; i + 1 < n; i++) {
			int c = (unsigned char)s[i], d;
			if (c >= '0' && c <= '9') d = c - '0';
			else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
			else { buf_append(o, s, n); return; }
			v = v * (hex ? 16 : 10) + (uint32_t)d;
			if (v > 0x10ffff) v = 0x110000; /* saturate: becomes U+FFFD */
		}
		put_utf8(o, v);
		return;
	}
	if (n >= 3 && s[0] == '&' && s[n - 1] == ';') {
		for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
			if (strlen(named[i].name) == n - 2 && memcmp(named[i].name, s + 1, n - 2) == 0) {
				put_utf8(o, named[i].cp);
				return;
			}
		}
	}
	buf_append(o, s, n);
}

/* Decoded attribute (entities resolved, NUL -> U+FFFD) into o, unescaped. */
static void attr_decode(buf *o, const MD_ATTRIBUTE *a) {
	for (unsigned i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		switch (a->substr_types[i]) {
		case MD_TEXT_ENTITY: entity_decode(o, s, n); break;
		case MD_TEXT_NULLCHAR: put_utf8(o, 0xfffd); break;
		default: buf_append(o, s, n); break;
		}
	}
}

/* Appends the sanitized, escaped URL of a; -1 (nothing appended) if unsafe. */
static int put_url(mdr *r, const MD_ATTRIBUTE *a) {
	buf_reset(&r->tmp);
	attr_decode(&r->tmp, a);
	if (r->tmp.err) return -1;
	return sanitize_url(r->out, buf_cstr(&r->tmp), r->tmp.len);
}

static void put_align(buf *o, const MD_BLOCK_TD_DETAIL *d) {
	switch (d->align) {
	case MD_ALIGN_LEFT: buf_puts(o, " class=\"al-left\""); break;
	case MD_ALIGN_CENTER: buf_puts(o, " class=\"al-center\""); break;
	case MD_ALIGN_RIGHT: buf_puts(o, " class=\"al-right\""); break;
	default: break;
	}
}

/* "language-X" class for a fenced block, only for a plain identifier. */
static void put_lang(buf *o, const MD_ATTRIBUTE *lang) {
	if (lang->size == 0 || lang->size > 32) return;
	for (size_t i = 0; i < lang->size; i++) {
		int c = (unsigned char)lang->text[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '+' || c == '#'))
			return;
	}
	buf_puts(o, " class=\"language-");
	buf_html(o, lang->text, lang->size);
	buf_putc(o, '"');
}

/* An alt text that reads like a javascript:, data: or vbscript: URL is dropped:
   no attribute we write may start with one (html_check enforces it). */
static int alt_is_scheme(const char *s, size_t n) {
	static const char *const bad[] = {"javascript:", "data:", "vbscript:"};
	char head[12];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof head; i++)
		if ((unsigned char)s[i] > 0x20) head[k++] = s[i];
	for (size_t i = 0; i < 3; i++) {
		size_t l = strlen(bad[i]);
		if (k >= l && strncasecmp(head, bad[i], l) == 0) return 1;
	}
	return 0;
}

/* Ends the current image: <img ... alt="..."> if its URL was safe, else its
   alt text as plain text. */
static void finish_img(mdr *r) {
	buf *o = r->out;
	if (r->alt.err) o->err = 1;
	if (r->img_attach) {
		r->img_attach = 0;
	} else if (!r->img_emitted) {
		buf_html(o, buf_cstr(&r->alt), r->alt.len);
	} else {
		buf_puts(o, "\" alt=\"");
		if (!alt_is_scheme(buf_cstr(&r->alt), r->alt.len)) buf_html(o, buf_cstr(&r->alt), r->alt.len);
		buf_puts(o, "\" loading=\"lazy\" referrerpolicy=\"no-referrer\">");
	}
	r->img = 0;
	buf_reset(&r->alt);
}

/* ---- the element stack: every element we open is pushed with its closing
   tag; a leave event pops up to its matching entry (closing what lies above),
   a leave with no matching entry is ignored, and whatever is left is closed at
   the end. So the output is balanced even if md4c's events were not. */

enum { EL_BLOCK = 0, EL_SPAN = 1 };

static void el_push(mdr *r, int kind, int type, const char *close) {
	if (r->sp == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 32;
		el *ns = realloc(r->st, ncap * sizeof *ns);
		if (!ns) die_oom();
		r->st = ns;
		r->cap = ncap;
	}
	r->st[r->sp++] = (el){(uint8_t)kind, (uint8_t)type, close};
	r->count[kind][type & 31]++;
}

static void el_pop_one(mdr *r) {
	el *e = &r->st[--r->sp];
	r->count[e->kind][e->type & 31]--;
	if (e->close) buf_puts(r->out, e->close);
}

static void el_leave(mdr *r, int kind, int type) {
	if (!r->count[kind][type & 31]) return;
	while (r->sp) {
		el *e = &r->st[r->sp - 1];
		int match = e->kind == kind && e->type == type;
		el_pop_one(r);
		if (match) return;
	}
}

static const char *const h_open[7] = {"", "<h1>", "<h2>", "<h3>", "<h4>", "<h5>", "<h6>"};
static const char *const h_close[7] = {"", "</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n"};

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
	mdr *r = ud;
	flush_text(r);
	r->last = 0;
	buf *o = r->out;
	const char *close = NULL;
	if (r->img) finish_img(r); /* md4c never nests a block in an image; be safe */
	switch (type) {
	case MD_BLOCK_DOC: break;
	case MD_BLOCK_QUOTE: buf_puts(o, "<blockquote>\n"); close = "</blockquote>\n"; break;
	case MD_BLOCK_UL: buf_puts(o, "<ul>\n"); close = "</ul>\n"; break;
	case MD_BLOCK_OL: {
		const MD_BLOCK_OL_DETAIL *d = detail;
		if (d->start == 1) buf_puts(o, "<ol>\n");
		else buf_appendf(o, "<ol start=\"%u\">\n", d->start);
		close = "</ol>\n";
		break;
	}
	case MD_BLOCK_LI: {
		const MD_BLOCK_LI_DETAIL *d = detail;
		if (d->is_task)
			buf_puts(o, d->task_mark == ' ' ? "<li class=\"task\">\xe2\x98\x90 " : "<li class=\"task done\">\xe2\x98\x91 ");
		else
			buf_puts(o, "<li>");
		close = "</li>\n";
		break;
	}
	case MD_BLOCK_HR: buf_puts(o, "<hr />\n"); break;
	case MD_BLOCK_H: {
		unsigned l = ((const MD_BLOCK_H_DETAIL *)detail)->level;
		if (l < 1 || l > 6) l = 6;
		buf_puts(o, h_open[l]);
		close = h_close[l];
		break;
	}
	case MD_BLOCK_CODE:
		buf_puts(o, "<pre><code");
		put_lang(o, &((const MD_BLOCK_CODE_DETAIL *)detail)->lang);
		buf_putc(o, '>');
		close = "</code></pre>\n";
		break;
	case MD_BLOCK_HTML: /* unreachable with MD_FLAG_NOHTML; its text is escaped anyway */
	case MD_BLOCK_P: buf_puts(o, "<p>"); close = "</p>\n"; break;
	case MD_BLOCK_TABLE: buf_puts(o, "<table>\n"); close = "</table>\n"; break;
	case MD_BLOCK_THEAD: buf_puts(o, "<thead>\n"); close = "</thead>\n"; break;
	case MD_BLOCK_TBODY: buf_puts(o, "<tbody>\n"); close = "</tbody>\n"; break;
	case MD_BLOCK_TR: buf_puts(o, "<tr>"); close = "</tr>\n"; break;
	case MD_BLOCK_TH: buf_puts(o, "<th"); put_align(o, detail); buf_putc(o, '>'); close = "</th>"; break;
	case MD_BLOCK_TD: buf_puts(o, "<td"); put_align(o, detail); buf_putc(o, '>'); close = "</td>"; break;
	}
	el_push(r, EL_BLOCK, (int)type, close);
	return o->err ? -1 : 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
	mdr *r = ud;
	flush_text(r);
	r->last = 0;
	if (r->img) finish_img(r);
	el_leave(r, EL_BLOCK, (int)type);
	return r->out->err ? -1 : 0;
}

/* attach:N that the current post may use (markup/attach.h), or 0 */
static int64_t attach_ref(const MD_ATTRIBUTE *a) {
	if (a->size < 8 || strncmp(a->text, "attach:", 7)) return 0;
	int64_t aid = markup_attach_id(a->text + 7, a->size - 7);
	buf t;
	buf_init(&t, 0);
	int ok = aid && !markup_attach_html(&t, aid, 0);
	buf_release(&t);
	return ok ? aid : 0;
}

static const char LINK_ATTRS[] = "\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">";

static int enter_span(MD_SPANTYPE type, void *detail, void *ud) {
	mdr *r = ud;
	flush_text(r);
	buf *o = r->out;
	const char *close = NULL;
	if (r->img) {
		if (type == MD_SPAN_IMG) r->img++;
		return 0; /* inside alt text: only text survives, spans are not pushed */
	}
	switch (type) {
	case MD_SPAN_EM: buf_puts(o, "<em>"); close = "</em>"; break;
	case MD_SPAN_STRONG: buf_puts(o, "<strong>"); close = "</strong>"; break;
	case MD_SPAN_A: {
		size_t mark = o->len;
		int64_t aid = attach_ref(&((const MD_SPAN_A_DETAIL *)detail)->href);
		if (aid) {
			buf_appendf(o, "<a class=\"att-link\" href=\"/a/%lld/o\">", (long long)aid);
			close = "</a>";
			break;
		}
		buf_puts(o, "<a href=\"");
		if (put_url(r, &((const MD_SPAN_A_DETAIL *)detail)->href) == 0) {
			buf_puts(o, LINK_ATTRS);
			close = "</a>";
		} else if (!o->err) {
			o->len = mark; /* unsafe link: just its text */
			o->data[mark] = 0;
		}
		break;
	}
	case MD_SPAN_IMG: {
		size_t mark = o->len;
		int64_t aid = attach_ref(&((const MD_SPAN_IMG_DETAIL *)detail)->src);
		if (aid && !markup_attach_html(o, aid, 1)) {
			r->img = 1;
			r->img_attach = 1;
			buf_reset(&r->alt);
			return o->err ? -1 : 0;
		}
		buf_puts(o, "<img src=\"");
		r->img = 1;
		buf_reset(&r->alt);
		r->img_emitted = put_url(r, &((const MD_SPAN_IMG_DETAIL *)detail)->src) == 0;
		if (!r->img_emitted && !o->err) { o->len = mark; o->data[mark] = 0; }
		return o->err ? -1 : 0; /* not pushed: finish_img ends it */
	}
	case MD_SPAN_CODE: buf_puts(o, "<code>"); close = "</code>"; break;
	case MD_SPAN_DEL: buf_puts(o, "<del>"); close = "</del>"; break;
	case MD_SPAN_U: buf_puts(o, "<u>"); close = "</u>"; break;
	default: break; /* math, wiki links: not enabled; their text is escaped */
	}
	el_push(r, EL_SPAN, (int)type, close);
	return o->err ? -1 : 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud) {
	mdr *r = ud;
	flush_text(r);
	if (r->img) {
		if (type == MD_SPAN_IMG && --r->img == 0) {
			r->img = 1;
			finish_img(r);
		}
		return r->out->err ? -1 : 0;
	}
	el_leave(r, EL_SPAN, (int)type);
	return r->out->err ? -1 : 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud) {
	mdr *r = ud;
	buf *o = r->out;
	/* md4c 0.4.8 can report text running one byte past the end of the input
	   (tests/fuzz/regression/markdown/md4c-text-past-end): clamp it. */
	if (s >= r->begin && s < r->end + MD_PAD) {
		if (s >= r->end) return 0;
		if (n > (size_t)(r->end - s)) n = (MD_SIZE)(r->end - s);
	}
	if (r->img) { /* alt text: collected decoded, escaped when the image ends */
		switch (type) {
		case MD_TEXT_NULLCHAR: put_utf8(&r->alt, 0xfffd); break;
		case MD_TEXT_BR: case MD_TEXT_SOFTBR: buf_putc(&r->alt, ' '); break;
		case MD_TEXT_ENTITY: entity_decode(&r->alt, s, n); break;
		default: buf_append(&r->alt, s, n); break;
		}
		return 0;
	}
	/* normal text outside links (their text may be the URL itself) gets smilies */
	if (type == MD_TEXT_NORMAL && !r->count[EL_SPAN][MD_SPAN_A]) {
		if (!r->pend.len) r->pend_prev = r->last;
		buf_append(&r->pend, s, n);
		return 0;
	}
	flush_text(r);
	r->last = type == MD_TEXT_BR || type == MD_TEXT_SOFTBR ? '\n' : n ? (unsigned char)s[n - 1] : r->last;
	switch (type) {
	case MD_TEXT_NULLCHAR: put_utf8(o, 0xfffd); break;
	case MD_TEXT_BR: buf_puts(o, "<br />\n"); break;
	case MD_TEXT_SOFTBR: buf_puts(o, "\n"); break;
	case MD_TEXT_ENTITY:
		buf_reset(&r->tmp);
		entity_decode(&r->tmp, s, n);
		buf_html(o, buf_cstr(&r->tmp), r->tmp.len);
		break;
	default: buf_html(o, s, n); break; /* normal, code, (raw) html, math */
	}
	return o->err ? -1 : 0;
}

int markdown_render(buf *out, const char *src, size_t n) {
	if (out->err || n > UINT32_MAX) return -1;
	mdr r = {.out = out, .smilies = SMILEY_MAX_PER_POST};
	buf_init(&r.tmp, SANITIZE_URL_MAX * 4 + 64);
	buf_init(&r.alt, 0);
	buf_init(&r.pend, 0);
	MD_PARSER p = {
		.abi_version = 0,
		.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	/* A zero-padded copy, so that md4c's occasional read past the end hits
	   our padding and not someone else's memory. */
	char *copy = xmalloc(n + MD_PAD);
	if (n) memcpy(copy, src, n);
	memset(copy + n, 0, MD_PAD);
	r.begin = copy;
	r.end = copy + n;
	size_t start = out->len;
	int rc = md_parse(copy, (MD_SIZE)n, &p, &r);
	free(copy);
	flush_text(&r);
	if (r.img) finish_img(&r);
	while (r.sp) el_pop_one(&r);
	buf_release(&r.tmp);
	buf_release(&r.alt);
	buf_release(&r.pend);
	free(r.st);
	if (rc != 0 || out->err) {
		/* md4c failed or the cap was hit: drop the partial output. */
		if (!out->err && out->data) { out->len = start; out->data[start] = 0; }
		return -1;
	}
	return 0;
}
