/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a path an event carries was obtained (common/bpf/path.bpf.h builds
 * it), shared by the BPF programs and user space, and how text shows it.
 */
#ifndef CT_PATH_FLAGS_H
#define CT_PATH_FLAGS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum ct_path_flags {
	CT_PATH_FULL = 1 << 0,		/* an absolute path */
	CT_PATH_RECONSTRUCTED = 1 << 1,	/* directory + name as given */
	CT_PATH_HEAD_MISSING = 1 << 2,	/* too deep or long: head cut */
	CT_PATH_TAIL_MISSING = 1 << 3,	/* the name was cut */
	CT_PATH_DELETED = 1 << 4,	/* unlinked (e.g. O_TMPFILE) */
	CT_PATH_UNRESOLVED = 1 << 5,	/* no directory to place it in */
};

/*
 * The kernel matches a --contains string of up to CT_CONTAINS_BYTES - 1
 * bytes whole; of a longer one, its first CT_CONTAINS_HEAD bytes, and user
 * space confirms the whole.
 */
#define CT_CONTAINS_BYTES 64
#define CT_CONTAINS_HEAD 16

/*
 * The kernel's BTF ids of what the walk by typed loads casts to with
 * bpf_rdonly_cast() (common/bpf/path.bpf.h): all 0 for the other walks.
 */
struct ct_path_btf_ids {
	__u32 files;	/* struct files_struct: its fd_array, an fd's slot */
	__u32 dentry;
	__u32 mount;
	__u32 task;	/* struct task_struct: the current task, untrusted */
};

#ifndef __VMLINUX_H__
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "outbuf.h"

/*
 * Append path (len bytes), escaped, with its marks: "..." where cut,
 * " (deleted)", " (reconstructed)", " (unresolved)". Returns the bytes
 * added (for a column's padding).
 */
size_t ct_buf_path(struct ct_buf *b, const char *path, size_t len,
		   unsigned int flags);

/*
 * --contains ARG for paths of up to max bytes: exit 2 with one line if it
 * is empty or can never match. Returns arg.
 */
const char *ct_contains_parse(const char *arg, size_t max);

/*
 * Is --contains matched in the kernel (bpf_loop() there)? Then its first
 * CT_CONTAINS_BYTES - 1 bytes are copied to the BPF program's ct_contains
 * (buf) and ct_contains_len (len) (common/bpf/contains.bpf.h), and true
 * returned. -v says where it is matched; what names the events that cross
 * otherwise ("every open").
 */
bool ct_contains_where(const char *what, char *buf, unsigned int *len);

/*
 * Is -F's path walked in bpf_loop() (common/bpf/path.bpf.h, 5.17+)? The
 * verifier then checks one step of the walk, not each (~100-250 ms of
 * every start). Always with the in-kernel --contains, which needs the
 * program that names callbacks; CT_NO_LOOP_WALK=1 avoids it otherwise.
 * In bpf_loop(), the walk reads by typed loads where the kernel has
 * bpf_rdonly_cast() (6.2+): ids (the programs' ct_path_ids) then get the
 * kernel's BTF ids, from the type cache on a warm start; CT_NO_TYPED_WALK=1
 * keeps a helper call per object. Decided once; -v says which walk.
 */
bool ct_path_walk_in_loop(bool contains_in_kernel, bool full_path,
			  volatile struct ct_path_btf_ids *ids);

/*
 * The programs did not load: if they walked by typed loads (ids that do
 * not fit this kernel, say), make them walk by helper reads and return
 * true, for one more load (ct_btf_cache_reload(), which opens the object
 * again and calls ct_path_typed_clear() on it).
 */
bool ct_path_typed_fallback(void);

struct bpf_object;

/*
 * After ct_path_typed_fallback(): the typed walk's ids cleared in obj, an
 * object opened again with the first one's settings, not loaded yet (the
 * first one's .rodata may be read-only by then: libbpf 1.5 maps it so).
 * 0, or a negative errno after a message.
 */
int ct_path_typed_clear(struct bpf_object *obj);

struct bpf_program;

/*
 * Of a program built without -F's walk (none), with it unrolled (unrolled)
 * and with it and the in-kernel --contains search in bpf_loop() (loop),
 * the one this run loads: none without full_path, else loop if in_loop
 * (ct_path_walk_in_loop()), else unrolled. The others are not loaded:
 * older verifiers refuse loop's callbacks, and the verifier reads every
 * instruction of a program at each start, a walk the run has no use for
 * too.
 */
struct bpf_program *ct_walk_program(bool full_path, bool in_loop,
				    struct bpf_program *none,
				    struct bpf_program *unrolled,
				    struct bpf_program *loop);

/* Does path (len bytes) hold the --contains string? True without one. */
bool ct_contains_match(const char *path, size_t len);
#endif

#endif
