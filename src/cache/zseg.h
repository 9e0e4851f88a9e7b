/*
** zseg: one raw deflate stream made into a segment that more blocks follow (issue 16).
**
** libdeflate compresses a whole buffer at a time (2-3x zlib's speed at a better ratio), and its
** stream ends: its last block is marked final and its data stops at some bit of the last byte.
** A cached page is segments with holes between them, so zseg_end walks the stream's blocks
** (decoding codes, writing nothing), clears the final mark of the last block, and ends the stream
** byte-aligned with an empty stored block, as zlib's Z_FULL_FLUSH does. gzjoin.c in zlib's
** examples does the same with inflate, at four times the cost.
*/
#ifndef LOULAN_CACHE_ZSEG_H
#define LOULAN_CACHE_ZSEG_H
#include <stddef.h>

/* z[0, n) is a raw deflate stream of len plain bytes, with room for 5 more bytes after it; returns
   the segment's new length (at most n + 5), or 0 if the stream is not one (nothing is usable then) */
size_t zseg_end(unsigned char *z, size_t n, size_t len);

#endif
