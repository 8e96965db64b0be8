/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Histograms in the classic layout of the BPF tracing tools:
 *
 *      usecs               : count    distribution
 *          2 -> 3          : 5        |****                                    |
 *
 * Slot i of a log2 histogram counts values v with floor(log2(v)) == i (and
 * v = 0 in slot 0). Empty slots before the first and after the last used
 * one are not printed.
 */
#ifndef CT_HISTOGRAM_H
#define CT_HISTOGRAM_H

#include <stdio.h>
#include <linux/types.h>

#include "json.h"

void ct_print_log2_hist(FILE *f, const __u32 *slots, int n,
			const char *unit);

/* Slot i counts values in [base + i * step, base + (i + 1) * step). */
void ct_print_linear_hist(FILE *f, const __u32 *slots, int n, __u64 base,
			  __u64 step, const char *unit);

/* As a JSON array of {"low": L, "high": H, "count": C}, under key. */
void ct_json_log2_hist(struct ct_json *j, const char *key,
		       const __u32 *slots, int n);
void ct_json_linear_hist(struct ct_json *j, const char *key,
			 const __u32 *slots, int n, __u64 base, __u64 step);

/* fn for each log2 slot from the first used to the last, as JSON has them. */
void ct_log2_each(const __u32 *slots, int n,
		  void (*fn)(void *ctx, __u64 low, __u64 high, __u32 count),
		  void *ctx);

/* The sum of the counts. */
__u64 ct_hist_total(const __u32 *slots, int n);

#endif
