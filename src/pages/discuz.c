/*
** discuz: old Discuz! X3.5 (and 6/7) URLs answer 301 to the canonical page, so links from search
** engines and other sites keep working after a move (FACTS §5; issue 18):
**   forum.php                                   -> /
**   forum.php?gid=N                             -> /#cN (the category on the index)
**   forum.php?mod=viewthread&tid=N[&page=P]     -> /t/N[?page=P]; &authorid=U -> /t/N?author=U (只看该作者),
**                                                  &ordertype=1 -> /t/N?order=desc (倒序浏览); extra= ignored
**   forum.php?mod=forumdisplay&fid=N[&page=P]   -> /f/N[?page=P]
**   thread-N-P-X.html, forum-N-P.html           -> /t/N[?page=P], /f/N[?page=P] (X: the board page, ignored)
**   forum.php?mod=redirect&goto=findpost&pid=N  -> /p/N (302), then the floor's page and anchor;
**     &ptid=T alone -> /t/T; &ptid=T&postno=F -> floor F's page of /t/T;
**     goto=lastpost&tid=T -> the last page of /t/T (302); goto=nextnewset|nextoldset&tid=T -> /t/T/next|prev (302)
**   forum.php?mod=guide&view=V                  -> /guide?view=V
**   forum.php?mod=rss[&fid=N]                   -> /rss, /f/N/rss
**   forum.php?mod=attachment&aid=X              -> /a/N/o (X: N, or Discuz!'s base64 "N|sig|time|uid|tid")
**   data/attachment/forum/PATH[.thumb.jpg]      -> /a/N/o (/a/N/thumb) by legacy_path (import-discuz)
**   forum.php?mod=misc&action=showdarkroom      -> /blacklist (301, 小黑屋)
**   home.php?mod=space&uid=N|username=X[&do=..], space-uid-N.html, space-username-X.html -> /u/N
**   home.php?mod=space&do=pm, mod=spacecp&ac=pm -> /pm (短消息); mod=spacecp&ac=profile -> /settings/profile
**   member.php?mod=lostpasswd|register|logging  -> /lostpasswd, /register, /login (logout: / -- a GET logs no one out)
**   uc_server/avatar.php?uid=N&size=S, api/avatar/index.php?uid=N -> /avatar/N/200|120|48
**   archiver/index.php, archiver/tid-N.html, archiver/fid-N[-page-P].html -> /archiver/[?tid-N.html...]
**   viewthread.php?tid=, forumdisplay.php?fid=, redirect.php?goto=, space.php?uid= (Discuz! 6/7): as above
** Most read nothing: the target checks the board. A username, a legacy path and goto=lastpost read one row.
** Unknown forms answer a Chinese 404, malformed ids 400.
*/
#include "pages/page.h"
#include "forum/read.h"
#include "forum/user.h"
#include "forum/attach.h"
#include "pages/urlparse.h"
#include <stdio.h>
#include <string.h>

static void moved_url(page *p, int status, const char *url) {
	http_redirect(p->r, status, url);
	if (status == 301) http_set_header(p->r, "Cache-Control", "public, max-age=86400");
}

static void moved(page *p, const char *kind, int64_t id, int pg) {
	char url[96];
	if (pg > 1) snprintf(url, sizeof url, "/%s/%lld?page=%d", kind, (long long)id, pg);
	else snprintf(url, sizeof url, "/%s/%lld", kind, (long long)id);
	moved_url(p, 301, url);
}

static int is(const char *s, const char *lit) { return s && !strcmp(s, lit); }

/* viewthread (X3.5 forum.php?mod=viewthread, 6/7 viewthread.php): tid, page, authorid, ordertype */
static void viewthread(page *p) {
	int64_t id, author = 0;
	int pg;
	if (page_id(p, http_query(p->r, "tid"), &id) || page_number(p, "page", &pg)) return;
	const char *au = http_query(p->r, "authorid");
	if (au && *au && page_id(p, au, &author)) return;
	char url[128];
	if (author) {   /* 只看该作者: floors by a position cursor, so the page number does not carry over */
		snprintf(url, sizeof url, "/t/%lld?author=%lld", (long long)id, (long long)author);
		moved_url(p, 301, url);
	} else if (is(http_query(p->r, "ordertype"), "1")) {   /* 倒序浏览 */
		if (pg > 1) snprintf(url, sizeof url, "/t/%lld?order=desc&page=%d", (long long)id, pg);
		else snprintf(url, sizeof url, "/t/%lld?order=desc", (long long)id);
		moved_url(p, 301, url);
	} else {
		moved(p, "t", id, pg);
	}
}

/* forum.php?mod=redirect and 6/7's redirect.php (forum_redirect.php l.18-150) */
static void redirect(page *p) {
	const char *go = http_query(p->r, "goto"), *pid = http_query(p->r, "pid"), *ptid = http_query(p->r, "ptid");
	int64_t id;
	char url[96];
	if ((!go || !*go) && ptid) go = "findpost";   /* a ptid alone implies findpost */
	if (is(go, "findpost")) {
		if (pid && *pid) {   /* to /p/N, which knows the viewer (this route does not) and checks the board */
			if (page_id(p, pid, &id)) return;
			snprintf(url, sizeof url, "/p/%lld", (long long)id);
			moved_url(p, 302, url);
			return;
		}
		if (page_id(p, ptid, &id)) return;
		const char *no = http_query(p->r, "postno");
		int64_t floor = 1;
		if (no && *no && page_id(p, no, &floor)) return;
		int64_t pg = (floor - 1) / FORUM_FLOORS_PER_PAGE + 1;
		if (pg > FORUM_MAX_PAGE) { page_error(p, 400, "参数无效：楼层号太大。"); return; }
		moved(p, "t", id, (int)pg);
	} else if (is(go, "lastpost")) {
		if (page_id(p, http_query(p->r, "tid"), &id)) return;
		struct thread t;
		int rc = forum_thread(p->db, p->a, id, &t);
		if (rc < 0) { page_db_unavailable(p); return; }
		if (!rc) { page_error(p, 404, "指定的主题不存在或已被删除。"); return; }
		/* this route knows no viewer: a board guests may not see gets the thread's own URL, which checks */
		struct actor guest = {0, GROUP_GUEST, "", 0};
		int64_t last = forum_can_view(&guest, t.fid, NULL) ? (t.maxposition + FORUM_FLOORS_PER_PAGE - 1) / FORUM_FLOORS_PER_PAGE : 1;
		if (last > 1) snprintf(url, sizeof url, "/t/%lld?page=%lld", (long long)id, (long long)last);
		else snprintf(url, sizeof url, "/t/%lld", (long long)id);
		moved_url(p, 302, url);   /* the last page moves as replies come */
	} else if (is(go, "nextnewset") || is(go, "nextoldset")) {   /* 下一主题 (newer) / 上一主题 (older) */
		if (page_id(p, http_query(p->r, "tid"), &id)) return;
		snprintf(url, sizeof url, "/t/%lld/%s", (long long)id, is(go, "nextnewset") ? "next" : "prev");
		moved_url(p, 302, url);
	} else {
		page_error(p, 404, "您要找的页面不存在。");
	}
}

static void forumdisplay(page *p) {
	int64_t id;
	int pg;
	if (page_id(p, http_query(p->r, "fid"), &id) || page_number(p, "page", &pg)) return;
	moved(p, "f", id, pg);
}

void page_discuz_forum(page *p) {
	const char *mod = http_query(p->r, "mod"), *gid = http_query(p->r, "gid");
	int64_t id;
	if ((!mod || !*mod || !strcmp(mod, "index")) && gid) {   /* a category (Discuz! type='group') */
		if (page_id(p, gid, &id)) return;
		char url[48];
		snprintf(url, sizeof url, "/#c%lld", (long long)id);
		moved_url(p, 301, url);
		return;
	}
	if (!mod || !*mod || !strcmp(mod, "index")) {
		http_redirect(p->r, 301, "/");
		return;
	}
	if (!strcmp(mod, "viewthread")) {
		viewthread(p);
	} else if (!strcmp(mod, "forumdisplay")) {
		forumdisplay(p);
	} else if (!strcmp(mod, "guide")) {   /* 导读 (issue 14): view=hot|digest|new|newthread */
		const char *v = http_query(p->r, "view");
		int known = v && (!strcmp(v, "hot") || !strcmp(v, "digest") || !strcmp(v, "new") || !strcmp(v, "newthread"));
		char url[48];
		snprintf(url, sizeof url, "/guide%s%s", known ? "?view=" : "", known ? v : "");
		http_redirect(p->r, 301, url);
	} else if (!strcmp(mod, "rss")) {     /* RSS (issue 14): fid=N, or the whole site */
		const char *f = http_query(p->r, "fid");
		if (f && *f) {
			if (page_id(p, f, &id)) return;
			char url[48];
			snprintf(url, sizeof url, "/f/%lld/rss", (long long)id);
			http_redirect(p->r, 301, url);
		} else {
			http_redirect(p->r, 301, "/rss");
		}
	} else if (!strcmp(mod, "attachment")) {
		page_discuz_attachment(p);   /* attach.c: the aid, plain or base64 "aid|sig|time|uid|tid"; nothumb, request, _f ignored */
	} else if (!strcmp(mod, "redirect")) {
		redirect(p);
	} else if (!strcmp(mod, "misc") && is(http_query(p->r, "action"), "showdarkroom")) {
		http_redirect(p->r, 301, "/blacklist");   /* 小黑屋 */
	} else {
		page_error(p, 404, "您要找的页面不存在。");
	}
}

/* Discuz! 6/7: viewthread.php, forumdisplay.php, redirect.php */
void page_discuz_d7(page *p) {
	const char *path = p->r->path;
	if (!strcmp(path, "/viewthread.php")) viewthread(p);
	else if (!strcmp(path, "/forumdisplay.php")) forumdisplay(p);
	else redirect(p);
}

/* a member by name (home.php?username=, space-username-X.html): 301 to /u/N, or 404 */
static void space_by_name(page *p, const char *name) {
	int64_t uid = 0;
	int rc = strlen(name) > 255 ? 0 : user_find(p->db, name, &uid);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的用户不存在。"); return; }
	moved(p, "u", uid, 1);
}

void page_discuz_html(page *p) {
	const char *s = p->r->seg[0];
	int64_t v[3];
	int rc;
	if ((rc = url_dashed(s, "thread-", v, 3)) != 0) {
		if (rc < 0 || v[1] > FORUM_MAX_PAGE) { page_error(p, 400, "参数无效。"); return; }
		moved(p, "t", v[0], (int)v[1]);
	} else if ((rc = url_dashed(s, "forum-", v, 2)) != 0) {
		if (rc < 0 || v[1] > FORUM_MAX_PAGE) { page_error(p, 400, "参数无效。"); return; }
		moved(p, "f", v[0], (int)v[1]);
	} else if ((rc = url_dashed(s, "space-uid-", v, 1)) != 0) {
		if (rc < 0) { page_error(p, 400, "参数无效。"); return; }
		moved(p, "u", v[0], 1);
	} else if (!strncmp(s, "space-username-", 15) && strlen(s) > 20 && !strcmp(s + strlen(s) - 5, ".html")) {
		space_by_name(p, arena_strndup(p->a, s + 15, strlen(s) - 20));
	} else if (!strcmp(s, "archiver")) {   /* the Archiver lives at /archiver/ (issue 14) */
		http_redirect(p->r, 301, "/archiver/");
	} else {
		page_error(p, 404, "您要找的页面不存在，可能已被删除或移动。");
	}
}

/* archiver/index.php and the rewritten archiver/tid-N.html, fid-N[-page-P].html -> /archiver/?... */
void page_discuz_archiver(page *p) {
	const char *s = p->r->seg[0];
	int64_t id;
	int pg, rc;
	if (!strcmp(s, "index.php")) {
		const char *k = http_query_first_key(p->r);
		if (!k) { moved_url(p, 301, "/archiver/"); return; }
		if ((rc = url_archiver(k, "fid", &id, &pg)) == 0) rc = url_archiver(k, "tid", &id, &pg);
		if (rc <= 0) { page_error(p, rc < 0 ? 400 : 404, rc < 0 ? "参数无效。" : "您要找的页面不存在。"); return; }
		moved_url(p, 301, arena_sprintf(p->a, "/archiver/?%s", k));
		return;
	}
	const char *kind = !strncmp(s, "tid-", 4) ? "tid" : !strncmp(s, "fid-", 4) ? "fid" : NULL;
	if (!kind) { page_error(p, 404, "您要找的页面不存在。"); return; }
	if (url_archiver(s, kind, &id, &pg) != 1) { page_error(p, 400, "参数无效。"); return; }
	moved_url(p, 301, pg > 1 ? arena_sprintf(p->a, "/archiver/?%s-%lld-page-%d.html", kind, (long long)id, pg)
	                         : arena_sprintf(p->a, "/archiver/?%s-%lld.html", kind, (long long)id));
}

/* data/attachment/forum/PATH and PATH.thumb.jpg: the attachment it became (legacy_path), through /a/N/...
   so the attachment route's permission check applies */
void page_discuz_legacy_file(page *p) {
	char path[ATTACH_LEGACY_PATH_MAX + 1];
	size_t n = 0;
	for (int i = 0; i < p->r->nseg; i++) {
		size_t l = strlen(p->r->seg[i]);
		if (n + l + 1 > ATTACH_LEGACY_PATH_MAX || !strcmp(p->r->seg[i], "..") || !strcmp(p->r->seg[i], ".")) {
			page_error(p, 404, "附件不存在或已被删除。");
			return;
		}
		if (i) path[n++] = '/';
		memcpy(path + n, p->r->seg[i], l);
		n += l;
	}
	path[n] = 0;
	int thumb = n > 10 && !strcmp(path + n - 10, ".thumb.jpg");
	int64_t aid = 0;
	int rc = attach_legacy_aid(p->db, path, &aid);
	if (!rc && thumb) {
		path[n - 10] = 0;
		rc = attach_legacy_aid(p->db, path, &aid);
	} else {
		thumb = 0;
	}
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "附件不存在或已被删除。"); return; }
	char url[64];
	snprintf(url, sizeof url, "/a/%lld/%s", (long long)aid, thumb ? "thumb" : "o");
	moved_url(p, 301, url);
}

/* uc_server/avatar.php?uid=N&size=big|middle|small (UCenter) and api/avatar/index.php?uid=N (standalone) */
void page_discuz_avatar(page *p) {
	int64_t uid;
	if (page_id(p, http_query(p->r, "uid"), &uid)) return;
	const char *size = http_query(p->r, "size");
	int px = is(size, "big") ? 200 : is(size, "small") ? 48 : 120;   /* middle, the default */
	if (size && *size && px == 120 && !is(size, "middle")) { page_error(p, 400, "参数无效：size 只能是 big、middle、small。"); return; }
	char url[64];
	snprintf(url, sizeof url, "/avatar/%lld/%d", (long long)uid, px);
	moved_url(p, 301, url);
}

/* member.php (issue #15): mod=lostpasswd -> /lostpasswd, mod=logging&action=login -> /login,
   mod=register (and the usual regname values) -> /register (301); action=logout -> / (logging out is a POST) */
void page_discuz_member(page *p) {
	const char *mod = http_query(p->r, "mod"), *action = http_query(p->r, "action");
	const char *to = !mod ? NULL
	               : (!strcmp(mod, "lostpasswd") || !strcmp(mod, "getpasswd")) ? "/lostpasswd"
	               : (!strcmp(mod, "register") || !strcmp(mod, "reg") || !strcmp(mod, "regist") ||
	                  !strcmp(mod, "join") || !strcmp(mod, "signup")) ? "/register"
	               : (!strcmp(mod, "logging") && is(action, "login")) ? "/login"
	               : (!strcmp(mod, "logging") && is(action, "logout")) ? "/" : NULL;
	if (!to) {
		page_error(p, 404, "您要找的页面不存在。");
		return;
	}
	moved_url(p, 301, to);
}

/* home.php: a member's space (the user page), 短消息 and the profile settings (issue #15). With no
   mod, Discuz! shows the space; do=profile|thread|reply|... all show on /u/N. 6/7's space.php too. */
void page_discuz_home(page *p) {
	const char *mod = http_query(p->r, "mod"), *do_ = http_query(p->r, "do"), *ac = http_query(p->r, "ac");
	int64_t id;
	if ((!mod || !strcmp(mod, "space")) && is(do_, "pm")) {
		http_redirect(p->r, 301, "/pm");
	} else if (!mod || !strcmp(mod, "space")) {
		const char *uid = http_query(p->r, "uid"), *name = http_query(p->r, "username");
		if (uid) {
			if (page_id(p, uid, &id)) return;
			moved(p, "u", id, 1);
		} else if (name && *name) {
			space_by_name(p, name);
		} else {
			page_error(p, 404, "您要找的页面不存在。");
		}
	} else if (!strcmp(mod, "spacecp") && is(ac, "pm")) {
		http_redirect(p->r, 301, "/pm");
	} else if (!strcmp(mod, "spacecp") && is(ac, "profile")) {
		http_redirect(p->r, 301, "/settings/profile");
	} else {
		page_error(p, 404, "您要找的页面不存在。");
	}
}
