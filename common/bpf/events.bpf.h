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
 * the last wake-up (a lone event is shown at once) or as the backlog
 * passes ct_wakeup_bytes (a burst is taken in batches, long before the
 * buffer is full). Events sent in between are read when user space looks
 * again, CT_WAKEUP_MS after taking events (common/consume.c).
 * Only the send that passes the mark wakes: above it, user space has been
 * woken and reads until the buffer is empty. Waking it with every event
 * there (a self-interrupt each, about 1 us in a VM) tripled the cost of a
 * send just when the reader was behind.
 */
#define CT_WAKEUP_NS (CT_WAKEUP_MS * 1000000ULL)

/* 1/16 of the ring, which user space sizes: it sets this too (load.c). */
const volatile __u64 ct_wakeup_bytes = CT_RINGBUF_BYTES / 16;

__u64 ct_last_wakeup_ns = 0;

/* now: bpf_ktime_get_ns(); size: the record's, without its header. */
static __always_inline __u64 ct_wakeup_flag(__u64 now, __u64 size)
{
	__u64 avail;

	if (now - ct_last_wakeup_ns < CT_WAKEUP_NS) {
		avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
		/* 8: the ring's own header of a record. */
		if (avail >= ct_wakeup_bytes ||
		    avail + size + 8 < ct_wakeup_bytes)
			return BPF_RB_NO_WAKEUP;
	}
	ct_last_wakeup_ns = now;
	return BPF_RB_FORCE_WAKEUP;
}

/*
 * Send size bytes at data (size must be bounded for the verifier); now is
 * bpf_ktime_get_ns(), which an event has often just read for itself.
 */
static __always_inline long ct_send_at(void *ctx, void *data, __u64 size,
				       __u64 now)
{
	long err;

	if (ct_use_perfbuf)
		err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU,
					    data, size);
	else
		err = bpf_ringbuf_output(&events, data, size,
					 ct_wakeup_flag(now, size));
	ct_count_send(err);
	return err;
}

static __always_inline long ct_send(void *ctx, void *data, __u64 size)
{
	__u64 now = ct_use_perfbuf ? 0 : bpf_ktime_get_ns();

	return ct_send_at(ctx, data, size, now);
}

/* At most the whole object: size bounded for the verifier. */
#define CT_SEND_SIZE(ptr, size)                                             \
	({                                                                  \
		__u64 __sz = (size);                                        \
		if (__sz > sizeof(*(ptr)))                                  \
			__sz = sizeof(*(ptr));                              \
		__sz;                                                       \
	})

/* Send the first size bytes of *ptr, never more than the object itself. */
#define CT_SEND(ctx, ptr, size) ct_send(ctx, ptr, CT_SEND_SIZE(ptr, size))

/* The same, with now as in ct_send_at(). */
#define CT_SEND_AT(ctx, ptr, size, now)                                     \
	ct_send_at(ctx, ptr, CT_SEND_SIZE(ptr, size), now)

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
