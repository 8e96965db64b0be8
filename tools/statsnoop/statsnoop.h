/* SPDX-License-Identifier: GPL-2.0 */
/* One stat-family call, as the BPF program sends it to statsnoop. */
#ifndef STATSNOOP_H
#define STATSNOOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "path_flags.h"

#define STAT_COMM_LEN 16
/* A full path is built in two halves (common/bpf/path.bpf.h). */
#define STAT_HALF 4096
#define STAT_PATH_BYTES (2 * STAT_HALF)

/* The calls traced, named as strace names them. */
enum stat_syscall {
	STAT_SYS_STAT,		/* newstat */
	STAT_SYS_LSTAT,		/* newlstat */
	STAT_SYS_FSTAT,		/* newfstat */
	STAT_SYS_NEWFSTATAT,
	STAT_SYS_STATX,
	STAT_SYS_STATFS,
	STAT_SYS_FSTATFS,
	STAT_SYS_COUNT,
};

struct stat_event {
	__u64 ts;		/* bpf_ktime_get_ns() at exit */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__s32 ret;		/* 0, or -errno */
	__s32 fd;		/* the fd or dirfd argument, if any */
	__u32 flags;		/* AT_* flags (newfstatat, statx) */
	__u32 mask;		/* STATX_* mask (statx) */
	__u16 path_len;		/* bytes of path[], no NUL */
	__u8 path_flags;	/* enum ct_path_flags */
	__u8 syscall;		/* enum stat_syscall */
	char comm[STAT_COMM_LEN];
	char path[STAT_PATH_BYTES]; /* only the used part is sent */
};

#endif
