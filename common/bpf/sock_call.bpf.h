/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A system call on an inet socket's fd (bind, listen), from its
 * syscalls:sys_enter_* tracepoint to its sys_exit_*. Entry finds the
 * struct sock behind the fd and keeps it per thread with one argument:
 * by exit the fd may name another file (a racing close() and open()),
 * while this is the socket the call worked on.
 *
 * Filters run at entry: the task (-p, -u, -c), the socket's family
 * (-4/-6, ct_tcp_filter) and its network namespace (ct_netns_filter).
 */
#ifndef CT_SOCK_CALL_BPF_H
#define CT_SOCK_CALL_BPF_H

#include "events.bpf.h"
#include "file.bpf.h"
#include "filter.bpf.h"
#include "tcp_state.bpf.h"

/* The network namespace's inode number to trace, 0 for any. */
const volatile __u32 ct_netns_filter = 0;

struct ct_sock_call {
	__u64 sk;		/* struct sock */
	__u64 ts;		/* bpf_ktime_get_ns() at entry */
	__u64 arg;		/* the call's own: bind's sockaddr, backlog */
	__u64 arg2;		/* bind's addrlen */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct ct_sock_call);
} ct_sock_calls SEC(".maps");

/* The inode number of sk's network namespace (/proc/PID/ns/net). */
static __always_inline __u32 ct_sock_netns(struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

/* Entry of a call on fd: keep its socket if it is one the filters want. */
static __always_inline int ct_sock_call_enter(long fd, __u64 arg, __u64 arg2)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ct_sock_call c = {};
	struct sock *sk;
	__u16 family;

	if (!ct_task_wanted())
		return 0;
	sk = ct_fd_sock(task, fd);
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != CT_AF_INET && family != CT_AF_INET6)
		return 0;
	if (ct_tcp_filter.family && family != ct_tcp_filter.family)
		return 0;
	if (ct_netns_filter && ct_sock_netns(sk) != ct_netns_filter)
		return 0;
	c.sk = (__u64)sk;
	c.ts = bpf_ktime_get_ns();
	c.arg = arg;
	c.arg2 = arg2;
	ct_keep_call(&ct_sock_calls, &tid, &c);
	return 0;
}

/*
 * Exit: what entry kept into *c, forgotten in the map; false if entry
 * kept nothing (filtered out, not an inet socket, or before the tool).
 */
static __always_inline bool ct_sock_call_exit(struct ct_sock_call *c)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ct_sock_call *p = bpf_map_lookup_elem(&ct_sock_calls, &tid);

	if (!p)
		return false;
	*c = *p;
	bpf_map_delete_elem(&ct_sock_calls, &tid);
	return true;
}

#endif
