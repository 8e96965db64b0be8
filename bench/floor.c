// SPDX-License-Identifier: GPL-2.0
/*
 * floor: attach the do-nothing programs of floor.bpf.c to the hooks a
 * benchmark spec names (bench/tools/<tool>.sh), print "READY", and stay
 * attached until SIGINT or SIGTERM. Each argument is a hook:
 *
 *   tp:CATEGORY/NAME   a tracepoint (skipped when it does not exist here)
 *   raw:NAME           a raw tracepoint
 *   uret:BINARY:FUNC   a uretprobe on FUNC in BINARY
 *
 * -p NAME attaches the essential program NAME of floor.bpf.c (capture,
 * path, search; exec) to the tracepoints (raw tracepoints) instead of
 * the empty one, and reads what it sends; -n NEEDLE is what search looks
 * for.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
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

/*
 * The tracepoints' and raw tracepoints' programs: the empty ones, or the
 * essential one chosen in the place of its kind's.
 */
static struct bpf_program *tp_prog, *raw_prog;

static struct bpf_link *attach_tp(char *name)
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
	return bpf_program__attach_tracepoint(tp_prog, name, slash + 1);
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
		*link = attach_tp(buf + 3);
	else if (!strncmp(buf, "raw:", 4))
		*link = bpf_program__attach_raw_tracepoint(raw_prog, buf + 4);
	else if (!strncmp(buf, "uret:", 5))
		*link = attach_uret(skel, buf + 5);
	if (*link || (errno == ENOENT && !strncmp(buf, "tp:", 3)))
		return 0;
	fprintf(stderr, "floor: cannot attach %s: %s\n", hook,
		strerror(errno));
	return -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: floor [-p capture|path|search|exec] "
			"[-n NEEDLE] "
			"tp:CAT/NAME|raw:NAME|uret:BINARY:FUNC...\n");
	exit(2);
}

/* The essential program NAME, the only one of them loaded. */
static int choose(struct floor_bpf *skel, const char *name)
{
	struct bpf_program *p, *ess[] = {
		skel->progs.ess_capture, skel->progs.ess_path,
		skel->progs.ess_search, skel->progs.ess_exec,
	};
	bool found = false;

	tp_prog = skel->progs.floor_tp;
	raw_prog = skel->progs.floor_raw;
	for (size_t i = 0; i < sizeof(ess) / sizeof(ess[0]); i++) {
		p = ess[i];
		if (!name || strcmp(bpf_program__name(p) + 4, name)) {
			bpf_program__set_autoload(p, false);
			continue;
		}
		found = true;
		if (bpf_program__type(p) == BPF_PROG_TYPE_RAW_TRACEPOINT)
			raw_prog = p;
		else
			tp_prog = p;
	}
	return name && !found ? -1 : 0;
}

static void set_consts(struct floor_bpf *skel, const char *needle)
{
	struct floor_bpf__rodata *ro = skel->rodata;

	ro->nr_openat = SYS_openat;
#ifdef SYS_open
	ro->nr_open = SYS_open;
#endif
#ifdef SYS_openat2
	ro->nr_openat2 = SYS_openat2;
#endif
#ifdef SYS_creat
	ro->nr_creat = SYS_creat;
#endif
	if (needle) {
		ro->needle_len = strnlen(needle, sizeof(ro->needle));
		memcpy((char *)ro->needle, needle, ro->needle_len);
	}
}

static int discard(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* Until a signal: read what the essential program sends, if any. */
static void wait_signal(struct ring_buffer *rb)
{
	while (!stop) {
		if (rb)
			ring_buffer__poll(rb, 5);
		else
			pause();
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct bpf_link *links[MAX_LINKS];
	const char *ess = NULL, *needle = NULL;
	struct ring_buffer *rb = NULL;
	struct floor_bpf *skel;
	int i, n, opt, err = 0;

	while ((opt = getopt(argc, argv, "p:n:")) != -1) {
		if (opt == 'p')
			ess = optarg;
		else if (opt == 'n')
			needle = optarg;
		else
			usage();
	}
	n = argc - optind;
	if (n < 1 || n > MAX_LINKS)
		usage();
	if (access("/sys/kernel/tracing/events", F_OK))
		mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	libbpf_set_print(quiet);
	skel = floor_bpf__open();
	if (skel && choose(skel, ess)) {
		fprintf(stderr, "floor: no essential program %s\n", ess);
		floor_bpf__destroy(skel);
		return 2;
	}
	if (skel)
		set_consts(skel, needle);
	if (!skel || floor_bpf__load(skel)) {
		fprintf(stderr, "floor: cannot load the BPF object\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	if (ess)
		rb = ring_buffer__new(bpf_map__fd(skel->maps.ring), discard,
				      NULL, NULL);
	for (i = 0; i < n && !err; i++)
		err = attach(skel, argv[optind + i], &links[i]);
	if (!err) {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		printf("READY\n");
		fflush(stdout);
		wait_signal(rb);
	}
	while (i--)
		bpf_link__destroy(links[i]);
	ring_buffer__free(rb);
	floor_bpf__destroy(skel);
	return err ? 1 : 0;
}
