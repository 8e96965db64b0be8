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

/*
 * The clock: bpf_jiffies64() is a load once the verifier inlines it
 * (64-bit JITs), where bpf_ktime_get_ns() is a call that cost a send
 * 20-50 ns in a VM. Jiffies count whole ticks, and a program cannot read
 * the tick's length: it is learned from both clocks over the first
 * CT_TICKS_LEARN ticks after the first send, as the ticks surely fewer
 * (ct_ticks_short) and surely more (ct_ticks_long) than CT_WAKEUP_MS.
 * Between the two, and until they are known, bpf_ktime_get_ns() decides:
 * a wake-up is due exactly when CT_WAKEUP_MS have passed, at any HZ.
 */
#define CT_TICKS_LEARN 64

__u64 ct_last_wakeup_ns = 0;
__u64 ct_last_wakeup_jiffies = 0;
__u64 ct_first_send_ns = 0;
__u64 ct_first_send_jiffies = 0;
__u64 ct_ticks_short = 0;
__u64 ct_ticks_long = 0;

static __always_inline void ct_learn_ticks(__u64 jiffies, __u64 now)
{
	__u64 ticks = jiffies - ct_first_send_jiffies;
	__u64 ns = now - ct_first_send_ns;

	if (!ct_first_send_ns) {
		ct_first_send_ns = now;
		ct_first_send_jiffies = jiffies;
		return;
	}
	if (ticks < CT_TICKS_LEARN || !ns)
		return;
	/* The first and last ticks were partly in ns, or partly not. */
	ct_ticks_short = CT_WAKEUP_NS * (ticks - 1) / ns;
	ct_ticks_long = (CT_WAKEUP_NS * (ticks + 1) + ns - 1) / ns;
}

/* Have CT_WAKEUP_MS passed since the last wake-up? */
static __always_inline bool ct_wakeup_due(__u64 jiffies)
{
	__u64 ticks = jiffies - ct_last_wakeup_jiffies, now;

	if (ct_ticks_long) {
		if (ticks < ct_ticks_short)
			return false;
		if (ticks > ct_ticks_long)
			return true;
	}
	now = bpf_ktime_get_ns();
	if (!ct_ticks_long)
		ct_learn_ticks(jiffies, now);
	return now - ct_last_wakeup_ns >= CT_WAKEUP_NS;
}

/* size: the record's, without its header. */
static __always_inline __u64 ct_wakeup_flag(__u64 size)
{
	__u64 jiffies = bpf_jiffies64(), avail;

	if (!ct_wakeup_due(jiffies)) {
		avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
		/* 8: the ring's own header of a record. */
		if (avail >= ct_wakeup_bytes ||
		    avail + size + 8 < ct_wakeup_bytes)
			return BPF_RB_NO_WAKEUP;
	}
	/* Seldom: a clock read here costs the sends nothing. */
	ct_last_wakeup_ns = bpf_ktime_get_ns();
	ct_last_wakeup_jiffies = jiffies;
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
					 ct_wakeup_flag(size));
	ct_count_send(err);
	return err;
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
