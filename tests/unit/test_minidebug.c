// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of MiniDebugInfo reading: common/xz.c and the .gnu_debugdata
 * path of common/elf_symbols.c, on ELF files and xz streams made here
 * (tests/unit/elf_build.h): intact ones, and truncated, corrupt, lying,
 * oversized ones and garbage, as a traced process's files may be.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "elf_build.h"
#include "elf_symbols.h"
#include "xz.h"

#define FUNC_INFO ELF64_ST_INFO(STB_GLOBAL, STT_FUNC)

/* ASan reserves the address space that RLIMIT_AS would limit. */
#ifdef __SANITIZE_ADDRESS__
#define UNDER_ASAN 1
#else
#define UNDER_ASAN 0
#endif

static const char strtab[] = "\0mini_fn\0mini_obj\0mini_undef";

static const Elf64_Sym symbols[] = {
	{ 0 },
	{ .st_name = 1, .st_info = FUNC_INFO, .st_shndx = 1,
	  .st_value = 0x1000, .st_size = 0x40 },
	{ .st_name = 9, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
	  .st_shndx = 1, .st_value = 0x2000, .st_size = 8 },
	{ .st_name = 18, .st_info = FUNC_INFO, .st_shndx = SHN_UNDEF },
};

/* An inner ELF file as MiniDebugInfo has: symbols in section type. */
static unsigned char *inner_elf(uint32_t type, uint16_t machine,
				size_t *len)
{
	const struct eb_sec secs[] = {
		{ ".symtab", type, symbols, sizeof(symbols), 2,
		  sizeof(Elf64_Sym) },
		{ ".strtab", SHT_STRTAB, strtab, sizeof(strtab), 0, 0 },
	};

	return eb_elf(secs, 2, machine, len);
}

/* An outer ELF file whose MiniDebugInfo is inner (len bytes). */
static unsigned char *with_minidebug(const void *inner, size_t len,
				     size_t *out_len)
{
	size_t xz_len;
	unsigned char *xz = eb_xz(inner, len, &xz_len);
	unsigned char *elf = eb_minidebug(xz, xz_len, EM_X86_64, out_len);

	free(xz);
	return elf;
}

/* n zero bytes, xz-compressed: a decompression bomb. */
static unsigned char *xz_zeros(size_t n, size_t *len)
{
	static const uint8_t zeros[1 << 20];
	lzma_stream s = LZMA_STREAM_INIT;
	size_t cap = 1 << 20;
	unsigned char *out = malloc(cap);
	lzma_ret ret = LZMA_OK;

	assert_non_null(out);
	assert_int_equal(lzma_easy_encoder(&s, 0, LZMA_CHECK_CRC64), LZMA_OK);
	s.next_out = out;
	s.avail_out = cap;
	while (ret == LZMA_OK) {
		if (!s.avail_in && n) {
			s.next_in = zeros;
			s.avail_in = n < sizeof(zeros) ? n : sizeof(zeros);
			n -= s.avail_in;
		}
		ret = lzma_code(&s, n || s.avail_in ? LZMA_RUN : LZMA_FINISH);
		assert_true(s.avail_out > 0);	/* zeros compress well */
	}
	assert_int_equal(ret, LZMA_STREAM_END);
	*len = s.total_out;
	lzma_end(&s);
	return out;
}

static void test_xz_round_trip(void **state)
{
	static const char text[] = "MiniDebugInfo MiniDebugInfo";
	size_t len, out_len;
	unsigned char *xz = eb_xz(text, sizeof(text), &len);
	void *out;

	(void)state;
	assert_int_equal(ct_xz_decompress(xz, len, sizeof(text), &out,
					  &out_len), 0);
	assert_int_equal(out_len, sizeof(text));
	assert_memory_equal(out, text, sizeof(text));
	free(out);
	/* One byte over the cap is refused. */
	assert_int_equal(ct_xz_decompress(xz, len, sizeof(text) - 1, &out,
					  &out_len), -EFBIG);
	free(xz);
}

static void test_xz_truncated(void **state)
{
	static const char text[] = "a stream cut short, at every length";
	size_t len, out_len;
	unsigned char *xz = eb_xz(text, sizeof(text), &len);
	void *out = NULL;

	(void)state;
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(ct_xz_decompress(xz, cut, 1 << 20, &out,
						  &out_len), -EINVAL);
	assert_null(out);
	free(xz);
}

static void test_xz_corrupt(void **state)
{
	static const char text[] = "every byte of this stream is checked";
	size_t len, out_len;
	unsigned char *xz = eb_xz(text, sizeof(text), &len);
	unsigned char *longer = malloc(len + 4);
	void *out = NULL;

	(void)state;
	for (size_t i = 0; i < len; i++) {
		xz[i] ^= 0x20;
		assert_int_not_equal(ct_xz_decompress(xz, len, 1 << 20, &out,
						      &out_len), 0);
		xz[i] ^= 0x20;
	}
	assert_null(out);
	/* Bytes after the stream, even stream padding: not one stream. */
	assert_non_null(longer);
	memcpy(longer, xz, len);
	memset(longer + len, 0, 4);
	assert_int_equal(ct_xz_decompress(longer, len + 4, 1 << 20, &out,
					  &out_len), -EINVAL);
	free(longer);
	free(xz);
}

/*
 * Run fn in a child whose address space may grow by 16 MiB only: its exit
 * status. A decompressor that allocated what a bomb holds would fail there
 * with -ENOMEM.
 */
static int limited(int (*fn)(const void *, size_t), const void *arg,
		   size_t len)
{
	long pages = 0;
	FILE *f;
	int status;
	pid_t pid;

	f = fopen("/proc/self/statm", "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld", &pages), 1);
	fclose(f);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct rlimit rl;

		rl.rlim_cur = rl.rlim_max = pages * sysconf(_SC_PAGESIZE) +
					    (16 << 20);
		if (setrlimit(RLIMIT_AS, &rl))
			_exit(99);
		_exit(fn(arg, len));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int decompress_capped(const void *xz, size_t len)
{
	size_t out_len;
	void *out;

	return -ct_xz_decompress(xz, len, CT_MINIDEBUG_MAX, &out, &out_len);
}

static int decompress_uncapped(const void *xz, size_t len)
{
	size_t out_len;
	void *out;

	return -ct_xz_decompress(xz, len, SIZE_MAX, &out, &out_len);
}

static void test_xz_bomb(void **state)
{
	struct ct_symtab syms = { 0 };
	size_t len, elf_len;
	unsigned char *xz = xz_zeros(CT_MINIDEBUG_MAX + 1, &len);
	unsigned char *elf = eb_minidebug(xz, len, EM_X86_64, &elf_len);

	(void)state;
	assert_true(len < 64 << 10);
	assert_int_equal(ct_elf_read_minidebug_mem(elf, elf_len, &syms),
			 -EFBIG);
	assert_int_equal(syms.n, 0);
	assert_int_equal(decompress_capped(xz, len), EFBIG);
	free(elf);
	free(xz);
}

/* A bomb is refused before its size is allocated, not after. */
static void test_xz_bomb_unallocated(void **state)
{
	unsigned char *xz;
	size_t len;

	(void)state;
	if (UNDER_ASAN)
		skip();
	xz = xz_zeros(CT_MINIDEBUG_MAX + 1, &len);
	assert_int_equal(limited(decompress_capped, xz, len), EFBIG);
	/* Where it would have been allocated, that fails. */
	assert_int_equal(limited(decompress_uncapped, xz, len), ENOMEM);
	free(xz);
}

/*
 * Two streams: the last one's index says 100 bytes; the first holds 48
 * MiB. The output buffer is the size declared: it cannot grow to the rest.
 */
static void test_xz_lying_size(void **state)
{
	size_t big_len, small_len;
	unsigned char *big = xz_zeros(48 << 20, &big_len);
	unsigned char *small = xz_zeros(100, &small_len);
	unsigned char *both = malloc(big_len + small_len);

	(void)state;
	assert_non_null(both);
	memcpy(both, big, big_len);
	memcpy(both + big_len, small, small_len);
	if (UNDER_ASAN)
		assert_int_equal(decompress_capped(both, big_len + small_len),
				 EINVAL);
	else
		assert_int_equal(limited(decompress_capped, both,
					 big_len + small_len), EINVAL);
	free(both);
	free(small);
	free(big);
}

static void test_minidebug_functions(void **state)
{
	struct ct_symtab syms = { 0 };
	struct ct_elf_info info;
	size_t inner_len, len;
	unsigned char *inner = inner_elf(SHT_SYMTAB, EM_X86_64, &inner_len);
	unsigned char *elf = with_minidebug(inner, inner_len, &len);
	unsigned long off;

	(void)state;
	assert_int_equal(ct_elf_read_mem(elf, len, &info, NULL), 0);
	assert_true(info.has_minidebug);
	assert_false(info.has_symtab);
	assert_int_equal(ct_elf_read_minidebug_mem(elf, len, &syms), 0);
	/* The defined function only: not the object, not the undefined. */
	assert_int_equal(syms.n, 1);
	assert_string_equal(ct_symtab_find(&syms, 0x1010, &off), "mini_fn");
	assert_int_equal(off, 0x10);
	assert_null(ct_symtab_find(&syms, 0x1040, &off));
	ct_symtab_free(&syms);
	free(elf);
	/* The inner file itself has no MiniDebugInfo. */
	assert_int_equal(ct_elf_read_mem(inner, inner_len, &info, NULL), 0);
	assert_false(info.has_minidebug);
	assert_int_equal(ct_elf_read_minidebug_mem(inner, inner_len, &syms),
			 -ENOENT);
	free(inner);
}

/* The MiniDebugInfo of an outer file is inner: what reading it returns. */
static int read_inner(const void *inner, size_t inner_len,
		      struct ct_symtab *syms)
{
	size_t len;
	unsigned char *elf = with_minidebug(inner, inner_len, &len);
	int err = ct_elf_read_minidebug_mem(elf, len, syms);

	free(elf);
	return err;
}

static void test_minidebug_garbage(void **state)
{
	static const char text[] = "not an ELF file, though xz is intact";
	struct ct_symtab syms = { 0 };
	unsigned char *inner, noise[4096];
	size_t len;

	(void)state;
	assert_int_equal(read_inner(text, sizeof(text), &syms), -ENOEXEC);
	/* Only a .dynsym, or another machine's: not the file's functions. */
	inner = inner_elf(SHT_DYNSYM, EM_X86_64, &len);
	assert_int_equal(read_inner(inner, len, &syms), -ENOEXEC);
	free(inner);
	inner = inner_elf(SHT_SYMTAB, EM_AARCH64, &len);
	assert_int_equal(read_inner(inner, len, &syms), -ENOEXEC);
	free(inner);
	/* Headers that point past the end, or anywhere. */
	inner = inner_elf(SHT_SYMTAB, EM_X86_64, &len);
	for (size_t cut = 0; cut < len; cut += 7)
		read_inner(inner, cut, &syms);
	srandom(20);
	for (int round = 0; round < 200; round++) {
		size_t at = sizeof(Elf64_Ehdr) + random() % (len -
							   sizeof(Elf64_Ehdr));
		unsigned char *copy = malloc(len);

		assert_non_null(copy);
		memcpy(copy, inner, len);
		copy[at] = random();
		read_inner(copy, len, &syms);
		free(copy);
	}
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = random();
	memcpy(noise, inner, sizeof(Elf64_Ehdr));
	read_inner(noise, sizeof(noise), &syms);
	free(inner);
	ct_symtab_free(&syms);
}

static void test_minidebug_broken_xz(void **state)
{
	struct ct_symtab syms = { 0 };
	size_t inner_len, xz_len, len;
	unsigned char *inner = inner_elf(SHT_SYMTAB, EM_X86_64, &inner_len);
	unsigned char *xz = eb_xz(inner, inner_len, &xz_len);
	unsigned char *elf;

	(void)state;
	elf = eb_minidebug(xz, xz_len / 2, EM_X86_64, &len);
	assert_int_equal(ct_elf_read_minidebug_mem(elf, len, &syms), -EINVAL);
	free(elf);
	xz[xz_len / 2] ^= 0xff;
	elf = eb_minidebug(xz, xz_len, EM_X86_64, &len);
	assert_int_equal(ct_elf_read_minidebug_mem(elf, len, &syms), -EINVAL);
	assert_int_equal(syms.n, 0);
	free(elf);
	free(xz);
	free(inner);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xz_round_trip),
		cmocka_unit_test(test_xz_truncated),
		cmocka_unit_test(test_xz_corrupt),
		cmocka_unit_test(test_xz_bomb),
		cmocka_unit_test(test_xz_bomb_unallocated),
		cmocka_unit_test(test_xz_lying_size),
		cmocka_unit_test(test_minidebug_functions),
		cmocka_unit_test(test_minidebug_garbage),
		cmocka_unit_test(test_minidebug_broken_xz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
