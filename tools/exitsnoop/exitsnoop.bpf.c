// SPDX-License-Identifier: GPL-2.0
/*
 * Exits are reported from sched:sched_process_exit, which do_exit() fires
 * in the exiting task once the thread group's count of live threads has
 * dropped. A process ends with its last thread (group_dead), whichever
 * thread that is: the leader may have left long before.
 *
 * Since the tracepoint got its group_dead argument (6.16), it comes before
 * exit_mm() and the task's argv can be read from its own stack. Before,
 * the mm is gone by then: user space then has exit_group() and the last
 * thread's exit() save argv at their entry, for the exit to find.
 *
 * The exit handler exists three times and user space loads one: tp_btf,
 * raw tracepoint or plain tracepoint.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "argv.bpf.h"
#include "events.bpf.h"
#include "filter.bpf.h"
#include "missed.bpf.h"
#include "exitsnoop.h"

/* The kernel's tracepoint passes group_dead and comes before exit_mm(). */
const volatile bool tp_has_group_dead = false;
const volatile bool per_thread = false;
const volatile bool failed_only = false;
const volatile bool show_args = false;
/* argv saved at exit_group()/exit() entry (the tracepoint follows exit_mm) */
const volatile bool args_saved = false;
const volatile __u32 target_ppid = 0;
const volatile char name_filter[EXIT_COMM_LEN] = {};
const volatile __u32 name_filter_len = 0;

_Static_assert(EXIT_ARGS_BYTES == CT_ARGV_BYTES,
	       "exitsnoop's argv limit is argv.bpf.h's");

#define ARGS_MASK CT_ARGV_MASK
/* include/linux/sched/signal.h, the same since 2.6 */
#define SIGNAL_GROUP_EXIT 0x00000004

struct saved_args {
	__u16 len;
	__u8 flags;
	char args[EXIT_ARGS_BYTES];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct saved_args);
} saved SEC(".maps");

CT_SCRATCH(scratch, struct exit_event);
CT_SCRATCH(save_scratch, struct saved_args);

/* Read own argv into args; the flags say whether it could be. */
static __always_inline __u8 read_own_args(char *args, __u16 *len)
{
	bool cut = false;

	*len = ct_current_args(args, ARGS_MASK, ARGS_MASK, &cut);
	if (!*len)
		return 0;
	return EXIT_ARGS_READ | (cut ? EXIT_ARGS_TRUNCATED : 0);
}

static __always_inline int save_args(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct saved_args *s;

	if (!ct_task_wanted())
		return 0;
	s = ct_scratch(&save_scratch);
	if (!s)
		return 0;
	s->flags = read_own_args(s->args, &s->len);
	if (s->flags && bpf_map_update_elem(&saved, &tgid, s, BPF_ANY))
		ct_count_missed();
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_exit_group")
int handle_exit_group(void *ctx)
{
	return save_args();
}

/* A thread's exit(): the process ends if it is the last thread. */
SEC("tracepoint/syscalls/sys_enter_exit")
int handle_exit_thread(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (BPF_CORE_READ(task, signal, live.counter) != 1)
		return 0;
	return save_args();
}

static __always_inline void saved_args(struct exit_event *e)
{
	struct saved_args *s = bpf_map_lookup_elem(&saved, &e->pid);

	if (!s)
		return;
	e->args_len = s->len & ARGS_MASK;
	if (bpf_probe_read_kernel(e->args, e->args_len, s->args))
		return;
	e->flags |= s->flags;
}

static __always_inline void read_args(struct exit_event *e)
{
	if (args_saved)
		saved_args(e);
	else
		e->flags |= read_own_args(e->args, &e->args_len);
	if (!(e->flags & EXIT_ARGS_READ))
		e->args_len = 0;
}

/* The wait(2) status of the thread, or with group_dead of the process. */
static __always_inline int exit_status(struct task_struct *task,
				       bool group_dead)
{
	struct signal_struct *sig = BPF_CORE_READ(task, signal);

	if (!group_dead)
		return BPF_CORE_READ(task, exit_code);
	if (BPF_CORE_READ(sig, flags) & SIGNAL_GROUP_EXIT)
		return BPF_CORE_READ(sig, group_exit_code);
	/* Its threads all left by exit(): wait(2) tells the leader's code. */
	return BPF_CORE_READ(task, group_leader, exit_code);
}

/* Fill in who exits; false if the filters reject it. */
static __always_inline bool fill(struct exit_event *e, bool group_dead)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *who = task;
	__u64 id = bpf_get_current_pid_tgid();

	if (!per_thread)
		who = BPF_CORE_READ(task, group_leader);
	e->status = exit_status(task, group_dead);
	if (failed_only && !e->status)
		return false;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	if (target_ppid && e->ppid != target_ppid)
		return false;
	BPF_CORE_READ_STR_INTO(&e->comm, who, comm);
	if (!ct_comm_contains(e->comm, name_filter, name_filter_len))
		return false;
	e->ts = bpf_ktime_get_ns();
	e->start_ns = BPF_CORE_READ(who, start_time);
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->flags = group_dead ? EXIT_GROUP_DEAD : 0;
	e->args_len = 0;
	return true;
}

static __always_inline void report(void *ctx, bool group_dead)
{
	struct exit_event *e;

	if (!per_thread && !group_dead)
		return;
	if (!ct_task_wanted())
		return;
	e = ct_scratch(&scratch);
	if (!e || !fill(e, group_dead))
		return;
	if (show_args)
		read_args(e);
	CT_SEND(ctx, e, offsetof(struct exit_event, args) + e->args_len);
}

static __always_inline int report_exit(void *ctx, bool group_dead)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	report(ctx, group_dead);
	/* Whatever the filters said, the process is over. */
	if (args_saved && group_dead)
		bpf_map_delete_elem(&saved, &tgid);
	return 0;
}

/* A process whose end was reported: its signal_struct and tgid. */
struct ended_key {
	__u64 signal;
	__u32 tgid;
	__u32 pad;
};

/* Sized by user space: 1 entry where the tracepoint tells group_dead. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ended_key);
	__type(value, __u8);
} ended SEC(".maps");

/*
 * Without the tracepoint's group_dead, the last thread is the one that
 * finds no live thread left. Two threads leaving at once may both find
 * that: only the first of them counts.
 */
static __always_inline bool no_live_threads(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct ended_key key = {};
	__u8 one = 1;

	if (BPF_CORE_READ(task, signal, live.counter))
		return false;
	key.signal = (__u64)BPF_CORE_READ(task, signal);
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	return !bpf_map_update_elem(&ended, &key, &one, BPF_NOEXIST);
}

SEC("tp_btf/sched_process_exit")
int btf_exit(__u64 *ctx)
{
	return report_exit(ctx, tp_has_group_dead ? (bool)ctx[1] :
						no_live_threads());
}

SEC("raw_tp/sched_process_exit")
int raw_exit(__u64 *ctx)
{
	return report_exit(ctx, tp_has_group_dead ? (bool)ctx[1] :
						no_live_threads());
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(struct trace_event_raw_sched_process_exit *ctx)
{
	return report_exit(ctx, tp_has_group_dead ? ctx->group_dead :
						no_live_threads());
}

char LICENSE[] SEC("license") = "GPL";
