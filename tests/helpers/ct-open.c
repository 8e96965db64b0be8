// SPDX-License-Identifier: GPL-2.0
/*
 * ct-open: opens files through each open system call, for opensnoop's
 * runtime tests. Runs its operations in order and keeps every fd open until
 * it exits, so the fds it prints are the ones opensnoop must show.
 *
 *   ct-open OP... where OP is one of
 *     open PATH          open(PATH, O_RDONLY) (openat where open is absent)
 *     openat DIR NAME    openat(fd of DIR, NAME, O_RDONLY)
 *     openat2 PATH       openat2(AT_FDCWD, PATH, O_RDONLY|O_CLOEXEC)
 *     create PATH        openat(AT_FDCWD, PATH, O_WRONLY|O_CREAT|O_TRUNC, 0640)
 *     creat PATH         creat(PATH, 0600) (create where creat is absent)
 *     tmpfile DIR        openat(AT_FDCWD, DIR, O_TMPFILE|O_RDWR, 0600)
 *     many N PATH        N times openat(PATH) and close
 *     uring PATH         O_RDONLY through io_uring: no open system call
 *     openfd FD NAME     openat(FD, NAME, O_RDONLY), FD a number
 *     flags FLAGS PATH   openat(AT_FDCWD, PATH, FLAGS), FLAGS in C notation
 *     efault             openat(AT_FDCWD, an unmapped address, O_RDONLY)
 *     signal FIFO        open(FIFO) with a SIGUSR1 handler (SA_RESTART),
 *                        so that a SIGUSR1 restarts the open
 *     eintr FIFO         the same without SA_RESTART: the open fails
 *     sleep MS           wait MS milliseconds
 *     thread PATH        open(PATH, O_RDONLY) in a second thread; prints
 *                        its thread ID, then the fd
 * The handler writes "signal" to stderr.
 *
 * Prints its PID, then one line per OP but sleep: the fd or -errno (openat
 * prints the directory's fd first; many prints how many opens succeeded; signal
 * prints how many SIGUSR1 it handled after it).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>

static long result(long fd)
{
	return fd < 0 ? -errno : fd;
}

static long op_open(const char *path)
{
#ifdef SYS_open
	return result(syscall(SYS_open, path, O_RDONLY));
#else
	return result(syscall(SYS_openat, AT_FDCWD, path, O_RDONLY));
#endif
}

static long op_creat(const char *path)
{
#ifdef SYS_creat
	return result(syscall(SYS_creat, path, 0600));
#else
	return result(syscall(SYS_openat, AT_FDCWD, path,
			      O_WRONLY | O_CREAT | O_TRUNC, 0600));
#endif
}

static long op_openat2(const char *path)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };

	return result(syscall(SYS_openat2, AT_FDCWD, path, &how,
			      sizeof(how)));
}

static long op_many(long n, const char *path)
{
	long ok = 0;

	for (long i = 0; i < n; i++) {
		int fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);

		if (fd >= 0) {
			ok++;
			close(fd);
		}
	}
	return ok;
}

static void op_sleep(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static volatile sig_atomic_t signals;

static void count_signal(int sig)
{
	(void)sig;
	signals++;
	if (write(2, "signal\n", 7) < 0)
		signals = 100;
}

static void op_signal(const char *fifo, int flags)
{
	struct sigaction sa = {
		.sa_handler = count_signal,
		.sa_flags = flags,
	};
	long fd;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	fd = op_open(fifo);
	printf("%ld %d\n", fd, (int)signals);
}

/* A name pointer the kernel cannot read: EFAULT. */
static long op_efault(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	return result(syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
}

static void *map_ring(int ring, size_t size, off_t what)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, ring, what);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * One IORING_OP_OPENAT on a ring of one entry: the kernel opens the file
 * for io_uring_enter(), or in a worker, never in an open system call. The
 * fd or -errno, also when the kernel has no io_uring.
 */
static long op_uring(const char *path)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	char *sq, *cq;
	unsigned *tail;
	int ring;

	ring = syscall(__NR_io_uring_setup, 1, &p);
	if (ring < 0)
		return -errno;
	sq = map_ring(ring, p.sq_off.array + p.sq_entries * sizeof(__u32),
		      IORING_OFF_SQ_RING);
	cq = map_ring(ring, p.cq_off.cqes +
		      p.cq_entries * sizeof(struct io_uring_cqe),
		      IORING_OFF_CQ_RING);
	sqe = map_ring(ring, p.sq_entries * sizeof(*sqe), IORING_OFF_SQES);
	if (!sq || !cq || !sqe)
		return -errno;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (unsigned long)path;
	sqe->open_flags = O_RDONLY;
	((unsigned *)(sq + p.sq_off.array))[0] = 0;
	tail = (unsigned *)(sq + p.sq_off.tail);
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return cqe[*(unsigned *)(cq + p.cq_off.head) &
		   *(unsigned *)(cq + p.cq_off.ring_mask)].res;
}

static void *thread_open(void *path)
{
	printf("%ld ", (long)syscall(SYS_gettid));
	printf("%ld\n", op_open(path));
	return NULL;
}

/* op_open() in a thread of its own, the first one waiting for it. */
static void op_thread(char *path)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_open, path)) {
		printf("0 %d\n", -EAGAIN);
		return;
	}
	pthread_join(t, NULL);
}

/* Run the OP at argv[0]; returns how many arguments it used, or 0. */
static int run_op(int argc, char **argv)
{
	const char *op = argv[0];
	long dfd;

	if (argc >= 2 && !strcmp(op, "open"))
		printf("%ld\n", op_open(argv[1]));
	else if (argc >= 2 && !strcmp(op, "openat2"))
		printf("%ld\n", op_openat2(argv[1]));
	else if (argc >= 2 && !strcmp(op, "create"))
		printf("%ld\n", result(syscall(SYS_openat, AT_FDCWD, argv[1],
					       O_WRONLY | O_CREAT | O_TRUNC,
					       0640)));
	else if (argc >= 2 && !strcmp(op, "creat"))
		printf("%ld\n", op_creat(argv[1]));
	else if (argc >= 2 && !strcmp(op, "tmpfile"))
		printf("%ld\n", result(syscall(SYS_openat, AT_FDCWD, argv[1],
					       O_TMPFILE | O_RDWR, 0600)));
	else if (argc >= 2 && !strcmp(op, "uring"))
		printf("%ld\n", op_uring(argv[1]));
	else if (argc >= 2 && !strcmp(op, "thread"))
		op_thread(argv[1]);
	else if (argc >= 2 && !strcmp(op, "sleep"))
		op_sleep(atol(argv[1]));
	else if (argc >= 3 && !strcmp(op, "many"))
		printf("%ld\n", op_many(atol(argv[1]), argv[2]));
	else if (argc >= 3 && !strcmp(op, "openfd"))
		printf("%ld\n", result(syscall(SYS_openat, atoi(argv[1]),
					       argv[2], O_RDONLY)));
	else if (argc >= 3 && !strcmp(op, "flags"))
		printf("%ld\n", result(syscall(SYS_openat, AT_FDCWD, argv[2],
					       strtoul(argv[1], NULL, 0))));
	else if (!strcmp(op, "efault")) {
		printf("%ld\n", op_efault());
		return 1;
	} else if (argc >= 2 && !strcmp(op, "signal"))
		op_signal(argv[1], SA_RESTART);
	else if (argc >= 2 && !strcmp(op, "eintr"))
		op_signal(argv[1], 0);
	else if (argc >= 3 && !strcmp(op, "openat")) {
		dfd = result(open(argv[1], O_RDONLY | O_DIRECTORY));
		printf("%ld %ld\n", dfd,
		       result(syscall(SYS_openat, (int)dfd, argv[2],
				      O_RDONLY)));
		return 3;
	} else
		return 0;
	return !strcmp(op, "many") || !strcmp(op, "openfd") ||
	       !strcmp(op, "flags") ? 3 : 2;
}

int main(int argc, char **argv)
{
	int i = 1;

	printf("%d\n", getpid());
	while (i < argc) {
		int used = run_op(argc - i, argv + i);

		if (!used) {
			fprintf(stderr, "ct-open: bad operation '%s'\n",
				argv[i]);
			return 2;
		}
		i += used;
	}
	return 0;
}
