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
	BBCODE_FLOAT = 1u << 22, BBCODE_ATTACH = 1u << 23, BBCODE_ATTACHIMG = 1u << 24,
	/* the Discuz! dialect (issue 18): [p=..], [media]/[audio]/[flash]/[swf]/[qq] (links), [free], [hide],
	   [password] and [postbg] (dropped), [groupid] */
	BBCODE_P = 1u << 25, BBCODE_MEDIA = 1u << 26, BBCODE_FREE = 1u << 27, BBCODE_HIDE = 1u << 28,
	BBCODE_PASSWORD = 1u << 29, BBCODE_GROUPID = 1u << 30, BBCODE_ALL = 0x7ffffffeu,
};
/* a signature (Discuz!'s 签名: text styles and links, no images, blocks or tables) */
#define BBCODE_SIG (BBCODE_B | BBCODE_I | BBCODE_U | BBCODE_S | BBCODE_COLOR | BBCODE_URL | BBCODE_EMAIL)
/* a 短消息: everything but remote images ([img]) and tables; [attach]/[attachimg] as the lookup allows */
#define BBCODE_PM (BBCODE_ALL & ~(uint32_t)(BBCODE_IMG | BBCODE_TABLE | BBCODE_TR | BBCODE_TD | BBCODE_FLOAT | \
                                        BBCODE_FREE | BBCODE_HIDE | BBCODE_PASSWORD | BBCODE_GROUPID))
int bbcode_render_only(buf *out, const char *src, size_t n, uint32_t allow);

/*
** [hide] (Discuz!'s 回复可见): bbcode_render (write time) leaves the content out and writes a notice,
** <div class="locked">本帖隐藏的内容需要回复才可以浏览</div>, so post.html never holds hidden text and
** every reader of it (feeds, search, the Archiver, quotes, guests' cached pages) is safe by default.
** The thread page renders the floor's source again for a viewer who may see some of it
** (bbcode_render_view; docs/DESIGN-NOTES.md "[hide]"). A [hide] opens to:
**   [hide]          the author, the board's moderators (privileged) and who replied in the thread;
**   [hide=N]        privileged, or N credits and more;
**   [hide=dDAYS]    everyone DAYS days after posting, before that as [hide] (with ,N as [hide=N]).
*/
#define BBCODE_LOCKED "<div class=\"locked\">"   /* in post HTML only where [hide] left content out */
struct bbcode_view {
	int privileged, replied;
	int64_t credits, age_days;
};
/* The render for a viewer: each [hide] that bbcode_render turned into a notice comes out between
   BBCODE_HIDE_BEGIN and BBCODE_HIDE_END, as the notice again or as the content the viewer may see
   (<div class="showhide">); the caller splices these into the stored HTML in order (forum_floor_html),
   so the rest of the post stays as written (attachment cards, mentions). An [attach] the lookup does not
   resolve is a link. A source holding either byte cannot be spliced: the caller keeps the notices. */
#define BBCODE_HIDE_BEGIN '\x01'
#define BBCODE_HIDE_END '\x02'
int bbcode_render_view(buf *out, const char *src, size_t n, const struct bbcode_view *view);

/* The 40 colours of the Discuz! editor's colour box, in its order (CSS names;
   each has the classes c-NAME and bg-NAME): the composer's palette. */
const char *const *bbcode_palette(size_t *n);
#endif
