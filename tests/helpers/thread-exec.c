// SPDX-License-Identifier: GPL-2.0
/*
 * thread-exec PATH [ARGS...]: exec PATH with argv ARGS from a thread that is
 * not the thread-group leader, as multi-threaded runtimes do. The kernel
 * then reports the exec's exit under the leader's id. Prints "PID PPID"
 * before the exec.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char **exec_argv;

static void *exec_from_thread(void *arg)
{
	char *const envp[] = { "PATH=/usr/bin:/bin", NULL };

	(void)arg;
	execve(exec_argv[0], exec_argv + 1, envp);
	perror("execve");
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 3) {
		fprintf(stderr, "usage: thread-exec PATH ARGV0 [ARGS...]\n");
		return 2;
	}
	exec_argv = argv + 1;
	printf("%d %d\n", getpid(), getppid());
	fflush(stdout);
	if (pthread_create(&t, NULL, exec_from_thread, NULL))
		return 1;
	pthread_join(t, NULL);
	return 1;
}
