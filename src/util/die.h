/* die: the error tiers that end the process (git die()/BUG()). */
#ifndef LOULAN_DIE_H
#define LOULAN_DIE_H
_Noreturn void die_oom(void);
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
char *xstrdup(const char *s);
#endif
