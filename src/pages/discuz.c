/*
** discuz: old Discuz! X3.5 URLs answer 301 to the canonical page, so links
** from search engines and other sites keep working after a move:
**   forum.php                                   -> /
**   forum.php?mod=viewthread&tid=N[&page=P]     -> /t/N[?page=P]
**   forum.php?mod=forumdisplay&fid=N[&page=P]   -> /f/N[?page=P]
**   thread-N-P-1.html                           -> /t/N[?page=P]
**   forum-N-P.html                              -> /f/N[?page=P]
**   forum.php?mod=redirect&goto=findpost&pid=N  -> /p/N (302), then the floor's page and anchor
**   forum.php?mod=guide&view=V                  -> /guide?view=V
**   forum.php?mod=rss[&fid=N]                   -> /rss, /f/N/rss
**   forum.php?mod=attachment&aid=X              -> /a/N/o (X: N, or Discuz!'s base64 "N|sig|time|uid|tid")
**   forum.php?mod=misc&action=showdarkroom      -> /blacklist (301, 小黑屋)
**   home.php?mod=space&uid=N, space-uid-N.html  -> /u/N (the user page, issue #15)
**   home.php?mod=space&do=pm, mod=spacecp&ac=pm -> /pm (短消息); mod=spacecp&ac=profile -> /settings/profile
**   member.php?mod=lostpasswd                   -> /lostpasswd (301; also mod=register, mod=logging&action=login)
** None of them reads the forum: they never name a thread (the target checks the board).
*/
#include "pages/page.h"
#include "forum/read.h"
#include "pages/urlparse.h"
#include <stdio.h>
#include <string.h>

static void moved(page *p, const char *kind, int64_t id, int pg) {
	char url[96];
	if (pg > 1) snprintf(url, sizeof url, "/%s/%lld?page=%d", kind, (long long)id, pg);
	else snprintf(url, sizeof url, "/%s/%lld", kind, (long long)id);
	http_redirect(p->r, 301, url);
	http_set_header(p->r, "Cache-Control", "public, max-age=86400");
}

void page_discuz_forum(page *p) {
	const char *mod = http_query(p->r, "mod");
	int64_t id;
	int pg;
	if (!mod || !*mod || !strcmp(mod, "index")) {
		http_redirect(p->r, 301, "/");
		return;
	}
	if (!strcmp(mod, "viewthread")) {
		if (page_id(p, http_query(p->r, "tid"), &id) || page_number(p, "page", &pg)) return;
		moved(p, "t", id, pg);
	} else if (!strcmp(mod, "forumdisplay")) {
		if (page_id(p, http_query(p->r, "fid"), &id) || page_number(p, "page", &pg)) return;
		moved(p, "f", id, pg);
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
		page_discuz_attachment(p);   /* attach.c: the aid, plain or base64 "aid|sig|time|uid|tid" */
	} else if (!strcmp(mod, "redirect") && http_query(p->r, "goto") && !strcmp(http_query(p->r, "goto"), "findpost")) {
		/* to /p/N, which knows the viewer (this route does not) and checks the board */
		if (page_id(p, http_query(p->r, "pid"), &id)) return;
		char url[48];
		snprintf(url, sizeof url, "/p/%lld", (long long)id);
		http_redirect(p->r, 302, url);
	} else if (!strcmp(mod, "misc") && http_query(p->r, "action") && !strcmp(http_query(p->r, "action"), "showdarkroom")) {
		http_redirect(p->r, 301, "/blacklist");   /* 小黑屋 */
	} else {
		page_error(p, 404, "您要找的页面不存在。");
	}
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
	} else if (!strcmp(s, "archiver")) {   /* the Archiver lives at /archiver/ (issue 14) */
		http_redirect(p->r, 301, "/archiver/");
	} else {
		page_error(p, 404, "您要找的页面不存在，可能已被删除或移动。");
	}
}

/* member.php (issue #15): mod=lostpasswd -> /lostpasswd, mod=logging&action=login -> /login,
   mod=register -> /register (301) */
void page_discuz_member(page *p) {
	const char *mod = http_query(p->r, "mod"), *action = http_query(p->r, "action");
	const char *to = !mod ? NULL
	               : !strcmp(mod, "lostpasswd") ? "/lostpasswd"
	               : !strcmp(mod, "register") ? "/register"
	               : (!strcmp(mod, "logging") && action && !strcmp(action, "login")) ? "/login" : NULL;
	if (!to) {
		page_error(p, 404, "您要找的页面不存在。");
		return;
	}
	http_redirect(p->r, 301, to);
	http_set_header(p->r, "Cache-Control", "public, max-age=86400");
}

/* home.php: a member's space (the user page), 短消息 and the profile settings (issue #15). With no
   mod, Discuz! shows the space. */
void page_discuz_home(page *p) {
	const char *mod = http_query(p->r, "mod"), *do_ = http_query(p->r, "do"), *ac = http_query(p->r, "ac");
	int64_t id;
	if ((!mod || !strcmp(mod, "space")) && do_ && !strcmp(do_, "pm")) {
		http_redirect(p->r, 301, "/pm");
	} else if (!mod || !strcmp(mod, "space")) {
		if (!http_query(p->r, "uid")) { page_error(p, 404, "您要找的页面不存在。"); return; }
		if (page_id(p, http_query(p->r, "uid"), &id)) return;
		moved(p, "u", id, 1);
	} else if (!strcmp(mod, "spacecp") && ac && !strcmp(ac, "pm")) {
		http_redirect(p->r, 301, "/pm");
	} else if (!strcmp(mod, "spacecp") && ac && !strcmp(ac, "profile")) {
		http_redirect(p->r, 301, "/settings/profile");
	} else {
		page_error(p, 404, "您要找的页面不存在。");
	}
}
