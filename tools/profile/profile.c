// SPDX-License-Identifier: GPL-2.0
/*
 * profile: sample what runs on the CPUs, at a frequency or every N ns of
 * CPU time, and print the stacks seen (kernel and user) with how often,
 * as bcc's profile does, folded for flame graphs, or as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "escape.h"
#include "json.h"
#include "maps.h"
#include "output.h"
#include "perf_sample.h"
#include "stack_opts.h"
#include "stack_report.h"
#include "stacks.h"
#include "tool.h"
#include "profile.h"
#include "profile.skel.h"

enum {
	OPT_PERIOD = 1000,
};

static struct {
	__u64 freq;
	__u64 period;
	bool include_idle;
	bool *cpus;		/* -C, NULL for all */
	bool ran;
} env = { .freq = 49 };

static struct ct_stacks stacks;

static const struct argp_option options[] = {
	CT_OPT_PID("Only this process"),
	{ "tid", 'L', "TID", 0, "Only this thread", 0 },
	CT_OPT_UID("Only processes of this user"),
	CT_OPT_CGROUP("Only processes in this cgroup (v2) or below"),
	{ "frequency", 'F', "HZ", 0, "Samples per second on each CPU (49)",
	  0 },
	{ "period", OPT_PERIOD, "NS", 0,
	  "A sample every NS nanoseconds of CPU time instead of -F", 0 },
	{ "cpu", 'C', "CPUS", 0, "Only these CPUs (\"0\", \"0-3,6\")", 0 },
	{ "include-idle", 'I', NULL, 0, "Include the CPUs' idle tasks", 0 },
	CT_STACK_OPTIONS("count"),
	{},
};

static bool *parse_cpus(const char *arg)
{
	int n = libbpf_num_possible_cpus();
	bool *cpus = n > 0 ? calloc(n, sizeof(*cpus)) : NULL;

	if (!cpus) {
		ct_warn("cannot count the CPUs");
		exit(CT_EXIT_ERROR);
	}
	if (ct_parse_cpu_list(arg, cpus, n) <= 0)
		ct_usage_error("-C/--cpu: not a list of CPUs below %d: '%s'",
			       n, arg);
	return cpus;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'L':
		ct_env.filter.tid = ct_parse_pid("-L/--tid", arg);
		break;
	case 'F':
		env.freq = ct_parse_long("-F/--frequency", arg, 1, 1000000);
		env.period = 0;
		break;
	case OPT_PERIOD:
		env.period = ct_parse_long("--period", arg, 1000, LONG_MAX);
		env.freq = 0;
		break;
	case 'C':
		free(env.cpus);
		env.cpus = parse_cpus(arg);
		break;
	case 'I':
		env.include_idle = true;
		break;
	default:
		return ct_stack_parse_opt(key, arg, state);
	}
	return 0;
}

static int configure(void *s)
{
	struct profile_bpf *skel = s;

	skel->rodata->user_only = ct_stack_opts.user_only;
	skel->rodata->kernel_only = ct_stack_opts.kernel_only;
	skel->rodata->include_idle = env.include_idle;
	if (ct_stacks_set_entries(skel->obj, ct_stack_opts.storage) ||
	    bpf_map__set_max_entries(skel->maps.counts,
				     ct_stack_opts.storage)) {
		ct_warn("cannot size the maps");
		return CT_EXIT_ERROR;
	}
	return 0;
}

static void banner(void)
{
	const char *who = ct_stack_opts_which();

	if (ct_stack_opts.folded || ct_env.json)
		return;
	if (env.freq)
		printf("Sampling at %llu Hz", (unsigned long long)env.freq);
	else
		printf("Sampling every %llu ns of CPU time",
		       (unsigned long long)env.period);
	printf(" of %s by %s stack... Hit Ctrl-C to end.\n",
	       ct_env.filter.tid ? "one thread" :
	       ct_env.filter.tgid ? "one process" : "all threads", who);
	ct_flush();
}

static int attach(void *s)
{
	struct profile_bpf *skel = s;
	struct ct_perf_event ev = CT_PERF_CPU_CLOCK(env.freq);
	int err;

	ev.period = env.period;
	err = ct_stacks_init(&stacks, skel->obj);
	if (!err)
		err = ct_perf_attach_cpus(skel->progs.sample, &ev, env.cpus);
	if (err)
		return err;
	env.ran = true;
	banner();
	return 0;
}

/* A process sampled for the first time: read its mappings now. */
static int on_process(void *ctx, const void *data, size_t size)
{
	(void)ctx;
	return ct_stack_report_process(&stacks, data, size);
}

struct entry {
	struct profile_key key;
	__u64 count;
};

/* Most samples first; ties in a stable order. */
static int by_count(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->key.pid != y->key.pid)
		return x->key.pid < y->key.pid ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static void read_stack(const struct profile_key *k, bool kernel,
		       struct ct_stack_frames *st)
{
	ct_stack_frames_take(&stacks, kernel ? k->kstack : k->ustack, kernel,
			     k->pid, k->proc_id, st);
}

static size_t comm_len(const struct profile_key *k)
{
	return strnlen(k->comm, sizeof(k->comm));
}

/* All but the count: the frames, then "-  comm (pid)". */
static void print_text(FILE *f, const struct profile_key *k,
		       const struct ct_stack_frames *ks,
		       const struct ct_stack_frames *us)
{
	ct_stack_frames_print(f, ks, true, "    ", ct_stack_opts.addresses);
	if (ct_stack_opts.delimited && ks->shown && us->shown)
		fputs("    --\n", f);
	ct_stack_frames_print(f, us, false, "    ", ct_stack_opts.addresses);
	fprintf(f, "    %-16s ", "-");
	ct_fput_escaped(f, k->comm, comm_len(k), 0);
	fprintf(f, " (%u)\n", k->pid);
}

/* All but the count: comm;user frames;kernel frames. */
static void print_folded(FILE *f, const struct profile_key *k,
			 const struct ct_stack_frames *ks,
			 const struct ct_stack_frames *us)
{
	struct ct_frame comm = { .name = k->comm, .name_len = comm_len(k) };

	ct_frame_print(f, &comm, false, true);
	ct_stack_frames_fold(f, us, false, ct_stack_opts.addresses);
	if (ct_stack_opts.delimited && ks->shown && us->shown)
		fputs(";-", f);
	ct_stack_frames_fold(f, ks, true, ct_stack_opts.addresses);
}

static void print_json(const char *time, const struct entry *e,
		       const struct ct_stack_frames *ks,
		       const struct ct_stack_frames *us)
{
	struct ct_json j;

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", time);
	ct_json_uint(&j, "pid", e->key.pid);
	ct_json_strn(&j, "comm", e->key.comm, comm_len(&e->key));
	ct_json_uint(&j, "count", e->count);
	ct_stack_frames_json(&j, "kstack", "kstack_missed", ks);
	ct_stack_frames_json(&j, "ustack", "ustack_missed", us);
	ct_json_end(&j);
}

static char *render(const struct entry *e)
{
	static struct ct_stack_frames ks, us;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	read_stack(&e->key, true, &ks);
	read_stack(&e->key, false, &us);
	if (ct_stack_opts.folded)
		print_folded(f, &e->key, &ks, &us);
	else
		print_text(f, &e->key, &ks, &us);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static char *render_item(const void *ctx, size_t i,
			 struct ct_stack_total *total)
{
	const struct entry *e = ctx;

	total->count = e[i].count;
	return render(&e[i]);
}

static void print_shown(const struct entry *e, size_t n)
{
	ct_stack_render_print(n, render_item, e, ct_stack_opts.folded, true);
}

/* Every object has the time of the report: when sampling ended. */
static void print_all_json(const struct entry *e, size_t n)
{
	static struct ct_stack_frames ks, us;
	char time[64];

	ct_fmt_iso8601(time, sizeof(time), ct_now_ns());
	for (size_t i = 0; i < n; i++) {
		read_stack(&e[i].key, true, &ks);
		read_stack(&e[i].key, false, &us);
		print_json(time, &e[i], &ks, &us);
	}
}

static int take_counts(int fd, struct entry **out)
{
	return ct_map_take_records(fd, sizeof((*out)->key),
				   sizeof((*out)->count), ct_stack_opts.storage,
				   sizeof(**out), offsetof(struct entry, count),
				   (void **)out);
}

static void report(struct profile_bpf *skel)
{
	struct entry *e;
	int n = take_counts(bpf_map__fd(skel->maps.counts), &e);

	if (n < 0) {
		ct_warn("cannot read the counts: %s", strerror(-n));
		return;
	}
	/* No samples: no array (qsort() must not be given NULL). */
	if (n > 1)
		qsort(e, n, sizeof(*e), by_count);
	if (ct_env.json)
		print_all_json(e, n);
	else
		print_shown(e, n);
	free(e);
	ct_flush();
	ct_stacks_report_missed(&stacks);
	ct_report_missed(skel->obj, "samples");
}

static void finish(void *s)
{
	if (env.ran)
		report(s);
	ct_stacks_free(&stacks);
	free(env.cpus);
}

CT_SKELETON(profile_bpf);

static const struct ct_tool tool = {
	.name = "profile",
	.summary = "Sample on-CPU stacks, kernel and user, and print each "
		   "stack seen with its count, at the end (Ctrl-C, -d).",
	.examples =
		"  profile                   # all CPUs at 49 Hz until Ctrl-C\n"
		"  profile -F 99 -d 10       # 99 Hz for ten seconds\n"
		"  profile 10                # ten seconds, as bcc's\n"
		"  profile -p 185 -f > out.folded   # for flamegraph.pl\n"
		"  profile -U -p 185         # user stacks only\n"
		"  profile -K -C 0-3         # kernel stacks, CPUs 0 to 3\n"
		"  profile -a --json -d 5    # addresses and files, as JSON\n",
	.args_doc = "[DURATION]",
	.options = options,
	.parser = parse_arg,
	.skel = &profile_bpf_ct,
	.configure = configure,
	.attach = attach,
	.on_event = on_process,
	.finish = finish,
	.report = true,
};

CT_MAIN(tool);
