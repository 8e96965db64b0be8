// SPDX-License-Identifier: GPL-2.0
/* statsnoop: trace the stat family of system calls, with full paths. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "feature_probe.h"
#include "kernel_names.h"
#include "tool.h"
#include "statsnoop.h"
#include "statsnoop.skel.h"

/* Enough for every name of a table, the rest in hex. */
#define MAX_NAMES 24

static struct {
	bool failed;		/* -x */
	bool full_path;		/* -F, or implied by --contains */
	const char *contains;	/* --contains */
	char name[STAT_COMM_LEN];	/* -n */
	size_t name_len;
} opt;

static const char *const syscall_names[STAT_SYS_COUNT] = {
	[STAT_SYS_STAT] = "stat",
	[STAT_SYS_LSTAT] = "lstat",
	[STAT_SYS_FSTAT] = "fstat",
	[STAT_SYS_NEWFSTATAT] = "newfstatat",
	[STAT_SYS_STATX] = "statx",
	[STAT_SYS_STATFS] = "statfs",
	[STAT_SYS_FSTATFS] = "fstatfs",
};

enum { OPT_TID = 0x100, OPT_CONTAINS };

static const struct argp_option options[] = {
	{ "timestamp", 't', NULL, 0, "Include a TIME(s) column: seconds since "
	  "start", 0 },
	CT_OPT_PRINT_UID,
	{ "sysname", 's', NULL, 0, "Include a SYSCALL column", 0 },
	{ "extended-fields", 'e', NULL, 0, "Include FLAGS (AT_* names) and "
	  "MASK (statx) columns", 0 },
	{ "failed", 'x', NULL, 0, "Only failed calls", 0 },
	{ "full-path", 'F', NULL, 0, "Show absolute paths: a name placed in "
	  "its directory, an fd's own path", 0 },
	CT_OPT_PID("Only calls by this process"),
	{ "tid", OPT_TID, "TID", 0, "Only calls by this thread", 0 },
	CT_OPT_UID("Only calls by this user"),
	{ "name", 'n', "NAME", 0, "Only commands whose name contains NAME", 0 },
	CT_OPT_CGROUP("Only calls in this cgroup v2 directory"),
	{ "contains", OPT_CONTAINS, "STRING", 0,
	  "Only paths containing STRING; implies -F", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 's':
		ct_fields_add("syscall");
		break;
	case 'e':
		ct_fields_add("flag_names");
		ct_fields_add("mask_names");
		break;
	case 'x':
		opt.failed = true;
		break;
	case 'F':
		opt.full_path = true;
		break;
	case OPT_TID:
		ct_env.filter.tid = ct_parse_pid("--tid", arg);
		break;
	case 'n':
		opt.name_len = ct_parse_string("-n/--name", arg, opt.name,
					       sizeof(opt.name));
		break;
	case OPT_CONTAINS:
		opt.contains = ct_contains_parse(arg, STAT_PATH_BYTES);
		opt.full_path = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Names of a flags value, the bits without a name last, in hex. */
struct names {
	const char *s[MAX_NAMES + 1];
	size_t len[MAX_NAMES + 1];
	char rest[24];
	struct ct_strs strs;
};

/* One call as its columns see it. */
struct stat_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	__u32 tid;
	int fd;
	int err;
	__u32 flags;
	__u32 mask;
	struct ct_str comm;
	struct ct_str syscall;
	struct ct_str path;
	bool full_path;
	bool reconstructed;
	bool truncated;
	bool deleted;
	bool unresolved;
	struct names flag_names;
	struct names mask_names;
	const struct stat_event *e;
};

static bool takes_fd(__u8 sys)
{
	return sys == STAT_SYS_FSTAT || sys == STAT_SYS_FSTATFS ||
	       sys == STAT_SYS_NEWFSTATAT || sys == STAT_SYS_STATX;
}

static bool takes_name(__u8 sys)
{
	return sys != STAT_SYS_FSTAT && sys != STAT_SYS_FSTATFS;
}

static bool takes_flags(__u8 sys)
{
	return sys == STAT_SYS_NEWFSTATAT || sys == STAT_SYS_STATX;
}

static bool fd_null(const void *row)
{
	return !takes_fd(((const struct stat_row *)row)->e->syscall);
}

static bool flags_null(const void *row)
{
	return !takes_flags(((const struct stat_row *)row)->e->syscall);
}

static bool mask_null(const void *row)
{
	return ((const struct stat_row *)row)->e->syscall != STAT_SYS_STATX;
}

/* FD: the number, CWD for AT_FDCWD, - for calls without one. */
static size_t text_fd(struct ct_buf *b, const void *row)
{
	const struct stat_row *r = row;

	if (fd_null(row))
		return ct_buf_printf(b, "%4s", "-");
	if (r->fd == AT_FDCWD)
		return ct_buf_printf(b, "%4s", "CWD");
	return ct_buf_int_right(b, r->fd, 4);
}

/* AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH; 0 for none, - for no argument. */
static size_t text_names(struct ct_buf *b, const struct names *w)
{
	size_t n = 0;

	if (!w->strs.s)
		return ct_buf_puts(b, "-");
	if (!w->strs.n)
		return ct_buf_puts(b, "0");
	for (int i = 0; i < w->strs.n; i++)
		n += (i ? ct_buf_puts(b, "|") : 0) + ct_buf_puts(b, w->s[i]);
	return n;
}

static size_t text_flag_names(struct ct_buf *b, const void *row)
{
	return text_names(b, &((const struct stat_row *)row)->flag_names);
}

static size_t text_mask_names(struct ct_buf *b, const void *row)
{
	return text_names(b, &((const struct stat_row *)row)->mask_names);
}

static size_t text_path(struct ct_buf *b, const void *row)
{
	const struct stat_row *r = row;

	if (!r->path.s)
		return ct_buf_puts(b, "-");
	return ct_buf_path(b, r->e->path, r->e->path_len,
			   r->e->path_flags);
}

#define COL(field) CT_AT(struct stat_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct stat_row, ts),
	CT_COLUMN_ELAPSED(struct stat_row, ts),
	{ "uid", "UID", "real user ID", -6, CT_COL_UINT, COL(uid), NULL },
	CT_COLUMN_USER(struct stat_row, uid),
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "tid", "TID", "thread ID", -7, CT_COL_UINT, COL(tid), NULL },
	{ "comm", "COMM", "command name", -16, CT_COL_STR, COL(comm), NULL },
	{ "syscall", "SYSCALL", "stat, lstat, fstat, newfstatat, statx, "
	  "statfs or fstatfs", -10, CT_COL_STR, COL(syscall), NULL },
	{ "fd", "FD", "the fd or dirfd argument, -100 for AT_FDCWD; null "
	  "for calls without one (text: CWD for AT_FDCWD)", 4, CT_COL_INT,
	  COL(fd), text_fd, .null = fd_null },
	{ "err", "ERR", "a failed call's error number, else 0", 3,
	  CT_COL_INT, COL(err), NULL },
	{ "errno", "ERRNO", "the name of err", -15, CT_COL_ERRNO, COL(err),
	  NULL },
	{ "flags", "FLAGS", "AT_* flags of newfstatat and statx, else null "
	  "(text: hex)", -8, CT_COL_HEX, COL(flags), NULL,
	  .null = flags_null },
	{ "flag_names", "FLAGS", "flags as names, the rest in hex (text: "
	  "joined by |, 0 for none)", -20, CT_COL_STRS, COL(flag_names.strs),
	  text_flag_names },
	{ "mask", "MASK", "statx's mask, else null (text: hex)", -8,
	  CT_COL_HEX, COL(mask), NULL, .null = mask_null },
	{ "mask_names", "MASK", "mask as STATX_* names, the rest in hex "
	  "(text: joined by |)", -20, CT_COL_STRS, COL(mask_names.strs),
	  text_mask_names },
	{ "path", "PATH", "the name as given, or with -F the full path; "
	  "null for an fd without -F (text: with the marks of -F)", -16,
	  CT_COL_STR, COL(path), text_path },
	{ "full_path", "FULL", "path is absolute", -5, CT_COL_BOOL,
	  COL(full_path), NULL },
	{ "reconstructed", "RECON", "path is a directory and a name, not "
	  "resolved", -5, CT_COL_BOOL, COL(reconstructed), NULL },
	{ "truncated", "TRUNC", "path was cut", -5, CT_COL_BOOL,
	  COL(truncated), NULL },
	{ "deleted", "DEL", "the file was deleted", -5, CT_COL_BOOL,
	  COL(deleted), NULL },
	{ "unresolved", "UNRES", "path could not be placed in a directory",
	  -5, CT_COL_BOOL, COL(unresolved), NULL },
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "pid,comm,fd,err,path",
	.data = "time,pid,tid,uid,user,comm,syscall,fd,err,errno,flags,"
		"flag_names,path,full_path,reconstructed,truncated,deleted,"
		"unresolved",
};

static void fill_names(struct names *w, const struct ct_flags *t,
		       __u32 value, bool present)
{
	unsigned long long rest = 0;
	size_t n;

	if (!present) {
		w->strs = (struct ct_strs){ NULL, NULL, 0 };
		return;
	}
	n = ct_flag_names(t, value, w->s, MAX_NAMES, &rest);
	if (n > MAX_NAMES)
		n = MAX_NAMES;
	if (rest) {
		snprintf(w->rest, sizeof(w->rest), "0x%llx", rest);
		w->s[n++] = w->rest;
	}
	for (size_t i = 0; i < n; i++)
		w->len[i] = strlen(w->s[i]);
	w->strs = (struct ct_strs){ w->s, w->len, (int)n };
}

static void fill_row(struct stat_row *r, const struct stat_event *e)
{
	__u32 pf = e->path_flags;
	const char *sys = syscall_names[e->syscall];

	r->ts = e->ts;
	r->uid = e->uid;
	r->pid = e->pid;
	r->tid = e->tid;
	r->fd = e->fd;
	r->err = e->ret < 0 ? -e->ret : 0;
	r->flags = e->flags;
	r->mask = e->mask;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm, STAT_COMM_LEN) };
	r->syscall = (struct ct_str){ sys, strlen(sys) };
	r->path = (struct ct_str){ NULL, 0 };
	if (takes_name(e->syscall) || opt.full_path)
		r->path = (struct ct_str){ e->path, e->path_len };
	/* A path missing its leading part is not an absolute path. */
	r->full_path = (pf & CT_PATH_FULL) && !(pf & CT_PATH_HEAD_MISSING);
	r->reconstructed = pf & CT_PATH_RECONSTRUCTED;
	r->truncated = pf & (CT_PATH_HEAD_MISSING | CT_PATH_TAIL_MISSING);
	r->deleted = pf & CT_PATH_DELETED;
	r->unresolved = pf & CT_PATH_UNRESOLVED;
	r->e = e;
	fill_names(&r->flag_names, &ct_stat_at_flags, e->flags,
		   takes_flags(e->syscall));
	fill_names(&r->mask_names, &ct_statx_mask, e->mask,
		   e->syscall == STAT_SYS_STATX);
}

/* --contains: the kernel matched a prefix at most, or nothing (no loop). */
static bool show_row(struct stat_row *r, const struct stat_event *e)
{
	if (e->syscall >= STAT_SYS_COUNT ||
	    !ct_contains_match(e->path, e->path_len))
		return false;
	fill_row(r, e);
	return true;
}

CT_TAIL_EVENT_HANDLER(handle_event, struct stat_row, struct stat_event, path,
		      path_len, show_row)

/* Why the exit tracepoints cannot read the arguments from the registers. */
static const char *no_regs_reason(void)
{
	if (ct_avoided("CT_NO_TASK_PT_REGS"))
		return "CT_NO_TASK_PT_REGS is set";
	if (!ct_has_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_task_pt_regs))
		return "no bpf_task_pt_regs() in this kernel (5.15+)";
	return NULL;
}

/* Each call's tracepoints: syscalls:sys_enter_<name>, sys_exit_<name>. */
static const char *const tracepoints[STAT_SYS_COUNT] = {
	[STAT_SYS_STAT] = "newstat",
	[STAT_SYS_LSTAT] = "newlstat",
	[STAT_SYS_FSTAT] = "newfstat",
	[STAT_SYS_NEWFSTATAT] = "newfstatat",
	[STAT_SYS_STATX] = "statx",
	[STAT_SYS_STATFS] = "statfs",
	[STAT_SYS_FSTATFS] = "fstatfs",
};

/* The exit program tells the calls apart by their numbers. */
static void set_call_numbers(struct statsnoop_bpf__rodata *ro)
{
#ifdef __NR_stat
	ro->call_nr[STAT_SYS_STAT] = __NR_stat;
#endif
#ifdef __NR_lstat
	ro->call_nr[STAT_SYS_LSTAT] = __NR_lstat;
#endif
	ro->call_nr[STAT_SYS_FSTAT] = __NR_fstat;
	ro->call_nr[STAT_SYS_NEWFSTATAT] = __NR_newfstatat;
	ro->call_nr[STAT_SYS_STATX] = __NR_statx;
	ro->call_nr[STAT_SYS_STATFS] = __NR_statfs;
	ro->call_nr[STAT_SYS_FSTATFS] = __NR_fstatfs;
}

/*
 * The exit program as this run loads it: without -F's walk, with it
 * unrolled, or with bpf_loop() (the walk, the in-kernel --contains
 * search). It is newfstatat's, and attached to the other calls' exits.
 */
static struct bpf_program *used_exit(struct statsnoop_bpf *skel)
{
	return ct_walk_program(opt.full_path,
		ct_path_walk_in_loop(skel->rodata->ct_contains_in_kernel,
				     opt.full_path, &skel->rodata->ct_path_ids),
			       skel->progs.handle_exit,
			       skel->progs.handle_exit_walk,
			       skel->progs.handle_exit_search);
}

/*
 * Call i where this kernel has it (stat and lstat are not on arm64): its
 * exit, and its entry too with pairs, or neither end.
 */
static int trace_call(struct statsnoop_bpf *skel, int i,
		      struct bpf_program *enter, bool pairs)
{
	if (!pairs)
		bpf_program__set_autoload(enter, false);
	if (i == STAT_SYS_NEWFSTATAT)
		return 0;
	if ((pairs && !ct_optional_tracepoint(enter)) ||
	    !ct_syscall_tp_here("exit", tracepoints[i])) {
		bpf_program__set_autoload(enter, false);
		return 0;
	}
	return ct_attach_also_syscall(used_exit(skel), "exit", tracepoints[i]);
}

static int trace_calls(struct statsnoop_bpf *skel, bool pairs)
{
	__typeof__(skel->progs) *p = &skel->progs;
	struct bpf_program *enter[STAT_SYS_COUNT] = {
		[STAT_SYS_STAT] = p->handle_enter_newstat,
		[STAT_SYS_LSTAT] = p->handle_enter_newlstat,
		[STAT_SYS_FSTAT] = p->handle_enter_newfstat,
		[STAT_SYS_NEWFSTATAT] = p->handle_enter_newfstatat,
		[STAT_SYS_STATX] = p->handle_enter_statx,
		[STAT_SYS_STATFS] = p->handle_enter_statfs,
		[STAT_SYS_FSTATFS] = p->handle_enter_fstatfs,
	};

	used_exit(skel);	/* and the other exit program left out */
	set_call_numbers(skel->rodata);
	for (int i = 0; i < STAT_SYS_COUNT; i++)
		if (trace_call(skel, i, enter[i], pairs))
			return CT_EXIT_ERROR;
	return 0;
}

/*
 * The exit tracepoints alone where the registers can be read; else pairs
 * of tracepoints with a map between.
 */
static int choose_method(struct statsnoop_bpf *skel)
{
	const char *why = no_regs_reason();
	bool pairs = why != NULL;

	if (trace_calls(skel, pairs))
		return CT_EXIT_ERROR;
	if (pairs) {
		ct_verbose("stats: not from the registers: %s", why);
		ct_attach_method("stats", "tracepoints syscalls:sys_enter/"
				 "exit_newstat, newlstat, newfstat, "
				 "newfstatat, statx, statfs, fstatfs (those "
				 "that exist)");
		return 0;
	}
	bpf_map__set_autocreate(skel->maps.starts, false);
	skel->rodata->args_in_regs = true;
	ct_attach_method("stats", "tracepoints syscalls:sys_exit_newstat, "
			 "newlstat, newfstat, newfstatat, statx, statfs, "
			 "fstatfs (those that exist), arguments from the "
			 "registers");
	return 0;
}

/* Match --contains in the kernel when it can run the bounded search. */
static void configure_contains(struct statsnoop_bpf *skel)
{
	struct statsnoop_bpf__rodata *ro = skel->rodata;

	if (opt.contains)
		ro->ct_contains_in_kernel =
			ct_contains_where("every call", (char *)ro->ct_contains,
					  (unsigned int *)&ro->ct_contains_len);
}

static int configure(void *s)
{
	struct statsnoop_bpf *skel = s;
	struct statsnoop_bpf__rodata *ro = skel->rodata;

	ro->failed_only = opt.failed;
	ro->want_ts = ct_fields_shown("time") ||
		      ct_fields_shown("elapsed_ns") || ct_env.journal;
	ro->want_uid = ct_fields_shown("uid") || ct_fields_shown("user");
	ro->full_path = opt.full_path;
	ro->ct_task_btf = ct_use_task_btf();
	memcpy((char *)ro->name_filter, opt.name, sizeof(opt.name));
	ro->name_filter_len = opt.name_len;
	configure_contains(skel);
	return choose_method(skel);
}

CT_SKELETON(statsnoop_bpf);

static const struct ct_tool tool = {
	.name = "statsnoop",
	.summary = "Trace stat(), statx(), statfs() and their kin system-wide: "
		   "one line per call, with the path and the result.",
	.examples =
		"  statsnoop                  # trace every stat-family call\n"
		"  statsnoop -x               # only failed calls\n"
		"  statsnoop -F -s            # full paths, with the syscall\n"
		"  statsnoop -p 181 -t        # process 181, with times\n"
		"  statsnoop -n ls -e         # ls, with AT_* flags and "
		"statx masks\n"
		"  statsnoop -u www-data -U   # calls by www-data\n"
		"  statsnoop --contains .so   # shared objects, full paths\n"
		"  statsnoop --json -d 10     # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &statsnoop_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
