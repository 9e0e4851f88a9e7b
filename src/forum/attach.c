/*
** attach: see attach.h. An upload is checked in this order, each refusal
** leaving nothing behind (the temp file is the request's; no row, no blob):
** size (413) -> the member's bytes today (413) -> kind from the content, and
** the name's extension must agree (422) -> kind allowed for the board and
** group (415) -> images decoded by libvips (422: does not decode, or more
** pixels than attach.max_pixels by its header) -> one transaction writing the
** blobs and the row.
*/
#include "forum/attach.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/posting.h"
#include "markup/attach.h"
#include "util/buf.h"
#include "util/die.h"
#include "util/utf8.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- kinds ------------------------------------------------------------------ */

static const struct { const char *name; enum attach_kind k; } kind_names[] = {
	{"jpg", AK_JPG}, {"jpeg", AK_JPG}, {"png", AK_PNG}, {"gif", AK_GIF}, {"webp", AK_WEBP}, {"zip", AK_ZIP},
	{"rar", AK_RAR}, {"7z", AK_7Z}, {"pdf", AK_PDF}, {"txt", AK_TXT},
};
static const char *const kind_mime[AK_N] = {
	"application/octet-stream", "image/jpeg", "image/png", "image/gif", "image/webp", "application/zip",
	"application/vnd.rar", "application/x-7z-compressed", "application/pdf", "text/plain; charset=utf-8",
};
static const char *const kind_ext[AK_N] = {"", "jpg", "png", "gif", "webp", "zip", "rar", "7z", "pdf", "txt"};

static enum attach_kind kind_by_name(const char *s, size_t n) {
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strlen(kind_names[i].name) == n && !strncasecmp(s, kind_names[i].name, n)) return kind_names[i].k;
	return AK_NONE;
}

static int is_image_kind(enum attach_kind k) { return k >= AK_JPG && k <= AK_WEBP; }

enum attach_kind attach_kind_of_mime(const char *mime) {
	for (int k = 1; k < AK_N; k++)
		if (!strcmp(kind_mime[k], mime)) return (enum attach_kind)k;
	return AK_NONE;
}

/* ---- settings: parsed once per load ----------------------------------------- */

/* "jpg png, pdf" -> mask; -1 on an unknown name */
static long types_mask(const char *s, size_t n) {
	long mask = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == ',')) i++;
		size_t st = i;
		while (i < n && s[i] != ' ' && s[i] != ',') i++;
		if (i == st) break;
		enum attach_kind k = kind_by_name(s + st, i - st);
		if (!k) return -1;
		mask |= 1L << k;
	}
	return mask;
}

/* "K=V<sep>K=V": V by parse_v; K an integer, or * (key -1) when star is allowed; count or -1 */
static int pairs(const char *s, char sep, int star, struct attach_rule *out, int max,
                 long long (*parse_v)(const char *v, size_t n)) {
	int n = 0;
	while (*s) {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *eq = memchr(s, '=', len);
		if (len && !eq) return -1;
		if (len) {
			if (n == max) return -1;
			int64_t key;
			if (star && eq == s + 1 && *s == '*') key = -1;
			else {
				char *e;
				key = strtoll(s, &e, 10);
				if (e != eq || key < 1 || !isdigit((unsigned char)*s)) return -1;
			}
			long long v = parse_v(eq + 1, len - (size_t)(eq + 1 - s));
			if (v < 0) return -1;
			out[n].key = key;
			out[n++].val = v;
		}
		s += len + (end ? 1 : 0);
	}
	return n;
}

static long long parse_bytes(const char *v, size_t n) {
	if (!n || n > 15) return -1;
	long long x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i])) return -1;
		x = x * 10 + (v[i] - '0');
	}
	return x;
}
static long long parse_types(const char *v, size_t n) { return types_mask(v, n); }

int attach_check_daily(const char *v, struct forum_err *e) {
	struct attach_rule r[ATTACH_RULES_MAX];
	if (pairs(v, ',', 1, r, ATTACH_RULES_MAX, parse_bytes) >= 0) return 0;
	return forum_fail(e, FORUM_E_INVALID, "expected GROUPID=BYTES pairs separated by commas, * for other groups (e.g. *=104857600,1=0)");
}

int attach_check_types(const char *v, struct forum_err *e) {
	if (types_mask(v, strlen(v)) >= 0) return 0;
	return forum_fail(e, FORUM_E_INVALID, "unknown type in %s (known: %s)", v, ATTACH_KINDS);
}

int attach_check_types_map(const char *v, struct forum_err *e) {
	struct attach_rule r[ATTACH_RULES_MAX];
	if (pairs(v, ';', 0, r, ATTACH_RULES_MAX, parse_types) >= 0) return 0;
	return forum_fail(e, FORUM_E_INVALID, "expected ID=TYPES separated by ; (types from: %s)", ATTACH_KINDS);
}

int blob_check_store(const char *v, struct forum_err *e) {
	if (!strcmp(v, "db") || !strcmp(v, "s3")) return 0;
	return forum_fail(e, FORUM_E_INVALID, "blob.store is db or s3");
}

struct attach_rules *attach_rules_parse(const struct site *s) {
	struct attach_rules *r = xcalloc(1, sizeof *r);
	long m = types_mask(s->attach_types, strlen(s->attach_types));
	r->types = m < 0 ? 0 : (unsigned)m;
	r->nboard = pairs(s->attach_types_board, ';', 0, r->board, ATTACH_RULES_MAX, parse_types);
	r->ngroup = pairs(s->attach_types_group, ';', 0, r->group, ATTACH_RULES_MAX, parse_types);
	r->ndaily = pairs(s->attach_daily_bytes, ',', 1, r->daily, ATTACH_RULES_MAX, parse_bytes);
	if (r->nboard < 0) r->nboard = 0;
	if (r->ngroup < 0) r->ngroup = 0;
	if (r->ndaily < 0) r->ndaily = 0;
	r->daily_default = 104857600;
	for (int i = 0; i < r->ndaily; i++)
		if (r->daily[i].key == -1) r->daily_default = r->daily[i].val;
	return r;
}

void attach_rules_free(struct attach_rules *r) { free(r); }

unsigned attach_allowed(int64_t fid, int64_t groupid) {
	const struct attach_rules *r = site_get()->attach_rules;
	unsigned m = r->types;
	for (int i = 0; i < r->nboard; i++)
		if (fid && r->board[i].key == fid) m = (unsigned)r->board[i].val;
	for (int i = 0; i < r->ngroup; i++)
		if (r->group[i].key == groupid) m &= (unsigned)r->group[i].val;
	return m;
}

int64_t attach_daily_limit(int64_t groupid) {
	const struct attach_rules *r = site_get()->attach_rules;
	for (int i = 0; i < r->ndaily; i++)
		if (r->daily[i].key == groupid) return r->daily[i].val;
	return r->daily_default;
}

/* ---- the content decides the kind ------------------------------------------- */

#define SNIFF_BLOCK (256u << 10)   /* bytes read at a time when checking a text file */

static enum attach_kind sniff(int fd, uint64_t size) {
	unsigned char h[16] = {0};
	ssize_t n = pread(fd, h, sizeof h, 0);
	if (n < 0) return AK_NONE;
	if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return AK_JPG;
	if (n >= 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8)) return AK_PNG;
	if (n >= 6 && (!memcmp(h, "GIF87a", 6) || !memcmp(h, "GIF89a", 6))) return AK_GIF;
	if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WEBP", 4)) return AK_WEBP;
	if (n >= 4 && (!memcmp(h, "PK\x03\x04", 4) || !memcmp(h, "PK\x05\x06", 4))) return AK_ZIP;
	if (n >= 6 && !memcmp(h, "Rar!\x1a\x07", 6)) return AK_RAR;
	if (n >= 6 && !memcmp(h, "7z\xbc\xaf\x27\x1c", 6)) return AK_7Z;
	if (n >= 5 && !memcmp(h, "%PDF-", 5)) return AK_PDF;
	/* text: the whole file valid UTF-8 without NUL, checked a block at a time; a block ends
	   before a sequence it cuts, which starts the next block */
	char *blk = xmalloc(SNIFF_BLOCK + 4);
	size_t carry = 0;
	uint64_t off = 0;
	int txt = 1;
	while (txt && off < size) {
		ssize_t r = pread(fd, blk + carry, SNIFF_BLOCK, (off_t)off);
		if (r <= 0) { txt = 0; break; }
		off += (uint64_t)r;
		size_t have = carry + (size_t)r, keep = 0;
		if (off < size) {   /* back up to the start of a possibly cut sequence (at most 3 bytes) */
			while (keep < 3 && keep < have && ((unsigned char)blk[have - 1 - keep] & 0xC0) == 0x80) keep++;
			if (keep < have && (unsigned char)blk[have - 1 - keep] >= 0xC0) keep++;
			else keep = 0;
		}
		txt = utf8_valid(blk, have - keep);
		memmove(blk, blk + have - keep, keep);
		carry = keep;
	}
	if (carry) txt = 0;
	free(blk);
	return txt ? AK_TXT : AK_NONE;
}

enum attach_kind attach_sniff(int fd, uint64_t size) { return sniff(fd, size); }
const char *attach_mime(enum attach_kind k) { return kind_mime[k < AK_N ? k : AK_NONE]; }
int attach_is_image_kind(enum attach_kind k) { return is_image_kind(k); }

/* the name shown and offered when downloading: no path, no control characters, valid UTF-8, capped */
static const char *clean_name(arena *a, const char *in, enum attach_kind k) {
	const char *base = in;
	for (const char *p = in; *p; p++)
		if (*p == '/' || *p == '\\') base = p + 1;
	size_t n = strlen(base);
	if (!n || !utf8_valid(base, n)) return arena_sprintf(a, "file.%s", kind_ext[k]);
	if (n > ATTACH_FILENAME_MAX) n = utf8_prefix(base, ATTACH_FILENAME_MAX, ATTACH_FILENAME_MAX / 4);
	char *o = arena_strndup(a, base, n);
	for (char *p = o; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"') *p = '_';
	return o;
}

static const char *ext_of(const char *name, size_t *n) {
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name) { *n = 0; return ""; }
	*n = strlen(dot + 1);
	return dot + 1;
}

static int refuse(char *msg, size_t msglen, int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int refuse(char *msg, size_t msglen, int status, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return status;
}

int attach_upload(db *d, arena *a, const struct attach_upload *in, struct attachment *out, char *msg, size_t msglen) {
	const struct site *st = site_get();
	if (in->size > (uint64_t)st->attach_max_size)
		return refuse(msg, msglen, 413, "文件太大：每个附件最大 %s 字节。",
		              arena_sprintf(a, "%lld", (long long)st->attach_max_size));
	int64_t limit = attach_daily_limit(in->groupid);
	if (limit > 0) {
		db_stmt *s = db_prep(d, "SELECT COALESCE(SUM(size), 0) FROM attachment WHERE uid = $1 AND created > $2");
		db_bind_int(s, 1, in->uid);
		db_bind_int(s, 2, in->now - 86400);
		int rc = db_step(s);
		int64_t used = rc == DB_ROW ? db_int(s, 0) : 0;
		db_done(s);
		if (rc != DB_ROW) return refuse(msg, msglen, 503, "%s", "数据库暂时不可用，请稍后再试。");
		if (used + (int64_t)in->size > limit)
			return refuse(msg, msglen, 413, "今日上传量已达上限（%s 字节/天），请明天再试。", arena_sprintf(a, "%lld", (long long)limit));
	}
	enum attach_kind k = sniff(in->fd, in->size);
	size_t en;
	const char *ext = ext_of(in->filename, &en);
	enum attach_kind claimed = kind_by_name(ext, en);
	if (claimed && k != claimed && !(is_image_kind(claimed) && is_image_kind(k)))
		return refuse(msg, msglen, 422, "文件内容与扩展名 .%s 不符。", arena_strndup(a, ext, en));
	if (!k) return refuse(msg, msglen, 415, "%s", "不支持这种文件类型。");
	if (!(attach_allowed(in->fid, in->groupid) & (1u << k)))
		return refuse(msg, msglen, 415, "本版块不允许上传 .%s 文件。", kind_ext[k]);
	const char *why;
	struct actor who = {in->uid, in->groupid, NULL, 0};
	if (in->fid && !forum_can_upload(&who, in->fid, &why))
		return refuse(msg, msglen, 403, "%s", why);
	struct image_out img;
	memset(&img, 0, sizeof img);
	if (is_image_kind(k)) {
		int rc = image_process(in->path, k, st->attach_max_pixels, &img);
		if (rc == IMAGE_BOMB)
			return refuse(msg, msglen, 422, "图片像素过多（上限 %s 像素）。", arena_sprintf(a, "%lld", (long long)st->attach_max_pixels));
		if (rc) return refuse(msg, msglen, 422, "%s", "图片已损坏或无法识别。");
	}
	const char *name = clean_name(a, in->filename, k);
	/* a PNG named .jpg keeps its name but gets the right extension for downloads */
	if (claimed != k) name = arena_sprintf(a, "%s.%s", name, kind_ext[k]);
	char h[65], dj[65] = "", dw[65] = "", tj[65] = "", tw[65] = "";
	int status = 503;
	if (db_begin(d)) goto out;
	int bad = img.orig ? blob_put(d, img.orig, img.orig_n, in->now, h) : blob_put_fd(d, in->fd, in->now, h);
	if (!bad && img.disp_jpeg) bad = blob_put(d, img.disp_jpeg, img.disp_jpeg_n, in->now, dj) ||
	                                 blob_put(d, img.disp_webp, img.disp_webp_n, in->now, dw);
	if (!bad && img.thumb_jpeg) bad = blob_put(d, img.thumb_jpeg, img.thumb_jpeg_n, in->now, tj) ||
	                                  blob_put(d, img.thumb_webp, img.thumb_webp_n, in->now, tw);
	int64_t size = img.orig ? (int64_t)img.orig_n : (int64_t)in->size, aid = 0;
	if (!bad) {
		db_stmt *s = db_prep(d, "INSERT INTO attachment(uid, fid, filename, mime, size, hash, is_image, width, height, "
		                        "disp_w, disp_h, disp_jpeg, disp_webp, thumb_jpeg, thumb_webp, created) VALUES ($1, $2, $3, "
		                        "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING aid");
		db_bind_int(s, 1, in->uid);
		db_bind_int(s, 2, in->fid);
		db_bind_text(s, 3, name, -1);
		db_bind_text(s, 4, kind_mime[k], -1);
		db_bind_int(s, 5, size);
		db_bind_text(s, 6, h, -1);
		db_bind_int(s, 7, is_image_kind(k));
		db_bind_int(s, 8, img.width);
		db_bind_int(s, 9, img.height);
		db_bind_int(s, 10, img.disp_w);
		db_bind_int(s, 11, img.disp_h);
		db_bind_text(s, 12, dj, -1);
		db_bind_text(s, 13, dw, -1);
		db_bind_text(s, 14, tj, -1);
		db_bind_text(s, 15, tw, -1);
		db_bind_int(s, 16, in->now);
		bad = db_step(s) != DB_ROW;
		if (!bad) aid = db_int(s, 0);
		db_done(s);
	}
	if (bad || db_commit(d)) {
		db_rollback(d);
		goto out;
	}
	status = 0;
	memset(out, 0, sizeof *out);
	if (attach_get(d, a, aid, out) != 1) status = 503;
out:
	image_out_free(&img);
	if (status) snprintf(msg, msglen, "%s", "保存附件失败，请稍后再试。");
	return status;
}

int attach_store_bytes(db *d, arena *a, int64_t uid, int64_t groupid, const void *data, size_t n, const char *filename,
                       time_t now, struct attachment *out) {
	char path[128];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%.80s/loulan-att-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) return 503;
	int st = write(fd, data, n) == (ssize_t)n ? 0 : 503;
	if (!st) {
		struct attach_upload in = {uid, groupid, 0, path, fd, n, filename, now};
		char msg[256];
		st = attach_upload(d, a, &in, out, msg, sizeof msg);
	}
	close(fd);
	unlink(path);
	return st;
}

#define ATTACH_COLS "a.aid, a.uid, a.pid, a.fid, a.size, a.downloads, a.created, a.is_image, a.width, a.height, " \
	"a.disp_w, a.disp_h, a.filename, a.mime, a.hash, a.disp_jpeg, a.disp_webp, a.thumb_jpeg, a.thumb_webp"

static void attach_row(db_stmt *s, arena *a, struct attachment *o) {
	o->modonly = 0;
	o->aid = db_int(s, 0);
	o->uid = db_int(s, 1);
	o->pid = db_int(s, 2);
	o->fid = db_int(s, 3);
	o->size = db_int(s, 4);
	o->downloads = db_int(s, 5);
	o->created = db_int(s, 6);
	o->is_image = (int)db_int(s, 7);
	o->width = (int)db_int(s, 8);
	o->height = (int)db_int(s, 9);
	o->disp_w = (int)db_int(s, 10);
	o->disp_h = (int)db_int(s, 11);
	o->filename = arena_strdup(a, db_text(s, 12));
	o->mime = arena_strdup(a, db_text(s, 13));
	o->hash = arena_strdup(a, db_text(s, 14));
	o->disp_jpeg = arena_strdup(a, db_text(s, 15));
	o->disp_webp = arena_strdup(a, db_text(s, 16));
	o->thumb_jpeg = arena_strdup(a, db_text(s, 17));
	o->thumb_webp = arena_strdup(a, db_text(s, 18));
}

int attach_get(db *d, arena *a, int64_t aid, struct attachment *out) {
	db_stmt *s = db_prep(d, "SELECT " ATTACH_COLS ", COALESCE(p.fid, 0), COALESCE(p.banned, 0), COALESCE(t.hidden, 0) "
	                        "FROM attachment a LEFT JOIN post p ON p.pid = a.pid AND p.deleted = 0 "
	                        "LEFT JOIN thread t ON t.tid = p.tid WHERE a.aid = $1");
	db_bind_int(s, 1, aid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		attach_row(s, a, out);
		out->post_fid = db_int(s, 19);
		out->modonly = db_int(s, 20) || db_int(s, 21);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int attach_list_post(db *d, arena *a, int64_t pid, struct attachment *out, int max) {
	db_stmt *s = db_prep(d, "SELECT " ATTACH_COLS " FROM attachment a WHERE a.pid = $1 ORDER BY a.aid LIMIT $2");
	db_bind_int(s, 1, pid);
	db_bind_int(s, 2, max);
	int n = 0, rc;
	while ((rc = db_step(s)) == DB_ROW) attach_row(s, a, &out[n++]);
	db_done(s);
	return rc == DB_DONE ? n : -1;
}

int attach_count_download(db *d, int64_t aid) {
	db_stmt *s = db_prep(d, "UPDATE attachment SET downloads = downloads + 1 WHERE aid = $1");
	db_bind_int(s, 1, aid);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

_Static_assert(ATTACH_COUNTS_MAX <= DB_MAX_PARAMS, "one placeholder per aid");

int attach_download_counts(db *d, const int64_t *aids, int n, struct attach_count *out) {
	if (n < 0 || n > ATTACH_COUNTS_MAX) return -1;
	/* one statement text for any n: the unused places are bound to 0, which is no aid */
	db_stmt *s = db_prep(d, "SELECT a.aid, a.downloads, COALESCE(p.fid, 0) FROM attachment a "
	                        "LEFT JOIN post p ON p.pid = a.pid AND p.deleted = 0 AND p.banned = 0 WHERE a.aid IN ("
	                        "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)");
	for (int i = 0; i < ATTACH_COUNTS_MAX; i++) db_bind_int(s, i + 1, i < n ? aids[i] : 0);
	int k = 0, rc;
	while ((rc = db_step(s)) == DB_ROW && k < ATTACH_COUNTS_MAX) {
		out[k].aid = db_int(s, 0);
		out[k].downloads = db_int(s, 1);
		out[k].post_fid = db_int(s, 2);
		k++;
	}
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? k : -1;
}

int attach_album(db *d, arena *a, int64_t uid, int64_t before, int max, struct album_item *out) {
	db_stmt *s = db_prep(d, "SELECT a.aid, a.pid, p.fid, a.created, a.width, a.height, a.filename FROM attachment a "
	                        "JOIN post p ON p.pid = a.pid AND p.deleted = 0 AND p.banned = 0 JOIN thread t ON t.tid = p.tid AND t.hidden = 0 "
	                        "WHERE a.uid = $1 AND a.is_image = 1 AND ($2 = 0 OR a.aid < $2) ORDER BY a.aid DESC LIMIT $3");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, before);
	db_bind_int(s, 3, max);
	int n = 0, rc;
	while ((rc = db_step(s)) == DB_ROW && n < max) {
		out[n].aid = db_int(s, 0);
		out[n].pid = db_int(s, 1);
		out[n].fid = db_int(s, 2);
		out[n].created = db_int(s, 3);
		out[n].width = (int)db_int(s, 4);
		out[n].height = (int)db_int(s, 5);
		out[n].filename = arena_strdup(a, db_text(s, 6));
		n++;
	}
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

/* the row and its blobs, in the caller's transaction */
static int attach_delete(db *d, int64_t aid) {
	db_stmt *s = db_prep(d, "DELETE FROM attachment WHERE aid = $1 RETURNING hash, disp_jpeg, disp_webp, thumb_jpeg, thumb_webp");
	db_bind_int(s, 1, aid);
	int rc = db_step(s);
	char h[5][65] = {"", "", "", "", ""};
	if (rc == DB_ROW)
		for (int i = 0; i < 5; i++) snprintf(h[i], sizeof h[i], "%s", db_text(s, i));
	db_done(s);
	if (rc == DB_ERR) return -1;
	for (int i = 0; i < 5; i++)
		if (blob_unref(d, h[i])) return -1;
	return 0;
}

#define COLLECT_BATCH 100

int attach_collect(db *d, time_t now, int64_t ttl) {
	int64_t ids[COLLECT_BATCH];
	int n = 0, rc;
	/* images a 短消息 shows (pm_attach) stay */
	db_stmt *s = db_prep(d, "SELECT aid FROM attachment WHERE pid = 0 AND created < $1 AND NOT EXISTS "
	                        "(SELECT 1 FROM pm_attach x WHERE x.aid = attachment.aid) ORDER BY aid LIMIT $2");
	db_bind_int(s, 1, now - ttl);
	db_bind_int(s, 2, COLLECT_BATCH);
	while ((rc = db_step(s)) == DB_ROW) ids[n++] = db_int(s, 0);
	db_done(s);
	if (rc == DB_ERR) return -1;
	for (int i = 0; i < n; i++) {
		if (db_begin(d)) return -1;
		/* still unused? (a post may have claimed it since) */
		s = db_prep(d, "SELECT 1 FROM attachment WHERE aid = $1 AND pid = 0");
		db_bind_int(s, 1, ids[i]);
		rc = db_step(s);
		db_done(s);
		if ((rc == DB_ROW && attach_delete(d, ids[i])) || rc == DB_ERR || db_commit(d)) {
			db_rollback(d);
			return -1;
		}
	}
	return n;
}

/* ---- which attachments a post being rendered may use ------------------------ */

#define SCOPE_MAX (ATTACH_MAX_PER_POST_CAP + 8)

struct scope_item { int64_t aid; int ok, used; struct markup_attach m; char name[ATTACH_FILENAME_MAX + 16]; };
struct scope {
	db *d;
	int64_t uid, groupid, fid, pid;
	struct scope_item it[SCOPE_MAX];
	int n, nok;
	int active;
};
static _Thread_local struct scope g_scope;

static struct scope_item *scope_lookup(int64_t aid) {
	struct scope *sc = &g_scope;
	for (int i = 0; i < sc->n; i++)
		if (sc->it[i].aid == aid) return &sc->it[i];
	if (sc->n == SCOPE_MAX) return NULL;
	struct scope_item *it = &sc->it[sc->n++];
	memset(it, 0, sizeof *it);
	it->aid = aid;
	db_stmt *s = db_prep(sc->d, "SELECT uid, pid, is_image, disp_w, disp_h, filename, size, mime FROM attachment WHERE aid = $1");
	db_bind_int(s, 1, aid);
	if (db_step(s) == DB_ROW) {
		int64_t uid = db_int(s, 0), pid = db_int(s, 1);
		enum attach_kind k = attach_kind_of_mime(db_text(s, 7));
		struct actor who = {sc->uid, sc->groupid, NULL, 0};
		it->ok = uid == sc->uid && (pid == 0 || (sc->pid && pid == sc->pid)) &&
		         (pid || !sc->fid || ((attach_allowed(sc->fid, sc->groupid) & (1u << k)) &&
		                              forum_can_upload(&who, sc->fid, NULL)));
		it->m.is_image = (int)db_int(s, 2);
		it->m.width = (int)db_int(s, 3);
		it->m.height = (int)db_int(s, 4);
		snprintf(it->name, sizeof it->name, "%s", db_text(s, 5));
		it->m.filename = it->name;
		it->m.size = db_int(s, 6);
	}
	db_done(s);
	if (it->ok && sc->nok >= site_get()->attach_max_per_post) it->ok = 0;   /* over the limit: stays literal */
	if (it->ok) sc->nok++;
	return it;
}

static int scope_fn(int64_t aid, struct markup_attach *out) {
	struct scope_item *it = scope_lookup(aid);
	if (!it || !it->ok) return 0;
	it->used = 1;
	*out = it->m;
	return 1;
}

void attach_scope_begin(db *d, int64_t uid, int64_t groupid, int64_t fid, int64_t pid, const int64_t *extra, int nextra) {
	struct scope *sc = &g_scope;
	memset(sc, 0, sizeof *sc);
	sc->d = d;
	sc->uid = uid;
	sc->groupid = groupid;
	sc->fid = fid;
	sc->pid = pid;
	sc->active = 1;
	for (int i = 0; i < nextra; i++) scope_lookup(extra[i]);
	if (pid) {   /* the post's own attachments (an edit) */
		int64_t ids[SCOPE_MAX];
		int n = 0;
		db_stmt *s = db_prep(d, "SELECT aid FROM attachment WHERE pid = $1 ORDER BY aid LIMIT $2");
		db_bind_int(s, 1, pid);
		db_bind_int(s, 2, SCOPE_MAX);
		while (db_step(s) == DB_ROW) ids[n++] = db_int(s, 0);
		db_done(s);
		for (int i = 0; i < n; i++) scope_lookup(ids[i]);
	}
	markup_set_attach(scope_fn);
}

int attach_scope_active(void) { return g_scope.active; }

int attach_scope_needed(const char *text, int nextra) { return nextra > 0 || (text && strcasestr(text, "attach")); }

void attach_scope_list(buf *out) {
	struct scope *sc = &g_scope;
	int any = 0;
	for (int i = 0; i < sc->n; i++) {
		struct scope_item *it = &sc->it[i];
		if (!it->ok || it->used) continue;
		if (!any++) buf_puts(out, "<div class=\"att-list\">");
		buf_puts(out, "<div class=\"att-item\">");
		markup_attach_emit(out, it->aid, &it->m, 1);
		buf_puts(out, "</div>");
	}
	if (any) buf_puts(out, "</div>");
}

int attach_scope_aids(int64_t *out, int max) {
	const struct scope *sc = &g_scope;
	int n = 0;
	for (int i = 0; i < sc->n && n < max; i++)
		if (sc->it[i].ok) out[n++] = sc->it[i].aid;
	return n;
}

int attach_scope_claim(db *d, int64_t pid) {
	struct scope *sc = &g_scope;
	if (!sc->active) return 0;
	for (int i = 0; i < sc->n; i++) {
		if (!sc->it[i].ok) continue;
		db_stmt *s = db_prep(d, "UPDATE attachment SET pid = $1, fid = (SELECT fid FROM post WHERE pid = $1) "
		                        "WHERE aid = $2 AND uid = $3 AND pid IN (0, $1)");
		db_bind_int(s, 1, pid);
		db_bind_int(s, 2, sc->it[i].aid);
		db_bind_int(s, 3, sc->uid);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return -1;
	}
	return 0;
}

void attach_scope_end(void) {
	memset(&g_scope, 0, sizeof g_scope);
	markup_set_attach(NULL);
}

/* ---- avatars -------------------------------------------------------------------- */

int avatar_set(db *d, int64_t uid, int fd, uint64_t size, const char *path, time_t now, char *msg, size_t msglen) {
	static const int sizes[3] = ATTACH_AVATAR_SIZES;
	if (!is_image_kind(sniff(fd, size)))   /* the loader is chosen by the content: only these four */
		return refuse(msg, msglen, 422, "%s", "无法识别这张图片（支持 JPEG、PNG、GIF、WebP）。");
	void *png[3] = {NULL, NULL, NULL};
	size_t n[3] = {0, 0, 0};
	int rc = image_avatar(path, site_get()->attach_max_pixels, sizes, 3, png, n);
	if (rc == -2) return refuse(msg, msglen, 422, "%s", "图片像素过多。");
	if (rc) return refuse(msg, msglen, 422, "%s", "无法识别这张图片（支持 JPEG、PNG、GIF、WebP）。");
	char h[3][65], old[3][65] = {"", "", ""};
	int status = 503;
	if (db_begin(d)) goto out;
	db_stmt *s = db_prep(d, "SELECT s48, s120, s200 FROM avatar WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int r = db_step(s);
	if (r == DB_ROW)
		for (int i = 0; i < 3; i++) snprintf(old[i], sizeof old[i], "%s", db_text(s, i));
	db_done(s);
	int bad = r == DB_ERR;
	for (int i = 0; i < 3 && !bad; i++) bad = blob_put(d, png[i], n[i], now, h[i]);
	if (!bad) {
		s = db_prep(d, "INSERT INTO avatar(uid, s48, s120, s200, updated) VALUES ($1, $2, $3, $4, $5) "
		               "ON CONFLICT(uid) DO UPDATE SET s48 = $2, s120 = $3, s200 = $4, updated = $5");
		db_bind_int(s, 1, uid);
		db_bind_text(s, 2, h[0], -1);
		db_bind_text(s, 3, h[1], -1);
		db_bind_text(s, 4, h[2], -1);
		db_bind_int(s, 5, now);
		bad = db_step(s) != DB_DONE;
		db_done(s);
	}
	for (int i = 0; i < 3 && !bad; i++) bad = blob_unref(d, old[i]);
	if (bad || db_commit(d)) {
		db_rollback(d);
		goto out;
	}
	status = 0;
out:
	for (int i = 0; i < 3; i++) free(png[i]);
	if (status) snprintf(msg, msglen, "%s", "保存头像失败，请稍后再试。");
	return status;
}

int avatar_get(db *d, int64_t uid, int px, char hash[65], int64_t *updated) {
	db_stmt *s = db_prep(d, "SELECT s48, s120, s200, updated FROM avatar WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		snprintf(hash, 65, "%s", db_text(s, px <= 48 ? 0 : px <= 120 ? 1 : 2));
		if (updated) *updated = db_int(s, 3);
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* an old Discuz! attachment file path (relative to data/attachment/forum/) -> the aid it became
   (legacy_path, filled by import-discuz): 1 found, 0 not, -1 error */
int attach_legacy_aid(db *d, const char *path, int64_t *aid) {
	db_stmt *s = db_prep(d, "SELECT aid FROM legacy_path WHERE path = $1");
	db_bind_text(s, 1, path, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *aid = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
