// SPDX-License-Identifier: GPL-2.0
/*
 * floor: attach the do-nothing programs of floor.bpf.c for one tool's set of
 * tracepoints, print "READY", and stay attached until SIGINT or SIGTERM.
 *
 *   floor open      open, openat, openat2, creat exit (opensnoop, with
 *                   the arguments read from the registers)
 *   floor open-pairs the same enter and exit (opensnoop on older kernels)
 *   floor exec      sched_process_exec (execsnoop)
 *   floor exec-x    plus execve, execveat enter and exit (execsnoop -x)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

static const char *const sets[][10] = {
	{ "open", "exit_open", "exit_openat", "exit_openat2", "exit_creat",
	  NULL },
	{ "open-pairs", "enter_open", "exit_open", "enter_openat",
	  "exit_openat", "enter_openat2", "exit_openat2", "enter_creat",
	  "exit_creat", NULL },
	{ "exec", "sched_exec", NULL },
	{ "exec-x", "sched_exec", "enter_execve", "exit_execve",
	  "enter_execveat", "exit_execveat", NULL },
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static const char *const *find_set(const char *name)
{
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (!strcmp(sets[i][0], name))
			return sets[i] + 1;
	return NULL;
}

static int in_set(const char *const *set, const char *prog)
{
	for (; *set; set++)
		if (!strcmp(*set, prog))
			return 1;
	return 0;
}

/* Keep the programs of the set whose tracepoint exists here. */
static void choose(struct floor_bpf *skel, const char *const *set)
{
	struct bpf_program *prog;
	char path[256];

	bpf_object__for_each_program(prog, skel->obj) {
		const char *tp = bpf_program__section_name(prog) +
				 strlen("tracepoint/");

		snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s",
			 tp);
		if (!in_set(set, bpf_program__name(prog)) ||
		    access(path, F_OK))
			bpf_program__set_autoload(prog, false);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *const *set;
	struct floor_bpf *skel;
	int err;

	set = argc == 2 ? find_set(argv[1]) : NULL;
	if (!set) {
		fprintf(stderr, "usage: floor open|open-pairs|exec|exec-x\n");
		return 2;
	}
	if (access("/sys/kernel/tracing/events", F_OK))
		mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	libbpf_set_print(quiet);
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: cannot open the BPF object\n");
		return 1;
	}
	choose(skel, set);
	err = floor_bpf__load(skel);
	if (!err)
		err = floor_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "floor: cannot load or attach: %s\n",
			strerror(-err));
		floor_bpf__destroy(skel);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("READY\n");
	fflush(stdout);
	while (!stop)
		pause();
	floor_bpf__destroy(skel);
	return 0;
}
