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
	struct ct_conn_event *e = ct_scratch(&scratch);

	if (ct_sock_is_tcp(sk) && ct_connect_state(sk, old, new, e) &&
	    (e->err || !failed_only))
		CT_SEND(ctx, e, sizeof(*e));
	return 0;
}

CT_TCP_STATE_PROGS(set_state)

char LICENSE[] SEC("license") = "GPL";
