/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The full path of a dentry on a mount, as d_path() would write it: walked
 * up to the task's root, crossing mount points, in BPF. The path is written
 * backwards so that it ends at the middle of a buffer of 2 * CT_PATH_HALF
 * bytes; the half above the middle is the caller's (opensnoop appends the
 * name of a failed open there).
 */
#ifndef CT_PATH_BPF_H
#define CT_PATH_BPF_H

#include <bpf/bpf_core_read.h>

#include "file.bpf.h"
#include "path_flags.h"

/* A power of two: bytes of the directory part. */
#ifndef CT_PATH_HALF
#define CT_PATH_HALF 4096
#endif
/* Path components, and mount points crossed, walked before giving up. */
#define CT_PATH_MAX_DEPTH 64
#define CT_PATH_MAX_MOUNTS 16

#define CT_PATH_HALF_MASK (CT_PATH_HALF - 1)

/*
 * Scratch for building a full path (per CPU: CT_SCRATCH()). The walk keeps
 * its state here rather than in registers: every step then starts from the
 * same unknown values, and the verifier checks the loop in linear time
 * instead of following each mix of mount crossings and components.
 */
struct ct_path_buf {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	__u32 pos;		/* where the path built so far starts */
	__u32 depth;		/* components written */
	__u32 mounts;		/* mount points crossed */
	__u8 cut;		/* the path did not fit: its head is missing */
	char buf[2 * CT_PATH_HALF];
};

static __always_inline struct mount *ct_real_mount(struct vfsmount *vfsmnt)
{
	return (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
}

/*
 * One step up from pb->dentry; false when at the root or out of room. Each
 * step that returns true writes a component or crosses a mount point, so
 * at most CT_PATH_MAX_DEPTH + CT_PATH_MAX_MOUNTS do.
 */
static __always_inline bool ct_path_step(struct ct_path_buf *pb)
{
	struct dentry *dentry = pb->dentry;
	struct vfsmount *vfsmnt = pb->vfsmnt;
	const unsigned char *name;
	struct dentry *parent;
	struct mount *mnt, *up;
	__u32 len, pos;

	if (dentry == pb->root_dentry && vfsmnt == pb->root_mnt)
		return false;
	if (dentry == BPF_CORE_READ(vfsmnt, mnt_root)) {
		/* The root of a mount: go on from its mount point. */
		mnt = ct_real_mount(vfsmnt);
		up = BPF_CORE_READ(mnt, mnt_parent);
		if (up == mnt)
			return false;
		if (pb->mounts >= CT_PATH_MAX_MOUNTS) {
			pb->cut = 1;
			return false;
		}
		pb->mounts++;
		pb->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		pb->vfsmnt = (void *)up +
			     bpf_core_field_offset(struct mount, mnt);
		return true;
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	if (parent == dentry)
		return false;
	len = BPF_CORE_READ(dentry, d_name.len);
	name = BPF_CORE_READ(dentry, d_name.name);
	pos = pb->pos;
	if (len >= pos || pos > CT_PATH_HALF ||
	    pb->depth >= CT_PATH_MAX_DEPTH) {
		pb->cut = 1;
		return false;
	}
	if (len) {
		pos -= len;
		bpf_probe_read_kernel(&pb->buf[pos & CT_PATH_HALF_MASK],
				      len & CT_PATH_HALF_MASK, name);
		pos--;
		pb->buf[pos & CT_PATH_HALF_MASK] = '/';
		pb->pos = pos;
	}
	pb->depth++;
	pb->dentry = parent;
	return true;
}

/*
 * Write the path of dir, as task sees it, into pb->buf so that it ends at
 * CT_PATH_HALF (no NUL). Returns where it starts; pb->cut says the leading
 * part is missing (too deep, too long, or too many mounts).
 */
static __always_inline __u32 ct_path_walk(struct ct_path_buf *pb,
					  struct task_struct *task,
					  const struct path *dir)
{
	int i;

	pb->dentry = dir->dentry;
	pb->vfsmnt = dir->mnt;
	pb->root_dentry = BPF_CORE_READ(task, fs, root.dentry);
	pb->root_mnt = BPF_CORE_READ(task, fs, root.mnt);
	pb->pos = CT_PATH_HALF;
	pb->depth = 0;
	pb->mounts = 0;
	pb->cut = 0;
	/* The last step always returns false: at the top, or cut. */
	for (i = 0; i <= CT_PATH_MAX_DEPTH + CT_PATH_MAX_MOUNTS; i++)
		if (!ct_path_step(pb))
			break;
	if (pb->pos == CT_PATH_HALF) {
		pb->buf[CT_PATH_HALF - 1] = '/';
		return CT_PATH_HALF - 1;
	}
	return pb->pos;
}

/* Pseudo files (pipes, sockets...) have a made-up name, not a path. */
static __always_inline bool ct_file_has_path(struct file *file)
{
	return file && !BPF_CORE_READ(file, f_path.dentry, d_op, d_dname);
}

/* Is dentry unlinked (deleted, or an O_TMPFILE never linked)? */
static __always_inline bool ct_dentry_unlinked(struct dentry *dentry)
{
	return !BPF_CORE_READ(dentry, d_hash.pprev) &&
	       BPF_CORE_READ(dentry, d_parent) != dentry;
}

#define CT_AT_FDCWD (-100)
/* An event's path buffer: a directory part and a name part. */
#define CT_PATH_BYTES (2 * CT_PATH_HALF)
#define CT_PATH_MASK (CT_PATH_BYTES - 1)

/*
 * Without a directory to resolve against: name as the caller gave it, into
 * out (CT_PATH_BYTES). Returns its length, no NUL.
 */
static __always_inline __u32 ct_path_copy_name(char *out, const char *name,
					       __u8 *pflags)
{
	long n = bpf_probe_read_user_str(out, CT_PATH_HALF + 1, name);

	if (n <= 0)
		n = 1;
	if (n == CT_PATH_HALF + 1)
		*pflags |= CT_PATH_TAIL_MISSING;
	return n - 1;
}

/* The path of fd's file into *p; p->dentry NULL if it has none. */
static __always_inline void ct_fd_path(struct task_struct *task, int fd,
				       struct path *p)
{
	struct file *file = ct_fd_file(task, fd);

	if (ct_file_has_path(file))
		BPF_CORE_READ_INTO(p, file, f_path);
}

/* The directory a name is looked up in: dfd's, or the cwd (AT_FDCWD). */
static __always_inline bool ct_lookup_dir(struct task_struct *task, int dfd,
					  struct path *dir)
{
	struct file *file;

	if (dfd == CT_AT_FDCWD) {
		BPF_CORE_READ_INTO(dir, task, fs, pwd);
		return true;
	}
	file = ct_fd_file(task, dfd);
	if (!file)
		return false;
	BPF_CORE_READ_INTO(dir, file, f_path);
	return true;
}

/* Append "/name" after the directory that ends at CT_PATH_HALF. */
static __always_inline __u32 ct_path_append_name(struct ct_path_buf *pb,
						 __u32 pos, const char *name,
						 __u8 *pflags)
{
	__u32 at = CT_PATH_HALF;
	long n;

	/* Not the root: add a separator. */
	if (pos != CT_PATH_HALF - 1) {
		pb->buf[CT_PATH_HALF] = '/';
		at++;
	}
	n = bpf_probe_read_user_str(&pb->buf[at & CT_PATH_MASK],
				    CT_PATH_HALF - 1, name);
	if (n <= 0)
		n = 1;
	/* The buffer is full: was that the name's end, or a cut? */
	if (n == CT_PATH_HALF - 1) {
		char next = 1;

		bpf_probe_read_user(&next, 1, name + CT_PATH_HALF - 2);
		if (next)
			*pflags |= CT_PATH_TAIL_MISSING;
	}
	return at + n - 1;
}

/*
 * The full path into out (CT_PATH_BYTES): own's, when it has a dentry
 * (the file itself, as the kernel resolved it), else name placed in its
 * directory (dfd's or the cwd), marked reconstructed: "..", symlinks and
 * the like stay as given. A name with no directory to go in (a bad dfd,
 * an empty or unreadable name) stays as given, marked unresolved. pb is
 * per-CPU scratch (CT_SCRATCH()). Returns the path's length, no NUL.
 */
static __always_inline __u32 ct_full_path(char *out, struct ct_path_buf *pb,
					  struct task_struct *task,
					  const struct path *own, int dfd,
					  const char *name, __u8 *pflags)
{
	struct path dir = {};
	bool append = false;
	__u32 pos, end, len;
	char first = 0;

	if (!pb)
		return ct_path_copy_name(out, name, pflags);
	if (own->dentry) {
		dir = *own;
		if (ct_dentry_unlinked(dir.dentry))
			*pflags |= CT_PATH_DELETED;
	} else {
		bpf_probe_read_user(&first, 1, name);
		if (first == '/') {
			*pflags |= CT_PATH_RECONSTRUCTED | CT_PATH_FULL;
			return ct_path_copy_name(out, name, pflags);
		}
		if (!first || !ct_lookup_dir(task, dfd, &dir)) {
			*pflags |= CT_PATH_UNRESOLVED;
			return ct_path_copy_name(out, name, pflags);
		}
		*pflags |= CT_PATH_RECONSTRUCTED;
		append = true;
	}
	pos = ct_path_walk(pb, task, &dir);
	if (pb->cut)
		*pflags |= CT_PATH_HEAD_MISSING;
	end = CT_PATH_HALF;
	if (append)
		end = ct_path_append_name(pb, pos, name, pflags);
	if (pos > end)
		return 0;
	len = (end - pos) & CT_PATH_MASK;
	bpf_probe_read_kernel(out, len, &pb->buf[pos & CT_PATH_MASK]);
	*pflags |= CT_PATH_FULL;
	return len;
}

#endif
