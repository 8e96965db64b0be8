// SPDX-License-Identifier: GPL-2.0
/*
 * ct-oom: run out of memory for the oomkill tests. Run it in a cgroup with
 * a small memory limit, or the OOM killer will pick someone else.
 *
 *   ct-oom NAME [UID [MB]]
 *       name itself NAME (prctl, as comm shows), become UID (real and
 *       effective; -1: stay), print its PID, wait for SIGUSR1 (so that a
 *       tool can be started with the PID), then touch memory 1 MiB at a
 *       time, up to 4 GiB, until killed; exits 3 if it never is. With MB:
 *       touch MB MiB, print "held", and wait to be killed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#define CHUNK (1 << 20)
#define CHUNKS 4096

int main(int argc, char **argv)
{
	int chunks = argc > 3 ? atoi(argv[3]) : CHUNKS;
	sigset_t usr1;
	int sig;

	if (argc < 2 || prctl(PR_SET_NAME, argv[1], 0, 0, 0)) {
		fprintf(stderr, "usage: ct-oom NAME [UID [MB]]\n");
		return 1;
	}
	if (argc > 2 && atoi(argv[2]) >= 0 &&
	    setresuid(atoi(argv[2]), atoi(argv[2]), -1)) {
		perror("ct-oom: setresuid");
		return 1;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	sigwait(&usr1, &sig);
	for (int i = 0; i < chunks; i++) {
		char *p = malloc(CHUNK);

		if (!p)
			return 2;
		memset(p, 1, CHUNK);
	}
	if (chunks == CHUNKS)
		return 3;
	printf("held\n");
	fflush(stdout);
	for (;;)
		pause();
}
