// SPDX-License-Identifier: GPL-2.0
/*
 * profile: on each CPU, a perf event samples what runs; count the samples
 * per process and pair of stacks, and tell user space of each process the
 * first time it is sampled, so that it can read its mappings while the
 * process lives.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "histogram.bpf.h"
#include "stack.bpf.h"
#include "profile.h"

const volatile bool user_only = false;
const volatile bool kernel_only = false;
const volatile bool include_idle = false;

/* User space sizes it as the stack map (--stack-storage-size). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CT_STACK_ENTRIES);
	__type(key, struct profile_key);
	__type(value, __u64);
} counts SEC(".maps");

/*
 * When user space was last told of each process, and which life of it
 * (ct_process_life()). Told again at most every PROFILE_RETELL_NS while
 * sampled: a JIT may write its perf map after its first sample. User
 * space deletes a process it found nothing mapped for (ct_told, as
 * common/stacks.h finds it), to be told again at its next sample.
 */
struct told {
	__u64 life;
	__u64 ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct told);
} ct_told SEC(".maps");

static __always_inline void tell_process(void *ctx, __u32 pid, __u64 life)
{
	struct ct_stack_proc p = { .pid = pid, .proc_id = life };
	struct told *known = bpf_map_lookup_elem(&ct_told, &pid);
	struct told now = { life, bpf_ktime_get_ns() };

	if (known && known->life == life &&
	    now.ns - known->ns < PROFILE_RETELL_NS)
		return;
	/* Marked only once sent: a lost one is sent again next sample. */
	if (!ct_send(ctx, &p, sizeof(p)))
		bpf_map_update_elem(&ct_told, &pid, &now, BPF_ANY);
}

static __always_inline void count(struct profile_key *key)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(&counts, key);

	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (bpf_map_update_elem(&counts, key, &one, BPF_NOEXIST)) {
		n = bpf_map_lookup_elem(&counts, key);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			ct_count_missed();
	}
}

SEC("perf_event")
int sample(struct bpf_perf_event_data *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	struct profile_key key = {};
	__u64 life;

	if (!include_idle && (__u32)id == 0)
		return 0;
	if (ct_filtering() && !ct_task_wanted())
		return 0;
	life = ct_process_life(task);
	key.pid = id >> 32;
	key.proc_id = life;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	key.kstack = user_only ? CT_STACK_NOT_TAKEN : ct_stack_id(ctx, 0);
	key.ustack = kernel_only || !life ? CT_STACK_NOT_TAKEN :
		     ct_stack_id(ctx, BPF_F_USER_STACK);
	if (life && !kernel_only)
		tell_process(ctx, key.pid, life);
	count(&key);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
