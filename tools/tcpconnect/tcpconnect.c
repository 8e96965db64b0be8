// SPDX-License-Identifier: GPL-2.0
/* tcpconnect: active TCP connects, with their result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "json.h"
#include "maps.h"
#include "output.h"
#include "tcp_conn_row.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcpconnect.h"
#include "tcpconnect.skel.h"

enum { OPT_COUNT = 0x100 };

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
	{ "count", OPT_COUNT, NULL, 0, "Count connects per destination "
	  "(address, port) and print the counts at the end, or every "
	  "INTERVAL seconds, COUNT times, when given after the options", 0 },
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

/* --count: destinations and their counts, one row each. */
struct dest_row {
	__u64 ts;
	struct ct_tcp_addrs a;
	__u64 connects;
	__u64 failed;
};

#define DEST_AT(f) CT_AT(struct dest_row, f)

static struct ct_column count_columns[] = {
	CT_COLUMN_TIME(struct dest_row, ts),
	CT_TCP_ADDR_COLUMNS(struct dest_row, a),
	{ "connects", "CONNECTS", "connects to raddr, rport (--count)", 8,
	  CT_COL_UINT, DEST_AT(connects), NULL },
	{ "failed", "FAILED", "those of them that failed (--count)", 8,
	  CT_COL_UINT, DEST_AT(failed), NULL },
};

#define N_COUNT_COLUMNS \
	((int)(sizeof(count_columns) / sizeof(count_columns[0])))

static const struct ct_fields count_fields = {
	.cols = count_columns,
	.n = N_COUNT_COLUMNS,
	.text = "ip,raddr,rport,connects,failed",
	.data = "ip,raddr,rport,connects,failed",
	.csv = "time,ip,raddr,rport,connects,failed",
};

static bool failed_only;
static bool counting;

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
	case OPT_COUNT:
		break;
	case ARGP_KEY_END:
		ct_fields_flag("latency_ns", CT_COL_MS);
		break;
	default:
		return ct_tcp_parse_opt(key, arg, columns, N_COLUMNS);
	}
	return 0;
}

static error_t parse_count_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'T':
	case 't':
	case 'U':
		ct_usage_error("--count: no -%c (a destination has no time "
			       "or user)", key);
	case 'w':
		return ct_tcp_parse_opt(key, arg, count_columns,
					N_COUNT_COLUMNS);
	case ARGP_KEY_END:
		if (ct_env.count && !ct_env.interval)
			ct_usage_error("--count: COUNT needs an INTERVAL");
		ct_fields_flag("laddr", CT_COL_OFF);
		ct_fields_flag("lport", CT_COL_OFF);
		return 0;
	default:
		return parse_arg(key, arg, state);
	}
}

CT_ROW_EVENT_HANDLER(handle_event, struct ct_conn_row, struct ct_conn_event,
		     ct_conn_row_fill)

static int configure(void *s)
{
	struct tcpconnect_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	skel->rodata->failed_only = failed_only;
	skel->rodata->counting = counting;
	ct_select_tp(skel->obj, "state changes", "inet_sock_set_state");
	return 0;
}

/* Most connects first, then most failed, then by address and port. */
static int compare_dests(const void *a, const void *b)
{
	const struct dest_row *x = a, *y = b;
	int d;

	if (x->connects != y->connects)
		return x->connects < y->connects ? 1 : -1;
	if (x->failed != y->failed)
		return x->failed < y->failed ? 1 : -1;
	d = strcmp(x->a.rbuf, y->a.rbuf);
	return d ? d : (int)x->a.rport - (int)y->a.rport;
}

static void fill_dest(struct dest_row *r, const struct tcpconnect_dest *k,
		      const struct tcpconnect_count *v, __u64 now)
{
	struct ct_sock_tuple t = { .family = k->family, .dport = k->dport };

	memcpy(t.daddr, k->daddr, sizeof(t.daddr));
	r->ts = now;
	ct_tcp_addrs_fill(&r->a, &t);
	r->connects = v->connects;
	r->failed = v->failed;
}

static void print_dests(struct dest_row *rows, int n, __u64 now)
{
	char buf[40];
	struct ct_json j;

	if (ct_env.json) {
		ct_json_begin(&j, stdout);
		ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf), now));
		ct_json_array(&j, "destinations");
		for (int i = 0; i < n; i++)
			ct_fields_json(&j, &rows[i]);
		ct_json_close(&j);
		ct_json_end(&j);
		return;
	}
	if (!ct_env.csv && ct_env.interval)
		printf("[%s]\n", ct_fmt_hms(buf, sizeof(buf), now));
	if (!ct_env.csv)
		ct_fields_header();
	for (int i = 0; i < n; i++)
		ct_fields_print(&rows[i]);
	if (!ct_env.csv && ct_env.interval)
		putchar('\n');
}

static int print_counts(void *s)
{
	struct tcpconnect_bpf *skel = s;
	struct tcpconnect_dest *keys = calloc(TCPCONNECT_MAX_DESTS,
					      sizeof(*keys));
	struct tcpconnect_count *vals = calloc(TCPCONNECT_MAX_DESTS,
					       sizeof(*vals));
	struct dest_row *rows = calloc(TCPCONNECT_MAX_DESTS, sizeof(*rows));
	__u64 now = ct_now_ns();
	int n = -1;

	if (keys && vals && rows)
		n = ct_map_take_all(bpf_map__fd(skel->maps.counts),
				    sizeof(*keys), sizeof(*vals),
				    TCPCONNECT_MAX_DESTS, keys, vals);
	for (int i = 0; i < n; i++)
		fill_dest(&rows[i], &keys[i], &vals[i], now);
	if (n >= 0) {
		qsort(rows, n, sizeof(*rows), compare_dests);
		/* The addresses point into their rows, which have moved. */
		for (int i = 0; i < n; i++) {
			rows[i].a.laddr.s = rows[i].a.lbuf;
			rows[i].a.raddr.s = rows[i].a.rbuf;
		}
		print_dests(rows, n, now);
		ct_report_missed(skel->obj, "connects");
	}
	free(keys);
	free(vals);
	free(rows);
	if (n < 0) {
		ct_warn("cannot read the counts");
		return CT_EXIT_ERROR;
	}
	return ct_flush();
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

static const struct ct_tool count_tool = {
	.name = "tcpconnect",
	.summary = "Count active TCP connects per destination (--count).",
	.examples = "  tcpconnect --count        # counts at Ctrl-C\n"
		    "  tcpconnect --count 5 3    # every 5 s, 3 times\n",
	.options = options,
	.parser = parse_count_arg,
	.fields = &count_fields,
	.intervals = true,
	.skel = &tcpconnect_bpf_ct,
	.configure = configure,
	.print = print_counts,
};

/*
 * --count makes another tool of this one, with intervals and its own
 * fields: chosen before the command line is parsed, so looked for here,
 * as argp would match it (any unambiguous abbreviation: --co...).
 */
static bool count_mode(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		size_t len = strlen(argv[i]);

		if (len >= 4 && !strncmp(argv[i], "--count", len))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	counting = count_mode(argc, argv);
	return ct_main(counting ? &count_tool : &tool, argc, argv);
}
