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

/*
 * Waking user space for every event costs it more than printing the event:
 * at high rates it would spend its time going to sleep and waking up, and
 * fall behind. So a send wakes it only if CT_WAKEUP_MS have passed since
 * the last wake-up (a lone event is shown at once) or ct_wakeup_bytes wait
 * in the buffer (a burst is taken in batches, long before the buffer is
 * full). Events sent in between are read when user space looks again,
 * CT_WAKEUP_MS after taking events (common/consume.c).
 */
#define CT_WAKEUP_NS (CT_WAKEUP_MS * 1000000ULL)

/* 1/16 of the ring, which user space sizes: it sets this too (load.c). */
const volatile __u64 ct_wakeup_bytes = CT_RINGBUF_BYTES / 16;

__u64 ct_last_wakeup_ns = 0;

static __always_inline __u64 ct_wakeup_flag(void)
{
	__u64 now = bpf_ktime_get_ns();

	if (now - ct_last_wakeup_ns < CT_WAKEUP_NS &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) < ct_wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	ct_last_wakeup_ns = now;
	return BPF_RB_FORCE_WAKEUP;
}

/* Send size bytes at data (size must be bounded for the verifier). */
static __always_inline long ct_send(void *ctx, void *data, __u64 size)
{
	long err;

	if (ct_use_perfbuf)
		err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU,
					    data, size);
	else
		err = bpf_ringbuf_output(&events, data, size,
					 ct_wakeup_flag());
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
