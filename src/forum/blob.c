/*
** blob: content-addressed bytes (SHA-256, hex). In the database by default:
** one `blob` row and its `blob_chunk` rows of BLOB_CHUNK bytes each, stored as
** base64 text so that one schema serves SQLite and PostgreSQL and `loulan copy`
** moves them like any text (a third more space than raw bytes). With
** blob.store = s3 new bytes go to the bucket (blob_s3.c) and the row only
** records where. refs counts the attachment and avatar columns naming a blob:
** identical uploads share one copy; the last reference deletes it.
*/
#include "forum/attach.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/blob_s3.h"
#include "util/die.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void blob_sha256_hex(const void *data, size_t n, char hash[65]) {
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(hash, 65, h, sizeof h);
}

/* one more reference: 1 the blob is new (its bytes must be written), 0 known, -1 error */
static int blob_ref(db *d, const char *hash, size_t n, const char *store, time_t now) {
	db_stmt *s = db_prep(d, "INSERT INTO blob(hash, size, nchunks, store, refs, created) VALUES ($1, $2, $3, $4, 1, $5) "
	                        "ON CONFLICT(hash) DO UPDATE SET refs = blob.refs + 1 RETURNING refs");
	db_bind_text(s, 1, hash, -1);
	db_bind_int(s, 2, (int64_t)n);
	db_bind_int(s, 3, !strcmp(store, "db") ? (int64_t)((n + BLOB_CHUNK - 1) / BLOB_CHUNK) : 0);
	db_bind_text(s, 4, store, -1);
	db_bind_int(s, 5, now);
	int rc = db_step(s);
	int64_t refs = rc == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return refs < 0 ? -1 : refs == 1;
}

static int chunk_put(db *d, const char *hash, int64_t seq, const void *data, size_t n) {
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(cap);
	sodium_bin2base64(b64, cap, data, n, sodium_base64_VARIANT_ORIGINAL);
	db_stmt *s = db_prep(d, "INSERT INTO blob_chunk(hash, seq, data) VALUES ($1, $2, $3)");
	db_bind_text(s, 1, hash, -1);
	db_bind_int(s, 2, seq);
	db_bind_text(s, 3, b64, -1);
	int rc = db_step(s);
	db_done(s);
	free(b64);
	return rc == DB_DONE ? 0 : -1;
}

static const char *store_now(void) {
	const struct site *st = site_get();
	return st && st->blob_store && !strcmp(st->blob_store, "s3") ? "s3" : "db";
}

/* every chunk of n bytes (one empty chunk for an empty blob) */
static int chunks_put(db *d, const char *hash, const void *data, size_t n) {
	const unsigned char *p = data;
	for (size_t off = 0, seq = 0; off < n || (n == 0 && seq == 0); off += BLOB_CHUNK, seq++) {
		size_t len = n - off < BLOB_CHUNK ? n - off : BLOB_CHUNK;
		if (chunk_put(d, hash, (int64_t)seq, p + off, len)) return -1;
		if (!n) break;
	}
	return 0;
}

int blob_put(db *d, const void *data, size_t n, time_t now, char hash[65]) {
	blob_sha256_hex(data, n, hash);
	const char *store = store_now();
	if (!strcmp(store, "s3") && blob_s3_put(site_get(), hash, data, n)) return -1;
	int fresh = blob_ref(d, hash, n, store, now);
	if (fresh <= 0 || !strcmp(store, "s3")) return fresh < 0 ? -1 : 0;
	return chunks_put(d, hash, data, n);
}

int blob_migrate_count(db *d, const char *to, int64_t *n) {
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM blob WHERE store <> $1");
	db_bind_text(s, 1, to, -1);
	int rc = db_step(s);
	*n = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	return rc == DB_ROW ? 0 : -1;
}

/* one blob not in store `to` moved there: 1, 0 none left, -1 (err) */
int blob_migrate_one(db *d, const char *to, time_t now, struct forum_err *e) {
	(void)now;
	char hash[65] = "";
	db_stmt *s = db_prep(d, "SELECT hash FROM blob WHERE store <> $1 ORDER BY hash LIMIT 1");
	db_bind_text(s, 1, to, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) snprintf(hash, sizeof hash, "%s", db_text(s, 0));
	db_done(s);
	if (rc != DB_ROW) {
		if (rc == DB_ERR) forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d));
		return rc == DB_DONE ? 0 : -1;
	}
	void *data;
	size_t n;
	if (blob_get(d, hash, &data, &n) != 1) {
		forum_fail(e, FORUM_E_DB, "cannot read blob %s", hash);
		return -1;
	}
	int to_s3 = !strcmp(to, "s3");
	if (to_s3 && blob_s3_put(site_get(), hash, data, n)) {
		free(data);
		forum_fail(e, FORUM_E_INVALID, "cannot upload blob %s to the bucket (see the blob.s3_* settings)", hash);
		return -1;
	}
	int bad = db_begin(d);
	if (!bad && to_s3) {
		s = db_prep(d, "DELETE FROM blob_chunk WHERE hash = $1");
		db_bind_text(s, 1, hash, -1);
		bad = db_step(s) != DB_DONE;
		db_done(s);
	} else if (!bad) {
		bad = chunks_put(d, hash, data, n);
	}
	if (!bad) {
		s = db_prep(d, "UPDATE blob SET store = $2, nchunks = $3 WHERE hash = $1");
		db_bind_text(s, 1, hash, -1);
		db_bind_text(s, 2, to, -1);
		db_bind_int(s, 3, to_s3 ? 0 : (int64_t)((n + BLOB_CHUNK - 1) / BLOB_CHUNK));
		bad = db_step(s) != DB_DONE;
		db_done(s);
	}
	free(data);
	if (bad || db_commit(d)) {
		forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d));
		db_rollback(d);
		return -1;
	}
	if (!to_s3) blob_s3_delete(site_get(), hash);
	return 1;
}

/* the file at fd, never whole in memory: hashed in one pass, then stored a chunk at a time */
int blob_put_fd(db *d, int fd, time_t now, char hash[65]) {
	unsigned char *chunk = xmalloc(BLOB_CHUNK);
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	size_t total = 0;
	ssize_t r;
	int rc = -1;
	while ((r = pread(fd, chunk, BLOB_CHUNK, (off_t)total)) > 0) {
		crypto_hash_sha256_update(&st, chunk, (size_t)r);
		total += (size_t)r;
	}
	if (r < 0) goto out;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hash, 65, h, sizeof h);
	const char *store = store_now();
	if (!strcmp(store, "s3")) {   /* the bucket takes one PUT: read it whole */
		void *all = xmalloc(total ? total : 1);
		size_t got = 0;
		while (got < total && (r = pread(fd, (char *)all + got, total - got, (off_t)got)) > 0) got += (size_t)r;
		rc = got == total ? blob_put(d, all, total, now, hash) : -1;
		free(all);
		goto out;
	}
	int fresh = blob_ref(d, hash, total, store, now);
	if (fresh <= 0) { rc = fresh < 0 ? -1 : 0; goto out; }
	rc = 0;
	for (size_t off = 0, seq = 0; !rc && (off < total || seq == 0); off += BLOB_CHUNK, seq++) {
		size_t len = total - off < BLOB_CHUNK ? total - off : BLOB_CHUNK, got = 0;
		while (got < len && (r = pread(fd, chunk + got, len - got, (off_t)(off + got))) > 0) got += (size_t)r;
		rc = got == len ? chunk_put(d, hash, (int64_t)seq, chunk, len) : -1;
		if (!total) break;
	}
out:
	free(chunk);
	return rc;
}

int blob_unref(db *d, const char *hash) {
	if (!hash || !*hash) return 0;
	db_stmt *s = db_prep(d, "UPDATE blob SET refs = refs - 1 WHERE hash = $1 RETURNING refs, store");
	db_bind_text(s, 1, hash, -1);
	int rc = db_step(s);
	int64_t refs = rc == DB_ROW ? db_int(s, 0) : 1;
	int s3 = rc == DB_ROW && !strcmp(db_text(s, 1), "s3");
	db_done(s);
	if (rc == DB_ERR) return -1;
	if (refs > 0) return 0;
	s = db_prep(d, "DELETE FROM blob_chunk WHERE hash = $1");
	db_bind_text(s, 1, hash, -1);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return -1;
	s = db_prep(d, "DELETE FROM blob WHERE hash = $1 AND refs <= 0");
	db_bind_text(s, 1, hash, -1);
	rc = db_step(s);
	db_done(s);
	if (s3) blob_s3_delete(site_get(), hash);   /* best effort: an orphan object costs space only */
	return rc == DB_DONE ? 0 : -1;
}

int blob_stat(db *d, const char *hash, size_t *size, int *s3) {
	db_stmt *s = db_prep(d, "SELECT size, store FROM blob WHERE hash = $1");
	db_bind_text(s, 1, hash, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*size = (size_t)db_int(s, 0);
		*s3 = !strcmp(db_text(s, 1), "s3");
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int blob_chunk_get(db *d, const char *hash, int64_t seq, void *out, size_t *n) {
	db_stmt *s = db_prep(d, "SELECT data FROM blob_chunk WHERE hash = $1 AND seq = $2");
	db_bind_text(s, 1, hash, -1);
	db_bind_int(s, 2, seq);
	int rc = db_step(s), bad = rc != DB_ROW;
	if (!bad && sodium_base642bin(out, BLOB_CHUNK, db_text(s, 0), (size_t)db_len(s, 0), NULL, n, NULL,
	                              sodium_base64_VARIANT_ORIGINAL)) bad = 1;
	db_done(s);
	return bad ? -1 : 0;
}

int blob_get(db *d, const char *hash, void **data, size_t *n) {
	db_stmt *s = db_prep(d, "SELECT size, store FROM blob WHERE hash = $1");
	db_bind_text(s, 1, hash, -1);
	int rc = db_step(s);
	int64_t size = rc == DB_ROW ? db_int(s, 0) : 0;
	int s3 = rc == DB_ROW && !strcmp(db_text(s, 1), "s3");
	db_done(s);
	if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
	if (s3) return blob_s3_get(site_get(), hash, (size_t)size, data, n) ? -1 : 1;
	unsigned char *out = xmalloc(size ? (size_t)size : 1);
	size_t got = 0;
	s = db_prep(d, "SELECT data FROM blob_chunk WHERE hash = $1 ORDER BY seq");
	db_bind_text(s, 1, hash, -1);
	while ((rc = db_step(s)) == DB_ROW) {
		size_t len = 0;
		const char *b64 = db_text(s, 0);
		if (sodium_base642bin(out + got, (size_t)size - got, b64, (size_t)db_len(s, 0), NULL, &len, NULL,
		                      sodium_base64_VARIANT_ORIGINAL)) { rc = DB_ERR; break; }
		got += len;
	}
	db_done(s);
	if (rc == DB_ERR || got != (size_t)size) {
		free(out);
		return -1;
	}
	*data = out;
	*n = got;
	return 1;
}
