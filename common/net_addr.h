/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IP addresses and ports for output and for filters, into the caller's
 * buffers (no allocation).
 *
 * IPv6 is written as RFC 5952 says: lower case, no leading zeros, the
 * longest run of two or more zero groups (the first of equal runs) as "::".
 * An IPv4-mapped IPv6 address (::ffff:0:0/96, an IPv4 peer of an AF_INET6
 * socket) keeps its family and is written in RFC 5952's mixed notation,
 * "::ffff:192.0.2.1": the family column and the address then agree. A filter
 * for an IPv4 address or network also matches it in that form.
 */
#ifndef CT_NET_ADDR_H
#define CT_NET_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" and its NUL. */
#define CT_ADDR_STRLEN 46
/* "[" address "]:65535" and its NUL. */
#define CT_ADDR_PORT_STRLEN (CT_ADDR_STRLEN + 8)

/*
 * Write addr (4 bytes for AF_INET, 16 for AF_INET6, network byte order) into
 * buf; "?" for another family. Returns buf.
 */
char *ct_fmt_addr(char *buf, size_t size, int family, const void *addr);

/*
 * "192.0.2.1:80", "[2001:db8::1]:443" (port in host byte order). Returns buf.
 */
char *ct_fmt_addr_port(char *buf, size_t size, int family, const void *addr,
		       __u16 port);

/* Is addr (16 bytes) IPv4-mapped, ::ffff:a.b.c.d? */
bool ct_addr_v4_mapped(const void *addr);

/* An address or a network to filter on. */
struct ct_addr_filter {
	int family;		/* AF_INET or AF_INET6 */
	int prefix;		/* bits compared: 32 or 128 for one address */
	__u8 addr[16];		/* network byte order; AF_INET: first 4 */
};

/*
 * Parse "192.0.2.1", "2001:db8::1", "[2001:db8::1]", or a network
 * "10.0.0.0/8", "2001:db8::/32" (host bits must be zero). Returns 0, or -1
 * if s is none of these.
 */
int ct_parse_addr_filter(const char *s, struct ct_addr_filter *f);

/* Is addr (of family, as for ct_fmt_addr()) in filter f? */
bool ct_addr_filter_match(const struct ct_addr_filter *f, int family,
			  const void *addr);

/*
 * Parse a list of ports "80,443" (1 to 65535, at most max, repeats kept
 * once) into ports[], host byte order. Returns how many, or -1 if s is not
 * such a list or has more than max ports.
 */
int ct_parse_ports(const char *s, __u16 *ports, size_t max);

#endif
