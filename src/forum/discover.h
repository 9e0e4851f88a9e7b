/*
** discover (issue 14): what readers and crawlers find content through: the
** living index's counters, who is online, the rankings (热门排行) and the
** guide (导读), the sitemap and the feeds. Every list is one statement read
** by keyset (no OFFSET); counters change in the writer's transaction or are
** batched in memory and written by the background thread. Rows of hidden
** boards (board.hidden) never come back; the page filters the rest by the
** viewer's read permission (page_sees).
*/
#ifndef LOULAN_DISCOVER_H
#define LOULAN_DISCOVER_H
#include "forum/forum.h"
#include "forum/read.h"

/* ---- the index's counters: one row (site_stat), read with the index ---- */
#define ONLINE_WINDOW 900          /* seconds: "在线" means a request in the last 15 minutes */
#define ONLINE_SLOTS 8192          /* members/guest addresses tracked in memory per node (more are not counted) */
#define ONLINE_NAMES_MAX 100       /* members named on the index */
struct site_stats {
	int64_t today, yesterday, maxdayposts, maxday;   /* posts; maxday yyyymmdd */
	int64_t members, newest_uid;
	const char *newest_name;
	int64_t online_members, online_guests, online_record, online_record_at;
	const char *online_names;      /* "uid\tname\n" lines, most recent first */
};
int stats_get(db *d, arena *a, time_t now, struct site_stats *out);   /* one query; 0 ok */
/* In the post's transaction (posting.c): today's, yesterday's and the best day's counts. */
int stats_count_posts(db *d, time_t when, int64_t n);   /* n new posts of the day of WHEN */
/* After a member row is inserted (user.c), in its transaction. */
int stats_count_member(db *d, int64_t uid, const char *name);
/* Recomputes every counter from the tables (bulk loaders: gen, the demo); the caller's transaction. */
int stats_recount(db *d, time_t now);

/* Who is online: a request marks its member (uid > 0) or guest address (ip) in
** memory, lock-free; online_flush (background thread, every few seconds) writes
** the marks to the shared table and refreshes the names, counts and record in
** site_stat, so every node shows the same. */
void online_touch(int64_t uid, const char *ip, time_t now);
int online_flush(db *d, time_t now);

/* ---- thread and member lists (热门排行, 导读) ----------------------------- */
#define DISCOVER_LIST_MAX 20       /* rows per page of a ranking or guide list */
#define DISCOVER_RANK_PAGES 5      /* a ranking shows at most this many pages (top 100) */
enum thread_order { TO_REPLIES, TO_VIEWS, TO_LIKES, TO_NEWEST, TO_LASTPOST, TO_DIGEST };
enum member_order { MO_CREDITS, MO_POSTS, MO_TODAY };
/* Keyset: rows strictly after (key, id) in the list's descending order; set = 0 starts at the top. */
struct list_cursor { int set; int64_t key, id; };
struct list_thread { struct thread t; int64_t key, likes; };
/* Threads of visible boards created at or after since (0: all), after cur, at most limit. */
int discover_threads(db *d, arena *a, enum thread_order o, int64_t since, const struct list_cursor *cur, int limit,
                     struct list_thread **out, int *n);
struct list_member { int64_t uid, key, groupid; const char *name; };
int discover_members(db *d, arena *a, enum member_order o, time_t now, const struct list_cursor *cur, int limit,
                     struct list_member **out, int *n);

/* ---- sitemap and feeds ----------------------------------------------------- */
#define SITEMAP_PART_URLS 50000    /* URLs per sitemap part at most (the protocol's limit; setting sitemap.urls_per_part) */
#define SITEMAP_MAX_PARTS 50000    /* parts in the index (the protocol's limit) */
#define FEED_ITEMS 20
/* Streams the parts that hold visible threads to part() (part n covers tid in
** [n*SITEMAP_PART_URLS, (n+1)*SITEMAP_PART_URLS), lastmod its newest post); stops when part() returns non-zero. */
int discover_sitemap_parts(db *d, int (*part)(void *ctx, int64_t n, int64_t lastmod), void *ctx);
/* Streams the visible threads of part n to row(); stops early when row() returns non-zero. */
int discover_sitemap_threads(db *d, int64_t part, int (*row)(void *ctx, int64_t tid, int64_t fid, int64_t lastpost),
                             void *ctx);
struct feed_item { int64_t tid, fid, created; const char *subject, *author, *html, *board; };
/* The newest threads (of board fid; 0: all boards) with their first floors. */
int discover_feed(db *d, arena *a, int64_t fid, int limit, struct feed_item **out, int *n);
#endif
