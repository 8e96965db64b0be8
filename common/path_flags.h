/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a path an event carries was obtained (common/bpf/path.bpf.h builds
 * it), shared by the BPF programs and user space, and how text shows it.
 */
#ifndef CT_PATH_FLAGS_H
#define CT_PATH_FLAGS_H

enum ct_path_flags {
	CT_PATH_FULL = 1 << 0,		/* an absolute path */
	CT_PATH_RECONSTRUCTED = 1 << 1,	/* directory + name, not resolved */
	CT_PATH_HEAD_MISSING = 1 << 2,	/* too deep or long: leading part cut */
	CT_PATH_TAIL_MISSING = 1 << 3,	/* the name was cut at the buffer */
	CT_PATH_DELETED = 1 << 4,	/* unlinked (e.g. O_TMPFILE) */
	CT_PATH_UNRESOLVED = 1 << 5,	/* no directory to place it in */
};

#ifndef __VMLINUX_H__
#include <stddef.h>
#include <stdio.h>

/*
 * Write path (len bytes), escaped, with its marks: "..." where cut,
 * " (deleted)", " (reconstructed)", " (unresolved)". Returns the bytes
 * written (for a column's padding).
 */
size_t ct_fput_path(FILE *f, const char *path, size_t len,
		    unsigned int flags);
#endif

#endif
