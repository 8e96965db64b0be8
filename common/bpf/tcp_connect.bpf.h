/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Active TCP opens from sock:inet_sock_set_state, for the connect tools.
 * connect() (also io_uring's, and sendto() with MSG_FASTOPEN) moves the
 * socket from CLOSE to SYN_SENT in the caller's context: who connected is
 * known there and kept by socket. The handshake ends later, often in a
 * softirq whose task is unrelated: SYN_SENT to ESTABLISHED, or to CLOSE
 * with sk_err set (refused, timed out, unreachable). Only then is the
 * local port known (it is picked after SYN_SENT), and the error is there
 * for a non-blocking connect too, whose connect() returned EINPROGRESS.
 * A connect that fails before the change to SYN_SENT (no route, a bad
 * address) changes no state and is not seen; one that finds no free local
 * port right after it goes back to CLOSE at once, with no error set.
 *
 * The tool's program calls ct_connect_state() from its
 * CT_TCP_STATE_PROGS() handler.
 */
#ifndef CT_TCP_CONNECT_BPF_H
#define CT_TCP_CONNECT_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "events.bpf.h"
#include "filter.bpf.h"
#include "tcp_connect.h"
#include "tcp_state.bpf.h"

#define CT_EADDRNOTAVAIL 99
#define CT_ECONNABORTED 103

/* Who connected: what the end of the handshake reports. */
struct ct_connecting {
	__u64 start_ns;
	__u32 pid;
	__u32 uid;
	char comm[CT_CONN_COMM_LEN];
};

/*
 * A connect ct_connecting had no room for: a lost event, unless the tool
 * sends none (tcpconnect --count).
 */
#ifndef CT_CONNECT_LOST
#define CT_CONNECT_LOST() ct_count_send(-1)
#endif

/*
 * Not an LRU map: one evicts live entries before it is full, and that
 * connect would go unreported without a word. A connect leaves it when
 * its socket leaves SYN_SENT; a full map is counted (CT_CONNECT_LOST()).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct ct_connecting);
} ct_connecting SEC(".maps");

/*
 * At CLOSE -> SYN_SENT, in the connecting task: remember it, if it passes
 * -p, -u and -c (a connect not remembered is never reported).
 */
static __always_inline void ct_connect_begin(struct sock *sk)
{
	struct ct_connecting c = {};
	__u64 key = (__u64)sk;

	if (!ct_task_wanted())
		return;
	c.start_ns = bpf_ktime_get_ns();
	c.pid = bpf_get_current_pid_tgid() >> 32;
	c.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(c.comm, sizeof(c.comm));
	if (bpf_map_update_elem(&ct_connecting, &key, &c, BPF_ANY))
		CT_CONNECT_LOST();
}

/*
 * The handshake's result on leaving SYN_SENT for new, with t the socket's
 * tuple: 0 once established, else the error connect() gives (sk_err, set
 * before the socket closes). Closed with none: connect() found no local
 * port (EADDRNOTAVAIL), or the process closed or shut down the socket
 * (ECONNABORTED).
 */
static __always_inline int ct_connect_result(struct sock *sk, int new,
					     const struct ct_sock_tuple *t)
{
	int err;

	if (new == TCP_ESTABLISHED)
		return 0;
	err = BPF_CORE_READ(sk, sk_err);
	if (err > 0)
		return err;
	return t->sport ? CT_ECONNABORTED : CT_EADDRNOTAVAIL;
}

/*
 * At SYN_SENT -> new: fill e with the connect remembered for sk (forgotten
 * now) and its result. False if none was remembered, or the connection
 * fails -4/-6, -L or -D.
 */
static __always_inline bool ct_connect_end(struct sock *sk, int new,
					   struct ct_conn_event *e)
{
	__u64 key = (__u64)sk;
	struct ct_connecting *c = bpf_map_lookup_elem(&ct_connecting, &key);
	bool wanted;

	if (!c)
		return false;
	e->ts = bpf_ktime_get_ns();
	e->lat_ns = e->ts - c->start_ns;
	e->pid = c->pid;
	e->uid = c->uid;
	e->kind = CT_CONN_CONNECT;
	__builtin_memcpy(e->comm, c->comm, sizeof(e->comm));
	bpf_map_delete_elem(&ct_connecting, &key);
	wanted = ct_sock_tuple(sk, &e->tuple) && ct_tcp_wanted(&e->tuple);
	e->err = ct_connect_result(sk, new, &e->tuple);
	return wanted;
}

/*
 * For a state change of a TCP socket sk: remember a connect at its SYN;
 * at the end of a remembered one's handshake, fill e. True if e is filled.
 */
static __always_inline bool ct_connect_state(struct sock *sk, int old,
					     int new, struct ct_conn_event *e)
{
	if (old == TCP_CLOSE && new == TCP_SYN_SENT) {
		ct_connect_begin(sk);
		return false;
	}
	return old == TCP_SYN_SENT && e && ct_connect_end(sk, new, e);
}

#endif
