/*
** routes: the one declarative route table (Fossil WEBPAGE:, cgit cmd.c).
** Method, path pattern and handler in one place; '*' matches one path
** segment, whose text the handler finds in r->seg[]. A path that matches
** with another method answers 405 with Allow; no match answers 404.
*/
#include "pages/page.h"
#include <string.h>

struct route {
	const char *pattern;
	int methods;
	void (*handler)(page *p);
};

#define GET (HTTP_GET | HTTP_HEAD)

static const struct route routes[] = {
	{"/", GET, page_index},
	{"/f/*", GET, page_board},
	{"/t/*", GET, page_thread},
	{"/t/*/next", GET, page_thread_next},
	{"/t/*/prev", GET, page_thread_prev},
	{"/forum.php", GET, page_discuz_forum},
	{"/static/*", GET, page_static},
	{"/favicon.ico", GET, page_favicon},
	{"/robots.txt", GET, page_robots},
	{"/*", GET, page_discuz_html},   /* thread-N-P-1.html, forum-N-P.html */
};

static int match(const char *pattern, const char *path, req *r) {
	r->nseg = 0;
	const char *p = pattern, *u = path;
	while (*p && *u) {
		if (*p == '*') {
			const char *end = strchr(u, '/');
			size_t n = end ? (size_t)(end - u) : strlen(u);
			if (!n || r->nseg == (int)(sizeof r->seg / sizeof r->seg[0])) return 0;
			r->seg[r->nseg++] = arena_strndup(&r->a, u, n);
			u += n;
			p++;
		} else if (*p == *u) {
			p++;
			u++;
		} else {
			return 0;
		}
	}
	return !*p && !*u;
}

static const char *allow_header(int m) {
	return m == GET ? "GET, HEAD" : m == HTTP_POST ? "POST" : m == (GET | HTTP_POST) ? "GET, HEAD, POST" : "GET, HEAD, POST";
}

void app_handle(req *r) {
	page p;
	page_init(&p, r);
	r->app = &p;
	if (!p.db) {
		page_error(&p, 503, "数据库暂时不可用，请稍后再试。");
		return;
	}
	if (!http_query_valid_utf8(r) || strlen(r->path) > HTTP_MAX_URL) {
		page_error(&p, 400, "请求无效：参数不是有效的 UTF-8 文本。");
		return;
	}
	int allowed = 0;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!match(routes[i].pattern, r->path, r)) continue;
		if (!(routes[i].methods & r->method)) {
			allowed |= routes[i].methods;
			continue;
		}
		routes[i].handler(&p);
		return;
	}
	if (allowed) {
		http_set_header(r, "Allow", allow_header(allowed));
		page_error(&p, 405, "不支持这种请求方法。");
		return;
	}
	page_error(&p, 404, "您要找的页面不存在，可能已被删除或移动。");
}
