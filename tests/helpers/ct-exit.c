// SPDX-License-Identifier: GPL-2.0
/*
 * ct-exit: ends a process in a chosen way, for exitsnoop's tests. It forks;
 * the child prints "PID PPID TID" (TID: the thread that matters for the
 * mode, else PID) and ends as told; the parent waits and prints what
 * wait(2) said, "exit CODE" or "signal SIG CORE" (CORE 1 if the kernel
 * reports a core dump), so the test can hold the tool to it.
 *
 *   ct-exit code N [SECS]    sleep SECS (default 0), then exit(N)
 *   ct-exit name NAME N      set the command name to NAME, exit(N)
 *   ct-exit signal SIG       raise signal number SIG (default action)
 *   ct-exit core DIR         in DIR, with RLIMIT_CORE unlimited, SIGSEGV
 *   ct-exit thread N         a thread ends by pthread_exit() and is
 *                            joined; then exit(N). TID: that thread
 *   ct-exit group-exit N     a thread calls exit(N) while the leader
 *                            waits in pause(). TID: that thread
 *   ct-exit spinners N       four threads spin while a fifth calls exit(N):
 *                            they all leave at once. TID: that thread
 *   ct-exit leader-first N   the leader leaves by pthread_exit(); the
 *                            other thread runs on 0.2 s, then exit(N).
 *                            TID: that thread
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int code;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t printed = PTHREAD_COND_INITIALIZER;
static int tid;

static void nap(double secs)
{
	struct timespec ts = { (time_t)secs,
			       (long)((secs - (time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts))
		;
}

static void say(int t)
{
	printf("%d %d %d\n", getpid(), getppid(), t);
	fflush(stdout);
}

/* The thread tells its id, then the caller's line can be printed. */
static void tell_tid(void)
{
	pthread_mutex_lock(&lock);
	tid = syscall(SYS_gettid);
	pthread_cond_signal(&printed);
	pthread_mutex_unlock(&lock);
}

static int await_tid(void)
{
	pthread_mutex_lock(&lock);
	while (!tid)
		pthread_cond_wait(&printed, &lock);
	pthread_mutex_unlock(&lock);
	return tid;
}

static void *returns(void *arg)
{
	(void)arg;
	tell_tid();
	return NULL;
}

/*
 * pthread_join() returns when the thread's memory is released, which comes
 * before its exit event on kernels before 6.16: an exit() then could still
 * end it with the process's code. Its /proc entry goes after the event.
 */
static void await_gone(int t)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d", t);
	while (access(path, F_OK) == 0)
		nap(0.001);
}

static void *exits_group(void *arg)
{
	(void)arg;
	tell_tid();
	nap(0.2);
	exit(code);
}

static volatile int stop;

static void *spins(void *arg)
{
	(void)arg;
	while (!stop)
		;
	return NULL;
}

static pthread_t start(void *(*fn)(void *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, NULL)) {
		perror("pthread_create");
		_exit(125);
	}
	say(await_tid());
	return t;
}

static void die_by(int sig)
{
	sigset_t all;

	signal(sig, SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	say(getpid());
	kill(getpid(), sig);
	_exit(126);
}

static void core(const char *dir)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	if (chdir(dir) || setrlimit(RLIMIT_CORE, &unlimited)) {
		perror(dir);
		_exit(125);
	}
	die_by(SIGSEGV);
}

static void child(int argc, char **argv)
{
	const char *mode = argv[1];

	code = argc > 2 ? atoi(argv[argc > 3 && !strcmp(mode, "name") ?
				    3 : 2]) : 0;
	if (!strcmp(mode, "code")) {
		say(getpid());
		nap(argc > 3 ? atof(argv[3]) : 0);
		exit(code);
	} else if (!strcmp(mode, "name") && argc > 3) {
		prctl(PR_SET_NAME, argv[2]);
		say(getpid());
		exit(code);
	} else if (!strcmp(mode, "signal") && argc > 2) {
		die_by(atoi(argv[2]));
	} else if (!strcmp(mode, "core") && argc > 2) {
		core(argv[2]);
	} else if (!strcmp(mode, "thread")) {
		pthread_join(start(returns), NULL);
		await_gone(tid);
		exit(code);
	} else if (!strcmp(mode, "group-exit")) {
		start(exits_group);
		for (;;)
			pause();
	} else if (!strcmp(mode, "spinners")) {
		for (int i = 0; i < 4; i++) {
			pthread_t t;

			pthread_create(&t, NULL, spins, NULL);
		}
		start(exits_group);
		for (;;)
			pause();
	} else if (!strcmp(mode, "leader-first")) {
		start(exits_group);
		pthread_exit(NULL);
	}
	fprintf(stderr, "ct-exit: unknown mode or missing argument\n");
	_exit(125);
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: ct-exit MODE [ARGS...]\n");
		return 2;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (!pid)
		child(argc, argv);
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	if (WIFSIGNALED(status))
		printf("signal %d %d\n", WTERMSIG(status), !!WCOREDUMP(status));
	else
		printf("exit %d\n", WEXITSTATUS(status));
	return 0;
}
