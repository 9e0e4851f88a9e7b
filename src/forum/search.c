/*
** search: the index kept by the writers and the one query a search costs
** (see forum/search.h). Backend-specific SQL sits side by side, marked:
** SQLite's FTS5 table search_fts (rowid = pid, ranked by loulan_rank, BM25
** without IDF with the title weighted SEARCH_TITLE_WEIGHT: db/db_sqlite.c) and
** PostgreSQL's search_doc (tsvector text built by search_tsvector, ts_rank
** with weight A = 1.0 for the title against 0.1).
*/
#include "forum/search.h"
#include "forum/copy.h"
#include "forum/perm.h"
#include "forum/posting.h"
#include "forum/site.h"
#include "util/buf.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEARCH_DENIED_MAX 4096   /* boards refused to one group, passed to the query as a list */

/* ---- the index -------------------------------------------------------------- */

static int step_done(db_stmt *s) {
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

int search_unindex_post(db *d, int64_t pid) {
	db_stmt *s = db_kind(d) == DB_SQLITE ? db_prep(d, "DELETE FROM search_fts WHERE rowid = $1")
	                                     : db_prep(d, "DELETE FROM search_doc WHERE pid = $1");
	db_bind_int(s, 1, pid);
	return step_done(s);
}

static int unindex_thread(db *d, int64_t tid) {
	db_stmt *s = db_kind(d) == DB_SQLITE
		? db_prep(d, "DELETE FROM search_fts WHERE rowid IN (SELECT pid FROM post WHERE tid = $1)")
		: db_prep(d, "DELETE FROM search_doc WHERE pid IN (SELECT pid FROM post WHERE tid = $1)");
	db_bind_int(s, 1, tid);
	return step_done(s);
}

int search_add_text(db *d, int64_t pid, const char *title, const char *text) {
	int rc;
	if (db_kind(d) == DB_SQLITE) {
		db_stmt *s = db_prep(d, "INSERT INTO search_fts(rowid, title, body) VALUES ($1, $2, $3)");
		db_bind_int(s, 1, pid);
		db_bind_text(s, 2, title, -1);
		db_bind_text(s, 3, text, -1);
		rc = step_done(s);
	} else {
		char *tsv = search_tsvector(title, text);
		db_stmt *s = db_prep(d, "INSERT INTO search_doc(pid, title, body, tsv) VALUES ($1, $2, $3, CAST($4 AS tsvector)) "
		                        "ON CONFLICT (pid) DO UPDATE SET title = excluded.title, body = excluded.body, "
		                        "tsv = excluded.tsv");
		db_bind_int(s, 1, pid);
		db_bind_text(s, 2, title, -1);
		db_bind_text(s, 3, text, -1);
		db_bind_text(s, 4, tsv, -1);
		rc = step_done(s);
		free(tsv);
	}
	return rc;
}

struct search_row { int64_t pid; char *title, *text, *tsv; };

void search_batch_init(struct search_batch *b, db *d) {
	memset(b, 0, sizeof *b);
	b->d = d;
}

int search_batch_add(struct search_batch *b, int64_t pid, const char *title, const char *text) {
	if (db_kind(b->d) == DB_SQLITE) return search_add_text(b->d, pid, title, text);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->rows = realloc(b->rows, sizeof *b->rows * (size_t)b->cap);
		if (!b->rows) die_oom();
	}
	struct search_row *r = &b->rows[b->n++];
	r->pid = pid;
	r->title = xstrdup(title);
	r->text = xstrdup(text);
	r->tsv = search_tsvector(title, text);
	return 0;
}

static void batch_clear(struct search_batch *b) {
	for (int i = 0; i < b->n; i++) {
		free(b->rows[i].title);
		free(b->rows[i].text);
		free(b->rows[i].tsv);
	}
	b->n = 0;
}

/* PostgreSQL: the batch's rows into table (search_doc or the temporary search_load) with one COPY */
static int batch_copy(struct search_batch *b, const char *table) {
	db_copy *c = db_copy_begin(b->d, table, "pid, title, body, tsv");
	int rc = c ? 0 : -1;
	for (int i = 0; i < b->n && !rc; i++) {
		db_copy_int(c, b->rows[i].pid);
		db_copy_text(c, b->rows[i].title, -1);
		db_copy_text(c, b->rows[i].text, -1);
		db_copy_text(c, b->rows[i].tsv, -1);
		rc = db_copy_row(c);
	}
	if (c && db_copy_end(c)) rc = -1;
	batch_clear(b);
	return rc;
}

/* the rows are new, so no conflict to resolve */
int search_batch_flush(struct search_batch *b) { return b->n ? batch_copy(b, "search_doc") : 0; }

void search_batch_free(struct search_batch *b) {
	batch_clear(b);
	free(b->rows);
	b->rows = NULL;
	b->cap = 0;
}

/* writes pid's row from its title (floor 1, else "") and sanitized HTML; absent: pid is known not to
   be in the index (SQLite: no DELETE first, which FTS5 makes a lookup of its own, ~18k instructions) */
static int put_doc(db *d, int64_t pid, const char *title, const char *html, int absent) {
	char *text = search_html_text(html);
	int rc = db_kind(d) == DB_SQLITE && !absent ? search_unindex_post(d, pid) : 0;
	if (!rc) rc = search_add_text(d, pid, title, text);
	free(text);
	return rc;
}

/* PostgreSQL: n documents at once with the bulk load. direct: straight into search_doc (no other
   writer: `loulan copy`'s one transaction); else into a session's temporary table, then one
   INSERT ... ON CONFLICT from it (a server indexing new posts meanwhile may have written some) */
static int put_docs_pg(db *d, int direct, int n, const int64_t *pid, char *const *title, char *const *html) {
	if (!direct && db_exec_script(d, "CREATE TEMP TABLE IF NOT EXISTS search_load(pid BIGINT, title TEXT, body TEXT, "
	                                 "tsv TEXT)"))
		return -1;
	struct search_batch b;
	search_batch_init(&b, d);
	for (int i = 0; i < n; i++) {
		char *text = search_html_text(html[i]);
		search_batch_add(&b, pid[i], title[i], text);
		free(text);
	}
	int rc = batch_copy(&b, direct ? "search_doc" : "search_load");
	search_batch_free(&b);
	if (rc) return -1;
	if (direct) return 0;
	if (db_exec(d, "INSERT INTO search_doc(pid, title, body, tsv) SELECT pid, title, body, CAST(tsv AS tsvector) "
	               "FROM search_load ON CONFLICT (pid) DO UPDATE SET title = excluded.title, body = excluded.body, "
	               "tsv = excluded.tsv"))
		return -1;
	return db_exec(d, "DELETE FROM search_load");
}

/* PostgreSQL: the pids a group commit's jobs wrote, indexed at the batch's end (SQLite's wait in
   search_pending; search.h) */
static __thread struct { db *d; int n; int64_t pid[SEARCH_DEFER_MAX]; } g_defer;

static int index_now(db *d, int64_t pid, int absent);

static int g_pending = 1;   /* atomic: search_pending may have rows */
int search_pending_any(void) { return __atomic_load_n(&g_pending, __ATOMIC_RELAXED); }
void search_pending_set(void) { __atomic_store_n(&g_pending, 1, __ATOMIC_RELAXED); }

int search_index_post(db *d, int64_t pid) {
	if (db_in_savepoint(d) && db_kind(d) == DB_SQLITE) {
		db_stmt *s = db_prep(d, "INSERT OR IGNORE INTO search_pending(pid) VALUES ($1)");
		db_bind_int(s, 1, pid);
		if (step_done(s)) return -1;
		search_pending_set();
		return 0;
	}
	if (db_in_savepoint(d)) {
		if (g_defer.d != d) g_defer.d = d, g_defer.n = 0;
		for (int i = g_defer.n - 1; i >= 0; i--)
			if (g_defer.pid[i] == pid) return 0;
		if (g_defer.n < SEARCH_DEFER_MAX) {
			g_defer.pid[g_defer.n++] = pid;
			return 0;
		}
	}
	return index_now(d, pid, 0);
}

/* SQLite: the search_pending rows indexed and deleted, at most max (0: all), in the caller's
   transaction (the writer's: no other writer adds rows meanwhile). *emptied: none is left. */
static int drain_rows(db *d, int max, int *emptied) {
	int64_t pids[SEARCH_DRAIN_BATCH];
	int n, rc, total = 0;
	*emptied = 0;
	/* the largest pid in the index: a post above it is new to it (most are: replies), and needs no
	   DELETE before its INSERT. Read in the writer's transaction, so no other writer adds one meanwhile;
	   FTS5 keeps its rows in the table search_fts_content (id = rowid). */
	db_stmt *s = db_prep(d, "SELECT COALESCE(MAX(id), 0) FROM search_fts_content");
	rc = db_step(s);
	int64_t indexed_max = rc == DB_ROW ? db_int(s, 0) : INT64_MAX;   /* unknown: DELETE every time */
	db_done(s);
	do {
		if (max && total >= max) return 0;   /* the rest waits for the next drain */
		n = 0;
		s = db_prep(d, "SELECT pid FROM search_pending ORDER BY pid LIMIT $1");
		db_bind_int(s, 1, SEARCH_DRAIN_BATCH);
		while ((rc = db_step(s)) == DB_ROW) pids[n++] = db_int(s, 0);
		db_done(s);
		rc = rc == DB_ERR ? -1 : 0;
		for (int i = 0; i < n && !rc; i++) rc = index_now(d, pids[i], pids[i] > indexed_max);
		total += n;
		if (!rc && n) {
			s = db_prep(d, "DELETE FROM search_pending WHERE pid <= $1");
			db_bind_int(s, 1, pids[n - 1]);
			rc = step_done(s);
		}
	} while (!rc && n == SEARCH_DRAIN_BATCH);
	if (!rc) *emptied = 1;
	return rc;
}

static int g_drain_emptied;   /* the writer's: its last drain left no row */

int search_drain(db *d, int max) {
	g_drain_emptied = 0;
	if (db_savepoint(d)) return 1;   /* no level to run in (nothing done): the rows wait */
	int emptied = 0, rc = db_begin(d);   /* inside the level: a savepoint of its own */
	if (!rc) rc = drain_rows(d, max, &emptied);
	if (!rc && getenv("LOULAN_TEST_DRAIN_FAIL")) rc = -1;   /* t0190: after the work, as a late failure would */
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	int rel = db_release(d);
	if (rel < 0) return -1;
	if (rc) {
		static time_t said;   /* at most once a minute: the writer tries again every SEARCH_DRAIN_MS */
		time_t now = time(NULL);
		if (now - said >= 60) {
			said = now;
			fprintf(stderr, "loulan: search index not updated (the posts wait in search_pending): %s\n", db_errmsg(d));
		}
		return 1;
	}
	g_drain_emptied = emptied;
	return 0;
}

void search_drain_done(int committed) {
	if (committed && g_drain_emptied) __atomic_store_n(&g_pending, 0, __ATOMIC_RELAXED);
	else search_pending_set();
	g_drain_emptied = 0;
}

int search_index_deferred(db *d) {
	int rc = 0, n = g_defer.d == d ? g_defer.n : 0;
	g_defer.n = 0;
	for (int i = 0; i < n && !rc; i++) rc = index_now(d, g_defer.pid[i], 0);
	return rc ? -1 : 0;
}

static int index_now(db *d, int64_t pid, int absent) {
	db_stmt *s = db_prep(d, "SELECT p.position, p.deleted, t.hidden, t.subject, p.html, p.tid FROM post p "
	                        "JOIN thread t ON t.tid = p.tid WHERE p.pid = $1");
	db_bind_int(s, 1, pid);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_done(s);
		return rc == DB_DONE ? search_unindex_post(d, pid) : -1;
	}
	int64_t position = db_int(s, 0), deleted = db_int(s, 1), hidden = db_int(s, 2), tid = db_int(s, 5);
	char *subject = xstrdup(db_text(s, 3)), *html = xstrdup(db_text(s, 4));
	db_done(s);
	if (hidden && position == 1) rc = unindex_thread(d, tid);
	else if (hidden || deleted) rc = search_unindex_post(d, pid);
	else rc = put_doc(d, pid, position == 1 ? subject : "", html, absent);
	free(subject);
	free(html);
	return rc;
}

int search_index_thread(db *d, int64_t tid) {
	int64_t last = 0;
	int n, rc = 0;
	int64_t *pids = xcalloc(SEARCH_REINDEX_BATCH, sizeof *pids);
	do {
		n = 0;
		db_stmt *s = db_prep(d, "SELECT pid FROM post WHERE tid = $1 AND pid > $2 ORDER BY pid LIMIT $3");
		db_bind_int(s, 1, tid);
		db_bind_int(s, 2, last);
		db_bind_int(s, 3, SEARCH_REINDEX_BATCH);
		while ((rc = db_step(s)) == DB_ROW) pids[n++] = db_int(s, 0);
		db_done(s);
		if (rc == DB_ERR) break;
		rc = 0;
		for (int i = 0; i < n && !rc; i++) rc = search_index_post(d, last = pids[i]);
	} while (!rc && n == SEARCH_REINDEX_BATCH);
	free(pids);
	return rc ? -1 : 0;
}

/* FTS5 merges its segments as rows come: a rebuild ends with one segment per term list.
   PostgreSQL: fresh statistics, so the planner knows which words are common */
int search_optimize(db *d) {
	int rc = db_begin(d);
	if (!rc) rc = db_exec(d, db_kind(d) == DB_SQLITE ? "INSERT INTO search_fts(search_fts) VALUES ('optimize')"
	                                                 : "ANALYZE search_doc");
	if (!rc) rc = db_commit(d);
	else db_rollback(d);
	return rc;
}

/* the posts the index holds (search_index_post's rule: not deleted, thread not hidden): pid, position,
   the thread's subject (the title goes with floor 1) and the HTML; search_reindex and search_copy_index */
#define VISIBLE_POSTS "SELECT p.pid, p.position, t.subject, p.html FROM post p JOIN thread t ON t.tid = p.tid " \
	"WHERE p.deleted = 0 AND t.hidden = 0"

int search_reindex(db *d, void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx, struct forum_err *e) {
	int64_t *pids = xcalloc(SEARCH_REINDEX_BATCH, sizeof *pids);
	char **titles = xcalloc(SEARCH_REINDEX_BATCH, sizeof *titles), **htmls = xcalloc(SEARCH_REINDEX_BATCH, sizeof *htmls);
	int64_t total = 0, done = 0, last = 0;
	int n = 0, rc;
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM post");
	if (db_step(s) == DB_ROW) total = db_int(s, 0);
	db_done(s);
	int direct = db_in_tx(d);   /* inside the caller's transaction: nobody else writes (see put_docs_pg) */
	rc = db_begin(d);
	if (!rc) rc = db_exec(d, db_kind(d) == DB_SQLITE ? "DELETE FROM search_fts" : "DELETE FROM search_doc");
	if (!rc) rc = db_commit(d);
	while (!rc) {
		n = 0;
		s = db_prep(d, VISIBLE_POSTS " AND p.pid > $1 ORDER BY p.pid LIMIT $2");
		db_bind_int(s, 1, last);
		db_bind_int(s, 2, SEARCH_REINDEX_BATCH);
		while ((rc = db_step(s)) == DB_ROW) {
			pids[n] = db_int(s, 0);
			titles[n] = xstrdup(db_int(s, 1) == 1 ? db_text(s, 2) : "");   /* the title goes with floor 1 */
			htmls[n] = xstrdup(db_text(s, 3));
			n++;
		}
		db_done(s);
		rc = rc == DB_ERR ? -1 : 0;
		if (!rc) rc = db_begin(d);
		if (!rc && db_kind(d) == DB_PG) rc = put_docs_pg(d, direct, n, pids, titles, htmls);
		else
			/* emptied above; in the caller's transaction nobody has added one since (else a server may have) */
			for (int i = 0; i < n && !rc; i++) rc = put_doc(d, pids[i], titles[i], htmls[i], direct);
		if (!rc) rc = db_commit(d);
		else db_rollback(d);
		for (int i = 0; i < n; i++) {
			free(titles[i]);
			free(htmls[i]);
		}
		if (n) last = pids[n - 1];
		/* posts in hidden threads are passed over, so count by pid, which grows with the rows */
		done += n;
		if (progress) progress(ctx, done > total ? total : done, total);
		if (n < SEARCH_REINDEX_BATCH) break;
	}
	free(pids);
	free(titles);
	free(htmls);
	if (!rc) rc = search_optimize(d);
	if (rc) forum_fail(e, FORUM_E_DB, "cannot index: %s", db_errmsg(d));
	else if (progress) progress(ctx, total, total);
	return rc ? -1 : 0;
}

/* PostgreSQL `to` inside the caller's transaction (loulan copy): every visible post of `from` (the
   copy's source, read in its own snapshot) into search_doc in one COPY stream, so that the documents
   are cut into tokens here while PostgreSQL parses the ones sent before (search_reindex waits for each
   batch: the two took turns on the two cores, a third of the machine idle). search_doc's GIN index is
   dropped meanwhile and built once after (copy_keys_drop). 200,000 posts: 18.5 s -> 7.0 s with the
   binary copy below (docs/PERFORMANCE.md, tenth session). */
int search_copy_index(db *from, db *to, struct forum_err *e) {
	struct copy_keys keys = {0};
	const char *step = "emptying search_doc";
	int rc = db_exec(to, "DELETE FROM search_doc");
	if (!rc) {
		step = "dropping search_doc's index";
		int krc = copy_keys_drop(to, "search_doc", &keys);
		if (krc) {
			forum_fail(e, FORUM_E_DB, "cannot index: %s: %s", step, copy_keys_error(to, krc));
			return -1;
		}
	}
	/* binary: PostgreSQL reads the tsvector as it stores it, and the text without unescaping
	   (its parsing of the text form was half of the server's time here) */
	db_copy *c = rc ? NULL : db_copy_begin_binary(to, "search_doc", "pid, title, body, tsv");
	if (!c) {
		copy_keys_free(&keys);
		forum_fail(e, FORUM_E_DB, "cannot index: %s: %s", step, db_errmsg(to));
		return -1;
	}
	db_stmt *s = db_prep(from, VISIBLE_POSTS " ORDER BY p.pid");
	int src, crc = 0;
	while ((src = db_step(s)) == DB_ROW) {
		const char *title = db_int(s, 1) == 1 ? db_text(s, 2) : "";   /* the title goes with floor 1 */
		char *text = search_html_text(db_text(s, 3));
		size_t tsv_len;
		char *tsv = search_tsvector_bin(title, text, &tsv_len);
		db_copy_int(c, db_int(s, 0));
		db_copy_text(c, title, -1);
		db_copy_text(c, text, -1);
		db_copy_raw(c, tsv, (int)tsv_len);
		crc = db_copy_row(c);   /* the values are read until it returns */
		free(text);
		free(tsv);
		if (crc) break;
	}
	db_done(s);
	if (src == DB_ERR) {
		db_copy_end(c);
		copy_keys_free(&keys);
		forum_fail(e, FORUM_E_DB, "cannot index: reading the posts: %s", db_errmsg(from));
		return -1;
	}
	step = "writing search_doc";
	rc = db_copy_end(c) || crc ? -1 : 0;
	if (!rc) {
		step = "building search_doc's index";
		rc = copy_keys_make(to, &keys);
	}
	copy_keys_free(&keys);
	if (!rc) {
		step = "analyzing search_doc";
		rc = db_exec(to, "ANALYZE search_doc");
	}
	if (rc) forum_fail(e, FORUM_E_DB, "cannot index: %s: %s", step, db_errmsg(to));
	return rc ? -1 : 0;
}

/* migration 7 fills the index of a forum that existed before search (db/schema.c) */
static int migration_fill(db *d) {
	struct forum_err e;
	return search_reindex(d, NULL, NULL, &e);
}
__attribute__((constructor)) static void search_hook(void) { db_search_fill = migration_fill; }

/* ---- searching ------------------------------------------------------------ */

/* the boards refused to the reader, for the query's filter: SQLite ",3,17," (instr), PostgreSQL
   "{3,17}" (<> ALL: the planner estimates it, where strpos() = 0 made it guess 1 row in 200) */
static const char *denied_list(arena *a, const struct actor *who, int pg) {
	int64_t *fids = arena_alloc(a, sizeof *fids * SEARCH_DENIED_MAX);
	int n = perm_view_denied(who->uid ? who->groupid : GROUP_GUEST, fids, SEARCH_DENIED_MAX);
	if (n > SEARCH_DENIED_MAX) n = SEARCH_DENIED_MAX;   /* the rows are checked again by the page */
	buf b;
	buf_init(&b, 0);
	buf_putc(&b, pg ? '{' : ',');
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!forum_can_view(who, fids[i], NULL)) buf_appendf(&b, pg && k++ ? ",%lld" : pg ? "%lld" : "%lld,", (long long)fids[i]);
	if (pg) buf_putc(&b, '}');
	const char *r = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return r;
}

int search_run(db *d, arena *a, const struct actor *who, const struct search_req *rq, struct search_result *out) {
	memset(out, 0, sizeof *out);
	char *expr = NULL;
	int sqlite = db_kind(d) == DB_SQLITE;
	if (sqlite ? search_query_fts5(rq->q, &expr) : search_query_tsquery(rq->q, &expr)) return -1;
	/* the newest SEARCH_MAX_MATCHES visible matches (m; PostgreSQL ranks after the LIMIT, in r, or
	   it computes ts_rank, which reads the whole tsvector, for every match before sorting), their sort key k (relevance scaled to an
	   integer, boosted for recency: divided by 1 + age in years; or the pid for "newest"), their
	   rank (n), then one page after the cursor / the skipped rows, with the text for the excerpt;
	   the first match always comes too, flagged off the page unless it is on it, so a page past
	   the end still carries the total */
	db_stmt *s = sqlite
		? db_prep(d, "WITH m AS MATERIALIZED (SELECT f.rowid AS pid, loulan_rank(search_fts) AS b, p.created AS created "
		             "FROM search_fts f JOIN post p ON p.pid = f.rowid JOIN thread t ON t.tid = p.tid "
		             "JOIN board bd ON bd.fid = t.fid "
		             "WHERE search_fts MATCH $1 AND p.deleted = 0 AND p.banned = 0 AND t.hidden = 0 AND bd.hidden = 0 "
		             "AND instr($2, ',' || t.fid || ',') = 0 AND ($3 = 0 OR t.fid = $3) "
		             "AND ($4 = '' OR (p.anonymous = 0 AND p.authorid = (SELECT uid FROM member WHERE username_key = $4))) "
		             "AND p.created >= $5 AND ($12 = 0 OR p.position = 1) "
		             "ORDER BY f.rowid DESC LIMIT $6), "
		             "r AS (SELECT pid, CASE WHEN $7 = 1 THEN pid ELSE CAST(b * 1000000.0 / "
		             "(1.0 + max(0, $8 - created) / 31536000.0) AS INTEGER) END AS k FROM m), "
		             "n AS (SELECT pid, k, ROW_NUMBER() OVER (ORDER BY k DESC, pid DESC) AS rn, COUNT(*) OVER () AS total "
		             "FROM r) "
		             "SELECT n.pid, p.tid, t.fid, n.k, p.created, p.authorid, p.author, p.position, t.subject, s.body, n.total, "
		             "CASE WHEN n.rn > $13 AND ($10 = 0 OR n.k < $9 OR (n.k = $9 AND n.pid < $10)) THEN 1 ELSE 0 END, p.anonymous "
		             "FROM n JOIN post p ON p.pid = n.pid JOIN thread t ON t.tid = p.tid JOIN search_fts s ON s.rowid = n.pid "
		             "WHERE (n.rn > $13 AND ($10 = 0 OR n.k < $9 OR (n.k = $9 AND n.pid < $10))) OR n.rn = 1 "
		             "ORDER BY n.k DESC, n.pid DESC LIMIT $11")
		: db_prep_each(d, "WITH m AS MATERIALIZED (SELECT sd.pid, p.created AS created "
		             "FROM search_doc sd JOIN post p ON p.pid = sd.pid JOIN thread t ON t.tid = p.tid "
		             "JOIN board bd ON bd.fid = t.fid "
		             "WHERE sd.tsv @@ CAST($1 AS tsquery) AND p.deleted = 0 AND p.banned = 0 AND t.hidden = 0 AND bd.hidden = 0 "
		             "AND t.fid <> ALL (CAST($2 AS BIGINT[])) AND ($3 = 0 OR t.fid = $3) "
		             "AND (CAST($4 AS TEXT) = '' OR (p.anonymous = 0 AND p.authorid = (SELECT uid FROM member WHERE username_key = $4))) "
		             "AND p.created >= $5 AND ($12 = 0 OR p.position = 1) "
		             "ORDER BY sd.pid DESC LIMIT $6), "
		             "r AS (SELECT m.pid, CASE WHEN $7 = 1 THEN m.pid ELSE CAST(ts_rank('{0.1, 0.2, 0.4, 1.0}', rd.tsv, "
		             "CAST($1 AS tsquery)) * 1000000.0 / (1.0 + GREATEST(0, $8 - m.created) / 31536000.0) AS BIGINT) END AS k "
		             "FROM m JOIN search_doc rd ON rd.pid = m.pid), "
		             "n AS (SELECT pid, k, ROW_NUMBER() OVER (ORDER BY k DESC, pid DESC) AS rn, COUNT(*) OVER () AS total "
		             "FROM r) "
		             "SELECT n.pid, p.tid, t.fid, n.k, p.created, p.authorid, p.author, p.position, t.subject, sd.body, n.total, "
		             "CASE WHEN n.rn > $13 AND ($10 = 0 OR n.k < $9 OR (n.k = $9 AND n.pid < $10)) THEN 1 ELSE 0 END, p.anonymous "
		             "FROM n JOIN post p ON p.pid = n.pid JOIN thread t ON t.tid = p.tid JOIN search_doc sd ON sd.pid = n.pid "
		             "WHERE (n.rn > $13 AND ($10 = 0 OR n.k < $9 OR (n.k = $9 AND n.pid < $10))) OR n.rn = 1 "
		             "ORDER BY n.k DESC, n.pid DESC LIMIT $11");
	db_bind_text(s, 1, expr, -1);
	db_bind_text(s, 2, denied_list(a, who, !sqlite), -1);
	db_bind_int(s, 3, rq->fid);
	db_bind_text(s, 4, rq->author_key ? rq->author_key : "", -1);
	db_bind_int(s, 5, rq->since);
	db_bind_int(s, 6, SEARCH_MAX_MATCHES);
	db_bind_int(s, 7, rq->newest ? 1 : 0);
	db_bind_int(s, 8, rq->now);
	db_bind_int(s, 9, rq->after_k);
	db_bind_int(s, 10, rq->after_pid);
	db_bind_int(s, 11, SEARCH_PER_PAGE + 2);   /* a page, one more (has_more), the first match */
	db_bind_int(s, 12, rq->q->titles ? 1 : 0);
	db_bind_int(s, 13, rq->skip);
	out->rows = arena_alloc(a, sizeof *out->rows * (SEARCH_PER_PAGE + 1));
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		out->total = db_int(s, 10);
		if (!db_int(s, 11)) continue;   /* the first match, carried for the total */
		if (out->n == SEARCH_PER_PAGE) {
			out->has_more = 1;
			continue;
		}
		struct search_hit *h = &out->rows[out->n++];
		h->pid = db_int(s, 0);
		h->tid = db_int(s, 1);
		h->fid = db_int(s, 2);
		h->k = db_int(s, 3);
		h->created = db_int(s, 4);
		h->authorid = db_int(s, 5);
		h->author = arena_strdup(a, db_text(s, 6));
		h->position = db_int(s, 7);
		h->subject = arena_strdup(a, db_text(s, 8));
		h->text = arena_strdup(a, db_text(s, 9));
		h->anonymous = (int)db_int(s, 12);   /* 匿名 (anon.h): an author search never finds these */
	}
	db_done(s);
	free(expr);
	out->capped = out->total >= SEARCH_MAX_MATCHES;
	return rc == DB_ERR ? -1 : 0;
}
