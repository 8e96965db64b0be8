// SPDX-License-Identifier: GPL-2.0
/* tcptop: the TCP connections moving the most bytes, every interval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/btf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "feature_probe.h"
#include "kernel_btf.h"
#include "maps.h"
#include "output.h"
#include "tcp_opts.h"
#include "tool.h"
#include "top.h"
#include "tp_attach.h"
#include "tcptop.h"
#include "tcptop.skel.h"

static const struct argp_option options[] = {
	CT_TOP_OPTIONS("all, sent, received", "all"),
	{ "nosummary", 'S', NULL, 0, "No load average line", 0 },
	CT_OPT_PID("Only traffic of this process"),
	CT_OPT_UID("Only traffic of this user's processes"),
	CT_OPT_CGROUP("Only traffic of tasks in this cgroup v2 directory"),
	CT_TCP_OPTIONS,
	{},
};

/*
 * One process's traffic on one connection, as sorted: a row that is all
 * data (a view's strings point into itself, and qsort() moves rows).
 */
struct top_row {
	struct top_key key;
	struct top_traffic t;
	__u64 ts;		/* the interval's end */
};

/* The same as its columns see it, made when it is printed. */
struct top_view {
	__u64 ts;
	__u32 pid;
	struct ct_str comm;
	struct ct_tcp_addrs a;
	__u64 rx;
	__u64 tx;
};

/* Text in KB, right-aligned as numbers are: the columns' width. */
#define KB_WIDTH 6

static size_t text_kb(struct ct_buf *b, __u64 bytes)
{
	return ct_buf_printf(b, "%*llu", KB_WIDTH,
			     (unsigned long long)(bytes / 1024));
}

static size_t text_rx(struct ct_buf *b, const void *row)
{
	return text_kb(b, ((const struct top_view *)row)->rx);
}

static size_t text_tx(struct ct_buf *b, const void *row)
{
	return text_kb(b, ((const struct top_view *)row)->tx);
}

#define COL(field) CT_AT(struct top_view, field)

/* Not const: -w widens the addresses, --prom-textfile labels ip. */
static struct ct_column columns[] = {
	{ "time", "TIME", "the end of the interval (text: HH:MM:SS)", -8,
	  CT_COL_TIME, COL(ts), NULL },
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "comm", "COMM", "its command name", -16, CT_COL_STR, COL(comm),
	  NULL },
	CT_TCP_ADDR_COLUMNS(struct top_view, a),
	{ "rx_bytes", "RX_KB", "TCP bytes received (text: KB)", KB_WIDTH,
	  CT_COL_UINT, COL(rx), text_rx, .counter = "received_bytes_total" },
	{ "tx_bytes", "TX_KB", "TCP bytes sent (text: KB)", KB_WIDTH,
	  CT_COL_UINT, COL(tx), text_tx, .counter = "sent_bytes_total" },
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "pid,comm,laddr,lport,raddr,rport,rx_bytes,tx_bytes",
	.data = "time,pid,comm,ip,laddr,lport,raddr,rport,rx_bytes,tx_bytes",
};

/* Most bytes first; then by pid and ports, for a stable order. */
static int most(__u64 x, __u64 y)
{
	return x < y ? 1 : x > y ? -1 : 0;
}

static int tie(const struct top_row *x, const struct top_row *y)
{
	const struct ct_sock_tuple *a = &x->key.tuple, *b = &y->key.tuple;

	if (x->key.pid != y->key.pid)
		return x->key.pid < y->key.pid ? -1 : 1;
	if (a->sport != b->sport)
		return a->sport < b->sport ? -1 : 1;
	return (a->dport > b->dport) - (a->dport < b->dport);
}

static int by_all(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	return most(x->t.rx + x->t.tx, y->t.rx + y->t.tx) ?: tie(x, y);
}

static int by_sent(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	return most(x->t.tx, y->t.tx) ?: tie(x, y);
}

static int by_received(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	return most(x->t.rx, y->t.rx) ?: tie(x, y);
}

static const struct ct_top_sort sorts[] = {
	{ "all", by_all },
	{ "sent", by_sent },
	{ "received", by_received },
	{},
};

static struct ct_top_opts top;

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		ct_top_opts_init(&top, sorts);
		return ARGP_ERR_UNKNOWN;
	case 'C':
	case 'r':
	case 's':
		return ct_top_parse_opt(&top, key, arg, state);
	case 'S':
		top.no_summary = true;
		return 0;
	default:
		return ct_tcp_parse_opt(key, arg, columns, N_COLUMNS);
	}
}

/* What the kernel counted, taken out every interval. */
static struct top_key *keys;
static struct top_traffic *values;
static struct top_row *rows;

static int take(struct tcptop_bpf *skel, size_t max)
{
	return ct_map_take_all(bpf_map__fd(skel->maps.traffic), sizeof(*keys),
			       sizeof(*values), max, keys, values);
}

static int collect(void *ctx, void *out, size_t max)
{
	struct top_row *r = out;
	int n = take(ctx, max);
	__u64 now = ct_now_ns();

	for (int i = 0; i < n; i++)
		r[i] = (struct top_row){ keys[i], values[i], now };
	return n;
}

static void print_header(void *ctx, FILE *f)
{
	(void)ctx;
	(void)f;
	ct_fields_header();
}

static void print_row(void *ctx, FILE *f, const void *row)
{
	const struct top_row *r = row;
	struct top_view v = {
		.ts = r->ts,
		.pid = r->key.pid,
		.comm = { r->t.comm, strnlen(r->t.comm, TOP_COMM_LEN) },
		.rx = r->t.rx,
		.tx = r->t.tx,
	};

	(void)ctx;
	(void)f;
	ct_tcp_addrs_fill(&v.a, &r->key.tuple);
	ct_fields_print(&v);
}

static const struct ct_top_ops screen = {
	.row_size = sizeof(struct top_row),
	.collect = collect,
	.print_header = print_header,
	.print_row = print_row,
};

static int print_screen(void *s)
{
	struct tcptop_bpf *skel = s;
	static bool first = true;
	int err = ct_top_show(&screen, &top, skel, stdout, rows, TOP_MAX_CONNS,
			      first);

	first = false;
	ct_report_missed(skel->obj, "sends or receives");
	return err;
}

/*
 * --prom-textfile: bytes since the start by IP version only; a series per
 * process or connection would flood a fleet's Prometheus.
 */
static struct top_view totals[2];

static int prom_totals(FILE *f, void *s)
{
	int n = take(s, TOP_MAX_CONNS);

	for (int i = 0; i < n; i++) {
		struct top_view *t = &totals[keys[i].tuple.family == AF_INET6];

		t->rx += values[i].rx;
		t->tx += values[i].tx;
	}
	totals[0].a.ip = 4;
	totals[1].a.ip = 6;
	ct_fields_prom_counters(f, totals, 2, sizeof(totals[0]));
	return 0;
}

/*
 * The one label of the metrics: the IP version, two series at most. The
 * shared address columns have none, as the other TCP tools write none.
 */
static void label_ip(void)
{
	for (int i = 0; i < N_COLUMNS; i++)
		if (!strcmp(columns[i].name, "ip")) {
			columns[i].key = true;
			columns[i].label = "ip";
		}
}

static int prepare(void)
{
	keys = calloc(TOP_MAX_CONNS, sizeof(*keys));
	values = calloc(TOP_MAX_CONNS, sizeof(*values));
	rows = calloc(TOP_MAX_CONNS, sizeof(*rows));
	if (!keys || !values || !rows) {
		ct_warn("out of memory");
		return CT_EXIT_ERROR;
	}
	if (!ct_env.interval)
		ct_env.interval = 1;
	label_ip();
	return 0;
}

static int use_kprobes(struct tcptop_bpf *skel, bool on)
{
	/* IPv6 may be a module, or left out of the kernel. */
	bool v6 = on && ct_kernel_btf_id("inet6_recvmsg", BTF_KIND_FUNC) > 0;

	/* Only kprobes keep calls under way. */
	if (!on && bpf_map__set_max_entries(skel->maps.calls, 1))
		return CT_EXIT_ERROR;
	bpf_program__set_autoload(skel->progs.kprobe_sendmsg, on);
	bpf_program__set_autoload(skel->progs.kretprobe_sendmsg, on);
	bpf_program__set_autoload(skel->progs.kprobe_recvmsg, on);
	bpf_program__set_autoload(skel->progs.kretprobe_recvmsg, on);
	bpf_program__set_autoload(skel->progs.kprobe_recvmsg6, v6);
	bpf_program__set_autoload(skel->progs.kretprobe_recvmsg6, v6);
	if (on)
		ct_attach_method("traffic", v6 ?
				 "kprobe+kretprobe tcp_sendmsg, inet_recvmsg, "
				 "inet6_recvmsg (no sock_send_length here)" :
				 "kprobe+kretprobe tcp_sendmsg, inet_recvmsg "
				 "(no sock_send_length, no IPv6 here)");
	return 0;
}

/*
 * sock:sock_send_length and sock_recv_length (6.3+) where the kernel has
 * them (their BTF types tell, without tracefs), else kprobes.
 */
static int choose_hooks(struct tcptop_bpf *skel)
{
	bool tp = ct_has_tp_btf("sock_send_length") &&
		  ct_has_tp_btf("sock_recv_length");

	if (!tp && !ct_has_kprobe()) {
		ct_warn("needs the sock:sock_send_length tracepoint (6.3+) or "
			"kprobes: this kernel has neither");
		return CT_EXIT_ERROR;
	}
	if (use_kprobes(skel, !tp))
		return CT_EXIT_ERROR;
	if (tp)
		ct_select_tp(skel->obj, "traffic", "sock_send_length");
	else	/* a kind none of them is: no tracepoint program */
		ct_autoload_tp(skel->obj, (enum ct_tp_kind)-1);
	return 0;
}

static int configure(void *s)
{
	struct tcptop_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	return choose_hooks(skel);
}

CT_SKELETON(tcptop_bpf);

static const struct ct_tool tool = {
	.name = "tcptop",
	.summary = "Show the TCP connections moving the most bytes, per "
		   "process, like top: every INTERVAL seconds (default 1).",
	.examples =
		"  tcptop                    # refresh every second\n"
		"  tcptop -C 5 3             # every 5 s, 3 times, no clear\n"
		"  tcptop -s received -r 5   # the 5 that received the most\n"
		"  tcptop -p 1234            # process 1234's connections\n"
		"  tcptop -4 -L 443          # IPv4, local port 443\n"
		"  tcptop -c /sys/fs/cgroup/system.slice\n"
		"  tcptop --json 10          # a JSON line a row, every 10 s\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.intervals = true,
	.skel = &tcptop_bpf_ct,
	.prepare = prepare,
	.configure = configure,
	.print = print_screen,
	.prom = prom_totals,
};

CT_MAIN(tool);
