/* SPDX-License-Identifier: GPL-2.0 */
/* One exit, as the BPF program sends it to exitsnoop. */
#ifndef EXITSNOOP_H
#define EXITSNOOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define EXIT_COMM_LEN 16
/* argv as it lies in memory: NUL-separated strings. A power of two. */
#define EXIT_ARGS_BYTES 4096
/* Arguments split and shown, at most. */
#define EXIT_MAX_ARGS 128

enum exit_flags {
	EXIT_ARGS_READ = 1 << 0,	/* args_len bytes of argv follow */
	EXIT_ARGS_TRUNCATED = 1 << 1,	/* more argv than was read */
	EXIT_GROUP_DEAD = 1 << 2,	/* the last thread: the process ends */
};

struct exit_event {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u64 start_ns;		/* the task's start, same clock */
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__s32 status;		/* as wait(2) has it: code << 8, core, sig */
	__u16 args_len;
	__u8 flags;
	char comm[EXIT_COMM_LEN];
	char args[EXIT_ARGS_BYTES];	/* only the used part is sent */
};

#endif
