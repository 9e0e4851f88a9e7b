/*
** post: writing on the web: 发新帖 `/f/{fid}/new`, 回复 `/t/{tid}/reply`
** (with ?quote=PID), editing `/p/{pid}/edit`, deleting `/p/{pid}/delete`,
** the edit history `/p/{pid}/history`, and `/p/{pid}` (Discuz! findpost),
** which sends the reader to the floor's page and anchor. The rules live in
** forum/posting.c; this file parses forms and fills the post template.
*/
#include "pages/page.h"
#include "forum/approve.h"
#include "pages/urlparse.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/write.h"
#include "forum/posting.h"
#include "forum/attach.h"
#include "forum/notify.h"
#include "markup/bbcode.h"
#include "markup/smiley.h"
#include "util/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct actor page_actor(page *p) {
	struct actor a = {p->me.uid, p->me.groupid, p->me.name, 0};   /* never the console's override */
	return a;
}

int page_forum_status(int code) {
	switch (code) {
	case FORUM_E_INVALID: return 400;
	case FORUM_E_TOOBIG: return 413;
	case FORUM_E_FORBIDDEN: return 403;
	case FORUM_E_NOTFOUND: return 404;
	case FORUM_E_FLOOD: return 429;
	case FORUM_E_TAKEN: return 409;
	default: return 503;
	}
}

/* an error from forum/ as a page (or JSON), with Retry-After for flood control */
void page_forum_error(page *p, int code, const struct forum_err *e) {
	if (code == FORUM_E_FLOOD) http_set_header(p->r, "Retry-After", arena_sprintf(p->a, "%d", e->wait));
	page_error(p, page_forum_status(code), e->msg);
}

int page_post(page *p, int64_t pid, struct post_full *pf) {
	int rc = forum_post_get(p->db, p->a, pid, pf);
	if (rc < 0) page_db_unavailable(p);
	else if (!rc) page_error(p, 404, "指定的帖子不存在或已被删除。");
	else if (!page_board_visible(p, pf->fid)) return -1;   /* 403 sent */
	return rc == 1 ? 0 : -1;
}

void page_goto_post(page *p, int64_t pid) {
	struct post_full f;
	int rc = forum_post_get(p->db, p->a, pid, &f);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc) { page_error(p, 404, "指定的帖子不存在或已被删除。"); return; }
	/* the redirect names the thread: only for those who may see the board */
	if (!page_board_visible(p, f.fid)) return;
	const char *url = forum_floor_page(f.position) > 1
		? arena_sprintf(p->a, "/t/%lld?page=%lld#pid%lld", (long long)f.tid, (long long)forum_floor_page(f.position), (long long)pid)
		: arena_sprintf(p->a, "/t/%lld#pid%lld", (long long)f.tid, (long long)pid);
	http_redirect(p->r, 302, url);
}

static void landed(page *p, int64_t tid, int64_t pid, int64_t position) {
	int64_t pg = forum_floor_page(position);
	http_redirect(p->r, 303, arena_sprintf(p->a, "/t/%lld?page=%lld#pid%lld", (long long)tid, (long long)pg, (long long)pid));
}

/* ---- the composer (templates/composer.html) ----------------------------------------
   The toolbar over a post's textarea: hidden without JavaScript, driven by
   static/composer.js (and static/upload.js for uploads). key names the form for
   the browser's drafts (the form's action: the quick reply and the full reply
   form of a thread share one); the same for every viewer of a group, so the
   thread page's fragment cache may keep it. */
void page_composer(page *p, const char *key, int64_t fid) {
	arena *a = p->a;
	tv *c = tv_add_map(a, p->v, "composer");
	tv_str(a, c, "js", static_url("composer.js"));
	tv_str(a, c, "upload_js", static_url("upload.js"));
	tv_str(a, c, "key", key);
	tv_int(a, c, "fid", fid);
	struct actor who = page_actor(p);
	tv_bool(a, c, "upload", forum_can_upload(&who, fid, NULL));
	size_t n;
	const struct smiley *sm = smiley_picker(&n);
	tv *list = tv_add_list(a, c, "smilies");
	for (size_t i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_str(a, m, "code", sm[i].code);
		tv_str(a, m, "emoji", sm[i].emoji);
		tv_str(a, m, "name", sm[i].name);
	}
	const char *const *pal = bbcode_palette(&n);
	list = tv_add_list(a, c, "colors");
	for (size_t i = 0; i < n; i++) tv_push(a, list, tv_new_str(a, pal[i]));
}

/* ---- the form --------------------------------------------------------------- */

struct form {
	const char *mode;        /* new, reply, edit */
	const char *action, *heading;
	const char *title, *body, *format;
	int64_t typeid;
	int forbidreprint;
	int show_title;          /* new thread, or edit of floor 1 */
	const struct board *board;
	int64_t tid, pid;        /* pid: the post being edited */
	const char *subject;
	const char *error;
	const char *preview;     /* sanitized HTML */
	const struct post_full *quoted;  /* ?quote=PID: the composer offers the quote in both formats */
	int64_t aids[ATTACH_MAX_PER_POST_CAP];   /* attachments sent with this form (or its preview) */
	const char *anames[ATTACH_MAX_PER_POST_CAP];
	int naids;
};

static void form_render(page *p, int status, const struct form *f) {
	arena *a = p->a;
	tv *v = p->v;
	tv_str(a, v, "mode", f->mode);
	tv_bool(a, v, "mode_edit", !strcmp(f->mode, "edit"));
	tv_str(a, v, "action", f->action);
	tv_str(a, v, "heading", f->heading);
	tv_str(a, v, "csrf", page_csrf(p));
	tv_bool(a, v, "show_title", f->show_title);
	tv_str(a, v, "title_value", f->title ? f->title : "");
	tv_str(a, v, "body", f->body ? f->body : "");
	tv_bool(a, v, "markdown", f->format && !strcmp(f->format, "markdown"));
	tv_bool(a, v, "forbidreprint", f->forbidreprint > 0);
	tv_int(a, v, "title_max", FORUM_TITLE_MAX);
	tv_int(a, v, "body_max", FORUM_BODY_MAX);
	if (f->error) tv_str(a, v, "error", f->error);
	if (f->naids) {
		buf ids;
		buf_init(&ids, 0);
		tv *list = tv_add_list(a, v, "uploads");
		for (int i = 0; i < f->naids; i++) {
			buf_appendf(&ids, "%s%lld", i ? "," : "", (long long)f->aids[i]);
			tv *m = tv_push_map(a, list);
			tv_int(a, m, "aid", f->aids[i]);
			tv_str(a, m, "name", f->anames[i] ? f->anames[i] : "");
		}
		tv_str(a, v, "attachments", arena_strndup(a, ids.data, ids.len));
		buf_release(&ids);
	}
	if (f->preview) tv_html(a, v, "preview", f->preview);
	tv *bm = tv_add_map(a, v, "board");
	tv_int(a, bm, "fid", f->board->fid);
	tv_str(a, bm, "name", f->board->name);
	if (f->show_title && f->board->ntypes) {
		tv_bool(a, bm, "requiretype", f->board->requiretype);
		tv *types = tv_add_list(a, bm, "types");
		for (int i = 0; i < f->board->ntypes; i++) {
			tv *t = tv_push_map(a, types);
			tv_int(a, t, "id", f->board->types[i].id);
			tv_str(a, t, "name", f->board->types[i].name);
			tv_bool(a, t, "selected", f->board->types[i].id == f->typeid);
		}
	}
	if (f->tid) {
		tv *tm = tv_add_map(a, v, "thread");
		tv_int(a, tm, "tid", f->tid);
		tv_str(a, tm, "subject", f->subject);
	}
	page_composer(p, f->action, f->board->fid);
	if (f->quoted) {
		tv *c = tv_get(v, "composer");
		tv_str(a, c, "quote_bbcode", forum_quote(a, f->quoted, "bbcode"));
		tv_str(a, c, "quote_markdown", forum_quote(a, f->quoted, "markdown"));
	}
	page_render(p, status, "post", arena_sprintf(a, "%s - %s", f->heading, p->site->name));
}

/* fills f from the submitted form; 0, or -1 after a 400 */
static int form_read(page *p, struct form *f) {
	f->title = http_form(p->r, "title");
	f->body = http_form(p->r, "body");
	const char *fmt = http_form(p->r, "format");
	f->format = fmt && *fmt ? fmt : "bbcode";
	const char *t = http_form(p->r, "typeid");
	f->typeid = 0;
	if (t && *t && strcmp(t, "0") && page_id(p, t, &f->typeid)) return -1;
	const char *fr = http_form(p->r, "forbidreprint");
	f->forbidreprint = fr && *fr && strcmp(fr, "0");
	return 0;
}

/* The files sent with the form become attachments of the member (unused until this post
** is saved), added to those of an earlier preview (hidden field attachments). 0, or -1 answered. */
static int form_attach(page *p, struct form *f, int64_t fid) {
	const char *prev = http_form(p->r, "attachments");
	int max = (int)p->site->attach_max_per_post, nfiles = 0;
	for (const struct http_file *x = p->r->files; x; x = x->next)
		if (!strcmp(x->field, "file")) nfiles++;
	f->naids = 0;
	for (const char *s = prev; s && *s && f->naids < ATTACH_MAX_PER_POST_CAP;) {
		size_t n = strcspn(s, ",");
		int64_t v;
		if (url_uint(s, n, URL_NUM_MAX, &v) || v < 1) break;   /* "12,15": ids as the form wrote them */
		f->aids[f->naids++] = v;
		if (s[n] != ',') break;
		s += n + 1;
	}
	if (f->naids + nfiles > max) {
		page_error(p, 413, arena_sprintf(p->a, "附件太多：每帖最多 %d 个。", max));
		return -1;
	}
	for (const struct http_file *x = p->r->files; x; x = x->next) {
		if (strcmp(x->field, "file")) continue;
		struct attachment at;
		if (page_attach_store(p, x, fid, &at)) return -1;
		f->anames[f->naids] = at.filename;
		f->aids[f->naids++] = at.aid;
	}
	return 0;
}

/* the 预览 button: validate and render, save nothing; 1 when this was a preview */
static int form_preview(page *p, struct form *f) {
	const char *pv = http_form(p->r, "preview");
	if (!pv || !*pv) return 0;
	struct forum_err e;
	int rc = 0;
	if (f->show_title) rc = forum_check_title(f->title, &e);
	if (!rc) rc = forum_check_body(f->body, f->format, &e);
	if (rc) {
		f->error = arena_strdup(p->a, e.msg);
		form_render(p, page_forum_status(rc), f);
		return 1;
	}
	char *html;
	attach_scope_begin(p->db, p->me.uid, p->me.groupid, f->board->fid, f->pid, f->aids, f->naids);
	rc = notify_cook(p->db, f->format, f->body, &html, NULL);   /* @mentions linked as they will be */
	attach_scope_end();
	if (rc) {
		page_error(p, 400, "无法处理帖子内容。");
		return 1;
	}
	f->preview = arena_strdup(p->a, html);
	free(html);
	form_render(p, 200, f);
	return 1;
}

/* a refused write: the form again with the reason (input errors, flood), else an error page */
static void form_refused(page *p, struct form *f, int code, const struct forum_err *e) {
	if (code == FORUM_E_INVALID || code == FORUM_E_TOOBIG || code == FORUM_E_FLOOD) {
		if (code == FORUM_E_FLOOD) http_set_header(p->r, "Retry-After", arena_sprintf(p->a, "%d", e->wait));
		f->error = arena_strdup(p->a, e->msg);
		form_render(p, page_forum_status(code), f);
		return;
	}
	page_forum_error(p, code, e);
}

/* ---- 发新帖 ------------------------------------------------------------------- */

static int new_setup(page *p, struct form *f, struct board *b) {
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return -1;
	int rc = forum_board(p->db, p->a, fid, b);
	if (rc < 0) { page_db_unavailable(p); return -1; }
	if (!rc) { page_error(p, 404, "指定的版块不存在。"); return -1; }
	if (!page_board_visible(p, b->fid)) return -1;
	memset(f, 0, sizeof *f);
	f->mode = "new";
	f->heading = "发表新主题";
	f->action = arena_sprintf(p->a, "/f/%lld/new", (long long)fid);
	f->show_title = 1;
	f->board = b;
	f->format = "bbcode";
	return 0;
}

void page_post_new_form(page *p) {
	struct form f;
	struct board b;
	if (new_setup(p, &f, &b)) return;
	struct actor who = page_actor(p);
	const char *why;
	if (!forum_can_post(&who, b.fid, &why)) {
		page_forbidden(p, why);
		return;
	}
	/* a preselected 分类 from the board page's filter: a bad value selects none */
	if (url_id(http_query(p->r, "typeid"), URL_NUM_MAX, &f.typeid)) f.typeid = 0;
	form_render(p, 200, &f);
}

void page_post_new(page *p) {
	if (page_ip_banned(p)) return;   /* IP 禁止 (ban.c) */
	struct form f;
	struct board b;
	if (new_setup(p, &f, &b) || form_read(p, &f) || form_attach(p, &f, b.fid)) return;
	if (form_preview(p, &f)) return;
	struct actor who = page_actor(p);
	struct post_input in = {f.title, f.body, f.format, f.typeid, f.forbidreprint};
	struct forum_err e;
	int64_t tid, pid;
	int rc = approval_hold(p->db, &who, b.fid, 0, &in, p->now, f.aids, f.naids, &pid, &e);   /* 审核 (approve.h) */
	if (rc < 0) { form_refused(p, &f, rc, &e); return; }
	if (rc) { http_redirect(p->r, 303, "/pending?held=1"); return; }
	attach_scope_begin(p->db, who.uid, who.groupid, b.fid, 0, f.aids, f.naids);
	rc = forum_new_thread(p->db, &who, b.fid, &in, p->now, &tid, &pid, &e);
	attach_scope_end();
	if (rc) { form_refused(p, &f, rc, &e); return; }
	landed(p, tid, pid, 1);
}

/* ---- 回复 --------------------------------------------------------------------- */

static int reply_setup(page *p, struct form *f, struct thread *t) {
	int64_t tid;
	if (page_id(p, p->r->seg[0], &tid)) return -1;
	int rc = forum_thread(p->db, p->a, tid, t);
	if (rc < 0) { page_db_unavailable(p); return -1; }
	if (!rc) { page_error(p, 404, "指定的主题不存在或已被删除。"); return -1; }
	if (!page_board_visible(p, t->fid)) return -1;
	struct actor who = page_actor(p);
	const char *why;
	if (!forum_can_reply(&who, t->fid, (int)t->closed, &why)) {
		page_forbidden(p, why);
		return -1;
	}
	memset(f, 0, sizeof *f);
	f->mode = "reply";
	f->heading = "发表回复";
	f->action = arena_sprintf(p->a, "/t/%lld/reply", (long long)tid);
	f->board = &t->board;
	f->tid = tid;
	f->subject = t->subject;
	f->format = "bbcode";
	return 0;
}

void page_reply_form(page *p) {
	struct form f;
	struct thread t;
	if (reply_setup(p, &f, &t)) return;
	/* ?format=markdown: the reply (and its quote) in Markdown; else BBCode, the form's default */
	const char *fmt = http_query(p->r, "format");
	if (fmt && !strcmp(fmt, "markdown")) f.format = "markdown";
	const char *q = http_query(p->r, "quote");
	struct post_full qp;
	if (q) {
		int64_t qpid;
		if (page_id(p, q, &qpid)) return;
		int rc = forum_post_get(p->db, p->a, qpid, &qp);
		if (rc < 0) { page_db_unavailable(p); return; }
		if (!rc || qp.tid != t.tid || qp.deleted) { page_error(p, 404, "要引用的帖子不存在或已被删除。"); return; }
		f.body = forum_quote(p->a, &qp, f.format);
		f.quoted = &qp;
	}
	form_render(p, 200, &f);
}

/* a form reply prepared on the worker thread, applied by the writer (issue 16): in the request's arena */
struct reply_job {
	struct form f;
	struct thread t;           /* f.board points into it */
	struct post_input in;
	int prepared;              /* rp is ready; else the writer renders (attachments) */
	struct reply_prep rp;
};

/* the writer's step: 审核 (it writes the held post), then the reply's transaction */
static void reply_apply(page *p) {
	struct reply_job *j = p->job;
	struct actor who = page_actor(p);
	struct forum_err e;
	int64_t pid, position;
	int rc = approval_hold(p->db, &who, j->t.fid, j->t.tid, &j->in, p->now, j->f.aids, j->f.naids, &pid, &e);   /* 审核 */
	if (rc < 0) { form_refused(p, &j->f, rc, &e); return; }
	if (rc) { http_redirect(p->r, 303, "/pending?held=1"); return; }
	if (j->prepared) {
		rc = forum_reply_apply(p->db, &who, j->t.tid, &j->in, &j->rp, p->now, &pid, &position, &e);
	} else {   /* the attachment scope is the thread's: its rendering and its claim on one thread */
		attach_scope_begin(p->db, who.uid, who.groupid, j->t.fid, 0, j->f.aids, j->f.naids);
		rc = forum_new_reply(p->db, &who, j->t.tid, &j->in, p->now, &pid, &position, &e);
		attach_scope_end();
	}
	if (rc) { form_refused(p, &j->f, rc, &e); return; }
	landed(p, j->t.tid, pid, position);
}

void page_reply(page *p) {
	if (page_ip_banned(p)) return;
	struct reply_job *j = arena_alloc(p->a, sizeof *j);
	memset(j, 0, sizeof *j);
	if (reply_setup(p, &j->f, &j->t) || form_read(p, &j->f) || form_attach(p, &j->f, j->t.fid)) return;
	if (form_preview(p, &j->f)) return;
	j->in = (struct post_input){NULL, j->f.body, j->f.format, 0, 0};
	if (!attach_scope_needed(j->in.body, j->f.naids)) {
		struct actor who = page_actor(p);
		struct forum_err e;
		int rc = forum_reply_prepare(p->db, p->a, &who, &j->in, &j->rp, &e);
		if (rc) { form_refused(p, &j->f, rc, &e); return; }
		j->prepared = 1;
	}
	page_batch(p, reply_apply, j);
}

/* ---- 编辑, 删除 ----------------------------------------------------------------- */

static int edit_setup(page *p, struct form *f, struct post_full *pf) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return -1;
	if (page_post(p, pid, pf)) return -1;
	struct actor who = page_actor(p);
	struct forum_err e;
	int rc;
	if ((rc = forum_may_change(&who, pf, FORUM_EDIT, &e))) { page_forum_error(p, rc, &e); return -1; }
	memset(f, 0, sizeof *f);
	f->mode = "edit";
	f->heading = "编辑帖子";
	f->action = arena_sprintf(p->a, "/p/%lld/edit", (long long)pid);
	f->board = &pf->board;
	f->tid = pf->tid;
	f->subject = pf->subject;
	f->pid = pf->pid;
	f->show_title = pf->position == 1;
	f->title = pf->subject;
	f->typeid = pf->typeid;
	f->forbidreprint = pf->forbidreprint;
	f->body = pf->source;
	f->format = pf->format;
	return 0;
}

void page_edit_form(page *p) {
	struct form f;
	struct post_full pf;
	if (edit_setup(p, &f, &pf)) return;
	/* the post's attachments, listed with their [attach] codes to place them */
	struct attachment at[ATTACH_MAX_PER_POST_CAP];
	int n = attach_list_post(p->db, p->a, pf.pid, at, ATTACH_MAX_PER_POST_CAP);
	for (int i = 0; i < n; i++) {
		f.aids[f.naids] = at[i].aid;
		f.anames[f.naids++] = at[i].filename;
	}
	form_render(p, 200, &f);
}

void page_edit(page *p) {
	struct form f;
	struct post_full pf;
	if (edit_setup(p, &f, &pf) || form_read(p, &f) || form_attach(p, &f, pf.fid)) return;
	if (form_preview(p, &f)) return;
	struct actor who = page_actor(p);
	struct post_input in = {f.show_title ? f.title : NULL, f.body, f.format, f.show_title ? f.typeid : -1,
	                        f.show_title ? f.forbidreprint : -1};
	struct forum_err e;
	attach_scope_begin(p->db, who.uid, who.groupid, pf.fid, pf.pid, f.aids, f.naids);
	int rc = forum_edit_post(p->db, &who, &pf, &in, p->now, &e);
	attach_scope_end();
	if (rc) { form_refused(p, &f, rc, &e); return; }
	landed(p, pf.tid, pf.pid, pf.position);
}

int page_post_delete(page *p, struct post_full *pf, int *gone) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid) || page_post(p, pid, pf)) return -1;
	struct actor who = page_actor(p);
	struct forum_err e;
	int rc = forum_delete_post(p->db, &who, pf, p->now, gone, &e);
	if (rc) page_forum_error(p, rc, &e);
	return rc ? -1 : 0;
}

void page_delete(page *p) {
	struct post_full pf;
	int gone;
	if (page_post_delete(p, &pf, &gone)) return;
	if (gone) {   /* the thread went: back to its board */
		http_redirect(p->r, 303, arena_sprintf(p->a, "/f/%lld", (long long)pf.fid));
		return;
	}
	http_redirect(p->r, 303, arena_sprintf(p->a, "/p/%lld", (long long)pf.pid));
}

/* ---- /p/{pid}, history ---------------------------------------------------------- */

void page_findpost(page *p) {
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	page_goto_post(p, pid);
}

void page_history(page *p) {
	arena *a = p->a;
	int64_t pid;
	if (page_id(p, p->r->seg[0], &pid)) return;
	struct post_full pf;
	int rc = forum_post_get(p->db, a, pid, &pf);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc || pf.deleted) { page_error(p, 404, "指定的帖子不存在或已被删除。"); return; }
	if (!page_board_visible(p, pf.fid)) return;
	struct actor who = page_actor(p);
	if (!forum_can_view_history(&who, pf.fid, pf.authorid)) {
		page_error(p, 403, "只有作者和版主可以查看帖子的历史版本。");
		return;
	}
	struct post_version *vs;
	int n;
	if (forum_post_history(p->db, a, pid, &vs, &n)) { page_db_unavailable(p); return; }
	tv *list = tv_add_list(a, p->v, "versions");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "version", vs[i].version);
		tv_str(a, m, "by", vs[i].edited_by);
		tv_str(a, m, "at", timefmt_full(a, vs[i].edited_at));
		tv_str(a, m, "format", vs[i].format);
		tv_str(a, m, "source", vs[i].source);
		tv_html(a, m, "html", vs[i].html);   /* sanitized when it was written */
	}
	tv *cur = tv_add_map(a, p->v, "current");
	tv_int(a, cur, "version", n + 1);
	tv_str(a, cur, "by", pf.edited ? pf.editor : pf.author);
	tv_str(a, cur, "at", timefmt_full(a, pf.edited ? pf.edited : pf.created));
	tv_str(a, cur, "format", pf.format);
	tv_str(a, cur, "source", pf.source);
	tv_html(a, cur, "html", pf.html);
	tv_int(a, p->v, "pid", pid);
	tv *tm = tv_add_map(a, p->v, "thread");
	tv_int(a, tm, "tid", pf.tid);
	tv_str(a, tm, "subject", pf.subject);
	tv *bm = tv_add_map(a, p->v, "board");
	tv_int(a, bm, "fid", pf.fid);
	tv_str(a, bm, "name", pf.board.name);
	page_render(p, 200, "history", arena_sprintf(a, "历史版本 - %s - %s", pf.subject, p->site->name));
}
