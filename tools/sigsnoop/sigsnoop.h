/* SPDX-License-Identifier: GPL-2.0 */
/* One signal, or one kill-family syscall, as the BPF program sends it. */
#ifndef SIGSNOOP_H
#define SIGSNOOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SIG_COMM_LEN 16
/* Signals 0 (kill -0's existence check) to 64: bits of two words. */
#define SIG_MASK_WORDS 2

/* The syscalls that send signals; SYS_NONE: the kernel generated it. */
enum sig_syscall {
	SIG_SYS_NONE,
	SIG_SYS_KILL,
	SIG_SYS_TKILL,
	SIG_SYS_TGKILL,
	SIG_SYS_RT_SIGQUEUEINFO,
	SIG_SYS_RT_TGSIGQUEUEINFO,
	SIG_SYS_PIDFD_SEND_SIGNAL,
	SIG_SYS_COUNT,
};

/* signal:signal_generate's result; SIG_RES_NONE: no signal generated. */
enum sig_result {
	SIG_RES_DELIVERED,
	SIG_RES_IGNORED,
	SIG_RES_ALREADY_PENDING,
	SIG_RES_OVERFLOW_FAIL,
	SIG_RES_LOSE_INFO,
	SIG_RES_NONE = 255,
};

enum sig_flags {
	SIG_HAVE_TPID = 1 << 0,	  /* tpid is known */
	SIG_HAVE_TTID = 1 << 1,	  /* ttid is known */
	SIG_HAVE_TCOMM = 1 << 2,  /* tcomm is the target's */
	SIG_HAVE_CODE = 1 << 3,	  /* code is the siginfo's si_code */
	SIG_GROUP = 1 << 4,	  /* sent to the whole thread group */
};

struct sig_event {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u32 pid;		/* sender: the current task */
	__u32 tid;
	__u32 uid;
	__s32 tpid;		/* target process, as the syscall names it */
	__s32 ttid;		/* target thread */
	__s32 sig;
	__s32 code;		/* si_code */
	__s32 err;		/* the syscall's positive errno, 0 if none */
	__u8 syscall;		/* enum sig_syscall */
	__u8 result;		/* enum sig_result */
	__u8 flags;		/* enum sig_flags */
	__u8 pad;
	char comm[SIG_COMM_LEN];
	char tcomm[SIG_COMM_LEN];
};

#endif
