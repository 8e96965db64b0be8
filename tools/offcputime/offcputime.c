// SPDX-License-Identifier: GPL-2.0
/*
 * offcputime: the time threads spend off the CPU (blocked, sleeping,
 * preempted), summed by the stacks they left it with, kernel and user.
 * wakeuptime (the same binary by that name): the time they spent blocked,
 * summed by the stacks of the threads that woke them.
 * Printed at the end as bcc's stacks with totals in microseconds, folded
 * for flame graphs, or as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "feature_probe.h"
#include "maps.h"
#include "sched_state.h"
#include "stack_opts.h"
#include "stack_report.h"
#include "tool.h"
#include "tp_attach.h"
#include "offcputime.h"
#include "offcputime.skel.h"

enum {
	OPT_STATE = 1000,
	OPT_PER_THREAD,
	OPT_USER_THREADS,
};

static struct {
	bool waker;		/* wakeuptime */
	bool user_threads, kernel_threads;
	bool per_thread;
	__u32 states;
	__u64 min_us, max_us;
	bool ran;
} env = { .min_us = 1, .max_us = ~0ULL };

static struct ct_stack_report report = { .stacks = &(struct ct_stacks){} };

static const struct argp_option options[] = {
	CT_OPT_PID("Only threads of this process"),
	{ "tid", 't', "TID", 0, "Only this thread", 0 },
	CT_OPT_UID("Only threads of this user"),
	CT_OPT_CGROUP("Only threads in this cgroup (v2) or below"),
	{ "user-threads-only", OPT_USER_THREADS, NULL, 0,
	  "Only user threads (no kernel threads)", 0 },
	{ "kernel-threads-only", 'k', NULL, 0,
	  "Only kernel threads (no user threads)", 0 },
	{ "min-block-time", 'm', "US", 0,
	  "Only blocks of at least US microseconds (1)", 0 },
	{ "max-block-time", 'M', "US", 0,
	  "Only blocks of at most US microseconds", 0 },
	{ "state", OPT_STATE, "STATES", 0, "Only threads leaving the CPU in "
	  "these states: letters of R,S,D,T,t,X,Z,P,I (\"S,D\"), or bcc's "
	  "number (2 for D)", 0 },
	{ "per-thread", OPT_PER_THREAD, NULL, 0,
	  "A total per thread, not per process", 0 },
	CT_STACK_OPTIONS("total"),
	{},
};

/* One state letter: its bit, or 0 if none. */
static __u32 state_bit(char c)
{
	const char *p = c ? strchr(CT_STATE_LETTERS, c) : NULL;

	if (c == 'R')
		return OFFCPU_STATE_R;
	return p ? 1U << (p - CT_STATE_LETTERS) : 0;
}

/* "S,D", "SD", or bcc's number: 0 for R, else TASK_REPORT bits. */
static __u32 parse_states(const char *arg)
{
	__u32 bits = 0;
	long n;

	if (*arg >= '0' && *arg <= '9') {
		n = ct_parse_long("--state", arg, 0,
				  CT_STATE_I | CT_STATE_REPORTED);
		return n ? (__u32)n : OFFCPU_STATE_R;
	}
	for (const char *p = arg; *p; p++) {
		__u32 b = *p == ',' ? 0 : state_bit(*p);

		if (!b && *p != ',')
			ct_usage_error("--state: '%c' is not one of "
				       "R,S,D,T,t,X,Z,P,I: '%s'", *p, arg);
		bits |= b;
	}
	if (!bits)
		ct_usage_error("--state: no state in '%s'", arg);
	return bits;
}

static void check_options(void)
{
	if (env.user_threads && env.kernel_threads)
		ct_usage_error("--user-threads-only and -k exclude each other");
	if (env.min_us > env.max_us)
		ct_usage_error("-m/--min-block-time is above "
			       "-M/--max-block-time");
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 't':
		ct_env.filter.tid = ct_parse_pid("-t/--tid", arg);
		break;
	case OPT_USER_THREADS:
		env.user_threads = true;
		break;
	case 'k':
		env.kernel_threads = true;
		break;
	case 'm':
		env.min_us = ct_parse_long("-m/--min-block-time", arg, 0,
					   LONG_MAX / 1000);
		break;
	case 'M':
		env.max_us = ct_parse_long("-M/--max-block-time", arg, 0,
					   LONG_MAX / 1000);
		break;
	case OPT_STATE:
		env.states = parse_states(arg);
		break;
	case OPT_PER_THREAD:
		env.per_thread = true;
		break;
	case ARGP_KEY_END:
		check_options();
		/* fall through */
	default:
		return ct_stack_parse_opt(key, arg, state);
	}
	return 0;
}

/* Load the programs of the best kind for both tracepoints. */
static void choose_programs(struct offcputime_bpf *skel)
{
	enum ct_tp_kind kind = ct_choose_tp("sched_switch");

	/* raw_tp (4.17) is older than what any tool needs: no plain tp. */
	if (kind == CT_TP_PLAIN)
		kind = CT_TP_RAW;
	if (env.waker && kind == CT_TP_BTF &&
	    ct_choose_tp("sched_waking") != CT_TP_BTF)
		kind = CT_TP_RAW;
	ct_autoload_tp(skel->obj, kind);
	bpf_program__set_autoload(skel->progs.btf_waking,
				  env.waker && kind == CT_TP_BTF);
	bpf_program__set_autoload(skel->progs.raw_waking,
				  env.waker && kind == CT_TP_RAW);
	ct_attach_method(env.waker ? "sched_switch, sched_waking" :
			 "sched_switch", ct_tp_kind_name(kind));
	skel->rodata->ct_switch_has_state =
		ct_tp_btf_has_arg("sched_switch", 3);
	ct_verbose("state at switch out: from %s",
		   skel->rodata->ct_switch_has_state ?
		   "sched_switch's prev_state" : "task_struct's state");
}

static int configure(void *s)
{
	struct offcputime_bpf *skel = s;

	skel->rodata->waker = env.waker;
	skel->rodata->user_threads_only = env.user_threads;
	skel->rodata->kernel_threads_only = env.kernel_threads;
	skel->rodata->user_stacks_only = ct_stack_opts.user_only;
	skel->rodata->kernel_stacks_only = ct_stack_opts.kernel_only;
	skel->rodata->per_thread = env.per_thread;
	skel->rodata->states = env.states;
	skel->rodata->min_ns = env.min_us * 1000;
	skel->rodata->max_ns = env.max_us == ~0ULL ? ~0ULL :
			       env.max_us * 1000;
	choose_programs(skel);
	if (ct_stacks_set_entries(skel->obj, ct_stack_opts.storage) ||
	    bpf_map__set_max_entries(skel->maps.totals,
				     ct_stack_opts.storage)) {
		ct_warn("cannot size the maps");
		return CT_EXIT_ERROR;
	}
	report.max = ct_stack_opts.storage;
	report.folded = ct_stack_opts.folded;
	report.delimited = ct_stack_opts.delimited;
	report.addresses = ct_stack_opts.addresses;
	report.per_thread = env.per_thread;
	report.waker = env.waker;
	return 0;
}

static void banner(void)
{
	const char *who = ct_stack_opts_which();

	if (report.folded || ct_env.json)
		return;
	if (env.waker)
		printf("Tracing blocked time (us) by %s waker stack", who);
	else
		printf("Tracing off-CPU time (us) of %s by %s stack",
		       ct_env.filter.tid ? "one thread" :
		       ct_env.filter.tgid ? "one process" : "all threads", who);
	printf("... Hit Ctrl-C to end.\n");
	ct_flush();
}

static int attach(void *s)
{
	struct offcputime_bpf *skel = s;
	int err = ct_stacks_init(report.stacks, skel->obj);

	if (err)
		return err;
	report.totals_fd = bpf_map__fd(skel->maps.totals);
	env.ran = true;
	banner();
	return 0;
}

static int on_process(void *ctx, const void *data, size_t size)
{
	(void)ctx;
	return ct_stack_report_process(report.stacks, data, size);
}

static void finish(void *s)
{
	struct offcputime_bpf *skel = s;

	if (env.ran) {
		ct_stack_report_print(&report);
		ct_report_missed(skel->obj, "blocks");
	}
	ct_stacks_free(report.stacks);
}

static int prepare_waker(void)
{
	env.waker = true;
	return 0;
}

CT_SKELETON(offcputime_bpf);

static const struct ct_tool offcputime = {
	.name = "offcputime",
	.summary = "Sum the time threads spend off the CPU by the stacks, "
		   "kernel and user, they left it with; print the totals at "
		   "the end (Ctrl-C, -d).",
	.examples =
		"  offcputime                # all threads until Ctrl-C\n"
		"  offcputime 5              # five seconds, as bcc's\n"
		"  offcputime -p 185 -f > out.folded   # for flamegraph.pl\n"
		"  offcputime --state D -K   # uninterruptible sleeps, "
		"kernel stacks\n"
		"  offcputime -m 1000        # blocks of 1 ms or more\n"
		"  offcputime --json -d 5    # JSON for five seconds\n",
	.args_doc = "[DURATION]",
	.options = options,
	.parser = parse_arg,
	.skel = &offcputime_bpf_ct,
	.configure = configure,
	.attach = attach,
	.on_event = on_process,
	.finish = finish,
	.report = true,
};

static const struct ct_tool wakeuptime = {
	.name = "wakeuptime",
	.summary = "Sum the time threads spend blocked by the stacks, kernel "
		   "and user, of the threads that woke them; print the totals "
		   "at the end (Ctrl-C, -d).",
	.examples =
		"  wakeuptime                # all wakeups until Ctrl-C\n"
		"  wakeuptime 5              # five seconds, as bcc's\n"
		"  wakeuptime -p 185 -f > out.folded   # who woke process 185\n"
		"  wakeuptime -K -m 1000     # kernel stacks, blocks of 1 ms+\n"
		"  wakeuptime --json -d 5    # JSON for five seconds\n",
	.args_doc = "[DURATION]",
	.options = options,
	.parser = parse_arg,
	.skel = &offcputime_bpf_ct,
	.prepare = prepare_waker,
	.configure = configure,
	.attach = attach,
	.on_event = on_process,
	.finish = finish,
	.report = true,
};

CT_MAIN_ALIASES(&offcputime, &wakeuptime);
