/*
** http: the binding to libmicrohttpd. Owns the limits on every part of a
** request, body capture, query/cookie/form parsing (by the library), gzip,
** ETags and the access log. Knows nothing of the forum: it calls one
** handler per request (the route table in pages/routes.c).
*/
#ifndef LOULAN_HTTP_H
#define LOULAN_HTTP_H
#include "util/arena.h"
#include "util/buf.h"
#include <stddef.h>
#include <stdint.h>

/* Named limits (each has an end-to-end test that crosses it). */
#define HTTP_MAX_URL        2048        /* request target incl. query -> 414 */
#define HTTP_MAX_HEADERS    (16u << 10) /* all request headers -> 431 */
#define HTTP_MAX_BODY       (1u << 20)  /* request body -> 413 */
#define HTTP_MAX_FIELDS     64          /* form fields -> 400 */
#define HTTP_MAX_FIELD      (256u << 10)/* one form field value -> 413 */
#define HTTP_MAX_UPLOAD     (64u << 20) /* a multipart/form-data body (files stream to temp files) -> 413 */
#define HTTP_MAX_FILES      20          /* file parts in one multipart body -> 400 */
#define HTTP_MAX_CONNECTIONS 4096       /* the default cap on open connections (serve --max-connections) */
#define HTTP_CONNECTIONS_CAP 100000     /* the most --max-connections / --max-per-ip take (event streams: bench/) */
#define HTTP_PER_IP_CONNECTIONS 64      /* per client address (serve --max-per-ip); past it: closed unanswered */
#define HTTP_TIMEOUT_S      30          /* idle: MHD's per-byte timeout; also the bound between kept-alive requests */
#define HTTP_HEAD_DEADLINE_S 10         /* whole request head (line + headers), however it trickles in */
#define HTTP_HEAD_DEADLINE_BUSY_S 2     /* the same while HTTP_GUARD_BUSY_PCT of the connection cap is open */
#define HTTP_GUARD_BUSY_PCT 75
#define HTTP_GUARD_SHED_PCT 90          /* from this share of the connection cap, the oldest idle keep-alive
                                           connections are closed until below it (a new client finds a slot) */
#define HTTP_BODY_GRACE_S   10          /* a body may start slowly for this long... */
#define HTTP_BODY_MIN_RATE  1024        /* ...then must average at least this many bytes/s */
#define HTTP_GUARD_TICK_MS  500         /* how often the guard looks at the deadlines */
#define HTTP_GZIP_LEVEL     1           /* responses compressed per request: level 1 is 3x cheaper than 6 */
#define HTTP_QREAD_MAX      16          /* query argument names a request's handler asks for, remembered for cache keys */

enum http_method {
	HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 4, HTTP_PUT = 8, HTTP_PATCH = 16,
	HTTP_DELETE = 32, HTTP_OPTIONS = 64, HTTP_OTHER = 128
};

struct http_hdr { const char *k, *v; struct http_hdr *next; };
struct http_field { const char *k; const char *v; size_t n; struct http_field *next; };
/* A file part of a multipart/form-data body, streamed to an unlinked-at-end temp
** file as it arrives (never held in memory): read it through fd or path. */
struct http_file {
	const char *field, *filename, *ctype;
	char path[64];
	int fd;
	uint64_t size;
	struct http_file *next;
};

typedef struct req {
	void *conn;              /* struct MHD_Connection */
	arena a;
	int method;
	const char *method_s;
	const char *path;        /* URL path, percent-decoded by the library */
	const char *ip;          /* client address, text */
	uint64_t t0_ns;          /* monotonic start */
	buf body;                /* raw request body (capped) */
	int early_status;        /* set while reading: 413/414/431... */
	struct http_field *form; /* parsed form fields (urlencoded/multipart) */
	int form_status;         /* 0, or 400/413 when the form was malformed/too big */
	struct http_file *files; /* multipart file parts, in order (temp files removed when the request ends) */
	void *mp;                /* multipart: the streaming parser's state */
	int accept_gzip;
	int tls;
	void *guard;             /* struct guard_conn of the connection */
	int counted;             /* counted in the requests in flight */
	/* response */
	int status;
	const char *ctype;
	buf out;
	struct http_hdr *hdrs;
	int no_gzip;             /* body already compressed or not worth it */
	int precompressed;       /* out holds gzip bytes */
	void *prepared;          /* http_prepared_new: sent instead of out/hdrs */
	size_t prepared_len;     /* its body's length, for the access log */
	const void *ext;         /* http_body_ext: the body is these bytes instead of out */
	size_t ext_n;
	void (*ext_free)(void *);
	void *ext_cls;
	uint64_t rd_size;        /* http_body_reader: the body comes from rd_fn instead of out */
	long (*rd_fn)(void *cls, uint64_t pos, char *dst, size_t max);
	void (*rd_free)(void *);
	void *rd_cls;
	void *stream;            /* http_stream_start: a long-lived event stream is the body */
	void (*done)(void *);    /* called with done_cls once the response is queued */
	void *done_cls;
	/* routing */
	const char *route;       /* the matched route's pattern (metrics label), or NULL */
	const char *seg[4];      /* path segments matched by '*' in the route */
	int nseg;
	int deferred;            /* http_defer: 1 waiting for http_resume, 2 answered, 3 taken up by the library again (atomic) */
	/* the query arguments asked for with http_query, in order (caches key pages by them);
	   nqread -1: more than HTTP_QREAD_MAX, or all of them (http_query_first_key) */
	const char *qread[HTTP_QREAD_MAX];
	int nqread;
} req;

typedef void (*http_handler)(req *r);

struct http_config {
	const char *host;        /* listen address */
	int port;                /* 0: any free port */
	int workers;
	http_handler handler;
	void (*on_listen)(const char *host, int port);
	int quiet;               /* no access log */
	int max_connections;     /* 0: HTTP_MAX_CONNECTIONS */
	int max_per_ip;          /* 0: HTTP_PER_IP_CONNECTIONS */
	/* addresses or CIDR prefixes of reverse proxies whose X-Real-IP /
	   X-Forwarded-For name the client (NULL: none; the peer is the client) */
	const char *trust_proxy;
	/* bytes one file part of a multipart body may have (the site's upload limit), read while the
	   body arrives: over it the request is answered 413 without reading the rest; NULL: HTTP_MAX_UPLOAD */
	uint64_t (*file_cap)(void);
	/* seconds between event-stream heartbeats, read each second (NULL: HTTP_STREAM_HEARTBEAT_S) */
	int (*stream_heartbeat)(void);
};
#define HTTP_TRUST_PROXY_MAX 512   /* length of the trusted-proxy list */
/* 0 if list is a valid --trust-proxy value (comma-separated addresses or CIDR prefixes) */
int http_trust_proxy_valid(const char *list);
/* The client's address for a request that came from peer with these header
   values: the proxy's word when peer is in trust (X-Real-IP, else the last
   hop of X-Forwarded-For, when it is an IP address), else peer. Pure. */
const char *http_client_ip(const char *peer, const char *trust, const char *real_ip, const char *xff, char *out, size_t n);

int http_serve(const struct http_config *cfg);  /* blocks until SIGTERM/SIGINT */
void http_request_stop(void);                   /* ask http_serve to return */
void http_block_signals(void);                  /* call before starting any thread */

const char *http_query(req *r, const char *key);   /* NULL if absent */
const char *http_header(req *r, const char *key);
const char *http_cookie(req *r, const char *key);
const char *http_form(req *r, const char *key);    /* NULL if absent */
int http_parse_form(req *r);                       /* fills r->form from the body */
int http_query_valid_utf8(req *r);
/* The first query argument's name ("fid-2.html" in /archiver/?fid-2.html), NULL if none */
const char *http_query_first_key(req *r);                 /* every query value is valid UTF-8 */
/* Appends the request's path and the query arguments its handler read so far (all of them when
** nqread is -1) as a URL ("/t/1?page=2"), percent-encoded: a link back to this page */
void http_request_uri(req *r, buf *out);
/* Appends an unambiguous key for the request's path and the values of the n
** query arguments names (each length-prefixed; absent ones marked), for caches;
** the names are not written: the caller identifies the list. */
void http_request_key(req *r, const char *const *names, int n, buf *out);

void http_set_header(req *r, const char *k, const char *v);  /* strings must outlive r */
/* A response built once and queued for many requests (the page cache's hits):
** r's status line is not part of it; its ctype, precompressed flag and
** headers are, with the headers every response gets; the body is copied.
** Queue it with r->prepared = it; free with http_prepared_free (responses in
** flight keep their own reference). */
void *http_prepared_new(req *r, const void *body, size_t n);
void http_prepared_free(void *prepared);
/* The response body is n bytes at data (not copied, never gzipped): free_fn(cls) is called
** once the library no longer needs them (after sending, or when the request ends unsent). */
void http_body_ext(req *r, const void *data, size_t n, void (*free_fn)(void *), void *cls);
/* The response body is size bytes produced by fn(cls, pos, buf, max) while it is sent (in the
** request's worker thread): it returns the bytes written to buf (1..max), or -1 on an error (the
** connection is closed); free_fn(cls) when done. Never gzipped. */
void http_body_reader(req *r, uint64_t size, long (*fn)(void *cls, uint64_t pos, char *dst, size_t max),
                      void (*free_fn)(void *), void *cls);
void http_redirect(req *r, int status, const char *location);
void http_text(req *r, int status, const char *ctype, const char *body);

/* ---- long-lived event streams (Server-Sent Events; stream.c) ----------------
** The response body is written by fill whenever the stream is woken; between
** wakes the connection is suspended: it holds no worker thread and no timeout
** runs. A stream belongs to one topic (kind, id); http_stream_publish(kind,
** id, ev) from any thread wakes the topic's streams, whose fill is then called
** in the connection's worker thread with first = 0 and ev = the largest value
** published since its last call. fill is first called once with first = 1
** (ev 0). It writes at most max bytes (>= 512) and returns their number, 0 for
** nothing to say (the stream waits again) or -1 to end the stream. Every
** heartbeat interval each stream sends a comment line (": "): proxies keep it
** open, and a client that went away is noticed (a suspended connection is not
** polled). free_fn(cls) runs when the connection ends. */
#define HTTP_STREAM_HEARTBEAT_S 20
#define HTTP_STREAM_TOPICS 2
enum { HTTP_STREAM_FULL = 1, HTTP_STREAM_IP_FULL = 2 };
struct http_topic { int kind; int64_t id; };
typedef long (*http_stream_fill)(void *cls, int first, unsigned pending, const int64_t *ev, char *dst, size_t max);
/* Makes r's response a stream of the topics: 0, or HTTP_STREAM_FULL when max_total
** streams are open in this process, HTTP_STREAM_IP_FULL when r's client address (r->ip) has
** max_per_ip (then nothing is kept and the caller answers). Sets the status, type and headers. */
int http_stream_start(req *r, const struct http_topic *topics, int ntopics, int max_total, int max_per_ip,
                      http_stream_fill fill, void (*free_fn)(void *), void *cls);
void http_stream_publish(int kind, int64_t id, int64_t ev);
int http_streams_open(void);
void http_stream_stats(uint64_t *open, uint64_t *events, uint64_t *refused_total, uint64_t *refused_ip);

/* ---- answering later (group commit: pages/batch.c) ---------------------------
** http_defer(r), called by the handler in the request's worker thread, makes the
** connection wait for its answer without holding that thread: the connection is
** suspended (no timeout runs) and the handler returns without a response. Another
** thread then owns r: it may read the request (form, headers, cookies) and build
** the response exactly as a handler does, then calls http_resume(r) once; the
** worker thread sends that response. r must not be touched after http_resume.
** A server stopping (SIGTERM) closes each connection after its answer, answers 503
** once its grace is over (so nothing more is deferred), and waits for every deferred
** request to be resumed and taken up by the library. */
void http_defer(req *r);
void http_resume(req *r);

uint64_t http_now_ns(void);
int http_in_flight(void);                          /* requests being read or answered */


/* Per-worker-thread gzip (one compressor per level); returns malloc'd bytes or NULL when not smaller. */
void *http_gzip(const void *in, size_t n, int level, size_t *outn);
#endif
