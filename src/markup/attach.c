/*
** markup/attach: see attach.h. The emitted HTML uses only allowlisted tags and
** classes of static/loulan.css: an image is
**   <a class="att-img" href="/a/N/o"><img src="/a/N/display" width height loading="lazy" alt></a>
** and any other file a download card
**   <span class="att-file"><a href="/a/N/o">NAME</a> <span class="att-size">12.3 KB</span></span>
*/
#include "markup/attach.h"
#include <stdio.h>

static _Thread_local markup_attach_fn g_fn;

void markup_set_attach(markup_attach_fn fn) { g_fn = fn; }

int64_t markup_attach_id(const char *s, size_t n) {
	if (!n || n > 15) return 0;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void human_size(buf *o, int64_t n) {
	if (n < 1024) buf_appendf(o, "%lld B", (long long)n);
	else if (n < 1024 * 1024) buf_appendf(o, "%.1f KB", (double)n / 1024);
	else buf_appendf(o, "%.1f MB", (double)n / (1024 * 1024));
}

void markup_attach_emit(buf *o, int64_t aid, const struct markup_attach *m, int image) {
	if (m->is_image && image) {
		buf_appendf(o, "<a class=\"att-img\" href=\"/a/%lld/o\"><img src=\"/a/%lld/display\" width=\"%d\" height=\"%d\" "
		            "loading=\"lazy\" alt=\"", (long long)aid, (long long)aid, m->width, m->height);
		buf_html_s(o, m->filename);
		buf_puts(o, "\"></a>");
		return;
	}
	buf_appendf(o, "<span class=\"att-file\"><a href=\"/a/%lld/o\">", (long long)aid);
	buf_html_s(o, m->filename);
	buf_puts(o, "</a> <span class=\"att-size\">");
	human_size(o, m->size);
	buf_puts(o, "</span></span>");
}

int markup_attach_html(buf *o, int64_t aid, int image) {
	struct markup_attach m = {0};
	if (!g_fn || aid <= 0 || !g_fn(aid, &m)) return -1;
	markup_attach_emit(o, aid, &m, image);
	return 0;
}
