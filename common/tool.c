// SPDX-License-Identifier: GPL-2.0
/* Command line, messages and privileges: the parts every tool starts with. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "args.h"
#include "columns.h"
#include "escape.h"
#include "feature_probe.h"
#include "journal.h"
#include "output.h"
#include "prom.h"
#include "tool.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

struct ct_env ct_env = {
	.filter = { .uid = CT_ANY_UID },
	.cgroup_fd = -1,
	.prom_interval = CT_PROM_DEFAULT_INTERVAL,
};

static const char *tool_name = "coretrace";
static const struct ct_tool *current;

enum {
	OPT_JSON = 0x1000,
	OPT_PROM,
	OPT_PROM_INSTANCE,
	OPT_PROM_INTERVAL,
	OPT_JOURNAL,
};

static const struct argp_option common_options[] = {
	{ "duration", 'd', "SECONDS", 0,
	  "Stop after SECONDS (also 1.5, 2m, 1h)", 0 },
	{ "json", OPT_JSON, NULL, 0, "Print one JSON object per line", 0 },
	{ "verbose", 'v', NULL, 0,
	  "Say which attach methods were chosen, and libbpf's warnings; "
	  "-vv: libbpf's debug output too", 0 },
	{ "prom-textfile", OPT_PROM, "DIR", OPTION_ARG_OPTIONAL,
	  "Write metrics for node_exporter's textfile collector into DIR "
	  "(default " CT_PROM_DEFAULT_DIR "); aggregating tools then print "
	  "nothing", 0 },
	{ "prom-instance", OPT_PROM_INSTANCE, "NAME", 0,
	  "With --prom-textfile: this run's name, in the file name and the "
	  "label run", 0 },
	{ "prom-interval", OPT_PROM_INTERVAL, "SECONDS", 0,
	  "With --prom-textfile: rewrite the file every SECONDS (default 15)",
	  0 },
	/* -h as well as argp's own -? and --help, listed once. */
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show this help", 0 },
	{},
};

static const struct argp_option event_options[] = {
	{ "journal", OPT_JOURNAL, NULL, 0,
	  "Send each event to journald, not to stdout (there too with --json "
	  "or --csv)", 0 },
	{},
};

/* A run's name is in a file name and a label: keep it plain. */
static const char *parse_instance(const char *arg)
{
	size_t n = strspn(arg, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

	if (!*arg || arg[n] || n > 64 || *arg == '.')
		ct_usage_error("--prom-instance: '%s' is not a name "
			       "(A-Z a-z 0-9 _ . -, at most 64)", arg);
	return arg;
}

/* Checks of the fleet options, once all are parsed. */
static void fleet_checks(void)
{
	if (!ct_env.prom_dir && (ct_env.prom_instance ||
				 ct_env.prom_interval !=
					 CT_PROM_DEFAULT_INTERVAL))
		ct_usage_error("--prom-instance and --prom-interval: need "
			       "--prom-textfile");
	if (ct_env.prom_dir && !current->on_event &&
	    (ct_env.interval || ct_env.count))
		ct_usage_error("--prom-textfile: the interval is "
			       "--prom-interval; no count (runs until "
			       "stopped)");
	if (ct_env.prom_dir && !current->on_event && !current->hists &&
	    !current->prom)
		ct_usage_error("--prom-textfile: this tool has no metrics yet");
	if (ct_env.prom_dir && !current->on_event &&
	    (ct_env.json || ct_env.csv))
		ct_usage_error("--prom-textfile: not with --json or --csv");
}

static error_t parse_common(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_PROM:
		ct_env.prom_dir = arg && *arg ? arg : CT_PROM_DEFAULT_DIR;
		break;
	case OPT_PROM_INSTANCE:
		ct_env.prom_instance = parse_instance(arg);
		break;
	case OPT_PROM_INTERVAL:
		ct_env.prom_interval = ct_parse_duration("--prom-interval",
							 arg);
		break;
	case ARGP_KEY_END:
		fleet_checks();
		return ARGP_ERR_UNKNOWN;
	case 'd':
		ct_env.duration = ct_parse_duration("-d/--duration", arg);
		break;
	case OPT_JSON:
		ct_env.json = true;
		break;
	case 'v':
		ct_env.verbose++;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_ARG:
		/* Reached only when the tool takes no such argument. */
		if (current->intervals && state->arg_num == 0)
			ct_env.interval = ct_parse_duration("interval", arg);
		else if (current->intervals && state->arg_num == 1)
			ct_env.count = ct_parse_long("count", arg, 1, LONG_MAX);
		else
			ct_usage_error("unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_INIT:
		/*
		 * A usage error is one line: getopt's message already names
		 * the option, so argp's "Try --help" line is not printed.
		 */
		state->err_stream = NULL;
		return ARGP_ERR_UNKNOWN;
	case ARGP_KEY_ERROR:
		/* Without err_stream, argp no longer exits by itself. */
		exit(CT_EXIT_USAGE);
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static error_t parse_event(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	(void)state;
	if (key != OPT_JOURNAL)
		return ARGP_ERR_UNKNOWN;
	ct_env.journal = true;
	return 0;
}

static const struct argp_option *tool_option(int key)
{
	const struct argp_option *o = current->options;

	for (; o && (o->name || o->key || o->doc); o++)
		if (o->key == key && o->name)
			return o;
	return NULL;
}

/* The CT_OPT_* options of tool.h, by long name. */
static error_t parse_shared(int key, char *arg)
{
	const struct argp_option *o = tool_option(key);
	char opt[64];

	if (!o)
		return ARGP_ERR_UNKNOWN;
	if (key > ' ' && key < 127)
		snprintf(opt, sizeof(opt), "-%c/--%s", key, o->name);
	else
		snprintf(opt, sizeof(opt), "--%s", o->name);
	if (!strcmp(o->name, "time"))
		ct_fields_add("time");
	else if (!strcmp(o->name, "timestamp"))
		ct_fields_add("elapsed_ns");
	else if (!strcmp(o->name, "print-uid"))
		ct_fields_add("uid");
	else if (!strcmp(o->name, "pid"))
		ct_env.filter.tgid = ct_parse_pid(opt, arg);
	else if (!strcmp(o->name, "uid"))
		ct_env.filter.uid = ct_parse_user(opt, arg);
	else if (!strcmp(o->name, "cgroup"))
		ct_env.cgroup_fd = ct_parse_cgroup(opt, arg);
	else
		return ARGP_ERR_UNKNOWN;
	return 0;
}

static error_t parse_tool(int key, char *arg, struct argp_state *state)
{
	error_t err = ARGP_ERR_UNKNOWN;

	if (current->parser)
		err = current->parser(key, arg, state);
	return err == ARGP_ERR_UNKNOWN ? parse_shared(key, arg) : err;
}

static const struct argp common_argp = {
	.options = common_options,
	.parser = parse_common,
};

void ct_parse_args(const struct ct_tool *tool, int argc, char **argv)
{
	static char version[128];
	static char doc[4096];
	static const struct argp event_argp = {
		.options = event_options,
		.parser = parse_event,
	};
	struct argp_child children[4] = {
		{ &common_argp, 0, "Common options:", 0 },
	};
	int nchild = 1;

	if (tool->on_event && !tool->report)
		children[nchild++] = (struct argp_child){
			&event_argp, 0, "Event output:", 0 };
	if (tool->fields)
		children[nchild++] = (struct argp_child){
			&ct_fields_argp, 0, "Output fields:", 0 };
	const struct argp argp = {
		.options = tool->options,
		.parser = parse_tool,
		.args_doc = tool->intervals ? "[INTERVAL [COUNT]]" :
					      tool->args_doc,
		.doc = doc,
		.children = children,
	};

	tool_name = tool->name;
	current = tool;
	/*
	 * A closed stdout would be the next fd opened (-c's cgroup, a BPF
	 * map...), and the output would go there.
	 */
	if (fcntl(STDOUT_FILENO, F_GETFD) < 0 && errno == EBADF) {
		ct_warn("standard output is closed");
		exit(CT_EXIT_ERROR);
	}
	snprintf(version, sizeof(version), "%s (coretrace) %s", tool->name,
		 CT_VERSION);
	argp_program_version = version;
	snprintf(doc, sizeof(doc), "%s\v%s%s", tool->summary,
		 tool->examples ? "EXAMPLES:\n" : "",
		 tool->examples ? tool->examples : "");
	argp_err_exit_status = CT_EXIT_USAGE;
	/* argp and getopt name the program after argv[0] in their errors. */
	if (argc > 0)
		argv[0] = (char *)tool->name;
	if (tool->fields)
		ct_fields_init(tool->fields);
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	ct_fields_finish();
}

const char *ct_tool_name(void)
{
	return tool_name;
}

static void vmessage(const char *fmt, va_list ap)
{
	char *msg;
	int len = vasprintf(&msg, fmt, ap);

	fprintf(stderr, "%s: ", tool_name);
	/* Values echoed in a message may hold newlines or ESC: one line. */
	if (len >= 0) {
		ct_fput_escaped(stderr, msg, len, 0);
		free(msg);
	}
	fputc('\n', stderr);
}

void ct_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void ct_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!ct_env.verbose)
		return;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void ct_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(CT_EXIT_USAGE);
}

void ct_attach_method(const char *what, const char *method)
{
	ct_prom_attach_method(what, method);
	ct_verbose("%s: using %s", what, method);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* Its debug output runs to a thousand lines per load: -vv. */
	if (!ct_env.verbose || (level != LIBBPF_WARN && ct_env.verbose < 2))
		return 0;
	/*
	 * The build strips the objects' line info (scripts/strip-line-info.c):
	 * libbpf 1.x warns of it for every program, as if it were damage.
	 */
	if (level == LIBBPF_WARN && strstr(fmt, "missing .BTF.ext line info"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static bool has_cap(const struct __user_cap_data_struct data[2], int cap)
{
	return data[cap / 32].effective & (1U << (cap % 32));
}

/* Root by uid is not enough (containers drop capabilities): ask for caps. */
static bool privileged(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	return has_cap(data, CAP_SYS_ADMIN) ||
	       (has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON));
}

int ct_setup(void)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	libbpf_set_print(libbpf_print);
	if (!privileged()) {
		ct_warn("needs root (CAP_BPF and CAP_PERFMON, or "
			"CAP_SYS_ADMIN): try 'sudo %s'", tool_name);
		return CT_EXIT_ERROR;
	}
	/* Kernels since 5.11 charge BPF memory to the cgroup instead. */
	if (setrlimit(RLIMIT_MEMLOCK, &unlimited))
		ct_verbose("RLIMIT_MEMLOCK not raised (%s); fine on 5.11+",
			   strerror(errno));
	ct_time_init();
	ct_signals_init();
	/*
	 * One thread writes stdout: glibc's lock around each fputc and
	 * fwrite on it was a third of --json's cost at high rates.
	 */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	return 0;
}
