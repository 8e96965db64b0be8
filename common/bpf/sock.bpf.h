/* SPDX-License-Identifier: GPL-2.0 */
/* What a struct sock is connected to, as struct ct_sock_tuple says. */
#ifndef CT_SOCK_BPF_H
#define CT_SOCK_BPF_H

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "sock_tuple.h"

#define CT_AF_INET 2
#define CT_AF_INET6 10

/*
 * Fill t from sk; false (t zeroed) if sk is neither AF_INET nor AF_INET6.
 * The local port is skc_num, kept in host byte order, else inet_sport
 * (the port of a socket that released it); sk_protocol was a
 * bitfield before 5.6, hence the probed bitfield read. A kernel built
 * without IPv6 has no v6 fields: the branch is left out there, not failed
 * at load (bcc#5192).
 */
static __always_inline bool ct_sock_tuple(struct sock *sk,
					  struct ct_sock_tuple *t)
{
	struct sock_common *skc = (struct sock_common *)sk;

	__builtin_memset(t, 0, sizeof(*t));
	if (!sk)
		return false;
	t->family = BPF_CORE_READ(skc, skc_family);
	if (t->family == CT_AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)t->saddr, skc, skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)t->daddr, skc, skc_daddr);
	} else if (t->family == CT_AF_INET6 &&
		   bpf_core_field_exists(skc->skc_v6_rcv_saddr)) {
		BPF_CORE_READ_INTO(&t->saddr, skc, skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&t->daddr, skc, skc_v6_daddr);
	} else {
		__builtin_memset(t, 0, sizeof(*t));
		return false;
	}
	t->sport = BPF_CORE_READ(skc, skc_num);
	/* A closing socket's port is released (skc_num 0), not forgotten. */
	if (!t->sport)
		t->sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk,
						   inet_sport));
	t->dport = bpf_ntohs(BPF_CORE_READ(skc, skc_dport));
	t->protocol = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	return true;
}

#endif
