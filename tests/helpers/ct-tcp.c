// SPDX-License-Identifier: GPL-2.0
/*
 * ct-tcp: TCP connections on loopback with known byte counts, for the TCP
 * tools' tests. The server is a child process named "ct-tcp-srv", so that
 * a tool showing the task a softirq interrupted, rather than the
 * connection's owner, shows the wrong name.
 *
 *   ct-tcp pair FAMILY N M [PORT]
 *                            the client (this process) connects, sends N
 *                            bytes, reads M, closes; the server accepts,
 *                            reads N, sends M, reads to the end, closes;
 *                            the server on PORT if given, else any free.
 *                            Prints "CLIENT_PID SERVER_PID SERVER_PORT
 *                            CLIENT_PORT"
 *   ct-tcp hold FAMILY N M SECONDS [PORT]
 *                            as pair, but the client first fails a read
 *                            (EAGAIN: nothing sent yet), and peeks at
 *                            what it reads (MSG_PEEK: read again after),
 *                            then prints the line and keeps the
 *                            connection open SECONDS before it closes
 *   ct-tcp stream BYTES SIZE the client sends BYTES to the server in
 *                            writes of SIZE, on 127.0.0.1 (benchmarks)
 *   ct-tcp udp FAMILY N      a UDP socket sends itself N bytes (at most
 *                            65000) and reads them: no TCP at all;
 *                            prints "PID PORT"
 *   ct-tcp refused FAMILY    connect to a port nobody listens on;
 *                            prints "PID PORT" (expects ECONNREFUSED)
 *   ct-tcp loop COUNT        COUNT connect/accept/close on 127.0.0.1,
 *                            for benchmarks
 *   ct-tcp bind FAMILY PROTO PORT [OPT,...]
 *                            bind a tcp or udp socket to loopback:PORT
 *                            with options reuseaddr, reuseport, freebind,
 *                            transparent, noport (IP_BIND_ADDRESS_NO_PORT),
 *                            dev=IFNAME, addr=ADDRESS (instead of
 *                            loopback), fault (an address bind() cannot
 *                            read); prints "PID PORT ERRNO": the port
 *                            bound (asked for if it failed), 0 or errno
 *   ct-tcp inuse FAMILY PROTO
 *                            bind to a port another socket holds (a
 *                            listening one for tcp); prints "PID PORT"
 *                            (expects EADDRINUSE)
 *   ct-tcp listen FAMILY PROTO PORT BACKLOG
 *                            listen on loopback:PORT ("-": not bound, the
 *                            kernel chooses); prints "PID PORT ERRNO"
 *   ct-tcp bindloop COUNT    COUNT socket/bind to 127.0.0.1 port 0/close,
 *                            for benchmarks
 *   ct-tcp listenloop COUNT  COUNT socket/listen (the kernel binds a
 *                            port)/close, for benchmarks
 *   ct-tcp nonblock FAMILY [ADDR PORT]
 *                            a non-blocking connect, waited for with
 *                            poll(): to a listener of its own, accepted
 *                            and closed, or to ADDR PORT; prints "PID
 *                            SERVER_PORT CLIENT_PORT ERR", ERR the
 *                            connect's result (SO_ERROR), 0 if it
 *                            succeeded
 *   ct-tcp uring FAMILY      a connect submitted to io_uring
 *                            (IORING_OP_CONNECT), to a listener of its
 *                            own; prints "PID SERVER_PORT CLIENT_PORT",
 *                            or exits 3 where io_uring is not available
 *   ct-tcp noport FAMILY PORT
 *                            two connects to a listener of its own on
 *                            PORT, the second expecting EADDRNOTAVAIL (to
 *                            run where ip_local_port_range holds one
 *                            port); prints "PID CLIENT_PORT" (the first's)
 *   ct-tcp abandon FAMILY ADDR PORT
 *                            a non-blocking connect to ADDR PORT, closed
 *                            at once; prints "PID CLIENT_PORT"
 *   ct-tcp abort FAMILY      a connection the server end resets: it
 *                            closes with a byte unread; prints "PID
 *                            SERVER_PORT CLIENT_PORT"
 *   ct-tcp slow FAMILY       a connect whose first SYN is dropped: the
 *                            listener's accept queue is full (one
 *                            connection, backlog 0) until 0.3 s later,
 *                            so the SYN sent again 1 s later completes
 *                            it; prints "PID SERVER_PORT CLIENT_PORT"
 *   ct-tcp slowack FAMILY N GAP_MS PORT
 *                            a known round trip time without netem: the
 *                            server delays each ACK (TCP_QUICKACK off,
 *                            at least 40 ms: TCP_DELACK_MIN), the client
 *                            writes a byte N times, GAP_MS apart; prints
 *                            as pair does
 *   ct-tcp backlog FAMILY B N PORT
 *                            a listener of backlog B that never accepts,
 *                            N connects to it; prints "PID PORT" once
 *                            all are made, then waits for stdin to end
 *
 * FAMILY: 4 (127.0.0.1), 6 (::1), or mapped (IPv6 sockets on
 * ::ffff:127.0.0.1, the listener dual-stack). "-n NAME" first renames the
 * client (the server keeps its name); "-u UID" first takes that user ID;
 * "-a" makes pair's server accept with accept4(2), not accept(2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
	int family;
};

static void loopback(struct addr *a, const char *family)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;

	memset(a, 0, sizeof(*a));
	if (!strcmp(family, "4")) {
		in->sin_family = a->family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a->len = sizeof(*in);
		return;
	}
	in6->sin6_family = a->family = AF_INET6;
	a->len = sizeof(*in6);
	if (!strcmp(family, "6"))
		in6->sin6_addr = in6addr_loopback;
	else if (!strcmp(family, "mapped"))
		inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6->sin6_addr);
	else
		die("family: 4, 6 or mapped");
}

static unsigned int port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname");
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void set_port(struct addr *a, unsigned int port)
{
	if (a->family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
}

/* A socket bound to a's address on a free port; listening if backlog. */
static int bound(struct addr *a, int backlog)
{
	int fd = socket(a->family, SOCK_STREAM, 0), off = 0, on = 1;

	if (fd < 0)
		die("socket");
	/* A test's fixed port may still have connections in TIME_WAIT. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)))
		die("SO_REUSEADDR");
	if (a->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)))
		die("IPV6_V6ONLY");
	if (bind(fd, (struct sockaddr *)&a->ss, a->len))
		die("bind");
	if (backlog && listen(fd, backlog))
		die("listen");
	set_port(a, port_of(fd));
	return fd;
}

static void put(int fd, size_t n)
{
	char buf[4096];

	memset(buf, 'x', sizeof(buf));
	while (n) {
		ssize_t w = write(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (w <= 0)
			die("write");
		n -= w;
	}
}

/* Read n bytes, or all until the end if n is (size_t)-1. */
static void get(int fd, size_t n)
{
	char buf[4096];

	while (n) {
		ssize_t r = read(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (r < 0)
			die("read");
		if (!r) {
			if (n == (size_t)-1)
				return;
			die("read: early end");
		}
		n -= r;
	}
}

static int client(struct addr *a)
{
	int fd = socket(a->family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a->ss, a->len))
		die("connect");
	return fd;
}

static bool use_accept4;

static void serve(int lfd, size_t n, size_t m)
{
	int fd;

	prctl(PR_SET_NAME, "ct-tcp-srv");
	/* A client that fails must not leave the server waiting forever. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		exit(1);
	fd = use_accept4 ? accept4(lfd, NULL, NULL, SOCK_CLOEXEC) :
			   accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	get(fd, n);
	put(fd, m);
	get(fd, (size_t)-1);
	close(fd);
	exit(0);
}

/* A read that fails: a non-blocking one with nothing to read. */
static void fail_read(int fd)
{
	char c;

	if (recv(fd, &c, 1, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		die("recv MSG_DONTWAIT: not EAGAIN");
}

/* Peek at what will be read next: nothing is taken off the socket. */
static void peek(int fd)
{
	char buf[4096];

	if (recv(fd, buf, sizeof(buf), MSG_PEEK) <= 0)
		die("recv MSG_PEEK");
}

/*
 * A connection where the client sends n bytes and reads m; hold: peek
 * before reading, print, and keep it open hold seconds.
 */
static int pair(const char *family, size_t n, size_t m, unsigned int port,
		unsigned int hold)
{
	struct addr a;
	int lfd, fd, status;
	unsigned int sport, cport;
	pid_t srv;

	loopback(&a, family);
	set_port(&a, port);
	lfd = bound(&a, 16);
	sport = port_of(lfd);
	srv = fork();
	if (srv < 0)
		die("fork");
	if (!srv)
		serve(lfd, n, m);
	close(lfd);
	fd = client(&a);
	cport = port_of(fd);
	if (hold)
		fail_read(fd);
	put(fd, n);
	if (hold && m)
		peek(fd);
	get(fd, m);
	if (hold) {
		printf("%d %d %u %u\n", getpid(), srv, sport, cport);
		sleep(hold);
	}
	close(fd);
	if (waitpid(srv, &status, 0) < 0 || status)
		die("server");
	if (!hold)
		printf("%d %d %u %u\n", getpid(), srv, sport, cport);
	return 0;
}

static int stream(size_t bytes, size_t size)
{
	struct addr a;
	char buf[65536];
	int lfd, fd, sfd;

	if (!size || size > sizeof(buf))
		die("stream: SIZE 1-65536");
	memset(buf, 'x', size);
	loopback(&a, "4");
	lfd = bound(&a, 1);
	if (fork() == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sfd = accept(lfd, NULL, NULL);
		if (sfd < 0)
			die("accept");
		get(sfd, (size_t)-1);
		exit(0);
	}
	fd = client(&a);
	while (bytes) {
		ssize_t w = write(fd, buf, bytes < size ? bytes : size);

		if (w <= 0)
			die("write");
		bytes -= w;
	}
	close(fd);
	wait(NULL);
	return 0;
}

static int udp(const char *family, size_t n)
{
	static char buf[65000];
	struct addr a;
	int fd;

	if (n > sizeof(buf))
		die("udp: N at most 65000");
	loopback(&a, family);
	fd = socket(a.family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&a.ss, a.len))
		die("bind");
	set_port(&a, port_of(fd));
	if (connect(fd, (struct sockaddr *)&a.ss, a.len))
		die("connect");
	if (send(fd, buf, n, 0) != (ssize_t)n || recv(fd, buf, n, 0) < 0)
		die("udp");
	printf("%d %u\n", getpid(), port_of(fd));
	return 0;
}

static int refused(const char *family)
{
	struct addr a;
	int hold, fd;

	loopback(&a, family);
	/* Bound, not listening: the port is ours and refuses. */
	hold = bound(&a, 0);
	fd = socket(a.family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (!connect(fd, (struct sockaddr *)&a.ss, a.len) ||
	    errno != ECONNREFUSED)
		die("connect: not refused");
	printf("%d %u\n", getpid(), port_of(hold));
	return 0;
}

static int loop(long count)
{
	struct addr a;
	int lfd;

	loopback(&a, "4");
	lfd = bound(&a, 128);
	for (long i = 0; i < count; i++) {
		int fd = client(&a), sfd = accept(lfd, NULL, NULL);

		if (sfd < 0)
			die("accept");
		close(fd);
		close(sfd);
	}
	return 0;
}

static int sock_type(const char *proto)
{
	if (!strcmp(proto, "tcp"))
		return SOCK_STREAM;
	if (!strcmp(proto, "udp"))
		return SOCK_DGRAM;
	die("proto: tcp or udp");
	return -1;
}

static void on(int fd, int level, int opt, const char *what)
{
	int one = 1;

	if (setsockopt(fd, level, opt, &one, sizeof(one)))
		die(what);
}

/* Set one option of ct-tcp bind's OPT list on fd (or a's address). */
static void bind_opt(int fd, struct addr *a, const char *o)
{
	int v6 = a->family == AF_INET6;

	if (!strcmp(o, "reuseaddr"))
		on(fd, SOL_SOCKET, SO_REUSEADDR, o);
	else if (!strcmp(o, "reuseport"))
		on(fd, SOL_SOCKET, SO_REUSEPORT, o);
	else if (!strcmp(o, "freebind"))
		on(fd, v6 ? SOL_IPV6 : SOL_IP, v6 ? IPV6_FREEBIND : IP_FREEBIND,
		   o);
	else if (!strcmp(o, "transparent"))
		on(fd, v6 ? SOL_IPV6 : SOL_IP,
		   v6 ? IPV6_TRANSPARENT : IP_TRANSPARENT, o);
	else if (!strcmp(o, "noport"))
		on(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, o);
	else if (!strncmp(o, "dev=", 4)) {
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o + 4,
			       strlen(o + 4)))
			die(o);
	} else if (!strncmp(o, "addr=", 5)) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;
		struct sockaddr_in *in = (struct sockaddr_in *)&a->ss;
		void *at = v6 ? (void *)&in6->sin6_addr : (void *)&in->sin_addr;

		if (inet_pton(a->family, o + 5, at) != 1)
			die(o);
	} else {
		die(o);
	}
}

static int bind_one(const char *family, const char *proto,
		    unsigned int port, char *opts)
{
	struct sockaddr *sa;
	struct addr a;
	int fd, err = 0;

	loopback(&a, family);
	set_port(&a, port);
	fd = socket(a.family, sock_type(proto), 0);
	if (fd < 0)
		die("socket");
	sa = (struct sockaddr *)&a.ss;
	for (char *o = opts ? strtok(opts, ",") : NULL; o;
	     o = strtok(NULL, ",")) {
		if (!strcmp(o, "fault"))
			sa = (struct sockaddr *)8;
		else
			bind_opt(fd, &a, o);
	}
	if (bind(fd, sa, a.len))
		err = errno;
	else
		port = port_of(fd);
	printf("%d %u %d\n", getpid(), port, err);
	return 0;
}

static int inuse(const char *family, const char *proto)
{
	struct addr a;
	int hold, fd;

	loopback(&a, family);
	hold = socket(a.family, sock_type(proto), 0);
	if (hold < 0 || bind(hold, (struct sockaddr *)&a.ss, a.len))
		die("bind");
	if (sock_type(proto) == SOCK_STREAM && listen(hold, 1))
		die("listen");
	set_port(&a, port_of(hold));
	fd = socket(a.family, sock_type(proto), 0);
	if (fd < 0)
		die("socket");
	if (!bind(fd, (struct sockaddr *)&a.ss, a.len) || errno != EADDRINUSE)
		die("bind: not EADDRINUSE");
	printf("%d %u\n", getpid(), port_of(hold));
	return 0;
}

static int listen_one(const char *family, const char *proto,
		      const char *port, int backlog)
{
	struct addr a;
	int fd, err = 0;

	loopback(&a, family);
	fd = socket(a.family, sock_type(proto), 0);
	if (fd < 0)
		die("socket");
	if (strcmp(port, "-")) {
		on(fd, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR");
		set_port(&a, strtoul(port, NULL, 0));
		if (bind(fd, (struct sockaddr *)&a.ss, a.len))
			die("bind");
	}
	if (listen(fd, backlog))
		err = errno;
	printf("%d %u %d\n", getpid(), port_of(fd), err);
	return 0;
}

static int bindloop(long count, bool listening)
{
	struct addr a;

	loopback(&a, "4");
	for (long i = 0; i < count; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			die("socket");
		if (!listening && bind(fd, (struct sockaddr *)&a.ss, a.len))
			die("bind");
		if (listening && listen(fd, 1))
			die("listen");
		close(fd);
	}
	return 0;
}

/* Make a's address and port those given (a's family's). */
static void set_address(struct addr *a, const char *addr, const char *port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;

	if (inet_pton(a->family, addr, a->family == AF_INET ?
		      (void *)&in->sin_addr : &in6->sin6_addr) != 1)
		die("address");
	set_port(a, strtoul(port, NULL, 0));
}

/* The result of a connect in progress on fd, once known (up to 30 s). */
static int connected(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);

	if (poll(&p, 1, 30000) != 1)
		die("poll");
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		die("SO_ERROR");
	return err;
}

/* Start connecting fd without blocking: 0 or EINPROGRESS, else dies. */
static int connect_start(int fd, struct addr *a)
{
	if (fcntl(fd, F_SETFL, O_NONBLOCK))
		die("O_NONBLOCK");
	if (!connect(fd, (struct sockaddr *)&a->ss, a->len))
		return 0;
	if (errno != EINPROGRESS)
		die("connect");
	return EINPROGRESS;
}

/* Connect fd without blocking; the result, once known. */
static int connect_nonblock(int fd, struct addr *a)
{
	return connect_start(fd, a) ? connected(fd) : 0;
}

static int nonblock(const char *family, const char *addr, const char *port)
{
	struct addr a;
	int lfd = -1, fd, err;
	unsigned int cport;

	loopback(&a, family);
	if (addr)
		set_address(&a, addr, port);
	else
		lfd = bound(&a, 16);
	fd = socket(a.family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	err = connect_nonblock(fd, &a);
	cport = port_of(fd);
	if (lfd >= 0) {
		int sfd = accept(lfd, NULL, NULL);

		if (sfd < 0)
			die("accept");
		close(sfd);
	}
	close(fd);
	printf("%d %u %u %d\n", getpid(), lfd >= 0 ? port_of(lfd) : 0, cport,
	       err);
	return 0;
}

/* A ring of one entry's three mappings, as io_uring_setup() gives them. */
struct ring {
	int fd;
	struct io_uring_params p;
	char *sq;
	char *cq;
	struct io_uring_sqe *sqes;
};

static void *ring_map(struct ring *r, size_t len, off_t what)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, what);

	if (m == MAP_FAILED)
		die("mmap io_uring");
	return m;
}

/* Set up r, or exit 3 where this kernel or its settings have no io_uring. */
static void ring_setup(struct ring *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = syscall(__NR_io_uring_setup, 1, &r->p);
	if (r->fd < 0) {
		perror("io_uring_setup");
		exit(3);
	}
	r->sq = ring_map(r, r->p.sq_off.array +
			 r->p.sq_entries * sizeof(__u32), IORING_OFF_SQ_RING);
	r->cq = ring_map(r, r->p.cq_off.cqes + r->p.cq_entries *
			 sizeof(struct io_uring_cqe), IORING_OFF_CQ_RING);
	r->sqes = ring_map(r, r->p.sq_entries * sizeof(*r->sqes),
			   IORING_OFF_SQES);
}

/* Connect fd to a through io_uring; the result, a negative errno or 0. */
static int uring_connect(int fd, struct addr *a)
{
	struct ring r;
	__u32 *tail, *head, i;
	struct io_uring_cqe *cqe;

	ring_setup(&r);
	tail = (__u32 *)(r.sq + r.p.sq_off.tail);
	i = *tail & *(__u32 *)(r.sq + r.p.sq_off.ring_mask);
	memset(&r.sqes[i], 0, sizeof(r.sqes[i]));
	r.sqes[i].opcode = IORING_OP_CONNECT;
	r.sqes[i].fd = fd;
	r.sqes[i].addr = (unsigned long)&a->ss;
	r.sqes[i].off = a->len;
	((__u32 *)(r.sq + r.p.sq_off.array))[i] = i;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r.fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		die("io_uring_enter");
	head = (__u32 *)(r.cq + r.p.cq_off.head);
	cqe = (struct io_uring_cqe *)(r.cq + r.p.cq_off.cqes) +
	      (*head & *(__u32 *)(r.cq + r.p.cq_off.ring_mask));
	close(r.fd);
	return cqe->res;
}

static int uring(const char *family)
{
	struct addr a;
	int lfd, fd, err;

	loopback(&a, family);
	lfd = bound(&a, 16);
	fd = socket(a.family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	err = uring_connect(fd, &a);
	if (err) {
		errno = -err;
		die("IORING_OP_CONNECT");
	}
	close(accept(lfd, NULL, NULL));
	printf("%d %u %u\n", getpid(), port_of(lfd), port_of(fd));
	close(fd);
	return 0;
}

static int noport(const char *family, const char *port)
{
	struct addr a;
	int first, fd;

	loopback(&a, family);
	set_port(&a, strtoul(port, NULL, 0));
	bound(&a, 16);
	first = client(&a);
	fd = socket(a.family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (!connect(fd, (struct sockaddr *)&a.ss, a.len) ||
	    errno != EADDRNOTAVAIL)
		die("connect: not EADDRNOTAVAIL");
	printf("%d %u\n", getpid(), port_of(first));
	return 0;
}

static int abandon(const char *family, const char *addr, const char *port)
{
	struct addr a;
	int fd;

	loopback(&a, family);
	set_address(&a, addr, port);
	fd = socket(a.family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (!connect_start(fd, &a))
		die("connect: not in progress");
	printf("%d %u\n", getpid(), port_of(fd));
	close(fd);
	return 0;
}

static int abort_close(const char *family)
{
	struct addr a;
	int lfd, fd, sfd;
	struct pollfd p = { .events = POLLIN };

	loopback(&a, family);
	lfd = bound(&a, 16);
	fd = client(&a);
	put(fd, 1);
	sfd = accept(lfd, NULL, NULL);
	if (sfd < 0)
		die("accept");
	p.fd = sfd;
	if (poll(&p, 1, 30000) != 1)
		die("poll");
	close(sfd);
	printf("%d %u %u\n", getpid(), port_of(lfd), port_of(fd));
	close(fd);
	return 0;
}

static int slow(const char *family)
{
	struct addr a;
	int lfd, first, fd, err;
	unsigned int cport;

	loopback(&a, family);
	lfd = bound(&a, 0);
	/* Backlog 0 takes one connection; listen() again to be sure. */
	if (listen(lfd, 0))
		die("listen");
	first = client(&a);
	fd = socket(a.family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (!connect_start(fd, &a))
		die("connect: not in progress");
	cport = port_of(fd);
	usleep(300000);
	close(accept(lfd, NULL, NULL));
	err = connected(fd);
	if (err) {
		errno = err;
		die("connect");
	}
	close(accept(lfd, NULL, NULL));
	close(first);
	close(fd);
	printf("%d %u %u\n", getpid(), port_of(lfd), cport);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Read to the end with every ACK delayed. The delayed ACK timer turns quick
 * ACKs back on when it fires (40 ms after a byte): turn them off again
 * every few ms, so that each byte finds them off.
 */
static void serve_slowack(int lfd)
{
	int fd, off = 0;
	ssize_t n;
	char c;

	prctl(PR_SET_NAME, "ct-tcp-srv");
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		exit(1);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	do {
		if (setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &off,
			       sizeof(off)))
			die("TCP_QUICKACK");
		n = recv(fd, &c, 1, MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN)
			die("recv");
		if (n < 0)
			sleep_ms(5);
	} while (n);
	close(fd);
	exit(0);
}

static int slowack(const char *family, long n, long gap, unsigned int port)
{
	struct addr a;
	int lfd, fd, status, on = 1;
	unsigned int cport;
	pid_t srv;

	loopback(&a, family);
	set_port(&a, port);
	lfd = bound(&a, 16);
	srv = fork();
	if (srv < 0)
		die("fork");
	if (!srv)
		serve_slowack(lfd);
	close(lfd);
	fd = client(&a);
	cport = port_of(fd);
	/* Each byte its own segment, not held for the delayed ACK. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)))
		die("TCP_NODELAY");
	for (long i = 0; i < n; i++) {
		put(fd, 1);
		sleep_ms(gap);
	}
	close(fd);
	if (waitpid(srv, &status, 0) < 0 || status)
		die("server");
	printf("%d %d %u %u\n", getpid(), srv, port, cport);
	return 0;
}

/*
 * Fill a listener's queues: non-blocking connects, each completed (or
 * dropped) by the kernel alone, as nobody accepts.
 */
static int backlog(const char *family, int b, long n, unsigned int port)
{
	struct addr a;
	int lfd;
	char c;

	loopback(&a, family);
	set_port(&a, port);
	lfd = bound(&a, b);
	for (long i = 0; i < n; i++) {
		int fd = socket(a.family, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (fd < 0)
			die("socket");
		if (connect(fd, (struct sockaddr *)&a.ss, a.len) &&
		    errno != EINPROGRESS)
			die("connect");
		/* The handshake done before the next: one queue entry each. */
		sleep_ms(20);
	}
	printf("%d %u\n", getpid(), port_of(lfd));
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "-n")) {
		prctl(PR_SET_NAME, argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc > 2 && !strcmp(argv[1], "-u")) {
		if (setuid(strtoul(argv[2], NULL, 0)))
			die("setuid");
		argv += 2;
		argc -= 2;
	}
	if (argc > 1 && !strcmp(argv[1], "-a")) {
		use_accept4 = true;
		argv++;
		argc--;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "pair"))
		return pair(argv[2], strtoul(argv[3], NULL, 0),
			    strtoul(argv[4], NULL, 0),
			    argc == 6 ? strtoul(argv[5], NULL, 0) : 0, 0);
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "hold"))
		return pair(argv[2], strtoul(argv[3], NULL, 0),
			    strtoul(argv[4], NULL, 0),
			    argc == 7 ? strtoul(argv[6], NULL, 0) : 0,
			    strtoul(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "stream"))
		return stream(strtoull(argv[2], NULL, 0),
			      strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "udp"))
		return udp(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "refused"))
		return refused(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "loop"))
		return loop(strtol(argv[2], NULL, 0));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "bind"))
		return bind_one(argv[2], argv[3], strtoul(argv[4], NULL, 0),
				argc == 6 ? argv[5] : NULL);
	if (argc == 4 && !strcmp(argv[1], "inuse"))
		return inuse(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "listen"))
		return listen_one(argv[2], argv[3], argv[4],
				  strtol(argv[5], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "bindloop"))
		return bindloop(strtol(argv[2], NULL, 0), false);
	if (argc == 3 && !strcmp(argv[1], "listenloop"))
		return bindloop(strtol(argv[2], NULL, 0), true);
	if (argc == 4 && !strcmp(argv[1], "noport"))
		return noport(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "uring"))
		return uring(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "abandon"))
		return abandon(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "abort"))
		return abort_close(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "slow"))
		return slow(argv[2]);
	if ((argc == 3 || argc == 5) && !strcmp(argv[1], "nonblock"))
		return nonblock(argv[2], argc == 5 ? argv[3] : NULL,
				argc == 5 ? argv[4] : NULL);
	if (argc == 6 && !strcmp(argv[1], "slowack"))
		return slowack(argv[2], strtol(argv[3], NULL, 0),
			       strtol(argv[4], NULL, 0),
			       strtoul(argv[5], NULL, 0));
	if (argc == 6 && !strcmp(argv[1], "backlog"))
		return backlog(argv[2], strtol(argv[3], NULL, 0),
			       strtol(argv[4], NULL, 0),
			       strtoul(argv[5], NULL, 0));
	fprintf(stderr, "usage: ct-tcp [-n NAME] [-u UID] [-a] "
		"pair 4|6|mapped N M [PORT] | refused 4|6|mapped | loop COUNT | "
		"slowack 4|6|mapped N GAP_MS PORT | "
		"backlog 4|6|mapped B N PORT | "
		"nonblock 4|6|mapped [ADDR PORT] | "
		"abandon 4|6|mapped ADDR PORT | slow 4|6|mapped | "
		"abort 4|6|mapped | uring 4|6|mapped | "
		"noport 4|6|mapped PORT | "
		"bind 4|6|mapped tcp|udp PORT [OPT,...] | "
		"inuse 4|6|mapped tcp|udp | "
		"listen 4|6|mapped tcp|udp PORT|- BACKLOG | bindloop COUNT | "
		"listenloop COUNT | hold 4|6|mapped N M SECONDS [PORT] | "
		"stream BYTES SIZE | udp 4|6|mapped N\n");
	return 2;
}
