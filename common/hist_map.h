/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing one interval of the per-key histograms that a tool aggregates in
 * a BPF hash map: take them all out (the next interval starts from zero),
 * sort them by key, print each as text or JSON. The tool says only how its
 * keys look; a histogram tool's ct_tool points at its struct ct_hist_map,
 * and ct_main() prints it every interval.
 *
 * --csv: one record per bucket, the histogram's key columns (the tool's
 * fill_row) then unit, total, low, high, count; --fields chooses the CSV
 * columns only (struct ct_fields' csv_only): text and JSON keep their
 * layout of one histogram each.
 */
#ifndef CT_HIST_MAP_H
#define CT_HIST_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "columns.h"
#include "json.h"

/* A histogram tool's row for --csv starts with this: one bucket. */
struct ct_hist_row {
	__u64 ts;		/* when the interval ended */
	struct ct_str unit;
	__u64 total;		/* the histogram's */
	__u64 low;
	__u64 high;
	__u64 count;
};

/* Its columns after the key's, over member m of row struct type. */
#define CT_HIST_COLUMNS(type, m)                                             \
	{ "unit", "UNIT", "usecs or msecs (-m)", -5, CT_COL_STR,             \
	  CT_AT(type, m.unit), NULL },                                       \
	CT_HIST_VALUE_COLUMNS(type, m)

/* Those without the unit, for a histogram of counts (prom_metric). */
#define CT_HIST_VALUE_COLUMNS(type, m)                                       \
	{ "total", "TOTAL", "the histogram's count", 10, CT_COL_UINT,        \
	  CT_AT(type, m.total), NULL },                                      \
	{ "low", "LOW", "a bucket's lowest value", 10, CT_COL_UINT,          \
	  CT_AT(type, m.low), NULL },                                        \
	{ "high", "HIGH", "its highest", 10, CT_COL_UINT, CT_AT(type, m.high), \
	  NULL },                                                            \
	{ "count", "COUNT", "values in it", 10, CT_COL_UINT,                 \
	  CT_AT(type, m.count), NULL }

/* The default fields of a histogram tool after "time" and its key's. */
#define CT_HIST_FIELDS "unit," CT_HIST_VALUE_FIELDS
#define CT_HIST_VALUE_FIELDS "total,low,high,count"

struct ct_hist_map {
	const char *map;	/* the BPF hash map's name */
	/*
	 * Without keyed, the histogram is in this per-CPU array of one
	 * entry instead (when set): the BPF side finds it with an inlined
	 * lookup and counts on its own CPU's cache lines. Its counts only
	 * grow; an interval's are their growth since the last read, so
	 * none is lost between reading and clearing.
	 */
	const char *single_map;
	size_t key_size;
	size_t value_size;
	size_t max_entries;
	size_t slots_off;	/* where the value's __u32 slots[] lie */
	int nslots;		/* log2 slots */
	const char *what;	/* what is counted: "I/Os" */
	const char *unit;	/* "usecs", "msecs" */
	bool timestamp;		/* -T: print HH:MM:SS before the text */
	bool keyed;		/* one histogram per key: keys are printed */
	/*
	 * Also the average and the sum of the values, in the unit (from the
	 * sum at sum_off): a line under each text histogram, "avg" and
	 * "sum" in its JSON object.
	 */
	bool average;
	/* Order of two keys, as for qsort. */
	int (*compare)(const void *key_a, const void *key_b);
	/*
	 * The tool's row (row_size bytes, starting with struct ct_hist_row):
	 * fill its key columns from a histogram's key and value. JSON has
	 * the key columns (.key) that are not off; CSV the fields chosen.
	 */
	size_t row_size;
	void (*fill_row)(void *row, const void *key, const void *value);
	/* With keyed: the line naming the key, "pid = 12 bash\n". */
	void (*text_key)(const void *row);
	/*
	 * --prom-textfile: the histogram coretrace_<tool>_seconds, its
	 * HELP, and where the value's __u64 sum of the values in ns lies
	 * (common/bpf/histogram.bpf.h, ct_hist_add()). Its labels are the
	 * key columns' (struct ct_column's label).
	 */
	const char *prom_help;
	size_t sum_off;
	/*
	 * Values that are counts, not times (unit is then their name): the
	 * histogram is coretrace_<tool>_<prom_metric>, and the value's sum
	 * at sum_off is of the values themselves. NULL for times.
	 */
	const char *prom_metric;
};

/*
 * Before load: a histogram kept in single_map leaves the hash map one
 * entry (preallocated memory it would not use). Returns 0 or an exit code.
 */
int ct_hist_map_prepare(const struct ct_hist_map *h, struct bpf_object *obj);

/* Print and clear one interval; returns 0 or an exit code. */
int ct_print_hist_map(const struct ct_hist_map *h, struct bpf_object *obj);

/*
 * Take the interval's counts into 64-bit totals kept since the start, and
 * write those as Prometheus histograms to f; returns 0 or an exit code.
 */
int ct_prom_hist_map(FILE *f, const struct ct_hist_map *h,
		     struct bpf_object *obj);

#endif
