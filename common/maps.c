// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>

#include "maps.h"

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
