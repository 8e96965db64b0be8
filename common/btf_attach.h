/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tp_btf, fentry and fexit programs name the kernel type they attach to by
 * its BTF id (the TYPEDEF btf_trace_<tracepoint>, or the FUNC). libbpf
 * finds that id by parsing the whole kernel BTF (~45 ms, ~10 MB of peak
 * memory on a 6.x kernel), even when the object's relocations come from
 * the cache. Here the id comes from kernel_btf.h instead: remembered from
 * the cache (btf_cache.h) on a warm start, else found in one pass over the
 * kernel's BTF, and libbpf's way only when that pass cannot answer.
 */
#ifndef CT_BTF_ATTACH_H
#define CT_BTF_ATTACH_H

#include <stdbool.h>
#include <bpf/libbpf.h>

/*
 * Take over those sections from libbpf; before the first object is opened.
 * Idempotent.
 */
void ct_btf_attach_init(void);

/*
 * The BTF id of a target ("sched_switch" for tp_btf, a function for fentry
 * and fexit) in the kernel's own BTF: > 0, or -ENOENT.
 */
int ct_btf_attach_id(const char *target, enum bpf_attach_type type);

/* Is prog attached by an id found here (no whole-BTF parse for it)? */
bool ct_btf_attach_ours(const struct bpf_program *prog);

/* Did libbpf let us take every section ct_btf_attach_init() asked for? */
bool ct_btf_attach_all_ours(void);

#endif
