// SPDX-License-Identifier: GPL-2.0
/* Unit tests of common/net_addr.c: RFC 5952 output, filters, port lists. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "net_addr.h"

static __u8 bin[16];

static const void *v6(const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, bin), 1);
	return bin;
}

static const void *v4(const char *s)
{
	memset(bin, 0, sizeof(bin));
	assert_int_equal(inet_pton(AF_INET, s, bin), 1);
	return bin;
}

static void expect6(const char *in, const char *out)
{
	char buf[CT_ADDR_STRLEN];

	assert_string_equal(ct_fmt_addr(buf, sizeof(buf), AF_INET6, v6(in)),
			    out);
}

static void test_ipv4(void **state)
{
	char buf[CT_ADDR_STRLEN];

	(void)state;
	assert_string_equal(ct_fmt_addr(buf, sizeof(buf), AF_INET,
					v4("192.0.2.1")), "192.0.2.1");
	assert_string_equal(ct_fmt_addr(buf, sizeof(buf), AF_INET,
					v4("255.255.255.255")),
			    "255.255.255.255");
	assert_string_equal(ct_fmt_addr(buf, sizeof(buf), AF_INET,
					v4("0.0.0.0")), "0.0.0.0");
	assert_string_equal(ct_fmt_addr(buf, sizeof(buf), AF_UNIX, bin), "?");
}

/* The examples of RFC 5952, sections 4.1 to 4.3 and 5. */
static void test_ipv6_rfc5952(void **state)
{
	(void)state;
	expect6("2001:0db8::0001", "2001:db8::1");
	expect6("2001:db8:0:0:0:0:2:1", "2001:db8::2:1");
	expect6("2001:db8::0:1", "2001:db8::1");
	/* One zero group is not compressed. */
	expect6("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1");
	/* The longest run; of equal ones, the first. */
	expect6("2001:0:0:1:0:0:0:1", "2001:0:0:1::1");
	expect6("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
	expect6("2001:DB8::AbCd", "2001:db8::abcd");
	expect6("::", "::");
	expect6("::1", "::1");
	expect6("1::", "1::");
	expect6("1:0:0:0:0:0:0:0", "1::");
	expect6("0:0:0:0:0:0:0:1", "::1");
	expect6("fe80::1:2:3:4", "fe80::1:2:3:4");
	expect6("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8");
	expect6("0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1");
	expect6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	/* IPv4-mapped: mixed notation; IPv4-compatible (deprecated): not. */
	expect6("::ffff:192.0.2.1", "::ffff:192.0.2.1");
	expect6("::ffff:0:0", "::ffff:0.0.0.0");
	expect6("::192.0.2.1", "::c000:201");
	expect6("::1:ffff:192.0.2.1", "::1:ffff:c000:201");
}

/*
 * The C library's inet_ntop() compresses the same way except for the
 * IPv4-compatible addresses ::a.b.c.d (deprecated, RFC 4291 2.5.5.1):
 * compare on many addresses with many zero groups.
 */
static void test_ipv6_like_inet_ntop(void **state)
{
	char ours[CT_ADDR_STRLEN], libc[INET6_ADDRSTRLEN];
	unsigned int seed = 17;
	__u8 a[16];

	(void)state;
	for (int n = 0; n < 100000; n++) {
		for (int i = 0; i < 16; i += 2) {
			int r = rand_r(&seed);

			a[i] = r & 3 ? 0 : r >> 8;
			a[i + 1] = r & 3 ? 0 : r >> 16;
		}
		if (!memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0", 12))
			continue;
		ct_fmt_addr(ours, sizeof(ours), AF_INET6, a);
		inet_ntop(AF_INET6, a, libc, sizeof(libc));
		assert_string_equal(ours, libc);
	}
}

static void test_addr_port(void **state)
{
	char buf[CT_ADDR_PORT_STRLEN];

	(void)state;
	assert_string_equal(ct_fmt_addr_port(buf, sizeof(buf), AF_INET,
					     v4("1.2.3.4"), 80),
			    "1.2.3.4:80");
	assert_string_equal(ct_fmt_addr_port(buf, sizeof(buf), AF_INET6,
					     v6("::1"), 80), "[::1]:80");
	assert_string_equal(ct_fmt_addr_port(buf, sizeof(buf), AF_INET6,
			v6("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"),
			65535),
		"[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	assert_true(strlen(buf) < CT_ADDR_PORT_STRLEN);
	assert_string_equal(ct_fmt_addr_port(buf, 8, AF_INET,
					     v4("10.20.30.40"), 8080),
			    "10.20.3");
}

static bool match(const char *filter, int family, const void *addr)
{
	struct ct_addr_filter f;

	assert_int_equal(ct_parse_addr_filter(filter, &f), 0);
	return ct_addr_filter_match(&f, family, addr);
}

static void test_filters(void **state)
{
	(void)state;
	assert_true(match("192.0.2.1", AF_INET, v4("192.0.2.1")));
	assert_false(match("192.0.2.1", AF_INET, v4("192.0.2.2")));
	assert_true(match("192.0.2.1", AF_INET6, v6("::ffff:192.0.2.1")));
	assert_false(match("192.0.2.1", AF_INET6, v6("::192.0.2.1")));
	assert_true(match("10.0.0.0/8", AF_INET, v4("10.255.0.1")));
	assert_false(match("10.0.0.0/8", AF_INET, v4("11.0.0.1")));
	assert_true(match("10.0.0.0/8", AF_INET6, v6("::ffff:10.1.2.3")));
	assert_true(match("192.168.0.0/17", AF_INET, v4("192.168.127.1")));
	assert_false(match("192.168.0.0/17", AF_INET, v4("192.168.128.1")));
	assert_true(match("0.0.0.0/0", AF_INET, v4("8.8.8.8")));
	assert_false(match("0.0.0.0/0", AF_INET6, v6("::1")));
	assert_true(match("::1", AF_INET6, v6("::1")));
	assert_true(match("[::1]", AF_INET6, v6("::1")));
	assert_false(match("::1", AF_INET, v4("0.0.0.1")));
	assert_true(match("2001:db8::/32", AF_INET6, v6("2001:db8:1::5")));
	assert_false(match("2001:db8::/32", AF_INET6, v6("2001:db9::5")));
	assert_true(match("::ffff:192.0.2.1", AF_INET6,
			  v6("::ffff:192.0.2.1")));
	assert_false(match("::ffff:192.0.2.1", AF_INET, v4("192.0.2.1")));
}

static void test_bad_filters(void **state)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "[1.2.3.4]", "::1::",
		"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1",
		"2001:db8::/129", "::1/x", "[::1", "localhost", "1.2.3.4 ",
	};
	struct ct_addr_filter f;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ct_parse_addr_filter(bad[i], &f), -1);
}

static void test_ports(void **state)
{
	__u16 p[4];

	(void)state;
	assert_int_equal(ct_parse_ports("80", p, 4), 1);
	assert_int_equal(p[0], 80);
	assert_int_equal(ct_parse_ports("80,443,65535", p, 4), 3);
	assert_int_equal(p[1], 443);
	assert_int_equal(p[2], 65535);
	assert_int_equal(ct_parse_ports("22,22,22,80", p, 2), 2);
	assert_int_equal(ct_parse_ports("1,2,3", p, 2), -1);
	assert_int_equal(ct_parse_ports("", p, 4), -1);
	assert_int_equal(ct_parse_ports("0", p, 4), -1);
	assert_int_equal(ct_parse_ports("65536", p, 4), -1);
	assert_int_equal(ct_parse_ports("80,", p, 4), -1);
	assert_int_equal(ct_parse_ports(",80", p, 4), -1);
	assert_int_equal(ct_parse_ports("80 ", p, 4), -1);
	assert_int_equal(ct_parse_ports("+80", p, 4), -1);
	assert_int_equal(ct_parse_ports("http", p, 4), -1);
	assert_int_equal(ct_parse_ports("99999999999999", p, 4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6_rfc5952),
		cmocka_unit_test(test_ipv6_like_inet_ntop),
		cmocka_unit_test(test_addr_port),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_bad_filters),
		cmocka_unit_test(test_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
