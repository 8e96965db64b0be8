/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the TCP tools share in user space: the connection filters' options
 * (-4, -6, -L, -D, filled into ct_tcp_opts for the BPF side's
 * ct_tcp_filter) and -w, and the address columns of a connection.
 */
#ifndef CT_TCP_OPTS_H
#define CT_TCP_OPTS_H

#include "columns.h"
#include "net_addr.h"
#include "sock_tuple.h"
#include "tcp_filter.h"

extern struct ct_tcp_filter ct_tcp_opts;

/* The filters alone, for tools without address columns. */
#define CT_TCP_FAMILY_OPTIONS						\
	{ "ipv4", '4', NULL, 0, "Only IPv4 sockets (AF_INET)", 0 },	\
	{ "ipv6", '6', NULL, 0, "Only IPv6 sockets (AF_INET6, also when "\
	  "their peer is IPv4, v4-mapped)", 0 }
#define CT_TCP_LPORT_OPTION						\
	{ "localport", 'L', "PORTS", 0, "Only these local ports "	\
	  "(comma-separated, at most 8)", 0 }
#define CT_TCP_RPORT_OPTION						\
	{ "remoteport", 'D', "PORTS", 0, "Only these remote ports "	\
	  "(comma-separated, at most 8)", 0 }
#define CT_TCP_FILTER_OPTIONS						\
	CT_TCP_FAMILY_OPTIONS, CT_TCP_LPORT_OPTION, CT_TCP_RPORT_OPTION

#define CT_TCP_OPTIONS							\
	CT_TCP_FILTER_OPTIONS,						\
	{ "wide", 'w', NULL, 0, "Wide address columns, for IPv6", 0 }

/*
 * The options of the tools that trace calls on a socket (bindsnoop,
 * solisten): -4, -6 and -w as above, the socket's own port (-P) and its
 * network namespace, all filtered in the kernel (common/bpf/sock_call.bpf.h).
 */
#define CT_OPT_NETNS 0x4e53
#define CT_SOCK_CALL_OPTIONS(port_doc)					\
	{ "ipv4", '4', NULL, 0, "Only IPv4 sockets (AF_INET)", 0 },	\
	{ "ipv6", '6', NULL, 0, "Only IPv6 sockets (AF_INET6)", 0 },	\
	{ "port", 'P', "PORTS", 0, port_doc " (comma-separated, at most "\
	  "8)", 0 },							\
	{ "netns", CT_OPT_NETNS, "INODE", 0, "Only sockets in this "	\
	  "network namespace (its inode number, as ls -iL "		\
	  "/proc/PID/ns/net shows it)", 0 },				\
	{ "wide", 'w', NULL, 0, "Wide address column, for IPv6", 0 }

/* The network namespace --netns chose, 0 for any. */
extern __u32 ct_sock_call_netns;

/* Parse one of CT_SOCK_CALL_OPTIONS, as ct_tcp_parse_opt() does. */
int ct_sock_call_parse_opt(int key, const char *arg, struct ct_column *cols,
			   int n);

/*
 * Parse one of CT_TCP_OPTIONS into ct_tcp_opts; -w widens the laddr and
 * raddr columns of cols. Returns 0, or ARGP_ERR_UNKNOWN for another key.
 */
int ct_tcp_parse_opt(int key, const char *arg, struct ct_column *cols, int n);

/*
 * Parse a port list given to option opt ("-P/--port") into ports and *n,
 * as -L and -D are parsed; a usage error exits 2.
 */
void ct_tcp_parse_ports(const char *opt, const char *arg, __u16 *n,
			__u16 *ports);

/* A connection's addresses as its columns show them. */
struct ct_tcp_addrs {
	unsigned int ip;	/* 4 or 6: the socket's family */
	struct ct_str laddr;
	unsigned int lport;
	struct ct_str raddr;
	unsigned int rport;
	char lbuf[CT_ADDR_STRLEN];
	char rbuf[CT_ADDR_STRLEN];
};

void ct_tcp_addrs_fill(struct ct_tcp_addrs *a, const struct ct_sock_tuple *t);

/* The columns of member m, a struct ct_tcp_addrs, of row struct type. */
#define CT_TCP_ADDR_COLUMNS(type, m)					\
	{ "ip", "IP", "the socket's IP version, 4 or 6 (6 also with "	\
	  "v4-mapped addresses)", 2, CT_COL_UINT, CT_AT(type, m.ip),	\
	  NULL },							\
	{ "laddr", "LADDR", "local address", -15, CT_COL_STR,		\
	  CT_AT(type, m.laddr), NULL },					\
	{ "lport", "LPORT", "local port (0 before it is bound)", 5,	\
	  CT_COL_UINT, CT_AT(type, m.lport), NULL },			\
	{ "raddr", "RADDR", "remote address", -15, CT_COL_STR,		\
	  CT_AT(type, m.raddr), NULL },					\
	{ "rport", "RPORT", "remote port", 5, CT_COL_UINT,		\
	  CT_AT(type, m.rport), NULL }

/*
 * Entries for a map with one per TCP socket alive (a hash map; a socket
 * that finds it full is counted by the tool): four times the TCP sockets the
 * kernel has now (/proc/net/sockstat's alloc counts every namespace's),
 * from 16384 to 262144. The kernel fills such a map whole at load: 65536
 * entries took 2 ms of start-up, 16384 0.4 ms.
 */
__u32 ct_tcp_socket_slots(void);

#endif
