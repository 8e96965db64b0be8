// SPDX-License-Identifier: GPL-2.0
/*
 * firstline: start CMD on a pseudo-terminal (so that it line-buffers like
 * it would for a user), and time it from fork to the first output line (or
 * to the first line containing TEXT, with -s). Then stop it with SIGINT and
 * print one line:
 *
 *   MILLISECONDS PEAK_RSS_KB EXIT_MILLISECONDS
 *
 * EXIT_MILLISECONDS is from the SIGINT to the child's exit (-1 if it had to
 * be killed after 5 s): what a user waits for the prompt after Ctrl-C.
 * The peak RSS is the child's ru_maxrss, i.e. its VmHWM over the whole run.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <linux/membarrier.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define TIMEOUT_S 30.0

static char line[4096];
static size_t line_len;

/* Feed output bytes; true once a complete wanted line has been seen. */
static int feed(const char *buf, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && buf[i] != '\r') {
			if (line_len < sizeof(line) - 1)
				line[line_len++] = buf[i];
			continue;
		}
		line[line_len] = '\0';
		if (line_len && (!text || strstr(line, text)))
			return 1;
		line_len = 0;
	}
	return 0;
}

static double wait_line(int fd, double start, const char *text)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	while (bench_now() - start < TIMEOUT_S) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return -1;
		if (feed(buf, n, text))
			return bench_now() - start;
	}
	return -1;
}

/*
 * Stop the child with SIGINT and keep reading, so that it never blocks on
 * a full terminal, until it exits; returns the seconds that took.
 */
static double drain_until_exit(int fd, pid_t pid, struct rusage *ru)
{
	double start = bench_now();
	char buf[4096];
	int status;

	kill(pid, SIGINT);
	while (bench_now() - start < 5.0) {
		if (wait4(pid, &status, WNOHANG, ru) == pid)
			return bench_now() - start;
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		usleep(1000);
	}
	kill(pid, SIGKILL);
	wait4(pid, &status, 0, ru);
	return -1;
}

/*
 * A tracepoint that lost its last probe (the previous run's detach) makes
 * the next attach wait for an RCU grace period, 5-45 ms on this busy VM:
 * a cost of running tools back to back, not of starting one. Wait for a
 * grace period here, before the clock starts (MEMBARRIER_CMD_GLOBAL is a
 * synchronize_rcu()), so that start-up measures the tool alone.
 */
static void settle_rcu(void)
{
	syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
}

int main(int argc, char **argv)
{
	const char *text = NULL;
	struct rusage ru = {};
	double start, secs, exit_secs;
	int fd, c;
	pid_t pid;

	while ((c = getopt(argc, argv, "+s:")) != -1) {
		if (c != 's') {
			fprintf(stderr, "usage: firstline [-s TEXT] CMD...\n");
			return 2;
		}
		text = optarg;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: firstline [-s TEXT] CMD...\n");
		return 2;
	}
	settle_rcu();
	start = bench_now();
	pid = forkpty(&fd, NULL, NULL, NULL);
	if (pid < 0) {
		fprintf(stderr, "firstline: forkpty: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	secs = wait_line(fd, start, text);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	exit_secs = drain_until_exit(fd, pid, &ru);
	if (secs < 0) {
		fprintf(stderr, "firstline: no line from %s\n", argv[optind]);
		return 1;
	}
	printf("%.2f %ld %.2f\n", secs * 1e3, ru.ru_maxrss,
	       exit_secs < 0 ? -1.0 : exit_secs * 1e3);
	return 0;
}
