/*
** mention: @name in post text (see mention.h).
*/
#include "markup/mention.h"
#include "markup/smiley.h"
#include <string.h>
#include <strings.h>

static _Thread_local struct mention_scope *g_scope;

void mention_scope_begin(struct mention_scope *sc) {
	sc->nfound = 0;
	g_scope = sc;
}

void mention_scope_end(void) { g_scope = NULL; }

static int ascii_word(int c) {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       c == '-';
}

/* the code point at s[i] (valid UTF-8 or not) and its length in *len */
static uint32_t cp_at(const char *s, size_t n, size_t i, size_t *len) {
	unsigned char c = (unsigned char)s[i];
	size_t l = c < 0x80 ? 1 : c >= 0xF8 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	if (!l || i + l > n) {   /* a stray continuation byte, a bad lead, a character cut by the end */
		*len = 1;
		return 0xFFFD;
	}
	uint32_t v = l == 1 ? c : l == 2 ? c & 0x1F : l == 3 ? c & 0x0F : c & 0x07;
	for (size_t k = 1; k < l; k++) {
		unsigned char b = (unsigned char)s[i + k];
		if ((b & 0xC0) != 0x80) { *len = 1; return 0xFFFD; }
		v = (v << 6) | (b & 0x3F);
	}
	*len = l;
	return v;
}

/* a character that ends a name: white space, punctuation (ASCII but "._-", Latin-1, general, CJK, full width) */
static int ends_name(uint32_t c) {
	if (c < 0x80) return c <= ' ' || c == 0x7F || !ascii_word((int)c);
	return (c >= 0x80 && c <= 0xBF) || (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
	       (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
	       (c >= 0xFF5B && c <= 0xFF65) || c == 0xFFFD || c == 0xFEFF;
}

size_t mention_at(const char *s, size_t n, size_t i, int prev) {
	if (i >= n || s[i] != '@') return 0;
	int before = i ? (unsigned char)s[i - 1] : prev;
	if (before && before < 0x80 && (ascii_word(before) || before == '@' || before == '/' || before == '&')) return 0;
	size_t j = i + 1, last = j;   /* last: the end of the name without trailing '.' and '-' */
	long chars = 0, kept = 0;
	while (j < n) {
		size_t l;
		uint32_t c = cp_at(s, n, j, &l);
		if (ends_name(c)) break;
		j += l;
		chars++;
		if (c != '.' && c != '-') {
			last = j;
			kept = chars;
		}
	}
	if (kept < 1 || kept > MENTION_NAME_CHARS || last - (i + 1) >= MENTION_NAME_BYTES) return 0;
	return last - (i + 1);
}

int mention_scan(const char *s, size_t n, char (*names)[MENTION_NAME_BYTES], int max) {
	int k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		size_t l = mention_at(s, n, i, 0);
		if (!l) continue;
		int dup = 0;
		for (int j = 0; j < k && !dup; j++) dup = strlen(names[j]) == l && !memcmp(names[j], s + i + 1, l);
		if (!dup) {
			memcpy(names[k], s + i + 1, l);
			names[k++][l] = 0;
		}
		i += l;
	}
	return k;
}

/* the uid of a known name, with room for it among the found (0: none) */
static int64_t known(const char *s, size_t l) {
	struct mention_scope *sc = g_scope;
	for (int i = 0; i < sc->nknown; i++) {
		if (strlen(sc->known[i].name) != l || memcmp(sc->known[i].name, s, l)) continue;
		int64_t uid = sc->known[i].uid;
		for (int j = 0; j < sc->nfound; j++)
			if (sc->found[j] == uid) return uid;
		if (sc->nfound >= MENTION_MAX_PER_POST) return 0;
		sc->found[sc->nfound++] = uid;
		return uid;
	}
	return 0;
}

void mention_html(buf *o, const char *s, size_t n, int prev, int *smilies) {
	if (!g_scope || !g_scope->nknown) {
		smiley_html(o, s, n, prev, smilies);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '@') continue;
		size_t l = mention_at(s, n, i, prev);
		int64_t uid = l ? known(s + i + 1, l) : 0;
		if (!uid) continue;
		smiley_html(o, s + start, i - start, start ? (unsigned char)s[start - 1] : prev, smilies);
		buf_appendf(o, "<a href=\"/u/%lld\" class=\"mention\">@", (long long)uid);
		buf_html(o, s + i + 1, l);
		buf_puts(o, "</a>");
		i += l;
		start = i + 1;
	}
	smiley_html(o, s + start, n - start, start ? (unsigned char)s[start - 1] : prev, smilies);
}

/* the number at s[i..] (digits only, no leading zero), 0 if none */
static int64_t number_at(const char *s, size_t n, size_t i) {
	int64_t v = 0;
	size_t j = i;
	if (j >= n || s[j] < '1' || s[j] > '9') return 0;
	for (; j < n && s[j] >= '0' && s[j] <= '9' && j - i < 18; j++) v = v * 10 + (s[j] - '0');
	return v;
}

static void add_pid(int64_t *pids, int *k, int64_t pid) {
	if (!pid) return;
	for (int j = 0; j < *k; j++)
		if (pids[j] == pid) return;
	pids[(*k)++] = pid;
}

int mention_quotes(const char *s, size_t n, int64_t *pids, int max) {
	int k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		int line_start = i == 0 || s[i - 1] == '\n';
		const char *open = NULL, *target = NULL;
		if (n - i >= 7 && !strncasecmp(s + i, "[quote]", 7)) open = "[quote]", target = "[url=/p/";
		else if (line_start && n - i >= 4 && !memcmp(s + i, "> *[", 4)) open = "> *[", target = "](/p/";
		if (!open) continue;
		size_t tl = strlen(target);
		for (size_t j = i + strlen(open); j + tl <= n && s[j] != '\n'; j++) {
			if (memcmp(s + j, target, tl)) continue;
			add_pid(pids, &k, number_at(s, n, j + tl));
			break;
		}
	}
	return k;
}
