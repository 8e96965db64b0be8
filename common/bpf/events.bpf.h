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
#include "percpu_one.bpf.h"

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

static __always_inline struct ct_stats *ct_stats_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&ct_stats, &zero);
}

static __always_inline void ct_count(struct ct_stats *s, long err)
{
	if (!s)
		return;
	if (err)
		s->dropped++;
	else
		s->sent++;
}

static __always_inline void ct_count_send(long err)
{
	ct_count(ct_stats_here(), err);
}

/*
 * Keep a call's value in map under key from its entry to its exit: one a
 * full map has no room for would never be sent, so it is a lost event.
 */
static __always_inline void ct_keep_call(void *map, const void *key,
					 const void *value)
{
	if (bpf_map_update_elem(map, key, value, BPF_ANY))
		ct_count_send(-1);
}

/*
 * Waking user space for every event costs it more than printing the event:
 * at high rates it would spend its time going to sleep and waking up, and
 * fall behind. So user space says where it is in ct_reader (events.h),
 * read here with a plain load: asleep, having found nothing to read, it is
 * woken by the next send (a lone event is shown at once); napping, having
 * taken events, it looks again by itself, as soon as its estimate of the
 * rate says a part of the ring has come (a burst is taken in batches, long
 * before the buffer is full), and is woken only as the backlog passes
 * ct_wakeup_bytes, a late safety mark; awake, it reads until the ring is
 * empty. The send that wakes it marks it awake: the sends after it do not
 * wake it again (a self-interrupt each, about 1 us in a VM).
 */
volatile __u32 ct_reader = CT_READER_AWAKE;

/* A part of the ring, which user space sizes: it sets this too (load.c). */
const volatile __u64 ct_wakeup_bytes = CT_RINGBUF_BYTES / CT_WAKEUP_PART;

/*
 * The backlog is queried (a helper call) only when this CPU has sent its
 * share of the mark, ct_wakeup_bytes / CPUs (load.c), since its last
 * query: the reader is woken before twice the mark waits.
 */
const volatile __u64 ct_nap_bytes = CT_RINGBUF_BYTES / CT_WAKEUP_PART;

static __always_inline bool ct_backlog_passed(struct ct_stats *s, __u64 size)
{
	if (!s)
		return false;
	/* 8: the ring's own header of a record. */
	s->nap_bytes += size + 8;
	if (s->nap_bytes < ct_nap_bytes)
		return false;
	s->nap_bytes = 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + size + 8 >=
	       ct_wakeup_bytes;
}

/* Counted (user space shows the counts with -v): they are the cost. */
static __always_inline bool ct_wakeup_wanted(struct ct_stats *s, __u64 size)
{
	__u32 reader = ct_reader;

	if (reader == CT_READER_ASLEEP) {
		if (s)
			s->woken++;
		return true;
	}
	if (reader != CT_READER_NAPPING || !ct_backlog_passed(s, size))
		return false;
	s->woken_backlog++;	/* s is set: ct_backlog_passed() checked */
	return true;
}

/*
 * The reader fell asleep while a record was being sent without a wake-up:
 * wake it with a record it skips. It marks itself asleep, then looks at
 * the ring's producer position (ringbuf.c), which the reservation moved;
 * the kernel's commit of the record orders it before the load of
 * ct_reader: the reader saw the record, or it is seen asleep. The wake-up
 * reaches the reader's epoll set even before it waits there.
 */
static __always_inline void ct_wake_late(struct ct_stats *s)
{
	void *r;

	ct_reader = CT_READER_AWAKE;
	if (s)
		s->woken++;
	r = bpf_ringbuf_reserve(&events, 8, 0);
	if (r)
		bpf_ringbuf_discard(r, BPF_RB_FORCE_WAKEUP);
}

static __always_inline long ct_ringbuf_send(struct ct_stats *s, void *data,
					    __u64 size)
{
	__u64 flag = BPF_RB_NO_WAKEUP;
	long err;

	if (ct_wakeup_wanted(s, size)) {
		ct_reader = CT_READER_AWAKE;
		flag = BPF_RB_FORCE_WAKEUP;
	}
	err = bpf_ringbuf_output(&events, data, size, flag);
	if (ct_reader == CT_READER_ASLEEP)
		ct_wake_late(s);
	return err;
}

/*
 * Set by user space when it stops (consume.c): no send after it, so that
 * after a grace period its last read takes every event sent, and it
 * prints them and the counts before the detach (slow on some kernels).
 * An event refused here is neither sent nor lost: it came after the end.
 * Its own variable: the sends write ct_reader, and must not undo it.
 */
volatile __u32 ct_stopped;

/* Send size bytes at data (size must be bounded for the verifier). */
static __always_inline long ct_send(void *ctx, void *data, __u64 size)
{
	struct ct_stats *s;
	long err;

	if (ct_stopped)
		return -1;
	s = ct_stats_here();
	if (ct_use_perfbuf)
		err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU,
					    data, size);
	else
		err = ct_ringbuf_send(s, data, size);
	ct_count(s, err);
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
#define CT_SCRATCH(name, value_type) CT_PERCPU_ONE(name, value_type)

static __always_inline void *ct_scratch(void *map)
{
	return ct_percpu_one(map);
}

#endif
