// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the readers of files a traced process controls: its perf map
 * (/tmp/perf-PID.map) and, line by line, /proc/PID/maps as parsed.
 * Lookups in the table read must land in an entry's range.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symtab.h"
#include "usyms.h"

static void maps_lines(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *line, *save = NULL;

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct ct_maps_line m;

		if (!ct_maps_parse_line(line, &m) &&
		    (m.end < m.start || !m.path))
			abort();
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct ct_symtab t = { 0 };

	maps_lines(data, size);
	if (!f)
		return 0;
	ct_perf_map_read(f, &t);
	fclose(f);
	for (size_t i = 0; i < t.n; i++) {
		unsigned long off, a = t.e[i].addr + t.e[i].size / 2;

		if (ct_symtab_find(&t, a, &off) && off > a)
			abort();
	}
	ct_symtab_free(&t);
	return 0;
}
