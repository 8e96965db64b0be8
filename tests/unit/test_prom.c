// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/prom.c: the bucket bounds as Prometheus prints them,
 * label quoting, and a whole histogram's lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "prom.h"

static void assert_le(int slot, int unit_exp, const char *want)
{
	char buf[32];

	ct_prom_le(buf, sizeof(buf), slot, unit_exp);
	assert_string_equal(buf, want);
}

/* Go's strconv.FormatFloat(2^(slot+1) * 10^-unit_exp, 'g', -1, 64). */
static void test_le_microseconds(void **state)
{
	(void)state;
	assert_le(0, 6, "2e-06");
	assert_le(2, 6, "8e-06");
	assert_le(3, 6, "1.6e-05");
	assert_le(5, 6, "6.4e-05");
	assert_le(6, 6, "0.000128");
	assert_le(9, 6, "0.001024");
	assert_le(19, 6, "1.048576");
	assert_le(25, 6, "67.108864");
	assert_le(30, 6, "2147.483648");
}

static void test_le_milliseconds(void **state)
{
	(void)state;
	assert_le(0, 3, "0.002");
	assert_le(9, 3, "1.024");
	assert_le(18, 3, "524.288");
	assert_le(19, 3, "1048.576");
	assert_le(29, 3, "1.073741824e+06");
}

static char *quoted(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	ct_prom_quote(f, s, strlen(s));
	fclose(f);
	return buf;
}

static void test_quote(void **state)
{
	char *q = quoted("a\"b\\c\nd");

	(void)state;
	assert_string_equal(q, "\"a\\\"b\\\\c\\nd\"");
	free(q);
}

/* Cumulative buckets; the last slot only in +Inf; _sum in seconds. */
static void test_hist_lines(void **state)
{
	__u64 slots[4] = { 1, 0, 2, 5 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	ct_prom_hist(f, "m", NULL, slots, 4, 6, 1500000000ULL);
	fclose(f);
	assert_string_equal(buf,
			    "m_bucket{le=\"2e-06\"} 1\n"
			    "m_bucket{le=\"4e-06\"} 1\n"
			    "m_bucket{le=\"8e-06\"} 3\n"
			    "m_bucket{le=\"+Inf\"} 8\n"
			    "m_sum 1.500000000\n"
			    "m_count 8\n");
	free(buf);
}

/* Counts: the bounds of whole numbers, 2^(i+1) - 1; _sum as it is. */
static void test_count_hist_lines(void **state)
{
	__u64 slots[4] = { 2, 2, 0, 1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	ct_prom_count_hist(f, "m", NULL, slots, 4, 14);
	fclose(f);
	assert_string_equal(buf,
			    "m_bucket{le=\"1\"} 2\n"
			    "m_bucket{le=\"3\"} 4\n"
			    "m_bucket{le=\"7\"} 4\n"
			    "m_bucket{le=\"+Inf\"} 5\n"
			    "m_sum 14\n"
			    "m_count 5\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_le_microseconds),
		cmocka_unit_test(test_le_milliseconds),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_hist_lines),
		cmocka_unit_test(test_count_hist_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
