/*
** attach: attachments (issue #13). The rules and limits of an upload, the
** `attachment` rows, which post may use which attachment, and the renderer's
** [attach]N lookups. Bytes live in blobs (blob.c: content-addressed SHA-256,
** in the database in 256 KiB chunks, or in an S3 bucket); images are decoded,
** cleaned and resized by libvips (image.c) before any write transaction.
** See docs/HACKING.md "Attachments, images, avatars".
*/
#ifndef LOULAN_ATTACH_H
#define LOULAN_ATTACH_H
#include "db/db.h"
#include "forum/forum.h"
#include "util/arena.h"
#include "util/buf.h"
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ATTACH_MAX_SIZE_CAP (64 << 20)   /* attach.max_size's upper bound (= HTTP_MAX_UPLOAD) */
#define ATTACH_MAX_PER_POST_CAP 100      /* attach.max_per_post's upper bound */
#define ATTACH_FILENAME_MAX 180          /* bytes of a kept file name (longer ones are cut at a character) */
#define ATTACH_RULES_MAX 64              /* entries of attach.daily_bytes / attach.types_* */
#define ATTACH_DISPLAY_PX 1600           /* the display derivative's long side */
#define ATTACH_THUMB_PX 300              /* the thumbnail's long side */
#define ATTACH_AVATAR_SIZES {48, 120, 200}
#define BLOB_CHUNK (256u << 10)          /* bytes per blob_chunk row */
#define ATTACH_KINDS "jpg png gif webp zip rar 7z pdf txt"

enum attach_kind { AK_NONE = 0, AK_JPG, AK_PNG, AK_GIF, AK_WEBP, AK_ZIP, AK_RAR, AK_7Z, AK_PDF, AK_TXT, AK_N };

/* the attach.* strings of a settings snapshot, parsed at load */
struct attach_rule { int64_t key, val; };
struct attach_rules {
	unsigned types;                      /* attach.types: bit k = enum attach_kind k */
	struct attach_rule board[ATTACH_RULES_MAX], group[ATTACH_RULES_MAX], daily[ATTACH_RULES_MAX];
	int nboard, ngroup, ndaily;
	int64_t daily_default;
};
struct site;
struct attach_rules *attach_rules_parse(const struct site *s);
void attach_rules_free(struct attach_rules *r);
int attach_check_daily(const char *v, struct forum_err *e);
int attach_check_types(const char *v, struct forum_err *e);
int attach_check_types_map(const char *v, struct forum_err *e);
int blob_check_store(const char *v, struct forum_err *e);
enum attach_kind attach_kind_of_mime(const char *mime);
unsigned attach_allowed(int64_t fid, int64_t groupid);   /* kinds allowed for board fid (0: none) and group */
int64_t attach_daily_limit(int64_t groupid);             /* 0: no limit */

/* the kind of the file at fd by its content (not its name; AK_NONE: none loulan knows), its MIME type,
   whether it is an image kind (for bulk writers: the Discuz! importer) */
enum attach_kind attach_sniff(int fd, uint64_t size);
const char *attach_mime(enum attach_kind k);
int attach_is_image_kind(enum attach_kind k);

/* ---- blobs ---------------------------------------------------------------- */
/* Stores n bytes (or the file at fd) under their SHA-256 (hex into hash[65]) with one more
** reference; inside the caller's transaction. Deduplicated: known bytes only count a reference.
** With blob.store = s3 the bytes go to the bucket first. 0, or -1. */
int blob_put(db *d, const void *data, size_t n, time_t now, char hash[65]);
int blob_put_fd(db *d, int fd, time_t now, char hash[65]);
int blob_unref(db *d, const char *hash);                 /* one reference fewer; the last deletes */
/* The whole blob, malloc'd (*n its size): 1, 0 unknown, -1 error. */
int blob_get(db *d, const char *hash, void **data, size_t *n);
void blob_sha256_hex(const void *data, size_t n, char hash[65]);
/* size and store of a blob: 1, 0 unknown, -1 error */
int blob_stat(db *d, const char *hash, size_t *size, int *s3);
/* chunk seq of a database blob into out (BLOB_CHUNK bytes of room), *n its length: 0 or -1 */
int blob_chunk_get(db *d, const char *hash, int64_t seq, void *out, size_t *n);
/* `loulan blobs migrate`: blobs not yet in store to ("db" or "s3"), and moving one of them
** (1 moved, 0 none left, -1 with err) */
int blob_migrate_count(db *d, const char *to, int64_t *n);
int blob_migrate_one(db *d, const char *to, time_t now, struct forum_err *e);

/* ---- images (libvips) ---------------------------------------------------- */
struct image_out {
	enum attach_kind kind;
	int width, height, frames;
	void *orig; size_t orig_n;           /* the served original: metadata stripped, orientation applied */
	int disp_w, disp_h;                  /* display size (<= ATTACH_DISPLAY_PX) */
	void *disp_jpeg, *disp_webp, *thumb_jpeg, *thumb_webp;
	size_t disp_jpeg_n, disp_webp_n, thumb_jpeg_n, thumb_webp_n;
};
enum { IMAGE_OK = 0, IMAGE_BOMB = 1, IMAGE_BAD = 2 };
/* Decodes the image at path (kind from its content), refusing more than max_pixels by its header
** before decoding; fills o (free with image_out_free). */
int image_process(const char *path, enum attach_kind kind, int64_t max_pixels, struct image_out *o);
/* Square avatar PNG of px pixels from the image at path (centre crop): malloc'd, 0 or -1. */
int image_avatar(const char *path, int64_t max_pixels, const int *sizes, int nsizes, void **out, size_t *outn);
void image_out_free(struct image_out *o);
/* A demo picture: a gradient with text, JPEG, malloc'd. */
int image_demo(int w, int h, const char *text, void **out, size_t *n);

/* ---- attachments ---------------------------------------------------------- */
struct attachment {
	int64_t aid, uid, pid, fid, size, downloads, created;
	int is_image, width, height, disp_w, disp_h;
	const char *filename, *mime, *hash, *disp_jpeg, *disp_webp, *thumb_jpeg, *thumb_webp;
	int64_t post_fid;                    /* the board of the post using it (0: unused) */
	int modonly;                         /* its post is 屏蔽 or its thread in the recycle bin: moderators only */
};
struct attach_upload {
	int64_t uid, groupid, fid;           /* fid: the board it is meant for, or 0 */
	const char *path; int fd; uint64_t size; const char *filename;
	time_t now;
};
/* An upload: checks every limit, decodes images, stores the blobs and the row.
** 0 (out filled from a), or an HTTP status (403, 413, 415, 422, 503) with msg. */
int attach_upload(db *d, arena *a, const struct attach_upload *in, struct attachment *out, char *msg, size_t msglen);
/* attach_upload of n bytes in memory (the demo, importers): 0 or an HTTP status */
int attach_store_bytes(db *d, arena *a, int64_t uid, int64_t groupid, const void *data, size_t n, const char *filename,
                       time_t now, struct attachment *out);
/* 1 found, 0 not, -1 error */
int attach_get(db *d, arena *a, int64_t aid, struct attachment *out);
int attach_count_download(db *d, int64_t aid);
/* Discuz!'s data/attachment/forum/PATH (legacy_path, import-discuz) -> aid: 1 found, 0 not, -1 error */
#define ATTACH_LEGACY_PATH_MAX 255
int attach_legacy_aid(db *d, const char *path, int64_t *aid);
/* download counts of up to ATTACH_COUNTS_MAX aids in one query: for each found aid (in any
** order) aid, downloads and the board of the post using it (0: unused, its post deleted or 屏蔽);
** how many rows, or -1 */
#define ATTACH_COUNTS_MAX 30   /* aids per counts request (one placeholder each: <= DB_MAX_PARAMS) */
struct attach_count { int64_t aid, downloads, post_fid; };
int attach_download_counts(db *d, const int64_t *aids, int n, struct attach_count *out);
/* the attachments post pid uses, at most max, in upload order: how many, or -1 */
int attach_list_post(db *d, arena *a, int64_t pid, struct attachment *out, int max);
/* a member's gallery (/u/{uid}/album): uid's images in posts not deleted nor 屏蔽 of threads not hidden,
** newest first, aid < before (0: from the newest), at most max; the caller filters by board */
#define ATTACH_ALBUM_PER_PAGE 24
struct album_item { int64_t aid, pid, fid, created; int width, height; const char *filename; };
int attach_album(db *d, arena *a, int64_t uid, int64_t before, int max, struct album_item *out);   /* how many, or -1 */
/* Deletes uploads no post uses that are older than ttl seconds; returns how many, or -1. */
int attach_collect(db *d, time_t now, int64_t ttl);

/* While forum_cook renders a post of uid: [attach]N and attach:N resolve to uid's
** attachments that are unused or already the post's (pid, 0 for a new post); extra aids
** (sent with the form) and the post's others are listed under it. attach_scope_claim,
** inside the write's transaction (forum/posting.c), then gives them all to the post. One scope per thread. */
void attach_scope_begin(db *d, int64_t uid, int64_t groupid, int64_t fid, int64_t pid, const int64_t *extra, int nextra);
/* 0 when a new post of TEXT with NEXTRA uploads sent needs no scope: nothing sent, and no [attach]N nor
** attach:N in the text (any "attach", any case, counts: it may be rendered on another thread, issue 16) */
int attach_scope_needed(const char *text, int nextra);
int attach_scope_claim(db *d, int64_t pid);   /* 0 or -1; no-op without a scope */
void attach_scope_end(void);
int attach_scope_active(void);
/* forum_cook's hook: the listing appended to the post's HTML */
void attach_scope_list(buf *out);
/* the aids the scope would give the post (placed by the text or sent with it), at most max: how many */
int attach_scope_aids(int64_t *out, int max);

/* ---- avatars ---------------------------------------------------------------- */
/* Stores uid's avatar from the image at path; 0, or an HTTP status with msg. */
int avatar_set(db *d, int64_t uid, int fd, uint64_t size, const char *path, time_t now, char *msg, size_t msglen);
/* The blob hash of uid's avatar at size px (48, 120, 200): 1 found (hash[65]), 0 none, -1 error. */
int avatar_get(db *d, int64_t uid, int px, char hash[65], int64_t *updated);
#endif
