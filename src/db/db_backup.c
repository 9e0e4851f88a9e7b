/*
** db_backup: a gzip'd, consistent copy of a SQLite forum while it serves and
** writes, and its atomic restore. SQLite only (PostgreSQL has pg_dump).
**
** Backup: SQLite's online backup API copies DIR/loulan.db into a temporary
** database file in one step, that is inside one read transaction: in WAL mode
** writers go on meanwhile, and the copy is the database as of the moment the
** step began (every transaction committed before it, none after). The copy is
** checked (PRAGMA integrity_check), gzip'd (zlib, streaming) into FILE.tmp.XXXXXX,
** fsync'd and renamed to FILE.
**
** Restore: FILE is gunzip'd (it must be gzip, with a good CRC and length) into
** DIR/.loulan.db.restore.XXXXXX, checked (integrity_check and a migration
** table), fsync'd, then renamed over DIR/loulan.db; the old database's -wal
** and -shm files are removed first so that no stale log is replayed onto the
** restored file. A DIR that holds a forum is refused unless force is set.
** Knows nothing of the forum's rules.
*/
#include "db/db.h"
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define BACKUP_CHUNK (64 * 1024)
#define BACKUP_BUSY_MS 10000
#define BACKUP_PATH_MAX 4096

static int path_join(char *out, const char *dir, const char *name, char *err, size_t errlen) {
	int n = snprintf(out, BACKUP_PATH_MAX, "%s/%s", dir, name);
	if (n < 0 || n >= BACKUP_PATH_MAX) {
		snprintf(err, errlen, "path too long: %s/%s", dir, name);
		return -1;
	}
	return 0;
}

/* fsync the directory holding path, so that a rename survives a power cut */
static void fsync_dir_of(const char *path) {
	char dir[BACKUP_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash) snprintf(dir, sizeof dir, ".");
	else if (slash == dir) dir[1] = 0;
	else *slash = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* PRAGMA integrity_check on an open file: 0 when "ok", else -1 with the first complaint */
static int check_sqlite(sqlite3 *c, const char *what, char *err, size_t errlen) {
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		snprintf(err, errlen, "%s is not a readable SQLite database: %s", what, sqlite3_errmsg(c));
		sqlite3_finalize(st);
		return -1;
	}
	const char *r = (const char *)sqlite3_column_text(st, 0);
	int ok = r && !strcmp(r, "ok");
	if (!ok) snprintf(err, errlen, "%s fails the integrity check: %s", what, r ? r : "?");
	sqlite3_finalize(st);
	if (!ok) return -1;
	/* a loulan database has its migration table */
	st = NULL;
	rc = sqlite3_prepare_v2(c, "SELECT COUNT(*) FROM migration", -1, &st, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_step(st);
	ok = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
	sqlite3_finalize(st);
	if (!ok) {
		snprintf(err, errlen, "%s is a SQLite database but not a loulan forum (no migrations)", what);
		return -1;
	}
	return 0;
}

/* gzip src (a file) into the open descriptor fd; 0 or -1 */
static int gzip_into(const char *src, int fd, char *err, size_t errlen) {
	FILE *in = fopen(src, "rb");
	if (!in) {
		snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
		return -1;
	}
	int gfd = dup(fd);
	gzFile gz = gfd >= 0 ? gzdopen(gfd, "wb6") : NULL;
	if (!gz) {
		if (gfd >= 0) close(gfd);
		fclose(in);
		snprintf(err, errlen, "cannot start gzip: %s", strerror(errno));
		return -1;
	}
	char *b = malloc(BACKUP_CHUNK);
	int rc = b ? 0 : -1;
	size_t n;
	while (!rc && (n = fread(b, 1, BACKUP_CHUNK, in)) > 0)
		if (gzwrite(gz, b, (unsigned)n) != (int)n) rc = -1;
	if (ferror(in)) rc = -1;
	if (gzclose(gz) != Z_OK) rc = -1;
	free(b);
	fclose(in);
	if (rc) snprintf(err, errlen, "cannot write the gzip'd backup: %s", strerror(errno ? errno : EIO));
	return rc;
}

int db_backup_sqlite(const char *data_dir, const char *file, char *err, size_t errlen) {
	char src[BACKUP_PATH_MAX], snap[BACKUP_PATH_MAX + 32], tmp[BACKUP_PATH_MAX + 32];
	if (path_join(src, data_dir, "loulan.db", err, errlen)) return -1;
	if (access(src, R_OK)) {
		snprintf(err, errlen, "no forum in %s (%s: %s)", data_dir, src, strerror(errno));
		return -1;
	}
	int n1 = snprintf(snap, sizeof snap, "%s.snap.XXXXXX", file);
	int n2 = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", file);
	if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof snap || (size_t)n2 >= sizeof tmp) {
		snprintf(err, errlen, "path too long: %s", file);
		return -1;
	}
	int sfd = mkstemp(snap);
	if (sfd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", snap, strerror(errno));
		return -1;
	}
	close(sfd);
	int fd = -1, rc = -1;
	sqlite3 *in = NULL, *out = NULL;
	/* read-write so that the WAL index can be used while a server writes */
	if (sqlite3_open_v2(src, &in, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_open_v2(snap, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", in ? snap : src, sqlite3_errmsg(out ? out : in));
		goto out;
	}
	sqlite3_busy_timeout(in, BACKUP_BUSY_MS);
	sqlite3_backup *bk = sqlite3_backup_init(out, "main", in, "main");
	if (!bk) {
		snprintf(err, errlen, "cannot start the backup: %s", sqlite3_errmsg(out));
		goto out;
	}
	/* -1: every page in one step, under one read transaction (a consistent snapshot) */
	int st;
	while ((st = sqlite3_backup_step(bk, -1)) == SQLITE_BUSY || st == SQLITE_LOCKED) sqlite3_sleep(50);
	sqlite3_backup_finish(bk);
	if (st != SQLITE_DONE) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(st));
		goto out;
	}
	/* the copy becomes a standalone rollback-journal file (no -wal beside it) */
	if (sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK ||
	    check_sqlite(out, "the backup copy", err, errlen))
		goto out;
	sqlite3_close(out);
	out = NULL;
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (gzip_into(snap, fd, err, errlen)) goto out;
	if (fsync(fd) || fchmod(fd, 0600)) {
		snprintf(err, errlen, "cannot sync %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, file)) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, file, strerror(errno));
		goto out;
	}
	fsync_dir_of(file);
	rc = 0;
out:
	if (fd >= 0) close(fd);
	if (rc && fd >= 0) unlink(tmp);
	sqlite3_close(out);
	sqlite3_close(in);
	unlink(snap);
	return rc;
}

/* gunzip file into the open descriptor fd; refuses what is not gzip; 0 or -1 */
static int gunzip_into(const char *file, int fd, char *err, size_t errlen) {
	int gfd = open(file, O_RDONLY);
	if (gfd < 0) {
		snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
		return -1;
	}
	gzFile gz = gzdopen(gfd, "rb");
	if (!gz) {
		close(gfd);
		snprintf(err, errlen, "cannot read %s", file);
		return -1;
	}
	char *b = malloc(BACKUP_CHUNK);
	int rc = b ? 0 : -1, n, first = 1;
	while (!rc && (n = gzread(gz, b, BACKUP_CHUNK)) != 0) {
		if (n < 0) {
			int zerr;
			snprintf(err, errlen, "%s is damaged: %s", file, gzerror(gz, &zerr));
			rc = -1;
			break;
		}
		if (first && gzdirect(gz)) {
			snprintf(err, errlen, "%s is not a gzip'd loulan backup", file);
			rc = -1;
			break;
		}
		first = 0;
		for (int off = 0; !rc && off < n;) {
			ssize_t w = write(fd, b + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR) continue;
			if (w <= 0) {
				snprintf(err, errlen, "cannot write the restored database: %s", strerror(errno));
				rc = -1;
			} else {
				off += (int)w;
			}
		}
	}
	if (!rc && first) {
		snprintf(err, errlen, "%s is empty", file);
		rc = -1;
	}
	int zrc = gzclose(gz);  /* Z_BUF_ERROR: the stream ended early (a truncated file) */
	if (!rc && zrc != Z_OK) {
		snprintf(err, errlen, "%s is truncated or damaged (gzip)", file);
		rc = -1;
	}
	free(b);
	return rc;
}

int db_restore_sqlite(const char *file, const char *data_dir, int force, char *err, size_t errlen) {
	char dst[BACKUP_PATH_MAX], tmp[BACKUP_PATH_MAX], side[BACKUP_PATH_MAX + 8];
	if (path_join(dst, data_dir, "loulan.db", err, errlen) ||
	    path_join(tmp, data_dir, ".loulan.db.restore.XXXXXX", err, errlen))
		return -1;
	if (access(file, R_OK)) {
		snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
		return -1;
	}
	if (mkdir(data_dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", data_dir, strerror(errno));
		return -1;
	}
	snprintf(side, sizeof side, "%s-wal", dst);
	if (!force && (!access(dst, F_OK) || !access(side, F_OK))) {
		snprintf(err, errlen, "%s already holds a forum; restore with --force to replace it "
		         "(stop the server on it first)", data_dir);
		return -1;
	}
	int fd = mkstemp(tmp), rc = -1;
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	sqlite3 *c = NULL;
	if (gunzip_into(file, fd, err, errlen)) goto out;
	if (fsync(fd)) {
		snprintf(err, errlen, "cannot sync %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (sqlite3_open_v2(tmp, &c, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "the backup is not a SQLite database: %s", sqlite3_errmsg(c));
		goto out;
	}
	if (check_sqlite(c, "the backup", err, errlen)) goto out;
	sqlite3_close(c);
	c = NULL;
	/* no log of the old database may be replayed onto the new file */
	static const char *const sides[] = {"-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
		snprintf(side, sizeof side, "%s%s", dst, sides[i]);
		if (unlink(side) && errno != ENOENT) {
			snprintf(err, errlen, "cannot remove %s: %s", side, strerror(errno));
			goto out;
		}
	}
	if (rename(tmp, dst)) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, dst, strerror(errno));
		goto out;
	}
	fsync_dir_of(dst);
	rc = 0;
out:
	sqlite3_close(c);
	close(fd);
	if (rc) unlink(tmp);
	return rc;
}
