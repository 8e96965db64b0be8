// SPDX-License-Identifier: GPL-2.0
/* IP addresses and ports: RFC 5952 output, filters. See net_addr.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net_addr.h"

static const __u8 v4_mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

bool ct_addr_v4_mapped(const void *addr)
{
	return !memcmp(addr, v4_mapped_prefix, sizeof(v4_mapped_prefix));
}

static char *fmt_v4(char *buf, size_t size, const __u8 *a)
{
	snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return buf;
}

/* The longest run of two or more zero groups: *start, *len (0: none). */
static void longest_zero_run(const __u16 *g, int *start, int *len)
{
	int run = 0;

	*start = -1;
	*len = 0;
	for (int i = 0; i < 8; i++) {
		run = g[i] ? 0 : run + 1;
		if (run > *len && run >= 2) {
			*len = run;
			*start = i - run + 1;
		}
	}
}

static char *fmt_v6(char *buf, size_t size, const __u8 *a)
{
	char tmp[CT_ADDR_STRLEN], *p = tmp;
	int start, len, i;
	__u16 g[8];

	if (ct_addr_v4_mapped(a)) {
		snprintf(buf, size, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14],
			 a[15]);
		return buf;
	}
	for (i = 0; i < 8; i++)
		g[i] = a[2 * i] << 8 | a[2 * i + 1];
	longest_zero_run(g, &start, &len);
	for (i = 0; i < 8; i++) {
		if (i == start) {
			p += sprintf(p, "::");
			i += len - 1;
			continue;
		}
		p += sprintf(p, "%s%x", i && i != start + len ? ":" : "", g[i]);
	}
	snprintf(buf, size, "%s", tmp);
	return buf;
}

char *ct_fmt_addr(char *buf, size_t size, int family, const void *addr)
{
	if (family == AF_INET)
		return fmt_v4(buf, size, addr);
	if (family == AF_INET6)
		return fmt_v6(buf, size, addr);
	snprintf(buf, size, "?");
	return buf;
}

char *ct_fmt_addr_port(char *buf, size_t size, int family, const void *addr,
		       __u16 port)
{
	char a[CT_ADDR_STRLEN];

	ct_fmt_addr(a, sizeof(a), family, addr);
	if (family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", a, port);
	else
		snprintf(buf, size, "%s:%u", a, port);
	return buf;
}

/* A decimal number from min to max, nothing else. */
static int parse_uint(const char *s, size_t len, long max, long *v)
{
	char digits[12], *end;

	if (!len || len >= sizeof(digits))
		return -1;
	memcpy(digits, s, len);
	digits[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)digits[i]))
			return -1;
	errno = 0;
	*v = strtol(digits, &end, 10);
	return errno || *v > max ? -1 : 0;
}

/* Are the bits of a past the first prefix bits all zero? */
static bool host_bits_zero(const __u8 *a, int bytes, int prefix)
{
	for (int i = prefix; i < bytes * 8; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* The address part of s (len bytes), brackets allowed around IPv6. */
static int parse_addr(const char *s, size_t len, struct ct_addr_filter *f)
{
	bool bracketed = len >= 2 && s[0] == '[' && s[len - 1] == ']';
	char tmp[CT_ADDR_STRLEN + 2];

	if (bracketed)
		s++, len -= 2;
	if (!len || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	memset(f->addr, 0, sizeof(f->addr));
	if (inet_pton(AF_INET, tmp, f->addr) == 1 && !bracketed)
		f->family = AF_INET, f->prefix = 32;
	else if (inet_pton(AF_INET6, tmp, f->addr) == 1)
		f->family = AF_INET6, f->prefix = 128;
	else
		return -1;
	return 0;
}

int ct_parse_addr_filter(const char *s, struct ct_addr_filter *f)
{
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	long prefix;

	if (parse_addr(s, len, f))
		return -1;
	if (!slash)
		return 0;
	if (parse_uint(slash + 1, strlen(slash + 1), f->prefix, &prefix) ||
	    !host_bits_zero(f->addr, f->prefix / 8, prefix))
		return -1;
	f->prefix = prefix;
	return 0;
}

/* Do the first bits bits of a and b agree? */
static bool prefix_equal(const __u8 *a, const __u8 *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	return !rest || !((a[bytes] ^ b[bytes]) & (0xff00 >> rest));
}

bool ct_addr_filter_match(const struct ct_addr_filter *f, int family,
			  const void *addr)
{
	const __u8 *a = addr;

	if (f->family == AF_INET && family == AF_INET6 &&
	    ct_addr_v4_mapped(a)) {
		a += 12;
		family = AF_INET;
	}
	if (family != f->family)
		return false;
	return prefix_equal(a, f->addr, f->prefix);
}

int ct_parse_ports(const char *s, __u16 *ports, size_t max)
{
	size_t n = 0, i;

	for (;;) {
		size_t len = strcspn(s, ",");
		long port;

		if (parse_uint(s, len, 65535, &port) || !port)
			return -1;
		for (i = 0; i < n && ports[i] != port; i++)
			;
		if (i == n) {
			if (n == max)
				return -1;
			ports[n++] = port;
		}
		if (!s[len])
			return n;
		s += len + 1;
	}
}
