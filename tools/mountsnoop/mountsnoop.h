/* SPDX-License-Identifier: GPL-2.0 */
/* One mount-related system call, as the BPF program sends it. */
#ifndef MOUNTSNOOP_H
#define MOUNTSNOOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "task_info.h"

/* Each string argument is read into this much room; a power of two. */
#define MNT_STR_BYTES 256
#define MNT_STRS 4

enum mnt_call {
	CALL_MOUNT,
	CALL_UMOUNT,
	CALL_FSOPEN,
	CALL_FSCONFIG,
	CALL_FSMOUNT,
	CALL_MOVE_MOUNT,
	CALL_OPEN_TREE,
	CALL_FSPICK,
	CALL_MOUNT_SETATTR,
	CALL_COUNT,
};

/*
 * Where each call's string arguments go: mount(source, target, fstype,
 * data), fsconfig's key and value in the last two slots.
 */
enum mnt_slot { MNT_SOURCE, MNT_TARGET, MNT_FSTYPE, MNT_DATA };

/* fsconfig(2)'s command whose value is binary: not read (uapi value). */
#define MNT_FSCONFIG_SET_BINARY 2

/* An integer argument's place: not every call has every one. */
enum mnt_has {
	MNT_HAS_FLAGS = 1 << 0,
	MNT_HAS_ATTR = 1 << 1,		/* attr_set (fsmount's attr_flags) */
	MNT_HAS_ATTR_CLR = 1 << 2,
	MNT_HAS_FS_FD = 1 << 3,		/* fsconfig's fd, fsmount's fs_fd */
	MNT_HAS_SOURCE_FD = 1 << 4,	/* dirfd of the source path */
	MNT_HAS_TARGET_FD = 1 << 5,	/* dirfd of the target path */
	MNT_HAS_CMD = 1 << 6,		/* fsconfig's cmd and aux */
	MNT_ATTR_UNREAD = 1 << 7,	/* mount_setattr's struct faulted */
};

struct mnt_event {
	struct ct_task_info task;
	__u64 ts;		/* bpf_ktime_get_ns(): entry; exit (regs) */
	__u64 latency_ns;	/* entry to exit */
	__s64 ret;		/* the call's return value */
	__u64 flags;
	__u64 attr_set;
	__u64 attr_clr;
	__s32 fs_fd;
	__s32 source_fd;
	__s32 target_fd;
	__s32 aux;
	__u32 cmd;
	__u8 op;		/* enum mnt_call */
	__u8 has;		/* enum mnt_has */
	__u8 present;		/* bit per slot: a string was read */
	__u8 unread;		/* bit per slot: a pointer that faulted */
	__u8 truncated;		/* bit per slot: cut at MNT_STR_BYTES - 1 */
	__u8 pad[3];
	__u16 len[MNT_STRS];	/* bytes of each string in data, no NUL */
	/* the strings, one after the other; only the used part is sent */
	char data[MNT_STRS * MNT_STR_BYTES];
};

#endif
