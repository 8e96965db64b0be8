// SPDX-License-Identifier: GPL-2.0
/* opensnoop: trace open() system-wide, with full paths on request. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/btf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "feature_probe.h"
#include "kernel_btf.h"
#include "tool.h"
#include "opensnoop.h"
#include "opensnoop.skel.h"

/*
 * 64-bit glibc defines O_LARGEFILE as 0, but the kernel's own bit still
 * reaches the syscall from 32-bit-minded callers: name it from the kernel.
 */
#if O_LARGEFILE != 0
#define K_O_LARGEFILE O_LARGEFILE
#elif defined(__aarch64__)
#define K_O_LARGEFILE 0400000
#elif defined(__powerpc64__)
#define K_O_LARGEFILE 0200000
#elif defined(__x86_64__) || defined(__riscv) || defined(__s390x__)
#define K_O_LARGEFILE 0100000
#else
#define K_O_LARGEFILE 0
#endif

static struct {
	bool failed;		/* -x */
	bool extended;		/* -e */
	bool flag_names;	/* --flag-names */
	bool full_path;		/* -F, or implied by --contains */
	char name[OPEN_COMM_LEN];	/* -n */
	size_t name_len;
	const char *contains;	/* --contains */
	long buffer_pages;	/* -b */
	__u32 nr_flags;		/* -f */
	__u32 flag_mask[OPEN_MAX_FLAG_FILTERS];
	__u32 flag_value[OPEN_MAX_FLAG_FILTERS];
} opt;

/* A flag, or a multi-bit field value, as -f and --flag-names know it. */
struct flag_name {
	const char *name;
	__u32 mask;
	__u32 value;
};

/* Multi-bit ones first, so that printing takes O_SYNC before O_DSYNC. */
static const struct flag_name flag_names[] = {
	{ "O_RDONLY", O_ACCMODE, O_RDONLY },
	{ "O_WRONLY", O_ACCMODE, O_WRONLY },
	{ "O_RDWR", O_ACCMODE, O_RDWR },
	{ "O_TMPFILE", O_TMPFILE, O_TMPFILE },
	{ "O_SYNC", O_SYNC, O_SYNC },
	{ "O_CREAT", O_CREAT, O_CREAT },
	{ "O_EXCL", O_EXCL, O_EXCL },
	{ "O_NOCTTY", O_NOCTTY, O_NOCTTY },
	{ "O_TRUNC", O_TRUNC, O_TRUNC },
	{ "O_APPEND", O_APPEND, O_APPEND },
	{ "O_NONBLOCK", O_NONBLOCK, O_NONBLOCK },
	{ "O_DSYNC", O_DSYNC, O_DSYNC },
	{ "O_ASYNC", O_ASYNC, O_ASYNC },
	{ "O_DIRECT", O_DIRECT, O_DIRECT },
	{ "O_LARGEFILE", K_O_LARGEFILE, K_O_LARGEFILE },
	{ "O_DIRECTORY", O_DIRECTORY, O_DIRECTORY },
	{ "O_NOFOLLOW", O_NOFOLLOW, O_NOFOLLOW },
	{ "O_NOATIME", O_NOATIME, O_NOATIME },
	{ "O_CLOEXEC", O_CLOEXEC, O_CLOEXEC },
	{ "O_PATH", O_PATH, O_PATH },
};

#define NR_FLAG_NAMES (sizeof(flag_names) / sizeof(flag_names[0]))

#define SYSCALL_NAME(s) { s, sizeof(s) - 1 }

static const struct ct_str syscall_names[] = {
	[OPEN_SYS_OPEN] = SYSCALL_NAME("open"),
	[OPEN_SYS_OPENAT] = SYSCALL_NAME("openat"),
	[OPEN_SYS_OPENAT2] = SYSCALL_NAME("openat2"),
	[OPEN_SYS_CREAT] = SYSCALL_NAME("creat"),
};

enum { OPT_FLAG_NAMES = 0x100, OPT_CONTAINS };

static const struct argp_option options[] = {
	{ "timestamp", 'T', NULL, 0, "Include a TIME(s) column: seconds since "
	  "start", 0 },
	CT_OPT_PRINT_UID,
	{ "failed", 'x', NULL, 0, "Only failed opens", 0 },
	CT_OPT_PID("Only opens by this process"),
	{ "tid", 't', "TID", 0, "Only opens by this thread", 0 },
	CT_OPT_UID("Only opens by this user"),
	{ "name", 'n', "NAME", 0, "Only commands whose name contains NAME", 0 },
	{ "extended-fields", 'e', NULL, 0, "Include a FLAGS column (octal)",
	  0 },
	{ "flag-names", OPT_FLAG_NAMES, NULL, 0,
	  "FLAGS as names (O_WRONLY|O_CREAT); implies -e", 0 },
	{ "flag", 'f', "FLAG", 0, "Only opens with FLAG: a name (O_WRONLY, "
	  "O_CREAT, ...) or a number (0100, 0x40, 64); repeat for any of "
	  "several", 0 },
	{ "full-path", 'F', NULL, 0, "Show absolute paths, resolved by the "
	  "kernel", 0 },
	{ "contains", OPT_CONTAINS, "STRING", 0,
	  "Only paths containing STRING; implies -F", 0 },
	CT_OPT_CGROUP("Only opens in this cgroup v2 directory"),
	{ "buffer-pages", 'b', "PAGES", 0,
	  "Size of the event buffer in pages (default 128)", 0 },
	{},
};

static const struct flag_name *find_flag(const char *arg)
{
	for (size_t i = 0; i < NR_FLAG_NAMES; i++) {
		const char *name = flag_names[i].name;

		if (!flag_names[i].mask)
			continue;
		if (!strcasecmp(arg, name) || !strcasecmp(arg, name + 2))
			return &flag_names[i];
	}
	return NULL;
}

/*
 * A number of flag bits in C notation, as FLAGS prints them: 0100 (octal),
 * 0x40 (hex) or 64. strtoul() alone would take "-1" and " 64".
 */
static __u32 parse_flag_bits(const char *arg)
{
	unsigned long bits;
	char *end;

	if (!isdigit((unsigned char)*arg))
		ct_usage_error("-f/--flag: unknown flag '%s'", arg);
	errno = 0;
	bits = strtoul(arg, &end, 0);
	if (errno || *end || end == arg)
		ct_usage_error("-f/--flag: '%s' is not a number (0100, 0x40, "
			       "64)", arg);
	if (!bits || bits > 0xffffffffUL)
		ct_usage_error("-f/--flag: %s is out of range (1 to "
			       "0xffffffff)", arg);
	return bits;
}

/* -f O_CREAT, -f creat, or a number (0100) for bits without a name. */
static void add_flag_filter(const char *arg)
{
	const struct flag_name *f = find_flag(arg);
	__u32 bits;

	if (opt.nr_flags == OPEN_MAX_FLAG_FILTERS)
		ct_usage_error("-f/--flag: at most %d flags",
			       OPEN_MAX_FLAG_FILTERS);
	if (f) {
		opt.flag_mask[opt.nr_flags] = f->mask;
		opt.flag_value[opt.nr_flags++] = f->value;
		return;
	}
	bits = parse_flag_bits(arg);
	opt.flag_mask[opt.nr_flags] = bits;
	opt.flag_value[opt.nr_flags++] = bits;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'x':
		opt.failed = true;
		break;
	case 't':
		ct_env.filter.tid = ct_parse_pid("-t/--tid", arg);
		break;
	case 'n':
		opt.name_len = ct_parse_string("-n/--name", arg, opt.name,
					       sizeof(opt.name));
		break;
	case 'e':
		opt.extended = true;
		break;
	case OPT_FLAG_NAMES:
		opt.flag_names = true;
		break;
	case 'f':
		add_flag_filter(arg);
		break;
	case 'F':
		opt.full_path = true;
		break;
	case OPT_CONTAINS:
		opt.contains = ct_contains_parse(arg, OPEN_PATH_BYTES);
		opt.full_path = true;
		break;
	case 'b':
		opt.buffer_pages = ct_parse_long("-b/--buffer-pages", arg, 1,
						 1L << 18);
		break;
	case ARGP_KEY_END:
		/* One FLAGS column: names if asked for, whatever the order. */
		if (opt.flag_names)
			ct_fields_add("flag_names");
		else if (opt.extended)
			ct_fields_add("flags");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}


/*
 * The next name for *flags from flag_names[*i] on, its bits taken out of
 * *flags; NULL when no name is left (the bits left have none).
 */
static const char *next_flag_name(__u32 *flags, size_t *i)
{
	for (; *i < NR_FLAG_NAMES; (*i)++) {
		const struct flag_name *f = &flag_names[*i];

		if (f->mask != O_ACCMODE && (!f->mask || !f->value))
			continue;
		if ((*flags & f->mask) != f->value)
			continue;
		*flags &= ~f->mask;
		return flag_names[(*i)++].name;
	}
	return NULL;
}

/* Mode matters only when a file may be created. */
static bool has_mode(__u32 flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* One open as its columns see it. */
struct open_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	__u32 tid;
	int fd;			/* -1 after a failed open */
	int err;
	__u32 flags;
	__u32 mode;
	struct ct_str comm;
	struct ct_str syscall;
	struct ct_strs flag_names;
	struct ct_str path;
	bool full_path;
	bool reconstructed;
	bool truncated;
	bool deleted;
	bool unresolved;
	const struct open_event *e;
};

static bool fd_null(const void *row)
{
	return ((const struct open_row *)row)->fd < 0;
}

static bool mode_null(const void *row)
{
	return !has_mode(((const struct open_row *)row)->flags);
}

/* FD is -1 in text after a failed open, as the call returned. */
static size_t text_fd(struct ct_buf *b, const void *row)
{
	return ct_buf_int_right(b, ((const struct open_row *)row)->fd, 4);
}

static size_t text_flags(struct ct_buf *b, const void *row)
{
	return ct_buf_printf(b, "%08o",
			     ((const struct open_row *)row)->flags);
}

/* O_WRONLY|O_CREAT|0100000000 */
static size_t text_flag_names(struct ct_buf *b, const void *row)
{
	const struct ct_strs *w = &((const struct open_row *)row)->flag_names;
	size_t n = 0;

	for (int i = 0; i < w->n; i++)
		n += (i ? ct_buf_puts(b, "|") : 0) + ct_buf_puts(b, w->s[i]);
	return n;
}

/* The path with its marks: "..." where cut, " (deleted)" and the like. */
static size_t text_path(struct ct_buf *b, const void *row)
{
	const struct open_event *e = ((const struct open_row *)row)->e;

	return ct_buf_path(b, e->path, e->path_len, e->path_flags);
}

#define COL(field) CT_AT(struct open_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct open_row, ts),
	CT_COLUMN_ELAPSED(struct open_row, ts),
	{ "uid", "UID", "real user ID", -6, CT_COL_UINT, COL(uid), NULL },
	CT_COLUMN_USER(struct open_row, uid),
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "tid", "TID", "thread ID", -7, CT_COL_UINT, COL(tid), NULL },
	{ "comm", "COMM", "command name", -16, CT_COL_STR, COL(comm), NULL },
	{ "syscall", "SYSCALL", "open, openat, openat2 or creat", -7,
	  CT_COL_STR, COL(syscall), NULL },
	{ "fd", "FD", "the new file descriptor; failed: null (text: -1)",
	  4, CT_COL_INT, COL(fd), text_fd, .null = fd_null },
	{ "err", "ERR", "a failed open's error number, else 0", 3, CT_COL_INT,
	  COL(err), NULL },
	{ "errno", "ERRNO", "the name of err", -15, CT_COL_ERRNO, COL(err),
	  NULL },
	{ "flags", "FLAGS", "open flags (text: octal)", -8, CT_COL_OCT,
	  COL(flags), text_flags },
	{ "flag_names", "FLAGS", "open flags as names, the rest in octal "
	  "(text: joined by |)", -24, CT_COL_STRS, COL(flag_names),
	  text_flag_names },
	{ "mode", "MODE", "the mode of a file that may be created, else "
	  "null (text: octal)", 6,
	  CT_COL_OCT, COL(mode), NULL, .null = mode_null },
	{ "path", "PATH", "the path (text: with the marks of -F)", -16,
	  CT_COL_STR, COL(path), text_path },
	{ "full_path", "FULL", "path is absolute", -5, CT_COL_BOOL,
	  COL(full_path), NULL },
	{ "reconstructed", "RECON", "path was rebuilt from the dentries", -5,
	  CT_COL_BOOL, COL(reconstructed), NULL },
	{ "truncated", "TRUNC", "path was cut", -5, CT_COL_BOOL,
	  COL(truncated), NULL },
	{ "deleted", "DEL", "the file was deleted", -5, CT_COL_BOOL,
	  COL(deleted), NULL },
	{ "unresolved", "UNRES", "path could not be resolved", -5,
	  CT_COL_BOOL, COL(unresolved), NULL },
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "pid,comm,fd,err,path",
	.data = "time,pid,tid,uid,user,comm,syscall,fd,err,errno,flags,"
		"flag_names,mode,path,full_path,reconstructed,truncated,"
		"deleted,unresolved",
};

/*
 * The names of the last flags named, the bits without a name last, in
 * octal: a program opens with the same few flags over and over.
 */
static struct {
	bool valid;
	__u32 flags;
	struct ct_strs strs;
	const char *names[NR_FLAG_NAMES + 1];
	size_t len[NR_FLAG_NAMES + 1];
	char octal[16];
} named;

/* Only a run that shows them names them. */
static bool show_flag_names;

static void name_flags(__u32 flags)
{
	const char *name;
	size_t i = 0;
	int n = 0;

	named.flags = flags;
	named.valid = true;
	while ((name = next_flag_name(&flags, &i)))
		named.names[n++] = name;
	if (flags) {
		snprintf(named.octal, sizeof(named.octal), "0%o", flags);
		named.names[n++] = named.octal;
	}
	for (int k = 0; k < n; k++)
		named.len[k] = strlen(named.names[k]);
	named.strs = (struct ct_strs){ named.names, named.len, n };
}

static void fill_flag_names(struct open_row *r)
{
	if (!show_flag_names) {
		r->flag_names = (struct ct_strs){ 0 };
		return;
	}
	if (!named.valid || named.flags != r->flags)
		name_flags(r->flags);
	r->flag_names = named.strs;
}

static void fill_row(struct open_row *r, const struct open_event *e)
{
	__u32 pf = e->path_flags;

	r->ts = e->ts;
	r->uid = e->uid;
	r->pid = e->pid;
	r->tid = e->tid;
	r->fd = e->ret < 0 ? -1 : e->ret;
	r->err = e->ret < 0 ? -e->ret : 0;
	r->flags = e->flags;
	r->mode = e->mode;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm, OPEN_COMM_LEN) };
	r->syscall = e->syscall < 4 ? syscall_names[e->syscall] :
				      (struct ct_str){ NULL, 0 };
	r->path = (struct ct_str){ e->path, e->path_len };
	/* A path missing its leading part is not an absolute path. */
	r->full_path = (pf & CT_PATH_FULL) && !(pf & CT_PATH_HEAD_MISSING);
	r->reconstructed = pf & CT_PATH_RECONSTRUCTED;
	r->truncated = pf & (CT_PATH_HEAD_MISSING | CT_PATH_TAIL_MISSING);
	r->deleted = pf & CT_PATH_DELETED;
	r->unresolved = pf & CT_PATH_UNRESOLVED;
	r->e = e;
	fill_flag_names(r);
}

/*
 * --contains also where the kernel matched: a long string only by its
 * head, and an EINTR comes without the search.
 */
static bool show_row(struct open_row *r, const struct open_event *e)
{
	if (!ct_contains_match(e->path, e->path_len))
		return false;
	fill_row(r, e);
	return true;
}

CT_TAIL_EVENT_HANDLER(handle_event, struct open_row, struct open_event, path,
		      path_len, show_row)

/* Match --contains in the kernel when it can run the bounded search. */
static void configure_contains(struct opensnoop_bpf *skel)
{
	struct opensnoop_bpf__rodata *ro = skel->rodata;

	if (opt.contains)
		ro->ct_contains_in_kernel =
			ct_contains_where("every open", (char *)ro->ct_contains,
					  (unsigned int *)&ro->ct_contains_len);
}

/* Decided once: the exit and the signal programs walk alike. */
static bool walk_in_loop(const struct opensnoop_bpf *skel)
{
	return ct_path_walk_in_loop(skel->rodata->ct_contains_in_kernel,
				    opt.full_path, &skel->rodata->ct_path_ids);
}

/*
 * The exit program as this run loads it: without -F's walk, with it
 * unrolled, or with bpf_loop() (the walk and the in-kernel --contains
 * search). It is openat's, and attached to the other calls' exits too.
 */
static struct bpf_program *used_exit(struct opensnoop_bpf *skel)
{
	return ct_walk_program(opt.full_path, walk_in_loop(skel),
			       skel->progs.handle_exit,
			       skel->progs.handle_exit_walk,
			       skel->progs.handle_exit_search);
}

/* The signal program, walking as the exit program does. */
static struct bpf_program *used_signal(struct opensnoop_bpf *skel)
{
	return ct_walk_program(opt.full_path, walk_in_loop(skel),
			       skel->progs.handle_signal_deliver,
			       skel->progs.handle_signal_walk,
			       skel->progs.handle_signal_loop);
}

/* The fexit program: without -F's walk, or with it in bpf_loop(). */
static struct bpf_program *used_fexit(struct opensnoop_bpf *skel)
{
	return ct_walk_program(opt.full_path, true, skel->progs.fexit_open,
			       skel->progs.fexit_open_walk,
			       skel->progs.fexit_open_walk);
}

/* The exit program on call's exit too, where this kernel has it. */
static int exit_also(struct opensnoop_bpf *skel, const char *call)
{
	if (!ct_syscall_tp_here("exit", call))
		return 0;
	return ct_attach_also_syscall(used_exit(skel), "exit", call);
}

/*
 * The tracepoints pair up: without one end, neither is used. enter is
 * call's entry program.
 */
static int optional_pair(struct opensnoop_bpf *skel, const char *call,
			 struct bpf_program *enter)
{
	if (!ct_optional_tracepoint(enter) ||
	    !ct_syscall_tp_here("exit", call)) {
		bpf_program__set_autoload(enter, false);
		return 0;
	}
	return ct_attach_also_syscall(used_exit(skel), "exit", call);
}

/* Has this kernel bpf_task_pt_regs() (5.15+) to read the arguments with? */
static bool has_task_pt_regs(void)
{
	static int has = -1;

	if (has < 0)
		has = ct_has_helper(BPF_PROG_TYPE_TRACEPOINT,
				    BPF_FUNC_task_pt_regs);
	return has;
}

/* The kernel function every open, openat, openat2 and creat goes through. */
#define FEXIT_TARGET "do_sys_openat2"

/*
 * The fexit program reads the arguments from the registers and the result
 * with bpf_get_func_ret(): any do_sys_openat2() will do.
 */
static bool fexit_target_ok(void)
{
	return ct_kernel_btf_id(FEXIT_TARGET, BTF_KIND_FUNC) > 0;
}

/* Why the fexit program cannot be used here; NULL if it can. */
static const char *no_fexit_reason(const struct opensnoop_bpf *skel)
{
	if (ct_avoided("CT_NO_FENTRY"))
		return "CT_NO_FENTRY is set";
	if (!skel->rodata->fexit_supported)
		return "not built for this architecture";
	if (!ct_has_fentry())
		return "this kernel cannot attach fentry/fexit programs";
	if (!has_task_pt_regs())
		return "no bpf_task_pt_regs() in this kernel (5.15+)";
	if (!ct_has_fexit_func_ret())
		return "no bpf_get_func_ret() in this kernel (5.17+)";
	if (!fexit_target_ok())
		return "no function " FEXIT_TARGET " in this kernel's BTF";
	return NULL;
}

/*
 * The fexit program and the exit tracepoints' tell open, openat... apart
 * by the syscall number.
 */
static void set_syscall_numbers(struct opensnoop_bpf__rodata *ro)
{
#ifdef __NR_open
	ro->nr_open = __NR_open;
#endif
#ifdef __NR_creat
	ro->nr_creat = __NR_creat;
#endif
#ifdef __NR_openat2
	ro->nr_openat2 = __NR_openat2;
#endif
	ro->nr_openat = __NR_openat;
}

/* Why the tracepoints cannot read the arguments from the registers. */
static const char *no_regs_reason(void)
{
	if (ct_avoided("CT_NO_TASK_PT_REGS"))
		return "CT_NO_TASK_PT_REGS is set";
	if (!has_task_pt_regs())
		return "no bpf_task_pt_regs() in this kernel (5.15+)";
	return NULL;
}

static void use_fexit(struct opensnoop_bpf *skel)
{
	struct bpf_program *fexit = used_fexit(skel);
	struct bpf_program *signal = used_signal(skel);
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == fexit ||
					  prog == signal);
	/* Only the tracepoint pairs pass arguments from entry to exit. */
	bpf_map__set_autocreate(skel->maps.starts, false);
	skel->rodata->args_in_regs = true;
	ct_attach_method("opens", "fexit " FEXIT_TARGET);
}

/* open and creat do not exist on arm64 and riscv; openat2 is 5.6+. */
static int use_exit_tracepoints(struct opensnoop_bpf *skel)
{
	__typeof__(skel->progs) *p = &skel->progs;

	bpf_program__set_autoload(p->handle_enter_open, false);
	bpf_program__set_autoload(p->handle_enter_openat, false);
	bpf_program__set_autoload(p->handle_enter_openat2, false);
	bpf_program__set_autoload(p->handle_enter_creat, false);
	if (exit_also(skel, "open") || exit_also(skel, "creat") ||
	    exit_also(skel, "openat2"))
		return CT_EXIT_ERROR;
	bpf_map__set_autocreate(skel->maps.starts, false);
	skel->rodata->args_in_regs = true;
	ct_attach_method("opens", "tracepoints syscalls:sys_exit_open, openat,"
			 " openat2, creat (those that exist), arguments "
			 "from the registers");
	return 0;
}

static int use_tracepoint_pairs(struct opensnoop_bpf *skel)
{
	__typeof__(skel->progs) *p = &skel->progs;

	if (optional_pair(skel, "open", p->handle_enter_open) ||
	    optional_pair(skel, "creat", p->handle_enter_creat) ||
	    optional_pair(skel, "openat2", p->handle_enter_openat2))
		return CT_EXIT_ERROR;
	ct_attach_method("opens", "tracepoints syscalls:sys_enter/exit_open,"
			 " openat, openat2, creat (those that exist)");
	return 0;
}

/*
 * fexit when this kernel can; else the exit tracepoints, which read the
 * arguments as fexit does; else pairs of tracepoints with a map between.
 */
static int choose_method(struct opensnoop_bpf *skel)
{
	const char *why = no_fexit_reason(skel);

	set_syscall_numbers(skel->rodata);
	used_signal(skel);	/* and the other signal program left out */
	if (!why) {
		use_fexit(skel);
		return 0;
	}
	ct_verbose("opens: no fexit: %s", why);
	bpf_program__set_autoload(skel->progs.fexit_open, false);
	bpf_program__set_autoload(skel->progs.fexit_open_walk, false);
	used_exit(skel);	/* and the other exit program left out */
	why = no_regs_reason();
	if (!why)
		return use_exit_tracepoints(skel);
	ct_verbose("opens: not from the registers: %s", why);
	return use_tracepoint_pairs(skel);
}

static int configure(void *s)
{
	struct opensnoop_bpf *skel = s;
	struct opensnoop_bpf__rodata *ro = skel->rodata;

	ro->failed_only = opt.failed;
	show_flag_names = ct_fields_shown("flag_names");
	ro->want_ts = ct_fields_shown("time") ||
		      ct_fields_shown("elapsed_ns") || ct_env.journal;
	ro->want_uid = ct_fields_shown("uid") || ct_fields_shown("user");
	ro->full_path = opt.full_path;
	ro->ct_task_btf = ct_use_task_btf();
	memcpy((char *)ro->name_filter, opt.name, sizeof(opt.name));
	ro->name_filter_len = opt.name_len;
	ro->nr_flag_filters = opt.nr_flags;
	memcpy((void *)ro->flag_mask, opt.flag_mask, sizeof(opt.flag_mask));
	memcpy((void *)ro->flag_value, opt.flag_value,
	       sizeof(opt.flag_value));
	ro->creat_flags = O_CREAT | O_WRONLY | O_TRUNC;
	configure_contains(skel);
	if (choose_method(skel))
		return CT_EXIT_ERROR;
	if (opt.buffer_pages &&
	    ct_set_buffer_bytes(skel->obj,
				opt.buffer_pages * sysconf(_SC_PAGESIZE))) {
		ct_warn("cannot size the event buffer");
		return CT_EXIT_ERROR;
	}
	return 0;
}

CT_SKELETON(opensnoop_bpf);

static const struct ct_tool tool = {
	.name = "opensnoop",
	.summary = "Trace open() system-wide: one line per open, with the fd "
		   "or the error.",
	.examples =
		"  opensnoop                          # trace every open\n"
		"  opensnoop -x                       # only failed opens\n"
		"  opensnoop -n qemu --contains .bin  # qemu's .bin files, "
		"full paths\n"
		"  opensnoop -p 181 -T                # process 181, with "
		"times\n"
		"  opensnoop -u www-data -U           # opens by www-data\n"
		"  opensnoop -f O_CREAT -f 0x400      # opens that may create "
		"or append\n"
		"  opensnoop -f O_WRONLY -f O_RDWR --flag-names\n"
		"  opensnoop -c /sys/fs/cgroup/unified/system.slice\n"
		"  opensnoop --json -d 10             # JSON lines for ten "
		"seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &opensnoop_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
