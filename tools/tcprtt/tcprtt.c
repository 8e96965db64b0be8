// SPDX-License-Identifier: GPL-2.0
/* tcprtt: TCP smoothed round trip times as histograms. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"
#include "columns.h"
#include "hist_map.h"
#include "net_addr.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcprtt.h"
#include "tcprtt.skel.h"

static enum rtt_by by;	/* -b, -B, --bylport, --byrport */
static struct rtt_addr_filter laddr_filter, raddr_filter;
static struct ct_hist_map hists;

/* One bucket for --csv. */
struct rtt_row {
	struct ct_hist_row h;
	struct ct_str addr;
	unsigned int port;
	char buf[CT_ADDR_STRLEN];
};

#define COL(field) CT_AT(struct rtt_row, field)

/*
 * Local addresses and ports are few and fixed (Prometheus labels); remote
 * ones are anyone's, so --prom-textfile refuses -B and --byrport.
 */
static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct rtt_row, h.ts),
	{ "laddr", "LADDR", "local address (-b)", -15, CT_COL_STR, COL(addr),
	  NULL, true, .label = "laddr" },
	{ "raddr", "RADDR", "remote address (-B)", -15, CT_COL_STR,
	  COL(addr), NULL, true },
	{ "lport", "LPORT", "local port (--bylport)", 5, CT_COL_UINT,
	  COL(port), NULL, true, .label = "lport" },
	{ "rport", "RPORT", "remote port (--byrport)", 5, CT_COL_UINT,
	  COL(port), NULL, true },
	CT_HIST_COLUMNS(struct rtt_row, h),
};

/* Not const: the key chooses the defaults. */
static struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.csv_only = true,
};

enum { OPT_BYLPORT = 0x100, OPT_BYRPORT, OPT_LPORT, OPT_RPORT };

static const struct argp_option options[] = {
	{ "interval", 'i', "SECONDS", 0,
	  "Print every SECONDS (as the first argument)", 0 },
	{ "timestamp", 'T', NULL, 0, "Print the time with each interval", 0 },
	{ "milliseconds", 'm', NULL, 0, "Histograms in milliseconds", 0 },
	{ "extension", 'e', NULL, 0,
	  "Also the average and the sum of each histogram", 0 },
	{ "byladdr", 'b', NULL, 0, "One histogram per local address", 0 },
	{ "byraddr", 'B', NULL, 0, "One histogram per remote address", 0 },
	{ "bylport", OPT_BYLPORT, NULL, 0, "One histogram per local port",
	  0 },
	{ "byrport", OPT_BYRPORT, NULL, 0, "One histogram per remote port",
	  0 },
	{ "laddr", 'a', "ADDR", 0,
	  "Only this local address or network (10.0.0.0/8)", 0 },
	{ "raddr", 'A', "ADDR", 0,
	  "Only this remote address or network", 0 },
	/* bcc's long names; its -p and -P are the PID here. */
	{ "lport", OPT_LPORT, "PORTS", 0, "Same as -L", 0 },
	{ "rport", OPT_RPORT, "PORTS", 0, "Same as -D", 0 },
	CT_TCP_FILTER_OPTIONS,
	{},
};

static const char *const key_names[] = {
	[RTT_BY_LADDR] = "laddr",
	[RTT_BY_RADDR] = "raddr",
	[RTT_BY_LPORT] = "lport",
	[RTT_BY_RPORT] = "rport",
};

static void set_by(enum rtt_by b)
{
	if (by && by != b)
		ct_usage_error("-b, -B, --bylport and --byrport: choose one");
	by = b;
	hists.keyed = true;
}

/* The key's CSV fields: that of the -b, -B... given; no others. */
static void key_fields(void)
{
	static char list[64];

	for (int b = RTT_BY_LADDR; b <= RTT_BY_RPORT; b++)
		if (b != (int)by)
			ct_fields_flag(key_names[b], CT_COL_OFF);
	if (by)
		snprintf(list, sizeof(list), "time,%s," CT_HIST_FIELDS,
			 key_names[by]);
	fields.text = by ? list : "time," CT_HIST_FIELDS;
	fields.data = fields.text;
}

static void parse_addr(const char *opt, const char *arg,
		       struct rtt_addr_filter *f)
{
	struct ct_addr_filter a;

	if (ct_parse_addr_filter(arg, &a))
		ct_usage_error("%s: '%s' is not an address or network", opt,
			       arg);
	f->family = a.family;
	f->prefix = a.prefix;
	memcpy(f->addr, a.addr, sizeof(f->addr));
}

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
	case 'm':
		hists.unit = "msecs";
		break;
	case 'e':
		hists.average = true;
		break;
	case 'b':
		set_by(RTT_BY_LADDR);
		break;
	case 'B':
		set_by(RTT_BY_RADDR);
		break;
	case OPT_BYLPORT:
		set_by(RTT_BY_LPORT);
		break;
	case OPT_BYRPORT:
		set_by(RTT_BY_RPORT);
		break;
	case 'a':
		parse_addr("-a/--laddr", arg, &laddr_filter);
		break;
	case 'A':
		parse_addr("-A/--raddr", arg, &raddr_filter);
		break;
	case OPT_LPORT:
		return ct_tcp_parse_opt('L', arg, NULL, 0);
	case OPT_RPORT:
		return ct_tcp_parse_opt('D', arg, NULL, 0);
	case ARGP_KEY_END:
		key_fields();
		return ARGP_ERR_UNKNOWN;
	default:
		return ct_tcp_parse_opt(key, arg, NULL, 0);
	}
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct rtt_key *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static void text_key(const void *row)
{
	const struct rtt_row *r = row;

	if (by == RTT_BY_LADDR || by == RTT_BY_RADDR)
		printf("%s = %s\n", key_names[by], r->addr.s);
	else
		printf("%s = %u\n", key_names[by], r->port);
}

static void fill_row(void *row, const void *key, const void *value)
{
	struct rtt_row *r = row;
	const struct rtt_key *k = key;

	(void)value;
	r->port = k->port;
	if (k->family) {
		ct_fmt_addr(r->buf, sizeof(r->buf), k->family, k->addr);
		r->addr = (struct ct_str){ r->buf, strlen(r->buf) };
	}
}

static struct ct_hist_map hists = {
	.map = "hists",
	.key_size = sizeof(struct rtt_key),
	.value_size = sizeof(struct rtt_hist),
	.max_entries = RTT_MAX_KEYS,
	.slots_off = offsetof(struct rtt_hist, slots),
	.nslots = RTT_SLOTS,
	.what = "round trip times",
	.unit = "usecs",
	.compare = by_key,
	.row_size = sizeof(struct rtt_row),
	.fill_row = fill_row,
	.text_key = text_key,
	.prom_help = "TCP smoothed round trip time, at each segment received",
	.sum_off = offsetof(struct rtt_hist, sum_ns),
};

static int configure(void *s)
{
	struct tcprtt_bpf *skel = s;

	skel->rodata->in_ms = hists.unit[0] == 'm';
	skel->rodata->hist_by = by;
	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	memcpy((void *)&skel->rodata->laddr_filter, &laddr_filter,
	       sizeof(laddr_filter));
	memcpy((void *)&skel->rodata->raddr_filter, &raddr_filter,
	       sizeof(raddr_filter));
	ct_select_tp(skel->obj, "tcp_probe", "tcp_probe");
	return 0;
}

CT_SKELETON(tcprtt_bpf);

static const struct ct_tool tool = {
	.name = "tcprtt",
	.summary = "Summarize TCP round trip times as a histogram: the "
		   "smoothed RTT (srtt) of established connections, at each "
		   "segment they receive.",
	.examples =
		"  tcprtt                   # one histogram at Ctrl-C\n"
		"  tcprtt -i 1 -d 10        # every second, for ten seconds\n"
		"  tcprtt -mT 5             # in ms, every 5 s, with the time\n"
		"  tcprtt -e                # with the average\n"
		"  tcprtt -L 443            # local port 443 only\n"
		"  tcprtt -A 10.0.0.0/8     # remote addresses in 10/8 only\n"
		"  tcprtt -b                # one histogram per local address\n"
		"  tcprtt -B -D 80          # per remote address, port 80\n"
		"  tcprtt --json -d 10      # JSON after ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.intervals = true,
	.skel = &tcprtt_bpf_ct,
	.configure = configure,
	.hists = &hists,
	.banner = "Tracing TCP RTT... Hit Ctrl-C to end.",
};

CT_MAIN(tool);
