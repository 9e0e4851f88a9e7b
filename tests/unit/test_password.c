/* Unit tests for src/forum/password: loulan's argon2id and the legacy hashes of an imported Discuz!
   site (FACTS §3): dzmd5$, bcrypt $2y$/$2a$/$2b$, $argon2i$/$argon2id$, dzunknown$. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "forum/password.h"

/*
** UCenter legacy: md5(md5(pw) as lowercase hex . salt), worked by hand with python3 hashlib:
**   md5("secret123")                                  = 5d7845ac6ee7cfffafc5fe5f35cf666d
**   md5("5d7845ac6ee7cfffafc5fe5f35cf666d" "abc123")  = f2dd4e8c95c32253fe58eea04eaad80c
** A salt holding '$' and ':' (everything after the second '$' is the salt) and a UTF-8 password:
**   md5("pässwörd")                                   = 12841e4ba5e37d2fbfc78458c6714ade
**   md5("12841e4ba5e37d2fbfc78458c6714ade" "$x$y:z")  = 47cd8270dc1e56eb274d8abbe2f719ea
*/
#define DZ_OK "dzmd5$f2dd4e8c95c32253fe58eea04eaad80c$abc123"
#define DZ_ODD "dzmd5$47cd8270dc1e56eb274d8abbe2f719ea$$x$y:z"

static void t_dzmd5(void **st) {
	(void)st;
	assert_true(password_verify(DZ_OK, "secret123"));
	assert_false(password_verify(DZ_OK, "secret124"));
	assert_false(password_verify(DZ_OK, "Secret123"));
	assert_false(password_verify(DZ_OK, ""));
	assert_false(password_verify("dzmd5$f2dd4e8c95c32253fe58eea04eaad80c$abc124", "secret123"));   /* other salt */
	assert_false(password_verify("dzmd5$f2dd4e8c95c32253fe58eea04eaad80d$abc123", "secret123"));   /* last digit */
	assert_false(password_verify("dzmd5$F2DD4E8C95C32253FE58EEA04EAAD80C$abc123", "secret123"));   /* lowercase only */
	assert_false(password_verify("dzmd5$f2dd4e8c95c32253fe58eea04eaad80$abc123", "secret123"));    /* 31 hex */
	assert_false(password_verify("dzmd5$f2dd4e8c95c32253fe58eea04eaad80c", "secret123"));          /* no salt part */
	assert_false(password_verify("dzmd5$", "secret123"));
	assert_true(password_verify(DZ_ODD, "p\xc3\xa4ssw\xc3\xb6rd"));
	assert_false(password_verify(DZ_ODD, "passwort"));
	/* the plain legacy hash without its prefix is not a scheme */
	assert_false(password_verify("f2dd4e8c95c32253fe58eea04eaad80c", "secret123"));
}

static void t_dzmd5_salt_limit(void **st) {
	(void)st;
	/* PASSWORD_SALT_MAX (32) bytes of salt are read; 33 are refused even when the digest is right:
	**   md5("pw") = 8fe4c11451281c094a6578e6ddbf5eed
	**   md5("8fe4c11451281c094a6578e6ddbf5eed" . 32 x "s") = 87a92db4edabdfd57d43967e10c94f9a
	**   md5("8fe4c11451281c094a6578e6ddbf5eed" . 33 x "s") = 532f87175c53701948dc94c063d7b236 */
	assert_int_equal(PASSWORD_SALT_MAX, 32);
	char h[256], salt[PASSWORD_SALT_MAX + 2];
	memset(salt, 's', sizeof salt - 1);
	salt[sizeof salt - 1] = 0;
	snprintf(h, sizeof h, "dzmd5$532f87175c53701948dc94c063d7b236$%s", salt);
	assert_false(password_verify(h, "pw"));
	salt[PASSWORD_SALT_MAX] = 0;
	snprintf(h, sizeof h, "dzmd5$87a92db4edabdfd57d43967e10c94f9a$%s", salt);
	assert_true(password_verify(h, "pw"));
}

/* PHP's own example (php.net password_verify): 'rasmuslerdorf' with cost 10 */
#define PHP_2Y "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"
/* python3: crypt.crypt('secret123', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)) (libxcrypt writes $2b$) */
#define PY_2B "$2b$04$QVdJgJypjDA5xEHmpb2W3epARyvhjrE.PNzvHOqbpy3Iy6SvoFGFC"

static void t_bcrypt(void **st) {
	(void)st;
	assert_true(password_verify(PHP_2Y, "rasmuslerdorf"));
	assert_false(password_verify(PHP_2Y, "rasmuslerdorF"));
	assert_false(password_verify(PHP_2Y, ""));
	assert_true(password_verify(PY_2B, "secret123"));
	assert_false(password_verify(PY_2B, "secret12"));
	/* $2a$ and $2y$ of the same salt and cost are the same function for passwords without 8-bit bytes */
	assert_true(password_verify("$2a$04$QVdJgJypjDA5xEHmpb2W3epARyvhjrE.PNzvHOqbpy3Iy6SvoFGFC", "secret123"));
	assert_true(password_verify("$2y$04$QVdJgJypjDA5xEHmpb2W3epARyvhjrE.PNzvHOqbpy3Iy6SvoFGFC", "secret123"));
	/* a truncated or lengthened hash is not tried */
	assert_false(password_verify("$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1", "rasmuslerdorf"));
	assert_false(password_verify(PHP_2Y "a", "rasmuslerdorf"));
	/* other crypt(3) schemes are not accepted through the bcrypt door */
	assert_false(password_verify("$1$abcdefgh$G//4keteveJp0qb8z2DxG/", "secret123"));
	assert_false(password_verify("abJnggxhB/yWI", "secret123"));
}

/* the reference vectors of the Argon2 specification's test.c (password "password", salt "somesalt") */
#define A2I "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"
#define A2ID "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

static void t_argon2(void **st) {
	(void)st;
	assert_true(password_verify(A2I, "password"));
	assert_false(password_verify(A2I, "passworD"));
	assert_true(password_verify(A2ID, "password"));
	assert_false(password_verify(A2ID, "password1"));
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("correct horse", h, sizeof h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(password_verify(h, "correct horse"));
	assert_false(password_verify(h, "correct horsf"));
	assert_false(password_needs_rehash(h));
}

static void t_never(void **st) {
	(void)st;
	assert_false(password_verify("dzunknown$", ""));
	assert_false(password_verify("dzunknown$", "anything"));
	assert_false(password_verify("dzunknown$f2dd4e8c95c32253fe58eea04eaad80c$abc1234", "secret123"));
	assert_false(password_verify("", ""));
	assert_false(password_verify(NULL, "x"));
	assert_false(password_verify(DZ_OK, NULL));
	assert_false(password_verify("*0", "x"));
}

static void t_limits(void **st) {
	(void)st;
	/* a stored hash of PASSWORD_HASH_MAX bytes or more never matches, whatever its scheme */
	char h[PASSWORD_HASH_MAX + 8];
	snprintf(h, sizeof h, "%s", DZ_OK);
	size_t n = strlen(h);
	memset(h + n, 0, sizeof h - n);
	assert_true(password_verify(h, "secret123"));
	/* a password longer than PASSWORD_INPUT_MAX is refused before any hashing */
	char *pw = malloc(PASSWORD_INPUT_MAX + 2);
	memset(pw, 'a', PASSWORD_INPUT_MAX + 1);
	pw[PASSWORD_INPUT_MAX + 1] = 0;
	char big[PASSWORD_HASH_MAX];
	pw[PASSWORD_INPUT_MAX] = 0;   /* exactly at the limit: hashed and verified */
	assert_int_equal(password_hash(pw, big, sizeof big), 0);
	assert_true(password_verify(big, pw));
	pw[PASSWORD_INPUT_MAX] = 'a';  /* one over */
	assert_false(password_verify(big, pw));
	free(pw);
	char longhash[PASSWORD_HASH_MAX + 1];
	memset(longhash, 'x', sizeof longhash - 1);
	memcpy(longhash, "dzmd5$", 6);
	longhash[sizeof longhash - 1] = 0;
	assert_false(password_verify(longhash, "secret123"));
}

static void t_rehash(void **st) {
	(void)st;
	assert_true(password_needs_rehash(DZ_OK));
	assert_true(password_needs_rehash(PHP_2Y));
	assert_true(password_needs_rehash(A2I));
	assert_true(password_needs_rehash("dzunknown$"));
	assert_true(password_needs_rehash(""));
	/* argon2id of other parameters than loulan's (the specification's 64 MiB, 2 passes) */
	if (getenv("LOULAN_FAST_HASH")) assert_true(password_needs_rehash(A2ID));
}

int main(void) {
	if (password_init()) return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_dzmd5), cmocka_unit_test(t_dzmd5_salt_limit), cmocka_unit_test(t_bcrypt),
		cmocka_unit_test(t_argon2), cmocka_unit_test(t_never), cmocka_unit_test(t_limits), cmocka_unit_test(t_rehash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
