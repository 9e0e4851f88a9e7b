/*
** quote: the excerpt of a floor for a reply's [quote] / "> " block, written in
** the reply's format whatever the quoted floor was written in. Works from the
** floor's rendered HTML (what bbcode_render or markdown_render wrote), so a
** Markdown floor quoted into BBCode (or the reverse) keeps its links whole.
** Knows nothing about the database, HTTP or templates.
*/
#ifndef LOULAN_QUOTE_H
#define LOULAN_QUOTE_H
#include <stddef.h>
#include "util/buf.h"

enum quote_format { QUOTE_BBCODE, QUOTE_MARKDOWN };

/*
** Appends to out the first max_chars visible characters of the post HTML at
** html (n bytes), as source in format fmt: text, line breaks, paragraphs, list
** items, bold, italic, underline (BBCode only), strike, inline code (Markdown
** only), code blocks and links are kept; quotes inside the floor are dropped;
** an image becomes a link to it (its alt text, or "图片"); colours, sizes,
** fonts, headings and tables become plain text. A longer floor is cut at a
** character, never inside a tag, a link's URL or a code fence: what is open
** is closed and " ..." follows. Markdown text is escaped so that it reads as
** text. No leading or trailing blank lines. Returns 0, or -1 if out->err.
*/
int quote_excerpt(buf *out, const char *html, size_t n, enum quote_format fmt, long max_chars);

/*
** Appends s as Markdown text: ASCII punctuation that could start markup is
** backslash-escaped (everywhere, and "#", "-", "+", "=", "N." at a line's start).
*/
void quote_md_text(buf *out, const char *s, size_t n);
#endif
