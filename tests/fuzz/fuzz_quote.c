/*
** fuzz_quote: libFuzzer target for quote_excerpt. The input (after its first
** byte, which picks the excerpt's length) is rendered as BBCode and as
** Markdown; each rendering is quoted into both formats, and each excerpt is
** rendered again in its format: no sanitizer report, no render failure, and
** HTML that html_check accepts; otherwise abort.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "markup/bbcode.h"
#include "markup/markdown.h"
#include "markup/quote.h"
#include "html_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static int render(int md, buf *out, const char *s, size_t n) {
	return md ? markdown_render(out, s, n) : bbcode_render(out, s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n < 1 || n > 65536) return 0;
	long max = d[0] ? d[0] : 100000;
	const char *src = (const char *)d + 1;
	n--;
	for (int from = 0; from < 2; from++) {
		buf html;
		buf_init(&html, 0);
		if (render(from, &html, src, n)) abort();
		for (int to = 0; to < 2; to++) {
			buf q, back;
			buf_init(&q, 0);
			buf_init(&back, 0);
			if (quote_excerpt(&q, buf_cstr(&html), html.len, to ? QUOTE_MARKDOWN : QUOTE_BBCODE, max)) {
				fprintf(stderr, "quote_excerpt failed without a cap error\n");
				abort();
			}
			if (render(to, &back, buf_cstr(&q), q.len)) abort();
			size_t where = 0;
			const char *err = html_check(buf_cstr(&back), back.len, &where);
			if (err) {
				fprintf(stderr, "html_check: %s at %zu in %s\n", err, where, buf_cstr(&back));
				abort();
			}
			buf_release(&q);
			buf_release(&back);
		}
		buf_release(&html);
	}
	return 0;
}
