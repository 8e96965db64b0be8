// SPDX-License-Identifier: GPL-2.0
/* solisten: trace listen() on IPv4 and IPv6 sockets. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "kernel_names.h"
#include "tcp_opts.h"
#include "tool.h"
#include "solisten.h"
#include "solisten.skel.h"

enum { OPT_SHOW_NETNS = 0x100 };

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	CT_OPT_PRINT_UID,
	CT_OPT_PID("Only listens by this process"),
	CT_OPT_UID("Only listens by this user"),
	CT_OPT_CGROUP("Only listens by tasks in this cgroup v2 directory"),
	CT_SOCK_CALL_OPTIONS("Only sockets listening on these ports"),
	{ "show-netns", OPT_SHOW_NETNS, NULL, 0,
	  "Include a NETNS column: the socket's network namespace", 0 },
	{},
};

/* One listen as its columns see it. */
struct listen_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	__u32 tid;
	int err;
	struct ct_str comm;
	struct ct_str protocol;
	unsigned int ip;
	struct ct_str laddr;
	unsigned int lport;
	unsigned int backlog;
	int req_backlog;
	__u32 netns;
	char proto_buf[24];
	char addr_buf[CT_ADDR_STRLEN];
};

static bool failed(const void *row)
{
	return ((const struct listen_row *)row)->err != 0;
}

#define COL(field) CT_AT(struct listen_row, field)

static struct ct_column columns[] = {
	CT_COLUMN_TIME(struct listen_row, ts),
	CT_COLUMN_ELAPSED(struct listen_row, ts),
	CT_COLUMN_UID(struct listen_row, uid),
	CT_COLUMN_USER(struct listen_row, uid),
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "tid", "TID", "thread ID", -7, CT_COL_UINT, COL(tid), NULL },
	{ "comm", "COMM", "the task's command name", -16, CT_COL_STR,
	  COL(comm), NULL },
	{ "err", "RET", "a failed listen's error number, else 0 (text: -N)",
	  4, CT_COL_ERR, COL(err), NULL },
	{ "errno", "ERR", "the name of err", -12, CT_COL_ERRNO, COL(err),
	  NULL },
	{ "netns", "NETNS", "the socket's network namespace (inode number)",
	  -10, CT_COL_UINT, COL(netns), NULL },
	{ "backlog", "BACKLOG", "the accept queue's length the kernel kept "
	  "(capped at net.core.somaxconn); null if the listen failed", 7,
	  CT_COL_UINT, COL(backlog), NULL, .null = failed },
	{ "req_backlog", "REQ", "the backlog listen() was given", 7,
	  CT_COL_INT, COL(req_backlog), NULL },
	{ "protocol", "PROTO", "the socket's protocol: TCP, MPTCP, SCTP... "
	  "(else its number)", -5, CT_COL_STR, COL(protocol), NULL },
	{ "ip", "IP", "the socket's IP version, 4 or 6", 2, CT_COL_UINT,
	  COL(ip), NULL },
	{ "lport", "PORT", "the local port, chosen by the kernel for a "
	  "socket not bound before", 5, CT_COL_UINT, COL(lport), NULL },
	{ "laddr", "ADDR", "the local address", -15, CT_COL_STR, COL(laddr),
	  NULL },
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "pid,comm,err,backlog,protocol,ip,lport,laddr",
	.data = "time,uid,user,pid,tid,comm,err,errno,netns,backlog,"
		"req_backlog,protocol,ip,lport,laddr",
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case OPT_SHOW_NETNS:
		ct_fields_add("netns");
		break;
	default:
		return ct_sock_call_parse_opt(key, arg, columns, N_COLUMNS);
	}
	return 0;
}

static void fill_row(struct listen_row *r, const struct listen_event *e)
{
	const struct ct_sock_tuple *t = &e->tuple;

	r->ts = e->ts;
	r->uid = e->uid;
	r->pid = e->pid;
	r->tid = e->tid;
	r->err = e->err;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm,
						    LISTEN_COMM_LEN) };
	r->netns = e->netns;
	r->backlog = e->backlog;
	r->req_backlog = e->req_backlog;
	ct_name_short(&ct_ipproto_names, t->protocol, r->proto_buf,
		      sizeof(r->proto_buf));
	r->protocol = (struct ct_str){ r->proto_buf, strlen(r->proto_buf) };
	r->ip = t->family == AF_INET6 ? 6 : 4;
	ct_fmt_addr(r->addr_buf, sizeof(r->addr_buf), t->family, t->saddr);
	r->laddr = (struct ct_str){ r->addr_buf, strlen(r->addr_buf) };
	r->lport = t->sport;
}

CT_ROW_EVENT_HANDLER(handle_event, struct listen_row, struct listen_event,
		     fill_row)

static int configure(void *s)
{
	struct solisten_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	skel->rodata->ct_netns_filter = ct_sock_call_netns;
	ct_attach_method("listen", "tracepoints syscalls:sys_enter_listen, "
			 "sys_exit_listen");
	return 0;
}

CT_SKELETON(solisten_bpf);

static const struct ct_tool tool = {
	.name = "solisten",
	.summary = "Trace listen() on IPv4 and IPv6 sockets: one line per "
		   "call, with the address, port and backlog, and the "
		   "result.",
	.examples =
		"  solisten                  # every listen()\n"
		"  solisten -T -w            # with time, wide addresses\n"
		"  solisten -p 1234          # listens by process 1234\n"
		"  solisten -P 80,443        # sockets on port 80 or 443\n"
		"  solisten --show-netns     # with the network namespace\n"
		"  solisten --json -d 10     # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &solisten_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
