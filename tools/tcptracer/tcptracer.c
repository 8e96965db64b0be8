// SPDX-License-Identifier: GPL-2.0
/* tcptracer: TCP connects, accepts and closes, with their 4-tuples. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "tcp_conn_row.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcptracer.h"
#include "tcptracer.skel.h"

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	CT_OPT_PRINT_UID,
	CT_OPT_PID("Only events of this process"),
	CT_OPT_UID("Only events of this user's processes"),
	CT_OPT_CGROUP("Only events of tasks in this cgroup v2 tree"),
	CT_TCP_OPTIONS,
	{},
};

static struct ct_column columns[] = {
	CT_CONN_COLUMNS_TIME,
	{ "type", "T", "C connect (established), A accept, X close", 1,
	  CT_COL_STR, CT_CONN_AT(kind), NULL },
	{ "pid", "PID", "the process that connected, accepted or closed "
	  "(a connect's, though established in another's context)", -7,
	  CT_COL_UINT, CT_CONN_AT(pid), NULL },
	{ "comm", "COMM", "that process's command name", -16, CT_COL_STR,
	  CT_CONN_AT(comm), NULL },
	CT_CONN_COLUMNS_ADDR,
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "type,pid,comm,ip,laddr,lport,raddr,rport",
	.data = "time,uid,type,pid,comm,ip,laddr,lport,raddr,rport",
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	return ct_tcp_parse_opt(key, arg, columns, N_COLUMNS);
}

CT_ROW_EVENT_HANDLER(handle_event, struct ct_conn_row, struct ct_conn_event,
		     ct_conn_row_fill)

static int configure(void *s)
{
	struct tcptracer_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	ct_select_tp(skel->obj, "state changes", "inet_sock_set_state");
	/* ct_select_tp() chose among all tracepoints: keep these. */
	bpf_program__set_autoload(skel->progs.exit_accept, true);
	bpf_program__set_autoload(skel->progs.exit_accept4, true);
	ct_attach_method("accept", "tracepoint syscalls:sys_exit_accept, "
			 "sys_exit_accept4");
	return 0;
}

CT_SKELETON(tcptracer_bpf);

static const struct ct_tool tool = {
	.name = "tcptracer",
	.summary = "Trace TCP connects (once established), accepts and "
		   "closes: one line each, with the process and the "
		   "connection's addresses and ports.",
	.examples =
		"  tcptracer                 # every connect, accept, close\n"
		"  tcptracer -T -U -w        # with time, uid, wide addresses\n"
		"  tcptracer -p 1234         # events of process 1234\n"
		"  tcptracer -L 80,443       # local port 80 or 443\n"
		"  tcptracer -4              # IPv4 sockets only\n"
		"  tcptracer --json -d 10    # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &tcptracer_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
