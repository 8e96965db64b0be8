// SPDX-License-Identifier: GPL-2.0
/* runqlat: how long runnable tasks wait for a CPU, as histograms. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "escape.h"
#include "hist_map.h"
#include "histogram.h"
#include "json.h"
#include "output.h"
#include "tool.h"
#include "tp_attach.h"
#include "runqlat.h"
#include "runqlat.skel.h"

static struct {
	bool ms;		/* -m */
	bool timestamp;		/* -T */
	enum runq_by by;	/* -P, -L, --pidnss */
	double interval;	/* seconds, 0 for one summary at the end */
	long count;		/* intervals, 0 for no limit */
	int positional;
} opt;

enum { OPT_PIDNSS = 0x100 };

static const struct argp_option options[] = {
	{ "milliseconds", 'm', NULL, 0, "Histograms in milliseconds", 0 },
	{ "pids", 'P', NULL, 0, "One histogram per process", 0 },
	{ "tids", 'L', NULL, 0, "One histogram per thread", 0 },
	{ "pidnss", OPT_PIDNSS, NULL, 0, "One histogram per PID namespace",
	  0 },
	{ "pid", 'p', "PID", 0, "Only this process", 0 },
	{ "cgroup", 'c', "PATH", 0, "Only tasks in this cgroup v2 directory",
	  0 },
	{ "timestamp", 'T', NULL, 0, "Print the time with each interval", 0 },
	{},
};

static void set_by(enum runq_by by)
{
	if (opt.by && opt.by != by)
		ct_usage_error("-P, -L and --pidnss: choose one");
	opt.by = by;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'm':
		opt.ms = true;
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
	case 'p':
		ct_env.filter.tgid = ct_parse_pid("-p/--pid", arg);
		break;
	case 'c':
		ct_env.cgroup_fd = ct_parse_cgroup("-c/--cgroup", arg);
		break;
	case 'T':
		opt.timestamp = true;
		break;
	case ARGP_KEY_ARG:
		if (opt.positional == 0)
			opt.interval = ct_parse_duration("interval", arg);
		else if (opt.positional == 1)
			opt.count = ct_parse_long("count", arg, 1, LONG_MAX);
		else
			ct_usage_error("unexpected argument '%s'", arg);
		opt.positional++;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct ct_tool tool = {
	.name = "runqlat",
	.summary = "Summarize run queue (scheduler) latency as a histogram: "
		   "how long runnable tasks wait for a CPU.",
	.args_doc = "[INTERVAL [COUNT]]",
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
};

static int by_key(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}

static const char *const key_names[] = {
	[RUNQ_BY_PROCESS] = "pid",
	[RUNQ_BY_THREAD] = "tid",
	[RUNQ_BY_PIDNS] = "pidns",
};

static const char *unit(void)
{
	return opt.ms ? "msecs" : "usecs";
}

static void print_text(const void *key, const void *value, bool first)
{
	const struct runq_hist *h = value;

	if (opt.by) {
		printf("%s%s = %u", first ? "" : "\n", key_names[opt.by],
		       *(const __u32 *)key);
		if (opt.by != RUNQ_BY_PIDNS) {
			putchar(' ');
			ct_fput_escaped(stdout, h->comm,
					strnlen(h->comm, RUNQ_COMM_LEN), 0);
		}
		putchar('\n');
	}
	ct_print_log2_hist(stdout, h->slots, RUNQ_SLOTS, unit());
}

static __u64 total(const struct runq_hist *h)
{
	__u64 sum = 0;

	for (int i = 0; i < RUNQ_SLOTS; i++)
		sum += h->slots[i];
	return sum;
}

static void print_json(const void *key, const void *value, __u64 now)
{
	const struct runq_hist *h = value;
	struct ct_json j;
	char buf[40];

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf), now));
	if (opt.by)
		ct_json_uint(&j, key_names[opt.by], *(const __u32 *)key);
	if (opt.by == RUNQ_BY_PROCESS || opt.by == RUNQ_BY_THREAD)
		ct_json_strn(&j, "comm", h->comm,
			     strnlen(h->comm, RUNQ_COMM_LEN));
	ct_json_str(&j, "unit", unit());
	ct_json_uint(&j, "total", total(h));
	ct_json_log2_hist(&j, "buckets", h->slots, RUNQ_SLOTS);
	ct_json_end(&j);
}

/* Print the histograms of this interval and start the next from zero. */
static int print_interval(void *ctx)
{
	struct runqlat_bpf *skel = ctx;
	const struct ct_hist_map hists = {
		.obj = skel->obj,
		.fd = bpf_map__fd(skel->maps.hists),
		.key_size = sizeof(__u32),
		.value_size = sizeof(struct runq_hist),
		.max_entries = RUNQ_MAX_KEYS,
		.what = "latencies",
		.timestamp = opt.timestamp,
		.compare = by_key,
		.print_text = print_text,
		.print_json = print_json,
	};

	return ct_print_hist_map(&hists);
}

static int run(struct runqlat_bpf *skel)
{
	if (!ct_env.json) {
		printf("Tracing run queue latency... Hit Ctrl-C to end.\n");
		ct_flush();
	}
	return ct_print_intervals(opt.interval, opt.count, print_interval,
				  skel);
}

int main(int argc, char **argv)
{
	struct runqlat_bpf *skel;
	int err;

	ct_parse_args(&tool, argc, argv);
	err = ct_setup();
	if (err)
		return err;
	skel = CT_OPEN(runqlat_bpf);
	if (!skel) {
		ct_warn("cannot open the BPF object");
		return CT_EXIT_ERROR;
	}
	skel->rodata->in_ms = opt.ms;
	skel->rodata->hist_by = opt.by;
	ct_select_tp(skel->obj, "sched", "sched_switch");
	err = ct_load_and_attach(skel->skeleton);
	if (!err)
		err = run(skel);
	runqlat_bpf__destroy(skel);
	return err;
}
