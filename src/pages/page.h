/*
** page: what every page handler shares: the request's context (database
** connection, viewer, view data), parameter parsing with the right error
** status, and rendering through a template into the response with the
** footer's real timer and query count. No SQL here (that is forum/).
*/
#ifndef LOULAN_PAGE_H
#define LOULAN_PAGE_H
#include "db/db.h"
#include "forum/forum.h"
#include "http/http.h"
#include "render/tpl.h"

typedef struct viewer {
	int64_t uid;           /* 0: guest */
	const char *name;
	int64_t groupid;
	const char *csrf;      /* the session's CSRF token, for forms */
} viewer;

typedef struct page {
	req *r;
	arena *a;
	db *db;
	tv *v;                 /* the root of the view data */
	const struct site *site;
	viewer me;
	time_t now;
} page;

/* Application-wide state set up by `serve`. */
struct app_config { db_config dbc; };
void app_set_config(const struct app_config *c);
db *app_db(void);                      /* this worker thread's connection (opened on first use) */
void app_handle(req *r);               /* the route table's entry point (routes.c) */

void page_init(page *p, req *r);
void page_render(page *p, int status, const char *tpl, const char *title);
void page_error(page *p, int status, const char *message);
void page_json(page *p, int status, const char *json);
int page_id(page *p, const char *s, int64_t *out);   /* positive id or 400 (0 returned = ok) */
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

/* The built-in static assets. */
const char *static_url(const char *name);   /* "/static/NAME?v=HASH" */
int static_init(void);
#endif
