/*
** account: logging in and out, on the web (/login, /logout) and through the
** JSON API (/api/v1/session, /api/v1/me). Errors never tell whether a
** username exists.
*/
#include "pages/page.h"
#include "forum/session.h"
#include <jansson.h>
#include <string.h>

static const char *safe_next(page *p, const char *next) {
	/* only local paths: "/x", never "//host" or "/\host" */
	if (next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && strlen(next) < 512 && !strpbrk(next, "\r\n"))
		return next;
	return "/";
}

static void login_form(page *p, int status, const char *error, const char *login) {
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	if (error) tv_str(p->a, p->v, "error", error);
	tv_str(p->a, p->v, "login", login ? login : "");
	tv_str(p->a, p->v, "next", safe_next(p, http_query(p->r, "next") ? http_query(p->r, "next") : http_form(p->r, "next")));
	page_render(p, status, "login", arena_sprintf(p->a, "登录 - %s", p->site->name));
}

void page_login_form(page *p) {
	if (p->me.uid) {
		http_redirect(p->r, 303, "/");
		return;
	}
	login_form(p, 200, NULL, NULL);
}

/* starts a session and sets the cookie; returns 0 */
static int start_session(page *p, int64_t uid, int remember) {
	char token[65], csrf[65];
	if (session_create(p->db, uid, remember, p->r->ip, http_header(p->r, "User-Agent"), p->now, token, csrf)) return -1;
	page_set_cookie(p, SESSION_COOKIE, arena_strdup(p->a, token), remember ? SESSION_TTL_LONG : -1);
	return 0;
}

void page_login(page *p) {
	const char *login = http_form(p->r, "username");
	const char *pw = http_form(p->r, "password");
	if (!login || !pw || !*login || !*pw) {
		login_form(p, 400, "请输入用户名和密码。", login);
		return;
	}
	int64_t uid;
	int rc = user_authenticate(p->db, login, pw, &uid);
	if (rc < 0) { page_error(p, 503, "数据库暂时不可用，请稍后再试。"); return; }
	if (rc == 0) {
		login_form(p, 403, "登录失败：用户名或密码错误。", login);
		return;
	}
	const char *rem = http_form(p->r, "remember");
	if (start_session(p, uid, rem && *rem)) { page_error(p, 503, "暂时无法登录，请稍后再试。"); return; }
	http_redirect(p->r, 303, safe_next(p, http_form(p->r, "next")));
}

void page_logout(page *p) {
	if (p->me.token) session_delete(p->db, p->me.token);
	page_set_cookie(p, SESSION_COOKIE, "", 0);
	http_redirect(p->r, 303, "/");
}

/* ---- API ------------------------------------------------------------------ */

void api_session_create(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	const char *login = json_string_value(json_object_get(b, "username"));
	const char *pw = json_string_value(json_object_get(b, "password"));
	int64_t uid;
	int rc = (login && pw) ? user_authenticate(p->db, login, pw, &uid) : 0;
	if (!login || !pw) {
		page_json_error(p, 400, "bad_request", "需要 username 和 password。");
	} else if (rc < 0) {
		page_json_error(p, 503, "unavailable", "数据库暂时不可用。");
	} else if (rc == 0) {
		page_json_error(p, 401, "bad_credentials", "用户名或密码错误。");
	} else {
		char token[65], csrf[65];
		if (session_create(p->db, uid, 1, p->r->ip, http_header(p->r, "User-Agent"), p->now, token, csrf))
			page_json_error(p, 503, "unavailable", "暂时无法登录。");
		else
			page_json_send(p, 200, json_pack("{s:s,s:I}", "token", token, "uid", (json_int_t)uid));
	}
	json_decref(b);
}

void api_session_delete(page *p) {
	session_delete(p->db, p->me.token);
	p->r->status = 204;
	p->r->ctype = NULL;
	buf_reset(&p->r->out);
}

void api_me(page *p) {
	const struct group *g = group_get(p->me.groupid);
	page_json_send(p, 200, json_pack("{s:I,s:s,s:I,s:s}", "uid", (json_int_t)p->me.uid, "username", p->me.name,
	                                 "groupid", (json_int_t)p->me.groupid, "group", g->title));
}
