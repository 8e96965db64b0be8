/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which tasks a tool traces: shared by the BPF programs, which apply it, and
 * user space, which fills it in from the command line before load.
 */
#ifndef CT_FILTER_H
#define CT_FILTER_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* uid (__u32)-1 is never a real user: it means "any". */
#define CT_ANY_UID ((__u32)-1)

struct ct_filter {
	__u32 tgid;	/* process ID, 0 for any */
	__u32 tid;	/* thread ID, 0 for any */
	__u32 uid;	/* real uid, CT_ANY_UID for any */
	__u8 cgroup;	/* only tasks under the cgroup in map ct_cgroup */
	__u8 pad[3];
};

#endif
