/* mail: the mail queue and its SMTP sender (libcurl); see mail.h. */
#include "forum/mail.h"
#include "forum/site.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mail_enqueue(db *d, const char *rcpt, const char *subject, const char *body, time_t now) {
	if (strlen(subject) > MAIL_SUBJECT_MAX || strlen(body) > MAIL_BODY_MAX) return -1;
	db_stmt *s = db_prep(d, "INSERT INTO mail_queue(rcpt, subject, body, created, next_try) VALUES ($1, $2, $3, $4, $4)");
	db_bind_text(s, 1, rcpt, -1);
	db_bind_text(s, 2, subject, -1);
	db_bind_text(s, 3, body, -1);
	db_bind_int(s, 4, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int64_t mail_backoff(int64_t tries) {
	int64_t w = MAIL_RETRY_FIRST_S;
	for (int64_t i = 1; i < tries && w < MAIL_RETRY_MAX_S; i++) w *= 2;
	return w < MAIL_RETRY_MAX_S ? w : MAIL_RETRY_MAX_S;
}

static void base64(buf *out, const unsigned char *p, size_t n) {
	char tmp[128];
	for (size_t i = 0; i < n; i += 57) {   /* 57 bytes -> one 76-character line */
		size_t k = n - i < 57 ? n - i : 57;
		sodium_bin2base64(tmp, sizeof tmp, p + i, k, sodium_base64_VARIANT_ORIGINAL);
		buf_puts(out, tmp);
		buf_puts(out, "\r\n");
	}
}

/* a header value without CR or LF (settings are typed by people) */
static void header_text(buf *out, const char *s) {
	for (; *s; s++)
		if (*s != '\r' && *s != '\n') buf_putc(out, *s);
}

/* RFC 2047: the subject as UTF-8 base64 encoded-words of at most 45 bytes each, never splitting a character */
static void subject_words(buf *out, const char *s) {
	size_t n = strlen(s), i = 0;
	char tmp[80];
	if (!n) return;
	while (i < n) {
		size_t k = n - i < 45 ? n - i : 45;
		while (k > 1 && i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80) k--;
		sodium_bin2base64(tmp, sizeof tmp, (const unsigned char *)s + i, k, sodium_base64_VARIANT_ORIGINAL);
		buf_appendf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", tmp);
		i += k;
	}
}

void mail_format(buf *out, const char *from, const char *rcpt, const char *subject, const char *body, time_t now,
                 int64_t id) {
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&now, &tm);
	const char *at = strchr(from, '@');
	buf_puts(out, "From: ");
	header_text(out, from);
	buf_puts(out, "\r\nTo: ");
	header_text(out, rcpt);
	buf_appendf(out, "\r\nDate: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
	            months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	buf_appendf(out, "Message-ID: <%lld.%lld@", (long long)id, (long long)now);
	header_text(out, at && at[1] ? at + 1 : "loulan.invalid");
	buf_puts(out, ">\r\nSubject: ");
	subject_words(out, subject);
	buf_puts(out, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	              "Content-Transfer-Encoding: base64\r\n\r\n");
	base64(out, (const unsigned char *)body, strlen(body));
}

struct rd { const char *p; size_t n, off; };

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *u) {
	struct rd *r = u;
	size_t k = size * nmemb, left = r->n - r->off;
	if (k > left) k = left;
	memcpy(dst, r->p + r->off, k);
	r->off += k;
	return k;
}

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* libcurl's progress callback: nonzero aborts the transfer (the server is stopping) */
static int stop_cb(void *u, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
	const int *stop = u;
	return stop && __atomic_load_n(stop, __ATOMIC_SEQ_CST);
}

/* one SMTP conversation; 0 sent, else -1 with err filled */
static int smtp_send(const struct site *st, const char *rcpt, const buf *msg, const int *stop, char *err, size_t errn) {
	pthread_once(&g_once, curl_init_once);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errn, "curl_easy_init failed");
		return -1;
	}
	char url[600], from[400], to[400], ebuf[CURL_ERROR_SIZE] = "";
	int tls = !strcmp(st->smtp_tls, "tls");
	snprintf(url, sizeof url, "%s://%s:%lld", tls ? "smtps" : "smtp", st->smtp_host, (long long)st->smtp_port);
	snprintf(from, sizeof from, "<%s>", st->smtp_from);
	snprintf(to, sizeof to, "<%s>", rcpt);
	struct curl_slist *rcpts = curl_slist_append(NULL, to);
	struct rd r = {msg->data, msg->len, 0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)MAIL_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)MAIL_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, stop_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)stop);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (!strcmp(st->smtp_tls, "starttls")) curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (*st->smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, st->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, st->smtp_password);
	}
	CURLcode rc = curl_easy_perform(c);
	long code = 0;   /* the server's last reply code, e.g. 451 */
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK) return 0;
	snprintf(err, errn, "SMTP %ld: %s%s%s", code, curl_easy_strerror(rc), *ebuf ? ": " : "", ebuf);
	return -1;
}

/* the claimed row's fields, copied out of the statement */
struct claimed { int64_t id, tries; buf rcpt, subject, body; };

/* 1 claimed (c filled), 0 nothing due, -1 error */
static int claim(db *d, time_t now, struct claimed *c) {
	db_stmt *s = db_prep(d, "UPDATE mail_queue SET lease = $2, tries = tries + 1 WHERE id = "
	                        "(SELECT id FROM mail_queue WHERE sent = 0 AND next_try <= $1 AND lease <= $1 "
	                        "ORDER BY next_try, id LIMIT 1) AND sent = 0 AND lease <= $1 "
	                        "RETURNING id, tries, rcpt, subject, body");
	db_bind_int(s, 1, now);
	db_bind_int(s, 2, (int64_t)now + MAIL_LEASE_S);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		c->id = db_int(s, 0);
		c->tries = db_int(s, 1);
		buf_puts(&c->rcpt, db_text(s, 2));
		buf_puts(&c->subject, db_text(s, 3));
		buf_puts(&c->body, db_text(s, 4));
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int finish(db *d, const struct claimed *c, time_t now, const char *err) {
	db_stmt *s;
	if (!err) {
		s = db_prep(d, "UPDATE mail_queue SET sent = $2, lease = 0, error = '' WHERE id = $1");
		db_bind_int(s, 1, c->id);
		db_bind_int(s, 2, now);
	} else {
		s = db_prep(d, "UPDATE mail_queue SET lease = 0, next_try = $2, error = $3, "
		               "sent = CASE WHEN tries >= $4 THEN -1 ELSE 0 END WHERE id = $1");
		db_bind_int(s, 1, c->id);
		db_bind_int(s, 2, (int64_t)now + mail_backoff(c->tries));
		db_bind_text(s, 3, err, -1);
		db_bind_int(s, 4, MAIL_MAX_TRIES);
	}
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

int mail_send_due(db *d, time_t now, const int *stop) {
	const struct site *st = site_get();
	if (!st || !*st->smtp_host) return 0;
	int sent = 0;
	for (int i = 0; i < MAIL_BATCH && !(stop && __atomic_load_n(stop, __ATOMIC_SEQ_CST)); i++) {
		struct claimed c = {0};
		buf_init(&c.rcpt, 0);
		buf_init(&c.subject, 0);
		buf_init(&c.body, 0);
		int rc = claim(d, now, &c);
		if (rc == 1) {
			buf msg;
			char err[CURL_ERROR_SIZE + 64] = "";
			buf_init(&msg, 0);
			mail_format(&msg, *st->smtp_from ? st->smtp_from : "loulan@localhost", buf_cstr(&c.rcpt),
			            buf_cstr(&c.subject), buf_cstr(&c.body), now, c.id);
			int failed = smtp_send(st, buf_cstr(&c.rcpt), &msg, stop, err, sizeof err);
			if (failed) fprintf(stderr, "loulan: mail %lld to %s not sent (try %lld): %s\n", (long long)c.id,
			                    buf_cstr(&c.rcpt), (long long)c.tries, err);
			else sent++;
			buf_release(&msg);
			if (finish(d, &c, time(NULL), failed ? err : NULL)) rc = -1;
		}
		buf_release(&c.rcpt);
		buf_release(&c.subject);
		buf_release(&c.body);
		if (rc < 0) return -1;
		if (rc == 0) break;
	}
	return sent;
}

int mail_expire(db *d, time_t now) {
	db_stmt *s = db_prep(d, "DELETE FROM mail_queue WHERE sent <> 0 AND created < $1");
	db_bind_int(s, 1, (int64_t)now - MAIL_KEEP_S);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}
