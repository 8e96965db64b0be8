// SPDX-License-Identifier: GPL-2.0
/*
 * Run queue latency: the time from a task becoming runnable (woken up, or
 * preempted while still runnable) to it running on a CPU, as log2
 * histograms aggregated here in the kernel.
 *
 * Every handler exists three times, and user space loads one set: tp_btf
 * and raw tracepoints get the task_structs, plain tracepoints only the
 * pids. With the latter the switched-in task is not current, so its
 * latency waits in "pending" until it is switched out again, when the
 * filters and keys can look at it as current.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "filter.bpf.h"
#include "histogram.bpf.h"
#include "runqlat.h"

#define TASK_RUNNING 0
/* A plain tracepoint's prev_state keeps these bits for sleeping states. */
#define TP_SLEEP_STATES 0xff

const volatile bool in_ms = false;
const volatile __u8 hist_by = RUNQ_BY_ALL;

/* When each thread (by tid) became runnable. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RUNQ_MAX_KEYS);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

/* Plain tracepoints: latency (ns) of a thread switched in, not yet counted. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RUNQ_MAX_KEYS);
	__type(key, __u32);
	__type(value, __u64);
} pending SEC(".maps");

/* Per process, thread or PID namespace; one entry only without a key. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RUNQ_MAX_KEYS);
	__type(key, __u32);
	__type(value, struct runq_hist);
} hists SEC(".maps");

/* Without -P, -L or --pidnss: the one histogram. */
CT_HIST_SINGLE_MAP(hist, struct runq_hist);

/* Kernels before 5.14 call task_struct's state "state". */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

/*
 * typed: t is a tp_btf argument, its scalars plain loads; a raw
 * tracepoint's are bare addresses, read by a helper call each.
 */
static __always_inline long task_state(struct task_struct *t, bool typed)
{
	struct task_struct___pre514 *old = (void *)t;

	if (bpf_core_field_exists(t->__state))
		return typed ? t->__state : BPF_CORE_READ(t, __state);
	return typed ? old->state : BPF_CORE_READ(old, state);
}

static __always_inline __u32 task_tid(struct task_struct *t, bool typed)
{
	return typed ? t->pid : BPF_CORE_READ(t, pid);
}

/* The pid namespace t lives in (not the one its children will get). */
static __always_inline __u32 pidns_of(struct task_struct *t)
{
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};

	bpf_probe_read_kernel(&up, sizeof(up), (void *)pid +
			      bpf_core_field_offset(struct pid, numbers) +
			      level * bpf_core_type_size(struct upid));
	return BPF_CORE_READ(up.ns, ns.inum);
}

static __always_inline __u32 key_of(struct task_struct *t, bool typed)
{
	switch (hist_by) {
	case RUNQ_BY_PROCESS:
		return typed ? t->tgid : BPF_CORE_READ(t, tgid);
	case RUNQ_BY_THREAD:
		return task_tid(t, typed);
	case RUNQ_BY_PIDNS:
		return pidns_of(t);
	default:
		return 0;
	}
}

static __always_inline void name_hist(struct runq_hist *h,
				      struct task_struct *t)
{
	if (hist_by == RUNQ_BY_PROCESS)
		BPF_CORE_READ_STR_INTO(&h->comm, t, group_leader, comm);
	else if (hist_by == RUNQ_BY_THREAD)
		BPF_CORE_READ_STR_INTO(&h->comm, t, comm);
}

/* The histogram of task t: NULL, counted, when the map is full. */
static __always_inline struct runq_hist *hist_of(struct task_struct *t,
						 bool typed)
{
	struct runq_hist *h;
	__u32 key;

	if (hist_by == RUNQ_BY_ALL)
		return ct_hist_single(&hist);
	key = key_of(t, typed);
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		struct runq_hist fresh = {};

		name_hist(&fresh, t);
		h = ct_map_insert(&hists, &key, &fresh);
	}
	return h;
}

/* Count a latency of delta ns for task t. */
static __always_inline void account(struct task_struct *t, bool typed,
				    __u64 delta)
{
	struct runq_hist *h = hist_of(t, typed);
	__u32 slot;

	if (!h)
		return;
	slot = ct_log2_slot(delta / (in_ms ? 1000000 : 1000), RUNQ_SLOTS) &
	       (RUNQ_SLOTS - 1);
	ct_hist_add(&h->slots[slot], &h->sum_ns, delta);
}

static __always_inline void mark_runnable(__u32 tid)
{
	__u64 now = bpf_ktime_get_ns();

	/* The idle tasks (tid 0, one per CPU) do not queue. */
	if (tid && bpf_map_update_elem(&start, &tid, &now, BPF_ANY))
		ct_count_missed();
}

/* How long thread tid waited, taking it out of start; 0 if unknown. */
static __always_inline __u64 waited(__u32 tid)
{
	__u64 *ts = bpf_map_lookup_elem(&start, &tid);
	__u64 now, then;

	if (!ts)
		return 0;
	then = *ts;
	bpf_map_delete_elem(&start, &tid);
	/* The clock only for a thread that was waiting. */
	now = bpf_ktime_get_ns();
	return now > then ? now - then : 0;
}

/* tp_btf and raw tracepoints: the tasks themselves. */

static __always_inline int on_wakeup(struct task_struct *p, bool typed)
{
	if (ct_task_struct_wanted(p))
		mark_runnable(task_tid(p, typed));
	return 0;
}

static __always_inline int on_switch(bool preempt, struct task_struct *prev,
				     struct task_struct *next, bool typed)
{
	__u64 delta;

	/* Preempted, or yielding: prev goes back into the run queue. */
	if ((preempt || task_state(prev, typed) == TASK_RUNNING) &&
	    ct_task_struct_wanted(prev))
		mark_runnable(task_tid(prev, typed));
	delta = waited(task_tid(next, typed));
	if (delta)
		account(next, typed, delta);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(btf_wakeup, struct task_struct *p)
{
	return on_wakeup(p, true);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(btf_wakeup_new, struct task_struct *p)
{
	return on_wakeup(p, true);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	return on_switch(preempt, prev, next, true);
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(raw_wakeup, struct task_struct *p)
{
	return on_wakeup(p, false);
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(raw_wakeup_new, struct task_struct *p)
{
	return on_wakeup(p, false);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	return on_switch(preempt, prev, next, false);
}

/* Plain tracepoints: pids only; current is the task switched out. */

static __always_inline int on_tp_wakeup(__u32 tid)
{
	/* Only the tid filter can be applied to a task that is not current. */
	if (!ct_filter.tid || tid == ct_filter.tid)
		mark_runnable(tid);
	return 0;
}

SEC("tp/sched/sched_wakeup")
int tp_wakeup(struct trace_event_raw_sched_wakeup_template *ctx)
{
	return on_tp_wakeup(ctx->pid);
}

SEC("tp/sched/sched_wakeup_new")
int tp_wakeup_new(struct trace_event_raw_sched_wakeup_template *ctx)
{
	return on_tp_wakeup(ctx->pid);
}

SEC("tp/sched/sched_switch")
int tp_switch(struct trace_event_raw_sched_switch *ctx)
{
	struct task_struct *prev = (void *)bpf_get_current_task();
	__u32 prev_tid = ctx->prev_pid, next_tid = ctx->next_pid;
	__u64 *pend = bpf_map_lookup_elem(&pending, &prev_tid);
	bool wanted = ct_task_wanted();
	__u64 delta;

	if (pend) {
		delta = *pend;
		bpf_map_delete_elem(&pending, &prev_tid);
		if (wanted)
			account(prev, false, delta);
	}
	/* Running, or preempted (a bit above the sleeping states). */
	if (!(ctx->prev_state & TP_SLEEP_STATES) && wanted)
		mark_runnable(prev_tid);
	delta = waited(next_tid);
	if (delta && bpf_map_update_elem(&pending, &next_tid, &delta, BPF_ANY))
		ct_count_missed();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
