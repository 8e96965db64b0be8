// SPDX-License-Identifier: GPL-2.0
/*
 * profile's test program: a known call chain for the sampler to find.
 * Built with frame pointers and without optimization (no inlining, no
 * tail calls), so that every function keeps its frame.
 *
 *   ct-profile spin SECS [FILE]
 *                          main -> prof_a -> prof_b -> prof_spin, busy;
 *                          then the CPU time it used, in ms, into FILE
 *   ct-profile depths SECS
 *                          SECS busy in 32 call chains in turn, each a
 *                          frame deeper than the one before: 32 stacks
 *   ct-profile jit SECS [NAME]
 *                          spin 0.5 s as above (sampled before its perf
 *                          map exists, as a JIT starts), then SECS busy in
 *                          code it wrote to anonymous memory, named NAME
 *                          ("ct_jit_spin") in /tmp/perf-PID.map (removed
 *                          at exit), as a JIT does
 *   ct-profile build-id    print its build ID in hex, as debug files under
 *                          /usr/lib/debug/.build-id are named
 */
#include <elf.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The clock is read rarely: the samples land here, not in the vdso. */
__attribute__((noinline)) void prof_spin(double secs)
{
	double end = now() + secs;

	do {
		for (unsigned long i = 0; i < (1UL << 22); i++)
			sink += i;
	} while (now() < end);
}

__attribute__((noinline)) void prof_b(double secs)
{
	prof_spin(secs);
	sink++;
}

__attribute__((noinline)) void prof_a(double secs)
{
	prof_b(secs);
	sink++;
}

/* A chain depth frames deeper than its caller's: a stack per depth. */
__attribute__((noinline)) void prof_deep(int depth, double secs)
{
	if (depth > 0)
		prof_deep(depth - 1, secs);
	else
		prof_spin(secs);
	sink++;
}

/* Spins in 32 stacks in turn, each for 2 ms at a time. */
static void depths(double secs)
{
	double end = now() + secs;

	while (now() < end)
		for (int depth = 0; depth < 32; depth++)
			prof_deep(depth, 0.002);
}

static char perf_map[64];

static void jit_done(int sig)
{
	(void)sig;
	unlink(perf_map);
	_exit(0);
}

/* "pause; jmp back to it": spins until the alarm. */
static int jit(unsigned int secs, const char *name)
{
#if defined(__x86_64__)
	static const unsigned char code[] = { 0xf3, 0x90, 0xeb, 0xfc };
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FILE *f;

	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memcpy(p, code, sizeof(code));
	prof_a(0.5);
	snprintf(perf_map, sizeof(perf_map), "/tmp/perf-%d.map", getpid());
	f = fopen(perf_map, "w");
	if (!f) {
		perror(perf_map);
		return 1;
	}
	fprintf(f, "%lx %zx %s\n", (unsigned long)p, sizeof(code), name);
	fclose(f);
	signal(SIGALRM, jit_done);
	alarm(secs);
	((void (*)(void))p)();
	return 0;
#else
	(void)secs;
	(void)name;
	fprintf(stderr, "jit: x86_64 only\n");
	return 2;
#endif
}

static int write_cpu_ms(const char *path)
{
	struct rusage ru;
	FILE *f = fopen(path, "w");

	if (!f || getrusage(RUSAGE_SELF, &ru)) {
		perror(path);
		return 1;
	}
	fprintf(f, "%ld\n", (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000);
	return fclose(f) ? 1 : 0;
}

/* The NT_GNU_BUILD_ID note of the program's own PT_NOTE segments. */
static int print_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *end = p + ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			const unsigned char *desc =
				(const unsigned char *)(n + 1) +
				((n->n_namesz + 3) & ~3U);

			if (n->n_type == NT_GNU_BUILD_ID) {
				for (unsigned int k = 0; k < n->n_descsz; k++)
					printf("%02x", desc[k]);
				putchar('\n');
				return 1;
			}
			p = (const char *)desc + ((n->n_descsz + 3) & ~3U);
		}
	}
	return 1;	/* the program is the first object */
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "build-id")) {
		dl_iterate_phdr(print_build_id, NULL);
		return 0;
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "spin")) {
		prof_a(atof(argv[2]));
		return argc == 4 ? write_cpu_ms(argv[3]) : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "depths")) {
		depths(atof(argv[2]));
		return 0;
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "jit"))
		return jit(atoi(argv[2]), argc == 4 ? argv[3] : "ct_jit_spin");
	fprintf(stderr, "usage: ct-profile spin SECS [FILE] | "
		"depths SECS | jit SECS [NAME] | build-id\n");
	return 2;
}
