/*
** rerender: renders stored posts again from their source (loulan rerender).
** Post HTML is rendered once, at write time; when the renderers change what
** they emit (e.g. classes instead of style attributes, which the CSP blocks),
** the posts written before still hold the old HTML until this runs.
** Knows nothing about HTTP or HTML beyond calling forum_cook.
*/
#include "forum/forum.h"
#include "forum/write.h"
#include "forum/rerender.h"
#include "forum/attach.h"
#include "forum/search.h"
#include "forum/notify.h"
#include "forum/cachegen.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row read in a batch: the key, and the stored format, source and HTML. */
struct rr_row {
	int64_t id, authorid, pid;   /* the post's author and pid: its attachments (forum/attach.h) */
	char *format, *source, *html;
};

static void rr_free(struct rr_row *r, int n) {
	for (int i = 0; i < n; i++) {
		free(r[i].format);
		free(r[i].source);
		free(r[i].html);
	}
}

/* Reads up to FORUM_RERENDER_BATCH rows after key `after` from statement s
   (already bound); returns the count, or -1 on a database error. */
static int rr_read(db_stmt *s, struct rr_row *rows) {
	int n = 0, rc = DB_DONE;
	while (n < FORUM_RERENDER_BATCH && (rc = db_step(s)) == DB_ROW) {
		rows[n].id = db_int(s, 0);
		rows[n].format = xstrdup(db_text(s, 1));
		rows[n].source = xstrdup(db_text(s, 2));
		rows[n].html = xstrdup(db_text(s, 3));
		rows[n].authorid = db_int(s, 4);
		rows[n].pid = db_int(s, 5);
		n++;
	}
	db_done(s);
	return n == FORUM_RERENDER_BATCH || rc == DB_DONE ? n : -1;
}

/* Renders rows[i] again; *fresh gets the new HTML when it differs (caller
   frees), NULL when it is unchanged. -1 if the renderer fails. */
static int rr_fresh(db *d, const struct rr_row *row, char **fresh) {
	char *html;
	*fresh = NULL;
	attach_scope_begin(d, row->authorid, 0, 0, row->pid, NULL, 0);
	int rc = notify_cook(d, row->format, row->source, &html, NULL);   /* @mentions stay links */
	attach_scope_end();
	if (rc) return -1;
	if (!strcmp(html, row->html)) free(html);
	else *fresh = html;
	return 0;
}

int forum_rerender(db *d, int64_t *seen, int64_t *changed, struct forum_err *e) {
	struct rr_row *rows = xmalloc(FORUM_RERENDER_BATCH * sizeof *rows);
	int rc = 0;
	*seen = *changed = 0;
	for (int table = 0; table < 2 && !rc; table++) {
		int64_t after = 0;
		for (;;) {
			db_stmt *s = table == 0
				? db_prep(d, "SELECT pid, format, source, html, authorid, pid FROM post WHERE pid > $1 ORDER BY pid LIMIT $2")
				: db_prep(d, "SELECT h.hid, h.format, h.source, h.html, p.authorid, h.pid FROM post_history h "
				             "JOIN post p ON p.pid = h.pid WHERE h.hid > $1 ORDER BY h.hid LIMIT $2");
			db_bind_int(s, 1, after);
			db_bind_int(s, 2, FORUM_RERENDER_BATCH);
			int n = rr_read(s, rows);
			if (n <= 0) {
				if (n < 0) { forum_fail(e, FORUM_E_DB, "reading posts: %s", db_errmsg(d)); rc = -1; }
				break;
			}
			if (db_begin(d)) { forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d)); rr_free(rows, n); rc = -1; break; }
			for (int i = 0; i < n && !rc; i++) {
				char *fresh;
				if (rr_fresh(d, &rows[i], &fresh)) {
					forum_fail(e, FORUM_E_INVALID, "cannot render %s %lld", table ? "edit" : "post", (long long)rows[i].id);
					rc = -1;
					break;
				}
				(*seen)++;
				if (!fresh) continue;
				db_stmt *u = table == 0 ? db_prep(d, "UPDATE post SET html = $1 WHERE pid = $2")
				                        : db_prep(d, "UPDATE post_history SET html = $1 WHERE hid = $2");
				db_bind_text(u, 1, fresh, -1);
				db_bind_int(u, 2, rows[i].id);
				if (db_step(u) != DB_DONE) { forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d)); rc = -1; }
				db_done(u);
				/* the index holds the text of the HTML: keep it in step (search.h) */
				if (!rc && table == 0 && search_index_post(d, rows[i].id)) { forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d)); rc = -1; }
				free(fresh);
				if (!rc) (*changed)++;
			}
			after = rows[n - 1].id;
			rr_free(rows, n);
			if (rc) { db_rollback(d); break; }
			if (db_commit(d)) { forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d)); rc = -1; break; }
			if (n < FORUM_RERENDER_BATCH) break;
		}
	}
	free(rows);
	if (!rc && *changed) cachegen_bump_site(d);
	return rc;
}
