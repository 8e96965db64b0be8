// SPDX-License-Identifier: GPL-2.0
/*
 * The floor: programs that do nothing, attached by floor.c to the hooks a
 * tool uses. What the workload loses under them is the price of the attach
 * method itself, the least any tool on these hooks can cost. One program
 * per kind of hook, attached to each hook of that kind.
 *
 * Above it, the essential programs (floor -p NAME): on the same hooks,
 * only the work no tool that shows such an event can skip, each done the
 * cheapest way this kernel allows (typed loads, no helper call that a
 * load can replace, no filter, no timestamp, no task identity, no wake-up
 * policy: user space polls). Their cost is the floor of a configuration.
 * They are for opensnoop's exit tracepoints (x86-64 registers), and
 * execsnoop's raw tracepoint (ess_exec).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* A typed pointer from an address, with no call (6.2+). */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

SEC("tracepoint")
int floor_tp(void *ctx)
{
	return 0;
}

SEC("raw_tp")
int floor_raw(void *ctx)
{
	return 0;
}

SEC("uretprobe")
int floor_uret(void *ctx)
{
	return 0;
}

/* A path is built backwards to end at HALF, in a buffer of twice that. */
#define HALF 4096
#define HALF_MASK (HALF - 1)
#define MAX_STEPS 80

/* Set by floor.c: this architecture's numbers of the open calls. */
const volatile long nr_open = -1;
const volatile long nr_openat = -1;
const volatile long nr_openat2 = -1;
const volatile long nr_creat = -1;
/* The string ess_search looks for, and its length (at most 8 bytes). */
const volatile char needle[8] = {};
const volatile __u32 needle_len = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} ring SEC(".maps");

struct scratch {
	__s32 ret;
	__u32 len;
	char buf[2 * HALF];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline struct scratch *get_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/* capture: the name as the caller passed it, read and sent. */
SEC("tracepoint")
int ess_capture(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	struct scratch *s = get_scratch();
	long nr = ctx->id, n;
	const char *name;

	if (!s)
		return 0;
	if (nr == nr_openat || nr == nr_openat2)
		name = (const char *)regs->si;
	else if (nr == nr_open || nr == nr_creat)
		name = (const char *)regs->di;
	else
		return 0;
	n = bpf_probe_read_user_str(s->buf, HALF, name);
	if (n < 0)
		n = 0;
	s->ret = ctx->ret;
	s->len = n;
	bpf_ringbuf_output(&ring, s, 8 + (n & HALF_MASK), BPF_RB_NO_WAKEUP);
	return 0;
}

/*
 * The path of the new fd's file, as d_path() writes it, into s->buf so
 * that it ends at HALF: typed loads from the task to the file and up its
 * dentries and mounts, one helper call a component (its name's bytes).
 * Returns where it starts, or -1 if there is no file.
 */
static __always_inline int fd_path(struct trace_event_raw_sys_exit *ctx,
				   struct scratch *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	struct dentry *root = task->fs->root.dentry;
	struct vfsmount *root_mnt = task->fs->root.mnt;
	struct vfsmount *vfsmnt;
	struct dentry *d;
	struct file *file;
	long fd = ctx->ret;

	if (fd < 0 || fd >= fdt->max_fds)
		return -1;
	file = bpf_rdonly_cast(fdt->fd[fd],
			       bpf_core_type_id_kernel(struct file));
	if (!file)
		return -1;
	d = file->f_path.dentry;
	vfsmnt = file->f_path.mnt;
	/* In memory, not a register: the verifier checks one step, not each. */
	s->len = HALF;
	for (int i = 0; i < MAX_STEPS; i++) {
		struct dentry *parent;
		__u32 len, pos = s->len;

		if (d == root && vfsmnt == root_mnt)
			break;
		if (d == vfsmnt->mnt_root) {
			struct mount *m = bpf_rdonly_cast(
				container_of(vfsmnt, struct mount, mnt),
				bpf_core_type_id_kernel(struct mount));

			if (m->mnt_parent == m)
				break;
			d = m->mnt_mountpoint;
			vfsmnt = &m->mnt_parent->mnt;
			continue;
		}
		parent = d->d_parent;
		len = d->d_name.len;
		if (parent == d || len >= pos)
			break;
		pos -= len + 1;
		bpf_probe_read_kernel(&s->buf[(pos + 1) & HALF_MASK],
				      len & HALF_MASK, d->d_name.name);
		s->buf[pos & HALF_MASK] = '/';
		s->len = pos;
		d = parent;
	}
	return s->len;
}

/* -F: the new fd's full path, sent. */
SEC("tracepoint")
int ess_path(struct trace_event_raw_sys_exit *ctx)
{
	struct scratch *s = get_scratch();
	int pos;

	if (!s)
		return 0;
	pos = fd_path(ctx, s);
	if (pos < 0)
		return 0;
	pos &= HALF_MASK;
	bpf_ringbuf_output(&ring, &s->buf[pos], HALF - pos, BPF_RB_NO_WAKEUP);
	return 0;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/*
 * --contains rejecting: the path built and searched for the needle (at
 * most a word long), a word at a time for its first byte; nothing is sent.
 */
SEC("tracepoint")
int ess_search(struct trace_event_raw_sys_exit *ctx)
{
	__u64 first = ONES * (__u8)needle[0];
	__u64 want = *(const volatile __u64 *)needle;
	__u64 head = needle_len >= 8 ? ~0ULL : (1ULL << (needle_len * 8)) - 1;
	struct scratch *s = get_scratch();
	int pos, words, found = 0;

	if (!s)
		return 0;
	pos = fd_path(ctx, s);
	if (pos < 0)
		return 0;
	pos &= ~7 & HALF_MASK;
	words = (HALF - pos) / 8;
	for (int i = 0; i < HALF / 8 && i < words; i++) {
		__u32 at = (pos + i * 8) & HALF_MASK;
		__u64 x = *(__u64 *)&s->buf[at] ^ first;

		if (!((x - ONES) & ~x & HIGHS))
			continue;
		for (int k = 0; k < 8; k++)
			if (!((*(__u64 *)&s->buf[at + k] ^ want) & head))
				found++;
	}
	/* What was found, for the compiler not to drop the search. */
	s->len = found;
	return 0;
}

/*
 * exec, on sched_process_exec: the new program's argv, from its stack in
 * one read, sent. The rest of what execsnoop shows (who, the file) is
 * its own.
 */
SEC("raw_tp")
int ess_exec(void *ctx)
{
	struct mm_struct *mm = bpf_get_current_task_btf()->mm;
	struct scratch *s = get_scratch();
	unsigned long len;

	if (!s || !mm)
		return 0;
	len = mm->arg_end - mm->arg_start;
	if (len > HALF)
		len = HALF;
	if (bpf_probe_read_user(s->buf, len, (void *)mm->arg_start))
		return 0;
	s->len = len;
	bpf_ringbuf_output(&ring, s, 8 + len, BPF_RB_NO_WAKEUP);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
