/*
** user: members: names, checks, adding, reading, passwords, login (user.c).
*/
#ifndef LOULAN_USER_H
#define LOULAN_USER_H
#include "forum/forum.h"

#define USER_NAME_MIN 2
#define USER_NAME_MAX 15
#define USER_PASSWORD_MIN 8
#define USER_PASSWORD_MAX 128
#define USER_STR_(x) #x
#define USER_STR(x) USER_STR_(x)   /* a limit inside a string literal */
#define USER_EMAIL_MAX 100
int user_name_key(const char *name, char *out, size_t cap);  /* NFKC + case fold; -1 if invalid */
int user_name_skeleton(const char *name, char *out, size_t cap); /* UTS #39 skeleton of the key; -1 if invalid */
/* 0 ok; else the code: FORUM_E_INVALID (a field check), FORUM_E_TAKEN (the
   name, by its NFKC case-folded key or its look-alike skeleton, is already used), FORUM_E_DB */
int user_add(db *d, const char *name, const char *email, const char *password, int admin, int64_t *uid,
             struct forum_err *e);
/* Field checks used by user_add and the registration form: 0 ok, else FORUM_E_INVALID with e->msg. */
int user_check_name(const char *name, struct forum_err *e);
int user_check_email(const char *email, int required, struct forum_err *e);
int user_check_password(const char *name, const char *password, struct forum_err *e);
int user_email_taken(db *d, const char *email);           /* 1 taken, 0 free, -1 error */

struct member {
	int64_t uid, groupid, regdate, lastvisit, posts, threads, credits;
	const char *name, *email;
};
int user_get(db *d, arena *a, int64_t uid, struct member *m);           /* 1 found, 0 not, -1 error */
int user_find(db *d, const char *name, int64_t *uid);                    /* by name key: 1 found */
int user_set_group(db *d, int64_t uid, int64_t groupid);
int user_set_regip(db *d, int64_t uid, const char *ip);   /* the registration IP (/admin's member search) */
int user_touch(db *d, int64_t uid, time_t now);                          /* lastvisit */
/* 1 changed, 0 old password wrong, -1 error or new password refused (err set) */
int user_password_change(db *d, int64_t uid, const char *old, const char *new_pw, struct forum_err *e);

/* sets a member's password without the old one (the operator's `loulan user passwd`) and ends their
   sessions: 0, or a FORUM_E_* code with e (the password rules of user_check_password apply) */
int user_password_set(db *d, int64_t uid, const char *name, const char *new_pw, struct forum_err *e);

/* members in uid order after uid `after` (keyset), at most limit: in group gid (0: any), whose name
   key starts with that of search (NULL: any); `loulan user list` */
#define USER_LIST_PAGE 500
int user_list(db *d, arena *a, int64_t gid, const char *search, int64_t after, int limit, struct member **out, int *n);

/* activity on the user space: newest threads (tid < before_tid) and replies (pid < before_pid; 0: the
   newest), at most max of each, in one query (keyset pages, no OFFSET) */
#define USER_RECENT_MAX 10
struct user_item { int64_t tid, pid, fid, created; const char *subject; };
int user_recent(db *d, arena *a, int64_t uid, int64_t before_tid, int64_t before_pid, int max, struct user_item **threads,
                int *nthreads, struct user_item **replies, int *nreplies);

#define LOGIN_MAX 100   /* username or email as typed */
/* 1 match (uid set), 0 wrong login or password (which one is not told), -1 error */
int user_authenticate(db *d, const char *login, const char *password, int64_t *uid);
int user_login_uid(db *d, const char *login, int64_t *uid);  /* the member a login names: 1 found, 0 not, -1 error */
#endif
