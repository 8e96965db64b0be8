// SPDX-License-Identifier: GPL-2.0
/* execsnoop: trace every exec() system-wide. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "escape.h"
#include "feature_probe.h"
#include "tool.h"
#include "tp_attach.h"
#include "execsnoop.h"
#include "execsnoop_decode.h"
#include "execsnoop.skel.h"

static struct {
	bool fails;		/* -x */
	bool quote;		/* -q */
	char name[EXEC_COMM_LEN];	/* -n */
	size_t name_len;
	const char *line;	/* -l */
	pid_t ppid;		/* --ppid */
	int max_args;		/* --max-args */
} opt = { .max_args = 20 };

enum { OPT_PPID = 0x100, OPT_MAX_ARGS, OPT_ERRNO_NAMES };

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	{ "fails", 'x', NULL, 0, "Include failed execs", 0 },
	CT_OPT_UID("Only execs by this user"),
	CT_OPT_PRINT_UID,
	{ "quote", 'q', NULL, 0, "Quote each argument", 0 },
	{ "name", 'n', "NAME", 0, "Only commands whose name contains NAME", 0 },
	{ "line", 'l', "TEXT", 0, "Only commands whose arguments contain TEXT",
	  0 },
	CT_OPT_PID("Only execs by this process"),
	{ "ppid", OPT_PPID, "PPID", 0, "Only execs by children of PPID", 0 },
	CT_OPT_CGROUP("Only execs in this cgroup v2 directory"),
	{ "max-args", OPT_MAX_ARGS, "N", 0,
	  "Show at most N arguments (default 20)", 0 },
	{ "errno-names", OPT_ERRNO_NAMES, NULL, 0,
	  "Show RET of failed execs as a name (ENOENT)", 0 },
	{ "interpreter", 'i', NULL, 0,
	  "Include an INTERP column: a script's interpreter", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'x':
		opt.fails = true;
		break;
	case 'q':
		opt.quote = true;
		break;
	case 'n':
		opt.name_len = ct_parse_string("-n/--name", arg, opt.name,
					       sizeof(opt.name));
		break;
	case 'l':
		if (!*arg)
			ct_usage_error("-l/--line: empty string");
		opt.line = arg;
		break;
	case OPT_PPID:
		opt.ppid = ct_parse_pid("--ppid", arg);
		break;
	case OPT_MAX_ARGS:
		opt.max_args = ct_parse_long("--max-args", arg, 1,
					     EXEC_MAX_ARGS);
		break;
	case OPT_ERRNO_NAMES:
		ct_fields_flag("err", CT_COL_NAMES);
		break;
	case 'i':
		ct_fields_add("interpreter");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}


/* Room for "/dev/fd/-2147483648/" in front of a relative name. */
#define FD_PREFIX_BYTES 24

/* The file that was executed, as ARGS and "filename" show it. */
struct shown_name {
	char buf[FD_PREFIX_BYTES + EXEC_FILENAME_BYTES];
	size_t len;
	bool truncated;
};

/*
 * A failed execveat() names its file relative to a directory fd, or by the
 * fd alone (fexecve): show it as the kernel names a successful one, with
 * "/dev/fd/N" in front.
 */
static void shown_name(const struct exec_event *e, struct shown_name *n)
{
	size_t len, pre = 0;
	const char *f = exec_filename(e, &len);
	bool empty_path = e->flags & EXEC_EMPTY_PATH;

	if (e->dirfd != EXEC_AT_FDCWD && (len ? f[0] != '/' : empty_path))
		pre = snprintf(n->buf, FD_PREFIX_BYTES,
			       len ? "/dev/fd/%d/" : "/dev/fd/%d", e->dirfd);
	memcpy(n->buf + pre, f, len);
	n->len = pre + len;
	n->truncated = e->flags & EXEC_FILENAME_TRUNCATED;
}

static bool contains(const char *s, size_t len, const char *text)
{
	return memmem(s, len, text, strlen(text)) != NULL;
}

/* -l looks at what ARGS shows: the file name, then argv from argv[1]. */
static bool line_matches(const struct shown_name *n,
			 const struct argv_view *v)
{
	if (contains(n->buf, n->len, opt.line))
		return true;
	for (int i = 1; i < v->count; i++)
		if (contains(v->arg[i], v->len[i], opt.line))
			return true;
	return false;
}

/* A word escaped (spaces too with CT_ESC_SPACE), or quoted; its bytes. */
static size_t print_word_flags(struct ct_buf *b, const char *s, size_t len,
			       unsigned int flags)
{
	size_t n;

	if (!opt.quote)
		return ct_buf_escaped(b, s, len, flags);
	ct_buf_putc(b, '"');
	n = ct_buf_escaped(b, s, len, CT_ESC_QUOTE);
	ct_buf_putc(b, '"');
	return n + 2;
}

static void print_word(struct ct_buf *b, const char *s, size_t len)
{
	print_word_flags(b, s, len, 0);
}

/* One exec as its columns see it. */
struct exec_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	__u32 ppid;
	int err;
	struct ct_str comm;
	struct ct_str filename;
	bool filename_truncated;
	bool args_truncated;
	struct ct_strs args;
	struct ct_strs interpreter;
	struct ct_strs cmdline;
	const char *cmd[EXEC_MAX_ARGS];	/* filename, then argv[1]... */
	size_t cmd_len[EXEC_MAX_ARGS];
	const struct argv_view *v;
	const struct shown_name *n;
};

/*
 * INTERP is one field, "-" for none: the words joined by commas, with
 * spaces in them escaped (or each word quoted with -q).
 */
static size_t text_interp(struct ct_buf *b, const void *row)
{
	const struct argv_view *v = ((const struct exec_row *)row)->v;
	size_t width = 0;

	if (!v->interp_count)
		return ct_buf_puts(b, "-");
	for (int i = 0; i < v->interp_count; i++) {
		if (i)
			ct_buf_putc(b, ',');
		width += (i > 0) + print_word_flags(b, v->interp[i],
						    v->interp_len[i],
						    CT_ESC_SPACE);
	}
	return width;
}

/*
 * ARGS shows the file that was executed in place of argv[0]; a cut file
 * name ends in "..." at once, cut arguments in a separate " ...".
 */
static size_t text_cmdline(struct ct_buf *b, const void *row)
{
	const struct exec_row *r = row;

	print_word(b, r->n->buf, r->n->len);
	if (r->n->truncated)
		ct_buf_puts(b, "...");
	for (int i = 1; i < r->v->count; i++) {
		ct_buf_putc(b, ' ');
		print_word(b, r->v->arg[i], r->v->len[i]);
	}
	if (r->v->truncated)
		ct_buf_puts(b, " ...");
	return 0;
}

#define COL(field) CT_AT(struct exec_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct exec_row, ts),
	CT_COLUMN_ELAPSED(struct exec_row, ts),
	CT_COLUMN_UID(struct exec_row, uid),
	CT_COLUMN_USER(struct exec_row, uid),
	{ "comm", "PCOMM", "the new program's command name", -16, CT_COL_STR,
	  COL(comm), NULL },
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "ppid", "PPID", "parent's process ID", -7, CT_COL_UINT, COL(ppid),
	  NULL },
	{ "err", "RET", "a failed exec's error number, else 0 (text: -N)", 3,
	  CT_COL_ERR, COL(err), NULL },
	{ "errno", "ERRNO", "the name of err", -15, CT_COL_ERRNO, COL(err), NULL },
	{ "filename", "FILENAME", "the file executed", -16, CT_COL_STR,
	  COL(filename), NULL },
	{ "filename_truncated", "FTRUNC", "filename was cut", -6, CT_COL_BOOL,
	  COL(filename_truncated), NULL },
	{ "args", "ARGV", "argv, from argv[0]", -16, CT_COL_STRS, COL(args),
	  NULL },
	{ "args_truncated", "ATRUNC", "argv was cut", -6, CT_COL_BOOL,
	  COL(args_truncated), NULL },
	{ "interpreter", "INTERP", "a script's interpreter words (-i)", -16,
	  CT_COL_STRS, COL(interpreter), text_interp },
	{ "cmdline", "ARGS", "filename then argv[1]... (text: cut marked ...)",
	  0, CT_COL_STRS, COL(cmdline), text_cmdline },
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "comm,pid,ppid,err,cmdline",
	.data = "time,uid,user,comm,pid,ppid,err,errno,filename,"
		"filename_truncated,args,args_truncated,interpreter",
};

static void fill_row(struct exec_row *r, const struct exec_event *e,
		     const struct argv_view *v, const struct shown_name *n)
{
	int words = v->count ? v->count : 1;

	r->ts = e->ts;
	r->uid = e->uid;
	r->pid = e->pid;
	r->ppid = e->ppid;
	r->err = -e->ret;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm, EXEC_COMM_LEN) };
	r->filename = (struct ct_str){ n->buf, n->len };
	r->filename_truncated = n->truncated;
	r->args_truncated = v->truncated;
	r->args = (struct ct_strs){ v->arg, v->len, v->count };
	r->interpreter = (struct ct_strs){ v->interp_count ? v->interp : NULL,
					   v->interp_len, v->interp_count };
	memcpy(r->cmd, v->arg, words * sizeof(r->cmd[0]));
	memcpy(r->cmd_len, v->len, words * sizeof(r->cmd_len[0]));
	r->cmd[0] = n->buf;
	r->cmd_len[0] = n->len;
	r->cmdline = (struct ct_strs){ r->cmd, r->cmd_len, words };
	r->v = v;
	r->n = n;
}

static int handle_event(void *ctx, const void *data, size_t size)
{
	const struct exec_event *e = data;
	struct shown_name n;
	struct argv_view v;
	struct exec_row r;

	(void)ctx;
	if (!exec_event_whole(e, size))
		return 0;
	exec_split_argv(e, opt.max_args, &v);
	shown_name(e, &n);
	if (opt.line && !line_matches(&n, &v))
		return 0;
	fill_row(&r, e, &v, &n);
	ct_fields_print(&r);
	return 0;
}

/*
 * A failed exec's argv is read pointer by pointer: with bpf_loop() (5.17+)
 * the verifier walks one step, not each of 129, and the exit programs
 * load in a fraction of the time. CT_NO_BPF_LOOP=1 forces the loop.
 */
static bool use_bpf_loop(void)
{
	const char *why = ct_no_bpf_loop("CT_NO_BPF_LOOP");

	if (why) {
		ct_verbose("failed exec: argv read in a bounded loop: %s", why);
		return false;
	}
	ct_verbose("failed exec: argv read with bpf_loop()");
	return true;
}

static int configure(void *s)
{
	struct execsnoop_bpf *skel = s;
	struct bpf_program *enter[] = {
		skel->progs.handle_enter_execve,
		skel->progs.handle_enter_execveat,
	};
	/* The exit programs with a bounded loop, then with bpf_loop(). */
	struct bpf_program *exits[2][2] = {
		{ skel->progs.handle_exit_execve,
		  skel->progs.handle_exit_execveat },
		{ skel->progs.loop_exit_execve,
		  skel->progs.loop_exit_execveat },
	};
	bool loop = opt.fails && use_bpf_loop();

	skel->rodata->trace_failures = opt.fails;
	skel->rodata->target_ppid = opt.ppid;
	memcpy((char *)skel->rodata->name_filter, opt.name, sizeof(opt.name));
	skel->rodata->name_filter_len = opt.name_len;
	skel->rodata->max_args = opt.max_args;
	skel->rodata->want_ts = ct_fields_shown("time") ||
				ct_fields_shown("elapsed_ns");
	if (ct_select_tp(skel->obj, "exec", "sched_process_exec") ==
	    CT_TP_PLAIN)
		ct_verbose("exec: the plain tracepoint cannot tell scripts: "
			   "their argv shows the interpreter's words");
	/* ct_select_tp() chose among all tracepoints: choose these again. */
	for (int i = 0; i < 2; i++) {
		bpf_program__set_autoload(enter[i], opt.fails);
		bpf_program__set_autoload(exits[0][i], opt.fails && !loop);
		bpf_program__set_autoload(exits[1][i], loop);
	}
	if (!opt.fails)
		return 0;
	ct_attach_method("failed exec", "tracepoints syscalls:sys_*_execve*");
	/* execveat appeared in 3.19; some architectures lack it. */
	ct_optional_tracepoint(enter[1]);
	ct_optional_tracepoint(exits[loop][1]);
	return 0;
}

CT_SKELETON(execsnoop_bpf);

static const struct ct_tool tool = {
	.name = "execsnoop",
	.summary = "Trace exec() system-wide: one line per new program.",
	.examples =
		"  execsnoop                 # trace all successful execs\n"
		"  execsnoop -x              # include failed execs\n"
		"  execsnoop -Uu root -T     # execs by root, with time and uid\n"
		"  execsnoop -n ssh          # commands whose name contains ssh\n"
		"  execsnoop -l --force      # arguments containing --force\n"
		"  execsnoop -i              # with scripts' interpreters\n"
		"  execsnoop --ppid 1234     # children of process 1234\n"
		"  execsnoop -c /sys/fs/cgroup/unified/system.slice\n"
		"  execsnoop --json -d 10    # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &execsnoop_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
