/*
** mention: @name in post text (issue #15). Pure: knows no database. The
** writer (forum/notify.c's notify_cook) scans the source for candidate names
** (mention_scan), resolves them to members, and installs the answer as this
** thread's scope while the post renders; the renderers' text writer
** (mention_html, used where smiley codes are replaced: text outside links and
** code) turns "@name" of a known member into <a class="mention"
** href="/u/UID">@name</a> and records the member. Without a scope the text is
** written as before.
**
** A name starts after an '@' that follows the start of a text, a space or
** punctuation (not a letter or digit: "me@example.com" is no mention) and
** runs to white space, ASCII punctuation other than "._-", CJK punctuation or
** the end; trailing '.' and '-' are not part of it. 1..MENTION_NAME_CHARS
** characters, else it stays text.
*/
#ifndef LOULAN_MENTION_H
#define LOULAN_MENTION_H
#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"

#define MENTION_MAX_PER_POST 10   /* distinct members linked per post; later ones stay text */
#define MENTION_NAME_CHARS 15     /* = USER_NAME_MAX (forum/user.h; checked there) */
#define MENTION_NAME_BYTES 64     /* 15 characters of at most 4 bytes, and the NUL */
#define MENTION_SCAN_MAX 16       /* distinct candidate names resolved per post */

/* the bytes of the name after the '@' at s[i] (prev: the byte before s, 0 at a text's start), 0 if none */
size_t mention_at(const char *s, size_t n, size_t i, int prev);
/* the distinct candidate names of a source text, in order, at most max; returns how many */
int mention_scan(const char *s, size_t n, char (*names)[MENTION_NAME_BYTES], int max);

/* the floors a reply quotes, from the quote blocks forum_quote writes: "[quote]" followed (within a
   line) by "[url=/p/N]", or a line "> *[NAME 发表于 ...](/p/N)*"; distinct pids in order, at most max */
int mention_quotes(const char *s, size_t n, int64_t *pids, int max);

struct mention_scope {
	int nknown;
	struct { char name[MENTION_NAME_BYTES]; int64_t uid; } known[MENTION_SCAN_MAX];
	int nfound;
	int64_t found[MENTION_MAX_PER_POST];   /* the members linked, in order, each once */
};
void mention_scope_begin(struct mention_scope *sc);   /* this thread's renders use sc until _end */
void mention_scope_end(void);
/* the text writer: s escaped, smiley codes as emoji (smiley_html, *smilies its budget), known @names linked */
void mention_html(buf *o, const char *s, size_t n, int prev, int *smilies);
#endif
