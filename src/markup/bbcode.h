/*
** bbcode: renders Discuz! X3.5 BBCode into sanitized, balanced HTML.
** Knows nothing about the database, HTTP or templates.
*/
#ifndef LOULAN_BBCODE_H
#define LOULAN_BBCODE_H
#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"

#define BBCODE_MAX_DEPTH 32 /* nesting cap; deeper tags stay literal */
#define BBCODE_SIZE_MIN 8   /* [size=Npx] range, and the fs-N classes of loulan.css */
#define BBCODE_SIZE_MAX 72

/*
** Appends the HTML for the n bytes of BBCode at src to out. Every text node is
** escaped; unknown, malformed, unclosed or mismatched tags and tags with an
** invalid attribute stay literal (escaped) text; the result is always balanced
** and uses only the tags, attributes and URL schemes of the allowlist. It has
** no style attributes: colours, sizes, fonts, alignment and floats are classes
** of static/loulan.css (c-NAME, bg-NAME, fs-N, f-NAME, al-X, fl-X).
** Linear in n. Returns 0, or -1 when out->err is set (cap reached).
*/
int bbcode_render(buf *out, const char *src, size_t n);

/* The same with only the tags in allow recognised (the others stay literal text): signatures and
** 短消息 use a subset. One bit per tag, in the renderer's order. */
enum {
	BBCODE_B = 1u << 1, BBCODE_I = 1u << 2, BBCODE_U = 1u << 3, BBCODE_S = 1u << 4, BBCODE_COLOR = 1u << 5,
	BBCODE_SIZE = 1u << 6, BBCODE_FONT = 1u << 7, BBCODE_ALIGN = 1u << 8, BBCODE_URL = 1u << 9,
	BBCODE_EMAIL = 1u << 10, BBCODE_IMG = 1u << 11, BBCODE_QUOTE = 1u << 12, BBCODE_CODE = 1u << 13,
	BBCODE_LIST = 1u << 14, BBCODE_ITEM = 1u << 15, BBCODE_HR = 1u << 16, BBCODE_TABLE = 1u << 17,
	BBCODE_TR = 1u << 18, BBCODE_TD = 1u << 19, BBCODE_INDENT = 1u << 20, BBCODE_BACKCOLOR = 1u << 21,
	BBCODE_FLOAT = 1u << 22, BBCODE_ATTACH = 1u << 23, BBCODE_ATTACHIMG = 1u << 24, BBCODE_ALL = 0x1fffffeu,
};
/* a signature (Discuz!'s 签名: text styles and links, no images, blocks or tables) */
#define BBCODE_SIG (BBCODE_B | BBCODE_I | BBCODE_U | BBCODE_S | BBCODE_COLOR | BBCODE_URL | BBCODE_EMAIL)
/* a 短消息: everything but remote images ([img]) and tables; [attach]/[attachimg] as the lookup allows */
#define BBCODE_PM (BBCODE_ALL & ~(uint32_t)(BBCODE_IMG | BBCODE_TABLE | BBCODE_TR | BBCODE_TD | BBCODE_FLOAT))
int bbcode_render_only(buf *out, const char *src, size_t n, uint32_t allow);

/* The 40 colours of the Discuz! editor's colour box, in its order (CSS names;
   each has the classes c-NAME and bg-NAME): the composer's palette. */
const char *const *bbcode_palette(size_t *n);
#endif
