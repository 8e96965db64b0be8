/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP state changes from sock:inet_sock_set_state, for the TCP tools. The
 * tracepoint passes (sk, oldstate, newstate); its plain form also copies
 * the addresses, but sk is there too (skaddr), so every kind reads the
 * socket alike. It also fires for SCTP (and MPTCP's own sockets are not
 * IPPROTO_TCP): only TCP passes.
 *
 * CT_TCP_STATE_PROGS(fn) defines the tp_btf, raw_tp and plain tracepoint
 * programs, all calling fn(ctx, sk, oldstate, newstate); user space loads
 * one (common/tp_attach.h).
 */
#ifndef CT_TCP_STATE_BPF_H
#define CT_TCP_STATE_BPF_H

#include "sock.bpf.h"
#include "tcp_filter.h"

#define CT_IPPROTO_TCP 6

const volatile struct ct_tcp_filter ct_tcp_filter = {};

static __always_inline bool ct_tcp_port_in(__u16 port,
					   const volatile __u16 *ports,
					   __u16 n)
{
	for (int i = 0; i < CT_TCP_MAX_PORTS; i++)
		if (i < n && ports[i] == port)
			return true;
	return false;
}

/* Does the connection pass -4/-6, -L and -D? */
static __always_inline bool ct_tcp_wanted(const struct ct_sock_tuple *t)
{
	if (ct_tcp_filter.family && t->family != ct_tcp_filter.family)
		return false;
	if (ct_tcp_filter.nlports &&
	    !ct_tcp_port_in(t->sport, ct_tcp_filter.lports,
			    ct_tcp_filter.nlports))
		return false;
	if (ct_tcp_filter.nrports &&
	    !ct_tcp_port_in(t->dport, ct_tcp_filter.rports,
			    ct_tcp_filter.nrports))
		return false;
	return true;
}

#define CT_TCP_STATE_PROGS(fn)						\
	SEC("tp_btf/inet_sock_set_state")				\
	int btf_set_state(__u64 *ctx)					\
	{								\
		return fn(ctx, (struct sock *)ctx[0], (int)ctx[1],	\
			  (int)ctx[2]);					\
	}								\
	SEC("raw_tp/inet_sock_set_state")				\
	int raw_set_state(__u64 *ctx)					\
	{								\
		return fn(ctx, (struct sock *)ctx[0], (int)ctx[1],	\
			  (int)ctx[2]);					\
	}								\
	SEC("tracepoint/sock/inet_sock_set_state")			\
	int tp_set_state(struct trace_event_raw_inet_sock_set_state *ctx) \
	{								\
		return fn(ctx, (struct sock *)ctx->skaddr, ctx->oldstate, \
			  ctx->newstate);				\
	}

/* Is sk a TCP socket (the tracepoint's protocol)? */
static __always_inline bool ct_sock_is_tcp(struct sock *sk)
{
	return BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) ==
	       CT_IPPROTO_TCP;
}

#endif
