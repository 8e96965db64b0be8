// SPDX-License-Identifier: GPL-2.0
/* runqlat: how long runnable tasks wait for a CPU, as histograms. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "columns.h"
#include "escape.h"
#include "hist_map.h"
#include "json.h"
#include "tool.h"
#include "tp_attach.h"
#include "runqlat.h"
#include "runqlat.skel.h"

static enum runq_by by;	/* -P, -L, --pidnss */
static struct ct_hist_map hists;

/* One bucket for --csv. */
struct runq_row {
	struct ct_hist_row h;
	__u32 id;
	struct ct_str comm;
};

#define COL(field) CT_AT(struct runq_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct runq_row, h.ts),
	{ "pid", "PID", "process ID (-P)", -7, CT_COL_UINT, COL(id), NULL,
	  true },
	{ "tid", "TID", "thread ID (-L)", -7, CT_COL_UINT, COL(id), NULL,
	  true },
	{ "pidns", "PIDNS", "PID namespace inode number (--pidnss)", -10,
	  CT_COL_UINT, COL(id), NULL, true },
	{ "comm", "COMM", "its command name (-P, -L)", -16, CT_COL_STR,
	  COL(comm), NULL, true },
	CT_HIST_COLUMNS(struct runq_row, h),
};

/* Not const: the key chooses the defaults. */
static struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.csv_only = true,
};

enum { OPT_PIDNSS = 0x100 };

static const struct argp_option options[] = {
	{ "milliseconds", 'm', NULL, 0, "Histograms in milliseconds", 0 },
	{ "pids", 'P', NULL, 0, "One histogram per process", 0 },
	{ "tids", 'L', NULL, 0, "One histogram per thread", 0 },
	{ "pidnss", OPT_PIDNSS, NULL, 0, "One histogram per PID namespace",
	  0 },
	CT_OPT_PID("Only this process"),
	CT_OPT_CGROUP("Only tasks in this cgroup v2 directory"),
	{ "timestamp", 'T', NULL, 0, "Print the time with each interval", 0 },
	{},
};

static const char *const key_names[] = {
	[RUNQ_BY_PROCESS] = "pid",
	[RUNQ_BY_THREAD] = "tid",
	[RUNQ_BY_PIDNS] = "pidns",
};

static void set_by(enum runq_by b)
{
	if (by && by != b)
		ct_usage_error("-P, -L and --pidnss: choose one");
	by = b;
	hists.keyed = true;
}

/* The key's CSV fields: those of -P, -L or --pidnss; no others. */
static void key_fields(void)
{
	static char list[80];
	bool comm = by == RUNQ_BY_PROCESS || by == RUNQ_BY_THREAD;

	for (int b = RUNQ_BY_PROCESS; b <= RUNQ_BY_PIDNS; b++)
		if (b != (int)by)
			ct_fields_flag(key_names[b], CT_COL_OFF);
	if (!comm)
		ct_fields_flag("comm", CT_COL_OFF);
	if (by)
		snprintf(list, sizeof(list), "time,%s,%s" CT_HIST_FIELDS,
			 key_names[by], comm ? "comm," : "");
	fields.text = by ? list : "time," CT_HIST_FIELDS;
	fields.data = fields.text;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	(void)state;
	switch (key) {
	case 'm':
		hists.unit = "msecs";
		break;
	case 'P':
		set_by(RUNQ_BY_PROCESS);
		break;
	case 'L':
		set_by(RUNQ_BY_THREAD);
		break;
	case OPT_PIDNSS:
		set_by(RUNQ_BY_PIDNS);
		break;
	case 'T':
		hists.timestamp = true;
		break;
	case ARGP_KEY_END:
		key_fields();
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int by_key(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}


static void text_key(const void *row)
{
	const struct runq_row *r = row;

	printf("%s = %u", key_names[by], r->id);
	if (by != RUNQ_BY_PIDNS) {
		putchar(' ');
		ct_fput_escaped(stdout, r->comm.s, r->comm.len, 0);
	}
	putchar('\n');
}

static void fill_row(void *row, const void *key, const void *value)
{
	struct runq_row *r = row;
	const struct runq_hist *h = value;

	r->id = *(const __u32 *)key;
	r->comm = (struct ct_str){ h->comm, strnlen(h->comm, RUNQ_COMM_LEN) };
}

static struct ct_hist_map hists = {
	.map = "hists",
	.single_map = "hist",
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct runq_hist),
	.max_entries = RUNQ_MAX_KEYS,
	.slots_off = offsetof(struct runq_hist, slots),
	.nslots = RUNQ_SLOTS,
	.what = "latencies",
	.unit = "usecs",
	.compare = by_key,
	.row_size = sizeof(struct runq_row),
	.fill_row = fill_row,
	.text_key = text_key,
	.prom_help = "Run queue latency: how long runnable tasks waited",
	.sum_off = offsetof(struct runq_hist, sum_ns),
};

static int configure(void *s)
{
	struct runqlat_bpf *skel = s;

	skel->rodata->in_ms = hists.unit[0] == 'm';
	skel->rodata->hist_by = by;
	ct_select_tp(skel->obj, "sched", "sched_switch");
	return 0;
}

CT_SKELETON(runqlat_bpf);

static const struct ct_tool tool = {
	.name = "runqlat",
	.summary = "Summarize run queue (scheduler) latency as a histogram: "
		   "how long runnable tasks wait for a CPU.",
	.examples =
		"  runqlat                  # one histogram at Ctrl-C\n"
		"  runqlat 1 5              # every second, five times\n"
		"  runqlat -mT 5            # in ms, every 5 s, with the time\n"
		"  runqlat -P               # one histogram per process\n"
		"  runqlat -L -p 185        # per thread of process 185\n"
		"  runqlat --pidnss         # per PID namespace (containers)\n"
		"  runqlat -c /sys/fs/cgroup/unified/system.slice\n"
		"  runqlat --json -d 10     # JSON after ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.intervals = true,
	.skel = &runqlat_bpf_ct,
	.configure = configure,
	.hists = &hists,
	.banner = "Tracing run queue latency... Hit Ctrl-C to end.",
};

CT_MAIN(tool);
