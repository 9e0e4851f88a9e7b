/*
** anon: 匿名 authors on pages and in JSON (forum/anon.h decides who sees them). Every surface that shows
** a thread's or a post's author goes through page_anon_hidden / page_author_tv / page_author_json, so an
** anonymous author's name and uid reach the board's moderators only.
*/
#include "pages/page.h"
#include "forum/anon.h"
#include <jansson.h>

int page_anon_hidden(page *p, int anonymous, int64_t fid) {
	if (!anonymous) return 0;
	struct actor who = page_actor(p);
	return !anon_sees(&who, fid);
}

void page_author_tv(page *p, tv *m, int anonymous, int64_t fid, int64_t uid, const char *name) {
	if (page_anon_hidden(p, anonymous, fid)) {
		tv_int(p->a, m, "authorid", 0);
		tv_str(p->a, m, "author", ANON_NAME);
		tv_bool(p->a, m, "anon", 1);
		return;
	}
	if (uid == 0 && !anonymous) {   /* a guest */
		tv_int(p->a, m, "authorid", 0);
		tv_str(p->a, m, "author", GUEST_NAME);
		tv_bool(p->a, m, "by_guest", 1);
		return;
	}
	tv_int(p->a, m, "authorid", uid);
	tv_str(p->a, m, "author", name);
	if (anonymous) tv_bool(p->a, m, "anon_mod", 1);   /* a moderator sees who it is, marked 匿名 */
}

void page_author_json(page *p, json_t *o, int anonymous, int64_t fid, int64_t uid, const char *name) {
	int hide = page_anon_hidden(p, anonymous, fid);
	json_object_set_new(o, "authorid", json_integer(hide ? 0 : uid));
	json_object_set_new(o, "author", json_string(hide ? ANON_NAME : uid == 0 ? GUEST_NAME : name ? name : ""));
	json_object_set_new(o, "anonymous", json_boolean(anonymous));
}
