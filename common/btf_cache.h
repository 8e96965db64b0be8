/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cache of the kernel types each tool's CO-RE relocations use, and of the
 * kernel's BTF ids of what its tp_btf, fentry and fexit programs attach to
 * (btf_attach.h), so that only a tool's first run on a kernel reads the
 * whole kernel BTF (~45 ms, ~10 MB); later runs read a few kilobytes
 * instead.
 *
 * Files live in /var/cache/coretrace, named <tool>-<object digest>-<kernel
 * BTF digest>.btf, so a new kernel or a new build of the tool never meets a
 * stale file, and two builds installed side by side each keep theirs. When
 * a file is written, the tool's files of other kernels are removed, and of
 * this kernel's only the 4 most recently used stay. A file whose types do
 * not load the object is not used for that run, and written anew.
 * They are used only when owned by the user running the tool
 * and writable by nobody else, and so is their directory. The environment
 * variable CT_BTF_CACHE_DIR names another directory; set but empty, it
 * turns the cache off.
 */
#ifndef CT_BTF_CACHE_H
#define CT_BTF_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>

/*
 * Open options for the object whose ELF the skeleton's elf_bytes() gives:
 * with the cached types as btf_custom_path when there are any. Never NULL.
 */
const struct bpf_object_open_opts *
ct_btf_cache_open_opts(const void *(*elf_bytes)(size_t *size));

/*
 * The object of skeleton s did not load with the cached types (a file that
 * parses but holds the wrong types): open it again without them, with the
 * settings given to the first object (initial data, map sizes and types,
 * autoload), and load it. Returns 0 or a negative errno; the entry is
 * written anew by ct_btf_cache_loaded().
 */
int ct_btf_cache_reload(struct bpf_object_skeleton *s);

/*
 * After obj was loaded (loaded says whether that worked): close the cache
 * file, or write it if there was none and obj had to read the kernel's BTF
 * only for relocations.
 */
void ct_btf_cache_loaded(struct bpf_object *obj, bool loaded);

/*
 * Numbers a tool learns in user space from the whole kernel BTF, and the
 * answers of feature probes (feature_probe.h, "probe_*"), kept in the file
 * too, so that later runs need not read that BTF or load probes for them.
 * ct_btf_cache_fact(): true, with *value, if the file read at open holds
 * name (ct_btf_cache_each_fact() calls fn on each). Otherwise the tool
 * reads the BTF, and ct_btf_cache_learn() keeps what it found for the file
 * written after load, or adds it to the file read if that lacked it.
 */
bool ct_btf_cache_fact(const char *name, int *value);
void ct_btf_cache_each_fact(void (*fn)(const char *name, int value));
void ct_btf_cache_learn(const char *name, int value);

/* Was obj opened with cached types? */
bool ct_btf_cache_used(void);

#endif
