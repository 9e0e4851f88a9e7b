/*
** server: libmicrohttpd daemon, request life cycle, limits, responses.
** See http.h. A request's memory is its arena; its response body is one buf.
*/
#include "http/http.h"
#include "http/guard.h"
#include "http/metrics.h"
#include "http/stream.h"
#include "util/die.h"
#include "util/utf8.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <limits.h>
#include <strings.h>
#include <unistd.h>

static const struct http_config *g_cfg;
static volatile sig_atomic_t g_stop;
static pthread_t g_main_thread;
static int g_active;  /* requests in flight (atomic) */
static int g_deferred;  /* requests suspended by http_defer and not yet taken up again (atomic) */
static int g_handling;  /* handlers running now (atomic): see http_serve's drain */
static int g_draining;  /* stopping: connections close after their answer (atomic) */
static int g_refusing;  /* stopping, the grace is over: new requests answer 503 (atomic) */

uint64_t http_now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- gzip, one compressor per level per worker thread ------------------- */

struct gz_set { struct libdeflate_compressor *c[13]; };   /* by level, 0-12 */
static pthread_key_t g_gz_key;
static pthread_once_t g_gz_once = PTHREAD_ONCE_INIT;
static void gz_free(void *p) {
	struct gz_set *s = p;
	for (int i = 0; i < 13; i++)
		if (s->c[i]) libdeflate_free_compressor(s->c[i]);
	free(s);
}
static void gz_key_init(void) { pthread_key_create(&g_gz_key, gz_free); }

void *http_gzip(const void *in, size_t n, int level, size_t *outn) {
	pthread_once(&g_gz_once, gz_key_init);
	if (level < 0 || level > 12) level = 6;
	struct gz_set *s = pthread_getspecific(g_gz_key);
	if (!s) {
		s = xcalloc(1, sizeof *s);
		pthread_setspecific(g_gz_key, s);
	}
	struct libdeflate_compressor *c = s->c[level];
	if (!c) {
		c = s->c[level] = libdeflate_alloc_compressor(level);
		if (!c) die_oom();
	}
	size_t cap = libdeflate_gzip_compress_bound(c, n);
	void *out = xmalloc(cap);
	size_t m = libdeflate_gzip_compress(c, in, n, out, cap);
	if (!m || m >= n) {
		free(out);
		return NULL;
	}
	*outn = m;
	return out;
}

/* ---- accessors ---------------------------------------------------------- */

const char *http_query(req *r, const char *key) {
	if (r->nqread >= 0) {   /* remember the name: only what a handler reads may make its page differ */
		int i = 0;
		while (i < r->nqread && strcmp(r->qread[i], key)) i++;
		if (i == r->nqread) {
			if (i == HTTP_QREAD_MAX) r->nqread = -1;
			else r->qread[r->nqread++] = key;
		}
	}
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}
const char *http_header(req *r, const char *key) {
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}
const char *http_cookie(req *r, const char *key) {
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, key);
}
const char *http_form(req *r, const char *key) {
	const char *v = NULL;
	for (struct http_field *f = r->form; f; f = f->next)
		if (!strcmp(f->k, key)) v = v ? v : f->v;
	return v;
}

static enum MHD_Result utf8_check_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
	int *ok = cls;
	if (!utf8_valid(key, strlen(key)) || (value && !utf8_valid(value, strlen(value)))) {
		*ok = 0;
		return MHD_NO;
	}
	return MHD_YES;
}

int http_query_valid_utf8(req *r) {
	int ok = 1;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, utf8_check_cb, &ok);
	return ok;
}

static void put_len(buf *b, size_t n) {
	char d[24];
	int i = (int)sizeof d;
	do d[--i] = (char)('0' + n % 10); while ((n /= 10) && i);
	buf_append(b, d + i, sizeof d - (size_t)i);
}

static void key_str(buf *b, const char *s) {
	size_t n = strlen(s);
	put_len(b, n);
	buf_putc(b, ':');
	buf_append(b, s, n);
}

/* "LEN:path?" then "=LEN:value" (or "!" when absent) per name, in the names' order; no printf (the cache-hit path) */
void http_request_key(req *r, const char *const *names, int n, buf *out) {
	buf_reserve(out, 64 + (size_t)n * 4);
	key_str(out, r->path);
	buf_putc(out, '?');
	/* most requests have no arguments: then no lookups (each walks the connection's headers) */
	int any = n && MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, NULL, NULL) > 0;
	for (int i = 0; i < n; i++) {
		const char *v = any ? MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, names[i]) : NULL;
		if (v) {
			buf_putc(out, '=');
			key_str(out, v);
		} else {
			buf_putc(out, '!');
		}
	}
}

struct uri_ctx { req *r; buf *out; int n; };

static enum MHD_Result uri_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
	(void)kind;
	struct uri_ctx *u = cls;
	buf *out = u->out;
	int i = 0;
	while (u->r->nqread >= 0 && i < u->r->nqread && strcmp(u->r->qread[i], key)) i++;
	if (u->r->nqread >= 0 && i == u->r->nqread) return MHD_YES;   /* not read: not part of this page */
	buf_putc(out, u->n++ ? '&' : '?');
	buf_urlenc(out, key, strlen(key));
	if (value) {
		buf_putc(out, '=');
		buf_urlenc(out, value, strlen(value));
	}
	return MHD_YES;
}

void http_request_uri(req *r, buf *out) {
	for (const unsigned char *c = (const unsigned char *)r->path; *c; c++) {
		if (*c == '/' || *c > 0x7f || (*c > ' ' && *c != '%' && *c != '?' && *c != '#' && *c != '\\' && *c != 0x7f &&
		                                *c != '"' && *c != '<' && *c != '>'))
			buf_putc(out, (char)*c);
		else
			buf_appendf(out, "%%%02X", *c);
	}
	struct uri_ctx u = {r, out, 0};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, uri_cb, &u);
}

static enum MHD_Result first_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
	(void)kind;
	(void)value;
	*(const char **)cls = key;
	return MHD_NO;
}

const char *http_query_first_key(req *r) {
	const char *k = NULL;
	r->nqread = -1;   /* the page depends on every argument's name */
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, first_cb, &k);
	return k;
}

/* Form parsing with the library's post processor. A multipart/form-data body
** is parsed while it arrives (on_request): file parts go to temp files, other
** fields to r->form; urlencoded bodies are captured (HTTP_MAX_BODY) and parsed
** by http_parse_form. */
struct form_ctx { req *r; int nfields, nfiles; struct http_field *last; struct http_file *file; uint64_t total;
                  struct MHD_PostProcessor *pp; int done; };

static int file_part(struct form_ctx *fc, const char *key, const char *filename, const char *ctype,
                     const char *data, uint64_t off, size_t size) {
	req *r = fc->r;
	struct http_file *f = fc->file;
	if (off == 0 || !f || strcmp(f->field, key)) {
		if (!*filename && !size) return 0;    /* an empty file input */
		if (++fc->nfiles > HTTP_MAX_FILES) { r->form_status = 400; return -1; }
		f = arena_alloc(&r->a, sizeof *f);
		memset(f, 0, sizeof *f);
		f->field = arena_strdup(&r->a, key);
		f->filename = arena_strdup(&r->a, filename);
		f->ctype = arena_strdup(&r->a, ctype ? ctype : "");
		const char *dir = getenv("TMPDIR");
		snprintf(f->path, sizeof f->path, "%.40s/loulan-up-XXXXXX", dir && *dir && strlen(dir) < 40 ? dir : "/tmp");
		f->fd = mkostemp(f->path, O_CLOEXEC);
		if (f->fd < 0) { f->path[0] = 0; r->form_status = 503; return -1; }
		struct http_file **tail = &r->files;
		while (*tail) tail = &(*tail)->next;
		*tail = f;
		fc->file = f;
	}
	uint64_t cap = g_cfg && g_cfg->file_cap ? g_cfg->file_cap() : HTTP_MAX_UPLOAD;
	if (f->size + size > cap) { r->form_status = 413; return -1; }
	while (size) {
		ssize_t w = write(f->fd, data, size);
		if (w <= 0) { r->form_status = 503; return -1; }
		data += w;
		size -= (size_t)w;
		f->size += (uint64_t)w;
	}
	return 0;
}

static enum MHD_Result form_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *ctype, const char *enc, const char *data, uint64_t off, size_t size) {
	struct form_ctx *fc = cls;
	req *r = fc->r;
	if (filename) return file_part(fc, key, filename, ctype, data, off, size) ? MHD_NO : MHD_YES;
	/* the library may deliver one field in pieces: append to the last one (a multipart
	   field may also come first as an empty piece at offset 0, then its value at offset 0) */
	if (fc->last && !strcmp(fc->last->k, key) && (off > 0 || (fc == r->mp && fc->last->n == 0))) {
		struct http_field *f = fc->last;
		if (f->n + size > HTTP_MAX_FIELD) { r->form_status = 413; return MHD_NO; }
		char *nv = arena_alloc(&r->a, f->n + size + 1);
		memcpy(nv, f->v, f->n);
		memcpy(nv + f->n, data, size);
		nv[f->n + size] = 0;
		f->v = nv;
		f->n += size;
		return MHD_YES;
	}
	if (++fc->nfields > HTTP_MAX_FIELDS) { r->form_status = 400; return MHD_NO; }
	if (size > HTTP_MAX_FIELD) { r->form_status = 413; return MHD_NO; }
	struct http_field *f = arena_alloc(&r->a, sizeof *f);
	f->k = arena_strdup(&r->a, key);
	f->v = arena_strndup(&r->a, data ? data : "", size);
	f->n = size;
	f->next = NULL;
	if (fc->last) fc->last->next = f;
	else r->form = f;
	fc->last = f;
	return MHD_YES;
}

static int is_multipart(req *r) {
	const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	return ct && !strncasecmp(ct, "multipart/form-data", 19);
}

/* multipart, while the body arrives: 0, or the status to answer with */
static int multipart_feed(req *r, const char *data, size_t n) {
	struct form_ctx *fc = r->mp;
	if (!fc) {
		fc = r->mp = arena_alloc(&r->a, sizeof *fc);
		memset(fc, 0, sizeof *fc);
		fc->r = r;
		fc->pp = MHD_create_post_processor(r->conn, 16384, form_cb, fc);
		if (!fc->pp) return 400;
	}
	fc->total += n;
	if (fc->total > HTTP_MAX_UPLOAD) return 413;
	if (r->form_status) return 0;   /* a part was refused (file_cap, too many fields): the rest is discarded, the handler answers */
	if (MHD_post_process(fc->pp, data, n) != MHD_YES) return r->form_status ? 0 : 400;
	return 0;
}

static void multipart_end(req *r) {
	struct form_ctx *fc = r->mp;
	if (!fc || fc->done) return;
	fc->done = 1;
	if (fc->pp && MHD_destroy_post_processor(fc->pp) != MHD_YES && !r->form_status) r->form_status = 400;
	fc->pp = NULL;
}

static void files_remove(req *r) {
	struct form_ctx *fc = r->mp;
	if (fc && fc->pp) MHD_destroy_post_processor(fc->pp);
	if (fc) fc->pp = NULL;
	for (struct http_file *f = r->files; f; f = f->next) {
		if (f->fd >= 0) close(f->fd);
		if (f->path[0]) unlink(f->path);
	}
	r->files = NULL;
}

static int fields_valid(req *r) {
	for (struct http_field *f = r->form; f; f = f->next)
		if (!utf8_valid(f->k, strlen(f->k)) || memchr(f->v, 0, f->n) || !utf8_valid(f->v, f->n)) return 0;
	return 1;
}

int http_parse_form(req *r) {
	if (r->mp) {   /* multipart: parsed while it arrived */
		multipart_end(r);
		if (!r->form_status && !fields_valid(r)) r->form_status = 400;
		return r->form_status ? -1 : 0;
	}
	if (r->form || r->form_status) return r->form_status ? -1 : 0;
	const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || (strncasecmp(ct, "application/x-www-form-urlencoded", 33) && strncasecmp(ct, "multipart/form-data", 19))) {
		r->form_status = 415;
		return -1;
	}
	struct form_ctx fc = {r, 0, 0, NULL, NULL, 0, NULL, 0};
	struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 16384, form_cb, &fc);
	if (!pp) { r->form_status = 400; return -1; }
	enum MHD_Result ok = MHD_YES;
	if (r->body.len) ok = MHD_post_process(pp, r->body.data, r->body.len);
	enum MHD_Result done = MHD_destroy_post_processor(pp);
	if (!r->form_status && (ok != MHD_YES || done != MHD_YES)) r->form_status = 400;
	if (!r->form_status && !fields_valid(r)) r->form_status = 400;
	return r->form_status ? -1 : 0;
}

/* ---- responses ---------------------------------------------------------- */

void http_set_header(req *r, const char *k, const char *v) {
	struct http_hdr *h = arena_alloc(&r->a, sizeof *h);
	h->k = k;
	h->v = v;
	h->next = r->hdrs;
	r->hdrs = h;
}

void http_body_ext(req *r, const void *data, size_t n, void (*free_fn)(void *), void *cls) {
	if (r->ext_free) r->ext_free(r->ext_cls);
	r->ext = data;
	r->ext_n = n;
	r->ext_free = free_fn;
	r->ext_cls = cls;
}

void http_body_reader(req *r, uint64_t size, long (*fn)(void *cls, uint64_t pos, char *dst, size_t max),
                      void (*free_fn)(void *), void *cls) {
	if (r->rd_free) r->rd_free(r->rd_cls);
	r->rd_size = size;
	r->rd_fn = fn;
	r->rd_free = free_fn;
	r->rd_cls = cls;
}

struct reader { long (*fn)(void *, uint64_t, char *, size_t); void (*free_fn)(void *); void *cls; };
static ssize_t reader_cb(void *cls, uint64_t pos, char *dst, size_t max) {
	struct reader *rd = cls;
	long n = rd->fn(rd->cls, pos, dst, max);
	return n > 0 ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
}
static void reader_free(void *cls) {
	struct reader *rd = cls;
	if (rd->free_fn) rd->free_fn(rd->cls);
	free(rd);
}

void http_redirect(req *r, int status, const char *location) {
	if (strpbrk(location, "\r\n")) {
		/* header injection: a caller passed unchecked text (a bug); the library
		   would drop the header silently and send a redirect without a target */
		http_text(r, 500, "text/plain; charset=utf-8", "500 Internal Server Error\n");
		return;
	}
	r->status = status;
	http_set_header(r, "Location", arena_strdup(&r->a, location));
	r->ctype = "text/html; charset=utf-8";
	buf_reset(&r->out);
	buf_puts(&r->out, "<!doctype html><title>Moved</title><a href=\"");
	buf_html_s(&r->out, location);
	buf_puts(&r->out, "\">Moved</a>\n");
}

void http_text(req *r, int status, const char *ctype, const char *body) {
	r->status = status;
	r->ctype = ctype;
	buf_reset(&r->out);
	buf_puts(&r->out, body);
}

static int compressible(const char *ct) {
	return ct && (!strncmp(ct, "text/", 5) || !strncmp(ct, "application/json", 16) ||
	              !strncmp(ct, "application/javascript", 22) || !strncmp(ct, "image/svg", 9) ||
	              !strncmp(ct, "application/xml", 15));
}

/* the heading of an early error page: Chinese only (issue 17), like the pages' own error pages */
static const char *status_heading(int s) {
	switch (s) {
	case 400: return "请求无效";
	case 404: return "页面不存在";
	case 405: return "方法不允许";
	case 413: return "内容太长";
	case 414: return "网址太长";
	case 415: return "不支持的内容类型";
	case 431: return "请求头太大";
	case 503: return "服务器正在重启";
	default: return "出错了";
	}
}

static const char *status_zh(int s) {
	switch (s) {
	case 400: return "请求无效。";
	case 404: return "您要找的页面不存在。";
	case 413: return "请求内容太大。";
	case 414: return "网址太长。";
	case 431: return "请求头太大。";
	case 503: return "请稍后再试。";
	default: return "请求无法处理。";
	}
}

static void add_headers(struct MHD_Response *resp, req *r, int gz) {
	if (r->ctype) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	if (gz) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (compressible(r->ctype)) MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	for (struct http_hdr *h = r->hdrs; h; h = h->next) MHD_add_response_header(resp, h->k, h->v);
}

void *http_prepared_new(req *r, const void *body, size_t n) {
	struct MHD_Response *resp = MHD_create_response_from_buffer(n, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!resp) die_oom();
	add_headers(resp, r, r->precompressed);
	return resp;
}

void http_prepared_free(void *prepared) {
	if (prepared) MHD_destroy_response(prepared);
}

static void access_log(req *r, size_t n) {
	uint64_t us = (http_now_ns() - r->t0_ns) / 1000;
	char line[600];
	int len = snprintf(line, sizeof line, "%s %.400s %d %zu %lluus\n", r->method_s, r->path, r->status, n,
	                   (unsigned long long)us);
	if (len > 0) {
		ssize_t w = write(2, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
		(void)w;
	}
}

int http_in_flight(void) { return __atomic_load_n(&g_active, __ATOMIC_RELAXED); }

static int has_header(const req *r, const char *k) {
	for (const struct http_hdr *h = r->hdrs; h; h = h->next)
		if (!strcasecmp(h->k, k)) return 1;
	return 0;
}

/* queues a response made for this request alone, and drops our reference. While the server
   stops, the connection closes after it (nginx does the same): a kept-alive client brings no more
   requests, so the drain ends. Cached (prepared) responses are shared and keep their headers. */
static enum MHD_Result queue_own(struct MHD_Connection *c, req *r, struct MHD_Response *resp) {
	if (__atomic_load_n(&g_draining, __ATOMIC_SEQ_CST) && !has_header(r, "Connection"))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_response(struct MHD_Connection *c, req *r) {
	if (!r->status) r->status = 200;
	metrics_observe(r->route, r->status, http_now_ns() - r->t0_ns);
	if (r->prepared) {
		enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, r->prepared);
		r->prepared = NULL;
		if (r->done) r->done(r->done_cls);
		r->done = NULL;
		if (!g_cfg->quiet) access_log(r, r->prepared_len);
		return ret;
	}
	if (r->stream) {
		struct MHD_Response *resp = stream_response(r->stream);
		r->stream = NULL;
		add_headers(resp, r, 0);
		guard_stream(r->guard);
		enum MHD_Result ret = queue_own(c, r, resp);
		if (!g_cfg->quiet) access_log(r, 0);
		/* the request's memory is not needed while the stream lasts (hours, thousands of them):
		   nothing reads r's arena strings after the response is queued (on_completed frees) */
		arena_free(&r->a);
		arena_init(&r->a);
		buf_release(&r->out);
		buf_release(&r->body);
		r->path = r->ip = r->method_s = r->route = NULL;
		r->hdrs = NULL;
		r->form = NULL;
		r->nseg = 0;
		return ret;
	}
	if (r->rd_fn) {
		struct reader *rd = xmalloc(sizeof *rd);
		*rd = (struct reader){r->rd_fn, r->rd_free, r->rd_cls};
		r->rd_fn = NULL;
		r->rd_free = NULL;
		struct MHD_Response *resp = MHD_create_response_from_callback(r->rd_size, 64 * 1024, reader_cb, rd, reader_free);
		if (!resp) die_oom();
		add_headers(resp, r, 0);
		enum MHD_Result ret = queue_own(c, r, resp);
		if (!g_cfg->quiet) access_log(r, (size_t)r->rd_size);
		return ret;
	}
	if (r->ext) {
		struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(
			r->ext_n, (void *)r->ext, r->ext_free, r->ext_cls);
		if (!resp) die_oom();
		r->ext = NULL;
		r->ext_free = NULL;
		add_headers(resp, r, 0);
		enum MHD_Result ret = queue_own(c, r, resp);
		if (!g_cfg->quiet) access_log(r, r->ext_n);
		return ret;
	}
	if (r->out.err) {
		/* response over its cap: a bug in a page, not the client's fault */
		r->status = 500;
		buf_reset(&r->out);
		buf_puts(&r->out, "500 Internal Server Error\n");
		r->ctype = "text/plain; charset=utf-8";
	}
	size_t n = r->out.len;
	void *body = buf_detach(&r->out, &n);
	int gz = r->precompressed;
	if (!gz && !r->no_gzip && r->accept_gzip && n >= 256 && compressible(r->ctype)) {
		size_t zn;
		void *z = http_gzip(body, n, HTTP_GZIP_LEVEL, &zn);
		if (z) {
			free(body);
			body = z;
			n = zn;
			gz = 1;
		}
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) die_oom();
	add_headers(resp, r, gz);
	enum MHD_Result ret = queue_own(c, r, resp);
	if (!g_cfg->quiet) access_log(r, n);
	return ret;
}

static void early_error(req *r, int status) {
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	buf_reset(&r->out);
	/* no forum to show (the request never reached the routes): the message, a search box, the way home */
	buf_appendf(&r->out, "<!doctype html><html lang=\"zh-CN\"><meta charset=utf-8><meta name=\"viewport\" "
	            "content=\"width=device-width, initial-scale=1\"><title>%s</title><h1>%s</h1><p>%s</p>"
	            "<form class=\"sform notice-search\" method=\"get\" action=\"/search\"><input type=\"search\" name=\"q\" "
	            "aria-label=\"搜索\"> <button type=\"submit\">搜索</button></form><p><a href=\"/\">返回首页</a></p>\n",
	            status_heading(status), status_heading(status), status_zh(status));
}

static int method_of(const char *m) {
	if (!strcmp(m, "GET")) return HTTP_GET;
	if (!strcmp(m, "HEAD")) return HTTP_HEAD;
	if (!strcmp(m, "POST")) return HTTP_POST;
	if (!strcmp(m, "PUT")) return HTTP_PUT;
	if (!strcmp(m, "PATCH")) return HTTP_PATCH;
	if (!strcmp(m, "DELETE")) return HTTP_DELETE;
	if (!strcmp(m, "OPTIONS")) return HTTP_OPTIONS;
	return HTTP_OTHER;
}

/* inet_ntop for IPv4 without its sprintf: a.b.c.d */
static void ipv4_text(const struct in_addr *in, char *out) {
	const unsigned char *b = (const unsigned char *)&in->s_addr;
	char *o = out;
	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];
		if (v >= 100) *o++ = (char)('0' + v / 100);
		if (v >= 10) *o++ = (char)('0' + v / 10 % 10);
		*o++ = (char)('0' + v % 10);
		*o++ = i < 3 ? '.' : 0;
	}
}

struct sizes { size_t total; };
static enum MHD_Result size_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
	struct sizes *s = cls;
	s->total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* "%00" in raw[0, n): a NUL the library would decode and cut the string at */
static int has_nul_escape(const char *raw, size_t n) {
	for (size_t i = 0; i + 2 < n; i++)
		if (raw[i] == '%' && raw[i + 1] == '0' && raw[i + 2] == '0') return 1;
	return 0;
}

/* Content-Length: every copy the same number and Transfer-Encoding not with it;
   otherwise two parsers (a proxy's and ours) may split the stream differently */
struct framing { int n, bad, te; unsigned long long len; };
static enum MHD_Result framing_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
	struct framing *f = cls;
	if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) f->te = 1;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) return MHD_YES;
	unsigned long long v = 0;
	const char *c = value ? value : "";
	if (!*c) f->bad = 1;
	for (; *c; c++) {
		if (*c < '0' || *c > '9' || v > (ULLONG_MAX - 9) / 10) { f->bad = 1; break; }
		v = v * 10 + (unsigned)(*c - '0');
	}
	if (f->n++ && v != f->len) f->bad = 1;
	f->len = v;
	return MHD_YES;
}

static req *req_new(struct MHD_Connection *c) {
	req *r = xcalloc(1, sizeof *r);
	arena_init(&r->a);
	buf_init(&r->body, HTTP_MAX_BODY);
	buf_init(&r->out, 0);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	r->guard = ci ? ci->socket_context : NULL;
	return r;
}

/* called by the library once the request line is in, with the raw target */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
	req *r = req_new(c);
	const char *q = strchr(uri, '?');
	size_t pl = q ? (size_t)(q - uri) : strlen(uri);
	if (has_nul_escape(uri, pl)) r->early_status = 404;   /* no page has a NUL in its name */
	else if (q && has_nul_escape(q, strlen(q))) r->early_status = 400;
	/* a kept-alive connection's next request: its head deadline starts now */
	if (r->guard && guard_get_phase(r->guard) == GUARD_IDLE) guard_phase(r->guard, GUARD_HEAD);
	return r;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code) {
	metrics_conn(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? guard_open(ci->connect_fd) : NULL;
	} else {
		guard_close(*socket_context);
		*socket_context = NULL;
	}
}

/* answer at once, without reading a body, and close */
static enum MHD_Result refuse(struct MHD_Connection *c, req *r, int status) {
	early_error(r, status);
	http_set_header(r, "Connection", "close");
	guard_phase(r->guard, GUARD_BUSY);
	return send_response(c, r);
}

int http_trust_proxy_valid(const char *list) {
	return list && strlen(list) <= HTTP_TRUST_PROXY_MAX && *list && metrics_ip_in("127.0.0.1", list) >= 0 ? 0 : -1;
}

/* s[0..n) as a canonical IP address into out; 0 ok */
static int ip_text(const char *s, size_t n, char *out, size_t outn) {
	while (n && (*s == ' ' || *s == '\t')) s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
	char tmp[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];
	if (!n || n >= sizeof tmp) return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	if (inet_pton(AF_INET, tmp, bin) == 1) return inet_ntop(AF_INET, bin, out, (socklen_t)outn) ? 0 : -1;
	if (inet_pton(AF_INET6, tmp, bin) == 1) return inet_ntop(AF_INET6, bin, out, (socklen_t)outn) ? 0 : -1;
	return -1;
}

const char *http_client_ip(const char *peer, const char *trust, const char *real_ip, const char *xff, char *out, size_t n) {
	if (!trust || metrics_ip_in(peer, trust) != 1) return peer;
	if (real_ip && !ip_text(real_ip, strlen(real_ip), out, n)) return out;
	if (xff) {
		const char *last = strrchr(xff, ',');   /* the hop the trusted proxy appended */
		last = last ? last + 1 : xff;
		if (!ip_text(last, strlen(last), out, n)) return out;
	}
	return peer;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
	req *r = *con_cls;
	if (!r) r = *con_cls = req_new(c);
	if (!r->conn) {
		/* the head is in: from here the body's rate counts */
		guard_phase(r->guard, GUARD_BODY);
		r->conn = c;
		r->t0_ns = http_now_ns();
		r->counted = 1;
		__atomic_add_fetch(&g_active, 1, __ATOMIC_SEQ_CST);
		r->method = method_of(method);
		r->method_s = arena_strdup(&r->a, method);
		r->path = arena_strdup(&r->a, url);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		char ip[INET6_ADDRSTRLEN] = "";
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET) ipv4_text(&((const struct sockaddr_in *)sa)->sin_addr, ip);
			else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip, sizeof ip);
		}
		if (g_cfg->trust_proxy && *ip) {
			char client[INET6_ADDRSTRLEN];
			const char *real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");
			const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
			r->ip = arena_strdup(&r->a, http_client_ip(ip, g_cfg->trust_proxy, real, xff, client, sizeof client));
		} else {
			r->ip = arena_strdup(&r->a, ip);
		}
		struct sizes qs = {strlen(url)}, hs = {0};
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, size_cb, &qs);
		MHD_get_connection_values(c, MHD_HEADER_KIND, size_cb, &hs);
		const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
		r->accept_gzip = ae && strstr(ae, "gzip") != NULL;
		if (r->early_status) ;   /* from the raw target (on_uri) */
		else if (qs.total > HTTP_MAX_URL) r->early_status = 414;
		else if (hs.total > HTTP_MAX_HEADERS) r->early_status = 431;
		struct framing fr = {0};
		MHD_get_connection_values(c, MHD_HEADER_KIND, framing_cb, &fr);
		if (fr.bad || (fr.n && fr.te)) return refuse(c, r, 400);
		/* answer 413 at once, without reading the body; a multipart body has its own cap */
		if (!r->early_status && fr.n && fr.len > (is_multipart(r) ? HTTP_MAX_UPLOAD : HTTP_MAX_BODY))
			return refuse(c, r, 413);
		return MHD_YES;
	}
	if (*upload_size) {
		guard_body(r->guard, *upload_size);
		if (!r->early_status && (r->mp || (r->method == HTTP_POST && is_multipart(r)))) {
			int st = multipart_feed(r, upload, *upload_size);
			if (st) r->early_status = st;
		} else if (!r->early_status) {
			buf_append(&r->body, upload, *upload_size);
			if (r->body.err) r->early_status = 413;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	int deferred = __atomic_load_n(&r->deferred, __ATOMIC_ACQUIRE);
	if (deferred == 1) return MHD_YES;   /* not resumed yet (the library does not call a suspended connection) */
	guard_phase(r->guard, GUARD_BUSY);
	if (deferred) {
		/* resumed: the response was built by the thread that answered it (http_defer) */
		if (deferred == 2) {
			__atomic_store_n(&r->deferred, 3, __ATOMIC_RELAXED);
			__atomic_sub_fetch(&g_deferred, 1, __ATOMIC_SEQ_CST);   /* off the library's suspended list */
		}
	} else if (r->early_status) {
		early_error(r, r->early_status);
		if (r->early_status == 413) http_set_header(r, "Connection", "close");
	} else {
		/* counted before the flag is read: http_serve sees either this handler or the flag */
		__atomic_add_fetch(&g_handling, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&g_refusing, __ATOMIC_SEQ_CST)) {
			/* a request that came after the stop's grace: nothing may be suspended now */
			early_error(r, 503);
			http_set_header(r, "Retry-After", "1");
			http_set_header(r, "Connection", "close");
		} else {
			g_cfg->handler(r);
		}
		int d = __atomic_load_n(&r->deferred, __ATOMIC_ACQUIRE);
		__atomic_sub_fetch(&g_handling, 1, __ATOMIC_SEQ_CST);
		if (d) return MHD_YES;   /* r is another thread's now */
	}
	files_remove(r);   /* uploaded files are gone before the answer leaves */
	return send_response(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
	req *r = *con_cls;
	if (!r) return;
	int deferred = __atomic_load_n(&r->deferred, __ATOMIC_ACQUIRE);
	if (deferred == 1 || deferred == 2) __atomic_sub_fetch(&g_deferred, 1, __ATOMIC_SEQ_CST);   /* closed before taken up */
	if (r->done) r->done(r->done_cls);   /* never queued */
	guard_phase(r->guard, GUARD_IDLE);
	files_remove(r);
	if (r->ext_free) r->ext_free(r->ext_cls);   /* never queued */
	if (r->rd_free) r->rd_free(r->rd_cls);
	if (r->stream) stream_drop(r->stream);   /* never queued */
	buf_release(&r->body);
	buf_release(&r->out);
	arena_free(&r->a);
	if (r->counted) __atomic_sub_fetch(&g_active, 1, __ATOMIC_SEQ_CST);
	free(r);
	*con_cls = NULL;
}

void http_defer(req *r) {
	__atomic_add_fetch(&g_deferred, 1, __ATOMIC_SEQ_CST);
	/* suspended before anyone can resume it: the caller hands r over only after this */
	MHD_suspend_connection(r->conn);
	__atomic_store_n(&r->deferred, 1, __ATOMIC_RELEASE);
}

void http_resume(req *r) {
	struct MHD_Connection *c = r->conn;
	__atomic_store_n(&r->deferred, 2, __ATOMIC_RELEASE);
	MHD_resume_connection(c);   /* from here r is the worker thread's again (it may end at once) */
}

void http_block_signals(void) {
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void http_request_stop(void) {
	g_stop = 1;
	pthread_kill(g_main_thread, SIGTERM);
}

/* the library's error log, minus the sends to a client that went away (an event stream whose
   reader hung up ends this way: normal, not worth a line) */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap) {
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	if (strstr(line, "socket is no longer available")) return;
	fputs(line, stderr);
}

int http_serve(const struct http_config *cfg) {
	g_cfg = cfg;
	g_main_thread = pthread_self();
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &sin.sin_addr) != 1) {
		fprintf(stderr, "loulan: bad listen address %s (use an IPv4 address such as 127.0.0.1)\n", cfg->host);
		return -1;
	}
	/* every thread keeps SIGTERM/SIGINT blocked; this one takes them with sigwait */
	http_block_signals();
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	/* ITC: MHD_quiesce_daemon needs it to stop listening while requests finish */
	int max_conns = cfg->max_connections > 0 ? cfg->max_connections : HTTP_MAX_CONNECTIONS;
	/* suspend/resume: event streams wait outside the event loop (stream.c) */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,   /* first: the library logs while it reads the rest */
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->workers > 0 ? cfg->workers : 2),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_S,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conns,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(cfg->max_per_ip > 0 ? cfg->max_per_ip : HTTP_PER_IP_CONNECTIONS),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(HTTP_MAX_HEADERS + HTTP_MAX_URL + 16384),
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "loulan: cannot listen on %s:%d\n", cfg->host, cfg->port);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	int port = di ? di->port : cfg->port;
	guard_start(max_conns);
	stream_start_heartbeat(cfg->stream_heartbeat);
	if (cfg->on_listen) cfg->on_listen(cfg->host, port);
	while (!g_stop) {
		int sig = 0;
		if (sigwait(&set, &sig) == 0) g_stop = 1;
	}
	/* stop accepting; let in-flight requests finish (up to 10 s) */
	MHD_quiesce_daemon(d);
	/* kept-alive connections can still bring requests: each is answered, then closed (queue_own) */
	__atomic_store_n(&g_draining, 1, __ATOMIC_SEQ_CST);
	stream_stop();   /* event streams end now: they never finish by themselves */
	for (int i = 0; i < 1000 && __atomic_load_n(&g_active, __ATOMIC_SEQ_CST) > 0; i++) usleep(10000);
	/* the grace is over (or nothing is left): from here a new request answers 503, so none is
	   suspended any more. A deferred request is answered by its writer (pages/batch.c), which runs
	   until we return: stopping the library under a suspended connection would free what the writer
	   still holds, and the library refuses to stop while one is suspended. A handler still running
	   may yet defer, so it is waited for first; once none runs, none can start that defers. */
	__atomic_store_n(&g_refusing, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		if (__atomic_load_n(&g_handling, __ATOMIC_SEQ_CST) == 0 && __atomic_load_n(&g_deferred, __ATOMIC_SEQ_CST) == 0) break;
		usleep(10000);
	}
	MHD_stop_daemon(d);
	guard_stop();
	return 0;
}
