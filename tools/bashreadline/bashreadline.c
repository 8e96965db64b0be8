// SPDX-License-Identifier: GPL-2.0
/* bashreadline: print the commands typed into interactive bash shells. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "columns.h"
#include "elf_symbols.h"
#include "escape.h"
#include "feature_probe.h"
#include "tool.h"
#include "bashreadline.h"
#include "bashreadline.skel.h"

#define DEFAULT_BASH "/bin/bash"
/* Distinct bash binaries (or readline libraries) attached at most. */
#define MAX_TARGETS 64

static struct {
	bool time;		/* -T */
	bool timestamp;		/* -t */
	bool all;		/* --all */
	const char *bash;	/* --bash */
	bool bash_given;
	const char *shared;	/* -s */
} opt = { .bash = DEFAULT_BASH };

enum { OPT_BASH = 0x100, OPT_ALL };

static const struct argp_option options[] = {
	{ "time", 'T', NULL, 0,
	  "Include a time column (HH:MM:SS; the default without -t)", 0 },
	CT_OPT_TIMESTAMP,
	CT_OPT_PRINT_UID,
	CT_OPT_PID("Only lines read by this process"),
	CT_OPT_UID("Only lines read by this user"),
	CT_OPT_CGROUP("Only lines read by processes in this cgroup v2 "
		      "directory"),
	{ "bash", OPT_BASH, "PATH", 0,
	  "The bash binary to trace (default " DEFAULT_BASH ")", 0 },
	{ "shared", 's', "PATH", 0,
	  "Trace readline in this library instead (libreadline.so)", 0 },
	{ "all", OPT_ALL, NULL, 0,
	  "Also trace every other bash binary running now, containers too",
	  0 },
	{},
};

/* One line as its columns see it. */
struct rl_row {
	__u64 ts;
	__u32 pid;
	__u32 uid;
	struct ct_str comm;
	struct ct_str line;
	bool truncated;
};

static size_t text_line(struct ct_buf *b, const void *row)
{
	const struct rl_row *r = row;

	ct_buf_escaped(b, r->line.s, r->line.len, 0);
	if (r->truncated)
		ct_buf_puts(b, " [truncated]");
	return 0;
}

#define COL(field) CT_AT(struct rl_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct rl_row, ts),
	CT_COLUMN_ELAPSED(struct rl_row, ts),
	CT_COLUMN_UID(struct rl_row, uid),
	CT_COLUMN_USER(struct rl_row, uid),
	{ "pid", "PID", "the shell's process ID", -7, CT_COL_UINT, COL(pid),
	  NULL },
	{ "comm", "COMM", "the shell's command name", -16, CT_COL_STR,
	  COL(comm), NULL },
	{ "line", "COMMAND", "the line typed (text: cut marked [truncated])",
	  0, CT_COL_STR, COL(line), text_line },
	{ "truncated", "TRUNC", "the line was cut", -5, CT_COL_BOOL,
	  COL(truncated), NULL },
};

static struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "time,pid,line",
	.data = "time,pid,uid,user,comm,line,truncated",
};

static bool fill_row(struct rl_row *r, const struct rl_event *e)
{
	*r = (struct rl_row){
		.ts = e->ts,
		.pid = e->pid,
		.uid = e->uid,
		.comm = { e->comm, strnlen(e->comm, RL_COMM_LEN) },
		.line = { e->line, e->len },
		.truncated = e->flags & RL_TRUNCATED,
	};
	return true;
}

CT_TAIL_EVENT_HANDLER(handle_event, struct rl_row, struct rl_event, line, len,
		      fill_row)

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'T':
		opt.time = true;
		ct_fields_add("time");
		break;
	case 't':
		opt.timestamp = true;
		ct_fields_add("elapsed_ns");
		break;
	case OPT_BASH:
		if (!*arg)
			ct_usage_error("--bash: empty path");
		opt.bash = arg;
		opt.bash_given = true;
		break;
	case 's':
		if (!*arg)
			ct_usage_error("-s/--shared: empty path");
		opt.shared = arg;
		break;
	case OPT_ALL:
		opt.all = true;
		break;
	case ARGP_KEY_END:
		/* -t alone replaces the time column. */
		if (opt.timestamp && !opt.time)
			fields.text = "pid,line";
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}


/* Where one uretprobe goes: a function in a file. */
struct target {
	char path[PATH_MAX];	/* the binary or library probed */
	const char *sym;
	unsigned long offset;
	dev_t dev;		/* uprobes are per inode */
	ino_t ino;
};

static struct target targets[MAX_TARGETS];
static int target_count;

/*
 * The function to probe in lib: readline_internal_teardown() when there is
 * one (a probe on readline() misses the first line on some bash versions),
 * else readline(). Both return the line.
 */
static int find_function(struct target *t)
{
	static const char *const syms[] = { "readline_internal_teardown",
					    "readline" };
	int err = -ESRCH;

	for (size_t i = 0; i < 2 && err == -ESRCH; i++) {
		t->sym = syms[i];
		err = ct_elf_func_offset(t->path, syms[i], &t->offset);
	}
	return err;
}

/* Is the file of st already a target? */
static bool known_inode(const struct stat *st)
{
	for (int i = 0; i < target_count; i++)
		if (targets[i].dev == st->st_dev &&
		    targets[i].ino == st->st_ino)
			return true;
	return false;
}

static const char *error_text(int err, const char *path)
{
	static char buf[PATH_MAX + 64];

	if (err == -ESRCH)
		snprintf(buf, sizeof(buf), "%s has no readline symbol: is it "
			 "stripped?", path);
	else if (err == -ENOEXEC)
		snprintf(buf, sizeof(buf), "%s: not an ELF file", path);
	else
		snprintf(buf, sizeof(buf), "%s: %s", path, strerror(-err));
	return buf;
}

/*
 * Fill t for the readline that bash binary uses, looking inside root for
 * its libraries; or for the library -s named. Returns 0 or -errno, with
 * the file the error is about in t->path.
 */
static int resolve(const char *bash, const char *root, const char *shared,
		   struct target *t)
{
	unsigned long off;
	int err;

	if (shared) {
		snprintf(t->path, sizeof(t->path), "%s", shared);
	} else {
		snprintf(t->path, sizeof(t->path), "%s", bash);
		err = ct_elf_func_offset(bash, "readline", &off);
		/* Not in bash itself: in the libreadline.so it links. */
		if (err == -ESRCH &&
		    !ct_elf_needed_provider(bash, root, "readline", t->path,
					    sizeof(t->path)))
			err = 0;
		if (err) {
			snprintf(t->path, sizeof(t->path), "%s", bash);
			return err;
		}
	}
	return find_function(t);
}

/* Add a target unless its file is one already; false if it is. */
static bool add_target(const struct target *t)
{
	struct stat st;

	if (stat(t->path, &st) || known_inode(&st))
		return false;
	if (target_count == MAX_TARGETS) {
		ct_warn("more than %d bash binaries: ignoring %s", MAX_TARGETS,
			t->path);
		return false;
	}
	targets[target_count] = *t;
	targets[target_count].dev = st.st_dev;
	targets[target_count].ino = st.st_ino;
	target_count++;
	return true;
}

/* The binary of --bash (or /bin/bash), or of -s. Errors end the tool. */
static int add_main_target(void)
{
	char real[PATH_MAX] = "";
	struct target t;
	int err;

	/* /bin/bash may be a link; say which file is probed. */
	if (!opt.shared && !realpath(opt.bash, real)) {
		/* With --all, the other shells are still worth tracing. */
		if (opt.all && !opt.bash_given)
			return 0;
		ct_warn("%s", error_text(-errno, opt.bash));
		return CT_EXIT_ERROR;
	}
	err = resolve(real, "", opt.shared, &t);
	if (err) {
		ct_warn("%s", error_text(err, t.path));
		return CT_EXIT_ERROR;
	}
	add_target(&t);
	return 0;
}

/*
 * Is the executable that /proc/PID/exe names a bash? "bash", "rbash", or
 * versioned names like "bash5.2" and "bash-static"; not "bashreadline".
 */
static bool is_bash(const char *exe)
{
	const char *base = strrchr(exe, '/');

	base = base ? base + 1 : exe;
	if (!strcmp(base, "rbash"))
		return true;
	return !strncmp(base, "bash", 4) &&
	       (!base[4] || isdigit((unsigned char)base[4]) ||
		strchr("-._", base[4]));
}

/* Do both links name the same thing ("mnt:[4026531841]")? */
static bool same_link(const char *a, const char *b)
{
	char la[64], lb[64];
	ssize_t na = readlink(a, la, sizeof(la));
	ssize_t nb = readlink(b, lb, sizeof(lb));

	return na > 0 && na == nb && !memcmp(la, lb, na);
}

/*
 * "" if pid sees the same files as we do (same / and mount namespace),
 * else "/proc/PID/root", through which its files are seen as it sees them.
 */
static void root_of(const char *pid, char *root, size_t size)
{
	struct stat ours, theirs;
	char ns[64];

	snprintf(ns, sizeof(ns), "/proc/%s/ns/mnt", pid);
	snprintf(root, size, "/proc/%s/root", pid);
	if (!stat("/", &ours) && !stat(root, &theirs) &&
	    ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino &&
	    same_link("/proc/self/ns/mnt", ns))
		root[0] = '\0';
}

static bool same_file(const char *path, const struct stat *st)
{
	struct stat other;

	return !stat(path, &other) && other.st_dev == st->st_dev &&
	       other.st_ino == st->st_ino;
}

/*
 * A path to the file /proc/PID/exe is: the name it links to when that is
 * the same file from here (host, chroot), else that name under the
 * process's root (a container's mount namespace), else the link itself
 * (a binary deleted since it started: uprobes follow the link).
 */
static void exe_path(const char *link, const char *exe, const char *root,
		     const struct stat *st, char *path, size_t size)
{
	snprintf(path, size, "%s", exe);
	if (same_file(path, st))
		return;
	snprintf(path, size, "%s%s", root, exe);
	if (*root && same_file(path, st))
		return;
	snprintf(path, size, "%s", link);
}

/* Executables already looked at by --all, so that each is resolved once. */
static struct stat seen[256];
static int seen_count;

static bool seen_before(const struct stat *st)
{
	for (int i = 0; i < seen_count; i++)
		if (seen[i].st_dev == st->st_dev &&
		    seen[i].st_ino == st->st_ino)
			return true;
	if (seen_count < (int)(sizeof(seen) / sizeof(seen[0])))
		seen[seen_count++] = *st;
	return false;
}

/* With --all: the bash binary of process pid, if it is a new one. */
static void add_process(const char *pid)
{
	char link[64], exe[PATH_MAX], root[64], path[PATH_MAX + 64];
	struct target t;
	struct stat st;
	ssize_t n;
	int err;

	snprintf(link, sizeof(link), "/proc/%s/exe", pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	if (!is_bash(exe) || stat(link, &st) || seen_before(&st))
		return;
	root_of(pid, root, sizeof(root));
	exe_path(link, exe, root, &st, path, sizeof(path));
	err = resolve(path, root, NULL, &t);
	if (err) {
		ct_verbose("--all: skipping pid %s: %s", pid,
			   error_text(err, t.path));
		return;
	}
	if (add_target(&t))
		ct_verbose("--all: pid %s runs %s", pid, path);
}

static int add_running_targets(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;

	if (!proc) {
		ct_warn("--all: cannot read /proc: %s", strerror(errno));
		return CT_EXIT_ERROR;
	}
	while ((d = readdir(proc)))
		if (isdigit((unsigned char)d->d_name[0]))
			add_process(d->d_name);
	closedir(proc);
	if (!target_count) {
		ct_warn("--all: no bash binary found, and no %s", opt.bash);
		return CT_EXIT_ERROR;
	}
	return 0;
}

/* The uretprobe on every target; ct_load_and_attach_own() calls it. */
static int attach_targets(void *skel)
{
	struct bpf_program *prog =
		((struct bashreadline_bpf *)skel)->progs.handle_readline_return;
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .retprobe = true);
	char what[PATH_MAX + 64];

	for (int i = 0; i < target_count; i++) {
		const struct target *t = &targets[i];
		struct bpf_link *link;

		link = bpf_program__attach_uprobe_opts(prog, -1, t->path,
						       t->offset, &uo);
		if (!link) {
			int err = errno;

			/* CAP_BPF and CAP_PERFMON do not always do for uprobes. */
			ct_warn("cannot attach a uretprobe to %s:%s: %s%s",
				t->path, t->sym, strerror(err),
				err == EACCES || err == EPERM ?
					" (try with CAP_SYS_ADMIN)" : "");
			return CT_EXIT_ERROR;
		}
		if (ct_keep_link(link))
			return CT_EXIT_ERROR;
		snprintf(what, sizeof(what),
			 "uretprobe on %.4000s:%s (offset 0x%lx)", t->path,
			 t->sym, t->offset);
		ct_attach_method("readline", what);
	}
	return 0;
}

static int find_targets(void)
{
	int err = add_main_target();

	if (!err && opt.all)
		err = add_running_targets();
	return err;
}

static int prepare(void)
{
	if (!ct_has_uprobe()) {
		ct_warn("this kernel cannot attach uprobes "
			"(CONFIG_UPROBE_EVENTS is off)");
		return CT_EXIT_ERROR;
	}
	return find_targets();
}

CT_SKELETON(bashreadline_bpf);

static const struct ct_tool tool = {
	.name = "bashreadline",
	.summary = "Print commands typed into interactive bash shells, "
		   "system-wide.",
	.examples =
		"  bashreadline              # lines typed into /bin/bash\n"
		"  bashreadline -U -u alice  # alice's lines, with UIDs\n"
		"  bashreadline -p 1234      # only the shell with PID 1234\n"
		"  bashreadline -c /sys/fs/cgroup/unified/user.slice\n"
		"  bashreadline --all -v     # all running bash binaries\n"
		"  bashreadline --bash /opt/bash-5.2/bin/bash\n"
		"  bashreadline -s /usr/lib/libreadline.so.8\n"
		"  bashreadline --json -d 60 # JSON lines for a minute\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &bashreadline_bpf_ct,
	.prepare = prepare,
	.attach = attach_targets,
	.on_event = handle_event,
};

CT_MAIN(tool);
