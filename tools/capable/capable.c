// SPDX-License-Identifier: GPL-2.0
/* capable: trace capability checks system-wide. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "feature_probe.h"
#include "kernel_names.h"
#include "stack_report.h"
#include "tool.h"
#include "tp_attach.h"
#include "capable.h"
#include "capable.skel.h"

static struct {
	bool denied;		/* -x */
	bool unique;		/* --unique */
	long unique_max;	/* --unique-max */
	char name[CAP_COMM_LEN];	/* -n */
	size_t name_len;
	bool kernel_stack;	/* -K */
	bool user_stack;	/* -U */
} opt = { .unique_max = CAP_UNIQUE_MAX };

static struct ct_stacks stacks;

enum { OPT_UNIQUE = 0x100, OPT_UNIQUE_MAX };

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	{ "denied", 'x', NULL, 0, "Only checks that deny the capability", 0 },
	{ "unique", OPT_UNIQUE, NULL, 0,
	  "Each capability once per process (-c: per cgroup)", 0 },
	{ "unique-max", OPT_UNIQUE_MAX, "N", 0,
	  "--unique remembers N pairs (default 10240)", 0 },
	CT_OPT_UID("Only checks by this user"),
	{ "name", 'n', "NAME", 0, "Only commands whose name contains NAME", 0 },
	CT_OPT_PID("Only checks by this process"),
	CT_OPT_CGROUP("Only checks in this cgroup v2 directory"),
	{ "kernel-stack", 'K', NULL, 0,
	  "The kernel stack of each check, under its line", 0 },
	{ "user-stack", 'U', NULL, 0,
	  "The user stack of each check, under its line", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'x':
		opt.denied = true;
		break;
	case OPT_UNIQUE:
		opt.unique = true;
		break;
	case OPT_UNIQUE_MAX:
		opt.unique_max = ct_parse_long("--unique-max", arg, 1,
					       1 << 24);
		break;
	case 'n':
		opt.name_len = ct_parse_string("-n/--name", arg, opt.name,
					       sizeof(opt.name));
		break;
	case 'K':
		opt.kernel_stack = true;
		break;
	case 'U':
		opt.user_stack = true;
		break;
	case ARGP_KEY_END:
		if ((opt.kernel_stack || opt.user_stack) &&
		    (ct_env.csv || ct_env.journal))
			ct_usage_error("-K/-U: not with --csv or --journal");
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* One check as its columns see it. */
struct cap_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	__u32 tid;
	struct ct_str comm;
	int cap;
	struct ct_str name;
	bool audit;
	bool insetid;
	struct ct_str verdict;
	int err;
	__u32 target_ns;
	__u32 capable_ns;
	bool has_opts;
	char name_buf[24];
};

static bool no_opts(const void *row)
{
	return !((const struct cap_row *)row)->has_opts;
}

#define COL(field) CT_AT(struct cap_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct cap_row, ts),
	CT_COLUMN_ELAPSED(struct cap_row, ts),
	CT_COLUMN_UID(struct cap_row, uid),
	CT_COLUMN_USER(struct cap_row, uid),
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "tid", "TID", "thread ID", -7, CT_COL_UINT, COL(tid), NULL },
	{ "comm", "COMM", "command name", -16, CT_COL_STR, COL(comm), NULL },
	{ "cap", "CAP", "capability number", 3, CT_COL_INT, COL(cap), NULL },
	{ "name", "NAME", "capability name (CAP_SYS_ADMIN)", -22, CT_COL_STR,
	  COL(name), NULL },
	{ "audit", "AUDIT", "the check is audited (kprobe path only)", -5,
	  CT_COL_BOOL, COL(audit), NULL, .null = no_opts },
	{ "insetid", "INSETID", "a setid check (kprobe path only)", -7,
	  CT_COL_BOOL, COL(insetid), NULL, .null = no_opts },
	{ "verdict", "VERDICT", "allow or deny", -7, CT_COL_STR, COL(verdict),
	  NULL },
	{ "err", "RET", "0 allowed, else the error number (text: -N)", 3,
	  CT_COL_ERR, COL(err), NULL },
	{ "errno", "ERRNO", "the name of err", -6, CT_COL_ERRNO, COL(err),
	  NULL },
	{ "target_ns", "TARGETNS",
	  "user namespace the capability is wanted in (inode)", -10,
	  CT_COL_UINT, COL(target_ns), NULL },
	{ "capable_ns", "CAPNS",
	  "user namespace of the task's credentials (inode)", -10,
	  CT_COL_UINT, COL(capable_ns), NULL },
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "uid,pid,comm,cap,name,verdict",
	.data = "time,uid,user,pid,tid,comm,cap,name,audit,insetid,verdict,"
		"err,errno,target_ns,capable_ns",
};

static struct ct_str str(const char *s)
{
	return (struct ct_str){ s, strlen(s) };
}

static void fill_row(struct cap_row *r, const struct cap_event *e)
{
	r->ts = e->ts;
	r->uid = e->uid;
	r->pid = e->pid;
	r->tid = e->tid;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm, CAP_COMM_LEN) };
	r->cap = e->cap;
	r->name = str(ct_cap_name(e->cap, r->name_buf, sizeof(r->name_buf)));
	r->has_opts = e->has_opts;
	r->audit = !(e->opts & CAP_OPT_NOAUDIT);
	r->insetid = e->opts & CAP_OPT_INSETID;
	r->verdict = str(e->ret ? "deny" : "allow");
	r->err = -e->ret;
	r->target_ns = e->target_ns;
	r->capable_ns = e->capable_ns;
}

CT_ROW_EVENT_HANDLER(handle_row, struct cap_row, struct cap_event,
		     fill_row)

/* -K, -U: a check's stacks under its line, or as members of its object. */
static void print_stacks(const struct cap_event *e, const struct cap_row *r)
{
	static struct ct_stack_frames kst, ust;
	struct ct_json j;

	/*
	 * User frames first: they read the process's mappings while it may
	 * still run; kernel frames may read /proc/kallsyms first, which
	 * takes a while on a slow machine.
	 */
	ct_stack_frames_read(&stacks, e->ustack, false, e->pid, e->proc_id,
			     &ust);
	ct_stack_frames_read(&stacks, e->kstack, true, e->pid, e->proc_id,
			     &kst);
	if (!ct_env.json) {
		ct_fields_print(r);
		ct_stack_frames_print(stdout, &kst, true, "        ", false);
		ct_stack_frames_print(stdout, &ust, false, "        ", false);
		return;
	}
	ct_json_begin(&j, stdout);
	ct_fields_json_members(&j, r);
	if (opt.kernel_stack)
		ct_stack_frames_json(&j, "kstack", "kstack_missed", &kst);
	if (opt.user_stack)
		ct_stack_frames_json(&j, "ustack", "ustack_missed", &ust);
	ct_json_end(&j);
}

static int handle_event(void *ctx, const void *data, size_t size)
{
	struct cap_row r;

	if (!opt.kernel_stack && !opt.user_stack)
		return handle_row(ctx, data, size);
	if (size < sizeof(struct cap_event))
		return 0;
	fill_row(&r, data);
	print_stacks(data, &r);
	return 0;
}

/*
 * The tracepoint (6.14+) where there is one, else kprobes. Its BTF type
 * tells, where tracefs, which kprobes do not need, would have to be mounted.
 */
static int choose_hook(struct capable_bpf *skel)
{
	bool kprobe = !ct_has_tp_btf("cap_capable");

	if (kprobe && !ct_has_kprobe()) {
		ct_warn("needs the capability:cap_capable tracepoint (6.14+) "
			"or kprobes: this kernel has neither");
		return CT_EXIT_ERROR;
	}
	bpf_program__set_autoload(skel->progs.kprobe_capable, kprobe);
	bpf_program__set_autoload(skel->progs.kretprobe_capable, kprobe);
	if (!kprobe) {
		ct_select_tp(skel->obj, "checks", "cap_capable");
		/* Only kprobes use it. */
		return bpf_map__set_max_entries(skel->maps.checks, 1) ?
		       CT_EXIT_ERROR : 0;
	}
	bpf_program__set_autoload(skel->progs.btf_capable, false);
	bpf_program__set_autoload(skel->progs.raw_capable, false);
	bpf_program__set_autoload(skel->progs.handle_capable, false);
	ct_attach_method("checks", "kprobe+kretprobe cap_capable");
	return 0;
}

static int configure(void *s)
{
	struct capable_bpf *skel = s;

	skel->rodata->denied_only = opt.denied;
	skel->rodata->unique = opt.unique;
	skel->rodata->unique_cgroup = ct_env.cgroup_fd >= 0;
	memcpy((char *)skel->rodata->name_filter, opt.name, sizeof(opt.name));
	skel->rodata->name_filter_len = opt.name_len;
	skel->rodata->kernel_stack = opt.kernel_stack;
	skel->rodata->user_stack = opt.user_stack;
	if (bpf_map__set_max_entries(skel->maps.seen,
				     opt.unique ? opt.unique_max : 1) ||
	    ct_stacks_set_entries(skel->obj, opt.kernel_stack ||
				  opt.user_stack ? CT_STACK_ENTRIES : 1))
		return CT_EXIT_ERROR;
	return choose_hook(skel);
}

static int attach(void *s)
{
	struct capable_bpf *skel = s;
	struct ct_frame f;
	int err = ct_stacks_init(&stacks, skel->obj);

	/* Read /proc/kallsyms now: not at the first check, which would wait. */
	if (!err && opt.kernel_stack)
		ct_frame_kernel(&stacks, 0, &f);
	return err;
}

/* What the kernel maps could not take. */
static void finish(void *s)
{
	struct capable_bpf *skel = s;

	if (opt.kernel_stack || opt.user_stack)
		ct_stacks_report_missed(&stacks);
	ct_stacks_free(&stacks);
	if (skel->bss->unique_full)
		ct_warn("--unique: %llu checks shown but not remembered: "
			"the table of %ld pairs was full (--unique-max)",
			(unsigned long long)skel->bss->unique_full,
			opt.unique_max);
	if (skel->bss->unique_full)
		ct_verbose("--unique: the last failed with %lld",
			   (long long)skel->bss->unique_err);
	if (skel->bss->checks_full)
		ct_warn("%llu checks not seen: more than %u threads in "
			"cap_capable() at once",
			(unsigned long long)skel->bss->checks_full,
			bpf_map__max_entries(skel->maps.checks));
}

CT_SKELETON(capable_bpf);

static const struct ct_tool tool = {
	.name = "capable",
	.summary = "Trace capability checks system-wide: one line per check.",
	.examples =
		"  capable                   # trace every capability check\n"
		"  capable -x                # only denied checks\n"
		"  capable --unique -T       # each capability once per process\n"
		"  capable -n ssh            # commands whose name contains ssh\n"
		"  capable -p 1234           # checks by process 1234\n"
		"  capable -c /sys/fs/cgroup/system.slice --unique\n"
		"  capable -K -U -n ping     # with the stacks of each check\n"
		"  capable --json -d 10      # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &capable_bpf_ct,
	.configure = configure,
	.attach = attach,
	.on_event = handle_event,
	.finish = finish,
};

CT_MAIN(tool);
