// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
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

void ct_report_map_full(struct bpf_object *obj, const char *lost)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "ct_missed");
	static unsigned long long reported;
	unsigned long long missed;

	if (!map || bpf_map__fd(map) < 0)
		return;
	missed = ct_map_percpu_sum(bpf_map__fd(map));
	if (missed > reported)
		ct_warn("%llu %s (a map was full)", missed - reported, lost);
	reported = missed;
}

void ct_report_missed(struct bpf_object *obj, const char *what)
{
	char lost[128];

	snprintf(lost, sizeof(lost), "%s not counted", what);
	ct_report_map_full(obj, lost);
}

/* One "NAME=N" of CT_MAP_ENTRIES, its end at end. */
static int size_one(struct bpf_object *obj, const char *item, size_t len)
{
	const char *eq = memchr(item, '=', len);
	char name[BPF_OBJ_NAME_LEN], *stop;
	struct bpf_map *map;
	unsigned long n;

	if (!eq || eq == item || (size_t)(eq - item) >= sizeof(name))
		return -EINVAL;
	memcpy(name, item, eq - item);
	name[eq - item] = '\0';
	errno = 0;
	n = strtoul(eq + 1, &stop, 10);
	if (errno || stop != item + len || stop == eq + 1 || !n ||
	    n > UINT32_MAX)
		return -EINVAL;
	map = bpf_object__find_map_by_name(obj, name);
	if (!map)
		return -ENOENT;
	return bpf_map__set_max_entries(map, n);
}

int ct_maps_sized_by_env(struct bpf_object *obj)
{
	const char *env = getenv("CT_MAP_ENTRIES"), *p, *end;
	int err;

	for (p = env; p && *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		err = size_one(obj, p, end - p);
		if (err) {
			ct_warn("CT_MAP_ENTRIES: '%.*s': %s", (int)(end - p),
				p, err == -ENOENT ? "no such map" :
				"not NAME=ENTRIES");
			return CT_EXIT_USAGE;
		}
	}
	return 0;
}
