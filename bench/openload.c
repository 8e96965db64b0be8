// SPDX-License-Identifier: GPL-2.0
/*
 * openload: N x open+close of one file, as fast as possible (or at -r RATE
 * opens per second), in one thread, or shared out over -j JOBS processes
 * (each its part of N and of RATE), which on a machine of JOBS CPUs open
 * in parallel. With -m the file does not exist and every open fails with
 * ENOENT. Prints one line:
 *
 *   N opens in SECS s: RATE ops/s
 *
 * Static, so that the only opens it makes are the N measured ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define DEFAULT_PATH "/tmp/ct-bench-openload"
#define MISSING_PATH "/tmp/ct-bench-openload-missing"

static void usage(void)
{
	fprintf(stderr, "usage: openload [-m] [-j JOBS] [-r RATE] [-f PATH] N\n");
	exit(2);
}

/*
 * The file to open must exist, or (-m) must not. An existing file is left
 * alone, so that a run opens it exactly N times.
 */
static void prepare(const char *path, int missing)
{
	int fd;

	if (missing) {
		if (access(path, F_OK) == 0) {
			fprintf(stderr, "openload: %s exists\n", path);
			exit(1);
		}
		return;
	}
	if (access(path, F_OK) == 0)
		return;
	fd = open(path, O_RDONLY | O_CREAT, 0644);
	if (fd < 0) {
		fprintf(stderr, "openload: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

/* n opens of path at rate (0: unpaced); how many failed. */
static long open_loop(const char *path, long n, long rate)
{
	double start = bench_now();
	long i, failed = 0;

	for (i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);

		if (fd >= 0)
			close(fd);
		else
			failed++;
		bench_pace(start, rate, i + 1);
	}
	return failed;
}

/*
 * The loop in jobs processes, n and rate shared out; how many opens failed,
 * or -1 if a process failed otherwise than expected (missing: every open).
 */
static long open_jobs(const char *path, long n, long rate, long jobs,
		      int missing)
{
	long j, failed = missing ? n : 0;

	for (j = 0; j < jobs; j++) {
		long part = n / jobs + (j < n % jobs);
		pid_t pid = fork();

		if (pid < 0) {
			perror("openload: fork");
			exit(1);
		}
		if (pid == 0)
			_exit(open_loop(path, part, rate / jobs) ==
			      (missing ? part : 0) ? 0 : 1);
	}
	for (j = 0; j < jobs; j++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			failed = -1;
	}
	return failed;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	long n, rate = 0, jobs = 1, failed;
	int missing = 0, c;
	double start, secs;

	while ((c = getopt(argc, argv, "mj:r:f:")) != -1) {
		switch (c) {
		case 'm':
			missing = 1;
			break;
		case 'j':
			jobs = bench_count("openload", optarg);
			break;
		case 'r':
			rate = bench_count("openload", optarg);
			break;
		case 'f':
			path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	n = bench_count("openload", argv[optind]);
	if (!path)
		path = missing ? MISSING_PATH : DEFAULT_PATH;
	prepare(path, missing);
	if (jobs > n)
		jobs = n;

	start = bench_now();
	if (jobs == 1)
		failed = open_loop(path, n, rate);
	else
		failed = open_jobs(path, n, rate, jobs, missing);
	secs = bench_now() - start;

	if (failed != (missing ? n : 0)) {
		fprintf(stderr, "openload: %ld of %ld opens failed\n",
			failed < 0 ? n : failed, n);
		return 1;
	}
	printf("%ld opens in %.6f s: %.0f ops/s\n", n, secs, n / secs);
	return 0;
}
