// SPDX-License-Identifier: GPL-2.0
/*
 * floor: attach the do-nothing programs of floor.bpf.c to the hooks a
 * benchmark spec names (bench/tools/<tool>.sh), print "READY", and stay
 * attached until SIGINT or SIGTERM. Each argument is a hook:
 *
 *   tp:CATEGORY/NAME   a tracepoint (skipped when it does not exist here)
 *   raw:NAME           a raw tracepoint
 *   uret:BINARY:FUNC   a uretprobe on FUNC in BINARY
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

#define MAX_LINKS 64

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

static struct bpf_link *attach_tp(struct floor_bpf *skel, char *name)
{
	char path[576], *slash = strchr(name, '/');

	if (!slash)
		return NULL;
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s", name);
	if (access(path, F_OK)) {
		errno = ENOENT;
		return NULL;
	}
	*slash = '\0';
	return bpf_program__attach_tracepoint(skel->progs.floor_tp, name,
					      slash + 1);
}

static struct bpf_link *attach_uret(struct floor_bpf *skel, char *spec)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = true);
	char *colon = strrchr(spec, ':');

	if (!colon)
		return NULL;
	*colon = '\0';
	opts.func_name = colon + 1;
	return bpf_program__attach_uprobe_opts(skel->progs.floor_uret, -1,
					       spec, 0, &opts);
}

/* Attach one hook; a missing tracepoint is not an error (kernels differ). */
static int attach(struct floor_bpf *skel, const char *hook,
		  struct bpf_link **link)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", hook);
	errno = EINVAL;
	*link = NULL;
	if (!strncmp(buf, "tp:", 3))
		*link = attach_tp(skel, buf + 3);
	else if (!strncmp(buf, "raw:", 4))
		*link = bpf_program__attach_raw_tracepoint(skel->progs.floor_raw,
							   buf + 4);
	else if (!strncmp(buf, "uret:", 5))
		*link = attach_uret(skel, buf + 5);
	if (*link || (errno == ENOENT && !strncmp(buf, "tp:", 3)))
		return 0;
	fprintf(stderr, "floor: cannot attach %s: %s\n", hook,
		strerror(errno));
	return -1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct bpf_link *links[MAX_LINKS];
	struct floor_bpf *skel;
	int i, n = argc - 1, err = 0;

	if (n < 1 || n > MAX_LINKS) {
		fprintf(stderr, "usage: floor tp:CAT/NAME|raw:NAME|"
				"uret:BINARY:FUNC...\n");
		return 2;
	}
	if (access("/sys/kernel/tracing/events", F_OK))
		mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	libbpf_set_print(quiet);
	skel = floor_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "floor: cannot load the BPF object\n");
		return 1;
	}
	for (i = 0; i < n && !err; i++)
		err = attach(skel, argv[i + 1], &links[i]);
	if (!err) {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		printf("READY\n");
		fflush(stdout);
		while (!stop)
			pause();
	}
	while (i--)
		bpf_link__destroy(links[i]);
	floor_bpf__destroy(skel);
	return err ? 1 : 0;
}
