// SPDX-License-Identifier: GPL-2.0
/*
 * ct-cap: makes the kernel check capabilities, for capable's runtime tests.
 * Static, so that it also runs in the test guest's busybox initramfs.
 *
 *   ct-cap [-u UID] [-n NAME] [-w] ACTION [ARG]
 *
 * -u: become UID (its own gid, no groups) first; -n: set the command name
 * (prctl), which may hold any byte; -w: print the PID, then wait for
 * SIGUSR1 before the action (so that a tool can filter on the PID). Then
 * it prints "PID USERNS RESULT": the user namespace it ended in (its
 * inode) and the action's errno (0 on success).
 *
 *   userns-hostname   unshare(CLONE_NEWUSER | CLONE_NEWUTS), then
 *                     sethostname() in the new UTS namespace: CAP_SYS_ADMIN
 *                     in the new user namespace, allowed
 *   newuts            unshare(CLONE_NEWUTS): CAP_SYS_ADMIN in the current
 *                     user namespace (denied to a user without it)
 *   chown FILE        chown(FILE, 65534, -1): CAP_CHOWN
 *   setuid N          N setuid(getuid()) calls: CAP_SETUID each (as root)
 *   bpf               create a BPF array map: CAP_BPF (denied to a user
 *                     where unprivileged BPF is off)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <grp.h>
#include <linux/bpf.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: ct-cap [-u UID] [-n NAME] [-w] "
			"userns-hostname|newuts|chown FILE|setuid N\n");
	return 2;
}

static int become(uid_t uid)
{
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		perror("ct-cap: setuid");
		return 1;
	}
	return 0;
}

static void wait_usr1(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	sigwait(&set, &sig);
}

static int map_create(void)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* The action's errno, 0 if it worked; -1 for an unknown action. */
static int act(const char *what, const char *arg)
{
	int r;

	if (!strcmp(what, "userns-hostname")) {
		r = unshare(CLONE_NEWUSER | CLONE_NEWUTS);
		if (!r)
			r = sethostname("ct-cap", 6);
	} else if (!strcmp(what, "newuts")) {
		r = unshare(CLONE_NEWUTS);
	} else if (!strcmp(what, "chown") && arg) {
		r = chown(arg, 65534, -1);
	} else if (!strcmp(what, "setuid") && arg) {
		long n = atol(arg);

		r = 0;
		while (n-- > 0 && !r)
			r = setuid(getuid());
	} else if (!strcmp(what, "bpf")) {
		r = map_create();
	} else {
		return -1;
	}
	return r ? errno : 0;
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	int c, wait = 0, err;
	struct stat ns;

	while ((c = getopt(argc, argv, "+u:n:w")) != -1) {
		if (c == 'u') {
			if (become(atoi(optarg)))
				return 1;
		} else if (c == 'n') {
			name = optarg;
		} else if (c == 'w') {
			wait = 1;
		} else {
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if (name)
		prctl(PR_SET_NAME, name, 0, 0, 0);
	if (wait)
		wait_usr1();
	err = act(argv[optind], argv[optind + 1]);
	if (err < 0)
		return usage();
	if (stat("/proc/self/ns/user", &ns))
		ns.st_ino = 0;
	printf("%d %lu %d\n", (int)getpid(), (unsigned long)ns.st_ino, err);
	return 0;
}
