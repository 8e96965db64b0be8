// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the ELF reader of the symbolizer (libelf under it): the input is
 * the file, as a traced process could map it. Whatever the headers say,
 * reading them must not crash, and the debug link it returns is a file
 * name (no slash) that fits its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_symtab syms = { 0 };
	struct ct_elf_info info;
	unsigned long vaddr;

	if (ct_elf_read_mem(data, size, &info, &syms) == 0) {
		if (strchr(info.debuglink, '/') ||
		    info.build_id_len > CT_ELF_BUILD_ID_MAX ||
		    info.n_loads > CT_ELF_MAX_LOADS)
			abort();
		ct_elf_offset_to_vaddr(&info, size / 2, &vaddr);
		for (size_t i = 0; i < syms.n; i++) {
			unsigned long off;

			ct_symtab_find(&syms, syms.e[i].addr, &off);
		}
	}
	ct_symtab_free(&syms);
	return 0;
}
