/*
** pm: 短消息 (see pm.h). Conversations, their members, messages, the block
** list and reports. Every read of a conversation goes through its pm_member
** row: a member who is not in it (admins included) gets "not found".
*/
#include "forum/pm.h"
#include "forum/cachegen.h"
#include "forum/site.h"
#include "forum/user.h"
#include "forum/attach.h"
#include "forum/ratelimit.h"
#include "forum/notify.h"
#include "markup/bbcode.h"
#include "markup/attach.h"
#include "search/search.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pm_unread(db *d, int64_t uid, int64_t *n) {
	db_stmt *s = db_prep(d, "SELECT COALESCE(SUM(unread), 0) FROM pm_member WHERE uid = $1 AND unread > 0");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) *n = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

int pm_can_send(const struct actor *who, const char **why) {
	if (who->override) return 1;
	if (!who->uid) { *why = "请先登录。"; return 0; }
	if (who->groupid == GROUP_BANNED_VISIT) { *why = "您已被禁止访问，不能发送短消息。"; return 0; }
	if (who->groupid == GROUP_BANNED_POST) { *why = "您已被禁止发言，不能发送短消息。"; return 0; }
	if (who->groupid == GROUP_PENDING) { *why = "您的帐号尚未通过验证，不能发送短消息。"; return 0; }
	return 1;
}

/* a recipients separator at s: its length, or 0 (names never hold ',': user_check_name) */
static int sep_len(const char *s) {
	if (*s == ',' || *s == ';' || *s == '\n' || *s == '\r') return 1;
	if (!strncmp(s, "\xef\xbc\x8c", 3) || !strncmp(s, "\xe3\x80\x81", 3) || !strncmp(s, "\xef\xbc\x9b", 3))
		return 3;   /* ， 、 ； */
	return 0;
}

int pm_split_names(arena *a, const char *s, const char **out, int max) {
	int n = 0;
	while (s && *s) {
		const char *b = s;
		while (*s && !sep_len(s)) s++;
		const char *e = s;
		while (b < e && (*b == ' ' || *b == '\t')) b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
		if (e > b) {
			if (n == max) return -1;
			out[n++] = arena_strndup(a, b, (size_t)(e - b));
		}
		if (*s) s += sep_len(s);
	}
	return n;
}

/* ---- rendering: BBCODE_PM, images only from the sender's uploads ---- */

#define PM_ATTACH_MAX 20
static _Thread_local struct pm_scope {
	db *d;
	int64_t uid;
	int n;
	int64_t aid[PM_ATTACH_MAX];
} g_pm;

static int pm_attach_fn(int64_t aid, struct markup_attach *out) {
	if (g_pm.n == PM_ATTACH_MAX) return 0;
	db_stmt *s = db_prep(g_pm.d, "SELECT disp_w, disp_h, width, height, filename, size FROM attachment "
	                             "WHERE aid = $1 AND uid = $2 AND is_image = 1");
	db_bind_int(s, 1, aid);
	db_bind_int(s, 2, g_pm.uid);
	int ok = db_step(s) == DB_ROW;
	if (ok) {
		memset(out, 0, sizeof *out);
		out->is_image = 1;
		out->width = (int)(db_int(s, 0) ? db_int(s, 0) : db_int(s, 2));
		out->height = (int)(db_int(s, 1) ? db_int(s, 1) : db_int(s, 3));
		out->filename = "";   /* not kept past the statement; an image shows no name */
		out->size = db_int(s, 5);
		int seen = 0;
		for (int i = 0; i < g_pm.n; i++) seen |= g_pm.aid[i] == aid;
		if (!seen) g_pm.aid[g_pm.n++] = aid;
	}
	db_done(s);
	return ok;
}

/* renders body into *html (malloc'd) and *excerpt (arena) */
static int pm_cook(db *d, arena *a, int64_t uid, const char *body, char **html, const char **excerpt) {
	memset(&g_pm, 0, sizeof g_pm);
	g_pm.d = d;
	g_pm.uid = uid;
	markup_set_attach(pm_attach_fn);
	buf b;
	buf_init(&b, 0);
	int rc = bbcode_render_only(&b, body, strlen(body), BBCODE_PM);
	markup_set_attach(NULL);
	if (rc || b.err) {
		buf_release(&b);
		return -1;
	}
	*html = buf_detach(&b, NULL);
	char *text = search_html_text(*html);
	const char *t = text ? text : "";
	while (*t == '\n' || *t == ' ') t++;
	size_t n = utf8_prefix(t, strlen(t), PM_EXCERPT);
	char *ex = arena_strndup(a, t, n);
	for (char *c = ex; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t') *c = ' ';
	*excerpt = n < strlen(t) ? arena_sprintf(a, "%s…", ex) : ex;
	free(text);
	return 0;
}

int pm_render(db *d, arena *a, int64_t uid, const char *body, char **html, const char **excerpt) {
	return pm_cook(d, a, uid, body, html, excerpt);
}

static int check_body(const char *body, struct forum_err *e) {
	size_t n = body ? strlen(body) : 0;
	if (n > PM_BODY_MAX) return forum_fail(e, FORUM_E_TOOBIG, "消息内容过长：最多 %d 字节。", PM_BODY_MAX);
	if (!n || !utf8_valid(body, n) || !text_visible(body, n)) return forum_fail(e, FORUM_E_INVALID, "请填写消息内容。");
	return 0;
}

/* new members: at most pm.newbie_per_hour new messages an hour during their first pm.newbie_days days */
static int throttle(db *d, const struct actor *who, time_t now, struct forum_err *e) {
	if (who->override || who->groupid == GROUP_ADMIN || who->groupid == GROUP_SUPERMOD) return 0;
	const struct site *st = site_get();
	if (!st->pm_newbie_days) return 0;
	db_stmt *s = db_prep(d, "SELECT regdate FROM member WHERE uid = $1");
	db_bind_int(s, 1, who->uid);
	int rc = db_step(s);
	int64_t regdate = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (now - regdate >= st->pm_newbie_days * 86400) return 0;
	char k[64];
	snprintf(k, sizeof k, "pm:new:%lld", (long long)who->uid);
	int64_t count[2], retry[2];
	if (ratelimit_hit(d, k, NULL, 3600, now, count, retry)) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (count[0] > st->pm_newbie_per_hour) {
		e->wait = (int)retry[0];
		return forum_fail(e, FORUM_E_FLOOD, "新注册 %lld 天内的会员每小时最多发送 %lld 条短消息，请 %lld 秒后再试。",
		                  (long long)st->pm_newbie_days, (long long)st->pm_newbie_per_hour, (long long)retry[0]);
	}
	return 0;
}

/* 1 when one of the conversation's other members (or, before it exists, one of uids[]) blocks sender */
static int blocked_by_members(db *d, int64_t cid, int64_t sender) {
	db_stmt *s = db_prep(d, "SELECT 1 FROM pm_block b JOIN pm_member m ON m.uid = b.uid AND m.cid = $1 "
	                        "WHERE b.blocked = $2 LIMIT 1");
	db_bind_int(s, 1, cid);
	db_bind_int(s, 2, sender);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* the message row, the conversation's last message, the members' sort key and unread counts; the
   images it shows. Inside the caller's transaction. */
static int write_msg(db *d, const struct actor *who, const char *name, int64_t cid, const char *subject, const char *body,
                     const char *html, const char *excerpt, time_t now, int64_t *mid) {
	db_stmt *s = db_prep(d, "INSERT INTO pm_msg(cid, uid, author, source, html, created) VALUES ($1, $2, $3, $4, $5, $6) "
	                        "RETURNING mid");
	db_bind_int(s, 1, cid);
	db_bind_int(s, 2, who->uid);
	db_bind_text(s, 3, name, -1);
	db_bind_text(s, 4, body, -1);
	db_bind_text(s, 5, html, -1);
	db_bind_int(s, 6, now);
	int rc = db_step(s);
	if (rc == DB_ROW) *mid = db_int(s, 0);
	db_done(s);
	if (rc != DB_ROW) return -1;
	s = db_prep(d, "UPDATE pm_conv SET lastmsg = $2, lastmid = $3, lastauthor = $4, lastexcerpt = $5, nmsgs = nmsgs + 1 "
	               "WHERE cid = $1");
	db_bind_int(s, 1, cid);
	db_bind_int(s, 2, now);
	db_bind_int(s, 3, *mid);
	db_bind_text(s, 4, name, -1);
	db_bind_text(s, 5, excerpt, -1);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return -1;
	/* the list's sort key is the last message's id: strictly increasing, unlike its second */
	s = db_prep(d, "UPDATE pm_member SET lastmsg = $2, unread = CASE WHEN uid = $3 THEN 0 ELSE unread + 1 END "
	               "WHERE cid = $1 RETURNING uid");
	db_bind_int(s, 1, cid);
	db_bind_int(s, 2, *mid);
	db_bind_int(s, 3, who->uid);
	int64_t told[PM_MAX_MEMBERS];
	int ntold = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (db_int(s, 0) == who->uid) continue;
		/* the others' 消息 counts on their open pages (pages/live.c), after COMMIT */
		cachegen_event(d, CACHEGEN_EV_MEMBER, db_int(s, 0), 0);
		if (ntold < PM_MAX_MEMBERS) told[ntold++] = db_int(s, 0);
	}
	db_done(s);
	if (rc != DB_DONE) return -1;
	/* 提醒: each other member is told (NK_PM, unless they switched it off), in this transaction */
	for (int i = 0; i < ntold; i++) {
		struct notify n = {.kind = NK_PM, .uid = told[i], .actor_uid = who->uid, .actor_name = name, .objid = cid,
		                   .subject = subject && *subject ? subject : NULL, .extra = excerpt};
		if (notify_add(d, &n, now) < 0) return -1;
	}
	for (int i = 0; i < g_pm.n; i++) {
		s = db_prep(d, "INSERT INTO pm_attach(aid, cid) VALUES ($1, $2) ON CONFLICT DO NOTHING");
		db_bind_int(s, 1, g_pm.aid[i]);
		db_bind_int(s, 2, cid);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return -1;
	}
	return 0;
}

struct rcpt { int64_t uid, groupid; const char *name; };

static int cmp_uid(const void *x, const void *y) {
	int64_t a = ((const struct rcpt *)x)->uid, b = ((const struct rcpt *)y)->uid;
	return a < b ? -1 : a > b;
}

int pm_send(db *d, arena *a, const struct actor *who, const char *const *to, int nto, const char *subject,
            const char *body, time_t now, int64_t *cid, int64_t *mid, struct forum_err *e) {
	const char *why;
	if (!pm_can_send(who, &why)) return forum_fail(e, FORUM_E_FORBIDDEN, "%s", why);
	if (check_body(body, e)) return e->code;
	if (!subject) subject = "";
	long sc = utf8_chars(subject, strlen(subject));
	if (sc < 0 || sc > PM_SUBJECT_MAX) return forum_fail(e, FORUM_E_TOOBIG, "标题最多 %d 个字。", PM_SUBJECT_MAX);
	if (*subject) {
		char msg[256];
		const char *bad = text_problem(subject, strlen(subject), "标题", msg, sizeof msg);
		if (bad) return forum_fail(e, FORUM_E_INVALID, "%s", bad);
	}
	if (nto < 1) return forum_fail(e, FORUM_E_INVALID, "请填写收件人。");
	if (nto > PM_MAX_MEMBERS - 1)
		return forum_fail(e, FORUM_E_TOOBIG, "一次最多发给 %d 位会员（会话最多 %d 人）。", PM_MAX_MEMBERS - 1, PM_MAX_MEMBERS);
	struct rcpt r[PM_MAX_MEMBERS];
	int n = 0;
	r[n++] = (struct rcpt){who->uid, who->groupid, who->name};
	for (int i = 0; i < nto; i++) {
		char key[256];
		if (user_name_key(to[i], key, sizeof key)) return forum_fail(e, FORUM_E_NOTFOUND, "收件人 %.60s 不存在。", to[i]);
		db_stmt *s = db_prep(d, "SELECT uid, username, groupid FROM member WHERE username_key = $1");
		db_bind_text(s, 1, key, -1);
		int rc = db_step(s);
		struct rcpt x = {0};
		if (rc == DB_ROW) x = (struct rcpt){db_int(s, 0), db_int(s, 2), arena_strdup(a, db_text(s, 1))};
		db_done(s);
		if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
		if (rc != DB_ROW) return forum_fail(e, FORUM_E_NOTFOUND, "收件人 %.60s 不存在。", to[i]);
		if (x.uid == who->uid) return forum_fail(e, FORUM_E_INVALID, "不能给自己发短消息。");
		int dup = 0;
		for (int j = 0; j < n; j++) dup |= r[j].uid == x.uid;
		if (!dup) r[n++] = x;
	}
	/* blocked by a recipient? */
	for (int i = 1; i < n; i++) {
		db_stmt *s = db_prep(d, "SELECT 1 FROM pm_block WHERE uid = $1 AND blocked = $2");
		db_bind_int(s, 1, r[i].uid);
		db_bind_int(s, 2, who->uid);
		int rc = db_step(s);
		db_done(s);
		if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
		if (rc == DB_ROW && !who->override) return forum_fail(e, FORUM_E_FORBIDDEN, "%s 拒绝接收您的短消息。", r[i].name);
	}
	if (throttle(d, who, now, e)) return e->code;
	/* two members: their conversation, if they have one */
	char pair[48] = "";
	if (n == 2) {
		int64_t lo = r[0].uid < r[1].uid ? r[0].uid : r[1].uid, hi = r[0].uid ^ r[1].uid ^ lo;
		snprintf(pair, sizeof pair, "%lld,%lld", (long long)lo, (long long)hi);
	}
	char *html;
	const char *excerpt;
	if (pm_cook(d, a, who->uid, body, &html, &excerpt)) return forum_fail(e, FORUM_E_TOOBIG, "消息内容过长。");
	qsort(r + 1, (size_t)(n - 1), sizeof r[0], cmp_uid);
	buf mb;
	buf_init(&mb, 0);
	for (int i = 0; i < n; i++) buf_appendf(&mb, "%s%lld:%s", i ? "," : "", (long long)r[i].uid, r[i].name);
	int rc = db_begin(d) ? -1 : 0;
	*cid = 0;
	if (!rc && *pair) {
		db_stmt *s = db_prep(d, "SELECT cid FROM pm_conv WHERE pairkey = $1 ORDER BY cid LIMIT 1");
		db_bind_text(s, 1, pair, -1);
		int x = db_step(s);
		if (x == DB_ROW) *cid = db_int(s, 0);
		db_done(s);
		if (x == DB_ERR) rc = -1;
	}
	if (!rc && !*cid) {
		/* two members starting their conversation at once (PostgreSQL: no lock between the SELECT and
		   here) meet on the unique pairkey: both get the one row, and the member rows below are kept once */
		db_stmt *s = db_prep(d, "INSERT INTO pm_conv(subject, creator, nmembers, members, created, lastmsg, pairkey) "
		                        "VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (pairkey) WHERE pairkey <> '' "
		                        "DO UPDATE SET pairkey = excluded.pairkey RETURNING cid");
		db_bind_text(s, 1, subject, -1);
		db_bind_int(s, 2, who->uid);
		db_bind_int(s, 3, n);
		db_bind_text(s, 4, buf_cstr(&mb), -1);
		db_bind_int(s, 5, now);
		db_bind_text(s, 6, pair, -1);
		if (db_step(s) == DB_ROW) *cid = db_int(s, 0);
		else rc = -1;
		db_done(s);
		for (int i = 0; i < n && !rc; i++) {
			s = db_prep(d, "INSERT INTO pm_member(cid, uid, lastmsg, joined) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING");
			db_bind_int(s, 1, *cid);
			db_bind_int(s, 2, r[i].uid);
			db_bind_int(s, 3, now);
			if (db_step(s) != DB_DONE) rc = -1;
			db_done(s);
		}
	}
	if (!rc) rc = write_msg(d, who, who->name, *cid, subject, body, html, excerpt, now, mid);
	buf_release(&mb);
	free(html);
	if (rc || db_commit(d)) {
		db_rollback(d);
		return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	return 0;
}

int pm_reply(db *d, arena *a, const struct actor *who, int64_t cid, const char *body, time_t now, int64_t *mid,
             struct forum_err *e) {
	const char *why;
	if (!pm_can_send(who, &why)) return forum_fail(e, FORUM_E_FORBIDDEN, "%s", why);
	if (check_body(body, e)) return e->code;
	db_stmt *s = db_prep(d, "SELECT 1 FROM pm_member WHERE cid = $1 AND uid = $2");
	db_bind_int(s, 1, cid);
	db_bind_int(s, 2, who->uid);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_NOTFOUND, "该会话不存在，或您不是它的成员。");
	int b = blocked_by_members(d, cid, who->uid);
	if (b < 0) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (b && !who->override) return forum_fail(e, FORUM_E_FORBIDDEN, "对方拒绝接收您的短消息。");
	if (throttle(d, who, now, e)) return e->code;
	char *html;
	const char *excerpt;
	if (pm_cook(d, a, who->uid, body, &html, &excerpt)) return forum_fail(e, FORUM_E_TOOBIG, "消息内容过长。");
	rc = db_begin(d) ? -1 : 0;
	if (!rc) rc = write_msg(d, who, who->name, cid, NULL, body, html, excerpt, now, mid);
	free(html);
	if (rc || db_commit(d)) {
		db_rollback(d);
		return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	return 0;
}

#define CONV_COLS "c.cid, c.creator, c.nmembers, c.created, c.lastmsg, c.lastmid, c.nmsgs, c.subject, c.members, " \
                  "c.lastauthor, c.lastexcerpt"
static void conv_row(db_stmt *s, arena *a, int col, struct pm_conv *c) {
	c->cid = db_int(s, col);
	c->creator = db_int(s, col + 1);
	c->nmembers = db_int(s, col + 2);
	c->created = db_int(s, col + 3);
	c->lastmsg = db_int(s, col + 4);
	c->lastmid = db_int(s, col + 5);
	c->nmsgs = db_int(s, col + 6);
	c->subject = arena_strdup(a, db_text(s, col + 7));
	c->members = arena_strdup(a, db_text(s, col + 8));
	c->lastauthor = arena_strdup(a, db_text(s, col + 9));
	c->lastexcerpt = arena_strdup(a, db_text(s, col + 10));
}

int pm_list(db *d, arena *a, int64_t uid, int64_t before_t, int64_t before_cid, int max, struct pm_conv *out) {
	db_stmt *s = db_prep(d, "SELECT m.unread, " CONV_COLS " FROM pm_member m JOIN pm_conv c ON c.cid = m.cid "
	                        "WHERE m.uid = $1 AND (m.lastmsg < $2 OR (m.lastmsg = $2 AND m.cid < $3)) "
	                        "ORDER BY m.lastmsg DESC, m.cid DESC LIMIT $4");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, before_t);
	db_bind_int(s, 3, before_cid);
	db_bind_int(s, 4, max);
	int n = 0, rc = DB_DONE;
	while (n < max && (rc = db_step(s)) == DB_ROW) {
		out[n].unread = db_int(s, 0);
		conv_row(s, a, 1, &out[n]);
		n++;
	}
	db_done(s);
	return rc == DB_ERR ? -1 : n;
}

int pm_read(db *d, arena *a, const struct actor *who, int64_t cid, int64_t before, int max, struct pm_conv *c,
            struct pm_msg *out, int *n, int *more, struct forum_err *e) {
	/* membership and "read" in one statement: wasunread gets the count this read clears */
	db_stmt *s = db_prep(d, "UPDATE pm_member SET wasunread = unread, unread = 0 WHERE cid = $1 AND uid = $2 "
	                        "RETURNING wasunread");
	db_bind_int(s, 1, cid);
	db_bind_int(s, 2, who->uid);
	int rc = db_step(s);
	if (rc == DB_ROW) c->unread = db_int(s, 0);
	db_done(s);
	if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_NOTFOUND, "该会话不存在，或您不是它的成员。");
	/* the 消息 count on the member's other pages, on this node only: a NOTIFY would be a fourth statement of
	   the conversation's page on PostgreSQL (other nodes' pages catch up at the next event or page view) */
	if (c->unread > 0) cachegen_event(NULL, CACHEGEN_EV_MEMBER, who->uid, 0);
	s = db_prep(d, "SELECT m.mid, m.uid, m.author, m.source, m.html, m.created, m.reported, " CONV_COLS
	               " FROM pm_conv c LEFT JOIN pm_msg m ON m.cid = c.cid AND m.mid < $2 AND m.hiddenfor <> $4 "
	               "WHERE c.cid = $1 ORDER BY m.mid DESC LIMIT $3");   /* hiddenfor: deleted by this side on Discuz! */
	db_bind_int(s, 1, cid);
	db_bind_int(s, 2, before ? before : INT64_MAX);
	db_bind_int(s, 3, max + 1);
	db_bind_int(s, 4, who->uid);
	*n = 0;
	*more = 0;
	int got = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (!got++) conv_row(s, a, 7, c);
		if (db_isnull(s, 0)) continue;
		if (*n == max) { *more = 1; continue; }
		struct pm_msg *m = &out[*n];
		m->mid = db_int(s, 0);
		m->cid = cid;
		m->uid = db_int(s, 1);
		m->author = arena_strdup(a, db_text(s, 2));
		m->source = arena_strdup(a, db_text(s, 3));
		m->html = arena_strdup(a, db_text(s, 4));
		m->created = db_int(s, 5);
		m->reported = (int)db_int(s, 6);
		(*n)++;
	}
	db_done(s);
	if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!got) return forum_fail(e, FORUM_E_NOTFOUND, "该会话不存在，或您不是它的成员。");
	/* oldest first on the page */
	for (int i = 0, j = *n - 1; i < j; i++, j--) {
		struct pm_msg t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	return 0;
}

int pm_attach_visible(db *d, int64_t aid, int64_t uid) {
	db_stmt *s = db_prep(d, "SELECT 1 FROM pm_attach x JOIN pm_member m ON m.cid = x.cid AND m.uid = $2 WHERE x.aid = $1 LIMIT 1");
	db_bind_int(s, 1, aid);
	db_bind_int(s, 2, uid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int pm_block_set(db *d, int64_t uid, const char *name, int on, time_t now, struct forum_err *e) {
	int64_t other;
	int rc = user_find(d, name ? name : "", &other);
	if (rc < 0) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (!rc) return forum_fail(e, FORUM_E_NOTFOUND, "会员 %.60s 不存在。", name ? name : "");
	if (other == uid) return forum_fail(e, FORUM_E_INVALID, "不能屏蔽自己。");
	if (!on) return pm_unblock_uid(d, uid, other) ? forum_fail(e, FORUM_E_DB, FORUM_MSG_DB) : 0;
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM pm_block WHERE uid = $1");
	db_bind_int(s, 1, uid);
	rc = db_step(s);
	int64_t count = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (count >= PM_BLOCK_MAX) return forum_fail(e, FORUM_E_TOOBIG, "黑名单最多 %d 人。", PM_BLOCK_MAX);
	s = db_prep(d, "INSERT INTO pm_block(uid, blocked, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, other);
	db_bind_int(s, 3, now);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
}

int pm_unblock_uid(db *d, int64_t uid, int64_t blocked) {
	db_stmt *s = db_prep(d, "DELETE FROM pm_block WHERE uid = $1 AND blocked = $2");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, blocked);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int pm_blocks(db *d, arena *a, int64_t uid, struct pm_blocked *out, int max) {
	db_stmt *s = db_prep(d, "SELECT b.blocked, b.created, COALESCE(m.username, '') FROM pm_block b "
	                        "LEFT JOIN member m ON m.uid = b.blocked WHERE b.uid = $1 ORDER BY b.created DESC, b.blocked LIMIT $2");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, max);
	int n = 0, rc = DB_DONE;
	while (n < max && (rc = db_step(s)) == DB_ROW) {
		out[n].uid = db_int(s, 0);
		out[n].created = db_int(s, 1);
		out[n].name = arena_strdup(a, db_text(s, 2));
		n++;
	}
	db_done(s);
	return rc == DB_ERR ? -1 : n;
}

int pm_report(db *d, const struct actor *who, int64_t mid, const char *reason, time_t now, struct forum_err *e) {
	if (!reason) reason = "";
	long rc_chars = utf8_chars(reason, strlen(reason));
	if (rc_chars < 0) return forum_fail(e, FORUM_E_INVALID, "举报理由无效。");
	if (rc_chars > PM_REASON_MAX) return forum_fail(e, FORUM_E_TOOBIG, "举报理由最多 %d 个字。", PM_REASON_MAX);
	db_stmt *s = db_prep(d, "SELECT m.cid FROM pm_msg m JOIN pm_member pm ON pm.cid = m.cid AND pm.uid = $2 "
	                        "WHERE m.mid = $1 AND m.hiddenfor <> $2");
	db_bind_int(s, 1, mid);
	db_bind_int(s, 2, who->uid);
	int rc = db_step(s);
	int64_t cid = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_NOTFOUND, "该消息不存在，或您不是它所在会话的成员。");
	if (db_begin(d)) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	s = db_prep(d, "INSERT INTO pm_report(mid, cid, reporter, reason, created) VALUES ($1, $2, $3, $4, $5) "
	               "ON CONFLICT DO NOTHING");
	db_bind_int(s, 1, mid);
	db_bind_int(s, 2, cid);
	db_bind_int(s, 3, who->uid);
	db_bind_text(s, 4, reason, -1);
	db_bind_int(s, 5, now);
	rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	if (!rc) {
		s = db_prep(d, "UPDATE pm_msg SET reported = 1 WHERE mid = $1");
		db_bind_int(s, 1, mid);
		rc = db_step(s) == DB_DONE ? 0 : -1;
		db_done(s);
	}
	if (rc || db_commit(d)) {
		db_rollback(d);
		return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	}
	return 0;
}

int pm_reports(db *d, arena *a, const struct actor *who, int64_t before, int max, struct pm_report_row *out,
               struct forum_err *e) {
	if (!who->override && who->groupid != GROUP_ADMIN)
		return forum_fail(e, FORUM_E_FORBIDDEN, "只有管理员可以查看被举报的短消息。");
	db_stmt *s = db_prep(d, "SELECT r.id, r.mid, r.cid, r.reporter, r.created, m.uid, m.created, r.reason, "
	                        "COALESCE(u.username, ''), m.author, m.html FROM pm_report r JOIN pm_msg m ON m.mid = r.mid "
	                        "LEFT JOIN member u ON u.uid = r.reporter WHERE r.handled = 0 AND r.id < $1 "
	                        "ORDER BY r.id DESC LIMIT $2");
	db_bind_int(s, 1, before ? before : INT64_MAX);
	db_bind_int(s, 2, max);
	int n = 0, rc = DB_DONE;
	while (n < max && (rc = db_step(s)) == DB_ROW) {
		struct pm_report_row *r = &out[n++];
		r->id = db_int(s, 0);
		r->mid = db_int(s, 1);
		r->cid = db_int(s, 2);
		r->reporter = db_int(s, 3);
		r->created = db_int(s, 4);
		r->author_uid = db_int(s, 5);
		r->msg_created = db_int(s, 6);
		r->reason = arena_strdup(a, db_text(s, 7));
		r->reporter_name = arena_strdup(a, db_text(s, 8));
		r->author = arena_strdup(a, db_text(s, 9));
		r->html = arena_strdup(a, db_text(s, 10));
	}
	db_done(s);
	if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	return n;
}

int pm_report_handle(db *d, const struct actor *who, int64_t id, struct forum_err *e) {
	if (!who->override && who->groupid != GROUP_ADMIN)
		return forum_fail(e, FORUM_E_FORBIDDEN, "只有管理员可以处理被举报的短消息。");
	db_stmt *s = db_prep(d, "UPDATE pm_report SET handled = 1 WHERE id = $1 AND handled = 0 RETURNING id");
	db_bind_int(s, 1, id);
	int rc = db_step(s);
	db_done(s);
	if (rc == DB_ERR) return forum_fail(e, FORUM_E_DB, FORUM_MSG_DB);
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_NOTFOUND, "该举报不存在或已处理。");
	return 0;
}
