/*
** blob_s3: see blob_s3.h. Path-style URLs ENDPOINT/BUCKET/HASH, signed by
** libcurl (CURLOPT_AWS_SIGV4 "aws:amz:REGION:s3"); the payload's SHA-256 is
** sent as x-amz-content-sha256 (S3 requires it with SigV4).
*/
#include "forum/blob_s3.h"
#include "forum/attach.h"
#include "forum/forum.h"
#include "forum/site.h"
#include "util/buf.h"
#include "util/die.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S3_TIMEOUT_S 60

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

struct rd { const unsigned char *p; size_t n, off; };
static size_t read_cb(char *dst, size_t size, size_t nmemb, void *cls) {
	struct rd *r = cls;
	size_t want = size * nmemb, left = r->n - r->off;
	if (want > left) want = left;
	memcpy(dst, r->p + r->off, want);
	r->off += want;
	return want;
}
struct wr { unsigned char *p; size_t n, cap; };
static size_t write_cb(char *src, size_t size, size_t nmemb, void *cls) {
	struct wr *w = cls;
	size_t n = size * nmemb;
	if (w->n + n > w->cap) return 0;   /* more than the blob's recorded size */
	memcpy(w->p + w->n, src, n);
	w->n += n;
	return n;
}

/* method PUT/GET/DELETE on the object; 0 when the answer is 2xx */
static int s3_call(const struct site *st, const char *method, const char *hash, const void *data, size_t n,
                   struct wr *w) {
	if (!st || !*st->blob_s3_endpoint || !*st->blob_s3_bucket) return -1;
	pthread_once(&g_once, curl_init_once);
	CURL *c = curl_easy_init();
	if (!c) return -1;
	char url[2048], sigv4[256], userpwd[1024], sha[65], hdr[128];
	snprintf(url, sizeof url, "%s/%s/%s", st->blob_s3_endpoint, st->blob_s3_bucket, hash);
	snprintf(sigv4, sizeof sigv4, "aws:amz:%s:s3", st->blob_s3_region);
	snprintf(userpwd, sizeof userpwd, "%s:%s", st->blob_s3_key, st->blob_s3_secret);
	blob_sha256_hex(data ? data : "", data ? n : 0, sha);
	snprintf(hdr, sizeof hdr, "x-amz-content-sha256: %s", sha);
	struct curl_slist *h = curl_slist_append(NULL, hdr);
	struct rd r = {data, n, 0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4);
	curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)S3_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (!strcmp(method, "PUT")) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(c, CURLOPT_READDATA, &r);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)n);
	} else if (!strcmp(method, "DELETE")) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
	}
	struct wr sink = {NULL, 0, 0};
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, w ? w : &sink);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK || status < 200 || status > 299) {
		fprintf(stderr, "loulan: s3 %s %s: %s, HTTP %ld\n", method, hash, curl_easy_strerror(rc), status);
		return -1;
	}
	return 0;
}

int blob_s3_put(const struct site *st, const char *hash, const void *data, size_t n) {
	return s3_call(st, "PUT", hash, data, n, NULL);
}

int blob_s3_get(const struct site *st, const char *hash, size_t size, void **data, size_t *n) {
	struct wr w = {xmalloc(size ? size : 1), 0, size};
	if (s3_call(st, "GET", hash, NULL, 0, &w) || w.n != size) {
		free(w.p);
		return -1;
	}
	*data = w.p;
	*n = w.n;
	return 0;
}

int blob_s3_delete(const struct site *st, const char *hash) { return s3_call(st, "DELETE", hash, NULL, 0, NULL); }
