// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/elf_symbols.c. The reference is the kernel's own view
 * of this test process: /proc/self/maps says at which file offset the code
 * of a function really lies, and which library file the dynamic loader
 * picked for it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "elf_symbols.h"

/* A function of this executable, for the PIE (or static) case. */
__attribute__((noinline, used)) int ct_test_anchor(int x)
{
	return x * 3 + 1;
}

struct mapping {
	char path[PATH_MAX];
	unsigned long offset;	/* file offset of addr */
};

/* Which file holds the code at addr, and where in it: from the kernel. */
static bool map_of(uintptr_t addr, struct mapping *m)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[PATH_MAX + 128];
	bool found = false;

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long start, end, off;
		int pos = 0;

		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %n", &start, &end,
			   &off, &pos) < 3 || addr < start || addr >= end)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(m->path, sizeof(m->path), "%s", line + pos);
		m->offset = addr - start + off;
		found = true;
	}
	fclose(f);
	return found;
}

static void self_exe(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	assert_true(n > 0);
	buf[n] = '\0';
}

static void same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	assert_int_equal(stat(a, &sa), 0);
	assert_int_equal(stat(b, &sb), 0);
	assert_true(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

static void test_offset_in_executable(void **state)
{
	struct mapping m;
	unsigned long off = 0;

	(void)state;
	assert_int_equal(ct_test_anchor(1), 4);
	assert_true(map_of((uintptr_t)ct_test_anchor, &m));
	assert_int_equal(ct_elf_func_offset(m.path, "ct_test_anchor", &off),
			 0);
	assert_int_equal(off, m.offset);
}

static void test_offset_in_library(void **state)
{
	struct mapping m;
	unsigned long off = 0;

	(void)state;
	/* In libelf.so, or in this executable when linked statically. */
	assert_true(map_of((uintptr_t)elf_begin, &m));
	assert_int_equal(ct_elf_func_offset(m.path, "elf_begin", &off), 0);
	assert_int_equal(off, m.offset);
}

/*
 * The offset of sym in path as its section headers tell it: a route
 * independent of the program headers that ct_elf_func_offset() takes.
 */
static unsigned long offset_by_sections(const char *path, const char *sym)
{
	int fd = open(path, O_RDONLY);
	Elf_Scn *scn = NULL;
	unsigned long off = 0;
	Elf *elf;

	assert_true(fd >= 0);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	while (!off && (scn = elf_nextscn(elf, scn))) {
		Elf_Data *data = elf_getdata(scn, NULL);
		GElf_Shdr sh, text;
		GElf_Sym s;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			if (!gelf_getsym(data, i, &s) ||
			    strcmp(elf_strptr(elf, sh.sh_link, s.st_name),
				   sym))
				continue;
			gelf_getshdr(elf_getscn(elf, s.st_shndx), &text);
			off = s.st_value - text.sh_addr + text.sh_offset;
			break;
		}
	}
	elf_end(elf);
	close(fd);
	return off;
}

/* A static, non-PIE executable: addresses are not file offsets there. */
static void test_offset_in_non_pie(void **state)
{
	const char *bin = getenv("CT_BIN");
	char path[PATH_MAX];
	unsigned long off = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/ct-trigger",
		 bin ? bin : "build/bin");
	if (access(path, R_OK))
		skip();		/* the helpers are not built */
	assert_int_equal(ct_elf_func_offset(path, "main", &off), 0);
	assert_int_equal(off, offset_by_sections(path, "main"));
}

static void test_errors(void **state)
{
	char exe[PATH_MAX], text[] = "/tmp/ct-elf-text-XXXXXX";
	unsigned long off = 0;
	int fd;

	(void)state;
	self_exe(exe, sizeof(exe));
	assert_int_equal(ct_elf_func_offset(exe, "no_such_function_here",
					    &off), -ESRCH);
	assert_int_equal(ct_elf_func_offset("/nonexistent/bin", "main",
					    &off), -ENOENT);
	fd = mkstemp(text);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\necho hi\n", 18), 18);
	close(fd);
	assert_int_equal(ct_elf_func_offset(text, "main", &off), -ENOEXEC);
	unlink(text);
	/* A variable is not a function. */
	assert_int_equal(ct_elf_func_offset(exe, "environ", &off), -ESRCH);
}

/* The same library file as the dynamic loader chose for this process. */
static void test_needed_provider_matches_loader(void **state)
{
	char exe[PATH_MAX], lib[PATH_MAX];
	struct mapping m;

	(void)state;
	self_exe(exe, sizeof(exe));
	assert_true(map_of((uintptr_t)elf_begin, &m));
	if (!strcmp(m.path, exe))
		skip();		/* a static build needs no library */
	assert_int_equal(ct_elf_needed_provider(exe, NULL, "elf_begin", lib,
						sizeof(lib)), 0);
	same_file(lib, m.path);
	assert_int_equal(ct_elf_needed_provider(exe, "", "ct_test_anchor",
						lib, sizeof(lib)), -ESRCH);
}

static void test_bash_readline(void **state)
{
	unsigned long rl = 0, teardown = 0;
	char lib[PATH_MAX];
	const char *file = "/bin/bash";
	struct stat st;

	(void)state;
	if (access(file, R_OK))
		skip();
	/* Debian links readline into bash; other distros use the .so. */
	if (ct_elf_func_offset(file, "readline", &rl) == -ESRCH) {
		assert_int_equal(ct_elf_needed_provider(file, NULL, "readline",
							lib, sizeof(lib)),
				 0);
		file = lib;
		assert_int_equal(ct_elf_func_offset(file, "readline", &rl), 0);
	}
	assert_int_equal(stat(file, &st), 0);
	assert_true(rl > 0 && rl < (unsigned long)st.st_size);
	if (!ct_elf_func_offset(file, "readline_internal_teardown",
				&teardown))
		assert_true(teardown != rl);
}

static void copy_file(const char *from, const char *to, long patch_at,
		      char patch)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	if (patch_at >= 0) {
		fseek(out, patch_at, SEEK_SET);
		fputc(patch, out);
	}
	fclose(in);
	fclose(out);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A program in a root directory of its own (as in a container): its
 * ld.so.conf includes a directory holding a non-ELF file and a 32-bit
 * file of the library's name, which must be passed over, then the real one.
 */
static void test_ld_so_conf_in_root(void **state)
{
	char root[] = "/tmp/ct-elf-root-XXXXXX", p[PATH_MAX], q[PATH_MAX];
	char exe[PATH_MAX], lib[PATH_MAX], want[PATH_MAX];
	struct mapping m;

	(void)state;
	self_exe(exe, sizeof(exe));
	assert_true(map_of((uintptr_t)elf_begin, &m));
	if (!strcmp(m.path, exe))
		skip();
	assert_non_null(mkdtemp(root));
	for (const char *d = "etc\0etc/ld.so.conf.d\0bin\0opt\0opt/text\0"
			     "opt/elf32\0opt/lib\0";
	     *d; d += strlen(d) + 1) {
		snprintf(p, sizeof(p), "%s/%s", root, d);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	snprintf(p, sizeof(p), "%s/etc/ld.so.conf", root);
	write_file(p, "# a comment\ninclude ld.so.conf.d/*.conf\n");
	snprintf(p, sizeof(p), "%s/etc/ld.so.conf.d/a.conf", root);
	write_file(p, "/nowhere\n/opt/text /opt/elf32 # two\n/opt/lib\n");
	snprintf(p, sizeof(p), "%s/opt/text/libelf.so.1", root);
	write_file(p, "not a library\n");
	snprintf(p, sizeof(p), "%s/opt/elf32/libelf.so.1", root);
	copy_file(m.path, p, 4, 1);	/* EI_CLASS = ELFCLASS32 */
	snprintf(want, sizeof(want), "%s/opt/lib/libelf.so.1", root);
	copy_file(m.path, want, -1, 0);
	snprintf(q, sizeof(q), "%s/bin/prog", root);
	copy_file(exe, q, -1, 0);

	assert_int_equal(ct_elf_find_library(q, root, "libelf.so.1", lib,
					     sizeof(lib)), 0);
	assert_string_equal(lib, want);
	assert_int_equal(ct_elf_needed_provider(q, root, "elf_begin", lib,
						sizeof(lib)), 0);
	assert_string_equal(lib, want);
	assert_int_equal(ct_elf_find_library(q, root, "libnothing.so.7", lib,
					     sizeof(lib)), -ENOENT);
	/* Too small a buffer is not a match. */
	assert_int_not_equal(ct_elf_find_library(q, root, "libelf.so.1", lib,
						 8), 0);

	snprintf(p, sizeof(p), "rm -rf '%s'", root);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_in_executable),
		cmocka_unit_test(test_offset_in_library),
		cmocka_unit_test(test_offset_in_non_pie),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_needed_provider_matches_loader),
		cmocka_unit_test(test_bash_readline),
		cmocka_unit_test(test_ld_so_conf_in_root),
	};

	return cmocka_run_group_tests_name("elf_symbols", tests, NULL, NULL);
}
