// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of how common/output.c maps the kernel's monotonic clock to
 * wall time: the offset comes from the narrowest bracket of a few
 * readings, so that a preemption between two clock reads at start-up does
 * not put every wall time of the run off by its length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "output.h"

/* The wall clock's true offset in these readings, and 10 ms. */
#define OFF 1764590000000000000LL
#define MS10 10000000ULL

/* A reading of a clock pair not preempted: 50 ns, then 50 ns. */
static struct ct_clock_reading quick(__u64 mono)
{
	struct ct_clock_reading r = { mono, OFF + mono + 50, mono + 100 };

	return r;
}

/* Preempted for 10 ms between the monotonic read and the wall clock's. */
static void test_preempted_before_the_wall_clock(void **state)
{
	struct ct_clock_reading r[2] = {
		{ 1000, OFF + 1000 + MS10 + 50, 1000 + MS10 + 100 },
		quick(20 * MS10),
	};

	(void)state;
	/* Taking the first as it was read would be 10 ms off. */
	assert_int_equal(ct_realtime_offset(r, 2), OFF);
}

/* Preempted after the wall clock, in the last of four. */
static void test_preempted_after_the_wall_clock(void **state)
{
	struct ct_clock_reading r[4] = {
		quick(1000), quick(2000), quick(3000),
		{ 4000, OFF + 4050, 4000 + MS10 + 100 },
	};

	(void)state;
	assert_int_equal(ct_realtime_offset(r, 4), OFF);
	/* Alone, its middle is 5 ms from either end. */
	assert_int_equal(ct_realtime_offset(&r[3], 1),
			 OFF + 50 - (MS10 + 100) / 2);
}

/* Of equal widths the first; the wall clock at the bracket's middle. */
static void test_equal_widths_and_the_middle(void **state)
{
	struct ct_clock_reading r[3] = {
		{ 1000, OFF + 1000 + 300, 1600 },
		{ 3000, OFF + 3000 + 300 + 7, 3600 },
		{ 5000, OFF + 5000 + 300 + 9, 5600 },
	};

	(void)state;
	/* 300 after the start of a 600 ns bracket: its middle, exactly. */
	assert_int_equal(ct_realtime_offset(r, 3), OFF);
	r[2].mono_after--;
	assert_int_equal(ct_realtime_offset(r, 3), OFF + 9 + 1);
}

/* The microseconds since the epoch of an ISO 8601 time ct_fmt_iso8601(). */
static long long iso_us(const char *s)
{
	struct tm tm = { 0 };
	const char *frac = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	long us;

	assert_non_null(frac);
	assert_int_equal(sscanf(frac, ".%6ldZ", &us), 1);
	return (long long)timegm(&tm) * 1000000 + us;
}

static long long realtime_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The live clocks: now in wall time is now, to within a second. */
static void test_live_clocks(void **state)
{
	char buf[CT_ISO8601_MAX];
	long long before, shown, after;

	(void)state;
	ct_time_init();
	before = realtime_us();
	shown = iso_us(ct_fmt_iso8601(buf, sizeof(buf), ct_now_ns()));
	after = realtime_us();
	assert_true(shown >= before - 1000000 && shown <= after + 1000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preempted_before_the_wall_clock),
		cmocka_unit_test(test_preempted_after_the_wall_clock),
		cmocka_unit_test(test_equal_widths_and_the_middle),
		cmocka_unit_test(test_live_clocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
