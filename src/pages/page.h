/*
** page: what every page handler shares: the request's context (database
** connection, viewer, view data), parameter parsing with the right error
** status, and rendering through a template into the response with the
** footer's real timer and query count. No SQL here (that is forum/).
*/
#ifndef LOULAN_PAGE_H
#define LOULAN_PAGE_H
#include "forum/forum.h"
#include "http/http.h"
#include "pages/cache.h"
#include "render/tpl.h"

typedef struct viewer {
	int64_t uid;           /* 0: guest */
	const char *name;
	int64_t groupid;
	const char *csrf;      /* the session's CSRF token, for forms */
	const char *token;     /* the session token presented (cookie or bearer) */
	const char *token_hash;
	int bearer;            /* authenticated by Authorization: Bearer (API) */
} viewer;

#define SESSION_COOKIE "loulan_sid"   /* a request carrying it (or Authorization) never meets the guest cache */
#define CSRF_COOKIE "loulan_csrf"     /* guests' double-submit token for login/register forms */
#define CSRF_FIELD "csrf"

typedef struct page {
	req *r;
	arena *a;
	db *db;
	tv *v;                 /* the root of the view data */
	const struct site *site;
	viewer me;
	time_t now;
	int api;               /* a JSON API route: errors are JSON */
	const char *guest_csrf; /* set when a guest form needs a fresh CSRF cookie */
	struct cache_deps cache;  /* set by page_cache_*: this guest page may be cached */
	int64_t views;            /* page_views: the number behind PAGE_VIEWS_MARK, or -1 */
	int frag;                 /* page_render writes the viewer's and the footer's values as marks (frag.h) */
} page;

/* A handler that renders the same page for every guest declares what the
** page shows, before it reads it; routes.c then caches the 200 response for
** guests and serves it until one of these generations changes. The site
** generation is always included. page_cache_thread also makes each hit count
** a view of tid. Pages that vary per viewer or set cookies must not call these. */
void page_cache_site(page *p);
void page_cache_board(page *p, int64_t fid);
void page_cache_thread(page *p, int64_t tid);
void page_std_headers(req *r);         /* the headers page_render sets on every page */
/* Puts a thread's view count into the view as KEY in a way the page cache
** can keep live (each cache hit shows one more). Use it for the one view
** count of a cacheable thread page. */
void page_views(page *p, tv *m, const char *key, int64_t views);

/* The route table (routes.c). What a route requires, checked before its handler:
**   R_API      JSON API: errors are JSON, the viewer comes from a bearer token only
**   R_FORM     parse the form body first; R_CSRF the form's csrf must match
**   R_LOGIN    members only; R_NOVIEWER no session lookup; R_BANOK open to 禁止访问 */
enum route_flag { R_API = 1, R_FORM = 2, R_CSRF = 4, R_LOGIN = 8, R_NOVIEWER = 16, R_BANOK = 32 };
/* Route i of the table (a copy, for checks and tests): 0, or -1 past the end. */
int route_info(size_t i, const char **pattern, int *methods, int *flags);
/* The table's security rules: a route that is not GET/HEAD has R_CSRF (forms)
** or R_API (bearer); R_API exactly under /api/, never with R_FORM/R_CSRF;
** R_CSRF with R_FORM. Returns the number of broken routes, the first in err.
** `serve` refuses to start when it is not 0. */
int routes_check(char *err, size_t n);

/* Application-wide state set up by `serve`. */
struct app_config {
	db *(*db_get)(void);     /* this worker thread's connection (the server opens it on first use), or NULL */
	int no_fragment_cache;   /* --no-fragment-cache: see frag.h */
};
void app_set_config(const struct app_config *c);
db *app_db(void);                      /* this worker thread's connection (for bodies read while sent) */
int app_fragment_cache(void);          /* member thread pages from the fragment cache (not --no-fragment-cache) */
void app_handle(req *r);               /* the route table's entry point (routes.c) */
void *app_cache_response(const void *z, size_t n);  /* a gzip cache hit's response (cache_set_responder) */

void page_init(page *p, req *r);
void page_render(page *p, int status, const char *tpl, const char *title);
void page_error(page *p, int status, const char *message);
void page_json(page *p, int status, const char *json);
int page_id(page *p, const char *s, int64_t *out);   /* positive id or 400 (0 returned = ok) */

/* Viewer and CSRF (routes.c calls these before the handler, as the route's flags say). */
void page_load_viewer(page *p, int api);   /* cookie session, or bearer token when api */
const char *page_csrf(page *p);            /* token for forms: the session's, or the guest cookie's */
int page_csrf_ok(page *p);                 /* the form's csrf field (or X-CSRF-Token) matches */
void page_set_cookie(page *p, const char *name, const char *value, long max_age); /* max_age < 0: session cookie, 0: delete */
void page_login_required(page *p);         /* 403 page with a login link (HTML), or JSON 401 for the API */
void page_forbidden(page *p, const char *reason); /* 403 with perm_check's reason; a login link for guests */
int page_is_api(page *p);
/* Read permission (docs/HACKING.md, "Read permission"): everything that shows a board's
** threads, posts, titles or name goes through these two, never perm_check directly.
** page_sees: may the viewer see board fid (1/0, no reply) -- filter lists with it.
** page_board_visible: 1, or 0 after a 403 (HTML page or JSON error) -- guard an object's page. */
int page_sees(page *p, int64_t fid);
int page_board_visible(page *p, int64_t fid);

/* JSON API helpers (jansson). Errors are {"error": {"code": "...", "message": "..."}}. */
struct json_t;
void page_json_error(page *p, int status, const char *code, const char *message);
struct json_t *page_json_body(page *p);              /* parsed object, or NULL after a 400/413/415 reply */
void page_json_send(page *p, int status, struct json_t *v);  /* takes the reference */
int page_number(page *p, const char *name, int *out); /* ?name=N, default 1; 400 on bad */

/* Handlers */
void page_index(page *p);
void page_board(page *p);
void page_thread(page *p);
void page_thread_next(page *p);
void page_thread_prev(page *p);
void page_discuz_forum(page *p);
void page_discuz_html(page *p);
void page_static(page *p);
void page_favicon(page *p);
void page_robots(page *p);
void page_login_form(page *p);
void page_login(page *p);
void page_logout(page *p);
void api_session_create(page *p);
void api_session_delete(page *p);
void api_me(page *p);
void api_users_create(page *p);
void page_register_form(page *p);
void page_register(page *p);
void page_settings(page *p);
void page_settings_password_form(page *p);
void page_settings_password(page *p);
void page_settings_sessions(page *p);
void page_settings_logout_all(page *p);
void page_space(page *p);
/* posting (post.c) and the forum's JSON API (api_forum.c) */
void page_post_new_form(page *p);
void page_post_new(page *p);
void page_reply_form(page *p);
void page_reply(page *p);
void page_edit_form(page *p);
void page_edit(page *p);
void page_delete(page *p);
void page_findpost(page *p);
void page_history(page *p);
void api_boards(page *p);
void api_board_threads(page *p);
void api_thread_create(page *p);
void api_thread(page *p);
void api_reply_create(page *p);
void api_post_edit(page *p);
void api_post_delete(page *p);
/* attachments and avatars (attach.c, issue #13) */
struct http_file;
struct attachment;
int page_attach_store(page *p, const struct http_file *f, int64_t fid, struct attachment *out); /* 0, or answered */
void api_attach_upload(page *p);
void page_attach_upload(page *p);
void page_attach_get(page *p);
void page_discuz_attachment(page *p);
void page_avatar(page *p);
void api_me_avatar(page *p);
void page_settings_avatar_form(page *p);
void page_settings_avatar(page *p);
struct actor page_actor(page *p);                 /* the viewer as forum/ sees a writer */
int page_forum_status(int code);                  /* FORUM_E_* -> HTTP status */
void page_forum_error(page *p, int code, const struct forum_err *e);
void page_goto_post(page *p, int64_t pid);        /* 302 to the floor's page and anchor */

/* reactions and credits (react.c) */
void react_thread_view(page *p);
void react_floor_view(page *p, tv *floor, const struct post *f);
struct json_t;
void react_floor_json(page *p, struct json_t *floor, const struct post *f);
void page_like(page *p);
void page_unlike(page *p);
void page_attitude(page *p);
void page_rate(page *p);
void page_rate_form(page *p);
void page_rate_revoke(page *p);
void page_report(page *p);
void page_report_form(page *p);
void page_reports(page *p);
void page_report_handle(page *p);
void page_likes(page *p);
void page_credits(page *p);
void api_like(page *p);
void api_unlike(page *p);
void api_attitude(page *p);
void api_rate(page *p);
void api_rate_revoke(page *p);
void api_report(page *p);
void api_user(page *p);
void api_my_credits(page *p);

/* The built-in static assets. */
const char *static_url(const char *name);   /* "/static/NAME?v=HASH" */
int static_init(void);
#endif
