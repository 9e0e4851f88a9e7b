/* anon: who sees the authors of 匿名 posts; see anon.h. */
#include "forum/anon.h"
#include "forum/moderate.h"

int anon_sees(const struct actor *who, int64_t fid) { return who && who->uid && forum_can_moderate(who, fid); }

const char *anon_lastposter(const char *name) { return name && *name ? name : ANON_NAME; }
