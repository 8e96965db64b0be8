// SPDX-License-Identifier: GPL-2.0
/*
 * Connect latency: from connect() sending the SYN (CLOSE -> SYN_SENT) to
 * the connection established (SYN_SENT -> ESTABLISHED), per connection
 * (common/bpf/tcp_connect.bpf.h).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "tcp_connect.bpf.h"
#include "tcpconnlat.h"

/* -m: only handshakes this long or longer. */
const volatile __u64 min_ns = 0;

CT_SCRATCH(scratch, struct ct_conn_event);

static __always_inline int set_state(void *ctx, struct sock *sk, int old,
				     int new)
{
	struct ct_conn_event *e = ct_scratch(&scratch);

	if (ct_sock_is_tcp(sk) && ct_connect_state(sk, old, new, e) &&
	    !e->err && e->lat_ns >= min_ns)
		CT_SEND(ctx, e, sizeof(*e));
	return 0;
}

CT_TCP_STATE_PROGS(set_state)

char LICENSE[] SEC("license") = "GPL";
