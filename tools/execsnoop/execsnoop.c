// SPDX-License-Identifier: GPL-2.0
/* execsnoop: trace every exec() system-wide. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "escape.h"
#include "json.h"
#include "output.h"
#include "tool.h"
#include "tp_attach.h"
#include "execsnoop.h"
#include "execsnoop_decode.h"
#include "execsnoop.skel.h"

static struct {
	bool time;		/* -T */
	bool timestamp;		/* -t */
	bool fails;		/* -x */
	bool print_uid;		/* -U */
	bool quote;		/* -q */
	bool errno_names;	/* --errno-names */
	bool interp;		/* -i */
	char name[EXEC_COMM_LEN];	/* -n */
	size_t name_len;
	const char *line;	/* -l */
	pid_t ppid;		/* --ppid */
	int max_args;		/* --max-args */
} opt = { .max_args = 20 };

enum { OPT_PPID = 0x100, OPT_MAX_ARGS, OPT_ERRNO_NAMES };

static const struct argp_option options[] = {
	{ "time", 'T', NULL, 0, "Include a time column (HH:MM:SS)", 0 },
	{ "timestamp", 't', NULL, 0, "Include seconds since start", 0 },
	{ "fails", 'x', NULL, 0, "Include failed execs", 0 },
	{ "uid", 'u', "USER", 0, "Only execs by this user (name or uid)", 0 },
	{ "print-uid", 'U', NULL, 0, "Include a UID column", 0 },
	{ "quote", 'q', NULL, 0, "Quote each argument", 0 },
	{ "name", 'n', "NAME", 0, "Only commands whose name contains NAME", 0 },
	{ "line", 'l', "TEXT", 0, "Only commands whose arguments contain TEXT",
	  0 },
	{ "pid", 'p', "PID", 0, "Only execs by this process", 0 },
	{ "ppid", OPT_PPID, "PPID", 0, "Only execs by children of PPID", 0 },
	{ "cgroup", 'c', "PATH", 0, "Only execs in this cgroup v2 directory",
	  0 },
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
	case 'T':
		opt.time = true;
		break;
	case 't':
		opt.timestamp = true;
		break;
	case 'x':
		opt.fails = true;
		break;
	case 'u':
		ct_env.filter.uid = ct_parse_user("-u/--uid", arg);
		break;
	case 'U':
		opt.print_uid = true;
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
	case 'p':
		ct_env.filter.tgid = ct_parse_pid("-p/--pid", arg);
		break;
	case OPT_PPID:
		opt.ppid = ct_parse_pid("--ppid", arg);
		break;
	case 'c':
		ct_env.cgroup_fd = ct_parse_cgroup("-c/--cgroup", arg);
		break;
	case OPT_MAX_ARGS:
		opt.max_args = ct_parse_long("--max-args", arg, 1,
					     EXEC_MAX_ARGS);
		break;
	case OPT_ERRNO_NAMES:
		opt.errno_names = true;
		break;
	case 'i':
		opt.interp = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

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
};

/* Room for "/dev/fd/-2147483648/" in front of a relative name. */
#define FD_PREFIX_BYTES 24
#define INTERP_WIDTH 16

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

/* Width of a word as print_word() shows it, spaces escaped if spaces. */
static size_t word_width(const char *s, size_t len, unsigned int flags)
{
	if (opt.quote)
		return ct_escape(NULL, 0, s, len, CT_ESC_QUOTE) + 2;
	return ct_escape(NULL, 0, s, len, flags);
}

static void print_word_flags(const char *s, size_t len, unsigned int flags)
{
	if (!opt.quote) {
		ct_fput_escaped(stdout, s, len, flags);
		return;
	}
	putchar('"');
	ct_fput_escaped(stdout, s, len, CT_ESC_QUOTE);
	putchar('"');
}

static void print_word(const char *s, size_t len)
{
	print_word_flags(s, len, 0);
}

/*
 * INTERP is one field, "-" for none: the words joined by commas, with
 * spaces in them escaped (or each word quoted with -q).
 */
static void print_interp(const struct argv_view *v)
{
	size_t width = 0;

	if (!v->interp_count) {
		printf("%-*s ", INTERP_WIDTH, "-");
		return;
	}
	for (int i = 0; i < v->interp_count; i++) {
		if (i)
			putchar(',');
		print_word_flags(v->interp[i], v->interp_len[i],
				 CT_ESC_SPACE);
		width += (i > 0) + word_width(v->interp[i], v->interp_len[i],
					      CT_ESC_SPACE);
	}
	printf("%*s ", width < INTERP_WIDTH ? (int)(INTERP_WIDTH - width) : 0,
	       "");
}

/* Width of RET with --errno-names: the longest name there is. */
static int ret_width(void)
{
	static int width;

	if (!opt.errno_names)
		return 3;
	if (width)
		return width;
	width = 3;
	for (int err = 1; err < 4096; err++) {
		const char *name = ct_errno_name(err);

		if (name && (int)strlen(name) > width)
			width = strlen(name);
	}
	return width;
}

static void print_header(void)
{
	if (opt.time)
		printf("%-8s ", "TIME");
	if (opt.timestamp)
		printf("%-8s ", "TIME(s)");
	if (opt.print_uid)
		printf("%-5s ", "UID");
	printf("%-16s %-7s %-7s %*s ", "PCOMM", "PID", "PPID", ret_width(),
	       "RET");
	if (opt.interp)
		printf("%-*s ", INTERP_WIDTH, "INTERP");
	printf("ARGS\n");
}

static void print_ret(int ret)
{
	const char *name = ct_errno_name(ret);

	if (opt.errno_names && ret && name)
		printf("%*s ", ret_width(), name);
	else
		printf("%*d ", ret_width(), ret);
}

/*
 * ARGS shows the file that was executed in place of argv[0]; a cut file
 * name ends in "..." at once, cut arguments in a separate " ...".
 */
static void print_text(const struct exec_event *e, const struct argv_view *v,
		       const struct shown_name *n)
{
	char buf[16];

	if (opt.time)
		printf("%-8s ", ct_fmt_hms(buf, sizeof(buf), e->ts));
	if (opt.timestamp)
		printf("%-8.3f ", ct_secs_since_start(e->ts));
	if (opt.print_uid)
		printf("%-5u ", e->uid);
	ct_fput_escaped(stdout, e->comm, strnlen(e->comm, EXEC_COMM_LEN), 0);
	printf("%*s %-7u %-7u ",
	       (int)(16 - strnlen(e->comm, EXEC_COMM_LEN)), "", e->pid,
	       e->ppid);
	print_ret(e->ret);
	if (opt.interp)
		print_interp(v);
	print_word(n->buf, n->len);
	if (n->truncated)
		fputs("...", stdout);
	for (int i = 1; i < v->count; i++) {
		putchar(' ');
		print_word(v->arg[i], v->len[i]);
	}
	if (v->truncated)
		fputs(" ...", stdout);
	putchar('\n');
}

static void json_words(struct ct_json *j, const char *key,
		       const char *const *word, const size_t *len, int n)
{
	ct_json_array(j, key);
	for (int i = 0; i < n; i++)
		ct_json_strn(j, NULL, word[i], len[i]);
	ct_json_close(j);
}

static void print_json(const struct exec_event *e, const struct argv_view *v,
		       const struct shown_name *n)
{
	struct ct_json j;
	char buf[40];

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf), e->ts));
	ct_json_uint(&j, "uid", e->uid);
	ct_json_str(&j, "user", ct_user_name(e->uid));
	ct_json_strn(&j, "comm", e->comm, strnlen(e->comm, EXEC_COMM_LEN));
	ct_json_uint(&j, "pid", e->pid);
	ct_json_uint(&j, "ppid", e->ppid);
	ct_json_int(&j, "err", -e->ret);
	ct_json_str(&j, "errno", e->ret ? ct_errno_name(e->ret) : NULL);
	ct_json_strn(&j, "filename", n->buf, n->len);
	ct_json_bool(&j, "filename_truncated", n->truncated);
	json_words(&j, "args", v->arg, v->len, v->count);
	ct_json_bool(&j, "args_truncated", v->truncated);
	if (v->interp_count)
		json_words(&j, "interpreter", v->interp, v->interp_len,
			   v->interp_count);
	else
		ct_json_null(&j, "interpreter");
	ct_json_end(&j);
}

static int handle_event(void *ctx, const void *data, size_t size)
{
	const struct exec_event *e = data;
	struct shown_name n;
	struct argv_view v;

	(void)ctx;
	if (!exec_event_whole(e, size))
		return 0;
	exec_split_argv(e, opt.max_args, &v);
	shown_name(e, &n);
	if (opt.line && !line_matches(&n, &v))
		return 0;
	if (ct_env.json)
		print_json(e, &v, &n);
	else
		print_text(e, &v, &n);
	return 0;
}

static void configure(struct execsnoop_bpf *skel)
{
	struct bpf_program *fails[] = {
		skel->progs.handle_enter_execve,
		skel->progs.handle_exit_execve,
		skel->progs.handle_enter_execveat,
		skel->progs.handle_exit_execveat,
	};

	skel->rodata->trace_failures = opt.fails;
	skel->rodata->target_ppid = opt.ppid;
	memcpy((char *)skel->rodata->name_filter, opt.name, sizeof(opt.name));
	skel->rodata->name_filter_len = opt.name_len;
	skel->rodata->max_args = opt.max_args;
	if (ct_select_tp(skel->obj, "exec", "sched_process_exec") ==
	    CT_TP_PLAIN)
		ct_verbose("exec: the plain tracepoint cannot tell scripts: "
			   "their argv shows the interpreter's words");
	/* ct_select_tp() chose among all tracepoints: choose these again. */
	for (size_t i = 0; i < sizeof(fails) / sizeof(fails[0]); i++)
		bpf_program__set_autoload(fails[i], opt.fails);
	if (!opt.fails)
		return;
	ct_attach_method("failed exec", "tracepoints syscalls:sys_*_execve*");
	/* execveat appeared in 3.19; some architectures lack it. */
	ct_optional_tracepoint(skel->progs.handle_enter_execveat);
	ct_optional_tracepoint(skel->progs.handle_exit_execveat);
}

int main(int argc, char **argv)
{
	struct execsnoop_bpf *skel;
	int err;

	ct_parse_args(&tool, argc, argv);
	err = ct_setup();
	if (err)
		return err;
	skel = CT_OPEN(execsnoop_bpf);
	if (!skel) {
		ct_warn("cannot open the BPF object");
		return CT_EXIT_ERROR;
	}
	configure(skel);
	err = ct_load_and_attach(skel->skeleton);
	if (!err) {
		if (!ct_env.json)
			print_header();
		err = ct_consume_events(skel->obj, handle_event, NULL);
	}
	execsnoop_bpf__destroy(skel);
	return err;
}
