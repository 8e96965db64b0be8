/* SPDX-License-Identifier: GPL-2.0 */
/* Small things the load generators share: a clock and a rate limiter. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline long bench_count(const char *prog, const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (!*s || *end || n <= 0) {
		fprintf(stderr, "%s: bad count '%s'\n", prog, s);
		exit(2);
	}
	return n;
}

/*
 * Pacing for -r RATE: after op i, sleep until op i + 1 is due. Sleeping to
 * an absolute time keeps the average rate exact even when one sleep
 * overshoots; a rate of 0 means as fast as possible.
 */
static inline void bench_pace(double start, long rate, long done)
{
	struct timespec ts;
	double due;

	if (!rate)
		return;
	due = start + (double)done / rate;
	if (due - bench_now() < 20e-6)
		return;
	ts.tv_sec = (time_t)due;
	ts.tv_nsec = (long)((due - ts.tv_sec) * 1e9);
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

#endif
