// SPDX-License-Identifier: GPL-2.0
/*
 * Every TCP state change, from sock:inet_sock_set_state, with the time
 * since the socket's previous change. The task is current: the one that
 * made the change in a system call (connect(), close(), shutdown()), but
 * for changes made on receipt of a packet (softirq) whatever task that
 * interrupted, on loopback often the peer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "events.bpf.h"
#include "missed.bpf.h"
#include "tcp_state.bpf.h"
#include "tcpstates.h"

/*
 * When each socket entered its state: filtered or not, for the next. Not
 * an LRU map, which evicts live entries before it is full: the next
 * change's time would be a silent 0. A full map is counted instead.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);	/* ct_tcp_socket_slots() */
	__type(key, __u64);
	__type(value, __u64);
} since SEC(".maps");

CT_SCRATCH(scratch, struct state_event);

/* The time sk spent in its old state; remember now for the new one. */
static __always_inline __u64 time_in_old(__u64 key, int new, __u64 now)
{
	__u64 *prev = bpf_map_lookup_elem(&since, &key);
	__u64 old_ns = prev ? now - *prev : 0;

	if (new == TCP_CLOSE)
		bpf_map_delete_elem(&since, &key);
	else if (prev)
		*prev = now;
	else if (bpf_map_update_elem(&since, &key, &now, BPF_ANY))
		ct_count_missed();
	return old_ns;
}

static __always_inline int set_state(void *ctx, struct sock *sk, int old,
				     int new)
{
	__u64 now = bpf_ktime_get_ns(), id, key = (__u64)sk, old_ns;
	struct state_event *e;

	if (!ct_sock_is_tcp(sk))
		return 0;
	old_ns = time_in_old(key, new, now);
	e = ct_scratch(&scratch);
	if (!e || !ct_sock_tuple(sk, &e->tuple) || !ct_tcp_wanted(&e->tuple))
		return 0;
	id = bpf_get_current_pid_tgid();
	e->ts = now;
	e->skaddr = key;
	e->old_ns = old_ns;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->oldstate = old;
	e->newstate = new;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	CT_SEND(ctx, e, sizeof(*e));
	return 0;
}

CT_TCP_STATE_PROGS(set_state)

char LICENSE[] SEC("license") = "GPL";
