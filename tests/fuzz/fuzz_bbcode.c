/*
** fuzz_bbcode: libFuzzer target for bbcode_render (the checks: fuzz_render.h).
*/
#include "markup/bbcode.h"
#include "fuzz_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return fuzz_render(bbcode_render, "bbcode_render", d, n); }
