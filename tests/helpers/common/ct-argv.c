// SPDX-License-Identifier: GPL-2.0
/*
 * ct-argv: common/bpf/argv.bpf.h at work, for tests/runtime/bpf_kit.sh.
 *   ct-argv MAX_BYTES MAX_ARGS ARG...
 * Passes getsockname() an fd, where BPF reads this process's arguments
 * from its stack (at most MAX_BYTES), then fails an execve() of ARG...
 * (a path that does not exist), where BPF reads the argv array (at most
 * MAX_ARGS strings). Prints what it got, NULs as '|', then /proc/self/
 * cmdline the same way:
 *   stack len=N cut=yes|no: ARGS
 *   exec len=N cut=yes|no: ARGS
 *   cmdline len=N: ARGS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "tool.h"
#include "helpers/ct-argv.skel.h"

static void print_args(const char *what, const char *args, size_t len,
		       int cut)
{
	printf("%s len=%zu", what, len);
	if (cut >= 0)
		printf(" cut=%s", cut ? "yes" : "no");
	printf(": ");
	for (size_t i = 0; i < len; i++)
		putchar(args[i] ? args[i] : '|');
	putchar('\n');
}

static int show(struct ct_argv_bpf *skel, char **args)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	static char cmdline[1 << 16];
	FILE *f;
	size_t n;

	getsockname(-1, (struct sockaddr *)&ss, &len);
	execv("/nonexistent/ct-argv", args);
	if (skel->bss->stack_calls != 1 || skel->bss->exec_calls != 1) {
		fprintf(stderr, "ct-argv: calls not seen\n");
		return 1;
	}
	print_args("stack", skel->bss->stack_args, skel->bss->stack_len,
		   skel->bss->stack_cut);
	print_args("exec", skel->bss->exec_args, skel->bss->exec_len,
		   skel->bss->exec_cut);
	f = fopen("/proc/self/cmdline", "r");
	if (!f)
		return 1;
	n = fread(cmdline, 1, sizeof(cmdline), f);
	fclose(f);
	print_args("cmdline", cmdline, n, -1);
	return 0;
}

int main(int argc, char **argv)
{
	struct ct_argv_bpf *skel;
	int err = 1;

	if (argc < 4) {
		fprintf(stderr, "usage: ct-argv MAX_BYTES MAX_ARGS ARG...\n");
		return 2;
	}
	if (ct_setup())
		return 1;
	skel = ct_argv_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->self_tgid = getpid();
	skel->rodata->max_bytes = strtoul(argv[1], NULL, 10);
	skel->rodata->max_args = strtoul(argv[2], NULL, 10);
	if (!ct_load_and_attach(skel->skeleton)) {
		err = show(skel, argv + 3);
		ct_detach();
	}
	ct_argv_bpf__destroy(skel);
	return err;
}
