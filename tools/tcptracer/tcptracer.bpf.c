// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connects, accepts and closes. A connect is reported once
 * established, with the task that called connect() (common/bpf/
 * tcp_connect.bpf.h). An accept at the return of accept() or accept4(),
 * from the new fd's socket. A close when the process closes the
 * connection: close() or shutdown() sends a FIN (ESTABLISHED -> FIN_WAIT1,
 * CLOSE_WAIT -> LAST_ACK), or close() with unread data resets it (-> CLOSE
 * with both directions shut down: a reset received shuts them after the
 * change). Those changes run in the closing task.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "file.bpf.h"
#include "tcp_connect.bpf.h"
#include "tcptracer.h"

#define SHUTDOWN_MASK 3

CT_SCRATCH(scratch, struct ct_conn_event);

/* Send an event of this kind for sk, by the current task, if wanted. */
static __always_inline void send_current(void *ctx, struct sock *sk,
					 __u8 kind)
{
	struct ct_conn_event *e = ct_scratch(&scratch);

	if (!e || !ct_task_wanted() || !ct_sock_tuple(sk, &e->tuple) ||
	    !ct_tcp_wanted(&e->tuple))
		return;
	e->ts = bpf_ktime_get_ns();
	e->lat_ns = 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->err = 0;
	e->kind = kind;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	CT_SEND(ctx, e, sizeof(*e));
}

/* Does the change old -> new close the connection in the process? */
static __always_inline bool closed_by_process(struct sock *sk, int old,
					      int new)
{
	if (old == TCP_ESTABLISHED && new == TCP_FIN_WAIT1)
		return true;
	if (old == TCP_CLOSE_WAIT && new == TCP_LAST_ACK)
		return true;
	return (old == TCP_ESTABLISHED || old == TCP_CLOSE_WAIT) &&
	       new == TCP_CLOSE &&
	       BPF_CORE_READ_BITFIELD_PROBED(sk, sk_shutdown) ==
		       SHUTDOWN_MASK;
}

static __always_inline int set_state(void *ctx, struct sock *sk, int old,
				     int new)
{
	struct ct_conn_event *e = ct_scratch(&scratch);

	if (!ct_sock_is_tcp(sk))
		return 0;
	if (ct_connect_state(sk, old, new, e)) {
		if (!e->err)
			CT_SEND(ctx, e, sizeof(*e));
	} else if (closed_by_process(sk, old, new)) {
		send_current(ctx, sk, CT_CONN_CLOSE);
	}
	return 0;
}

CT_TCP_STATE_PROGS(set_state)

static __always_inline int accepted(void *ctx, long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct sock *sk;

	if (fd < 0)
		return 0;
	sk = ct_fd_sock(task, fd);
	if (sk && ct_sock_is_tcp(sk))
		send_current(ctx, sk, CT_CONN_ACCEPT);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return accepted(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return accepted(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
