/*
** libFuzzer target for src/cache/zseg.c, the one place loulan reads deflate codes itself (issue 16):
** zseg_end walks a raw deflate stream's blocks to end it as a segment more blocks follow.
**   - The input's first byte picks libdeflate's level (1-12) and where the rest is cut in two;
**     each part is compressed, ended by zseg_end, and the segments followed by an empty final block
**     must inflate (zlib) to exactly the input.
**   - The same bytes given as a "stream" as they are (no deflate data at all) must be refused (0)
**     or ended within their bounds: never read or write outside z[0, n + 5).
*/
#include "cache/zseg.h"
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static size_t segment(struct libdeflate_compressor *c, const uint8_t *in, size_t len, unsigned char *out, size_t cap) {
	if (!len) return 0;   /* an empty segment is no blocks at all (as cache.c does) */
	size_t k = libdeflate_deflate_compress(c, in, len, out, cap - 5);
	if (!k) abort();      /* the bound was given */
	k = zseg_end(out, k, len);
	if (!k || k > cap) abort();
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
	if (n < 1 || n > 65536) return 0;
	const uint8_t *in = d + 1;
	size_t len = n - 1, cut = len ? (size_t)d[0] * len / 255 : 0;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(1 + d[0] % 12);
	if (!c) abort();
	size_t cap = libdeflate_deflate_compress_bound(c, len) * 2 + 32;
	unsigned char *z = malloc(cap);
	size_t zn = segment(c, in, cut, z, cap);
	zn += segment(c, in + cut, len - cut, z + zn, cap - zn);
	z[zn++] = 0x03;   /* an empty final block with fixed codes */
	z[zn++] = 0x00;
	libdeflate_free_compressor(c);

	unsigned char *out = malloc(len + 1);
	z_stream s;
	memset(&s, 0, sizeof s);
	if (inflateInit2(&s, -15) != Z_OK) abort();
	s.next_in = z;
	s.avail_in = (uInt)zn;
	s.next_out = out;
	s.avail_out = (uInt)len + 1;
	if (inflate(&s, Z_FINISH) != Z_STREAM_END || s.total_out != len || (len && memcmp(out, in, len))) abort();
	inflateEnd(&s);
	free(out);
	free(z);

	/* arbitrary bytes: refused or ended in bounds (ASan watches the bounds) */
	unsigned char *raw = malloc(len + 5);
	if (len) memcpy(raw, in, len);
	size_t k = zseg_end(raw, len, len * 4);
	if (k > len + 5) abort();
	free(raw);
	return 0;
}
