/*
** sanitize: URL scheme allowlist for user markup (see sanitize.h).
** The check is deliberately stricter than a browser: anything before the first
** ':' that precedes any '/', '?' or '#' is a scheme and must be exactly one of
** the allowed names, so "java\tscript:", "&#106;avascript:" and "javascript&colon;"
** tricks either fail as a scheme or are left as harmless relative references.
*/
#include "markup/sanitize.h"
#include <string.h>
#include <strings.h>

static int scheme_ok(const char *s, size_t n) {
	static const char *const allowed[] = {"http", "https", "mailto"};
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strlen(allowed[i]) == n && strncasecmp(s, allowed[i], n) == 0) return 1;
	return 0;
}

/* "&#..." or "&name;": an HTML entity, which has no business in a URL the user
   typed and is the classic way to smuggle a scheme past a filter. */
static int looks_like_entity(const char *s, size_t n) {
	if (n && s[0] == '#') return 1;
	size_t i = 0;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) i++;
	return i > 0 && i < n && s[i] == ';';
}

int sanitize_url(buf *out, const char *url, size_t n) {
	while (n && (unsigned char)url[0] <= 0x20) { url++; n--; }
	while (n && (unsigned char)url[n - 1] <= 0x20) n--;
	if (n == 0 || n > SANITIZE_URL_MAX) return -1;
	size_t colon = n;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c < 0x20 || c == 0x7f) return -1;
		if (c == '&' && looks_like_entity(url + i + 1, n - i - 1)) return -1;
		if (colon == n && (c == '/' || c == '?' || c == '#')) colon = n + 1; /* relative: stop looking */
		if (colon == n && c == ':') colon = i;
	}
	if (colon < n && !scheme_ok(url, colon)) return -1;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (url[i] != ' ') continue;
		buf_html(out, url + start, i - start);
		buf_puts(out, "%20");
		start = i + 1;
	}
	buf_html(out, url + start, n - start);
	return 0;
}
