/*
** tpl: compile and render loulan's templates. See tpl.h for the syntax.
** Knows nothing of the database or HTTP.
*/
#include "render/tpl.h"
#include "util/die.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ------------------------------------------------------------ */

static tv *tv_alloc(arena *a, enum tv_type t) {
	tv *v = arena_zalloc(a, sizeof *v);
	v->t = t;
	return v;
}
tv *tv_map(arena *a) {
	tv *m = tv_alloc(a, TV_MAP);
	m->a = a;
	return m;
}
tv *tv_list(arena *a) { return tv_alloc(a, TV_LIST); }
tv *tv_new_str(arena *a, const char *s) {
	tv *v = tv_alloc(a, TV_STR);
	v->s = s ? s : "";
	v->n = strlen(v->s);
	return v;
}
tv *tv_new_int(arena *a, int64_t i) {
	tv *v = tv_alloc(a, TV_INT);
	v->i = i;
	return v;
}
static void tv_append(arena *a, tv *c, const char *key, tv *v) {
	tv_node *n = arena_alloc(a, sizeof *n);
	n->key = key;
	n->klen = key ? strlen(key) : 0;
	n->v = v;
	if (c->t == TV_MAP) {
		/* newest first: a lookup stops at its first match, the last definition */
		n->next = c->head;
		c->head = n;
		if (!c->tail) c->tail = n;
	} else {
		n->next = NULL;
		if (c->tail) c->tail->next = n;
		else c->head = n;
		c->tail = n;
	}
	c->count++;
}
void tv_set(arena *a, tv *m, const char *key, tv *v) { tv_append(a, m, key, v); }
void tv_str(arena *a, tv *m, const char *key, const char *s) { tv_append(a, m, key, tv_new_str(a, s)); }
void tv_strn(arena *a, tv *m, const char *key, const char *s, size_t n) {
	tv *v = tv_alloc(a, TV_STR);
	v->s = s;
	v->n = n;
	tv_append(a, m, key, v);
}
void tv_html(arena *a, tv *m, const char *key, const char *html) {
	tv *v = tv_new_str(a, html);
	v->t = TV_HTML;
	tv_append(a, m, key, v);
}
void tv_int(arena *a, tv *m, const char *key, int64_t i) { tv_append(a, m, key, tv_new_int(a, i)); }
void tv_bool(arena *a, tv *m, const char *key, int b) {
	tv *v = tv_alloc(a, TV_BOOL);
	v->i = b != 0;
	tv_append(a, m, key, v);
}
void tv_hole(arena *a, tv *m, const char *key, int id) {
	tv *v = tv_alloc(a, TV_HOLE);
	v->i = id < 0 || id >= TPL_MAX_HOLE_ID ? 0 : id;
	tv_append(a, m, key, v);
}
tv *tv_add_map(arena *a, tv *m, const char *key) {
	tv *v = tv_map(a);
	tv_append(a, m, key, v);
	return v;
}
tv *tv_add_list(arena *a, tv *m, const char *key) {
	tv *v = tv_list(a);
	tv_append(a, m, key, v);
	return v;
}
tv *tv_push_map(arena *a, tv *list) {
	tv *v = tv_map(a);
	tv_append(a, list, NULL, v);
	return v;
}
void tv_push(arena *a, tv *list, tv *v) { tv_append(a, list, NULL, v); }

static unsigned key_hash(const char *k, size_t n) {   /* keys are short words: a few of their bytes */
	return n ? (unsigned)n * 0x9e3779b1u ^ (unsigned char)k[0] * 0x85ebca6bu ^ (unsigned char)k[n - 1] * 0xc2b2ae35u ^
	               (unsigned char)k[n / 2] * 0x27d4eb2fu
	         : 0;
}

/* the index of map m: from the oldest key to the newest, so a key defined again takes the slot */
static void ix_build(tv *m) {
	unsigned cap = 64;
	while (cap < (unsigned)m->count * 2) cap *= 2;
	struct tv_index *ix = arena_alloc(m->a, sizeof *ix);
	ix->mask = cap - 1;
	ix->count = m->count;
	ix->slot = arena_zalloc(m->a, sizeof *ix->slot * cap);
	const tv_node **all = arena_alloc(m->a, sizeof *all * (size_t)m->count);
	int k = 0;
	for (const tv_node *x = m->head; x && k < m->count; x = x->next) all[k++] = x;
	while (k--) {
		const tv_node *n = all[k];
		for (unsigned i = key_hash(n->key, n->klen) & ix->mask;; i = (i + 1) & ix->mask) {
			const tv_node *x = ix->slot[i];
			if (!x || (x->klen == n->klen && !memcmp(x->key, n->key, n->klen))) {
				ix->slot[i] = n;
				break;
			}
		}
	}
	m->ix = ix;
}

/* Last definition wins, so a key can be overridden by setting it again. */
static tv *tv_getn(tv *m, const char *key, size_t n) {
	if (!m || m->t != TV_MAP) return NULL;
	if (m->count >= TV_INDEX_MIN && m->a && (m->ix ? m->ix->count != m->count : ++m->looks >= TV_INDEX_LOOKS)) ix_build(m);
	if (m->ix) {
		for (unsigned i = key_hash(key, n) & m->ix->mask;; i = (i + 1) & m->ix->mask) {
			const tv_node *x = m->ix->slot[i];
			if (!x) return NULL;
			if (x->klen == n && !memcmp(x->key, key, n)) return x->v;
		}
	}
	for (tv_node *x = m->head; x; x = x->next)   /* newest first; the first byte before a memcmp call */
		if (x->klen == n && (!n || x->key[0] == key[0]) && !memcmp(x->key, key, n)) return x->v;
	return NULL;
}
tv *tv_get(tv *m, const char *key) { return tv_getn(m, key, strlen(key)); }

static int tv_truthy(const tv *v) {
	if (!v) return 0;
	switch (v->t) {
	case TV_NULL: return 0;
	case TV_STR: case TV_HTML: return v->n > 0;
	case TV_INT: case TV_BOOL: return v->i != 0;
	case TV_LIST: return v->count > 0;
	case TV_MAP: case TV_HOLE: return 1;
	}
	return 0;
}

/* ---- compiled form ----------------------------------------------------- */

enum op { OP_TEXT, OP_VAR, OP_VAR_URL, OP_IF, OP_UNLESS, OP_EACH, OP_WITH, OP_ELSE, OP_END, OP_INCLUDE };

struct node {
	enum op op;
	const char *s;   /* text or name (points into t->src) */
	size_t n;
	int alt;         /* IF/UNLESS/EACH: index of ELSE or END; ELSE: index of END */
	int end;         /* block: index of END */
	int inc;         /* INCLUDE: the template's place in the registry once linked (registry_link), else -1 */
	size_t first;    /* a name's length up to its first '.' (n without one) */
};

static size_t name_first(const char *s, size_t n) {
	const char *dot = s && n ? memchr(s, '.', n) : NULL;
	return dot ? (size_t)(dot - s) : n;
}

struct tpl {
	char *name;
	char *src;
	struct node *nodes;
	int nnodes;
};

static int is_name_char(char c) {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '@' || c == '-';
}

static int tpl_line(const char *src, const char *p) {
	int line = 1;
	for (const char *q = src; q < p; q++) line += *q == '\n';
	return line;
}

static const char *skip_ws(const char *p, const char *e) {
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
	return p;
}

tpl *tpl_compile(const char *name, const char *src, size_t n, char *err, size_t errlen) {
	if (n > TPL_MAX_SIZE) {
		snprintf(err, errlen, "%s: template larger than %u bytes", name, TPL_MAX_SIZE);
		return NULL;
	}
	tpl *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->src = xmalloc(n + 1);
	memcpy(t->src, src, n);
	t->src[n] = 0;
	int cap = 64;
	t->nodes = xmalloc(sizeof(struct node) * (size_t)cap);
	int stack[TPL_MAX_DEPTH], depth = 0;
	const char *p = t->src, *e = t->src + n;
#define ADD(OP, S, N) do { \
		if (t->nnodes == cap) { cap *= 2; t->nodes = realloc(t->nodes, sizeof(struct node) * (size_t)cap); if (!t->nodes) die_oom(); } \
		t->nodes[t->nnodes] = (struct node){OP, S, N, -1, -1, -1, name_first(S, N)}; t->nnodes++; } while (0)
#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); tpl_free(t); return NULL; } while (0)
	while (p < e) {
		const char *o = strstr(p, "{{");
		if (!o) o = e;
		if (o > p) ADD(OP_TEXT, p, (size_t)(o - p));
		if (o == e) break;
		const char *c = strstr(o + 2, "}}");
		if (!c) FAIL("%s:%d: unclosed {{", name, tpl_line(t->src, o));
		const char *q = skip_ws(o + 2, c);
		if (*q == '!') { p = c + 2; continue; }
		char kind = 0;
		if (*q == '#' || *q == '/' || *q == '>') kind = *q++;
		q = skip_ws(q, c);
		const char *w = q;
		while (q < c && is_name_char(*q)) q++;
		size_t wn = (size_t)(q - w);
		int line = tpl_line(t->src, o);
		if (kind == '#') {
			enum op op;
			if (wn == 2 && !memcmp(w, "if", 2)) op = OP_IF;
			else if (wn == 6 && !memcmp(w, "unless", 6)) op = OP_UNLESS;
			else if (wn == 4 && !memcmp(w, "each", 4)) op = OP_EACH;
			else if (wn == 4 && !memcmp(w, "with", 4)) op = OP_WITH;
			else FAIL("%s:%d: unknown block {{#%.*s}}", name, line, (int)wn, w);
			q = skip_ws(q, c);
			const char *a = q;
			while (q < c && is_name_char(*q)) q++;
			if (q == a || skip_ws(q, c) != c) FAIL("%s:%d: block needs one name", name, line);
			if (depth == TPL_MAX_DEPTH) FAIL("%s:%d: blocks nested too deeply", name, line);
			stack[depth++] = t->nnodes;
			ADD(op, a, (size_t)(q - a));
		} else if (kind == '/') {
			if (!depth) FAIL("%s:%d: {{/%.*s}} without a block", name, line, (int)wn, w);
			int b = stack[--depth];
			struct node *bn = &t->nodes[b];
			static const char *const names[] = {[OP_IF] = "if", [OP_UNLESS] = "unless", [OP_EACH] = "each", [OP_WITH] = "with"};
			if (strlen(names[bn->op]) != wn || memcmp(names[bn->op], w, wn))
				FAIL("%s:%d: {{/%.*s}} closes {{#%s}}", name, line, (int)wn, w, names[bn->op]);
			int end = t->nnodes;
			ADD(OP_END, NULL, 0);
			bn = &t->nodes[b];
			bn->end = end;
			if (bn->alt < 0) bn->alt = end;
			else t->nodes[bn->alt].end = end;
		} else if (kind == '>') {
			if (!wn || skip_ws(q, c) != c) FAIL("%s:%d: bad include", name, line);
			ADD(OP_INCLUDE, w, wn);
		} else if (wn == 4 && !memcmp(w, "else", 4) && skip_ws(q, c) == c) {
			if (!depth) FAIL("%s:%d: {{else}} outside a block", name, line);
			struct node *bn = &t->nodes[stack[depth - 1]];
			if (bn->op == OP_WITH || bn->alt >= 0) FAIL("%s:%d: misplaced {{else}}", name, line);
			bn->alt = t->nnodes;
			ADD(OP_ELSE, NULL, 0);
		} else {
			if (!wn) FAIL("%s:%d: empty {{ }}", name, line);
			enum op op = OP_VAR;
			q = skip_ws(q, c);
			if (q < c && *q == '|') {
				q = skip_ws(q + 1, c);
				if (c - q >= 3 && !memcmp(q, "url", 3)) { op = OP_VAR_URL; q += 3; }
				else FAIL("%s:%d: unknown filter", name, line);
				q = skip_ws(q, c);
			}
			if (q != c) FAIL("%s:%d: bad tag", name, line);
			ADD(op, w, wn);
		}
		p = c + 2;
	}
	if (depth) FAIL("%s: unclosed block at line %d", name, tpl_line(t->src, t->nodes[stack[depth - 1]].s));
#undef ADD
#undef FAIL
	return t;
}

void tpl_free(tpl *t) {
	if (!t) return;
	free(t->name);
	free(t->src);
	free(t->nodes);
	free(t);
}

/* ---- rendering --------------------------------------------------------- */

struct scope { tv *v; int index; const struct scope *up; };

static tv *lookup(const struct scope *sc, const struct node *nd) {
	const char *name = nd->s;
	size_t n = nd->n, first = nd->first;
	if (n == 1 && name[0] == '.') return sc ? sc->v : NULL;
	const char *dot = first < n ? name + first : NULL;   /* found once, when compiled */
	tv *v = NULL;
	for (const struct scope *s = sc; s && !v; s = s->up) v = tv_getn(s->v, name, first);
	while (v && dot) {
		const char *rest = dot + 1;
		size_t rn = n - (size_t)(rest - name);
		dot = memchr(rest, '.', rn);
		size_t part = dot ? (size_t)(dot - rest) : rn;
		v = tv_getn(v, rest, part);
		name = rest;
		n = rn;
	}
	return v;
}

static void hole_add(tpl_holes *h, size_t off, int id, int esc) {
	if (h->n == h->cap) {
		int nc = h->cap ? h->cap * 2 : 16;
		struct tpl_hole *g = arena_alloc(h->a, sizeof *g * (size_t)nc);
		if (h->n) memcpy(g, h->h, sizeof *g * (size_t)h->n);
		h->h = g;
		h->cap = nc;
	}
	h->h[h->n++] = (struct tpl_hole){off, id, esc};
}

static void emit(buf *out, const tv *v, int url, tpl_holes *h) {
	if (!v) return;
	switch (v->t) {
	case TV_HOLE: if (h) hole_add(h, out->len, (int)v->i, url ? TPL_ESC_URL : TPL_ESC_HTML); break;
	case TV_STR: if (url) buf_urlenc(out, v->s, v->n); else buf_html(out, v->s, v->n); break;
	case TV_HTML: if (url) buf_urlenc(out, v->s, v->n); else buf_append(out, v->s, v->n); break;
	case TV_INT: buf_put_int(out, v->i); break;
	case TV_BOOL: buf_puts(out, v->i ? "true" : "false"); break;
	default: break;
	}
}

static int render_include(buf *out, const struct node *nd, const struct scope *sc, int depth, tpl_holes *h);

static int render_range(buf *out, const tpl *t, int from, int to, const struct scope *sc, int depth, tpl_holes *h) {
	for (int i = from; i < to; i++) {
		const struct node *nd = &t->nodes[i];
		switch (nd->op) {
		case OP_TEXT: buf_append(out, nd->s, nd->n); break;
		case OP_VAR:
			if (nd->n == 6 && !memcmp(nd->s, "@index", 6)) buf_put_int(out, sc ? sc->index : 0);
			else emit(out, lookup(sc, nd), 0, h);
			break;
		case OP_VAR_URL: emit(out, lookup(sc, nd), 1, h); break;
		case OP_IF: case OP_UNLESS: {
			int yes = tv_truthy(lookup(sc, nd));
			if (nd->op == OP_UNLESS) yes = !yes;
			if (yes) render_range(out, t, i + 1, nd->alt, sc, depth, h);
			else if (nd->alt != nd->end) render_range(out, t, nd->alt + 1, nd->end, sc, depth, h);
			i = nd->end;
			break;
		}
		case OP_EACH: {
			tv *l = lookup(sc, nd);
			if (l && l->t == TV_LIST && l->count) {
				int idx = 0;
				for (tv_node *x = l->head; x; x = x->next) {
					struct scope inner = {x->v, idx++, sc};
					render_range(out, t, i + 1, nd->alt, &inner, depth, h);
				}
			} else if (nd->alt != nd->end) {
				render_range(out, t, nd->alt + 1, nd->end, sc, depth, h);
			}
			i = nd->end;
			break;
		}
		case OP_WITH: {
			tv *m = lookup(sc, nd);
			if (m && m->t == TV_MAP) {
				struct scope inner = {m, 0, sc};
				render_range(out, t, i + 1, nd->end, &inner, depth, h);
			}
			i = nd->end;
			break;
		}
		case OP_INCLUDE:
			if (render_include(out, nd, sc, depth + 1, h)) return -1;
			break;
		case OP_ELSE: case OP_END: break;
		}
	}
	return 0;
}

/* ---- registry ---------------------------------------------------------- */

struct embed_file { const char *name; const unsigned char *data; size_t len; };
extern const struct embed_file embed_files[];

static tpl **registry;
static int nregistry;

/* the registry's place of template NAME, or -1 */
static int tpl_index(const char *name, size_t n) {
	for (int i = 0; i < nregistry; i++)
		if (strlen(registry[i]->name) == n && !memcmp(registry[i]->name, name, n)) return i;
	return -1;
}

static tpl *tpl_find(const char *name, size_t n) {
	int i = tpl_index(name, n);
	return i < 0 ? NULL : registry[i];
}

static int render_include(buf *out, const struct node *nd, const struct scope *sc, int depth, tpl_holes *h) {
	tpl *t = nd->inc >= 0 && nd->inc < nregistry ? registry[nd->inc] : tpl_find(nd->s, nd->n);
	if (!t || depth > TPL_MAX_DEPTH) return -1;
	return render_range(out, t, 0, t->nnodes, sc, depth, h);
}

/* finds every registered template's includes once, so a render does not search the registry by name
   (~40 includes a thread page). A place stays right: registry_put replaces in place or appends. */
static void registry_link(void) {
	for (int i = 0; i < nregistry; i++)
		for (int k = 0; k < registry[i]->nnodes; k++) {
			struct node *nd = &registry[i]->nodes[k];
			if (nd->op == OP_INCLUDE) nd->inc = tpl_index(nd->s, nd->n);
		}
}

/* adds t, replacing a template of the same name */
static void registry_put(tpl *t) {
	for (int i = 0; i < nregistry; i++)
		if (!strcmp(registry[i]->name, t->name)) {
			tpl_free(registry[i]);
			registry[i] = t;
			return;
		}
	registry = realloc(registry, sizeof *registry * (size_t)(nregistry + 1));
	if (!registry) die_oom();
	registry[nregistry++] = t;
}

int tpl_load_dir(const char *dir, char *err, size_t errlen) {
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: cannot open the template directory", dir);
		return -1;
	}
	int rc = 0;
	for (struct dirent *de; !rc && (de = readdir(d));) {
		size_t nl = strlen(de->d_name);
		if (nl < 6 || nl > 120 || strcmp(de->d_name + nl - 5, ".html")) continue;
		char path[4096], name[128];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		snprintf(name, sizeof name, "%.*s", (int)(nl - 5), de->d_name);
		FILE *f = fopen(path, "rb");
		if (!f) continue;
		char *src = xmalloc(TPL_MAX_SIZE + 1);
		size_t n = fread(src, 1, TPL_MAX_SIZE + 1, f);
		fclose(f);
		tpl *t = tpl_compile(name, src, n, err, errlen);
		free(src);
		if (t) registry_put(t);
		else rc = -1;
	}
	closedir(d);
	registry_link();
	return rc;
}

int tpl_load_embedded(char *err, size_t errlen) {
	tpl_unload_all();
	for (const struct embed_file *f = embed_files; f->name; f++) {
		const char *pre = "templates/";
		size_t pl = strlen(pre), nl = strlen(f->name);
		if (strncmp(f->name, pre, pl) || nl < pl + 6 || strcmp(f->name + nl - 5, ".html")) continue;
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(nl - pl - 5), f->name + pl);
		tpl *t = tpl_compile(name, (const char *)f->data, f->len, err, errlen);
		if (!t) return -1;
		registry_put(t);
	}
	registry_link();
	const char *dir = getenv("LOULAN_TEMPLATES");
	return dir && *dir ? tpl_load_dir(dir, err, errlen) : 0;
}

void tpl_unload_all(void) {
	for (int i = 0; i < nregistry; i++) tpl_free(registry[i]);
	free(registry);
	registry = NULL;
	nregistry = 0;
}

int tpl_render_t_holes(buf *out, tpl *t, tv *data, tpl_holes *holes) {
	struct scope sc = {data, 0, NULL};
	return render_range(out, t, 0, t->nnodes, &sc, 0, holes);
}

int tpl_render_t(buf *out, tpl *t, tv *data) { return tpl_render_t_holes(out, t, data, NULL); }

int tpl_render_holes(buf *out, const char *name, tv *data, tpl_holes *holes) {
	tpl *t = tpl_find(name, strlen(name));
	if (!t) return -1;
	return tpl_render_t_holes(out, t, data, holes);
}

int tpl_render(buf *out, const char *name, tv *data) { return tpl_render_holes(out, name, data, NULL); }

void tpl_hole_value(buf *out, int esc, const char *v) {
	if (!v) return;
	if (esc == TPL_ESC_URL) buf_urlenc(out, v, strlen(v));
	else buf_html(out, v, strlen(v));
}

void tpl_fill(buf *out, const char *html, size_t n, const tpl_holes *h, const char *const *vals) {
	size_t at = 0;
	for (int i = 0; h && i < h->n; i++) {
		size_t off = h->h[i].off > n ? n : h->h[i].off;
		buf_append(out, html + at, off - at);
		tpl_hole_value(out, h->h[i].esc, vals[h->h[i].id]);
		at = off;
	}
	buf_append(out, html + at, n - at);
}
