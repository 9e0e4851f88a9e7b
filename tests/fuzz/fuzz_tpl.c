/*
** libFuzzer target for the template engine: compile arbitrary template
** source and render it against a fixed data tree holding hostile strings.
** Asserts that a value of type TV_STR never reaches the output unescaped:
** the hostile values start with "<\x01", a byte pair that template text
** (which must not contain \x01) cannot produce and escaping turns into
** "&lt;\x01".
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
	buf b;
	buf_init(&b, 1 << 20);
	tpl_render_t(&b, t, m);
	if (b.data && memmem(b.data, b.len, "<\x01", 2)) abort();   /* an escaped value leaked raw */
	buf_release(&b);
	arena_free(&a);
	tpl_free(t);
	return 0;
}
