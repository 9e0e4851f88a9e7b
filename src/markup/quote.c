/*
** quote: a floor's rendered HTML -> the excerpt of a quote in BBCode or
** Markdown (see quote.h).
**
** The input is our own renderers' output (an allowlist of tags, attributes
** always "double-quoted", text escaped with the five entities of buf_html), so
** a small scanner reads it; anything else it meets is skipped as a tag or kept
** as text. One pass: text is written as it comes (whitespace collapsed as a
** browser would, outside <pre>); an inline element remembers where its content
** starts and is wrapped when it closes (or when the excerpt is cut), so empty
** or space-padded emphasis never becomes stray "**" and a link's URL is
** written whole. Line and block breaks are pending until text follows them.
** Knows nothing about the database, HTTP or templates.
*/
#include "markup/quote.h"
#include "util/die.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q_MAX_DEPTH 64   /* deeper elements are read as if they were spans */

enum kind { E_OTHER, E_B, E_I, E_U, E_S, E_CODE, E_A, E_H, E_PRE, E_UL, E_OL, E_LI, E_P, E_BLOCK, E_TR, E_TD };

/* pending breaks, by strength */
enum { P_NONE, P_LINE, P_ITEM, P_BLOCK, P_PARA };

typedef struct el {
	uint8_t kind;
	char tag[12];
	size_t mark;        /* out->len where the content starts */
	char *href;         /* E_A: the decoded URL; E_PRE: the language */
	int counter;        /* E_OL: the next number; E_TR: cells so far */
} el;

typedef struct qs {
	buf *out;
	int md;
	size_t base;        /* out->len at the start */
	long left;          /* characters still allowed */
	int cut;
	int pend;
	int in_pre, in_code, in_a, lists;
	size_t fence_end;   /* out->len after the last code fence written */
	el st[Q_MAX_DEPTH];
	int sp;
	buf tmp;
} qs;

/* ---- output helpers */

static int last_byte(const qs *q) { return q->out->len > q->base ? (unsigned char)q->out->data[q->out->len - 1] : '\n'; }
static int at_line_start(const qs *q) { return last_byte(q) == '\n'; }

static void truncate_to(buf *o, size_t len) {
	if (o->err || len > o->len) return;
	o->len = len;
	if (o->data) o->data[len] = 0;
}

/* Writes the pending break, if any text has been written yet. */
static void flush_pend(qs *q) {
	int p = q->pend;
	q->pend = P_NONE;
	if (p == P_NONE || q->out->len == q->base) return;
	/* trailing spaces before a break are noise (and in Markdown, two make a break) */
	while (q->out->len > q->base && q->out->data[q->out->len - 1] == ' ') truncate_to(q->out, q->out->len - 1);
	if (q->out->len == q->base) return;
	if (p == P_LINE) buf_puts(q->out, q->md ? "\\\n" : "\n");
	else if (p == P_ITEM) { if (!at_line_start(q)) buf_putc(q->out, '\n'); }
	else if (q->md || p == P_PARA) buf_puts(q->out, at_line_start(q) ? "\n" : "\n\n");
	else if (!at_line_start(q)) buf_putc(q->out, '\n');
}

static void want(qs *q, int p) {
	if (p > q->pend) q->pend = p;
}

void quote_md_text(buf *o, const char *s, size_t n) {
	int line_start = o->len == 0 || o->data[o->len - 1] == '\n';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (strchr("\\`*_[]<>~|&", c) && c) {
			buf_putc(o, '\\');
		} else if (line_start && c && strchr("#-+=", c)) {
			buf_putc(o, '\\');
		} else if (line_start && c >= '0' && c <= '9') {
			size_t j = i;
			while (j < n && s[j] >= '0' && s[j] <= '9') j++;
			if (j < n && (s[j] == '.' || s[j] == ')')) {
				buf_append(o, s + i, j - i);
				buf_putc(o, '\\');
				i = j - 1;
				line_start = 0;
				continue;
			}
		}
		buf_putc(o, (char)c);
		line_start = c == '\n';
	}
}

/* Writes decoded text (n bytes), cut to the characters left. */
static void put_text(qs *q, const char *s, size_t n) {
	buf *o = q->out;
	buf *t = &q->tmp;
	buf_reset(t);
	if (q->in_pre) {
		buf_append(t, s, n);
	} else {
		/* collapse white space as a browser does */
		int sp = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { sp = 1; continue; }
			if (sp) {
				int lead = t->len == 0 && (q->pend != P_NONE || at_line_start(q) || last_byte(q) == ' ');
				if (!lead) buf_putc(t, ' ');
				sp = 0;
			}
			buf_putc(t, (char)c);
		}
		if (sp && t->len) buf_putc(t, ' ');
		else if (sp && !t->len && q->pend == P_NONE && !at_line_start(q) && last_byte(q) != ' ') buf_putc(t, ' ');
		if (!t->len) return;
	}
	const char *x = buf_cstr(t);
	size_t len = t->len;
	/* the cut: at most q->left code points */
	size_t i = 0;
	long chars = 0;
	while (i < len && chars < q->left) {
		i++;
		while (i < len && ((unsigned char)x[i] & 0xc0) == 0x80) i++;
		chars++;
	}
	if (i < len) q->cut = 1;
	q->left -= chars;
	len = i;
	if (!len) return;
	flush_pend(q);
	if (q->md && !q->in_pre && !q->in_code) quote_md_text(o, x, len);
	else buf_append(o, x, len);
}

/* ---- entities and attributes */

static void decode(buf *o, const char *s, size_t n) {
	static const struct { const char *e; char c; } ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''},
	};
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&') {
			size_t k;
			for (k = 0; k < 5; k++) {
				size_t l = strlen(ents[k].e);
				if (i + l <= n && !memcmp(s + i, ents[k].e, l)) break;
			}
			if (k < 5) {
				buf_putc(o, ents[k].c);
				i += strlen(ents[k].e) - 1;
				continue;
			}
		}
		buf_putc(o, s[i]);
	}
}

/* The decoded value of attribute name in the tag text s[0..n) ("<a href=..."), malloc'd; NULL if absent. */
static char *attr(const char *s, size_t n, const char *name) {
	size_t l = strlen(name);
	for (size_t i = 0; i + l + 2 < n; i++) {
		if (s[i] != ' ' || memcmp(s + i + 1, name, l) || s[i + 1 + l] != '=' || s[i + 2 + l] != '"') continue;
		const char *v = s + i + 3 + l;
		const char *e = memchr(v, '"', (size_t)(s + n - v));
		if (!e) return NULL;
		buf b;
		buf_init(&b, 0);
		decode(&b, v, (size_t)(e - v));
		size_t bl;
		char *r = buf_detach(&b, &bl);
		return r ? r : xstrdup("");
	}
	return NULL;
}

static int has_class(const char *s, size_t n, const char *cls) {
	char *c = attr(s, n, "class");
	if (!c) return 0;
	size_t l = strlen(cls);
	int yes = 0;
	for (const char *p = c; (p = strstr(p, cls)) != NULL; p += l)
		if ((p == c || p[-1] == ' ') && (p[l] == 0 || p[l] == ' ')) { yes = 1; break; }
	free(c);
	return yes;
}

/* ---- wrapping inline elements */

/* Replaces out[mark..] (the content) by open + content + close, with the
   content's leading and trailing spaces moved outside; empty content leaves
   only its spaces. */
static void wrap(qs *q, size_t mark, const char *open, const char *close) {
	buf *o = q->out;
	if (o->err || mark > o->len) return;
	size_t a = mark, b = o->len;
	while (a < b && o->data[a] == ' ') a++;
	while (b > a && o->data[b - 1] == ' ' && !(q->md && b - 1 > a && o->data[b - 2] == '\\')) b--;
	if (a == b) return;
	buf t;
	buf_init(&t, 0);
	buf_append(&t, buf_cstr(o) + a, b - a);
	size_t trail = o->len - b;
	truncate_to(o, mark + (a - mark));
	buf_puts(o, open);
	buf_append(o, buf_cstr(&t), t.len);
	buf_puts(o, close);
	for (size_t i = 0; i < trail; i++) buf_putc(o, ' ');
	if (t.err) o->err = 1;
	buf_release(&t);
}

/* the longest run of c in s[0..n) */
static size_t longest_run(const char *s, size_t n, char c) {
	size_t best = 0, run = 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] == c ? run + 1 : 0;
		if (run > best) best = run;
	}
	return best;
}

static void close_link(qs *q, el *e) {
	buf *o = q->out;
	const char *href = e->href ? e->href : "";
	if (!q->md && o->len - e->mark == strlen(href) && !memcmp(buf_cstr(o) + e->mark, href, strlen(href)) &&
	    (!strncmp(href, "http://", 7) || !strncmp(href, "https://", 8)))
		return; /* a bare URL: BBCode links it by itself */
	if (q->md && (!strncmp(href, "http://", 7) || !strncmp(href, "https://", 8)) && !strpbrk(href, " <>")) {
		/* the link's text is its URL: <URL> */
		buf t;
		buf_init(&t, 0);
		quote_md_text(&t, href, strlen(href));
		int same = o->len - e->mark == t.len && !memcmp(buf_cstr(o) + e->mark, buf_cstr(&t), t.len);
		buf_release(&t);
		if (same) {
			truncate_to(o, e->mark);
			buf_putc(o, '<');
			buf_puts(o, href);
			buf_putc(o, '>');
			return;
		}
	}
	buf u;
	buf_init(&u, 0);
	for (const char *p = href; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (q->md && strchr("\\()<>", c)) { buf_putc(&u, '\\'); buf_putc(&u, (char)c); }
		else if (c == ' ') buf_puts(&u, "%20");
		else if (!q->md && c == '[') buf_puts(&u, "%5B");
		else if (!q->md && c == ']') buf_puts(&u, "%5D");
		else buf_putc(&u, (char)c);
	}
	buf t;
	buf_init(&t, 0);
	if (q->md) {
		buf_puts(&t, "](");
		buf_append(&t, buf_cstr(&u), u.len);
		buf_putc(&t, ')');
		wrap(q, e->mark, "[", buf_cstr(&t));
	} else {
		buf_puts(&t, "[url=");
		buf_append(&t, buf_cstr(&u), u.len);
		buf_putc(&t, ']');
		wrap(q, e->mark, buf_cstr(&t), "[/url]");
	}
	if (u.err || t.err) o->err = 1;
	buf_release(&u);
	buf_release(&t);
}

static void close_code_block(qs *q, el *e) {
	buf *o = q->out;
	if (o->err) return;
	/* the content without its last newline (Markdown's renderer ends code with one) */
	if (o->len > e->mark && o->data[o->len - 1] == '\n') truncate_to(o, o->len - 1);
	buf t;
	buf_init(&t, 0);
	buf_append(&t, buf_cstr(o) + e->mark, o->len - e->mark);
	truncate_to(o, e->mark);
	if (q->md) {
		size_t f = longest_run(buf_cstr(&t), t.len, '`') + 1;
		if (f < 3) f = 3;
		for (size_t i = 0; i < f; i++) buf_putc(o, '`');
		if (e->href) buf_puts(o, e->href);
		buf_putc(o, '\n');
		buf_append(o, buf_cstr(&t), t.len);
		if (t.len) buf_putc(o, '\n');
		for (size_t i = 0; i < f; i++) buf_putc(o, '`');
		q->fence_end = o->len;
	} else {
		buf_puts(o, "[code]");
		buf_append(o, buf_cstr(&t), t.len);
		buf_puts(o, "[/code]");
	}
	if (t.err) o->err = 1;
	buf_release(&t);
}

static void close_inline_code(qs *q, el *e) {
	buf *o = q->out;
	if (!q->md || o->err) return;
	size_t n = o->len - e->mark;
	if (!n) return;
	size_t f = longest_run(buf_cstr(o) + e->mark, n, '`') + 1;
	char fence[16];
	if (f > sizeof fence - 2) f = sizeof fence - 2;
	memset(fence, '`', f);
	fence[f] = 0;
	int pad = o->data[e->mark] == '`' || o->data[o->len - 1] == '`';
	buf t;
	buf_init(&t, 0);
	buf_append(&t, buf_cstr(o) + e->mark, n);
	truncate_to(o, e->mark);
	buf_puts(o, fence);
	if (pad) buf_putc(o, ' ');
	buf_append(o, buf_cstr(&t), t.len);
	if (pad) buf_putc(o, ' ');
	buf_puts(o, fence);
	buf_release(&t);
}

/* Ends element e (the top of the stack). */
static void el_close(qs *q, el *e) {
	switch (e->kind) {
	case E_B: case E_H:
		wrap(q, e->mark, q->md ? "**" : "[b]", q->md ? "**" : "[/b]");
		if (e->kind == E_H) want(q, P_BLOCK);
		break;
	case E_I: wrap(q, e->mark, q->md ? "*" : "[i]", q->md ? "*" : "[/i]"); break;
	case E_U: if (!q->md) wrap(q, e->mark, "[u]", "[/u]"); break;
	case E_S: wrap(q, e->mark, q->md ? "~~" : "[s]", q->md ? "~~" : "[/s]"); break;
	case E_CODE: q->in_code--; close_inline_code(q, e); break;
	case E_A: q->in_a--; close_link(q, e); break;
	case E_PRE: q->in_pre--; close_code_block(q, e); want(q, P_BLOCK); break;
	case E_UL: case E_OL:
		q->lists--;
		if (!q->md) {
			q->pend = P_NONE;
			while (q->out->len > q->base && q->out->data[q->out->len - 1] == ' ') truncate_to(q->out, q->out->len - 1);
			buf_puts(q->out, "[/list]");
		}
		want(q, q->lists ? P_ITEM : P_BLOCK);
		break;
	case E_P: want(q, q->lists ? P_LINE : P_PARA); break;
	case E_BLOCK: want(q, P_BLOCK); break;
	case E_TR: want(q, P_LINE); break;
	default: break;
	}
	free(e->href);
	e->href = NULL;
}

/* ---- the scanner */

static int lname(const char *s, size_t n, char *name, size_t cap) {
	size_t i = 0;
	while (i < n && i + 1 < cap && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z'))) {
		name[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		i++;
	}
	name[i] = 0;
	return (int)i;
}

static enum kind kind_of(const char *t) {
	static const struct { const char *tag; enum kind k; } map[] = {
		{"strong", E_B}, {"b", E_B}, {"em", E_I}, {"i", E_I}, {"u", E_U}, {"s", E_S}, {"del", E_S},
		{"code", E_CODE}, {"a", E_A}, {"pre", E_PRE}, {"ul", E_UL}, {"ol", E_OL}, {"li", E_LI},
		{"p", E_P}, {"div", E_BLOCK}, {"table", E_BLOCK}, {"tr", E_TR}, {"td", E_TD}, {"th", E_TD},
		{"h1", E_H}, {"h2", E_H}, {"h3", E_H}, {"h4", E_H}, {"h5", E_H}, {"h6", E_H},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i].tag, t)) return map[i].k;
	return E_OTHER;
}

/* the list item's marker, after the pending break */
static void list_item(qs *q) {
	el *list = NULL;
	int depth = 0;
	for (int i = q->sp - 1; i >= 0; i--)
		if (q->st[i].kind == E_UL || q->st[i].kind == E_OL) { if (!list) list = &q->st[i]; depth++; }
	want(q, P_ITEM);
	flush_pend(q);
	if (!q->md) { buf_puts(q->out, "[*]"); return; }
	for (int i = 1; i < depth; i++) buf_puts(q->out, "    ");
	if (list && list->kind == E_OL) buf_appendf(q->out, "%d. ", list->counter++);
	else buf_puts(q->out, "- ");
}

/* An opening tag named name; s[0..n) is the whole "<...>". */
static void open_tag(qs *q, const char *name, const char *s, size_t n) {
	if (!strcmp(name, "br")) { want(q, P_LINE); return; }
	if (!strcmp(name, "hr")) { want(q, P_BLOCK); return; }
	if (!strcmp(name, "img")) {
		char *alt = attr(s, n, "alt");
		char *src = attr(s, n, "src");
		const char *label = alt && *alt ? alt : "图片";
		if (q->in_a || !src || q->in_pre) {
			put_text(q, label, strlen(label));
		} else {
			flush_pend(q);
			el e = {.kind = E_A, .mark = q->out->len, .href = src};
			src = NULL;
			put_text(q, label, strlen(label));
			close_link(q, &e);
			free(e.href);
		}
		free(alt);
		free(src);
		return;
	}
	if (q->sp == Q_MAX_DEPTH) return;
	enum kind k = kind_of(name);
	if (q->in_pre && k != E_OTHER) k = E_OTHER;  /* <code> inside <pre> */
	if (k == E_A && q->in_a) k = E_OTHER;
	el *e = &q->st[q->sp++];
	memset(e, 0, sizeof *e);
	e->kind = (uint8_t)k;
	snprintf(e->tag, sizeof e->tag, "%s", name);
	switch (k) {
	case E_B: case E_I: case E_U: case E_S: case E_H:
		if (k == E_H) want(q, P_BLOCK);
		flush_pend(q);
		break;
	case E_CODE: flush_pend(q); q->in_code++; break;
	case E_A: flush_pend(q); q->in_a++; e->href = attr(s, n, "href"); break;
	case E_PRE: {
		want(q, P_BLOCK);
		flush_pend(q);
		q->in_pre++;
		break;
	}
	case E_UL: case E_OL:
		want(q, q->lists ? P_ITEM : P_BLOCK);
		if (!q->md) {
			flush_pend(q);
			buf_puts(q->out, k == E_OL ? "[list=1]" : "[list]");
		}
		q->lists++;
		e->counter = 1;
		if (k == E_OL) {
			char *start = attr(s, n, "start");
			if (start) { int v = atoi(start); if (v > 0 && v < 1000000) e->counter = v; free(start); }
		}
		break;
	case E_LI: list_item(q); break;
	case E_P: want(q, q->lists ? P_LINE : P_PARA); break;
	case E_BLOCK: want(q, P_BLOCK); break;
	case E_TR: want(q, P_LINE); break;
	case E_TD: {
		el *tr = q->sp >= 2 && q->st[q->sp - 2].kind == E_TR ? &q->st[q->sp - 2] : NULL;
		if (tr && tr->counter++) put_text(q, " | ", 3);
		break;
	}
	default: break;
	}
	e->mark = q->out->len;
	/* the code block's language: <pre><code class="language-x"> */
	if (!strcmp(name, "code") && q->sp >= 2 && q->st[q->sp - 2].kind == E_PRE && q->md && !q->st[q->sp - 2].href) {
		char *c = attr(s, n, "class");
		if (c && !strncmp(c, "language-", 9)) q->st[q->sp - 2].href = xstrdup(c + 9);
		free(c);
	}
}

static void close_tag(qs *q, const char *name) {
	int i = q->sp - 1;
	while (i >= 0 && strcmp(q->st[i].tag, name)) i--;
	if (i < 0) return;
	while (q->sp > i) el_close(q, &q->st[--q->sp]);
}

/* The end of the element that starts at html[i] (its "<name" read), for a
   dropped quote: after its matching close tag, counting same-name nesting. */
static size_t skip_element(const char *h, size_t n, size_t i, const char *name) {
	int depth = 0;
	size_t l = strlen(name);
	while (i < n) {
		const char *p = memchr(h + i, '<', n - i);
		if (!p) return n;
		i = (size_t)(p - h);
		int closing = i + 1 < n && h[i + 1] == '/';
		size_t ns = i + 1 + (size_t)closing;
		if (ns + l <= n && !memcmp(h + ns, name, l) && (ns + l == n || h[ns + l] == '>' || h[ns + l] == ' ')) {
			depth += closing ? -1 : 1;
			if (depth == 0) {
				const char *e = memchr(h + i, '>', n - i);
				return e ? (size_t)(e - h) + 1 : n;
			}
		}
		i++;
	}
	return n;
}

int quote_excerpt(buf *out, const char *html, size_t n, enum quote_format fmt, long max_chars) {
	if (out->err) return -1;
	qs q = {.out = out, .md = fmt == QUOTE_MARKDOWN, .base = out->len, .left = max_chars};
	buf_init(&q.tmp, 0);
	buf txt;
	buf_init(&txt, 0);
	size_t i = 0;
	while (i < n && !q.cut && !out->err) {
		if (html[i] != '<') {
			const char *p = memchr(html + i, '<', n - i);
			size_t e = p ? (size_t)(p - html) : n;
			buf_reset(&txt);
			decode(&txt, html + i, e - i);
			put_text(&q, buf_cstr(&txt), txt.len);
			i = e;
			continue;
		}
		const char *gt = memchr(html + i, '>', n - i);
		if (!gt) break;
		size_t end = (size_t)(gt - html) + 1;
		int closing = i + 1 < n && html[i + 1] == '/';
		char name[12];
		if (!lname(html + i + 1 + closing, end - i - 1 - (size_t)closing, name, sizeof name)) { i = end; continue; }
		if (closing) {
			close_tag(&q, name);
		} else if (!q.in_pre && (!strcmp(name, "blockquote") ||
		                         (!strcmp(name, "div") && (has_class(html + i, end - i, "quote") ||
		                                                   has_class(html + i, end - i, "locked") ||
		                                                   has_class(html + i, end - i, "pstatus"))))) {
			/* a quote inside the floor is not quoted again; nor a [hide] notice or an edit stamp (issue 18) */
			i = skip_element(html, n, i, name);
			want(&q, P_BLOCK);
			continue;
		} else {
			open_tag(&q, name, html + i, end - i);
		}
		i = end;
	}
	int cut = q.cut;
	q.pend = P_NONE;
	while (q.sp) el_close(&q, &q.st[--q.sp]);
	/* no trailing white space or dangling hard break */
	for (;;) {
		size_t l = out->len;
		if (l > q.base && (out->data[l - 1] == ' ' || out->data[l - 1] == '\n')) truncate_to(out, l - 1);
		else if (q.md && l > q.base + 1 && out->data[l - 1] == '\\' && out->data[l - 2] != '\\') truncate_to(out, l - 1);
		else break;
	}
	/* after a closing fence, on a line of its own (a fence line takes no text) */
	if (cut) buf_puts(out, at_line_start(&q) ? "..." : q.md && q.fence_end == out->len ? "\n..." : " ...");
	buf_release(&q.tmp);
	buf_release(&txt);
	return out->err ? -1 : 0;
}
