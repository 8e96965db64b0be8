// SPDX-License-Identifier: GPL-2.0
/* tcpconnlat: how long each TCP connect's handshake took. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "tcp_conn_row.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcpconnlat.h"
#include "tcpconnlat.skel.h"

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	CT_OPT_PRINT_UID,
	CT_OPT_PID("Only connects by this process"),
	CT_OPT_UID("Only connects by this user's processes"),
	CT_OPT_CGROUP("Only connects by tasks in this cgroup v2 tree"),
	{ "min", 'm', "TIME", 0, "Only handshakes of at least TIME: "
	  "milliseconds (1.5), or with a unit (250us, 2ms, 1s); as the "
	  "MIN_MS argument", 0 },
	CT_TCP_OPTIONS,
	{},
};

static struct ct_column columns[] = {
	CT_CONN_COLUMNS_TIME,
	CT_CONN_COLUMNS_TASK,
	CT_CONN_COLUMNS_ADDR,
	CT_CONN_COLUMN_LAT("the handshake: from connect() sending the SYN "
			   "to the connection established (text: ms)"),
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "pid,comm,ip,laddr,lport,raddr,rport,latency_ns",
	.data = "time,uid,pid,comm,ip,laddr,lport,raddr,rport,latency_ns",
};

static __u64 min_ns;

/* "1.5" (ms), "250us", "2ms", "1s": nanoseconds; a usage error else. */
static __u64 parse_min(const char *opt, const char *arg)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = { { "", 1e6 }, { "us", 1e3 }, { "ms", 1e6 },
		      { "s", 1e9 } };
	char *end;
	double v = strtod(arg, &end);

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (end != arg && !strcmp(end, units[i].unit) && v >= 0 &&
		    isfinite(v) && v * units[i].ns < 1e18)
			return (__u64)(v * units[i].ns + 0.5);
	ct_usage_error("%s: '%s' is not a duration (1.5, 250us, 2ms, 1s)",
		       opt, arg);
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'm':
		min_ns = parse_min("-m/--min", arg);
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num)
			ct_usage_error("unexpected argument '%s'", arg);
		min_ns = parse_min("MIN_MS", arg);
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
	struct tcpconnlat_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	skel->rodata->min_ns = min_ns;
	ct_select_tp(skel->obj, "state changes", "inet_sock_set_state");
	return 0;
}

CT_SKELETON(tcpconnlat_bpf);

static const struct ct_tool tool = {
	.name = "tcpconnlat",
	.summary = "Trace TCP connect latency: one line per connection "
		   "established, with the time from its SYN to the end of "
		   "its handshake.",
	.examples =
		"  tcpconnlat                # every connect established\n"
		"  tcpconnlat 1              # only those of 1 ms or more\n"
		"  tcpconnlat -m 250us       # only those of 250 us or more\n"
		"  tcpconnlat -T -w          # with time, wide addresses\n"
		"  tcpconnlat -p 1234 -4     # IPv4 connects by process 1234\n"
		"  tcpconnlat --json -d 10   # JSON lines for ten seconds\n",
	.args_doc = "[MIN_MS]",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &tcpconnlat_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
