/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing one interval of the per-key histograms that a tool aggregates in
 * a BPF hash map: take them all out (the next interval starts from zero),
 * sort them by key, print each as text or JSON. The tool says only how its
 * keys look; a histogram tool's ct_tool points at its struct ct_hist_map,
 * and ct_main() prints it every interval.
 *
 * --fields and --csv for histograms (not implemented yet; see columns.h):
 * the key members would be columns, and CSV one record per bucket.
 */
#ifndef CT_HIST_MAP_H
#define CT_HIST_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "json.h"

struct ct_hist_map {
	const char *map;	/* the BPF hash map's name */
	size_t key_size;
	size_t value_size;
	size_t max_entries;
	size_t slots_off;	/* where the value's __u32 slots[] lie */
	int nslots;		/* log2 slots */
	const char *what;	/* what is counted: "I/Os" */
	const char *unit;	/* "usecs", "msecs" */
	bool timestamp;		/* -T: print HH:MM:SS before the text */
	bool keyed;		/* one histogram per key: keys are printed */
	/* Order of two keys, as for qsort. */
	int (*compare)(const void *key_a, const void *key_b);
	/* With keyed: the line naming the key, "pid = 12 bash\n". */
	void (*text_key)(const void *key, const void *value);
	/* With keyed: the key's members, after "time". */
	void (*json_key)(struct ct_json *j, const void *key, const void *value);
};

/* Print and clear one interval; returns 0 or an exit code. */
int ct_print_hist_map(const struct ct_hist_map *h, struct bpf_object *obj);

#endif
