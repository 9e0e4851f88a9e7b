/*
** smiley: Discuz! smiley codes as Unicode emoji, for the BBCode and Markdown
** renderers and the composer's picker. Knows nothing about either syntax,
** the database, HTTP or templates.
*/
#ifndef LOULAN_SMILEY_H
#define LOULAN_SMILEY_H
#include <stddef.h>
#include "util/buf.h"

/* Codes replaced per post; later ones stay text (Discuz!: setting.maxsmilies, 10). */
#define SMILEY_MAX_PER_POST 200

struct smiley {
	const char *code;   /* what the composer inserts, e.g. ":)" */
	const char *emoji;  /* UTF-8 */
	const char *name;   /* Chinese name: the title and the picker's label */
};

/*
** Appends the n bytes of text at s, HTML-escaped like buf_html, with every
** smiley code turned into <span class="smiley" title="NAME">EMOJI</span>.
** prev is the byte before s (0 at the start of a text): a code needs a
** boundary, so "Re:one", "12:00", "a:)" and "http://x.com:)" keep their text.
** Recognized: Discuz!'s default set (":)", ":(", ":D", ":'(", ";P", ":lol",
** ":loveliness:" ...), "{:T_N:}" (the default 酷猴 and 呆呆男 sets by id; an id
** of a set loulan does not have becomes a plain face), "[em]N[/em]",
** "[em]eNNN[/em]" and "[em:N:]" (QQ / UCenter Home faces). *budget counts the
** replacements left; at 0 codes stay text.
*/
void smiley_html(buf *o, const char *s, size_t n, int prev, int *budget);

/* The picker's set: Discuz!'s default 24, in its order. */
const struct smiley *smiley_picker(size_t *n);
#endif
