/*
** qr: a QR code as SVG (libqrencode), for 分享 (WeChat scans the thread's
** URL). One <path> of unit squares on a white square with the 4-module quiet
** zone; no style attribute (the CSP forbids inline styles).
*/
#ifndef LOULAN_QR_H
#define LOULAN_QR_H
#include "util/buf.h"

#define QR_TEXT_MAX 1024   /* bytes of the encoded text (a URL) */
int qr_svg(buf *out, const char *text);   /* 0 ok, -1 too long or not encodable */
#endif
