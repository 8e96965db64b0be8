/* SPDX-License-Identifier: GPL-2.0 */
/* One open, as the BPF program sends it to opensnoop. */
#ifndef OPENSNOOP_H
#define OPENSNOOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "path_flags.h"

#define OPEN_COMM_LEN 16
/*
 * A full path is built backwards from the middle of a buffer of twice
 * OPEN_HALF bytes (directory part below the middle, a failed open's name
 * above it), so the whole path always fits in OPEN_PATH_BYTES. Powers of two.
 */
#define OPEN_HALF 4096
#define OPEN_PATH_BYTES (2 * OPEN_HALF)
/* Path components, and mount points crossed, walked before giving up. */
#define OPEN_MAX_DEPTH 64
#define OPEN_MAX_MOUNTS 16
/* -f filters: an open passes if it matches any of them. */
#define OPEN_MAX_FLAG_FILTERS 16

enum open_syscall {
	OPEN_SYS_OPEN,
	OPEN_SYS_OPENAT,
	OPEN_SYS_OPENAT2,
	OPEN_SYS_CREAT,
};

/* How path[] was obtained: enum ct_path_flags (common/path_flags.h). */

struct open_event {
	__u64 ts;		/* bpf_ktime_get_ns() at exit */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__s32 ret;		/* fd, or -errno */
	__u32 flags;		/* open flags as passed (creat: implied) */
	__u32 mode;
	__u16 path_len;		/* bytes of path[], no NUL */
	__u8 path_flags;	/* enum ct_path_flags */
	__u8 syscall;		/* enum open_syscall */
	char comm[OPEN_COMM_LEN];
	__u32 reserved;		/* zero; aligns path for word reads */
	char path[OPEN_PATH_BYTES]; /* only the used part is sent */
};

_Static_assert(__builtin_offsetof(struct open_event, path) % 8 == 0,
	       "the --contains search reads path[] a word at a time");

#endif
