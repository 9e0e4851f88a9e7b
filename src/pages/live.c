/*
** live: Server-Sent Events (issue #15). GET /t/{tid}/events tells an open
** thread page of new replies ("有 N 条新回复，点击查看", static/loulan.js loads
** them); for a member the same stream carries their counters, which GET
** /events (every other page) carries alone. Streams wait without a worker
** thread (http/stream.c); the events come from the write path after COMMIT,
** on this node directly and from the others through NOTIFY
** (forum/cachegen.h: CACHEGEN_EV_REPLY, CACHEGEN_EV_MEMBER).
**
** Wire format (text/event-stream):
**   retry: LIVE_RETRY_MS                        once, first
**   event: reply / id: N / data: {"tid":T,"last":N}   N = the thread's last floor
**   event: counts / data: {"notifications":A,"messages":B}   on open and on change
**   ": "                                       heartbeats (http/stream.c)
** The thread stream starts from ?after=N (the last floor the page knew) or the
** Last-Event-ID of a reconnect, so a reply between page and stream is not lost.
*/
#include "pages/page.h"
#include "forum/cachegen.h"
#include "forum/notify.h"
#include "forum/pm.h"
#include "forum/read.h"
#include "forum/site.h"
#include "pages/urlparse.h"
#include "util/die.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_RETRY_MS 10000   /* the browser's reconnect delay after a dropped stream */

struct live {
	int64_t tid, shown, last;   /* the thread followed (0: none), the last floor sent, the newest known */
	int64_t uid;                /* the member whose counters follow (0: none) */
	int64_t notes, msgs;        /* their counters, as known */
	int64_t nsent, msent;       /* as last sent (-1: not yet) */
	int ti, mi;                 /* each one's topic index in the stream, -1 none */
};

/* the member's unread counts: notifications and messages; 0 ok */
static int live_counts(db *d, int64_t uid, int64_t *notes, int64_t *msgs) {
	return notify_unread(d, uid, notes) || pm_unread(d, uid, msgs) ? -1 : 0;
}

/* appends printf output at dst[*at..max); -1 when it does not fit */
#define PUT(...)                                                                 \
	do {                                                                         \
		int n_ = snprintf(dst + at, max - (size_t)at, __VA_ARGS__);              \
		if (n_ < 0 || (size_t)n_ >= max - (size_t)at) return -1;                 \
		at += n_;                                                                \
	} while (0)

/* the stream's body, in the connection's worker thread (http.h, http_stream_fill) */
static long fill(void *cls, int first, unsigned pending, const int64_t *ev, char *dst, size_t max) {
	struct live *l = cls;
	long at = 0;
	if (first) PUT("retry: %d\n\n", LIVE_RETRY_MS);
	if (l->ti >= 0 && (pending & (1u << l->ti)) && ev[l->ti] > l->last) l->last = ev[l->ti];
	if (l->ti >= 0 && l->last > l->shown) {
		PUT("event: reply\nid: %lld\ndata: {\"tid\":%lld,\"last\":%lld}\n\n", (long long)l->last, (long long)l->tid,
		    (long long)l->last);
		l->shown = l->last;
	}
	if (l->mi >= 0 && !first && (pending & (1u << l->mi))) {
		db *d = app_db();
		if (!d || live_counts(d, l->uid, &l->notes, &l->msgs)) return at;   /* the next event tries again */
	}
	if (l->mi >= 0 && (l->notes != l->nsent || l->msgs != l->msent)) {
		PUT("event: counts\ndata: {\"notifications\":%lld,\"messages\":%lld}\n\n", (long long)l->notes, (long long)l->msgs);
		l->nsent = l->notes;
		l->msent = l->msgs;
	}
	return at;
}

static void live_free(void *cls) { free(cls); }

/* opens the stream for l (its topics set); answers 503/429 past the caps */
static void live_open(page *p, struct live *l) {
	const struct site *st = p->site;
	struct http_topic topics[HTTP_STREAM_TOPICS];
	int n = 0;
	l->ti = l->mi = -1;
	if (l->tid) {
		l->ti = n;
		topics[n++] = (struct http_topic){CACHEGEN_EV_REPLY, l->tid};
	}
	if (l->uid) {
		l->mi = n;
		topics[n++] = (struct http_topic){CACHEGEN_EV_MEMBER, l->uid};
		l->notes = p->me.unread;   /* read with the session: opening costs no query for them */
		l->msgs = p->me.pm_unread;
	}
	l->nsent = l->msent = -1;
	int rc = st->live_max_streams > 0 ? http_stream_start(p->r, topics, n, (int)st->live_max_streams, (int)st->live_max_per_ip,
	                                                      fill, live_free, l)
	                                  : HTTP_STREAM_FULL;
	if (!rc) return;
	free(l);
	http_set_header(p->r, "Retry-After", "60");
	if (rc == HTTP_STREAM_IP_FULL) page_error(p, 429, "您打开的实时推送连接太多，请关闭一些页面后再试。");
	else page_error(p, 503, "实时推送连接已满，请稍后再试。");
}

/* GET /t/{tid}/events[?after=N]: the thread's new replies (and the member's counters); two queries
   (the session with its counts, the thread) */
void page_thread_events(page *p) {
	int64_t tid, after = 0;
	if (page_id(p, p->r->seg[0], &tid)) return;
	const char *as = http_query(p->r, "after");
	const char *lei = http_header(p->r, "Last-Event-ID");   /* a reconnect: the last floor the browser got */
	if (lei && *lei) {
		if (url_id(lei, URL_NUM_MAX, &after)) {
			page_error(p, 400, "参数无效：Last-Event-ID 必须是楼层号。");
			return;
		}
	} else if (as && page_id(p, as, &after)) {
		return;
	}
	struct thread t;
	int rc = forum_thread(p->db, p->a, tid, &t);
	if (rc < 0) { page_db_unavailable(p); return; }
	if (!rc || t.moved) { page_error(p, 404, "指定的主题不存在或已被删除。"); return; }
	if (!page_board_visible(p, t.fid)) return;
	struct live *l = xcalloc(1, sizeof *l);
	l->tid = tid;
	l->shown = after;
	l->last = t.maxposition;
	l->uid = p->me.uid;
	live_open(p, l);
}

/* GET /events: the member's counters (notifications, messages); one query (the session with its counts) */
void page_member_events(page *p) {
	struct live *l = xcalloc(1, sizeof *l);
	l->uid = p->me.uid;
	live_open(p, l);
}
