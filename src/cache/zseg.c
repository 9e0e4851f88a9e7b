/*
** zseg: makes a whole raw deflate stream (libdeflate's) into a segment that more blocks follow;
** see zseg.h. The blocks are walked, not inflated: codes are decoded (a 10-bit table, longer codes
** bit by bit as in zlib's contrib/puff), nothing is written out, only lengths are added up.
*/
#include "cache/zseg.h"
#include <stdint.h>
#include <string.h>

#define FAST 10                 /* bits of the first-level decoding table */
#define MAXBITS 15
#define NLIT 288
#define NDIST 32

struct huff {
	uint16_t fast[1 << FAST];   /* symbol << 4 | code length; 0: a longer code (slow path) */
	uint16_t count[MAXBITS + 1];
	uint16_t first[MAXBITS + 2];   /* the first code of each length (canonical) */
	uint16_t index[MAXBITS + 2];   /* how many symbols have shorter codes */
	uint16_t sym[NLIT];         /* symbols by code */
};

struct bitin {
	const unsigned char *p, *start, *end;
	uint64_t buf;
	int cnt;
};

static void refill(struct bitin *b) {
	if (b->end - b->p >= 8) {   /* whole bytes up to 56..63 bits */
		uint64_t w;
		memcpy(&w, b->p, 8);
		b->buf |= w << b->cnt;   /* little-endian (x86-64, aarch64) */
		b->p += (63 - b->cnt) >> 3;
		b->cnt |= 56;
		return;
	}
	while (b->cnt <= 56) {   /* past the end: zero bytes, caught by the final position check */
		uint64_t c = b->p < b->end ? *b->p : 0;
		b->p++;
		b->buf |= c << b->cnt;
		b->cnt += 8;
	}
}

static inline __attribute__((always_inline)) unsigned bits(struct bitin *b, int k) {
	if (b->cnt < k) refill(b);
	unsigned v = (unsigned)(b->buf & ((1u << k) - 1));
	b->buf >>= k;
	b->cnt -= k;
	return v;
}

static size_t consumed(const struct bitin *b) { return (size_t)(b->p - b->start) * 8 - (size_t)b->cnt; }

static unsigned rev16(unsigned x) {
	x = (x & 0x5555u) << 1 | (x >> 1 & 0x5555u);
	x = (x & 0x3333u) << 2 | (x >> 2 & 0x3333u);
	x = (x & 0x0f0fu) << 4 | (x >> 4 & 0x0f0fu);
	return (x & 0x00ffu) << 8 | (x >> 8 & 0x00ffu);
}

/* the canonical code of lengths len[0, n); 0 or -1 (over-subscribed) */
static int build(struct huff *h, const unsigned char *len, int n) {
	uint16_t offs[MAXBITS + 2];
	memset(h->count, 0, sizeof h->count);
	for (int s = 0; s < n; s++) h->count[len[s]]++;
	h->count[0] = 0;
	int left = 1;
	for (int l = 1; l <= MAXBITS; l++) {
		left = left * 2 - h->count[l];
		if (left < 0) return -1;
	}
	offs[1] = 0;
	for (int l = 1; l <= MAXBITS; l++) offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
	for (int l = 1; l <= MAXBITS; l++) h->index[l] = offs[l];
	for (int s = 0; s < n; s++)
		if (len[s]) h->sym[offs[len[s]]++] = (uint16_t)s;
	memset(h->fast, 0, sizeof h->fast);
	unsigned code = 0;
	for (int l = 1; l <= MAXBITS; l++) {
		h->first[l] = (uint16_t)code;
		code = (code + h->count[l]) << 1;
	}
	/* the codes up to FAST bits, bit-reversed (the stream holds a code's first bit lowest) */
	for (int l = 1, idx = 0; l <= FAST; l++)
		for (unsigned k = 0; k < h->count[l]; k++, idx++) {
			unsigned rev = rev16(h->first[l] + k) >> (16 - l);
			uint16_t e = (uint16_t)(h->sym[idx] << 4 | l);
			for (unsigned x = rev; x < (1u << FAST); x += 1u << l) h->fast[x] = e;
		}
	return 0;
}

/* a code longer than FAST bits (at least MAXBITS bits are in the buffer): its first FAST bits,
   then one bit more at a time */
static __attribute__((noinline)) int decode_slow(struct bitin *b, const struct huff *h) {
	uint64_t v = b->buf;
	unsigned code = rev16((unsigned)(v & ((1u << FAST) - 1))) >> (16 - FAST);
	for (int l = FAST + 1; l <= MAXBITS; l++) {
		code = code << 1 | (unsigned)(v >> (l - 1) & 1);
		unsigned k = code - h->first[l];
		if (k < h->count[l]) {
			b->buf >>= l;
			b->cnt -= l;
			return h->sym[h->index[l] + k];
		}
	}
	return -1;
}

/* one symbol, or -1 */
static inline __attribute__((always_inline)) int decode(struct bitin *b, const struct huff *h) {
	if (b->cnt < MAXBITS) refill(b);
	unsigned e = h->fast[b->buf & ((1u << FAST) - 1)];
	if (!e) return decode_slow(b, h);
	b->buf >>= e & 15;
	b->cnt -= (int)(e & 15);
	return (int)(e >> 4);
}

static const uint16_t LBASE[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                   31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const unsigned char LEXT[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const unsigned char DEXT[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* the symbols of a Huffman block up to its end; adds the plain length to *out; 0 or -1 */
static int codes(struct bitin *b, const struct huff *lit, const struct huff *dist, size_t *out) {
	for (;;) {
		if (b->p > b->end + 8) return -1;   /* only zero bits past the end: not a stream (never ends) */
		int s = decode(b, lit);
		if (s < 0) return -1;
		if (s < 256) {
			(*out)++;
			continue;
		}
		if (s == 256) return 0;
		s -= 257;
		if (s >= 29) return -1;
		*out += LBASE[s] + (LEXT[s] ? bits(b, LEXT[s]) : 0);
		int d = decode(b, dist);
		if (d < 0 || d >= 30) return -1;
		if (DEXT[d]) bits(b, DEXT[d]);
	}
}

/* a dynamic block's header: the code lengths of its literal/length code (len[0, *nlen)) and of its
   distance code (after them); 0 or -1 */
static int lengths(struct bitin *b, unsigned char *len, int *nlen, int *ndist) {
	static const unsigned char order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
	*nlen = (int)bits(b, 5) + 257;
	*ndist = (int)bits(b, 5) + 1;
	int ncode = (int)bits(b, 4) + 4, all = *nlen + *ndist;
	if (*nlen > 286 || *ndist > 30) return -1;
	unsigned char cl[19] = {0};
	for (int i = 0; i < ncode; i++) cl[order[i]] = (unsigned char)bits(b, 3);
	struct huff h;
	if (build(&h, cl, 19)) return -1;
	for (int i = 0; i < all;) {
		int s = decode(b, &h);
		if (s < 0) return -1;
		if (s < 16) {
			len[i++] = (unsigned char)s;
			continue;
		}
		unsigned char v = 0;
		int rep;
		if (s == 16) {
			if (!i) return -1;
			v = len[i - 1];
			rep = 3 + (int)bits(b, 2);
		} else {
			rep = s == 17 ? 3 + (int)bits(b, 3) : 11 + (int)bits(b, 7);
		}
		if (i + rep > all) return -1;
		while (rep--) len[i++] = v;
	}
	return len[256] ? 0 : -1;
}

static int dynamic(struct bitin *b, struct huff *lit, struct huff *dist) {
	unsigned char len[NLIT + NDIST];
	int nlen, ndist;
	if (lengths(b, len, &nlen, &ndist) || build(lit, len, nlen) || build(dist, len + nlen, ndist)) return -1;
	return 0;
}

/* Ends the segment whose data ends at bit end, its last block's header at bit hdr. */
static size_t finish(unsigned char *z, size_t hdr, size_t end) {
	z[hdr / 8] &= (unsigned char)~(1u << (hdr % 8));   /* the last block is not the last any more */
	size_t used = (end + 7) / 8;
	int unused = (int)(used * 8 - end);
	z[used - 1] &= (unsigned char)(0xffu >> unused);   /* the padding: zero bits */
	if (unused < 3) z[used++] = 0;   /* the empty block's 3 header bits (0 = not last, 00 = stored) spill over */
	static const unsigned char sync[4] = {0, 0, 0xff, 0xff};   /* LEN 0, NLEN */
	memcpy(z + used, sync, 4);
	return used + 4;
}

/* The common case without a walk: one dynamic block (the first is the last). Its data ends with
   the end-of-block code, then zero bits to the byte's end: the stream's highest 1 bit is the code's
   last 1 bit, and the code's 0 bits after that follow it. The header is read for the code (its
   bits are checked in place); 0 when this does not apply (more blocks, a code of all 0 bits). */
static size_t one_block(unsigned char *z, size_t n) {
	if ((z[0] & 7) != (1 | 2 << 1) || !z[n - 1]) return 0;   /* last, dynamic; a 1 bit in the last byte */
	struct bitin b = {z, z, z + n, 0, 0};
	bits(&b, 3);
	unsigned char len[NLIT + NDIST];
	int nlen, ndist;
	if (lengths(&b, len, &nlen, &ndist)) return 0;
	int l = len[256];
	if (consumed(&b) > n * 8) return 0;
	/* the canonical code of 256: the first code of its length plus the shorter-numbered symbols of it */
	unsigned count[MAXBITS + 1] = {0}, code = 0;
	for (int s = 0; s < nlen; s++) count[len[s]]++;
	count[0] = 0;
	for (int k = 1; k < l; k++) code = (code + count[k]) << 1;
	for (int s = 0; s < 256; s++) code += len[s] == l;
	if (!code) return 0;   /* no 1 bit to find */
	int top = 7, zeros = 0;
	while (!(z[n - 1] >> top & 1)) top--;
	while (!(code >> zeros & 1)) zeros++;   /* the code's last bits that are 0 */
	size_t end = (n - 1) * 8 + (size_t)top + 1 + (size_t)zeros;
	if (end < 3 + (size_t)l || end > n * 8) return 0;
	for (int k = 0; k < l; k++) {   /* the code's bits, first bit first, just before the end */
		size_t at = end - (size_t)l + (size_t)k;
		if ((unsigned)(z[at / 8] >> (at % 8) & 1) != (code >> (l - 1 - k) & 1)) return 0;
	}
	return finish(z, 0, end);
}

size_t zseg_end(unsigned char *z, size_t n, size_t len) {
	if (!n) return 0;
	size_t fast = one_block(z, n);
	if (fast) return fast;
	struct bitin b = {z, z, z + n, 0, 0};
	struct huff lit, dist;
	size_t out = 0, hdr;
	int last;
	do {
		hdr = consumed(&b);
		last = (int)bits(&b, 1);
		int type = (int)bits(&b, 2);
		if (type == 0) {   /* stored: to the byte boundary, LEN, NLEN, the bytes */
			bits(&b, b.cnt & 7);
			size_t at = consumed(&b) / 8;
			if (at + 4 > n) return 0;
			size_t k = (size_t)z[at] | (size_t)z[at + 1] << 8;
			if ((k ^ ((size_t)z[at + 2] | (size_t)z[at + 3] << 8)) != 0xffff || at + 4 + k > n) return 0;
			b.p = z + at + 4 + k;
			b.buf = 0;
			b.cnt = 0;
			out += k;
		} else if (type == 1) {
			unsigned char l[NLIT + NDIST];
			memset(l, 8, 144);
			memset(l + 144, 9, 112);
			memset(l + 256, 7, 24);
			memset(l + 280, 8, 8);
			memset(l + NLIT, 5, 30);
			if (build(&lit, l, NLIT) || build(&dist, l + NLIT, 30) || codes(&b, &lit, &dist, &out)) return 0;
		} else if (type == 2) {
			if (dynamic(&b, &lit, &dist) || codes(&b, &lit, &dist, &out)) return 0;
		} else {
			return 0;
		}
		if (consumed(&b) > n * 8) return 0;
	} while (!last);
	size_t end = consumed(&b);
	if (out != len || end > n * 8) return 0;
	return finish(z, hdr, end);
}
