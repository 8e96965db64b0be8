// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "maps.h"
#include "tool.h"

/* Take one entry; counts that arrive between lookup and delete are lost. */
static int take(int fd, const void *key, void *value)
{
	if (!bpf_map_lookup_and_delete_elem(fd, key, value))
		return 0;
	/* Hash maps allow lookup-and-delete only since 5.14. */
	if (bpf_map_lookup_elem(fd, key, value))
		return -errno;
	bpf_map_delete_elem(fd, key);
	return 0;
}

unsigned long long ct_map_percpu_sum(int fd)
{
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long sum = 0;
	__u64 *values;
	__u32 zero = 0;

	if (ncpu <= 0)
		return 0;
	values = calloc(ncpu, sizeof(*values));
	if (values && !bpf_map_lookup_elem(fd, &zero, values))
		for (int i = 0; i < ncpu; i++)
			sum += values[i];
	free(values);
	return sum;
}

int ct_map_take_all(int fd, size_t key_size, size_t value_size, size_t max,
		    void *keys, void *values)
{
	char *k = keys, *v = values;
	size_t n = 0, i, kept = 0;

	/* Collect the keys first: deleting while walking restarts the walk. */
	while (n < max && !bpf_map_get_next_key(fd, n ? k + (n - 1) * key_size
						      : NULL,
						k + n * key_size))
		n++;
	for (i = 0; i < n; i++) {
		if (take(fd, k + i * key_size, v + kept * value_size))
			continue;
		if (kept != i)
			memcpy(k + kept * key_size, k + i * key_size,
			       key_size);
		kept++;
	}
	return kept;
}

int ct_map_take_records(int fd, size_t key_size, size_t value_size,
			size_t max, size_t rec_size, size_t val_off,
			void **out)
{
	char *keys = calloc(max, key_size), *values = calloc(max, value_size);
	char *rec = NULL;
	int n;

	n = keys && values ? ct_map_take_all(fd, key_size, value_size, max,
					     keys, values) : -ENOMEM;
	if (n > 0 && !(rec = calloc(n, rec_size)))
		n = -ENOMEM;
	for (int i = 0; i < n; i++) {
		memcpy(rec + i * rec_size, keys + i * key_size, key_size);
		memcpy(rec + i * rec_size + val_off, values + i * value_size,
		       value_size);
	}
	free(keys);
	free(values);
	*out = rec;
	return n;
}

void ct_report_missed(struct bpf_object *obj, const char *what)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "ct_missed");
	static unsigned long long reported;
	unsigned long long missed;

	if (!map)
		return;
	missed = ct_map_percpu_sum(bpf_map__fd(map));
	if (missed > reported)
		ct_warn("%llu %s not counted (a map was full)",
			missed - reported, what);
	reported = missed;
}
