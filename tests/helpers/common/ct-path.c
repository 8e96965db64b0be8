// SPDX-License-Identifier: GPL-2.0
/*
 * ct-path: common/bpf/path.bpf.h at work, for tests/runtime/bpf_kit.sh.
 *   ct-path [-u] FILE...
 * Opens each FILE (-u: then unlinks it) and passes the fd to getsockname(),
 * where the BPF program builds the file's path; prints for each
 *   PATH cut=yes|no deleted=yes|no
 * ("no path" for a file without one, a pipe or a socket: "-" is a pipe).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "path_flags.h"
#include "tool.h"
#include "helpers/ct-path.skel.h"

static struct ct_path_bpf *skel;

static int show_path(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	__u64 calls = skel->bss->seen_calls;

	getsockname(fd, (struct sockaddr *)&ss, &len);
	if (skel->bss->seen_calls != calls + 1) {
		fprintf(stderr, "ct-path: getsockname() not seen\n");
		return 1;
	}
	if (!skel->bss->seen_has_path) {
		printf("no path\n");
		return 0;
	}
	printf("%.*s cut=%s deleted=%s\n", (int)skel->bss->seen_len,
	       skel->bss->seen_path, skel->bss->seen_cut ? "yes" : "no",
	       skel->bss->seen_deleted ? "yes" : "no");
	return 0;
}

static int show_paths(int argc, char **argv)
{
	bool unlink_it = false;
	int err = 0, p[2];

	for (int i = 1; i < argc; i++) {
		int fd;

		if (!strcmp(argv[i], "-u")) {
			unlink_it = true;
			continue;
		}
		if (!strcmp(argv[i], "-")) {
			if (pipe(p))
				return 1;
			fd = p[0];
		} else {
			fd = open(argv[i], O_RDONLY);
		}
		if (fd < 0 || (unlink_it && unlink(argv[i]))) {
			perror(argv[i]);
			return 1;
		}
		err |= show_path(fd);
	}
	return err;
}

int main(int argc, char **argv)
{
	int err = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: ct-path [-u] FILE...\n");
		return 2;
	}
	if (ct_setup())
		return 1;
	skel = ct_path_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->self_tgid = getpid();
	if (!ct_load_and_attach(skel->skeleton)) {
		err = show_paths(argc, argv);
		ct_detach();
	}
	ct_path_bpf__destroy(skel);
	return err;
}
