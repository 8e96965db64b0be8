/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing one interval of the per-key histograms that a tool aggregates in
 * a BPF hash map: take them all out (the next interval starts from zero),
 * sort them by key, print each as text or JSON.
 */
#ifndef CT_HIST_MAP_H
#define CT_HIST_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

struct ct_hist_map {
	struct bpf_object *obj;	/* for its ct_missed counter */
	int fd;			/* the hash map */
	size_t key_size;
	size_t value_size;
	size_t max_entries;
	const char *what;	/* what is counted: "I/Os" */
	bool timestamp;		/* -T: print HH:MM:SS before the text */
	/* Order of two keys, as for qsort. */
	int (*compare)(const void *key_a, const void *key_b);
	/* first: the first histogram of this interval. */
	void (*print_text)(const void *key, const void *value, bool first);
	/* now: when the interval ended, bpf_ktime_get_ns() clock. */
	void (*print_json)(const void *key, const void *value, __u64 now);
};

/* Print and clear one interval; returns 0 or an exit code. */
int ct_print_hist_map(const struct ct_hist_map *h);

#endif
