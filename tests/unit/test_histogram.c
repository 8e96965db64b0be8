// SPDX-License-Identifier: GPL-2.0
/* Unit tests of common/histogram.c: the exact text users and scripts see. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "histogram.h"

/* What a printer writes, captured in memory; free() the result. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static void capture_start(struct capture *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static void assert_text(struct capture *c, const char *expected)
{
	char *text = capture_end(c);

	assert_string_equal(text, expected);
	free(text);
}

/* 40-column bars, spelt out so that a wrong count of stars shows. */
#define BAR_0  "|                                        |"
#define BAR_13 "|*************                           |"
#define BAR_20 "|********************                    |"
#define BAR_40 "|****************************************|"

static void test_log2_trims_empty_slots(void **state)
{
	const __u32 slots[8] = { 0, 0, 5, 10, 0, 1, 0, 0 };
	struct capture c;

	(void)state;
	capture_start(&c);
	ct_print_log2_hist(c.f, slots, 8, "usecs");
	/* Slots 0-1 and 6-7 are trimmed; the empty slot 4 inside is not. */
	assert_text(&c,
		"     usecs               : count    distribution\n"
		"         4 -> 7          : 5        " BAR_20 "\n"
		"         8 -> 15         : 10       " BAR_40 "\n"
		"        16 -> 31         : 0        " BAR_0 "\n"
		"        32 -> 63         : 1        |****                "
		"                    |\n");
}

static void test_log2_slot_zero_and_rounding(void **state)
{
	const __u32 slots[4] = { 3, 1 };
	struct capture c;

	(void)state;
	capture_start(&c);
	ct_print_log2_hist(c.f, slots, 4, "msecs");
	/* Slot 0 holds 0 and 1; 1 of 3 is 13.3 columns, rounded down. */
	assert_text(&c,
		"     msecs               : count    distribution\n"
		"         0 -> 1          : 3        " BAR_40 "\n"
		"         2 -> 3          : 1        " BAR_13 "\n");
}

static void test_log2_empty_prints_nothing(void **state)
{
	const __u32 slots[32] = { 0 };
	struct capture c;

	(void)state;
	capture_start(&c);
	ct_print_log2_hist(c.f, slots, 32, "usecs");
	assert_text(&c, "");
}

static void test_log2_wide_past_2_pow_32(void **state)
{
	__u32 slots[64] = { 0 };
	struct capture c;

	(void)state;
	slots[31] = 2;
	slots[33] = 4;
	capture_start(&c);
	ct_print_log2_hist(c.f, slots, 64, "nsecs");
	/* Wider columns and a 20-column bar; the last slot ends at 2^64-1. */
	assert_text(&c,
		"               nsecs                         : count    "
		"distribution\n"
		"          2147483648 -> 4294967295           : 2        "
		"|**********          |\n"
		"          4294967296 -> 8589934591           : 0        "
		"|                    |\n"
		"          8589934592 -> 17179869183          : 4        "
		"|********************|\n");
	capture_start(&c);
	slots[31] = slots[33] = 0;
	slots[63] = 1;
	ct_print_log2_hist(c.f, slots, 64, "nsecs");
	assert_text(&c,
		"               nsecs                         : count    "
		"distribution\n"
		" 9223372036854775808 -> 18446744073709551615 : 1        "
		"|********************|\n");
}

static void test_log2_below_2_pow_32_stays_narrow(void **state)
{
	__u32 slots[40] = { 0 };
	struct capture c;

	(void)state;
	slots[31] = 7;
	capture_start(&c);
	ct_print_log2_hist(c.f, slots, 40, "usecs");
	assert_text(&c,
		"     usecs               : count    distribution\n"
		"2147483648 -> 4294967295 : 7        " BAR_40 "\n");
}

static void test_linear(void **state)
{
	const __u32 slots[5] = { 0, 2, 4, 0, 0 };
	struct capture c;

	(void)state;
	capture_start(&c);
	ct_print_linear_hist(c.f, slots, 5, 10, 5, "kbytes");
	assert_text(&c,
		"     kbytes              : count    distribution\n"
		"        15 -> 19         : 2        " BAR_20 "\n"
		"        20 -> 24         : 4        " BAR_40 "\n");
}

static void test_linear_empty_prints_nothing(void **state)
{
	const __u32 slots[3] = { 0 };
	struct capture c;

	(void)state;
	capture_start(&c);
	ct_print_linear_hist(c.f, slots, 3, 0, 1, "ms");
	assert_text(&c, "");
}

static void test_large_counts_keep_alignment(void **state)
{
	const __u32 slots[2] = { 4000000000U, 123456789 };
	struct capture c;

	(void)state;
	capture_start(&c);
	ct_print_log2_hist(c.f, slots, 2, "usecs");
	/* No overflow in count * 40; a count past 8 digits widens its row. */
	assert_text(&c,
		"     usecs               : count    distribution\n"
		"         0 -> 1          : 4000000000 " BAR_40 "\n"
		"         2 -> 3          : 123456789 |*                     "
		"                  |\n");
}

static void test_json_log2(void **state)
{
	const __u32 slots[8] = { 0, 0, 5, 10, 0, 1, 0, 0 };
	struct capture c;
	struct ct_json j;

	(void)state;
	capture_start(&c);
	ct_json_begin(&j, c.f);
	ct_json_log2_hist(&j, "buckets", slots, 8);
	ct_json_end(&j);
	assert_text(&c,
		"{\"buckets\":[{\"low\":4,\"high\":7,\"count\":5},"
		"{\"low\":8,\"high\":15,\"count\":10},"
		"{\"low\":16,\"high\":31,\"count\":0},"
		"{\"low\":32,\"high\":63,\"count\":1}]}\n");
}

static void test_json_log2_slot_zero_and_last(void **state)
{
	__u32 slots[64] = { 0 };
	struct capture c;
	struct ct_json j;

	(void)state;
	slots[0] = 1;
	slots[63] = 2;
	capture_start(&c);
	ct_json_begin(&j, c.f);
	ct_json_log2_hist(&j, "b", slots, 64);
	ct_json_end(&j);
	{
		char *text = capture_end(&c);

		assert_true(!strncmp(text,
			"{\"b\":[{\"low\":0,\"high\":1,\"count\":1},"
			"{\"low\":2,\"high\":3,\"count\":0},", 59));
		assert_non_null(strstr(text,
			"{\"low\":9223372036854775808,"
			"\"high\":18446744073709551615,\"count\":2}]}\n"));
		free(text);
	}
}

static void test_json_empty_and_linear(void **state)
{
	const __u32 empty[4] = { 0 };
	const __u32 slots[4] = { 0, 0, 3, 0 };
	struct capture c;
	struct ct_json j;

	(void)state;
	capture_start(&c);
	ct_json_begin(&j, c.f);
	ct_json_str(&j, "unit", "usecs");
	ct_json_log2_hist(&j, "buckets", empty, 4);
	ct_json_linear_hist(&j, "linear", slots, 4, 100, 10);
	ct_json_end(&j);
	assert_text(&c,
		"{\"unit\":\"usecs\",\"buckets\":[],"
		"\"linear\":[{\"low\":120,\"high\":129,\"count\":3}]}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log2_trims_empty_slots),
		cmocka_unit_test(test_log2_slot_zero_and_rounding),
		cmocka_unit_test(test_log2_empty_prints_nothing),
		cmocka_unit_test(test_log2_wide_past_2_pow_32),
		cmocka_unit_test(test_log2_below_2_pow_32_stays_narrow),
		cmocka_unit_test(test_linear),
		cmocka_unit_test(test_linear_empty_prints_nothing),
		cmocka_unit_test(test_large_counts_keep_alignment),
		cmocka_unit_test(test_json_log2),
		cmocka_unit_test(test_json_log2_slot_zero_and_last),
		cmocka_unit_test(test_json_empty_and_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
