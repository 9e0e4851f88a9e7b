/*
** blob_s3: blobs in an S3-compatible bucket through libcurl (CURLOPT_AWS_SIGV4),
** object key = the blob's SHA-256 hex. Settings blob.s3_*. 0 ok, -1 error.
*/
#ifndef LOULAN_BLOB_S3_H
#define LOULAN_BLOB_S3_H
#include <stddef.h>
struct site;
int blob_s3_put(const struct site *st, const char *hash, const void *data, size_t n);
int blob_s3_get(const struct site *st, const char *hash, size_t size, void **data, size_t *n);
int blob_s3_delete(const struct site *st, const char *hash);
#endif
