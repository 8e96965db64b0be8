// SPDX-License-Identifier: GPL-2.0
/*
 * Each bind() on an inet socket, from syscalls:sys_enter_bind (the socket
 * behind the fd) to sys_exit_bind (the result). A successful bind is shown
 * as the socket is then: its address, the port the kernel chose when
 * asked for port 0, the options set. A failed one shows the address asked
 * for, read from the caller's sockaddr at exit: the kernel copied it at
 * entry, so its page is in memory.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

#include "sock_call.bpf.h"
#include "bindsnoop.h"

const volatile bool failed_too = false;

/* Before 6.6 the inet options were bitfields of struct inet_sock. */
struct inet_sock___bits {
	__u8 freebind: 1;
	__u8 transparent: 1;
	__u8 bind_address_no_port: 1;
} __attribute__((preserve_access_index));

CT_SCRATCH(scratch, struct bind_event);

static __always_inline bool inet_flag(struct inet_sock *inet, int bit)
{
	unsigned long flags = BPF_CORE_READ(inet, inet_flags);

	return flags & (1UL << bit);
}

static __always_inline __u8 bind_opts(struct sock *sk)
{
	struct inet_sock___bits *old = (void *)sk;
	struct inet_sock *inet = (void *)sk;
	__u8 o = 0;

	/*
	 * Since 6.6 bits of inet_flags, in an enum without a name (CO-RE
	 * cannot look it up), but numbered explicitly in the kernel's source.
	 */
	if (bpf_core_field_exists(inet->inet_flags)) {
		if (inet_flag(inet, INET_FLAGS_FREEBIND))
			o |= BIND_FREEBIND;
		if (inet_flag(inet, INET_FLAGS_TRANSPARENT))
			o |= BIND_TRANSPARENT;
		if (inet_flag(inet, INET_FLAGS_BIND_ADDRESS_NO_PORT))
			o |= BIND_NO_PORT;
	} else {
		if (BPF_CORE_READ_BITFIELD_PROBED(old, freebind))
			o |= BIND_FREEBIND;
		if (BPF_CORE_READ_BITFIELD_PROBED(old, transparent))
			o |= BIND_TRANSPARENT;
		if (BPF_CORE_READ_BITFIELD_PROBED(old, bind_address_no_port))
			o |= BIND_NO_PORT;
	}
	if (BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuse))
		o |= BIND_REUSEADDR;
	if (BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuseport))
		o |= BIND_REUSEPORT;
	return o;
}

/*
 * The sockaddr asked for (sockaddr_in: family, port at 2, address at 4;
 * sockaddr_in6: address at 8), into e's request fields.
 */
static __always_inline void read_request(struct bind_event *e, __u64 uaddr,
					 __u64 len)
{
	struct {
		__u16 family;
		__be16 port;
		__u8 v4[4];
		__u8 v6[16];
	} sa;

	if (len < 16 || bpf_probe_read_user(&sa, 16, (void *)uaddr))
		return;
	if (sa.family == CT_AF_INET6 &&
	    (len < 24 || bpf_probe_read_user(&sa, 24, (void *)uaddr)))
		return;
	if (sa.family != CT_AF_INET && sa.family != CT_AF_INET6)
		return;
	e->req_known = 1;
	e->req_port = bpf_ntohs(sa.port);
	if (e->err) {
		e->addr_family = sa.family;
		__builtin_memset(e->tuple.saddr, 0, 16);
		if (sa.family == CT_AF_INET)
			__builtin_memcpy(e->tuple.saddr, sa.v4, 4);
		else
			__builtin_memcpy(e->tuple.saddr, sa.v6, 16);
		e->tuple.sport = e->req_port;
	}
}

SEC("tracepoint/syscalls/sys_enter_bind")
int enter_bind(struct trace_event_raw_sys_enter *ctx)
{
	return ct_sock_call_enter(ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_bind")
int exit_bind(struct trace_event_raw_sys_exit *ctx)
{
	struct ct_sock_call c;
	struct bind_event *e;
	struct sock *sk;
	__u64 id;

	if (!ct_sock_call_exit(&c) || (ctx->ret && !failed_too))
		return 0;
	e = ct_scratch(&scratch);
	sk = (struct sock *)c.sk;
	if (!e || !ct_sock_tuple(sk, &e->tuple))
		return 0;
	e->err = -ctx->ret;
	e->addr_family = e->err ? 0 : e->tuple.family;
	e->req_known = 0;
	e->req_port = 0;
	read_request(e, c.arg, c.arg2);
	if (!ct_tcp_wanted(&e->tuple))
		return 0;
	id = bpf_get_current_pid_tgid();
	e->ts = c.ts;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->netns = ct_sock_netns(sk);
	e->ifindex = BPF_CORE_READ(sk, __sk_common.skc_bound_dev_if);
	e->opts = bind_opts(sk);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	CT_SEND(ctx, e, sizeof(*e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
