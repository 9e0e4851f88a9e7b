/*
** tpl: loulan's template engine. Templates are compiled once at start-up
** (from the files built into the binary) and rendered many times.
**
** Syntax:
**   {{name}} {{a.b.c}}       value, HTML-escaped -- unless the value is of type
**                            TV_HTML (already-sanitized HTML, e.g. a rendered
**                            post body), which is the only way raw HTML gets out
**   {{name|url}}             value URL-component-encoded
**   {{#if x}}..{{else}}..{{/if}}   {{#unless x}}..{{/unless}}
**   {{#each list}}..{{else}}..{{/each}}   item becomes the scope; {{.}} is the
**                            item itself; {{@index}} counts from 0
**   {{#with map}}..{{/with}}
**   {{> name}}               include template "name"
**   {{! comment }}
** Lookups search the innermost scope first, then outer ones.
** Truthy: non-empty string, non-zero int, true, non-empty list, any map, a hole.
**
** Holes: a value of kind TV_HOLE (tv_hole) stands for a per-request value
** (the viewer's name, the view count, the footer's timer). It is not written:
** tpl_render_holes records where it would be (the offset in out, the hole's
** id and whether {{x}} or {{x|url}} escapes it), so the page is a list of
** segments with holes between them. tpl_fill writes the values in. The page
** cache (cache/) stores the segments and fills the holes per request, so no
** code ever searches rendered HTML for text.
**
** Values (tv) live in the request's arena; strings are not copied.
*/
#ifndef LOULAN_TPL_H
#define LOULAN_TPL_H
#include "util/arena.h"
#include "util/buf.h"
#include <stdint.h>

#define TPL_MAX_SIZE (256u << 10)   /* one template source */
#define TPL_MAX_DEPTH 32            /* block nesting and include depth */
#define TPL_MAX_HOLE_ID 16          /* hole ids are 0..15 */

typedef struct tv tv;
enum tv_type { TV_NULL, TV_STR, TV_HTML, TV_INT, TV_BOOL, TV_LIST, TV_MAP, TV_HOLE };
typedef struct tv_node { const char *key; size_t klen; tv *v; struct tv_node *next; } tv_node;
/* A map is a list, newest key first; one looked up often through many keys gets an index (a page's
** own map has ~100 keys, read from inside every floor's scope; walking them was a tenth of a cache
** miss's instructions, issue 16). Values belong to one request: the index is made in place. */
#define TV_INDEX_MIN 16
#define TV_INDEX_LOOKS 4
struct tv_index { unsigned mask; int count; const tv_node **slot; };
struct tv {
	enum tv_type t;
	const char *s; size_t n;   /* STR, HTML */
	int64_t i;                 /* INT, BOOL; HOLE: its id */
	tv_node *head, *tail;      /* LIST (key NULL), MAP */
	arena *a;                  /* MAP: its arena, for its index */
	struct tv_index *ix;       /* MAP: its keys by hash, made by the TV_INDEX_LOOKS-th lookup of TV_INDEX_MIN keys or more */
	int looks;
	int count;
};

tv *tv_map(arena *a);
tv *tv_list(arena *a);
tv *tv_new_str(arena *a, const char *s);
tv *tv_new_int(arena *a, int64_t i);
void tv_set(arena *a, tv *m, const char *key, tv *v);
void tv_str(arena *a, tv *m, const char *key, const char *s);   /* NULL -> "" */
void tv_strn(arena *a, tv *m, const char *key, const char *s, size_t n);
void tv_html(arena *a, tv *m, const char *key, const char *html); /* trusted HTML only */
void tv_int(arena *a, tv *m, const char *key, int64_t i);
void tv_bool(arena *a, tv *m, const char *key, int b);
void tv_hole(arena *a, tv *m, const char *key, int id);   /* 0 <= id < TPL_MAX_HOLE_ID */
tv *tv_add_map(arena *a, tv *m, const char *key);   /* new child map */
tv *tv_add_list(arena *a, tv *m, const char *key);  /* new child list */
tv *tv_push_map(arena *a, tv *list);                /* append a new map item */
void tv_push(arena *a, tv *list, tv *v);
tv *tv_get(tv *m, const char *key);

typedef struct tpl tpl;
/* Compiles src; on error returns NULL and writes a message with the line. */
tpl *tpl_compile(const char *name, const char *src, size_t n, char *err, size_t errlen);
void tpl_free(tpl *t);

/* The registry of compiled templates. */
int tpl_load_embedded(char *err, size_t errlen); /* every templates/NAME.html */
void tpl_unload_all(void);
int tpl_render(buf *out, const char *name, tv *data);    /* -1: unknown template; holes write nothing */
int tpl_render_t(buf *out, tpl *t, tv *data);
/* Development: templates/NAME.html files in dir replace the built-in ones
** (`LOULAN_TEMPLATES=DIR`, read by tpl_load_embedded; tests reword templates). */
int tpl_load_dir(const char *dir, char *err, size_t errlen);

/* Where the holes are: in order of offset (segments between them). */
enum tpl_esc { TPL_ESC_HTML, TPL_ESC_URL };
struct tpl_hole { size_t off; int id; int esc; };
typedef struct tpl_holes {
	arena *a;                   /* the list grows in it */
	struct tpl_hole *h;
	int n, cap;
} tpl_holes;
int tpl_render_holes(buf *out, const char *name, tv *data, tpl_holes *holes);
int tpl_render_t_holes(buf *out, tpl *t, tv *data, tpl_holes *holes);
/* Appends a hole's value (raw text) escaped as the template asked. */
void tpl_hole_value(buf *out, int esc, const char *v);
/* Appends html (with holes h) with vals[id] in each hole (NULL: empty). */
void tpl_fill(buf *out, const char *html, size_t n, const tpl_holes *h, const char *const *vals);
#endif
