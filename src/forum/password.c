/* password: argon2id with libsodium, and the legacy schemes of an imported
   Discuz! site; see password.h. */
#include "forum/password.h"
#include <crypt.h>
#include <nettle/md5.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The one place the cost is set: libsodium's "interactive" argon2id
   (2 passes, 64 MiB), about 50-100 ms on one core. The LOULAN_FAST_HASH
   environment variable lowers it for the test suite only. */
static unsigned long long ops(void) {
	return getenv("LOULAN_FAST_HASH") ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
}
static size_t mem(void) {
	return getenv("LOULAN_FAST_HASH") ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int password_init(void) { return sodium_init() < 0 ? -1 : 0; }

int password_hash(const char *pw, char *out, size_t cap) {
	if (cap < crypto_pwhash_STRBYTES) return -1;
	return crypto_pwhash_str_alg(out, pw, strlen(pw), ops(), mem(), crypto_pwhash_ALG_ARGON2ID13) ? -1 : 0;
}

/* md5(md5(pw) as lowercase hex . salt) as lowercase hex (UCenter's legacy scheme, FACTS §3).
   MD5 from nettle: libsodium has none, and libcrypt's "$1$" is md5-crypt, not a raw digest. */
static void dz_md5(const char *pw, const char *salt, char out[2 * MD5_DIGEST_SIZE + 1]) {
	struct md5_ctx c;
	uint8_t dg[MD5_DIGEST_SIZE];
	char inner[2 * MD5_DIGEST_SIZE + 1];
	md5_init(&c);
	md5_update(&c, strlen(pw), (const uint8_t *)pw);
	md5_digest(&c, sizeof dg, dg);
	sodium_bin2hex(inner, sizeof inner, dg, sizeof dg);
	md5_init(&c);
	md5_update(&c, 2 * MD5_DIGEST_SIZE, (const uint8_t *)inner);
	md5_update(&c, strlen(salt), (const uint8_t *)salt);
	md5_digest(&c, sizeof dg, dg);
	sodium_bin2hex(out, 2 * MD5_DIGEST_SIZE + 1, dg, sizeof dg);
	sodium_memzero(inner, sizeof inner);
	sodium_memzero(&c, sizeof c);
}

/* "dzmd5$<32 lowercase hex>$<salt>": the salt is everything after the second '$' */
static int verify_dzmd5(const char *hash, const char *pw) {
	const char *hex = hash + strlen(PASSWORD_DZMD5_PREFIX);
	if (strlen(hex) < 2 * MD5_DIGEST_SIZE + 1 || hex[2 * MD5_DIGEST_SIZE] != '$') return 0;
	const char *salt = hex + 2 * MD5_DIGEST_SIZE + 1;
	if (strlen(salt) > PASSWORD_SALT_MAX) return 0;
	char want[2 * MD5_DIGEST_SIZE + 1];
	dz_md5(pw, salt, want);
	int ok = sodium_memcmp(want, hex, 2 * MD5_DIGEST_SIZE) == 0;
	sodium_memzero(want, sizeof want);
	return ok;
}

/* PHP password_hash() bcrypt ($2y$, $2a$, $2b$; 60 characters) through libxcrypt's crypt_r */
static int verify_bcrypt(const char *hash, const char *pw) {
	size_t n = strlen(hash);
	if (n != PASSWORD_BCRYPT_LEN) return 0;
	struct crypt_data *cd = calloc(1, sizeof *cd);   /* about 32 KiB: not on a worker's stack */
	if (!cd) return 0;
	const char *got = crypt_r(pw, hash, cd);
	int ok = got && strlen(got) == n && sodium_memcmp(got, hash, n) == 0;
	sodium_memzero(cd, sizeof *cd);
	free(cd);
	return ok;
}

static int has_prefix(const char *s, const char *pre) { return strncmp(s, pre, strlen(pre)) == 0; }

int password_verify(const char *hash, const char *pw) {
	if (!hash || !pw || strlen(hash) >= PASSWORD_HASH_MAX || strlen(pw) > PASSWORD_INPUT_MAX) return 0;
	if (has_prefix(hash, "$argon2id$") || has_prefix(hash, "$argon2i$"))
		return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	if (has_prefix(hash, "$2y$") || has_prefix(hash, "$2a$") || has_prefix(hash, "$2b$")) return verify_bcrypt(hash, pw);
	if (has_prefix(hash, PASSWORD_DZMD5_PREFIX)) return verify_dzmd5(hash, pw);
	return 0;   /* "dzunknown$", empty, anything else: never */
}

int password_needs_rehash(const char *hash) {
	if (!has_prefix(hash, "$argon2id$")) return 1;
	return crypto_pwhash_str_needs_rehash(hash, ops(), mem()) != 0;
}

void password_random_token(char *out, size_t cap, size_t nbytes) {
	unsigned char raw[64];
	if (nbytes > sizeof raw) nbytes = sizeof raw;
	randombytes_buf(raw, nbytes);
	sodium_bin2hex(out, cap, raw, nbytes);
	sodium_memzero(raw, sizeof raw);
}
