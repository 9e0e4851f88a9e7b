/* password: argon2id with libsodium; see password.h. */
#include "forum/password.h"
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

int password_verify(const char *hash, const char *pw) {
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int password_needs_rehash(const char *hash) {
	return crypto_pwhash_str_needs_rehash(hash, ops(), mem()) != 0;
}

void password_random_token(char *out, size_t cap, size_t nbytes) {
	unsigned char raw[64];
	if (nbytes > sizeof raw) nbytes = sizeof raw;
	randombytes_buf(raw, nbytes);
	sodium_bin2hex(out, cap, raw, nbytes);
	sodium_memzero(raw, sizeof raw);
}
