/*
** account: registering, logging in and out, password and session settings,
** on the web (/register, /login, /logout, /settings/...) and through the JSON
** API (/api/v1/users, /api/v1/session, /api/v1/me). Errors never tell
** whether a username exists. Logins are throttled per account and per IP,
** or per device for a browser that signed in to the account before
** (forum/session.h), registrations per IP (forum/ratelimit.c, settings auth.*).
*/
#include "pages/page.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/ratelimit.h"
#include "forum/react.h"
#include "forum/session.h"
#include "forum/credit.h"
#include "forum/recover.h"
#include "util/timefmt.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* "N 秒" / "N 分钟" for a wait */
static const char *wait_text(page *p, int64_t secs) {
	if (secs < 60) return arena_sprintf(p->a, "%lld 秒", (long long)secs);
	return arena_sprintf(p->a, "%lld 分钟", (long long)((secs + 59) / 60));
}

static void retry_after(page *p, int64_t secs) {
	http_set_header(p->r, "Retry-After", arena_sprintf(p->a, "%lld", (long long)secs));
}

/* ---- login throttling: per IP and per account (name key or email) ---------- */

struct throttle { char ip[RATELIMIT_KEY_MAX], acct[RATELIMIT_KEY_MAX]; };

static void throttle_keys(page *p, const char *login, struct throttle *t) {
	char key[256];
	snprintf(t->ip, sizeof t->ip, "login:ip:%s", p->r->ip ? p->r->ip : "");
	if (strchr(login, '@')) {
		size_t n = strlen(login), i;
		for (i = 0; i < n && i < sizeof key - 1; i++)
			key[i] = (char)((login[i] >= 'A' && login[i] <= 'Z') ? login[i] + 32 : login[i]);
		key[i] = 0;
	} else if (user_name_key(login, key, sizeof key)) {
		snprintf(key, sizeof key, "%.200s", login);   /* no such account can exist; still counted */
	}
	snprintf(t->acct, sizeof t->acct, "login:acct:%s", key);
}

/* blocked on k1/k2? else checks the password; a success clears `clear`, a failure counts on k1 and k2 */
static int throttled_auth(page *p, const char *k1, int64_t max1, const char *k2, int64_t max2, const char *clear,
                          const char *login, const char *pw, int64_t *uid, int64_t *wait) {
	const struct site *st = p->site;
	int rc = ratelimit_blocked(p->db, k1, max1, k2, max2, st->login_window, p->now, wait);
	if (rc) return rc < 0 ? -1 : 2;
	rc = user_authenticate(p->db, login, pw, uid);
	if (rc < 0) return -1;
	if (rc == 1) {
		ratelimit_clear(p->db, clear);
		return 1;
	}
	int64_t count[2], retry[2];
	if (ratelimit_hit(p->db, k1, k2, st->login_window, p->now, count, retry)) return -1;
	*wait = 0;
	if (count[0] >= max1) *wait = retry[0];
	if (k2 && count[1] >= max2 && retry[1] > *wait) *wait = retry[1];
	return *wait ? 2 : 0;
}

/* the browser's login device (cookie loulan_dev): uid 0 if it has none that is known */
struct login_dev { int64_t uid; char hash[65]; };

/*
** Logs in with throttling. Returns 1 (uid set), 0 wrong login or password,
** 2 throttled (*wait set: the caller answers 429), -1 database error.
** The failure that reaches auth.login_max_failures is itself refused as
** throttled; a success clears the account's counter (not the IP's).
** A browser whose device cookie belongs to the account it names is counted
** only per device (auth.login_max_failures_device): failures by others, on
** the account or from the same address, do not lock its owner out.
*/
static int login_throttled(page *p, const char *login, const char *pw, int64_t *uid, int64_t *wait,
                           struct login_dev *dev) {
	const struct site *st = p->site;
	int64_t named = 0;
	if (session_device_lookup(p->db, http_cookie(p->r, SESSION_DEVICE_COOKIE), p->now, &dev->uid, dev->hash) < 0 ||
	    (dev->uid && user_login_uid(p->db, login, &named) < 0))
		return -1;
	if (dev->uid && named == dev->uid) {
		char key[RATELIMIT_KEY_MAX];
		snprintf(key, sizeof key, "login:dev:%s", dev->hash);
		return throttled_auth(p, key, st->login_max_failures_device, NULL, 0, key, login, pw, uid, wait);
	}
	struct throttle t;
	throttle_keys(p, login, &t);
	return throttled_auth(p, t.ip, st->login_max_failures_ip, t.acct, st->login_max_failures, t.acct, login, pw, uid,
	                      wait);
}

/* after a successful login: the browser's device is remembered (or refreshed) for uid */
static void remember_device(page *p, int64_t uid, const struct login_dev *dev) {
	char token[65];
	if (dev->uid == uid) {
		session_device_touch(p->db, dev->hash, p->now);
		return;
	}
	if (!session_device_create(p->db, uid, p->now, token))
		page_set_cookie(p, SESSION_DEVICE_COOKIE, arena_strdup(p->a, token), SESSION_DEVICE_TTL);
}

#define ACCOUNT_NEXT_MAX 511   /* bytes of a ?next= path */

/* Only local paths: "/x", never "//host", "/\\host", nor "/<TAB>/host" (browsers
** drop tabs and newlines from URLs, and read "\\" as "/"): no control
** characters, spaces or backslashes anywhere. Anything else goes to "/". */
static const char *safe_next(page *p, const char *next) {
	if (!next || next[0] != '/' || next[1] == '/' || strlen(next) > ACCOUNT_NEXT_MAX) return "/";
	for (const unsigned char *c = (const unsigned char *)next; *c; c++)
		if (*c <= ' ' || *c == 0x7f || *c == '\\') return "/";
	return next;
}

static void login_form(page *p, int status, const char *error, const char *login) {
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	if (error) tv_str(p->a, p->v, "error", error);
	const char *reset = http_query(p->r, "reset");   /* after 找回密码 (recover.c) */
	tv_bool(p->a, p->v, "reset", status == 200 && reset && !strcmp(reset, "1"));
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
	page_set_cookie(p, SESSION_COOKIE, arena_strdup(p->a, token), remember ? (long)session_ttl(1) : -1);
	user_touch(p->db, uid, p->now);
	return 0;
}

void page_login(page *p) {
	const char *login = http_form(p->r, "username");
	const char *pw = http_form(p->r, "password");
	if (!login || !pw || !*login || !*pw) {
		login_form(p, 400, "请输入用户名和密码。", login);
		return;
	}
	int64_t uid, wait;
	struct login_dev dev = {0};
	int rc = login_throttled(p, login, pw, &uid, &wait, &dev);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (rc == 2) {
		retry_after(p, wait);
		login_form(p, 429, arena_sprintf(p->a, "登录失败次数过多，请 %s后再试。", wait_text(p, wait)), login);
		return;
	}
	if (rc == 0) {
		login_form(p, 403, "登录失败：用户名或密码错误。", login);
		return;
	}
	const char *rem = http_form(p->r, "remember");
	if (start_session(p, uid, rem && *rem)) { page_error(p, 503, "暂时无法登录，请稍后再试。"); return; }
	remember_device(p, uid, &dev);
	credit_login(p->db, uid, p->now);   /* daily login reward; a failure does not stop the login */
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
	int64_t uid, wait = 0;
	struct login_dev dev = {0};
	int rc = (login && pw) ? login_throttled(p, login, pw, &uid, &wait, &dev) : 0;
	if (!login || !pw) {
		page_json_error(p, 400, "bad_request", "需要 username 和 password。");
	} else if (rc == 2) {
		retry_after(p, wait);
		page_json_error(p, 429, "too_many_requests",
		                arena_sprintf(p->a, "登录失败次数过多，请 %s后再试。", wait_text(p, wait)));
	} else if (rc < 0) {
		page_db_unavailable(p);
	} else if (rc == 0) {
		page_json_error(p, 401, "bad_credentials", "用户名或密码错误。");
	} else {
		char token[65], csrf[65];
		if (session_create(p->db, uid, 1, p->r->ip, http_header(p->r, "User-Agent"), p->now, token, csrf))
			page_json_error(p, 503, "unavailable", "暂时无法登录。");
		else {
			user_touch(p->db, uid, p->now);
			credit_login(p->db, uid, p->now);
			remember_device(p, uid, &dev);
			page_json_send(p, 200, json_pack("{s:s,s:I}", "token", token, "uid", (json_int_t)uid));
		}
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
	struct member m;
	int rc = user_get(p->db, p->a, p->me.uid, &m);
	if (rc != 1) {
		page_db_unavailable(p);
		return;
	}
	json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:I,s:I,s:I}", "uid", (json_int_t)p->me.uid, "username", p->me.name,
	                      "groupid", (json_int_t)p->me.groupid, "group", g->title, "credits", (json_int_t)m.credits,
	                      "posts", (json_int_t)m.posts, "threads", (json_int_t)m.threads);
	page_json_time(o, "regdate", m.regdate);
	page_json_time(o, "lastvisit", m.lastvisit);
	page_json_send(p, 200, o);
}

/* ---- registration (web and API share the rules) ----------------------------- */

struct reg {
	const char *name, *email, *pw, *pw2;   /* pw2 NULL: no confirmation (API) */
	const char *field, *msg;                /* the first error: field name and message */
	int status;                             /* 201, 400, 409, 429, 503 */
	int64_t uid, wait;
};

static int reg_fail(page *p, struct reg *g, int status, const char *field, const char *msg) {
	g->status = status;
	g->field = field;
	g->msg = arena_strdup(p->a, msg);
	return -1;
}

/* Validates and creates the member; fills g. Per-field errors go to errs (web) when given. */
static int do_register(page *p, struct reg *g, tv *errs) {
	const struct site *st = p->site;
	char key[RATELIMIT_KEY_MAX];
	struct forum_err e;
	int bad = 0;
	snprintf(key, sizeof key, "reg:ip:%s", p->r->ip ? p->r->ip : "");
	int rc = ratelimit_blocked(p->db, key, st->register_max, NULL, 0, st->register_window, p->now, &g->wait);
	if (rc < 0) return reg_fail(p, g, 503, NULL, FORUM_MSG_DB);
	if (rc) {
		retry_after(p, g->wait);
		return reg_fail(p, g, 429, NULL, arena_sprintf(p->a, "注册太频繁：同一 IP 每 %s最多注册 %lld 个帐号，请 %s后再试。",
		                                               wait_text(p, st->register_window), (long long)st->register_max,
		                                               wait_text(p, g->wait)));
	}
	/* every field is checked, so the form can show all errors at once */
	if (user_check_name(g->name, &e)) {
		if (!g->field) reg_fail(p, g, 400, "username", e.msg);
		if (errs) tv_str(p->a, errs, "username", arena_strdup(p->a, e.msg));
		bad = 1;
	}
	if (user_check_email(g->email, 1, &e)) {
		if (!g->field) reg_fail(p, g, 400, "email", e.msg);
		if (errs) tv_str(p->a, errs, "email", arena_strdup(p->a, e.msg));
		bad = 1;
	}
	if (user_check_password(g->name, g->pw, &e)) {
		if (!g->field) reg_fail(p, g, 400, "password", e.msg);
		if (errs) tv_str(p->a, errs, "password", arena_strdup(p->a, e.msg));
		bad = 1;
	} else if (g->pw2 && strcmp(g->pw, g->pw2)) {
		if (!g->field) reg_fail(p, g, 400, "password2", "两次输入的密码不一致");
		if (errs) tv_str(p->a, errs, "password2", "两次输入的密码不一致");
		bad = 1;
	}
	if (bad) return -1;
	rc = user_email_taken(p->db, g->email);
	if (rc < 0) return reg_fail(p, g, 503, NULL, FORUM_MSG_DB);
	if (rc) {
		if (errs) tv_str(p->a, errs, "email", "该电子邮箱已被注册");
		return reg_fail(p, g, 409, "email", "该电子邮箱已被注册");
	}
	if (user_add(p->db, g->name, g->email, g->pw, 0, &g->uid, &e)) {
		if (e.code == FORUM_E_TAKEN) {
			if (errs) tv_str(p->a, errs, "username", "该用户名已被注册（不区分大小写和全角半角）");
			return reg_fail(p, g, 409, "username", "该用户名已被注册（不区分大小写和全角半角）");
		}
		return reg_fail(p, g, 503, NULL, "暂时无法注册，请稍后再试。");
	}
	user_set_regip(p->db, g->uid, p->r->ip);   /* best effort: the member exists either way */
	/* auth.verify_email: 等待验证 (group 8: may read, not post) until the link in the mail is opened (recover.c) */
	if (st->verify_email && (user_set_group(p->db, g->uid, GROUP_PENDING) ||
	                         recover_send_confirm(p->db, g->uid, g->name, g->email, RECOVER_VERIFY, page_base_url(p), p->now)))
		return reg_fail(p, g, 503, NULL, "注册成功，但验证邮件暂时无法发送，请稍后在“设置 › Email”重新发送。");
	int64_t count[2], wait[2];
	ratelimit_hit(p->db, key, NULL, st->register_window, p->now, count, wait);
	g->status = 201;
	return 0;
}

static void register_form(page *p, int status, const char *error, const char *name, const char *email, tv *errs) {
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	if (error) tv_str(p->a, p->v, "error", error);
	tv *f = tv_add_map(p->a, p->v, "form");
	tv_str(p->a, f, "username", name ? name : "");
	tv_str(p->a, f, "email", email ? email : "");
	if (errs) tv_set(p->a, p->v, "err", errs);
	tv_int(p->a, p->v, "name_min", USER_NAME_MIN);
	tv_int(p->a, p->v, "name_max", USER_NAME_MAX);
	tv_int(p->a, p->v, "pw_min", USER_PASSWORD_MIN);
	tv_str(p->a, p->v, "next", safe_next(p, http_query(p->r, "next") ? http_query(p->r, "next") : http_form(p->r, "next")));
	page_render(p, status, "register", arena_sprintf(p->a, "注册 - %s", p->site->name));
}

void page_register_form(page *p) {
	if (p->me.uid) {
		http_redirect(p->r, 303, "/");
		return;
	}
	register_form(p, 200, NULL, NULL, NULL, NULL);
}

void page_register(page *p) {
	if (page_ip_banned(p)) return;   /* IP 禁止 (ban.c) */
	if (p->me.uid) {
		page_error(p, 400, "您已经登录，无需注册。请先退出再注册新帐号。");
		return;
	}
	struct reg g = {0};
	const char *f;
	g.name = (f = http_form(p->r, "username")) ? f : "";
	g.email = (f = http_form(p->r, "email")) ? f : "";
	g.pw = (f = http_form(p->r, "password")) ? f : "";
	g.pw2 = (f = http_form(p->r, "password2")) ? f : "";
	tv *errs = tv_map(p->a);
	if (do_register(p, &g, errs)) {
		if (g.status == 503) { page_error(p, 503, g.msg); return; }
		/* the form keeps what was typed, except the passwords */
		register_form(p, g.status, g.status == 429 ? g.msg : "请检查下面标出的项目。", g.name, g.email, errs);
		return;
	}
	if (start_session(p, g.uid, 0)) { page_error(p, 503, "注册成功，但暂时无法登录，请稍后登录。"); return; }
	/* a welcome with the next steps, which links back to where the newcomer came from */
	buf u;
	buf_init(&u, 0);
	buf_puts(&u, "/welcome?next=");
	const char *next = safe_next(p, http_form(p->r, "next"));
	buf_urlenc(&u, next, strlen(next));
	/* auth.verify_email: the e-mail page first (the link to confirm is on its way) */
	http_redirect(p->r, 303, p->site->verify_email ? "/settings/email" : u.err ? "/welcome" : arena_strndup(p->a, u.data, u.len));
	buf_release(&u);
}

/* /welcome: where registration ends (issue 17): the next steps and the way back (?next=, local only) */
void page_welcome(page *p) {
	const char *next = safe_next(p, http_query(p->r, "next"));
	if (strcmp(next, "/")) tv_str(p->a, p->v, "next", next);
	page_render(p, 200, "welcome", arena_sprintf(p->a, "欢迎加入 - %s", p->site->name));
}

void api_users_create(page *p) {
	if (page_ip_banned(p)) return;
	json_t *b = page_json_body(p);
	if (!b) return;
	struct reg g = {0};
	json_t *n = json_object_get(b, "username"), *pw = json_object_get(b, "password"), *em = json_object_get(b, "email");
	if (!json_is_string(n) || !json_is_string(pw) || (em && !json_is_string(em))) {
		json_decref(b);
		page_json_error(p, 400, "bad_request", "需要字符串字段 username、password 和 email。");
		return;
	}
	g.name = arena_strdup(p->a, json_string_value(n));
	g.pw = arena_strdup(p->a, json_string_value(pw));
	g.email = em ? arena_strdup(p->a, json_string_value(em)) : "";
	json_decref(b);
	if (do_register(p, &g, NULL)) {
		const char *code = g.status == 409 ? "conflict" : g.status == 429 ? "too_many_requests"
		                 : g.status == 400 ? "invalid" : "unavailable";
		json_t *e = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", g.msg);
		if (g.field) json_object_set_new(json_object_get(e, "error"), "field", json_string(g.field));
		page_json_send(p, g.status, e);
		return;
	}
	page_json_send(p, 201, json_pack("{s:I}", "uid", (json_int_t)g.uid));
}

/* ---- settings: password, sessions ------------------------------------------ */

void page_settings(page *p) { http_redirect(p->r, 303, "/settings/password"); }

static void password_form(page *p, int status, const char *error, tv *errs) {
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	if (error) tv_str(p->a, p->v, "error", error);
	if (errs) tv_set(p->a, p->v, "err", errs);
	const char *ch = http_query(p->r, "changed");
	tv_bool(p->a, p->v, "changed", status == 200 && ch && !strcmp(ch, "1"));
	page_render(p, status, "settings_password", arena_sprintf(p->a, "修改密码 - %s", p->site->name));
}

void page_settings_password_form(page *p) { password_form(p, 200, NULL, NULL); }

void page_settings_password(page *p) {
	const char *old = http_form(p->r, "old"), *pw = http_form(p->r, "password"), *pw2 = http_form(p->r, "password2");
	tv *errs = tv_map(p->a);
	if (!old || !*old) {
		tv_str(p->a, errs, "old", "请输入当前密码");
		password_form(p, 400, "请检查下面标出的项目。", errs);
		return;
	}
	if (!pw || !pw2 || strcmp(pw, pw2)) {
		tv_str(p->a, errs, "password2", "两次输入的新密码不一致");
		password_form(p, 400, "请检查下面标出的项目。", errs);
		return;
	}
	struct forum_err e;
	int rc = user_password_change(p->db, p->me.uid, old, pw, &e);
	if (rc == 0) {
		tv_str(p->a, errs, "old", "当前密码不正确");
		password_form(p, 403, "当前密码不正确。", errs);
		return;
	}
	if (rc < 0) {
		tv_str(p->a, errs, "password", arena_strdup(p->a, e.msg));
		password_form(p, 400, "请检查下面标出的项目。", errs);
		return;
	}
	/* everyone else holding an old session is signed out, and other browsers are no longer known
	   devices (one that knew the old password cannot skip the lockout); this one stays */
	session_delete_others(p->db, p->me.uid, p->me.token_hash);
	session_device_forget_others(p->db, p->me.uid, http_cookie(p->r, SESSION_DEVICE_COOKIE));
	recover_forget(p->db, p->me.uid);   /* a 找回密码 link asked for before no longer works */
	http_redirect(p->r, 303, "/settings/password?changed=1");
}

/* a short, readable device name in Chinese from a User-Agent ("Windows 电脑上的 Chrome 浏览器") */
static const char *device_name(page *p, const char *ua) {
	if (!ua || !*ua) return "未知设备";
	const char *br = strstr(ua, "Edg/") ? "Edge" : strstr(ua, "Firefox/") ? "Firefox"
	               : (strstr(ua, "Chrome/") || strstr(ua, "Chromium/")) ? "Chrome"
	               : strstr(ua, "Safari/") ? "Safari" : NULL;
	if (strstr(ua, "curl/")) return "命令行工具（curl）";
	const char *os = strstr(ua, "Android") ? "Android 手机" : strstr(ua, "iPhone") ? "iPhone" : strstr(ua, "iPad") ? "iPad"
	               : strstr(ua, "Windows") ? "Windows 电脑" : strstr(ua, "Mac OS") ? "Mac 电脑"
	               : strstr(ua, "Linux") ? "Linux 电脑" : NULL;
	if (br && os) return arena_sprintf(p->a, "%s上的 %s 浏览器", os, br);
	if (br) return arena_sprintf(p->a, "%s 浏览器", br);
	if (os) return os;
	return arena_sprintf(p->a, "其他设备（%.40s）", ua);
}

void page_settings_sessions(page *p) {
	struct session_row *rows;
	int n;
	if (session_list(p->db, p->a, p->me.uid, &rows, &n)) {
		page_db_unavailable(p);
		return;
	}
	tv *list = tv_add_list(p->a, p->v, "sessions");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(p->a, list);
		tv_str(p->a, m, "device", device_name(p, rows[i].ua));
		tv_str(p->a, m, "ip", rows[i].ip);
		tv_str(p->a, m, "created", timefmt_full(p->a, rows[i].created));
		tv_str(p->a, m, "lastseen", timefmt_full(p->a, rows[i].lastseen));
		tv_bool(p->a, m, "current", p->me.token_hash && !strcmp(rows[i].token_hash, p->me.token_hash));
	}
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	page_render(p, 200, "settings_sessions", arena_sprintf(p->a, "登录设备 - %s", p->site->name));
}

void page_settings_logout_all(page *p) {
	if (session_delete_user(p->db, p->me.uid)) {
		page_db_unavailable(p);
		return;
	}
	page_set_cookie(p, SESSION_COOKIE, "", 0);
	http_redirect(p->r, 303, "/login");
}
