// SPDX-License-Identifier: GPL-2.0
/*
 * Each victim is reported from oom:mark_victim, which fires once per task
 * the OOM killer marks, in the task that ran out of memory (current). Where
 * kprobes work, one on oom_kill_process() keeps the oom_control (victim,
 * totalpages, constraint) for the mark_victim that follows. Where the
 * tracepoint hands over the victim's task (kernels since 2024), the victim
 * comes from it, and without the kprobe the kind of OOM from the kernel
 * stack: a memcg OOM runs through mem_cgroup_out_of_memory(). Older
 * kernels pass only a pid, which the kprobe's victim must match.
 *
 * An exiting task can be marked without being killed: the OOM killer's
 * SIGKILL (signal:signal_generate, kernel-sent, just before the mark) is
 * what tells a kill.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "oomkill.h"

/* The OOM in progress in a task: from oom_kill_process() (kprobe). */
struct oom_ctl {
	struct task_struct *chosen;
	__u64 totalpages;
	__u32 why;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct oom_ctl);
} ctls SEC(".maps");

/* The process each task last sent the kernel's SIGKILL to. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u32);
} kills SEC(".maps");

CT_SCRATCH(scratch, struct oom_event);

/* Kernels before 6.2 count an mm's pages in atomics. */
struct mm_rss_stat___old {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___old {
	struct mm_rss_stat___old rss_stat;
} __attribute__((preserve_access_index));

/* MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES: stable since 4.5. */
enum { FILE_PAGES = 0, ANON_PAGES = 1, SHMEM_PAGES = 3 };

/* get_mm_counter(): a counter's approximate value, never below 0. */
static __always_inline __u64 mm_counter(struct mm_struct *mm, int i)
{
	long n;

	if (bpf_core_type_exists(struct mm_rss_stat___old)) {
		struct mm_struct___old *old = (void *)mm;

		n = BPF_CORE_READ(old, rss_stat.count[i & 3].counter);
	} else {
		n = BPF_CORE_READ(mm, rss_stat[i & 3].count);
	}
	return n > 0 ? n : 0;
}

static __always_inline void fill_mm(struct oom_event *e,
				    struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);

	if (!mm)
		return;
	e->total_vm = BPF_CORE_READ(mm, total_vm);
	e->anon_rss = mm_counter(mm, ANON_PAGES);
	e->file_rss = mm_counter(mm, FILE_PAGES);
	e->shmem_rss = mm_counter(mm, SHMEM_PAGES);
	e->flags |= OOM_MM;
}

/* The memory cgroup t is in, and whether it is on a v1 hierarchy. */
static __always_inline void fill_memcg(struct oom_event *e,
				       struct task_struct *t)
{
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	struct css_set *cset = BPF_CORE_READ(t, cgroups);
	struct cgroup_subsys_state *css = NULL;
	struct cgroup *cg;

	bpf_probe_read_kernel(&css, sizeof(css), &cset->subsys[id & 15]);
	cg = css ? BPF_CORE_READ(css, cgroup) : NULL;
	if (!cg)
		return;
	e->memcg_id = BPF_CORE_READ(cg, kn, id);
	e->flags |= OOM_MEMCG;
	if (BPF_CORE_READ(cg, root) != BPF_CORE_READ(cset, dfl_cgrp, root))
		e->flags |= OOM_MEMCG_V1;
}

/* What the victim's task says; false if the filters reject it. */
static __always_inline bool fill_victim(struct oom_event *e,
					struct task_struct *t)
{
	if (!ct_task_struct_wanted(t))
		return false;
	e->pid = BPF_CORE_READ(t, tgid);
	e->uid = BPF_CORE_READ(t, cred, uid.val);
	e->oom_score_adj = BPF_CORE_READ(t, signal, oom_score_adj);
	BPF_CORE_READ_STR_INTO(&e->comm, t, comm);
	e->flags |= OOM_VICTIM;
	fill_mm(e, t);
	fill_memcg(e, t);
	return true;
}

static __always_inline struct oom_event *new_event(struct oom_event *e)
{
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->tpid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->tcomm, sizeof(e->tcomm));
	return e;
}

static __always_inline void send(void *ctx, struct oom_event *e)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 *killed = bpf_map_lookup_elem(&kills, &tid);

	if (killed && *killed == e->pid && (e->flags & OOM_VICTIM))
		e->flags |= OOM_KILLED;
	bpf_map_delete_elem(&kills, &tid);
	CT_SEND(ctx, e, sizeof(*e));
}

/*
 * Did the OOM killer run for a memory cgroup: is mem_cgroup_out_of_memory()
 * on the stack? User space tells, from /proc/kallsyms: read at the first
 * OOM, not at each start (where it took tens of ms).
 */
static __always_inline void take_stack(void *ctx, struct oom_event *e)
{
	long n = bpf_get_stack(ctx, e->stack, sizeof(e->stack), 0);

	if (n <= 0)
		return;
	e->nframes = n / sizeof(e->stack[0]);
	e->flags |= OOM_STACK;
}

/* The OOM the kprobe saw in this task: pages and constraint, exact. */
static __always_inline void fill_ctl(struct oom_event *e, struct oom_ctl *c)
{
	e->totalpages = c->totalpages;
	e->flags |= OOM_PAGES;
	e->why = c->why;
}

/* Kernels since 2024 pass the victim's task (and added its fields). */
static __always_inline bool tp_passes_task(void)
{
	return bpf_core_field_exists(struct trace_event_raw_mark_victim, uid);
}

static __always_inline int mark_task(void *ctx, struct task_struct *task)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct oom_event *s = ct_scratch(&scratch);
	struct oom_ctl *c = bpf_map_lookup_elem(&ctls, &tid);
	struct oom_event *e;

	if (!s)
		return 0;
	e = new_event(s);
	if (!fill_victim(e, task))
		return 0;
	if (c)
		fill_ctl(e, c);
	else
		take_stack(ctx, e);
	send(ctx, e);
	return 0;
}

/* Only the victim's thread ID: the rest from the kprobe's oom_control. */
static __always_inline int mark_pid(void *ctx, int pid)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct oom_event *s = ct_scratch(&scratch);
	struct oom_ctl *c = bpf_map_lookup_elem(&ctls, &tid);
	struct oom_event *e;

	if (!s)
		return 0;
	e = new_event(s);
	if (c && BPF_CORE_READ(c->chosen, pid) == pid) {
		if (!fill_victim(e, c->chosen))
			return 0;
	} else {
		if (ct_filtering())
			return 0;
		e->pid = pid;
	}
	if (c)
		fill_ctl(e, c);
	send(ctx, e);
	return 0;
}

/* CO-RE settles which at load: the verifier drops the other branch. */
SEC("tp_btf/mark_victim")
int BPF_PROG(btf_mark_victim)
{
	if (tp_passes_task())
		return mark_task(ctx, (struct task_struct *)ctx[0]);
	return mark_pid(ctx, (int)ctx[0]);
}

SEC("raw_tp/mark_victim")
int BPF_PROG(raw_mark_victim)
{
	if (tp_passes_task())
		return mark_task(ctx, (struct task_struct *)ctx[0]);
	return mark_pid(ctx, (int)ctx[0]);
}

SEC("kprobe/oom_kill_process")
int BPF_KPROBE(kprobe_oom_kill_process, struct oom_control *oc)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 constraint = BPF_CORE_READ(oc, constraint);
	struct oom_ctl c = {
		.chosen = BPF_CORE_READ(oc, chosen),
		.totalpages = BPF_CORE_READ(oc, totalpages),
		/* enum oom_why follows enum oom_constraint, one up. */
		.why = constraint <= CONSTRAINT_MEMCG ?
		       constraint + OOM_WHY_GLOBAL : OOM_WHY_UNKNOWN,
	};

	bpf_map_update_elem(&ctls, &tid, &c, BPF_ANY);
	return 0;
}

/* The end of that OOM: a kill or a mark is reported by then. */
SEC("kretprobe/oom_kill_process")
int BPF_KRETPROBE(kretprobe_oom_kill_process)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&ctls, &tid);
	return 0;
}

/* SEND_SIG_PRIV: a signal the kernel itself sends. */
#define SIG_PRIV ((struct kernel_siginfo *)1)
#define SIGKILL 9

SEC("raw_tp/signal_generate")
int BPF_PROG(signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 tgid;

	if (sig != SIGKILL || info != SIG_PRIV)
		return 0;
	tgid = BPF_CORE_READ(task, tgid);
	bpf_map_update_elem(&kills, &tid, &tgid, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
