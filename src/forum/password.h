/*
** password: argon2id hashing (libsodium crypto_pwhash), its parameters in
** one place, and constant-time checks. Also random tokens.
*/
#ifndef LOULAN_PASSWORD_H
#define LOULAN_PASSWORD_H
#include <stddef.h>
#define PASSWORD_HASH_MAX 128   /* crypto_pwhash_STRBYTES */
int password_init(void);                                     /* sodium_init */
int password_hash(const char *pw, char *out, size_t cap);    /* 0 ok */
int password_verify(const char *hash, const char *pw);       /* 1 match, 0 not */
int password_needs_rehash(const char *hash);
void password_random_token(char *out, size_t cap, size_t nbytes);  /* hex, nbytes random bytes */
#endif
