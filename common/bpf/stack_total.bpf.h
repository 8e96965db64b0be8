/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Blocked time summed by stack (offcputime, wakeuptime): the "totals" map
 * (user space sizes it as the stack map) and the first-sighting message
 * that lets user space read a process's mappings while it lives.
 */
#ifndef CT_STACK_TOTAL_BPF_H
#define CT_STACK_TOTAL_BPF_H

#include "events.bpf.h"
#include "histogram.bpf.h"
#include "stack.bpf.h"
#include "stack_key.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CT_STACK_ENTRIES);
	__type(key, struct ct_stack_key);
	__type(value, struct ct_stack_total);
} totals SEC(".maps");

/*
 * The life (ct_process_life()) of each process user space was told of;
 * ct_stack_tell() says whether it has been (false: its message was lost).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} ct_told SEC(".maps");

static __always_inline bool ct_stack_tell(void *ctx, __u32 pid, __u64 life)
{
	struct ct_stack_proc p = { .pid = pid, .proc_id = life };
	__u64 *known = bpf_map_lookup_elem(&ct_told, &pid);

	if (known && *known == life)
		return true;
	/* Marked only once sent: a lost one is sent again next time. */
	if (ct_send(ctx, &p, sizeof(p)))
		return false;
	bpf_map_update_elem(&ct_told, &pid, &life, BPF_ANY);
	return true;
}

/* Add ns blocked to key's total; a full map is counted, not silent. */
static __always_inline void ct_stack_total_add(struct ct_stack_key *key,
					       __u64 ns)
{
	struct ct_stack_total fresh = { .ns = ns, .count = 1 };
	struct ct_stack_total *t = bpf_map_lookup_elem(&totals, key);

	if (!t && !bpf_map_update_elem(&totals, key, &fresh, BPF_NOEXIST))
		return;
	if (!t)
		t = bpf_map_lookup_elem(&totals, key);
	if (!t) {
		ct_count_missed();
		return;
	}
	__sync_fetch_and_add(&t->ns, ns);
	__sync_fetch_and_add(&t->count, 1);
}

#endif
