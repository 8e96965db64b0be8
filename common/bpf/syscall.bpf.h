/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system call a task is in, from what its entry saved: the number in
 * its registers, and whether it is a 32-bit (compat) call on a 64-bit
 * kernel, whose numbers are the 32-bit ABI's. CT_REGS_SYSCALL_NR (and
 * CT_REGS_SYSCALL_NR_TYPED, a load where regs is BTF-typed, as
 * bpf_task_pt_regs() returns it) and CT_REGS_IN_SYSCALL_TYPED are not
 * defined on architectures not listed here.
 */
#ifndef CT_SYSCALL_BPF_H
#define CT_SYSCALL_BPF_H

#include <bpf/bpf_core_read.h>

#if defined(__TARGET_ARCH_x86)
#define CT_REGS_SYSCALL_NR(regs) ((long)BPF_CORE_READ(regs, orig_ax))
#define CT_REGS_SYSCALL_NR_TYPED(regs) ((long)(regs)->orig_ax)
/*
 * Do typed regs, the task's saved registers, belong to a system call still
 * running? Its entry stored -ENOSYS where the return value goes, and
 * orig_ax is its number; an interrupt or exception from user mode stores
 * the user's rax there instead, and its vector or error code in orig_ax.
 */
#define CT_REGS_IN_SYSCALL_TYPED(regs) ((long)(regs)->ax == -38L)
/* In thread_info.status from a 32-bit syscall's entry to its return. */
#define CT_TS_COMPAT 0x0002

static __always_inline bool ct_in_compat_syscall(struct task_struct *task)
{
	return BPF_CORE_READ(task, thread_info.status) & CT_TS_COMPAT;
}

/* The same with a load, task being BTF-typed (bpf_get_current_task_btf()). */
static __always_inline bool ct_in_compat_syscall_typed(struct task_struct *task)
{
	return task->thread_info.status & CT_TS_COMPAT;
}
#else
#if defined(__TARGET_ARCH_arm64)
#define CT_REGS_SYSCALL_NR(regs) ((long)BPF_CORE_READ(regs, syscallno))
#define CT_REGS_SYSCALL_NR_TYPED(regs) ((long)(regs)->syscallno)
/* Every exception's entry stores NO_SYSCALL (-1) in syscallno. */
#define CT_REGS_IN_SYSCALL_TYPED(regs) true
#endif
/* Not told apart here: counted as native calls. */
static __always_inline bool ct_in_compat_syscall(struct task_struct *task)
{
	return false;
}

static __always_inline bool ct_in_compat_syscall_typed(struct task_struct *task)
{
	return false;
}
#endif

/*
 * The number of the system call a syscalls:sys_enter_* or sys_exit_*
 * tracepoint fired for: an int at offset 8 of its record (__syscall_nr in
 * tracefs), where vmlinux.h's struct trace_event_raw_sys_enter has a long
 * (raw_syscalls' id): the upper half is padding.
 */
static __always_inline int ct_tp_syscall_nr(const void *ctx)
{
	return *(const int *)((const char *)ctx + 8);
}

#endif
