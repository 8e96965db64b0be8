// SPDX-License-Identifier: GPL-2.0
/*
 * TCP bytes sent and received, per process and connection, counted here
 * in the kernel and taken out by user space every interval.
 *
 * Since 6.3 the socket layer reports each send and receive call with its
 * result: sock:sock_send_length and sock:sock_recv_length (tp_btf, raw or
 * plain tracepoint), in the caller's context, so current is the process.
 * Older kernels get kprobes and kretprobes on tcp_sendmsg() and on
 * inet_recvmsg()/inet6_recvmsg(), the calls the tracepoints sit after.
 * The receive side is not probed at tcp_cleanup_rbuf() as bcc does: that
 * sees MSG_PEEK reads too, which read nothing off the connection, and its
 * arguments cannot tell them apart. User space loads one path.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "filter.bpf.h"
#include "histogram.bpf.h"
#include "tcp_state.bpf.h"
#include "tcptop.h"

#define MSG_PEEK 2
#define EEXIST 17

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TOP_MAX_CONNS);
	/*
	 * User space deletes entries as it takes them: without preallocation
	 * an entry is freed only once no program can be adding to it, never
	 * reused under one for another connection.
	 */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct top_key);
	__type(value, struct top_traffic);
} traffic SEC(".maps");

static __always_inline struct top_traffic *entry(struct top_key *key)
{
	struct top_traffic *t = bpf_map_lookup_elem(&traffic, key);
	struct top_traffic fresh = {};
	long err;

	if (t)
		return t;
	bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
	err = bpf_map_update_elem(&traffic, key, &fresh, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		ct_count_missed();
		return NULL;
	}
	return bpf_map_lookup_elem(&traffic, key);
}

/* A call of the current process moved bytes (if > 0) on sk. */
static __always_inline int count(struct sock *sk, long bytes, int flags,
				 bool sent)
{
	struct top_key key = {};
	struct top_traffic *t;

	if (bytes <= 0 || (flags & MSG_PEEK) || !ct_task_wanted())
		return 0;
	if (!ct_sock_tuple(sk, &key.tuple) ||
	    key.tuple.protocol != CT_IPPROTO_TCP ||
	    !ct_tcp_wanted(&key.tuple))
		return 0;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	t = entry(&key);
	if (!t)
		return 0;
	if (sent)
		__sync_fetch_and_add(&t->tx, bytes);
	else
		__sync_fetch_and_add(&t->rx, bytes);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(btf_send, struct sock *sk, int ret, int flags)
{
	return count(sk, ret, flags, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(btf_recv, struct sock *sk, int ret, int flags)
{
	return count(sk, ret, flags, false);
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(raw_send, struct sock *sk, int ret, int flags)
{
	return count(sk, ret, flags, true);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(raw_recv, struct sock *sk, int ret, int flags)
{
	return count(sk, ret, flags, false);
}

SEC("tracepoint/sock/sock_send_length")
int tp_send(struct trace_event_raw_sock_msg_length *ctx)
{
	return count(ctx->sk, ctx->ret, ctx->flags, true);
}

SEC("tracepoint/sock/sock_recv_length")
int tp_recv(struct trace_event_raw_sock_msg_length *ctx)
{
	return count(ctx->sk, ctx->ret, ctx->flags, false);
}

/* kprobe path: each thread's call under way, till it returns. */
struct call {
	struct sock *sk;
	int flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);	/* tid, and 1 for a receive */
	__type(value, struct call);
} calls SEC(".maps");

static __always_inline __u64 call_key(bool sent)
{
	return ((__u64)(__u32)bpf_get_current_pid_tgid() << 1) | !sent;
}

static __always_inline int enter(struct sock *sk, int flags, bool sent)
{
	__u64 key = call_key(sent);
	struct call c = { sk, flags };

	if (!sk || !ct_sock_is_tcp(sk) || (flags & MSG_PEEK) ||
	    !ct_task_wanted())
		return 0;
	if (bpf_map_update_elem(&calls, &key, &c, BPF_ANY))
		ct_count_missed();
	return 0;
}

static __always_inline int leave(long ret, bool sent)
{
	__u64 key = call_key(sent);
	struct call *c = bpf_map_lookup_elem(&calls, &key);

	if (!c)
		return 0;
	count(c->sk, ret, c->flags, sent);
	bpf_map_delete_elem(&calls, &key);
	return 0;
}

SEC("kprobe/tcp_sendmsg")
int BPF_KPROBE(kprobe_sendmsg, struct sock *sk)
{
	return enter(sk, 0, true);
}

SEC("kretprobe/tcp_sendmsg")
int BPF_KRETPROBE(kretprobe_sendmsg, int ret)
{
	return leave(ret, true);
}

static __always_inline int enter_recv(struct socket *sock, int flags)
{
	return enter(sock ? BPF_CORE_READ(sock, sk) : NULL, flags, false);
}

SEC("kprobe/inet_recvmsg")
int BPF_KPROBE(kprobe_recvmsg, struct socket *sock, struct msghdr *msg,
	       size_t size, int flags)
{
	return enter_recv(sock, flags);
}

SEC("kretprobe/inet_recvmsg")
int BPF_KRETPROBE(kretprobe_recvmsg, int ret)
{
	return leave(ret, false);
}

SEC("kprobe/inet6_recvmsg")
int BPF_KPROBE(kprobe_recvmsg6, struct socket *sock, struct msghdr *msg,
	       size_t size, int flags)
{
	return enter_recv(sock, flags);
}

SEC("kretprobe/inet6_recvmsg")
int BPF_KRETPROBE(kretprobe_recvmsg6, int ret)
{
	return leave(ret, false);
}

char LICENSE[] SEC("license") = "GPL";
