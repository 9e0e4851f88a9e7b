/*
** fuzz_markdown: libFuzzer target for markdown_render (the checks: fuzz_render.h).
*/
#include "markup/markdown.h"
#include "fuzz_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return fuzz_render(markdown_render, "markdown_render", d, n); }
