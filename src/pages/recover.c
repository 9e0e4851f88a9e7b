/*
** recover: 找回密码 and the Email settings, on the web (/lostpasswd,
** /lostpasswd/reset, /settings/email, /settings/email/confirm) and the API
** (POST /api/v1/password-reset, /api/v1/password-reset/confirm). The rules,
** tokens and mails are forum/recover.c's; a request only queues mail.
** /lostpasswd answers the same whether or not the account exists.
*/
#include "pages/page.h"
#include "forum/recover.h"
#include "forum/user.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define LOSTPASSWD_SENT "如果该帐号存在并填写了 Email，找回密码的邮件已经发出，请查收（也请看看垃圾邮件）。链接 1 小时内有效，只能使用一次。"

static void lost_form(page *p, int status, const char *error, const char *login, int sent) {
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	if (error) tv_str(p->a, p->v, "error", error);
	tv_str(p->a, p->v, "login", login ? login : "");
	tv_bool(p->a, p->v, "sent", sent);
	if (sent) tv_str(p->a, p->v, "sent_text", LOSTPASSWD_SENT);
	tv_int(p->a, p->v, "login_max", RECOVER_LOGIN_MAX);
	page_render(p, status, "lostpasswd", arena_sprintf(p->a, "找回密码 - %s", p->site->name));
}

void page_lostpasswd_form(page *p) {
	const char *sent = http_query(p->r, "sent");
	lost_form(p, 200, NULL, NULL, sent && !strcmp(sent, "1"));
}

/* 0 queued or nothing to do (the same answer), 2 throttled per address (*wait), -1 database */
static int request_reset(page *p, const char *login, int64_t *wait) {
	return recover_request(p->db, login, p->r->ip, page_base_url(p), p->now, wait);
}

void page_lostpasswd(page *p) {
	const char *login = http_form(p->r, "login");
	if (!login || !*login) {
		lost_form(p, 400, "请输入用户名或 Email。", login, 0);
		return;
	}
	if (strlen(login) > RECOVER_LOGIN_MAX) {
		lost_form(p, 400, arena_sprintf(p->a, "用户名或 Email 最长 %d 个字节。", RECOVER_LOGIN_MAX), NULL, 0);
		return;
	}
	int64_t wait = 0;
	int rc = request_reset(p, login, &wait);
	if (rc < 0) {
		page_db_unavailable(p);
	} else if (rc == 2) {
		http_set_header(p->r, "Retry-After", arena_sprintf(p->a, "%lld", (long long)wait));
		lost_form(p, 429, arena_sprintf(p->a, "申请太频繁，请 %lld 分钟后再试。", (long long)(wait + 59) / 60), login, 0);
	} else {
		http_redirect(p->r, 303, "/lostpasswd?sent=1");   /* the same answer either way; a reload sends nothing */
	}
}

/* the link's page: the token travels in the URL, so no Referer may carry it on */
static void reset_form(page *p, int status, const char *token, const char *error, tv *errs) {
	http_set_header(p->r, "Referrer-Policy", "no-referrer");
	http_set_header(p->r, "Cache-Control", "no-store");
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	tv_str(p->a, p->v, "token", token);
	if (error) tv_str(p->a, p->v, "error", error);
	if (errs) tv_set(p->a, p->v, "err", errs);
	tv_int(p->a, p->v, "pw_min", USER_PASSWORD_MIN);
	page_render(p, status, "lostpasswd_reset", arena_sprintf(p->a, "设置新密码 - %s", p->site->name));
}

#define DEAD_LINK_PAGE "该链接无效或已过期：链接 1 小时内有效，只能使用一次，新申请的链接会使旧链接失效。请重新申请找回密码。"

void page_lostpasswd_reset_form(page *p) {
	const char *token = http_query(p->r, "token");
	int64_t uid;
	int rc = token ? recover_peek(p->db, token, RECOVER_RESET, p->now, &uid, NULL, 0) : 0;
	if (rc < 0) {
		page_db_unavailable(p);
		return;
	}
	if (!rc) {
		http_set_header(p->r, "Referrer-Policy", "no-referrer");
		page_error(p, 400, DEAD_LINK_PAGE);
		return;
	}
	reset_form(p, 200, token, NULL, NULL);
}

void page_lostpasswd_reset(page *p) {
	const char *token = http_form(p->r, "token"), *pw = http_form(p->r, "password"), *pw2 = http_form(p->r, "password2");
	if (!token) token = "";
	tv *errs = tv_map(p->a);
	if (!pw || !pw2 || strcmp(pw, pw2)) {
		tv_str(p->a, errs, "password2", "两次输入的密码不一致");
		reset_form(p, 400, token, "请检查下面标出的项目。", errs);
		return;
	}
	struct forum_err e = {0};
	int64_t uid;
	int rc = recover_reset(p->db, token, pw, p->now, &uid, &e);
	if (rc == FORUM_E_INVALID) {
		tv_str(p->a, errs, "password", arena_strdup(p->a, e.msg));
		reset_form(p, 400, token, "请检查下面标出的项目。", errs);
		return;
	}
	if (rc == FORUM_E_NOTFOUND) {
		page_error(p, 400, DEAD_LINK_PAGE);
		return;
	}
	if (rc) {
		page_forum_error(p, rc, &e);
		return;
	}
	/* every session of the member ended, this browser's too if it had one */
	if (p->me.uid == uid) page_set_cookie(p, "loulan_sid", "", 0);
	http_redirect(p->r, 303, "/login?reset=1");
}

void api_password_reset(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	json_t *v = json_object_get(b, "email");
	if (!v) v = json_object_get(b, "login");
	const char *login = json_string_value(v);
	if (!login || !*login || strlen(login) > RECOVER_LOGIN_MAX) {
		json_decref(b);
		page_json_error(p, 400, "bad_request",
		                arena_sprintf(p->a, "需要字符串字段 email（Email 或用户名，最长 %d 字节）。", RECOVER_LOGIN_MAX));
		return;
	}
	int64_t wait = 0;
	int rc = request_reset(p, login, &wait);
	json_decref(b);
	if (rc < 0) {
		page_db_unavailable(p);
	} else if (rc == 2) {
		http_set_header(p->r, "Retry-After", arena_sprintf(p->a, "%lld", (long long)wait));
		page_json_error(p, 429, "too_many_requests", "申请太频繁，请稍后再试。");
	} else {
		page_json_send(p, 202, json_pack("{s:s,s:s}", "status", "accepted", "message", LOSTPASSWD_SENT));
	}
}

void api_password_reset_confirm(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	const char *token = json_string_value(json_object_get(b, "token"));
	const char *pw = json_string_value(json_object_get(b, "password"));
	if (!token || !pw) {
		json_decref(b);
		page_json_error(p, 400, "bad_request", "需要字符串字段 token 和 password。");
		return;
	}
	struct forum_err e = {0};
	int64_t uid;
	int rc = recover_reset(p->db, token, pw, p->now, &uid, &e);
	json_decref(b);
	if (rc == FORUM_E_NOTFOUND) page_json_error(p, 400, "invalid_token", e.msg);
	else if (rc == FORUM_E_INVALID) page_json_error(p, 400, "invalid_password", e.msg);
	else if (rc) page_forum_error(p, rc, &e);
	else page_json_send(p, 200, json_pack("{s:s}", "status", "password_changed"));
}

/* ---- /settings/email: the address, its confirmation, a change ---------------- */

static void email_page(page *p, int status, const char *error, const char *notice) {
	struct member m;
	int rc = user_get(p->db, p->a, p->me.uid, &m);
	if (rc != 1) {
		page_db_unavailable(p);
		return;
	}
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	tv_str(p->a, p->v, "email", m.email);
	tv_bool(p->a, p->v, "pending", m.groupid == GROUP_PENDING);
	if (error) tv_str(p->a, p->v, "error", error);
	if (notice) tv_str(p->a, p->v, "notice", notice);
	const char *q = http_query(p->r, "confirmed");
	tv_bool(p->a, p->v, "confirmed", status == 200 && q && !strcmp(q, "1"));
	tv_int(p->a, p->v, "email_max", USER_EMAIL_MAX);
	page_render(p, status, "settings_email", arena_sprintf(p->a, "Email - %s", p->site->name));
}

void page_settings_email_form(page *p) { email_page(p, 200, NULL, NULL); }

/* a new address: checked, the current password asked, the link sent to the new address */
void page_settings_email(page *p) {
	const char *email = http_form(p->r, "email"), *pw = http_form(p->r, "password");
	struct forum_err e = {0};
	if (!email || user_check_email(email, 1, &e)) {
		email_page(p, 400, email ? e.msg : "请填写 Email 地址", NULL);
		return;
	}
	int64_t uid;
	int rc = pw ? user_authenticate(p->db, p->me.name, pw, &uid) : 0;
	if (rc < 0) {
		page_db_unavailable(p);
		return;
	}
	if (!rc || uid != p->me.uid) {
		email_page(p, 403, "当前密码不正确。", NULL);
		return;
	}
	rc = user_email_taken(p->db, email);
	if (rc) {
		if (rc < 0) page_db_unavailable(p);
		else email_page(p, 409, "该 Email 地址已被注册", NULL);
		return;
	}
	if (recover_send_confirm(p->db, p->me.uid, p->me.name, email, RECOVER_EMAIL, page_base_url(p), p->now)) {
		page_db_unavailable(p);
		return;
	}
	email_page(p, 200, NULL, arena_sprintf(p->a, "确认邮件已发往 %s，打开邮件中的链接后新地址才会生效。", email));
}

/* a member waiting in 等待验证 asks for the confirmation mail again */
void page_settings_email_resend(page *p) {
	struct member m;
	int rc = user_get(p->db, p->a, p->me.uid, &m);
	if (rc != 1) {
		page_db_unavailable(p);
		return;
	}
	if (m.groupid != GROUP_PENDING || !*m.email) {
		email_page(p, 400, "您的 Email 不需要验证。", NULL);
		return;
	}
	if (recover_send_confirm(p->db, m.uid, m.name, m.email, RECOVER_VERIFY, page_base_url(p), p->now)) {
		page_db_unavailable(p);
		return;
	}
	email_page(p, 200, NULL, arena_sprintf(p->a, "验证邮件已重新发往 %s（之前的链接已失效）。", m.email));
}

/* the link from the mail (a new member's address, or a changed one): a page whose button confirms (a POST) */
void page_settings_email_confirm_form(page *p) {
	const char *token = http_query(p->r, "token");
	http_set_header(p->r, "Referrer-Policy", "no-referrer");
	http_set_header(p->r, "Cache-Control", "no-store");
	char email[USER_EMAIL_MAX + 1] = "";
	int64_t uid;
	int kind = RECOVER_EMAIL;
	int rc = token ? recover_peek(p->db, token, RECOVER_EMAIL, p->now, &uid, email, sizeof email) : 0;
	if (rc == 0 && token) {
		kind = RECOVER_VERIFY;
		rc = recover_peek(p->db, token, RECOVER_VERIFY, p->now, &uid, NULL, 0);
	}
	if (rc < 0) {
		page_db_unavailable(p);
		return;
	}
	if (!rc) {
		page_error(p, 400, "该链接无效或已过期，请登录后在“设置 › Email”重新发送。");
		return;
	}
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	tv_str(p->a, p->v, "token", token);
	tv_bool(p->a, p->v, "change", kind == RECOVER_EMAIL);
	tv_str(p->a, p->v, "new_email", arena_strdup(p->a, email));
	page_render(p, 200, "email_confirm", arena_sprintf(p->a, "确认 Email - %s", p->site->name));
}

void page_settings_email_confirm(page *p) {
	const char *token = http_form(p->r, "token");
	struct forum_err e = {0};
	int64_t uid;
	int rc = FORUM_E_NOTFOUND;
	if (token) {
		rc = recover_confirm(p->db, token, RECOVER_EMAIL, p->now, &uid, &e);
		if (rc == FORUM_E_NOTFOUND) rc = recover_confirm(p->db, token, RECOVER_VERIFY, p->now, &uid, &e);
	}
	if (rc == FORUM_E_NOTFOUND) {
		page_error(p, 400, "该链接无效或已过期，请登录后在“设置 › Email”重新发送。");
		return;
	}
	if (rc) {
		page_forum_error(p, rc, &e);
		return;
	}
	http_redirect(p->r, 303, p->me.uid == uid ? "/settings/email?confirmed=1" : "/login");
}
