/*
** bbcode: Discuz! X3.5 BBCode -> sanitized HTML (see bbcode.h).
**
** Three linear passes over the post:
**   1. tokenize: text runs and recognized tags; a tag whose name is unknown or
**      whose attribute fails validation is not a token, it stays in the text.
**      [code], [url]X[/url], [img]X[/img] and [email]X[/email] are read whole
**      (their content is not BBCode).
**   2. pair: a stack matches each [/x] with the nearest open [x]; opens popped
**      on the way stay unpaired. Per-tag counts make a close with no open a
**      constant-time miss, so the pass is linear.
**   3. render: paired tags become HTML unless their context forbids it (depth
**      cap, link inside link, [tr] outside [table]...), in which case both the
**      open and its close are emitted as literal text. Everything else is text,
**      escaped with buf_html.
** Knows nothing about the database, HTTP or templates.
*/
#include <stddef.h>
#include "markup/bbcode.h"
#include "markup/attach.h"
#include "markup/sanitize.h"
#include "markup/smiley.h"
#include "markup/mention.h"
#include "util/die.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ARG_MAX 2048      /* longest [tag=...] attribute */
#define NAME_MAX_LEN 9    /* longest tag name ("backcolor") */
#define MEDIA_ARG_MAX 20  /* [media=x,500,375], [flash=550,400], [audio=1] */
#define HIDE_DAYS_MAX 99999   /* [hide=dDAYS]: 1..5 digits */
#define HIDE_CREDITS_MAX 999999999 /* [hide=N]: 1..9 digits */
#define TABLE_PCT_MAX 98  /* Discuz!'s parsetable(): a wider table is 98% */
#define TABLE_PX_MAX 560

enum tag {
	TG_NONE, TG_B, TG_I, TG_U, TG_S, TG_COLOR, TG_SIZE, TG_FONT, TG_ALIGN,
	TG_URL, TG_EMAIL, TG_IMG, TG_QUOTE, TG_CODE, TG_LIST, TG_ITEM, TG_HR,
	TG_TABLE, TG_TR, TG_TD, TG_INDENT, TG_BACKCOLOR, TG_FLOAT, TG_ATTACH, TG_ATTACHIMG,
	/* the Discuz! dialect (issue 18): one allow bit each, media/audio/flash/swf share one */
	TG_P, TG_MEDIA, TG_AUDIO, TG_FLASH, TG_SWF, TG_FREE, TG_HIDE, TG_PASSWORD, TG_GROUPID, TG_POSTBG, TG_QQ, TG_COUNT
};

static const char *const tag_names[TG_COUNT] = {
	"", "b", "i", "u", "s", "color", "size", "font", "align",
	"url", "email", "img", "quote", "code", "list", "*", "hr",
	"table", "tr", "td", "indent", "backcolor", "float", "attach", "attachimg",
	"p", "media", "audio", "flash", "swf", "free", "hide", "password", "groupid", "postbg", "qq",
};

/* the BBCODE_* bit that allows a tag */
static uint32_t tag_bit(int tg) {
	switch (tg) {
	case TG_P: return BBCODE_P;
	case TG_MEDIA: case TG_AUDIO: case TG_FLASH: case TG_SWF: case TG_QQ: return BBCODE_MEDIA;
	case TG_FREE: return BBCODE_FREE;
	case TG_HIDE: return BBCODE_HIDE;
	case TG_PASSWORD: case TG_POSTBG: return BBCODE_PASSWORD;
	case TG_GROUPID: return BBCODE_GROUPID;
	default: return 1u << tg;
	}
}

enum kind {
	K_TEXT,  /* src[off, off+len) is text */
	K_OPEN,  /* [x] or [x=arg] */
	K_CLOSE, /* [/x] */
	K_ITEM,  /* [*] */
	K_HR,    /* [hr] */
	K_CODE,  /* [code]...[/code]; arg = content */
	K_LINK,  /* [url]X[/url] or [email]X[/email]; arg = X */
	K_IMG,   /* [img]X[/img] or [img=WxH]X[/img]; arg = X, w/h parsed */
	K_ATTACH, /* [attach]N[/attach], [attachimg]N[/attachimg]: markup/attach.h resolved it */
	K_STRIP,  /* [password]X[/password]: dropped, a note said instead */
};

typedef struct tok {
	uint8_t kind, tag, lit;
	size_t off, len;   /* whole token in the source */
	size_t aoff, alen; /* attribute or content */
	int w, h;          /* [img=WxH]; [i=s]: w = 1; [hide=dDAYS,N]: w = DAYS, h = N */
	long mate;         /* index of the paired open/close, -1 if none */
} tok;

typedef struct frame {
	uint8_t tag, li_open, ordered, pipe;   /* pipe: a [table] without [tr] (rows by line, cells by '|') */
	uint8_t mark;                          /* a view's top-level [hide]: its close writes BBCODE_HIDE_END */
	uint8_t nolink;                        /* [url=X] with a refused X: its text, no link */
} frame;

typedef struct rstate {
	buf *out;
	const char *src;
	tok *t;
	size_t nt;
	frame f[BBCODE_MAX_DEPTH];
	int depth;
	int in_a;    /* open <a> frames */
	int eat_nl;  /* drop one newline at the start of the next text */
	int smilies; /* smiley codes still to replace (SMILEY_MAX_PER_POST) */
	const struct bbcode_view *view;   /* NULL: [hide] content is left out (write time) */
	int in_hide;                      /* open [hide] frames (a view marks only the top-level ones) */
} rstate;

static int lc(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }

/* c is a (non-NUL) member of set */
static int in_set(int c, const char *set) { return c && strchr(set, c); }

static int ieq(const char *a, size_t n, const char *lit) {
	return strlen(lit) == n && strncasecmp(a, lit, n) == 0;
}

/* Parses 1..maxdigits decimal digits at s[*i]; returns -1 if none. */
static long parse_num(const char *s, size_t n, size_t *i, int maxdigits) {
	long v = 0;
	int d = 0;
	while (*i < n && is_digit((unsigned char)s[*i]) && d < maxdigits) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		d++;
	}
	if (d == 0 || (*i < n && is_digit((unsigned char)s[*i]))) return -1;
	return v;
}

/* ---- attribute validators: o == NULL only checks; else appends the class name
   (or, for [td] and [list], the attributes) the tag renders with.

   Post HTML carries no style attributes: the Content-Security-Policy says
   style-src 'self', so every piece of formatting is a class from
   static/loulan.css (see docs/DESIGN-NOTES.md, "Post formatting"). */

/* The CSS named colours, with their sRGB value. */
static const struct { const char *name; uint32_t rgb; } css_colors[] = {
	{"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7}, {"aqua", 0x00ffff}, {"aquamarine", 0x7fffd4},
	{"azure", 0xf0ffff}, {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4}, {"black", 0x000000},
	{"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff}, {"blueviolet", 0x8a2be2}, {"brown", 0xa52a2a},
	{"burlywood", 0xdeb887}, {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00},
	{"chocolate", 0xd2691e}, {"coral", 0xff7f50}, {"cornflowerblue", 0x6495ed},
	{"cornsilk", 0xfff8dc}, {"crimson", 0xdc143c}, {"cyan", 0x00ffff}, {"darkblue", 0x00008b},
	{"darkcyan", 0x008b8b}, {"darkgoldenrod", 0xb8860b}, {"darkgray", 0xa9a9a9},
	{"darkgreen", 0x006400}, {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b},
	{"darkmagenta", 0x8b008b}, {"darkolivegreen", 0x556b2f}, {"darkorange", 0xff8c00},
	{"darkorchid", 0x9932cc}, {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a},
	{"darkseagreen", 0x8fbc8f}, {"darkslateblue", 0x483d8b}, {"darkslategray", 0x2f4f4f},
	{"darkslategrey", 0x2f4f4f}, {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3},
	{"deeppink", 0xff1493}, {"deepskyblue", 0x00bfff}, {"dimgray", 0x696969}, {"dimgrey", 0x696969},
	{"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222}, {"floralwhite", 0xfffaf0},
	{"forestgreen", 0x228b22}, {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc},
	{"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700}, {"goldenrod", 0xdaa520}, {"gray", 0x808080},
	{"green", 0x008000}, {"greenyellow", 0xadff2f}, {"grey", 0x808080}, {"honeydew", 0xf0fff0},
	{"hotpink", 0xff69b4}, {"indianred", 0xcd5c5c}, {"indigo", 0x4b0082}, {"ivory", 0xfffff0},
	{"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa}, {"lavenderblush", 0xfff0f5}, {"lawngreen", 0x7cfc00},
	{"lemonchiffon", 0xfffacd}, {"lightblue", 0xadd8e6}, {"lightcoral", 0xf08080},
	{"lightcyan", 0xe0ffff}, {"lightgoldenrodyellow", 0xfafad2}, {"lightgray", 0xd3d3d3},
	{"lightgreen", 0x90ee90}, {"lightgrey", 0xd3d3d3}, {"lightpink", 0xffb6c1},
	{"lightsalmon", 0xffa07a}, {"lightseagreen", 0x20b2aa}, {"lightskyblue", 0x87cefa},
	{"lightslategray", 0x778899}, {"lightslategrey", 0x778899}, {"lightsteelblue", 0xb0c4de},
	{"lightyellow", 0xffffe0}, {"lime", 0x00ff00}, {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6},
	{"magenta", 0xff00ff}, {"maroon", 0x800000}, {"mediumaquamarine", 0x66cdaa},
	{"mediumblue", 0x0000cd}, {"mediumorchid", 0xba55d3}, {"mediumpurple", 0x9370db},
	{"mediumseagreen", 0x3cb371}, {"mediumslateblue", 0x7b68ee}, {"mediumspringgreen", 0x00fa9a},
	{"mediumturquoise", 0x48d1cc}, {"mediumvioletred", 0xc71585}, {"midnightblue", 0x191970},
	{"mintcream", 0xf5fffa}, {"mistyrose", 0xffe4e1}, {"moccasin", 0xffe4b5},
	{"navajowhite", 0xffdead}, {"navy", 0x000080}, {"oldlace", 0xfdf5e6}, {"olive", 0x808000},
	{"olivedrab", 0x6b8e23}, {"orange", 0xffa500}, {"orangered", 0xff4500}, {"orchid", 0xda70d6},
	{"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98}, {"paleturquoise", 0xafeeee},
	{"palevioletred", 0xdb7093}, {"papayawhip", 0xffefd5}, {"peachpuff", 0xffdab9},
	{"peru", 0xcd853f}, {"pink", 0xffc0cb}, {"plum", 0xdda0dd}, {"powderblue", 0xb0e0e6},
	{"purple", 0x800080}, {"rebeccapurple", 0x663399}, {"red", 0xff0000}, {"rosybrown", 0xbc8f8f},
	{"royalblue", 0x4169e1}, {"saddlebrown", 0x8b4513}, {"salmon", 0xfa8072},
	{"sandybrown", 0xf4a460}, {"seagreen", 0x2e8b57}, {"seashell", 0xfff5ee}, {"sienna", 0xa0522d},
	{"silver", 0xc0c0c0}, {"skyblue", 0x87ceeb}, {"slateblue", 0x6a5acd}, {"slategray", 0x708090},
	{"slategrey", 0x708090}, {"snow", 0xfffafa}, {"springgreen", 0x00ff7f}, {"steelblue", 0x4682b4},
	{"tan", 0xd2b48c}, {"teal", 0x008080}, {"thistle", 0xd8bfd8}, {"tomato", 0xff6347},
	{"turquoise", 0x40e0d0}, {"violet", 0xee82ee}, {"wheat", 0xf5deb3}, {"white", 0xffffff},
	{"whitesmoke", 0xf5f5f5}, {"yellow", 0xffff00}, {"yellowgreen", 0x9acd32},
};

/* The 40 colours of the Discuz! editor's colour box (coloroptions), in its
   order: each has the classes c-NAME (text) and bg-NAME (background). */
static const char *const palette[] = {
	"black", "sienna", "darkolivegreen", "darkgreen", "darkslateblue", "navy", "indigo",
	"darkslategray", "darkred", "darkorange", "olive", "green", "teal", "blue", "slategray",
	"dimgray", "red", "sandybrown", "yellowgreen", "seagreen", "mediumturquoise", "royalblue",
	"purple", "gray", "magenta", "orange", "yellow", "lime", "cyan", "deepskyblue", "darkorchid",
	"silver", "pink", "wheat", "lemonchiffon", "palegreen", "paleturquoise", "lightblue", "plum",
	"white",
};
#define PALETTE_N (sizeof palette / sizeof palette[0])

const char *const *bbcode_palette(size_t *n) {
	*n = PALETTE_N;
	return palette;
}

static uint32_t named_rgb(const char *name) {
	for (size_t i = 0; i < sizeof css_colors / sizeof css_colors[0]; i++)
		if (!strcmp(css_colors[i].name, name)) return css_colors[i].rgb;
	return 0;
}

/* The palette colour nearest to rgb ("redmean" weighted distance, a cheap
   approximation of perceived difference); ties go to the earlier entry. */
static const char *palette_nearest(uint32_t rgb) {
	long r1 = (long)(rgb >> 16), g1 = (long)(rgb >> 8 & 0xff), b1 = (long)(rgb & 0xff);
	long best = -1;
	const char *name = palette[0];
	for (size_t i = 0; i < PALETTE_N; i++) {
		uint32_t c = named_rgb(palette[i]);
		long r2 = (long)(c >> 16), g2 = (long)(c >> 8 & 0xff), b2 = (long)(c & 0xff);
		long rm = (r1 + r2) / 2, dr = r1 - r2, dg = g1 - g2, db = b1 - b2;
		long d = (512 + rm) * dr * dr + 1024 * dg * dg + (767 - rm) * db * db;
		if (best < 0 || d < best) { best = d; name = palette[i]; }
	}
	return name;
}

static int hexval(int c) {
	c = lc(c);
	if (is_digit(c)) return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

/* color and backcolor: #rgb, #rrggbb, rgb(r,g,b) or a CSS colour name; *rgb
   gets the value. */
static int parse_color(const char *a, size_t n, uint32_t *rgb) {
	if (n >= 2 && a[0] == '#' && (n == 4 || n == 7)) {
		uint32_t v = 0;
		for (size_t i = 1; i < n; i++) {
			int h = hexval((unsigned char)a[i]);
			if (h < 0) return -1;
			v = v << (n == 4 ? 8 : 4) | (uint32_t)(n == 4 ? h * 17 : h);
		}
		*rgb = v;
		return 0;
	}
	if (n > 4 && strncasecmp(a, "rgb(", 4) == 0) {
		size_t i = 4;
		long v[3];
		for (int k = 0; k < 3; k++) {
			while (i < n && a[i] == ' ') i++;
			v[k] = parse_num(a, n, &i, 3);
			if (v[k] < 0 || v[k] > 255) return -1;
			while (i < n && a[i] == ' ') i++;
			if (i >= n || a[i] != (k < 2 ? ',' : ')')) return -1;
			i++;
		}
		if (i != n) return -1;
		*rgb = (uint32_t)(v[0] << 16 | v[1] << 8 | v[2]);
		return 0;
	}
	for (size_t i = 0; i < sizeof css_colors / sizeof css_colors[0]; i++) {
		if (ieq(a, n, css_colors[i].name)) {
			*rgb = css_colors[i].rgb;
			return 0;
		}
	}
	return -1;
}

/* prefix is "c-" (text) or "bg-" (background); o gets e.g. "c-red". */
static int v_color_class(const char *a, size_t n, buf *o, const char *prefix) {
	uint32_t rgb;
	if (parse_color(a, n, &rgb)) return -1;
	if (o) {
		buf_puts(o, prefix);
		buf_puts(o, palette_nearest(rgb));
	}
	return 0;
}

static int v_color(const char *a, size_t n, buf *o) { return v_color_class(a, n, o, "c-"); }
static int v_backcolor(const char *a, size_t n, buf *o) { return v_color_class(a, n, o, "bg-"); }

/* size=1..7 maps to the pixel sizes browsers give <font size>; Npx (8..72)
   and Npt (6..54) to whole pixels (1pt = 4/3 px), rounded. o gets "fs-N",
   one class per pixel size 8..72 (BBCODE_SIZE_MIN..BBCODE_SIZE_MAX). */
static int v_size(const char *a, size_t n, buf *o) {
	static const int px[8] = {0, 10, 13, 16, 18, 24, 32, 48};
	size_t i = 0;
	long v = parse_num(a, n, &i, 2);
	if (v < 0) return -1;
	if (i == n) {
		if (v < 1 || v > 7) return -1;
		if (o) buf_appendf(o, "fs-%d", px[v]);
		return 0;
	}
	long frac = -1, scale = 1;
	if (a[i] == '.') {
		i++;
		size_t fs = i;
		frac = parse_num(a, n, &i, 2);
		if (frac < 0) return -1;
		scale = i - fs == 1 ? 10 : 100;
	}
	if (n - i != 2) return -1;
	int pt;
	if (ieq(a + i, 2, "px")) pt = 0;
	else if (ieq(a + i, 2, "pt")) pt = 1;
	else return -1;
	long lo = pt ? 6 : BBCODE_SIZE_MIN, hi = pt ? 54 : BBCODE_SIZE_MAX;
	if (v < lo || v > hi || (v == hi && frac > 0)) return -1;
	if (o) {
		long hundredths = v * 100 + (frac > 0 ? frac * (100 / scale) : 0);
		if (pt) hundredths = hundredths * 4 / 3;
		buf_appendf(o, "fs-%ld", (hundredths + 50) / 100);
	}
	return 0;
}

/* Decodes one UTF-8 sequence; returns its length or 0 if invalid. */
static size_t utf8_dec(const unsigned char *s, size_t n, uint32_t *cp) {
	if (s[0] < 0x80) { *cp = s[0]; return 1; }
	size_t len;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0) { len = 2; c = s[0] & 0x1f; min = 0x80; }
	else if ((s[0] & 0xf0) == 0xe0) { len = 3; c = s[0] & 0x0f; min = 0x800; }
	else if ((s[0] & 0xf8) == 0xf0) { len = 4; c = s[0] & 0x07; min = 0x10000; }
	else return 0;
	if (len > n) return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
	*cp = c;
	return len;
}

static int is_cjk(uint32_t c) {
	return (c >= 0x3000 && c <= 0x303f) || (c >= 0x3400 && c <= 0x4dbf) ||
	       (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0xff00 && c <= 0xffef) || (c >= 0x3040 && c <= 0x30ff) ||
	       (c >= 0xac00 && c <= 0xd7af);
}

/* Font families: the Discuz! editor's font box names (and common aliases)
   map by a keyword to a class whose font stack lives in loulan.css. Checked
   in order: 仿宋 before 宋, "Comic Sans" before "sans". */
static const struct { const char *key, *cls; } font_keys[] = {
	{"\xe4\xbb\xbf\xe5\xae\x8b", "f-fang"},  /* 仿宋 */
	{"fangsong", "f-fang"},
	{"\xe6\xa5\xb7", "f-kai"},                  /* 楷 */
	{"kai", "f-kai"},
	{"\xe9\x9a\xb6", "f-li"},                   /* 隶 */
	{"lisu", "f-li"},
	{"courier", "f-mono"}, {"mono", "f-mono"}, {"consol", "f-mono"},
	{"comic", "f-cursive"}, {"script", "f-cursive"},  /* before "sans" ("Comic Sans MS") */
	{"sans", "f-sans"},
	{"\xe9\xbb\x91", "f-sans"},                 /* 黑 (黑体, 微软雅黑) */
	{"hei", "f-sans"}, {"arial", "f-sans"}, {"tahoma", "f-sans"}, {"verdana", "f-sans"},
	{"helvetica", "f-sans"}, {"trebuchet", "f-sans"}, {"segoe", "f-sans"}, {"impact", "f-sans"},
	{"\xe5\xae\x8b", "f-serif"},                /* 宋 */
	{"song", "f-serif"}, {"serif", "f-serif"}, {"times", "f-serif"}, {"georgia", "f-serif"},
	{"ming", "f-serif"}, {"\xe6\x98\x8e", "f-serif"},  /* 明 */
};

/* The class for a font name, or NULL for a name we have no stack for. */
static const char *font_class(const char *a, size_t n) {
	for (size_t k = 0; k < sizeof font_keys / sizeof font_keys[0]; k++) {
		size_t l = strlen(font_keys[k].key);
		for (size_t i = 0; i + l <= n; i++)
			if (strncasecmp(a + i, font_keys[k].key, l) == 0) return font_keys[k].cls;
	}
	return NULL;
}

/* font: letters, digits, spaces, CJK, '-' and '_' ("楷体_GB2312"); 1..40
   characters. o gets the class, or nothing for an unknown family. */
static int v_font(const char *a, size_t n, buf *o) {
	const unsigned char *s = (const unsigned char *)a;
	size_t chars = 0;
	if (n == 0 || a[0] == ' ' || a[n - 1] == ' ') return -1;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = utf8_dec(s + i, n - i, &cp);
		if (!l) return -1;
		if (!(cp < 0x80 ? (is_alnum((int)cp) || cp == ' ' || cp == '-' || cp == '_') : is_cjk(cp))) return -1;
		i += l;
		if (++chars > 40) return -1;
	}
	const char *cls = font_class(a, n);
	if (o && cls) buf_puts(o, cls);
	return 0;
}

static int v_align(const char *a, size_t n, buf *o) {
	static const char *const al[] = {"left", "center", "right"};
	for (int i = 0; i < 3; i++) {
		if (ieq(a, n, al[i])) {
			if (o) buf_appendf(o, "al-%s", al[i]);
			return 0;
		}
	}
	return -1;
}

/* float=left|right (Discuz! floats a span with a 5px gap): fl-left, fl-right */
static int v_float(const char *a, size_t n, buf *o) {
	if (!ieq(a, n, "left") && !ieq(a, n, "right")) return -1;
	if (o) buf_puts(o, lc((unsigned char)a[0]) == 'l' ? "fl-left" : "fl-right");
	return 0;
}

/* A width: 1..4096 pixels (optional "px") or 1..100 percent. */
static int v_width(const char *a, size_t n, buf *o) {
	size_t i = 0;
	long v = parse_num(a, n, &i, 4);
	if (v < 1) return -1;
	if (i == n || (n - i == 2 && ieq(a + i, 2, "px"))) {
		if (v > 4096) return -1;
		if (o) buf_appendf(o, "%ld", v);
		return 0;
	}
	if (n - i == 1 && a[i] == '%' && v <= 100) {
		if (o) buf_appendf(o, "%ld%%", v);
		return 0;
	}
	return -1;
}

/* A table's width as Discuz!'s parsetable() limits it: at most 98% or 560px, wider is 98% */
static void table_width(const char *a, size_t n, buf *o) {
	size_t i = 0;
	long v = parse_num(a, n, &i, 4);
	int pct = i < n && a[i] == '%';
	if (v > (pct ? TABLE_PCT_MAX : TABLE_PX_MAX)) buf_appendf(o, "%d%%", TABLE_PCT_MAX);
	else buf_appendf(o, pct ? "%ld%%" : "%ld", v);
}

/* table=W, table=W,COLOUR (Discuz!'s bgcolor) or tr=COLOUR; o gets the
   attributes: width="W" and class="bg-NAME". */
static int v_table(const char *a, size_t n, buf *o) {
	const char *c = memchr(a, ',', n);
	size_t wn = c ? (size_t)(c - a) : n;
	size_t i = 0;
	long w = parse_num(a, wn, &i, 4);   /* 1-4 digits, px or %: wider than Discuz!'s limits is 98% */
	if (w < 1 || !(i == wn || (wn - i == 1 && a[i] == '%') || (wn - i == 2 && ieq(a + i, 2, "px")))) return -1;
	if (c && v_backcolor(c + 1, n - wn - 1, NULL)) return -1;
	if (o) {
		buf_puts(o, " width=\"");
		table_width(a, wn, o);
		buf_putc(o, '"');
		if (c) { buf_puts(o, " class=\""); v_backcolor(c + 1, n - wn - 1, o); buf_putc(o, '"'); }
	}
	return 0;
}

static int v_tr(const char *a, size_t n, buf *o) {
	if (v_backcolor(a, n, NULL)) return -1;
	if (o) { buf_puts(o, " class=\""); v_backcolor(a, n, o); buf_putc(o, '"'); }
	return 0;
}

/* td=W, or td=colspan,rowspan[,W] (Discuz!). o gets the attributes. */
static int v_td(const char *a, size_t n, buf *o) {
	const char *c1 = memchr(a, ',', n);
	if (!c1) {
		if (v_width(a, n, NULL)) return -1;
		if (o) { buf_puts(o, " width=\""); v_width(a, n, o); buf_putc(o, '"'); }
		return 0;
	}
	size_t i = 0;
	long cs = parse_num(a, n, &i, 3);
	if (cs < 1 || cs > 100 || i >= n || a[i] != ',') return -1;
	i++;
	long rs = parse_num(a, n, &i, 3);
	if (rs < 1 || rs > 100) return -1;
	const char *w = NULL;
	size_t wn = 0;
	if (i < n) {
		if (a[i] != ',') return -1;
		w = a + i + 1;
		wn = n - i - 1;
		if (v_width(w, wn, NULL)) return -1;
	}
	if (o) {
		if (cs > 1) buf_appendf(o, " colspan=\"%ld\"", cs);
		if (rs > 1) buf_appendf(o, " rowspan=\"%ld\"", rs);
		if (w) { buf_puts(o, " width=\""); v_width(w, wn, o); buf_putc(o, '"'); }
	}
	return 0;
}

/* list, list=1, list=a|A|i|I */
static int v_list(const char *a, size_t n, buf *o) {
	if (n != 1 || !in_set((unsigned char)a[0], "1aAiI")) return -1;
	if (o) {
		if (a[0] == '1') buf_puts(o, "<ol>");
		else buf_appendf(o, "<ol type=\"%c\">", a[0]);
	}
	return 0;
}

/* p=LH, IND, ALIGN (Discuz!'s paragraph: each number 1-2 digits or "null"): o gets the classes. The
   line height has no class (loulan's posts keep one line height); IND 1..4 em is ti-N. */
static int v_p(const char *a, size_t n, buf *o) {
	size_t i = 0;
	long v[2];
	for (int k = 0; k < 2; k++) {
		while (i < n && a[i] == ' ') i++;
		if (n - i >= 4 && !strncasecmp(a + i, "null", 4)) { v[k] = 0; i += 4; }
		else if ((v[k] = parse_num(a, n, &i, 2)) < 0) return -1;
		while (i < n && a[i] == ' ') i++;
		if (i >= n || a[i] != ',') return -1;
		i++;
	}
	while (i < n && a[i] == ' ') i++;
	if (v_align(a + i, n - i, NULL)) return -1;
	if (o) {
		buf_puts(o, "para ");
		if (v[1] > 0) buf_appendf(o, "ti-%ld ", v[1] > 4 ? 4L : v[1]);
		v_align(a + i, n - i, o);
	}
	return 0;
}

/* media=TYPE,W,H, audio=1, flash=W,H: letters, digits and commas (only shown as a link) */
static int v_media(const char *a, size_t n) {
	if (!n || n > MEDIA_ARG_MAX) return -1;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)a[i]) && a[i] != ',') return -1;
	return 0;
}

/* hide=N (credits), hide=dDAYS, hide=dDAYS,N */
static int v_hide(const char *a, size_t n, int *days, int *credits) {
	size_t i = 0;
	long d = 0, c = 0;
	if (n && (a[0] == 'd' || a[0] == 'D')) {
		i = 1;
		if ((d = parse_num(a, n, &i, 5)) < 1) return -1;
		if (i < n) {
			if (a[i] != ',' || i + 1 == n) return -1;
			i++;
		}
	}
	if (i < n || !d) {
		if ((c = parse_num(a, n, &i, 9)) < 1 || i != n) return -1;
	}
	*days = (int)d;
	*credits = (int)c;
	return 0;
}

static int v_email(const char *a, size_t n) {
	size_t at = n;
	if (n < 3 || n > 254) return -1;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)a[i];
		if (c == '@') {
			if (at != n) return -1;
			at = i;
		} else if (!is_alnum(c) && !in_set(c, "._%+-")) {
			return -1;
		}
	}
	if (at == 0 || at == n || at + 1 == n) return -1;
	if (a[at + 1] == '.' || a[n - 1] == '.' || a[n - 1] == '-') return -1;
	for (size_t i = at + 1; i < n; i++)
		if (!is_alnum((unsigned char)a[i]) && a[i] != '.' && a[i] != '-') return -1;
	return 0;
}

/* img=WxH (also "W,H" as the Discuz! editor writes), each 1..4096 */
static int v_imgsize(const char *a, size_t n, int *w, int *h) {
	size_t i = 0;
	long x = parse_num(a, n, &i, 4);
	if (x < 1 || x > 4096 || i >= n || (a[i] != 'x' && a[i] != 'X' && a[i] != ',')) return -1;
	i++;
	long y = parse_num(a, n, &i, 4);
	if (y < 1 || y > 4096 || i != n) return -1;
	*w = (int)x;
	*h = (int)y;
	return 0;
}

/* prefix, then sanitize_url's verdict on the rest; on a refusal o is as it was */
static int url_put_after(buf *o, const char *prefix, const char *u, size_t n) {
	size_t mark = o->len;
	buf_puts(o, prefix);
	if (sanitize_url(o, u, n) == 0) return 0;
	if (!o->err) { o->len = mark; if (o->data) o->data[mark] = 0; }
	return -1;
}

/* Discuz!'s findpost link in a quote heading (forum.php?mod=redirect&goto=findpost&pid=N..., or
   6/7's redirect.php?goto=findpost&pid=N...): the pid, else 0 */
static long findpost_pid(const char *u, size_t n) {
	static const char *const forms[] = {"forum.php?mod=redirect&goto=findpost&pid=", "redirect.php?goto=findpost&pid="};
	if (n && u[0] == '/') { u++; n--; }
	for (size_t k = 0; k < 2; k++) {
		size_t l = strlen(forms[k]), i = l;
		if (n <= l || strncasecmp(u, forms[k], l)) continue;
		long v = 0;
		int d = 0;
		while (i < n && is_digit((unsigned char)u[i]) && d < 15) { v = v * 10 + (u[i++] - '0'); d++; }
		if (d && v > 0 && (i == n || u[i] == '&' || u[i] == '#')) return v;
	}
	return 0;
}

/* URL for [url]/[img] (Discuz!'s parseurl()): http, https and mailto through sanitize_url, plus the
   harmless ones of Discuz!'s list (ftp, tel, magnet); "www." gets http://; a URL with no scheme
   (forum.php?mod=...) is made relative to the site root, so that the old-URL redirector answers it,
   and a findpost link is /p/N as loulan's own quotes write it. Any other scheme is refused (text). */
static int url_put(buf *o, const char *u, size_t n) {
	while (n && (unsigned char)*u <= 0x20) { u++; n--; }
	while (n && (unsigned char)u[n - 1] <= 0x20) n--;
	if (n >= 4 && strncasecmp(u, "www.", 4) == 0) return url_put_after(o, "http://", u, n);
	size_t colon = n;
	for (size_t i = 0; i < n && colon == n; i++) {
		if (u[i] == '/' || u[i] == '?' || u[i] == '#') break;
		if (u[i] == ':') colon = i;
	}
	if (colon < n) {
		static const char *const extra[] = {"ftp:", "tel:", "magnet:"};
		for (size_t k = 0; k < 3; k++) {
			size_t l = strlen(extra[k]);
			if (colon + 1 == l && !strncasecmp(u, extra[k], l)) {
				/* the rest as a relative reference: its own scheme tricks fail there */
				if (n == l || (u[l] != '/' && u[l] != '?' && u[l] != '+' && !is_alnum((unsigned char)u[l]))) return -1;
				if (k == 0 && (n < l + 3 || u[l] != '/' || u[l + 1] != '/')) return -1;
				return url_put_after(o, extra[k], u + l, n - l);
			}
		}
		return sanitize_url(o, u, n);
	}
	long pid = findpost_pid(u, n);
	if (pid) {
		buf_appendf(o, "/p/%ld", pid);
		return 0;
	}
	if (n && u[0] != '/' && u[0] != '#') return url_put_after(o, "/", u, n);
	return sanitize_url(o, u, n);
}

/* ---- pass 1: tokenizer */

typedef struct lexer {
	const char *s;
	size_t n;
	size_t code_none_from; /* no "[/code]" at or after this offset */
	buf scratch;
	uint32_t allow;        /* BBCODE_* tags recognised; others stay text */
	int view;              /* a page-time render (bbcode_render_view): an [attach] with no lookup is a link */
} lexer;

static enum tag tag_lookup(const char *s, size_t n) {
	for (int t = 1; t < TG_COUNT; t++)
		if (ieq(s, n, tag_names[t])) return (enum tag)t;
	return TG_NONE;
}

/* Finds "[/name]" (case-insensitive) at s[i]; returns its length or 0. */
static size_t close_at(const char *s, size_t n, size_t i, const char *name) {
	size_t l = strlen(name);
	if (i + l + 3 > n || s[i] != '[' || s[i + 1] != '/') return 0;
	if (strncasecmp(s + i + 2, name, l) != 0 || s[i + 2 + l] != ']') return 0;
	return l + 3;
}

/* Case-insensitive search for "[/code]" from i; memoizes a miss so that many
   unclosed [code] tags cost one scan in total. */
static size_t find_code_close(lexer *lx, size_t i) {
	if (i >= lx->code_none_from) return lx->n;
	for (size_t j = i; j + 7 <= lx->n; j++) {
		if (lx->s[j] == '[' && close_at(lx->s, lx->n, j, "code")) return j;
	}
	lx->code_none_from = i;
	return lx->n;
}

/* [url]X[/url] style content: up to the next '[', which must open the close. */
static int raw_content(lexer *lx, size_t i, const char *name, size_t *cend, size_t *tend) {
	const char *p = memchr(lx->s + i, '[', lx->n - i);
	if (!p) return -1;
	size_t j = (size_t)(p - lx->s);
	size_t cl = close_at(lx->s, lx->n, j, name);
	if (!cl) return -1;
	*cend = j;
	*tend = j + cl;
	return 0;
}

/* Tries to read a tag at s[i] == '['. Fills *t and returns 0, or -1 if the
   '[' is just text. Scans at most to the next '[' or ']', or ARG_MAX bytes. */
static int lex_tag(lexer *lx, size_t i, tok *t) {
	const char *s = lx->s;
	size_t n = lx->n, j = i + 1;
	int closing = 0;
	if (j < n && s[j] == '/') { closing = 1; j++; }
	size_t ns = j;
	while (j < n && j - ns <= NAME_MAX_LEN && (is_alnum((unsigned char)s[j]) || s[j] == '*')) j++;
	enum tag tg = tag_lookup(s + ns, j - ns);
	if (tg == TG_NONE || !(lx->allow & tag_bit(tg)) || j >= n) return -1;
	memset(t, 0, sizeof *t);
	t->tag = (uint8_t)tg;
	t->off = i;
	t->mate = -1;
	if (closing) {
		if (s[j] != ']' || tg == TG_ITEM || tg == TG_HR) return -1;
		t->kind = K_CLOSE;
		t->len = j + 1 - i;
		return 0;
	}
	const char *a = NULL;
	size_t an = 0;
	if (s[j] == '=') {
		size_t k = j + 1;
		while (k < n && s[k] != ']' && s[k] != '[' && s[k] != '\n' && s[k] != '\r' && k - j <= ARG_MAX) k++;
		if (k >= n || s[k] != ']') return -1;
		a = s + j + 1;
		an = k - j - 1;
		j = k;
	} else if (s[j] != ']') {
		return -1;
	}
	size_t after = j + 1; /* first byte after the opening tag */
	t->kind = K_OPEN;
	t->len = after - i;
	t->aoff = a ? (size_t)(a - s) : 0;
	t->alen = an;
	buf *sc = &lx->scratch;
	size_t cend, tend;
	switch (tg) {
	case TG_B: case TG_U: case TG_S: case TG_QUOTE: case TG_INDENT: case TG_FREE:
		return a ? -1 : 0;
	case TG_I:   /* [i=s]: Discuz!'s edit stamp (本帖最后由 X 于 ... 编辑) */
		if (!a) return 0;
		if (an != 1 || lc((unsigned char)a[0]) != 's') return -1;
		t->w = 1;
		return 0;
	case TG_P: return a && v_p(a, an, NULL) == 0 ? 0 : -1;
	case TG_HIDE: return !a || v_hide(a, an, &t->w, &t->h) == 0 ? 0 : -1;
	case TG_GROUPID: {
		size_t k = 0;
		return a && parse_num(a, an, &k, 10) > 0 && k == an ? 0 : -1;
	}
	case TG_MEDIA: case TG_AUDIO: case TG_FLASH: case TG_SWF: {
		if (a && (tg == TG_SWF || v_media(a, an))) return -1;
		const char *nm = tag_names[tg];
		if (raw_content(lx, after, nm, &cend, &tend)) return -1;
		buf_reset(sc);
		if (url_put(sc, s + after, cend - after)) return -1;
		t->kind = K_LINK;
		break;
	}
	case TG_PASSWORD: case TG_POSTBG:   /* the post's password; its background picture (dropped) */
		if (a || raw_content(lx, after, tag_names[tg], &cend, &tend)) return -1;
		t->kind = K_STRIP;
		break;
	case TG_QQ: {   /* Discuz!'s default custom tag: a QQ number, a link to chat with it */
		if (a || raw_content(lx, after, "qq", &cend, &tend)) return -1;
		size_t k = after;
		if (cend - after < 5 || cend - after > 11 || parse_num(s, cend, &k, 11) < 10000 || k != cend) return -1;
		t->kind = K_LINK;
		break;
	}
	case TG_ITEM:
		if (a) return -1;
		t->kind = K_ITEM;
		return 0;
	case TG_HR:
		if (a) return -1;
		t->kind = K_HR;
		return 0;
	case TG_COLOR: return a && v_color(a, an, NULL) == 0 ? 0 : -1;
	case TG_SIZE: return a && v_size(a, an, NULL) == 0 ? 0 : -1;
	case TG_FONT: return a && v_font(a, an, NULL) == 0 ? 0 : -1;
	case TG_ALIGN: return a && v_align(a, an, NULL) == 0 ? 0 : -1;
	case TG_BACKCOLOR: return a && v_backcolor(a, an, NULL) == 0 ? 0 : -1;
	case TG_FLOAT: return a && v_float(a, an, NULL) == 0 ? 0 : -1;
	case TG_LIST: return !a || v_list(a, an, NULL) == 0 ? 0 : -1;
	case TG_TABLE: return !a || v_table(a, an, NULL) == 0 ? 0 : -1;
	case TG_TR: return !a || v_tr(a, an, NULL) == 0 ? 0 : -1;
	case TG_TD: return !a || v_td(a, an, NULL) == 0 ? 0 : -1;
	case TG_URL:
		if (a) {   /* a refused URL (thunder://, javascript:...): the text stays, without the link (h = 1) */
			buf_reset(sc);
			t->h = url_put(sc, a, an) != 0;
			return 0;
		}
		if (raw_content(lx, after, "url", &cend, &tend)) return -1;
		buf_reset(sc);
		if (url_put(sc, s + after, cend - after)) return -1;
		t->kind = K_LINK;
		break;
	case TG_EMAIL:
		if (a) return v_email(a, an) == 0 ? 0 : -1;
		if (raw_content(lx, after, "email", &cend, &tend)) return -1;
		if (v_email(s + after, cend - after)) return -1;
		t->kind = K_LINK;
		break;
	case TG_IMG:
		if (a && v_imgsize(a, an, &t->w, &t->h)) return -1;
		if (raw_content(lx, after, "img", &cend, &tend)) return -1;
		buf_reset(sc);
		if (url_put(sc, s + after, cend - after)) return -1;
		t->kind = K_IMG;
		break;
	case TG_ATTACH:
	case TG_ATTACHIMG: {
		const char *nm = tg == TG_ATTACH ? "attach" : "attachimg";
		if (a || raw_content(lx, after, nm, &cend, &tend)) return -1;
		buf_reset(sc);
		if (markup_attach_html(sc, markup_attach_id(s + after, cend - after), 1) &&
		    !(lx->view && markup_attach_id(s + after, cend - after)))
			return -1;
		t->kind = K_ATTACH;
		break;
	}
	case TG_CODE:
		if (a) return -1;
		cend = find_code_close(lx, after);
		if (cend >= n) return -1;
		tend = cend + 7;
		t->kind = K_CODE;
		break;
	default:
		return -1;
	}
	t->aoff = after;
	t->alen = cend - after;
	t->len = tend - i;
	return 0;
}

/* Splits src into tokens; *nt gets the count. The array holds at most
   2 * (number of '[') + 1 tokens. Caller frees. */
static tok *lex(const char *src, size_t n, size_t *nt, uint32_t allow, int view) {
	size_t brackets = 0;
	for (const char *p = src; (p = memchr(p, '[', (size_t)(src + n - p))) != NULL; p++) brackets++;
	tok *t = xmalloc((2 * brackets + 1) * sizeof *t);
	lexer lx = {src, n, n + 1, {0}, allow, view};
	buf_init(&lx.scratch, 0);
	size_t k = 0, text = 0, i = 0;
	while (i < n) {
		const char *p = memchr(src + i, '[', n - i);
		if (!p) break;
		i = (size_t)(p - src);
		tok tg;
		if (lex_tag(&lx, i, &tg) == 0) {
			if (i > text) t[k++] = (tok){.kind = K_TEXT, .off = text, .len = i - text, .mate = -1};
			t[k++] = tg;
			i += tg.len;
			text = i;
		} else {
			i++;
		}
	}
	if (n > text) {
		t[k] = (tok){.kind = K_TEXT, .off = text, .len = n - text, .mate = -1};
		k++;
	}
	buf_release(&lx.scratch);
	*nt = k;
	return t;
}

/* ---- pass 2: pairing */

static void pair(tok *t, size_t nt) {
	long *st = xmalloc((nt + 1) * sizeof *st);
	size_t sp = 0, count[TG_COUNT] = {0};
	for (size_t i = 0; i < nt; i++) {
		if (t[i].kind == K_OPEN) {
			st[sp++] = (long)i;
			count[t[i].tag]++;
		} else if (t[i].kind == K_CLOSE && count[t[i].tag]) {
			for (;;) {
				long o = st[--sp];
				count[t[o].tag]--;
				if (t[o].tag == t[i].tag) {
					t[o].mate = (long)i;
					t[i].mate = o;
					t[i].w = t[o].w;   /* [i=s]: the close is a block's too */
					break;
				}
			}
		}
	}
	free(st);
}

/* ---- pass 3: render */

static const char LINK_ATTRS[] = "\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">";

static int is_block(const tok *t) {
	if (t->kind == K_STRIP) return 1;
	switch (t->tag) {
	case TG_QUOTE: case TG_CODE: case TG_LIST: case TG_ITEM: case TG_HR:
	case TG_TABLE: case TG_TR: case TG_TD: case TG_ALIGN: case TG_INDENT:
	case TG_P: case TG_FREE: case TG_HIDE:
		return 1;
	case TG_I:
		return t->w == 1;
	default:
		return 0;
	}
}

static int top_tag(const rstate *r) { return r->depth ? r->f[r->depth - 1].tag : TG_NONE; }

/* May the paired open tag t become HTML here? */
static int open_allowed(const rstate *r, const tok *t) {
	if (r->depth >= BBCODE_MAX_DEPTH) return 0;
	int top = top_tag(r);
	if ((t->tag == TG_URL || t->tag == TG_EMAIL || t->tag == TG_GROUPID) && r->in_a) return 0;
	if (t->tag == TG_TR) return top == TG_TABLE;
	if (t->tag == TG_TD) return top == TG_TR;
	if (top == TG_TABLE && r->f[r->depth - 1].pipe) return !is_block(t);   /* inline tags in "|" cells */
	if (top == TG_TABLE || top == TG_TR) return 0;
	return 1;
}

/* a [table] with no [tr] of its own between t[i] and its close: Discuz!'s "|" form */
static int pipe_table(const tok *t, size_t i) {
	for (size_t k = i + 1; k < (size_t)t[i].mate; k++)
		if (t[k].tag == TG_TR && t[k].kind == K_OPEN) return 0;
	return 1;
}

static int leaf_allowed(const rstate *r, const tok *t) {
	int top = top_tag(r);
	if (t->kind == K_ITEM) return top == TG_LIST;
	if (top == TG_TABLE && r->f[r->depth - 1].pipe && !is_block(t) && !(t->kind == K_LINK && r->in_a)) return 1;
	if (top == TG_TABLE || top == TG_TR) return 0;
	if (t->kind == K_STRIP) return 1;
	if ((t->kind == K_LINK || t->kind == K_ATTACH) && r->in_a) return 0;
	return 1;
}

static int would_render(const rstate *r, const tok *t) {
	switch (t->kind) {
	case K_OPEN: return t->mate >= 0 && !t->lit && open_allowed(r, t);
	case K_CLOSE: return t->mate >= 0 && !t->lit;
	case K_TEXT: return 0;
	default: return leaf_allowed(r, t);
	}
}

/* Escaped text with "\n", "\r\n" and "\r" as <br />; with smilies (a
   budget), smiley codes become emoji; prev is the byte before s. */
static void put_text_sm(buf *o, const char *s, size_t n, int prev, int *smilies) {
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n' && s[i] != '\r') continue;
		if (smilies) mention_html(o, s + start, i - start, start ? '\n' : prev, smilies);
		else buf_html(o, s + start, i - start);
		buf_puts(o, "<br />");
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') i++;
		start = i + 1;
	}
	if (smilies) mention_html(o, s + start, n - start, start ? '\n' : prev, smilies);
	else buf_html(o, s + start, n - start);
}

static void put_text(buf *o, const char *s, size_t n) { put_text_sm(o, s, n, 0, NULL); }

static int url_byte(unsigned char c) {
	return c > 0x20 && c < 0x7f && !in_set(c, "<>\"'[]");
}

/* Text with bare http:// and https:// URLs turned into links, and smiley
   codes outside them into emoji. */
static void put_text_autolink(buf *o, const char *s, size_t n, int *smilies) {
	size_t start = 0;
	for (size_t i = 0; i + 7 < n; i++) {
		if (lc((unsigned char)s[i]) != 'h' || (i > 0 && is_alnum((unsigned char)s[i - 1]))) continue;
		size_t sl;
		if (strncasecmp(s + i, "http://", 7) == 0) sl = 7;
		else if (i + 8 < n && strncasecmp(s + i, "https://", 8) == 0) sl = 8;
		else continue;
		size_t e = i + sl;
		while (e < n && url_byte((unsigned char)s[e])) e++;
		while (e > i + sl && in_set((unsigned char)s[e - 1], ".,;:!?)")) e--;
		if (e == i + sl) continue;
		put_text_sm(o, s + start, i - start, start ? (unsigned char)s[start - 1] : 0, smilies);
		buf_puts(o, "<a href=\"");
		if (sanitize_url(o, s + i, e - i) != 0) buf_puts(o, "#"); /* cannot happen: http(s) */
		buf_puts(o, LINK_ATTRS);
		buf_html(o, s + i, e - i);
		buf_puts(o, "</a>");
		start = e;
		i = e - 1;
	}
	put_text_sm(o, s + start, n - start, start ? (unsigned char)s[start - 1] : 0, smilies);
}

static int is_ws(const char *s, size_t n) {
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 0;
	return 1;
}

static size_t nl_len_at_start(const char *s, size_t n) {
	if (n >= 2 && s[0] == '\r' && s[1] == '\n') return 2;
	return (n >= 1 && (s[0] == '\n' || s[0] == '\r')) ? 1 : 0;
}

static size_t nl_len_at_end(const char *s, size_t n) {
	if (n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n') return 2;
	return (n >= 1 && (s[n - 1] == '\n' || s[n - 1] == '\r')) ? 1 : 0;
}

static void render_text(rstate *r, size_t i) {
	const tok *t = &r->t[i];
	const char *s = r->src + t->off;
	size_t n = t->len;
	int top = top_tag(r);
	for (int k = 0; k < r->eat_nl; k++) {
		size_t l = nl_len_at_start(s, n);
		s += l;
		n -= l;
	}
	if (top == TG_TABLE && r->f[r->depth - 1].pipe) {   /* rows by line, cells by '|' */
		if (i + 1 < r->nt && r->t[i + 1].kind == K_CLOSE && r->t[i + 1].tag == TG_TABLE) n -= nl_len_at_end(s, n);
		size_t start = 0;
		for (size_t k = 0; k < n; k++) {
			if (s[k] != '|' && s[k] != '\n' && s[k] != '\r') continue;
			buf_html(r->out, s + start, k - start);
			buf_puts(r->out, s[k] == '|' ? "</td><td>" : "</td></tr><tr><td>");
			if (s[k] == '\r' && k + 1 < n && s[k + 1] == '\n') k++;
			start = k + 1;
		}
		buf_html(r->out, s + start, n - start);
		return;
	}
	if ((top == TG_TABLE || top == TG_TR || (top == TG_LIST && !r->f[r->depth - 1].li_open)) && is_ws(s, n))
		return;
	if (i + 1 < r->nt && is_block(&r->t[i + 1]) && would_render(r, &r->t[i + 1]))
		n -= nl_len_at_end(s, n);
	if (r->in_a) put_text(r->out, s, n);   /* no smilies in a link's text */
	else put_text_autolink(r->out, s, n, &r->smilies);
}

static void render_literal(rstate *r, const tok *t) {
	put_text(r->out, r->src + t->off, t->len);
}

/* <tag class="C"> with C from the validator; <tag> when it gives no class. */
static void put_classed(buf *o, const char *tag, const char *a, size_t an, int (*v)(const char *, size_t, buf *)) {
	buf_appendf(o, "<%s class=\"", tag);
	size_t mark = o->len;
	v(a, an, o);
	if (o->len == mark && !o->err) {
		o->len = mark - (sizeof " class=\"" - 1);
		o->data[o->len] = 0;
		buf_putc(o, '>');
	} else {
		buf_puts(o, "\">");
	}
}

static void render_open(rstate *r, tok *t) {
	buf *o = r->out;
	const char *a = r->src + t->aoff;
	size_t an = t->alen;
	switch (t->tag) {
	case TG_B: buf_puts(o, "<strong>"); break;
	case TG_I: buf_puts(o, t->w ? "<div class=\"pstatus\">" : "<em>"); break;
	case TG_U: buf_puts(o, "<u>"); break;
	case TG_S: buf_puts(o, "<s>"); break;
	case TG_P: put_classed(o, "div", a, an, v_p); break;
	case TG_FREE: buf_puts(o, "<div class=\"quote free\"><div class=\"quote-h\">免费内容</div><blockquote>"); break;
	case TG_HIDE:
		if (r->view && !r->in_hide) buf_putc(o, BBCODE_HIDE_BEGIN);
		buf_puts(o, "<div class=\"showhide\"><h4>本帖隐藏的内容</h4>");
		break;
	case TG_GROUPID:
		buf_puts(o, "<span class=\"pstatus\">来自群组: <a href=\"/f/");
		buf_append(o, a, an);
		buf_puts(o, "\">");
		r->in_a++;
		break;
	case TG_COLOR: put_classed(o, "span", a, an, v_color); break;
	case TG_BACKCOLOR: put_classed(o, "span", a, an, v_backcolor); break;
	case TG_SIZE: put_classed(o, "span", a, an, v_size); break;
	case TG_FONT: put_classed(o, "span", a, an, v_font); break;
	case TG_FLOAT: put_classed(o, "span", a, an, v_float); break;
	case TG_ALIGN: put_classed(o, "div", a, an, v_align); break;
	case TG_URL:
		if (t->h) { buf_puts(o, "<span class=\"nolink\">"); break; }
		buf_puts(o, "<a href=\"");
		url_put(o, a, an);
		buf_puts(o, LINK_ATTRS);
		r->in_a++;
		break;
	case TG_EMAIL:
		buf_puts(o, "<a href=\"mailto:");
		buf_html(o, a, an);
		buf_puts(o, "\">");
		r->in_a++;
		break;
	case TG_QUOTE: buf_puts(o, "<div class=\"quote\"><blockquote>"); break;
	case TG_LIST:
		if (an) v_list(a, an, o);
		else buf_puts(o, "<ul>");
		break;
	case TG_TABLE: case TG_TR:
		buf_puts(o, t->tag == TG_TABLE ? "<table" : "<tr");
		if (an) (t->tag == TG_TABLE ? v_table : v_tr)(a, an, o);
		buf_putc(o, '>');
		if (t->tag == TG_TABLE && pipe_table(r->t, (size_t)(t - r->t))) buf_puts(o, "<tr><td>");
		break;
	case TG_TD:
		buf_puts(o, "<td");
		if (an) v_td(a, an, o);
		buf_putc(o, '>');
		break;
	case TG_INDENT: buf_puts(o, "<blockquote>"); break;
	default: break;
	}
	r->f[r->depth].tag = t->tag;
	r->f[r->depth].li_open = 0;
	r->f[r->depth].ordered = t->tag == TG_LIST && an;
	r->f[r->depth].pipe = t->tag == TG_TABLE && pipe_table(r->t, (size_t)(t - r->t));
	r->f[r->depth].mark = 0;
	r->f[r->depth].nolink = t->tag == TG_URL && t->h;
	if (t->tag == TG_HIDE) {
		r->f[r->depth].mark = r->view && !r->in_hide;
		r->in_hide++;
	}
	r->depth++;
}

static void render_close(rstate *r, const tok *t) {
	buf *o = r->out;
	frame *f = &r->f[--r->depth];
	switch (t->tag) {
	case TG_B: buf_puts(o, "</strong>"); break;
	case TG_I: buf_puts(o, t->w ? "</div>" : "</em>"); break;
	case TG_U: buf_puts(o, "</u>"); break;
	case TG_S: buf_puts(o, "</s>"); break;
	case TG_P: buf_puts(o, "</div>"); break;
	case TG_HIDE:
		buf_puts(o, "</div>");
		if (f->mark) buf_putc(o, BBCODE_HIDE_END);
		r->in_hide--;
		break;
	case TG_FREE: buf_puts(o, "</blockquote></div>"); break;
	case TG_GROUPID: buf_puts(o, "</a></span>"); r->in_a--; break;
	case TG_COLOR: case TG_BACKCOLOR: case TG_SIZE: case TG_FONT: case TG_FLOAT: buf_puts(o, "</span>"); break;
	case TG_ALIGN: buf_puts(o, "</div>"); break;
	case TG_URL: case TG_EMAIL:
		if (f->nolink) { buf_puts(o, "</span>"); break; }
		buf_puts(o, "</a>");
		r->in_a--;
		break;
	case TG_QUOTE: buf_puts(o, "</blockquote></div>"); break;
	case TG_LIST:
		if (f->li_open) buf_puts(o, "</li>");
		buf_puts(o, f->ordered ? "</ol>" : "</ul>");
		break;
	case TG_TABLE: buf_puts(o, f->pipe ? "</td></tr></table>" : "</table>"); break;
	case TG_TR: buf_puts(o, "</tr>"); break;
	case TG_TD: buf_puts(o, "</td>"); break;
	case TG_INDENT: buf_puts(o, "</blockquote>"); break;
	default: break;
	}
}

static void render_leaf(rstate *r, const tok *t) {
	buf *o = r->out;
	const char *a = r->src + t->aoff;
	size_t an = t->alen;
	switch (t->kind) {
	case K_ITEM: {
		frame *f = &r->f[r->depth - 1];
		buf_puts(o, f->li_open ? "</li><li>" : "<li>");
		f->li_open = 1;
		break;
	}
	case K_HR: buf_puts(o, "<hr />"); break;
	case K_CODE: {
		a += nl_len_at_start(a, an);
		an = (size_t)(r->src + t->aoff + t->alen - a);
		an -= nl_len_at_end(a, an);
		buf_puts(o, "<div class=\"blockcode\"><pre><code>");
		size_t start = 0; /* "\r\n" -> "\n" */
		for (size_t i = 0; i < an; i++) {
			if (a[i] != '\r') continue;
			buf_html(o, a + start, i - start);
			if (i + 1 >= an || a[i + 1] != '\n') buf_putc(o, '\n');
			start = i + 1;
		}
		buf_html(o, a + start, an - start);
		buf_puts(o, "</code></pre></div>");
		break;
	}
	case K_STRIP:
		if (t->tag == TG_PASSWORD)
			buf_puts(o, "<div class=\"pstatus\">原帖设有阅读密码，loulan 不支持帖子密码，本帖对能看到本版的人公开。</div>");
		break;
	case K_LINK:
		if (t->tag == TG_QQ) {   /* digits only (checked by the lexer) */
			buf_puts(o, "<a class=\"medialink\" href=\"https://wpa.qq.com/msgrd?v=3&amp;uin=");
			buf_append(o, a, an);
			buf_puts(o, "&amp;site=qq&amp;menu=yes");
			buf_puts(o, LINK_ATTRS);
			buf_puts(o, "QQ: ");
			buf_append(o, a, an);
			buf_puts(o, "</a>");
			break;
		}
		if (t->tag == TG_MEDIA || t->tag == TG_AUDIO || t->tag == TG_FLASH || t->tag == TG_SWF) {
			/* no embedded players: a link to the media, labelled */
			buf_puts(o, "<a class=\"medialink\" href=\"");
			url_put(o, a, an);
			buf_puts(o, LINK_ATTRS);
			buf_puts(o, t->tag == TG_AUDIO ? "音频: " : t->tag == TG_MEDIA ? "媒体: " : "Flash: ");
			buf_html(o, a, an);
			buf_puts(o, "</a>");
			break;
		}
		if (t->tag == TG_EMAIL) {
			buf_puts(o, "<a href=\"mailto:");
			buf_html(o, a, an);
			buf_puts(o, "\">");
		} else {
			buf_puts(o, "<a href=\"");
			url_put(o, a, an);
			buf_puts(o, LINK_ATTRS);
		}
		buf_html(o, a, an);
		buf_puts(o, "</a>");
		break;
	case K_IMG:
		buf_puts(o, "<img src=\"");
		url_put(o, a, an);
		buf_putc(o, '"');
		if (t->w) buf_appendf(o, " width=\"%d\" height=\"%d\"", t->w, t->h);
		buf_puts(o, " loading=\"lazy\" referrerpolicy=\"no-referrer\" alt=\"\">");
		break;
	case K_ATTACH:
		if (markup_attach_html(o, markup_attach_id(a, an), 1))   /* a page-time render has no lookup: a link */
			buf_appendf(o, "<a class=\"attachlink\" href=\"/a/%lld/o\">附件 %lld</a>", (long long)markup_attach_id(a, an),
			            (long long)markup_attach_id(a, an));
		break;
	default: break;
	}
}

/* the BBCODE_* bits are 1 << enum tag: checked once here */
_Static_assert(BBCODE_B == 1u << TG_B && BBCODE_URL == 1u << TG_URL && BBCODE_IMG == 1u << TG_IMG &&
               BBCODE_ATTACHIMG == 1u << TG_ATTACHIMG && BBCODE_FLOAT == 1u << TG_FLOAT && TG_P == 25,
               "bbcode.h's BBCODE_* bits follow enum tag");

/* Does the viewer v see the content of the [hide] open token t? (see bbcode.h) */
static int hide_open(const struct bbcode_view *v, const tok *t) {
	if (!v) return 0;
	if (t->w && v->age_days >= t->w) return 1;                 /* [hide=dDAYS]: open after DAYS days */
	if (v->privileged) return 1;                                /* the author, the board's moderators */
	if (t->h) return v->credits >= t->h;                        /* [hide=N], [hide=dDAYS,N]: N credits */
	return v->replied;                                          /* [hide], [hide=dDAYS]: replied in the thread */
}

/* the notice in place of hidden content (class "locked": bbcode.h BBCODE_LOCKED) */
static void hide_notice(buf *o, const tok *t) {
	buf_puts(o, "<div class=\"locked\">");
	if (t->h) buf_appendf(o, "本帖隐藏的内容需要积分高于 %d 才可浏览", t->h);
	else buf_puts(o, "本帖隐藏的内容需要回复才可以浏览");
	if (t->w) buf_appendf(o, "（发帖 %d 天后公开）", t->w);
	buf_puts(o, "</div>");
}

int bbcode_render(buf *out, const char *src, size_t n) { return bbcode_render_only(out, src, n, BBCODE_ALL); }

static int render_all(buf *out, const char *src, size_t n, uint32_t allow, const struct bbcode_view *view);

int bbcode_render_only(buf *out, const char *src, size_t n, uint32_t allow) { return render_all(out, src, n, allow, NULL); }

int bbcode_render_view(buf *out, const char *src, size_t n, const struct bbcode_view *view) {
	return render_all(out, src, n, BBCODE_ALL, view);
}

static int render_all(buf *out, const char *src, size_t n, uint32_t allow, const struct bbcode_view *view) {
	if (out->err) return -1;
	size_t nt;
	tok *t = lex(src, n, &nt, allow, view != NULL);
	pair(t, nt);
	rstate r = {.out = out, .src = src, .t = t, .nt = nt, .smilies = SMILEY_MAX_PER_POST, .view = view};
	for (size_t i = 0; i < nt && !out->err; i++) {
		tok *k = &t[i];
		int eat = 0;
		switch (k->kind) {
		case K_TEXT:
			render_text(&r, i);
			break;
		case K_OPEN:
			if (k->tag == TG_HIDE && k->mate >= 0 && !k->lit && !hide_open(view, k)) {
				/* hidden: never its text, whatever the context; the notice where a block may go */
				if (open_allowed(&r, k)) {
					int mark = view && !r.in_hide;
					if (mark) buf_putc(out, BBCODE_HIDE_BEGIN);
					hide_notice(out, k);
					if (mark) buf_putc(out, BBCODE_HIDE_END);
				}
				i = (size_t)k->mate;
				eat = 1;
			} else if (k->mate >= 0 && !k->lit && open_allowed(&r, k)) {
				render_open(&r, k);
				eat = is_block(k) ? (k->tag == TG_I ? 2 : 1) : 0;   /* the stamp is followed by a blank line */
			} else {
				if (k->mate >= 0) t[k->mate].lit = 1;
				render_literal(&r, k);
			}
			break;
		case K_CLOSE:
			if (k->mate >= 0 && !k->lit) {
				render_close(&r, k);
				eat = is_block(k) ? (k->tag == TG_I ? 2 : 1) : 0;
			} else {
				render_literal(&r, k);
			}
			break;
		default:
			if (leaf_allowed(&r, k)) {
				render_leaf(&r, k);
				eat = is_block(k);
			} else {
				render_literal(&r, k);
			}
			break;
		}
		r.eat_nl = eat;
	}
	free(t);
	return out->err ? -1 : 0;
}
