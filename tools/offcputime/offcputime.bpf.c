// SPDX-License-Identifier: GPL-2.0
/*
 * offcputime: at each context switch, remember when and with which
 * stacks the thread leaving the CPU left it (it is current then, so its
 * stacks can be taken); when it comes back, add the time it was away to
 * the total of its stacks.
 * wakeuptime (waker): remember when a thread went to sleep; when another
 * wakes it (sched_waking runs in the waker, unlike sched_wakeup, which
 * may run on the woken thread's CPU), add the time it slept to the total
 * of the waker's stacks.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "filter.bpf.h"
#include "sched_state.bpf.h"
#include "stack_total.bpf.h"
#include "task.bpf.h"
#include "offcputime.h"

#define PF_KTHREAD 0x00200000

const volatile bool waker = false;
const volatile bool user_threads_only = false;
const volatile bool kernel_threads_only = false;
const volatile bool user_stacks_only = false;
const volatile bool kernel_stacks_only = false;
const volatile bool per_thread = false;
/* --state: CT_STATE_* bits, OFFCPU_STATE_R; 0 for all */
const volatile __u32 states = 0;
const volatile __u64 min_ns = 1000;
const volatile __u64 max_ns = ~0ULL;

/*
 * Each thread's last time off the CPU, by thread id. Not an LRU map: one
 * evicts entries long before it is full (seen: a sleeper's entry gone in
 * its sleep with a handful in the map, under load on 6.18), which loses
 * that block without a word. A thread's entry goes when it dies instead;
 * a full map is counted (start_of()).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OFFCPU_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct offcpu_start);
} start SEC(".maps");

/* s: the state prev leaves the CPU in (ct_switch_state()). */
static __always_inline bool state_wanted(__u32 s)
{
	/* A preempted thread is not blocked: nobody will wake it. */
	if (waker && s == CT_STATE_RUNNING)
		return false;
	return !states || (states & (s ? s : OFFCPU_STATE_R));
}

static __always_inline bool thread_wanted(struct task_struct *prev,
					  __u32 tid)
{
	bool kthread = BPF_CORE_READ(prev, flags) & PF_KTHREAD;

	/* The idle tasks (tid 0) are never blocked. */
	if (!tid)
		return false;
	if ((user_threads_only && kthread) || (kernel_threads_only && !kthread))
		return false;
	return !ct_filtering() || ct_task_wanted();
}

/*
 * The current thread's process (which life of it), name and stacks, into
 * key; returns the life if its user stack was taken, else 0.
 */
static __always_inline __u64 key_current(void *ctx, struct ct_stack_key *key,
					 __u64 id)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 life = ct_process_life(task);
	bool user = life && !kernel_stacks_only && !ct_task_in_exec(task);

	key->pid = id >> 32;
	key->tid = per_thread ? (__u32)id : 0;
	key->proc_id = life;
	bpf_get_current_comm(key->comm, sizeof(key->comm));
	key->kstack = user_stacks_only ? CT_STACK_NOT_TAKEN :
		      ct_stack_id(ctx, 0);
	key->ustack = user ? ct_stack_id(ctx, BPF_F_USER_STACK) :
			     CT_STACK_NOT_TAKEN;
	return user ? life : 0;
}

/* Thread tid's entry in start, made if it has none. */
static __always_inline struct offcpu_start *start_of(__u32 tid)
{
	static const struct offcpu_start fresh;
	struct offcpu_start *st = bpf_map_lookup_elem(&start, &tid);

	if (st)
		return st;
	bpf_map_update_elem(&start, &tid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&start, &tid);
}

/* prev, which is current, leaves the CPU. */
static __always_inline void switched_out(void *ctx, __u64 *args)
{
	struct task_struct *prev = (void *)args[1];
	__u64 id = bpf_get_current_pid_tgid();
	__u32 state = ct_switch_state(args);
	struct offcpu_start *st;
	__u64 life;

	/* Its last switch: it never comes back to be counted. */
	if (state & (CT_STATE_X | CT_STATE_Z)) {
		bpf_map_delete_elem(&start, &(__u32){ (__u32)id });
		return;
	}
	if (!thread_wanted(prev, (__u32)id) || !state_wanted(state))
		return;
	st = start_of((__u32)id);
	if (!st) {
		ct_count_missed();
		return;
	}
	if (waker) {
		/* The waker's stacks come later: who sleeps, now. */
		st->key.target_pid = id >> 32;
		bpf_get_current_comm(st->key.target_comm,
				     sizeof(st->key.target_comm));
	} else {
		life = key_current(ctx, &st->key, id);
		/* The thread's last word saves a lookup in ct_told. */
		if (life && life != st->told &&
		    ct_stack_tell(ctx, st->key.pid, life))
			st->told = life;
	}
	st->ts = bpf_ktime_get_ns();
}

/*
 * Thread tid's entry if it is away (then marked back), with how long it
 * was in *ns; NULL if it was not seen leaving.
 */
static __always_inline struct offcpu_start *away(__u32 tid, __u64 *ns)
{
	struct offcpu_start *st = bpf_map_lookup_elem(&start, &tid);

	if (!st || !st->ts)
		return NULL;
	*ns = bpf_ktime_get_ns() - st->ts;
	st->ts = 0;
	return st;
}

static __always_inline bool in_range(__u64 delta)
{
	return delta && delta >= min_ns && delta <= max_ns;
}

/*
 * next comes back. wakeuptime: its waker, if any, counted it; one never
 * woken (a sleep the waker filters left out) is forgotten.
 */
static __always_inline void switched_in(struct task_struct *next)
{
	__u64 delta;
	struct offcpu_start *st = away(BPF_CORE_READ(next, pid), &delta);

	if (st && !waker && in_range(delta))
		ct_stack_total_add(&st->key, delta);
}

static __always_inline int on_switch(void *ctx, __u64 *args)
{
	switched_out(ctx, args);
	switched_in((void *)args[2]);
	return 0;
}

/* The current thread wakes p. */
static __always_inline int on_waking(void *ctx, struct task_struct *p)
{
	struct offcpu_start *st;
	struct ct_stack_key key;
	__u64 delta, life;

	st = away(BPF_CORE_READ(p, pid), &delta);
	if (!st || !in_range(delta))
		return 0;
	key = st->key;
	life = key_current(ctx, &key, bpf_get_current_pid_tgid());
	if (life)
		ct_stack_tell(ctx, key.pid, life);
	ct_stack_total_add(&key, delta);
	return 0;
}

SEC("tp_btf/sched_switch")
int btf_switch(__u64 *ctx)
{
	return on_switch(ctx, ctx);
}

SEC("raw_tp/sched_switch")
int raw_switch(struct bpf_raw_tracepoint_args *ctx)
{
	return on_switch(ctx, ctx->args);
}

SEC("tp_btf/sched_waking")
int btf_waking(__u64 *ctx)
{
	return on_waking(ctx, (void *)ctx[0]);
}

SEC("raw_tp/sched_waking")
int raw_waking(struct bpf_raw_tracepoint_args *ctx)
{
	return on_waking(ctx, (void *)ctx->args[0]);
}

char LICENSE[] SEC("license") = "GPL";
