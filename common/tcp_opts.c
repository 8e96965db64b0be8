// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"
#include "tcp_opts.h"
#include "tool.h"

struct ct_tcp_filter ct_tcp_opts;

/* An IPv6 address in full is 39 characters; bcc's -w is as wide. */
#define WIDE_ADDR 39

static void set_family(int family)
{
	if (ct_tcp_opts.family && ct_tcp_opts.family != family)
		ct_usage_error("-4 and -6: choose one");
	ct_tcp_opts.family = family;
}

static __u16 parse_ports(const char *opt, const char *arg, __u16 *ports)
{
	int n = ct_parse_ports(arg, ports, CT_TCP_MAX_PORTS);

	if (n < 0)
		ct_usage_error("%s: '%s' is not a list of at most %d ports "
			       "(1-65535)", opt, arg, CT_TCP_MAX_PORTS);
	return n;
}

void ct_tcp_parse_ports(const char *opt, const char *arg, __u16 *n,
			__u16 *ports)
{
	*n = parse_ports(opt, arg, ports);
}

static void widen(struct ct_column *cols, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(cols[i].name, "laddr") ||
		    !strcmp(cols[i].name, "raddr"))
			cols[i].width = -WIDE_ADDR;
}

int ct_tcp_parse_opt(int key, const char *arg, struct ct_column *cols, int n)
{
	switch (key) {
	case '4':
		set_family(AF_INET);
		break;
	case '6':
		set_family(AF_INET6);
		break;
	case 'L':
		ct_tcp_opts.nlports = parse_ports("-L/--localport", arg,
						  ct_tcp_opts.lports);
		break;
	case 'D':
		ct_tcp_opts.nrports = parse_ports("-D/--remoteport", arg,
						  ct_tcp_opts.rports);
		break;
	case 'w':
		widen(cols, n);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

__u32 ct_sock_call_netns;

int ct_sock_call_parse_opt(int key, const char *arg, struct ct_column *cols,
			   int n)
{
	switch (key) {
	case 'P':
		ct_tcp_opts.nlports = parse_ports("-P/--port", arg,
						  ct_tcp_opts.lports);
		break;
	case CT_OPT_NETNS:
		ct_sock_call_netns = ct_parse_long("--netns", arg, 1,
						   UINT32_MAX);
		break;
	case 'L':
	case 'D':
		return ARGP_ERR_UNKNOWN;
	default:
		return ct_tcp_parse_opt(key, arg, cols, n);
	}
	return 0;
}

static struct ct_str fmt(char *buf, int family, const __u8 *addr)
{
	ct_fmt_addr(buf, CT_ADDR_STRLEN, family, addr);
	return (struct ct_str){ buf, strlen(buf) };
}

void ct_tcp_addrs_fill(struct ct_tcp_addrs *a, const struct ct_sock_tuple *t)
{
	a->ip = t->family == AF_INET6 ? 6 : 4;
	a->laddr = fmt(a->lbuf, t->family, t->saddr);
	a->lport = t->sport;
	a->raddr = fmt(a->rbuf, t->family, t->daddr);
	a->rport = t->dport;
}

#define MIN_SLOTS 16384U
#define MAX_SLOTS 262144U

/* The TCP sockets allocated now, or 0 if /proc does not say. */
static unsigned long tcp_sockets(void)
{
	FILE *f = fopen("/proc/net/sockstat", "re");
	unsigned long n = 0;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TCP: inuse %*u orphan %*u tw %*u alloc %lu",
			   &n) == 1)
			break;
	fclose(f);
	return n;
}

__u32 ct_tcp_socket_slots(void)
{
	unsigned long want = 4 * tcp_sockets();
	__u32 slots = MIN_SLOTS;

	while (slots < want && slots < MAX_SLOTS)
		slots <<= 1;
	return slots;
}
