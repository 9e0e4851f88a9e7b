/*
** dz_attach: attachments of import-discuz (FACTS.md §2.9, §7.7).
**
** forum_attachment is the index (aid, tid, pid, uid, tableid, downloads);
** forum_attachment_<tableid> (0-9) holds the rest: the original name (HTML-
** escaped on upload, unescaped here), the path under data/attachment/forum/,
** remote (on the FTP/object store at setting ftp.attachurl). tableid 127 rows
** are unused uploads (left out, counted).
**
** A local file (--attachments DIR = the site's data/attachment/) goes through
** loulan's media pipeline as an upload does: its kind from its content (a
** .attach file gets its real name from filename), images decoded by libvips,
** metadata stripped, display and thumbnail derivatives, bytes into blobs; the
** row keeps the aid, so [attach]N and old links keep working, and a
** legacy_path row maps the old path to it (pages/discuz.c answers
** data/attachment/forum/... with it). Missing files and remote ones are listed
** in the report, not fatal: in the post, a remote one becomes a link to its
** URL under ftp.attachurl ([img] for an image), a missing one is dropped.
**
** The files are read and decoded outside any transaction, DZ_ATTACH_TX_ITEMS
** at a time on up to DZ_ATTACH_THREADS threads, then written in one
** transaction (so a batch of big images is never all in memory); on --resume
** an aid already in the target is skipped. Then the batch's posts are rendered again with their
** attachments in place (as `loulan rerender` renders them), and the keyset's
** state is committed.
*/
#include "import/dz_extra.h"
#include "import/phpser.h"
#include "forum/attach.h"
#include "forum/notify.h"
#include "forum/site.h"
#include "util/die.h"
#include "util/utf8.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DZ_ATTACH_TX_ITEMS 32              /* attachments read, decoded and written per transaction */
#define DZ_ATTACH_THREADS 4                /* threads reading and decoding (at most the cores) */
#define DZ_ATTACH_PATH_MAX 255             /* bytes of forum_attachment_N.attachment (varchar(255)) */
#define DZ_RERENDER_TX 200                 /* posts rendered again per transaction */

enum { AT_NEW = 0, AT_MISSING, AT_REMOTE, AT_NODATA, AT_NOPOST, AT_DONE };

struct att {
	int64_t aid, tid, pid, uid, downloads, created;
	int tableid, state, remote, bad;   /* bad: an image libvips refused (IMAGE_BOMB / IMAGE_BAD), kept as a file */
	const char *name, *path;           /* UTF-8 (unescaped), the stored relative path */
	enum attach_kind kind;
	struct image_out img;
	int fd;
	uint64_t size;
};

static int cmp_aid(const void *k, const void *e) {
	int64_t a = *(const int64_t *)k, b = ((const struct att *)e)->aid;
	return a < b ? -1 : a > b;
}

static int cmp_i64(const void *x, const void *y) {
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* a path as Discuz! writes it: YYYYMM/DD/name.ext, no "..", no absolute path, nothing odd */
static int path_ok(const char *p) {
	if (!*p || *p == '/' || strlen(p) > DZ_ATTACH_PATH_MAX) return 0;
	for (const char *s = p; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == '\\') return 0;
		if (c == '.' && (s == p || s[-1] == '/') && s[1] == '.') return 0;
	}
	return 1;
}

/* the name kept, as an upload's is: no directory part, no control characters or quotes, at most
   ATTACH_FILENAME_MAX bytes cut at a character, "file" when nothing is left */
static const char *clean_name(arena *a, const char *in) {
	const char *base = in;
	for (const char *p = in; *p; p++)
		if (*p == '/' || *p == '\\') base = p + 1;
	size_t n = strlen(base);
	if (n > ATTACH_FILENAME_MAX) n = utf8_prefix(base, ATTACH_FILENAME_MAX, ATTACH_FILENAME_MAX / 4);   /* as attach.c */
	char *o = arena_strndup(a, base, n);
	for (char *p = o; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"') *p = '_';
	return *o ? o : "file";
}

/* the text of a BBCode link: no brackets that would end or open a tag */
static const char *link_text(arena *a, const char *s) {
	char *o = arena_strdup(a, s);
	for (char *p = o; *p; p++)
		if (*p == '[' || *p == ']') *p = ' ';
	return o;
}

/* opens and decodes a's file (outside any transaction; on a loader thread, so it touches only a): AT_NEW
   with a->fd / a->img set, or a state */
static int load(const char *dir, struct att *a, int64_t max_pixels) {
	if (!dir || !path_ok(a->path)) return AT_MISSING;
	char full[4096];
	if (snprintf(full, sizeof full, "%s/forum/%s", dir, a->path) >= (int)sizeof full) return AT_MISSING;
	int fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return AT_MISSING;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return AT_MISSING;
	}
	a->fd = fd;
	a->size = (uint64_t)st.st_size;
	a->kind = attach_sniff(fd, a->size);
	if (attach_is_image_kind(a->kind)) {
		int rc = image_process(full, a->kind, max_pixels, &a->img);
		if (rc) {
			image_out_free(&a->img);
			memset(&a->img, 0, sizeof a->img);
			a->bad = rc;
			a->kind = AK_NONE;
		}
	}
	return AT_NEW;
}

/* the files of v[from, to) read and decoded by DZ_ATTACH_THREADS threads (libvips is thread-safe: uploads
   run on the server's workers the same way) */
struct loader { struct att *v; int from, to; _Atomic int next; const char *dir; int64_t max_pixels; };

static void *load_worker(void *arg) {
	struct loader *l = arg;
	for (;;) {
		int i = l->from + atomic_fetch_add(&l->next, 1);
		if (i >= l->to) return NULL;
		if (l->v[i].state == AT_NEW) l->v[i].state = load(l->dir, &l->v[i], l->max_pixels);
	}
}

static void load_all(struct imp *im, struct att *v, int from, int to) {
	struct loader l = {v, from, to, 0, imp_attach_dir(im), site_get()->attach_max_pixels};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nt = ncpu < 1 ? 1 : ncpu > DZ_ATTACH_THREADS ? DZ_ATTACH_THREADS : (int)ncpu;
	pthread_t th[DZ_ATTACH_THREADS];
	int started = 0;
	for (int i = 1; i < nt; i++)
		if (!pthread_create(&th[started], NULL, load_worker, &l)) started++;
	load_worker(&l);
	for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
	for (int i = from; i < to; i++)
		if (v[i].bad)
			imp_report_list(im, "image attachments that could not be decoded (imported as plain files)", "aid %lld %s: %s", (long long)v[i].aid, v[i].path,
			                v[i].bad == IMAGE_BOMB ? "too many pixels" : "damaged");
}

static void unload(struct att *a) {
	image_out_free(&a->img);
	memset(&a->img, 0, sizeof a->img);
	if (a->fd >= 0) close(a->fd);
	a->fd = -1;
}

/* one attachment's blobs, row and legacy path, inside the caller's transaction */
static int store(struct imp *im, struct att *a, time_t now) {
	db *d = imp_db(im);
	char h[65], dj[65] = "", dw[65] = "", tj[65] = "", tw[65] = "";
	struct image_out *g = &a->img;
	int bad = g->orig ? blob_put(d, g->orig, g->orig_n, now, h) : blob_put_fd(d, a->fd, now, h);
	if (!bad && g->disp_jpeg) bad = blob_put(d, g->disp_jpeg, g->disp_jpeg_n, now, dj) || blob_put(d, g->disp_webp, g->disp_webp_n, now, dw);
	if (!bad && g->thumb_jpeg) bad = blob_put(d, g->thumb_jpeg, g->thumb_jpeg_n, now, tj) || blob_put(d, g->thumb_webp, g->thumb_webp_n, now, tw);
	if (bad) return imp_fail(im, "attachment aid %lld: cannot save the file: %s", (long long)a->aid, db_errmsg(d));
	int image = attach_is_image_kind(a->kind);
	db_stmt *s = db_prep(d, "INSERT INTO attachment(aid, uid, pid, fid, filename, mime, size, hash, is_image, width, height, "
	                        "disp_w, disp_h, disp_jpeg, disp_webp, thumb_jpeg, thumb_webp, downloads, created) "
	                        "VALUES ($1, $2, $3, COALESCE((SELECT fid FROM post WHERE pid = $3), 0), $4, $5, $6, $7, $8, $9, "
	                        "$10, $11, $12, $13, $14, $15, $16, $17, $18)");
	db_bind_int(s, 1, a->aid);
	db_bind_int(s, 2, a->uid);
	db_bind_int(s, 3, a->pid);
	db_bind_text(s, 4, a->name, -1);
	db_bind_text(s, 5, attach_mime(a->kind), -1);
	db_bind_int(s, 6, g->orig ? (int64_t)g->orig_n : (int64_t)a->size);
	db_bind_text(s, 7, h, -1);
	db_bind_int(s, 8, image);
	db_bind_int(s, 9, g->width);
	db_bind_int(s, 10, g->height);
	db_bind_int(s, 11, g->disp_w);
	db_bind_int(s, 12, g->disp_h);
	db_bind_text(s, 13, dj, -1);
	db_bind_text(s, 14, dw, -1);
	db_bind_text(s, 15, tj, -1);
	db_bind_text(s, 16, tw, -1);
	db_bind_int(s, 17, a->downloads);
	db_bind_int(s, 18, a->created);
	int rc = db_step(s) == DB_DONE ? 0 : imp_fail(im, "attachment aid %lld: %s", (long long)a->aid, db_errmsg(d));
	db_done(s);
	if (rc) return rc;
	s = db_prep(d, "INSERT INTO legacy_path(path, aid) VALUES ($1, $2) ON CONFLICT DO NOTHING");
	db_bind_text(s, 1, a->path, -1);
	db_bind_int(s, 2, a->aid);
	rc = db_step(s) == DB_DONE ? 0 : imp_fail(im, "legacy_path %s: %s", a->path, db_errmsg(d));
	db_done(s);
	return rc;
}

/* writes the loaded attachments [from, to) in one transaction and frees them */
static int flush(struct imp *im, struct att *v, int from, int to, time_t now) {
	int rc = from < to ? imp_begin(im) : 0;
	for (int i = from; i < to && !rc; i++)
		if (v[i].state == AT_NEW) rc = store(im, &v[i], now);
	if (from < to) {
		if (!rc) rc = imp_commit(im);
		else imp_rollback(im);
	}
	for (int i = from; i < to; i++) unload(&v[i]);
	return rc;
}

/* ---- the posts again ------------------------------------------------------------ */

/* src with [attach]N[/attach] / [attachimg]N[/attachimg] of the batch's remote and missing aids replaced:
   remote -> a link to its URL ([img] for an image), missing (no file, or no row in its data table) ->
   nothing. NULL when nothing changed. */
static char *rewrite(const char *src, const struct att *v, int n, const char *remote_base, arena *a) {
	buf o;
	buf_init(&o, 0);
	int changed = 0;
	const char *p = src;
	while (*p) {
		const char *t = strstr(p, "[attach");
		if (!t) break;
		const char *q = t + 7;
		int img = !strncmp(q, "img]", 4);
		q += img ? 4 : (*q == ']' ? 1 : 0);
		if (q[-1] != ']') {
			buf_append(&o, p, (size_t)(q - p));
			p = q;
			continue;
		}
		char *end;
		long long aid = strtoll(q, &end, 10);
		const char *close = img ? "[/attachimg]" : "[/attach]";
		size_t cl = strlen(close);
		const struct att *hit = NULL;
		if (end != q && !strncmp(end, close, cl)) {
			int64_t key = aid;
			hit = bsearch(&key, v, (size_t)n, sizeof *v, cmp_aid);
		}
		if (!hit || (hit->state != AT_REMOTE && hit->state != AT_MISSING && hit->state != AT_NODATA)) {
			buf_append(&o, p, (size_t)(q - p));
			p = q;
			continue;
		}
		buf_append(&o, p, (size_t)(t - p));
		if (hit->state == AT_REMOTE && remote_base) {
			if (attach_is_image_kind(hit->kind))
				buf_appendf(&o, "[img]%sforum/%s[/img]", remote_base, hit->path);
			else
				buf_appendf(&o, "[url=%sforum/%s]%s[/url]", remote_base, hit->path, link_text(a, hit->name));
		}
		changed = 1;
		p = end + cl;
	}
	if (!changed) {
		buf_release(&o);
		return NULL;
	}
	buf_puts(&o, p);
	char *r = arena_strdup(a, buf_cstr(&o));
	buf_release(&o);
	return r;
}

struct rr { int64_t pid, authorid; char *format, *source, *html; int newsrc; };

static int rerender(struct imp *im, struct att *v, int n, const char *remote_base, arena *a) {
	int64_t *pids = xmalloc((size_t)(n ? n : 1) * sizeof *pids);
	int np = 0;
	for (int i = 0; i < n; i++)
		if (v[i].state != AT_NOPOST)
			if (v[i].pid) pids[np++] = v[i].pid;
	qsort(pids, (size_t)np, sizeof *pids, cmp_i64);
	int m = 0;
	for (int i = 0; i < np; i++)
		if (!m || pids[m - 1] != pids[i]) pids[m++] = pids[i];
	int rc = 0;
	struct rr *rows = xmalloc(DZ_RERENDER_TX * sizeof *rows);
	db *d = imp_db(im);
	for (int at = 0; at < m && !rc; at += DZ_RERENDER_TX) {
		int k = 0;
		for (int i = at; i < m && i < at + DZ_RERENDER_TX && !rc; i++) {
			db_stmt *s = db_prep(d, "SELECT format, source, authorid FROM post WHERE pid = $1");
			db_bind_int(s, 1, pids[i]);
			int st = db_step(s);
			if (st == DB_ROW) {
				struct rr *r = &rows[k++];
				r->pid = pids[i];
				r->format = arena_strdup(a, db_text(s, 0));
				r->source = arena_strdup(a, db_text(s, 1));
				r->authorid = db_int(s, 2);
				r->html = NULL;
				r->newsrc = 0;
			} else if (st == DB_ERR) {
				rc = imp_fail(im, "post %lld: %s", (long long)pids[i], db_errmsg(d));
			}
			db_done(s);
		}
		for (int i = 0; i < k && !rc; i++) {   /* rendered before the transaction */
			struct rr *r = &rows[i];
			char *ns = rewrite(r->source, v, n, remote_base, a);
			if (ns) {
				r->source = ns;
				r->newsrc = 1;
			}
			attach_scope_begin(d, r->authorid, 0, 0, r->pid, NULL, 0);
			int cr = notify_cook(d, r->format, r->source, &r->html, NULL);
			attach_scope_end();
			if (cr) rc = imp_fail(im, "post %lld: cannot render", (long long)r->pid);
		}
		if (!rc) rc = imp_begin(im);
		for (int i = 0; i < k && !rc; i++) {
			db_stmt *s = db_prep(d, "UPDATE post SET source = $2, html = $3 WHERE pid = $1");
			db_bind_int(s, 1, rows[i].pid);
			db_bind_text(s, 2, rows[i].source, -1);
			db_bind_text(s, 3, rows[i].html, -1);
			if (db_step(s) != DB_DONE) rc = imp_fail(im, "post %lld: %s", (long long)rows[i].pid, db_errmsg(d));
			db_done(s);
		}
		if (!rc) rc = imp_commit(im);
		else imp_rollback(im);
		for (int i = 0; i < k; i++) free(rows[i].html);
	}
	free(rows);
	free(pids);
	return rc;
}

/* setting ftp.attachurl (with a trailing slash), or NULL */
static const char *remote_url(struct imp *im, arena *a) {
	const char *ts = imp_table(im, "common_setting");
	if (!ts) return NULL;
	buf sql;
	buf_init(&sql, 0);
	struct imp_rows r;
	imp_rows_init(&r);
	const char *url = NULL;
	if (imp_select(im, dz_sql(&sql, "SELECT svalue FROM ", ts, " WHERE skey = 'ftp'", NULL), NULL, 0, &r) > 0) {
		size_t n;
		const char *s = imp_raw(&r, 0, 0, &n);
		struct php_val *v;
		if (n && !php_unserialize(s, n, &r.a, &v)) {
			size_t un;
			const char *u = php_str(php_get(v, "attachurl"), &r.a, &un);
			if (un) {
				const char *t = imp_conv(im, a, u, un, DZ_RAW);
				size_t tl = strlen(t);
				url = tl && t[tl - 1] == '/' ? t : arena_sprintf(a, "%s/", t);
			}
		}
	}
	imp_rows_free(&r);
	buf_release(&sql);
	return url;
}

int dz_attachments(struct imp *im) {
	const char *ti = imp_table(im, "forum_attachment");
	if (!ti) return 0;
	time_t now = time(NULL);
	arena ra;
	arena_init(&ra);
	const char *remote_base = remote_url(im, &ra);
	if (!imp_attach_dir(im)) imp_warn(im, "attachments: no --attachments (the site's data/attachment/ directory) given: no attachment file imported");
	const char *tt[10] = {0};
	struct imp_query qd[10];
	int has[10] = {0};
	buf sql;
	buf_init(&sql, 0);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, "attachments", dz_sql(&sql, "SELECT aid, tid, pid, uid, tableid, downloads FROM ", ti,
	                                                       " WHERE aid > ? AND tableid < 10 ORDER BY aid LIMIT ?", NULL), NULL);
	if (!rc) k.total = imp_count_of(im, ti, "COUNT(*)");
	for (int i = 0; i < 10 && !rc && !k.done; i++) {
		char name[32];
		snprintf(name, sizeof name, "forum_attachment_%d", i);
		if (!(tt[i] = imp_table(im, name))) continue;
		rc = imp_prepare(im, &qd[i], dz_sql(&sql, "SELECT aid, filename, attachment, remote, dateline, isimage FROM ", tt[i],
		                                    " WHERE aid > ? AND aid <= ? ORDER BY aid", NULL));
		has[i] = !rc;
	}
	buf_release(&sql);
	struct imp_rows dr;
	imp_rows_init(&dr);
	int64_t bytes = 0, nfiles = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct att *v = NULL;
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc;
		rc = 0;
		arena *a = &k.rows.a;
		v = xmalloc((size_t)n * sizeof *v);
		memset(v, 0, (size_t)n * sizeof *v);
		for (int r = 0; r < n; r++) {
			struct att *x = &v[r];
			x->aid = imp_int(&k.rows, r, 0);
			x->tid = imp_int(&k.rows, r, 1);
			x->pid = imp_int(&k.rows, r, 2);
			x->uid = imp_int(&k.rows, r, 3);
			x->tableid = (int)imp_int(&k.rows, r, 4);
			x->downloads = imp_int(&k.rows, r, 5);
			x->fd = -1;
			x->state = AT_NODATA;
		}
		int64_t p[2] = {k.last, v[n - 1].aid};
		for (int i = 0; i < 10 && !rc; i++) {
			if (!has[i]) continue;
			dr.n = 0;
			int got = imp_exec(&qd[i], p, 2, &dr);
			if (got < 0) { rc = -1; break; }
			for (int r = 0; r < got; r++) {
				int64_t aid = imp_int(&dr, r, 0);
				struct att *x = bsearch(&aid, v, (size_t)n, sizeof *v, cmp_aid);
				if (!x || x->tableid != i) continue;
				x->name = clean_name(a, imp_text(im, &dr, r, 1, DZ_ESCAPED));
				x->path = arena_strdup(a, imp_text(im, &dr, r, 2, DZ_RAW));
				x->remote = (int)imp_int(&dr, r, 3);
				x->created = imp_int(&dr, r, 4);
				x->kind = imp_int(&dr, r, 5) ? AK_JPG : AK_NONE;   /* only for the remote link's form */
				x->state = x->remote ? AT_REMOTE : AT_NEW;
			}
		}
		if (rc) break;
		/* on --resume: already written */
		db_stmt *s = db_prep(imp_db(im), "SELECT aid FROM attachment WHERE aid > $1 AND aid <= $2");
		db_bind_int(s, 1, p[0]);
		db_bind_int(s, 2, p[1]);
		int st;
		while ((st = db_step(s)) == DB_ROW) {
			int64_t aid = db_int(s, 0);
			struct att *x = bsearch(&aid, v, (size_t)n, sizeof *v, cmp_aid);
			if (x) x->state = AT_DONE;
		}
		db_done(s);
		if (st != DB_DONE) { rc = imp_fail(im, "attachment: %s", db_errmsg(imp_db(im))); break; }
		for (int r = 0; r < n; r++) {
			struct att *x = &v[r];
			if (x->state == AT_DONE || x->state == AT_NODATA) continue;
			if (!x->pid || !imp_has(im, IMP_PID, x->pid)) x->state = AT_NOPOST;
		}
		/* read and decode a few at a time on several threads, then write them in one transaction */
		for (int from = 0; from < n && !rc; from += DZ_ATTACH_TX_ITEMS) {
			int to = from + DZ_ATTACH_TX_ITEMS < n ? from + DZ_ATTACH_TX_ITEMS : n;
			load_all(im, v, from, to);
			for (int r = from; r < to; r++)
				if (v[r].state == AT_NEW) {
					nfiles++;
					bytes += (int64_t)v[r].size;
				}
			rc = flush(im, v, from, to, now);
			imp_progress(im, k.nrows + to, k.total);   /* files are slow: the bar moves per transaction */
		}
		for (int r = 0; r < n && !rc; r++) {
			struct att *x = &v[r];
			if (x->state == AT_MISSING)
				imp_report_list(im, "missing attachment files (not imported)", "aid %lld tid %lld pid %lld: data/attachment/forum/%s \"%s\"",
				                (long long)x->aid, (long long)x->tid, (long long)x->pid, x->path, x->name);
			else if (x->state == AT_REMOTE)
				imp_report_list(im, "remote attachments (FTP; not copied, their posts link to the old address)", "aid %lld pid %lld: %sforum/%s \"%s\"",
				                (long long)x->aid, (long long)x->pid, remote_base ? remote_base : "ftp.attachurl/", x->path, x->name);
			else if (x->state == AT_NODATA)
				imp_report_list(im, "attachments missing from their attachment table (not imported)", "aid %lld (tableid %d)", (long long)x->aid, x->tableid);
		}
		if (!rc) rc = rerender(im, v, n, remote_base, a);
		if (rc) break;
		/* the rows left out (listed above), kept with the batch so the report's comparison survives --resume */
		int64_t left = 0;
		for (int r = 0; r < n; r++)
			left += v[r].state == AT_MISSING || v[r].state == AT_REMOTE || v[r].state == AT_NODATA || v[r].state == AT_NOPOST;
		free(v);
		v = NULL;
		struct imp_state sk;
		if (!(rc = imp_begin(im)) && imp_state_get(im, "attachments:left", &sk) >= 0) {
			sk.nrows += left;
			if (imp_state_put(im, "attachments:left", &sk)) rc = -1;
		} else {
			rc = -1;
		}
		if (!rc) rc = imp_keyset_commit(&k);
		else imp_rollback(im);
	}
	free(v);
	imp_rows_free(&dr);
	for (int i = 0; i < 10; i++)
		if (has[i]) imp_query_close(&qd[i]);
	imp_keyset_close(&k);
	if (rc >= 0) {
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		buf q;
		buf_init(&q, 0);
		int64_t src = imp_count(im, dz_sql(&q, "SELECT COUNT(*) FROM ", ti, " WHERE tableid < 10", NULL));
		int64_t unused = imp_count(im, dz_sql(&q, "SELECT COUNT(*) FROM ", ti, " WHERE tableid >= 10", NULL));
		buf_release(&q);
		db_stmt *s = db_prep(imp_db(im), "SELECT COUNT(*) FROM attachment");
		int64_t dst = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
		db_done(s);
		struct imp_state sk;
		if (imp_state_get(im, "attachments:left", &sk) <= 0) sk.nrows = 0;
		imp_report_count(im, "attachments (less missing and remote) forum_attachment_0..9 -> attachment", src < 0 ? src : src - sk.nrows, dst);
		if (nfiles)
			imp_warn(im, "attachments: %lld files read in this run, %.1f MB, %.1f MB/s", (long long)nfiles, (double)bytes / 1048576.0,
			         secs > 0 ? (double)bytes / 1048576.0 / secs : 0.0);
		if (unused > 0) imp_warn(im, "attachments: %lld uploaded but never used (tableid 127), not imported", (long long)unused);
	}
	arena_free(&ra);
	return rc < 0 ? -1 : 0;
}
