// SPDX-License-Identifier: GPL-2.0
/*
 * TCP smoothed round trip times as log2 histograms, aggregated here. The
 * sample is tcp:tcp_probe, the first thing tcp_rcv_established() does: each
 * segment an established connection receives shows its srtt as it stands.
 * tp_btf and raw tracepoints read it from the tcp_sock; a plain
 * tracepoint's fields carry it, with the addresses and ports.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "histogram.bpf.h"
#include "tcp_state.bpf.h"
#include "tcprtt.h"

const volatile bool in_ms = false;
const volatile __u8 hist_by = RTT_BY_ALL;
const volatile struct rtt_addr_filter laddr_filter = {};
const volatile struct rtt_addr_filter raddr_filter = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RTT_MAX_KEYS);
	__type(key, struct rtt_key);
	__type(value, struct rtt_hist);
} hists SEC(".maps");

/* The first bits bits of a and b agree. */
static __always_inline bool prefix_equal(const volatile __u8 *a,
					 const __u8 *b, __u32 bits)
{
	for (int i = 0; i < 16; i++) {
		__u32 left = bits > i * 8 ? bits - i * 8 : 0;
		__u8 mask;

		if (!left)
			break;
		mask = left >= 8 ? 0xff : (__u8)(0xff << (8 - left));
		if ((a[i] ^ b[i]) & mask)
			return false;
	}
	return true;
}

/* ::ffff:a.b.c.d */
static __always_inline bool v4_mapped(const __u8 *a)
{
	for (int i = 0; i < 10; i++)
		if (a[i])
			return false;
	return a[10] == 0xff && a[11] == 0xff;
}

/* Is addr of a socket of family in f? An IPv4 f also takes it mapped. */
static __always_inline bool
addr_wanted(const volatile struct rtt_addr_filter *f, __u16 family,
	    const __u8 *addr)
{
	if (!f->family)
		return true;
	if (f->family == CT_AF_INET && family == CT_AF_INET6 &&
	    v4_mapped(addr))
		return prefix_equal(f->addr, addr + 12, f->prefix);
	return f->family == family && prefix_equal(f->addr, addr, f->prefix);
}

static __always_inline void key_of(const struct ct_sock_tuple *t,
				   struct rtt_key *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	switch (hist_by) {
	case RTT_BY_LADDR:
		k->family = t->family;
		__builtin_memcpy(k->addr, t->saddr, sizeof(k->addr));
		break;
	case RTT_BY_RADDR:
		k->family = t->family;
		__builtin_memcpy(k->addr, t->daddr, sizeof(k->addr));
		break;
	case RTT_BY_LPORT:
		k->port = t->sport;
		break;
	case RTT_BY_RPORT:
		k->port = t->dport;
		break;
	}
}

/* Count srtt (us) of the connection t. */
static __always_inline int account(const struct ct_sock_tuple *t, __u64 srtt)
{
	struct rtt_key k;
	struct rtt_hist *h;
	__u32 slot;

	if (!ct_tcp_wanted(t) ||
	    !addr_wanted(&laddr_filter, t->family, t->saddr) ||
	    !addr_wanted(&raddr_filter, t->family, t->daddr))
		return 0;
	key_of(t, &k);
	h = bpf_map_lookup_elem(&hists, &k);
	if (!h) {
		struct rtt_hist fresh = {};

		bpf_map_update_elem(&hists, &k, &fresh, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &k);
		if (!h) {
			ct_count_missed();
			return 0;
		}
	}
	slot = ct_log2_slot(in_ms ? srtt / 1000 : srtt, RTT_SLOTS) &
	       (RTT_SLOTS - 1);
	ct_hist_add(&h->slots[slot], &h->sum_ns, srtt * 1000);
	return 0;
}

static __always_inline int on_probe(struct sock *sk)
{
	struct ct_sock_tuple t;
	/* The kernel keeps it times 8. */
	__u64 srtt = BPF_CORE_READ((struct tcp_sock *)sk, srtt_us) >> 3;

	if (!ct_sock_tuple(sk, &t))
		return 0;
	return account(&t, srtt);
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(btf_probe, struct sock *sk)
{
	return on_probe(sk);
}

SEC("raw_tp/tcp_probe")
int BPF_PROG(raw_probe, struct sock *sk)
{
	return on_probe(sk);
}

/*
 * sockaddr_in keeps the address at offset 4, sockaddr_in6 at 8; the
 * context takes no offset into its fields but constant ones: a copy.
 */
static __always_inline void sockaddr_addr(__u8 *out, const __u8 *sa,
					  __u16 family)
{
	if (family == CT_AF_INET)
		bpf_probe_read_kernel(out, 4, sa + 4);
	else
		bpf_probe_read_kernel(out, 16, sa + 8);
}

/*
 * 5.10's tracepoint has no field family (6.1's has): the sockaddrs carry
 * it too, in their first two bytes, on every kernel.
 */
SEC("tracepoint/tcp/tcp_probe")
int tp_probe(struct trace_event_raw_tcp_probe *ctx)
{
	struct ct_sock_tuple t = {};

	__builtin_memcpy(&t.family, ctx->saddr, sizeof(t.family));
	if (t.family != CT_AF_INET && t.family != CT_AF_INET6)
		return 0;
	sockaddr_addr(t.saddr, ctx->saddr, t.family);
	sockaddr_addr(t.daddr, ctx->daddr, t.family);
	t.sport = ctx->sport;
	t.dport = ctx->dport;
	return account(&t, ctx->srtt);
}

char LICENSE[] SEC("license") = "GPL";
