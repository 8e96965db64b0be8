/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syscount's in-kernel table: one entry per syscall number (or per process
 * with -P), in a per-CPU hash map that user space sums up and clears.
 */
#ifndef SYSCOUNT_H
#define SYSCOUNT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SYSCOUNT_COMM_LEN 16
/* Table sizes: syscall numbers (with room for compat and x32 ones), PIDs. */
#define SYSCOUNT_MAX_SYSCALLS 1024
#define SYSCOUNT_MAX_PROCESSES 10240
/*
 * A table key: a PID (-P), or a syscall number in the low 32 bits, with
 * SYSCOUNT_COMPAT for the calls of 32-bit programs, numbered in their ABI.
 */
#define SYSCOUNT_COMPAT (1ULL << 32)

/*
 * By syscall (no -P), numbers below this are counted in a per-CPU array,
 * [nr] for a native call, [SYSCOUNT_ARRAY_NRS + nr] for a 32-bit one;
 * the table takes the others (x32's, with bit 30).
 */
#define SYSCOUNT_ARRAY_NRS 512

struct syscount_calls {
	__u64 count;
	__u64 total_ns;			/* with -L: time inside the calls */
};

struct syscount_value {
	__u64 count;
	__u64 total_ns;			/* with -L: time inside the calls */
	char comm[SYSCOUNT_COMM_LEN];	/* -P: the process's (leader's) */
};

#endif
