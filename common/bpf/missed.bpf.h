/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a full map cost a tool, counted for user space to report
 * (ct_report_missed(), ct_report_map_full()) rather than lost unseen.
 */
#ifndef CT_MISSED_BPF_H
#define CT_MISSED_BPF_H

#include "percpu_one.bpf.h"

/*
 * Counts a tool could not keep because a map was full, per CPU: user space
 * reports them (ct_map_percpu_sum()) instead of losing them silently.
 */
CT_PERCPU_ONE(ct_missed, __u64);

static __always_inline void ct_count_missed(void)
{
	__u64 *n = ct_percpu_one(&ct_missed);

	if (n)
		(*n)++;
}

/*
 * A hash map's value for key, made from init when there is none yet (after
 * a lookup missed); NULL, counted, when the map is full.
 */
static __always_inline void *ct_map_insert(void *map, const void *key,
					   const void *init)
{
	void *v;

	/* Another CPU may make it meanwhile (-EEXIST): as good. */
	bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	v = bpf_map_lookup_elem(map, key);
	if (!v)
		ct_count_missed();
	return v;
}

#endif
