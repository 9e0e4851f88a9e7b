/*
** page: what every page handler shares: the request's context (database
** connection, viewer, view data), parameter parsing with the right error
** status, and rendering through a template into the response with the
** footer's real timer and query count. No SQL here (that is forum/).
*/
#ifndef LOULAN_PAGE_H
#define LOULAN_PAGE_H
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/posting.h"
#include "http/http.h"
#include "cache/cache.h"
#include "render/tpl.h"

typedef struct viewer {
	int64_t uid;           /* 0: guest */
	const char *name;
	int64_t groupid;
	const char *csrf;      /* the session's CSRF token, for forms */
	const char *token;     /* the session token presented (cookie or bearer) */
	const char *token_hash;
	int bearer;            /* authenticated by Authorization: Bearer (API) */
	int64_t unread;        /* unread notifications (提醒), read with the session */
	int64_t pm_unread;     /* 短消息 not yet read (the header's 消息 count, PH_PM) */
	int sigoff;            /* hides signatures (PH_SIGOFF) */
} viewer;

#define SESSION_COOKIE "loulan_sid"   /* a request carrying it (or Authorization) never meets the guest cache */
#define CSRF_COOKIE "loulan_csrf"     /* guests' double-submit token for login/register forms */
#define CSRF_FIELD "csrf"
#define MOBILE_COOKIE "loulan_mobile"  /* 1: the touch layout (手机版), 0: the desktop one (电脑版) */
#define MOBILE_COOKIE_AGE (365L * 86400)
#define MOBILE_BACK_MAX 512              /* bytes of /mobile?back=PATH; longer goes to / */
#define FLASH_COOKIE "loulan_flash"    /* a small action's outcome, shown once by the page it returns to */
#define FLASH_MAX 300                  /* bytes of that message */
#define FLASH_AGE 120                  /* seconds the cookie lives if no page shows it */
#define PAGE_DESC_MAX 120              /* characters of a page's meta description (from the first floor) */
#define FEED_EXCERPT_MAX 300           /* characters of an RSS item's description */

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
	struct cache_deps cache;  /* set by page_cache_*: this page may be cached */
	int64_t views;            /* page_views: the number in the PH_VIEWS hole, or -1 */
	int counts;               /* page_thread_counts: replies, maxpos fill PH_REPLIES, PH_MAXPOS */
	int64_t replies, maxpos;
	/* Set before page_render: store the page in the cache (cache/cache.h) under this use and key.
	** routes.c sets them for guests; the thread page for members (key: request + group). */
	const char *ckey;
	size_t cklen;
	size_t ckbase;            /* ckey's first ckbase bytes are page_request_key's, the rest the caller's */
	int cuse;
	int64_t ctag;             /* the board whose permission a member hit checks */
	int64_t *touch;           /* page_varies_for: viewers whose page differs beyond the holes */
	int ntouch, ctouch;
	int layout_touch;         /* the touch layout (手机版): page_touch(r) */
	/* the flash message this request carries (page_flash_for): read once, shown once */
	const char *flash;
	int64_t flash_pid;
	int flash_kind, flash_read, flash_shown;
	/* R_PREP (page_batch): the writer's step and what the worker prepared for it */
	int batch_ok;             /* set by routes.c: page_batch may defer */
	void (*batch_fn)(struct page *);
	void *job;
} page;

/* The holes (render/tpl.h) page_render fills per request: what differs
** between two members of a group, and the footer's per-render words. The
** cache stores pages with these cut out. To add one: a PH_ id here, a
** tv_hole where page_render (or the handler) sets the value, and its value in
** page_hole_values. */
enum page_hole { PH_UID, PH_NAME, PH_CSRF, PH_VIEWS, PH_NOW, PH_ELAPSED, PH_QUERIES, PH_GZIP, PH_CACHE,
                 PH_MODQ /* open reports, in the moderators' header link (modq_open) */,
                 PH_NOTIFY /* unread notifications, the header's bell (member_notify.unread, read with the session) */,
                 PH_PM /* 短消息 not yet read, the header's 消息 link (P2, issue #15) */,
                 PH_SIGOFF /* " sigoff" when the viewer hides signatures: a class on <main> */,
                 PH_REPLIES, PH_MAXPOS /* a thread's reply count and last floor (page_thread_counts) */,
                 PH_PAGES /* its page count, in the pager of a page far from the end (page_pager) */, PH_COUNT };
/* vals[PH_*] for this request (views: the count to show; cache: the footer's "On"/"Off") */
void page_hole_values(page *p, const char **vals, int64_t views, const char *cache);
/* Declares that viewer uid sees this page differently beyond the holes (their
** own floor's buttons, their like): they never share its cached copy. Call it
** where the view data that differs is set. */
void page_varies_for(page *p, int64_t uid);

/* A handler that renders the same page for every guest declares what the
** page shows, before it reads it; routes.c then caches the 200 response for
** guests and serves it until one of these generations changes. The site
** generation is always included. page_cache_thread also makes each hit count
** a view of tid. Pages that vary per viewer or set cookies must not call these. */
void page_cache_site(page *p);
void page_cache_board(page *p, int64_t fid);
void page_cache_thread(page *p, int64_t tid);
void page_std_headers(req *r);         /* the headers page_render sets on every page */
/* Puts a thread's view count into the view as KEY as the PH_VIEWS hole: the
** page cache keeps it live (each cache hit shows one more). Use it for the
** view count of a cacheable thread page. */
void page_views(page *p, tv *m, const char *key, int64_t views);
/* Puts a thread's reply count and last floor number into m as "replies" and "maxposition", holes
** filled from the live counters (forum/cachegen.h) on a hit, so that a reply leaves the thread's
** other cached pages (issue 16). place says what of the thread the page shows:
**   PAGE_TAIL  its tail (its last page, newest first, one author's floors): depends on every reply;
**   PAGE_NEAR  a page whose pager reaches the last page (page_pager_far is 0): a reply that opens a
**              new page changes it (cachegen_bump_near);
**   PAGE_FAR   any other page: only an edit or moderation of the thread; its pager shows the page
**              count as the PH_PAGES hole. */
enum page_place { PAGE_FAR, PAGE_NEAR, PAGE_TAIL };
/* a thread's page count (its last page) from its last floor: PH_PAGES, and page_thread's last */
static inline int64_t page_thread_pages(int64_t maxpos) {
	return maxpos > FORUM_FLOORS_PER_PAGE ? (maxpos + FORUM_FLOORS_PER_PAGE - 1) / FORUM_FLOORS_PER_PAGE : 1;
}
void page_thread_counts(page *p, tv *m, int64_t tid, int64_t replies, int64_t maxpos, enum page_place place);
/* A hit of entry e: the live counters into p for page_hole_values; 0 when they are not current
** (render instead). */
int page_counts_hit(page *p, const cache_entry *e);

/* The route table (routes.c). What a route requires, checked before its handler:
**   R_API      JSON API: errors are JSON, the viewer comes from a bearer token only
**   R_FORM     parse the form body first; R_CSRF the form's csrf must match
**   R_LOGIN    members only; R_NOVIEWER no session lookup; R_BANOK open to 禁止访问;
**   R_NODB     runs without a database connection (p->db NULL)
**   R_BATCH    a quick database-only write: the handler runs on the writer thread, committed with
**              the others waiting (group commit, pages/batch.h); never for slow work (mail,
**              images, password hashing, uploads: a request carrying files runs in place)
**   R_PREP     with R_BATCH: the handler runs on the worker thread, does the work that needs no write
**              transaction (parse, check, render) and hands the rest to the writer with page_batch */
enum route_flag { R_API = 1, R_FORM = 2, R_CSRF = 4, R_LOGIN = 8, R_NOVIEWER = 16, R_BANOK = 32, R_NODB = 64,
                  R_BATCH = 128, R_PREP = 256 };
/* The prepare/apply split of an R_PREP handler (issue 16): FN runs on the writer thread inside the
** batch's transaction (as an R_BATCH handler does) with a copy of p; what the preparation made goes
** in p->job (the request's arena: it lives until the answer is sent). Without group commit (or on a
** request carrying files) FN runs at once, in place. Call it last, as the handler's last step. */
void page_batch(page *p, void (*fn)(page *), void *job);
/* Route i of the table (a copy, for checks and tests): 0, or -1 past the end. */
int route_info(size_t i, const char **pattern, int *methods, int *flags);
/* The table's security rules: a route that is not GET/HEAD has R_CSRF (forms)
** or R_API (bearer); R_API exactly under /api/v1/, never with R_FORM/R_CSRF;
** R_CSRF with R_FORM. Returns the number of broken routes, the first in err.
** `serve` refuses to start when it is not 0. */
int routes_check(char *err, size_t n);

/* Application-wide state set up by `serve`. */
struct app_config {
	db *(*db_get)(void);     /* this worker thread's connection (the server opens it on first use), or NULL */
	int no_fragment_cache;   /* --no-fragment-cache: see frag.h */
	int write_batch;         /* R_BATCH routes go to the writer thread (serve); 0: they run in place */
};
void app_set_config(const struct app_config *c);
db *app_db(void);                      /* this worker thread's connection (for bodies read while sent) */
int app_fragment_cache(void);          /* member thread pages from the fragment cache (not --no-fragment-cache) */
int app_write_batch(void);             /* R_BATCH routes run on the writer thread */
void app_handle(req *r);               /* the route table's entry point (routes.c) */
void *app_cache_response(const void *z, size_t n);  /* a gzip cache hit's response (cache_set_responder) */

void page_init(page *p, req *r);
void page_render(page *p, int status, const char *tpl, const char *title);
void page_error(page *p, int status, const char *message);
/* "Nothing ends on a dead-end page": a small action (a floor button, a short form) that fails or
** succeeds answers 303 to LOCATION, the page the member was on, with MSG in a cookie that the next
** page shows once (on floor PID when that page shows it, else at the top; KIND: FLASH_*). A request
** carrying the cookie is never served from a cache nor stored in one. */
enum { FLASH_ERROR = 0, FLASH_OK = 1, FLASH_WITHDRAW = 2 /* an error offering to take the attitude back */, FLASH_INFO = 3 };
void page_back(page *p, const char *location, int64_t pid, int kind, const char *msg);
/* the flash message for floor PID of the page being built (NULL if it is not this floor's) */
const char *page_flash_for(page *p, int64_t pid, int *kind);
void page_db_unavailable(page *p);   /* 503 "数据库暂时不可用" (page or JSON): the one wording */
void page_json(page *p, int status, const char *json);
int page_id(page *p, const char *s, int64_t *out);   /* positive id or 400 (0 returned = ok) */

/* Viewer and CSRF (routes.c calls these before the handler, as the route's flags say). */
void page_load_viewer(page *p, int api);   /* cookie session, or bearer token when api */
/* the composer's toolbar data (templates/composer.html) for the form whose
   action is key, posting in board fid (pages/post.c) */
void page_composer(page *p, const char *key, int64_t fid);
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
const char *page_when(page *p, time_t t);   /* a time as the lists show it (index.c) */
struct board;
tv *page_board_row(page *p, tv *list, const struct board *b, int64_t today);   /* a board list's row (index.c) */
void page_board_crumbs(page *p, tv *bm, const struct board *b);   /* category, the parent if seen (board.c) */
struct json_t;
/* 匿名 authors (anon.c; forum/anon.h): hidden from this viewer? The row's "authorid"/"author" with "anon"
   (hidden: 匿名, uid 0) or "anon_mod" (a moderator's view); the same in JSON with "anonymous" */
int page_anon_hidden(page *p, int anonymous, int64_t fid);
void page_author_tv(page *p, tv *m, int anonymous, int64_t fid, int64_t uid, const char *name);
void page_author_json(page *p, struct json_t *o, int anonymous, int64_t fid, int64_t uid, const char *name);
/* the pager of a list: page links around CUR of LAST (board.c), PAGE_PAGER_WINDOW each side. With
** last_hole, a pager that page_pager_far calls far shows LAST as the PH_PAGES hole: it looks the same
** for any larger LAST, so a thread page keeps its cached copy when a reply opens a new page. */
#define PAGE_PAGER_WINDOW 4
void page_pager(page *p, tv *m, const char *base, int cur, int last, int has_more, int last_hole);
/* 1 when page cur's pager looks the same (but for LAST's number) for every last' >= last: its window
** ends before last - 1, so a gap and then LAST follow it */
static inline int page_pager_far(int cur, int last) { return cur + PAGE_PAGER_WINDOW + 1 < last; }

/* JSON API helpers (jansson). Errors are {"error": {"code": "...", "message": "..."}}. */
struct json_t;
void page_json_error(page *p, int status, const char *code, const char *message);
struct json_t *page_json_body(page *p);              /* parsed object, or NULL after a 400/413/415 reply */
void page_json_send(page *p, int status, struct json_t *v);  /* takes the reference */
int page_number(page *p, const char *name, int *out); /* ?name=N, default 1; 400 on bad */
/* the API's OpenAPI description (apispec.c, api/FAMILY.json; issue 17) */
int apispec_init(char *err, size_t n);         /* merge api/FAMILY.json: 0, or -1 with err */
void apispec_free(void);
int apispec_check(char *err, size_t n);        /* the route table against it: 0, or the count of problems */
struct json_t *apispec_doc(void);              /* the merged document (borrowed) */
struct json_t *apispec_deref(struct json_t *v);   /* a {"$ref": "#/components/.."} resolved, else v */
struct json_t *apispec_operation(const char *pattern, int method);   /* paths[..][method] of a route */
struct json_t *apispec_body_schema(const char *pattern, int method); /* its JSON body's schema, or NULL */
const char *apispec_method_name(int bit);      /* "get", "post", ... */
int apispec_same_path(const char *key, const char *pattern);   /* "/a/{x}" has the shape of the pattern "/a/STAR" */
void page_openapi(page *p);                    /* GET /api/v1/openapi.json */
void page_apidocs(page *p);                    /* GET /api/docs (apidocs.c) */
void page_json_time(struct json_t *o, const char *key, int64_t t);   /* key: Unix seconds, key_iso: ISO 8601 UTC (null if 0) */
void page_json_next(page *p, struct json_t *o, const char *next_url); /* "next_url": the next page of a list, or null */

/* Handlers */
void page_index(page *p);
void page_board(page *p);
void page_thread(page *p);
void page_thread_next(page *p);
void page_thread_prev(page *p);
void page_thread_events(page *p);   /* live.c: Server-Sent Events (issue #15) */
void page_member_events(page *p);
void page_discuz_forum(page *p);
void page_discuz_html(page *p);
/* discuz.c, issue 18: Discuz! 6/7 viewthread.php etc., archiver/X, data/attachment/forum/PATH, avatar.php */
void page_discuz_d7(page *p);
void page_discuz_archiver(page *p);
void page_discuz_legacy_file(page *p);
void page_discuz_avatar(page *p);
void page_static(page *p);
void page_favicon(page *p);
void page_robots(page *p);
void page_metrics(page *p);   /* ops.c */
void page_healthz(page *p);
void page_login_form(page *p);
void page_login(page *p);
void page_logout(page *p);
void api_session_create(page *p);
void api_session_delete(page *p);
void api_me(page *p);
void api_users_create(page *p);
void page_register_form(page *p);
void page_register(page *p);
void page_welcome(page *p);
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
struct actor page_actor(page *p);                 /* the viewer as forum/ sees a writer */
struct json_t *api_thread_json(page *p, const struct thread *t);   /* api_forum.c */
/* moderation (#12, moderate.c) */
void page_thread_moderate_form(page *p);
void page_thread_moderate(page *p);
void page_board_moderate(page *p);
void page_post_moderate(page *p);
void api_board_moderators(page *p);
void page_modcp_recycle(page *p);
void page_modcp_log(page *p);
/* forum_post_get for a handler: 0 found and its board visible; -1 after answering 503, 404 or 403 */
int page_post(page *p, int64_t pid, struct post_full *pf);
/* DELETE of the post in the route (web and API): 0 done (*pf, *gone set); -1 after answering */
int page_post_delete(page *p, struct post_full *pf, int *gone);
/* attachments and avatars (attach.c, issue #13) */
struct http_file;
struct attachment;
int page_attach_store(page *p, const struct http_file *f, int64_t fid, struct attachment *out); /* 0, or answered */
void api_attach_upload(page *p);
void page_attach_upload(page *p);
void page_attach_get(page *p);
void page_attach_counts(page *p);
void page_album(page *p);
void page_discuz_attachment(page *p);
void page_avatar(page *p);
void api_me_avatar(page *p);
void page_settings_avatar_form(page *p);
void page_settings_avatar(page *p);
int page_forum_status(int code);                  /* FORUM_E_* -> HTTP status */
void page_forum_error(page *p, int code, const struct forum_err *e);
void page_goto_post(page *p, int64_t pid);        /* 302 to the floor's page and anchor */

/* admin panel (admin.c) */
void page_admin(page *p);
void page_admin_settings(page *p);
void page_admin_boards(page *p);
void page_admin_board_new(page *p);
void page_admin_board_edit(page *p);
void page_admin_board_perm(page *p);
void page_admin_board_delete(page *p);
void page_admin_board_mod(page *p);
void page_admin_board_approval(page *p);
void page_admin_groups(page *p);
void page_admin_group_edit(page *p);
void page_admin_group_rate(page *p);
void page_admin_users(page *p);
void page_admin_user(page *p);
void page_admin_user_group(page *p);
void page_admin_user_password(page *p);
void page_admin_user_delete(page *p);
void page_admin_credits(page *p);
void page_admin_credit_rule(page *p);
void page_admin_ipbans(page *p);          /* IP 禁止 (/admin/ipbans) */
void page_admin_ipban_add(page *p);
void page_admin_ipban_delete(page *p);
void page_modcp_ipbans_moved(page *p);    /* the old /modcp/ipbans: 301 to /admin/ipbans */
void page_admin_log(page *p);
/* search (search.c) */
void page_search(page *p);
void api_search(page *p);
void page_discuz_search(page *p);

/* reactions and credits (react.c) */
void page_reactions_thread(page *p, int64_t fid);   /* viewer_mod: may moderate board fid */
void page_reactions_floor(page *p, tv *floor, const struct post *f);
struct json_t;
void page_reactions_json(page *p, struct json_t *floor, const struct post *f);
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

/* discovery (issue 14, discover.c): rankings, guide, Archiver, RSS, sitemap, 手机版 */
/* The layout a request gets: ?mobile=2|yes|1 (touch) or no|0 (desktop), else the MOBILE_COOKIE, else
** the User-Agent (phones get touch). Caches key their entries by it (routes.c, thread.c). */
int page_touch(req *r);
/* The cache key of r's page: its path and the query arguments pages of that path read
** (cache_args), nothing else: a crawler's ?x=N is the same page (issue 16). */
void page_request_key(req *r, buf *out);
void page_touch_cookie(page *p);           /* remembers ?mobile= in the cookie (routes.c, before the handler) */
const char *page_base_url(page *p);        /* site.url, or the request's scheme and Host */
const char *page_excerpt(arena *a, const char *html, int max);   /* the text of post HTML, cut */
const char *page_first_image(arena *a, const char *html);       /* its first image's URL, or NULL */
const char *page_xml_safe(page *p, const char *s);
void page_robots_sitemap(page *p, const char *rules, size_t n);
void page_ranklist(page *p);
void page_guide(page *p);
void page_archiver(page *p);
void page_rss(page *p);
void page_sitemap(page *p);
void page_sitemap_part(page *p);
void page_mobile(page *p);
void page_discuz_misc(page *p);
/* 提醒 notifications, 关注, @ completion (notify.c, issue #15) */
void page_notifications(page *p);
void page_notification_open(page *p);
void page_notification_read(page *p);
void api_notifications(page *p);
void api_notifications_read(page *p);
void page_settings_notify_form(page *p);
void page_settings_notify(page *p);
void page_follow(page *p);
void page_follow_state(page *p);
void api_follow(page *p);
void api_unfollow(page *p);
void page_mentions(page *p);
/* members: bans, 小黑屋, IP bans (ban.c) */
void page_ban_form(page *p);
void page_ban(page *p);
void api_ban(page *p);
void page_unban(page *p);
void api_unban(page *p);
void page_purge(page *p);
void api_purge(page *p);
void page_blacklist(page *p);
/* the ban forms' terms (1/3/7/30 days, 永久 = 0) as the list "days" with SELECTED chosen, and "reason_max" */
void page_ban_terms(page *p, int selected);
void api_ipbans(page *p);
void api_ipban_add(page *p);
void api_ipban_delete(page *p);
int page_ip_banned(page *p);   /* registering and posting: 1 after a 403 when the client's address is banned */
/* 审核 (approve.c) */
void page_pending_mine(page *p);
void page_pending_queue(page *p);
void page_pending_decide(page *p);
void api_pending_decide(page *p);

/* mail, 找回密码, Email settings (recover.c); 收藏 and 分享 (favorite.c) — issue #15 */
void page_lostpasswd_form(page *p);
void page_lostpasswd(page *p);
void page_lostpasswd_reset_form(page *p);
void page_lostpasswd_reset(page *p);
void api_password_reset(page *p);
void api_password_reset_confirm(page *p);
void page_settings_email_form(page *p);
void page_settings_email(page *p);
void page_settings_email_resend(page *p);
void page_settings_email_confirm_form(page *p);
void page_settings_email_confirm(page *p);
void page_favorites(page *p);
void page_thread_favorite(page *p);
void api_thread_favorite(page *p);
void api_thread_unfavorite(page *p);
void page_thread_qr(page *p);
void page_thread_share(page *p);
void page_discuz_member(page *p);
/* 短消息 (P2, issue #15; pm.c) */
void page_pm_list(page *p);
void page_pm_new_form(page *p);
void page_pm_send(page *p);
void api_pm_send(page *p);
void page_pm_conv(page *p);
void page_pm_reply(page *p);
void api_pm_reply(page *p);
void page_pm_report(page *p);
void api_pm_report(page *p);
void page_pm_blocks(page *p);
void page_pm_blocks_set(page *p);
void page_pm_reports(page *p);
void page_pm_report_handle(page *p);
void page_discuz_home(page *p);   /* discuz.c: home.php (space, 短消息, profile) */
/* profiles (P2, issue #15; profile.c) */
void page_settings_profile_form(page *p);
void page_settings_profile(page *p);
void api_me_profile(page *p);

/* The built-in static assets. */
const char *static_url(const char *name);   /* "/static/NAME?v=HASH" */
int static_init(void);
#endif
