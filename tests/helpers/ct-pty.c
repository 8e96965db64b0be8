// SPDX-License-Identifier: GPL-2.0
/*
 * ct-pty: run a program on a pseudo-terminal and type into it, as a person
 * would: wait for the prompt, type the next input, and so on.
 *
 *   ct-pty [-g GOFILE] [-o TRANSCRIPT] PROMPT INPUT... -- CMD [ARG...]
 *
 * Prints the program's PID on stdout first. With -g, waits until GOFILE
 * exists before typing (so a test can learn the PID, then start a tracer).
 * Each INPUT is typed once PROMPT has appeared since the last one; inputs
 * are bytes as given (use "\r" for Enter, "\026" for Ctrl-V). Exits with
 * the program's status, or 124 if it hangs for 10 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 10000

static pid_t child;
static FILE *transcript;

static void die(const char *what)
{
	fprintf(stderr, "ct-pty: %s: %s\n", what, strerror(errno));
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void timeout(const char *waiting_for)
{
	fprintf(stderr, "ct-pty: timed out waiting for %s\n", waiting_for);
	kill(child, SIGKILL);
	exit(124);
}

/* Start argv on a new terminal; returns the master side. */
static int spawn(char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 200 };
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0 || grantpt(master) || unlockpt(master))
		die("posix_openpt");
	ioctl(master, TIOCSWINSZ, &ws);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		int slave;

		setsid();
		slave = open(ptsname(master), O_RDWR);
		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0))
			_exit(126);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		execvp(argv[0], argv);
		_exit(127);
	}
	return master;
}

/*
 * Read what the program writes until want appears in it (want NULL: until
 * it closes the terminal). Returns 0, or -1 at end of output.
 */
static int read_until(int master, const char *want)
{
	static char seen[65536];
	size_t len = 0;
	long deadline = now_ms() + TIMEOUT_MS;

	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0)
			timeout(want ? want : "the end of output");
		if (poll(&p, 1, left) <= 0)
			continue;
		n = read(master, seen + len, sizeof(seen) - 1 - len);
		if (n <= 0)
			return -1;	/* EIO: the program closed the tty */
		if (transcript)
			fwrite(seen + len, 1, n, transcript);
		len += n;
		seen[len] = '\0';
		if (want && strstr(seen, want))
			return 0;
		/* Keep the tail, where a prompt split across reads lies. */
		if (len > sizeof(seen) / 2) {
			memmove(seen, seen + len - 1024, 1024);
			len = 1024;
		}
	}
}

static void wait_for_file(const char *path)
{
	long deadline = now_ms() + TIMEOUT_MS;
	struct stat st;

	while (stat(path, &st)) {
		if (now_ms() > deadline)
			timeout(path);
		usleep(10000);
	}
}

int main(int argc, char **argv)
{
	const char *go = NULL, *prompt;
	int opt, master, first, cmd, status;

	while ((opt = getopt(argc, argv, "+g:o:")) != -1) {
		if (opt == 'g') {
			go = optarg;
		} else if (opt == 'o') {
			transcript = fopen(optarg, "w");
			if (!transcript)
				die(optarg);
		} else {
			return 2;
		}
	}
	for (cmd = optind; cmd < argc && strcmp(argv[cmd], "--"); cmd++)
		;
	if (cmd >= argc - 1 || optind >= cmd) {
		fprintf(stderr, "usage: ct-pty [-g GOFILE] [-o TRANSCRIPT] "
			"PROMPT INPUT... -- CMD [ARG...]\n");
		return 2;
	}
	prompt = argv[optind];
	first = optind + 1;
	master = spawn(argv + cmd + 1);
	printf("%d\n", (int)child);
	fflush(stdout);
	if (go)
		wait_for_file(go);
	for (int i = first; i < cmd; i++) {
		if (read_until(master, prompt))
			break;
		if (write(master, argv[i], strlen(argv[i])) < 0)
			die("write");
	}
	while (read_until(master, NULL) == 0)
		;
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	if (transcript)
		fclose(transcript);
	return WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status);
}
