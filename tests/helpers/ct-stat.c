// SPDX-License-Identifier: GPL-2.0
/*
 * ct-stat: calls each stat-family system call directly (syscall(2)), for
 * statsnoop's runtime tests and its benchmark. Runs its operations in order
 * and keeps every fd it opens until it exits.
 *
 *   ct-stat OP... where OP is one of
 *     stat PATH                 stat (newfstatat(AT_FDCWD) where absent)
 *     lstat PATH                lstat (the same with AT_SYMLINK_NOFOLLOW)
 *     fstat PATH                fstat on a new O_RDONLY fd of PATH
 *     at DIR NAME FLAGS         newfstatat(fd of DIR, NAME, FLAGS)
 *     statx DIR NAME FLAGS MASK statx(fd of DIR, NAME, FLAGS, MASK); DIR
 *                               "-" for AT_FDCWD
 *     statfs PATH               statfs
 *     fstatfs PATH              fstatfs on a new O_RDONLY fd of PATH
 *     many N PATH               N times stat (the benchmark's workload)
 *     wait                      read a byte from standard input
 * FLAGS and MASK in C notation (0x1000).
 *
 * Prints its PID, then one line per OP but wait: 0 or -errno, after the
 * fd it opened (fstat, at, statx with a DIR, fstatfs); many prints how many
 * calls succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

static struct stat st;

static long result(long r)
{
	return r < 0 ? -errno : r;
}

static long number(const char *s)
{
	return strtol(s, NULL, 0);
}

static long op_stat(const char *path, int at_flags)
{
#if defined(SYS_stat) && defined(SYS_lstat)
	if (at_flags)
		return result(syscall(SYS_lstat, path, &st));
	return result(syscall(SYS_stat, path, &st));
#else
	return result(syscall(SYS_newfstatat, AT_FDCWD, path, &st, at_flags));
#endif
}

/* An fd of path, printed; -1 after printing -errno. */
static int open_fd(const char *path, int flags)
{
	int fd = open(path, flags);

	printf("%ld ", result(fd));
	return fd;
}

static long op_fstat(const char *path)
{
	return result(syscall(SYS_fstat, open_fd(path, O_RDONLY), &st));
}

static long op_fstatfs(const char *path)
{
	struct statfs sf;

	return result(syscall(SYS_fstatfs, open_fd(path, O_RDONLY), &sf));
}

static long op_at(const char *dir, const char *name, const char *flags)
{
	int fd = open_fd(dir, O_RDONLY | O_DIRECTORY);

	return result(syscall(SYS_newfstatat, fd, name, &st, number(flags)));
}

static long op_statx(const char *dir, const char *name, const char *flags,
		     const char *mask)
{
	struct statx sx;
	int fd = AT_FDCWD;

	if (strcmp(dir, "-"))
		fd = open_fd(dir, O_RDONLY | O_DIRECTORY);
	return result(syscall(SYS_statx, fd, name, number(flags),
			      number(mask), &sx));
}

static long op_statfs(const char *path)
{
	struct statfs sf;

	return result(syscall(SYS_statfs, path, &sf));
}

static long op_many(long n, const char *path)
{
	long ok = 0;

	for (long i = 0; i < n; i++)
		ok += op_stat(path, 0) == 0;
	return ok;
}

static void usage(void)
{
	fprintf(stderr, "usage: ct-stat OP... (see the source)\n");
	exit(2);
}

/* The words OP op takes, itself included. */
static int words_of(const char *op)
{
	if (!strcmp(op, "wait"))
		return 1;
	if (!strcmp(op, "many"))
		return 3;
	if (!strcmp(op, "at"))
		return 4;
	if (!strcmp(op, "statx"))
		return 5;
	return 2;
}

static long run(char **argv)
{
	const char *op = argv[0];

	if (!strcmp(op, "stat"))
		return op_stat(argv[1], 0);
	if (!strcmp(op, "lstat"))
		return op_stat(argv[1], AT_SYMLINK_NOFOLLOW);
	if (!strcmp(op, "fstat"))
		return op_fstat(argv[1]);
	if (!strcmp(op, "fstatfs"))
		return op_fstatfs(argv[1]);
	if (!strcmp(op, "statfs"))
		return op_statfs(argv[1]);
	if (!strcmp(op, "many"))
		return op_many(number(argv[1]), argv[2]);
	if (!strcmp(op, "at"))
		return op_at(argv[1], argv[2], argv[3]);
	if (!strcmp(op, "statx"))
		return op_statx(argv[1], argv[2], argv[3], argv[4]);
	usage();
	return 0;
}

/* Run the OP at argv[0]; returns the words it took. */
static int run_op(int argc, char **argv)
{
	int words = words_of(argv[0]);
	char c;

	if (argc < words)
		usage();
	if (words == 1) {
		if (read(0, &c, 1) != 1)
			exit(1);
		return 1;
	}
	printf("%ld\n", run(argv));
	fflush(stdout);
	return words;
}

int main(int argc, char **argv)
{
	/* No buffer to size: stdio would fstat() stdout for that. */
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (int i = 1; i < argc;)
		i += run_op(argc - i, argv + i);
	return 0;
}
