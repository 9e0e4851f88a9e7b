/* timefmt: Discuz!-style dates; see timefmt.h. */
#include "util/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
** glibc's localtime_r re-parses the zone's rule string (with sscanf) on every
** call for times after the zone's last listed transition, and a thread page
** formats some 70 times. So each thread remembers, per UTC day, the zone offset
** when it is the same at both ends of that day (no transition inside), and then
** formats with gmtime_r. The cache is dropped when the zone is set again
** (timefmt_set_zone bumps a generation; reading TZ with getenv at each call was
** 1.5% of a cache miss, issue 16).
*/
#define TZC_SLOTS 256
struct tzc_slot { long day; long off; int isdst; int valid; const char *zone; };
struct tzc { unsigned gen; int ok; struct tzc_slot s[TZC_SLOTS]; };
static __thread struct tzc g_tzc;
static unsigned g_zone_gen;

void timefmt_set_zone(const char *tz) {
	if (tz) setenv("TZ", tz, 1);
	else unsetenv("TZ");
	tzset();
	__atomic_add_fetch(&g_zone_gen, 1, __ATOMIC_RELEASE);
}

static struct tm local(time_t t) {
	struct tm tm;
	struct tzc *c = &g_tzc;
	unsigned gen = __atomic_load_n(&g_zone_gen, __ATOMIC_ACQUIRE);
	if (!c->ok || c->gen != gen) {
		memset(c, 0, sizeof *c);
		c->gen = gen;
		c->ok = 1;
	}
	long day = (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	struct tzc_slot *sl = &c->s[(unsigned long)day % TZC_SLOTS];
	if (!sl->valid || sl->day != day) {
		time_t a = (time_t)day * 86400, b = a + 86399;
		struct tm ta, tb;
		localtime_r(&a, &ta);
		localtime_r(&b, &tb);
		if (ta.tm_gmtoff != tb.tm_gmtoff || ta.tm_isdst != tb.tm_isdst) {
			localtime_r(&t, &tm);   /* a transition inside this day */
			return tm;
		}
		*sl = (struct tzc_slot){day, ta.tm_gmtoff, ta.tm_isdst, 1, ta.tm_zone};
	}
	time_t lt = t + sl->off;
	gmtime_r(&lt, &tm);
	tm.tm_gmtoff = sl->off;
	tm.tm_isdst = sl->isdst;
	tm.tm_zone = sl->zone;
	return tm;
}

long timefmt_yyyymmdd(time_t t) {
	struct tm tm = local(t);
	return (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

time_t timefmt_day_start(time_t t) {
	struct tm tm = local(t);
	time_t m = t - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
	struct tm tm0 = local(m);
	if (tm0.tm_hour == 0 && tm0.tm_min == 0 && tm0.tm_sec == 0 && tm0.tm_mday == tm.tm_mday &&
	    tm0.tm_gmtoff == tm.tm_gmtoff)
		return m;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;   /* a transition since midnight: ask mktime */
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The fixed date shapes below are written digit by digit: printf costs ~2,000
   instructions a call and a thread page formats dozens of dates. */
struct dstr { char s[64]; int n; };

/* v in decimal, zero-padded to width digits (printf's %0*ld) */
static void d_num(struct dstr *d, long v, int width) {
	char tmp[24];
	int k = 0;
	unsigned long u = v < 0 ? 0 - (unsigned long)v : (unsigned long)v;
	do tmp[k++] = (char)('0' + u % 10); while (u /= 10);
	if (v < 0) width--;
	while (k < width) tmp[k++] = '0';
	if (v < 0) d->s[d->n++] = '-';
	while (k) d->s[d->n++] = tmp[--k];
}
static void d_chr(struct dstr *d, char c) { d->s[d->n++] = c; }

/* Y-M-D, unpadded like Discuz! */
static void d_date(struct dstr *d, const struct tm *tm) {
	d_num(d, tm->tm_year + 1900L, 1);
	d_chr(d, '-');
	d_num(d, tm->tm_mon + 1, 1);
	d_chr(d, '-');
	d_num(d, tm->tm_mday, 1);
}

/* Y-M-D HH:MM, then :SS when seconds */
static const char *d_datetime(arena *a, time_t t, int seconds) {
	struct tm tm = local(t);
	struct dstr d = {.n = 0};
	d_date(&d, &tm);
	d_chr(&d, ' ');
	d_num(&d, tm.tm_hour, 2);
	d_chr(&d, ':');
	d_num(&d, tm.tm_min, 2);
	if (seconds) {
		d_chr(&d, ':');
		d_num(&d, tm.tm_sec, 2);
	}
	return arena_strndup(a, d.s, (size_t)d.n);
}

const char *timefmt_full(arena *a, time_t t) { return d_datetime(a, t, 1); }
const char *timefmt_short(arena *a, time_t t) { return d_datetime(a, t, 0); }

const char *timefmt_date(arena *a, time_t t) {
	struct tm tm = local(t);
	struct dstr d = {.n = 0};
	d_date(&d, &tm);
	return arena_strndup(a, d.s, (size_t)d.n);
}

const char *timefmt_iso(arena *a, time_t t) {
	struct tm tm = local(t);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0) off = -off;
	struct dstr d = {.n = 0};
	d_num(&d, tm.tm_year + 1900L, 4);
	d_chr(&d, '-');
	d_num(&d, tm.tm_mon + 1, 2);
	d_chr(&d, '-');
	d_num(&d, tm.tm_mday, 2);
	d_chr(&d, 'T');
	d_num(&d, tm.tm_hour, 2);
	d_chr(&d, ':');
	d_num(&d, tm.tm_min, 2);
	d_chr(&d, ':');
	d_num(&d, tm.tm_sec, 2);
	d_chr(&d, sign);
	d_num(&d, off / 3600, 2);
	d_chr(&d, ':');
	d_num(&d, (off % 3600) / 60, 2);
	return arena_strndup(a, d.s, (size_t)d.n);
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
