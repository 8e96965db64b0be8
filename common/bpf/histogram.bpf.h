/* SPDX-License-Identifier: GPL-2.0 */
/* Slots of log2 histograms, as common/histogram.h prints them. */
#ifndef CT_HISTOGRAM_BPF_H
#define CT_HISTOGRAM_BPF_H

#include "missed.bpf.h"
#include "percpu_one.bpf.h"

/*
 * A tool's histogram when it keeps one only, no key (struct ct_hist_map's
 * single_map): each CPU counts on cache lines of its own, where a hash
 * map's one entry has every CPU write the same lines.
 */
#define CT_HIST_SINGLE_MAP(name, value_type) CT_PERCPU_ONE(name, value_type)

static __always_inline void *ct_hist_single(void *map)
{
	return ct_percpu_one(map);
}

/* floor(log2(v)), and 0 for v = 0: the slot of v. */
static __always_inline __u32 ct_log2(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r;
}

/* The slot of v in a histogram of n slots: the last one takes the rest. */
static __always_inline __u32 ct_log2_slot(__u64 v, __u32 n)
{
	__u32 slot = ct_log2(v);

	return slot < n ? slot : n - 1;
}

/*
 * Count a value in its slot, and add it (in ns, say) to the histogram's
 * running sum, which Prometheus's _sum needs: one atomic add more.
 */
static __always_inline void ct_hist_add(__u32 *slot, __u64 *sum, __u64 v)
{
	__sync_fetch_and_add(slot, 1);
	__sync_fetch_and_add(sum, v);
}

#endif
