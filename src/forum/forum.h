/*
** forum: the rules of the forum: boards, threads, floors, counters, users.
** Calls db/ only; knows nothing of HTTP or HTML. Rows are returned as plain
** structs allocated in the caller's arena.
**
** This header is the vocabulary every module shares: the error type and the
** acting user. Each module has its own header: site.h (settings, groups),
** read.h (boards, threads, floors), views.h, write.h (categories, boards,
** forum_cook), rerender.h, user.h, posting.h (the write path and its
** rules), credit.h, react.h, perm.h, session.h, ratelimit.h, cachegen.h,
** copy.h, gen.h, demo.h.
*/
#ifndef LOULAN_FORUM_H
#define LOULAN_FORUM_H
#include "db/db.h"
#include "util/arena.h"
#include <stdint.h>
#include <time.h>

/* ---- errors ------------------------------------------------------------ */
/* What went wrong: the one error type of forum/. code is a FORUM_E_* class
   (the page maps each class to its HTTP status), msg a sentence for the
   reader, wait the seconds to wait for FORUM_E_FLOOD. Functions return the
   code (0 ok) and fill *e. */
enum { FORUM_OK = 0, FORUM_E_INVALID = -1, FORUM_E_TOOBIG = -2, FORUM_E_FORBIDDEN = -3, FORUM_E_NOTFOUND = -4,
       FORUM_E_FLOOD = -5, FORUM_E_DB = -6, FORUM_E_TAKEN = -7 /* a unique name or key is already used */ };
/* msg is Chinese, for the web and the API; en is the console's English (NULL: forum_err_en
   chooses one by code). Data a message carries beyond its code stays out of en: the CLI
   prints the names it was given itself. */
struct forum_err { int code; int wait; char msg[512]; const char *en; };
/* sets e (code, formatted msg, en NULL) and returns code */
int forum_fail(struct forum_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* the same with a precise English text for the console (a string literal) */
int forum_fail_en(struct forum_err *e, int code, const char *en, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* e's English text: its own, else one by its code (the CLI prints this, never msg) */
const char *forum_err_en(const struct forum_err *e);
#define FORUM_MSG_DB "数据库暂时不可用，请稍后再试。"

/* who is acting. override: an operator at the console (`loulan post
   --as-admin`, the demo): group and board permissions, closed threads and
   flood control do not apply to it. Web and API actors never have it. */
struct actor { int64_t uid, groupid; const char *name; int override; };
#endif
