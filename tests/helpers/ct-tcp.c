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
 *
 * FAMILY: 4 (127.0.0.1), 6 (::1), or mapped (IPv6 sockets on
 * ::ffff:127.0.0.1, the listener dual-stack). "-n NAME" first renames the
 * client (the server keeps its name); "-u UID" first takes that user ID.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

static void serve(int lfd, size_t n, size_t m)
{
	int fd;

	prctl(PR_SET_NAME, "ct-tcp-srv");
	/* A client that fails must not leave the server waiting forever. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		exit(1);
	fd = accept(lfd, NULL, NULL);
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
	fprintf(stderr, "usage: ct-tcp [-n NAME] [-u UID] pair 4|6|mapped N M [PORT] | "
		"hold 4|6|mapped N M SECONDS [PORT] | stream BYTES SIZE | "
		"udp 4|6|mapped N | "
		"refused 4|6|mapped | loop COUNT\n");
	return 2;
}
