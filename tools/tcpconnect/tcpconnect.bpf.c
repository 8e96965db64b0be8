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
#include "histogram.bpf.h"

/* -x: only connects that failed. */
const volatile bool failed_only = false;

/* --count: count per destination in counts, send nothing. */
const volatile bool counting = false;

/* A connect the full ct_connecting lost: --count has no lost events. */
#define CT_CONNECT_LOST()                                                    \
	(counting ? ct_count_missed() : ct_count_send(-1))

#include "tcp_connect.bpf.h"
#include "tcpconnect.h"

CT_SCRATCH(scratch, struct ct_conn_event);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCPCONNECT_MAX_DESTS);
	__type(key, struct tcpconnect_dest);
	__type(value, struct tcpconnect_count);
} counts SEC(".maps");

static __always_inline void count(const struct ct_conn_event *e)
{
	static const struct tcpconnect_count zero;
	struct tcpconnect_dest k = {};
	struct tcpconnect_count *c;

	__builtin_memcpy(k.daddr, e->tuple.daddr, sizeof(k.daddr));
	k.dport = e->tuple.dport;
	k.family = e->tuple.family;
	c = bpf_map_lookup_elem(&counts, &k);
	if (!c) {
		bpf_map_update_elem(&counts, &k, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&counts, &k);
	}
	if (!c) {
		ct_count_missed();
		return;
	}
	__sync_fetch_and_add(&c->connects, 1);
	if (e->err)
		__sync_fetch_and_add(&c->failed, 1);
}

static __always_inline int set_state(void *ctx, struct sock *sk, int old,
				     int new)
{
	struct ct_conn_event *e = ct_scratch(&scratch);

	if (!ct_sock_is_tcp(sk) || !ct_connect_state(sk, old, new, e) ||
	    (failed_only && !e->err))
		return 0;
	if (counting)
		count(e);
	else
		CT_SEND(ctx, e, sizeof(*e));
	return 0;
}

CT_TCP_STATE_PROGS(set_state)

char LICENSE[] SEC("license") = "GPL";
