// SPDX-License-Identifier: GPL-2.0
/*
 * Signals come from signal:signal_generate, whose current task is whoever
 * made the kernel generate them: the caller of kill(), but also the child
 * whose exit sends SIGCHLD, or the task that faulted. The kill-family
 * syscalls are traced too. Where bpf_task_pt_regs() exists (5.15+), at
 * their exits alone: signal_generate tells a call in progress from the
 * registers it saved (number and arguments), and keeps it by thread for
 * the exit. Before that, enter/exit pairs: the entry remembers the call by
 * thread, a signal_generate inside it adds the target and the result, and
 * the exit adds the return value. sigsnoop sends each generated signal at
 * once (and a call that generated none, such as kill -0 or a failed kill,
 * at its exit); killsnoop sends one event per call, at its exit.
 *
 * signal_generate exists three ways and user space loads one: tp_btf and
 * raw tracepoints get the target task (its process and thread), the plain
 * tracepoint only the target thread's id and comm.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "syscall.bpf.h"
#include "sigsnoop.h"

/* The kernel_siginfo "pointers" that stand for no siginfo; si_codes. */
#define SEND_SIG_NOINFO 0
#define SEND_SIG_PRIV 1
#define SI_USER 0
#define SI_KERNEL 0x80

const volatile bool kill_only = false;
const volatile bool failed_only = false;
const volatile __s32 target_pid = 0;
const volatile bool sig_filter = false;
const volatile __u64 sig_mask[SIG_MASK_WORDS] = {};
const volatile char name_filter[SIG_COMM_LEN] = {};
const volatile __u32 name_filter_len = 0;
/* The exit tracepoints alone, the calls read from the saved registers. */
const volatile bool args_in_regs = false;
#ifdef CT_REGS_IN_SYSCALL_TYPED
const volatile bool regs_supported = true;
#else
const volatile bool regs_supported = false;
#endif

/*
 * The kill-family calls in progress, by thread: from their entry (pairs),
 * or from the first signal they generated (registers).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct sig_event);
} calls SEC(".maps");

static __always_inline bool sig_wanted(int sig)
{
	if (!sig_filter)
		return true;
	if (sig < 0 || sig > 64)
		return false;
	return sig_mask[(sig >> 6) & 1] & (1ULL << (sig & 63));
}

/* Fill in the sender, the current task; false if the filters reject it. */
static __always_inline bool fill_sender(struct sig_event *e, int sig)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (!sig_wanted(sig) || !ct_task_wanted())
		return false;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (!ct_comm_contains(e->comm, name_filter, name_filter_len))
		return false;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->sig = sig;
	e->result = SIG_RES_NONE;
	return true;
}

static __always_inline bool failed(const struct sig_event *e)
{
	return e->err || e->result == SIG_RES_IGNORED ||
	       e->result == SIG_RES_ALREADY_PENDING ||
	       e->result == SIG_RES_OVERFLOW_FAIL;
}

/* The filters on the outcome: the target, -x. */
static __always_inline void send(void *ctx, struct sig_event *e)
{
	if (target_pid && (!(e->flags & SIG_HAVE_TPID) ||
			   e->tpid != target_pid))
		return;
	if (failed_only && !failed(e))
		return;
	e->ts = bpf_ktime_get_ns();
	CT_SEND(ctx, e, sizeof(*e));
}

/*
 * The architecture's numbers of the calls, by enum sig_syscall: user space
 * sets them. One entry program and one exit program serve every call,
 * attached to each one's tracepoints (ct_attach_also()): each program
 * loaded is verified at start-up.
 */
const volatile int nr_of[SIG_SYS_COUNT] = {};

/*
 * Which call nr is, and its target and signal from its first three
 * arguments v (a call with fewer leaves the rest unread).
 */
static __always_inline bool decode_call(int nr, const long v[3],
					struct sig_event *e)
{
	e->tpid = v[0];
	e->sig = v[1];
	e->flags = SIG_HAVE_TPID;
	if (nr == nr_of[SIG_SYS_KILL]) {
		e->syscall = SIG_SYS_KILL;
	} else if (nr == nr_of[SIG_SYS_TGKILL] ||
		   nr == nr_of[SIG_SYS_RT_TGSIGQUEUEINFO]) {
		e->syscall = nr == nr_of[SIG_SYS_TGKILL] ?
			     SIG_SYS_TGKILL : SIG_SYS_RT_TGSIGQUEUEINFO;
		e->ttid = v[1];
		e->sig = v[2];
		e->flags |= SIG_HAVE_TTID;
	} else if (nr == nr_of[SIG_SYS_RT_SIGQUEUEINFO]) {
		e->syscall = SIG_SYS_RT_SIGQUEUEINFO;
	} else if (nr == nr_of[SIG_SYS_TKILL]) {
		e->syscall = SIG_SYS_TKILL;
		e->ttid = e->tpid;
		e->tpid = 0;
		e->flags = SIG_HAVE_TTID;
	} else if (nr == nr_of[SIG_SYS_PIDFD_SEND_SIGNAL]) {
		/* The target is a pidfd: known only from the signal. */
		e->syscall = SIG_SYS_PIDFD_SEND_SIGNAL;
		e->tpid = 0;
		e->flags = 0;
	} else {
		return false;
	}
	return true;
}

/*
 * A program may read no further into the record than the smallest of those
 * it is attached to has (kill's two arguments): the calls whose signal is
 * the third argument have an entry program of their own (tg).
 */
static __always_inline int enter_call(struct trace_event_raw_sys_enter *ctx,
				      bool tg)
{
	struct sig_event e = {};
	long v[3];

	v[0] = (int)ctx->args[0];
	v[1] = (int)ctx->args[1];
	v[2] = tg ? (int)ctx->args[2] : 0;
	if (!decode_call(ct_tp_syscall_nr(ctx), v, &e) ||
	    !fill_sender(&e, e.sig))
		return 0;
	ct_keep_call(&calls, &e.tid, &e);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_kill")
int handle_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter_call(ctx, false);
}

SEC("tracepoint/syscalls/sys_enter_tgkill")
int handle_enter_tg(struct trace_event_raw_sys_enter *ctx)
{
	return enter_call(ctx, true);
}

/*
 * The kill-family call nr of the current task, from the registers its
 * entry saved (the caller's int arguments); false if nr is none of them.
 */
static __always_inline bool regs_call(int nr, struct sig_event *e)
{
#ifdef CT_REGS_IN_SYSCALL_TYPED
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	long v[3];

	/* regs is typed: plain loads, not a helper call a register. */
	v[0] = (int)PT_REGS_PARM1_SYSCALL(regs);
	v[1] = (int)PT_REGS_PARM2_SYSCALL(regs);
	v[2] = (int)PT_REGS_PARM3_SYSCALL(regs);
	return decode_call(nr, v, e);
#else
	return false;
#endif
}

/*
 * With the registers: the call as kept since its first signal, if it is
 * this one, else read from the registers: it generated none (kill -0, a
 * failure). What was kept for another call, whose exit was missed (the
 * tool started inside it), goes.
 */
static __always_inline int exit_regs(void *ctx, struct sig_event *kept,
				     int nr, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sig_event e = {};

	if (!regs_call(nr, &e))
		return 0;
	if (kept && kept->syscall == e.syscall && kept->sig == e.sig) {
		if (kill_only) {
			kept->err = ret < 0 ? -ret : 0;
			send(ctx, kept);
		}
		bpf_map_delete_elem(&calls, &tid);
		return 0;
	}
	if (kept)
		bpf_map_delete_elem(&calls, &tid);
	if (!fill_sender(&e, e.sig))
		return 0;
	e.err = ret < 0 ? -ret : 0;
	send(ctx, &e);
	return 0;
}

/* A call that generated a signal was sent then, unless in killsnoop. */
static __always_inline int exit_call(void *ctx, int nr, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sig_event *e = bpf_map_lookup_elem(&calls, &tid);

	if (args_in_regs)
		return exit_regs(ctx, e, nr, ret);
	if (!e)
		return 0;
	if (kill_only || e->result == SIG_RES_NONE) {
		e->err = ret < 0 ? -ret : 0;
		send(ctx, e);
	}
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_kill")
int handle_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_call(ctx, ct_tp_syscall_nr(ctx), ctx->ret);
}

/* What signal_generate says of the signal, however it was read. */
struct generated {
	int sig;
	int code;
	int result;
	bool group;
	bool have_tpid;
	int tpid;
	int ttid;
	const char *tcomm;	/* kernel memory */
};

/* A kill() of a process group or of all: many targets, one call. */
static __always_inline bool many_targets(const struct sig_event *e)
{
	return e->syscall == SIG_SYS_KILL && e->tpid <= 0;
}

static __always_inline void add_target(struct sig_event *e,
				       const struct generated *g)
{
	/* killsnoop shows such a call as made, with its last result. */
	if (kill_only && many_targets(e)) {
		e->result = g->result;
		return;
	}
	if (g->have_tpid) {
		e->tpid = g->tpid;
		e->flags |= SIG_HAVE_TPID;
	}
	e->ttid = g->ttid;
	e->code = g->code;
	e->result = g->result;
	e->flags |= SIG_HAVE_TTID | SIG_HAVE_TCOMM | SIG_HAVE_CODE;
	if (g->group)
		e->flags |= SIG_GROUP;
	bpf_probe_read_kernel_str(e->tcomm, sizeof(e->tcomm), g->tcomm);
}

/* A signal no kill-family call sent: the kernel's, sigsnoop's alone. */
static __always_inline int kernel_signal(void *ctx, const struct generated *g)
{
	struct sig_event e = {};

	if (kill_only || !fill_sender(&e, g->sig))
		return 0;
	add_target(&e, g);
	send(ctx, &e);
	return 0;
}

#define PF_EXITING 0x00000004
#define SI_TKILL (-6)

/*
 * Is the current task in a kill-family call that generated this signal?
 * Its saved registers tell which call it is in, unless it is a 32-bit call
 * (other numbers, other registers), or the task is exiting (after its last
 * call: its SIGCHLD, a child's parent-death signal), or they are an
 * interrupt's or exception's from user mode. An interrupt inside the call
 * may generate another signal: the signal and the si_code the call gives
 * (kill: SI_USER; tkill, tgkill: SI_TKILL) must be the call's too.
 */
static __always_inline bool regs_generating(const struct generated *g,
					    struct sig_event *e)
{
#ifdef CT_REGS_IN_SYSCALL_TYPED
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	if (ct_in_compat_syscall_typed(task) || (task->flags & PF_EXITING) ||
	    !CT_REGS_IN_SYSCALL_TYPED(regs) ||
	    !regs_call(CT_REGS_SYSCALL_NR_TYPED(regs), e) || e->sig != g->sig)
		return false;
	if (e->syscall == SIG_SYS_KILL)
		return g->code == SI_USER;
	if (e->syscall == SIG_SYS_TKILL || e->syscall == SIG_SYS_TGKILL)
		return g->code == SI_TKILL;
	return true;
#else
	return false;
#endif
}

/*
 * With the registers: the call is kept from its first signal to its exit,
 * which then knows it generated one; killsnoop adds a group kill's later
 * targets to it (the same call, unless its exit was missed).
 */
static __always_inline int regs_generate(void *ctx, const struct generated *g)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sig_event e = {}, *call;

	if (!regs_generating(g, &e))
		return kernel_signal(ctx, g);
	if (!fill_sender(&e, e.sig))
		return 0;
	if (kill_only && many_targets(&e)) {
		call = bpf_map_lookup_elem(&calls, &tid);
		if (call && call->syscall == e.syscall &&
		    call->tpid == e.tpid && call->sig == e.sig) {
			add_target(call, g);
			return 0;
		}
	}
	add_target(&e, g);
	if (!kill_only)
		send(ctx, &e);
	ct_keep_call(&calls, &tid, &e);
	return 0;
}

static __always_inline int on_generate(void *ctx, const struct generated *g)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sig_event *call;

	if (args_in_regs)
		return regs_generate(ctx, g);
	call = bpf_map_lookup_elem(&calls, &tid);
	if (!call)
		return kernel_signal(ctx, g);
	add_target(call, g);
	if (!kill_only)
		send(ctx, call);
	return 0;
}

static __always_inline int generate_task(void *ctx, int sig,
					 struct kernel_siginfo *info,
					 struct task_struct *task, int group,
					 int result)
{
	struct generated g = {
		.sig = sig, .result = result, .group = group,
		.have_tpid = true,
		.tpid = BPF_CORE_READ(task, tgid),
		.ttid = BPF_CORE_READ(task, pid),
		.tcomm = task->comm,
	};

	if ((unsigned long)info == SEND_SIG_NOINFO)
		g.code = SI_USER;
	else if ((unsigned long)info == SEND_SIG_PRIV)
		g.code = SI_KERNEL;
	else
		g.code = BPF_CORE_READ(info, si_code);
	return on_generate(ctx, &g);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(btf_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	return generate_task(ctx, sig, info, task, group, result);
}

SEC("raw_tp/signal_generate")
int BPF_PROG(raw_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	return generate_task(ctx, sig, info, task, group, result);
}

SEC("tracepoint/signal/signal_generate")
int handle_generate(struct trace_event_raw_signal_generate *ctx)
{
	struct generated g = {
		.sig = ctx->sig, .code = ctx->code, .result = ctx->result,
		.group = ctx->group, .ttid = ctx->pid, .tcomm = ctx->comm,
	};

	return on_generate(ctx, &g);
}

char LICENSE[] SEC("license") = "GPL";
