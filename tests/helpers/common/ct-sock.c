// SPDX-License-Identifier: GPL-2.0
/*
 * ct-sock: common/bpf/file.bpf.h at work, for tests/runtime/bpf_kit.sh.
 * Its BPF program looks at the fd of each getsockname() call this process
 * makes; for each kind of fd, one line of what it saw:
 *   KIND fd=N file=yes|no ino=INO fstat_ino=INO socket=yes|no sock=yes|no
 *   ct-sock fds FILE UNIX_PATH
 * KIND is file (FILE opened), pipe, tcp, unix-name (an O_PATH fd on a
 * Unix socket bound at UNIX_PATH), closed, last (the highest fd of a table
 * grown to 1024) and beyond (fd 1024, past it).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "tool.h"
#include "helpers/ct-sock.skel.h"

static struct ct_sock_bpf *skel;

/* Pass fd to getsockname() and say what BPF saw. */
static int probe_fd(const char *kind, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	__u64 calls = skel->bss->seen_calls;
	struct stat st;
	long long ino = -1;

	getsockname(fd, (struct sockaddr *)&ss, &len);
	if (skel->bss->seen_calls != calls + 1) {
		fprintf(stderr, "ct-sock: %s: getsockname() not seen\n", kind);
		return 1;
	}
	if (!fstat(fd, &st))
		ino = st.st_ino;
	printf("%s fd=%d file=%s ino=%llu fstat_ino=%lld socket=%s sock=%s\n",
	       kind, fd, skel->bss->seen_file ? "yes" : "no",
	       (unsigned long long)skel->bss->seen_ino, ino,
	       skel->bss->seen_socket ? "yes" : "no",
	       skel->bss->seen_sock ? "yes" : "no");
	return 0;
}

static int unix_name_fd(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	return open(path, O_PATH);
}

static int fds(const char *file, const char *unix_path)
{
	int p[2], closed, err = 0;

	if (pipe(p))
		return 1;
	err |= probe_fd("file", open(file, O_RDONLY));
	err |= probe_fd("pipe", p[0]);
	err |= probe_fd("tcp", socket(AF_INET, SOCK_STREAM, 0));
	err |= probe_fd("unix-name", unix_name_fd(unix_path));
	if ((closed = dup(0)) < 0 || close(closed))
		return 1;
	err |= probe_fd("closed", closed);
	/* The table grows to 1024 entries: fd 1024 is past its end. */
	if (dup2(socket(AF_INET, SOCK_DGRAM, 0), 1023) != 1023)
		return 1;
	err |= probe_fd("last", 1023);
	err |= probe_fd("beyond", 1024);
	return err;
}

int main(int argc, char **argv)
{
	int err = 1;

	if (argc != 4 || strcmp(argv[1], "fds")) {
		fprintf(stderr, "usage: ct-sock fds FILE UNIX_PATH\n");
		return 2;
	}
	if (ct_setup())
		return 1;
	skel = ct_sock_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->self_tgid = getpid();
	if (!ct_load_and_attach(skel->skeleton)) {
		err = fds(argv[2], argv[3]);
		ct_detach();
	}
	ct_sock_bpf__destroy(skel);
	return err;
}
