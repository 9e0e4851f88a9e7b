/*
** fuzz_render: the one body of the renderer fuzz targets (fuzz_bbcode.c,
** fuzz_markdown.c). Any input up to the post length cap must render without a
** sanitizer report into HTML that html_check accepts (allowlisted tags and
** attributes, safe URL schemes, balanced, everything escaped); otherwise abort.
*/
#ifndef LOULAN_FUZZ_RENDER_H
#define LOULAN_FUZZ_RENDER_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "util/buf.h"
#include "markup/attach.h"
#include "html_check.h"

/* [attach]1-3 (attach:1-3) resolve, as in a post whose author uploaded them: 1 an image with
   a name that needs escaping, 2 a file, 3 an image of a name with quotes */
static int fuzz_fake_attach(int64_t aid, struct markup_attach *m) {
	static const char *const names[] = {"", "<b>&amp;.jpg", "报告.pdf", "\"q'.png"};
	if (aid < 1 || aid > 3) return 0;
	m->is_image = aid != 2;
	m->width = 640;
	m->height = 480;
	m->filename = names[aid];
	m->size = 1000 * aid;
	return 1;
}

static int fuzz_render(int (*render)(buf *b, const char *src, size_t n), const char *name, const uint8_t *d, size_t n) {
	if (n > 65536) return 0; /* the post length cap */
	markup_set_attach(fuzz_fake_attach);
	buf b;
	buf_init(&b, 0);
	if (render(&b, (const char *)d, n) != 0) {
		fprintf(stderr, "%s failed without a cap error\n", name);
		abort();
	}
	size_t where = 0;
	const char *err = html_check(buf_cstr(&b), b.len, &where);
	if (err) {
		size_t from = where > 60 ? where - 60 : 0;
		fprintf(stderr, "html_check: %s at %zu: ...%.*s<<HERE>>%.40s\n", err, where,
		        (int)(where - from), buf_cstr(&b) + from, buf_cstr(&b) + where);
		abort();
	}
	buf_release(&b);
	return 0;
}
#endif
