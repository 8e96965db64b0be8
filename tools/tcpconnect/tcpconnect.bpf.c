// SPDX-License-Identifier: GPL-2.0
/*
 * Active TCP opens, one event when the handshake ends: established or
 * failed (common/bpf/tcp_connect.bpf.h says how it is followed).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "tcp_connect.bpf.h"
#include "tcpconnect.h"

/* -x: only connects that failed. */
const volatile bool failed_only = false;

CT_SCRATCH(scratch, struct ct_conn_event);

static __always_inline int set_state(void *ctx, struct sock *sk, int old,
				     int new)
{
	struct ct_conn_event *e;

	if (!ct_sock_is_tcp(sk))
		return 0;
	if (old == TCP_CLOSE && new == TCP_SYN_SENT) {
		ct_connect_begin(sk);
		return 0;
	}
	if (old != TCP_SYN_SENT)
		return 0;
	e = ct_scratch(&scratch);
	if (!e || !ct_connect_end(sk, new, e) || (failed_only && !e->err))
		return 0;
	CT_SEND(ctx, e, sizeof(*e));
	return 0;
}

CT_TCP_STATE_PROGS(set_state)

char LICENSE[] SEC("license") = "GPL";
