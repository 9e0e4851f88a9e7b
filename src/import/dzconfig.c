/*
** dzconfig: the scanner of Discuz!'s config files (see dzconfig.h). It walks
** the text once; at "$_config" it reads a chain of [key] subscripts, "=",
** and a literal; at "define(" a quoted name, ",", and a literal. Anything it
** does not understand is skipped to the next ';' or line.
*/
#include "import/dzconfig.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sc { const char *p, *end; };

static void skip_ws(struct sc *s) {
	while (s->p < s->end) {
		char c = *s->p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') s->p++;
		else if (c == '#' || (c == '/' && s->p + 1 < s->end && s->p[1] == '/')) {
			while (s->p < s->end && *s->p != '\n') s->p++;
		} else if (c == '/' && s->p + 1 < s->end && s->p[1] == '*') {
			const char *q = s->p + 2;
			while (q + 1 < s->end && !(q[0] == '*' && q[1] == '/')) q++;
			s->p = q + 1 < s->end ? q + 2 : s->end;
		} else break;
	}
}

/* a quoted string into out (cut at cap - 1); 0 ok */
static int quoted(struct sc *s, char *out, size_t cap) {
	if (s->p >= s->end || (*s->p != '\'' && *s->p != '"')) return -1;
	char q = *s->p++;
	size_t n = 0;
	while (s->p < s->end && *s->p != q) {
		char c = *s->p++;
		if (c == '\\' && s->p < s->end && (*s->p == q || *s->p == '\\')) c = *s->p++;
		if (n + 1 < cap) out[n++] = c;
	}
	if (s->p >= s->end) return -1;
	s->p++;
	out[n] = 0;
	return 0;
}

/* a literal value: string, integer (with sign), true/false/null */
static int literal(struct sc *s, char *out, size_t cap) {
	skip_ws(s);
	if (s->p < s->end && (*s->p == '\'' || *s->p == '"')) return quoted(s, out, cap);
	size_t n = 0;
	while (s->p < s->end && n + 1 < cap && (strchr("-+.", *s->p) || (*s->p >= '0' && *s->p <= '9') ||
	                                          (*s->p >= 'a' && *s->p <= 'z') || (*s->p >= 'A' && *s->p <= 'Z')))
		out[n++] = *s->p++;
	out[n] = 0;
	if (!n) return -1;
	if (!strcasecmp(out, "true")) snprintf(out, cap, "1");
	else if (!strcasecmp(out, "false") || !strcasecmp(out, "null")) out[0] = 0;
	return 0;
}

static int put(struct dzconf *c, const char *key, const char *val) {
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].key, key)) {
			snprintf(c->e[i].val, sizeof c->e[i].val, "%s", val);
			return 0;
		}
	if (c->n >= DZCONF_ENTRIES_MAX) return 0;   /* the ones an importer needs come first */
	struct dzconf_entry *e = realloc(c->e, sizeof *e * (size_t)(c->n + 1));
	if (!e) return -1;
	c->e = e;
	snprintf(e[c->n].key, sizeof e[c->n].key, "%s", key);
	snprintf(e[c->n].val, sizeof e[c->n].val, "%s", val);
	c->n++;
	return 0;
}

static void skip_statement(struct sc *s) {
	while (s->p < s->end && *s->p != ';' && *s->p != '\n') s->p++;
}

static int config_assign(struct dzconf *c, struct sc *s) {
	char key[DZCONF_KEY_MAX] = "", part[DZCONF_KEY_MAX], val[DZCONF_VALUE_MAX];
	size_t kl = 0;
	for (;;) {
		skip_ws(s);
		if (s->p >= s->end || *s->p != '[') break;
		s->p++;
		skip_ws(s);
		if (literal(s, part, sizeof part)) return 0;
		skip_ws(s);
		if (s->p >= s->end || *s->p != ']') return 0;
		s->p++;
		size_t pl = strlen(part);
		if (kl + pl + 2 > sizeof key) return 0;
		if (kl) key[kl++] = '.';
		memcpy(key + kl, part, pl + 1);
		kl += pl;
	}
	if (!kl || s->p >= s->end || *s->p != '=' || (s->p + 1 < s->end && s->p[1] == '=')) return 0;
	s->p++;
	if (literal(s, val, sizeof val)) return 0;
	skip_ws(s);
	if (s->p < s->end && *s->p != ';') return 0;   /* an expression: not a plain value */
	return put(c, key, val);
}

static int define_call(struct dzconf *c, struct sc *s) {
	char name[DZCONF_KEY_MAX], val[DZCONF_VALUE_MAX];
	skip_ws(s);
	if (s->p >= s->end || *s->p != '(') return 0;
	s->p++;
	skip_ws(s);
	if (quoted(s, name, sizeof name)) return 0;
	skip_ws(s);
	if (s->p >= s->end || *s->p != ',') return 0;
	s->p++;
	if (literal(s, val, sizeof val)) return 0;
	skip_ws(s);
	if (s->p >= s->end || *s->p != ')') return 0;
	return put(c, name, val);
}

int dzconf_parse(struct dzconf *c, const char *text, size_t n) {
	if (n > DZCONF_FILE_MAX) return -1;
	struct sc s = {text, text + n};
	while (s.p < s.end) {
		skip_ws(&s);
		if (s.p >= s.end) break;
		if (*s.p == '\'' || *s.p == '"') {   /* a string elsewhere: step over it whole */
			char tmp[8];
			if (quoted(&s, tmp, sizeof tmp)) break;
			continue;
		}
		if ((size_t)(s.end - s.p) >= 8 && !memcmp(s.p, "$_config", 8)) {
			s.p += 8;
			if (config_assign(c, &s)) return -1;
			skip_statement(&s);
		} else if ((size_t)(s.end - s.p) >= 6 && !strncasecmp(s.p, "define", 6) &&
		           (s.p == text || !(s.p[-1] == '_' || ((s.p[-1] | 32) >= 'a' && (s.p[-1] | 32) <= 'z')))) {
			s.p += 6;
			if (define_call(c, &s)) return -1;
			skip_statement(&s);
		} else {
			s.p++;
		}
	}
	return 0;
}

const char *dzconf_get(const struct dzconf *c, const char *key) {
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].key, key)) return c->e[i].val;
	return NULL;
}

void dzconf_free(struct dzconf *c) {
	free(c->e);
	c->e = NULL;
	c->n = 0;
}
