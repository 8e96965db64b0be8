// SPDX-License-Identifier: GPL-2.0
/* Unit tests of common/outbuf.c: output lines built in memory. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"
#include "outbuf.h"
#include "output.h"

/* The buffer's contents must be want; then it is emptied. */
static void expect(struct ct_buf *b, const char *want)
{
	assert_int_equal(b->len, strlen(want));
	assert_memory_equal(b->p, want, b->len);
	b->len = 0;
}

static void test_numbers(void **state)
{
	struct ct_buf b = { 0 };
	char num[24];

	(void)state;
	assert_int_equal(ct_buf_int(&b, 0), 1);
	expect(&b, "0");
	ct_buf_int(&b, LLONG_MIN);
	expect(&b, "-9223372036854775808");
	ct_buf_uint(&b, ULLONG_MAX);
	expect(&b, "18446744073709551615");
	/* As "%4lld": padded on the left, never cut. */
	assert_int_equal(ct_buf_int_right(&b, -1, 4), 4);
	expect(&b, "  -1");
	assert_int_equal(ct_buf_int_right(&b, 123456, 4), 6);
	expect(&b, "123456");
	assert_int_equal(ct_fmt_int(num, -42), 3);
	assert_string_equal(num, "-42");
	assert_int_equal(ct_fmt_uint(num, 7), 1);
	assert_string_equal(num, "7");
	ct_buf_free(&b);
}

static void test_grows(void **state)
{
	struct ct_buf b = { 0 };
	char big[5000];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ct_buf_putc(&b, '[');
	assert_int_equal(ct_buf_printf(&b, "%s", big), sizeof(big) - 1);
	ct_buf_pad(&b, 3);
	ct_buf_pad(&b, -1);
	ct_buf_puts(&b, "]");
	assert_int_equal(b.len, sizeof(big) + 4);
	assert_memory_equal(b.p + 1, big, sizeof(big) - 1);
	assert_memory_equal(b.p + sizeof(big), "   ]", 4);
	ct_buf_free(&b);
	assert_null(b.p);
}

/* Escaped into the buffer as ct_escape() does, the width returned. */
static void test_escaped(void **state)
{
	static const char s[] = "a\033b \xff\xc3\xa9\n";
	struct ct_buf b = { 0 };
	char want[64];
	size_t n;

	(void)state;
	n = ct_escape(want, sizeof(want), s, sizeof(s) - 1, CT_ESC_SPACE);
	assert_int_equal(ct_buf_escaped(&b, s, sizeof(s) - 1, CT_ESC_SPACE),
			 n);
	expect(&b, want);
	ct_buf_free(&b);
}

/* One write of the whole line, and the buffer empty after. */
static void test_flush(void **state)
{
	struct ct_buf b = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_non_null(f);
	ct_buf_puts(&b, "one line\n");
	ct_buf_flush(&b, f);
	assert_int_equal(b.len, 0);
	ct_buf_flush(&b, f);
	fclose(f);
	assert_string_equal(out, "one line\n");
	free(out);
	ct_buf_free(&b);
}

/* Every number of up to 20 digits, and its neighbours, as printf has it. */
static void test_numbers_as_printf(void **state)
{
	struct ct_buf b = { 0 };
	char want[64], num[24];

	(void)state;
	for (unsigned long long p = 1; p; p = p * 10 > p ? p * 10 : 0) {
		for (unsigned long long v = p - 1; v <= p + 1; v++) {
			long long s = (long long)v;

			snprintf(want, sizeof(want), "%llu", v);
			assert_int_equal(ct_buf_uint(&b, v), strlen(want));
			expect(&b, want);
			assert_int_equal(ct_fmt_uint(num, v), strlen(want));
			assert_string_equal(num, want);
			snprintf(want, sizeof(want), "%lld", -s);
			ct_buf_int(&b, -s);
			expect(&b, want);
			snprintf(want, sizeof(want), "%7lld", s);
			ct_buf_int_right(&b, s, 7);
			expect(&b, want);
			snprintf(want, sizeof(want), "%lld", s);
			assert_int_equal(ct_fmt_int(num, s), strlen(want));
			assert_string_equal(num, want);
		}
	}
	ct_buf_int_right(&b, LLONG_MIN, 30);
	snprintf(want, sizeof(want), "%30lld", LLONG_MIN);
	expect(&b, want);
	ct_buf_free(&b);
}

/* In place, into exactly the room they ask for, as printf would. */
static void test_put_numbers(void **state)
{
	static const long long v[] = {
		0, 9, 10, -1, -9, -10, 99, 100, 4294967295LL, LLONG_MAX,
		LLONG_MIN, LLONG_MIN + 1,
	};
	char *d = malloc(CT_PUT_NUMBER_ROOM);
	char want[32];

	(void)state;
	assert_non_null(d);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int n = snprintf(want, sizeof(want), "%lld", v[i]);

		assert_int_equal(ct_put_int(d, v[i]) - d, n);
		assert_memory_equal(d, want, n);
		n = snprintf(want, sizeof(want), "%llu",
			     (unsigned long long)v[i]);
		assert_int_equal(ct_put_uint(d, v[i]) - d, n);
		assert_memory_equal(d, want, n);
	}
	free(d);
}

/*
 * ISO 8601 times in place, into exactly their room: the form, and the
 * microseconds of two times 1 us apart (within one second) one apart.
 */
static void test_put_iso8601(void **state)
{
	char *d = malloc(CT_ISO8601_MAX);
	char t[CT_ISO8601_MAX];
	__u64 now;

	(void)state;
	assert_non_null(d);
	ct_time_init();
	now = ct_now_ns();
	now -= now % 1000000000ULL;
	for (__u64 us = 0; us < 1000000; us += 4321) {
		__u64 k = now + us * 1000;

		assert_int_equal(ct_put_iso8601(d, k) - d, 27);
		assert_int_equal(d[4], '-');
		assert_int_equal(d[10], 'T');
		assert_int_equal(d[19], '.');
		assert_int_equal(d[26], 'Z');
		assert_int_equal(ct_put_iso8601(t, k + 1000) - t, 27);
		/* Within the second of the wall clock the offset starts at. */
		if (memcmp(d, t, 19))
			continue;
		assert_int_equal(atoi(t + 20), (atoi(d + 20) + 1) % 1000000);
	}
	assert_string_equal(ct_fmt_iso8601(t, 28, now), ct_fmt_iso8601(
			    (char[40]){ 0 }, 40, now));
	assert_string_equal(ct_fmt_iso8601(t, 27, now), "");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_numbers_as_printf),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_put_numbers),
		cmocka_unit_test(test_put_iso8601),
	};

	return cmocka_run_group_tests_name("outbuf", tests, NULL, NULL);
}
