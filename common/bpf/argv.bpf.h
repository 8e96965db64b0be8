/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A process's arguments as NUL-separated strings, the way they lie in
 * memory. Two sources: the current task's own stack (mm->arg_start ..
 * arg_end), resident and complete once a program runs (after an exec; at
 * its exit only where sched_process_exit still comes before exit_mm(),
 * which recent kernels do and older ones do not: check before relying on
 * it); and an argv array in user memory, as execve() gets it, read string
 * by string since the caller's pages may not all be there.
 */
#ifndef CT_ARGV_BPF_H
#define CT_ARGV_BPF_H

#include <bpf/bpf_core_read.h>

/* Bytes of argv read from an array; a power of two. */
#ifndef CT_ARGV_BYTES
#define CT_ARGV_BYTES 4096
#endif
/* Pointers of an array followed, at most. */
#ifndef CT_ARGV_MAX_ARGS
#define CT_ARGV_MAX_ARGS 128
#endif
/*
 * An array's argv gets at most CT_ARGV_MASK bytes, so that masking an
 * offset with it is exact and shows the verifier the bound.
 */
#define CT_ARGV_MASK (CT_ARGV_BYTES - 1)

/*
 * Copy the arguments of task, the current task, from its stack to dst: at
 * most max bytes, *cut set if there were more. cap, a constant at least
 * max and at most dst's size, is the bound the verifier sees. Returns the
 * bytes copied: 0 without an mm or if they cannot be read.
 */
static __always_inline __u32 ct_task_args(struct task_struct *task,
					  char *dst, __u32 max, __u32 cap,
					  bool *cut)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	unsigned long arg[2] = {}, len;

	/* Both bounds in one read where they are neighbours (all kernels). */
	if (bpf_core_field_offset(struct mm_struct, arg_end) ==
	    bpf_core_field_offset(struct mm_struct, arg_start) + sizeof(long)) {
		bpf_core_read(arg, sizeof(arg), &mm->arg_start);
	} else {
		arg[0] = BPF_CORE_READ(mm, arg_start);
		arg[1] = BPF_CORE_READ(mm, arg_end);
	}
	len = arg[1] > arg[0] ? arg[1] - arg[0] : 0;
	if (len > max) {
		len = max;
		*cut = true;
	}
	/* No-op, but older verifiers lose the bound over the branches. */
	if (len > cap)
		len = cap;
	if (bpf_probe_read_user(dst, len, (void *)arg[0]))
		len = 0;
	return len;
}

/* The same for the current task, found by a helper call. */
static __always_inline __u32 ct_current_args(char *dst, __u32 max,
					     __u32 cap, bool *cut)
{
	return ct_task_args((struct task_struct *)bpf_get_current_task(), dst,
			    max, cap, cut);
}

/* Where ct_user_argv() is in an argv array. */
struct ct_argv_walk {
	char *dst;
	const char *const *argv;
	__u32 max_args;
	__u32 off;
	bool cut;
};

/* Copy argv[i]: 0 to go on, 1 when done (bpf_loop()'s convention). */
static __always_inline long ct_argv_step(__u32 i, struct ct_argv_walk *w)
{
	const char *arg = NULL;
	__u32 off = w->off;
	long n;

	if (bpf_probe_read_user(&arg, sizeof(arg), &w->argv[i]) || !arg)
		return 1;
	/* One more pointer than shown tells whether there are more. */
	if (i >= w->max_args || off >= CT_ARGV_MASK) {
		w->cut = true;
		return 1;
	}
	off &= CT_ARGV_MASK;
	n = bpf_probe_read_user_str(&w->dst[off], CT_ARGV_BYTES, arg);
	if (n <= 0)
		return 1;
	off += n;
	if (n == CT_ARGV_BYTES || off > CT_ARGV_MASK) {
		w->cut = true;
		off = CT_ARGV_MASK;
	}
	w->off = off;
	return w->cut;
}

static long ct_argv_loop_step(__u32 i, void *w)
{
	return ct_argv_step(i, w);
}

/*
 * Copy argv (a user array, NULL-terminated) to dst, 2 * CT_ARGV_BYTES long
 * so that a whole read always fits: at most max_args strings (at most
 * CT_ARGV_MAX_ARGS) and CT_ARGV_MASK bytes, *cut set if there were more.
 * Returns the bytes copied; the last string may be cut without its NUL.
 * loop: with bpf_loop() (5.17+), whose step the verifier walks once, not
 * once a string; before 5.13 it refuses a program that so much as names
 * the step, so a tool has such a program twice and loads one.
 */
static __always_inline __u32 ct_user_argv(char *dst,
					  const char *const *argv,
					  __u32 max_args, bool *cut,
					  bool loop)
{
	struct ct_argv_walk w = { .dst = dst, .argv = argv,
				  .max_args = max_args };

	/* One more than the maximum: max_args 128 sees the 129th. */
	if (loop)
		bpf_loop(CT_ARGV_MAX_ARGS + 1, ct_argv_loop_step, &w, 0);
	else
		for (int i = 0; i <= CT_ARGV_MAX_ARGS; i++)
			if (ct_argv_step(i, &w))
				break;
	if (w.cut)
		*cut = true;
	return w.off & CT_ARGV_MASK;
}

#endif
