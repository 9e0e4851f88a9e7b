/* timefmt: dates as Discuz! readers know them, in the process time zone (TZ). */
#ifndef LOULAN_TIMEFMT_H
#define LOULAN_TIMEFMT_H
#include "util/arena.h"
#include <time.h>
/* sets TZ (NULL: unsets it) and tzset()s; the only way to change the zone the functions below use */
void timefmt_set_zone(const char *tz);
/* the local midnight that starts t's day (mktime's answer, found without mktime when no zone
   transition lies between that midnight and t) */
time_t timefmt_day_start(time_t t);
/* the local date as YYYYMMDD (Discuz!'s todaydate); both from the cached zone offset below, not
   localtime_r (the writer asks for today's date several times a post) */
long timefmt_yyyymmdd(time_t t);
const char *timefmt_full(arena *a, time_t t);    /* 2024-2-21 10:21:23 */
const char *timefmt_short(arena *a, time_t t);   /* 2024-2-21 10:21 */
const char *timefmt_date(arena *a, time_t t);    /* 2024-2-21 */
const char *timefmt_iso(arena *a, time_t t);     /* 2024-02-21T10:21:23+08:00 */
/* 刚刚, 12 秒前, 3 分钟前, 5 小时前, 昨天 10:21, 前天 10:21, 4 天前; NULL when older than a week */
const char *timefmt_relative(arena *a, time_t t, time_t now);
#endif
