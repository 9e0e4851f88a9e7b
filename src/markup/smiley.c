/*
** smiley: Discuz! smiley codes -> Unicode emoji (see smiley.h).
**
** Discuz! draws its faces from GIFs under static/image/smiley/ (sets 默认,
** 酷猴, 呆呆男; pre_common_smiley). loulan ships no images: each face maps to
** the emoji nearest its meaning, which every system draws and nobody owns.
** The 酷猴 and 呆呆男 GIFs have no names, so their emoji are only a likeness;
** QQ's classic faces ([em]eNNN[/em], QQ 空间; [em]N[/em] and [em:N:] from
** UCenter Home) follow QQ's order (e100 = 微笑).
** Knows nothing about BBCode, Markdown, the database or HTTP.
*/
#include "markup/smiley.h"
#include <string.h>

/* Discuz!'s default set (pre_common_smiley ids 1-24, typeid 1, dir default) */
static const struct smiley dflt[] = {
	{":)", "🙂", "微笑"},        {":(", "🙁", "难过"},       {":D", "😄", "大笑"},
	{":'(", "😢", "大哭"},       {":@", "😠", "生气"},       {":o", "😮", "惊讶"},
	{":P", "😛", "调皮"},        {":$", "😳", "害羞"},       {";P", "😜", "偷笑"},
	{":L", "😓", "汗"},          {":Q", "😫", "抓狂"},       {":lol", "😆", "哈哈"},
	{":loveliness:", "😊", "可爱"}, {":funk:", "😨", "害怕"}, {":curse:", "🤬", "咒骂"},
	{":dizzy:", "😵", "晕"},     {":shutup:", "🤐", "闭嘴"}, {":sleepy:", "😪", "困"},
	{":hug:", "🤗", "拥抱"},     {":victory:", "✌️", "胜利"}, {":time:", "⏰", "时间"},
	{":kiss:", "😘", "亲亲"},    {":handshake", "🤝", "握手"}, {":call:", "📞", "电话"},
};
#define DFLT_N (sizeof dflt / sizeof dflt[0])

/* written forms of the default codes that Discuz! does not list but people type */
static const struct { const char *code; int idx; } alias[] = {
	{":lol:", 11}, {":handshake:", 22},
};

/* 酷猴 (typeid 2, ids 25-40) and 呆呆男 (typeid 3, ids 41-64) */
static const char *const monkey[] = {
	"🐵", "🙈", "🙉", "🙊", "🐒", "😆", "😭", "😡", "😎", "😴", "😍", "🤔", "😱", "👍", "👏", "💪",
};
static const char *const grape[] = {
	"😐", "😀", "😂", "😅", "😉", "😌", "😏", "😒", "😔", "😕", "😖", "😞",
	"😟", "😤", "😥", "😦", "😧", "😩", "😬", "😯", "😲", "😷", "🙃", "🙄",
};

/* QQ's classic faces, in QQ's order */
static const struct { const char *emoji, *name; } qq[] = {
	{"🙂", "微笑"}, {"😕", "撇嘴"}, {"😍", "色"}, {"😶", "发呆"}, {"😎", "得意"},
	{"😢", "流泪"}, {"😊", "害羞"}, {"🤐", "闭嘴"}, {"😴", "睡"}, {"😭", "大哭"},
	{"😅", "尴尬"}, {"😡", "发怒"}, {"😜", "调皮"}, {"😁", "呲牙"}, {"😲", "惊讶"},
	{"🙁", "难过"}, {"😎", "酷"}, {"😰", "冷汗"}, {"😫", "抓狂"}, {"🤮", "吐"},
	{"🤭", "偷笑"}, {"😊", "可爱"}, {"🙄", "白眼"}, {"😤", "傲慢"}, {"🤤", "饥饿"},
	{"😪", "困"}, {"😱", "惊恐"}, {"😓", "流汗"}, {"😄", "憨笑"}, {"😌", "悠闲"},
	{"💪", "奋斗"}, {"🤬", "咒骂"}, {"🤔", "疑问"}, {"🤫", "嘘"}, {"😵", "晕"},
	{"😖", "折磨"}, {"😩", "衰"}, {"💀", "骷髅"}, {"🔨", "敲打"}, {"👋", "再见"},
};
#define QQ_N (sizeof qq / sizeof qq[0])

static const char FACE[] = "🙂"; /* a face we have no likeness for */

const struct smiley *smiley_picker(size_t *n) {
	*n = DFLT_N;
	return dflt;
}

static int is_alnum(int c) {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* 1..maxd digits at s[*i] (no more follow); -1 if none */
static long digits(const char *s, size_t n, size_t *i, int maxd) {
	long v = 0;
	int d = 0;
	while (*i < n && is_digit((unsigned char)s[*i])) {
		if (++d > maxd) return -1;
		v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	return d ? v : -1;
}

static int lit(const char *s, size_t n, size_t *i, const char *w) {
	size_t l = strlen(w);
	if (*i + l > n || memcmp(s + *i, w, l)) return 0;
	*i += l;
	return 1;
}

/* A code at s[i]: its length, with *emoji and *name; 0 if none. The caller
   has checked the boundary before s[i]. */
static size_t match(const char *s, size_t n, size_t i, const char **emoji, const char **name) {
	unsigned char c = (unsigned char)s[i];
	if (c == ':' || c == ';') {
		size_t best = 0;
		for (size_t k = 0; k < DFLT_N + sizeof alias / sizeof alias[0]; k++) {
			const struct smiley *sm = k < DFLT_N ? &dflt[k] : &dflt[alias[k - DFLT_N].idx];
			const char *code = k < DFLT_N ? sm->code : alias[k - DFLT_N].code;
			size_t l = strlen(code);
			if (l <= best || i + l > n || memcmp(s + i, code, l)) continue;
			/* ":D" in ":Don't": a code ending in a letter or digit needs a boundary after it too */
			if (is_alnum((unsigned char)code[l - 1]) && i + l < n && is_alnum((unsigned char)s[i + l])) continue;
			best = l;
			*emoji = sm->emoji;
			*name = sm->name;
		}
		return best;
	}
	size_t j = i;
	if (c == '{' && lit(s, n, &j, "{:")) {
		long t = digits(s, n, &j, 3);
		if (t < 1 || !lit(s, n, &j, "_")) return 0;
		long id = digits(s, n, &j, 6);
		if (id < 1 || !lit(s, n, &j, ":}")) return 0;
		*name = "表情";
		/* the X3.5 defaults (install_data.sql): type 1 默认 ids 1-24, 2 酷猴 25-40, 3 呆呆男 41-64; a site's
		   own smilies (other types, other ids) have no likeness here: they stay text (issue 18) */
		if (t == 1 && id <= (long)DFLT_N) { *emoji = dflt[id - 1].emoji; *name = dflt[id - 1].name; }
		else if (t == 2 && id >= 25 && id <= 40) { *emoji = monkey[id - 25]; *name = "酷猴"; }
		else if (t == 3 && id >= 41 && id <= 64) { *emoji = grape[id - 41]; *name = "呆呆男"; }
		else return 0;
		return j - i;
	}
	if (c == '[' && lit(s, n, &j, "[em")) {
		long k;
		if (lit(s, n, &j, ":")) {               /* [em:N:] */
			k = digits(s, n, &j, 3);
			if (k < 1 || !lit(s, n, &j, ":]")) return 0;
			k--;
		} else if (lit(s, n, &j, "]")) {        /* [em]N[/em], [em]eNNN[/em] */
			int e = lit(s, n, &j, "e");
			k = digits(s, n, &j, 4);
			if (k < 0 || !lit(s, n, &j, "[/em]")) return 0;
			if (e) { if (k < 100) return 0; k -= 100; }
			else { if (k < 1) return 0; k--; }
		} else {
			return 0;
		}
		if (k < (long)QQ_N) { *emoji = qq[k].emoji; *name = qq[k].name; }
		else { *emoji = FACE; *name = "表情"; }
		return j - i;
	}
	return 0;
}

void smiley_html(buf *o, const char *s, size_t n, int prev, int *budget) {
	size_t start = 0;
	for (size_t i = 0; i < n && *budget > 0; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != ':' && c != ';' && c != '{' && c != '[') continue;
		int before = i ? (unsigned char)s[i - 1] : prev;
		/* "Re:one", "12:00", "a:)", "http://x.com:)", "a::)"; {:..:} and [em] carry their own brackets */
		if ((c == ':' || c == ';') && (is_alnum(before) || before == ':' || before == '/')) continue;
		const char *emoji, *name;
		size_t l = match(s, n, i, &emoji, &name);
		if (!l) continue;
		buf_html(o, s + start, i - start);
		buf_puts(o, "<span class=\"smiley\" title=\"");
		buf_puts(o, name);
		buf_puts(o, "\">");
		buf_puts(o, emoji);
		buf_puts(o, "</span>");
		(*budget)--;
		i += l - 1;
		start = i + 1;
	}
	buf_html(o, s + start, n - start);
}
