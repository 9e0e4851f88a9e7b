/*
** test_mail: the pure parts of mail (forum/mail.h: the message's encoding, the
** backoff, the queue's input limits) and the QR code (render/qr.h).
*/
#include "forum/mail.h"
#include "render/qr.h"
#include "util/buf.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the decoded bytes of the base64 between from and the next blank line or end */
static size_t unbase64(const char *from, char *out, size_t cap) {
	char clean[65536];
	size_t n = 0;
	for (const char *p = from; *p && n < sizeof clean - 1; p++)
		if (*p != '\r' && *p != '\n') clean[n++] = *p;
	clean[n] = 0;
	size_t len = 0;
	assert_int_equal(sodium_base642bin((unsigned char *)out, cap, clean, n, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	out[len] = 0;
	return len;
}

static void t_format(void **state) {
	buf b;
	buf_init(&b, 0);
	/* 50 Chinese characters (150 bytes): several encoded words, none splitting a character */
	char subject[256];
	for (int i = 0; i < 50; i++) memcpy(subject + 3 * i, "找", 3);
	subject[150] = 0;
	mail_format(&b, "noreply@example.com\r\nBcc: evil@x.com", "a@example.com", subject, "正文\n第二行", 0, 7);
	const char *m = buf_cstr(&b);
	assert_non_null(strstr(m, "From: noreply@example.comBcc: evil@x.com\r\n"));   /* no header injected */
	assert_null(strstr(m, "\nBcc:"));
	assert_non_null(strstr(m, "To: a@example.com\r\n"));
	assert_non_null(strstr(m, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(strstr(m, "Message-ID: <7.0@example.comBcc: evil@x.com>\r\n"));
	assert_non_null(strstr(m, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
	/* the subject: encoded words of whole characters that decode back to it */
	const char *s = strstr(m, "Subject: ") + 9;
	char got[512] = "", piece[128];
	size_t glen = 0;
	int words = 0;
	while (!strncmp(s, "=?UTF-8?B?", 10)) {
		const char *end = strstr(s, "?=");
		assert_true(end - s <= 75);   /* RFC 2047: an encoded word is at most 75 characters */
		char b64[128];
		snprintf(b64, sizeof b64, "%.*s", (int)(end - s - 10), s + 10);
		size_t k = unbase64(b64, piece, sizeof piece);
		memcpy(got + glen, piece, k + 1);
		glen += k;
		words++;
		s = end + 2;
		if (!strncmp(s, "\r\n ", 3)) s += 3;
	}
	assert_true(words >= 3);
	assert_string_equal(got, subject);
	/* the body */
	char body[256];
	unbase64(strstr(m, "\r\n\r\n") + 4, body, sizeof body);
	assert_string_equal(body, "正文\n第二行");
	buf_release(&b);
}

static void t_backoff(void **state) {
	assert_int_equal(mail_backoff(1), MAIL_RETRY_FIRST_S);
	assert_int_equal(mail_backoff(2), 2 * MAIL_RETRY_FIRST_S);
	assert_int_equal(mail_backoff(3), 4 * MAIL_RETRY_FIRST_S);
	assert_int_equal(mail_backoff(MAIL_MAX_TRIES), MAIL_RETRY_MAX_S);
	assert_int_equal(mail_backoff(1000), MAIL_RETRY_MAX_S);
}

static void t_limits(void **state) {
	char dir[] = "/tmp/loulan-test-mail.XXXXXX", err[256];
	assert_non_null(mkdtemp(dir));
	db_config cfg = {.data_dir = dir, .pg_url = NULL};
	db *d = NULL;
	assert_int_equal(db_open(&d, &cfg, err, sizeof err), 0);
	assert_int_equal(db_migrate(d, err, sizeof err), 0);
	char *big = malloc(MAIL_BODY_MAX + 2);
	memset(big, 'x', MAIL_BODY_MAX + 1);
	big[MAIL_BODY_MAX + 1] = 0;
	assert_int_equal(mail_enqueue(d, "a@example.com", "s", big, 1), -1);   /* one byte over */
	big[MAIL_BODY_MAX] = 0;
	assert_int_equal(mail_enqueue(d, "a@example.com", "s", big, 1), 0);
	char subj[MAIL_SUBJECT_MAX + 2];
	memset(subj, 's', sizeof subj - 1);
	subj[MAIL_SUBJECT_MAX + 1] = 0;
	assert_int_equal(mail_enqueue(d, "a@example.com", subj, "b", 1), -1);
	subj[MAIL_SUBJECT_MAX] = 0;
	assert_int_equal(mail_enqueue(d, "a@example.com", subj, "b", 1), 0);
	/* without smtp.host (no settings loaded) nothing is claimed or sent */
	assert_int_equal(mail_send_due(d, 2, NULL), 0);
	free(big);
	db_close(d);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void t_qr(void **state) {
	buf b;
	buf_init(&b, 0);
	assert_int_equal(qr_svg(&b, "https://bbs.example.com/t/12345"), 0);
	const char *s = buf_cstr(&b);
	int size;
	assert_int_equal(sscanf(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d", &size), 1);
	assert_int_equal((size - 8 - 17) % 4, 0);   /* 17 + 4v modules and the quiet zone */
	assert_null(strstr(s, "style"));
	assert_non_null(strstr(s, "M4 4h7v1h-7z"));   /* the top-left finder pattern's first row */
	buf_reset(&b);
	assert_int_equal(qr_svg(&b, ""), -1);
	char *big = malloc(QR_TEXT_MAX + 2);
	memset(big, 'a', QR_TEXT_MAX + 1);
	big[QR_TEXT_MAX + 1] = 0;
	assert_int_equal(qr_svg(&b, big), -1);   /* over QR_TEXT_MAX */
	free(big);
	buf_release(&b);
}

int main(void) {
	if (sodium_init() < 0) return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_format), cmocka_unit_test(t_backoff), cmocka_unit_test(t_limits), cmocka_unit_test(t_qr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
