/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A per-CPU array of one entry: an object each CPU has to itself, found by
 * a lookup the verifier inlines (6.10+; a plain call before), written
 * without atomics. Event scratch (events.bpf.h) and a tool's one histogram
 * (histogram.bpf.h) are such objects.
 */
#ifndef CT_PERCPU_ONE_BPF_H
#define CT_PERCPU_ONE_BPF_H

#define CT_PERCPU_ONE(name, value_type)					\
	struct {							\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);		\
		__uint(max_entries, 1);					\
		__type(key, __u32);					\
		__type(value, value_type);				\
	} name SEC(".maps")

/* This CPU's object of a CT_PERCPU_ONE() map. */
static __always_inline void *ct_percpu_one(void *map)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(map, &zero);
}

#endif
