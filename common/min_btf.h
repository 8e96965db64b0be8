/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of a kernel's BTF that a BPF object's CO-RE relocations can use,
 * small enough to read in a millisecond (see min_btf.c for what is kept).
 */
#ifndef CT_MIN_BTF_H
#define CT_MIN_BTF_H

#include <bpf/btf.h>

/*
 * A new BTF with the types of kernel that relocations of an object whose
 * own BTF is local can reach; NULL with errno set on failure.
 */
struct btf *ct_min_btf(const struct btf *kernel, const struct btf *local);

#endif
