/* query: the search language, the engines' query strings, tsvector text, post text and excerpts (see search.h). */
#include "search/search.h"
#include "util/buf.h"
#include "util/die.h"
#include "util/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- parsing ---------------------------------------------------------------- */

struct collect { struct search_term *t; unsigned lone; /* bit i: token i is a lone CJK character */ };

static int collect_tok(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	struct collect *c = ctx;
	(void)start;
	(void)end;
	if (c->t->ntok == SEARCH_TERM_TOKENS) return 1;
	char *s = xmalloc((size_t)n + 1);
	memcpy(s, tok, (size_t)n);
	s[n] = 0;
	if (cjk == 1) c->lone |= 1u << c->t->ntok;
	c->t->tok[c->t->ntok++] = s;
	return 0;
}

/* Lone CJK characters (a run of one between other text) are not indexed on their own where they
   touch other characters, so a term keeps them only when it has nothing else; 1 if that is all it has. */
static int drop_lone(struct search_term *t, unsigned lone) {
	int k = 0;
	if (lone == (1u << t->ntok) - 1) return t->ntok > 0;
	int gap = 0;
	for (int i = 0; i < t->ntok; i++) {
		if (lone & (1u << i)) {
			free(t->tok[i]);
			gap |= k > 0;
		} else {
			if (gap) t->loose = 1;   /* a gap breaks the phrase: each remaining token must occur */
			t->tok[k++] = t->tok[i];
		}
	}
	t->ntok = k;
	return 0;
}

static int is_space(const char *s, int *len) {
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') { *len = 1; return 1; }
	if (!strncmp(s, "\xe3\x80\x80", 3)) { *len = 3; return 1; }   /* U+3000 ideographic space */
	return 0;
}

/* an opening quote: " or “; *close gets the closing one */
static int open_quote(const char *s, int *len, const char **close) {
	if (*s == '"') { *len = 1; *close = "\""; return 1; }
	if (!strncmp(s, "\xe2\x80\x9c", 3)) { *len = 3; *close = "\xe2\x80\x9d"; return 1; }   /* “ ” */
	return 0;
}

void search_query_free(struct search_query *q) {
	for (int i = 0; i < q->n; i++)
		for (int j = 0; j < q->t[i].ntok; j++) free(q->t[i].tok[j]);
	q->n = q->npos = 0;
}

int search_query_parse(const char *q, struct search_query *out, char *err, size_t errlen) {
	memset(out, 0, sizeof *out);
	size_t qn = q ? strlen(q) : 0;
	if (qn > SEARCH_QUERY_MAX) {
		snprintf(err, errlen, "搜索内容太长：最多 %d 字节（现在 %zu 字节）。", SEARCH_QUERY_MAX, qn);
		return -1;
	}
	if (q && !utf8_valid(q, qn)) {
		snprintf(err, errlen, "搜索内容不是有效的 UTF-8 文本。");
		return -1;
	}
	int lone_only = 0, negs = 0, pending_or = 0, group = 0;
	const char *s = q ? q : "";
	while (*s) {
		int len;
		if (is_space(s, &len)) { s += len; continue; }
		int neg = 0;
		if (*s == '-' && s[1] && !is_space(s + 1, &len)) { neg = 1; s++; }
		const char *from = s, *close = NULL;
		size_t n;
		int quoted = open_quote(s, &len, &close);
		if (quoted) {
			from = s + len;
			const char *end = strstr(from, close);
			n = end ? (size_t)(end - from) : strlen(from);
			s = end ? end + strlen(close) : from + n;
		} else {
			while (*s && !is_space(s, &len)) s++;
			n = (size_t)(s - from);
		}
		if (!quoted && !neg && ((n == 2 && !strncmp(from, "OR", 2)) || (n == 1 && *from == '|'))) {
			pending_or = 1;
			continue;
		}
		if (out->n == SEARCH_TERMS_MAX) {
			search_query_free(out);
			snprintf(err, errlen, "搜索词太多：最多 %d 个。", SEARCH_TERMS_MAX);
			return -1;
		}
		struct search_term *t = &out->t[out->n];
		memset(t, 0, sizeof *t);
		struct collect c = {t, 0};
		search_tokenize(from, n, collect_tok, &c);
		if (drop_lone(t, c.lone)) {
			/* only single CJK characters: bigrams cannot find them (see docs/DESIGN-NOTES.md) */
			for (int i = 0; i < t->ntok; i++) free(t->tok[i]);
			t->ntok = 0;
			lone_only++;
		}
		if (!t->ntok) { pending_or = 0; continue; }
		t->neg = neg;
		if (neg) {
			negs++;
		} else {
			if (!(pending_or && out->npos)) group++;
			t->group = group;
			out->npos++;
		}
		pending_or = 0;
		out->n++;
	}
	if (!out->npos) {
		search_query_free(out);
		if (lone_only) snprintf(err, errlen, "单个汉字无法搜索：请输入至少两个连续的汉字（如“济宁”），或一个英文单词、数字。");
		else if (negs) snprintf(err, errlen, "请至少输入一个要查找的词（不能只有排除词）。");
		else snprintf(err, errlen, "请输入要搜索的内容。");
		return -1;
	}
	return 0;
}

/* ---- engine strings ------------------------------------------------------------ */

/* Tokens hold only letters, digits and CJK characters, so they need no quoting in either
   language; quote characters are escaped anyway in case a tokenizer change lets one through. */
static void fts5_term(buf *b, const struct search_term *t) {
	buf_puts(b, t->loose ? "(\"" : "\"");
	for (int i = 0; i < t->ntok; i++) {
		if (i) buf_puts(b, t->loose ? "\" AND \"" : " ");
		for (const char *c = t->tok[i]; *c; c++) {
			if (*c == '"') buf_putc(b, '"');
			buf_putc(b, *c);
		}
	}
	buf_puts(b, t->loose ? "\")" : "\"");
}

static void ts_term(buf *b, const struct search_term *t, int titles) {
	buf_putc(b, '(');
	for (int i = 0; i < t->ntok; i++) {
		if (i) buf_puts(b, t->loose ? " & " : " <-> ");
		buf_putc(b, '\'');
		for (const char *c = t->tok[i]; *c; c++) {
			if (*c == '\'' || *c == '\\') buf_putc(b, *c == '\'' ? '\'' : '\\');
			buf_putc(b, *c);
		}
		buf_puts(b, titles ? "':A" : "'");
	}
	buf_putc(b, ')');
}

/* positive groups AND-ed (terms of a group OR-ed), then the exclusions */
static char *build(const struct search_query *q, int pg) {
	buf b;
	buf_init(&b, 0);
	if (!pg && q->titles) buf_puts(&b, "{title} : (");
	int first = 1;
	for (int g = 1; g <= q->n; g++) {
		int in = 0;
		for (int i = 0; i < q->n; i++) {
			const struct search_term *t = &q->t[i];
			if (t->neg || t->group != g) continue;
			if (!in) {
				if (!first) buf_puts(&b, pg ? " & " : " AND ");
				buf_putc(&b, '(');
				first = 0;
			} else {
				buf_puts(&b, pg ? " | " : " OR ");
			}
			in = 1;
			if (pg) ts_term(&b, t, q->titles);
			else fts5_term(&b, t);
		}
		if (in) buf_putc(&b, ')');
	}
	for (int i = 0; i < q->n; i++) {
		if (!q->t[i].neg) continue;
		buf_puts(&b, pg ? " & !" : " NOT ");
		if (pg) ts_term(&b, &q->t[i], q->titles);
		else fts5_term(&b, &q->t[i]);
	}
	if (!pg && q->titles) buf_putc(&b, ')');
	buf_putc(&b, 0);
	return buf_detach(&b, NULL);
}

int search_query_fts5(const struct search_query *q, char **out) {
	*out = build(q, 0);
	return *out ? 0 : -1;
}

int search_query_tsquery(const struct search_query *q, char **out) {
	*out = build(q, 1);
	return *out ? 0 : -1;
}

/* ---- tsvector text --------------------------------------------------------------- */

/* PostgreSQL's tsvector input sorts the lexemes and merges repeated ones (tsvectorin, uniqueentry).
   Given them sorted and merged, its sort finds them in order at once (pg_qsort checks for that) and
   it parses each lexeme once. So the tokens are gathered, sorted here (byte order, a prefix first:
   PostgreSQL's tsCompareString) and written once each with their positions, at most TSV_MAXNUMPOS
   as PostgreSQL keeps, the highest weight where a position repeats (uniquePos). The stored tsvector
   is the same; a post that repeats a word very often now stays under tsvector's 1 MB bound for its
   input text, which PostgreSQL checks before merging. */
#define TSV_MAXNUMPOS 256   /* PostgreSQL's MAXNUMPOS: positions kept per lexeme */
struct tsv_ent { unsigned off, n; int pos; char a; };
struct tsv { buf tok; struct tsv_ent *e; size_t n, cap; int pos; char a; };

static int tsv_tok(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	struct tsv *v = ctx;
	(void)start;
	(void)end;
	(void)cjk;
	if (v->pos < SEARCH_PG_POS_MAX) v->pos++;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->e = realloc(v->e, v->cap * sizeof *v->e);
		if (!v->e) die_oom();
	}
	v->e[v->n++] = (struct tsv_ent){(unsigned)v->tok.len, (unsigned)n, v->pos, v->a};
	buf_append(&v->tok, tok, (size_t)n);
	return 0;
}

/* qsort_r: base is the token bytes */
static int tsv_cmp(const void *x, const void *y, void *base) {
	const struct tsv_ent *a = x, *b = y;
	const char *t = base;
	int c = memcmp(t + a->off, t + b->off, a->n < b->n ? a->n : b->n);
	if (c) return c;
	if (a->n != b->n) return a->n < b->n ? -1 : 1;
	if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
	return b->a - a->a;   /* weight A first: the one kept where a position repeats */
}

static char *put_uint(char *p, unsigned u) {
	char tmp[12];
	int k = 0;
	do tmp[k++] = (char)('0' + u % 10); while (u /= 10);
	while (k) *p++ = tmp[--k];
	return p;
}

/* the tokens of title and body, sorted as PostgreSQL keeps a tsvector's lexemes, written into b as
   tsvector text ("'word':1A,5 ...") or in tsvectorrecv's binary form (an int32 count of lexemes, then
   each: its bytes and a NUL, an uint16 count of positions, each position an uint16 with the weight in
   its top two bits, A = 3) */
static void tsv_build(const char *title, const char *body, int binary, buf *b) {
	struct tsv v = {.a = 1};
	buf_init(&v.tok, 0);
	if (title) search_tokenize(title, strlen(title), tsv_tok, &v);
	v.pos += 8;   /* a title's last word and the body's first are not a phrase */
	if (v.pos > SEARCH_PG_POS_MAX) v.pos = SEARCH_PG_POS_MAX;
	v.a = 0;
	if (body) search_tokenize(body, strlen(body), tsv_tok, &v);
	const char *t = buf_cstr(&v.tok);
	if (v.n > 1) qsort_r(v.e, v.n, sizeof *v.e, tsv_cmp, (void *)t);
	size_t count_at = b->len;
	uint32_t lexemes = 0;
	if (binary) buf_append(b, "\0\0\0\0", 4);   /* the count, filled in at the end */
	for (size_t i = 0; i < v.n;) {
		const struct tsv_ent *w = &v.e[i];
		uint16_t pos[TSV_MAXNUMPOS];
		int npos = 0;
		size_t j = i;
		for (; j < v.n && v.e[j].n == w->n && !memcmp(t + v.e[j].off, t + w->off, w->n); j++) {
			const struct tsv_ent *x = &v.e[j];
			if ((npos && (pos[npos - 1] & 0x3fff) == x->pos) || npos == TSV_MAXNUMPOS) continue;   /* once; PostgreSQL's bound */
			pos[npos++] = (uint16_t)(x->pos | (x->a ? 3 << 14 : 0));
		}
		i = j;
		lexemes++;
		if (binary) {
			buf_append(b, t + w->off, w->n);
			char hdr[3] = {0, (char)(npos >> 8), (char)npos};
			buf_append(b, hdr, 3);
			for (int k = 0; k < npos; k++) {
				char be[2] = {(char)(pos[k] >> 8), (char)pos[k]};
				buf_append(b, be, 2);
			}
			continue;
		}
		if (lexemes > 1) buf_putc(b, ' ');
		buf_putc(b, '\'');
		for (unsigned k = 0; k < w->n; k++) {
			char c = t[w->off + k];
			if (c == '\'' || c == '\\') buf_putc(b, c == '\'' ? '\'' : '\\');
			buf_putc(b, c);
		}
		buf_putc(b, '\'');
		for (int k = 0; k < npos; k++) {
			char num[16], *p = num;
			*p++ = k ? ',' : ':';
			p = put_uint(p, pos[k] & 0x3fffu);
			if (pos[k] >> 14) *p++ = 'A';
			buf_append(b, num, (size_t)(p - num));
		}
	}
	if (binary && !b->err)
		for (int k = 0; k < 4; k++) b->data[count_at + (size_t)k] = (char)(lexemes >> (8 * (3 - k)));
	free(v.e);
	buf_release(&v.tok);
}

char *search_tsvector(const char *title, const char *body) {
	buf b;
	buf_init(&b, 0);
	tsv_build(title, body, 0, &b);
	buf_putc(&b, 0);
	return buf_detach(&b, NULL);
}

char *search_tsvector_bin(const char *title, const char *body, size_t *len) {
	buf b;
	buf_init(&b, 0);
	tsv_build(title, body, 1, &b);
	return buf_detach(&b, len);
}

/* ---- post text ------------------------------------------------------------------- */

static int inline_tag(const char *name, size_t n) {
	static const char *const tags[] = {"a", "b", "i", "u", "s", "em", "strong", "span", "font", "strike", "sub", "sup",
	                                   "code", "del", "ins", "small", "big", "mark", "abbr", "kbd", NULL};
	for (int i = 0; tags[i]; i++)
		if (strlen(tags[i]) == n && !strncasecmp(tags[i], name, n)) return 1;
	return 0;
}

static void put_cp(buf *b, unsigned long c) {
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return;
	if (c < 0x80) buf_putc(b, (char)c);
	else if (c < 0x800) { buf_putc(b, (char)(0xc0 | (c >> 6))); buf_putc(b, (char)(0x80 | (c & 0x3f))); }
	else if (c < 0x10000) {
		buf_putc(b, (char)(0xe0 | (c >> 12)));
		buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | (c >> 18)));
		buf_putc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
		buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (c & 0x3f)));
	}
}

char *search_html_text(const char *html) {
	buf b;
	buf_init(&b, 0);
	const char *s = html ? html : "";
	while (*s) {
		if (*s == '<') {
			const char *end = strchr(s, '>');
			if (!end) break;
			const char *nm = s + 1;
			if (*nm == '/') nm++;
			size_t n = 0;
			while (nm[n] && ((nm[n] >= 'a' && nm[n] <= 'z') || (nm[n] >= 'A' && nm[n] <= 'Z') || (nm[n] >= '0' && nm[n] <= '9'))) n++;
			if (!inline_tag(nm, n) && b.len && b.data[b.len - 1] != '\n') buf_putc(&b, '\n');
			s = end + 1;
		} else if (*s == '&') {
			const char *end = strchr(s, ';');
			size_t n = end ? (size_t)(end - s) : 0;
			unsigned long c = 0;
			if (n >= 3 && s[1] == '#') {
				char *stop;
				c = s[2] == 'x' || s[2] == 'X' ? strtoul(s + 3, &stop, 16) : strtoul(s + 2, &stop, 10);
				if (stop != end) c = 0;
			} else if (n == 3 && !strncmp(s, "&lt", 3)) c = '<';
			else if (n == 3 && !strncmp(s, "&gt", 3)) c = '>';
			else if (n == 4 && !strncmp(s, "&amp", 4)) c = '&';
			else if (n == 5 && !strncmp(s, "&quot", 5)) c = '"';
			else if (n == 5 && !strncmp(s, "&apos", 5)) c = '\'';
			else if (n == 5 && !strncmp(s, "&nbsp", 5)) c = ' ';
			if (c) {
				put_cp(&b, c);
				s = end + 1;
			} else {
				buf_putc(&b, *s++);
			}
		} else {
			buf_putc(&b, *s++);
		}
	}
	/* trim the trailing line breaks */
	while (b.len && b.data[b.len - 1] == '\n') b.len--;
	buf_putc(&b, 0);
	return buf_detach(&b, NULL);
}

/* ---- excerpts -------------------------------------------------------------------- */

#define EXCERPT_HITS 64          /* marked places considered */
#define EXCERPT_BEFORE 20        /* characters shown before the first hit */

struct hits { const struct search_query *q; int start[EXCERPT_HITS], end[EXCERPT_HITS], n; };

static int hit_tok(void *ctx, const char *tok, int n, int start, int end, int cjk) {
	struct hits *h = ctx;
	(void)cjk;
	for (int i = 0; i < h->q->n; i++) {
		const struct search_term *t = &h->q->t[i];
		if (t->neg) continue;
		for (int j = 0; j < t->ntok; j++)
			if ((int)strlen(t->tok[j]) == n && !memcmp(t->tok[j], tok, (size_t)n)) {
				if (h->n && start <= h->end[h->n - 1]) {   /* overlapping bigrams: one place */
					if (end > h->end[h->n - 1]) h->end[h->n - 1] = end;
				} else {
					h->start[h->n] = start;
					h->end[h->n] = end;
					h->n++;
				}
				return h->n == EXCERPT_HITS;
			}
	}
	return 0;
}

/* bytes of the character that starts at s (1 for a stray byte) */
static int cp_len(const unsigned char *s) {
	int n = *s < 0x80 ? 1 : *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : *s >= 0xc0 ? 2 : 1;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80) return 1;
	return n;
}

static void add_seg(struct search_excerpt *x, int off, int len, int hit) {
	if (len <= 0 || x->n == SEARCH_EXCERPT_SEGS) return;
	x->seg[x->n].off = off;
	x->seg[x->n].len = len;
	x->seg[x->n].hit = hit;
	x->n++;
}

void search_excerpt(const char *text, const struct search_query *q, struct search_excerpt *x) {
	memset(x, 0, sizeof *x);
	int len = (int)strnlen(text, SEARCH_TEXT_MAX);
	struct hits h;
	h.q = q;
	h.n = 0;
	search_tokenize(text, (size_t)len, hit_tok, &h);
	/* start EXCERPT_BEFORE characters before the first hit (at a line start if there is one) */
	int from = 0;
	if (h.n) {
		int back[EXCERPT_BEFORE + 1], nb = 0;
		for (int i = 0; i < h.start[0];) {
			if (nb == EXCERPT_BEFORE + 1) memmove(back, back + 1, sizeof back[0] * EXCERPT_BEFORE), nb--;
			back[nb++] = i;
			i += cp_len((const unsigned char *)text + i);
		}
		from = nb == EXCERPT_BEFORE + 1 ? back[1] : 0;
		for (int i = from; i < h.start[0]; i++)
			if (text[i] == '\n') from = i + 1;
	}
	while (from < len && (text[from] == ' ' || text[from] == '\n')) from++;
	int to = from, chars = 0;
	while (to < len && chars < SEARCH_EXCERPT_CHARS) {
		to += cp_len((const unsigned char *)text + to);
		chars++;
	}
	if (to > len) to = len;
	x->lead = from > 0;
	x->trail = to < len;
	int at = from;
	for (int i = 0; i < h.n && at < to; i++) {
		int s = h.start[i] < at ? at : h.start[i], e = h.end[i] > to ? to : h.end[i];
		if (e <= s) continue;
		add_seg(x, at, s - at, 0);
		add_seg(x, s, e - s, 1);
		at = e;
	}
	add_seg(x, at, to - at, 0);
}
