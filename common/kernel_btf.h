/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Questions about the running kernel's BTF answered by streaming
 * /sys/kernel/btf/vmlinux through a small buffer. libbpf's full parse takes
 * ~45 ms and ~10 MB on a 6.x kernel, more than a whole tool start-up should;
 * one pass here takes ~3 ms and 128 KB. Answers are remembered, and each
 * pass also answers what feature probes ask most (see kernel_btf.c).
 */
#ifndef CT_KERNEL_BTF_H
#define CT_KERNEL_BTF_H

#include <linux/types.h>

#define CT_KERNEL_BTF "/sys/kernel/btf/vmlinux"

/* The kernel function fentry probes attach to (feature_probe.c). */
#define CT_FENTRY_PROBE_FUNC "do_nanosleep"

/*
 * The id of the kernel's type called name of the given BTF_KIND_*: > 0, or
 * -ENOENT if there is none, or -errno if the kernel's BTF cannot be read.
 */
int ct_kernel_btf_id(const char *name, int kind);

/* A 64-bit digest of all of the kernel's BTF, for cache keys: 0 or -errno. */
int ct_kernel_btf_digest(__u64 *digest);

#endif
