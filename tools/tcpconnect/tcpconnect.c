// SPDX-License-Identifier: GPL-2.0
/* tcpconnect: active TCP connects, with their result. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "tcp_conn_row.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcpconnect.h"
#include "tcpconnect.skel.h"

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	CT_OPT_PRINT_UID,
	CT_OPT_PID("Only connects by this process"),
	CT_OPT_UID("Only connects by this user's processes"),
	CT_OPT_CGROUP("Only connects by tasks in this cgroup v2 tree"),
	{ "failed", 'x', NULL, 0, "Only connects that failed", 0 },
	{ "port", 'P', "PORTS", 0, "Only these destination ports (as -D; "
	  "comma-separated, at most 8)", 0 },
	CT_TCP_OPTIONS,
	{},
};

static struct ct_column columns[] = {
	CT_CONN_COLUMNS_TIME,
	CT_CONN_COLUMNS_TASK,
	CT_CONN_COLUMNS_ADDR,
	CT_CONN_COLUMN_LAT("the handshake: from connect() sending the SYN "
			   "to the result (text: ms)"),
	CT_CONN_COLUMNS_ERR,
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "pid,comm,ip,laddr,lport,raddr,rport,errno",
	.data = "time,uid,pid,comm,ip,laddr,lport,raddr,rport,latency_ns,err,"
		"errno",
};

static bool failed_only;

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'x':
		failed_only = true;
		break;
	case 'P':
		ct_tcp_parse_ports("-P/--port", arg, &ct_tcp_opts.nrports,
				   ct_tcp_opts.rports);
		break;
	case ARGP_KEY_END:
		ct_fields_flag("latency_ns", CT_COL_MS);
		break;
	default:
		return ct_tcp_parse_opt(key, arg, columns, N_COLUMNS);
	}
	return 0;
}

CT_ROW_EVENT_HANDLER(handle_event, struct ct_conn_row, struct ct_conn_event,
		     ct_conn_row_fill)

static int configure(void *s)
{
	struct tcpconnect_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	skel->rodata->failed_only = failed_only;
	ct_select_tp(skel->obj, "state changes", "inet_sock_set_state");
	return 0;
}

CT_SKELETON(tcpconnect_bpf);

static const struct ct_tool tool = {
	.name = "tcpconnect",
	.summary = "Trace active TCP connects: one line per connect once its "
		   "handshake ends, with the process, addresses, ports and "
		   "the result (an error for a refused or timed-out one).",
	.examples =
		"  tcpconnect                # every TCP connect\n"
		"  tcpconnect -x             # only those that failed\n"
		"  tcpconnect -T -U -w       # with time, uid, wide addresses\n"
		"  tcpconnect -p 1234        # connects by process 1234\n"
		"  tcpconnect -P 80,443      # to port 80 or 443\n"
		"  tcpconnect -6             # IPv6 sockets only\n"
		"  tcpconnect --json -d 10   # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &tcpconnect_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
