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
#include "rdonly_cast.h"
#include "task.bpf.h"

/* A power of two: bytes of the directory part. */
#ifndef CT_PATH_HALF
#define CT_PATH_HALF 4096
#endif
/* Path components, and mount points crossed, walked before giving up. */
#define CT_PATH_MAX_DEPTH 64
#define CT_PATH_MAX_MOUNTS 16

#define CT_PATH_HALF_MASK (CT_PATH_HALF - 1)

/*
 * Set by user space (ct_path_walk_in_loop()) where the kernel has
 * bpf_rdonly_cast() (6.2+): the walk in bpf_loop() then reads the file,
 * its dentries and mounts with plain loads (faults read as zero), not a
 * helper call an object.
 */
const volatile struct ct_path_btf_ids ct_path_ids = {};

/*
 * The walk by typed loads: in a program that walks in bpf_loop() (loop)
 * and reads the task typed where it can (typed), where user space set
 * the ids. Elsewhere the placeholder calls it makes are never reached.
 */
#define CT_PATH_TYPED(typed, loop) ((typed) && (loop) && ct_path_ids.dentry)

/*
 * bpf_rdonly_cast(obj, btf_id): obj as a pointer to the kernel's type
 * btf_id, for plain loads. A placeholder call, made the kfunc's by user
 * space (rdonly_cast.h); the verifier turns it into a move. btf_id must
 * be a constant the verifier knows (ct_path_ids).
 */
static __always_inline void *ct_rdonly_cast(const void *obj, __u32 btf_id)
{
	void *ret;

	asm volatile("r1 = %[obj]\n\t"
		     "r2 = %[id]\n\t"
		     ".8byte %[call]\n\t"
		     "%[ret] = r0"
		     : [ret] "=r"(ret)
		     : [obj] "r"(obj), [id] "r"(btf_id),
		       [call] "i"(CT_RDONLY_CAST_INSN)
		     : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
	return ret;
}

/*
 * The walk by typed loads reads the current task through this alias, an
 * untrusted pointer to it: 6.18's verifier looks up every pointer loaded
 * from a trusted one (bpf_get_current_task_btf()'s) by name in the
 * kernel's whole BTF, up to four times, at each state it checks that load
 * in: three quarters of -F's verification time (~15 of 20 ms a start on
 * this host). From the alias, the same plain loads, checked at once.
 */
static __always_inline struct task_struct *
ct_task_untrusted(struct task_struct *task)
{
	return ct_rdonly_cast(task, ct_path_ids.task);
}

/*
 * Scratch for building a full path (per CPU: CT_SCRATCH()). The walk keeps
 * its state here rather than in registers: every step then starts from the
 * same unknown values, and the verifier checks the loop in linear time
 * instead of following each mix of mount crossings and components.
 */
struct ct_path_buf {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct dentry *mnt_root;	/* vfsmnt's */
	struct mount *mnt_parent;	/* vfsmnt's mount's */
	struct dentry *mnt_mountpoint;	/* vfsmnt's mount's */
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	__u32 pos;		/* where the path built so far starts */
	__u32 depth;		/* components written */
	__u32 mounts;		/* mount points crossed */
	__u8 cut;		/* the path did not fit: its head is missing */
	/* The path, then a word of slack for --contains' word reads. */
	char buf[2 * CT_PATH_HALF + 8] __attribute__((aligned(8)));
	/*
	 * --contains' search (contains.bpf.h): the word it goes a word at a
	 * time from. Here, not on the stack: the verifier follows no value
	 * through a map, so it checks the search's steps once, not once for
	 * each word that may be first. After buf: buf where it was.
	 */
	__u32 match_from;
};

static __always_inline struct mount *ct_real_mount(struct vfsmount *vfsmnt)
{
	return (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
}

/* What a step up from a dentry reads. */
struct ct_dentry_up {
	struct dentry *parent;
	const unsigned char *name;
	__u32 len;
	bool hashed;
};

/* Bytes from d_hash.pprev to d_name.name: one read where they lie so. */
#define CT_DENTRY_SPAN 64

/*
 * A helper call costs more than the few bytes it copies: where the fields
 * lie together (every kernel so far), read them at once. The offsets are
 * constants once relocated, so the verifier keeps one of the two ways.
 */
static __always_inline void ct_dentry_read_as(struct dentry *d,
					      struct ct_dentry_up *up, bool tw)
{
	struct dentry *t;
	__u32 pprev = bpf_core_field_offset(struct dentry, d_hash.pprev);
	__u32 parent = bpf_core_field_offset(struct dentry, d_parent);
	__u32 len = bpf_core_field_offset(struct dentry, d_name.len);
	__u32 name = bpf_core_field_offset(struct dentry, d_name.name);
	char blk[CT_DENTRY_SPAN];

	if (tw) {
		t = ct_rdonly_cast(d, ct_path_ids.dentry);
		up->hashed = t->d_hash.pprev;
		up->parent = t->d_parent;
		up->len = t->d_name.len;
		up->name = t->d_name.name;
		return;
	}
	if (pprev < parent && parent < len && len < name &&
	    name + 8 - pprev <= CT_DENTRY_SPAN) {
		/* Zeroed if it fails. */
		bpf_probe_read_kernel(blk, name + 8 - pprev, (void *)d + pprev);
		up->hashed = *(void **)&blk[0];
		up->parent = *(struct dentry **)&blk[parent - pprev];
		up->len = *(__u32 *)&blk[len - pprev];
		up->name = *(const unsigned char **)&blk[name - pprev];
		return;
	}
	up->hashed = BPF_CORE_READ(d, d_hash.pprev);
	up->parent = BPF_CORE_READ(d, d_parent);
	up->len = BPF_CORE_READ(d, d_name.len);
	up->name = BPF_CORE_READ(d, d_name.name);
}

/* ct_dentry_read_as() with a helper call. */
static __always_inline void ct_dentry_read(struct dentry *d,
					   struct ct_dentry_up *up)
{
	ct_dentry_read_as(d, up, false);
}

/*
 * Pseudo files (pipes, sockets...) have a made-up name (d_dname), not a
 * path; their dentries are never hashed, so a hashed one needs no look.
 */
static __always_inline bool ct_dentry_has_path(struct dentry *d,
					       const struct ct_dentry_up *up)
{
	return up->hashed || !BPF_CORE_READ(d, d_op, d_dname);
}

/* Is dentry d unlinked (deleted, or an O_TMPFILE never linked)? */
static __always_inline bool ct_dentry_unlinked(struct dentry *d,
					       const struct ct_dentry_up *up)
{
	return !up->hashed && up->parent != d;
}

/*
 * Go to vfsmnt: its root, and its mount's parent and mount point for a
 * crossing. Where they lie together (every kernel so far: struct mount
 * starts with them, then its vfsmount with mnt_root), in one read.
 */
static __always_inline void ct_path_mount(struct ct_path_buf *pb,
					  struct vfsmount *vfsmnt, bool tw)
{
	struct mount *mnt = ct_real_mount(vfsmnt);
	struct mount *t;
	__u32 parent = bpf_core_field_offset(struct mount, mnt_parent);
	__u32 point = bpf_core_field_offset(struct mount, mnt_mountpoint);
	__u32 root = bpf_core_field_offset(struct mount, mnt) +
		     bpf_core_field_offset(struct vfsmount, mnt_root);
	void *blk[3];

	pb->vfsmnt = vfsmnt;
	if (tw) {
		t = ct_rdonly_cast(mnt, ct_path_ids.mount);
		pb->mnt_parent = t->mnt_parent;
		pb->mnt_mountpoint = t->mnt_mountpoint;
		pb->mnt_root = t->mnt.mnt_root;
		return;
	}
	if (point == parent + 8 && root == point + 8) {
		/* Zeroed if it fails. */
		bpf_probe_read_kernel(blk, sizeof(blk), (void *)mnt + parent);
		pb->mnt_parent = blk[0];
		pb->mnt_mountpoint = blk[1];
		pb->mnt_root = blk[2];
		return;
	}
	pb->mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
	pb->mnt_mountpoint = BPF_CORE_READ(mnt, mnt_mountpoint);
	pb->mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
}

/* Cross from the root of pb->vfsmnt to its mount point; false at the top. */
static __always_inline bool ct_path_cross(struct ct_path_buf *pb, bool tw)
{
	struct mount *up = pb->mnt_parent;

	if (up == ct_real_mount(pb->vfsmnt))
		return false;
	if (pb->mounts >= CT_PATH_MAX_MOUNTS) {
		pb->cut = 1;
		return false;
	}
	pb->mounts++;
	pb->dentry = pb->mnt_mountpoint;
	ct_path_mount(pb, (void *)up + bpf_core_field_offset(struct mount, mnt),
		      tw);
	return true;
}

enum ct_path_at {
	CT_PATH_AT_TOP,		/* the task's root, or as high as it goes */
	CT_PATH_AT_MOUNT,	/* crossed to the mount point below */
	CT_PATH_AT_NAME,	/* a component to write */
};

/* Where the walk is: crosses to the mount point at the root of a mount. */
static __always_inline enum ct_path_at ct_path_at(struct ct_path_buf *pb,
						  bool tw)
{
	if (pb->dentry == pb->root_dentry && pb->vfsmnt == pb->root_mnt)
		return CT_PATH_AT_TOP;
	if (pb->dentry == pb->mnt_root)
		return ct_path_cross(pb, tw) ? CT_PATH_AT_MOUNT :
					       CT_PATH_AT_TOP;
	return CT_PATH_AT_NAME;
}

/*
 * Write the name of pb->dentry (up: as ct_dentry_read() found it) and go
 * up to its parent; false at the top of its file system or out of room.
 */
static __always_inline bool ct_path_name(struct ct_path_buf *pb,
					 const struct ct_dentry_up *up)
{
	__u32 len = up->len, pos = pb->pos;

	if (up->parent == pb->dentry)
		return false;
	if (pos > CT_PATH_HALF || len >= pos ||
	    pb->depth >= CT_PATH_MAX_DEPTH) {
		pb->cut = 1;
		return false;
	}
	if (len) {
		/* Keep the mask the verifier needs: the compiler knows it. */
		barrier_var(len);
		pos -= len;
		bpf_probe_read_kernel(&pb->buf[pos & CT_PATH_HALF_MASK],
				      len & CT_PATH_HALF_MASK, up->name);
		pos--;
		pb->buf[pos & CT_PATH_HALF_MASK] = '/';
		pb->pos = pos;
	}
	pb->depth++;
	pb->dentry = up->parent;
	return true;
}

/*
 * One step up from pb->dentry; false when at the root or out of room. Each
 * step that returns true writes a component or crosses a mount point, so
 * at most CT_PATH_MAX_DEPTH + CT_PATH_MAX_MOUNTS do.
 */
static __always_inline bool ct_path_step(struct ct_path_buf *pb, bool tw)
{
	enum ct_path_at at = ct_path_at(pb, tw);
	struct ct_dentry_up up;

	if (at != CT_PATH_AT_NAME)
		return at == CT_PATH_AT_MOUNT;
	ct_dentry_read_as(pb->dentry, &up, tw);
	return ct_path_name(pb, &up);
}

/* The steps of a walk, at most; the last one always returns false. */
#define CT_PATH_MAX_STEPS (CT_PATH_MAX_DEPTH + CT_PATH_MAX_MOUNTS + 1)

/*
 * bpf_loop() callback: one step of the walk. data: the caller's pointer
 * to its struct ct_path_buf (bpf_loop() passes only the stack).
 */
static long ct_path_loop_step(__u32 i, void *data)
{
	return !ct_path_step(*(struct ct_path_buf **)data, false);
}

/* The same step by typed loads. */
static long ct_path_typed_step(__u32 i, void *data)
{
	return !ct_path_step(*(struct ct_path_buf **)data, true);
}

/*
 * The walk's steps after the first. With bpf_loop() (5.17+; loop: a
 * program built to name callbacks, see contains.bpf.h), the verifier
 * checks one step once; unrolled, it checks each step, ~100 ms of every
 * start.
 */
static __always_inline void ct_path_steps(struct ct_path_buf *pb, bool loop,
					  bool tw)
{
	if (tw) {
		/*
		 * All in the loop: a typed step before it cost each start
		 * ~5 ms more to verify (--contains), for no time per open
		 * that a run could show.
		 */
		bpf_loop(CT_PATH_MAX_STEPS, ct_path_typed_step, &pb, 0);
		return;
	}
	if (loop) {
		/* Most paths end in a step or two: one without the loop. */
		if (ct_path_step(pb, false))
			bpf_loop(CT_PATH_MAX_STEPS - 1, ct_path_loop_step,
				 &pb, 0);
		return;
	}
	for (int i = 0; i < CT_PATH_MAX_STEPS; i++)
		if (!ct_path_step(pb, false))
			break;
}

/*
 * Write the path of dir, up to root (a task's fs->root), into pb->buf so
 * that it ends at CT_PATH_HALF (no NUL). Returns where it starts; pb->cut
 * says the leading part is missing (too deep, too long, or too many
 * mounts). up: dir's dentry as ct_dentry_read() found it, or NULL. loop,
 * tw: as ct_path_steps()'.
 */
static __always_inline __u32 ct_path_walk(struct ct_path_buf *pb,
					  const struct path *root,
					  const struct path *dir,
					  const struct ct_dentry_up *up,
					  bool loop, bool tw)
{
	enum ct_path_at at;

	pb->dentry = dir->dentry;
	ct_path_mount(pb, dir->mnt, tw);
	pb->root_dentry = root->dentry;
	pb->root_mnt = root->mnt;
	pb->pos = CT_PATH_HALF;
	pb->depth = 0;
	pb->mounts = 0;
	pb->cut = 0;
	/* Its first step outside the loop: one way through each. */
	if (up) {
		at = ct_path_at(pb, tw);
		if (at == CT_PATH_AT_TOP ||
		    (at == CT_PATH_AT_NAME && !ct_path_name(pb, up)))
			goto out;
	}
	ct_path_steps(pb, loop, tw);
out:
	if (pb->pos == CT_PATH_HALF) {
		pb->buf[CT_PATH_HALF - 1] = '/';
		return CT_PATH_HALF - 1;
	}
	return pb->pos;
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

/*
 * The struct file in task's fd slot fd, by typed loads (task is typed):
 * no helper call. The table's array is a struct file **, which no typed
 * index reaches (a number to older verifiers; 6.18's takes it as untrusted
 * memory); the slot is read as element 0 of a struct files_struct's
 * fd_array cast to lie there, a typed struct file at once. NULL
 * if fd is beyond the table or closed (a fault reads as 0).
 */
static __always_inline struct file *ct_fd_file_typed(struct task_struct *task,
						     int fd)
{
	struct fdtable *fdt = ct_task_untrusted(task)->files->fdt;
	struct files_struct *at;
	unsigned long slot;

	if (!fdt || fd < 0 || fd >= fdt->max_fds)
		return NULL;
	slot = (unsigned long)fdt->fd + (unsigned int)fd * sizeof(void *) -
	       bpf_core_field_offset(struct files_struct, fd_array);
	at = ct_rdonly_cast((void *)slot, ct_path_ids.files);
	return at->fd_array[0];
}

/*
 * The path of fd's file into *p; p->dentry NULL if there is no file. typed,
 * loop: as ct_full_path_as()'s.
 */
static __always_inline void ct_fd_path_as(struct task_struct *task, int fd,
					  struct path *p, bool typed, bool loop)
{
	struct file *file;

	if (CT_PATH_TYPED(typed, loop)) {
		file = ct_fd_file_typed(task, fd);
		if (!file)
			return;
		p->dentry = file->f_path.dentry;
		p->mnt = file->f_path.mnt;
		return;
	}
	file = ct_fd_file(task, fd, typed);
	if (!file)
		return;
	BPF_CORE_READ_INTO(p, file, f_path);
}


/*
 * The directory a name is looked up in: dfd's, or the cwd (AT_FDCWD). Read
 * with helper calls even from a typed task: 6.18's verifier takes
 * milliseconds over each typed load of a pointer from the task (10 ms of
 * each start here), and this is for failed opens only.
 */
static __always_inline bool ct_lookup_dir(struct task_struct *task, int dfd,
					  struct path *dir)
{
	struct file *file;

	if (dfd == CT_AT_FDCWD) {
		*dir = BPF_CORE_READ(task, fs, pwd);
		return true;
	}
	file = ct_fd_file(task, dfd, false);
	if (!file)
		return false;
	BPF_CORE_READ_INTO(dir, file, f_path);
	return true;
}

/* Where a name goes: after the directory and a separator at CT_PATH_HALF. */
#define CT_NAME_AT (CT_PATH_HALF + 1)

/*
 * The end of name, n as bpf_probe_read_user_str() copied it to CT_NAME_AT
 * with room for CT_PATH_HALF - 2 bytes. A full buffer: was that the
 * name's end, or a cut?
 */
static __always_inline __u32 ct_name_end(long n, const char *name,
					 __u8 *pflags)
{
	char next = 1;

	if (n <= 0)
		n = 1;
	if (n == CT_PATH_HALF - 1) {
		bpf_probe_read_user(&next, 1, name + CT_PATH_HALF - 2);
		if (next)
			*pflags |= CT_PATH_TAIL_MISSING;
	}
	return CT_NAME_AT + n - 1;
}

/*
 * A name with no directory, as given: where ct_full_path() put it, or,
 * if it filled that place (4094 bytes), again with the room of an event.
 */
static __always_inline __u32 ct_name_alone(struct ct_path_buf *pb, long n,
					   const char *name, __u8 *pflags)
{
	if (n == CT_PATH_HALF - 1) {
		pb->pos = 0;
		return ct_path_copy_name(pb->buf, name, pflags);
	}
	pb->pos = CT_NAME_AT;
	return n > 0 ? n - 1 : 0;
}

/*
 * Does own (a file's path) have a dentry with a path of its own? up: that
 * dentry as ct_dentry_read_as(tw) found it. A pseudo file's (a pipe's) is
 * made up: its path is then the name the open gave.
 */
static __always_inline bool ct_own_has_path(const struct path *own,
					    struct ct_dentry_up *up, bool tw)
{
	if (!own->dentry)
		return false;
	ct_dentry_read_as(own->dentry, up, tw);
	return ct_dentry_has_path(own->dentry, up);
}

/*
 * The full path, into pb->buf from pb->pos on (pb: per-CPU scratch,
 * CT_SCRATCH()): own's, when own_up is its dentry as ct_own_has_path()
 * found it (the file itself, as the kernel resolved it), else (own_up
 * NULL) name placed in its directory (dfd's or the cwd), marked
 * reconstructed: "..", symlinks and the like stay as given. A name with
 * no directory to go in (a bad dfd, an empty or unreadable name) stays as
 * given, marked unresolved. Returns the path's length, no NUL. It stays in
 * pb, where --contains looks first (ct_path_contains()), until
 * ct_path_out() copies it to an event. A name is read once, to where it
 * goes after a directory, before its first byte says whether it has one.
 * task is ct_current_task_as(typed)'s; loop: as ct_path_steps()'.
 */
static __always_inline __u32 ct_full_path_up(struct ct_path_buf *pb,
					     struct task_struct *task,
					     const struct path *own,
					     const struct ct_dentry_up *own_up,
					     int dfd, const char *name,
					     __u8 *pflags, bool typed,
					     bool loop)
{
	bool tw = CT_PATH_TYPED(typed, loop);
	/* First, read once: the verifier checks a typed load slowly. */
	struct path root = tw ? ct_task_untrusted(task)->fs->root :
				CT_READ_AS(typed, task, fs, root);
	__u32 pos, end = CT_PATH_HALF;
	struct path dir = {};
	long n = 0;
	char first;

	if (own_up) {
		dir = *own;
		if (ct_dentry_unlinked(dir.dentry, own_up))
			*pflags |= CT_PATH_DELETED;
	} else {
		/* Zeroed if unreadable. */
		n = bpf_probe_read_user_str(&pb->buf[CT_NAME_AT],
					    CT_PATH_HALF - 1, name);
		first = pb->buf[CT_NAME_AT];
		if (first == '/')
			*pflags |= CT_PATH_RECONSTRUCTED | CT_PATH_FULL;
		else if (!first || !ct_lookup_dir(task, dfd, &dir))
			*pflags |= CT_PATH_UNRESOLVED;
		if (first == '/' || (*pflags & CT_PATH_UNRESOLVED))
			return ct_name_alone(pb, n, name, pflags);
		*pflags |= CT_PATH_RECONSTRUCTED;
	}
	pos = ct_path_walk(pb, &root, &dir, own_up, loop, tw);
	if (pb->cut)
		*pflags |= CT_PATH_HEAD_MISSING;
	if (!own_up) {
		pb->buf[CT_PATH_HALF] = '/';
		/* The root: its "/" is the separator. */
		if (pos == CT_PATH_HALF - 1)
			pos = CT_PATH_HALF;
		end = ct_name_end(n, name, pflags);
	}
	pb->pos = pos;
	if (pos > end)
		return 0;
	*pflags |= CT_PATH_FULL;
	return (end - pos) & CT_PATH_MASK;
}

/*
 * ct_full_path_up() of own, where own has a path (ct_own_has_path()),
 * else of name in dfd's directory.
 */
static __always_inline __u32 ct_full_path_as(struct ct_path_buf *pb,
					     struct task_struct *task,
					     const struct path *own, int dfd,
					     const char *name, __u8 *pflags,
					     bool typed, bool loop)
{
	struct ct_dentry_up up = {};
	bool has = ct_own_has_path(own, &up, CT_PATH_TYPED(typed, loop));

	return ct_full_path_up(pb, task, own, has ? &up : NULL, dfd, name,
			       pflags, typed, loop);
}

/* ct_full_path_as(), walked unrolled: for programs that name no callback. */
static __always_inline __u32 ct_full_path(struct ct_path_buf *pb,
					  struct task_struct *task,
					  const struct path *own, int dfd,
					  const char *name, __u8 *pflags,
					  bool typed)
{
	return ct_full_path_as(pb, task, own, dfd, name, pflags, typed,
			       false);
}

/* Copy the path ct_full_path() built (len bytes) to out; returns len. */
static __always_inline __u32 ct_path_out(char *out,
					 const struct ct_path_buf *pb,
					 __u32 len)
{
	len &= CT_PATH_MASK;
	bpf_probe_read_kernel(out, len, &pb->buf[pb->pos & CT_PATH_MASK]);
	return len;
}

#endif
