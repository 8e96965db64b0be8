// SPDX-License-Identifier: GPL-2.0
/*
 * Each listen() on an inet socket, from syscalls:sys_enter_listen (the
 * socket behind the fd) to sys_exit_listen, where the socket shows the
 * port the kernel chose for one never bound, and the backlog the kernel
 * kept. sock:inet_sock_set_state cannot replace this: the kernel sets a
 * socket's LISTEN state without firing it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "sock_call.bpf.h"
#include "solisten.h"

CT_SCRATCH(scratch, struct listen_event);

SEC("tracepoint/syscalls/sys_enter_listen")
int enter_listen(struct trace_event_raw_sys_enter *ctx)
{
	return ct_sock_call_enter(ctx->args[0], ctx->args[1], 0);
}

SEC("tracepoint/syscalls/sys_exit_listen")
int exit_listen(struct trace_event_raw_sys_exit *ctx)
{
	struct listen_event *e;
	struct ct_sock_call c;
	struct sock *sk;
	__u64 id;

	if (!ct_sock_call_exit(&c))
		return 0;
	e = ct_scratch(&scratch);
	sk = (struct sock *)c.sk;
	if (!e || !ct_sock_tuple(sk, &e->tuple) || !ct_tcp_wanted(&e->tuple))
		return 0;
	id = bpf_get_current_pid_tgid();
	e->ts = c.ts;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->err = -ctx->ret;
	e->netns = ct_sock_netns(sk);
	e->req_backlog = (int)c.arg;
	e->backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	CT_SEND(ctx, e, sizeof(*e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
