// SPDX-License-Identifier: GPL-2.0
/*
 * ct-perf: common/perf_sample.c at work, for tests/runtime/perf_sample.sh.
 * Samples every online CPU at HZ for SECONDS with a BPF program that counts
 * the samples of each CPU, then prints "cpu N: COUNT" for each online CPU
 * ("cpu N: offline" for the others) and stops.
 *   ct-perf [-v] [--hw] HZ SECONDS
 * --hw: the hardware cycles event, falling back to the software cpu-clock
 * where there is none (-v says which). Then, to show that ct_detach()
 * removed them all, "open after detach: N perf events, N BPF links".
 * Needs root.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/perf_event.h>

#include "perf_sample.h"
#include "tool.h"
#include "helpers/ct-perf.skel.h"

static struct ct_perf_event event;

static int attach(void *ctx)
{
	struct ct_perf_bpf *skel = ctx;

	return ct_perf_attach(skel->progs.count_sample, &event);
}

/* How many of our fds are anon inodes of this kind ("[perf_event]"). */
static int count_fds(const char *kind)
{
	DIR *d = opendir("/proc/self/fd");
	char path[300], target[64];
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		n += strstr(target, kind) != NULL;
	}
	if (d)
		closedir(d);
	return n;
}

static int report(struct ct_perf_bpf *skel, int ncpus)
{
	__u64 *counts = calloc(ncpus, sizeof(*counts));
	bool *online = calloc(ncpus, sizeof(*online));
	__u32 zero = 0;

	if (!counts || !online ||
	    bpf_map_lookup_elem(bpf_map__fd(skel->maps.samples), &zero,
				counts)) {
		fprintf(stderr, "ct-perf: cannot read the counts\n");
		return 1;
	}
	ct_online_cpus(online, ncpus);
	for (int cpu = 0; cpu < ncpus; cpu++) {
		if (online[cpu])
			printf("cpu %d: %llu\n", cpu,
			       (unsigned long long)counts[cpu]);
		else
			printf("cpu %d: offline\n", cpu);
	}
	free(counts);
	free(online);
	return 0;
}

int main(int argc, char **argv)
{
	struct ct_perf_bpf *skel;
	int i = 1, err;
	bool hw = false;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			ct_env.verbose++;
		else if (!strcmp(argv[i], "--hw"))
			hw = true;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: ct-perf [-v] [--hw] HZ SECONDS\n");
		return 2;
	}
	if (hw) {
		event.type = PERF_TYPE_HARDWARE;
		event.config = PERF_COUNT_HW_CPU_CYCLES;
		event.name = "cycles";
		event.sw_fallback = true;
	} else {
		event = CT_PERF_CPU_CLOCK(0);
	}
	event.freq = strtoull(argv[i], NULL, 10);
	ct_signals_init();
	if (ct_setup())
		return 1;
	skel = ct_perf_bpf__open();
	if (!skel)
		return 1;
	err = ct_load_and_attach_own(skel->skeleton, attach, skel);
	if (!err) {
		ct_wait(strtod(argv[i + 1], NULL));
		ct_detach();
		err = report(skel, libbpf_num_possible_cpus());
		printf("open after detach: %d perf events, %d BPF links\n",
		       count_fds("[perf_event]"), count_fds("bpf_link"));
	}
	ct_perf_bpf__destroy(skel);
	return err;
}
