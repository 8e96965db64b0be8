// SPDX-License-Identifier: GPL-2.0
/*
 * The length of a TCP listener's accept queue (its backlog of connections
 * that completed the handshake and wait for accept()) each time another
 * completes, as log2 histograms per listener, aggregated here.
 *
 * Where kprobes work: tcp_v4_syn_recv_sock() and tcp_v6_syn_recv_sock()
 * get the listener as it takes the handshake's last ACK, before they check
 * whether its queue is full: a length above the limit is a connection
 * dropped. Elsewhere the child socket, as inet_csk_clone_lock() makes it
 * (LISTEN to SYN_RECV on sock:inet_sock_set_state), which is a copy of the
 * listener and carries its backlog's length and limit at that moment; it
 * is made only once the queue was found not full, so drops are not seen.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "histogram.bpf.h"
#include "tcp_state.bpf.h"
#include "tcpsynbl.h"

#define TCP_SYN_RECV 3
#define TCP_LISTEN 10

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYNBL_MAX_KEYS);
	__type(key, struct synbl_key);
	__type(value, struct synbl_hist);
} hists SEC(".maps");

/* Count the backlog of listener sk (or of its fresh copy). */
static __always_inline int account(struct sock *sk)
{
	struct ct_sock_tuple t;
	struct synbl_key k = {};
	struct synbl_hist *h;
	__u32 backlog, slot;

	if (!ct_sock_tuple(sk, &t) || !ct_tcp_wanted(&t))
		return 0;
	k.port = t.sport;
	k.max = BPF_CORE_READ(sk, sk_max_ack_backlog);
	backlog = BPF_CORE_READ(sk, sk_ack_backlog);
	h = bpf_map_lookup_elem(&hists, &k);
	if (!h) {
		struct synbl_hist fresh = {};

		bpf_map_update_elem(&hists, &k, &fresh, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &k);
		if (!h) {
			ct_count_missed();
			return 0;
		}
	}
	slot = ct_log2_slot(backlog, SYNBL_SLOTS) & (SYNBL_SLOTS - 1);
	ct_hist_add(&h->slots[slot], &h->sum, backlog);
	return 0;
}

/* tcp_v6_syn_recv_sock() calls it for IPv4 peers: counted there. */
SEC("kprobe/tcp_v4_syn_recv_sock")
int BPF_KPROBE(kprobe_v4, struct sock *sk)
{
	if (BPF_CORE_READ(sk, __sk_common.skc_family) != CT_AF_INET)
		return 0;
	return account(sk);
}

SEC("kprobe/tcp_v6_syn_recv_sock")
int BPF_KPROBE(kprobe_v6, struct sock *sk)
{
	return account(sk);
}

static __always_inline int on_state(void *ctx, struct sock *sk, int old,
				    int new)
{
	(void)ctx;
	if (old != TCP_LISTEN || new != TCP_SYN_RECV || !ct_sock_is_tcp(sk))
		return 0;
	return account(sk);
}

CT_TCP_STATE_PROGS(on_state)

char LICENSE[] SEC("license") = "GPL";
