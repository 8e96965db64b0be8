// SPDX-License-Identifier: GPL-2.0
/*
 * Capability checks, as commoncap's cap_capable() decides them. Since 6.14
 * the capability:cap_capable tracepoint reports each decision (tp_btf, raw
 * or plain, whichever this kernel has); older kernels get a kprobe and a
 * kretprobe on cap_capable() instead, which also see its opts (audit or
 * not, setid). User space loads one of the two.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "stack.bpf.h"
#include "task.bpf.h"
#include "capable.h"

#define EEXIST 17

const volatile bool denied_only = false;
const volatile bool unique = false;
/* --unique per cgroup (with -c) rather than per process. */
const volatile bool unique_cgroup = false;
const volatile char name_filter[CAP_COMM_LEN] = {};
const volatile __u32 name_filter_len = 0;
const volatile bool kernel_stack = false;
const volatile bool user_stack = false;

/* Checks --unique could not remember: its table was full. */
__u64 unique_full = 0;
/* The error that made the last one fail. */
__s64 unique_err = 0;
/* Checks the kprobe path lost: too many threads in cap_capable() at once. */
__u64 checks_full = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CAP_UNIQUE_MAX);
	__type(key, struct cap_key);
	__type(value, __u8);
} seen SEC(".maps");

/* kprobe path: the check under way in each thread, till cap_capable returns. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct cap_event);
} checks SEC(".maps");

static __always_inline __u32 ns_inum(const struct user_namespace *ns)
{
	return ns ? BPF_CORE_READ(ns, ns.inum) : 0;
}

/* -K, -U: the stacks of the check, from where it is made. */
static __always_inline void take_stacks(void *ctx, struct cap_event *e)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	e->proc_id = ct_process_life(task);
	e->kstack = kernel_stack ? ct_stack_id(ctx, 0) : CT_STACK_NOT_TAKEN;
	e->ustack = user_stack && e->proc_id && !ct_task_in_exec(task) ?
		    ct_stack_id(ctx, BPF_F_USER_STACK) : CT_STACK_NOT_TAKEN;
}

/* Start e for the current task; false if the filters reject it. */
static __always_inline bool begin(void *ctx, struct cap_event *e,
				  const struct user_namespace *target_ns,
				  const struct user_namespace *capable_ns,
				  int cap)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (!ct_task_wanted())
		return false;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (!ct_comm_contains(e->comm, name_filter, name_filter_len))
		return false;
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->cap = cap;
	e->target_ns = ns_inum(target_ns);
	e->capable_ns = ns_inum(capable_ns);
	take_stacks(ctx, e);
	return true;
}

/* Is this pair new to --unique? A full table cannot tell: it is shown. */
static __always_inline bool first_time(const struct cap_event *e)
{
	struct cap_key key = { .cap = e->cap };
	__u8 one = 1;
	long err;

	key.id = unique_cgroup ? bpf_get_current_cgroup_id() : e->pid;
	/*
	 * Look first: on 6.1 a kprobe's BPF_NOEXIST update of a pair already
	 * there did not always fail with EEXIST.
	 */
	if (bpf_map_lookup_elem(&seen, &key))
		return false;
	err = bpf_map_update_elem(&seen, &key, &one, BPF_NOEXIST);
	if (err == -EEXIST)
		return false;
	if (err) {
		unique_err = err;
		__sync_fetch_and_add(&unique_full, 1);
	}
	return true;
}

/* The verdict is in: send e unless -x or --unique leave it out. */
static __always_inline void end(void *ctx, struct cap_event *e, int ret)
{
	e->ret = ret;
	if (denied_only && !ret)
		return;
	if (unique && !first_time(e))
		return;
	ct_send(ctx, e, sizeof(*e));
}

static __always_inline int on_tracepoint(void *ctx,
					 struct user_namespace *target_ns,
					 const struct user_namespace *capable_ns,
					 int cap, int ret)
{
	struct cap_event e = {};

	if (begin(ctx, &e, target_ns, capable_ns, cap))
		end(ctx, &e, ret);
	return 0;
}

SEC("tp_btf/cap_capable")
int BPF_PROG(btf_capable, const struct cred *cred,
	     struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	return on_tracepoint(ctx, target_ns, capable_ns, cap, ret);
}

SEC("raw_tp/cap_capable")
int BPF_PROG(raw_capable, const struct cred *cred,
	     struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	return on_tracepoint(ctx, target_ns, capable_ns, cap, ret);
}

SEC("tracepoint/capability/cap_capable")
int handle_capable(struct trace_event_raw_cap_capable *ctx)
{
	return on_tracepoint(ctx, ctx->target_ns, ctx->capable_ns, ctx->cap,
			     ctx->ret);
}

SEC("kprobe/cap_capable")
int BPF_KPROBE(kprobe_capable, const struct cred *cred,
	       struct user_namespace *target_ns, int cap, unsigned int opts)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct cap_event e = {};

	/* What the tracepoint calls capable_ns is the cred's namespace. */
	if (!begin(ctx, &e, target_ns, BPF_CORE_READ(cred, user_ns), cap))
		return 0;
	e.opts = opts;
	e.has_opts = 1;
	if (bpf_map_update_elem(&checks, &tid, &e, BPF_ANY))
		__sync_fetch_and_add(&checks_full, 1);
	return 0;
}

SEC("kretprobe/cap_capable")
int BPF_KRETPROBE(kretprobe_capable, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct cap_event *e = bpf_map_lookup_elem(&checks, &tid);

	if (!e)
		return 0;
	end(ctx, e, ret);
	bpf_map_delete_elem(&checks, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
