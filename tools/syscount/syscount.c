// SPDX-License-Identifier: GPL-2.0
/* syscount: count system calls, by syscall or by process, in the kernel. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "args.h"
#include "columns.h"
#include "escape.h"
#include "feature_probe.h"
#include "json.h"
#include "output.h"
#include "prom.h"
#include "syscall_names.h"
#include "tool.h"
#include "syscount.h"
#include "syscount.skel.h"

static struct {
	bool by_process;	/* -P */
	bool latency;		/* -L */
	bool milliseconds;	/* -m */
	bool failures;		/* -x */
	int errno_value;	/* -e, 0 for any */
	long top;		/* -T, 0 for all */
} opt = { .top = 10 };

static char banner[128];

enum { OPT_COUNT = 0x100 };

static const struct argp_option options[] = {
	{ "process", 'P', NULL, 0, "Count by process instead of by syscall",
	  0 },
	{ "top", 'T', "N", 0, "Show the N most frequent (default 10, 0: all)",
	  0 },
	{ "interval", 'i', "SECONDS", 0,
	  "Print and reset the counts every SECONDS", 0 },
	{ "count", OPT_COUNT, "N", 0, "With -i: stop after N intervals", 0 },
	{ "latency", 'L', NULL, 0, "Include the total time spent in the calls",
	  0 },
	{ "milliseconds", 'm', NULL, 0, "With -L: time in ms, not us", 0 },
	{ "failures", 'x', NULL, 0, "Count failed calls only", 0 },
	{ "errno", 'e', "ERRNO", 0,
	  "Count only calls failing with ERRNO (ENOENT or 2)", 0 },
	CT_OPT_PID("Only calls by this process"),
	CT_OPT_CGROUP("Only calls in this cgroup v2 directory"),
	{},
};

/* One line of output: a syscall or a process, summed over the CPUs. */
struct row {
	__u64 key;		/* see syscount.h */
	__u64 count;
	__u64 total_ns;
	char comm[SYSCOUNT_COMM_LEN];
	/* The rest as the columns see it, filled when printed. */
	__u64 ts;		/* the printout's */
	__u32 pid;
	int nr;
	bool compat;
	struct ct_str comm_str;
	struct ct_str syscall;
};

enum { COL_TIME, COL_PID, COL_COMM, COL_SYSCALL, COL_NR, COL_COMPAT,
       COL_COUNT, COL_TOTAL };

static size_t text_syscall(struct ct_buf *b, const void *row);

#define COL(field) CT_AT(struct row, field)

/* Not const: -m changes a header. */
static struct ct_column columns[] = {
	[COL_TIME] = CT_COLUMN_TIME(struct row, ts),
	[COL_PID] = { "pid", "PID", "process ID (-P)", -7, CT_COL_UINT,
		      COL(pid), NULL, .key = true },
	[COL_COMM] = { "comm", "COMM", "its command name (-P)", -16,
		       CT_COL_STR, COL(comm_str), NULL, .key = true },
	[COL_SYSCALL] = { "syscall", "SYSCALL", "the syscall's name, null if "
			  "none (text: [NR], (32-bit))", -22, CT_COL_STR,
			  COL(syscall), text_syscall, .key = true,
			  .label = "syscall" },
	[COL_NR] = { "nr", "NR", "its number in the program's ABI", 4,
		     CT_COL_INT, COL(nr), NULL, .key = true, .label = "nr" },
	[COL_COMPAT] = { "compat", "COMPAT", "a 32-bit program's syscall", -6,
			 CT_COL_BOOL, COL(compat), NULL, .key = true,
			 .label = "compat" },
	[COL_COUNT] = { "count", "COUNT", "calls", 10, CT_COL_UINT,
			COL(count), NULL, .counter = "calls_total" },
	[COL_TOTAL] = { "total_ns", "TIME (us)", "time spent in them (text: "
			"us, ms with -m; -L)", 14, CT_COL_NS, COL(total_ns),
			NULL, .counter = "seconds_total" },
};

/* Not const: -P chooses the defaults. */
static struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "syscall,count",
	.data = "syscall,nr,compat,count",
	.csv = "time,syscall,nr,compat,count",
};

static void not_by_process_fields(void)
{
	ct_fields_flag("pid", CT_COL_OFF);
	ct_fields_flag("comm", CT_COL_OFF);
}

static void by_process_fields(void)
{
	fields.text = "pid,comm,count";
	fields.data = "pid,comm,count";
	fields.csv = "time,pid,comm,count";
	ct_fields_flag("syscall", CT_COL_OFF);
	ct_fields_flag("nr", CT_COL_OFF);
	ct_fields_flag("compat", CT_COL_OFF);
}

/* "ENOENT", "enoent", an alias ("EWOULDBLOCK") or "2". */
static int parse_errno(const char *arg)
{
	int err;

	if (*arg >= '0' && *arg <= '9')
		return ct_parse_long("-e/--errno", arg, 1, 4095);
	err = ct_errno_by_name(arg);
	if (!err)
		ct_usage_error("-e/--errno: unknown error '%s' (try ENOENT or "
			       "2)", arg);
	return err;
}

static void set_banner(void)
{
	char top[32] = "all";

	if (opt.top)
		snprintf(top, sizeof(top), "top %ld", opt.top);
	snprintf(banner, sizeof(banner),
		 "Tracing syscalls%s, %s%s... Hit Ctrl-C to end.",
		 opt.by_process ? " by process" : "", top,
		 opt.latency ? " by time" : "");
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'P':
		opt.by_process = true;
		break;
	case 'T':
		opt.top = ct_parse_long("-T/--top", arg, 0, 1000000);
		break;
	case 'i':
		ct_env.interval = ct_parse_duration("-i/--interval", arg);
		break;
	case OPT_COUNT:
		ct_env.count = ct_parse_long("--count", arg, 1, 1000000000);
		break;
	case 'L':
		opt.latency = true;
		ct_fields_add("total_ns");
		break;
	case 'm':
		opt.milliseconds = true;
		columns[COL_TOTAL].header = "TIME (ms)";
		ct_fields_flag("total_ns", CT_COL_MS);
		break;
	case 'x':
		opt.failures = true;
		break;
	case 'e':
		opt.errno_value = parse_errno(arg);
		break;
	case ARGP_KEY_END:
		if (ct_env.count && !ct_env.interval)
			ct_usage_error("--count: needs -i/--interval");
		if (opt.milliseconds && !opt.latency)
			ct_usage_error("-m/--milliseconds: needs -L/--latency");
		set_banner();
		if (opt.by_process)
			by_process_fields();
		else
			not_by_process_fields();
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}



static int ncpus;

static void sum_cpus(struct row *r, const struct syscount_value *v)
{
	r->count = 0;
	r->total_ns = 0;
	r->comm[0] = '\0';
	for (int cpu = 0; cpu < ncpus; cpu++) {
		r->count += v[cpu].count;
		r->total_ns += v[cpu].total_ns;
		if (!r->comm[0])
			memcpy(r->comm, v[cpu].comm, sizeof(r->comm));
	}
}

/* Take one key's values, and remove them from the table if reset. */
static int take(int fd, __u64 key, struct syscount_value *v, bool reset)
{
	if (!reset)
		return bpf_map_lookup_elem(fd, &key, v);
	/* Atomic where the kernel can (5.14+); else read, then delete. */
	if (!bpf_map_lookup_and_delete_elem(fd, &key, v))
		return 0;
	if (errno == ENOENT || bpf_map_lookup_elem(fd, &key, v))
		return -1;
	bpf_map_delete_elem(fd, &key);
	return 0;
}

#define CALLS (2 * SYSCOUNT_ARRAY_NRS)

/* Every CPU's values of the calls array into v (CALLS * ncpus): 0 or -1. */
static int lookup_calls(int fd, struct syscount_calls *v)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 keys[CALLS], n = CALLS, out;

	/* The end of the array ends a batch with ENOENT. */
	if ((!bpf_map_lookup_batch(fd, NULL, &out, keys, v, &n, &opts) ||
	     errno == ENOENT) && n == CALLS)
		return 0;
	/* No batches before 5.6: one at a time. */
	for (__u32 i = 0; i < CALLS; i++)
		if (bpf_map_lookup_elem(fd, &i, v + i * ncpus))
			return -1;
	return 0;
}

/*
 * The calls array's counts by syscall into rows[], as many as are not 0.
 * A CPU's counts only grow: what was read at the last reset is kept and
 * taken off, so that nothing is lost between reading and clearing.
 */
static int read_calls(int fd, struct row *rows, bool reset)
{
	static struct syscount_calls base[CALLS];
	struct syscount_calls *v = calloc((size_t)CALLS * ncpus, sizeof(*v));
	int n = 0;

	if (!v || lookup_calls(fd, v)) {
		free(v);
		return -1;
	}
	for (int i = 0; i < CALLS; i++) {
		struct syscount_calls sum = { 0, 0 };
		struct row *r = &rows[n];

		for (int cpu = 0; cpu < ncpus; cpu++) {
			sum.count += v[i * ncpus + cpu].count;
			sum.total_ns += v[i * ncpus + cpu].total_ns;
		}
		memset(r, 0, sizeof(*r));
		r->key = i % SYSCOUNT_ARRAY_NRS;
		if (i >= SYSCOUNT_ARRAY_NRS)
			r->key |= SYSCOUNT_COMPAT;
		r->count = sum.count - base[i].count;
		r->total_ns = sum.total_ns - base[i].total_ns;
		if (reset)
			base[i] = sum;
		if (r->count)
			n++;
	}
	free(v);
	return n;
}

/*
 * Read the table into rows[] (room for max rows), emptying it when reset.
 * The keys are listed first: deleting while walking restarts the walk.
 */
static int read_table(int fd, struct row *rows, int max, bool reset)
{
	struct syscount_value *vals = calloc(ncpus, sizeof(*vals));
	__u64 *keys = calloc(max, sizeof(*keys));
	__u64 *prev = NULL, next;
	int nkeys = 0, n = 0;

	if (!vals || !keys) {
		free(vals);
		free(keys);
		return -1;
	}
	while (nkeys < max && !bpf_map_get_next_key(fd, prev, &next)) {
		keys[nkeys] = next;
		prev = &keys[nkeys++];
	}
	for (int i = 0; i < nkeys; i++) {
		if (take(fd, keys[i], vals, reset))
			continue;	/* gone meanwhile */
		rows[n].key = keys[i];
		sum_cpus(&rows[n], vals);
		if (rows[n].count)
			n++;
	}
	free(vals);
	free(keys);
	return n;
}

/* Most calls first; with -L, most time first. */
static int compare_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (opt.latency && x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static bool key_compat(__u64 key)
{
	return key & SYSCOUNT_COMPAT;
}

/* The syscall number of a key, in its program's ABI. */
static int key_nr(__u64 key)
{
	return (__s32)key;
}

static const char *key_name(__u64 key)
{
	return key_compat(key) ? ct_syscall32_name(key_nr(key)) :
				 ct_syscall_name(key_nr(key));
}

/*
 * A syscall's name ("open (32-bit)" for a 32-bit program's), or its number
 * in brackets if it has no name here.
 */
static const char *syscall_label(__u64 key, char *buf, size_t size)
{
	const char *name = key_name(key);
	const char *abi = key_compat(key) ? " (32-bit)" : "";

	if (name && !*abi)
		return name;
	if (name)
		snprintf(buf, size, "%s%s", name, abi);
	else
		snprintf(buf, size, "[%d]%s", key_nr(key), abi);
	return buf;
}

/* The label in place of the name, so that each line tells what it counts. */
static size_t text_syscall(struct ct_buf *b, const void *row)
{
	const struct row *r = row;
	char buf[64];

	return ct_buf_puts(b, syscall_label(r->key, buf, sizeof(buf)));
}

static void fill_row(struct row *r, __u64 now)
{
	r->ts = now;
	r->pid = r->key;
	r->nr = key_nr(r->key);
	r->compat = key_compat(r->key);
	r->comm_str = (struct ct_str){ r->comm,
				       strnlen(r->comm, SYSCOUNT_COMM_LEN) };
	r->syscall = (struct ct_str){ key_name(r->key), 0 };
	if (r->syscall.s)
		r->syscall.len = strlen(r->syscall.s);
}

static void print_text(struct row *rows, int shown, __u64 now)
{
	char buf[16];

	if (ct_env.interval)
		printf("[%s]\n", ct_fmt_hms(buf, sizeof(buf), now));
	ct_fields_header();
	for (int i = 0; i < shown; i++)
		ct_fields_print(&rows[i]);
	if (ct_env.interval)
		putchar('\n');
}

/* One object per printout; "not_shown" counts the rows past -T. */
static void print_json(struct row *rows, int shown, int n, __u64 now)
{
	struct ct_json j;
	char buf[40];

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf), now));
	ct_json_array(&j, opt.by_process ? "processes" : "syscalls");
	for (int i = 0; i < shown; i++)
		ct_fields_json(&j, &rows[i]);
	ct_json_close(&j);
	ct_json_uint(&j, "not_shown", n - shown);
	ct_json_end(&j);
}

static void print_rows(struct row *rows, int shown, int n)
{
	__u64 now = ct_now_ns();

	for (int i = 0; i < shown; i++)
		fill_row(&rows[i], now);
	if (ct_env.json)
		print_json(rows, shown, n, now);
	else if (ct_env.csv)
		for (int i = 0; i < shown; i++)
			ct_fields_print(&rows[i]);
	else
		print_text(rows, shown, now);
}

/*
 * Both tables into rows[] (room for max_rows()), emptied when reset: the
 * number of rows, or -1.
 */
static int read_rows(struct syscount_bpf *skel, struct row *rows, bool reset)
{
	int max = bpf_map__max_entries(skel->maps.counts);
	int n = 0, more;

	if (!opt.by_process) {
		n = read_calls(bpf_map__fd(skel->maps.calls), rows, reset);
		if (n < 0)
			return -1;
	}
	more = read_table(bpf_map__fd(skel->maps.counts), rows + n, max,
			  reset);
	return more < 0 ? -1 : n + more;
}

static int max_rows(struct syscount_bpf *skel)
{
	return bpf_map__max_entries(skel->maps.counts) + CALLS;
}

static int print_counts(void *ctx)
{
	struct syscount_bpf *skel = ctx;
	struct row *rows = calloc(max_rows(skel), sizeof(*rows));
	int n, shown;

	if (!rows) {
		ct_warn("out of memory");
		return CT_EXIT_ERROR;
	}
	n = read_rows(skel, rows, ct_env.interval > 0);
	if (n < 0) {
		free(rows);
		ct_warn("cannot read the counts: %s", strerror(errno));
		return CT_EXIT_ERROR;
	}
	qsort(rows, n, sizeof(*rows), compare_rows);
	shown = opt.top && opt.top < n ? opt.top : n;
	print_rows(rows, shown, n);
	free(rows);
	ct_flush();
	return 0;
}

/* --prom-textfile: the counts since the start (the table is not reset). */
static int prom_counts(FILE *f, void *ctx)
{
	struct syscount_bpf *skel = ctx;
	struct row *rows = calloc(max_rows(skel), sizeof(*rows));
	__u64 now = ct_now_ns();
	int n;

	if (!rows) {
		ct_warn("out of memory");
		return CT_EXIT_ERROR;
	}
	ct_prom_map_full(skel->bss->table_full + skel->bss->starts_full);
	n = read_rows(skel, rows, false);
	for (int i = 0; i < n; i++)
		fill_row(&rows[i], now);
	if (n >= 0)
		ct_fields_prom_counters(f, rows, n, sizeof(*rows));
	else
		ct_warn("cannot read the counts: %s", strerror(errno));
	free(rows);
	return n < 0 ? CT_EXIT_ERROR : 0;
}

/* Raw tracepoints when the kernel has them, plain tracepoints otherwise. */
static void choose_programs(struct syscount_bpf *skel)
{
	bool at_exit = opt.failures || opt.errno_value || opt.latency;
	bool at_enter = !(opt.failures || opt.errno_value) || opt.latency;
	bool raw = skel->rodata->raw_exit_supported &&
		   ct_has_raw_tracepoint() && !getenv("CT_FORCE_TRACEPOINT");
	bool lat = opt.latency;

	bpf_program__set_autoload(skel->progs.raw_enter, raw && at_enter);
	bpf_program__set_autoload(skel->progs.raw_exit, raw && at_exit);
	bpf_program__set_autoload(skel->progs.tp_enter, !raw && at_enter);
	bpf_program__set_autoload(skel->progs.tp_exit, !raw && at_exit);
	/* -L: entry times of threads that exit or exec inside a syscall. */
	bpf_program__set_autoload(skel->progs.raw_proc_exit, raw && lat);
	bpf_program__set_autoload(skel->progs.raw_proc_exec, raw && lat);
	bpf_program__set_autoload(skel->progs.tp_proc_exit, !raw && lat);
	bpf_program__set_autoload(skel->progs.tp_proc_exec, !raw && lat);
	ct_attach_method("raw_syscalls", raw ? "raw tracepoints" :
			 "tracepoints (no raw tracepoints here)");
}

static int configure(void *s)
{
	struct syscount_bpf *skel = s;

	skel->rodata->by_process = opt.by_process;
	skel->rodata->measure_time = opt.latency;
	skel->rodata->failures_only = opt.failures;
	skel->rodata->only_errno = opt.errno_value;
	skel->rodata->self_tgid = getpid();
	skel->rodata->ct_task_btf = ct_use_task_btf();
	choose_programs(skel);
	/* -P counts by process in the table only. */
	if (opt.by_process && bpf_map__set_max_entries(skel->maps.calls, 1))
		return CT_EXIT_ERROR;
	if (bpf_map__set_max_entries(skel->maps.counts, opt.by_process ?
				     SYSCOUNT_MAX_PROCESSES :
				     SYSCOUNT_MAX_SYSCALLS))
		return CT_EXIT_ERROR;
	/* Entry times are kept only for -L. */
	if (!opt.latency && bpf_map__set_max_entries(skel->maps.starts, 1))
		return CT_EXIT_ERROR;
	return 0;
}

/* Counts the map could not take. */
static void finish(void *s)
{
	struct syscount_bpf *skel = s;

	if (skel->bss->table_full)
		ct_warn("%llu calls not counted: more than %u %s at once",
			(unsigned long long)skel->bss->table_full,
			bpf_map__max_entries(skel->maps.counts),
			opt.by_process ? "processes" : "syscall numbers");
	if (skel->bss->starts_full)
		ct_warn("%llu calls not counted: more than %u threads in "
			"syscalls at once",
			(unsigned long long)skel->bss->starts_full,
			bpf_map__max_entries(skel->maps.starts));
}

static int prepare(void)
{
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		ct_warn("cannot count the possible CPUs");
		return CT_EXIT_ERROR;
	}
	return 0;
}

CT_SKELETON(syscount_bpf);

static const struct ct_tool tool = {
	.name = "syscount",
	.summary = "Count system calls, by syscall or by process; the "
		   "counting happens in the kernel.",
	.examples =
		"  syscount                  # top 10 syscalls until Ctrl-C\n"
		"  syscount -P               # top 10 processes by syscalls\n"
		"  syscount -L -m -T 5       # top 5, with total time in ms\n"
		"  syscount -x               # failed calls only\n"
		"  syscount -e ENOENT -P     # who gets ENOENT, and how often\n"
		"  syscount -p 1234 -d 10    # process 1234, for ten seconds\n"
		"  syscount -i 1 --count 5   # every second, five times\n"
		"  syscount -c /sys/fs/cgroup/unified/system.slice\n"
		"  syscount --json -i 2      # a JSON object every 2 seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &syscount_bpf_ct,
	.prepare = prepare,
	.configure = configure,
	.print = print_counts,
	.prom = prom_counts,
	.banner = banner,
	.finish = finish,
};

CT_MAIN(tool);
