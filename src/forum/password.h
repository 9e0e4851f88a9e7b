/*
** password: argon2id hashing (libsodium crypto_pwhash), its parameters in
** one place, and constant-time checks. Also random tokens.
**
** password_verify also accepts the hashes an imported Discuz! site holds
** (FACTS §3; member.pwhash as the importer stores them):
**   "$argon2id$..." / "$argon2i$..."   libsodium
**   "$2y$" / "$2a$" / "$2b$"           PHP password_hash() bcrypt, libcrypt crypt_r
**   "dzmd5$<32 hex>$<salt>"           UCenter's md5(md5(pw) as hex . salt), MD5 from nettle
**   "dzunknown$..."                    a converter plugin's scheme: never matches (找回密码)
** Anything not argon2id at loulan's cost "needs rehash": the login replaces it.
*/
#ifndef LOULAN_PASSWORD_H
#define LOULAN_PASSWORD_H
#include <stddef.h>
#define PASSWORD_HASH_MAX 128   /* crypto_pwhash_STRBYTES; a stored hash this long or longer never matches */
#define PASSWORD_INPUT_MAX 1024 /* a password longer than this never matches (logins cap lower: USER_PASSWORD_MAX) */
#define PASSWORD_SALT_MAX 32    /* dzmd5 salt bytes (UCenter: varchar(20), 6 in practice) */
#define PASSWORD_BCRYPT_LEN 60  /* "$2y$NN$" + 53 */
#define PASSWORD_DZMD5_PREFIX "dzmd5$"
int password_init(void);                                     /* sodium_init */
int password_hash(const char *pw, char *out, size_t cap);    /* 0 ok */
int password_verify(const char *hash, const char *pw);       /* 1 match, 0 not */
int password_needs_rehash(const char *hash);
void password_random_token(char *out, size_t cap, size_t nbytes);  /* hex, nbytes random bytes */
#endif
