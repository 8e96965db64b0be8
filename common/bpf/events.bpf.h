/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending events to user space. A failed ring buffer write is invisible to
 * user space, so every send is counted here, per CPU, and user space reports
 * the drops. Kernels without a BPF ring buffer get a perf buffer instead: user
 * space switches the map type and sets ct_use_perfbuf before load.
 */
#ifndef CT_EVENTS_BPF_H
#define CT_EVENTS_BPF_H

#include "events.h"

#ifndef CT_RINGBUF_BYTES
#define CT_RINGBUF_BYTES (512 * 1024)
#endif

const volatile bool ct_use_perfbuf = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CT_RINGBUF_BYTES);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ct_stats);
} ct_stats SEC(".maps");

static __always_inline void ct_count_send(long err)
{
	__u32 zero = 0;
	struct ct_stats *s = bpf_map_lookup_elem(&ct_stats, &zero);

	if (!s)
		return;
	if (err)
		s->dropped++;
	else
		s->sent++;
}

/* Send size bytes at data (size must be bounded for the verifier). */
static __always_inline long ct_send(void *ctx, void *data, __u64 size)
{
	long err;

	if (ct_use_perfbuf)
		err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU,
					    data, size);
	else
		err = bpf_ringbuf_output(&events, data, size, 0);
	ct_count_send(err);
	return err;
}

/* Send the first size bytes of *ptr, never more than the object itself. */
#define CT_SEND(ctx, ptr, size)                                             \
	({                                                                  \
		__u64 __sz = (size);                                        \
		if (__sz > sizeof(*(ptr)))                                  \
			__sz = sizeof(*(ptr));                              \
		ct_send(ctx, ptr, __sz);                                    \
	})

/*
 * A per-CPU scratch object for events too large for the 512-byte BPF stack:
 * CT_SCRATCH(name, type) defines the map, ct_scratch(&name) returns it.
 */
#define CT_SCRATCH(name, value_type)                                              \
	struct {                                                            \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                    \
		__uint(max_entries, 1);                                     \
		__type(key, __u32);                                         \
		__type(value, value_type);                                      \
	} name SEC(".maps")

static __always_inline void *ct_scratch(void *map)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(map, &zero);
}

#endif
