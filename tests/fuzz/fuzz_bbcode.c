/*
** fuzz_bbcode: libFuzzer target for bbcode_render (the checks: fuzz_render.h), and for
** bbcode_render_view with every [hide] open (the page-time render of a hidden floor, issue 18).
*/
#include "markup/bbcode.h"
#include "fuzz_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static int render_open_view(buf *b, const char *src, size_t n) {
	static const struct bbcode_view all = {1, 1, 1000000000, 100000};
	return bbcode_render_view(b, src, n, &all);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	fuzz_render(bbcode_render, "bbcode_render", d, n);
	return fuzz_render(render_open_view, "bbcode_render_view", d, n);
}
