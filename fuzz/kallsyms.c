// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the kallsyms readers: the input is the file. Every lookup, wherever
 * it lands, gives a name inside the table or none, and an offset that
 * stays below the distance to the next symbol. The one-pass readers
 * agree with the table: a function found by name is one of its
 * functions, ending above its start; shown addresses are not all zero.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

/* Look name up in one pass over the input; check it against ks. */
static void scan_name(const uint8_t *data, size_t size,
		      const struct ct_ksyms *ks, const char *name)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct ct_ksym_range r;
	struct ct_ksym s;
	int err;

	if (!f)
		return;
	err = ct_ksyms_scan_name(f, name, &r);
	fclose(f);
	if (err && (r.start || r.end))
		abort();
	if (err)
		return;
	if (!r.start || r.end <= r.start || ct_ksyms_restricted(ks) ||
	    ct_ksyms_find(ks, r.start, &s))
		abort();
}

static void scan_agrees(const uint8_t *data, size_t size,
			const struct ct_ksyms *ks)
{
	FILE *f = fmemopen((void *)data, size, "r");
	char name[64];
	struct ct_ksym s;
	unsigned long addr;

	if (!f)
		return;
	if (ct_ksyms_scan_shown(f) && ct_ksyms_restricted(ks))
		abort();
	fclose(f);
	scan_name(data, size, ks, "schedule");
	/* A name the table has: the first function its bytes land in. */
	if (size < sizeof(addr))
		return;
	memcpy(&addr, data, sizeof(addr));
	if (ct_ksyms_find(ks, addr, &s) || s.name_len >= sizeof(name))
		return;
	memcpy(name, s.name, s.name_len);
	name[s.name_len] = '\0';
	scan_name(data, size, ks, name);
}

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
	scan_agrees(data, size, ks);
	ct_ksyms_free(ks);
	return 0;
}
