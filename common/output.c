// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "outbuf.h"
#include "output.h"

static __u64 start_ns;
static __s64 realtime_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */

static __u64 clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

__s64 ct_realtime_offset(const struct ct_clock_reading *r, int n)
{
	const struct ct_clock_reading *best = r;
	int i;

	for (i = 1; i < n; i++)
		if (r[i].mono_after - r[i].mono_before <
		    best->mono_after - best->mono_before)
			best = &r[i];
	return (__s64)(best->real - best->mono_before -
		       (best->mono_after - best->mono_before) / 2);
}

/*
 * The wall clock's offset is read once, and every wall time of the run
 * depends on it: a preemption between the two clocks' reads (a tick,
 * under load) would put them all off by its length. The wall clock is
 * read between two reads of the monotonic one, a few times, and the
 * narrowest bracket kept: it is off by at most half its width.
 */
void ct_time_init(void)
{
	struct ct_clock_reading r[CT_CLOCK_READINGS];
	int i;

	for (i = 0; i < CT_CLOCK_READINGS; i++) {
		r[i].mono_before = clock_ns(CLOCK_MONOTONIC);
		r[i].real = clock_ns(CLOCK_REALTIME);
		r[i].mono_after = clock_ns(CLOCK_MONOTONIC);
	}
	start_ns = r[0].mono_before;
	realtime_offset_ns = ct_realtime_offset(r, CT_CLOCK_READINGS);
}

__u64 ct_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static struct timespec wall_time(__u64 ktime_ns)
{
	__u64 ns = ktime_ns + realtime_offset_ns;
	struct timespec ts = {
		.tv_sec = ns / 1000000000ULL,
		.tv_nsec = ns % 1000000000ULL,
	};

	return ts;
}

char *ct_fmt_hms(char *buf, size_t size, __u64 ktime_ns)
{
	struct timespec ts = wall_time(ktime_ns);
	struct tm tm;

	localtime_r(&ts.tv_sec, &tm);
	strftime(buf, size, "%H:%M:%S", &tm);
	return buf;
}

char *ct_put_iso8601(char *d, __u64 ktime_ns)
{
	/* Events come many a second: the date is worked out once a second. */
	static time_t last_sec = -1;
	static char secs[32];
	static size_t n;
	struct timespec ts = wall_time(ktime_ns);
	unsigned int us = ts.tv_nsec / 1000;

	if (ts.tv_sec != last_sec) {
		struct tm tm;

		gmtime_r(&ts.tv_sec, &tm);
		n = strftime(secs, sizeof(secs), "%Y-%m-%dT%H:%M:%S", &tm);
		last_sec = ts.tv_sec;
	}
	/*
	 * Not printf: parsing its format was a sizable part of a line. The
	 * microseconds are the last 6 digits of 1000000 + us, the 1 the dot.
	 */
	memcpy(d, secs, sizeof(secs));
	ct_put_uint(d + n, 1000000 + us);
	d[n] = '.';
	d[n + 7] = 'Z';
	return d + n + 8;
}

char *ct_fmt_iso8601(char *buf, size_t size, __u64 ktime_ns)
{
	char t[CT_ISO8601_MAX];
	size_t n = ct_put_iso8601(t, ktime_ns) - t;

	if (size <= n) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	memcpy(buf, t, n);
	buf[n] = '\0';
	return buf;
}

__u64 ct_ns_since_start(__u64 ktime_ns)
{
	return ktime_ns < start_ns ? 0 : ktime_ns - start_ns;
}

double ct_secs_since_start(__u64 ktime_ns)
{
	if (ktime_ns < start_ns)
		return 0;
	return (ktime_ns - start_ns) / 1e9;
}

const char *ct_errno_name(int err)
{
	return strerrorname_np(err < 0 ? -err : err);
}

/*
 * Second names of numbers that strerrorname_np() names once: every
 * "#define EX EY" of <errno.h>. The numbers are the target's (EDEADLOCK is
 * not EDEADLK everywhere).
 */
static const struct {
	const char *name;
	int err;
} errno_aliases[] = {
	{ "EWOULDBLOCK", EWOULDBLOCK },
	{ "ENOTSUP", ENOTSUP },
	{ "EDEADLOCK", EDEADLOCK },
};

int ct_errno_by_name(const char *name)
{
	size_t i;

	for (int e = 1; e <= 4095; e++) {
		const char *s = ct_errno_name(e);

		if (s && !strcasecmp(s, name))
			return e;
	}
	for (i = 0; i < sizeof(errno_aliases) / sizeof(errno_aliases[0]); i++)
		if (!strcasecmp(errno_aliases[i].name, name))
			return errno_aliases[i].err;
	return 0;
}
