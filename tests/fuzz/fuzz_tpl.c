/*
** libFuzzer target for the template engine: compile arbitrary template
** source and render it against a fixed data tree holding hostile strings.
** Asserts that a value of type TV_STR never reaches the output unescaped:
** the hostile values start with "<\x01", a byte pair that template text
** (which must not contain \x01) cannot produce and escaping turns into
** "&lt;\x01".
** Holes: "y" and "s.y" are holes (TV_HOLE); their recorded offsets must be
** in order and inside the output, and filling them with the hostile value
** must escape it too.
*/
#include "render/tpl.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n > 4096) return 0;
	char err[256];
	/* the template source itself must not contain the marker byte */
	if (memchr(d, 1, n)) return 0;
	tpl *t = tpl_compile("f", (const char *)d, n, err, sizeof err);
	if (!t) return 0;
	arena a;
	arena_init(&a);
	tv *m = tv_map(&a);
	tv_str(&a, m, "x", "<\x01evil>\"'&");
	tv_int(&a, m, "n", 7);
	tv_bool(&a, m, "b", 1);
	tv *l = tv_add_list(&a, m, "l");
	for (int i = 0; i < 3; i++) {
		tv *it = tv_push_map(&a, l);
		tv_str(&a, it, "x", "<\x01evil>");
		tv_add_list(&a, it, "l");
	}
	tv *s = tv_add_map(&a, m, "s");
	tv_str(&a, s, "x", "<\x01evil>");
	tv_html(&a, s, "h", "<b>safe</b>");
	tv_hole(&a, m, "y", 1);
	tv_hole(&a, s, "y", 2);
	buf b;
	buf_init(&b, 1 << 20);
	tpl_holes h = {.a = &a};
	tpl_render_t_holes(&b, t, m, &h);
	if (b.data && memmem(b.data, b.len, "<\x01", 2)) abort();   /* an escaped value leaked raw */
	size_t prev = 0;
	for (int i = 0; i < h.n; i++) {
		if (h.h[i].off < prev || h.h[i].off > b.len || h.h[i].id < 1 || h.h[i].id > 2) abort();
		prev = h.h[i].off;
	}
	const char *vals[TPL_MAX_HOLE_ID] = {[1] = "<\x01hole>", [2] = "<\x01hole2>"};
	buf f;
	buf_init(&f, 1 << 21);
	tpl_fill(&f, b.data ? b.data : "", b.len, &h, vals);
	if (f.data && memmem(f.data, f.len, "<\x01", 2)) abort();   /* a hole's value leaked raw */
	buf_release(&f);
	buf_release(&b);
	arena_free(&a);
	tpl_free(t);
	return 0;
}
