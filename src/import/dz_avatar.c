/*
** dz_avatar: members' avatars of import-discuz (FACTS.md §2.9, the end).
**
** Discuz! keeps avatars as files, not rows: UCenter's
** uc_server/data/avatar/AAA/BB/CC/DD_avatar_{big|middle|small}.jpg, where
** the uid printed as nine digits ("%09d") is split 3/2/2/2 (uid 1: 000/00/00/01_avatar_big.jpg);
** an UC_STANDALONE site has the same tree under data/avatar/. The _real
** variants (the uncropped upload) are left alone. --avatars DIR names the
** directory holding 000/...; with --discuz-root alone it is
** ROOT/uc_server/data/avatar if that exists, else ROOT/data/avatar.
**
** For each imported member (a keyset over common_member + _archive uids,
** resumable like the other stages) the biggest file there is (big, else
** middle, else small) goes through loulan's avatar pipeline as an upload
** does (avatar_set: the kind from the content, decoded by libvips outside
** the write, PNG squares of ATTACH_AVATAR_SIZES). No file is the common case
** (counted, not listed); a file libvips refuses is listed in the report. An
** avatar is an upsert of the member's row, so a batch done again after
** --resume replaces it with the same picture: nothing doubles.
*/
#include "import/dz_extra.h"
#include "forum/attach.h"
#include "forum/site.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DZ_AVATAR_PATH_MAX 4096   /* bytes of an avatar file's full path */

/* the directory holding 000/...: --avatars, else under --discuz-root; NULL when neither */
static const char *avatar_dir(struct imp *im, char *tmp, size_t n) {
	const struct imp_opts *o = imp_opts(im);
	if (o->avatars) return o->avatars;
	if (!o->discuz_root) return NULL;
	struct stat st;
	if (snprintf(tmp, n, "%s/uc_server/data/avatar", o->discuz_root) < (int)n && !stat(tmp, &st) && S_ISDIR(st.st_mode))
		return tmp;
	return snprintf(tmp, n, "%s/data/avatar", o->discuz_root) < (int)n ? tmp : NULL;
}

/* uid's biggest avatar file under dir, opened: its fd (path and size set), or -1 when there is none */
static int avatar_open(const char *dir, int64_t uid, char *path, size_t n, uint64_t *size) {
	static const char *const sizes[] = {"big", "middle", "small"};
	char id[32];
	snprintf(id, sizeof id, "%09lld", (long long)uid);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		if (snprintf(path, n, "%s/%.3s/%.2s/%.2s/%s_avatar_%s.jpg", dir, id, id + 3, id + 5, id + 7, sizes[i]) >= (int)n)
			return -1;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) continue;
		struct stat st;
		if (!fstat(fd, &st) && S_ISREG(st.st_mode)) {
			*size = (uint64_t)st.st_size;
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* the counts of the runs so far (files found, avatars refused), kept across --resume */
#define DZ_AVATAR_COUNTS "avatars:files"

int dz_avatars(struct imp *im) {
	char tmp[DZ_AVATAR_PATH_MAX];
	const char *dir = avatar_dir(im, tmp, sizeof tmp);
	const char *cm = imp_table(im, "common_member"), *arch = imp_table(im, "common_member_archive");
	if (!cm) return 0;
	struct stat ds;
	if (!dir || stat(dir, &ds) || !S_ISDIR(ds.st_mode)) {
		if (dir) imp_warn(im, "avatars: \"%s\" is not a directory: no avatar imported", dir);
		else imp_warn(im, "avatars: no --avatars DIR (the site's uc_server/data/avatar) given: no avatar imported");
		return 0;
	}
	buf sql;
	buf_init(&sql, 0);
	if (arch)
		dz_sql(&sql, "SELECT uid FROM (SELECT uid FROM ", cm, " WHERE uid > ? UNION ALL SELECT uid FROM ", arch,
		       " WHERE uid > ?) x ORDER BY uid LIMIT ?", NULL);
	else
		dz_sql(&sql, "SELECT uid FROM ", cm, " WHERE uid > ? ORDER BY uid LIMIT ?", NULL);
	struct imp_keyset k;
	int rc = imp_keyset_open(im, &k, "avatars", buf_cstr(&sql), arch ? "KKL" : "KL");
	buf_release(&sql);
	if (!rc) k.total = imp_count_of(im, cm, "COUNT(*)") + (arch ? imp_count_of(im, arch, "COUNT(*)") : 0);
	db *d = imp_db(im);
	int64_t max_size = site_get()->attach_max_size;
	while (rc == 0 && (rc = imp_keyset_next(&k)) > 0) {
		int n = rc, found = 0, refused = 0;
		rc = 0;
		for (int r = 0; r < n && !rc; r++) {   /* each avatar_set decodes first, then writes in its own transaction */
			int64_t uid = imp_int(&k.rows, r, 0);
			if (!imp_has(im, IMP_UID, uid)) continue;
			char path[DZ_AVATAR_PATH_MAX], msg[256];
			uint64_t size = 0;
			int fd = avatar_open(dir, uid, path, sizeof path, &size);
			if (fd < 0) continue;
			found++;
			int st = size > (uint64_t)max_size ? 413 : avatar_set(d, uid, fd, size, path, time(NULL), msg, sizeof msg);
			close(fd);
			if (st == 413 || st == 422) {
				refused++;
				imp_report_list(im, "avatars: files that are not a usable image (skipped)", "uid %lld %s: %s", (long long)uid,
				                path, st == 413 ? "larger than attach.max_size" : "not a decodable image (or over attach.max_pixels)");
			} else if (st) {
				rc = imp_fail(im, "avatars: uid %lld: cannot store the avatar: %s", (long long)uid, db_errmsg(d));
			}
		}
		if (rc) break;
		struct imp_state c;
		if ((rc = imp_begin(im))) break;
		int got = imp_state_get(im, DZ_AVATAR_COUNTS, &c);
		if (got <= 0) memset(&c, 0, sizeof c);
		c.nrows += found;
		c.lastkey += refused;
		if (got < 0 || imp_state_put(im, DZ_AVATAR_COUNTS, &c)) {
			imp_rollback(im);
			rc = -1;
			break;
		}
		rc = imp_keyset_commit(&k);
	}
	imp_keyset_close(&k);
	if (rc < 0) return -1;
	struct imp_state c;
	if (imp_state_get(im, DZ_AVATAR_COUNTS, &c) <= 0) memset(&c, 0, sizeof c);
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM avatar");
	int64_t stored = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	imp_report_count(im, "avatars: members with a file -> avatar", c.nrows, stored);
	if (c.lastkey) imp_warn(im, "avatars: %lld file(s) not a usable image, listed below", (long long)c.lastkey);
	return 0;
}
