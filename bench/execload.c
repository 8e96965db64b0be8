// SPDX-License-Identifier: GPL-2.0
/*
 * execload: N x fork+execve of a tiny static program, one at a time, as
 * fast as possible (or at -r RATE execs per second). The target defaults to
 * exec-target next to this binary. Prints one line:
 *
 *   N execs in SECS s: RATE execs/s
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void usage(void)
{
	fprintf(stderr, "usage: execload [-r RATE] N [TARGET]\n");
	exit(2);
}

/* exec-target in the directory of /proc/self/exe. */
static void default_target(char *buf, size_t size)
{
	ssize_t len = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (len < 0)
		len = 0;
	buf[len] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		slash[1] = '\0';
	else
		buf[0] = '\0';
	strncat(buf, "exec-target", size - strlen(buf) - 1);
}

static int run_one(const char *target)
{
	char *const args[] = { (char *)target, NULL };
	char *const envp[] = { NULL };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(target, args, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	char target[PATH_MAX];
	long n, rate = 0, i;
	double start, secs;
	int c;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r')
			usage();
		rate = bench_count("execload", optarg);
	}
	if (optind != argc - 1 && optind != argc - 2)
		usage();
	n = bench_count("execload", argv[optind]);
	if (optind == argc - 2)
		snprintf(target, sizeof(target), "%s", argv[optind + 1]);
	else
		default_target(target, sizeof(target));
	if (access(target, X_OK)) {
		fprintf(stderr, "execload: %s: %s\n", target, strerror(errno));
		return 1;
	}

	start = bench_now();
	for (i = 0; i < n; i++) {
		if (run_one(target)) {
			fprintf(stderr, "execload: %s failed\n", target);
			return 1;
		}
		bench_pace(start, rate, i + 1);
	}
	secs = bench_now() - start;
	printf("%ld execs in %.6f s: %.0f execs/s\n", n, secs, n / secs);
	return 0;
}
