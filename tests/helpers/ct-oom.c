// SPDX-License-Identifier: GPL-2.0
/*
 * ct-oom: run out of memory for the oomkill tests. Run it in a cgroup with
 * a small memory limit, or the OOM killer will pick someone else.
 *
 *   ct-oom [NAME]   name itself NAME (prctl, as comm shows), print its
 *                   PID, then touch memory 1 MiB at a time, up to 1 GiB,
 *                   until killed; exits 3 if it never is
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#define CHUNK (1 << 20)
#define CHUNKS 1024

int main(int argc, char **argv)
{
	if (argc > 1 && prctl(PR_SET_NAME, argv[1], 0, 0, 0)) {
		perror("ct-oom: prctl");
		return 1;
	}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (int i = 0; i < CHUNKS; i++) {
		char *p = malloc(CHUNK);

		if (!p)
			return 2;
		memset(p, 1, CHUNK);
	}
	return 3;
}
