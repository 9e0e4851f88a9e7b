/*
** discuz: old Discuz! X3.5 URLs answer 301 to the canonical page, so links
** from search engines and other sites keep working after a move:
**   forum.php                                   -> /
**   forum.php?mod=viewthread&tid=N[&page=P]     -> /t/N[?page=P]
**   forum.php?mod=forumdisplay&fid=N[&page=P]   -> /f/N[?page=P]
**   thread-N-P-1.html                           -> /t/N[?page=P]
**   forum-N-P.html                              -> /f/N[?page=P]
**   forum.php?mod=redirect&goto=findpost&pid=N  -> the floor's page and anchor (302)
*/
#include "pages/page.h"
#include <stdio.h>
#include <string.h>

static void moved(page *p, const char *kind, int64_t id, int pg) {
	char url[96];
	if (pg > 1) snprintf(url, sizeof url, "/%s/%lld?page=%d", kind, (long long)id, pg);
	else snprintf(url, sizeof url, "/%s/%lld", kind, (long long)id);
	http_redirect(p->r, 301, url);
	http_set_header(p->r, "Cache-Control", "public, max-age=86400");
}

void page_discuz_forum(page *p) {
	const char *mod = http_query(p->r, "mod");
	int64_t id;
	int pg;
	if (!mod || !*mod || !strcmp(mod, "index")) {
		http_redirect(p->r, 301, "/");
		return;
	}
	if (!strcmp(mod, "viewthread")) {
		if (page_id(p, http_query(p->r, "tid"), &id) || page_number(p, "page", &pg)) return;
		moved(p, "t", id, pg);
	} else if (!strcmp(mod, "forumdisplay")) {
		if (page_id(p, http_query(p->r, "fid"), &id) || page_number(p, "page", &pg)) return;
		moved(p, "f", id, pg);
	} else if (!strcmp(mod, "redirect") && http_query(p->r, "goto") && !strcmp(http_query(p->r, "goto"), "findpost")) {
		if (page_id(p, http_query(p->r, "pid"), &id)) return;
		page_goto_post(p, id);
	} else {
		page_error(p, 404, "您要找的页面不存在。");
	}
}

/* all-digit segment within [1, max] */
static int num(const char *s, size_t n, int64_t max, int64_t *out) {
	if (!n || n > 18) return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > max) return -1;
	*out = v;
	return 0;
}

/* splits "a-b-c.html" after prefix into up to 3 numbers */
static int parts(const char *s, const char *prefix, int64_t *v, int want) {
	size_t pl = strlen(prefix), n = strlen(s);
	if (strncmp(s, prefix, pl) || n < pl + 5 || strcmp(s + n - 5, ".html")) return 0;
	const char *c = s + pl, *e = s + n - 5;
	int k = 0;
	while (c <= e && k < want) {
		const char *dash = memchr(c, '-', (size_t)(e - c));
		const char *end = dash ? dash : e;
		if (num(c, (size_t)(end - c), INT64_MAX / 2, &v[k])) return -1;
		k++;
		c = end + 1;
		if (!dash) break;
	}
	return (k == want && c > e) ? 1 : -1;
}

void page_discuz_html(page *p) {
	const char *s = p->r->seg[0];
	int64_t v[3];
	int rc;
	if ((rc = parts(s, "thread-", v, 3)) != 0) {
		if (rc < 0 || v[1] > FORUM_MAX_PAGE) { page_error(p, 400, "参数无效。"); return; }
		moved(p, "t", v[0], (int)v[1]);
	} else if ((rc = parts(s, "forum-", v, 2)) != 0) {
		if (rc < 0 || v[1] > FORUM_MAX_PAGE) { page_error(p, 400, "参数无效。"); return; }
		moved(p, "f", v[0], (int)v[1]);
	} else {
		page_error(p, 404, "您要找的页面不存在，可能已被删除或移动。");
	}
}
