// SPDX-License-Identifier: GPL-2.0
/*
 * Three ways to see an open, one event builder (send_open()):
 *   fexit on do_sys_openat2(), where open, openat, openat2 and creat all
 *   end up: one program sees the result after the kernel has copied the
 *   name in (its pages are resident);
 *   the sys_exit_* tracepoints alone, where bpf_task_pt_regs() exists
 *   (5.15+): both read the arguments from the registers the system call
 *   saved, with no map between its entry and its exit;
 *   on older kernels, tracepoint pairs: sys_enter_open* remembers the
 *   arguments of the opens the filters want, the matching sys_exit_* builds
 *   the event.
 * A successful open's full path comes from the new fd's struct file, walked
 * up its dentries and mounts, so "..", symlinks and dirfds are resolved by
 * the kernel itself. A failed open has no file: its path is the directory
 * (dirfd's or the cwd) plus the name as given, and is marked as
 * reconstructed. Every filter, --contains included, runs here, so rejected
 * opens never reach the ring buffer; the event's header is filled in only
 * for the opens that pass.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "file.bpf.h"
#include "filter.bpf.h"
#include "contains.bpf.h"
#include "path.bpf.h"
#include "syscall.bpf.h"
#include "task.bpf.h"
#include "opensnoop.h"


_Static_assert(OPEN_HALF == CT_PATH_HALF &&
	       OPEN_PATH_BYTES == CT_PATH_BYTES &&
	       OPEN_MAX_DEPTH == CT_PATH_MAX_DEPTH &&
	       OPEN_MAX_MOUNTS == CT_PATH_MAX_MOUNTS,
	       "opensnoop's path limits are path.bpf.h's");

const volatile bool failed_only = false;
/* Does user space show the time (-T, -t, --json...)? Else no clock read. */
const volatile bool want_ts = true;
/* Does it show the uid (-U, --json...)? Else no helper call for it. */
const volatile bool want_uid = true;
const volatile bool full_path = false;
const volatile char name_filter[OPEN_COMM_LEN] = {};
const volatile __u32 name_filter_len = 0;
/* -f: an open passes if (flags & flag_mask[i]) == flag_value[i] for some i. */
const volatile __u32 nr_flag_filters = 0;
const volatile __u32 flag_mask[OPEN_MAX_FLAG_FILTERS] = {};
const volatile __u32 flag_value[OPEN_MAX_FLAG_FILTERS] = {};
/* What creat() means in open flags on this architecture. */
const volatile __u32 creat_flags = 0;
/* This architecture's syscall numbers (from user space); -1: no such call. */
const volatile long nr_open = -1;
const volatile long nr_openat = -1;
const volatile long nr_openat2 = -1;
const volatile long nr_creat = -1;
/*
 * fexit and the exit tracepoints alone: the arguments come from the
 * registers (bpf_task_pt_regs()), not from starts.
 */
const volatile bool args_in_regs = false;

/*
 * The fexit program reads the syscall number from the syscall's pt_regs.
 * It is tested on x86 only: elsewhere it is an empty stub, and user space
 * uses the tracepoints.
 */
#if defined(__TARGET_ARCH_x86)
#define FEXIT_SUPPORTED
#endif

#ifdef FEXIT_SUPPORTED
const volatile bool fexit_supported = true;
#else
const volatile bool fexit_supported = false;
#endif

struct open_start {
	const char *name;
	__s32 dfd;
	__u32 flags;
	__u32 mode;
	__u8 syscall;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct open_start);
} starts SEC(".maps");

/*
 * An open that ended with a restart code (interrupted by a signal), until
 * the signal is delivered: its result is then EINTR, or the call is made
 * again. nr: its syscall number, -1 where the registers cannot be read.
 * Keyed by pid and tid: a thread that died there leaves an entry that a
 * thread of another process given the same tid must not take.
 */
struct interrupted_open {
	struct open_start s;
	__s32 code;
	long nr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct interrupted_open);
} interrupted SEC(".maps");

CT_SCRATCH(event_scratch, struct open_event);
CT_SCRATCH(path_scratch, struct ct_path_buf);

static __always_inline bool flags_wanted(__u32 flags)
{
	if (!nr_flag_filters)
		return true;
	for (int i = 0; i < OPEN_MAX_FLAG_FILTERS; i++) {
		if (i >= nr_flag_filters)
			break;
		if ((flags & flag_mask[i]) == flag_value[i])
			return true;
	}
	return false;
}

/* The -f and -n filters (the task filters come first, in the callers). */
static __always_inline bool open_wanted(__u32 flags)
{
	if (!flags_wanted(flags))
		return false;
	if (name_filter_len) {
		char comm[OPEN_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		if (!ct_comm_contains(comm, name_filter, name_filter_len))
			return false;
	}
	return true;
}

static __always_inline int enter_open(int dfd, const char *name,
				      __u32 flags, __u32 mode, __u8 syscall)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_start s = {
		.name = name,
		.dfd = dfd,
		.flags = flags,
		.mode = mode,
		.syscall = syscall,
	};

	if (ct_task_wanted() && open_wanted(flags)) {
		__u64 id = bpf_get_current_pid_tgid();

		ct_keep_call(&starts, &tid, &s);
		/* Made again after a signal, if it was interrupted. */
		bpf_map_delete_elem(&interrupted, &id);
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int handle_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return enter_open(CT_AT_FDCWD, (const char *)ctx->args[0], ctx->args[1],
			  ctx->args[2], OPEN_SYS_OPEN);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int handle_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return enter_open(ctx->args[0], (const char *)ctx->args[1],
			  ctx->args[2], ctx->args[3], OPEN_SYS_OPENAT);
}

/* openat2 keeps flags and mode in user memory, in struct open_how. */
SEC("tracepoint/syscalls/sys_enter_openat2")
int handle_enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]);
	return enter_open(ctx->args[0], (const char *)ctx->args[1], how.flags,
			  how.mode, OPEN_SYS_OPENAT2);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int handle_enter_creat(struct trace_event_raw_sys_enter *ctx)
{
	return enter_open(CT_AT_FDCWD, (const char *)ctx->args[0], creat_flags,
			  ctx->args[1], OPEN_SYS_CREAT);
}

/* Which of the four calls has number nr; -1 for none of them. */
static __always_inline int open_call_of(long nr)
{
	if (nr == nr_openat)
		return OPEN_SYS_OPENAT;
	if (nr == nr_open)
		return OPEN_SYS_OPEN;
	if (nr == nr_openat2)
		return OPEN_SYS_OPENAT2;
	if (nr == nr_creat)
		return OPEN_SYS_CREAT;
	return -1;
}

/*
 * The arguments of open s->syscall as the caller passed them, from the
 * registers the system call saved: the values the entry tracepoints show.
 * (do_sys_openat2()'s struct open_how is not that: the kernel has added
 * O_LARGEFILE, dropped unknown bits and cleared the mode unless a file may
 * be created.)
 */
static __always_inline void regs_args_of(struct pt_regs *regs,
					 struct open_start *s)
{
	struct open_how how = {};
	unsigned long a1, a2, a3, a4;

	/*
	 * regs is typed: plain loads, not a helper call a register. All
	 * four first: 6.1's verifier refuses a load the compiler shares
	 * between regs and how (in fexit, which does not know the call).
	 */
	a1 = PT_REGS_PARM1_SYSCALL(regs);
	a2 = PT_REGS_PARM2_SYSCALL(regs);
	a3 = PT_REGS_PARM3_SYSCALL(regs);
	a4 = PT_REGS_PARM4_SYSCALL(regs);
	switch (s->syscall) {
	case OPEN_SYS_OPENAT:
		s->dfd = a1;
		s->name = (const char *)a2;
		s->flags = a3;
		s->mode = a4;
		break;
	case OPEN_SYS_OPEN:
		s->name = (const char *)a1;
		s->flags = a2;
		s->mode = a3;
		break;
	case OPEN_SYS_OPENAT2:
		s->dfd = a1;
		s->name = (const char *)a2;
		/* Resident: the kernel has just copied it. */
		bpf_probe_read_user(&how, sizeof(how), (void *)a3);
		s->flags = how.flags;
		s->mode = how.mode;
		break;
	default:
		s->name = (const char *)a1;
		s->flags = creat_flags;
		s->mode = a2;
	}
}

static __always_inline void regs_args(struct task_struct *task,
				      struct open_start *s)
{
	regs_args_of((struct pt_regs *)bpf_task_pt_regs(task), s);
}

/*
 * regs_args() once the walk and the search are done: the call told again
 * from the number in the registers. s->syscall is a constant to the
 * verifier (exit_any() branched on it), which would otherwise keep the
 * four calls apart through the walk and the search: each checked four
 * times, 3-4x the load time.
 */
static __always_inline void regs_args_late(struct task_struct *task,
					   struct open_start *s)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

#ifdef CT_REGS_SYSCALL_NR_TYPED
	s->syscall = open_call_of(CT_REGS_SYSCALL_NR_TYPED(regs));
#endif
	regs_args_of(regs, s);
}

/*
 * Are an open's arguments read only once --contains has matched its path?
 * A successful open's path comes from the new fd: the name, dfd, flags and
 * mode are needed for -f, and for the event. A failed open, a file with no
 * path of its own (a pipe opened through /proc) and an interrupted open
 * need them before: full_path_of() and send_open() read them there.
 * Decided at load, not per open: a flag carried through the walk and the
 * search would have the verifier check both twice (3x the time).
 */
static __always_inline bool args_after_search(bool loop)
{
	return loop && full_path && ct_contains_in_kernel && !nr_flag_filters;
}

/*
 * -F: the path of the new fd's file, else of the name where it was. typed,
 * loop: as in send_open(). late: s's arguments are still to be read from
 * task's registers (args_after_search()); read here if the path needs the
 * name.
 */
static __always_inline __u32 full_path_of(struct ct_path_buf *pb,
					  struct task_struct *task,
					  struct open_start *s, int ret,
					  __u8 *pflags, bool typed, bool loop,
					  bool late)
{
	bool tw = CT_PATH_TYPED(typed, loop);
	struct ct_dentry_up up = {};
	struct path own = {};
	bool has;

	if (ret >= 0)
		ct_fd_path_as(task, ret, &own, typed, loop);
	has = ct_own_has_path(&own, &up, tw);
	if (late && !has)
		regs_args_late(task, s);
	return ct_full_path_up(pb, task, &own, has ? &up : NULL, s->dfd,
			       s->name, pflags, typed, loop);
}

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516
#define EINTR 4
#define SA_RESTART 0x10000000
#define SIG_IGN 1

/*
 * The kernel's "interrupted by a signal", never seen by the caller: the
 * call is made again, or fails with EINTR, once the signal is delivered.
 */
static __always_inline bool restart_code(int ret)
{
	return ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	       ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK;
}

static __always_inline struct pt_regs *current_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

/* Keep an interrupted open until handle_signal_deliver() settles it. */
static __always_inline int hold_interrupted(const struct open_start *s,
					    int code)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct interrupted_open in = { .s = *s, .code = code, .nr = -1 };

	if (args_in_regs)
		in.nr = CT_REGS_SYSCALL_NR(current_regs());
	bpf_map_update_elem(&interrupted, &id, &in, BPF_ANY);
	return 0;
}

/*
 * The -x and --contains filters, then the event for open s returning ret
 * in task (the current one, ct_current_task_as(typed)'s).
 * Only the programs built with loop name bpf_loop() callbacks (the walk's
 * step, the search): before 5.13, the verifier refuses a program that so
 * much as names one. They are loaded where bpf_loop() exists (5.17+).
 * Only those built with walk have -F's walk (path.bpf.h): without -F, a
 * run loads one without, as the kernel reads every instruction of a
 * program at each start, dead or not (a third of the default exit
 * program's verification time on 6.18 went to a walk it then dropped).
 * --contains implies -F: the path is searched where it was built, and
 * copied to the event only if it matches. typed: plain loads from the task
 * where the kernel has them (ct_current_task_as()): false in a program
 * that runs rarely, whose start-up cost they would be.
 */
static __always_inline int send_open(void *ctx, struct task_struct *task,
				     struct open_start *s, int ret,
				     bool loop, bool walk, bool typed,
				     bool late)
{
	struct ct_path_buf *pb;
	struct open_event *e;

	if (restart_code(ret)) {
		if (late)
			regs_args(task, s);
		return hold_interrupted(s, ret);
	}
	if (failed_only && ret >= 0)
		return 0;
	e = ct_scratch(&event_scratch);
	pb = ct_scratch(&path_scratch);
	if (!e || !pb)
		return 0;
	/*
	 * In the map value, not on the stack: flags the verifier knows would
	 * have it check the walk once per mix of them.
	 */
	e->path_flags = 0;
	if (walk && full_path) {
		e->path_len = full_path_of(pb, task, s, ret, &e->path_flags,
					   typed, loop, late);
		if (loop && ct_contains_in_kernel &&
		    !ct_path_contains(pb, pb->pos, e->path_len))
			return 0;
		ct_path_out(e->path, pb, e->path_len);
	}
	/*
	 * Only for the opens that pass: a rejected one never reads them (read
	 * again if full_path_of() needed the name: the same values).
	 */
	if (late)
		regs_args_late(task, s);
	if (!walk || !full_path)
		e->path_len = ct_path_copy_name(e->path, s->name,
						&e->path_flags);
	e->ts = want_ts ? bpf_ktime_get_ns() : 0;
	ct_current_ids(task, CT_TYPED(typed), &e->pid, &e->tid);
	/* A helper call: task->cred would cost each start 1.8 ms to verify. */
	e->uid = want_uid ? (__u32)bpf_get_current_uid_gid() : 0;
	e->ret = ret;
	e->flags = s->flags;
	e->mode = s->mode;
	e->syscall = s->syscall;
	ct_current_comm(task, CT_TYPED(typed), e->comm);
	CT_SEND(ctx, e, offsetof(struct open_event, path) + e->path_len);
	return 0;
}

/*
 * Open syscall has returned ret; its arguments are in the registers. task:
 * bpf_get_current_task_btf()'s, once ct_task_wanted().
 */
static __always_inline int open_from_regs(void *ctx, struct task_struct *task,
					  __u8 syscall, int ret, bool loop,
					  bool walk)
{
	struct open_start s = { .dfd = CT_AT_FDCWD, .syscall = syscall };
	bool late = args_after_search(loop);

	if (!late)
		regs_args(task, &s);
	/* Without -f, late or not: flags are not looked at. */
	if (!open_wanted(s.flags))
		return 0;
	return send_open(ctx, task, &s, ret, loop, walk, true, late);
}

static __always_inline int exit_open(void *ctx, long ret, __u8 syscall,
				     bool loop, bool walk)
{
	struct open_start *sp, s;
	__u32 tid;

	if (args_in_regs)
		return ct_task_wanted() ?
		       open_from_regs(ctx, bpf_get_current_task_btf(), syscall,
				      ret, loop, walk) : 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	sp = bpf_map_lookup_elem(&starts, &tid);
	if (!sp)
		return 0;
	s = *sp;
	bpf_map_delete_elem(&starts, &tid);
	return send_open(ctx, ct_current_task(), &s, ret, loop, walk, true,
			 false);
}

/*
 * One program for the four exit tracepoints (user space attaches it to
 * each that exists): the same code verified four times took most of the
 * tool's start-up. The call is told by the record's syscall number. It
 * comes three times: handle_exit without -F's walk, handle_exit_walk with
 * it unrolled, and handle_exit_search with bpf_loop() (5.17+) for the
 * walk and the in-kernel --contains search. User space loads one of them
 * (ct_walk_program()).
 */
static __always_inline int exit_any(struct trace_event_raw_sys_exit *ctx,
				    bool loop, bool walk)
{
	int call = open_call_of(ct_tp_syscall_nr(ctx));

	if (call < 0)
		return 0;
	return exit_open(ctx, ctx->ret, call, loop, walk);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int handle_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_any(ctx, false, false);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int handle_exit_walk(struct trace_event_raw_sys_exit *ctx)
{
	return exit_any(ctx, false, true);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int handle_exit_search(struct trace_event_raw_sys_exit *ctx)
{
	return exit_any(ctx, true, true);
}

/*
 * Is the signal delivered as that open returns, not later? An open made
 * again without a handler (a stop, a freeze) leaves its entry behind. The
 * registers tell where they are available; the pairs delete the entry when
 * the call is made again.
 */
static __always_inline bool
still_interrupted(const struct interrupted_open *in)
{
	struct pt_regs *regs;

	if (!args_in_regs)
		return true;
	regs = current_regs();
	return (long)PT_REGS_RC_CORE(regs) == in->code &&
	       CT_REGS_SYSCALL_NR(regs) == in->nr;
}

/*
 * A signal for the thread of an interrupted open. With a handler, the open
 * fails with EINTR unless it is to be made again (SA_RESTART for
 * ERESTARTSYS; always for ERESTARTNOINTR): send it with that result.
 * Without one (SIG_DFL: a stop, or the end of the process), nothing yet.
 */
static __always_inline int signal_deliver(void *ctx, struct k_sigaction *ka,
					  bool loop, bool walk)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct interrupted_open *ip, in;
	unsigned long handler, flags;
	bool restarted;

	ip = bpf_map_lookup_elem(&interrupted, &id);
	if (!ip)
		return 0;
	handler = (unsigned long)BPF_CORE_READ(ka, sa.sa_handler);
	if (handler <= SIG_IGN)
		return 0;
	flags = BPF_CORE_READ(ka, sa.sa_flags);
	in = *ip;
	bpf_map_delete_elem(&interrupted, &id);
	if (!still_interrupted(&in))
		return 0;
	restarted = in.code == -ERESTARTNOINTR ||
		    (in.code == -ERESTARTSYS && (flags & SA_RESTART));
	if (restarted)
		return 0;
	/*
	 * No search (user space matches --contains on these), but the walk
	 * in bpf_loop() where loop. Not typed: this runs once per
	 * interrupted open, its typed loads would be verified at every start.
	 */
	return send_open(ctx, ct_current_task_as(false), &in.s, -EINTR,
			 loop, walk, false, false);
}

/*
 * Three times, as the exit program: without -F's walk, with it unrolled,
 * and handle_signal_loop with it in bpf_loop() (5.17+). User space loads
 * one of them.
 */
SEC("raw_tp/signal_deliver")
int BPF_PROG(handle_signal_deliver, int sig, struct kernel_siginfo *info,
	     struct k_sigaction *ka)
{
	return signal_deliver(ctx, ka, false, false);
}

SEC("raw_tp/signal_deliver")
int BPF_PROG(handle_signal_walk, int sig, struct kernel_siginfo *info,
	     struct k_sigaction *ka)
{
	return signal_deliver(ctx, ka, false, true);
}

SEC("raw_tp/signal_deliver")
int BPF_PROG(handle_signal_loop, int sig, struct kernel_siginfo *info,
	     struct k_sigaction *ka)
{
	return signal_deliver(ctx, ka, true, true);
}

#ifdef FEXIT_SUPPORTED
/*
 * Which of the four system calls called do_sys_openat2(), by number; -1
 * for any other caller (io_uring...) and for 32-bit (compat) system calls,
 * which the tracepoints do not see either.
 */
static __always_inline int open_syscall(struct task_struct *task)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	long nr = CT_REGS_SYSCALL_NR(regs);

	if (nr < 0 || ct_in_compat_syscall(task))
		return -1;
	return open_call_of(nr);
}
#endif

/*
 * The arguments come from the registers and the result from
 * bpf_get_func_ret(), so the function's own signature does not matter. The
 * result is read as an int: do_sys_openat2() returns long on some kernels
 * and int on others, and an fd or -errno fits either.
 */
static __always_inline int fexit_any(unsigned long long *ctx, bool walk)
{
#ifdef FEXIT_SUPPORTED
	struct task_struct *task = bpf_get_current_task_btf();
	int syscall = open_syscall(task);
	__u64 ret = 0;

	if (syscall < 0 || !ct_task_wanted())
		return 0;
	bpf_get_func_ret(ctx, &ret);
	/* fexit needs bpf_get_func_ret(), as new as bpf_loop(). */
	return open_from_regs(ctx, task, syscall, (int)ret, walk, walk);
#else
	return 0;
#endif
}

/* Twice: without -F's walk, and with it and the search in bpf_loop(). */
SEC("fexit/do_sys_openat2")
int fexit_open(unsigned long long *ctx)
{
	return fexit_any(ctx, false);
}

SEC("fexit/do_sys_openat2")
int fexit_open_walk(unsigned long long *ctx)
{
	return fexit_any(ctx, true);
}

char LICENSE[] SEC("license") = "GPL";
