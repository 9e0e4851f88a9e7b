/*
** react (pages): likes, attitudes, ratings and reports on floors, on the web
** (forms that redirect back to the floor) and in the JSON API; the likers
** list /p/{pid}/likes, a board's credit rules /f/{fid}/credits, the report
** queue /modcp/reports, the public member API /api/v1/users/{uid}; and the
** floor's reaction view used by the thread page (page_reactions_floor), which
** reads only the post row's summary columns: no query of its own.
*/
#include "pages/page.h"
#include "forum/anon.h"
#include "pages/urlparse.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/posting.h"
#include "forum/react.h"
#include "forum/ban.h"
#include "forum/moderate.h"
#include "util/text.h"
#include "forum/credit.h"
#include "util/timefmt.h"
#include "util/utf8.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the thread page's part ------------------------------------------------ */

static const char *signed_score(arena *a, int64_t v) { return arena_sprintf(a, "%+lld", (long long)v); }

/* root view data shared by every floor: the mod flag (rating ranges and the
** forms are on /p/{pid}/rate and /p/{pid}/report; the floor buttons post
** through thread.html's one form #fx, so no token per floor) */
void page_reactions_thread(page *p, int64_t fid) {
	struct actor who = page_actor(p);
	if (p->me.uid) tv_bool(p->a, p->v, "viewer_mod", forum_can_moderate(&who, fid));
}

/* one floor's reactions and the author's shown credits, from the post row */
void page_reactions_floor(page *p, tv *m, const struct post *f) {
	arena *a = p->a;
	tv *au = tv_get(m, "author");
	if (au && f->author_exists) {
		tv *cl = tv_add_list(a, au, "extcredits");
		for (int e = 1; e <= CREDIT_TYPES; e++) {
			if (!credit_shown(e)) continue;
			tv *c = tv_push_map(a, cl);
			tv_str(a, c, "name", credit_name(a, e));
			tv_int(a, c, "value", f->a_ext[e - 1]);
		}
	}
	tv_int(a, m, "likes", f->likes);
	tv_int(a, m, "support", f->support);
	tv_int(a, m, "oppose", f->oppose);
	/* the author sees their own floor (and thread.c's can_edit) differently, each shown liker their
	   取消点赞: the viewers who never share a cached copy of the page are declared here, next to that data */
	tv_bool(a, m, "own", p->me.uid && p->me.uid == f->authorid);
	page_varies_for(p, f->authorid);
	struct react_liker *ls;
	int n = react_parse_likers(a, f->likers, &ls);
	tv *ll = tv_add_list(a, m, "likers");
	int liked = 0;
	for (int i = 0; i < n; i++) {
		tv *l = tv_push_map(a, ll);
		tv_int(a, l, "uid", ls[i].uid);
		tv_str(a, l, "name", ls[i].name);
		if (ls[i].uid == p->me.uid) liked = 1;
		page_varies_for(p, ls[i].uid);
	}
	tv_bool(a, m, "liked", liked);
	tv_bool(a, m, "likes_more", f->likes > n);
	struct react_rates rr;
	react_parse_rates(a, f->rates, &rr);
	if (rr.count) {
		tv *rm = tv_add_map(a, m, "rating");
		tv_int(a, rm, "count", rr.count);
		tv *tot = tv_add_list(a, rm, "totals");
		for (int e = 1; e <= CREDIT_TYPES; e++) {
			if (!rr.total[e - 1]) continue;
			tv *t = tv_push_map(a, tot);
			tv_str(a, t, "name", credit_name(a, e));
			tv_str(a, t, "score", signed_score(a, rr.total[e - 1]));
		}
		tv *lines = tv_add_list(a, rm, "lines");
		for (int i = 0; i < rr.n; i++) {
			tv *l = tv_push_map(a, lines);
			tv_int(a, l, "id", rr.lines[i].id);
			tv_int(a, l, "uid", rr.lines[i].uid);
			tv_str(a, l, "name", rr.lines[i].name);
			tv_str(a, l, "credit", credit_name(a, rr.lines[i].ext));
			tv_str(a, l, "score", signed_score(a, rr.lines[i].score));
			tv_str(a, l, "reason", rr.lines[i].reason);
		}
		tv_bool(a, rm, "more", rr.count > rr.n);
	}
	struct actor who = page_actor(p);
	tv_bool(a, m, "can_rate", react_can_rate(&who, f->authorid) == REACT_OK);
}

/* the same for the thread API's floors: likes, likers (the first page), attitudes, ratings */
void page_reactions_json(page *p, json_t *o, const struct post *f) {
	arena *a = p->a;
	json_t *ac = json_object();
	for (int e = 1; e <= CREDIT_TYPES; e++) json_object_set_new(ac, credit_name(a, e), json_integer(f->a_ext[e - 1]));
	json_object_set_new(o, "author_credits", json_integer(f->a_credits));
	json_object_set_new(o, "author_extcredits", ac);
	json_object_set_new(o, "likes", json_integer(f->likes));
	struct react_liker *ls;
	int n = react_parse_likers(a, f->likers, &ls);
	json_t *ll = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(ll, json_pack("{s:I,s:s}", "uid", (json_int_t)ls[i].uid, "username", ls[i].name));
	json_object_set_new(o, "likers", ll);
	json_object_set_new(o, "support", json_integer(f->support));
	json_object_set_new(o, "oppose", json_integer(f->oppose));
	struct react_rates rr;
	react_parse_rates(a, f->rates, &rr);
	json_t *tot = json_object(), *lines = json_array();
	for (int e = 1; e <= CREDIT_TYPES; e++)
		if (rr.total[e - 1]) json_object_set_new(tot, credit_name(a, e), json_integer(rr.total[e - 1]));
	for (int i = 0; i < rr.n; i++)
		json_array_append_new(lines, json_pack("{s:I,s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)rr.lines[i].id, "uid",
		                                       (json_int_t)rr.lines[i].uid, "username", rr.lines[i].name, "credit",
		                                       credit_name(a, rr.lines[i].ext), "score", (json_int_t)rr.lines[i].score,
		                                       "reason", rr.lines[i].reason));
	json_object_set_new(o, "ratings", json_pack("{s:I,s:o,s:o}", "count", (json_int_t)rr.count, "totals", tot, "lines", lines));
}

/* ---- shared ------------------------------------------------------------------- */

static int status_of(int rc) {
	switch (rc) {
	case REACT_NOPOST: return 404;
	case REACT_OWN: case REACT_DENIED: case REACT_QUOTA: return 403;
	case REACT_DUP: return 409;
	case REACT_RANGE: case REACT_BAD: return 400;
	default: return 503;
	}
}

static const char *code_of(int rc) {
	switch (rc) {
	case REACT_NOPOST: return "not_found";
	case REACT_OWN: return "own_post";
	case REACT_DUP: return "duplicate";
	case REACT_RANGE: return "out_of_range";
	case REACT_QUOTA: return "quota_exceeded";
	case REACT_DENIED: return "forbidden";
	case REACT_BAD: return "bad_request";
	default: return "unavailable";
	}
}

static void refuse(page *p, int rc) {
	if (p->api) page_json_error(p, status_of(rc), code_of(rc), react_message(rc));
	else page_error(p, status_of(rc), react_message(rc));
}

/* the web's answer to a refused floor action: back to floor PID (through /p/{pid}, which finds
   its page) with the reason shown on it, or back to the action's own form (the GET of this
   path) when TO_FORM; a floor that is gone or a broken database still gets the error page */
static void refuse_back(page *p, int rc, int64_t pid, int to_form, const char *msg) {
	if (p->api || rc == REACT_NOPOST || rc == REACT_ERR) { refuse(p, rc); return; }
	if (!msg) msg = react_message(rc);
	if (to_form) page_back(p, p->r->path, 0, FLASH_ERROR, msg);
	else page_back(p, arena_sprintf(p->a, "/p/%lld", (long long)pid), pid, FLASH_ERROR, msg);
}

static void back_to_floor(page *p, int64_t pid, const struct react_state *st) {
	int64_t pg = (st->position - 1) / FORUM_FLOORS_PER_PAGE + 1;
	http_redirect(p->r, 303, arena_sprintf(p->a, "/t/%lld?page=%lld#pid%lld", (long long)st->tid, (long long)pg,
	                                       (long long)pid));
}

static void send_state(page *p, int64_t pid, const struct react_state *st) {
	page_json_send(p, 200, json_pack("{s:I,s:I,s:I,s:I}", "pid", (json_int_t)pid, "likes", (json_int_t)st->likes,
	                                 "support", (json_int_t)st->support, "oppose", (json_int_t)st->oppose));
}

/* a reason: trimmed, required, at most max characters; NULL after an error reply */
static const char *reason_of(page *p, const char *s, int max, int required) {
	if (!s) s = "";
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
	long chars = utf8_chars(s, n);   /* characters, not bytes */
	char msg[200];
	const char *err = required && !n ? "请填写理由。" : chars < 0 ? "理由不是有效的 UTF-8 文本。"
	                : chars > max ? "理由太长。" : n ? text_problem(s, n, "理由", msg, sizeof msg) : NULL;
	if (err) {
		if (p->api) page_json_error(p, 400, "bad_request", err);
		else page_back(p, p->r->path, 0, FLASH_ERROR, err);   /* back to the form, the reason on it */
		return NULL;
	}
	return arena_strndup(p->a, s, n);
}

/* ---- like --------------------------------------------------------------------- */

static void do_like(page *p, int like) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	struct react_state st = {0};
	struct actor who = page_actor(p);
	int rc = like ? react_like(p->db, &who, pid, p->now, &st) : react_unlike(p->db, &who, pid, &st);
	if (rc) { refuse_back(p, rc, pid, 0, rc == REACT_DUP ? "您已经点过赞了。" : NULL); return; }
	if (p->api) send_state(p, pid, &st);
	else back_to_floor(p, pid, &st);
}
void page_like(page *p) { do_like(p, 1); }
void page_unlike(page *p) { do_like(p, 0); }
void api_like(page *p) { do_like(p, 1); }
void api_unlike(page *p) { do_like(p, 0); }

/* ---- attitude ------------------------------------------------------------------ */

static void do_attitude(page *p, const char *att) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	int a = att && !strcmp(att, "support") ? 1 : att && !strcmp(att, "oppose") ? -1 : att && !strcmp(att, "none") ? 0 : 2;
	if (a == 2) { refuse_back(p, REACT_BAD, pid, 0, NULL); return; }
	struct react_state st = {0};
	struct actor who = page_actor(p);
	int rc = react_attitude(p->db, &who, pid, a, p->now, &st);
	if (rc == REACT_DUP && !p->api) {   /* 支持 twice: say so on the floor, with the way to take it back */
		page_back(p, arena_sprintf(p->a, "/p/%lld", (long long)pid), pid, FLASH_WITHDRAW,
		          a > 0 ? "您已经支持过这个帖子了。" : "您已经反对过这个帖子了。");
		return;
	}
	if (rc) { refuse_back(p, rc, pid, 0, NULL); return; }
	if (p->api) send_state(p, pid, &st);
	else back_to_floor(p, pid, &st);
}
void page_attitude(page *p) { do_attitude(p, http_form(p->r, "attitude")); }
void api_attitude(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	do_attitude(p, json_string_value(json_object_get(b, "attitude")));
	json_decref(b);
}

/* ---- rate ------------------------------------------------------------------------ */

static void do_rate(page *p, const char *credit, int64_t score, int score_ok, const char *reason_in) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	int ext = credit ? credit_ext(credit) : 0;
	if (!ext || !score_ok) {
		refuse_back(p, REACT_BAD, pid, 1, !ext ? "请选择要评分的积分。" : "分数必须是一个整数。");
		return;
	}
	const char *reason = reason_of(p, reason_in, REACT_REASON_MAX, 0);
	if (!reason) return;
	struct react_state st = {0};
	int64_t id = 0;
	struct actor who = page_actor(p);
	int rc = react_rate(p->db, &who, pid, ext, score, reason, p->now, &st, &id);
	if (rc) { refuse_back(p, rc, pid, rc == REACT_RANGE || rc == REACT_BAD || rc == REACT_QUOTA, NULL); return; }
	if (p->api)
		page_json_send(p, 200, json_pack("{s:I,s:I,s:s,s:I}", "id", (json_int_t)id, "pid", (json_int_t)pid, "credit",
		                                 credit, "score", (json_int_t)score));
	else back_to_floor(p, pid, &st);
}

void page_rate(page *p) {
	int64_t v = 0;
	int ok = !url_int(http_form(p->r, "score"), -REACT_SCORE_MAX, REACT_SCORE_MAX, &v);
	do_rate(p, http_form(p->r, "credit"), v, ok, http_form(p->r, "reason"));
}

void api_rate(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	json_t *sc = json_object_get(b, "score");
	json_t *rs = json_object_get(b, "reason");
	if (rs && !json_is_string(rs)) refuse(p, REACT_BAD);
	else {
		/* no llabs: it overflows on -2^63, which JSON can carry */
		json_int_t v = json_is_integer(sc) ? json_integer_value(sc) : 0;
		do_rate(p, json_string_value(json_object_get(b, "credit")), v,
		        json_is_integer(sc) && v >= -REACT_SCORE_MAX && v <= REACT_SCORE_MAX, json_string_value(rs));
	}
	json_decref(b);
}

static void do_revoke(page *p) {
	int64_t id;
	if (page_id(p, p->r->seg[0], &id)) return;
	struct react_state st = {0};
	struct actor who = page_actor(p);
	int rc = react_rate_revoke(p->db, &who, id, p->now, &st);
	if (rc) { refuse(p, rc); return; }
	if (p->api) page_json_send(p, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
	else http_redirect(p->r, 303, arena_sprintf(p->a, "/t/%lld", (long long)st.tid));
}
void page_rate_revoke(page *p) { do_revoke(p); }
void api_rate_revoke(page *p) { do_revoke(p); }

/* ---- report ---------------------------------------------------------------------- */

static void do_report(page *p, const char *reason_in) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	const char *reason = reason_of(p, reason_in, REACT_REASON_MAX, 1);
	if (!reason) return;
	struct react_state st = {0};
	int64_t id = 0;
	struct actor who = page_actor(p);
	int rc = react_report(p->db, &who, pid, reason, p->now, &st, &id);
	if (rc) { refuse_back(p, rc, pid, 0, rc == REACT_DUP ? "您已经举报过这个帖子了，版主会尽快处理。" : NULL); return; }
	if (p->api) page_json_send(p, 201, json_pack("{s:I,s:I}", "id", (json_int_t)id, "pid", (json_int_t)pid));
	else page_back(p, arena_sprintf(p->a, "/p/%lld", (long long)pid), pid, FLASH_OK, "举报已提交，感谢您的反馈，版主会尽快处理。");
}
void page_report(page *p) { do_report(p, http_form(p->r, "reason")); }
void api_report(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	do_report(p, json_string_value(json_object_get(b, "reason")));
	json_decref(b);
}

/* ---- the rating and report forms: their own pages (Discuz! opens them in a dialog) ---- */

/* the floor for a form page; 0 after an error reply */
static int form_post(page *p, struct react_post *rp) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return 0;
	int rc = react_post(p->db, p->a, pid, rp);
	if (rc <= 0 || !page_sees(p, rp->fid)) {
		refuse(p, rc < 0 ? REACT_ERR : REACT_NOPOST);
		return 0;
	}
	tv *pm = tv_add_map(p->a, p->v, "post");
	tv_int(p->a, pm, "pid", rp->pid);
	tv_int(p->a, pm, "tid", rp->tid);
	tv_int(p->a, pm, "position", rp->position);
	tv_str(p->a, pm, "subject", rp->subject);
	tv_str(p->a, pm, "author", page_anon_hidden(p, rp->anonymous, rp->fid) ? ANON_NAME : rp->author);   /* 匿名 */
	tv_int(p->a, pm, "page", (rp->position - 1) / FORUM_FLOORS_PER_PAGE + 1);
	return 1;
}

void page_rate_form(page *p) {
	arena *a = p->a;
	struct react_post rp;
	if (!form_post(p, &rp)) return;
	struct actor who = page_actor(p);
	int rc = react_can_rate(&who, rp.authorid);
	if (rc) { refuse(p, rc); return; }
	tv *opts = tv_add_list(a, p->v, "rate_opts");
	for (int e = 1; e <= CREDIT_TYPES; e++) {
		struct group_rate gr;
		if (!credit_rate_range(p->me.groupid, e, &gr)) continue;
		tv *o = tv_push_map(a, opts);
		tv_str(a, o, "name", credit_name(a, e));
		tv_str(a, o, "min", signed_score(a, gr.min));
		tv_str(a, o, "max", signed_score(a, gr.max));
	}
	page_render(p, 200, "rate", arena_sprintf(a, "评分 - %s - %s", rp.subject, p->site->name));
}

void page_report_form(page *p) {
	struct react_post rp;
	if (!form_post(p, &rp)) return;
	page_render(p, 200, "report", arena_sprintf(p->a, "举报 - %s - %s", rp.subject, p->site->name));
}

/* ---- report queue (moderators and admins) ------------------------------------------ */

static int64_t cursor(page *p, const char *name) {
	const char *s = http_query(p->r, name);
	int64_t v = 0;
	if (s && page_id(p, s, &v)) return -1;
	return v;
}

static const int report_ban_days[] = {1, 3, 7, 30, 0};   /* the queue's 禁言 durations (days; 0 permanent) */

void page_reports(page *p) {
	arena *a = p->a;
	struct actor who = page_actor(p);
	if (!forum_can_moderate(&who, 0)) { refuse(p, REACT_DENIED); return; }   /* before reading the query */
	const char *st = http_query(p->r, "status");
	int handled = st && !strcmp(st, "handled");
	int64_t before = cursor(p, "before");
	if (before < 0) return;
	struct report_row *rs;
	int n;
	int rc = react_reports(p->db, a, &who, handled, before, REACT_REPORTS_PER_PAGE + 1, &rs, &n);
	if (rc) { refuse(p, rc); return; }
	int more = n > REACT_REPORTS_PER_PAGE;
	if (more) n = REACT_REPORTS_PER_PAGE;
	int64_t next = n ? rs[n - 1].id : 0;   /* the cursor goes past the rows left out below */
	int k = 0;
	for (int i = 0; i < n; i++)
		if (page_sees(p, rs[i].fid) && forum_can_moderate(&who, rs[i].fid)) rs[k++] = rs[i];   /* their boards, visible */
	n = k;
	if (p->api) {
		json_t *list = json_array();
		for (int i = 0; i < n; i++) {
			json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "id", (json_int_t)rs[i].id, "pid",
			                      (json_int_t)rs[i].pid, "tid", (json_int_t)rs[i].tid, "uid", (json_int_t)rs[i].uid,
			                      "username", rs[i].username, "reason", rs[i].reason, "status",
			                      rs[i].status ? "handled" : "open", "note", rs[i].note, "subject", rs[i].subject,
			                      "authorid", (json_int_t)rs[i].authorid, "author", rs[i].author, "excerpt", rs[i].excerpt);
			page_json_time(o, "created", rs[i].created);
			json_array_append_new(list, o);
		}
		/* next: the ?before= of the next page (rows this moderator may not see are left out) */
		json_t *out = json_pack("{s:o,s:b,s:I}", "reports", list, "more", more, "next", (json_int_t)(more ? next : 0));
		page_json_next(p, out, more ? arena_sprintf(a, "/api/v1/reports?%sbefore=%lld", handled ? "status=handled&" : "",
		                                            (long long)next) : NULL);
		page_json_send(p, 200, out);
		return;
	}
	tv *list = tv_add_list(a, p->v, "reports");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "id", rs[i].id);
		tv_int(a, m, "pid", rs[i].pid);
		tv_int(a, m, "tid", rs[i].tid);
		tv_int(a, m, "uid", rs[i].uid);
		tv_str(a, m, "username", rs[i].username);
		tv_str(a, m, "reason", rs[i].reason);
		tv_str(a, m, "when", timefmt_full(a, rs[i].created));
		tv_str(a, m, "handler", rs[i].handlername);
		tv_str(a, m, "note", rs[i].note);
		tv_str(a, m, "subject", rs[i].subject);
		tv_str(a, m, "excerpt", rs[i].excerpt);
		tv_str(a, m, "author", rs[i].author);
		tv_int(a, m, "authorid", rs[i].authorid);
		const char *why;
		tv_bool(a, m, "can_ban", rs[i].authorid && ban_allowed(&who, rs[i].authorid, 0, BAN_POST, rs[i].fid, &why));
	}
	tv *days = tv_add_list(a, p->v, "days");
	for (int d = 0; d < (int)(sizeof report_ban_days / sizeof report_ban_days[0]); d++) {
		tv *x = tv_push_map(a, days);
		tv_int(a, x, "n", report_ban_days[d]);
		tv_str(a, x, "label", report_ban_days[d] ? arena_sprintf(a, "%d 天", report_ban_days[d]) : "永久");
	}
	tv_bool(a, p->v, "handled", handled);
	tv_str(a, p->v, "csrf", p->me.csrf);
	if (more) tv_str(a, p->v, "next", arena_sprintf(a, "/modcp/reports?%sbefore=%lld", handled ? "status=handled&" : "",
	                                                (long long)next));
	page_render(p, 200, "reports", arena_sprintf(a, "举报管理 - %s", p->site->name));
}

/* POST /modcp/reports/{id}/handle (and the API): action ignore (the default: marked handled with the
   note), delete (the reported post, as its board's moderator), ban (禁言 its author for days, the
   report's board as the context); the report is marked handled after the action succeeded */
void page_report_handle(page *p) {
	struct actor who = page_actor(p);
	if (!forum_can_moderate(&who, 0)) { refuse(p, REACT_DENIED); return; }   /* before reading the body */
	int64_t id;
	if (page_id(p, p->r->seg[0], &id)) return;
	const char *note, *action, *ds;
	int64_t days = 0;
	json_t *b = NULL;
	if (p->api) {
		if (!(b = page_json_body(p))) return;
		note = json_string_value(json_object_get(b, "note"));
		action = json_string_value(json_object_get(b, "action"));
		json_t *jd = json_object_get(b, "days");
		ds = NULL;
		days = json_is_integer(jd) ? json_integer_value(jd) : jd ? -1 : 3;
	} else {
		note = http_form(p->r, "note");
		action = http_form(p->r, "action");
		ds = http_form(p->r, "days");
		days = 3;
	}
	note = reason_of(p, note, REACT_NOTE_MAX, 0);
	action = action ? arena_strdup(p->a, action) : "ignore";
	json_decref(b);
	if (!note) return;
	if (ds && strcmp(ds, "0") && page_id(p, ds, &days)) return;
	if (!ds && p->api && days < 0) days = BAN_DAYS_MAX + 1;
	int del = !strcmp(action, "delete"), ban = !strcmp(action, "ban");
	if (!del && !ban && strcmp(action, "ignore")) {
		if (p->api) page_json_error(p, 400, "bad_request", "action 必须是 ignore、delete 或 ban。");
		else page_error(p, 400, "处理方式无效。");
		return;
	}
	if (days > BAN_DAYS_MAX) {
		if (p->api) page_json_error(p, 400, "bad_request", "days 必须是 0（永久）到 3650 的整数。");
		else page_error(p, 400, "禁止期限太长。");
		return;
	}
	if (del || ban) {
		int64_t pid, fid;
		int t = react_report_target(p->db, id, &pid, &fid);
		if (t < 0) { refuse(p, REACT_ERR); return; }
		if (!t) { refuse(p, REACT_NOPOST); return; }
		struct post_full pf;
		if (page_post(p, pid, &pf)) return;
		struct forum_err e = {0};
		int gone;
		if (del ? forum_delete_post(p->db, &who, &pf, p->now, &gone, &e)
		        : ban_add(p->db, &who, pf.authorid, BAN_POST, pf.fid, days * 86400, *note ? note : "举报处理", p->now, &e)) {
			page_forum_error(p, e.code, &e);
			return;
		}
		if (!*note) note = del ? "已删除帖子" : days ? arena_sprintf(p->a, "已禁止发言 %lld 天", (long long)days) : "已永久禁止发言";
	}
	int rc = react_report_handle(p->db, &who, id, note, p->now);
	if (rc) { refuse(p, rc); return; }
	if (p->api) page_json_send(p, 200, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "handled", "action", action));
	else http_redirect(p->r, 303, "/modcp/reports");
}

/* ---- likers of a floor ---------------------------------------------------------- */

void page_likes(page *p) {
	arena *a = p->a;
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	int64_t before = cursor(p, "before");
	if (before < 0) return;
	struct react_post rp;
	int rc = react_post(p->db, a, pid, &rp);
	if (rc <= 0 || !page_sees(p, rp.fid)) {
		refuse(p, rc < 0 ? REACT_ERR : REACT_NOPOST);
		return;
	}
	struct react_like_row *ls;
	int n;
	if (react_likes(p->db, a, pid, before, REACT_LIKES_PER_PAGE + 1, &ls, &n)) { refuse(p, REACT_ERR); return; }
	int more = n > REACT_LIKES_PER_PAGE;
	if (more) n = REACT_LIKES_PER_PAGE;
	tv *pm = tv_add_map(a, p->v, "post");
	tv_int(a, pm, "pid", rp.pid);
	tv_int(a, pm, "tid", rp.tid);
	tv_int(a, pm, "likes", rp.likes);
	tv_str(a, pm, "subject", rp.subject);
	tv_str(a, pm, "author", page_anon_hidden(p, rp.anonymous, rp.fid) ? ANON_NAME : rp.author);   /* 匿名 */
	tv_int(a, pm, "page", (rp.position - 1) / FORUM_FLOORS_PER_PAGE + 1);
	tv *list = tv_add_list(a, p->v, "likers");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "uid", ls[i].uid);
		tv_str(a, m, "name", ls[i].name);
		tv_str(a, m, "when", timefmt_full(a, ls[i].created));
	}
	if (more) tv_str(a, p->v, "next", arena_sprintf(a, "/p/%lld/likes?before=%lld", (long long)pid, (long long)ls[n - 1].id));
	page_render(p, 200, "likes", arena_sprintf(a, "点赞记录 - %s - %s", rp.subject, p->site->name));
}

/* ---- a board's credit rules ---------------------------------------------------------- */

static const char *cycle_name(const char *c) {
	return !strcmp(c, "once") ? "一次" : !strcmp(c, "daily") ? "每天" : "不限";
}

void page_credits(page *p) {
	arena *a = p->a;
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	struct board b;
	int rc = forum_board(p->db, a, fid, &b);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的版块不存在。"); return; }
	if (!page_board_visible(p, fid)) return;
	struct credit_rule *rs;
	int n;
	if (credit_rules(p->db, a, fid, &rs, &n)) { page_db_unavailable(p); return; }
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", b.fid);
	tv_str(a, bm, "name", b.name);
	tv *names = tv_add_list(a, p->v, "credit_names");
	for (int e = 1; e <= CREDIT_TYPES; e++) tv_push(a, names, tv_new_str(a, credit_name(a, e)));
	tv *list = tv_add_list(a, p->v, "rules");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_str(a, m, "action", rs[i].action);
		tv_str(a, m, "name", *rs[i].name ? rs[i].name : rs[i].action);
		tv_str(a, m, "cycle", cycle_name(rs[i].cycle));
		tv_str(a, m, "cap", rs[i].cap ? arena_sprintf(a, "%lld", (long long)rs[i].cap) : "不限");
		tv_bool(a, m, "board", rs[i].fid != 0);
		tv *ex = tv_add_list(a, m, "ext");
		for (int e = 0; e < CREDIT_TYPES; e++)
			tv_push(a, ex, tv_new_str(a, rs[i].ext[e] ? signed_score(a, rs[i].ext[e]) : ""));
	}
	page_render(p, 200, "credits", arena_sprintf(a, "本版积分规则 - %s - %s", b.name, p->site->name));
}

/* ---- public member API ------------------------------------------------------------ */

void api_user(page *p) {
	arena *a = p->a;
	int64_t uid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	struct member_info m;
	int rc = credit_member(p->db, a, uid, &m);
	if (rc < 0) { refuse(p, REACT_ERR); return; }
	if (!rc) { page_json_error(p, 404, "not_found", "指定的用户不存在。"); return; }
	json_t *ext = json_object();
	for (int e = 1; e <= CREDIT_TYPES; e++) json_object_set_new(ext, credit_name(a, e), json_integer(m.ext[e - 1]));
	const struct group *g = group_get(m.groupid);
	json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:o,s:I}", "uid", (json_int_t)m.uid, "username", m.name,
	                      "groupid", (json_int_t)m.groupid, "group", g->title, "credits", (json_int_t)m.credits, "posts",
	                      (json_int_t)m.posts, "threads", (json_int_t)m.threads, "digestposts", (json_int_t)m.digestposts,
	                      "extcredits", ext, "warnings", (json_int_t)m.warnings);
	page_json_time(o, "regdate", m.regdate);
	page_json_send(p, 200, o);
}

/* the viewer's own credit log: GET /api/v1/me/credits[?before=ID] */
void api_my_credits(page *p) {
	arena *a = p->a;
	int64_t before = cursor(p, "before");
	if (before < 0) return;
	struct credit_log_row *rs;
	int n;
	if (credit_log_list(p->db, a, p->me.uid, before, REACT_LIKES_PER_PAGE + 1, &rs, &n)) { refuse(p, REACT_ERR); return; }
	int more = n > REACT_LIKES_PER_PAGE;
	if (more) n = REACT_LIKES_PER_PAGE;
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		json_t *ext = json_object();
		for (int e = 1; e <= CREDIT_TYPES; e++)
			if (rs[i].ext[e - 1]) json_object_set_new(ext, credit_name(a, e), json_integer(rs[i].ext[e - 1]));
		json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:o}", "id", (json_int_t)rs[i].id, "action", rs[i].action, "objtype",
		                      rs[i].objtype, "objid", (json_int_t)rs[i].objid, "credits", ext);
		page_json_time(o, "created", rs[i].created);
		json_array_append_new(list, o);
	}
	json_t *out = json_pack("{s:o,s:b}", "log", list, "more", more);
	page_json_next(p, out, more && n ? arena_sprintf(a, "/api/v1/me/credits?before=%lld", (long long)rs[n - 1].id) : NULL);
	page_json_send(p, 200, out);
}
