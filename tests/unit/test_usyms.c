// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/usyms.c and symtab.c: /proc/PID/maps lines, perf
 * maps, symbol bounds, and this test process resolving its own functions
 * (the reference: their addresses as the compiler knows them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "elf_symbols.h"
#include "symtab.h"
#include "usyms.h"

__attribute__((noinline, used)) int ct_usyms_anchor(int x)
{
	return x * 7 + 3;
}

static void test_maps_line(void **state)
{
	char l1[] = "7f12a000-7f12b000 r-xp 00001000 fd:01 1234567  "
		    "   /usr/lib/x86_64-linux-gnu/libc.so.6";
	char l2[] = "7ffd1000-7ffd3000 r-xp 00000000 00:00 0  [vdso]";
	char l3[] = "00400000-00401000 rw-p 00000000 00:00 0";
	char l4[] = "7f00-7e00 r-xp 0 00:00 0 /x";
	char l5[] = "7f00-7f10 r-xp 0 00:00";
	char l6[] = "7f00-7f10 r-xp 0 00:00 0 /a b (deleted)";
	struct ct_maps_line m;

	(void)state;
	assert_int_equal(ct_maps_parse_line(l1, &m), 0);
	assert_int_equal(m.start, 0x7f12a000);
	assert_int_equal(m.end, 0x7f12b000);
	assert_int_equal(m.pgoff, 0x1000);
	assert_int_equal(m.major, 0xfd);
	assert_int_equal(m.minor, 1);
	assert_int_equal(m.inode, 1234567);
	assert_true(m.exec);
	assert_string_equal(m.path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(ct_maps_parse_line(l2, &m), 0);
	assert_string_equal(m.path, "[vdso]");
	assert_int_equal(ct_maps_parse_line(l3, &m), 0);
	assert_false(m.exec);
	assert_string_equal(m.path, "");
	assert_int_equal(ct_maps_parse_line(l4, &m), -EINVAL);
	assert_int_equal(ct_maps_parse_line(l5, &m), -EINVAL);
	assert_int_equal(ct_maps_parse_line(l6, &m), 0);
	assert_string_equal(m.path, "/a b (deleted)");
}

static void test_symtab_bounds(void **state)
{
	struct ct_symtab t = { 0 };
	unsigned long off;

	(void)state;
	assert_int_equal(ct_symtab_add(&t, 0x2000, 0x100, "b", 1), 0);
	assert_int_equal(ct_symtab_add(&t, 0x1000, 0, "a", 1), 0);
	assert_int_equal(ct_symtab_add(&t, 0x3000, 0, "c", 1), 0);
	assert_int_equal(ct_symtab_add(&t, 0x4000, 0x10, "d", 1), 0);
	assert_string_equal(ct_symtab_find(&t, 0x1fff, &off), "a");
	assert_int_equal(off, 0xfff);
	assert_string_equal(ct_symtab_find(&t, 0x20ff, &off), "b");
	/* Past a sized symbol's end: none, not the one before. */
	assert_null(ct_symtab_find(&t, 0x2100, &off));
	assert_null(ct_symtab_find(&t, 0xfff, &off));
	assert_string_equal(ct_symtab_find(&t, 0x3fff, &off), "c");
	assert_null(ct_symtab_find(&t, 0x4010, &off));
	ct_symtab_free(&t);
}

/* Elements of another layout than the symtab's: the address not first. */
struct floor_ent {
	int tag;
	unsigned long addr;
};

static long floor_in(const struct floor_ent *e, size_t n, unsigned long a)
{
	return ct_addr_floor(e, n, sizeof(*e), offsetof(struct floor_ent, addr),
			     a);
}

static void test_addr_floor(void **state)
{
	static const struct floor_ent e[] = {
		{ 0, 0x10 }, { 1, 0x20 }, { 2, 0x20 }, { 3, 0x20 }, { 4, 0x30 },
	};
	size_t n = sizeof(e) / sizeof(e[0]);

	(void)state;
	assert_int_equal(floor_in(e, 0, 0x20), -1);
	assert_int_equal(floor_in(e, n, 0xf), -1);
	assert_int_equal(floor_in(e, n, 0x10), 0);
	assert_int_equal(floor_in(e, n, 0x1f), 0);
	/* The first of the ties, wherever the search lands among them. */
	assert_int_equal(floor_in(e, n, 0x20), 1);
	assert_int_equal(floor_in(e, n, 0x2f), 1);
	assert_int_equal(floor_in(e, 4, 0x2f), 1);
	assert_int_equal(floor_in(e, n, 0x30), 4);
	assert_int_equal(floor_in(e, n, ~0UL), 4);
}

static void test_perf_map(void **state)
{
	static const char text[] =
		"7f0000001000 40 jit_compiled_a\n"
		"0x7f0000002000 0x20 LazyCompile:*b /tmp/x.js:1\n"
		"7f0000003000 0 zero_size\n"
		"zz 10 bad\n"
		"7f0000004000 10\n"
		"ffffffffffffffff 10 wraps\n"
		"7f0000005000 8 last";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct ct_symtab t = { 0 };
	unsigned long off;

	(void)state;
	assert_int_equal(ct_perf_map_read(f, &t), 0);
	fclose(f);
	assert_int_equal(t.n, 3);
	assert_string_equal(ct_symtab_find(&t, 0x7f000000103f, &off),
			    "jit_compiled_a");
	assert_int_equal(off, 0x3f);
	assert_null(ct_symtab_find(&t, 0x7f0000001040, &off));
	assert_string_equal(ct_symtab_find(&t, 0x7f0000002001, &off),
			    "LazyCompile:*b /tmp/x.js:1");
	assert_string_equal(ct_symtab_find(&t, 0x7f0000005007, &off),
			    "last");
	ct_symtab_free(&t);
}

static void test_self(void **state)
{
	struct ct_usyms *u = ct_usyms_new();
	unsigned long addr = (unsigned long)ct_usyms_anchor + 2;
	struct ct_usym s;

	(void)state;
	assert_non_null(u);
	assert_int_equal(ct_usyms_snapshot(u, getpid(), 1), 0);
	assert_int_equal(ct_usyms_find(u, getpid(), 1, addr, &s), 0);
	assert_string_equal(s.name, "ct_usyms_anchor");
	assert_int_equal(s.offset, 2);
	assert_non_null(strstr(s.dso, "test_usyms"));
	/* Another life of the pid is another snapshot, taken on demand. */
	assert_int_equal(ct_usyms_find(u, getpid(), 2, addr, &s), 0);
	assert_string_equal(s.name, "ct_usyms_anchor");
	/* Not mapped at all, and no perf map: nothing. */
	assert_int_equal(ct_usyms_find(u, getpid(), 1, 16, &s), -ENOENT);
	assert_int_equal(ct_usyms_snapshot(u, 0x7ffffff0, 1), -ENOENT);
	ct_usyms_free(u);
}

/* Where the code at addr lies in the file /proc/self/exe. */
static unsigned long exe_offset(unsigned long addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	unsigned long off = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct ct_maps_line m;

		line[strcspn(line, "\n")] = '\0';
		if (!ct_maps_parse_line(line, &m) && addr >= m.start &&
		    addr < m.end)
			off = addr - m.start + m.pgoff;
	}
	fclose(f);
	assert_true(off != 0);
	return off;
}

/* Code mapped after the snapshot is found: the mappings are read again. */
static void test_mapped_later(void **state)
{
	unsigned long anchor = (unsigned long)ct_usyms_anchor;
	unsigned long off = exe_offset(anchor), page = off & ~4095UL;
	struct ct_usyms *u = ct_usyms_new();
	int fd = open("/proc/self/exe", O_RDONLY);
	struct ct_usym s, first;
	char *p;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ct_usyms_snapshot(u, getpid(), 1), 0);
	assert_int_equal(ct_usyms_find(u, getpid(), 1, anchor, &first), 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, page);
	assert_true(p != MAP_FAILED);
	assert_int_equal(ct_usyms_find(u, getpid(), 1,
				       (unsigned long)p + (off - page), &s), 0);
	assert_non_null(s.name);
	assert_string_equal(s.name, "ct_usyms_anchor");
	/* What the first lookup gave still holds after the new read. */
	assert_non_null(strstr(first.dso, "test_usyms"));
	assert_string_equal(first.name, "ct_usyms_anchor");
	munmap(p, 4096);
	close(fd);
	ct_usyms_free(u);
}

/* Is process pid a zombie (exited, not yet waited for)? */
static bool zombie(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

/*
 * A process that has exited but is not waited for has no mappings left:
 * reading them again then must not lose those read while it ran.
 */
static void test_zombie(void **state)
{
	unsigned long anchor = (unsigned long)ct_usyms_anchor;
	struct ct_usyms *u = ct_usyms_new();
	int go[2], tries = 0;
	struct ct_usym s;
	pid_t child;
	char c = 0;

	(void)state;
	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(ct_usyms_snapshot(u, child, 1), 0);
	assert_int_equal(write(go[1], &c, 1), 1);
	while (!zombie(child) && tries++ < 1000)
		usleep(1000);
	assert_true(zombie(child));
	/* In no mapping: read again, and the zombie has none. */
	assert_int_equal(ct_usyms_find(u, child, 1, 16, &s), -ENOENT);
	assert_int_equal(ct_usyms_find(u, child, 1, anchor, &s), 0);
	assert_non_null(s.name);
	assert_string_equal(s.name, "ct_usyms_anchor");
	waitpid(child, NULL, 0);
	close(go[0]);
	close(go[1]);
	ct_usyms_free(u);
}

/*
 * The vdso's functions, by the addresses the kernel mapped them at (its two
 * pages on x86_64 and arm64).
 */
static void test_vdso(void **state)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR), off;
	struct ct_symtab syms = { 0 };
	struct ct_elf_info info;
	struct ct_usyms *u;
	struct ct_usym s;

	(void)state;
	if (!base)
		skip();
	assert_int_equal(ct_elf_read_mem((void *)base, 8192, &info, &syms),
			 0);
	for (off = 0; off < syms.n; off++)
		if (strstr(syms.strs + syms.e[off].name, "clock_gettime"))
			break;
	assert_true(off < syms.n);
	u = ct_usyms_new();
	assert_int_equal(ct_usyms_find(u, getpid(), 1,
				       base + syms.e[off].addr -
				       info.loads[0].vaddr + 1, &s), 0);
	assert_non_null(s.name);
	assert_non_null(strstr(s.name, "clock_gettime"));
	assert_string_equal(s.dso, "[vdso]");
	ct_usyms_free(u);
	ct_symtab_free(&syms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_line),
		cmocka_unit_test(test_symtab_bounds),
		cmocka_unit_test(test_addr_floor),
		cmocka_unit_test(test_perf_map),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_vdso),
		cmocka_unit_test(test_mapped_later),
		cmocka_unit_test(test_zombie),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
