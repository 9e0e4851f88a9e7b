/*
** text: what a piece of user text looks like to a reader, with ICU.
** Visible characters (a title made of U+200B or U+3000 shows nothing), paired
** bidi controls (an unclosed U+202E reverses the rest of the line), and the
** UTS #39 confusable skeleton and mixed-script check for names (uspoof).
** Pure functions: no database, no forum rules.
*/
#ifndef LOULAN_TEXT_H
#define LOULAN_TEXT_H
#include <stddef.h>

#define TEXT_SKELETON_MAX 1024   /* bytes of a name's skeleton (with NUL) */

/* 1 if s (UTF-8, n bytes) holds at least one visible character: not white
   space, control, format (Cf), separator (Zs/Zl/Zp), Default_Ignorable,
   unassigned, a lone combining mark or a blank filler (U+2800, Hangul
   fillers). 0 otherwise, and for invalid UTF-8. */
int text_visible(const char *s, size_t n);

/* 1 if every bidi embedding/override (U+202A, 202B, 202D, 202E) is closed by a
   PDF (U+202C) and every isolate (U+2066-2068) by a PDI (U+2069), innermost
   first, within its paragraph; and no PDF/PDI closes nothing. 0 otherwise. */
int text_bidi_paired(const char *s, size_t n);

/* NULL if s is acceptable as a title, name or reason (visible, bidi paired);
   else a Chinese message naming `what` ("标题", "理由"), in static storage
   when `what` is a literal: the message is written to msg (cap bytes). */
const char *text_problem(const char *s, size_t n, const char *what, char *msg, size_t cap);

/* The UTS #39 skeleton of s (uspoof_getSkeletonUTF8): names whose skeletons
   are equal are confusable ("аdmin" with a Cyrillic а, "admın", "admin").
   0 ok, -1 invalid input or over cap. */
int text_skeleton(const char *s, size_t n, char *out, size_t cap);

/* 1 if s passes ICU's restriction level MODERATELY_RESTRICTIVE (one script,
   or Latin with one other script but not Cyrillic, Greek or Cherokee; Han with
   Latin, Kana or Hangul is fine) and mixes no digits of different systems.
   0 refused, -1 ICU error. */
int text_script_ok(const char *s, size_t n);
#endif
