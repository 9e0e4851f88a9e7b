/*
** dztext: Discuz! text into loulan text. Pure functions (ICU, no database):
**   - charsets: the bytes of a utf8mb4 / utf8 / gbk / big5 database into
**     UTF-8 (GBK read as GB18030, its superset; BIG5 as windows-950);
**   - emoji that 3-byte and GBK databases hold as numeric entities
**     (&#128512; &#x1F600;) decoded, never a second time (&amp;#128512;
**     stays as typed);
**   - invalid UTF-8 repaired: a sequence cut at the end (MySQL utf8 cutting a
**     4-byte character) dropped, other bad bytes U+FFFD, NUL and C0 controls
**     (but tab and newlines) dropped;
**   - HTML (htmlon posts, signatures, board descriptions) into BBCode of the
**     tags that map, the rest as text;
**   - the visible text of a BBCode message (the report's comparison).
*/
#ifndef LOULAN_DZTEXT_H
#define LOULAN_DZTEXT_H
#include "util/buf.h"
#include <stddef.h>

enum dz_charset { DZ_UTF8MB4 = 1, DZ_UTF8, DZ_GBK, DZ_BIG5 };
#define DZ_TEXT_MAX (16u << 20)   /* bytes of one value converted (a mediumtext); the rest is cut */

/* the charset a MySQL name means (utf8mb4, utf8, utf8mb3, gbk, gb2312, gb18030, big5); 0 unknown */
enum dz_charset dz_charset_parse(const char *name);
const char *dz_charset_mysql(enum dz_charset cs);   /* the name for SET NAMES / MYSQL_SET_CHARSET_NAME */

struct dz_conv;
struct dz_conv *dz_conv_open(enum dz_charset cs);   /* NULL if ICU lacks the converter */
void dz_conv_close(struct dz_conv *cv);

enum { DZ_RAW = 0,       /* BBCode source: only the numeric entities of non-ASCII characters decoded */
       DZ_ESCAPED = 1 }; /* HTML-escaped text (subjects, names): &amp; &lt; &gt; &quot; &#039; &nbsp; too */
/* Appends the n source bytes at s as repaired UTF-8 to out. 0, -1 on a conversion error (out->err). */
int dz_text(struct dz_conv *cv, const char *s, size_t n, int mode, buf *out);

/* Appends HTML as BBCode: b/strong i/em u s/strike/del, a href -> [url=], img src -> [img], blockquote ->
   [quote], br and block ends -> newlines; script/style dropped with their content; other tags dropped;
   entities decoded. Input UTF-8. */
void dz_html_to_bbcode(const char *html, size_t n, buf *out);
/* Appends the visible text of a Discuz! BBCode message: tags [x], [x=..], [/x] removed, [attach]N[/attach],
   [img]..[/img] and smilies {:N_N:} dropped, white space collapsed. */
void dz_bbcode_text(const char *s, size_t n, buf *out);
/* Collapses runs of white space to one space and trims (for comparing texts) into out. */
void dz_squash(const char *s, size_t n, buf *out);
#endif
