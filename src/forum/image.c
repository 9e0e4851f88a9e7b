/*
** image: every uploaded image goes through libvips, before any write
** transaction (it may take a while). The kind comes from the content (magic
** bytes, attach.c) and the matching loader must decode it; the header's pixel
** count (all frames) is checked against attach.max_pixels before any pixel is
** decoded. What is served is re-encoded with all metadata stripped (EXIF GPS,
** maker notes, serial numbers, XMP) and the EXIF orientation applied; GIFs,
** which carry no EXIF, are kept byte for byte (animation and all); animated
** WebP keeps its frames. Derivatives (display <= 1600 px, thumbnail <= 300 px,
** each in JPEG and WebP) are made here once.
**
** libvips is not linked: it is loaded with dlopen the first time an image is
** handled (docs/DESIGN-NOTES.md, "libvips loaded on first use"). It and what it
** links (glib, librsvg, cairo, pango, OpenEXR, hdf5...: 65 of 115 libraries, ~12 MiB of
** a server's RSS) stay out of a node that only serves reads. The headers give the
** types and prototypes; every call goes through vl, a table filled by dlsym,
** under the library's own names (the macros below). A library that does not
** load answers as an image that does not decode (IMAGE_BAD, -1), never at start.
*/
#include "forum/attach.h"
#include "util/die.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#ifndef LOULAN_VIPS_SONAME
#error "LOULAN_VIPS_SONAME (the Makefile reads it from libvips.so) is not defined"
#endif

/* every libvips/glib function this file calls; a call missing here does not link (no -lvips) */
#define VIPS_FNS(X) \
	X(vips_version) X(vips_init) X(vips_concurrency_set) X(vips_cache_set_max) X(vips_leak_set) \
	X(vips_block_untrusted_set) X(vips_error_buffer) X(vips_error_clear) \
	X(vips_jpegload) X(vips_pngload) X(vips_gifload) X(vips_webpload) X(vips_image_new_from_file) \
	X(vips_image_new) X(vips_object_local_array) X(vips_image_copy_memory) \
	X(vips_image_get_typeof) X(vips_image_get_int) X(vips_image_hasalpha) X(vips_image_get_width) \
	X(vips_image_get_height) X(vips_image_get_page_height) \
	X(vips_array_double_newv) X(vips_area_unref) X(vips_flatten) X(vips_thumbnail) X(vips_autorot) X(vips_avg) \
	X(vips_jpegsave_buffer) X(vips_webpsave_buffer) X(vips_pngsave_buffer) \
	X(vips_xyz) X(vips_extract_band) X(vips_add) X(vips_linear) X(vips_cast_uchar) X(vips_text) X(vips_embed) \
	X(vips_black) X(vips_ifthenelse) \
	X(g_object_unref) X(g_free)

#define VL_MEMBER(f) __typeof__(f) *f;
static struct { VIPS_FNS(VL_MEMBER) } vl;
#undef VL_MEMBER

#if defined(__SANITIZE_ADDRESS__)
/* The test build's LeakSanitizer: fontconfig (through vips_text, the demo's pictures) keeps its
   caches for the life of the process on purpose; they are not loulan's leaks. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\nleak:libpango\n"; }
/* The libraries dlopen'd below keep their thread-locals in dynamic TLS blocks; LeakSanitizer's
   tracking of them (__tls_get_addr) crashes its exit-time scan on glibc 2.36 ("Tracer caught
   signal 11", google/sanitizers#1322). loulan's own thread-locals are static TLS, still scanned. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "intercept_tls_get_addr=0"; }
#endif

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ok;

/* dlopen + dlsym of every function: 0, or -1 with the reason on stderr (once) */
static int vips_load(void) {
	void *h = dlopen(LOULAN_VIPS_SONAME, RTLD_NOW | RTLD_LOCAL);   /* never closed */
	if (!h) {
		fprintf(stderr, "loulan: images unavailable: %s\n", dlerror());
		return -1;
	}
	/* dlsym searches the library and what it links (g_object_unref, g_free: gobject, glib) */
#define VL_SYM(f) \
	if (!(vl.f = (__typeof__(vl.f))dlsym(h, #f))) { \
		fprintf(stderr, "loulan: images unavailable: %s has no %s\n", LOULAN_VIPS_SONAME, #f); \
		return -1; \
	}
	VIPS_FNS(VL_SYM)
#undef VL_SYM
	/* VIPS_INIT's ABI check (the headers built against vs the library loaded) */
	if (vl.vips_version(3) - vl.vips_version(5) != VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE) {
		fprintf(stderr, "loulan: images unavailable: %s has ABI %d, built for %d\n", LOULAN_VIPS_SONAME,
		        vl.vips_version(3) - vl.vips_version(5), VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE);
		return -1;
	}
	return 0;
}

/* From here on the library's names call through the table. */
#define vips_init (*vl.vips_init)
#define vips_concurrency_set (*vl.vips_concurrency_set)
#define vips_cache_set_max (*vl.vips_cache_set_max)
#define vips_leak_set (*vl.vips_leak_set)
#define vips_block_untrusted_set (*vl.vips_block_untrusted_set)
#define vips_error_buffer (*vl.vips_error_buffer)
#define vips_error_clear (*vl.vips_error_clear)
#define vips_jpegload (*vl.vips_jpegload)
#define vips_pngload (*vl.vips_pngload)
#define vips_gifload (*vl.vips_gifload)
#define vips_webpload (*vl.vips_webpload)
#define vips_image_new_from_file (*vl.vips_image_new_from_file)
#define vips_image_new (*vl.vips_image_new)
#define vips_object_local_array (*vl.vips_object_local_array)
#define vips_image_copy_memory (*vl.vips_image_copy_memory)
#define vips_image_get_typeof (*vl.vips_image_get_typeof)
#define vips_image_get_int (*vl.vips_image_get_int)
#define vips_image_hasalpha (*vl.vips_image_hasalpha)
#define vips_image_get_width (*vl.vips_image_get_width)
#define vips_image_get_height (*vl.vips_image_get_height)
#define vips_image_get_page_height (*vl.vips_image_get_page_height)
#define vips_array_double_newv (*vl.vips_array_double_newv)
#define vips_area_unref (*vl.vips_area_unref)
#define vips_flatten (*vl.vips_flatten)
#define vips_thumbnail (*vl.vips_thumbnail)
#define vips_autorot (*vl.vips_autorot)
#define vips_avg (*vl.vips_avg)
#define vips_jpegsave_buffer (*vl.vips_jpegsave_buffer)
#define vips_webpsave_buffer (*vl.vips_webpsave_buffer)
#define vips_pngsave_buffer (*vl.vips_pngsave_buffer)
#define vips_xyz (*vl.vips_xyz)
#define vips_extract_band (*vl.vips_extract_band)
#define vips_add (*vl.vips_add)
#define vips_linear (*vl.vips_linear)
#define vips_cast_uchar (*vl.vips_cast_uchar)
#define vips_text (*vl.vips_text)
#define vips_embed (*vl.vips_embed)
#define vips_black (*vl.vips_black)
#define vips_ifthenelse (*vl.vips_ifthenelse)
#define g_object_unref (*vl.g_object_unref)
#define g_free (*vl.g_free)

#define JPEG_Q 85
#define WEBP_Q 80
#define ORIG_JPEG_Q 92

static void vips_once(void) {
	if (vips_load() || vips_init("loulan")) return;
	vips_concurrency_set(1);   /* uploads are rare; keep the workers' cores */
	vips_cache_set_max(0);     /* nothing kept: temp files are removed after the request */
	vips_leak_set(FALSE);
	vips_block_untrusted_set(TRUE);   /* no ImageMagick, PDF, SVG... loaders for what members send */
	g_ok = 1;
}
static int vips_ready(void) {
	pthread_once(&g_once, vips_once);
	return g_ok;
}

static VipsImage *load(const char *path, enum attach_kind k, int all_frames) {
	VipsImage *im = NULL;
	int n = all_frames ? -1 : 1;
	switch (k) {
	case AK_JPG: vips_jpegload(path, &im, "access", VIPS_ACCESS_RANDOM, "fail_on", VIPS_FAIL_ON_ERROR, NULL); break;
	case AK_PNG: vips_pngload(path, &im, "fail_on", VIPS_FAIL_ON_ERROR, NULL); break;
	case AK_GIF: vips_gifload(path, &im, "n", n, "fail_on", VIPS_FAIL_ON_ERROR, NULL); break;
	case AK_WEBP: vips_webpload(path, &im, "n", n, "fail_on", VIPS_FAIL_ON_ERROR, NULL); break;
	default: break;
	}
	return im;
}

static int frames_of(VipsImage *im) {
	int n = 1;
	if (vips_image_get_typeof(im, "n-pages")) vips_image_get_int(im, "n-pages", &n);
	return n < 1 ? 1 : n;
}

/* JPEG (alpha flattened on white) and WebP of im */
static int save_pair(VipsImage *im, void **jpg, size_t *jn, void **webp, size_t *wn) {
	VipsImage *flat = NULL;
	int rc;
	if (vips_image_hasalpha(im)) {
		VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
		rc = vips_flatten(im, &flat, "background", white, NULL);
		vips_area_unref(VIPS_AREA(white));
		if (rc) return -1;
	} else
		flat = im;
	rc = vips_jpegsave_buffer(flat, jpg, jn, "Q", JPEG_Q, "strip", TRUE, "optimize_coding", TRUE, NULL);
	if (flat != im) g_object_unref(flat);
	if (rc) return -1;
	return vips_webpsave_buffer(im, webp, wn, "Q", WEBP_Q, "strip", TRUE, NULL) ? -1 : 0;
}

static int derivative(const char *path, enum attach_kind k, int px, int *w, int *h, void **jpg, size_t *jn,
                      void **webp, size_t *wn) {
	VipsImage *t = NULL;
	(void)k;
	if (vips_thumbnail(path, &t, px, "height", px, "size", VIPS_SIZE_DOWN, NULL)) return -1;
	/* decoded once into memory (at most px x px): two encoders read it */
	VipsImage *mem = vips_image_copy_memory(t);
	g_object_unref(t);
	if (!mem) return -1;
	t = mem;
	if (w) *w = vips_image_get_width(t);
	if (h) *h = vips_image_get_height(t);
	int rc = save_pair(t, jpg, jn, webp, wn);
	g_object_unref(t);
	return rc;
}

int image_process(const char *path, enum attach_kind kind, int64_t max_pixels, struct image_out *o) {
	memset(o, 0, sizeof *o);
	o->kind = kind;
	if (!vips_ready()) return IMAGE_BAD;
	int animated_kind = kind == AK_GIF || kind == AK_WEBP;
	VipsImage *im = load(path, kind, animated_kind);   /* reads the header only */
	if (!im) { vips_error_clear(); return IMAGE_BAD; }
	o->frames = frames_of(im);
	int64_t w = vips_image_get_width(im), h = vips_image_get_height(im);
	if (w <= 0 || h <= 0 || w * h > max_pixels) {
		g_object_unref(im);
		return IMAGE_BOMB;
	}
	int rc = IMAGE_OK;
	VipsImage *rot = NULL;
	if (kind == AK_JPG) {
		if (vips_autorot(im, &rot, NULL)) rc = IMAGE_BAD;
	} else
		rot = im;
	if (!rc) {
		o->width = vips_image_get_width(rot);
		o->height = o->frames > 1 ? vips_image_get_page_height(rot) : vips_image_get_height(rot);
		int e = 0;
		if (kind == AK_JPG)
			e = vips_jpegsave_buffer(rot, &o->orig, &o->orig_n, "Q", ORIG_JPEG_Q, "strip", TRUE, "optimize_coding", TRUE, NULL);
		else if (kind == AK_PNG)
			e = vips_pngsave_buffer(rot, &o->orig, &o->orig_n, "strip", TRUE, "compression", 6, NULL);
		else if (kind == AK_WEBP)
			e = vips_webpsave_buffer(rot, &o->orig, &o->orig_n, "strip", TRUE, "Q", 90, NULL);
		else {   /* GIF: decode every frame to prove it is one, keep the file */
			double avg;
			e = vips_avg(rot, &avg, NULL);
		}
		if (e) rc = IMAGE_BAD;
	}
	if (rot && rot != im) g_object_unref(rot);
	g_object_unref(im);
	if (!rc && o->frames > 1) {
		/* animated: shown as the (cleaned) original, scaled by the page; the thumbnail is its first frame */
		o->disp_w = o->width;
		o->disp_h = o->height;
		if (o->disp_w > ATTACH_DISPLAY_PX || o->disp_h > ATTACH_DISPLAY_PX) {
			double f = (double)ATTACH_DISPLAY_PX / (o->disp_w > o->disp_h ? o->disp_w : o->disp_h);
			o->disp_w = (int)(o->disp_w * f + 0.5);
			o->disp_h = (int)(o->disp_h * f + 0.5);
		}
	} else if (!rc) {
		if (derivative(path, kind, ATTACH_DISPLAY_PX, &o->disp_w, &o->disp_h, &o->disp_jpeg, &o->disp_jpeg_n,
		               &o->disp_webp, &o->disp_webp_n)) rc = IMAGE_BAD;
	}
	if (!rc && derivative(path, kind, ATTACH_THUMB_PX, NULL, NULL, &o->thumb_jpeg, &o->thumb_jpeg_n, &o->thumb_webp,
	                      &o->thumb_webp_n)) rc = IMAGE_BAD;
	if (rc) {
		if (rc == IMAGE_BAD) fprintf(stderr, "loulan: image refused: %.300s\n", vips_error_buffer());
		vips_error_clear();
		image_out_free(o);
	}
	return rc;
}

/* vips's buffers (g_malloc); none when the library never loaded */
static void gfree(void *p) {
	if (p) g_free(p);
}

void image_out_free(struct image_out *o) {
	gfree(o->orig);
	gfree(o->disp_jpeg);
	gfree(o->disp_webp);
	gfree(o->thumb_jpeg);
	gfree(o->thumb_webp);
	o->orig = o->disp_jpeg = o->disp_webp = o->thumb_jpeg = o->thumb_webp = NULL;
}

/* PNG squares, one after another in *out: sizes[i] bytes lengths are in outn[i] */
int image_avatar(const char *path, int64_t max_pixels, const int *sizes, int nsizes, void **out, size_t *outn) {
	if (!vips_ready()) return -1;
	VipsImage *hdr = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (!hdr) { vips_error_clear(); return -1; }
	int64_t px = (int64_t)vips_image_get_width(hdr) * vips_image_get_height(hdr);
	g_object_unref(hdr);
	if (px > max_pixels) return -2;
	for (int i = 0; i < nsizes; i++) {
		VipsImage *t = NULL;
		if (vips_thumbnail(path, &t, sizes[i], "height", sizes[i], "crop", VIPS_INTERESTING_CENTRE, NULL) ||
		    vips_pngsave_buffer(t, &out[i], &outn[i], "strip", TRUE, NULL)) {
			if (t) g_object_unref(t);
			for (int j = 0; j < i; j++) g_free(out[j]);
			vips_error_clear();
			return -1;
		}
		g_object_unref(t);
	}
	return 0;
}

/* a diagonal gradient from sky blue to sand; the text in dark ink in the middle when a font renders */
int image_demo(int w, int h, const char *text, void **out, size_t *n) {
	if (!vips_ready()) return -1;
	/* owns every intermediate image; a plain cast: VIPS_OBJECT() calls gobject's type check */
	VipsObject *ctx = (VipsObject *)vips_image_new();
	VipsImage **t = (VipsImage **)vips_object_local_array(ctx, 12);
	double a[3] = {(230.0 - 90.0) / (w + h), (200.0 - 160.0) / (w + h), (140.0 - 220.0) / (w + h)};
	double b[3] = {90.0, 160.0, 220.0}, zero[3] = {0, 0, 0}, ink[3] = {30, 30, 60};
	int rc = -1;
	if (vips_xyz(&t[0], w, h, NULL) || vips_extract_band(t[0], &t[1], 0, NULL) || vips_extract_band(t[0], &t[2], 1, NULL) ||
	    vips_add(t[1], t[2], &t[3], NULL) || vips_linear(t[3], &t[4], a, b, 3, NULL) || vips_cast_uchar(t[4], &t[5], NULL))
		goto out;
	VipsImage *pic = t[5];
	char font[64];
	snprintf(font, sizeof font, "Noto Sans CJK SC Bold %d", w / 18);   /* points at 72 dpi: pixels */
	if (!vips_text(&t[6], text, "width", w * 3 / 4, "dpi", 72, "font", font, NULL) &&
	    !vips_embed(t[6], &t[7], (w - vips_image_get_width(t[6])) / 2, (h - vips_image_get_height(t[6])) / 2, w, h, NULL) &&
	    !vips_black(&t[8], w, h, "bands", 3, NULL) && !vips_linear(t[8], &t[9], zero, ink, 3, NULL) &&
	    !vips_ifthenelse(t[7], t[9], t[5], &t[10], "blend", TRUE, NULL) && !vips_cast_uchar(t[10], &t[11], NULL))
		pic = t[11];
	rc = vips_jpegsave_buffer(pic, out, n, "Q", 85, NULL) ? -1 : 0;
out:
	g_object_unref(ctx);
	vips_error_clear();
	return rc;
}
