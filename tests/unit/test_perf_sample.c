// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/perf_sample.c's CPU lists, as the kernel writes them
 * in /sys/devices/system/cpu/{online,possible}. tests/runtime/
 * perf_sample.sh samples the CPUs.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "perf_sample.h"

static bool cpus[16];

static const char *set(void)
{
	static char s[17];

	for (int i = 0; i < 16; i++)
		s[i] = cpus[i] ? '1' : '0';
	return s;
}

static void test_lists(void **state)
{
	(void)state;
	assert_int_equal(ct_parse_cpu_list("0\n", cpus, 16), 1);
	assert_string_equal(set(), "1000000000000000");
	assert_int_equal(ct_parse_cpu_list("0-3", cpus, 16), 4);
	assert_string_equal(set(), "1111000000000000");
	assert_int_equal(ct_parse_cpu_list("0-1,4,6-7,15\n", cpus, 16), 6);
	assert_string_equal(set(), "1100101100000001");
	/* Holes: CPUs 1 and 2 offline. */
	assert_int_equal(ct_parse_cpu_list("0,3-4", cpus, 16), 3);
	assert_string_equal(set(), "1001100000000000");
	assert_int_equal(ct_parse_cpu_list("2,2,1-3", cpus, 16), 3);
}

static void test_bad_lists(void **state)
{
	static const char *const bad[] = {
		"", "\n", "-1", "1-", "3-1", "0,", ",0", "0 1", "0-3\n\n",
		"16", "0-16", "a", "0x1", "0\n1",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ct_parse_cpu_list(bad[i], cpus, 16), -1);
}

/* This machine's online CPUs: as many as sysconf() counts. */
static void test_online(void **state)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	bool many[4096];

	(void)state;
	assert_int_equal(ct_online_cpus(many, 4096), n);
	assert_true(many[0] || n < 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_bad_lists),
		cmocka_unit_test(test_online),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
