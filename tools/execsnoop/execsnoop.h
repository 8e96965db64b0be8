/* SPDX-License-Identifier: GPL-2.0 */
/* One exec, as the BPF program sends it to execsnoop. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define EXEC_COMM_LEN 16
/* argv as it lies in memory: NUL-separated strings. Powers of two. */
#define EXEC_ARGS_BYTES 4096
#define EXEC_FILENAME_BYTES 512
/* Failed execs have their argv read pointer by pointer, up to this many. */
#define EXEC_MAX_ARGS 128
/*
 * Room for the words interpreters put in front of a script's argv, on top
 * of EXEC_ARGS_BYTES: each #! line (or binfmt_misc entry) gives at most two
 * words within 256 bytes, and the kernel follows at most 5 interpreters.
 */
#define EXEC_INTERP_BYTES 2048
#define EXEC_INTERP_WORDS 16
/* execve()'s dirfd, as execveat() would have it. */
#define EXEC_AT_FDCWD -100

enum exec_flags {
	EXEC_ARGS_TRUNCATED = 1 << 0,	  /* more argv than was read */
	EXEC_FILENAME_TRUNCATED = 1 << 1, /* filename cut at the buffer */
	EXEC_INTERP = 1 << 2,		  /* argv starts with interp words */
	EXEC_EMPTY_PATH = 1 << 3,	  /* failed execveat(AT_EMPTY_PATH) */
};

struct exec_event {
	__u64 ts;		/* bpf_ktime_get_ns() */
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__s32 ret;		/* 0, or -errno of a failed exec */
	__s32 dirfd;		/* a failed execveat()'s, else AT_FDCWD */
	__u16 args_len;		/* bytes of data[] holding argv */
	__u16 filename_len;	/* bytes after them holding the filename */
	__u8 flags;
	char comm[EXEC_COMM_LEN];
	/* argv then filename; only the used part is sent */
	char data[2 * EXEC_ARGS_BYTES];
};

#endif
