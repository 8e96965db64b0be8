// SPDX-License-Identifier: GPL-2.0
/*
 * sysload: N operations of one kind, as fast as possible (or at -r RATE per
 * second), to fire one tool's hooks. Prints one line:
 *
 *   N OPS in SECS s: RATE OPS/s
 *
 * Before the loop the process names itself ct-MODE (its children
 * ct-child-MODE), so that the tools' lines of the workload can be counted
 * by name. Modes:
 *
 *   getppid   getppid(2): one system call (syscount)
 *   setuid    setuid(0), which checks CAP_SETUID (capable; needs root)
 *   stat      stat(2) of /tmp/ct-bench-stat (statsnoop)
 *   mount     mount(2) on a missing directory: fails with ENOENT
 *   kill      SIGUSR1 to a child that ignores it (sigsnoop, killsnoop)
 *   fork      fork, the child exits at once, wait (exitsnoop)
 *   pipe      one byte to a child and back over two pipes (runqlat)
 *   bio       alternate 4 KiB O_DIRECT writes and reads on -f PATH, a file
 *             or block device of at least 1 MiB (biolatency)
 *   spin      100000 additions in user space, no system call: a busy
 *             loop for samplers (profile)
 *
 * Static, so that it makes no system calls but its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define STAT_PATH "/tmp/ct-bench-stat"
#define MOUNT_PATH "/nonexistent/ct-bench-mount"
#define BIO_SIZE 4096
#define BIO_SPAN (1 << 20)

static const char *path;
static pid_t child = -1;
static int to_child = -1, from_child = -1;
static char *bio_buf;
static int bio_fd = -1;

static void fail(const char *what)
{
	fprintf(stderr, "sysload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void name_self(const char *prefix, const char *mode)
{
	char name[16];

	snprintf(name, sizeof(name), "ct-%s%s", prefix, mode);
	prctl(PR_SET_NAME, name);
}

static int op_getppid(long i)
{
	(void)i;
	return syscall(SYS_getppid) < 0;
}

static volatile unsigned long spin_sink;

static int op_spin(long i)
{
	for (long k = 0; k < 100000; k++)
		spin_sink += k ^ i;
	return 0;
}

static int op_setuid(long i)
{
	(void)i;
	return setuid(0);
}

static int op_stat(long i)
{
	struct stat st;

	(void)i;
	return stat(STAT_PATH, &st);
}

static int op_mount(long i)
{
	(void)i;
	return !mount("ct-bench", MOUNT_PATH, "tmpfs", 0, NULL) ||
	       errno != ENOENT;
}

static int op_kill(long i)
{
	(void)i;
	return kill(child, SIGUSR1);
}

static int op_fork(long i)
{
	int status;
	pid_t pid;

	(void)i;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		name_self("child-", "fork");
		_exit(0);
	}
	return waitpid(pid, &status, 0) != pid || status;
}

static int op_pipe(long i)
{
	char c = 0;

	(void)i;
	return write(to_child, &c, 1) != 1 || read(from_child, &c, 1) != 1;
}

static int op_bio(long i)
{
	off_t off = (off_t)(i / 2 % (BIO_SPAN / BIO_SIZE)) * BIO_SIZE;

	if (i % 2)
		return pread(bio_fd, bio_buf, BIO_SIZE, off) != BIO_SIZE;
	return pwrite(bio_fd, bio_buf, BIO_SIZE, off) != BIO_SIZE;
}

/*
 * A child named ct-child-MODE that reads from to_child until the parent
 * closes it, sending each byte back on from_child with echo. One byte on
 * from_child first says it is ready (prepare has run).
 */
static void spawn_child(const char *mode, void (*prepare)(void), int echo)
{
	int down[2], up[2];
	char c = 0;

	if (pipe(down) || pipe(up))
		fail("pipe");
	child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		name_self("child-", mode);
		if (prepare)
			prepare();
		close(down[1]);
		close(up[0]);
		if (write(up[1], &c, 1) != 1)
			_exit(1);
		while (read(down[0], &c, 1) == 1)
			if (echo && write(up[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	to_child = down[1];
	from_child = up[0];
	if (read(from_child, &c, 1) != 1)
		fail("child");
}

static void ignore_usr1(void)
{
	signal(SIGUSR1, SIG_IGN);
}

/* kill: a child that ignores SIGUSR1. */
static void setup_kill(void)
{
	spawn_child("kill", ignore_usr1, 0);
}

/* pipe: a child that sends every byte back. */
static void setup_pipe(void)
{
	spawn_child("pipe", NULL, 1);
}

static void setup_stat(void)
{
	int fd = open(STAT_PATH, O_RDONLY | O_CREAT, 0644);

	if (fd < 0)
		fail(STAT_PATH);
	close(fd);
}

static void setup_bio(void)
{
	if (!path) {
		fprintf(stderr, "sysload: bio needs -f PATH\n");
		exit(2);
	}
	bio_fd = open(path, O_RDWR | O_DIRECT);
	if (bio_fd < 0)
		fail(path);
	if (posix_memalign((void **)&bio_buf, BIO_SIZE, BIO_SIZE))
		fail("posix_memalign");
	memset(bio_buf, 0xa5, BIO_SIZE);
}

/* Let the children go: closing their pipe ends them. */
static void finish(void)
{
	int status;

	if (child < 0)
		return;
	close(to_child);
	waitpid(child, &status, 0);
}

static const struct mode {
	const char *name;
	const char *ops;
	int (*op)(long i);
	void (*setup)(void);
} modes[] = {
	{ "getppid", "syscalls", op_getppid, NULL },
	{ "setuid", "setuids", op_setuid, NULL },
	{ "stat", "stats", op_stat, setup_stat },
	{ "mount", "mounts", op_mount, NULL },
	{ "kill", "signals", op_kill, setup_kill },
	{ "fork", "forks", op_fork, NULL },
	{ "pipe", "pingpongs", op_pipe, setup_pipe },
	{ "bio", "I/Os", op_bio, setup_bio },
	{ "spin", "loops", op_spin, NULL },
};

static void usage(void)
{
	fprintf(stderr, "usage: sysload [-r RATE] [-f PATH] MODE N\n");
	exit(2);
}

static const struct mode *find_mode(const char *name)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(modes[i].name, name))
			return &modes[i];
	fprintf(stderr, "sysload: unknown mode '%s'\n", name);
	exit(2);
}

int main(int argc, char **argv)
{
	const struct mode *m;
	long n, rate = 0, i;
	double start, secs;
	int c;

	while ((c = getopt(argc, argv, "r:f:")) != -1) {
		if (c == 'r')
			rate = bench_count("sysload", optarg);
		else if (c == 'f')
			path = optarg;
		else
			usage();
	}
	if (optind != argc - 2)
		usage();
	m = find_mode(argv[optind]);
	n = bench_count("sysload", argv[optind + 1]);
	name_self("", m->name);
	if (m->setup)
		m->setup();

	start = bench_now();
	for (i = 0; i < n; i++) {
		if (m->op(i))
			fail(m->name);
		bench_pace(start, rate, i + 1);
	}
	secs = bench_now() - start;
	/* Our exit's SIGCHLD must not count as one of the workload's. */
	name_self("", "done");
	finish();
	printf("%ld %s in %.6f s: %.0f %s/s\n", n, m->ops, secs, n / secs,
	       m->ops);
	return 0;
}
