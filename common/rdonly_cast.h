/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_rdonly_cast() (a kfunc, 6.2+) without a __ksym extern: for one, libbpf
 * parses the whole kernel BTF at every start (~10 ms, ~10 MB), loaded
 * program or not. The BPF side (common/bpf/path.bpf.h) emits the call as a
 * helper call of a number no helper has; user space, which knows the
 * kfunc's BTF id from the type cache (btf_cache.h), makes it a kfunc call
 * just before the load (ct_rdonly_cast_patch()). Left as it is, the call
 * must lie where the verifier never goes (behind a .rodata constant): the
 * kernel accepts an unknown helper only there, as it does libbpf's own
 * calls of missing kfuncs.
 */
#ifndef CT_RDONLY_CAST_H
#define CT_RDONLY_CAST_H

/* The placeholder's imm: no helper has this number. */
#define CT_RDONLY_CAST_MARK 0x7c7a0c01
/* call CT_RDONLY_CAST_MARK, as one 64-bit little-endian instruction. */
#define CT_RDONLY_CAST_INSN (((unsigned long long)CT_RDONLY_CAST_MARK << 32) \
			     | 0x85)

#ifndef __VMLINUX_H__
#include <stdbool.h>

struct bpf_program;

/*
 * The calls in prog made kfunc calls of bpf_rdonly_cast(), whose BTF id
 * ct_rdonly_cast_use() gave; a program with none is left as it is.
 * Returns how many it made. The section handlers call it (btf_attach.c)
 * with the instructions libbpf is about to load.
 */
int ct_rdonly_cast_patch(struct bpf_program *prog);

/* Patch with this kfunc id from now on; 0: patch nothing (the default). */
void ct_rdonly_cast_use(int func_id);

/*
 * Take over SEC("tracepoint/...") from libbpf to patch them; before the
 * first object is opened (ct_btf_attach_init() calls it).
 */
void ct_rdonly_cast_init(void);

/*
 * Are programs patched: did libbpf take the handlers of tracepoint,
 * fentry, fexit and tp_btf programs?
 */
bool ct_rdonly_cast_patchable(void);
#endif

#endif
