// SPDX-License-Identifier: GPL-2.0
/* execsnoop: trace every exec() system-wide. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "escape.h"
#include "json.h"
#include "output.h"
#include "tool.h"
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
		"  execsnoop --ppid 1234     # children of process 1234\n"
		"  execsnoop -c /sys/fs/cgroup/unified/system.slice\n"
		"  execsnoop --json -d 10    # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
};

static bool args_contain(const struct argv_view *v, const char *text)
{
	for (int i = 0; i < v->count; i++)
		if (memmem(v->arg[i], v->len[i], text, strlen(text)))
			return true;
	return false;
}

static void print_word(const char *s, size_t len)
{
	if (!opt.quote) {
		ct_fput_escaped(stdout, s, len, 0);
		return;
	}
	putchar('"');
	ct_fput_escaped(stdout, s, len, CT_ESC_QUOTE);
	putchar('"');
}

static void print_header(void)
{
	if (opt.time)
		printf("%-8s ", "TIME");
	if (opt.timestamp)
		printf("%-8s ", "TIME(s)");
	if (opt.print_uid)
		printf("%-5s ", "UID");
	printf("%-16s %-7s %-7s %3s %s\n", "PCOMM", "PID", "PPID", "RET",
	       "ARGS");
}

/* ARGS shows the path that was executed in place of argv[0]. */
static void print_text(const struct exec_event *e, const struct argv_view *v)
{
	const char *err = ct_errno_name(e->ret);
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
	if (opt.errno_names && e->ret && err)
		printf("%3s ", err);
	else
		printf("%3d ", e->ret);
	print_word(e->data + e->args_len, strnlen(e->data + e->args_len,
						  e->filename_len));
	for (int i = 1; i < v->count; i++) {
		putchar(' ');
		print_word(v->arg[i], v->len[i]);
	}
	if (v->truncated || (e->flags & EXEC_FILENAME_TRUNCATED))
		fputs(" ...", stdout);
	putchar('\n');
}

static void print_json(const struct exec_event *e, const struct argv_view *v)
{
	const char *filename = e->data + e->args_len;
	struct ct_json j;
	char buf[40];

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf), e->ts));
	ct_json_uint(&j, "uid", e->uid);
	ct_json_str(&j, "user", ct_user_name(e->uid));
	ct_json_strn(&j, "comm", e->comm, strnlen(e->comm, EXEC_COMM_LEN));
	ct_json_uint(&j, "pid", e->pid);
	ct_json_uint(&j, "ppid", e->ppid);
	ct_json_int(&j, "ret", e->ret);
	ct_json_str(&j, "errno", e->ret ? ct_errno_name(e->ret) : NULL);
	ct_json_strn(&j, "filename", filename,
		     strnlen(filename, e->filename_len));
	ct_json_array(&j, "args");
	for (int i = 0; i < v->count; i++)
		ct_json_strn(&j, NULL, v->arg[i], v->len[i]);
	ct_json_close(&j);
	ct_json_bool(&j, "truncated",
		     v->truncated || (e->flags & EXEC_FILENAME_TRUNCATED));
	ct_json_end(&j);
}

static int handle_event(void *ctx, const void *data, size_t size)
{
	const struct exec_event *e = data;
	struct argv_view v;

	(void)ctx;
	if (!exec_event_whole(e, size))
		return 0;
	exec_split_argv(e, opt.max_args, &v);
	if (opt.line && !args_contain(&v, opt.line))
		return 0;
	if (ct_env.json)
		print_json(e, &v);
	else
		print_text(e, &v);
	return 0;
}

static void configure(struct execsnoop_bpf *skel)
{
	skel->rodata->trace_failures = opt.fails;
	skel->rodata->target_ppid = opt.ppid;
	memcpy((char *)skel->rodata->name_filter, opt.name, sizeof(opt.name));
	skel->rodata->name_filter_len = opt.name_len;
	skel->rodata->max_args = opt.max_args;
	ct_attach_method("exec", "tracepoint sched:sched_process_exec");
	if (!opt.fails) {
		bpf_program__set_autoload(skel->progs.handle_enter_execve, false);
		bpf_program__set_autoload(skel->progs.handle_exit_execve, false);
		bpf_program__set_autoload(skel->progs.handle_enter_execveat,
					  false);
		bpf_program__set_autoload(skel->progs.handle_exit_execveat,
					  false);
		return;
	}
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
