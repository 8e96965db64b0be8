/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Questions about the running kernel's BTF answered in one pass over
 * /sys/kernel/btf/vmlinux, mapped where the kernel allows it (6.16+), else
 * streamed through a small buffer. libbpf's full parse takes ~45 ms and
 * ~10 MB on a 6.x kernel, more than a whole tool start-up should; one pass
 * here takes a few ms and at most 128 KB of heap. Answers are remembered,
 * and each pass also answers what feature probes ask most (see
 * kernel_btf.c). Cache keys need no pass: the kernel's build ID names its
 * BTF.
 */
#ifndef CT_KERNEL_BTF_H
#define CT_KERNEL_BTF_H

#include <stdbool.h>
#include <linux/types.h>

#define CT_KERNEL_BTF "/sys/kernel/btf/vmlinux"

/* The kernel function fentry probes attach to (feature_probe.c). */
#define CT_FENTRY_PROBE_FUNC "do_nanosleep"

/*
 * The id of the kernel's type called name of the given BTF_KIND_*: > 0, or
 * -ENOENT if there is none, or -errno if the kernel's BTF cannot be read.
 */
int ct_kernel_btf_id(const char *name, int kind);

/*
 * Ask name (of that kind) with the next pass, made by the next
 * ct_kernel_btf_id() without an answer: several names, one pass.
 */
void ct_kernel_btf_ask(const char *name, int kind);

/*
 * Was name answered by a pass over the kernel's BTF this run (not from a
 * cache)? Then *id: > 0, or 0 for none.
 */
bool ct_kernel_btf_found(const char *name, int kind, int *id);

/*
 * Answers known without a pass (from a cache of this kernel's ids): id > 0,
 * or <= 0 for none. ct_kernel_btf_id() then gives them, and
 * ct_kernel_btf_remembered() says it did; ct_kernel_btf_forget() drops them
 * all, so that the next question reads the kernel's BTF again.
 */
void ct_kernel_btf_remember(const char *name, int kind, int id);
bool ct_kernel_btf_remembered(const char *name, int kind);
void ct_kernel_btf_forget(void);

/* Call fn on every name and kind asked or remembered so far. */
void ct_kernel_btf_each(void (*fn)(const char *name, int kind, void *ctx),
			void *ctx);

/* A 64-bit digest of all of the kernel's BTF: 0 or -errno. */
int ct_kernel_btf_digest(__u64 *digest);

/*
 * A 64-bit name for the kernel's BTF, for cache keys: from the kernel's
 * GNU build ID and the BTF's size (no need to read the BTF: one build, one
 * BTF), or the digest where the kernel has no build ID. 0 or -errno.
 */
int ct_kernel_btf_identity(__u64 *identity);

/* The GNU build ID among ELF notes: its length (id set), or 0 if none. */
size_t ct_notes_build_id(const unsigned char *notes, size_t len,
			 const unsigned char **id);

#endif
