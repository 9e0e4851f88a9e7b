/* qr: QR codes as SVG with libqrencode; see qr.h. */
#include "render/qr.h"
#include <qrencode.h>
#include <string.h>

#define QR_QUIET 4   /* modules of white border the standard asks for */

int qr_svg(buf *out, const char *text) {
	if (!*text || strlen(text) > QR_TEXT_MAX) return -1;
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q) return -1;
	int w = q->width, size = w + 2 * QR_QUIET;
	buf_appendf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	                 "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	            size, size, size * 4, size * 4, size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w; x++) {
			if (!(q->data[y * w + x] & 1)) continue;
			int run = 1;   /* a row's dark run as one rectangle */
			while (x + run < w && (q->data[y * w + x + run] & 1)) run++;
			buf_appendf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
			x += run - 1;
		}
	}
	buf_puts(out, "\"/></svg>\n");
	QRcode_free(q);
	return out->err ? -1 : 0;
}
