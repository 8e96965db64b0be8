// SPDX-License-Identifier: GPL-2.0
/*
 * Signals come from signal:signal_generate, whose current task is whoever
 * made the kernel generate them: the caller of kill(), but also the child
 * whose exit sends SIGCHLD, or the task that faulted. The kill-family
 * syscalls are traced too: their entry remembers the call by thread, a
 * signal_generate inside it adds the target and the result, and the exit
 * adds the return value. sigsnoop sends each generated signal at once (and
 * a call that generated none, such as kill -0 or a failed kill, at its
 * exit); killsnoop sends one event per call, at its exit.
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

/* The kill-family calls in progress, by thread. */
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

#define ARG(n) ((int)ctx->args[n])

/*
 * Which call nr is, and its target and signal from its arguments. A
 * program may read no further into the record than the smallest of those
 * it is attached to has (kill's two arguments): the calls whose signal is
 * the third argument have a program of their own (tg).
 */
static __always_inline bool decode_call(struct trace_event_raw_sys_enter *ctx,
					int nr, bool tg, struct sig_event *e)
{
	e->tpid = ARG(0);
	e->sig = ARG(1);
	e->flags = SIG_HAVE_TPID;
	if (tg) {
		if (nr == nr_of[SIG_SYS_TGKILL])
			e->syscall = SIG_SYS_TGKILL;
		else if (nr == nr_of[SIG_SYS_RT_TGSIGQUEUEINFO])
			e->syscall = SIG_SYS_RT_TGSIGQUEUEINFO;
		else
			return false;
		e->ttid = ARG(1);
		e->sig = ARG(2);
		e->flags |= SIG_HAVE_TTID;
	} else if (nr == nr_of[SIG_SYS_KILL]) {
		e->syscall = SIG_SYS_KILL;
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

static __always_inline int enter_call(struct trace_event_raw_sys_enter *ctx,
				      bool tg)
{
	struct sig_event e = {};

	if (!decode_call(ctx, ct_tp_syscall_nr(ctx), tg, &e) ||
	    !fill_sender(&e, e.sig))
		return 0;
	bpf_map_update_elem(&calls, &e.tid, &e, BPF_ANY);
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

/* A call that generated a signal was sent then, unless in killsnoop. */
static __always_inline int exit_call(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sig_event *e = bpf_map_lookup_elem(&calls, &tid);

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
	return exit_call(ctx, ctx->ret);
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

static __always_inline int on_generate(void *ctx, const struct generated *g)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sig_event *call = bpf_map_lookup_elem(&calls, &tid);
	struct sig_event e = {};

	if (call) {
		add_target(call, g);
		if (!kill_only)
			send(ctx, call);
		return 0;
	}
	if (kill_only || !fill_sender(&e, g->sig))
		return 0;
	add_target(&e, g);
	send(ctx, &e);
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
