// SPDX-License-Identifier: GPL-2.0
/*
 * ct-trigger: causes kernel events on demand for the runtime tests, and
 * prints what the tests need to predict the tools' output. Static, so that
 * it also runs in the test guest's busybox initramfs.
 *
 *   ct-trigger noop [ARGS...]           do nothing (an exec target)
 *   ct-trigger exec PATH [ARGS...]      fork; the child execs PATH with
 *                                       argv ARGS (argv[0] included);
 *                                       prints "CHILD_PID PARENT_PID"
 *   ct-trigger execveat PATH [ARGS...]  the same through execveat(fd, "")
 *                                       (fexecve); prints "CHILD PARENT FD"
 *   ct-trigger execveat-at DIR NAME [ARGS...]
 *                                       execveat(fd of DIR, NAME); prints
 *                                       "CHILD PARENT FD"
 *   ct-trigger open PATH...             open+close each; prints "PID FD"
 *                                       then one FD (or -errno) per path
 *   ct-trigger openat DIR NAME          openat(dirfd of DIR, NAME)
 *   ct-trigger getppid N                N getppid() calls
 *   ct-trigger failopen N               N openat()s of a missing file
 *                                       (ENOENT); prints its PID first
 *   ct-trigger wait-syscalls N M [K]    prints its PID, waits for SIGUSR1
 *                                       (so that a tool can attach to the
 *                                       PID), then N getppid() and M
 *                                       failing openat() calls, and K
 *                                       32-bit getppid() calls, nothing else
 *   ct-trigger int80 K                  K 32-bit getppid() calls (int $0x80,
 *                                       x86_64): killed by SIGSEGV where
 *                                       the kernel runs no 32-bit code
 *   ct-trigger wait-calls NR:N...       like wait-syscalls, then N calls of
 *                                       syscall number NR, arguments -1
 *   ct-trigger eagain N                 like wait-syscalls, then N read()s of
 *                                       an empty non-blocking pipe (EAGAIN)
 *   ct-trigger enotsup N                like wait-syscalls, then N listen()s
 *                                       on a UDP socket (EOPNOTSUPP)
 *   ct-trigger spin SECONDS             burn CPU
 *   ct-trigger sleep SECONDS            sleep, then exit
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum exec_how { BY_EXECVE, BY_FD, BY_DIRFD };

static int run_exec(int argc, char **argv, enum exec_how how)
{
	char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	pid_t child;
	int status, fd = -1;

	if (argc < 1 + (how == BY_DIRFD)) {
		fprintf(stderr, "ct-trigger exec: missing PATH\n");
		return 2;
	}
	/* Opened here, so that its number can be printed. */
	if (how != BY_EXECVE)
		fd = open(argv[0], O_PATH | O_CLOEXEC);
	fflush(stdout);
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		if (how == BY_FD) {
			syscall(SYS_execveat, fd, "", argv + 1, envp,
				AT_EMPTY_PATH);
		} else if (how == BY_DIRFD) {
			syscall(SYS_execveat, fd, argv[1], argv + 2, envp, 0);
		} else {
			syscall(SYS_execve, argv[0], argv + 1, envp);
		}
		_exit(127);
	}
	if (how != BY_EXECVE)
		printf("%d %d %d\n", child, getpid(), fd);
	else
		printf("%d %d\n", child, getpid());
	waitpid(child, &status, 0);
	return 0;
}

static int run_open(int argc, char **argv)
{
	printf("%d", getpid());
	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		printf(" %d", fd < 0 ? -errno : fd);
		if (fd >= 0)
			close(fd);
	}
	printf("\n");
	return 0;
}

static int run_openat(int argc, char **argv)
{
	int dfd, fd;

	if (argc < 2)
		return 2;
	dfd = open(argv[0], O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return 1;
	fd = openat(dfd, argv[1], O_RDONLY);
	printf("%d %d\n", getpid(), fd < 0 ? -errno : fd);
	return 0;
}

/* Raw syscalls, so that libc adds none of its own. */
static void fail_opens(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_openat, AT_FDCWD, "/nonexistent/ct-trigger-missing",
			O_RDONLY);
}

static int run_failopen(int argc, char **argv)
{
	if (argc < 1)
		return 2;
	printf("%d\n", getpid());
	fflush(stdout);
	fail_opens(atol(argv[0]));
	return 0;
}

/* K getppid() calls through the 32-bit (compat) entry: exit 3 if none. */
static int compat_getppid(long k)
{
#if defined(__x86_64__)
	for (long i = 0; i < k; i++) {
		long r = 64;	/* getppid in the i386 ABI */

		__asm__ volatile("int $0x80"
				 : "+a"(r)
				 :
				 : "r8", "r9", "r10", "r11", "memory", "cc");
	}
	return 0;
#else
	return k ? 3 : 0;
#endif
}

/* Print the PID, then wait for SIGUSR1; 0 once it came. */
static int wait_usr1(void)
{
	sigset_t set;
	int sig;

	/* Blocked before the PID is out: the signal cannot come too early. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("%d\n", getpid());
	fflush(stdout);
	return sigwait(&set, &sig) ? 1 : 0;
}

static int run_wait_syscalls(int argc, char **argv)
{
	long n_getppid, n_open;

	if (argc < 2)
		return 2;
	n_getppid = atol(argv[0]);
	n_open = atol(argv[1]);
	if (wait_usr1())
		return 1;
	for (long i = 0; i < n_getppid; i++)
		syscall(SYS_getppid);
	fail_opens(n_open);
	return compat_getppid(argc > 2 ? atol(argv[2]) : 0);
}

/*
 * For each NR:COUNT, COUNT calls of syscall NR with every argument -1
 * (they fail, or do nothing), by number: the C library's headers may not
 * know them.
 */
static int run_wait_calls(int argc, char **argv)
{
	if (wait_usr1())
		return 1;
	for (int i = 0; i < argc; i++) {
		char *colon = strchr(argv[i], ':');
		long nr = atol(argv[i]);
		long n = colon ? atol(colon + 1) : 0;

		for (long k = 0; k < n; k++)
			syscall(nr, -1L, -1L, -1L, -1L, -1L, -1L);
	}
	return 0;
}

/* N calls failing with EAGAIN, or with EOPNOTSUPP. */
static int run_fail_errno(int argc, char **argv, int eagain)
{
	long n;
	int fds[2], sock;
	char c;

	if (argc < 1)
		return 2;
	n = atol(argv[0]);
	if (pipe2(fds, O_NONBLOCK))
		return 1;
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0 || wait_usr1())
		return 1;
	for (long i = 0; i < n; i++) {
		if (eagain)
			syscall(SYS_read, fds[0], &c, 1);
		else
			syscall(SYS_listen, sock, 1);
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "noop"))
		return 0;
	if (!strcmp(cmd, "exec"))
		return run_exec(argc - 2, argv + 2, BY_EXECVE);
	if (!strcmp(cmd, "execveat"))
		return run_exec(argc - 2, argv + 2, BY_FD);
	if (!strcmp(cmd, "execveat-at"))
		return run_exec(argc - 2, argv + 2, BY_DIRFD);
	if (!strcmp(cmd, "open"))
		return run_open(argc - 2, argv + 2);
	if (!strcmp(cmd, "openat"))
		return run_openat(argc - 2, argv + 2);
	if (!strcmp(cmd, "getppid") && argc > 2) {
		long n = atol(argv[2]);

		printf("%d\n", getpid());
		fflush(stdout);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return 0;
	}
	if (!strcmp(cmd, "failopen"))
		return run_failopen(argc - 2, argv + 2);
	if (!strcmp(cmd, "wait-syscalls"))
		return run_wait_syscalls(argc - 2, argv + 2);
	if (!strcmp(cmd, "wait-calls"))
		return run_wait_calls(argc - 2, argv + 2);
	if (!strcmp(cmd, "eagain") || !strcmp(cmd, "enotsup"))
		return run_fail_errno(argc - 2, argv + 2,
				      !strcmp(cmd, "eagain"));
	if (!strcmp(cmd, "int80") && argc > 2)
		return compat_getppid(atol(argv[2]));
	if (!strcmp(cmd, "spin") && argc > 2) {
		double end = now() + atof(argv[2]);
		volatile unsigned long x = 0;

		while (now() < end)
			x++;
		return 0;
	}
	if (!strcmp(cmd, "sleep") && argc > 2) {
		struct timespec ts = { atoi(argv[2]), 0 };

		nanosleep(&ts, NULL);
		return 0;
	}
	fprintf(stderr, "usage: ct-trigger noop|exec|execveat|execveat-at|"
			"open|openat|getppid|failopen|wait-syscalls|"
			"wait-calls|eagain|enotsup|int80|spin|sleep ...\n");
	return 2;
}
