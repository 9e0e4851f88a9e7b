/* timefmt: Discuz!-style dates; see timefmt.h. */
#include "util/timefmt.h"
#include <stdio.h>

static struct tm local(time_t t) {
	struct tm tm;
	localtime_r(&t, &tm);
	return tm;
}

const char *timefmt_full(arena *a, time_t t) {
	struct tm tm = local(t);
	return arena_sprintf(a, "%d-%d-%d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	                     tm.tm_sec);
}

const char *timefmt_short(arena *a, time_t t) {
	struct tm tm = local(t);
	return arena_sprintf(a, "%d-%d-%d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

const char *timefmt_date(arena *a, time_t t) {
	struct tm tm = local(t);
	return arena_sprintf(a, "%d-%d-%d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

const char *timefmt_iso(arena *a, time_t t) {
	struct tm tm = local(t);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0) off = -off;
	return arena_sprintf(a, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	                     tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600, (off % 3600) / 60);
}

static long day_number(time_t t) {
	struct tm tm = local(t);
	/* days since the epoch in local time */
	return (long)((t + tm.tm_gmtoff) / 86400);
}

const char *timefmt_relative(arena *a, time_t t, time_t now) {
	time_t d = now - t;
	if (d < 0) d = 0;
	if (d < 5) return "刚刚";
	if (d < 60) return arena_sprintf(a, "%ld 秒前", (long)d);
	if (d < 3600) return arena_sprintf(a, "%ld 分钟前", (long)(d / 60));
	long days = day_number(now) - day_number(t);
	if (days == 0) return arena_sprintf(a, "%ld 小时前", (long)(d / 3600));
	struct tm tm = local(t);
	if (days == 1) return arena_sprintf(a, "昨天 %02d:%02d", tm.tm_hour, tm.tm_min);
	if (days == 2) return arena_sprintf(a, "前天 %02d:%02d", tm.tm_hour, tm.tm_min);
	if (days <= 7) return arena_sprintf(a, "%ld 天前", days);
	return NULL;
}
