/*
** attach pages: uploads (the API and its cookie twin), serving attachments at
** /a/{aid}/{o|display|thumb|name} and avatars at /avatar/{uid}/{48|120|200},
** the avatar form, and Discuz!'s forum.php?mod=attachment. Rules and storage
** are forum/attach.h; this file is HTTP: permissions of the viewer, caching
** headers, ETag/304, a single Range, and an in-memory LRU of hot images
** (attach.cache_bytes per process).
*/
#include "pages/page.h"
#include "forum/pm.h"
#include "pages/urlparse.h"
#include "forum/site.h"
#include "forum/posting.h"
#include "forum/user.h"
#include "forum/attach.h"
#include "forum/moderate.h"
#include "util/die.h"
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HOT_MAX_ITEM (4u << 20)   /* bigger blobs are not kept in the hot cache */
#define STREAM_MIN (512u << 10)   /* database blobs from this size on are sent a chunk at a time */

/* ---- the hot cache: blobs by hash, least recently used dropped first ------ */

struct hot {
	char hash[65];
	void *data;
	size_t n;
	int refs;                 /* the cache's own + responses in flight; under g_hot_mu */
	struct hot *prev, *next;  /* most recent first */
};
static pthread_mutex_t g_hot_mu = PTHREAD_MUTEX_INITIALIZER;
static struct hot *g_hot_head, *g_hot_tail;
static size_t g_hot_bytes;

static void hot_unlink(struct hot *h) {
	if (h->prev) h->prev->next = h->next;
	else g_hot_head = h->next;
	if (h->next) h->next->prev = h->prev;
	else g_hot_tail = h->prev;
	h->prev = h->next = NULL;
}
static void hot_front(struct hot *h) {
	h->next = g_hot_head;
	if (g_hot_head) g_hot_head->prev = h;
	g_hot_head = h;
	if (!g_hot_tail) g_hot_tail = h;
}
static void hot_release(void *cls) {
	struct hot *h = cls;
	pthread_mutex_lock(&g_hot_mu);
	int last = --h->refs == 0;
	pthread_mutex_unlock(&g_hot_mu);
	if (last) {
		free(h->data);
		free(h);
	}
}
/* drops least recently used entries until the cache holds at most cap bytes; under g_hot_mu;
   returns the list of entries to free (no response holds them any more) */
static struct hot *hot_trim(size_t cap, const struct hot *keep) {
	struct hot *drop = NULL;
	while (g_hot_bytes > cap && g_hot_tail && g_hot_tail != keep) {
		struct hot *t = g_hot_tail;
		hot_unlink(t);
		g_hot_bytes -= t->n;
		if (--t->refs == 0) { t->next = drop; drop = t; }
	}
	return drop;
}
static void hot_free_list(struct hot *drop) {
	while (drop) {
		struct hot *nx = drop->next;
		free(drop->data);
		free(drop);
		drop = nx;
	}
}

/* a reference to the cached blob, or NULL; first trims to cap (attach.cache_bytes may have shrunk) */
static struct hot *hot_get(const char *hash, size_t cap) {
	pthread_mutex_lock(&g_hot_mu);
	struct hot *drop = hot_trim(cap, NULL);
	struct hot *h = g_hot_head;
	while (h && strcmp(h->hash, hash)) h = h->next;
	if (h) {
		hot_unlink(h);
		hot_front(h);
		h->refs++;
	}
	pthread_mutex_unlock(&g_hot_mu);
	hot_free_list(drop);
	return h;
}
/* keeps data (taken) under hash; returns a reference for the caller */
static struct hot *hot_put(const char *hash, void *data, size_t n, size_t cap) {
	struct hot *h = calloc(1, sizeof *h);
	if (!h) { free(data); return NULL; }
	snprintf(h->hash, sizeof h->hash, "%s", hash);
	h->data = data;
	h->n = n;
	h->refs = 1;   /* the caller's */
	if (n > cap || n > HOT_MAX_ITEM) return h;
	pthread_mutex_lock(&g_hot_mu);
	h->refs++;     /* the cache's */
	hot_front(h);
	g_hot_bytes += n;
	struct hot *drop = hot_trim(cap, h);
	pthread_mutex_unlock(&g_hot_mu);
	hot_free_list(drop);
	return h;
}

/* ---- uploads ----------------------------------------------------------------- */

static json_t *attach_json(const struct attachment *a) {
	json_t *o = json_object();
	char url[64];
	json_object_set_new(o, "aid", json_integer(a->aid));
	snprintf(url, sizeof url, "/a/%lld/o", (long long)a->aid);
	json_object_set_new(o, "url", json_string(url));
	json_object_set_new(o, "is_image", json_boolean(a->is_image));
	json_object_set_new(o, "width", a->is_image ? json_integer(a->width) : json_null());
	json_object_set_new(o, "height", a->is_image ? json_integer(a->height) : json_null());
	snprintf(url, sizeof url, "/a/%lld/thumb", (long long)a->aid);
	json_object_set_new(o, "thumb_url", a->is_image ? json_string(url) : json_null());
	snprintf(url, sizeof url, "/a/%lld/display", (long long)a->aid);
	json_object_set_new(o, "display_url", a->is_image ? json_string(url) : json_null());
	json_object_set_new(o, "display_width", a->is_image ? json_integer(a->disp_w) : json_null());
	json_object_set_new(o, "display_height", a->is_image ? json_integer(a->disp_h) : json_null());
	json_object_set_new(o, "size", json_integer(a->size));
	json_object_set_new(o, "filename", json_string(a->filename));
	return o;
}

static const char *err_code(int status) {
	switch (status) {
	case 413: return "too_large";
	case 415: return "type_not_allowed";
	case 422: return "not_what_it_claims";
	case 403: return "forbidden";
	case 400: return "bad_request";
	default: return "unavailable";
	}
}

/* one stored upload from file part f: 0 with *out, or an error answered */
int page_attach_store(page *p, const struct http_file *f, int64_t fid, struct attachment *out) {
	struct attach_upload in = {p->me.uid, p->me.groupid, fid, f->path, f->fd, f->size, f->filename, p->now};
	char msg[256];
	int st = attach_upload(p->db, p->a, &in, out, msg, sizeof msg);
	if (st) {
		if (p->api) page_json_error(p, st, err_code(st), arena_strdup(p->a, msg));
		else page_error(p, st, arena_strdup(p->a, msg));
	}
	return st;
}

static void upload(page *p) {
	req *r = p->r;
	if (http_parse_form(r)) {
		int st = r->form_status ? r->form_status : 400;
		page_json_error(p, st, err_code(st), st == 413 ? "上传的内容太大。" : "请用 multipart/form-data 上传，字段名 file。");
		return;
	}
	const struct http_file *f = NULL;
	for (const struct http_file *x = r->files; x; x = x->next)
		if (!strcmp(x->field, "file")) { f = x; break; }
	if (!f) { page_json_error(p, 400, "bad_request", "缺少文件：字段名 file。"); return; }
	int64_t fid = 0;
	const char *fs = http_form(r, "fid");
	if (fs && *fs && page_id(p, fs, &fid)) return;
	if (fid && !page_board_visible(p, fid)) return;
	struct attachment a;
	if (page_attach_store(p, f, fid, &a)) return;
	page_json_send(p, 201, json_pack("o", attach_json(&a)));
}

void api_attach_upload(page *p) { upload(p); }
void page_attach_upload(page *p) {
	p->api = 1;   /* answers JSON like the API: the composer's fetch() reads it */
	upload(p);
}

/* ---- serving ------------------------------------------------------------------- */

static int accepts_webp(req *r) {
	const char *a = http_header(r, "Accept");
	return a && strstr(a, "image/webp") != NULL;
}

static int etag_matches(req *r, const char *etag) {
	const char *inm = http_header(r, "If-None-Match");
	return inm && (strstr(inm, etag) || !strcmp(inm, "*"));
}

/* RFC 9110 "Content-Disposition: attachment; filename*=UTF-8''..." */
static const char *disposition(arena *a, const char *kind, const char *name) {
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, kind);
	buf_puts(&b, "; filename*=UTF-8''");
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("-._~", *s))
			buf_putc(&b, (char)*s);
		else
			buf_appendf(&b, "%%%02X", *s);
	}
	const char *out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_release(&b);
	return out;
}

/* single "bytes=a-b" / "bytes=a-" / "bytes=-n": 1 with [*from, *to], 0 none or ignored, -1 unsatisfiable.
   Numbers are url_uint's canonical decimals (a range we cannot read is ignored: the whole body). */
static int parse_range(const char *h, size_t n, size_t *from, size_t *to) {
	if (!h || strncmp(h, "bytes=", 6) || strchr(h, ',') || !n) return 0;
	const char *s = h + 6, *dash = strchr(s, '-');
	if (!dash) return 0;
	size_t al = (size_t)(dash - s), bl = strlen(dash + 1);
	int64_t a, b = (int64_t)n - 1;
	if (!al) {
		if (url_uint(dash + 1, bl, INT64_MAX, &a)) return 0;
		if (!a) return -1;
		*from = (uint64_t)a >= n ? 0 : n - (size_t)a;
		*to = n - 1;
		return 1;
	}
	if (url_uint(s, al, INT64_MAX, &a)) return 0;
	if (bl && (url_uint(dash + 1, bl, INT64_MAX, &b) || b < a)) return 0;
	if ((uint64_t)a >= n) return -1;
	*from = (size_t)a;
	*to = (uint64_t)b >= n ? n - 1 : (size_t)b;
	return 1;
}

/* a database blob sent a chunk at a time while the response goes out (never whole in memory) */
struct stream { char hash[65]; uint64_t base; int64_t seq; size_t len; unsigned char chunk[BLOB_CHUNK]; };
static long stream_read(void *cls, uint64_t pos, char *dst, size_t max) {
	struct stream *st = cls;
	uint64_t at = st->base + pos;
	int64_t seq = (int64_t)(at / BLOB_CHUNK);
	if (seq != st->seq) {
		db *d = app_db();   /* this worker's connection: no statement of it is open between requests */
		if (!d || blob_chunk_get(d, st->hash, seq, st->chunk, &st->len)) return -1;
		st->seq = seq;
	}
	size_t off = (size_t)(at % BLOB_CHUNK);
	if (off >= st->len) return -1;
	size_t n = st->len - off < max ? st->len - off : max;
	memcpy(dst, st->chunk + off, n);
	return (long)n;
}

/* sends blob hash (ctype, cache-control given) with ETag, 304 and Range: a hot image from the
   LRU, a database blob over STREAM_MIN a chunk at a time, anything else read whole */
static void send_blob(page *p, const char *hash, const char *ctype, const char *cache, int hot) {
	req *r = p->r;
	const char *etag = arena_sprintf(p->a, "\"%s\"", hash);
	http_set_header(r, "ETag", etag);
	http_set_header(r, "Cache-Control", cache);
	http_set_header(r, "Accept-Ranges", "bytes");
	if (etag_matches(r, etag)) {
		r->status = 304;
		r->ctype = NULL;
		r->no_gzip = 1;
		return;
	}
	size_t cap = (size_t)p->site->attach_cache_bytes;
	struct hot *h = hot ? hot_get(hash, cap) : NULL;
	size_t size = h ? h->n : 0;
	int s3 = 0;
	if (h) {
		http_set_header(r, "X-Loulan-Cache", "hot");   /* from memory, no blob read */
	} else {
		int rc = blob_stat(p->db, hash, &size, &s3);
		if (rc <= 0) {
			page_error(p, rc < 0 ? 503 : 404, rc < 0 ? "附件暂时无法读取，请稍后再试。" : "附件不存在。");
			return;
		}
	}
	size_t from = 0, to = size ? size - 1 : 0;
	int rg = parse_range(http_header(r, "Range"), size, &from, &to);
	if (rg < 0) {
		if (h) hot_release(h);
		http_set_header(r, "Content-Range", arena_sprintf(p->a, "bytes */%zu", size));
		http_text(r, 416, "text/plain; charset=utf-8", "416 Range Not Satisfiable\n");
		return;
	}
	r->ctype = ctype;
	r->no_gzip = 1;
	r->status = rg > 0 ? 206 : 200;
	if (rg > 0) http_set_header(r, "Content-Range", arena_sprintf(p->a, "bytes %zu-%zu/%zu", from, to, size));
	if (!h && !s3 && size >= STREAM_MIN && (!hot || size > HOT_MAX_ITEM || size > cap)) {
		struct stream *st = xmalloc(sizeof *st);
		snprintf(st->hash, sizeof st->hash, "%s", hash);
		st->base = from;
		st->seq = -1;
		st->len = 0;
		http_body_reader(r, to - from + 1, stream_read, free, st);
		return;
	}
	if (!h) {
		void *data;
		size_t n;
		int rc = blob_get(p->db, hash, &data, &n);
		if (rc <= 0 || n != size) {
			if (rc > 0) free(data);
			r->status = 0;
			page_error(p, rc < 0 || rc > 0 ? 503 : 404, rc == 0 ? "附件不存在。" : "附件暂时无法读取，请稍后再试。");
			return;
		}
		h = hot_put(hash, data, n, hot ? cap : 0);
		if (!h) { page_error(p, 503, "内存不足。"); return; }
	}
	if (!size) {   /* an empty file */
		hot_release(h);
		buf_reset(&r->out);
		return;
	}
	http_body_ext(r, (char *)h->data + from, to - from + 1, hot_release, h);
}

static int guest_may_view(int64_t fid) {
	struct actor guest = {0, GROUP_GUEST, "", 0};
	return forum_can_view(&guest, fid, NULL);
}

void page_attach_get(page *p) {
	int64_t aid;
	if (page_id(p, p->r->seg[0], &aid)) return;
	const char *variant = p->r->seg[1];
	struct attachment a;
	int rc = attach_get(p->db, p->a, aid, &a);
	if (rc < 0) { page_error(p, 503, "数据库暂时不可用，请稍后再试。"); return; }
	/* unused uploads (and those of deleted posts) only for their uploader, and the members of a
	   conversation whose 短消息 shows it (pm.h) */
	if (rc > 0 && !a.post_fid && a.uid != p->me.uid && p->me.uid) {
		int v = pm_attach_visible(p->db, aid, p->me.uid);
		if (v < 0) { page_db_unavailable(p); return; }
		if (v) a.uid = p->me.uid;   /* as its uploader would */
	}
	if (!rc || (!a.post_fid && a.uid != p->me.uid)) { page_error(p, 404, "附件不存在或已被删除。"); return; }
	int64_t fid = a.post_fid ? a.post_fid : a.fid;
	if (a.post_fid && !page_board_visible(p, fid)) return;
	/* a 屏蔽 floor's files (or a recycled thread's) are its board's moderators' only, like its text */
	struct actor who = page_actor(p);
	if (a.modonly && !forum_can_moderate(&who, fid)) { page_error(p, 404, "附件不存在或已被删除。"); return; }
	int public_ = a.post_fid && !a.modonly && guest_may_view(fid);
	const char *cache = public_ ? "public, max-age=31536000, immutable" : "private, no-cache";
	const char *hash = a.hash, *ctype = a.mime;
	int derived = 0;
	if (a.is_image && !strcmp(variant, "display") && *a.disp_jpeg) {
		int webp = accepts_webp(p->r);
		hash = webp ? a.disp_webp : a.disp_jpeg;
		ctype = webp ? "image/webp" : "image/jpeg";
		derived = 1;
	} else if (a.is_image && !strcmp(variant, "thumb") && *a.thumb_jpeg) {
		int webp = accepts_webp(p->r);
		hash = webp ? a.thumb_webp : a.thumb_jpeg;
		ctype = webp ? "image/webp" : "image/jpeg";
		derived = 1;
	}
	if (derived) http_set_header(p->r, "Vary", "Accept");
	if (a.is_image) {
		http_set_header(p->r, "Content-Disposition", disposition(p->a, "inline", a.filename));
	} else {
		/* never inline: whatever a member uploads is a download */
		http_set_header(p->r, "Content-Disposition", disposition(p->a, "attachment", a.filename));
		http_set_header(p->r, "Content-Security-Policy", "default-src 'none'; sandbox");
		if (!http_header(p->r, "Range") && !http_header(p->r, "If-None-Match") && p->r->method == HTTP_GET)
			attach_count_download(p->db, aid);
	}
	send_blob(p, hash, ctype, cache, a.is_image);
}

/* GET /api/v1/attachments/counts?aids=1,2,3 (bearer) and its cookie twin /attachments/counts (the
** page script static/attach.js): {"1": 5, ...} for the attachments the viewer may see (their post's
** board by page_sees); others are left out. At most ATTACH_COUNTS_MAX canonical ids, else 400. */
void page_attach_counts(page *p) {
	const char *q = http_query(p->r, "aids");
	int64_t aids[ATTACH_COUNTS_MAX];
	int n = 0;
	char id[24];
	for (const char *s = q ? q : ""; q && *s;) {
		size_t k = strcspn(s, ",");
		if (n == ATTACH_COUNTS_MAX) {
			char msg[64];
			snprintf(msg, sizeof msg, "一次最多查询 %d 个附件。", ATTACH_COUNTS_MAX);
			page_json_error(p, 400, "too_many", msg);
			return;
		}
		if (k >= sizeof id) { page_json_error(p, 400, "bad_request", "附件编号无效。"); return; }
		memcpy(id, s, k);
		id[k] = 0;
		if (url_id(id, URL_NUM_MAX, &aids[n])) { page_json_error(p, 400, "bad_request", "附件编号无效。"); return; }
		n++;
		s += k;
		if (*s == ',' && !*++s) { page_json_error(p, 400, "bad_request", "附件编号无效。"); return; }
	}
	if (!n) { page_json_error(p, 400, "bad_request", "缺少参数 aids。"); return; }
	struct attach_count c[ATTACH_COUNTS_MAX];
	int m = attach_download_counts(p->db, aids, n, c);
	if (m < 0) { page_json_error(p, 503, "unavailable", "数据库暂时不可用，请稍后再试。"); return; }
	json_t *o = json_object();
	for (int i = 0; i < m; i++) {
		if (!c[i].post_fid || !page_sees(p, c[i].post_fid)) continue;
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)c[i].aid);
		json_object_set_new(o, key, json_integer(c[i].downloads));
	}
	page_json_send(p, 200, o);   /* JSON answers are no-store: the count is live */
}

/* forum.php?mod=attachment&aid=N or base64("N|sig|time|uid|tid") -> /a/N/o (called by discuz.c) */
void page_discuz_attachment(page *p) {
	const char *s = http_query(p->r, "aid");
	if (!s || !*s) { page_error(p, 400, "参数无效。"); return; }
	char plain[256];
	size_t n = strlen(s);
	int64_t aid = 0;
	int digits = n <= 15 && strspn(s, "0123456789") == n;
	if (digits) {
		if (url_uint(s, n, URL_NUM_MAX, &aid)) aid = 0;
	} else if (n < 340) {
		size_t bin = 0;
		if (!sodium_base642bin((unsigned char *)plain, sizeof plain - 1, s, n, NULL, &bin, NULL, sodium_base64_VARIANT_ORIGINAL)) {
			plain[bin] = 0;
			size_t k = strspn(plain, "0123456789");
			if (k && k <= 15 && (plain[k] == '|' || !plain[k]) && url_uint(plain, k, URL_NUM_MAX, &aid)) aid = 0;
		}
	}
	if (aid <= 0) { page_error(p, 400, "附件参数无效。"); return; }
	char url[48];
	const char *fp = http_query(p->r, "findpost");
	if (fp && *fp && strcmp(fp, "0")) {   /* &findpost=1: the post that holds it (issue 18) */
		struct attachment a;
		int rc = attach_get(p->db, p->a, aid, &a);
		if (rc < 0) { page_db_unavailable(p); return; }
		/* this route knows no viewer: only a post guests may read is named; else the file's route checks */
		if (rc && a.pid && a.post_fid && !a.modonly && guest_may_view(a.post_fid)) {
			snprintf(url, sizeof url, "/p/%lld", (long long)a.pid);
			http_redirect(p->r, 302, url);
			return;
		}
	}
	snprintf(url, sizeof url, "/a/%lld/o", (long long)aid);
	http_redirect(p->r, 301, url);
	http_set_header(p->r, "Cache-Control", "public, max-age=86400");
}

/* ---- avatars --------------------------------------------------------------------- */

/* the default: the name's first character on a colour picked from the uid (our own SVG) */
static void avatar_default(page *p, int64_t uid, int px) {
	static const char *const colours[] = {"#e57373", "#64b5f6", "#81c784", "#ffb74d", "#ba68c8", "#4db6ac", "#f06292", "#7986cb"};
	struct member m;
	const char *name = user_get(p->db, p->a, uid, &m) == 1 ? m.name : NULL;
	char initial[8] = "?";
	if (name && *name) {
		size_t k = 1;
		unsigned char c = (unsigned char)name[0];
		if (c >= 0xF0) k = 4;
		else if (c >= 0xE0) k = 3;
		else if (c >= 0xC0) k = 2;
		if (strlen(name) >= k) snprintf(initial, sizeof initial, "%.*s", (int)k, name);
		if (k == 1 && initial[0] >= 'a' && initial[0] <= 'z') initial[0] = (char)(initial[0] - 32);
	}
	buf b;
	buf_init(&b, 0);
	buf_appendf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 100 100\">"
	            "<rect width=\"100\" height=\"100\" fill=\"%s\"/><text x=\"50\" y=\"50\" dy=\".35em\" text-anchor=\"middle\" "
	            "font-family=\"sans-serif\" font-size=\"52\" fill=\"#fff\">", px, px, colours[uid % 8]);
	buf_html_s(&b, initial);
	buf_puts(&b, "</text></svg>");
	p->r->status = 200;
	p->r->ctype = "image/svg+xml";
	http_set_header(p->r, "Cache-Control", "public, max-age=60");
	http_set_header(p->r, "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
	buf_reset(&p->r->out);
	buf_append(&p->r->out, b.data, b.len);
	buf_release(&b);
}

void page_avatar(page *p) {
	int64_t uid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	int64_t px;
	if (url_id(p->r->seg[1], 200, &px) || (px != 48 && px != 120 && px != 200)) { page_error(p, 404, "头像尺寸只有 48、120、200。"); return; }
	char hash[65];
	int rc = avatar_get(p->db, uid, (int)px, hash, NULL);
	if (rc < 0) { page_error(p, 503, "数据库暂时不可用，请稍后再试。"); return; }
	if (!rc) { avatar_default(p, uid, (int)px); return; }
	/* the URL is stable, the picture may change: browsers revalidate after a minute (ETag, 304) */
	send_blob(p, hash, "image/png", "public, max-age=60", 1);
}

static int avatar_upload(page *p) {
	const struct http_file *f = NULL;
	for (const struct http_file *x = p->r->files; x; x = x->next)
		if (!strcmp(x->field, "file")) { f = x; break; }
	if (!f) {
		if (p->api) page_json_error(p, 400, "bad_request", "缺少文件：字段名 file。");
		else page_error(p, 400, "请选择一张图片。");
		return -1;
	}
	if (f->size > (uint64_t)p->site->attach_max_size) {
		if (p->api) page_json_error(p, 413, "too_large", "图片太大。");
		else page_error(p, 413, "图片太大。");
		return -1;
	}
	char msg[256];
	int st = avatar_set(p->db, p->me.uid, f->fd, f->size, f->path, p->now, msg, sizeof msg);
	if (st) {
		if (p->api) page_json_error(p, st, err_code(st), arena_strdup(p->a, msg));
		else page_error(p, st, arena_strdup(p->a, msg));
		return -1;
	}
	return 0;
}

void api_me_avatar(page *p) {
	if (http_parse_form(p->r)) {
		page_json_error(p, p->r->form_status == 413 ? 413 : 400, "bad_request", "请用 multipart/form-data 上传，字段名 file。");
		return;
	}
	if (avatar_upload(p)) return;
	json_t *o = json_object();
	json_object_set_new(o, "uid", json_integer(p->me.uid));
	json_object_set_new(o, "url48", json_string(arena_sprintf(p->a, "/avatar/%lld/48", (long long)p->me.uid)));
	json_object_set_new(o, "url120", json_string(arena_sprintf(p->a, "/avatar/%lld/120", (long long)p->me.uid)));
	json_object_set_new(o, "url200", json_string(arena_sprintf(p->a, "/avatar/%lld/200", (long long)p->me.uid)));
	page_json_send(p, 200, o);
}

void page_settings_avatar_form(page *p) {
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	tv_str(p->a, p->v, "avatar", arena_sprintf(p->a, "/avatar/%lld/200?v=%lld", (long long)p->me.uid, (long long)p->now));
	const char *saved = http_query(p->r, "saved");
	tv_bool(p->a, p->v, "saved", saved && !strcmp(saved, "1"));
	page_render(p, 200, "settings_avatar", arena_sprintf(p->a, "头像设置 - %s", p->site->name));
}

void page_settings_avatar(page *p) {
	if (avatar_upload(p)) return;
	http_redirect(p->r, 303, "/settings/avatar?saved=1");
}
