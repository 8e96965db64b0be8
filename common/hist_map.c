// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "hist_map.h"
#include "histogram.h"
#include "maps.h"
#include "output.h"
#include "prom.h"
#include "tool.h"

struct sort_ctx {
	const struct ct_hist_map *h;
	const char *keys;
};

static int by_key(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *s = arg;
	size_t size = s->h->key_size;

	return s->h->compare(s->keys + *(const size_t *)a * size,
			     s->keys + *(const size_t *)b * size);
}

static const __u32 *slots(const struct ct_hist_map *h, const char *value)
{
	return (const __u32 *)(value + h->slots_off);
}

/* The sum of a histogram's values in its unit (the value keeps ns). */
static __u64 sum_in_unit(const struct ct_hist_map *h, const char *value)
{
	__u64 ns = *(const __u64 *)(value + h->sum_off);

	return ns / (h->unit[0] == 'm' ? 1000000 : 1000);
}

static __u64 avg_in_unit(const struct ct_hist_map *h, const char *value)
{
	__u64 n = ct_hist_total(slots(h, value), h->nslots);

	return n ? sum_in_unit(h, value) / n : 0;
}

static void print_text(const struct ct_hist_map *h, const void *row,
		       const char *value, bool first)
{
	if (h->keyed) {
		if (!first)
			putchar('\n');
		h->text_key(row);
	}
	ct_print_log2_hist(stdout, slots(h, value), h->nslots, h->unit);
	if (h->average)
		printf("avg = %llu %s, total: %llu %s, count: %llu\n",
		       (unsigned long long)avg_in_unit(h, value), h->unit,
		       (unsigned long long)sum_in_unit(h, value), h->unit,
		       (unsigned long long)ct_hist_total(slots(h, value),
							 h->nslots));
}

static void print_json(const struct ct_hist_map *h, const void *row,
		       const char *value, __u64 now)
{
	struct ct_json j;
	char buf[40];

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf), now));
	if (h->keyed)
		ct_fields_json_keys(&j, row);
	ct_json_str(&j, "unit", h->unit);
	ct_json_uint(&j, "total", ct_hist_total(slots(h, value), h->nslots));
	if (h->average) {
		ct_json_uint(&j, "avg", avg_in_unit(h, value));
		ct_json_uint(&j, "sum", sum_in_unit(h, value));
	}
	ct_json_log2_hist(&j, "buckets", slots(h, value), h->nslots);
	ct_json_end(&j);
}

static void csv_bucket(void *ctx, __u64 low, __u64 high, __u32 count)
{
	struct ct_hist_row *r = ctx;

	r->low = low;
	r->high = high;
	r->count = count;
	ct_fields_print(r);
}

/* One record per bucket; row has room for the tool's row. */
static void print_csv(const struct ct_hist_map *h, void *row,
		      const char *value, __u64 now)
{
	struct ct_hist_row *r = row;

	r->ts = now;
	r->unit = (struct ct_str){ h->unit, strlen(h->unit) };
	r->total = ct_hist_total(slots(h, value), h->nslots);
	ct_log2_each(slots(h, value), h->nslots, csv_bucket, r);
}

static void print_one(const struct ct_hist_map *h, const char *key,
		      const char *value, __u64 now, int i, void *row)
{
	memset(row, 0, h->row_size);
	h->fill_row(row, key, value);
	if (ct_env.json)
		print_json(h, row, value, now);
	else if (ct_env.csv)
		print_csv(h, row, value, now);
	else
		print_text(h, row, value, i == 0);
}

static void print_all(const struct ct_hist_map *h, const char *keys,
		      const char *values, const size_t *order, int n,
		      void *row)
{
	__u64 now = ct_now_ns();
	char buf[16];

	if (!ct_env.json && !ct_env.csv) {
		putchar('\n');
		if (h->timestamp)
			printf("%s\n", ct_fmt_hms(buf, sizeof(buf), now));
	}
	for (int i = 0; i < n; i++) {
		const char *key = keys + order[i] * h->key_size;
		const char *value = values + order[i] * h->value_size;

		print_one(h, key, value, now, i, row);
	}
}

/* Each CPU's value of the single_map at the last read, and now. */
static struct {
	char *last;
	char *now;
	int ncpu;
	size_t stride;		/* a per-CPU value's size, rounded up to 8 */
} single;

/* Add into value what one CPU counted since last: a count of growth. */
static __u64 add_growth(const struct ct_hist_map *h, char *value,
			const char *now, const char *last)
{
	__u32 *out = (__u32 *)(value + h->slots_off);
	const __u32 *a = slots(h, now), *b = slots(h, last);
	__u64 *sum = (__u64 *)(value + h->sum_off);
	__u64 n = 0;

	/* Unsigned differences: right across a 32-bit wrap too. */
	for (int i = 0; i < h->nslots; i++) {
		out[i] += a[i] - b[i];
		n += a[i] - b[i];
	}
	*sum += *(const __u64 *)(now + h->sum_off) -
		*(const __u64 *)(last + h->sum_off);
	return n;
}

/* The single histogram's growth as one entry of key 0: 1, 0 or -errno. */
static int take_single(const struct ct_hist_map *h, int fd, char *keys,
		       char *values)
{
	__u32 zero = 0;
	__u64 n = 0;

	if (!single.now) {
		single.ncpu = libbpf_num_possible_cpus();
		if (single.ncpu <= 0)
			return single.ncpu ? single.ncpu : -EINVAL;
		single.stride = (h->value_size + 7) & ~(size_t)7;
		single.now = calloc(single.ncpu, single.stride);
		single.last = calloc(single.ncpu, single.stride);
		if (!single.now || !single.last)
			return -ENOMEM;
	}
	if (bpf_map_lookup_elem(fd, &zero, single.now))
		return -errno;
	memset(keys, 0, h->key_size);
	memset(values, 0, h->value_size);
	for (int cpu = 0; cpu < single.ncpu; cpu++)
		n += add_growth(h, values, single.now + cpu * single.stride,
				single.last + cpu * single.stride);
	memcpy(single.last, single.now, single.ncpu * single.stride);
	return n > 0;
}

/* Take every histogram out of the map: n, or -1 after a message. */
static int take(const struct ct_hist_map *h, struct bpf_object *obj,
		char *keys, char *values)
{
	bool one = h->single_map && !h->keyed;
	struct bpf_map *map = bpf_object__find_map_by_name(obj, one ?
							   h->single_map :
							   h->map);
	int fd = bpf_map__fd(map), n;

	if (one)
		n = take_single(h, fd, keys, values);
	else
		n = ct_map_take_all(fd, h->key_size, h->value_size,
				    h->max_entries, keys, values);
	if (n < 0)
		ct_warn("cannot read the histograms: %s", strerror(-n));
	return n;
}

/* Totals since the start, one per key ever seen: counts, then the sum. */
static struct {
	char *keys;
	__u64 *counts;		/* nslots + 1 per key */
	int n;
} acc;

static __u64 *totals_of(const struct ct_hist_map *h, const char *key)
{
	int i;

	for (i = 0; i < acc.n; i++)
		if (!memcmp(acc.keys + i * h->key_size, key, h->key_size))
			return acc.counts + i * (h->nslots + 1);
	if (acc.n == (int)h->max_entries)
		return NULL;
	memcpy(acc.keys + i * h->key_size, key, h->key_size);
	acc.n++;
	return acc.counts + i * (h->nslots + 1);
}

static void accumulate(const struct ct_hist_map *h, const char *key,
		       const char *value)
{
	__u64 *t = totals_of(h, key);

	if (!t)
		return;
	for (int i = 0; i < h->nslots; i++)
		t[i] += slots(h, value)[i];
	t[h->nslots] += *(const __u64 *)(value + h->sum_off);
}

static void prom_write(FILE *f, const struct ct_hist_map *h, void *row)
{
	char name[96];
	/* The last value's row fills the labels: its key's value too. */
	char *value = calloc(1, h->value_size);
	int unit_exp = h->unit[0] == 'm' ? 3 : 6;

	snprintf(name, sizeof(name), "coretrace_%s_%s", ct_tool_name(),
		 h->prom_metric ? h->prom_metric : "seconds");
	ct_prom_head(f, name, "histogram", h->prom_help);
	for (int i = 0; value && i < acc.n; i++) {
		const __u64 *t = acc.counts + i * (h->nslots + 1);

		memset(row, 0, h->row_size);
		h->fill_row(row, acc.keys + i * h->key_size, value);
		if (h->prom_metric)
			ct_prom_count_hist(f, name, row, t, h->nslots,
					   t[h->nslots]);
		else
			ct_prom_hist(f, name, row, t, h->nslots, unit_exp,
				     t[h->nslots]);
	}
	free(value);
}

int ct_prom_hist_map(FILE *f, const struct ct_hist_map *h,
		     struct bpf_object *obj)
{
	char *keys = calloc(h->max_entries, h->key_size);
	char *values = calloc(h->max_entries, h->value_size);
	void *row = calloc(1, h->row_size);
	int n, err = CT_EXIT_ERROR;

	if (!acc.keys) {
		acc.keys = calloc(h->max_entries, h->key_size);
		acc.counts = calloc(h->max_entries * (h->nslots + 1),
				    sizeof(__u64));
	}
	if (!keys || !values || !row || !acc.keys || !acc.counts) {
		ct_warn("out of memory");
		goto out;
	}
	n = take(h, obj, keys, values);
	if (n < 0)
		goto out;
	for (int i = 0; i < n; i++)
		accumulate(h, keys + i * h->key_size,
			   values + i * h->value_size);
	prom_write(f, h, row);
	err = 0;
out:
	free(keys);
	free(values);
	free(row);
	return err;
}

int ct_hist_map_prepare(const struct ct_hist_map *h, struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, h->map);

	if (!h->single_map || h->keyed)
		return 0;
	if (map && !bpf_map__set_max_entries(map, 1))
		return 0;
	ct_warn("internal error: cannot size the map %s", h->map);
	return CT_EXIT_ERROR;
}

int ct_print_hist_map(const struct ct_hist_map *h, struct bpf_object *obj)
{
	char *keys = calloc(h->max_entries, h->key_size);
	char *values = calloc(h->max_entries, h->value_size);
	size_t *order = calloc(h->max_entries, sizeof(*order));
	void *row = calloc(1, h->row_size);
	struct sort_ctx s = { h, keys };
	int n, err = 0;

	if (!keys || !values || !order || !row) {
		ct_warn("out of memory");
		err = CT_EXIT_ERROR;
		goto out;
	}
	n = take(h, obj, keys, values);
	if (n < 0) {
		err = CT_EXIT_ERROR;
		goto out;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), by_key, &s);
	print_all(h, keys, values, order, n, row);
	ct_flush();
	ct_report_missed(obj, h->what);
out:
	free(keys);
	free(values);
	free(order);
	free(row);
	return err;
}
