/*
** import: the framework of `loulan import-discuz` (see import.h): the source
** connection and its charset, table discovery, prepared reads, keysets with
** resume state, the id sets, the report, and the runner of the stages.
*/
#include "import/import.h"
#include "import/dzconfig.h"
#include "import/dztext.h"
#include "forum/copy.h"
#include "util/die.h"
#include <errno.h>
#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

/* The stages in their order. A stage added by another file: one line here (and its prototype in
   import.h). The name is the import_state key and stays stable across versions. */
const struct imp_stage imp_stages[] = {
	{"settings", dz_settings, "settings common_setting"},
	{"usergroups", dz_usergroups, "groups common_usergroup"},
	{"members", dz_members, "members common_member (+ _archive)"},
	{"boards", dz_boards, "boards forum_forum"},
	{"moderators", dz_moderators, "moderators forum_moderator"},
	{"threads", dz_threads, "threads forum_thread (+ _N)"},
	{"posts", dz_posts, "posts forum_post (+ _N)"},
	{"attachments", dz_attachments, "attachments forum_attachment (+ _0.._9)"},   /* dz_attach.c */
	{"avatars", dz_avatars, "avatars uc_server/data/avatar"},   /* dz_avatar.c */
	{"reactions", dz_reactions, "ratings, support/oppose, recommends forum_ratelog ..."},   /* dz_react.c */
	{"favorites", dz_favorites, "favorites home_favorite"},
	{"pms", dz_pms, "private messages ucenter pm_messages_0..9"},   /* dz_pm.c */
	{"bans", dz_bans, "bans common_member (+ common_member_crime)"},   /* dz_mod.c */
	{"ipbans", dz_ipbans, "IP bans common_banned"},
	{"modlog", dz_modlog, "moderation log forum_threadmod"},
	{"specials", dz_specials, "special threads (polls ...) forum_thread"},   /* dz_react.c */
	{"counters", dz_counters, "counters"},
	{"search", dz_search, "search index (optimize)"},
	{"verify", dz_verify, "verification"},
	{NULL, NULL, NULL},
};

#define IMP_GROUPS_MAX 1024   /* Discuz! groupids mapped (smallint) */

/* Test hooks (tests/e2e/t1800): LOULAN_IMPORT_BATCH=N reads N rows per batch (1..IMP_BATCH), so a
   small fixture takes many transactions; LOULAN_IMPORT_KILL=N sends the process SIGKILL inside the
   N-th batch transaction, after its rows and state are written and before COMMIT (kill -9 at the
   worst moment). */
static int g_batch = IMP_BATCH, g_kill_at, g_commits;

int imp_batch(void) { return g_batch; }

struct idset { uint64_t *bits; size_t words; };
struct rlist { char name[160]; int n; buf lines; };

struct imp {
	MYSQL *my;
	db *d;
	const struct imp_opts *o;
	enum dz_charset cs;
	struct dz_conv *cv;
	char prefix[IMP_TABLE_MAX], ucdb[IMP_TABLE_MAX], ucprefix[IMP_TABLE_MAX];
	char dbname[IMP_TABLE_MAX];
	char **tables;         /* SHOW TABLES, sorted */
	int ntables;
	arena a;               /* strings that live for the run */
	struct idset sets[IMP_NSETS];
	int64_t groups[IMP_GROUPS_MAX];   /* Discuz! groupid -> loulan groupid (0: unmapped) */
	struct imp_site site;
	char *attach_dir, *authkey;
	char err[512];
	buf report;            /* the report's lines so far (warnings, counts) */
	struct rlist lists[IMP_REPORT_LISTS];
	int nlists;
	int stage_open;        /* a progress bar is showing */
};

/* ---- errors and the report ------------------------------------------------ */

int imp_fail(struct imp *im, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->err, sizeof im->err, fmt, ap);
	va_end(ap);
	return -1;
}

void imp_warn(struct imp *im, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	buf_puts(&im->report, "note: ");
	buf_vappendf(&im->report, fmt, ap);
	buf_putc(&im->report, '\n');
	va_end(ap);
}

void imp_report_count(struct imp *im, const char *what, int64_t source, int64_t target) {
	buf_appendf(&im->report, "rows %-34s discuz %10lld  loulan %10lld  %s\n", what, (long long)source,
	            (long long)target, source == target ? "ok" : "DIFFERENT");
}

void imp_report_list(struct imp *im, const char *list, const char *fmt, ...) {
	struct rlist *l = NULL;
	for (int i = 0; i < im->nlists; i++)
		if (!strcmp(im->lists[i].name, list)) l = &im->lists[i];
	if (!l) {
		if (im->nlists == IMP_REPORT_LISTS) {   /* never silently: the report says a list is missing */
			imp_warn(im, "report list \"%s\" left out (more than %d lists)", list, IMP_REPORT_LISTS);
			return;
		}
		l = &im->lists[im->nlists++];
		snprintf(l->name, sizeof l->name, "%s", list);
		buf_init(&l->lines, 0);
	}
	if (l->n++ >= IMP_REPORT_LIST) return;
	va_list ap;
	va_start(ap, fmt);
	buf_puts(&l->lines, "  ");
	buf_vappendf(&l->lines, fmt, ap);
	buf_putc(&l->lines, '\n');
	va_end(ap);
}

void imp_progress(struct imp *im, int64_t done, int64_t total) {
	if (im->o->bar) im->o->bar(im->o->bar_ctx, done, total);
}

db *imp_db(struct imp *im) { return im->d; }
struct imp_site *imp_site(struct imp *im) { return &im->site; }
const char *imp_attach_dir(struct imp *im) { return im->attach_dir; }
const char *imp_authkey(struct imp *im) { return im->authkey; }
const struct imp_opts *imp_opts(struct imp *im) { return im->o; }

/* ---- id sets --------------------------------------------------------------- */

int imp_has(struct imp *im, enum imp_set s, int64_t id) {
	struct idset *x = &im->sets[s];
	if (id < 0 || (uint64_t)id / 64 >= x->words) return 0;
	return (int)((x->bits[id / 64] >> (id % 64)) & 1);
}

void imp_mark(struct imp *im, enum imp_set s, int64_t id) {
	struct idset *x = &im->sets[s];
	if (id < 0 || id > ((int64_t)1 << 40)) return;
	if ((uint64_t)id / 64 >= x->words) {
		size_t words = x->words ? x->words : 1024;
		while ((uint64_t)id / 64 >= words) words *= 2;
		x->bits = realloc(x->bits, words * sizeof *x->bits);
		if (!x->bits) die_oom();
		memset(x->bits + x->words, 0, (words - x->words) * sizeof *x->bits);
		x->words = words;
	}
	x->bits[id / 64] |= (uint64_t)1 << (id % 64);
}

void imp_group_map(struct imp *im, int64_t dz, int64_t lg) {
	if (dz >= 0 && dz < IMP_GROUPS_MAX) im->groups[dz] = lg;
}

int64_t imp_group(struct imp *im, int64_t dz, int64_t credits) {
	if (dz >= 0 && dz < IMP_GROUPS_MAX && im->groups[dz]) return im->groups[dz];
	/* a group the site lost: the member band of the credits (the usergroups stage loaded them) */
	db_stmt *s = db_prep(im->d, "SELECT groupid FROM usergroup WHERE type = 'member' AND creditslower <= $1 "
	                            "AND creditshigher > $1 ORDER BY groupid LIMIT 1");
	db_bind_int(s, 1, credits);
	int64_t g = db_step(s) == DB_ROW ? db_int(s, 0) : 10;
	db_done(s);
	return g;
}

/* ---- the source: names ------------------------------------------------------- */

static int name_ok(const char *s) {
	if (!*s || strlen(s) >= IMP_TABLE_MAX) return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
	return 1;
}

static int has_table(struct imp *im, const char *name) {
	int lo = 0, hi = im->ntables - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(im->tables[mid], name);
		if (!c) return 1;
		if (c < 0) lo = mid + 1;
		else hi = mid - 1;
	}
	return 0;
}

static const char *quoted(struct imp *im, const char *db_, const char *name) {
	return db_ && *db_ ? arena_sprintf(&im->a, "`%s`.`%s`", db_, name) : arena_sprintf(&im->a, "`%s`", name);
}

const char *imp_table(struct imp *im, const char *name) {
	char full[IMP_TABLE_MAX * 2];
	snprintf(full, sizeof full, "%s%s", im->prefix, name);
	if (!name_ok(full) || !has_table(im, full)) return NULL;
	return quoted(im, NULL, full);
}

const char *imp_uctable(struct imp *im, const char *name) {
	char full[IMP_TABLE_MAX * 2];
	snprintf(full, sizeof full, "%s%s", im->ucprefix, name);
	if (!name_ok(full)) return NULL;
	if (im->ucdb[0] && strcmp(im->ucdb, im->dbname)) {
		/* another database on the same server: ask it (bound parameters) */
		int64_t none = 0;
		(void)none;
		MYSQL_STMT *st = mysql_stmt_init(im->my);
		static const char sql[] = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
		MYSQL_BIND b[2];
		memset(b, 0, sizeof b);
		unsigned long l0 = strlen(im->ucdb), l1 = strlen(full);
		b[0].buffer_type = MYSQL_TYPE_STRING, b[0].buffer = im->ucdb, b[0].buffer_length = l0, b[0].length = &l0;
		b[1].buffer_type = MYSQL_TYPE_STRING, b[1].buffer = full, b[1].buffer_length = l1, b[1].length = &l1;
		int found = st && !mysql_stmt_prepare(st, sql, sizeof sql - 1) && !mysql_stmt_bind_param(st, b) &&
		            !mysql_stmt_execute(st) && !mysql_stmt_store_result(st) && mysql_stmt_num_rows(st) > 0;
		if (st) mysql_stmt_close(st);
		return found ? quoted(im, im->ucdb, full) : NULL;
	}
	return has_table(im, full) ? quoted(im, NULL, full) : NULL;
}

static int cmp_split(const void *a, const void *b) {
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	const char *ux = strrchr(x, '_'), *uy = strrchr(y, '_');
	return (int)(strtol(ux + 1, NULL, 10) - strtol(uy + 1, NULL, 10));
}

const char *const *imp_tables_split(struct imp *im, const char *name, int *n) {
	char base[IMP_TABLE_MAX * 2];
	snprintf(base, sizeof base, "%s%s", im->prefix, name);
	size_t bl = strlen(base);
	const char **out = arena_alloc(&im->a, sizeof *out * (size_t)(im->ntables + 1));
	int k = 0;
	if (name_ok(base) && has_table(im, base)) out[k++] = quoted(im, NULL, base);
	int first = k;
	for (int i = 0; i < im->ntables; i++) {
		const char *t = im->tables[i];
		if (strncmp(t, base, bl) || t[bl] != '_' || !t[bl + 1]) continue;
		const char *p = t + bl + 1;
		while (*p >= '0' && *p <= '9') p++;
		if (*p || p - (t + bl + 1) > 6) continue;
		out[k++] = t;
	}
	qsort(out + first, (size_t)(k - first), sizeof *out, cmp_split);
	for (int i = first; i < k; i++) out[i] = quoted(im, NULL, out[i]);
	out[k] = NULL;
	*n = k;
	return out;
}

/* ---- the source: statements ---------------------------------------------------- */

void imp_rows_init(struct imp_rows *r) {
	memset(r, 0, sizeof *r);
	arena_init(&r->a);
}

void imp_rows_free(struct imp_rows *r) {
	free(r->v);
	free(r->len);
	arena_free(&r->a);
	memset(r, 0, sizeof *r);
}

int imp_prepare(struct imp *im, struct imp_query *q, const char *sql) {
	memset(q, 0, sizeof *q);
	q->im = im;
	MYSQL_STMT *st = mysql_stmt_init(im->my);
	if (!st) return imp_fail(im, "out of memory");
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		imp_fail(im, "source: %s (in: %.200s)", mysql_stmt_error(st), sql);
		mysql_stmt_close(st);
		return -1;
	}
	q->stmt = st;
	q->nparams = (int)mysql_stmt_param_count(st);
	q->ncols = (int)mysql_stmt_field_count(st);
	int nc = q->ncols ? q->ncols : 1;
	q->bind = xcalloc((size_t)nc, sizeof(MYSQL_BIND));
	q->bufs = xcalloc((size_t)nc, sizeof *q->bufs);
	q->lens = xcalloc((size_t)nc, sizeof *q->lens);
	q->caps = xcalloc((size_t)nc, sizeof *q->caps);
	q->nulls = xcalloc((size_t)nc, 1);
	q->errs = xcalloc((size_t)nc, 1);
	MYSQL_BIND *b = q->bind;
	for (int c = 0; c < q->ncols; c++) {
		q->caps[c] = 256;
		q->bufs[c] = xmalloc(q->caps[c]);
		b[c].buffer_type = MYSQL_TYPE_STRING;
		b[c].buffer = q->bufs[c];
		b[c].buffer_length = q->caps[c];
		b[c].length = &q->lens[c];
		b[c].is_null = (my_bool *)&q->nulls[c];
		b[c].error = (my_bool *)&q->errs[c];
	}
	return 0;
}

void imp_query_close(struct imp_query *q) {
	if (q->stmt) mysql_stmt_close(q->stmt);
	for (int c = 0; c < q->ncols; c++) free(q->bufs[c]);
	free(q->bind);
	free(q->bufs);
	free(q->lens);
	free(q->caps);
	free(q->nulls);
	free(q->errs);
	memset(q, 0, sizeof *q);
}

static void rows_push(struct imp_rows *r, struct imp_query *q) {
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->v = realloc(r->v, sizeof *r->v * (size_t)r->cap * (size_t)r->ncols);
		r->len = realloc(r->len, sizeof *r->len * (size_t)r->cap * (size_t)r->ncols);
		if (!r->v || !r->len) die_oom();
	}
	for (int c = 0; c < r->ncols; c++) {
		size_t i = (size_t)r->n * (size_t)r->ncols + (size_t)c;
		if (q->nulls[c]) {
			r->v[i] = NULL;
			r->len[i] = 0;
		} else {
			size_t l = q->lens[c] < q->caps[c] ? q->lens[c] : q->caps[c];
			r->v[i] = arena_strndup(&r->a, q->bufs[c], l);
			r->len[i] = l;
		}
	}
	r->n++;
}

int imp_exec(struct imp_query *q, const int64_t *params, int nparams, struct imp_rows *rows) {
	struct imp *im = q->im;
	MYSQL_STMT *st = q->stmt;
	if (nparams != q->nparams) return imp_fail(im, "source: %d parameters given, the statement has %d", nparams, q->nparams);
	MYSQL_BIND pb[32];
	long long pv[32];
	if (nparams > 32) return imp_fail(im, "too many parameters");
	memset(pb, 0, sizeof pb);
	for (int i = 0; i < nparams; i++) {
		pv[i] = params[i];
		pb[i].buffer_type = MYSQL_TYPE_LONGLONG;
		pb[i].buffer = &pv[i];
	}
	if ((nparams && mysql_stmt_bind_param(st, pb)) || mysql_stmt_execute(st))
		return imp_fail(im, "source: %s", mysql_stmt_error(st));
	if (mysql_stmt_bind_result(st, q->bind)) return imp_fail(im, "source: %s", mysql_stmt_error(st));
	arena_reset(&rows->a);
	rows->n = 0;
	rows->ncols = q->ncols;
	int rc;
	while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		if (rc == MYSQL_DATA_TRUNCATED) {
			int rebind = 0;
			for (int c = 0; c < q->ncols; c++) {
				if (!q->errs[c] || q->lens[c] < q->caps[c]) continue;
				unsigned long want = q->lens[c] + 1;
				if (want > IMP_COL_MAX) want = IMP_COL_MAX;
				q->bufs[c] = realloc(q->bufs[c], want);
				if (!q->bufs[c]) die_oom();
				q->caps[c] = want;
				MYSQL_BIND *b = &((MYSQL_BIND *)q->bind)[c];
				b->buffer = q->bufs[c];
				b->buffer_length = want;
				unsigned long full = q->lens[c];
				if (mysql_stmt_fetch_column(st, b, (unsigned)c, 0)) {
					mysql_stmt_free_result(st);
					return imp_fail(im, "source: %s", mysql_stmt_error(st));
				}
				q->lens[c] = full < want ? full : want;
				rebind = 1;
			}
			if (rebind) mysql_stmt_bind_result(st, q->bind);
		}
		rows_push(rows, q);
	}
	if (rc != MYSQL_NO_DATA) {
		imp_fail(im, "source: %s", mysql_stmt_error(st));
		mysql_stmt_free_result(st);
		return -1;
	}
	mysql_stmt_free_result(st);
	return rows->n;
}

int imp_select(struct imp *im, const char *sql, const int64_t *params, int nparams, struct imp_rows *rows) {
	struct imp_query q;
	if (imp_prepare(im, &q, sql)) return -1;
	int n = imp_exec(&q, params, nparams, rows);
	imp_query_close(&q);
	return n;
}

int64_t imp_count(struct imp *im, const char *sql) {
	struct imp_rows r;
	imp_rows_init(&r);
	int n = imp_select(im, sql, NULL, 0, &r);
	int64_t v = n > 0 ? imp_int(&r, 0, 0) : -1;
	imp_rows_free(&r);
	return v;
}

int64_t imp_count_of(struct imp *im, const char *table, const char *expr) {
	if (!table) return 0;
	buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT ");
	buf_puts(&sql, expr);
	buf_puts(&sql, " FROM ");
	buf_puts(&sql, table);
	int64_t v = imp_count(im, buf_cstr(&sql));
	buf_release(&sql);
	return v;
}

int64_t imp_int(const struct imp_rows *r, int row, int col) {
	const char *v = r->v[(size_t)row * (size_t)r->ncols + (size_t)col];
	return v ? strtoll(v, NULL, 10) : 0;
}

const char *imp_raw(const struct imp_rows *r, int row, int col, size_t *len) {
	size_t i = (size_t)row * (size_t)r->ncols + (size_t)col;
	if (len) *len = r->v[i] ? r->len[i] : 0;
	return r->v[i] ? r->v[i] : "";
}

const char *imp_conv(struct imp *im, arena *a, const char *s, size_t n, int mode) {
	buf b;
	buf_init(&b, 0);
	if (dz_text(im->cv, s, n, mode, &b)) {
		buf_release(&b);
		return "";
	}
	char *out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_release(&b);
	return out;
}

const char *imp_text(struct imp *im, struct imp_rows *r, int row, int col, int mode) {
	size_t n;
	const char *s = imp_raw(r, row, col, &n);
	return imp_conv(im, &r->a, s, n, mode);
}

/* ---- the target: transactions and state ----------------------------------------- */

int imp_begin(struct imp *im) { return db_begin(im->d) ? imp_fail(im, "target: %s", db_errmsg(im->d)) : 0; }

int imp_commit(struct imp *im) {
	if (db_commit(im->d)) {
		imp_fail(im, "target: %s", db_errmsg(im->d));
		db_rollback(im->d);
		return -1;
	}
	return 0;
}

void imp_rollback(struct imp *im) {
	if (db_in_tx(im->d)) db_rollback(im->d);
}

int imp_state_get(struct imp *im, const char *key, struct imp_state *st) {
	memset(st, 0, sizeof *st);
	db_stmt *s = db_prep(im->d, "SELECT lastkey, nrows, done, info FROM import_state WHERE stage = $1");
	db_bind_text(s, 1, key, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		st->lastkey = db_int(s, 0);
		st->nrows = db_int(s, 1);
		st->done = (int)db_int(s, 2);
		snprintf(st->info, sizeof st->info, "%s", db_text(s, 3));
	}
	db_done(s);
	if (rc == DB_ERR) return imp_fail(im, "target: %s", db_errmsg(im->d));
	return rc == DB_ROW;
}

int imp_state_put(struct imp *im, const char *key, const struct imp_state *st) {
	db_stmt *s = db_prep(im->d, "INSERT INTO import_state(stage, lastkey, nrows, done, info) VALUES ($1, $2, $3, $4, $5) "
	                            "ON CONFLICT(stage) DO UPDATE SET lastkey = excluded.lastkey, nrows = excluded.nrows, "
	                            "done = excluded.done, info = excluded.info");
	db_bind_text(s, 1, key, -1);
	db_bind_int(s, 2, st->lastkey);
	db_bind_int(s, 3, st->nrows);
	db_bind_int(s, 4, st->done);
	db_bind_text(s, 5, st->info, -1);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : imp_fail(im, "target: %s", db_errmsg(im->d));
}

/* ---- keysets ---------------------------------------------------------------------- */

int imp_keyset_open(struct imp *im, struct imp_keyset *k, const char *key, const char *sql, const char *pattern) {
	memset(k, 0, sizeof *k);
	k->im = im;
	imp_rows_init(&k->rows);
	snprintf(k->key, sizeof k->key, "%s", key);
	snprintf(k->pattern, sizeof k->pattern, "%s", pattern ? pattern : "KL");
	k->total = -1;
	struct imp_state st;
	if (imp_state_get(im, key, &st) < 0) return -1;
	k->last = st.lastkey;
	k->nrows = st.nrows;
	k->done = st.done;
	if (k->done) return 0;
	if (imp_prepare(im, &k->q, sql)) return -1;
	if (k->q.nparams != (int)strlen(k->pattern)) return imp_fail(im, "keyset %s: %d parameters, pattern %s", key, k->q.nparams, k->pattern);
	return 0;
}

int imp_keyset_fetch(struct imp_keyset *k, int64_t after, struct imp_rows *rows) {
	if (k->done) return 0;
	int64_t p[16];
	int np = (int)strlen(k->pattern);
	for (int i = 0; i < np; i++) p[i] = k->pattern[i] == 'K' ? after : g_batch;
	int n = imp_exec(&k->q, p, np, rows);
	if (n < 0) return -1;
	if (n) {
		int64_t last = imp_int(rows, n - 1, 0);
		if (last <= after) return imp_fail(k->im, "keyset %s: the key did not grow (%lld after %lld)", k->key,
		                                   (long long)last, (long long)after);
	}
	return n;
}

int imp_keyset_next(struct imp_keyset *k) { return imp_keyset_fetch(k, k->last, &k->rows); }

int imp_keyset_commit_at(struct imp_keyset *k, int64_t lastkey, int n) {
	struct imp *im = k->im;
	struct imp_state st = {0};
	st.lastkey = n ? lastkey : k->last;
	st.nrows = k->nrows + n;
	st.done = n < g_batch;
	if (imp_state_put(im, k->key, &st)) {
		imp_rollback(im);
		return -1;
	}
	if (g_kill_at && ++g_commits == g_kill_at) raise(SIGKILL);
	if (imp_commit(im)) {
		imp_rollback(im);
		return -1;
	}
	k->last = st.lastkey;
	k->nrows = st.nrows;
	k->done = st.done;
	imp_progress(im, k->nrows, k->total);
	return 0;
}

int imp_keyset_commit(struct imp_keyset *k) {
	int n = k->rows.n;
	return imp_keyset_commit_at(k, n ? imp_int(&k->rows, n - 1, 0) : k->last, n);
}

int imp_keyset_finish(struct imp_keyset *k) {
	struct imp *im = k->im;
	struct imp_state st = {k->last, k->nrows, 1, ""};
	if (imp_begin(im)) return -1;
	if (imp_state_put(im, k->key, &st) || imp_commit(im)) {
		imp_rollback(im);
		return -1;
	}
	k->done = 1;
	return 0;
}

void imp_keyset_close(struct imp_keyset *k) {
	if (k->q.stmt) imp_query_close(&k->q);
	imp_rows_free(&k->rows);
}

/* ---- options: --from, --discuz-root ------------------------------------------------ */

struct src { char user[256], pass[256], host[256], db[IMP_TABLE_MAX]; unsigned port; };

static void pct_decode(const char *s, size_t n, char *out, size_t cap) {
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		if (s[i] == '%' && i + 2 < n) {
			char hx[3] = {s[i + 1], s[i + 2], 0};
			char *e;
			long v = strtol(hx, &e, 16);
			if (!*e) {
				out[k++] = (char)v;
				i += 2;
				continue;
			}
		}
		out[k++] = s[i];
	}
	out[k] = 0;
}

/* mysql://USER[:PASS]@HOST[:PORT]/DB */
static int parse_url(const char *url, struct src *s, char *err, size_t errlen) {
	memset(s, 0, sizeof *s);
	s->port = 3306;
	if (strlen(url) > IMP_URL_MAX || strncmp(url, "mysql://", 8)) {
		snprintf(err, errlen, "--from wants mysql://USER:PASS@HOST:PORT/DB");
		return -1;
	}
	const char *p = url + 8, *at = strrchr(p, '@'), *slash;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		pct_decode(p, (size_t)((colon ? colon : at) - p), s->user, sizeof s->user);
		if (colon) pct_decode(colon + 1, (size_t)(at - colon - 1), s->pass, sizeof s->pass);
		p = at + 1;
	}
	slash = strchr(p, '/');
	if (!slash || !slash[1]) {
		snprintf(err, errlen, "--from names no database (mysql://USER:PASS@HOST:PORT/DB)");
		return -1;
	}
	const char *colon = memchr(p, ':', (size_t)(slash - p));
	size_t hl = (size_t)((colon ? colon : slash) - p);
	if (!hl || hl >= sizeof s->host) {
		snprintf(err, errlen, "--from names no host");
		return -1;
	}
	memcpy(s->host, p, hl);
	if (colon) {
		char *e;
		long port = strtol(colon + 1, &e, 10);
		if (e != slash || port < 1 || port > 65535) {
			snprintf(err, errlen, "--from: bad port");
			return -1;
		}
		s->port = (unsigned)port;
	}
	pct_decode(slash + 1, strlen(slash + 1), s->db, sizeof s->db);
	if (!name_ok(s->db)) {
		snprintf(err, errlen, "--from: the database name must match [A-Za-z0-9_]+");
		return -1;
	}
	return 0;
}

static int read_conf(const char *root, const char *file, struct dzconf *c) {
	char path[4096];
	snprintf(path, sizeof path, "%s/config/%s", root, file);
	FILE *f = fopen(path, "rb");
	if (!f) return -1;
	char *text = xmalloc(DZCONF_FILE_MAX + 1);
	size_t n = fread(text, 1, DZCONF_FILE_MAX + 1, f);
	fclose(f);
	int rc = n > DZCONF_FILE_MAX ? -1 : dzconf_parse(c, text, n);
	free(text);
	return rc;
}

/* UC_DBTABLEPRE: "pre_ucenter_" or "`ucenter`.uc_" (another database) */
static int split_ucprefix(const char *v, char *dbn, size_t dcap, char *prefix, size_t pcap) {
	dbn[0] = 0;
	const char *dot = strchr(v, '.');
	if (dot) {
		const char *a = v, *b = dot;
		if (*a == '`') a++;
		if (b > a && b[-1] == '`') b--;
		if ((size_t)(b - a) >= dcap) return -1;
		memcpy(dbn, a, (size_t)(b - a));
		dbn[b - a] = 0;
		v = dot + 1;
		if (!name_ok(dbn)) return -1;
	}
	if (*v == '`') v++;
	if (strlen(v) >= pcap) return -1;
	memcpy(prefix, v, strlen(v) + 1);
	size_t l = strlen(prefix);
	if (l && prefix[l - 1] == '`') prefix[l - 1] = 0;
	return prefix[0] && !name_ok(prefix) ? -1 : 0;
}

/* ---- connecting ------------------------------------------------------------------ */

static int source_charset(struct imp *im, const char *given) {
	if (given && *given) {
		if (!(im->cs = dz_charset_parse(given))) return imp_fail(im, "--charset: unknown charset %s (utf8mb4, utf8, gbk, big5)", given);
		return 0;
	}
	/* the charset of common_member's table, as SHOW CREATE TABLE would say */
	char name[IMP_TABLE_MAX * 2];
	snprintf(name, sizeof name, "%scommon_member", im->prefix);
	MYSQL_STMT *st = mysql_stmt_init(im->my);
	static const char sql[] = "SELECT c.CHARACTER_SET_NAME FROM information_schema.TABLES t JOIN "
	                          "information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION "
	                          "WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME = ?";
	MYSQL_BIND b, r;
	char out[64] = "";
	unsigned long l = strlen(name), ol = 0;
	memset(&b, 0, sizeof b);
	memset(&r, 0, sizeof r);
	b.buffer_type = MYSQL_TYPE_STRING, b.buffer = name, b.buffer_length = l, b.length = &l;
	r.buffer_type = MYSQL_TYPE_STRING, r.buffer = out, r.buffer_length = sizeof out - 1, r.length = &ol;
	if (st && !mysql_stmt_prepare(st, sql, sizeof sql - 1) && !mysql_stmt_bind_param(st, &b) && !mysql_stmt_execute(st) &&
	    !mysql_stmt_bind_result(st, &r) && mysql_stmt_fetch(st) == 0)
		out[ol < sizeof out ? ol : sizeof out - 1] = 0;
	if (st) mysql_stmt_close(st);
	im->cs = dz_charset_parse(out);
	if (!im->cs) im->cs = DZ_UTF8MB4;
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int discover(struct imp *im) {
	if (mysql_query(im->my, "SHOW TABLES")) return imp_fail(im, "source: %s", mysql_error(im->my));
	MYSQL_RES *res = mysql_store_result(im->my);
	if (!res) return imp_fail(im, "source: %s", mysql_error(im->my));
	MYSQL_ROW row;
	im->tables = xcalloc(IMP_TABLES_MAX, sizeof *im->tables);
	while ((row = mysql_fetch_row(res)) && im->ntables < IMP_TABLES_MAX)
		if (row[0] && name_ok(row[0])) im->tables[im->ntables++] = arena_strdup(&im->a, row[0]);
	mysql_free_result(res);
	qsort(im->tables, (size_t)im->ntables, sizeof *im->tables, cmp_str);
	return 0;
}

static int connect_source(struct imp *im, const struct imp_opts *o, char *err, size_t errlen) {
	struct dzconf gc = {0}, uc = {0};
	struct src s;
	const char *from = o->from, *prefix = o->prefix, *ucp = o->uc_prefix, *charset = o->charset;
	char url[IMP_URL_MAX + 1];
	if (o->discuz_root) {
		if (read_conf(o->discuz_root, "config_global.php", &gc)) {
			snprintf(err, errlen, "cannot read %s/config/config_global.php", o->discuz_root);
			return 1;
		}
		read_conf(o->discuz_root, "config_ucenter.php", &uc);   /* optional: bundled UCenter by default */
		const char *h = dzconf_get(&gc, "db.1.dbhost"), *u = dzconf_get(&gc, "db.1.dbuser"),
		           *pw = dzconf_get(&gc, "db.1.dbpw"), *dbn = dzconf_get(&gc, "db.1.dbname");
		if (!from) {
			if (!h || !dbn) {
				snprintf(err, errlen, "config_global.php has no $_config['db'][1] dbhost/dbname");
				dzconf_free(&gc);
				dzconf_free(&uc);
				return 1;
			}
			memset(&s, 0, sizeof s);
			s.port = 3306;
			const char *colon = strrchr(h, ':');
			snprintf(s.host, sizeof s.host, "%.*s", (int)(colon ? (size_t)(colon - h) : strlen(h)), h);
			if (colon) s.port = (unsigned)strtoul(colon + 1, NULL, 10);
			snprintf(s.user, sizeof s.user, "%s", u ? u : "");
			snprintf(s.pass, sizeof s.pass, "%s", pw ? pw : "");
			snprintf(s.db, sizeof s.db, "%s", dbn);
			if (!name_ok(s.db)) {
				snprintf(err, errlen, "config_global.php: the database name must match [A-Za-z0-9_]+");
				dzconf_free(&gc);
				dzconf_free(&uc);
				return 1;
			}
		}
		/* copies: the config is freed before the values are used */
		if (!prefix) prefix = arena_strdup(&im->a, dzconf_get(&gc, "db.1.tablepre"));
		if (!charset) charset = arena_strdup(&im->a, dzconf_get(&gc, "db.1.dbcharset"));
		if (!ucp) ucp = arena_strdup(&im->a, dzconf_get(&uc, "UC_DBTABLEPRE"));
		const char *ak = dzconf_get(&gc, "security.authkey");
		if (!o->authkey && ak && *ak) im->authkey = arena_strdup(&im->a, ak);
		const char *uh = dzconf_get(&uc, "UC_DBHOST");
		if (uh && h && strcmp(uh, h))
			imp_warn(im, "UCenter is on another server (%s): its tables are read through the forum's connection", uh);
	}
	if (o->authkey) im->authkey = arena_strdup(&im->a, o->authkey);
	if (o->attachments) im->attach_dir = arena_strdup(&im->a, o->attachments);
	if (from) {
		snprintf(url, sizeof url, "%s", from);
		if (parse_url(url, &s, err, errlen)) {
			dzconf_free(&gc);
			dzconf_free(&uc);
			return 1;
		}
	} else if (!o->discuz_root) {
		snprintf(err, errlen, "give --from mysql://... or --discuz-root DIR");
		return 1;
	}
	snprintf(im->prefix, sizeof im->prefix, "%s", prefix ? prefix : "pre_");
	char ucdefault[IMP_TABLE_MAX * 2];
	snprintf(ucdefault, sizeof ucdefault, "%sucenter_", im->prefix);
	int bad = (im->prefix[0] && !name_ok(im->prefix)) ||
	          split_ucprefix(ucp && *ucp ? ucp : ucdefault, im->ucdb, sizeof im->ucdb, im->ucprefix, sizeof im->ucprefix);
	dzconf_free(&gc);
	dzconf_free(&uc);
	if (bad) {
		snprintf(err, errlen, "table prefixes must match [A-Za-z0-9_]* (the UCenter one may be `db`.prefix)");
		return 1;
	}
	snprintf(im->dbname, sizeof im->dbname, "%s", s.db);
	im->my = mysql_init(NULL);
	if (!im->my) die_oom();
	unsigned timeout = 30;
	mysql_options(im->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(im->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (!mysql_real_connect(im->my, s.host, s.user, s.pass, s.db, s.port, NULL, 0)) {
		snprintf(err, errlen, "cannot connect to %s:%u/%s: %s", s.host, s.port, s.db, mysql_error(im->my));
		return -1;
	}
	if (discover(im) || source_charset(im, charset)) {
		snprintf(err, errlen, "%s", im->err);
		return -1;
	}
	if (mysql_set_character_set(im->my, dz_charset_mysql(im->cs))) {
		snprintf(err, errlen, "source: SET NAMES %s: %s", dz_charset_mysql(im->cs), mysql_error(im->my));
		return -1;
	}
	if (!(im->cv = dz_conv_open(im->cs))) {
		snprintf(err, errlen, "ICU has no converter for %s", dz_charset_mysql(im->cs));
		return -1;
	}
	if (!imp_table(im, "common_member") || !imp_table(im, "forum_forum")) {
		snprintf(err, errlen, "%s has no %scommon_member / %sforum_forum: not a Discuz! X database, or another --prefix",
		         s.db, im->prefix, im->prefix);
		return 1;
	}
	return 0;
}

/* ---- the target ------------------------------------------------------------------ */

/* empty: no members, boards, threads and no import state (a forum `loulan init` just made, or
   the one this command created) */
static int target_state(struct imp *im, int *empty, int *started) {
	db_stmt *s = db_prep(im->d, "SELECT (SELECT COUNT(*) FROM member), (SELECT COUNT(*) FROM board), "
	                            "(SELECT COUNT(*) FROM thread), (SELECT COUNT(*) FROM import_state)");
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*empty = !db_int(s, 0) && !db_int(s, 1) && !db_int(s, 2) && !db_int(s, 3);
		*started = db_int(s, 3) > 0;
	}
	db_done(s);
	return rc == DB_ROW ? 0 : imp_fail(im, "target: %s", db_errmsg(im->d));
}

/* --resume: the id sets and the group map from what the target holds */
static int refill(struct imp *im) {
	static const struct { enum imp_set set; const char *sql; } q[] = {
		{IMP_UID, "SELECT uid FROM member WHERE uid > $1 ORDER BY uid LIMIT 10000"},
		{IMP_FID, "SELECT fid FROM board WHERE fid > $1 ORDER BY fid LIMIT 10000"},
		{IMP_TID, "SELECT tid FROM thread WHERE tid > $1 ORDER BY tid LIMIT 10000"},
		{IMP_PID, "SELECT pid FROM post WHERE pid > $1 ORDER BY pid LIMIT 10000"},
		{IMP_HIDDEN, "SELECT tid FROM thread WHERE tid > $1 AND hidden = 1 ORDER BY tid LIMIT 10000"},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		int64_t last = 0;
		int n;
		do {
			n = 0;
			db_stmt *s = db_prep(im->d, q[i].sql);
			db_bind_int(s, 1, last);
			int rc;
			while ((rc = db_step(s)) == DB_ROW) {
				last = db_int(s, 0);
				imp_mark(im, q[i].set, last);
				n++;
			}
			db_done(s);
			if (rc == DB_ERR) return imp_fail(im, "target: %s", db_errmsg(im->d));
		} while (n == 10000);
	}
	return dz_settings_read(im) || dz_usergroups_map(im) ? -1 : 0;
}

static void print_report(struct imp *im, FILE *f, double secs) {
	fprintf(f, "== loulan import-discuz: report ==\n");
	fprintf(f, "source %s (prefix %s, UCenter %s%s%s, charset %s)\n", im->dbname, im->prefix, im->ucdb,
	        im->ucdb[0] ? "." : "", im->ucprefix, dz_charset_mysql(im->cs));
	fputs(buf_cstr(&im->report), f);
	for (int i = 0; i < im->nlists; i++) {
		fprintf(f, "%s: %d\n%s", im->lists[i].name, im->lists[i].n, buf_cstr(&im->lists[i].lines));
		if (im->lists[i].n > IMP_REPORT_LIST) fprintf(f, "  ... and %d more\n", im->lists[i].n - IMP_REPORT_LIST);
	}
	fprintf(f, "time %.1f s\n", secs);
}

int imp_run(db *d, const struct imp_opts *o, char *err, size_t errlen) {
	struct imp *im = xcalloc(1, sizeof *im);
	im->d = d;
	im->o = o;
	arena_init(&im->a);
	buf_init(&im->report, 0);
	im->site.timeoffset = 8;
	const char *eb = getenv("LOULAN_IMPORT_BATCH"), *ek = getenv("LOULAN_IMPORT_KILL");
	if (eb && atoi(eb) >= 1 && atoi(eb) <= IMP_BATCH) g_batch = atoi(eb);
	if (ek && atoi(ek) > 0) g_kill_at = atoi(ek);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = connect_source(im, o, err, errlen);
	int empty = 0, started = 0;
	if (!rc && target_state(im, &empty, &started)) rc = -1;
	if (!rc && !empty && !o->resume) {
		snprintf(err, errlen, "the target forum is not empty (members, boards, threads or an earlier import): "
		                      "import into a new --data DIR or --db, or continue an import with --resume");
		rc = 1;
	}
	if (!rc && o->resume && !started && !empty) {
		snprintf(err, errlen, "--resume: the target holds a forum that no import started");
		rc = 1;
	}
	if (!rc) db_bulk_mode(d, 1);
	if (!rc && o->resume && refill(im)) rc = -1;
	for (int i = 0; !rc && imp_stages[i].name; i++) {
		const struct imp_stage *sg = &imp_stages[i];
		struct imp_state st;
		if (imp_state_get(im, sg->name, &st) < 0) {
			rc = -1;
			break;
		}
		if (st.done && strcmp(sg->name, "verify")) continue;
		if (o->bar_begin) o->bar_begin(o->bar_ctx, sg->what);
		int r = sg->run(im);
		imp_rollback(im);   /* a stage that failed mid-batch */
		if (o->bar_end) o->bar_end(o->bar_ctx);
		if (r) {
			rc = -1;
			break;
		}
		struct imp_state done = {0, st.nrows, 1, ""};
		if (imp_begin(im) || imp_state_put(im, sg->name, &done) || imp_commit(im)) {
			imp_rollback(im);
			rc = -1;
		}
	}
	/* PostgreSQL: rows were written with their ids: every identity sequence goes past them */
	if (!rc && (imp_begin(im) || forum_reseq(d) || imp_commit(im))) {
		imp_fail(im, "target: sequences: %s", db_errmsg(d));
		imp_rollback(im);
		rc = -1;
	}
	if (rc < 0 && im->err[0]) snprintf(err, errlen, "%s", im->err);
	db_bulk_mode(d, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!rc && o->report) print_report(im, o->report, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (im->my) mysql_close(im->my);
	dz_conv_close(im->cv);
	for (int i = 0; i < IMP_NSETS; i++) free(im->sets[i].bits);
	for (int i = 0; i < im->nlists; i++) buf_release(&im->lists[i].lines);
	free(im->tables);
	buf_release(&im->report);
	arena_free(&im->a);
	free(im);
	return rc;
}
