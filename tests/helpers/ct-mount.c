// SPDX-License-Identifier: GPL-2.0
/*
 * ct-mount: mount calls for mountsnoop's runtime tests, made with
 * syscall(2) and the kernel's numbers (older C libraries have no wrappers
 * for the mount API). Runs its operations in order; fds stay open.
 *
 *   ct-mount OP... where OP is one of
 *     unshare              unshare(CLONE_NEWNS), then make every mount
 *                          private, so that nothing leaks to the host
 *     mount SRC DIR TYPE FLAGS DATA
 *                          mount(2); FLAGS in C notation, "-" for NULL
 *     umount DIR FLAGS     umount2(2)
 *     newapi TYPE SIZE DIR fsopen(TYPE, FSOPEN_CLOEXEC),
 *                          fsconfig(SET_STRING "size" SIZE),
 *                          fsconfig(CMD_CREATE),
 *                          fsmount(FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV),
 *                          move_mount(fd, "", AT_FDCWD, DIR, F_EMPTY_PATH)
 *     clone SRC DIR        open_tree(AT_FDCWD, SRC, OPEN_TREE_CLONE|
 *                          OPEN_TREE_CLOEXEC), move_mount to DIR
 *     fspick DIR           fspick(AT_FDCWD, DIR, FSPICK_CLOEXEC)
 *     setattr DIR          mount_setattr(AT_FDCWD, DIR, AT_RECURSIVE,
 *                          { attr_set = MOUNT_ATTR_RDONLY })
 *     uid UID              become UID (groups, gid and uid), for EPERM
 *     wait FIFO            read a byte from FIFO: wait to be told to go on
 *     loop N               N times mount(2) on a path that does not exist
 *     cycle N DIR          N times mount a tmpfs on DIR and umount2 it
 *     mapped SRC DIR       mount(SRC, DIR, "tmpfs", 0, NULL) with SRC in a
 *                          page of a file mapped just before, not yet
 *                          touched: not in memory when the call starts
 *
 * Prints "PID MNTNS" (the mount namespace's inode, once unshared if it
 * comes first), then one line per call: its result, an fd or -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The same on every architecture but alpha (the unified numbers). */
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_fspick
#define SYS_fspick 433
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

/* uapi values, stable ABI. */
#define FSOPEN_CLOEXEC_ 0x1
#define FSCONFIG_SET_STRING_ 1
#define FSCONFIG_CMD_CREATE_ 6
#define FSMOUNT_CLOEXEC_ 0x1
#define MOUNT_ATTR_RDONLY_ 0x1
#define MOUNT_ATTR_NODEV_ 0x4
#define MOVE_MOUNT_F_EMPTY_PATH_ 0x4
#define OPEN_TREE_CLONE_ 0x1
#define OPEN_TREE_CLOEXEC_ O_CLOEXEC
#define FSPICK_CLOEXEC_ 0x1
#define AT_RECURSIVE_ 0x8000

struct mount_attr_ {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

static long say(long ret)
{
	ret = ret < 0 ? -errno : ret;
	printf("%ld\n", ret);
	fflush(stdout);
	return ret;
}

static const char *str(const char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

static int op_unshare(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		perror("ct-mount: unshare");
		return -1;
	}
	return 0;
}

static void op_newapi(const char *type, const char *size, const char *dir)
{
	long fs = say(syscall(SYS_fsopen, type, FSOPEN_CLOEXEC_));
	long mnt;

	say(syscall(SYS_fsconfig, (int)fs, FSCONFIG_SET_STRING_, "size", size,
		    0));
	say(syscall(SYS_fsconfig, (int)fs, FSCONFIG_CMD_CREATE_, NULL, NULL,
		    0));
	mnt = say(syscall(SYS_fsmount, (int)fs, FSMOUNT_CLOEXEC_,
			  MOUNT_ATTR_NODEV_));
	say(syscall(SYS_move_mount, (int)mnt, "", AT_FDCWD, dir,
		    MOVE_MOUNT_F_EMPTY_PATH_));
}

static void op_clone(const char *src, const char *dir)
{
	long fd = say(syscall(SYS_open_tree, AT_FDCWD, src,
			      OPEN_TREE_CLONE_ | OPEN_TREE_CLOEXEC_));

	say(syscall(SYS_move_mount, (int)fd, "", AT_FDCWD, dir,
		    MOVE_MOUNT_F_EMPTY_PATH_));
}

static void op_setattr(const char *dir)
{
	struct mount_attr_ attr = { .attr_set = MOUNT_ATTR_RDONLY_ };

	say(syscall(SYS_mount_setattr, AT_FDCWD, dir, AT_RECURSIVE_, &attr,
		    sizeof(attr)));
}

static int op_uid(const char *arg)
{
	uid_t uid = strtoul(arg, NULL, 10);

	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid)) {
		perror("ct-mount: uid");
		return -1;
	}
	return 0;
}

static int op_wait(const char *fifo)
{
	char c;
	int fd = open(fifo, O_RDONLY);

	if (fd < 0 || read(fd, &c, 1) != 1) {
		perror("ct-mount: wait");
		return -1;
	}
	close(fd);
	return 0;
}

static void op_loop(const char *arg)
{
	long n = strtol(arg, NULL, 10), ok = 0;

	for (long i = 0; i < n; i++)
		ok += mount("none", "/nonexistent/ct-mount", "tmpfs", 0,
			    NULL) == 0;
	printf("%ld\n", ok);
}

static void op_mapped(const char *src, const char *dir)
{
	char path[] = "/tmp/ct-mount.XXXXXX";
	size_t len = strlen(src) + 1;
	int fd = mkstemp(path);
	char *p;

	if (fd < 0 || write(fd, src, len) != (ssize_t)len) {
		perror("ct-mount: mapped");
		exit(1);
	}
	unlink(path);
	p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("ct-mount: mmap");
		exit(1);
	}
	say(mount(p, dir, "tmpfs", 0, NULL));
	munmap(p, len);
	close(fd);
}

static void op_cycle(const char *arg, const char *dir)
{
	long n = strtol(arg, NULL, 10), ok = 0;

	for (long i = 0; i < n; i++)
		ok += !mount("none", dir, "tmpfs", 0, NULL) && !umount2(dir, 0);
	printf("%ld\n", ok);
}

/* Run the OP at argv[0]; returns the words it took, or -1. */
static int run(int argc, char **argv)
{
	const char *op = argv[0];

	if (!strcmp(op, "unshare"))
		return op_unshare() ? -1 : 1;
	if (!strcmp(op, "mount") && argc >= 6) {
		say(mount(str(argv[1]), str(argv[2]), str(argv[3]),
			  strtoul(argv[4], NULL, 0), str(argv[5])));
		return 6;
	}
	if (!strcmp(op, "umount") && argc >= 3) {
		say(umount2(argv[1], strtoul(argv[2], NULL, 0)));
		return 3;
	}
	if (!strcmp(op, "newapi") && argc >= 4) {
		op_newapi(argv[1], argv[2], argv[3]);
		return 4;
	}
	if (!strcmp(op, "clone") && argc >= 3) {
		op_clone(argv[1], argv[2]);
		return 3;
	}
	if (!strcmp(op, "fspick") && argc >= 2) {
		say(syscall(SYS_fspick, AT_FDCWD, argv[1], FSPICK_CLOEXEC_));
		return 2;
	}
	if (!strcmp(op, "setattr") && argc >= 2) {
		op_setattr(argv[1]);
		return 2;
	}
	if (!strcmp(op, "uid") && argc >= 2)
		return op_uid(argv[1]) ? -1 : 2;
	if (!strcmp(op, "wait") && argc >= 2)
		return op_wait(argv[1]) ? -1 : 2;
	if (!strcmp(op, "loop") && argc >= 2) {
		op_loop(argv[1]);
		return 2;
	}
	if (!strcmp(op, "cycle") && argc >= 3) {
		op_cycle(argv[1], argv[2]);
		return 3;
	}
	if (!strcmp(op, "mapped") && argc >= 3) {
		op_mapped(argv[1], argv[2]);
		return 3;
	}
	fprintf(stderr, "ct-mount: bad operation '%s'\n", op);
	return -1;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i = 1, n;

	if (argc > 1 && !strcmp(argv[1], "unshare")) {
		if (op_unshare())
			return 1;
		i++;
	}
	if (stat("/proc/self/ns/mnt", &st))
		st.st_ino = 0;
	printf("%d %lu\n", getpid(), (unsigned long)st.st_ino);
	fflush(stdout);
	for (; i < argc; i += n) {
		n = run(argc - i, argv + i);
		if (n < 0)
			return 1;
	}
	return 0;
}
