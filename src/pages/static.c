/*
** static: CSS, JS, favicon and robots.txt built into the binary, served
** with an ETag (content hash), 304 on If-None-Match and long caching:
** pages link to /static/NAME?v=HASH, so a new build changes the URL.
*/
#include "pages/page.h"
#include "util/die.h"
#include <stdio.h>
#include <string.h>

struct embed_file { const char *name; const unsigned char *data; size_t len; };
extern const struct embed_file embed_files[];

struct asset { const char *name; const unsigned char *data; size_t len; char etag[24]; char url[96]; const char *ctype; };
static struct asset assets[32];
static int nassets;

static const char *ctype_of(const char *name) {
	const char *dot = strrchr(name, '.');
	if (!dot) return "application/octet-stream";
	if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js")) return "application/javascript; charset=utf-8";
	if (!strcmp(dot, ".ico")) return "image/x-icon";
	if (!strcmp(dot, ".svg")) return "image/svg+xml";
	if (!strcmp(dot, ".png")) return "image/png";
	if (!strcmp(dot, ".txt")) return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

int static_init(void) {
	nassets = 0;
	for (const struct embed_file *f = embed_files; f->name; f++) {
		if (strncmp(f->name, "static/", 7)) continue;
		if (nassets == (int)(sizeof assets / sizeof assets[0])) die("too many static assets");
		struct asset *s = &assets[nassets++];
		s->name = f->name + 7;
		s->data = f->data;
		s->len = f->len;
		uint64_t h = 1469598103934665603ull;   /* FNV-1a */
		for (size_t i = 0; i < f->len; i++) h = (h ^ f->data[i]) * 1099511628211ull;
		snprintf(s->etag, sizeof s->etag, "\"%016llx\"", (unsigned long long)h);
		snprintf(s->url, sizeof s->url, "/static/%s?v=%08llx", s->name, (unsigned long long)(h >> 32));
		s->ctype = ctype_of(s->name);
	}
	return 0;
}

static const struct asset *find(const char *name) {
	for (int i = 0; i < nassets; i++)
		if (!strcmp(assets[i].name, name)) return &assets[i];
	return NULL;
}

const char *static_url(const char *name) {
	const struct asset *s = find(name);
	return s ? s->url : "";
}

static void serve_asset(page *p, const struct asset *s, int immutable) {
	req *r = p->r;
	http_set_header(r, "ETag", s->etag);
	http_set_header(r, "Cache-Control", immutable ? "public, max-age=31536000, immutable" : "public, max-age=86400");
	const char *inm = http_header(r, "If-None-Match");
	if (inm && strstr(inm, s->etag)) {
		r->status = 304;
		r->ctype = NULL;
		buf_reset(&r->out);
		return;
	}
	r->status = 200;
	r->ctype = s->ctype;
	buf_reset(&r->out);
	buf_append(&r->out, s->data, s->len);
}

void page_static(page *p) {
	const struct asset *s = find(p->r->seg[0]);
	if (!s) {
		page_error(p, 404, "文件不存在。");
		return;
	}
	serve_asset(p, s, 1);
}

void page_favicon(page *p) {
	const struct asset *s = find("favicon.ico");
	if (!s) { page_error(p, 404, "文件不存在。"); return; }
	serve_asset(p, s, 0);
}

void page_robots(page *p) {
	const struct asset *s = find("robots.txt");
	if (!s) { page_error(p, 404, "文件不存在。"); return; }
	page_robots_sitemap(p, (const char *)s->data, s->len);   /* + "Sitemap: ..." (issue 14) */
}
