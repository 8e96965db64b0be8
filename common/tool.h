/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The life of a coretrace tool, shared by all of them: parse the command
 * line, check privileges and kernel features, load and attach the BPF object,
 * consume its events until told to stop, report lost events, exit.
 *
 * Exit codes: 0 normal end, 1 runtime error, 2 usage error.
 */
#ifndef CT_TOOL_H
#define CT_TOOL_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <bpf/libbpf.h>

#include "btf_cache.h"
#include "filter.h"

enum { CT_EXIT_OK = 0, CT_EXIT_ERROR = 1, CT_EXIT_USAGE = 2 };

/*
 * Handle one event of size bytes from the kernel: return 0 to go on,
 * CT_EVENT_STOP to end normally, or an exit code to end with it.
 */
#define CT_EVENT_STOP (-1)
typedef int (*ct_event_fn)(void *ctx, const void *data, size_t size);

/* A BPF skeleton, whatever its type: CT_SKELETON(execsnoop_bpf). */
struct ct_skel {
	void *(*open)(void);
	struct bpf_object_skeleton *(*skeleton)(void *skel);
	void (*destroy)(void *skel);
};

struct ct_fields;
struct ct_hist_map;

/*
 * Options that mean the same in every tool offering them. A tool lists
 * those it has in its options table, with DOC in its own terms ("Only
 * execs by this process"); the driver parses them when the tool's parser
 * returns ARGP_ERR_UNKNOWN, matching them by long name: a tool that gives
 * a letter another meaning (syscount's -T) handles it itself.
 */
#define CT_OPT_TIME \
	{ "time", 'T', NULL, 0, "Include a time column (HH:MM:SS)", 0 }
#define CT_OPT_TIMESTAMP \
	{ "timestamp", 't', NULL, 0, "Include seconds since start", 0 }
#define CT_OPT_PRINT_UID \
	{ "print-uid", 'U', NULL, 0, "Include a UID column", 0 }
#define CT_OPT_PID(doc) { "pid", 'p', "PID", 0, doc, 0 }
#define CT_OPT_UID(doc) { "uid", 'u', "USER", 0, doc " (name or uid)", 0 }
#define CT_OPT_CGROUP(doc) { "cgroup", 'c', "PATH", 0, doc, 0 }


/*
 * A tool, described: ct_main() runs it. Hooks are optional; skel is the
 * tool's skeleton (struct execsnoop_bpf *).
 */
struct ct_tool {
	const char *name;
	const char *summary;	/* one line: what the tool traces */
	const char *examples;	/* the EXAMPLES block of --help */
	const char *args_doc;	/* positional arguments, or NULL */
	const struct argp_option *options;
	argp_parser_t parser;
	const struct ct_fields *fields;	/* columns: --fields, --csv */
	bool intervals;		/* takes [INTERVAL [COUNT]] (ct_env) */
	const struct ct_skel *skel;
	int (*prepare)(void);		/* before the object is opened */
	int (*configure)(void *skel);	/* before it is loaded */
	int (*attach)(void *skel);	/* after libbpf's: see _own() below */
	ct_event_fn on_event;		/* event tools; ctx is skel */
	struct ct_hist_map *hists;	/* histogram tools: their map */
	int (*print)(void *skel);	/* other aggregating tools */
	/* Their --prom-textfile metrics (prom.h): write to f, 0 or exit. */
	int (*prom)(FILE *f, void *skel);
	const char *banner;		/* aggregating tools' first line */
	/*
	 * Event tools that count what a full map cost them (ct_missed): at
	 * the end, "N <map_full> (a map was full)".
	 */
	const char *map_full;
	void (*finish)(void *skel);	/* after the run */
	/*
	 * An on_event tool whose events are not its output: it prints one
	 * report from finish (profile). No --journal.
	 */
	bool report;
};

/* Options every tool has, set by ct_parse_args(). */
struct ct_env {
	int verbose;		/* -v: attach decisions, libbpf warnings; -vv */
	bool json;		/* --json: one JSON object per line */
	bool csv;		/* --csv (tools with columns) */
	double interval;	/* seconds between printouts, 0: at the end */
	long count;		/* printouts, 0 for no limit */
	double duration;	/* -d: seconds to run, 0 for no limit */
	struct ct_filter filter; /* in-kernel task filter */
	int cgroup_fd;		/* -1, or the cgroup v2 directory to trace */
	const char *prom_dir;	/* --prom-textfile (prom.h), or NULL */
	const char *prom_instance; /* --prom-instance: label run, or NULL */
	double prom_interval;	/* --prom-interval: seconds */
	bool journal;		/* --journal (event tools, journal.h) */
};

extern struct ct_env ct_env;

/* A tool's main(): CT_MAIN(tool); */
#define CT_MAIN(tool)                                                        \
	int main(int argc, char **argv)                                      \
	{                                                                    \
		return ct_main(&(tool), argc, argv);                         \
	}

/*
 * One binary with several names (sigsnoop, and killsnoop its other mode):
 * main() runs the tool argv[0] names. tools[] ends with NULL; tools[0] is
 * the binary's own, run for any name not another's.
 * CT_MAIN_ALIASES(sigsnoop_tool, killsnoop_tool);
 */
#define CT_MAIN_ALIASES(...)                                                 \
	int main(int argc, char **argv)                                      \
	{                                                                    \
		const struct ct_tool *const tools[] = { __VA_ARGS__, NULL }; \
		return ct_main(ct_tool_run_as(tools, argc ? argv[0] : ""),   \
			       argc, argv);                                  \
	}

/*
 * make install names a tool TOOL_PREFIX name TOOL_SUFFIX, and an alias
 * (tools/<tool>/aliases) a link to it, named alike. So the binary's own
 * file name (/proc/self/exe) tells the prefix and suffix, and argv[0]'s
 * basename the name it was run as.
 */
const struct ct_tool *ct_tool_run_as(const struct ct_tool *const *tools,
				     const char *argv0);

/*
 * The index in names[] (names[0] the binary's own) of the name run_as,
 * given exe, the binary's file name: both basenames. 0 if none matches.
 */
int ct_alias_index(const char *const *names, int n, const char *run_as,
		   const char *exe);

/* Parse argv with the tool's options plus the common ones; exits 2 on error. */
void ct_parse_args(const struct ct_tool *tool, int argc, char **argv);

/*
 * A tool's whole life: parse, set up, prepare, open, configure, load and
 * attach, then consume events (printing the column header first) or print
 * every interval; detach, finish, destroy. Returns the exit code.
 */
int ct_main(const struct ct_tool *tool, int argc, char **argv);

/*
 * Get ready to load BPF programs: privileges, tracefs, libbpf logging.
 * Returns 0, or prints one line saying what is missing and returns 1.
 */
int ct_setup(void);

/* The tool's name, as in its messages. */
const char *ct_tool_name(void);

/*
 * Open a skeleton (e.g. CT_OPEN(opensnoop_bpf)), with the kernel types its
 * relocations need from the cache when they are there (btf_cache.h).
 */
#define CT_OPEN(skel) skel##__open_opts(ct_btf_cache_open_opts(skel##__elf_bytes))

/* Define name##_ct, the struct ct_skel of skeleton name. */
#define CT_SKELETON(name)						\
	static void *name##_ct_open(void)				\
	{								\
		return CT_OPEN(name);					\
	}								\
	static struct bpf_object_skeleton *name##_ct_skeleton(void *s)	\
	{								\
		return ((struct name *)s)->skeleton;			\
	}								\
	static void name##_ct_destroy(void *s)				\
	{								\
		name##__destroy(s);					\
	}								\
	static const struct ct_skel name##_ct = {			\
		name##_ct_open, name##_ct_skeleton, name##_ct_destroy	\
	}

/*
 * Is an in-kernel task filter asked for (-p, -t, -u, -c)? Known once the
 * options are parsed: a tool's configure can leave out what only the
 * filter needs.
 */
bool ct_filter_asked(void);

/*
 * Before load: fill the object's common globals (filter, buffer kind) and
 * disable programs whose tracepoints this kernel lacks when marked optional
 * with ct_optional_tracepoint(). Then load, fill ct_cgroup, and attach.
 * Returns 0, or prints one line and returns 1.
 */
int ct_load_and_attach(struct bpf_object_skeleton *skel);

/*
 * The same for a tool that attaches some programs itself, those libbpf
 * cannot (a bare SEC("uprobe") names no binary): attach(ctx) runs after the
 * others are attached, hands each link it makes to ct_keep_link(), and
 * returns 0 or an exit code. Only then does -v say "attached N programs",
 * N counting every link.
 */
int ct_load_and_attach_own(struct bpf_object_skeleton *skel,
			   int (*attach)(void *ctx), void *ctx);

/*
 * Before load: attach prog, a plain tracepoint program, to category:event
 * too, once its section's own is attached. Handlers that are the same code
 * for several tracepoints (the sys_exit_* of a family of calls) are then
 * one program, verified once: each program loaded costs start-up time.
 * The kernel must have the tracepoint if prog loads. 0 or -ENOSPC.
 */
int ct_attach_also(struct bpf_program *prog, const char *category,
		   const char *event);

/* ct_attach_also() on syscalls:sys_<dir>_<call> (dir: "enter", "exit"). */
int ct_attach_also_syscall(struct bpf_program *prog, const char *dir,
			   const char *call);

/* Own link; ct_detach() destroys it. Returns 0, or destroys it and 1. */
int ct_keep_link(struct bpf_link *link);

/*
 * Detach all programs of the object ct_load_and_attach() attached (links the
 * tool made itself, in the skeleton or given to ct_keep_link(), too):
 * nothing is sent after this, so a last drain of the buffer sees every
 * event. The skeleton stays usable.
 */
void ct_detach(void);

/* Load prog only if its tracepoint exists here; says which with -v. */
bool ct_optional_tracepoint(struct bpf_program *prog);

/* Has this kernel tracepoint category:event? -v says when it has not. */
bool ct_tracepoint_here(const char *category, const char *event);

/* Has it syscalls:sys_<dir>_<call>? -v says when it has not. */
bool ct_syscall_tp_here(const char *dir, const char *call);

/*
 * Size the events buffer (rounded up to a power of two pages); a perf
 * buffer (kernels before 5.8) gets that much per CPU.
 */
int ct_set_buffer_bytes(struct bpf_object *obj, size_t bytes);

/* The pages of each CPU's perf buffer: 64 unless set above. */
size_t ct_perfbuf_pages(void);

/*
 * Global variable name (of size bytes) in obj's .rodata, to set before
 * load (libbpf may map it read-only at load); NULL if there is none.
 */
void *ct_rodata_var(struct bpf_object *obj, const char *name, size_t size);

/*
 * The reader's state in the loaded object (enum ct_reader_state), which its
 * BPF side reads to decide whether a send wakes it; NULL if it has none.
 */
volatile __u32 *ct_reader_state(struct bpf_object *obj);

/*
 * The loaded object's stop flag (ct_stopped), which its sends honour;
 * NULL if it has none.
 */
volatile __u32 *ct_stop_flag(struct bpf_object *obj);

/* Tell the user (with -v) which attach method was chosen, and why. */
void ct_attach_method(const char *what, const char *method);

/* Print a line to stderr only with -v. */
void ct_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "tool: message" to stderr. */
void ct_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "tool: message" to stderr and exit 2. */
void ct_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/*
 * Consume the object's "events" map until SIGINT/SIGTERM/SIGHUP, -d, a closed
 * stdout, or fn asks to stop; report lost events. Returns the exit code.
 */
int ct_consume_events(struct bpf_object *obj, ct_event_fn fn, void *ctx);

/*
 * Where the events map is a perf buffer (no ring buffer), open it: before
 * the programs are attached (ct_load_and_attach()), as a CPU's first
 * event fails (and is counted lost) until its perf event is in the map.
 * 0, or CT_EXIT_ERROR after a message.
 */
int ct_open_perfbuf(struct bpf_object *obj);

/*
 * For tools that aggregate in the kernel: sleep up to secs seconds (0 for
 * until -d or a signal). Returns true when it is time to stop.
 */
bool ct_wait(double secs);

/*
 * For tools that aggregate in the kernel: call print(ctx) every interval
 * seconds (0: once, at the end) until count printouts (0: no limit), -d, a
 * signal or a closed stdout. Returns the exit code.
 */
int ct_print_intervals(double interval, long count, int (*print)(void *ctx),
		       void *ctx);

/* Has a signal, -d or a closed stdout asked the tool to stop? */
bool ct_stopping(void);

/* Flush stdout; a closed pipe (EPIPE) asks the tool to stop, quietly. */
int ct_flush(void);

/* Catch SIGINT, SIGTERM and SIGHUP to stop; ignore SIGPIPE (see ct_flush). */
void ct_signals_init(void);

/* Start the -d clock; ct_load_and_attach() does it once attached. */
void ct_start_clock(void);

/*
 * Drop the resident code of the program and its libraries, most of which
 * (libbpf, libelf, libz: loading) does not run again: a loop does it once
 * its first lines are out (ct_load_and_attach() drops the loader
 * libraries' alone). What runs comes back from the page cache.
 */
void ct_drop_code_pages(void);

/* Exit code after a run: 1 if stdout failed for a reason other than EPIPE. */
int ct_exit_code(int err);

#endif
