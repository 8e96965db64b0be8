// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist_map.h"
#include "maps.h"
#include "output.h"
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

static void print_all(const struct ct_hist_map *h, const char *keys,
		      const char *values, const size_t *order, int n)
{
	__u64 now = ct_now_ns();
	char buf[16];

	if (!ct_env.json) {
		putchar('\n');
		if (h->timestamp)
			printf("%s\n", ct_fmt_hms(buf, sizeof(buf), now));
	}
	for (int i = 0; i < n; i++) {
		const char *key = keys + order[i] * h->key_size;
		const char *value = values + order[i] * h->value_size;

		if (ct_env.json)
			h->print_json(key, value, now);
		else
			h->print_text(key, value, i == 0);
	}
}

int ct_print_hist_map(const struct ct_hist_map *h)
{
	char *keys = calloc(h->max_entries, h->key_size);
	char *values = calloc(h->max_entries, h->value_size);
	size_t *order = calloc(h->max_entries, sizeof(*order));
	struct sort_ctx s = { h, keys };
	int n, err = 0;

	if (!keys || !values || !order) {
		ct_warn("out of memory");
		err = CT_EXIT_ERROR;
		goto out;
	}
	n = ct_map_take_all(h->fd, h->key_size, h->value_size,
			    h->max_entries, keys, values);
	if (n < 0) {
		ct_warn("cannot read the histograms: %s", strerror(-n));
		err = CT_EXIT_ERROR;
		goto out;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), by_key, &s);
	print_all(h, keys, values, order, n);
	ct_flush();
	ct_report_missed(h->obj, h->what);
out:
	free(keys);
	free(values);
	free(order);
	return err;
}
