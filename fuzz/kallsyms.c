// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the kallsyms reader: the input is the file. Every lookup, wherever
 * it lands, gives a name inside the table or none, and an offset that
 * stays below the distance to the next symbol.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct ct_ksyms *ks;

	if (!f)
		return 0;
	ks = ct_ksyms_parse(f);
	fclose(f);
	if (!ks)
		return 0;
	for (size_t i = 0; i + sizeof(unsigned long) <= size && i < 64; i++) {
		struct ct_ksym s;
		unsigned long addr;

		memcpy(&addr, data + i, sizeof(addr));
		if (ct_ksyms_find(ks, addr, &s))
			continue;
		if (s.name_len > strlen(s.name) || !s.name_len)
			abort();
	}
	ct_ksyms_free(ks);
	return 0;
}
