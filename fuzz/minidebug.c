// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the MiniDebugInfo reader: xz decompression with its cap, and the
 * inner ELF file's symbols. The first byte chooses what the rest is:
 * even, the inner ELF file (compressed here, so that mutations reach its
 * parser past xz's checksums); odd, the .gnu_debugdata section's bytes,
 * an xz stream as a traced process's file could hold. Whatever they say,
 * reading must not crash, nor return more than the cap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_build.h"
#include "elf_symbols.h"
#include "xz.h"

/* Small enough that a fuzzer's bombs go over it in no time. */
#define FUZZ_MAX (1UL << 20)

static void check_xz(const uint8_t *data, size_t size)
{
	size_t out_len;
	void *out;

	if (ct_xz_decompress(data, size, FUZZ_MAX, &out, &out_len))
		return;
	if (!out_len || out_len > FUZZ_MAX)
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_symtab syms = { 0 };
	unsigned char *xz = NULL, *elf;
	size_t xz_len, elf_len;
	int err;

	if (!size)
		return 0;
	if (data[0] & 1) {
		check_xz(data + 1, size - 1);
		elf = eb_minidebug(data + 1, size - 1, EM_X86_64, &elf_len);
	} else {
		xz = eb_xz(data + 1, size - 1, &xz_len);
		elf = eb_minidebug(xz, xz_len, EM_X86_64, &elf_len);
	}
	err = ct_elf_read_minidebug_mem(elf, elf_len, &syms);
	if (err && syms.n)
		abort();
	for (size_t i = 0; i < syms.n; i++) {
		unsigned long off;

		ct_symtab_find(&syms, syms.e[i].addr, &off);
	}
	ct_symtab_free(&syms);
	free(elf);
	free(xz);
	return 0;
}
