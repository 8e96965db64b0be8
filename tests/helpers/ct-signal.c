// SPDX-License-Identifier: GPL-2.0
/*
 * Send signals in every way there is, for sigsnoop and killsnoop:
 *
 *   ct-signal [-t NAME] [-s NAME] ACTION...
 *
 * First a target child is forked (its comm "ct-target", or -t's): it blocks
 * every signal but SIGWINCH, whose default is to ignore it, so that what
 * it is sent stays pending and it lives on. "PID TPID" (ours, the
 * target's) goes to stdout. Then each action, in order; at the end the
 * target is told to exit (and its SIGCHLD comes):
 *
 *   wait     await SIGUSR1 (blocked from the start: none is missed)
 *   kill SIG, tkill SIG, tgkill SIG     to the target, by that syscall
 *   sigqueue SIG, tgsigqueue SIG        rt_sigqueueinfo, rt_tgsigqueueinfo
 *   sigqueue-code SIG CODE              rt_sigqueueinfo with that si_code
 *   pidfd SIG                           pidfd_open + pidfd_send_signal
 *   kill-pid PID SIG                    kill() to any PID (ESRCH, EPERM)
 *   kill-pid-n N PID SIG                the same N times (a storm)
 *   kill-n N SIG                        kill() to the target N times
 *                                       (SIGWINCH 28: ignored each time)
 *   segv     a child "ct-segv" (or -s's) faults (SIGSEGV), then SIGCHLD
 *            comes to us; its PID goes to stdout, a line of its own
 *   pipe     a write to a pipe without reader, SIGPIPE ignored here
 *   pidfd32 SIG  pidfd_send_signal as a 32-bit call (int $0x80), on
 *            x86_64 alone (exit status 3 elsewhere)
 *   kill-group SIG  two children "ct-group", a process group of their
 *            own, blocking every signal; kill() to the group; their PIDs
 *            go to stdout, a line of their own; they exit after
 *   pdeath SIG   a child A forks B, whose parent-death signal is SIG; A
 *            kills itself with SIG by kill(): its exit sends B SIG. "A B"
 *            goes to stdout, a line of its own
 *
 * SIG is a number. A failed send is no error: the exit status is 0 unless
 * the helper itself could not run (1) or was used wrongly (2).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static pid_t target;
static const char *segv_name = "ct-segv";

/*
 * The target: named, says so on ready, then lives until its pipe closes,
 * the signals it gets left pending (blocked since before the fork).
 */
static void run_target(int fd, int ready, const char *name)
{
	char c = 0;

	prctl(PR_SET_NAME, name);
	signal(SIGWINCH, SIG_DFL);
	if (write(ready, &c, 1) != 1)
		_exit(1);
	while (read(fd, &c, 1) > 0)
		;
	_exit(0);
}

/* Fork the target; returns the write end of its pipe once it is ready. */
static int start_target(const char *name)
{
	int fds[2], ready[2];
	sigset_t all, old;
	char c;

	if (pipe(fds) || pipe(ready))
		return -1;
	sigfillset(&all);
	sigdelset(&all, SIGWINCH);
	sigprocmask(SIG_BLOCK, &all, &old);
	target = fork();
	if (target < 0)
		return -1;
	if (!target) {
		close(fds[1]);
		close(ready[0]);
		run_target(fds[0], ready[1], name);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		return -1;
	close(ready[0]);
	return fds[1];
}

static void wait_usr1(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigwait(&set, &sig);
}

static void queue(int tgid, int tid, int sig, int thread, int code)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_pid = getpid();
	info.si_uid = getuid();
	if (thread)
		syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &info);
	else
		syscall(SYS_rt_sigqueueinfo, tgid, sig, &info);
}

static void pidfd_send(int sig)
{
	int fd = syscall(SYS_pidfd_open, target, 0);

	syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	if (fd >= 0)
		close(fd);
}

/*
 * A 32-bit call's number and arguments are in eax, ebx, ecx, edx, esi; its
 * number is pidfd_send_signal's in the 64-bit table too (424), and rdi, the
 * 64-bit first argument, holds the pidfd as well: only knowing the call is
 * 32-bit (or that rsi, its flags, is no signal) tells the two apart.
 */
static void pidfd32_send(int sig)
{
#if defined(__x86_64__)
	long fd = syscall(SYS_pidfd_open, target, 0);
	long ret = 424;

	__asm__ volatile("push %%rbx\n\t"
			 "mov %%rdi, %%rbx\n\t"
			 "int $0x80\n\t"
			 "pop %%rbx"
			 : "+a"(ret)
			 : "D"(fd), "c"((long)sig), "d"(0L), "S"(0L)
			 : "r8", "r9", "r10", "r11", "memory");
	if (fd >= 0)
		close(fd);
#else
	(void)sig;
	exit(3);
#endif
}

/*
 * Two members of a new process group, named ct-group, signals blocked, and
 * kill(-group, sig): the call has two targets.
 */
static void group_kill(int sig)
{
	int fds[2], ready[2];
	pid_t g[2] = { 0, 0 };
	sigset_t all, old;
	char c;

	if (pipe(fds) || pipe(ready))
		return;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (int i = 0; i < 2; i++) {
		g[i] = fork();
		if (!g[i]) {
			close(fds[1]);
			close(ready[0]);
			setpgid(0, i ? g[0] : 0);
			run_target(fds[0], ready[1], "ct-group");
		}
		if (g[i] < 0)
			break;
		setpgid(g[i], g[0]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[0]);
	close(ready[1]);
	if (g[0] > 0 && g[1] > 0 && read(ready[0], &c, 1) == 1 &&
	    read(ready[0], &c, 1) == 1) {
		printf("%d %d\n", g[0], g[1]);
		fflush(stdout);
		kill(-g[0], sig);
	}
	close(ready[0]);
	close(fds[1]);
	for (int i = 0; i < 2; i++)
		if (g[i] > 0)
			waitpid(g[i], NULL, 0);
}

/* B: await the parent-death signal sig (blocked: it stays pending). */
static void run_orphan(int ready, int sig)
{
	sigset_t set;
	char c = 0;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	prctl(PR_SET_PDEATHSIG, sig);
	if (write(ready, &c, 1) != 1)
		_exit(1);
	sigwait(&set, &sig);
	_exit(0);
}

/* A: fork B, say "A B", then kill itself with sig. */
static void run_parent(int sig)
{
	int ready[2];
	sigset_t set;
	pid_t b;
	char c;

	if (pipe(ready))
		_exit(1);
	b = fork();
	if (!b) {
		close(ready[0]);
		run_orphan(ready[1], sig);
	}
	if (b < 0 || read(ready[0], &c, 1) != 1)
		_exit(1);
	printf("%d %d\n", getpid(), b);
	fflush(stdout);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	syscall(SYS_kill, getpid(), sig);
	_exit(1);
}

static void parent_death(int sig)
{
	pid_t a = fork();

	if (!a)
		run_parent(sig);
	if (a > 0)
		waitpid(a, NULL, 0);
}

static void segv(void)
{
	pid_t pid = fork();

	if (!pid) {
		prctl(PR_SET_NAME, segv_name);
		/* No core dump: the child dies of the signal alone. */
		prctl(PR_SET_DUMPABLE, 0);
		signal(SIGSEGV, SIG_DFL);
		*(volatile int *)0 = 1;
		_exit(1);
	}
	if (pid > 0) {
		printf("%d\n", pid);
		fflush(stdout);
		waitpid(pid, NULL, 0);
	}
}

static void broken_pipe(void)
{
	int fds[2];

	if (pipe(fds))
		return;
	signal(SIGPIPE, SIG_IGN);
	close(fds[0]);
	if (write(fds[1], "x", 1) < 0)
		close(fds[1]);
	else
		close(fds[1]);
}

/* Run the action at argv[0]; returns the words it took, 0 if unknown. */
static int act(int argc, char **argv)
{
	const char *a = argv[0];
	int sig = argc > 1 ? atoi(argv[1]) : 0;

	if (!strcmp(a, "wait"))
		return wait_usr1(), 1;
	if (!strcmp(a, "segv"))
		return segv(), 1;
	if (!strcmp(a, "pipe"))
		return broken_pipe(), 1;
	if (argc < 2)
		return 0;
	if (!strcmp(a, "kill"))
		return kill(target, sig), 2;
	if (!strcmp(a, "tkill"))
		return syscall(SYS_tkill, target, sig), 2;
	if (!strcmp(a, "tgkill"))
		return syscall(SYS_tgkill, target, target, sig), 2;
	if (!strcmp(a, "sigqueue"))
		return queue(target, 0, sig, 0, SI_QUEUE), 2;
	if (!strcmp(a, "tgsigqueue"))
		return queue(target, target, sig, 1, SI_QUEUE), 2;
	if (!strcmp(a, "sigqueue-code") && argc > 2)
		return queue(target, 0, sig, 0, atoi(argv[2])), 3;
	if (!strcmp(a, "pidfd"))
		return pidfd_send(sig), 2;
	if (!strcmp(a, "pidfd32"))
		return pidfd32_send(sig), 2;
	if (!strcmp(a, "kill-group"))
		return group_kill(sig), 2;
	if (!strcmp(a, "pdeath"))
		return parent_death(sig), 2;
	if (!strcmp(a, "kill-pid") && argc > 2)
		return kill(atoi(argv[1]), atoi(argv[2])), 3;
	if (!strcmp(a, "kill-n") && argc > 2) {
		for (long n = atol(argv[1]); n > 0; n--)
			kill(target, atoi(argv[2]));
		return 3;
	}
	if (!strcmp(a, "kill-pid-n") && argc > 3) {
		for (long n = atol(argv[1]); n > 0; n--)
			kill(atoi(argv[2]), atoi(argv[3]));
		return 4;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = "ct-target";
	sigset_t set;
	int fd, i = 1;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "-t"))
			name = argv[i + 1];
		else if (!strcmp(argv[i], "-s"))
			segv_name = argv[i + 1];
		else
			break;
	}
	/* Blocked before the PID is out: the signal cannot come too early. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = start_target(name);
	if (fd < 0)
		return 1;
	printf("%d %d\n", getpid(), target);
	fflush(stdout);
	while (i < argc) {
		int n = act(argc - i, argv + i);

		if (!n) {
			fprintf(stderr, "ct-signal: bad action '%s'\n",
				argv[i]);
			kill(target, SIGKILL);
			return 2;
		}
		i += n;
	}
	close(fd);
	waitpid(target, NULL, 0);
	return 0;
}
