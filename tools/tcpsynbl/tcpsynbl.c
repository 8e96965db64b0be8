// SPDX-License-Identifier: GPL-2.0
/* tcpsynbl: TCP listeners' accept queue lengths as histograms. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "columns.h"
#include "feature_probe.h"
#include "hist_map.h"
#include "json.h"
#include "output.h"
#include "prom.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcpsynbl.h"
#include "tcpsynbl.skel.h"

static struct ct_hist_map hists;

/* One bucket for --csv. */
struct synbl_row {
	struct ct_hist_row h;
	unsigned int port;
	unsigned int max;
};

#define COL(field) CT_AT(struct synbl_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct synbl_row, h.ts),
	{ "port", "PORT", "the listener's port", 5, CT_COL_UINT, COL(port),
	  NULL, true, .label = "port" },
	{ "backlog_max", "MAX", "its backlog's limit (listen()'s backlog, "
	  "capped by net.core.somaxconn)", 5, CT_COL_UINT, COL(max), NULL,
	  true, .label = "backlog_max" },
	CT_HIST_VALUE_COLUMNS(struct synbl_row, h),
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "time,port,backlog_max," CT_HIST_VALUE_FIELDS,
	.data = "time,port,backlog_max," CT_HIST_VALUE_FIELDS,
	.csv_only = true,
};

static const struct argp_option options[] = {
	{ "interval", 'i', "SECONDS", 0,
	  "Print every SECONDS (as the first argument)", 0 },
	{ "timestamp", 'T', NULL, 0, "Print the time with each interval", 0 },
	CT_TCP_FAMILY_OPTIONS,
	CT_TCP_LPORT_OPTION,
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'i':
		ct_env.interval = ct_parse_duration("-i/--interval", arg);
		break;
	case 'T':
		hists.timestamp = true;
		break;
	default:
		return ct_tcp_parse_opt(key, arg, NULL, 0);
	}
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct synbl_key *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (x->max > y->max) - (x->max < y->max);
}

static void text_key(const void *row)
{
	const struct synbl_row *r = row;

	printf("port = %u, backlog_max = %u\n", r->port, r->max);
}

static void fill_row(void *row, const void *key, const void *value)
{
	struct synbl_row *r = row;
	const struct synbl_key *k = key;

	(void)value;
	r->port = k->port;
	r->max = k->max;
}

static struct ct_hist_map hists = {
	.map = "hists",
	.key_size = sizeof(struct synbl_key),
	.value_size = sizeof(struct synbl_hist),
	.max_entries = SYNBL_MAX_KEYS,
	.slots_off = offsetof(struct synbl_hist, slots),
	.nslots = SYNBL_SLOTS,
	.what = "backlog lengths",
	.unit = "backlog",
	.keyed = true,
	.compare = by_key,
	.row_size = sizeof(struct synbl_row),
	.fill_row = fill_row,
	.text_key = text_key,
	.prom_help = "Length of a TCP listener's accept queue as another "
		     "connection completes its handshake",
	.sum_off = offsetof(struct synbl_hist, sum),
	.prom_metric = "backlog",
};

/*
 * The accept queue's drops: counters of the network namespace (the
 * tool's), /proc/net/netstat's TcpExt ListenOverflows and ListenDrops
 * (the second counts the first and the other drops at a listener).
 */
struct drops {
	unsigned long long overflows;
	unsigned long long drops;
};

static struct drops start, last;

/* Value of name in a "TcpExt:" header line and its values line. */
static void netstat_value(const char *names, const char *values,
			  const char *name, unsigned long long *out)
{
	char n[64];
	unsigned long long v;
	int used_n, used_v;

	while (sscanf(names, "%63s%n", n, &used_n) == 1 &&
	       sscanf(values, "%llu%n", &v, &used_v) == 1) {
		if (!strcmp(n, name)) {
			*out = v;
			return;
		}
		names += used_n;
		values += used_v;
	}
}

static struct drops read_drops(void)
{
	FILE *f = fopen("/proc/net/netstat", "r");
	char names[4096], values[4096];
	struct drops d = { 0, 0 };

	if (!f)
		return d;
	while (fgets(names, sizeof(names), f) &&
	       fgets(values, sizeof(values), f)) {
		if (strncmp(names, "TcpExt:", 7) ||
		    strncmp(values, "TcpExt:", 7))
			continue;
		netstat_value(names + 7, values + 7, "ListenOverflows",
			      &d.overflows);
		netstat_value(names + 7, values + 7, "ListenDrops", &d.drops);
	}
	fclose(f);
	return d;
}

static void print_drops(void)
{
	struct drops now = read_drops();
	unsigned long long o = now.overflows - last.overflows;
	unsigned long long d = now.drops - last.drops;
	struct ct_json j;
	char buf[40];

	last = now;
	if (ct_env.csv)
		return;
	if (!ct_env.json) {
		printf("listen_overflows = %llu, listen_drops = %llu\n", o, d);
		return;
	}
	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf),
					       ct_now_ns()));
	ct_json_uint(&j, "listen_overflows", o);
	ct_json_uint(&j, "listen_drops", d);
	ct_json_end(&j);
}

static int print(void *s)
{
	struct tcpsynbl_bpf *skel = s;
	int err = ct_print_hist_map(&hists, skel->obj);

	if (err)
		return err;
	print_drops();
	/* A closed pipe: the driver's loop sees it and stops. */
	ct_flush();
	return 0;
}

static void prom_counter(FILE *f, const char *what, const char *help,
			 unsigned long long v)
{
	char name[64];

	snprintf(name, sizeof(name), "coretrace_tcpsynbl_%s_total", what);
	ct_prom_head(f, name, "counter", help);
	fputs(name, f);
	ct_fields_prom_labels(f, NULL, NULL);
	fprintf(f, " %llu\n", v);
}

static int prom(FILE *f, void *s)
{
	struct tcpsynbl_bpf *skel = s;
	struct drops now = read_drops();
	int err = ct_prom_hist_map(f, &hists, skel->obj);

	/* Since the start, as every coretrace counter (docs/FLEET.md). */
	prom_counter(f, "listen_overflows", "TcpExtListenOverflows of the "
		     "network namespace: accept queue full",
		     now.overflows - start.overflows);
	prom_counter(f, "listen_drops", "TcpExtListenDrops of the network "
		     "namespace: connections a listener dropped",
		     now.drops - start.drops);
	return err;
}

/*
 * Faithful with kprobes (drops too), else the child's copy. Only the perf
 * PMU's kprobes: the other hooks need no tracefs, so none is mounted.
 */
static void choose_hook(struct tcpsynbl_bpf *skel)
{
	bool kprobe = ct_has_kprobe_pmu();

	bpf_program__set_autoload(skel->progs.kprobe_v4, kprobe);
	bpf_program__set_autoload(skel->progs.kprobe_v6, kprobe);
	if (!kprobe) {
		ct_select_tp(skel->obj, "backlog", "inet_sock_set_state");
		return;
	}
	bpf_program__set_autoload(skel->progs.btf_set_state, false);
	bpf_program__set_autoload(skel->progs.raw_set_state, false);
	bpf_program__set_autoload(skel->progs.tp_set_state, false);
	ct_attach_method("backlog", "kprobe tcp_v4_syn_recv_sock, "
			 "tcp_v6_syn_recv_sock");
}

static int configure(void *s)
{
	struct tcpsynbl_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	choose_hook(skel);
	start = last = read_drops();
	return 0;
}

CT_SKELETON(tcpsynbl_bpf);

static const struct ct_tool tool = {
	.name = "tcpsynbl",
	.summary = "Summarize TCP listeners' backlogs as histograms: the "
		   "length of the accept queue each time a connection "
		   "completes its handshake, per listener; and the drops.",
	.examples =
		"  tcpsynbl                 # histograms at Ctrl-C\n"
		"  tcpsynbl 1 10            # every second, ten times\n"
		"  tcpsynbl -T 5            # every 5 s, with the time\n"
		"  tcpsynbl -L 80,443       # listeners on ports 80 and 443\n"
		"  tcpsynbl -4 --json -d 10 # IPv4, JSON after ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.intervals = true,
	.skel = &tcpsynbl_bpf_ct,
	.configure = configure,
	.print = print,
	.prom = prom,
	.banner = "Tracing SYN backlog size. Ctrl-C to end.",
};

CT_MAIN(tool);
