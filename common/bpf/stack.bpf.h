/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capturing stacks into the stack map ct_stacks, with each one the map
 * cannot take counted: user space reports them (common/stacks.h) as it
 * reports lost events. User space sizes the map before load.
 */
#ifndef CT_STACK_BPF_H
#define CT_STACK_BPF_H

#include <bpf/bpf_core_read.h>

#include "stack_map.h"

#ifndef EFAULT
#define EFAULT 14
#endif

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, CT_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, CT_STACK_ENTRIES);
} ct_stacks SEC(".maps");

/* The stacks ct_stacks refused (stack_map.h). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, CT_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, CT_STACK_MORE_ENTRIES(CT_STACK_ENTRIES));
} ct_stacks_more SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ct_stack_stats);
} ct_stack_stats SEC(".maps");

/*
 * The id of the current kernel stack (flags 0) or user stack
 * (BPF_F_USER_STACK), or a negative errno (stack_map.h). Without
 * BPF_F_REUSE_STACKID a hash collision is a refusal, not an older stack
 * overwritten under an id some count still holds: the refused stack is
 * taken again, into ct_stacks_more.
 */
static __always_inline __s32 ct_stack_id(void *ctx, __u64 flags)
{
	long id = bpf_get_stackid(ctx, &ct_stacks, flags);
	__u32 zero = 0;
	struct ct_stack_stats *s;

	if (id >= 0 || id == -EFAULT)
		return id;
	id = bpf_get_stackid(ctx, &ct_stacks_more, flags);
	if (id >= 0)
		return id | CT_STACK_MORE;
	if (id == -EFAULT)
		return id;
	s = bpf_map_lookup_elem(&ct_stack_stats, &zero);
	if (s)
		s->missed++;
	return id;
}

/*
 * Which life of task's process its user stacks belong to (the proc_id
 * user space reads the mappings by): its mm, and its exec count, as an
 * exec's new mm is often allocated where the mm of the exec before it
 * was. 0 for a kernel thread.
 */
static __always_inline __u64 ct_process_life(struct task_struct *task)
{
	__u64 mm = (__u64)BPF_CORE_READ(task, mm);
	__u64 execs = BPF_CORE_READ(task, self_exec_id);

	return mm ? mm ^ (execs * 0x9e3779b97f4a7c15ULL) : 0;
}

#endif
