/*
** html_check: a strict checker for the HTML our renderers produce (BBCode,
** Markdown). Used by the fuzz targets and the unit tests. Header-only.
**
** It accepts only what a correct renderer can emit:
**   - tags from a fixed allowlist, lower case; void elements br, hr, img;
**     every other tag closed, in order (balanced, properly nested);
**   - attributes from a fixed allowlist, each written name="value"; no style
**     attribute at all (the Content-Security-Policy would block it: formatting
**     is classes), and class values of letters, digits and " -_+#";
**   - no attribute value that, after decoding and removing every byte <= 0x20,
**     starts with javascript:, data: or vbscript: (case-insensitive);
**   - text and values where '<', '>' and '"' never appear raw and '&' only
**     starts one of the five entities buf_html writes.
** html_check() returns NULL if the document passes, else a static message;
** *where gets the byte offset of the problem.
*/
#ifndef LOULAN_HTML_CHECK_H
#define LOULAN_HTML_CHECK_H
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const html_check_tags[] = {
	"a", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4",
	"h5", "h6", "hr", "img", "li", "ol", "p", "pre", "s", "span", "strong",
	"table", "tbody", "td", "th", "thead", "tr", "u", "ul",
};

static const char *const html_check_attrs[] = {
	"href", "src", "alt", "class", "target", "rel", "loading",
	"referrerpolicy", "width", "height", "colspan", "rowspan", "start", "type", "title",
};

static inline int html_check_lookup(const char *const *list, size_t count, const char *s, size_t n) {
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return (int)i;
	return -1;
}

static inline int html_check_void(const char *name) {
	return !strcmp(name, "br") || !strcmp(name, "hr") || !strcmp(name, "img");
}

/* Length of the entity at s (which starts with '&') if it is one of the five
   buf_html writes, else 0. *dec gets the character. */
static inline size_t html_check_entity(const char *s, size_t n, char *dec) {
	static const struct { const char *e; char c; } ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''},
	};
	for (size_t i = 0; i < 5; i++) {
		size_t l = strlen(ents[i].e);
		if (l <= n && memcmp(s, ents[i].e, l) == 0) { *dec = ents[i].c; return l; }
	}
	return 0;
}

/* Checks one decoded attribute value. */
static inline const char *html_check_value(const char *name, const char *v, size_t n) {
	char head[16];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof head; i++)
		if ((unsigned char)v[i] > 0x20) head[k++] = v[i];
	if ((k >= 11 && strncasecmp(head, "javascript:", 11) == 0) ||
	    (k >= 5 && strncasecmp(head, "data:", 5) == 0) ||
	    (k >= 9 && strncasecmp(head, "vbscript:", 9) == 0))
		return "dangerous URL scheme in attribute";
	if (!strcmp(name, "class"))
		for (size_t i = 0; i < n; i++)
			if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
			      (v[i] && strchr(" -_+#", v[i]))))
				return "class value outside [A-Za-z0-9 _+#-]";
	return NULL;
}

static inline const char *html_check(const char *s, size_t n, size_t *where) {
	const char *err = NULL;
	size_t cap = 64, sp = 0, i = 0;
	int *stack = malloc(cap * sizeof *stack);
	char *val = malloc(n + 1);
	if (!stack || !val) abort();
	while (i < n && !err) {
		char c = s[i];
		if (c == '&') {
			char d;
			size_t l = html_check_entity(s + i, n - i, &d);
			if (!l) { err = "raw '&' in text"; break; }
			i += l;
			continue;
		}
		if (c == '>') { err = "raw '>' in text"; break; }
		if (c == '"') { err = "raw '\"' in text"; break; }
		if (c != '<') { i++; continue; }
		/* a tag */
		int closing = 0;
		i++;
		if (i < n && s[i] == '/') { closing = 1; i++; }
		size_t ns = i;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) i++;
		int tag = html_check_lookup(html_check_tags, sizeof html_check_tags / sizeof html_check_tags[0], s + ns, i - ns);
		if (tag < 0) { err = "raw '<' or tag not in allowlist"; break; }
		const char *tname = html_check_tags[tag];
		if (closing) {
			if (i >= n || s[i] != '>') { err = "malformed closing tag"; break; }
			i++;
			if (html_check_void(tname)) { err = "closing tag for a void element"; break; }
			if (sp == 0 || stack[sp - 1] != tag) { err = "unbalanced closing tag"; break; }
			sp--;
			continue;
		}
		int self = 0;
		for (;;) {
			if (i < n && s[i] == '>') { i++; break; }
			if (i + 1 < n && s[i] == ' ' && s[i + 1] == '/' ) {
				if (i + 2 < n && s[i + 2] == '>') { self = 1; i += 3; break; }
				err = "malformed tag"; break;
			}
			if (i >= n || s[i] != ' ') { err = "malformed tag"; break; }
			i++;
			size_t as = i;
			while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-')) i++;
			if (html_check_lookup(html_check_attrs, sizeof html_check_attrs / sizeof html_check_attrs[0], s + as, i - as) < 0) {
				err = "attribute not in allowlist"; break;
			}
			char aname[32];
			size_t al = i - as < sizeof aname - 1 ? i - as : sizeof aname - 1;
			memcpy(aname, s + as, al);
			aname[al] = 0;
			if (i + 1 >= n || s[i] != '=' || s[i + 1] != '"') { err = "attribute without =\"value\""; break; }
			i += 2;
			size_t vl = 0;
			while (i < n && s[i] != '"') {
				if (s[i] == '<' || s[i] == '>') { err = "raw '<' or '>' in attribute"; break; }
				if (s[i] == '&') {
					size_t l = html_check_entity(s + i, n - i, &val[vl]);
					if (!l) { err = "raw '&' in attribute"; break; }
					vl++;
					i += l;
				} else {
					val[vl++] = s[i++];
				}
			}
			if (err) break;
			if (i >= n) { err = "unterminated attribute"; break; }
			i++;
			err = html_check_value(aname, val, vl);
			if (err) break;
		}
		if (err) break;
		if (html_check_void(tname)) continue;
		if (self) { err = "self-closing non-void element"; break; }
		if (sp == cap) {
			cap *= 2;
			int *ns2 = realloc(stack, cap * sizeof *stack);
			if (!ns2) abort();
			stack = ns2;
		}
		stack[sp++] = tag;
	}
	if (!err && sp) err = "unclosed element at end";
	if (where) *where = i;
	free(stack);
	free(val);
	return err;
}
#endif
