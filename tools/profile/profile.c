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
#include "stacks.h"
#include "tool.h"
#include "profile.h"
#include "profile.skel.h"

enum {
	OPT_PERIOD = 1000,
	OPT_STORAGE,
};

static struct {
	__u64 freq;
	__u64 period;
	bool user_only, kernel_only, include_idle;
	bool folded, delimited, addresses;
	bool *cpus;		/* -C, NULL for all */
	__u32 storage;
	bool ran;
} env = { .freq = 49, .storage = CT_STACK_ENTRIES };

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
	{ "user-stacks-only", 'U', NULL, 0, "User stacks only, no kernel "
	  "stacks", 0 },
	{ "kernel-stacks-only", 'K', NULL, 0, "Kernel stacks only, no user "
	  "stacks", 0 },
	{ "include-idle", 'I', NULL, 0, "Include the CPUs' idle tasks", 0 },
	{ "folded", 'f', NULL, 0, "One line per stack, folded for flame "
	  "graphs: comm;frame;...;frame count", 0 },
	{ "delimited", 'D', NULL, 0, "A \"--\" (folded: \"-\") between kernel "
	  "and user frames", 0 },
	{ "addresses", 'a', NULL, 0, "Each frame's address, symbol offset "
	  "and file", 0 },
	{ "stack-storage-size", OPT_STORAGE, "N", 0,
	  "Room for N stacks and N counts (16384)", 0 },
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

static void check_options(void)
{
	if (env.user_only && env.kernel_only)
		ct_usage_error("-U and -K exclude each other");
	if (env.folded && ct_env.json)
		ct_usage_error("-f/--folded and --json exclude each other");
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
	case 'U':
		env.user_only = true;
		break;
	case 'K':
		env.kernel_only = true;
		break;
	case 'I':
		env.include_idle = true;
		break;
	case 'f':
		env.folded = true;
		break;
	case 'D':
		env.delimited = true;
		break;
	case 'a':
		env.addresses = true;
		break;
	case OPT_STORAGE:
		env.storage = ct_parse_long("--stack-storage-size", arg, 1,
					    1 << 24);
		break;
	case ARGP_KEY_ARG:
		/* bcc's positional duration. */
		if (state->arg_num > 0)
			ct_usage_error("unexpected argument '%s'", arg);
		ct_env.duration = ct_parse_duration("duration", arg);
		break;
	case ARGP_KEY_END:
		check_options();
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int configure(void *s)
{
	struct profile_bpf *skel = s;

	skel->rodata->user_only = env.user_only;
	skel->rodata->kernel_only = env.kernel_only;
	skel->rodata->include_idle = env.include_idle;
	if (ct_stacks_set_entries(skel->obj, env.storage) ||
	    bpf_map__set_max_entries(skel->maps.counts, env.storage)) {
		ct_warn("cannot size the maps");
		return CT_EXIT_ERROR;
	}
	return 0;
}

static void banner(void)
{
	const char *who = env.user_only ? "user" :
			  env.kernel_only ? "kernel" : "user + kernel";

	if (env.folded || ct_env.json)
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
	const struct profile_proc *p = data;

	(void)ctx;
	if (size < sizeof(*p))
		return 0;
	ct_usyms_snapshot(stacks.usyms, p->pid, p->proc_id);
	return 0;
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

/* A stack of one kind: its frames, named, or why there are none. */
struct stack {
	bool shown;		/* taken, or missed: printed either way */
	bool missed;
	int n;
	struct ct_frame frames[CT_STACK_DEPTH];
};

static void read_stack(const struct profile_key *k, bool kernel,
		       struct stack *st)
{
	__s32 id = kernel ? k->kstack : k->ustack;
	__u64 ips[CT_STACK_DEPTH];

	st->n = 0;
	st->missed = id < 0 && id != -EFAULT && id != CT_STACK_NOT_TAKEN;
	st->shown = id >= 0 || st->missed;
	if (id < 0)
		return;
	st->n = ct_stack_read(&stacks, id, ips);
	st->missed = !st->n;
	for (int i = 0; i < st->n; i++) {
		if (kernel)
			ct_frame_kernel(&stacks, ips[i], &st->frames[i]);
		else
			ct_frame_user(&stacks, k->pid, k->proc_id, ips[i],
				      &st->frames[i]);
	}
}

static const char *missed_text(bool kernel)
{
	return kernel ? "[Missed Kernel Stack]" : "[Missed User Stack]";
}

static void print_lines(FILE *f, const struct stack *st, bool kernel)
{
	if (st->missed)
		fprintf(f, "    %s\n", missed_text(kernel));
	for (int i = 0; i < st->n; i++) {
		fputs("    ", f);
		ct_frame_print(f, &st->frames[i], env.addresses, false);
		fputc('\n', f);
	}
}

static size_t comm_len(const struct profile_key *k)
{
	return strnlen(k->comm, sizeof(k->comm));
}

/* All but the count: the frames, then "-  comm (pid)". */
static void print_text(FILE *f, const struct profile_key *k,
		       const struct stack *ks, const struct stack *us)
{
	print_lines(f, ks, true);
	if (env.delimited && ks->shown && us->shown)
		fputs("    --\n", f);
	print_lines(f, us, false);
	fprintf(f, "    %-16s ", "-");
	ct_fput_escaped(f, k->comm, comm_len(k), 0);
	fprintf(f, " (%u)\n", k->pid);
}

/* Outermost frame first, each after a ';'. */
static void print_folded_stack(FILE *f, const struct stack *st, bool kernel)
{
	if (st->missed)
		fprintf(f, ";%s", missed_text(kernel));
	for (int i = st->n - 1; i >= 0; i--) {
		fputc(';', f);
		ct_frame_print(f, &st->frames[i], env.addresses, true);
	}
}

/* All but the count: comm;user frames;kernel frames. */
static void print_folded(FILE *f, const struct profile_key *k,
			 const struct stack *ks, const struct stack *us)
{
	struct ct_frame comm = { .name = k->comm, .name_len = comm_len(k) };

	ct_frame_print(f, &comm, false, true);
	print_folded_stack(f, us, false);
	if (env.delimited && ks->shown && us->shown)
		fputs(";-", f);
	print_folded_stack(f, ks, true);
}

static void json_stack(struct ct_json *j, const char *key,
		       const char *missed_key, const struct stack *st)
{
	if (!st->n) {
		ct_json_null(j, key);
	} else {
		ct_json_array(j, key);
		for (int i = 0; i < st->n; i++)
			ct_frame_json(j, &st->frames[i]);
		ct_json_close(j);
	}
	ct_json_bool(j, missed_key, st->missed);
}

static void print_json(const char *time, const struct entry *e,
		       const struct stack *ks, const struct stack *us)
{
	struct ct_json j;

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", time);
	ct_json_uint(&j, "pid", e->key.pid);
	ct_json_strn(&j, "comm", e->key.comm, comm_len(&e->key));
	ct_json_uint(&j, "count", e->count);
	json_stack(&j, "kstack", "kstack_missed", ks);
	json_stack(&j, "ustack", "ustack_missed", us);
	ct_json_end(&j);
}

/* A stack as printed (without its count), and how many samples show it. */
struct shown {
	char *text;
	__u64 count;
};

static int by_text(const void *a, const void *b)
{
	return strcmp(((const struct shown *)a)->text,
		      ((const struct shown *)b)->text);
}

static int by_shown_count(const void *a, const void *b)
{
	const struct shown *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->text, y->text);
}

static char *render(const struct entry *e)
{
	static struct stack ks, us;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	read_stack(&e->key, true, &ks);
	read_stack(&e->key, false, &us);
	if (env.folded)
		print_folded(f, &e->key, &ks, &us);
	else
		print_text(f, &e->key, &ks, &us);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/*
 * Samples at different instructions of one function are different stacks
 * to the kernel, and the same to a reader: stacks printed alike are one.
 */
static size_t merge(struct shown *s, size_t n)
{
	size_t out = 0;

	qsort(s, n, sizeof(*s), by_text);
	for (size_t i = 0; i < n; i++) {
		if (out && !strcmp(s[out - 1].text, s[i].text)) {
			s[out - 1].count += s[i].count;
			free(s[i].text);
			continue;
		}
		s[out++] = s[i];
	}
	return out;
}

static void print_shown(const struct entry *e, size_t n)
{
	struct shown *s = calloc(n ? n : 1, sizeof(*s));
	size_t m = 0;

	if (!s) {
		ct_warn("out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		s[m].text = render(&e[i]);
		s[m].count = e[i].count;
		m += s[m].text != NULL;
	}
	m = merge(s, m);
	qsort(s, m, sizeof(*s), by_shown_count);
	for (size_t i = 0; i < m; i++) {
		if (env.folded)
			printf("%s %llu\n", s[i].text,
			       (unsigned long long)s[i].count);
		else
			printf("%s        %llu\n\n", s[i].text,
			       (unsigned long long)s[i].count);
		free(s[i].text);
	}
	free(s);
}

/* Every object has the time of the report: when sampling ended. */
static void print_all_json(const struct entry *e, size_t n)
{
	static struct stack ks, us;
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
	struct profile_key *keys = calloc(env.storage, sizeof(*keys));
	__u64 *vals = calloc(env.storage, sizeof(*vals));
	struct entry *e = NULL;
	int n;

	n = keys && vals ? ct_map_take_all(fd, sizeof(*keys), sizeof(*vals),
					   env.storage, keys, vals) : -ENOMEM;
	if (n > 0 && !(e = calloc(n, sizeof(*e))))
		n = -ENOMEM;
	for (int i = 0; i < n; i++)
		e[i] = (struct entry){ keys[i], vals[i] };
	free(keys);
	free(vals);
	*out = e;
	return n;
}

static void report(struct profile_bpf *skel)
{
	struct entry *e;
	int n = take_counts(bpf_map__fd(skel->maps.counts), &e);

	if (n < 0) {
		ct_warn("cannot read the counts: %s", strerror(-n));
		return;
	}
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
