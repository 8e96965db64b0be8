// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's life from sock:inet_sock_set_state: born at its first
 * change to SYN_SENT, SYN_RECV or ESTABLISHED, dead at CLOSE, when its
 * byte counts are read from the tcp_sock.
 *
 * Most changes run in softirq, where current is whatever task the packet
 * interrupted. So the owner is taken where the kernel runs in the
 * process's context: connect() (CLOSE->SYN_SENT), else the return of
 * accept(), else, for a connection never seen in either, the close()
 * (ESTABLISHED->FIN_WAIT1, CLOSE_WAIT->LAST_ACK).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "file.bpf.h"
#include "filter.bpf.h"
#include "tcp_state.bpf.h"
#include "tcplife.h"

struct life {
	__u64 start_ns;
	__u32 pid;
	__u32 uid;
	__u8 owner;
	bool unwanted;		/* the owner failed -p/-u/-c */
	bool syn_acked;		/* an active open, established */
	char comm[LIFE_COMM_LEN];
};

/*
 * Each socket's life so far, by address, until it closes. Not an LRU map:
 * one evicts live entries before it is full, and that connection's line
 * would be lost without a word; a full map is counted as a lost event.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);	/* ct_tcp_socket_slots() */
	__type(key, __u64);
	__type(value, struct life);
} lives SEC(".maps");

CT_SCRATCH(scratch, struct life_event);

/* The current task owns l now, unless a better owner was seen before. */
static __always_inline void take_owner(struct life *l, __u8 how)
{
	if (l->owner && (how == LIFE_OWNER_CLOSE ||
			 l->owner != LIFE_OWNER_CLOSE))
		return;
	l->owner = how;
	l->pid = bpf_get_current_pid_tgid() >> 32;
	l->uid = (__u32)bpf_get_current_uid_gid();
	l->unwanted = !ct_task_wanted();
	bpf_get_current_comm(l->comm, sizeof(l->comm));
}

/*
 * bytes_acked counts sequence numbers: the SYN of an active open and a FIN
 * once acknowledged are one each, as a FIN received is in bytes_received.
 * Our FIN was sent in the states after close() and is acknowledged when
 * nothing is left unacknowledged; tcp_fin() marks a FIN received.
 */
static __always_inline __u64 tx_bytes(struct tcp_sock *tp, struct life *l,
				      int old)
{
	__u64 n = BPF_CORE_READ(tp, bytes_acked);
	bool fin_sent = old == TCP_FIN_WAIT1 || old == TCP_FIN_WAIT2 ||
			old == TCP_CLOSING || old == TCP_LAST_ACK;

	if (l->syn_acked && n)
		n--;
	if (fin_sent && n &&
	    BPF_CORE_READ(tp, snd_una) == BPF_CORE_READ(tp, write_seq))
		n--;
	return n;
}

static __always_inline __u64 rx_bytes(struct tcp_sock *tp)
{
	__u64 n = BPF_CORE_READ(tp, bytes_received);
	struct sock *sk = (struct sock *)tp;
	unsigned long flags = BPF_CORE_READ(sk, __sk_common.skc_flags);

	if (n && (flags & (1UL << bpf_core_enum_value(enum sock_flags,
						      SOCK_DONE))))
		n--;
	return n;
}

static __always_inline void report(void *ctx, struct sock *sk,
				   struct life *l, int old)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	struct life_event *e;

	if (ct_filtering() && (!l->owner || l->unwanted))
		return;
	e = ct_scratch(&scratch);
	if (!e || !ct_sock_tuple(sk, &e->tuple) || !ct_tcp_wanted(&e->tuple))
		return;
	e->ts = bpf_ktime_get_ns();
	e->duration_ns = e->ts - l->start_ns;
	e->tx_bytes = tx_bytes(tp, l, old);
	e->rx_bytes = rx_bytes(tp);
	e->pid = l->pid;
	e->uid = l->uid;
	e->owner = l->owner;
	__builtin_memcpy(e->comm, l->comm, sizeof(e->comm));
	CT_SEND(ctx, e, sizeof(*e));
}

static __always_inline int set_state(void *ctx, struct sock *sk, int old,
				     int new)
{
	__u64 key = (__u64)sk;
	struct life *l, fresh = {};

	if (!ct_sock_is_tcp(sk))
		return 0;
	l = bpf_map_lookup_elem(&lives, &key);
	/* Born before the tool: its start and owner are unknown. */
	if (!l && (new == TCP_SYN_SENT || new == TCP_SYN_RECV ||
		   new == TCP_ESTABLISHED)) {
		fresh.start_ns = bpf_ktime_get_ns();
		/* Another CPU may make it meanwhile (-EEXIST): as good. */
		bpf_map_update_elem(&lives, &key, &fresh, BPF_NOEXIST);
		l = bpf_map_lookup_elem(&lives, &key);
		/* A full map loses the connection: a lost event. */
		if (!l)
			ct_count_send(-1);
	}
	if (!l)
		return 0;
	if (old == TCP_CLOSE && new == TCP_SYN_SENT)
		take_owner(l, LIFE_OWNER_CONNECT);
	else if (old == TCP_SYN_SENT && new == TCP_ESTABLISHED)
		l->syn_acked = true;
	else if (new == TCP_FIN_WAIT1 || new == TCP_LAST_ACK)
		take_owner(l, LIFE_OWNER_CLOSE);
	if (new == TCP_CLOSE) {
		report(ctx, sk, l, old);
		bpf_map_delete_elem(&lives, &key);
	}
	return 0;
}

CT_TCP_STATE_PROGS(set_state)

static __always_inline int accepted(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct sock *sk;
	struct life *l;
	__u64 key;

	if (fd < 0)
		return 0;
	sk = ct_fd_sock(task, fd);
	key = (__u64)sk;
	l = sk ? bpf_map_lookup_elem(&lives, &key) : NULL;
	if (l)
		take_owner(l, LIFE_OWNER_ACCEPT);
	return 0;
}

/* accept4()'s exit too: user space attaches it there as well. */
SEC("tracepoint/syscalls/sys_exit_accept")
int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return accepted(ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
