// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/helpers/common/ct-sock.c: what common/bpf/file.bpf.h and
 * sock.bpf.h make of the fd the helper passes to getsockname(), at the
 * call's entry.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "file.bpf.h"
#include "sock.bpf.h"

const volatile __u32 self_tgid;

__u64 seen_calls;	/* getsockname() calls seen */
__u64 seen_ino;		/* the file's inode number */
__u8 seen_file;		/* the fd has a struct file */
__u8 seen_socket;	/* ... which is a socket */
__u8 seen_sock;		/* ... with a struct sock */
__u8 seen_inet;		/* ... of AF_INET or AF_INET6 */
struct ct_sock_tuple seen_tuple;

SEC("tracepoint/syscalls/sys_enter_getsockname")
int on_getsockname(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *file;
	struct socket *sock;
	struct sock *sk;

	if (bpf_get_current_pid_tgid() >> 32 != self_tgid)
		return 0;
	file = ct_fd_file(task, (int)ctx->args[0], false);
	sock = ct_file_socket(file);
	seen_calls++;
	seen_file = !!file;
	seen_ino = file ? BPF_CORE_READ(file, f_inode, i_ino) : 0;
	seen_socket = !!sock;
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	seen_sock = !!sk;
	seen_inet = ct_sock_tuple(sk, &seen_tuple);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
