// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "histogram.h"

#define BAR_WIDTH 40

static void bar(FILE *f, __u32 val, __u32 max, int width)
{
	int stars = max ? (int)((__u64)val * width / max) : 0;

	fputc('|', f);
	for (int i = 0; i < width; i++)
		fputc(i < stars ? '*' : ' ', f);
	fputc('|', f);
}

/* First and last used slot; returns false when all are empty. */
static int used_range(const __u32 *slots, int n, int *first, int *last,
		      __u32 *max)
{
	*first = -1;
	*last = -1;
	*max = 0;
	for (int i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (*first < 0)
			*first = i;
		*last = i;
		if (slots[i] > *max)
			*max = slots[i];
	}
	return *first >= 0;
}

static void log2_bounds(int i, __u64 *low, __u64 *high)
{
	*low = i ? 1ULL << i : 0;
	*high = i < 63 ? (1ULL << (i + 1)) - 1 : ~0ULL;
}

void ct_print_log2_hist(FILE *f, const __u32 *slots, int n,
			const char *unit)
{
	int first, last, wide;
	__u32 max;

	if (!used_range(slots, n, &first, &last, &max))
		return;
	/* Past 2^32 the bounds need more digits. */
	wide = last >= 32;
	fprintf(f, "%*s%-*s : count    distribution\n", wide ? 15 : 5, "",
		wide ? 29 : 19, unit);
	for (int i = first; i <= last; i++) {
		__u64 low, high;

		log2_bounds(i, &low, &high);
		fprintf(f, "%*llu -> %-*llu : %-8u ", wide ? 20 : 10,
			(unsigned long long)low, wide ? 20 : 10,
			(unsigned long long)high, slots[i]);
		bar(f, slots[i], max, wide ? BAR_WIDTH / 2 : BAR_WIDTH);
		fputc('\n', f);
	}
}

void ct_print_linear_hist(FILE *f, const __u32 *slots, int n, __u64 base,
			  __u64 step, const char *unit)
{
	int first, last;
	__u32 max;

	if (!used_range(slots, n, &first, &last, &max))
		return;
	fprintf(f, "%5s%-19s : count    distribution\n", "", unit);
	for (int i = first; i <= last; i++) {
		__u64 low = base + (__u64)i * step;

		fprintf(f, "%10llu -> %-10llu : %-8u ", (unsigned long long)low,
			(unsigned long long)(low + step - 1), slots[i]);
		bar(f, slots[i], max, BAR_WIDTH);
		fputc('\n', f);
	}
}

void ct_log2_each(const __u32 *slots, int n,
		  void (*fn)(void *ctx, __u64 low, __u64 high, __u32 count),
		  void *ctx)
{
	int first, last;
	__u32 max;

	if (!used_range(slots, n, &first, &last, &max))
		return;
	for (int i = first; i <= last; i++) {
		__u64 low, high;

		log2_bounds(i, &low, &high);
		fn(ctx, low, high, slots[i]);
	}
}

static void json_slot(void *ctx, __u64 low, __u64 high, __u32 count)
{
	struct ct_json *j = ctx;

	ct_json_object(j, NULL);
	ct_json_uint(j, "low", low);
	ct_json_uint(j, "high", high);
	ct_json_uint(j, "count", count);
	ct_json_close(j);
}

void ct_json_log2_hist(struct ct_json *j, const char *key,
		       const __u32 *slots, int n)
{
	ct_json_array(j, key);
	ct_log2_each(slots, n, json_slot, j);
	ct_json_close(j);
}

void ct_json_linear_hist(struct ct_json *j, const char *key,
			 const __u32 *slots, int n, __u64 base, __u64 step)
{
	int first, last;
	__u32 max;

	ct_json_array(j, key);
	if (used_range(slots, n, &first, &last, &max)) {
		for (int i = first; i <= last; i++) {
			__u64 low = base + (__u64)i * step;

			json_slot(j, low, low + step - 1, slots[i]);
		}
	}
	ct_json_close(j);
}

__u64 ct_hist_total(const __u32 *slots, int n)
{
	__u64 sum = 0;

	for (int i = 0; i < n; i++)
		sum += slots[i];
	return sum;
}
