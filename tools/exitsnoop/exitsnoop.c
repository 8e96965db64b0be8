// SPDX-License-Identifier: GPL-2.0
/* exitsnoop: trace every process exit (or thread exit) system-wide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "kernel_btf.h"
#include "kernel_names.h"
#include "tool.h"
#include "tp_attach.h"
#include "exitsnoop.h"
#include "exitsnoop.skel.h"

static struct {
	bool failed;		/* -x */
	bool per_thread;	/* --per-thread */
	bool args;		/* -a, --max-args */
	int max_args;		/* --max-args */
	char name[EXIT_COMM_LEN];	/* -n */
	size_t name_len;
	pid_t ppid;		/* --ppid */
} opt = { .max_args = 20 };

enum { OPT_PPID = 0x100, OPT_MAX_ARGS, OPT_PER_THREAD };

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	{ "failed", 'x', NULL, 0,
	  "Only failed exits: a non-zero code or a signal", 0 },
	{ "per-thread", OPT_PER_THREAD, NULL, 0,
	  "Every thread's exit, not only each process's last", 0 },
	CT_OPT_PID("Only this process"),
	{ "ppid", OPT_PPID, "PPID", 0, "Only children of PPID", 0 },
	CT_OPT_UID("Only this user's processes"),
	CT_OPT_PRINT_UID,
	{ "name", 'n', "NAME", 0, "Only commands whose name contains NAME", 0 },
	CT_OPT_CGROUP("Only tasks in this cgroup v2 directory"),
	{ "args", 'a', NULL, 0, "Include the process's arguments (ARGS)", 0 },
	{ "max-args", OPT_MAX_ARGS, "N", 0,
	  "Show at most N arguments (default 20; implies -a)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'x':
		opt.failed = true;
		break;
	case OPT_PER_THREAD:
		opt.per_thread = true;
		break;
	case OPT_PPID:
		opt.ppid = ct_parse_pid("--ppid", arg);
		break;
	case 'n':
		opt.name_len = ct_parse_string("-n/--name", arg, opt.name,
					       sizeof(opt.name));
		break;
	case 'a':
		opt.args = true;
		break;
	case OPT_MAX_ARGS:
		opt.args = true;
		opt.max_args = ct_parse_long("--max-args", arg, 1,
					     EXIT_MAX_ARGS);
		break;
	case ARGP_KEY_END:
		if (!opt.args)
			break;
		ct_fields_add("args");
		if (ct_env.json || ct_env.csv)
			ct_fields_add("args_truncated");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* One exit as its columns see it. */
struct exit_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	struct ct_str comm;
	__u64 age_ns;
	int status;
	struct ct_str exit;
	int code;
	int sig;
	struct ct_str sig_name;
	bool core;
	bool last;
	struct ct_strs args;
	bool args_truncated;
	char exit_buf[CT_SIG_NAME_MAX + 8];
	char sig_buf[CT_SIG_NAME_MAX];
	const char *arg[EXIT_MAX_ARGS];
	size_t arg_len[EXIT_MAX_ARGS];
};

static int status_sig(int status)
{
	return status & 0x7f;
}

static bool code_null(const void *row)
{
	return status_sig(((const struct exit_row *)row)->status);
}

static bool sig_null(const void *row)
{
	return !code_null(row);
}

static bool args_null(const void *row)
{
	return !((const struct exit_row *)row)->args.s;
}

static size_t text_age(struct ct_buf *b, const void *row)
{
	const struct exit_row *r = row;

	return ct_buf_printf(b, "%.2f", r->age_ns / 1e9);
}

/* ARGS: the words as any list, " ..." after them if there were more. */
static size_t text_args(struct ct_buf *b, const void *row)
{
	const struct exit_row *r = row;
	size_t n;

	if (!r->args.s)
		return ct_buf_puts(b, "-");
	n = ct_text_strs(b, &r->args);
	if (r->args_truncated)
		n += ct_buf_puts(b, " ...");
	return n;
}

#define COL(field) CT_AT(struct exit_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct exit_row, ts),
	CT_COLUMN_ELAPSED(struct exit_row, ts),
	CT_COLUMN_UID(struct exit_row, uid),
	CT_COLUMN_USER(struct exit_row, uid),
	{ "comm", "PCOMM", "the process's command name (--per-thread: the "
	  "thread's)", -16, CT_COL_STR, COL(comm), NULL },
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "ppid", "PPID", "parent's process ID", -7, CT_COL_UINT, COL(ppid),
	  NULL },
	{ "tid", "TID", "the exiting thread's ID (without --per-thread: the "
	  "last thread's)", -7, CT_COL_UINT, COL(tid), NULL },
	{ "age_ns", "AGE(s)", "time since the process (thread) started "
	  "(text: seconds)", -7, CT_COL_NS, COL(age_ns), text_age },
	{ "exit", "EXIT", "the exit code, or the signal's name, then (core) "
	  "if a core was dumped", -7, CT_COL_STR, COL(exit), NULL },
	{ "exit_code", "CODE", "the exit code; killed by a signal: null",
	  4, CT_COL_INT, COL(code), NULL, .null = code_null },
	{ "signal", "SIG", "the signal that killed it; else null", 3,
	  CT_COL_INT, COL(sig), NULL, .null = sig_null },
	{ "signal_name", "SIGNAL", "the name of signal, \"SIGKILL\"; else "
	  "null", -9, CT_COL_STR, COL(sig_name), NULL },
	{ "core_dumped", "CORE", "a core was dumped", -5, CT_COL_BOOL,
	  COL(core), NULL },
	{ "last_thread", "LAST", "the last thread: the process ended", -5,
	  CT_COL_BOOL, COL(last), NULL },
	{ "args", "ARGS", "the process's arguments, from argv[0] (-a; "
	  "null if unreadable; text: cut marked ...)", 0, CT_COL_STRS,
	  COL(args), text_args },
	{ "args_truncated", "ATRUNC", "there were more arguments than args "
	  "holds", -6, CT_COL_BOOL, COL(args_truncated), NULL,
	  .null = args_null },
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "comm,pid,ppid,tid,age_ns,exit",
	.data = "time,uid,user,comm,pid,ppid,tid,age_ns,exit_code,signal,"
		"signal_name,core_dumped,last_thread",
};

/* Split argv, NUL-separated strings, the last maybe unterminated. */
static void split_args(struct exit_row *r, const struct exit_event *e)
{
	const char *p = e->args, *end = e->args + e->args_len;
	int n = 0;

	r->args_truncated = e->flags & EXIT_ARGS_TRUNCATED;
	while (p < end) {
		const char *nul = memchr(p, '\0', end - p);
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);

		if (n == opt.max_args) {
			r->args_truncated = true;
			break;
		}
		r->arg[n] = p;
		r->arg_len[n++] = len;
		p += len + 1;
	}
	r->args = (struct ct_strs){ r->arg, r->arg_len, n };
}

static void fill_exit(struct exit_row *r)
{
	r->sig = status_sig(r->status);
	r->core = r->status & 0x80;
	r->code = (r->status >> 8) & 0xff;
	r->sig_name = (struct ct_str){ NULL, 0 };
	if (!r->sig) {
		snprintf(r->exit_buf, sizeof(r->exit_buf), "%d", r->code);
	} else {
		ct_signal_name(r->sig, r->sig_buf, sizeof(r->sig_buf));
		r->sig_name = (struct ct_str){ r->sig_buf,
					       strlen(r->sig_buf) };
		snprintf(r->exit_buf, sizeof(r->exit_buf), "%s%s", r->sig_buf,
			 r->core ? "(core)" : "");
	}
	r->exit = (struct ct_str){ r->exit_buf, strlen(r->exit_buf) };
}

static bool fill_row(struct exit_row *r, const struct exit_event *e)
{
	r->ts = e->ts;
	r->uid = e->uid;
	r->pid = e->pid;
	r->tid = e->tid;
	r->ppid = e->ppid;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm, EXIT_COMM_LEN) };
	r->age_ns = e->ts > e->start_ns ? e->ts - e->start_ns : 0;
	r->status = e->status;
	r->last = e->flags & EXIT_GROUP_DEAD;
	fill_exit(r);
	r->args = (struct ct_strs){ NULL, NULL, 0 };
	r->args_truncated = false;
	if (e->flags & EXIT_ARGS_READ)
		split_args(r, e);
	return true;
}

CT_TAIL_EVENT_HANDLER(handle_event, struct exit_row, struct exit_event, args,
		      args_len, fill_row)

/*
 * The tracepoint got group_dead (6.16) when it moved before exit_mm():
 * the same change, so the one tells the other. CT_EXIT_AFTER_MM=1 makes
 * the tool act as on older kernels, for the tests.
 */
static bool exit_tp_before_mm(void)
{
	const char *force = getenv("CT_EXIT_AFTER_MM");

	if (force && !strcmp(force, "1"))
		return false;
	return ct_kernel_btf_id("trace_event_raw_sched_process_exit",
				BTF_KIND_STRUCT) > 0;
}

static int configure(void *s)
{
	struct exitsnoop_bpf *skel = s;
	bool early = exit_tp_before_mm();
	bool args = ct_fields_shown("args") || ct_fields_shown("args_truncated");
	bool save = args && !early;

	skel->rodata->tp_has_group_dead = early;
	skel->rodata->per_thread = opt.per_thread;
	skel->rodata->failed_only = opt.failed;
	skel->rodata->show_args = args;
	skel->rodata->args_saved = save;
	skel->rodata->target_ppid = opt.ppid;
	memcpy((char *)skel->rodata->name_filter, opt.name, sizeof(opt.name));
	skel->rodata->name_filter_len = opt.name_len;
	if (early)
		bpf_map__set_max_entries(skel->maps.ended, 1);
	ct_select_tp(skel->obj, "exit", "sched_process_exit");
	ct_verbose("exit: %s", early ? "the tracepoint tells the last thread "
		   "and comes before exit_mm()" : "the last thread is the first "
		   "that sees no live threads");
	/* ct_select_tp() chose among all tracepoints: choose these again. */
	bpf_program__set_autoload(skel->progs.handle_exit_group, save);
	bpf_program__set_autoload(skel->progs.handle_exit_thread, save);
	if (save)
		ct_attach_method("arguments", "syscalls:sys_enter_exit(_group), "
				 "where they are saved (none if killed)");
	else if (args)
		ct_attach_method("arguments", "the task's stack at its exit");
	return 0;
}

CT_SKELETON(exitsnoop_bpf);

static const struct ct_tool tool = {
	.name = "exitsnoop",
	.summary = "Trace process exits system-wide: one line per process "
		   "that ends, with its exit code or signal and its age.",
	.examples =
		"  exitsnoop                 # trace all process exits\n"
		"  exitsnoop -x              # only non-zero codes and signals\n"
		"  exitsnoop --per-thread    # every thread's exit\n"
		"  exitsnoop -a              # with the processes' arguments\n"
		"  exitsnoop -T -n sshd      # names containing sshd, with time\n"
		"  exitsnoop -p 1234         # only process 1234\n"
		"  exitsnoop --ppid 1234     # children of process 1234\n"
		"  exitsnoop -c /sys/fs/cgroup/system.slice\n"
		"  exitsnoop --json -d 10    # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &exitsnoop_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
	.map_full = "exits reported without their arguments",
};

CT_MAIN(tool);
