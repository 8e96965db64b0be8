// SPDX-License-Identifier: GPL-2.0
/* opensnoop: trace open() system-wide, with full paths on request. */
#include <ctype.h>
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
#include "escape.h"
#include "feature_probe.h"
#include "json.h"
#include "kernel_btf.h"
#include "output.h"
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
	bool timestamp;		/* -T */
	bool print_uid;		/* -U */
	bool failed;		/* -x */
	bool extended;		/* -e */
	bool flag_names;	/* --flag-names */
	bool full_path;		/* -F, or implied by -c */
	char name[OPEN_COMM_LEN];	/* -n */
	size_t name_len;
	const char *contains;	/* -c */
	bool contains_in_user;	/* -c matched here, not in the kernel */
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

static const char *const syscall_names[] = {
	[OPEN_SYS_OPEN] = "open",
	[OPEN_SYS_OPENAT] = "openat",
	[OPEN_SYS_OPENAT2] = "openat2",
	[OPEN_SYS_CREAT] = "creat",
};

enum { OPT_FLAG_NAMES = 0x100, OPT_CGROUP };

static const struct argp_option options[] = {
	{ "timestamp", 'T', NULL, 0, "Include a TIME(s) column: seconds since "
	  "start", 0 },
	{ "print-uid", 'U', NULL, 0, "Include a UID column", 0 },
	{ "failed", 'x', NULL, 0, "Only failed opens", 0 },
	{ "pid", 'p', "PID", 0, "Only opens by this process", 0 },
	{ "tid", 't', "TID", 0, "Only opens by this thread", 0 },
	{ "uid", 'u', "USER", 0, "Only opens by this user (name or uid)", 0 },
	{ "name", 'n', "NAME", 0, "Only commands whose name contains NAME", 0 },
	{ "extended-fields", 'e', NULL, 0, "Include a FLAGS column (octal)",
	  0 },
	{ "flag-names", OPT_FLAG_NAMES, NULL, 0,
	  "Show FLAGS as names (O_WRONLY|O_CREAT); implies -e", 0 },
	{ "flag", 'f', "FLAG", 0, "Only opens with FLAG (O_WRONLY, O_CREAT, "
	  "...; repeat for any of several)", 0 },
	{ "full-path", 'F', NULL, 0, "Show absolute paths, resolved by the "
	  "kernel", 0 },
	{ "contains", 'c', "STRING", 0,
	  "Only paths containing STRING; implies -F", 0 },
	{ "cgroup", OPT_CGROUP, "PATH", 0,
	  "Only opens in this cgroup v2 directory", 0 },
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
	if (!isdigit((unsigned char)*arg))
		ct_usage_error("-f/--flag: unknown flag '%s'", arg);
	bits = ct_parse_long("-f/--flag", arg, 1, 0xffffffffL);
	opt.flag_mask[opt.nr_flags] = bits;
	opt.flag_value[opt.nr_flags++] = bits;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'T':
		opt.timestamp = true;
		break;
	case 'U':
		opt.print_uid = true;
		break;
	case 'x':
		opt.failed = true;
		break;
	case 'p':
		ct_env.filter.tgid = ct_parse_pid("-p/--pid", arg);
		break;
	case 't':
		ct_env.filter.tid = ct_parse_pid("-t/--tid", arg);
		break;
	case 'u':
		ct_env.filter.uid = ct_parse_user("-u/--uid", arg);
		break;
	case 'n':
		opt.name_len = ct_parse_string("-n/--name", arg, opt.name,
					       sizeof(opt.name));
		break;
	case 'e':
		opt.extended = true;
		break;
	case OPT_FLAG_NAMES:
		opt.extended = opt.flag_names = true;
		break;
	case 'f':
		add_flag_filter(arg);
		break;
	case 'F':
		opt.full_path = true;
		break;
	case 'c':
		if (!*arg)
			ct_usage_error("-c/--contains: empty string");
		opt.contains = arg;
		opt.full_path = true;
		break;
	case OPT_CGROUP:
		ct_env.cgroup_fd = ct_parse_cgroup("--cgroup", arg);
		break;
	case 'b':
		opt.buffer_pages = ct_parse_long("-b/--buffer-pages", arg, 1,
						 1L << 18);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct ct_tool tool = {
	.name = "opensnoop",
	.summary = "Trace open() system-wide: one line per open, with the fd "
		   "or the error.",
	.examples =
		"  opensnoop                     # trace every open\n"
		"  opensnoop -x                  # only failed opens\n"
		"  opensnoop -F -n qemu -c .bin  # qemu's .bin files, full "
		"paths\n"
		"  opensnoop -p 181 -T           # process 181, with times\n"
		"  opensnoop -u www-data -U      # opens by www-data\n"
		"  opensnoop -f O_WRONLY -f O_RDWR --flag-names\n"
		"  opensnoop --cgroup /sys/fs/cgroup/unified/system.slice\n"
		"  opensnoop --json -d 10        # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
};

/* "O_WRONLY|O_CREAT|0x..." into buf; bits without a name stay octal. */
static const char *fmt_flags(char *buf, size_t size, __u32 flags)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NR_FLAG_NAMES && len < size; i++) {
		const struct flag_name *f = &flag_names[i];

		if (f->mask != O_ACCMODE && (!f->mask || !f->value))
			continue;
		if ((flags & f->mask) != f->value)
			continue;
		len += snprintf(buf + len, size - len, "%s%s", len ? "|" : "",
				f->name);
		flags &= ~f->mask;
	}
	if (flags && len < size)
		snprintf(buf + len, size - len, "%s0%o", len ? "|" : "",
			 flags);
	return buf;
}

/* Mode matters only when a file may be created. */
static bool has_mode(__u32 flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

static void print_header(void)
{
	if (opt.timestamp)
		printf("%-8s ", "TIME(s)");
	if (opt.print_uid)
		printf("%-6s ", "UID");
	printf("%-7s %-16s %4s %3s ", "PID", "COMM", "FD", "ERR");
	if (opt.extended)
		printf(opt.flag_names ? "%-24s " : "%-8s ", "FLAGS");
	printf("PATH\n");
}

static void print_path(const struct open_event *e)
{
	if (e->path_flags & OPEN_PATH_HEAD_MISSING)
		fputs("...", stdout);
	ct_fput_escaped(stdout, e->path, e->path_len, 0);
	if (e->path_flags & OPEN_PATH_TAIL_MISSING)
		fputs("...", stdout);
	if (e->path_flags & OPEN_PATH_DELETED)
		fputs(" (deleted)", stdout);
	if (e->path_flags & OPEN_PATH_RECONSTRUCTED)
		fputs(" (reconstructed)", stdout);
}

static void print_text(const struct open_event *e)
{
	size_t comm_len = strnlen(e->comm, OPEN_COMM_LEN);
	char buf[256];

	if (opt.timestamp)
		printf("%-8.3f ", ct_secs_since_start(e->ts));
	if (opt.print_uid)
		printf("%-6u ", e->uid);
	printf("%-7u ", e->pid);
	ct_fput_escaped(stdout, e->comm, comm_len, 0);
	printf("%*s %4d %3d ", (int)(16 - comm_len), "",
	       e->ret < 0 ? -1 : e->ret, e->ret < 0 ? -e->ret : 0);
	if (opt.flag_names)
		printf("%-24s ", fmt_flags(buf, sizeof(buf), e->flags));
	else if (opt.extended)
		printf("%08o ", e->flags);
	print_path(e);
	putchar('\n');
}

static void print_json(const struct open_event *e)
{
	struct ct_json j;
	char buf[256];

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf), e->ts));
	ct_json_uint(&j, "pid", e->pid);
	ct_json_uint(&j, "tid", e->tid);
	ct_json_uint(&j, "uid", e->uid);
	ct_json_str(&j, "user", ct_user_name(e->uid));
	ct_json_strn(&j, "comm", e->comm, strnlen(e->comm, OPEN_COMM_LEN));
	ct_json_str(&j, "syscall", e->syscall < 4 ?
		    syscall_names[e->syscall] : NULL);
	if (e->ret >= 0)
		ct_json_int(&j, "fd", e->ret);
	else
		ct_json_null(&j, "fd");
	ct_json_int(&j, "err", e->ret < 0 ? -e->ret : 0);
	ct_json_str(&j, "errno", e->ret < 0 ? ct_errno_name(e->ret) : NULL);
	ct_json_uint(&j, "flags", e->flags);
	ct_json_str(&j, "flag_names", fmt_flags(buf, sizeof(buf), e->flags));
	if (has_mode(e->flags))
		ct_json_uint(&j, "mode", e->mode);
	else
		ct_json_null(&j, "mode");
	ct_json_strn(&j, "path", e->path, e->path_len);
	/* A path missing its leading part is not an absolute path. */
	ct_json_bool(&j, "full_path", (e->path_flags & OPEN_PATH_FULL) &&
		     !(e->path_flags & OPEN_PATH_HEAD_MISSING));
	ct_json_bool(&j, "reconstructed",
		     e->path_flags & OPEN_PATH_RECONSTRUCTED);
	ct_json_bool(&j, "truncated", e->path_flags &
		     (OPEN_PATH_HEAD_MISSING | OPEN_PATH_TAIL_MISSING));
	ct_json_bool(&j, "deleted", e->path_flags & OPEN_PATH_DELETED);
	ct_json_end(&j);
}

static int handle_event(void *ctx, const void *data, size_t size)
{
	const struct open_event *e = data;

	(void)ctx;
	if (size < offsetof(struct open_event, path) ||
	    size < offsetof(struct open_event, path) + e->path_len)
		return 0;
	if (opt.contains_in_user &&
	    !memmem(e->path, e->path_len, opt.contains, strlen(opt.contains)))
		return 0;
	if (ct_env.json)
		print_json(e);
	else
		print_text(e);
	return 0;
}

/* Match --contains in the kernel when it can run the bounded search. */
static void configure_contains(struct opensnoop_bpf *skel)
{
	size_t len;

	if (!opt.contains)
		return;
	len = strlen(opt.contains);
	if (len >= OPEN_CONTAINS_BYTES) {
		ct_verbose("--contains: %zu bytes is more than the kernel-side "
			   "%d: matching in user space, every open crosses "
			   "the buffer", len, OPEN_CONTAINS_BYTES - 1);
	} else if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT,
					   BPF_FUNC_loop, NULL) != 1) {
		ct_verbose("--contains: no bpf_loop() in this kernel (5.17+): "
			   "matching in user space, every open crosses the "
			   "buffer");
	} else {
		memcpy((char *)skel->rodata->contains, opt.contains, len);
		skel->rodata->contains_len = len;
		skel->rodata->contains_in_kernel = true;
		ct_verbose("--contains: matching in the kernel");
		return;
	}
	opt.contains_in_user = true;
}

/*
 * Exit program x as this run loads it: built with the in-kernel --contains
 * search or without (older verifiers refuse the search's callback).
 */
#define EXIT_PROG(skel, x, search)					\
	((search) ? (skel)->progs.handle_exit_##x##_search :		\
		    (skel)->progs.handle_exit_##x)
#define USED_EXIT(skel, x)						\
	EXIT_PROG(skel, x, (skel)->rodata->contains_in_kernel)
#define UNUSED_EXIT(skel, x)						\
	EXIT_PROG(skel, x, !(skel)->rodata->contains_in_kernel)

static void drop_unused_exits(struct opensnoop_bpf *skel)
{
	bpf_program__set_autoload(UNUSED_EXIT(skel, open), false);
	bpf_program__set_autoload(UNUSED_EXIT(skel, openat), false);
	bpf_program__set_autoload(UNUSED_EXIT(skel, openat2), false);
	bpf_program__set_autoload(UNUSED_EXIT(skel, creat), false);
}

/* The tracepoints pair up: without one end, neither is loaded. */
static void optional_pair(struct bpf_program *enter, struct bpf_program *exit)
{
	if (!ct_optional_tracepoint(enter) || !ct_optional_tracepoint(exit)) {
		bpf_program__set_autoload(enter, false);
		bpf_program__set_autoload(exit, false);
	}
}

/* Set by the tests to run a fallback where the kernel has better. */
static bool avoided(const char *env_name)
{
	const char *env = getenv(env_name);

	return env && *env && strcmp(env, "0");
}

/* Has this kernel bpf_task_pt_regs() (5.15+) to read the arguments with? */
static bool has_task_pt_regs(void)
{
	static int has = -1;

	if (has < 0)
		has = libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT,
					      BPF_FUNC_task_pt_regs, NULL) == 1;
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
	if (avoided("CT_NO_FENTRY"))
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

/* The fexit program maps the caller's syscall number to open, openat... */
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
	if (avoided("CT_NO_TASK_PT_REGS"))
		return "CT_NO_TASK_PT_REGS is set";
	if (!has_task_pt_regs())
		return "no bpf_task_pt_regs() in this kernel (5.15+)";
	return NULL;
}

static void use_fexit(struct opensnoop_bpf *skel)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == skel->progs.fexit_open);
	/* Only the tracepoint pairs pass arguments from entry to exit. */
	bpf_map__set_autocreate(skel->maps.starts, false);
	set_syscall_numbers(skel->rodata);
	ct_attach_method("opens", "fexit " FEXIT_TARGET);
}

/* open and creat do not exist on arm64 and riscv; openat2 is 5.6+. */
static void use_exit_tracepoints(struct opensnoop_bpf *skel)
{
	__typeof__(skel->progs) *p = &skel->progs;

	bpf_program__set_autoload(p->handle_enter_open, false);
	bpf_program__set_autoload(p->handle_enter_openat, false);
	bpf_program__set_autoload(p->handle_enter_openat2, false);
	bpf_program__set_autoload(p->handle_enter_creat, false);
	ct_optional_tracepoint(USED_EXIT(skel, open));
	ct_optional_tracepoint(USED_EXIT(skel, creat));
	ct_optional_tracepoint(USED_EXIT(skel, openat2));
	bpf_map__set_autocreate(skel->maps.starts, false);
	skel->rodata->args_in_regs = true;
	ct_attach_method("opens", "tracepoints syscalls:sys_exit_open, openat,"
			 " openat2, creat (those that exist), arguments "
			 "from the registers");
}

static void use_tracepoint_pairs(struct opensnoop_bpf *skel)
{
	__typeof__(skel->progs) *p = &skel->progs;

	optional_pair(p->handle_enter_open, USED_EXIT(skel, open));
	optional_pair(p->handle_enter_creat, USED_EXIT(skel, creat));
	optional_pair(p->handle_enter_openat2, USED_EXIT(skel, openat2));
	ct_attach_method("opens", "tracepoints syscalls:sys_enter/exit_open,"
			 " openat, openat2, creat (those that exist)");
}

/*
 * fexit when this kernel can; else the exit tracepoints, which read the
 * arguments as fexit does; else pairs of tracepoints with a map between.
 */
static void choose_method(struct opensnoop_bpf *skel)
{
	const char *why = no_fexit_reason(skel);

	if (!why) {
		use_fexit(skel);
		return;
	}
	ct_verbose("opens: no fexit: %s", why);
	bpf_program__set_autoload(skel->progs.fexit_open, false);
	drop_unused_exits(skel);
	why = no_regs_reason();
	if (!why) {
		use_exit_tracepoints(skel);
		return;
	}
	ct_verbose("opens: not from the registers: %s", why);
	use_tracepoint_pairs(skel);
}

static int configure(struct opensnoop_bpf *skel)
{
	struct opensnoop_bpf__rodata *ro = skel->rodata;

	ro->failed_only = opt.failed;
	ro->full_path = opt.full_path;
	memcpy((char *)ro->name_filter, opt.name, sizeof(opt.name));
	ro->name_filter_len = opt.name_len;
	ro->nr_flag_filters = opt.nr_flags;
	memcpy((void *)ro->flag_mask, opt.flag_mask, sizeof(opt.flag_mask));
	memcpy((void *)ro->flag_value, opt.flag_value,
	       sizeof(opt.flag_value));
	ro->creat_flags = O_CREAT | O_WRONLY | O_TRUNC;
	configure_contains(skel);
	choose_method(skel);
	if (opt.buffer_pages &&
	    ct_set_buffer_bytes(skel->obj,
				opt.buffer_pages * sysconf(_SC_PAGESIZE))) {
		ct_warn("cannot size the event buffer");
		return CT_EXIT_ERROR;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opensnoop_bpf *skel;
	int err;

	ct_parse_args(&tool, argc, argv);
	err = ct_setup();
	if (err)
		return err;
	skel = CT_OPEN(opensnoop_bpf);
	if (!skel) {
		ct_warn("cannot open the BPF object");
		return CT_EXIT_ERROR;
	}
	err = configure(skel);
	if (!err)
		err = ct_load_and_attach(skel->skeleton);
	if (!err) {
		if (!ct_env.json)
			print_header();
		err = ct_consume_events(skel->obj, handle_event, NULL);
	}
	opensnoop_bpf__destroy(skel);
	return err;
}
