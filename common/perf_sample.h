/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sampling with perf events (profile, llcstat, runqlen...): one event per
 * online CPU, each running a SEC("perf_event") BPF program. Call
 * ct_perf_attach() from the attach callback of ct_load_and_attach_own():
 * its links go to ct_keep_link(), so ct_detach() removes them all.
 */
#ifndef CT_PERF_SAMPLE_H
#define CT_PERF_SAMPLE_H

#include <stdbool.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

struct ct_perf_event {
	__u32 type;		/* PERF_TYPE_HARDWARE, _SOFTWARE, _HW_CACHE */
	__u64 config;		/* PERF_COUNT_HW_CPU_CYCLES... */
	const char *name;	/* for messages: "cycles" */
	/*
	 * Where the kernel has no such event (no hardware PMU, as in many
	 * virtual machines), sample on the software cpu-clock event instead
	 * of failing (at freq; not with a period); -v says which was used.
	 */
	bool sw_fallback;
	/* One of the two: samples per second, or events per sample. */
	__u64 freq;
	__u64 period;
};

/* The software cpu-clock event at freq Hz: profile's default. */
#define CT_PERF_CPU_CLOCK(hz) ((struct ct_perf_event){ \
	.type = 1 /* PERF_TYPE_SOFTWARE */, .config = 0 /* CPU_CLOCK */, \
	.name = "cpu-clock", .freq = (hz) })

/*
 * Open ev on every online CPU and attach prog to each. Returns 0, or prints
 * one line (permission and perf_event_paranoid, missing PMU, frequency above
 * the kernel's maximum...), closes all it opened and returns 1.
 */
int ct_perf_attach(struct bpf_program *prog, const struct ct_perf_event *ev);

/*
 * The same on the online CPUs among cpus[0..libbpf_num_possible_cpus()-1]
 * only (profile -C); NULL for all. None of them online is one line, 1.
 */
int ct_perf_attach_cpus(struct bpf_program *prog,
			const struct ct_perf_event *ev, const bool *cpus);

/*
 * Parse a CPU list as /sys/devices/system/cpu/online has it ("0-3,6") into
 * cpus[0..max-1]. Returns how many CPUs are set, or -1 if s is no such
 * list or names a CPU >= max.
 */
int ct_parse_cpu_list(const char *s, bool *cpus, int max);

/*
 * The online CPUs into cpus[0..max-1] (max: libbpf_num_possible_cpus());
 * all of them when the list cannot be read. Returns how many are online.
 */
int ct_online_cpus(bool *cpus, int max);

#endif
