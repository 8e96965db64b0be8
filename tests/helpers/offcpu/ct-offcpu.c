// SPDX-License-Identifier: GPL-2.0
/*
 * offcputime's and wakeuptime's test program: known call chains that
 * block and wake. Built with frame pointers and without optimization (no
 * inlining, no tail calls), and the blocking calls are made from these
 * functions themselves, not from a libc built without frame pointers
 * (whose frame the unwinder would skip along with its caller's).
 *
 *   ct-offcpu sleep MS [N]  main -> off_x -> off_y -> nanosleep, N times
 *   ct-offcpu wake MS [N]   a thread sleeps in read() on a pipe until
 *                           main -> wake_a -> wake_b -> write() wakes it,
 *                           MS ms after it started to wait; N times;
 *                           then main sleeps 500 ms
 *   ct-offcpu setuid [MS]   main -> cap_x -> cap_y -> setuid(getuid()):
 *                           a CAP_SETUID check (capable -K/-U); then it
 *                           prints "checked" and stays MS (500) ms alive
 *   ct-offcpu preempt MS    two threads busy in spin_r on one CPU for MS
 *                           ms: each preempts the other, never blocking
 *   ct-offcpu exec MODE ... runs itself (argv[0]) as ct-offcpu MODE ... at
 *                           once: the exec frees the mm of the program
 *                           that ran this one, and the next mm is often
 *                           allocated where it was
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

/* The system call made here, so the user stack's first frame is ours. */
static inline __attribute__((always_inline)) long sys3(long nr, long a,
							 long b, long c)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
#else
	return syscall(nr, a, b, c);
#endif
}

__attribute__((noinline)) void off_y(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	sys3(SYS_nanosleep, (long)&ts, 0, 0);
}

__attribute__((noinline)) void off_x(long ms)
{
	off_y(ms);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void cap_y(void)
{
	sys3(SYS_setuid, getuid(), 0, 0);
}

__attribute__((noinline)) void cap_x(void)
{
	cap_y();
	__asm__ volatile("" ::: "memory");
}

static int pipe_fds[2];

static void *sleeper(void *arg)
{
	long n = (long)arg;
	char c;

	for (long i = 0; i < n; i++)
		if (sys3(SYS_read, pipe_fds[0], (long)&c, 1) != 1)
			break;
	return NULL;
}

__attribute__((noinline)) void wake_b(void)
{
	sys3(SYS_write, pipe_fds[1], (long)"x", 1);
}

__attribute__((noinline)) void wake_a(void)
{
	wake_b();
	__asm__ volatile("" ::: "memory");
}

static int wake(long ms, long n)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	pthread_t t;

	if (pipe(pipe_fds) || pthread_create(&t, NULL, sleeper, (void *)n)) {
		perror("wake");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		nanosleep(&ts, NULL);
		wake_a();
	}
	pthread_join(t, NULL);
	/* Alive a while, for a tool on a busy machine to read its maps. */
	ts.tv_sec = 0;
	ts.tv_nsec = 500000000;
	nanosleep(&ts, NULL);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile unsigned long sink;

__attribute__((noinline)) void spin_r(double end)
{
	while (now() < end)
		for (int i = 0; i < 100000; i++)
			sink += i;
}

static void *spinner(void *arg)
{
	spin_r(*(double *)arg);
	return NULL;
}

/* Both threads on the CPU this one runs on: they must take turns. */
static int preempt(long ms)
{
	double end = now() + ms / 1000.0;
	cpu_set_t one;
	pthread_t t;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one) ||
	    pthread_create(&t, NULL, spinner, &end)) {
		perror("preempt");
		return 1;
	}
	spin_r(end);
	pthread_join(t, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 3 ? atol(argv[3]) : 1;

	if (argc >= 3 && !strcmp(argv[1], "sleep")) {
		for (long i = 0; i < n; i++)
			off_x(atol(argv[2]));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "wake"))
		return wake(atol(argv[2]), n);
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "setuid")) {
		long ms = argc == 3 ? atol(argv[2]) : 500;
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		cap_x();
		/* Alive while a tool reads its mappings. */
		printf("checked\n");
		fflush(stdout);
		nanosleep(&ts, NULL);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "preempt"))
		return preempt(atol(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "exec")) {
		argv[1] = argv[0];
		execv(argv[0], argv + 1);
		perror("exec");
		return 1;
	}
	fprintf(stderr, "usage: ct-offcpu sleep MS [N] | wake MS [N] | "
		"setuid [MS] | preempt MS | exec MODE ARGS...\n");
	return 2;
}
