/*
** frag: the member thread page's fragment cache (DESIGN.md, "Caching":
** logged-in pages are rendered per request from cached fragments).
**
** A member's thread page differs from another member's of the same group
** only in the marks (page_render with p->frag, see page.h): the viewer's uid,
** name and CSRF token, the live view count and the footer's clock, timer,
** query count and Gzip/Cache words — unless the viewer wrote a floor of the
** page or is among a floor's shown likers (edit/delete/like buttons differ).
** So an entry, keyed by the request (path and query) and the viewer's
** group, holds the page rendered once with marks in place of those values,
** cut at the marks into segments, each compressed on its own (raw deflate
** ending in Z_FULL_FLUSH: byte-aligned, no reference to earlier segments)
** with its CRC and length, plus the uids that appear on the page (floor
** authors and shown likers). A request from a member of that group who is
** not among them gets the segments as stored with each mark's value
** between them as a stored deflate block, the gzip trailer from
** crc32_combine_op with per-segment operators computed at store time: no
** template rendering, no compression, one query (the session lookup).
**
** Validity is the guest cache's (cache.h): the generations taken before the
** page was read (site, thread, epoch) and CACHE_MAX_AGE_S for relative
** times. The viewer's board permission is checked on every hit. Only gzip
** clients are served from it; others get the page rendered in full.
** `serve --no-fragment-cache` turns it off (tests compare the two).
*/
#ifndef LOULAN_FRAG_H
#define LOULAN_FRAG_H
#include "pages/cache.h"
#include "util/buf.h"
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define FRAG_MAX_BYTES (32u << 20)   /* all entries of this node */
#define FRAG_SHARDS 16
#define FRAG_MAX_MARKS 32            /* more marks on a page: not cached */
#define FRAG_MAX_TOUCH 1024          /* more uids on a page: not cached */

/* The marks, as page_render writes them (an HTML comment: user text and
** sanitized posts never contain a raw "<!--"). */
#define FRAG_MARK_PREFIX "<!--lf:"
enum frag_mark {
	FM_UID = 'u', FM_NAME = 'n', FM_CSRF = 'c', FM_VIEWS = 'v', FM_NOW = 't',
	FM_ELAPSED = 'e', FM_QUERIES = 'q', FM_GZIP = 'g', FM_CACHE = 'k',
};

/* The values of one request (strings already HTML-escaped where the template escapes). */
struct frag_vals {
	const char *uid, *name, *csrf, *now, *gzip;
	int64_t queries;
	uint64_t t0_ns;              /* the request's start: the footer's timer is taken while filling */
};

struct frag;
void frag_init(size_t max_bytes);   /* 0: FRAG_MAX_BYTES */
void frag_free(void);

/* An entry from a page rendered with marks; NULL if it cannot be made (too
** many marks or uids, an unknown mark). touch: the uids on the page. */
struct frag *frag_make(const char *key, size_t klen, const struct cache_deps *deps, int64_t fid, int64_t views,
                       const int64_t *touch, int ntouch, const char *html, size_t n, time_t now);
/* Appends the gzip response of e with v's values (Cache Off: this render) to out. */
void frag_fill(const struct frag *e, const struct frag_vals *v, buf *out);
/* The plain page with v's values in place of the marks (Cache Off), for when no entry can be made. */
void frag_subst(const char *html, size_t n, const struct frag_vals *v, int64_t views, buf *out);
/* Stores e (frag_put takes it; 0 stored, -1 freed) or frees it. */
int frag_put(struct frag *e);
void frag_discard(struct frag *e);

/* A request: 1 hit (the gzip response, Cache On, appended to out; *view_tid set);
** 0 no valid entry; -1 a valid entry, but uid is on the page (render in full, store nothing).
** groupid's board permission is checked on the entry's fid. */
int frag_get(const char *key, size_t klen, int64_t uid, int64_t groupid, time_t now, const struct frag_vals *v,
             buf *out);

struct frag_stats { uint64_t hits, misses, touched, stores; };
void frag_stats(struct frag_stats *s);
#endif
