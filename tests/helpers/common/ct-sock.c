// SPDX-License-Identifier: GPL-2.0
/*
 * ct-sock: common/bpf/file.bpf.h at work, for tests/runtime/bpf_kit.sh.
 * Its BPF program looks at the fd of each getsockname() call this process
 * makes; for each kind of fd, one line of what it saw:
 *   KIND fd=N file=yes|no ino=INO fstat_ino=INO socket=yes|no sock=yes|no
 *   ct-sock fds FILE UNIX_PATH
 * KIND is file (FILE opened), pipe, tcp, unix-name (an O_PATH fd on a
 * Unix socket bound at UNIX_PATH), closed, last (the highest fd of a table
 * grown to 1024) and beyond (fd 1024, past it).
 *   ct-sock tuples
 * Connected TCP and UDP sockets on loopback (127.0.0.1, ::1, and an IPv6
 * socket talking to ::ffff:127.0.0.1), a listener and an unbound socket:
 * for each, what sock.bpf.h read and what getsockname(), getpeername()
 * and SO_PROTOCOL say:
 *   KIND bpf: FAMILY proto=P SRC DST
 *   KIND user: FAMILY proto=P SRC DST
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "net_addr.h"
#include "sock_tuple.h"
#include "tool.h"
#include "helpers/ct-sock.skel.h"

static struct ct_sock_bpf *skel;

/* Pass fd to getsockname() and say what BPF saw. */
static int probe_fd(const char *kind, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	__u64 calls = skel->bss->seen_calls;
	struct stat st;
	long long ino = -1;

	getsockname(fd, (struct sockaddr *)&ss, &len);
	if (skel->bss->seen_calls != calls + 1) {
		fprintf(stderr, "ct-sock: %s: getsockname() not seen\n", kind);
		return 1;
	}
	if (!fstat(fd, &st))
		ino = st.st_ino;
	printf("%s fd=%d file=%s ino=%llu fstat_ino=%lld socket=%s sock=%s\n",
	       kind, fd, skel->bss->seen_file ? "yes" : "no",
	       (unsigned long long)skel->bss->seen_ino, ino,
	       skel->bss->seen_socket ? "yes" : "no",
	       skel->bss->seen_sock ? "yes" : "no");
	return 0;
}

static int unix_name_fd(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	return open(path, O_PATH);
}

static int fds(const char *file, const char *unix_path)
{
	int p[2], closed, err = 0;

	if (pipe(p))
		return 1;
	err |= probe_fd("file", open(file, O_RDONLY));
	err |= probe_fd("pipe", p[0]);
	err |= probe_fd("tcp", socket(AF_INET, SOCK_STREAM, 0));
	err |= probe_fd("unix-name", unix_name_fd(unix_path));
	if ((closed = dup(0)) < 0 || close(closed))
		return 1;
	err |= probe_fd("closed", closed);
	/* The table grows to 1024 entries: fd 1024 is past its end. */
	if (dup2(socket(AF_INET, SOCK_DGRAM, 0), 1023) != 1023)
		return 1;
	err |= probe_fd("last", 1023);
	err |= probe_fd("beyond", 1024);
	return err;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "AF_INET" :
	       family == AF_INET6 ? "AF_INET6" : "other";
}

static void print_tuple(const char *kind, const char *who,
			const struct ct_sock_tuple *t)
{
	char src[CT_ADDR_PORT_STRLEN], dst[CT_ADDR_PORT_STRLEN];

	ct_fmt_addr_port(src, sizeof(src), t->family, t->saddr, t->sport);
	ct_fmt_addr_port(dst, sizeof(dst), t->family, t->daddr, t->dport);
	printf("%s %s: %s proto=%u %s %s\n", kind, who,
	       family_name(t->family), t->protocol, src, dst);
}

/* A socket address into addr and port, as struct ct_sock_tuple has them. */
static void from_sockaddr(const struct sockaddr_storage *ss, __u8 *addr,
			  __u16 *port)
{
	const struct sockaddr_in *in = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;

	if (ss->ss_family == AF_INET) {
		memcpy(addr, &in->sin_addr, 4);
		*port = ntohs(in->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		memcpy(addr, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
	}
}

/* What user space knows of fd: the same tuple, or 1. */
static int user_tuple(int fd, struct ct_sock_tuple *t)
{
	struct sockaddr_storage ss = {};
	socklen_t len = sizeof(ss);
	int proto;

	memset(t, 0, sizeof(*t));
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 1;
	t->family = ss.ss_family;
	from_sockaddr(&ss, t->saddr, &t->sport);
	len = sizeof(proto);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len))
		return 1;
	t->protocol = proto;
	memset(&ss, 0, sizeof(ss));
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len))
		return errno != ENOTCONN;
	from_sockaddr(&ss, t->daddr, &t->dport);
	return 0;
}

/* Both views of fd; the getsockname() in user_tuple() is BPF's cue. */
static int show_tuple(const char *kind, int fd)
{
	__u64 calls = skel->bss->seen_calls;
	struct ct_sock_tuple t;

	if (fd < 0 || user_tuple(fd, &t) ||
	    skel->bss->seen_calls != calls + 1 || !skel->bss->seen_inet) {
		fprintf(stderr, "ct-sock: %s: no tuple\n", kind);
		return 1;
	}
	print_tuple(kind, "bpf", &skel->bss->seen_tuple);
	print_tuple(kind, "user", &t);
	return 0;
}

/* addr (text, of family) into a socket address, port 0. */
static socklen_t sockaddr_of(int family, const char *addr,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	ss->ss_family = family;
	if (family == AF_INET) {
		inet_pton(AF_INET, addr, &in->sin_addr);
		return sizeof(*in);
	}
	inet_pton(AF_INET6, addr, &in6->sin6_addr);
	return sizeof(*in6);
}

/* A socket of type bound to addr (port 0: the kernel picks one). */
static int bound(int family, int type, const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(family, addr, &ss);
	int fd = socket(family, type, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len))
		return -1;
	return fd;
}

/* Connect a socket of family and type to fd's address, reached as addr. */
static int connected(int family, int type, const char *addr, int to)
{
	struct sockaddr_storage ss, dst;
	socklen_t len = sizeof(dst);
	int fd = socket(family, type, 0);
	__u16 port = 0;
	__u8 a[16];

	if (fd < 0 || getsockname(to, (struct sockaddr *)&dst, &len))
		return -1;
	from_sockaddr(&dst, a, &port);
	len = sockaddr_of(family, addr, &ss);
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	if (connect(fd, (struct sockaddr *)&ss, len))
		return -1;
	return fd;
}

static int tcp_pair(const char *kind, int family, const char *addr,
		    int lfamily, const char *laddr)
{
	int l = bound(lfamily, SOCK_STREAM, laddr), c, a;
	char name[64];
	int err = 0;

	if (l < 0 || listen(l, 1))
		return 1;
	c = connected(family, SOCK_STREAM, addr, l);
	if (c < 0) {
		fprintf(stderr, "ct-sock: %s: cannot connect to %s: %s\n",
			kind, addr, strerror(errno));
		return 1;
	}
	a = accept(l, NULL, NULL);
	snprintf(name, sizeof(name), "%s-listen", kind);
	err |= show_tuple(name, l);
	snprintf(name, sizeof(name), "%s-client", kind);
	err |= show_tuple(name, c);
	snprintf(name, sizeof(name), "%s-accepted", kind);
	err |= show_tuple(name, a);
	return err;
}

static int tuples(void)
{
	int err = 0, l;

	err |= tcp_pair("tcp4", AF_INET, "127.0.0.1", AF_INET, "127.0.0.1");
	err |= tcp_pair("tcp6", AF_INET6, "::1", AF_INET6, "::1");
	/* An IPv6 client of an IPv4 listener: v4-mapped on its side. */
	err |= tcp_pair("tcp6-mapped", AF_INET6, "::ffff:127.0.0.1", AF_INET,
			"127.0.0.1");
	l = bound(AF_INET, SOCK_DGRAM, "127.0.0.1");
	err |= show_tuple("udp4", connected(AF_INET, SOCK_DGRAM,
					    "127.0.0.1", l));
	l = bound(AF_INET6, SOCK_DGRAM, "::1");
	err |= show_tuple("udp6-unconnected", l);
	err |= show_tuple("tcp4-unbound", socket(AF_INET, SOCK_STREAM, 0));
	return err;
}

int main(int argc, char **argv)
{
	int err = 1;

	bool fd_mode = argc == 4 && !strcmp(argv[1], "fds");

	if (!fd_mode && (argc != 2 || strcmp(argv[1], "tuples"))) {
		fprintf(stderr, "usage: ct-sock fds FILE UNIX_PATH | tuples\n");
		return 2;
	}
	if (ct_setup())
		return 1;
	skel = ct_sock_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->self_tgid = getpid();
	if (!ct_load_and_attach(skel->skeleton)) {
		err = fd_mode ? fds(argv[2], argv[3]) : tuples();
		ct_detach();
	}
	ct_sock_bpf__destroy(skel);
	return err;
}
